//! Resolution: every candidate gets an explainable score from its prior
//! (kind and prominence), how the name matched, the document's country focus and
//! its distance to the other places named; one sense per document.

use std::hash::{Hash, Hasher};
use std::ops::Range;
use std::sync::LazyLock;

use rustc_hash::FxHashMap;
use serde::Serialize;

use super::recognize::Recognized;
use super::tokens::Token;
use super::{Mention, MentionType};
use crate::coords::LonLat;
use crate::gazetteer::{Gazetteer, NameEntry, Place, PlaceId, PlaceKind};

/// The parts a candidate's score is made of; they add up to `total`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ScoreParts {
    /// Kind and prominence (population, rank).
    pub prior: f64,
    /// Matched the main name rather than an alternate.
    pub name: f64,
    /// Lies in a country the document talks about (or is that country).
    pub country_focus: f64,
    /// Lies in a province, state or county the document names.
    pub admin1_focus: f64,
    /// Close to the other places the document names.
    pub coherence: f64,
    /// Of the same kind (and country) as the places it is listed with ("California or
    /// Washington", "North West and Limpopo").
    pub list: f64,
    pub total: f64,
}

/// A candidate place for a name, with its score.
#[derive(Clone, Debug, Serialize)]
pub struct Candidate {
    #[serde(skip)]
    pub place: PlaceId,
    pub score: f64,
    pub why: ScoreParts,
}

/// Score of a place before any context: kind and prominence.
fn prior(p: &Place) -> f64 {
    let rank_penalty = 0.04 * (p.rank.saturating_sub(1)) as f64;
    match p.kind {
        PlaceKind::Country => 0.9,
        PlaceKind::Continent => 0.86,
        PlaceKind::Capital => 0.84 + 0.01 * (p.population.max(1) as f64).log10().min(7.0) / 7.0,
        // Population, plus fame: the famous Valencia has far more names in other languages.
        // A village (below 1,000 people) is a candidate only where context points at it.
        PlaceKind::City if p.source == crate::gazetteer::Source::GeoNamesSmall => {
            0.2 + 0.07 * (p.population.max(1) as f64).log10().min(3.0)
        }
        PlaceKind::City => {
            0.35 + 0.07 * (p.population.max(1) as f64).log10().min(7.5)
                + (0.025 * (1.0 + p.alt_count() as f64).ln()).min(0.1)
        }
        // A first-order division is better known than all but the largest cities.
        PlaceKind::Admin1 => 0.75,
        PlaceKind::Admin2 => 0.55,
        PlaceKind::Ocean => 0.86 - rank_penalty,
        k if k.is_water() || k.is_landform() => 0.82 - rank_penalty,
        _ => 0.78 - rank_penalty,
    }
}

fn base_parts(gaz: &Gazetteer, e: &NameEntry) -> ScoreParts {
    let p = gaz.place(e.place);
    let prior = prior(p);
    // Alternates in the curated table are hand-written names, as good as the main one.
    let name = if e.primary || p.source == crate::gazetteer::Source::Curated {
        0.08
    } else {
        0.0
    };
    ScoreParts {
        prior,
        name,
        total: prior + name,
        ..Default::default()
    }
}

/// "Odessa", "Kherson", "Valencia": a division named after its main city usually means
/// the city; the city gets the division's standing on top of its own.
fn prefer_namesake_cities(gaz: &Gazetteer, c: &mut [Candidate]) {
    if !c
        .iter()
        .any(|x| gaz.place(x.place).kind == PlaceKind::Admin1)
    {
        return;
    }
    for k in 0..c.len() {
        let place = c[k].place;
        let p = gaz.place(place);
        let in_division = |x: &Candidate| {
            gaz.place(x.place).kind == PlaceKind::Admin1 && contains(gaz, x.place, place)
        };
        if p.kind.is_settlement() && p.population >= 50_000 && c.iter().any(in_division) {
            let cand = &mut c[k];
            cand.why.prior += 0.08;
            cand.why.total += 0.08;
            cand.score = cand.why.total;
        }
    }
}

fn sort_candidates(gaz: &Gazetteer, c: &mut [Candidate]) {
    c.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| {
                gaz.place(b.place)
                    .population
                    .cmp(&gaz.place(a.place).population)
            })
            .then_with(|| a.place.cmp(&b.place))
    });
}

/// Short all-capital words ("EU", "UK", "NATO"), usually acronyms.
fn is_acronym(surface: &str) -> bool {
    let mut letters = 0;
    for c in surface.chars().filter(|c| c.is_alphabetic()) {
        if !c.is_uppercase() {
            return false;
        }
        letters += 1;
    }
    (2..=5).contains(&letters)
}

/// Whether the place has a name or alternate written exactly as `surface`.
pub(super) fn has_exact_name(gaz: &Gazetteer, id: PlaceId, surface: &str) -> bool {
    let p = gaz.place(id);
    let squash = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
    };
    let want = squash(surface);
    squash(p.name) == want || gaz.alt_names(p).iter().any(|a| squash(a) == want)
}

/// Ranks the places a name may mean, with no document context (for `geoevents
/// resolve`). A name with qualifiers after commas ("Springfield, Illinois", "Paris,
/// Texas", "Kent, Putnam County, New York") ranks first the namesakes that lie in them.
pub fn rank_name(gaz: &Gazetteer, name: &str) -> Vec<Candidate> {
    let Some((head, rest)) = name.split_once(',') else {
        return rank_bare_name(gaz, name);
    };
    if !gaz.lookup(name).is_empty() || head.trim().is_empty() {
        return rank_bare_name(gaz, name);
    }
    let quals: Vec<Vec<NameEntry>> = rest
        .split(',')
        .map(|q| {
            gaz.lookup(q.trim())
                .into_iter()
                .filter(|e| is_container(gaz, e.place))
                .collect::<Vec<_>>()
        })
        .filter(|q| !q.is_empty())
        .collect();
    let mut c = rank_bare_name(gaz, head.trim());
    if quals.is_empty() {
        return c;
    }
    for cand in c.iter_mut() {
        let held = quals
            .iter()
            .filter(|q| q.iter().any(|e| contains(gaz, e.place, cand.place)))
            .count();
        let bonus = 0.3 * held as f64;
        cand.why.admin1_focus += bonus;
        cand.why.total += bonus;
        cand.score = cand.why.total;
    }
    sort_candidates(gaz, &mut c);
    c
}

/// Ranks the places a bare name may mean, with no context.
fn rank_bare_name(gaz: &Gazetteer, name: &str) -> Vec<Candidate> {
    let mut entries = gaz.lookup(name).to_vec();
    if entries.is_empty() {
        if let Some(d) = gaz.demonym_key(&crate::gazetteer::normalize::name_key(name)) {
            entries.push(NameEntry {
                place: d.place,
                primary: false,
            });
        }
    }
    let mut c = Vec::with_capacity(entries.len());
    rank_into(gaz, &entries, None, &mut c);
    c
}

