//! Building a graph from a corpus of any size, on all cores, in bounded memory.
//!
//! Articles stream from the inputs ([`ArticleStream`]) in batches. Each batch is extracted in
//! parallel on a rayon pool, and the results are merged into the graph and written to
//! `events.jsonl` in input order, whatever thread finished first; so the files are the same
//! byte for byte for any thread count. Only the graph and a few batches are in memory: events
//! go to a temporary file beside their destination as they come, and the graph is serialised
//! straight to its file. With more than one thread, reading, extracting and merging overlap
//! (a reader thread and a merger thread around the pool, joined by bounded channels); with one
//! thread, everything runs in turn on the calling thread.
//!
//! Every article is known by its URL, or by its content hash when it has none
//! ([`crate::graph::article_identity`]). An article already in the graph being extended
//! (`--into`), or met earlier in the same input, is skipped: it is not counted twice.

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;

use crate::article::{Article, ArticleError, ArticleStream, ArticleWarning};
use crate::export::json::{read_graph_file, GraphFileError, LinkError};
use crate::export::{dot, ExportError};
use crate::extract::Extractor;
use crate::graph::spilled::{SpilledGraph, Stretch};
use crate::graph::{article_identity, GraphSource, KnowledgeGraph};
use crate::lexicon::Lexicon;
use crate::model::Event;

/// A batch is cut at this many articles or bytes, whichever comes first: enough work to keep
/// every thread busy between hand-overs, small enough that the batches in flight (at most
/// five: two queued on each side of the pool and one being extracted) stay a few MB.
const BATCH_ARTICLES: usize = 256;
const BATCH_BYTES: u64 = 2 << 20;

/// How to run a build.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The directory that receives `events.jsonl`, `graph.json` and `graph.dot` (without
    /// [`BuildOptions::into`]).
    pub output: PathBuf,
    /// A graph file (or the directory holding `graph.json`) to extend: its articles are kept,
    /// new ones are merged in, and the files beside it are updated.
    pub into: Option<PathBuf>,
    /// Where to write the events instead of `events.jsonl` beside the graph, so that a caller
    /// that collects events and graphs separately (a Spark task) gets both from one pass.
    pub events: Option<PathBuf>,
    /// Worker threads; `None` lets rayon decide (`RAYON_NUM_THREADS`, else one per core).
    pub threads: Option<usize>,
    /// Show a progress bar on stderr.
    pub progress: bool,
    /// Write no `graph.dot`: for a caller that does not want it (`events.jsonl` and
    /// `graph.json` are always written).
    pub skip_dot: bool,
    /// Stop at the first input that cannot be read ([`BuildError::Strict`]), writing nothing,
    /// instead of skipping it.
    pub strict: bool,
    /// The size limit of one article, in bytes (`None`: [`crate::article::DEFAULT_MAX_ARTICLE_BYTES`]).
    pub max_article_bytes: Option<u64>,
}

/// What a build tells its caller about an input, in input order, as it goes.
#[derive(Debug, Clone, Copy)]
pub enum Notice<'a> {
    /// The input (a file or a JSON line) was skipped.
    Skipped(&'a ArticleError),
    /// The input was read, and this is to know about it.
    Warning(&'a ArticleWarning),
}

/// A finished build: its figures. Callers that write more files read back the graph file.
#[derive(Debug)]
pub struct Built {
    /// What the build did.
    pub stats: BuildStats,
}

/// What a build did, for the summary line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildStats {
    /// New articles read and extracted.
    pub articles: u64,
    /// Articles skipped because the graph (or an earlier input) already held them.
    pub duplicates: u64,
    /// Inputs (files or lines) skipped because they could not be read.
    pub skipped: u64,
    /// Sentences of the new articles.
    pub sentences: u64,
    /// Events found in the new articles.
    pub events: u64,
    /// Entities (nodes) in the resulting graph.
    pub entities: usize,
    /// Edges in the resulting graph.
    pub edges: usize,
    /// Bytes of input read.
    pub bytes: u64,
    /// Wall-clock seconds, from the first article read to the last file written.
    pub seconds: f64,
    /// Threads used for extraction.
    pub threads: usize,
    /// The graph file written.
    pub graph: PathBuf,
}

impl BuildStats {
    /// The one-line summary: `N articles (S skipped, D already in the graph), N sentences,
    /// N events, N entities, N edges in S.SSs (R MB/s, T threads) → PATH`.
    pub fn summary(&self) -> String {
        let mb_per_s =
            if self.seconds > 0.0 { self.bytes as f64 / 1e6 / self.seconds } else { 0.0 };
        format!(
            "{} articles ({} skipped, {} already in the graph), {} sentences, {} events, \
             {} entities, {} edges in {:.2}s ({:.1} MB/s, {} thread{}) → {}",
            self.articles,
            self.skipped,
            self.duplicates,
            self.sentences,
            self.events,
            self.entities,
            self.edges,
            self.seconds,
            mb_per_s,
            self.threads,
            if self.threads == 1 { "" } else { "s" },
            self.graph.display()
        )
    }
}

/// Why a build stopped.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// No input held a readable article.
    #[error("no article could be read from the inputs")]
    NoArticles,
    /// The graph to extend could not be read.
    #[error(transparent)]
    Graph(#[from] GraphFileError),
    /// The graph to extend has a damaged link.
    #[error("{}: damaged dipgraph graph file: {source}", path.display())]
    BadLink {
        /// The graph file.
        path: PathBuf,
        /// The link and what is wrong with it.
        source: LinkError,
    },
    /// An output could not be written.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// With [`BuildOptions::strict`], an input could not be read.
    #[error("{0} (--strict: stopped at the first bad input, nothing written)")]
    Strict(ArticleError),
    /// An output path is a directory.
    #[error("{}: is a directory; cannot write a file there (remove it or choose another output)", .0.display())]
    TargetIsDirectory(PathBuf),
    /// The worker threads could not be started.
    #[error("cannot start {threads} worker threads: {message}")]
    Threads {
        /// Threads asked for (0: rayon's choice).
        threads: usize,
        /// What rayon said.
        message: String,
    },
}

/// Where a build writes.
#[derive(Debug, Clone)]
pub struct Targets {
    /// `events.jsonl`.
    pub events: PathBuf,
    /// `graph.json`.
    pub graph: PathBuf,
    /// `graph.dot`.
    pub dot: PathBuf,
}

impl Targets {
    /// The three files in `dir`.
    pub fn in_dir(dir: &Path) -> Targets {
        Targets {
            events: dir.join("events.jsonl"),
            graph: dir.join("graph.json"),
            dot: dir.join("graph.dot"),
        }
    }

