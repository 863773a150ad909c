//! Asking a built graph questions. [`QueryGraph`] loads the `graph.json` that `build` wrote and
//! indexes its edges by actor, participant, topic, verb, CAMEO root and country, so that a
//! filter only looks at the edges one of its conditions already narrows down to. Names are
//! resolved through the graph's own names and ids and through the lexicon's aliases and offices
//! ([`names`]); [`ask`] turns a typed question into a filter; [`report`] holds the other views
//! (neighbours, paths, timelines, rankings, statistics); [`mod@format`] renders any of them.

pub mod ask;
pub mod format;
pub mod names;
pub mod report;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::export::json::{read_graph_file, GraphFile, GraphFileError};
use crate::lexicon::{inflect, Lexicon};
use crate::model::{Action, Cameo, Entity, Provenance};
use crate::text::tokenize;

/// Why a query could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The graph file could not be read.
    #[error(transparent)]
    Graph(#[from] GraphFileError),
    /// The embedded lexicon is broken (a build problem, not a user one).
    #[error("the built-in lexicon is broken: {0}")]
    Lexicon(String),
    /// A name that no node of the graph answers to.
    #[error("no {what} in the graph matches '{name}'{hint}")]
    NoMatch {
        /// What the name was for (actor, participant, topic, entity).
        what: &'static str,
        /// The name as given.
        name: String,
        /// What the lexicon knows of it, if anything.
        hint: String,
    },
    /// An action that is neither a known verb nor a CAMEO code.
    #[error(
        "no action matches '{0}': give a verb (discuss, condemn, met), a CAMEO code (042) or a CAMEO root (04)"
    )]
    UnknownAction(String),
    /// A date that is not YYYY, YYYY-MM or YYYY-MM-DD.
    #[error("'{0}' is not a date: write YYYY-MM-DD, YYYY-MM or YYYY")]
    BadDate(String),
    /// A country that is not an ISO alpha-3 code or a country name.
    #[error("'{0}' is not a country: give an ISO 3166 alpha-3 code (TUR) or a country's name")]
    BadCountry(String),
}

/// An edge of a loaded graph: one distinct event with its reports. Nodes are indices into
/// [`QueryGraph::node`].
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Who acts.
    pub actor: usize,
    /// What is done.
    pub action: Action,
    /// What it is about.
    pub topic: Option<usize>,
    /// Counterparts, recipients or targets.
    pub participants: Vec<usize>,
    /// True where every party does it (discuss, meet): each of them is an actor.
    pub symmetric: bool,
    /// Every report, in the file's order (article, then sentence).
    pub sources: Vec<Provenance>,
    /// Earliest and latest report dates, so a date range can skip an edge without reading
    /// its reports.
    pub dates: Option<(NaiveDate, NaiveDate)>,
}

impl Edge {
    /// The parties: the actor, then the participants.
    pub fn parties(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.actor).chain(self.participants.iter().copied())
    }

    /// The party at a position (0 is the actor).
    fn party(&self, position: usize) -> usize {
        if position == 0 {
            self.actor
        } else {
            self.participants[position - 1]
        }
    }

    /// Whether the party at a position acts: the actor does, and so does everyone in a
    /// symmetric event.
    fn acts(&self, position: usize) -> bool {
        position == 0 || self.symmetric
    }
}

/// A graph file loaded for questions, with its indexes.
#[derive(Debug)]
pub struct QueryGraph {
    path: PathBuf,
    nodes: Vec<Entity>,
    ids: HashMap<String, usize>,
    edges: Vec<Edge>,
    as_actor: Vec<Vec<usize>>,
    as_participant: Vec<Vec<usize>>,
    as_topic: Vec<Vec<usize>>,
    by_root: Vec<Vec<usize>>,
    by_verb: HashMap<String, Vec<usize>>,
    by_country: HashMap<String, Vec<usize>>,
    names: HashMap<String, Vec<usize>>,
    first_date: Option<NaiveDate>,
    last_date: Option<NaiveDate>,
    /// Each edge's place in the display order when counts tie (actor, action, topic and
    /// participant names), computed once so that sorting answers compares integers.
    order: Vec<u32>,
    lexicon: Lexicon,
}

