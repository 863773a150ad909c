//! Reads actor dictionaries in the PETRARCH/TABARI format (`*.actors.txt`) and turns them into
//! dipgraph lexicon [`Record`]s, so that users who already maintain such dictionaries can pass
//! them with `--lexicon` instead of rewriting them in dipgraph's TAB-separated format.
//!
//! # The format read
//!
//! A *block* is a primary phrase line, optionally followed on the same line by `[CODE …]`
//! groups and a `#` comment, then `+synonym` lines and restriction lines (usually indented)
//! holding one or more `[CODE]`, `[CODE FROM-TO]`, `[CODE <TO]` or `[CODE >FROM]` groups.
//! Dates are `YYMMDD` or `YYYYMMDD`; a two-digit year 00–30 is 20YY, any other 19YY (the
//! KEDS/TABARI convention). `FROM-TO` holds from FROM up to the day before TO, `<TO` before TO,
//! `>FROM` from FROM on, as in PETRARCH. Spaces inside a date (`[EGYGOV > 140608]`) are ignored.
//! Everything after `#` is a comment; lines starting with `;` and `<!-- … -->` blocks are
//! skipped; blank lines mean nothing. A block ends only at the next primary phrase, and — as in
//! PETRARCH — a primary phrase that has no code yet is merged into the next one: its phrases
//! become aliases of the block that finally carries codes (`DMITRY_MEDVEDEV_` followed by
//! `DMITR_MEDVEDEV_ … [RUSGOV …]`). A `[---]` code is PETRARCH's "not an actor" and yields no
//! record.
//!
//! # Phrases
//!
//! Underscores are spaces, so a trailing `_` (PETRARCH's whole-word marker) disappears. Words
//! are written in title case (`VLADIMIR_PUTIN_` → `Vladimir Putin`, `AL-QAEDA` → `Al-Qaeda`,
//! `O'NEILL` → `O'Neill`, `LORD'S` → `Lord's`, `MCCAIN` → `McCain`), because dipgraph reads a
//! lexicon word written in capitals of up to five letters as an acronym that must match exactly.
//! The rule, word by word (pieces of a word split at `-`, `.`, `/` are judged separately):
//! * a word already containing a lower-case letter is kept as written (`UN_Secy_Gen`);
//! * a word of 2–4 letters in parentheses is an abbreviation and stays upper case (`(ERG)`,
//!   `(CIRA)`; but `(COLOMBIA)` → `(Colombia)`);
//! * a piece in a built-in acronym list stays upper case (`UN`, `US`, `EU`, `NATO`, `ANSF`, …);
//! * a piece of 2–5 letters with no vowel (`A E I O U Y`) stays upper case (`PKK`, `ICJ`),
//!   except abbreviations written in title case (`MR`, `DR`, `ST`, `JR`, `LTD`, …) and `NG`;
//! * a Roman numeral other than `XI` stays upper case (`JOHN_PAUL_II`);
//! * small linking words after the first word are lower case (`of`, `the`, `and`, `de`, `bin`,
//!   `al` as separate words, …), which also lets them match in any case in text;
//! * everything else is title-cased (first letter upper, the rest lower; again after `'` unless
//!   one letter follows, and after a leading `Mc`).
//!
//! # Codes
//!
//! A code is three letters (or `---`) followed by three-letter role parts (`RUSGOV`,
//! `PSEREBHMS`, `IGOUNODEVWBK`). Its first three letters are the country unless they are an
//! international or non-state prefix (`IGO`, `NGO`, `IMG`, `MNC`, `UAF`), a CAMEO region
//! (`AFR`, `WEU`, `SEA`, …), a CAMEO religion (`MOS`, `BUD`, `HIN`, …) or a role standing
//! alone (`ELI`, `MED`, `GOV`, …), or contain a digit (`G77`); for those the whole code is the
//! actor's identity and there is no country. `---XXX` is a role with no known country. Codes are upper case
//! letters and digits; anything else (`[pse]`, `[ELR/GAL]`) is reported as a bad code.
//!
//! # Records produced
//!
//! * `country` (`iso=`, `alias=`): the first undated code is a bare country code (`[AFG]`), or a
//!   dated code is one (a state whose code changed, `[USRARM <900823] [ARM >911221]`); `iso` is
//!   then the bare country code that starts last.
//! * `person` (`alias=`, `country=`, `office=`): any other block with a dated code. Each dated
//!   code gives one office `ROLE:FROM..TO` (ISO dates, either side may be empty); ROLE is the
//!   role part lower-cased (`gov`, `eli`, `govmil`), `member` for a country code with no role,
//!   and the whole code lower-cased for a code with no country (`igouno`). `country` is the
//!   country of the latest-starting dated code that has one, else of the first undated code.
//! * `group` (`alias=`, `country=`): otherwise, when the first undated code (the one PETRARCH
//!   would always pick) is an armed group: prefix `UAF` or `IMG`, or a `REB` or `INS` role part.
//! * `org` (`alias=`, `country=`): any other block.
//!
//! Blocks that give the same type, name and country (or `iso`) — dictionaries often list an
//! actor twice — are merged into one record (aliases and offices joined, origin of the first),
//! since dipgraph keeps only the last record of a type and name.
//!
//! Bad lines (a `+synonym` or restriction before any primary phrase, an unclosed `[`, a bad code
//! or date, a phrase left empty) become [`LexiconError::Bad`] errors naming the line; the bad
//! code or phrase is skipped and the rest of the file is still converted.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;

use crate::lexicon::{LexiconError, Record};

/// International and non-state prefixes: the whole code is the actor's identity.
const ORG_PREFIXES: &[&str] = &["IGO", "NGO", "IMG", "MNC", "UAF"];

/// CAMEO region codes, which are not countries.
const REGION_CODES: &[&str] = &[
    "AFR", "ASA", "BLK", "CAS", "CAU", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR", "INT", "LAM",
    "MDT", "MEA", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF", "WEU", "WST",
];

/// CAMEO religion codes.
const RELIGION_CODES: &[&str] = &[
    "ADR", "ALE", "ATH", "BAH", "BUD", "CHR", "CON", "HIN", "JAN", "JEW", "MOS", "SIK", "TAO",
    "ZRO",
];

/// CAMEO role codes, which may stand alone (`[ELI]`, `[MED]`) for an actor of no country.
const ROLE_CODES: &[&str] = &[
    "AGR", "BUS", "COP", "CRM", "CVL", "DEV", "EDU", "ELI", "ENV", "GOV", "HLH", "HRI", "INS",
    "JUD", "LAB", "LEG", "MED", "MIL", "MOD", "OPP", "PTY", "RAD", "REB", "REF", "SEP", "SPY",
    "UIS",
];

/// Code prefixes of armed non-state actors.
const ARMED_PREFIXES: &[&str] = &["UAF", "IMG"];

