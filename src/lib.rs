//! geoevents turns news text into map layers.
//!
//! The pipeline runs one way: [`input`] reads documents, [`geoparse`] finds and
//! resolves place names against the [`gazetteer`], [`events`] attaches what
//! happened to where it happened, [`export`] writes GIS layers and [`render`]
//! draws the map. [`geocode`] places the rows of a table by a place-name column;
//! [`stream`] runs the pipeline over any number of documents in bounded memory.
//! [`run`] wires them for the command line.
//!
//! # Example: a string in, events out
//!
//! ```
//! use geoevents::{analyse_one, export, gazetteer::Gazetteer, input::Document};
//!
//! let gaz = Gazetteer::embedded()?;
//! let date = chrono::NaiveDate::from_ymd_opt(2024, 7, 17);
//! let doc = Document::from_text(
//!     "a1",
//!     "Two Chinese destroyers sailed through the Tsushima Strait on Monday.",
//!     date,
//! );
//! let a = analyse_one(&gaz, doc);
//! let strait = a.mentions.iter().map(|m| gaz.place(m.place)).find(|p| p.name == "Tsushima Strait");
//! assert!(strait.is_some());
//! // The events layer, written as GeoJSON Text Sequences into memory.
//! let layer = export::Layer::events(&gaz, &a.events);
//! let mut out = Vec::new();
//! export::geojsonseq::write_layer(&layer, &mut out)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Example: a table's place column, with its qualifiers
//!
//! ```
//! let gaz = geoevents::gazetteer::Gazetteer::embedded()?;
//! let m = geoevents::geocode::geocode(&gaz, "London", Some("Canada"), Some("Ontario")).unwrap();
//! assert_eq!(gaz.place(m.place).country, Some("CA"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The `examples/geoparse_string.rs` program does the same from the command line
//! (`cargo run --release --example geoparse_string -- "TEXT" [YYYY-MM-DD]`).

mod atomic;
pub mod cli;
pub mod coords;
pub mod evaluate;
pub mod event_eval;
pub mod events;
pub mod export;
pub mod gazetteer;
pub mod geocode;
pub mod geoparse;
pub mod input;
pub mod outdir;
pub mod render;
pub mod stream;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use rayon::prelude::*;

use events::Event;
use gazetteer::Gazetteer;
use geoparse::Mention;
use input::Document;
pub use render::scene::context_names;
use render::scene::map_spec;

