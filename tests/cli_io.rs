//! Issue 15: standard input and output, folders, globs, bad JSON Lines records,
//! a closed pipe, exit codes, output folders, `--help` of every command and
//! shell completions, all through the built binary on real files.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

use common::{geoevents, shared, stderr, stdout};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_geoevents"));
    c.current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

/// Runs the binary with `input` on standard input.
fn with_stdin(args: &[&str], input: &[u8]) -> std::process::Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    out
}

/// The Features of a GeoJSON text sequence on stdout.
fn features(out: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str(l.trim_start_matches('\u{1e}'))
                .unwrap_or_else(|e| panic!("not a GeoJSON record: {e}: {l}"))
        })
        .collect()
}

const SEED_LIKE: &str =
    "Chinese and Russian warships sailed through the Tsugaru Strait on Monday, \
    Japan's defence ministry said. The ships later held drills in the Sea of Japan.";

#[test]
fn stdin_article_to_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let o = tmp.path().join("out");
    let out = with_stdin(
        &["map", "-", "-o", o.to_str().unwrap(), "--format", "geojson"],
        SEED_LIKE.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).is_empty(),
        "stdout is for data: {}",
        stdout(&out)
    );
    let err = stderr(&out);
    assert!(
        err.contains("wrote ") && err.contains("events.geojson"),
        "{err}"
    );
    assert!(err.contains("1 documents"), "no summary: {err}");
    let ev = common::read_json(&o.join("events.geojson"));
    let docs: Vec<&str> = ev["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["doc_id"].as_str().unwrap())
        .collect();
    assert!(
        !docs.is_empty() && docs.iter().all(|d| *d == "stdin"),
        "{docs:?}"
    );

    // A page piped in is read as HTML: the script's words are not the article's.
    let page =
        "<!DOCTYPE html><html><head><title>Talks</title><script>var city = 'Paris';</script>\
        </head><body><p>Diplomats met in <b>Geneva</b> on Tuesday.</p></body></html>";
    let o = tmp.path().join("page");
    let out = with_stdin(
        &["map", "-", "-o", o.to_str().unwrap(), "--format", "csv"],
        page.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let places = std::fs::read_to_string(o.join("places.csv")).unwrap();
    assert!(
        places.contains("Geneva") && !places.contains("Paris"),
        "{places}"
    );
}

#[test]
fn jsonl_on_stdin_streams_features_in_order() {
    let lines: String = (0..6)
        .map(|i| {
            format!(
                "{}\n",
                serde_json::json!({"id": format!("d{i}"), "date": "2024-07-15", "text": SEED_LIKE})
            )
        })
        .collect();
    let out = with_stdin(
        &["map", "--jsonl", "-", "--format", "geojsonseq", "-o", "-"],
        lines.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let f = features(&out.stdout);
    assert!(f.len() >= 6, "{} features", f.len());
    let docs: Vec<String> = f
        .iter()
        .map(|f| f["properties"]["doc_id"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = docs.clone();
    sorted.sort();
    assert_eq!(docs, sorted, "features out of input order");
    assert!(f.iter().all(|f| f["type"] == "Feature"));
    assert!(stderr(&out).contains("6 documents"), "{}", stderr(&out));
    // -q silences the summary.
    let quiet = with_stdin(
        &[
            "-q",
            "map",
            "--jsonl",
            "-",
            "--format",
            "geojsonseq",
            "-o",
            "-",
        ],
        lines.as_bytes(),
    );
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
    assert_eq!(quiet.stdout, out.stdout);
}

#[test]
fn a_bad_jsonl_line_is_named_and_skipped_with_exit_3() {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("corpus.jsonl");
    let good = serde_json::json!({"id": "a", "text": SEED_LIKE}).to_string();
    let good2 = serde_json::json!({"id": "c", "title": "Talks", "url": "https://example.org/c",
        "date": "2024-07-15", "text": "Diplomats met in Geneva on Tuesday."})
    .to_string();
    std::fs::write(
        &corpus,
        format!("{good}\n{{\"id\": \"b\", \"text\": \n{good2}\n{{\"id\":\"d\"}}\n"),
    )
    .unwrap();
    let o = tmp.path().join("out");
    let out = geoevents(&[
        "map",
        corpus.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
        "--format",
        "geojson",
    ]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("corpus.jsonl line 2:"), "{err}");
    assert!(err.contains("corpus.jsonl line 4:"), "{err}");
    assert!(err.contains("2 skipped"), "{err}");
    let places = common::read_json(&o.join("places.geojson"));
    let doc_ids = places.to_string();
    assert!(
        doc_ids.contains("\"a\"") || doc_ids.contains("a,"),
        "{doc_ids}"
    );
    assert!(
        places["features"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["properties"]["name"] == "Geneva"),
        "the record after the bad line was not read"
    );
}

#[test]
fn folders_and_globs_are_read_recursively() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("articles");
    std::fs::create_dir_all(d.join("2024/07")).unwrap();
    std::fs::write(d.join("a.txt"), SEED_LIKE).unwrap();
    std::fs::write(
        d.join("2024/07/b.html"),
        "<html><head><title>Talks</title><script>var x='Paris';</script></head>\
         <body><p>Diplomats met in <b>Geneva</b> on Tuesday.</p></body></html>",
    )
    .unwrap();
    std::fs::write(
        d.join("2024/c.md"),
        "# Flood\n\nFloods hit Dhaka on Sunday.\n",
    )
    .unwrap();
    std::fs::write(d.join("2024/empty.txt"), "  \n").unwrap();
    std::fs::write(d.join("2024/photo.jpg"), b"\xff\xd8\xff").unwrap();
    let o = tmp.path().join("out");
    let out = geoevents(&[
        "map",
        d.to_str().unwrap(),
        "-o",
        o.to_str().unwrap(),
        "--format",
        "geojson",
    ]);
    // The empty file found in the folder is skipped, not fatal.
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("empty.txt"), "{err}");
    assert!(err.contains("3 documents"), "{err}");
    let names: Vec<String> = common::read_json(&o.join("places.geojson"))["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["name"].as_str().unwrap().to_string())
        .collect();
    for want in ["Geneva", "Dhaka", "Tsugaru Strait"] {
        assert!(names.iter().any(|n| n == want), "{want} not in {names:?}");
    }
    assert!(!names.iter().any(|n| n == "Paris"), "script text was read");

    let pattern = format!("{}/**/*.md", d.display());
    let o2 = tmp.path().join("out2");
    let out = geoevents(&[
        "map",
        &pattern,
        "-o",
        o2.to_str().unwrap(),
        "--format",
        "csv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 documents"), "{}", stderr(&out));
}

#[test]
fn a_closed_pipe_ends_quietly_with_exit_0() {
    let Some(corpus) = shared("eval/wiktor-dev.jsonl") else {
        return;
    };
    for args in [
        vec![
            "map",
            "--jsonl",
            corpus.to_str().unwrap(),
            "--format",
            "geojsonseq",
            "-o",
            "-",
        ],
        vec!["geoparse", "--jsonl", corpus.to_str().unwrap()],
        vec!["completions", "bash"],
    ] {
        let mut child = bin()
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read one line, then close the pipe, as `| head -1` does.
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0u8; 64];
        let n = std::io::Read::read(&mut stdout, &mut first).unwrap();
        assert!(n > 0);
        drop(stdout);
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(
            !err.contains("error") && !err.contains("panicked"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn stdout_takes_only_geojsonseq() {
    let out = geoevents(&["map", "examples/korea-strait-transit.txt", "-o", "-"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("geojsonseq"), "{}", stderr(&out));
    assert!(!std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("-")
        .exists());
}

#[test]
fn errors_are_printed_once() {
    let out = geoevents(&["map", "no/such/file.txt", "-o", "/tmp/never-written"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert_eq!(err.trim().lines().count(), 1, "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    let out = geoevents(&["map", "--no-such-option", "a.txt"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_second_run_replaces_its_own_files_only() {
    let tmp = tempfile::tempdir().unwrap();
    let o = tmp.path().join("out");
    let run = |formats: &str, force: bool| {
        let mut args = vec![
            "map",
            "examples/korea-strait-transit.txt",
            "-o",
            o.to_str().unwrap(),
            "--format",
            formats,
        ];
        if force {
            args.push("--force");
        }
        geoevents(&args)
    };
    let first = run("csv,kml", false);
    assert!(first.status.success(), "{}", stderr(&first));
    assert!(o.join("events.csv").exists() && o.join("geoevents.kml").exists());
    std::fs::write(o.join("my-notes.txt"), "mine").unwrap();
    let second = run("kml", false);
    assert!(second.status.success(), "{}", stderr(&second));
    assert!(!o.join("events.csv").exists(), "the old run's CSV stayed");
    assert!(o.join("geoevents.kml").exists());
    assert_eq!(
        std::fs::read_to_string(o.join("my-notes.txt")).unwrap(),
        "mine"
    );
    // A file we did not write is not overwritten without --force.
    std::fs::write(o.join("events.geojsonl"), "someone else's").unwrap();
    let third = run("geojsonseq", false);
    assert_eq!(third.status.code(), Some(1));
    assert!(stderr(&third).contains("--force"), "{}", stderr(&third));
    assert_eq!(
        std::fs::read_to_string(o.join("events.geojsonl")).unwrap(),
        "someone else's"
    );
    assert!(
        o.join("geoevents.kml").exists(),
        "a refused run removed files"
    );
    let forced = run("geojsonseq", true);
    assert!(forced.status.success(), "{}", stderr(&forced));
    assert_ne!(
        std::fs::read_to_string(o.join("events.geojsonl")).unwrap(),
        "someone else's"
    );
}

#[test]
fn every_command_has_help_with_examples() {
    let top = geoevents(&["--help"]);
    assert!(top.status.success());
    let text = stdout(&top);
    assert!(
        text.contains("Exit codes:") && text.contains("3  partial"),
        "{text}"
    );
    let commands = [
        "resolve",
        "map",
        "convert",
        "geoparse",
        "render",
        "gazetteer",
        "eval",
        "geocode",
        "completions",
    ];
    for c in commands {
        assert!(text.contains(c), "`{c}` missing from --help");
        let o = geoevents(&[c, "--help"]);
        assert!(o.status.success(), "{c} --help: {}", stderr(&o));
        let h = stdout(&o);
        assert!(h.contains("Usage: geoevents"), "{c}: {h}");
        assert!(h.contains("Examples:"), "{c} --help has no examples");
        assert!(
            h.contains(&format!("geoevents {c}")),
            "{c}: examples do not use it"
        );
    }
    for sub in ["stats", "search"] {
        let o = geoevents(&["gazetteer", sub, "--help"]);
        assert!(o.status.success());
    }
}

#[test]
fn completions_for_each_shell() {
    for (shell, mark) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef geoevents"),
        ("fish", "complete -c geoevents"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = geoevents(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let s = stdout(&o);
        assert!(s.contains(mark), "{shell}: no `{mark}`");
        for c in ["geocode", "place-column", "jsonl"] {
            assert!(s.contains(c), "{shell}: no `{c}`");
        }
    }
    if common::have_tool("bash") {
        let o = geoevents(&["completions", "bash"]);
        let tmp = tempfile::tempdir().unwrap();
        let f = tmp.path().join("c.bash");
        std::fs::write(&f, &o.stdout).unwrap();
        let check = Command::new("bash").arg("-n").arg(&f).output().unwrap();
        assert!(check.status.success(), "{}", stderr(&check));
    }
    let bad = geoevents(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
}
