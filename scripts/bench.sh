#!/usr/bin/env bash
# Whole-command timings of the renderer (issue 7): wall time with hyperfine,
# peak memory with /usr/bin/time -v. Run from the repository root:
#   bash scripts/bench.sh
# Needs: a release build (cargo build --release), hyperfine, GNU time, python3.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/geoevents"
[ -x "$BIN" ] || { echo "build first: cargo build --release" >&2; exit 1; }
command -v hyperfine >/dev/null || { echo "missing hyperfine (apt-get install hyperfine)" >&2; exit 1; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/geoevents-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

# 10,000 named points over Europe, deterministic.
python3 - "$WORK/points-10k.geojson" <<'PY'
import json, sys
feats = []
for i in range(10000):
    h = (i * 2654435761) % 1000003
    lon = -10.0 + (h % 1000) * 0.04
    lat = 36.0 + (h // 1000) * 0.02
    feats.append({"type": "Feature", "properties": {"name": "Place %d" % i},
                  "geometry": {"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]}})
json.dump({"type": "FeatureCollection", "features": feats}, open(sys.argv[1], "w"))
PY

SEED_TXT="../shared/seeds/tsugaru-patrol.txt"
declare -a CMDS=(
  "$BIN render tests/data/render/seed-area.geojson -o $WORK/seed-area.png"
  "$BIN render tests/data/render/seed-area.geojson -o $WORK/seed-area.svg"
  "$BIN render $WORK/points-10k.geojson -o $WORK/points-10k.png"
  "$BIN render $WORK/points-10k.geojson -o $WORK/points-10k.svg"
  "$BIN map examples/korea-strait-transit.txt -o $WORK/example --date 2024-07-17"
)
if [ -f "$SEED_TXT" ]; then
  CMDS+=("$BIN map $SEED_TXT -o $WORK/seed --date 2021-10-26")
fi

hyperfine --warmup 2 --runs 10 --export-markdown "$WORK/times.md" "${CMDS[@]}" >/dev/null
sed "s#$BIN#geoevents#g; s#$WORK#/tmp#g" "$WORK/times.md"
echo
echo "| command | peak RSS (MB) |"
echo "|:---|---:|"
for c in "${CMDS[@]}"; do
  kb=$(/usr/bin/time -v $c 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}')
  printf '| `%s` | %.1f |\n' "$(echo "$c" | sed "s#$BIN#geoevents#g; s#$WORK#/tmp#g")" "$(awk -v k="$kb" 'BEGIN {print k/1024}')"
done
