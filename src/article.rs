//! Reading articles: the plain-text wire layout (headline, URL, lead, metadata, dateline,
//! body), JSON Lines (one article per line) and bare text. Readers keep going past a bad
//! input: every problem is an [`ArticleError`] naming the file (and line), so the caller can
//! report it and still process the good articles.
//!
//! Input is taken as scrapers leave it. Text that is not UTF-8 is read as Windows-1252 (which
//! covers Latin-1) or, with a byte-order mark, UTF-16, with an [`ArticleWarning`]; binary files
//! (PDF, archives, images, anything with NUL bytes) are refused; HTML markup and entities are
//! stripped ([`crate::markup`]). Memory stays bounded: an article, whether a file or a JSON
//! line, may hold at most [`DEFAULT_MAX_ARTICLE_BYTES`] (or the limit set with
//! [`ArticleStream::max_article_bytes`]); a larger one is skipped without being read whole.

use std::borrow::Cow;
use std::fmt;
use std::fs;
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Deserialize;

use crate::calendar::month_number_abbreviated;
use crate::markup;
use crate::model::ArticleRef;

/// The default size limit of one article (a text file, or one JSON Lines record): 16 MiB,
/// some thousand times a long news article, yet small enough that a few batches of the largest
/// articles fit in memory.
pub const DEFAULT_MAX_ARTICLE_BYTES: u64 = 16 << 20;

/// How much of a file's start is looked at to tell text from binary data.
const SNIFF_BYTES: usize = 8192;

/// Where a problem is: a file, and the line for JSON Lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// The file (`stdin` for standard input).
    pub path: PathBuf,
    /// 1-based line number, for a JSON Lines record.
    pub line: Option<usize>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.path.display()),
            None => write!(f, "{}", self.path.display()),
        }
    }
}

/// A problem with one input file or line: the input is skipped.
#[derive(Debug, thiserror::Error)]
pub enum ArticleError {
    /// The file could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file holds binary data, not text.
    #[error("{}: {what}, not text; skipped ({hint})", path.display())]
    Binary {
        /// The file.
        path: PathBuf,
        /// What it looks like (`a PDF document`).
        what: &'static str,
        /// What to do about it.
        hint: &'static str,
    },
    /// A JSON Lines record is malformed.
    #[error("{}:{line}: bad JSON article record: {message}", path.display())]
    BadJson {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What serde said.
        message: String,
    },
    /// The input holds no text at all.
    #[error("{}: empty file, no article in it", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The input has text but not one word, so no sentence to read.
    #[error("{place}: no sentences (the text has no words); skipped")]
    NoSentences {
        /// The file or record.
        place: Place,
    },
    /// A file larger than the article size limit.
    #[error(
        "{}: {size} bytes, over the {limit}-byte limit for one article; skipped (split it into \
         articles, one per file or JSON line, or raise --max-article-bytes)",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size (at least: reading stopped past the limit).
        size: u64,
        /// The limit.
        limit: u64,
    },
    /// A JSON Lines record longer than the article size limit.
    #[error(
        "{}:{line}: line longer than {limit} bytes; skipped (a record must fit the article \
         size limit; raise --max-article-bytes if it is a real article)",
        path.display()
    )]
    LineTooLong {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The limit.
        limit: u64,
    },
}

/// Something to know about an input that was read all the same.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ArticleWarning {
    /// Text in another encoding than UTF-8, decoded.
    #[error(
        "{place}: not UTF-8; read as {encoding} (save it as UTF-8 to be sure of every character)"
    )]
    Decoded {
        /// The file or record.
        place: Place,
        /// The encoding it was read as.
        encoding: &'static str,
    },
    /// UTF-8 text with a few bytes that are not, replaced by U+FFFD.
    #[error("{place}: {bad} invalid UTF-8 sequences replaced with U+FFFD")]
    Repaired {
        /// The file or record.
        place: Place,
        /// How many sequences were replaced.
        bad: usize,
    },
}

/// How [`decode_text`] read bytes that were not plain UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recoding {
    /// Decoded from this encoding (`Windows-1252`, `UTF-16LE`, `UTF-16BE`).
    From(&'static str),
    /// UTF-8 with this many invalid sequences replaced.
    Repaired(usize),
}

impl Recoding {
    fn warning(self, place: Place) -> ArticleWarning {
        match self {
            Recoding::From(encoding) => ArticleWarning::Decoded { place, encoding },
            Recoding::Repaired(bad) => ArticleWarning::Repaired { place, bad },
        }
    }
}

/// What binary data looks like, and what to do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binary {
    /// What it looks like (`a PDF document`).
    pub what: &'static str,
    /// What to do about it.
    pub hint: &'static str,
}

