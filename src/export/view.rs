//! What an export shows: a selection of the graph's events (filters), drawn as one of three
//! views. Every writer reads the same small [`ViewGraph`] (nodes and edges with scalar
//! attributes and their sources), so that a format only decides how to spell it, and the node
//! and edge counts of a view are the same in every format.
//!
//! - **events**: a node per entity, an edge per event (actor → topic, else first participant),
//!   as in `graph.json`. Without any filter every node of the graph is kept, so the counts are
//!   the graph's; with a filter, the entities the kept events name.
//! - **actors**: a node per acting entity, an undirected edge per pair of parties that took part
//!   in an event together (the actor and each participant; every pair in a symmetric event),
//!   weighted by reports and split into cooperation and conflict.
//! - **topics**: the actor–topic graph: an edge from each acting party (the actor, and every
//!   participant of a symmetric event) to the event's topic, weighted by reports.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;

use crate::graph::{EdgeKey, EventEdge, KnowledgeGraph};
use crate::model::{Entity, EntityId, EntityKind, Provenance, QuadClass};
use crate::query::{FilterSpec, QueryGraph, Reports};

use super::ExportError;

/// The shape of an exported graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum View {
    /// Entities and events.
    Events,
    /// Actors linked by their interactions.
    Actors,
    /// Actors linked to the topics of their events.
    Topics,
}

impl View {
    /// Every view, in the order help texts list them.
    pub const ALL: [View; 3] = [View::Events, View::Actors, View::Topics];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            View::Events => "events",
            View::Actors => "actors",
            View::Topics => "topics",
        }
    }

    /// The view with this command-line name.
    pub fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// Which events an export keeps. All given conditions must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Reports on or after this day.
    pub since: Option<NaiveDate>,
    /// Reports on or before this day.
    pub until: Option<NaiveDate>,
    /// A party's country (ISO alpha-3 code or a country's name).
    pub country: Option<String>,
    /// CAMEO codes or roots; an event is kept when its code starts with one of them.
    pub cameo: Vec<String>,
    /// Edges of the view with fewer reports are left out.
    pub min_count: Option<usize>,
    /// Only the N most connected actors (by reports in which they are a party) and the edges
    /// that touch them.
    pub top: Option<usize>,
}

impl Selection {
    /// True when nothing is filtered.
    pub fn is_empty(&self) -> bool {
        *self == Selection::default()
    }
}

/// A scalar attribute value: what every graph format can hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A real number.
    Float(f64),
    /// True or false.
    Bool(bool),
}

impl Scalar {
    /// The value's type.
    pub fn kind(&self) -> ScalarType {
        match self {
            Scalar::Text(_) => ScalarType::Text,
            Scalar::Int(_) => ScalarType::Int,
            Scalar::Float(_) => ScalarType::Float,
            Scalar::Bool(_) => ScalarType::Bool,
        }
    }

    /// The value as text (numbers in their shortest exact form, booleans as `true`/`false`).
    pub fn text(&self) -> String {
        match self {
            Scalar::Text(text) => text.clone(),
            Scalar::Int(n) => n.to_string(),
            Scalar::Float(x) => format!("{x:?}"),
            Scalar::Bool(b) => b.to_string(),
        }
    }

    /// The value as JSON.
    pub fn json(&self) -> serde_json::Value {
        match self {
            Scalar::Text(text) => serde_json::Value::from(text.as_str()),
            Scalar::Int(n) => serde_json::Value::from(*n),
            Scalar::Float(x) => serde_json::Value::from(*x),
            Scalar::Bool(b) => serde_json::Value::from(*b),
        }
    }
}

/// The type of a [`Scalar`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarType {
    /// Text.
    Text,
    /// Whole number.
    Int,
    /// Real number.
    Float,
    /// Boolean.
    Bool,
}

/// Named scalar attributes, in a fixed order.
pub type Attributes = Vec<(&'static str, Scalar)>;

/// A node of a view: an entity.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewNode {
    /// The entity id (`person:vladimir-putin`, `state:TUR`).
    pub id: String,
    /// Display name.
    pub label: String,
    /// Kind of entity.
    pub kind: EntityKind,
    /// ISO alpha-3 country, if any.
    pub country: Option<String>,
    /// Reports of the view's events that name this entity.
    pub reports: usize,
}

