//! Reading articles into `Document`s: plain text, Markdown, HTML (tags
//! stripped), JSON Lines corpora (`{"id", "title", "date", "url", "text"}` a
//! line) and CSV tables with a `text` column, from files, folders (recursively,
//! by extension), glob patterns and standard input (`-`).
//!
//! [`expand`] turns the command line's paths into [`Input`]s; [`Documents`]
//! reads them lazily, one document at a time, so a corpus of any size is read
//! in constant memory. A bad record (a JSON Lines line that is not a record, a
//! CSV row without text, an unreadable file found in a folder) is reported as
//! [`Item::Skipped`] with its file and line, and reading goes on; a bad file
//! named on the command line stops the run.

pub mod html;
mod read;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

pub use read::{expand, Documents, Input, InputKind, Item, Source};

/// Errors reading input articles; each names the file and the problem.
///
/// The messages say everything once: an OS error's text is part of the message
/// and is not also given as its `source`.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {}: {}", path.display(), io_text(source))]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the file is not UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf },
    #[error("{}: the file is empty", path.display())]
    Empty { path: PathBuf },
    #[error("{}: larger than the {limit_mb} MB limit for one document (--max-doc-size)", path.display())]
    TooLarge { path: PathBuf, limit_mb: u64 },
    #[error("{}: this looks like a binary file, not text", path.display())]
    Binary { path: PathBuf },
    #[error("{} line {line}: {problem}", path.display())]
    BadLine {
        path: PathBuf,
        line: usize,
        problem: String,
    },
    #[error("{}: no file matches this pattern", pattern)]
    NoMatch { pattern: String },
    #[error("{}: {problem}", path.display())]
    BadTable { path: PathBuf, problem: String },
}

/// An OS error's text without Rust's " (os error N)" suffix.
fn io_text(e: &std::io::Error) -> String {
    let s = e.to_string();
    match s.find(" (os error ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// One article: its text and what we know about it.
#[derive(Clone, Debug)]
pub struct Document {
    /// Short id: the record's `id`, else the file name without extension.
    pub id: String,
    /// A title: the first line when it is short enough to be a headline, else the id.
    pub title: String,
    /// Publication date, the anchor for relative dates ("on Saturday").
    pub date: Option<NaiveDate>,
    /// Where the article was published, when the input says.
    pub url: Option<String>,
    /// The article's text.
    pub text: String,
}

impl Document {
    /// Builds a document from text already in memory.
    ///
    /// ```
    /// let d = geoevents::input::Document::from_text("a1", "Ships in the strait\n\nTwo destroyers...", None);
    /// assert_eq!(d.title, "Ships in the strait");
    /// ```
    pub fn from_text(id: &str, text: &str, date: Option<NaiveDate>) -> Document {
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("");
        let title = if !first.is_empty() && first.chars().count() <= 100 && !first.ends_with('.') {
            first.to_string()
        } else {
            id.to_string()
        };
        Document {
            id: id.to_string(),
            title,
            date,
            url: None,
            text: text.to_string(),
        }
    }
}

/// Checks bytes read from `path` are text, and returns them as a string
/// without a byte-order mark.
fn text_of(path: &Path, bytes: Vec<u8>) -> Result<String, InputError> {
    // UTF-16 with a byte-order mark (Windows tools write it): decoded.
    if let Some(le) = match bytes.get(..2) {
        Some([0xff, 0xfe]) => Some(true),
        Some([0xfe, 0xff]) => Some(false),
        _ => None,
    } {
        let units = bytes[2..].chunks_exact(2).map(|c| {
            if le {
                u16::from_le_bytes([c[0], c[1]])
            } else {
                u16::from_be_bytes([c[0], c[1]])
            }
        });
        let text: String = char::decode_utf16(units)
            .collect::<Result<String, _>>()
            .map_err(|_| InputError::NotUtf8 { path: path.into() })?;
        if bytes.len() % 2 != 0 || text.contains('\0') {
            return Err(InputError::Binary { path: path.into() });
        }
        if text.trim().is_empty() {
            return Err(InputError::Empty { path: path.into() });
        }
        return Ok(text);
    }
    if bytes.contains(&0) {
        return Err(InputError::Binary { path: path.into() });
    }
    let mut text =
        String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { path: path.into() })?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    if text.trim().is_empty() {
        return Err(InputError::Empty { path: path.into() });
    }
    Ok(text)
}

/// The id of a document read from `path`: the file name without extension.
fn stem_id(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "doc".into())
}

/// Reads a plain-text or Markdown article.
pub fn read_text_file(path: &Path, date: Option<NaiveDate>) -> Result<Document, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Unreadable {
        path: path.into(),
        source,
    })?;
    let text = text_of(path, bytes)?;
    Ok(Document::from_text(&stem_id(path), &text, date))
}

/// The default largest document (`--max-doc-size`): 50 MB, far beyond any article or
/// report, so that a runaway input (a 200 MB one-line scrape) is refused at once.
pub const MAX_DOC_BYTES: u64 = 50_000_000;

