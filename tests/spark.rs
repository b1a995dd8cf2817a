//! Issue 15: geoevents as a filter under Apache Spark. A corpus goes through
//! Spark local[2] in 4 partitions, each piped through `geoevents map --jsonl -
//! --format geojsonseq -o -`, and the events must equal a single-process run.
//!
//! Needs pyspark in `.venv-spark` (`.ci/run` makes it:
//! `python3 -m venv .venv-spark && .venv-spark/bin/pip install 'pyspark>=4,<5'`)
//! and Java 17; skips with a note when pyspark is absent, unless CI=true.

mod common;

use std::path::Path;
use std::process::Command;

use common::{geoevents, shared, stderr};

/// The events of a GeoJSON text sequence, parsed, in order.
fn events(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|l| l.trim_start_matches('\u{1e}'))
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

#[test]
fn spark_pipe_equals_a_single_process_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let python = root.join(".venv-spark/bin/python");
    let have = python.exists()
        && Command::new(&python)
            .args(["-c", "import pyspark"])
            .output()
            .is_ok_and(|o| o.status.success());
    if !have {
        assert!(
            std::env::var("CI").map_or(true, |v| v != "true"),
            "CI=true but pyspark is not importable from .venv-spark (.ci/run installs it)"
        );
        eprintln!("skipping: pyspark is not installed in .venv-spark");
        return;
    }
    let Some(corpus) = shared("eval/geowebnews.jsonl") else {
        return;
    };
    let single = geoevents(&[
        "-q",
        "map",
        "--jsonl",
        corpus.to_str().unwrap(),
        "--format",
        "geojsonseq",
        "-o",
        "-",
    ]);
    assert!(single.status.success(), "{}", stderr(&single));
    let want = events(&String::from_utf8(single.stdout).unwrap());
    assert!(want.len() > 100, "only {} events", want.len());

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("spark.geojsonl");
    let run = Command::new(&python)
        .arg(root.join("tests/spark/pipe_corpus.py"))
        .arg(env!("CARGO_BIN_EXE_geoevents"))
        .arg(&corpus)
        .arg(&out)
        .arg("4")
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .env("PYSPARK_PYTHON", &python)
        .output()
        .expect("python runs");
    assert!(run.status.success(), "spark run failed: {}", stderr(&run));
    let got = events(&std::fs::read_to_string(&out).unwrap());
    assert_eq!(got.len(), want.len(), "feature counts differ");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_eq!(g, w, "feature {i} differs");
    }
}
