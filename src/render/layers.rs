//! Any GeoJSON as map layers: points become places (merged by name and
//! position, so our `events.geojson` gives one marker per place), lines become
//! routes, polygons become areas. Our properties are used where present
//! (`name`/`place_name`, `event_type`, `count`/`events`, `place_kind`/`kind`),
//! and everything works without them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use geojson::{GeoJson, Geometry, GeometryValue, JsonObject, Position};

use super::{MapPlace, MapPolygon, MapRoute};
use crate::coords::LonLat;
use crate::events::EventType;

/// Errors reading GeoJSON to draw.
#[derive(Debug, thiserror::Error)]
pub enum LayerError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} is not valid GeoJSON: {msg}")]
    Parse { path: PathBuf, msg: String },
    #[error("{path} has a coordinate out of range ({lon}, {lat}); GeoJSON is longitude, latitude in WGS 84 degrees")]
    Range { path: PathBuf, lon: f64, lat: f64 },
}

/// Places, routes and areas to draw.
#[derive(Clone, Debug, Default)]
pub struct Layers {
    pub places: Vec<MapPlace>,
    pub routes: Vec<MapRoute>,
    pub polygons: Vec<MapPolygon>,
}

/// Reads GeoJSON files (FeatureCollection, Feature or bare geometry) into layers.
pub fn read_files(paths: &[PathBuf]) -> Result<Layers, LayerError> {
    let mut acc = Acc::default();
    for p in paths {
        let text = std::fs::read_to_string(p).map_err(|source| LayerError::Read {
            path: p.clone(),
            source,
        })?;
        let gj: GeoJson = text
            .parse()
            .map_err(|e: geojson::Error| LayerError::Parse {
                path: p.clone(),
                msg: e.to_string(),
            })?;
        acc.add_geojson(&gj, p)?;
    }
    Ok(acc.finish())
}

/// (0, name, lon e5, lat e5): points are merged by name and position.
type PlaceKey = (usize, String, i64, i64);
/// The place, its event counts by type, and its first appearance.
type PlaceEntry = (MapPlace, BTreeMap<EventType, usize>, usize);

#[derive(Default)]
struct Acc {
    places: BTreeMap<PlaceKey, PlaceEntry>,
    routes: Vec<MapRoute>,
    polygons: Vec<MapPolygon>,
}

struct Props {
    name: String,
    event_type: Option<EventType>,
    count: usize,
    water: bool,
}

