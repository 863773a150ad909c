//! Unit tests of loading, name resolution and filtering, on the hand-written fixture graph of
//! `tests/fixtures/query/graph.json`.

use std::path::Path;

use super::*;

fn graph() -> QueryGraph {
    let text = include_str!("../../tests/fixtures/query/graph.json");
    let path = Path::new("fixture.json");
    let file = crate::export::json::parse_graph_file(text.as_bytes(), path).expect("fixture reads");
    let lexicon = Lexicon::embedded().map_err(|e| format!("{e:?}")).expect("lexicon");
    QueryGraph::from_file(file, path, lexicon).expect("fixture indexes")
}

fn ids(graph: &QueryGraph, nodes: &[usize]) -> Vec<String> {
    nodes.iter().map(|&n| graph.node(n).id.to_string()).collect()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// (actor, verb, topic or -, count) of each answer, in order.
fn answers(graph: &QueryGraph, spec: FilterSpec) -> Vec<(String, String, String, usize)> {
    let (filter, _) = graph.resolve(&spec).map_err(|e| e.to_string()).expect("resolves");
    graph
        .query(&filter)
        .iter()
        .map(|a| {
            let e = &graph.edges()[a.edge];
            let topic = e.topic.map_or("-".to_string(), |t| graph.node(t).name.clone());
            (graph.node(e.actor).name.clone(), e.action.verb.to_string(), topic, a.count)
        })
        .collect()
}

fn row(actor: &str, verb: &str, topic: &str, count: usize) -> (String, String, String, usize) {
    (actor.to_string(), verb.to_string(), topic.to_string(), count)
}

#[test]
fn names_resolve_through_ids_names_aliases_and_offices() {
    let g = graph();
    let date = g.reference_date(None);
    assert_eq!(date, day(2021, 6, 10));
    let resolve = |name: &str| ids(&g, &names::resolve(&g, name, date));
    let erdogan = vec!["person:recep-tayyip-erdogan".to_string()];
    for name in [
        "Erdoğan",
        "erdogan",
        "Tayyip Erdogan",
        "Recep Tayyip Erdoğan",
        "the Turkish President",
        "Turkey's president",
        "President of Turkey",
        "person:recep-tayyip-erdogan",
    ] {
        assert_eq!(resolve(name), erdogan, "{name}");
    }
    assert_eq!(resolve("TUR"), vec!["state:TUR"]);
    assert_eq!(resolve("Ankara"), vec!["state:TUR"]);
    assert_eq!(resolve("the Kremlin"), vec!["state:RUS"]);
    assert_eq!(resolve("Roe"), vec!["person:jane-roe"]);
    assert!(resolve("Xyz").is_empty());
    // Offices resolve on the reference date: in 2010 Turkey's president was not Erdogan.
    assert!(ids(&g, &names::resolve(&g, "the Turkish President", day(2010, 1, 1))).is_empty());
}

#[test]
fn unknown_names_say_whether_the_lexicon_knows_them() {
    let g = graph();
    let spec = FilterSpec { actor: Some("Xyz".into()), ..FilterSpec::default() };
    let error = g.resolve(&spec).expect_err("unknown").to_string();
    assert_eq!(error, "no actor in the graph matches 'Xyz'");
    let spec = FilterSpec { topic: Some("Gaza".into()), ..FilterSpec::default() };
    let error = g.resolve(&spec).expect_err("not in graph").to_string();
    assert_eq!(
        error,
        "no topic in the graph matches 'Gaza' (the lexicon knows Gaza, but no event of the graph names it)"
    );
}

#[test]
fn actor_filter_includes_every_party_of_symmetric_events() {
    let g = graph();
    let spec = FilterSpec { actor: Some("Erdoğan".into()), ..FilterSpec::default() };
    assert_eq!(
        answers(&g, spec),
        vec![
            row("Vladimir Putin", "discuss", "Idlib", 2),
            row("Recep Tayyip Erdogan", "call", "-", 1),
            row("Recep Tayyip Erdogan", "discuss", "Syria", 1),
            row("Vladimir Putin", "discuss", "trade", 1),
        ]
    );
    // Israel is only the target of criticism, which is not symmetric: it acts in one event.
    let spec = FilterSpec { actor: Some("Israel".into()), ..FilterSpec::default() };
    assert_eq!(answers(&g, spec), vec![row("Israel", "attack", "-", 1)]);
}

#[test]
fn filters_combine() {
    let g = graph();
    let spec = FilterSpec {
        actor: Some("Putin".into()),
        with: Some("the Turkish President".into()),
        topic: Some("Idlib".into()),
        action: Some("discussed".into()),
        country: Some("TUR".into()),
        since: Some(day(2020, 3, 6)),
        until: Some(day(2020, 12, 31)),
        ..FilterSpec::default()
    };
    assert_eq!(answers(&g, spec), vec![row("Vladimir Putin", "discuss", "Idlib", 1)]);
}

#[test]
fn with_needs_a_party_other_than_the_actor() {
    let g = graph();
    let spec = FilterSpec {
        actor: Some("Putin".into()),
        with: Some("Putin".into()),
        ..FilterSpec::default()
    };
    assert!(answers(&g, spec).is_empty());
    let spec = FilterSpec { with: Some("Assad".into()), ..FilterSpec::default() };
    assert_eq!(answers(&g, spec), vec![row("Vladimir Putin", "meet", "-", 1)]);
}

#[test]
fn actions_match_by_verb_pattern_code_and_root() {
    let g = graph();
    let verbs = |spec: &str| match g.resolve_action(spec) {
        Ok(ActionMatch::Verbs(v)) => v.into_iter().collect::<Vec<_>>().join(","),
        Ok(ActionMatch::Code(c)) => format!("code {c}"),
        Err(e) => e.to_string(),
    };
    assert_eq!(verbs("condemn"), "criticize");
    assert_eq!(verbs("condemned"), "criticize");
    assert_eq!(verbs("discussed"), "discuss");
    assert_eq!(verbs("met"), "meet");
    assert_eq!(verbs("expressed concern"), "express concern");
    assert_eq!(verbs("04"), "code 04");
    assert_eq!(verbs("041"), "code 041");
    assert!(verbs("99").starts_with("no action matches '99'"));
    assert!(verbs("frobnicate").starts_with("no action matches 'frobnicate'"));
    let spec = FilterSpec { action: Some("04".into()), ..FilterSpec::default() };
    assert_eq!(answers(&g, spec).len(), 5);
    let spec = FilterSpec { action: Some("041".into()), ..FilterSpec::default() };
    assert_eq!(answers(&g, spec), vec![row("Recep Tayyip Erdogan", "call", "-", 1)]);
}

#[test]
fn date_filters_count_only_the_reports_in_range() {
    let g = graph();
    let spec = FilterSpec {
        action: Some("condemn".into()),
        since: Some(parse_since("2021-05").expect("date")),
        until: Some(parse_until("2021-05").expect("date")),
        ..FilterSpec::default()
    };
    let (filter, _) = g.resolve(&spec).expect("resolves");
    let found = g.query(&filter);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].count, 2);
    assert_eq!(
        (found[0].first_date, found[0].last_date),
        (Some(day(2021, 5, 12)), Some(day(2021, 5, 20)))
    );
    let spec = FilterSpec { until: Some(day(2019, 12, 31)), ..FilterSpec::default() };
    assert_eq!(
        answers(&g, spec),
        vec![
            row("Recep Tayyip Erdogan", "discuss", "Syria", 1),
            row("Russia", "sign", "gas pipeline", 1)
        ]
    );
}

