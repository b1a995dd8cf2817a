//! Issue 15, maps at scale: thousands of events over several continents give a
//! world map (Equal Earth) with clusters sized by count and only the strongest
//! labelled; a place outside the view is not drawn at its edge but named in the
//! caption. The GeoJSON is generated here.

mod common;

use std::fmt::Write as _;

use common::{geoevents, stderr};
use geoevents::coords::{BBox, LonLat};
use geoevents::events::EventType;
use geoevents::render::{self, Format, MapPlace, MapSpec, Projection, Rendered};

/// ~10,000 events at 2,000 places around five cities on five continents.
fn events_geojson() -> (String, Vec<LonLat>) {
    let centres = [
        ("Paris", 2.35, 48.85, 8.0),
        ("New York", -74.0, 40.7, 10.0),
        ("Beijing", 116.4, 39.9, 12.0),
        ("Johannesburg", 28.0, -26.2, 6.0),
        ("São Paulo", -46.6, -23.5, 7.0),
    ];
    let mut seed = 7u64;
    let mut next = || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut text = String::from("{\"type\":\"FeatureCollection\",\"features\":[");
    let mut points = Vec::new();
    let mut n = 0;
    for place in 0..2000 {
        let (city, lon, lat, spread) = centres[place % centres.len()];
        let p = LonLat::new(
            lon + (next() - 0.5) * spread * 2.0,
            lat + (next() - 0.5) * spread,
        );
        points.push(p);
        for k in 0..5 {
            let t = EventType::ALL[(place + k) % EventType::ALL.len()];
            if n > 0 {
                text.push(',');
            }
            n += 1;
            write!(
                text,
                "{{\"type\":\"Feature\",\"properties\":{{\"place_name\":\"{city} {place}\",\"event_type\":\"{}\"}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{:.5},{:.5}]}}}}",
                t.as_str(),
                p.lon,
                p.lat
            )
            .unwrap();
        }
    }
    text.push_str("]}");
    assert_eq!(n, 10_000);
    (text, points)
}

/// No marker sits on the image's edge, and each stands where some of its places are.
fn assert_markers_in_place(r: &Rendered, points: &[LonLat], w: f64, h: f64) {
    for m in &r.markers {
        assert!(
            m.x >= 1.0 && m.y >= 1.0 && m.x <= w - 1.0 && m.y <= h - 1.0,
            "marker {} at the edge: ({}, {})",
            m.name,
            m.x,
            m.y
        );
        // A cluster is at the mean of its places, all within one screen cell.
        let reach = render::CLUSTER_PX * std::f64::consts::SQRT_2;
        assert!(
            points.iter().any(|p| {
                let (x, y) = r.view.px(*p);
                (x - m.x).hypot(y - m.y) <= reach
            }),
            "marker {} at ({}, {}) is far from every place",
            m.name,
            m.x,
            m.y
        );
    }
}

#[test]
fn ten_thousand_events_on_five_continents_draw_a_clustered_world_map() {
    let dir = tempfile::tempdir().unwrap();
    let (text, points) = events_geojson();
    let input = dir.path().join("events-10k.geojson");
    std::fs::write(&input, text).unwrap();

    let layers = render::layers::read_files(std::slice::from_ref(&input)).unwrap();
    assert_eq!(layers.places.len(), 2000);
    let spec = MapSpec {
        places: layers.places,
        ..MapSpec::new("10,000 events")
    };
    let r = render::render(&spec, Format::Png).unwrap();
    assert_eq!(r.projection, Projection::EqualEarth);
    assert!(r.view.world, "a world extent");
    // Clusters: far fewer markers than places, some gathering many, sized by events.
    assert!(r.markers.len() < 700, "{} markers", r.markers.len());
    let big = r.markers.iter().max_by_key(|m| m.events).unwrap();
    assert!(
        big.places >= 10,
        "largest cluster has {} places",
        big.places
    );
    let small = r.markers.iter().min_by_key(|m| m.events).unwrap();
    assert!(big.radius > small.radius);
    assert_eq!(r.markers.iter().map(|m| m.places).sum::<usize>(), 2000);
    assert_eq!(r.markers.iter().map(|m| m.events).sum::<usize>(), 10_000);
    assert_markers_in_place(&r, &points, 1600.0, 1100.0);
    // Only the strongest are named, and no two labels meet.
    let named = r
        .labels
        .iter()
        .filter(|l| l.kind == render::LabelKind::Place)
        .count();
    assert!((5..=60).contains(&named), "{named} place labels");
    for (i, a) in r.labels.iter().enumerate() {
        for b in &r.labels[i + 1..] {
            assert!(
                !a.bounds.intersects(&b.bounds),
                "{} meets {}",
                a.text,
                b.text
            );
        }
    }

    // The command draws it too.
    let out = dir.path().join("map.png");
    let o = geoevents(&[
        "render",
        input.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    // The `wrote ...` line goes to standard error, so standard output stays for data.
    assert!(stderr(&o).contains("Equal Earth"), "{}", stderr(&o));
}

#[test]
fn places_outside_the_view_are_named_in_the_caption_not_drawn_at_its_edge() {
    let place = |name: &str, lon, lat, n| MapPlace {
        pos: LonLat::new(lon, lat),
        name: name.into(),
        water: false,
        events: vec![(EventType::ALL[0], n)],
        // A vast area whose box reaches into the view: still not pulled in.
        area: Some(BBox {
            west: lon - 60.0,
            south: lat - 30.0,
            east: lon + 60.0,
            north: lat + 30.0,
        }),
    };
    let spec = MapSpec {
        places: vec![
            place("Tsugaru Strait", 140.5, 41.45, 3),
            place("Russia", 100.0, 60.0, 6),
            place("Netherlands", 5.3, 52.1, 2),
        ],
        extent: Some(BBox {
            west: 135.0,
            south: 38.0,
            east: 146.0,
            north: 45.0,
        }),
        ..MapSpec::new("seed area")
    };
    let r = render::render(&spec, Format::Png).unwrap();
    let names: Vec<&str> = r.markers.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Tsugaru Strait"]);
    assert_eq!(r.outside, ["Russia (6 events)", "Netherlands (2 events)"]);
    assert!(!r.labels.iter().any(|l| l.text == "Russia"));
    assert_markers_in_place(&r, &[LonLat::new(140.5, 41.45)], 1600.0, 1100.0);
}
