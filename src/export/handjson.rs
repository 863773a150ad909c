//! The JSON `build` writes most of, written by hand: `events.jsonl` lines, the same bytes as
//! `serde_json::to_writer` of each [`Event`] (tests hold them equal), and the graph file
//! (the only writer of it: [`super::json::to_json`] calls it). An article's events share its
//! header and often a sentence, so those are escaped once and copied for each event; serde's
//! field-by-field machinery was a good part of a build's serialising time.

use std::io::{self, Write};

use chrono::{Datelike, NaiveDate};

use crate::graph::{EdgeRef, GraphSource};
use crate::model::{Entity, Event};

/// Appends one line per event (each ended by `\n`) to `out`, in order.
pub fn write_event_lines(events: &[Event], out: &mut Vec<u8>) {
    // The JSON of the last article header and sentence, reused while the next event has the
    // same one: events come grouped by article, and often several to a sentence.
    let mut article_json: Vec<u8> = Vec::new();
    let mut sentence_json: Vec<u8> = Vec::new();
    let mut previous: Option<&Event> = None;
    for event in events {
        if previous.is_none_or(|p| p.article != event.article) {
            article_json.clear();
            write_article(event, &mut article_json);
        }
        if previous.is_none_or(|p| p.sentence != event.sentence) {
            sentence_json.clear();
            write_sentence(event, &mut sentence_json);
        }
        previous = Some(event);
        out.extend_from_slice(b"{\"article\":");
        out.extend_from_slice(&article_json);
        out.extend_from_slice(b",\"sentence\":");
        out.extend_from_slice(&sentence_json);
        out.extend_from_slice(b",\"actor\":");
        write_entity(&event.actor, out);
        out.extend_from_slice(b",\"action\":{\"verb\":");
        string(&event.action.verb, out);
        out.extend_from_slice(b",\"cameo\":");
        string(event.action.cameo.code(), out);
        out.extend_from_slice(b",\"root\":");
        string(event.action.cameo.root(), out);
        out.extend_from_slice(b"},\"topic\":");
        match &event.topic {
            Some(topic) => write_entity(topic, out),
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"participants\":[");
        for (n, participant) in event.participants.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            write_entity(participant, out);
        }
        out.extend_from_slice(b"],\"date\":");
        optional_date(event.date, out);
        out.extend_from_slice(if event.symmetric {
            b",\"symmetric\":true}\n"
        } else {
            b",\"symmetric\":false}\n"
        });
    }
}

fn write_article(event: &Event, out: &mut Vec<u8>) {
    let article = &event.article;
    out.extend_from_slice(b"{\"id\":");
    string(&article.id, out);
    out.extend_from_slice(b",\"url\":");
    optional_string(article.url.as_deref(), out);
    out.extend_from_slice(b",\"title\":");
    optional_string(article.title.as_deref(), out);
    out.extend_from_slice(b",\"published\":");
    optional_date(article.published, out);
    out.push(b'}');
}

fn write_sentence(event: &Event, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"index\":");
    out.extend_from_slice(itoa::Buffer::new().format(event.sentence.index).as_bytes());
    out.extend_from_slice(b",\"text\":");
    string(&event.sentence.text, out);
    out.push(b'}');
}

/// Writes the graph file (without its final newline): top-level fields one to a line, then
/// one line per node, per link's fields and per source, each line compact JSON. A graph of a
/// year of news is too large to read whole, but its lines can be grepped, diffed and read;
/// serde's pretty-printing spent a fifth of the file on indentation. Each link is put
/// together in a buffer and written whole, its edge read just before.
pub fn write_graph_file(graph: &dyn GraphSource, out: &mut dyn Write) -> io::Result<()> {
    write_graph_head(graph, out)?;
    let mut buf = Vec::with_capacity(1 << 16);
    let mut links = 0;
    for edge in graph.whole_edges() {
        let edge = edge?;
        write_link(links, &EdgeRef::from(edge.as_ref()), &mut buf);
        links += 1;
        out.write_all(&buf)?;
        buf.clear();
    }
    write_graph_tail(graph, links, out)
}

