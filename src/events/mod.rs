//! Events: who did what to whom, when and where, one sentence at a time, with the
//! evidence kept.
//!
//! The words of English the stage knows live in data (`events/*.tsv`, compiled by
//! `build.rs` into [`lexicon`]); the code holds how a clause is read: which triggers make
//! one event ([`read`]), the voice that tells the initiator from the target, modality,
//! counts, and the place that governs the clause ([`place`]). Every step is linear in
//! the length of the document.

pub mod dates;
pub mod lexicon;
mod merge;
mod place;
mod read;
mod routes;

use serde::Serialize;

pub use dates::{DatePrecision, FoundDate};
pub use lexicon::{ActorClass, EventType, Family, Modality};
pub use routes::Route;

use crate::coords::LonLat;
use crate::gazetteer::{Gazetteer, PlaceId, PlaceKind};
use crate::geoparse::tokens::Token;
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

    /// Guessed from context rather than named in the event's sentence.
    pub fn is_guessed(self) -> bool {
        matches!(self, GeoPrecision::Context | GeoPrecision::Document)
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
    /// The text puts the event near the place rather than in it ("near", "outside of",
    /// "26 km from").
    pub near: bool,
}

/// Who acted or was acted on, as event databases name them ("AFG military",
/// "Taliban", "BRA civilians"), with the words that named them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Actor {
    pub name: String,
    pub class: ActorClass,
    /// ACLED's interaction code (1 state forces ... 8 external), 0 when none.
    pub inter: u8,
    /// The words in the text.
    pub text: String,
}

/// Stated counts of people: killed, injured, and the size of a crowd.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Counts {
    pub fatalities: Option<u32>,
    pub injured: Option<u32>,
    /// Protest or crowd size.
    pub size: Option<u32>,
    /// Some count is an estimate read from a vague word ("dozens", "several").
    pub estimate: bool,
}

/// One event: who did what to whom, when and where.
#[derive(Clone, Debug, Serialize)]
pub struct Event {
    pub id: String,
    pub doc_id: String,
    pub event_type: EventType,
    /// The trigger words, as written.
    pub trigger: String,
    pub modality: Modality,
    /// ISO 3166-1 alpha-3 codes of the states involved and organisations' names.
    pub actors: Vec<String>,
    /// The initiator and the target.
    pub actor1: Option<Actor>,
    pub actor2: Option<Actor>,
    pub counts: Counts,
    pub date: Option<chrono::NaiveDate>,
    pub date_precision: DatePrecision,
    /// The period the date covers (a month-precision date spans its month).
    pub date_end: Option<chrono::NaiveDate>,
    /// The date comes from an earlier sentence or the publication date, not the event's
    /// own words; a report of the same event that gives its date overrides it.
    pub date_inferred: bool,
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
    /// Spans of other sentences that report the same event (merged into this one), at
    /// most [`merge::MAX_ALSO_IN`] of them.
    pub also_in: Vec<(usize, usize)>,
    /// How many sentences report it, this one included.
    pub reports: usize,
    /// Refers back to an event reported before ("the patrol"): merged into it.
    #[serde(skip)]
    pub anaphoric: bool,
}

impl Event {
    pub fn cameo(&self) -> Option<&'static str> {
        self.event_type.cameo()
    }

    /// ACLED's geographic precision: 1 the named town itself, 2 near a town or part of
    /// a region, 3 a province or larger (or a place guessed from context).
    pub fn acled_geo_precision(&self, gaz: &Gazetteer) -> u8 {
        let Some(p) = self.places.first() else {
            return 3;
        };
        if self.geo_precision.is_guessed() {
            return 3;
        }
        match gaz.place(p.place).kind {
            PlaceKind::City | PlaceKind::Capital | PlaceKind::Building | PlaceKind::Airport => {
                if p.near {
                    2
                } else {
                    1
                }
            }
            PlaceKind::Admin2 | PlaceKind::Island | PlaceKind::Peninsula => 2,
            k if k.is_water() && !matches!(k, PlaceKind::Ocean | PlaceKind::Sea) => 2,
            _ => 3,
        }
    }

    /// The first day of the event's period.
    pub fn date_start(&self) -> Option<chrono::NaiveDate> {
        self.date
    }
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

/// Longest sentence text kept as evidence on an event, in bytes; a document without
/// sentence breaks (a scraped page, a log) would otherwise copy itself into every event.
const MAX_SENTENCE_BYTES: usize = 2000;

