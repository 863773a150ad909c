//! A view as GraphML, for networkx (`read_graphml`), Gephi, yEd and igraph. GraphML holds only
//! scalar attributes, and every one must be declared by a `<key>` before the graph, so the keys
//! come from the view's attribute schema and lists (participants, sources) are joined into text.
//! Every edge has an id, so readers that build multigraphs (networkx does when two edges join
//! the same nodes) keep parallel edges apart.

use std::borrow::Cow;

use quick_xml::events::{BytesDecl, BytesText, Event};
use quick_xml::Writer;

use super::view::{ScalarType, ViewGraph};
use super::ExportError;

/// The GraphML namespace.
pub const NAMESPACE: &str = "http://graphml.graphdrawing.org/xmlns";

/// Text with the characters XML 1.0 cannot hold at all (most control characters) removed; the
/// XML writer escapes the rest.
pub fn xml_safe(text: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
            || c >= '\u{10000}'
    };
    if text.chars().all(allowed) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(text.chars().filter(|&c| allowed(c)).collect())
    }
}

fn type_name(kind: ScalarType) -> &'static str {
    match kind {
        ScalarType::Text => "string",
        ScalarType::Int => "int",
        ScalarType::Float => "double",
        ScalarType::Bool => "boolean",
    }
}

/// Key ids are the attribute's name prefixed by `n_` or `e_`, so that a node and an edge
/// attribute of the same name (`label`) get distinct keys.
fn key_id(prefix: &str, name: &str) -> String {
    format!("{prefix}_{name}")
}

/// The view as a GraphML document.
pub fn to_graphml(view: &ViewGraph) -> Result<String, ExportError> {
    write(view).map_err(|e| ExportError::Xml(e.to_string()))
}

fn write(view: &ViewGraph) -> std::io::Result<String> {
    let node_schema = ViewGraph::schema(view.nodes.iter().map(|n| n.attributes()));
    let edge_schema = ViewGraph::schema(view.edges.iter().map(|e| e.attributes()));
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("graphml").with_attribute(("xmlns", NAMESPACE)).write_inner_content(|w| {
        for (prefix, target, schema) in [("n", "node", &node_schema), ("e", "edge", &edge_schema)] {
            for (name, kind) in schema {
                w.create_element("key")
                    .with_attributes([
                        ("id", key_id(prefix, name).as_str()),
                        ("for", target),
                        ("attr.name", name),
                        ("attr.type", type_name(*kind)),
                    ])
                    .write_empty()?;
            }
        }
        let edgedefault = if view.directed { "directed" } else { "undirected" };
        w.create_element("graph")
            .with_attributes([("id", "dipgraph"), ("edgedefault", edgedefault)])
            .write_inner_content(|w| {
                for node in &view.nodes {
                    w.create_element("node")
                        .with_attribute(("id", xml_safe(&node.id).as_ref()))
                        .write_inner_content(|w| {
                            for (name, value) in node.attributes() {
                                data(w, &key_id("n", name), &value.text())?;
                            }
                            Ok(())
                        })?;
                }
                for edge in &view.edges {
                    w.create_element("edge")
                        .with_attributes([
                            ("id", xml_safe(&edge.id).as_ref()),
                            ("source", xml_safe(&edge.source).as_ref()),
                            ("target", xml_safe(&edge.target).as_ref()),
                        ])
                        .write_inner_content(|w| {
                            for (name, value) in edge.attributes() {
                                data(w, &key_id("e", name), &value.text())?;
                            }
                            Ok(())
                        })?;
                }
                Ok(())
            })?;
        Ok(())
    })?;
    let mut text = String::from_utf8_lossy(&w.into_inner()).into_owned();
    text.push('\n');
    Ok(text)
}

fn data(w: &mut Writer<Vec<u8>>, key: &str, value: &str) -> std::io::Result<()> {
    // An empty <data> reads back as a missing value in networkx, so it is left out.
    if value.is_empty() {
        return Ok(());
    }
    w.create_element("data")
        .with_attribute(("key", key))
        .write_text_content(BytesText::new(&xml_safe(value)))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::tests::exported;
    use crate::export::view::{Selection, View};
    use crate::export::xml_tags::{attribute, tags};

    #[test]
    fn every_data_key_is_declared_and_counts_match_the_view() {
        for view in View::ALL {
            let out = exported(&Selection::default(), view);
            let text = to_graphml(&out.view).expect("graphml");
            let tags = tags(&text);
            let keys: Vec<&str> =
                tags.iter().filter(|t| t.0 == "key").filter_map(|t| attribute(t, "id")).collect();
            for tag in tags.iter().filter(|t| t.0 == "data") {
                let key = attribute(tag, "key").expect("key attribute");
                assert!(keys.contains(&key), "undeclared key {key}");
            }
            let count = |name: &str| tags.iter().filter(|t| t.0 == name).count();
            assert_eq!(count("node"), out.view.nodes.len());
            assert_eq!(count("edge"), out.view.edges.len());
            let graph = tags.iter().find(|t| t.0 == "graph").expect("graph");
            let expected = if view == View::Actors { "undirected" } else { "directed" };
            assert_eq!(attribute(graph, "edgedefault"), Some(expected));
            let mut ids: Vec<&str> =
                tags.iter().filter(|t| t.0 == "edge").filter_map(|t| attribute(t, "id")).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), out.view.edges.len(), "edge ids are unique");
        }
    }

    #[test]
    fn text_is_escaped_and_control_characters_dropped() {
        let out = exported(&Selection::default(), View::Events);
        let text = to_graphml(&out.view).expect("graphml");
        assert!(text.contains("Ben &quot;Beta&quot; Bee") || text.contains("Ben \"Beta\" Bee"));
        assert!(text.contains("?a=1&amp;b=&lt;2&gt;"));
        assert_eq!(xml_safe("a\u{1}b\u{FFFE}c\td"), "abc\td");
    }
}
