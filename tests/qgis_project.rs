//! Issue 15: `geoevents.qgs` opens right in QGIS (checked with headless PyQGIS
//! by `tests/qgis/check_layers.py`): a valid project CRS, every layer valid, the
//! events layer set up for the Temporal Controller, the initial view covering
//! the events, event types drawn with the map's marker shapes. Skips when
//! /usr/bin/python3 has no `qgis` module, except with CI=true.

mod common;

use std::path::Path;
use std::process::Command;

use chrono::{Datelike, NaiveDate};
use common::{geoevents, read_json, stderr};
use geoevents::export::qgs::{self, ProjectLayer};
use geoevents::export::{Field, FieldType, Value};

fn have_pyqgis() -> bool {
    let ok = Command::new("/usr/bin/python3")
        .args(["-c", "import qgis.core"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but /usr/bin/python3 cannot import qgis (.ci/run installs python3-qgis)"
        );
        eprintln!("skipping: /usr/bin/python3 has no `qgis` module");
    }
    ok
}

/// Runs the PyQGIS checks on `dir`; returns what they printed.
fn check_with_qgis(dir: &Path) -> String {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/qgis/check_layers.py");
    let o = Command::new("/usr/bin/python3")
        .arg(&script)
        .arg(dir)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(o.status.success(), "PyQGIS check failed:\n{stdout}");
    for want in [
        "all layers ok",
        "ok geoevents.qgs: project CRS EPSG:4326",
        "ok geoevents.qgs: events temporal from",
        "ok geoevents.qgs: default view extent",
        "ok geoevents.qgs: map canvas extent",
    ] {
        assert!(stdout.contains(want), "no `{want}` in\n{stdout}");
    }
    stdout
}

fn map_example(dir: &Path) {
    let o = geoevents(&[
        "map",
        "examples/korea-strait-transit.txt",
        "-o",
        dir.to_str().unwrap(),
        "--date",
        "2024-07-17",
        "--format",
        "geojson",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn issue_15_example_project_opens_right_in_qgis() {
    if !have_pyqgis() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    map_example(dir.path());
    check_with_qgis(dir.path());
}

/// The last day of the span a date of this precision stands for.
fn span_end(d: NaiveDate, precision: &str) -> NaiveDate {
    match precision {
        "week" => d + chrono::Days::new(6),
        "month" => {
            let next = if d.month() == 12 {
                NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
            };
            next.unwrap().pred_opt().unwrap()
        }
        "year" => NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap(),
        _ => d,
    }
}

/// With `date_start`/`date_end` on the events layer (added here as a fixture
/// until the events layer carries them; a month-precision date spans its
/// month), the project takes start and end from the two fields.
#[test]
fn issue_15_events_with_start_and_end_dates_play_in_the_temporal_controller() {
    if !have_pyqgis() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    map_example(dir.path());
    let path = dir.path().join("events.geojson");
    let mut events = read_json(&path);
    let mut month = 0;
    for f in events["features"].as_array_mut().unwrap() {
        let p = f["properties"].as_object_mut().unwrap();
        let date = p["date"].as_str().and_then(|s| s.parse::<NaiveDate>().ok());
        let (start, end) = match date {
            // One event in two becomes month-precision, so a span is exercised.
            Some(d) if month % 2 == 0 => {
                month += 1;
                let first = d.with_day(1).unwrap();
                (Some(first), Some(span_end(first, "month")))
            }
            Some(d) => {
                month += 1;
                let precision = p["date_precision"].as_str().unwrap_or("day").to_string();
                (Some(d), Some(span_end(d, &precision)))
            }
            None => (None, None),
        };
        let iso =
            |d: Option<NaiveDate>| d.map_or(serde_json::Value::Null, |d| d.to_string().into());
        p.insert("date_start".into(), iso(start));
        p.insert("date_end".into(), iso(end));
    }
    assert!(month > 1, "the example has dated events");
    std::fs::write(&path, serde_json::to_vec(&events).unwrap()).unwrap();

    let read = |name: &str| {
        geoevents::export::read_layers(&dir.path().join(format!("{name}.geojson")))
            .unwrap()
            .remove(0)
    };
    // The reader keeps the events schema, which has no start and end yet: add the fields.
    let mut events = read("events");
    for name in ["date_start", "date_end"] {
        if !events.fields.iter().any(|f| f.name == name) {
            events.fields.push(Field {
                name: name.into(),
                field_type: FieldType::Date,
            });
            for f in &mut events.features {
                f.values.push(Value::Null);
            }
        }
    }
    let layers = [
        events,
        read("places"),
        read("basemap_borders"),
        read("basemap_land"),
    ];
    assert!(layers[0].fields.iter().any(|f| f.name == "date_end"));
    let entries: Vec<ProjectLayer> = layers
        .iter()
        .map(|l| ProjectLayer {
            layer: l,
            file: format!("{}.geojson", l.name),
        })
        .collect();
    std::fs::write(
        dir.path().join("geoevents.qgs"),
        qgs::project(&entries, "fixture"),
    )
    .unwrap();
    let out = check_with_qgis(dir.path());
    assert!(
        out.contains("events temporal from 'date_start' to 'date_end'"),
        "{out}"
    );
}
