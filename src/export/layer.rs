//! The format-neutral layer model every writer and reader shares: a named layer
//! with one geometry type, typed fields and features. Building the properties
//! here, once, keeps names and types the same in GeoJSON, GeoJSONSeq,
//! GeoPackage, CSV and KML.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use geo::{
    BooleanOps, Coord, Geometry, LineString, MapCoords, MultiLineString, MultiPolygon, Orient,
    Point, Polygon, Rect,
};

use crate::coords::LonLat;
use crate::events::{Event, Role};
use crate::gazetteer::{Gazetteer, PlaceId};
use crate::geoparse::{Mention, MentionType};

/// The geometry type a layer declares; a layer may hold the `Multi*` variant of it
/// where a feature had to be split at the antimeridian.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GeometryType {
    Point,
    LineString,
    Polygon,
}

impl GeometryType {
    /// The OGC name (`POINT`, `LINESTRING`, `POLYGON`), or its `MULTI` form.
    pub fn ogc_name(self, multi: bool) -> &'static str {
        match (self, multi) {
            (GeometryType::Point, false) => "POINT",
            (GeometryType::Point, true) => "MULTIPOINT",
            (GeometryType::LineString, false) => "LINESTRING",
            (GeometryType::LineString, true) => "MULTILINESTRING",
            (GeometryType::Polygon, false) => "POLYGON",
            (GeometryType::Polygon, true) => "MULTIPOLYGON",
        }
    }

    /// The type of a geometry, and whether it is the `Multi*` form.
    pub fn of(g: &Geometry<f64>) -> Option<(GeometryType, bool)> {
        Some(match g {
            Geometry::Point(_) => (GeometryType::Point, false),
            Geometry::MultiPoint(_) => (GeometryType::Point, true),
            Geometry::LineString(_) => (GeometryType::LineString, false),
            Geometry::MultiLineString(_) => (GeometryType::LineString, true),
            Geometry::Polygon(_) => (GeometryType::Polygon, false),
            Geometry::MultiPolygon(_) => (GeometryType::Polygon, true),
            _ => return None,
        })
    }
}

/// The type of a field's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Text,
    Integer,
    Real,
    /// A calendar date, written as ISO 8601 `YYYY-MM-DD`.
    Date,
}

/// A named, typed attribute column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub field_type: FieldType,
}

impl Field {
    fn new(name: &str, field_type: FieldType) -> Field {
        Field {
            name: name.to_string(),
            field_type,
        }
    }
}

/// One attribute value; `Null` where the value is unknown.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Text(String),
    Integer(i64),
    Real(f64),
    Date(NaiveDate),
}

impl Value {
    /// Text, or null when empty: an empty value is unknown in every format.
    fn text(s: impl Into<String>) -> Value {
        let s = s.into();
        if s.is_empty() {
            Value::Null
        } else {
            Value::Text(s)
        }
    }

    fn opt_text(s: Option<impl Into<String>>) -> Value {
        s.map(Value::text).unwrap_or(Value::Null)
    }

