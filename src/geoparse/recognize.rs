//! Recognition: gazetteer names matched over the token stream, longest first,
//! with the rules that tell a place name from a person, a common word or part
//! of an organisation's name.

use compact_str::{format_compact, CompactString};
use rustc_hash::FxHashMap;
use smallvec::{smallvec, SmallVec};

use super::tokens::{Gap, Token};
use super::MentionType;
use crate::gazetteer::normalize::{is_generic_word, is_name_particle};
use crate::gazetteer::{DemonymStrength, Gazetteer, KeyHit, KeyPrefix, NameEntry, PlaceKind};

/// A name found in the text, before resolution.
#[derive(Clone, Debug)]
pub struct Recognized {
    pub first_token: usize,
    pub end_token: usize,
    /// The index key that matched.
    pub key: CompactString,
    /// Candidate places; for a demonym, the one place it names. Most names have
    /// a few, kept without an allocation.
    pub entries: SmallVec<[NameEntry; 4]>,
    pub mention_type: MentionType,
}

/// Titles and honorifics: a name right after one is a person ("President Jordan ...").
fn is_title(folded: &str) -> bool {
    matches!(
        folded,
        "president"
            | "minister"
            | "mr"
            | "mrs"
            | "ms"
            | "miss"
            | "dr"
            | "gen"
            | "general"
            | "king"
            | "queen"
            | "prince"
            | "princess"
            | "sen"
            | "senator"
            | "rep"
            | "gov"
            | "governor"
            | "chancellor"
            | "secretary"
            | "spokesman"
            | "spokeswoman"
            | "spokesperson"
            | "ambassador"
            | "admiral"
            | "adm"
            | "colonel"
            | "col"
            | "captain"
            | "capt"
            | "pope"
            | "sheikh"
            | "lord"
            | "lady"
            | "sir"
            | "judge"
            | "justice"
            | "coach"
            | "sgt"
            | "lt"
            | "mayor"
            | "premier"
            | "emir"
            | "sultan"
            | "saint"
            | "st"
            | "archbishop"
            | "bishop"
            | "rev"
            | "father"
            | "brother"
            | "sister"
            | "uncle"
            | "aunt"
    )
}

/// Names of small towns that news uses for something else: the Pacific's warm and
/// cold phases.
const NOT_PLACES: &[&str] = &["el nino", "la nina"];

/// Function words and direction words that are never a place on their own,
/// whatever the gazetteer holds ("Western" Province, "Of").
fn never_alone(folded: &str) -> bool {
    is_direction(folded)
        || matches!(
            folded,
            "a" | "about"
                | "after"
                | "all"
                | "also"
                | "an"
                | "and"
                | "are"
                | "as"
                | "at"
                | "be"
                | "but"
                | "by"
                | "can"
                | "for"
                | "from"
                | "had"
                | "has"
                | "have"
                | "he"
                | "her"
                | "his"
                | "if"
                | "in"
                | "is"
                | "it"
                | "its"
                | "of"
                | "on"
                | "or"
                | "our"
                | "she"
                | "so"
                | "that"
                | "the"
                | "their"
                | "then"
                | "there"
                | "they"
                | "this"
                | "to"
                | "was"
                | "we"
                | "were"
                | "what"
                | "when"
                | "where"
                | "which"
                | "who"
                | "will"
                | "with"
                | "you"
                | "northeast"
                | "northwest"
                | "southeast"
                | "southwest"
                | "upper"
                | "lower"
                | "new"
                | "old"
                | "great"
                | "greater"
                | "little"
                | "big"
                | "general"
                | "president"
                | "union"
                | "city"
                | "state"
                | "capital"
                | "national"
                | "republic"
                | "kingdom"
                | "federal"
                | "world"
                | "international"
                | "university"
        )
}

/// The direction in "the western part of the X" / "western parts of X" before token `i`.
fn direction_before(toks: &[Token], i: usize) -> Option<&str> {
    let mut j = i;
    let word = |k: usize| toks.get(k).map(|t| t.folded.as_str());
    if j > 0 && word(j - 1) == Some("the") {
        j -= 1;
    }
    if j < 3 || word(j - 1) != Some("of") || !matches!(word(j - 2), Some("part" | "parts")) {
        return None;
    }
    let dir = word(j - 3)?;
    is_direction(dir).then_some(dir)
}

/// Lower-case direction words that may open a name ("the western Pacific").
fn is_direction(folded: &str) -> bool {
    matches!(
        folded,
        "western"
            | "eastern"
            | "northern"
            | "southern"
            | "central"
            | "north"
            | "south"
            | "east"
            | "west"
    )
}

