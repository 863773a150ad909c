//! The graph as Graphviz DOT, built through graphviz-rust's syntax tree. graphviz-rust prints
//! strings exactly as stored and never escapes them, so every string goes through [`quoted`],
//! the one place that escapes for DOT.

use std::collections::BTreeMap;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Subgraph, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use super::view::{events_view, ViewEdge, ViewGraph};
use crate::graph::{EdgeRef, EventEdge, KnowledgeGraph, SourceRef};
use crate::model::{EntityKind, QuadClass};

/// A DOT string literal: quotes around, with `\`, `"` and line breaks escaped.
pub fn quoted(text: &str) -> Id {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    // Copy the runs between special characters whole: tooltips carry whole sentences. The
    // special characters are ASCII, so every cut falls between characters.
    let mut rest = text;
    loop {
        let run = plain_run(rest.as_bytes());
        out.push_str(&rest[..run]);
        let Some(&byte) = rest.as_bytes().get(run) else { break };
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            _ => {} // a carriage return is dropped
        }
        rest = &rest[run + 1..];
    }
    out.push('"');
    Id::Escaped(out)
}

/// The length of the run of bytes at the start of `bytes` that [`quoted`] copies as they are,
/// eight bytes tested at a time.
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Nonzero exactly when some byte of `word` equals `byte` (the zero-byte bit trick, exact
    // as a yes or no).
    let has = |word: u64, byte: u8| {
        let diff = word ^ (ONES * u64::from(byte));
        diff.wrapping_sub(ONES) & !diff & HIGH
    };
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut eight = [0; 8];
        eight.copy_from_slice(chunk);
        let word = u64::from_le_bytes(eight);
        if has(word, b'"') | has(word, b'\\') | has(word, b'\n') | has(word, b'\r') != 0 {
            break;
        }
        at += 8;
    }
    at + bytes[at..].iter().take_while(|b| !matches!(b, b'"' | b'\\' | b'\n' | b'\r')).count()
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_string()), quoted(value))
}

fn node_id(id: &str) -> NodeId {
    NodeId(quoted(id), None)
}

fn shape(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "ellipse",
        EntityKind::State => "box",
        EntityKind::Organization => "hexagon",
        EntityKind::Group => "octagon",
        EntityKind::Place => "house",
        EntityKind::Issue => "note",
        EntityKind::Unknown => "plain",
    }
}

fn fill(kind: EntityKind) -> &'static str {
    match kind {
        EntityKind::Person => "#fde9c9",
        EntityKind::State => "#d6e6f5",
        EntityKind::Organization => "#e3d9f2",
        EntityKind::Group => "#f5d0d0",
        EntityKind::Place => "#d9f0d9",
        EntityKind::Issue => "#f2f2f2",
        EntityKind::Unknown => "#ffffff",
    }
}

/// Edge colour by quad class: cooperation green/blue, conflict orange/red.
pub fn quad_colour(class: QuadClass) -> &'static str {
    match class {
        QuadClass::VerbalCooperation => "#2b7bba",
        QuadClass::MaterialCooperation => "#1a9850",
        QuadClass::VerbalConflict => "#f46d43",
        QuadClass::MaterialConflict => "#d73027",
    }
}

/// How a DOT picture is laid out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DotOptions {
    /// Group the nodes of each country in a box (a Graphviz cluster).
    pub clusters: bool,
}

/// The whole graph (events view) as a DOT syntax tree.
pub fn to_graph(graph: &KnowledgeGraph) -> Graph {
    view_to_graph(&events_view(graph), DotOptions::default())
}

/// A view as a DOT syntax tree: node shape and fill by kind, edge colour by CAMEO quad class,
/// edge width by report count, the action as the edge label and the sources as its tooltip.
pub fn view_to_graph(view: &ViewGraph, options: DotOptions) -> Graph {
    let mut stmts = preamble();
    stmts.extend(node_stmts(view, options));
    stmts.extend(view.edges.iter().map(edge_stmt));
    stmts.extend(view.companions.iter().map(|(a, p)| companion_stmt(a, p)));
    digraph(stmts)
}

/// The graph around its statements.
pub fn digraph(stmts: Vec<Stmt>) -> Graph {
    Graph::DiGraph { id: Id::Plain("dipgraph".into()), strict: false, stmts }
}

