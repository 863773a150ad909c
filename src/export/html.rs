//! The graph as one self-contained HTML page: open it in a browser, offline, and explore the
//! events. Everything the page needs is inside the file: the CSS, the script (its own seeded
//! force-directed layout, drawing into SVG) and the graph as JSON. A Content-Security-Policy
//! forbids every fetch, so the page cannot reach the network even by mistake; article URLs are
//! only links the reader may follow.
//!
//! The data block is JSON inside `<script type="application/json">`. Article sentences are
//! arbitrary text, so the JSON is escaped for that context: `<`, `>` and `&` become `\u003c`,
//! `\u003e` and `\u0026`, which keeps a sentence containing `</script>` or `<!--` from ending
//! or confusing the block, and U+2028/U+2029 are escaped for older JavaScript parsers. The
//! script inserts all text with `textContent` and only makes links of http(s) URLs.
//!
//! The output is deterministic: nodes and edges in the graph's sorted order, no timestamps, and
//! a layout seeded with a constant, so the same graph gives byte-identical HTML and the same
//! picture in every browser.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::graph::KnowledgeGraph;
use crate::model::{Entity, EntityKind, Provenance};
use crate::query::report::ROOT_NAMES;

/// The page's stylesheet, inlined.
const CSS: &str = include_str!("html/view.css");
/// The page's script, inlined: layout, drawing, tooltips, filters, search, pan and zoom.
const JS: &str = include_str!("html/view.js");

/// The graph as a self-contained HTML document (see the module documentation).
///
/// ```
/// use dipgraph::{export::html::to_html, graph::KnowledgeGraph};
/// let html = to_html(&KnowledgeGraph::new());
/// assert!(html.starts_with("<!DOCTYPE html>"));
/// assert!(html.contains(r#"<script type="application/json" id="dipgraph-data">"#));
/// ```
pub fn to_html(graph: &KnowledgeGraph) -> String {
    let data = view_data(graph);
    // Serialising plain structs of strings, numbers and dates cannot fail; should it ever, the
    // page says the data is missing rather than the export failing.
    let json = serde_json::to_string(&data).unwrap_or_else(|_| String::from("null"));
    let mut html = String::with_capacity(CSS.len() + JS.len() + json.len() + 4096);
    html.push_str(HEAD_START);
    html.push_str(&format!(
        "<meta name=\"generator\" content=\"dipgraph {}\">\n",
        env!("CARGO_PKG_VERSION")
    ));
    html.push_str("<title>dipgraph: diplomatic events</title>\n<style>\n");
    html.push_str(CSS);
    html.push_str("</style>\n</head>\n<body>\n<header>\n");
    html.push_str("<h1>dipgraph: knowledge graph of diplomatic events</h1>\n");
    // Only numbers and ISO dates: nothing here needs HTML escaping.
    html.push_str(&format!("<p id=\"note\">{}</p>\n</header>\n", note(&data.meta)));
    html.push_str(BODY);
    html.push_str("<script type=\"application/json\" id=\"dipgraph-data\">");
    html.push_str(&escape_script_json(&json));
    html.push_str("</script>\n<script>\n");
    html.push_str(JS);
    html.push_str("</script>\n</body>\n</html>\n");
    html
}

const HEAD_START: &str = r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">
"#;

