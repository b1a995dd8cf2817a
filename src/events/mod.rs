//! Events: who did what, when and where, one sentence at a time, with the evidence kept.

pub mod dates;
mod routes;
mod types;

use std::collections::HashMap;

use serde::Serialize;

pub use dates::{DatePrecision, FoundDate};
pub use routes::Route;
pub use types::EventType;

use crate::coords::LonLat;
use crate::gazetteer::{Gazetteer, PlaceId, PlaceKind};
use crate::geoparse::tokens::{Gap, Token};
use crate::geoparse::{Mention, MentionType};
use crate::input::Document;

/// The part a place plays in an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    At,
    Origin,
    Destination,
    Via,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::At => "at",
            Role::Origin => "origin",
            Role::Destination => "destination",
            Role::Via => "via",
        }
    }
}

/// How precisely an event's location is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GeoPrecision {
    /// A building or landmark: an exact point.
    Point,
    /// A town or city.
    Town,
    /// A first-order division (province, state, prefecture).
    Admin1,
    /// A whole country.
    Country,
    /// A sea, strait, gulf, bay, channel, lake or river.
    Sea,
    /// An island, peninsula, mountain range or desert.
    Area,
    /// An ocean, continent or large named region.
    OceanRegion,
    /// The sentence names no place; taken from the sentence before.
    Context,
    /// The sentence names no place; taken from the document's main place.
    Document,
}

impl GeoPrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            GeoPrecision::Point => "point",
            GeoPrecision::Town => "town",
            GeoPrecision::Admin1 => "admin1",
            GeoPrecision::Country => "country",
            GeoPrecision::Sea => "sea",
            GeoPrecision::Area => "area",
            GeoPrecision::OceanRegion => "ocean_region",
            GeoPrecision::Context => "context",
            GeoPrecision::Document => "document",
        }
    }

    /// The precision a place of this kind gives.
    pub fn of_kind(kind: PlaceKind) -> GeoPrecision {
        match kind {
            PlaceKind::Building | PlaceKind::Airport => GeoPrecision::Point,
            PlaceKind::City | PlaceKind::Capital => GeoPrecision::Town,
            PlaceKind::Admin1 | PlaceKind::Admin2 => GeoPrecision::Admin1,
            PlaceKind::Country => GeoPrecision::Country,
            PlaceKind::Ocean | PlaceKind::Continent | PlaceKind::Region => {
                GeoPrecision::OceanRegion
            }
            k if k.is_water() => GeoPrecision::Sea,
            _ => GeoPrecision::Area,
        }
    }
}

/// A place an event happened at, with its role.
#[derive(Clone, Debug, Serialize)]
pub struct EventPlace {
    #[serde(skip)]
    pub place: PlaceId,
    /// Where the event is drawn: the mention's point (see `Mention::point`).
    #[serde(skip)]
    pub point: LonLat,
    pub role: Role,
    /// The words in the text that named it.
    pub text: String,
}

/// One event: who did what, when and where.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    pub id: String,
    pub doc_id: String,
    pub event_type: EventType,
    pub cameo: Option<&'static str>,
    /// The trigger words, as written.
    pub trigger: String,
    /// ISO 3166-1 alpha-3 codes and organisation names.
    pub actors: Vec<String>,
    pub date: Option<chrono::NaiveDate>,
    pub date_precision: DatePrecision,
    pub places: Vec<EventPlace>,
    pub geo_precision: GeoPrecision,
    pub confidence: f64,
    /// A quantity that qualifies the event ("10 warships").
    pub quantity: Option<String>,
    /// For movements: the ordered places and the line through them.
    pub route: Option<Route>,
    pub sentence: String,
    /// Sentence span in Unicode characters, end exclusive.
    pub char_start: usize,
    pub char_end: usize,
    /// Spans of other sentences that report the same event (merged into this one).
    pub also_in: Vec<(usize, usize)>,
}

/// A sentence as a token range and a character span.
#[derive(Clone, Copy, Debug)]
pub struct Sentence {
    pub first_token: usize,
    pub end_token: usize,
    pub start: usize,
    pub end: usize,
    byte_start: usize,
    byte_end: usize,
}

