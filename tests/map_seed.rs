//! `geoevents map` on the seed article: places found, events at the right places,
//! and layers that GDAL reads (issue 2).

mod common;

use std::path::Path;
use std::process::Command;

use common::{geoevents, have_tool, read_json, shared};

fn run_map(input: &Path, dir: &Path) {
    let out = geoevents(&[
        "map",
        input.to_str().unwrap(),
        "-o",
        dir.to_str().unwrap(),
        "--date",
        "2021-10-26",
    ]);
    assert!(out.status.success(), "map failed: {}", common::stderr(&out));
}

#[test]
fn seed_article_places_and_events() {
    let Some(seed) = shared("seeds/tsugaru-patrol.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    run_map(&seed, dir.path());

    let places = read_json(&dir.path().join("places.geojson"));
    let names: Vec<String> = places["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap().to_string())
        .collect();
    let folded: Vec<String> = names.iter().map(|n| n.replace('ō', "o")).collect();
    for want in [
        "Tsugaru Strait",
        "Sea of Japan",
        "Pacific Ocean",
        "Hokkaido",
        "Japan",
        "Russia",
        "China",
        "Moscow",
        "Beijing",
        "Germany",
    ] {
        assert!(
            folded.iter().any(|n| n == want),
            "{want} not among places {names:?}"
        );
    }

    let events = read_json(&dir.path().join("events.geojson"));
    let features = events["features"].as_array().unwrap();
    let mut seen_patrol = false;
    let mut seen_transit = false;
    for f in features {
        let p = &f["properties"];
        let ty = p["event_type"].as_str().unwrap();
        if ty != "patrol" && ty != "transit" {
            continue;
        }
        let kind = p["place_kind"].as_str().unwrap();
        assert!(!kind.starts_with("P."), "a {ty} was put at a city: {p}");
        if kind.starts_with("H.") {
            let name = p["place_name"].as_str().unwrap();
            assert!(
                [
                    "Tsugaru Strait",
                    "Sea of Japan",
                    "Pacific Ocean",
                    "Western Pacific"
                ]
                .contains(&name),
                "{ty} at unexpected water {name}"
            );
        }
        seen_patrol |= ty == "patrol" && p["place_name"] == "Tsugaru Strait";
        seen_transit |= ty == "transit" && p["place_name"] == "Tsugaru Strait";
    }
    assert!(seen_patrol, "no patrol at the Tsugaru Strait");
    assert!(seen_transit, "no transit through the Tsugaru Strait");

    // Every event feature carries the documented properties.
    for key in [
        "event_id",
        "doc_id",
        "event_type",
        "actors",
        "date",
        "date_precision",
        "place_id",
        "place_name",
        "place_kind",
        "geo_precision",
        "confidence",
        "sentence",
        "char_start",
        "char_end",
    ] {
        assert!(
            features.iter().all(|f| f["properties"].get(key).is_some()),
            "property {key} missing"
        );
    }
    // Spans point at the sentence in the input (character offsets).
    let text = std::fs::read_to_string(&seed).unwrap();
    let chars: Vec<char> = text.chars().collect();
    for f in features {
        let p = &f["properties"];
        let (s, e) = (
            p["char_start"].as_u64().unwrap() as usize,
            p["char_end"].as_u64().unwrap() as usize,
        );
        let span: String = chars[s..e].iter().collect();
        assert_eq!(span, p["sentence"].as_str().unwrap());
    }

    let png = std::fs::read(dir.path().join("map.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
}

/// `ogrinfo -ro -al -so` reads each layer with nothing on stderr, WGS 84, and the right count.
#[test]
fn gdal_reads_the_layers() {
    let Some(seed) = shared("seeds/tsugaru-patrol.txt") else {
        return;
    };
    if !have_tool("ogrinfo") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    run_map(&seed, dir.path());
    for layer in ["events.geojson", "places.geojson"] {
        let path = dir.path().join(layer);
        let n = read_json(&path)["features"].as_array().unwrap().len();
        assert!(n > 0, "{layer} is empty");
        let out = Command::new("ogrinfo")
            .args(["-ro", "-al", "-so"])
            .arg(&path)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "ogrinfo failed on {layer}: {stderr}");
        assert!(
            stderr.trim().is_empty(),
            "ogrinfo warned on {layer}: {stderr}"
        );
        assert!(stdout.contains("WGS 84"), "{layer}: no WGS 84 in\n{stdout}");
        assert!(
            stdout.contains(&format!("Feature Count: {n}")),
            "{layer}: expected {n} features in\n{stdout}"
        );
        assert!(stdout.contains("Geometry: Point"), "{layer}: {stdout}");
    }
}

/// Issue 14: the patrol and the transit happen around the Tsugaru Strait, so every event
/// of either type is drawn there, in the Sea of Japan or in the Pacific off Japan, not at
/// the conventional point of the Pacific (0° N 160° W, near Kiribati).
/// Resolution sets `Mention::at` (the Pacific next to the strait), and the events take
/// their points from the mentions, the waters a passage connects included.
#[test]
fn seed_patrol_and_transit_lie_off_japan() {
    let Some(seed) = shared("seeds/tsugaru-patrol.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    run_map(&seed, dir.path());
    let events = read_json(&dir.path().join("events.geojson"));
    let mut n = 0;
    for f in events["features"].as_array().unwrap() {
        let ty = f["properties"]["event_type"].as_str().unwrap();
        if ty != "patrol" && ty != "transit" {
            continue;
        }
        let g = &f["geometry"];
        let points: Vec<&serde_json::Value> = match g["type"].as_str().unwrap() {
            "Point" => vec![&g["coordinates"]],
            _ => g["coordinates"].as_array().unwrap().iter().collect(),
        };
        for c in points {
            let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
            assert!(
                (128.0..=147.0).contains(&lon) && (33.0..=46.0).contains(&lat),
                "a {ty} at {lon}, {lat}: {}",
                f["properties"]
            );
        }
        n += 1;
    }
    assert!(n >= 2, "only {n} patrol and transit events");
}
