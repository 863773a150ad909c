//! Reading articles: the plain-text wire layout (headline, URL, lead, metadata, dateline,
//! body), JSON Lines (one article per line) and bare text. Readers keep going past a bad
//! input: every problem is an [`ArticleError`] naming the file (and line), so the caller can
//! report it and still process the good articles.

use std::fs;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::month_number_abbreviated;
use crate::model::ArticleRef;

/// A problem with one input file or line.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    /// The file could not be read.
    #[error("{path}: cannot read: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not UTF-8 text.
    #[error("{path}: not UTF-8 text; convert it to UTF-8 first")]
    NotText {
        /// The file.
        path: PathBuf,
    },
    /// A JSON Lines record is malformed.
    #[error("{path}:{line}: bad JSON article record: {message}")]
    BadJson {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What serde said.
        message: String,
    },
    /// The input holds no text at all.
    #[error("{path}: empty article, nothing to read")]
    Empty {
        /// The file.
        path: PathBuf,
    },
}

/// One article: its metadata and its text, split into headline, lead and body paragraphs.
#[derive(Debug, Clone, PartialEq)]
pub struct Article {
    /// Identifier, URL, title and publication date.
    pub meta: ArticleRef,
    /// The lead paragraph when the layout has one.
    pub lead: Option<String>,
    /// Body paragraphs in order.
    pub paragraphs: Vec<String>,
}

impl Article {
    /// The text blocks in reading order: headline, lead, then body paragraphs.
    pub fn blocks(&self) -> impl Iterator<Item = &str> {
        self.meta
            .title
            .as_deref()
            .into_iter()
            .chain(self.lead.as_deref())
            .chain(self.paragraphs.iter().map(String::as_str))
    }
}

impl Article {
    /// A stable 64-bit FNV-1a hash of the article's content (headline, lead, paragraphs and
    /// date), as 16 hex digits. It identifies an article that has no URL, so that the same
    /// text read twice is not counted twice. FNV-1a is written out here because the value is
    /// stored in graph files and must never change with a dependency's version.
    pub fn content_hash(&self) -> String {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut hash = OFFSET;
        let mut feed = |bytes: &[u8]| {
            for &b in bytes {
                hash = (hash ^ u64::from(b)).wrapping_mul(PRIME);
            }
        };
        // 0xff never occurs in UTF-8, so it separates the fields unambiguously.
        for block in [self.meta.title.as_deref(), self.lead.as_deref()] {
            feed(block.unwrap_or("").as_bytes());
            feed(&[0xff]);
        }
        for paragraph in &self.paragraphs {
            feed(paragraph.as_bytes());
            feed(&[0xff]);
        }
        if let Some(date) = self.meta.published {
            feed(date.to_string().as_bytes());
        }
        format!("{hash:016x}")
    }
}

/// The result of reading one input: the articles it held and the problems met on the way.
#[derive(Debug, Default)]
pub struct ReadOutcome {
    /// Articles read successfully.
    pub articles: Vec<Article>,
    /// One error per skipped file or line.
    pub errors: Vec<ArticleError>,
}

/// Reads every article named by `inputs` (files or directories, directories in sorted order;
/// `-` is standard input), all at once. [`ArticleStream`] reads them one at a time.
pub fn read_inputs(inputs: &[PathBuf]) -> ReadOutcome {
    let mut outcome = ReadOutcome::default();
    for item in ArticleStream::new(inputs) {
        match item.article {
            Ok(article) => outcome.articles.push(article),
            Err(error) => outcome.errors.push(error),
        }
    }
    outcome
}

/// One thing an input gave: an article, or the reason a file or line was skipped, and how many
/// bytes of input it took (for throughput figures).
#[derive(Debug)]
pub struct StreamItem {
    /// The article, or why it was skipped.
    pub article: Result<Article, ArticleError>,
    /// Bytes of input read for it.
    pub bytes: u64,
}

/// One input to read, once directories are listed.
#[derive(Debug)]
enum Source {
    File(PathBuf),
    Stdin,
    Unreadable(ArticleError),
}

/// Articles read one at a time, in input order: the inputs as given, directories expanded in
/// sorted order, JSON Lines read line by line. Only the current file (or line) is in memory,
/// so a corpus of any size streams through. Directories are listed when the stream is made,
/// which fixes the order and lets [`ArticleStream::total_bytes`] size a progress bar.
pub struct ArticleStream {
    sources: std::vec::IntoIter<Source>,
    lines: Option<LineReader>,
}

/// The open JSON Lines input being read.
struct LineReader {
    reader: Box<dyn BufRead + Send>,
    path: PathBuf,
    stem: String,
    line: usize,
    buffer: Vec<u8>,
}

