//! The lexicon: everything dipgraph knows about the world, read from data files so that adding
//! a leader, a capital or a verb never touches code. The embedded files live in
//! `data/lexicon/` and follow the format in `data/lexicon/FORMAT.md`; user files given with
//! `--lexicon` are read after them and override records with the same type and name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::model::{Cameo, Entity, EntityFields, EntityId, EntityKind};
use crate::text::{fold, tokenize, WordMap};

/// Size of the first-word filter, in bits (8 KB).
const FIRST_WORD_BITS: usize = 1 << 16;

/// A word's length and first, middle and last bytes, mixed into 32 bits: a key that reads four
/// bytes where a general hash reads the whole word, and tells most words apart. The lexicon's
/// first-word filters and the rules' word sets ([`crate::extract::words::WordSet`]) use it.
pub(crate) fn fingerprint(word: &str) -> u32 {
    let bytes = word.as_bytes();
    let Some(&first) = bytes.first() else { return 0 };
    let n = bytes.len();
    let key = u32::from(first)
        | u32::from(bytes[n - 1]) << 8
        | u32::from(bytes[n / 2]) << 16
        | ((n as u32) & 0xff) << 24;
    key.wrapping_mul(0x9e37_79b1)
}

/// A bit per value of the top 16 bits of a word's [`fingerprint`], set for some list of
/// first words (of aliases, of triggers): most tokens start nothing in the list, and a bit test
/// turns them away without hashing and probing a map. Empty until a word is put in.
#[derive(Debug, Clone, Default)]
struct FirstWordFilter(Vec<u64>);

impl FirstWordFilter {
    fn bit(word: &str) -> usize {
        (fingerprint(word) >> 16) as usize
    }

    fn insert(&mut self, word: &str) {
        if self.0.is_empty() {
            self.0 = vec![0; FIRST_WORD_BITS / 64];
        }
        let bit = Self::bit(word);
        self.0[bit / 64] |= 1 << (bit % 64);
    }

    /// False when `word` is surely not one of the words put in.
    fn may_hold(&self, word: &str) -> bool {
        let bit = Self::bit(word);
        self.0.get(bit / 64).is_some_and(|w| w & (1 << (bit % 64)) != 0)
    }
}

/// The embedded lexicon files, in load order.
const EMBEDDED: &[(&str, &str)] = &[
    ("data/lexicon/countries.tsv", include_str!("../data/lexicon/countries.tsv")),
    ("data/lexicon/organizations.tsv", include_str!("../data/lexicon/organizations.tsv")),
    ("data/lexicon/people.tsv", include_str!("../data/lexicon/people.tsv")),
    ("data/lexicon/topics.tsv", include_str!("../data/lexicon/topics.tsv")),
    ("data/lexicon/actions.tsv", include_str!("../data/lexicon/actions.tsv")),
];

/// A problem in a lexicon file.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The file could not be read.
    #[error("{path}: cannot read lexicon: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A record is malformed.
    #[error("{path}:{line}: {message}")]
    Bad {
        /// The file.
        path: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// A period during which a person held an office.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    /// Role key such as `president` or `foreign minister`.
    pub role: String,
    /// First day in office.
    pub from: Option<NaiveDate>,
    /// Day the term ended (exclusive), `None` while in office.
    pub to: Option<NaiveDate>,
}

impl Office {
    /// True when the office was held on `date` (always true without a date).
    pub fn held_on(&self, date: Option<NaiveDate>) -> bool {
        let Some(date) = date else { return true };
        self.from.is_none_or(|from| from <= date) && self.to.is_none_or(|to| date < to)
    }
}

/// An entity the lexicon knows, with the offices a person held.
#[derive(Debug, Clone, PartialEq)]
pub struct LexEntity {
    /// The entity as it appears in events.
    pub entity: Entity,
    /// Offices held (persons only).
    pub offices: Vec<Office>,
    /// Canonical name of the organisation a body belongs to.
    pub parent: Option<String>,
}

/// Index of an entity in the lexicon.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LexId(pub usize);

/// What an alias refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasTarget {
    /// A named entity.
    Entity(LexId),
    /// A country's government by its capital or seat (`Ankara`, `the Kremlin`).
    Seat(LexId),
    /// A country adjective or demonym (`Turkish`, `Azeri`).
    Adjective(LexId),
    /// A title of office (`President`, `Foreign Minister`), by role key.
    Role(usize),
}

