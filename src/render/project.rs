//! Map projections (Web Mercator, Equal Earth), the view that fits an extent to
//! the image, and the clipping that keeps geometry inside it.
//!
//! Longitudes are always taken relative to the view's central meridian and
//! unwrapped, so an extent across the antimeridian (Fiji to Samoa) is drawn in
//! one piece in the middle of the image, not split at its edges.

use crate::coords::{BBox, LonLat};

/// A map projection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Projection {
    /// Web Mercator (EPSG:3857 on a sphere): conformal, north up, for regional maps.
    WebMercator,
    /// Equal Earth (Šavrič, Patterson and Jenny, 2018): equal-area, for world maps.
    EqualEarth,
}

impl Projection {
    /// Parses `mercator`, `web-mercator`, `equal-earth`.
    pub fn parse(s: &str) -> Option<Projection> {
        match s.to_ascii_lowercase().as_str() {
            "mercator" | "web-mercator" | "webmercator" | "epsg:3857" => {
                Some(Projection::WebMercator)
            }
            "equal-earth" | "equalearth" | "epsg:8857" => Some(Projection::EqualEarth),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Projection::WebMercator => "Web Mercator",
            Projection::EqualEarth => "Equal Earth",
        }
    }

    /// Projects a longitude relative to the central meridian and a latitude
    /// (both degrees) to plane coordinates on the unit sphere, y pointing north.
    pub fn forward(self, rel_lon: f64, lat: f64) -> (f64, f64) {
        let lam = rel_lon.to_radians();
        match self {
            Projection::WebMercator => {
                let phi = lat.clamp(-MERC_MAX_LAT, MERC_MAX_LAT).to_radians();
                (lam, (std::f64::consts::FRAC_PI_4 + phi / 2.0).tan().ln())
            }
            Projection::EqualEarth => {
                const A1: f64 = 1.340264;
                const A2: f64 = -0.081106;
                const A3: f64 = 0.000893;
                const A4: f64 = 0.003796;
                let m = 3f64.sqrt() / 2.0;
                let theta = (m * lat.to_radians().sin()).asin();
                let t2 = theta * theta;
                let t6 = t2 * t2 * t2;
                let denom = 3.0 * (9.0 * A4 * t6 * t2 + 7.0 * A3 * t6 + 3.0 * A2 * t2 + A1);
                let x = 2.0 * 3f64.sqrt() * lam * theta.cos() / denom;
                let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
                (x, y)
            }
        }
    }
}

/// Latitudes beyond this are cut off in Web Mercator.
pub const MERC_MAX_LAT: f64 = 85.0;

/// Wraps a longitude difference into [-180, 180).
pub fn wrap180(d: f64) -> f64 {
    (d + 180.0).rem_euclid(360.0) - 180.0
}

/// The smallest longitude interval covering all `lons`, as (west, width), found
/// from the largest gap between them; crossing 180° is allowed.
pub fn lon_cover(lons: &[f64]) -> (f64, f64) {
    if lons.is_empty() {
        return (-180.0, 360.0);
    }
    let mut v: Vec<f64> = lons.iter().map(|l| wrap180(*l)).collect();
    v.sort_by(f64::total_cmp);
    let mut best_gap = v[0] + 360.0 - v[v.len() - 1];
    let mut west = v[0];
    for w in v.windows(2) {
        if w[1] - w[0] > best_gap {
            best_gap = w[1] - w[0];
            west = w[1];
        }
    }
    (west, 360.0 - best_gap)
}

/// A projection fitted to an image: degrees in, pixels out.
#[derive(Clone, Debug)]
pub struct View {
    pub proj: Projection,
    /// Central meridian, degrees.
    pub lon0: f64,
    x0: f64,
    y1: f64,
    /// Pixels per unit of the projection plane.
    pub scale: f64,
    pub width: f64,
    pub height: f64,
    /// Longitudes (relative to `lon0`) and latitudes visible, degrees.
    pub rel_lon: (f64, f64),
    pub lat: (f64, f64),
    /// The whole world is shown (Equal Earth outline drawn).
    pub world: bool,
}

