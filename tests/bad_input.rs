//! End-to-end tests of bad input: each kind a scraper can produce (HTML, Windows-1252, empty
//! files, a PDF renamed .txt, a JSON line cut in half, a huge single line, a lexicon typo,
//! damaged graph files) gets a one-line message naming the file, the right exit code, and
//! every good article's events still in the graph; and an interrupted `build --into` leaves
//! the previous graph as it was. Every input is written by the tests themselves.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn dipgraph() -> Command {
    Command::cargo_bin("dipgraph").expect("binary built")
}

/// Good articles written for these tests: each yields events.
const GOOD: [(&str, &str); 2] = [
    (
        "good-1.txt",
        "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Monday to discuss Ukraine.\n\n\
         Italian Prime Minister Giorgia Meloni condemned the attack on the embassy, her office said.\n",
    ),
    (
        "good-2.txt",
        "Leaders meet in Rome\nhttps://test.example/rome\nPrime Minister Giorgia Meloni hosted President Emmanuel Macron.\n\
         Jun 05, 2023 10:00 UTC\n\n\
         Prime Minister Giorgia Meloni met President Emmanuel Macron in Rome on Monday.\n",
    ),
];

/// A directory holding the good articles.
fn good_articles(dir: &Path) -> PathBuf {
    let articles = dir.join("articles");
    fs::create_dir_all(&articles).expect("mkdir");
    for (name, text) in GOOD {
        fs::write(articles.join(name), text).expect("write");
    }
    articles
}

/// Runs dipgraph; returns its exit code and stderr.
fn run(args: &[&std::ffi::OsStr]) -> (i32, String) {
    let output: Output = dipgraph().args(args).output().expect("runs");
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn os<S: AsRef<std::ffi::OsStr> + ?Sized>(s: &S) -> &std::ffi::OsStr {
    s.as_ref()
}

/// `build ARTICLES -o OUT`, with more arguments; returns the exit code and stderr.
fn build(inputs: &Path, out: &Path, more: &[&str]) -> (i32, String) {
    let mut args = vec![os("build"), os(inputs), os("-o"), os(out)];
    args.extend(more.iter().map(os));
    run(&args)
}

/// The events.jsonl lines of the good articles built alone.
fn good_events(dir: &Path) -> Vec<String> {
    let alone = dir.join("good-alone");
    let (code, err) = build(&good_articles(&dir.join("good-only")), &alone, &[]);
    assert_eq!(code, 0, "{err}");
    let events = fs::read_to_string(alone.join("events.jsonl")).expect("events");
    assert!(events.lines().count() >= 3, "{events}");
    events.lines().map(String::from).collect()
}

/// Every event of the good articles is in `out`'s events.jsonl, and the graph loads.
fn assert_good_events_present(dir: &Path, out: &Path) {
    let events = fs::read_to_string(out.join("events.jsonl")).expect("events written");
    for line in good_events(dir) {
        assert!(events.lines().any(|l| l == line), "missing event {line}");
    }
    let (code, err) = run(&[os("stats"), os(out)]);
    assert_eq!(code, 0, "{err}");
}

/// Every stderr line is one `dipgraph: ` message.
fn assert_one_line_messages(err: &str) {
    for line in err.lines() {
        assert!(line.starts_with("dipgraph: "), "not a message line: {line:?} in {err}");
    }
}

#[test]
fn html_in_a_text_body_is_stripped_and_its_events_found() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = good_articles(dir.path());
    fs::write(
        articles.join("page.txt"),
        "<!DOCTYPE html><html><head><style>p { color: red }</style></head><body>\n\
         <p>President&nbsp;Emmanuel Macron <b>met</b> Chancellor Olaf Scholz in Berlin on Monday.</p>\n\
         <script>var x = \"Putin met Erdogan.\";</script>\n\
         <p>Prime Minister Giorgia Meloni condemned the attack on the embassy &amp; the consulate.</p>\n\
         </body></html>\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    let (code, err) = build(&articles, &out, &[]);
    assert_eq!(code, 0, "{err}");
    let events = fs::read_to_string(out.join("events.jsonl")).expect("events");
    let page: Vec<&str> = events.lines().filter(|l| l.contains("\"id\":\"page\"")).collect();
    assert_eq!(page.len(), 2, "{events}");
    assert!(page[0].contains(
        "\"text\":\"President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Monday.\""
    ));
    assert!(page[1].contains("the attack on the embassy & the consulate."), "{}", page[1]);
    assert!(!events.contains("Erdogan") && !events.contains("<p>") && !events.contains("color"));
    assert_good_events_present(dir.path(), &out);
}

#[test]
fn windows_1252_text_is_decoded_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = good_articles(dir.path());
    // \x92 is the right single quote in Windows-1252, \xe9 an e acute: not UTF-8.
    fs::write(
        articles.join("cp1252.txt"),
        b"President Emmanuel Macron met Chancellor Olaf Scholz in Berlin on Friday to discuss Ukraine\x92s caf\xe9 talks.\n",
    )
    .expect("write");
    let out = dir.path().join("out");
    let (code, err) = build(&articles, &out, &["-q"]);
    assert_eq!(code, 0, "a decoded file is not skipped: {err}");
    assert_one_line_messages(&err);
    assert!(err.contains("cp1252.txt: not UTF-8; read as Windows-1252"), "{err}");
    let events = fs::read_to_string(out.join("events.jsonl")).expect("events");
    assert!(events.contains("to discuss Ukraine’s café talks."), "{events}");
    assert_good_events_present(dir.path(), &out);
}

