//! The README's first command: `geoevents map examples/...` writes the three outputs.

mod common;

use common::{geoevents, read_json};

#[test]
fn example_article_maps() {
    let dir = tempfile::tempdir().unwrap();
    let out = geoevents(&[
        "map",
        "examples/korea-strait-transit.txt",
        "-o",
        dir.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", common::stderr(&out));
    let events = read_json(&dir.path().join("events.geojson"));
    let features = events["features"].as_array().unwrap();
    assert!(features
        .iter()
        .any(|f| f["properties"]["event_type"] == "transit"));
    assert_eq!(events["name"], "events");
    let bbox = events["bbox"].as_array().expect("a bbox");
    assert_eq!(bbox.len(), 4);
    for f in features {
        let c = f["geometry"]["coordinates"].as_array().unwrap();
        let (lon, lat) = (c[0].as_f64().unwrap(), c[1].as_f64().unwrap());
        assert!((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat));
    }
    let png = std::fs::read(dir.path().join("map.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
}
