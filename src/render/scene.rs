//! The scene of a map: which places, routes and names `geoevents map` draws, and
//! the view that fits where things happened. A pure function of the analysed
//! documents, their events and the gazetteer; the renderer draws what it returns.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{ContextKind, ContextName, MapPlace, MapRoute, MapSpec};
use crate::coords::{self, LonLat};
use crate::events::{self, Event, EventType};
use crate::gazetteer::{Gazetteer, PlaceId};
use crate::geoparse;
use crate::Analysed;

/// What the map shows: places with events, or every literal place when there are no events.
pub fn map_spec(
    gaz: &Gazetteer,
    analysed: &[Analysed],
    events: &[Event],
    title: Option<&str>,
) -> MapSpec {
    // A large sea or ocean that is only where a route begins or ends is shown by the
    // route; a marker at its far-off centre would only stretch the map.
    let big_water = |id: PlaceId| {
        let p = gaz.place(id);
        p.kind.is_water() && p.bbox.is_some_and(|b| b.diagonal_km() > 600.0)
    };
    let route_end = |e: &Event, p: &events::EventPlace| {
        e.route.is_some()
            && matches!(p.role, events::Role::Origin | events::Role::Destination)
            && big_water(p.place)
    };
    let mut at: BTreeMap<PlaceId, BTreeMap<EventType, usize>> = BTreeMap::new();
    // The view fits where things happened: not statements (made in capitals far away)
    // when there is more, and not places guessed from context.
    let mut core: Vec<LonLat> = Vec::new();
    let substantive = events.iter().any(|e| !e.event_type.is_verbal());
    for e in events {
        let guessed = matches!(
            e.geo_precision,
            events::GeoPrecision::Document | events::GeoPrecision::Context
        );
        for p in &e.places {
            if route_end(e, p) {
                continue;
            }
            *at.entry(p.place)
                .or_default()
                .entry(e.event_type)
                .or_default() += 1;
            // Oceans, countries and wide regions say little about where to look.
            let vast = gaz
                .place(p.place)
                .bbox
                .is_some_and(|b| b.diagonal_km() > 2500.0);
            if !guessed && (!substantive || !e.event_type.is_verbal()) && !vast {
                core.push(p.point);
            }
        }
        if let Some(r) = &e.route {
            core.extend(r.line.iter().copied());
        }
    }
    if at.is_empty() {
        for a in analysed {
            for m in a
                .mentions
                .iter()
                .filter(|m| m.mention_type == geoparse::MentionType::Literal)
            {
                at.entry(m.place).or_default();
            }
        }
    }
    let mut places: Vec<MapPlace> = at
        .into_iter()
        .map(|(id, types)| {
            let p = gaz.place(id);
            let mut events: Vec<(EventType, usize)> = types.into_iter().collect();
            events.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            MapPlace {
                pos: p.point,
                name: p.name.to_string(),
                water: p.kind.is_water(),
                events,
                area: p.bbox,
            }
        })
        .collect();
    let extent = scene_extent(&core);
    // Places the text names without an event there give context ("northern island of
    // Hokkaido"); they are drawn small, and only where they fall in the view, once
    // per name (a set of the names drawn, so this stays linear in mentions).
    let mut named: std::collections::HashSet<String> =
        places.iter().map(|p| p.name.clone()).collect();
    for a in analysed {
        for m in a
            .mentions
            .iter()
            .filter(|m| m.mention_type == geoparse::MentionType::Literal && !m.anaphor)
        {
            let p = gaz.place(m.place);
            let inside = extent.is_some_and(|b| b.contains(p.point));
            if inside && !big_water(m.place) && named.insert(p.name.to_string()) {
                places.push(MapPlace {
                    pos: p.point,
                    name: p.name.to_string(),
                    water: p.kind.is_water(),
                    events: Vec::new(),
                    area: p.bbox,
                });
            }
        }
    }
    let default_title = match analysed {
        [one] => one.doc.title.clone(),
        many => format!("{} articles", many.len()),
    };
    let mut dates: Vec<NaiveDate> = events.iter().filter_map(|e| e.date).collect();
    dates.sort();
    let when = match (dates.first(), dates.last()) {
        (Some(a), Some(b)) if a == b => format!(", {a}"),
        (Some(a), Some(b)) => format!(", {a} to {b}"),
        _ => String::new(),
    };
    MapSpec {
        title: title.map(str::to_string).unwrap_or(default_title),
        subtitle: format!("{} events{when}", events.len()),
        places,
        routes: event_routes(gaz, events),
        polygons: Vec::new(),
        context: context_names(gaz),
        width: 1600,
        height: 1100,
        extent,
        projection: None,
    }
}

