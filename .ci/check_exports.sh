#!/usr/bin/env bash
# Loads every export format in its real consumer (networkx, rdflib, Graphviz) and checks the
# counts against the graph: the examples' graph as `build --formats` writes it, and the query
# fixture as `export` writes it, in each view. Needs python3 with networkx and rdflib (PYTHON
# names the interpreter) and Graphviz's dot.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
cargo build --quiet
BIN=target/debug/dipgraph
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dipgraph-exports.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
ALL=dot,json,cytoscape,graphml,gexf,neo4j,turtle,ntriples,events-tsv

# The examples, through build --formats.
"$BIN" build examples/articles -o "$WORK/build" --formats "$ALL" --quiet
"$PYTHON" .ci/check_exports.py "$WORK/build/graph.json" "$WORK/build"

# The hand-written fixture, through export, in every view.
FIXTURE=tests/fixtures/query/graph.json
for view in events actors topics; do
  dir="$WORK/$view"
  mkdir -p "$dir"
  for format in dot json cytoscape graphml gexf; do
    case $format in
      cytoscape) file=graph.cyjs ;;
      *) file="graph.$format" ;;
    esac
    "$BIN" export "$FIXTURE" --view "$view" --format "$format" -o "$dir/$file"
  done
  "$BIN" export "$FIXTURE" --view "$view" --format neo4j -o "$dir/neo4j"
  if [ "$view" = events ]; then
    "$BIN" export "$FIXTURE" --format turtle -o "$dir/graph.ttl"
    "$BIN" export "$FIXTURE" --format ntriples -o "$dir/graph.nt"
    "$BIN" export "$FIXTURE" --format events-tsv -o "$dir/events.tsv"
  fi
  "$PYTHON" .ci/check_exports.py "$FIXTURE" "$dir" --view "$view"
done
# Clusters by country must still render.
"$BIN" export "$FIXTURE" --format dot --clusters | dot -Tsvg >/dev/null
echo "export checks: ok"
