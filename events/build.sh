#!/usr/bin/env bash
# Rebuild events/triggers.tsv from events/seeds.tsv, events/stoplist.tsv and
# WordNet 3.0 (Debian's wordnet-base package).  Run from the repository root:
#     bash events/build.sh
set -euo pipefail

WORDNET_BASE_VERSION="1:3.0-37"   # Debian 12 (bookworm), WordNet 3.0 database files

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/events-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log() { printf '[events] %s\n' "$*"; }

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing tool: $1" >&2; exit 1; }; }
for t in python3 apt-get dpkg sha256sum; do need "$t"; done

mkdir -p "$WORK/deb"
fetch_deb() {
    (cd "$WORK/deb" && apt-get download -q "wordnet-base=$WORDNET_BASE_VERSION") >/dev/null 2>&1
}
if ! fetch_deb; then
    log "apt-get update (package lists missing or stale)"
    apt-get update -q >/dev/null
    fetch_deb || { echo "cannot download wordnet-base=$WORDNET_BASE_VERSION" >&2; exit 1; }
fi
DEB="$(ls "$WORK"/deb/wordnet-base_*.deb)"
dpkg -x "$DEB" "$WORK/wn"
DICT="$WORK/wn/usr/share/wordnet"
[ -f "$DICT/data.verb" ] || { echo "WordNet database files not found in $DEB" >&2; exit 1; }
log "wordnet-base $WORDNET_BASE_VERSION sha256 $(sha256sum "$DEB" | cut -d' ' -f1)"
for f in index.noun data.noun noun.exc index.verb data.verb verb.exc; do
    log "$f sha256 $(sha256sum "$DICT/$f" | cut -d' ' -f1)"
done

python3 "$ROOT/events/tools/build_lexicon.py" --wordnet "$DICT" --events "$ROOT/events"
log "triggers.tsv sha256 $(sha256sum "$ROOT/events/triggers.tsv" | cut -d' ' -f1)"
