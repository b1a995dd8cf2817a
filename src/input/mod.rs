//! Reading articles into `Document`s.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

/// Errors reading input articles; each names the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("cannot read {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: the file is not UTF-8 text", path.display())]
    NotUtf8 { path: PathBuf },
    #[error("{}: the file is empty", path.display())]
    Empty { path: PathBuf },
    #[error("{}: this looks like a binary file, not text", path.display())]
    Binary { path: PathBuf },
    #[error("{} line {line}: {problem}", path.display())]
    BadLine {
        path: PathBuf,
        line: usize,
        problem: String,
    },
}

/// One article: its text and what we know about it.
#[derive(Clone, Debug)]
pub struct Document {
    /// Short id, from the file name without extension.
    pub id: String,
    /// A title: the first line when it is short enough to be a headline, else the id.
    pub title: String,
    /// Publication date, the anchor for relative dates ("on Saturday").
    pub date: Option<NaiveDate>,
    pub text: String,
}

impl Document {
    /// Builds a document from text already in memory.
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
            text: text.to_string(),
        }
    }
}

/// Reads a plain-text or Markdown article.
pub fn read_text_file(path: &Path, date: Option<NaiveDate>) -> Result<Document, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Unreadable {
        path: path.into(),
        source,
    })?;
    if bytes.contains(&0) {
        return Err(InputError::Binary { path: path.into() });
    }
    let text = String::from_utf8(bytes).map_err(|_| InputError::NotUtf8 { path: path.into() })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err(InputError::Empty { path: path.into() });
    }
    let id = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "doc".into());
    Ok(Document::from_text(&id, text, date))
}

/// Reads an input file by its kind: a JSON Lines corpus (`.jsonl`, one record a
/// line, each with its own `date` where it has one) or a plain-text/Markdown article.
pub fn read_any(path: &Path, date: Option<NaiveDate>) -> Result<Vec<Document>, InputError> {
    let jsonl = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("jsonl") || e.eq_ignore_ascii_case("ndjson"));
    if jsonl {
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
    pub end: usize,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
}

/// One JSON Lines record: a document and, if present, its given toponym spans.
#[derive(Clone, Debug)]
pub struct JsonlDoc {
    pub doc: Document,
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
    toponyms: Vec<GivenSpan>,
}

/// Reads a JSON Lines file of `{"id", "text", "date"?, "title"?, "toponyms"?}` records.
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
        let bad = |problem: String| InputError::BadLine {
            path: path.into(),
            line: i + 1,
            problem,
        };
        let r: JsonlRecord =
            serde_json::from_str(line).map_err(|e| bad(format!("not a JSON record: {e}")))?;
        let id = match r.id {
            Some(serde_json::Value::String(s)) => s,
            Some(v) => v.to_string(),
            None => format!("{}", i + 1),
        };
        let date = match r.date.as_deref() {
            Some(d) if !d.is_empty() => Some(
                NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d")
                    .map_err(|_| bad(format!("`date` is not YYYY-MM-DD: `{d}`")))?,
            ),
            _ => default_date,
        };
        let n = r.text.chars().count();
        if let Some(t) = r.toponyms.iter().find(|t| t.start >= t.end || t.end > n) {
            let problem = if t.end > n {
                format!("is outside the text ({n} characters)")
            } else {
                "is empty or reversed (start must be below end)".to_string()
            };
            return Err(bad(format!(
                "toponym span {}..{} {problem}",
                t.start, t.end
            )));
        }
        let mut doc = Document::from_text(&id, &r.text, date);
        if let Some(t) = r.title {
            doc.title = t;
        }
        out.push(JsonlDoc {
            doc,
            toponyms: r.toponyms,
        });
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
