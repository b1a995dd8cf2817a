//! Bad input: one clear error line naming the file, a non-zero exit, no output left behind.

mod common;

use common::{geoevents, stderr};

fn assert_refused(args: &[&str], out_dir: &std::path::Path, must_name: &str) {
    let out = geoevents(args);
    assert!(!out.status.success(), "{args:?} succeeded");
    let err = stderr(&out);
    assert_eq!(
        err.trim().lines().count(),
        1,
        "expected one error line, got: {err}"
    );
    assert!(
        err.contains(must_name),
        "error does not name {must_name}: {err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        !out_dir.exists(),
        "output folder {} was created",
        out_dir.display()
    );
}

#[test]
fn missing_empty_and_binary_inputs_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    let o = out_dir.to_str().unwrap();

    let missing = tmp.path().join("missing.txt");
    assert_refused(
        &["map", missing.to_str().unwrap(), "-o", o],
        &out_dir,
        "missing.txt",
    );

    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, "\n  \n").unwrap();
    assert_refused(
        &["map", empty.to_str().unwrap(), "-o", o],
        &out_dir,
        "empty.txt",
    );

    let binary = tmp.path().join("image.txt");
    std::fs::write(&binary, b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    assert_refused(
        &["map", binary.to_str().unwrap(), "-o", o],
        &out_dir,
        "image.txt",
    );

    let latin1 = tmp.path().join("latin1.txt");
    std::fs::write(&latin1, b"Warships off Bah\xeda in Brazil.").unwrap();
    assert_refused(
        &["map", latin1.to_str().unwrap(), "-o", o],
        &out_dir,
        "latin1.txt",
    );

    // One good file does not let a bad one through.
    let good = tmp.path().join("good.txt");
    std::fs::write(&good, "Protesters gathered in Paris on Monday.").unwrap();
    assert_refused(
        &[
            "map",
            good.to_str().unwrap(),
            empty.to_str().unwrap(),
            "-o",
            o,
        ],
        &out_dir,
        "empty.txt",
    );

    // A folder is read (issue 15): its bad files are named and skipped, the good one
    // is mapped, and the exit code (3) says something was skipped.
    let dir_as_input = tmp.path();
    let out = geoevents(&["map", dir_as_input.to_str().unwrap(), "-o", o]);
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    let err = stderr(&out);
    for bad in ["empty.txt", "image.txt", "latin1.txt"] {
        assert!(err.contains(bad), "{bad} not named: {err}");
    }
    assert!(out_dir.join("events.geojson").exists());
}

#[test]
fn existing_outputs_survive_a_failed_run() {
    let tmp = tempfile::tempdir().unwrap();
    let out_dir = tmp.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    std::fs::write(out_dir.join("events.geojson"), "old").unwrap();
    let empty = tmp.path().join("empty.txt");
    std::fs::write(&empty, "").unwrap();
    let out = geoevents(&[
        "map",
        empty.to_str().unwrap(),
        "-o",
        out_dir.to_str().unwrap(),
    ]);
    assert!(!out.status.success());
    assert_eq!(
        std::fs::read_to_string(out_dir.join("events.geojson")).unwrap(),
        "old"
    );
    assert_eq!(
        std::fs::read_dir(&out_dir).unwrap().count(),
        1,
        "a stray file was left in the output folder"
    );
}