impl ArticleStream {
    /// A stream over `inputs`: files, directories (read recursively for `.txt`, `.jsonl` and
    /// `.ndjson`) and `-` for standard input (JSON Lines when it starts with `{`, else one
    /// article of text).
    pub fn new(inputs: &[PathBuf]) -> ArticleStream {
        let mut sources = Vec::new();
        for input in inputs {
            if input.as_os_str() == "-" {
                sources.push(Source::Stdin);
            } else if input.is_dir() {
                match list_dir(input) {
                    Ok(files) => sources.extend(files.into_iter().map(Source::File)),
                    Err(source) => sources
                        .push(Source::Unreadable(ArticleError::Io { path: input.clone(), source })),
                }
            } else {
                sources.push(Source::File(input.clone()));
            }
        }
        ArticleStream { sources: sources.into_iter(), lines: None }
    }

    /// The size of the files still to read, or `None` when standard input is among them.
    pub fn total_bytes(&self) -> Option<u64> {
        let mut total = 0;
        for source in self.sources.as_slice() {
            match source {
                Source::File(path) => total += fs::metadata(path).map_or(0, |m| m.len()),
                Source::Stdin => return None,
                Source::Unreadable(_) => {}
            }
        }
        Some(total)
    }

    fn open(&mut self, source: Source) -> Option<StreamItem> {
        let skipped = |error| Some(StreamItem { article: Err(error), bytes: 0 });
        let path = match source {
            Source::Unreadable(error) => return skipped(error),
            Source::Stdin => return self.open_stdin(),
            Source::File(path) => path,
        };
        if matches!(extension(&path).as_str(), "jsonl" | "ndjson") {
            match fs::File::open(&path) {
                Ok(file) => {
                    let reader = Box::new(std::io::BufReader::with_capacity(1 << 16, file));
                    self.lines = Some(LineReader::new(reader, path));
                    None
                }
                Err(source) => skipped(ArticleError::Io { path, source }),
            }
        } else {
            let bytes = match fs::read(&path) {
                Ok(bytes) => bytes,
                Err(source) => return skipped(ArticleError::Io { path, source }),
            };
            let size = bytes.len() as u64;
            let article = match String::from_utf8(bytes) {
                Ok(text) => {
                    parse_text_article(&text, &file_stem(&path)).ok_or(ArticleError::Empty { path })
                }
                Err(_) => Err(ArticleError::NotText { path }),
            };
            Some(StreamItem { article, bytes: size })
        }
    }

    /// Standard input is JSON Lines when its first non-blank character opens an object, and
    /// otherwise one article of text.
    fn open_stdin(&mut self) -> Option<StreamItem> {
        let path = PathBuf::from("stdin");
        let mut reader = std::io::BufReader::with_capacity(1 << 16, std::io::stdin());
        let starts_json = loop {
            let chunk = match reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(source) => {
                    return Some(StreamItem {
                        article: Err(ArticleError::Io { path, source }),
                        bytes: 0,
                    })
                }
            };
            if chunk.is_empty() {
                break false;
            }
            match chunk.iter().position(|b| !b.is_ascii_whitespace()) {
                Some(at) => break chunk[at] == b'{',
                None => {
                    let len = chunk.len();
                    reader.consume(len);
                }
            }
        };
        if starts_json {
            self.lines = Some(LineReader::new(Box::new(reader), path));
            return None;
        }
        let mut bytes = Vec::new();
        if let Err(source) = reader.read_to_end(&mut bytes) {
            return Some(StreamItem { article: Err(ArticleError::Io { path, source }), bytes: 0 });
        }
        let size = bytes.len() as u64;
        let article = match String::from_utf8(bytes) {
            Ok(text) => parse_text_article(&text, "stdin").ok_or(ArticleError::Empty { path }),
            Err(_) => Err(ArticleError::NotText { path }),
        };
        Some(StreamItem { article, bytes: size })
    }
}

impl LineReader {
    fn new(reader: Box<dyn BufRead + Send>, path: PathBuf) -> LineReader {
        let stem = file_stem(&path);
        LineReader { reader, path, stem, line: 0, buffer: Vec::new() }
    }

    /// The next record of the file, `None` at its end.
    fn next_item(&mut self) -> Option<StreamItem> {
        loop {
            self.buffer.clear();
            let read = match self.reader.read_until(b'\n', &mut self.buffer) {
                Ok(0) => return None,
                Ok(read) => read as u64,
                Err(source) => {
                    let path = self.path.clone();
                    return Some(StreamItem {
                        article: Err(ArticleError::Io { path, source }),
                        bytes: 0,
                    });
                }
            };
            self.line += 1;
            let bad = |message: String| ArticleError::BadJson {
                path: self.path.clone(),
                line: self.line,
                message,
            };
            let article = match std::str::from_utf8(&self.buffer) {
                Ok(line) if line.trim().is_empty() => continue,
                Ok(line) => {
                    parse_json_article(line, &format!("{}:{}", self.stem, self.line)).map_err(bad)
                }
                Err(_) => Err(bad("not UTF-8 text; convert it to UTF-8 first".to_string())),
            };
            return Some(StreamItem { article, bytes: read });
        }
    }
}

