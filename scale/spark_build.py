#!/usr/bin/env python3
"""Build a dipgraph graph on Apache Spark: map partitions of articles through the `dipgraph`
binary, then combine the partial graphs with `dipgraph merge` in a tree.

    spark-submit --master local[2] scale/spark_build.py \\
        --binary target/release/dipgraph -o out/graph.json --events-out out/events \\
        corpus/ more/wire.jsonl

The result is the graph that one `dipgraph build` makes from the same inputs, byte for byte,
and the events directory holds the same event lines (in part files, in another order).

How it stays equal to a single build
------------------------------------
* Article ids. A single build names a text file's article by the file's stem and a JSON Lines
  record without an `id` by `stem:line`. Each record is handed to its partition as JSON Lines
  with that id written into it, and each text file is written into the partition's input
  directory under its own stem, so every article keeps the id it has in a single build.
* Duplicates. A single build keeps the first copy of an article (same URL, or same content
  hash without one) in input order; `merge` would keep the copy with the smaller id. So the
  copies of an article are sent to the same partition (partitioned by a key that equal
  articles always share, see `identity_key`), in input order: the partition's build drops
  the later copies exactly as the single build does, and no article is split across graphs.
* The rest of the graph does not depend on grouping or order (`merge` is associative and
  commutative), so any partitioning and any merge tree give the same graph.

Failure
-------
`dipgraph` exits 0 when all went well, 1 when some inputs were skipped (each is named on
stderr) and 2 on a fatal error. A partition's exit 1 is not a failure: its messages are passed
to the driver (with the original file names and lines), printed, and the job exits 1 like
`dipgraph build`. Any other exit code, or a signal, raises in the task, which fails the Spark
job, and this script exits 2 after removing its temporary outputs. The graph and the events
directory are built under temporary names and renamed into place only when everything has
succeeded, so a failed job leaves no output that looks whole.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
import zlib
from urllib.parse import urlparse

# Characters Rust's `str::trim` removes (the Unicode White_Space property). Python's own
# `str.strip()` also removes \x1c-\x1f, which would make "is this line blank?" and "is line 2
# a URL?" disagree with dipgraph's reader on odd input.
RUST_WS = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)

# Files a directory contributes, as in `dipgraph build` (src/article.rs, `list_dir`).
ARTICLE_EXTENSIONS = ("txt", "jsonl", "ndjson")

# Letters and digits only (\w is str.isalnum() plus "_").
NOT_ALNUM = re.compile(r"[\W_]+")

# A partition that holds only unreadable records makes `dipgraph build` stop with this
# message (exit 2); it is not a failure of the job, as the records were reported as skipped.
NO_ARTICLES = "no article could be read from the inputs"

# The summary line `dipgraph build` prints on stderr.
SUMMARY = re.compile(
    r"^dipgraph: (\d+) articles \((\d+) skipped, (\d+) already in the graph\), "
    r"(\d+) sentences, (\d+) events"
)

# Events are handed to Spark in chunks of about this many bytes of lines, not one record per
# line: the per-record overhead of PySpark would otherwise dominate.
EVENT_CHUNK_BYTES = 1 << 20


class JobError(Exception):
    """A failure the driver reports in one line (exit code 2)."""


# ---------------------------------------------------------------------------------------------
# File names, as dipgraph's reader sees them


def file_name(uri):
    """The last component of a path or URI."""
    return uri.rstrip("/").rsplit("/", 1)[-1]


def split_name(name):
    """(stem, extension) as Rust's `Path::file_stem` and `Path::extension` split a name: a
    leading dot does not start an extension (`.hidden` has none)."""
    dot = name.rfind(".")
    if name == ".." or dot <= 0:
        return name, ""
    return name[:dot], name[dot + 1 :]


def is_local(path):
    """True for a path on the driver's file system (no scheme, or `file:`)."""
    scheme = urlparse(path).scheme
    return scheme in ("", "file") or len(scheme) == 1  # "C:" is a drive, not a scheme


def local_path(path):
    """The file-system path of a local path or `file:` URI."""
    return urlparse(path).path if path.startswith("file:") else path


def normal_key(uri):
    """A file's URI in one spelling, so the driver's listing and Spark's keys compare equal
    (`file:/a`, `file:///a` and `/a` are the same file)."""
    if uri.startswith("file:"):
        return "file:" + "/" + urlparse(uri).path.lstrip("/")
    return uri


