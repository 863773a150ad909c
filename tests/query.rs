//! End-to-end tests of the commands that read a built graph (`query`, `ask`, `neighbors`,
//! `path`, `timeline`, `top`, `stats`). Exact answers are asserted on the hand-written graph
//! in `tests/fixtures/query/graph.json`, never on graphs built from the examples, whose
//! extraction changes; those only get a smoke test.

use std::fs;
use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/query/graph.json")
}

/// Runs dipgraph COMMAND FIXTURE ARGS…: (stdout, stderr, exit code).
fn run(command: &str, args: &[&str]) -> (String, String, i32) {
    let output = Command::cargo_bin("dipgraph")
        .expect("binary built")
        .arg(command)
        .arg(fixture())
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8(output.stdout).expect("utf8 stdout"),
        String::from_utf8(output.stderr).expect("utf8 stderr"),
        output.status.code().unwrap_or(-1),
    )
}

fn stdout_of(command: &str, args: &[&str]) -> String {
    let (out, err, code) = run(command, args);
    assert_eq!(code, 0, "dipgraph {command} {args:?} failed: {err}");
    out
}

/// The JSON answer rows as "actor | verb | topic | participants | count" lines.
fn answers(command: &str, args: &[&str]) -> Vec<String> {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let rows: Value = serde_json::from_str(&stdout_of(command, &args)).expect("JSON answer");
    rows.as_array()
        .expect("an array of rows")
        .iter()
        .map(|r| {
            let participants: Vec<&str> = r["participants"]
                .as_array()
                .expect("participants")
                .iter()
                .filter_map(|p| p["name"].as_str())
                .collect();
            format!(
                "{} | {} | {} | {} | {}",
                r["actor"]["name"].as_str().unwrap_or("?"),
                r["action"]["verb"].as_str().unwrap_or("?"),
                r["topic"]["name"].as_str().unwrap_or("-"),
                participants.join(", "),
                r["count"]
            )
        })
        .collect()
}

const ERDOGAN_EVENTS: [&str; 4] = [
    "Vladimir Putin | discuss | Idlib | Recep Tayyip Erdogan | 2",
    "Recep Tayyip Erdogan | call | - | Vladimir Putin | 1",
    "Recep Tayyip Erdogan | discuss | Syria | Vladimir Putin | 1",
    "Vladimir Putin | discuss | trade | Recep Tayyip Erdogan | 1",
];

#[test]
fn query_table_shows_events_counts_dates_and_sources() {
    let out = stdout_of("query", &["--actor", "Erdoğan", "--limit", "2", "--format", "table"]);
    let expected = "\
ACTOR                 ACTION         TOPIC  WITH                  COUNT  FIRST       LAST
Vladimir Putin        discuss (040)  Idlib  Recep Tayyip Erdogan  2      2020-03-05  2020-03-06
    2020-03-05 https://news.example/a02-idlib-call (sentence 1): \"Putin and Erdogan discussed the situation in Idlib by phone on Thursday.\"
    2020-03-06 https://news.example/a03-moscow-summit (sentence 2): \"In Moscow, Putin and Erdogan again discussed Idlib for six hours.\"
Recep Tayyip Erdogan  call (041)     -      Vladimir Putin        1      2021-06-10  2021-06-10
    2021-06-10 https://news.example/a12-call (sentence 0): \"Erdogan phones Putin\"
";
    assert_eq!(out, expected);
}

#[test]
fn names_match_any_alias_or_office() {
    for name in
        ["Erdoğan", "erdogan", "Tayyip Erdogan", "the Turkish President", "Turkey's president"]
    {
        assert_eq!(answers("query", &["--actor", name]), ERDOGAN_EVENTS, "--actor {name}");
    }
}

#[test]
fn query_json_carries_every_field_and_source() {
    let out = stdout_of("query", &["--topic", "Idlib", "--action", "discuss", "--format", "json"]);
    let rows: Value = serde_json::from_str(&out).expect("JSON");
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
    let row = &rows[0];
    assert_eq!(row["actor"]["id"], "person:vladimir-putin");
    assert_eq!(row["action"], serde_json::json!({"verb": "discuss", "cameo": "040", "root": "04"}));
    assert_eq!(row["topic"]["name"], "Idlib");
    assert_eq!(row["participants"][0]["country"], "TUR");
    assert_eq!(row["symmetric"], true);
    assert_eq!((row["count"].as_u64(), row["first_date"].as_str()), (Some(2), Some("2020-03-05")));
    assert_eq!(row["last_date"], "2020-03-06");
    assert_eq!(row["sources"][1]["url"], "https://news.example/a03-moscow-summit");
    assert_eq!(
        row["sources"][1]["sentence"],
        "In Moscow, Putin and Erdogan again discussed Idlib for six hours."
    );
}

