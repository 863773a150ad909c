//! The views of a graph beyond a filtered list of events: who an actor dealt with
//! ([`neighbors`]), how two actors are connected ([`path`]), what happened in date order
//! ([`timeline`]), who and what is most reported ([`top`]), and what the graph holds ([`stats`]).
//! All of them count reports (sources), not edges, since an edge reported ten times is ten
//! times the evidence; and all of them respect the filter's date range.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use petgraph::graph::{NodeIndex, UnGraph};
use serde::Serialize;

use crate::model::{Action, Entity, Provenance, QuadClass};

use super::format::{date, Render, Table, TableRow};
use super::{Edge, Filter, QueryGraph, Roles, Rows};

/// How many sources a text table shows under an event; JSON and CSV carry them all.
const TABLE_SOURCES: usize = 3;

fn names(entities: &[&Entity]) -> String {
    if entities.is_empty() {
        "-".to_string()
    } else {
        entities.iter().map(|e| e.name.as_str()).collect::<Vec<_>>().join(", ")
    }
}

fn action_cell(action: &Action) -> String {
    format!("{} ({})", action.verb, action.cameo)
}

fn source_line(source: &Provenance) -> String {
    let place = source.url.as_deref().unwrap_or(&source.article);
    format!(
        "{} {} (sentence {}): \"{}\"",
        date(source.date),
        place,
        source.sentence_index,
        source.sentence
    )
}

impl Render for Rows<'_> {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new(&["ACTOR", "ACTION", "TOPIC", "WITH", "COUNT", "FIRST", "LAST"]);
        for row in &self.0 {
            let mut details: Vec<String> =
                row.sources.iter().take(TABLE_SOURCES).map(|s| source_line(s)).collect();
            if row.sources.len() > TABLE_SOURCES {
                details.push(format!(
                    "… {} more reports (--format json or csv lists them all)",
                    row.sources.len() - TABLE_SOURCES
                ));
            }
            table.rows.push(TableRow {
                cells: vec![
                    row.actor.name.clone(),
                    action_cell(row.action),
                    row.topic.map_or("-".to_string(), |t| t.name.clone()),
                    names(&row.participants),
                    row.count.to_string(),
                    date(row.first_date),
                    date(row.last_date),
                ],
                details,
            });
        }
        vec![table]
    }

    /// One line per report, the event's columns repeated, so that a spreadsheet keeps every
    /// source sentence.
    fn csv_table(&self) -> Table {
        let mut table = Table::new(&[
            "actor",
            "actor_id",
            "verb",
            "cameo",
            "topic",
            "topic_id",
            "participants",
            "participant_ids",
            "count",
            "first_date",
            "last_date",
            "date",
            "article",
            "url",
            "sentence_index",
            "sentence",
        ]);
        for row in &self.0 {
            let ids: Vec<&str> = row.participants.iter().map(|p| p.id.as_str()).collect();
            for source in &row.sources {
                table.push(vec![
                    row.actor.name.clone(),
                    row.actor.id.to_string(),
                    row.action.verb.to_string(),
                    row.action.cameo.to_string(),
                    row.topic.map_or(String::new(), |t| t.name.clone()),
                    row.topic.map_or(String::new(), |t| t.id.to_string()),
                    row.participants.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; "),
                    ids.join("; "),
                    row.count.to_string(),
                    row.first_date.map_or(String::new(), |d| d.to_string()),
                    row.last_date.map_or(String::new(), |d| d.to_string()),
                    source.date.map_or(String::new(), |d| d.to_string()),
                    source.article.clone(),
                    source.url.clone().unwrap_or_default(),
                    source.sentence_index.to_string(),
                    source.sentence.clone(),
                ]);
            }
        }
        table
    }

    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Reports of an edge inside the filter's date range.
fn reports_in_range(edge: &Edge, filter: &Filter) -> usize {
    if filter.has_dates() {
        edge.sources.iter().filter(|s| filter.date_ok(s.date)).count()
    } else {
        edge.sources.len()
    }
}

