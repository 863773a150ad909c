//! A view as Cytoscape.js elements JSON (`cy.add(json.elements)`, or `cytoscape({elements})`),
//! which Cytoscape desktop also opens as `.cyjs`. Each element is `{"data": {...}}`; edges
//! carry `source` and `target` node ids. Ids are unique across nodes and edges together
//! (Cytoscape.js does not show an edge whose id a node already has), which the view guarantees:
//! node ids are entity ids (`kind:slug`) and edge ids are `e0`, `e1`, …. The top-level `data`,
//! `directed` and `multigraph` fields make the same file readable by networkx's
//! `cytoscape_graph`, and each edge's `key` keeps parallel edges apart there.

use serde_json::{json, Map, Value};

use super::view::ViewGraph;
use super::ExportError;

/// The view as Cytoscape.js JSON.
pub fn to_cytoscape(view: &ViewGraph) -> Result<String, ExportError> {
    let nodes: Vec<Value> = view
        .nodes
        .iter()
        .map(|node| {
            let mut data = Map::new();
            data.insert("id".into(), json!(node.id));
            // networkx's cytoscape_graph takes the node from `value` and its name from `name`.
            data.insert("value".into(), json!(node.id));
            data.insert("name".into(), json!(node.label));
            for (key, value) in node.attributes() {
                data.insert(key.into(), value.json());
            }
            json!({ "data": data })
        })
        .collect();
    let edges: Vec<Value> = view
        .edges
        .iter()
        .map(|edge| {
            let mut data = Map::new();
            data.insert("id".into(), json!(edge.id));
            data.insert("source".into(), json!(edge.source));
            data.insert("target".into(), json!(edge.target));
            data.insert("key".into(), json!(edge.id));
            for (key, value) in edge.attributes() {
                data.insert(key.into(), value.json());
            }
            json!({ "data": data })
        })
        .collect();
    let document = json!({
        "data": { "name": "dipgraph", "view": view.view.name() },
        "directed": view.directed,
        "multigraph": view.multigraph(),
        "elements": { "nodes": nodes, "edges": edges },
    });
    let mut text = serde_json::to_string_pretty(&document)
        .map_err(|source| ExportError::Serialise { what: "Cytoscape elements", source })?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::tests::exported;
    use crate::export::view::{Selection, View};
    use std::collections::BTreeSet;

    #[test]
    fn elements_have_unique_ids_and_edges_point_at_nodes() {
        for view in View::ALL {
            let out = exported(&Selection::default(), view);
            let value: Value =
                serde_json::from_str(&to_cytoscape(&out.view).expect("json")).expect("parses");
            let nodes = value["elements"]["nodes"].as_array().expect("nodes");
            let edges = value["elements"]["edges"].as_array().expect("edges");
            assert_eq!(nodes.len(), out.view.nodes.len());
            assert_eq!(edges.len(), out.view.edges.len());
            let node_ids: BTreeSet<&str> =
                nodes.iter().filter_map(|n| n["data"]["id"].as_str()).collect();
            let mut all = node_ids.clone();
            for edge in edges {
                let data = &edge["data"];
                assert!(all.insert(data["id"].as_str().expect("edge id")), "duplicate id");
                assert!(node_ids.contains(data["source"].as_str().expect("source")));
                assert!(node_ids.contains(data["target"].as_str().expect("target")));
            }
            assert_eq!(all.len(), nodes.len() + edges.len());
        }
    }
}
