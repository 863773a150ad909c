//! Mentions: the spans of a sentence that name an entity, a role, a pair of parties or a
//! pronoun. Detection is dictionary-driven (the lexicon's aliases, longest match first) plus a
//! few general patterns for titles: `[the] ADJ TITLE [NAME]`, `TITLE NAME`, `TITLE of COUNTRY`,
//! `his ADJ counterpart`, `ADJ forces`, and `the two leaders`.

use crate::lexicon::{fingerprint, AliasTarget, CaseRule, LexId, Lexicon};
use crate::model::{Entity, EntityFields, EntityId, EntityKind};
use crate::text::{Token, WordMap};

use super::words::WordSet;

/// What a mention refers to before coreference is resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Referent {
    /// A known entity.
    Entity(Entity),
    /// An office: a role of a country, not named (`the Turkish President`).
    Office {
        /// The country.
        country: Entity,
        /// Role key.
        role: String,
    },
    /// `his Turkish counterpart`: the holder, in another country, of the speaker's office.
    Counterpart {
        /// The other country.
        country: Entity,
    },
    /// `the two leaders`, `the sides`: the two parties of the conversation in the article;
    /// `states` for `the two countries`, which are the parties' states.
    Pair {
        /// True when the phrase names countries or governments rather than people.
        states: bool,
    },
    /// A personal pronoun standing for an earlier actor.
    Pronoun(Pronoun),
    /// `they` after `A and B` in the same sentence: those parties.
    Group(Vec<Entity>),
    /// `his country`, `its government`: the state of the latest actor.
    OwnState,
    /// `the crown prince`, `the foreign minister`: a title without a country or a name, which
    /// stands for the person of the article who holds it.
    Title {
        /// Role key.
        role: String,
    },
    /// `the ministry`, `the Council`: the latest state or organisation named in the article.
    Definite(Definite),
}

/// What a definite description without a name refers back to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Definite {
    /// `the ministry`, `the spokesman`, `the embassy`: the latest state (or a person's state).
    State,
    /// `the country`, `the African country`: the latest state named, in any role.
    Country,
    /// `the Council`, `the bloc`, `the body`: the latest organisation whose name has that noun,
    /// else the latest organisation.
    Organization(String),
}

/// Nouns that, after `the`, stand for the latest state named.
static STATE_DEFINITES: WordSet = WordSet::new(&[
    "ministry",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "embassy",
    "government",
    "foreign",
    "presidency",
    "cabinet",
    "administration",
    "country",
    "nation",
]);

/// Nouns that, after `the`, stand for the latest organisation named.
static ORGANIZATION_DEFINITES: WordSet = WordSet::new(&[
    "council",
    "commission",
    "committee",
    "bloc",
    "body",
    "organization",
    "organisation",
    "alliance",
    "union",
    "league",
    "assembly",
    "secretariat",
    "mission",
]);

/// Pronouns that can stand for an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pronoun {
    /// he / she
    Person,
    /// they
    Plural,
    /// it
    Thing,
}

/// A span of tokens `[start, end)` and what it refers to.
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    /// First token.
    pub start: usize,
    /// One past the last token.
    pub end: usize,
    /// Referent.
    pub referent: Referent,
    /// The lexicon entry that produced it, for explanations.
    pub source: &'static str,
}

/// Nouns that, after a country adjective, stand for the country's state (`Turkish forces`).
static STATE_NOUNS: WordSet = WordSet::new(&[
    "forces",
    "troops",
    "army",
    "military",
    "side",
    "government",
    "authorities",
    "officials",
    "delegation",
    "ministry",
    "navy",
    "soldiers",
    "diplomats",
    "embassy",
    "leadership",
    "police",
    "guards",
    "administration",
    "ministers",
    "members",
    "court",
    "courts",
    "judiciary",
    "prosecutors",
    "lawmakers",
    "legislators",
    "negotiators",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "warplanes",
    "jets",
    "vessels",
    "ships",
    "coastguard",
    "statements",
    "statement",
    "remarks",
    "comments",
    "claims",
    "accusations",
    "allegations",
    "calls",
    "demands",
    "proposal",
    "proposals",
    "threats",
    "warnings",
    "criticism",
    "stance",
    "coast",
    "air",
    "foreign",
    "defence",
    "defense",
    "border",
    "security",
    "president's",
    "presidency",
    "cabinet",
    "parliament",
    "regime",
    "military's",
    "envoy",
    "ambassador",
    "officers",
    "units",
    "counterparts",
    "sides",
    "state",
]);

/// Words between a country or organisation and the noun of its body ("foreign affairs").
static BODY_MODIFIERS: WordSet = WordSet::new(&[
    "foreign", "affairs", "defence", "defense", "security", "armed", "border", "senior", "two",
    "interior", "trade", "finance", "economy", "top", "former", "new",
]);

/// Nouns that, after a country adjective, name a non-state side of that country.
static GROUP_NOUNS: WordSet = WordSet::new(&[
    "opposition",
    "rebels",
    "insurgents",
    "militants",
    "separatists",
    "militias",
    "militia",
]);

/// Words that refer to the two parties of an article's conversation after `the two` or `both`.
static PAIR_NOUNS: WordSet = WordSet::new(&[
    "leaders",
    "sides",
    "ministers",
    "presidents",
    "countries",
    "nations",
    "heads",
    "parties",
    "premiers",
    "governments",
    "delegations",
    "chiefs",
    "counterparts",
    "officials",
]);