fn is_cooperation(edge: &Edge) -> bool {
    matches!(
        edge.action.cameo.quad_class(),
        QuadClass::VerbalCooperation | QuadClass::MaterialCooperation
    )
}

/// Who an actor dealt with.
#[derive(Debug, Serialize)]
pub struct Neighbors<'g> {
    /// The actor (several when the name matched several nodes).
    pub actor: Vec<&'g Entity>,
    /// Counterparts, most reports first.
    pub counterparts: Vec<Neighbor<'g>>,
}

/// A counterpart and how often, and how, the actor dealt with it.
#[derive(Debug, Serialize)]
pub struct Neighbor<'g> {
    /// The counterpart.
    pub entity: &'g Entity,
    /// Reports of events between the two.
    pub reports: usize,
    /// Of them, cooperation (CAMEO roots 01–08).
    pub cooperation: usize,
    /// Of them, conflict (CAMEO roots 09–20).
    pub conflict: usize,
}

/// The parties an actor shared events with, in either role, weighted by reports and split
/// into cooperation and conflict.
pub fn neighbors<'g>(graph: &'g QueryGraph, actor: &[usize], filter: &Filter) -> Neighbors<'g> {
    let mut tally: HashMap<usize, (usize, usize)> = HashMap::new();
    for index in graph.edges_of(actor, Roles::PARTY) {
        let edge = &graph.edges()[index];
        let reports = reports_in_range(edge, filter);
        if reports == 0 {
            continue;
        }
        let others: HashSet<usize> = edge.parties().filter(|p| !actor.contains(p)).collect();
        for other in others {
            let entry = tally.entry(other).or_default();
            if is_cooperation(edge) {
                entry.0 += reports;
            } else {
                entry.1 += reports;
            }
        }
    }
    let mut counterparts: Vec<Neighbor<'g>> = tally
        .into_iter()
        .map(|(node, (cooperation, conflict))| Neighbor {
            entity: graph.node(node),
            reports: cooperation + conflict,
            cooperation,
            conflict,
        })
        .collect();
    counterparts.sort_by(|a, b| {
        b.reports
            .cmp(&a.reports)
            .then_with(|| a.entity.name.cmp(&b.entity.name))
            .then_with(|| a.entity.id.cmp(&b.entity.id))
    });
    Neighbors { actor: actor.iter().map(|&n| graph.node(n)).collect(), counterparts }
}

impl Render for Neighbors<'_> {
    fn tables(&self) -> Vec<Table> {
        let mut table =
            Table::new(&["COUNTERPART", "KIND", "COUNTRY", "REPORTS", "COOPERATION", "CONFLICT"]);
        for n in &self.counterparts {
            table.push(vec![
                n.entity.name.clone(),
                n.entity.kind.as_str().to_string(),
                n.entity.country.clone().unwrap_or_else(|| "-".to_string()),
                n.reports.to_string(),
                n.cooperation.to_string(),
                n.conflict.to_string(),
            ]);
        }
        vec![table]
    }

    fn is_empty(&self) -> bool {
        self.counterparts.is_empty()
    }
}

/// How two actors are connected: the hops of a shortest path.
#[derive(Debug, Serialize)]
pub struct PathReport<'g> {
    /// Where the path starts.
    pub from: &'g Entity,
    /// Where it ends.
    pub to: &'g Entity,
    /// The hops, in order.
    pub hops: Vec<Hop<'g>>,
}

/// One hop of a path and the events that make it.
#[derive(Debug, Serialize)]
pub struct Hop<'g> {
    /// This end of the hop.
    pub from: &'g Entity,
    /// The other end.
    pub to: &'g Entity,
    /// Reports of the events joining them.
    pub reports: usize,
    /// The events, most reported first.
    pub events: Vec<HopEvent<'g>>,
}

/// An event on a hop, with its earliest report.
#[derive(Debug, Serialize)]
pub struct HopEvent<'g> {
    /// Who acts.
    pub actor: &'g Entity,
    /// What is done.
    pub action: &'g Action,
    /// About what.
    pub topic: Option<&'g Entity>,
    /// With whom.
    pub participants: Vec<&'g Entity>,
    /// Reports in range.
    pub count: usize,
    /// The earliest report in range.
    pub source: &'g Provenance,
}