/// The view that fits where things happened: the main scene when it holds at
/// least two thirds of the core points (a story's far-off statement is left
/// out), else all of them; `None` (a world map) when they spread over more than
/// half the globe's longitudes.
pub fn scene_extent(core: &[LonLat]) -> Option<coords::BBox> {
    let scene = main_cluster(core);
    if scene.len() * 3 >= core.len() * 2 {
        fit_extent(&scene)
    } else {
        fit_extent(core)
    }
}

/// The points within 2,500 km of the densest point: the main scene of a story, so
/// that one statement made in a far-off capital does not zoom the map out to the world.
///
/// Linear in the number of points: they are counted into grid cells of
/// two degrees, a point's density is the number of points in the cells whose
/// centre lies within the radius of it (one step per row of cells, whatever the
/// number of points), the densest point (the first on a tie) is the centre, and
/// the scene is the points truly within the radius of it.
///
/// # Units
/// Radius in kilometres, cells in degrees of latitude and longitude.
pub fn main_cluster(core: &[LonLat]) -> Vec<LonLat> {
    const RADIUS_KM: f64 = 2500.0;
    let grid = Grid::new(core);
    let mut best: Option<(usize, usize)> = None;
    for (i, p) in core.iter().enumerate() {
        let n = grid.count_within(*p, RADIUS_KM);
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((i, n));
        }
    }
    let Some((i, _)) = best else {
        return Vec::new();
    };
    let centre = core[i];
    core.iter()
        .copied()
        .filter(|q| centre.distance_km(*q) <= RADIUS_KM)
        .collect()
}

/// The mean Earth radius `geo`'s Haversine uses.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// The side of a [`Grid`] cell.
const CELL_DEG: f64 = 2.0;
const ROWS: usize = (180.0 / CELL_DEG) as usize;
const COLS: usize = (360.0 / CELL_DEG) as usize;

/// Points counted into cells of `CELL_DEG` degrees, with running sums along
/// each row so that any run of cells in a row is counted in constant time.
struct Grid {
    /// Row `r` holds `COLS + 1` sums: the points in columns `0..c` at index `c`.
    prefix: Vec<usize>,
}

impl Grid {
    fn cell(p: LonLat) -> (usize, usize) {
        (
            (((p.lat + 90.0) / CELL_DEG).floor() as usize).min(ROWS - 1),
            (((p.lon + 180.0).rem_euclid(360.0) / CELL_DEG).floor() as usize).min(COLS - 1),
        )
    }

    fn new(points: &[LonLat]) -> Grid {
        let mut counts = vec![0usize; ROWS * COLS];
        for p in points.iter().filter(|p| p.is_valid()) {
            let (r, c) = Grid::cell(*p);
            counts[r * COLS + c] += 1;
        }
        let mut prefix = vec![0usize; ROWS * (COLS + 1)];
        for r in 0..ROWS {
            for c in 0..COLS {
                prefix[r * (COLS + 1) + c + 1] = prefix[r * (COLS + 1) + c] + counts[r * COLS + c];
            }
        }
        Grid { prefix }
    }

    /// Points in columns `a..=b` of row `r` (`a > b` wraps around 180°).
    fn run(&self, r: usize, a: i64, b: i64) -> usize {
        let row = &self.prefix[r * (COLS + 1)..(r + 1) * (COLS + 1)];
        let sum = |a: usize, b: usize| row[b + 1] - row[a];
        if b - a + 1 >= COLS as i64 {
            return row[COLS];
        }
        let (a, b) = (
            a.rem_euclid(COLS as i64) as usize,
            b.rem_euclid(COLS as i64) as usize,
        );
        if a <= b {
            sum(a, b)
        } else {
            sum(a, COLS - 1) + sum(0, b)
        }
    }