fn evidence(text: &str, s: &Sentence) -> String {
    let mut end = s.byte_end.min(s.byte_start + MAX_SENTENCE_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[s.byte_start..end].to_string()
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
    let hits = lexicon::scan(toks);

    // Mentions and lexicon hits per sentence, by one walk over each (both in token order).
    let mut order: Vec<usize> = (0..mentions.len()).collect();
    order.sort_by_key(|&i| (mentions[i].first_token, mentions[i].end_token));
    let mut per_sentence: Vec<(Vec<&Mention>, std::ops::Range<usize>)> =
        Vec::with_capacity(sents.len());
    let (mut mi, mut hi) = (0, 0);
    for s in &sents {
        while mi < order.len() && mentions[order[mi]].first_token < s.first_token {
            mi += 1;
        }
        let mut ms = Vec::new();
        while mi < order.len() && mentions[order[mi]].first_token < s.end_token {
            let m = &mentions[order[mi]];
            if m.end_token <= s.end_token {
                ms.push(m);
            }
            mi += 1;
        }
        while hi < hits.len() && hits[hi].first < s.first_token {
            hi += 1;
        }
        let h0 = hi;
        while hi < hits.len() && hits[hi].first < s.end_token {
            hi += 1;
        }
        per_sentence.push((ms, h0..hi));
    }

    let focus = place::document_focus(gaz, toks, &sents, &per_sentence);

    let mut events = Vec::new();
    let mut prev_places: Vec<EventPlace> = Vec::new();
    let mut last_date: Option<FoundDate> = None;
    for (s, (sent_mentions, range)) in sents.iter().zip(&per_sentence) {
        let sent_hits = &hits[range.clone()];
        let sent_toks = &toks[s.first_token..s.end_token];
        let found_date = dates::find_date(sent_toks, doc.date);
        if found_date.is_some() {
            last_date = found_date;
        }
        let drafts = read::read_sentence(gaz, text, toks, s, sent_mentions, sent_hits);
        if drafts.is_empty() {
            prev_places = place::located_places(gaz, toks, s, sent_mentions, usize::MAX, false);
            continue;
        }
        let sentence = evidence(text, s);
        let state_actors = place::state_actors(gaz, toks, s, sent_mentions);
        let quantity = read::find_quantity(text, sent_toks);
        let date = found_date.or(last_date);
        let mut sentence_places = Vec::new();
        for d in drafts {
            let ty = d.ty;
            let mut places = if ty.is_verbal() {
                Vec::new()
            } else {
                place::located_places(gaz, toks, s, sent_mentions, d.first, ty.is_movement())
            };
            let mut precision = None;
            let mut confidence = if d.strong { 0.8 } else { 0.65 };
            if ty.is_verbal() || (ty.is_diplomatic() && places.is_empty()) {
                // Said somewhere: the speaking government's seat or country, not the places
                // the statement is about. A statement with no known speaker is not mapped.
                match place::speaker(gaz, toks, s, sent_mentions) {
                    Some(m) => {
                        places.push(EventPlace {
                            place: m.place,
                            point: m.point(gaz),
                            role: Role::At,
                            text: m.text.clone(),
                            near: false,
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
                        near: false,
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
            if !d.modality.happened() {
                confidence *= 0.5;
            }
            let country = gaz.place(places[0].place);
            let (actor1, actor2) = (
                d.actor1.map(|a| read::name_actor(gaz, a, country)),
                d.actor2.map(|a| read::name_actor(gaz, a, country)),
            );
            // Named armed groups join the states that act.
            let mut actors = state_actors.clone();
            for a in [&actor1, &actor2].into_iter().flatten() {
                if a.class != ActorClass::Civilians
                    && a.class != ActorClass::Protesters
                    && !a.name.contains(' ')
                    && !actors.contains(&a.name)
                {
                    actors.push(a.name.clone());
                }
            }
            let date_inferred = found_date.is_none();
            let (date, date_precision, date_end) = match date {
                Some(f) => (Some(f.date), f.precision, Some(f.end())),
                None => match doc.date {
                    Some(p) => (Some(p), DatePrecision::Publication, Some(p)),
                    None => (None, DatePrecision::Unknown, None),
                },
            };
            events.push(Event {
                id: String::new(),
                doc_id: doc.id.clone(),
                event_type: ty,
                trigger: text[toks[d.first].byte_start..toks[d.end - 1].byte_end].to_string(),
                modality: d.modality,
                actors,
                actor1,
                actor2,
                counts: d.counts,
                date,
                date_precision,
                date_end,
                date_inferred,
                places,
                geo_precision,
                confidence,
                quantity: quantity.clone(),
                route: None,
                sentence: sentence.clone(),
                char_start: s.start,
                char_end: s.end,
                also_in: Vec::new(),
                reports: 1,
                anaphoric: d.anaphoric,
            });
        }
        prev_places = if sentence_places.is_empty() {
            place::located_places(gaz, toks, s, sent_mentions, usize::MAX, false)
        } else {
            sentence_places
        };
    }
    merge::inherit_actors(&mut events);
    let events = merge::fold_references(events);
    let events = merge::merge_reports(gaz, events);
    let mut events = merge::fold_unplaced(events);
    let connections = routes::connections(gaz, toks, mentions);
    for (i, e) in events.iter_mut().enumerate() {
        e.id = format!("{}-e{}", doc.id, i + 1);
        if e.event_type.is_movement() {
            routes::attach_route(gaz, e, &connections);
        }
    }
    events
}

/// Is a mention a literal place (not a demonym, a metonym or part of a longer name)?
fn is_literal(m: &Mention) -> bool {
    m.mention_type == MentionType::Literal
}
