//! `geoevents render` and the renderer (issue 7): golden images with a small
//! tolerance, labels that never intersect, routes drawn, PNG and SVG alike,
//! bad input refused. Regenerate the golden images with `UPDATE_GOLDEN=1`.

mod common;

use std::path::{Path, PathBuf};

use common::{geoevents, stderr};
use geoevents::render::{self, Format, LabelKind, MapSpec, PlacedLabel};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/render")
        .join(name)
}

fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Fraction of pixels whose largest channel difference exceeds `threshold`.
fn differing(a: &image::RgbImage, b: &image::RgbImage, threshold: u8) -> f64 {
    assert_eq!(a.dimensions(), b.dimensions(), "image sizes differ");
    let n = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| {
            p.0.iter()
                .zip(q.0.iter())
                .any(|(x, y)| x.abs_diff(*y) > threshold)
        })
        .count();
    n as f64 / (a.width() * a.height()) as f64
}

/// Renders `input` through the CLI and compares with `tests/golden/<name>`.
fn check_golden(input: &str, name: &str, extra: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join(name);
    let mut args = vec![
        "render",
        input,
        "-o",
        out.to_str().unwrap(),
        "--title",
        name,
    ];
    args.extend_from_slice(extra);
    let o = geoevents(&args);
    assert!(o.status.success(), "render failed: {}", stderr(&o));
    let want = golden(name);
    if std::env::var("UPDATE_GOLDEN").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(want.parent().unwrap()).unwrap();
        std::fs::copy(&out, &want).unwrap();
        return;
    }
    let got = image::open(&out).unwrap().to_rgb8();
    let expected = image::open(&want)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", want.display()))
        .to_rgb8();
    let frac = differing(&got, &expected, 40);
    assert!(
        frac < 0.005,
        "{name}: {:.3}% of pixels differ from {} (saved the new one at {})",
        frac * 100.0,
        want.display(),
        {
            let keep = std::env::temp_dir().join(format!("new-{name}"));
            std::fs::copy(&out, &keep).unwrap();
            keep.display().to_string()
        }
    );
}

#[test]
fn golden_seed_area() {
    check_golden("tests/data/render/seed-area.geojson", "seed-area.png", &[]);
}

#[test]
fn golden_world() {
    check_golden("tests/data/render/world.geojson", "world.png", &[]);
}

#[test]
fn golden_across_the_antimeridian() {
    check_golden(
        "tests/data/render/fiji-samoa.geojson",
        "fiji-samoa.png",
        &[],
    );
}

fn spec_from(file: &str) -> MapSpec {
    let layers = render::layers::read_files(&[fixture(file)]).unwrap();
    let gaz = geoevents::gazetteer::Gazetteer::embedded().unwrap();
    MapSpec {
        places: layers.places,
        routes: layers.routes,
        polygons: layers.polygons,
        context: geoevents::context_names(&gaz),
        ..MapSpec::new(file)
    }
}

fn assert_disjoint(labels: &[PlacedLabel]) {
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            assert!(
                !a.bounds.intersects(&b.bounds),
                "`{}` {:?} overlaps `{}` {:?}",
                a.text,
                a.bounds,
                b.text,
                b.bounds
            );
        }
    }
}

#[test]
fn no_two_drawn_labels_intersect() {
    for f in ["seed-area.geojson", "world.geojson", "fiji-samoa.geojson"] {
        let spec = spec_from(f);
        for fmt in [Format::Png, Format::Svg] {
            let r = render::render(&spec, fmt).unwrap();
            assert!(r.labels.len() > 3, "{f}: {} labels", r.labels.len());
            assert_disjoint(&r.labels);
        }
    }
    // Thousands of crowded points: many labels drop, none overlap.
    let mut spec = MapSpec::new("crowded");
    spec.places = (0..3000)
        .map(|i| render::MapPlace {
            pos: geoevents::coords::LonLat::new(
                130.0 + (i * 7919 % 1000) as f64 * 0.015,
                33.0 + (i * 104729 % 1000) as f64 * 0.01,
            ),
            name: format!("Point {i}"),
            water: false,
            events: vec![],
            area: None,
        })
        .collect();
    let r = render::render(&spec, Format::Png).unwrap();
    assert!(r.labels.len() > 50);
    assert!(!r.dropped.is_empty());
    assert_disjoint(&r.labels);
}