/// Tells binary data from text by the first bytes of a file: a known file signature, a NUL
/// byte, or more than one byte in ten a control character. Text with a UTF-16 byte-order mark
/// is text (its NUL bytes are half of its ASCII characters).
pub fn sniff_binary(head: &[u8]) -> Option<Binary> {
    const EXTRACT: &str = "extract its text first";
    const SIGNATURES: &[(&[u8], &str, &str)] = &[
        (b"%PDF-", "a PDF document", "extract its text first, e.g. with pdftotext"),
        (
            b"PK\x03\x04",
            "a ZIP archive (or a .docx/.odt document)",
            "unpack it or extract its text first",
        ),
        (b"\x1f\x8b", "gzip-compressed data", "decompress it first, e.g. with gunzip"),
        (b"BZh", "bzip2-compressed data", "decompress it first, e.g. with bunzip2"),
        (b"\xfd7zXZ\x00", "xz-compressed data", "decompress it first, e.g. with unxz"),
        (b"\x28\xb5\x2f\xfd", "zstd-compressed data", "decompress it first, e.g. with unzstd"),
        (b"\xd0\xcf\x11\xe0", "an old Microsoft Office document", EXTRACT),
        (b"\x89PNG", "a PNG image", "images hold no article text"),
        (b"\xff\xd8\xff", "a JPEG image", "images hold no article text"),
        (b"GIF8", "a GIF image", "images hold no article text"),
        (b"\x7fELF", "an executable", "pass article text files"),
    ];
    for &(magic, what, hint) in SIGNATURES {
        if head.starts_with(magic) {
            return Some(Binary { what, hint });
        }
    }
    let head = &head[..head.len().min(SNIFF_BYTES)];
    if encoding_rs::Encoding::for_bom(head).is_some() {
        return None;
    }
    let binary =
        Binary { what: "binary data", hint: "pass text files, or convert it to text first" };
    if head.contains(&0) {
        return Some(binary);
    }
    (stray_controls(head) * 10 > head.len()).then_some(binary)
}

/// The control characters in `head` that text files do not hold: all below U+0020 but tab,
/// line feed, form feed, carriage return and escape. Every input is sniffed, so eight bytes are
/// looked at a time and only a word with a control character in it is counted byte by byte.
fn stray_controls(head: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let stray = |b: &u8| *b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | 0x1b);
    let chunks = head.chunks_exact(8);
    let tail = chunks.remainder();
    let mut count = 0;
    for chunk in chunks {
        let mut eight = [0; 8];
        eight.copy_from_slice(chunk);
        let word = u64::from_le_bytes(eight);
        // Nonzero exactly when some byte is below 0x20 (a bit trick, exact as a yes or no).
        if word.wrapping_sub(ONES * 0x20) & !word & HIGH != 0 {
            count += chunk.iter().filter(|b| stray(b)).count();
        }
    }
    count + tail.iter().filter(|b| stray(b)).count()
}

/// Text from bytes read as text: UTF-8 as it is; with a byte-order mark, its encoding
/// (UTF-16 included); UTF-8 with a few bad bytes (more valid multi-byte characters than bad
/// sequences) repaired; anything else read as Windows-1252, the encoding of most non-UTF-8 news
/// text (it is Latin-1 for every printable character). Returns how it was read when that was
/// not plain UTF-8.
pub fn decode_text(bytes: &[u8]) -> (Cow<'_, str>, Option<Recoding>) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        let recoding = (encoding != encoding_rs::UTF_8).then_some(Recoding::From(encoding.name()));
        return (text, recoding);
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), None);
    }
    let (mut multibyte, mut bad) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        bad += usize::from(!chunk.invalid().is_empty());
    }
    if multibyte > bad {
        return (
            Cow::Owned(String::from_utf8_lossy(bytes).into_owned()),
            Some(Recoding::Repaired(bad)),
        );
    }
    let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
    (text, Some(Recoding::From("Windows-1252")))
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

    /// True when some block holds a letter: an article without one has no sentence to read.
    pub fn has_words(&self) -> bool {
        self.blocks().any(|block| block.chars().any(char::is_alphabetic))
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
    /// Warnings about inputs read all the same (another encoding than UTF-8).
    pub warnings: Vec<ArticleWarning>,
}

