//! Size limits and cost of odd input shapes (issue 16): a document over
//! `--max-doc-size` is refused at once, naming the file; one such JSON Lines record is
//! skipped with its line, the others mapped.

mod common;

use common::{geoevents, stderr};

#[test]
fn a_file_over_the_limit_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let big = tmp.path().join("scrape.txt");
    // 2.5 MB of one line: over a 1 MB limit.
    std::fs::write(&big, "Troops moved from Paris to Berlin. ".repeat(72_000)).unwrap();
    let out_dir = tmp.path().join("out");
    let o = geoevents(&[
        "map",
        big.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "--max-doc-size",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("scrape.txt") && err.contains("1 MB limit"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "one error line: {err}");
    assert!(!out_dir.exists(), "nothing written");
}

#[test]
fn a_record_over_the_limit_is_skipped_with_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("news.jsonl");
    let big = "Troops moved from Paris to Berlin. ".repeat(40_000);
    let lines = [
        serde_json::json!({"id": "a", "text": "Protesters marched in Lyon on Monday."}),
        serde_json::json!({"id": "b", "text": big}),
        serde_json::json!({"id": "c", "text": "An earthquake struck off Hokkaido."}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(&corpus, text).unwrap();
    let out_dir = tmp.path().join("out");
    let o = geoevents(&[
        "map",
        corpus.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "--format",
        "geojson",
        "--max-doc-size",
        "1",
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("news.jsonl line 2"), "{}", stderr(&o));
    let events: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("events.geojson")).unwrap())
            .unwrap();
    let docs: std::collections::BTreeSet<&str> = events["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["doc_id"].as_str().unwrap())
        .collect();
    assert_eq!(docs, ["a", "c"].into_iter().collect());
}

/// One sentence repeated in one document is linear work: the events of every sentence
/// merge into one event per type and place, which lists a bounded number of its reports
/// and counts them all.
#[test]
fn one_sentence_repeated_merges_into_bounded_events() {
    let tmp = tempfile::tempdir().unwrap();
    let doc = tmp.path().join("transcript.txt");
    std::fs::write(&doc, "Rebels attacked Goma on Monday. ".repeat(20_000)).unwrap();
    let out_dir = tmp.path().join("out");
    let o = geoevents(&[
        "map",
        doc.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
        "--format",
        "geojson",
        "--date",
        "2024-01-10",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let events: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("events.geojson")).unwrap())
            .unwrap();
    let f = events["features"].as_array().unwrap();
    assert_eq!(f.len(), 1, "one event: {}", f.len());
    assert_eq!(f[0]["properties"]["reports"], 20_000);
    let also = f[0]["properties"]["also_in"].as_str().unwrap();
    assert!(also.split(';').count() <= 50, "bounded evidence list");
}
