//! Routes of movements: the ordered places a transit or patrol went through, and a
//! line through them that stays on the water where the places are water.

use std::collections::HashMap;

use serde::Serialize;

use super::{Event, EventPlace, GeoPrecision, Role};
use crate::coords::LonLat;
use crate::gazetteer::{Gazetteer, PlaceId, PlaceKind};
use crate::geoparse::tokens::Token;
use crate::geoparse::Mention;

/// A movement's path.
#[derive(Clone, Debug, Serialize)]
pub struct Route {
    /// Places in travel order, each with its role (origin, via, destination).
    #[serde(skip)]
    pub places: Vec<(PlaceId, Role)>,
    /// The line to draw, west-east continuous (longitudes may pass ±180 and are
    /// split by the exporters).
    pub line: Vec<LonLat>,
}

/// Each passage's two waters, with the points of their mentions.
pub type Connections = HashMap<PlaceId, ((PlaceId, LonLat), (PlaceId, LonLat))>;

/// Passages the text describes as joining two bodies of water:
/// "the Tsugaru Strait, which connects the Sea of Japan with the Pacific Ocean".
pub fn connections(gaz: &Gazetteer, toks: &[Token], mentions: &[Mention]) -> Connections {
    let mut out = HashMap::new();
    for (i, m) in mentions.iter().enumerate() {
        if !is_passage(gaz.place(m.place).kind) {
            continue;
        }
        // "<passage> (, ) that|which connects|links|joins <X> with|and|to <Y>"
        let t = m.end_token;
        let w = |k: usize| toks.get(k).map(|x| x.folded.as_str()).unwrap_or("");
        if !matches!(w(t), "that" | "which")
            || !matches!(
                w(t + 1),
                "connects" | "links" | "joins" | "connect" | "link"
            )
        {
            continue;
        }
        let (Some(x), Some(y)) = (mentions.get(i + 1), mentions.get(i + 2)) else {
            continue;
        };
        let joined = x.first_token >= t + 2
            && x.first_token <= t + 4
            && matches!(w(x.end_token), "with" | "and" | "to")
            && y.first_token <= x.end_token + 3;
        if joined && gaz.place(x.place).kind.is_water() && gaz.place(y.place).kind.is_water() {
            out.entry(m.place)
                .or_insert(((x.place, x.point(gaz)), (y.place, y.point(gaz))));
        }
    }
    out
}

fn is_passage(k: PlaceKind) -> bool {
    matches!(k, PlaceKind::Strait | PlaceKind::Channel | PlaceKind::Canal)
}

/// Orders an event's places into a route where it has one, adding the waters a
/// passage connects when the event only names the passage.
pub fn attach_route(gaz: &Gazetteer, e: &mut Event, connections: &Connections) {
    if e.geo_precision == GeoPrecision::Document {
        return;
    }
    let rank = |r: Role| match r {
        Role::Origin => 0,
        Role::At | Role::Via => 1,
        Role::Destination => 2,
    };
    let mut places: Vec<(PlaceId, Role)> = e.places.iter().map(|p| (p.place, p.role)).collect();
    places.sort_by_key(|(_, r)| rank(*r));
    let has_ends = places
        .iter()
        .any(|(_, r)| matches!(r, Role::Origin | Role::Destination));
    if !(places.len() >= 2 && has_ends) {
        // Only a passage named: route it between the waters it connects.
        let passage = places
            .iter()
            .find(|(p, _)| is_passage(gaz.place(*p).kind) && connections.contains_key(p));
        let Some(&(p, _)) = passage else { return };
        let ((x, x_at), (y, y_at)) = connections[&p];
        // The waters are drawn where the text's mentions put them (the Pacific off Japan).
        for (q, at, role) in [(x, x_at, Role::Origin), (y, y_at, Role::Destination)] {
            if !e.places.iter().any(|ep| ep.place == q) {
                e.places.push(EventPlace {
                    place: q,
                    point: at,
                    role,
                    near: false,
                    text: gaz.place(q).name.to_string(),
                });
            }
        }
        places = vec![(x, Role::Origin), (p, Role::Via), (y, Role::Destination)];
    }
    let line = route_line(gaz, &places);
    if line.len() >= 2 {
        e.route = Some(Route { places, line });
    }
}