/// Role parts of armed groups.
const ARMED_ROLES: &[&str] = &["REB", "INS"];

/// Words that stay upper case although they have a vowel (or more than five letters).
const ACRONYMS: &[&str] = &[
    "AFP", "AKP", "AMISOM", "ANC", "ANSF", "AP", "APEC", "AQAP", "AQI", "AQIM", "ASEAN", "AU",
    "BBC", "BJP", "CARICOM", "CCP", "CENTCOM", "CHP", "CIA", "CIS", "CNN", "CPC", "DEA", "DPP",
    "DPRK", "DRC", "ECB", "ECOWAS", "EEC", "EFTA", "ELN", "EU", "FAO", "FARC", "FBI", "FSA", "FSB",
    "GCC", "HDP", "HTS", "IAEA", "ICC", "ICRC", "IDF", "IFOR", "IGAD", "IGO", "ILO", "IMF", "INLA",
    "IOM", "IRGC", "IRNA", "IS", "ISAF", "ISI", "ISIL", "ISIS", "KCNA", "KFOR", "KGB", "KMT",
    "LDP", "LTTE", "MDC", "MENA", "MERCOSUR", "MHP", "MI5", "MI6", "MILF", "MNLF", "MONUC",
    "MONUSCO", "MPLA", "NAFTA", "NATO", "NGO", "NPA", "NSA", "OAS", "OAU", "OECD", "OIC", "OPEC",
    "OSCE", "PA", "PLA", "PLO", "PNA", "PRC", "PYD", "RIA", "ROK", "RUF", "SADC", "SANA", "SCO",
    "SDF", "SFOR", "SPLA", "SPLM", "SWAPO", "TASS", "UAE", "UDA", "UK", "UN", "UNAMA", "UNAMI",
    "UNASUR", "UNDP", "UNEP", "UNESCO", "UNHCR", "UNICEF", "UNIFIL", "UNITA", "UNMIL", "UNMIS",
    "UNRWA", "UNSC", "UNSG", "UPI", "US", "USA", "USAID", "USSR", "UVF", "WFP", "WHO", "WTO",
    "YPG", "YPJ", "ZANU",
];

/// Vowel-less words that are not acronyms (titles and a surname).
const NOT_ACRONYMS: &[&str] = &[
    "CDR", "CPL", "DR", "FT", "HLDGS", "JR", "LT", "LTD", "MR", "MRS", "MS", "MSGR", "MT", "NG",
    "PVT", "SGT", "SR", "ST",
];

/// Linking words written in lower case after the first word of a phrase.
const SMALL_WORDS: &[&str] = &[
    "al", "and", "as", "at", "bin", "by", "da", "das", "de", "del", "della", "den", "der", "des",
    "di", "do", "dos", "du", "for", "from", "ibn", "in", "into", "la", "of", "on", "or", "the",
    "to", "van", "von", "with",
];

/// Record types of dipgraph's own lexicon format (first field of a TAB-separated line).
const DIPGRAPH_TYPES: &[&str] =
    &["country", "org", "group", "person", "role", "place", "issue", "action", "verb"];

/// True when `text` is a PETRARCH/TABARI actor dictionary: some line carries a `[CODE …]`
/// group with a real code, no line is a dipgraph record (`type<TAB>name<TAB>key=value`), and at
/// most one line in ten looks like another PETRARCH file (verb patterns `- …`, synsets `&…`,
/// agents `{…}`, issue lines `~…` or lower-case phrases without underscores, JSON).
pub fn looks_like_petrarch(text: &str) -> bool {
    let (mut content, mut foreign, mut coded) = (0usize, 0usize, false);
    let mut in_comment = false;
    for line in text.lines() {
        let trimmed = line.trim().trim_start_matches('\u{feff}');
        if in_comment {
            in_comment = !trimmed.contains("-->");
            continue;
        }
        if let Some(after) = trimmed.strip_prefix("<!--") {
            in_comment = !after.contains("-->");
            continue;
        }
        if trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if is_dipgraph_record(line) {
            return false;
        }
        let body = strip_comment(trimmed).trim();
        if body.is_empty() {
            continue;
        }
        content += 1;
        coded = coded || has_code_group(body);
        let phrase = body.strip_prefix('+').unwrap_or(body);
        let phrase = phrase.split('[').next().unwrap_or(phrase);
        let lower_case_words = phrase.chars().any(char::is_lowercase) && !phrase.contains('_');
        if body.starts_with(['-', '&', '~', '<', '{', '!', '"']) || lower_case_words {
            foreign += 1;
        }
    }
    coded && foreign * 10 <= content
}

/// Converts a PETRARCH/TABARI actor dictionary into lexicon records; `source` names the text in
/// errors and in each record's origin (the line of its primary phrase). Bad lines become errors
/// and the rest of the text is still converted.
pub fn parse_actors(text: &str, source: &str) -> (Vec<Record>, Vec<LexiconError>) {
    let mut converter =
        Converter { source, entries: Vec::new(), by_name: HashMap::new(), errors: Vec::new() };
    converter.run(text);
    (converter.entries.into_iter().map(Entry::into_record).collect(), converter.errors)
}

/// One parsed `[CODE dates]` group.
#[derive(Debug, Clone)]
struct Code {
    /// Country part, when the code has one.
    country: Option<String>,
    /// True for a code that is a country and nothing else (`[AFG]`).
    bare_country: bool,
    /// True for an armed group (`UAF`, `IMG`, a `REB` or `INS` role part).
    armed: bool,
    /// Role written in offices.
    role: String,
    /// Start (inclusive) of a date restriction.
    from: Option<NaiveDate>,
    /// End (exclusive) of a date restriction.
    to: Option<NaiveDate>,
    /// True when the code has a date restriction.
    dated: bool,
}

/// A primary phrase with its synonyms and codes.
#[derive(Debug)]
struct Block {
    /// Converted primary phrase; `None` when it was bad (the block is then dropped).
    name: Option<String>,
    /// Line of the primary phrase.
    line: usize,
    /// Converted synonyms (and phrases merged from code-less primary lines).
    aliases: Vec<String>,
    /// Usable codes, in file order.
    codes: Vec<Code>,
    /// True once any `[…]` group was seen, usable or not.
    saw_code: bool,
}

/// A record being built; blocks with the same type, name and country are merged into one.
#[derive(Debug)]
struct Entry {
    /// Record type.
    kind: &'static str,
    /// Canonical name.
    name: String,
    /// Country code of a `country` record.
    iso: Option<String>,
    /// Country of an `org`, `group` or `person`.
    country: Option<String>,
    /// Aliases in file order, possibly repeated.
    aliases: Vec<String>,
    /// Offices of a person, possibly repeated.
    offices: Vec<String>,
    /// Source and line of the first block.
    origin: (String, usize),
}