# ---------------------------------------------------------------------------------------------
# The driver: listing the inputs in dipgraph's order


def list_inputs(sc, inputs):
    """The files to read, in the order `dipgraph build` reads them: the inputs as given, a
    directory's .txt, .jsonl and .ndjson files recursively in sorted path order (component by
    component, as Rust sorts paths). A file named twice is read twice, as in a single build.
    Returns [(uri, display name, size)]."""
    files = []
    for given in inputs:
        if given == "-":
            raise JobError("standard input cannot be read by a Spark job; give files")
        if is_local(given):
            path = os.path.abspath(local_path(given))
            if os.path.isdir(path):
                found = []
                for root, dirs, names in os.walk(path, followlinks=True):
                    for name in names:
                        if split_name(name)[1].lower() in ARTICLE_EXTENSIONS:
                            full = os.path.join(root, name)
                            found.append((os.path.relpath(full, path).split(os.sep), full))
                found.sort()
                for _, full in found:
                    files.append(("file:" + full, full, os.path.getsize(full)))
            elif os.path.isfile(path):
                files.append(("file:" + path, given, os.path.getsize(path)))
            else:
                raise JobError(f"{given}: no such file or directory")
        else:
            jvm = sc._jvm
            hpath = jvm.org.apache.hadoop.fs.Path(given)
            fs = hpath.getFileSystem(sc._jsc.hadoopConfiguration())
            if not fs.exists(hpath):
                raise JobError(f"{given}: no such file or directory")
            status = fs.getFileStatus(hpath)
            if status.isDirectory():
                root = status.getPath().toString().rstrip("/") + "/"
                found = []
                listing = fs.listFiles(hpath, True)
                while listing.hasNext():
                    entry = listing.next()
                    uri = entry.getPath().toString()
                    if split_name(file_name(uri))[1].lower() in ARTICLE_EXTENSIONS:
                        found.append((uri[len(root) :].split("/"), uri, entry.getLen()))
                found.sort()
                files.extend((uri, uri, size) for _, uri, size in found)
            else:
                uri = status.getPath().toString()
                files.append((uri, given, status.getLen()))
    for uri, display, _ in files:
        # Hadoop reads a comma-separated list of paths with glob patterns, and skips files
        # whose names start with "_" or "." (its hidden files).
        if re.search(r"[,{}\[\]*?\\]", uri) or file_name(uri)[:1] in ("_", "."):
            raise JobError(
                f"{display}: Spark cannot read this file by name (a comma, a glob character, "
                "or a name starting with '_' or '.'); rename it"
            )
    return files


# ---------------------------------------------------------------------------------------------
# The tasks: records, partitions, builds and merges