/// How an action is matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionMatch {
    /// Any of these verb lemmas.
    Verbs(BTreeSet<String>),
    /// CAMEO codes starting with these digits (a root is two digits).
    Code(String),
}

/// A filter as a user writes it: names and words, not yet looked up in the graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterSpec {
    /// Who acts (in a symmetric event every party acts).
    pub actor: Option<String>,
    /// A counterpart: a participant, or any other party of a symmetric event.
    pub with: Option<String>,
    /// The topic.
    pub topic: Option<String>,
    /// The topic or a counterpart: what `ask` means by the object of a verb.
    pub about: Option<String>,
    /// A verb, CAMEO code or root.
    pub action: Option<String>,
    /// ISO alpha-3 code (or name) of the country of a party.
    pub country: Option<String>,
    /// First day, inclusive.
    pub since: Option<NaiveDate>,
    /// Last day, inclusive.
    pub until: Option<NaiveDate>,
    /// Only events with a counterpart.
    pub counterpart: bool,
}

/// A filter whose names are graph nodes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Who acts.
    pub actors: Option<Vec<usize>>,
    /// A counterpart.
    pub with: Option<Vec<usize>>,
    /// The topic.
    pub topics: Option<Vec<usize>>,
    /// The topic or a counterpart.
    pub about: Option<Vec<usize>>,
    /// The action.
    pub action: Option<ActionMatch>,
    /// Country of some party.
    pub country: Option<String>,
    /// First day, inclusive.
    pub since: Option<NaiveDate>,
    /// Last day, inclusive.
    pub until: Option<NaiveDate>,
    /// Only events with a counterpart.
    pub counterpart: bool,
}

impl Filter {
    /// True when the filter restricts dates.
    pub fn has_dates(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// True when some day of a span is inside the range.
    pub fn overlaps(&self, (first, last): (NaiveDate, NaiveDate)) -> bool {
        self.since.is_none_or(|s| s <= last) && self.until.is_none_or(|u| first <= u)
    }

    /// True when a report's date is inside the range (an undated report is outside any range).
    pub fn date_ok(&self, date: Option<NaiveDate>) -> bool {
        if !self.has_dates() {
            return true;
        }
        date.is_some_and(|d| self.since.is_none_or(|s| s <= d) && self.until.is_none_or(|u| d <= u))
    }
}

/// A name that matched several nodes: all of them are used, and the user is told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ambiguity {
    /// The name as given.
    pub name: String,
    /// The nodes' display names and ids.
    pub matches: Vec<String>,
}

/// An edge that passed a filter, with the reports inside the date range.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Index of the edge.
    pub edge: usize,
    /// Number of reports inside the date range.
    pub count: usize,
    /// Which reports those are.
    pub reports: Reports,
    /// Earliest date among them.
    pub first_date: Option<NaiveDate>,
    /// Latest date among them.
    pub last_date: Option<NaiveDate>,
}

/// The reports of an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reports {
    /// All of the edge's reports.
    All,
    /// Only these (indices into the edge's sources).
    Only(Vec<usize>),
}

/// One answer as it is shown: the event, its totals and its sources.
#[derive(Debug, Serialize)]
pub struct Row<'g> {
    /// Who acts.
    pub actor: &'g Entity,
    /// What is done.
    pub action: &'g Action,
    /// About what.
    pub topic: Option<&'g Entity>,
    /// With whom.
    pub participants: Vec<&'g Entity>,
    /// Whether every party acts.
    pub symmetric: bool,
    /// Number of reports (inside the date range).
    pub count: usize,
    /// Earliest report date.
    pub first_date: Option<NaiveDate>,
    /// Latest report date.
    pub last_date: Option<NaiveDate>,
    /// The reports.
    pub sources: Vec<&'g Provenance>,
}

/// The answers of a query, ready to render.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub struct Rows<'g>(pub Vec<Row<'g>>);

fn push_index(index: &mut [Vec<usize>], node: usize, edge: usize) {
    // An edge names a node once per role in the index; a repeated participant adds nothing.
    if index[node].last() != Some(&edge) {
        index[node].push(edge);
    }
}

