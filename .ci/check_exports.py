#!/usr/bin/env python3
"""Loads dipgraph's exports in the tools they are for, and checks that each holds the graph.

Usage: check_exports.py GRAPH_JSON DIR [--view events|actors|topics]

DIR holds the files `dipgraph build --formats …` writes (graph.json, graph.dot, graph.cyjs,
graph.graphml, graph.gexf, neo4j/, graph.ttl, graph.nt, events.tsv), for the whole graph in
GRAPH_JSON drawn as the given view (only the graph formats for the actors and topics views).
The expected node and edge counts are computed here from GRAPH_JSON, independently of dipgraph:

- events: nodes = the graph's nodes, edges = its links (one per event);
- actors: an undirected edge per pair of parties of an event (actor and each participant;
  every pair in a symmetric event), nodes = the entities of those pairs;
- topics: an edge from each acting party (the actor; every party of a symmetric event) to the
  event's topic, nodes = the entities of those edges.

Exits 1 with a message per failed check; prints one line per passed check.
"""

import csv
import json
import re
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import networkx as nx
import rdflib

FAILURES = []


def check(condition, what):
    if condition:
        print(f"ok: {what}")
    else:
        FAILURES.append(what)
        print(f"FAILED: {what}", file=sys.stderr)


def expected_view(graph, view):
    """(node count, edge count) of a view of a dipgraph graph.json."""
    links = graph["links"]
    if view == "events":
        return len(graph["nodes"]), len(links)
    pairs = set()
    for link in links:
        actor, participants = link["source"], link["participants"]
        parties = sorted({actor, *participants})
        if view == "actors":
            for a, b in combinations(parties, 2):
                if link["symmetric"] or actor in (a, b):
                    pairs.add((a, b))
        elif link["topic"] is not None:
            acting = parties if link["symmetric"] else [actor]
            pairs.update((a, link["topic"]) for a in acting if a != link["topic"])
    nodes = {n for pair in pairs for n in pair}
    return len(nodes), len(pairs)


def counts(g):
    return g.number_of_nodes(), g.number_of_edges()


def check_node_link(path, want, view):
    data = json.loads(path.read_text(encoding="utf-8"))
    try:
        g = nx.node_link_graph(data, edges="links")
    except TypeError:  # networkx before 3.4 names the argument `link` and reads "links"
        g = nx.node_link_graph(data)
    check(counts(g) == want, f"networkx node_link_graph({path.name}): {counts(g)} == {want}")
    if view == "events":
        check(data.get("format") == "dipgraph", f"{path.name} is a dipgraph graph file")


def check_graphml(path, want):
    g = nx.read_graphml(path)
    check(counts(g) == want, f"networkx read_graphml({path.name}): {counts(g)} == {want}")
    bad = [
        (k, v)
        for _, _, d in g.edges(data=True)
        for k, v in d.items()
        if not isinstance(v, (str, int, float, bool))
    ]
    check(not bad, f"{path.name}: every attribute is a scalar")


def check_gexf(path, want, graph, view):
    g = nx.read_gexf(path)
    check(counts(g) == want, f"networkx read_gexf({path.name}): {counts(g)} == {want}")
    check(g.graph.get("mode") == "dynamic", f"{path.name} is a dynamic graph")
    if view == "events":
        dated = sum(1 for link in graph["links"] if link["first_date"])
        timed = sum(1 for *_, d in g.edges(data=True) if "start" in d and "end" in d)
        check(timed == dated, f"{path.name}: {timed} edges with start/end == {dated} dated events")