/// May tokens `a` and `b` (adjacent) belong to one name?
fn joinable(b: &Token) -> bool {
    matches!(
        b.gap_before,
        Gap::Space | Gap::Hyphen | Gap::Abbreviation | Gap::Apostrophe
    )
}

/// A match must be written like a name: every word that is not a particle or a
/// generic word ("strait") capitalised, and at least one such word; a capitalised
/// direction counts before a capitalised generic word ("North Sea", "West Coast").
fn looks_like_name(toks: &[Token]) -> bool {
    let mut named = false;
    let opens_with_direction = toks.len() > 1 && is_direction(&toks[0].folded);
    if opens_with_direction && toks.iter().all(|t| t.capitalized) {
        return true;
    }
    for (i, t) in toks.iter().enumerate() {
        if i == 0 && opens_with_direction {
            continue;
        }
        let generic_or_particle = is_name_particle(&t.folded) || is_generic_word(&t.folded);
        if t.capitalized && !generic_or_particle {
            named = true;
        } else if !t.capitalized && !generic_or_particle {
            return false;
        }
    }
    named
        && (toks[0].capitalized || opens_with_direction)
        && toks
            .last()
            .is_some_and(|t| t.capitalized || is_generic_word(&t.folded))
}

/// "the Gulf": a capitalised generic word after "the", mid-sentence, that the curated
/// table gives as a place's own short name.
fn generic_alone(gaz: &Gazetteer, toks: &[Token], i: usize, key: &str) -> bool {
    let t = &toks[i];
    t.capitalized
        && !t.sentence_start
        && is_generic_word(key)
        && i > 0
        && toks[i - 1].folded == "the"
        && gaz
            .lookup_key(key)
            .iter()
            .any(|e| gaz.place(e.place).source == crate::gazetteer::Source::Curated)
}

/// `named[len - 1] = looks_like_name(&span[..len])` for every length, in one pass
/// over `span`; gives the longest such length, 0 when there is none.
fn name_shaped_lengths(span: &[Token], named: &mut [bool]) -> usize {
    named.fill(false);
    named[0] = looks_like_name(&span[..1]);
    let mut longest = usize::from(named[0]);
    if span.len() < 2 {
        return longest;
    }
    // For two tokens and more, a leading direction word is read as such, and names
    // with the words after it when all are capitalised ("North Sea").
    let direction = is_direction(&span[0].folded);
    let mut any_named = false;
    let mut all_capitalized = true;
    for (k, t) in span.iter().enumerate() {
        all_capitalized &= t.capitalized;
        if k == 0 && direction {
            continue;
        }
        let generic = is_generic_word(&t.folded);
        let generic_or_particle = generic || is_name_particle(&t.folded);
        // "St. John's": a possessive "s" may end a name, as in the gazetteer; so may a
        // syllable after an apostrophe ("Xi'an", "Ha'il"), unless it makes a contraction,
        // and a particle after a hyphen ("Goyang-si").
        let possessive = (t.gap_before == Gap::Apostrophe
            && !matches!(t.folded.as_str(), "t" | "ll" | "re" | "ve" | "d" | "m"))
            || (t.gap_before == Gap::Hyphen && is_name_particle(&t.folded));
        if t.capitalized && !generic_or_particle {
            any_named = true;
        } else if !t.capitalized && !generic_or_particle && !possessive {
            break;
        }
        // "Gulf Coast": capitalised generic words together name a feature too.
        if k > 0
            && ((direction && all_capitalized)
                || (any_named
                    && (span[0].capitalized || direction)
                    && (t.capitalized || generic || possessive))
                || (all_capitalized && generic && is_generic_word(&span[0].folded)))
        {
            named[k] = true;
            longest = k + 1;
        }
    }
    longest
}

/// The strongest candidate kind, to decide whether an ambiguous word stays.
fn is_major(gaz: &Gazetteer, entries: &[NameEntry]) -> bool {
    entries.iter().any(|e| {
        let p = gaz.place(e.place);
        let curated = p.source == crate::gazetteer::Source::Curated && p.rank <= 2;
        match p.kind {
            PlaceKind::Country | PlaceKind::Continent | PlaceKind::Capital => e.primary,
            PlaceKind::City => p.population >= 1_000_000 && e.primary,
            k => (k.is_water() || k == PlaceKind::Region) && (e.primary || curated),
        }
    })
}

/// The longest window of tokens the matcher tries at one position.
const MAX_WINDOW: usize = 8;