/// The static page: controls, the SVG the script draws into, and the details panel.
const BODY: &str = r#"<div id="app">
<aside id="controls">
<h2>Search</h2>
<input type="search" id="search" placeholder="Name, e.g. Erdogan" autocomplete="off" aria-label="Search nodes by name">
<button type="button" id="focus">Zoom to matches</button>
<div id="matches" aria-live="polite"></div>
<h2>Dates</h2>
<label>From <input type="date" id="date-from"></label>
<label>To <input type="date" id="date-to"></label>
<label><input type="checkbox" id="undated" checked> undated events</label>
<h2>CAMEO roots</h2>
<div><button type="button" id="roots-all">All</button> <button type="button" id="roots-none">None</button></div>
<div id="roots"></div>
<div id="counts" aria-live="polite"></div>
<h2>Nodes by kind</h2>
<div id="legend-kinds"></div>
<h2>Edges by quad class</h2>
<div id="legend-quads"></div>
<p class="muted">Edge width grows with the number of reports. Dashed lines join an actor to its other participants. Drag to pan, wheel to zoom; click a node or an edge for details.</p>
</aside>
<main id="stage">
<svg id="graph" role="img" aria-label="Graph of entities and events"></svg>
<div id="status">This view needs JavaScript; the same graph is in graph.json.</div>
<div id="zoom"><button type="button" id="zoom-in" aria-label="Zoom in">+</button><button type="button" id="zoom-out" aria-label="Zoom out">&minus;</button><button type="button" id="zoom-fit">Fit</button></div>
</main>
<aside id="details">
<h2>Details</h2>
<div id="details-body" class="muted">Hover over a node or an edge; click it to keep its details here, with links to the articles.</div>
</aside>
</div>
<div id="tip" hidden></div>
"#;

/// Everything the page's script reads.
#[derive(Debug, Serialize)]
struct ViewData<'a> {
    meta: Meta,
    nodes: Vec<&'a Entity>,
    edges: Vec<ViewEdge<'a>>,
}

/// Totals for the title line, and what the filters and legend offer.
#[derive(Debug, Serialize)]
struct Meta {
    /// Distinct events (edges).
    events: usize,
    /// Reports of them (sources).
    reports: usize,
    /// Distinct articles among the sources.
    articles: usize,
    first_date: Option<NaiveDate>,
    last_date: Option<NaiveDate>,
    /// Entity kinds present, in the model's order.
    kinds: Vec<&'static str>,
    /// CAMEO roots present, ascending.
    roots: Vec<RootInfo>,
}

#[derive(Debug, Serialize)]
struct RootInfo {
    root: String,
    name: &'static str,
    quad_class: &'static str,
    /// Number of edges with this root.
    events: usize,
}

/// One edge, with the same field names as the links of `graph.json` (`id` is its `key`).
#[derive(Debug, Serialize)]
struct ViewEdge<'a> {
    id: String,
    source: &'a str,
    target: &'a str,
    verb: &'a str,
    cameo: &'a str,
    root: &'a str,
    quad_class: &'static str,
    count: usize,
    first_date: Option<NaiveDate>,
    last_date: Option<NaiveDate>,
    topic: Option<&'a str>,
    participants: Vec<&'a str>,
    symmetric: bool,
    sources: Vec<&'a Provenance>,
}

fn view_data(graph: &KnowledgeGraph) -> ViewData<'_> {
    let mut roots: BTreeMap<&str, (&'static str, usize)> = BTreeMap::new();
    let mut articles = BTreeSet::new();
    let mut reports = 0;
    let mut dates = BTreeSet::new();
    let edges: Vec<ViewEdge<'_>> = graph
        .edges()
        .enumerate()
        .map(|(index, edge)| {
            let cameo = &edge.key.action.cameo;
            roots.entry(cameo.root()).or_insert((cameo.quad_class().as_str(), 0)).1 += 1;
            reports += edge.count();
            for source in &edge.sources {
                articles.insert(source.article.as_str());
                dates.extend(source.date);
            }
            ViewEdge {
                // The same key as graph.json's links, so a user can find the edge there.
                id: format!("e{index}"),
                source: edge.key.actor.as_str(),
                target: edge.target().as_str(),
                verb: &edge.key.action.verb,
                cameo: cameo.code(),
                root: cameo.root(),
                quad_class: cameo.quad_class().as_str(),
                count: edge.count(),
                first_date: edge.first_date(),
                last_date: edge.last_date(),
                topic: edge.key.topic.as_ref().map(|t| t.as_str()),
                participants: edge.key.participants.iter().map(|p| p.as_str()).collect(),
                symmetric: edge.symmetric,
                sources: edge.sources.iter().collect(),
            }
        })
        .collect();
    let kinds: BTreeSet<EntityKind> = graph.entities().map(|e| e.kind).collect();
    let meta = Meta {
        events: edges.len(),
        reports,
        articles: articles.len(),
        first_date: dates.first().copied(),
        last_date: dates.last().copied(),
        kinds: kinds.into_iter().map(EntityKind::as_str).collect(),
        roots: roots
            .into_iter()
            .map(|(root, (quad_class, events))| RootInfo {
                root: root.to_string(),
                name: root_name(root),
                quad_class,
                events,
            })
            .collect(),
    };
    ViewData { meta, nodes: graph.entities().collect(), edges }
}

