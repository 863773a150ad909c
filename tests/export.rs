//! End-to-end tests of `export`, `render` and `build --formats`, on the hand-written graph in
//! `tests/fixtures/query/graph.json` (13 nodes, one of them isolated; 10 events; 13 reports).
//! The formats' structure is tested beside each writer; these check the commands: files and
//! stdout, views and filters, errors and exit codes, and the node-link round trip.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use dipgraph::export::json::read_graph_file;
use dipgraph::graph::KnowledgeGraph;
use serde_json::Value;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/query/graph.json")
}

fn dipgraph() -> Command {
    Command::cargo_bin("dipgraph").expect("binary built")
}

/// Runs `dipgraph COMMAND FIXTURE ARGS…`: (stdout bytes, stderr, exit code).
fn run(command: &str, args: &[&str]) -> (Vec<u8>, String, i32) {
    let output = dipgraph().arg(command).arg(fixture()).args(args).output().expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.stdout, stderr, output.status.code().unwrap_or(-1))
}

fn export(args: &[&str]) -> String {
    let (out, err, code) = run("export", args);
    assert_eq!(code, 0, "dipgraph export {args:?} failed: {err}");
    String::from_utf8(out).expect("utf8")
}

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&export(args)).expect("JSON")
}

fn load(path: &Path) -> KnowledgeGraph {
    let (_, file) = read_graph_file(path).expect("a dipgraph graph file");
    KnowledgeGraph::from_graph_file(file).expect("valid links")
}

fn has_dot() -> bool {
    std::process::Command::new("dot").arg("-V").output().is_ok_and(|o| o.status.success())
}

#[test]
fn node_link_json_reloads_as_the_same_graph() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("again.json");
    export(&["--format", "json", "-o", path.to_str().expect("utf8 path")]);
    let again = load(&path);
    assert_eq!(again, load(&fixture()));
    assert_eq!((again.node_count(), again.edge_count()), (13, 10));
}

#[test]
fn every_format_writes_the_same_bytes_to_a_file_and_to_stdout() {
    let dir = tempfile::tempdir().expect("tempdir");
    for format in
        ["dot", "json", "cytoscape", "graphml", "gexf", "turtle", "rdf", "ntriples", "events-tsv"]
    {
        let path = dir.path().join(format!("out.{format}"));
        export(&["--format", format, "-o", path.to_str().expect("utf8 path")]);
        let file = fs::read_to_string(&path).expect("written");
        assert!(!file.is_empty(), "{format} is empty");
        assert_eq!(export(&["--format", format]), file, "{format}: stdout differs from file");
        assert_eq!(export(&["--format", format, "-o", "-"]), file, "{format}: -o - is stdout");
    }
    assert_eq!(export(&["--format", "rdf"]), export(&["--format", "turtle"]));
}

#[test]
fn neo4j_needs_a_directory_and_writes_three_files_there() {
    let (_, err, code) = run("export", &["--format", "neo4j"]);
    assert_eq!(code, 2);
    assert!(err.contains("give a directory with -o DIR"), "{err}");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("neo");
    export(&["--format", "neo4j", "-o", out.to_str().expect("utf8 path")]);
    let nodes = fs::read_to_string(out.join("nodes.csv")).expect("nodes");
    let relationships = fs::read_to_string(out.join("relationships.csv")).expect("relationships");
    assert!(nodes.starts_with("id:ID,"));
    assert!(relationships.starts_with(":START_ID,:END_ID,:TYPE,"));
    assert_eq!(nodes.lines().count(), 1 + 13);
    assert_eq!(relationships.lines().count(), 1 + 10);
    assert!(fs::read_to_string(out.join("load.cypher")).expect("cypher").contains("LOAD CSV"));
}