/// Candidates for a name's entries, scored without context and ranked, added to the
/// end of `out`; gives where they lie in it. `surface` is the text as written, which
/// an acronym must match exactly ("EU" is not the town of Eu).
fn rank_into(
    gaz: &Gazetteer,
    entries: &[NameEntry],
    surface: Option<&str>,
    out: &mut Vec<Candidate>,
) -> Range<usize> {
    let acronym = surface.filter(|s| is_acronym(s));
    let start = out.len();
    out.extend(entries.iter().map(|e| {
        let mut why = base_parts(gaz, e);
        if acronym.is_some_and(|s| !has_exact_name(gaz, e.place, s)) {
            why.name -= 0.15;
            why.total -= 0.15;
        }
        Candidate {
            place: e.place,
            score: why.total,
            why,
        }
    }));
    let c = &mut out[start..];
    demote_shadowed_alternates(gaz, entries, c);
    prefer_namesake_cities(gaz, c);
    sort_candidates(gaz, c);
    start..out.len()
}

/// Adds to `out` the population of the biggest of `places` in each country.
fn biggest_by_country<'a>(places: impl Iterator<Item = &'a Place>, out: &mut Vec<(&'a str, u64)>) {
    for p in places {
        let Some(cc) = p.country else { continue };
        match out.iter_mut().find(|(k, _)| *k == cc) {
            Some((_, pop)) => *pop = (*pop).max(p.population),
            None => out.push((cc, p.population)),
        }
    }
}

/// "Franklin" is an old name of Columbus, Ohio, and the main name of a dozen US towns:
/// where a town of one country (or a city anywhere) bears the name as its own, a town
/// that has it only as an alternate (a former or foreign name) is an unlikely reading,
/// unless it is far bigger ("Baroda" is Vadodara, not the village of Baroda).
fn demote_shadowed_alternates(gaz: &Gazetteer, entries: &[NameEntry], c: &mut [Candidate]) {
    const PENALTY: f64 = 0.1;
    const FAR_BIGGER: u64 = 50;
    let mut own: Vec<(&str, u64)> = Vec::new();
    biggest_by_country(
        entries
            .iter()
            .filter(|e| e.primary)
            .map(|e| gaz.place(e.place))
            .filter(|p| p.kind.is_settlement()),
        &mut own,
    );
    if own.is_empty() {
        return;
    }
    // A city of 100,000 or more shadows alternates in any country ("Cancun" is also a
    // transliteration of Changchun).
    let big_anywhere = own.iter().map(|&(_, pop)| pop).max().unwrap_or(0);
    for (cand, e) in c.iter_mut().zip(entries) {
        let p = gaz.place(cand.place);
        let shadows = |pop: u64| pop.max(1).saturating_mul(FAR_BIGGER) >= p.population;
        let shadowed = p
            .country
            .is_some_and(|cc| own.iter().any(|&(k, pop)| k == cc && shadows(pop)))
            || (big_anywhere >= 100_000 && shadows(big_anywhere));
        if shadowed
            && !e.primary
            && p.source != crate::gazetteer::Source::Curated
            && p.kind.is_settlement()
        {
            cand.why.name -= PENALTY;
            cand.why.total -= PENALTY;
            cand.score = cand.why.total;
        }
    }
}

/// Verbs after which a country or capital acts as a government ("Moscow said").
const ACTOR_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "announced",
    "announces",
    "warned",
    "warns",
    "denied",
    "denies",
    "accused",
    "accuses",
    "claimed",
    "claims",
    "insisted",
    "stated",
    "has",
    "have",
    "had",
    "is",
    "was",
    "were",
    "will",
    "would",
    "could",
    "should",
    "must",
    "shut",
    "expelled",
    "expels",
    "agreed",
    "agrees",
    "signed",
    "launched",
    "sent",
    "sends",
    "rejected",
    "rejects",
    "condemned",
    "condemns",
    "called",
    "calls",
    "urged",
    "urges",
    "wants",
    "wanted",
    "threatened",
    "threatens",
    "imposed",
    "imposes",
    "vowed",
    "vows",
    "responded",
    "criticised",
    "criticized",
    "protested",
    "demanded",
    "demands",
    "summoned",
    "recalled",
    "ordered",
    "plans",
    "planned",
    "decided",
    "believes",
    "believed",
    "reported",
    "confirmed",
    "confirms",
    "added",
];

/// What makes mentions one group in `resolve_document`: the same key and the same
/// candidate places, in the same order.
struct Signature<'a> {
    key: &'a str,
    entries: &'a [NameEntry],
}

impl PartialEq for Signature<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
            && self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(other.entries)
                .all(|(a, b)| a.place == b.place)
    }
}

impl Eq for Signature<'_> {}

impl Hash for Signature<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key.hash(state);
        self.entries.len().hash(state);
        for e in self.entries {
            e.place.hash(state);
        }
    }
}

/// A place that anchors coherence: its group, the place, its point and that point
/// as a unit vector (see `Bands`).
type Anchor = (usize, PlaceId, LonLat, [f64; 3]);