#[test]
fn empty_files_and_files_without_sentences_are_reported_and_counted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = good_articles(dir.path());
    fs::write(articles.join("empty.txt"), "").expect("write");
    fs::write(articles.join("blank.txt"), "\n   \n\n").expect("write");
    fs::write(articles.join("numbers.txt"), "2024 --- 17:30 ... 42\n").expect("write");
    fs::write(articles.join("nothing.jsonl"), "").expect("write");
    let out = dir.path().join("out");
    let (code, err) = build(&articles, &out, &[]);
    assert_eq!(code, 1, "{err}");
    assert_one_line_messages(&err);
    assert!(err.contains("empty.txt: empty file, no article in it"), "{err}");
    assert!(err.contains("blank.txt: empty file, no article in it"), "{err}");
    assert!(err.contains("numbers.txt: no sentences (the text has no words); skipped"), "{err}");
    assert!(err.contains("nothing.jsonl: empty file, no article in it"), "{err}");
    assert!(err.contains("2 articles (4 skipped, 0 already in the graph)"), "{err}");
    assert_good_events_present(dir.path(), &out);
}

#[test]
fn a_pdf_renamed_txt_and_other_binary_files_are_skipped_with_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = good_articles(dir.path());
    fs::write(
        articles.join("report.txt"),
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
    )
    .expect("write");
    fs::write(articles.join("dump.txt"), [0x00u8, 0x01, 0x02, 0x03, 0xff, 0x10, 0x00, 0x00])
        .expect("write");
    fs::write(articles.join("feed.jsonl"), b"\x1f\x8b\x08\x00\x00\x00\x00\x00").expect("write");
    let out = dir.path().join("out");
    let (code, err) = build(&articles, &out, &[]);
    assert_eq!(code, 1, "{err}");
    assert_one_line_messages(&err);
    assert!(
        err.contains("report.txt: a PDF document, not text; skipped (extract its text first, e.g. with pdftotext)"),
        "{err}"
    );
    assert!(err.contains("dump.txt: binary data, not text; skipped"), "{err}");
    assert!(err.contains("feed.jsonl: gzip-compressed data, not text; skipped"), "{err}");
    assert!(err.contains("(3 skipped,"), "{err}");
    assert_good_events_present(dir.path(), &out);
}