impl QueryGraph {
    /// Loads a graph file (or a directory holding `graph.json`) with the embedded lexicon.
    pub fn load(path: &Path) -> Result<QueryGraph, QueryError> {
        let (path, file) = read_graph_file(path)?;
        let lexicon = Lexicon::embedded().map_err(|errors| {
            QueryError::Lexicon(
                errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "),
            )
        })?;
        QueryGraph::from_file(file, &path, lexicon)
    }

    /// Indexes a parsed graph file; `path` names it in errors.
    pub fn from_file(
        file: GraphFile,
        path: &Path,
        lexicon: Lexicon,
    ) -> Result<QueryGraph, QueryError> {
        let nodes = file.nodes;
        let ids: HashMap<String, usize> =
            nodes.iter().enumerate().map(|(i, n)| (n.id.0.clone(), i)).collect();
        let bad_link = |key: &str, message: String| {
            QueryError::Graph(GraphFileError::BadLink {
                path: path.to_path_buf(),
                source: crate::export::json::LinkError { key: key.to_string(), message },
            })
        };
        let node_of = |id: &crate::model::EntityId, key: &str| {
            ids.get(id.as_str())
                .copied()
                .ok_or_else(|| bad_link(key, format!("names {id}, which is not among the nodes")))
        };
        let n = nodes.len();
        let mut graph = QueryGraph {
            path: path.to_path_buf(),
            edges: Vec::with_capacity(file.links.len()),
            as_actor: vec![Vec::new(); n],
            as_participant: vec![Vec::new(); n],
            as_topic: vec![Vec::new(); n],
            by_root: vec![Vec::new(); 21],
            by_verb: HashMap::new(),
            by_country: HashMap::new(),
            names: HashMap::new(),
            first_date: None,
            last_date: None,
            order: Vec::new(),
            ids: HashMap::new(),
            nodes: Vec::new(),
            lexicon,
        };
        for link in file.links {
            let Some(cameo) = Cameo::parse(&link.cameo) else {
                return Err(bad_link(
                    &link.key,
                    format!("cameo {:?} is not a CAMEO code", link.cameo),
                ));
            };
            let actor = node_of(&link.source, &link.key)?;
            let topic = link.topic.as_ref().map(|t| node_of(t, &link.key)).transpose()?;
            let participants = link
                .participants
                .iter()
                .map(|p| node_of(p, &link.key))
                .collect::<Result<Vec<usize>, QueryError>>()?;
            let dates = link.sources.iter().filter_map(|s| s.date).fold(None, |span, d| {
                Some(span.map_or((d, d), |(lo, hi): (NaiveDate, NaiveDate)| (lo.min(d), hi.max(d))))
            });
            if let Some((lo, hi)) = dates {
                graph.first_date = Some(graph.first_date.map_or(lo, |d| d.min(lo)));
                graph.last_date = Some(graph.last_date.map_or(hi, |d| d.max(hi)));
            }
            graph.edges.push(Edge {
                actor,
                action: Action { verb: link.verb.into(), cameo },
                topic,
                participants,
                symmetric: link.symmetric,
                sources: link.sources,
                dates,
            });
        }
        graph.nodes = nodes;
        graph.ids = ids;
        graph.build_indexes();
        Ok(graph)
    }