/// Splits the token stream into sentences (abbreviations such as "U.S." do not end one).
pub fn sentences(text: &str, toks: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut first = 0;
    for i in 1..=toks.len() {
        if i == toks.len() || toks[i].sentence_start {
            let last = &toks[i - 1];
            // Take trailing punctuation and closing quotes up to the next token or line end.
            let tail_limit = toks.get(i).map(|t| t.byte_start).unwrap_or(text.len());
            let tail = &text[last.byte_end..tail_limit];
            let keep = tail.find('\n').unwrap_or(tail.len());
            let tail = tail[..keep].trim_end();
            out.push(Sentence {
                first_token: first,
                end_token: i,
                start: toks[first].start,
                end: last.end + tail.chars().count(),
                byte_start: toks[first].byte_start,
                byte_end: last.byte_end + tail.len(),
            });
            first = i;
        }
    }
    // Include an opening quote before the first word.
    for s in &mut out {
        let before = &text[..s.byte_start];
        if let Some(c) = before.chars().last() {
            if matches!(c, '"' | '\u{201c}' | '\'' | '\u{2018}') {
                s.byte_start -= c.len_utf8();
                s.start -= 1;
            }
        }
    }
    out
}

/// Organisations recognised as actors, by folded name.
const ORGANISATIONS: &[(&str, &str)] = &[
    ("nato", "NATO"),
    ("un", "UN"),
    ("united nations", "UN"),
    ("eu", "EU"),
    ("european union", "EU"),
    ("asean", "ASEAN"),
    ("g7", "G7"),
    ("g20", "G20"),
    ("opec", "OPEC"),
    ("who", "WHO"),
    ("iaea", "IAEA"),
    ("african union", "AU"),
    ("hamas", "Hamas"),
    ("hezbollah", "Hezbollah"),
    ("taliban", "Taliban"),
    ("red cross", "ICRC"),
    ("imf", "IMF"),
    ("world bank", "World Bank"),
];

/// Seats of government used for the government itself.
const SEATS: &[(&str, &str)] = &[
    ("kremlin", "RUS"),
    ("white house", "USA"),
    ("pentagon", "USA"),
    ("downing street", "GBR"),
    ("elysee", "FRA"),
    ("zhongnanhai", "CHN"),
];

/// Prepositions that put an event at, into or through a place.
fn locative_role(word: &str) -> Option<Role> {
    Some(match word {
        "in" | "at" | "near" | "off" | "over" | "inside" | "outside" | "around" | "within"
        | "on" | "along" | "across" | "throughout" => Role::At,
        // Verbs whose object is where it happened: "a strike hits Kharkiv", "shelled Donetsk".
        "hits" | "hit" | "struck" | "strikes" | "shelled" | "shells" | "bombed" | "bombs"
        | "attacked" | "attacks" | "raided" | "targeted" | "pounded" | "rocked" | "jolted"
        | "hosted" | "hosts" => Role::At,
        "through" | "via" | "between" => Role::Via,
        "into" | "to" | "toward" | "towards" | "entered" | "entering" | "enters" | "reached"
        | "reaching" | "approached" | "visited" | "visiting" => Role::Destination,
        "from" | "left" | "leaving" => Role::Origin,
        _ => return None,
    })
}

/// Words that may stand between a preposition and the place: "in the western part of the".
fn is_filler(word: &str) -> bool {
    matches!(
        word,
        "the"
            | "a"
            | "its"
            | "their"
            | "of"
            | "part"
            | "parts"
            | "western"
            | "eastern"
            | "northern"
            | "southern"
            | "central"
            | "waters"
            | "coast"
            | "coastal"
            | "shores"
            | "skies"
            | "north"
            | "south"
            | "east"
            | "west"
            | "northeast"
            | "northwest"
            | "southeast"
            | "southwest"
            | "area"
            | "vicinity"
            | "region"
            | "capital"
            | "city"
            | "disputed"
            | "nearby"
            | "international"
            | "airspace"
            | "territorial"
            | "borders"
            | "border"
            | "s"
            | "port"
            | "town"
            | "village"
            | "island"
            | "islands"
            | "province"
            | "state"
            | "mouth"
            | "entrance"
            | "heart"
            | "outskirts"
            | "centre"
            | "center"
            | "edge"
            | "rest"
            | "whole"
            | "entire"
            | "much"
            | "most"
            | "and"
            | "an"
            | "this"
    )
}

