//! Recognition: gazetteer names matched over the token stream, longest first,
//! with the rules that tell a place name from a person, a common word or part
//! of an organisation's name.

use super::tokens::{Gap, Token};
use super::MentionType;
use crate::gazetteer::normalize::{is_generic_word, is_name_particle};
use crate::gazetteer::{DemonymStrength, Gazetteer, NameEntry, PlaceKind};

/// A name found in the text, before resolution.
#[derive(Clone, Debug)]
pub struct Recognized {
    pub first_token: usize,
    pub end_token: usize,
    /// The index key that matched.
    pub key: String,
    /// Candidate places; for a demonym, the one place it names.
    pub entries: Vec<NameEntry>,
    pub mention_type: MentionType,
}

/// Titles and honorifics: a name right after one is a person ("President Jordan ...").
const TITLES: &[&str] = &[
    "president", "minister", "mr", "mrs", "ms", "miss", "dr", "gen", "general", "king", "queen", "prince",
    "princess", "sen", "senator", "rep", "gov", "governor", "chancellor", "secretary", "spokesman",
    "spokeswoman", "spokesperson", "ambassador", "admiral", "adm", "colonel", "col", "captain", "capt", "pope",
    "sheikh", "lord", "lady", "sir", "judge", "justice", "coach", "sgt", "lt", "mayor", "premier", "emir",
    "sultan", "saint", "st", "archbishop", "bishop", "rev", "father", "brother", "sister", "uncle", "aunt",
];

/// Common English words that are also names of towns somewhere; alone, they are
/// taken as places only when the place is a country or a major physical feature.
const COMMON_WORDS: &[&str] = &[
    "a", "about", "after", "against", "aid", "air", "all", "also", "an", "and", "are", "as", "at", "bad", "bar",
    "bay", "be", "been", "best", "between", "big", "black", "boa", "bonus", "born", "both", "but", "by", "calls",
    "can", "cape", "car", "centre", "center", "chance", "city", "clinton", "come", "cost", "could", "court",
    "day", "deal", "did", "does", "done", "early", "east", "even", "every", "fair", "fall", "few", "first",
    "for", "forest", "free", "from", "gap", "general", "given", "good", "grace", "grand", "great", "green",
    "had", "has", "have", "he", "her", "hill", "his", "home", "hope", "how", "if", "in", "is", "island", "it",
    "its", "just", "king", "lake", "last", "late", "law", "le", "lead", "leader", "liberty", "like", "long",
    "made", "mango", "many", "march", "may", "media", "meet", "midway", "mobile", "more", "most", "much",
    "must", "my", "nice", "no", "none", "north", "not", "now", "of", "office", "on", "one", "or", "orange",
    "other", "our", "over", "paradise", "park", "peace", "people", "plain", "police", "port", "post", "power",
    "president", "progress", "reading", "read", "rich", "river", "said", "sale", "same", "say", "says",
    "second", "see", "she", "so", "some", "south", "split", "spring", "start", "state", "still", "such",
    "sun", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "time",
    "to", "today", "top", "union", "unity", "up", "us", "valley", "very", "victory", "was", "we", "well",
    "were", "west", "what", "when", "where", "which", "while", "white", "who", "why", "will", "with", "world",
    "would", "year", "yes", "you", "young", "your", "can", "independence", "progreso", "commerce", "industry",
    "university", "opportunity", "salt", "sandy", "stone", "kill", "bath", "bristol", "darwin", "eagle",
    "lincoln", "washington", "jackson", "hamilton", "wellington", "victoria", "florence", "marion",
    "columbia", "troy", "vernon", "camden", "franklin", "lafayette", "madison", "monroe", "jefferson",
    "cleveland", "warren", "wilson", "taylor", "carter", "ford", "morgan", "douglas", "lewis", "allen",
    "wood", "field", "worth", "temple", "gloria", "esperanza", "concord", "unity", "alliance", "defiance",
];

fn is_common_word(folded: &str) -> bool {
    COMMON_WORDS.contains(&folded)
}

/// May tokens `a` and `b` (adjacent) belong to one name?
fn joinable(b: &Token) -> bool {
    matches!(b.gap_before, Gap::Space | Gap::Hyphen | Gap::Abbreviation)
}