    /// The value as JSON (dates as ISO 8601 strings).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Text(s) => serde_json::Value::String(s.clone()),
            Value::Integer(i) => serde_json::Value::from(*i),
            Value::Real(r) => serde_json::Number::from_f64(*r)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Date(d) => serde_json::Value::String(d.to_string()),
        }
    }

    /// The value as text (`None` for null), as CSV and KML write it.
    pub fn to_text(&self) -> Option<String> {
        match self {
            Value::Null => None,
            Value::Text(s) => Some(s.clone()),
            Value::Integer(i) => Some(i.to_string()),
            Value::Real(r) => Some(r.to_string()),
            Value::Date(d) => Some(d.to_string()),
        }
    }

    /// Reads a JSON value as a value of type `t`; `None` when it does not fit.
    pub fn from_json(v: &serde_json::Value, t: FieldType) -> Option<Value> {
        use serde_json::Value as J;
        Some(match (v, t) {
            (J::Null, _) => Value::Null,
            (J::String(s), FieldType::Text) => Value::Text(s.clone()),
            (J::String(s), FieldType::Date) => {
                Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?)
            }
            (J::Number(n), FieldType::Integer) => Value::Integer(n.as_i64()?),
            (J::Number(n), FieldType::Real) => Value::Real(n.as_f64()?),
            (J::Number(n), FieldType::Text) => Value::Text(n.to_string()),
            (J::Bool(b), FieldType::Text) => Value::Text(b.to_string()),
            _ => return None,
        })
    }

    /// Reads text (CSV, SQLite text) as a value of type `t`; empty text is null.
    /// `None` when it does not parse.
    pub fn from_text(s: &str, t: FieldType) -> Option<Value> {
        if s.is_empty() {
            return Some(Value::Null);
        }
        Some(match t {
            FieldType::Text => Value::Text(s.to_string()),
            FieldType::Integer => Value::Integer(s.parse().ok()?),
            FieldType::Real => Value::Real(s.parse().ok()?),
            FieldType::Date => Value::Date(NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()?),
        })
    }
}

/// One feature: a geometry in WGS 84 longitude/latitude and one value per field.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerFeature {
    pub geometry: Geometry<f64>,
    pub values: Vec<Value>,
}

impl LayerFeature {
    /// A feature ready for any writer: split at the antimeridian, polygons
    /// wound by the right-hand rule, coordinates rounded to 6 decimals.
    pub fn new(geometry: Geometry<f64>, values: Vec<Value>) -> LayerFeature {
        LayerFeature {
            geometry: normalize(geometry),
            values,
        }
    }
}

/// A named layer of one geometry type.
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    pub name: String,
    pub geometry_type: GeometryType,
    pub fields: Vec<Field>,
    pub features: Vec<LayerFeature>,
}

/// A movement: the ordered positions a route passes, and the event it belongs to.
#[derive(Clone, Debug)]
pub struct Route<'a> {
    pub event: &'a Event,
    /// The route's places in travel order, with their roles.
    pub places: Vec<(PlaceId, Role)>,
    pub points: Vec<LonLat>,
}

fn opt_int(v: Option<u32>) -> Value {
    v.map(|n| Value::Integer(n as i64)).unwrap_or(Value::Null)
}