#[test]
fn periods_parse_to_their_first_and_last_days() {
    assert_eq!(parse_period("2020").expect("year"), (day(2020, 1, 1), day(2020, 12, 31)));
    assert_eq!(parse_period("2020-02").expect("month"), (day(2020, 2, 1), day(2020, 2, 29)));
    assert_eq!(parse_period("2020-12").expect("month"), (day(2020, 12, 1), day(2020, 12, 31)));
    assert_eq!(parse_period("2020-02-03").expect("day"), (day(2020, 2, 3), day(2020, 2, 3)));
    for bad in ["20", "2020-13", "2020-02-30", "May", "2020-1-1x", ""] {
        assert!(parse_period(bad).is_err(), "{bad}");
    }
}

#[test]
fn countries_by_code_or_name() {
    let g = graph();
    assert_eq!(g.resolve_country("isr").expect("code"), "ISR");
    assert_eq!(g.resolve_country("Turkey").expect("name"), "TUR");
    assert!(g.resolve_country("Atlantis").is_err());
    let spec = FilterSpec { country: Some("SYR".into()), ..FilterSpec::default() };
    assert_eq!(
        answers(&g, spec),
        vec![row("Israel", "attack", "-", 1), row("Vladimir Putin", "meet", "-", 1)]
    );
}