/// One alias, as folded words, and the case its words must have in text.
#[derive(Debug, Clone)]
pub struct Alias {
    /// Folded words of the alias.
    pub words: Vec<String>,
    /// Per word: must the text token be capitalised (`Some(false)`), or match exactly (`Some(true)`).
    pub case: Vec<CaseRule>,
    /// What it refers to.
    pub target: AliasTarget,
    /// The [`fingerprint`] of the second word (0 for a one-word alias): many aliases share a
    /// first word (`the …`, `republic of …`), and most of them are told apart from the text by
    /// this number alone, without comparing words.
    pub(crate) second: u32,
}

/// How the case of a text word must match an alias word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRule {
    /// Any case.
    Any,
    /// The text word must start with a capital letter.
    Capitalised,
    /// The text word must be written exactly so (short acronyms such as `US`).
    Exact,
}

/// How an action relates the words after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectRule {
    /// Actors after the verb are participants, places and issues are topics.
    Auto,
    /// Everything after the verb (states included) is a topic (`discuss Syria`).
    Topic,
    /// As `Auto`, but the act is an event only with a participant (`claimed that Ukraine …`
    /// accuses Ukraine; `claimed that the talks went well` accuses nobody).
    Party,
}

/// An action the lexicon knows: its lemma, code and how it takes its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct ActionEntry {
    /// Lemma such as `discuss`, shared with the events coded with it.
    pub lemma: Arc<str>,
    /// CAMEO code.
    pub cameo: Cameo,
    /// True when both sides do it together (discuss, meet, clash).
    pub symmetric: bool,
    /// How to read what follows the verb.
    pub object: ObjectRule,
}

/// A set of words kept as 256 bits of their [`fingerprint`]s: it may answer that a word is
/// there when it is not, never the other way round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordBits([u64; 4]);

impl WordBits {
    /// Adds `word`.
    pub fn insert(&mut self, word: &str) {
        let bit = fingerprint(word) >> 24;
        self.0[(bit >> 6) as usize & 3] |= 1 << (bit & 63);
    }

    /// True when every word of `other` may be in the set; false when one surely is not.
    pub fn may_hold_all(&self, other: &WordBits) -> bool {
        self.0.iter().zip(&other.0).all(|(have, need)| need & !have == 0)
    }
}

/// A word pattern that triggers an action.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// Folded words; between two of them up to two modifier words may stand.
    pub words: Vec<String>,
    /// The action triggered.
    pub action: usize,
    /// True for a noun (`talks`, `clashes`), false for a verb form.
    pub nominal: bool,
    /// True for the past participle (for passives).
    pub participle: bool,
    /// The words after the first that text must have for a match (all but the optional
    /// articles): several patterns start with common words (`be concerned`, `hold talks`),
    /// and a sentence without their other words is ruled out before they are matched.
    pub(crate) later_words: WordBits,
}

/// The compiled lexicon.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    entities: Vec<LexEntity>,
    aliases: WordMap<String, Vec<Alias>>,
    /// The aliases' first words.
    alias_first_words: FirstWordFilter,
    /// As `alias_first_words`, for the first words of the aliases whose first word may be
    /// written without a capital: most lower-case words that start an alias start only names
    /// (`foreign` of `Foreign Ministry`), which a lower-case word cannot match.
    lower_first_words: FirstWordFilter,
    roles: Vec<String>,
    actions: Vec<ActionEntry>,
    triggers: WordMap<String, Vec<Trigger>>,
    /// The triggers' first words: nearly every token is looked up, and few start a trigger.
    trigger_first_words: FirstWordFilter,
    by_country: WordMap<String, LexId>,
    leader_roles: WordMap<String, String>,
    by_id: WordMap<EntityId, LexId>,
    people_by_country: WordMap<String, Vec<LexId>>,
}

/// One parsed line of a lexicon file.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// Record type (`country`, `person`, …).
    pub kind: String,
    /// Canonical name.
    pub name: String,
    /// `key=value` fields; list values split on `|`.
    pub fields: Vec<(String, Vec<String>)>,
    /// Where the record was read, for messages.
    pub origin: (String, usize),
}

impl Record {
    fn list<'r>(&'r self, key: &'r str) -> impl Iterator<Item = &'r str> + 'r {
        self.fields
            .iter()
            .filter(move |(k, _)| k == key)
            .flat_map(|(_, v)| v.iter().map(String::as_str))
    }

    fn one<'r>(&'r self, key: &'r str) -> Option<&'r str> {
        self.list(key).next()
    }
}

const RECORD_TYPES: &[&str] =
    &["country", "org", "group", "person", "role", "place", "issue", "action", "verb", "alias"];