/// Everything that can stop a command, each naming the file or input at fault.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Input(#[from] input::InputError),
    #[error("the built-in gazetteer is damaged: {0}")]
    Gazetteer(#[from] gazetteer::GazetteerError),
    #[error(transparent)]
    Export(#[from] export::ExportError),
    #[error(transparent)]
    Render(#[from] render::RenderError),
    #[error("cannot write to standard output")]
    Stdout(#[from] std::io::Error),
    #[error("no place in the gazetteer is called `{0}`")]
    NoSuchPlace(String),
    #[error(transparent)]
    Import(#[from] gazetteer::import::ImportError),
    #[error(transparent)]
    Layers(#[from] render::layers::LayerError),
    #[error(transparent)]
    EventEval(#[from] event_eval::EvalError),
    #[error("cannot tell the image format of {0}: use a name ending in .png or .svg")]
    OutputFormat(PathBuf),
    #[error(transparent)]
    OutDir(#[from] outdir::OutDirError),
    #[error(transparent)]
    Geocode(#[from] geocode::GeocodeError),
    /// The arguments do not go together (exit code 2, as for clap's own usage errors).
    #[error("{0}")]
    Usage(String),
    #[error("no document could be read from the input ({0} skipped)")]
    NothingRead(usize),
}

impl Error {
    /// The process exit code for this error: 2 for usage errors, else 1.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Usage(_) => exit::USAGE,
            _ => exit::ERROR,
        }
    }

    /// True when the error is standard output closed by its reader (`| head`),
    /// which ends a run quietly and successfully.
    pub fn is_broken_pipe(&self) -> bool {
        let mut e: Option<&(dyn std::error::Error + 'static)> = Some(self);
        while let Some(err) = e {
            if let Some(io) = err.downcast_ref::<std::io::Error>() {
                if io.kind() == std::io::ErrorKind::BrokenPipe {
                    return true;
                }
            }
            e = err.source();
        }
        false
    }
}

/// The exit codes of the `geoevents` command.
pub mod exit {
    /// Everything was read and written.
    pub const OK: u8 = 0;
    /// An error stopped the run (bad input file, unwritable output...); nothing half-written.
    pub const ERROR: u8 = 1;
    /// The command line is wrong (unknown option, options that do not go together).
    pub const USAGE: u8 = 2;
    /// The run finished, but some records or files of the input were bad and were skipped
    /// (each is named on standard error); the outputs hold the rest.
    pub const PARTIAL: u8 = 3;
}

/// How a command that finished went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Input records or files skipped as bad.
    pub skipped: usize,
}

impl Outcome {
    /// The process exit code: [`exit::OK`], or [`exit::PARTIAL`] when something was skipped.
    pub fn exit_code(&self) -> u8 {
        if self.skipped > 0 {
            exit::PARTIAL
        } else {
            exit::OK
        }
    }
}

/// What to do, validated.
#[derive(Clone, Debug)]
pub enum Command {
    Resolve {
        name: String,
        json: bool,
        limit: usize,
    },
    Map {
        /// Files, folders, glob patterns, or `-` for standard input.
        files: Vec<PathBuf>,
        /// Inputs read as JSON Lines whatever their names (`-` for standard input).
        jsonl: Vec<PathBuf>,
        /// The output folder, or `-` for standard output (GeoJSONSeq events only).
        out_dir: PathBuf,
        date: Option<NaiveDate>,
        title: Option<String>,
        /// What to write; never empty.
        formats: Vec<export::Format>,
        /// Overwrite files in the output folder that an earlier run did not write.
        force: bool,
        /// Largest document read, in bytes (`--max-doc-size`).
        max_doc_bytes: u64,
    },
    /// Places the rows of a table by its place-name column.
    Geocode(geocode::GeocodeOptions),
    /// Prints a shell completion script.
    Completions(clap_complete::Shell),
    /// Converts a layer file between our formats, chosen by extension.
    Convert {
        input: PathBuf,
        output: PathBuf,
    },
    Geoparse {
        files: Vec<PathBuf>,
        json: bool,
        explain: bool,
    },
    GeoparseJsonl {
        path: PathBuf,
        given_spans: bool,
    },
    Eval {
        corpus: PathBuf,
        json: bool,
    },
    /// Scores the events stage on gold event reports.
    EvalEvents {
        gold: Vec<PathBuf>,
        json: bool,
    },
    GazetteerStats,
    GazetteerSearch {
        text: String,
        limit: usize,
    },
    Render(RenderOptions),
}

/// `geoevents render`: GeoJSON files in, one PNG or SVG map out.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    pub files: Vec<PathBuf>,
    pub out: PathBuf,
    pub width: u32,
    pub height: u32,
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub extent: Option<coords::BBox>,
    pub projection: Option<render::Projection>,
}

/// The whole configuration of one run.
#[derive(Clone, Debug)]
pub struct Config {
    pub command: Command,
    /// A user gazetteer to add to the embedded one.
    pub gazetteer: Option<PathBuf>,
    /// No progress bar, no `wrote` lines, no summary: only errors and skipped records.
    pub quiet: bool,
}

/// One document after the pipeline: its mentions and events.
pub struct Analysed {
    pub doc: Document,
    pub mentions: Vec<Mention>,
    pub events: Vec<Event>,
}

/// Geoparses one document and extracts its events.
///
/// ```
/// let gaz = geoevents::gazetteer::Gazetteer::embedded().unwrap();
/// let doc = geoevents::input::Document::from_text("a", "Two destroyers sailed through the Tsugaru Strait on Monday.", None);
/// let a = geoevents::analyse_one(&gaz, doc);
/// assert!(a.mentions.iter().any(|m| gaz.place(m.place).name == "Tsugaru Strait"));
/// ```
pub fn analyse_one(gaz: &Gazetteer, doc: Document) -> Analysed {
    let (toks, mentions) = geoparse::geoparse(gaz, &doc.text);
    let events = events::extract_events(gaz, &doc, &toks, &mentions);
    Analysed {
        doc,
        mentions,
        events,
    }
}

/// Runs geoparsing and event extraction over documents, on all cores, in input order.
pub fn analyse(gaz: &Gazetteer, docs: Vec<Document>) -> Vec<Analysed> {
    docs.into_par_iter()
        .map(|doc| analyse_one(gaz, doc))
        .collect()
}

/// Runs a command, writing its data to `out` and what it reports to `log`.
pub fn run(config: &Config, out: &mut dyn Write, log: &mut dyn Write) -> Result<Outcome, Error> {
    let user = config.gazetteer.as_deref();
    let done = |r: Result<(), Error>| r.map(|()| Outcome::default());
    match &config.command {
        Command::Resolve { name, json, limit } => {
            done(resolve(name, *json, *limit, out, user, log))
        }
        Command::Map {
            files,
            jsonl,
            out_dir,
            date,
            title,
            formats,
            force,
            max_doc_bytes,
        } => map(
            &MapRun {
                files,
                jsonl,
                out_dir,
                date: *date,
                title: title.as_deref(),
                formats,
                force: *force,
                quiet: config.quiet,
                max_doc_bytes: *max_doc_bytes,
            },
            out,
            user,
            log,
        ),
        Command::Geocode(opts) => {
            let gaz = load_gazetteer(user, log)?;
            geocode::run(&gaz, opts, config.quiet, out, log)
        }
        Command::Completions(shell) => {
            done(cli::write_completions(*shell, out).map_err(Error::from))
        }
        Command::Convert { input, output } => {
            for line in export::convert(input, output)? {
                if !config.quiet {
                    let _ = writeln!(log, "{line}");
                }
            }
            Ok(Outcome::default())
        }
        Command::Geoparse {
            files,
            json,
            explain,
        } => done(geoparse_files(files, *json, *explain, out, user, log)),
        Command::GeoparseJsonl { path, given_spans } => {
            done(geoparse_jsonl(path, *given_spans, out, user, log))
        }
        Command::Eval { corpus, json } => done(eval(corpus, *json, out, user, log)),
        Command::EvalEvents { gold, json } => done(eval_events(gold, *json, out, user, log)),
        Command::GazetteerStats => done(gazetteer_stats(&load_gazetteer(user, log)?, out)),
        Command::GazetteerSearch { text, limit } => done(gazetteer_search(
            &load_gazetteer(user, log)?,
            text,
            *limit,
            out,
        )),
        Command::Render(opts) => done(render_files(opts, out, user, log)),
    }
}

/// The embedded gazetteer, plus the user's file when one is given.
pub fn load_gazetteer(
    user: Option<&std::path::Path>,
    log: &mut dyn Write,
) -> Result<Gazetteer, Error> {
    let Some(path) = user else {
        return Ok(Gazetteer::embedded()?);
    };
    let (g, cache) = Gazetteer::with_user_file(path)?;
    let _ = match cache {
        gazetteer::import::CacheUse::Built(c) => {
            writeln!(
                log,
                "geoevents: indexed {} ({} places in all) into {}",
                path.display(),
                g.len(),
                c.display()
            )
        }
        gazetteer::import::CacheUse::BuiltNotCached(why) => {
            writeln!(
                log,
                "geoevents: indexed {} but could not cache it: {why}",
                path.display()
            )
        }
        gazetteer::import::CacheUse::Reused(c) => {
            writeln!(log, "geoevents: using cached index {}", c.display())
        }
    };
    Ok(g)
}

fn gazetteer_stats(gaz: &Gazetteer, out: &mut dyn Write) -> Result<(), Error> {
    let mut by: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    for p in gaz.places() {
        *by.entry((p.kind.code(), format!("{:?}", p.source).to_lowercase()))
            .or_default() += 1;
    }
    writeln!(out, "{:<8} {:<14} {:>8}", "kind", "source", "places")?;
    for ((k, s), n) in &by {
        writeln!(out, "{k:<8} {s:<14} {n:>8}")?;
    }
    writeln!(out, "{:<8} {:<14} {:>8}", "total", "", gaz.len())?;
    Ok(())
}

fn gazetteer_search(
    gaz: &Gazetteer,
    text: &str,
    limit: usize,
    out: &mut dyn Write,
) -> Result<(), Error> {
    let prefix = gazetteer::normalize::name_key(text);
    for (key, entries) in gaz.keys_with_prefix(&prefix, limit) {
        let mut shown: Vec<String> = entries
            .iter()
            .take(5)
            .map(|e| {
                let p = gaz.place(e.place);
                format!(
                    "{} ({}, {})",
                    p.name,
                    p.kind.code(),
                    p.country.unwrap_or("-")
                )
            })
            .collect();
        if entries.len() > 5 {
            shown.push(format!("and {} more", entries.len() - 5));
        }
        writeln!(out, "{key:<32} {}", shown.join("; "))?;
    }
    Ok(())
}

/// One line of `geoparse --jsonl` output.
#[derive(serde::Serialize)]
struct DocRow<'a> {
    id: &'a str,
    mentions: Vec<MentionRow<'a>>,
}

/// A mention as `geoparse --jsonl` writes it (character offsets, end exclusive).
#[derive(serde::Serialize)]
struct MentionRow<'a> {
    start: usize,
    end: usize,
    name: &'a str,
    lat: f64,
    lon: f64,
    place_id: &'static str,
    kind: &'static str,
    #[serde(rename = "type")]
    mention_type: geoparse::MentionType,
    score: f64,
    /// Set on given spans the gazetteer does not know, placed at the story's place.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    by_context: bool,
}

impl<'a> MentionRow<'a> {
    fn new(gaz: &Gazetteer, m: &'a Mention) -> Self {
        let p = gaz.place(m.place);
        MentionRow {
            start: m.start,
            end: m.end,
            name: &m.text,
            lat: p.point.lat,
            lon: p.point.lon,
            place_id: p.id,
            kind: p.kind.code(),
            mention_type: m.mention_type,
            score: (m.score * 1000.0).round() / 1000.0,
            by_context: m.by_context,
        }
    }
}

fn mention_json(gaz: &Gazetteer, m: &Mention, explain: bool) -> serde_json::Value {
    let p = gaz.place(m.place);
    let mut v = serde_json::json!({
        "start": m.start,
        "end": m.end,
        "name": m.text,
        "lat": p.point.lat,
        "lon": p.point.lon,
        "place_id": p.id,
        "place_name": p.name,
        "kind": p.kind.code(),
        "country": p.country,
        "type": m.mention_type,
        "score": (m.score * 1000.0).round() / 1000.0,
    });
    if m.anaphor {
        v["anaphor"] = serde_json::Value::Bool(true);
    }
    if explain {
        v["why"] = serde_json::to_value(m.why).unwrap_or_default();
        v["candidates"] = m
            .candidates
            .iter()
            .map(|c| {
                let cp = gaz.place(c.place);
                serde_json::json!({"place_id": cp.id, "name": cp.name, "kind": cp.kind.code(),
                    "country": cp.country, "score": (c.score * 1000.0).round() / 1000.0, "why": c.why})
            })
            .collect();
    }
    v
}

fn geoparse_files(
    files: &[PathBuf],
    json: bool,
    explain: bool,
    out: &mut dyn Write,
    user_gazetteer: Option<&std::path::Path>,
    log: &mut dyn Write,
) -> Result<(), Error> {
    let docs = files
        .iter()
        .map(|f| input::read_text_file(f, None))
        .collect::<Result<Vec<_>, _>>()?;
    let gaz = load_gazetteer(user_gazetteer, log)?;
    let results: Vec<(Document, Vec<Mention>)> = docs
        .into_par_iter()
        .map(|d| {
            let m = geoparse::geoparse(&gaz, &d.text).1;
            (d, m)
        })
        .collect();
    for (doc, mentions) in &results {
        if json {
            let v = serde_json::json!({
                "id": doc.id,
                "mentions": mentions.iter().map(|m| mention_json(&gaz, m, explain)).collect::<Vec<_>>(),
            });
            writeln!(out, "{v}")?;
            continue;
        }
        writeln!(out, "# {}", doc.id)?;
        for m in mentions {
            let p = gaz.place(m.place);
            writeln!(
                out,
                "{:>6}-{:<6} {:<28} {:<10} -> {} ({}, {}) {:.4},{:.4}  score {:.3}",
                m.start,
                m.end,
                m.text,
                format!("{:?}", m.mention_type).to_lowercase(),
                p.name,
                p.kind.code(),
                p.country.unwrap_or("-"),
                p.point.lat,
                p.point.lon,
                m.score
            )?;
            if explain {
                let w = m.why;
                writeln!(
                    out,
                    "              prior {:.3} + name {:.3} + country focus {:.3} + admin1 focus {:.3} + coherence {:.3} + list {:.3}",
                    w.prior, w.name, w.country_focus, w.admin1_focus, w.coherence, w.list
                )?;
                for c in m.candidates.iter().filter(|c| c.place != m.place) {
                    let cp = gaz.place(c.place);
                    writeln!(
                        out,
                        "              also: {} ({}, {}) score {:.3}",
                        cp.name,
                        cp.kind.code(),
                        cp.country.unwrap_or("-"),
                        c.score
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// Geoparses one record: found names, or its given spans.
fn parse_one(gaz: &Gazetteer, d: &input::JsonlDoc, given_spans: bool) -> Vec<Mention> {
    if given_spans {
        let mut spans: Vec<(usize, usize)> = d.toponyms.iter().map(|t| (t.start, t.end)).collect();
        spans.sort();
        geoparse::geoparse_spans(gaz, &d.doc.text, &spans)
    } else {
        geoparse::geoparse(gaz, &d.doc.text).1
    }
}

/// Geoparses every record of a JSON Lines corpus: found names, or the given spans.
fn parse_corpus(gaz: &Gazetteer, docs: &[input::JsonlDoc], given_spans: bool) -> Vec<Vec<Mention>> {
    docs.par_iter()
        .map(|d| {
            if given_spans {
                let mut spans: Vec<(usize, usize)> =
                    d.toponyms.iter().map(|t| (t.start, t.end)).collect();
                spans.sort();
                geoparse::geoparse_spans(gaz, &d.doc.text, &spans)
            } else {
                geoparse::geoparse(gaz, &d.doc.text).1
            }
        })
        .collect()
}

fn geoparse_jsonl(
    path: &std::path::Path,
    given_spans: bool,
    out: &mut dyn Write,
    user_gazetteer: Option<&std::path::Path>,
    log: &mut dyn Write,
) -> Result<(), Error> {
    let docs = input::read_jsonl(path, None)?;
    let gaz = load_gazetteer(user_gazetteer, log)?;
    // Parse and format on all cores; write in input order.
    let lines: Vec<String> = docs
        .par_iter()
        .map(|d| {
            let mentions = parse_one(&gaz, d, given_spans);
            let rows: Vec<MentionRow> = mentions
                .iter()
                .filter(|m| !m.anaphor)
                .map(|m| MentionRow::new(&gaz, m))
                .collect();
            serde_json::to_string(&DocRow {
                id: &d.doc.id,
                mentions: rows,
            })
            .unwrap_or_default()
        })
        .collect();
    for line in lines {
        out.write_all(line.as_bytes())?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

fn eval(
    corpus: &std::path::Path,
    json: bool,
    out: &mut dyn Write,
    user_gazetteer: Option<&std::path::Path>,
    log: &mut dyn Write,
) -> Result<(), Error> {
    use evaluate::{Gold, Predicted};
    let docs = input::read_jsonl(corpus, None)?;
    let gaz = load_gazetteer(user_gazetteer, log)?;
    let golds: Vec<Vec<Gold>> = docs
        .iter()
        .map(|d| {
            d.toponyms
                .iter()
                .filter_map(|t| {
                    Some(Gold {
                        start: t.start,
                        end: t.end,
                        point: coords::LonLat::new(t.lon?, t.lat?),
                    })
                })
                .collect()
        })
        .collect();
    let predicted = |ms: &[Mention]| -> Vec<Predicted> {
        ms.iter()
            .filter(|m| !m.anaphor)
            .map(|m| Predicted {
                start: m.start,
                end: m.end,
                point: m.point(&gaz),
            })
            .collect()
    };
    let t0 = std::time::Instant::now();
    let e2e_mentions = parse_corpus(&gaz, &docs, false);
    let seconds = t0.elapsed().as_secs_f64();
    let res_mentions = parse_corpus(&gaz, &docs, true);
    let e2e: Vec<_> = e2e_mentions
        .iter()
        .zip(&golds)
        .map(|(m, g)| evaluate::score_document(&predicted(m), g))
        .collect();
    let res: Vec<_> = res_mentions
        .iter()
        .zip(&golds)
        .map(|(m, g)| evaluate::score_document(&predicted(m), g))
        .collect();
    let scores = evaluate::summarise(&e2e, &res, seconds);
    if json {
        serde_json::to_writer_pretty(&mut *out, &scores).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        let v = serde_json::to_value(&scores).unwrap_or_default();
        if let Some(o) = v.as_object() {
            for (k, v) in o {
                writeln!(out, "{k:<28} {v}")?;
            }
        }
    }
    Ok(())
}

fn eval_events(
    gold: &[PathBuf],
    json: bool,
    out: &mut dyn Write,
    user_gazetteer: Option<&std::path::Path>,
    log: &mut dyn Write,
) -> Result<(), Error> {
    let files: Vec<PathBuf> = gold
        .iter()
        .flat_map(|g| event_eval::gold_files(g))
        .collect();
    let gaz = load_gazetteer(user_gazetteer, log)?;
    let scores = event_eval::evaluate(&gaz, &files)?;
    if json {
        let v: serde_json::Map<String, serde_json::Value> = scores
            .iter()
            .map(|(k, s)| (k.clone(), serde_json::to_value(s).unwrap_or_default()))
            .collect();
        serde_json::to_writer_pretty(&mut *out, &v).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    for (kind, s) in &scores {
        writeln!(out, "# {kind}")?;
        let v = serde_json::to_value(s).unwrap_or_default();
        if let Some(o) = v.as_object() {
            for (k, v) in o {
                writeln!(out, "{k:<24} {v}")?;
            }
        }
    }
    Ok(())
}

fn resolve(
    name: &str,
    json: bool,
    limit: usize,
    out: &mut dyn Write,
    user_gazetteer: Option<&std::path::Path>,
    log: &mut dyn Write,
) -> Result<(), Error> {
    let gaz = load_gazetteer(user_gazetteer, log)?;
    let cands = geoparse::rank_name(&gaz, name);
    if cands.is_empty() && !json {
        return Err(Error::NoSuchPlace(name.to_string()));
    }
    let rows: Vec<serde_json::Value> = cands
        .iter()
        .take(limit)
        .map(|c| {
            let p = gaz.place(c.place);
            serde_json::json!({
                "id": p.id,
                "name": p.name,
                "kind": p.kind.code(),
                "lat": p.point.lat,
                "lon": p.point.lon,
                "country": p.country,
                "admin1": gaz.admin1_name(p),
                "population": p.population,
                "score": (c.score * 1000.0).round() / 1000.0,
            })
        })
        .collect();
    if json {
        serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    // The first-order division and the id tell namesakes apart ("Springfield" in
    // Illinois, Missouri, Massachusetts...).
    writeln!(
        out,
        "{:<32} {:<7} {:>9} {:>10} {:<24} {:<7} {:>6}  id",
        "name", "kind", "lat", "lon", "admin1", "country", "score"
    )?;
    for c in cands.iter().take(limit) {
        let p = gaz.place(c.place);
        writeln!(
            out,
            "{:<32} {:<7} {:>9.4} {:>10.4} {:<24} {:<7} {:>6.3}  {}",
            p.name,
            p.kind.code(),
            p.point.lat,
            p.point.lon,
            gaz.admin1_name(p).unwrap_or("-"),
            p.country.unwrap_or("-"),
            c.score,
            p.id
        )?;
    }
    Ok(())
}

/// One `map` run's options.
struct MapRun<'a> {
    files: &'a [PathBuf],
    jsonl: &'a [PathBuf],
    out_dir: &'a std::path::Path,
    date: Option<NaiveDate>,
    title: Option<&'a str>,
    formats: &'a [export::Format],
    force: bool,
    quiet: bool,
    max_doc_bytes: u64,
}

/// What one document adds to a run's summary.
fn counts(a: &Analysed) -> stream::Counts {
    stream::Counts {
        places: a.mentions.iter().map(|m| m.place).collect(),
        events: a.events.len(),
    }
}

fn map(
    run: &MapRun,
    out: &mut dyn Write,
    user_gazetteer: Option<&std::path::Path>,
    log: &mut dyn Write,
) -> Result<Outcome, Error> {
    let to_stdout = run.out_dir.as_os_str() == "-";
    if to_stdout && run.formats != [export::Format::GeoJsonSeq] {
        return Err(Error::Usage(
            "`-o -` writes the events to standard output as GeoJSON Text Sequences: \
             use it with `--format geojsonseq` alone"
                .into(),
        ));
    }
    let inputs = input::expand(run.files, run.jsonl)?;
    let report = stream::Report {
        quiet: run.quiet,
        total_bytes: stream::total_bytes(&inputs),
    };
    let mut docs = input::Documents::new(inputs, run.date).max_doc_bytes(run.max_doc_bytes);
    let gaz = load_gazetteer(user_gazetteer, log)?;
    if to_stdout {
        // One Feature a line as each chunk is done, in input order, in bounded memory.
        let summary = stream::run_chunks(
            &gaz,
            &mut docs,
            report,
            log,
            |gaz, doc| {
                let a = analyse_one(gaz, doc);
                let layer = export::Layer::events(gaz, &a.events);
                let mut buf = Vec::new();
                // Writing into memory cannot fail.
                let _ = export::geojsonseq::write_layer(&layer, &mut buf);
                (counts(&a), buf)
            },
            |chunk, _| {
                for bytes in chunk {
                    out.write_all(&bytes)?;
                }
                out.flush()?;
                Ok(())
            },
        )?;
        if !run.quiet {
            let _ = writeln!(log, "geoevents: {summary}");
        }
        return Ok(Outcome {
            skipped: summary.skipped,
        });
    }

    // Read every input before writing anything, so bad input leaves no output behind.
    let mut analysed = Vec::new();
    let summary = stream::run_chunks(
        &gaz,
        &mut docs,
        report,
        log,
        |gaz, doc| {
            let a = analyse_one(gaz, doc);
            (counts(&a), a)
        },
        |chunk, _| {
            analysed.extend(chunk);
            Ok(())
        },
    )?;
    if analysed.is_empty() {
        return Err(Error::NothingRead(summary.skipped));
    }

    let all_events: Vec<Event> = analysed
        .iter()
        .flat_map(|a| a.events.iter().cloned())
        .collect();
    let per_doc: Vec<(String, &[Mention], &[Event])> = analysed
        .iter()
        .map(|a| (a.doc.id.clone(), a.mentions.as_slice(), a.events.as_slice()))
        .collect();
    let events_layer = export::Layer::events(&gaz, &all_events);
    let places_layer = export::Layer::places(&gaz, &per_doc);
    let routes = export::layer::routes_from_events(&gaz, &all_events);
    let routes_layer = export::Layer::routes(&gaz, &routes);
    let mut layers = vec![&events_layer, &places_layer];
    if !routes_layer.features.is_empty() {
        layers.push(&routes_layer);
    }

    let spec = map_spec(&gaz, &analysed, &all_events, run.title);
    let drawable = !(spec.places.is_empty() && spec.routes.is_empty());
    let mut maps = Vec::new();
    for (format, kind, name) in [
        (export::Format::Png, render::Format::Png, "map.png"),
        (export::Format::Svg, render::Format::Svg, "map.svg"),
    ] {
        if drawable && run.formats.contains(&format) {
            maps.push((name, render::render(&spec, kind)?.bytes));
        }
    }
    let out_dir = run.out_dir;
    let mut plan = export::plan_map(out_dir, &layers, run.formats, &spec.title)?;
    for (name, bytes) in maps {
        plan.add(out_dir.join(name), bytes, " (map)".to_string());
    }
    let paths = plan.paths();
    outdir::check(out_dir, &paths, run.force)?;
    export::ensure_dir(out_dir)?;
    let wrote = plan.write()?;
    let removed = outdir::commit(out_dir, &paths)?;
    if !run.quiet {
        for line in wrote {
            let _ = writeln!(log, "{line}");
        }
        for p in removed {
            let _ = writeln!(log, "removed {} (from an earlier run)", p.display());
        }
    }
    if !drawable
        && (run.formats.contains(&export::Format::Png)
            || run.formats.contains(&export::Format::Svg))
    {
        let _ = writeln!(log, "no place was found, so no map was drawn");
    }
    if !run.quiet {
        let _ = writeln!(log, "geoevents: {summary}");
    }
    let _ = out;
    Ok(Outcome {
        skipped: summary.skipped,
    })
}

fn render_files(
    opts: &RenderOptions,
    out: &mut dyn Write,
    user_gazetteer: Option<&std::path::Path>,
    log: &mut dyn Write,
) -> Result<(), Error> {
    let format = render::Format::from_path(&opts.out)
        .ok_or_else(|| Error::OutputFormat(opts.out.clone()))?;
    let layers = render::layers::read_files(&opts.files)?;
    let gaz = load_gazetteer(user_gazetteer, log)?;
    let default_title = match opts.files.as_slice() {
        [one] => one
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
        many => format!("{} layers", many.len()),
    };
    let n = layers.places.len() + layers.routes.len() + layers.polygons.len();
    let spec = render::MapSpec {
        title: opts.title.clone().unwrap_or(default_title),
        subtitle: opts
            .subtitle
            .clone()
            .unwrap_or_else(|| format!("{n} features")),
        places: layers.places,
        routes: layers.routes,
        polygons: layers.polygons,
        context: context_names(&gaz),
        width: opts.width,
        height: opts.height,
        extent: opts.extent,
        projection: opts.projection,
    };
    let r = render::render(&spec, format)?;
    export::write_atomic(&opts.out, &r.bytes)?;
    let _ = out;
    writeln!(
        log,
        "wrote {} ({} labels, {} dropped for lack of room, {})",
        opts.out.display(),
        r.labels
            .iter()
            .filter(|l| l.kind != render::LabelKind::Graticule)
            .count(),
        r.dropped.len(),
        r.projection.name()
    )?;
    Ok(())
}
