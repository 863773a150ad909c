//! The graph as a build holds it: each report is a few numbers, and its sentence waits in a
//! temporary file until the graph is written. A corpus has about as many bytes of source
//! sentences as of text, so a graph that held them would grow with the corpus; this one grows
//! with its entities, its edges and the number of reports. Written out, it is the same graph,
//! byte for byte, as the [`KnowledgeGraph`] made from the same events.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

use std::hash::{BuildHasherDefault, Hash};

use chrono::NaiveDate;
use indexmap::IndexMap;

use super::{EdgeKey, EdgeRef, EventEdge, GraphSource, KnowledgeGraph, SourceRef};
use crate::model::{Action, Entity, EntityId, Event, Provenance};
use crate::text::{WordHasher, WordMap};

/// Where a sentence's text sits in the sentence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Span {
    offset: u64,
    len: u32,
}

/// One report of an edge, without its strings.
#[derive(Debug, Clone, Copy)]
struct Report {
    /// Index into [`SpilledGraph::articles`].
    article: u32,
    sentence_index: u32,
    date: Option<NaiveDate>,
    text: Span,
}

/// Values stored once and known by number: an edge key of numbers is a tenth of the size of
/// one of strings, and hashing it is cheaper than comparing strings in an ordered map.
#[derive(Debug)]
struct Interner<T> {
    values: Vec<T>,
    numbers: WordMap<T, u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Interner<T> {
        Interner { values: Vec::new(), numbers: WordMap::default() }
    }
}

impl<T: Clone + Eq + Hash + Ord> Interner<T> {
    fn number(&mut self, value: &T) -> io::Result<u32> {
        if let Some(&number) = self.numbers.get(value) {
            return Ok(number);
        }
        let number = u32::try_from(self.values.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too many distinct values"))?;
        self.values.push(value.clone());
        self.numbers.insert(value.clone(), number);
        Ok(number)
    }

    fn value(&self, number: u32) -> &T {
        &self.values[number as usize]
    }

    /// Each number's place in the values' own order.
    fn ranks(&self) -> Vec<u32> {
        let mut order: Vec<usize> = (0..self.values.len()).collect();
        order.sort_by(|&a, &b| self.values[a].cmp(&self.values[b]));
        let mut ranks = vec![0; self.values.len()];
        for (rank, &number) in (0u32..).zip(&order) {
            ranks[number] = rank;
        }
        ranks
    }
}

/// An [`EdgeKey`] in numbers: actor, action, topic ([`NO_TOPIC`] for none) and participants,
/// the participants in the order of their ids.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CompactKey {
    actor: u32,
    action: u32,
    topic: u32,
    participants: Box<[u32]>,
}

/// An entity as an edge key names it: an event's whole entity, or a link's id.
trait KeyEntity {
    fn key_id(&self) -> &EntityId;
}

impl KeyEntity for Entity {
    fn key_id(&self) -> &EntityId {
        &self.id
    }
}

impl KeyEntity for &EntityId {
    fn key_id(&self) -> &EntityId {
        self
    }
}

/// The topic of an edge without one.
const NO_TOPIC: u32 = u32::MAX;

/// An edge and its reports.
#[derive(Debug)]
struct SpilledEdge {
    symmetric: bool,
    reports: Vec<Report>,
}

/// An article the reports point to.
#[derive(Debug)]
struct ArticleName {
    id: String,
    url: Option<String>,
}

/// Numbers for the articles of a graph being read: one per (id, URL).
#[derive(Debug, Default)]
struct ArticleIndex(HashMap<(String, Option<String>), u32>);

impl ArticleIndex {
    fn number(
        &mut self,
        id: String,
        url: Option<String>,
        names: &mut Vec<ArticleName>,
    ) -> io::Result<u32> {
        let next = article_number(names.len())?;
        match self.0.entry((id, url)) {
            std::collections::hash_map::Entry::Occupied(seen) => Ok(*seen.get()),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let (id, url) = slot.key().clone();
                names.push(ArticleName { id, url });
                Ok(*slot.insert(next))
            }
        }
    }
}

/// What [`SpilledGraph::read`] learns besides the nodes and links.
#[derive(Default)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
    links: bool,
}

/// Reads a graph file's top-level object: the links go straight into the graph.
struct FileSeed<'g> {
    graph: &'g mut SpilledGraph,
}

impl<'de> serde::de::DeserializeSeed<'de> for FileSeed<'_> {
    type Value = Header;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Header, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for FileSeed<'_> {
    type Value = Header;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a dipgraph graph file")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Header, A::Error> {
        use serde::de::IgnoredAny;
        let mut header = Header::default();
        let mut articles = ArticleIndex::default();
        while let Some(field) = map.next_key::<String>()? {
            match field.as_str() {
                "format" => header.format = Some(map.next_value()?),
                "version" => header.version = Some(map.next_value()?),
                "nodes" => {
                    for entity in map.next_value::<Vec<Entity>>()? {
                        self.graph.put_entity(entity).map_err(serde::de::Error::custom)?;
                    }
                }
                "links" => {
                    map.next_value_seed(LinksSeed { graph: self.graph, articles: &mut articles })?;
                    header.links = true;
                }
                "article_hashes" => self.graph.article_hashes = map.next_value()?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(header)
    }
}

/// Reads the links one at a time into the graph.
struct LinksSeed<'g, 'a> {
    graph: &'g mut SpilledGraph,
    articles: &'a mut ArticleIndex,
}

