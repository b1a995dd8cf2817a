//! Running the pipeline over a stream of documents in bounded memory: documents
//! are read lazily, gathered into chunks of a few megabytes, analysed on all
//! cores, and handed on in input order; a progress bar (on a terminal, when the
//! work is long) and a summary report on standard error.

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::gazetteer::{Gazetteer, PlaceId};
use crate::input::{Document, Documents, InputError, Item};

/// A chunk closes at this much text, or at `CHUNK_DOCS` documents.
const CHUNK_BYTES: usize = 4 << 20;
const CHUNK_DOCS: usize = 2048;
/// The progress bar appears only once the work has taken this long.
const PROGRESS_AFTER: Duration = Duration::from_millis(800);

/// What one document contributed, for the summary.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    /// The places its mentions resolved to.
    pub places: Vec<PlaceId>,
    /// Its events (one per event, whatever its number of places).
    pub events: usize,
}

/// The totals of a run, reported at its end.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    /// Documents read and analysed.
    pub documents: usize,
    /// Distinct places resolved.
    pub places: usize,
    /// Events found.
    pub events: usize,
    /// Records and files skipped as bad.
    pub skipped: usize,
    /// Bytes of input read.
    pub bytes: u64,
    /// Wall-clock time.
    pub seconds: f64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mb = self.bytes as f64 / 1e6;
        write!(
            f,
            "{} documents, {} places, {} events, {} skipped in {:.2} s ({:.1} MB, {:.1} MB/s)",
            self.documents,
            self.places,
            self.events,
            self.skipped,
            self.seconds,
            mb,
            if self.seconds > 0.0 {
                mb / self.seconds
            } else {
                0.0
            }
        )
    }
}

/// How a stream run talks to the user.
#[derive(Clone, Copy, Debug, Default)]
pub struct Report {
    /// No progress bar (skipped records are still reported).
    pub quiet: bool,
    /// Total input bytes, when known (for the bar's ETA).
    pub total_bytes: Option<u64>,
}

/// Reads `docs` in chunks, runs `work` on each document of a chunk in parallel,
/// and gives `sink` the results of each chunk in input order. Skipped records
/// are reported on `log` as they come; a fatal input error stops the run.
///
/// Memory is bounded by the chunk size (a few megabytes of text and what
/// `work` makes of it), not by the input.
pub fn run_chunks<T, W, S>(
    gaz: &Gazetteer,
    docs: &mut Documents,
    report: Report,
    log: &mut dyn Write,
    work: W,
    mut sink: S,
) -> Result<Summary, crate::Error>
where
    T: Send,
    W: Fn(&Gazetteer, Document) -> (Counts, T) + Sync,
    S: FnMut(Vec<T>, &mut dyn Write) -> Result<(), crate::Error>,
{
    let t0 = Instant::now();
    let mut summary = Summary::default();
    let mut places: FxHashSet<PlaceId> = FxHashSet::default();
    let mut progress = Progress::new(report);
    let mut chunk: Vec<Document> = Vec::new();
    let mut chunk_bytes = 0;
    let mut done = false;
    while !done {
        match docs.next() {
            Some(Ok(Item::Doc(d))) => {
                chunk_bytes += d.text.len();
                chunk.push(d);
            }
            Some(Ok(Item::Skipped(e))) => {
                summary.skipped += 1;
                progress.println(log, &skipped_line(&e));
            }
            Some(Err(e)) => return Err(e.into()),
            None => done = true,
        }
        if chunk.is_empty() || !(done || chunk_bytes >= CHUNK_BYTES || chunk.len() >= CHUNK_DOCS) {
            continue;
        }
        let batch = std::mem::take(&mut chunk);
        chunk_bytes = 0;
        summary.documents += batch.len();
        let results: Vec<(Counts, T)> = batch.into_par_iter().map(|d| work(gaz, d)).collect();
        let mut out = Vec::with_capacity(results.len());
        for (c, t) in results {
            summary.events += c.events;
            places.extend(c.places);
            out.push(t);
        }
        progress.update(docs.bytes_read(), summary.documents, t0);
        progress.suspend(|| sink(out, log))?;
    }
    progress.finish();
    summary.places = places.len();
    summary.bytes = docs.bytes_read();
    summary.seconds = t0.elapsed().as_secs_f64();
    Ok(summary)
}

/// The line that reports a skipped record.
pub fn skipped_line(e: &InputError) -> String {
    format!("geoevents: skipped {e}")
}

/// A progress bar on standard error, shown only on a terminal and once the work is long.
struct Progress {
    enabled: bool,
    total: Option<u64>,
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(report: Report) -> Progress {
        Progress {
            enabled: !report.quiet && std::io::stderr().is_terminal(),
            total: report.total_bytes,
            bar: None,
        }
    }

    fn update(&mut self, bytes: u64, documents: usize, t0: Instant) {
        if !self.enabled {
            return;
        }
        if self.bar.is_none() && t0.elapsed() >= PROGRESS_AFTER {
            let hidden = indicatif::ProgressDrawTarget::hidden();
            let (bar, template) = match self.total {
                Some(n) => (
                    indicatif::ProgressBar::with_draw_target(Some(n), hidden),
                    "{elapsed_precise} [{wide_bar}] {binary_bytes}/{binary_total_bytes} \
                     {binary_bytes_per_sec}, {msg}, ETA {eta}",
                ),
                None => (
                    indicatif::ProgressBar::with_draw_target(None, hidden),
                    "{spinner} {elapsed_precise} {binary_bytes} {binary_bytes_per_sec}, {msg}",
                ),
            };
            let bar = bar.with_elapsed(t0.elapsed());
            if let Ok(style) = indicatif::ProgressStyle::with_template(template) {
                bar.set_style(style.progress_chars("=> "));
            }
            // The rate and ETA count from here, not from an instant jump to `bytes`.
            bar.set_message(format!("{documents} documents"));
            bar.set_position(bytes);
            bar.reset_eta();
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            self.bar = Some(bar);
            return;
        }
        if let Some(bar) = &self.bar {
            bar.set_message(format!("{documents} documents"));
            bar.set_position(bytes);
        }
    }

    fn println(&self, log: &mut dyn Write, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| {
                let _ = writeln!(log, "{line}");
            }),
            None => {
                let _ = writeln!(log, "{line}");
            }
        }
    }

    fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// Total size of the inputs when all are files (for the progress bar's ETA).
pub fn total_bytes(inputs: &[crate::input::Input]) -> Option<u64> {
    inputs.iter().try_fold(0u64, |n, i| match &i.source {
        crate::input::Source::File(p) => Some(n + std::fs::metadata(p).ok()?.len()),
        crate::input::Source::Stdin => None,
    })
}