/// Parses lexicon text; `source` names it in errors. Bad lines become errors, good ones records.
pub fn parse_records(text: &str, source: &str) -> (Vec<Record>, Vec<LexiconError>) {
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let line_no = index + 1;
        let trimmed = line.trim_end_matches('\r');
        if trimmed.trim().is_empty() || trimmed.trim_start().starts_with('#') {
            continue;
        }
        match parse_line(trimmed) {
            Ok((kind, name, fields)) => {
                records.push(Record { kind, name, fields, origin: (source.to_string(), line_no) })
            }
            Err(message) => {
                errors.push(LexiconError::Bad { path: source.to_string(), line: line_no, message })
            }
        }
    }
    for record in &records {
        if let Err(message) = check_record(record) {
            errors.push(LexiconError::Bad {
                path: record.origin.0.clone(),
                line: record.origin.1,
                message,
            });
        }
    }
    (records, errors)
}

type ParsedLine = (String, String, Vec<(String, Vec<String>)>);

fn parse_line(line: &str) -> Result<ParsedLine, String> {
    let mut parts = line.split('\t');
    let kind = parts.next().unwrap_or("").trim().to_string();
    if !RECORD_TYPES.contains(&kind.as_str()) {
        return Err(format!(
            "unknown record type {kind:?}; expected one of {} followed by TAB-separated fields",
            RECORD_TYPES.join(", ")
        ));
    }
    let name = parts.next().unwrap_or("").trim().to_string();
    if name.is_empty() {
        return Err(format!("{kind} record has no name in field 2"));
    }
    let mut fields = Vec::new();
    for part in parts {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let Some((key, value)) = part.split_once('=') else {
            return Err(format!("field {part:?} is not key=value"));
        };
        let values =
            value.split('|').map(str::trim).filter(|v| !v.is_empty()).map(String::from).collect();
        fields.push((key.trim().to_string(), values));
    }
    Ok((kind, name, fields))
}

fn check_record(record: &Record) -> Result<(), String> {
    let allowed: &[&str] = match record.kind.as_str() {
        "country" => &["iso", "alias", "adj", "people", "capital", "seat", "leader"],
        "org" => &["alias", "adj", "country", "parent"],
        "group" | "place" => &["alias", "country"],
        "person" => &["alias", "country", "office"],
        "role" | "issue" => &["alias"],
        "alias" => &["iso", "alias"],
        "action" => &["cameo", "pattern", "noun", "symmetric", "object"],
        _ => &["forms"],
    };
    for (key, _) in &record.fields {
        if !allowed.contains(&key.as_str()) {
            return Err(format!(
                "{} record {:?}: unknown key {key:?}; allowed: {}",
                record.kind,
                record.name,
                allowed.join(", ")
            ));
        }
    }
    if record.kind == "country" || record.kind == "alias" {
        let iso = record.one("iso").unwrap_or("");
        if iso.len() != 3 || !iso.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!("country {:?} needs iso= with a 3-letter code", record.name));
        }
    }
    if let Some(country) = record.one("country") {
        if country.len() != 3 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(format!("{:?}: country={country} is not an ISO alpha-3 code", record.name));
        }
    }
    if record.kind == "person" {
        for office in record.list("office") {
            parse_office(office)?;
        }
    }
    if record.kind == "action" {
        let code = record.one("cameo").unwrap_or("");
        if Cameo::parse(code).is_none() {
            return Err(format!(
                "action {:?} needs cameo= with a CAMEO code (01-20 root)",
                record.name
            ));
        }
    }
    Ok(())
}

fn parse_office(text: &str) -> Result<Office, String> {
    let bad = || format!("office {text:?} is not ROLE:FROM..TO with ISO dates");
    let (role, dates) = text.split_once(':').ok_or_else(bad)?;
    let (from, to) = dates.split_once("..").ok_or_else(bad)?;
    let date = |d: &str| -> Result<Option<NaiveDate>, String> {
        let d = d.trim();
        if d.is_empty() {
            Ok(None)
        } else {
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map(Some).map_err(|_| bad())
        }
    };
    Ok(Office { role: role.trim().to_string(), from: date(from)?, to: date(to)? })
}

impl Lexicon {
    /// The lexicon built from the embedded data files only.
    pub fn embedded() -> Result<Lexicon, Vec<LexiconError>> {
        Lexicon::embedded_records().map(Lexicon::from_records)
    }

    /// The embedded lexicon only; errors mean the embedded data is broken.
    fn embedded_records() -> Result<Vec<Record>, Vec<LexiconError>> {
        let mut records = Vec::new();
        let mut errors = Vec::new();
        for (source, text) in EMBEDDED {
            let (mut parsed, mut bad) = parse_records(text, source);
            records.append(&mut parsed);
            errors.append(&mut bad);
        }
        if errors.is_empty() {
            Ok(records)
        } else {
            Err(errors)
        }
    }