def rust_lines(text):
    """`str::lines` in Rust: split on \\n, drop one \\r before it, no empty last line."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line.removesuffix("\r") for line in lines]


def alnum(text):
    return NOT_ALNUM.sub("", text) if isinstance(text, str) else ""


def identity_key(kind, payload):
    """A key that two copies of the same article always share, whatever their file: dipgraph
    knows an article by its URL, or by a hash of its content (headline, lead, paragraphs,
    date) when it has none. The key is the letters and digits of the URL, or of the title and
    text; reading an article only trims and joins whitespace, so equal articles give equal
    keys. Unequal articles may share a key too, which only puts them in the same partition.
    Records dipgraph will skip anyway get any key."""
    if kind == "j":
        record = payload
        if not isinstance(record, dict):
            return ""
        url = record.get("url")
        if isinstance(url, str) and url.strip(RUST_WS):
            return "u" + alnum(url)
        return "h" + alnum(record.get("title")) + alnum(record.get("text"))
    text = payload
    lines = rust_lines(text.removeprefix("\ufeff"))
    if len(lines) > 1:
        second = lines[1].strip(RUST_WS)
        if second.startswith(("http://", "https://")):
            return "u" + alnum(second)
    return "h" + alnum(text)


def partition_of(key, partitions):
    # crc32, not hash(): Python randomises string hashes per process.
    return zlib.crc32(key.encode("utf-8")) % partitions


def with_id(line, record, default_id):
    """The JSON line with `"id": default_id` when it has none, which is the id dipgraph gives
    such a record in the original file (`stem:line`). The id is written into the text rather
    than by re-serialising the record, so the record dipgraph reads is otherwise the same."""
    if "id" in record and record["id"] is not None:
        return line
    import json

    if "id" in record or not record:  # "id": null (or {}): rewrite the record
        record = dict(record, id=default_id)
        return json.dumps(record).encode("utf-8")
    start = line.index(b"{") + 1
    return line[:start] + b'"id":' + json.dumps(default_id).encode("utf-8") + b"," + line[start:]


def explode(partitions, occurrences):
    """Turns one input file into records keyed (partition, file position, line): a text file
    is one record, a JSON Lines file one per non-blank line."""
    import json

    def records(item):
        uri, data = item
        positions = occurrences.value.get(normal_key(uri))
        if positions is None:
            raise RuntimeError(f"{uri}: Spark read a file that was not listed")
        stem, extension = split_name(file_name(uri))
        out = []
        if extension.lower() in ("jsonl", "ndjson"):
            pieces = data.split(b"\n")
            if pieces and pieces[-1] == b"":
                pieces.pop()
            for number, line in enumerate(pieces, start=1):
                try:
                    text = line.decode("utf-8")
                except UnicodeDecodeError:
                    out.append(("", number, line))  # dipgraph reports it; any partition will do
                    continue
                if not text.strip(RUST_WS):
                    continue  # blank lines are skipped, but counted
                try:
                    record = json.loads(text)
                except ValueError:
                    out.append(("", number, line))
                    continue
                if isinstance(record, dict):
                    line = with_id(line.rstrip(b"\r"), record, f"{stem}:{number}")
                out.append((identity_key("j", record), number, line))
            for position in positions:
                for key, number, line in out:
                    yield ((partition_of(key, partitions), position, number), ("j", None, line))
        else:
            try:
                key = identity_key("t", data.decode("utf-8"))
            except UnicodeDecodeError:
                key = ""
            for position in positions:
                yield ((partition_of(key, partitions), position, 0), ("t", stem, data))

    return records


def run(command, what):
    """Runs the binary with the task's environment (unlike RDD.pipe, which passes none) and
    returns (exit code, stderr lines)."""
    done = subprocess.run(
        command,
        check=False,
        env=dict(os.environ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    lines = done.stderr.decode("utf-8", "replace").splitlines()
    if done.returncode < 0:
        raise RuntimeError(
            f"{what} was killed by signal {-done.returncode}: " + " | ".join(lines[-5:])
        )
    return done.returncode, lines


def binary_path(binary, shipped):
    """The binary in this task: shipped with SparkContext.addFile (found with SparkFiles.get
    in every executor, whatever the cluster manager), or at a path that exists on every node
    (--binary-in-image)."""
    if not shipped:
        return binary
    from pyspark import SparkFiles

    path = SparkFiles.get(os.path.basename(binary))
    if not os.access(path, os.X_OK):
        os.chmod(path, os.stat(path).st_mode | 0o755)
    return path


def shipped_files(names, shipped):
    if not shipped:
        return list(names)
    from pyspark import SparkFiles

    return [SparkFiles.get(os.path.basename(name)) for name in names]


def build_partition(config, displays):
    """The map step: one `dipgraph build` over a partition's records, which arrive sorted by
    input position. Yields ("x", partition, exit code, messages, counts, has graph) once, then ("g",
    partition, graph bytes) and ("e", chunk of event lines) when the partition held articles."""

    def build(index, items):
        work = tempfile.mkdtemp(prefix=f"dipgraph-part-{index:05d}-")
        try:
            yield from build_in(index, items, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    def build_in(index, items, work):
        inputs = os.path.join(work, "in")
        os.mkdir(inputs)
        # Temporary names back to original ones, for dipgraph's messages: a text file's
        # directory (by sequence number) to its file, a chunk's lines to the files' lines.
        text_files, chunk_lines = {}, {}
        chunk, chunk_seq, sequence = None, None, 0
        for (_, position, number), (kind, stem, data) in items:
            if kind == "j":
                if chunk is None:
                    chunk_seq = sequence
                    name = os.path.join(inputs, f"{chunk_seq:012d}.jsonl")
                    # Open across a run of JSON lines; closed below.
                    chunk = open(name, "wb")  # noqa: SIM115
                    chunk_lines[chunk_seq] = []
                chunk.write(data + b"\n")
                chunk_lines[chunk_seq].append((position, number))
            else:
                if chunk is not None:
                    chunk.close()
                    chunk = None
                # Its own directory, so that files with the same name from different
                # directories do not collide; `.txt` so that dipgraph reads it, under its stem.
                folder = os.path.join(inputs, f"{sequence:012d}")
                os.mkdir(folder)
                with open(os.path.join(folder, stem + ".txt"), "wb") as out:
                    out.write(data)
                text_files[sequence] = position
            sequence += 1
        if chunk is not None:
            chunk.close()
        if sequence == 0:
            return  # an empty partition (more partitions than articles)
        graph = os.path.join(work, "out", "graph.json")
        events = os.path.join(work, "events.jsonl")
        command = [binary_path(config["binary"], config["shipped"]), "build"]
        command += ["--threads", str(config["threads"]), "--formats", "json"]
        for lexicon in shipped_files(config["lexicons"], config["shipped"]):
            command += ["--lexicon", lexicon]
        command += ["-o", os.path.dirname(graph), "--events-out", events, inputs]
        code, lines = run(command, f"dipgraph build (partition {index})")
        counts, messages = [0, 0, 0, 0, 0], []
        temporary = re.compile(re.escape(inputs) + r"/(\d{12})(?:\.jsonl:(\d+)|/[^:]*)")

        def original(match):
            seq = int(match.group(1))
            if match.group(2) is not None:
                position, number = chunk_lines[seq][int(match.group(2)) - 1]
                return f"{displays.value[position]}:{number}"
            return displays.value[text_files[seq]]

        for line in lines:
            summary = SUMMARY.match(line)
            if summary:
                counts = [int(n) for n in summary.groups()]
            elif line.strip():
                messages.append(temporary.sub(original, line))
        empty = code == 2 and any(NO_ARTICLES in m for m in messages)
        if code not in (0, 1) and not empty:
            raise RuntimeError(
                f"dipgraph build exited with code {code} in partition {index}: "
                + " | ".join(messages[-5:])
            )
        messages = [m for m in messages if NO_ARTICLES not in m]
        yield ("x", index, 1 if empty else code, messages, counts, not empty)
        if empty:
            return
        with open(graph, "rb") as f:
            yield ("g", index, f.read())
        with open(events, "rb") as f:
            while True:
                block = f.read(EVENT_CHUNK_BYTES)
                if not block:
                    break
                block += f.readline()  # end on a line boundary
                # saveAsTextFile adds the newline after each record.
                yield ("e", block.decode("utf-8").rstrip("\n"))

    return build


def merge_graphs(config, graphs, what, out_path=None, quiet=True):
    """One `dipgraph merge` of graph texts (bytes); returns the merged text, or writes it to
    out_path (a .json file or a directory) when given."""
    work = tempfile.mkdtemp(prefix="dipgraph-merge-")
    try:
        paths = []
        for number, graph in enumerate(graphs):
            path = os.path.join(work, f"in-{number:05d}.json")
            with open(path, "wb") as f:
                f.write(graph)
            paths.append(path)
        target = out_path or os.path.join(work, "merged.json")
        command = [config["binary_here"], "merge", *paths, "-o", target]
        if quiet:
            command.append("-q")
        code, lines = run(command, what)
        if code != 0:
            raise RuntimeError(
                f"{what}: dipgraph merge exited with code {code}: " + " | ".join(lines[-5:])
            )
        if out_path is None:
            with open(target, "rb") as f:
                return f.read()
        return lines
    finally:
        shutil.rmtree(work, ignore_errors=True)


def merge_group(config):
    """A reduce step in the executors: the graphs of one group merged into one."""

    def merge(item):
        key, graphs = item
        graphs = list(graphs)
        if len(graphs) == 1:
            return key, graphs[0]
        here = dict(config, binary_here=binary_path(config["binary"], config["shipped"]))
        return key, merge_graphs(here, graphs, f"merging group {key}")

    return merge


# ---------------------------------------------------------------------------------------------
# The driver: the job, and putting outputs in place


def hadoop(sc, uri):
    path = sc._jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(sc._jsc.hadoopConfiguration()), path


def sibling(path, tag):
    """A temporary name beside `path`, on the same file system, so a rename moves it in."""
    parent, name = path.rstrip("/").rsplit("/", 1) if "/" in path.rstrip("/") else (".", path)
    return f"{parent}/.{name}.{tag}-{uuid.uuid4().hex[:12]}"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="spark_build.py",
        description="Build a dipgraph graph on Spark: one `dipgraph build` per partition of "
        "the articles, the partial graphs combined by a tree of `dipgraph merge`.",
    )
    parser.add_argument(
        "inputs",
        nargs="+",
        help="article files or directories (.txt, .jsonl, .ndjson): local paths or Hadoop "
        "URIs (hdfs://, s3a://)",
    )
    parser.add_argument(
        "--binary",
        required=True,
        help="the dipgraph binary (shipped to the executors unless --binary-in-image)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        help="the graph: a .json file, or a directory that receives graph.json and graph.dot "
        "(a path on the driver)",
    )
    parser.add_argument(
        "--events-out",
        metavar="DIR",
        help="also write the events (events.jsonl lines) as part files into DIR (a path or "
        "Hadoop URI)",
    )
    parser.add_argument(
        "--partitions",
        type=int,
        help="build partitions (default: one per 64 MB of input, at least the default parallelism)",
    )
    parser.add_argument("--fan-in", type=int, default=8, help="graphs per merge (default 8)")
    parser.add_argument(
        "--threads", type=int, help="dipgraph threads per task (default: spark.task.cpus)"
    )
    parser.add_argument(
        "--lexicon",
        action="append",
        default=[],
        metavar="FILE",
        help="extra lexicon file, passed to every build (shipped with the binary)",
    )
    parser.add_argument(
        "--binary-in-image",
        action="store_true",
        help="the --binary path exists on every node (a container image, a shared install): "
        "do not ship it",
    )
    args = parser.parse_args(argv)
    if args.partitions is not None and args.partitions < 1:
        parser.error("--partitions must be at least 1")
    if args.fan_in < 2:
        parser.error("--fan-in must be at least 2")
    return args


def main(argv=None):
    args = parse_args(argv)
    from pyspark import SparkConf, StorageLevel
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("dipgraph build")
    if not SparkConf().contains("spark.driver.maxResultSize"):
        # The last graphs come to the driver one partition at a time, each a partial graph
        # that may be over the 1 GB default limit of one action's results.
        builder = builder.config("spark.driver.maxResultSize", "0")
    spark = builder.getOrCreate()
    sc = spark.sparkContext
    sc.setLogLevel(os.environ.get("DIPGRAPH_SPARK_LOG", "WARN"))
    cleanup = []
    try:
        code = job(sc, args, cleanup, StorageLevel)
    except JobError as error:
        print(f"spark_build: {error}", file=sys.stderr)
        code = 2
    except Exception as error:  # noqa: BLE001 (a failed task surfaces as a Py4JJavaError)
        print(f"spark_build: the job failed: {task_error(error)}", file=sys.stderr)
        code = 2
    finally:
        for remove in reversed(cleanup):
            try:
                remove()
            except Exception:  # noqa: BLE001, S110 (cleaning up after a failure: keep going)
                pass
    spark.stop()
    return code


def task_error(error):
    """The task's own message out of Spark's long report."""
    text = str(error)
    found = re.search(r"(?:RuntimeError|JobError): (.*)", text) or re.search(
        r"(?:Job aborted due to stage failure|SparkException): (.*)", text
    )
    return found.group(1).strip() if found else text.strip().splitlines()[0]


def job(sc, args, cleanup, StorageLevel):
    if not os.path.isfile(args.binary) or not os.access(args.binary, os.X_OK):
        # The driver runs the last merge itself, so the binary must be here in any case.
        raise JobError(f"{args.binary}: not an executable file")
    shipped = not args.binary_in_image
    if shipped:
        sc.addFile(os.path.abspath(args.binary))
        for lexicon in args.lexicon:
            sc.addFile(os.path.abspath(lexicon))
    if not is_local(args.output):
        raise JobError(f"{args.output}: the graph is written on the driver: give a local path")
    files = list_inputs(sc, args.inputs)
    if not files:
        raise JobError(NO_ARTICLES)
    total = sum(size for _, _, size in files)
    partitions = args.partitions or max(sc.defaultParallelism, -(-total // (64 << 20)))
    threads = args.threads or int(sc.getConf().get("spark.task.cpus", "1"))
    config = {
        "binary": os.path.abspath(args.binary) if shipped else args.binary,
        "shipped": shipped,
        "lexicons": [os.path.abspath(l) for l in args.lexicon] if shipped else args.lexicon,
        "threads": threads,
    }

    # Where each file comes in the input order (a file named twice comes twice).
    occurrences = {}
    for position, (uri, _, _) in enumerate(files):
        occurrences.setdefault(normal_key(uri), []).append(position)
    unique = list(dict.fromkeys(uri for uri, _, _ in files))
    occurrences_b = sc.broadcast(occurrences)
    displays_b = sc.broadcast([display for _, display, _ in files])

    # Map: records to their partitions, in input order within each, one build per partition.
    raw = sc.binaryFiles(",".join(unique), minPartitions=partitions)
    keyed = raw.flatMap(explode(partitions, occurrences_b))
    ordered = keyed.repartitionAndSortWithinPartitions(
        partitions, partitionFunc=lambda key: key[0], keyfunc=lambda key: key
    )
    built = ordered.mapPartitionsWithIndex(build_partition(config, displays_b))
    built.persist(StorageLevel.DISK_ONLY)
    cleanup.append(built.unpersist)

    reports = built.filter(lambda r: r[0] == "x").map(lambda r: r[1:]).collect()
    code = 0
    messages = []
    totals = [0, 0, 0, 0, 0]
    graphs_count = 0
    for _, status, said, counts, has_graph in sorted(reports):
        code = max(code, status)
        messages.extend(said)
        totals = [a + b for a, b in zip(totals, counts)]
        graphs_count += has_graph
    for message in dict.fromkeys(messages):  # a lexicon warning comes from every partition
        print(message, file=sys.stderr)
    if graphs_count == 0:
        raise JobError(NO_ARTICLES)

    # Events: written once, by the builds above; Spark's committer writes the part files
    # into a temporary directory, renamed into place at the end.
    events_tmp = None
    if args.events_out:
        events_tmp = sibling(args.events_out, "spark-tmp")
        fs, path = hadoop(sc, events_tmp)
        cleanup.append(lambda: fs.delete(path, True))
        events = built.filter(lambda r: r[0] == "e").map(lambda r: r[1])
        events.saveAsTextFile(events_tmp)
        # part-00000 → part-00000.jsonl, so that JSON Lines readers know them.
        for status in fs.listStatus(path):
            name = status.getPath().getName()
            if name.startswith("part-"):
                fs.rename(
                    status.getPath(), sc._jvm.org.apache.hadoop.fs.Path(path, name + ".jsonl")
                )

    # Reduce: rounds of merges in the executors, `fan_in` graphs at a time, until few are
    # left; the driver merges those into the output.
    fan_in = args.fan_in
    level = built.filter(lambda r: r[0] == "g").map(lambda r: (r[1], r[2]))
    keys = partitions
    while keys > fan_in:
        keys = -(-keys // fan_in)
        level = (
            level.map(lambda kv, f=fan_in: (kv[0] // f, kv[1]))
            .groupByKey(numPartitions=keys, partitionFunc=lambda key: key)
            .map(merge_group(config))
        )
    output = os.path.abspath(local_path(args.output))
    is_file = output.lower().endswith(".json")
    os.makedirs(os.path.dirname(output), exist_ok=True)
    # The graph is merged under a temporary name beside the output and renamed at the end.
    staging = sibling(output, "spark-tmp")
    target = staging + ".json" if is_file else staging
    cleanup.append(lambda: shutil.rmtree(staging, ignore_errors=True))
    cleanup.append(lambda: os.path.isfile(target) and os.remove(target))
    here = dict(config, binary_here=os.path.abspath(args.binary))
    merge_graphs(
        here, (graph for _, graph in level.toLocalIterator()), "the final merge", out_path=target
    )

    # Everything succeeded: events first, graph last (as dipgraph build does).
    if events_tmp is not None:
        fs, final = hadoop(sc, args.events_out)
        if fs.exists(final):
            fs.delete(final, True)
        if not fs.rename(path, final):
            raise JobError(f"cannot move the events into {args.events_out}")
        if is_local(args.events_out):
            # Hadoop's local file system leaves a checksum file beside each file: not ours.
            folder = local_path(args.events_out)
            for name in os.listdir(folder):
                if name.startswith(".") and name.endswith(".crc"):
                    os.remove(os.path.join(folder, name))
    if is_file:
        os.replace(target, output)
    else:
        os.makedirs(output, exist_ok=True)
        for name in ("graph.json", "graph.dot"):
            os.replace(os.path.join(staging, name), os.path.join(output, name))
    articles, skipped, duplicates, sentences, event_count = totals
    print(
        f"spark_build: {articles} articles ({skipped} skipped, {duplicates} duplicates), "
        f"{sentences} sentences, {event_count} events in {partitions} partitions "
        f"({graphs_count} graphs merged) → {args.output}",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