impl Entry {
    /// True when `other` describes the same actor (a dipgraph lexicon keeps one record per
    /// type and name, so merging keeps what would otherwise be overridden).
    fn same_actor(&self, other: &Entry) -> bool {
        self.kind == other.kind
            && self.name == other.name
            && self.iso == other.iso
            && (self.country.is_none() || other.country.is_none() || self.country == other.country)
    }

    fn merge(&mut self, other: Entry) {
        self.aliases.extend(other.aliases);
        self.offices.extend(other.offices);
        if self.country.is_none() {
            self.country = other.country;
        }
    }

    fn into_record(self) -> Record {
        let mut fields: Vec<(String, Vec<String>)> = Vec::new();
        if let Some(iso) = self.iso {
            fields.push(("iso".into(), vec![iso]));
        }
        let mut seen = HashSet::from([self.name.to_lowercase()]);
        let aliases: Vec<String> =
            self.aliases.into_iter().filter(|a| seen.insert(a.to_lowercase())).collect();
        if !aliases.is_empty() {
            fields.push(("alias".into(), aliases));
        }
        if let Some(country) = self.country {
            fields.push(("country".into(), vec![country]));
        }
        let mut seen = HashSet::new();
        let offices: Vec<String> =
            self.offices.into_iter().filter(|o| seen.insert(o.clone())).collect();
        if !offices.is_empty() {
            fields.push(("office".into(), offices));
        }
        Record { kind: self.kind.into(), name: self.name, fields, origin: self.origin }
    }
}

/// Converts one text: the entries built so far and the problems found.
struct Converter<'s> {
    /// Name of the text in errors and origins.
    source: &'s str,
    /// Entries in order of first appearance.
    entries: Vec<Entry>,
    /// Entries by type and name.
    by_name: HashMap<(&'static str, String), Vec<usize>>,
    /// Problems found.
    errors: Vec<LexiconError>,
}

impl Converter<'_> {
    fn error(&mut self, line: usize, message: String) {
        self.errors.push(LexiconError::Bad { path: self.source.to_string(), line, message });
    }

    fn run(&mut self, text: &str) {
        let lines: Vec<&str> = text.lines().collect();
        // For each line, the first line at or after it that closes an XML comment.
        let mut next_close = vec![None; lines.len() + 1];
        for index in (0..lines.len()).rev() {
            next_close[index] =
                if lines[index].contains("-->") { Some(index) } else { next_close[index + 1] };
        }
        let mut current: Option<Block> = None;
        let mut index = 0;
        while index < lines.len() {
            let line_no = index + 1;
            let raw = lines[index];
            index += 1;
            let trimmed = if line_no == 1 { raw.trim_start_matches('\u{feff}') } else { raw };
            let trimmed = trimmed.trim();
            if let Some(after) = trimmed.strip_prefix("<!--") {
                if !after.contains("-->") {
                    match next_close[index] {
                        Some(close) => index = close + 1,
                        None => self.error(
                            line_no,
                            "`<!--` comment is never closed by `-->`; only this line was skipped"
                                .into(),
                        ),
                    }
                }
                continue;
            }
            if trimmed.starts_with('#') || trimmed.starts_with(';') {
                continue;
            }
            let content = strip_comment(trimmed).trim();
            if content.is_empty() {
                continue;
            }
            if content.starts_with('[') {
                self.restriction_line(&mut current, content, line_no);
            } else if let Some(synonym) = content.strip_prefix('+') {
                self.synonym_line(&mut current, synonym, line_no);
            } else {
                self.primary_line(&mut current, content, line_no);
            }
        }
        if let Some(block) = current {
            self.finish(block);
        }
    }

    fn restriction_line(&mut self, current: &mut Option<Block>, content: &str, line_no: usize) {
        let (_, groups, _) = self.split_codes(content, line_no);
        let Some(block) = current.as_mut() else {
            self.error(
                line_no,
                format!("restriction {content:?} comes before any primary phrase; put it under the phrase it restricts"),
            );
            return;
        };
        block.saw_code = true;
        self.add_codes(current, &groups, line_no);
    }

    fn synonym_line(&mut self, current: &mut Option<Block>, synonym: &str, line_no: usize) {
        let (phrase, groups, saw_bracket) = self.split_codes(synonym, line_no);
        let Some(block) = current.as_mut() else {
            self.error(
                line_no,
                format!("synonym +{} comes before any primary phrase; a `+` line adds a name to the phrase above it", synonym.trim()),
            );
            return;
        };
        if block.name.is_some() {
            match dipgraph_phrase(phrase) {
                Ok(alias) => block.aliases.push(alias),
                Err(message) => {
                    self.error(line_no, format!("synonym +{}: {message}", phrase.trim()))
                }
            }
        }
        block.saw_code |= saw_bracket;
        self.add_codes(current, &groups, line_no);
    }

    fn primary_line(&mut self, current: &mut Option<Block>, content: &str, line_no: usize) {
        let (phrase, groups, saw_bracket) = self.split_codes(content, line_no);
        let converted = dipgraph_phrase(phrase);
        match current.take() {
            // PETRARCH keeps collecting phrases until a code arrives: this phrase joins the
            // block above, which has none yet.
            Some(mut block) if !block.saw_code && block.name.is_some() => {
                match converted {
                    Ok(alias) => block.aliases.push(alias),
                    Err(message) => self.error(
                        line_no,
                        format!("primary phrase {:?}: {message}; phrase skipped", phrase.trim()),
                    ),
                }
                *current = Some(block);
            }
            previous => {
                if let Err(message) = &converted {
                    self.error(
                        line_no,
                        format!("primary phrase {:?}: {message}; block skipped", phrase.trim()),
                    );
                }
                if let Some(block) = previous {
                    self.finish(block);
                }
                *current = Some(Block {
                    name: converted.ok(),
                    line: line_no,
                    aliases: Vec::new(),
                    codes: Vec::new(),
                    saw_code: false,
                });
            }
        }
        if let Some(block) = current.as_mut() {
            block.saw_code |= saw_bracket;
        }
        self.add_codes(current, &groups, line_no);
    }

    /// Splits a line into the text before the first `[` and the contents of its `[…]` groups,
    /// reporting unclosed brackets and stray text after the groups.
    fn split_codes<'t>(&mut self, text: &'t str, line_no: usize) -> (&'t str, Vec<&'t str>, bool) {
        let (phrase, mut rest) = match text.find('[') {
            Some(pos) => text.split_at(pos),
            None => (text, ""),
        };
        let saw_bracket = !rest.is_empty();
        let mut groups = Vec::new();
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            if let Some(inner) = rest.strip_prefix('[') {
                match inner.find([']', '[']) {
                    Some(end) if inner[end..].starts_with(']') => {
                        groups.push(&inner[..end]);
                        rest = &inner[end + 1..];
                    }
                    _ => {
                        let shown = inner.split('[').next().unwrap_or(inner).trim();
                        self.error(
                            line_no,
                            format!("unclosed `[` in [{shown}; write [CODE] or [CODE DATES]"),
                        );
                        rest = inner.find('[').map_or("", |pos| &inner[pos..]);
                    }
                }
            } else {
                let stray = rest.split('[').next().unwrap_or(rest).trim();
                self.error(line_no, format!("unexpected text {stray:?} after the codes"));
                rest = rest.find('[').map_or("", |pos| &rest[pos..]);
            }
        }
        (phrase, groups, saw_bracket)
    }

    fn add_codes(&mut self, current: &mut Option<Block>, groups: &[&str], line_no: usize) {
        for group in groups {
            match parse_code(group) {
                Ok(Some(code)) => {
                    if let Some(block) = current.as_mut() {
                        block.codes.push(code);
                    }
                }
                Ok(None) => {}
                Err(message) => self.error(line_no, format!("[{}]: {message}", group.trim())),
            }
        }
    }

    fn finish(&mut self, block: Block) {
        let Some(name) = block.name else { return };
        if !block.saw_code {
            self.error(
                block.line,
                format!("{name:?} has no [CODE]; give it a code or a restriction line"),
            );
            return;
        }
        let origin = (self.source.to_string(), block.line);
        let Some(entry) = block_entry(name, block.aliases, &block.codes, origin) else { return };
        let key = (entry.kind, entry.name.clone());
        let same = self.by_name.get(&key).and_then(|indices| {
            indices
                .iter()
                .copied()
                .find(|&i| self.entries.get(i).is_some_and(|e| e.same_actor(&entry)))
        });
        match same.and_then(|i| self.entries.get_mut(i)) {
            Some(existing) => existing.merge(entry),
            None => {
                self.by_name.entry(key).or_default().push(self.entries.len());
                self.entries.push(entry);
            }
        }
    }
}

