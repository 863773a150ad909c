//! Any text as an article through the extractor, and its events through the graph and the
//! graph file: none of it may panic, and the graph file written must read back.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

use dipgraph::article::{decode_text, parse_text_article};
use dipgraph::export::json::{parse_graph_file, to_json};
use dipgraph::extract::Extractor;
use dipgraph::graph::KnowledgeGraph;
use dipgraph::lexicon::Lexicon;

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| Lexicon::embedded().expect("the built-in lexicon loads"))
}

fuzz_target!(|data: &[u8]| {
    let (text, _) = decode_text(data);
    let Some(article) = parse_text_article(&text, "fuzz") else { return };
    let events = Extractor::new(lexicon()).extract(&article);
    let mut graph = KnowledgeGraph::new();
    for event in &events {
        serde_json::to_string(event).expect("an event serialises");
        graph.add_event(event);
    }
    let json = to_json(&graph).expect("the graph serialises");
    let file = parse_graph_file(json.as_bytes(), Path::new("fuzz.json")).expect("reads back");
    let back = KnowledgeGraph::from_graph_file(file).expect("its links are sound");
    assert_eq!(back, graph);
});
