//! `geoevents resolve` puts the right place first, for the names news uses.
//!
//! The cases are in `tests/data/resolve_cases.tsv`: a name, the expected point, a
//! tolerance and the acceptable kinds; areas (countries, seas, regions, continents)
//! give a box instead and the first candidate's point must lie inside it. Every case
//! is run through the real binary, and all failing cases are reported together.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use geoevents::coords::{BBox, LonLat};
use geoevents::gazetteer::{Gazetteer, PlaceKind};

use common::{geoevents, km, stdout};

const CASES: &str = "tests/data/resolve_cases.tsv";
const COLUMNS: [&str; 10] = [
    "name",
    "lat",
    "lon",
    "tolerance_km",
    "kinds",
    "note",
    "west",
    "south",
    "east",
    "north",
];

#[derive(Debug)]
struct Case {
    line: usize,
    name: String,
    point: LonLat,
    tolerance_km: f64,
    kinds: Vec<String>,
    note: String,
    /// Present exactly when `tolerance_km` is 0 ("inside" semantics).
    bbox: Option<BBox>,
}

impl Case {
    fn expected(&self) -> String {
        let kinds = self.kinds.join("|");
        match self.bbox {
            Some(b) => format!(
                "{kinds} inside [{} {} {} {}]",
                b.west, b.south, b.east, b.north
            ),
            None => format!(
                "{kinds} within {} km of {},{}",
                self.tolerance_km, self.point.lat, self.point.lon
            ),
        }
    }
}

fn parse_cases() -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(CASES);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{CASES}: {e}"));
    let mut cases = Vec::new();
    let mut header_seen = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        if raw.trim().is_empty() || raw.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = raw.split('\t').collect();
        if !header_seen {
            assert_eq!(cols, COLUMNS, "{CASES}:{line}: header");
            header_seen = true;
            continue;
        }
        assert_eq!(
            cols.len(),
            COLUMNS.len(),
            "{CASES}:{line}: {} columns, want {}: {raw:?}",
            cols.len(),
            COLUMNS.len()
        );
        let num = |k: usize| -> f64 {
            cols[k].trim().parse().unwrap_or_else(|_| {
                panic!(
                    "{CASES}:{line}: {} `{}` is not a number",
                    COLUMNS[k], cols[k]
                )
            })
        };
        let (lat, lon, tolerance_km) = (num(1), num(2), num(3));
        assert!(
            LonLat::new(lon, lat).is_valid() && tolerance_km >= 0.0,
            "{CASES}:{line}: bad point or tolerance"
        );
        let kinds: Vec<String> = cols[4].split('|').map(str::to_string).collect();
        for k in &kinds {
            assert!(
                PlaceKind::from_code(k).is_some(),
                "{CASES}:{line}: unknown kind `{k}`"
            );
        }
        let has_box = cols[6..].iter().any(|c| !c.trim().is_empty());
        let bbox = has_box.then(|| BBox {
            west: num(6),
            south: num(7),
            east: num(8),
            north: num(9),
        });
        match bbox {
            Some(b) => {
                assert!(
                    tolerance_km == 0.0,
                    "{CASES}:{line}: a box goes with tolerance 0"
                );
                assert!(b.south < b.north, "{CASES}:{line}: south >= north");
                assert!(
                    b.contains(LonLat::new(lon, lat)),
                    "{CASES}:{line}: the point is outside the box"
                );
            }
            None => assert!(
                tolerance_km > 0.0,
                "{CASES}:{line}: tolerance 0 needs a box"
            ),
        }
        cases.push(Case {
            line,
            name: cols[0].to_string(),
            point: LonLat::new(lon, lat),
            tolerance_km,
            kinds,
            note: cols[5].to_string(),
            bbox,
        });
    }
    cases
}

/// Runs one case; `Err` describes what came first instead.
fn check(case: &Case) -> Result<(), String> {
    let out = geoevents(&["resolve", &case.name, "--json"]);
    if !out.status.success() {
        return Err(format!(
            "exit {}: {}",
            out.status,
            common::stderr(&out).trim()
        ));
    }
    let v: serde_json::Value =
        serde_json::from_str(&stdout(&out)).map_err(|e| format!("bad JSON: {e}"))?;
    let Some(first) = v.as_array().and_then(|a| a.first()) else {
        return Err("no candidate".into());
    };
    let kind = first["kind"].as_str().unwrap_or("?");
    let (lat, lon) = (
        first["lat"].as_f64().unwrap_or(f64::NAN),
        first["lon"].as_f64().unwrap_or(f64::NAN),
    );
    let d = km(case.point.lat, case.point.lon, lat, lon);
    let kind_ok = case.kinds.iter().any(|k| k == kind);
    let place_ok = match case.bbox {
        Some(b) => b.contains(LonLat::new(lon, lat)),
        None => d <= case.tolerance_km,
    };
    if kind_ok && place_ok {
        return Ok(());
    }
    let country = first["country"].as_str().unwrap_or("-");
    let also: Vec<String> = v
        .as_array()
        .into_iter()
        .flatten()
        .skip(1)
        .take(3)
        .map(|c| {
            format!(
                "{} ({}, {})",
                c["name"].as_str().unwrap_or("?"),
                c["kind"].as_str().unwrap_or("?"),
                c["country"].as_str().unwrap_or("-")
            )
        })
        .collect();
    Err(format!(
        "got {} {:?} ({kind}, {country}) at {lat},{lon}, {d:.0} km from the expected point{}{}",
        first["id"].as_str().unwrap_or("?"),
        first["name"].as_str().unwrap_or("?"),
        if kind_ok { "" } else { "; wrong kind" },
        if also.is_empty() {
            String::new()
        } else {
            format!("; next: {}", also.join(", "))
        },
    ))
}

#[test]
fn cases_file_is_well_formed() {
    let cases = parse_cases();
    assert!(cases.len() >= 230, "only {} cases", cases.len());
    // Every kind the embedded gazetteer holds has a case.
    let gaz = Gazetteer::embedded().expect("embedded gazetteer loads");
    let held: BTreeSet<&str> = gaz.places().iter().map(|p| p.kind.code()).collect();
    for code in held {
        assert!(
            cases.iter().any(|c| c.kinds.iter().any(|k| k == code)),
            "no case accepts kind {code}"
        );
    }
    let mut seen = std::collections::HashSet::new();
    for c in &cases {
        assert!(
            seen.insert(c.name.as_str()),
            "{CASES}:{}: `{}` is listed twice",
            c.line,
            c.name
        );
    }
}

#[test]
fn resolve_puts_the_right_place_first_for_news_names() {
    let cases = parse_cases();
    // A few processes at a time: each run takes some 20 ms.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4);
    let chunk = cases.len().div_ceil(threads).max(1);
    let results: Vec<Result<(), String>> = std::thread::scope(|s| {
        let handles: Vec<_> = cases
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(check).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a worker panicked"))
            .collect()
    });
    let failures: Vec<String> = cases
        .iter()
        .zip(&results)
        .filter_map(|(c, r)| {
            r.as_ref().err().map(|e| {
                let note = if c.note.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", c.note)
                };
                format!(
                    "  {CASES}:{}: {:?}: expected {}{note}\n      {e}",
                    c.line,
                    c.name,
                    c.expected()
                )
            })
        })
        .collect();
    println!(
        "resolve cases: {} passed of {}",
        cases.len() - failures.len(),
        cases.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} resolve cases put a wrong place first:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
