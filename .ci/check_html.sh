#!/usr/bin/env bash
# Checks that the HTML view of a graph is drawn in a real browser: headless Chromium opens the
# file, the dumped DOM must hold exactly the expected number of node elements (and, if given,
# edge elements) after the page's layout script has finished, and a screenshot of the drawing
# area must not be blank.
#
#   .ci/check_html.sh FILE.html NODES [EDGES] [SCREENSHOT.png]
#
# Needs Chromium (Debian's `chromium`; `chromium-browser`, `google-chrome` or $CHROMIUM also
# work) and Python 3 (standard library only). Exit status: 0 passed, 1 a check failed, 2 the
# check could not run.
set -euo pipefail

usage() {
  echo "usage: $0 FILE.html NODES [EDGES] [SCREENSHOT.png]" >&2
  exit 2
}
[ $# -ge 2 ] && [ $# -le 4 ] || usage
html=$1
nodes=$2
edges=${3:-}
shot=${4:-}
[ -f "$html" ] || { echo "check_html: $html: no such file" >&2; exit 2; }
[[ $nodes =~ ^[0-9]+$ ]] || usage
[ -z "$edges" ] || [[ $edges =~ ^[0-9]+$ ]] || usage

browser=${CHROMIUM:-}
if [ -z "$browser" ]; then
  for candidate in chromium chromium-browser google-chrome google-chrome-stable; do
    if command -v "$candidate" >/dev/null 2>&1; then
      browser=$candidate
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  echo "check_html: no Chromium found (tried chromium, chromium-browser, google-chrome)." >&2
  echo "check_html: install Debian's package (apt-get install -y chromium) or set CHROMIUM=/path/to/browser." >&2
  exit 2
fi
command -v python3 >/dev/null 2>&1 || { echo "check_html: python3 is needed" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
[ -n "$shot" ] || shot=$work/screenshot.png
url="file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")"

# A fresh profile per run, so a stale lock or another Chromium never interferes. The virtual
# time budget lets the page's timers (the layout runs in slices) finish before the dump.
run_browser() {
  timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --no-default-browser-check --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size=1200,800 --virtual-time-budget=5000 "$@" "$url" 2>"$work/browser.log"
}

if ! run_browser --dump-dom >"$work/dom.html" || [ ! -s "$work/dom.html" ]; then
  echo "check_html: $browser could not dump the DOM of $html:" >&2
  tail -n 20 "$work/browser.log" >&2
  exit 2
fi
if ! run_browser --screenshot="$shot" || [ ! -s "$shot" ]; then
  echo "check_html: $browser could not take a screenshot of $html:" >&2
  tail -n 20 "$work/browser.log" >&2
  exit 2
fi

python3 - "$work/dom.html" "$shot" "$nodes" "$edges" <<'PY'
import html.parser
import struct
import sys
import zlib

dom_path, png_path, want_nodes, want_edges = sys.argv[1:5]
want_nodes = int(want_nodes)


class Counter(html.parser.HTMLParser):
    """Counts elements by class, the way CSS sees them (text inside <script> is not markup)."""

    def __init__(self):
        super().__init__()
        self.nodes = 0
        self.edges = 0
        self.root = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        self.nodes += "node" in classes
        self.edges += "edge" in classes
        if tag == "html":
            self.root = attrs

    handle_startendtag = handle_starttag


counter = Counter()
with open(dom_path, encoding="utf-8") as f:
    counter.feed(f.read())
failed = []
state = counter.root.get("data-dipgraph")
if state != "drawn":
    failed.append(f"the page did not finish drawing (data-dipgraph={state!r})")
print(f"check_html: DOM has {counter.nodes} node elements (expected {want_nodes}), "
      f"{counter.edges} edge elements" + (f" (expected {want_edges})" if want_edges else ""))
if counter.nodes != want_nodes:
    failed.append(f"{counter.nodes} node elements, expected {want_nodes}")
if want_edges and counter.edges != int(want_edges):
    failed.append(f"{counter.edges} edge elements, expected {want_edges}")


def decode_png(path):
    """Width, height, channels and unfiltered rows of an 8-bit RGB(A) PNG (what Chromium writes)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (2, 6) or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(idat))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        row = bytearray(raw[start + 1:start + 1 + stride])
        if kind == 1:
            for i in range(channels, stride):
                row[i] = (row[i] + row[i - channels]) & 255
        elif kind == 2:
            row = bytearray((a + b) & 255 for a, b in zip(row, previous))
        elif kind == 3:
            for i in range(stride):
                left = row[i - channels] if i >= channels else 0
                row[i] = (row[i] + ((left + previous[i]) >> 1)) & 255
        elif kind == 4:
            for i in range(stride):
                a = row[i - channels] if i >= channels else 0
                b = previous[i]
                c = previous[i - channels] if i >= channels else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                row[i] = (row[i] + pred) & 255
        rows.append(row)
        previous = row
    return width, height, channels, rows


try:
    width, height, channels, rows = decode_png(png_path)
except (ValueError, TypeError, zlib.error) as error:
    failed.append(f"cannot read the screenshot: {error}")
else:
    # Look only at the drawing area the page reports, so the controls cannot make a page with an
    # empty drawing pass; fall back to the whole screenshot.
    try:
        left, top, w, h = (int(v) for v in counter.root.get("data-stage", "").split(","))
    except ValueError:
        left, top, w, h = 0, 0, width, height
    x0, y0 = max(0, left), max(0, top)
    x1, y1 = min(width, left + w), min(height, top + h)
    counts = {}
    for row in rows[y0:y1]:
        for x in range(x0, x1):
            pixel = bytes(row[x * channels:x * channels + 3])
            counts[pixel] = counts.get(pixel, 0) + 1
    total = max(1, sum(counts.values()))
    background, most = max(counts.items(), key=lambda kv: kv[1]) if counts else (b"", 0)
    drawn = total - most
    coloured = sum(n for p, n in counts.items() if max(p) - min(p) > 40)
    print(f"check_html: screenshot {width}x{height}, drawing area {x1 - x0}x{y1 - y0}: "
          f"{drawn} of {total} pixels ({100 * drawn / total:.2f}%) differ from the background, "
          f"{coloured} coloured, {len(counts)} distinct colours")
    if want_nodes > 0 and (drawn < total // 500 or coloured < 50):
        failed.append("the drawing area of the screenshot is blank")

if failed:
    for reason in failed:
        print(f"check_html: FAILED: {reason}", file=sys.stderr)
    sys.exit(1)
print("check_html: ok")
PY