impl Iterator for ArticleStream {
    type Item = StreamItem;

    fn next(&mut self) -> Option<StreamItem> {
        loop {
            if let Some(lines) = &mut self.lines {
                match lines.next_item() {
                    Some(item) => return Some(item),
                    None => self.lines = None,
                }
            }
            let source = self.sources.next()?;
            if let Some(item) = self.open(source) {
                return Some(item);
            }
        }
    }
}

fn list_dir(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(list_dir(&path)?);
        } else if matches!(extension(&path).as_str(), "txt" | "jsonl" | "ndjson") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn extension(path: &Path) -> String {
    path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase()
}

fn file_stem(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

#[derive(Deserialize)]
struct JsonArticle {
    id: Option<String>,
    title: Option<String>,
    url: Option<String>,
    date: Option<String>,
    text: String,
}

/// Parses one JSON Lines record `{title, url, date, text}`; `default_id` is used without `id`.
pub fn parse_json_article(line: &str, default_id: &str) -> Result<Article, String> {
    let record: JsonArticle = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let published = match record.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(date) => Some(
            parse_date_prefix(date)
                .ok_or_else(|| format!("date {date:?} is not a date; write it as YYYY-MM-DD"))?,
        ),
        None => None,
    };
    let paragraphs = split_paragraphs(&record.text);
    let title = record.title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty());
    if paragraphs.is_empty() && title.is_none() {
        return Err("no title and no text".to_string());
    }
    let id = record.id.unwrap_or_else(|| default_id.to_string());
    let url = record.url.filter(|u| !u.trim().is_empty());
    Ok(Article { meta: ArticleRef { id, url, title, published }, lead: None, paragraphs })
}

fn parse_date_prefix(text: &str) -> Option<NaiveDate> {
    text.get(..10).and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

fn split_paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// Parses a plain-text article. The wire layout is recognised by a URL on line 2; any other
/// text is a body without metadata. Returns `None` when there is no text at all.
pub fn parse_text_article(text: &str, id: &str) -> Option<Article> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lines: Vec<&str> = text.lines().collect();
    let has_layout = lines.get(1).is_some_and(|l| {
        let l = l.trim();
        l.starts_with("http://") || l.starts_with("https://")
    });
    if !has_layout {
        let paragraphs = split_paragraphs(text);
        if paragraphs.is_empty() {
            return None;
        }
        let meta = ArticleRef { id: id.to_string(), url: None, title: None, published: None };
        return Some(Article { meta, lead: None, paragraphs });
    }
    let title = Some(lines[0].trim().to_string()).filter(|t| !t.is_empty());
    let url = Some(lines[1].trim().to_string());
    let lead = lines.get(2).map(|l| l.trim().to_string()).filter(|l| !l.is_empty());
    let mut published = None;
    let mut rest = 3;
    // Metadata lines sit between the lead and the first blank line after them.
    while let Some(line) = lines.get(rest) {
        let line = line.trim();
        if line.is_empty() {
            if published.is_some() || rest > 3 {
                break;
            }
        } else if let Some(date) = parse_dateline(line) {
            published = Some(date);
        } else if !is_metadata_line(line) {
            break;
        }
        rest += 1;
    }
    let body = lines.get(rest..).unwrap_or(&[]).join("\n");
    let mut paragraphs = split_paragraphs(&body);
    paragraphs.retain(|p| !is_bullet_repeat(p, title.as_deref()));
    if paragraphs.last().is_some_and(|p| is_signature(p)) {
        paragraphs.pop();
    }
    Some(Article {
        meta: ArticleRef { id: id.to_string(), url, title, published },
        lead,
        paragraphs,
    })
}

fn is_metadata_line(line: &str) -> bool {
    line.starts_with("(last modified") || line.starts_with('•') || line.starts_with("(updated")
}

fn is_bullet_repeat(paragraph: &str, title: Option<&str>) -> bool {
    let stripped = paragraph.trim_start_matches(['•', '*', '-', ' ']);
    stripped.len() < paragraph.len() && title.is_some_and(|t| stripped.trim() == t.trim())
}

