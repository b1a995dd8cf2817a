//! Word tokens of a text with their character spans and what separates them.

use compact_str::CompactString;

use crate::gazetteer::normalize::{expanded_abbreviation, fold_token_into};

/// What stands between a token and the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// The first token of the text.
    Start,
    /// Only spaces (not a line break).
    Space,
    /// A hyphen, possibly with spaces: "Asia-Pacific", "US-led".
    Hyphen,
    /// An apostrophe: "Japan's", "d'Ivoire".
    Apostrophe,
    /// A period after an initial: "U.S.", "St. Petersburg".
    Abbreviation,
    /// Anything else: commas, quotes, sentence ends, line breaks.
    Break,
}

/// One word token.
#[derive(Clone, Debug)]
pub struct Token {
    /// Span in Unicode characters (code points), end exclusive.
    pub start: usize,
    pub end: usize,
    /// Span in bytes, for slicing the text.
    pub byte_start: usize,
    pub byte_end: usize,
    /// The folded form used for matching (see `normalize::fold_token`); short
    /// forms, nearly all of them, are stored inline without an allocation.
    pub folded: CompactString,
    /// Starts with an upper-case letter or a digit.
    pub capitalized: bool,
    /// Every letter is upper case ("NATO", "US").
    pub all_caps: bool,
    /// A comma stands between this token and the one before.
    pub comma_before: bool,
    pub gap_before: Gap,
    /// First word of a sentence (after `.`, `!`, `?`, a line break, or the text start).
    pub sentence_start: bool,
}

/// Words whose trailing period marks an abbreviation, not a sentence end.
const ABBREVIATIONS: &[&str] = &[
    "gen", "sept", "sep", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "oct", "nov", "dec",
    "mr", "mrs", "ms", "dr", "saint", "lt", "col", "sgt", "capt", "adm", "gov", "sen", "rep",
    "prof", "inc", "corp", "co", "ltd", "jr", "sr", "vs", "mount", "fort", "no", "approx", "dept",
    "univ", "brig", "maj", "cmdr",
];

/// ASCII letters and digits (`WORD`), with their case, for the tokenizer's fast path.
const WORD: u8 = 1;
const UPPER: u8 = 2;
const LOWER: u8 = 4;
const ASCII_CLASS: [u8; 128] = {
    let mut class = [0u8; 128];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        class[c] = if b.is_ascii_uppercase() {
            WORD | UPPER
        } else if b.is_ascii_lowercase() {
            WORD | LOWER
        } else if b.is_ascii_digit() {
            WORD
        } else {
            0
        };
        c += 1;
    }
    class
};

