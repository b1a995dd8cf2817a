//! Issue 16, untrusted input files of `map`: encodings, FIFOs, JSON Lines with
//! bad lines, deep nesting, huge lines, duplicate and hostile ids and titles.
//! What the issue asks for: bad lines of a JSON Lines file are skipped with a
//! message naming file and line and exit status 3; nothing is ever written
//! outside `-o`; output file names are sanitised. Cases that need src/input/ are
//! marked ignored for the lead to finish.

mod common;

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::stderr;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_geoevents"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

const TEXT: &str = "Protesters gathered in Lyon on Monday and police arrested 40 people.";

fn jsonl_line(id: &serde_json::Value, text: &str) -> String {
    serde_json::json!({"id": id, "text": text}).to_string()
}

/// Every file under `dir`, recursively, relative.
fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
            }
            out.push(p.strip_prefix(dir).unwrap().to_string_lossy().into_owned());
        }
    }
    out.sort();
    out
}

#[test]
fn utf16_with_a_bom_is_decoded_or_refused_naming_the_encoding() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, bom, le) in [
        ("le.txt", [0xff, 0xfe], true),
        ("be.txt", [0xfe, 0xff], false),
    ] {
        let p = tmp.path().join(name);
        let mut bytes = bom.to_vec();
        for u in TEXT.encode_utf16() {
            bytes.extend(if le { u.to_le_bytes() } else { u.to_be_bytes() });
        }
        std::fs::write(&p, bytes).unwrap();
        let out = tmp.path().join(format!("out-{name}"));
        let o = run(&["map", s(&p), "-o", s(&out), "--format", "geojson"]);
        let err = stderr(&o);
        assert!(!err.contains("panicked"), "{err}");
        if o.status.success() {
            let v = common::read_json(&out.join("places.geojson"));
            let found = v["features"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["properties"].to_string().contains("Lyon"));
            assert!(found, "{name}: decoded, but Lyon was not found");
        } else {
            assert!(
                err.contains(name) && err.contains("UTF-16"),
                "{name}: {err}"
            );
            assert!(!out.exists());
        }
    }
}

#[test]
fn a_fifo_is_read_or_refused_without_hanging() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("pipe.txt");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !made {
        eprintln!("skipping: mkfifo is not available");
        return;
    }
    let out = tmp.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_geoevents"))
        .args(["map", s(&fifo), "-o", s(&out), "--format", "geojson"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A writer, so a reader that opens the FIFO gets the text and an end of file.
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&fifo) {
                use std::io::Write;
                let _ = f.write_all(TEXT.as_bytes());
            }
        })
    };
    let t0 = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if t0.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            panic!("map on a FIFO hung");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    if o.status.success() {
        assert!(out.join("places.geojson").exists());
    } else {
        assert!(err.contains("pipe.txt"), "{err}");
        // Unblock the writer thread.
        let _ = std::fs::File::open(&fifo);
    }
    writer.join().unwrap();
}

/// A JSON Lines corpus whose line `bad` (1-based) is `bad_line`; the others are good.
fn corpus_with(dir: &Path, name: &str, bad: usize, bad_line: &str) -> std::path::PathBuf {
    let mut lines = Vec::new();
    for i in 1..=3 {
        if i == bad {
            lines.push(bad_line.to_string());
        } else {
            lines.push(jsonl_line(&format!("d{i}").into(), TEXT));
        }
    }
    let p = dir.join(name);
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    p
}

/// Skipped with a message naming the file and line, exit 3, the good lines mapped.
fn assert_skipped(o: &Output, file: &str, line: usize, out: &Path) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(o.status.code(), Some(3), "exit status: {err}");
    assert!(
        err.contains(file) && err.contains(&format!("line {line}")),
        "{err}"
    );
    assert!(
        out.join("places.geojson").exists(),
        "the good lines were not mapped"
    );
}

#[test]
fn json_lines_with_a_broken_line_a_missing_or_non_string_text_skip_that_line() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "broken.jsonl",
            r#"{"id": "d2", "text": "unfinished"#.to_string(),
        ),
        (
            "notext.jsonl",
            r#"{"id": "d2", "title": "no text"}"#.to_string(),
        ),
        ("numtext.jsonl", r#"{"id": "d2", "text": 42}"#.to_string()),
        (
            "arraytext.jsonl",
            r#"{"id": "d2", "text": ["a", "b"]}"#.to_string(),
        ),
    ];
    for (name, line) in cases {
        let p = corpus_with(tmp.path(), name, 2, &line);
        let out = tmp.path().join(format!("out-{name}"));
        let o = run(&["map", s(&p), "-o", s(&out), "--format", "geojson"]);
        assert_skipped(&o, name, 2, &out);
    }
}

