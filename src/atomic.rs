//! Writing files all at once: through a temporary file in the same folder and a
//! rename, so readers never see half a file and a failure leaves none behind.
//!
//! A write is staged (`stage`: the bytes in a temporary file, synced) and then
//! committed (`Staged::commit`: renamed over the target), so a caller can stage
//! several files and rename them only when all are ready. Temporary files are
//! named `.geoevents-tmp-<pid>-…` and are removed:
//! - when a `Staged` is dropped without being committed (an error, a panic);
//! - on SIGINT or SIGTERM, by a handler installed with the first staged file,
//!   which removes every temporary file of the process and exits (130 or 143);
//! - after SIGKILL (which nothing can catch), by the next run that writes into
//!   the same folder: it removes the temporary files of processes that are gone.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, OnceLock};

/// The start of every temporary file's name.
pub const TEMP_PREFIX: &str = ".geoevents-tmp-";

/// The temporary files of this process, and whether it is exiting on a signal.
#[derive(Default)]
struct Registry {
    live: HashSet<PathBuf>,
    exiting: bool,
    swept: HashSet<PathBuf>,
}

fn registry() -> MutexGuard<'static, Registry> {
    static R: OnceLock<Mutex<Registry>> = OnceLock::new();
    let m = R.get_or_init(|| {
        install_signal_handler();
        Mutex::new(Registry::default())
    });
    // A panic while holding the lock leaves the set usable.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// On SIGINT or SIGTERM: remove this process's temporary files, then exit.
fn install_signal_handler() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(sig) = signals.forever().next() {
            let mut r = registry();
            r.exiting = true;
            for p in r.live.drain() {
                remove_with_journal(&p);
            }
            // The lock stays held: no new temporary file can start before the exit.
            std::process::exit(128 + sig);
        }
    });
}

/// Removes a temporary file and the rollback journal SQLite may have left beside it.
fn remove_with_journal(p: &Path) {
    let _ = std::fs::remove_file(p);
    let mut j = p.as_os_str().to_owned();
    j.push("-journal");
    let _ = std::fs::remove_file(PathBuf::from(j));
}

fn exiting() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted by a signal")
}

/// Removes the temporary files other runs of geoevents left in `dir` when they were
/// killed: those whose process no longer exists. Once per folder and process.
fn sweep(dir: &Path, r: &mut Registry) {
    let proc_fs = Path::new("/proc/self");
    if !proc_fs.exists() || !r.swept.insert(dir.to_path_buf()) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let me = std::process::id();
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        let Some(pid) = rest.split('-').next().and_then(|p| p.parse::<u32>().ok()) else {
            continue;
        };
        if pid != me && !Path::new("/proc").join(pid.to_string()).exists() {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// A temporary file beside its target, ready to be renamed over it; removed if dropped.
pub struct Staged {
    tmp: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staged {
    /// The temporary file, for builders that need a path (SQLite).
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }

    /// The file it will replace.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Renames the temporary file over the target.
    pub fn commit(mut self) -> std::io::Result<()> {
        {
            let mut r = registry();
            if r.exiting {
                return Err(exiting());
            }
            std::fs::rename(&self.tmp, &self.target)?;
            r.live.remove(&self.tmp);
            self.committed = true;
        }
        // The rename itself is durable only once the folder is synced.
        if let Ok(d) = std::fs::File::open(folder(&self.target)) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.committed {
            let mut r = registry();
            remove_with_journal(&self.tmp);
            r.live.remove(&self.tmp);
        }
    }
}

fn folder(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Creates an empty temporary file beside `path` (with `suffix`), registered for clean-up.
pub fn stage_empty(path: &Path, suffix: &str) -> std::io::Result<(Staged, std::fs::File)> {
    let dir = folder(path);
    let mut r = registry();
    if r.exiting {
        return Err(exiting());
    }
    sweep(dir, &mut r);
    let (file, tmp) = tempfile::Builder::new()
        .prefix(&format!("{TEMP_PREFIX}{}-", std::process::id()))
        .suffix(suffix)
        .tempfile_in(dir)?
        .keep()
        .map_err(|e| e.error)?;
    r.live.insert(tmp.clone());
    drop(r);
    Ok((
        Staged {
            tmp,
            target: path.to_path_buf(),
            committed: false,
        },
        file,
    ))
}

/// Makes a staged file an ordinary file others may read (temporary files are
/// 0600), and syncs it to disk.
pub fn finish(file: &std::fs::File) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    file.sync_all()
}

/// Writes `bytes` to a temporary file beside `path`, synced, ready to commit.
pub fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<Staged> {
    let (staged, mut file) = stage_empty(path, "")?;
    file.write_all(bytes)?;
    finish(&file)?;
    Ok(staged)
}

/// Writes `bytes` to `path` atomically; the file gets mode 0644 on Unix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    stage(path, bytes)?.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn a_dropped_stage_leaves_nothing_and_the_old_file_intact() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        std::fs::write(&p, "old").unwrap();
        let s = stage(&p, b"new").unwrap();
        assert_eq!(names(dir.path()).len(), 2);
        drop(s);
        assert_eq!(names(dir.path()), vec!["a.txt"]);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "old");
        stage(&p, b"new").unwrap().commit().unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(names(dir.path()), vec!["a.txt"]);
    }

    #[test]
    fn temporary_files_of_dead_processes_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        // No process has a pid this large (the kernel's limit is 2^22).
        let stale = dir.path().join(format!("{TEMP_PREFIX}4294967290-abc"));
        std::fs::write(&stale, "half").unwrap();
        let mine = dir
            .path()
            .join(format!("{TEMP_PREFIX}{}-live", std::process::id()));
        std::fs::write(&mine, "busy").unwrap();
        write_atomic(&dir.path().join("b.txt"), b"x").unwrap();
        assert!(!stale.exists(), "a dead process's temporary file was kept");
        assert!(mine.exists(), "a live process's temporary file was removed");
    }
}