/// Rounds to 6 decimals (about 0.1 m), as RFC 7946 recommends.
pub fn round6(v: f64) -> f64 {
    let r = (v * 1e6).round() / 1e6;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

impl Layer {
    /// The fields of a layer this crate writes, by layer name (`events`, `places`,
    /// `routes`), so readers get the types back exactly.
    pub fn schema(name: &str) -> Option<(GeometryType, Vec<Field>)> {
        use FieldType::*;
        let f = |list: &[(&str, FieldType)]| -> Vec<Field> {
            list.iter().map(|(n, t)| Field::new(n, *t)).collect()
        };
        Some(match name {
            "events" => (
                GeometryType::Point,
                f(&[
                    ("event_id", Text),
                    ("doc_id", Text),
                    ("event_type", Text),
                    ("cameo", Text),
                    ("trigger", Text),
                    ("actors", Text),
                    ("date", Date),
                    ("date_precision", Text),
                    ("place_id", Text),
                    ("place_name", Text),
                    ("place_kind", Text),
                    ("place_role", Text),
                    ("place_text", Text),
                    ("geo_precision", Text),
                    ("confidence", Real),
                    ("quantity", Text),
                    ("sentence", Text),
                    ("char_start", Integer),
                    ("char_end", Integer),
                    ("also_in", Text),
                    ("family", Text),
                    ("acled_event_type", Text),
                    ("acled_sub_event_type", Text),
                    ("plover", Text),
                    ("cameo_root", Text),
                    ("modality", Text),
                    ("actor1", Text),
                    ("actor1_text", Text),
                    ("inter1", Integer),
                    ("actor2", Text),
                    ("actor2_text", Text),
                    ("inter2", Integer),
                    ("fatalities", Integer),
                    ("injured", Integer),
                    ("size", Integer),
                    ("counts_estimated", Integer),
                    ("acled_geo_precision", Integer),
                    ("date_start", Date),
                    ("date_end", Date),
                    ("reports", Integer),
                ]),
            ),
            "places" => (
                GeometryType::Point,
                f(&[
                    ("place_id", Text),
                    ("name", Text),
                    ("kind", Text),
                    ("country", Text),
                    ("admin1", Text),
                    ("population", Integer),
                    ("mentions", Integer),
                    ("events", Integer),
                    ("mention_types", Text),
                    ("names_in_text", Text),
                    ("doc_ids", Text),
                ]),
            ),
            "routes" => (
                GeometryType::LineString,
                f(&[
                    ("event_id", Text),
                    ("doc_id", Text),
                    ("event_type", Text),
                    ("actors", Text),
                    ("date", Date),
                    ("date_precision", Text),
                    ("origin", Text),
                    ("via", Text),
                    ("destination", Text),
                    ("place_ids", Text),
                    ("length_km", Real),
                    ("confidence", Real),
                    ("sentence", Text),
                    ("cameo", Text),
                    ("geo_precision", Text),
                    ("char_start", Integer),
                    ("char_end", Integer),
                ]),
            ),
            "basemap_land" => (GeometryType::Polygon, f(&[("name", Text)])),
            "basemap_borders" => (GeometryType::LineString, f(&[("name", Text)])),
            _ => return None,
        })
    }

    fn empty(name: &str) -> Layer {
        let (geometry_type, fields) = Layer::schema(name).expect("a known layer");
        Layer {
            name: name.to_string(),
            geometry_type,
            fields,
            features: Vec::new(),
        }
    }

    /// The events layer: one point per event and place.
    pub fn events(gaz: &Gazetteer, events: &[Event]) -> Layer {
        let mut layer = Layer::empty("events");
        for e in events {
            for ep in &e.places {
                let p = gaz.place(ep.place);
                layer.features.push(LayerFeature::new(
                    Point::from(ep.point).into(),
                    vec![
                        Value::text(&e.id),
                        Value::text(&e.doc_id),
                        Value::text(e.event_type.as_str()),
                        Value::opt_text(e.cameo()),
                        Value::text(&e.trigger),
                        Value::text(e.actors.join(",")),
                        e.date.map(Value::Date).unwrap_or(Value::Null),
                        Value::text(e.date_precision.as_str()),
                        Value::text(p.id),
                        Value::text(p.name),
                        Value::text(p.kind.code()),
                        Value::text(ep.role.as_str()),
                        Value::text(&ep.text),
                        Value::text(e.geo_precision.as_str()),
                        Value::Real((e.confidence * 100.0).round() / 100.0),
                        Value::opt_text(e.quantity.as_deref()),
                        Value::text(&e.sentence),
                        Value::Integer(e.char_start as i64),
                        Value::Integer(e.char_end as i64),
                        // Other sentences reporting the same event: "start-end;start-end".
                        if e.also_in.is_empty() {
                            Value::Null
                        } else {
                            Value::text(
                                e.also_in
                                    .iter()
                                    .map(|(a, b)| format!("{a}-{b}"))
                                    .collect::<Vec<_>>()
                                    .join(";"),
                            )
                        },
                        Value::text(e.event_type.family().as_str()),
                        Value::opt_text(e.event_type.acled_event_type()),
                        Value::opt_text(e.event_type.acled_sub_event_type()),
                        Value::opt_text(e.event_type.plover()),
                        Value::opt_text(e.event_type.cameo_root()),
                        Value::text(e.modality.as_str()),
                        Value::opt_text(e.actor1.as_ref().map(|a| a.name.as_str())),
                        Value::opt_text(e.actor1.as_ref().map(|a| a.text.as_str())),
                        opt_int(e.actor1.as_ref().map(|a| a.inter as u32).filter(|&i| i > 0)),
                        Value::opt_text(e.actor2.as_ref().map(|a| a.name.as_str())),
                        Value::opt_text(e.actor2.as_ref().map(|a| a.text.as_str())),
                        opt_int(e.actor2.as_ref().map(|a| a.inter as u32).filter(|&i| i > 0)),
                        opt_int(e.counts.fatalities),
                        opt_int(e.counts.injured),
                        opt_int(e.counts.size),
                        Value::Integer(e.counts.estimate as i64),
                        Value::Integer(e.acled_geo_precision(gaz) as i64),
                        e.date_start().map(Value::Date).unwrap_or(Value::Null),
                        e.date_end.map(Value::Date).unwrap_or(Value::Null),
                        Value::Integer(e.reports as i64),
                    ],
                ));
            }
        }
        layer
    }

    /// The places layer: one point per resolved place with its counts of
    /// mentions and events, most mentioned first.
    pub fn places(gaz: &Gazetteer, docs: &[(String, &[Mention], &[Event])]) -> Layer {
        #[derive(Default)]
        struct Summary {
            mentions: usize,
            events: usize,
            docs: Vec<String>,
            types: BTreeMap<&'static str, usize>,
            surface: Vec<String>,
            last_doc: Option<usize>,
        }
        /// Longest list of documents or spellings a place's feature carries.
        const MAX_LISTED: usize = 100;
        let mut by_place: BTreeMap<PlaceId, Summary> = BTreeMap::new();
        for (di, (doc_id, mentions, events)) in docs.iter().enumerate() {
            for m in mentions.iter() {
                let s = by_place.entry(m.place).or_default();
                s.mentions += 1;
                *s.types.entry(mention_type_str(m.mention_type)).or_default() += 1;
                // A document's mentions come together, so its id is the last one pushed;
                // a place named in thousands of documents lists the first few of them.
                if s.last_doc != Some(di) {
                    s.last_doc = Some(di);
                    if s.docs.len() < MAX_LISTED {
                        s.docs.push(doc_id.clone());
                    }
                }
                if s.surface.len() < MAX_LISTED && !s.surface.contains(&m.text) {
                    s.surface.push(m.text.clone());
                }
            }
            for e in events.iter() {
                for ep in &e.places {
                    by_place.entry(ep.place).or_default().events += 1;
                }
            }
        }
        let mut rows: Vec<(PlaceId, Summary)> = by_place.into_iter().collect();
        rows.sort_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then(a.0.cmp(&b.0)));
        let mut layer = Layer::empty("places");
        for (id, s) in rows {
            let p = gaz.place(id);
            let types: Vec<String> = s.types.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            layer.features.push(LayerFeature::new(
                Point::from(p.point).into(),
                vec![
                    Value::text(p.id),
                    Value::text(p.name),
                    Value::text(p.kind.code()),
                    Value::opt_text(p.country),
                    Value::opt_text(gaz.admin1_name(p)),
                    Value::Integer(p.population as i64),
                    Value::Integer(s.mentions as i64),
                    Value::Integer(s.events as i64),
                    Value::text(types.join(",")),
                    Value::text(s.surface.join("|")),
                    Value::text(s.docs.join(",")),
                ],
            ));
        }
        layer
    }

    /// The routes layer: one line per route, split at the antimeridian where it crosses.
    pub fn routes(gaz: &Gazetteer, routes: &[Route]) -> Layer {
        let mut layer = Layer::empty("routes");
        for r in routes {
            let e = r.event;
            let names = |role: Role| -> Value {
                let v: Vec<&str> = r
                    .places
                    .iter()
                    .filter(|(_, ro)| *ro == role)
                    .map(|(p, _)| gaz.place(*p).name)
                    .collect();
                if v.is_empty() {
                    Value::Null
                } else {
                    Value::text(v.join("|"))
                }
            };
            let ids: Vec<&str> = r.places.iter().map(|(p, _)| gaz.place(*p).id).collect();
            let km: f64 = r.points.windows(2).map(|w| w[0].distance_km(w[1])).sum();
            let line: LineString<f64> = r.points.iter().map(|p| (p.lon, p.lat)).collect();
            layer.features.push(LayerFeature::new(
                line.into(),
                vec![
                    Value::text(&e.id),
                    Value::text(&e.doc_id),
                    Value::text(e.event_type.as_str()),
                    Value::text(e.actors.join(",")),
                    e.date.map(Value::Date).unwrap_or(Value::Null),
                    Value::text(e.date_precision.as_str()),
                    names(Role::Origin),
                    names(Role::Via),
                    names(Role::Destination),
                    Value::text(ids.join(",")),
                    Value::Real(km.round()),
                    Value::Real((e.confidence * 100.0).round() / 100.0),
                    Value::text(&e.sentence),
                    Value::opt_text(e.cameo()),
                    Value::text(e.geo_precision.as_str()),
                    Value::Integer(e.char_start as i64),
                    Value::Integer(e.char_end as i64),
                ],
            ));
        }
        layer
    }

    /// The extent of all features as (west, south, east, north), `None` when empty.
    pub fn extent(&self) -> Option<[f64; 4]> {
        let mut b: Option<[f64; 4]> = None;
        for f in &self.features {
            if let Some(r) = bounds(&f.geometry) {
                let e = b.get_or_insert([f64::MAX, f64::MAX, f64::MIN, f64::MIN]);
                e[0] = e[0].min(r.min().x);
                e[1] = e[1].min(r.min().y);
                e[2] = e[2].max(r.max().x);
                e[3] = e[3].max(r.max().y);
            }
        }
        b
    }

    /// True when some feature is a `Multi*` geometry, so single-type formats
    /// (GeoPackage) must declare and write the `Multi*` type.
    pub fn has_multi(&self) -> bool {
        self.features
            .iter()
            .any(|f| GeometryType::of(&f.geometry).is_some_and(|(_, m)| m))
    }

    /// Checks that every feature has one value per field of the field's type,
    /// and a geometry of the layer's type with finite WGS 84 coordinates.
    pub fn validate(&self) -> Result<(), String> {
        for (i, f) in self.features.iter().enumerate() {
            if f.values.len() != self.fields.len() {
                return Err(format!(
                    "feature {} of layer `{}` has {} values for {} fields",
                    i + 1,
                    self.name,
                    f.values.len(),
                    self.fields.len()
                ));
            }
            for (v, field) in f.values.iter().zip(&self.fields) {
                let ok = matches!(
                    (v, field.field_type),
                    (Value::Null, _)
                        | (Value::Text(_), FieldType::Text)
                        | (Value::Integer(_), FieldType::Integer)
                        | (Value::Real(_), FieldType::Real)
                        | (Value::Date(_), FieldType::Date)
                );
                if !ok {
                    return Err(format!(
                        "feature {} of layer `{}`: `{}` holds {v:?}, not {:?}",
                        i + 1,
                        self.name,
                        field.name,
                        field.field_type
                    ));
                }
            }
            match GeometryType::of(&f.geometry) {
                Some((t, _)) if t == self.geometry_type => {}
                _ => {
                    return Err(format!(
                        "feature {} of layer `{}` is not a {}",
                        i + 1,
                        self.name,
                        self.geometry_type.ogc_name(false)
                    ))
                }
            }
            use geo::CoordsIter;
            let bad = f.geometry.coords_iter().any(|c| {
                !(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0)
            });
            if bad {
                return Err(format!(
                    "feature {} of layer `{}` has coordinates outside ±180/±90",
                    i + 1,
                    self.name
                ));
            }
        }
        Ok(())
    }
}