/// Words that a capitalised name of a person cannot be.
static NOT_NAME_WORDS: WordSet = WordSet::new(&[
    "The",
    "A",
    "An",
    "On",
    "In",
    "At",
    "And",
    "But",
    "He",
    "She",
    "It",
    "They",
    "His",
    "Her",
    "Their",
    "Its",
    "This",
    "That",
    "During",
    "After",
    "Before",
    "While",
    "According",
    "Meanwhile",
    "Also",
    "However",
    "For",
    "With",
    "From",
    "To",
    "Of",
    "By",
    // Title-case headlines capitalise prepositions too ("… Following Border Clash").
    "Following",
    "Over",
    "Amid",
    "Against",
    "Despite",
    "Ahead",
    "Under",
    "Near",
    "Between",
    "Since",
    "Until",
    "Without",
    "About",
    "As",
]);

/// Mentions of one sentence, left to right, non-overlapping.
pub fn find_mentions(tokens: &[Token], lexicon: &Lexicon, local: &LocalNames) -> Vec<Mention> {
    let mut mentions = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Most words start no mention: they are turned away here, without a call into the
        // patterns (whose set-up costs more than this test).
        if !may_start_mention(tokens, i, lexicon) {
            i += 1;
            continue;
        }
        if let Some(mention) = mention_at(tokens, i, lexicon, local) {
            i = mention.end.max(i + 1);
            mentions.push(mention);
        } else {
            i += 1;
        }
    }
    mentions
}

/// Names introduced in an article with a title (`Foreign Minister Jane Roe`) that the lexicon
/// does not know, so that the surname alone resolves later in the same article.
#[derive(Debug, Clone, Default)]
pub struct LocalNames {
    /// Folded name words → entity, grouped by first word: a lookup at a token costs one hash
    /// of that token and no allocation.
    by_first: WordMap<String, Vec<(Vec<String>, Entity)>>,
    /// The first word of each name, in the order the names were added: its length is the
    /// version that [`LocalNames::learnt_since`] compares against.
    added: Vec<String>,
}

/// The longest local name looked for, in words.
const LOCAL_NAME_WORDS: usize = 4;

impl LocalNames {
    /// Registers an entity under its full name (folded) and, when `surname`, its last word.
    /// A name already registered keeps its entity.
    pub fn add(&mut self, full_name_words: &[String], entity: Entity, surname: bool) {
        self.insert(full_name_words, &entity);
        if let Some(last) = full_name_words.last().filter(|_| surname) {
            self.insert(std::slice::from_ref(last), &entity);
        }
    }

    fn insert(&mut self, words: &[String], entity: &Entity) {
        let Some(first) = words.first() else { return };
        let names = self.by_first.entry(first.clone()).or_default();
        if !names.iter().any(|(known, _)| known == words) {
            names.push((words.to_vec(), entity.clone()));
            self.added.push(first.clone());
        }
    }

    /// Changes whenever a name is added.
    pub fn version(&self) -> usize {
        self.added.len()
    }

    /// True when a name added after `version` starts with one of `tokens`: only then can the
    /// sentence's mentions differ from those found at `version`.
    pub fn learnt_since(&self, version: usize, tokens: &[Token]) -> bool {
        let added = self.added.get(version..).unwrap_or_default();
        !added.is_empty() && tokens.iter().any(|t| added.iter().any(|word| word == t.norm()))
    }

    fn longest_at(&self, tokens: &[Token], start: usize) -> Option<(usize, Entity)> {
        let token = tokens.get(start)?;
        if !token.is_capitalised() {
            return None;
        }
        let candidates = self.by_first.get(token.norm())?;
        let rest = &tokens[start..];
        candidates
            .iter()
            .filter(|(words, _)| words.len() <= LOCAL_NAME_WORDS.min(rest.len()))
            .filter(|(words, _)| words.iter().zip(rest).all(|(w, t)| *w == t.norm))
            .max_by_key(|(words, _)| words.len())
            .map(|(words, entity)| (start + words.len(), entity.clone()))
    }
}

/// True when the alias `words` (with their `case` rules) is written at `start`; the first
/// word is known to be the token's already (the aliases were looked up by it), so only its case
/// is checked.
fn alias_matches(tokens: &[Token], start: usize, words: &[String], case: &[CaseRule]) -> bool {
    let Some(span) = tokens.get(start..start + words.len()) else {
        return false;
    };
    // The words before the case rules: the aliases sharing a first word ("republic of …",
    // "united nations …") mostly differ at the second, and a length compares before any byte.
    span.iter().zip(words).skip(1).all(|(token, word)| token.norm() == word)
        && span.iter().zip(case).all(|(token, rule)| match rule {
            CaseRule::Any => true,
            CaseRule::Capitalised => token.is_capitalised(),
            CaseRule::Exact => {
                token.text.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase)
            }
        })
}

/// The longest lexicon alias at `start`: its end and target.
pub fn lexicon_match(
    tokens: &[Token],
    start: usize,
    lexicon: &Lexicon,
) -> Option<(usize, AliasTarget)> {
    let token = tokens.get(start)?;
    *token.lexicon_match.get_or_init(|| {
        let aliases = lexicon.aliases_for_token(&token.norm, token.is_capitalised());
        if aliases.is_empty() {
            return None;
        }
        // An alias of two or more words can match only if its second word's fingerprint is
        // the next token's: a test that rules out nearly all of a long list such as `the …`.
        let next = tokens.get(start + 1).map(|t| fingerprint(t.norm()));
        aliases
            .iter()
            .filter(|alias| alias.words.len() < 2 || next == Some(alias.second))
            .find(|alias| alias_matches(tokens, start, &alias.words, &alias.case))
            .map(|alias| (start + alias.words.len(), alias.target))
    })
}