    /// The graph file `--into` names (a file, or `graph.json` in a directory), with the
    /// events and DOT files beside it.
    pub fn beside(graph: &Path) -> Targets {
        let graph = if graph.is_dir() { graph.join("graph.json") } else { graph.to_path_buf() };
        let dir = graph.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        Targets { events: dir.join("events.jsonl"), dot: dir.join("graph.dot"), graph }
    }
}

/// Loads a graph file with the query loader's checks (format name, version, links).
pub fn load_graph(path: &Path) -> Result<KnowledgeGraph, BuildError> {
    let (path, file) = read_graph_file(path)?;
    KnowledgeGraph::from_graph_file(file).map_err(|source| BuildError::BadLink { path, source })
}

/// Loads the graph a build extends, read as a stream so that only its numbers stay in memory
/// and its sentences go to a file in `dir`. When the stream reader finds anything wrong, the
/// graph file loader reads the file again to say what, in its words.
fn load_spilled(path: &Path, dir: &Path) -> Result<SpilledGraph, BuildError> {
    let file = std::fs::File::open(path);
    match file.map(|f| SpilledGraph::read(std::io::BufReader::with_capacity(1 << 20, f), dir)) {
        Ok(Ok(graph)) => Ok(graph),
        _ => {
            let graph = load_graph(path)?;
            SpilledGraph::from_graph(graph, dir)
                .map_err(|source| ExportError::Write { path: dir.to_path_buf(), source }.into())
        }
    }
}

/// Builds (or extends) a graph from `inputs`. Unreadable inputs are passed to `on_notice`, in
/// input order, and skipped (or stop the build, with [`BuildOptions::strict`]); so are
/// warnings about inputs read all the same. The build fails when no article at all could be
/// read, or an output cannot be written, and then leaves every existing file as it was: the
/// outputs are all written to temporary files first and renamed into place only when every
/// one of them is complete, `graph.json` last.
pub fn build(
    inputs: &[PathBuf],
    lexicon: &Lexicon,
    options: &BuildOptions,
    on_notice: &(dyn Fn(Notice<'_>) + Sync),
) -> Result<Built, BuildError> {
    let started = Instant::now();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads.unwrap_or(0))
        .build()
        .map_err(|e| BuildError::Threads {
            threads: options.threads.unwrap_or(0),
            message: e.to_string(),
        })?;
    let threads = pool.current_num_threads();
    let (targets, extending) = match &options.into {
        Some(into) => {
            let targets = Targets::beside(into);
            let exists = targets.graph.exists();
            (targets, exists)
        }
        None => (Targets::in_dir(&options.output), false),
    };
    let targets = match &options.events {
        Some(events) => Targets { events: events.clone(), ..targets },
        None => targets,
    };
    // The sentences wait on disk beside the graph file, which is where there is room for it.
    let graph_dir = targets.graph.parent().filter(|p| !p.as_os_str().is_empty());
    let graph_dir = graph_dir.unwrap_or(Path::new(".")).to_path_buf();
    let created_graph_dir = !graph_dir.exists();
    std::fs::create_dir_all(&graph_dir)
        .map_err(|source| ExportError::Write { path: graph_dir.clone(), source })?;
    let spill_error = |source| ExportError::Write { path: graph_dir.clone(), source };
    let graph = if extending {
        load_spilled(&targets.graph, &graph_dir)?
    } else {
        SpilledGraph::new(&graph_dir).map_err(spill_error)?
    };
    // Found now rather than when the files are renamed into place, after all the work, and
    // with the events file already replaced.
    for target in [&targets.events, &targets.graph, &targets.dot] {
        if target.is_dir() {
            return Err(BuildError::TargetIsDirectory(target.clone()));
        }
    }
    let mut stream = ArticleStream::new(inputs);
    if let Some(limit) = options.max_article_bytes {
        stream = stream.max_article_bytes(limit);
    }
    let progress = options.progress.then(|| progress_bar(stream.total_bytes()));
    let events_dir = targets.events.parent().map(Path::to_path_buf).unwrap_or_default();
    let created_dir = !events_dir.as_os_str().is_empty() && !events_dir.exists();
    let mut events = AtomicFile::create(&targets.events)?;
    if options.into.is_some() && targets.events.is_file() {
        // The events of the graph being extended come first; the new ones are appended.
        events.append_copy_of(&targets.events)?;
    }
    let mut reader = Reader { stream, seen: graph.article_identities().into_iter().collect() };
    let extractor = Extractor::new(lexicon);
    let mut merger = Merger {
        graph,
        spill_dir: graph_dir.clone(),
        events,
        stats: BuildStats { threads, ..BuildStats::default() },
        progress,
        on_notice,
        strict: options.strict,
    };
    let merged = if threads == 1 {
        let mut result = Ok(());
        while let Some(batch) = reader.next_batch() {
            result = extract_batch(&extractor, batch, false)
                .map_err(BuildError::from)
                .and_then(|batch| merger.take(batch));
            if result.is_err() {
                break;
            }
        }
        result.map(|()| merger)
    } else {
        run_overlapped(&pool, &extractor, reader, merger)
    };
    let merger = match merged {
        Ok(merger) => merger,
        Err(error) => {
            // The events file was never committed; leave no empty directory either.
            if created_dir {
                let _ = std::fs::remove_dir(&events_dir);
            }
            if created_graph_dir {
                let _ = std::fs::remove_dir(&graph_dir);
            }
            return Err(error);
        }
    };
    let Merger { mut graph, mut events, mut stats, progress, .. } = merger;
    if let Some(bar) = &progress {
        bar.finish_and_clear();
    }
    if stats.articles == 0 && stats.duplicates == 0 {
        // Nothing to write: leave no trace, not even the output directory.
        drop(events);
        drop(graph);
        if created_dir {
            let _ = std::fs::remove_dir(&events_dir);
        }
        if created_graph_dir {
            let _ = std::fs::remove_dir(&graph_dir);
        }
        return Err(BuildError::NoArticles);
    }
    // Every file is written in full before any is put in place, so a failure while writing
    // (a full disk, say) changes nothing. Then events first and the graph last: a run cut
    // short between the renames leaves a graph that does not know the new articles, so the
    // next run adds them again, rather than a graph that has them and events that lack them.
    // The events file is whole: its last part goes to disk while the graph files are written.
    events.sync_ahead_now()?;
    graph.seal().map_err(spill_error)?;
    let (json_file, dot_file) =
        write_spilled(&graph, &targets, !options.skip_dot, &pool, STRETCH_TEXT)?;
    stats.entities = graph.node_count();
    stats.edges = graph.edge_count();
    // The graph's memory and sentence file are given back while the files are synced: the
    // one keeps a core busy, the other waits on the disk.
    std::thread::scope(|scope| {
        scope.spawn(move || drop(graph));
        events.commit()?;
        if let Some(dot_file) = dot_file {
            dot_file.commit()?;
        }
        json_file.commit()
    })?;
    stats.seconds = started.elapsed().as_secs_f64();
    stats.graph = targets.graph;
    Ok(Built { stats })
}

/// Reading, extracting and merging at the same time: a reader thread fills batches, the pool
/// extracts one batch at a time (its threads share the articles), and a merger thread takes
/// the results in order. The bounded channels keep at most two batches waiting on each side.
fn run_overlapped<'a>(
    pool: &rayon::ThreadPool,
    extractor: &Extractor<'_>,
    mut reader: Reader,
    mut merger: Merger<'a>,
) -> Result<Merger<'a>, BuildError> {
    std::thread::scope(|scope| {
        let (work_in, work_out) = sync_channel::<Vec<Item<Work>>>(2);
        let (done_in, done_out) = sync_channel::<Vec<Item<Done>>>(2);
        scope.spawn(move || {
            while let Some(batch) = reader.next_batch() {
                if work_in.send(batch).is_err() {
                    break; // the merger stopped on an error, which it reports
                }
            }
        });
        let merging = scope.spawn(move || -> Result<Merger<'a>, BuildError> {
            for batch in done_out {
                merger.take(batch)?;
            }
            Ok(merger)
        });
        let mut failed = None;
        for batch in work_out {
            match pool.install(|| extract_batch(extractor, batch, true)) {
                Ok(done) => {
                    if done_in.send(done).is_err() {
                        break;
                    }
                }
                Err(error) => {
                    failed = Some(error);
                    break;
                }
            }
        }
        drop(done_in);
        let merged = match merging.join() {
            Ok(merged) => merged?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        match failed {
            Some(error) => Err(error.into()),
            None => Ok(merged),
        }
    })
}

