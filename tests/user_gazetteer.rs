//! `--gazetteer PATH`: GeoNames-format dumps and our TSV add places; the index is
//! cached beside the file, reused, and rebuilt when the source changes (issue 3).

mod common;

use std::path::Path;

use common::{geoevents, stderr, stdout};

fn first(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", stderr(out));
    let v: serde_json::Value = serde_json::from_str(&stdout(out)).unwrap();
    v[0].clone()
}

fn copy_fixtures(dir: &Path) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/geonames");
    for f in ["JP.txt", "alternateNamesV2.txt"] {
        std::fs::copy(src.join(f), dir.join(f)).unwrap();
    }
}

#[test]
fn geonames_dump_is_indexed_once_and_reused() {
    let tmp = tempfile::tempdir().unwrap();
    copy_fixtures(tmp.path());
    let dump = tmp.path().join("JP.txt");
    let d = dump.to_str().unwrap();

    // A place only the dump has, found by an alternate name from the dump itself.
    let out = geoevents(&["resolve", "Cape Tappi", "--json", "--gazetteer", d]);
    let top = first(&out);
    assert_eq!(top["id"], "gn:90000001", "{top}");
    assert_eq!(top["kind"], "T.PEN");
    assert!(stderr(&out).contains("indexed"), "{}", stderr(&out));
    let cache = tmp.path().join("JP.txt.geoevents-index");
    let built = std::fs::metadata(&cache)
        .expect("cache written beside the dump")
        .modified()
        .unwrap();

    // English names from alternateNamesV2.txt; historic ones and links are not names.
    assert_eq!(
        first(&geoevents(&[
            "resolve",
            "Yomogita Village",
            "--json",
            "--gazetteer",
            d
        ]))["id"],
        "gn:90000002"
    );
    assert_eq!(
        first(&geoevents(&[
            "resolve",
            "Kodomari Village",
            "--json",
            "--gazetteer",
            d
        ]))["id"],
        "gn:90000004"
    );
    let historic = geoevents(&["resolve", "Old Kodomari Port", "--gazetteer", d]);
    assert!(!historic.status.success());

    // The second run reuses the cache: said so, and the file is not rewritten.
    let out = geoevents(&["resolve", "Cape Tappi", "--json", "--gazetteer", d]);
    assert_eq!(first(&out)["id"], "gn:90000001");
    assert!(
        stderr(&out).contains("using cached index"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        std::fs::metadata(&cache).unwrap().modified().unwrap(),
        built,
        "the cache was rebuilt"
    );

    // The embedded places are still there.
    assert_eq!(
        first(&geoevents(&[
            "resolve",
            "Moscow",
            "--json",
            "--gazetteer",
            d
        ]))["kind"],
        "P.PPLC"
    );

    // Features we do not carry (a lighthouse) are left out.
    assert!(
        !geoevents(&["resolve", "Shiriya-zaki Lighthouse", "--gazetteer", d])
            .status
            .success()
    );

    // A changed source rebuilds the cache.
    std::thread::sleep(std::time::Duration::from_millis(20));
    let mut text = std::fs::read_to_string(&dump).unwrap();
    text.push_str("90000009\tMinmaya\tMinmaya\t\t41.2\t140.4\tP\tPPL\tJP\t\t03\t\t\t\t1500\t0\t0\tAsia/Tokyo\t2024-01-01\n");
    std::fs::write(&dump, text).unwrap();
    let out = geoevents(&["resolve", "Minmaya", "--json", "--gazetteer", d]);
    assert_eq!(first(&out)["id"], "gn:90000009");
    assert!(stderr(&out).contains("indexed"), "{}", stderr(&out));
}

#[test]
fn our_tsv_format_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let tsv = tmp.path().join("places.tsv");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/user-places.tsv"),
        &tsv,
    )
    .unwrap();
    let top = first(&geoevents(&[
        "resolve",
        "Site Seven",
        "--json",
        "--gazetteer",
        tsv.to_str().unwrap(),
    ]));
    assert_eq!(top["id"], "user:camp-7");
    assert_eq!(top["country"], "AF");
}

#[test]
fn a_bad_gazetteer_file_is_one_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("broken.txt");
    std::fs::write(&bad, "this is not\ta gazetteer\n").unwrap();
    let out = geoevents(&["resolve", "Paris", "--gazetteer", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(
        err.contains("broken.txt") && err.contains("line 1"),
        "{err}"
    );

    let missing = tmp.path().join("nope.txt");
    let out = geoevents(&["resolve", "Paris", "--gazetteer", missing.to_str().unwrap()]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("nope.txt"));
}