/// Reads every article named by `inputs` (files or directories, directories in sorted order;
/// `-` is standard input), all at once. [`ArticleStream`] reads them one at a time.
pub fn read_inputs(inputs: &[PathBuf]) -> ReadOutcome {
    let mut outcome = ReadOutcome::default();
    for item in ArticleStream::new(inputs) {
        outcome.warnings.extend(item.warnings);
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
    /// What to know about how it was read (its encoding).
    pub warnings: Vec<ArticleWarning>,
}

impl StreamItem {
    fn skipped(error: ArticleError, bytes: u64) -> StreamItem {
        StreamItem { article: Err(error), bytes, warnings: Vec::new() }
    }
}

/// One input to read, once directories are listed.
enum Source {
    File(PathBuf),
    /// Standard input, or another reader, read as standard input is; the path names it.
    Reader(Box<dyn BufRead + Send>, PathBuf),
    Unreadable(ArticleError),
}

/// Articles read one at a time, in input order: the inputs as given, directories expanded in
/// sorted order, JSON Lines read line by line. Only the current file (or line) is in memory,
/// and none larger than the article size limit, so a corpus of any size streams through.
/// Directories are listed when the stream is made, which fixes the order and lets
/// [`ArticleStream::total_bytes`] size a progress bar.
pub struct ArticleStream {
    sources: std::vec::IntoIter<Source>,
    lines: Option<LineReader>,
    max_bytes: u64,
    /// The bytes of the last text file read, kept so the next one reuses the allocation.
    buffer: Vec<u8>,
}

/// The largest read buffer kept from one text file to the next.
const REUSED_BUFFER_BYTES: usize = 1 << 20;

/// The open JSON Lines input being read.
struct LineReader {
    reader: Box<dyn BufRead + Send>,
    path: PathBuf,
    stem: String,
    line: usize,
    buffer: Vec<u8>,
    max_bytes: u64,
    /// Lines that were not blank, so that a file without any is reported.
    records: usize,
}

impl ArticleStream {
    /// A stream over `inputs`: files, directories (read recursively for `.txt`, `.jsonl` and
    /// `.ndjson`) and `-` for standard input (JSON Lines when it starts with `{`, else one
    /// article of text).
    pub fn new(inputs: &[PathBuf]) -> ArticleStream {
        let mut sources = Vec::new();
        for input in inputs {
            if input.as_os_str() == "-" {
                let stdin = std::io::BufReader::with_capacity(1 << 16, std::io::stdin());
                sources.push(Source::Reader(Box::new(stdin), PathBuf::from("stdin")));
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
        ArticleStream {
            sources: sources.into_iter(),
            lines: None,
            max_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            buffer: Vec::new(),
        }
    }

    /// A stream over one reader, read as standard input is (JSON Lines when it starts with
    /// `{`, else one article of text); `name` stands for the file in ids and messages.
    pub fn from_reader(reader: impl BufRead + Send + 'static, name: &str) -> ArticleStream {
        let source = Source::Reader(Box::new(reader), PathBuf::from(name));
        ArticleStream {
            sources: vec![source].into_iter(),
            lines: None,
            max_bytes: DEFAULT_MAX_ARTICLE_BYTES,
            buffer: Vec::new(),
        }
    }

    /// Sets the size limit of one article (a text file or a JSON line), in bytes; larger ones
    /// are skipped with an error, without being read into memory.
    pub fn max_article_bytes(mut self, limit: u64) -> ArticleStream {
        self.max_bytes = limit;
        self
    }

    /// The size of the files still to read, or `None` when standard input is among them.
    pub fn total_bytes(&self) -> Option<u64> {
        let mut total = 0;
        for source in self.sources.as_slice() {
            match source {
                Source::File(path) => total += fs::metadata(path).map_or(0, |m| m.len()),
                Source::Reader(..) => return None,
                Source::Unreadable(_) => {}
            }
        }
        Some(total)
    }

    fn open(&mut self, source: Source) -> Option<StreamItem> {
        let path = match source {
            Source::Unreadable(error) => return Some(StreamItem::skipped(error, 0)),
            Source::Reader(reader, path) => return self.open_reader(reader, path),
            Source::File(path) => path,
        };
        let file = match fs::File::open(&path) {
            Ok(file) => file,
            Err(source) => return Some(StreamItem::skipped(ArticleError::Io { path, source }, 0)),
        };
        if !matches!(extension(&path).as_str(), "jsonl" | "ndjson") {
            return Some(self.read_text_file(file, path));
        }
        let mut reader = std::io::BufReader::with_capacity(1 << 16, file);
        if let Err(error) = refuse_binary(&mut reader, &path) {
            let size = reader.get_ref().metadata().map_or(0, |m| m.len());
            return Some(StreamItem::skipped(error, size));
        }
        self.lines = Some(LineReader::new(Box::new(reader), path, self.max_bytes));
        None
    }

    /// A text file read whole into the reused buffer: no look at its size first, one read for
    /// an article (and one more to see the end), then the same checks in the same order as
    /// [`ArticleStream::open`] makes on a stream: binary data, then size, then text. The file's
    /// size is asked only when it is refused (the error and the byte count give it).
    fn read_text_file(&mut self, mut file: fs::File, path: PathBuf) -> StreamItem {
        let size_of = |file: &fs::File| file.metadata().map_or(0, |m| m.len());
        let limit = self.max_bytes;
        let mut bytes = std::mem::take(&mut self.buffer);
        bytes.clear();
        // One byte more than the limit tells a file at the limit from a larger one.
        let read = (&mut file).take(limit.saturating_add(1)).read_to_end(&mut bytes);
        let item = match read {
            Err(source) => {
                // As when streamed: a file unreadable from the start counts its size.
                let counted = if bytes.is_empty() { size_of(&file) } else { 0 };
                StreamItem::skipped(ArticleError::Io { path, source }, counted)
            }
            Ok(_) => {
                let size =
                    if bytes.len() as u64 > limit { size_of(&file) } else { bytes.len() as u64 };
                match sniff_binary(&bytes) {
                    Some(Binary { what, hint }) => {
                        StreamItem::skipped(ArticleError::Binary { path, what, hint }, size)
                    }
                    None if size > limit => {
                        StreamItem::skipped(ArticleError::TooLarge { path, size, limit }, size)
                    }
                    None => text_article(&bytes, path, None),
                }
            }
        };
        // Kept for the next file, unless one large article would keep it large.
        if bytes.capacity() <= REUSED_BUFFER_BYTES {
            self.buffer = bytes;
        }
        item
    }

    /// Standard input is JSON Lines when its first non-blank character opens an object, and
    /// otherwise one article of text (whose id is the reader's name).
    fn open_reader(
        &mut self,
        mut reader: Box<dyn BufRead + Send>,
        path: PathBuf,
    ) -> Option<StreamItem> {
        if let Err(error) = refuse_binary(&mut reader, &path) {
            return Some(StreamItem::skipped(error, 0));
        }
        let starts_json = loop {
            let chunk = match reader.fill_buf() {
                Ok(chunk) => chunk,
                Err(source) => {
                    return Some(StreamItem::skipped(ArticleError::Io { path, source }, 0))
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
            self.lines = Some(LineReader::new(reader, path, self.max_bytes));
            return None;
        }
        let id = path.display().to_string();
        Some(read_text_article(reader, path, Some(&id), self.max_bytes))
    }
}

/// Looks at the first bytes of an input and refuses it when they are binary data.
fn refuse_binary(reader: &mut impl BufRead, path: &Path) -> Result<(), ArticleError> {
    let head = reader
        .fill_buf()
        .map_err(|source| ArticleError::Io { path: path.to_path_buf(), source })?;
    match sniff_binary(head) {
        Some(Binary { what, hint }) => {
            Err(ArticleError::Binary { path: path.to_path_buf(), what, hint })
        }
        None => Ok(()),
    }
}

/// Reads one text article (at most `limit` bytes) and parses it. `id` is the article id when
/// it is not the file's stem.
fn read_text_article(reader: impl Read, path: PathBuf, id: Option<&str>, limit: u64) -> StreamItem {
    let mut bytes = Vec::new();
    // One byte more than the limit tells a file at the limit from a larger one.
    if let Err(source) = reader.take(limit.saturating_add(1)).read_to_end(&mut bytes) {
        return StreamItem::skipped(ArticleError::Io { path, source }, 0);
    }
    let size = bytes.len() as u64;
    if size > limit {
        return StreamItem::skipped(ArticleError::TooLarge { path, size, limit }, size);
    }
    text_article(&bytes, path, id)
}

/// Parses the bytes of one text article. `id` is the article id when it is not the file's stem.
fn text_article(bytes: &[u8], path: PathBuf, id: Option<&str>) -> StreamItem {
    let size = bytes.len() as u64;
    let place = Place { path: path.clone(), line: None };
    let (text, recoding) = decode_text(bytes);
    let warnings: Vec<ArticleWarning> =
        recoding.map(|r| r.warning(place.clone())).into_iter().collect();
    let id = id.map_or_else(|| file_stem(&path), String::from);
    let article = match parse_text_article(&text, &id) {
        None => Err(ArticleError::Empty { path }),
        Some(article) if !article.has_words() => Err(ArticleError::NoSentences { place }),
        Some(article) => Ok(article),
    };
    StreamItem { article, bytes: size, warnings }
}

/// Reads a line of at most `limit` bytes (without its line feed) into `buffer`. A longer line
/// is read through to its end but not kept: memory stays bounded whatever the input. Returns
/// the bytes read (0 at the end of the input) and whether the line was too long.
fn read_line_bounded(
    reader: &mut dyn BufRead,
    buffer: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<(u64, bool)> {
    buffer.clear();
    let (mut read, mut too_long) = (0u64, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if available.is_empty() {
            return Ok((read, too_long));
        }
        let newline = available.iter().position(|&b| b == b'\n');
        let take = newline.map_or(available.len(), |at| at + 1);
        if !too_long {
            let content = newline.unwrap_or(available.len());
            if (buffer.len() + content) as u64 > limit {
                too_long = true;
                buffer.clear();
                buffer.shrink_to(1 << 16);
            } else {
                buffer.extend_from_slice(&available[..take]);
            }
        }
        reader.consume(take);
        read += take as u64;
        if newline.is_some() {
            return Ok((read, too_long));
        }
    }
}

impl LineReader {
    fn new(reader: Box<dyn BufRead + Send>, path: PathBuf, max_bytes: u64) -> LineReader {
        let stem = file_stem(&path);
        LineReader { reader, path, stem, line: 0, buffer: Vec::new(), max_bytes, records: 0 }
    }

    /// The next record of the file, `None` at its end.
    fn next_item(&mut self) -> Option<StreamItem> {
        loop {
            let (read, too_long) =
                match read_line_bounded(&mut self.reader, &mut self.buffer, self.max_bytes) {
                    Ok((0, _)) if self.records == 0 => {
                        // Reported once: the next call finds the end again, with a record.
                        self.records = 1;
                        let path = self.path.clone();
                        return Some(StreamItem::skipped(ArticleError::Empty { path }, 0));
                    }
                    Ok((0, _)) => return None,
                    Ok(read) => read,
                    Err(source) => {
                        // A read error would recur on every call: report it and stop the file.
                        self.records = 1;
                        self.reader = Box::new(std::io::empty());
                        let path = self.path.clone();
                        return Some(StreamItem::skipped(ArticleError::Io { path, source }, 0));
                    }
                };
            self.line += 1;
            let place = Place { path: self.path.clone(), line: Some(self.line) };
            if too_long {
                self.records += 1;
                let error = ArticleError::LineTooLong {
                    path: self.path.clone(),
                    line: self.line,
                    limit: self.max_bytes,
                };
                return Some(StreamItem::skipped(error, read));
            }
            let mut bytes = self.buffer.as_slice();
            // Without its line end, a record cut short ends inside the JSON, which the parser
            // then reports as such (not as a control character in a string).
            bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
            bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.records += 1;
            let bad = |message: String| ArticleError::BadJson {
                path: self.path.clone(),
                line: self.line,
                message,
            };
            if bytes.contains(&0) {
                let error = bad("holds NUL bytes: binary data, not a JSON record".to_string());
                return Some(StreamItem::skipped(error, read));
            }
            let (line, recoding) = decode_text(bytes);
            let warnings = recoding.map(|r| r.warning(place.clone())).into_iter().collect();
            let id = format!("{}:{}", self.stem, self.line);
            let article = match parse_json_article(&line, &id) {
                Ok(article) if !article.has_words() => Err(ArticleError::NoSentences { place }),
                Ok(article) => Ok(article),
                Err(message) => Err(bad(message)),
            };
            return Some(StreamItem { article, bytes: read, warnings });
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
    // Each entry, with the files under it when it is a directory; sorted below by path.
    let mut entries: Vec<(PathBuf, Option<Vec<PathBuf>>)> = Vec::new();
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        // The directory listing says what most entries are without a stat each; a link is
        // followed, as a stat of its path would.
        let is_dir = match entry.file_type() {
            Ok(kind) if !kind.is_symlink() => kind.is_dir(),
            _ => path.is_dir(),
        };
        if is_dir {
            let under = list_dir(&path)?;
            entries.push((path, Some(under)));
        } else if matches!(extension(&path).as_str(), "txt" | "jsonl" | "ndjson") {
            entries.push((path, None));
        }
    }
    // The entries' paths are the directory's path and one name each, so their bytes sort as
    // their names do, which is how paths sort (by component); and a subdirectory's files,
    // sorted within it, sort as its name does among the others. This is the order of sorting
    // all the paths, without parsing their components at every comparison.
    entries.sort_unstable_by(|(a, _), (b, _)| {
        a.as_os_str().as_encoded_bytes().cmp(b.as_os_str().as_encoded_bytes())
    });
    let mut files = Vec::with_capacity(entries.len());
    for (path, under) in entries {
        match under {
            Some(under) => files.extend(under),
            None => files.push(path),
        }
    }
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
    let record: JsonArticle = serde_json::from_str(line).map_err(|e| {
        // The record is one line, so its column is what locates the problem.
        let message = e.to_string().replace(" at line 1 column ", " at column ");
        if e.is_eof() {
            format!("cut short, the line ends inside the record ({message})")
        } else {
            message
        }
    })?;
    let published = match record.date.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(date) => Some(
            parse_date_prefix(date)
                .ok_or_else(|| format!("date {date:?} is not a date; write it as YYYY-MM-DD"))?,
        ),
        None => None,
    };
    let paragraphs = split_paragraphs(&markup::clean(&record.text));
    let title = record.title.map(|t| match markup::clean(&t) {
        Cow::Borrowed(t) => t.trim().to_string(),
        // Markup may have left line breaks in a headline, which is one line.
        Cow::Owned(t) => t.split_whitespace().collect::<Vec<_>>().join(" "),
    });
    let title = title.filter(|t| !t.is_empty());
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
/// text is a body without metadata. HTML markup and entities are stripped first
/// ([`markup::clean`]). Returns `None` when there is no text at all.
pub fn parse_text_article(text: &str, id: &str) -> Option<Article> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let cleaned = markup::clean(text);
    let text = cleaned.as_ref();
    // Only the layout's first lines are looked at one by one: the body is split into
    // paragraphs where it starts in the text, not gathered line by line and joined again.
    let mut lines = lines_with_starts(text).peekable();
    let title_line = lines.next();
    let url_line = lines.next().filter(|(_, l)| {
        let l = l.trim();
        l.starts_with("http://") || l.starts_with("https://")
    });
    let (Some((_, title_line)), Some((_, url_line))) = (title_line, url_line) else {
        let paragraphs = split_paragraphs(text);
        if paragraphs.is_empty() {
            return None;
        }
        let meta = ArticleRef { id: id.to_string(), url: None, title: None, published: None };
        return Some(Article { meta, lead: None, paragraphs });
    };
    let title = Some(title_line.trim().to_string()).filter(|t| !t.is_empty());
    let url = Some(url_line.trim().to_string());
    let lead = lines.next().map(|(_, l)| l.trim().to_string()).filter(|l| !l.is_empty());
    let mut published = None;
    let mut metadata_lines = 0;
    // Metadata lines sit between the lead and the first blank line after them.
    while let Some(&(_, line)) = lines.peek() {
        let line = line.trim();
        if line.is_empty() {
            if published.is_some() || metadata_lines > 0 {
                break;
            }
        } else if let Some(date) = parse_dateline(line) {
            published = Some(date);
        } else if !is_metadata_line(line) {
            break;
        }
        metadata_lines += 1;
        lines.next();
    }
    // From a line's start, the body's lines are those `str::lines` gave the old joined body
    // but for line ends, which `split_paragraphs` trims away.
    let body_start = lines.peek().map_or(text.len(), |&(start, _)| start);
    let mut paragraphs = split_paragraphs(&text[body_start..]);
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

/// The lines of `text` as [`str::lines`] splits them, each with the byte offset it starts at.
fn lines_with_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split_inclusive('\n').scan(0, |start, raw| {
        let line_start = *start;
        *start += raw.len();
        let line = raw.strip_suffix('\n').map_or(raw, |l| l.strip_suffix('\r').unwrap_or(l));
        Some((line_start, line))
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
    fn directories_list_their_files_in_path_order() {
        // Names where byte order and path order could part: a directory beside files that
        // extend its name, bytes below and above the separator, upper case, non-ASCII.
        let dir = tempfile::tempdir().expect("tempdir");
        let files = [
            "b/z.txt",
            "b/a.txt",
            "b/c/d.txt",
            "b.txt",
            "b-.txt",
            "b0.txt",
            "B.txt",
            "a.TXT",
            "é.txt",
            "e.txt",
            "b.d/x.txt",
            "b .txt",
            "notes.md",
            "a/b/c/d/e.jsonl",
        ];
        for file in files {
            let path = dir.path().join(file);
            fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            fs::write(&path, "Talks.").expect("write");
        }
        let listed = list_dir(dir.path()).expect("list");
        let mut sorted: Vec<PathBuf> = files
            .iter()
            .map(|f| dir.path().join(f))
            .filter(|p| !p.to_string_lossy().ends_with(".md"))
            .collect();
        sorted.sort();
        assert_eq!(listed, sorted);
    }

    #[test]
    fn reading_a_directory_reports_bad_files_and_keeps_good_ones() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::write(dir.path().join("b.txt"), WIRE).expect("write");
        fs::write(dir.path().join("a.txt"), b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").expect("write");
        fs::write(dir.path().join("c.jsonl"), "{\"text\":\"Fine.\"}\n{broken\n").expect("write");
        let outcome = read_inputs(&[dir.path().to_path_buf()]);
        assert_eq!(outcome.articles.len(), 2);
        assert_eq!(outcome.errors.len(), 2);
        let messages: Vec<String> = outcome.errors.iter().map(|e| e.to_string()).collect();
        assert!(messages[0].contains("a.txt: a PDF document, not text"), "{messages:?}");
        assert!(messages[1].contains("c.jsonl:2"));
    }

    fn read_one(name: &str, bytes: &[u8], limit: u64) -> ReadOutcome {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("write");
        let mut outcome = ReadOutcome::default();
        for item in ArticleStream::new(&[path]).max_article_bytes(limit) {
            outcome.warnings.extend(item.warnings);
            match item.article {
                Ok(article) => outcome.articles.push(article),
                Err(error) => outcome.errors.push(error),
            }
        }
        outcome
    }

    fn messages(outcome: &ReadOutcome) -> Vec<String> {
        outcome.errors.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn windows_1252_text_is_decoded_with_a_warning() {
        // "Fran\xe7ois Hollande met \x93allies\x94 in Paris." in Windows-1252.
        let bytes = b"Fran\xe7ois Hollande met \x93allies\x94 in Paris.\n";
        let outcome = read_one("cp.txt", bytes, DEFAULT_MAX_ARTICLE_BYTES);
        assert_eq!(outcome.articles[0].paragraphs, ["François Hollande met “allies” in Paris."]);
        assert_eq!(outcome.warnings.len(), 1);
        let warning = outcome.warnings[0].to_string();
        assert!(warning.contains("cp.txt: not UTF-8; read as Windows-1252"), "{warning}");
        // In JSON Lines, per line, with the line number.
        let lines = b"{\"text\": \"Fine.\"}\n{\"text\": \"Caf\xe9 talks.\"}\n";
        let outcome = read_one("w.jsonl", lines, DEFAULT_MAX_ARTICLE_BYTES);
        assert_eq!(outcome.articles[1].paragraphs, ["Café talks."]);
        assert!(outcome.warnings[0].to_string().contains("w.jsonl:2: not UTF-8"));
    }

    #[test]
    fn text_files_read_in_turn_through_one_buffer_keep_their_own_text_and_sizes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let long = format!("{WIRE}\n{}", "More talks were held on trade. ".repeat(80));
        let files: [(&str, Vec<u8>); 5] = [
            ("a.txt", long.clone().into_bytes()),
            ("b.txt", b"France condemned the attack.\n".to_vec()),
            ("c.txt", vec![b'x'; 2001]),
            ("d.txt", b"\x7fELF\x02\x01".to_vec()),
            ("e.txt", "Talks ended.".repeat(200).as_bytes()[..2000].to_vec()),
        ];
        let mut paths = Vec::new();
        for (name, bytes) in &files {
            paths.push(dir.path().join(name));
            fs::write(dir.path().join(name), bytes).expect("write");
        }
        let items: Vec<StreamItem> = ArticleStream::new(&paths).max_article_bytes(2000).collect();
        let sizes: Vec<u64> = items.iter().map(|i| i.bytes).collect();
        // Over the limit: refused, with the file's own size, not the bytes read to find out.
        assert_eq!(sizes, [long.len() as u64, 29, 2001, 6, 2000]);
        let errors: Vec<String> = items
            .iter()
            .filter_map(|i| i.article.as_ref().err().map(ToString::to_string))
            .collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors[0].contains("a.txt") && errors[0].contains(&long.len().to_string()));
        assert!(errors[1].contains("c.txt"), "{errors:?}");
        assert!(errors[2].contains("d.txt: an executable"), "{errors:?}");
        let texts: Vec<&str> = items
            .iter()
            .filter_map(|i| i.article.as_ref().ok())
            .map(|a| a.paragraphs[0].as_str())
            .collect();
        assert_eq!(texts[0], "France condemned the attack.");
        assert!(texts[1].starts_with("Talks ended.Talks ended."), "{texts:?}");
        // Within the limit, the same file is read whole.
        let items: Vec<StreamItem> = ArticleStream::new(&paths[..1]).collect();
        assert!(items[0].article.is_ok());
        assert_eq!(items[0].bytes, long.len() as u64);
    }

    proptest::proptest! {
        /// Stray control characters are counted as one byte at a time would count them.
        #[test]
        fn stray_controls_are_counted_as_bytewise(
            head in proptest::collection::vec(
                proptest::prop_oneof![0u8..0x20, 0x20u8..0x80, 0x80u8..=0xff, proptest::strategy::Just(b'\n')],
                0..100,
            ),
        ) {
            let bytewise = head
                .iter()
                .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | 0x0c | b'\r' | 0x1b))
                .count();
            proptest::prop_assert_eq!(stray_controls(&head), bytewise);
        }

        /// The parser finds the body where the one that gathered every line and joined the
        /// body's lines again did.
        #[test]
        fn text_articles_parse_as_with_collected_lines(
            lines in proptest::collection::vec(
                proptest::sample::select(vec![
                    "Leaders meet", "https://news.example.org/a", " http://x.example ", "",
                    " ", "\r", "Mar 14, 2023 09:45 UTC", "2021-01-01", "(last modified x)",
                    "(updated y)", "• Leaders meet", "* Leaders meet", "The talks ended.",
                    "They agreed.\r", "  Indented line.  ", "AK", "\u{a0}", "x\r\r", "é\u{2003}",
                ]),
                0..14,
            ),
            ends in proptest::collection::vec(
                proptest::sample::select(vec!["\n", "\r\n", "\n\n"]),
                14,
            ),
            last_end in proptest::bool::ANY,
        ) {
            let mut text = String::new();
            for (i, line) in lines.iter().enumerate() {
                text.push_str(line);
                if i + 1 < lines.len() || last_end {
                    text.push_str(ends[i]);
                }
            }
            proptest::prop_assert_eq!(
                parse_text_article(&text, "t"),
                parse_text_article_with_collected_lines(&text, "t")
            );
        }
    }

    /// The parser before it found the body's start in the text: the oracle for
    /// `parse_text_article`.
    fn parse_text_article_with_collected_lines(text: &str, id: &str) -> Option<Article> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let cleaned = markup::clean(text);
        let text = cleaned.as_ref();
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

    #[test]
    fn utf16_and_nearly_utf8_text_are_read() {
        let mut utf16 = vec![0xff, 0xfe];
        utf16.extend("Leaders met in Rome.".encode_utf16().flat_map(u16::to_le_bytes));
        let outcome = read_one("u16.txt", &utf16, DEFAULT_MAX_ARTICLE_BYTES);
        assert_eq!(outcome.articles[0].paragraphs, ["Leaders met in Rome."]);
        assert!(outcome.warnings[0].to_string().contains("read as UTF-16LE"));
        // UTF-8 with one stray byte stays UTF-8: its other characters are not mis-read.
        let bytes = "Erdoğan met Schröder in Zürich \u{2014} "
            .bytes()
            .chain([0xff, b'.'])
            .collect::<Vec<u8>>();
        let (text, recoding) = decode_text(&bytes);
        assert!(text.starts_with("Erdoğan met Schröder in Zürich"));
        assert_eq!(recoding, Some(Recoding::Repaired(1)));
    }

    #[test]
    fn binary_data_is_told_from_text() {
        assert_eq!(sniff_binary(b"%PDF-1.4 ...").map(|b| b.what), Some("a PDF document"));
        assert_eq!(
            sniff_binary(b"PK\x03\x04rest").map(|b| b.what),
            Some("a ZIP archive (or a .docx/.odt document)")
        );
        assert_eq!(sniff_binary(b"text\0more").map(|b| b.what), Some("binary data"));
        assert_eq!(sniff_binary(b"\x01\x02\x03\x04 abc").map(|b| b.what), Some("binary data"));
        assert_eq!(sniff_binary(b"Plain text.\r\n\tIndented.\x0c"), None);
        assert_eq!(sniff_binary(b"\xff\xfeL\0e\0"), None);
        assert_eq!(sniff_binary(b""), None);
        let outcome = read_one("x.jsonl", b"\x1f\x8b\x08\0\0\0", DEFAULT_MAX_ARTICLE_BYTES);
        assert_eq!(
            messages(&outcome),
            [format!(
                "{}: gzip-compressed data, not text; skipped (decompress it first, e.g. with gunzip)",
                outcome_path(&outcome)
            )]
        );
    }

    fn outcome_path(outcome: &ReadOutcome) -> String {
        match &outcome.errors[0] {
            ArticleError::Binary { path, .. } => path.display().to_string(),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn empty_files_and_text_without_words_are_reported() {
        let outcome = read_one("e.txt", b"", DEFAULT_MAX_ARTICLE_BYTES);
        assert!(messages(&outcome)[0].ends_with("e.txt: empty file, no article in it"));
        let outcome = read_one("e.jsonl", b"\n  \n", DEFAULT_MAX_ARTICLE_BYTES);
        assert!(messages(&outcome)[0].ends_with("e.jsonl: empty file, no article in it"));
        let outcome = read_one("n.txt", b"---\n\n12 345 ...\n", DEFAULT_MAX_ARTICLE_BYTES);
        assert!(
            messages(&outcome)[0].ends_with("n.txt: no sentences (the text has no words); skipped")
        );
        let outcome = read_one("n.jsonl", b"{\"text\": \"2024\"}\n", DEFAULT_MAX_ARTICLE_BYTES);
        assert!(messages(&outcome)[0].contains("n.jsonl:1: no sentences"));
    }

    #[test]
    fn articles_over_the_size_limit_are_skipped_in_bounded_memory() {
        let big = "Leaders met in Rome. ".repeat(10);
        let outcome = read_one("big.txt", big.as_bytes(), 100);
        assert!(messages(&outcome)[0].contains("big.txt: 210 bytes, over the 100-byte limit"));
        // A line over the limit is skipped up to its end; the lines after it are read.
        let lines = format!("{{\"text\": \"{big}\"}}\n{{\"text\": \"Short.\"}}\n");
        let outcome = read_one("big.jsonl", lines.as_bytes(), 100);
        assert_eq!(messages(&outcome), [format!("{}:1: line longer than 100 bytes; skipped (a record must fit the article size limit; raise --max-article-bytes if it is a real article)", outcome_line_path(&outcome))]);
        assert_eq!(outcome.articles.len(), 1);
        assert_eq!(outcome.articles[0].meta.id, "big:2");
    }

    fn outcome_line_path(outcome: &ReadOutcome) -> String {
        match &outcome.errors[0] {
            ArticleError::LineTooLong { path, .. } => path.display().to_string(),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn bounded_lines_keep_short_lines_and_drop_long_ones() {
        let mut reader = std::io::BufReader::with_capacity(4, &b"abc\nabcdefgh\nxy"[..]);
        let mut buffer = Vec::new();
        assert_eq!(read_line_bounded(&mut reader, &mut buffer, 5).expect("read"), (4, false));
        assert_eq!(buffer, b"abc\n");
        assert_eq!(read_line_bounded(&mut reader, &mut buffer, 5).expect("read"), (9, true));
        assert!(buffer.is_empty());
        assert_eq!(read_line_bounded(&mut reader, &mut buffer, 5).expect("read"), (2, false));
        assert_eq!(buffer, b"xy");
        assert_eq!(read_line_bounded(&mut reader, &mut buffer, 5).expect("read"), (0, false));
    }

    #[test]
    fn html_articles_are_read_as_their_text() {
        let page = "<html><body><h1>Leaders meet</h1><p>President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Monday.</p>\n<script>track()</script><p>They discussed Ukraine &amp; energy.</p></body></html>";
        let outcome = read_one("page.txt", page.as_bytes(), DEFAULT_MAX_ARTICLE_BYTES);
        assert_eq!(
            outcome.articles[0].paragraphs,
            [
                "Leaders meet",
                "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Monday.",
                "They discussed Ukraine & energy."
            ]
        );
        let record = r#"{"title": "Macron &amp; Scholz", "text": "<p>One.</p><p>Two.</p>"}"#;
        let article = parse_json_article(record, "r").expect("record");
        assert_eq!(article.meta.title.as_deref(), Some("Macron & Scholz"));
        assert_eq!(article.paragraphs, ["One.", "Two."]);
    }

    #[test]
    fn a_record_cut_short_says_so() {
        let message =
            parse_json_article(r#"{"title": "T", "text": "A sent"#, "x").expect_err("bad");
        assert!(message.starts_with("cut short, the line ends inside the record"), "{message}");
        assert!(message.contains("at column"), "{message}");
    }
}