#[test]
fn a_json_line_cut_in_half_is_reported_with_its_line_and_the_others_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = good_articles(dir.path());
    let line = |text: &str| {
        format!("{{\"title\": \"Talks\", \"date\": \"2023-06-05\", \"text\": \"{text}\"}}")
    };
    let first = line("President Emmanuel Macron met Chancellor Olaf Scholz in Paris.");
    let third = line("Prime Minister Giorgia Meloni condemned the attack on the embassy.");
    let cut = &third[..third.len() / 2];
    fs::write(articles.join("wire.jsonl"), format!("{first}\n{cut}\n{third}\n")).expect("write");
    let out = dir.path().join("out");
    let (code, err) = build(&articles, &out, &[]);
    assert_eq!(code, 1, "{err}");
    assert_one_line_messages(&err);
    assert!(
        err.contains(
            "wire.jsonl:2: bad JSON article record: cut short, the line ends inside the record"
        ),
        "{err}"
    );
    let events = fs::read_to_string(out.join("events.jsonl")).expect("events");
    assert!(events.contains("\"id\":\"wire:1\"") && events.contains("\"id\":\"wire:3\""));
    assert!(!events.contains("\"id\":\"wire:2\""));
    assert_good_events_present(dir.path(), &out);
}

#[test]
fn a_huge_single_line_is_skipped_in_bounded_memory_and_the_next_line_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = good_articles(dir.path());
    // 20 MB on one line: over the default 16 MiB limit for one article.
    let sentence = "Prime Minister Giorgia Meloni met President Emmanuel Macron in Rome. ";
    let huge = sentence.repeat(20_000_000 / sentence.len());
    let good = "{\"text\": \"President Emmanuel Macron met Chancellor Olaf Scholz in Paris.\"}";
    fs::write(articles.join("dump.jsonl"), format!("{{\"text\": \"{huge}\"}}\n{good}\n"))
        .expect("write");
    fs::write(articles.join("dump.txt"), &huge).expect("write");
    let out = dir.path().join("out");
    let (code, err) = build(&articles, &out, &[]);
    assert_eq!(code, 1, "{err}");
    assert_one_line_messages(&err);
    assert!(err.contains("dump.jsonl:1: line longer than 16777216 bytes; skipped"), "{err}");
    let over = format!("dump.txt: {} bytes, over the 16777216-byte limit", huge.len());
    assert!(err.contains(&over), "{err}");
    let events = fs::read_to_string(out.join("events.jsonl")).expect("events");
    assert!(events.contains("\"id\":\"dump:2\""), "{events}");
    assert_good_events_present(dir.path(), &out);
    // The limit can be set: here it lets the 20 MB text article through.
    let small = dir.path().join("small");
    fs::create_dir_all(&small).expect("mkdir");
    fs::write(small.join("a.txt"), sentence.repeat(40)).expect("write");
    let (code, err) = build(&small, &dir.path().join("o2"), &["--max-article-bytes", "1000"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("a.txt: 2760 bytes, over the 1000-byte limit"), "{err}");
}

