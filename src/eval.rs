//! Scoring of the tool's events against gold annotations.
//!
//! Why this module exists: a change to the extractor is only an improvement if it scores better
//! on annotated articles, measured the same way every time. This module implements the
//! "Scoring" section of the corpus `SCHEMA.md` so that the numbers it prints are comparable
//! across runs and with the corpus's own reference scorer:
//!
//! - system events (lines of `events.jsonl`, read as [`SystemEvent`]) are matched to gold
//!   articles ([`GoldArticle`], read by [`load_gold_dir`]) by URL, else by file stem; events
//!   that match no gold article are ignored (and counted in [`Report::unmatched_events`]);
//! - every event becomes tuples: AT (actor, topic), AAT (actor, CAMEO root, topic) and
//!   AP (actor, participant, CAMEO root), one AP tuple per participant; a null topic matches
//!   only a null topic;
//! - names on both sides are normalised ([`normalize_name`]) and mapped to the article's
//!   canonical names ([`EntityIndex`]);
//! - a symmetric gold event is also stated with any participant as actor (AT, AAT) and by
//!   either orientation of each actor–participant pair (AP);
//! - gold tuples are unique per article (tuples from several events are merged: a tuple is
//!   required when any event that yields it is required, and it is stated by every form that
//!   any of those events allows); system tuples are distinct per article;
//! - each system tuple is assigned to a gold tuple it states, preferring an untaken one and a
//!   required one over an optional one. The assignment to required gold tuples is a maximum
//!   matching (greedy in sorted order, with a taken tuple handed over when its holder can move
//!   to another untaken candidate), so the result does not depend on the order of the events
//!   and never undercounts a greedy pass. A system tuple whose candidates are all taken is a
//!   duplicate and counts neither way; one with no candidate is a false positive; a match to
//!   an optional gold tuple counts neither way;
//! - precision = true / (true + false), recall = true / required gold tuples, F1 their harmonic
//!   mean, with 0/0 taken as 0, micro-averaged over the articles ([`score`], [`Report`]).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::ops::AddAssign;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::{json, Value};

/// Words dropped from the start of a name by [`normalize_name`].
const LEADING_WORDS: [&str; 5] = ["the", "his", "her", "their", "its"];

/// Shortest alias (in characters, after normalisation) that is looked for inside a longer name.
const MIN_INNER_ALIAS_CHARS: usize = 3;

/// Everything that can go wrong while loading gold annotations or system events.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    /// The gold directory could not be listed.
    #[error(
        "cannot list the gold directory {}: {source}; pass the directory that holds the gold \
         NNN.json files (e.g. corpus/dev/gold)",
        path.display()
    )]
    GoldDir {
        /// The directory.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// The gold directory holds no `*.json` file.
    #[error(
        "no *.json gold files in {}; pass the directory that holds the gold NNN.json files \
         (e.g. corpus/dev/gold)",
        path.display()
    )]
    NoGold {
        /// The directory.
        path: PathBuf,
    },
    /// A file could not be read.
    #[error("cannot read {}: {source}; check that the file exists and is readable UTF-8 text", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying I/O error.
        source: io::Error,
    },
    /// A gold file is not JSON of the gold format.
    #[error(
        "gold file {} is not valid gold JSON: {source}; fix it so that it follows the gold \
         format of SCHEMA.md",
        path.display()
    )]
    GoldJson {
        /// The gold file.
        path: PathBuf,
        /// The parser's error, with line and column.
        source: serde_json::Error,
    },
    /// A gold file parses but breaks a rule of the gold format.
    #[error("gold file {}: {message}; fix it so that it follows the gold format of SCHEMA.md", path.display())]
    GoldInvalid {
        /// The gold file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// Two gold files annotate the same article.
    #[error(
        "gold files {} and {} both annotate article {id}; keep one gold file per article",
        first.display(),
        second.display()
    )]
    DuplicateArticle {
        /// The article id (file stem).
        id: String,
        /// The first gold file.
        first: PathBuf,
        /// The second gold file.
        second: PathBuf,
    },
    /// A JSON value is not an event record of `events.jsonl`.
    #[error(
        "not an event record of events.jsonl: {message}; pass one record as written by the \
         tool (article, actor, action, topic, participants)"
    )]
    Record {
        /// What is wrong, from the JSON parser.
        message: String,
    },
    /// A line of an `events.jsonl` file is not an event record.
    #[error(
        "{}:{line}: not an event record: {message}; regenerate the file with the tool, one \
         JSON record per line",
        path.display()
    )]
    EventsLine {
        /// The events file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong, from the JSON parser.
        message: String,
    },
}

// ---------------------------------------------------------------------------------------------
// System events
// ---------------------------------------------------------------------------------------------

/// What the scorer needs from one line of the tool's `events.jsonl`.
///
/// Deserialises directly from the record (`serde_json::from_str::<SystemEvent>(line)`); fields
/// the scorer does not need (sentence, date, ids, kinds, …) are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "RawRecord")]
pub struct SystemEvent {
    /// `article.id`: the article's file stem, e.g. `d00`.
    pub article_id: String,
    /// `article.url`, when the record has one.
    pub url: Option<String>,
    /// `actor.name`.
    pub actor: String,
    /// CAMEO root: `action.root`, or the first two digits of `action.cameo` when there is no root.
    pub root: String,
    /// `topic.name`, or `None` for a null topic.
    pub topic: Option<String>,
    /// `participants[].name`.
    pub participants: Vec<String>,
}

impl SystemEvent {
    /// Builds an event by hand (tests, conversions); `root` is normalised like a record's.
    pub fn new(
        article_id: impl Into<String>,
        actor: impl Into<String>,
        root: &str,
        topic: Option<&str>,
        participants: &[&str],
    ) -> SystemEvent {
        SystemEvent {
            article_id: article_id.into(),
            url: None,
            actor: actor.into(),
            root: normalize_root(root),
            topic: topic.map(str::to_string),
            participants: participants.iter().map(|p| p.to_string()).collect(),
        }
    }

    /// The same event with `article.url` set.
    pub fn with_url(mut self, url: impl Into<String>) -> SystemEvent {
        self.url = Some(url.into());
        self
    }
}

#[derive(Deserialize)]
struct RawRecord {
    article: RawArticle,
    actor: RawNamed,
    action: RawAction,
    #[serde(default)]
    topic: Option<RawNamed>,
    #[serde(default)]
    participants: Option<Vec<RawNamed>>,
}

#[derive(Deserialize)]
struct RawArticle {
    id: String,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawNamed {
    name: String,
}

#[derive(Deserialize)]
struct RawAction {
    #[serde(default)]
    root: Option<String>,
    #[serde(default)]
    cameo: Option<String>,
}

impl TryFrom<RawRecord> for SystemEvent {
    type Error = String;

