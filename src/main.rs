//! The `dipgraph` command line: parses arguments and calls the library.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};

use dipgraph::article::read_inputs;
use dipgraph::export::{self, dot, json};
use dipgraph::extract::Extractor;
use dipgraph::lexicon::Lexicon;
use dipgraph::{eval, model::Event};

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
    /// write graph.dot, graph.json and events.jsonl into the output directory.
    Build {
        /// Article files or directories.
        #[arg(required = true)]
        inputs: Vec<PathBuf>,
        /// Output directory.
        #[arg(short, long, default_value = "output")]
        output: PathBuf,
        /// Extra lexicon file (repeatable); its records add to or override the built-in ones.
        #[arg(long = "lexicon", value_name = "FILE")]
        lexicons: Vec<PathBuf>,
        /// Print no summary.
        #[arg(short, long)]
        quiet: bool,
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
        /// Extra lexicon file (repeatable).
        #[arg(long = "lexicon", value_name = "FILE")]
        lexicons: Vec<PathBuf>,
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
        /// Extra lexicon file (repeatable).
        #[arg(long = "lexicon", value_name = "FILE")]
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
        /// Extra lexicon file (repeatable).
        #[arg(long = "lexicon", value_name = "FILE")]
        lexicons: Vec<PathBuf>,
    },
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
            eprintln!("dipgraph: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A lexicon and whether some user records were skipped (which makes the exit code 1).
struct Loaded {
    lexicon: Lexicon,
    skipped: bool,
}

fn load_lexicon(paths: &[PathBuf]) -> Result<Loaded> {
    let (lexicon, errors) = Lexicon::with_user_files(paths).map_err(|errors| {
        for error in &errors {
            eprintln!("dipgraph: {error}");
        }
        anyhow::anyhow!("the built-in lexicon is broken ({} bad records)", errors.len())
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
        Command::Build { inputs, output, lexicons, quiet } => {
            build(&inputs, &output, &lexicons, quiet)
        }
        Command::Extract { article, json, explain, lexicons } => {
            extract(&article, json, explain, &lexicons)
        }
        Command::Eval { gold, articles, per_article, json, lexicons } => {
            evaluate(&gold, &articles, per_article, json, &lexicons)
        }
        Command::Lexicon { command: LexiconCommand::Check { file } } => check_lexicon(&file),
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

fn report_input_errors(errors: &[dipgraph::article::ArticleError], skipped: bool) -> ExitCode {
    for error in errors {
        eprintln!("dipgraph: {error}");
    }
    exit_code(skipped || !errors.is_empty())
}

fn build(
    inputs: &[PathBuf],
    output: &std::path::Path,
    lexicons: &[PathBuf],
    quiet: bool,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let Loaded { lexicon, skipped } = load_lexicon(lexicons)?;
    let outcome = read_inputs(inputs);
    if outcome.articles.is_empty() {
        report_input_errors(&outcome.errors, skipped);
        bail!("no article could be read from the inputs");
    }
    let events = dipgraph::extract_all(&outcome.articles, &lexicon);
    let graph = dipgraph::build_graph(&events);
    export::write_atomic(&output.join("events.jsonl"), export::events_jsonl(&events)?.as_bytes())?;
    export::write_atomic(&output.join("graph.json"), json::to_json(&graph)?.as_bytes())?;
    export::write_atomic(&output.join("graph.dot"), dot::to_dot(&graph).as_bytes())?;
    let code = report_input_errors(&outcome.errors, skipped);
    if !quiet {
        eprintln!(
            "dipgraph: {} articles ({} skipped), {} events, {} nodes, {} edges in {:.2}s → {}",
            outcome.articles.len(),
            outcome.errors.len(),
            events.len(),
            graph.node_count(),
            graph.edge_count(),
            started.elapsed().as_secs_f64(),
            output.display()
        );
    }
    Ok(code)
}

fn extract(
    path: &std::path::Path,
    as_json: bool,
    explain: bool,
    lexicons: &[PathBuf],
) -> Result<ExitCode> {
    let Loaded { lexicon, skipped } = load_lexicon(lexicons)?;
    let outcome = read_inputs(&[path.to_path_buf()]);
    let code = report_input_errors(&outcome.errors, skipped);
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
    let code = report_input_errors(&outcome.errors, skipped);
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