#[derive(Debug, Default)]
struct Link {
    edges: Vec<usize>,
    reports: usize,
}

/// A shortest path between two actors in the network where an actor and each participant of
/// an event are linked; with `via_topics`, every party is also linked to the event's topic, so
/// two actors who discussed the same topic are two hops apart. Among paths with the fewest
/// hops, the better reported one wins. `None` when the two are not connected.
pub fn path<'g>(
    graph: &'g QueryGraph,
    from: &[usize],
    to: &[usize],
    via_topics: bool,
    filter: &Filter,
) -> Option<PathReport<'g>> {
    let mut network: UnGraph<(), Link> = UnGraph::default();
    for _ in graph.nodes() {
        network.add_node(());
    }
    let mut links: HashMap<(usize, usize), petgraph::graph::EdgeIndex> = HashMap::new();
    for (index, edge) in graph.edges().iter().enumerate() {
        let reports = reports_in_range(edge, filter);
        if reports == 0 {
            continue;
        }
        let mut pairs: Vec<(usize, usize)> =
            edge.participants.iter().map(|&p| (edge.actor, p)).collect();
        if let (true, Some(topic)) = (via_topics, edge.topic) {
            pairs.extend(edge.parties().map(|p| (p, topic)));
        }
        for (a, b) in pairs {
            if a == b {
                continue;
            }
            let key = (a.min(b), a.max(b));
            let link = *links.entry(key).or_insert_with(|| {
                network.add_edge(NodeIndex::new(key.0), NodeIndex::new(key.1), Link::default())
            });
            let data = &mut network[link];
            if data.edges.last() != Some(&index) {
                data.edges.push(index);
                data.reports += reports;
            }
        }
    }
    let mut best: Option<(f64, Vec<NodeIndex>)> = None;
    for &a in from {
        for &b in to {
            let goal = NodeIndex::new(b);
            // One hop costs about 1; the small extra term prefers well-reported links without
            // ever trading a hop for it.
            let found = petgraph::algo::astar(
                &network,
                NodeIndex::new(a),
                |n| n == goal,
                |e| 1.0 + 1e-3 / (1.0 + e.weight().reports as f64),
                |_| 0.0,
            );
            if let Some((cost, nodes)) = found {
                if best.as_ref().is_none_or(|(c, _)| cost < *c) {
                    best = Some((cost, nodes));
                }
            }
        }
    }
    let (_, nodes) = best?;
    let hops = nodes
        .windows(2)
        .filter_map(|pair| {
            let (a, b) = (pair[0].index(), pair[1].index());
            let link = links.get(&(a.min(b), a.max(b)))?;
            let data = &network[*link];
            let mut events: Vec<HopEvent<'g>> = data
                .edges
                .iter()
                .filter_map(|&index| {
                    let edge = &graph.edges()[index];
                    let in_range: Vec<&Provenance> =
                        edge.sources.iter().filter(|s| filter.date_ok(s.date)).collect();
                    let source =
                        in_range.iter().min_by_key(|s| (s.date.is_none(), s.date)).copied()?;
                    Some(HopEvent {
                        actor: graph.node(edge.actor),
                        action: &edge.action,
                        topic: edge.topic.map(|t| graph.node(t)),
                        participants: edge.participants.iter().map(|&p| graph.node(p)).collect(),
                        count: in_range.len(),
                        source,
                    })
                })
                .collect();
            events.sort_by(|x, y| {
                y.count
                    .cmp(&x.count)
                    .then_with(|| x.source.date.cmp(&y.source.date))
                    .then_with(|| x.actor.name.cmp(&y.actor.name))
                    .then_with(|| x.action.cmp(y.action))
            });
            Some(Hop { from: graph.node(a), to: graph.node(b), reports: data.reports, events })
        })
        .collect();
    let first = nodes.first()?.index();
    let last = nodes.last()?.index();
    Some(PathReport { from: graph.node(first), to: graph.node(last), hops })
}

