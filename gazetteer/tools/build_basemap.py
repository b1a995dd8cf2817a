#!/usr/bin/env python3
"""Build the extra basemap layers the renderer embeds: Natural Earth land at
1:10m (simplified) and first-order (state/province) borders.

Inputs are the same registry packages `build.sh` already downloads:
  --world-atlas DIR   npm world-atlas (TopoJSON land-10m.json)
  --world-map GPKG    Debian qgis-common world_map.gpkg (states_provinces)
Outputs, under --out (gazetteer/basemap/):
  land-10m.geojson    land polygons, Douglas-Peucker simplified, 3 decimals
  admin1-10m.geojson  borders shared by two first-order divisions, as lines

Lakes: none of the registry packages we use ships Natural Earth lakes, so the
basemap has none (large lakes that are holes in the land layer still show).

TopoJSON and GeoPackage decoding come from build_gazetteer.py and geom.py.
"""

import argparse
import collections
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import geom  # noqa: E402
from build_gazetteer import (  # noqa: E402
    decode_arcs, find_file, geometries, load_world_map, ring_raw, round_ring,
    split_antimeridian)


def simplify(pts, tol):
    """Douglas-Peucker on a list of (x, y); lines of four points or fewer stay as they are."""
    return list(pts) if len(pts) <= 4 else geom.simplify_line(pts, tol)


def simplify_ring(ring, tol):
    if len(ring) < 8:
        return ring
    # Split the closed ring at its farthest-apart pair so both halves simplify well.
    half = len(ring) // 2
    out = simplify(ring[:half + 1], tol)[:-1] + simplify(ring[half:], tol)
    return out if len(out) >= 4 else ring


def land_10m(atlas_dir, tol, nd):
    topo = json.load(open(find_file(atlas_dir, ["package/land-10m.json", "land-10m.json"]),
                          encoding="utf-8"))
    arcs = decode_arcs(topo)
    polys = []
    for g in geometries(topo["objects"]["land"]):
        plist = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]] if g["type"] == "Polygon" else []
        for p in plist:
            for piece in split_antimeridian([ring_raw(arcs, r) for r in p]):
                rings = [round_ring(simplify_ring(list(r), tol), nd) for r in piece]
                rings = [r for r in rings if len(r) >= 4]
                if rings and geom.ring_area(rings[0]) != 0:
                    polys.append(rings)
    feat = {"type": "Feature", "properties": {"name": "land", "scale": "10m"},
            "geometry": {"type": "MultiPolygon", "coordinates": polys}}
    return {"type": "FeatureCollection", "features": [feat]}


def admin1_borders(states, tol, nd):
    """Edges used by two different divisions of the same country: the inner borders."""
    scale = 10 ** nd
    seg_users = collections.defaultdict(set)
    for s in states:
        for poly in s["polys"]:
            for ring in poly:
                q = [(round(x * scale), round(y * scale)) for x, y in ring]
                for a, b in zip(q, q[1:]):
                    if a != b:
                        seg_users[(min(a, b), max(a, b))].add((s["adm0"], s["fid"]))
    shared = set()
    for seg, users in seg_users.items():
        if len({u[1] for u in users}) >= 2 and len({u[0] for u in users}) == 1:
            shared.add(seg)
    # Chain the shared segments into lines.
    nbr = collections.defaultdict(list)
    for a, b in sorted(shared):
        nbr[a].append(b)
        nbr[b].append(a)
    used = set()
    lines = []

    def walk(start, nxt):
        line = [start]
        prev, cur = start, nxt
        while True:
            used.add((min(prev, cur), max(prev, cur)))
            line.append(cur)
            if len(nbr[cur]) != 2:
                break
            cand = [n for n in nbr[cur] if (min(cur, n), max(cur, n)) not in used]
            if not cand:
                break
            prev, cur = cur, cand[0]
        return line

    for node in sorted(nbr):
        if len(nbr[node]) != 2:
            for n in sorted(nbr[node]):
                if (min(node, n), max(node, n)) not in used:
                    lines.append(walk(node, n))
    for a, b in sorted(shared):
        if (a, b) not in used:
            lines.append(walk(a, b))
    out = []
    for l in lines:
        pts = simplify([(x / scale, y / scale) for x, y in l], tol)
        pts = [[round(x, nd), round(y, nd)] for x, y in pts]
        if len(pts) >= 2:
            out.append(pts)
    feat = {"type": "Feature", "properties": {"name": "admin1 borders"},
            "geometry": {"type": "MultiLineString", "coordinates": out}}
    return {"type": "FeatureCollection", "features": [feat]}


def write(path, obj):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(obj, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--world-atlas", required=True)
    ap.add_argument("--world-map", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--tolerance", type=float, default=0.006,
                    help="Douglas-Peucker tolerance in degrees for the 10m layers")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    write(os.path.join(a.out, "land-10m.geojson"), land_10m(a.world_atlas, a.tolerance, 3))
    _, states = load_world_map(a.world_map)
    write(os.path.join(a.out, "admin1-10m.geojson"), admin1_borders(states, a.tolerance, 3))


if __name__ == "__main__":
    main()