/// An input at one stage (read, then extracted), with its size and the warnings met reading it.
struct Item<T> {
    work: T,
    bytes: u64,
    warnings: Vec<ArticleWarning>,
}

/// An input as the reader hands it on.
enum Work {
    /// A new article and, when it has no URL, its content hash.
    Article(Article, Option<String>),
    /// An article already held.
    Duplicate,
    /// An input that could not be read.
    Skipped(ArticleError),
}

/// An input once extracted.
enum Done {
    Article(Extracted),
    Duplicate,
    Skipped(ArticleError),
}

/// One article's results: its events, already serialised as `events.jsonl` lines by the
/// worker (serialising is a good part of the work, and it parallelises).
struct Extracted {
    id: String,
    hash: Option<String>,
    events: Vec<Event>,
    lines: Vec<u8>,
    sentences: usize,
}

/// The reading stage: articles in input order, cut into batches, duplicates marked.
struct Reader {
    stream: ArticleStream,
    /// Identities of the articles held or already read: grows with the number of articles,
    /// not with their text.
    seen: HashSet<String>,
}

impl Reader {
    fn next_batch(&mut self) -> Option<Vec<Item<Work>>> {
        let mut batch = Vec::with_capacity(BATCH_ARTICLES);
        let mut bytes = 0;
        while batch.len() < BATCH_ARTICLES && bytes < BATCH_BYTES {
            let Some(item) = self.stream.next() else { break };
            bytes += item.bytes;
            let work = match item.article {
                Ok(article) => {
                    let identity = article_identity(&article);
                    let hash =
                        article.meta.url.is_none().then(|| identity["hash:".len()..].to_string());
                    if self.seen.insert(identity) {
                        Work::Article(article, hash)
                    } else {
                        Work::Duplicate
                    }
                }
                Err(error) => Work::Skipped(error),
            };
            batch.push(Item { work, bytes: item.bytes, warnings: item.warnings });
        }
        (!batch.is_empty()).then_some(batch)
    }
}

/// Extracts a batch, in parallel on the current rayon pool or in turn, keeping its order.
fn extract_batch(
    extractor: &Extractor<'_>,
    batch: Vec<Item<Work>>,
    parallel: bool,
) -> Result<Vec<Item<Done>>, ExportError> {
    let one = |Item { work, bytes, warnings }: Item<Work>| -> Result<Item<Done>, ExportError> {
        let done = match work {
            Work::Article(article, hash) => Done::Article(extract_one(extractor, &article, hash)?),
            Work::Duplicate => Done::Duplicate,
            Work::Skipped(error) => Done::Skipped(error),
        };
        Ok(Item { work: done, bytes, warnings })
    };
    if parallel {
        // with_max_len(1): articles vary a lot in length, so let idle threads steal each one.
        batch.into_par_iter().with_max_len(1).map(one).collect()
    } else {
        batch.into_iter().map(one).collect()
    }
}

fn extract_one(
    extractor: &Extractor<'_>,
    article: &Article,
    hash: Option<String>,
) -> Result<Extracted, ExportError> {
    let (events, sentences) = extractor.extract_counting(article);
    let mut lines = Vec::with_capacity(events.len() * 700);
    crate::export::handjson::write_event_lines(&events, &mut lines);
    Ok(Extracted { id: article.meta.id.clone(), hash, events, lines, sentences })
}

/// The merging stage: results in input order into the graph and the events file.
struct Merger<'a> {
    graph: SpilledGraph,
    /// Where the graph's sentence file is, for error messages.
    spill_dir: PathBuf,
    events: AtomicFile,
    stats: BuildStats,
    progress: Option<ProgressBar>,
    on_notice: &'a (dyn Fn(Notice<'_>) + Sync),
    strict: bool,
}

