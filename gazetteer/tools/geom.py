"""Small stdlib-only geometry helpers for the gazetteer build.

Coordinates are (lon, lat) tuples in degrees (EPSG:4326). A polygon is a list
of rings (first ring = exterior, the rest = holes); a ring is a list of points.
"""

import heapq
import math
import struct


# --------------------------------------------------------------------------
# GeoPackage / WKB decoding
# --------------------------------------------------------------------------

def gpkg_to_wkb(blob):
    """Strip the GeoPackage binary header and return the WKB payload."""
    if blob is None or len(blob) < 8 or blob[0:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    flags = blob[3]
    envelope = (flags >> 1) & 0x07
    env_len = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get(envelope)
    if env_len is None:
        raise ValueError("bad GeoPackage envelope code %d" % envelope)
    return blob[8 + env_len:]


def parse_wkb(data):
    """Return a list of polygons from WKB (Polygon / MultiPolygon /
    GeometryCollection); other geometry types are ignored."""
    polys = []
    _read_geom(memoryview(bytes(data)), 0, polys)
    return polys


def _read_geom(buf, off, out):
    order = "<" if buf[off] == 1 else ">"
    (gtype,) = struct.unpack_from(order + "I", buf, off + 1)
    off += 5
    has_z = has_m = False
    if gtype & 0x80000000:
        has_z = True
    if gtype & 0x40000000:
        has_m = True
    gtype &= 0x0FFFFFFF
    if gtype >= 3000:
        has_z = has_m = True
        gtype -= 3000
    elif gtype >= 2000:
        has_m = True
        gtype -= 2000
    elif gtype >= 1000:
        has_z = True
        gtype -= 1000
    dims = 2 + int(has_z) + int(has_m)
    if gtype == 1:
        return off + 8 * dims
    if gtype == 2:
        (n,) = struct.unpack_from(order + "I", buf, off)
        return off + 4 + n * 8 * dims
    if gtype == 3:
        poly, off = _read_polygon(buf, off, order, dims)
        out.append(poly)
        return off
    if gtype in (4, 5, 6, 7):
        (n,) = struct.unpack_from(order + "I", buf, off)
        off += 4
        for _ in range(n):
            off = _read_geom(buf, off, out)
        return off
    raise ValueError("unsupported WKB geometry type %d" % gtype)


def _read_polygon(buf, off, order, dims):
    (nrings,) = struct.unpack_from(order + "I", buf, off)
    off += 4
    rings = []
    fmt = order + "d" * dims
    step = 8 * dims
    for _ in range(nrings):
        (npts,) = struct.unpack_from(order + "I", buf, off)
        off += 4
        ring = []
        for _ in range(npts):
            v = struct.unpack_from(fmt, buf, off)
            ring.append((v[0], v[1]))
            off += step
        rings.append(ring)
    return rings, off


# --------------------------------------------------------------------------
# Measures and predicates
# --------------------------------------------------------------------------

def ring_area(ring):
    """Approximate area of a ring in square degrees scaled by cos(latitude)."""
    a = 0.0
    n = len(ring)
    if n < 3:
        return 0.0
    lat0 = sum(p[1] for p in ring) / n
    k = math.cos(math.radians(lat0))
    for i in range(n - 1):
        x1, y1 = ring[i]
        x2, y2 = ring[i + 1]
        a += x1 * y2 - x2 * y1
    return abs(a) * 0.5 * k


def polygon_area(poly):
    if not poly:
        return 0.0
    return max(0.0, ring_area(poly[0]) - sum(ring_area(r) for r in poly[1:]))


def poly_bbox(poly):
    xs = [p[0] for p in poly[0]]
    ys = [p[1] for p in poly[0]]
    return min(xs), min(ys), max(xs), max(ys)


def point_in_ring(x, y, ring):
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i]
        xj, yj = ring[j]
        if (yi > y) != (yj > y):
            xc = (xj - xi) * (y - yi) / (yj - yi) + xi
            if x < xc:
                inside = not inside
        j = i
    return inside


