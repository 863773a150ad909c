//! End-to-end tests of the `dipgraph` binary on fixtures written for the project.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn dipgraph() -> Command {
    Command::cargo_bin("dipgraph").expect("binary built")
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A short call article in the wire layout, written for these tests.
const CALL: &str = "Putin and Erdogan discuss Idlib and trade\n\
https://test.example/call\n\
Russian President Vladimir Putin held a phone conversation with his Turkish counterpart on Monday.\n\
Mar 03, 2020 08:00 UTC\n\
\n\
Russian President Vladimir Putin held a phone conversation with his Turkish counterpart on Monday.\n\
\n\
The two leaders discussed the situation in Idlib and bilateral trade, the Kremlin said.\n\
\n\
Ankara condemned the attack on its troops in Idlib.\n";

fn build_into(inputs: &[&Path], out: &Path) -> assert_cmd::assert::Assert {
    let mut cmd = dipgraph();
    cmd.arg("build");
    for input in inputs {
        cmd.arg(input);
    }
    cmd.arg("-o").arg(out).assert()
}

#[test]
fn committed_output_is_what_the_code_makes_of_the_examples() {
    let dir = tempfile::tempdir().expect("tempdir");
    build_into(&[&repo().join("examples/articles")], dir.path()).success();
    for name in ["events.jsonl", "graph.json", "graph.dot"] {
        let fresh = fs::read_to_string(dir.path().join(name)).expect("fresh output");
        let committed = fs::read_to_string(repo().join("output").join(name)).unwrap_or_default();
        assert!(
            fresh == committed,
            "output/{name} is stale: run `cargo run --release -- build examples/articles -o output`"
        );
    }
}

#[test]
fn build_writes_records_graph_and_dot_that_parse() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("call.txt");
    fs::write(&article, CALL).expect("write");
    let out = dir.path().join("out");
    build_into(&[&article], &out).success().stderr(predicate::str::contains("1 articles"));

    let events = fs::read_to_string(out.join("events.jsonl")).expect("events");
    let records: Vec<serde_json::Value> =
        events.lines().map(|l| serde_json::from_str(l).expect("JSON record")).collect();
    assert!(!records.is_empty());
    for record in &records {
        for field in ["article", "sentence", "actor", "action", "topic", "participants", "date"] {
            assert!(record.get(field).is_some(), "{field} missing in {record}");
        }
        assert_eq!(record["article"]["url"], "https://test.example/call");
        assert_eq!(record["date"], "2020-03-03");
        let cameo = record["action"]["cameo"].as_str().expect("cameo");
        assert_eq!(record["action"]["root"].as_str(), cameo.get(..2));
    }
    let discussed: Vec<&serde_json::Value> = records
        .iter()
        .filter(|r| r["action"]["verb"] == "discuss" && r["actor"]["name"] == "Vladimir Putin")
        .collect();
    let topics: Vec<&str> = discussed.iter().filter_map(|r| r["topic"]["name"].as_str()).collect();
    assert!(topics.contains(&"Idlib") && topics.contains(&"trade"), "{topics:?}");
    assert!(discussed.iter().all(|r| r["participants"][0]["name"] == "Recep Tayyip Erdogan"));
    // The lead repeated as the first paragraph is read once.
    let lead_events = records.iter().filter(|r| r["sentence"]["index"] == 1).count();
    assert!(records.iter().all(|r| r["sentence"]["index"] != 2 || lead_events == 0));

    let graph: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(out.join("graph.json")).expect("graph"))
            .expect("JSON");
    assert_eq!(graph["format"], "dipgraph");
    assert_eq!(graph["version"], 1);
    let links = graph["links"].as_array().expect("links");
    assert!(links.iter().all(|l| !l["sources"].as_array().expect("sources").is_empty()));

    let dot = fs::read_to_string(out.join("graph.dot")).expect("dot");
    graphviz_rust::parse(&dot).expect("graph.dot parses as DOT");
    assert!(dot.contains("\"Recep Tayyip Erdogan\""));
}

