//! Cross-checks the embedded gazetteer against Natural Earth, an independent source.
//!
//! Each Natural Earth (NE) feature is matched to our entries by name with the
//! gazetteer's own `lookup()`, restricted to entries of a compatible kind (and
//! country, where NE gives one). A matched pair passes when our point lies
//! - inside the NE polygon (its outline, holes ignored), or
//! - within 50 km of the NE polygon's outline or of the NE point, or
//! - by box: for areas NE knows only by a point (admin-1 label points, region
//!   points), the NE point inside our bbox; for NE polygons, our point inside the box
//!   around all NE parts, or some NE vertex inside our bbox (with our point inside
//!   it). The 10m region and marine polygons are often only slivers of the feature
//!   (the HIMALAYAS are six scraps in Ladakh and Sikkim), hence this last rule.
//!   Cities are points on both sides and only the 50 km rule applies.
//!
//! Any failing pair fails the test, unless `ALLOWED` explains it. NE features we
//! lack are reported, never failed. `NE_VERBOSE=1` also lists the pairs that passed
//! only by box. Needs `../shared/data/naturalearth`; skips with a note when absent.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;

use geo::{BoundingRect, Contains, Coord, LineString, Point, Polygon, Rect};
use geoevents::coords::{BBox, LonLat};
use geoevents::gazetteer::normalize::name_key;
use geoevents::gazetteer::{Gazetteer, Place, PlaceId, PlaceKind};
use serde_json::Value;

use common::{km, read_json, shared};

const NE_DIR: &str = "data/naturalearth";
const TOL_KM: f64 = 50.0;

/// Matched pairs that fail the check for a genuine difference of definition or an
/// NE slip, not an error of ours: (our id, NE name as written in NE, reason).
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "ge:luzon-strait",
        "Luzon Strait",
        "NE has a sliver off Taiwan's south cape (22.05N)",
    ),
    (
        "ge:korea-strait",
        "Korea Strait",
        "NE's polygon lies off Ulsan (35.8N), north of the strait",
    ),
    (
        "ge:tatra-mountains",
        "Tatra Mts.",
        "NE's polygon lies by Krakow (50N); the Tatras are at 49.2N",
    ),
    (
        "ge:channel-islands",
        "Channel Islands",
        "namesakes: NE has California's, ours are Jersey and Guernsey",
    ),
    (
        "ge:kyzylkum-desert",
        "QIZILQUM DESERT",
        "NE's polygon lies north of the Aral Sea (46-47N)",
    ),
    (
        "ne:5561",
        "Đồng Tháp",
        "NE 4.0's label lies in Can Tho; our point (near Cao Lanh) is in Dong Thap",
    ),
    (
        "ne:6719",
        "Mbarara",
        "NE 4.0 labels Kiruhura (split off in 2005) as Mbarara",
    ),
    (
        "gn:12358476",
        "Hechi",
        "NE's point (23.10N 109.61E) is near Guigang; Hechi is at 24.69N 108.08E",
    ),
    (
        "gn:1801455",
        "Zhijiang",
        "namesakes: NE's is the county in Hunan, ours the city in Hubei",
    ),
    (
        "gn:1807467",
        "Huanghua",
        "namesakes: NE's is in Hebei (gn:1807469, not in our table), ours in Shandong",
    ),
];

/// NE alpha-3 codes that are not ISO codes, and the country our table files them under.
const NE_ADM0: &[(&str, &str)] = &[("KOS", "XK"), ("SOL", "SO")];

/// How a layer's features may be matched and checked.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Water bodies: our H.* entries.
    Marine,
    /// Land regions, islands, ranges: our T.* and L.RGN entries (and L.CONT for NE continents).
    Region,
    /// First-order divisions: our A.ADM1 entries in the same country.
    Admin1,
    /// Cities: our nearest P.PPL/P.PPLC of the same name in the same country.
    Populated,
}

/// One NE feature, or several NE features that share a name (and region code).
struct NeFeature {
    /// The NE name as written, for reports.
    name: String,
    /// Names to look up: `name` and its alternates.
    names: Vec<String>,
    /// NE feature class, lower case.
    class: String,
    /// ISO alpha-2 country, for admin-1 and populated places.
    country: Option<String>,
    /// Sort key for the "we lack" sample: scalerank, or minus the population.
    sort: f64,
    polys: Vec<(Rect<f64>, Polygon<f64>)>,
    /// (lon, lat)
    points: Vec<(f64, f64)>,
    /// Populated places: `pop_max`, `pop_min` and the GeoNames id NE gives.
    pop: u64,
    pop_min: u64,
    geonameid: Option<u64>,
}