/// The point on the unit sphere for a longitude and latitude.
fn unit_vector(p: LonLat) -> [f64; 3] {
    let (lat, lon) = (p.lat.to_radians(), p.lon.to_radians());
    [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
}

/// The coherence distance bands (300 and 1,500 km) as squared chord lengths between
/// unit vectors, each a millionth below and above its edge. A chord is three
/// subtractions away, and the great-circle distance grows with it, so a chord clearly
/// inside a band decides the band; only one within a metre or so of an edge (far
/// beyond the rounding error of either sum) needs the great-circle distance itself.
struct Bands {
    near: (f64, f64),
    far: (f64, f64),
}

/// The bands, worked out once.
static BANDS: LazyLock<Bands> = LazyLock::new(Bands::new);

impl Bands {
    fn new() -> Bands {
        let radius_km = geo::Haversine.radius() / 1000.0;
        let chord2 = |km: f64| (2.0 * (km / (2.0 * radius_km)).sin()).powi(2);
        let edge = |km: f64| (chord2(km * (1.0 - 1e-6)), chord2(km * (1.0 + 1e-6)));
        Bands {
            near: edge(300.0),
            far: edge(1500.0),
        }
    }

    /// The coherence part of a candidate at `point` in group `g`: how close the nearest
    /// anchor set by another group lies (under 300 km, under 1,500 km).
    fn coherence(&self, anchors: &[Anchor], g: usize, point: LonLat) -> f64 {
        // 0: farther than 1,500 km, 1: under 1,500 km, 2: under 300 km.
        let band_of = |km: f64| {
            if km < 300.0 {
                2
            } else if km < 1500.0 {
                1
            } else {
                0
            }
        };
        let mut best = 0;
        let mut unit = None;
        // 1,500 km is under 13.6° of latitude: farther anchors need no great-circle sum.
        for (_, _, a, va) in anchors
            .iter()
            .filter(|(h, _, a, _)| *h != g && (a.lat - point.lat).abs() < 13.6)
        {
            let vp = *unit.get_or_insert_with(|| unit_vector(point));
            let chord2: f64 = (0..3).map(|k| (va[k] - vp[k]).powi(2)).sum();
            let band = if chord2 < self.near.0 {
                2
            } else if self.near.1 < chord2 && chord2 < self.far.0 {
                1
            } else if self.far.1 < chord2 {
                0
            } else {
                band_of(a.distance_km(point))
            };
            best = best.max(band);
            if best == 2 {
                break;
            }
        }
        [0.0, 0.04, 0.08][best]
    }
}

/// Is `short` an abbreviation of `name` (both name keys): one word, shorter, with the
/// same first letter and its letters in order in `name` ("wash", "ga", "calif")?
fn is_abbreviation(short: &str, name: &str) -> bool {
    let mut rest = name.chars();
    short.len() < name.len()
        && !short.contains(' ')
        && short.chars().next() == name.chars().next()
        && short.chars().all(|c| rest.any(|n| n == c))
}

/// "Suffolk County ... the Suffolk Times": once a story has named a county, its name
/// without the type means the county, unless the name has a stronger reading of its own
/// (a capital, a country or a state of the county's country: "Washington County ...
/// Washington").
fn short_county_names(
    gaz: &Gazetteer,
    groups: &mut [(&str, Range<usize>, usize)],
    cands: &mut [Candidate],
) {
    let counties: Vec<(String, PlaceId)> = groups
        .iter()
        .filter_map(|(_, range, _)| cands[range.clone()].first())
        .filter(|c| gaz.place(c.place).kind == PlaceKind::Admin2)
        .filter_map(|c| {
            let key = crate::gazetteer::normalize::name_key(gaz.place(c.place).name);
            let short = ["county", "parish", "borough"]
                .iter()
                .find_map(|t| key.strip_suffix(t)?.strip_suffix(' '))?;
            Some((short.to_string(), c.place))
        })
        .collect();
    if counties.is_empty() {
        return;
    }
    for (key, range, _) in groups.iter_mut() {
        let Some(&(_, county)) = counties.iter().find(|(short, _)| short == key) else {
            continue;
        };
        let Some(top) = cands[range.clone()].first() else {
            continue;
        };
        let top = gaz.place(top.place);
        let strong = match top.kind {
            PlaceKind::Capital | PlaceKind::Country | PlaceKind::Continent => true,
            PlaceKind::Admin1 => top.country == gaz.place(county).country,
            _ => false,
        };
        if !strong {
            let why = base_parts(
                gaz,
                &NameEntry {
                    place: county,
                    primary: false,
                },
            );
            cands[range.start] = Candidate {
                place: county,
                score: why.total,
                why,
            };
            range.end = range.start + 1;
        }
    }
}

/// Finds the resolved mentions of one document.
pub fn resolve_document(
    gaz: &Gazetteer,
    text: &str,
    toks: &[Token],
    found: Vec<Recognized>,
) -> Vec<Mention> {
    // Mentions with the same name and the same candidates are scored once, as a group:
    // the cost grows with the number of distinct names, not with the length of the text.
    let mut group_of: FxHashMap<Signature, usize> =
        FxHashMap::with_capacity_and_hasher(found.len(), Default::default());
    // Each group: its name, where its candidates lie in `cands` (one list for the
    // document), and how many mentions it has.
    let mut groups: Vec<(&str, Range<usize>, usize)> = Vec::with_capacity(found.len());
    let mut member: Vec<usize> = Vec::with_capacity(found.len());
    let mut firsts: Vec<&Recognized> = Vec::with_capacity(found.len());
    for r in &found {
        let sig = Signature {
            key: &r.key,
            entries: &r.entries,
        };
        let g = *group_of.entry(sig).or_insert_with(|| {
            firsts.push(r);
            groups.push((r.key.as_str(), 0..0, 0));
            groups.len() - 1
        });
        groups[g].2 += 1;
        member.push(g);
    }
    let mut cands: Vec<Candidate> =
        Vec::with_capacity(firsts.iter().map(|r| r.entries.len()).sum());
    for (r, (_, range, _)) in firsts.iter().zip(&mut groups) {
        let surface = &text[toks[r.first_token].byte_start..toks[r.end_token - 1].byte_end];
        *range = rank_into(gaz, &r.entries, Some(surface), &mut cands);
    }

    short_county_names(gaz, &mut groups, &mut cands);

    // Kinds and countries of the places each group is listed with: "California or
    // Washington", "Georgia, Armenia and Azerbaijan", "North West and Limpopo".
    // Kinds as bits (`1 << kind as u32`).
    const _: () = assert!(PlaceKind::ALL.len() <= 32);
    let mut list_kinds: Vec<u32> = vec![0; groups.len()];
    let mut list_countries: Vec<Vec<&str>> = vec![Vec::new(); groups.len()];
    for k in 1..found.len() {
        let (a, b) = (&found[k - 1], &found[k]);
        let before_a = k >= 2 && list_gap(toks, &found[k - 2], a) == Some(true);
        let after_b = found
            .get(k + 1)
            .is_some_and(|c| list_gap(toks, b, c).is_some());
        let listed = match list_gap(toks, a, b) {
            Some(false) => true,
            Some(true) => before_a || after_b,
            None => false,
        };
        if !listed {
            continue;
        }
        let (ga, gb) = (member[k - 1], member[k]);
        if groups[ga].0 == groups[gb].0 {
            continue;
        }
        for (from, to) in [(ga, gb), (gb, ga)] {
            if let Some(top) = cands[groups[from].1.clone()].first() {
                let top = gaz.place(top.place);
                list_kinds[to] |= 1 << top.kind as u32;
                if let Some(cc) = top.country.filter(|cc| !list_countries[to].contains(cc)) {
                    list_countries[to].push(cc);
                }
            }
        }
    }

    // Document focus: countries named or implied, and places whose reading is clear.
    // Each focus remembers the first group that set it and whether others did, so a
    // name is not its own evidence.
    let mut focus: FxHashMap<&str, (usize, bool)> =
        FxHashMap::with_capacity_and_hasher(groups.len(), Default::default());
    let mut admin1_focus: Vec<(&str, &str, usize)> = Vec::new();
    let mut county_focus: Vec<(crate::coords::BBox, usize)> = Vec::new();
    // Provinces the story names by an abbreviation ("CAMP MURRAY, Wash."): their full
    // name then means the province, not a namesake city ("across Washington").
    let mut abbreviated: Vec<(PlaceId, usize)> = Vec::new();
    let mut anchors: Vec<Anchor> = Vec::with_capacity(groups.len());
    for (g, (key, range, _)) in groups.iter().enumerate() {
        let c = &cands[range.clone()];
        let Some(top) = c.first() else { continue };
        let clear = c.len() == 1 || c[1].score + 0.1 < top.score;
        let p = gaz.place(top.place);
        if p.kind == PlaceKind::Admin1 {
            if let (Some(cc), Some(a1)) = (p.country, p.admin1) {
                admin1_focus.push((cc, a1, g));
            }
            if clear && is_abbreviation(key, &crate::gazetteer::normalize::name_key(p.name)) {
                abbreviated.push((top.place, g));
            }
        }
        if p.kind == PlaceKind::Admin2 {
            if let Some(bbox) = p.bbox {
                county_focus.push((bbox, g));
            }
        }
        if clear || p.kind == PlaceKind::Country {
            if let Some(cc) = p.country {
                focus
                    .entry(cc)
                    .and_modify(|(_, others)| *others = true)
                    .or_insert((g, false));
            }
            let broad = matches!(
                p.kind,
                PlaceKind::Country | PlaceKind::Continent | PlaceKind::Ocean
            );
            if !broad && !anchors.iter().any(|(_, a, _, _)| *a == top.place) {
                anchors.push((g, top.place, p.point, unit_vector(p.point)));
            }
        }
    }

    // Second pass: context features.
    let bands = &*BANDS;
    let mut biggest: Vec<(&str, u64)> = Vec::new();
    for (g, (_, range, _)) in groups.iter().enumerate() {
        let c = &mut cands[range.clone()];
        // A province named in the story favours its towns, but not a small town over a
        // big namesake city in the same country (Louisville, Ohio vs Louisville, Kentucky).
        biggest.clear();
        if !admin1_focus.is_empty() {
            // Only namesakes by main name: "Franklin" was once Columbus's name.
            biggest_by_country(
                c.iter()
                    .filter(|x| x.why.name > 0.0)
                    .map(|x| gaz.place(x.place)),
                &mut biggest,
            );
        }
        // A world capital is not displaced by a far smaller namesake in the story's
        // country ("Victoria Beckham was in London" in a story from British Columbia)...
        let capital_pop = c
            .iter()
            .map(|x| gaz.place(x.place))
            .filter(|p| p.kind == PlaceKind::Capital && p.population >= 1_000_000)
            .map(|p| p.population)
            .max()
            .unwrap_or(0);
        for cand in c.iter_mut() {
            let p = gaz.place(cand.place);
            if let Some(cc) = p.country {
                let a1 = p.admin1;
                let in_named_province = p.kind != PlaceKind::Admin1
                    && biggest
                        .iter()
                        .find(|(k, _)| *k == cc)
                        .is_none_or(|&(_, big)| {
                            big < 500_000 || p.population.saturating_mul(20) >= big
                        })
                    && admin1_focus
                        .iter()
                        .any(|(c, a, h)| *c == cc && Some(*a) == a1 && *h != g);
                let province_abbreviated = p.kind == PlaceKind::Admin1
                    && abbreviated.iter().any(|&(a, h)| a == cand.place && h != g);
                // A county named in the story ("Horry County") favours the towns in it.
                let in_named_county = p.kind.is_settlement()
                    && county_focus
                        .iter()
                        .any(|(b, h)| *h != g && b.contains(p.point));
                if in_named_province || province_abbreviated || in_named_county {
                    cand.why.admin1_focus = 0.1;
                }
                // Unless its own province or county is named (Vienna, Virginia).
                let dwarfed = p.kind == PlaceKind::City
                    && p.population.saturating_mul(20) < capital_pop
                    && cand.why.admin1_focus == 0.0;
                if !dwarfed
                    && focus
                        .get(cc)
                        .is_some_and(|&(first, others)| others || first != g)
                {
                    cand.why.country_focus = 0.12;
                }
            }
            cand.why.coherence = bands.coherence(&anchors, g, p.point);
            let same_kind = list_kinds[g] & 1 << p.kind as u32 != 0;
            let same_country = p.country.is_some_and(|cc| list_countries[g].contains(&cc));
            cand.why.list =
                0.1 * f64::from(u8::from(same_kind)) + 0.05 * f64::from(u8::from(same_country));
            cand.why.total = cand.why.prior
                + cand.why.name
                + cand.why.country_focus
                + cand.why.admin1_focus
                + cand.why.coherence
                + cand.why.list;
            cand.score = cand.why.total;
        }
        sort_candidates(gaz, c);
    }

    // One sense per document: the same name means the same place throughout, the
    // place with the highest score summed over the name's groups.
    let mut key_of: FxHashMap<&str, usize> =
        FxHashMap::with_capacity_and_hasher(groups.len(), Default::default());
    let group_key: Vec<usize> = groups
        .iter()
        .map(|(key, _, _)| {
            let next = key_of.len();
            *key_of.entry(key).or_insert(next)
        })
        .collect();
    let mut by_key: Vec<usize> = (0..groups.len()).collect();
    by_key.sort_by_key(|&g| group_key[g]);
    let mut choice: Vec<Option<PlaceId>> = vec![None; key_of.len()];
    let mut sums: Vec<(PlaceId, f64)> = Vec::new();
    for same_key in by_key.chunk_by(|a, b| group_key[*a] == group_key[*b]) {
        sums.clear();
        for (_, range, count) in same_key.iter().map(|&g| &groups[g]) {
            for cand in &cands[range.clone()] {
                let at = match sums.iter().position(|(p, _)| *p == cand.place) {
                    Some(at) => at,
                    None => {
                        sums.push((cand.place, 0.0));
                        sums.len() - 1
                    }
                };
                sums[at].1 += cand.score * *count as f64;
            }
        }
        choice[group_key[same_key[0]]] = sums
            .iter()
            .max_by(|a, b| a.1.total_cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(p, _)| *p);
    }

    let mut mentions: Vec<Mention> = Vec::with_capacity(found.len());
    let mut ranges: Vec<Range<usize>> = Vec::with_capacity(found.len());
    for (r, g) in found.iter().zip(member) {
        let c = &cands[groups[g].1.clone()];
        let Some(place) = choice[group_key[g]] else {
            continue;
        };
        let Some(pos) = c.iter().position(|x| x.place == place) else {
            continue;
        };
        let chosen = &c[pos];
        let first = &toks[r.first_token];
        let last = &toks[r.end_token - 1];
        mentions.push(Mention {
            start: first.start,
            end: last.end,
            first_token: r.first_token,
            end_token: r.end_token,
            text: text[first.byte_start..last.byte_end].to_string(),
            mention_type: r.mention_type,
            anaphor: false,
            by_context: false,
            place,
            at: None,
            score: chosen.score,
            why: chosen.why,
            candidates: c.iter().take(5).cloned().collect(),
        });
        ranges.push(groups[g].1.clone());
    }
    apply_qualifiers(gaz, text, toks, &mut mentions, &ranges, &cands);
    place_vast_features(gaz, &mut mentions);
    mark_metonyms(gaz, toks, &mut mentions);
    add_anaphora(gaz, text, toks, &mut mentions);
    mentions
}

/// How two neighbouring names are joined: `Some(false)` by "and" or "or" (a list),
/// `Some(true)` by a comma alone (a list only if it goes on: "Utah, Colorado, and
/// Idaho", not "Columbus, Ohio"), `None` by anything else.
fn list_gap(toks: &[Token], a: &Recognized, b: &Recognized) -> Option<bool> {
    let gap = &toks[a.end_token..b.first_token];
    let comma = toks[b.first_token].comma_before || gap.first().is_some_and(|t| t.comma_before);
    match gap {
        [] if comma => Some(true),
        [w] if matches!(w.folded.as_str(), "and" | "or") => Some(false),
        _ => None,
    }
}

/// Does place `outer` (a country or first-order division) contain place `inner`?
fn contains(gaz: &Gazetteer, outer: PlaceId, inner: PlaceId) -> bool {
    gaz.contains(outer, inner)
}

/// Words naming a unit in a place hierarchy: "Shigal district, Kunar province".
pub fn is_unit_word(w: &str) -> bool {
    matches!(
        w,
        "district"
            | "county"
            | "village"
            | "town"
            | "city"
            | "province"
            | "region"
            | "oblast"
            | "governorate"
            | "municipality"
            | "prefecture"
            | "state"
            | "township"
            | "department"
            | "raion"
            | "rayon"
    )
}

/// Whether a place can qualify another as the unit it lies in.
fn is_container(gaz: &Gazetteer, id: PlaceId) -> bool {
    let p = gaz.place(id);
    match p.kind {
        PlaceKind::Country | PlaceKind::Admin1 | PlaceKind::Admin2 => true,
        // A land region of one country: "Croft, Yorkshire".
        PlaceKind::Region => p.country.is_some(),
        _ => false,
    }
}

/// How a name is tied to the name after it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tie {
    /// "X, Y", "X in Y", "X is a town in Y", "the X district of Y", "X (Y)": X lies in Y.
    Inside,
    /// "X near Y", "X, north of Y": X lies close to Y.
    Near,
}

