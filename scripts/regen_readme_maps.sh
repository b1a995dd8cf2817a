#!/usr/bin/env bash
# Redraws the README's pictures with the current code, from the commands the
# README shows:
#   docs/example-map.png  geoevents map examples/korea-strait-transit.txt --date 2024-07-17
#   docs/seed-map.png     geoevents map ../shared/seeds/tsugaru-patrol.txt --date 2021-10-26
#                         (skipped, with a note, when the seed article is absent)
# Run from anywhere: bash scripts/regen_readme_maps.sh
# Builds the release binary first unless GEOEVENTS_BIN names one.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -z "${GEOEVENTS_BIN:-}" ]; then
    cargo build --release --quiet
    GEOEVENTS_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/geoevents"
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/geoevents-readme.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

draw() { # draw INPUT DATE PICTURE
    "$GEOEVENTS_BIN" map "$1" --date "$2" -o "$WORK/out" --format png >/dev/null
    cp "$WORK/out/map.png" "$3"
    rm -rf "$WORK/out"
    echo "wrote $3"
}

draw examples/korea-strait-transit.txt 2024-07-17 docs/example-map.png
SEED="$ROOT/../shared/seeds/tsugaru-patrol.txt"
if [ -f "$SEED" ]; then
    draw "$SEED" 2021-10-26 docs/seed-map.png
else
    echo "skipped docs/seed-map.png: $SEED not found"
fi
