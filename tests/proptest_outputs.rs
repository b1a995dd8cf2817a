//! Property tests (issue 16): every GeoJSON written parses back and keeps RFC 7946's
//! rules; every mention and event span lies inside its text on a character
//! boundary; `map` writes the same bytes whatever the number of threads.

mod common;

use std::sync::OnceLock;

use geo::{Coord, Geometry, LineString, MultiPolygon, Point, Polygon};
use geoevents::export::{self, Field, FieldType, GeometryType, Layer, LayerFeature, Value};
use geoevents::gazetteer::Gazetteer;
use geoevents::input::Document;
use proptest::prelude::*;
use serde_json::Value as J;

fn gazetteer() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::embedded().unwrap())
}

// ---------------------------------------------------------------- spans

const WORDS: &[&str] = &[
    "Paris",
    "Berlin",
    "Kharkiv",
    "Lyon",
    "Tsugaru Strait",
    "New York",
    "Georgia",
    "troops",
    "moved",
    "from",
    "to",
    "protesters",
    "gathered",
    "in",
    "near",
    "the",
    "police",
    "arrested",
    "40",
    "people",
    "on",
    "Monday",
    "shelling",
    "killed",
    "three",
    "São Paulo",
    "Montréal",
    "東京",
    "🙂",
    "Nairobi’s",
    "\"",
    "(",
    ")",
    ",",
    ".",
    "\n\n",
    "—",
    "e\u{301}",
    "\u{200b}",
    "Mr.",
    "U.S.",
    "ships",
    "sailed",
    "north",
    "of",
    "Dhaka",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            prop::sample::select(WORDS),
            prop::sample::select(&[" ", "", "  ", "\t", ". "][..]),
        ),
        0..120,
    )
    .prop_map(|parts| {
        parts
            .into_iter()
            .map(|(w, s)| format!("{w}{s}"))
            .collect::<String>()
    })
}

/// Checks a character span against a text: inside, not reversed.
fn check_span(text: &str, start: usize, end: usize, what: &str) -> Result<(), TestCaseError> {
    let n = text.chars().count();
    prop_assert!(start <= end, "{what} {start}..{end} is reversed");
    prop_assert!(
        end <= n,
        "{what} {start}..{end} ends past the text ({n} chars)"
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn every_span_lies_inside_its_text(text in text_strategy()) {
        let gaz = gazetteer();
        let doc = Document::from_text("p", &text, None);
        let (toks, mentions) = geoevents::geoparse::geoparse(gaz, &doc.text);
        for m in &mentions {
            check_span(&doc.text, m.start, m.end, "mention")?;
            prop_assert!(m.start < m.end, "empty mention at {}", m.start);
            // Character offsets: the span's text is a whole slice of characters.
            let got: String = doc.text.chars().skip(m.start).take(m.end - m.start).collect();
            prop_assert!(!got.is_empty());
        }
        let events = geoevents::events::extract_events(gaz, &doc, &toks, &mentions);
        for e in &events {
            check_span(&doc.text, e.char_start, e.char_end, "event sentence")?;
            let sentence: String = doc
                .text
                .chars()
                .skip(e.char_start)
                .take(e.char_end - e.char_start)
                .collect();
            prop_assert!(
                sentence.contains(e.sentence.trim()) || e.sentence.trim().contains(sentence.trim()),
                "event sentence {:?} is not the text at {}..{}: {:?}",
                e.sentence, e.char_start, e.char_end, sentence
            );
        }
    }
}

// ---------------------------------------------------------------- GeoJSON

fn lon() -> impl Strategy<Value = f64> {
    -180.0f64..=180.0
}
fn lat() -> impl Strategy<Value = f64> {
    -90.0f64..=90.0
}

/// A ring around a centre: `n` vertices at angles in either direction (the writer
/// must orient it), radius small enough to stay on the globe.
fn ring(cx: f64, cy: f64, r: f64, n: usize, clockwise: bool) -> LineString<f64> {
    let mut pts: Vec<Coord<f64>> = (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            let a = if clockwise { -a } else { a };
            Coord {
                x: cx + r * a.cos(),
                y: cy + r * a.sin(),
            }
        })
        .collect();
    pts.push(pts[0]);
    LineString::new(pts)
}