/// Nouns that make a demonym a location: "near Russian borders", "in Ukrainian territory".
fn is_location_noun(word: &str) -> bool {
    matches!(
        word,
        "border"
            | "borders"
            | "waters"
            | "territory"
            | "territorial"
            | "airspace"
            | "soil"
            | "coast"
            | "coastline"
            | "shores"
            | "port"
            | "ports"
            | "city"
            | "cities"
            | "town"
            | "towns"
            | "village"
            | "villages"
            | "region"
            | "regions"
            | "province"
            | "island"
            | "islands"
            | "mainland"
            | "capital"
            | "frontier"
    )
}

/// The preposition governing a mention, looking back over filler words.
fn governing_role(toks: &[Token], m: &Mention, sent_first: usize) -> Option<Role> {
    let mut i = m.first_token;
    let mut steps = 0;
    while i > sent_first && steps < 7 {
        i -= 1;
        steps += 1;
        let t = &toks[i];
        if let Some(r) = locative_role(&t.folded) {
            return Some(r);
        }
        // "in Shigal district, Kunar province": a comma after a unit word continues the phrase.
        let unit_comma = toks[i + 1].comma_before && crate::geoparse::is_unit_word(&t.folded);
        if !(is_filler(&t.folded) || unit_comma || t.capitalized && unit_comma_ahead(toks, i))
            || (toks[i + 1].gap_before == Gap::Break && !unit_comma)
        {
            return None;
        }
    }
    None
}

/// An unknown capitalised name inside a unit phrase: "Shigal" in "in Shigal district, Kunar".
fn unit_comma_ahead(toks: &[Token], i: usize) -> bool {
    toks.get(i + 1).is_some_and(|n| {
        matches!(
            n.folded.as_str(),
            "district" | "county" | "village" | "province" | "region" | "oblast" | "governorate"
        )
    })
}

/// Relative clauses that describe a place rather than locate the event:
/// "the strait, which separates X from Y", "that connects X with Y".
fn descriptive_from(toks: &[Token], first: usize, end: usize) -> usize {
    for i in first..end {
        let w = toks[i].folded.as_str();
        if (w == "which" || w == "that")
            && toks.get(i + 1).is_some_and(|n| {
                matches!(
                    n.folded.as_str(),
                    "connects"
                        | "separates"
                        | "links"
                        | "borders"
                        | "lies"
                        | "divides"
                        | "joins"
                        | "is"
                )
            })
        {
            return i;
        }
    }
    end
}

const QUANTITY_NOUNS: &[&str] = &[
    "warships",
    "ships",
    "vessels",
    "destroyers",
    "frigates",
    "submarines",
    "aircraft",
    "jets",
    "bombers",
    "planes",
    "helicopters",
    "drones",
    "troops",
    "soldiers",
    "diplomats",
    "people",
    "protesters",
    "missiles",
    "rockets",
    "tanks",
    "sailors",
    "civilians",
    "officials",
];

fn number_word(w: &str) -> Option<u32> {
    let n = match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        "dozens" => 24,
        "hundreds" => 200,
        "thousands" => 2000,
        _ => return w.parse().ok(),
    };
    Some(n)
}

fn find_quantity(text: &str, toks: &[Token]) -> Option<String> {
    for (i, t) in toks.iter().enumerate() {
        if number_word(&t.folded).is_none() {
            continue;
        }
        for j in i + 1..(i + 4).min(toks.len()) {
            if QUANTITY_NOUNS.contains(&toks[j].folded.as_str()) {
                return Some(text[t.byte_start..toks[j].byte_end].to_string());
            }
            if toks[j].gap_before == Gap::Break {
                break;
            }
        }
    }
    None
}

