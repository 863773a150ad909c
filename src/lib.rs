//! dipgraph turns news articles about diplomacy into a knowledge graph of events: who did what
//! (typed by CAMEO), about what, with whom, when, and in which sentence it was said.
//!
//! The modules follow the pipeline: [`article`] reads articles, [`text`] splits them into
//! sentences and tokens, [`lexicon`] knows the world, [`extract`] finds events, [`graph`]
//! merges them, [`pipeline`] runs all of it over a corpus on every core, [`export`] writes
//! them out, [`query`] answers questions about a built graph,
//! and [`eval`] scores them against gold annotations.

pub mod agreement;
pub mod article;
pub mod calendar;
pub mod corpus;
pub mod eval;
pub mod export;
pub mod extract;
pub mod graph;
pub mod lexicon;
pub mod markup;
pub mod model;
pub mod petrarch;
pub mod pipeline;
pub mod query;
pub mod text;

use article::Article;
use extract::Extractor;
use graph::KnowledgeGraph;
use lexicon::Lexicon;
use model::Event;

/// Extracts the events of many articles, in a deterministic order (article id, then sentence).
pub fn extract_all(articles: &[Article], lexicon: &Lexicon) -> Vec<Event> {
    let extractor = Extractor::new(lexicon);
    let mut order: Vec<&Article> = articles.iter().collect();
    order.sort_by(|a, b| a.meta.id.cmp(&b.meta.id).then_with(|| a.meta.url.cmp(&b.meta.url)));
    order.into_iter().flat_map(|article| extractor.extract(article)).collect()
}

/// Merges events into a graph.
pub fn build_graph(events: &[Event]) -> KnowledgeGraph {
    let mut graph = KnowledgeGraph::new();
    events.iter().for_each(|e| graph.add_event(e));
    graph
}