fn geometry(kind: u8) -> BoxedStrategy<Geometry<f64>> {
    match kind {
        0 => (lon(), lat())
            .prop_map(|(x, y)| Geometry::Point(Point::new(x, y)))
            .boxed(),
        1 => prop::collection::vec((lon(), lat()), 2..8)
            .prop_map(|v| {
                Geometry::LineString(LineString::new(
                    v.into_iter().map(|(x, y)| Coord { x, y }).collect(),
                ))
            })
            .boxed(),
        _ => (
            -170.0f64..170.0,
            -80.0f64..80.0,
            0.01f64..9.0,
            3usize..12,
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(cx, cy, r, n, cw, hole)| {
                let holes = if hole {
                    vec![ring(cx, cy, r / 3.0, n, !cw)]
                } else {
                    vec![]
                };
                let p = Polygon::new(ring(cx, cy, r, n, cw), holes);
                if n % 2 == 0 {
                    Geometry::MultiPolygon(MultiPolygon::new(vec![p]))
                } else {
                    Geometry::Polygon(p)
                }
            })
            .boxed(),
    }
}

fn layer_strategy() -> impl Strategy<Value = Layer> {
    (0u8..3).prop_flat_map(|kind| {
        prop::collection::vec((geometry(kind), "[ -~é]{0,12}", any::<i32>()), 1..12).prop_map(
            move |feats| Layer {
                name: "prop".into(),
                geometry_type: [
                    GeometryType::Point,
                    GeometryType::LineString,
                    GeometryType::Polygon,
                ][kind as usize],
                fields: vec![
                    Field {
                        name: "label".into(),
                        field_type: FieldType::Text,
                    },
                    Field {
                        name: "n".into(),
                        field_type: FieldType::Integer,
                    },
                ],
                features: feats
                    .into_iter()
                    .map(|(g, s, n)| {
                        LayerFeature::new(g, vec![Value::Text(s), Value::Integer(n as i64)])
                    })
                    .collect(),
            },
        )
    })
}

/// Calls `f` on every position (an array of numbers) under `v`.
fn positions<'a>(v: &'a J, out: &mut Vec<&'a Vec<J>>) {
    if let Some(a) = v.as_array() {
        if a.first().is_some_and(J::is_number) {
            out.push(a);
        } else {
            for x in a {
                positions(x, out);
            }
        }
    }
}

/// Twice the signed area of a ring (positive: counter-clockwise).
fn signed_area(ring: &[J]) -> f64 {
    let p: Vec<(f64, f64)> = ring
        .iter()
        .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
        .collect();
    p.windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum()
}