/// How a matched pair passed.
#[derive(Clone, Copy, PartialEq)]
enum Pass {
    /// Our point lies inside the NE polygon.
    Inside,
    /// Within 50 km of the NE polygon's outline or of the NE point.
    Near,
    /// Boxes: the NE point inside our bbox (areas NE knows by a point), or our point
    /// inside the box around all parts of an NE polygon feature (NE polygons are
    /// sometimes only slivers of the feature: the 10m HIMALAYAS are six scraps in
    /// Ladakh and Sikkim, the Strait of Gibraltar five coastal strips).
    InBox,
}

impl NeFeature {
    fn contains(&self, lon: f64, lat: f64) -> bool {
        let p = Point::new(lon, lat);
        let c = Coord { x: lon, y: lat };
        self.polys.iter().any(|(r, poly)| {
            c.x >= r.min().x
                && c.x <= r.max().x
                && c.y >= r.min().y
                && c.y <= r.max().y
                && poly.contains(&p)
        })
    }

    fn nearest_point_km(&self, lon: f64, lat: f64) -> f64 {
        self.points
            .iter()
            .map(|&(x, y)| km(lat, lon, y, x))
            .fold(f64::INFINITY, f64::min)
    }

    /// Distance to the nearest NE point or polygon outline (0 inside a polygon).
    fn distance_km(&self, lon: f64, lat: f64) -> f64 {
        if self.contains(lon, lat) {
            return 0.0;
        }
        let mut d = self.nearest_point_km(lon, lat);
        for (_, poly) in &self.polys {
            for seg in poly.exterior().lines() {
                d = d.min(segment_km(lon, lat, seg.start, seg.end));
            }
        }
        d
    }

    /// The box around all polygon parts; across the antimeridian when that is narrower.
    fn bbox(&self) -> Option<BBox> {
        let (mut south, mut north) = (f64::INFINITY, f64::NEG_INFINITY);
        // Longitude extents in -180..180 and in 0..360.
        let (mut w1, mut e1, mut w2, mut e2) = (
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
        );
        for (r, _) in &self.polys {
            south = south.min(r.min().y);
            north = north.max(r.max().y);
            for x in [r.min().x, r.max().x] {
                let x360 = if x < 0.0 { x + 360.0 } else { x };
                w1 = w1.min(x);
                e1 = e1.max(x);
                w2 = w2.min(x360);
                e2 = e2.max(x360);
            }
        }
        if self.polys.is_empty() {
            return None;
        }
        let wrap = |x: f64| if x > 180.0 { x - 360.0 } else { x };
        let (west, east) = if e2 - w2 < e1 - w1 {
            (wrap(w2), wrap(e2))
        } else {
            (w1, e1)
        };
        Some(BBox {
            west,
            south,
            east,
            north,
        })
    }
}

