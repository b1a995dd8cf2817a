#!/usr/bin/env python3
"""Check gazetteer/physical.tsv for structure and against Natural Earth reference data.

Usage:
    python3 gazetteer/tools/check_physical.py [path/to/naturalearth] [--tsv path/to/physical.tsv]

The Natural Earth directory defaults to ../shared/data/naturalearth relative to the
repository root (the directory that holds gazetteer/).  Natural Earth data is only read
here, never copied into the repository.

What is checked:
  1. Structure of physical.tsv (printed as ERROR lines): exact header, 12 tab-separated
     columns, unique ids of the form ge:slug, lat/lon ranges, at most 4 decimals, bounding
     box sanity, point inside its own bounding box (a box with west > east crosses the
     antimeridian), kind from the allowed list, country code shape, rank 1..5, no duplicate
     (name, kind), alternate names not repeating the main name.
  2. Against Natural Earth (NE): every row whose name or alternate name matches an NE
     feature name (case-insensitive, accents/hyphens/abbreviations normalised) must have
     its point inside the NE polygon (any part), or within 50 km of an NE point feature.
     Island groups may lie up to 50 km from the nearest NE island; rivers and canals
     must lie within 25 km of the NE 50m river centre line of the same name.
     Large lakes are checked against ne_10m_lakes the same way.
  3. Land/water sanity against ne_50m_land and the country against
     ne_50m_admin_0_countries (printed as WARN lines).
  4. NE marine features (scalerank <= 4) and major NE regions (scalerank <= 2) that the
     table lacks.
  5. gazetteer/demonyms.tsv, when present next to physical.tsv: header, 3 columns, kind,
     duplicate demonyms, and that every target is a country code, a continent code or an
     id that exists in physical.tsv.

A mismatch or warning can be marked as explained with a comment line in physical.tsv:
    # explained: ge:some-id: reason
Explained items are counted separately and not listed as problems.

Exit status is always 0; a summary is printed at the end.
"""
import json
import math
import os
import re
import sys
import unicodedata

HEADER = ['id', 'name', 'kind', 'lat', 'lon', 'west', 'south', 'east', 'north',
          'country', 'rank', 'alternate_names']
KINDS = {'S.BLDG', 'S.AIRP', 'P.PPL', 'H.OCN', 'H.SEA', 'H.STRT', 'H.GULF', 'H.BAY', 'H.CHN', 'H.CNL', 'H.LK', 'H.STM',
         'T.ISL', 'T.ISLS', 'T.PEN', 'T.MTS', 'T.DSRT', 'T.PLN', 'L.RGN'}
WATER_KINDS = {'H.OCN', 'H.SEA', 'H.STRT', 'H.GULF', 'H.BAY', 'H.CHN'}
LAND_KINDS = {'T.ISL', 'T.PEN', 'T.MTS', 'T.DSRT', 'T.PLN'}
COUNTRY_CHECK_KINDS = LAND_KINDS | {'T.ISLS', 'L.RGN'}

POINT_TOL_KM = 50.0      # NE point features
GROUP_TOL_KM = 50.0      # island groups vs NE island polygons
LINE_TOL_KM = 25.0       # rivers/canals vs NE centre lines
R_EARTH = 6371.0088

# NE names (normalised) that differ from the English names used in the table.
NE_ALIASES = {
    'inner sea': 'seto inland sea',
    'indochina peninsula': 'indochina',
    'peninsula iberica': 'iberian peninsula',
    'korea': 'korean peninsula',
    'peninsula de yucatan': 'yucatan peninsula',
    'baja california': 'baja california peninsula',
    'florida': 'florida peninsula',
    'india': 'indian subcontinent',
    'kopet dag mountains': 'kopet dag',
    'jura': 'jura mountains',
    'kjolen mountains': 'scandinavian mountains',
    'chaine annamitique': 'annamite range',
    'er rif': 'rif mountains',
    'garagum desert': 'karakum desert',
    'desierto de atacama': 'atacama desert',
    'an nafud desert': 'nafud',
    'danakil': 'danakil desert',
    'western siberian plain': 'west siberian plain',
    'riviera': 'french riviera',
    'cheju island': 'jeju island',
    'okinawa': 'okinawa island',
    'isla de chiloe': 'chiloe island',
    'estrecho de magellanes': 'strait of magellan',
    'bahia de campeche': 'bay of campeche',
    'golfo san matias': 'gulf of san matias',
    'north western passages': 'northwest passage',
    'hawaii': 'island of hawaii',
}

