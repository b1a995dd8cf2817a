//! One event per happening: the same event reported in several sentences is merged,
//! an event placed only by context joins its placed report, and an event that names no
//! actor takes those of the last event of its type. Each is one pass with hash maps.

use std::collections::HashMap;

use super::{Event, EventType};
use crate::gazetteer::{Gazetteer, PlaceId, PlaceKind};

/// At most this many other sentences' spans are listed on a merged event; `reports`
/// still counts them all.
pub const MAX_ALSO_IN: usize = 50;

/// "The one-week patrol ... involved ten warships": an event whose sentence names no
/// actor is done by those of the last event of its type ("the patrol" refers back).
pub(super) fn inherit_actors(events: &mut [Event]) {
    let mut last: HashMap<EventType, usize> = HashMap::new();
    for i in 0..events.len() {
        let ty = events[i].event_type;
        if events[i].actors.is_empty() && !ty.is_verbal() {
            if let Some(&j) = last.get(&ty) {
                events[i].actors = events[j].actors.clone();
            }
        }
        if !events[i].actors.is_empty() {
            last.insert(ty, i);
        }
    }
}

/// "The objective of the joint patrol ...": an event named by a definite noun that
/// refers back is the last event of its type reported before; it adds its evidence,
/// not its places (which say what the event was for, not where it was).
pub(super) fn fold_references(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut last: HashMap<EventType, usize> = HashMap::new();
    for e in events {
        let earlier = last.get(&e.event_type).copied();
        match earlier {
            Some(i) if e.anaphoric && e.modality == out[i].modality => {
                let o = &mut out[i];
                // The reference may say more precisely where ("the one-week patrol ... in
                // the Tsugaru strait" after "patrols in the western Pacific").
                if fineness(e.geo_precision) < fineness(o.geo_precision) {
                    o.places = e.places.clone();
                    o.geo_precision = e.geo_precision;
                    o.sentence.clone_from(&e.sentence);
                    o.trigger.clone_from(&e.trigger);
                    o.char_start = e.char_start;
                    o.char_end = e.char_end;
                    if o.quantity.is_none() {
                        o.quantity.clone_from(&e.quantity);
                    }
                }
                for a in e.actors {
                    if !o.actors.contains(&a) {
                        o.actors.push(a);
                    }
                }
                if o.actor1.is_none() {
                    o.actor1 = e.actor1;
                }
                if o.date_inferred && !e.date_inferred {
                    o.date = e.date;
                    o.date_precision = e.date_precision;
                    o.date_end = e.date_end;
                    o.date_inferred = false;
                }
                if o.also_in.len() < MAX_ALSO_IN {
                    o.also_in.push((e.char_start, e.char_end));
                }
                o.reports += e.reports;
            }
            _ => {
                last.insert(e.event_type, out.len());
                out.push(e);
            }
        }
    }
    out
}

/// How finely a precision places an event: lower is finer.
fn fineness(g: super::GeoPrecision) -> u8 {
    use super::GeoPrecision::*;
    match g {
        Point => 0,
        Town => 1,
        Admin1 => 2,
        Area | Sea => 3,
        Country => 4,
        OceanRegion => 5,
        Context => 6,
        Document => 7,
    }
}

/// The places an event's main place lies in that could be another report's main place:
/// its first-order division and its country.
fn ancestors(gaz: &Gazetteer, p: PlaceId) -> [Option<PlaceId>; 2] {
    let place = gaz.place(p);
    let country = place
        .country
        .and_then(|c| gaz.country(c))
        .filter(|&c| c != p);
    let admin1 = match place.kind {
        PlaceKind::Country | PlaceKind::Admin1 => None,
        _ => place
            .country
            .zip(place.admin1)
            .and_then(|(c, a)| gaz.admin1(c, a)),
    };
    [admin1, country]
}

/// Adds the later report `e` to the event `o` reported before.
fn absorb(gaz: &Gazetteer, o: &mut Event, mut e: Event) {
    let first = |e: &Event| e.places.first().map(|p| p.place);
    // Keep the more precise report's place and precision first.
    if let (Some(a), Some(b)) = (first(o), first(&e)) {
        if gaz.contains(a, b) {
            std::mem::swap(&mut o.places, &mut e.places);
            std::mem::swap(&mut o.geo_precision, &mut e.geo_precision);
            std::mem::swap(&mut o.sentence, &mut e.sentence);
            std::mem::swap(&mut o.trigger, &mut e.trigger);
            std::mem::swap(&mut o.char_start, &mut e.char_start);
            std::mem::swap(&mut o.char_end, &mut e.char_end);
        }
    }
    let main = first(o);
    for a in e.actors {
        if !o.actors.contains(&a) {
            o.actors.push(a);
        }
    }
    if o.actor1.is_none() {
        o.actor1 = e.actor1;
    }
    if o.actor2.is_none() {
        o.actor2 = e.actor2;
    }
    let max = |a: Option<u32>, b: Option<u32>| match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, y) => x.or(y),
    };
    o.counts.fatalities = max(o.counts.fatalities, e.counts.fatalities);
    o.counts.injured = max(o.counts.injured, e.counts.injured);
    o.counts.size = max(o.counts.size, e.counts.size);
    o.counts.estimate |= e.counts.estimate;
    if o.date_inferred && !e.date_inferred {
        o.date = e.date;
        o.date_precision = e.date_precision;
        o.date_end = e.date_end;
        o.date_inferred = false;
    }
    if o.quantity.is_none() {
        o.quantity = e.quantity;
    }
    if o.places.len() < 8 {
        for p in e.places {
            let broader = main.is_some_and(|m| gaz.contains(p.place, m));
            if !broader && !o.places.iter().any(|x| x.place == p.place) {
                o.places.push(p);
            }
        }
    }
    o.confidence = o.confidence.max(e.confidence);
    if o.also_in.len() < MAX_ALSO_IN {
        o.also_in.push((e.char_start, e.char_end));
    }
    o.reports += e.reports;
}