/// The graph file up to the opening of its links list: what goes before
/// [`write_link`]'s links.
pub fn write_graph_head(graph: &dyn GraphSource, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = Vec::with_capacity(1 << 16);
    buf.extend_from_slice(b"{\n  \"format\":\"dipgraph\",\n  \"version\":");
    buf.extend_from_slice(itoa::Buffer::new().format(super::json::GRAPH_FORMAT_VERSION).as_bytes());
    buf.extend_from_slice(
        b",\n  \"directed\":true,\n  \"multigraph\":true,\n  \"graph\":{\"name\":\"dipgraph\",\"articles\":",
    );
    buf.extend_from_slice(itoa::Buffer::new().format(graph.article_count()).as_bytes());
    buf.extend_from_slice(b"},\n  \"nodes\":[");
    let mut any = false;
    for entity in graph.nodes() {
        buf.extend_from_slice(if any { b",\n    " } else { b"\n    " });
        any = true;
        write_entity(entity, &mut buf);
        if buf.len() >= 1 << 15 {
            out.write_all(&buf)?;
            buf.clear();
        }
    }
    buf.extend_from_slice(if any { b"\n  ],\n  \"links\":[" } else { b"],\n  \"links\":[" });
    out.write_all(&buf)
}

/// The graph file after its `links` links: the end of the list, the hashes, the closing brace
/// (no final newline).
pub fn write_graph_tail(
    graph: &dyn GraphSource,
    links: usize,
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut buf = Vec::with_capacity(1 << 12);
    buf.extend_from_slice(if links > 0 { b"\n  ]" } else { b"]" });
    let hashes = graph.hashes();
    if !hashes.is_empty() {
        buf.extend_from_slice(b",\n  \"article_hashes\":{");
        for (n, (hash, id)) in hashes.iter().enumerate() {
            buf.extend_from_slice(if n > 0 { b",\n    " } else { b"\n    " });
            string(hash, &mut buf);
            buf.push(b':');
            string(id, &mut buf);
        }
        buf.extend_from_slice(b"\n  }");
    }
    buf.extend_from_slice(b"\n}");
    out.write_all(&buf)
}

/// The `index`th link (from 0) with the separator that goes before it: its fields on one
/// line ending in the opening of its sources, then one line per source.
pub fn write_link(index: usize, edge: &EdgeRef<'_>, out: &mut Vec<u8>) {
    let cameo = &edge.action.cameo;
    out.extend_from_slice(if index > 0 { b",\n    {\"source\":" } else { b"\n    {\"source\":" });
    string(edge.actor.as_str(), out);
    out.extend_from_slice(b",\"target\":");
    string(edge.target().as_str(), out);
    out.extend_from_slice(b",\"key\":\"e");
    out.extend_from_slice(itoa::Buffer::new().format(index).as_bytes());
    out.extend_from_slice(b"\",\"verb\":");
    string(&edge.action.verb, out);
    out.extend_from_slice(b",\"cameo\":");
    string(cameo.code(), out);
    out.extend_from_slice(b",\"root\":");
    string(cameo.root(), out);
    out.extend_from_slice(b",\"quad_class\":\"");
    out.extend_from_slice(cameo.quad_class().as_str().as_bytes());
    out.extend_from_slice(b"\",\"goldstein\":");
    let goldstein = cameo.goldstein();
    if goldstein.is_finite() {
        out.extend_from_slice(ryu::Buffer::new().format_finite(goldstein).as_bytes());
    } else {
        out.extend_from_slice(b"null");
    }
    out.extend_from_slice(b",\"topic\":");
    optional_string(edge.topic.map(|t| t.as_str()), out);
    out.extend_from_slice(b",\"participants\":[");
    for (n, participant) in edge.participants.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        string(participant.as_str(), out);
    }
    out.extend_from_slice(if edge.symmetric {
        b"],\"symmetric\":true,\"count\":"
    } else {
        b"],\"symmetric\":false,\"count\":"
    });
    out.extend_from_slice(itoa::Buffer::new().format(edge.count()).as_bytes());
    out.extend_from_slice(b",\"first_date\":");
    optional_date(edge.first_date(), out);
    out.extend_from_slice(b",\"last_date\":");
    optional_date(edge.last_date(), out);
    out.extend_from_slice(b",\"sources\":[");
    for (n, source) in edge.sources.iter().enumerate() {
        out.extend_from_slice(if n > 0 {
            b",\n      {\"article\":"
        } else {
            b"\n      {\"article\":"
        });
        string(source.article, out);
        out.extend_from_slice(b",\"url\":");
        optional_string(source.url, out);
        out.extend_from_slice(b",\"sentence_index\":");
        out.extend_from_slice(itoa::Buffer::new().format(source.sentence_index).as_bytes());
        out.extend_from_slice(b",\"sentence\":");
        string(source.sentence, out);
        out.extend_from_slice(b",\"date\":");
        optional_date(source.date, out);
        out.push(b'}');
    }
    out.extend_from_slice(if edge.sources.is_empty() { b"]}" } else { b"\n    ]}" });
}