/// The entry of a block, or `None` when it has no usable code (only `[---]` or bad codes).
fn block_entry(
    name: String,
    aliases: Vec<String>,
    codes: &[Code],
    origin: (String, usize),
) -> Option<Entry> {
    let first_undated = codes.iter().find(|c| !c.dated);
    let dated = || codes.iter().filter(|c| c.dated);
    let mut entry =
        Entry { kind: "org", name, iso: None, country: None, aliases, offices: Vec::new(), origin };
    if dated().any(|c| c.bare_country)
        || (dated().next().is_none() && first_undated.is_some_and(|c| c.bare_country))
    {
        entry.kind = "country";
        entry.iso = Some(latest_country(codes.iter().filter(|c| c.bare_country))?);
    } else if dated().next().is_some() {
        entry.kind = "person";
        entry.country = latest_country(dated().filter(|c| c.country.is_some()))
            .or_else(|| codes.iter().filter(|c| !c.dated).find_map(|c| c.country.clone()));
        let day = |d: Option<NaiveDate>| d.map(|d| d.format("%Y-%m-%d").to_string());
        for code in dated() {
            let from = day(code.from).unwrap_or_default();
            entry.offices.push(format!(
                "{}:{from}..{}",
                code.role,
                day(code.to).unwrap_or_default()
            ));
        }
    } else {
        let first = first_undated?;
        entry.kind = if first.armed { "group" } else { "org" };
        entry.country = first.country.clone();
    }
    Some(entry)
}

/// The country of the code that starts last (an open start counts as earliest; on a tie the
/// later line wins).
fn latest_country<'c>(codes: impl Iterator<Item = &'c Code>) -> Option<String> {
    codes.max_by_key(|c| c.from).and_then(|c| c.country.clone())
}

/// Parses the inside of a `[…]` group; `Ok(None)` for the null code `---`.
fn parse_code(group: &str) -> Result<Option<Code>, String> {
    let mut words = group.split_whitespace();
    let Some(code) = words.next() else {
        return Err("empty code; write [CODE] or [CODE DATES]".into());
    };
    let dates: String = words.collect();
    let valid_chars =
        code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-');
    let (prefix, rest) = if code.len() >= 3 && valid_chars { code.split_at(3) } else { ("", "") };
    let letters = prefix.len() == 3 && prefix.bytes().all(|b| b.is_ascii_uppercase());
    let prefix_ok = prefix == "---"
        || (prefix.len() == 3
            && !prefix.contains('-')
            && prefix.bytes().any(|b| b.is_ascii_uppercase()));
    if !prefix_ok || rest.contains('-') {
        return Err(format!(
            "bad code {code:?}: expected capital letters and digits, a country or IGO/NGO/… prefix (or ---) then role parts"
        ));
    }
    let (from, to) = if dates.is_empty() { (None, None) } else { parse_dates(&dates)? };
    if code == "---" {
        return Ok(None);
    }
    let dated = !dates.is_empty();
    let (country, role) = if prefix == "---" {
        (None, rest.to_ascii_lowercase())
    } else if !letters
        || [ORG_PREFIXES, REGION_CODES, RELIGION_CODES, ROLE_CODES]
            .iter()
            .any(|l| l.contains(&prefix))
    {
        (None, code.to_ascii_lowercase())
    } else if rest.is_empty() {
        (Some(prefix.to_string()), "member".to_string())
    } else {
        (Some(prefix.to_string()), rest.to_ascii_lowercase())
    };
    let armed = ARMED_PREFIXES.contains(&prefix)
        || code.as_bytes().chunks(3).any(|part| ARMED_ROLES.iter().any(|r| r.as_bytes() == part));
    Ok(Some(Code {
        bare_country: country.is_some() && rest.is_empty(),
        country,
        armed,
        role,
        from,
        to,
        dated,
    }))
}

/// Parses `FROM-TO`, `<TO` or `>FROM` into a start (inclusive) and an end (exclusive).
fn parse_dates(spec: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
    if let Some(to) = spec.strip_prefix('<') {
        Ok((None, Some(parse_date(to)?)))
    } else if let Some(from) = spec.strip_prefix('>') {
        Ok((Some(parse_date(from)?), None))
    } else if let Some((from, to)) = spec.split_once('-') {
        let (from, to) = (parse_date(from)?, parse_date(to)?);
        if from >= to {
            return Err(format!("date range {spec:?} ends on or before the day it starts"));
        }
        Ok((Some(from), Some(to)))
    } else {
        Err(format!("bad date restriction {spec:?}: expected FROM-TO, <TO or >FROM"))
    }
}

/// Parses `YYMMDD` (YY 00–30 is 20YY, else 19YY) or `YYYYMMDD`.
fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let bad = || format!("bad date {text:?}: expected YYMMDD or YYYYMMDD");
    if !(text.len() == 6 || text.len() == 8) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let number = |s: &str| s.parse::<u32>().map_err(|_| bad());
    let (year, month_day) = text.split_at(text.len() - 4);
    let year = year.parse::<i32>().map_err(|_| bad())?;
    let year = match text.len() {
        6 if year <= 30 => 2000 + year,
        6 => 1900 + year,
        _ => year,
    };
    let (month, day) = month_day.split_at(2);
    NaiveDate::from_ymd_opt(year, number(month)?, number(day)?)
        .ok_or_else(|| format!("bad date {text:?}: there is no such day"))
}