/// The routes the events stage found (ordered places and a line kept on the water),
/// one per movement event that has one.
pub fn routes_from_events<'a>(_gaz: &Gazetteer, events: &'a [Event]) -> Vec<Route<'a>> {
    events
        .iter()
        .filter_map(|e| {
            let r = e.route.as_ref()?;
            // The events stage keeps longitudes continuous; layers wrap them to ±180 and
            // split the line where it crosses the antimeridian.
            let points = r
                .line
                .iter()
                .map(|p| LonLat::new((p.lon + 180.0).rem_euclid(360.0) - 180.0, p.lat))
                .collect();
            Some(Route {
                event: e,
                places: r.places.clone(),
                points,
            })
        })
        .collect()
}

fn mention_type_str(t: MentionType) -> &'static str {
    match t {
        MentionType::Literal => "literal",
        MentionType::Metonymic => "metonymic",
        MentionType::Demonym => "demonym",
        MentionType::Embedded => "embedded",
    }
}

fn bounds(g: &Geometry<f64>) -> Option<Rect<f64>> {
    use geo::BoundingRect;
    g.bounding_rect()
}

/// Splits a geometry that crosses the antimeridian into its `Multi*` form, winds
/// polygons by the right-hand rule (exterior counter-clockwise) and rounds
/// coordinates to 6 decimals. Used by every writer through `LayerFeature::new`.
///
/// A segment whose longitudes differ by more than 180° is taken to cross the
/// antimeridian (the short way round); its latitude at ±180° is interpolated.
pub fn normalize(g: Geometry<f64>) -> Geometry<f64> {
    let split = match g {
        Geometry::LineString(l) => lines_geometry(split_line(&l)),
        Geometry::MultiLineString(ml) => lines_geometry(ml.0.iter().flat_map(split_line).collect()),
        Geometry::Polygon(p) => polygons_geometry(repair(split_polygon(&p))),
        Geometry::MultiPolygon(mp) => {
            polygons_geometry(repair(mp.0.iter().flat_map(split_polygon).collect()))
        }
        other => other,
    };
    split.map_coords(|c| Coord {
        x: round6(c.x),
        y: round6(c.y),
    })
}

