"""The Spark build gives the graph and the events of one `dipgraph build`, and fails loudly.

Run by .ci/run with the virtual environment's pytest (pyspark installed there):

    SPARK_LOCAL_IP=127.0.0.1 target/spark-venv/bin/pytest -q scale/test_spark_build.py

DIPGRAPH_BIN names the binary (default target/release/dipgraph). Every test runs the real
`spark-submit --master local[2]`, so each pays Spark's start-up (several seconds).
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scale" / "spark_build.py"
EXAMPLES = ROOT / "examples" / "articles"
BIN = Path(os.environ.get("DIPGRAPH_BIN", ROOT / "target" / "release" / "dipgraph"))

sys.path.insert(0, str(ROOT / "scale"))
import spark_build  # its helpers choose partitions for one test


def spark_submit(*args):
    """spark-submit on two local cores; returns the finished process."""
    submit = shutil.which("spark-submit", path=os.path.dirname(sys.executable)) or "spark-submit"
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable)
    command = [
        submit,
        "--master",
        "local[2]",
        "--conf",
        "spark.ui.enabled=false",
        "--conf",
        "spark.ui.showConsoleProgress=false",
        str(SCRIPT),
        *map(str, args),
    ]
    done = subprocess.run(
        command, check=False, env=env, capture_output=True, text=True, timeout=600
    )
    # spark-submit passes the Python driver's stderr on to its own stdout: look at both.
    done.output = done.stdout + done.stderr
    return done


def single_build(out, *inputs):
    """One `dipgraph build` of the inputs into `out`; returns the finished process."""
    command = [BIN, "build", "-q", "--threads", "2", "-o", out, *inputs]
    return subprocess.run(list(map(str, command)), check=False, capture_output=True, text=True)


def event_lines(path):
    """The event lines of an events.jsonl file or of a directory of part files, sorted."""
    path = Path(path)
    files = sorted(path.glob("part-*")) if path.is_dir() else [path]
    lines = [line for f in files for line in f.read_text().splitlines()]
    return sorted(lines)


def assert_same(tmp_path, single_dir, graph, events_dir):
    expected = (single_dir / "graph.json").read_bytes()
    assert len(expected) > 1000
    assert graph.read_bytes() == expected, "the Spark graph differs from dipgraph build's"
    expected_events = event_lines(single_dir / "events.jsonl")
    assert len(expected_events) > 10
    assert event_lines(events_dir) == expected_events
    # Nothing temporary is left beside the outputs.
    leftovers = [p.name for p in graph.parent.iterdir() if ".spark-tmp" in p.name]
    leftovers += [p.name for p in events_dir.parent.iterdir() if ".spark-tmp" in p.name]
    assert leftovers == []


def test_examples_give_the_single_build_graph_and_events(tmp_path):
    single = tmp_path / "single"
    assert single_build(single, EXAMPLES).returncode == 0
    graph, events = tmp_path / "spark" / "graph.json", tmp_path / "spark" / "events"
    done = spark_submit("--binary", BIN, "-o", graph, "--events-out", events, EXAMPLES)
    assert done.returncode == 0, done.output[-3000:]
    assert_same(tmp_path, single, graph, events)
    assert sorted(p.suffix for p in events.glob("part-*")) == [".jsonl"] * len(
        list(events.glob("part-*"))
    )
    assert (events / "_SUCCESS").exists()
    assert list(events.glob(".*.crc")) == []  # Hadoop's checksum files are removed
    assert "spark_build: 10 articles (0 skipped, 0 duplicates)" in done.output


def write_jsonl(path, records):
    path.write_text("".join(r if isinstance(r, str) else json.dumps(r) + "\n" for r in records))


def test_generated_corpus_in_several_files_with_duplicates_and_bad_records(tmp_path):
    # Several thousand generated articles, as JSON Lines and as folders of text files.
    corpus = tmp_path / "corpus"
    for layout, count, seed in (("--jsonl", 3000, 7), (None, 1500, 8)):
        out = corpus / ("jsonl" if layout else "text")
        command = [BIN, "gen-corpus", "--articles", str(count), "--seed", str(seed), "-o", out]
        subprocess.run(list(map(str, command + ([layout] if layout else []))), check=True)
    # Records without ids (they are known by file and line), blank and broken lines, and
    # copies of articles: by URL, and by content for articles without one. The first copy in
    # input order has the larger id, so keeping the smaller id (as merge does) would differ.
    wire = (EXAMPLES / "wire.jsonl").read_text().splitlines()
    extra = corpus / "extra"
    (extra / "a").mkdir(parents=True)
    (extra / "b").mkdir()
    body = (
        "Russian President Vladimir Putin held talks with Turkish President Recep Tayyip Erdogan.\n"
    )
    (extra / "a" / "zz-no-url.txt").write_text(body)
    (extra / "b" / "aa-no-url-copy.txt").write_text("\n" + body.replace(" held", "  held"))
    no_url = {"text": "France condemned the attack on the embassy in Kabul on Monday."}
    records = [
        json.loads(wire[0]),
        "\n",
        "{broken\n",
        no_url,
        dict(no_url, id=None),
        json.loads(wire[1]),
    ]
    write_jsonl(extra / "x-mixed.jsonl", records)
    (extra / "y-again.ndjson").write_text(wire[1] + "\n\n" + wire[0] + "\n")
    inputs = [corpus / "jsonl", corpus / "text", extra, EXAMPLES, EXAMPLES / "wire.jsonl"]

    single = tmp_path / "single"
    expected = single_build(single, *inputs)
    assert expected.returncode == 1, expected.stderr  # the broken line is skipped
    graph, events = tmp_path / "spark" / "graph.json", tmp_path / "spark" / "events"
    done = spark_submit(
        "--binary",
        BIN,
        "-o",
        graph,
        "--events-out",
        events,
        "--partitions",
        7,
        "--fan-in",
        2,
        *inputs,
    )
    assert done.returncode == 1, done.output[-3000:]
    assert_same(tmp_path, single, graph, events)
    # The skipped record is named by its own file and line, as dipgraph build names it.
    assert f"{extra / 'x-mixed.jsonl'}:3: bad JSON article record" in done.output
    assert "duplicates)" in done.output and " 0 duplicates)" not in done.output


def test_more_partitions_than_articles_and_a_partition_of_bad_records_only(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n")
    # Choose a partition count that leaves the broken record's partition without articles.
    keys = set()
    for path in sorted(EXAMPLES.glob("*.txt")):
        keys.add(spark_build.identity_key("t", path.read_text()))
    for line in (EXAMPLES / "wire.jsonl").read_text().splitlines():
        keys.add(spark_build.identity_key("j", json.loads(line)))
    partitions = next(
        n
        for n in range(40, 80)
        if spark_build.partition_of("", n) not in {spark_build.partition_of(k, n) for k in keys}
    )
    single = tmp_path / "single"
    assert single_build(single, EXAMPLES, bad).returncode == 1
    graph, events = tmp_path / "spark" / "g.json", tmp_path / "spark" / "events"
    done = spark_submit(
        "--binary",
        BIN,
        "-o",
        graph,
        "--events-out",
        events,
        "--partitions",
        partitions,
        EXAMPLES,
        bad,
    )
    assert done.returncode == 1, done.output[-3000:]
    assert f"{bad}:1: bad JSON article record" in done.output
    assert "no article could be read" not in done.output
    assert_same(tmp_path, single, graph, events)


def test_output_directory_gets_graph_json_and_dot(tmp_path):
    single = tmp_path / "single"
    assert single_build(single, EXAMPLES / "wire.jsonl").returncode == 0
    out = tmp_path / "spark"
    done = spark_submit("--binary", BIN, "-o", out, EXAMPLES / "wire.jsonl")
    assert done.returncode == 0, done.output[-3000:]
    for name in ("graph.json", "graph.dot"):
        assert (out / name).read_bytes() == (single / name).read_bytes(), name
    # Nothing readable at all: exit 2, as dipgraph build.
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{broken\n")
    done = spark_submit("--binary", BIN, "-o", tmp_path / "none.json", bad)
    assert done.returncode == 2
    assert "no article could be read" in done.output
    assert not (tmp_path / "none.json").exists()


@pytest.mark.parametrize("fails_in", ["build", "merge"])
def test_a_failing_binary_fails_the_job_and_leaves_no_output(tmp_path, fails_in):
    # A stand-in that exits 3 for one command and runs the real binary for the others.
    wrapper = tmp_path / "dipgraph"
    wrapper.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "{fails_in}" ]; then echo "simulated failure" >&2; exit 3; fi\n'
        f'exec "{BIN}" "$@"\n'
    )
    wrapper.chmod(0o755)
    out = tmp_path / "out"
    out.mkdir()
    graph, events = out / "graph.json", out / "events"
    done = spark_submit(
        "--binary", wrapper, "-o", graph, "--events-out", events, "--partitions", 3, EXAMPLES
    )
    assert done.returncode != 0
    assert "simulated failure" in done.output
    assert "exited with code 3" in done.output
    assert list(out.iterdir()) == [], "a failed job left files behind"
