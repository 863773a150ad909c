//! The selected events as RDF, in Turtle or N-Triples. An event has several participants, a
//! topic, a date range and many reports, which a single triple cannot hold, so each event is a
//! node of its own (`dip:Event`) with `dip:actor`, `dip:topic`, `dip:participant`, the action
//! (`dip:verb`, `dip:cameo`, …), its dates, and one `dip:Report` node per source sentence.
//!
//! The vocabulary is `https://dipgraph.example/ns#` (prefix `dip:`). Entities are
//! `https://dipgraph.example/entity/<id>` and events `https://dipgraph.example/event/<hash>`,
//! where the hash (64-bit FNV-1a, hex) is of the event's identity (actor, action, topic,
//! participants), so an event keeps its IRI from one build to the next. Article URLs are kept
//! as `xsd:anyURI` literals, since an article's URL is not always a valid IRI.

use std::fmt::Write as _;

use chrono::NaiveDate;

use crate::graph::{EventEdge, KnowledgeGraph};

/// The vocabulary namespace.
pub const NS: &str = "https://dipgraph.example/ns#";
/// Where entity IRIs live.
pub const ENTITY_BASE: &str = "https://dipgraph.example/entity/";
/// Where event IRIs live.
pub const EVENT_BASE: &str = "https://dipgraph.example/event/";

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const RDFS_LABEL: &str = "http://www.w3.org/2000/01/rdf-schema#label";
const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// Which RDF syntax to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    /// Turtle, grouped by subject, with prefixes.
    Turtle,
    /// N-Triples: one triple per line, full IRIs.
    NTriples,
}

