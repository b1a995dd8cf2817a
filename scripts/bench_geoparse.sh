#!/usr/bin/env bash
# Times whole commands of the gazetteer and geoparser: start-up and resolve latency,
# peak memory, and geoparse throughput on a 10 MB JSON Lines corpus made from the
# example article. Needs hyperfine and GNU time (apt-get install hyperfine time).
# Usage: bash scripts/bench_geoparse.sh   (from the repository root)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
BIN=./target/release/geoevents
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "## resolve (whole command, embedded gazetteer)"
hyperfine -N --warmup 5 --runs 50 "$BIN resolve 'Tsugaru Strait'" | grep -E "Time|Range"
/usr/bin/time -v "$BIN" resolve "Tsugaru Strait" 2>&1 >/dev/null | grep "Maximum resident"

echo "## geoparse --jsonl on a 10 MB corpus"
python3 - "$WORK/corpus.jsonl" <<'PY'
import json, sys
text = open("examples/korea-strait-transit.txt", encoding="utf-8").read()
with open(sys.argv[1], "w", encoding="utf-8") as f:
    size, i = 0, 0
    while size < 10_000_000:
        line = json.dumps({"id": str(i), "text": text}) + "\n"
        f.write(line)
        size += len(line.encode())
        i += 1
print(f"{i} documents, {size / 1e6:.1f} MB")
PY
hyperfine -N --warmup 1 --runs 5 "$BIN geoparse --jsonl $WORK/corpus.jsonl" --export-json "$WORK/h.json" | grep -E "Time|Range"
python3 - "$WORK/h.json" "$WORK/corpus.jsonl" <<'PY'
import json, os, sys
mean = json.load(open(sys.argv[1]))["results"][0]["mean"]
size = os.path.getsize(sys.argv[2])
docs = sum(1 for _ in open(sys.argv[2]))
print(f"throughput: {size / mean / 1e6:.1f} MB/s, {docs / mean:.0f} documents/s (all cores, wall clock)")
PY
/usr/bin/time -v "$BIN" geoparse --jsonl "$WORK/corpus.jsonl" 2>&1 >/dev/null | grep "Maximum resident"

if [ -f ../shared/eval/geowebnews.jsonl ]; then
    echo "## eval on GeoWebNews"
    "$BIN" eval ../shared/eval/geowebnews.jsonl
fi