impl ViewNode {
    /// The node's attributes (`label`, `kind`, `country` when known, `reports`).
    pub fn attributes(&self) -> Attributes {
        let mut out = vec![
            ("label", Scalar::Text(self.label.clone())),
            ("kind", Scalar::Text(self.kind.as_str().to_string())),
        ];
        if let Some(country) = &self.country {
            out.push(("country", Scalar::Text(country.clone())));
        }
        out.push(("reports", Scalar::Int(to_i64(self.reports))));
        out
    }
}

/// An edge of a view.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewEdge {
    /// Unique among the view's edges, and never an entity id (`e0`, `e1`, …).
    pub id: String,
    /// Source node id.
    pub source: String,
    /// Target node id.
    pub target: String,
    /// What links them: the verb of an event, `interacts with` or `about`.
    pub relation: String,
    /// Short display label.
    pub label: String,
    /// Number of reports.
    pub count: usize,
    /// Earliest report date.
    pub first_date: Option<NaiveDate>,
    /// Latest report date.
    pub last_date: Option<NaiveDate>,
    /// The event's quad class, or for an aggregated edge the class with most reports.
    pub quad_class: QuadClass,
    /// True when the edge has no direction to draw: a symmetric event without a topic
    /// (discuss, meet), and every pair of the actors view.
    pub undirected: bool,
    /// Attributes particular to the view (CAMEO code, participants, cooperation counts…).
    pub extra: Attributes,
    /// Every report behind the edge.
    pub sources: Vec<Provenance>,
}

impl ViewEdge {
    /// The edge's attributes: `label`, `relation`, `count`, dates, `quad_class`, then the
    /// view's own, then `sources` as one text (`date url #sentence: text`, joined by ` | `).
    pub fn attributes(&self) -> Attributes {
        let mut out = vec![
            ("label", Scalar::Text(self.label.clone())),
            ("relation", Scalar::Text(self.relation.clone())),
            ("count", Scalar::Int(to_i64(self.count))),
        ];
        if let Some(date) = self.first_date {
            out.push(("first_date", Scalar::Text(date.to_string())));
        }
        if let Some(date) = self.last_date {
            out.push(("last_date", Scalar::Text(date.to_string())));
        }
        out.push(("quad_class", Scalar::Text(self.quad_class.as_str().to_string())));
        out.extend(self.extra.iter().cloned());
        out.push(("sources", Scalar::Text(sources_text(&self.sources))));
        out
    }
}

/// The sources of an edge as one line of text, for formats that only hold scalars.
pub fn sources_text(sources: &[Provenance]) -> String {
    let one = |s: &Provenance| {
        let date = s.date.map_or_else(|| "undated".to_string(), |d| d.to_string());
        let place = s.url.as_deref().unwrap_or(&s.article);
        format!("{date} {place} #{}: {}", s.sentence_index, s.sentence)
    };
    sources.iter().map(one).collect::<Vec<_>>().join(" | ")
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A view of a selection: what every writer reads.
#[derive(Debug, Clone, PartialEq)]
pub struct ViewGraph {
    /// Which view this is.
    pub view: View,
    /// Whether edges have a direction (the actors view's do not).
    pub directed: bool,
    /// Nodes, sorted by id.
    pub nodes: Vec<ViewNode>,
    /// Edges, in the graph's edge order (events) or sorted by their ends.
    pub edges: Vec<ViewEdge>,
    /// In the events view, each actor and participant of an event that has a topic (sorted,
    /// once per pair). The event's edge points at the topic, so DOT draws these as light
    /// links; they are not edges of the view and no other format writes them.
    pub companions: Vec<(String, String)>,
}

impl ViewGraph {
    /// Whether two edges may join the same pair of nodes (only in the events view).
    pub fn multigraph(&self) -> bool {
        self.view == View::Events
    }

    /// The attribute names and types used by the nodes (or edges), in first-use order, so
    /// that formats which declare their attributes declare each once.
    pub fn schema<'a>(items: impl IntoIterator<Item = Attributes>) -> Vec<(&'a str, ScalarType)> {
        let mut out: Vec<(&str, ScalarType)> = Vec::new();
        for attributes in items {
            for (name, value) in attributes {
                if !out.iter().any(|(n, _)| *n == name) {
                    out.push((name, value.kind()));
                }
            }
        }
        out
    }
}