/// Finds candidate place names in `toks`, longest match first.
pub fn recognize(gaz: &Gazetteer, text: &str, toks: &[Token]) -> Vec<Recognized> {
    let max = gaz.max_name_tokens().min(MAX_WINDOW);
    // Names start at capitalised words (nearly all).
    let capitalized = toks.iter().filter(|t| t.capitalized).count();
    let mut out = Vec::with_capacity(capitalized);
    let mut i = 0;
    let mut key = String::new();
    let mut ends = [0usize; MAX_WINDOW];
    let mut hits = [None; MAX_WINDOW];
    let mut named = [false; MAX_WINDOW];
    // Where the name index stands after each first word tried: names repeat in a
    // story, and most of a walk is its first word.
    let mut after_first_word: FxHashMap<&str, Option<KeyPrefix>> =
        FxHashMap::with_capacity_and_hasher(capitalized, Default::default());
    while i < toks.len() {
        let direction_start =
            || is_direction(&toks[i].folded) && toks.get(i + 1).is_some_and(|t| t.capitalized);
        if (!toks[i].capitalized && !direction_start()) || after_title(toks, i) {
            i += 1;
            continue;
        }
        // Window of joinable tokens starting at i.
        let mut n = 1;
        while n < max && i + n < toks.len() && joinable(&toks[i + n]) {
            n += 1;
        }
        // The key of the longest span written like a name, and where each shorter one ends.
        let mut longest = name_shaped_lengths(&toks[i..i + n], &mut named[..n]);
        if !named[0] && generic_alone(gaz, toks, i, &toks[i].folded) {
            named[0] = true;
            longest = longest.max(1);
        }
        key.clear();
        hits.fill(None);
        let mut at = None;
        for (j, t) in toks[i..i + longest].iter().enumerate() {
            if j == 0 {
                at = *after_first_word
                    .entry(t.folded.as_str())
                    .or_insert_with(|| gaz.walk(gaz.key_root(), t.folded.as_bytes()));
            } else {
                key.push(' ');
                at = at.and_then(|p| gaz.walk(p, b" "));
                at = at.and_then(|p| gaz.walk(p, t.folded.as_bytes()));
            }
            key.push_str(&t.folded);
            ends[j] = key.len();
            hits[j] = at.and_then(|p| gaz.hit(p));
        }
        let mut found = None;
        for len in (1..=longest).rev() {
            if !named[len - 1] {
                continue;
            }
            if let Some(r) = accept(gaz, toks, i, len, &key[..ends[len - 1]], hits[len - 1]) {
                found = Some(r);
                break;
            }
        }
        match found {
            Some(r) => {
                i = r.end_token;
                out.push(r);
            }
            None => i += 1,
        }
    }
    let surnames = drop_first_names(gaz, toks, &mut out);
    drop_surnames(gaz, toks, &surnames, &mut out);
    add_state_abbreviations(gaz, text, toks, &mut out);
    out
}

/// Is token `i` inside one of the names `found` (in text order, without overlaps)?
fn in_name(found: &[Recognized], i: usize) -> bool {
    let k = found.partition_point(|r| r.first_token <= i);
    k > 0 && i < found[k - 1].end_token
}

/// "Severn, Md.", "Gainesville, Va.": two-letter abbreviations with a period after a
/// comma, where the gazetteer writes the division's name exactly so (AP style).
fn add_state_abbreviations(gaz: &Gazetteer, text: &str, toks: &[Token], out: &mut Vec<Recognized>) {
    let mut added = false;
    // The names found so far, in text order and without overlaps; the ones added here
    // come after and cover only their own token.
    let found = out.len();
    for (i, t) in toks.iter().enumerate() {
        if t.end - t.start != 2 || !t.capitalized || !t.comma_before || in_name(&out[..found], i) {
            continue;
        }
        if t.all_caps {
            if let Some(found) = postal_state(gaz, toks, i) {
                out.push(found);
                added = true;
            }
            continue;
        }
        if !text[t.byte_end..].starts_with('.') {
            continue;
        }
        let written = format!("{}.", &text[t.byte_start..t.byte_end]);
        let entries: SmallVec<_> = gaz
            .lookup_key(&t.folded)
            .into_iter()
            .filter(|e| {
                gaz.alt_names(gaz.place(e.place))
                    .iter()
                    .any(|a| *a == written)
            })
            .collect();
        if entries.is_empty() {
            continue;
        }
        out.push(Recognized {
            first_token: i,
            end_token: i + 1,
            key: t.folded.clone(),
            entries,
            mention_type: MentionType::Literal,
        });
        added = true;
    }
    if added {
        out.sort_by_key(|r| r.first_token);
    }
}