    /// Points in the cells whose centre is within `radius_km` of `p`: per row,
    /// the run of columns the circle covers, so the work is one step a row.
    fn count_within(&self, p: LonLat, radius_km: f64) -> usize {
        let d = radius_km / EARTH_RADIUS_KM;
        let (lat0, lon0) = (p.lat.to_radians(), p.lon);
        // Only the rows the circle reaches.
        let reach = d.to_degrees() / CELL_DEG + 1.0;
        let row0 = (p.lat + 90.0) / CELL_DEG;
        let first = (row0 - reach).floor().max(0.0) as usize;
        let last = ((row0 + reach).ceil() as usize).min(ROWS - 1);
        let mut n = 0;
        for r in first..=last {
            let lat = ((r as f64 + 0.5) * CELL_DEG - 90.0).to_radians();
            // Half-width in longitude of the circle on this row (spherical law of cosines).
            let denom = lat0.cos() * lat.cos();
            let cos_dl = if denom.abs() < 1e-12 {
                if (lat - lat0).abs() <= d {
                    -1.0
                } else {
                    2.0
                }
            } else {
                (d.cos() - lat0.sin() * lat.sin()) / denom
            };
            if cos_dl > 1.0 {
                continue;
            }
            if cos_dl <= -1.0 {
                n += self.run(r, 0, COLS as i64 - 1);
                continue;
            }
            let half = cos_dl.acos().to_degrees();
            // Columns whose centre lon (c + 0.5) * CELL_DEG - 180 lies in lon0 ± half.
            let a = (((lon0 - half + 180.0) / CELL_DEG) - 0.5).ceil() as i64;
            let b = (((lon0 + half + 180.0) / CELL_DEG) - 0.5).floor() as i64;
            if a <= b {
                n += self.run(r, a, b);
            }
        }
        n
    }
}

/// The view around the core places: padded by a quarter of their spread and at
/// least a few degrees, so a single strait still shows the seas around it. `None`
/// (fit everything) when there is no core or it spans more than half the globe.
pub fn fit_extent(core: &[LonLat]) -> Option<coords::BBox> {
    let first = core.first()?;
    // Unwrap longitudes around the first point so a Pacific view stays in one piece.
    let lons: Vec<f64> = core
        .iter()
        .map(|p| {
            let mut l = p.lon;
            while l - first.lon > 180.0 {
                l -= 360.0;
            }
            while first.lon - l > 180.0 {
                l += 360.0;
            }
            l
        })
        .collect();
    let (w, e) = lons
        .iter()
        .fold((f64::MAX, f64::MIN), |(a, b), &x| (a.min(x), b.max(x)));
    let (s, n) = core.iter().fold((f64::MAX, f64::MIN), |(a, b), p| {
        (a.min(p.lat), b.max(p.lat))
    });
    if e - w > 180.0 {
        return None;
    }
    let pad_x = ((e - w) * 0.25).max(5.0);
    let pad_y = ((n - s) * 0.25).max(3.5);
    let wrap = |l: f64| ((l + 180.0).rem_euclid(360.0)) - 180.0;
    Some(coords::BBox {
        west: wrap(w - pad_x),
        south: (s - pad_y).max(-85.0),
        east: wrap(e + pad_x),
        north: (n + pad_y).min(85.0),
    })
}

/// One route per distinct path of the movements the events stage found.
pub fn event_routes(gaz: &Gazetteer, events: &[Event]) -> Vec<MapRoute> {
    let mut routes: Vec<MapRoute> = Vec::new();
    let mut seen: std::collections::HashSet<Vec<PlaceId>> = Default::default();
    for e in events {
        let Some(route) = &e.route else { continue };
        let ids: Vec<PlaceId> = route.places.iter().map(|(p, _)| *p).collect();
        // Several events along the same path (a transit and the patrol it was part of) draw one route.
        if !seen.insert(ids) {
            continue;
        }
        let names: Vec<&str> = route
            .places
            .iter()
            .map(|(p, _)| gaz.place(*p).name)
            .collect();
        routes.push(MapRoute {
            points: route.line.clone(),
            event_type: Some(e.event_type),
            label: format!("{}: {}", e.event_type.label(), names.join(" to ")),
        });
    }
    routes
}