#[test]
fn views_change_what_nodes_and_edges_are() {
    let counts = |value: &Value| {
        let len = |key: &str| value[key].as_array().map_or(0, Vec::len);
        (len("nodes"), len("links"))
    };
    assert_eq!(counts(&json(&["--format", "json"])), (13, 10));
    let actors = json(&["--format", "json", "--view", "actors"]);
    assert_eq!(actors["directed"], false);
    assert_eq!(counts(&actors), (8, 6));
    for link in actors["links"].as_array().expect("links") {
        let split =
            link["cooperation"].as_i64().unwrap_or(-1) + link["conflict"].as_i64().unwrap_or(-1);
        assert_eq!(Some(split), link["count"].as_i64(), "{link}");
    }
    let topics = json(&["--format", "json", "--view", "topics"]);
    assert_eq!(counts(&topics), (9, 9));
    let kinds = |value: &Value| -> Vec<String> {
        let mut kinds: Vec<String> = value["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .filter_map(|n| n["kind"].as_str().map(str::to_string))
            .collect();
        kinds.sort();
        kinds.dedup();
        kinds
    };
    assert!(!kinds(&actors).contains(&"issue".to_string()));
    assert!(kinds(&topics).contains(&"issue".to_string()));
}

#[test]
fn filters_keep_only_matching_events() {
    let links = |args: &[&str]| -> Vec<Value> {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        json(&all)["links"].as_array().cloned().unwrap_or_default()
    };
    let since = links(&["--since", "2021"]);
    assert!(!since.is_empty() && since.len() < 10);
    for link in &since {
        for source in link["sources"].as_array().expect("sources") {
            assert!(source["date"].as_str().is_some_and(|d| d >= "2021-01-01"), "{source}");
        }
    }
    let conflict = links(&["--cameo", "11,19"]);
    assert!(!conflict.is_empty());
    assert!(conflict.iter().all(|l| ["11", "19"].contains(&l["root"].as_str().unwrap_or(""))));
    let turkey = json(&["--format", "json", "--country", "TUR"]);
    let nodes: Vec<&Value> = turkey["nodes"].as_array().expect("nodes").iter().collect();
    let country = |id: &str| {
        nodes.iter().find(|n| n["id"] == id).and_then(|n| n["country"].as_str()).map(str::to_string)
    };
    for link in turkey["links"].as_array().expect("links") {
        let mut parties = vec![link["source"].as_str().unwrap_or("")];
        parties.extend(
            link["participants"].as_array().expect("list").iter().filter_map(|p| p.as_str()),
        );
        assert!(parties.iter().any(|p| country(p).as_deref() == Some("TUR")), "{link}");
    }
    let frequent = links(&["--min-count", "2"]);
    assert!(!frequent.is_empty());
    assert!(frequent.iter().all(|l| l["count"].as_u64().is_some_and(|c| c >= 2)));
    let top = json(&["--format", "json", "--view", "actors", "--top", "1"]);
    let ends: Vec<(&str, &str)> = top["links"]
        .as_array()
        .expect("links")
        .iter()
        .filter_map(|l| Some((l["source"].as_str()?, l["target"].as_str()?)))
        .collect();
    let shared: Vec<&str> = ends
        .first()
        .map(|(a, b)| vec![*a, *b])
        .unwrap_or_default()
        .into_iter()
        .filter(|n| ends.iter().all(|(a, b)| a == n || b == n))
        .collect();
    assert!(!shared.is_empty(), "every actor edge touches the top actor: {ends:?}");
}

#[test]
fn bad_requests_exit_2_with_a_message() {
    for (args, message) in [
        (&["--format", "events-tsv", "--view", "actors"][..], "has no actors view"),
        (&["--format", "json", "--cameo", "99"][..], "'99' is not a CAMEO code"),
        (&["--format", "json", "--country", "Atlantis"][..], "is not a country"),
        (&["--format", "svg"][..], "invalid value 'svg'"),
    ] {
        let (out, err, code) = run("export", args);
        assert_eq!(code, 2, "{args:?}");
        assert!(out.is_empty(), "{args:?}");
        assert!(err.contains(message), "{args:?}: {err}");
    }
}

#[test]
fn a_failed_export_leaves_no_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("out.graphml");
    let (_, _, code) =
        run("export", &["--format", "graphml", "--cameo", "x", "-o", path.to_str().expect("path")]);
    assert_eq!(code, 2);
    assert!(!path.exists());
}

