//! End-to-end tests of building at scale: thread-count determinism, extending a graph with
//! `--into`, merging shards, standard input, the summary line and `--quiet`.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn dipgraph() -> Command {
    Command::cargo_bin("dipgraph").expect("binary built")
}

fn examples() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/articles")
}

const FILES: [&str; 3] = ["events.jsonl", "graph.json", "graph.dot"];

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A generated corpus of `n` articles in `dir`.
fn corpus(dir: &Path, n: u64) -> PathBuf {
    let out = dir.join("corpus");
    dipgraph()
        .args(["gen-corpus", "--articles", &n.to_string(), "--seed", "5", "-o"])
        .arg(&out)
        .assert()
        .success();
    out
}

#[test]
fn output_is_the_same_bytes_whatever_the_thread_count() {
    let dir = tempfile::tempdir().expect("tempdir");
    let corpus = corpus(dir.path(), 600);
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        let out = dir.path().join(format!("out{threads}"));
        dipgraph()
            .args(["build", "--threads", threads, "-o"])
            .arg(&out)
            .arg(&corpus)
            .arg(examples())
            .assert()
            .success()
            .stderr(predicate::str::contains("610 articles"));
        outputs.push(out);
    }
    // RAYON_NUM_THREADS is honoured when --threads is not given.
    let env_out = dir.path().join("env");
    dipgraph()
        .env("RAYON_NUM_THREADS", "2")
        .args(["build", "-o"])
        .arg(&env_out)
        .arg(&corpus)
        .arg(examples())
        .assert()
        .success()
        .stderr(predicate::str::contains("2 threads)"));
    outputs.push(env_out);
    for name in FILES {
        let first = read(&outputs[0].join(name));
        assert!(first.len() > 1000, "{name} is nearly empty");
        for other in &outputs[1..] {
            assert!(read(&other.join(name)) == first, "{name} differs in {}", other.display());
        }
    }
}

#[test]
fn building_into_a_graph_twice_counts_nothing_twice_and_new_articles_are_added() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = dir.path().join("g").join("graph.json");
    let first_batch = examples().join("01-erdogan-putin-call.txt");
    dipgraph()
        .args(["build", "--into"])
        .arg(&graph)
        .arg(&first_batch)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 articles (0 skipped, 0 already in the graph)"));
    let once: Vec<String> = FILES.iter().map(|f| read(&dir.path().join("g").join(f))).collect();
    dipgraph()
        .args(["build", "--into"])
        .arg(&graph)
        .arg(&first_batch)
        .assert()
        .success()
        .stderr(predicate::str::contains("0 articles (0 skipped, 1 already in the graph)"));
    let twice: Vec<String> = FILES.iter().map(|f| read(&dir.path().join("g").join(f))).collect();
    assert_eq!(once, twice, "building the same article again changed the graph");

    // The rest of the examples: nine new articles, one already held.
    dipgraph()
        .args(["build", "--into"])
        .arg(dir.path().join("g"))
        .arg(examples())
        .assert()
        .success()
        .stderr(predicate::str::contains("9 articles (0 skipped, 1 already in the graph)"));
    let events = read(&dir.path().join("g/events.jsonl"));
    assert!(events.starts_with(&once[0]), "new events are appended to the old ones");
    // The graph grown batch by batch is the graph built at once.
    let at_once = dir.path().join("all");
    dipgraph().args(["build", "-q", "-o"]).arg(&at_once).arg(examples()).assert().success();
    assert_eq!(read(&graph), read(&at_once.join("graph.json")));
    assert_eq!(read(&dir.path().join("g/graph.dot")), read(&at_once.join("graph.dot")));
    let mut lines: Vec<&str> = events.lines().collect();
    let all = read(&at_once.join("events.jsonl"));
    let mut all_lines: Vec<&str> = all.lines().collect();
    lines.sort_unstable();
    all_lines.sort_unstable();
    assert_eq!(lines, all_lines);
}

#[test]
fn an_article_without_url_is_known_again_by_its_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("note.txt");
    fs::write(&article, "France condemned the attack on the convoy in Mali on Monday.\n")
        .expect("write");
    let graph = dir.path().join("g/graph.json");
    for expected in ["1 articles (0 skipped, 0", "0 articles (0 skipped, 1"] {
        dipgraph()
            .args(["build", "--into"])
            .arg(&graph)
            .arg(&article)
            .assert()
            .success()
            .stderr(predicate::str::contains(expected));
    }
    let file: serde_json::Value = serde_json::from_str(&read(&graph)).expect("json");
    assert_eq!(file["version"], 1);
    assert_eq!(file["article_hashes"].as_object().map(|m| m.len()), Some(1), "{file}");
    // The same name with other content is another article.
    fs::write(&article, "Germany condemned the attack on the convoy in Mali on Monday.\n")
        .expect("write");
    dipgraph()
        .args(["build", "--into"])
        .arg(&graph)
        .arg(&article)
        .assert()
        .success()
        .stderr(predicate::str::contains("1 articles (0 skipped, 0"));
}

