//! Agreement with PETRARCH-2's codings of the event-coding validation suite
//! (`bench/event-coding/validation.jsonl`).
//!
//! Why this module exists: dipgraph's own gold corpus ([`crate::eval`]) is small and written by
//! the same people who write the extractor. The PETRARCH-2 validation suite is an outside
//! reference with real-world actors, in CAMEO, so it shows whether dipgraph codes the same
//! *kind* of event between the same *countries* as a well-known dictionary coder. It is **not**
//! a gold standard: its codings are PETRARCH-2 output with some corrections, and they follow
//! PETRARCH conventions (a meeting's location coded as target, agent-composed codes) that
//! dipgraph deliberately does not share. The figures are therefore *agreement*, not accuracy,
//! and they are compared at the coarsest level both systems share: the CAMEO root and the
//! country of each side.
//!
//! # How a record is compared
//!
//! Each record's text becomes one [`Article`] (id = record id, published = record date, no
//! title, the text as one paragraph) and goes through [`Extractor::extract`]. Then:
//!
//! - a PETRARCH actor code is compared by its *country* ([`code_key`]): its first three letters
//!   when they are letters and not `IGO`, `NGO`, `IMG`, `MNC` or `UAF`; an `IGO…` code is
//!   compared as a whole; anything else (`---REB`, `NGO…`, null) has no country and cannot be
//!   compared;
//! - dipgraph's side of the comparison is the ISO alpha-3 `country` of an entity; an entity
//!   without one (an international organisation, an unknown name) compares with nothing;
//! - for every expected event: `root_found` when some system event of the record has the same
//!   CAMEO root; `source_found` when some system event with that root has an actor whose country
//!   is the expected source's country; `dyad_found` when, in addition, one of that same event's
//!   participants or its topic has the expected target's country. A null target, or one with no
//!   country (`---REB`), puts no condition on the target, so `dyad_found` is then `source_found`;
//! - a record with `events: []` expects no event and is right when dipgraph outputs none.
//!
//! Rates are taken over all expected events (or all no-event records), so events whose source
//! cannot be compared (null, `---GOV`, `IGO…`) count as not found; the report says how many
//! there are, which bounds the reachable source and dyad agreement.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::article::Article;
use crate::extract::Extractor;
use crate::lexicon::Lexicon;
use crate::model::{ArticleRef, Cameo, Entity, Event};

/// Three-letter prefixes of PETRARCH codes that are not countries.
const NON_COUNTRY_PREFIXES: [&str; 5] = ["IGO", "NGO", "IMG", "MNC", "UAF"];

/// A problem reading the validation file; never a panic.
#[derive(Debug, thiserror::Error)]
pub enum AgreementError {
    /// The file could not be read (missing, unreadable, or not UTF-8 text).
    #[error("{}: cannot read the validation file: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A line is not a valid validation record.
    #[error(
        "{}:{line}: bad validation record: {message}; expected \
         {{\"id\", \"date\", \"text\", \"events\": [{{\"source\", \"target\", \"cameo\", \"root\"}}]}}",
        path.display()
    )]
    BadRecord {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong with the line.
        message: String,
    },
}

/// One record of the validation suite: a text and the events PETRARCH-2 codes in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationRecord {
    /// Record identifier (the upstream sentence id).
    pub id: String,
    /// Date of the text, when the record has one.
    pub date: Option<NaiveDate>,
    /// The sentence or short passage to code.
    pub text: String,
    /// The expected events; empty means no event is expected.
    pub events: Vec<ExpectedEvent>,
}

/// One expected event: PETRARCH source and target codes and the CAMEO root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedEvent {
    /// PETRARCH actor code of the source (`RUSGOV`, `IGOUNO`, `---REB`), if any.
    pub source: Option<String>,
    /// PETRARCH actor code of the target, if any.
    pub target: Option<String>,
    /// CAMEO root, two digits (`"04"`).
    pub root: String,
}

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    date: Option<String>,
    text: String,
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    source: Option<String>,
    target: Option<String>,
    cameo: Option<String>,
    root: Option<String>,
}