/// Lower-case words that may stand between a place and its unit in a definition:
/// "is a fourth class municipality in the province of", "was an unincorporated
/// community located in".
fn definition_word(t: &Token) -> bool {
    !t.capitalized
        && t.folded.len() <= 16
        && !matches!(
            t.folded.as_str(),
            "or" | "but" | "with" | "from" | "to" | "by" | "near" | "between"
        )
}

/// The tie between mentions `a` and `b` from the words between them, if one.
fn tie(text: &str, toks: &[Token], a: &Mention, b: &Mention) -> Option<Tie> {
    if b.first_token < a.end_token {
        return None;
    }
    let gap = &toks[a.end_token..b.first_token];
    let first = &toks[b.first_token];
    let comma = gap.first().unwrap_or(first).comma_before;
    let word = |t: &Token, w: &str| t.folded == w && !t.capitalized;
    let dir = |t: &Token| is_compass(&t.folded) && !t.capitalized;
    // No sentence end inside the gap.
    if gap
        .iter()
        .chain(std::iter::once(first))
        .any(|t| t.sentence_start)
    {
        return None;
    }
    let between = || {
        let from = toks[a.end_token - 1].byte_end;
        text.get(from..first.byte_start).unwrap_or("").trim()
    };
    match gap {
        [] if comma => Some(Tie::Inside),
        [] if between() == "(" => Some(Tie::Inside),
        [w] if is_unit_word(&w.folded) && comma => Some(Tie::Inside),
        [w] if word(w, "in") => Some(Tie::Inside),
        [w] if word(w, "near") => Some(Tie::Near),
        [w, x] if word(w, "in") && word(x, "the") => Some(Tie::Inside),
        [w, x] if word(w, "near") && word(x, "the") => Some(Tie::Near),
        [w, x] if is_unit_word(&w.folded) && word(x, "of") => Some(Tie::Inside),
        [w, x, y] if is_unit_word(&w.folded) && word(x, "of") && word(y, "the") => {
            Some(Tie::Inside)
        }
        [w, x] if dir(w) && word(x, "of") => Some(Tie::Near),
        // "X is a town in Y", "X, a village in Y", "X is an unincorporated community in
        // the province of Y".
        [v, rest @ ..]
            if (matches!(v.folded.as_str(), "is" | "was") || (comma && word(v, "a")))
                && rest.len() <= 10
                && rest.iter().all(definition_word) =>
        {
            let in_at = rest.iter().rposition(|t| word(t, "in") || word(t, "of"))?;
            let after = &rest[in_at + 1..];
            let near_before =
                in_at > 0 && (word(&rest[in_at - 1], "north") || dir(&rest[in_at - 1]));
            if after.iter().all(unit_lead) {
                Some(if near_before && word(&rest[in_at], "of") {
                    Tie::Near
                } else {
                    Tie::Inside
                })
            } else {
                None
            }
        }
        _ => None,
    }
}

