//! The knowledge graph: one node per entity across all articles, one edge per distinct
//! (actor, action, topic, participants). Repeated reports merge into the same edge, which keeps
//! a count, the first and last date, and every source sentence. Everything is kept in ordered
//! maps and the petgraph graph is built from them in sorted order, so the result does not depend
//! on the order in which articles were read.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use petgraph::stable_graph::{NodeIndex, StableDiGraph};
use serde::{Deserialize, Serialize};

use crate::model::{Action, Entity, EntityId, Event, Provenance};

/// What identifies an edge: who did what about what with whom.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct EdgeKey {
    /// Actor id.
    pub actor: EntityId,
    /// Action.
    pub action: Action,
    /// Topic id, if any.
    pub topic: Option<EntityId>,
    /// Participant ids, sorted.
    pub participants: Vec<EntityId>,
}

/// An edge of the graph: one distinct event with all its reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventEdge {
    /// Identity of the edge.
    pub key: EdgeKey,
    /// True where swapping actor and a participant states the same fact.
    pub symmetric: bool,
    /// Every report, sorted by article and sentence.
    pub sources: BTreeSet<Provenance>,
}

impl EventEdge {
    /// How many reports state this event.
    pub fn count(&self) -> usize {
        self.sources.len()
    }

    /// Earliest dated report.
    pub fn first_date(&self) -> Option<NaiveDate> {
        self.sources.iter().filter_map(|s| s.date).min()
    }

    /// Latest dated report.
    pub fn last_date(&self) -> Option<NaiveDate> {
        self.sources.iter().filter_map(|s| s.date).max()
    }

    /// The node an edge points to: the topic, else the first participant, else the actor.
    pub fn target(&self) -> &EntityId {
        self.key.topic.as_ref().or(self.key.participants.first()).unwrap_or(&self.key.actor)
    }
}

/// The merged graph of many articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnowledgeGraph {
    entities: BTreeMap<EntityId, Entity>,
    edges: BTreeMap<EdgeKey, EventEdge>,
}

impl KnowledgeGraph {
    /// An empty graph.
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// Adds one event: its entities become nodes and the event joins its edge.
    pub fn add_event(&mut self, event: &Event) {
        let mut add = |e: &Entity| {
            self.entities.entry(e.id.clone()).or_insert_with(|| e.clone());
        };
        add(&event.actor);
        event.topic.iter().for_each(&mut add);
        event.participants.iter().for_each(&mut add);
        let mut participants: Vec<EntityId> =
            event.participants.iter().map(|p| p.id.clone()).collect();
        participants.sort();
        let key = EdgeKey {
            actor: event.actor.id.clone(),
            action: event.action.clone(),
            topic: event.topic.as_ref().map(|t| t.id.clone()),
            participants,
        };
        let edge = self.edges.entry(key.clone()).or_insert_with(|| EventEdge {
            key,
            symmetric: event.symmetric,
            sources: BTreeSet::new(),
        });
        edge.symmetric |= event.symmetric;
        edge.sources.insert(event.provenance());
    }

    /// Merges another graph into this one.
    pub fn merge(&mut self, other: KnowledgeGraph) {
        for (id, entity) in other.entities {
            self.entities.entry(id).or_insert(entity);
        }
        for (key, edge) in other.edges {
            match self.edges.get_mut(&key) {
                Some(existing) => {
                    existing.symmetric |= edge.symmetric;
                    existing.sources.extend(edge.sources);
                }
                None => {
                    self.edges.insert(key, edge);
                }
            }
        }
    }

    /// Adds an entity as a node; an entity already there under its id is kept as it is.
    pub fn add_entity(&mut self, entity: Entity) {
        self.entities.entry(entity.id.clone()).or_insert(entity);
    }

    /// Adds an edge as it is; the reports of an edge already there with the same key merge
    /// into it. Used to rebuild a selection of another graph's edges (filters, exports), so the
    /// caller adds the edge's entities with [`KnowledgeGraph::add_entity`].
    pub fn add_edge(&mut self, edge: EventEdge) {
        match self.edges.get_mut(&edge.key) {
            Some(existing) => {
                existing.symmetric |= edge.symmetric;
                existing.sources.extend(edge.sources);
            }
            None => {
                self.edges.insert(edge.key.clone(), edge);
            }
        }
    }

    /// Entities, sorted by id.
    pub fn entities(&self) -> impl Iterator<Item = &Entity> {
        self.entities.values()
    }

    /// The entity with this id.
    pub fn entity(&self, id: &EntityId) -> Option<&Entity> {
        self.entities.get(id)
    }

