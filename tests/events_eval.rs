//! The events development set (tests/data/events/, written by the project) and the
//! regression floor of `geoevents eval-events` on it (issue 13).

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use common::{geoevents, stderr};

fn dev_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/events")
}

fn records() -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for f in ["dev-a.jsonl", "dev-b.jsonl"] {
        let text = std::fs::read_to_string(dev_dir().join(f)).unwrap();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            out.push(serde_json::from_str(line).unwrap());
        }
    }
    out
}

/// The ontology's (type -> ACLED type, sub-type) as the binary knows it.
fn ontology() -> BTreeMap<String, (Option<String>, Option<String>)> {
    let text = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("events/ontology.tsv"),
    )
    .unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
            (c[0].to_string(), (opt(c[3]), opt(c[4])))
        })
        .collect()
}

#[test]
fn the_dev_set_covers_what_issue_13_asks() {
    let recs = records();
    let onto = ontology();
    let reports = recs.iter().filter(|r| r["kind"] == "report").count();
    let articles = recs.iter().filter(|r| r["kind"] == "article").count();
    assert!(reports >= 300, "{reports} reports");
    assert!(articles >= 20, "{articles} articles");
    let mut countries = BTreeSet::new();
    let mut subtypes = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for r in &recs {
        assert!(
            ids.insert(r["id"].as_str().unwrap().to_string()),
            "id twice: {}",
            r["id"]
        );
        let events = r["events"].as_array().unwrap();
        assert!(!events.is_empty(), "{} has no gold event", r["id"]);
        for e in events {
            let ty = e["event_type"].as_str().unwrap();
            let (acled, sub) = onto
                .get(ty)
                .unwrap_or_else(|| panic!("{}: type {ty}", r["id"]));
            assert_eq!(
                e["acled_event_type"].as_str(),
                acled.as_deref(),
                "{}",
                r["id"]
            );
            assert_eq!(
                e["acled_sub_event_type"].as_str(),
                sub.as_deref(),
                "{}",
                r["id"]
            );
            let (lat, lon) = (e["lat"].as_f64().unwrap(), e["lon"].as_f64().unwrap());
            assert!(lat.abs() <= 90.0 && lon.abs() <= 180.0, "{}", r["id"]);
            if let Some(c) = e["country"].as_str() {
                countries.insert(c.to_string());
            }
            if let Some(s) = sub {
                subtypes.insert(s.clone());
            }
        }
    }
    assert!(countries.len() >= 60, "{} countries", countries.len());
    let all_subtypes: BTreeSet<String> = onto
        .values()
        .filter_map(|(a, s)| a.as_ref().and(s.clone()))
        .collect();
    let missing: Vec<&String> = all_subtypes.difference(&subtypes).collect();
    assert!(
        missing.is_empty(),
        "sub-event types without a gold event: {missing:?}"
    );
}

/// Floors at the level the events stage reaches on the dev set (see BENCHMARKS.md);
/// a change that lowers them is a regression.
#[test]
fn eval_events_floor() {
    let out = geoevents(&["eval-events", dev_dir().to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let all = &v["all"];
    let f = |k: &str| all[k].as_f64().unwrap();
    assert_eq!(all["reports"], 477, "{all}");
    assert!(f("with_event") >= 0.94, "{all}");
    assert!(f("type_agreement") >= 0.73, "{all}");
    assert!(f("acc_161km") >= 0.86, "{all}");
    assert!(f("date_agreement") >= 0.80, "{all}");
    assert!(f("fatalities_agreement") >= 0.75, "{all}");
}

/// `eval-events` names the file and line of a bad gold record.
#[test]
fn eval_events_rejects_a_bad_record() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("gold.jsonl");
    std::fs::write(
        &p,
        "{\"id\":\"a\",\"text\":\"x\",\"events\":[]}\n{not json\n",
    )
    .unwrap();
    let out = geoevents(&["eval-events", p.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("gold.jsonl line 2"), "{err}");
}