fn props(p: Option<&JsonObject>) -> Props {
    let s = |k: &str| {
        p.and_then(|o| o.get(k))
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let n = |k: &str| p.and_then(|o| o.get(k)).and_then(|v| v.as_u64());
    let name = ["name", "place_name", "label", "title", "NAME"]
        .iter()
        .find_map(|k| s(k))
        .unwrap_or_default();
    let event_type =
        s("event_type").and_then(|t| EventType::ALL.into_iter().find(|e| e.as_str() == t));
    let count = n("count")
        .or_else(|| n("events"))
        .unwrap_or(1)
        .clamp(1, 1_000_000) as usize;
    let water = s("place_kind")
        .or_else(|| s("kind"))
        .is_some_and(|k| k.starts_with("H."));
    Props {
        name,
        event_type,
        count,
        water,
    }
}

fn pos(p: &Position, path: &Path) -> Result<LonLat, LayerError> {
    let s = p.as_slice();
    let ll = LonLat::new(
        s.first().copied().unwrap_or(f64::NAN),
        s.get(1).copied().unwrap_or(f64::NAN),
    );
    if ll.is_valid() {
        Ok(ll)
    } else {
        Err(LayerError::Range {
            path: path.to_path_buf(),
            lon: ll.lon,
            lat: ll.lat,
        })
    }
}

fn line(ps: &[Position], path: &Path) -> Result<Vec<LonLat>, LayerError> {
    ps.iter().map(|p| pos(p, path)).collect()
}

impl Acc {
    fn add_geojson(&mut self, gj: &GeoJson, path: &Path) -> Result<(), LayerError> {
        match gj {
            GeoJson::FeatureCollection(fc) => {
                for f in &fc.features {
                    if let Some(g) = &f.geometry {
                        self.add_geometry(g, &props(f.properties.as_ref()), path)?;
                    }
                }
            }
            GeoJson::Feature(f) => {
                if let Some(g) = &f.geometry {
                    self.add_geometry(g, &props(f.properties.as_ref()), path)?;
                }
            }
            GeoJson::Geometry(g) => self.add_geometry(g, &props(None), path)?,
        }
        Ok(())
    }

    fn add_point(&mut self, p: LonLat, pr: &Props) {
        let order = self.places.len();
        let key = (
            0,
            pr.name.clone(),
            (p.lon * 1e5).round() as i64,
            (p.lat * 1e5).round() as i64,
        );
        let e = self.places.entry(key).or_insert_with(|| {
            (
                MapPlace {
                    pos: p,
                    name: pr.name.clone(),
                    water: pr.water,
                    events: Vec::new(),
                    area: None,
                },
                BTreeMap::new(),
                order,
            )
        });
        if let Some(t) = pr.event_type {
            *e.1.entry(t).or_default() += pr.count;
        }
    }

    fn add_geometry(&mut self, g: &Geometry, pr: &Props, path: &Path) -> Result<(), LayerError> {
        match &g.value {
            GeometryValue::Point { coordinates } => self.add_point(pos(coordinates, path)?, pr),
            GeometryValue::MultiPoint { coordinates } => {
                for c in coordinates {
                    self.add_point(pos(c, path)?, pr);
                }
            }
            GeometryValue::LineString { coordinates } => self.routes.push(MapRoute {
                points: line(coordinates, path)?,
                event_type: pr.event_type,
                label: pr.name.clone(),
            }),
            GeometryValue::MultiLineString { coordinates } => {
                for l in coordinates {
                    self.routes.push(MapRoute {
                        points: line(l, path)?,
                        event_type: pr.event_type,
                        label: pr.name.clone(),
                    });
                }
            }
            GeometryValue::Polygon { coordinates } => self.polygons.push(MapPolygon {
                rings: coordinates
                    .iter()
                    .map(|r| line(r, path))
                    .collect::<Result<_, _>>()?,
                event_type: pr.event_type,
                label: pr.name.clone(),
            }),
            GeometryValue::MultiPolygon { coordinates } => {
                for (k, poly) in coordinates.iter().enumerate() {
                    self.polygons.push(MapPolygon {
                        rings: poly
                            .iter()
                            .map(|r| line(r, path))
                            .collect::<Result<_, _>>()?,
                        event_type: pr.event_type,
                        // Name the largest part only once: the first.
                        label: if k == 0 {
                            pr.name.clone()
                        } else {
                            String::new()
                        },
                    });
                }
            }
            GeometryValue::GeometryCollection { geometries } => {
                for g in geometries {
                    self.add_geometry(g, pr, path)?;
                }
            }
        }
        Ok(())
    }

    fn finish(self) -> Layers {
        let mut places: Vec<(usize, MapPlace)> = self
            .places
            .into_values()
            .map(|(mut p, counts, order)| {
                let mut ev: Vec<(EventType, usize)> = counts.into_iter().collect();
                ev.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                p.events = ev;
                (order, p)
            })
            .collect();
        places.sort_by_key(|(o, _)| *o);
        Layers {
            places: places.into_iter().map(|(_, p)| p).collect(),
            routes: self.routes,
            polygons: self.polygons,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_lines_polygons() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.geojson");
        std::fs::write(
            &p,
            r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"place_name":"Tsugaru Strait","event_type":"transit","place_kind":"H.STRT"},"geometry":{"type":"Point","coordinates":[140.6,41.5]}},
{"type":"Feature","properties":{"place_name":"Tsugaru Strait","event_type":"patrol","place_kind":"H.STRT"},"geometry":{"type":"Point","coordinates":[140.6,41.5]}},
{"type":"Feature","properties":{"name":"route"},"geometry":{"type":"LineString","coordinates":[[135,40],[140.6,41.5],[146,41]]}},
{"type":"Feature","properties":null,"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}}]}"#,
        )
        .unwrap();
        let l = read_files(&[p]).unwrap();
        assert_eq!(l.places.len(), 1);
        assert_eq!(l.places[0].events.len(), 2);
        assert!(l.places[0].water);
        assert_eq!(l.routes[0].points.len(), 3);
        assert_eq!(l.polygons.len(), 1);
    }

    #[test]
    fn bad_input_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("bad.geojson");
        std::fs::write(&p, "{not json").unwrap();
        let e = read_files(&[p]).unwrap_err().to_string();
        assert!(e.contains("bad.geojson"), "{e}");
        let p = dir.path().join("swapped.geojson");
        std::fs::write(&p, r#"{"type":"Point","coordinates":[41.5,140.6]}"#).unwrap();
        let e = read_files(&[p]).unwrap_err().to_string();
        assert!(e.contains("out of range"), "{e}");
    }
}
