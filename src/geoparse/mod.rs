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
/// Spans whose text the gazetteer does not know get no mention.
pub fn geoparse_spans(gaz: &Gazetteer, text: &str, spans: &[(usize, usize)]) -> Vec<Mention> {
    let toks = tokens::tokenize(text);
    let found = recognize::recognize_spans(gaz, &toks, spans);
    resolve_document(gaz, text, &toks, found)
}
