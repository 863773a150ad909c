//! Load and query times on a generated graph of a million reports (issue 4's targets: load
//! ≤ 3 s, any filter query ≤ 100 ms). Run in release mode with
//!
//! ```sh
//! cargo bench --bench query                      # 1,000,000 reports into target/bench-query/
//! cargo bench --bench query -- --events 200000 --dir /tmp/g
//! ```
//!
//! The graph is generated deterministically: the embedded lexicon's entities (states, leaders,
//! organisations, places, issues) plus invented people and groups, about 5,000 nodes; edges
//! pick actors, participants and topics with a skew so a few actors are very active, as in
//! news; each report has its own article, URL, date (2015–2024) and a sentence of news length.
//! A graph already generated with the same number of reports is reused.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::NaiveDate;

use dipgraph::export::json::{GraphFile, GraphMeta, Link, GRAPH_FORMAT_VERSION};
use dipgraph::lexicon::{inflect, LexId, Lexicon};
use dipgraph::model::{Cameo, Entity, EntityFields, EntityId, EntityKind, Provenance};
use dipgraph::query::format::{render, Format};
use dipgraph::query::{ask, report, Filter, FilterSpec, QueryGraph};

/// A small deterministic generator (splitmix64): the same graph on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// An index below `n`, small ones much more often (news is about a few actors).
    fn skewed(&mut self, n: usize) -> usize {
        ((self.unit().powi(3)) * n as f64) as usize % n.max(1)
    }
}

const FIRST: [&str; 16] = [
    "Anna", "Omar", "Li", "Maria", "Kwame", "Sofia", "Ivan", "Aisha", "Jonas", "Priya", "Mateo",
    "Leila", "Hiro", "Nadia", "Samuel", "Elif",
];
const LAST: [&str; 20] = [
    "Kovalenko",
    "Haddad",
    "Wei",
    "Santos",
    "Mensah",
    "Rossi",
    "Petrov",
    "Rahman",
    "Berg",
    "Sharma",
    "Alvarez",
    "Karimi",
    "Tanaka",
    "Novak",
    "Okafor",
    "Yilmaz",
    "Dubois",
    "Moreau",
    "Lindqvist",
    "Farouk",
];
const GROUPS: [&str; 6] = ["Council", "Front", "Movement", "Commission", "Alliance", "Forum"];
const CLAUSES: [&str; 8] = [
    "according to a statement released by the foreign ministry late on",
    "officials said after a meeting in the capital on",
    "the state news agency reported on",
    "in a phone call that lasted more than an hour on",
    "during a visit that both sides described as constructive on",
    "amid growing tension along the border, diplomats said on",
    "in remarks broadcast on national television on",
    "a spokesperson told reporters at a regular briefing on",
];

fn entities(lexicon: &Lexicon, rng: &mut Rng) -> (Vec<Entity>, Vec<usize>, Vec<usize>) {
    let mut nodes: Vec<Entity> =
        (0..lexicon.entity_count()).map(|i| lexicon.entity(LexId(i)).entity.clone()).collect();
    let states: Vec<String> = nodes.iter().filter_map(|n| n.country.clone()).collect();
    for i in 0..2_600 {
        let name = format!("{} {} {}", FIRST[i % 16], LAST[(i / 16) % 20], i / 320 + 1);
        let country = states.get(rng.below(states.len())).cloned();
        nodes.push(Entity::from(EntityFields {
            id: EntityId::new(EntityKind::Person, &name),
            name,
            kind: EntityKind::Person,
            country,
        }));
    }
    for i in 0..400 {
        let name = format!("{} {} {}", LAST[i % 20], GROUPS[i % 6], i);
        let kind = if i % 3 == 0 { EntityKind::Group } else { EntityKind::Organization };
        nodes.push(Entity::from(EntityFields {
            id: EntityId::new(kind, &name),
            name,
            kind,
            country: None,
        }));
    }
    nodes.sort_by(|a, b| a.id.cmp(&b.id));
    nodes.dedup_by(|a, b| a.id == b.id);
    // Actors first by a fixed shuffle, so the skew favours a mix of kinds.
    let mut actors: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].kind.can_act()).collect();
    let mut topics: Vec<usize> = (0..nodes.len())
        .filter(|&i| {
            matches!(nodes[i].kind, EntityKind::Place | EntityKind::Issue | EntityKind::State)
        })
        .collect();
    for list in [&mut actors, &mut topics] {
        for i in (1..list.len()).rev() {
            list.swap(i, rng.below(i + 1));
        }
    }
    // The people a user asks about are among the most active, as in real news.
    for id in ["person:recep-tayyip-erdogan", "person:vladimir-putin", "state:TUR"] {
        if let Some(pos) = actors.iter().position(|&i| nodes[i].id.as_str() == id) {
            let node = actors.remove(pos);
            actors.insert(0, node);
        }
    }
    if let Some(pos) = topics.iter().position(|&i| nodes[i].id.as_str() == "state:SYR") {
        let node = topics.remove(pos);
        topics.insert(0, node);
    }
    (nodes, actors, topics)
}