/// Splits `text` into tokens.
pub fn tokenize(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    // About one token for every six bytes of English.
    let mut tokens: Vec<Token> = Vec::with_capacity(text.len() / 6 + 1);
    let mut scratch = String::new();
    // A character's offset is its byte offset less the extra bytes of the
    // multi-byte characters before it.
    let (mut b, mut extra) = (0usize, 0usize);
    // The character at byte `b` (not ASCII), whether it belongs in a word, and its width.
    let alphanumeric_at = |b: usize| {
        text[b..]
            .chars()
            .next()
            .map_or((false, 1), |c| (c.is_alphanumeric(), c.len_utf8()))
    };
    loop {
        // The gap: everything up to the next alphanumeric character, and what it holds.
        let gap_start = b;
        let (mut newline, mut stop, mut comma) = (false, false, false);
        while let Some(&c) = bytes.get(b) {
            if c.is_ascii() {
                match c {
                    _ if ASCII_CLASS[c as usize] & WORD != 0 => break,
                    b'\n' => newline = true,
                    b'.' | b'!' | b'?' => stop = true,
                    b',' => comma = true,
                    _ => {}
                }
                b += 1;
            } else {
                let (alphanumeric, width) = alphanumeric_at(b);
                if alphanumeric {
                    break;
                }
                b += width;
                extra += width - 1;
            }
        }
        if b == bytes.len() {
            return tokens;
        }
        // The word: a run of alphanumeric characters; `seen` gathers the classes of its ASCII ones.
        let (start, byte_start) = (b - extra, b);
        let mut seen = 0;
        let mut ascii = true;
        while let Some(&c) = bytes.get(b) {
            if c.is_ascii() {
                let class = ASCII_CLASS[c as usize];
                if class & WORD == 0 {
                    break;
                }
                seen |= class;
                b += 1;
            } else {
                let (alphanumeric, width) = alphanumeric_at(b);
                if !alphanumeric {
                    break;
                }
                ascii = false;
                b += width;
                extra += width - 1;
            }
        }
        let first = tokens.is_empty();
        let gap = &text[gap_start..byte_start];
        let gap_before = classify_gap(gap, first, newline, || {
            tokens.last().is_some_and(|t| {
                (t.end - t.start <= 2 && t.capitalized)
                    || ABBREVIATIONS.contains(&t.folded.as_str())
            })
        });
        let word = &text[byte_start..b];
        let (folded, capitalized, all_caps) = if ascii {
            (
                fold_ascii_word(word, seen & UPPER != 0),
                bytes[byte_start].is_ascii_uppercase() || bytes[byte_start].is_ascii_digit(),
                seen & UPPER != 0 && seen & LOWER == 0,
            )
        } else {
            fold_token_into(word, &mut scratch);
            (
                CompactString::from(scratch.as_str()),
                word.chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c.is_numeric()),
                word.chars().any(|c| c.is_alphabetic()) && !word.chars().any(|c| c.is_lowercase()),
            )
        };
        tokens.push(Token {
            start,
            end: b - extra,
            byte_start,
            byte_end: b,
            folded,
            capitalized,
            all_caps,
            comma_before: comma,
            gap_before,
            sentence_start: first
                || newline
                || (stop && gap_before != Gap::Abbreviation)
                || opens_after_dash(gap),
        });
    }
}

/// `normalize::fold_token` of a word of ASCII letters and digits (`upper`: some
/// in upper case), without a scratch buffer: such a word only needs lower-casing
/// and its abbreviation expanded.
fn fold_ascii_word(word: &str, upper: bool) -> CompactString {
    if let Some(expanded) = expanded_abbreviation(word) {
        return CompactString::const_new(expanded);
    }
    let mut folded = CompactString::new(word);
    if upper {
        folded.make_ascii_lowercase();
    }
    folded
}

/// What the characters `gap` between two tokens are; `prev_is_initial` (the token
/// before is an initial or a known abbreviation) is asked only when a period decides.
fn classify_gap(
    gap: &str,
    first: bool,
    newline: bool,
    prev_is_initial: impl FnOnce() -> bool,
) -> Gap {
    if first {
        return Gap::Start;
    }
    if gap == " " {
        return Gap::Space;
    }
    if newline {
        return Gap::Break;
    }
    let trimmed = gap.trim_matches(|c: char| c == ' ' || c == '\u{a0}');
    if trimmed.is_empty() {
        Gap::Space
    } else if matches!(trimmed, "-" | "\u{2010}" | "\u{2011}") {
        Gap::Hyphen
    } else if matches!(trimmed, "'" | "\u{2019}") {
        Gap::Apostrophe
    } else if (trimmed == "." || trimmed == ".-") && prev_is_initial() {
        Gap::Abbreviation
    } else {
        Gap::Break
    }
}

/// "PARIS (AP) — Police said": a word after a spaced dash opens a clause, like a
/// sentence's first word, and may be capitalised for that alone.
fn opens_after_dash(gap: &str) -> bool {
    gap.len() >= 3 && [" - ", " — ", " – "].iter().any(|d| gap.contains(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_in_characters() {
        let t = tokenize("Köln’s port. U.S.-led Asia-Pacific");
        let words: Vec<_> = t.iter().map(|t| t.folded.as_str()).collect();
        assert_eq!(
            words,
            ["koln", "s", "port", "u", "s", "led", "asia", "pacific"]
        );
        assert_eq!((t[0].start, t[0].end), (0, 4));
        assert_eq!(t[1].gap_before, Gap::Apostrophe);
        assert!(t[3].sentence_start);
        assert_eq!(t[4].gap_before, Gap::Abbreviation);
        assert!(!t[4].sentence_start);
        assert_eq!(t[7].gap_before, Gap::Hyphen);
    }
}
