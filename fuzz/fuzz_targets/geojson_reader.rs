//! The GeoJSON readers: `render`'s (`render::layers::read_files`) and
//! `convert`'s (`export::geojson::read_layer`), on arbitrary bytes. A layer
//! that reads is written back and must read again.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static PathBuf {
    static P: OnceLock<PathBuf> = OnceLock::new();
    P.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("geoevents-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a scratch folder");
        dir.join("input.geojson")
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    std::fs::write(path, data).expect("the scratch file is writable");
    let _ = geoevents::render::layers::read_files(std::slice::from_ref(path));
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(layer) = geoevents::export::geojson::read_layer(text, "fuzz") {
        if layer.validate().is_ok() {
            let mut buf = Vec::new();
            geoevents::export::geojson::write_layer(&layer, &mut buf).expect("writes to memory");
            let again = std::str::from_utf8(&buf).expect("GeoJSON written is UTF-8");
            geoevents::export::geojson::read_layer(again, "fuzz")
                .expect("a layer written reads back");
        }
    }
});