#[test]
fn render_without_graphviz_says_how_to_install_it() {
    let empty = tempfile::tempdir().expect("tempdir");
    let output = dipgraph()
        .args(["render"])
        .arg(fixture())
        .env("PATH", empty.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(
        err.trim(),
        "dipgraph: Graphviz's `dot` was not found; install it (Debian/Ubuntu: `sudo apt-get install graphviz`, macOS: `brew install graphviz`)"
    );
}

#[test]
fn render_draws_svg_png_and_pdf_when_graphviz_is_installed() {
    if !has_dot() {
        eprintln!("skipped: Graphviz is not installed");
        return;
    }
    let (svg, err, code) = run("render", &["--format", "svg", "--clusters"]);
    assert_eq!(code, 0, "{err}");
    let svg = String::from_utf8_lossy(&svg);
    assert!(svg.contains("<svg") && svg.contains("Vladimir Putin"));
    let dir = tempfile::tempdir().expect("tempdir");
    for (format, magic) in [("png", &b"\x89PNG"[..]), ("pdf", &b"%PDF"[..])] {
        let path = dir.path().join(format!("g.{format}"));
        let (_, err, code) = run(
            "render",
            &["--format", format, "--view", "actors", "-o", path.to_str().expect("p")],
        );
        assert_eq!(code, 0, "{err}");
        assert!(fs::read(&path).expect("written").starts_with(magic), "{format}");
    }
}

#[test]
fn build_writes_the_formats_it_is_asked_for() {
    let dir = tempfile::tempdir().expect("tempdir");
    let article = dir.path().join("call.txt");
    fs::write(
        &article,
        "Putin and Erdogan discuss Idlib\nhttps://news.example/call\n\nOct 28, 2020 13:32 UTC\n\n\
         Russian President Vladimir Putin and Turkish President Recep Tayyip Erdogan discussed \
         the situation in Idlib in a phone call on Wednesday.\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    dipgraph()
        .args(["build", "--quiet", "--formats", "graphml,neo4j,events-tsv"])
        .arg(&article)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    for name in ["graph.json", "events.jsonl", "graph.graphml", "neo4j/nodes.csv", "events.tsv"] {
        assert!(out.join(name).is_file(), "{name} missing");
    }
    assert!(!out.join("graph.dot").exists(), "dot was not asked for");
    let graph = load(&out.join("graph.json"));
    assert!(graph.edge_count() > 0, "the call is an event");
    let graphml = fs::read_to_string(out.join("graph.graphml")).expect("graphml");
    assert_eq!(graphml.matches("<edge ").count(), graph.edge_count());
}

#[test]
fn html_view_embeds_every_event_and_loads_nothing_from_the_network() {
    let page = export(&["--format", "html"]);
    let start_tag = r#"<script type="application/json" id="dipgraph-data">"#;
    let start = page.find(start_tag).expect("data block") + start_tag.len();
    let end = start + page[start..].find("</script>").expect("end of the data block");
    let data: Value = serde_json::from_str(&page[start..end]).expect("data block is JSON");
    let nodes = data["nodes"].as_array().expect("nodes").len();
    let edges = data["edges"].as_array().expect("edges").len();
    assert_eq!((nodes, edges), (13, 10));
    assert!(!page.contains("src=\"http"), "an external script or image");
    // A filter applies to the view as to any format.
    let page = export(&["--format", "html", "--cameo", "11"]);
    assert!(page.len() < export(&["--format", "html"]).len());
}