/// "HORRY COUNTY, SC", "Portland, OR": a US state's two-letter postal code after a
/// comma that follows a name.
fn postal_state(gaz: &Gazetteer, toks: &[Token], i: usize) -> Option<Recognized> {
    let t = &toks[i];
    let after_name = i.checked_sub(1).is_some_and(|p| toks[p].capitalized);
    if t.end - t.start != 2 || !t.all_caps || !t.comma_before || !after_name {
        return None;
    }
    let place = gaz.admin1("US", &t.folded.to_ascii_uppercase())?;
    Some(Recognized {
        first_token: i,
        end_token: i + 1,
        key: t.folded.clone(),
        entries: smallvec::smallvec![NameEntry {
            place,
            primary: false,
        }],
        mention_type: MentionType::Literal,
    })
}

/// "Bill Holland said ... Holland recalled": a one-word name written right after a
/// common first name (or at `known`, surnames found otherwise) is that person's
/// surname, there and wherever it stands alone in the document, unless a preposition
/// introduces it as a place ("in Holland").
fn drop_surnames(gaz: &Gazetteer, toks: &[Token], known: &[usize], out: &mut Vec<Recognized>) {
    let mut surnames: Vec<&str> = (1..toks.len())
        .filter(|&i| {
            let (f, t) = (&toks[i - 1], &toks[i]);
            t.capitalized
                && !t.all_caps
                && f.capitalized
                && !f.all_caps
                && t.gap_before == Gap::Space
                && gaz.is_first_name(&f.folded)
                && !in_name(out, i - 1)
        })
        .map(|i| toks[i].folded.as_str())
        .collect();
    surnames.extend(known.iter().map(|&i| toks[i].folded.as_str()));
    if surnames.is_empty() {
        return;
    }
    out.retain(|r| {
        let single = r.end_token - r.first_token == 1;
        let introduced = r.first_token > 0
            && PLACE_PREPOSITIONS.contains(&toks[r.first_token - 1].folded.as_str())
            && toks[r.first_token].gap_before == Gap::Space;
        !(single && !introduced && surnames.contains(&toks[r.first_token].folded.as_str()))
    });
}

/// Words that end the name of a street, a building or an organisation named after a
/// place ("Victoria St.", "Austin Police", "Sydney Morning Herald").
const NAME_HEADS: &[&str] = &[
    "saint",
    "street",
    "road",
    "avenue",
    "ave",
    "rd",
    "boulevard",
    "blvd",
    "lane",
    "drive",
    "square",
    "park",
    "bridge",
    "station",
    "airport",
    "port",
    "harbour",
    "harbor",
    "beach",
    "hall",
    "house",
    "tower",
    "hotel",
    "hospital",
    "stadium",
    "arena",
    "centre",
    "center",
    "school",
    "college",
    "university",
    "tech",
    "academy",
    "institute",
    "museum",
    "library",
    "police",
    "fire",
    "council",
    "court",
    "city",
    "state",
    "times",
    "post",
    "herald",
    "news",
    "morning",
    "evening",
    "daily",
    "tribune",
    "journal",
    "gazette",
    "star",
    "sun",
    "mail",
    "express",
    "chronicle",
    "observer",
    "telegraph",
    "globe",
    "press",
    "radio",
    "airways",
    "airlines",
    "bank",
    "club",
    "united",
    "rovers",
    "wanderers",
    "athletic",
    "zoo",
    "mall",
    "guard",
    "army",
    "navy",
    "government",
    "parliament",
    "assembly",
    "senate",
    "congress",
    "party",
    "league",
    "cup",
    "open",
    "marathon",
    "festival",
    "summit",
];