#[test]
fn query_csv_has_one_line_per_report() {
    let out = stdout_of("query", &["--actor", "Jane Roe", "--format", "csv"]);
    assert_eq!(
        out,
        "actor,actor_id,verb,cameo,topic,topic_id,participants,participant_ids,count,first_date,last_date,date,article,url,sentence_index,sentence\n\
         Jane Roe,person:jane-roe,express concern,110,Idlib,place:idlib,,,1,2020-03-04,2020-03-04,2020-03-04,a11-statement,,3,\"Jane Roe, the agency's spokeswoman, expressed concern about Idlib.\"\n"
    );
    let lines = stdout_of("query", &["--topic", "Idlib", "--format", "csv"]).lines().count();
    assert_eq!(lines, 4, "header, two Putin reports, one Roe report");
}

#[test]
fn filters_combine() {
    assert_eq!(
        answers("query", &["--with", "Putin", "--action", "discussed"]),
        [
            "Vladimir Putin | discuss | Idlib | Recep Tayyip Erdogan | 2",
            "Recep Tayyip Erdogan | discuss | Syria | Vladimir Putin | 1",
            "Vladimir Putin | discuss | trade | Recep Tayyip Erdogan | 1",
        ]
    );
    assert_eq!(
        answers("query", &["--actor", "Putin", "--with", "Tayyip Erdogan", "--topic", "trade"]),
        ["Vladimir Putin | discuss | trade | Recep Tayyip Erdogan | 1"]
    );
    assert_eq!(
        answers("query", &["--country", "SYR"]),
        ["Israel | attack | - | Syria | 1", "Vladimir Putin | meet | - | Bashar al-Assad | 1"]
    );
    assert_eq!(
        answers("query", &["--action", "041"]),
        ["Recep Tayyip Erdogan | call | - | Vladimir Putin | 1"]
    );
    assert_eq!(answers("query", &["--action", "04"]).len(), 5);
    assert_eq!(
        answers("query", &["--action", "condemn", "--with", "Israel"]),
        ["Turkey | criticize | - | Israel | 3", "Iran | criticize | - | Israel | 1"]
    );
}

#[test]
fn date_filters_are_inclusive_and_count_reports_in_range() {
    assert_eq!(
        answers("query", &["--action", "condemn", "--since", "2021-05", "--until", "2021-05"]),
        ["Turkey | criticize | - | Israel | 2", "Iran | criticize | - | Israel | 1"]
    );
    assert_eq!(
        answers("query", &["--since", "2021-05-20", "--until", "2021-06-02"]),
        ["Turkey | criticize | - | Israel | 2"]
    );
    assert_eq!(
        answers("query", &["--until", "2019"]),
        [
            "Recep Tayyip Erdogan | discuss | Syria | Vladimir Putin | 1",
            "Russia | sign | gas pipeline | Turkey | 1",
        ]
    );
    let (_, err, code) = run("query", &["--since", "2020-13"]);
    assert_eq!(code, 2);
    assert!(err.contains("'2020-13' is not a date"), "{err}");
}

#[test]
fn no_answer_is_not_an_error_but_is_said() {
    let (out, err, code) =
        run("query", &["--actor", "Iran", "--since", "2022", "--format", "json"]);
    assert_eq!((out.as_str(), code), ("[]\n", 0));
    assert_eq!(err, "dipgraph: no events match\n");
    let (out, _, code) = run("query", &["--actor", "Iran", "--since", "2022", "--format", "table"]);
    assert_eq!((out.as_str(), code), ("", 0));
}