    fn try_from(raw: RawRecord) -> Result<SystemEvent, String> {
        let non_empty = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        let code = non_empty(raw.action.root)
            .or_else(|| non_empty(raw.action.cameo))
            .ok_or_else(|| "action has neither a root nor a cameo code".to_string())?;
        Ok(SystemEvent {
            article_id: raw.article.id,
            url: raw.article.url.map(|u| u.trim().to_string()).filter(|u| !u.is_empty()),
            actor: raw.actor.name,
            root: normalize_root(&code),
            topic: raw.topic.map(|t| t.name),
            participants: raw
                .participants
                .unwrap_or_default()
                .into_iter()
                .map(|p| p.name)
                .collect(),
        })
    }
}

/// Reads one event record (a parsed line of `events.jsonl`).
pub fn from_record(value: &Value) -> Result<SystemEvent, EvalError> {
    SystemEvent::deserialize(value).map_err(|e| EvalError::Record { message: e.to_string() })
}

/// Reads every record of an `events.jsonl` file (blank lines skipped); errors name file and line.
pub fn read_events_jsonl(path: &Path) -> Result<Vec<SystemEvent>, EvalError> {
    let text = fs::read_to_string(path)
        .map_err(|source| EvalError::Read { path: path.to_path_buf(), source })?;
    let mut events = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event = serde_json::from_str::<SystemEvent>(line).map_err(|e| {
            EvalError::EventsLine { path: path.to_path_buf(), line: i + 1, message: e.to_string() }
        })?;
        events.push(event);
    }
    Ok(events)
}

/// CAMEO root of a code as written: digits give their first two (`"040"` → `"04"`, `"4"` →
/// `"04"`); anything else is kept trimmed and lower-cased, so that it matches nothing.
fn normalize_root(code: &str) -> String {
    let code = code.trim();
    if !code.is_empty() && code.bytes().all(|b| b.is_ascii_digit()) {
        if code.len() == 1 {
            format!("0{code}")
        } else {
            code[..2].to_string()
        }
    } else {
        code.to_lowercase()
    }
}

/// The root of a gold `cameo` when it is a CAMEO root 01–20 (or a longer code with such a root).
fn gold_root(code: &str) -> Option<String> {
    let code = code.trim();
    let digits = !code.is_empty() && code.len() <= 4 && code.bytes().all(|b| b.is_ascii_digit());
    if !digits {
        return None;
    }
    let root = normalize_root(code);
    let number: u8 = root.parse().ok()?;
    (1..=20).contains(&number).then_some(root)
}

// ---------------------------------------------------------------------------------------------
// Gold annotations
// ---------------------------------------------------------------------------------------------

/// One gold file `NNN.json` (see SCHEMA.md), plus the article's URL when the caller knows it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldArticle {
    /// Article file name, e.g. `d00.txt`; its stem is the article id.
    pub article: String,
    /// Article date (ISO), when given.
    #[serde(default)]
    pub date: Option<String>,
    /// Canonical name → surface forms that refer to it in this article.
    pub entities: BTreeMap<String, Vec<String>>,
    /// The annotated events.
    pub events: Vec<GoldEvent>,
    /// The article's URL (line 2 of the article file); not in the gold JSON, filled by the
    /// caller or by [`attach_urls`]. System events are matched by URL first when it is set.
    #[serde(default)]
    pub url: Option<String>,
}

impl GoldArticle {
    /// The article id: the stem of [`GoldArticle::article`] (`d00.txt` → `d00`).
    pub fn id(&self) -> &str {
        Path::new(&self.article).file_stem().and_then(|s| s.to_str()).unwrap_or(&self.article)
    }
}

/// One gold event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct GoldEvent {
    /// Canonical name of the actor.
    pub actor: String,
    /// Verb lemma or phrase (not scored).
    #[serde(default)]
    pub action: String,
    /// Two-digit CAMEO root.
    pub cameo: String,
    /// Canonical name of the topic, or `None` (null).
    #[serde(default)]
    pub topic: Option<String>,
    /// Canonical names of the other parties.
    #[serde(default)]
    pub participants: Vec<String>,
    /// Whether swapping actor and a participant states the same fact.
    #[serde(default)]
    pub symmetric: bool,
    /// Provenance sentence (not scored).
    #[serde(default)]
    pub sentence: String,
    /// An event a careful coder may or may not code: costs no recall, is no false positive.
    #[serde(default)]
    pub optional: bool,
}

/// Reads and checks one gold file; errors name the file.
pub fn load_gold_file(path: &Path) -> Result<GoldArticle, EvalError> {
    let text = fs::read_to_string(path)
        .map_err(|source| EvalError::Read { path: path.to_path_buf(), source })?;
    let gold: GoldArticle = serde_json::from_str(&text)
        .map_err(|source| EvalError::GoldJson { path: path.to_path_buf(), source })?;
    let invalid = |message: String| EvalError::GoldInvalid { path: path.to_path_buf(), message };
    if gold.id().trim().is_empty() {
        return Err(invalid("\"article\" is empty; it must be the article's file name".into()));
    }
    for (i, event) in gold.events.iter().enumerate() {
        if gold_root(&event.cameo).is_none() {
            return Err(invalid(format!(
                "event {} (actor {:?}) has cameo {:?}; expected a two-digit CAMEO root 01-20",
                i + 1,
                event.actor,
                event.cameo
            )));
        }
        if event.actor.trim().is_empty() {
            return Err(invalid(format!("event {} has an empty actor", i + 1)));
        }
    }
    Ok(gold)
}

/// Reads every `*.json` file of `dir`, sorted by file name. Errors name the offending file;
/// a directory without gold files or two files for the same article are errors too.
pub fn load_gold_dir(dir: &Path) -> Result<Vec<GoldArticle>, EvalError> {
    let entries = fs::read_dir(dir)
        .map_err(|source| EvalError::GoldDir { path: dir.to_path_buf(), source })?;
    let mut paths = Vec::new();
    for entry in entries {
        let entry =
            entry.map_err(|source| EvalError::GoldDir { path: dir.to_path_buf(), source })?;
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") && path.is_file() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(EvalError::NoGold { path: dir.to_path_buf() });
    }
    paths.sort();
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut gold = Vec::with_capacity(paths.len());
    for path in paths {
        let article = load_gold_file(&path)?;
        if let Some(first) = seen.get(article.id()) {
            return Err(EvalError::DuplicateArticle {
                id: article.id().to_string(),
                first: first.clone(),
                second: path,
            });
        }
        seen.insert(article.id().to_string(), path);
        gold.push(article);
    }
    Ok(gold)
}

/// The URL of an article text: its second line, trimmed (`None` when empty or missing).
pub fn article_url(text: &str) -> Option<String> {
    text.lines().nth(1).map(str::trim).filter(|l| !l.is_empty()).map(str::to_string)
}