/// "Mary Magdalene", "Vladimir Putin ... Putin said": a one-word place name written
/// before a capitalised word that ends the name and heads no street's, building's or
/// organisation's name ("Sydney Morning Herald") is a person's first name when it is a
/// common first name, or when it names only towns and provinces and the second word
/// stands alone elsewhere in the story, as surnames do. Returns where those second
/// words are when the first is not a common first name.
fn drop_first_names(gaz: &Gazetteer, toks: &[Token], out: &mut Vec<Recognized>) -> Vec<usize> {
    let pairs: Vec<(usize, bool, bool)> = out
        .iter()
        .filter(|r| {
            r.end_token == r.first_token + 1
                && r.mention_type != MentionType::Demonym
                && !toks[r.first_token].all_caps
        })
        .filter_map(|r| {
            let i = r.first_token;
            let next = toks.get(i + 1)?;
            let ends_name = toks
                .get(i + 2)
                .is_none_or(|t| !t.capitalized || t.gap_before != Gap::Space);
            let surname_like = next.capitalized
                && !next.all_caps
                && next.gap_before == Gap::Space
                && ends_name
                && !never_alone(&next.folded)
                && !is_generic_word(&next.folded)
                && !is_admin_word(&next.folded)
                && !NAME_HEADS.contains(&next.folded.as_str());
            // "Austin Texas": a state or country after the name qualifies it. (`out` is
            // in text order.)
            let qualified = || {
                out.binary_search_by_key(&(i + 1), |q| q.first_token)
                    .is_ok_and(|k| {
                        out[k].entries.iter().any(|e| {
                            matches!(
                                gaz.place(e.place).kind,
                                PlaceKind::Admin1 | PlaceKind::Country
                            )
                        })
                    })
            };
            (surname_like && !qualified()).then(|| {
                let town = r.entries.iter().all(|e| {
                    let p = gaz.place(e.place);
                    match p.kind {
                        PlaceKind::City => p.population < 1_000_000,
                        PlaceKind::Admin1 | PlaceKind::Admin2 => true,
                        _ => false,
                    }
                });
                (i, gaz.is_first_name(&toks[i].folded), town)
            })
        })
        .collect();
    if pairs.is_empty() {
        return Vec::new();
    }
    // A word standing alone: capitalised, not right after another capitalised word
    // other than a title ("President Putin").
    let alone = |j: usize| {
        toks[j].capitalized
            && !toks[j].all_caps
            && (j == 0
                || toks[j].sentence_start
                || toks[j].gap_before != Gap::Space
                || !toks[j - 1].capitalized
                || is_title(&toks[j - 1].folded))
    };
    // How often each word stands alone, counted once for the document.
    let mut alone_count: FxHashMap<&str, usize> = FxHashMap::default();
    if pairs.iter().any(|&(_, first, town)| town && !first) {
        for j in (0..toks.len()).filter(|&j| alone(j)) {
            *alone_count.entry(toks[j].folded.as_str()).or_default() += 1;
        }
    }
    let mut persons = Vec::new();
    let mut surnames = Vec::new();
    for (i, first, town) in pairs {
        let word = toks[i + 1].folded.as_str();
        // Teams are plural ("Texas Rangers"); surnames that are, go unnoticed. The word
        // after the name counts itself when it stands alone there.
        let elsewhere = alone_count
            .get(word)
            .copied()
            .unwrap_or(0)
            .saturating_sub(usize::from(alone(i + 1)));
        let recurs = town && !word.ends_with('s') && elsewhere > 0;
        if first || recurs {
            persons.push(i);
            if !first {
                surnames.push(i + 1);
            }
        }
    }
    // `persons` is in text order, as `out` is.
    out.retain(|r| {
        !(r.end_token == r.first_token + 1 && persons.binary_search(&r.first_token).is_ok())
    });
    surnames
}

/// Prepositions and qualifiers that introduce a small place ("in Riverdale", "near Nenagh").
const PLACE_PREPOSITIONS: &[&str] = &[
    "in",
    "at",
    "near",
    "from",
    "to",
    "into",
    "outside",
    "inside",
    "around",
    "across",
    "through",
    "via",
    "toward",
    "towards",
    "off",
    "of",
    "between",
    "outskirts",
    "village",
    "town",
    "city",
    "township",
    "county",
    "district",
    "province",
    "region",
    "state",
    "municipality",
    "suburb",
    "port",
];

/// Days and months: capitalised in English, and never a place on their own.
fn is_calendar_word(folded: &str) -> bool {
    matches!(
        folded,
        "monday"
            | "tuesday"
            | "wednesday"
            | "thursday"
            | "friday"
            | "saturday"
            | "sunday"
            | "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
    )
}