/// The graph, node and edge defaults every picture starts with.
pub fn preamble() -> Vec<Stmt> {
    vec![
        Stmt::GAttribute(GraphAttributes::Graph(vec![
            attr("rankdir", "LR"),
            attr("overlap", "false"),
            attr("charset", "UTF-8"),
            attr("fontname", "Helvetica"),
        ])),
        Stmt::GAttribute(GraphAttributes::Node(vec![
            attr("style", "filled"),
            attr("fontname", "Helvetica"),
            attr("fontsize", "11"),
        ])),
        Stmt::GAttribute(GraphAttributes::Edge(vec![
            attr("fontname", "Helvetica"),
            attr("fontsize", "9"),
        ])),
    ]
}

/// The view's nodes, in a cluster per country when asked, named by the country's state node
/// when the view has one.
pub fn node_stmts(view: &ViewGraph, options: DotOptions) -> Vec<Stmt> {
    let mut stmts = Vec::with_capacity(view.nodes.len());
    let mut clusters: BTreeMap<&str, Vec<Stmt>> = BTreeMap::new();
    for node in &view.nodes {
        let mut attributes = vec![
            attr("label", &node.label),
            attr("shape", shape(node.kind)),
            attr("fillcolor", fill(node.kind)),
        ];
        if let Some(country) = &node.country {
            attributes.push(attr(
                "tooltip",
                &format!("{} ({}, {country})", node.label, node.kind.as_str()),
            ));
        }
        let stmt = Stmt::Node(Node::new(node_id(&node.id), attributes));
        match (&node.country, options.clusters) {
            (Some(country), true) => clusters.entry(country).or_default().push(stmt),
            _ => stmts.push(stmt),
        }
    }
    for (country, members) in clusters {
        let name = view
            .nodes
            .iter()
            .find(|n| n.kind == EntityKind::State && n.country.as_deref() == Some(country))
            .map_or(country, |n| n.label.as_str());
        let mut body = vec![Stmt::Attribute(attr("label", name))];
        body.push(Stmt::Attribute(attr("style", "rounded")));
        body.push(Stmt::Attribute(attr("color", "#bbbbbb")));
        body.extend(members);
        stmts.push(Stmt::Subgraph(Subgraph {
            id: quoted(&format!("cluster_{country}")),
            stmts: body,
        }));
    }
    stmts
}

/// Sources listed in an edge's tooltip; a tooltip of thousands of sentences helps nobody, and
/// `graph.json` keeps them all.
pub const TOOLTIP_SOURCES: usize = 20;

/// One edge of a view.
pub fn edge_stmt(edge: &ViewEdge) -> Stmt {
    let shown = EdgeShown {
        source: &edge.source,
        target: &edge.target,
        label: &edge.label,
        count: edge.count,
        quad_class: edge.quad_class,
        undirected: edge.undirected,
    };
    shown.stmt(edge.sources.iter().map(SourceRef::from), edge.sources.len())
}

/// The `index`th edge of the events view, the statement [`edge_stmt`] makes of
/// [`super::view::event_edge`] (a test holds them equal), without first copying every report
/// and attribute of the edge into a view edge: `build` writes one per edge of the graph.
pub fn event_edge_stmt(edge: &EventEdge) -> Stmt {
    event_edge_ref_stmt(&EdgeRef::from(edge))
}

/// [`event_edge_stmt`] of an edge whose strings are borrowed (what `build` writes from its
/// spilled graph).
pub fn event_edge_ref_stmt(edge: &EdgeRef<'_>) -> Stmt {
    let cameo = &edge.action.cameo;
    let count = edge.count();
    let label = if count > 1 {
        format!("{} ({}) ×{count}", edge.action.verb, cameo.code())
    } else {
        format!("{} ({})", edge.action.verb, cameo.code())
    };
    let shown = EdgeShown {
        source: edge.actor.as_str(),
        target: edge.target().as_str(),
        label: &label,
        count,
        quad_class: cameo.quad_class(),
        undirected: edge.symmetric && edge.topic.is_none(),
    };
    shown.stmt(edge.sources.iter().copied(), edge.sources.len())
}

/// What an edge statement shows of an edge, borrowed from a view edge or a graph edge.
struct EdgeShown<'a> {
    source: &'a str,
    target: &'a str,
    label: &'a str,
    count: usize,
    quad_class: QuadClass,
    undirected: bool,
}