/// A country given by adjective, name or possessive (`Turkish`, `Turkey`, `Turkey's`).
fn country_at(tokens: &[Token], start: usize, lexicon: &Lexicon) -> Option<(usize, LexId)> {
    let (end, target) = lexicon_match(tokens, start, lexicon)?;
    let id = match target {
        AliasTarget::Adjective(id) => id,
        AliasTarget::Entity(id) if lexicon.entity(id).entity.kind == EntityKind::State => id,
        _ => return None,
    };
    let end = if tokens.get(end).is_some_and(|t| t.norm == "'s") { end + 1 } else { end };
    Some((end, id))
}

fn role_at(tokens: &[Token], start: usize, lexicon: &Lexicon) -> Option<(usize, usize)> {
    match lexicon_match(tokens, start, lexicon)? {
        (end, AliasTarget::Role(role)) => Some((end, role)),
        _ => None,
    }
}

/// A capitalised person name of one to four words at `start`.
fn name_at(tokens: &[Token], start: usize) -> Option<usize> {
    let mut end = start;
    while end < tokens.len() && end - start < 4 {
        let token = &tokens[end];
        let is_name_word = token.is_capitalised()
            && token.is_word()
            && !NOT_NAME_WORDS.contains(token.text)
            && token.text.chars().any(char::is_lowercase);
        let is_particle = end > start
            && matches!(token.norm(), "bin" | "al" | "al-" | "de" | "van" | "von" | "da" | "el")
            && tokens.get(end + 1).is_some_and(Token::is_capitalised);
        if !(is_name_word || is_particle) {
            break;
        }
        end += 1;
    }
    // A single initial pattern like "J. P. Singh" is written as capitalised words too.
    (end > start).then_some(end)
}

/// Last words that make an unknown name an organisation.
static ORGANIZATION_HEADS: WordSet = WordSet::new(&[
    "council",
    "ministry",
    "bank",
    "committee",
    "commission",
    "agency",
    "office",
    "court",
    "assembly",
    "parliament",
    "party",
    "union",
    "organization",
    "organisation",
    "authority",
    "service",
    "television",
    "corporation",
    "company",
    "association",
    "institute",
    "fund",
    "secretariat",
    "mission",
    "delegation",
    "coalition",
    "alliance",
    "government",
    "senate",
    "congress",
    "cabinet",
    "league",
    "forum",
]);

/// Last words that make an unknown name a place.
static PLACE_HEADS: WordSet = WordSet::new(&[
    "valley",
    "river",
    "sea",
    "island",
    "islands",
    "strait",
    "straits",
    "mountains",
    "mountain",
    "province",
    "region",
    "state",
    "district",
    "county",
    "city",
    "heights",
    "shoal",
    "bay",
    "gulf",
    "peninsula",
    "lake",
    "desert",
    "springs",
    "pass",
    "plateau",
    "corridor",
    "crossing",
    "port",
    "airport",
    "base",
    "governorate",
    "oblast",
    "square",
]);

/// Last words that make an unknown name a thing talked about (`Maitree Power Project`).
static ISSUE_HEADS: WordSet = WordSet::new(&[
    "project",
    "programme",
    "program",
    "plan",
    "initiative",
    "agreement",
    "treaty",
    "accord",
    "declaration",
    "dam",
    "pipeline",
    "deal",
    "process",
    "summit",
    "conference",
    "strategy",
    "partnership",
    "convention",
    "protocol",
    "memorandum",
    "understanding",
    "roadmap",
    "clash",
    "clashes",
    "crisis",
    "conflict",
    "war",
    "dispute",
    "incident",
    "standoff",
]);

/// Words after an unknown name that make it a place (`the Gogra-Hot Springs area`).
static PLACE_AFTER: WordSet = WordSet::new(&[
    "area", "region", "sector", "zone", "province", "district", "border", "city", "town", "village",
]);

/// Last words that make an unknown name an armed group.
static GROUP_HEADS: WordSet = WordSet::new(&[
    "front", "army", "movement", "brigade", "brigades", "militia", "forces", "rebels",
]);

/// Words after `Name,` that make the name a person (`Jane Roe, the ministry's spokeswoman`).
static PERSON_NOUNS: WordSet = WordSet::new(&[
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "minister",
    "ambassador",
    "envoy",
    "official",
    "chief",
    "head",
    "adviser",
    "advisor",
    "secretary",
    "director",
    "governor",
    "commander",
    "general",
    "president",
    "chairman",
    "chairperson",
    "leader",
    "deputy",
    "representative",
]);

/// Capitalised words that end the name of an agreement, plan or forum.
static DOCUMENT_HEADS: WordSet = WordSet::new(&[
    "declaration",
    "agreement",
    "agreements",
    "accord",
    "accords",
    "treaty",
    "protocol",
    "process",
    "plan",
    "initiative",
    "summit",
    "dialogue",
    "format",
    "memorandum",
    "charter",
    "communique",
    "convention",
    "framework",
    "understanding",
    "roadmap",
    "pact",
    "deal",
]);

