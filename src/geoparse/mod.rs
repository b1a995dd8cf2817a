//! Finding place names in text (recognition) and choosing the place each one
//! means (resolution), with the reasons kept.

mod recognize;
mod resolve;
pub mod tokens;

use serde::Serialize;

pub use recognize::{recognize, Recognized};
pub use resolve::{is_unit_word, rank_name, resolve_document, Candidate, ScoreParts};

use crate::coords::LonLat;
use crate::gazetteer::{Gazetteer, PlaceId, PlaceKind};

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
    /// Where on the place this mention points, when not at the place's own point: the
    /// part of a vast feature (an ocean, a sea) nearest the other places of the story.
    pub at: Option<LonLat>,
    pub score: f64,
    pub why: ScoreParts,
    /// Other candidates, best first (the chosen one included), at most five.
    pub candidates: Vec<Candidate>,
}

impl Mention {
    /// The point the mention stands for: `at` where set, else the place's own point.
    pub fn point(&self, gaz: &Gazetteer) -> LonLat {
        self.at.unwrap_or_else(|| gaz.place(self.place).point)
    }
}

/// Finds and resolves every place mention in `text`.
pub fn geoparse(gaz: &Gazetteer, text: &str) -> (Vec<tokens::Token>, Vec<Mention>) {
    let toks = tokens::tokenize(text);
    let found = recognize(gaz, text, &toks);
    let mut mentions = resolve_document(gaz, text, &toks, found);
    // A small place that no namesake of lies in its qualifier: the event falls back to
    // the qualifier, named beside it.
    mentions.retain(|m| !m.by_context);
    (toks, mentions)
}