/// "Trinidad (Chetco-Tolowa: ...) is a seaside city in Humboldt County", "Lodi /ˈloʊd.aɪ/
/// LOHD-eye is a city located in San Joaquin County": the definition that opens a
/// sentence about place `a`, with a parenthesis, a pronunciation or another name between
/// the subject and "is" (at most 30 words, no sentence end), tying it to `b`.
///
/// A people-name in the definition is part of it: "the capital city of the Canadian
/// province of Saskatchewan" (`demonym` flags the tokens of demonym mentions).
fn definition_tie(toks: &[Token], demonym: &[bool], a: &Mention, b: &Mention) -> bool {
    if b.first_token <= a.end_token || b.first_token - a.end_token > 40 {
        return false;
    }
    let word = |t: &Token, w: &str| t.folded == w && !t.capitalized;
    let gap = &toks[a.end_token..b.first_token];
    // A lower-case word after a period inside a pronunciation ("ˈloʊ.daɪ") opens no sentence.
    if toks[b.first_token].sentence_start || gap.iter().any(|t| t.sentence_start && t.capitalized) {
        return false;
    }
    let Some(v) = gap
        .iter()
        .rposition(|t| matches!(t.folded.as_str(), "is" | "was") && !t.capitalized)
    else {
        return false;
    };
    let rest = &gap[v + 1..];
    let from = a.end_token + v + 1;
    let defining = rest
        .iter()
        .enumerate()
        .all(|(k, t)| definition_word(t) || demonym[from + k]);
    if v > 30 || rest.len() > 10 || !defining {
        return false;
    }
    let Some(in_at) = rest.iter().rposition(|t| word(t, "in") || word(t, "of")) else {
        return false;
    };
    rest[in_at + 1..].iter().all(unit_lead)
}

/// Words that may stand between "in" and the unit: "in the", "in southwestern
/// Washington County", "in the upper Hunter Region".
fn unit_lead(t: &Token) -> bool {
    !t.capitalized
        && (matches!(t.folded.as_str(), "the" | "upper" | "lower" | "central")
            || is_unit_word(&t.folded)
            || is_compass(&t.folded))
}

/// How one qualifier of a chain is tied to the next: "Putnam County, New York", "the
/// U.S. state of Indiana", "Camarines Sur, Philippines".
fn chain_link(toks: &[Token], a: &Mention, b: &Mention) -> bool {
    if b.first_token < a.end_token {
        return false;
    }
    let gap = &toks[a.end_token..b.first_token];
    let first = &toks[b.first_token];
    let word = |t: &Token, w: &str| t.folded == w && !t.capitalized;
    if first.sentence_start {
        return false;
    }
    match gap {
        [] => first.comma_before,
        [w] => (is_unit_word(&w.folded) && first.comma_before) || word(w, "in"),
        [w, x] => {
            (is_unit_word(&w.folded) && word(x, "of"))
                || ((word(w, "in") || word(w, "of")) && word(x, "the"))
        }
        _ => false,
    }
}

/// Compass words before "of": "north of Soper", "southwest of Leeds".
fn is_compass(w: &str) -> bool {
    matches!(
        w,
        "north"
            | "south"
            | "east"
            | "west"
            | "northeast"
            | "northwest"
            | "southeast"
            | "southwest"
            | "northeastern"
            | "northwestern"
            | "southeastern"
            | "southwestern"
            | "northern"
            | "southern"
            | "eastern"
            | "western"
    )
}

