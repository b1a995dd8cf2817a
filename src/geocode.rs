//! Table geocoding: the rows of a CSV table (an ACLED or GDELT export, a
//! newsroom spreadsheet) placed by a column of place names, with the table's
//! other columns as qualifiers: a country column (names or ISO codes) and a
//! first-order division column (names, or codes such as US postal codes)
//! settle namesakes ("Springfield" + "Illinois" is not Springfield, Missouri).
//!
//! Candidates come from [`crate::geoparse::rank_name`]; the qualifiers keep the
//! candidates the gazetteer's hierarchy puts inside them, and the best of those
//! wins. A row no candidate fits is kept with empty coordinates and listed.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::export::{self, Field, FieldType, GeometryType, Layer, LayerFeature, Value};
use crate::gazetteer::{Gazetteer, PlaceId, PlaceKind};
use crate::{Error, Outcome};

/// Errors geocoding a table; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum GeocodeError {
    #[error("cannot read {}: {message}", path.display())]
    Read { path: PathBuf, message: String },
    #[error("{}: no column `{column}`; the columns are {}", path.display(), have.join(", "))]
    NoColumn {
        path: PathBuf,
        column: String,
        have: Vec<String>,
    },
    #[error("{}: the table has no rows", path.display())]
    Empty { path: PathBuf },
}

/// Which columns of the table say what.
#[derive(Clone, Debug, Default)]
pub struct Columns {
    /// Place names.
    pub place: String,
    /// Countries: names or ISO 3166 alpha-2/alpha-3 codes.
    pub country: Option<String>,
    /// First-order divisions: names or codes (US postal codes, GeoNames admin1 codes).
    pub admin1: Option<String>,
    /// Dates, YYYY-MM-DD.
    pub date: Option<String>,
    /// Text whose events are extracted.
    pub text: Option<String>,
}

/// `geoevents geocode`, validated.
#[derive(Clone, Debug)]
pub struct GeocodeOptions {
    /// The CSV table.
    pub table: PathBuf,
    /// Its columns.
    pub columns: Columns,
    /// Output folder, or `-` for the table on standard output.
    pub out: PathBuf,
    /// Layers to write in the output folder.
    pub formats: Vec<export::Format>,
    /// Overwrite files in the output folder that are not ours.
    pub force: bool,
}

/// A row's place.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Match {
    /// The place chosen.
    pub place: PlaceId,
    /// Its score from the name ranking (higher is better), from 0.
    pub score: f64,
    /// How many candidates the name had before the qualifiers.
    pub namesakes: usize,
}

/// The columns geocoding adds (or fills, when the table has them already).
pub const ADDED: [&str; 6] = [
    "lat",
    "lon",
    "place_id",
    "place_kind",
    "geo_precision",
    "match_score",
];

/// The country a qualifier names: an ISO alpha-2 or alpha-3 code, or a name.
pub fn country_of(gaz: &Gazetteer, text: &str) -> Option<PlaceId> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if t.len() == 2 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        if let Some(c) = gaz.country(&t.to_ascii_uppercase()) {
            return Some(c);
        }
    }
    if t.len() == 3 && t.chars().all(|c| c.is_ascii_alphabetic()) {
        let up = t.to_ascii_uppercase();
        if let Some(i) = gaz
            .places()
            .iter()
            .position(|p| p.kind == PlaceKind::Country && p.iso3 == Some(up.as_str()))
        {
            return Some(PlaceId(i as u32));
        }
    }
    crate::geoparse::rank_name(gaz, t)
        .into_iter()
        .map(|c| c.place)
        .find(|&p| gaz.place(p).kind == PlaceKind::Country)
}

/// The first-order divisions a qualifier may name, within `country` when known:
/// by code ("IL", "08") or by name ("Illinois", "Ontario").
pub fn admin1_of(gaz: &Gazetteer, text: &str, country: Option<PlaceId>) -> Vec<PlaceId> {
    let t = text.trim();
    if t.is_empty() {
        return Vec::new();
    }
    let iso2 = country.and_then(|c| gaz.place(c).country);
    let mut out = Vec::new();
    if t.len() <= 3 {
        let code = t.to_ascii_uppercase();
        match iso2 {
            Some(cc) => out.extend(gaz.admin1(cc, &code)),
            // A bare two-letter code with no country is most often a US state.
            None => out.extend(gaz.admin1("US", &code)),
        }
    }
    let ranked = crate::geoparse::rank_name(gaz, t);
    let in_country = |id: PlaceId| iso2.is_none_or(|cc| gaz.place(id).country == Some(cc));
    for c in &ranked {
        if gaz.place(c.place).kind == PlaceKind::Admin1
            && in_country(c.place)
            && !out.contains(&c.place)
        {
            out.push(c.place);
        }
    }
    // A table's "state" may be a part of a country that is not its first-order
    // division in the gazetteer ("Scotland", a county): a region or county then.
    if out.is_empty() {
        out.extend(
            ranked
                .iter()
                .map(|c| c.place)
                .filter(|&p| matches!(gaz.place(p).kind, PlaceKind::Region | PlaceKind::Admin2))
                .filter(|&p| in_country(p)),
        );
    }
    out
}