/// Repairs invalid polygons (self-intersections, touching rings) so strict
/// readers (GEOS in QGIS) accept them; valid ones pass unchanged.
fn repair(parts: Vec<Polygon<f64>>) -> Vec<Polygon<f64>> {
    use geo::{MakeValid, Validation};
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        // A ring with no area (all its points on one line) is dropped.
        if geo::Area::unsigned_area(&p) == 0.0 {
            continue;
        }
        if p.is_valid() {
            out.push(p);
            continue;
        }
        match p.make_valid() {
            // A ring collapsed to no area repairs to nothing and is dropped.
            Ok(mp) => out.extend(
                mp.0.into_iter()
                    .map(|q| q.orient(geo::orient::Direction::Default)),
            ),
            Err(_) => out.push(p),
        }
    }
    out
}

fn lines_geometry(mut parts: Vec<LineString<f64>>) -> Geometry<f64> {
    if parts.len() == 1 {
        parts.pop().unwrap().into()
    } else {
        MultiLineString::new(parts).into()
    }
}

fn polygons_geometry(mut parts: Vec<Polygon<f64>>) -> Geometry<f64> {
    if parts.len() == 1 {
        parts.pop().unwrap().into()
    } else {
        MultiPolygon::new(parts).into()
    }
}

/// True when the segment from `a` to `b` crosses the antimeridian: its longitudes
/// differ by more than 180° and it does not merely run along ±180°.
fn crosses(a: Coord<f64>, b: Coord<f64>) -> bool {
    (b.x - a.x).abs() > 180.0 && !(a.x.abs() == 180.0 && b.x.abs() == 180.0)
}