#[test]
fn into_refuses_a_file_that_is_not_a_graph_and_leaves_it_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph = dir.path().join("graph.json");
    fs::write(&graph, "{\"nodes\": []}").expect("write");
    dipgraph()
        .args(["build", "--into"])
        .arg(&graph)
        .arg(examples())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a dipgraph graph file"));
    assert_eq!(read(&graph), "{\"nodes\": []}");
    assert!(!dir.path().join("events.jsonl").exists());
}

#[test]
fn merging_shards_gives_the_graph_of_one_build_in_any_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    let mut files: Vec<PathBuf> =
        fs::read_dir(examples()).expect("list").map(|e| e.expect("entry").path()).collect();
    files.sort();
    let (first, second) = files.split_at(files.len() / 2);
    for (out, shard) in [(&a, first), (&b, second)] {
        dipgraph().args(["build", "-q", "-o"]).arg(out).args(shard).assert().success();
    }
    let whole = dir.path().join("whole");
    dipgraph().args(["build", "-q", "-o"]).arg(&whole).arg(examples()).assert().success();
    let ab = dir.path().join("ab");
    dipgraph()
        .arg("merge")
        .arg(a.join("graph.json"))
        .arg(&b)
        .arg("-o")
        .arg(&ab)
        .assert()
        .success()
        .stderr(predicate::str::contains("merged 2 graphs"));
    let ba = dir.path().join("ba.json");
    // b twice: a graph merged with itself is the same graph.
    dipgraph()
        .arg("merge")
        .arg(&b)
        .arg(&a)
        .arg(&b)
        .arg("-o")
        .arg(&ba)
        .arg("-q")
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
    let expected = read(&whole.join("graph.json"));
    assert_eq!(read(&ab.join("graph.json")), expected);
    assert_eq!(read(&ba), expected);
    assert_eq!(read(&ab.join("graph.dot")), read(&whole.join("graph.dot")));
}

#[test]
fn merge_refuses_a_damaged_graph() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    fs::write(&bad, "{\"format\": \"dipgraph\", \"version\": 9}").expect("write");
    dipgraph()
        .arg("merge")
        .arg(&bad)
        .arg("-o")
        .arg(dir.path().join("out"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("graph format version 9"));
}

#[test]
fn standard_input_is_read_as_json_lines_or_one_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    dipgraph()
        .args(["build", "-", "-o"])
        .arg(&out)
        .write_stdin(read(&examples().join("wire.jsonl")))
        .assert()
        .success()
        .stderr(predicate::str::contains("2 articles (0 skipped"));
    let events = read(&out.join("events.jsonl"));
    assert!(events.contains("\"id\":\"stdin:1\"") && events.contains("\"id\":\"stdin:2\""));
    dipgraph()
        .args(["build", "-", "-o"])
        .arg(&out)
        .write_stdin(read(&examples().join("01-erdogan-putin-call.txt")))
        .assert()
        .success()
        .stderr(predicate::str::contains("1 articles (0 skipped"));
    assert!(read(&out.join("events.jsonl")).contains("\"id\":\"stdin\""));
}

#[test]
fn summary_line_names_articles_sentences_events_entities_seconds_and_rate() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.jsonl");
    fs::write(&bad, "{oops\n").expect("write");
    let pattern = concat!(
        r"^dipgraph: .*bad\.jsonl:1: bad JSON article record.*\n",
        r"dipgraph: 10 articles \(1 skipped, 0 already in the graph\), [0-9]+ sentences, ",
        // The counts follow the extraction rules, which change; the format is what is tested.
        r"[0-9]+ events, [0-9]+ entities, [0-9]+ edges in [0-9]+\.[0-9]{2}s \([0-9]+\.[0-9] MB/s, 1 thread\) ",
        r"→ .*graph\.json\n$"
    );
    dipgraph()
        .args(["build", "--threads", "1", "-o"])
        .arg(dir.path().join("out"))
        .arg(examples())
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::is_match(pattern).expect("regex"));
}

#[test]
fn quiet_prints_nothing_but_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    dipgraph()
        .args(["build", "--quiet", "-o"])
        .arg(dir.path().join("out"))
        .arg(examples())
        .assert()
        .success()
        .stderr(predicate::str::is_empty());
}

#[test]
fn the_corpus_generator_is_hidden_from_help_and_deterministic() {
    dipgraph().arg("--help").assert().success().stdout(
        predicate::str::contains("merge").and(predicate::str::contains("gen-corpus").not()),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["x", "y"] {
        dipgraph()
            .args(["gen-corpus", "--articles", "30", "--jsonl", "-o"])
            .arg(dir.path().join(name))
            .assert()
            .success()
            .stderr(predicate::str::contains("wrote 30 articles"));
    }
    let x = read(&dir.path().join("x/part-0000.jsonl"));
    assert_eq!(x, read(&dir.path().join("y/part-0000.jsonl")));
    let urls: std::collections::BTreeSet<String> = x
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json")["url"].to_string())
        .collect();
    assert_eq!(urls.len(), 30, "every article has its own URL");
}