fn check_rings(rings: &J) -> Result<(), TestCaseError> {
    for (i, r) in rings.as_array().unwrap().iter().enumerate() {
        let r = r.as_array().unwrap();
        prop_assert!(r.len() >= 4, "a ring of {} positions", r.len());
        prop_assert_eq!(&r[0], r.last().unwrap(), "ring not closed");
        let a = signed_area(r);
        // RFC 7946 3.1.6: exterior rings counter-clockwise, holes clockwise.
        if i == 0 {
            prop_assert!(a > 0.0, "exterior ring is clockwise");
        } else {
            prop_assert!(a < 0.0, "hole is counter-clockwise");
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn geojson_written_parses_back_under_rfc7946(layer in layer_strategy()) {
        let mut buf = Vec::new();
        export::geojson::write_layer(&layer, &mut buf).unwrap();
        let text = std::str::from_utf8(&buf).unwrap();
        // A real reader accepts it.
        let gj: geojson::GeoJson = text.parse().map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert!(matches!(gj, geojson::GeoJson::FeatureCollection(_)));
        let v: J = serde_json::from_str(text).unwrap();
        prop_assert!(v.get("crs").is_none(), "RFC 7946 has no crs member");
        let bbox: Vec<f64> = v["bbox"].as_array().expect("a bbox").iter().map(|x| x.as_f64().unwrap()).collect();
        prop_assert_eq!(bbox.len(), 4);
        prop_assert!(bbox[1] <= bbox[3], "bbox south above north");
        for f in v["features"].as_array().unwrap() {
            let g = &f["geometry"];
            let mut ps = Vec::new();
            positions(&g["coordinates"], &mut ps);
            for p in ps {
                let (x, y) = (p[0].as_f64().unwrap(), p[1].as_f64().unwrap());
                prop_assert!((-180.0..=180.0).contains(&x) && (-90.0..=90.0).contains(&y), "({x}, {y})");
                // At most 6 decimals (RFC 7946 11.2: about 10 cm).
                for c in [x, y] {
                    prop_assert!(((c * 1e6).round() / 1e6 - c).abs() < 1e-9, "{c} has more than 6 decimals");
                }
                let inside_lon = if bbox[0] <= bbox[2] { x >= bbox[0] && x <= bbox[2] } else { x >= bbox[0] || x <= bbox[2] };
                prop_assert!(inside_lon && y >= bbox[1] && y <= bbox[3], "({x}, {y}) outside bbox {bbox:?}");
            }
            match g["type"].as_str().unwrap() {
                "Polygon" => check_rings(&g["coordinates"])?,
                "MultiPolygon" => {
                    for p in g["coordinates"].as_array().unwrap() {
                        check_rings(p)?;
                    }
                }
                _ => {}
            }
        }
        // Our own reader reads the same layer back.
        let back = export::geojson::read_layer(text, "prop").unwrap();
        prop_assert_eq!(back.features.len(), layer.features.len());
    }
}

// ---------------------------------------------------------------- threads

#[test]
fn map_output_is_the_same_on_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("news.jsonl");
    let mut lines = String::new();
    let places = [
        "Paris", "Berlin", "Lyon", "Odesa", "Kharkiv", "Mosul", "Erbil", "Haifa", "Piraeus",
        "Dhaka",
    ];
    for i in 0..40 {
        let a = places[i % places.len()];
        let b = places[(i * 7 + 3) % places.len()];
        let text = format!(
            "Report {i} from {a}\n\nProtesters gathered in {a} on Monday and police arrested {i} people. \
             Troops moved from {a} to {b} on 3 March 2024. Shelling near {b} killed {} civilians.",
            i % 5 + 1
        );
        lines.push_str(
            &serde_json::json!({"id": format!("d{i}"), "text": text, "date": "2024-03-05"})
                .to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&corpus, lines).unwrap();
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let dir = tmp.path().join(format!("out{threads}"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_geoevents"))
            .args([
                "map",
                corpus.to_str().unwrap(),
                "-o",
                dir.to_str().unwrap(),
                "--format",
                "geojson,csv,kml,gpkg,png",
            ])
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", common::stderr(&o));
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    std::fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        outs.push(files);
    }
    let names = |v: &[(String, Vec<u8>)]| v.iter().map(|f| f.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&outs[0]), names(&outs[1]));
    for (a, b) in outs[0].iter().zip(&outs[1]) {
        if a.0.starts_with("basemap_") {
            // Not deterministic today: basemap_layers_are_the_same_in_two_runs.
            continue;
        }
        if a.0.ends_with(".gpkg") {
            // SQLite pages may differ in free space; compare the layers read back.
            let la = export::gpkg::read_file(&tmp.path().join("out1").join(&a.0)).unwrap();
            let lb = export::gpkg::read_file(&tmp.path().join("out2").join(&b.0)).unwrap();
            assert_eq!(la, lb, "{} differs between 1 and 2 threads", a.0);
        } else {
            assert!(a.1 == b.1, "{} differs between 1 and 2 threads", a.0);
        }
    }
}

#[test]
#[ignore = "open: basemap_land.geojson differs between two identical runs (its polygons come out in a different order); see docs/reliability.md"]
fn basemap_layers_are_the_same_in_two_runs() {
    let a = export::qgs::basemap_layers();
    let b = export::qgs::basemap_layers();
    let bytes = |l: &Layer| {
        let mut buf = Vec::new();
        export::geojson::write_layer(l, &mut buf).unwrap();
        buf
    };
    assert!(bytes(&a.0) == bytes(&b.0), "basemap_land differs");
    assert!(bytes(&a.1) == bytes(&b.1), "basemap_borders differs");
}