# NE river centre-line names (normalised, 'river' stripped) that differ from ours.
NE_RIVER_ALIASES = {
    'al furat': 'euphrates',
    'amazonas': 'amazon',
    'huang': 'yellow',
    'dnepre': 'dnieper',
    'dnipro': 'dnieper',
    'yarlung': 'brahmaputra',
    'lancang': 'mekong',
    'nu': 'salween',
    'el bahr el abyad': 'white nile',
    'el bahr el azraq': 'blue nile',
    'yenisey': 'yenisei',
    'ertix': 'irtysh',
    'verkhniy yenisey': 'yenisei',
}

ABBREV = {
    'mts': 'mountains', 'mtn': 'mountain', 'mt': 'mount', 'ra': 'range', 'pen': 'peninsula',
    'is': 'islands', 'i': 'island', 'isands': 'islands', 'str': 'strait', 'sd': 'sound',
    'arch': 'archipelago', 'plat': 'plateau', 'cord': 'cordillera', 'st': 'saint',
    'pk': 'peak', 'pt': 'point', 'pén': 'peninsule',
}
TRANSLIT = str.maketrans({'ø': 'o', 'Ø': 'o', 'æ': 'ae', 'Æ': 'ae', 'ß': 'ss', 'ł': 'l',
                          'Ł': 'l', 'đ': 'd', 'Đ': 'd', 'ı': 'i', 'œ': 'oe', 'þ': 'th'})


def norm(name):
    """Normalise a feature name for matching."""
    if not name:
        return ''
    s = name.translate(TRANSLIT)
    s = unicodedata.normalize('NFKD', s)
    s = ''.join(c for c in s if not unicodedata.combining(c))
    s = s.lower()
    s = re.sub(r"['\u2019\u2018\u02bb\u02bc`]", '', s)
    s = re.sub(r'[\-\u2010-\u2015/]', ' ', s)
    s = re.sub(r'[^a-z0-9 .]', ' ', s)
    toks = []
    for t in s.replace('.', ' . ').split():
        if t == '.':
            continue
        toks.append(ABBREV.get(t, t))
    if toks and toks[0] == 'the':
        toks = toks[1:]
    return ' '.join(toks)


def norm_river(name):
    s = norm(name)
    s = re.sub(r'^river ', '', s)
    s = re.sub(r' river$', '', s)
    return s


# ---------------------------------------------------------------- geometry helpers

def haversine(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * R_EARTH * math.asin(min(1.0, math.sqrt(a)))


def point_in_ring(x, y, ring):
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y):
            xint = (xj - xi) * (y - yi) / (yj - yi) + xi
            if x < xint:
                inside = not inside
        j = i
    return inside


def seg_dist_km(lat, lon, a, b):
    """Distance from (lat, lon) to segment a-b ([lon, lat] pairs), local projection."""
    k = math.cos(math.radians(lat))

    def proj(p):
        dx = p[0] - lon
        if dx > 180:
            dx -= 360
        elif dx < -180:
            dx += 360
        return dx * k * 111.195, (p[1] - lat) * 111.195
    ax, ay = proj(a)
    bx, by = proj(b)
    dx, dy = bx - ax, by - ay
    L2 = dx * dx + dy * dy
    t = 0.0 if L2 == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / L2))
    px, py = ax + t * dx, ay + t * dy
    return math.hypot(px, py)


