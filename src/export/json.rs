//! The graph as node-link JSON: the form networkx's `node_link_graph` and D3 read, with every
//! attribute and source kept, plus a format name and version so readers can refuse what they
//! do not understand.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::graph::{EdgeKey, EventEdge, KnowledgeGraph};
use crate::model::{Action, Cameo, Entity, EntityId, Provenance};

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
    /// Content hash → article id of the articles without a URL that the graph holds, so that
    /// `build --into` and `merge` know them again. Absent when there are none, which keeps
    /// version 1 files as they were.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub article_hashes: std::collections::BTreeMap<String, String>,
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
            verb: edge.key.action.verb.to_string(),
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
        article_hashes: graph.article_hashes().clone(),
    }
}

impl Link {
    /// The edge this link stands for. The totals (`count`, dates) and the derived CAMEO fields
    /// (`root`, `quad_class`, `goldstein`) are not read: they follow from the sources and the code.
    pub fn into_edge(self) -> Result<EventEdge, LinkError> {
        let Some(cameo) = Cameo::parse(&self.cameo) else {
            return Err(LinkError {
                key: self.key,
                message: format!("cameo {:?} is not a CAMEO code", self.cameo),
            });
        };
        let mut participants = self.participants;
        participants.sort();
        Ok(EventEdge {
            key: EdgeKey {
                actor: self.source,
                action: Action { verb: self.verb.into(), cameo },
                topic: self.topic,
                participants,
            },
            symmetric: self.symmetric,
            sources: self.sources.into_iter().collect(),
        })
    }
}

/// A link of a graph file that does not make sense.
#[derive(Debug, thiserror::Error)]
#[error("link {key}: {message}")]
pub struct LinkError {
    /// The link's `key`.
    pub key: String,
    /// What is wrong.
    pub message: String,
}

/// Why a graph file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum GraphFileError {
    /// The file (or directory) could not be read.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A directory without a graph file.
    #[error(
        "{}: no graph.json in this directory; run `dipgraph build ARTICLES -o {}` first, or pass the graph file",
        path.display(),
        path.display()
    )]
    NoGraphInDirectory {
        /// The directory.
        path: PathBuf,
    },
    /// The file is not JSON at all, or JSON cut short.
    #[error(
        "{}: not valid JSON at line {} column {} ({}); pass the graph.json written by `dipgraph build`",
        path.display(),
        source.line(),
        source.column(),
        json_problem(source)
    )]
    NotJson {
        /// The file.
        path: PathBuf,
        /// The parser's complaint.
        source: serde_json::Error,
    },
    /// A dipgraph graph of the right version whose nodes are inconsistent.
    #[error("{}: damaged dipgraph graph file: {message}", path.display())]
    BadNode {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// JSON, but not a dipgraph graph.
    #[error(
        "{}: not a dipgraph graph file (no \"format\": \"dipgraph\"); pass the graph.json written by `dipgraph build`",
        path.display()
    )]
    NotGraph {
        /// The file.
        path: PathBuf,
    },
    /// A graph of another format version.
    #[error(
        "{}: written by graph format version {found}; this dipgraph reads version {GRAPH_FORMAT_VERSION}. Rebuild the graph with this dipgraph (`dipgraph build`), or use the dipgraph that wrote it",
        path.display()
    )]
    Version {
        /// The file.
        path: PathBuf,
        /// The version the file declares.
        found: String,
    },
    /// A dipgraph graph of the right version whose content is damaged.
    #[error("{}: damaged dipgraph graph file: {source}", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// What is wrong, with its line and column.
        source: serde_json::Error,
    },
    /// A link that names a missing node or carries a bad code.
    #[error("{}: damaged dipgraph graph file: {source}", path.display())]
    BadLink {
        /// The file.
        path: PathBuf,
        /// The link and what is wrong with it.
        source: LinkError,
    },
}

