//! The user-gazetteer readers of `--gazetteer` on arbitrary bytes: the
//! geoevents TSV and the GeoNames dump (with and without an
//! `alternateNamesV2.txt` beside it), merged into a small base gazetteer and
//! cached, then the cache read back; and the cache reader on bytes given as a
//! cache. The first byte chooses.
//!
//! `Gazetteer::from_index` keeps its bytes for the process's life (it takes
//! `&'static [u8]`), so memory grows with the runs: `scripts/fuzz.sh` runs this
//! target in one-minute pieces.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use geoevents::gazetteer::{tables, Gazetteer};
use libfuzzer_sys::fuzz_target;

const DEMONYMS: &str = "demonym\ttarget\tkind\n";

struct Scratch {
    dir: PathBuf,
    base: Gazetteer,
}

fn scratch() -> &'static Scratch {
    static S: OnceLock<Scratch> = OnceLock::new();
    S.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("geoevents-fuzz-gaz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        // The cache's second home; keep it in the scratch folder too.
        std::env::set_var("XDG_CACHE_HOME", dir.join("cache"));
        let index: &'static [u8] = Box::leak(tables::build_index(&[]).into_boxed_slice());
        let base = Gazetteer::from_index("fuzz base", index, DEMONYMS, "").expect("an empty base");
        Scratch { dir, base }
    })
}

fn clear(dir: &std::path::Path) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).expect("a scratch folder");
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let s = scratch();
    let dir = s.dir.join("work");
    clear(&dir);
    match choice % 4 {
        // A cache file's bytes, as `Gazetteer::from_index` would be given them.
        0 => {
            let bytes: &'static [u8] = Box::leak(rest.to_vec().into_boxed_slice());
            if let Ok(g) = Gazetteer::from_index("fuzz cache", bytes, DEMONYMS, "") {
                for name in ["paris", "a", "new york", ""] {
                    let _ = g.lookup(name);
                }
                let _ = g.keys_with_prefix("", 50);
                let _ = geoevents::geoparse::geoparse(&g, "Troops moved from Paris to Berlin.");
            }
        }
        // A GeoNames dump with an alternate-names file beside it, split at the first NUL.
        1 => {
            let (main, alt) = match rest.iter().position(|&b| b == 0) {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, &[][..]),
            };
            let path = dir.join("XX.txt");
            std::fs::write(&path, main).expect("writable");
            std::fs::write(dir.join("alternateNamesV2.txt"), alt).expect("writable");
            load_twice(&path, &s.base);
        }
        // A geoevents TSV: the header is given, the rows are the input.
        2 => {
            let mut text = b"id\tname\tkind\tlat\tlon\tcountry\tadmin1_code\tpopulation\trank\talternate_names\twest\tsouth\teast\tnorth\n".to_vec();
            text.extend_from_slice(rest);
            let path = dir.join("mine.tsv");
            std::fs::write(&path, text).expect("writable");
            load_twice(&path, &s.base);
        }
        // Any file: the reader chooses its format by the first line.
        _ => {
            let path = dir.join("any.txt");
            std::fs::write(&path, rest).expect("writable");
            load_twice(&path, &s.base);
        }
    }
});

/// Loads a user gazetteer, then again (from the cache it wrote), and uses it.
fn load_twice(path: &std::path::Path, base: &Gazetteer) {
    for _ in 0..2 {
        if let Ok((g, _)) = geoevents::gazetteer::import::load_user_gazetteer(path, base, DEMONYMS, "")
        {
            let _ = g.keys_with_prefix("", 20);
            let _ = geoevents::geoparse::geoparse(&g, "Troops moved from Paris to Berlin.");
        }
    }
}