/// A quoted title of capitalised words, with a document word after it (`the "Friendly
/// Relations and Good Neighbourliness" declaration`): an issue named by the quote.
fn quoted_name(tokens: &[Token], i: usize) -> Option<Mention> {
    if tokens[i].norm != "\"" {
        return None;
    }
    let close = (i + 1..tokens.len().min(i + 12)).find(|&k| tokens[k].norm == "\"")?;
    let inner = &tokens[i + 1..close];
    let all_title = !inner.is_empty()
        && inner.iter().all(|t| {
            (t.is_capitalised() && t.is_word())
                || matches!(t.norm(), "and" | "of" | "on" | "for" | "the")
        })
        && inner.first().is_some_and(Token::is_capitalised);
    let head = tokens.get(close + 1).filter(|t| DOCUMENT_HEADS.contains(t.norm()))?;
    if !all_title {
        return None;
    }
    let words: Vec<&str> = inner.iter().map(|t| t.text).collect();
    let name = format!("{} {}", words.join(" "), head.text.to_lowercase());
    let entity = Entity::from(EntityFields {
        id: EntityId::new(EntityKind::Issue, &name),
        name,
        kind: EntityKind::Issue,
        country: None,
    });
    Some(Mention {
        start: i,
        end: close + 2,
        referent: Referent::Entity(entity),
        source: "quoted document title",
    })
}

/// A named document or forum that begins with a place (`Athens Declaration on Friendly
/// Relations`, `Minsk Protocol`): one issue entity rather than a place and loose words.
fn document_name(tokens: &[Token], i: usize, place_end: Option<usize>) -> Option<Mention> {
    let place_end = place_end?;
    let head = tokens.get(place_end)?;
    if !head.is_capitalised() || !DOCUMENT_HEADS.contains(head.norm()) {
        return None;
    }
    let mut end = place_end + 1;
    // "on Friendly Relations and Good Neighbourliness": connectors followed by capitals.
    while let Some(t) = tokens.get(end) {
        let connector = matches!(t.norm(), "on" | "of" | "and" | "for")
            && tokens.get(end + 1).is_some_and(|n| n.is_capitalised() && n.is_word());
        if t.is_capitalised() && t.is_word() {
            end += 1;
        } else if connector {
            end += 2;
        } else {
            break;
        }
    }
    let name = tokens[i..end].iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
    let entity = Entity::from(EntityFields {
        id: EntityId::new(EntityKind::Issue, &name),
        name,
        kind: EntityKind::Issue,
        country: None,
    });
    Some(Mention { start: i, end, referent: Referent::Entity(entity), source: "named document" })
}

/// A capitalised name of two to four words that the lexicon does not know: an organisation,
/// an armed group or a person when its words say so, otherwise an entity of unknown kind.
fn unknown_name(tokens: &[Token], i: usize, lexicon: &Lexicon) -> Option<Mention> {
    let is_word = |k: usize| {
        tokens.get(k).is_some_and(|t| {
            t.is_capitalised()
                && t.is_word()
                && t.text.chars().any(char::is_lowercase)
                && !NOT_NAME_WORDS.contains(t.text)
                && !super::dates::is_calendar_word(&t.norm)
                && t.norm != "meanwhile"
        })
    };
    if !is_word(i) || role_at(tokens, i, lexicon).is_some() {
        return None;
    }
    let mut end = i + 1;
    while end - i < 5 {
        let particle = matches!(
            tokens.get(end).map(|t| t.norm()),
            Some("bin" | "al" | "de" | "of" | "el" | "da" | "van" | "von")
        ) && is_word(end + 1);
        if !(is_word(end) || particle) || lexicon_match(tokens, end, lexicon).is_some() {
            break;
        }
        end += if particle { 2 } else { 1 };
    }
    // A title is not a name ("Affairs Minister" in "the External Affairs Minister").
    if end - i < 2 || tokens[i..end].iter().any(|t| PERSON_NOUNS.contains(t.norm())) {
        return None;
    }
    let head = tokens[end - 1].norm();
    let mut country = None;
    let next = tokens.get(end).map_or("", |t| t.norm());
    let kind = if PLACE_HEADS.contains(head) || PLACE_AFTER.contains(next) {
        EntityKind::Place
    } else if ISSUE_HEADS.contains(head) {
        EntityKind::Issue
    } else if ORGANIZATION_HEADS.contains(head) {
        EntityKind::Organization
    } else if GROUP_HEADS.contains(head) {
        EntityKind::Group
    } else if tokens.get(end).is_some_and(|t| t.norm == ",")
        && tokens[end + 1..tokens.len().min(end + 8)]
            .iter()
            .any(|t| PERSON_NOUNS.contains(t.norm()))
    {
        // Apposition: the country of the title, when it names one, is the person's.
        country = (end + 1..tokens.len().min(end + 8)).find_map(|k| country_at(tokens, k, lexicon));
        EntityKind::Person
    } else {
        EntityKind::Unknown
    };
    let name = tokens[i..end].iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
    let entity = Entity::from(EntityFields {
        id: EntityId::new(kind, &name),
        name,
        kind,
        country: country.and_then(|(_, id)| lexicon.entity(id).entity.country.clone()),
    });
    Some(Mention {
        start: i,
        end,
        referent: Referent::Entity(entity),
        source: "unknown capitalised name",
    })
}

fn entity_of(lexicon: &Lexicon, id: LexId) -> Entity {
    lexicon.entity(id).entity.clone()
}

/// The lower-case words a mention pattern may begin with: pair phrases (`the two leaders`,
/// `both sides`), possessives (`his counterpart`, `its government`), pronouns and the quotation
/// mark of a quoted document name.
static MENTION_STARTS: WordSet =
    WordSet::new(&["the", "both", "his", "her", "their", "its", "he", "she", "they", "it", "\""]);

