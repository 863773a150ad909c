#!/usr/bin/env bash
# Single-process `dipgraph build --threads 2` against the Spark build on local[2] (issue 8), on
# a generated JSON Lines corpus; and the Spark build of one article, which is its fixed
# start-up cost. Release build; needs the Spark environment that .ci/run makes.
#
#   scale/bench_spark.sh                    # 100,000 articles
#   ARTICLES=1000000 DRIVER_MEMORY=6g scale/bench_spark.sh   # a million (2 GB of JSON Lines)
#
# Corpora and outputs go to $BENCH_DIR (default target/bench-spark); outputs are removed at
# the end, corpora kept for later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
ARTICLES=${ARTICLES:-100000}
BENCH_DIR=${BENCH_DIR:-target/bench-spark}
SPARK_VENV=${DIPGRAPH_SPARK_VENV:-target/spark-venv}
cargo build --release --quiet
BIN=target/release/dipgraph
corpus="$BENCH_DIR/corpus-$ARTICLES"
if [ ! -f "$corpus.done" ]; then
  rm -rf "$corpus"
  "$BIN" gen-corpus --articles "$ARTICLES" --jsonl --seed 1 -o "$corpus"
  touch "$corpus.done"
fi
tiny="$BENCH_DIR/one-article.jsonl"
head -n 1 "$corpus/part-0000.jsonl" > "$tiny"

export SPARK_LOCAL_IP=127.0.0.1 PYSPARK_PYTHON="$PWD/$SPARK_VENV/bin/python"
submit() {
  "$SPARK_VENV/bin/spark-submit" --master 'local[2]' --driver-memory "${DRIVER_MEMORY:-2g}" \
    --conf spark.ui.enabled=false --conf spark.ui.showConsoleProgress=false \
    scale/spark_build.py --binary "$BIN" "$@"
}
seconds() { # the wall time in a /usr/bin/time -v log
  grep 'Elapsed (wall clock)' "$1" | awk '{print $NF}' \
    | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }'
}
peak() { grep 'Maximum resident set size' "$1" | awk '{printf "%d MB", $NF / 1024}'; }

out="$BENCH_DIR/out"
rm -rf "$out"
mkdir -p "$out"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB; $ARTICLES articles, $(du -sh "$corpus" | cut -f1)"
echo "before single: $(uptime)"
/usr/bin/time -v "$BIN" build --threads 2 -q -o "$out/single" "$corpus" 2> "$out/time-single.txt"
echo "single-process build --threads 2: $(seconds "$out/time-single.txt") s, peak $(peak "$out/time-single.txt")"
echo "before spark: $(uptime)"
/usr/bin/time -v bash -c "$(declare -f submit); BIN=$BIN SPARK_VENV=$SPARK_VENV DRIVER_MEMORY=${DRIVER_MEMORY:-2g} submit \
  -o $out/spark/graph.json --events-out $out/spark/events $corpus" \
  > "$out/spark.log" 2> "$out/time-spark.txt"
echo "spark local[2]: $(seconds "$out/time-spark.txt") s (peak of the largest process $(peak "$out/time-spark.txt"))"
grep 'spark_build:' "$out/spark.log" || true
echo "before start-up: $(uptime)"
/usr/bin/time -v bash -c "$(declare -f submit); BIN=$BIN SPARK_VENV=$SPARK_VENV DRIVER_MEMORY=${DRIVER_MEMORY:-2g} submit \
  -o $out/tiny/graph.json $tiny" > "$out/tiny.log" 2> "$out/time-tiny.txt"
echo "spark local[2], one article (start-up): $(seconds "$out/time-tiny.txt") s"
echo "after: $(uptime)"
if cmp -s "$out/single/graph.json" "$out/spark/graph.json" \
  && cmp -s <(sort "$out/single/events.jsonl") <(cat "$out/spark/events"/part-* | sort); then
  echo "the Spark graph and events equal the single build's"
else
  echo "THE SPARK OUTPUT DIFFERS from the single build's" >&2
  exit 1
fi
ls -l "$out/single/graph.json" | awk '{printf "graph.json: %.0f MB\n", $5 / 1e6}'
rm -rf "$out"
