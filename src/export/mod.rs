//! Writing the graph and the events out, in the formats of the tools people already use:
//! Graphviz DOT, node-link JSON (networkx, D3), Cytoscape.js, GraphML, GEXF, Neo4j import CSV,
//! RDF (Turtle, N-Triples), an event-data TSV, a self-contained HTML view, and `events.jsonl`. [`view`] chooses what is
//! shown; [`mod@format`] names the formats and dispatches to one module per format. Files are
//! written atomically (a temporary file in the same directory, then a rename), so a failed run
//! never leaves a broken file behind.

pub mod cytoscape;
pub mod dot;
pub mod format;
pub mod gexf;
pub mod graphml;
pub mod handjson;
pub mod html;
pub mod json;
pub mod neo4j;
pub mod rdf;
pub mod tsv;
pub mod view;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::model::Event;

/// A problem writing output.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// Writing a file failed.
    #[error("{path}: cannot write: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Serialising failed.
    #[error("cannot serialise {what}: {source}")]
    Serialise {
        /// What was being serialised.
        what: &'static str,
        /// The underlying error.
        source: serde_json::Error,
    },
    /// Writing XML failed (only an I/O error of the in-memory buffer could cause it).
    #[error("cannot write XML: {0}")]
    Xml(String),
    /// Writing CSV failed.
    #[error("cannot write CSV: {0}")]
    Csv(#[from] csv::Error),
    /// A filter could not be resolved against the graph (a name, a country, a date).
    #[error(transparent)]
    Query(#[from] crate::query::QueryError),
    /// A `--cameo` value that is not a CAMEO code or root.
    #[error(
        "'{0}' is not a CAMEO code or root: give two to four digits whose root is 01-20 (04, 042)"
    )]
    BadCameo(String),
    /// A format that lists events cannot draw another view.
    #[error("--format {format} lists events; it has no {view} view (use --view events, or a graph format such as graphml)")]
    ViewNotSupported {
        /// The format's name.
        format: &'static str,
        /// The view's name.
        view: &'static str,
    },
    /// A format that writes several files needs a directory.
    #[error("--format {0} writes several files: give a directory with -o DIR")]
    NeedsDirectory(&'static str),
    /// Graphviz is not installed.
    #[error("Graphviz's `dot` was not found; install it (Debian/Ubuntu: `sudo apt-get install graphviz`, macOS: `brew install graphviz`)")]
    GraphvizMissing,
    /// Graphviz failed.
    #[error("Graphviz failed: {0}")]
    Graphviz(String),
}

/// Writes `contents` to `path` atomically: a temporary file beside it, then a rename.
pub fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), ExportError> {
    let error = |source| ExportError::Write { path: path.to_path_buf(), source };
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(error)?;
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(error)?;
    file.write_all(contents).map_err(error)?;
    // Temporary files are private (0600); the output is an ordinary readable file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        file.as_file().set_permissions(std::fs::Permissions::from_mode(mode)).map_err(error)?;
    }
    file.as_file().sync_all().map_err(error)?;
    file.persist(path).map_err(|e| error(e.error))?;
    Ok(())
}

/// Events as JSON Lines, one record per line, in the given order.
pub fn events_jsonl(events: &[Event]) -> Result<String, ExportError> {
    let mut out = String::new();
    for event in events {
        let line = serde_json::to_string(event)
            .map_err(|source| ExportError::Serialise { what: "event", source })?;
        out.push_str(&line);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_replaces_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("out").join("graph.json");
        write_atomic(&path, b"one").expect("first write");
        write_atomic(&path, b"two").expect("second write");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "two");
        let entries = std::fs::read_dir(path.parent().expect("parent")).expect("list").count();
        assert_eq!(entries, 1);
    }

    #[test]
    fn atomic_write_to_an_impossible_place_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "x").expect("write");
        let err = write_atomic(&blocker.join("graph.json"), b"x").expect_err("must fail");
        assert!(err.to_string().contains("graph.json"));
    }
}

/// XML read back, for the tests of the XML writers.
#[cfg(test)]
pub(crate) mod xml_tags {
    use quick_xml::events::Event;
    use quick_xml::Reader;

    /// An element's name and attributes.
    pub type Tag = (String, Vec<(String, String)>);

    /// Every start or empty tag of a document, in order.
    pub fn tags(text: &str) -> Vec<Tag> {
        let mut reader = Reader::from_str(text);
        let mut tags = Vec::new();
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) | Event::Empty(e) => {
                    let attributes = e
                        .attributes()
                        .map(|a| {
                            let a = a.expect("attribute");
                            let version = quick_xml::XmlVersion::Explicit1_0;
                            let value = a.normalized_value(version).expect("value").into_owned();
                            (String::from_utf8_lossy(a.key.as_ref()).into_owned(), value)
                        })
                        .collect();
                    let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                    tags.push((name, attributes));
                }
                Event::Eof => break,
                _ => {}
            }
        }
        tags
    }

    /// The value of a tag's attribute.
    pub fn attribute<'a>(tag: &'a Tag, name: &str) -> Option<&'a str> {
        tag.1.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}
