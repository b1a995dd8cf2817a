//! Events: types, actors, dates, quantities, places and routes (issue 5).

mod common;

use std::path::Path;

use common::{geoevents, read_json, shared, stderr};

/// Runs `map` and returns the events and routes layers' features' properties.
fn map(input: &Path, date: &str) -> (Vec<serde_json::Value>, Vec<serde_json::Value>) {
    let dir = tempfile::tempdir().unwrap();
    let out = geoevents(&[
        "map",
        input.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--date",
        date,
        "--format",
        "geojson",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let props = |name: &str| -> Vec<serde_json::Value> {
        let p = dir.path().join(name);
        if !p.exists() {
            return Vec::new();
        }
        read_json(&p)["features"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["properties"].clone())
            .collect()
    };
    (props("events.geojson"), props("routes.geojson"))
}

fn actors(p: &serde_json::Value) -> Vec<&str> {
    p["actors"]
        .as_str()
        .unwrap_or("")
        .split(',')
        .filter(|s| !s.is_empty())
        .collect()
}

fn find<'a>(
    events: &'a [serde_json::Value],
    ty: &str,
    place: &str,
) -> Option<&'a serde_json::Value> {
    events
        .iter()
        .find(|p| p["event_type"] == ty && p["place_name"] == place)
}