    /// The embedded lexicon extended and overridden by user files (dipgraph or PETRARCH actor
    /// format), read in order; a directory stands for its `.tsv` files, in sorted order.
    ///
    /// A bad record of a dipgraph-format file, or a file that cannot be read, is a fatal
    /// error (`Err`, with every such error): every article depends on the lexicon, so a typo
    /// must be fixed rather than silently change what is extracted. Bad blocks of a PETRARCH
    /// dictionary (third-party files, often with a few odd entries) are skipped and returned
    /// with the lexicon. Broken embedded data is fatal too.
    pub fn with_user_files(
        paths: &[PathBuf],
    ) -> Result<(Lexicon, Vec<LexiconError>), Vec<LexiconError>> {
        let mut records = Lexicon::embedded_records()?;
        let (mut fatal, mut skipped) = (Vec::new(), Vec::new());
        for path in user_files(paths).map_err(|e| vec![e])? {
            let file = read_user_lexicon(&path);
            records.extend(file.records);
            if file.petrarch {
                skipped.extend(file.errors);
            } else {
                fatal.extend(file.errors);
            }
        }
        if fatal.is_empty() {
            Ok((Lexicon::from_records(records), skipped))
        } else {
            Err(fatal)
        }
    }

    /// Builds a lexicon from records; a later record replaces an earlier one of the same type and name.
    pub fn from_records(records: Vec<Record>) -> Lexicon {
        let mut latest: HashMap<(String, String), usize> = HashMap::new();
        for (index, record) in records.iter().enumerate() {
            latest.insert((record.kind.clone(), record.name.clone()), index);
        }
        let mut lexicon = Lexicon::default();
        let mut verb_forms: HashMap<String, Vec<String>> = HashMap::new();
        for (index, record) in records.iter().enumerate() {
            if latest.get(&(record.kind.clone(), record.name.clone())) != Some(&index) {
                continue;
            }
            if record.kind == "verb" {
                verb_forms.insert(fold(&record.name), record.list("forms").map(fold).collect());
            }
        }
        for (index, record) in records.iter().enumerate() {
            if latest.get(&(record.kind.clone(), record.name.clone())) == Some(&index) {
                lexicon.add_record(record, &verb_forms);
            }
        }
        lexicon
    }

    fn add_record(&mut self, record: &Record, verb_forms: &HashMap<String, Vec<String>>) {
        match record.kind.as_str() {
            "country" => {
                let iso = record.one("iso").unwrap_or_default().to_string();
                let id = self.add_entity(record, EntityKind::State, Some(iso.clone()), &iso);
                if let Some(role) = record.one("leader") {
                    self.leader_roles.insert(iso.clone(), role.to_string());
                }
                self.by_country.insert(iso, id);
                for alias in record.list("alias") {
                    self.add_alias(alias, AliasTarget::Entity(id));
                }
                for alias in record.list("adj").chain(record.list("people")) {
                    self.add_alias(alias, AliasTarget::Adjective(id));
                }
                for alias in record.list("capital").chain(record.list("seat")) {
                    self.add_alias(alias, AliasTarget::Seat(id));
                }
            }
            "org" | "group" | "place" | "issue" | "person" => {
                let kind = match record.kind.as_str() {
                    "org" => EntityKind::Organization,
                    "group" => EntityKind::Group,
                    "place" => EntityKind::Place,
                    "issue" => EntityKind::Issue,
                    _ => EntityKind::Person,
                };
                let country = record.one("country").map(String::from);
                let id = self.add_entity(record, kind, country, &record.name);
                for alias in record.list("alias") {
                    self.add_alias(alias, AliasTarget::Entity(id));
                }
                for alias in record.list("adj") {
                    self.add_alias(alias, AliasTarget::Adjective(id));
                }
            }
            "role" => {
                let role = self.roles.len();
                self.roles.push(record.name.clone());
                self.add_alias(&record.name, AliasTarget::Role(role));
                for alias in record.list("alias") {
                    self.add_alias(alias, AliasTarget::Role(role));
                    // "the presidents of Bolivia and Argentina": titles are also used in the plural.
                    if alias.chars().last().is_some_and(|c| c.is_alphabetic() && c != 's') {
                        self.add_alias(&format!("{alias}s"), AliasTarget::Role(role));
                    }
                }
            }
            "action" => self.add_action(record, verb_forms),
            "alias" => {
                // Extra names of a country; a country not yet known is created.
                let iso = record.one("iso").unwrap_or_default().to_string();
                let id = match self.by_country.get(&iso) {
                    Some(&id) => id,
                    None => {
                        let id =
                            self.add_entity(record, EntityKind::State, Some(iso.clone()), &iso);
                        self.by_country.insert(iso, id);
                        id
                    }
                };
                self.add_alias(&record.name, AliasTarget::Entity(id));
                for alias in record.list("alias") {
                    self.add_alias(alias, AliasTarget::Entity(id));
                }
            }
            _ => {}
        }
    }

