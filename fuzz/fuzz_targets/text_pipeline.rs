//! The text pipeline on arbitrary bytes: geoparse, then event extraction, as
//! `analyse` runs them. Checks that every mention lies inside the text.
#![no_main]

use std::sync::OnceLock;

use geoevents::gazetteer::Gazetteer;
use geoevents::input::Document;
use libfuzzer_sys::fuzz_target;

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::embedded().expect("the embedded gazetteer loads"))
}

fuzz_target!(|data: &[u8]| {
    let gaz = gazetteer();
    let text = String::from_utf8_lossy(data);
    let doc = Document::from_text("fuzz", &text, None);
    let (toks, mentions) = geoevents::geoparse::geoparse(gaz, &doc.text);
    let chars = doc.text.chars().count();
    for m in &mentions {
        assert!(
            m.start < m.end && m.end <= chars,
            "mention {}..{} outside a text of {chars} characters",
            m.start,
            m.end
        );
    }
    let _ = geoevents::events::extract_events(gaz, &doc, &toks, &mentions);
});