class Shape:
    """Polygons, lines or a point from a GeoJSON geometry, with ring bounding boxes."""

    def __init__(self, geom):
        self.polys = []   # list of (outer_ring, [holes], bbox)
        self.lines = []   # list of (coords, bbox)
        self.point = None
        t = geom['type'] if geom else None
        c = geom['coordinates'] if geom else None
        if t == 'Polygon':
            self._add_poly(c)
        elif t == 'MultiPolygon':
            for p in c:
                self._add_poly(p)
        elif t == 'LineString':
            self._add_line(c)
        elif t == 'MultiLineString':
            for ln in c:
                self._add_line(ln)
        elif t == 'Point':
            self.point = (c[1], c[0])
        elif t == 'MultiPoint' and c:
            self.point = (c[0][1], c[0][0])

    @staticmethod
    def _bbox(coords):
        xs = [p[0] for p in coords]
        ys = [p[1] for p in coords]
        return (min(xs), min(ys), max(xs), max(ys))

    def _add_poly(self, rings):
        if not rings or not rings[0]:
            return
        self.polys.append((rings[0], rings[1:], self._bbox(rings[0])))

    def _add_line(self, coords):
        if coords:
            self.lines.append((coords, self._bbox(coords)))

    def contains(self, lat, lon, ignore_holes=False):
        for outer, holes, bb in self.polys:
            if bb[0] <= lon <= bb[2] and bb[1] <= lat <= bb[3]:
                if point_in_ring(lon, lat, outer) and (
                        ignore_holes or not any(point_in_ring(lon, lat, h) for h in holes)):
                    return True
        return False

    def area_km2(self):
        """Approximate area (outer rings minus holes), equirectangular per ring."""
        tot = 0.0
        for outer, holes, bb in self.polys:
            for k, ring in enumerate([outer] + list(holes)):
                if len(ring) < 3:
                    continue
                lat0 = math.radians(sum(p[1] for p in ring) / len(ring))
                a = 0.0
                for i in range(len(ring) - 1):
                    a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1]
                a = abs(a) / 2 * 111.195 ** 2 * math.cos(lat0)
                tot += a if k == 0 else -a
        return tot

    def _rings(self):
        for outer, holes, bb in self.polys:
            yield outer, bb
            for h in holes:
                yield h, self._bbox(h)
        for coords, bb in self.lines:
            yield coords, bb

    def distance_km(self, lat, lon):
        """Distance to the nearest boundary/line segment (or to the point)."""
        if self.point:
            return haversine(lat, lon, self.point[0], self.point[1])
        best = float('inf')
        cands = []
        for ring, bb in self._rings():
            # cheap lower bound on distance to the ring's bounding box
            dlat = max(bb[1] - lat, 0, lat - bb[3])
            dlon = max(bb[0] - lon, 0, lon - bb[2])
            if dlon > 180:
                dlon = 360 - dlon
            lb = math.hypot(dlat * 111.195, dlon * 111.195 * max(0.05, math.cos(math.radians(min(89.9, abs(lat) + dlat)))))
            cands.append((lb, ring))
        cands.sort(key=lambda x: x[0])
        for lb, ring in cands:
            if lb > best:
                break
            for i in range(len(ring) - 1):
                d = seg_dist_km(lat, lon, ring[i], ring[i + 1])
                if d < best:
                    best = d
            if len(ring) == 1:
                best = min(best, haversine(lat, lon, ring[0][1], ring[0][0]))
        return best

    def bbox(self):
        """(west, south, east, north); west > east if the shape straddles 180."""
        boxes = [bb for _, _, bb in self.polys] + [bb for _, bb in self.lines]
        if self.point:
            return (self.point[1], self.point[0], self.point[1], self.point[0])
        if not boxes:
            return None
        w = min(b[0] for b in boxes)
        e = max(b[2] for b in boxes)
        s = min(b[1] for b in boxes)
        n = max(b[3] for b in boxes)
        if w < -170 and e > 170:
            # try shifting western parts by 360
            ws = min(b[0] + (360 if b[2] < 0 else 0) for b in boxes)
            es = max(b[2] + (360 if b[2] < 0 else 0) for b in boxes)
            if es - ws < e - w:
                return (ws, s, es - 360, n)
        return (w, s, e, n)


def in_bbox(lat, lon, w, s, e, n):
    if not (s <= lat <= n):
        return False
    if w <= e:
        return w <= lon <= e
    return lon >= w or lon <= e


def bbox_intervals(w, e):
    """Longitude intervals in an unwrapped frame (east may exceed 180)."""
    return (w, e) if w <= e else (w, e + 360)


def bbox_overlap(a, b):
    """Return (area_a, area_b, area_intersection) in degree^2 (lon scaled by cos(lat))."""
    aw, ae = bbox_intervals(a[0], a[2])
    bw, be = bbox_intervals(b[0], b[2])
    best = 0.0
    for shift in (-360, 0, 360):
        lo = max(aw, bw + shift)
        hi = min(ae, be + shift)
        if hi > lo:
            best = max(best, hi - lo)
    dlat = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    k = math.cos(math.radians((a[1] + a[3]) / 2))
    area_a = (ae - aw) * (a[3] - a[1]) * k
    area_b = (be - bw) * (b[3] - b[1]) * k
    return area_a, area_b, best * dlat * k


# ---------------------------------------------------------------- loading