impl Render for PathReport<'_> {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new(&["HOP", "FROM", "TO", "REPORTS", "EVENTS"]);
        for (i, hop) in self.hops.iter().enumerate() {
            let details = hop
                .events
                .iter()
                .map(|e| {
                    let topic = e.topic.map_or(String::new(), |t| format!(" {}", t.name));
                    let with = if e.participants.is_empty() {
                        String::new()
                    } else {
                        format!(" with {}", names(&e.participants))
                    };
                    format!(
                        "{} {}{}{} ×{} — {}",
                        e.actor.name,
                        action_cell(e.action),
                        topic,
                        with,
                        e.count,
                        source_line(e.source)
                    )
                })
                .collect();
            table.rows.push(TableRow {
                cells: vec![
                    (i + 1).to_string(),
                    hop.from.name.clone(),
                    hop.to.name.clone(),
                    hop.reports.to_string(),
                    hop.events.len().to_string(),
                ],
                details,
            });
        }
        vec![table]
    }

    fn csv_table(&self) -> Table {
        let mut table = Table::new(&[
            "hop",
            "from",
            "to",
            "actor",
            "verb",
            "cameo",
            "topic",
            "participants",
            "count",
            "date",
            "url",
            "sentence",
        ]);
        for (i, hop) in self.hops.iter().enumerate() {
            for e in &hop.events {
                table.push(vec![
                    (i + 1).to_string(),
                    hop.from.name.clone(),
                    hop.to.name.clone(),
                    e.actor.name.clone(),
                    e.action.verb.to_string(),
                    e.action.cameo.to_string(),
                    e.topic.map_or(String::new(), |t| t.name.clone()),
                    e.participants.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; "),
                    e.count.to_string(),
                    e.source.date.map_or(String::new(), |d| d.to_string()),
                    e.source.url.clone().unwrap_or_else(|| e.source.article.clone()),
                    e.source.sentence.clone(),
                ]);
            }
        }
        table
    }

    fn is_empty(&self) -> bool {
        false
    }
}

/// Events of an actor or about a topic, one entry per report, in date order.
#[derive(Debug, Serialize)]
pub struct Timeline<'g> {
    /// What the timeline is of.
    pub subject: Vec<&'g Entity>,
    /// The entries, oldest first; undated reports last.
    pub entries: Vec<Entry<'g>>,
}

/// One report on a timeline.
#[derive(Debug, Serialize)]
pub struct Entry<'g> {
    /// Date of the report.
    pub date: Option<NaiveDate>,
    /// Who acts.
    pub actor: &'g Entity,
    /// What is done.
    pub action: &'g Action,
    /// About what.
    pub topic: Option<&'g Entity>,
    /// With whom.
    pub participants: Vec<&'g Entity>,
    /// Where it was read.
    pub source: &'g Provenance,
}

/// The reports of every event where a node is a party or the topic, in date order, then by
/// article and sentence; `limit` keeps the oldest ones.
pub fn timeline<'g>(
    graph: &'g QueryGraph,
    subject: &[usize],
    filter: &Filter,
    limit: Option<usize>,
) -> Timeline<'g> {
    let mut entries: Vec<Entry<'g>> = Vec::new();
    for index in graph.edges_of(subject, Roles::ANY) {
        let edge = &graph.edges()[index];
        for source in edge.sources.iter().filter(|s| filter.date_ok(s.date)) {
            entries.push(Entry {
                date: source.date,
                actor: graph.node(edge.actor),
                action: &edge.action,
                topic: edge.topic.map(|t| graph.node(t)),
                participants: edge.participants.iter().map(|&p| graph.node(p)).collect(),
                source,
            });
        }
    }
    entries.sort_by(|a, b| {
        (
            a.date.is_none(),
            a.date,
            &a.source.article,
            a.source.sentence_index,
            &a.actor.name,
            a.action,
        )
            .cmp(&(
                b.date.is_none(),
                b.date,
                &b.source.article,
                b.source.sentence_index,
                &b.actor.name,
                b.action,
            ))
    });
    entries.truncate(limit.unwrap_or(usize::MAX));
    Timeline { subject: subject.iter().map(|&n| graph.node(n)).collect(), entries }
}