    fn build_indexes(&mut self) {
        for (index, edge) in self.edges.iter().enumerate() {
            push_index(&mut self.as_actor, edge.actor, index);
            for &p in &edge.participants {
                push_index(&mut self.as_participant, p, index);
            }
            if let Some(t) = edge.topic {
                push_index(&mut self.as_topic, t, index);
            }
            let root: usize = edge.action.cameo.root().parse().unwrap_or(0);
            self.by_root[root.min(20)].push(index);
            self.by_verb.entry(edge.action.verb.to_string()).or_default().push(index);
            let countries: BTreeSet<&str> =
                edge.parties().filter_map(|p| self.nodes[p].country.as_deref()).collect();
            for country in countries {
                self.by_country.entry(country.to_string()).or_default().push(index);
            }
        }
        let mut by_name: Vec<usize> = (0..self.nodes.len()).collect();
        by_name.sort_by(|&a, &b| {
            (&self.nodes[a].name, &self.nodes[a].id).cmp(&(&self.nodes[b].name, &self.nodes[b].id))
        });
        let mut name_rank = vec![0usize; self.nodes.len()];
        for (rank, &node) in by_name.iter().enumerate() {
            name_rank[node] = rank;
        }
        let mut edges: Vec<usize> = (0..self.edges.len()).collect();
        edges.sort_by(|&a, &b| {
            let (ea, eb) = (&self.edges[a], &self.edges[b]);
            name_rank[ea.actor]
                .cmp(&name_rank[eb.actor])
                .then_with(|| ea.action.cmp(&eb.action))
                .then_with(|| ea.topic.map(|t| name_rank[t]).cmp(&eb.topic.map(|t| name_rank[t])))
                .then_with(|| {
                    let ranks =
                        |e: &Edge| e.participants.iter().map(|&p| name_rank[p]).collect::<Vec<_>>();
                    ranks(ea).cmp(&ranks(eb))
                })
                .then_with(|| a.cmp(&b))
        });
        self.order = vec![0; self.edges.len()];
        for (rank, &edge) in edges.iter().enumerate() {
            self.order[edge] = u32::try_from(rank).unwrap_or(u32::MAX);
        }
        for (index, node) in self.nodes.iter().enumerate() {
            let mut keys = vec![names::normalize(&node.name), node.id.0.to_lowercase()];
            if let Some((_, slug)) = node.id.0.split_once(':') {
                keys.push(names::normalize(slug));
            }
            keys.sort();
            keys.dedup();
            for key in keys.into_iter().filter(|k| !k.is_empty()) {
                self.names.entry(key).or_default().push(index);
            }
        }
    }

    /// The file the graph was read from.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The node with this index.
    pub fn node(&self, index: usize) -> &Entity {
        &self.nodes[index]
    }

    /// All nodes.
    pub fn nodes(&self) -> &[Entity] {
        &self.nodes
    }

    /// All edges.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// The lexicon names are resolved with.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Earliest and latest report dates.
    pub fn date_range(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        (self.first_date, self.last_date)
    }

    /// The node with this entity id.
    pub fn node_by_id(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// Edges in which the node takes part in any role (actor, participant or topic), sorted.
    pub fn edges_of(&self, nodes: &[usize], roles: Roles) -> Vec<usize> {
        let mut lists: Vec<&[usize]> = Vec::new();
        for &n in nodes {
            if roles.actor {
                lists.push(&self.as_actor[n]);
            }
            if roles.participant {
                lists.push(&self.as_participant[n]);
            }
            if roles.topic {
                lists.push(&self.as_topic[n]);
            }
        }
        union(&lists)
    }

    /// Resolves a filter's names, action and country against the graph. Names matching several
    /// nodes use them all; they are returned so the caller can say so.
    pub fn resolve(&self, spec: &FilterSpec) -> Result<(Filter, Vec<Ambiguity>), QueryError> {
        let date = self.reference_date(spec.until);
        let mut ambiguities = Vec::new();
        let mut resolve = |name: &Option<String>, what: &'static str| -> Result<_, QueryError> {
            let Some(name) = name else { return Ok(None) };
            let nodes = self.resolve_name(name, what, date)?;
            if nodes.len() > 1 {
                ambiguities.push(Ambiguity {
                    name: name.clone(),
                    matches: nodes
                        .iter()
                        .map(|&n| format!("{} ({})", self.nodes[n].name, self.nodes[n].id))
                        .collect(),
                });
            }
            Ok(Some(nodes))
        };
        let filter = Filter {
            actors: resolve(&spec.actor, "actor")?,
            with: resolve(&spec.with, "participant")?,
            topics: resolve(&spec.topic, "topic")?,
            about: resolve(&spec.about, "entity")?,
            action: spec.action.as_deref().map(|a| self.resolve_action(a)).transpose()?,
            country: spec.country.as_deref().map(|c| self.resolve_country(c)).transpose()?,
            since: spec.since,
            until: spec.until,
            counterpart: spec.counterpart,
        };
        Ok((filter, ambiguities))
    }

    /// The day role phrases ("the Turkish President") are resolved on: the end of the asked
    /// range if it is earlier than the graph's latest report, else that report's date, else today.
    pub fn reference_date(&self, until: Option<NaiveDate>) -> NaiveDate {
        let latest = self.last_date.unwrap_or_else(today);
        until.map_or(latest, |u| u.min(latest))
    }

