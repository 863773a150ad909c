//! A view as GEXF 1.3, for Gephi: a dynamic graph whose edges start on their first report and
//! end on their last, so Gephi's timeline plays the events over time. Attributes are declared
//! per class before use; lists are joined into text. networkx (`read_gexf`, 2.6 and later)
//! reads GEXF 1.3 too: it tries each GEXF namespace it knows, 1.3 among them.

use quick_xml::events::{BytesDecl, Event};
use quick_xml::Writer;

use super::graphml::xml_safe;
use super::view::{ScalarType, ViewGraph};
use super::ExportError;

/// The GEXF 1.3 namespace.
pub const NAMESPACE: &str = "http://gexf.net/1.3";

fn type_name(kind: ScalarType) -> &'static str {
    match kind {
        ScalarType::Text => "string",
        ScalarType::Int => "long",
        ScalarType::Float => "double",
        ScalarType::Bool => "boolean",
    }
}

/// The view as a GEXF 1.3 document.
pub fn to_gexf(view: &ViewGraph) -> Result<String, ExportError> {
    write(view).map_err(|e| ExportError::Xml(e.to_string()))
}

fn write(view: &ViewGraph) -> std::io::Result<String> {
    // `label` is GEXF's own node and edge attribute, so it is not repeated among the declared ones.
    let not_label = |(name, _): &(&str, ScalarType)| *name != "label";
    let node_schema: Vec<_> = ViewGraph::schema(view.nodes.iter().map(|n| n.attributes()))
        .into_iter()
        .filter(not_label)
        .collect();
    let edge_schema: Vec<_> = ViewGraph::schema(view.edges.iter().map(|e| e.attributes()))
        .into_iter()
        .filter(not_label)
        .collect();
    let index = |schema: &[(&str, ScalarType)], name: &str| {
        schema.iter().position(|(n, _)| *n == name).map(|i| i.to_string())
    };
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.create_element("gexf")
        .with_attributes([("xmlns", NAMESPACE), ("version", "1.3")])
        .write_inner_content(|w| {
            w.create_element("meta").write_inner_content(|w| {
                w.create_element("creator")
                    .write_text_content(quick_xml::events::BytesText::new("dipgraph"))?;
                Ok(())
            })?;
            let edgetype = if view.directed { "directed" } else { "undirected" };
            w.create_element("graph")
                .with_attributes([
                    ("mode", "dynamic"),
                    ("defaultedgetype", edgetype),
                    ("timeformat", "date"),
                ])
                .write_inner_content(|w| {
                    for (class, schema) in [("node", &node_schema), ("edge", &edge_schema)] {
                        w.create_element("attributes")
                            .with_attribute(("class", class))
                            .write_inner_content(|w| {
                                for (i, (name, kind)) in schema.iter().enumerate() {
                                    w.create_element("attribute")
                                        .with_attributes([
                                            ("id", i.to_string().as_str()),
                                            ("title", name),
                                            ("type", type_name(*kind)),
                                        ])
                                        .write_empty()?;
                                }
                                Ok(())
                            })?;
                    }
                    w.create_element("nodes").write_inner_content(|w| {
                        for node in &view.nodes {
                            w.create_element("node")
                                .with_attributes([
                                    ("id", xml_safe(&node.id).as_ref()),
                                    ("label", xml_safe(&node.label).as_ref()),
                                ])
                                .write_inner_content(|w| {
                                    let values = node.attributes().into_iter();
                                    let values = values
                                        .filter_map(|(n, v)| Some((index(&node_schema, n)?, v)));
                                    attvalues(w, values.map(|(i, v)| (i, v.text())))
                                })?;
                        }
                        Ok(())
                    })?;
                    w.create_element("edges").write_inner_content(|w| {
                        for edge in &view.edges {
                            let weight = edge.count.to_string();
                            let start = edge.first_date.map(|d| d.to_string());
                            let end = edge.last_date.map(|d| d.to_string());
                            let mut element = w.create_element("edge").with_attributes([
                                ("id", xml_safe(&edge.id).as_ref()),
                                ("source", xml_safe(&edge.source).as_ref()),
                                ("target", xml_safe(&edge.target).as_ref()),
                                ("label", xml_safe(&edge.label).as_ref()),
                                ("weight", weight.as_str()),
                            ]);
                            if let (Some(start), Some(end)) = (&start, &end) {
                                element = element
                                    .with_attributes([("start", start.as_str()), ("end", end)]);
                            }
                            element.write_inner_content(|w| {
                                let values = edge.attributes().into_iter();
                                let values =
                                    values.filter_map(|(n, v)| Some((index(&edge_schema, n)?, v)));
                                attvalues(w, values.map(|(i, v)| (i, v.text())))
                            })?;
                        }
                        Ok(())
                    })?;
                    Ok(())
                })?;
            Ok(())
        })?;
    let mut text = String::from_utf8_lossy(&w.into_inner()).into_owned();
    text.push('\n');
    Ok(text)
}

fn attvalues(
    w: &mut Writer<Vec<u8>>,
    values: impl Iterator<Item = (String, String)>,
) -> std::io::Result<()> {
    let values: Vec<(String, String)> = values.filter(|(_, v)| !v.is_empty()).collect();
    if values.is_empty() {
        return Ok(());
    }
    w.create_element("attvalues").write_inner_content(|w| {
        for (key, value) in &values {
            w.create_element("attvalue")
                .with_attributes([("for", key.as_str()), ("value", xml_safe(value).as_ref())])
                .write_empty()?;
        }
        Ok(())
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::tests::exported;
    use crate::export::view::{Selection, View};
    use crate::export::xml_tags::{attribute, tags};

    #[test]
    fn gexf_is_dynamic_with_dated_edges_and_declared_attributes() {
        let out = exported(&Selection::default(), View::Events);
        let text = to_gexf(&out.view).expect("gexf");
        let tags = tags(&text);
        let root = tags.iter().find(|t| t.0 == "gexf").expect("root");
        assert_eq!(attribute(root, "xmlns"), Some(NAMESPACE));
        assert_eq!(attribute(root, "version"), Some("1.3"));
        let graph = tags.iter().find(|t| t.0 == "graph").expect("graph");
        assert_eq!(attribute(graph, "mode"), Some("dynamic"));
        assert_eq!(attribute(graph, "timeformat"), Some("date"));
        let edges: Vec<_> = tags.iter().filter(|t| t.0 == "edge").collect();
        assert_eq!(edges.len(), out.view.edges.len());
        assert_eq!(tags.iter().filter(|t| t.0 == "node").count(), out.view.nodes.len());
        let discuss = edges.iter().find(|t| attribute(t, "label") == Some("discuss (040) ×2"));
        let discuss = discuss.expect("discuss edge");
        assert_eq!(attribute(discuss, "start"), Some("2021-03-01"));
        assert_eq!(attribute(discuss, "end"), Some("2021-03-05"));
        assert_eq!(attribute(discuss, "weight"), Some("2"));
        // The undated meeting has no time bounds: it is there all along.
        let meet =
            edges.iter().find(|t| attribute(t, "label") == Some("meet (043)")).expect("meet");
        assert_eq!(attribute(meet, "start"), None);
        // Every attvalue refers to a declared attribute of its class.
        let declared = tags.iter().filter(|t| t.0 == "attribute").count();
        assert!(declared > 0);
        for value in tags.iter().filter(|t| t.0 == "attvalue") {
            let id: usize =
                attribute(value, "for").and_then(|v| v.parse().ok()).expect("numeric for");
            assert!(id < declared);
        }
    }
}