/// The part of a line before its `#` comment.
fn strip_comment(line: &str) -> &str {
    line.split('#').next().unwrap_or(line)
}

/// True for a dipgraph lexicon line: a known record type, a TAB, a name.
fn is_dipgraph_record(line: &str) -> bool {
    let mut fields = line.split('\t');
    let kind = fields.next().unwrap_or("").trim();
    DIPGRAPH_TYPES.contains(&kind) && fields.next().is_some_and(|name| !name.trim().is_empty())
}

/// True when the text holds a `[` followed by a well-formed code and a space or `]`.
fn has_code_group(text: &str) -> bool {
    text.split('[').skip(1).any(|after| {
        let code: String = after.chars().take_while(|c| !c.is_whitespace() && *c != ']').collect();
        let closed = after[code.len()..].contains(']');
        closed && matches!(parse_code(&code), Ok(Some(_)))
    })
}

/// Converts a PETRARCH phrase to dipgraph's spelling (see the module documentation).
fn dipgraph_phrase(raw: &str) -> Result<String, String> {
    if raw.contains(']') {
        return Err("stray `]` in the phrase".into());
    }
    if raw.contains('|') {
        return Err("`|` cannot be part of a phrase (dipgraph separates list items with it)".into());
    }
    let words: Vec<&str> =
        raw.split(|c: char| c == '_' || c.is_whitespace()).filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Err("the phrase is empty".into());
    }
    let converted: Vec<String> =
        words.iter().enumerate().map(|(i, word)| convert_word(word, i == 0)).collect();
    Ok(converted.join(" "))
}