    fn add_entity(
        &mut self,
        record: &Record,
        kind: EntityKind,
        country: Option<String>,
        key: &str,
    ) -> LexId {
        let id = LexId(self.entities.len());
        let entity = Entity::from(EntityFields {
            id: EntityId::new(kind, key),
            name: record.name.clone(),
            kind,
            country: country.filter(|c| !c.is_empty()),
        });
        let offices = record.list("office").filter_map(|o| parse_office(o).ok()).collect();
        let parent = record.one("parent").map(String::from);
        self.by_id.insert(entity.id.clone(), id);
        if let (EntityKind::Person, Some(iso)) = (kind, entity.country.clone()) {
            self.people_by_country.entry(iso).or_default().push(id);
        }
        self.entities.push(LexEntity { entity, offices, parent });
        self.add_alias(&record.name, AliasTarget::Entity(id));
        id
    }

    fn add_alias(&mut self, alias: &str, target: AliasTarget) {
        let tokens = tokenize(alias);
        if tokens.is_empty() {
            return;
        }
        let is_acronym = |t: &str| {
            let letters: String = t.chars().filter(|c| c.is_alphabetic()).collect();
            (2..=5).contains(&letters.chars().count()) && letters.chars().all(char::is_uppercase)
        };
        let case: Vec<CaseRule> = tokens
            .iter()
            .map(|t| {
                if is_acronym(t.text) {
                    CaseRule::Exact
                } else if t.is_capitalised() {
                    CaseRule::Capitalised
                } else {
                    CaseRule::Any
                }
            })
            .collect();
        let words: Vec<String> = tokens.into_iter().map(|t| t.norm.into_owned()).collect();
        self.alias_first_words.insert(&words[0]);
        if case.first() != Some(&CaseRule::Capitalised) {
            self.lower_first_words.insert(&words[0]);
        }
        let entry = self.aliases.entry(words[0].clone()).or_default();
        if entry.iter().any(|a| a.words == words && a.target == target) {
            return;
        }
        let second = words.get(1).map_or(0, |w| fingerprint(w));
        entry.push(Alias { words, case, target, second });
        entry.sort_by_key(|a| std::cmp::Reverse(a.words.len()));
    }

    fn add_action(&mut self, record: &Record, verb_forms: &HashMap<String, Vec<String>>) {
        let Some(cameo) = record.one("cameo").and_then(Cameo::parse) else { return };
        let action = self.actions.len();
        self.actions.push(ActionEntry {
            lemma: Arc::from(record.name.as_str()),
            cameo,
            symmetric: record.one("symmetric") == Some("yes"),
            object: match record.one("object") {
                Some("topic") => ObjectRule::Topic,
                Some("party") => ObjectRule::Party,
                _ => ObjectRule::Auto,
            },
        });
        let patterns: Vec<&str> = if record.list("pattern").next().is_some() {
            record.list("pattern").collect()
        } else {
            vec![record.name.as_str()]
        };
        for pattern in patterns {
            let words: Vec<String> = pattern.split_whitespace().map(fold).collect();
            let Some((head, rest)) = words.split_first() else { continue };
            let forms = verb_forms.get(head).cloned().unwrap_or_else(|| inflect(head));
            // Regular forms and three irregular ones start with the past participle; four
            // irregular forms are past, participle, third person, gerund.
            let participle = if forms.len() == 4 { forms.get(1) } else { forms.first() }.cloned();
            for form in std::iter::once(head.clone()).chain(forms) {
                let mut words = vec![form.clone()];
                words.extend(rest.iter().cloned());
                let is_participle = participle.as_deref() == Some(form.as_str());
                self.add_trigger(Trigger {
                    words,
                    action,
                    nominal: false,
                    participle: is_participle,
                    later_words: WordBits::default(),
                });
            }
        }
        for noun in record.list("noun") {
            let words: Vec<String> = noun.split_whitespace().map(fold).collect();
            if !words.is_empty() {
                self.add_trigger(Trigger {
                    words,
                    action,
                    nominal: true,
                    participle: false,
                    later_words: WordBits::default(),
                });
            }
        }
    }