impl EdgeShown<'_> {
    /// The statement, its tooltip made of the first of `sources` (of `total`).
    fn stmt<'p>(&self, sources: impl Iterator<Item = SourceRef<'p>>, total: usize) -> Stmt {
        // One string for the whole tooltip: it is quoted once, then dropped.
        let mut tooltip = String::new();
        for (n, s) in sources.take(TOOLTIP_SOURCES).enumerate() {
            if n > 0 {
                tooltip.push('\n');
            }
            tooltip.push_str(s.url.unwrap_or(s.article));
            tooltip.push_str(" #");
            tooltip.push_str(itoa::Buffer::new().format(s.sentence_index));
            tooltip.push_str(": ");
            tooltip.push_str(s.sentence);
        }
        if total > TOOLTIP_SOURCES {
            tooltip.push('\n');
            tooltip.push_str("… ");
            tooltip.push_str(itoa::Buffer::new().format(total - TOOLTIP_SOURCES));
            tooltip.push_str(" more reports");
        }
        let penwidth = 1.0 + (self.count.max(1) as f64).log2();
        let colour = quad_colour(self.quad_class);
        let mut attributes = vec![
            attr("label", self.label),
            attr("color", colour),
            attr("fontcolor", colour),
            attr("penwidth", &format!("{penwidth:.2}")),
            attr("tooltip", &tooltip),
        ];
        if self.undirected {
            attributes.push(attr("dir", "none"));
        }
        Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(node_id(self.source)), Vertex::N(node_id(self.target))),
            attributes,
        })
    }
}

/// Participants of topical events: a light undirected "with" link between the parties.
pub fn companion_stmt(actor: &str, participant: &str) -> Stmt {
    Stmt::Edge(Edge {
        ty: EdgeTy::Pair(Vertex::N(node_id(actor)), Vertex::N(node_id(participant))),
        attributes: vec![
            attr("style", "dashed"),
            attr("color", "#999999"),
            attr("dir", "none"),
            attr("label", "with"),
            attr("fontcolor", "#999999"),
        ],
    })
}

/// The whole graph as DOT text (what `build` writes as `graph.dot`).
pub fn to_dot(graph: &KnowledgeGraph) -> String {
    print_dot(&to_graph(graph))
}

/// A view as DOT text.
pub fn view_to_dot(view: &ViewGraph, options: DotOptions) -> String {
    print_dot(&view_to_graph(view, options))
}

/// A picture format Graphviz draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Picture {
    /// SVG, with the tooltips.
    Svg,
    /// PNG.
    Png,
    /// PDF.
    Pdf,
}

impl Picture {
    /// Every picture format.
    pub const ALL: [Picture; 3] = [Picture::Svg, Picture::Png, Picture::Pdf];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Picture::Svg => "svg",
            Picture::Png => "png",
            Picture::Pdf => "pdf",
        }
    }

    /// The picture format with this name.
    pub fn from_name(name: &str) -> Option<Picture> {
        Picture::ALL.into_iter().find(|p| p.name() == name.trim().to_ascii_lowercase())
    }
}

/// Views with more nodes than this are laid out by `sfdp`: `dot`'s layered layout gets slow
/// and unreadable past a few hundred nodes.
pub const DOT_LAYOUT_LIMIT: usize = 300;

/// The Graphviz layout engine that suits a view of this many nodes.
pub fn layout_for(nodes: usize) -> &'static str {
    if nodes <= DOT_LAYOUT_LIMIT {
        "dot"
    } else {
        "sfdp"
    }
}

/// A view drawn by Graphviz (which must be installed) as a picture.
pub fn render_picture(
    view: &ViewGraph,
    options: DotOptions,
    picture: Picture,
) -> Result<Vec<u8>, super::ExportError> {
    use graphviz_rust::cmd::{CommandArg, Format, Layout};
    let format = match picture {
        Picture::Svg => Format::Svg,
        Picture::Png => Format::Png,
        Picture::Pdf => Format::Pdf,
    };
    let layout = if layout_for(view.nodes.len()) == "dot" { Layout::Dot } else { Layout::Sfdp };
    let graph = view_to_graph(view, options);
    let args = vec![CommandArg::Format(format), CommandArg::Layout(layout)];
    graphviz_rust::exec(graph, &mut PrinterContext::default(), args).map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            super::ExportError::GraphvizMissing
        } else {
            super::ExportError::Graphviz(error.to_string().trim().to_string())
        }
    })
}

