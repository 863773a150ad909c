#!/usr/bin/env bash
# Build benchmark (issue 6): generates corpora of the given sizes with the hidden `gen-corpus`
# command, builds each with --threads 1 and --threads 2 under /usr/bin/time -v (after one
# untimed warm-up build, then one and two threads in turn), and prints each run's MB/s,
# sentences/s and peak RSS, then the medians and the two-thread speed-up. Release build; not
# part of `cargo test`.
#
#   scripts/bench.sh                 # 100 MB and 500 MB, 3 runs each
#   SIZES="20" RUNS=1 scripts/bench.sh
#   BENCH_DIR=/tmp/dipgraph-bench scripts/bench.sh
#   FORMATS=dot,json scripts/bench.sh   # also write graph.dot, as a plain `build` does
#
# By default the runs write graph.json and events.jsonl only (`--formats json`): the work the
# issue-6 targets are set on. FORMATS is passed to `--formats`.
#
# Corpora are kept in $BENCH_DIR (default target/bench-build) and reused by later runs.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"100 500"}
RUNS=${RUNS:-3}
FORMATS=${FORMATS:-json}
BENCH_DIR=${BENCH_DIR:-target/bench-build}
cargo build --release --quiet
BIN=target/release/dipgraph
mkdir -p "$BENCH_DIR"
echo "machine: $(nproc) cores; $(uptime)"
echo "formats: $FORMATS"
# cpu s is user + system time: on a machine shared with other work it shows what the run
# needed, where wall time also shows what it was given.
printf '%-7s %-7s %-5s %9s %8s %9s %12s %10s\n' corpus threads run seconds "cpu s" "MB/s" "sentences/s" "peak RSS"
for size in $SIZES; do
  corpus="$BENCH_DIR/corpus-${size}mb"
  # The generated articles average about 1,915 bytes.
  articles=$(( size * 1000000 / 1915 ))
  if [ ! -f "$corpus.done" ]; then
    rm -rf "$corpus"
    "$BIN" gen-corpus --articles "$articles" --seed 1 -o "$corpus"
    touch "$corpus.done"
  fi
  bytes=$(find "$corpus" -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s}')
  # Read the corpus once so that every timed run finds it in the page cache: otherwise the
  # first run also measures the disk.
  find "$corpus" -name '*.txt' -print0 | xargs -0 cat > /dev/null
  rm -rf "$BENCH_DIR/out-${size}-1" "$BENCH_DIR/out-${size}-2"
  rm -f "$BENCH_DIR/seconds-${size}-1.txt" "$BENCH_DIR/seconds-${size}-2.txt"
  # One untimed build first, as hyperfine's --warmup does: the first build after a pause ran
  # up to 25% slower than the next ones on this machine (cold caches, the system reclaiming
  # the pages of earlier output), whatever the binary.
  "$BIN" build "$corpus" -o "$BENCH_DIR/out-${size}-warmup" --threads 2 --formats "$FORMATS" -q
  rm -rf "$BENCH_DIR/out-${size}-warmup"
  # One thread and two in turn, run after run: a drift of the machine's speed during the
  # benchmark then weighs on both alike instead of on the ratio.
  for run in $(seq 1 "$RUNS"); do
    for threads in 1 2; do
      out="$BENCH_DIR/out-${size}-${threads}"
      log="$BENCH_DIR/time-${size}-${threads}-${run}.txt"
      # Every run writes into an empty directory: replacing the files of the run before would
      # add the system's freeing of their pages (0.1 s for 100 MB) to the time.
      rm -rf "$out"
      sync
      /usr/bin/time -v "$BIN" build "$corpus" -o "$out" --threads "$threads" --formats "$FORMATS" 2> "$log" > /dev/null
      seconds=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}' | awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
      rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
      cpu=$(grep -E '(User|System) time' "$log" | awk '{s += $NF} END {printf "%.1f", s}')
      sentences=$(grep -o '[0-9]* sentences' "$log" | awk '{print $1}')
      mbs=$(awk -v b="$bytes" -v s="$seconds" 'BEGIN {printf "%.1f", b / 1e6 / s}')
      sps=$(awk -v n="$sentences" -v s="$seconds" 'BEGIN {printf "%.0f", n / s}')
      printf '%-7s %-7s %-5s %9s %8s %9s %12s %7d MB\n' "${size}MB" "$threads" "$run" "$seconds" "$cpu" "$mbs" "$sps" $(( rss / 1024 ))
      echo "$seconds" >> "$BENCH_DIR/seconds-${size}-${threads}.txt"
    done
  done
  median() { sort -n "$1" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
  one=$(median "$BENCH_DIR/seconds-${size}-1.txt")
  two=$(median "$BENCH_DIR/seconds-${size}-2.txt")
  fastest_one=$(sort -n "$BENCH_DIR/seconds-${size}-1.txt" | head -1)
  slowest_two=$(sort -n "$BENCH_DIR/seconds-${size}-2.txt" | tail -1)
  rm -f "$BENCH_DIR/seconds-${size}-1.txt" "$BENCH_DIR/seconds-${size}-2.txt"
  awk -v b="$bytes" -v one="$one" -v two="$two" -v f="$fastest_one" -v s="$slowest_two" -v size="$size" 'BEGIN {
    printf "%sMB median: 1 thread %.2f s (%.1f MB/s), 2 threads %.2f s (%.1f MB/s), speed-up %.2f (fastest 1-thread run over slowest 2-thread run: %.2f)\n",
      size, one, b / 1e6 / one, two, b / 1e6 / two, one / two, f / s }'
  # Every file both runs wrote must be the same; an out directory left by an earlier run with
  # other formats is cleared first, so a stale file cannot pass.
  differ=""
  for file in "$BENCH_DIR/out-${size}-1"/*; do
    name=$(basename "$file")
    cmp -s "$file" "$BENCH_DIR/out-${size}-2/$name" || differ="$differ $name"
  done
  if [ -z "$differ" ]; then
    echo "${size}MB: 1 and 2 threads wrote identical files ($(ls "$BENCH_DIR/out-${size}-1" | tr '\n' ' '))"
  else
    echo "${size}MB: OUTPUTS DIFFER between 1 and 2 threads:$differ" >&2
    exit 1
  fi
done
echo "machine after: $(uptime)"