/// What a JSON parser error says, without its position (given separately), and what a file
/// ending early most likely means.
fn json_problem(error: &serde_json::Error) -> String {
    if error.is_eof() {
        return "the file ends early: it was cut short, perhaps by a run that was interrupted"
            .to_string();
    }
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

/// The graph file a command-line argument names: the file itself, or `graph.json` inside a
/// directory (what `dipgraph build -o DIR` writes).
pub fn graph_path(path: &Path) -> Result<PathBuf, GraphFileError> {
    if path.is_dir() {
        let file = path.join("graph.json");
        if file.is_file() {
            Ok(file)
        } else {
            Err(GraphFileError::NoGraphInDirectory { path: path.to_path_buf() })
        }
    } else {
        Ok(path.to_path_buf())
    }
}

/// Reads and checks a graph file (or a directory holding `graph.json`). Returns the path read,
/// for messages, and its content.
pub fn read_graph_file(path: &Path) -> Result<(PathBuf, GraphFile), GraphFileError> {
    let path = graph_path(path)?;
    let bytes = std::fs::read(&path)
        .map_err(|source| GraphFileError::Read { path: path.clone(), source })?;
    let file = parse_graph_file(&bytes, &path)?;
    Ok((path, file))
}

/// Parses and checks graph file content; `path` names it in errors.
pub fn parse_graph_file(bytes: &[u8], path: &Path) -> Result<GraphFile, GraphFileError> {
    match serde_json::from_slice::<GraphFile>(bytes) {
        Ok(file) => {
            if file.format != "dipgraph" {
                return Err(GraphFileError::NotGraph { path: path.to_path_buf() });
            }
            if file.version != GRAPH_FORMAT_VERSION {
                let found = file.version.to_string();
                return Err(GraphFileError::Version { path: path.to_path_buf(), found });
            }
            check_nodes(&file, path)?;
            Ok(file)
        }
        // Parsing only what identifies the file tells "not ours" and "another version" apart
        // from damage; it costs a second pass, but only when the first one failed.
        Err(source) => Err(diagnose(bytes, path, source)),
    }
}

/// Every node has an id, no id is given twice, and every link's target is a node (the
/// loaders check the other ends of the links, which they read; the target they derive, but
/// other tools reading the file take it as it is).
fn check_nodes(file: &GraphFile, path: &Path) -> Result<(), GraphFileError> {
    let mut seen = std::collections::HashSet::with_capacity(file.nodes.len());
    for node in &file.nodes {
        let id = node.id.as_str();
        let message = if id.trim().is_empty() {
            format!("node {:?} has an empty id", node.name)
        } else if !seen.insert(id) {
            format!("node {id} is listed twice")
        } else {
            continue;
        };
        return Err(GraphFileError::BadNode { path: path.to_path_buf(), message });
    }
    for link in &file.links {
        if !seen.contains(link.target.as_str()) {
            let message = format!("target {}, which is not among the nodes", link.target);
            let source = LinkError { key: link.key.clone(), message };
            return Err(GraphFileError::BadLink { path: path.to_path_buf(), source });
        }
    }
    Ok(())
}

fn diagnose(bytes: &[u8], path: &Path, source: serde_json::Error) -> GraphFileError {
    #[derive(Deserialize)]
    struct Header {
        format: Option<serde_json::Value>,
        version: Option<serde_json::Value>,
    }
    let path = path.to_path_buf();
    let header = match serde_json::from_slice::<Header>(bytes) {
        Ok(header) => header,
        Err(error) if error.is_data() => return GraphFileError::NotGraph { path },
        Err(error) => return GraphFileError::NotJson { path, source: error },
    };
    if header.format.as_ref().and_then(|f| f.as_str()) != Some("dipgraph") {
        return GraphFileError::NotGraph { path };
    }
    match header.version {
        Some(serde_json::Value::Number(n)) if n.as_u64() == Some(GRAPH_FORMAT_VERSION.into()) => {
            GraphFileError::Damaged { path, source }
        }
        Some(other) => GraphFileError::Version { path, found: other.to_string() },
        None => GraphFileError::Version { path, found: "(none)".to_string() },
    }
}

/// The graph file's text, laid out as `build` writes it (one line per node, link and source).
pub fn to_json(graph: &KnowledgeGraph) -> Result<String, ExportError> {
    let serialise = |source| ExportError::Serialise { what: "graph", source };
    let mut bytes = Vec::new();
    super::handjson::write_graph_file(graph, &mut bytes)
        .map_err(|e| serialise(serde_json::Error::io(e)))?;
    bytes.push(b'\n');
    String::from_utf8(bytes).map_err(|e| {
        serialise(serde_json::Error::io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))
    })
}

