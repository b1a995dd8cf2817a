//! Issue 15: `geoevents geocode` places the rows of a table by its place column,
//! with the state and country columns settling namesakes. The table
//! (tests/data/geocode/namesakes.csv, made by scripts/make_geocode_table.py)
//! carries each row's gold GeoNames id and coordinates.

mod common;

use common::{geoevents, km, stderr};

const TABLE: &str = "tests/data/geocode/namesakes.csv";

fn read_csv(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_reader(bytes);
    let headers = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (headers, rows)
}

#[test]
fn qualifier_columns_settle_namesakes() {
    let out = geoevents(&[
        "geocode",
        TABLE,
        "--place-column",
        "city",
        "--admin1-column",
        "state",
        "--country-column",
        "country",
    ]);
    // Two rows no place fits: listed, kept, and the run says so with exit code 3.
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let (headers, rows) = read_csv(&out.stdout);
    assert!(rows.len() >= 50, "{} rows", rows.len());
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h == n)
            .unwrap_or_else(|| panic!("no {n}"))
    };
    for added in [
        "lat",
        "lon",
        "place_id",
        "place_kind",
        "geo_precision",
        "match_score",
    ] {
        col(added);
    }
    let (lat, lon, gid, glat, glon, city) = (
        col("lat"),
        col("lon"),
        col("gold_geonameid"),
        col("gold_lat"),
        col("gold_lon"),
        col("city"),
    );
    let mut wrong = Vec::new();
    let mut unplaced = 0;
    for r in &rows {
        if r[gid].is_empty() {
            assert!(r[lat].is_empty() && r[lon].is_empty(), "{r:?} was placed");
            unplaced += 1;
            continue;
        }
        let d = if r[lat].is_empty() {
            f64::INFINITY
        } else {
            km(
                r[lat].parse().unwrap(),
                r[lon].parse().unwrap(),
                r[glat].parse().unwrap(),
                r[glon].parse().unwrap(),
            )
        };
        if d > 25.0 {
            wrong.push(format!(
                "{} ({}, {}): {d:.0} km off",
                r[city],
                r[col("state")],
                r[col("country")]
            ));
        }
    }
    assert_eq!(unplaced, 2);
    assert!(
        wrong.is_empty(),
        "{} rows misplaced:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    let err = stderr(&out);
    assert!(err.contains("cannot place `Atlantis`"), "{err}");
    assert!(err.contains("line 77"), "{err}");

    // Without the qualifiers, the namesakes collapse onto one place each: the test can fail.
    let bare = geoevents(&["geocode", TABLE, "--place-column", "city"]);
    let (_, bare_rows) = read_csv(&bare.stdout);
    let same_place = bare_rows
        .iter()
        .zip(&rows)
        .filter(|(b, q)| !q[gid].is_empty() && b[lat] == q[lat])
        .count();
    assert!(
        same_place < rows.len() - 20,
        "qualifiers changed nothing ({same_place} rows)"
    );
}

#[test]
fn geocode_writes_the_table_and_layers_to_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let o = tmp.path().join("placed");
    let out = geoevents(&[
        "geocode",
        TABLE,
        "--place-column",
        "city",
        "--admin1-column",
        "state",
        "--country-column",
        "country",
        "--date-column",
        "event_date",
        "--text-column",
        "note",
        "-o",
        o.to_str().unwrap(),
        "--format",
        "geojson,gpkg",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let (_, rows) = read_csv(&std::fs::read(o.join("geocoded.csv")).unwrap());
    assert_eq!(rows.len(), 77);
    let layer = common::read_json(&o.join("geocoded.geojson"));
    let feats = layer["features"].as_array().unwrap();
    assert_eq!(feats.len(), 75);
    let first = &feats[0];
    assert_eq!(first["properties"]["city"], "Springfield");
    assert_eq!(first["properties"]["event_date"], "2024-03-01");
    assert_eq!(first["properties"]["place_id"], "gn:4250542");
    let events = common::read_json(&o.join("events.geojson"));
    assert!(!events["features"].as_array().unwrap().is_empty());
    assert!(o.join("geoevents.gpkg").exists());
}

#[test]
fn a_missing_column_is_named() {
    let out = geoevents(&["geocode", TABLE, "--place-column", "town"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("`town`") && err.contains("`city`"), "{err}");
    assert_eq!(err.trim().lines().count(), 1, "{err}");
}