    fn add_trigger(&mut self, mut trigger: Trigger) {
        // Articles in a pattern are optional (see `match_trigger`): every other word must be
        // one of the sentence's.
        trigger.later_words = WordBits::default();
        for word in trigger.words.iter().skip(1) {
            if !matches!(word.as_str(), "a" | "an" | "the") {
                trigger.later_words.insert(word);
            }
        }
        self.trigger_first_words.insert(&trigger.words[0]);
        let entry = self.triggers.entry(trigger.words[0].clone()).or_default();
        if entry.iter().any(|t| t.words == trigger.words && t.nominal == trigger.nominal) {
            return;
        }
        entry.push(trigger);
        entry.sort_by_key(|a| std::cmp::Reverse(a.words.len()));
    }

    /// The entity with this index.
    pub fn entity(&self, id: LexId) -> &LexEntity {
        &self.entities[id.0]
    }

    /// Number of entities known.
    pub fn entity_count(&self) -> usize {
        self.entities.len()
    }

    /// Aliases whose first folded word is `word`, longest first.
    pub fn aliases_starting_with(&self, word: &str) -> &[Alias] {
        if !self.alias_first_words.may_hold(word) {
            return &[];
        }
        self.aliases.get(word).map_or(&[], Vec::as_slice)
    }

    /// The aliases [`Lexicon::aliases_starting_with`] gives, or none when the word is written
    /// without a capital (`capitalised` false) and every one of them needs a capital on its
    /// first word: none of those could match it.
    pub fn aliases_for_token(&self, word: &str, capitalised: bool) -> &[Alias] {
        if !capitalised && !self.lower_first_words.may_hold(word) {
            return &[];
        }
        self.aliases_starting_with(word)
    }

    /// Triggers whose first folded word is `word`, longest first.
    pub fn triggers_starting_with(&self, word: &str) -> &[Trigger] {
        if !self.trigger_first_words.may_hold(word) {
            return &[];
        }
        self.triggers.get(word).map_or(&[], Vec::as_slice)
    }

    /// The action with this index.
    pub fn action(&self, index: usize) -> &ActionEntry {
        &self.actions[index]
    }

    /// Number of actions known.
    pub fn action_count(&self) -> usize {
        self.actions.len()
    }

    /// The role key with this index.
    pub fn role(&self, index: usize) -> &str {
        &self.roles[index]
    }

    /// The state entity of an ISO alpha-3 code.
    pub fn country(&self, iso: &str) -> Option<LexId> {
        self.by_country.get(iso).copied()
    }

    /// The role whose holder is "the leader" of a country, when the lexicon says (`prime
    /// minister` in parliamentary states); otherwise the head of state is.
    pub fn leader_role(&self, iso: &str) -> Option<&str> {
        self.leader_roles.get(iso).map(String::as_str)
    }

    /// The person who held `role` for country `iso` on `date`, when exactly one did.
    pub fn office_holder(&self, iso: &str, role: &str, date: Option<NaiveDate>) -> Option<LexId> {
        let people = self.people_by_country.get(iso).map_or(&[][..], Vec::as_slice);
        let mut holders = people.iter().copied().filter(|&id| {
            self.entity(id).offices.iter().any(|o| o.role == role && o.held_on(date))
        });
        let first = holders.next();
        if holders.next().is_some() {
            None
        } else {
            first
        }
    }

    /// The roles a lexicon person (by entity id) held on `date`; none for other entities.
    pub fn person_roles(&self, id: &EntityId, date: Option<NaiveDate>) -> Vec<String> {
        self.by_id
            .get(id)
            .map(|&lex| self.roles_of(lex, date).into_iter().map(String::from).collect())
            .unwrap_or_default()
    }

    /// The roles a person held on `date`.
    pub fn roles_of(&self, id: LexId, date: Option<NaiveDate>) -> Vec<&str> {
        self.entity(id)
            .offices
            .iter()
            .filter(|o| o.held_on(date))
            .map(|o| o.role.as_str())
            .collect()
    }
}

/// The user lexicon files `paths` name: files as given, directories as their `.tsv` files in
/// sorted order.
fn user_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, LexiconError> {
    let mut files = Vec::new();
    for path in paths {
        if !path.is_dir() {
            files.push(path.clone());
            continue;
        }
        let io = |source| LexiconError::Io { path: path.clone(), source };
        let mut found = Vec::new();
        for entry in std::fs::read_dir(path).map_err(io)? {
            let file = entry.map_err(io)?.path();
            if file.is_file() && file.extension().is_some_and(|e| e.eq_ignore_ascii_case("tsv")) {
                found.push(file);
            }
        }
        found.sort();
        files.extend(found);
    }
    Ok(files)
}