    /// The nodes a name stands for; an error when there is none.
    pub fn resolve_name(
        &self,
        name: &str,
        what: &'static str,
        date: NaiveDate,
    ) -> Result<Vec<usize>, QueryError> {
        let found = names::resolve(self, name, date);
        if found.is_empty() {
            let hint = match names::lexicon_name(&self.lexicon, name, date) {
                Some(known) => {
                    format!(" (the lexicon knows {known}, but no event of the graph names it)")
                }
                None => String::new(),
            };
            return Err(QueryError::NoMatch { what, name: name.to_string(), hint });
        }
        Ok(found)
    }

    /// Graph nodes whose normalised name or id is `key`.
    pub(crate) fn nodes_named(&self, key: &str) -> &[usize] {
        self.names.get(key).map_or(&[], Vec::as_slice)
    }

    /// How an action word or code is matched: a CAMEO code or root as digits, else the verb
    /// lemmas it names, directly, as an inflected form, or as a lexicon pattern ("condemn" is
    /// a pattern of `criticize`).
    pub fn resolve_action(&self, spec: &str) -> Result<ActionMatch, QueryError> {
        let spec = spec.trim();
        if !spec.is_empty() && spec.bytes().all(|b| b.is_ascii_digit()) {
            return match Cameo::parse(spec) {
                Some(code) => Ok(ActionMatch::Code(code.code().to_string())),
                None => Err(QueryError::UnknownAction(spec.to_string())),
            };
        }
        let words: Vec<String> = tokenize(spec)
            .into_iter()
            .filter(|t| t.is_word())
            .map(|t| t.norm.into_owned())
            .collect();
        let Some((head, rest)) = words.split_first() else {
            return Err(QueryError::UnknownAction(spec.to_string()));
        };
        let mut verbs = BTreeSet::new();
        for verb in self.by_verb.keys() {
            let verb_words: Vec<&str> = verb.split_whitespace().collect();
            let Some((verb_head, verb_rest)) = verb_words.split_first() else { continue };
            let same_rest =
                verb_rest.len() == rest.len() && verb_rest.iter().zip(rest).all(|(a, b)| a == b);
            if same_rest && (*verb_head == head.as_str() || inflect(verb_head).contains(head)) {
                verbs.insert(verb.clone());
            }
        }
        for trigger in self.lexicon.triggers_starting_with(head) {
            if trigger.words == words {
                verbs.insert(self.lexicon.action(trigger.action).lemma.to_string());
            }
        }
        if verbs.is_empty() {
            return Err(QueryError::UnknownAction(spec.to_string()));
        }
        Ok(ActionMatch::Verbs(verbs))
    }