fn ring_crosses(l: &LineString<f64>) -> bool {
    l.0.windows(2).any(|w| crosses(w[0], w[1]))
}

/// Splits a line at every antimeridian crossing.
pub fn split_line(l: &LineString<f64>) -> Vec<LineString<f64>> {
    let mut parts = Vec::new();
    let mut cur: Vec<Coord<f64>> = Vec::new();
    for (i, c) in l.0.iter().enumerate() {
        if i > 0 {
            let a = l.0[i - 1];
            let d = c.x - a.x;
            if crosses(a, *c) {
                // Crossing eastward (170 → -170) meets +180; westward meets -180.
                let (edge, unwrapped) = if d < 0.0 {
                    (180.0, c.x + 360.0)
                } else {
                    (-180.0, c.x - 360.0)
                };
                let t = (edge - a.x) / (unwrapped - a.x);
                let lat = a.y + t * (c.y - a.y);
                if a.x != edge {
                    cur.push(Coord { x: edge, y: lat });
                }
                if cur.len() >= 2 {
                    parts.push(LineString::new(std::mem::take(&mut cur)));
                }
                cur.clear();
                if c.x != -edge {
                    cur.push(Coord { x: -edge, y: lat });
                }
            }
        }
        cur.push(*c);
    }
    if cur.len() >= 2 {
        parts.push(LineString::new(cur));
    }
    if parts.is_empty() {
        parts.push(l.clone());
    }
    parts
}