/// Distance from a point to a segment, on a local equirectangular projection (km).
fn segment_km(lon: f64, lat: f64, a: Coord<f64>, b: Coord<f64>) -> f64 {
    const KM_PER_DEG: f64 = 111.195;
    let kx = lat.to_radians().cos() * KM_PER_DEG;
    let dx = |x: f64| {
        let mut d = x - lon;
        if d > 180.0 {
            d -= 360.0;
        } else if d < -180.0 {
            d += 360.0;
        }
        d * kx
    };
    let (ax, ay) = (dx(a.x), (a.y - lat) * KM_PER_DEG);
    let (bx, by) = (dx(b.x), (b.y - lat) * KM_PER_DEG);
    let (vx, vy) = (bx - ax, by - ay);
    let len2 = vx * vx + vy * vy;
    let t = if len2 > 0.0 {
        (-(ax * vx + ay * vy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (px, py) = (ax + t * vx, ay + t * vy);
    (px * px + py * py).sqrt()
}

fn ring(v: &Value) -> LineString<f64> {
    v.as_array()
        .map(|pts| {
            pts.iter()
                .filter_map(|c| {
                    Some(Coord {
                        x: c.get(0)?.as_f64()?,
                        y: c.get(1)?.as_f64()?,
                    })
                })
                .collect()
        })
        .unwrap_or_else(|| LineString::new(vec![]))
}

/// The filled outline of a GeoJSON polygon.
fn polygon(v: &Value) -> Option<Polygon<f64>> {
    let rings = v.as_array()?;
    let ext = ring(rings.first()?);
    // Holes are dropped: NE region polygons are cut out where a nested feature has its
    // own polygon (the Himalayas out of Asia), and islands are cut out of seas.
    Some(Polygon::new(ext, vec![]))
}

fn polygons(geom: &Value) -> Vec<(Rect<f64>, Polygon<f64>)> {
    let polys: Vec<Polygon<f64>> = match geom["type"].as_str() {
        Some("Polygon") => polygon(&geom["coordinates"]).into_iter().collect(),
        Some("MultiPolygon") => geom["coordinates"]
            .as_array()
            .map(|a| a.iter().filter_map(polygon).collect())
            .unwrap_or_default(),
        _ => vec![],
    };
    polys
        .into_iter()
        .filter_map(|p| Some((p.bounding_rect()?, p)))
        .collect()
}

fn points(geom: &Value) -> Vec<(f64, f64)> {
    let one = |c: &Value| Some((c.get(0)?.as_f64()?, c.get(1)?.as_f64()?));
    match geom["type"].as_str() {
        Some("Point") => one(&geom["coordinates"]).into_iter().collect(),
        Some("MultiPoint") => geom["coordinates"]
            .as_array()
            .map(|a| a.iter().filter_map(one).collect())
            .unwrap_or_default(),
        _ => vec![],
    }
}

fn text(props: &Value, key: &str) -> Option<String> {
    props
        .get(key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn alternates(props: &Value, key: &str) -> Vec<String> {
    text(props, key)
        .map(|s| {
            s.split('|')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

fn features(path: &Path) -> Vec<Value> {
    match read_json(path)["features"].take() {
        Value::Array(a) => a,
        _ => panic!("{}: no features", path.display()),
    }
}

/// Merges features that share a name key (and country), keeping the lowest sort key.
fn group(items: Vec<NeFeature>) -> Vec<NeFeature> {
    let mut out: Vec<NeFeature> = Vec::new();
    let mut at: HashMap<(String, Option<String>), usize> = HashMap::new();
    for f in items {
        let k = (name_key(&f.name), f.country.clone());
        match at.get(&k) {
            Some(&i) => {
                let g = &mut out[i];
                g.polys.extend(f.polys);
                g.points.extend(f.points);
                g.sort = g.sort.min(f.sort);
                g.pop = g.pop.max(f.pop);
                for n in f.names {
                    if !g.names.contains(&n) {
                        g.names.push(n);
                    }
                }
            }
            None => {
                at.insert(k, out.len());
                out.push(f);
            }
        }
    }
    out
}

/// NE abbreviations in physical names ("CAUCASUS MTS.", "BALKAN PEN.", "Bransfield Str.").
const NE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("mts", "mountains"),
    ("ra", "range"),
    ("pen", "peninsula"),
    ("str", "strait"),
    ("sd", "sound"),
    ("i", "island"),
    ("is", "islands"),
];

/// The name with NE's abbreviations written out, if it has any.
fn expanded(name: &str) -> Option<String> {
    let toks: Vec<String> = name_key(name).split(' ').map(str::to_string).collect();
    let out: Vec<String> = toks
        .iter()
        .map(|t| {
            NE_ABBREVIATIONS
                .iter()
                .find(|(a, _)| a == t)
                .map(|(_, full)| full.to_string())
                .unwrap_or_else(|| t.clone())
        })
        .collect();
    (out != toks).then(|| out.join(" "))
}

/// NE features of a physical layer (marine or regions): name, namealt/name_alt, featurecla.
fn physical_layer(path: &Path) -> Vec<NeFeature> {
    let items = features(path)
        .into_iter()
        .filter_map(|f| {
            let p = &f["properties"];
            let name = text(p, "name")?;
            let mut names = vec![name.clone()];
            names.extend(alternates(p, "namealt"));
            names.extend(alternates(p, "name_alt"));
            let full: Vec<String> = names.iter().filter_map(|n| expanded(n)).collect();
            names.extend(full);
            Some(NeFeature {
                name,
                names,
                class: text(p, "featurecla").unwrap_or_default().to_lowercase(),
                country: None,
                sort: p["scalerank"].as_f64().unwrap_or(99.0),
                polys: polygons(&f["geometry"]),
                points: points(&f["geometry"]),
                pop: 0,
                pop_min: 0,
                geonameid: None,
            })
        })
        .collect();
    group(items)
}

/// ISO alpha-2 for an NE feature: its `iso_a2`, else its alpha-3 code through our countries.
fn iso2_of(p: &Value, a3_keys: &[&str], ours: &Iso) -> Option<String> {
    if let Some(a2) = text(p, "iso_a2").filter(|s| s.len() == 2 && ours.iso2.contains(s)) {
        return Some(a2);
    }
    a3_keys.iter().filter_map(|k| text(p, k)).find_map(|a3| {
        ours.by_iso3.get(&a3).cloned().or_else(|| {
            NE_ADM0
                .iter()
                .find(|(ne, _)| *ne == a3)
                .map(|(_, iso2)| iso2.to_string())
        })
    })
}

struct Iso {
    iso2: HashSet<String>,
    by_iso3: HashMap<String, String>,
}

fn admin1_layer(path: &Path, iso: &Iso) -> Vec<NeFeature> {
    // Several label points may share one region, and NE 4.0 and 4.1 split some regions
    // differently: group the points by country and name.
    let items = features(path)
        .into_iter()
        .filter_map(|f| {
            let p = &f["properties"];
            let name = text(p, "name")?;
            Some(NeFeature {
                names: vec![name.clone()],
                name,
                class: text(p, "featurecla").unwrap_or_default().to_lowercase(),
                country: iso2_of(p, &["sr_adm0_a3", "sr_sov_a3"], iso),
                sort: p["scalerank"].as_f64().unwrap_or(99.0),
                polys: vec![],
                points: points(&f["geometry"]),
                pop: 0,
                pop_min: 0,
                geonameid: None,
            })
        })
        .collect();
    group(items)
}

fn populated_layer(path: &Path, iso: &Iso) -> Vec<NeFeature> {
    features(path)
        .into_iter()
        .filter_map(|f| {
            let p = &f["properties"];
            let pop = p["pop_max"].as_f64().unwrap_or(0.0).max(0.0) as u64;
            if pop < 100_000 {
                return None;
            }
            let name = text(p, "name")?;
            let mut names = vec![name.clone()];
            for n in text(p, "nameascii")
                .into_iter()
                .chain(alternates(p, "namealt"))
            {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
            Some(NeFeature {
                name,
                names,
                class: text(p, "featurecla").unwrap_or_default().to_lowercase(),
                country: iso2_of(p, &["adm0_a3", "sov_a3"], iso),
                sort: -(pop as f64),
                polys: vec![],
                points: points(&f["geometry"]),
                pop,
                pop_min: p["pop_min"].as_f64().unwrap_or(0.0).max(0.0) as u64,
                geonameid: p["geonameid"]
                    .as_f64()
                    .filter(|&id| id > 0.0)
                    .map(|id| id as u64),
            })
        })
        .collect()
}

/// Our entries that may be this NE feature.
fn candidates(g: &Gazetteer, mode: Mode, f: &NeFeature) -> Vec<PlaceId> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for n in &f.names {
        for e in g.lookup(n) {
            let p = g.place(e.place);
            let same_country = f.country.is_some() && p.country == f.country.as_deref();
            let ok = match mode {
                // NE's marine "river" features are estuaries, and lakes are not in the
                // layer: our river and lake points are checked by check_physical.py.
                Mode::Marine => {
                    p.kind.is_water() && !matches!(p.kind, PlaceKind::River | PlaceKind::Lake)
                }
                Mode::Region => {
                    p.kind.code().starts_with("T.")
                        || p.kind == PlaceKind::Region
                        || (p.kind == PlaceKind::Continent && f.class == "continent")
                }
                Mode::Admin1 => p.kind == PlaceKind::Admin1 && same_country,
                Mode::Populated => p.kind.is_settlement() && same_country,
            };
            if ok && seen.insert(e.place) {
                out.push(e.place);
            }
        }
    }
    out
}

/// The check of one matched pair.
fn passes(mode: Mode, f: &NeFeature, p: &Place) -> Option<Pass> {
    let (lon, lat) = (p.point.lon, p.point.lat);
    if f.contains(lon, lat) {
        return Some(Pass::Inside);
    }
    let tol = if f.polys.is_empty() {
        f.nearest_point_km(lon, lat)
    } else {
        f.distance_km(lon, lat)
    };
    if tol <= TOL_KM {
        return Some(Pass::Near);
    }
    match mode {
        // Cities are points on both sides: the distance is the whole check.
        Mode::Populated => None,
        _ if f.polys.is_empty() => p
            .bbox
            .is_some_and(|b| f.points.iter().any(|&(x, y)| b.contains(LonLat::new(x, y))))
            .then_some(Pass::InBox),
        // Polygons: our point inside the box around all NE parts, or (our point being
        // inside our own box) some NE outline vertex inside our box.
        _ => {
            let in_ne_box = f.bbox().is_some_and(|b| b.contains(p.point));
            let overlap = p.bbox.is_some_and(|b| {
                b.contains(p.point)
                    && f.polys.iter().any(|(_, poly)| {
                        poly.exterior()
                            .coords()
                            .any(|c| b.contains(LonLat::new(c.x, c.y)))
                    })
            });
            (in_ne_box || overlap).then_some(Pass::InBox)
        }
    }
}

struct Report {
    summary: String,
    failures: Vec<String>,
}

fn check_layer(g: &Gazetteer, label: &str, mode: Mode, ne: &[NeFeature]) -> Report {
    // Matched pairs: (NE feature, our entry).
    let mut pairs: Vec<(usize, PlaceId)> = Vec::new();
    let mut lacking: Vec<&NeFeature> = Vec::new();
    let mut by_geonameid = 0;
    if mode == Mode::Populated {
        // Cities are matched one to one, nearest first, among our settlements of the
        // same country that have the NE name or the GeoNames id NE gives: several
        // Springfields here, NE's second "Natal" (in Amazonas) there, "Stoke" for
        // Stoke-on-Trent. NE's geonameid is sometimes a namesake abroad (its Prague
        // points at Prague, Oklahoma), hence the country test. A namesake with under a
        // tenth of NE's city population is another town, not this city.
        let by_gn: HashMap<&str, PlaceId> = g
            .places()
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind.is_settlement())
            .map(|(i, p)| (p.id, PlaceId(i as u32)))
            .collect();
        let mut options: Vec<(f64, usize, PlaceId, bool)> = Vec::new();
        for (i, f) in ne.iter().enumerate() {
            let by_id = f
                .geonameid
                .and_then(|gid| by_gn.get(format!("gn:{gid}").as_str()).copied())
                .filter(|id| g.place(*id).country == f.country.as_deref());
            let by_name = candidates(g, mode, f)
                .into_iter()
                .filter(|id| g.place(*id).population.saturating_mul(10) >= f.pop_min);
            for id in by_id.into_iter().chain(by_name) {
                let p = g.place(id);
                let d = f.nearest_point_km(p.point.lon, p.point.lat);
                options.push((d, i, id, Some(id) == by_id));
            }
        }
        options.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut paired: Vec<Option<PlaceId>> = vec![None; ne.len()];
        let mut used: HashSet<PlaceId> = HashSet::new();
        for (_, i, id, is_gn) in options {
            if paired[i].is_none() && used.insert(id) {
                paired[i] = Some(id);
                by_geonameid += usize::from(is_gn);
            }
        }
        for (i, f) in ne.iter().enumerate() {
            match paired[i] {
                Some(id) => pairs.push((i, id)),
                None => lacking.push(f),
            }
        }
    } else {
        for (i, f) in ne.iter().enumerate() {
            let cands = candidates(g, mode, f);
            if cands.is_empty() {
                lacking.push(f);
            }
            pairs.extend(cands.into_iter().map(|id| (i, id)));
        }
    }

    // NE_VERBOSE=1 lists the pairs that passed only by bbox.
    let verbose = std::env::var("NE_VERBOSE").is_ok_and(|v| v == "1");
    let (mut inside, mut near, mut in_box, mut allowed) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for &(i, id) in &pairs {
        let (f, p) = (&ne[i], g.place(id));
        match passes(mode, f, p) {
            Some(Pass::Inside) => inside += 1,
            Some(Pass::Near) => near += 1,
            Some(Pass::InBox) => {
                in_box += 1;
                if verbose {
                    println!(
                        "  by bbox: NE {:?} ~ our {} {:?} at {:.4},{:.4}: {:.0} km from NE",
                        f.name,
                        p.id,
                        p.name,
                        p.point.lat,
                        p.point.lon,
                        f.distance_km(p.point.lon, p.point.lat)
                    );
                }
            }
            None if ALLOWED
                .iter()
                .any(|(our, ne_name, _)| *our == p.id && *ne_name == f.name) =>
            {
                let why = ALLOWED
                    .iter()
                    .find(|(our, ne_name, _)| *our == p.id && *ne_name == f.name)
                    .map_or("", |a| a.2);
                println!(
                    "  allowed: NE {:?} ~ our {} {:?}: {why}",
                    f.name, p.id, p.name
                );
                allowed += 1
            }
            None => failures.push(format!(
                "{label}: NE {:?} ({}{}) ~ our {} {:?} ({}) at {:.4},{:.4}: {:.0} km from NE",
                f.name,
                f.class,
                f.country
                    .as_deref()
                    .map(|c| format!(", {c}"))
                    .unwrap_or_default(),
                p.id,
                p.name,
                p.kind.code(),
                p.point.lat,
                p.point.lon,
                f.distance_km(p.point.lon, p.point.lat),
            )),
        }
    }
    let within = inside + near + in_box;
    let summary = format!(
        "{label}: {} matched, {within} within ({inside} inside, {near} within {TOL_KM} km, \
         {in_box} by bbox){}, {} failed, {} NE features not in our table{}",
        pairs.len(),
        if allowed > 0 {
            format!(", {allowed} allowed")
        } else {
            String::new()
        },
        failures.len(),
        lacking.len(),
        if by_geonameid > 0 {
            format!("; {by_geonameid} of the pairs by NE's geonameid")
        } else {
            String::new()
        },
    );
    println!("{summary}");
    for line in &failures {
        println!("  FAIL {line}");
    }
    lacking.sort_by(|a, b| a.sort.total_cmp(&b.sort).then(a.name.cmp(&b.name)));
    let sample: Vec<String> = lacking
        .iter()
        .take(30)
        .map(|f| {
            let mut s = f.name.clone();
            if let Some(c) = &f.country {
                s.push_str(&format!(" ({c})"));
            }
            if mode == Mode::Populated {
                s.push_str(&format!(" {}", f.pop));
            }
            s
        })
        .collect();
    if !sample.is_empty() {
        println!(
            "  {label}: NE features we lack, first {} by {}: {}",
            sample.len(),
            if mode == Mode::Populated {
                "population"
            } else {
                "scalerank"
            },
            sample.join("; ")
        );
    }
    Report { summary, failures }
}

#[test]
fn gazetteer_agrees_with_natural_earth() {
    let Some(dir) = shared(NE_DIR) else {
        return;
    };
    let t0 = std::time::Instant::now();
    let g = Gazetteer::embedded().expect("embedded gazetteer loads");
    let iso = Iso {
        iso2: g
            .places()
            .iter()
            .filter(|p| p.kind == PlaceKind::Country)
            .filter_map(|p| p.country.map(str::to_string))
            .collect(),
        by_iso3: g
            .places()
            .iter()
            .filter(|p| p.kind == PlaceKind::Country)
            .filter_map(|p| Some((p.iso3?.to_string(), p.country?.to_string())))
            .collect(),
    };

    let layers: Vec<(&str, Mode, Vec<NeFeature>)> = vec![
        (
            "marine",
            Mode::Marine,
            physical_layer(&dir.join("ne_10m_geography_marine_polys.geojson")),
        ),
        (
            "regions (polygons)",
            Mode::Region,
            physical_layer(&dir.join("ne_10m_geography_regions_polys.geojson")),
        ),
        (
            "regions (points)",
            Mode::Region,
            physical_layer(&dir.join("ne_10m_geography_regions_points.geojson")),
        ),
        (
            "regions (elevation points)",
            Mode::Region,
            physical_layer(&dir.join("ne_10m_geography_regions_elevation_points.geojson")),
        ),
        (
            "admin-1",
            Mode::Admin1,
            admin1_layer(&dir.join("ne_10m_admin_1_label_points.geojson"), &iso),
        ),
        (
            "populated places",
            Mode::Populated,
            populated_layer(&dir.join("ne_10m_populated_places_simple.geojson"), &iso),
        ),
    ];

    let reports: Vec<Report> = layers
        .iter()
        .map(|(label, mode, ne)| check_layer(&g, label, *mode, ne))
        .collect();
    println!("summary ({:.1} s):", t0.elapsed().as_secs_f64());
    for r in &reports {
        println!("  {}", r.summary);
    }
    let failures: Vec<&String> = reports.iter().flat_map(|r| &r.failures).collect();
    assert!(
        failures.is_empty(),
        "{} entries disagree with Natural Earth (fix the data, or add a reasoned entry to ALLOWED):\n{}",
        failures.len(),
        failures
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}