/// A trailing credit such as `SS`, `Agencies` or `— Staff`: short and not a sentence.
fn is_signature(paragraph: &str) -> bool {
    let words = paragraph.split_whitespace().count();
    words <= 4 && !paragraph.trim_end().ends_with(['.', '!', '?', '"', '”'])
}

/// Parses a dateline such as `Oct 28, 2020 13:32 UTC`, `October 28, 2020` or `2020-10-28`.
pub fn parse_dateline(line: &str) -> Option<NaiveDate> {
    if let Some(date) = parse_date_prefix(line) {
        return Some(date);
    }
    let mut words = line.split_whitespace();
    let month_word = words.next()?.trim_end_matches('.').to_ascii_lowercase();
    let month = month_number_abbreviated(&month_word)?;
    let day: u32 = words.next()?.trim_end_matches(',').parse().ok()?;
    let year: i32 = words.next()?.trim_end_matches(',').parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "Leaders talk trade\nhttps://news.example.org/a1\nThe two presidents spoke on Monday.\n(last modified 2021-01-01T00:00:00+00:00 )\nMar 14, 2023 09:45 UTC\n  • Leaders talk trade\n\nThe two presidents spoke on Monday.\n\nThey agreed to meet again.\n\nAK\n";

    #[test]
    fn wire_layout_gives_metadata_lead_and_body() {
        let article = parse_text_article(WIRE, "a1").expect("article");
        assert_eq!(article.meta.title.as_deref(), Some("Leaders talk trade"));
        assert_eq!(article.meta.url.as_deref(), Some("https://news.example.org/a1"));
        assert_eq!(article.meta.published, NaiveDate::from_ymd_opt(2023, 3, 14));
        assert_eq!(article.lead.as_deref(), Some("The two presidents spoke on Monday."));
        assert_eq!(
            article.paragraphs,
            vec!["The two presidents spoke on Monday.", "They agreed to meet again."]
        );
    }

    #[test]
    fn layout_without_dateline_starts_body_after_blank_line() {
        let text =
            "Headline\nhttps://x.example/1\nLead sentence here.\n\n\nFirst body paragraph.\n";
        let article = parse_text_article(text, "x").expect("article");
        assert_eq!(article.meta.published, None);
        assert_eq!(article.paragraphs, vec!["First body paragraph."]);
    }

    #[test]
    fn bare_text_is_a_body_without_metadata() {
        let article = parse_text_article("One line.\nSame paragraph.\n\nNext.", "b").expect("body");
        assert_eq!(article.meta.title, None);
        assert_eq!(article.paragraphs, vec!["One line. Same paragraph.", "Next."]);
        assert!(parse_text_article(" \n\n", "e").is_none());
    }

    #[test]
    fn json_lines_record_parses_and_bad_date_is_reported() {
        let line =
            r#"{"title":"T","url":"https://u.example/1","date":"2022-05-01","text":"A.\n\nB."}"#;
        let article = parse_json_article(line, "f:1").expect("record");
        assert_eq!(article.meta.id, "f:1");
        assert_eq!(article.meta.published, NaiveDate::from_ymd_opt(2022, 5, 1));
        assert_eq!(article.paragraphs.len(), 2);
        let bad = r#"{"title":"T","date":"May first","text":"A."}"#;
        assert!(parse_json_article(bad, "f:2").unwrap_err().contains("YYYY-MM-DD"));
        assert!(parse_json_article("{not json", "f:3").is_err());
    }

    #[test]
    fn datelines_in_several_forms() {
        assert_eq!(parse_dateline("Oct 28, 2020 13:32 UTC"), NaiveDate::from_ymd_opt(2020, 10, 28));
        assert_eq!(parse_dateline("September 3, 2019"), NaiveDate::from_ymd_opt(2019, 9, 3));
        assert_eq!(parse_dateline("2020-01-02"), NaiveDate::from_ymd_opt(2020, 1, 2));
        assert_eq!(parse_dateline("Moscow talks resume"), None);
    }

    #[test]
    fn reading_a_directory_reports_bad_files_and_keeps_good_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("b.txt"), WIRE).expect("write");
        fs::write(dir.path().join("a.txt"), [0xff, 0xfe, 0x00]).expect("write");
        fs::write(dir.path().join("c.jsonl"), "{\"text\":\"Fine.\"}\n{broken\n").expect("write");
        let outcome = read_inputs(&[dir.path().to_path_buf()]);
        assert_eq!(outcome.articles.len(), 2);
        assert_eq!(outcome.errors.len(), 2);
        let messages: Vec<String> = outcome.errors.iter().map(|e| e.to_string()).collect();
        assert!(messages[0].contains("a.txt") && messages[0].contains("UTF-8"));
        assert!(messages[1].contains("c.jsonl:2"));
    }
}