impl Merger<'_> {
    fn notify(&self, notice: Notice<'_>) {
        match &self.progress {
            Some(bar) => bar.suspend(|| (self.on_notice)(notice)),
            None => (self.on_notice)(notice),
        }
    }

    fn take(&mut self, batch: Vec<Item<Done>>) -> Result<(), BuildError> {
        for Item { work: done, bytes, warnings } in batch {
            self.stats.bytes += bytes;
            for warning in &warnings {
                self.notify(Notice::Warning(warning));
            }
            match done {
                Done::Article(extracted) => {
                    self.stats.articles += 1;
                    self.stats.sentences += extracted.sentences as u64;
                    self.stats.events += extracted.events.len() as u64;
                    self.events.write_all(&extracted.lines)?;
                    if let Some(hash) = extracted.hash.filter(|_| !extracted.events.is_empty()) {
                        self.graph.record_article_hash(hash, extracted.id);
                    }
                    self.graph.add_article(extracted.events).map_err(|source| {
                        ExportError::Write { path: self.spill_dir.clone(), source }
                    })?;
                }
                Done::Duplicate => self.stats.duplicates += 1,
                Done::Skipped(error) if self.strict => return Err(BuildError::Strict(error)),
                Done::Skipped(error) => {
                    self.stats.skipped += 1;
                    self.notify(Notice::Skipped(&error));
                }
            }
        }
        if let Some(bar) = &self.progress {
            bar.set_position(self.stats.bytes);
            let seconds = bar.elapsed().as_secs_f64().max(1e-3);
            bar.set_message(format!(
                "{} articles, {} events, {:.0} articles/s",
                self.stats.articles,
                self.stats.events,
                self.stats.articles as f64 / seconds
            ));
        }
        Ok(())
    }
}

/// A bar over the input's bytes when their total is known, else a spinner (standard input).
fn progress_bar(total: Option<u64>) -> ProgressBar {
    let (bar, template) = match total {
        Some(total) => (
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()),
            // Two lines, so the bar keeps its width on a narrow terminal.
            "{msg}\n{elapsed_precise} [{wide_bar}] {decimal_bytes}/{decimal_total_bytes} \
             {decimal_bytes_per_sec} ETA {eta}",
        ),
        None => (
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
            "{spinner} {elapsed_precise} {decimal_bytes} {decimal_bytes_per_sec} {msg}",
        ),
    };
    match ProgressStyle::with_template(template) {
        Ok(style) => bar.with_style(style.progress_chars("=> ")),
        Err(_) => bar,
    }
}

/// A file written in pieces and put in place atomically: the pieces go to a temporary file
/// beside the destination, which replaces it only on [`AtomicFile::commit`]. Dropped without a
/// commit, it leaves the destination untouched and removes the temporary file.
pub struct AtomicFile {
    path: PathBuf,
    out: BufWriter<tempfile::NamedTempFile>,
    /// Bytes appended since the last sync ahead was asked for.
    unsynced: usize,
    sync_ahead: Option<SyncAhead>,
}

/// Bytes after which a file being written asks for what it holds so far to be written to disk.
/// The system holds back dirty pages up to a tenth of memory or half a minute, so without it
/// the sync before the rename wrote every byte while the run waited: a quarter of a second for
/// the 550 MB written from a 100 MB corpus, a twentieth of a one-thread build.
const SYNC_AHEAD_BYTES: usize = 32 << 20;

/// A thread that syncs a file being written whenever asked, so that the disk works while the
/// run goes on. A request is dropped when one is in hand: it syncs whatever is there by then.
/// Dropped, it waits for a sync in hand to end.
struct SyncAhead {
    requests: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SyncAhead {
    fn start(file: std::fs::File) -> std::io::Result<SyncAhead> {
        let (requests, asked) = sync_channel::<()>(1);
        let thread = std::thread::Builder::new().name("sync-ahead".into()).spawn(move || {
            // A failed sync here is found again by the sync before the rename, which says so.
            for () in asked {
                let _ = file.sync_data();
            }
        })?;
        Ok(SyncAhead { requests: Some(requests), thread: Some(thread) })
    }

    fn ask(&self) {
        if let Some(requests) = &self.requests {
            let _ = requests.try_send(());
        }
    }
}

impl Drop for SyncAhead {
    fn drop(&mut self) {
        self.requests = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl AtomicFile {
    /// Starts writing `path` (its directory is created if needed).
    pub fn create(path: &Path) -> Result<AtomicFile, ExportError> {
        let error = |source| ExportError::Write { path: path.to_path_buf(), source };
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(error)?;
        let file = tempfile::NamedTempFile::new_in(dir).map_err(error)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            out: BufWriter::with_capacity(1 << 20, file),
            unsynced: 0,
            sync_ahead: None,
        })
    }

    /// Counts `written` bytes, and past [`SYNC_AHEAD_BYTES`] asks for a sync ahead. Files that
    /// stay small never start the thread.
    fn wrote(&mut self, written: usize) {
        self.unsynced += written;
        if self.unsynced < SYNC_AHEAD_BYTES {
            return;
        }
        self.unsynced = 0;
        if self.sync_ahead.is_none() {
            // Without a thread the file is still synced before the rename, all at once.
            let clone = self.out.get_ref().as_file().try_clone();
            self.sync_ahead = clone.and_then(SyncAhead::start).ok();
        }
        if let Some(sync_ahead) = &self.sync_ahead {
            sync_ahead.ask();
        }
    }

    fn error(&self, source: std::io::Error) -> ExportError {
        ExportError::Write { path: self.path.clone(), source }
    }

    /// Appends `bytes`.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<(), ExportError> {
        self.out.write_all(bytes).map_err(|e| self.error(e))?;
        self.wrote(bytes.len());
        Ok(())
    }

    /// Flushes what is written and asks for it to be synced now, on the sync-ahead thread: for
    /// a file that is whole but put in place only later, so that the sync before the rename
    /// finds little left to write.
    pub fn sync_ahead_now(&mut self) -> Result<(), ExportError> {
        self.out.flush().map_err(|e| self.error(e))?;
        if let Some(sync_ahead) = &self.sync_ahead {
            sync_ahead.ask();
        }
        Ok(())
    }

    /// Appends a copy of the file at `source` (the events of the graph being extended).
    pub fn append_copy_of(&mut self, source: &Path) -> Result<(), ExportError> {
        let mut file = std::fs::File::open(source)
            .map_err(|e| ExportError::Write { path: source.to_path_buf(), source: e })?;
        let copied = std::io::copy(&mut file, &mut self.out).map_err(|e| self.error(e))?;
        self.wrote(usize::try_from(copied).unwrap_or(usize::MAX));
        Ok(())
    }

    /// The writer, for serialisers that write into it.
    pub fn writer(&mut self) -> &mut impl Write {
        &mut self.out
    }