#[test]
fn a_lexicon_typo_is_fatal_with_its_file_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = good_articles(dir.path());
    let lexicons = dir.path().join("lexicon");
    fs::create_dir_all(&lexicons).expect("mkdir");
    fs::write(
        lexicons.join("people.tsv"),
        "# people written for this test\nperson\tJane Roe\talias=Roe\tcountry=FRA\npersn\tJohn Doe\tcountry=GBR\n",
    )
    .expect("write");
    fs::write(lexicons.join("notes.md"), "not a lexicon").expect("write");
    let out = dir.path().join("out");
    let (code, err) = build(&articles, &out, &["--lexicon", lexicons.to_str().expect("utf-8")]);
    assert_eq!(code, 2, "{err}");
    assert_one_line_messages(&err);
    assert!(err.contains("people.tsv:3: unknown record type \"persn\""), "{err}");
    assert!(err.contains("1 bad lexicon record; fix it and run again"), "{err}");
    assert!(!out.exists(), "nothing is written with a broken lexicon");
    // Fixed, the directory's file is read.
    fs::write(lexicons.join("people.tsv"), "person\tJane Roe\talias=Roe\tcountry=FRA\n")
        .expect("write");
    fs::write(articles.join("roe.txt"), "Roe condemned Russia.\n").expect("write");
    let (code, err) = build(&articles, &out, &["--lexicon", lexicons.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    let events = fs::read_to_string(out.join("events.jsonl")).expect("events");
    assert!(events.contains("Jane Roe"), "{events}");
}

#[test]
fn damaged_graph_files_get_one_line_errors_from_query_export_and_merge() {
    let dir = tempfile::tempdir().expect("tempdir");
    let built = dir.path().join("built");
    let (code, err) = build(&good_articles(dir.path()), &built, &[]);
    assert_eq!(code, 0, "{err}");
    let graph = fs::read_to_string(built.join("graph.json")).expect("graph");
    let cases = [
        ("cut.json", graph[..graph.len() / 2].to_string(), "cut.json: not valid JSON at line "),
        (
            "newer.json",
            graph.replace("\"version\":1,", "\"version\":9,"),
            "newer.json: written by graph format version 9",
        ),
        (
            "dangling.json",
            graph.replacen(
                "\"target\":\"person:olaf-scholz\"",
                "\"target\":\"person:nobody\"",
                1,
            ),
            "dangling.json: damaged dipgraph graph file: link e0: target person:nobody, which is not among the nodes",
        ),
        ("empty.json", String::new(), "empty.json: not valid JSON at line 1 column 0"),
        (
            "binary.json",
            "\u{0}\u{1}PK".to_string(),
            "binary.json: not valid JSON at line 1 column 1",
        ),
    ];
    assert!(cases[2].1 != graph, "the dangling case must change the graph");
    let merged = dir.path().join("merged");
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        fs::write(&path, text).expect("write");
        let commands: [Vec<&std::ffi::OsStr>; 3] = [
            vec![os("query"), os(&path), os("--actor"), os("Macron")],
            vec![os("export"), os(&path), os("--format"), os("graphml")],
            vec![os("merge"), os(&built), os(&path), os("-o"), os(&merged)],
        ];
        for args in commands {
            let (code, err) = run(&args);
            assert_eq!(code, 2, "{args:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
            assert!(err.starts_with("dipgraph: ") && err.contains(expected), "{args:?}: {err}");
        }
    }
    assert!(!merged.exists());
}

#[test]
fn strict_stops_at_the_first_bad_input_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = good_articles(dir.path());
    fs::write(articles.join("h-empty.txt"), "").expect("write");
    fs::write(articles.join("z-empty.txt"), "").expect("write");
    let out = dir.path().join("out");
    let (code, err) = build(&articles, &out, &["--strict"]);
    assert_eq!(code, 2, "{err}");
    assert_one_line_messages(&err);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("h-empty.txt: empty file, no article in it (--strict: stopped at the first bad input, nothing written)"), "{err}");
    assert!(!out.exists());
    // Without a bad input, --strict changes nothing.
    let (code, err) = build(&good_articles(&dir.path().join("clean")), &out, &["--strict"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn report_lists_the_skipped_inputs_in_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let articles = good_articles(dir.path());
    fs::write(articles.join("empty.txt"), "").expect("write");
    fs::write(articles.join("w.jsonl"), "{\"text\": \"Fine words.\"}\n{oops\n").expect("write");
    let out = dir.path().join("out");
    let report = dir.path().join("skipped.txt");
    let (code, err) = build(&articles, &out, &["--report", report.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("empty.txt") && !err.contains("w.jsonl:2"), "{err}");
    assert!(err.contains("(2 skipped,") && err.contains("the 2 skipped inputs are listed in"));
    let listed = fs::read_to_string(&report).expect("report");
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(lines[0].ends_with("empty.txt: empty file, no article in it"), "{listed}");
    assert!(lines[1].contains("w.jsonl:2: bad JSON article record"), "{listed}");
    assert_good_events_present(dir.path(), &out);
    // A clean run writes an empty report, so a script can rely on the file.
    let (code, _) = build(
        &good_articles(&dir.path().join("clean")),
        &out,
        &["--report", report.to_str().expect("utf-8")],
    );
    assert_eq!(code, 0);
    assert_eq!(fs::read_to_string(&report).expect("report"), "");
}

#[test]
fn a_failed_write_into_a_graph_leaves_it_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph_dir = dir.path().join("g");
    let (code, err) = build(&good_articles(dir.path()), &graph_dir, &[]);
    assert_eq!(code, 0, "{err}");
    let graph = graph_dir.join("graph.json");
    let before = fs::read(&graph).expect("graph");
    let events_before = fs::read(graph_dir.join("events.jsonl")).expect("events");
    let more = dir.path().join("more");
    fs::create_dir_all(&more).expect("mkdir");
    fs::write(
        more.join("new.txt"),
        "President Emmanuel Macron met Chancellor Olaf Scholz in Paris.\n",
    )
    .expect("write");
    // graph.dot, which the build rewrites beside the graph, cannot be written: it is a directory.
    fs::remove_file(graph_dir.join("graph.dot")).expect("remove");
    fs::create_dir(graph_dir.join("graph.dot")).expect("mkdir");
    let (code, err) = run(&[os("build"), os(&more), os("--into"), os(&graph)]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("graph.dot: is a directory; cannot write a file there"), "{err}");
    assert_eq!(fs::read(&graph).expect("graph"), before);
    assert_eq!(fs::read(graph_dir.join("events.jsonl")).expect("events"), events_before);
    let (code, err) = run(&[os("stats"), os(&graph)]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_build_into_killed_part_way_leaves_the_previous_graph_intact() {
    let dir = tempfile::tempdir().expect("tempdir");
    let graph_dir = dir.path().join("g");
    let (code, err) = build(&good_articles(dir.path()), &graph_dir, &[]);
    assert_eq!(code, 0, "{err}");
    let graph = graph_dir.join("graph.json");
    let before = fs::read(&graph).expect("graph");
    let corpus = dir.path().join("corpus");
    let (code, err) = run(&[
        os("gen-corpus"),
        os("--articles"),
        os("3000"),
        os("--jsonl"),
        os("-o"),
        os(&corpus),
    ]);
    assert_eq!(code, 0, "{err}");
    let binary = assert_cmd::cargo::cargo_bin("dipgraph");
    let spawn = || {
        std::process::Command::new(&binary)
            .args([
                os("build"),
                os("-q"),
                os("--threads"),
                os("1"),
                os(&corpus),
                os("--into"),
                os(&graph),
            ])
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("spawns")
    };
    // How long a whole run takes (into a copy), to kill the others part way through it.
    let copy_dir = dir.path().join("copy");
    fs::create_dir_all(&copy_dir).expect("mkdir");
    fs::copy(&graph, copy_dir.join("graph.json")).expect("copy");
    let started = std::time::Instant::now();
    let status = std::process::Command::new(&binary)
        .args([
            os("build"),
            os("-q"),
            os("--threads"),
            os("1"),
            os(&corpus),
            os("--into"),
            os(&copy_dir),
        ])
        .status()
        .expect("runs");
    assert!(status.success());
    let whole = started.elapsed();
    let mut killed_before_the_end = 0;
    for tenth in [1u32, 3, 5, 7, 9] {
        let mut child = spawn();
        std::thread::sleep(whole * tenth / 10);
        let finished = child.try_wait().expect("status").is_some();
        child.kill().ok();
        child.wait().expect("waits");
        if !finished {
            killed_before_the_end += 1;
        }
        let now = fs::read(&graph).expect("graph still there");
        if now != before {
            // The run got to its last rename: then the graph is the complete new one.
            assert_eq!(now, fs::read(copy_dir.join("graph.json")).expect("copy"));
            fs::write(&graph, &before).expect("restore");
        }
        let (code, err) = run(&[os("stats"), os(&graph)]);
        assert_eq!(code, 0, "after a kill at {tenth}/10: {err}");
    }
    assert!(killed_before_the_end >= 3, "the runs were not killed part way");
}