fn convert_word(word: &str, first: bool) -> String {
    if word.chars().any(char::is_lowercase) {
        return word.to_string();
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    if word.starts_with('(') && word.ends_with(')') && (2..=4).contains(&letters) {
        return word.to_string();
    }
    if ACRONYMS.contains(&word) {
        return word.to_string();
    }
    let lower = word.to_lowercase();
    if !first && SMALL_WORDS.contains(&lower.as_str()) {
        return lower;
    }
    let mut out = String::with_capacity(word.len());
    let mut piece = String::new();
    for c in word.chars() {
        if matches!(c, '-' | '.' | '/' | '(' | ')' | '"' | '&' | ',' | ':' | ';') {
            out.push_str(&convert_piece(&piece));
            out.push(c);
            piece.clear();
        } else {
            piece.push(c);
        }
    }
    out.push_str(&convert_piece(&piece));
    out
}

fn convert_piece(piece: &str) -> String {
    let letters: Vec<char> = piece.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.is_empty() {
        return piece.to_string();
    }
    let has_digit = piece.chars().any(|c| c.is_ascii_digit());
    let is_vowel = |c: &char| "AEIOUY".contains(*c) || !c.is_ascii();
    let roman = letters.len() >= 2 && piece != "XI" && piece.chars().all(|c| "IVX".contains(c));
    let keep_upper = !has_digit
        && (ACRONYMS.contains(&piece)
            || roman
            || (letters.len() <= 5
                && !letters.iter().any(is_vowel)
                && !NOT_ACRONYMS.contains(&piece)));
    if keep_upper {
        return piece.to_string();
    }
    let mut out = String::with_capacity(piece.len());
    for (index, part) in piece.split('\'').enumerate() {
        if index > 0 {
            out.push('\'');
        }
        let letters = part.chars().filter(|c| c.is_alphabetic()).count();
        if index > 0 && letters == 1 {
            out.push_str(&part.to_lowercase());
        } else {
            out.push_str(&capitalise(part));
        }
    }
    out
}

/// First letter or digit upper case, the rest lower case; `MCCAIN` → `McCain`.
fn capitalise(part: &str) -> String {
    match part.strip_prefix("MC") {
        Some(rest) if rest.chars().count() >= 2 && rest.chars().all(char::is_alphabetic) => {
            format!("Mc{}", capitalise_first(rest))
        }
        _ => capitalise_first(part),
    }
}

/// First letter or digit upper case, the rest lower case.
fn capitalise_first(part: &str) -> String {
    let mut out = String::with_capacity(part.len());
    let mut seen_first = false;
    for c in part.chars() {
        if c.is_alphanumeric() && !seen_first {
            // A leading digit counts as the first character: `2ND` → `2nd`.
            seen_first = true;
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::parse_records;
    use proptest::prelude::*;

    fn convert(text: &str) -> (Vec<Record>, Vec<String>) {
        let (records, errors) = parse_actors(text, "test.actors");
        (records, errors.iter().map(ToString::to_string).collect())
    }

    fn field<'r>(record: &'r Record, key: &str) -> Vec<&'r str> {
        record
            .fields
            .iter()
            .filter(|(k, _)| k == key)
            .flat_map(|(_, v)| v.iter().map(String::as_str))
            .collect()
    }

    fn find<'r>(records: &'r [Record], name: &str) -> &'r Record {
        records
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no record {name:?} in {records:#?}"))
    }

    /// Writes records as dipgraph lexicon lines.
    fn to_tsv(records: &[Record]) -> String {
        let mut text = String::new();
        for record in records {
            text.push_str(&record.kind);
            text.push('\t');
            text.push_str(&record.name);
            for (key, values) in &record.fields {
                text.push_str(&format!("\t{key}={}", values.join("|")));
            }
            text.push('\n');
        }
        text
    }

    /// Every record passes dipgraph's own parser and checks unchanged.
    fn assert_valid_lexicon(records: &[Record]) {
        let (parsed, errors) = parse_records(&to_tsv(records), "roundtrip");
        assert!(errors.is_empty(), "dipgraph rejects converted records: {errors:?}");
        assert_eq!(parsed.len(), records.len());
        for (back, record) in parsed.iter().zip(records) {
            assert_eq!(
                (&back.kind, &back.name, &back.fields),
                (&record.kind, &record.name, &record.fields)
            );
        }
    }

    #[test]
    fn country_block_with_synonyms() {
        let text = "# countries\nFREEDONIA_  [FRD]\n+GRAND_DUCHY_OF_FREEDONIA_\n+FREEDONIAN_\n\n+FREEDONIA_\n";
        let (records, errors) = convert(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(records.len(), 1);
        let r = &records[0];
        assert_eq!((r.kind.as_str(), r.name.as_str()), ("country", "Freedonia"));
        assert_eq!(field(r, "iso"), vec!["FRD"]);
        // Duplicates of the name are dropped; small words are lower case.
        assert_eq!(field(r, "alias"), vec!["Grand Duchy of Freedonia", "Freedonian"]);
        assert_eq!(r.origin, ("test.actors".to_string(), 2));
        assert_valid_lexicon(&records);
    }

    #[test]
    fn person_with_dated_restrictions_and_default() {
        let text = "RUFUS_T_FIREFLY_  # a leader\n+FIREFLY_\n+PRESIDENT_FIREFLY_\n\
                    \t[FRDELI 650101-990809]\n\t[FRDGOV 991231-080507]\n\t[FRDGOVMIL >080508]\n\t[FRDELI]\n";
        let (records, errors) = convert(text);
        assert!(errors.is_empty(), "{errors:?}");
        let r = find(&records, "Rufus T Firefly");
        assert_eq!(r.kind, "person");
        assert_eq!(field(r, "alias"), vec!["Firefly", "President Firefly"]);
        assert_eq!(field(r, "country"), vec!["FRD"]);
        assert_eq!(
            field(r, "office"),
            vec!["eli:1965-01-01..1999-08-09", "gov:1999-12-31..2008-05-07", "govmil:2008-05-08.."]
        );
        assert_eq!(r.origin.1, 1);
        assert_valid_lexicon(&records);
    }

    #[test]
    fn person_country_is_that_of_the_latest_restriction() {
        let text = "ANNA_BOLT_\n\t[SYLELI 900101-000101]\n\t[FRDGOV 000101-050101]\n\t[IGOUNO >050101]\n\t[SYL]\n\
                    BEN_COLT_\n\t[IGOUNO 900101-000101]\n\t[SYL]\n";
        let (records, errors) = convert(text);
        assert!(errors.is_empty(), "{errors:?}");
        let anna = find(&records, "Anna Bolt");
        // The latest restriction (IGOUNO) has no country; the latest one with a country wins.
        assert_eq!(field(anna, "country"), vec!["FRD"]);
        assert_eq!(field(anna, "office")[2], "igouno:2005-01-01..");
        let ben = find(&records, "Ben Colt");
        assert_eq!(ben.kind, "person");
        // Only the undated default gives a country; it adds no office.
        assert_eq!(field(ben, "country"), vec!["SYL"]);
        assert_eq!(field(ben, "office"), vec!["igouno:1990-01-01..2000-01-01"]);
        assert_valid_lexicon(&records);
    }

    #[test]
    fn inline_multi_code_line() {
        let text = "OTTO_KLEIN_\t[IGOUNO 460201-521110] [ELI]# secretary\nMARA_VOSS_ [SYLGOV 010120-050120] [IGOUNOKID >050501]\n";
        let (records, errors) = convert(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(records.len(), 2);
        let otto = find(&records, "Otto Klein");
        assert_eq!(otto.kind, "person");
        assert_eq!(field(otto, "office"), vec!["igouno:1946-02-01..1952-11-10"]);
        assert!(field(otto, "country").is_empty());
        let mara = find(&records, "Mara Voss");
        assert_eq!(
            field(mara, "office"),
            vec!["gov:2001-01-20..2005-01-20", "igounokid:2005-05-01.."]
        );
        assert_eq!(field(mara, "country"), vec!["SYL"]);
        assert_valid_lexicon(&records);
        // A code may also follow a synonym; it ends the wait for a code.
        let (records, errors) =
            convert("SYLVAN_POST_\n+THE_POST_ [SYLMED]\nSYLVAN_TIMES_ [SYLMED]\n");
        assert!(errors.is_empty(), "{errors:?}");
        let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["Sylvan Post", "Sylvan Times"]);
        assert_eq!(field(&records[0], "alias"), vec!["The Post"]);
    }

    #[test]
    fn two_digit_years_pivot_at_30() {
        assert_eq!(parse_date("291231"), Ok(NaiveDate::from_ymd_opt(2029, 12, 31).expect("day")));
        assert_eq!(parse_date("300101"), Ok(NaiveDate::from_ymd_opt(2030, 1, 1).expect("day")));
        assert_eq!(parse_date("310101"), Ok(NaiveDate::from_ymd_opt(1931, 1, 1).expect("day")));
        assert_eq!(parse_date("000229"), Ok(NaiveDate::from_ymd_opt(2000, 2, 29).expect("day")));
        assert_eq!(parse_date("19270101"), Ok(NaiveDate::from_ymd_opt(1927, 1, 1).expect("day")));
        let (records, _) = convert("OLD_TIMER_\n\t[SYLGOV 310101-291231]\n");
        assert_eq!(field(&records[0], "office"), vec!["gov:1931-01-01..2029-12-31"]);
    }

    #[test]
    fn open_ended_dates() {
        let text = "EARLY_BIRD_\n\t[SYLGOV <19991231]\n\t[SYLELI > 000101]\n";
        let (records, errors) = convert(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(field(&records[0], "office"), vec!["gov:..1999-12-31", "eli:2000-01-01.."]);
        // The open start of `<` counts as earliest: `>000101` is the latest restriction.
        assert_eq!(field(&records[0], "country"), vec!["SYL"]);
        assert_valid_lexicon(&records);
    }

    #[test]
    fn igo_org_and_armed_group() {
        let text = "UNITED_NATIONS_ [IGOUNO]\n+UN_\n+U.N._\n\
                    SYLVANIAN_ARMY_\n+SVF_\n\t[SYLMIL]\n\
                    RED_HAND_FRONT_(RHF)_ [SYLREBRHF]\n\
                    GREY_LEGION_ [IMGMUSGRL]\n\
                    DAILY_BUGLE_ [MED]\n\
                    GROUP_OF_SEVENTY-SEVEN [G77]\n";
        let (records, errors) = convert(text);
        assert!(errors.is_empty(), "{errors:?}");
        let un = find(&records, "United Nations");
        assert_eq!(un.kind, "org");
        assert!(field(un, "country").is_empty());
        assert_eq!(field(un, "alias"), vec!["UN", "U.N."]);
        let army = find(&records, "Sylvanian Army");
        assert_eq!((army.kind.as_str(), field(army, "country")), ("org", vec!["SYL"]));
        assert_eq!(field(army, "alias"), vec!["SVF"]);
        let front = find(&records, "Red Hand Front (RHF)");
        assert_eq!((front.kind.as_str(), field(front, "country")), ("group", vec!["SYL"]));
        let legion = find(&records, "Grey Legion");
        assert_eq!(legion.kind, "group");
        assert!(field(legion, "country").is_empty());
        let bugle = find(&records, "Daily Bugle");
        assert_eq!(bugle.kind, "org");
        assert!(field(bugle, "country").is_empty(), "MED is a role, not a country");
        let g77 = find(&records, "Group of Seventy-Seven");
        assert_eq!(g77.kind, "org");
        assert!(field(g77, "country").is_empty(), "G77 is not a country");
        assert_valid_lexicon(&records);
    }

    #[test]
    fn state_whose_code_changed_is_a_country() {
        let text = "NORTH_SYLVANIA_\n+NORTHSYL_\n\t[USRNSY <900823]\n\t[NSYUNR 900823-911221]\n\t[NSY >911221]\n";
        let (records, errors) = convert(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(records[0].kind, "country");
        assert_eq!(field(&records[0], "iso"), vec!["NSY"]);
        assert_valid_lexicon(&records);
    }

    #[test]
    fn codeless_phrase_joins_the_next_block_and_null_code_is_skipped() {
        let text = "IVAN_PETROV_\n+PETROV_\nIVAN_PETROFF_\n\t[SYLGOV 000101-010101]\nNOBODY_ [---]\nCOUNT_NOBODY_\n";
        let (records, errors) = convert(text);
        assert_eq!(records.len(), 1);
        let ivan = find(&records, "Ivan Petrov");
        assert_eq!(field(ivan, "alias"), vec!["Petrov", "Ivan Petroff"]);
        assert_eq!(ivan.origin.1, 1);
        // A phrase left without a code at the end of the file is reported.
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("test.actors:6:") && errors[0].contains("no [CODE]"),
            "{errors:?}"
        );
    }

    #[test]
    fn bad_lines_are_reported_and_good_blocks_still_converted() {
        let text = "+ORPHAN_\n\
                    \t[SYLGOV]\n\
                    GOOD_ONE_ [SYL]\n\
                    BAD_DATE_\n\t[SYLGOV 2004017-20061201]\n\t[SYLELI]\n\
                    UNCLOSED_ [SYLGOV 990101-000101\n\
                    REVERSED_\n\t[SYLGOV 010101-000101]\n\
                    NO_SUCH_DAY_\n\t[SYLGOV 990231-000101]\n\
                    BAD_CODE_ [syl]\n\
                    STRAY_ [SYLGOV] junk\n\
                    +BROKEN]_\n\
                    SINGLE_DATE_\n\t[SYLGOV 20121204]\n\
                    GOOD_TWO_\n\t[SYLGOV >991231]\n\
                    SAME_DAY_\n\t[SYLGOV 040517-040517]\n";
        let (records, errors) = convert(text);
        let has = |line: usize, needle: &str| {
            errors
                .iter()
                .any(|e| e.starts_with(&format!("test.actors:{line}:")) && e.contains(needle))
        };
        assert!(has(1, "before any primary phrase"), "{errors:#?}");
        assert!(has(2, "before any primary phrase"), "{errors:#?}");
        assert!(has(5, "2004017"), "{errors:#?}");
        assert!(has(7, "unclosed `[`"), "{errors:#?}");
        assert!(has(9, "ends on or before"), "{errors:#?}");
        assert!(has(11, "no such day"), "{errors:#?}");
        assert!(has(12, "bad code"), "{errors:#?}");
        assert!(has(13, "unexpected text \"junk\""), "{errors:#?}");
        assert!(has(14, "stray `]`"), "{errors:#?}");
        assert!(has(16, "expected FROM-TO"), "{errors:#?}");
        assert!(has(20, "ends on or before"), "{errors:#?}");
        assert_eq!(errors.len(), 11, "{errors:#?}");
        // The good blocks, and the good codes of damaged blocks, are converted.
        assert_eq!(find(&records, "Good One").kind, "country");
        assert_eq!(field(find(&records, "Good Two"), "office"), vec!["gov:1999-12-31.."]);
        assert_eq!(find(&records, "Bad Date").kind, "org");
        assert_eq!(find(&records, "Stray").kind, "org");
        assert!(records.iter().all(|r| r.name != "Unclosed" && r.name != "Bad Code"));
        assert_valid_lexicon(&records);
    }

    #[test]
    fn repeated_actors_are_merged() {
        let text = "FREEDONIA_ [FRD]\n+FREEDONIAN_\nFREEDONIA [FRD]\n+FREDONIA_\n\
                    RUFUS_FIREFLY_\n\t[FRDGOV 330101-350101]\nRUFUS_FIREFLY\n+FIREFLY_\n\t[FRDELI 350101-400101]\n\
                    RUFUS_FIREFLY\n\t[SYLGOV 900101-910101]\n";
        let (records, errors) = convert(text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(records.len(), 3, "{records:#?}");
        assert_eq!(field(&records[0], "alias"), vec!["Freedonian", "Fredonia"]);
        let rufus = &records[1];
        assert_eq!(rufus.origin.1, 5);
        assert_eq!(field(rufus, "alias"), vec!["Firefly"]);
        assert_eq!(
            field(rufus, "office"),
            vec!["gov:1933-01-01..1935-01-01", "eli:1935-01-01..1940-01-01"]
        );
        // Same name, another country: a different person, kept apart.
        assert_eq!(field(&records[2], "country"), vec!["SYL"]);
        assert_valid_lexicon(&records);
    }

    #[test]
    fn comments_of_every_kind_are_skipped() {
        let text = "; legacy comment\n<!-- a\nMULTI_LINE_ [SYL]\ncomment -->\n<!-- one line -->\n\
                    # hash\nKEPT_ [SYL] # trailing\n<!-- never closed\nAFTER_ [SYL]\n";
        let (records, errors) = convert(text);
        let names: Vec<&str> = records.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, vec!["Kept", "After"]);
        assert_eq!(errors.len(), 1);
        assert!(errors[0].starts_with("test.actors:8:") && errors[0].contains("never closed"));
    }

    #[test]
    fn title_case_rule() {
        let cases = [
            ("VLADIMIR_PUTIN_", "Vladimir Putin"),
            ("AL-QAEDA", "Al-Qaeda"),
            ("UN_SECURITY_COUNCIL", "UN Security Council"),
            ("US_", "US"),
            ("EU", "EU"),
            ("NATO_", "NATO"),
            ("ANSF", "ANSF"),
            ("PKK_", "PKK"),
            ("UN_Secy_Gen", "UN Secy Gen"),
            ("SECRETARY_GENERAL_OF_THE_UNITED_NATIONS_", "Secretary General of the United Nations"),
            ("THE_HAGUE", "The Hague"),
            ("OSAMA_BIN_LADEN_", "Osama bin Laden"),
            ("MR._SMITH", "Mr. Smith"),
            ("U.N._", "U.N."),
            ("LORD'S_RESISTANCE_ARMY", "Lord's Resistance Army"),
            ("CONOR_O'NEILL_", "Conor O'Neill"),
            ("BAHA'I_COMMUNITY", "Baha'i Community"),
            ("JOHN_MCCAIN_", "John McCain"),
            ("MCMCMC", "McMcmc"),
            ("POPE_JOHN_PAUL_II", "Pope John Paul II"),
            ("XI_JINPING_", "Xi Jinping"),
            ("PRESIDENT_XI", "President Xi"),
            ("MICHAEL_FLYNN", "Michael Flynn"),
            ("2ND_OF_JUNE_MOVEMENT_", "2nd of June Movement"),
            ("ARMY_(ERG)_", "Army (ERG)"),
            ("NATIONAL_FRONT_(GREECE)", "National Front (Greece)"),
            ("ACME_HOLDINGS_LTD", "Acme Holdings Ltd"),
            ("DMITRI_A_MEDVEDEV_", "Dmitri A Medvedev"),
            ("ÉTAT_ISLAMIQUE", "État Islamique"),
        ];
        for (raw, expected) in cases {
            assert_eq!(dipgraph_phrase(raw).as_deref(), Ok(expected), "{raw}");
        }
        assert!(dipgraph_phrase("___").is_err());
        assert!(dipgraph_phrase("A|B").is_err());
    }

    #[test]
    fn recognises_the_format() {
        assert!(looks_like_petrarch("# actors\nFREEDONIA_ [FRD]\n"));
        assert!(looks_like_petrarch("RUFUS_FIREFLY_\n+FIREFLY_\n\t[FRDELI]\n"));
        assert!(looks_like_petrarch("RUFUS_FIREFLY_\n\t[FRDGOV 650101-990809]\n"));
        assert!(!looks_like_petrarch("country\tFreedonia\tiso=FRD\n"));
        assert!(!looks_like_petrarch("issue\tceasefire\n"));
        // A dipgraph record anywhere wins over PETRARCH-looking lines.
        assert!(!looks_like_petrarch("FREEDONIA_ [FRD]\nperson\tRufus\tcountry=FRD\n"));
        assert!(!looks_like_petrarch(""));
        assert!(!looks_like_petrarch("# only [FRD] in a comment\n\n"));
        assert!(!looks_like_petrarch("see [the docs] for details\n+ a list item\n"));
        // Synonyms alone (a discards file) are not enough: an actor file has codes.
        assert!(!looks_like_petrarch("+BASEBALL_\n+SOCCER_\nFOOTBALL_\n"));
        // Other PETRARCH dictionaries are not actor dictionaries.
        let verbs = "--- MAKE STATEMENT [010] ---\nSAY\n+SAID\n- * ABOUT [010]\n- * THAT [IGO]\n";
        assert!(!looks_like_petrarch(verbs));
        let issues = "<ISSUE CATEGORY=\"ECONOMY\">\nlabor n:union [ECON]\nfree trade [TRADE]\n~economic [EGY]\n";
        assert!(!looks_like_petrarch(issues));
        assert!(!looks_like_petrarch("{\"id\": \"a\", \"codes\": \"[USAGOV]\"}\n"));
        // Free text inside a `<!-- -->` block is not counted against the file.
        let commented =
            "<!--\nThis dictionary lists the actors\nof a made-up world.\n-->\nFREEDONIA_ [FRD]\n";
        assert!(looks_like_petrarch(commented));
        // Mixed-case actor phrases written with underscores are fine.
        assert!(looks_like_petrarch("Rufus_T_Firefly_\n\t[FRDGOV 330101-350101]\n"));
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let long_brackets = "[".repeat(10_000);
        let many_synonyms = format!("ÉTAT_ [FRD]\n{}", "+É_\n".repeat(10_000));
        let inputs = [
            "",
            "\u{feff}FREEDONIA_ [FRD]",
            "[",
            "]",
            "+",
            "X [",
            "X []",
            "X [é]",
            "X [ABC é]",
            "X [ABC <]",
            "X [ABC >1]",
            "X [ABC -]",
            "X [ABC 991231-]",
            "X [ABC 999999-999999]",
            "ß_ [ABC]\r\n+ǅ_\r\n\t[ABCGOV 010101-020202]",
            "\u{0}\u{1}[ABC]\u{7f}",
            "MC [MCC]\n'S [ABC]\n' [ABC]\n_'_ [ABC]",
            long_brackets.as_str(),
            many_synonyms.as_str(),
        ];
        for text in inputs {
            let (records, _) = parse_actors(text, "odd");
            assert_valid_lexicon(&records);
            let _ = looks_like_petrarch(text);
        }
        let (records, errors) = parse_actors(&many_synonyms, "odd");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(field(&records[0], "alias"), vec!["É"]);
    }

    /// A line built from the pieces of the format, often malformed.
    const DICTIONARY_LINE: &str = "([A-Z_]{0,8}|\\+[A-Z_'.]{0,8}|\t|<!--|-->|;)\
        ( ?\\[[A-Z-]{0,7}( [<>]?[0-9]{0,8}(-[0-9]{0,8})?)?\\]?){0,3}( ?#x)?(\n|\r\n)";

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn never_panics_and_output_is_valid(text in "(\\PC{0,40}\n){0,8}") {
            let (records, _) = parse_actors(&text, "fuzz");
            assert_valid_lexicon(&records);
            let _ = looks_like_petrarch(&text);
        }

        #[test]
        fn never_panics_on_dictionary_like_text(
            lines in proptest::collection::vec(DICTIONARY_LINE, 0..20)
        ) {
            let text = lines.concat();
            let (records, errors) = parse_actors(&text, "fuzz");
            assert_valid_lexicon(&records);
            let line_count = text.lines().count();
            for error in &errors {
                let LexiconError::Bad { line, .. } = error else { panic!("unexpected {error}") };
                prop_assert!(*line >= 1 && *line <= line_count, "{error} in {text:?}");
            }
            let _ = looks_like_petrarch(&text);
        }
    }

    /// Converts the Phoenix actor dictionaries (needs /work/shared; run with `--ignored`).
    #[test]
    #[ignore]
    fn phoenix_dictionaries() {
        use std::collections::BTreeMap;
        let dir = std::path::Path::new("/work/shared/bench/event-coding");
        let files = [
            "Phoenix.Countries.actors.txt",
            "Phoenix.International.actors.txt",
            "Phoenix.MilNonState.actors.txt",
        ];
        let mut texts = Vec::new();
        for file in files {
            let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
            texts.push((file, String::from_utf8_lossy(&bytes).into_owned()));
        }
        let start = std::time::Instant::now();
        let mut all_records = Vec::new();
        let mut all_errors = Vec::new();
        for (file, text) in &texts {
            assert!(looks_like_petrarch(text), "{file} not recognised");
            let (records, errors) = parse_actors(text, file);
            let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
            for record in &records {
                *kinds.entry(record.kind.as_str()).or_default() += 1;
            }
            println!("{file}: {} records {kinds:?}, {} errors", records.len(), errors.len());
            all_records.extend(records);
            all_errors.extend(errors);
        }
        let elapsed = start.elapsed();
        let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
        for record in &all_records {
            *kinds.entry(record.kind.as_str()).or_default() += 1;
        }
        println!(
            "total: {} records {kinds:?}, {} errors, {elapsed:?}",
            all_records.len(),
            all_errors.len()
        );
        for error in &all_errors {
            println!("  {error}");
        }
        assert_valid_lexicon(&all_records);
        assert!(all_records.len() > 20_000);
    }
}