/// Resolves given spans (character offsets) instead of finding names: resolution-only runs.
///
/// A span the gazetteer does not know as a whole ("Royal Street", "Stonewall Golf
/// Club") is placed at the place that qualifies it ("Brands Hatch, Kent.", "the Palais
/// des Nations in Geneva") or else at the story's place (see [`story_place`]) and
/// flagged `by_context`, unless a name inside it ("British Embassy Tokyo") resolves near
/// the places the story names as whole names. A common word or a street known only as a
/// small town far from the story is placed the same way. With no story place, such
/// spans keep their inner name or get no mention.
pub fn geoparse_spans(gaz: &Gazetteer, text: &str, spans: &[(usize, usize)]) -> Vec<Mention> {
    let toks = tokens::tokenize(text);
    let given = recognize::recognize_spans(gaz, &toks, spans);
    let mut sorted: Vec<(usize, usize)> = spans.iter().copied().filter(|(s, e)| s < e).collect();
    sorted.sort_unstable();
    // The rest of the text is read too, as context: "Kent is a town in Putnam County, New
    // York" needs Putnam County and New York even when only "Kent" is given. Names found
    // outside every given span inform the resolution and are left out of the answer.
    let context: Vec<Recognized> = recognize(gaz, text, &toks)
        .into_iter()
        .filter(|r| {
            let (s, e) = (toks[r.first_token].start, toks[r.end_token - 1].end);
            span_at(&sorted, s, e).is_none()
                && !given
                    .iter()
                    .any(|g| g.first_token < r.end_token && r.first_token < g.end_token)
        })
        .collect();
    let mut context_at: Vec<(usize, usize)> = context
        .iter()
        .map(|r| (r.first_token, r.end_token))
        .collect();
    context_at.sort_unstable();
    let mut found = given;
    found.extend(context);
    found.sort_by_key(|r| (r.first_token, r.end_token));
    let mut mentions = resolve_document(gaz, text, &toks, found);
    let inner: Vec<bool> = mentions
        .iter()
        .map(|m| {
            span_at(&sorted, m.start, m.end).is_some_and(|(s, e)| {
                let (first, last) = core_tokens(&toks, s, e);
                (m.first_token, m.end_token) != (first, last)
            })
        })
        .collect();
    // A lone common word given as a place ("before Congress", "at Grand and State", "in
    // the Valley") that the gazetteer knows only as a small town, and a small town's name
    // before "streets" or "intersection" ("Bourbon and Dauphine streets"), name a local
    // feature or an institution; they count as the story's place unless near it.
    let local: Vec<bool> = mentions
        .iter()
        .zip(&inner)
        .map(|(m, inner)| {
            let p = gaz.place(m.place);
            let small_town =
                matches!(p.kind, PlaceKind::City | PlaceKind::Capital) && p.population < 100_000;
            let word = &toks[m.first_token];
            let one_word = m.end_token == m.first_token + 1;
            // "the CHU in Montpellier", "the OAS": short capitals mid-sentence are an
            // acronym, unless the gazetteer writes the name so.
            let acronym = one_word
                && word.all_caps
                && word.end - word.start <= 4
                && !word.sentence_start
                && p.kind.is_settlement()
                && !resolve::has_exact_name(gaz, m.place, &text[word.byte_start..word.byte_end]);
            !*inner
                && m.mention_type != MentionType::Demonym
                && (acronym
                    || (small_town
                        && ((one_word
                            && p.population < 50_000
                            && gaz.is_common_word(&word.folded))
                            || names_a_street(text, &toks, m.first_token, m.end_token))))
        })
        .collect();
    let whole: Vec<&Mention> = mentions
        .iter()
        .zip(inner.iter().zip(&local))
        .filter(|(_, (inner, local))| !**inner && !**local)
        .map(|(m, _)| m)
        .collect();
    let Some(place) = story_place(gaz, whole.iter().copied()) else {
        return mentions;
    };
    // An inner name far from every whole name is a namesake ("Stonewall" in a golf club
    // in Virginia is not Stonewall, Mississippi): the story's place is the better guess.
    let near_story = |m: &Mention| {
        let p = gaz.place(m.place).point;
        whole
            .iter()
            .any(|w| w.place == m.place || gaz.place(w.place).point.distance_km(p) < 200.0)
    };
    // A province of the story's country in an institution's name ("Colorado State
    // University" in a story from Virginia) is where the institution is.
    let story_country = gaz.place(place).country;
    let names_its_province = |m: &Mention| {
        let p = gaz.place(m.place);
        p.kind == PlaceKind::Admin1 && p.country.is_some() && p.country == story_country
    };
    // A continent's adjective or a country's name in an institution's name is where the
    // institution belongs ("European Commission", "Bank of Japan", "US Federal Reserve");
    // a country's adjective is not ("Russian Embassy" is wherever the story is), nor is a
    // continent's name ("Mall of Asia").
    let names_its_body = |m: &Mention| match gaz.place(m.place).kind {
        PlaceKind::Continent => m.mention_type == MentionType::Demonym,
        PlaceKind::Country => m.mention_type != MentionType::Demonym,
        _ => false,
    };
    // "Brands Hatch, Kent.": a span the gazetteer lacks, qualified by a place between a
    // comma and a punctuation mark, is in that place rather than in the story's.
    let qualifiers: Vec<(usize, PlaceId)> = mentions
        .iter()
        .filter(|m| {
            !m.by_context
                && m.first_token < toks.len()
                && toks[m.first_token].comma_before
                && toks
                    .get(m.end_token)
                    .is_none_or(|t| t.gap_before != tokens::Gap::Space)
                && m.mention_type != MentionType::Demonym
        })
        .map(|m| (m.first_token, m.place))
        .collect();
    // The qualifier may follow the rest of a longer name ("Brands Hatch Indy, Kent.").
    let place_at = |end_token: usize| {
        qualifiers
            .iter()
            .find(|&&(t, _)| {
                t >= end_token
                    && t <= end_token + 2
                    && toks[end_token..t]
                        .iter()
                        .all(|x| x.capitalized && x.gap_before == tokens::Gap::Space)
            })
            .map(|&(_, p)| p)
    };
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()))
        .collect();
    let replace: Vec<bool> = mentions
        .iter()
        .zip(inner.iter().zip(&local))
        .map(|(m, (inner, local))| {
            (*inner
                && !names_its_body(m)
                && (m.mention_type == MentionType::Demonym
                    || !(near_story(m) || names_its_province(m))))
                || (*local && !near_story(m))
        })
        .collect();
    for (m, replace) in mentions.iter_mut().zip(replace) {
        if !replace {
            continue;
        }
        let Some((start, end)) = span_at(&sorted, m.start, m.end) else {
            continue;
        };
        (m.first_token, m.end_token) = core_tokens(&toks, start, end);
        (m.start, m.end) = (start, end);
        m.text = text[bytes[start]..bytes[end.min(bytes.len() - 1)]].to_string();
        m.mention_type = MentionType::Literal;
        m.place = place_at(m.end_token).unwrap_or(place);
        m.at = None;
        m.by_context = true;
        m.score = 0.0;
        m.why = ScoreParts::default();
        m.candidates.clear();
    }
    let known: Vec<(usize, usize)> = mentions.iter().map(|m| (m.start, m.end)).collect();
    for &(start, end) in spans {
        if start >= end || end >= bytes.len() || known.iter().any(|&(s, e)| s < end && start < e) {
            continue;
        }
        let (first_token, end_token) = core_tokens(&toks, start, end);
        let place = place_at(end_token).unwrap_or(place);
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
            at: None,
            score: 0.0,
            why: ScoreParts::default(),
            candidates: Vec::new(),
        });
    }
    mentions.sort_by_key(|m| (m.start, m.end));
    apply_locatives(gaz, text, &toks, &sorted, &mut mentions);
    // Names inside one span that were widened to it leave one mention for the span.
    mentions.sort_by_key(|m| (m.start, m.end));
    mentions.dedup_by_key(|m| (m.start, m.end));
    mentions.retain(|m| {
        context_at
            .binary_search(&(m.first_token, m.end_token))
            .is_err()
    });
    mentions
}