    /// Flushes, syncs and moves the file into place.
    pub fn commit(self) -> Result<(), ExportError> {
        let AtomicFile { path, out, sync_ahead, .. } = self;
        // The last sync ahead ends before the sync that the rename waits for.
        drop(sync_ahead);
        let error = |source| ExportError::Write { path: path.clone(), source };
        let file = out.into_inner().map_err(|e| error(e.into_error()))?;
        // Temporary files are private (0600); the output is an ordinary readable file, or
        // keeps the mode of the file it replaces.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map_or(0o644, |m| m.permissions().mode() & 0o777);
            file.as_file().set_permissions(std::fs::Permissions::from_mode(mode)).map_err(error)?;
        }
        file.as_file().sync_all().map_err(error)?;
        file.persist(&path).map_err(|e| error(e.error))?;
        Ok(())
    }
}

/// Writes the graph file, atomically, serialising straight from the graph. It is the same text
/// as [`crate::export::json::to_json`] (a test holds them equal) without building the
/// [`crate::export::json::GraphFile`] copy and the whole text in memory first, which for a large
/// graph would each be as big as the graph; edges are read one at a time.
pub fn write_graph_json(graph: &dyn GraphSource, path: &Path) -> Result<(), ExportError> {
    prepare_graph_json(graph, path)?.commit()
}

/// The graph file written to its temporary file, to be put in place by committing it.
fn prepare_graph_json(graph: &dyn GraphSource, path: &Path) -> Result<AtomicFile, ExportError> {
    let mut file = AtomicFile::create(path)?;
    crate::export::handjson::write_graph_file(graph, file.writer())
        .map_err(|source| ExportError::Write { path: path.to_path_buf(), source })?;
    file.write_all(b"\n")?;
    Ok(file)
}

/// Sentence bytes read back at once while the graph files are written: each stretch of
/// edges with this much text costs a pass over part of the sentence file, and this much
/// memory (twice on a pool, which reads the next stretch while it formats one).
const STRETCH_TEXT: usize = 8 << 20;

/// Edges formatted by one task: enough to make a task worth handing out, few enough that
/// the tasks of a stretch share the threads evenly.
const EDGES_PER_TASK: usize = 128;

/// Reports formatted by one task, at most (unless one edge has more): a task's text is about
/// half a KB per report, and its buffer is kept for the next group.
const REPORTS_PER_TASK: usize = 512;

/// A buffer larger than this, made for an edge of very many reports, is let go once written
/// rather than kept for the next group: kept, a few of them would hold hundreds of MB.
const KEPT_BUFFER: usize = 1 << 20;

/// Writes `graph.json` (and `graph.dot` when `with_dot`) of a build's graph to their temporary
/// files in one pass over the edges, a stretch at a time ([`SpilledGraph::stretches`]). The
/// edges of a stretch are formatted into buffers, on the pool's threads when there are more
/// than one, and written in order: the files are the same for any number of threads. A
/// sentence that cannot be read back is an error writing `graph.json`.
fn write_spilled(
    graph: &SpilledGraph,
    targets: &Targets,
    with_dot: bool,
    pool: &rayon::ThreadPool,
    text_budget: usize,
) -> Result<(AtomicFile, Option<AtomicFile>), ExportError> {
    let json_error = |source| ExportError::Write { path: targets.graph.clone(), source };
    let mut json = AtomicFile::create(&targets.graph)?;
    crate::export::handjson::write_graph_head(graph, json.writer()).map_err(json_error)?;
    let dot = if with_dot { Some(DotFile::start(graph, &targets.dot)?) } else { None };
    let threads = pool.current_num_threads();
    let (mut json, mut dot) = (json, dot);
    // On a pool, one group is written while the next is formatted, into the other set of
    // buffers, both by the pool's own threads (a writer thread of its own made three busy
    // threads on two cores). On one thread, each group is written once formatted.
    let set = || vec![(Vec::new(), Vec::new()); threads * 4];
    let mut sets: [Pieces; 2] = [set(), set()];
    let mut unwritten = 0;
    let parallel = (threads > 1).then_some(pool);
    let formatted =
        format_stretches(graph, text_budget, with_dot, threads * 4, parallel, |format| {
            let [formatting, writing] = &mut sets;
            match parallel {
                Some(pool) => {
                    let write = || write_pieces(&mut json, dot.as_mut(), &mut writing[..unwritten]);
                    let (written, used) =
                        pool.install(|| rayon::join(write, || format(formatting)));
                    written.map_err(FormatStop::Write)?;
                    unwritten = used?;
                    sets.swap(0, 1);
                }
                None => {
                    let used = format(formatting)?;
                    write_pieces(&mut json, dot.as_mut(), &mut formatting[..used])
                        .map_err(FormatStop::Write)?;
                }
            }
            Ok(())
        });
    let written = formatted
        .and_then(|links| {
            write_pieces(&mut json, dot.as_mut(), &mut sets[1][..unwritten])
                .map_err(FormatStop::Write)?;
            Ok(links)
        })
        .map(|links| ((json, dot), links));
    let written = match written {
        Ok(written) => Ok(written),
        Err(FormatStop::Read(source)) => Err(json_error(source)),
        Err(FormatStop::Write(error)) => Err(error),
    };
    let ((mut json, dot), links) = written?;
    crate::export::handjson::write_graph_tail(graph, links, json.writer()).map_err(json_error)?;
    json.write_all(b"\n")?;
    let dot = match dot {
        Some(dot) => Some(dot.finish(graph)?),
        None => None,
    };
    Ok((json, dot))
}

/// Buffers for the graph file and DOT text of a group of tasks, one pair per task.
type Pieces = Vec<(Vec<u8>, Vec<u8>)>;

/// Formats a group of tasks into the buffers given it, and says how many it used.
type FormatGroup<'a> = dyn FnMut(&mut Pieces) -> Result<usize, FormatStop> + Send + 'a;

/// Why formatting the edges stopped.
enum FormatStop {
    /// A sentence could not be read back: an error writing `graph.json`.
    Read(std::io::Error),
    /// A file could not be written.
    Write(ExportError),
}

