//! Where an event happened: the places its clause puts it at by preposition, the
//! speaker of a statement, the document's main place; and the states that act.

use std::collections::HashMap;

use super::{is_literal, EventPlace, Role, Sentence};
use crate::gazetteer::{Gazetteer, PlaceId, PlaceKind};
use crate::geoparse::tokens::{Gap, Token};
use crate::geoparse::{Mention, MentionType};

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

/// Organisations and seats of government by their first word: (name, other words, code).
type Bodies = HashMap<&'static str, Vec<(&'static str, Vec<&'static str>, &'static str)>>;

fn named_bodies() -> &'static Bodies {
    static TABLE: std::sync::OnceLock<Bodies> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut m: Bodies = HashMap::new();
        for (name, code) in ORGANISATIONS.iter().chain(SEATS) {
            let mut words = name.split(' ');
            let first = words.next().unwrap_or_default();
            m.entry(first)
                .or_default()
                .push((name, words.collect(), code));
        }
        m
    })
}

/// Prepositions (and verbs whose object is a place) that put an event at, into or
/// through a place.
fn locative_role(word: &str) -> Option<Role> {
    Some(match word {
        "in" | "at" | "near" | "off" | "over" | "inside" | "outside" | "around" | "within"
        | "on" | "along" | "across" | "throughout" | "outskirts" | "nearby" => Role::At,
        // Verbs whose object is where it happened: "a strike hits Kharkiv", "shelled Donetsk".
        "hits" | "hit" | "struck" | "strikes" | "shelled" | "shells" | "bombed" | "bombs"
        | "attacked" | "attacks" | "raided" | "targeted" | "pounded" | "rocked" | "jolted"
        | "hosted" | "hosts" | "stormed" | "captured" | "recaptured" | "seized" | "overran"
        | "retook" | "besieged" => Role::At,
        "through" | "via" | "between" => Role::Via,
        "into" | "to" | "toward" | "towards" | "entered" | "entering" | "enters" | "reached"
        | "reaching" | "approached" | "visited" | "visiting" => Role::Destination,
        "from" | "left" | "leaving" => Role::Origin,
        _ => return None,
    })
}

/// Words that put the event beside the place rather than in it.
fn is_near_word(word: &str) -> bool {
    matches!(
        word,
        "near"
            | "outside"
            | "outskirts"
            | "nearby"
            | "km"
            | "kilometres"
            | "kilometers"
            | "miles"
            | "vicinity"
            | "off"
    )
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
            | "areas"
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
            | "villages"
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
            | "downtown"
            | "edge"
            | "rest"
            | "whole"
            | "entire"
            | "much"
            | "most"
            | "and"
            | "an"
            | "this"
            | "district"
            | "neighbourhood"
            | "neighborhood"
            | "suburb"
            | "municipality"
            | "locality"
            | "county"
            | "commune"
            | "department"
            | "km"
            | "kilometres"
            | "kilometers"
            | "miles"
            | "some"
            | "about"
            | "roughly"
            | "approximately"
    ) || word.bytes().all(|b| b.is_ascii_digit())
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

/// The preposition governing a mention, looking back over filler words, and whether a
/// word on the way puts the event near the place rather than in it.
fn governing(toks: &[Token], m: &Mention, sent_first: usize) -> Option<(Role, bool)> {
    let mut i = m.first_token;
    let mut steps = 0;
    let mut near = false;
    while i > sent_first && steps < 8 {
        i -= 1;
        steps += 1;
        let t = &toks[i];
        near |= is_near_word(&t.folded);
        if let Some(r) = locative_role(&t.folded) {
            // "26 km from the camps": a distance makes "from" a position, not an origin.
            let r = if r == Role::Origin && near {
                Role::At
            } else {
                r
            };
            return Some((r, near));
        }
        // "in Shigal district, Kunar province": a comma after a unit word continues the phrase.
        let unit_comma = toks[i + 1].comma_before && crate::geoparse::is_unit_word(&t.folded);
        // "the jade-mining town of Hpakant": a hyphenated compound describes the place.
        let compound = t.gap_before == Gap::Hyphen || toks[i + 1].gap_before == Gap::Hyphen;
        if !(is_filler(&t.folded)
            || compound
            || unit_comma
            || t.capitalized && unit_comma_ahead(toks, i))
            || (toks[i + 1].gap_before == Gap::Break && !unit_comma)
        {
            return None;
        }
    }
    None
}

/// The preposition governing a mention (see `governing`).
pub(super) fn governing_role(toks: &[Token], m: &Mention, sent_first: usize) -> Option<Role> {
    governing(toks, m, sent_first).map(|(r, _)| r)
}