/// Reads a validation file: one JSON record per line, blank lines ignored.
pub fn read_records(path: &Path) -> Result<Vec<ValidationRecord>, AgreementError> {
    let text = fs::read_to_string(path)
        .map_err(|source| AgreementError::Io { path: path.to_path_buf(), source })?;
    let mut records = Vec::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let record = parse_record(line).map_err(|message| AgreementError::BadRecord {
            path: path.to_path_buf(),
            line: index + 1,
            message,
        })?;
        records.push(record);
    }
    Ok(records)
}

fn parse_record(line: &str) -> Result<ValidationRecord, String> {
    let raw: RawRecord = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let date = match raw.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(date) => Some(
            NaiveDate::parse_from_str(date, "%Y-%m-%d")
                .map_err(|_| format!("date {date:?} is not a YYYY-MM-DD date"))?,
        ),
        None => None,
    };
    let events = raw.events.into_iter().map(parse_event).collect::<Result<Vec<_>, _>>()?;
    Ok(ValidationRecord { id: raw.id, date, text: raw.text, events })
}

fn parse_event(raw: RawEvent) -> Result<ExpectedEvent, String> {
    let code = raw.root.as_deref().or(raw.cameo.as_deref()).map(str::trim).unwrap_or("");
    let root = Cameo::parse(code)
        .map(|c| c.root().to_string())
        .ok_or_else(|| format!("event has no valid CAMEO root or code (got {code:?})"))?;
    let clean = |code: Option<String>| {
        code.map(|c| c.trim().to_ascii_uppercase()).filter(|c| !c.is_empty())
    };
    Ok(ExpectedEvent { source: clean(raw.source), target: clean(raw.target), root })
}

/// What a PETRARCH actor code is compared on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CodeKey {
    /// The code's country (ISO alpha-3, as PETRARCH uses), e.g. `RUS` for `RUSGOV`.
    Country(String),
    /// An intergovernmental organisation, compared by its whole code (`IGOUNO`).
    Igo(String),
    /// No country can be read from the code (null, `---REB`, `NGO…`, `IMG…`, `MNC…`).
    Unknown,
}

impl CodeKey {
    /// The text an entity's country must equal, when there is one.
    fn as_str(&self) -> Option<&str> {
        match self {
            CodeKey::Country(code) | CodeKey::Igo(code) => Some(code),
            CodeKey::Unknown => None,
        }
    }
}

/// The comparison key of a PETRARCH actor code (see the module documentation).
pub fn code_key(code: Option<&str>) -> CodeKey {
    let Some(code) = code.map(str::trim).map(str::to_ascii_uppercase) else {
        return CodeKey::Unknown;
    };
    let Some(prefix) = code.get(..3) else {
        return CodeKey::Unknown;
    };
    if prefix == "IGO" {
        CodeKey::Igo(code)
    } else if prefix.bytes().all(|b| b.is_ascii_alphabetic())
        && !NON_COUNTRY_PREFIXES.contains(&prefix)
    {
        CodeKey::Country(prefix.to_string())
    } else {
        CodeKey::Unknown
    }
}

/// The part of a dipgraph event that the comparison uses, with a readable summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemCoding {
    /// CAMEO root of the action.
    pub root: String,
    /// Country of the actor, if it has one.
    pub actor_country: Option<String>,
    /// Countries of the participants and the topic (those that have one).
    pub other_countries: Vec<String>,
    /// One-line summary: `actor(CTY) code verb -> participants; topic`.
    pub summary: String,
}

impl SystemCoding {
    fn from_event(event: &Event) -> SystemCoding {
        let others = event.participants.iter().chain(event.topic.as_ref());
        let other_countries = others.filter_map(|e| e.country.clone()).collect();
        let mut summary = format!(
            "{} {} {}",
            entity_label(&event.actor),
            event.action.cameo.code(),
            event.action.verb
        );
        if !event.participants.is_empty() {
            let names: Vec<String> = event.participants.iter().map(entity_label).collect();
            let _ = write!(summary, " -> {}", names.join(", "));
        }
        if let Some(topic) = &event.topic {
            let _ = write!(summary, " about {}", entity_label(topic));
        }
        SystemCoding {
            root: event.action.cameo.root().to_string(),
            actor_country: event.actor.country.clone(),
            other_countries,
            summary,
        }
    }
}