/// Keeps only the candidates a lone word can stand for.
///
/// A single word is taken as a small place only with evidence: its main name (not
/// an alternate or a translation), not inside a longer proper name, not acting like
/// a person ("Johnson said"), and, below 15,000 people, introduced by a preposition
/// or followed by a qualifier ("Riverdale, New Jersey").
fn filter_single_word(
    gaz: &Gazetteer,
    toks: &[Token],
    i: usize,
    entries: &mut SmallVec<[NameEntry; 4]>,
    embedded: bool,
) {
    let person = gaz.is_person_name(&toks[i].folded);
    let prev = i
        .checked_sub(1)
        .map(|p| &toks[p])
        .filter(|_| toks[i].gap_before != Gap::Break);
    let introduced = prev.is_some_and(|p| PLACE_PREPOSITIONS.contains(&p.folded.as_str()));
    // "in Nelson is": prepositions of place, which do not take a person as "to" does.
    let located = prev.is_some_and(|p| matches!(p.folded.as_str(), "in" | "near" | "outside"));
    let qualified = toks
        .get(i + 1)
        .is_some_and(|n| n.capitalized && n.gap_before == Gap::Break && gap_has_comma(toks, i));
    let acts = toks
        .get(i + 1)
        .is_some_and(|n| n.gap_before == Gap::Space && ACTING_VERBS.contains(&n.folded.as_str()));
    let all_caps = toks[i].end - toks[i].start >= 3 && toks[i].all_caps;
    entries.retain(|e| {
        let p = gaz.place(e.place);
        // Very short alternates ("Sam" for Damascus) are transliteration noise, in
        // capitals too ("SOL" is not Seoul), unless the gazetteer writes them so ("NYC").
        let short_alt = !e.primary
            && toks[i].end - toks[i].start < 4
            && !(toks[i].all_caps && {
                let surface = toks[i].folded.to_ascii_uppercase();
                gaz.alt_names(p).iter().any(|a| *a == surface)
            });
        let strong = match p.kind {
            PlaceKind::Country | PlaceKind::Continent | PlaceKind::Admin1 => true,
            _ if short_alt => false,
            PlaceKind::Capital => e.primary || p.population >= 1_000_000,
            PlaceKind::City => p.population >= 100_000,
            // Alternate names of well-known curated entries are hand-written, not translations.
            k if k.is_water()
                || k.is_landform()
                || matches!(
                    k,
                    PlaceKind::Region | PlaceKind::Airport | PlaceKind::Building
                ) =>
            {
                e.primary || p.rank <= 2
            }
            _ => false,
        };
        // "Paul Ryan", "Bolton said", "in Victoria": a personal name is a place
        // (other than a country or a great capital) only when introduced as one.
        let famous = match p.kind {
            PlaceKind::Country | PlaceKind::Continent | PlaceKind::Capital => true,
            PlaceKind::City => e.primary && p.population >= 100_000,
            PlaceKind::Admin1 => e.primary && p.bbox.is_some_and(|b| b.diagonal_km() >= 200.0),
            _ => p.source == crate::gazetteer::Source::Curated && p.rank <= 2,
        };
        if person && !famous {
            return !embedded && ((!acts && (introduced || qualified)) || located);
        }
        if strong {
            return true;
        }
        if all_caps || !e.primary || embedded || (acts && !introduced) {
            return false;
        }
        if p.kind == PlaceKind::City && p.population < 15_000 {
            return introduced || qualified;
        }
        true
    });
}

/// Verbs after which a lone name is a person or an organisation, not a small place.
const ACTING_VERBS: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "wrote",
    "explained",
    "noted",
    "argued",
    "asked",
    "replied",
    "tweeted",
    "announced",
    "has",
    "had",
    "was",
    "is",
    "will",
    "would",
    "could",
    "did",
    "does",
];

fn gap_has_comma(toks: &[Token], i: usize) -> bool {
    toks.get(i + 1).is_some_and(|n| n.comma_before)
}

/// A name right after a title is a person's: "President Jordan", "Mr. Bolton".
fn after_title(toks: &[Token], i: usize) -> bool {
    i.checked_sub(1)
        .is_some_and(|p| toks[i].gap_before != Gap::Break && is_title(&toks[p].folded))
}