impl<'de> serde::de::DeserializeSeed<'de> for LinksSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for LinksSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of links")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        while let Some(link) = seq.next_element::<crate::export::json::Link>()? {
            let edge = link.into_edge().map_err(A::Error::custom)?;
            self.graph.add_edge(edge, self.articles).map_err(A::Error::custom)?;
        }
        Ok(())
    }
}

/// Sentence texts, appended once each to an unnamed temporary file (gone when dropped).
#[derive(Debug)]
struct SentenceFile {
    out: BufWriter<File>,
    written: u64,
    /// Where the file is: the stretches' sentences are gathered into a file beside it.
    dir: PathBuf,
}

impl SentenceFile {
    fn new(dir: &Path) -> io::Result<SentenceFile> {
        let file = tempfile::tempfile_in(dir)?;
        Ok(SentenceFile {
            out: BufWriter::with_capacity(1 << 20, file),
            written: 0,
            dir: dir.to_path_buf(),
        })
    }

    fn push(&mut self, text: &str) -> io::Result<Span> {
        let len = u32::try_from(text.len())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "sentence over 4 GB"))?;
        self.out.write_all(text.as_bytes())?;
        let span = Span { offset: self.written, len };
        self.written += u64::from(len);
        Ok(span)
    }

    /// The text at `span`. Only after [`SentenceFile::flush`]: a read goes to the file, not to
    /// the write buffer.
    fn read(&self, span: Span) -> io::Result<String> {
        let mut bytes = vec![0; span.len as usize];
        read_exact_at(self.out.get_ref(), &mut bytes, span.offset)?;
        String::from_utf8(bytes).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(unix)]
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_exact_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_read(file, buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn write_all_at(file: &File, buf: &[u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, buf, offset)
}

#[cfg(windows)]
fn write_all_at(file: &File, mut buf: &[u8], mut offset: u64) -> io::Result<()> {
    while !buf.is_empty() {
        match std::os::windows::fs::FileExt::seek_write(file, buf, offset)? {
            0 => return Err(io::ErrorKind::WriteZero.into()),
            n => {
                buf = &buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// A graph whose source sentences are on disk. Add articles' events with
/// [`SpilledGraph::add_article`], then [`SpilledGraph::seal`] it before writing it out through
/// [`GraphSource`].
#[derive(Debug)]
pub struct SpilledGraph {
    /// The entities by the number of their id in `ids` (`None` for an id no node is known
    /// for yet): an event's entity is then found with the one lookup that numbers its id.
    /// [`GraphSource::nodes`] sorts them when they are written.
    entities: Vec<Option<Entity>>,
    /// The entity ids and actions the edge keys use, each stored once.
    ids: Interner<EntityId>,
    actions: Interner<Action>,
    /// Edges in the order they were first met; [`SpilledGraph::seal`] finds their key order.
    edges: IndexMap<CompactKey, SpilledEdge, BuildHasherDefault<WordHasher>>,
    /// Positions in `edges`, in [`EdgeKey`] order (set by [`SpilledGraph::seal`]).
    order: Vec<u32>,
    articles: Vec<ArticleName>,
    /// Articles ordered as [`Provenance`] orders them (id, then URL): equal names, equal rank.
    ranks: Vec<u32>,
    article_hashes: BTreeMap<String, String>,
    sentences: SentenceFile,
    sealed: bool,
}

impl SpilledGraph {
    /// An empty graph whose sentence file goes in `dir` (unnamed, removed when dropped).
    pub fn new(dir: &Path) -> io::Result<SpilledGraph> {
        Ok(SpilledGraph {
            entities: Vec::new(),
            ids: Interner::default(),
            actions: Interner::default(),
            edges: IndexMap::default(),
            order: Vec::new(),
            articles: Vec::new(),
            ranks: Vec::new(),
            article_hashes: BTreeMap::new(),
            sentences: SentenceFile::new(dir)?,
            sealed: false,
        })
    }

    /// The graph `graph`, to be extended: its sentences move to the file in `dir`.
    pub fn from_graph(graph: KnowledgeGraph, dir: &Path) -> io::Result<SpilledGraph> {
        let mut spilled = SpilledGraph::new(dir)?;
        let KnowledgeGraph { entities, edges, article_hashes } = graph;
        for entity in entities.into_values() {
            spilled.put_entity(entity)?;
        }
        spilled.article_hashes = article_hashes;
        let mut articles = ArticleIndex::default();
        for edge in edges.into_values() {
            spilled.add_edge(edge, &mut articles)?;
        }
        Ok(spilled)
    }

    /// Reads a graph file as a stream into a spilled graph whose sentence file goes in `dir`:
    /// one link at a time is in memory, never the whole file. The checks are those of the
    /// graph file loader (format, version, links naming known nodes); the error says what
    /// failed, and a caller that wants the loader's own wording reads the file with it.
    pub fn read(reader: impl io::Read, dir: &Path) -> Result<SpilledGraph, serde_json::Error> {
        use serde::de::{DeserializeSeed, Error};
        let mut graph = SpilledGraph::new(dir).map_err(serde_json::Error::io)?;
        let mut deserializer = serde_json::Deserializer::from_reader(reader);
        let header = FileSeed { graph: &mut graph }.deserialize(&mut deserializer)?;
        deserializer.end()?;
        if header.format.as_deref() != Some("dipgraph") {
            return Err(serde_json::Error::custom("not a dipgraph graph file"));
        }
        if header.version != Some(crate::export::json::GRAPH_FORMAT_VERSION) {
            return Err(serde_json::Error::custom("another graph file version"));
        }
        if !header.links {
            return Err(serde_json::Error::custom("missing field `links`"));
        }
        let unknown = |&(number, _): &(usize, &EntityId)| graph.entity(number).is_none();
        if let Some((_, id)) = graph.ids.values.iter().enumerate().find(unknown) {
            return Err(serde_json::Error::custom(format!(
                "a link names {id}, which is not among the nodes"
            )));
        }
        Ok(graph)
    }

    /// Adds a whole edge (from a graph file or graph being extended), its sentences moved to
    /// the file; `articles` numbers the articles met so far.
    fn add_edge(&mut self, edge: EventEdge, articles: &mut ArticleIndex) -> io::Result<()> {
        let EventEdge { key, symmetric, sources } = edge;
        let mut reports = Vec::with_capacity(sources.len());
        for source in sources {
            let Provenance { article, url, sentence_index, sentence, date } = source;
            reports.push(Report {
                article: articles.number(article, url, &mut self.articles)?,
                sentence_index: sentence_number(sentence_index)?,
                date,
                text: self.sentences.push(&sentence)?,
            });
        }
        self.sealed = false;
        let participants: Vec<&EntityId> = key.participants.iter().collect();
        let number = |graph: &mut Self, id: &EntityId| graph.ids.number(id);
        let key =
            self.compact_key(&key.actor, &key.action, key.topic.as_ref(), participants, number)?;
        match self.edges.get_mut(&key) {
            Some(existing) => {
                existing.symmetric |= symmetric;
                existing.reports.extend(reports);
            }
            None => {
                self.edges.insert(key, SpilledEdge { symmetric, reports });
            }
        }
        Ok(())
    }

    /// The key in numbers, each entity numbered by `number` (a link's id, or an event's
    /// entity, which is kept as well); `participants` are sorted by id here.
    fn compact_key<E: KeyEntity>(
        &mut self,
        actor: E,
        action: &Action,
        topic: Option<E>,
        mut participants: Vec<E>,
        number: impl Fn(&mut Self, E) -> io::Result<u32>,
    ) -> io::Result<CompactKey> {
        participants.sort_by(|a, b| a.key_id().cmp(b.key_id()));
        Ok(CompactKey {
            actor: number(self, actor)?,
            action: self.actions.number(action)?,
            topic: match topic {
                Some(topic) => number(self, topic)?,
                None => NO_TOPIC,
            },
            participants: participants
                .into_iter()
                .map(|participant| number(self, participant))
                .collect::<io::Result<Box<[u32]>>>()?,
        })
    }

    /// The key in full.
    fn edge_key(&self, key: &CompactKey) -> EdgeKey {
        EdgeKey {
            actor: self.ids.value(key.actor).clone(),
            action: self.actions.value(key.action).clone(),
            topic: (key.topic != NO_TOPIC).then(|| self.ids.value(key.topic).clone()),
            participants: key.participants.iter().map(|&p| self.ids.value(p).clone()).collect(),
        }
    }

    /// The entity whose id has `number`, if a node is known for it.
    fn entity(&self, number: usize) -> Option<&Entity> {
        self.entities.get(number).and_then(Option::as_ref)
    }

    /// The slot of the entity whose id has `number`, made if need be.
    fn entity_slot(&mut self, number: u32) -> &mut Option<Entity> {
        let at = number as usize;
        if self.entities.len() <= at {
            self.entities.resize(at + 1, None);
        }
        &mut self.entities[at]
    }

    /// Puts `entity` in the graph in place of any held under its id (a graph file's node);
    /// returns its id's number.
    fn put_entity(&mut self, entity: Entity) -> io::Result<u32> {
        let number = self.ids.number(&entity.id)?;
        *self.entity_slot(number) = Some(entity);
        Ok(number)
    }

    /// Keeps `entity`, or the smaller of it and the one already held under its id (as
    /// [`KnowledgeGraph::merge`] does), so the graph does not depend on the order of the
    /// articles; returns its id's number.
    fn keep_entity(&mut self, entity: Entity) -> io::Result<u32> {
        let number = self.ids.number(&entity.id)?;
        let slot = self.entity_slot(number);
        match slot {
            // Most are the lexicon's own entity again: equal at a pointer comparison.
            Some(existing) => {
                if entity != *existing && entity < *existing {
                    *existing = entity;
                }
            }
            None => *slot = Some(entity),
        }
        Ok(number)
    }

    /// Adds the events of one article, in the order extraction found them; each sentence's
    /// text is stored once however many events it holds. Entities already in the graph keep
    /// their details, as [`KnowledgeGraph::add_event`] does.
    pub fn add_article(&mut self, events: Vec<Event>) -> io::Result<()> {
        let Some(first) = events.first() else { return Ok(()) };
        self.sealed = false;
        let article = article_number(self.articles.len())?;
        self.articles
            .push(ArticleName { id: first.article.id.clone(), url: first.article.url.clone() });
        let mut stored: Vec<(usize, Span)> = Vec::new();
        for event in events {
            let Event { sentence, actor, action, topic, participants, date, symmetric, .. } = event;
            let text = match stored.iter().find(|(index, _)| *index == sentence.index) {
                Some(&(_, span)) => span,
                None => {
                    let span = self.sentences.push(&sentence.text)?;
                    stored.push((sentence.index, span));
                    span
                }
            };
            let key = self.compact_key(actor, &action, topic, participants, Self::keep_entity)?;
            let report =
                Report { article, sentence_index: sentence_number(sentence.index)?, date, text };
            match self.edges.get_mut(&key) {
                Some(edge) => {
                    edge.symmetric |= symmetric;
                    edge.reports.push(report);
                }
                None => {
                    self.edges.insert(key, SpilledEdge { symmetric, reports: vec![report] });
                }
            }
        }
        Ok(())
    }

    /// Remembers that the article `id`, which has no URL, has content hash `hash`; the first
    /// article with a hash is kept ([`KnowledgeGraph::record_article_hash`]).
    pub fn record_article_hash(&mut self, hash: String, id: String) {
        self.article_hashes.entry(hash).or_insert(id);
    }

    /// What identifies each article the graph holds (see [`KnowledgeGraph::article_identities`]).
    pub fn article_identities(&self) -> BTreeSet<String> {
        let urls = self.articles.iter().filter_map(|a| a.url.as_deref());
        super::identities(urls, self.article_hashes.keys())
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.entities.iter().flatten().count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.edges.len()
    }

    /// Gets the graph ready to be read: the sentence file flushed, and each edge's reports
    /// sorted and made distinct as a [`KnowledgeGraph`] edge's set of sources is.
    pub fn seal(&mut self) -> io::Result<()> {
        self.sentences.flush()?;
        let mut order: Vec<u32> = (0..article_number(self.articles.len())?).collect();
        let name = |a: u32| {
            let article = &self.articles[a as usize];
            (article.id.as_str(), article.url.as_deref())
        };
        order.sort_by(|&a, &b| name(a).cmp(&name(b)));
        let mut ranks = vec![0; self.articles.len()];
        let mut rank = 0;
        for (position, &article) in order.iter().enumerate() {
            if position > 0 && name(order[position - 1]) != name(article) {
                rank += 1;
            }
            ranks[article as usize] = rank;
        }
        self.ranks = ranks;
        let mut failure = None;
        // The borrow checker needs the fields apart: ranks and sentences are read while the
        // edges are sorted.
        let SpilledGraph { edges, ranks, sentences, .. } = self;
        for edge in edges.values_mut() {
            edge.reports.sort_by(|a, b| report_order(ranks, sentences, a, b, &mut failure));
            edge.reports.dedup_by(|b, a| {
                report_order(ranks, sentences, a, b, &mut failure) == Ordering::Equal
            });
        }
        if let Some(error) = failure {
            return Err(error);
        }
        // Edge order is EdgeKey order: ids and actions ranked once, keys compared as numbers.
        let (id_ranks, action_ranks) = (self.ids.ranks(), self.actions.ranks());
        let rank = |key: &CompactKey| {
            let topic = match key.topic {
                NO_TOPIC => 0,
                topic => id_ranks[topic as usize] + 1,
            };
            let participants: Vec<u32> =
                key.participants.iter().map(|&p| id_ranks[p as usize]).collect();
            (id_ranks[key.actor as usize], action_ranks[key.action as usize], topic, participants)
        };
        let mut order: Vec<(_, u32)> =
            self.edges.keys().zip(0u32..).map(|(key, at)| (rank(key), at)).collect();
        order.sort_unstable();
        self.order = order.into_iter().map(|(_, at)| at).collect();
        self.sealed = true;
        Ok(())
    }

    /// An edge whole, its sentences read back from the file.
    fn whole_edge(&self, key: &CompactKey, edge: &SpilledEdge) -> io::Result<EventEdge> {
        let mut sources = BTreeSet::new();
        for report in &edge.reports {
            let article = &self.articles[report.article as usize];
            sources.insert(Provenance {
                article: article.id.clone(),
                url: article.url.clone(),
                sentence_index: report.sentence_index as usize,
                sentence: self.sentences.read(report.text)?,
                date: report.date,
            });
        }
        Ok(EventEdge { key: self.edge_key(key), symmetric: edge.symmetric, sources })
    }

    /// The edges in key order (once sealed).
    fn sorted_edges(&self) -> impl Iterator<Item = (&CompactKey, &SpilledEdge)> {
        self.order.iter().filter_map(|&at| self.edges.get_index(at as usize))
    }

    fn check_sealed(&self) -> io::Result<()> {
        if self.sealed {
            Ok(())
        } else {
            Err(io::Error::other("the graph was read before it was sealed"))
        }
    }
}

impl SpilledGraph {
    /// The edges in key order (once sealed), cut into stretches whose sentences, about
    /// `text_budget` bytes of them, are read back together ([`Stretch::read`]): the reports
    /// of a stretch are read in file order, neighbours with one read, instead of one read (and
    /// one string) per report. Memory holds a stretch's sentences, never all of them.
    pub fn stretch_ranges(&self, text_budget: usize) -> io::Result<Vec<Range<usize>>> {
        self.check_sealed()?;
        let mut ranges = Vec::new();
        let (mut start, mut bytes) = (0, 0usize);
        for (at, &edge) in self.order.iter().enumerate() {
            let edge_bytes: usize = self
                .edges
                .get_index(edge as usize)
                .map_or(0, |(_, edge)| edge.reports.iter().map(|r| r.text.len as usize).sum());
            if at > start && bytes + edge_bytes > text_budget {
                ranges.push(start..at);
                (start, bytes) = (at, 0);
            }
            bytes += edge_bytes;
        }
        if start < self.order.len() {
            ranges.push(start..self.order.len());
        }
        Ok(ranges)
    }

    /// The stretches of [`SpilledGraph::stretch_ranges`] with their sentences gathered, each
    /// stretch's together and in sentence-file order, into a file of their own (unnamed,
    /// beside the sentence file), so that [`Stretch::read`] reads a stretch with one read.
    /// A stretch's reports point all over the sentence file: read from there, every stretch
    /// cost a pass over the whole file (704,000 reads and 2 GB for a 500 MB corpus, growing
    /// with the square of the corpus). Gathering reads the sentence file once, in order.
    /// With a `pool` of several threads, each gathers its part of the sentence file.
    pub fn stretches(
        &self,
        text_budget: usize,
        pool: Option<&rayon::ThreadPool>,
    ) -> io::Result<Stretches> {
        // Sentence bytes read from the sentence file at once.
        const CHUNK: u64 = 4 << 20;
        self.gathered_stretches(text_budget, CHUNK, pool)
    }

    /// [`SpilledGraph::stretches`], reading the sentence file `chunk` bytes at a time.
    fn gathered_stretches(
        &self,
        text_budget: usize,
        chunk_bytes: u64,
        pool: Option<&rayon::ThreadPool>,
    ) -> io::Result<Stretches> {
        use rayon::prelude::*;
        let ranges = self.stretch_ranges(text_budget)?;
        // Stretches are numbered in u32 below: there are fewer, so the casts are exact.
        u32::try_from(ranges.len()).map_err(io::Error::other)?;
        // Every report's span with the stretch that wants it, in file order, each pair once.
        let spans_of = |index: usize, range: &Range<usize>, out: &mut Vec<(u64, u32, u32)>| {
            for &at in &self.order[range.clone()] {
                if let Some((_, edge)) = self.edges.get_index(at as usize) {
                    let index = index as u32;
                    out.extend(edge.reports.iter().map(|r| (r.text.offset, r.text.len, index)));
                }
            }
        };
        let mut wanted: Vec<(u64, u32, u32)> = match pool {
            Some(pool) => pool.install(|| {
                let each: Vec<Vec<_>> = (ranges.par_iter().enumerate())
                    .map(|(index, range)| {
                        let mut out = Vec::new();
                        spans_of(index, range, &mut out);
                        out
                    })
                    .collect();
                let mut wanted = each.concat();
                wanted.par_sort_unstable();
                wanted
            }),
            None => {
                let mut wanted = Vec::new();
                for (index, range) in ranges.iter().enumerate() {
                    spans_of(index, range, &mut wanted);
                }
                wanted.sort_unstable();
                wanted
            }
        };
        wanted.dedup();
        // One part of the spans for each thread, in file order.
        let threads = pool.map_or(1, rayon::ThreadPool::current_num_threads);
        let parts: Vec<&[(u64, u32, u32)]> =
            wanted.chunks(wanted.len().div_ceil(threads).max(1)).collect();
        // Stretch after stretch in the gathered file, and within a stretch part after part:
        // where each part's bytes of each stretch go.
        let mut part_starts = vec![vec![0u64; ranges.len()]; parts.len()];
        for (part, bytes) in parts.iter().zip(&mut part_starts) {
            for &(_, len, index) in *part {
                bytes[index as usize] += u64::from(len);
            }
        }
        let mut end = 0;
        let mut starts = Vec::with_capacity(ranges.len() + 1);
        for index in 0..ranges.len() {
            starts.push(end);
            for part_start in &mut part_starts {
                let bytes = part_start[index];
                part_start[index] = end;
                end += bytes;
            }
        }
        starts.push(end);
        let file = tempfile::tempfile_in(&self.sentences.dir)?;
        let gather = |(part, next): (&&[(u64, u32, u32)], Vec<u64>)| {
            self.gather_part(part, next, chunk_bytes, &file)
        };
        match pool {
            Some(pool) => {
                pool.install(|| parts.par_iter().zip(part_starts).try_for_each(gather))?
            }
            None => parts.iter().zip(part_starts).try_for_each(gather)?,
        }
        Ok(Stretches { ranges, starts, file })
    }

    /// Copies the sentences of `spans` (sorted by offset: (offset, length, stretch)) from the
    /// sentence file into `file`, each stretch's at its place in `next`, reading `chunk_bytes`
    /// at a time.
    fn gather_part(
        &self,
        spans: &[(u64, u32, u32)],
        mut next: Vec<u64>,
        chunk_bytes: u64,
        file: &File,
    ) -> io::Result<()> {
        // A stretch's gathered bytes are written out once this many wait.
        const FLUSH: usize = 64 << 10;
        let source = self.sentences.out.get_ref();
        let mut pending: Vec<Vec<u8>> = vec![Vec::new(); next.len()];
        let (mut chunk, mut chunk_start) = (Vec::new(), 0u64);
        for &(offset, len, index) in spans {
            let end = offset + u64::from(len);
            if offset < chunk_start || end > chunk_start + chunk.len() as u64 {
                let size = chunk_bytes.max(u64::from(len)).min(self.sentences.written - offset);
                chunk.resize(usize::try_from(size).map_err(io::Error::other)?, 0);
                read_exact_at(source, &mut chunk, offset)?;
                chunk_start = offset;
            }
            let from = (offset - chunk_start) as usize;
            let out = &mut pending[index as usize];
            out.extend_from_slice(&chunk[from..from + len as usize]);
            if out.len() >= FLUSH {
                write_all_at(file, out, next[index as usize])?;
                next[index as usize] += out.len() as u64;
                out.clear();
            }
        }
        for (index, out) in pending.iter().enumerate() {
            write_all_at(file, out, next[index])?;
        }
        Ok(())
    }

    /// A stretch holding no edge yet, whose buffers [`Stretch::read`] fills and refills: a
    /// fresh buffer for each stretch would have the system zero its pages again.
    pub fn empty_stretch(&self) -> Stretch<'_> {
        Stretch {
            graph: self,
            edges: 0..0,
            text: String::new(),
            sentences: Vec::new(),
            starts: Vec::new(),
            wanted: Vec::new(),
        }
    }
}

/// A sealed graph's edges cut into stretches, with each stretch's sentences gathered in a
/// file of their own (see [`SpilledGraph::stretches`]).
#[derive(Debug)]
pub struct Stretches {
    /// Each stretch's edges: positions in key order.
    ranges: Vec<Range<usize>>,
    /// Where each stretch's sentences begin in `file`, and where the last one's end.
    starts: Vec<u64>,
    file: File,
}

impl Stretches {
    /// Number of stretches.
    pub fn len(&self) -> usize {
        self.ranges.len()
    }

    /// True when the graph has no edge.
    pub fn is_empty(&self) -> bool {
        self.ranges.is_empty()
    }
}

/// A stretch of a sealed [`SpilledGraph`]'s edges, in key order, with their sentences
/// (see [`SpilledGraph::stretches`]).
#[derive(Debug)]
pub struct Stretch<'g> {
    graph: &'g SpilledGraph,
    /// Positions of the edges in key order.
    edges: Range<usize>,
    /// The stretch's sentences, each once.
    text: String,
    /// Each report's sentence in `text`: the reports of the first edge, then of the next...
    sentences: Vec<Range<usize>>,
    /// Where each edge's reports begin in `sentences`, and where the last one's end.
    starts: Vec<usize>,
    /// Each report's span and its place in the stretch, sorted by offset.
    wanted: Vec<(u64, u32, usize)>,
}

impl<'g> Stretch<'g> {
    /// Reads the `index`th of `stretches` (its edges and their sentences, with one read), in
    /// place of what it held.
    pub fn read(&mut self, stretches: &Stretches, index: usize) -> io::Result<()> {
        let graph = self.graph;
        let edges = stretches.ranges.get(index).cloned();
        let edges = edges.ok_or_else(|| io::Error::other("no such stretch"))?;
        let Stretch { edges: held, text: held_text, sentences, starts, wanted, .. } = self;
        wanted.clear();
        starts.clear();
        starts.push(0);
        for &at in &graph.order[edges.clone()] {
            if let Some((_, edge)) = graph.edges.get_index(at as usize) {
                for report in &edge.reports {
                    wanted.push((report.text.offset, report.text.len, wanted.len()));
                }
            }
            starts.push(wanted.len());
        }
        *held = edges;
        sentences.clear();
        sentences.resize(wanted.len(), 0..0);
        // File order, as they were gathered; equal spans (one sentence, several reports) side
        // by side, gathered once.
        wanted.sort_unstable();
        let (begin, end) = (stretches.starts[index], stretches.starts[index + 1]);
        let mut text = std::mem::take(held_text).into_bytes();
        text.clear();
        text.resize(usize::try_from(end - begin).map_err(io::Error::other)?, 0);
        read_exact_at(&stretches.file, &mut text, begin)?;
        let mut at = 0;
        let mut previous: Option<(u64, u32, Range<usize>)> = None;
        for &(offset, len, slot) in wanted.iter() {
            let range = match &previous {
                Some((o, l, range)) if (*o, *l) == (offset, len) => range.clone(),
                _ => {
                    at += len as usize;
                    at - len as usize..at
                }
            };
            sentences[slot] = range.clone();
            previous = Some((offset, len, range));
        }
        if at != text.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "the gathered sentences do not match the stretch",
            ));
        }
        *held_text =
            String::from_utf8(text).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
        Ok(())
    }

    /// The key-order index (from 0) of the stretch's first edge.
    pub fn first_index(&self) -> usize {
        self.edges.start
    }

    /// Number of edges in the stretch.
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    /// True when the stretch holds no edge.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// Number of reports of the stretch's `n`th edge (0 past the last).
    pub fn report_count(&self, n: usize) -> usize {
        match (self.starts.get(n), self.starts.get(n + 1)) {
            (Some(start), Some(end)) => end - start,
            _ => 0,
        }
    }

    /// The stretch's `n`th edge, as [`GraphSource::whole_edges`] gives it but borrowed.
    pub fn edge(&self, n: usize) -> io::Result<EdgeRef<'_>> {
        let graph = self.graph;
        let missing = || io::Error::other("no such edge in the stretch");
        let at = self.edges.clone().nth(n).ok_or_else(missing)?;
        let (key, edge) = graph
            .order
            .get(at)
            .and_then(|&at| graph.edges.get_index(at as usize))
            .ok_or_else(missing)?;
        let ranges = self.sentences.get(self.starts[n]..self.starts[n + 1]).ok_or_else(missing)?;
        let sources = edge
            .reports
            .iter()
            .zip(ranges)
            .map(|(report, range)| {
                let article = &graph.articles[report.article as usize];
                let sentence = self.text.get(range.clone()).ok_or_else(|| {
                    io::Error::new(io::ErrorKind::InvalidData, "a sentence is not UTF-8")
                })?;
                Ok(SourceRef {
                    article: &article.id,
                    url: article.url.as_deref(),
                    sentence_index: report.sentence_index as usize,
                    sentence,
                    date: report.date,
                })
            })
            .collect::<io::Result<Vec<_>>>()?;
        Ok(EdgeRef {
            actor: graph.ids.value(key.actor),
            action: graph.actions.value(key.action),
            topic: (key.topic != NO_TOPIC).then(|| graph.ids.value(key.topic)),
            participants: key.participants.iter().map(|&p| graph.ids.value(p)).collect(),
            symmetric: edge.symmetric,
            sources,
        })
    }
}