/// "Paris, Texas", "Kent is a town in Putnam County, New York", "the Shigal district of
/// Kunar", "Novoselivka in the Donetsk region", "Nelson, north of Soper": a place
/// followed by the units it lies in (or a place it is near) is read as the namesake
/// inside them (near it), chosen with its qualifiers among all of their candidates. A
/// small place none of whose namesakes lies inside the qualifier is placed at the
/// qualifier, the smallest unit known, and marked `by_context` (running text then drops
/// it: the event falls back to the qualifier).
fn apply_qualifiers(
    gaz: &Gazetteer,
    text: &str,
    toks: &[Token],
    mentions: &mut [Mention],
    ranges: &[Range<usize>],
    cands: &[Candidate],
) {
    let n = mentions.len();
    let mut fixed = vec![false; n];
    // The mentions read by their own qualifiers (not those read as a qualifier).
    let mut heads: Vec<usize> = Vec::new();
    type Reading = Option<(usize, f64, usize, Vec<Option<usize>>)>;
    let mut demonym = vec![false; toks.len()];
    for m in mentions
        .iter()
        .filter(|m| m.mention_type == MentionType::Demonym)
    {
        for d in demonym.iter_mut().take(m.end_token).skip(m.first_token) {
            *d = true;
        }
    }
    let mut memo: FxHashMap<(usize, bool, Vec<Vec<u32>>), Reading> = FxHashMap::default();
    for i in 0..n.saturating_sub(1) {
        if fixed[i] || mentions[i].mention_type == MentionType::Demonym {
            continue;
        }
        // The qualifier: the next mention, or the first after the opening of a
        // definition ("Trinidad (...) is a city in Humboldt County").
        let (q0, t, defn) = match tie(text, toks, &mentions[i], &mentions[i + 1]) {
            Some(t) => {
                // "X is a town in Y", "X, a village in Y": a definition.
                let defn = toks.get(mentions[i].end_token).is_some_and(|w| {
                    !w.capitalized && matches!(w.folded.as_str(), "is" | "was" | "a" | "an")
                });
                (i + 1, t, defn)
            }
            None => {
                let sentence_subject = i == 0
                    || toks[mentions[i - 1].first_token..=mentions[i].first_token]
                        .iter()
                        .skip(1)
                        .any(|t| t.sentence_start);
                let Some(j) = (i + 1..n.min(i + 8))
                    .filter(|_| sentence_subject)
                    .filter(|&j| mentions[j].mention_type != MentionType::Demonym)
                    .find(|&j| definition_tie(toks, &demonym, &mentions[i], &mentions[j]))
                else {
                    continue;
                };
                (j, Tie::Inside, true)
            }
        };
        // "Washington, New York and Boston": a comma before a name that a list goes on
        // from is a list, not a qualifier.
        let b = &mentions[q0];
        let comma = toks[b.first_token].comma_before;
        let list_goes_on = mentions.get(q0 + 1).is_some_and(|c| {
            let gap = &toks[b.end_token..c.first_token.max(b.end_token)];
            matches!(gap, [w] if matches!(w.folded.as_str(), "and" | "or"))
        });
        if comma && list_goes_on {
            continue;
        }
        // The chain of qualifiers: the next mention and those linked to it.
        let mut chain = vec![q0];
        while chain.len() < 3 {
            let last = *chain.last().unwrap_or(&q0);
            if last + 1 >= n || !chain_link(toks, &mentions[last], &mentions[last + 1]) {
                break;
            }
            chain.push(last + 1);
        }
        if chain
            .iter()
            .any(|&j| mentions[j].mention_type == MentionType::Demonym)
        {
            chain.truncate(
                chain
                    .iter()
                    .position(|&j| mentions[j].mention_type == MentionType::Demonym)
                    .unwrap_or(0),
            );
        }
        if chain.is_empty() {
            continue;
        }
        // "X is a neighbourhood of Calgary", "a suburb of Geelong": a town as the unit
        // means near it.
        let t = if t == Tie::Inside
            && defn
            && !cands[ranges[q0].clone()]
                .iter()
                .any(|c| is_container(gaz, c.place))
            && gaz.place(mentions[q0].place).kind.is_settlement()
        {
            Tie::Near
        } else {
            t
        };
        let a_all = &cands[ranges[i].clone()];
        // Candidates of each qualifier that can hold (or be near) a place; a qualifier
        // already read by an earlier chain keeps its reading.
        let quals: Vec<Vec<&Candidate>> = chain
            .iter()
            .map(|&j| {
                let own = &cands[ranges[j].clone()];
                own.iter()
                    // Near a town is near the town the story means.
                    .filter(|c| (!fixed[j] && t == Tie::Inside) || c.place == mentions[j].place)
                    .filter(|c| t == Tie::Near || is_container(gaz, c.place))
                    .take(64)
                    .collect()
            })
            .collect();
        if quals[0].is_empty() {
            continue;
        }
        // Best reading: most qualifiers satisfied, then the highest summed score. The
        // same name with the same qualifiers is read once (a long text repeats them).
        let memo_key = (
            ranges[i].start,
            t == Tie::Near,
            quals
                .iter()
                .map(|q| q.iter().map(|c| c.place.0).collect::<Vec<_>>())
                .collect::<Vec<_>>(),
        );
        let mut best: Option<(usize, f64, usize, Vec<Option<usize>>)> = None;
        let known = memo.get(&memo_key).cloned();
        let fresh = known.is_none();
        if let Some(k) = known {
            best = k;
        }
        for (x, ca) in a_all.iter().enumerate().filter(|_| fresh) {
            let mut held = 0;
            let mut sum = ca.score;
            let mut picks = Vec::with_capacity(quals.len());
            for q in &quals {
                let pick = q
                    .iter()
                    .enumerate()
                    .filter(|(_, cb)| match t {
                        Tie::Inside => contains(gaz, cb.place, ca.place),
                        Tie::Near => {
                            cb.place != ca.place
                                && gaz
                                    .place(cb.place)
                                    .point
                                    .distance_km(gaz.place(ca.place).point)
                                    < 100.0
                        }
                    })
                    .max_by(|p, q| p.1.score.total_cmp(&q.1.score).then_with(|| q.0.cmp(&p.0)))
                    .map(|(y, cb)| (y, cb.score));
                if let Some((_, sc)) = pick {
                    held += 1;
                    sum += sc;
                }
                picks.push(pick.map(|(y, _)| y));
                // "Near" ties only the first qualifier.
                if t == Tie::Near {
                    break;
                }
            }
            // The first qualifier must hold: "X, Y, Z" with X in Z but not in Y is a list.
            if picks.first().copied().flatten().is_none() {
                continue;
            }
            let better = match &best {
                None => true,
                Some((h, s, _, _)) => held > *h || (held == *h && sum > *s + 1e-12),
            };
            if better {
                best = Some((held, sum, x, picks));
            }
        }
        if fresh {
            memo.insert(memo_key, best.clone());
        }
        match best {
            Some((_, _, x, picks)) => {
                let ca = a_all[x].clone();
                set_candidate(gaz, &mut mentions[i], &ca);
                fixed[i] = true;
                heads.push(i);
                for ((&j, q), pick) in chain.iter().zip(&quals).zip(picks) {
                    if let Some(y) = pick {
                        if !fixed[j] {
                            let cb = q[y].clone();
                            set_candidate(gaz, &mut mentions[j], &cb);
                        }
                        fixed[j] = true;
                    }
                }
            }
            None => {
                // No namesake inside: a small place goes to its qualifier.
                let a = &mentions[i];
                let p = gaz.place(a.place);
                let small = matches!(p.kind, PlaceKind::City | PlaceKind::Admin2);
                let big = p.population >= 1_000_000;
                let q = &mentions[q0];
                // Beside it is as good as inside: simplified polygons miss coastal towns
                // ("New Quay, Ceredigion").
                let qp = gaz.place(q.place);
                let beside = qp.bbox.is_some_and(|b| b.contains(p.point))
                    || qp.point.distance_km(p.point) < 100.0;
                if small
                    && !big
                    && !beside
                    && a.mention_type == MentionType::Literal
                    && (is_container(gaz, q.place)
                        || (defn && gaz.place(q.place).kind.is_settlement()))
                {
                    // The qualifier read by the rest of its chain first: "a city in
                    // Marion County, Kansas" is in Marion County, Kansas.
                    if let (Some(&q1), false) = (chain.get(1), fixed[q0]) {
                        let outer = mentions[q1].place;
                        let inside = cands[ranges[q0].clone()]
                            .iter()
                            .filter(|c| is_container(gaz, c.place) && contains(gaz, outer, c.place))
                            .max_by(|x, y| x.score.total_cmp(&y.score))
                            .cloned();
                        if let Some(c) = inside {
                            set_candidate(gaz, &mut mentions[q0], &c);
                            fixed[q0] = true;
                        }
                    }
                    let q = &mentions[q0];
                    let (place, score) = (q.place, q.score);
                    let m = &mut mentions[i];
                    m.place = place;
                    m.at = None;
                    m.by_context = true;
                    m.score = score;
                    fixed[i] = true;
                    heads.push(i);
                }
            }
        }
    }
    // One sense per document: the other mentions of a name read by its qualifiers
    // follow that reading ("Greenville is a town in Hillsborough County, New Hampshire
    // ... Greenville's town hall").
    // The first reading of each name (its candidate list), in text order.
    let mut first_reading: FxHashMap<usize, usize> = FxHashMap::default();
    for &i in &heads {
        first_reading.entry(ranges[i].start).or_insert(i);
    }
    for j in 0..n {
        let Some(&i) = first_reading.get(&ranges[j].start) else {
            continue;
        };
        if fixed[j] || ranges[j] != ranges[i] || mentions[j].place == mentions[i].place {
            continue;
        }
        let (place, at, by_context, score, why) = {
            let m = &mentions[i];
            (m.place, m.at, m.by_context, m.score, m.why)
        };
        let m = &mut mentions[j];
        m.place = place;
        m.at = at;
        m.by_context = by_context;
        m.score = score;
        m.why = why;
        fixed[j] = true;
    }
}