/// The CAMEO category name of a root such as `"04"`; empty for anything else.
fn root_name(root: &str) -> &'static str {
    root.parse::<usize>()
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| ROOT_NAMES.get(i))
        .copied()
        .unwrap_or("")
}

/// The one-line summary under the title.
fn note(meta: &Meta) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut text = format!(
        "{} ({}) from {}",
        plural(meta.events, "event", "events"),
        plural(meta.reports, "report", "reports"),
        plural(meta.articles, "article", "articles"),
    );
    match (meta.first_date, meta.last_date) {
        (Some(first), Some(last)) if first == last => text.push_str(&format!(", on {first}")),
        (Some(first), Some(last)) => text.push_str(&format!(", dated {first} to {last}")),
        _ => {}
    }
    text.push('.');
    text
}

/// JSON made safe inside `<script>`: `<`, `>`, `&`, U+2028 and U+2029 as `\u` escapes. They can
/// only occur inside JSON strings, where the escape means the same character, so the value is
/// unchanged; and without `<` the HTML parser cannot see `</script` or `<!--` in the block.
fn escape_script_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 32);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use proptest::prelude::*;

    use super::*;
    use crate::model::{Action, ArticleRef, Cameo, EntityId, Event, SentenceRef};

    const OPEN: &str = r#"<script type="application/json" id="dipgraph-data">"#;

    /// The text of the data block, up to the first `</script` as an HTML parser would stop.
    fn data_block(html: &str) -> &str {
        let start = html.find(OPEN).map(|i| i + OPEN.len()).expect("data block opens");
        let rest = &html[start..];
        let end = rest.to_ascii_lowercase().find("</script").expect("data block closes");
        &rest[..end]
    }

    fn parse_data(html: &str) -> serde_json::Value {
        serde_json::from_str(data_block(html)).expect("data block is JSON")
    }

    fn entity(kind: EntityKind, name: &str) -> Entity {
        Entity::from(crate::model::EntityFields {
            id: EntityId::new(kind, name),
            name: name.into(),
            kind,
            country: None,
        })
    }

    fn event(article: &str, sentence: &str, code: &str, topic: Option<&str>, day: u32) -> Event {
        Event {
            article: Arc::new(ArticleRef {
                id: article.into(),
                url: Some(format!("https://news.example/{article}")),
                title: None,
                published: None,
            }),
            sentence: SentenceRef { index: 3, text: sentence.into() },
            actor: entity(EntityKind::State, "AAA"),
            action: Action {
                verb: if code == "040" { "discuss" } else { "criticize" }.into(),
                cameo: Cameo::parse(code).expect("code"),
            },
            topic: topic.map(|t| entity(EntityKind::Issue, t)),
            participants: vec![
                entity(EntityKind::Person, "Ana Núñez"),
                entity(EntityKind::State, "BBB"),
            ],
            date: NaiveDate::from_ymd_opt(2024, 3, day),
            symmetric: topic.is_some(),
        }
    }

    fn small_graph() -> KnowledgeGraph {
        let mut graph = KnowledgeGraph::new();
        graph.add_event(&event("a1", "AAA and BBB discussed trade.", "040", Some("trade"), 5));
        graph.add_event(&event("a2", "They discussed trade again.", "040", Some("trade"), 7));
        graph.add_event(&event("a2", "AAA condemned BBB.", "111", None, 7));
        graph
    }

    fn examples_graph() -> KnowledgeGraph {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("output/graph.json");
        let (_, file) = crate::export::json::read_graph_file(&path).expect("output/graph.json");
        KnowledgeGraph::from_graph_file(file).expect("valid graph")
    }

    #[test]
    fn data_block_parses_back_with_the_graph_counts() {
        let graph = small_graph();
        let data = parse_data(&to_html(&graph));
        assert_eq!(data["nodes"].as_array().map(Vec::len), Some(graph.node_count()));
        assert_eq!(data["edges"].as_array().map(Vec::len), Some(graph.edge_count()));
        assert_eq!(data["meta"]["events"], 2);
        assert_eq!(data["meta"]["reports"], 3);
        assert_eq!(data["meta"]["articles"], 2);
        assert_eq!(data["meta"]["first_date"], "2024-03-05");
        assert_eq!(data["meta"]["roots"][0]["root"], "04");
        assert_eq!(data["meta"]["roots"][0]["name"], "consult");
        assert_eq!(data["meta"]["roots"][1]["quad_class"], "verbal_conflict");
        assert_eq!(data["meta"]["kinds"], serde_json::json!(["person", "state", "issue"]));
        // Edges in key order: "criticize" sorts before "discuss".
        assert_eq!(data["edges"][0]["verb"], "criticize");
        let trade = &data["edges"][1];
        assert_eq!(trade["id"], "e1");
        assert_eq!(trade["source"], "state:AAA");
        assert_eq!(trade["target"], "issue:trade");
        assert_eq!(trade["count"], 2);
        assert_eq!(trade["participants"][0], "person:ana-nunez");
        assert_eq!(trade["sources"][1]["sentence"], "They discussed trade again.");
        assert_eq!(trade["sources"][1]["url"], "https://news.example/a2");
        assert_eq!(data["nodes"][0]["name"], "trade");
        assert!(to_html(&graph).contains(
            "<p id=\"note\">2 events (3 reports) from 2 articles, dated 2024-03-05 to 2024-03-07.</p>"
        ));
    }

    #[test]
    fn edge_ids_match_the_keys_of_graph_json() {
        let graph = examples_graph();
        let file = crate::export::json::graph_file(&graph);
        let data = parse_data(&to_html(&graph));
        let ids: Vec<&str> = data["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["id"].as_str().expect("id"))
            .collect();
        let keys: Vec<&str> = file.links.iter().map(|l| l.key.as_str()).collect();
        assert_eq!(ids, keys);
        assert_eq!(data["nodes"].as_array().map(Vec::len), Some(graph.node_count()));
    }

    /// Outside the data block nothing may point at the network: no http(s) or protocol-relative
    /// src/href, no CSS url() or @import, no fetching script. The only "http" is the SVG
    /// namespace name, which is an identifier, not a resource.
    #[test]
    fn nothing_is_loaded_from_outside_the_file() {
        let html = to_html(&examples_graph());
        let block = data_block(&html);
        assert!(block.contains("https://"), "article URLs stay in the data");
        let outside = html.replacen(block, "", 1);
        let lower = outside.to_ascii_lowercase();
        let svg_ns = "'http://www.w3.org/2000/svg'";
        let absolute = lower.matches("http://").count() + lower.matches("https://").count();
        assert_eq!(absolute, lower.matches(svg_ns).count());
        assert_eq!(absolute, 1);
        assert!(!lower.contains("//cdn"));
        for forbidden in [
            "src=\"//",
            "href=\"//",
            "@import",
            "fetch(",
            "xmlhttprequest",
            "import(",
            "<link",
            "<img",
            "<iframe",
            "websocket",
            "eventsource",
            "sendbeacon",
            ".src =",
        ] {
            assert!(!lower.contains(forbidden), "found {forbidden:?}");
        }
        // url() only as the script's own function name and as in-page marker references.
        let urls = lower.matches("url(").count();
        assert_eq!(urls, lower.matches("safeurl(").count() + lower.matches("'url(#").count());
        assert!(lower.contains("content-security-policy\" content=\"default-src 'none'"));
    }

    #[test]
    fn inline_code_cannot_close_its_own_tags() {
        for code in [CSS, JS] {
            let lower = code.to_ascii_lowercase();
            assert!(!lower.contains("</script") && !lower.contains("</style"));
            assert!(!lower.contains("<!--"));
        }
        let html = to_html(&small_graph());
        assert_eq!(html.to_ascii_lowercase().matches("</script").count(), 2);
    }

    #[test]
    fn same_graph_gives_byte_identical_html() {
        let graph = examples_graph();
        assert_eq!(to_html(&graph), to_html(&graph.clone()));
        // Built in another order, the graph is equal, and so is its page.
        let mut reversed = KnowledgeGraph::new();
        let events = [
            event("a2", "AAA condemned BBB.", "111", None, 7),
            event("a2", "They discussed trade again.", "040", Some("trade"), 7),
            event("a1", "AAA and BBB discussed trade.", "040", Some("trade"), 5),
        ];
        events.iter().for_each(|e| reversed.add_event(e));
        assert_eq!(to_html(&reversed), to_html(&small_graph()));
    }

    #[test]
    fn empty_graph_still_makes_a_page() {
        let html = to_html(&KnowledgeGraph::new());
        let data = parse_data(&html);
        assert_eq!(data["nodes"], serde_json::json!([]));
        assert!(html.contains("<p id=\"note\">0 events (0 reports) from 0 articles.</p>"));
    }

    #[test]
    fn escaping_keeps_the_value_and_hides_markup() {
        let nasty = "</script><!-- a & b > c \u{2028}\u{2029} \\ \"q\"";
        let json = serde_json::to_string(nasty).expect("json");
        let escaped = escape_script_json(&json);
        for raw in ['<', '>', '&', '\u{2028}', '\u{2029}'] {
            assert!(!escaped.contains(raw), "{raw:?} left raw");
        }
        assert_eq!(serde_json::from_str::<String>(&escaped).expect("parses"), nasty);
    }

    #[test]
    fn root_names_cover_every_root() {
        assert_eq!(root_name("01"), "make public statement");
        assert_eq!(root_name("20"), "use unconventional mass violence");
        assert_eq!(root_name("00"), "");
        assert_eq!(root_name("x"), "");
    }

    /// Text that tries to break out of a script block, mixed with arbitrary strings.
    fn hostile_text() -> impl Strategy<Value = String> {
        let pieces = prop_oneof![
            Just("</script>".to_string()),
            Just("</SCRIPT ".to_string()),
            Just("<!--".to_string()),
            Just("<script>".to_string()),
            Just("]]>".to_string()),
            Just("&amp;".to_string()),
            Just("\u{2028}\u{2029}".to_string()),
            Just("\\u003c".to_string()),
            any::<String>(),
        ];
        prop::collection::vec(pieces, 0..5).prop_map(|parts| parts.concat())
    }

    proptest! {
        #[test]
        fn arbitrary_names_and_sentences_never_escape_the_data_block(
            name in hostile_text(),
            sentence in hostile_text(),
            url in hostile_text(),
        ) {
            let mut graph = KnowledgeGraph::new();
            let actor = Entity::from(crate::model::EntityFields {
                id: EntityId(format!("person:{name}")),
                name: name.clone(),
                kind: EntityKind::Person,
                country: Some(name.clone()),
            });
            graph.add_event(&Event {
                article: Arc::new(ArticleRef {
                    id: name.clone(),
                    url: Some(url.clone()),
                    title: None,
                    published: None,
                }),
                sentence: SentenceRef { index: 0, text: sentence.as_str().into() },
                actor: actor.clone(),
                action: Action {
                    verb: name.as_str().into(),
                    cameo: Cameo::parse("112").expect("code"),
                },
                topic: Some(entity(EntityKind::Issue, "trade")),
                participants: vec![],
                date: None,
                symmetric: false,
            });
            let html = to_html(&graph);
            let block = data_block(&html);
            let lower = block.to_lowercase();
            prop_assert!(!lower.contains("</script"));
            prop_assert!(!block.contains('<') && !block.contains('>') && !block.contains('&'));
            let separators = ['\u{2028}', '\u{2029}'];
            prop_assert!(!block.contains(separators), "raw line separator in the block");
            // The block ends where the real closing tag is, and holds exactly the data.
            prop_assert!(html[html.find(block).expect("block") + block.len()..]
                .starts_with("</script>\n<script>\n"));
            let parsed: serde_json::Value = serde_json::from_str(block).expect("parses");
            let expected = serde_json::to_value(view_data(&graph)).expect("value");
            prop_assert_eq!(&parsed, &expected);
            let person = parsed["nodes"]
                .as_array()
                .and_then(|nodes| nodes.iter().find(|n| n["kind"] == "person"))
                .expect("the actor");
            prop_assert_eq!(person["name"].as_str(), Some(name.as_str()));
            prop_assert_eq!(parsed["edges"][0]["sources"][0]["sentence"].as_str(), Some(sentence.as_str()));
            prop_assert_eq!(parsed["edges"][0]["sources"][0]["url"].as_str(), Some(url.as_str()));
        }
    }

    /// Writes the examples' view to `target/html-check/graph.html` for `.ci/check_html.sh`:
    /// `cargo test --lib write_examples_view -- --ignored`.
    #[test]
    #[ignore = "writes a file for the Chromium check"]
    fn write_examples_view() {
        let graph = examples_graph();
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
        let path = target.join("html-check").join("graph.html");
        crate::export::write_atomic(&path, to_html(&graph).as_bytes()).expect("write");
        println!("{} nodes, {} edges: {}", graph.node_count(), graph.edge_count(), path.display());
    }

    /// A generated graph of `DIPGRAPH_HTML_NODES` nodes (default 3000) with about 1.5 edges per
    /// node, written to `target/html-check/large.html`, to time the layout's grid mode:
    /// `cargo test --lib write_large_view -- --ignored`.
    #[test]
    #[ignore = "writes a file for timing the layout in a browser"]
    fn write_large_view() {
        let nodes: usize =
            std::env::var("DIPGRAPH_HTML_NODES").ok().and_then(|n| n.parse().ok()).unwrap_or(3000);
        let mut graph = KnowledgeGraph::new();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |bound: usize| {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            usize::try_from(state >> 33).expect("31 bits fit") % bound
        };
        let codes = ["010", "020", "036", "042", "057", "061", "111", "120", "138", "163", "190"];
        for i in 0..nodes * 3 / 2 {
            // Mostly local links (as news clusters around a crisis), some long-range ones.
            let a = i % nodes;
            let b = if next(4) == 0 { next(nodes) } else { (a + 1 + next(20)) % nodes };
            let mut e = event("big", &format!("Sentence {i}."), "040", None, 1 + (i % 28) as u32);
            let kinds = [EntityKind::State, EntityKind::Person, EntityKind::Organization];
            e.actor = entity(kinds[a % 3], &format!("Node {a}"));
            e.participants = vec![entity(kinds[b % 3], &format!("Node {b}"))];
            e.action.cameo = Cameo::parse(codes[next(codes.len())]).expect("code");
            e.sentence.index = i;
            graph.add_event(&e);
        }
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
        let path = target.join("html-check").join("large.html");
        crate::export::write_atomic(&path, to_html(&graph).as_bytes()).expect("write");
        println!("{} nodes, {} edges: {}", graph.node_count(), graph.edge_count(), path.display());
    }
}