    fn resolve_country(&self, text: &str) -> Result<String, QueryError> {
        let text = text.trim();
        if text.len() == 3 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Ok(text.to_ascii_uppercase());
        }
        let date = self.reference_date(None);
        names::resolve(self, text, date)
            .into_iter()
            .find(|&n| self.nodes[n].kind == crate::model::EntityKind::State)
            .and_then(|n| self.nodes[n].country.clone())
            .ok_or_else(|| QueryError::BadCountry(text.to_string()))
    }

    /// The edges that pass a filter, with their reports in the date range, sorted by report
    /// count (most first), then actor, action, topic and participants.
    pub fn query(&self, filter: &Filter) -> Vec<Answer> {
        let mut answers: Vec<Answer> = Vec::new();
        let mut check = |index: usize| {
            let edge = &self.edges[index];
            if filter.has_dates() && !edge.dates.is_some_and(|span| filter.overlaps(span)) {
                return;
            }
            if !self.edge_matches(edge, filter) {
                return;
            }
            // Without a date range every report counts and the dates are the edge's own, so
            // the reports themselves (most of the graph's memory) are not read.
            let inside = edge
                .dates
                .is_some_and(|(lo, hi)| filter.date_ok(Some(lo)) && filter.date_ok(Some(hi)));
            if !filter.has_dates() || (inside && edge.sources.iter().all(|s| s.date.is_some())) {
                answers.push(Answer {
                    edge: index,
                    count: edge.sources.len(),
                    reports: Reports::All,
                    first_date: edge.dates.map(|d| d.0),
                    last_date: edge.dates.map(|d| d.1),
                });
                return;
            }
            let reports: Vec<usize> =
                (0..edge.sources.len()).filter(|&i| filter.date_ok(edge.sources[i].date)).collect();
            if reports.is_empty() {
                return;
            }
            let dates = reports.iter().filter_map(|&i| edge.sources[i].date);
            let (first_date, last_date) = dates.fold((None, None), |(lo, hi), d| {
                (
                    Some(lo.map_or(d, |l: NaiveDate| l.min(d))),
                    Some(hi.map_or(d, |h: NaiveDate| h.max(d))),
                )
            });
            answers.push(Answer {
                edge: index,
                count: reports.len(),
                reports: Reports::Only(reports),
                first_date,
                last_date,
            });
        };
        match self.candidates(filter) {
            Some(list) => list.into_iter().for_each(&mut check),
            None => (0..self.edges.len()).for_each(&mut check),
        }
        self.sort_answers(&mut answers);
        answers
    }

    fn sort_answers(&self, answers: &mut [Answer]) {
        answers.sort_unstable_by_key(|a| (std::cmp::Reverse(a.count), self.order[a.edge]));
    }

    /// The smallest index list that every answer must be in, or `None` to scan every edge.
    fn candidates(&self, filter: &Filter) -> Option<Vec<usize>> {
        let mut best: Option<Vec<usize>> = None;
        let mut offer = |list: Vec<usize>| {
            if best.as_ref().is_none_or(|b| list.len() < b.len()) {
                best = Some(list);
            }
        };
        let party = Roles { actor: true, participant: true, topic: false };
        if let Some(actors) = &filter.actors {
            offer(self.edges_of(actors, party));
        }
        if let Some(with) = &filter.with {
            offer(self.edges_of(with, party));
        }
        if let Some(topics) = &filter.topics {
            offer(self.edges_of(topics, Roles { actor: false, participant: false, topic: true }));
        }
        if let Some(about) = &filter.about {
            offer(self.edges_of(about, Roles { actor: true, participant: true, topic: true }));
        }
        match &filter.action {
            Some(ActionMatch::Code(code)) => {
                let root: usize = code.get(..2).and_then(|r| r.parse().ok()).unwrap_or(0);
                offer(self.by_root.get(root).cloned().unwrap_or_default());
            }
            Some(ActionMatch::Verbs(verbs)) => {
                let lists: Vec<&[usize]> =
                    verbs.iter().filter_map(|v| self.by_verb.get(v).map(Vec::as_slice)).collect();
                offer(union(&lists));
            }
            None => {}
        }
        if let Some(country) = &filter.country {
            offer(self.by_country.get(country).cloned().unwrap_or_default());
        }
        best
    }

    fn edge_matches(&self, edge: &Edge, filter: &Filter) -> bool {
        match &filter.action {
            Some(ActionMatch::Code(code))
                if !edge.action.cameo.code().starts_with(code.as_str()) =>
            {
                return false
            }
            Some(ActionMatch::Verbs(verbs)) if !verbs.contains(&*edge.action.verb) => return false,
            _ => {}
        }
        if let Some(topics) = &filter.topics {
            if !edge.topic.is_some_and(|t| topics.contains(&t)) {
                return false;
            }
        }
        if filter.counterpart && edge.participants.is_empty() {
            return false;
        }
        if let Some(country) = &filter.country {
            if !edge.parties().any(|p| self.nodes[p].country.as_deref() == Some(country.as_str())) {
                return false;
            }
        }
        self.parties_match(edge, filter)
    }

    /// Whether some acting party satisfies `actors` while other parties satisfy `with` and
    /// (unless the topic does) `about`.
    fn parties_match(&self, edge: &Edge, filter: &Filter) -> bool {
        let n = 1 + edge.participants.len();
        let about_topic =
            filter.about.as_ref().is_some_and(|a| edge.topic.is_some_and(|t| a.contains(&t)));
        let other_party = |actor_position: usize, set: &[usize]| {
            (0..n).any(|j| j != actor_position && set.contains(&edge.party(j)))
        };
        (0..n).filter(|&i| edge.acts(i)).any(|i| {
            filter.actors.as_ref().is_none_or(|a| a.contains(&edge.party(i)))
                && filter.with.as_ref().is_none_or(|w| other_party(i, w))
                && (about_topic || filter.about.as_ref().is_none_or(|a| other_party(i, a)))
        })
    }

    /// The answers as rows to show; `limit` keeps the first ones.
    pub fn rows(&self, answers: &[Answer], limit: Option<usize>) -> Rows<'_> {
        let rows = answers
            .iter()
            .take(limit.unwrap_or(usize::MAX))
            .map(|answer| {
                let edge = &self.edges[answer.edge];
                Row {
                    actor: &self.nodes[edge.actor],
                    action: &edge.action,
                    topic: edge.topic.map(|t| &self.nodes[t]),
                    participants: edge.participants.iter().map(|&p| &self.nodes[p]).collect(),
                    symmetric: edge.symmetric,
                    count: answer.count,
                    first_date: answer.first_date,
                    last_date: answer.last_date,
                    sources: match &answer.reports {
                        Reports::All => edge.sources.iter().collect(),
                        Reports::Only(list) => list.iter().map(|&i| &edge.sources[i]).collect(),
                    },
                }
            })
            .collect();
        Rows(rows)
    }
}