#[test]
fn json_lines_with_bad_lines_never_panic_and_name_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let deep_obj = format!(r#"{{"id": "d2", "text": "x", "extra": {deep}}}"#);
    let cases = [
        (
            "broken.jsonl",
            r#"{"id": "d2", "text": "unfinished"#.to_string(),
        ),
        (
            "notext.jsonl",
            r#"{"id": "d2", "title": "no text"}"#.to_string(),
        ),
        ("numtext.jsonl", r#"{"id": "d2", "text": 42}"#.to_string()),
        ("deep.jsonl", deep),
        ("deepfield.jsonl", deep_obj),
    ];
    for (name, line) in cases {
        let p = corpus_with(tmp.path(), name, 2, &line);
        let out = tmp.path().join(format!("out-{name}"));
        let o = run(&["map", s(&p), "-o", s(&out), "--format", "geojson"]);
        let err = stderr(&o);
        assert!(
            !err.contains("panicked") && !err.contains("overflow"),
            "{name}: {err}"
        );
        if !o.status.success() {
            assert!(
                err.contains(name) && err.contains("line 2"),
                "{name}: {err}"
            );
        }
    }
}

#[test]
fn a_50_mb_line_is_handled_in_bounded_time_and_memory() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("huge.jsonl");
    let sentence = "Troops moved from Paris to Berlin. Protesters gathered in Lyon. ";
    let text = sentence.repeat(50_000_000 / sentence.len());
    std::fs::write(
        &p,
        jsonl_line(&"big".into(), &text) + "\n" + &jsonl_line(&"small".into(), TEXT) + "\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let mut child = Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 8000000; exec \"$0\" \"$@\"")
        .arg(env!("CARGO_BIN_EXE_geoevents"))
        .args(["map", s(&p), "-o", s(&out), "--format", "geojson"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if t0.elapsed() > Duration::from_secs(300) {
            let _ = child.kill();
            panic!("a 50 MB line took more than 300 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    eprintln!(
        "50 MB line: {:.1} s, exit {:?}",
        t0.elapsed().as_secs_f64(),
        o.status.code()
    );
    assert!(
        !err.contains("panicked") && !err.contains("memory allocation"),
        "{err}"
    );
    if !o.status.success() {
        assert!(err.contains("huge.jsonl"), "{err}");
    }
}

#[test]
fn duplicate_ids_keep_every_document() {
    let tmp = tempfile::tempdir().unwrap();
    let p = tmp.path().join("dups.jsonl");
    let lines = [
        jsonl_line(&"same".into(), "Protesters gathered in Lyon on Monday."),
        jsonl_line(
            &"same".into(),
            "Shelling near Kharkiv killed three civilians on Monday.",
        ),
    ];
    std::fs::write(&p, lines.join("\n")).unwrap();
    let out = tmp.path().join("out");
    let o = run(&["map", s(&p), "-o", s(&out), "--format", "geojson"]);
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    if o.status.success() {
        let v = common::read_json(&out.join("places.geojson"));
        let all = v.to_string();
        assert!(
            all.contains("Lyon") && all.contains("Kharkiv"),
            "a duplicate id dropped a document"
        );
    } else {
        assert!(err.contains("dups.jsonl") && err.contains("same"), "{err}");
    }
}

#[test]
fn hostile_ids_and_titles_write_nothing_outside_out() {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let victim = tmp.path().join("victim.geojson");
    let ids = [
        "../victim",
        "../../victim",
        "/tmp/geoevents-absolute-victim",
        s(&victim),
        "a/b/c",
        "bell\u{7}tab\tnl\nesc\u{1b}[31m",
        "..",
        ".",
        "",
        "con",
        "nul\u{0}byte",
    ];
    let mut lines = Vec::new();
    for id in ids {
        lines.push(
            serde_json::json!({"id": id, "title": format!("../{id}"), "text": TEXT}).to_string(),
        );
    }
    let p = work.join("hostile.jsonl");
    std::fs::write(&p, lines.join("\n")).unwrap();
    let out = work.join("out");
    let before: Vec<String> = tree(tmp.path());
    let o = run(&[
        "map",
        s(&p),
        "-o",
        s(&out),
        "--format",
        "geojson,geojsonseq,gpkg,csv,kml,png,svg",
    ]);
    let err = stderr(&o);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!victim.exists(), "a file was written outside -o");
    assert!(!Path::new("/tmp/geoevents-absolute-victim").exists());
    assert!(!Path::new("/tmp/geoevents-absolute-victim.geojson").exists());
    let after: Vec<String> = tree(tmp.path())
        .into_iter()
        .filter(|f| !f.starts_with("work/out"))
        .collect();
    let mut expected = before.clone();
    expected.retain(|f| !f.starts_with("work/out"));
    assert_eq!(after, expected, "files appeared outside -o");
    if out.exists() {
        for f in tree(&out) {
            assert!(
                !f.chars().any(|c| c.is_control()),
                "an output file name has a control character: {f:?}"
            );
        }
    }
}