#[test]
fn seed_area_map_names_the_strait_the_seas_hokkaido_and_the_route() {
    let spec = spec_from("seed-area.geojson");
    let r = render::render(&spec, Format::Png).unwrap();
    let texts: Vec<&str> = r.labels.iter().map(|l| l.text.as_str()).collect();
    for want in [
        "Tsugaru Strait",
        "Sea of Japan",
        "Pacific Ocean",
        "Hokkaido",
    ] {
        assert!(texts.contains(&want), "{want} not labelled: {texts:?}");
    }
    assert!(
        r.labels.iter().any(|l| l.kind == LabelKind::Route),
        "route not labelled: {texts:?}"
    );
    assert_eq!(r.projection, render::Projection::WebMercator);
    // The route is drawn: many pixels in the transit colour.
    let img = image::load_from_memory(&r.bytes).unwrap().to_rgb8();
    let c = render::event_colour(geoevents::events::EventType::Transit);
    let n = img.pixels().filter(|p| p.0 == [c.0, c.1, c.2]).count();
    assert!(n > 1500, "only {n} route pixels");
}

#[test]
fn world_and_antimeridian_projections() {
    let r = render::render(&spec_from("world.geojson"), Format::Png).unwrap();
    assert_eq!(r.projection, render::Projection::EqualEarth);
    let r = render::render(&spec_from("fiji-samoa.geojson"), Format::Png).unwrap();
    assert_eq!(r.projection, render::Projection::WebMercator);
    // Suva and Apia are both labelled, so neither fell off a split map.
    let texts: Vec<&str> = r.labels.iter().map(|l| l.text.as_str()).collect();
    assert!(
        texts.contains(&"Suva") && texts.contains(&"Apia"),
        "{texts:?}"
    );
}

#[test]
fn svg_output_and_same_layout_as_png() {
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("m.svg");
    let o = geoevents(&[
        "render",
        "tests/data/render/fiji-samoa.geojson",
        "-o",
        svg.to_str().unwrap(),
        "--extent",
        "170,-25,-165,-5",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&svg).unwrap();
    assert!(text.starts_with("<svg") && text.contains("<text"));
    assert!(text.contains("Apia"));
    let spec = spec_from("seed-area.geojson");
    let a = render::render(&spec, Format::Png).unwrap();
    let b = render::render(&spec, Format::Svg).unwrap();
    let la: Vec<_> = a.labels.iter().map(|l| (&l.text, l.bounds)).collect();
    let lb: Vec<_> = b.labels.iter().map(|l| (&l.text, l.bounds)).collect();
    assert_eq!(la, lb);
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("broken.geojson");
    std::fs::write(&bad, "{\"type\": \"FeatureCollection\", \"features\": [").unwrap();
    let out = dir.path().join("m.png");
    let o = geoevents(&["render", bad.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(!o.status.success());
    let e = stderr(&o);
    assert!(e.contains("broken.geojson"), "{e}");
    assert_eq!(e.trim().lines().count(), 1, "{e}");
    assert!(!out.exists());

    let o = geoevents(&[
        "render",
        "tests/data/render/world.geojson",
        "-o",
        dir.path().join("m.jpg").to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains(".png or .svg"));
}

#[test]
fn map_command_draws_routes_from_event_roles() {
    let Some(seed) = common::shared("seeds/tsugaru-patrol.txt") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let o = geoevents(&[
        "map",
        seed.to_str().unwrap(),
        "-o",
        dir.path().to_str().unwrap(),
        "--date",
        "2021-10-26",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let img = image::open(dir.path().join("map.png")).unwrap();
    assert_eq!((img.width(), img.height()), (1600, 1100));
}