fn generate(events: usize) -> GraphFile {
    let lexicon = Lexicon::embedded().unwrap_or_default();
    let mut rng = Rng(2024);
    let (nodes, actors, topics) = entities(&lexicon, &mut rng);
    let actions: Vec<(String, Cameo, bool)> = (0..lexicon.action_count())
        .map(|i| lexicon.action(i))
        .map(|a| (a.lemma.to_string(), a.cameo.clone(), a.symmetric))
        .collect();
    let edge_count = events / 4;
    let mut counts = vec![1usize; edge_count];
    for _ in edge_count..events {
        counts[rng.skewed(edge_count)] += 1;
    }
    let start = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or(NaiveDate::MIN);
    let mut links = Vec::with_capacity(edge_count);
    for (index, &count) in counts.iter().enumerate() {
        let actor = actors[rng.skewed(actors.len())];
        // Consultations dominate diplomatic news.
        let (verb, cameo, symmetric) = if rng.below(3) == 0 {
            actions[rng.below(actions.len())].clone()
        } else {
            actions.iter().find(|a| a.0 == "discuss").cloned().unwrap_or_else(|| actions[0].clone())
        };
        let topic =
            (rng.below(10) < 7).then(|| topics[rng.skewed(topics.len())]).filter(|&t| t != actor);
        let mut participants: Vec<usize> = (0..rng.below(3))
            .map(|_| actors[rng.skewed(actors.len())])
            .filter(|&p| p != actor)
            .collect();
        participants.sort_by(|a, b| nodes[*a].id.cmp(&nodes[*b].id));
        participants.dedup();
        let head = verb.split_whitespace().next().unwrap_or("");
        let past = inflect(head).into_iter().next().unwrap_or_default();
        let rest = verb.split_whitespace().skip(1).collect::<Vec<_>>().join(" ");
        let mut sources: Vec<Provenance> = (0..count)
            .map(|_| {
                let date = start + chrono::Days::new(rng.below(3_650) as u64);
                let article = format!("wire-{:07}", rng.below(events / 3));
                let topic_text = topic.map_or(String::new(), |t| format!(" {}", nodes[t].name));
                let with = match participants.first() {
                    Some(&p) => format!(" with {}", nodes[p].name),
                    None => String::new(),
                };
                let verb_phrase =
                    if rest.is_empty() { past.clone() } else { format!("{past} {rest}") };
                let sentence = format!(
                    "{} {verb_phrase}{topic_text}{with}, {} {}.",
                    nodes[actor].name,
                    CLAUSES[rng.below(CLAUSES.len())],
                    date.format("%A, %B %-d"),
                );
                Provenance {
                    url: Some(format!("https://news.example/{}/{article}", date.format("%Y/%m"))),
                    article,
                    sentence_index: rng.below(40),
                    sentence,
                    date: Some(date),
                }
            })
            .collect();
        sources.sort();
        let dates = sources.iter().filter_map(|s| s.date);
        let first_date = dates.clone().min();
        let last_date = dates.max();
        let target = topic.or(participants.first().copied()).unwrap_or(actor);
        links.push(Link {
            source: nodes[actor].id.clone(),
            target: nodes[target].id.clone(),
            key: format!("e{index}"),
            verb,
            root: cameo.root().to_string(),
            quad_class: cameo.quad_class().as_str().to_string(),
            goldstein: cameo.goldstein(),
            cameo: cameo.code().to_string(),
            topic: topic.map(|t| nodes[t].id.clone()),
            participants: participants.iter().map(|&p| nodes[p].id.clone()).collect(),
            symmetric,
            count: sources.len(),
            first_date,
            last_date,
            sources,
        });
    }
    GraphFile {
        format: "dipgraph".into(),
        version: GRAPH_FORMAT_VERSION,
        directed: true,
        multigraph: true,
        graph: GraphMeta { name: "bench".into(), articles: events / 3 },
        nodes,
        links,
        article_hashes: Default::default(),
    }
}

