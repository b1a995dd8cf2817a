//! Name normalisation shared by the name index and the text matcher, so that a
//! name and its occurrence in text reduce to the same key.
//!
//! A key is the name's word tokens, folded to ASCII lower case and joined by
//! single spaces: "Côte d'Ivoire" → `cote d ivoire`, "U.S." → `u s`,
//! "St. Petersburg" → `saint petersburg`.

/// Folds one word token: ASCII transliteration, lower case, letters and digits only,
/// and common abbreviations expanded (`st` → `saint`, `mt` → `mount`).
pub fn fold_token(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    fold_token_into(token, &mut out);
    out
}

/// `fold_token` into a buffer the caller reuses (cleared first), to spare an allocation a token.
pub fn fold_token_into(token: &str, out: &mut String) {
    out.clear();
    if token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        out.push_str(token);
        out.make_ascii_lowercase();
    } else if token.is_ascii() {
        out.extend(
            token
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|b| char::from(b.to_ascii_lowercase())),
        );
    } else {
        for c in deunicode::deunicode(token).chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c.to_ascii_lowercase());
            }
        }
    }
    if let Some(expanded) = expanded_abbreviation(out) {
        out.clear();
        out.push_str(expanded);
    }
}

/// The folded form of a word that is a common abbreviation (`st` → `saint`,
/// `mt` → `mount`), in any case.
pub fn expanded_abbreviation(word: &str) -> Option<&'static str> {
    if !(2..=3).contains(&word.len()) {
        return None;
    }
    let w = word.as_bytes();
    let lower = |k: usize| w.get(k).map(u8::to_ascii_lowercase);
    match (lower(0)?, lower(1)?, lower(2)) {
        (b's', b't', None) => Some("saint"),
        (b's', b't', Some(b'e')) => Some("sainte"),
        (b'm', b't', None) => Some("mount"),
        (b'f', b't', None) => Some("fort"),
        _ => None,
    }
}

/// Splits `s` into word tokens (runs of alphanumeric characters).
pub fn word_tokens(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
}

/// The index key of a name: folded tokens joined by spaces, with a leading "the" dropped.
pub fn name_key(name: &str) -> String {
    let mut toks: Vec<String> = word_tokens(name)
        .map(fold_token)
        .filter(|t| !t.is_empty())
        .collect();
    if toks.len() > 1 && toks[0] == "the" {
        toks.remove(0);
    }
    toks.join(" ")
}

/// Generic words that name a kind of feature: "strait", "sea", "islands"...
/// In text they may be written in lower case ("the Tsugaru strait").
pub fn is_generic_word(folded: &str) -> bool {
    matches!(
        folded,
        "strait"
            | "straits"
            | "sea"
            | "ocean"
            | "gulf"
            | "bay"
            | "channel"
            | "canal"
            | "island"
            | "islands"
            | "isles"
            | "archipelago"
            | "peninsula"
            | "mountains"
            | "range"
            | "desert"
            | "river"
            | "lake"
            | "region"
            | "sound"
            | "passage"
            | "coast"
            | "plateau"
            | "basin"
            | "reef"
            | "shoal"
            | "heights"
            | "valley"
            | "province"
            | "prefecture"
            | "state"
            | "oblast"
            | "krai"
            | "county"
            | "district"
    )
}

/// Small words that may stay in lower case inside a multi-word name ("Sea of Japan").
pub fn is_name_particle(folded: &str) -> bool {
    matches!(
        folded,
        "of" | "the"
            | "and"
            | "de"
            | "del"
            | "della"
            | "di"
            | "da"
            | "do"
            | "dos"
            | "das"
            | "des"
            | "du"
            | "la"
            | "le"
            | "les"
            | "el"
            | "al"
            | "an"
            | "am"
            | "im"
            | "van"
            | "von"
            | "der"
            | "den"
            | "upon"
            | "on"
            | "sur"
            | "sous"
            | "es"
            | "los"
            | "las"
            | "ya"
            | "si"
            | "gun"
            | "gu"
            | "shi"
            | "au"
            | "aux"
            | "op"
            | "aan"
            | "bei"
            | "y"
            | "e"
            | "en"
            | "s"
            | "d"
            | "l"
    )
}

/// Variant keys for a water body's name, so that "Strait of Tsugaru" finds the
/// "Tsugaru Strait" and "Japan Sea" finds the "Sea of Japan".
pub fn generic_variants(key: &str) -> Vec<String> {
    const GENERICS: [&str; 6] = ["strait", "sea", "gulf", "bay", "channel", "straits"];
    let toks: Vec<&str> = key.split(' ').collect();
    let mut out = Vec::new();
    if toks.len() >= 2 {
        let last = toks[toks.len() - 1];
        if GENERICS.contains(&last) {
            out.push(format!("{last} of {}", toks[..toks.len() - 1].join(" ")));
        }
    }
    if toks.len() >= 3 && GENERICS.contains(&toks[0]) && toks[1] == "of" {
        out.push(format!("{} {}", toks[2..].join(" "), toks[0]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_case_accents_and_punctuation() {
        assert_eq!(name_key("Côte d'Ivoire"), "cote d ivoire");
        assert_eq!(name_key("U.S."), "u s");
        assert_eq!(name_key("St. Petersburg"), "saint petersburg");
        assert_eq!(name_key("Saint Petersburg"), "saint petersburg");
        assert_eq!(name_key("the Tsugaru strait"), "tsugaru strait");
        assert_eq!(name_key("Asia-Pacific"), "asia pacific");
        assert_eq!(name_key("São Paulo"), "sao paulo");
        assert_eq!(name_key("Zürich"), "zurich");
    }

    #[test]
    fn generic_variants_swap_the_generic() {
        assert_eq!(
            generic_variants("tsugaru strait"),
            vec!["strait of tsugaru"]
        );
        assert_eq!(generic_variants("sea of japan"), vec!["japan sea"]);
        assert!(generic_variants("hokkaido").is_empty());
    }
}
