//! Finding place names in text (recognition) and choosing the place each one
//! means (resolution), with the reasons kept.

mod recognize;
mod resolve;
pub mod tokens;

use serde::Serialize;

pub use recognize::{recognize, Recognized};
pub use resolve::{is_unit_word, rank_name, resolve_document, Candidate, ScoreParts};

use crate::gazetteer::{Gazetteer, PlaceId};

/// How a place name is used in its sentence; decides whether it can be where an event happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionType {
    /// The place itself: "sailed through the Tsugaru Strait".
    Literal,
    /// The place standing for its government or people: "Moscow said".
    Metonymic,
    /// An adjective or people-name: "Russian diplomats".
    Demonym,
    /// Part of a longer proper name: "Toronto Police", "Air Zimbabwe".
    Embedded,
}

/// A place name found in a document and the place chosen for it.
#[derive(Clone, Debug)]
pub struct Mention {
    /// Span in Unicode characters, end exclusive.
    pub start: usize,
    pub end: usize,
    /// Token span, end exclusive (see `tokens::tokenize`).
    pub first_token: usize,
    pub end_token: usize,
    /// The text as written.
    pub text: String,
    pub mention_type: MentionType,
    /// A generic back-reference such as "the strait", resolved to the last one named.
    pub anaphor: bool,
    /// A given span the gazetteer does not know (a street, a building), placed at the
    /// story's place; only in resolution of given spans.
    pub by_context: bool,
    pub place: PlaceId,
    pub score: f64,
    pub why: ScoreParts,
    /// Other candidates, best first (the chosen one included), at most five.
    pub candidates: Vec<Candidate>,
}

/// Finds and resolves every place mention in `text`.
pub fn geoparse(gaz: &Gazetteer, text: &str) -> (Vec<tokens::Token>, Vec<Mention>) {
    let toks = tokens::tokenize(text);
    let found = recognize(gaz, text, &toks);
    let mentions = resolve_document(gaz, text, &toks, found);
    (toks, mentions)
}

/// Resolves given spans (character offsets) instead of finding names: resolution-only runs.
/// A span the gazetteer does not know is placed at the story's place (see
/// [`story_place`]) and flagged `by_context`; with no such place it gets no mention.
pub fn geoparse_spans(gaz: &Gazetteer, text: &str, spans: &[(usize, usize)]) -> Vec<Mention> {
    let toks = tokens::tokenize(text);
    let found = recognize::recognize_spans(gaz, &toks, spans);
    let mut mentions = resolve_document(gaz, text, &toks, found);
    let Some(place) = story_place(gaz, &mentions) else {
        return mentions;
    };
    let known: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    for &(start, end) in spans {
        if start >= end
            || end >= bytes.len()
            || known.iter().any(|&(s, e)| s < end && start < e)
        {
            continue;
        }
        let first_token = toks.partition_point(|t| t.end <= start);
        let end_token = toks.partition_point(|t| t.start < end).max(first_token);
        mentions.push(Mention {
            start,
            end,
            first_token,
            end_token,
            text: text[bytes[start]..bytes[end]].to_string(),
            mention_type: MentionType::Literal,
            anaphor: false,
            by_context: true,
            place,
            score: 0.0,
            why: ScoreParts::default(),
            candidates: Vec::new(),
        });
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    mentions
}

/// Where a story happens, for names no gazetteer holds: the first town, county or
/// landmark it names (a news story's dateline or lead), else its first province,
/// else its first country. Streets, schools and shops in a story are usually there.
pub fn story_place(gaz: &Gazetteer, mentions: &[Mention]) -> Option<PlaceId> {
    use crate::gazetteer::PlaceKind as K;
    let first_of = |ok: &dyn Fn(K) -> bool| {
        mentions
            .iter()
            .filter(|m| !m.by_context && ok(gaz.place(m.place).kind))
            .min_by_key(|m| m.start)
            .map(|m| m.place)
    };
    first_of(&|k| {
        k.is_settlement() || matches!(k, K::Admin2 | K::Building | K::Airport)
    })
    .or_else(|| first_of(&|k| k == K::Admin1))
    .or_else(|| first_of(&|k| k == K::Country))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans_of(text: &str, names: &[&str]) -> Vec<(usize, usize)> {
        names
            .iter()
            .map(|n| {
                let b = text.find(n).expect("name in text");
                let start = text[..b].chars().count();
                (start, start + n.chars().count())
            })
            .collect()
    }

    #[test]
    fn unknown_given_spans_are_placed_at_the_story_place() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Police in Portland, Oregon, closed Zxqvillia Avenue and the Blorptown Mall \
                    on Friday, officials in Texas said.";
        let spans = spans_of(text, &["Portland", "Oregon", "Zxqvillia Avenue", "Blorptown Mall", "Texas"]);
        let ms = geoparse_spans(&gaz, text, &spans);
        assert_eq!(ms.len(), 5);
        let portland = ms.iter().find(|m| m.text == "Portland").unwrap();
        assert!(!portland.by_context);
        for name in ["Zxqvillia Avenue", "Blorptown Mall"] {
            let m = ms.iter().find(|m| m.text == name).unwrap();
            assert!(m.by_context, "{name}");
            assert_eq!(m.place, portland.place, "{name} should sit at the first town named");
        }
        assert!(ms.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn unknown_given_spans_without_any_known_place_get_no_mention() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "The Blorptown Mall closed.";
        let ms = geoparse_spans(&gaz, text, &spans_of(text, &["Blorptown Mall"]));
        assert!(ms.is_empty());
    }
}
