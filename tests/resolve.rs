//! `geoevents resolve`: the right place first for names news uses (issue 2).

mod common;

use common::{geoevents, km, stdout};

/// (name, lat, lon, tolerance km, GeoNames kind codes that are right)
const CASES: &[(&str, f64, f64, f64, &[&str])] = &[
    ("Tsugaru Strait", 41.5, 140.5, 30.0, &["H.STRT"]),
    ("Sea of Japan", 40.5, 135.0, 400.0, &["H.SEA"]),
    ("Hokkaido", 43.4, 142.8, 100.0, &["A.ADM1", "T.ISL"]),
    ("Pacific Ocean", 0.0, -160.0, 3000.0, &["H.OCN"]),
    ("Moscow", 55.75, 37.62, 20.0, &["P.PPLC"]),
    ("Beijing", 39.9, 116.4, 20.0, &["P.PPLC"]),
];

#[test]
fn resolve_puts_the_right_place_first() {
    for (name, lat, lon, tol, kind) in CASES {
        let out = geoevents(&["resolve", name, "--json"]);
        assert!(out.status.success(), "{name}: {}", common::stderr(&out));
        let v: serde_json::Value =
            serde_json::from_str(&stdout(&out)).expect("resolve --json prints JSON");
        let first = &v.as_array().expect("an array")[0];
        for key in [
            "id",
            "name",
            "kind",
            "lat",
            "lon",
            "country",
            "admin1",
            "population",
            "score",
        ] {
            assert!(
                first.get(key).is_some(),
                "{name}: key {key} missing in {first}"
            );
        }
        let d = km(
            *lat,
            *lon,
            first["lat"].as_f64().unwrap(),
            first["lon"].as_f64().unwrap(),
        );
        assert!(
            d <= *tol,
            "{name}: first candidate {first} is {d:.0} km from the expected point"
        );
        assert!(
            kind.contains(&first["kind"].as_str().unwrap_or("")),
            "{name}: {first}"
        );
    }
}

#[test]
fn resolve_prints_a_table_and_accepts_variants() {
    let out = geoevents(&["resolve", "the Strait of Tsugaru"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let first_row = text.lines().nth(1).expect("a candidate row");
    assert!(
        first_row.starts_with("Tsugaru Strait") && first_row.contains("H.STRT"),
        "{text}"
    );
}

#[test]
fn unknown_name_is_an_error() {
    let out = geoevents(&["resolve", "Qqqzzzxx Nowhere"]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert!(err.contains("Qqqzzzxx Nowhere"), "{err}");
}
