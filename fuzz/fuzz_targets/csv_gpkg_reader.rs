//! `convert`'s CSV and GeoPackage readers on arbitrary bytes. The first byte
//! chooses: even bytes are a CSV (the rest split at the first NUL into the CSV
//! and its `.csvt`), odd bytes a GeoPackage file, and bytes divisible by 3
//! also go to the GeoPackage geometry-blob and WKT parsers directly.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("geoevents-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir.join("input.gpkg")
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    if choice % 3 == 0 {
        let _ = geoevents::export::gpkg::parse_blob(rest);
        if let Ok(s) = std::str::from_utf8(rest) {
            let _ = geoevents::export::csv::parse_wkt(s);
        }
    }
    if choice % 2 == 0 {
        let text = String::from_utf8_lossy(rest);
        let (csv, csvt) = match text.split_once('\0') {
            Some((a, b)) => (a, Some(b)),
            None => (&*text, None),
        };
        let _ = geoevents::export::csv::read_layer(csv, "fuzz", csvt);
        let _ = geoevents::export::csv::read_layer(csv, "events", csvt);
    } else {
        let path = scratch();
        std::fs::write(path, rest).expect("the scratch file is writable");
        let _ = geoevents::export::gpkg::read_file(path);
    }
});