fn print_dot(graph: &Graph) -> String {
    let mut text = graph.print(&mut PrinterContext::default());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Provenance;
    use proptest::prelude::*;

    fn print(graph: &Graph) -> String {
        graph.print(&mut PrinterContext::default())
    }

    proptest! {
        #[test]
        fn any_string_survives_print_parse_print(label in "\\PC*", name in "[ -~]{0,40}") {
            let graph = Graph::DiGraph {
                id: Id::Plain("g".into()),
                strict: false,
                stmts: vec![Stmt::Node(Node::new(NodeId(quoted(&name), None), vec![attr("label", &label)]))],
            };
            let printed = print(&graph);
            let reparsed = graphviz_rust::parse(&printed).map_err(TestCaseError::fail)?;
            prop_assert_eq!(print(&reparsed), printed);
        }
    }

    #[test]
    fn large_views_use_sfdp_and_clusters_group_countries() {
        assert_eq!(layout_for(DOT_LAYOUT_LIMIT), "dot");
        assert_eq!(layout_for(DOT_LAYOUT_LIMIT + 1), "sfdp");
        let out = crate::export::view::tests::exported(
            &crate::export::view::Selection::default(),
            crate::export::view::View::Events,
        );
        let text = view_to_dot(&out.view, DotOptions { clusters: true });
        let reparsed = graphviz_rust::parse(&text).map_err(|e| e.to_string());
        assert!(reparsed.is_ok(), "{reparsed:?}");
        // AAA and BBB have entities; the organisation and the issue have no country.
        assert_eq!(text.matches("subgraph \"cluster_").count(), 2, "{text}");
        assert!(!view_to_dot(&out.view, DotOptions::default()).contains("subgraph"));
    }

    #[test]
    fn tooltips_list_the_first_sources_and_count_the_rest() {
        let source = |n: usize| Provenance {
            article: format!("a{n:02}"),
            url: None,
            sentence_index: n,
            sentence: format!("Sentence number {n}."),
            date: None,
        };
        let edge = ViewEdge {
            id: "e0".into(),
            source: "state:fra".into(),
            target: "issue:trade".into(),
            relation: "discuss".into(),
            label: "discuss (040)".into(),
            count: 25,
            first_date: None,
            last_date: None,
            quad_class: QuadClass::VerbalCooperation,
            undirected: false,
            extra: Vec::new(),
            sources: (0..25).map(source).collect(),
        };
        let text = print(&digraph(vec![edge_stmt(&edge)]));
        assert!(text.contains("a19 #19: Sentence number 19."), "{text}");
        assert!(!text.contains("Sentence number 20."), "{text}");
        assert!(text.contains("… 5 more reports"), "{text}");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The statement `build` writes for a graph edge is the one made of its view edge.
        #[test]
        fn event_edge_statements_are_the_view_edges(
            reports in prop::collection::btree_set(
                (0..4usize, any::<bool>(), 0..30usize, "[a-z\"\\\n ]{0,8}", 0..3u32),
                1..30,
            ),
            topic in any::<bool>(),
            participants in 0..3usize,
            symmetric in any::<bool>(),
            verb in "[a-z \"]{1,8}",
            code in prop::sample::select(vec!["040", "19", "1711"]),
            index in 0..100usize,
        ) {
            use crate::graph::EdgeKey;
            use crate::model::{Action, Cameo, EntityId};
            let sources = reports
                .into_iter()
                .map(|(a, url, sentence_index, sentence, day)| Provenance {
                    article: format!("a{a}"),
                    url: url.then(|| format!("https://x.example/{a}")),
                    sentence_index,
                    sentence,
                    date: chrono::NaiveDate::from_ymd_opt(2024, 1, 1 + day),
                })
                .collect();
            let edge = EventEdge {
                key: EdgeKey {
                    actor: EntityId("state:FRA".into()),
                    action: Action { verb: verb.into(), cameo: Cameo::parse(code).expect("code") },
                    topic: topic.then(|| EntityId("issue:trade".into())),
                    participants: (0..participants).map(|p| EntityId(format!("state:P{p}"))).collect(),
                },
                symmetric,
                sources,
            };
            let direct = print(&digraph(vec![event_edge_stmt(&edge)]));
            let viewed = edge_stmt(&crate::export::view::event_edge(index, &edge));
            prop_assert_eq!(direct, print(&digraph(vec![viewed])));
        }
    }

    proptest! {
        /// Quoting is the plain replacement of each special character, on any text.
        #[test]
        fn quoting_is_the_plain_replacement(
            text in "[a-z\"\\\\\n\r é😀]{0,20}|\\PC*|[a-zA-Z .é]{0,40}[\"\\\\\n\r]?[a-z]{0,20}",
        ) {
            let Id::Escaped(quoted) = quoted(&text) else { panic!("not escaped") };
            let plain = text
                .replace('\\', "\\\\")
                .replace('"', "\\\"")
                .replace('\n', "\\n")
                .replace('\r', "");
            prop_assert_eq!(quoted, format!("\"{plain}\""));
        }
    }

    #[test]
    fn quoting_escapes_quotes_backslashes_and_newlines() {
        let Id::Escaped(text) = quoted("EU \"bloc\" \\ a\nb") else { panic!("not escaped") };
        assert_eq!(text, r#""EU \"bloc\" \\ a\nb""#);
    }
}