/// Formats every edge of `graph`, a stretch at a time and a group of up to `tasks` tasks at a
/// time: `each_group` is handed a function that formats the group into the buffers given it
/// (in parallel when asked, on the current pool) and says how many it used; it writes them
/// (or has them written) in order. Returns the number of edges.
fn format_stretches(
    graph: &SpilledGraph,
    text_budget: usize,
    with_dot: bool,
    tasks: usize,
    pool: Option<&rayon::ThreadPool>,
    mut each_group: impl FnMut(&mut FormatGroup<'_>) -> Result<(), FormatStop> + Send,
) -> Result<usize, FormatStop> {
    let stretches = graph.stretches(text_budget, pool).map_err(FormatStop::Read)?;
    let mut current = graph.empty_stretch();
    if !stretches.is_empty() {
        current.read(&stretches, 0).map_err(FormatStop::Read)?;
    }
    // On a pool, the next stretch is read while this one is formatted: read on its own it left
    // a thread idle.
    let mut next = graph.empty_stretch();
    let mut links = 0;
    for following in (1..stretches.len()).map(Some).chain([None]) {
        let stretch = &current;
        let mut format_all = || -> Result<(), FormatStop> {
            // Tasks of about the same size: up to EDGES_PER_TASK edges or REPORTS_PER_TASK
            // reports.
            let mut ranges: Vec<Range<usize>> = Vec::new();
            let (mut from, mut reports) = (0, 0);
            for n in 0..stretch.len() {
                reports += stretch.report_count(n);
                if n + 1 - from >= EDGES_PER_TASK || reports >= REPORTS_PER_TASK {
                    ranges.push(from..n + 1);
                    (from, reports) = (n + 1, 0);
                }
            }
            if from < stretch.len() {
                ranges.push(from..stretch.len());
            }
            for group in ranges.chunks(tasks) {
                let mut format = |pieces: &mut Pieces| {
                    let one = |(edges, piece): (&Range<usize>, &mut (Vec<u8>, Vec<u8>))| {
                        format_edges(stretch, edges.clone(), with_dot, piece)
                    };
                    let done = if let Some(pool) = pool {
                        pool.install(|| {
                            group.par_iter().zip(pieces.par_iter_mut()).try_for_each(one)
                        })
                    } else {
                        group.iter().zip(pieces.iter_mut()).try_for_each(one)
                    };
                    done.map(|()| group.len()).map_err(FormatStop::Read)
                };
                each_group(&mut format)?;
            }
            Ok(())
        };
        let read_into = |stretch: &mut Stretch<'_>| match following {
            Some(index) => stretch.read(&stretches, index).map_err(FormatStop::Read),
            None => Ok(()),
        };
        links += current.len();
        match pool {
            Some(pool) => {
                let (formatted, read) =
                    pool.install(|| rayon::join(format_all, || read_into(&mut next)));
                formatted?;
                read?;
                std::mem::swap(&mut current, &mut next);
            }
            // One thread reads after formatting, into the same buffers.
            None => {
                format_all()?;
                read_into(&mut current)?;
            }
        }
    }
    Ok(links)
}

/// Writes formatted pieces in order: the graph file text of each, and its DOT text when the
/// DOT file is written.
fn write_pieces(
    json: &mut AtomicFile,
    mut dot: Option<&mut DotFile>,
    pieces: &mut [(Vec<u8>, Vec<u8>)],
) -> Result<(), ExportError> {
    for (json_text, dot_text) in pieces {
        json.write_all(json_text)?;
        if let Some(dot) = dot.as_mut() {
            dot.file.write_all(dot_text)?;
        }
        for buffer in [json_text, dot_text] {
            if buffer.capacity() > KEPT_BUFFER {
                *buffer = Vec::new();
            }
        }
    }
    Ok(())
}

/// The `edges` of `stretch` as graph file links and, when `with_dot`, DOT edge statements
/// (each after the line break that separates it from the statement before), in place of what
/// `piece` held.
fn format_edges(
    stretch: &Stretch<'_>,
    edges: Range<usize>,
    with_dot: bool,
    piece: &mut (Vec<u8>, Vec<u8>),
) -> std::io::Result<()> {
    use graphviz_rust::printer::DotPrinter;
    let (json, dot_text) = piece;
    json.clear();
    dot_text.clear();
    let mut ctx = with_dot.then(DotFile::edge_printer);
    for n in edges {
        let edge = stretch.edge(n)?;
        crate::export::handjson::write_link(stretch.first_index() + n, &edge, json);
        if let Some(ctx) = ctx.as_mut() {
            dot_text.push(b'\n');
            dot_text.extend_from_slice(dot::event_edge_ref_stmt(&edge).print(ctx).as_bytes());
        }
    }
    Ok(())
}

/// Writes the DOT file, atomically: the same text as [`crate::export::dot::to_dot`] (a test
/// holds them equal), printed one statement at a time into the file, edges read one at a time.
/// The whole text of a large graph is never held in memory.
pub fn write_graph_dot(graph: &dyn GraphSource, path: &Path) -> Result<(), ExportError> {
    prepare_graph_dot(graph, path)?.commit()
}

/// The DOT file written to its temporary file, to be put in place by committing it.
fn prepare_graph_dot(graph: &dyn GraphSource, path: &Path) -> Result<AtomicFile, ExportError> {
    use graphviz_rust::printer::DotPrinter;
    let mut dot = DotFile::start(graph, path)?;
    let mut ctx = DotFile::edge_printer();
    for edge in graph.whole_edges() {
        let edge = edge.map_err(|e| ExportError::Write { path: path.to_path_buf(), source: e })?;
        dot.file.write_all(b"\n")?;
        let stmt = dot::event_edge_stmt(&edge).print(&mut ctx);
        dot.file.write_all(stmt.as_bytes())?;
    }
    dot.finish(graph)
}

/// The DOT file being written: the frame's head, the preamble and the nodes when started,
/// then the edge statements (each after a line break), then the rest on finishing.
struct DotFile {
    file: AtomicFile,
    /// What goes after the statements: the end of the printed empty frame.
    tail: String,
}

impl DotFile {
    /// A printer in the state the frame leaves it in, where this graph's statements are
    /// printed: printing an empty graph puts the printer's private state (directed edges, one
    /// level of indentation) there. Every printer made so prints a statement the same way.
    fn edge_printer() -> graphviz_rust::printer::PrinterContext {
        use graphviz_rust::printer::{DotPrinter, PrinterContext};
        let mut ctx = PrinterContext::default();
        dot::digraph(Vec::new()).print(&mut ctx);
        ctx
    }