/// The order of two reports as [`Provenance`] orders them: article (by rank), sentence index,
/// sentence text (read only when the rest ties and the spans differ), date.
fn report_order(
    ranks: &[u32],
    sentences: &SentenceFile,
    a: &Report,
    b: &Report,
    failure: &mut Option<io::Error>,
) -> Ordering {
    ranks[a.article as usize]
        .cmp(&ranks[b.article as usize])
        .then(a.sentence_index.cmp(&b.sentence_index))
        .then_with(|| {
            if a.text == b.text {
                return Ordering::Equal;
            }
            match (sentences.read(a.text), sentences.read(b.text)) {
                (Ok(x), Ok(y)) => x.cmp(&y),
                (Err(error), _) | (_, Err(error)) => {
                    failure.get_or_insert(error);
                    Ordering::Equal
                }
            }
        })
        .then(a.date.cmp(&b.date))
}

fn article_number(index: usize) -> io::Result<u32> {
    u32::try_from(index)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "more than 4 billion articles"))
}

fn sentence_number(index: usize) -> io::Result<u32> {
    u32::try_from(index).map_err(|_| {
        io::Error::new(io::ErrorKind::InvalidInput, "more than 4 billion sentences in an article")
    })
}

impl GraphSource for SpilledGraph {
    fn nodes(&self) -> Box<dyn Iterator<Item = &Entity> + '_> {
        let mut nodes: Vec<&Entity> = self.entities.iter().flatten().collect();
        nodes.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        Box::new(nodes.into_iter())
    }

    fn article_count(&self) -> usize {
        self.articles.iter().map(|a| a.id.as_str()).collect::<BTreeSet<_>>().len()
    }

    fn hashes(&self) -> &BTreeMap<String, String> {
        &self.article_hashes
    }

    fn edge_counts(&self) -> Box<dyn Iterator<Item = (Cow<'_, EdgeKey>, usize)> + '_> {
        let count = |(key, edge): (&CompactKey, &SpilledEdge)| {
            (Cow::Owned(self.edge_key(key)), edge.reports.len())
        };
        Box::new(self.sorted_edges().map(count))
    }

    fn whole_edges(&self) -> Box<dyn Iterator<Item = io::Result<Cow<'_, EventEdge>>> + '_> {
        match self.check_sealed() {
            Ok(()) => Box::new(
                self.sorted_edges().map(|(key, edge)| self.whole_edge(key, edge).map(Cow::Owned)),
            ),
            Err(error) => Box::new(std::iter::once(Err(error))),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::export::json::to_json;
    use crate::pipeline::write_graph_json;
    use proptest::prelude::*;

    /// An event of article `article` (URL when `url`), sentence `sentence` whose text is
    /// `text`, about `topic`, dated day `day`.
    fn event(
        article: &str,
        url: bool,
        sentence: usize,
        text: &str,
        topic: &str,
        day: u32,
    ) -> Event {
        let mut event = crate::graph::tests::event(article, sentence, topic, day);
        Arc::make_mut(&mut event.article).url =
            url.then(|| format!("https://news.example/{article}"));
        event.sentence.text = text.into();
        event
    }

    /// The graph file both ways: from a [`KnowledgeGraph`] and from a spilled graph fed the
    /// same articles in the same order, the first `held` of them through `from_graph`.
    fn both(articles: &[Vec<Event>], held: usize) -> (String, String) {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut whole = KnowledgeGraph::new();
        articles.iter().flatten().for_each(|e| whole.add_event(e));
        let mut first = KnowledgeGraph::new();
        articles[..held].iter().flatten().for_each(|e| first.add_event(e));
        let mut spilled = SpilledGraph::from_graph(first, dir.path()).expect("spill");
        for events in &articles[held..] {
            spilled.add_article(events.clone()).expect("add");
        }
        spilled.seal().expect("seal");
        let path = dir.path().join("graph.json");
        write_graph_json(&spilled, &path).expect("write");
        let written = std::fs::read_to_string(&path).expect("read");
        (written, to_json(&whole).expect("json"))
    }

    #[test]
    fn written_graph_is_the_knowledge_graphs() {
        let articles = vec![
            vec![
                event("b", true, 2, "Talks on trade.", "trade", 3),
                // Two events of one sentence on one edge are one report.
                event("b", true, 2, "Talks on trade.", "trade", 3),
                event("b", true, 0, "Trade talks", "trade", 3),
            ],
            vec![event("a", false, 1, "More on trade.", "trade", 2)],
            // Another article under the same id, without URL: its sentence 1 differs.
            vec![event("a", false, 1, "Energy and trade.", "trade", 2)],
            vec![event("c", false, 4, "Energy first.", "energy", 9)],
            // The same person named with a country: the smaller version is kept either way.
            vec![{
                let mut with_country = event("d", true, 1, "Anne Alpha of Turkey.", "trade", 5);
                with_country.actor.country = Some("TUR".into());
                with_country
            }],
        ];
        for held in 0..articles.len() {
            let (spilled, whole) = both(&articles, held);
            assert_eq!(spilled, whole, "held {held}");
        }
        assert!(both(&articles, 0).0.contains("Energy and trade."));
    }

    #[test]
    fn a_graph_file_read_as_a_stream_is_written_back_the_same() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut whole = KnowledgeGraph::new();
        whole.add_event(&event("b", true, 2, "Talks on trade.", "trade", 3));
        whole.add_event(&event("a", false, 1, "More on \"trade\".", "trade", 2));
        whole.add_event(&event("a", false, 4, "Energy first.", "energy", 9));
        whole.record_article_hash("00ff".into(), "a".into());
        let text = to_json(&whole).expect("json");
        let mut read = SpilledGraph::read(text.as_bytes(), dir.path()).expect("reads");
        assert_eq!(read.article_identities(), whole.article_identities());
        read.seal().expect("seal");
        let path = dir.path().join("graph.json");
        write_graph_json(&read, &path).expect("write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
        // What the loader refuses, the stream reader refuses too.
        let refused = [
            text.replacen("\"dipgraph\"", "\"other\"", 1),
            text.replacen("\"version\":1", "\"version\":9", 1),
            text.replacen("\"source\":\"person:anne-alpha\"", "\"source\":\"person:nobody\"", 1),
            text[..text.len() / 2].to_string(),
            text.replacen("\"links\"", "\"lynx\"", 1),
        ];
        for bad in refused {
            assert_ne!(bad, text, "each case damages the file");
            assert!(SpilledGraph::read(bad.as_bytes(), dir.path()).is_err(), "{bad}");
        }
    }

    #[test]
    fn reading_before_sealing_is_an_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut graph = SpilledGraph::new(dir.path()).expect("new");
        graph.add_article(vec![event("a", true, 0, "Hello.", "trade", 1)]).expect("add");
        assert!(graph.whole_edges().next().expect("one item").is_err());
        graph.seal().expect("seal");
        let edge = graph.whole_edges().next().expect("one").expect("readable");
        assert_eq!(edge.sources.iter().next().map(|s| s.sentence.as_str()), Some("Hello."));
    }

    /// Every edge of `graph` as its stretches of `budget` give it, owned.
    fn stretched(graph: &SpilledGraph, budget: usize) -> io::Result<Vec<EventEdge>> {
        stretched_in_chunks(graph, budget, 4 << 20, None)
    }

    /// [`stretched`], the sentences gathered `chunk` bytes at a time, on `pool` if given.
    fn stretched_in_chunks(
        graph: &SpilledGraph,
        budget: usize,
        chunk: u64,
        pool: Option<&rayon::ThreadPool>,
    ) -> io::Result<Vec<EventEdge>> {
        let mut edges = Vec::new();
        let mut stretch = graph.empty_stretch();
        let stretches = graph.gathered_stretches(budget, chunk, pool)?;
        for index in 0..stretches.len() {
            stretch.read(&stretches, index)?;
            assert_eq!(stretch.first_index(), edges.len());
            for n in 0..stretch.len() {
                let edge = stretch.edge(n)?;
                edges.push(EventEdge {
                    key: EdgeKey {
                        actor: edge.actor.clone(),
                        action: edge.action.clone(),
                        topic: edge.topic.cloned(),
                        participants: edge.participants.iter().map(|&p| p.clone()).collect(),
                    },
                    symmetric: edge.symmetric,
                    sources: edge
                        .sources
                        .iter()
                        .map(|s| Provenance {
                            article: s.article.into(),
                            url: s.url.map(String::from),
                            sentence_index: s.sentence_index,
                            sentence: s.sentence.into(),
                            date: s.date,
                        })
                        .collect(),
                });
            }
        }
        Ok(edges)
    }

    #[test]
    fn stretches_are_the_whole_edges_and_need_a_sealed_graph() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut graph = SpilledGraph::new(dir.path()).expect("new");
        // A sentence in several reports, an empty one, and one that is not first in its file.
        graph
            .add_article(vec![
                event("a", true, 0, "", "trade", 1),
                event("a", true, 1, "Talks on trade.", "trade", 1),
                event("a", true, 1, "Talks on trade.", "energy", 1),
            ])
            .expect("add");
        graph.add_article(vec![event("b", false, 3, "Trade é \"x\".", "trade", 2)]).expect("add");
        assert!(stretched(&graph, 1 << 20).is_err());
        graph.seal().expect("seal");
        let whole: Vec<EventEdge> = graph
            .whole_edges()
            .map(|e| e.map(Cow::into_owned))
            .collect::<io::Result<_>>()
            .expect("read");
        assert_eq!(whole.len(), 2);
        for budget in [0, 1, 15, 1 << 20] {
            assert_eq!(stretched(&graph, budget).expect("read"), whole, "budget {budget}");
            // Sentences that straddle the chunks the sentence file is read in, gathered in
            // one part or in a part for each of two or three threads.
            for chunk in [0, 1, 7, 16] {
                for threads in [1, 2, 3] {
                    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build();
                    let pool = (threads > 1).then_some(pool.expect("pool"));
                    let edges =
                        stretched_in_chunks(&graph, budget, chunk, pool.as_ref()).expect("read");
                    assert_eq!(edges, whole, "budget {budget}, chunk {chunk}, {threads} threads");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Any articles, in any order, with any share already held: the same graph file.
        #[test]
        fn any_articles_give_the_knowledge_graphs_file(
            raw in prop::collection::vec(
                prop::collection::vec((0..3usize, 0..4usize, 1..4u32), 1..4),
                1..7,
            ),
            held in 0..7usize,
        ) {
            let topics = ["trade", "energy", "Syria"];
            let articles: Vec<Vec<Event>> = raw
                .iter()
                .enumerate()
                .map(|(n, events)| {
                    // Ids repeat (n % 3) so that URL-less namesakes occur.
                    let id = format!("art{}", n % 3);
                    events
                        .iter()
                        // A sentence of an article always has the same text.
                        .map(|&(t, s, day)| {
                            event(&id, n % 2 == 0, s, &format!("sentence {s} of {n}"), topics[t], day)
                        })
                        .collect()
                })
                .collect();
            let held = held.min(articles.len());
            let (spilled, whole) = both(&articles, held);
            prop_assert_eq!(spilled, whole);
        }
    }
}