/// Does `admin1` hold `place` (or is it the place)?
fn within_admin1(gaz: &Gazetteer, admin1: PlaceId, place: PlaceId) -> bool {
    if admin1 == place {
        return true;
    }
    let (a, p) = (gaz.place(admin1), gaz.place(place));
    if a.country.is_some() && a.country == p.country && a.admin1.is_some() && a.admin1 == p.admin1 {
        return true;
    }
    gaz.contains(admin1, place)
}

/// Places one name, qualified by a country and a first-order division where given.
///
/// ```
/// let gaz = geoevents::gazetteer::Gazetteer::embedded().unwrap();
/// let m = geoevents::geocode::geocode(&gaz, "Springfield", Some("US"), Some("Illinois")).unwrap();
/// assert_eq!(gaz.admin1_name(gaz.place(m.place)), Some("Illinois"));
/// let m = geoevents::geocode::geocode(&gaz, "Paris", Some("United States"), Some("TX")).unwrap();
/// assert!(gaz.place(m.place).point.lon < -90.0);
/// ```
pub fn geocode(
    gaz: &Gazetteer,
    name: &str,
    country: Option<&str>,
    admin1: Option<&str>,
) -> Option<Match> {
    let name = name.trim();
    if name.is_empty() {
        return None;
    }
    let country = country.map(str::trim).filter(|c| !c.is_empty());
    let admin1 = admin1.map(str::trim).filter(|c| !c.is_empty());
    let mut cands = crate::geoparse::rank_name(gaz, name);
    let mut admin1 = admin1.map(str::to_string);
    // "Springfield, Illinois" in one cell: the part after the last comma qualifies
    // the rest, when the whole is no name of its own.
    if cands.is_empty() {
        if let Some((head, tail)) = name.rsplit_once(',') {
            let (head, tail) = (head.trim(), tail.trim());
            if !head.is_empty() && !tail.is_empty() {
                cands = crate::geoparse::rank_name(gaz, head);
                if admin1.is_none() && !admin1_of(gaz, tail, None).is_empty() {
                    admin1 = Some(tail.to_string());
                } else if country.is_none() {
                    if let Some(c) = country_of(gaz, tail) {
                        return pick(gaz, &cands, Some(c), &[]);
                    }
                    admin1 = Some(tail.to_string());
                }
            }
        }
    }
    let country_id = match country {
        Some(c) => Some(country_of(gaz, c)?),
        None => None,
    };
    let admins = match &admin1 {
        Some(a) => {
            let found = admin1_of(gaz, a, country_id);
            if found.is_empty() {
                return None;
            }
            found
        }
        None => Vec::new(),
    };
    pick(gaz, &cands, country_id, &admins)
}

/// The best candidate inside the qualifiers.
fn pick(
    gaz: &Gazetteer,
    cands: &[crate::geoparse::Candidate],
    country: Option<PlaceId>,
    admins: &[PlaceId],
) -> Option<Match> {
    let iso2 = country.and_then(|c| gaz.place(c).country);
    cands
        .iter()
        .filter(|c| {
            let p = gaz.place(c.place);
            let in_country =
                iso2.is_none_or(|cc| p.country == Some(cc) || country == Some(c.place));
            let in_admin1 =
                admins.is_empty() || admins.iter().any(|&a| within_admin1(gaz, a, c.place));
            in_country && in_admin1
        })
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .map(|c| Match {
            place: c.place,
            score: c.score,
            namesakes: cands.len(),
        })
}

/// The precision a place gives a row's point, in the events layer's words.
pub fn precision(kind: PlaceKind) -> &'static str {
    match kind {
        PlaceKind::Country => "country",
        PlaceKind::Admin1 => "admin1",
        PlaceKind::Admin2 | PlaceKind::Region | PlaceKind::Island | PlaceKind::Islands => "area",
        PlaceKind::Capital | PlaceKind::City => "town",
        PlaceKind::Building | PlaceKind::Airport => "point",
        k if k.is_water() => "sea",
        _ => "area",
    }
}

/// One table row's outcome, for the report.
struct Row {
    record: csv::StringRecord,
    line: u64,
    found: Option<Match>,
}