/// A selection of a graph's events and the view of it that was asked for.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The selected events (for the events view, after `--min-count`).
    pub graph: KnowledgeGraph,
    /// The view.
    pub view: ViewGraph,
}

/// Selects a loaded graph's events and builds a view of them. Dates, country and name
/// resolution are the query commands' (a report outside the date range does not count).
pub fn prepare(
    graph: &QueryGraph,
    selection: &Selection,
    view: View,
) -> Result<Exported, ExportError> {
    let mut selected = select(graph, selection)?;
    if let Some(top) = selection.top {
        selected = most_connected(&selected, top);
    }
    if view == View::Events {
        if let Some(min) = selection.min_count {
            selected = retain(&selected, |e| e.count() >= min);
        }
    }
    let mut view_graph = match view {
        View::Events => events_view(&selected),
        View::Actors => pair_view(&selected, View::Actors),
        View::Topics => pair_view(&selected, View::Topics),
    };
    if view != View::Events {
        if let Some(min) = selection.min_count {
            view_graph.edges.retain(|e| e.count >= min);
            let used: BTreeSet<&str> = view_graph
                .edges
                .iter()
                .flat_map(|e| [e.source.as_str(), e.target.as_str()])
                .collect();
            let nodes = view_graph.nodes.iter().filter(|n| used.contains(n.id.as_str()));
            let nodes: Vec<ViewNode> = nodes.cloned().collect();
            view_graph.nodes = nodes;
        }
        renumber(&mut view_graph.edges);
    }
    Ok(Exported { graph: selected, view: view_graph })
}

/// The events that pass the date range, country and CAMEO filters, as a graph. Without any
/// filter every node is kept, isolated ones included, so the graph is the file's.
fn select(graph: &QueryGraph, selection: &Selection) -> Result<KnowledgeGraph, ExportError> {
    let prefixes = selection
        .cameo
        .iter()
        .map(|c| cameo_prefix(c))
        .collect::<Result<Vec<String>, ExportError>>()?;
    let spec = FilterSpec {
        country: selection.country.clone(),
        since: selection.since,
        until: selection.until,
        ..FilterSpec::default()
    };
    let (filter, _) = graph.resolve(&spec)?;
    let mut selected = KnowledgeGraph::new();
    if selection.is_empty() {
        graph.nodes().iter().for_each(|n| selected.add_entity(n.clone()));
    }
    for answer in graph.query(&filter) {
        let edge = &graph.edges()[answer.edge];
        let code = edge.action.cameo.code();
        if !prefixes.is_empty() && !prefixes.iter().any(|p| code.starts_with(p.as_str())) {
            continue;
        }
        let named = edge.parties().chain(edge.topic);
        named.for_each(|n| selected.add_entity(graph.node(n).clone()));
        let sources = match &answer.reports {
            Reports::All => edge.sources.iter().cloned().collect(),
            Reports::Only(list) => list.iter().map(|&i| edge.sources[i].clone()).collect(),
        };
        let mut participants: Vec<EntityId> =
            edge.participants.iter().map(|&p| graph.node(p).id.clone()).collect();
        participants.sort();
        selected.add_edge(EventEdge {
            key: EdgeKey {
                actor: graph.node(edge.actor).id.clone(),
                action: edge.action.clone(),
                topic: edge.topic.map(|t| graph.node(t).id.clone()),
                participants,
            },
            symmetric: edge.symmetric,
            sources,
        });
    }
    Ok(selected)
}

/// A `--cameo` value checked: a CAMEO code or root (`04`, `042`, `0421`).
fn cameo_prefix(text: &str) -> Result<String, ExportError> {
    let text = text.trim();
    match crate::model::Cameo::parse(text) {
        Some(code) => Ok(code.code().to_string()),
        None => Err(ExportError::BadCameo(text.to_string())),
    }
}

/// The edges of `graph` that pass `keep`, with the entities they name.
fn retain(graph: &KnowledgeGraph, keep: impl Fn(&EventEdge) -> bool) -> KnowledgeGraph {
    let mut out = KnowledgeGraph::new();
    for edge in graph.edges().filter(|e| keep(e)) {
        for id in named(&edge.key) {
            if let Some(entity) = graph.entity(id) {
                out.add_entity(entity.clone());
            }
        }
        out.add_edge(edge.clone());
    }
    out
}