/// A string as the body of an RDF string literal (without the quotes), escaped as Turtle's and
/// N-Triples' `STRING_LITERAL_QUOTE` allow: `"`, `\`, line feed and carriage return must be
/// escaped; tab, backspace and form feed are escaped too, and other control characters as `\u`.
pub fn escape_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// Text made safe inside an IRI path: unreserved characters and `:` stay, every other byte of
/// its UTF-8 form is percent-encoded, so no character IRIs forbid (space, `<>"{}|^\``) remains.
pub fn encode_iri_part(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// 64-bit FNV-1a: small, stable across platforms and versions, enough to name events.
fn fnv1a(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The IRI of an event.
pub fn event_iri(edge: &EventEdge) -> String {
    let key = &edge.key;
    let participants: Vec<&str> = key.participants.iter().map(|p| p.as_str()).collect();
    let identity = format!(
        "{}\u{1f}{}\u{1f}{}\u{1f}{}\u{1f}{}",
        key.actor,
        key.action.verb,
        key.action.cameo,
        key.topic.as_ref().map_or("", |t| t.as_str()),
        participants.join("\u{1e}")
    );
    format!("{EVENT_BASE}{:016x}", fnv1a(&identity))
}

/// The IRI of an entity.
pub fn entity_iri(id: &str) -> String {
    format!("{ENTITY_BASE}{}", encode_iri_part(id))
}

enum Object {
    Iri(String),
    Text(String),
    Typed(String, &'static str),
}

struct Triples {
    /// (subject, [(predicate, object)]) in writing order.
    subjects: Vec<(String, Vec<(String, Object)>)>,
}

impl Triples {
    fn subject(&mut self, iri: String) -> &mut Vec<(String, Object)> {
        self.subjects.push((iri, Vec::new()));
        let last = self.subjects.len() - 1;
        &mut self.subjects[last].1
    }
}

fn dip(name: &str) -> String {
    format!("{NS}{name}")
}

fn date(value: NaiveDate) -> Object {
    Object::Typed(value.to_string(), "date")
}

fn build(graph: &KnowledgeGraph) -> Triples {
    let mut triples = Triples { subjects: Vec::new() };
    for entity in graph.entities() {
        let body = triples.subject(entity_iri(entity.id.as_str()));
        body.push((RDF_TYPE.into(), Object::Iri(dip("Entity"))));
        body.push((RDFS_LABEL.into(), Object::Text(entity.name.clone())));
        body.push((dip("id"), Object::Text(entity.id.to_string())));
        body.push((dip("kind"), Object::Text(entity.kind.as_str().into())));
        if let Some(country) = &entity.country {
            body.push((dip("country"), Object::Text(country.clone())));
        }
    }
    for edge in graph.edges() {
        let iri = event_iri(edge);
        let cameo = &edge.key.action.cameo;
        let body = triples.subject(iri.clone());
        body.push((RDF_TYPE.into(), Object::Iri(dip("Event"))));
        body.push((dip("actor"), Object::Iri(entity_iri(edge.key.actor.as_str()))));
        body.push((dip("verb"), Object::Text(edge.key.action.verb.to_string())));
        body.push((dip("cameo"), Object::Text(cameo.code().into())));
        body.push((dip("cameoRoot"), Object::Text(cameo.root().into())));
        body.push((dip("quadClass"), Object::Text(cameo.quad_class().as_str().into())));
        body.push((dip("goldstein"), Object::Typed(format!("{:?}", cameo.goldstein()), "double")));
        if let Some(topic) = &edge.key.topic {
            body.push((dip("topic"), Object::Iri(entity_iri(topic.as_str()))));
        }
        for participant in &edge.key.participants {
            body.push((dip("participant"), Object::Iri(entity_iri(participant.as_str()))));
        }
        body.push((dip("symmetric"), Object::Typed(edge.symmetric.to_string(), "boolean")));
        body.push((dip("count"), Object::Typed(edge.count().to_string(), "integer")));
        if let Some(first) = edge.first_date() {
            body.push((dip("firstDate"), date(first)));
        }
        if let Some(last) = edge.last_date() {
            body.push((dip("lastDate"), date(last)));
        }
        let reports: Vec<String> =
            (0..edge.sources.len()).map(|i| format!("{iri}/report/{i}")).collect();
        for report in &reports {
            body.push((dip("report"), Object::Iri(report.clone())));
        }
        for (report, source) in reports.into_iter().zip(&edge.sources) {
            let body = triples.subject(report);
            body.push((RDF_TYPE.into(), Object::Iri(dip("Report"))));
            body.push((dip("article"), Object::Text(source.article.clone())));
            if let Some(url) = &source.url {
                body.push((dip("url"), Object::Typed(url.clone(), "anyURI")));
            }
            let index = source.sentence_index.to_string();
            body.push((dip("sentenceIndex"), Object::Typed(index, "integer")));
            body.push((dip("sentence"), Object::Text(source.sentence.clone())));
            if let Some(day) = source.date {
                body.push((dip("date"), date(day)));
            }
        }
    }
    triples
}

/// The selected events as RDF text.
pub fn to_rdf(graph: &KnowledgeGraph, syntax: Syntax) -> String {
    let triples = build(graph);
    match syntax {
        Syntax::NTriples => {
            let mut out = String::new();
            for (subject, body) in &triples.subjects {
                for (predicate, object) in body {
                    let object = match object {
                        Object::Iri(iri) => format!("<{iri}>"),
                        Object::Text(text) => format!("\"{}\"", escape_literal(text)),
                        Object::Typed(text, datatype) => {
                            format!("\"{}\"^^<{XSD}{datatype}>", escape_literal(text))
                        }
                    };
                    let _ = writeln!(out, "<{subject}> <{predicate}> {object} .");
                }
            }
            out
        }
        Syntax::Turtle => {
            let mut out = format!(
                "@prefix dip: <{NS}> .\n@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .\n\
                 @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n@prefix xsd: <{XSD}> .\n"
            );
            for (subject, body) in &triples.subjects {
                let _ = write!(out, "\n<{subject}>");
                for (i, (predicate, object)) in body.iter().enumerate() {
                    let predicate = if predicate == RDF_TYPE {
                        "a".to_string()
                    } else if predicate == RDFS_LABEL {
                        "rdfs:label".to_string()
                    } else {
                        // Vocabulary names are ASCII letters only, so a prefixed name is valid.
                        predicate
                            .strip_prefix(NS)
                            .map_or(format!("<{predicate}>"), |n| format!("dip:{n}"))
                    };
                    let object = match object {
                        Object::Iri(iri) => match iri.strip_prefix(NS) {
                            Some(name) => format!("dip:{name}"),
                            None => format!("<{iri}>"),
                        },
                        Object::Text(text) => format!("\"{}\"", escape_literal(text)),
                        Object::Typed(text, datatype) => {
                            format!("\"{}\"^^xsd:{datatype}", escape_literal(text))
                        }
                    };
                    let separator = if i == 0 { " " } else { " ;\n    " };
                    let _ = write!(out, "{separator}{predicate} {object}");
                }
                out.push_str(" .\n");
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::view::tests::sample;
    use proptest::prelude::*;

    /// Reads an escaped literal body back, as a Turtle parser would (ECHAR and UCHAR).
    fn unescape(text: &str) -> Option<String> {
        let mut out = String::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c == '"' || c == '\n' || c == '\r' {
                return None; // not allowed unescaped inside "…"
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next()? {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                '\'' => out.push('\''),
                'n' => out.push('\n'),
                'r' => out.push('\r'),
                't' => out.push('\t'),
                'b' => out.push('\u{8}'),
                'f' => out.push('\u{c}'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                _ => return None,
            }
        }
        Some(out)
    }

    proptest! {
        #[test]
        fn any_string_survives_escaping(text in "\\PC*|[\"\\\\\n\r\t\u{0}-\u{1f}a-z]{0,30}") {
            prop_assert_eq!(unescape(&escape_literal(&text)), Some(text));
        }

        #[test]
        fn encoded_iri_parts_hold_only_safe_characters(text in "\\PC{0,30}") {
            let encoded = encode_iri_part(&text);
            prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~:%".contains(&b)));
        }
    }

    #[test]
    fn literal_escaping_handles_the_specials() {
        assert_eq!(
            escape_literal("a \"b\" \\ c\nd\re\tf\u{1}"),
            "a \\\"b\\\" \\\\ c\\nd\\re\\tf\\u0001"
        );
        assert_eq!(encode_iri_part("person:jane doe<x>"), "person:jane%20doe%3Cx%3E");
    }

    #[test]
    fn every_event_and_sentence_is_written() {
        let graph = sample();
        let nt = to_rdf(&graph, Syntax::NTriples);
        let events =
            nt.lines().filter(|l| l.ends_with(&format!("<{RDF_TYPE}> <{NS}Event> ."))).count();
        assert_eq!(events, graph.edge_count());
        let reports = nt.lines().filter(|l| l.contains(&format!("<{NS}sentence>"))).count();
        assert_eq!(reports, graph.edges().map(|e| e.count()).sum::<usize>());
        for line in nt.lines() {
            assert!(line.starts_with('<') && line.ends_with(" ."), "{line}");
        }
        let ttl = to_rdf(&graph, Syntax::Turtle);
        assert_eq!(ttl.matches(" a dip:Event").count(), graph.edge_count());
        assert!(ttl.contains("\"Sentence 1\\twith \\\"quotes\\\", a \\\\ and\\na line break.\""));
    }
}