/// Sets each gold article's [`GoldArticle::url`] from line 2 of `<articles_dir>/<article>`.
/// Articles whose file does not exist keep their URL; returns how many URLs were set.
pub fn attach_urls(gold: &mut [GoldArticle], articles_dir: &Path) -> Result<usize, EvalError> {
    let mut attached = 0;
    for article in gold.iter_mut() {
        let path = articles_dir.join(&article.article);
        match fs::read_to_string(&path) {
            Ok(text) => {
                if let Some(url) = article_url(&text) {
                    article.url = Some(url);
                    attached += 1;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(source) => return Err(EvalError::Read { path, source }),
        }
    }
    Ok(attached)
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// Normalises a name for comparison: diacritics folded to ASCII (deunicode, close to NFKD
/// without combining marks), lower case, punctuation other than `'` and `-` removed, whitespace
/// folded to single spaces, and one leading "the", "his", "her", "their" or "its" dropped
/// (unless it is the only word).
pub fn normalize_name(name: &str) -> String {
    let folded = deunicode::deunicode(name).to_lowercase();
    let kept: String = folded
        .chars()
        .filter_map(|c| {
            if c.is_whitespace() {
                Some(' ')
            } else if c.is_alphanumeric() || c == '\'' || c == '-' {
                Some(c)
            } else {
                None
            }
        })
        .collect();
    let words: Vec<&str> = kept.split_whitespace().collect();
    let words = match words.split_first() {
        Some((first, rest)) if !rest.is_empty() && LEADING_WORDS.contains(first) => rest,
        _ => &words[..],
    };
    words.join(" ")
}

/// Position of `needle` inside `hay` standing as whole words: the characters just before and
/// after it (if any) are not letters or digits. The leftmost such position is returned.
fn find_whole_words(hay: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    hay.match_indices(needle).map(|(i, _)| i).find(|&i| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Maps names to an article's canonical names through its `entities` (SCHEMA.md, Scoring).
#[derive(Debug, Clone, Default)]
pub struct EntityIndex {
    /// Normalised alias → normalised canonical name.
    exact: HashMap<String, String>,
    /// (normalised alias, normalised canonical name) for aliases of 3+ characters, longest first.
    inner: Vec<(String, String)>,
}

impl EntityIndex {
    /// Indexes `entities` (canonical name → surface forms); each canonical name is an alias of
    /// itself. Where two entities claim one form, a canonical name wins over a surface form and
    /// otherwise the canonical name that sorts first.
    pub fn new(entities: &BTreeMap<String, Vec<String>>) -> EntityIndex {
        let mut exact: HashMap<String, String> = HashMap::new();
        for canonical in entities.keys() {
            let norm = normalize_name(canonical);
            if !norm.is_empty() {
                exact.entry(norm.clone()).or_insert(norm);
            }
        }
        for (canonical, aliases) in entities {
            let target = normalize_name(canonical);
            for alias in aliases {
                let norm = normalize_name(alias);
                if !norm.is_empty() {
                    exact.entry(norm).or_insert_with(|| target.clone());
                }
            }
        }
        let mut inner: Vec<(String, String)> = exact
            .iter()
            .filter(|(alias, _)| alias.chars().count() >= MIN_INNER_ALIAS_CHARS)
            .map(|(alias, canonical)| (alias.clone(), canonical.clone()))
            .collect();
        inner.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.cmp(b)));
        EntityIndex { exact, inner }
    }

    /// The normalised canonical name for `name`: an exact alias first; otherwise the longest
    /// alias of 3+ characters standing as whole words inside it (the leftmost one among equally
    /// long ones); otherwise the normalised name itself.
    pub fn canonical(&self, name: &str) -> String {
        let norm = normalize_name(name);
        if let Some(canonical) = self.exact.get(&norm) {
            return canonical.clone();
        }
        let mut best: Option<(usize, usize, &str)> = None; // (length, position, canonical)
        for (alias, canonical) in &self.inner {
            if best.is_some_and(|(len, _, _)| alias.len() < len) {
                break;
            }
            if let Some(pos) = find_whole_words(&norm, alias) {
                if best.is_none_or(|(_, best_pos, _)| pos < best_pos) {
                    best = Some((alias.len(), pos, canonical));
                }
            }
        }
        best.map_or(norm, |(_, _, canonical)| canonical.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Scores
// ---------------------------------------------------------------------------------------------

/// Counts for one tuple kind, and precision, recall and F1 derived from them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Prf {
    /// System tuples assigned to a required gold tuple.
    pub tp: usize,
    /// Distinct system tuples that state no gold tuple.
    pub fp: usize,
    /// Required gold tuples.
    pub gold_required: usize,
    /// System tuples whose every candidate gold tuple was taken (count neither way).
    pub duplicates: usize,
    /// System tuples assigned to an optional gold tuple (count neither way).
    pub optional_matched: usize,
}

/// `num / den`, with 0/0 (and anything over 0) taken as 0.
fn ratio(num: usize, den: usize) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

impl Prf {
    /// tp / (tp + fp); 0 when there are no counted system tuples.
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }

    /// tp / gold_required; 0 when there are no required gold tuples.
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.gold_required)
    }

    /// Harmonic mean of precision and recall; 0 when both are 0.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }

    fn to_json(self) -> Value {
        json!({
            "tp": self.tp,
            "fp": self.fp,
            "gold_required": self.gold_required,
            "duplicates": self.duplicates,
            "optional_matched": self.optional_matched,
            "precision": self.precision(),
            "recall": self.recall(),
            "f1": self.f1(),
        })
    }
}

impl AddAssign for Prf {
    fn add_assign(&mut self, other: Prf) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.gold_required += other.gold_required;
        self.duplicates += other.duplicates;
        self.optional_matched += other.optional_matched;
    }
}

/// Scores of the three tuple kinds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scores {
    /// (actor, topic): the lenient score.
    pub at: Prf,
    /// (actor, CAMEO root, topic).
    pub aat: Prf,
    /// (actor, participant, CAMEO root), one per participant.
    pub ap: Prf,
}

impl AddAssign for Scores {
    fn add_assign(&mut self, other: Scores) {
        self.at += other.at;
        self.aat += other.aat;
        self.ap += other.ap;
    }
}

impl Scores {
    fn to_json(self) -> Value {
        json!({ "at": self.at.to_json(), "aat": self.aat.to_json(), "ap": self.ap.to_json() })
    }
}

/// The result of [`score`]: one row per gold article (in gold order) and the micro-average.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Report {
    /// (article id, scores) for every gold article, including those without system events.
    pub per_article: Vec<(String, Scores)>,
    /// Counts summed over all articles (micro-average).
    pub overall: Scores,
    /// System events that matched no gold article (ignored by the scores).
    pub unmatched_events: usize,
}

