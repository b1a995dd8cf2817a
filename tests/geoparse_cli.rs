//! `geoevents geoparse` and `geoevents eval` on JSON Lines (issue 4).

mod common;

use common::{geoevents, shared, stderr, stdout};

fn write_corpus(dir: &std::path::Path) -> std::path::PathBuf {
    // Character offsets, not bytes: "Zürich" and "São Paulo" come before the places scored.
    let docs = [
        serde_json::json!({"id": "a", "text": "Über Zürich flogen Jets. Later the ships sailed from Vladivostok to the Sea of Japan.",
            "toponyms": [{"start": 5, "end": 11, "name": "Zürich", "lat": 47.37, "lon": 8.54},
                         {"start": 53, "end": 64, "name": "Vladivostok", "lat": 43.1, "lon": 131.9}]}),
        serde_json::json!({"id": 7, "text": "Protesters gathered in São Paulo on Monday.",
            "toponyms": [{"start": 23, "end": 32, "name": "São Paulo", "lat": -23.55, "lon": -46.63}]}),
    ];
    let path = dir.join("corpus.jsonl");
    std::fs::write(
        &path,
        docs.iter()
            .map(|d| d.to_string() + "\n")
            .collect::<String>(),
    )
    .unwrap();
    path
}

#[test]
fn jsonl_mentions_use_character_offsets_in_input_order() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = write_corpus(tmp.path());
    let out = geoevents(&["geoparse", "--jsonl", corpus.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[1]["id"], "7");
    let text: Vec<char> =
        "Über Zürich flogen Jets. Later the ships sailed from Vladivostok to the Sea of Japan."
            .chars()
            .collect();
    let names: Vec<String> = lines[0]["mentions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            let (s, e) = (
                m["start"].as_u64().unwrap() as usize,
                m["end"].as_u64().unwrap() as usize,
            );
            let span: String = text[s..e].iter().collect();
            assert_eq!(span, m["name"].as_str().unwrap());
            for key in ["lat", "lon", "place_id", "kind", "type", "score"] {
                assert!(m.get(key).is_some(), "{key} missing in {m}");
            }
            span
        })
        .collect();
    for want in ["Zürich", "Vladivostok", "Sea of Japan"] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
}

#[test]
fn given_spans_are_resolved_not_found() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = write_corpus(tmp.path());
    let out = geoevents(&[
        "geoparse",
        "--jsonl",
        corpus.to_str().unwrap(),
        "--given-spans",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let first: serde_json::Value =
        serde_json::from_str(stdout(&out).lines().next().unwrap()).unwrap();
    let ms = first["mentions"].as_array().unwrap();
    assert_eq!(ms.len(), 2, "only the two given spans: {ms:?}");
    assert_eq!(ms[0]["start"], 5);
    assert!((ms[1]["lon"].as_f64().unwrap() - 131.9).abs() < 0.5);
}

#[test]
fn eval_reports_every_metric() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = write_corpus(tmp.path());
    let out = geoevents(&["eval", corpus.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    for key in [
        "detection_precision",
        "detection_recall",
        "detection_f1",
        "end_to_end_acc161",
        "resolution_acc161",
        "resolution_mean_error_km",
        "resolution_median_error_km",
        "resolution_auc",
        "documents_per_second",
    ] {
        assert!(v[key].is_number(), "{key} missing in {v}");
    }
    assert_eq!(v["gold_toponyms"], 3);
    assert_eq!(v["resolution_acc161"], 1.0, "{v}");
}

#[test]
fn a_bad_jsonl_line_names_the_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"id\": 1, \"text\": \"ok\"}\n{not json\n").unwrap();
    let out = geoevents(&["geoparse", "--jsonl", bad.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("bad.jsonl line 2"), "{err}");
    assert_eq!(err.trim().lines().count(), 1);
}

/// A regression floor on the development corpus, a little below what it scores now, so a
/// change that breaks recognition or resolution fails here; resolution-only is held at
/// the target of 0.93.
#[test]
fn geowebnews_does_not_regress() {
    let Some(corpus) = shared("eval/geowebnews.jsonl") else {
        return;
    };
    let out = geoevents(&["eval", corpus.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    println!("{v}");
    assert!(v["detection_f1"].as_f64().unwrap() >= 0.90, "{v}");
    assert!(v["end_to_end_acc161"].as_f64().unwrap() >= 0.82, "{v}");
    assert!(v["resolution_acc161"].as_f64().unwrap() >= 0.93, "{v}");
}

/// A floor on WikToR's development part (issue 14): Wikipedia openings about places that
/// share a name ("Kent is a town in Putnam County, New York"). Only the article's own
/// place is annotated, so only resolution of given spans means something; the floor sits
/// a little below what the resolver scores now (0.23 before it read the document).
#[test]
fn wiktor_resolution_does_not_regress() {
    let Some(corpus) = shared("eval/wiktor-dev.jsonl") else {
        return;
    };
    let out = geoevents(&["eval", corpus.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    println!("{v}");
    assert!(
        v["resolution_acc161"].as_f64().unwrap() >= WIKTOR_FLOOR,
        "{v}"
    );
}

/// See `wiktor_resolution_does_not_regress`.
const WIKTOR_FLOOR: f64 = 0.75;

#[test]
fn bad_toponym_spans_are_refused_with_what_is_wrong() {
    let tmp = tempfile::tempdir().unwrap();
    for (span, problem) in [
        ((5, 5), "is empty or reversed"),
        ((5, 99), "is outside the text"),
    ] {
        let path = tmp.path().join("bad.jsonl");
        let doc = serde_json::json!({"id": "x", "text": "Ships left Vladivostok.",
            "toponyms": [{"start": span.0, "end": span.1, "name": "?", "lat": 0.0, "lon": 0.0}]});
        std::fs::write(&path, doc.to_string() + "\n").unwrap();
        let out = geoevents(&[
            "geoparse",
            "--jsonl",
            path.to_str().unwrap(),
            "--given-spans",
        ]);
        assert!(!out.status.success());
        let err = stderr(&out);
        assert!(
            err.contains("bad.jsonl line 1") && err.contains(problem),
            "{err}"
        );
        assert!(stdout(&out).is_empty());
    }
}
