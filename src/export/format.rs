//! The export formats by name, and the one place that turns a selection into a format's
//! bytes. To add a format: a variant, its name, its file name, and its arm in [`render`].

use std::path::Path;

use super::dot::DotOptions;
use super::rdf::Syntax;
use super::view::{Exported, View};
use super::{
    cytoscape, dot, gexf, graphml, html, json, neo4j, rdf, tsv, write_atomic, ExportError,
};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// Graphviz DOT, styled for reading.
    Dot,
    /// Node-link JSON (networkx, D3); in the events view, dipgraph's own `graph.json`.
    Json,
    /// Cytoscape.js elements JSON.
    Cytoscape,
    /// GraphML (networkx, Gephi, yEd).
    Graphml,
    /// GEXF 1.3 with dates (Gephi's timeline).
    Gexf,
    /// Neo4j import CSVs and a Cypher script (a directory).
    Neo4j,
    /// RDF Turtle, events as nodes.
    Turtle,
    /// RDF N-Triples, events as nodes.
    NTriples,
    /// One row per report and target, as event-data tables are.
    EventsTsv,
    /// One self-contained HTML page with an interactive, offline view of the events.
    Html,
}

impl Format {
    /// Every format, in the order help texts list them.
    pub const ALL: [Format; 10] = [
        Format::Dot,
        Format::Json,
        Format::Cytoscape,
        Format::Graphml,
        Format::Gexf,
        Format::Neo4j,
        Format::Turtle,
        Format::NTriples,
        Format::EventsTsv,
        Format::Html,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::Dot => "dot",
            Format::Json => "json",
            Format::Cytoscape => "cytoscape",
            Format::Graphml => "graphml",
            Format::Gexf => "gexf",
            Format::Neo4j => "neo4j",
            Format::Turtle => "turtle",
            Format::NTriples => "ntriples",
            Format::EventsTsv => "events-tsv",
            Format::Html => "html",
        }
    }

    /// The format with this name; `rdf` is Turtle.
    pub fn from_name(name: &str) -> Option<Format> {
        let name = name.trim().to_ascii_lowercase();
        if name == "rdf" {
            return Some(Format::Turtle);
        }
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The file (for `neo4j`, the directory) `build --formats` writes it to.
    pub fn file_name(self) -> &'static str {
        match self {
            Format::Dot => "graph.dot",
            Format::Json => "graph.json",
            Format::Cytoscape => "graph.cyjs",
            Format::Graphml => "graph.graphml",
            Format::Gexf => "graph.gexf",
            Format::Neo4j => "neo4j",
            Format::Turtle => "graph.ttl",
            Format::NTriples => "graph.nt",
            Format::EventsTsv => "events.tsv",
            Format::Html => "graph.html",
        }
    }

    /// Whether the format lists events (and so has only the events view).
    pub fn events_only(self) -> bool {
        matches!(self, Format::Turtle | Format::NTriples | Format::EventsTsv | Format::Html)
    }

    /// Whether the format is several files in a directory.
    pub fn is_directory(self) -> bool {
        self == Format::Neo4j
    }
}

/// What a format produced: one file's bytes, or several named files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// One file.
    File(Vec<u8>),
    /// Files by name, for a directory.
    Files(Vec<(&'static str, Vec<u8>)>),
}

/// Options some formats take.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Options {
    /// DOT: group nodes by country.
    pub clusters: bool,
}

/// A selection in a format.
pub fn render(
    format: Format,
    exported: &Exported,
    options: Options,
) -> Result<Output, ExportError> {
    let view = &exported.view;
    if format.events_only() && view.view != View::Events {
        return Err(ExportError::ViewNotSupported {
            format: format.name(),
            view: view.view.name(),
        });
    }
    let text = match format {
        Format::Dot => dot::view_to_dot(view, DotOptions { clusters: options.clusters }),
        Format::Json if view.view == View::Events => json::to_json(&exported.graph)?,
        Format::Json => json::view_to_json(view)?,
        Format::Cytoscape => cytoscape::to_cytoscape(view)?,
        Format::Graphml => graphml::to_graphml(view)?,
        Format::Gexf => gexf::to_gexf(view)?,
        Format::Turtle => rdf::to_rdf(&exported.graph, Syntax::Turtle),
        Format::NTriples => rdf::to_rdf(&exported.graph, Syntax::NTriples),
        Format::EventsTsv => tsv::to_tsv(&exported.graph)?,
        Format::Html => html::to_html(&exported.graph),
        Format::Neo4j => {
            let files = neo4j::to_neo4j(view)?;
            return Ok(Output::Files(vec![
                ("nodes.csv", files.nodes.into_bytes()),
                ("relationships.csv", files.relationships.into_bytes()),
                ("load.cypher", files.cypher.into_bytes()),
            ]));
        }
    };
    Ok(Output::File(text.into_bytes()))
}

/// Writes an output to `path` (a directory for several files), each file atomically.
pub fn write_output(output: &Output, path: &Path) -> Result<(), ExportError> {
    match output {
        Output::File(bytes) => write_atomic(path, bytes),
        Output::Files(files) => {
            for (name, bytes) in files {
                write_atomic(&path.join(name), bytes)?;
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::tests::exported;
    use crate::export::view::Selection;

    #[test]
    fn names_round_trip_and_rdf_is_turtle() {
        for format in Format::ALL {
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("rdf"), Some(Format::Turtle));
        assert_eq!(Format::from_name("svg"), None);
    }

    #[test]
    fn event_formats_refuse_other_views_and_others_render_every_view() {
        for view in View::ALL {
            let out = exported(&Selection::default(), view);
            for format in Format::ALL {
                let result = render(format, &out, Options::default());
                assert_eq!(result.is_err(), format.events_only() && view != View::Events);
            }
        }
    }

    #[test]
    fn neo4j_writes_three_files_into_a_directory() {
        let out = exported(&Selection::default(), View::Events);
        let output = render(Format::Neo4j, &out, Options::default()).expect("renders");
        let dir = tempfile::tempdir().expect("tempdir");
        write_output(&output, &dir.path().join("neo")).expect("writes");
        let mut names: Vec<String> = std::fs::read_dir(dir.path().join("neo"))
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["load.cypher", "nodes.csv", "relationships.csv"]);
    }
}