def load_tsv(path):
    rows = []
    errors = []
    explained = {}
    header_seen = False
    with open(path, encoding='utf-8') as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip('\n')
            if line.endswith('\r'):
                errors.append('%d: CR line ending' % lineno)
                line = line.rstrip('\r')
            if line.startswith('#'):
                m = re.match(r'#\s*explained:\s*(ge:[a-z0-9-]+)\s*:?\s*(.*)', line)
                if m:
                    explained[m.group(1)] = m.group(2).strip()
                continue
            if not line.strip():
                continue
            cols = line.split('\t')
            if not header_seen:
                header_seen = True
                if cols != HEADER:
                    errors.append('%d: header is %r, expected %r' % (lineno, cols, HEADER))
                continue
            if len(cols) != 12:
                errors.append('%d: %d columns (expected 12): %r' % (lineno, len(cols), line[:80]))
                continue
            rows.append(dict(zip(HEADER, cols), _line=lineno))
    if not header_seen:
        errors.append('no header line')
    return rows, errors, explained


def load_geojson(path):
    with open(path, encoding='utf-8') as fh:
        return json.load(fh)['features']


# ---------------------------------------------------------------- structural checks

NUM_RE = re.compile(r'^-?\d+(\.\d{1,4})?$')


def structural_checks(rows):
    errors = []
    ids = {}
    name_kind = {}
    alt_owner = {}
    warnings = []
    for r in rows:
        ln = r['_line']
        rid = r['id']
        if not re.match(r'^ge:[a-z0-9]+(-[a-z0-9]+)*$', rid):
            errors.append('%d: bad id %r' % (ln, rid))
        if rid in ids:
            errors.append('%d: duplicate id %s (first on line %d)' % (ln, rid, ids[rid]))
        ids[rid] = ln
        if not r['name'] or r['name'] != r['name'].strip():
            errors.append('%d: %s: empty or padded name' % (ln, rid))
        if r['kind'] not in KINDS:
            errors.append('%d: %s: unknown kind %r' % (ln, rid, r['kind']))
        vals = {}
        for f in ('lat', 'lon', 'west', 'south', 'east', 'north'):
            if not NUM_RE.match(r[f]):
                errors.append('%d: %s: %s=%r is not a number with at most 4 decimals' % (ln, rid, f, r[f]))
                vals = None
                break
            vals[f] = float(r[f])
        if vals:
            if not -90 <= vals['lat'] <= 90:
                errors.append('%d: %s: lat out of range' % (ln, rid))
            if not -180 <= vals['lon'] <= 180:
                errors.append('%d: %s: lon out of range' % (ln, rid))
            for f in ('west', 'east'):
                if not -180 <= vals[f] <= 180:
                    errors.append('%d: %s: %s out of range' % (ln, rid, f))
            for f in ('south', 'north'):
                if not -90 <= vals[f] <= 90:
                    errors.append('%d: %s: %s out of range' % (ln, rid, f))
            if vals['south'] > vals['north']:
                errors.append('%d: %s: south > north' % (ln, rid))
            if vals['west'] == vals['east'] or vals['south'] == vals['north']:
                errors.append('%d: %s: degenerate bounding box' % (ln, rid))
            if not in_bbox(vals['lat'], vals['lon'], vals['west'], vals['south'], vals['east'], vals['north']):
                errors.append('%d: %s: point (%s, %s) outside its bbox %s,%s,%s,%s' % (
                    ln, rid, r['lat'], r['lon'], r['west'], r['south'], r['east'], r['north']))
            r['_lat'], r['_lon'] = vals['lat'], vals['lon']
            r['_bbox'] = (vals['west'], vals['south'], vals['east'], vals['north'])
        if r['country'] and not re.match(r'^[A-Z]{2}$', r['country']):
            errors.append('%d: %s: bad country %r' % (ln, rid, r['country']))
        if r['rank'] not in ('1', '2', '3', '4', '5'):
            errors.append('%d: %s: rank %r not in 1..5' % (ln, rid, r['rank']))
        key = (r['name'], r['kind'])
        if key in name_kind:
            errors.append('%d: %s: duplicate (name, kind) %r (line %d)' % (ln, rid, key, name_kind[key]))
        name_kind[key] = ln
        alts = r['alternate_names'].split('|') if r['alternate_names'] else []
        r['_alts'] = alts
        seen = set()
        for a in alts:
            if not a or a != a.strip():
                errors.append('%d: %s: empty or padded alternate name' % (ln, rid))
            if a == r['name']:
                errors.append('%d: %s: alternate repeats the main name %r' % (ln, rid, a))
            if a in seen:
                errors.append('%d: %s: alternate %r listed twice' % (ln, rid, a))
            seen.add(a)
        for nm in [r['name']] + alts:
            alt_owner.setdefault(nm.lower(), []).append(rid)
    for nm, owners in sorted(alt_owner.items()):
        uniq = sorted(set(owners))
        if len(uniq) > 1:
            warnings.append('name %r used by %s' % (nm, ', '.join(uniq)))
    return errors, warnings