/// Reads an input file by its kind: a JSON Lines corpus (`.jsonl`, one record a
/// line, each with its own `date` where it has one) or a plain-text/Markdown article.
/// Strict: the first bad record is an error (see [`Documents`] to skip them).
pub fn read_any(path: &Path, date: Option<NaiveDate>) -> Result<Vec<Document>, InputError> {
    if InputKind::of_path(path) == InputKind::Jsonl {
        Ok(read_jsonl(path, date)?.into_iter().map(|d| d.doc).collect())
    } else {
        Ok(vec![read_text_file(path, date)?])
    }
}

/// A span of text given with a document (a gold toponym, for resolution-only runs).
#[derive(Clone, Debug, serde::Deserialize)]
pub struct GivenSpan {
    /// Unicode character offsets, end exclusive.
    pub start: usize,
    /// End of the span (exclusive), in Unicode characters.
    pub end: usize,
    /// The gold name, when given.
    #[serde(default)]
    pub name: Option<String>,
    /// Gold latitude in degrees.
    #[serde(default)]
    pub lat: Option<f64>,
    /// Gold longitude in degrees.
    #[serde(default)]
    pub lon: Option<f64>,
}

/// One JSON Lines record: a document and, if present, its given toponym spans.
#[derive(Clone, Debug)]
pub struct JsonlDoc {
    /// The document.
    pub doc: Document,
    /// Its given toponym spans (empty when the record has none).
    pub toponyms: Vec<GivenSpan>,
}

#[derive(serde::Deserialize)]
struct JsonlRecord {
    id: Option<serde_json::Value>,
    text: String,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    toponyms: Vec<GivenSpan>,
}

/// Parses a `YYYY-MM-DD` date (a longer ISO 8601 timestamp is cut to its day).
fn parse_day(d: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok()
}

/// Parses one JSON Lines record (line number `line`, from 1); the problem when it is bad.
fn parse_record(
    text: &str,
    line: usize,
    default_date: Option<NaiveDate>,
) -> Result<JsonlDoc, String> {
    let r: JsonlRecord =
        serde_json::from_str(text).map_err(|e| format!("not a JSON record: {e}"))?;
    let id = match r.id {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Null) | None => format!("{line}"),
        Some(v) => v.to_string(),
    };
    let date = match r.date.as_deref().map(str::trim) {
        Some(d) if !d.is_empty() => {
            Some(parse_day(d).ok_or_else(|| format!("`date` is not YYYY-MM-DD: `{d}`"))?)
        }
        _ => default_date,
    };
    let n = r.text.chars().count();
    if let Some(t) = r.toponyms.iter().find(|t| t.start >= t.end || t.end > n) {
        let problem = if t.end > n {
            format!("is outside the text ({n} characters)")
        } else {
            "is empty or reversed (start must be below end)".to_string()
        };
        return Err(format!("toponym span {}..{} {problem}", t.start, t.end));
    }
    let mut doc = Document::from_text(&id, &r.text, date);
    if let Some(t) = r.title.filter(|t| !t.trim().is_empty()) {
        doc.title = t;
    }
    doc.url = r.url.filter(|u| !u.is_empty());
    Ok(JsonlDoc {
        doc,
        toponyms: r.toponyms,
    })
}

/// Reads a JSON Lines file of `{"id", "text", "date"?, "title"?, "url"?, "toponyms"?}`
/// records. Strict: the first bad line is an error naming the file and line.
pub fn read_jsonl(
    path: &Path,
    default_date: Option<NaiveDate>,
) -> Result<Vec<JsonlDoc>, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Unreadable {
        path: path.into(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { path: path.into() })?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let d = parse_record(line, i + 1, default_date).map_err(|problem| InputError::BadLine {
            path: path.into(),
            line: i + 1,
            problem,
        })?;
        out.push(d);
    }
    if out.is_empty() {
        return Err(InputError::Empty { path: path.into() });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, "  \n").unwrap();
        let e = read_text_file(&empty, None).unwrap_err().to_string();
        assert!(e.contains("empty.txt") && e.contains("empty"), "{e}");

        let missing = dir.path().join("missing.txt");
        let e = read_text_file(&missing, None).unwrap_err().to_string();
        assert!(e.contains("missing.txt"), "{e}");

        let latin1 = dir.path().join("latin1.txt");
        std::fs::write(&latin1, b"Caf\xe9 in Paris").unwrap();
        assert!(matches!(
            read_text_file(&latin1, None),
            Err(InputError::NotUtf8 { .. })
        ));
    }

    #[test]
    fn headline_becomes_title() {
        let d = Document::from_text("a", "Warships sail through strait\n\nBody text.", None);
        assert_eq!(d.title, "Warships sail through strait");
        let d = Document::from_text("a", "A long first sentence that ends with a period.", None);
        assert_eq!(d.title, "a");
    }
}