/// A view other than the events one as node-link JSON (networkx's `node_link_graph` with
/// `edges="links"`, D3's force layout): `{"directed", "multigraph", "graph", "nodes",
/// "links"}`, each node and link with its scalar attributes and links with their sources. It
/// is not a dipgraph graph file: the events view writes that one ([`to_json`]).
pub fn view_to_json(view: &super::view::ViewGraph) -> Result<String, ExportError> {
    use serde_json::{json, Map, Value};
    let nodes: Vec<Value> = view
        .nodes
        .iter()
        .map(|node| {
            let mut object = Map::new();
            object.insert("id".into(), json!(node.id));
            for (key, value) in node.attributes() {
                object.insert(key.into(), value.json());
            }
            Value::Object(object)
        })
        .collect();
    let mut links = Vec::with_capacity(view.edges.len());
    for edge in &view.edges {
        let mut object = Map::new();
        object.insert("source".into(), json!(edge.source));
        object.insert("target".into(), json!(edge.target));
        object.insert("key".into(), json!(edge.id));
        for (key, value) in edge.attributes() {
            if key != "sources" {
                object.insert(key.into(), value.json());
            }
        }
        let sources = serde_json::to_value(&edge.sources)
            .map_err(|source| ExportError::Serialise { what: "sources", source })?;
        object.insert("sources".into(), sources);
        links.push(Value::Object(object));
    }
    let document = json!({
        "directed": view.directed,
        "multigraph": view.multigraph(),
        "graph": { "name": "dipgraph", "view": view.view.name() },
        "nodes": nodes,
        "links": links,
    });
    let mut text = serde_json::to_string_pretty(&document)
        .map_err(|source| ExportError::Serialise { what: "graph", source })?;
    text.push('\n');
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::model::{Action, ArticleRef, Cameo, EntityKind, Event, SentenceRef};

    fn entity(kind: EntityKind, name: &str) -> Entity {
        Entity::from(crate::model::EntityFields {
            id: EntityId::new(kind, name),
            name: name.into(),
            kind,
            country: Some("AAA".into()),
        })
    }

    fn small_graph() -> KnowledgeGraph {
        let mut graph = KnowledgeGraph::new();
        for (article, index, verb, code, topic, day) in [
            ("a1", 2, "criticize", "111", None, 3),
            ("a2", 5, "discuss", "040", Some("trade"), 4),
            ("a3", 1, "discuss", "040", Some("trade"), 1),
        ] {
            graph.add_event(&Event {
                article: Arc::new(ArticleRef {
                    id: article.into(),
                    url: Some(format!("https://x.example/{article}")),
                    title: None,
                    published: None,
                }),
                sentence: SentenceRef {
                    index,
                    text: format!("Sentence {index} of {article}.").into(),
                },
                actor: entity(EntityKind::State, "AAA"),
                action: Action { verb: verb.into(), cameo: Cameo::parse(code).expect("code") },
                topic: topic.map(|t| entity(EntityKind::Issue, t)),
                participants: vec![
                    entity(EntityKind::State, "CCC"),
                    entity(EntityKind::State, "BBB"),
                ],
                date: chrono::NaiveDate::from_ymd_opt(2020, 5, day),
                symmetric: verb == "discuss",
            });
        }
        graph
    }

    #[test]
    fn graph_file_has_a_line_per_node_link_and_source_and_holds_what_serde_writes() {
        let mut graph = small_graph();
        graph.record_article_hash("00ff".into(), "a9".into());
        let text = to_json(&graph).expect("json");
        let file = graph_file(&graph);
        let lines = |prefix: &str| text.lines().filter(|l| l.starts_with(prefix)).count();
        let sources: usize = file.links.iter().map(|link| link.sources.len()).sum();
        assert!(sources > file.links.len(), "a link with several sources");
        assert_eq!(lines("    {\"id\":"), file.nodes.len());
        assert_eq!(lines("    {\"source\":"), file.links.len());
        assert_eq!(lines("      {\"article\":"), sources);
        assert_eq!(lines("    \"00ff\":\"a9\""), 1);
        let written: serde_json::Value = serde_json::from_str(&text).expect("parses");
        assert_eq!(written, serde_json::to_value(&file).expect("serialises"));
    }

    #[test]
    fn graph_to_json_and_back_is_the_same_graph() {
        let graph = small_graph();
        let text = to_json(&graph).expect("json");
        let file = parse_graph_file(text.as_bytes(), Path::new("g.json")).expect("reads");
        let back = KnowledgeGraph::from_graph_file(file).expect("valid links");
        assert_eq!(back, graph);
    }

    #[test]
    fn foreign_json_other_versions_and_damage_get_their_own_errors() {
        let path = Path::new("x.json");
        let message = |text: &str| {
            parse_graph_file(text.as_bytes(), path).map(|_| ()).expect_err("refused").to_string()
        };
        assert!(message("not json").starts_with("x.json: not valid JSON at line 1 column 2"));
        let cut = to_json(&small_graph()).expect("json");
        let cut_message = message(&cut[..cut.len() / 2]);
        assert!(cut_message.contains("not valid JSON at line "), "{cut_message}");
        assert!(cut_message.contains("the file ends early"), "{cut_message}");
        let mut twice = graph_file(&small_graph());
        twice.nodes.push(twice.nodes[0].clone());
        let twice = serde_json::to_string(&twice).expect("json");
        let twice = message(&twice);
        assert!(twice.ends_with("graph file: node issue:trade is listed twice"), "{twice}");
        assert!(message("[1, 2]").contains("not a dipgraph graph file"));
        assert!(message(r#"{"nodes": [], "links": []}"#).contains("no \"format\": \"dipgraph\""));
        let newer =
            to_json(&small_graph()).expect("json").replace("\"version\":1,", "\"version\":7,");
        assert!(message(&newer)
            .contains("written by graph format version 7; this dipgraph reads version 1"));
        let old_shape = r#"{"format": "dipgraph", "version": 0, "edges": []}"#;
        assert!(message(old_shape).contains("version 0"));
        let damaged =
            to_json(&small_graph()).expect("json").replace("\"count\":1", "\"count\":\"x\"");
        assert!(message(&damaged).starts_with("x.json: damaged dipgraph graph file"));
    }

    #[test]
    fn a_link_to_a_missing_node_is_refused() {
        let mut file = graph_file(&small_graph());
        file.nodes.retain(|n| n.id.as_str() != "state:BBB");
        let error = KnowledgeGraph::from_graph_file(file).expect_err("refused");
        assert!(error.to_string().contains("state:BBB, which is not among the nodes"), "{error}");
    }

    #[test]
    fn json_has_nodes_links_and_provenance() {
        let mut graph = KnowledgeGraph::new();
        graph.add_event(&Event {
            article: Arc::new(ArticleRef {
                id: "a1".into(),
                url: Some("https://x.example/1".into()),
                title: None,
                published: None,
            }),
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