# ---------------------------------------------------------------- NE matching

def ne_names(props):
    out = []
    for k in ('name', 'namealt', 'name_alt', 'name_en'):
        v = props.get(k)
        if v:
            out.append(v)
    note = props.get('note')
    if note and not note.startswith('_') and not note.lower().startswith('internal'):
        out.append(note)
    return out


def compatible(kind, layer, featurecla):
    fc = (featurecla or '').lower()
    if layer == 'marine':
        return kind.startswith('H.') or (fc == 'reef' and kind in ('T.ISL', 'T.ISLS'))
    if layer == 'lakes':
        return kind in ('H.LK', 'H.SEA')
    if layer == 'rivers':
        return kind in ('H.STM', 'H.CNL')
    if layer == 'regions_polys':
        if fc in ('lake',):
            return kind == 'H.LK'
        return kind.startswith('T.') or kind == 'L.RGN'
    if layer in ('regions_points', 'elevation_points'):
        return kind.startswith('T.') or kind == 'L.RGN'
    return False


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    repo = os.path.dirname(os.path.dirname(here))
    args = [a for a in argv[1:]]
    tsv = os.path.join(repo, 'gazetteer', 'physical.tsv')
    if '--tsv' in args:
        i = args.index('--tsv')
        tsv = args[i + 1]
        del args[i:i + 2]
    ne_dir = args[0] if args else os.path.join(repo, '..', 'shared', 'data', 'naturalearth')
    ne_dir = os.path.normpath(ne_dir)

    rows, errors, explained = load_tsv(tsv)
    s_err, s_warn = structural_checks(rows)
    errors += s_err
    print('== structure: %s (%d rows)' % (tsv, len(rows)))
    for e in errors:
        print('ERROR', e)
    for w in s_warn:
        print('NOTE shared name:', w)
    rows = [r for r in rows if '_lat' in r]
    by_id = {r['id']: r for r in rows}
    unknown_expl = sorted(k for k in explained if k not in by_id)
    for k in unknown_expl:
        print('ERROR explained: comment for unknown id', k)
        errors.append(k)

    layers = {
        'marine': 'ne_10m_geography_marine_polys.geojson',
        'regions_polys': 'ne_10m_geography_regions_polys.geojson',
        'regions_points': 'ne_10m_geography_regions_points.geojson',
        'elevation_points': 'ne_10m_geography_regions_elevation_points.geojson',
        'lakes': 'ne_10m_lakes.geojson',
        'rivers': 'ne_50m_rivers_lake_centerlines.geojson',
    }
    if not os.path.isdir(ne_dir):
        print('Natural Earth directory not found: %s (skipping NE checks)' % ne_dir)
        dem_path = os.path.join(os.path.dirname(tsv), 'demonyms.tsv')
        dem_msg = ''
        if os.path.exists(dem_path):
            dem_rows, dem_errors, _ = check_demonyms(dem_path, set(by_id), set())
            for e in dem_errors:
                print('ERROR demonyms', e)
            dem_msg = ' demonyms=%d demonym_errors=%d' % (dem_rows, len(dem_errors))
        print('== summary: rows=%d errors=%d%s (NE checks skipped)' % (len(rows), len(errors), dem_msg))
        return 0

    # index of our names
    index = {}
    river_index = {}
    for r in rows:
        for nm in [r['name']] + r['_alts']:
            index.setdefault(norm(nm), set()).add(r['id'])
            if r['kind'] in ('H.STM', 'H.CNL'):
                river_index.setdefault(norm_river(nm), set()).add(r['id'])

    matches = {}          # id -> list of (layer, props, Shape)
    ne_marine_missing = []
    ne_region_missing = []
    loaded = {}
    for layer, fn in layers.items():
        path = os.path.join(ne_dir, fn)
        if not os.path.exists(path):
            print('NOTE missing NE layer', path)
            continue
        feats = load_geojson(path)
        loaded[layer] = feats
        for f in feats:
            p = f['properties']
            names = ne_names(p)
            hit = set()
            for nm in names:
                k = norm(nm)
                k = NE_ALIASES.get(k, k)
                if layer == 'rivers':
                    rk = norm_river(nm)
                    hit |= river_index.get(rk, set())
                    hit |= river_index.get(NE_RIVER_ALIASES.get(rk, rk), set())
                else:
                    hit |= index.get(k, set())
            hit = {rid for rid in hit if compatible(by_id[rid]['kind'], layer, p.get('featurecla'))}
            if hit:
                shape = Shape(f['geometry'])
                if shape.point is None and 'lat_y' in p and 'long_x' in p and not shape.polys:
                    shape.point = (p['lat_y'], p['long_x'])
                for rid in hit:
                    matches.setdefault(rid, []).append((layer, p, shape))
            else:
                sr = p.get('scalerank', 99)
                sr = 99 if sr is None else sr
                if layer == 'marine' and p.get('name') and sr <= 4:
                    ne_marine_missing.append((sr, p.get('featurecla'), p['name']))
                if layer == 'regions_polys' and p.get('name') and sr <= 2 and p.get('featurecla') != 'Continent':
                    ne_region_missing.append((sr, p.get('featurecla'), p['name']))

    # NE region polygons that may hold a point of a larger feature (see nested_in)
    region_shapes = []
    for f in loaded.get('regions_polys', []):
        fc = f['properties'].get('featurecla')
        if fc and fc != 'Continent':
            sh = Shape(f['geometry'])
            if sh.polys:
                region_shapes.append((f['properties'].get('name'), sh.bbox(), sh))

    def nested_in(lat, lon, outer_bbox):
        """Name of an NE region polygon holding the point whose bbox lies inside outer_bbox."""
        ow, os_, oe, on = outer_bbox
        if ow > oe:
            oe += 360
        for nm, bb, sh in region_shapes:
            if bb[1] < os_ - 0.5 or bb[3] > on + 0.5:
                continue
            bw, be = bb[0], bb[2]
            if bw > be:
                be += 360
            ok_lon = False
            for shift in (0, 360):
                if bw + shift >= ow - 0.5 and be + shift <= oe + 0.5:
                    ok_lon = True
            if ok_lon and sh.contains(lat, lon):
                return nm
        return None

    # ---------------------------------------------------------------- NE point checks
    print()
    print('== Natural Earth feature checks (%s)' % ne_dir)
    n_ok = n_near = n_mis = n_expl = 0
    mismatches = []
    bbox_notes = []
    for r in rows:
        rid = r['id']
        ms = matches.get(rid)
        if not ms:
            continue
        lat, lon = r['_lat'], r['_lon']
        kind = r['kind']
        best = None   # (distance, layer, name)
        ok = False
        near = False
        nested = None
        for layer, p, shape in ms:
            nm = p.get('name') or p.get('note')
            if shape.polys:
                # NE region polygons form a partition: features nested in a larger one
                # (a desert inside the Sahara, a range inside a plateau) are cut out of
                # it as holes, so a point in such a hole still counts as inside.
                if shape.contains(lat, lon, ignore_holes=(layer == 'regions_polys')):
                    ok = True
                    d = 0.0
                else:
                    d = shape.distance_km(lat, lon)
                    if kind == 'T.ISLS' and d <= GROUP_TOL_KM:
                        near = True
                    if kind in ('H.STM', 'H.CNL') and d <= LINE_TOL_KM:
                        near = True
                if not ok and layer == 'regions_polys' and nested is None:
                    # NE regions form a partition: a member island of a group, or a
                    # desert/range carved out of a larger region, holds the point instead.
                    nested = nested_in(lat, lon, shape.bbox())
            elif shape.lines:
                d = shape.distance_km(lat, lon)
                if d <= LINE_TOL_KM:
                    ok = True
            elif shape.point:
                d = shape.distance_km(lat, lon)
                if d <= POINT_TOL_KM:
                    ok = True
            else:
                continue
            if best is None or d < best[0]:
                best = (d, layer, nm, shape)
        # bounding-box comparison against matched NE polygons of the same size class
        polys = [shape for layer, p, shape in ms if shape.polys and layer in ('marine', 'regions_polys', 'lakes')]
        if polys and ok:
            ne_boxes = [s.bbox() for s in polys]
            # compare with the NE feature that contains our point
            for s in polys:
                if s.contains(lat, lon):
                    nb = s.bbox()
                    a_ours, a_ne, inter = bbox_overlap(r['_bbox'], nb)
                    cover = inter / a_ne if a_ne > 0 else 1.0
                    iou = inter / (a_ours + a_ne - inter) if (a_ours + a_ne - inter) > 0 else 1.0
                    if cover < 0.6 or iou < 0.2:
                        bbox_notes.append('%s %s: our bbox %s vs NE bbox (%.2f,%.2f,%.2f,%.2f): covers %.0f%% of NE, IoU %.2f' % (
                            rid, r['name'], ','.join(fmtn(x) for x in r['_bbox']),
                            nb[0], nb[1], nb[2], nb[3], cover * 100, iou))
                    break
        if ok:
            n_ok += 1
        elif near or nested:
            n_near += 1
        elif best is not None:
            if rid in explained:
                n_expl += 1
            else:
                n_mis += 1
                extra = ''
                shp = best[3]
                if shp.polys:
                    a_ne = shp.area_km2()
                    w, s_, e, n_ = r['_bbox']
                    a_ours = bbox_overlap(r['_bbox'], r['_bbox'])[0] * 111.195 ** 2
                    nb = shp.bbox()
                    extra = ' [NE area %.0f km2 = %.1f%% of our bbox; NE bbox %.2f,%.2f,%.2f,%.2f]' % (
                        a_ne, 100.0 * a_ne / a_ours if a_ours else 0, nb[0], nb[1], nb[2], nb[3])
                mismatches.append('MISMATCH %s %s (%s) point %s,%s is %.1f km from NE %s %r%s' % (
                    rid, r['name'], kind, r['lat'], r['lon'], best[0], best[1], best[2], extra))
    for m in mismatches:
        print(m)
    print('matched rows: %d  inside/within tolerance: %d  near/nested (island group, river, '
          'sub-feature of the NE polygon): %d  '
          'mismatches: %d  explained: %d' % (len(matches), n_ok, n_near, n_mis, n_expl))
    for b in bbox_notes:
        print('BBOX', b)

    # ---------------------------------------------------------------- land / water / country
    print()
    print('== land/water and country checks (ne_50m_land, ne_50m_admin_0_countries)')
    land = []
    countries = []
    p_land = os.path.join(ne_dir, 'ne_50m_land.geojson')
    p_adm = os.path.join(ne_dir, 'ne_50m_admin_0_countries.geojson')
    if os.path.exists(p_land):
        land = [Shape(f['geometry']) for f in load_geojson(p_land)]
    if os.path.exists(p_adm):
        fix = {'France': 'FR', 'Norway': 'NO', 'Kosovo': 'XK', 'N. Cyprus': 'CY', 'Somaliland': 'SO'}
        for f in load_geojson(p_adm):
            p = f['properties']
            iso = p.get('ISO_A2')
            if not iso or iso == '-99':
                iso = fix.get(p.get('NAME'), p.get('WB_A2') if p.get('WB_A2') not in (None, '-99') else '-99')
            countries.append((iso, p.get('NAME'), Shape(f['geometry'])))
    lakes = [Shape(f['geometry']) for f in loaded.get('lakes', [])]
    lakes += [Shape(f['geometry']) for f in loaded.get('marine', [])
              if (f['properties'].get('featurecla') or '') in ('lagoon', 'sea')]
    n_warn = n_warn_expl = n_tiny = 0
    for r in rows:
        lat, lon, kind, rid = r['_lat'], r['_lon'], r['kind'], r['id']
        msgs = []
        on_land = None
        if land:
            on_land = any(s.contains(lat, lon) for s in land)
            in_lake = any(s.contains(lat, lon) for s in lakes)
            if kind in WATER_KINDS and on_land and not in_lake:
                msgs.append('water feature but point is on land (ne_50m_land)')
            w_, s__, e_, n_ = r['_bbox']
            tiny = kind == 'T.ISL' and ((e_ - w_) % 360) * (n_ - s__) < 0.1
            if kind in LAND_KINDS and not on_land:
                if tiny:
                    n_tiny += 1
                else:
                    msgs.append('land feature but point is not on ne_50m_land')
            if kind == 'H.LK' and lakes and not in_lake:
                msgs.append('lake point not inside any ne_10m_lakes (or marine lagoon) polygon')
        if countries and r['country'] and kind in COUNTRY_CHECK_KINDS and on_land:
            here_c = [iso for iso, nm, s in countries if s.contains(lat, lon)]
            if here_c and r['country'] not in here_c:
                msgs.append('country %s but point lies in %s' % (r['country'], '/'.join(here_c)))
        if msgs:
            if rid in explained:
                n_warn_expl += 1
            else:
                n_warn += 1
                print('WARN %s %s (%s) %s,%s: %s' % (rid, r['name'], kind, r['lat'], r['lon'], '; '.join(msgs)))
    print('land/water/country warnings: %d  explained: %d  (small islands below the 50m land '
          'resolution, not checked: %d)' % (n_warn, n_warn_expl, n_tiny))

    # ---------------------------------------------------------------- missing
    print()
    print('== NE marine features (scalerank <= 4) not in the table')
    seen = set()
    for sr, fc, nm in sorted(ne_marine_missing):
        if nm in seen:
            continue
        seen.add(nm)
        print('MISSING marine sr=%d %s %r' % (sr, fc, nm))
    print('== NE region polygons (scalerank <= 2, not continents) not in the table')
    seen_r = set()
    for sr, fc, nm in sorted(ne_region_missing):
        if nm in seen_r:
            continue
        seen_r.add(nm)
        print('MISSING region sr=%d %s %r' % (sr, fc, nm))

    # ---------------------------------------------------------------- demonyms
    dem_path = os.path.join(os.path.dirname(tsv), 'demonyms.tsv')
    dem_rows = None
    dem_errors = []
    if os.path.exists(dem_path):
        iso_codes = {iso for iso, nm, sh in countries if iso and iso != '-99'}
        dem_rows, dem_errors, dem_notes = check_demonyms(dem_path, set(by_id), iso_codes)
        print()
        print('== demonyms: %s (%d rows)' % (dem_path, dem_rows))
        for e in dem_errors:
            print('ERROR demonyms', e)
        for n in dem_notes:
            print('NOTE demonyms', n)

    kinds = {}
    for r in rows:
        kinds[r['kind']] = kinds.get(r['kind'], 0) + 1
    print()
    print('== summary')
    print('rows: %d (%s)' % (len(rows), ', '.join('%s=%d' % kv for kv in sorted(kinds.items()))))
    print('structure errors: %d' % len(errors))
    print('NE-matched rows: %d, ok: %d, near/nested: %d, mismatches: %d, explained: %d' % (
        len(matches), n_ok, n_near, n_mis, n_expl))
    print('land/water/country warnings: %d (explained: %d), bbox notes: %d' % (n_warn, n_warn_expl, len(bbox_notes)))
    print('NE marine features missing (scalerank<=4): %d, NE major regions missing: %d' % (
        len(seen), len(seen_r)))
    if dem_rows is not None:
        print('demonyms: %d rows, errors: %d' % (dem_rows, len(dem_errors)))
    return 0