fn entity_label(entity: &Entity) -> String {
    match &entity.country {
        Some(country) => format!("{}({country})", entity.name),
        None => entity.name.clone(),
    }
}

/// How one expected event fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectedResult {
    /// The expected event.
    pub expected: ExpectedEvent,
    /// Some system event of the record has the same CAMEO root.
    pub root_found: bool,
    /// Some system event with that root has an actor of the expected source's country.
    pub source_found: bool,
    /// That, and the same event has a participant or topic of the expected target's country.
    pub dyad_found: bool,
    /// The source could not be compared: the expected code has no country, or every system
    /// actor with the right root has none (an organisation, an unknown name).
    pub source_unknown: bool,
}

/// How one record fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordResult {
    /// Record identifier.
    pub id: String,
    /// One result per expected event (empty for a no-event record).
    pub expected: Vec<ExpectedResult>,
    /// What dipgraph coded in the record's text.
    pub system: Vec<SystemCoding>,
}

impl RecordResult {
    /// For a record expecting no event, whether dipgraph output none; `None` otherwise.
    pub fn no_event_correct(&self) -> Option<bool> {
        self.expected.is_empty().then_some(self.system.is_empty())
    }

    /// A one-line account of the record, for verbose output.
    pub fn line(&self) -> String {
        let expected = if self.expected.is_empty() {
            format!("no event expected [left empty: {}]", yes_no(self.system.is_empty()))
        } else {
            let parts: Vec<String> = self
                .expected
                .iter()
                .map(|r| {
                    format!(
                        "{}->{} {} [root {}, source {}, dyad {}]",
                        r.expected.source.as_deref().unwrap_or("-"),
                        r.expected.target.as_deref().unwrap_or("-"),
                        r.expected.root,
                        yes_no(r.root_found),
                        if r.source_unknown && !r.source_found {
                            "unknown"
                        } else {
                            yes_no(r.source_found)
                        },
                        yes_no(r.dyad_found),
                    )
                })
                .collect();
            parts.join("; ")
        };
        let system = if self.system.is_empty() {
            "none".to_string()
        } else {
            self.system.iter().map(|s| s.summary.as_str()).collect::<Vec<_>>().join("; ")
        };
        format!("{}: {expected} | dipgraph: {system}", self.id)
    }
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "yes"
    } else {
        "no"
    }
}

/// Counts over the whole suite.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AgreementTotals {
    /// Records compared.
    pub records: usize,
    /// Records that expect at least one event.
    pub event_records: usize,
    /// Expected events.
    pub expected_events: usize,
    /// Expected events whose CAMEO root dipgraph also coded in the record.
    pub root_found: usize,
    /// Expected events whose root and source country dipgraph coded.
    pub source_found: usize,
    /// Expected events whose root, source and target country dipgraph coded.
    pub dyad_found: usize,
    /// Expected events whose source code names a country (`RUSGOV`); only these can be found
    /// while dipgraph's organisations carry no country.
    pub source_country_coded: usize,
    /// Expected events whose source is an intergovernmental organisation (`IGOUNO`).
    pub source_igo: usize,
    /// Expected events whose source could not be compared (see [`ExpectedResult`]).
    pub source_unknown: usize,
    /// Records that expect no event.
    pub no_event_records: usize,
    /// No-event records where dipgraph output no event.
    pub no_event_correct: usize,
    /// Events dipgraph output over all records.
    pub system_events: usize,
    /// Events dipgraph output on records expecting no event.
    pub system_events_on_no_event_records: usize,
    /// Events dipgraph output whose root matches no expected event of their record.
    pub system_events_other_root: usize,
}

impl AgreementTotals {
    fn add(&mut self, record: &RecordResult) {
        self.records += 1;
        self.system_events += record.system.len();
        if record.expected.is_empty() {
            self.no_event_records += 1;
            self.no_event_correct += usize::from(record.system.is_empty());
            self.system_events_on_no_event_records += record.system.len();
            self.system_events_other_root += record.system.len();
            return;
        }
        self.event_records += 1;
        for r in &record.expected {
            self.expected_events += 1;
            self.root_found += usize::from(r.root_found);
            self.source_found += usize::from(r.source_found);
            self.dyad_found += usize::from(r.dyad_found);
            match code_key(r.expected.source.as_deref()) {
                CodeKey::Country(_) => self.source_country_coded += 1,
                CodeKey::Igo(_) => self.source_igo += 1,
                CodeKey::Unknown => {}
            }
            self.source_unknown += usize::from(r.source_unknown);
        }
        self.system_events_other_root += record
            .system
            .iter()
            .filter(|s| !record.expected.iter().any(|r| r.expected.root == s.root))
            .count();
    }
}

