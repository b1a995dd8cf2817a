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

/// Issue 14: `resolve` reads a name with qualifiers after commas as the namesake inside
/// them, and a qualifier that holds no namesake leaves the bare ranking.
#[test]
fn resolve_reads_qualifiers_after_commas() {
    for (name, lat, lon) in [
        ("Springfield, Illinois", 39.80, -89.64),
        ("Paris, Texas", 33.66, -95.56),
        ("Portland, Maine", 43.66, -70.26),
        ("Paris", 48.85, 2.35),
    ] {
        let out = geoevents(&["resolve", name, "--json"]);
        assert!(out.status.success(), "{name}: {}", common::stderr(&out));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        let first = &v.as_array().expect("an array")[0];
        let (flat, flon) = (
            first["lat"].as_f64().unwrap(),
            first["lon"].as_f64().unwrap(),
        );
        assert!(km(lat, lon, flat, flon) < 30.0, "{name}: {first}");
    }
}

/// Issue 14: a definition ties a place to the units it lies in, across a parenthesis,
/// and the name's later mentions follow; a small place missing from the gazetteer goes
/// to its qualifier. (Sentences written for the test in the shape of Wikipedia openings.)
#[test]
fn definitions_choose_the_namesake_inside_their_units() {
    use geoevents::gazetteer::Gazetteer;
    use geoevents::geoparse::geoparse_spans;
    let gaz = Gazetteer::embedded().unwrap();
    let spans_of = |text: &str, name: &str| -> Vec<(usize, usize)> {
        let chars: Vec<char> = text.chars().collect();
        let want: Vec<char> = name.chars().collect();
        (0..chars.len())
            .filter(|&i| chars[i..].starts_with(&want))
            .map(|i| (i, i + want.len()))
            .collect()
    };
    for (text, name, lat, lon, tol) in [
        (
            "Milford is a town in Otsego County, New York, United States. Milford has a post office.",
            "Milford",
            42.63,
            -75.03,
            60.0,
        ),
        (
            "Lancaster (named after the English town) is the county seat of Fairfield County, Ohio. Lancaster has a glass industry.",
            "Lancaster",
            39.71,
            -82.60,
            30.0,
        ),
        (
            "Portland is a city in Ionia County of the U.S. state of Michigan. Portland is on the Grand River.",
            "Portland",
            42.87,
            -84.90,
            60.0,
        ),
    ] {
        let spans = spans_of(text, name);
        assert_eq!(spans.len(), 2, "{text}");
        let mentions = geoparse_spans(&gaz, text, &spans);
        for &(s, e) in &spans {
            let m = mentions
                .iter()
                .find(|m| m.start == s && m.end == e)
                .unwrap_or_else(|| panic!("{name} at {s} has no mention in {text}"));
            let p = m.point(&gaz);
            assert!(
                km(lat, lon, p.lat, p.lon) < tol,
                "{name} at {s}: {} {:?}",
                gaz.place(m.place).name,
                p
            );
        }
    }
}