    fn start(graph: &dyn GraphSource, path: &Path) -> Result<DotFile, ExportError> {
        use crate::export::view;
        use graphviz_rust::printer::{DotPrinter, PrinterContext};
        let mut file = AtomicFile::create(path)?;
        let mut ctx = PrinterContext::default();
        let frame = dot::digraph(Vec::new()).print(&mut ctx);
        let (head, tail) = frame.split_once('{').unwrap_or((&frame, "\n\n}"));
        file.write_all(head.as_bytes())?;
        file.write_all(b"{\n")?;
        let tail = tail.to_string();
        let mut first = true;
        let mut print = |file: &mut AtomicFile, stmt: graphviz_rust::dot_structures::Stmt| {
            if !std::mem::take(&mut first) {
                file.write_all(b"\n")?;
            }
            file.write_all(stmt.print(&mut ctx).as_bytes())
        };
        for stmt in dot::preamble() {
            print(&mut file, stmt)?;
        }
        let nodes = view::event_nodes(graph.nodes(), graph.edge_counts());
        let view = view::ViewGraph {
            view: view::View::Events,
            directed: true,
            nodes,
            edges: Vec::new(),
            companions: Vec::new(),
        };
        for stmt in dot::node_stmts(&view, dot::DotOptions::default()) {
            print(&mut file, stmt)?;
        }
        Ok(DotFile { file, tail })
    }

    /// Writes the companion links and the end of the frame: the file is complete.
    fn finish(mut self, graph: &dyn GraphSource) -> Result<AtomicFile, ExportError> {
        use crate::export::view;
        use graphviz_rust::printer::DotPrinter;
        let mut ctx = DotFile::edge_printer();
        for (actor, participant) in view::companions(graph.edge_counts().map(|(key, _)| key)) {
            self.file.write_all(b"\n")?;
            let stmt = dot::companion_stmt(&actor, &participant).print(&mut ctx);
            self.file.write_all(stmt.as_bytes())?;
        }
        // The empty frame ends with the line separator and the closing brace; to_dot adds a
        // newline.
        self.file.write_all(self.tail.get(1..).unwrap_or("\n}").as_bytes())?;
        self.file.write_all(b"\n")?;
        Ok(self.file)
    }
}

/// Merges graph files into one: each is loaded with the loader's checks, and the merge does
/// not depend on their order ([`KnowledgeGraph::merge`]). Returns the graph.
pub fn merge_files(paths: &[PathBuf]) -> Result<KnowledgeGraph, BuildError> {
    let mut merged = KnowledgeGraph::new();
    for path in paths {
        merged.merge(load_graph(path)?);
    }
    Ok(merged)
}