/// Gives mention `m` the reading `c`, chosen by a qualifier.
fn set_candidate(gaz: &Gazetteer, m: &mut Mention, c: &Candidate) {
    let _ = gaz;
    if m.place != c.place {
        m.at = None;
    }
    m.place = c.place;
    m.score = c.score + 0.1;
    m.why = c.why;
    if !m.candidates.iter().any(|x| x.place == c.place) {
        m.candidates.insert(0, c.clone());
        m.candidates.truncate(5);
    }
}

/// Oceans and large seas, gulfs and bays: features whose conventional point may lie
/// thousands of kilometres from the part a story is about. (Continents and large land
/// regions keep their conventional point: gold data and readers take "Europe" or "the
/// Middle East" as the whole, and moving them to a story's town cost GeoWebNews 3.7
/// points of resolution.)
fn is_vast(p: &Place) -> bool {
    let big = p.bbox.is_some_and(|b| b.diagonal_km() > 1_500.0);
    match p.kind {
        PlaceKind::Ocean => true,
        PlaceKind::Sea | PlaceKind::Gulf | PlaceKind::Bay => big,
        _ => false,
    }
}

/// Whether `p` lies in `b` widened by `margin` degrees on every side.
fn near_box(b: &crate::coords::BBox, p: LonLat, margin: f64) -> bool {
    let lat = p.lat >= b.south - margin && p.lat <= b.north + margin;
    let width = b.width_deg() + 2.0 * margin;
    let from_west = (p.lon - (b.west - margin)).rem_euclid(360.0);
    lat && (width >= 360.0 || from_west <= width)
}

/// The point of water feature `feature` nearest `from`: in its box, off land (the
/// first-order division polygons), and outside the smaller seas, straits, gulfs and bays
/// inside it (the Pacific next to the Tsugaru Strait is east of Honshu, not in the Sea
/// of Japan). Searched in rings of half a degree out to ten degrees.
fn water_point_near(gaz: &Gazetteer, feature: PlaceId, from: LonLat) -> Option<LonLat> {
    let f = gaz.place(feature);
    let b = f.bbox?;
    let area = |b: &crate::coords::BBox| b.width_deg() * (b.north - b.south);
    let own = area(&b);
    let parts: Vec<crate::coords::BBox> = gaz
        .waters()
        .iter()
        .filter(|&&id| id != feature)
        .filter_map(|&id| {
            let w = gaz.place(id);
            let pb = w.bbox?;
            let part = matches!(
                w.kind,
                PlaceKind::Sea
                    | PlaceKind::Strait
                    | PlaceKind::Gulf
                    | PlaceKind::Bay
                    | PlaceKind::Channel
            );
            (part && area(&pb) < own * 0.5 && near_box(&pb, from, 10.0)).then_some(pb)
        })
        .collect();
    const STEP: f64 = 0.5;
    for r in 0..=20i32 {
        let mut best: Option<(f64, LonLat)> = None;
        for dy in -r..=r {
            for dx in -r..=r {
                if dx.abs() != r && dy.abs() != r {
                    continue;
                }
                let lat = from.lat + f64::from(dy) * STEP;
                if !(-85.0..=85.0).contains(&lat) {
                    continue;
                }
                let lon = (from.lon + f64::from(dx) * STEP + 540.0).rem_euclid(360.0) - 180.0;
                let p = LonLat::new(lon, lat);
                if !b.contains(p) || parts.iter().any(|pb| pb.contains(p)) {
                    continue;
                }
                let d = from.distance_km(p);
                if best.is_some_and(|(bd, _)| bd <= d) {
                    continue;
                }
                if gaz.admin1_at(p).is_none() {
                    best = Some((d, p));
                }
            }
        }
        if let Some((_, p)) = best {
            return Some(p);
        }
    }
    None
}

/// "the Tsugaru Strait, which connects the Sea of Japan with the Pacific Ocean": a vast
/// feature named with places of a story points at its part nearest them, that is, near
/// the place named closest to it in the text among those lying in (or by) the feature.
/// Alone, it keeps its conventional point.
fn place_vast_features(gaz: &Gazetteer, mentions: &mut [Mention]) {
    if !mentions.iter().any(|m| is_vast(gaz.place(m.place))) {
        return;
    }
    // Places that locate a story: towns, divisions, straits, islands, capes.
    let anchors: Vec<(usize, PlaceId, LonLat)> = mentions
        .iter()
        .filter(|m| !m.by_context && m.mention_type != MentionType::Demonym)
        .filter(|m| {
            let p = gaz.place(m.place);
            !is_vast(p) && !matches!(p.kind, PlaceKind::Country | PlaceKind::Continent)
        })
        .map(|m| (m.first_token, m.place, m.point(gaz)))
        .collect();
    let mut done: FxHashMap<(PlaceId, PlaceId), Option<LonLat>> = FxHashMap::default();
    for m in mentions.iter_mut() {
        let p = gaz.place(m.place);
        if !is_vast(p) {
            continue;
        }
        let Some(b) = p.bbox else { continue };
        // The nearest in the text of the (at most 32 on either side) anchors by the
        // feature: a walk out from where the mention stands.
        let k = anchors.partition_point(|(t, _, _)| *t < m.first_token);
        let mut before = anchors[k.saturating_sub(32)..k].iter().rev();
        let mut after = anchors[k..anchors.len().min(k + 32)].iter();
        let by = |a: &&(usize, PlaceId, LonLat)| near_box(&b, a.2, 2.0);
        let nearest = [before.find(by), after.find(by)]
            .into_iter()
            .flatten()
            .min_by_key(|(t, _, _)| t.abs_diff(m.first_token));
        let Some(&(_, anchor, from)) = nearest else {
            continue;
        };
        let at = match done.get(&(m.place, anchor)) {
            Some(&at) => at,
            None => {
                let at = if p.kind.is_water() {
                    water_point_near(gaz, m.place, from)
                } else if b.contains(from) {
                    Some(from)
                } else {
                    None
                };
                done.insert((m.place, anchor), at);
                at
            }
        };
        if at.is_some() {
            m.at = at;
        }
    }
}