/// Every entity an edge names: actor, topic, participants.
fn named(key: &EdgeKey) -> impl Iterator<Item = &EntityId> {
    std::iter::once(&key.actor).chain(key.topic.iter()).chain(&key.participants)
}

/// The parties of an edge (actor and participants), each once.
fn parties(edge: &EventEdge) -> BTreeSet<&EntityId> {
    std::iter::once(&edge.key.actor).chain(&edge.key.participants).collect()
}

/// The `n` actors with most reports as a party (ties by id), and the edges touching them.
fn most_connected(graph: &KnowledgeGraph, n: usize) -> KnowledgeGraph {
    let mut reports: BTreeMap<&EntityId, usize> = BTreeMap::new();
    for edge in graph.edges() {
        for party in parties(edge) {
            *reports.entry(party).or_default() += edge.count();
        }
    }
    let mut ranked: Vec<(&EntityId, usize)> = reports.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let top: BTreeSet<EntityId> = ranked.into_iter().take(n).map(|(id, _)| id.clone()).collect();
    retain(graph, |e| parties(e).iter().any(|p| top.contains(*p)))
}

fn node(entity: &Entity, reports: usize) -> ViewNode {
    ViewNode {
        id: entity.id.as_str().to_string(),
        label: entity.name.clone(),
        kind: entity.kind,
        country: entity.country.clone(),
        reports,
    }
}

/// A whole graph, unfiltered, in the events view (what `build` writes).
pub fn whole(graph: KnowledgeGraph) -> Exported {
    let view = events_view(&graph);
    Exported { graph, view }
}

/// The events view: the graph itself.
pub fn events_view(graph: &KnowledgeGraph) -> ViewGraph {
    let counts = || graph.edges().map(|e| (&e.key, e.count()));
    let nodes = event_nodes(graph.entities(), counts());
    let edges = graph.edges().enumerate().map(|(index, edge)| event_edge(index, edge)).collect();
    let companions = companions(graph.edges().map(|e| &e.key));
    ViewGraph { view: View::Events, directed: true, nodes, edges, companions }
}

/// The nodes of the events view, each with the number of reports that name it.
pub fn event_nodes<'g, K: Borrow<EdgeKey>>(
    entities: impl Iterator<Item = &'g Entity>,
    edges: impl Iterator<Item = (K, usize)>,
) -> Vec<ViewNode> {
    // Only looked up, never listed: a hash map, and a sorted list for an edge's few ids.
    let mut reports: crate::text::WordMap<EntityId, usize> = Default::default();
    for (key, count) in edges {
        let mut ids: Vec<&EntityId> = named(key.borrow()).collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            match reports.get_mut(id) {
                Some(total) => *total += count,
                None => {
                    reports.insert(id.clone(), count);
                }
            }
        }
    }
    entities.map(|e| node(e, reports.get(&e.id).copied().unwrap_or(0))).collect()
}

/// The `index`th edge of the events view.
pub fn event_edge(index: usize, edge: &EventEdge) -> ViewEdge {
    let cameo = &edge.key.action.cameo;
    let verb = &edge.key.action.verb;
    let count = edge.count();
    let label = if count > 1 {
        format!("{verb} ({}) ×{count}", cameo.code())
    } else {
        format!("{verb} ({})", cameo.code())
    };
    let mut extra: Attributes = vec![
        ("verb", Scalar::Text(verb.to_string())),
        ("cameo", Scalar::Text(cameo.code().to_string())),
        ("root", Scalar::Text(cameo.root().to_string())),
        ("goldstein", Scalar::Float(cameo.goldstein())),
    ];
    if let Some(topic) = &edge.key.topic {
        extra.push(("topic", Scalar::Text(topic.as_str().to_string())));
    }
    if !edge.key.participants.is_empty() {
        let list: Vec<&str> = edge.key.participants.iter().map(EntityId::as_str).collect();
        extra.push(("participants", Scalar::Text(list.join("; "))));
    }
    extra.push(("symmetric", Scalar::Bool(edge.symmetric)));
    ViewEdge {
        id: format!("e{index}"),
        source: edge.key.actor.as_str().to_string(),
        target: edge.target().as_str().to_string(),
        relation: verb.to_string(),
        label,
        count,
        first_date: edge.first_date(),
        last_date: edge.last_date(),
        quad_class: cameo.quad_class(),
        undirected: edge.symmetric && edge.key.topic.is_none(),
        extra,
        sources: edge.sources.iter().cloned().collect(),
    }
}