impl Render for Timeline<'_> {
    fn tables(&self) -> Vec<Table> {
        let mut table = Table::new(&["DATE", "ACTOR", "ACTION", "TOPIC", "WITH"]);
        for e in &self.entries {
            let place = e.source.url.as_deref().unwrap_or(&e.source.article);
            table.rows.push(TableRow {
                cells: vec![
                    date(e.date),
                    e.actor.name.clone(),
                    action_cell(e.action),
                    e.topic.map_or("-".to_string(), |t| t.name.clone()),
                    names(&e.participants),
                ],
                details: vec![format!("\"{}\" {place}", e.source.sentence)],
            });
        }
        vec![table]
    }

    fn csv_table(&self) -> Table {
        let mut table = Table::new(&[
            "date",
            "actor",
            "verb",
            "cameo",
            "topic",
            "participants",
            "article",
            "url",
            "sentence_index",
            "sentence",
        ]);
        for e in &self.entries {
            table.push(vec![
                e.date.map_or(String::new(), |d| d.to_string()),
                e.actor.name.clone(),
                e.action.verb.to_string(),
                e.action.cameo.to_string(),
                e.topic.map_or(String::new(), |t| t.name.clone()),
                e.participants.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("; "),
                e.source.article.clone(),
                e.source.url.clone().unwrap_or_default(),
                e.source.sentence_index.to_string(),
                e.source.sentence.clone(),
            ]);
        }
        table
    }

    fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The most reported actors, topics and dyads.
#[derive(Debug, Serialize)]
pub struct Top<'g> {
    /// Entities by the reports in which they act.
    pub actors: Vec<Ranked<'g>>,
    /// Topics by the reports about them.
    pub topics: Vec<Ranked<'g>>,
    /// Pairs of parties by the reports of events between them.
    pub dyads: Vec<Dyad<'g>>,
}

/// An entity and its report count.
#[derive(Debug, Serialize)]
pub struct Ranked<'g> {
    /// The entity.
    pub entity: &'g Entity,
    /// Its reports.
    pub reports: usize,
}

/// Two parties and the reports of events between them.
#[derive(Debug, Serialize)]
pub struct Dyad<'g> {
    /// One party (the one whose name sorts first).
    pub a: &'g Entity,
    /// The other.
    pub b: &'g Entity,
    /// Reports of events between them.
    pub reports: usize,
    /// Of them, cooperation.
    pub cooperation: usize,
    /// Of them, conflict.
    pub conflict: usize,
}

/// The `limit` most reported actors (an actor acts in its events and, being a party, in
/// symmetric ones), topics, and dyads (actor and a participant, either way round).
pub fn top<'g>(graph: &'g QueryGraph, filter: &Filter, limit: usize) -> Top<'g> {
    let mut actors: HashMap<usize, usize> = HashMap::new();
    let mut topics: HashMap<usize, usize> = HashMap::new();
    let mut dyads: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    for edge in graph.edges() {
        let reports = reports_in_range(edge, filter);
        if reports == 0 {
            continue;
        }
        let acting: HashSet<usize> =
            if edge.symmetric { edge.parties().collect() } else { HashSet::from([edge.actor]) };
        for actor in acting {
            *actors.entry(actor).or_default() += reports;
        }
        if let Some(topic) = edge.topic {
            *topics.entry(topic).or_default() += reports;
        }
        let others: HashSet<usize> =
            edge.participants.iter().copied().filter(|&p| p != edge.actor).collect();
        for other in others {
            let key = (edge.actor.min(other), edge.actor.max(other));
            let entry = dyads.entry(key).or_default();
            if is_cooperation(edge) {
                entry.0 += reports;
            } else {
                entry.1 += reports;
            }
        }
    }
    let ranked = |counts: HashMap<usize, usize>| {
        let mut list: Vec<Ranked<'g>> = counts
            .into_iter()
            .map(|(node, reports)| Ranked { entity: graph.node(node), reports })
            .collect();
        list.sort_by(|a, b| {
            b.reports
                .cmp(&a.reports)
                .then_with(|| a.entity.name.cmp(&b.entity.name))
                .then_with(|| a.entity.id.cmp(&b.entity.id))
        });
        list.truncate(limit);
        list
    };
    let mut dyad_list: Vec<Dyad<'g>> = dyads
        .into_iter()
        .map(|((x, y), (cooperation, conflict))| {
            let (mut a, mut b) = (graph.node(x), graph.node(y));
            if (&b.name, &b.id) < (&a.name, &a.id) {
                std::mem::swap(&mut a, &mut b);
            }
            Dyad { a, b, reports: cooperation + conflict, cooperation, conflict }
        })
        .collect();
    dyad_list.sort_by(|x, y| {
        y.reports.cmp(&x.reports).then_with(|| {
            (&x.a.name, &x.b.name, &x.a.id, &x.b.id).cmp(&(&y.a.name, &y.b.name, &y.a.id, &y.b.id))
        })
    });
    dyad_list.truncate(limit);
    Top { actors: ranked(actors), topics: ranked(topics), dyads: dyad_list }
}