/// A match must be written like a name: every word that is not a particle or a
/// generic word ("strait") capitalised, and at least one such word.
fn looks_like_name(toks: &[Token]) -> bool {
    let mut named = false;
    for t in toks {
        let generic_or_particle = is_name_particle(&t.folded) || is_generic_word(&t.folded);
        if t.capitalized && !generic_or_particle {
            named = true;
        } else if !t.capitalized && !generic_or_particle {
            return false;
        }
    }
    named && toks[0].capitalized && toks.last().is_some_and(|t| t.capitalized || is_generic_word(&t.folded))
}

/// The strongest candidate kind, to decide whether an ambiguous word stays.
fn is_major(gaz: &Gazetteer, entries: &[NameEntry]) -> bool {
    entries.iter().any(|e| {
        let p = gaz.place(e.place);
        match p.kind {
            PlaceKind::Country | PlaceKind::Continent | PlaceKind::Capital => e.primary,
            PlaceKind::City => p.population >= 1_000_000 && e.primary,
            PlaceKind::Admin1 | PlaceKind::Region | PlaceKind::Ocean | PlaceKind::Sea => e.primary,
            k => k.is_water() && e.primary,
        }
    })
}

/// Finds candidate place names in `toks`, longest match first.
pub fn recognize(gaz: &Gazetteer, _text: &str, toks: &[Token]) -> Vec<Recognized> {
    let max = gaz.max_name_tokens().min(8);
    let mut out = Vec::new();
    let mut i = 0;
    let mut key = String::new();
    while i < toks.len() {
        if !toks[i].capitalized {
            i += 1;
            continue;
        }
        // Window of joinable tokens starting at i.
        let mut n = 1;
        while n < max && i + n < toks.len() && joinable(&toks[i + n]) {
            n += 1;
        }
        let mut found = None;
        for len in (1..=n).rev() {
            key.clear();
            for (j, t) in toks[i..i + len].iter().enumerate() {
                if j > 0 {
                    key.push(' ');
                }
                key.push_str(&t.folded);
            }
            let span = &toks[i..i + len];
            if !looks_like_name(span) {
                continue;
            }
            if let Some(r) = accept(gaz, toks, i, len, &key) {
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
    out
}

fn accept(gaz: &Gazetteer, toks: &[Token], i: usize, len: usize, key: &str) -> Option<Recognized> {
    let end = i + len;
    let entries = gaz.lookup_key(key);
    let single = len == 1;
    let prev = i.checked_sub(1).map(|p| &toks[p]);
    let after_title = prev.is_some_and(|p| TITLES.contains(&p.folded.as_str()) && toks[i].gap_before != Gap::Break);

    if !entries.is_empty() {
        if single && key.len() < 3 && !toks[i].folded.chars().all(|c| c.is_ascii_digit()) {
            // Two-letter names only when written in capitals ("US", "UK").
            let raw_upper = toks[i].capitalized && toks[i].end - toks[i].start == 2;
            if !raw_upper || !entries.iter().any(|e| gaz.place(e.place).kind == PlaceKind::Country) {
                return None;
            }
        }
        if key.chars().all(|c| c.is_ascii_digit() || c == ' ') {
            return None;
        }
        if after_title {
            return None;
        }
        if single && is_common_word(key) && !is_major(gaz, entries) {
            return None;
        }
        let mention_type = if is_embedded(toks, i, end) { MentionType::Embedded } else { MentionType::Literal };
        return Some(Recognized {
            first_token: i,
            end_token: end,
            key: key.to_string(),
            entries: entries.to_vec(),
            mention_type,
        });
    }
    if len <= 3 {
        if let Some(d) = gaz.demonym_key(key) {
            if d.strength == DemonymStrength::Weak {
                return None;
            }
            return Some(Recognized {
                first_token: i,
                end_token: end,
                key: key.to_string(),
                entries: vec![NameEntry { place: d.place, primary: true }],
                mention_type: MentionType::Demonym,
            });
        }
    }
    None
}

/// A name followed by another capitalised word mid-sentence ("Toronto Police",
/// "Jordan Henderson") is part of a longer proper name.
fn is_embedded(toks: &[Token], start: usize, end: usize) -> bool {
    let next_cap = toks.get(end).is_some_and(|t| {
        t.capitalized && t.gap_before == Gap::Space && !is_name_particle(&t.folded) && !is_generic_word(&t.folded)
    });
    let prev_cap = start > 0
        && !toks[start].sentence_start
        && toks[start].gap_before == Gap::Space
        && toks[start - 1].capitalized
        && !toks[start - 1].sentence_start
        && !is_name_particle(&toks[start - 1].folded);
    next_cap || prev_cap
}