fn ensure_graph(dir: &Path, events: usize) -> Result<PathBuf, Box<dyn std::error::Error>> {
    let path = dir.join("graph.json");
    let stamp = dir.join("events");
    if path.is_file()
        && std::fs::read_to_string(&stamp).ok().as_deref() == Some(&events.to_string())
    {
        eprintln!("reusing {}", path.display());
        return Ok(path);
    }
    std::fs::create_dir_all(dir)?;
    let started = Instant::now();
    let file = generate(events);
    let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
    serde_json::to_writer_pretty(&mut out, &file)?;
    out.write_all(b"\n")?;
    out.flush()?;
    std::fs::write(&stamp, events.to_string())?;
    eprintln!("generated {} in {:.1} s", path.display(), started.elapsed().as_secs_f64());
    Ok(path)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut events = 1_000_000;
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-query");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--events" => events = args.next().and_then(|n| n.parse().ok()).unwrap_or(events),
            "--dir" => dir = args.next().map(PathBuf::from).unwrap_or(dir),
            _ => {} // cargo bench passes --bench
        }
    }
    let path = ensure_graph(&dir, events)?;
    let size = std::fs::metadata(&path)?.len();
    println!("graph: {} ({:.0} MB)", path.display(), size as f64 / 1e6);

    let mut loads = Vec::new();
    let mut graph = None;
    for _ in 0..3 {
        drop(graph.take());
        let started = Instant::now();
        graph = Some(QueryGraph::load(&path)?);
        loads.push(started.elapsed());
    }
    let graph = graph.ok_or("no graph")?;
    let stats = report::stats(&graph);
    println!(
        "load: median {:.2} s of 3 (min {:.2} s); {} nodes, {} edges, {} reports",
        median(loads.clone()).as_secs_f64(),
        loads.iter().min().map_or(0.0, Duration::as_secs_f64),
        stats.nodes,
        stats.edges,
        stats.reports
    );

    let spec = |f: fn(&mut FilterSpec)| {
        let mut s = FilterSpec::default();
        f(&mut s);
        s
    };
    let queries: Vec<(&str, FilterSpec)> = vec![
        ("--actor Putin", spec(|s| s.actor = Some("Putin".into()))),
        (
            "--actor 'the Turkish President'",
            spec(|s| s.actor = Some("the Turkish President".into())),
        ),
        ("--with Erdoğan", spec(|s| s.with = Some("Erdoğan".into()))),
        ("--topic Syria", spec(|s| s.topic = Some("Syria".into()))),
        ("--action condemn", spec(|s| s.action = Some("condemn".into()))),
        ("--action 04 (70% of the edges)", spec(|s| s.action = Some("04".into()))),
        ("--country TUR", spec(|s| s.country = Some("TUR".into()))),
        (
            "--since 2020-01 --until 2020-03 (scans all)",
            spec(|s| {
                s.since = NaiveDate::from_ymd_opt(2020, 1, 1);
                s.until = NaiveDate::from_ymd_opt(2020, 3, 31);
            }),
        ),
        (
            "--actor Putin --action discuss --since 2019",
            spec(|s| {
                s.actor = Some("Putin".into());
                s.action = Some("discuss".into());
                s.since = NaiveDate::from_ymd_opt(2019, 1, 1);
            }),
        ),
    ];
    println!(
        "{:<48} {:>9} {:>9} {:>9}",
        "query (resolve + filter + sort + first 20 rows as table)",
        "median ms",
        "max ms",
        "answers"
    );
    for (label, spec) in &queries {
        let mut times = Vec::new();
        let mut found = 0;
        for _ in 0..7 {
            let started = Instant::now();
            let (filter, _) = graph.resolve(spec)?;
            let answers = graph.query(&filter);
            let text = render(&graph.rows(&answers, Some(20)), Format::Table)?;
            times.push(started.elapsed());
            found = answers.len();
            std::hint::black_box(text);
        }
        let max = times.iter().max().copied().unwrap_or_default();
        println!(
            "{label:<48} {:>9.1} {:>9.1} {found:>9}",
            median(times).as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }
    let latest = graph.reference_date(None);
    let timed = |label: &str, f: &mut dyn FnMut() -> usize| {
        let mut times = Vec::new();
        let mut n = 0;
        for _ in 0..5 {
            let started = Instant::now();
            n = f();
            times.push(started.elapsed());
        }
        let max = times.iter().max().copied().unwrap_or_default();
        println!(
            "{label:<48} {:>9.1} {:>9.1} {n:>9}",
            median(times).as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    };
    timed("ask \"who condemned whom last month\"", &mut || {
        let spec = ask::parse("who condemned whom last month", graph.lexicon(), latest)
            .map(|s| graph.resolve(&s));
        match spec {
            Ok(Ok((filter, _))) => graph.query(&filter).len(),
            _ => 0,
        }
    });
    let putin = graph.resolve_name("Putin", "actor", latest)?;
    let erdogan = graph.resolve_name("Erdogan", "actor", latest)?;
    let all = Filter::default();
    timed("neighbors Putin", &mut || report::neighbors(&graph, &putin, &all).counterparts.len());
    timed("timeline Erdogan", &mut || report::timeline(&graph, &erdogan, &all, None).entries.len());
    timed("top --limit 10", &mut || report::top(&graph, &all, 10).actors.len());
    timed("stats", &mut || report::stats(&graph).edges);
    let last = graph.resolve_name(&graph.node(graph.nodes().len() - 1).id.0, "actor", latest)?;
    timed("path Putin → (last node) --via-topics", &mut || {
        report::path(&graph, &putin, &last, true, &all).map_or(0, |p| p.hops.len())
    });
    Ok(())
}
