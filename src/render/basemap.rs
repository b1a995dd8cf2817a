//! The basemap compiled into the binary: Natural Earth land and country borders
//! at 1:110m (world maps) and 1:50m (regional maps), land at 1:10m (simplified)
//! for small areas, from npm `world-atlas`, and first-order borders from the
//! Natural Earth states and provinces in Debian `qgis-common`
//! (`gazetteer/tools/build_basemap.py`). No lakes: no registry package we use
//! ships them.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::coords::LonLat;

/// A polygon: exterior ring then holes, in longitude/latitude.
pub type Rings = Vec<Vec<LonLat>>;

/// Land polygons and border lines at one level of detail.
pub struct Basemap {
    pub land: Vec<Rings>,
    pub borders: Vec<Vec<LonLat>>,
}

/// Level of detail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// 1:110 million, for world maps.
    Coarse,
    /// 1:50 million, for regional maps.
    Medium,
    /// 1:10 million land (50m borders), for small areas.
    Fine,
}

#[derive(Deserialize)]
struct Fc {
    features: Vec<Feat>,
}

#[derive(Deserialize)]
struct Feat {
    geometry: Geom,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geom {
    Polygon(Vec<Vec<[f64; 2]>>),
    MultiPolygon(Vec<Vec<Vec<[f64; 2]>>>),
    LineString(Vec<[f64; 2]>),
    MultiLineString(Vec<Vec<[f64; 2]>>),
}

fn ring(r: Vec<[f64; 2]>) -> Vec<LonLat> {
    r.into_iter().map(|[x, y]| LonLat::new(x, y)).collect()
}

fn parse(text: &str) -> (Vec<Rings>, Vec<Vec<LonLat>>) {
    let fc: Fc = serde_json::from_str(text).expect("embedded basemap is valid GeoJSON");
    let mut polys = Vec::new();
    let mut lines = Vec::new();
    for f in fc.features {
        match f.geometry {
            Geom::Polygon(p) => polys.push(p.into_iter().map(ring).collect()),
            Geom::MultiPolygon(mp) => {
                polys.extend(mp.into_iter().map(|p| p.into_iter().map(ring).collect()))
            }
            Geom::LineString(l) => lines.push(ring(l)),
            Geom::MultiLineString(ml) => lines.extend(ml.into_iter().map(ring)),
        }
    }
    (polys, lines)
}

static COARSE: OnceLock<Basemap> = OnceLock::new();
static MEDIUM: OnceLock<Basemap> = OnceLock::new();
static FINE: OnceLock<Basemap> = OnceLock::new();
static ADMIN1: OnceLock<Vec<Vec<LonLat>>> = OnceLock::new();

impl Basemap {
    /// The embedded layers at the given detail, parsed once per process.
    pub fn get(detail: Detail) -> &'static Basemap {
        let cell = match detail {
            Detail::Coarse => &COARSE,
            Detail::Medium => &MEDIUM,
            Detail::Fine => &FINE,
        };
        cell.get_or_init(|| Basemap::load(detail))
    }

    /// Borders between first-order divisions (states, provinces, prefectures).
    pub fn admin1() -> &'static [Vec<LonLat>] {
        ADMIN1.get_or_init(|| parse(include_str!("../../gazetteer/basemap/admin1-10m.geojson")).1)
    }

    /// Loads the embedded layers at the given detail.
    pub fn load(detail: Detail) -> Basemap {
        let (land, borders) = match detail {
            Detail::Coarse => (
                include_str!("../../gazetteer/basemap/land-110m.geojson"),
                include_str!("../../gazetteer/basemap/borders-110m.geojson"),
            ),
            Detail::Medium => (
                include_str!("../../gazetteer/basemap/land-50m.geojson"),
                include_str!("../../gazetteer/basemap/borders-50m.geojson"),
            ),
            Detail::Fine => (
                include_str!("../../gazetteer/basemap/land-10m.geojson"),
                include_str!("../../gazetteer/basemap/borders-50m.geojson"),
            ),
        };
        Basemap {
            land: parse(land).0,
            borders: parse(borders).1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_layers_parse() {
        for d in [Detail::Coarse, Detail::Medium, Detail::Fine] {
            let b = Basemap::load(d);
            assert!(b.land.len() > 100, "{d:?}: {} land polygons", b.land.len());
            assert!(!b.borders.is_empty());
            assert!(b.land.iter().flatten().flatten().all(|p| p.is_valid()));
        }
        assert!(Basemap::admin1().len() > 1000);
    }
}
