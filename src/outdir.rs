//! Output folders: a run replaces the files an earlier run of ours wrote there
//! and leaves every other file alone. What a run wrote is listed in a small
//! manifest, `.geoevents-manifest`, one file name a line; a file the manifest
//! does not list is someone else's and is overwritten only with `--force`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The manifest's file name inside the output folder.
pub const MANIFEST: &str = ".geoevents-manifest";

const HEADER: &str =
    "# Files the last `geoevents` run wrote in this folder; the next run replaces them.";

/// Errors preparing an output folder.
#[derive(Debug, thiserror::Error)]
pub enum OutDirError {
    #[error("{} exists and was not written by geoevents; use --force to overwrite it, or choose another folder with -o", path.display())]
    NotOurs { path: PathBuf },
    #[error("{} is not a folder", path.display())]
    NotAFolder { path: PathBuf },
    #[error("cannot update {}: {message}", path.display())]
    Manifest { path: PathBuf, message: String },
}

/// The files an earlier run wrote in `dir` (names relative to it).
fn previous(dir: &Path) -> BTreeSet<String> {
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else {
        return BTreeSet::new();
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        // Only plain names: a manifest never sends us outside the folder.
        .filter(|l| !l.contains('/') && !l.contains('\\') && *l != ".." && *l != ".")
        .map(str::to_string)
        .collect()
}

fn name_in(dir: &Path, p: &Path) -> Option<String> {
    let rel = p.strip_prefix(dir).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?;
    if parts.next().is_some() {
        return None;
    }
    Some(first.as_os_str().to_string_lossy().into_owned())
}

/// Checks that writing `planned` (paths inside `dir`) overwrites nothing that is
/// not ours, unless `force`. Call before writing anything.
pub fn check(dir: &Path, planned: &[PathBuf], force: bool) -> Result<(), OutDirError> {
    if dir.exists() && !dir.is_dir() {
        return Err(OutDirError::NotAFolder { path: dir.into() });
    }
    if force {
        return Ok(());
    }
    let ours = previous(dir);
    for p in planned {
        let known = name_in(dir, p).is_some_and(|n| ours.contains(&n));
        if p.exists() && !known {
            return Err(OutDirError::NotOurs { path: p.clone() });
        }
    }
    Ok(())
}

/// After a run wrote `written` in `dir`: removes what the earlier run wrote and
/// this one did not, and records this run's files. Returns the files removed.
pub fn commit(dir: &Path, written: &[PathBuf]) -> Result<Vec<PathBuf>, OutDirError> {
    let now: BTreeSet<String> = written.iter().filter_map(|p| name_in(dir, p)).collect();
    let mut removed = Vec::new();
    for old in previous(dir).difference(&now) {
        let p = dir.join(old);
        if p.is_file() && std::fs::remove_file(&p).is_ok() {
            removed.push(p);
        }
    }
    let mut text = String::from(HEADER);
    text.push('\n');
    for n in &now {
        text.push_str(n);
        text.push('\n');
    }
    let path = dir.join(MANIFEST);
    crate::atomic::write_atomic(&path, text.as_bytes()).map_err(|e| OutDirError::Manifest {
        path,
        message: e.to_string(),
    })?;
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_run_replaces_ours_and_keeps_theirs() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("notes.txt"), "mine").unwrap();
        let first = vec![d.join("events.geojson"), d.join("routes.geojson")];
        check(d, &first, false).unwrap();
        for p in &first {
            std::fs::write(p, "1").unwrap();
        }
        commit(d, &first).unwrap();
        let second = vec![d.join("events.geojson")];
        check(d, &second, false).unwrap();
        std::fs::write(&second[0], "2").unwrap();
        let removed = commit(d, &second).unwrap();
        assert_eq!(removed, vec![d.join("routes.geojson")]);
        assert!(d.join("notes.txt").exists());
        // A file of the same name that is not ours needs --force.
        let theirs = vec![d.join("notes.txt")];
        assert!(matches!(
            check(d, &theirs, false),
            Err(OutDirError::NotOurs { .. })
        ));
        check(d, &theirs, true).unwrap();
    }

    #[test]
    fn the_manifest_cannot_point_outside() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path().join("out");
        std::fs::create_dir(&d).unwrap();
        std::fs::write(dir.path().join("keep.txt"), "x").unwrap();
        std::fs::write(d.join(MANIFEST), "../keep.txt\n/etc/passwd\n").unwrap();
        commit(&d, &[]).unwrap();
        assert!(dir.path().join("keep.txt").exists());
    }
}