impl Render for Top<'_> {
    fn tables(&self) -> Vec<Table> {
        let ranked = |title: &str, header: &str, list: &[Ranked<'_>]| {
            let mut table = Table::new(&["#", header, "REPORTS"]);
            table.title = Some(title.to_string());
            for (i, r) in list.iter().enumerate() {
                table.push(vec![(i + 1).to_string(), r.entity.name.clone(), r.reports.to_string()]);
            }
            table
        };
        let mut dyads = Table::new(&["#", "PARTY", "PARTY", "REPORTS", "COOPERATION", "CONFLICT"]);
        dyads.title = Some("Dyads".to_string());
        for (i, d) in self.dyads.iter().enumerate() {
            dyads.push(vec![
                (i + 1).to_string(),
                d.a.name.clone(),
                d.b.name.clone(),
                d.reports.to_string(),
                d.cooperation.to_string(),
                d.conflict.to_string(),
            ]);
        }
        vec![
            ranked("Actors", "ACTOR", &self.actors),
            ranked("Topics", "TOPIC", &self.topics),
            dyads,
        ]
    }

    fn csv_table(&self) -> Table {
        let mut table = Table::new(&["list", "rank", "name", "id", "other", "other_id", "reports"]);
        for (list, ranked) in [("actors", &self.actors), ("topics", &self.topics)] {
            for (i, r) in ranked.iter().enumerate() {
                table.push(vec![
                    list.to_string(),
                    (i + 1).to_string(),
                    r.entity.name.clone(),
                    r.entity.id.to_string(),
                    String::new(),
                    String::new(),
                    r.reports.to_string(),
                ]);
            }
        }
        for (i, d) in self.dyads.iter().enumerate() {
            table.push(vec![
                "dyads".to_string(),
                (i + 1).to_string(),
                d.a.name.clone(),
                d.a.id.to_string(),
                d.b.name.clone(),
                d.b.id.to_string(),
                d.reports.to_string(),
            ]);
        }
        table
    }

    fn is_empty(&self) -> bool {
        self.actors.is_empty() && self.topics.is_empty()
    }
}

/// CAMEO root categories, by root number (also labels the HTML view's filters).
pub(crate) const ROOT_NAMES: [&str; 20] = [
    "make public statement",
    "appeal",
    "express intent to cooperate",
    "consult",
    "engage in diplomatic cooperation",
    "engage in material cooperation",
    "provide aid",
    "yield",
    "investigate",
    "demand",
    "disapprove",
    "reject",
    "threaten",
    "protest",
    "exhibit force posture",
    "reduce relations",
    "coerce",
    "assault",
    "fight",
    "use unconventional mass violence",
];