/// "the Palais des Nations in Geneva", "the CHU in Montpellier", "a professor at the
/// University of California, Los Angeles": a given span placed by the story or by a
/// name inside it is where the place named right after it is (after "in" or "at", or
/// after a comma), unless the name inside it already lies within that place ("Bank of
/// Japan in Tokyo" is in Tokyo, "Tokyo Electric Power in Japan" in Tokyo).
fn apply_locatives(
    gaz: &Gazetteer,
    text: &str,
    toks: &[tokens::Token],
    sorted: &[(usize, usize)],
    mentions: &mut [Mention],
) {
    for i in (0..mentions.len()).rev() {
        let m = &mentions[i];
        let Some((start, end)) = span_at(sorted, m.start, m.end) else {
            continue;
        };
        let (first, last) = core_tokens(toks, start, end);
        let inner = (m.first_token, m.end_token) != (first, last);
        if !(m.by_context || inner) || m.mention_type == MentionType::Demonym {
            continue;
        }
        let Some(next) = toks.get(last) else { continue };
        let at = if next.comma_before {
            last
        } else if matches!(next.folded.as_str(), "in" | "at")
            && next.gap_before == tokens::Gap::Space
        {
            if toks
                .get(last + 1)
                .is_some_and(|t| t.folded == "the" && !t.capitalized)
            {
                last + 2
            } else {
                last + 1
            }
        } else {
            continue;
        };
        let j = mentions.partition_point(|q| q.first_token < at);
        let Some(q) = mentions.get(j).filter(|q| {
            q.first_token == at && q.mention_type != MentionType::Demonym && !q.anaphor
        }) else {
            continue;
        };
        // After a comma, only a name that ends its clause qualifies ("Brands Hatch, Kent.",
        // not "Beyond Madinaty, Liverpool have").
        if next.comma_before
            && toks
                .get(q.end_token)
                .is_some_and(|t| t.gap_before == tokens::Gap::Space)
        {
            continue;
        }
        let (qp, q_at) = (q.place, q.at);
        if qp == m.place || (!m.by_context && gaz.contains(qp, m.place)) {
            continue;
        }
        // A country after a comma is more often the next item of a list than a qualifier.
        if next.comma_before && !m.by_context && gaz.place(qp).kind == PlaceKind::Country {
            continue;
        }
        let m = &mut mentions[i];
        m.place = qp;
        m.at = q_at;
        if !m.by_context {
            let (from, to) = (toks[first].byte_start, toks[last - 1].byte_end);
            (m.first_token, m.end_token) = (first, last);
            (m.start, m.end) = (toks[first].start, toks[last - 1].end);
            m.text = text[from..to].to_string();
            m.mention_type = MentionType::Literal;
            m.by_context = true;
            m.score = 0.0;
            m.why = ScoreParts::default();
            m.candidates.clear();
        }
    }
}

/// The given span (of `sorted`, non-empty spans in order) that characters `start..end`
/// lie in; of nested ones, the last to open.
fn span_at(sorted: &[(usize, usize)], start: usize, end: usize) -> Option<(usize, usize)> {
    let opened = sorted.partition_point(|&(s, _)| s < end);
    sorted[..opened]
        .iter()
        .rev()
        .find(|&&(_, e)| e > start)
        .copied()
}

/// Does the name at tokens `first..end` name a street: "Bourbon and Dauphine streets",
/// "the Chartres/Franklin intersection", "the corner of State and Hubbard"?
fn names_a_street(text: &str, toks: &[tokens::Token], first: usize, end: usize) -> bool {
    let street_word = |w: &str| {
        matches!(
            w,
            "street"
                | "streets"
                | "avenue"
                | "avenues"
                | "road"
                | "roads"
                | "boulevard"
                | "boulevards"
                | "intersection"
        )
    };
    // Joined by spaces, "and", "&" or "/" to the street word, over at most two more names.
    let joined = |i: usize| {
        text.get(toks[i - 1].byte_end..toks[i].byte_start)
            .is_some_and(|gap| matches!(gap.trim(), "" | "/" | "&"))
    };
    let mut i = end;
    while i < toks.len() && i <= end + 3 && joined(i) {
        let t = &toks[i];
        if !t.capitalized && street_word(&t.folded) {
            return true;
        }
        if !(t.capitalized || t.folded == "and") {
            break;
        }
        i += 1;
    }
    first >= 2
        && toks[first - 1].folded == "of"
        && matches!(toks[first - 2].folded.as_str(), "corner" | "intersection")
}

/// The tokens of a character span, without a leading "the" or a trailing possessive,
/// as `recognize_spans` looks them up.
fn core_tokens(toks: &[tokens::Token], start: usize, end: usize) -> (usize, usize) {
    let mut first = toks.partition_point(|t| t.end <= start);
    let mut last = toks.partition_point(|t| t.start < end).max(first);
    if last - first > 1 && toks[first].folded == "the" {
        first += 1;
    }
    if last - first > 1
        && toks[last - 1].folded == "s"
        && toks[last - 1].gap_before == tokens::Gap::Apostrophe
    {
        last -= 1;
    }
    (first, last)
}