/// The same event reported twice ("passed through the Tsugaru Strait", later "sailed
/// through the strait") is one event: same type, same main place or one inside the
/// other, dates that agree. The later report adds its evidence.
pub(super) fn merge_reports(gaz: &Gazetteer, events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    // (type, place) -> events whose main place is that place or lies in it.
    let mut by_place: HashMap<(EventType, PlaceId), Vec<usize>> = HashMap::new();
    for e in events {
        let mergeable = !e.event_type.is_verbal() && !e.geo_precision.is_guessed();
        let main = e.places.first().map(|p| p.place);
        let target = match (mergeable, main) {
            (true, Some(p)) => {
                let dates_agree =
                    |o: &Event| o.date_inferred || e.date_inferred || o.date == e.date;
                // An earlier report at this place, at a place inside it, or at a place
                // it lies in.
                let mut keys = vec![p];
                keys.extend(ancestors(gaz, p).into_iter().flatten());
                keys.iter().find_map(|k| {
                    by_place.get(&(e.event_type, *k)).and_then(|list| {
                        list.iter().copied().find(|&i| {
                            let o = &out[i];
                            let op = o.places.first().map(|x| x.place);
                            dates_agree(o)
                                && o.modality == e.modality
                                && op.is_some_and(|op| {
                                    op == p || gaz.contains(op, p) || gaz.contains(p, op)
                                })
                        })
                    })
                })
            }
            _ => None,
        };
        match target {
            Some(i) => absorb(gaz, &mut out[i], e),
            None => {
                if let (true, Some(p)) = (mergeable, main) {
                    let i = out.len();
                    // Indexed under its place and the places it lies in, each list short:
                    // a list holds the first few events per key.
                    for k in std::iter::once(Some(p)).chain(ancestors(gaz, p)).flatten() {
                        let list = by_place.entry((e.event_type, k)).or_default();
                        if list.len() < 4 {
                            list.push(i);
                        }
                    }
                }
                out.push(e);
            }
        }
    }
    out
}

/// An event placed only by context ("Thousands protest over school closures" in a
/// headline) that has a placed report of the same type in the text is that report.
pub(super) fn fold_unplaced(events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    let mut pending: Vec<Event> = Vec::new();
    for e in events {
        if e.geo_precision.is_guessed() && !e.event_type.is_verbal() {
            pending.push(e);
        } else {
            out.push(e);
        }
    }
    let mut first_placed: HashMap<EventType, usize> = HashMap::new();
    for (i, o) in out.iter().enumerate() {
        if !o.event_type.is_verbal() {
            first_placed.entry(o.event_type).or_insert(i);
        }
    }
    for e in pending {
        let target = first_placed.get(&e.event_type).copied().filter(|&i| {
            let o = &out[i];
            o.date_inferred || e.date_inferred || o.date == e.date
        });
        match target {
            Some(i) => {
                let o = &mut out[i];
                for a in e.actors {
                    if !o.actors.contains(&a) {
                        o.actors.push(a);
                    }
                }
                if o.actor1.is_none() {
                    o.actor1 = e.actor1;
                }
                if o.actor2.is_none() {
                    o.actor2 = e.actor2;
                }
                if o.date_inferred && !e.date_inferred {
                    o.date = e.date;
                    o.date_precision = e.date_precision;
                    o.date_end = e.date_end;
                    o.date_inferred = false;
                }
                if o.counts.fatalities.is_none() {
                    o.counts.fatalities = e.counts.fatalities;
                }
                if o.counts.injured.is_none() {
                    o.counts.injured = e.counts.injured;
                }
                if o.also_in.len() < MAX_ALSO_IN {
                    o.also_in.push((e.char_start, e.char_end));
                }
                o.reports += e.reports;
            }
            None => out.push(e),
        }
    }
    out.sort_by_key(|e| e.char_start);
    out
}