impl View {
    /// Fits `extent` (west may exceed east across 180°) into a `w`×`h` image.
    pub fn fit(proj: Projection, extent: BBox, world: bool, w: u32, h: u32) -> View {
        let width = if extent.west <= extent.east {
            extent.east - extent.west
        } else {
            extent.east + 360.0 - extent.west
        };
        let width = width.clamp(0.01, 360.0);
        let lon0 = if world && width >= 359.0 {
            extent.west + 180.0
        } else {
            extent.west + width / 2.0
        };
        let lon0 = wrap180(lon0);
        let half = width / 2.0;
        let (s, n) = (extent.south, extent.north);
        // Project the extent's outline to find its plane bounds.
        let (mut xmin, mut xmax, mut ymin, mut ymax) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for i in 0..=32 {
            let t = i as f64 / 32.0;
            for (rl, lat) in [
                (-half + width * t, s),
                (-half + width * t, n),
                (-half, s + (n - s) * t),
                (half, s + (n - s) * t),
                (-half + width * t, s + (n - s) * 0.5),
            ] {
                let (x, y) = proj.forward(rl, lat);
                xmin = xmin.min(x);
                xmax = xmax.max(x);
                ymin = ymin.min(y);
                ymax = ymax.max(y);
            }
        }
        let aspect = w as f64 / h as f64;
        let (pw, ph) = (xmax - xmin, (ymax - ymin).max(1e-9));
        let (cx, cy) = ((xmin + xmax) / 2.0, (ymin + ymax) / 2.0);
        let (pw, ph) = if pw / ph < aspect {
            (ph * aspect, ph)
        } else {
            (pw, pw / aspect)
        };
        let scale = w as f64 / pw;
        let mut v = View {
            proj,
            lon0,
            x0: cx - pw / 2.0,
            y1: cy + ph / 2.0,
            scale,
            width: w as f64,
            height: h as f64,
            rel_lon: (-180.0, 180.0),
            lat: (-90.0, 90.0),
            world,
        };
        if proj == Projection::WebMercator {
            let lon_a = (v.x0).to_degrees();
            let lon_b = (v.x0 + pw).to_degrees();
            let lat_of = |y: f64| y.sinh().atan().to_degrees();
            v.rel_lon = (lon_a.max(-540.0), lon_b.min(540.0));
            v.lat = (lat_of(v.y1 - ph), lat_of(v.y1));
        } else if !world {
            // Conservative bounds from the extent, widened by the aspect fit.
            let grow_x = pw / (xmax - xmin).max(1e-9);
            let grow_y = ph / (ymax - ymin).max(1e-9);
            let hw = (half * grow_x * 1.3 + 5.0).min(180.0);
            let c = (s + n) / 2.0;
            let hh = (n - s) / 2.0 * grow_y * 1.3 + 5.0;
            v.rel_lon = (-hw, hw);
            v.lat = ((c - hh).max(-90.0), (c + hh).min(90.0));
        }
        v
    }

    /// Pixel position of a longitude relative to `lon0` (not wrapped) and a latitude.
    pub fn px_rel(&self, rel_lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = self.proj.forward(rel_lon, lat);
        ((x - self.x0) * self.scale, (self.y1 - y) * self.scale)
    }

    /// Pixel position of a point, taking the nearest copy of its longitude.
    pub fn px(&self, p: LonLat) -> (f64, f64) {
        self.px_rel(wrap180(p.lon - self.lon0), p.lat)
    }

    /// Longitude of the view's centre, degrees in [-180, 180).
    pub fn centre(&self) -> LonLat {
        LonLat::new(
            wrap180(self.lon0 + (self.rel_lon.0 + self.rel_lon.1) / 2.0),
            (self.lat.0 + self.lat.1) / 2.0,
        )
    }

    /// Degrees of longitude across the image (approximate for Equal Earth).
    pub fn lon_span(&self) -> f64 {
        self.rel_lon.1 - self.rel_lon.0
    }

    /// Kilometres per pixel along the parallel through the view centre.
    pub fn km_per_px(&self) -> f64 {
        let c = self.centre();
        let rel = wrap180(c.lon - self.lon0);
        let a = self.px_rel(rel - 0.05, c.lat);
        let b = self.px_rel(rel + 0.05, c.lat);
        let d_px = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let d_km = LonLat::new(c.lon - 0.05, c.lat).distance_km(LonLat::new(c.lon + 0.05, c.lat));
        d_km / d_px.max(1e-9)
    }

