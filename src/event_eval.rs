//! `geoevents eval-events`: scores the events stage against gold event reports, one
//! JSON Lines record a report (`{"id","text","date","events":[{"acled_event_type",
//! "acled_sub_event_type","lat","lon","date","fatalities"}]}`).
//!
//! Each report is judged by its most confident event that happened (not negated, not
//! a threat or plan; statements only when nothing else was found), as event databases
//! record one event per report: its type against the gold events' types, its point
//! against the nearest gold point, and its date and fatalities against the gold event
//! it matches (same type, else the nearest).

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::coords::LonLat;
use crate::events::{Event, EventType};
use crate::gazetteer::Gazetteer;
use crate::input::Document;

/// Errors reading a gold file.
#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path} line {line}: {problem}")]
    Record {
        path: PathBuf,
        line: usize,
        problem: String,
    },
}

/// One gold event.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldEvent {
    #[serde(default)]
    pub event_type: Option<String>,
    #[serde(default)]
    pub acled_event_type: Option<String>,
    #[serde(default)]
    pub acled_sub_event_type: Option<String>,
    pub lat: f64,
    pub lon: f64,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub fatalities: Option<u32>,
}

/// One gold report.
#[derive(Clone, Debug, Deserialize)]
pub struct GoldReport {
    pub id: String,
    pub text: String,
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    pub events: Vec<GoldEvent>,
}

/// Reads gold reports from JSON Lines files.
pub fn read_gold(paths: &[PathBuf]) -> Result<Vec<GoldReport>, EvalError> {
    let mut out = Vec::new();
    for path in paths {
        let text = std::fs::read_to_string(path).map_err(|source| EvalError::Read {
            path: path.clone(),
            source,
        })?;
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            let r: GoldReport = serde_json::from_str(line).map_err(|e| EvalError::Record {
                path: path.clone(),
                line: i + 1,
                problem: e.to_string(),
            })?;
            out.push(r);
        }
    }
    Ok(out)
}

/// Scores over a gold set.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EventScores {
    pub reports: usize,
    pub gold_events: usize,
    pub predicted_events: usize,
    /// Share of reports with at least one event that happened.
    pub with_event: f64,
    /// Share of reports whose main event has one of the gold events' ACLED event types
    /// (our type where the gold has no ACLED type).
    pub type_agreement: f64,
    pub sub_type_agreement: f64,
    /// Our own type against the gold `event_type`, where given.
    pub our_type_agreement: f64,
    pub acc_25km: f64,
    pub acc_50km: f64,
    pub acc_161km: f64,
    pub median_error_km: f64,
    /// Share of reports whose main event's date equals its gold event's.
    pub date_agreement: f64,
    /// Share of reports whose main event's fatalities equal its gold event's (none = 0).
    pub fatalities_agreement: f64,
    /// Gold events with a predicted event of the same ACLED type within 161 km.
    pub event_recall_161km: f64,
    pub docs_per_second: f64,
}

/// The key a type is compared by: ACLED's event type, else our own type.
fn type_key(ty: EventType) -> &'static str {
    ty.acled_event_type().unwrap_or(ty.as_str())
}

fn gold_key(g: &GoldEvent) -> Option<&str> {
    g.acled_event_type.as_deref().or(g.event_type.as_deref())
}

/// The event a report is judged by: the surest one that happened, statements last.
pub fn main_event(events: &[Event]) -> Option<&Event> {
    events
        .iter()
        .filter(|e| e.modality.happened())
        .max_by(|a, b| {
            let rank = |e: &Event| {
                (
                    !e.event_type.is_verbal(),
                    !e.geo_precision.is_guessed(),
                    e.event_type.acled_event_type().is_some(),
                )
            };
            rank(a)
                .cmp(&rank(b))
                .then(a.confidence.total_cmp(&b.confidence))
                .then(b.char_start.cmp(&a.char_start))
        })
}

fn share(n: usize, d: usize) -> f64 {
    if d == 0 {
        0.0
    } else {
        ((n as f64 / d as f64) * 10_000.0).round() / 10_000.0
    }
}