    /// Edges, sorted by key.
    pub fn edges(&self) -> impl Iterator<Item = &EventEdge> {
        self.edges.values()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.entities.len()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// The graph read back from its node-link form, as [`crate::export::json::graph_file`]
    /// wrote it: `from_graph_file(graph_file(g)) == g`. The per-link totals (count, dates) are
    /// derived from the sources, so they are not read.
    pub fn from_graph_file(
        file: crate::export::json::GraphFile,
    ) -> Result<KnowledgeGraph, crate::export::json::LinkError> {
        let mut graph = KnowledgeGraph::new();
        for entity in file.nodes {
            graph.entities.insert(entity.id.clone(), entity);
        }
        for link in file.links {
            let key = link.key.clone();
            let edge = link.into_edge()?;
            for id in std::iter::once(&edge.key.actor)
                .chain(edge.key.topic.iter())
                .chain(edge.key.participants.iter())
            {
                if !graph.entities.contains_key(id) {
                    return Err(crate::export::json::LinkError {
                        key,
                        message: format!("names {id}, which is not among the nodes"),
                    });
                }
            }
            match graph.edges.get_mut(&edge.key) {
                Some(existing) => {
                    existing.symmetric |= edge.symmetric;
                    existing.sources.extend(edge.sources);
                }
                None => {
                    graph.edges.insert(edge.key.clone(), edge);
                }
            }
        }
        Ok(graph)
    }

    /// The graph as a petgraph directed graph (actor → topic or first participant), nodes and
    /// edges inserted in sorted order so indices are stable.
    pub fn to_petgraph(&self) -> StableDiGraph<&Entity, &EventEdge> {
        let mut graph = StableDiGraph::new();
        let index: BTreeMap<&EntityId, NodeIndex> =
            self.entities.iter().map(|(id, e)| (id, graph.add_node(e))).collect();
        for edge in self.edges.values() {
            if let (Some(&a), Some(&b)) = (index.get(&edge.key.actor), index.get(edge.target())) {
                graph.add_edge(a, b, edge);
            }
        }
        graph
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ArticleRef, Cameo, EntityKind, SentenceRef};

    fn entity(kind: EntityKind, name: &str) -> Entity {
        Entity { id: EntityId::new(kind, name), name: name.into(), kind, country: None }
    }

    fn event(article: &str, sentence: usize, topic: &str, day: u32) -> Event {
        Event {
            article: ArticleRef { id: article.into(), url: None, title: None, published: None },
            sentence: SentenceRef { index: sentence, text: format!("sentence {sentence}") },
            actor: entity(EntityKind::Person, "Anne Alpha"),
            action: Action { verb: "discuss".into(), cameo: Cameo::parse("040").expect("code") },
            topic: Some(entity(EntityKind::Issue, topic)),
            participants: vec![entity(EntityKind::Person, "Ben Beta")],
            date: NaiveDate::from_ymd_opt(2021, 1, day),
            symmetric: true,
        }
    }

    #[test]
    fn repeated_reports_merge_into_one_edge() {
        let mut graph = KnowledgeGraph::new();
        graph.add_event(&event("a", 1, "trade", 3));
        graph.add_event(&event("b", 4, "trade", 1));
        graph.add_event(&event("b", 5, "energy", 2));
        assert_eq!(graph.node_count(), 4);
        assert_eq!(graph.edge_count(), 2);
        let trade = graph
            .edges()
            .find(|e| e.key.topic == Some(EntityId::new(EntityKind::Issue, "trade")))
            .expect("trade edge");
        assert_eq!(trade.count(), 2);
        assert_eq!(trade.first_date(), NaiveDate::from_ymd_opt(2021, 1, 1));
        assert_eq!(trade.last_date(), NaiveDate::from_ymd_opt(2021, 1, 3));
    }

    #[test]
    fn merging_does_not_depend_on_order() {
        let events =
            [event("a", 1, "trade", 3), event("b", 4, "trade", 1), event("c", 2, "energy", 2)];
        let mut forward = KnowledgeGraph::new();
        events.iter().for_each(|e| forward.add_event(e));
        let mut backward = KnowledgeGraph::new();
        events.iter().rev().for_each(|e| backward.add_event(e));
        assert_eq!(forward, backward);
        let mut left = KnowledgeGraph::new();
        left.add_event(&events[2]);
        let mut right = KnowledgeGraph::new();
        right.add_event(&events[0]);
        right.add_event(&events[1]);
        left.merge(right);
        assert_eq!(left, forward);
    }

    #[test]
    fn petgraph_view_points_actor_to_topic() {
        let mut graph = KnowledgeGraph::new();
        graph.add_event(&event("a", 1, "trade", 3));
        let pg = graph.to_petgraph();
        assert_eq!(pg.node_count(), 3);
        let edge = pg.edge_indices().next().expect("edge");
        let (from, to) = pg.edge_endpoints(edge).expect("endpoints");
        assert_eq!(pg[from].name, "Anne Alpha");
        assert_eq!(pg[to].name, "trade");
    }
}