/// Splits a polygon at the antimeridian: its rings are unwrapped to continuous
/// longitudes, then clipped to the world and the worlds either side, which are
/// shifted back by 360°.
pub fn split_polygon(p: &Polygon<f64>) -> Vec<Polygon<f64>> {
    if !ring_crosses(p.exterior()) && !p.interiors().iter().any(ring_crosses) {
        return vec![p.clone().orient(geo::orient::Direction::Default)];
    }
    let unwrap = |l: &LineString<f64>| -> LineString<f64> {
        let mut out: Vec<Coord<f64>> = Vec::with_capacity(l.0.len());
        for c in &l.0 {
            let mut x = c.x;
            if let Some(prev) = out.last() {
                while x - prev.x > 180.0 {
                    x -= 360.0;
                }
                while x - prev.x < -180.0 {
                    x += 360.0;
                }
            }
            out.push(Coord { x, y: c.y });
        }
        LineString::new(out)
    };
    let exterior = unwrap(p.exterior());
    // A ring around a pole (Antarctica) does not close once unwrapped: it already
    // runs from -180° to 180° and needs no split.
    if let (Some(a), Some(b)) = (exterior.0.first(), exterior.0.last()) {
        if (a.x - b.x).abs() > 180.0 {
            return vec![p.clone().orient(geo::orient::Direction::Default)];
        }
    }
    let un = Polygon::new(
        exterior,
        p.interiors().iter().map(unwrap).collect::<Vec<_>>(),
    );
    let inside = un
        .exterior()
        .0
        .iter()
        .all(|c| (-180.0..=180.0).contains(&c.x));
    if inside {
        return vec![un.orient(geo::orient::Direction::Default)];
    }
    let mut out = Vec::new();
    for shift in [-360.0, 0.0, 360.0] {
        let window = Rect::new(
            Coord {
                x: -180.0 + shift,
                y: -90.0,
            },
            Coord {
                x: 180.0 + shift,
                y: 90.0,
            },
        )
        .to_polygon();
        let clipped: MultiPolygon<f64> = un.intersection(&window);
        for part in clipped.0 {
            let moved = part.map_coords(|c| Coord {
                x: c.x - shift,
                y: c.y,
            });
            out.push(moved.orient(geo::orient::Direction::Default));
        }
    }
    out
}