CONTINENTS = {'AF', 'AS', 'EU', 'NA', 'SA', 'OC', 'AN'}
DEMONYM_KINDS = {'demonym', 'weak', 'historic'}
# ISO 3166-1 alpha-2 codes (plus XK for Kosovo) that are too small for the 50m country layer
SMALL_CODES = {'TV', 'XK', 'GI', 'BQ', 'BV', 'CC', 'CX', 'GP', 'GF', 'MQ', 'RE', 'YT', 'SJ', 'TK', 'UM'}


def check_demonyms(path, phys_ids, iso_codes):
    errors = []
    notes = []
    rows = 0
    seen = {}
    with open(path, encoding='utf-8') as fh:
        lines = fh.read().split('\n')
    if lines and lines[-1] == '':
        lines.pop()
    if not lines or lines[0] != 'demonym\ttarget\tkind':
        errors.append('1: header must be exactly "demonym<TAB>target<TAB>kind"')
    for ln, line in enumerate(lines[1:], 2):
        if not line or line.startswith('#'):
            continue
        cols = line.split('\t')
        if len(cols) != 3:
            errors.append('%d: %d columns (expected 3): %r' % (ln, len(cols), line))
            continue
        rows += 1
        dem, tgt, kind = cols
        if not dem or dem != dem.strip():
            errors.append('%d: empty or padded demonym' % ln)
        if kind not in DEMONYM_KINDS:
            errors.append('%d: %s: kind %r not in %s' % (ln, dem, kind, sorted(DEMONYM_KINDS)))
        if dem in seen:
            errors.append('%d: duplicate demonym %r (line %d)' % (ln, dem, seen[dem]))
        seen[dem] = ln
        if tgt.startswith('ge:'):
            if tgt not in phys_ids:
                errors.append('%d: %s: target %s is not an id in physical.tsv' % (ln, dem, tgt))
        elif tgt in CONTINENTS or (tgt.startswith('continent:') and tgt[10:] in CONTINENTS):
            pass
        elif re.match(r'^[A-Z]{2}$', tgt):
            if iso_codes and tgt not in iso_codes and tgt not in SMALL_CODES:
                notes.append('%d: %s: country code %s not found in the NE country layer' % (ln, dem, tgt))
        else:
            errors.append('%d: %s: bad target %r' % (ln, dem, tgt))
    return rows, errors, notes


def fmtn(x):
    return ('%.4f' % x).rstrip('0').rstrip('.')


if __name__ == '__main__':
    try:
        main(sys.argv)
    except BrokenPipeError:
        pass
    sys.exit(0)
