//! The knowledge graph: one node per entity across all articles, one edge per distinct
//! (actor, action, topic, participants). Repeated reports merge into the same edge, which keeps
//! a count, the first and last date, and every source sentence. Everything is kept in ordered
//! maps and the petgraph graph is built from them in sorted order, so the result does not depend
//! on the order in which articles were read.

pub mod spilled;

use std::borrow::Cow;
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
        edge_target(&self.key.actor, self.key.topic.as_ref(), self.key.participants.first())
    }
}

/// A report of an edge as the writers read it: borrowed from a [`Provenance`], or from a
/// [`spilled::SpilledGraph`] and the sentences read back for a stretch of its edges.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SourceRef<'a> {
    /// Article identifier.
    pub article: &'a str,
    /// Article URL, when known.
    pub url: Option<&'a str>,
    /// Sentence index in the article.
    pub sentence_index: usize,
    /// Sentence text.
    pub sentence: &'a str,
    /// Date of the event in that report.
    pub date: Option<NaiveDate>,
}

impl<'a> From<&'a Provenance> for SourceRef<'a> {
    fn from(source: &'a Provenance) -> SourceRef<'a> {
        SourceRef {
            article: &source.article,
            url: source.url.as_deref(),
            sentence_index: source.sentence_index,
            sentence: &source.sentence,
            date: source.date,
        }
    }
}

/// An edge as the writers read it, its strings borrowed: what [`EventEdge`] holds, without
/// an owned copy of every report's article and sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeRef<'a> {
    /// Actor id.
    pub actor: &'a EntityId,
    /// Action.
    pub action: &'a Action,
    /// Topic id, if any.
    pub topic: Option<&'a EntityId>,
    /// Participant ids, sorted.
    pub participants: Vec<&'a EntityId>,
    /// True where swapping actor and a participant states the same fact.
    pub symmetric: bool,
    /// Every report, in [`Provenance`] order and distinct.
    pub sources: Vec<SourceRef<'a>>,
}

impl<'a> From<&'a EventEdge> for EdgeRef<'a> {
    fn from(edge: &'a EventEdge) -> EdgeRef<'a> {
        EdgeRef {
            actor: &edge.key.actor,
            action: &edge.key.action,
            topic: edge.key.topic.as_ref(),
            participants: edge.key.participants.iter().collect(),
            symmetric: edge.symmetric,
            sources: edge.sources.iter().map(SourceRef::from).collect(),
        }
    }
}

impl EdgeRef<'_> {
    /// How many reports state this event ([`EventEdge::count`]).
    pub fn count(&self) -> usize {
        self.sources.len()
    }

    /// Earliest dated report ([`EventEdge::first_date`]).
    pub fn first_date(&self) -> Option<NaiveDate> {
        self.sources.iter().filter_map(|s| s.date).min()
    }

    /// Latest dated report ([`EventEdge::last_date`]).
    pub fn last_date(&self) -> Option<NaiveDate> {
        self.sources.iter().filter_map(|s| s.date).max()
    }

    /// The node the edge points to ([`EventEdge::target`]).
    pub fn target(&self) -> &EntityId {
        edge_target(self.actor, self.topic, self.participants.first().copied())
    }
}

/// The node an edge points to, owned or borrowed: the topic, else the first participant,
/// else the actor.
fn edge_target<'a>(
    actor: &'a EntityId,
    topic: Option<&'a EntityId>,
    first_participant: Option<&'a EntityId>,
) -> &'a EntityId {
    topic.or(first_participant).unwrap_or(actor)
}