/// An unknown capitalised name inside a unit phrase: "Shigal" in "in Shigal district, Kunar".
fn unit_comma_ahead(toks: &[Token], i: usize) -> bool {
    toks.get(i + 1).is_some_and(|n| {
        matches!(
            n.folded.as_str(),
            "district"
                | "county"
                | "village"
                | "province"
                | "region"
                | "oblast"
                | "governorate"
                | "neighbourhood"
                | "neighborhood"
                | "municipality"
                | "department"
                | "state"
                | "town"
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

/// Places the sentence locates something at, by preposition, the finest first;
/// relative clauses that only describe a place do not count. `trigger` is the token of
/// the event's trigger (`usize::MAX` for none).
pub(super) fn located_places(
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
        if !is_literal(m) && !located_demonym {
            continue;
        }
        if m.first_token >= cut {
            continue;
        }
        let Some((role, near)) = governing(toks, m, s.first_token) else {
            continue;
        };
        let kind = gaz.place(m.place).kind;
        // "conveyed concerns to Beijing": a government receiving something is not a destination.
        let state = matches!(kind, PlaceKind::Country | PlaceKind::Capital);
        if state && role == Role::Destination && !moving {
            continue;
        }
        // "cooperation between China and Russia" relates states; it does not locate anything.
        let between = |k: usize| m.first_token >= k && toks[m.first_token - k].folded == "between";
        if state && (between(1) || (between(2) && toks[m.first_token - 1].folded == "the")) {
            continue;
        }
        // "vessels from China ... sailed": origins before the trigger describe the actor.
        if role == Role::Origin && m.first_token < trigger && trigger != usize::MAX {
            continue;
        }
        if kind == PlaceKind::Country && role == Role::Origin {
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
                near,
            });
        }
    }
    // The finest place first for places of the event itself (not a route's ends):
    // "clashes in Ukraine ... in Bakhmut" is at Bakhmut.
    if !moving && out.len() > 1 {
        let rank = |p: &EventPlace| GeoRank::of(gaz.place(p.place).kind);
        out.sort_by_key(|p| rank(p));
    }
    out
}

/// Fineness of a place kind for choosing an event's main place: lower is finer.
struct GeoRank;

impl GeoRank {
    fn of(kind: PlaceKind) -> u8 {
        match kind {
            PlaceKind::Building | PlaceKind::Airport => 0,
            PlaceKind::City | PlaceKind::Capital => 1,
            PlaceKind::Admin2 => 2,
            PlaceKind::Admin1 => 4,
            PlaceKind::Country => 5,
            PlaceKind::Ocean | PlaceKind::Continent | PlaceKind::Region => 6,
            _ => 3,
        }
    }
}

/// Smaller features are more specific; used to break ties.
fn specificity(gaz: &Gazetteer, p: PlaceId) -> f64 {
    let place = gaz.place(p);
    -place.bbox.map(|b| b.diagonal_km()).unwrap_or(10.0)
}

/// The document's main place: the place its sentences locate things at most often, else
/// the literal place named most often (ties: the smaller feature).
pub(super) fn document_focus(
    gaz: &Gazetteer,
    toks: &[Token],
    sents: &[Sentence],
    per_sentence: &[(Vec<&Mention>, std::ops::Range<usize>)],
) -> Option<PlaceId> {
    let mut counts: HashMap<PlaceId, usize> = HashMap::new();
    for (s, (ms, _)) in sents.iter().zip(per_sentence) {
        for p in located_places(gaz, toks, s, ms, usize::MAX, false) {
            *counts.entry(p.place).or_default() += 1;
        }
    }
    if counts.is_empty() {
        for (ms, _) in per_sentence {
            for m in ms.iter().filter(|m| is_literal(m)) {
                *counts.entry(m.place).or_default() += 1;
            }
        }
    }
    counts
        .iter()
        .max_by(|a, b| {
            a.1.cmp(b.1)
                .then_with(|| specificity(gaz, *a.0).total_cmp(&specificity(gaz, *b.0)))
                .then_with(|| b.0.cmp(a.0))
        })
        .map(|(p, _)| *p)
}

/// The government that speaks in a sentence: a metonym ("Moscow said"), a demonym, or
/// a country or capital named without a preposition.
pub(super) fn speaker<'m>(
    gaz: &Gazetteer,
    toks: &[Token],
    s: &Sentence,
    mentions: &[&'m Mention],
) -> Option<&'m Mention> {
    mentions
        .iter()
        .find(|m| m.mention_type == MentionType::Metonymic)
        .or_else(|| {
            mentions
                .iter()
                .find(|m| m.mention_type == MentionType::Demonym)
        })
        .or_else(|| {
            mentions.iter().find(|m| {
                is_literal(m)
                    && matches!(
                        gaz.place(m.place).kind,
                        PlaceKind::Country | PlaceKind::Capital
                    )
                    && governing_role(toks, m, s.first_token).is_none()
            })
        })
        .copied()
}

/// States of a sentence that act (demonyms, metonyms, possessives, "from X"), as ISO
/// alpha-3 codes, then organisations and seats of government ("the Kremlin").
pub(super) fn state_actors(
    gaz: &Gazetteer,
    toks: &[Token],
    s: &Sentence,
    mentions: &[&Mention],
) -> Vec<String> {
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
        match gaz.iso3_of(p) {
            Some(code) if is_state || m.mention_type == MentionType::Demonym => {
                push(code.to_string())
            }
            _ if m.mention_type == MentionType::Demonym => push(p.name.to_string()),
            _ => {}
        }
    }
    let words = &toks[s.first_token..s.end_token];
    let table = named_bodies();
    for (i, t) in words.iter().enumerate() {
        let Some(list) = table.get(t.folded.as_str()) else {
            continue;
        };
        for (name, rest, code) in list {
            let n = rest.len() + 1;
            if i + n <= words.len()
                && rest
                    .iter()
                    .enumerate()
                    .all(|(k, w)| words[i + 1 + k].folded == *w)
                && (t.capitalized || name.len() > 3)
                && words[i..i + n].iter().all(|w| w.capitalized)
            {
                push(code.to_string());
            }
        }
    }
    out
}