/// The actor–participant pairs of topical events, each once, sorted.
pub fn companions<K: Borrow<EdgeKey>>(keys: impl Iterator<Item = K>) -> Vec<(String, String)> {
    let mut pairs = BTreeSet::new();
    for key in keys {
        let key = key.borrow();
        if key.topic.is_none() {
            continue;
        }
        for participant in &key.participants {
            pairs.insert((key.actor.to_string(), participant.to_string()));
        }
    }
    pairs.into_iter().collect()
}

/// What an aggregated edge sums up.
#[derive(Default)]
struct Tally<'g> {
    events: usize,
    reports: usize,
    by_class: BTreeMap<QuadClass, usize>,
    verbs: BTreeSet<&'g str>,
    sources: BTreeSet<&'g Provenance>,
}

/// The actors view (undirected pairs of parties) or the topics view (acting party → topic).
fn pair_view(graph: &KnowledgeGraph, view: View) -> ViewGraph {
    let mut pairs: BTreeMap<(&EntityId, &EntityId), Tally> = BTreeMap::new();
    for edge in graph.edges() {
        let list: Vec<(&EntityId, &EntityId)> = match view {
            View::Actors => actor_pairs(edge),
            _ => match &edge.key.topic {
                Some(topic) => {
                    let acting: BTreeSet<&EntityId> = if edge.symmetric {
                        parties(edge)
                    } else {
                        BTreeSet::from([&edge.key.actor])
                    };
                    acting.into_iter().filter(|a| *a != topic).map(|a| (a, topic)).collect()
                }
                None => Vec::new(),
            },
        };
        for pair in list {
            let tally = pairs.entry(pair).or_default();
            tally.events += 1;
            tally.reports += edge.count();
            *tally.by_class.entry(edge.key.action.cameo.quad_class()).or_default() += edge.count();
            tally.verbs.insert(&edge.key.action.verb);
            tally.sources.extend(edge.sources.iter());
        }
    }
    let mut reports: BTreeMap<&EntityId, usize> = BTreeMap::new();
    for ((a, b), tally) in &pairs {
        *reports.entry(a).or_default() += tally.reports;
        *reports.entry(b).or_default() += tally.reports;
    }
    let nodes =
        reports.iter().filter_map(|(id, &n)| graph.entity(id).map(|e| node(e, n))).collect();
    let relation = if view == View::Actors { "interacts with" } else { "about" };
    let edges = pairs
        .into_iter()
        .map(|((a, b), tally)| {
            let cooperation: usize =
                tally.by_class.iter().filter(|(c, _)| c.is_cooperation()).map(|(_, n)| n).sum();
            let conflict = tally.reports - cooperation;
            // The class with most reports; on a tie the first in CAMEO order.
            let quad_class = tally
                .by_class
                .iter()
                .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)))
                .map_or(QuadClass::VerbalCooperation, |(c, _)| *c);
            let verbs: Vec<&str> = tally.verbs.iter().copied().collect();
            let dates = tally.sources.iter().filter_map(|s| s.date);
            ViewEdge {
                id: String::new(),
                source: a.as_str().to_string(),
                target: b.as_str().to_string(),
                relation: relation.to_string(),
                label: format!("{} ×{}", verbs.join(", "), tally.reports),
                count: tally.reports,
                first_date: dates.clone().min(),
                last_date: dates.max(),
                quad_class,
                undirected: view == View::Actors,
                extra: vec![
                    ("events", Scalar::Int(to_i64(tally.events))),
                    ("cooperation", Scalar::Int(to_i64(cooperation))),
                    ("conflict", Scalar::Int(to_i64(conflict))),
                    ("verbs", Scalar::Text(verbs.join(", "))),
                ],
                sources: tally.sources.into_iter().cloned().collect(),
            }
        })
        .collect();
    ViewGraph { view, directed: view != View::Actors, nodes, edges, companions: Vec::new() }
}