/// Finds trigger phrases in a token range: (type, first token, end token), one per type.
fn find_triggers(toks: &[Token], first: usize, end: usize) -> Vec<(EventType, usize, usize)> {
    let mut found: Vec<(EventType, usize, usize)> = Vec::new();
    let mut i = first;
    while i < end {
        let mut best: Option<(EventType, usize)> = None;
        for (phrase, ty) in types::TRIGGERS {
            let words: Vec<&str> = phrase.split(' ').collect();
            if i + words.len() > end {
                continue;
            }
            if words
                .iter()
                .enumerate()
                .all(|(k, w)| toks[i + k].folded == *w)
                && best.is_none_or(|(_, n)| words.len() > n)
            {
                best = Some((*ty, words.len()));
            }
        }
        match best {
            Some((ty, n)) => {
                if !found.iter().any(|f| f.0 == ty) {
                    found.push((ty, i, i + n));
                }
                i += n;
            }
            None => i += 1,
        }
    }
    found
}

/// Extracts the events of one document.
pub fn extract_events(
    gaz: &Gazetteer,
    doc: &Document,
    toks: &[Token],
    mentions: &[Mention],
) -> Vec<Event> {
    let text = &doc.text;
    let sents = sentences(text, toks);

    // The document's main place: the literal place named most often (ties: the smaller feature).
    let mut counts: HashMap<PlaceId, usize> = HashMap::new();
    for s in &sents {
        let in_sentence: Vec<&Mention> = mentions
            .iter()
            .filter(|m| m.first_token >= s.first_token && m.end_token <= s.end_token)
            .collect();
        for p in located_places(gaz, toks, s, &in_sentence, usize::MAX, false) {
            *counts.entry(p.place).or_default() += 1;
        }
    }
    if counts.is_empty() {
        for m in mentions
            .iter()
            .filter(|m| m.mention_type == MentionType::Literal)
        {
            *counts.entry(m.place).or_default() += 1;
        }
    }
    let focus = counts
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then_with(|| specificity(gaz, *a.0).total_cmp(&specificity(gaz, *b.0)))
                .then_with(|| b.0.cmp(a.0))
        })
        .map(|(p, _)| *p);

    let mut events = Vec::new();
    let mut prev_places: Vec<EventPlace> = Vec::new();
    for s in &sents {
        let triggers = find_triggers(toks, s.first_token, s.end_token);
        let sent_mentions: Vec<&Mention> = mentions
            .iter()
            .filter(|m| m.first_token >= s.first_token && m.end_token <= s.end_token)
            .collect();
        if triggers.is_empty() {
            prev_places = located_places(gaz, toks, s, &sent_mentions, usize::MAX, false);
            continue;
        }
        let sent_toks = &toks[s.first_token..s.end_token];
        let sentence = text[s.byte_start..s.byte_end].to_string();
        let date = find_date(sent_toks, doc.date);
        let actors = actors(gaz, toks, s, &sent_mentions);
        let quantity = find_quantity(text, sent_toks);
        let mut sentence_places = Vec::new();
        for (ty, t0, t1) in triggers {
            let mut places = if ty.is_verbal() {
                Vec::new()
            } else {
                located_places(gaz, toks, s, &sent_mentions, t0, ty.is_movement())
            };
            let mut precision = None;
            let mut confidence = 0.8;
            if ty.is_verbal() || (ty.is_diplomatic() && places.is_empty()) {
                // Said somewhere: the speaking government's seat or country, not the places
                // the statement is about. A statement with no known speaker is not mapped.
                let speaker = sent_mentions
                    .iter()
                    .find(|m| m.mention_type == MentionType::Metonymic)
                    .or_else(|| {
                        sent_mentions
                            .iter()
                            .find(|m| m.mention_type == MentionType::Demonym)
                    })
                    .or_else(|| {
                        sent_mentions.iter().find(|m| {
                            m.mention_type == MentionType::Literal
                                && matches!(
                                    gaz.place(m.place).kind,
                                    PlaceKind::Country | PlaceKind::Capital
                                )
                                && governing_role(toks, m, s.first_token).is_none()
                        })
                    });
                match speaker {
                    Some(m) => {
                        places.push(EventPlace {
                            place: m.place,
                            point: m.point(gaz),
                            role: Role::At,
                            text: m.text.clone(),
                        });
                        confidence = 0.5;
                    }
                    None if ty.is_verbal() => continue,
                    None => {}
                }
            }
            if places.is_empty() && !prev_places.is_empty() {
                places = prev_places.clone();
                precision = Some(GeoPrecision::Context);
                confidence = 0.4;
            }
            if places.is_empty() && !ty.is_verbal() && !ty.is_diplomatic() {
                if let Some(f) = focus {
                    places.push(EventPlace {
                        place: f,
                        point: gaz.place(f).point,
                        role: Role::At,
                        text: gaz.place(f).name.to_string(),
                    });
                    precision = Some(GeoPrecision::Document);
                    confidence = 0.3;
                }
            }
            if places.is_empty() {
                continue;
            }
            let geo_precision = precision.unwrap_or_else(|| {
                places
                    .iter()
                    .map(|p| GeoPrecision::of_kind(gaz.place(p.place).kind))
                    .min_by_key(|g| *g as u8)
                    .unwrap_or(GeoPrecision::Document)
            });
            if precision.is_none() && !ty.is_verbal() {
                sentence_places.clone_from(&places);
            }
            events.push(Event {
                id: String::new(),
                doc_id: doc.id.clone(),
                event_type: ty,
                cameo: ty.cameo(),
                trigger: text[toks[t0].byte_start..toks[t1 - 1].byte_end].to_string(),
                actors: actors.clone(),
                date: date.map(|d| d.date),
                date_precision: date.map(|d| d.precision).unwrap_or(DatePrecision::Unknown),
                places,
                geo_precision,
                confidence,
                quantity: quantity.clone(),
                route: None,
                sentence: sentence.clone(),
                char_start: s.start,
                char_end: s.end,
                also_in: Vec::new(),
            });
        }
        prev_places = if sentence_places.is_empty() {
            located_places(gaz, toks, s, &sent_mentions, usize::MAX, false)
        } else {
            sentence_places
        };
    }
    inherit_actors(&mut events);
    let events = merge_reports(gaz, events);
    let mut events = fold_unplaced(events);
    let connections = routes::connections(gaz, toks, mentions);
    for (i, e) in events.iter_mut().enumerate() {
        e.id = format!("{}-e{}", doc.id, i + 1);
        if e.event_type.is_movement() {
            routes::attach_route(gaz, e, &connections);
        }
    }
    events
}

