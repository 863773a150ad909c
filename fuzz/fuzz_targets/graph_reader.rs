//! Any bytes as a graph file, loaded as `query`, `export`, `merge` and `build --into` load
//! it: a bad file must be an error with a one-line message, never a panic, and a good one must
//! answer the stats query and export without panicking.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use dipgraph::export::json::{parse_graph_file, to_json};
use dipgraph::graph::KnowledgeGraph;
use dipgraph::lexicon::Lexicon;
use dipgraph::query::{report, QueryGraph};

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::embedded().expect("the built-in lexicon loads"))
}

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.json");
    // The merge and `build --into` loader.
    match parse_graph_file(data, path) {
        Err(error) => assert!(!error.to_string().contains('\n'), "{error}"),
        Ok(file) => match KnowledgeGraph::from_graph_file(file) {
            Err(error) => assert!(!error.to_string().contains('\n'), "{error}"),
            Ok(graph) => {
                let mut merged = graph.clone();
                merged.merge(graph);
                let _ = to_json(&merged);
            }
        },
    }
    // The query loader.
    if let Ok(file) = parse_graph_file(data, path) {
        match QueryGraph::from_file(file, path, lexicon().clone()) {
            Err(error) => assert!(!error.to_string().contains('\n'), "{error}"),
            Ok(graph) => {
                let _ = report::stats(&graph);
            }
        }
    }
});