impl Report {
    /// A fixed-width text table: one row per article when `per_article`, then `ALL`; columns
    /// AT, AAT and AP precision/recall/F1 (3 decimals) and AAT tp/fp/gold counts.
    pub fn to_table(&self, per_article: bool) -> String {
        let mut rows: Vec<(&str, &Scores)> = Vec::new();
        if per_article {
            rows.extend(self.per_article.iter().map(|(id, s)| (id.as_str(), s)));
        }
        rows.push(("ALL", &self.overall));
        let width = rows.iter().map(|(id, _)| id.chars().count()).max().unwrap_or(0).max(7);
        let mut out = String::new();
        let group = |name: &str| format!("{:-^20}", format!(" {name} "));
        let _ = writeln!(
            out,
            "{:width$}  {}  {}  {}  {:-^17}",
            "",
            group("AT"),
            group("AAT"),
            group("AP"),
            " AAT counts "
        );
        let prf_head = format!("{:>6} {:>6} {:>6}", "P", "R", "F1");
        let _ = writeln!(
            out,
            "{:width$}  {prf_head}  {prf_head}  {prf_head}  {:>5} {:>5} {:>5}",
            "article", "tp", "fp", "gold"
        );
        for (id, s) in rows {
            let prf =
                |p: &Prf| format!("{:>6.3} {:>6.3} {:>6.3}", p.precision(), p.recall(), p.f1());
            let _ = writeln!(
                out,
                "{id:width$}  {}  {}  {}  {:>5} {:>5} {:>5}",
                prf(&s.at),
                prf(&s.aat),
                prf(&s.ap),
                s.aat.tp,
                s.aat.fp,
                s.aat.gold_required
            );
        }
        if self.unmatched_events > 0 {
            let _ = writeln!(
                out,
                "({} system event(s) matched no gold article and were ignored)",
                self.unmatched_events
            );
        }
        out
    }