/// `part / whole`, with 0/0 taken as 0.
fn rate(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The result of [`measure`]: totals and one result per record.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreementReport {
    /// Counts over all records.
    pub totals: AgreementTotals,
    /// One result per record, in input order.
    pub records: Vec<RecordResult>,
}

impl AgreementReport {
    /// Share of expected events whose CAMEO root dipgraph coded (0–1).
    pub fn root_agreement(&self) -> f64 {
        rate(self.totals.root_found, self.totals.expected_events)
    }

    /// Share of expected events whose root and source country dipgraph coded (0–1).
    pub fn source_agreement(&self) -> f64 {
        rate(self.totals.source_found, self.totals.expected_events)
    }

    /// Share of expected events whose root, source and target country dipgraph coded (0–1).
    pub fn dyad_agreement(&self) -> f64 {
        rate(self.totals.dyad_found, self.totals.expected_events)
    }

    /// Share of no-event records that dipgraph left without events (0–1).
    pub fn no_event_agreement(&self) -> f64 {
        rate(self.totals.no_event_correct, self.totals.no_event_records)
    }

    /// Events dipgraph output per record.
    pub fn system_events_per_record(&self) -> f64 {
        rate(self.totals.system_events, self.totals.records)
    }

    /// One line per record (see [`RecordResult::line`]), for verbose output.
    pub fn lines(&self) -> Vec<String> {
        self.records.iter().map(RecordResult::line).collect()
    }

    /// A short human-readable summary: figures as percentages with their counts.
    pub fn to_table(&self) -> String {
        let t = &self.totals;
        let pct = |part: usize, whole: usize| format!("{:5.1}%", 100.0 * rate(part, whole));
        let mut out = String::new();
        let _ = writeln!(
            out,
            "Agreement with PETRARCH-2 codings (a reference coder's output, not human gold)"
        );
        let _ = writeln!(
            out,
            "  {} records: {} with {} expected events, {} expecting no event",
            t.records, t.event_records, t.expected_events, t.no_event_records
        );
        let rows = [
            ("CAMEO root", t.root_found, t.expected_events),
            ("root + source country", t.source_found, t.expected_events),
            ("root + source + target", t.dyad_found, t.expected_events),
            ("no-event records left empty", t.no_event_correct, t.no_event_records),
        ];
        for (label, part, whole) in rows {
            let _ = writeln!(out, "  {label:<28} {} ({part}/{whole})", pct(part, whole));
        }
        let _ = writeln!(
            out,
            "  expected sources: {} country-coded, {} IGO, {} without a country (null, ---XXX, \
             NGO...); {} could not be compared",
            t.source_country_coded,
            t.source_igo,
            t.expected_events.saturating_sub(t.source_country_coded + t.source_igo),
            t.source_unknown
        );
        let _ = writeln!(
            out,
            "  dipgraph events: {} ({:.2} per record; {} on no-event records, {} with a root \
             not expected in their record)",
            t.system_events,
            self.system_events_per_record(),
            t.system_events_on_no_event_records,
            t.system_events_other_root
        );
        out
    }

    /// The report as JSON: totals, rates and one object per record.
    pub fn to_json(&self) -> Value {
        let t = &self.totals;
        let records: Vec<Value> = self
            .records
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "no_event_correct": r.no_event_correct(),
                    "expected": r.expected.iter().map(|e| json!({
                        "source": e.expected.source,
                        "target": e.expected.target,
                        "root": e.expected.root,
                        "root_found": e.root_found,
                        "source_found": e.source_found,
                        "dyad_found": e.dyad_found,
                        "source_unknown": e.source_unknown,
                    })).collect::<Vec<_>>(),
                    "system": r.system.iter().map(|s| json!({
                        "root": s.root,
                        "actor_country": s.actor_country,
                        "other_countries": s.other_countries,
                        "summary": s.summary,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        json!({
            "records": t.records,
            "event_records": t.event_records,
            "expected_events": t.expected_events,
            "root_found": t.root_found,
            "source_found": t.source_found,
            "dyad_found": t.dyad_found,
            "source_country_coded": t.source_country_coded,
            "source_igo": t.source_igo,
            "source_unknown": t.source_unknown,
            "root_agreement": self.root_agreement(),
            "source_agreement": self.source_agreement(),
            "dyad_agreement": self.dyad_agreement(),
            "no_event_records": t.no_event_records,
            "no_event_correct": t.no_event_correct,
            "no_event_agreement": self.no_event_agreement(),
            "system_events": t.system_events,
            "system_events_per_record": self.system_events_per_record(),
            "system_events_on_no_event_records": t.system_events_on_no_event_records,
            "system_events_other_root": t.system_events_other_root,
            "per_record": records,
        })
    }
}

/// The article dipgraph reads for a record: its text as one paragraph, no title.
fn article_of(record: &ValidationRecord) -> Article {
    let meta = ArticleRef { id: record.id.clone(), url: None, title: None, published: record.date };
    Article { meta, lead: None, paragraphs: vec![record.text.clone()] }
}

/// Whether an entity country (dipgraph side) matches a PETRARCH key; unknown matches nothing.
fn country_matches(country: Option<&str>, key: &CodeKey) -> bool {
    matches!((country, key.as_str()), (Some(a), Some(b)) if a == b)
}

fn judge(record: &ValidationRecord, events: &[Event]) -> RecordResult {
    let system: Vec<SystemCoding> = events.iter().map(SystemCoding::from_event).collect();
    let expected = record
        .events
        .iter()
        .map(|expected| {
            let same_root: Vec<&SystemCoding> =
                system.iter().filter(|s| s.root == expected.root).collect();
            let source = code_key(expected.source.as_deref());
            let target = code_key(expected.target.as_deref());
            let by_source: Vec<&&SystemCoding> = same_root
                .iter()
                .filter(|s| country_matches(s.actor_country.as_deref(), &source))
                .collect();
            let dyad_found = by_source.iter().any(|s| match target {
                CodeKey::Unknown => true,
                _ => s.other_countries.iter().any(|c| country_matches(Some(c), &target)),
            });
            let source_found = !by_source.is_empty();
            let source_unknown = !source_found
                && (source == CodeKey::Unknown
                    || (!same_root.is_empty()
                        && same_root.iter().all(|s| s.actor_country.is_none())));
            ExpectedResult {
                expected: expected.clone(),
                root_found: !same_root.is_empty(),
                source_found,
                dyad_found,
                source_unknown,
            }
        })
        .collect();
    RecordResult { id: record.id.clone(), expected, system }
}

/// Runs the extractor on every record's text and compares its events with the expected ones.
pub fn measure(records: &[ValidationRecord], lexicon: &Lexicon) -> AgreementReport {
    let extractor = Extractor::new(lexicon);
    let mut totals = AgreementTotals::default();
    let results: Vec<RecordResult> = records
        .iter()
        .map(|record| {
            let result = judge(record, &extractor.extract(&article_of(record)));
            totals.add(&result);
            result
        })
        .collect();
    AgreementReport { totals, records: results }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::embedded().expect("embedded lexicon loads")
    }

    fn write_jsonl(lines: &[&str]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().expect("temp file");
        std::io::Write::write_all(&mut file, lines.join("\n").as_bytes()).expect("write");
        file
    }

    /// Records whose outcome is known: `(text, expected events as JSON)`.
    const SUITE: [(&str, &str); 8] = [
        // Root, source and target all agree.
        (
            "Russia condemned Turkey on Monday.",
            r#"[{"source":"RUS","target":"TUR","cameo":"111","root":"11"}]"#,
        ),
        // Root and source agree, the target does not (Japan, not the United States).
        (
            "China criticized Japan over its fishing policy.",
            r#"[{"source":"CHNGOV","target":"USA","cameo":"111","root":"11"}]"#,
        ),
        // Root agrees, the source is the other side.
        ("India praised Brazil.", r#"[{"source":"BRA","target":"IND","cameo":"051","root":"05"}]"#),
        // Another root expected.
        (
            "Russia condemned Turkey on Monday.",
            r#"[{"source":"RUS","target":"TUR","cameo":"190","root":"19"}]"#,
        ),
        // No event expected, none produced.
        ("The weather in Paris was sunny on Tuesday.", "[]"),
        // No event expected, one produced.
        ("India praised Brazil.", "[]"),
        // An IGO source: dipgraph's organisation has no country, so the source is unknown.
        (
            "The United Nations condemned Syria.",
            r#"[{"source":"IGOUNO","target":"SYR","cameo":"111","root":"11"}]"#,
        ),
        // A null target puts no condition on the dyad.
        (
            "Egypt and Israel signed an agreement on gas exports.",
            r#"[{"source":"EGY","target":null,"cameo":"057","root":"05"}]"#,
        ),
    ];

    fn suite_file() -> tempfile::NamedTempFile {
        let lines: Vec<String> = SUITE
            .iter()
            .enumerate()
            .map(|(i, (text, events))| {
                format!(
                    r#"{{"id":"r{i}","date":"2024-03-04","text":{},"events":{events},"notes":"test"}}"#,
                    serde_json::to_string(text).expect("string serialises")
                )
            })
            .collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        write_jsonl(&refs)
    }

    #[test]
    fn reads_records_with_dates_codes_and_roots() {
        let file = suite_file();
        let records = read_records(file.path()).expect("suite reads");
        assert_eq!(records.len(), SUITE.len());
        assert_eq!(records[0].id, "r0");
        assert_eq!(records[0].date, NaiveDate::from_ymd_opt(2024, 3, 4));
        assert_eq!(
            records[1].events,
            vec![ExpectedEvent {
                source: Some("CHNGOV".into()),
                target: Some("USA".into()),
                root: "11".into()
            }]
        );
        assert!(records[4].events.is_empty());
        assert_eq!(records[7].events[0].target, None);
    }

    #[test]
    fn measure_counts_roots_sources_dyads_and_empty_records() {
        let file = suite_file();
        let records = read_records(file.path()).expect("suite reads");
        let report = measure(&records, &lexicon());
        let t = report.totals;
        assert_eq!(t.records, 8);
        assert_eq!(t.event_records, 6);
        assert_eq!(t.expected_events, 6);
        assert_eq!(t.root_found, 5, "{:#?}", report.lines());
        assert_eq!(t.source_found, 3, "{:#?}", report.lines());
        assert_eq!(t.dyad_found, 2, "{:#?}", report.lines());
        assert_eq!(t.source_country_coded, 5);
        assert_eq!(t.source_igo, 1);
        assert_eq!(t.source_unknown, 1, "{:#?}", report.lines());
        assert_eq!(t.no_event_records, 2);
        assert_eq!(t.no_event_correct, 1);
        assert_eq!(t.system_events, 7, "{:#?}", report.lines());
        assert_eq!(t.system_events_on_no_event_records, 1);
        assert_eq!(t.system_events_other_root, 2);

        let first = |i: usize| &report.records[i].expected[0];
        assert!(first(0).root_found && first(0).source_found && first(0).dyad_found);
        assert!(first(1).source_found && !first(1).dyad_found);
        assert!(first(2).root_found && !first(2).source_found);
        assert!(!first(3).root_found && !first(3).source_found);
        assert!(first(6).root_found && first(6).source_unknown && !first(6).source_found);
        assert!(first(7).dyad_found);
        assert_eq!(report.records[4].no_event_correct(), Some(true));
        assert_eq!(report.records[5].no_event_correct(), Some(false));
        assert_eq!(report.records[0].no_event_correct(), None);

        assert!((report.root_agreement() - 5.0 / 6.0).abs() < 1e-9);
        assert!((report.dyad_agreement() - 2.0 / 6.0).abs() < 1e-9);
        assert!((report.no_event_agreement() - 0.5).abs() < 1e-9);
        assert!((report.system_events_per_record() - 7.0 / 8.0).abs() < 1e-9);
    }

    #[test]
    fn report_renders_as_table_lines_and_json() {
        let file = suite_file();
        let records = read_records(file.path()).expect("suite reads");
        let report = measure(&records, &lexicon());
        let table = report.to_table();
        assert!(table.contains("83.3% (5/6)"), "{table}");
        assert!(table.contains("50.0% (1/2)"), "{table}");
        let lines = report.lines();
        assert_eq!(lines.len(), 8);
        assert!(lines[0].starts_with("r0: RUS->TUR 11 [root yes, source yes, dyad yes]"));
        assert!(lines[0].contains("Russia(RUS) 111"), "{}", lines[0]);
        assert!(lines[6].contains("source unknown"), "{}", lines[6]);
        let json = report.to_json();
        assert_eq!(json["expected_events"], 6);
        assert_eq!(json["dyad_found"], 2);
        assert_eq!(json["no_event_correct"], 1);
        assert_eq!(json["per_record"][5]["no_event_correct"], false);
        assert_eq!(json["per_record"][0]["system"][0]["actor_country"], "RUS");
    }

    #[test]
    fn bad_json_line_is_an_error_naming_file_and_line() {
        let file = write_jsonl(&[
            r#"{"id":"a","date":null,"text":"Russia condemned Turkey.","events":[]}"#,
            "",
            r#"{"id":"b","text": "unfinished"#,
        ]);
        let error = read_records(file.path()).expect_err("line 3 is bad");
        assert!(matches!(error, AgreementError::BadRecord { line: 3, .. }), "{error:?}");
        let message = error.to_string();
        assert!(message.contains(&format!("{}:3:", file.path().display())), "{message}");
    }

    #[test]
    fn bad_dates_roots_and_missing_events_are_errors() {
        let cases = [
            r#"{"id":"a","date":"04/03/2024","text":"x","events":[]}"#,
            r#"{"id":"a","date":null,"text":"x","events":[{"source":"RUS","target":null,"cameo":"99"}]}"#,
            r#"{"id":"a","date":null,"text":"x"}"#,
        ];
        for case in cases {
            let file = write_jsonl(&[case]);
            let error = read_records(file.path()).expect_err(case);
            assert!(matches!(error, AgreementError::BadRecord { line: 1, .. }), "{error:?}");
        }
        let file = write_jsonl(&[r#"{"id":"a","date":"","text":"x","events":[{"cameo":"042"}]}"#]);
        let records = read_records(file.path()).expect("root from cameo, empty date");
        assert_eq!(records[0].events[0].root, "04");
        assert_eq!(records[0].date, None);
    }

    #[test]
    fn missing_file_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().expect("temp dir");
        let error = read_records(&dir.path().join("absent.jsonl")).expect_err("no file");
        assert!(matches!(error, AgreementError::Io { .. }));
        assert!(error.to_string().contains("absent.jsonl"));
    }

    /// Needs the shared benchmark: `cargo test -- --ignored petrarch_validation_suite --nocapture`.
    #[test]
    #[ignore]
    fn petrarch_validation_suite() {
        let path = Path::new("/work/shared/bench/event-coding/validation.jsonl");
        let records = read_records(path).expect("validation suite reads");
        let report = measure(&records, &lexicon());
        for line in report.lines() {
            println!("{line}");
        }
        println!("{}", report.to_table());
        assert_eq!(report.totals.records, 78);
        assert_eq!(report.totals.expected_events, 80);
        assert_eq!(report.totals.no_event_records, 12);
    }

    #[test]
    fn code_keys_follow_petrarch_prefixes() {
        assert_eq!(code_key(Some("RUSGOV")), CodeKey::Country("RUS".into()));
        assert_eq!(code_key(Some("usa")), CodeKey::Country("USA".into()));
        assert_eq!(code_key(Some("IGOUNO")), CodeKey::Igo("IGOUNO".into()));
        assert_eq!(code_key(Some("---REB")), CodeKey::Unknown);
        assert_eq!(code_key(Some("NGOHRI")), CodeKey::Unknown);
        assert_eq!(code_key(Some("IMGMUSISI")), CodeKey::Unknown);
        assert_eq!(code_key(Some("G7")), CodeKey::Unknown);
        assert_eq!(code_key(None), CodeKey::Unknown);
    }
}