/// A graph as the graph writers read it: nodes, then edges one at a time, so that a graph
/// whose sentences are on disk ([`spilled::SpilledGraph`]) never has them all in memory.
pub trait GraphSource {
    /// Entities, sorted by id.
    fn nodes(&self) -> Box<dyn Iterator<Item = &Entity> + '_>;
    /// Number of distinct article ids among the reports.
    fn article_count(&self) -> usize;
    /// Content hash → article id of the URL-less articles held.
    fn hashes(&self) -> &BTreeMap<String, String>;
    /// Each edge's key and number of reports, sorted by key, without reading the reports.
    fn edge_counts(&self) -> Box<dyn Iterator<Item = (Cow<'_, EdgeKey>, usize)> + '_>;
    /// Each edge whole, sorted by key.
    fn whole_edges(&self) -> Box<dyn Iterator<Item = std::io::Result<Cow<'_, EventEdge>>> + '_>;
}

impl GraphSource for KnowledgeGraph {
    fn nodes(&self) -> Box<dyn Iterator<Item = &Entity> + '_> {
        Box::new(self.entities.values())
    }

    fn article_count(&self) -> usize {
        let ids: BTreeSet<&str> =
            self.edges().flat_map(|e| e.sources.iter().map(|s| s.article.as_str())).collect();
        ids.len()
    }

    fn hashes(&self) -> &BTreeMap<String, String> {
        &self.article_hashes
    }

    fn edge_counts(&self) -> Box<dyn Iterator<Item = (Cow<'_, EdgeKey>, usize)> + '_> {
        Box::new(self.edges.iter().map(|(key, edge)| (Cow::Borrowed(key), edge.count())))
    }

    fn whole_edges(&self) -> Box<dyn Iterator<Item = std::io::Result<Cow<'_, EventEdge>>> + '_> {
        Box::new(self.edges.values().map(|edge| Ok(Cow::Borrowed(edge))))
    }
}

/// The merged graph of many articles.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KnowledgeGraph {
    entities: BTreeMap<EntityId, Entity>,
    edges: BTreeMap<EdgeKey, EventEdge>,
    /// Content hash → article id, for the articles without a URL whose events the graph holds:
    /// what tells such an article apart when it is read again (an article with a URL is known
    /// by the URL its sources carry).
    article_hashes: BTreeMap<String, String>,
}

impl KnowledgeGraph {
    /// An empty graph.
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// Adds one event: its entities become nodes and the event joins its edge.
    pub fn add_event(&mut self, event: &Event) {
        self.add_event_owned(event.clone());
    }

    /// [`KnowledgeGraph::add_event`] for an event the caller no longer needs: its entities and
    /// action move into the graph instead of being copied, which matters when millions are
    /// added. The report's article id, URL and sentence are copied out of the article and
    /// sentence the event shares with its neighbours.
    pub fn add_event_owned(&mut self, event: Event) {
        let Event { article, sentence, actor, action, topic, participants, date, symmetric } =
            event;
        let mut participant_ids: Vec<EntityId> =
            participants.iter().map(|p| p.id.clone()).collect();
        participant_ids.sort();
        let key = EdgeKey {
            actor: actor.id.clone(),
            action,
            topic: topic.as_ref().map(|t| t.id.clone()),
            participants: participant_ids,
        };
        // An entity met with other details (an unknown person's country, say) keeps the
        // smaller record, as in `merge`: so the graph does not depend on the order of the
        // articles, and a build equals the merge of its shards' builds.
        for entity in std::iter::once(actor).chain(topic).chain(participants) {
            match self.entities.get_mut(&entity.id) {
                Some(existing) => {
                    if entity < *existing {
                        *existing = entity;
                    }
                }
                None => {
                    self.entities.insert(entity.id.clone(), entity);
                }
            }
        }
        let provenance = Provenance {
            article: article.id.clone(),
            url: article.url.clone(),
            sentence_index: sentence.index,
            sentence: sentence.text.to_string(),
            date,
        };
        // Look up before inserting: most reports join an existing edge, and a lookup by
        // reference saves cloning the key for them.
        match self.edges.get_mut(&key) {
            Some(edge) => {
                edge.symmetric |= symmetric;
                edge.sources.insert(provenance);
            }
            None => {
                let sources = BTreeSet::from([provenance]);
                self.edges.insert(key.clone(), EventEdge { key, symmetric, sources });
            }
        }
    }