/// False when no mention can start at token `i`: a word in lower case that starts no lexicon
/// name and is none of the words the phrase patterns of [`mention_at`] begin with (every other
/// pattern needs a capital, a quotation mark or a lexicon name there).
#[inline]
fn may_start_mention(tokens: &[Token], i: usize, lexicon: &Lexicon) -> bool {
    tokens.get(i).is_some_and(|token| {
        token.is_capitalised()
            || MENTION_STARTS.contains(token.norm())
            || lexicon_match(tokens, i, lexicon).is_some()
    })
}

/// The mention starting at token `i`, which [`may_start_mention`] lets through.
fn mention_at(
    tokens: &[Token],
    i: usize,
    lexicon: &Lexicon,
    local: &LocalNames,
) -> Option<Mention> {
    if i >= tokens.len() {
        return None;
    }
    let norm = |k: usize| tokens.get(k).map_or("", |t| t.norm());
    // No pattern may reach past the sentence, whatever it looked ahead at.
    let mention = |end: usize, referent, source| {
        Some(Mention { start: i, end: end.min(tokens.len()), referent, source })
    };

    // `the two leaders`, `both sides`, `the leaders`.
    let pair = |noun: &str| Referent::Pair {
        states: matches!(noun, "countries" | "nations" | "governments" | "states"),
    };
    if norm(i) == "the" && norm(i + 1) == "two" && PAIR_NOUNS.contains(norm(i + 2)) {
        return mention(i + 3, pair(norm(i + 2)), "pair phrase");
    }
    if norm(i) == "both" && PAIR_NOUNS.contains(norm(i + 1)) {
        return mention(i + 2, pair(norm(i + 1)), "pair phrase");
    }
    // "the governments of the two countries", "the leaders of both countries".
    if norm(i) == "the"
        && matches!(norm(i + 1), "governments" | "leaders" | "heads" | "presidents" | "ministers")
        && norm(i + 2) == "of"
    {
        let pair_at = |k: usize| {
            (norm(k) == "the" && norm(k + 1) == "two" && PAIR_NOUNS.contains(norm(k + 2)))
                .then_some(k + 3)
                .or_else(|| {
                    (norm(k) == "both" && PAIR_NOUNS.contains(norm(k + 1))).then_some(k + 2)
                })
        };
        if let Some(end) = pair_at(i + 3) {
            let states = norm(i + 1) == "governments";
            return mention(end, Referent::Pair { states }, "pair phrase");
        }
    }
    if norm(i) == "the" && matches!(norm(i + 1), "leaders" | "sides" | "ministers" | "presidents") {
        return mention(i + 2, pair(norm(i + 1)), "pair phrase");
    }
    // `his Turkish counterpart`, `Turkish counterpart`, `his counterpart from Turkey`.
    let after_possessive =
        if matches!(norm(i), "his" | "her" | "their" | "its" | "the") { i + 1 } else { i };
    if let Some((end, country)) = country_at(tokens, after_possessive, lexicon) {
        if matches!(norm(end), "counterpart" | "counterparts" | "colleague" | "colleagues") {
            // "his Japanese counterpart Yoko Kamikawa": the name that follows is the person.
            let after = end + 1;
            let title = role_at(tokens, after, lexicon).map_or(after, |(e, _)| e);
            if let Some((name_end, AliasTarget::Entity(id))) = lexicon_match(tokens, title, lexicon)
            {
                if lexicon.entity(id).entity.kind == EntityKind::Person {
                    let referent = Referent::Entity(entity_of(lexicon, id));
                    return mention(name_end, referent, "counterpart phrase + known name");
                }
            }
            if let Some((name_end, entity)) = local.longest_at(tokens, title) {
                return mention(name_end, Referent::Entity(entity), "counterpart phrase + name");
            }
            let country = entity_of(lexicon, country);
            return mention(end + 1, Referent::Counterpart { country }, "counterpart phrase");
        }
    }
    // `the ministry`, `the Council`, `the Pan-African body`: the latest state or organisation.
    if norm(i) == "the" {
        let mut k = i + 1;
        // Skip modifiers such as "Pan-African" or "foreign affairs".
        while k < tokens.len()
            && k < i + 3
            && !STATE_DEFINITES.contains(norm(k))
            && !ORGANIZATION_DEFINITES.contains(norm(k))
            && tokens[k].is_word()
            && (!tokens[k].is_capitalised()
                || tokens[k].text.contains('-')
                // "the African country": a capitalised adjective before a definite noun.
                || STATE_DEFINITES.contains(norm(k + 1)))
            && lexicon_match(tokens, k, lexicon).is_none()
        {
            k += 1;
        }
        let head_end = if norm(k) == "foreign" && matches!(norm(k + 1), "ministry" | "office") {
            k + 2
        } else {
            k + 1
        };
        let followed_by_of = norm(head_end) == "of";
        if !followed_by_of && matches!(norm(k), "country" | "nation") {
            return mention(
                k + 1,
                Referent::Definite(Definite::Country),
                "definite description of a country",
            );
        }
        if !followed_by_of && STATE_DEFINITES.contains(norm(k)) && norm(k) != "foreign"
            || head_end == k + 2
        {
            return mention(
                head_end,
                Referent::Definite(Definite::State),
                "definite description of a state",
            );
        }
        if !followed_by_of && ORGANIZATION_DEFINITES.contains(norm(k)) {
            return mention(
                k + 1,
                Referent::Definite(Definite::Organization(norm(k).to_string())),
                "definite description of an organisation",
            );
        }
    }
    // `his country`, `their government`.
    if matches!(norm(i), "his" | "her" | "its" | "their")
        && matches!(norm(i + 1), "country" | "government" | "nation")
    {
        return mention(i + 2, Referent::OwnState, "possessive + country");
    }
    // Pronouns.
    let pronoun = match tokens[i].text {
        "he" | "He" | "she" | "She" => Some(Pronoun::Person),
        "they" | "They" => Some(Pronoun::Plural),
        "it" | "It" => Some(Pronoun::Thing),
        _ => None,
    };
    if let Some(pronoun) = pronoun {
        return mention(i + 1, Referent::Pronoun(pronoun), "pronoun");
    }
    // `[the] ADJ|COUNTRY['s] TITLE [NAME]`.
    let start = if norm(i) == "the" { i + 1 } else { i };
    if let Some((after_country, country)) = country_at(tokens, start, lexicon) {
        if let Some((after_role, role)) = role_at(tokens, after_country, lexicon) {
            let country = entity_of(lexicon, country);
            return titled_person(
                tokens,
                i,
                after_role,
                Some(country),
                lexicon.role(role),
                lexicon,
                local,
            );
        }
    }
    // `[the] TITLE of COUNTRY` and `TITLE NAME`.
    if let Some((after_role, role)) = role_at(tokens, start, lexicon) {
        if norm(after_role) == "of" {
            if let Some((end, country)) = country_at(tokens, after_role + 1, lexicon) {
                let country = entity_of(lexicon, country);
                return titled_person(
                    tokens,
                    i,
                    end,
                    Some(country),
                    lexicon.role(role),
                    lexicon,
                    local,
                )
                .map(|m| Mention { end: m.end.max(end), ..m });
            }
        }
        if tokens.get(after_role).is_some_and(Token::is_capitalised) {
            return titled_person(tokens, i, after_role, None, lexicon.role(role), lexicon, local);
        }
        // `the crown prince praised …`: a bare title refers back to its holder. Leaders and
        // officers are too many to pick one; `the leaders` is a pair phrase.
        let role = lexicon.role(role);
        if start > i && norm(after_role) != "of" && !matches!(role, "leader" | "officer") {
            return mention(
                after_role,
                Referent::Title { role: role.to_string() },
                "definite title",
            );
        }
    }
    if let Some(quoted) = quoted_name(tokens, i) {
        return Some(quoted);
    }
    let lexicon_hit = lexicon_match(tokens, i, lexicon);
    if let Some(document) = document_name(tokens, i, lexicon_hit.map(|(end, _)| end)) {
        return Some(document);
    }
    if let Some((end, entity)) = local.longest_at(tokens, i) {
        // A longer lexicon name wins ("African Union" over a local "African").
        if lexicon_hit.is_none_or(|(lex_end, _)| lex_end < end) {
            return mention(end, Referent::Entity(entity), "name introduced in the article");
        }
    }
    let Some((end, target)) = lexicon_hit else {
        return unknown_name(tokens, i, lexicon);
    };
    match target {
        AliasTarget::Entity(id) => {
            let entity = entity_of(lexicon, id);
            // `US diplomats`, `Russia's foreign ministry`: the state's own people and bodies.
            let after = if norm(end) == "'s" { end + 1 } else { end };
            // Up to two modifiers: "EU foreign affairs ministers", "US senior diplomats".
            let mut noun_at = after;
            while noun_at < after + 2 && BODY_MODIFIERS.contains(norm(noun_at)) {
                noun_at += 1;
            }
            let body_of = matches!(entity.kind, EntityKind::State | EntityKind::Organization);
            let end =
                if body_of && STATE_NOUNS.contains(norm(noun_at)) { noun_at + 1 } else { end };
            mention(end, Referent::Entity(entity), "lexicon alias")
        }
        AliasTarget::Seat(id) => {
            mention(end, Referent::Entity(entity_of(lexicon, id)), "capital or seat of government")
        }
        AliasTarget::Adjective(id) => {
            let end = if norm(end) == "'s" { end + 1 } else { end };
            // `Azeri and Armenian forces`: the first adjective borrows the noun of the second.
            let mut noun_at = end;
            if norm(end) == "and" {
                if let Some((after, _)) = country_at(tokens, end + 1, lexicon) {
                    noun_at = after;
                }
            }
            let skip_modifier = usize::from(matches!(
                norm(noun_at),
                "foreign" | "defence" | "defense" | "security" | "armed" | "border"
            ));
            let noun = norm(noun_at + skip_modifier);
            // `Turkish and Greek leaders`: a title after the adjectives makes them offices.
            if let Some((_, role)) = role_at(tokens, noun_at, lexicon) {
                let country = entity_of(lexicon, id);
                let referent = Referent::Office { country, role: lexicon.role(role).to_string() };
                return mention(end, referent, "country adjective + shared title");
            }
            if STATE_NOUNS.contains(norm(noun_at)) || STATE_NOUNS.contains(noun) {
                let end = if noun_at == end { noun_at + 1 + skip_modifier } else { end };
                let entity = entity_of(lexicon, id);
                if entity.kind == EntityKind::State || entity.kind == EntityKind::Organization {
                    return mention(
                        end,
                        Referent::Entity(entity),
                        "country adjective + state noun",
                    );
                }
            }
            // "the Syrian opposition", "Houthi rebels": a country's non-state side.
            if noun_at == end && GROUP_NOUNS.contains(norm(noun_at)) {
                let country = entity_of(lexicon, id);
                if country.kind == EntityKind::State {
                    let name = format!("{} {}", tokens[i].text, tokens[noun_at].text);
                    let group = Entity::from(EntityFields {
                        id: EntityId::new(EntityKind::Group, &name),
                        name,
                        kind: EntityKind::Group,
                        country: country.country.clone(),
                    });
                    return mention(
                        noun_at + 1,
                        Referent::Entity(group),
                        "country adjective + group noun",
                    );
                }
            }
            None
        }
        AliasTarget::Role(_) => None,
    }
}

