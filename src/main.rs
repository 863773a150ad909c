//! The `dipgraph` command line: parses arguments and calls the library.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::builder::TypedValueParser as _;
use clap::{Parser, Subcommand};

use dipgraph::article::read_inputs;
use dipgraph::export;
use dipgraph::export::dot::{DotOptions, Picture};
use dipgraph::export::format::{Format, Options, Output};
use dipgraph::export::view::{Selection, View};
use dipgraph::extract::Extractor;
use dipgraph::lexicon::Lexicon;
use dipgraph::query::{self, format, report, Filter, FilterSpec, QueryGraph};
use dipgraph::{corpus, eval, model::Event, pipeline};

/// mimalloc instead of the system allocator: extraction allocates and frees many small strings
/// per sentence, and glibc's malloc and free were a fifth of a build's time in the profile.
/// Built without transparent huge pages (`no_thp` in Cargo.toml): mimalloc gives freed memory
/// back in 64 KB pieces, and touching such a piece again made the kernel zero a whole 2 MB
/// page, which was 8% of a two-thread build.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build a knowledge graph of diplomatic events (actor, CAMEO action, topic, participants, date,
/// source sentence) from news articles, offline.
#[derive(Parser)]
#[command(name = "dipgraph", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles (files or directories: .txt wire layout or plain text, .jsonl records) and
    /// write graph.json, events.jsonl and the --formats (graph.dot by default) into the output
    /// directory.
    Build {
        /// Article files or directories; `-` reads standard input (JSON Lines or one article).
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output directory.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
        /// Graph formats to write besides graph.json and events.jsonl, comma-separated (see
        /// `dipgraph export --help`); each goes to its usual file name (graph.graphml, neo4j/…).
        #[arg(long, value_delimiter = ',', default_value = "dot,json", value_parser = format_parser())]
        formats: Vec<Format>,
        /// Extra lexicon file, or a directory of .tsv files (repeatable); its records add to or
        /// override the built-in ones. A bad record is an error (exit code 2).
        #[arg(long = "lexicon", value_name = "FILE|DIR")]
        lexicons: Vec<PathBuf>,
        #[command(flatten)]
        scale: ScaleArgs,
    },
    /// Merge graphs built separately (graph.json files, or directories holding one) into one.
    /// The order of the inputs does not matter; an article held by several is counted once.
    Merge {
        /// The graphs to merge.
        #[arg(required = true)]
        graphs: Vec<PathBuf>,
        /// Where to write: a .json file, or a directory that receives graph.json and graph.dot.
        #[arg(short, long)]
        output: PathBuf,
        /// Print no summary.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Write a benchmark corpus: N distinct articles recombined from the example articles'
    /// sentences, with countries and leaders from the lexicon.
    #[command(hide = true)]
    GenCorpus {
        /// How many articles.
        #[arg(long, value_name = "N")]
        articles: u64,
        /// Output directory.
        #[arg(short, long)]
        output: PathBuf,
        /// Seed of the random choices; the same seed gives the same corpus.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Write JSON Lines files (10,000 articles each) instead of one .txt file per article.
        #[arg(long)]
        jsonl: bool,
    },
    /// Print the events of one article as a table (or JSON records with --json).
    Extract {
        /// The article file.
        article: PathBuf,
        /// Print one JSON record per event (the events.jsonl format).
        #[arg(long)]
        json: bool,
        /// Show, for each event, the trigger, the rule that found the actor and the mentions used.
        #[arg(long)]
        explain: bool,
        /// Extra lexicon file, or a directory of .tsv files (repeatable).
        #[arg(long = "lexicon", value_name = "FILE|DIR")]
        lexicons: Vec<PathBuf>,
    },
    /// List the events of a graph that pass filters; the filters combine (all must hold).
    /// Names match any alias the lexicon or the graph knows; a name matching several entities
    /// uses them all.
    Query {
        #[command(flatten)]
        graph: GraphArgs,
        /// Who acts (in a symmetric event such as discuss or meet, every party acts).
        #[arg(long, value_name = "NAME")]
        actor: Option<String>,
        /// A counterpart of the actor (a participant, or another party of a symmetric event).
        #[arg(long = "with", value_name = "NAME")]
        with: Option<String>,
        /// What the event is about.
        #[arg(long, value_name = "NAME")]
        topic: Option<String>,
        /// A verb (discuss, condemn, met), a CAMEO code (042) or a CAMEO root (04).
        #[arg(long, value_name = "VERB|CODE")]
        action: Option<String>,
        /// A party's country: ISO 3166 alpha-3 code (TUR) or name.
        #[arg(long, value_name = "ISO3")]
        country: Option<String>,
        #[command(flatten)]
        dates: DateArgs,
        /// Show only the first N events.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Answer a question in words, such as "who discussed Syria", "what did Putin discuss",
    /// "who did Erdogan talk with", "who condemned Israel", "who met whom in 2020".
    Ask {
        #[command(flatten)]
        graph: GraphArgs,
        /// The question (quote it, or give it as several words).
        #[arg(required = true, num_args = 1..)]
        question: Vec<String>,
        /// Show only the first N events.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Who an actor dealt with: each counterpart, weighted by reports and split into
    /// cooperation (CAMEO 01-08) and conflict (09-20).
    Neighbors {
        #[command(flatten)]
        graph: GraphArgs,
        /// The actor.
        actor: String,
        #[command(flatten)]
        dates: DateArgs,
        /// Show only the first N counterparts.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// How two actors are connected: a shortest chain of events from one to the other.
    Path {
        #[command(flatten)]
        graph: GraphArgs,
        /// One actor.
        from: String,
        /// The other.
        to: String,
        /// Also link actors through the topics of their events (A and B both discussed Syria).
        #[arg(long)]
        via_topics: bool,
        #[command(flatten)]
        dates: DateArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The reports of an actor's events, or of events about a topic, in date order.
    Timeline {
        #[command(flatten)]
        graph: GraphArgs,
        /// An actor or a topic.
        entity: String,
        #[command(flatten)]
        dates: DateArgs,
        /// Show only the first (oldest) N reports.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// The most reported actors, topics and dyads.
    Top {
        #[command(flatten)]
        graph: GraphArgs,
        /// How many of each.
        #[arg(long, value_name = "N", default_value_t = 10)]
        limit: usize,
        #[command(flatten)]
        dates: DateArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// What a graph holds: nodes by kind, edges, reports, articles, dates, CAMEO roots.
    Stats {
        #[command(flatten)]
        graph: GraphArgs,
        #[command(flatten)]
        output: OutputArgs,
    },
    /// Write a graph (or a view of part of it) in another tool's format: dot (Graphviz), json
    /// (node-link: networkx, D3), cytoscape (Cytoscape.js), graphml (networkx, Gephi, yEd),
    /// gexf (Gephi, with dates for its timeline), neo4j (import CSVs and a Cypher script),
    /// turtle or ntriples (RDF; `rdf` is turtle) or events-tsv (one row per report and target).
    Export {
        #[command(flatten)]
        graph: GraphArgs,
        /// The format.
        #[arg(long, value_parser = format_parser())]
        format: Format,
        /// Output file; without it, or with `-`, standard output. For neo4j, a directory
        /// (required).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Draw a graph (or a view of part of it) as a picture with Graphviz, which must be
    /// installed: `dot` lays out views of up to 300 nodes, `sfdp` larger ones.
    Render {
        #[command(flatten)]
        graph: GraphArgs,
        /// The picture format.
        #[arg(long, default_value = "svg", value_parser = picture_parser())]
        format: Picture,
        /// Output file; without it, or with `-`, standard output.
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        #[command(flatten)]
        view: ViewArgs,
    },
    /// Work with lexicon files.
    Lexicon {
        #[command(subcommand)]
        command: LexiconCommand,
    },
    /// Score extraction against gold annotations (AT, AAT, AP precision, recall and F1).
    Eval {
        /// Directory of gold JSON files.
        #[arg(long)]
        gold: PathBuf,
        /// Directory of the articles the gold files annotate.
        #[arg(long)]
        articles: PathBuf,
        /// Show a row per article.
        #[arg(long)]
        per_article: bool,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
        /// Extra lexicon file, or a directory of .tsv files (repeatable).
        #[arg(long = "lexicon", value_name = "FILE|DIR")]
        lexicons: Vec<PathBuf>,
    },
    /// Measure agreement with PETRARCH-2's codings of validation sentences (JSON Lines records
    /// `{id, date, text, events: [{source, target, root}]}`): CAMEO root, source country, dyad.
    Agreement {
        /// The validation records.
        file: PathBuf,
        /// Print one line per record.
        #[arg(long)]
        verbose: bool,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
        /// Extra lexicon file, or a directory of .tsv files (repeatable).
        #[arg(long = "lexicon", value_name = "FILE|DIR")]
        lexicons: Vec<PathBuf>,
    },
}

/// How `build` runs over a large corpus.
#[derive(clap::Args)]
struct ScaleArgs {
    /// Extraction threads (default: RAYON_NUM_THREADS, else one per core). Output does not
    /// depend on it.
    #[arg(long, value_name = "N")]
    threads: Option<usize>,
    /// Extend this graph (a graph.json, or a directory holding one) instead of writing to
    /// --output: articles it already holds are skipped, new events are appended to the
    /// events.jsonl beside it.
    #[arg(long, value_name = "GRAPH", conflicts_with = "output")]
    into: Option<PathBuf>,
    /// Write the events to FILE instead of events.jsonl in the output directory (the graph
    /// files still go to --output): one pass gives both, each where its consumer wants it.
    #[arg(long, value_name = "FILE", conflicts_with = "into")]
    events_out: Option<PathBuf>,
    /// Print no progress bar and no summary.
    #[arg(short, long)]
    quiet: bool,
    /// Stop at the first input that cannot be read (exit code 2, nothing written) instead of
    /// skipping it.
    #[arg(long)]
    strict: bool,
    /// Write the list of skipped inputs to FILE, one per line, instead of to stderr.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// The size limit of one article (a text file or a JSON line), in bytes; larger ones are
    /// skipped, without being read into memory.
    #[arg(long, value_name = "BYTES", default_value_t = dipgraph::article::DEFAULT_MAX_ARTICLE_BYTES)]
    max_article_bytes: u64,
}

/// Arguments shared by the commands that read a graph.
#[derive(clap::Args)]
struct GraphArgs {
    /// The graph.json that `dipgraph build` wrote, or the directory holding it.
    graph: PathBuf,
}

/// A date range (inclusive), on the dates of the reports.
#[derive(clap::Args)]
struct DateArgs {
    /// Only reports on or after this day (YYYY-MM-DD; YYYY-MM and YYYY mean their first day).
    #[arg(long, value_name = "DATE", value_parser = query::parse_since)]
    since: Option<chrono::NaiveDate>,
    /// Only reports on or before this day (YYYY-MM-DD; YYYY-MM and YYYY mean their last day).
    #[arg(long, value_name = "DATE", value_parser = query::parse_until)]
    until: Option<chrono::NaiveDate>,
}

/// What part of a graph an export or picture shows, and how.
#[derive(clap::Args)]
struct ViewArgs {
    /// events: entities and events; actors: who dealt with whom (weighted by reports,
    /// cooperation vs conflict); topics: actors and the topics of their events.
    #[arg(long, default_value = "events", value_parser = view_parser())]
    view: View,
    #[command(flatten)]
    dates: DateArgs,
    /// Leave out the view's edges with fewer reports than N.
    #[arg(long, value_name = "N")]
    min_count: Option<usize>,
    /// Only the N most connected actors (by reports as a party) and the events touching them.
    #[arg(long, value_name = "N")]
    top: Option<usize>,
    /// Only events whose CAMEO code starts with one of these roots or codes (04,11).
    #[arg(long, value_name = "ROOT", value_delimiter = ',')]
    cameo: Vec<String>,
    /// Only events with a party of this country: ISO 3166 alpha-3 code (TUR) or name.
    #[arg(long, value_name = "ISO3")]
    country: Option<String>,
    /// DOT and pictures: group each country's nodes in a box.
    #[arg(long)]
    clusters: bool,
}

impl ViewArgs {
    fn selection(&self) -> Selection {
        Selection {
            since: self.dates.since,
            until: self.dates.until,
            country: self.country.clone(),
            cameo: self.cameo.clone(),
            min_count: self.min_count,
            top: self.top,
        }
    }
}

fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    let mut names: Vec<&'static str> = Format::ALL.iter().map(|f| f.name()).collect();
    names.push("rdf");
    clap::builder::PossibleValuesParser::new(names)
        .map(|name| Format::from_name(&name).unwrap_or(Format::Json))
}

fn view_parser() -> impl clap::builder::TypedValueParser<Value = View> {
    clap::builder::PossibleValuesParser::new(View::ALL.map(View::name))
        .map(|name| View::from_name(&name).unwrap_or(View::Events))
}

fn picture_parser() -> impl clap::builder::TypedValueParser<Value = Picture> {
    clap::builder::PossibleValuesParser::new(Picture::ALL.map(Picture::name))
        .map(|name| Picture::from_name(&name).unwrap_or(Picture::Svg))
}

/// How answers are printed.
#[derive(clap::Args)]
struct OutputArgs {
    /// Output format; the default is `table` on a terminal and `json` otherwise.
    #[arg(long, value_enum)]
    format: Option<OutputFormat>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum OutputFormat {
    /// Aligned columns for reading, with up to three sources under each event.
    Table,
    /// JSON with every source.
    Json,
    /// CSV with a header line; events are listed once per source.
    Csv,
}

impl OutputArgs {
    fn format(&self) -> format::Format {
        match self.format {
            Some(OutputFormat::Table) => format::Format::Table,
            Some(OutputFormat::Json) => format::Format::Json,
            Some(OutputFormat::Csv) => format::Format::Csv,
            None if std::io::stdout().is_terminal() => format::Format::Table,
            None => format::Format::Json,
        }
    }
}

#[derive(Subcommand)]
enum LexiconCommand {
    /// Validate a lexicon file (dipgraph format or PETRARCH actor dictionary): report each bad
    /// record with its line, and count the good ones.
    Check {
        /// The lexicon file.
        file: PathBuf,
    },
}

fn check_lexicon(path: &std::path::Path) -> Result<ExitCode> {
    let (records, errors) = dipgraph::lexicon::read_lexicon_file(path);
    for error in &errors {
        println!("{error}");
    }
    let mut counts = std::collections::BTreeMap::new();
    for record in &records {
        *counts.entry(record.kind.as_str()).or_insert(0usize) += 1;
    }
    let summary: Vec<String> = counts.iter().map(|(kind, n)| format!("{n} {kind}")).collect();
    println!(
        "{}: {} good records ({}), {} bad",
        path.display(),
        records.len(),
        if summary.is_empty() { "none".to_string() } else { summary.join(", ") },
        errors.len()
    );
    Ok(exit_code(!errors.is_empty()))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            eprintln!("dipgraph: {}", one_line(&err));
            ExitCode::from(2)
        }
    }
}

/// An error and its causes on one line, leaving out a cause that the message before it already
/// quotes (our errors name their cause in their own message).
fn one_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        let text = cause.to_string();
        if line.is_empty() {
            line = text;
        } else if !line.contains(&text) {
            line.push_str(": ");
            line.push_str(&text);
        }
    }
    line
}

/// A lexicon and whether some user records were skipped (which makes the exit code 1).
struct Loaded {
    lexicon: Lexicon,
    skipped: bool,
}

/// Loads the built-in lexicon and the user's files. A bad record in a dipgraph-format file is
/// fatal (exit code 2): each is printed as `FILE:LINE: what is wrong`.
fn load_lexicon(paths: &[PathBuf]) -> Result<Loaded> {
    let (lexicon, errors) = Lexicon::with_user_files(paths).map_err(|errors| {
        for error in &errors {
            eprintln!("dipgraph: {error}");
        }
        anyhow::anyhow!(
            "{} bad lexicon record{}; fix {} and run again (`dipgraph lexicon check FILE` lists them)",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            if errors.len() == 1 { "it" } else { "them" },
        )
    })?;
    for error in &errors {
        eprintln!("dipgraph: skipped lexicon record: {error}");
    }
    Ok(Loaded { lexicon, skipped: !errors.is_empty() })
}

/// Exit code 1 when anything was skipped, else 0.
fn exit_code(skipped: bool) -> ExitCode {
    if skipped {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build { inputs, output, formats, lexicons, scale } => {
            build(&inputs, &output, &formats, &lexicons, &scale)
        }
        Command::Merge { graphs, output, quiet } => {
            let started = std::time::Instant::now();
            let graph = pipeline::merge_files(&graphs)?;
            let written = pipeline::write_merged(&graph, &output)?;
            if !quiet {
                eprintln!(
                    "dipgraph: merged {} graphs: {} entities, {} edges in {:.2}s → {}",
                    graphs.len(),
                    graph.node_count(),
                    graph.edge_count(),
                    started.elapsed().as_secs_f64(),
                    written.display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::GenCorpus { articles, output, seed, jsonl } => {
            let Loaded { lexicon, .. } = load_lexicon(&[])?;
            let layout = if jsonl { corpus::Layout::JsonLines } else { corpus::Layout::Text };
            let written = corpus::generate(&lexicon, &output, articles, seed, layout)
                .with_context(|| format!("writing the corpus into {}", output.display()))?;
            eprintln!(
                "dipgraph: wrote {} articles ({:.1} MB) into {}",
                written.articles,
                written.bytes as f64 / 1e6,
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Export { graph, format, output, view } => {
            let exported = prepare_view(&graph.graph, &view)?;
            let rendered =
                export::format::render(format, &exported, Options { clusters: view.clusters })?;
            match (output.filter(|o| o.as_os_str() != "-"), rendered) {
                (Some(path), rendered) => export::format::write_output(&rendered, &path)?,
                (None, Output::File(bytes)) => std::io::stdout().lock().write_all(&bytes)?,
                (None, Output::Files(_)) => {
                    return Err(export::ExportError::NeedsDirectory(format.name()).into())
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Render { graph, format, output, view } => {
            let exported = prepare_view(&graph.graph, &view)?;
            let options = DotOptions { clusters: view.clusters };
            let bytes = export::dot::render_picture(&exported.view, options, format)?;
            match output.filter(|o| o.as_os_str() != "-") {
                Some(path) => export::write_atomic(&path, &bytes)?,
                None => std::io::stdout().lock().write_all(&bytes)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Extract { article, json, explain, lexicons } => {
            extract(&article, json, explain, &lexicons)
        }
        Command::Eval { gold, articles, per_article, json, lexicons } => {
            evaluate(&gold, &articles, per_article, json, &lexicons)
        }
        Command::Lexicon { command: LexiconCommand::Check { file } } => check_lexicon(&file),
        Command::Query { graph, actor, with, topic, action, country, dates, limit, output } => {
            let graph = load_graph(&graph.graph)?;
            let spec = FilterSpec {
                actor,
                with,
                topic,
                action,
                country,
                since: dates.since,
                until: dates.until,
                ..FilterSpec::default()
            };
            answer_filter(graph, &spec, limit, &output)
        }
        Command::Ask { graph, question, limit, output } => {
            let graph = load_graph(&graph.graph)?;
            let latest = graph.reference_date(None);
            let spec = query::ask::parse(&question.join(" "), graph.lexicon(), latest)?;
            answer_filter(graph, &spec, limit, &output)
        }
        Command::Neighbors { graph, actor, dates, limit, output } => {
            let graph = load_graph(&graph.graph)?;
            let (actor, filter) = resolve_subject(graph, &actor, "actor", &dates)?;
            let mut answer = report::neighbors(graph, &actor, &filter);
            answer.counterparts.truncate(limit.unwrap_or(usize::MAX));
            print_answer(&answer, &output, "no counterparts")
        }
        Command::Path { graph, from, to, via_topics, dates, output } => {
            let graph = load_graph(&graph.graph)?;
            let (a, filter) = resolve_subject(graph, &from, "actor", &dates)?;
            let (b, _) = resolve_subject(graph, &to, "actor", &dates)?;
            match report::path(graph, &a, &b, via_topics, &filter) {
                Some(answer) => print_answer(&answer, &output, ""),
                None => {
                    let hint =
                        if via_topics { "" } else { " (--via-topics also links shared topics)" };
                    eprintln!("dipgraph: no path between {from} and {to}{hint}");
                    Ok(ExitCode::SUCCESS)
                }
            }
        }
        Command::Timeline { graph, entity, dates, limit, output } => {
            let graph = load_graph(&graph.graph)?;
            let (subject, filter) = resolve_subject(graph, &entity, "actor or topic", &dates)?;
            let answer = report::timeline(graph, &subject, &filter, limit);
            print_answer(&answer, &output, "no events match")
        }
        Command::Top { graph, limit, dates, output } => {
            let graph = load_graph(&graph.graph)?;
            let filter = Filter { since: dates.since, until: dates.until, ..Filter::default() };
            print_answer(&report::top(graph, &filter, limit), &output, "no events match")
        }
        Command::Stats { graph, output } => {
            let graph = load_graph(&graph.graph)?;
            print_answer(&report::stats(graph), &output, "")
        }
        Command::Agreement { file, verbose, json, lexicons } => {
            let Loaded { lexicon, skipped } = load_lexicon(&lexicons)?;
            let records = dipgraph::agreement::read_records(&file)?;
            let report = dipgraph::agreement::measure(&records, &lexicon);
            if json {
                println!("{}", serde_json::to_string_pretty(&report.to_json())?);
            } else {
                if verbose {
                    report.lines().iter().for_each(|line| println!("{line}"));
                }
                print!("{}", report.to_table());
            }
            Ok(exit_code(skipped))
        }
    }
}

/// Loads a graph and selects the view an export or a picture shows; an empty one is said on
/// stderr but is not an error.
fn prepare_view(path: &std::path::Path, args: &ViewArgs) -> Result<export::view::Exported> {
    let graph = load_graph(path)?;
    let exported = export::view::prepare(graph, &args.selection(), args.view)?;
    if exported.view.edges.is_empty() {
        eprintln!("dipgraph: no events match");
    }
    Ok(exported)
}

/// Loads a graph for the rest of the process. It is leaked on purpose: freeing the millions of
/// strings of a large graph at exit takes a noticeable part of a second, for nothing.
fn load_graph(path: &std::path::Path) -> Result<&'static QueryGraph> {
    Ok(Box::leak(Box::new(QueryGraph::load(path)?)))
}

fn note_ambiguities(ambiguities: &[query::Ambiguity]) {
    for a in ambiguities {
        eprintln!(
            "dipgraph: '{}' matches {} entities; using all of them: {}",
            a.name,
            a.matches.len(),
            a.matches.join(", ")
        );
    }
}

/// Runs a filter and prints its answers; no answer is not an error, but is said on stderr.
fn answer_filter(
    graph: &QueryGraph,
    spec: &FilterSpec,
    limit: Option<usize>,
    output: &OutputArgs,
) -> Result<ExitCode> {
    let (filter, ambiguities) = graph.resolve(spec)?;
    note_ambiguities(&ambiguities);
    let answers = graph.query(&filter);
    print_answer(&graph.rows(&answers, limit), output, "no events match")
}

/// The nodes a name stands for, and a filter holding the date range.
fn resolve_subject(
    graph: &QueryGraph,
    name: &str,
    what: &'static str,
    dates: &DateArgs,
) -> Result<(Vec<usize>, Filter)> {
    let nodes = graph.resolve_name(name, what, graph.reference_date(dates.until))?;
    if nodes.len() > 1 {
        let matches = nodes
            .iter()
            .map(|&n| format!("{} ({})", graph.node(n).name, graph.node(n).id))
            .collect();
        note_ambiguities(&[query::Ambiguity { name: name.to_string(), matches }]);
    }
    Ok((nodes, Filter { since: dates.since, until: dates.until, ..Filter::default() }))
}

/// Prints an answer on stdout; an empty one is said on stderr (`empty`), and a text table
/// then prints nothing.
fn print_answer<R: format::Render>(
    answer: &R,
    output: &OutputArgs,
    empty: &str,
) -> Result<ExitCode> {
    let format = output.format();
    if answer.is_empty() && !empty.is_empty() {
        eprintln!("dipgraph: {empty}");
        if format == format::Format::Table {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let text = format::render(answer, format)?;
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the warnings and errors of reading inputs; exit code 1 when one was skipped.
fn report_input_errors(outcome: &dipgraph::article::ReadOutcome, skipped: bool) -> ExitCode {
    for warning in &outcome.warnings {
        eprintln!("dipgraph: warning: {warning}");
    }
    for error in &outcome.errors {
        eprintln!("dipgraph: {error}");
    }
    exit_code(skipped || !outcome.errors.is_empty())
}

fn build(
    inputs: &[PathBuf],
    output: &std::path::Path,
    formats: &[Format],
    lexicons: &[PathBuf],
    scale: &ScaleArgs,
) -> Result<ExitCode> {
    let Loaded { lexicon, skipped } = load_lexicon(lexicons)?;
    let options = pipeline::BuildOptions {
        output: output.to_path_buf(),
        into: scale.into.clone(),
        events: scale.events_out.clone(),
        threads: scale.threads,
        progress: !scale.quiet && std::io::stderr().is_terminal(),
        skip_dot: !formats.contains(&Format::Dot),
        strict: scale.strict,
        max_article_bytes: Some(scale.max_article_bytes),
    };
    // Skipped inputs go to the --report file when there is one, else to stderr as they come.
    let listed = std::sync::Mutex::new(Vec::new());
    let notice = |notice: pipeline::Notice<'_>| match notice {
        pipeline::Notice::Skipped(error) if scale.report.is_some() => {
            listed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(error.to_string())
        }
        pipeline::Notice::Skipped(error) => eprintln!("dipgraph: {error}"),
        pipeline::Notice::Warning(warning) => eprintln!("dipgraph: warning: {warning}"),
    };
    let built = pipeline::build(inputs, &lexicon, &options, &notice);
    let mut listed = listed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Err(pipeline::BuildError::Strict(error)) = &built {
        listed.push(error.to_string());
    }
    if let Some(path) = &scale.report {
        // Written even when the build fails: the list says why.
        let mut text = listed.join("\n");
        if !text.is_empty() {
            text.push('\n');
        }
        export::write_atomic(path, text.as_bytes())?;
    }
    let pipeline::Built { mut stats } = built?;
    // The other graph files go beside graph.json (the output directory, or the --into graph's).
    let started = std::time::Instant::now();
    let dir = stats.graph.parent().map(std::path::Path::to_path_buf).unwrap_or_default();
    let others: Vec<Format> =
        formats.iter().copied().filter(|f| !matches!(f, Format::Json | Format::Dot)).collect();
    if !others.is_empty() {
        // These formats need the whole graph in memory: read back what build wrote.
        let whole = export::view::whole(pipeline::load_graph(&stats.graph)?);
        for format in others {
            let rendered = export::format::render(format, &whole, Options::default())?;
            export::format::write_output(&rendered, &dir.join(format.file_name()))?;
        }
    }
    stats.seconds += started.elapsed().as_secs_f64();
    if !scale.quiet {
        eprintln!("dipgraph: {}", stats.summary());
        if let Some(path) = scale.report.as_ref().filter(|_| stats.skipped > 0) {
            eprintln!(
                "dipgraph: the {} skipped inputs are listed in {}",
                stats.skipped,
                path.display()
            );
        }
    }
    Ok(exit_code(skipped || stats.skipped > 0))
}

fn extract(
    path: &std::path::Path,
    as_json: bool,
    explain: bool,
    lexicons: &[PathBuf],
) -> Result<ExitCode> {
    let Loaded { lexicon, skipped } = load_lexicon(lexicons)?;
    let outcome = read_inputs(&[path.to_path_buf()]);
    let code = report_input_errors(&outcome, skipped);
    let extractor = Extractor::new(&lexicon);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for article in &outcome.articles {
        for (event, why) in extractor.extract_explained(article) {
            if as_json {
                writeln!(
                    out,
                    "{}",
                    serde_json::to_string(&event).context("serialising an event")?
                )?;
            } else {
                writeln!(out, "{}", table_row(&event))?;
                if explain {
                    writeln!(out, "    trigger {:?}; actor: {}", why.trigger, why.actor_rule)?;
                    writeln!(out, "    mentions: {}", why.mentions.join("; "))?;
                }
            }
        }
    }
    Ok(code)
}

fn table_row(event: &Event) -> String {
    let participants: Vec<&str> = event.participants.iter().map(|p| p.name.as_str()).collect();
    format!(
        "[{:>2}] {} | {} ({}) | {} | with: {} | {}",
        event.sentence.index,
        event.actor.name,
        event.action.verb,
        event.action.cameo,
        event.topic.as_ref().map_or("-", |t| t.name.as_str()),
        if participants.is_empty() { "-".to_string() } else { participants.join(", ") },
        event.date.map_or("-".to_string(), |d| d.to_string()),
    )
}

fn evaluate(
    gold_dir: &std::path::Path,
    articles_dir: &std::path::Path,
    per_article: bool,
    as_json: bool,
    lexicons: &[PathBuf],
) -> Result<ExitCode> {
    let Loaded { lexicon, skipped } = load_lexicon(lexicons)?;
    let mut gold = eval::load_gold_dir(gold_dir)?;
    eval::attach_urls(&mut gold, articles_dir)?;
    let outcome = read_inputs(&[articles_dir.to_path_buf()]);
    let code = report_input_errors(&outcome, skipped);
    let events = dipgraph::extract_all(&outcome.articles, &lexicon);
    let mut system = Vec::with_capacity(events.len());
    for event in &events {
        let value = serde_json::to_value(event).context("serialising an event")?;
        system.push(eval::from_record(&value)?);
    }
    let report = eval::score(&gold, &system);
    if as_json {
        println!("{}", serde_json::to_string_pretty(&report.to_json())?);
    } else {
        print!("{}", report.to_table(per_article));
    }
    Ok(code)
}
