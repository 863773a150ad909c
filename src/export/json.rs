//! The graph as node-link JSON: the form networkx's `node_link_graph` and D3 read, with every
//! attribute and source kept, plus a format name and version so readers can refuse what they
//! do not understand.

use serde::{Deserialize, Serialize};

use crate::graph::KnowledgeGraph;
use crate::model::{Entity, EntityId, Provenance};

use super::ExportError;

/// Version of the graph file format written by this build.
pub const GRAPH_FORMAT_VERSION: u32 = 1;

/// The graph file: node-link JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct GraphFile {
    /// Always `dipgraph`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// Edges have a direction (actor → topic or participant).
    pub directed: bool,
    /// Several edges may join the same two nodes.
    pub multigraph: bool,
    /// Graph-level attributes.
    pub graph: GraphMeta,
    /// Entities.
    pub nodes: Vec<Entity>,
    /// Events.
    pub links: Vec<Link>,
}

/// Graph-level attributes.
#[derive(Debug, Serialize, Deserialize)]
pub struct GraphMeta {
    /// Name of the graph.
    pub name: String,
    /// Number of distinct articles among the sources.
    pub articles: usize,
}

/// One edge with its attributes.
#[derive(Debug, Serialize, Deserialize)]
pub struct Link {
    /// Actor id.
    pub source: EntityId,
    /// Topic id, else first participant, else the actor.
    pub target: EntityId,
    /// Edge key, unique within the graph.
    pub key: String,
    /// Action lemma.
    pub verb: String,
    /// Full CAMEO code.
    pub cameo: String,
    /// CAMEO root.
    pub root: String,
    /// Quad class of the root.
    pub quad_class: String,
    /// Goldstein score of the root.
    pub goldstein: f64,
    /// Topic id, if any.
    pub topic: Option<EntityId>,
    /// Participant ids.
    pub participants: Vec<EntityId>,
    /// True where actor and participants do it together.
    pub symmetric: bool,
    /// Number of reports.
    pub count: usize,
    /// Earliest date.
    pub first_date: Option<chrono::NaiveDate>,
    /// Latest date.
    pub last_date: Option<chrono::NaiveDate>,
    /// Every report.
    pub sources: Vec<Provenance>,
}

/// The graph as a [`GraphFile`].
pub fn graph_file(graph: &KnowledgeGraph) -> GraphFile {
    let links: Vec<Link> = graph
        .edges()
        .enumerate()
        .map(|(index, edge)| Link {
            source: edge.key.actor.clone(),
            target: edge.target().clone(),
            key: format!("e{index}"),
            verb: edge.key.action.verb.clone(),
            cameo: edge.key.action.cameo.code().to_string(),
            root: edge.key.action.cameo.root().to_string(),
            quad_class: edge.key.action.cameo.quad_class().as_str().to_string(),
            goldstein: edge.key.action.cameo.goldstein(),
            topic: edge.key.topic.clone(),
            participants: edge.key.participants.clone(),
            symmetric: edge.symmetric,
            count: edge.count(),
            first_date: edge.first_date(),
            last_date: edge.last_date(),
            sources: edge.sources.iter().cloned().collect(),
        })
        .collect();
    let articles: std::collections::BTreeSet<&str> =
        graph.edges().flat_map(|e| e.sources.iter().map(|s| s.article.as_str())).collect();
    GraphFile {
        format: "dipgraph".into(),
        version: GRAPH_FORMAT_VERSION,
        directed: true,
        multigraph: true,
        graph: GraphMeta { name: "dipgraph".into(), articles: articles.len() },
        nodes: graph.entities().cloned().collect(),
        links,
    }
}

/// The graph as pretty-printed JSON text.
pub fn to_json(graph: &KnowledgeGraph) -> Result<String, ExportError> {
    let mut text = serde_json::to_string_pretty(&graph_file(graph))
        .map_err(|source| ExportError::Serialise { what: "graph", source })?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Action, ArticleRef, Cameo, EntityKind, Event, SentenceRef};

    fn entity(kind: EntityKind, name: &str) -> Entity {
        Entity {
            id: EntityId::new(kind, name),
            name: name.into(),
            kind,
            country: Some("AAA".into()),
        }
    }

    #[test]
    fn json_has_nodes_links_and_provenance() {
        let mut graph = KnowledgeGraph::new();
        graph.add_event(&Event {
            article: ArticleRef {
                id: "a1".into(),
                url: Some("https://x.example/1".into()),
                title: None,
                published: None,
            },
            sentence: SentenceRef { index: 2, text: "Alpha condemned Beta.".into() },
            actor: entity(EntityKind::State, "AAA"),
            action: Action { verb: "criticize".into(), cameo: Cameo::parse("111").expect("code") },
            topic: None,
            participants: vec![entity(EntityKind::State, "BBB")],
            date: None,
            symmetric: false,
        });
        let value: serde_json::Value =
            serde_json::from_str(&to_json(&graph).expect("json")).expect("parses");
        assert_eq!(value["version"], GRAPH_FORMAT_VERSION);
        assert_eq!(value["nodes"].as_array().map(Vec::len), Some(2));
        let link = &value["links"][0];
        assert_eq!(link["source"], "state:AAA");
        assert_eq!(link["target"], "state:BBB");
        assert_eq!(link["root"], "11");
        assert_eq!(link["quad_class"], "verbal_conflict");
        assert_eq!(link["sources"][0]["sentence"], "Alpha condemned Beta.");
        assert_eq!(link["sources"][0]["url"], "https://x.example/1");
    }
}