/// A layer of one route across the antimeridian whose text values hold commas,
/// quotes, a line break, Japanese and (first) a leading `=`.
#[cfg(test)]
pub(crate) fn tricky_layer() -> Layer {
    let (geometry_type, fields) = Layer::schema("routes").unwrap();
    let mut values: Vec<Value> = fields
        .iter()
        .map(|f| match f.field_type {
            FieldType::Text => Value::Text(format!("{}: a, \"b\"\nc 日本語", f.name)),
            FieldType::Integer => Value::Integer(7),
            FieldType::Real => Value::Real(12.5),
            FieldType::Date => Value::Date(NaiveDate::from_ymd_opt(2024, 7, 15).unwrap()),
        })
        .collect();
    values[0] = Value::Text("=HYPERLINK(\"x\")".into());
    values[3] = Value::Null;
    Layer {
        name: "routes".into(),
        geometry_type,
        fields,
        features: vec![LayerFeature::new(
            LineString::from(vec![(178.4, -18.1), (-171.8, -13.8)]).into(),
            values,
        )],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{line_string, polygon, Area};

    #[test]
    fn a_line_across_the_antimeridian_is_split_with_interpolated_latitude() {
        let l = line_string![(x: 170.0, y: 50.0), (x: -170.0, y: 60.0)];
        match normalize(l.into()) {
            Geometry::MultiLineString(ml) => {
                assert_eq!(ml.0.len(), 2);
                assert_eq!(ml.0[0].0.last().unwrap(), &Coord { x: 180.0, y: 55.0 });
                assert_eq!(ml.0[1].0.first().unwrap(), &Coord { x: -180.0, y: 55.0 });
            }
            g => panic!("not split: {g:?}"),
        }
        // Westward too.
        let l = line_string![(x: -175.0, y: -14.0), (x: 178.0, y: -18.0)];
        let Geometry::MultiLineString(ml) = normalize(l.into()) else {
            panic!("not split")
        };
        assert_eq!(ml.0[0].0.last().unwrap().x, -180.0);
        assert_eq!(ml.0[1].0.first().unwrap().x, 180.0);
    }

    #[test]
    fn a_line_that_does_not_cross_stays_whole() {
        let l = line_string![(x: 129.0, y: 34.0), (x: 131.9, y: 43.1)];
        assert!(matches!(normalize(l.into()), Geometry::LineString(_)));
    }

    #[test]
    fn polygons_follow_the_right_hand_rule_and_split() {
        // Clockwise square: rewound counter-clockwise.
        let p = polygon![(x: 0.0, y: 0.0), (x: 0.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0)];
        let Geometry::Polygon(p) = normalize(p.into()) else {
            panic!()
        };
        assert!(p.signed_area() > 0.0);
        // A box from 175°E to 175°W.
        let p = polygon![(x: 175.0, y: 0.0), (x: -175.0, y: 0.0), (x: -175.0, y: 5.0), (x: 175.0, y: 5.0)];
        let Geometry::MultiPolygon(mp) = normalize(p.into()) else {
            panic!("not split")
        };
        assert_eq!(mp.0.len(), 2);
        for part in &mp.0 {
            assert!(part.signed_area() > 0.0);
            assert!(part.exterior().0.iter().all(|c| c.x.abs() <= 180.0));
        }
        let total: f64 = mp.0.iter().map(|p| p.unsigned_area()).sum();
        assert!((total - 50.0).abs() < 1e-6, "{total}");
    }

    #[test]
    fn values_round_trip_through_json_and_text() {
        let d = NaiveDate::from_ymd_opt(2024, 7, 15).unwrap();
        for (v, t) in [
            (Value::Date(d), FieldType::Date),
            (Value::Integer(-3), FieldType::Integer),
            (Value::Real(0.25), FieldType::Real),
            (Value::text("=1+2, \"q\"\n日本"), FieldType::Text),
            (Value::Null, FieldType::Integer),
        ] {
            assert_eq!(Value::from_json(&v.to_json(), t), Some(v.clone()));
            let text = v.to_text().unwrap_or_default();
            assert_eq!(Value::from_text(&text, t), Some(v.clone()));
        }
    }
}