fn write_entity(entity: &Entity, out: &mut Vec<u8>) {
    out.extend_from_slice(b"{\"id\":");
    string(entity.id.as_str(), out);
    out.extend_from_slice(b",\"name\":");
    string(&entity.name, out);
    out.extend_from_slice(b",\"kind\":\"");
    out.extend_from_slice(entity.kind.as_str().as_bytes());
    out.extend_from_slice(b"\",\"country\":");
    optional_string(entity.country.as_deref(), out);
    out.push(b'}');
}

/// A JSON string escaped as serde_json escapes it: `"` and `\` with a backslash, the
/// control characters below U+0020 as `\b \t \n \f \r` or `\u00xx`, nothing else.
pub fn string(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(text.len() + 2);
    out.push(b'"');
    let mut rest = text.as_bytes();
    loop {
        let run = plain_run(rest);
        out.extend_from_slice(&rest[..run]);
        let Some(&byte) = rest.get(run) else { break };
        match byte {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            0x0c => out.extend_from_slice(b"\\f"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[usize::from(byte >> 4)],
                HEX[usize::from(byte & 0xf)],
            ]),
        }
        rest = &rest[run + 1..];
    }
    out.push(b'"');
}

/// The length of the run of bytes at the start of `bytes` that JSON writes as they are.
/// Eight bytes are tested at a time: sentences are long and rarely hold anything to escape.
fn plain_run(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // Nonzero exactly when some byte of `word` is zero (the classic bit trick; exact as a
    // yes or no, which is all that is asked of it).
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGH;
    let mut at = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut eight = [0; 8];
        eight.copy_from_slice(chunk);
        let word = u64::from_le_bytes(eight);
        // A byte below 0x20, likewise exact as a yes or no.
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
        let quote = has_zero(word ^ (ONES * u64::from(b'"')));
        let backslash = has_zero(word ^ (ONES * u64::from(b'\\')));
        if control | quote | backslash != 0 {
            break;
        }
        at += 8;
    }
    at + bytes[at..].iter().take_while(|&&b| b >= 0x20 && b != b'"' && b != b'\\').count()
}

fn optional_string(text: Option<&str>, out: &mut Vec<u8>) {
    match text {
        Some(text) => string(text, out),
        None => out.extend_from_slice(b"null"),
    }
}