/// Decides whether the span of `len` tokens at `i`, whose index key is `key` (found
/// in the index as `hit`, if at all), is a place name, and as what.
fn accept(
    gaz: &Gazetteer,
    toks: &[Token],
    i: usize,
    len: usize,
    key: &str,
    hit: Option<KeyHit>,
) -> Option<Recognized> {
    let end = i + len;
    let single = len == 1;
    if key.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        return None;
    }
    if single && is_calendar_word(key) {
        return None;
    }
    let demonym = if len <= 3 { gaz.demonym_key(key) } else { None };
    let mut entries: SmallVec<[NameEntry; 4]> = hit.map(|h| gaz.entries(h)).unwrap_or_default();
    // "the western part of the Pacific Ocean" means the Western Pacific where the gazetteer has it.
    let part_key = direction_before(toks, i)
        .map(|dir| format_compact!("{dir} {key}"))
        .filter(|k| gaz.has_key(k));
    if let Some(k) = &part_key {
        entries = gaz
            .lookup_key(k)
            .into_iter()
            .map(|e| NameEntry {
                place: e.place,
                primary: true,
            })
            .collect();
    }
    let key = part_key.as_deref().unwrap_or(key);
    // Villages are candidates only: a name that only villages bear is not found in
    // running text (given spans and qualifiers still reach them).
    if entries
        .iter()
        .all(|e| gaz.place(e.place).source == crate::gazetteer::Source::GeoNamesSmall)
    {
        entries.clear();
    }
    if !entries.is_empty() {
        if single && key.len() < 3 {
            // Two-letter names only in capitals, and only where the gazetteer writes them
            // so ("US", "UK", "EU", "BC"), never as a town's name in other case.
            if !toks[i].all_caps {
                return None;
            }
            // "Airbus SA", "Nestlé SA": after a name, SA is a company's legal form.
            let after_name = i.checked_sub(1).is_some_and(|p| {
                toks[i].gap_before == Gap::Space && toks[p].capitalized && !toks[p].all_caps
            });
            if key == "sa" && after_name {
                return None;
            }
            let surface = key.to_ascii_uppercase();
            entries.retain(|e| {
                let p = gaz.place(e.place);
                p.kind == PlaceKind::Country || gaz.alt_names(p).iter().any(|a| *a == surface)
            });
            if entries.is_empty() {
                return None;
            }
        }
        let major = is_major(gaz, &entries);
        if (single && never_alone(key) && !major) || NOT_PLACES.contains(&key) {
            return None;
        }
        let embedded = is_embedded(toks, i, end);
        // An ordinary word ("Fleet", "Split") is a place only mid-sentence and on its own,
        // not capitalised by a sentence start or a longer name ("Pacific Fleet"), nor
        // after "the", where it names an institution ("the Centre", "the State").
        let after_the = i > 0 && toks[i - 1].folded == "the" && toks[i].gap_before == Gap::Space;
        // "Chamber of Commerce", "Johnson & Johnson": the end of an organisation's name.
        let after_name_of = i > 1
            && matches!(toks[i - 1].folded.as_str(), "of" | "&")
            && toks[i - 2].capitalized
            && !toks[i - 2].sentence_start;
        if single
            && gaz.is_common_word(key)
            && !major
            && (toks[i].sentence_start || embedded || after_the || after_name_of)
        {
            return None;
        }
        if single {
            filter_single_word(gaz, toks, i, &mut entries, embedded);
        }
        // "English", "Western": a demonym that is also a small town is read as the demonym.
        if demonym.is_some() && !is_major(gaz, &entries) {
            entries.clear();
        }
        // "New York state", "the state of Washington": the division, not its namesakes.
        // Lower case only: "Kent State", "Ohio State" are universities.
        let division =
            |t: &Token| !t.capitalized && matches!(t.folded.as_str(), "state" | "province");
        let names_division = toks
            .get(end)
            .is_some_and(|n| n.gap_before == Gap::Space && division(n))
            || (i >= 2 && toks[i - 1].folded == "of" && division(&toks[i - 2]));
        if names_division
            && entries
                .iter()
                .any(|e| gaz.place(e.place).kind == PlaceKind::Admin1)
        {
            entries.retain(|e| gaz.place(e.place).kind == PlaceKind::Admin1);
        }
        if !entries.is_empty() {
            let mention_type = if embedded {
                MentionType::Embedded
            } else {
                MentionType::Literal
            };
            return Some(Recognized {
                first_token: i,
                end_token: end,
                key: key.into(),
                entries,
                mention_type,
            });
        }
    }
    let d = demonym?;
    // A weak demonym ("English", "Atlantic") may name a language or a style; it names
    // the place before a word for a place, a body or a team ("the English city of",
    // "an Atlantic storm", "English Premier League").
    if d.strength == DemonymStrength::Weak
        && !toks.get(end).is_some_and(|n| {
            n.gap_before == Gap::Space
                && (PLACE_NOUNS.contains(&n.folded.as_str())
                    || (n.capitalized && !n.all_caps && !n.sentence_start))
        })
    {
        return None;
    }
    if d.strength == DemonymStrength::Prefix
        && !toks.get(end).is_some_and(|n| n.gap_before == Gap::Hyphen)
    {
        return None;
    }
    // "Mexicans", "Canadians": people, not the place; the singular names it.
    if key.ends_with('s') && gaz.demonym_key(&key[..key.len() - 1]).is_some() {
        return None;
    }
    Some(Recognized {
        first_token: i,
        end_token: end,
        key: key.into(),
        entries: smallvec![NameEntry {
            place: d.place,
            primary: true,
        }],
        mention_type: MentionType::Demonym,
    })
}

/// Nouns after which a weak demonym names a place ("English city", "Pacific coast").
const PLACE_NOUNS: &[&str] = &[
    "city",
    "cities",
    "town",
    "towns",
    "village",
    "villages",
    "county",
    "counties",
    "region",
    "coast",
    "coastline",
    "countryside",
    "port",
    "ports",
    "capital",
    "border",
    "island",
    "islands",
    "waters",
    "shore",
    "shores",
    "seaboard",
    "storm",
    "storms",
    "hurricane",
    "hurricanes",
    "government",
    "club",
    "clubs",
    "side",
    "team",
    "league",
    "football",
    "fleet",
    "navy",
    "nations",
    "countries",
    "allies",
    "powers",
];