/// A user lexicon file as read: its records, its bad lines, and whether it is a PETRARCH
/// actor dictionary.
#[derive(Debug)]
pub struct UserLexicon {
    /// The good records.
    pub records: Vec<Record>,
    /// One error per bad line or block (or the file's read error).
    pub errors: Vec<LexiconError>,
    /// True for a PETRARCH or TABARI actor dictionary.
    pub petrarch: bool,
}

/// Reads a user lexicon file, in dipgraph's format or PETRARCH's actor format: its records and
/// any bad lines. PETRARCH country entries become `alias` records, so they add names to the
/// country rather than replace what dipgraph knows of it.
pub fn read_lexicon_file(path: &Path) -> (Vec<Record>, Vec<LexiconError>) {
    let file = read_user_lexicon(path);
    (file.records, file.errors)
}

/// Reads a user lexicon file, saying which format it is in ([`read_lexicon_file`]).
pub fn read_user_lexicon(path: &Path) -> UserLexicon {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(source) => {
            let errors = vec![LexiconError::Io { path: path.to_path_buf(), source }];
            return UserLexicon { records: Vec::new(), errors, petrarch: false };
        }
    };
    // PETRARCH dictionaries carry a few Latin-1 bytes; a bad byte should not lose the file,
    // and Windows-1252 reads them as the letters they are.
    let (text, _) = crate::article::decode_text(&bytes);
    let source = path.display().to_string();
    if !crate::petrarch::looks_like_petrarch(&text) {
        let (records, errors) = parse_records(&text, &source);
        return UserLexicon { records, errors, petrarch: false };
    }
    let (mut records, errors) = crate::petrarch::parse_actors(&text, &source);
    for record in &mut records {
        if record.kind == "country" {
            record.kind = "alias".to_string();
        }
    }
    UserLexicon { records, errors, petrarch: true }
}