fn column(path: &Path, headers: &csv::StringRecord, name: &str) -> Result<usize, GeocodeError> {
    let want = name.trim();
    headers
        .iter()
        .position(|h| h.trim() == want)
        .or_else(|| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(want))
        })
        .ok_or_else(|| GeocodeError::NoColumn {
            path: path.into(),
            column: name.to_string(),
            have: headers.iter().map(|h| format!("`{h}`")).collect(),
        })
}

/// Runs `geoevents geocode`: reads the table, places each row, writes the table
/// back (and the layers), and lists the rows it could not place on `log`.
pub fn run(
    gaz: &Gazetteer,
    opts: &GeocodeOptions,
    quiet: bool,
    out: &mut dyn Write,
    log: &mut dyn Write,
) -> Result<Outcome, Error> {
    let path = &opts.table;
    let read_err = |message: String| GeocodeError::Read {
        path: path.clone(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|e| {
        read_err(
            e.to_string()
                .split(" (os error ")
                .next()
                .unwrap_or("")
                .to_string(),
        )
    })?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::new(file));
    let headers = reader
        .headers()
        .map_err(|e| read_err(format!("not a CSV table: {e}")))?
        .clone();
    let cols = &opts.columns;
    let place_col = column(path, &headers, &cols.place)?;
    let opt_col = |c: &Option<String>| c.as_deref().map(|c| column(path, &headers, c)).transpose();
    let country_col = opt_col(&cols.country)?;
    let admin1_col = opt_col(&cols.admin1)?;
    let date_col = opt_col(&cols.date)?;
    let text_col = opt_col(&cols.text)?;

    let mut rows = Vec::new();
    let mut skipped = 0;
    for rec in reader.records() {
        let record = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let _ = writeln!(
                    log,
                    "geoevents: skipped {} line {line}: not a CSV row: {e}",
                    path.display()
                );
                skipped += 1;
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line());
        let cell = |c: Option<usize>| c.and_then(|i| record.get(i));
        let found = geocode(
            gaz,
            cell(Some(place_col)).unwrap_or(""),
            cell(country_col),
            cell(admin1_col),
        );
        rows.push(Row {
            record,
            line,
            found,
        });
    }
    if rows.is_empty() {
        return Err(GeocodeError::Empty { path: path.clone() }.into());
    }

    // The table back, with the added columns (filled in place where the table has them).
    let mut header: Vec<String> = headers.iter().map(str::to_string).collect();
    let added: Vec<usize> = ADDED
        .iter()
        .map(|a| match header.iter().position(|h| h == a) {
            Some(i) => i,
            None => {
                header.push(a.to_string());
                header.len() - 1
            }
        })
        .collect();
    let mut table = Vec::new();
    {
        let mut w = csv::Writer::from_writer(&mut table);
        w.write_record(&header).map_err(std::io::Error::from)?;
        for r in &rows {
            let mut cells: Vec<String> = r.record.iter().map(str::to_string).collect();
            cells.resize(header.len(), String::new());
            let values: [String; 6] = match r.found {
                Some(m) => {
                    let p = gaz.place(m.place);
                    [
                        format!("{:.6}", p.point.lat),
                        format!("{:.6}", p.point.lon),
                        p.id.to_string(),
                        p.kind.code().to_string(),
                        precision(p.kind).to_string(),
                        format!("{:.3}", m.score),
                    ]
                }
                None => Default::default(),
            };
            for (i, v) in added.iter().zip(values) {
                cells[*i] = v;
            }
            w.write_record(&cells).map_err(std::io::Error::from)?;
        }
        w.flush()?;
    }

    let unplaced: Vec<&Row> = rows.iter().filter(|r| r.found.is_none()).collect();
    for r in &unplaced {
        let cell = |c: Option<usize>| c.and_then(|i| r.record.get(i)).unwrap_or("");
        let mut what = format!("`{}`", cell(Some(place_col)));
        for q in [admin1_col, country_col] {
            if !cell(q).trim().is_empty() {
                what.push_str(&format!(", `{}`", cell(q)));
            }
        }
        let _ = writeln!(
            log,
            "geoevents: {} line {}: cannot place {what}; kept with empty coordinates",
            path.display(),
            r.line
        );
    }

    let to_stdout = opts.out.as_os_str() == "-";
    if to_stdout {
        out.write_all(&table)?;
    } else {
        let layer = rows_layer(gaz, &header, &added, &rows, date_col);
        let mut layers = vec![layer];
        if let Some(tc) = text_col {
            layers.push(text_events(gaz, &rows, tc, date_col));
        }
        let refs: Vec<&Layer> = layers.iter().collect();
        let title = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let formats: Vec<export::Format> = opts
            .formats
            .iter()
            .copied()
            .filter(|f| !matches!(f, export::Format::Png | export::Format::Svg))
            .collect();
        let mut plan = export::plan_map(&opts.out, &refs, &formats, &title)?;
        plan.add(
            opts.out.join("geocoded.csv"),
            table,
            format!(
                " ({} rows, {} placed)",
                rows.len(),
                rows.len() - unplaced.len()
            ),
        );
        let paths = plan.paths();
        crate::outdir::check(&opts.out, &paths, opts.force)?;
        export::ensure_dir(&opts.out)?;
        let wrote = plan.write()?;
        let removed = crate::outdir::commit(&opts.out, &paths)?;
        if !quiet {
            for line in wrote {
                let _ = writeln!(log, "{line}");
            }
            for p in removed {
                let _ = writeln!(log, "removed {} (from an earlier run)", p.display());
            }
        }
    }
    if !quiet {
        let _ = writeln!(
            log,
            "geoevents: {} rows, {} placed, {} not placed, {} skipped",
            rows.len(),
            rows.len() - unplaced.len(),
            unplaced.len(),
            skipped
        );
    }
    Ok(Outcome {
        skipped: skipped + unplaced.len(),
    })
}