#[test]
fn unknown_names_and_actions_exit_2_with_a_message() {
    let (out, err, code) = run("query", &["--actor", "Xyz"]);
    assert_eq!((out.as_str(), code), ("", 2));
    assert_eq!(err, "dipgraph: no actor in the graph matches 'Xyz'\n");
    let (_, err, code) = run("query", &["--topic", "Gaza"]);
    assert_eq!(code, 2);
    assert!(err.contains("the lexicon knows Gaza, but no event of the graph names it"), "{err}");
    let (_, err, code) = run("query", &["--action", "frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.contains("no action matches 'frobnicate'"), "{err}");
}

#[test]
fn a_name_matching_several_entities_uses_all_and_says_so() {
    let (out, err, code) = run("query", &["--actor", "Jane", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        "dipgraph: 'Jane' matches 2 entities; using all of them: Jane Doe (person:jane-doe), Jane Roe (person:jane-roe)\n"
    );
    assert!(out.contains("\"name\": \"Jane Roe\""));
    let (_, err, code) = run("query", &["--actor", "Jane Roe", "--format", "json"]);
    assert_eq!((err.as_str(), code), ("", 0));
}

#[test]
fn bad_graph_files_get_clear_errors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let check = |content: &str, expected: &str| {
        let path = dir.path().join("g.json");
        fs::write(&path, content).expect("write");
        let output = Command::cargo_bin("dipgraph")
            .expect("binary")
            .args(["stats"])
            .arg(&path)
            .output()
            .expect("runs");
        let err = String::from_utf8_lossy(&output.stderr).to_string();
        assert_eq!(output.status.code(), Some(2));
        assert!(err.contains(expected), "expected {expected:?} in {err}");
        assert!(err.contains("g.json"), "{err}");
    };
    check("hello", "not valid JSON at line 1 column 1");
    let full = fs::read_to_string(fixture()).expect("fixture");
    check(&full[..full.len() / 3], "not valid JSON at line ");
    check(r#"{"nodes": [], "links": []}"#, "not a dipgraph graph file (no \"format\": \"dipgraph\"); pass the graph.json written by `dipgraph build`");
    let newer = fs::read_to_string(fixture())
        .expect("fixture")
        .replace("\"version\": 1,", "\"version\": 7,");
    check(&newer, "written by graph format version 7; this dipgraph reads version 1");
    let broken = fs::read_to_string(fixture()).expect("fixture").replace(
        "\"place:idlib\",\n      \"participants\"",
        "\"place:nowhere\",\n      \"participants\"",
    );
    check(&broken, "names place:nowhere, which is not among the nodes");
}

#[test]
fn a_directory_means_its_graph_json() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::copy(fixture(), dir.path().join("graph.json")).expect("copy");
    let output = Command::cargo_bin("dipgraph")
        .expect("binary")
        .args(["query", "--action", "attack", "--format", "csv"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 2);
    let empty = tempfile::tempdir().expect("tempdir");
    let output = Command::cargo_bin("dipgraph")
        .expect("binary")
        .arg("stats")
        .arg(empty.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no graph.json in this directory"));
}

#[test]
fn ask_answers_every_question_form() {
    let cases: &[(&str, &[&str])] = &[
        ("who discussed Syria?", &["Recep Tayyip Erdogan | discuss | Syria | Vladimir Putin | 1"]),
        (
            "Who condemned Israel",
            &["Turkey | criticize | - | Israel | 3", "Iran | criticize | - | Israel | 1"],
        ),
        ("who expressed concern about Idlib", &["Jane Roe | express concern | Idlib |  | 1"]),
        (
            "what did Putin discuss",
            &[
                "Vladimir Putin | discuss | Idlib | Recep Tayyip Erdogan | 2",
                "Recep Tayyip Erdogan | discuss | Syria | Vladimir Putin | 1",
                "Vladimir Putin | discuss | trade | Recep Tayyip Erdogan | 1",
            ],
        ),
        ("what did Russia sign with Turkey", &["Russia | sign | gas pipeline | Turkey | 1"]),
        ("who did Erdogan talk with", &ERDOGAN_EVENTS),
        ("who did the Turkish President speak with", &ERDOGAN_EVENTS),
        ("who did Israel attack", &["Israel | attack | - | Syria | 1"]),
        (
            "who met whom in 2020",
            &[
                "Vladimir Putin | discuss | Idlib | Recep Tayyip Erdogan | 2",
                "Vladimir Putin | meet | - | Bashar al-Assad | 1",
            ],
        ),
        ("who met Assad", &["Vladimir Putin | meet | - | Bashar al-Assad | 1"]),
        (
            "who condemned whom last month",
            &["Turkey | criticize | - | Israel | 2", "Iran | criticize | - | Israel | 1"],
        ),
        ("who condemned whom this month", &["Turkey | criticize | - | Israel | 1"]),
        (
            "who discussed Idlib since 2020-03-06",
            &["Vladimir Putin | discuss | Idlib | Recep Tayyip Erdogan | 1"],
        ),
        (
            "who discussed trade in January 2021",
            &["Vladimir Putin | discuss | trade | Recep Tayyip Erdogan | 1"],
        ),
        (
            "who met whom between 2019 and 2019",
            &["Recep Tayyip Erdogan | discuss | Syria | Vladimir Putin | 1"],
        ),
    ];
    for (question, expected) in cases {
        assert_eq!(answers("ask", &[question]), *expected, "{question}");
    }
}

#[test]
fn ask_takes_the_question_as_several_words() {
    assert_eq!(answers("ask", &["who", "discussed", "Syria"]).len(), 1);
}

#[test]
fn an_unknown_question_form_lists_the_forms() {
    let (out, err, code) = run("ask", &["how are Putin and Assad connected"]);
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(err.starts_with("dipgraph: cannot read the question \"how are Putin and Assad connected\". Questions can take these forms:\n  who discussed X"), "{err}");
    for form in ["who met whom", "what did X discuss", "who did X talk with", "last month"] {
        assert!(err.contains(form), "{form} missing from {err}");
    }
    let (_, err, code) = run("ask", &["who frobnicated Syria"]);
    assert_eq!(code, 2);
    assert!(err.contains("'frobnicated' is not an action verb the lexicon knows"), "{err}");
}

#[test]
fn neighbors_weigh_counterparts_and_split_cooperation_from_conflict() {
    let out = stdout_of("neighbors", &["Israel", "--format", "table"]);
    assert_eq!(
        out,
        "COUNTERPART  KIND   COUNTRY  REPORTS  COOPERATION  CONFLICT\n\
         Turkey       state  TUR      3        0            3\n\
         Iran         state  IRN      1        0            1\n\
         Syria        state  SYR      1        0            1\n"
    );
    let out = stdout_of("neighbors", &["Putin", "--format", "csv"]);
    assert_eq!(
        out,
        "COUNTERPART,KIND,COUNTRY,REPORTS,COOPERATION,CONFLICT\n\
         Recep Tayyip Erdogan,person,TUR,5,5,0\n\
         Bashar al-Assad,person,SYR,1,1,0\n"
    );
    let out = stdout_of("neighbors", &["Putin", "--since", "2021", "--format", "csv"]);
    assert_eq!(out.lines().nth(1), Some("Recep Tayyip Erdogan,person,TUR,2,2,0"));
}

#[test]
fn path_shows_each_hop_with_its_events() {
    let out = stdout_of("path", &["Assad", "Jane Roe", "--via-topics", "--format", "table"]);
    let expected = "\
HOP  FROM             TO              REPORTS  EVENTS
1    Bashar al-Assad  Vladimir Putin  1        1
    Vladimir Putin meet (040) with Bashar al-Assad ×1 — 2020-01-07 https://news.example/a04-damascus (sentence 1): \"Putin met Assad in Damascus.\"
2    Vladimir Putin   Idlib           2        1
    Vladimir Putin discuss (040) Idlib with Recep Tayyip Erdogan ×2 — 2020-03-05 https://news.example/a02-idlib-call (sentence 1): \"Putin and Erdogan discussed the situation in Idlib by phone on Thursday.\"
3    Idlib            Jane Roe        1        1
    Jane Roe express concern (110) Idlib ×1 — 2020-03-04 a11-statement (sentence 3): \"Jane Roe, the agency's spokeswoman, expressed concern about Idlib.\"
";
    assert_eq!(out, expected);
    let json: Value =
        serde_json::from_str(&stdout_of("path", &["Assad", "Tayyip Erdogan", "--format", "json"]))
            .expect("JSON");
    let hops: Vec<(String, String)> = json["hops"]
        .as_array()
        .expect("hops")
        .iter()
        .map(|h| {
            (
                h["from"]["name"].as_str().unwrap_or("?").into(),
                h["to"]["name"].as_str().unwrap_or("?").into(),
            )
        })
        .collect();
    assert_eq!(
        hops,
        [
            ("Bashar al-Assad".to_string(), "Vladimir Putin".to_string()),
            ("Vladimir Putin".to_string(), "Recep Tayyip Erdogan".to_string())
        ]
    );
    assert_eq!(json["hops"][1]["reports"], 5);
    assert_eq!(json["hops"][1]["events"].as_array().map(Vec::len), Some(4));
    // Without topics, Jane Roe has no counterpart at all.
    let (out, err, code) = run("path", &["Assad", "Jane Roe"]);
    assert_eq!((out.as_str(), code), ("", 0));
    assert_eq!(
        err,
        "dipgraph: no path between Assad and Jane Roe (--via-topics also links shared topics)\n"
    );
}

#[test]
fn timeline_lists_reports_in_date_order() {
    let out = stdout_of("timeline", &["Idlib", "--format", "csv"]);
    let dates: Vec<&str> = out.lines().skip(1).map(|l| l.split(',').next().unwrap_or("")).collect();
    assert_eq!(dates, ["2020-03-04", "2020-03-05", "2020-03-06"]);
    let out = stdout_of(
        "timeline",
        &[
            "the Turkish President",
            "--since",
            "2020-03-06",
            "--until",
            "2021-01",
            "--format",
            "table",
        ],
    );
    assert_eq!(
        out,
        "DATE        ACTOR           ACTION         TOPIC  WITH\n\
         2020-03-06  Vladimir Putin  discuss (040)  Idlib  Recep Tayyip Erdogan\n    \
         \"In Moscow, Putin and Erdogan again discussed Idlib for six hours.\" https://news.example/a03-moscow-summit\n\
         2021-01-20  Vladimir Putin  discuss (040)  trade  Recep Tayyip Erdogan\n    \
         \"Putin discussed trade with the Turkish President.\" https://news.example/a05-trade\n"
    );
    let out = stdout_of("timeline", &["Turkey", "--limit", "2", "--format", "csv"]);
    let dates: Vec<&str> = out.lines().skip(1).map(|l| l.split(',').next().unwrap_or("")).collect();
    assert_eq!(dates, ["2019-11-20", "2021-05-12"]);
}

#[test]
fn top_ranks_actors_topics_and_dyads() {
    let out = stdout_of("top", &["--limit", "3", "--format", "table"]);
    assert_eq!(
        out,
        "Actors\n#  ACTOR                 REPORTS\n\
         1  Vladimir Putin        6\n\
         2  Recep Tayyip Erdogan  5\n\
         3  Turkey                4\n\
         \n\
         Topics\n#  TOPIC         REPORTS\n\
         1  Idlib         3\n\
         2  Syria         1\n\
         3  gas pipeline  1\n\
         \n\
         Dyads\n#  PARTY                 PARTY           REPORTS  COOPERATION  CONFLICT\n\
         1  Recep Tayyip Erdogan  Vladimir Putin  5        5            0\n\
         2  Israel                Turkey          3        0            3\n\
         3  Bashar al-Assad       Vladimir Putin  1        1            0\n"
    );
    let json: Value =
        serde_json::from_str(&stdout_of("top", &["--since", "2021", "--format", "json"]))
            .expect("JSON");
    assert_eq!(json["actors"][0]["entity"]["name"], "Turkey");
    assert_eq!(json["actors"][0]["reports"], 3);
}

#[test]
fn stats_count_what_the_graph_holds() {
    let json: Value =
        serde_json::from_str(&stdout_of("stats", &["--format", "json"])).expect("JSON");
    assert_eq!(json["nodes"], 13);
    assert_eq!(
        json["nodes_by_kind"],
        serde_json::json!({"issue": 2, "person": 5, "place": 1, "state": 5})
    );
    assert_eq!(
        (json["edges"].as_u64(), json["reports"].as_u64(), json["articles"].as_u64()),
        (Some(10), Some(13), Some(13))
    );
    assert_eq!(
        (json["first_date"].as_str(), json["last_date"].as_str()),
        (Some("2019-09-16"), Some("2021-06-10"))
    );
    let roots: Vec<String> = json["roots"]
        .as_array()
        .expect("roots")
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {}",
                r["root"].as_str().unwrap_or("?"),
                r["name"].as_str().unwrap_or("?"),
                r["edges"],
                r["reports"]
            )
        })
        .collect();
    assert_eq!(
        roots,
        [
            "04 consult 5 6",
            "05 engage in diplomatic cooperation 1 1",
            "11 disapprove 3 5",
            "18 assault 1 1"
        ]
    );
    let table = stdout_of("stats", &["--format", "table"]);
    assert!(table.contains("\nreports          13\n"), "{table}");
}

#[test]
fn commands_work_on_a_graph_built_from_the_examples() {
    let dir = tempfile::tempdir().expect("tempdir");
    let examples = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/articles");
    Command::cargo_bin("dipgraph")
        .expect("binary")
        .arg("build")
        .arg(&examples)
        .arg("-o")
        .arg(dir.path())
        .assert()
        .success();
    let output = Command::cargo_bin("dipgraph")
        .expect("binary")
        .args(["stats", "--format", "json"])
        .arg(dir.path())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let stats: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(stats["edges"].as_u64().is_some_and(|n| n > 0));
    let output = Command::cargo_bin("dipgraph")
        .expect("binary")
        .args(["query", "--action", "04", "--format", "json"])
        .arg(dir.path().join("graph.json"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let rows: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert!(rows.as_array().is_some_and(|r| r.iter().all(|row| row["action"]["root"] == "04")));
}