/// Writes a merged graph: to `out` itself when it names a `.json` file, else as `graph.json`
/// and `graph.dot` in the directory `out`. Returns the graph file written.
pub fn write_merged(graph: &KnowledgeGraph, out: &Path) -> Result<PathBuf, ExportError> {
    let is_file = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_file {
        write_graph_json(graph, out)?;
        return Ok(out.to_path_buf());
    }
    let targets = Targets::in_dir(out);
    write_graph_dot(graph, &targets.dot)?;
    write_graph_json(graph, &targets.graph)?;
    Ok(targets.graph)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::json::to_json;

    const ARTICLE: &str = "Leaders talk trade\nhttps://news.example.org/a1\n\
        Russian President Vladimir Putin held talks with Turkish President Recep Tayyip Erdogan on Monday.\n\
        Mar 14, 2023 09:45 UTC\n\n\
        Russian President Vladimir Putin held talks with Turkish President Recep Tayyip Erdogan on Monday.\n\n\
        The two leaders discussed the situation in Idlib and trade, the Kremlin said.\n";

    fn lexicon() -> Lexicon {
        Lexicon::embedded().expect("built-in lexicon")
    }

    /// Files in `dir`, by name.
    fn listing(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("read dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn files_past_the_sync_ahead_size_are_whole_when_committed_and_gone_when_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chunk: Vec<u8> = (0..1 << 20).map(|n| b'a' + (n % 26) as u8).collect();
        let pieces = SYNC_AHEAD_BYTES / chunk.len() * 2 + 1;
        let kept = dir.path().join("kept.txt");
        let mut file = AtomicFile::create(&kept).expect("create");
        for _ in 0..pieces {
            file.write_all(&chunk).expect("write");
        }
        assert!(file.sync_ahead.is_some(), "a large file syncs ahead");
        file.commit().expect("commit");
        let written = std::fs::read(&kept).expect("read back");
        assert_eq!(written.len(), chunk.len() * pieces);
        assert!(written.chunks(chunk.len()).all(|piece| piece == chunk));
        let mut dropped = AtomicFile::create(&dir.path().join("dropped.txt")).expect("create");
        for _ in 0..pieces {
            dropped.write_all(&chunk).expect("write");
        }
        drop(dropped);
        assert_eq!(listing(dir.path()), ["kept.txt"]);
    }

    #[test]
    fn a_file_synced_ahead_now_holds_every_byte_and_still_takes_more() {
        let dir = tempfile::tempdir().expect("tempdir");
        let chunk: Vec<u8> = (0..1 << 20).map(|n| b'a' + (n % 26) as u8).collect();
        let pieces = SYNC_AHEAD_BYTES / chunk.len() + 1;
        let path = dir.path().join("events.jsonl");
        let mut file = AtomicFile::create(&path).expect("create");
        // Less than the buffer's worth, so that only the flush puts it in the file.
        file.write_all(b"head\n").expect("write");
        file.sync_ahead_now().expect("sync ahead now");
        let on_disk =
            |file: &AtomicFile| file.out.get_ref().as_file().metadata().expect("stat").len();
        assert_eq!(on_disk(&file), 5, "the buffered bytes are flushed");
        for _ in 0..pieces {
            file.write_all(&chunk).expect("write");
        }
        file.sync_ahead_now().expect("sync ahead now");
        assert_eq!(on_disk(&file), (5 + chunk.len() * pieces) as u64);
        file.write_all(b"tail\n").expect("write");
        file.commit().expect("commit");
        let written = std::fs::read(&path).expect("read back");
        assert_eq!(written.len(), 10 + chunk.len() * pieces);
        assert!(written.starts_with(b"head\n") && written.ends_with(b"tail\n"));
    }

    fn corpus(dir: &Path) -> PathBuf {
        let articles = dir.join("articles");
        std::fs::create_dir_all(&articles).expect("mkdir");
        std::fs::write(articles.join("a.txt"), ARTICLE).expect("write");
        let other = ARTICLE.replace("/a1", "/a2").replace("Idlib", "Gaza");
        std::fs::write(articles.join("b.txt"), other).expect("write");
        std::fs::write(
            articles.join("c.jsonl"),
            "{\"text\": \"France condemned the attack.\"}\n{oops\n",
        )
        .expect("write");
        articles
    }

    fn run(inputs: &[PathBuf], options: &BuildOptions) -> (BuildStats, Vec<String>) {
        let errors = std::sync::Mutex::new(Vec::new());
        let record = |notice: Notice<'_>| {
            if let Notice::Skipped(e) = notice {
                errors.lock().expect("lock").push(e.to_string());
            }
        };
        let built = build(inputs, &lexicon(), options, &record).expect("build");
        (built.stats, errors.into_inner().expect("lock"))
    }

    #[test]
    fn streamed_graph_file_is_the_exporters_text() {
        let dir = tempfile::tempdir().expect("tempdir");
        let options =
            BuildOptions { output: dir.path().join("out"), threads: Some(1), ..Default::default() };
        run(&[corpus(dir.path())], &options);
        let graph = load_graph(&dir.path().join("out/graph.json")).expect("loads");
        assert!(graph.edge_count() > 0);
        let written = std::fs::read_to_string(dir.path().join("out/graph.json")).expect("read");
        assert_eq!(written, to_json(&graph).expect("json"));
        let dot_text = std::fs::read_to_string(dir.path().join("out/graph.dot")).expect("read");
        assert_eq!(dot_text, crate::export::dot::to_dot(&graph));
        // With a URL-less article the optional hashes are written too, and read back.
        let mut hashed = graph.clone();
        hashed.record_article_hash("0123456789abcdef".into(), "c:1".into());
        let path = dir.path().join("hashed.json");
        write_graph_json(&hashed, &path).expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), to_json(&hashed).expect("json"));
        assert_eq!(load_graph(&path).expect("loads"), hashed);
    }

    #[test]
    fn graph_files_written_together_on_two_threads_are_the_one_thread_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = corpus(dir.path());
        for threads in [1, 2] {
            let output = dir.path().join(format!("out{threads}"));
            let options = BuildOptions { output, threads: Some(threads), ..Default::default() };
            run(std::slice::from_ref(&corpus), &options);
        }
        for file in ["graph.json", "graph.dot"] {
            let one = std::fs::read(dir.path().join("out1").join(file)).expect("read");
            let two = std::fs::read(dir.path().join("out2").join(file)).expect("read");
            assert!(one.len() > 100, "{file}");
            assert!(one == two, "{file} differs between one and two threads");
        }
        let graph = load_graph(&dir.path().join("out2/graph.json")).expect("loads");
        let dot_text = std::fs::read_to_string(dir.path().join("out2/graph.dot")).expect("read");
        assert_eq!(dot_text, crate::export::dot::to_dot(&graph));
    }

    #[test]
    fn graph_files_in_stretches_on_any_pool_are_the_edge_by_edge_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let corpus = corpus(dir.path());
        let options =
            BuildOptions { output: dir.path().join("out"), threads: Some(1), ..Default::default() };
        run(&[corpus], &options);
        let whole = load_graph(&dir.path().join("out/graph.json")).expect("loads");
        assert!(whole.edge_count() > 2);
        // Edge by edge through GraphSource, from the graph in memory.
        let expected = Targets::in_dir(&dir.path().join("expected"));
        write_graph_json(&whole, &expected.graph).expect("json");
        write_graph_dot(&whole, &expected.dot).expect("dot");
        let mut spilled = SpilledGraph::from_graph(whole, dir.path()).expect("spill");
        spilled.seal().expect("seal");
        // A budget of 0 or 1 byte makes a stretch of each edge; 100 bytes, of a few.
        for (threads, budget) in [(1, 0), (1, 100), (3, 1), (3, 100), (2, 1 << 20)] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
            let targets = Targets::in_dir(&dir.path().join(format!("t{threads}-{budget}")));
            let (json, dot) =
                write_spilled(&spilled, &targets, true, &pool, budget).expect("write");
            json.commit().expect("commit");
            dot.expect("dot").commit().expect("commit");
            for (got, want) in [(&targets.graph, &expected.graph), (&targets.dot, &expected.dot)] {
                let (got, want) =
                    (std::fs::read(got).expect("read"), std::fs::read(want).expect("read"));
                assert!(got == want, "{threads} threads, budget {budget}");
            }
        }
    }

    #[test]
    fn errors_are_reported_in_order_and_good_articles_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let options =
            BuildOptions { output: dir.path().join("out"), threads: Some(2), ..Default::default() };
        let (stats, errors) = run(&[corpus(dir.path())], &options);
        assert_eq!((stats.articles, stats.skipped, stats.duplicates), (3, 1, 0));
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("c.jsonl:2"), "{errors:?}");
        assert!(stats.sentences >= 5 && stats.events > 0, "{stats:?}");
    }

    #[test]
    fn nothing_readable_writes_nothing_and_skip_dot_writes_two_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        let bad = dir.path().join("bad.txt");
        std::fs::write(&bad, "  \n").expect("write");
        let out = dir.path().join("out");
        let options = BuildOptions { output: out.clone(), threads: Some(1), ..Default::default() };
        let result = build(&[bad], &lexicon(), &options, &|_| {});
        assert!(matches!(result, Err(BuildError::NoArticles)));
        assert!(!out.exists());
        // Without graph.dot, the two other files only.
        let good = dir.path().join("good.txt");
        std::fs::write(&good, ARTICLE).expect("write");
        let options = BuildOptions { skip_dot: true, ..options };
        let built = build(&[good], &lexicon(), &options, &|_| {}).expect("builds");
        assert!(built.stats.edges > 0);
        let mut names: Vec<String> = std::fs::read_dir(&out)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["events.jsonl", "graph.json"]);
    }

    #[test]
    fn into_skips_articles_the_graph_holds_and_appends_new_events() {
        let dir = tempfile::tempdir().expect("tempdir");
        let articles = corpus(dir.path());
        let graph = dir.path().join("g/graph.json");
        let options =
            BuildOptions { into: Some(graph.clone()), threads: Some(1), ..Default::default() };
        let (first, _) = run(&[articles.join("a.txt")], &options);
        assert_eq!((first.articles, first.duplicates), (1, 0));
        let events_once = std::fs::read_to_string(dir.path().join("g/events.jsonl")).expect("read");
        let (again, _) = run(std::slice::from_ref(&articles), &options);
        assert_eq!((again.articles, again.duplicates), (2, 1), "{again:?}");
        let events = std::fs::read_to_string(dir.path().join("g/events.jsonl")).expect("read");
        assert!(events.starts_with(&events_once) && events.len() > events_once.len());
        let (third, _) = run(&[articles], &options);
        assert_eq!((third.articles, third.duplicates, third.events), (0, 3, 0), "{third:?}");
        let after = std::fs::read_to_string(dir.path().join("g/events.jsonl")).expect("read");
        assert_eq!(after, events);
    }
}