/// The table as a point layer named `geocoded`: its columns as text fields and
/// the added ones typed; rows not placed have no geometry.
fn rows_layer(
    gaz: &Gazetteer,
    header: &[String],
    added: &[usize],
    rows: &[Row],
    date_col: Option<usize>,
) -> Layer {
    let mut fields: Vec<Field> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if added.contains(&i) {
            continue;
        }
        let ty = if Some(i) == date_col {
            FieldType::Date
        } else {
            FieldType::Text
        };
        // Field names must be unique and non-empty in every format.
        let mut name = if h.trim().is_empty() {
            format!("column_{}", i + 1)
        } else {
            h.trim().to_string()
        };
        while fields.iter().any(|f| f.name.eq_ignore_ascii_case(&name)) {
            name.push('_');
        }
        fields.push(Field {
            name,
            field_type: ty,
        });
    }
    for (n, ty) in [
        ("place_id", FieldType::Text),
        ("place_name", FieldType::Text),
        ("place_kind", FieldType::Text),
        ("geo_precision", FieldType::Text),
        ("match_score", FieldType::Real),
    ] {
        fields.push(Field {
            name: n.to_string(),
            field_type: ty,
        });
    }
    let features = rows
        .iter()
        .filter_map(|r| {
            let m = r.found?;
            let p = gaz.place(m.place);
            let mut values: Vec<Value> = Vec::new();
            for i in 0..header.len() {
                if added.contains(&i) {
                    continue;
                }
                let cell = r.record.get(i).unwrap_or("").trim();
                values.push(if Some(i) == date_col {
                    chrono::NaiveDate::parse_from_str(cell.get(..10).unwrap_or(cell), "%Y-%m-%d")
                        .map(Value::Date)
                        .unwrap_or(Value::Null)
                } else if cell.is_empty() {
                    Value::Null
                } else {
                    text_value(cell)
                });
            }
            values.extend([
                text_value(p.id),
                text_value(p.name),
                text_value(p.kind.code()),
                text_value(precision(p.kind)),
                Value::Real((m.score * 1000.0).round() / 1000.0),
            ]);
            Some(LayerFeature::new(
                geo::Point::new(p.point.lon, p.point.lat).into(),
                values,
            ))
        })
        .collect();
    Layer {
        name: "geocoded".into(),
        geometry_type: GeometryType::Point,
        fields,
        features,
    }
}

/// The events the text column describes, each at the places its text names,
/// or at the row's place when the text names none.
fn text_events(gaz: &Gazetteer, rows: &[Row], text_col: usize, date_col: Option<usize>) -> Layer {
    use rayon::prelude::*;
    let events: Vec<crate::events::Event> = rows
        .par_iter()
        .flat_map_iter(|r| {
            let text = r.record.get(text_col).unwrap_or("").trim();
            if text.is_empty() {
                return Vec::new();
            }
            let date = date_col
                .and_then(|c| r.record.get(c))
                .map(str::trim)
                .and_then(|d| {
                    chrono::NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok()
                });
            let id = format!("row{}", r.line);
            let doc = crate::input::Document::from_text(&id, text, date);
            let mut a = crate::analyse_one(gaz, doc);
            if let Some(m) = r.found {
                for e in a.events.iter_mut().filter(|e| e.places.is_empty()) {
                    e.places.push(crate::events::EventPlace {
                        place: m.place,
                        point: gaz.place(m.place).point,
                        role: crate::events::Role::At,
                        text: gaz.place(m.place).name.to_string(),
                        near: false,
                    });
                }
            }
            a.events
        })
        .collect();
    Layer::events(gaz, &events)
}

/// A text value, null when empty (as in every layer).
fn text_value(s: &str) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::Text(s.to_string())
    }
}