/// A name followed by another capitalised word mid-sentence ("Toronto Police",
/// "Jordan Henderson") is part of a longer proper name.
fn is_embedded(toks: &[Token], start: usize, end: usize) -> bool {
    let next_cap = toks.get(end).is_some_and(|t| {
        t.capitalized
            && t.gap_before == Gap::Space
            && !is_name_particle(&t.folded)
            && !is_generic_word(&t.folded)
    });
    let prev_cap = start > 0
        && !toks[start].sentence_start
        && toks[start].gap_before == Gap::Space
        && toks[start - 1].capitalized
        && !toks[start - 1].sentence_start
        && !is_name_particle(&toks[start - 1].folded);
    next_cap || prev_cap
}

/// Looks up given character spans as names, trimming a leading "the" and a
/// possessive; a span that is a demonym names its country or region. A span the
/// gazetteer does not know as a whole ("Colorado State University", "Birmingham
/// City") falls back to the longest known name inside it.
pub fn recognize_spans(
    gaz: &Gazetteer,
    toks: &[Token],
    spans: &[(usize, usize)],
) -> Vec<Recognized> {
    let mut out = Vec::new();
    for &(start, end) in spans {
        let mut first = toks.partition_point(|t| t.end <= start);
        let mut last = toks.partition_point(|t| t.start < end);
        if first >= last {
            continue;
        }
        if last - first > 1 && toks[first].folded == "the" {
            first += 1;
        }
        if last - first > 1
            && toks[last - 1].folded == "s"
            && toks[last - 1].gap_before == Gap::Apostrophe
        {
            last -= 1;
        }
        let whole = lookup_span(gaz, toks, first, last)
            .or_else(|| (last - first == 1).then(|| postal_state(gaz, toks, first))?);
        // Longest, then leftmost, sub-span that names a place; a people-name inside
        // ("British Embassy Tokyo") only when no place name is there.
        let inner = |demonyms: bool| {
            (1..last - first).rev().find_map(|len| {
                (first..=last - len).find_map(|a| {
                    let key = key_of(toks, a, a + len);
                    // "Orange County": an ordinary word before an administrative word
                    // still names a place.
                    let admin_next = a + 1 < last && is_admin_word(&toks[a + 1].folded);
                    if len == 1
                        && (never_alone(&key)
                            || is_generic_word(&key)
                            || is_name_particle(&key)
                            || (gaz.is_common_word(&key) && !admin_next))
                    {
                        return None;
                    }
                    if !toks[a].capitalized {
                        return None;
                    }
                    lookup_span(gaz, toks, a, a + len)
                        .filter(|r| demonyms || r.mention_type != MentionType::Demonym)
                })
            })
        };
        let found = whole.or_else(|| inner(false)).or_else(|| inner(true));
        out.extend(found);
    }
    // The resolver reads names in text order, without overlaps; of overlapping given
    // spans, the first stands.
    out.sort_by_key(|r| (r.first_token, r.end_token));
    let mut end = 0;
    out.retain(|r| {
        let keep = r.first_token >= end;
        if keep {
            end = r.end_token;
        }
        keep
    });
    out
}

/// Words that make a division's name: "Orange County", "Ontario Province".
fn is_admin_word(w: &str) -> bool {
    matches!(
        w,
        "county"
            | "parish"
            | "province"
            | "district"
            | "state"
            | "region"
            | "city"
            | "town"
            | "township"
            | "borough"
            | "municipality"
            | "prefecture"
    )
}

fn key_of(toks: &[Token], a: usize, b: usize) -> CompactString {
    let mut key = CompactString::default();
    for (k, t) in toks[a..b].iter().enumerate() {
        if k > 0 {
            key.push(' ');
        }
        key.push_str(&t.folded);
    }
    key
}

fn lookup_span(gaz: &Gazetteer, toks: &[Token], first: usize, last: usize) -> Option<Recognized> {
    let key = key_of(toks, first, last);
    let entries = SmallVec::from_vec(gaz.lookup_key(&key));
    let demonym = gaz.demonym_key(&key);
    let (entries, mention_type) =
        if !entries.is_empty() && (demonym.is_none() || is_major(gaz, &entries)) {
            (entries, MentionType::Literal)
        } else if let Some(d) = demonym {
            (
                smallvec![NameEntry {
                    place: d.place,
                    primary: true,
                }],
                MentionType::Demonym,
            )
        } else {
            return None;
        };
    Some(Recognized {
        first_token: first,
        end_token: last,
        key,
        entries,
        mention_type,
    })
}