/// A date as chrono serialises it (its `Display`), the common four-digit years without the
/// formatting machinery.
fn optional_date(date: Option<NaiveDate>, out: &mut Vec<u8>) {
    let Some(date) = date else {
        out.extend_from_slice(b"null");
        return;
    };
    let year = date.year();
    if (0..=9999).contains(&year) {
        let digits = |n: u32, width: usize, out: &mut Vec<u8>| {
            let mut buf = [b'0'; 4];
            let mut n = n;
            for slot in buf[..width].iter_mut().rev() {
                *slot = b'0' + (n % 10) as u8;
                n /= 10;
            }
            out.extend_from_slice(&buf[..width]);
        };
        out.push(b'"');
        digits(year.unsigned_abs(), 4, out);
        out.push(b'-');
        digits(date.month(), 2, out);
        out.push(b'-');
        digits(date.day(), 2, out);
        out.push(b'"');
    } else {
        use std::io::Write;
        let _ = write!(out, "\"{date}\"");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    use crate::model::{Action, ArticleRef, Cameo, EntityId, EntityKind, SentenceRef};
    use proptest::prelude::*;

    fn serde_lines(events: &[Event]) -> Vec<u8> {
        let mut out = Vec::new();
        for event in events {
            serde_json::to_writer(&mut out, event).expect("serialises");
            out.push(b'\n');
        }
        out
    }

    fn entity(kind: usize, name: String, country: Option<String>) -> Entity {
        let kinds = [EntityKind::Person, EntityKind::State, EntityKind::Issue, EntityKind::Unknown];
        Entity::from(crate::model::EntityFields {
            id: EntityId(format!("x:{name}")),
            name,
            kind: kinds[kind % 4],
            country,
        })
    }

    /// Strings with what JSON escapes: quotes, backslashes, control characters, non-ASCII.
    fn text() -> impl Strategy<Value = String> {
        prop_oneof![
            "[a-z \"\\\\\u{0}-\u{1f}\u{7f}é€😀]{0,12}",
            // Long runs with a rare character to escape, at any place in a word of eight.
            "[a-zA-Z .,é]{0,40}[\"\\\\\u{0}-\u{1f}]?[a-z ]{0,20}",
            any::<String>(),
            Just(String::new()),
        ]
    }

    fn date() -> impl Strategy<Value = Option<NaiveDate>> {
        prop_oneof![
            Just(None),
            (-300_000i32..300_000, 1u32..=366).prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d)),
            (0i32..10_000, 1u32..=365).prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d)),
        ]
    }

    fn event() -> impl Strategy<Value = Event> {
        let ent = || (0..4usize, text(), prop::option::of(text()));
        (
            (text(), prop::option::of(text()), prop::option::of(text()), date()),
            (0..5usize, text()),
            ent(),
            (text(), 0..3usize),
            prop::option::of(ent()),
            prop::collection::vec(ent(), 0..3),
            date(),
            any::<bool>(),
        )
            .prop_map(|(a, s, actor, act, topic, parts, date, symmetric)| {
                let codes = ["01", "042", "1711", "20"];
                let make = |(k, n, c)| entity(k, n, c);
                Event {
                    article: Arc::new(ArticleRef { id: a.0, url: a.1, title: a.2, published: a.3 }),
                    sentence: SentenceRef { index: s.0, text: s.1.into() },
                    actor: make(actor),
                    action: Action {
                        verb: act.0.into(),
                        cameo: Cameo::parse(codes[act.1]).expect("code"),
                    },
                    topic: topic.map(make),
                    participants: parts.into_iter().map(make).collect(),
                    date,
                    symmetric,
                }
            })
    }

    #[test]
    fn shared_headers_and_sentences_are_written_for_each_event() {
        let base = Event {
            article: Arc::new(ArticleRef {
                id: "a\"1".into(),
                url: Some("https://x.example/\\a".into()),
                title: None,
                published: NaiveDate::from_ymd_opt(2023, 3, 14),
            }),
            sentence: SentenceRef { index: 3, text: "Talks\n\"on\" trade\u{1}.".into() },
            actor: entity(0, "Anne".into(), Some("TUR".into())),
            action: Action { verb: "discuss".into(), cameo: Cameo::parse("040").expect("code") },
            topic: None,
            participants: vec![],
            date: None,
            symmetric: true,
        };
        let mut other_sentence = base.clone();
        other_sentence.sentence.index = 4;
        let mut other_article = other_sentence.clone();
        Arc::make_mut(&mut other_article.article).id = "b".into();
        let events = [base.clone(), base, other_sentence, other_article];
        let mut out = Vec::new();
        write_event_lines(&events, &mut out);
        assert_eq!(
            String::from_utf8(out).expect("utf8"),
            String::from_utf8(serde_lines(&events)).expect("utf8")
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Any string is escaped as serde_json escapes it.
        #[test]
        fn strings_are_escaped_as_serde_json_does(text in text()) {
            let mut out = Vec::new();
            string(&text, &mut out);
            prop_assert_eq!(out, serde_json::to_vec(&text).expect("serialises"));
        }

        /// Any events, including runs that share an article or a sentence: serde_json's bytes.
        #[test]
        fn lines_are_serde_jsons(
            events in prop::collection::vec(event(), 0..6),
            repeats in prop::collection::vec((0..6usize, any::<bool>()), 0..4),
        ) {
            let mut events = events;
            // Copies of an event next to it, some with a changed sentence, like extraction makes.
            for (at, change) in repeats {
                if let Some(event) = events.get(at).cloned() {
                    let mut copy = event;
                    if change {
                        copy.sentence.index += 1;
                    }
                    events.insert(at, copy);
                }
            }
            let mut out = Vec::new();
            write_event_lines(&events, &mut out);
            prop_assert_eq!(out, serde_lines(&events));
        }
    }
}