/// The pairs of parties an event links, each written (smaller id, larger id): the actor with
/// each participant, and in a symmetric event every two parties.
fn actor_pairs(edge: &EventEdge) -> Vec<(&EntityId, &EntityId)> {
    let all: Vec<&EntityId> = parties(edge).into_iter().collect();
    let mut out = BTreeSet::new();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            let involves_actor = **a == edge.key.actor || **b == edge.key.actor;
            if edge.symmetric || involves_actor {
                out.insert((*a, *b));
            }
        }
    }
    out.into_iter().collect()
}

fn renumber(edges: &mut [ViewEdge]) {
    for (index, edge) in edges.iter_mut().enumerate() {
        edge.id = format!("e{index}");
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::export::json;
    use std::sync::Arc;

    use crate::model::{Action, ArticleRef, Cameo, Event, SentenceRef};

    pub(crate) fn entity(kind: EntityKind, name: &str, country: Option<&str>) -> Entity {
        Entity::from(crate::model::EntityFields {
            id: EntityId::new(kind, name),
            name: name.into(),
            kind,
            country: country.map(str::to_string),
        })
    }

    #[test]
    fn event_nodes_count_each_edges_reports_once_per_named_entity() {
        let (alpha, beta, trade, idle) = (
            entity(EntityKind::State, "AAA", Some("AAA")),
            entity(EntityKind::Person, "Beta", None),
            entity(EntityKind::Issue, "trade", None),
            entity(EntityKind::State, "ZZZ", Some("ZZZ")),
        );
        let action = Action { verb: "discuss".into(), cameo: Cameo::parse("040").expect("code") };
        let key = |topic: Option<&Entity>, participants: Vec<&Entity>| EdgeKey {
            actor: alpha.id.clone(),
            action: action.clone(),
            topic: topic.map(|t| t.id.clone()),
            participants: participants.into_iter().map(|p| p.id.clone()).collect(),
        };
        // Alpha twice in one key (actor and participant) is counted once for that edge.
        let edges = vec![(key(Some(&trade), vec![&beta, &alpha]), 3), (key(None, vec![&beta]), 2)];
        let entities = [&alpha, &beta, &trade, &idle];
        let nodes = event_nodes(entities.into_iter(), edges.into_iter());
        let counts: Vec<(&str, usize)> =
            nodes.iter().map(|n| (n.label.as_str(), n.reports)).collect();
        assert_eq!(counts, [("AAA", 5), ("Beta", 5), ("trade", 3), ("ZZZ", 0)]);
    }

    /// A small graph: Alpha (AAA) discusses trade with Beta (BBB) twice, condemns Beta once,
    /// and Gamma (CCC) meets Alpha and Beta; one report is undated.
    pub(crate) fn sample() -> KnowledgeGraph {
        let alpha = entity(EntityKind::State, "AAA", Some("AAA"));
        let beta = entity(EntityKind::Person, "Ben \"Beta\" Bee", Some("BBB"));
        let gamma = entity(EntityKind::Organization, "Gamma Council", None);
        let trade = entity(EntityKind::Issue, "trade", None);
        let mut graph = KnowledgeGraph::new();
        let mut add = |article: &str,
                       index: usize,
                       actor: &Entity,
                       verb: &str,
                       code: &str,
                       topic: Option<&Entity>,
                       participants: Vec<Entity>,
                       day: Option<u32>| {
            graph.add_event(&Event {
                article: Arc::new(ArticleRef {
                    id: article.into(),
                    url: Some(format!("https://news.example/{article}?a=1&b=<2>")),
                    title: None,
                    published: None,
                }),
                sentence: SentenceRef {
                    index,
                    text: format!("Sentence {index}\twith \"quotes\", a \\ and\na line break.")
                        .into(),
                },
                actor: actor.clone(),
                action: Action { verb: verb.into(), cameo: Cameo::parse(code).expect("code") },
                topic: topic.cloned(),
                participants,
                date: day.and_then(|d| NaiveDate::from_ymd_opt(2021, 3, d)),
                symmetric: verb == "discuss" || verb == "meet",
            });
        };
        add("a1", 1, &alpha, "discuss", "040", Some(&trade), vec![beta.clone()], Some(1));
        add("a2", 2, &alpha, "discuss", "040", Some(&trade), vec![beta.clone()], Some(5));
        add("a2", 3, &alpha, "criticize", "111", None, vec![beta.clone()], Some(5));
        add("a3", 1, &gamma, "meet", "043", None, vec![alpha.clone(), beta.clone()], None);
        graph
    }

    pub(crate) fn query_graph(graph: &KnowledgeGraph) -> QueryGraph {
        let file = json::graph_file(graph);
        let lexicon = crate::lexicon::Lexicon::embedded().expect("lexicon");
        QueryGraph::from_file(file, std::path::Path::new("g.json"), lexicon).expect("loads")
    }

    pub(crate) fn exported(selection: &Selection, view: View) -> Exported {
        prepare(&query_graph(&sample()), selection, view).expect("prepares")
    }

    #[test]
    fn events_view_without_filters_is_the_graph() {
        let graph = sample();
        let out = exported(&Selection::default(), View::Events);
        assert_eq!(out.graph, graph);
        assert_eq!(out.view.nodes.len(), graph.node_count());
        assert_eq!(out.view.edges.len(), graph.edge_count());
        let ids: BTreeSet<&str> = out.view.edges.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids.len(), out.view.edges.len());
        let discuss = out.view.edges.iter().find(|e| e.relation == "discuss").expect("discuss");
        assert_eq!(discuss.count, 2);
        assert_eq!(discuss.target, "issue:trade");
        assert_eq!(discuss.first_date, NaiveDate::from_ymd_opt(2021, 3, 1));
    }

    #[test]
    fn actors_view_pairs_parties_and_splits_cooperation_from_conflict() {
        let out = exported(&Selection::default(), View::Actors);
        assert!(!out.view.directed);
        // Alpha–Beta (discuss ×2, criticize, meet), Alpha–Gamma, Beta–Gamma (meet).
        assert_eq!(out.view.edges.len(), 3);
        assert_eq!(out.view.nodes.len(), 3);
        let ab = out
            .view
            .edges
            .iter()
            .find(|e| e.source == "person:ben-beta-bee" && e.target == "state:AAA")
            .expect("pair");
        assert_eq!(ab.count, 4);
        assert!(ab.extra.contains(&("cooperation", Scalar::Int(3))));
        assert!(ab.extra.contains(&("conflict", Scalar::Int(1))));
        assert_eq!(ab.quad_class, QuadClass::VerbalCooperation);
    }

    #[test]
    fn topics_view_links_acting_parties_to_topics() {
        let out = exported(&Selection::default(), View::Topics);
        let ends: Vec<(&str, &str)> =
            out.view.edges.iter().map(|e| (e.source.as_str(), e.target.as_str())).collect();
        assert_eq!(ends, [("person:ben-beta-bee", "issue:trade"), ("state:AAA", "issue:trade")]);
    }

    #[test]
    fn filters_narrow_events_and_nodes() {
        let since =
            Selection { since: NaiveDate::from_ymd_opt(2021, 3, 2), ..Selection::default() };
        let out = exported(&since, View::Events);
        // The undated meeting and the first discussion report fall outside the range.
        assert_eq!(out.graph.edge_count(), 2);
        assert_eq!(out.graph.node_count(), 3);
        let cameo = Selection { cameo: vec!["11".into()], ..Selection::default() };
        assert_eq!(exported(&cameo, View::Events).graph.edge_count(), 1);
        let min = Selection { min_count: Some(2), ..Selection::default() };
        assert_eq!(exported(&min, View::Events).graph.edge_count(), 1);
        assert_eq!(exported(&min, View::Actors).view.edges.len(), 1);
        let country = Selection { country: Some("BBB".into()), ..Selection::default() };
        assert_eq!(exported(&country, View::Events).graph.edge_count(), 3);
        let top = Selection { top: Some(1), ..Selection::default() };
        // Alpha and Beta tie on 4 reports; the smaller id (Beta's) wins, and every event
        // has Beta as a party.
        assert_eq!(exported(&top, View::Events).graph.edge_count(), 3);
        let bad = Selection { cameo: vec!["99".into()], ..Selection::default() };
        let error = prepare(&query_graph(&sample()), &bad, View::Events).expect_err("bad code");
        assert!(error.to_string().contains("'99'"), "{error}");
    }
}