/// Names of oceans, seas and countries, which the renderer draws where they fit.
pub fn context_names(gaz: &Gazetteer) -> Vec<ContextName> {
    use crate::gazetteer::PlaceKind;
    gaz.places()
        .iter()
        .filter_map(|p| {
            let kind = match p.kind {
                PlaceKind::Ocean => ContextKind::Ocean,
                PlaceKind::Sea | PlaceKind::Gulf => ContextKind::Sea,
                PlaceKind::Country => ContextKind::Country,
                _ => return None,
            };
            if kind != ContextKind::Country && p.rank > 3 {
                return None;
            }
            Some(ContextName {
                pos: p.point,
                name: p.name.to_string(),
                kind,
                bbox: p.bbox,
                rank: p.rank,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quadratic definition the grid replaces: the most points within the radius of one point.
    fn densest_exact(core: &[LonLat]) -> usize {
        core.iter()
            .map(|p| core.iter().filter(|q| p.distance_km(**q) <= 2500.0).count())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn main_cluster_keeps_the_scene_and_leaves_the_far_capital() {
        let mut core: Vec<LonLat> = (0..20)
            .map(|i| LonLat::new(139.0 + (i % 5) as f64 * 0.4, 40.0 + (i / 5) as f64 * 0.3))
            .collect();
        core.push(LonLat::new(37.6, 55.75)); // Moscow
        core.push(LonLat::new(13.4, 52.5)); // Berlin
        let c = main_cluster(&core);
        assert_eq!(c.len(), 20);
        assert!(c.iter().all(|p| p.lon > 130.0));
        assert!(main_cluster(&[]).is_empty());
    }

    #[test]
    fn events_over_several_continents_get_a_world_map() {
        let mut core = Vec::new();
        for (lon, lat) in [
            (2.35, 48.85),
            (-74.0, 40.7),
            (116.4, 39.9),
            (28.0, -26.2),
            (-46.6, -23.5),
        ] {
            for i in 0..50 {
                core.push(LonLat::new(
                    lon + (i % 7) as f64 * 0.3,
                    lat + (i / 7) as f64 * 0.2,
                ));
            }
        }
        assert_eq!(scene_extent(&core), None);
        // Most of them in one place, a few far off: the scene.
        let mut story: Vec<LonLat> = (0..30)
            .map(|i| LonLat::new(140.0 + i as f64 * 0.05, 41.0))
            .collect();
        story.extend([LonLat::new(37.6, 55.75), LonLat::new(-77.0, 38.9)]);
        let e = scene_extent(&story).unwrap();
        assert!(e.west > 100.0 && e.east < 160.0, "{e:?}");
    }

    #[test]
    fn main_cluster_across_the_antimeridian_and_near_the_pole() {
        let core = [
            LonLat::new(179.5, -17.0),
            LonLat::new(-179.5, -17.5),
            LonLat::new(-172.0, -13.8),
            LonLat::new(10.0, 50.0),
        ];
        assert_eq!(main_cluster(&core).len(), 3);
        let polar = [
            LonLat::new(0.0, 89.5),
            LonLat::new(180.0, 89.0),
            LonLat::new(0.0, 0.0),
        ];
        assert_eq!(main_cluster(&polar).len(), 2);
    }

    #[test]
    fn main_cluster_is_as_dense_as_the_exact_search() {
        // Deterministic scatter over three continents, denser in one.
        let mut seed = 12345u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as f64 / (1u64 << 31) as f64
        };
        let mut core = Vec::new();
        for i in 0..600 {
            let (lon, lat, spread) = match i % 6 {
                0..=2 => (10.0, 48.0, 15.0),
                3 | 4 => (-90.0, 38.0, 20.0),
                _ => (120.0, 30.0, 25.0),
            };
            core.push(LonLat::new(
                lon + (next() - 0.5) * spread,
                lat + (next() - 0.5) * spread * 0.6,
            ));
        }
        let exact = densest_exact(&core);
        let got = main_cluster(&core).len();
        // Counting by cell centres moves the edge of the circle by at most a cell.
        assert!(
            got as f64 >= exact as f64 * 0.95 && got <= exact,
            "grid {got}, exact {exact}"
        );
    }
}