def point_in_polygon(x, y, poly):
    if not point_in_ring(x, y, poly[0]):
        return False
    for hole in poly[1:]:
        if point_in_ring(x, y, hole):
            return False
    return True


def lon_extent(intervals, snap=179.89):
    """Smallest longitude range covering all [west, east] intervals on the
    circle. Returns (west, east); west > east means the range crosses the
    antimeridian. Interval ends beyond +-snap are treated as touching it."""
    ivs = []
    for w, e in intervals:
        if w <= -snap:
            w = -180.0
        if e >= snap:
            e = 180.0
        ivs.append((w, e))
    if not ivs:
        return None
    ivs.sort()
    # merge overlapping intervals
    merged = [list(ivs[0])]
    for w, e in ivs[1:]:
        if w <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([w, e])
    if len(merged) == 1:
        return merged[0][0], merged[0][1]
    # gaps between consecutive merged intervals, plus the wrap-around gap
    best_gap = (merged[0][0] + 360.0) - merged[-1][1]
    west, east = merged[0][0], merged[-1][1]
    for i in range(len(merged) - 1):
        gap = merged[i + 1][0] - merged[i][1]
        if gap > best_gap:
            best_gap = gap
            west, east = merged[i + 1][0], merged[i][1]
    return west, east


def bbox_of(polys):
    """(west, south, east, north) of a set of polygons, antimeridian aware."""
    ivs = []
    south, north = 90.0, -90.0
    for p in polys:
        x0, y0, x1, y1 = poly_bbox(p)
        ivs.append((x0, x1))
        south = min(south, y0)
        north = max(north, y1)
    w, e = lon_extent(ivs)
    return w, south, e, north


# --------------------------------------------------------------------------
# Representative point: pole of inaccessibility by cell subdivision
# --------------------------------------------------------------------------

def _seg_dist2(px, py, ax, ay, bx, by):
    dx = bx - ax
    dy = by - ay
    if dx != 0.0 or dy != 0.0:
        t = ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)
        if t > 1.0:
            ax, ay = bx, by
        elif t > 0.0:
            ax += dx * t
            ay += dy * t
    dx = px - ax
    dy = py - ay
    return dx * dx + dy * dy


def _decimate(ring, max_pts):
    if len(ring) <= max_pts:
        return ring
    step = int(math.ceil(len(ring) / float(max_pts)))
    out = ring[::step]
    if out[-1] != ring[-1]:
        out.append(ring[-1])
    return out


def _signed_dist(x, y, rings):
    inside = False
    best = float("inf")
    for ring in rings:
        n = len(ring)
        j = n - 1
        for i in range(n):
            ax, ay = ring[i]
            bx, by = ring[j]
            if (ay > y) != (by > y) and x < (bx - ax) * (y - ay) / (by - ay) + ax:
                inside = not inside
            d = _seg_dist2(x, y, ax, ay, bx, by)
            if d < best:
                best = d
            j = i
    d = math.sqrt(best)
    return d if inside else -d