    /// Angle (degrees, clockwise) between "up" and north at the view centre.
    pub fn north_tilt(&self) -> f64 {
        let c = self.centre();
        let rel = wrap180(c.lon - self.lon0);
        let a = self.px_rel(rel, c.lat);
        let b = self.px_rel(rel, (c.lat + 0.5).min(89.9));
        (b.0 - a.0).atan2(a.1 - b.1).to_degrees()
    }

    /// Splits a ring or line into pieces in relative longitude (unwrapped and cut at
    /// `lon0 ± 180°`) that may be visible; `closed` clips as a polygon ring.
    pub fn pieces(&self, pts: &[LonLat], closed: bool) -> Vec<Vec<(f64, f64)>> {
        if pts.len() < 2 {
            return Vec::new();
        }
        let mut un = Vec::with_capacity(pts.len());
        let mut prev = wrap180(pts[0].lon - self.lon0);
        un.push((prev, pts[0].lat));
        for p in &pts[1..] {
            let mut r = wrap180(p.lon - self.lon0);
            while r - prev > 180.0 {
                r -= 360.0;
            }
            while prev - r > 180.0 {
                r += 360.0;
            }
            un.push((r, p.lat));
            prev = r;
        }
        let (mut lo, mut hi, mut la, mut lb) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(x, y) in &un {
            lo = lo.min(x);
            hi = hi.max(x);
            la = la.min(y);
            lb = lb.max(y);
        }
        if lb < self.lat.0 || la > self.lat.1 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for k in [-360.0, 0.0, 360.0] {
            let (a, b) = (lo + k, hi + k);
            if b < self.rel_lon.0.max(-180.0) || a > self.rel_lon.1.min(180.0) {
                continue;
            }
            let shifted: Vec<(f64, f64)> = un.iter().map(|&(x, y)| (x + k, y)).collect();
            if a >= -180.0 && b <= 180.0 {
                out.push(shifted);
            } else if closed {
                let c = clip_poly(&shifted, -180.0, 180.0, -90.0, 90.0);
                if c.len() >= 3 {
                    out.push(c);
                }
            } else {
                out.extend(clip_line(&shifted, -180.0, 180.0, -90.0, 90.0));
            }
        }
        out
    }

    /// Projects pieces to pixels and clips them to the image (plus a margin).
    pub fn to_pixels(&self, piece: &[(f64, f64)], closed: bool) -> Vec<Vec<(f64, f64)>> {
        let px: Vec<(f64, f64)> = piece.iter().map(|&(x, y)| self.px_rel(x, y)).collect();
        let m = 8.0;
        let (x0, x1, y0, y1) = (-m, self.width + m, -m, self.height + m);
        if closed {
            let c = clip_poly(&px, x0, x1, y0, y1);
            if c.len() >= 3 {
                vec![c]
            } else {
                vec![]
            }
        } else {
            clip_line(&px, x0, x1, y0, y1)
        }
    }
}

/// Sutherland–Hodgman clip of a polygon ring to a rectangle.
pub fn clip_poly(pts: &[(f64, f64)], x0: f64, x1: f64, y0: f64, y1: f64) -> Vec<(f64, f64)> {
    let (mut a, mut bx, mut by) = (f64::MAX, f64::MIN, f64::MAX);
    let mut ay = f64::MIN;
    for &(x, y) in pts {
        a = a.min(x);
        bx = bx.max(x);
        by = by.min(y);
        ay = ay.max(y);
    }
    if bx < x0 || a > x1 || ay < y0 || by > y1 {
        return Vec::new();
    }
    if a >= x0 && bx <= x1 && by >= y0 && ay <= y1 {
        return pts.to_vec();
    }
    let mut cur: Vec<(f64, f64)> = pts.to_vec();
    type Edge = (
        fn(&(f64, f64), f64) -> bool,
        fn(&(f64, f64), &(f64, f64), f64) -> (f64, f64),
    );
    let at_x = |p: &(f64, f64), q: &(f64, f64), v: f64| {
        let t = (v - p.0) / (q.0 - p.0);
        (v, p.1 + t * (q.1 - p.1))
    };
    let at_y = |p: &(f64, f64), q: &(f64, f64), v: f64| {
        let t = (v - p.1) / (q.1 - p.1);
        (p.0 + t * (q.0 - p.0), v)
    };
    let edges: [(Edge, f64); 4] = [
        ((|p, v| p.0 >= v, at_x), x0),
        ((|p, v| p.0 <= v, at_x), x1),
        ((|p, v| p.1 >= v, at_y), y0),
        ((|p, v| p.1 <= v, at_y), y1),
    ];
    for ((inside, cross), v) in edges {
        if cur.is_empty() {
            break;
        }
        let mut next = Vec::with_capacity(cur.len() + 4);
        let n = cur.len();
        for i in 0..n {
            let p = cur[(i + n - 1) % n];
            let q = cur[i];
            match (inside(&p, v), inside(&q, v)) {
                (true, true) => next.push(q),
                (true, false) => next.push(cross(&p, &q, v)),
                (false, true) => {
                    next.push(cross(&p, &q, v));
                    next.push(q);
                }
                (false, false) => {}
            }
        }
        cur = next;
    }
    cur
}

