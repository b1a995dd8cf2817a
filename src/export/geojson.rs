//! GeoJSON (RFC 7946) layers: events and places as point FeatureCollections,
//! WGS 84 longitude/latitude with 6 decimals, a `bbox` and a `name` for GDAL.

use std::collections::BTreeMap;
use std::io::Write;

use geojson::{Feature, FeatureCollection, Geometry, JsonObject, JsonValue};
use serde_json::json;

use crate::coords::LonLat;
use crate::events::Event;
use crate::gazetteer::{Gazetteer, PlaceId};
use crate::geoparse::{Mention, MentionType};

/// Rounds to 6 decimals (about 0.1 m), as RFC 7946 recommends.
fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn point(p: LonLat) -> Geometry {
    Geometry::new_point([round6(p.lon), round6(p.lat)])
}

fn collection(name: &str, features: Vec<Feature>, points: &[LonLat]) -> FeatureCollection {
    let mut fc = FeatureCollection::new(features);
    if !points.is_empty() {
        let (mut w, mut s, mut e, mut n) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in points {
            w = w.min(p.lon);
            s = s.min(p.lat);
            e = e.max(p.lon);
            n = n.max(p.lat);
        }
        fc.bbox = Some(vec![round6(w), round6(s), round6(e), round6(n)]);
    }
    let mut members = JsonObject::new();
    members.insert("name".into(), JsonValue::String(name.into()));
    fc.foreign_members = Some(members);
    fc
}

fn feature(geometry: Geometry, props: JsonValue) -> Feature {
    Feature {
        bbox: None,
        geometry: Some(geometry),
        id: None,
        properties: props.as_object().cloned(),
        foreign_members: None,
    }
}

/// The events layer: one point Feature per event and place.
pub fn events_collection(gaz: &Gazetteer, events: &[Event]) -> FeatureCollection {
    let mut features = Vec::new();
    let mut points = Vec::new();
    for e in events {
        for ep in &e.places {
            let p = gaz.place(ep.place);
            points.push(p.point);
            features.push(feature(
                point(p.point),
                json!({
                    "event_id": e.id,
                    "doc_id": e.doc_id,
                    "event_type": e.event_type.as_str(),
                    "cameo": e.cameo,
                    "trigger": e.trigger,
                    "actors": e.actors.join(","),
                    "date": e.date.map(|d| d.to_string()),
                    "date_precision": e.date_precision.as_str(),
                    "place_id": p.id,
                    "place_name": p.name,
                    "place_kind": p.kind.code(),
                    "place_role": ep.role.as_str(),
                    "place_text": ep.text,
                    "geo_precision": e.geo_precision.as_str(),
                    "confidence": (e.confidence * 100.0).round() / 100.0,
                    "quantity": e.quantity,
                    "sentence": e.sentence,
                    "char_start": e.char_start,
                    "char_end": e.char_end,
                }),
            ));
        }
    }
    collection("events", features, &points)
}

/// One resolved place with what the documents said of it.
struct PlaceSummary {
    mentions: usize,
    events: usize,
    docs: Vec<String>,
    types: BTreeMap<&'static str, usize>,
    surface: Vec<String>,
}

/// The places layer: one point per resolved place, with its counts of mentions and events.
pub fn places_collection(
    gaz: &Gazetteer,
    docs: &[(String, &[Mention], &[Event])],
) -> FeatureCollection {
    let mut by_place: BTreeMap<PlaceId, PlaceSummary> = BTreeMap::new();
    let mut blank = || PlaceSummary {
        mentions: 0,
        events: 0,
        docs: Vec::new(),
        types: BTreeMap::new(),
        surface: Vec::new(),
    };
    for (doc_id, mentions, events) in docs {
        for m in mentions.iter() {
            let s = by_place.entry(m.place).or_insert_with(&mut blank);
            s.mentions += 1;
            *s.types.entry(mention_type_str(m.mention_type)).or_default() += 1;
            if !s.docs.contains(doc_id) {
                s.docs.push(doc_id.clone());
            }
            if !s.surface.contains(&m.text) {
                s.surface.push(m.text.clone());
            }
        }
        for e in events.iter() {
            for ep in &e.places {
                by_place.entry(ep.place).or_insert_with(&mut blank).events += 1;
            }
        }
    }
    // Most mentioned first, so readers and labels meet the important places first.
    let mut rows: Vec<(PlaceId, PlaceSummary)> = by_place.into_iter().collect();
    rows.sort_by(|a, b| b.1.mentions.cmp(&a.1.mentions).then(a.0.cmp(&b.0)));
    let mut points = Vec::new();
    let features = rows
        .into_iter()
        .map(|(id, s)| {
            let p = gaz.place(id);
            points.push(p.point);
            feature(
                point(p.point),
                json!({
                    "place_id": p.id,
                    "name": p.name,
                    "kind": p.kind.code(),
                    "country": p.country,
                    "admin1": gaz.admin1_name(p),
                    "population": p.population,
                    "mentions": s.mentions,
                    "events": s.events,
                    "mention_types": s.types.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(","),
                    "names_in_text": s.surface.join("|"),
                    "doc_ids": s.docs.join(","),
                }),
            )
        })
        .collect();
    collection("places", features, &points)
}

fn mention_type_str(t: MentionType) -> &'static str {
    match t {
        MentionType::Literal => "literal",
        MentionType::Metonymic => "metonymic",
        MentionType::Demonym => "demonym",
        MentionType::Embedded => "embedded",
    }
}

/// Serialises a collection as compact JSON text with a trailing newline.
pub fn write_collection<W: Write>(fc: &FeatureCollection, mut w: W) -> std::io::Result<()> {
    serde_json::to_writer(&mut w, fc)?;
    w.write_all(b"\n")
}