/// The role key of a title inside a mention or just before it, with an optional comma
/// (`President Jane Roe`, `the Director General, Jane Roe`).
pub fn title_of(tokens: &[Token], mention: &Mention, lexicon: &Lexicon) -> Option<String> {
    let from = mention.start.saturating_sub(12);
    (from..mention.end).find_map(|k| {
        let (end, role) = role_at(tokens, k, lexicon)?;
        // "the Director General (South Asia), Jane Roe": a parenthesis may stand between.
        let mut next = end;
        if tokens.get(next).is_some_and(|t| t.norm == "(") {
            next = (next..mention.start).find(|&j| tokens[j].norm == ")").map_or(next, |j| j + 1);
        }
        let adjacent = end <= mention.end && k >= mention.start
            || next == mention.start
            || (next + 1 == mention.start && tokens[next].norm == ",");
        adjacent.then(|| lexicon.role(role).to_string())
    })
}

/// A person given by title: named (`President Jane Roe`), or an office (`the Turkish President`).
#[allow(clippy::too_many_arguments)]
fn titled_person(
    tokens: &[Token],
    start: usize,
    after_role: usize,
    country: Option<Entity>,
    role: &str,
    lexicon: &Lexicon,
    local: &LocalNames,
) -> Option<Mention> {
    // A known person right after the title.
    if let Some((end, AliasTarget::Entity(id))) =
        tokens.get(after_role).and_then(|_| lexicon_match(tokens, after_role, lexicon))
    {
        if lexicon.entity(id).entity.kind == EntityKind::Person {
            let referent = Referent::Entity(entity_of(lexicon, id));
            return Some(Mention { start, end, referent, source: "title + known name" });
        }
    }
    if let Some((end, entity)) =
        tokens.get(after_role).and_then(|_| local.longest_at(tokens, after_role))
    {
        return Some(Mention {
            start,
            end,
            referent: Referent::Entity(entity),
            source: "title + name",
        });
    }
    if let Some(end) = name_at(tokens, after_role) {
        // A name the lexicon does not know; a country lexicon match is not a name.
        if lexicon_match(tokens, after_role, lexicon).is_none() {
            let name: Vec<&str> = tokens[after_role..end].iter().map(|t| t.text).collect();
            let name = name.join(" ");
            let entity = Entity::from(EntityFields {
                id: EntityId::new(EntityKind::Person, &name),
                name,
                kind: EntityKind::Person,
                country: country.as_ref().and_then(|c| c.country.clone()),
            });
            return Some(Mention {
                start,
                end,
                referent: Referent::Entity(entity),
                source: "title + new name",
            });
        }
    }
    let country = country?;
    let referent = Referent::Office { country, role: role.to_string() };
    Some(Mention { start, end: after_role, referent, source: "country + title" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::parse_records;
    use crate::text::tokenize;

    /// [`lexicon_match`] before the second-word filter: every alias with the first word tried.
    fn lexicon_match_scanning(
        tokens: &[Token],
        start: usize,
        lexicon: &Lexicon,
    ) -> Option<(usize, AliasTarget)> {
        let token = tokens.get(start)?;
        lexicon
            .aliases_starting_with(&token.norm)
            .iter()
            .find(|alias| alias_matches(tokens, start, &alias.words, &alias.case))
            .map(|alias| (start + alias.words.len(), alias.target))
    }

    /// Words that start, continue and almost continue the embedded lexicon's aliases.
    const ALIAS_WORDS: &[&str] = &[
        "the",
        "foreign",
        "minister",
        "new",
        "islamic",
        "state",
        "european",
        "union",
        "9",
        "The",
        "Kremlin",
        "kremlin",
        "Hague",
        "United",
        "united",
        "States",
        "Nations",
        "Kingdom",
        "Arab",
        "Emirates",
        "Republic",
        "republic",
        "of",
        "Congo",
        "Korea",
        "South",
        "North",
        "Sudan",
        "US",
        "us",
        "U.S.",
        "UN",
        "EU",
        "European",
        "Union",
        "Commission",
        "King",
        "Abdullah",
        "Mohammed",
        "bin",
        "Salman",
        "New",
        "Zealand",
        "Delhi",
        "White",
        "House",
        "Islamic",
        "State",
        "said",
        "and",
        ",",
        "'s",
        "Turkish",
        "Foreign",
        "Minister",
    ];

    proptest::proptest! {
        #[test]
        fn lexicon_match_agrees_with_a_scan_of_every_alias(
            words in proptest::collection::vec(0..ALIAS_WORDS.len(), 1..8),
        ) {
            let lex = embedded();
            let text: Vec<&str> = words.iter().map(|&w| ALIAS_WORDS[w]).collect();
            let text = text.join(" ");
            let tokens = tokenize(&text);
            for start in 0..tokens.len() {
                proptest::prop_assert_eq!(
                    lexicon_match(&tokens, start, lex),
                    lexicon_match_scanning(&tokens, start, lex),
                    "{} at {}", text, start
                );
            }
        }
    }

    fn embedded() -> &'static Lexicon {
        static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        LEXICON.get_or_init(|| Lexicon::embedded().expect("the embedded lexicon loads"))
    }

    fn lexicon() -> Lexicon {
        let text = "country\tTurkey\tiso=TUR\tadj=Turkish\tcapital=Ankara\n\
                    country\tRussia\tiso=RUS\tadj=Russian\tseat=the Kremlin\n\
                    country\tArmenia\tiso=ARM\tadj=Armenian\n\
                    country\tAzerbaijan\tiso=AZE\tadj=Azerbaijani|Azeri\n\
                    role\tpresident\talias=President\n\
                    role\tforeign minister\talias=Foreign Minister\n\
                    person\tVladimir Putin\talias=Putin\tcountry=RUS\toffice=president:2012-05-07..\n";
        let (records, errors) = parse_records(text, "t");
        assert!(errors.is_empty());
        Lexicon::from_records(records)
    }

    fn describe(sentence: &str) -> Vec<String> {
        let lex = lexicon();
        let tokens = tokenize(sentence);
        find_mentions(&tokens, &lex, &LocalNames::default())
            .into_iter()
            .map(|m| {
                let text: Vec<&str> = tokens[m.start..m.end].iter().map(|t| t.text).collect();
                let what = match m.referent {
                    Referent::Entity(e) => e.name.clone(),
                    Referent::Office { country, role } => format!("{role} of {}", country.name),
                    Referent::Counterpart { country } => format!("counterpart in {}", country.name),
                    Referent::Pair { .. } => "pair".into(),
                    Referent::Pronoun(_) => "pronoun".into(),
                    Referent::OwnState => "own state".into(),
                    Referent::Definite(_) => "definite".into(),
                    Referent::Title { role } => format!("the {role}"),
                    Referent::Group(members) => format!("group of {}", members.len()),
                };
                format!("{} => {what}", text.join(" "))
            })
            .collect()
    }

    #[test]
    fn lower_case_words_start_mentions_only_through_the_pattern_words() {
        assert!(describe("talks ended without a deal and were adjourned.").is_empty());
        assert_eq!(
            describe("both sides met, and then the two leaders spoke; she said it helped."),
            vec![
                "both sides => pair",
                "the two leaders => pair",
                "she => pronoun",
                "it => pronoun"
            ]
        );
        assert_eq!(
            describe("talks with their government resumed."),
            vec!["their government => own state"]
        );
    }

    #[test]
    fn title_and_known_name_is_the_person() {
        assert_eq!(
            describe("Russian President Vladimir Putin spoke."),
            vec!["Russian President Vladimir Putin => Vladimir Putin"]
        );
    }

    #[test]
    fn title_and_unknown_name_is_a_new_person() {
        assert_eq!(
            describe("Turkish Foreign Minister Ali Veli arrived."),
            vec!["Turkish Foreign Minister Ali Veli => Ali Veli"]
        );
    }

    #[test]
    fn counterpart_and_office_phrases() {
        assert_eq!(
            describe("He called his Turkish counterpart and the Turkish President."),
            vec![
                "He => pronoun",
                "his Turkish counterpart => counterpart in Turkey",
                "the Turkish President => president of Turkey"
            ]
        );
    }

    #[test]
    fn adjectives_with_state_nouns_and_seats() {
        assert_eq!(
            describe("Clashes between Azeri and Armenian forces worried the Kremlin and Ankara."),
            vec![
                "Azeri => Azerbaijan",
                "Armenian forces => Armenia",
                "the Kremlin => Russia",
                "Ankara => Turkey"
            ]
        );
        assert!(describe("Turkish coffee is popular.").is_empty());
    }

    #[test]
    fn pair_phrases() {
        assert_eq!(
            describe("The two leaders agreed, and both sides left."),
            vec!["The two leaders => pair", "both sides => pair"]
        );
    }

    #[test]
    fn surnames_introduced_in_the_article_resolve() {
        let lex = lexicon();
        let mut local = LocalNames::default();
        let entity = Entity::from(EntityFields {
            id: EntityId::new(EntityKind::Person, "Ali Veli"),
            name: "Ali Veli".into(),
            kind: EntityKind::Person,
            country: Some("TUR".into()),
        });
        local.add(&["ali".into(), "veli".into()], entity, true);
        let tokens = tokenize("Veli said so.");
        let mentions = find_mentions(&tokens, &lex, &local);
        assert_eq!(mentions.len(), 1);
        assert!(matches!(&mentions[0].referent, Referent::Entity(e) if e.name == "Ali Veli"));
    }

    #[test]
    fn names_learnt_later_matter_only_to_sentences_with_their_words() {
        let mut local = LocalNames::default();
        let before = local.version();
        let entity = Entity::from(EntityFields {
            id: EntityId::new(EntityKind::Person, "Mara Kovac"),
            name: "Mara Kovac".into(),
            kind: EntityKind::Person,
            country: None,
        });
        local.add(&["mara".into(), "kovac".into()], entity.clone(), true);
        assert_eq!(local.version(), before + 2);
        // The same name again changes nothing.
        local.add(&["mara".into(), "kovac".into()], entity, true);
        assert_eq!(local.version(), before + 2);
        assert!(local.learnt_since(before, &tokenize("Kovac arrived in Zagreb.")));
        assert!(local.learnt_since(before, &tokenize("Then Mara Kovac spoke.")));
        assert!(!local.learnt_since(before, &tokenize("The talks ended.")));
        assert!(!local.learnt_since(local.version(), &tokenize("Kovac left.")));
    }
}