use dates::find_date;

/// "The one-week patrol ... involved ten warships": an event whose sentence names no
/// actor is done by those of the last event of its type ("the patrol" refers back).
fn inherit_actors(events: &mut [Event]) {
    for i in 0..events.len() {
        if !events[i].actors.is_empty() || events[i].event_type.is_verbal() {
            continue;
        }
        let ty = events[i].event_type;
        if let Some(prev) = events[..i]
            .iter()
            .rev()
            .find(|p| p.event_type == ty && !p.actors.is_empty())
        {
            events[i].actors = prev.actors.clone();
        }
    }
}

/// The same event reported twice ("passed through the Tsugaru Strait", later "sailed
/// through the strait") is one event: same type, same main place, dates that agree.
/// The later report adds its actors, date, quantity and sentence as evidence.
fn merge_reports(gaz: &Gazetteer, events: Vec<Event>) -> Vec<Event> {
    let mut out: Vec<Event> = Vec::new();
    let first = |e: &Event| e.places.first().map(|p| p.place);
    // Same place, or one inside the other ("in eastern Afghanistan" and "in Kunar province").
    let related = |a: Option<PlaceId>, b: Option<PlaceId>| match (a, b) {
        (Some(a), Some(b)) => a == b || gaz.contains(a, b) || gaz.contains(b, a),
        _ => false,
    };
    for mut e in events {
        let guessed = matches!(
            e.geo_precision,
            GeoPrecision::Document | GeoPrecision::Context
        );
        let same = out.iter_mut().find(|o| {
            o.event_type == e.event_type
                && !e.event_type.is_verbal()
                && !guessed
                && !matches!(
                    o.geo_precision,
                    GeoPrecision::Document | GeoPrecision::Context
                )
                && related(first(o), first(&e))
                && (o.date.is_none() || e.date.is_none() || o.date == e.date)
        });
        let Some(o) = same else {
            out.push(e);
            continue;
        };
        // Keep the more precise report's place and precision first.
        if let (Some(a), Some(b)) = (first(o), first(&e)) {
            if gaz.contains(a, b) {
                // The later report is the evidence for the event's place.
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
        if o.date.is_none() && e.date.is_some() {
            o.date = e.date;
            o.date_precision = e.date_precision;
        }
        if o.quantity.is_none() {
            o.quantity = e.quantity;
        }
        for p in e.places {
            let broader = main.is_some_and(|m| gaz.contains(p.place, m));
            if !broader && !o.places.iter().any(|x| x.place == p.place) {
                o.places.push(p);
            }
        }
        o.confidence = o.confidence.max(e.confidence);
        o.also_in.push((e.char_start, e.char_end));
    }
    out
}

/// An event placed only by context ("Thousands protest over school closures" in a
/// headline) that has a placed report of the same type in the text is that report.
fn fold_unplaced(events: Vec<Event>) -> Vec<Event> {
    let guessed = |e: &Event| {
        matches!(
            e.geo_precision,
            GeoPrecision::Document | GeoPrecision::Context
        )
    };
    let mut out: Vec<Event> = Vec::new();
    let mut pending: Vec<Event> = Vec::new();
    for e in events {
        if guessed(&e) && !e.event_type.is_verbal() {
            pending.push(e);
        } else {
            out.push(e);
        }
    }
    for e in pending {
        let target = out.iter_mut().find(|o| {
            o.event_type == e.event_type
                && !guessed(o)
                && (o.date.is_none() || e.date.is_none() || o.date == e.date)
        });
        match target {
            Some(o) => {
                for a in e.actors {
                    if !o.actors.contains(&a) {
                        o.actors.push(a);
                    }
                }
                if o.date.is_none() {
                    o.date = e.date;
                    o.date_precision = e.date_precision;
                }
                o.also_in.push((e.char_start, e.char_end));
            }
            None => out.push(e),
        }
    }
    out.sort_by_key(|e| e.char_start);
    out
}

/// Smaller features are more specific; used to break ties.
fn specificity(gaz: &Gazetteer, p: PlaceId) -> f64 {
    let place = gaz.place(p);
    -place.bbox.map(|b| b.diagonal_km()).unwrap_or(10.0)
}

/// Places the sentence locates something at, by preposition; relative clauses that
/// only describe a place are used when nothing else locates the event.
fn located_places(
    gaz: &Gazetteer,
    toks: &[Token],
    s: &Sentence,
    mentions: &[&Mention],
    trigger: usize,
    moving: bool,
) -> Vec<EventPlace> {
    let cut = descriptive_from(toks, s.first_token, s.end_token);
    let mut out: Vec<EventPlace> = Vec::new();
    for m in mentions {
        let located_demonym = m.mention_type == MentionType::Demonym
            && toks
                .get(m.end_token)
                .is_some_and(|t| is_location_noun(&t.folded));
        if m.mention_type != MentionType::Literal && !located_demonym {
            continue;
        }
        if m.first_token >= cut {
            continue;
        }
        let Some(role) = governing_role(toks, m, s.first_token) else {
            continue;
        };
        let kind = gaz.place(m.place).kind;
        // "conveyed concerns to Beijing": a government receiving something is not a destination.
        let state = matches!(kind, PlaceKind::Country | PlaceKind::Capital);
        if state && role == Role::Destination && !moving {
            continue;
        }
        // "cooperation between China and Russia" relates states; it does not locate anything.
        if state && m.first_token > 0 && toks[m.first_token - 1].folded == "between" {
            continue;
        }
        // "vessels from China ... sailed": origins before the trigger describe the actor.
        if role == Role::Origin && m.first_token < trigger && trigger != usize::MAX {
            continue;
        }
        if gaz.place(m.place).kind == PlaceKind::Country && role == Role::Origin {
            continue;
        }
        // "Novoselivka in the Donetsk region": the qualifier is not a second place.
        if out.last().is_some_and(|p| gaz.contains(m.place, p.place)) {
            continue;
        }
        if !out.iter().any(|p| p.place == m.place) {
            out.push(EventPlace {
                place: m.place,
                point: m.point(gaz),
                role,
                text: m.text.clone(),
            });
        }
    }
    out
}

/// Actors of a sentence: states from demonyms, metonyms and "from X", organisations,
/// and seats of government ("the Kremlin").
fn actors(gaz: &Gazetteer, toks: &[Token], s: &Sentence, mentions: &[&Mention]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |a: String| {
        if !out.contains(&a) {
            out.push(a);
        }
    };
    for m in mentions {
        let p = gaz.place(m.place);
        let is_state = matches!(p.kind, PlaceKind::Country | PlaceKind::Capital);
        let acting = match m.mention_type {
            MentionType::Demonym | MentionType::Metonymic => true,
            // "Germany's defense minister": a possessive state is the agent.
            MentionType::Literal
                if is_state
                    && toks
                        .get(m.end_token)
                        .is_some_and(|t| t.folded == "s" && t.gap_before == Gap::Apostrophe) =>
            {
                true
            }
            MentionType::Literal => {
                is_state
                    && m.first_token > 0
                    && (toks[m.first_token - 1].folded == "from"
                        || toks[m.first_token - 1].folded == "and")
                    && governing_role(toks, m, s.first_token) == Some(Role::Origin)
            }
            MentionType::Embedded => false,
        };
        if !acting {
            continue;
        }
        let iso2 = p.country;
        let iso3 = match p.kind {
            PlaceKind::Country => p.iso3,
            _ => iso2
                .and_then(|c| gaz.country(c))
                .and_then(|c| gaz.place(c).iso3),
        };
        match iso3 {
            Some(code) if is_state || m.mention_type == MentionType::Demonym => {
                push(code.to_string())
            }
            _ if m.mention_type == MentionType::Demonym => push(p.name.to_string()),
            _ => {}
        }
    }
    let words = &toks[s.first_token..s.end_token];
    for (i, t) in words.iter().enumerate() {
        for table in [ORGANISATIONS, SEATS] {
            for (name, code) in table {
                let parts: Vec<&str> = name.split(' ').collect();
                if i + parts.len() <= words.len()
                    && parts
                        .iter()
                        .enumerate()
                        .all(|(k, w)| words[i + k].folded == *w)
                    && (t.capitalized || parts[0].len() > 3)
                    && words[i..i + parts.len()].iter().all(|w| w.capitalized)
                {
                    push(code.to_string());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geoparse::tokens::tokenize;

    #[test]
    fn sentences_keep_abbreviations() {
        let text = "The U.S. Navy said so. Gen. Smith agreed! Then \"it ended.\"\nNew line";
        let toks = tokenize(text);
        let s = sentences(text, &toks);
        let texts: Vec<&str> = s.iter().map(|s| &text[s.byte_start..s.byte_end]).collect();
        assert_eq!(
            texts,
            [
                "The U.S. Navy said so.",
                "Gen. Smith agreed!",
                "Then \"it ended.\"",
                "New line"
            ]
        );
    }

    #[test]
    fn triggers_prefer_longer_phrases_and_keep_the_statement() {
        let text = "Japan said ten vessels had sailed through the strait.";
        let toks = tokenize(text);
        let t = find_triggers(&toks, 0, toks.len());
        let types: Vec<EventType> = t.iter().map(|x| x.0).collect();
        assert_eq!(types, [EventType::Statement, EventType::Transit]);
        let transit = t.iter().find(|x| x.0 == EventType::Transit).unwrap();
        assert_eq!(
            transit.2 - transit.1,
            2,
            "\"sailed through\", not \"sailed\""
        );
    }

    #[test]
    fn quantities() {
        let text = "involved a total of 10 warships, five from each nation";
        let toks = tokenize(text);
        assert_eq!(find_quantity(text, &toks).as_deref(), Some("10 warships"));
    }
}