/// Which roles of a node [`QueryGraph::edges_of`] looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Roles {
    /// As the actor.
    pub actor: bool,
    /// As a participant.
    pub participant: bool,
    /// As the topic.
    pub topic: bool,
}

impl Roles {
    /// Actor or participant.
    pub const PARTY: Roles = Roles { actor: true, participant: true, topic: false };
    /// Any role.
    pub const ANY: Roles = Roles { actor: true, participant: true, topic: true };
}

/// Today (UTC), for a graph without dates.
fn today() -> NaiveDate {
    let seconds = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    chrono::DateTime::from_timestamp(seconds, 0).map_or(NaiveDate::MIN, |t| t.date_naive())
}

/// The sorted union of sorted index lists.
fn union(lists: &[&[usize]]) -> Vec<usize> {
    match lists {
        [] => Vec::new(),
        [one] => one.to_vec(),
        _ => {
            let mut all: Vec<usize> = lists.iter().flat_map(|l| l.iter().copied()).collect();
            all.sort_unstable();
            all.dedup();
            all
        }
    }
}

/// Parses the start of a date range: `YYYY-MM-DD`, or the first day of `YYYY-MM` or `YYYY`.
pub fn parse_since(text: &str) -> Result<NaiveDate, QueryError> {
    parse_period(text).map(|(first, _)| first)
}

/// Parses the end of a date range: `YYYY-MM-DD`, or the last day of `YYYY-MM` or `YYYY`.
pub fn parse_until(text: &str) -> Result<NaiveDate, QueryError> {
    parse_period(text).map(|(_, last)| last)
}

/// The first and last day of a day, month or year written `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
pub fn parse_period(text: &str) -> Result<(NaiveDate, NaiveDate), QueryError> {
    let text = text.trim();
    let bad = || QueryError::BadDate(text.to_string());
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str| -> Result<u32, QueryError> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    match parts.as_slice() {
        [year] if year.len() == 4 => {
            let y = i32::try_from(number(year)?).map_err(|_| bad())?;
            let first = NaiveDate::from_ymd_opt(y, 1, 1).ok_or_else(bad)?;
            let last = NaiveDate::from_ymd_opt(y, 12, 31).ok_or_else(bad)?;
            Ok((first, last))
        }
        [year, month] if year.len() == 4 => {
            let y = i32::try_from(number(year)?).map_err(|_| bad())?;
            let first = NaiveDate::from_ymd_opt(y, number(month)?, 1).ok_or_else(bad)?;
            Ok((first, last_of_month(first)))
        }
        [_, _, _] => {
            let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad())?;
            Ok((day, day))
        }
        _ => Err(bad()),
    }
}

/// The last day of the month of `date`.
pub fn last_of_month(date: NaiveDate) -> NaiveDate {
    let (y, m) =
        if date.month() == 12 { (date.year() + 1, 1) } else { (date.year(), date.month() + 1) };
    NaiveDate::from_ymd_opt(y, m, 1).and_then(|d| d.pred_opt()).unwrap_or(date)
}

#[cfg(test)]
mod tests;
