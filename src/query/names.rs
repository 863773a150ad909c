//! From a name a user types to graph nodes. Users write names as they come to mind
//! ("Erdoğan", "Tayyip Erdogan", "the Turkish President", "TUR"), so a name is matched folded
//! (no diacritics, any case, without a leading "the") against the graph's node names and ids,
//! then against the lexicon's aliases, seats of government and offices. An office resolves to
//! whoever held it on a reference date (see [`super::QueryGraph::reference_date`]). Only when
//! nothing matches whole does a name match the nodes whose names contain it as whole words
//! ("Roe" finds "Jane Roe", a person the lexicon does not know).

use chrono::NaiveDate;

use crate::lexicon::{AliasTarget, LexId, Lexicon};
use crate::model::EntityKind;
use crate::text::tokenize;

use super::QueryGraph;

/// Roles tried, in order, for "the X leader": the country's own leader role comes first.
const LEADER_ROLES: [&str; 4] = ["president", "prime minister", "chancellor", "king"];

/// The folded words of a name, without punctuation or a leading "the".
pub fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = tokenize(name)
        .into_iter()
        .filter(|t| t.is_word() || t.norm == "'s")
        .map(|t| t.norm.into_owned())
        .collect();
    if words.first().is_some_and(|w| w == "the") && words.len() > 1 {
        words.remove(0);
    }
    words
}

/// A name folded for lookup: its words joined by single spaces.
pub fn normalize(name: &str) -> String {
    words(name).join(" ")
}

/// The graph nodes a name stands for, sorted; empty when none.
pub fn resolve(graph: &QueryGraph, name: &str, date: NaiveDate) -> Vec<usize> {
    let mut found: Vec<usize> = Vec::new();
    let trimmed = name.trim();
    if let Some(node) = graph.node_by_id(trimmed) {
        found.push(node);
    }
    let key = normalize(trimmed);
    found.extend_from_slice(graph.nodes_named(&key));
    let lexicon = graph.lexicon();
    for lex in lexicon_entities(lexicon, &words(trimmed), date) {
        if let Some(node) = graph.node_by_id(lexicon.entity(lex).entity.id.as_str()) {
            found.push(node);
        }
    }
    if found.is_empty() && !key.is_empty() {
        let padded = format!(" {key} ");
        found.extend(
            graph
                .nodes()
                .iter()
                .enumerate()
                .filter(|(_, n)| format!(" {} ", normalize(&n.name)).contains(&padded))
                .map(|(i, _)| i),
        );
    }
    found.sort_unstable();
    found.dedup();
    found
}

/// The canonical names the lexicon gives a name, for messages ("Syria"), if it knows it.
pub fn lexicon_name(lexicon: &Lexicon, name: &str, date: NaiveDate) -> Option<String> {
    let names: Vec<String> = lexicon_entities(lexicon, &words(name), date)
        .into_iter()
        .map(|id| lexicon.entity(id).entity.name.clone())
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}

/// The lexicon entities a whole name refers to: an alias of an entity, a capital or seat (its
/// state), an adjective (its state), or a role phrase ("Turkish President", "Turkey's
/// foreign minister", "President of Turkey") resolved to the holder on `date`.
fn lexicon_entities(lexicon: &Lexicon, words: &[String], date: NaiveDate) -> Vec<LexId> {
    let mut found = Vec::new();
    for target in alias_targets(lexicon, words) {
        match target {
            AliasTarget::Entity(id) | AliasTarget::Seat(id) | AliasTarget::Adjective(id) => {
                found.push(id)
            }
            AliasTarget::Role(_) => {}
        }
    }
    for split in 1..words.len() {
        let (head, tail) = words.split_at(split);
        // "Turkish President", "Turkey's President"
        let country_words = head.strip_suffix(&["'s".to_string()]).unwrap_or(head);
        for country in countries(lexicon, country_words) {
            for role in roles(lexicon, tail) {
                found.extend(holder(lexicon, country, &role, date));
            }
        }
        // "President of Turkey"
        if let Some(("of", country_words)) = tail.split_first().map(|(w, r)| (w.as_str(), r)) {
            for country in countries(lexicon, country_words) {
                for role in roles(lexicon, head) {
                    found.extend(holder(lexicon, country, &role, date));
                }
            }
        }
    }
    found.sort_unstable();
    found.dedup();
    found
}

fn alias_targets(lexicon: &Lexicon, words: &[String]) -> Vec<AliasTarget> {
    let Some(first) = words.first() else { return Vec::new() };
    lexicon
        .aliases_starting_with(first)
        .iter()
        .filter(|alias| alias.words == words)
        .map(|alias| alias.target)
        .collect()
}

/// The states some words name: by name, adjective, demonym or capital.
fn countries(lexicon: &Lexicon, words: &[String]) -> Vec<LexId> {
    alias_targets(lexicon, words)
        .into_iter()
        .filter_map(|target| match target {
            AliasTarget::Entity(id) | AliasTarget::Seat(id) | AliasTarget::Adjective(id) => {
                Some(id)
            }
            AliasTarget::Role(_) => None,
        })
        .filter(|&id| lexicon.entity(id).entity.kind == EntityKind::State)
        .collect()
}

fn roles(lexicon: &Lexicon, words: &[String]) -> Vec<String> {
    alias_targets(lexicon, words)
        .into_iter()
        .filter_map(|target| match target {
            AliasTarget::Role(role) => Some(lexicon.role(role).to_string()),
            _ => None,
        })
        .collect()
}

fn holder(lexicon: &Lexicon, country: LexId, role: &str, date: NaiveDate) -> Option<LexId> {
    let iso = lexicon.entity(country).entity.country.clone()?;
    if role == "leader" {
        let own = lexicon.leader_role(&iso).map(String::from);
        return own
            .iter()
            .map(String::as_str)
            .chain(LEADER_ROLES)
            .find_map(|r| lexicon.office_holder(&iso, r, Some(date)));
    }
    lexicon.office_holder(&iso, role, Some(date))
}