#[test]
fn seed_article_events() {
    let Some(seed) = shared("seeds/tsugaru-patrol.txt") else {
        return;
    };
    let (events, routes) = map(&seed, "2021-10-23");

    // The joint patrol: concluded on Saturday 2021-10-23, Russia and China, 10 warships, at the strait.
    let patrol = events
        .iter()
        .find(|p| {
            p["event_type"] == "patrol" && p["date"] == "2021-10-23" && p["date_precision"] == "day"
        })
        .expect("a patrol dated Saturday 2021-10-23");
    assert_eq!(patrol["date_precision"], "day");
    assert!(
        actors(patrol).contains(&"RUS") && actors(patrol).contains(&"CHN"),
        "{patrol}"
    );
    assert!(
        patrol["quantity"]
            .as_str()
            .unwrap_or("")
            .contains("10 warships"),
        "{patrol}"
    );
    let area = [
        "Tsugaru Strait",
        "Western Pacific",
        "Sea of Japan",
        "Pacific Ocean",
    ];
    assert!(
        area.contains(&patrol["place_name"].as_str().unwrap()),
        "{patrol}"
    );

    // The transit of the strait: a route Sea of Japan -> Tsugaru Strait -> Pacific Ocean, on Tuesday.
    let transit = routes
        .iter()
        .find(|r| r["event_type"] == "transit")
        .expect("a transit route");
    assert_eq!(transit["origin"], "Sea of Japan");
    assert_eq!(transit["via"], "Tsugaru Strait");
    assert_eq!(transit["destination"], "Pacific Ocean");
    assert_eq!(
        transit["date"], "2021-10-19",
        "Tuesday before the article's date: {transit}"
    );

    // The earlier drills in the Sea of Japan, "earlier this month".
    let drills = find(&events, "exercise", "Sea of Japan").expect("drills in the Sea of Japan");
    assert_eq!(drills["date_precision"], "month");
    assert_eq!(drills["date"], "2021-10-01");

    // Shoygu's statement: Russia, on Saturday.
    assert!(
        events.iter().any(|p| p["event_type"] == "statement"
            && actors(p).contains(&"RUS")
            && p["date"] == "2021-10-23"),
        "no statement by Russia dated Saturday"
    );

    // The closure of the missions, in Moscow; the expulsion of eight Russian diplomats.
    assert!(
        find(&events, "mission_closure", "Moscow").is_some(),
        "no closure of missions in Moscow"
    );
    let expulsion = events
        .iter()
        .find(|p| p["event_type"] == "diplomatic_expulsion")
        .expect("an expulsion");
    assert!(
        expulsion["quantity"]
            .as_str()
            .unwrap_or("")
            .contains("eight Russian diplomats"),
        "{expulsion}"
    );

    // One event per report: the transit is reported twice and kept once, with both sentences.
    let transits: std::collections::BTreeSet<&str> = events
        .iter()
        .filter(|p| p["event_type"] == "transit")
        .map(|p| p["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(transits.len(), 1, "{transits:?}");
    let t = events
        .iter()
        .find(|p| p["event_type"] == "transit")
        .unwrap();
    assert!(
        t["also_in"].is_string(),
        "the second report is kept as evidence: {t}"
    );
}

fn article(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/articles")
        .join(name)
}

#[test]
fn a_strike_on_a_city() {
    let (events, _) = map(&article("strike-on-city.txt"), "2024-05-20");
    // A missile strike is ACLED's "Shelling/artillery/missile attack".
    let strike = find(&events, "shelling", "Kharkiv").expect("a missile attack at Kharkiv");
    assert_eq!(strike["acled_event_type"], "Explosions/Remote violence");
    assert!(actors(strike).contains(&"RUS"), "{strike}");
    assert_eq!(strike["geo_precision"], "town");
    assert_eq!(strike["date"], "2024-05-20");
}

#[test]
fn an_earthquake_off_a_coast() {
    let (events, _) = map(&article("earthquake-off-coast.txt"), "2024-06-12");
    let quake = events
        .iter()
        .find(|p| p["event_type"] == "earthquake")
        .expect("an earthquake");
    assert_eq!(quake["family"], "disaster");
    assert!(
        quake["place_name"].as_str().unwrap().starts_with("Hokkaid"),
        "{quake}"
    );
    assert_eq!(
        quake["date"], "2024-06-11",
        "the Tuesday before Wednesday 2024-06-12"
    );
}

#[test]
fn a_summit_in_a_capital() {
    let (events, _) = map(&article("summit-in-capital.txt"), "2023-05-20");
    let meeting = find(&events, "meeting", "Tokyo").expect("a meeting in Tokyo");
    assert!(actors(meeting).contains(&"G7"), "{meeting}");
    assert_eq!(meeting["date"], "2023-05-19");
}

#[test]
fn a_protest_in_a_province() {
    let (events, _) = map(&article("protest-in-province.txt"), "2024-03-18");
    let protest = find(&events, "protest", "Sichuan").expect("a protest in Sichuan");
    assert_eq!(protest["geo_precision"], "admin1");
    assert_eq!(protest["date"], "2024-03-17");
    assert!(
        actors(protest).is_empty(),
        "no state is named as acting: {protest}"
    );
    let ids: std::collections::BTreeSet<&str> = events
        .iter()
        .filter(|p| p["event_type"] == "protest")
        .map(|p| p["event_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        1,
        "the headline, the protest and the rally are one event: {ids:?}"
    );
}

/// "a village in Shigal district, Kunar province": the unknown village falls back to the
/// smallest known unit; "Novoselivka in the Donetsk region" is the one in that region.
#[test]
fn small_places_fall_back_to_their_known_units() {
    let (events, _) = map(&article("village-in-district.txt"), "2024-04-13");
    let strike = events
        .iter()
        .find(|p| p["event_type"] == "air_strike")
        .expect("the drone strike");
    assert_eq!(strike["acled_sub_event_type"], "Air/drone strike");
    assert_eq!(strike["place_name"], "Kunar", "{strike}");
    assert_eq!(strike["geo_precision"], "admin1");
    assert_eq!(strike["date"], "2024-04-12");
    assert!(
        strike["also_in"].is_string(),
        "the headline reports the same strike: {strike}"
    );
    let shelling = events
        .iter()
        .find(|p| p["trigger"] == "shelling")
        .expect("the shelling");
    assert_eq!(shelling["place_name"], "Novoselivka");
    assert_eq!(
        shelling["place_id"].as_str().map(|s| s.starts_with("gn:")),
        Some(true)
    );
    // Never a same-named place in another country, and the region is not a second place.
    assert_eq!(
        events.iter().filter(|p| p["trigger"] == "shelling").count(),
        1
    );
}

/// The layers carry the event properties of the design (ARCHITECTURE.md).
#[test]
fn events_and_routes_layers_carry_the_design_properties() {
    let (events, routes) = map(&article("../antimeridian-routes.txt"), "2024-07-17");
    for key in [
        "event_id",
        "doc_id",
        "event_type",
        "cameo",
        "actors",
        "date",
        "date_precision",
        "place_id",
        "place_role",
        "geo_precision",
        "confidence",
        "sentence",
        "char_start",
        "char_end",
    ] {
        assert!(
            events.iter().all(|p| p.get(key).is_some()),
            "events lack {key}"
        );
    }
    assert!(!routes.is_empty());
    for key in [
        "event_id",
        "doc_id",
        "event_type",
        "cameo",
        "actors",
        "date",
        "date_precision",
        "origin",
        "via",
        "destination",
        "geo_precision",
        "confidence",
        "sentence",
        "char_start",
        "char_end",
    ] {
        assert!(
            routes.iter().all(|p| p.get(key).is_some()),
            "routes lack {key}"
        );
    }
}

/// `map` also reads JSON Lines: one document a line, each dated by its own `date`.
#[test]
fn map_reads_json_lines_with_their_own_dates() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("news.jsonl");
    let docs = [
        serde_json::json!({"id": "quake", "date": "2024-06-12", "text": "A strong earthquake struck off the coast of Hokkaido on Tuesday."}),
        serde_json::json!({"id": "summit", "date": "2023-05-20", "text": "Leaders of the G7 met in Tokyo on Friday."}),
    ];
    std::fs::write(
        &corpus,
        docs.iter()
            .map(|d| d.to_string() + "\n")
            .collect::<String>(),
    )
    .unwrap();
    let (events, _) = map(&corpus, "2000-01-01");
    let quake = events
        .iter()
        .find(|p| p["doc_id"] == "quake")
        .expect("the quake");
    assert_eq!(quake["date"], "2024-06-11");
    let summit = events
        .iter()
        .find(|p| p["doc_id"] == "summit")
        .expect("the summit");
    assert_eq!(summit["date"], "2023-05-19");
    assert_eq!(summit["place_name"], "Tokyo");
}