def check_cytoscape(path, want):
    """Structure as the Cytoscape.js docs describe elements JSON, then networkx's reader."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    elements = doc.get("elements")
    ok = isinstance(elements, dict)
    ok = ok and isinstance(elements.get("nodes"), list) and isinstance(elements.get("edges"), list)
    check(ok, f"{path.name}: elements is {{nodes: [...], edges: [...]}}")
    if not ok:
        return
    nodes, edges = elements["nodes"], elements["edges"]
    ids = []
    for element in nodes + edges:
        data = element.get("data") if isinstance(element, dict) else None
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
            check(False, f"{path.name}: every element has data.id, a non-empty string")
            return
        ids.append(data["id"])
    check(len(ids) == len(set(ids)), f"{path.name}: ids unique across nodes and edges")
    node_ids = {n["data"]["id"] for n in nodes}
    dangling = [
        e["data"]["id"]
        for e in edges
        if e["data"].get("source") not in node_ids or e["data"].get("target") not in node_ids
    ]
    check(not dangling, f"{path.name}: every edge's source and target is a node")
    check((len(nodes), len(edges)) == want, f"{path.name}: {(len(nodes), len(edges))} == {want}")
    g = nx.cytoscape_graph(doc)
    check(counts(g) == want, f"networkx cytoscape_graph({path.name}): {counts(g)} == {want}")


NEO4J_TYPES = {
    "int", "long", "float", "double", "boolean", "byte", "short", "char", "string", "point",
    "date", "localtime", "time", "localdatetime", "datetime", "duration",
}
NEO4J_FIELD = re.compile(r"^(?P<name>[^:]*)(:(?P<type>[A-Za-z_]+)(\((?P<group>[^)]*)\))?(?P<array>\[\])?)?$")


def neo4j_header(header, what, kind):
    """Checks a header row against the neo4j-admin import rules; returns the special columns."""
    special = {}
    names = []
    for i, field in enumerate(header):
        m = NEO4J_FIELD.match(field)
        if not m:
            check(False, f"{what}: header field {field!r} is name:type")
            continue
        t = m.group("type")
        if t in ("ID", "LABEL", "START_ID", "END_ID", "TYPE", "IGNORE"):
            special.setdefault(t, []).append(i)
        elif t is not None and t not in NEO4J_TYPES:
            check(False, f"{what}: {field!r} has an unknown type")
        elif not m.group("name"):
            check(False, f"{what}: property column {field!r} has no name")
        if m.group("name"):
            names.append(m.group("name"))
    check(len(names) == len(set(names)), f"{what}: property names are unique")
    if kind == "nodes":
        check(len(special.get("ID", [])) == 1, f"{what}: exactly one :ID column")
        check(not any(k in special for k in ("START_ID", "END_ID", "TYPE")), f"{what}: no relationship columns")
    else:
        for k in ("START_ID", "END_ID", "TYPE"):
            check(len(special.get(k, [])) == 1, f"{what}: exactly one :{k} column")
        check("ID" not in special, f"{what}: no :ID column")
    return special


def check_neo4j(directory, want):
    def rows(name):
        with open(directory / name, newline="", encoding="utf-8") as f:
            return list(csv.reader(f))

    nodes, rels = rows("nodes.csv"), rows("relationships.csv")
    node_special = neo4j_header(nodes[0], "nodes.csv", "nodes")
    rel_special = neo4j_header(rels[0], "relationships.csv", "relationships")
    check(all(len(r) == len(nodes[0]) for r in nodes), "nodes.csv: every row has every column")
    check(all(len(r) == len(rels[0]) for r in rels), "relationships.csv: every row has every column")
    id_col = node_special["ID"][0]
    ids = [r[id_col] for r in nodes[1:]]
    check(len(ids) == len(set(ids)) and all(ids), "nodes.csv: ids present and unique")
    label_col = node_special.get("LABEL", [None])[0]
    if label_col is not None:
        labels = {l for r in nodes[1:] for l in r[label_col].split(";")}
        check(all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", l) for l in labels), "nodes.csv: labels need no quoting")
    s, e, t = (rel_special[k][0] for k in ("START_ID", "END_ID", "TYPE"))
    known = set(ids)
    check(all(r[s] in known and r[e] in known for r in rels[1:]), "relationships.csv: no dangling ids")
    types = {r[t] for r in rels[1:]}
    check(all(re.fullmatch(r"[A-Z_][A-Z0-9_]*", x) for x in types), "relationships.csv: types are [A-Z0-9_]")
    got = (len(nodes) - 1, len(rels) - 1)
    check(got == want, f"neo4j CSV rows {got} == {want}")
    cypher = (directory / "load.cypher").read_text(encoding="utf-8")
    check("LOAD CSV WITH HEADERS FROM 'file:///nodes.csv'" in cypher, "load.cypher loads nodes.csv")
    check(all(f"[r:{x} " in cypher for x in types), "load.cypher creates every relationship type")
    check(all(f"row.`{c}`" in cypher for c in nodes[0] + rels[0] if c != ":LABEL"),
          "load.cypher reads every column")


def check_rdf(directory, graph):
    dip = rdflib.Namespace("https://dipgraph.example/ns#")
    events = len(graph["links"])
    reports = sum(len(link["sources"]) for link in graph["links"])
    sentences = {s["sentence"] for link in graph["links"] for s in link["sources"]}
    for name, syntax in (("graph.ttl", "turtle"), ("graph.nt", "nt")):
        g = rdflib.Graph()
        g.parse(directory / name, format=syntax)
        found = len(set(g.subjects(rdflib.RDF.type, dip.Event)))
        check(found == events, f"rdflib {name}: {found} dip:Event == {events} events")
        found = len(set(g.subjects(rdflib.RDF.type, dip.Report)))
        check(found == reports, f"rdflib {name}: {found} dip:Report == {reports} reports")
        kept = {str(o) for o in g.objects(None, dip.sentence)}
        check(sentences <= kept, f"rdflib {name}: every source sentence is kept")
        entities = len(set(g.subjects(rdflib.RDF.type, dip.Entity)))
        check(entities == len(graph["nodes"]), f"rdflib {name}: {entities} dip:Entity == {len(graph['nodes'])} nodes")


def check_tsv(path, graph):
    with open(path, newline="", encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header = lines[0].split("\t")
    for column in ("date", "source_name", "source_country", "target_name", "target_country",
                   "cameo", "root", "quad_class", "goldstein", "url", "sentence"):
        check(column in header, f"{path.name}: has a {column} column")
    check(all(len(l.split("\t")) == len(header) for l in lines), f"{path.name}: every row has every column")
    want = sum(len(link["sources"]) * max(1, len(link["participants"])) for link in graph["links"])
    check(len(lines) - 1 == want, f"{path.name}: {len(lines) - 1} rows == {want} (reports x targets)")


def check_dot(path):
    result = subprocess.run(["dot", "-Tsvg", str(path)], capture_output=True)
    ok = result.returncode == 0 and b"<svg" in result.stdout
    check(ok, f"dot -Tsvg {path.name} renders" + ("" if ok else f": {result.stderr.decode()[:300]}"))


def main():
    args = sys.argv[1:]
    view = "events"
    if "--view" in args:
        i = args.index("--view")
        view = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    graph = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    directory = Path(args[1])
    want = expected_view(graph, view)
    print(f"{view} view of {args[0]}: expecting {want[0]} nodes and {want[1]} edges")
    check_node_link(directory / "graph.json", want, view)
    check_graphml(directory / "graph.graphml", want)
    check_gexf(directory / "graph.gexf", want, graph, view)
    check_cytoscape(directory / "graph.cyjs", want)
    check_neo4j(directory / "neo4j", want)
    check_dot(directory / "graph.dot")
    if view == "events":
        check_rdf(directory, graph)
        check_tsv(directory / "events.tsv", graph)
    if FAILURES:
        print(f"{len(FAILURES)} export checks failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