#[test]
fn extract_prints_a_table_json_and_explanations() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("call.txt");
    fs::write(&article, CALL).expect("write");
    dipgraph()
        .arg("extract")
        .arg(&article)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Vladimir Putin | discuss (040) | Idlib | with: Recep Tayyip Erdogan",
        ))
        .stdout(predicate::str::contains("Turkey | criticize (111)"));
    let output = dipgraph().arg("extract").arg("--json").arg(&article).output().expect("runs");
    let first = String::from_utf8(output.stdout).expect("utf8");
    let record: serde_json::Value =
        serde_json::from_str(first.lines().next().expect("a line")).expect("JSON");
    assert_eq!(record["article"]["id"], "call");
    dipgraph()
        .args(["extract", "--explain"])
        .arg(&article)
        .assert()
        .success()
        .stdout(predicate::str::contains("trigger \"discussed\""));
}

#[test]
fn eval_scores_against_a_gold_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = dir.path().join("articles");
    let gold = dir.path().join("gold");
    fs::create_dir_all(&articles).expect("mkdir");
    fs::create_dir_all(&gold).expect("mkdir");
    fs::write(articles.join("call.txt"), CALL).expect("write");
    let gold_json = serde_json::json!({
        "article": "call.txt",
        "date": "2020-03-03",
        "entities": {
            "Vladimir Putin": ["Putin", "Russian President Vladimir Putin"],
            "Recep Tayyip Erdogan": ["Erdogan", "his Turkish counterpart"],
            "Idlib": ["Idlib", "the situation in Idlib"],
            "trade": ["trade", "bilateral trade"],
            "Turkey": ["Ankara"]
        },
        "events": [
            {"actor": "Vladimir Putin", "action": "discuss", "cameo": "04", "topic": "Idlib",
             "participants": ["Recep Tayyip Erdogan"], "symmetric": true, "sentence": "x"},
            {"actor": "Vladimir Putin", "action": "discuss", "cameo": "04", "topic": "trade",
             "participants": ["Recep Tayyip Erdogan"], "symmetric": true, "sentence": "x"},
            {"actor": "Turkey", "action": "condemn", "cameo": "11", "topic": "Libya",
             "participants": [], "symmetric": false, "sentence": "x"}
        ]
    });
    fs::write(gold.join("call.json"), gold_json.to_string()).expect("write");
    let output = dipgraph()
        .args(["eval", "--per-article", "--json", "--gold"])
        .arg(&gold)
        .arg("--articles")
        .arg(&articles)
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    let text = report.to_string();
    assert!(text.contains("call"), "{text}");
    dipgraph()
        .args(["eval", "--gold"])
        .arg(&gold)
        .arg("--articles")
        .arg(&articles)
        .assert()
        .success()
        .stdout(predicate::str::contains("ALL"));
}

#[test]
fn bad_inputs_are_reported_by_name_and_good_ones_still_built() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = dir.path().join("in");
    fs::create_dir_all(&input).expect("mkdir");
    fs::write(input.join("a-good.txt"), CALL).expect("write");
    fs::write(input.join("b-binary.txt"), [0u8, 159, 146, 150, 255]).expect("write");
    fs::write(input.join("c-wire.jsonl"), "{\"title\":\"Russia condemns Turkey\",\"text\":\"Russia condemned Turkey.\"}\n{\"title\": broken\n")
        .expect("write");
    fs::write(input.join("d-empty.txt"), "\n\n").expect("write");
    let out = dir.path().join("out");
    build_into(&[&input], &out)
        .code(1)
        .stderr(predicate::str::contains("b-binary.txt: binary data, not text"))
        .stderr(predicate::str::contains("c-wire.jsonl:2: bad JSON"))
        .stderr(predicate::str::contains("d-empty.txt: empty file"));
    let events = fs::read_to_string(out.join("events.jsonl")).expect("events written");
    assert!(events.contains("\"id\":\"a-good\""));
    assert!(events.contains("\"id\":\"c-wire:1\""));
}

#[test]
fn no_readable_input_is_fatal_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    build_into(&[&dir.path().join("missing.txt")], &out)
        .code(2)
        .stderr(predicate::str::contains("missing.txt"));
    assert!(!out.exists());
}

#[test]
fn bad_user_lexicon_is_reported_with_its_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lexicon = dir.path().join("mine.tsv");
    fs::write(&lexicon, "person\tJane Roe\tcountry=XX\n").expect("write");
    let article = dir.path().join("call.txt");
    fs::write(&article, CALL).expect("write");
    dipgraph()
        .arg("extract")
        .arg(&article)
        .arg("--lexicon")
        .arg(&lexicon)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("mine.tsv:1:"))
        .stderr(predicate::str::contains("1 bad lexicon record; fix it"))
        .stdout(predicate::str::is_empty());
}