/// Countries and capitals that act ("Moscow said", "Russia and China have") stand for governments.
fn mark_metonyms(gaz: &Gazetteer, toks: &[Token], mentions: &mut [Mention]) {
    let n = mentions.len();
    for i in 0..n {
        if mentions[i].mention_type != MentionType::Literal {
            continue;
        }
        let kind = gaz.place(mentions[i].place).kind;
        if !matches!(
            kind,
            PlaceKind::Country | PlaceKind::Capital | PlaceKind::Building
        ) {
            continue;
        }
        // Skip over "and <mention>" chains to the verb.
        let mut j = i;
        let mut t = mentions[j].end_token;
        while t < toks.len()
            && toks[t].folded == "and"
            && j + 1 < n
            && mentions[j + 1].first_token == t + 1
        {
            j += 1;
            t = mentions[j].end_token;
        }
        let Some(next) = toks.get(t) else { continue };
        let f = mentions[i].first_token;
        if f > 0
            && matches!(
                toks[f - 1].folded.as_str(),
                "in" | "at" | "from" | "to" | "near" | "into" | "of"
            )
        {
            continue;
        }
        if next.gap_before == super::tokens::Gap::Space
            && ACTOR_VERBS.contains(&next.folded.as_str())
        {
            for m in mentions.iter_mut().take(j + 1).skip(i) {
                if m.mention_type == MentionType::Literal {
                    m.mention_type = MentionType::Metonymic;
                }
            }
        }
    }
}

/// "the strait", "the sea": lower-case generic words refer to the last such place named.
fn add_anaphora(gaz: &Gazetteer, text: &str, toks: &[Token], mentions: &mut Vec<Mention>) {
    let mut covered = vec![false; toks.len()];
    for m in mentions.iter() {
        for c in covered.iter_mut().take(m.end_token).skip(m.first_token) {
            *c = true;
        }
    }
    // Mentions whose kind has a generic word, by where they end: as the text is read,
    // each word's antecedent is the latest such mention (in list order) already ended.
    let mut pending: Vec<(usize, usize, &'static str)> = mentions
        .iter()
        .enumerate()
        .filter(|(_, m)| !m.anaphor)
        .filter_map(|(k, m)| Some((m.end_token, k, gaz.place(m.place).kind.generic_word()?)))
        .collect();
    pending.sort_by_key(|&(end, _, _)| end);
    let mut pending = pending.into_iter().peekable();
    let mut latest: Vec<(&'static str, usize)> = Vec::new();
    let mut extra = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if i == 0 || t.capitalized || toks[i - 1].folded != "the" {
            continue;
        }
        if toks
            .get(i + 1)
            .is_some_and(|n| n.folded == "of" || n.capitalized)
        {
            continue;
        }
        if covered[i] {
            continue;
        }
        while let Some((_, k, word)) = pending.next_if(|&(end, _, _)| end <= i) {
            match latest.iter_mut().find(|(w, _)| *w == word) {
                Some((_, last)) => *last = (*last).max(k),
                None => latest.push((word, k)),
            }
        }
        let antecedent = latest
            .iter()
            .find(|(w, _)| *w == t.folded)
            .map(|&(_, k)| &mentions[k]);
        if let Some(a) = antecedent {
            let the = &toks[i - 1];
            extra.push(Mention {
                start: the.start,
                end: t.end,
                first_token: i - 1,
                end_token: i + 1,
                text: text[the.byte_start..t.byte_end].to_string(),
                mention_type: MentionType::Literal,
                anaphor: true,
                by_context: false,
                place: a.place,
                at: a.at,
                score: a.score * 0.9,
                why: a.why,
                candidates: Vec::new(),
            });
        }
    }
    if !extra.is_empty() || !mentions.is_sorted_by_key(|m| m.start) {
        mentions.extend(extra);
        mentions.sort_by_key(|m| m.start);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations_keep_the_letters_in_order() {
        for (short, name) in [
            ("wash", "washington"),
            ("ga", "georgia"),
            ("calif", "california"),
        ] {
            assert!(is_abbreviation(short, name), "{short}");
        }
        for (short, name) in [
            ("tokyo", "tokyo"),
            ("ag", "georgia"),
            ("wa", "oregon"),
            ("n y", "new york"),
        ] {
            assert!(!is_abbreviation(short, name), "{short}");
        }
    }

    /// The bands from chords agree with the great-circle distance everywhere,
    /// also within metres of the 300 and 1,500 km edges.
    #[test]
    fn a_former_name_yields_to_towns_that_bear_it_unless_far_smaller() {
        let gaz = Gazetteer::embedded().unwrap();
        let first = |name: &str| gaz.place(rank_name(&gaz, name)[0].place).name;
        // Columbus, Ohio was once Franklin(ton); a dozen US towns are Franklin today.
        assert_eq!(first("Franklin"), "Franklin");
        // The village of Baroda is a hundredth of Vadodara, which news still calls Baroda.
        assert_eq!(first("Baroda"), "Vadodara");
    }

    #[test]
    fn coherence_bands_match_the_great_circle_distance() {
        let bands = Bands::new();
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for k in 0..200_000 {
            let a = LonLat::new(next() * 360.0 - 180.0, next() * 170.0 - 85.0);
            let b = if k % 2 == 0 {
                LonLat::new(a.lon + next() * 30.0 - 15.0, a.lat + next() * 26.0 - 13.0)
            } else {
                // Along a meridian, right at an edge give or take a few metres.
                let edge = if k % 4 == 1 { 300.0 } else { 1500.0 };
                let km = edge + (next() - 0.5) * 0.01;
                let deg = (km / (geo::Haversine.radius() / 1000.0)).to_degrees();
                LonLat::new(a.lon, (a.lat + deg).min(89.9))
            };
            let anchors = [(1, PlaceId(0), a, unit_vector(a))];
            let km = a.distance_km(b);
            let want = if (a.lat - b.lat).abs() >= 13.6 {
                0.0
            } else if km < 300.0 {
                0.08
            } else if km < 1500.0 {
                0.04
            } else {
                0.0
            };
            assert_eq!(bands.coherence(&anchors, 0, b), want, "{a:?} {b:?} {km}");
        }
    }
}