/// Do two boxes overlap (with a margin of half a degree)? Boxes across 180° are unwrapped.
fn boxes_touch(a: &crate::coords::BBox, b: &crate::coords::BBox) -> bool {
    let span = |x: &crate::coords::BBox| {
        let e = if x.crosses_antimeridian() {
            x.east + 360.0
        } else {
            x.east
        };
        (x.west, e)
    };
    let ((aw, ae), (bw, be)) = (span(a), span(b));
    let lat = a.south - 0.5 <= b.north && b.south - 0.5 <= a.north;
    let lon = [-360.0, 0.0, 360.0]
        .iter()
        .any(|s| aw - 0.5 <= be + s && bw + s - 0.5 <= ae);
    lat && lon
}

/// Unwraps `b` so it lies within 180° of `a` in longitude.
fn near(a: LonLat, mut b: LonLat) -> LonLat {
    while b.lon - a.lon > 180.0 {
        b.lon -= 360.0;
    }
    while a.lon - b.lon > 180.0 {
        b.lon += 360.0;
    }
    b
}

/// The two ends of a passage along the long side of its box.
fn passage_ends(gaz: &Gazetteer, p: PlaceId) -> Option<(LonLat, LonLat)> {
    let place = gaz.place(p);
    let b = place.bbox?;
    let c = place.point;
    let width_km = b.width_deg() * 111.32 * c.lat.to_radians().cos();
    let height_km = (b.north - b.south) * 110.57;
    let east = if b.crosses_antimeridian() {
        b.east + 360.0
    } else {
        b.east
    };
    Some(if width_km >= height_km {
        (LonLat::new(b.west, c.lat), LonLat::new(east, c.lat))
    } else {
        (LonLat::new(c.lon, b.south), LonLat::new(c.lon, b.north))
    })
}

/// A line through the route's places. A passage is crossed end to end; a large body
/// of water next to a passage is entered just beyond the passage's end rather than at
/// its far-off centre, so the line stays on the water.
fn route_line(gaz: &Gazetteer, places: &[(PlaceId, Role)]) -> Vec<LonLat> {
    let mut line: Vec<LonLat> = Vec::new();
    let n = places.len();
    for (i, (p, _)) in places.iter().enumerate() {
        let place = gaz.place(*p);
        let prev = i.checked_sub(1).map(|j| gaz.place(places[j].0).point);
        let next = places.get(i + 1).map(|(q, _)| gaz.place(*q).point);
        if is_passage(place.kind) {
            if let Some((a, b)) = passage_ends(gaz, *p) {
                // Enter at the end nearer the previous place.
                let from = prev.unwrap_or(next.unwrap_or(a));
                let (first, second) =
                    if near(a, from).distance_km(a) <= near(b, from).distance_km(b) {
                        (a, b)
                    } else {
                        (b, a)
                    };
                line.extend([first, place.point, second]);
                continue;
            }
        }
        let big_water =
            place.kind.is_water() && place.bbox.is_some_and(|b| b.diagonal_km() > 600.0);
        let beside_passage =
            |j: Option<usize>| j.is_some_and(|j| is_passage(gaz.place(places[j].0).kind));
        // Only a sea the passage opens into: their boxes touch.
        let touches = |j: usize| {
            let (a, b) = (place.bbox, gaz.place(places[j].0).bbox);
            a.zip(b).is_some_and(|(a, b)| boxes_touch(&a, &b))
        };
        let first_beside = i == 0 && n > 1 && beside_passage(Some(1)) && touches(1);
        let last_beside = i + 1 == n && i > 0 && beside_passage(Some(i - 1)) && touches(i - 1);
        if big_water && (first_beside || last_beside) {
            // Step 1° beyond the passage's end, away from the passage's centre.
            let j = if i == 0 { 1 } else { i - 1 };
            if let Some((a, b)) = passage_ends(gaz, places[j].0) {
                let centre = gaz.place(places[j].0).point;
                let toward = near(centre, place.point);
                let end = if near(a, toward).distance_km(a) <= near(b, toward).distance_km(b) {
                    a
                } else {
                    b
                };
                let (dx, dy) = (end.lon - centre.lon, end.lat - centre.lat);
                let len = (dx * dx + dy * dy).sqrt().max(1e-9);
                let beyond = LonLat::new(end.lon + dx / len, end.lat + dy / len);
                line.push(beyond);
                continue;
            }
        }
        line.push(place.point);
    }
    // Make longitudes continuous (a route across the Pacific goes through 180°).
    for k in 1..line.len() {
        line[k] = near(line[k - 1], line[k]);
    }
    line.dedup_by(|a, b| a.distance_km(*b) < 0.01);
    line
}