    /// The report as JSON: `per_article` (list of `{article, at, aat, ap}`), `overall`
    /// (`{at, aat, ap}`) and `unmatched_events`; each score has its counts and P/R/F1.
    pub fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .per_article
            .iter()
            .map(|(id, s)| {
                let mut row = s.to_json();
                row["article"] = json!(id);
                row
            })
            .collect();
        json!({
            "per_article": rows,
            "overall": self.overall.to_json(),
            "unmatched_events": self.unmatched_events,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring
// ---------------------------------------------------------------------------------------------

type AtTuple = (String, Option<String>);
type AatTuple = (String, String, Option<String>);
type ApTuple = (String, String, String);

/// A gold tuple: the forms of system tuple that state it, and whether it is required.
struct GoldTuple<K> {
    forms: BTreeSet<K>,
    required: bool,
}

/// The gold tuples of one article, keyed by the tuple as annotated.
struct GoldTuples<K>(BTreeMap<K, GoldTuple<K>>);

impl<K: Ord + Clone> GoldTuples<K> {
    fn new() -> Self {
        GoldTuples(BTreeMap::new())
    }

    /// Adds (or merges into) the gold tuple `key`, stated by `key` and `also`.
    fn add(&mut self, key: K, also: impl IntoIterator<Item = K>, required: bool) {
        let tuple = self
            .0
            .entry(key.clone())
            .or_insert_with(|| GoldTuple { forms: BTreeSet::new(), required: false });
        tuple.forms.insert(key);
        tuple.forms.extend(also);
        tuple.required |= required;
    }

    /// Assigns the distinct system tuples to gold tuples and counts the outcome.
    fn score(&self, system: &BTreeSet<K>) -> Prf {
        let gold: Vec<(&K, &GoldTuple<K>)> = self.0.iter().collect();
        let mut by_form: BTreeMap<&K, Vec<usize>> = BTreeMap::new();
        for (g, (_, tuple)) in gold.iter().enumerate() {
            for form in &tuple.forms {
                by_form.entry(form).or_default().push(g);
            }
        }
        // Candidates of each system tuple, most preferred first: required, stated exactly as
        // annotated, fewest alternative forms, then gold order.
        let candidates: Vec<Vec<usize>> = system
            .iter()
            .map(|s| {
                let mut c = by_form.get(s).cloned().unwrap_or_default();
                c.sort_by_key(|&g| (!gold[g].1.required, gold[g].0 != s, gold[g].1.forms.len(), g));
                c
            })
            .collect();
        let mut prf = Prf {
            gold_required: gold.iter().filter(|(_, t)| t.required).count(),
            fp: candidates.iter().filter(|c| c.is_empty()).count(),
            ..Prf::default()
        };
        let mut holder: Vec<Option<usize>> = vec![None; gold.len()];
        let is_required = |g: usize| gold[g].1.required;
        let assigned: Vec<bool> = (0..candidates.len())
            .map(|s| {
                let mut visited = vec![false; gold.len()];
                augment(s, &candidates, &is_required, &mut holder, &mut visited)
            })
            .collect();
        prf.tp = assigned.iter().filter(|&&a| a).count();
        for (s, cands) in candidates.iter().enumerate() {
            if assigned[s] || cands.is_empty() {
                continue;
            }
            match cands.iter().find(|&&g| !is_required(g) && holder[g].is_none()) {
                Some(&g) => {
                    holder[g] = Some(s);
                    prf.optional_matched += 1;
                }
                None => prf.duplicates += 1,
            }
        }
        prf
    }
}

/// Kuhn's augmenting path from system tuple `s` over required gold tuples: takes an untaken
/// candidate, or one whose holder can move to another untaken candidate.
fn augment(
    s: usize,
    candidates: &[Vec<usize>],
    is_required: &dyn Fn(usize) -> bool,
    holder: &mut [Option<usize>],
    visited: &mut [bool],
) -> bool {
    for &g in &candidates[s] {
        if !is_required(g) || visited[g] {
            continue;
        }
        visited[g] = true;
        let free = match holder[g] {
            None => true,
            Some(other) => augment(other, candidates, is_required, holder, visited),
        };
        if free {
            holder[g] = Some(s);
            return true;
        }
    }
    false
}

/// Scores the events of one gold article.
fn score_article(gold: &GoldArticle, events: &[&SystemEvent]) -> Scores {
    let index = EntityIndex::new(&gold.entities);
    let name = |n: &str| index.canonical(n);
    let topic = |t: &Option<String>| t.as_deref().map(name);

    let mut gold_at: GoldTuples<AtTuple> = GoldTuples::new();
    let mut gold_aat: GoldTuples<AatTuple> = GoldTuples::new();
    let mut gold_ap: GoldTuples<ApTuple> = GoldTuples::new();
    for event in &gold.events {
        let required = !event.optional;
        let actor = name(&event.actor);
        let root = normalize_root(&event.cameo);
        let topic = topic(&event.topic);
        let participants: Vec<String> = event.participants.iter().map(|p| name(p)).collect();
        let others: &[String] = if event.symmetric { &participants } else { &[] };
        gold_at.add(
            (actor.clone(), topic.clone()),
            others.iter().map(|p| (p.clone(), topic.clone())),
            required,
        );
        gold_aat.add(
            (actor.clone(), root.clone(), topic.clone()),
            others.iter().map(|p| (p.clone(), root.clone(), topic.clone())),
            required,
        );
        for p in &participants {
            let swapped = event.symmetric.then(|| (p.clone(), actor.clone(), root.clone()));
            gold_ap.add((actor.clone(), p.clone(), root.clone()), swapped, required);
        }
    }

    let mut sys_at = BTreeSet::new();
    let mut sys_aat = BTreeSet::new();
    let mut sys_ap = BTreeSet::new();
    for event in events {
        let actor = name(&event.actor);
        let root = normalize_root(&event.root);
        let topic = topic(&event.topic);
        sys_at.insert((actor.clone(), topic.clone()));
        sys_aat.insert((actor.clone(), root.clone(), topic));
        for p in &event.participants {
            sys_ap.insert((actor.clone(), name(p), root.clone()));
        }
    }

    Scores { at: gold_at.score(&sys_at), aat: gold_aat.score(&sys_aat), ap: gold_ap.score(&sys_ap) }
}

/// Scores system events against gold articles (SCHEMA.md, Scoring).
///
/// Each event goes to the gold article whose [`GoldArticle::url`] equals its URL, else to the
/// one whose id equals its `article_id`; events matching neither are ignored. Every gold
/// article gets a row, so one without system events still counts its required tuples in recall.
pub fn score(gold: &[GoldArticle], system: &[SystemEvent]) -> Report {
    let mut by_url: HashMap<&str, usize> = HashMap::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, article) in gold.iter().enumerate() {
        if let Some(url) = article.url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
            by_url.entry(url).or_insert(i);
        }
        by_id.entry(article.id()).or_insert(i);
    }
    let mut events: Vec<Vec<&SystemEvent>> = vec![Vec::new(); gold.len()];
    let mut unmatched_events = 0;
    for event in system {
        let by_event_url = event.url.as_deref().and_then(|u| by_url.get(u.trim()));
        match by_event_url.or_else(|| by_id.get(event.article_id.as_str())) {
            Some(&i) => events[i].push(event),
            None => unmatched_events += 1,
        }
    }
    let mut report = Report { unmatched_events, ..Report::default() };
    for (article, events) in gold.iter().zip(&events) {
        let scores = score_article(article, events);
        report.overall += scores;
        report.per_article.push((article.id().to_string(), scores));
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entities of a made-up article about two fictional states.
    fn entities() -> BTreeMap<String, Vec<String>> {
        let mut e = BTreeMap::new();
        let mut add = |k: &str, v: &[&str]| {
            e.insert(k.to_string(), v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        };
        add("Mira Olsen", &["Olsen", "Ostravian President Mira Olsen", "Ostravian President"]);
        add("Tomas Veleš", &["Veleš", "his Velonian counterpart", "Velonian Premier"]);
        add("Ostravia", &["Ostravia", "Ostravian side", "Kestrel City"]);
        add("Velonia", &["Velonia", "Velonian forces"]);
        add("Northern Reach", &["Reach", "Northern Reach", "Northern Reach dispute"]);
        add("Harbor Accord", &["Harbor Accord", "the accord"]);
        add("European Union", &["EU", "Brussels"]);
        e
    }

    fn event(actor: &str, cameo: &str, topic: Option<&str>, participants: &[&str]) -> GoldEvent {
        GoldEvent {
            actor: actor.into(),
            action: "discuss".into(),
            cameo: cameo.into(),
            topic: topic.map(str::to_string),
            participants: participants.iter().map(|p| p.to_string()).collect(),
            symmetric: false,
            sentence: "A made-up sentence.".into(),
            optional: false,
        }
    }

    fn symmetric(mut e: GoldEvent) -> GoldEvent {
        e.symmetric = true;
        e
    }

    fn optional(mut e: GoldEvent) -> GoldEvent {
        e.optional = true;
        e
    }

    fn article(file: &str, events: Vec<GoldEvent>) -> GoldArticle {
        GoldArticle {
            article: file.into(),
            date: Some("2031-05-04".into()),
            entities: entities(),
            events,
            url: None,
        }
    }

    fn sys(actor: &str, root: &str, topic: Option<&str>, participants: &[&str]) -> SystemEvent {
        SystemEvent::new("x01", actor, root, topic, participants)
    }

    fn counts(p: &Prf) -> (usize, usize, usize) {
        (p.tp, p.fp, p.gold_required)
    }

    /// A fresh, empty temporary directory for one test.
    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("dipgraph-eval-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        dir
    }

    #[test]
    fn normalisation_folds_diacritics_case_leading_words_and_punctuation() {
        assert_eq!(normalize_name("Tomáš  Veleš"), "tomas veles");
        assert_eq!(normalize_name("Ærøskøbing"), "aeroskobing");
        assert_eq!(normalize_name("his Velonian counterpart"), "velonian counterpart");
        assert_eq!(normalize_name("The Ostravian side"), "ostravian side");
        assert_eq!(normalize_name("Their  own\tenvoys"), "own envoys");
        // Only one leading word goes, only as a whole word, and never the only word.
        assert_eq!(normalize_name("the Hague"), "hague");
        assert_eq!(normalize_name("Theodora Kass"), "theodora kass");
        assert_eq!(normalize_name("The"), "the");
        // ' and - stay, other punctuation goes, spaces fold.
        assert_eq!(normalize_name("U.S.-backed \"peace\" plan!"), "us-backed peace plan");
        assert_eq!(normalize_name("Côte d’Ivoire"), "cote d'ivoire");
        assert_eq!(normalize_name("  (Kestrel  City), "), "kestrel city");
        assert_eq!(normalize_name(""), "");
    }

    #[test]
    fn alias_mapping_exact_then_longest_inner_alias_then_fallback() {
        let index = EntityIndex::new(&entities());
        // Exact aliases, ignoring case, diacritics and a leading "his"; canonical names too.
        assert_eq!(index.canonical("Ostravian President"), "mira olsen");
        assert_eq!(index.canonical("OSTRAVIAN PRESIDENT MIRA OLSEN"), "mira olsen");
        assert_eq!(index.canonical("Veles"), "tomas veles");
        assert_eq!(index.canonical("His Velonian Counterpart"), "tomas veles");
        assert_eq!(index.canonical("Tomas Veles"), "tomas veles");
        assert_eq!(index.canonical("European Union"), "european union");
        // Longest whole-word alias inside a longer name.
        assert_eq!(index.canonical("developments in the Northern Reach"), "northern reach");
        assert_eq!(index.canonical("talks on the Northern Reach dispute zone"), "northern reach");
        assert_eq!(index.canonical("Velonian forces near Kestrel City"), "velonia");
        assert_eq!(index.canonical("Kestrel City officials"), "ostravia");
        assert_eq!(index.canonical("the Velonian forces' withdrawal"), "velonia");
        // Aliases inside other words do not count; short aliases (EU) only match exactly.
        assert_eq!(index.canonical("Velonians"), "velonians");
        assert_eq!(index.canonical("Outreach programme"), "outreach programme");
        assert_eq!(index.canonical("EU summit"), "eu summit");
        assert_eq!(index.canonical("eu"), "european union");
        // Fallback: the normalised name itself.
        assert_eq!(index.canonical("The Gulf Council"), "gulf council");
    }

    #[test]
    fn inner_alias_ties_go_to_the_leftmost() {
        let mut e = BTreeMap::new();
        e.insert("Alpha".to_string(), vec!["alpha".to_string()]);
        e.insert("Gamma".to_string(), vec!["gamma".to_string()]);
        let index = EntityIndex::new(&e);
        assert_eq!(index.canonical("gamma and alpha"), "gamma");
        assert_eq!(index.canonical("alpha and gamma"), "alpha");
    }

    #[test]
    fn system_event_deserialises_from_a_record_and_ignores_extra_fields() {
        let line = r#"{"article":{"id":"x07","url":null,"title":"T","published":"2031-01-02"},
            "sentence":{"index":2,"text":"Made up."},
            "actor":{"id":"person:a","name":"Mira Olsen","kind":"person","country":"OST"},
            "action":{"verb":"discuss","cameo":"042","root":"04"},
            "topic":null,
            "participants":[{"id":"person:b","name":"Tomas Veles","kind":"person","country":null}],
            "date":"2031-01-02","symmetric":true}"#;
        let event: SystemEvent = serde_json::from_str(line).expect("record parses");
        assert_eq!(event, SystemEvent::new("x07", "Mira Olsen", "04", None, &["Tomas Veles"]));
        let value: Value = serde_json::from_str(line).expect("json");
        assert_eq!(from_record(&value).expect("record"), event);

        // Root falls back to the cameo code; a URL is kept.
        let record = json!({"article":{"id":"x08","url":"https://example.org/a"},
            "actor":{"name":"Velonia"},"action":{"verb":"condemn","cameo":"111"},
            "topic":{"name":"Northern Reach"},"participants":[]});
        let event = from_record(&record).expect("record");
        assert_eq!(event.root, "11");
        assert_eq!(event.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(event.topic.as_deref(), Some("Northern Reach"));

        let bad = json!({"article":{"id":"x09"},"actor":{"name":"Velonia"},"action":{"verb":"x"}});
        let err = from_record(&bad).expect_err("no cameo").to_string();
        assert!(err.contains("neither a root nor a cameo"), "{err}");
        let err = from_record(&json!({"actor":{"name":"A"}})).expect_err("no article").to_string();
        assert!(err.contains("article"), "{err}");
    }

    #[test]
    fn events_jsonl_errors_name_file_and_line() {
        let dir = temp_dir("jsonl");
        let path = dir.join("events.jsonl");
        let good = r#"{"article":{"id":"x01"},"actor":{"name":"A"},"action":{"root":"04"}}"#;
        fs::write(&path, format!("{good}\n\n{good}\n{{oops\n")).expect("write");
        let err = read_events_jsonl(&path).expect_err("line 4 is bad").to_string();
        assert!(err.contains("events.jsonl:4:"), "{err}");
        fs::write(&path, format!("{good}\n\n{good}\n")).expect("write");
        assert_eq!(read_events_jsonl(&path).expect("reads").len(), 2);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn tuples_match_through_aliases_on_both_sides() {
        let gold = vec![article(
            "x01.txt",
            vec![event("Mira Olsen", "11", Some("Northern Reach"), &["Tomas Veleš"])],
        )];
        let system = vec![sys(
            "Ostravian President Mira Olsen",
            "111",
            Some("the Northern Reach dispute"),
            &["his Velonian counterpart"],
        )];
        let report = score(&gold, &system);
        for p in [report.overall.at, report.overall.aat, report.overall.ap] {
            assert_eq!(counts(&p), (1, 0, 1));
        }
        // A wrong root spoils AAT and AP, not AT.
        let report = score(&gold, &[sys("Olsen", "04", Some("Reach"), &["Veleš"])]);
        assert_eq!(counts(&report.overall.at), (1, 0, 1));
        assert_eq!(counts(&report.overall.aat), (0, 1, 1));
        assert_eq!(counts(&report.overall.ap), (0, 1, 1));
    }

    #[test]
    fn symmetric_gold_matches_from_the_participant_side() {
        let talks = event("Mira Olsen", "04", Some("Harbor Accord"), &["Tomas Veleš"]);
        let from_participant = [sys("Velonian Premier", "04", Some("the accord"), &["Olsen"])];

        let report =
            score(&[article("x01.txt", vec![symmetric(talks.clone())])], &from_participant);
        for p in [report.overall.at, report.overall.aat, report.overall.ap] {
            assert_eq!(counts(&p), (1, 0, 1));
        }
        // Not symmetric: the same system event states nothing.
        let report = score(&[article("x01.txt", vec![talks])], &from_participant);
        for p in [report.overall.at, report.overall.aat, report.overall.ap] {
            assert_eq!(counts(&p), (0, 1, 1));
        }
    }

    #[test]
    fn symmetric_multi_party_event_gives_one_ap_tuple_per_participant() {
        let summit = symmetric(event(
            "Mira Olsen",
            "04",
            Some("Harbor Accord"),
            &["Tomas Veleš", "European Union"],
        ));
        let gold = vec![article("x01.txt", vec![summit])];
        let system = [sys("Brussels", "04", Some("Harbor Accord"), &["Olsen"])];
        let report = score(&gold, &system);
        assert_eq!(counts(&report.overall.at), (1, 0, 1));
        assert_eq!(counts(&report.overall.ap), (1, 0, 2));
        // A pair of two participants is not a gold AP tuple.
        let report = score(&gold, &[sys("Brussels", "04", Some("Harbor Accord"), &["Veleš"])]);
        assert_eq!(counts(&report.overall.ap), (0, 1, 2));
    }

    #[test]
    fn duplicates_count_neither_way() {
        let gold = vec![article(
            "x01.txt",
            vec![symmetric(event("Mira Olsen", "04", Some("Harbor Accord"), &["Tomas Veleš"]))],
        )];
        let system = [
            sys("Olsen", "04", Some("Harbor Accord"), &["Veleš"]),
            // The same tuples again from another sentence: one distinct tuple.
            sys("Mira Olsen", "042", Some("the accord"), &["Tomas Veles"]),
            // The other orientation states the same (taken) gold tuple: a duplicate.
            sys("Veleš", "04", Some("Harbor Accord"), &["Olsen"]),
        ];
        let report = score(&gold, &system);
        for p in [report.overall.at, report.overall.aat, report.overall.ap] {
            assert_eq!(counts(&p), (1, 0, 1));
            assert_eq!(p.duplicates, 1);
            assert_eq!(p.precision(), 1.0);
        }
    }

    #[test]
    fn gold_tuples_are_unique_per_article() {
        // Two events with the same tuples (one symmetric, one not) give one gold tuple each kind.
        let gold = vec![article(
            "x01.txt",
            vec![
                symmetric(event("Mira Olsen", "04", Some("Harbor Accord"), &["Tomas Veleš"])),
                event("Mira Olsen", "04", Some("Harbor Accord"), &["Tomas Veleš"]),
            ],
        )];
        let report = score(&gold, &[sys("Olsen", "04", Some("Harbor Accord"), &["Veleš"])]);
        for p in [report.overall.at, report.overall.aat, report.overall.ap] {
            assert_eq!(counts(&p), (1, 0, 1));
        }
    }

    #[test]
    fn optional_gold_counts_neither_way() {
        let gold = vec![article(
            "x01.txt",
            vec![
                event("Velonia", "11", Some("Northern Reach"), &["Ostravia"]),
                optional(event("Ostravia", "12", None, &["Velonia"])),
            ],
        )];
        // Hitting the optional event is no false positive and no true positive.
        let report = score(&gold, &[sys("Ostravia", "12", None, &["Velonia"])]);
        for p in [report.overall.at, report.overall.aat, report.overall.ap] {
            assert_eq!(counts(&p), (0, 0, 1));
            assert_eq!(p.optional_matched, 1);
        }
        // Missing the optional event costs no recall.
        let report = score(&gold, &[sys("Velonia", "11", Some("Northern Reach"), &["Ostravia"])]);
        for p in [report.overall.at, report.overall.aat, report.overall.ap] {
            assert_eq!(counts(&p), (1, 0, 1));
            assert_eq!((p.precision(), p.recall()), (1.0, 1.0));
        }
    }

    #[test]
    fn a_required_gold_tuple_wins_over_an_optional_one() {
        // (Velonia, Reach) is stated by a required symmetric event and exactly by an optional one.
        let gold = vec![article(
            "x01.txt",
            vec![
                symmetric(event("Ostravia", "19", Some("Northern Reach"), &["Velonia"])),
                optional(event("Velonia", "19", Some("Northern Reach"), &[])),
            ],
        )];
        let report = score(&gold, &[sys("Velonia", "19", Some("Northern Reach"), &[])]);
        assert_eq!(counts(&report.overall.at), (1, 0, 1));
        assert_eq!(counts(&report.overall.aat), (1, 0, 1));
        assert_eq!(report.overall.at.optional_matched, 0);
    }

    #[test]
    fn assignment_finds_the_best_matching_whatever_the_order() {
        // Gold G1 (Olsen|EU, accord) and G2 (EU|Veleš, accord). The system tuple (EU, accord)
        // sorts first and prefers G2, where it is written as annotated; (Veleš, accord) can
        // only take G2, so EU must move over to G1 and both count.
        let gold = vec![article(
            "x01.txt",
            vec![
                symmetric(event("Mira Olsen", "04", Some("Harbor Accord"), &["European Union"])),
                symmetric(event("European Union", "04", Some("Harbor Accord"), &["Tomas Veleš"])),
            ],
        )];
        let system = [
            sys("EU", "04", Some("Harbor Accord"), &[]),
            sys("Veleš", "04", Some("Harbor Accord"), &[]),
        ];
        let report = score(&gold, &system);
        assert_eq!(counts(&report.overall.at), (2, 0, 2));
        assert_eq!(counts(&report.overall.aat), (2, 0, 2));
        assert_eq!(report.overall.at.duplicates, 0);
        let reversed: Vec<SystemEvent> = system.iter().rev().cloned().collect();
        assert_eq!(score(&gold, &reversed), report);
    }

    #[test]
    fn false_positives_count_once_per_distinct_tuple() {
        let gold = vec![article("x01.txt", vec![event("Velonia", "11", None, &["Ostravia"])])];
        let wrong = sys("Velonia", "05", Some("Harbor Accord"), &["European Union"]);
        let report = score(&gold, &[wrong.clone(), wrong.clone()]);
        assert_eq!(counts(&report.overall.at), (0, 1, 1));
        assert_eq!(counts(&report.overall.aat), (0, 1, 1));
        assert_eq!(counts(&report.overall.ap), (0, 1, 1));
        let other = sys("Ostravia", "05", Some("Harbor Accord"), &["European Union"]);
        let report = score(&gold, &[wrong.clone(), other, wrong]);
        assert_eq!(counts(&report.overall.aat), (0, 2, 1));
        assert_eq!(report.overall.aat.precision(), 0.0);
    }

    #[test]
    fn null_topic_matches_only_null() {
        let gold = vec![article(
            "x01.txt",
            vec![
                event("Velonia", "11", None, &["Ostravia"]),
                event("Ostravia", "16", Some("Harbor Accord"), &["Velonia"]),
            ],
        )];
        let system = [
            sys("Velonia", "11", Some("Harbor Accord"), &["Ostravia"]),
            sys("Ostravia", "16", None, &["Velonia"]),
        ];
        let report = score(&gold, &system);
        assert_eq!(counts(&report.overall.at), (0, 2, 2));
        assert_eq!(counts(&report.overall.aat), (0, 2, 2));
        // AP has no topic, so it still matches.
        assert_eq!(counts(&report.overall.ap), (2, 0, 2));
        let report = score(&gold, &[sys("Velonia", "11", None, &[])]);
        assert_eq!(counts(&report.overall.aat), (1, 0, 2));
    }

    #[test]
    fn prf_arithmetic_with_zero_denominators() {
        let zero = Prf::default();
        assert_eq!((zero.precision(), zero.recall(), zero.f1()), (0.0, 0.0, 0.0));
        let no_gold = Prf { tp: 0, fp: 3, gold_required: 0, ..Prf::default() };
        assert_eq!((no_gold.precision(), no_gold.recall(), no_gold.f1()), (0.0, 0.0, 0.0));
        let no_system = Prf { tp: 0, fp: 0, gold_required: 4, ..Prf::default() };
        assert_eq!((no_system.precision(), no_system.recall(), no_system.f1()), (0.0, 0.0, 0.0));
        let some = Prf { tp: 2, fp: 2, gold_required: 8, duplicates: 5, optional_matched: 1 };
        assert_eq!(some.precision(), 0.5);
        assert_eq!(some.recall(), 0.25);
        assert!((some.f1() - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn overall_is_micro_averaged_and_articles_without_events_count_in_recall() {
        let gold = vec![
            article("x01.txt", vec![event("Velonia", "11", None, &["Ostravia"])]),
            article(
                "x02.txt",
                vec![
                    event("Ostravia", "16", None, &["Velonia"]),
                    event("Ostravia", "02", Some("Harbor Accord"), &["Velonia"]),
                    event("Velonia", "12", Some("Harbor Accord"), &[]),
                ],
            ),
            article("x03.txt", vec![event("Mira Olsen", "01", Some("Northern Reach"), &[])]),
        ];
        let mut other = sys("Ostravia", "16", None, &["Velonia"]);
        other.article_id = "x02".into();
        let system = [sys("Velonia", "11", None, &["Ostravia"]), other];
        let report = score(&gold, &system);
        let ids: Vec<&str> = report.per_article.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["x01", "x02", "x03"]);
        assert_eq!(counts(&report.per_article[0].1.aat), (1, 0, 1));
        assert_eq!(counts(&report.per_article[1].1.aat), (1, 0, 3));
        assert_eq!(counts(&report.per_article[2].1.aat), (0, 0, 1));
        assert_eq!(counts(&report.overall.aat), (2, 0, 5));
        // Micro: 2/5, not the mean of per-article recalls (1 + 1/3 + 0) / 3.
        assert_eq!(report.overall.aat.recall(), 0.4);
    }

    #[test]
    fn url_matching_comes_before_stem_matching() {
        let mut first = article("x01.txt", vec![event("Velonia", "11", None, &["Ostravia"])]);
        first.url = Some("https://example.org/one".into());
        let mut second = article("x02.txt", vec![event("Ostravia", "16", None, &["Velonia"])]);
        second.url = Some("https://example.org/two".into());
        let gold = vec![first, second];

        // Stem says x01, URL says x02: the URL wins.
        let by_url = SystemEvent::new("x01", "Ostravia", "16", None, &["Velonia"])
            .with_url("https://example.org/two");
        // Unknown URL: falls back to the stem.
        let by_stem = SystemEvent::new("x01", "Velonia", "11", None, &["Ostravia"])
            .with_url("https://example.org/elsewhere");
        // Neither: ignored.
        let stray = SystemEvent::new("x99", "Velonia", "19", None, &[]);
        let report = score(&gold, &[by_url, by_stem, stray]);
        assert_eq!(counts(&report.per_article[0].1.aat), (1, 0, 1));
        assert_eq!(counts(&report.per_article[1].1.aat), (1, 0, 1));
        assert_eq!(report.unmatched_events, 1);
        assert!(report.to_table(false).contains("1 system event(s) matched no gold article"));
    }

    #[test]
    fn gold_dir_loads_sorted_and_attaches_urls_from_articles() {
        let dir = temp_dir("gold-ok");
        let gold_dir = dir.join("gold");
        let articles = dir.join("articles");
        fs::create_dir_all(&gold_dir).expect("mkdir");
        fs::create_dir_all(&articles).expect("mkdir");
        let file = |n: &str| {
            json!({"article": format!("{n}.txt"), "date": "2031-05-04",
                "entities": {"Velonia": ["Velonia"], "Ostravia": ["Kestrel City"]},
                "events": [{"actor": "Velonia", "action": "condemn", "cameo": "11",
                    "topic": null, "participants": ["Ostravia"], "symmetric": false,
                    "sentence": "Made up."}]})
            .to_string()
        };
        fs::write(gold_dir.join("x02.json"), file("x02")).expect("write");
        fs::write(gold_dir.join("x01.json"), file("x01")).expect("write");
        fs::write(gold_dir.join("notes.md"), "not gold").expect("write");
        fs::write(articles.join("x02.txt"), "Headline\nhttps://example.org/x2\n\nBody.\n")
            .expect("write");

        let mut gold = load_gold_dir(&gold_dir).expect("loads");
        let ids: Vec<&str> = gold.iter().map(GoldArticle::id).collect();
        assert_eq!(ids, ["x01", "x02"]);
        assert!(!gold[0].events[0].optional && !gold[0].events[0].symmetric);
        assert_eq!(attach_urls(&mut gold, &articles).expect("urls"), 1);
        assert_eq!(gold[0].url, None);
        assert_eq!(gold[1].url.as_deref(), Some("https://example.org/x2"));

        let event = SystemEvent::new("elsewhere", "Velonia", "11", None, &["Kestrel City"])
            .with_url("https://example.org/x2");
        let report = score(&gold, &[event]);
        assert_eq!(counts(&report.per_article[1].1.ap), (1, 0, 1));
        assert_eq!(counts(&report.overall.ap), (1, 0, 2));
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_gold_files_give_errors_naming_the_file() {
        let dir = temp_dir("gold-bad");
        fs::write(dir.join("x01.json"), r#"{"article": "x01.txt", "entities": {}, "events": []}"#)
            .expect("write");
        fs::write(dir.join("x05.json"), "{\"article\": \"x05.txt\", \"events\": [").expect("write");
        let err = load_gold_dir(&dir).expect_err("x05 is truncated").to_string();
        assert!(err.contains("x05.json"), "{err}");
        assert!(err.contains("line 1"), "serde's message is included: {err}");

        fs::write(dir.join("x05.json"), r#"{"article": "x05.txt", "events": []}"#).expect("write");
        let err = load_gold_dir(&dir).expect_err("no entities").to_string();
        assert!(err.contains("x05.json") && err.contains("entities"), "{err}");

        let bad_cameo = json!({"article": "x05.txt", "entities": {}, "events": [
            {"actor": "Velonia", "cameo": "27", "topic": null, "participants": []}]});
        fs::write(dir.join("x05.json"), bad_cameo.to_string()).expect("write");
        let err = load_gold_dir(&dir).expect_err("bad cameo").to_string();
        assert!(err.contains("x05.json") && err.contains("\"27\""), "{err}");

        fs::write(dir.join("x05.json"), r#"{"article": "x01.txt", "entities": {}, "events": []}"#)
            .expect("write");
        let err = load_gold_dir(&dir).expect_err("duplicate").to_string();
        assert!(err.contains("x01.json") && err.contains("x05.json"), "{err}");

        let empty = dir.join("empty");
        fs::create_dir_all(&empty).expect("mkdir");
        let err = load_gold_dir(&empty).expect_err("no gold").to_string();
        assert!(err.contains("no *.json gold files"), "{err}");
        let err = load_gold_dir(&dir.join("missing")).expect_err("missing").to_string();
        assert!(err.contains("missing"), "{err}");
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn table_and_json_render_the_scores() {
        let gold = vec![
            article("x01.txt", vec![event("Velonia", "11", None, &["Ostravia"])]),
            article("x02.txt", vec![event("Ostravia", "16", None, &["Velonia"])]),
        ];
        let system =
            [sys("Velonia", "11", None, &["Ostravia"]), sys("Velonia", "13", None, &["Ostravia"])];
        let report = score(&gold, &system);
        let table = report.to_table(true);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 5, "{table}");
        assert!(lines[0].contains("AT") && lines[0].contains("AAT") && lines[0].contains("AP"));
        assert!(lines[2].starts_with("x01 ") && lines[3].starts_with("x02 "), "{table}");
        assert!(lines[4].starts_with("ALL "), "{table}");
        // AT for x01: 1 tp, 0 fp, 1 gold. AAT overall: P 0.5, R 0.5; counts 1 1 2.
        assert!(lines[2].contains("1.000  1.000  1.000"), "{table}");
        assert!(lines[4].contains("0.500  0.500  0.500"), "{table}");
        assert!(lines[4].trim_end().ends_with("1     1     2"), "{table}");
        let widths: BTreeSet<usize> = lines[1..].iter().map(|l| l.len()).collect();
        assert_eq!(widths.len(), 1, "fixed width: {table}");
        assert_eq!(report.to_table(false).lines().count(), 3);

        let value = report.to_json();
        assert_eq!(value["per_article"][1]["article"], "x02");
        assert_eq!(value["per_article"][1]["aat"]["gold_required"], 1);
        assert_eq!(value["overall"]["aat"]["tp"], 1);
        assert_eq!(value["overall"]["aat"]["fp"], 1);
        assert_eq!(value["overall"]["aat"]["precision"], 0.5);
        assert_eq!(value["overall"]["at"]["recall"], 0.5);
        assert_eq!(value["unmatched_events"], 0);
    }
}