/// Where a story happens, for names no gazetteer holds: of the towns, counties and
/// landmarks it names (else its provinces, else its countries), the one nearest to
/// all the places it names, the first named on a tie. Streets, schools and shops in
/// a story are usually there.
pub fn story_place<'a>(
    gaz: &Gazetteer,
    mentions: impl Iterator<Item = &'a Mention> + Clone,
) -> Option<PlaceId> {
    use crate::gazetteer::PlaceKind as K;
    let points: Vec<_> = mentions.clone().map(|m| gaz.place(m.place).point).collect();
    let central = |ok: &dyn Fn(K) -> bool| {
        mentions
            .clone()
            .filter(|m| ok(gaz.place(m.place).kind))
            .map(|m| {
                let p = gaz.place(m.place).point;
                // Far places (a country named in passing) count as far, not farther.
                let spread: f64 = points.iter().map(|q| p.distance_km(*q).min(2000.0)).sum();
                (spread, m.start, m.place)
            })
            .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
            .map(|(_, _, place)| place)
    };
    central(&|k| k.is_settlement() || matches!(k, K::Admin2 | K::Building | K::Airport))
        .or_else(|| central(&|k| k == K::Admin1))
        .or_else(|| central(&|k| k == K::Country))
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

    /// The mention that overlaps the first occurrence of `name` in `text`.
    fn mention_at<'m>(ms: &'m [Mention], text: &str, name: &str) -> &'m Mention {
        let (start, end) = spans_of(text, &[name])[0];
        ms.iter()
            .find(|m| m.start < end && start < m.end)
            .unwrap_or_else(|| panic!("no mention at {name}"))
    }

    /// The names `geoparse` finds in `text`, in order.
    fn found_names(gaz: &Gazetteer, text: &str) -> Vec<String> {
        geoparse(gaz, text).1.into_iter().map(|m| m.text).collect()
    }

    /// The place `geoparse` gives the first mention of `name` in `text`.
    fn place_found<'g>(gaz: &'g Gazetteer, text: &str, name: &str) -> &'g crate::gazetteer::Place {
        let (_, ms) = geoparse(gaz, text);
        let m = ms.iter().find(|m| m.text == name).expect("name found");
        gaz.place(m.place)
    }

    #[test]
    fn unknown_given_spans_are_placed_at_the_story_place() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Police in Portland, Oregon, closed Zxqvillia Avenue and the Blorptown Mall \
                    on Friday, officials in Texas said.";
        let spans = spans_of(
            text,
            &[
                "Portland",
                "Oregon",
                "Zxqvillia Avenue",
                "Blorptown Mall",
                "Texas",
            ],
        );
        let ms = geoparse_spans(&gaz, text, &spans);
        assert_eq!(ms.len(), 5);
        let portland = ms.iter().find(|m| m.text == "Portland").unwrap();
        assert!(!portland.by_context);
        for name in ["Zxqvillia Avenue", "Blorptown Mall"] {
            let m = ms.iter().find(|m| m.text == name).unwrap();
            assert!(m.by_context, "{name}");
            assert_eq!(
                m.place, portland.place,
                "{name} should sit at the story's town"
            );
        }
        assert!(ms.windows(2).all(|w| w[0].start <= w[1].start));
    }

    #[test]
    fn an_unknown_span_qualified_by_a_place_is_in_that_place() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "The season opens in Leeds. 20 May: Blorpton Raceway, Kent. Beyond the \
                    Zxq Arena, Cornwall hosts the final.";
        let names = ["Leeds", "Blorpton Raceway", "Kent", "Zxq Arena", "Cornwall"];
        let ms = geoparse_spans(&gaz, text, &spans_of(text, &names));
        let at = |name: &str| ms.iter().find(|m| m.text == name).unwrap();
        assert!(at("Blorpton Raceway").by_context);
        assert_eq!(at("Blorpton Raceway").place, at("Kent").place);
        // Not a qualifier: a name that goes on into the sentence.
        assert_eq!(at("Zxq Arena").place, at("Leeds").place);
    }

    #[test]
    fn a_span_followed_by_in_or_at_a_place_is_in_that_place() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Delegates from Denver met at the Zxqor Palace in Geneva. Ann Lee, a \
                    professor at the University of Colorado, Boulder, said the Bank of Korea \
                    in Busan and Tokyo Electric Power in Japan agreed.";
        let names = [
            "Denver",
            "Zxqor Palace",
            "Geneva",
            "University of Colorado",
            "Boulder",
            "Bank of Korea",
            "Busan",
            "Tokyo Electric Power",
            "Japan",
        ];
        let ms = geoparse_spans(&gaz, text, &spans_of(text, &names));
        let at = |name: &str| mention_at(&ms, text, name);
        assert_eq!(at("Zxqor Palace").place, at("Geneva").place);
        assert_eq!(at("University of Colorado").place, at("Boulder").place);
        assert_eq!(at("Bank of Korea").place, at("Busan").place);
        // Already inside the place named after it.
        assert_eq!(gaz.place(at("Tokyo Electric Power").place).name, "Tokyo");
    }

    #[test]
    fn common_words_and_street_names_given_as_places_are_local() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Police in Chicago closed the corner of Wells and Hubbard streets near \
                    Grand, and fans from Reading were told to wait, Congress heard.";
        let names = [
            "Chicago", "Wells", "Hubbard", "Grand", "Reading", "Congress",
        ];
        let ms = geoparse_spans(&gaz, text, &spans_of(text, &names));
        let at = |name: &str| ms.iter().find(|m| m.text == name).unwrap();
        let chicago = at("Chicago").place;
        for name in ["Hubbard", "Grand", "Congress"] {
            assert!(at(name).by_context, "{name}");
            assert_eq!(at(name).place, chicago, "{name}");
        }
        // A big town keeps its name even when it is also a word.
        assert!(!at("Reading").by_context);
        assert_ne!(at("Reading").place, chicago);
    }

    #[test]
    fn a_province_named_by_its_abbreviation_is_meant_by_its_full_name() {
        let gaz = Gazetteer::embedded().unwrap();
        let kind_of = |text: &str| {
            let (_, ms) = geoparse(&gaz, text);
            let m = ms.iter().find(|m| m.text == "Washington").unwrap();
            gaz.place(m.place).kind
        };
        assert_eq!(
            kind_of("TACOMA, Wash. - Crews went to towns across Washington on Monday."),
            PlaceKind::Admin1
        );
        assert_eq!(
            kind_of("SEATTLE - The mayor of Seattle flew to Washington to meet lawmakers."),
            PlaceKind::Capital
        );
    }

    #[test]
    fn a_combining_form_names_its_country_only_before_a_hyphen() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Sino-US talks resumed after the Austro-Hungarian archive opened. \
                    Franco Harris and Italo Calvino were quoted.";
        let names = found_names(&gaz, text);
        for name in ["Sino", "US", "Austro", "Hungarian"] {
            assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
        }
        for name in ["Franco", "Italo"] {
            assert!(!names.iter().any(|n| n == name), "{name} in {names:?}");
        }
        assert_eq!(place_found(&gaz, text, "Sino").name, "China");
    }

    #[test]
    fn short_capitals_mid_sentence_are_an_acronym_not_a_town() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Doctors at the CHU in Montpellier said the NYC team and LYON fans agreed.";
        let names = ["CHU", "Montpellier", "NYC"];
        let ms = geoparse_spans(&gaz, text, &spans_of(text, &names));
        let at = |name: &str| ms.iter().find(|m| m.text == name).unwrap();
        assert!(at("CHU").by_context);
        assert_eq!(at("CHU").place, at("Montpellier").place);
        // Written so in the gazetteer: the city.
        assert!(!at("NYC").by_context);
        assert_eq!(gaz.place(at("NYC").place).name, "New York City");
    }

    #[test]
    fn a_town_qualified_by_a_region_lies_in_it() {
        let gaz = Gazetteer::embedded().unwrap();
        let (_, ms) = geoparse(&gaz, "He was born in Richmond, Yorkshire, and moved south.");
        let richmond = ms.iter().find(|m| m.text == "Richmond").unwrap();
        let p = gaz.place(richmond.place);
        assert_eq!(p.country, Some("GB"));
        assert!(p.point.lat > 53.3, "{:?}", p.point);
        // No Ashford lies in Yorkshire: the region itself is the place meant.
        let (_, ms) = geoparse(&gaz, "The fair moved to Ashford, Yorkshire, last year.");
        assert!(!ms.iter().any(|m| m.text == "Ashford"), "{ms:?}");
        assert!(ms.iter().any(|m| m.text == "Yorkshire"));
    }

    #[test]
    fn inner_names_stand_only_when_they_fit_the_story() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "In New Orleans, Oregon tourists at the Stonewall Golf Club and in the \
                    French Quarter met staff of the Tokyo Metropolitan Government.";
        let spans = spans_of(
            text,
            &[
                "New Orleans",
                "Stonewall Golf Club",
                "French Quarter",
                "Tokyo Metropolitan Government",
            ],
        );
        let ms = geoparse_spans(&gaz, text, &spans);
        let new_orleans = ms.iter().find(|m| m.text == "New Orleans").unwrap().place;
        for name in [
            "Stonewall Golf Club",
            "French Quarter",
            "Tokyo Metropolitan Government",
        ] {
            let m = mention_at(&ms, text, name);
            assert!(m.by_context, "{name}");
            assert_eq!(m.place, new_orleans, "{name}");
        }

        let text = "Officials in Tokyo said the British Embassy Tokyo was closed.";
        let ms = geoparse_spans(
            &gaz,
            text,
            &spans_of(text, &["Tokyo", "British Embassy Tokyo"]),
        );
        assert_eq!(ms.len(), 2);
        assert!(ms.iter().all(|m| !m.by_context && m.place == ms[0].place));

        // A province of the story's country names where its institution is; a foreign
        // one does not.
        let text = "In Richmond, Virginia, a Colorado State University team met staff of \
                    the Bavaria Tourist Office.";
        let names = [
            "Richmond",
            "Virginia",
            "Colorado State University",
            "Bavaria Tourist Office",
        ];
        let ms = geoparse_spans(&gaz, text, &spans_of(text, &names));
        let at = |name: &str| mention_at(&ms, text, name);
        let csu = gaz.place(at("Colorado State University").place);
        assert_eq!((csu.name, csu.kind), ("Colorado", PlaceKind::Admin1));
        assert!(at("Bavaria Tourist Office").by_context);
        assert_eq!(at("Bavaria Tourist Office").place, at("Richmond").place);

        // Continental bodies and a country's own institutions belong to it; an embassy
        // named by a country's adjective is where the story is.
        let text = "In Geneva, the European Commission, the Bank of Japan and the \
                    Russian Embassy met.";
        let names = [
            "Geneva",
            "European Commission",
            "Bank of Japan",
            "Russian Embassy",
        ];
        let ms = geoparse_spans(&gaz, text, &spans_of(text, &names));
        let at = |name: &str| mention_at(&ms, text, name);
        assert_eq!(gaz.place(at("European Commission").place).name, "Europe");
        assert_eq!(gaz.place(at("Bank of Japan").place).name, "Japan");
        assert!(at("Russian Embassy").by_context);
        assert_eq!(at("Russian Embassy").place, at("Geneva").place);
    }

    #[test]
    fn sa_is_south_africa_but_not_after_a_company_name() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Chiefs gained power in post-apartheid SA. Shares of Airbus SA fell.";
        let (_, ms) = geoparse(&gaz, text);
        let sa: Vec<_> = ms.iter().filter(|m| m.text == "SA").collect();
        assert_eq!(sa.len(), 1, "{ms:?}");
        assert_eq!(gaz.place(sa[0].place).name, "South Africa");
        assert!(sa[0].start < text.find("Airbus").unwrap());
    }

    #[test]
    fn a_postal_code_after_a_comma_is_a_us_state() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "HORRY COUNTY, SC (WMBF) - A man stood on a street in Garden City. \
                    The SC ruling came later.";
        let (_, ms) = geoparse(&gaz, text);
        let sc: Vec<_> = ms.iter().filter(|m| m.text == "SC").collect();
        assert_eq!(sc.len(), 1, "{ms:?}");
        assert_eq!(gaz.place(sc[0].place).name, "South Carolina");
        let garden = ms.iter().find(|m| m.text == "Garden City").unwrap();
        assert_eq!(gaz.place(garden.place).admin1, Some("SC"));
    }

    #[test]
    fn a_county_named_in_the_story_favours_its_towns() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Deputies in Horry County said a man was found in Garden City on Friday.";
        let (_, ms) = geoparse(&gaz, text);
        let garden = ms.iter().find(|m| m.text == "Garden City").unwrap();
        assert_eq!(gaz.place(garden.place).admin1, Some("SC"), "{garden:?}");
    }

    #[test]
    fn a_county_named_once_is_meant_by_its_short_name() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Police in Suffolk County, New York, found the remains. In Suffolk, \
                    neighbours gathered. Officials in Washington County said Washington \
                    had sent help.";
        let (_, ms) = geoparse(&gaz, text);
        let place = |name: &str| {
            let m = ms.iter().find(|m| m.text == name).unwrap();
            gaz.place(m.place)
        };
        assert_eq!(place("Suffolk").kind, PlaceKind::Admin2);
        assert_eq!(place("Suffolk").admin1, Some("NY"));
        assert_eq!(place("Washington").kind, PlaceKind::Capital);
    }

    #[test]
    fn ordinary_words_in_institutions_names_are_not_places() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "In its petition to the court in Delhi, the Centre said the scheme was \
                    late. The Chamber of Commerce blamed El Niño.";
        assert_eq!(found_names(&gaz, text), ["Delhi"]);
    }

    #[test]
    fn a_first_name_before_a_surname_is_a_person() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Jordan Henderson and Mary Magdalene flew to Sydney, the Sydney Morning \
                    Herald said. Talks with Jordan went on.";
        let (_, ms) = geoparse(&gaz, text);
        let names: Vec<&str> = ms.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(names, ["Sydney", "Sydney", "Jordan"]);
        assert_eq!(ms[2].start, text.rfind("Jordan").unwrap());

        // A state after the name qualifies it.
        assert_eq!(
            found_names(&gaz, "Protesters in Austin Texas marched."),
            ["Austin", "Texas"]
        );

        // Not a common first name, but the second word recurs alone, as surnames do;
        // a place before a word that does not recur stays a place.
        let text = "The call went to Vladimir Putin on Monday. Putin said no. Officials \
                    in Vladimir Oblast and in Vladimir Town agreed.";
        let (_, ms) = geoparse(&gaz, text);
        let names: Vec<&str> = ms.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(names, ["Vladimir Oblast", "Vladimir"], "{ms:?}");
    }

    #[test]
    fn a_small_town_after_a_preposition_is_a_place_before_any_verb() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Officials in Cirencester said the road to Dewsbury will close. \
                    Cirencester said nothing. An office in Nelson is good news, a letter \
                    to Nelson said.";
        let (_, ms) = geoparse(&gaz, text);
        let names: Vec<&str> = ms.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(names, ["Cirencester", "Dewsbury", "Nelson"], "{ms:?}");
    }

    #[test]
    fn a_weak_demonym_names_the_place_only_before_a_place_word() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "The English city of Salisbury was quiet. She spoke English with us.";
        let (_, ms) = geoparse(&gaz, text);
        let english: Vec<_> = ms.iter().filter(|m| m.text == "English").collect();
        assert_eq!(english.len(), 1, "{ms:?}");
        assert_eq!(english[0].start, 4);
        assert_eq!(gaz.place(english[0].place).name, "England");
    }

    #[test]
    fn overlapping_given_spans_are_resolved_without_a_panic() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Troops left Paris and Lyon, France, for Nantes.";
        let mut spans = spans_of(text, &["Paris", "Lyon", "France", "Nantes"]);
        spans.push((spans[0].0, spans[1].1));
        spans.push((spans[1].0 + 1, spans[2].1));
        spans.reverse();
        let ms = geoparse_spans(&gaz, text, &spans);
        let place = |name: &str| {
            let m = ms.iter().find(|m| m.text == name && !m.by_context).unwrap();
            gaz.place(m.place).name
        };
        assert_eq!(place("Nantes"), "Nantes", "{ms:?}");
        assert_eq!(place("France"), "France", "{ms:?}");
        assert!(ms.len() <= spans.len());
    }

    #[test]
    fn random_text_and_spans_never_panic() {
        let gaz = Gazetteer::embedded().unwrap();
        let pool = [
            "Paris",
            "SA",
            ", SC",
            "Jordan",
            "Henderson",
            "the",
            "Centre",
            "El Niño",
            "Mary",
            "Suffolk County",
            "Suffolk",
            "of",
            "&",
            "English",
            "city",
            "T&T",
            "St.",
            "Md.",
            "Vladimir",
            "Putin",
            "in",
            "said",
            "Bank of Japan",
            "and",
            "Limpopo",
            "North West",
            "Airbus",
            ".",
            ",",
            "\n",
            "’s",
            "—",
            "Zürich",
            "中文",
            "🙂",
            "\u{a0}",
            "A",
            "Strait",
        ];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        for _ in 0..400 {
            let words = next(40);
            let text: String = (0..words)
                .map(|_| pool[next(pool.len())])
                .collect::<Vec<_>>()
                .join(if next(4) == 0 { "" } else { " " });
            let _ = geoparse(&gaz, &text);
            let chars = text.chars().count();
            if chars < 2 {
                continue;
            }
            let spans: Vec<(usize, usize)> = (0..next(6))
                .map(|_| {
                    let a = next(chars - 1);
                    (a, a + 1 + next((chars - a).min(20)))
                })
                .collect();
            let _ = geoparse_spans(&gaz, &text, &spans);
        }
    }

    #[test]
    fn a_short_name_in_capitals_must_be_written_so() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Fans in NYC cheered as the SOL brand grew.";
        assert_eq!(found_names(&gaz, text), ["NYC"]);
    }

    #[test]
    fn a_name_with_state_or_province_is_the_division() {
        let gaz = Gazetteer::embedded().unwrap();
        let kind_of = |text: &str, name: &str| place_found(&gaz, text, name).kind;
        let new_york = "Schools in New York state closed on Monday.";
        assert_eq!(kind_of(new_york, "New York"), PlaceKind::Admin1);
        let state = "The state of Washington sued the company.";
        assert_eq!(kind_of(state, "Washington"), PlaceKind::Admin1);
        let capital = "Officials in Washington said so.";
        assert_eq!(kind_of(capital, "Washington"), PlaceKind::Capital);
    }

    #[test]
    fn a_dateline_dash_opens_a_sentence() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "LYON (AP) — Police in Paris said a car burned.";
        assert_eq!(found_names(&gaz, text), ["LYON", "Paris"]);
    }

    #[test]
    fn a_world_capital_is_not_displaced_by_a_small_namesake_in_focus() {
        let gaz = Gazetteer::embedded().unwrap();
        let country_of = |text: &str, name: &str| place_found(&gaz, text, name).country;
        let text = "Officials in Victoria, British Columbia, said the ferry was late. The \
                    singer was in London that week.";
        assert_eq!(country_of(text, "London"), Some("GB"));
        // Its own province named, the namesake stands.
        let text = "Commuters in Vienna, Virginia, waited. Vienna's council met.";
        assert_eq!(country_of(text, "Vienna"), Some("US"));
    }

    #[test]
    fn particles_generics_and_universities() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Aid reached Port-au-Prince. Refineries on the Gulf Coast shut. \
                    Students at Kent State in Ohio rallied. Flights from St. John's and \
                    N'Djamena landed in Japan's capital.";
        let (_, ms) = geoparse(&gaz, text);
        let found: Vec<(&str, &str)> = ms
            .iter()
            .map(|m| (m.text.as_str(), gaz.place(m.place).country.unwrap_or("-")))
            .collect();
        assert_eq!(
            found,
            [
                ("Port-au-Prince", "HT"),
                ("Gulf Coast", "US"),
                ("Kent", "US"),
                ("Ohio", "US"),
                ("St. John's", "AG"),
                ("N'Djamena", "TD"),
                ("Japan", "JP")
            ]
        );
    }

    fn place_of(
        gaz: &Gazetteer,
        text: &str,
        name: &str,
    ) -> (Option<&'static str>, Option<&'static str>) {
        let names = [
            "Columbus",
            "Ohio",
            "Dayton",
            "Louisville",
            "Peoria",
            "Illinois",
            "Springfield",
        ];
        let spans = spans_of(
            text,
            &names
                .into_iter()
                .filter(|n| text.contains(n))
                .collect::<Vec<_>>(),
        );
        let ms = geoparse_spans(gaz, text, &spans);
        let m = ms.iter().find(|m| m.text == name).expect("name found");
        let p = gaz.place(m.place);
        (p.country, p.admin1)
    }

    #[test]
    fn a_named_province_favours_its_towns_but_not_over_a_big_namesake_city() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "Fans in Columbus cheered as Ohio watched the team beat Louisville on Friday.";
        assert_eq!(place_of(&gaz, text, "Louisville"), (Some("US"), Some("KY")));
        let text = "Lawmakers in Peoria, Illinois, said the bill reached Springfield on Monday.";
        assert_eq!(
            place_of(&gaz, text, "Springfield"),
            (Some("US"), Some("IL"))
        );
    }

    #[test]
    fn a_name_after_a_first_name_is_a_surname_throughout_the_story() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "The reporter Bill Holland covered the trial. Holland recalled the verdict, \
                    which fans in Holland and Jordan followed.";
        let (_, ms) = geoparse(&gaz, text);
        let found: Vec<(&str, usize)> = ms.iter().map(|m| (m.text.as_str(), m.start)).collect();
        let at = |n: &str, from: usize| {
            text[from..]
                .find(n)
                .map(|b| text[..from + b].chars().count())
        };
        let place_holland = at("in Holland", 0).unwrap() + 3;
        assert_eq!(
            found,
            vec![
                ("Holland", place_holland),
                ("Jordan", at("Jordan", 0).unwrap())
            ]
        );
    }

    #[test]
    fn a_name_in_a_list_takes_the_kind_of_its_neighbours() {
        let gaz = Gazetteer::embedded().unwrap();
        let kind_of = |text: &str, name: &str| place_found(&gaz, text, name).kind;
        use crate::gazetteer::PlaceKind;
        let text =
            "Tech firms are leaving states such as California or Washington for cheaper ones.";
        assert_eq!(kind_of(text, "Washington"), PlaceKind::Admin1);
        let text = "The summit in Washington drew leaders from Canada and Mexico.";
        assert_eq!(kind_of(text, "Washington"), PlaceKind::Capital);
    }

    #[test]
    fn two_letter_state_abbreviations_qualify_towns() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "A man from Gainesville, Va., was arrested in Pittsburgh, Pa., on Monday.";
        let (_, ms) = geoparse(&gaz, text);
        let admin1 = |name: &str| {
            let m = ms.iter().find(|m| m.text == name).expect("name found");
            gaz.place(m.place).admin1
        };
        assert_eq!(admin1("Gainesville"), Some("VA"));
        assert_eq!(admin1("Pittsburgh"), Some("PA"));
        assert_eq!(
            ms.iter()
                .filter(|m| m.text == "Va" || m.text == "Pa")
                .count(),
            2
        );
        // Only after a comma: "Mo. Farah" at a sentence start is not Missouri.
        let (_, ms) = geoparse(&gaz, "He won. Mo. Farah ran in London.");
        assert!(ms.iter().all(|m| m.text != "Mo"));
    }

    #[test]
    fn unknown_given_spans_without_any_known_place_get_no_mention() {
        let gaz = Gazetteer::embedded().unwrap();
        let text = "The Blorptown Mall closed.";
        let ms = geoparse_spans(&gaz, text, &spans_of(text, &["Blorptown Mall"]));
        assert!(ms.is_empty());
    }
}
