//! `build --events-out`: the events of a build go to a file of the caller's choosing, in the
//! same pass that writes the graph (what a Spark task needs, see `scale/spark_build.py`).

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

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn events_go_to_the_chosen_file_and_the_graph_files_are_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plain = dir.path().join("plain");
    dipgraph().args(["build", "-q", "-o"]).arg(&plain).arg(examples()).assert().success();

    let out = dir.path().join("out");
    // The events file's directory need not exist yet.
    let events = dir.path().join("elsewhere/part-00003.jsonl");
    dipgraph()
        .args(["build", "-q", "--formats", "json", "-o"])
        .arg(&out)
        .arg("--events-out")
        .arg(&events)
        .arg(examples())
        .assert()
        .success();
    assert_eq!(read(&events), read(&plain.join("events.jsonl")));
    assert!(read(&events).lines().count() > 10);
    assert_eq!(read(&out.join("graph.json")), read(&plain.join("graph.json")));
    // Only the graph is in the output directory: the events are not written twice.
    let names: Vec<String> = fs::read_dir(&out)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["graph.json"]);
}

#[test]
fn events_out_with_nothing_readable_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.jsonl");
    fs::write(&bad, "{oops\n").expect("write");
    let events = dir.path().join("ev/events.jsonl");
    dipgraph()
        .args(["build", "-q", "-o"])
        .arg(dir.path().join("out"))
        .arg("--events-out")
        .arg(&events)
        .arg(&bad)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no article could be read"));
    assert!(!events.exists());
    assert!(!dir.path().join("ev").exists());
    assert!(!dir.path().join("out").exists());
}

#[test]
fn events_out_cannot_be_combined_with_into() {
    let dir = tempfile::tempdir().expect("tempdir");
    dipgraph()
        .args(["build", "--into"])
        .arg(dir.path().join("g/graph.json"))
        .arg("--events-out")
        .arg(dir.path().join("e.jsonl"))
        .arg(examples())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
}