/// Clips a polyline to a rectangle, returning the visible runs.
pub fn clip_line(pts: &[(f64, f64)], x0: f64, x1: f64, y0: f64, y1: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for w in pts.windows(2) {
        match clip_segment(w[0], w[1], x0, x1, y0, y1) {
            Some((a, b)) => {
                if run.last() != Some(&a) {
                    if run.len() >= 2 {
                        out.push(std::mem::take(&mut run));
                    }
                    run.clear();
                    run.push(a);
                }
                run.push(b);
            }
            None => {
                if run.len() >= 2 {
                    out.push(std::mem::take(&mut run));
                }
                run.clear();
            }
        }
    }
    if run.len() >= 2 {
        out.push(run);
    }
    out
}

/// Liang–Barsky clipping of one segment.
fn clip_segment(
    p: (f64, f64),
    q: (f64, f64),
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (pk, qk) in [
        (-dx, p.0 - x0),
        (dx, x1 - p.0),
        (-dy, p.1 - y0),
        (dy, y1 - p.1),
    ] {
        if pk == 0.0 {
            if qk < 0.0 {
                return None;
            }
        } else {
            let r = qk / pk;
            if pk < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
            if t0 > t1 {
                return None;
            }
        }
    }
    let a = if t0 > 0.0 {
        (p.0 + t0 * dx, p.1 + t0 * dy)
    } else {
        p
    };
    let b = if t1 < 1.0 {
        (p.0 + t1 * dx, p.1 + t1 * dy)
    } else {
        q
    };
    Some((a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_earth_known_values() {
        // The projection's x extent at the equator is 2.7066 R at ±180°, its y at the pole 1.3173 R.
        let (x, _) = Projection::EqualEarth.forward(180.0, 0.0);
        assert!((x - 2.7066).abs() < 1e-3, "{x}");
        let (_, y) = Projection::EqualEarth.forward(0.0, 90.0);
        assert!((y - 1.3173).abs() < 1e-3, "{y}");
    }

    #[test]
    fn lon_cover_crosses_the_antimeridian() {
        let (w, span) = lon_cover(&[178.4, -171.8, -172.5]);
        assert!((w - 178.4).abs() < 1e-9);
        assert!((span - 9.8).abs() < 1e-6, "{span}");
        let (w, span) = lon_cover(&[10.0, 20.0]);
        assert_eq!((w, span), (10.0, 10.0));
    }

    #[test]
    fn fiji_samoa_is_centred_not_split() {
        let ext = BBox {
            west: 176.0,
            south: -20.0,
            east: -170.0,
            north: -12.0,
        };
        let v = View::fit(Projection::WebMercator, ext, false, 1000, 700);
        let (fx, _) = v.px(LonLat::new(178.4, -17.7));
        let (sx, _) = v.px(LonLat::new(-171.8, -13.8));
        assert!(fx > 0.0 && fx < sx && sx < 1000.0, "{fx} {sx}");
        assert!(v.lon_span() < 40.0);
    }

    #[test]
    fn clipping() {
        let sq = [(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)];
        let c = clip_poly(&sq, 0.0, 5.0, 0.0, 5.0);
        assert_eq!(c.len(), 4);
        let l = clip_line(&[(-5.0, 1.0), (15.0, 1.0)], 0.0, 10.0, 0.0, 10.0);
        assert_eq!(l, vec![vec![(0.0, 1.0), (10.0, 1.0)]]);
    }
}