/// What a graph holds.
#[derive(Debug, Serialize)]
pub struct Stats {
    /// The file read.
    pub file: String,
    /// Number of nodes.
    pub nodes: usize,
    /// Nodes per kind.
    pub nodes_by_kind: BTreeMap<String, usize>,
    /// Number of edges (distinct events).
    pub edges: usize,
    /// Number of reports (sources).
    pub reports: usize,
    /// Number of distinct articles among the sources.
    pub articles: usize,
    /// Earliest report date.
    pub first_date: Option<NaiveDate>,
    /// Latest report date.
    pub last_date: Option<NaiveDate>,
    /// Reports without a date.
    pub undated_reports: usize,
    /// Edges and reports per CAMEO root, for the roots present.
    pub roots: Vec<RootCount>,
}

/// Edges and reports of a CAMEO root.
#[derive(Debug, Serialize)]
pub struct RootCount {
    /// Two-digit root.
    pub root: String,
    /// Its CAMEO name.
    pub name: String,
    /// Edges with that root.
    pub edges: usize,
    /// Their reports.
    pub reports: usize,
}

/// Counts of what the graph holds.
pub fn stats(graph: &QueryGraph) -> Stats {
    let mut nodes_by_kind: BTreeMap<String, usize> = BTreeMap::new();
    for node in graph.nodes() {
        *nodes_by_kind.entry(node.kind.as_str().to_string()).or_default() += 1;
    }
    let mut roots: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut articles: HashSet<&str> = HashSet::new();
    let mut reports = 0;
    let mut undated_reports = 0;
    for edge in graph.edges() {
        let entry = roots.entry(edge.action.cameo.root().to_string()).or_default();
        entry.0 += 1;
        entry.1 += edge.sources.len();
        reports += edge.sources.len();
        for source in &edge.sources {
            articles.insert(&source.article);
            undated_reports += usize::from(source.date.is_none());
        }
    }
    let (first_date, last_date) = graph.date_range();
    Stats {
        file: graph.path().display().to_string(),
        nodes: graph.nodes().len(),
        nodes_by_kind,
        edges: graph.edges().len(),
        reports,
        articles: articles.len(),
        first_date,
        last_date,
        undated_reports,
        roots: roots
            .into_iter()
            .map(|(root, (edges, reports))| {
                let number: usize = root.parse().unwrap_or(0);
                let name = number.checked_sub(1).and_then(|i| ROOT_NAMES.get(i)).unwrap_or(&"");
                RootCount { root, name: name.to_string(), edges, reports }
            })
            .collect(),
    }
}

impl Stats {
    fn measures(&self) -> Vec<(String, String)> {
        let mut list = vec![
            ("file".to_string(), self.file.clone()),
            ("nodes".to_string(), self.nodes.to_string()),
        ];
        for (kind, n) in &self.nodes_by_kind {
            list.push((format!("nodes: {kind}"), n.to_string()));
        }
        list.extend([
            ("edges".to_string(), self.edges.to_string()),
            ("reports".to_string(), self.reports.to_string()),
            ("articles".to_string(), self.articles.to_string()),
            ("first date".to_string(), date(self.first_date)),
            ("last date".to_string(), date(self.last_date)),
            ("undated reports".to_string(), self.undated_reports.to_string()),
        ]);
        list
    }
}

impl Render for Stats {
    fn tables(&self) -> Vec<Table> {
        let mut summary = Table::new(&["MEASURE", "VALUE"]);
        for (measure, value) in self.measures() {
            summary.push(vec![measure, value]);
        }
        let mut roots = Table::new(&["ROOT", "NAME", "EDGES", "REPORTS"]);
        roots.title = Some("CAMEO roots".to_string());
        for r in &self.roots {
            roots.push(vec![
                r.root.clone(),
                r.name.clone(),
                r.edges.to_string(),
                r.reports.to_string(),
            ]);
        }
        vec![summary, roots]
    }

    fn csv_table(&self) -> Table {
        let mut table = Table::new(&["measure", "value"]);
        for (measure, value) in self.measures() {
            table.push(vec![measure, value]);
        }
        for r in &self.roots {
            table.push(vec![format!("root {} edges", r.root), r.edges.to_string()]);
            table.push(vec![format!("root {} reports", r.root), r.reports.to_string()]);
        }
        table
    }

    fn is_empty(&self) -> bool {
        false
    }
}