/// Regular English verb forms of a lemma: third person, past (participle), gerund.
pub fn inflect(lemma: &str) -> Vec<String> {
    let chars: Vec<char> = lemma.chars().collect();
    let n = chars.len();
    let is_vowel = |c: char| "aeiou".contains(c);
    let third =
        if lemma.ends_with(['s', 'x', 'z']) || lemma.ends_with("ch") || lemma.ends_with("sh") {
            format!("{lemma}es")
        } else if n > 1 && lemma.ends_with('y') && !is_vowel(chars[n - 2]) {
            format!("{}ies", &lemma[..lemma.len() - 1])
        } else {
            format!("{lemma}s")
        };
    // Short consonant-vowel-consonant verbs double their last letter (ban → banned).
    let doubles = (3..=4).contains(&n)
        && !is_vowel(chars[n - 1])
        && !"wxy".contains(chars[n - 1])
        && is_vowel(chars[n - 2])
        && !is_vowel(chars[n - 3]);
    let (past, gerund) = if lemma.ends_with("ee") {
        (format!("{lemma}d"), format!("{lemma}ing"))
    } else if lemma.ends_with('e') {
        (format!("{lemma}d"), format!("{}ing", lemma.strip_suffix('e').unwrap_or(lemma)))
    } else if n > 1 && lemma.ends_with('y') && !is_vowel(chars[n - 2]) {
        (format!("{}ied", &lemma[..lemma.len() - 1]), format!("{lemma}ing"))
    } else if doubles {
        let last = chars[n - 1];
        (format!("{lemma}{last}ed"), format!("{lemma}{last}ing"))
    } else {
        (format!("{lemma}ed"), format!("{lemma}ing"))
    };
    vec![past, third, gerund]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon(text: &str) -> Lexicon {
        let (records, errors) = parse_records(text, "test.tsv");
        assert!(errors.is_empty(), "{errors:?}");
        Lexicon::from_records(records)
    }

    #[test]
    fn inflects_regular_verbs() {
        assert_eq!(inflect("discuss"), vec!["discussed", "discusses", "discussing"]);
        assert_eq!(inflect("agree"), vec!["agreed", "agrees", "agreeing"]);
        assert_eq!(inflect("ban"), vec!["banned", "bans", "banning"]);
        assert_eq!(inflect("deny"), vec!["denied", "denies", "denying"]);
        assert_eq!(inflect("visit"), vec!["visited", "visits", "visiting"]);
    }

    #[test]
    fn bad_lines_are_reported_with_their_line() {
        let text = "country\tTurkey\tiso=TUR\n# comment\nplanet\tMars\ncountry\tX\tiso=xx\naction\tsay\tcameo=99\n";
        let (records, errors) = parse_records(text, "mine.tsv");
        assert_eq!(records.len(), 3);
        let messages: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(messages.iter().any(|m| m.starts_with("mine.tsv:3: unknown record type")));
        assert!(messages.iter().any(|m| m.starts_with("mine.tsv:4:") && m.contains("iso")));
        assert!(messages.iter().any(|m| m.starts_with("mine.tsv:5:") && m.contains("cameo")));
    }

    #[test]
    fn later_records_override_earlier_ones() {
        let lex = lexicon("issue\tceasefire\talias=truce\nissue\tceasefire\talias=armistice\n");
        assert!(lex.aliases_starting_with("truce").is_empty());
        assert_eq!(lex.aliases_starting_with("armistice").len(), 1);
    }

    #[test]
    fn office_holders_resolve_by_date() {
        let lex = lexicon(
            "person\tAnne Alpha\tcountry=AAA\toffice=president:2010-01-01..2015-06-01\n\
             person\tBen Beta\tcountry=AAA\toffice=president:2015-06-01..|prime minister:2012-01-01..2015-06-01\n",
        );
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        let name = |id: Option<LexId>| id.map(|i| lex.entity(i).entity.name.clone());
        assert_eq!(
            name(lex.office_holder("AAA", "president", date(2014, 1, 1))),
            Some("Anne Alpha".into())
        );
        assert_eq!(
            name(lex.office_holder("AAA", "president", date(2015, 6, 1))),
            Some("Ben Beta".into())
        );
        assert_eq!(lex.office_holder("AAA", "president", None), None);
        let ben = lex.office_holder("AAA", "president", date(2020, 1, 1)).expect("ben");
        assert_eq!(lex.roles_of(ben, date(2013, 1, 1)), vec!["prime minister"]);
    }

    #[test]
    fn actions_get_inflected_and_nominal_triggers() {
        let lex = lexicon("verb\thold\tforms=held|holds|holding\naction\tdiscuss\tcameo=040\tpattern=discuss|hold talks\tnoun=talks\n");
        let held = lex.triggers_starting_with("held");
        assert_eq!(held.len(), 1);
        assert_eq!(held[0].words, vec!["held", "talks"]);
        assert!(held[0].participle);
        assert!(lex.triggers_starting_with("discussed")[0].participle);
        assert!(lex.triggers_starting_with("talks")[0].nominal);
    }

    #[test]
    fn alias_case_rules_follow_the_lexicon_spelling() {
        let lex = lexicon(
            "country\tUnited States\tiso=USA\talias=US\nissue\tterrorism\talias=terrorists\n",
        );
        assert_eq!(lex.aliases_starting_with("us")[0].case, vec![CaseRule::Exact]);
        assert_eq!(lex.aliases_starting_with("united")[0].case, vec![CaseRule::Capitalised; 2]);
        assert_eq!(lex.aliases_starting_with("terrorists")[0].case, vec![CaseRule::Any]);
    }

    proptest::proptest! {
        /// Word bits never rule out words that are there.
        #[test]
        fn word_bits_hold_every_word_put_in(
            have in proptest::collection::vec("[a-z'-]{0,9}", 0..40),
            picked in proptest::collection::vec(0usize..40, 0..4),
        ) {
            let mut set = WordBits::default();
            for word in &have {
                set.insert(word);
            }
            let mut needed = WordBits::default();
            for &k in picked.iter().filter(|&&k| k < have.len()) {
                needed.insert(&have[k]);
            }
            proptest::prop_assert!(set.may_hold_all(&needed));
        }
    }

    #[test]
    fn word_bits_rule_out_a_missing_word() {
        let mut set = WordBits::default();
        set.insert("concerned");
        let mut needed = WordBits::default();
        needed.insert("concerned");
        assert!(set.may_hold_all(&needed));
        needed.insert("talks");
        assert!(!set.may_hold_all(&needed));
    }

    #[test]
    fn first_word_filters_pass_every_first_word() {
        let lex = Lexicon::embedded().map_err(|e| format!("{e:?}")).expect("embedded lexicon");
        for (word, triggers) in &lex.triggers {
            assert_eq!(lex.triggers_starting_with(word).len(), triggers.len(), "{word}");
        }
        for (word, aliases) in &lex.aliases {
            assert_eq!(lex.aliases_starting_with(word).len(), aliases.len(), "{word}");
        }
        assert!(lex.triggers_starting_with("zzyzx").is_empty());
        assert!(lex.triggers_starting_with("").is_empty());
    }

    #[test]
    fn embedded_lexicon_loads_without_errors() {
        let lex = Lexicon::embedded().map_err(|e| format!("{e:?}")).expect("embedded lexicon");
        assert!(lex.entity_count() > 300);
        assert!(lex.country("TUR").is_some());
        assert!(lex.action_count() > 50);
    }
}
