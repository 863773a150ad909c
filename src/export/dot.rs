//! The graph as Graphviz DOT, built through graphviz-rust's syntax tree. graphviz-rust prints
//! strings exactly as stored and never escapes them, so every string goes through [`quoted`],
//! the one place that escapes for DOT.

use std::collections::BTreeSet;

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, NodeId, Stmt, Vertex,
};
use graphviz_rust::printer::{DotPrinter, PrinterContext};

use crate::graph::KnowledgeGraph;
use crate::model::{EntityId, EntityKind, QuadClass};

/// A DOT string literal: quotes around, with `\`, `"` and line breaks escaped.
pub fn quoted(text: &str) -> Id {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    Id::Escaped(out)
}

fn attr(key: &str, value: &str) -> Attribute {
    Attribute(Id::Plain(key.to_string()), quoted(value))
}

fn node_id(id: &EntityId) -> NodeId {
    NodeId(quoted(id.as_str()), None)
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

/// The graph as a DOT syntax tree.
pub fn to_graph(graph: &KnowledgeGraph) -> Graph {
    let mut stmts = vec![
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
    ];
    for entity in graph.entities() {
        let mut attributes = vec![
            attr("label", &entity.name),
            attr("shape", shape(entity.kind)),
            attr("fillcolor", fill(entity.kind)),
        ];
        if let Some(country) = &entity.country {
            attributes.push(attr(
                "tooltip",
                &format!("{} ({}, {country})", entity.name, entity.kind.as_str()),
            ));
        }
        stmts.push(Stmt::Node(Node::new(node_id(&entity.id), attributes)));
    }
    let mut with_edges: BTreeSet<(&EntityId, &EntityId)> = BTreeSet::new();
    for edge in graph.edges() {
        let cameo = &edge.key.action.cameo;
        let count = edge.count();
        let label = if count > 1 {
            format!("{} ({}) ×{count}", edge.key.action.verb, cameo.code())
        } else {
            format!("{} ({})", edge.key.action.verb, cameo.code())
        };
        let tooltip: Vec<String> = edge
            .sources
            .iter()
            .map(|s| {
                format!(
                    "{} #{}: {}",
                    s.url.as_deref().unwrap_or(&s.article),
                    s.sentence_index,
                    s.sentence
                )
            })
            .collect();
        let penwidth = 1.0 + (count as f64).log2();
        let mut attributes = vec![
            attr("label", &label),
            attr("color", quad_colour(cameo.quad_class())),
            attr("fontcolor", quad_colour(cameo.quad_class())),
            attr("penwidth", &format!("{penwidth:.2}")),
            attr("tooltip", &tooltip.join("\n")),
        ];
        if edge.symmetric && edge.key.topic.is_none() {
            attributes.push(attr("dir", "none"));
        }
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(
                Vertex::N(node_id(&edge.key.actor)),
                Vertex::N(node_id(edge.target())),
            ),
            attributes,
        }));
        if edge.key.topic.is_some() {
            for participant in &edge.key.participants {
                with_edges.insert((&edge.key.actor, participant));
            }
        }
    }
    // Participants of topical events: a light undirected "with" link between the parties.
    for (actor, participant) in with_edges {
        stmts.push(Stmt::Edge(Edge {
            ty: EdgeTy::Pair(Vertex::N(node_id(actor)), Vertex::N(node_id(participant))),
            attributes: vec![
                attr("style", "dashed"),
                attr("color", "#999999"),
                attr("dir", "none"),
                attr("label", "with"),
                attr("fontcolor", "#999999"),
            ],
        }));
    }
    Graph::DiGraph { id: Id::Plain("dipgraph".into()), strict: false, stmts }
}

/// The graph as DOT text.
pub fn to_dot(graph: &KnowledgeGraph) -> String {
    let mut text = to_graph(graph).print(&mut PrinterContext::default());
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;
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
    fn quoting_escapes_quotes_backslashes_and_newlines() {
        let Id::Escaped(text) = quoted("EU \"bloc\" \\ a\nb") else { panic!("not escaped") };
        assert_eq!(text, r#""EU \"bloc\" \\ a\nb""#);
    }
}