def inner_point(poly, cells=60.0, max_pts=1500):
    """A point well inside the polygon (approximate pole of inaccessibility),
    computed in a locally equal-scaled plane. Returns (lon, lat)."""
    x0, y0, x1, y1 = poly_bbox(poly)
    k = math.cos(math.radians((y0 + y1) / 2.0))
    k = max(k, 0.05)
    total = sum(len(r) for r in poly)
    budget = max(50, int(max_pts * len(poly[0]) / max(total, 1)))
    rings = []
    for idx, r in enumerate(poly):
        b = budget if idx == 0 else max(8, int(max_pts * len(r) / max(total, 1)))
        rings.append([(p[0] * k, p[1]) for p in _decimate(r, b)])
    full = [[(p[0] * k, p[1]) for p in r] for r in poly]
    X0, X1 = x0 * k, x1 * k
    w = X1 - X0
    h = y1 - y0
    size = min(w, h)
    if size <= 0:
        return poly[0][0]
    precision = max(w, h) / 400.0
    half = size / 2.0
    heap = []
    counter = 0

    def push(cx, cy, hh):
        nonlocal counter
        d = _signed_dist(cx, cy, rings)
        mx = d + hh * math.sqrt(2)
        heapq.heappush(heap, (-mx, counter, cx, cy, hh, d))
        counter += 1

    x = X0
    while x < X1:
        y = y0
        while y < y1:
            push(x + half, y + half, half)
            y += size
        x += size
    # initial guess: centroid of the exterior ring vertices
    cx = sum(p[0] for p in rings[0]) / len(rings[0])
    cy = sum(p[1] for p in rings[0]) / len(rings[0])
    best = (_signed_dist(cx, cy, rings), cx, cy)
    while heap:
        negmx, _, cx, cy, hh, d = heapq.heappop(heap)
        if d > best[0]:
            best = (d, cx, cy)
        if -negmx - best[0] <= precision:
            continue
        hh /= 2.0
        push(cx - hh, cy - hh, hh)
        push(cx + hh, cy - hh, hh)
        push(cx - hh, cy + hh, hh)
        push(cx + hh, cy + hh, hh)
    d, bx, by = best
    lon, lat = bx / k, by
    if not point_in_polygon(lon, lat, poly):
        # decimation moved the boundary: fall back to a scanline midpoint
        return scanline_point(poly)
    return lon, lat


def scanline_point(poly):
    """Midpoint of the widest interior run on the horizontal line through the
    middle of the polygon's latitude range (always inside)."""
    x0, y0, x1, y1 = poly_bbox(poly)
    best = None
    for frac in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        y = y0 + (y1 - y0) * frac
        xs = []
        for ring in poly:
            n = len(ring)
            j = n - 1
            for i in range(n):
                ax, ay = ring[i]
                bx, by = ring[j]
                if (ay > y) != (by > y):
                    xs.append((bx - ax) * (y - ay) / (by - ay) + ax)
                j = i
        xs.sort()
        for i in range(0, len(xs) - 1, 2):
            wdt = xs[i + 1] - xs[i]
            if best is None or wdt > best[0]:
                best = (wdt, (xs[i] + xs[i + 1]) / 2.0, y)
        if best:
            return best[1], best[2]
    return poly[0][0]


def ring_centroid(ring):
    """Area centroid of a ring (planar, in degrees); None when degenerate."""
    a = cx = cy = 0.0
    for i in range(len(ring) - 1):
        x1, y1 = ring[i]
        x2, y2 = ring[i + 1]
        f = x1 * y2 - x2 * y1
        a += f
        cx += (x1 + x2) * f
        cy += (y1 + y2) * f
    if abs(a) < 1e-12:
        return None
    return cx / (3.0 * a), cy / (3.0 * a)


def centroid_point(poly):
    """The polygon's area centroid when it lies inside the polygon (gazetteers
    such as GeoNames place areas near their centroid), else a point inside."""
    c = ring_centroid(poly[0])
    if c is not None and point_in_polygon(c[0], c[1], poly):
        return c
    return inner_point(poly)


def simplify_line(pts, tol):
    """Douglas-Peucker simplification of a list of (x, y) in degrees; keeps both ends."""
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    stack = [(0, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        ax, ay = pts[a]
        bx, by = pts[b]
        best, idx = -1.0, -1
        for i in range(a + 1, b):
            d = _seg_dist2(pts[i][0], pts[i][1], ax, ay, bx, by)
            if d > best:
                best, idx = d, i
        if idx >= 0 and best > tol * tol:
            keep[idx] = True
            stack.append((a, idx))
            stack.append((idx, b))
    return [p for p, k in zip(pts, keep) if k]


def simplify_ring(ring, tol):
    """Douglas-Peucker simplification of a closed ring (degrees); keeps it closed."""
    if len(ring) <= 4:
        return ring
    pts = ring[:-1] if ring[0] == ring[-1] else ring
    out = simplify_line(pts, tol)
    out.append(out[0])
    return out