/// Scores predicted events (one list per report, in order) against the gold.
pub fn score(golds: &[GoldReport], predicted: &[Vec<Event>], seconds: f64) -> EventScores {
    let mut s = EventScores {
        reports: golds.len(),
        ..Default::default()
    };
    let (mut with, mut ty_ok, mut sub_ok, mut ours_ok, mut ours_n) = (0, 0, 0, 0, 0);
    let (mut a25, mut a50, mut a161, mut date_ok, mut fat_ok) = (0, 0, 0, 0, 0);
    let (mut recalled, mut errors) = (0, Vec::new());
    for (g, events) in golds.iter().zip(predicted) {
        s.gold_events += g.events.len();
        s.predicted_events += events.len();
        let point = |e: &Event| e.places.first().map(|p| p.point);
        for ge in &g.events {
            let gp = LonLat::new(ge.lon, ge.lat);
            if events.iter().any(|e| {
                e.modality.happened()
                    && gold_key(ge) == Some(type_key(e.event_type))
                    && point(e).is_some_and(|p| p.distance_km(gp) <= 161.0)
            }) {
                recalled += 1;
            }
        }
        let Some(main) = main_event(events) else {
            errors.push(f64::INFINITY);
            continue;
        };
        with += 1;
        let key = type_key(main.event_type);
        if g.events.iter().any(|ge| gold_key(ge) == Some(key)) {
            ty_ok += 1;
        }
        if g.events.iter().any(|ge| {
            ge.acled_sub_event_type.as_deref() == main.event_type.acled_sub_event_type()
                && ge.acled_sub_event_type.is_some()
        }) {
            sub_ok += 1;
        }
        if g.events.iter().any(|ge| ge.event_type.is_some()) {
            ours_n += 1;
            if g.events
                .iter()
                .any(|ge| ge.event_type.as_deref() == Some(main.event_type.as_str()))
            {
                ours_ok += 1;
            }
        }
        let km = point(main)
            .map(|p| {
                g.events
                    .iter()
                    .map(|ge| p.distance_km(LonLat::new(ge.lon, ge.lat)))
                    .fold(f64::INFINITY, f64::min)
            })
            .unwrap_or(f64::INFINITY);
        errors.push(km);
        a25 += usize::from(km <= 25.0);
        a50 += usize::from(km <= 50.0);
        a161 += usize::from(km <= 161.0);
        // The gold event it matches: the same type, else the nearest.
        let matched = g
            .events
            .iter()
            .find(|ge| gold_key(ge) == Some(key))
            .or_else(|| {
                g.events.iter().min_by(|a, b| {
                    let d = |ge: &GoldEvent| {
                        point(main).map_or(f64::INFINITY, |p| {
                            p.distance_km(LonLat::new(ge.lon, ge.lat))
                        })
                    };
                    d(a).total_cmp(&d(b))
                })
            });
        if let Some(ge) = matched {
            let gold_date = ge
                .date
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            if gold_date.is_some() && gold_date == main.date {
                date_ok += 1;
            }
            if ge.fatalities.unwrap_or(0) == main.counts.fatalities.unwrap_or(0) {
                fat_ok += 1;
            }
        }
    }
    let n = golds.len();
    s.with_event = share(with, n);
    s.type_agreement = share(ty_ok, n);
    s.sub_type_agreement = share(sub_ok, n);
    s.our_type_agreement = share(ours_ok, ours_n);
    s.acc_25km = share(a25, n);
    s.acc_50km = share(a50, n);
    s.acc_161km = share(a161, n);
    errors.sort_by(f64::total_cmp);
    s.median_error_km = errors
        .get(errors.len() / 2)
        .copied()
        .filter(|e| e.is_finite())
        .map_or(-1.0, |e| e.round());
    s.date_agreement = share(date_ok, n);
    s.fatalities_agreement = share(fat_ok, n);
    s.event_recall_161km = share(recalled, s.gold_events);
    s.docs_per_second = if seconds > 0.0 {
        (n as f64 / seconds).round()
    } else {
        0.0
    };
    s
}

/// Runs the pipeline on the gold reports and scores it, overall and per `kind`.
pub fn evaluate(
    gaz: &Gazetteer,
    paths: &[PathBuf],
) -> Result<Vec<(String, EventScores)>, EvalError> {
    let golds = read_gold(paths)?;
    let docs: Vec<Document> = golds
        .iter()
        .map(|g| {
            let date = g
                .date
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
            Document::from_text(&g.id, &g.text, date)
        })
        .collect();
    let t0 = std::time::Instant::now();
    let analysed = crate::analyse(gaz, docs);
    let seconds = t0.elapsed().as_secs_f64();
    let predicted: Vec<Vec<Event>> = analysed.into_iter().map(|a| a.events).collect();
    let mut out = vec![("all".to_string(), score(&golds, &predicted, seconds))];
    let mut kinds: Vec<&str> = golds.iter().filter_map(|g| g.kind.as_deref()).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for k in kinds {
        let (g, p): (Vec<GoldReport>, Vec<Vec<Event>>) = golds
            .iter()
            .zip(&predicted)
            .filter(|(g, _)| g.kind.as_deref() == Some(k))
            .map(|(g, p)| (g.clone(), p.clone()))
            .unzip();
        out.push((k.to_string(), score(&g, &p, 0.0)));
    }
    Ok(out)
}

/// The gold files of a directory (every `.jsonl`), or the file itself.
pub fn gold_files(path: &Path) -> Vec<PathBuf> {
    if path.is_dir() {
        let mut v: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|d| {
                d.filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    } else {
        vec![path.to_path_buf()]
    }
}