    /// Remembers that the article `id`, which has no URL, has content hash `hash`. Only the
    /// first article with a given hash is held; the caller skips later ones.
    pub fn record_article_hash(&mut self, hash: String, id: String) {
        self.article_hashes.entry(hash).or_insert(id);
    }

    /// Content hash → article id of the URL-less articles the graph holds.
    pub fn article_hashes(&self) -> &BTreeMap<String, String> {
        &self.article_hashes
    }

    /// What identifies each article the graph holds: `url:` and its URL, or `hash:` and the
    /// content hash of an article without URL (see [`article_identity`]).
    pub fn article_identities(&self) -> BTreeSet<String> {
        let urls =
            self.edges.values().flat_map(|e| e.sources.iter().filter_map(|s| s.url.as_deref()));
        identities(urls, self.article_hashes.keys())
    }

    /// Merges another graph into this one. The result does not depend on the order or grouping
    /// of merges (`a ∪ b = b ∪ a`, `(a ∪ b) ∪ c = a ∪ (b ∪ c)`), so shards of a corpus built
    /// anywhere combine into the same graph:
    /// - an entity known to both with different details keeps the smaller (by id, name, kind,
    ///   country), a choice that does not depend on which graph came first;
    /// - reports of the same event are one set;
    /// - an article that both graphs hold under different ids (same URL, or same content hash
    ///   without URL) is held once, under the smaller id; the other copy's reports are dropped,
    ///   and so are the nodes that only they used.
    pub fn merge(&mut self, other: KnowledgeGraph) {
        for (id, entity) in other.entities {
            match self.entities.get_mut(&id) {
                Some(existing) => {
                    if entity < *existing {
                        *existing = entity;
                    }
                }
                None => {
                    self.entities.insert(id, entity);
                }
            }
        }
        let mut losers: BTreeSet<String> = BTreeSet::new();
        for (hash, id) in other.article_hashes {
            match self.article_hashes.get_mut(&hash) {
                Some(existing) if *existing != id => {
                    let loser = if id < *existing { std::mem::replace(existing, id) } else { id };
                    losers.insert(loser);
                }
                Some(_) => {}
                None => {
                    self.article_hashes.insert(hash, id);
                }
            }
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
        // A losing id still holding another hash is another article under the same id.
        let held: BTreeSet<&String> = self.article_hashes.values().collect();
        losers.retain(|id| !held.contains(id));
        self.drop_duplicate_articles(&losers);
    }

    /// Keeps one copy of each article: for a URL, the reports of its smallest article id; for
    /// an article without URL, none of the reports of the ids in `losers`.
    fn drop_duplicate_articles(&mut self, losers: &BTreeSet<String>) {
        let mut first_id: BTreeMap<&str, &str> = BTreeMap::new();
        let mut duplicated = false;
        for source in self.edges.values().flat_map(|e| e.sources.iter()) {
            if let Some(url) = source.url.as_deref() {
                let id = first_id.entry(url).or_insert(source.article.as_str());
                if *id != source.article {
                    duplicated = true;
                    *id = (*id).min(source.article.as_str());
                }
            }
        }
        if !duplicated && losers.is_empty() {
            return;
        }
        let keep: BTreeMap<String, String> =
            first_id.into_iter().map(|(u, i)| (u.to_string(), i.to_string())).collect();
        for edge in self.edges.values_mut() {
            edge.sources.retain(|s| match &s.url {
                Some(url) => keep.get(url).is_none_or(|id| *id == s.article),
                None => !losers.contains(&s.article),
            });
        }
        self.edges.retain(|_, e| !e.sources.is_empty());
        let used: BTreeSet<EntityId> = self
            .edges
            .keys()
            .flat_map(|k| {
                std::iter::once(&k.actor).chain(k.topic.iter()).chain(k.participants.iter())
            })
            .cloned()
            .collect();
        self.entities.retain(|id, _| used.contains(id));
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
        graph.article_hashes = file.article_hashes;
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

/// The identities ([`article_identity`]) of the articles with these URLs and content hashes.
fn identities<'a>(
    urls: impl Iterator<Item = &'a str>,
    hashes: impl Iterator<Item = &'a String>,
) -> BTreeSet<String> {
    let mut identities: BTreeSet<String> = urls.map(|url| format!("url:{url}")).collect();
    identities.extend(hashes.map(|h| format!("hash:{h}")));
    identities
}

/// What identifies an article across builds: `url:` and its URL, or `hash:` and its content
/// hash when it has no URL.
pub fn article_identity(article: &crate::article::Article) -> String {
    match &article.meta.url {
        Some(url) => format!("url:{url}"),
        None => format!("hash:{}", article.content_hash()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::model::{ArticleRef, Cameo, EntityKind, SentenceRef};

    /// An entity without country (also for the spilled graph's tests).
    pub(super) fn entity(kind: EntityKind, name: &str) -> Entity {
        Entity::from(crate::model::EntityFields {
            id: EntityId::new(kind, name),
            name: name.into(),
            kind,
            country: None,
        })
    }

    /// Anne Alpha discussing `topic` with Ben Beta (also for the spilled graph's tests).
    pub(super) fn event(article: &str, sentence: usize, topic: &str, day: u32) -> Event {
        Event {
            article: Arc::new(ArticleRef {
                id: article.into(),
                url: None,
                title: None,
                published: None,
            }),
            sentence: SentenceRef { index: sentence, text: format!("sentence {sentence}").into() },
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

    /// An article of the pool the property tests draw from: id, URL (or none), and the events
    /// it reports as (sentence, actor, topic) indices. Two ids share URL 0: the same article
    /// read under two names, which a merge must hold once.
    fn pool_event(article: usize, sentence: usize, actor: usize, topic: usize) -> Event {
        let names = ["Anne Alpha", "Ben Beta", "Cleo Gamma"];
        let topics = ["trade", "energy", "borders"];
        let url = match article {
            0 | 1 => Some("https://x.example/same".to_string()),
            2 | 3 => Some(format!("https://x.example/{article}")),
            _ => None,
        };
        let mut e =
            event(&format!("art{article}"), sentence, topics[topic % 3], 1 + sentence as u32);
        Arc::make_mut(&mut e.article).url = url;
        e.actor = entity(EntityKind::Person, names[actor % 3]);
        e
    }

    /// A graph built as `build` does: an article already held under another id is skipped,
    /// and the URL-less ones are recorded with their hash. Articles 4 and 5 have the same
    /// content (hash), article 6 its own.
    fn pool_graph(reports: &[(usize, usize, usize, usize)]) -> KnowledgeGraph {
        let mut graph = KnowledgeGraph::new();
        let mut held: BTreeMap<String, String> = BTreeMap::new();
        for &(article, sentence, actor, topic) in reports {
            let e = pool_event(article, sentence, actor, topic);
            let hash = if article == 6 { "h6" } else { "h45" };
            let identity = e.article.url.clone().unwrap_or_else(|| hash.to_string());
            if held.entry(identity).or_insert_with(|| e.article.id.clone()) != &e.article.id {
                continue;
            }
            if e.article.url.is_none() {
                graph.record_article_hash(hash.to_string(), e.article.id.clone());
            }
            graph.add_event_owned(e);
        }
        graph
    }

    fn merged(parts: &[&KnowledgeGraph]) -> KnowledgeGraph {
        let mut out = KnowledgeGraph::new();
        parts.iter().for_each(|g| out.merge((*g).clone()));
        out
    }

    proptest::proptest! {
        #[test]
        fn merge_is_commutative_associative_and_idempotent(
            a in proptest::collection::vec((0..7usize, 0..4usize, 0..3usize, 0..3usize), 0..8),
            b in proptest::collection::vec((0..7usize, 0..4usize, 0..3usize, 0..3usize), 0..8),
            c in proptest::collection::vec((0..7usize, 0..4usize, 0..3usize, 0..3usize), 0..8),
        ) {
            let (a, b, c) = (pool_graph(&a), pool_graph(&b), pool_graph(&c));
            let ab = merged(&[&a, &b]);
            proptest::prop_assert_eq!(&ab, &merged(&[&b, &a]));
            let ab_c = merged(&[&ab, &c]);
            let bc = merged(&[&b, &c]);
            proptest::prop_assert_eq!(&ab_c, &merged(&[&a, &bc]));
            proptest::prop_assert_eq!(&ab_c, &merged(&[&c, &b, &a]));
            proptest::prop_assert_eq!(&merged(&[&ab_c, &ab_c]), &ab_c);
            // One URL, two article ids: only the smaller id's reports remain.
            let both = ab_c.edges().flat_map(|e| e.sources.iter())
                .filter(|s| s.url.as_deref() == Some("https://x.example/same"))
                .map(|s| s.article.as_str())
                .collect::<BTreeSet<_>>();
            proptest::prop_assert!(both.len() <= 1, "{:?}", both);
            let hashed = ab_c.edges().flat_map(|e| e.sources.iter())
                .filter(|s| s.article == "art4" || s.article == "art5")
                .map(|s| s.article.as_str())
                .collect::<BTreeSet<_>>();
            proptest::prop_assert!(hashed.len() <= 1, "{:?}", hashed);
        }
    }

    #[test]
    fn merging_a_copy_of_an_article_under_another_id_keeps_one() {
        let first = pool_graph(&[(1, 0, 0, 0), (2, 1, 1, 1)]);
        let second = pool_graph(&[(0, 0, 0, 0), (0, 2, 2, 2)]);
        let mut all = first.clone();
        all.merge(second.clone());
        let ids: BTreeSet<&str> =
            all.edges().flat_map(|e| e.sources.iter().map(|s| s.article.as_str())).collect();
        assert_eq!(ids, BTreeSet::from(["art0", "art2"]));
        // Anne's node stays: art0 still uses it.
        assert!(all.entity(&EntityId::new(EntityKind::Person, "Anne Alpha")).is_some());
        let mut other_way = second;
        other_way.merge(first);
        assert_eq!(all, other_way);
    }

    #[test]
    fn merge_keeps_the_smaller_of_two_versions_of_an_entity() {
        let mut one = KnowledgeGraph::new();
        let mut e = event("a", 1, "trade", 3);
        e.actor.country = Some("ZZZ".into());
        one.add_event(&e);
        let mut two = KnowledgeGraph::new();
        let mut e = event("b", 1, "trade", 3);
        e.actor.country = Some("AAA".into());
        two.add_event(&e);
        let mut x = one.clone();
        x.merge(two.clone());
        two.merge(one);
        assert_eq!(x, two);
        let actor = x.entity(&EntityId::new(EntityKind::Person, "Anne Alpha")).expect("actor");
        assert_eq!(actor.country.as_deref(), Some("AAA"));
    }

    #[test]
    fn a_build_keeps_the_smaller_version_of_an_entity_whatever_the_order() {
        let mut with_country = event("a", 1, "trade", 3);
        with_country.actor.country = Some("TUR".into());
        let without = event("b", 1, "energy", 3);
        let mut forward = KnowledgeGraph::new();
        forward.add_event(&with_country);
        forward.add_event(&without);
        let mut backward = KnowledgeGraph::new();
        backward.add_event(&without);
        backward.add_event(&with_country);
        assert_eq!(forward, backward);
        // And a build of both equals the merge of the builds of each (Spark's partitions).
        let mut one = KnowledgeGraph::new();
        one.add_event(&with_country);
        let mut two = KnowledgeGraph::new();
        two.add_event(&without);
        one.merge(two);
        assert_eq!(one, forward);
        let actor = forward.entity(&EntityId::new(EntityKind::Person, "Anne Alpha"));
        assert_eq!(actor.and_then(|a| a.country.as_deref()), None);
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