#[test]
fn lexicon_check_reports_bad_records_and_counts_good_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lexicon = dir.path().join("mine.tsv");
    fs::write(
        &lexicon,
        "person\tJane Roe\talias=Roe\tcountry=FRA\nplace\tNorth Shore\nbogus\tline\n",
    )
    .expect("write");
    dipgraph()
        .args(["lexicon", "check"])
        .arg(&lexicon)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("mine.tsv:3: unknown record type"))
        .stdout(predicate::str::contains("2 good records (1 person, 1 place), 1 bad"));
    fs::write(&lexicon, "issue\tdesalination\talias=desalinated water\n").expect("write");
    dipgraph().args(["lexicon", "check"]).arg(&lexicon).assert().success();
}

#[test]
fn petrarch_actor_dictionaries_are_read_by_lexicon() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lexicon = dir.path().join("leaders.actors.txt");
    fs::write(
        &lexicon,
        "# a PETRARCH-style actor dictionary written for this test\nJANE_ROE_\n+MINISTER_ROE_\n\t[FRAGOV 150101-251231]\nFRENCH_REPUBLIC_ [FRA]\n",
    )
    .expect("write");
    let article = dir.path().join("a.txt");
    fs::write(
        &article,
        "Minister Roe condemned Russia.\n\nThe French Republic condemned Turkey.\n",
    )
    .expect("write");
    dipgraph()
        .args(["lexicon", "check"])
        .arg(&lexicon)
        .assert()
        .success()
        .stdout(predicate::str::contains("1 alias, 1 person"));
    dipgraph()
        .arg("extract")
        .arg(&article)
        .arg("--lexicon")
        .arg(&lexicon)
        .assert()
        .success()
        .stdout(predicate::str::contains("Jane Roe | criticize (111) | - | with: Russia"))
        .stdout(predicate::str::contains("France | criticize (111) | - | with: Turkey"));
}

#[test]
fn user_lexicon_adds_a_person() {
    let dir = tempfile::tempdir().expect("tempdir");
    let lexicon = dir.path().join("mine.tsv");
    fs::write(&lexicon, "person\tJane Roe\talias=Roe\tcountry=FRA\n").expect("write");
    let article = dir.path().join("a.txt");
    fs::write(&article, "Roe condemned Russia.\n").expect("write");
    dipgraph()
        .arg("extract")
        .arg(&article)
        .arg("--lexicon")
        .arg(&lexicon)
        .assert()
        .success()
        .stdout(predicate::str::contains("Jane Roe | criticize (111) | - | with: Russia"));
}

#[test]
fn dot_output_renders_with_graphviz_when_installed() {
    if std::process::Command::new("dot").arg("-V").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "CI must install graphviz");
        return;
    }
    let output = std::process::Command::new("dot")
        .arg("-Tsvg")
        .arg(repo().join("output/graph.dot"))
        .output()
        .expect("dot runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("<svg"));
}

#[test]
fn agreement_compares_with_reference_codings() {
    let dir = tempfile::tempdir().expect("tempdir");
    let records = dir.path().join("validation.jsonl");
    fs::write(
        &records,
        concat!(
            "{\"id\":\"a\",\"date\":\"2020-01-01\",\"text\":\"Russia condemned Turkey.\",\"events\":[{\"source\":\"RUS\",\"target\":\"TUR\",\"cameo\":\"111\",\"root\":\"11\"}]}\n",
            "{\"id\":\"b\",\"date\":\"2020-01-01\",\"text\":\"The weather was fine.\",\"events\":[]}\n",
        ),
    )
    .expect("write");
    dipgraph()
        .arg("agreement")
        .arg(&records)
        .assert()
        .success()
        .stdout(predicate::str::contains("CAMEO root                   100.0% (1/1)"))
        .stdout(predicate::str::contains("no-event records left empty  100.0% (1/1)"));
    fs::write(&records, "{broken\n").expect("write");
    dipgraph()
        .arg("agreement")
        .arg(&records)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("validation.jsonl:1"));
}
