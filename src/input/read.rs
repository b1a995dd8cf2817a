//! From command-line paths to a lazy stream of documents.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::{parse_day, parse_record, stem_id, text_of, Document, InputError};

/// Where an input comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    /// Standard input (`-` on the command line).
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Source {
    /// The name errors use: the path, or `<stdin>`.
    pub fn label(&self) -> PathBuf {
        match self {
            Source::Stdin => PathBuf::from("<stdin>"),
            Source::File(p) => p.clone(),
        }
    }
}

/// How an input's bytes are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputKind {
    /// One article of plain text or Markdown.
    Text,
    /// One HTML page; tags are stripped.
    Html,
    /// JSON Lines, one `{"id", "title", "date", "url", "text"}` record a line.
    Jsonl,
    /// A CSV table with a `text` column (and optionally `id`, `title`, `date`, `url`), one article a row.
    Csv,
}

impl InputKind {
    /// The kind a file name's extension says; anything unknown is plain text.
    pub fn of_path(p: &Path) -> InputKind {
        match Self::known(p) {
            Some(k) => k,
            None => InputKind::Text,
        }
    }

    /// The kind of a file found in a folder, `None` for files we do not read there.
    fn known(p: &Path) -> Option<InputKind> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "txt" | "md" | "markdown" => InputKind::Text,
            "html" | "htm" => InputKind::Html,
            "jsonl" | "ndjson" => InputKind::Jsonl,
            "csv" => InputKind::Csv,
            _ => return None,
        })
    }
}

/// One input to read.
#[derive(Clone, Debug)]
pub struct Input {
    /// Where it comes from.
    pub source: Source,
    /// How to read it.
    pub kind: InputKind,
    /// Named on the command line (a bad one stops the run), rather than found in
    /// a folder or by a pattern (a bad one is skipped).
    pub named: bool,
}

fn has_glob(s: &str) -> bool {
    s.contains(['*', '?', '['])
}

/// Turns command-line paths into inputs: `-` is standard input; a folder gives
/// its `.txt`, `.md`, `.html`, `.jsonl` and `.csv` files, recursively, in name
/// order (hidden files and folders left out); a pattern with `*`, `?` or `[`
/// that names no existing file is expanded as a glob. `jsonl` paths (or `-`) are
/// read as JSON Lines whatever their names.
///
/// ```no_run
/// use std::path::PathBuf;
/// let inputs = geoevents::input::expand(&[PathBuf::from("articles/")], &[]).unwrap();
/// ```
pub fn expand(paths: &[PathBuf], jsonl: &[PathBuf]) -> Result<Vec<Input>, InputError> {
    let mut out = Vec::new();
    let all = paths
        .iter()
        .map(|p| (p, None))
        .chain(jsonl.iter().map(|p| (p, Some(InputKind::Jsonl))));
    for (p, forced) in all {
        if p.as_os_str() == "-" {
            out.push(Input {
                source: Source::Stdin,
                kind: forced.unwrap_or(InputKind::Text),
                named: true,
            });
            continue;
        }
        let text = p.to_string_lossy();
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found).map_err(|source| InputError::Unreadable {
                path: p.clone(),
                source,
            })?;
            found.sort();
            if found.is_empty() {
                return Err(InputError::BadTable {
                    path: p.clone(),
                    problem: "the folder holds no .txt, .md, .html, .jsonl or .csv file".into(),
                });
            }
            out.extend(found.into_iter().map(|f| Input {
                kind: forced.unwrap_or(InputKind::of_path(&f)),
                source: Source::File(f),
                named: false,
            }));
        } else if !p.exists() && has_glob(&text) {
            let pattern = glob::glob(&text).map_err(|e| InputError::BadTable {
                path: p.clone(),
                problem: format!("not a valid pattern: {e}"),
            })?;
            let mut found: Vec<PathBuf> = pattern.filter_map(Result::ok).collect();
            found.retain(|f| f.is_file());
            found.sort();
            if found.is_empty() {
                return Err(InputError::NoMatch {
                    pattern: text.into_owned(),
                });
            }
            out.extend(found.into_iter().map(|f| Input {
                kind: forced.unwrap_or(InputKind::of_path(&f)),
                source: Source::File(f),
                named: false,
            }));
        } else {
            out.push(Input {
                source: Source::File(p.clone()),
                kind: forced.unwrap_or(InputKind::of_path(p)),
                named: true,
            });
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let ty = entry.file_type()?;
        if ty.is_dir() || (ty.is_symlink() && path.is_dir()) {
            walk(&path, out)?;
        } else if InputKind::known(&path).is_some() {
            out.push(path);
        }
    }
    Ok(())
}

/// True for text that opens as an HTML document does.
fn looks_like_html(text: &str) -> bool {
    let head: String = text
        .trim_start()
        .chars()
        .take(15)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("<!doctype html") || head.starts_with("<html")
}

/// What reading yields: a document, or a record or file skipped and why.
#[derive(Debug)]
pub enum Item {
    /// A document read.
    Doc(Document),
    /// A bad record or file, left out; the error names it.
    Skipped(InputError),
}

/// The open input being read record by record.
enum Open {
    Lines {
        path: PathBuf,
        reader: Box<dyn BufRead + Send>,
        line: usize,
        records: usize,
    },
    Table {
        path: PathBuf,
        reader: Box<csv::Reader<Box<dyn Read + Send>>>,
        columns: TableColumns,
    },
}

#[derive(Clone, Copy)]
struct TableColumns {
    text: usize,
    id: Option<usize>,
    title: Option<usize>,
    date: Option<usize>,
    url: Option<usize>,
}

/// Documents read lazily from inputs, in order: the inputs as given, the
/// records of each file as they come.
///
/// A fatal error (a named file that is missing, empty, binary or not UTF-8)
/// ends the stream with `Err`; everything else bad is an [`Item::Skipped`].
pub struct Documents {
    inputs: VecDeque<Input>,
    open: Option<Open>,
    date: Option<NaiveDate>,
    bytes: u64,
    max_doc: u64,
}

impl Documents {
    /// Reads `inputs`; `date` dates the documents that carry no date of their own.
    pub fn new(inputs: Vec<Input>, date: Option<NaiveDate>) -> Documents {
        Documents {
            inputs: inputs.into(),
            open: None,
            date,
            bytes: 0,
            max_doc: super::MAX_DOC_BYTES,
        }
    }

    /// Refuses documents larger than `bytes` (a file, or a JSON Lines record).
    pub fn max_doc_bytes(mut self, bytes: u64) -> Documents {
        self.max_doc = bytes;
        self
    }

    /// Bytes of input read so far (for progress).
    pub fn bytes_read(&self) -> u64 {
        self.bytes
    }

    fn open(source: &Source) -> std::io::Result<Box<dyn Read + Send>> {
        Ok(match source {
            Source::Stdin => Box::new(std::io::stdin()),
            Source::File(p) => Box::new(std::fs::File::open(p)?),
        })
    }

    /// Starts reading `input`: a whole document, or an open stream of records.
    fn start(&mut self, input: Input) -> Result<Option<Item>, InputError> {
        let label = input.source.label();
        let fail = |e: InputError| -> Result<Option<Item>, InputError> {
            if input.named {
                Err(e)
            } else {
                Ok(Some(Item::Skipped(e)))
            }
        };
        let unreadable = |source| InputError::Unreadable {
            path: label.clone(),
            source,
        };
        let reader = match Self::open(&input.source) {
            Ok(r) => r,
            Err(e) => return fail(unreadable(e)),
        };
        match input.kind {
            InputKind::Text | InputKind::Html => {
                let mut bytes = Vec::new();
                // Read one byte past the limit to tell a file over it without reading it all.
                if let Err(e) = reader.take(self.max_doc + 1).read_to_end(&mut bytes) {
                    return fail(unreadable(e));
                }
                if bytes.len() as u64 > self.max_doc {
                    return fail(InputError::TooLarge {
                        path: label,
                        limit_mb: self.max_doc / 1_000_000,
                    });
                }
                self.bytes += bytes.len() as u64;
                let text = match text_of(&label, bytes) {
                    Ok(t) => t,
                    Err(e) => return fail(e),
                };
                // A page piped in (`curl ... | geoevents map -`) is read as HTML.
                let html = input.kind == InputKind::Html
                    || (input.source == Source::Stdin && looks_like_html(&text));
                let text = if html {
                    super::html::to_text(&text)
                } else {
                    text
                };
                if text.trim().is_empty() {
                    return fail(InputError::Empty { path: label });
                }
                let id = match &input.source {
                    Source::Stdin => "stdin".to_string(),
                    Source::File(p) => stem_id(p),
                };
                Ok(Some(Item::Doc(Document::from_text(&id, &text, self.date))))
            }
            InputKind::Jsonl => {
                self.open = Some(Open::Lines {
                    path: label,
                    reader: Box::new(BufReader::with_capacity(1 << 16, reader)),
                    line: 0,
                    records: 0,
                });
                Ok(None)
            }
            InputKind::Csv => {
                let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
                let headers = match r.headers() {
                    Ok(h) => h.clone(),
                    Err(e) => {
                        return fail(InputError::BadTable {
                            path: label,
                            problem: format!("not a CSV table: {e}"),
                        })
                    }
                };
                let find = |name: &str| {
                    headers
                        .iter()
                        .position(|h| h.trim().eq_ignore_ascii_case(name))
                };
                let Some(text) = find("text") else {
                    return fail(InputError::BadTable {
                        path: label,
                        problem: "the table has no `text` column; to place its rows by a \
                                  column of place names, use `geoevents geocode`"
                            .into(),
                    });
                };
                self.open = Some(Open::Table {
                    path: label,
                    reader: Box::new(r),
                    columns: TableColumns {
                        text,
                        id: find("id"),
                        title: find("title"),
                        date: find("date"),
                        url: find("url"),
                    },
                });
                Ok(None)
            }
        }
    }

    /// The next record of the open input; `None` at its end.
    fn next_record(&mut self) -> Option<Result<Item, InputError>> {
        let date = self.date;
        match self.open.as_mut()? {
            Open::Lines {
                path,
                reader,
                line,
                records,
            } => {
                let mut buf = Vec::new();
                loop {
                    buf.clear();
                    *line += 1;
                    let n = match reader.read_until(b'\n', &mut buf) {
                        Ok(n) => n,
                        Err(source) => {
                            let e = InputError::Unreadable {
                                path: path.clone(),
                                source,
                            };
                            self.open = None;
                            return Some(Err(e));
                        }
                    };
                    if n == 0 {
                        let empty = *records == 0;
                        let path = path.clone();
                        self.open = None;
                        return empty.then_some(Ok(Item::Skipped(InputError::Empty { path })));
                    }
                    self.bytes += n as u64;
                    let bad = |problem: String| InputError::BadLine {
                        path: path.clone(),
                        line: *line,
                        problem,
                    };
                    if n as u64 > self.max_doc {
                        *records += 1;
                        return Some(Ok(Item::Skipped(bad(format!(
                            "the record is {} MB, over the {} MB limit (--max-doc-size)",
                            n / 1_000_000,
                            self.max_doc / 1_000_000
                        )))));
                    }
                    let Ok(text) = std::str::from_utf8(&buf) else {
                        *records += 1;
                        return Some(Ok(Item::Skipped(bad("the line is not UTF-8 text".into()))));
                    };
                    let text = text.trim_start_matches('\u{feff}');
                    if text.trim().is_empty() {
                        continue;
                    }
                    *records += 1;
                    return Some(Ok(match parse_record(text, *line, date) {
                        Ok(d) => Item::Doc(d.doc),
                        Err(problem) => Item::Skipped(bad(problem)),
                    }));
                }
            }
            Open::Table {
                path,
                reader,
                columns,
            } => {
                let mut row = csv::StringRecord::new();
                let line = reader.position().line() + 1;
                match reader.read_record(&mut row) {
                    Ok(false) => {
                        self.open = None;
                        None
                    }
                    Err(e) => {
                        let item = Item::Skipped(InputError::BadLine {
                            path: path.clone(),
                            line: e.position().map_or(line, |p| p.line()) as usize,
                            problem: format!("not a CSV row: {e}"),
                        });
                        // A broken quote can swallow the rest; an I/O error ends the table.
                        if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                            self.open = None;
                        }
                        Some(Ok(item))
                    }
                    Ok(true) => {
                        self.bytes += row.as_slice().len() as u64 + row.len() as u64;
                        let line = row.position().map_or(line, |p| p.line()) as usize;
                        let cell = |i: Option<usize>| {
                            i.and_then(|i| row.get(i))
                                .map(str::trim)
                                .filter(|s| !s.is_empty())
                        };
                        let bad = |problem: &str| {
                            Some(Ok(Item::Skipped(InputError::BadLine {
                                path: path.clone(),
                                line,
                                problem: problem.to_string(),
                            })))
                        };
                        let Some(text) = cell(Some(columns.text)) else {
                            return bad("the `text` cell is empty");
                        };
                        let day = match cell(columns.date) {
                            Some(d) => match parse_day(d) {
                                Some(d) => Some(d),
                                None => return bad(&format!("`date` is not YYYY-MM-DD: `{d}`")),
                            },
                            None => date,
                        };
                        let id = cell(columns.id)
                            .map(str::to_string)
                            .unwrap_or_else(|| format!("{line}"));
                        let mut doc = Document::from_text(&id, text, day);
                        if let Some(t) = cell(columns.title) {
                            doc.title = t.to_string();
                        }
                        doc.url = cell(columns.url).map(str::to_string);
                        Some(Ok(Item::Doc(doc)))
                    }
                }
            }
        }
    }
}

impl Iterator for Documents {
    type Item = Result<Item, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.open.is_some() {
                match self.next_record() {
                    Some(item) => return Some(item),
                    None => continue,
                }
            }
            let input = self.inputs.pop_front()?;
            let named = input.named;
            match self.start(input) {
                Ok(Some(item)) => return Some(Ok(item)),
                Ok(None) => {
                    // A named, empty JSON Lines file is an error, as a named empty text file is.
                    if named {
                        if let Some(Open::Lines { .. }) = &self.open {
                            match self.next_record() {
                                Some(Ok(Item::Skipped(e @ InputError::Empty { .. }))) => {
                                    return Some(Err(e))
                                }
                                Some(item) => return Some(item),
                                None => continue,
                            }
                        }
                    }
                    continue;
                }
                Err(e) => {
                    self.inputs.clear();
                    return Some(Err(e));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs(inputs: Vec<Input>) -> Vec<Result<Item, InputError>> {
        Documents::new(inputs, None).collect()
    }

    #[test]
    fn folders_are_read_recursively_by_extension() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("sub/deeper")).unwrap();
        std::fs::create_dir_all(d.join(".git")).unwrap();
        std::fs::write(d.join("b.txt"), "Ships off Busan.").unwrap();
        std::fs::write(d.join("sub/a.md"), "# Drills\n\nDrills near Okinawa.").unwrap();
        std::fs::write(d.join("sub/deeper/c.html"), "<p>Talks in Geneva.</p>").unwrap();
        std::fs::write(d.join("sub/notes.pdf"), "%PDF").unwrap();
        std::fs::write(d.join(".git/x.txt"), "hidden").unwrap();
        let inputs = expand(&[d.to_path_buf()], &[]).unwrap();
        let names: Vec<String> = inputs
            .iter()
            .map(|i| {
                i.source
                    .label()
                    .strip_prefix(d)
                    .unwrap()
                    .display()
                    .to_string()
            })
            .collect();
        assert_eq!(names, ["b.txt", "sub/a.md", "sub/deeper/c.html"]);
        let got = docs(inputs);
        let texts: Vec<String> = got
            .into_iter()
            .map(|r| match r.unwrap() {
                Item::Doc(d) => d.text,
                Item::Skipped(e) => panic!("{e}"),
            })
            .collect();
        assert_eq!(texts[2], "Talks in Geneva.");
    }

    #[test]
    fn a_bad_jsonl_line_is_skipped_with_its_number() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.jsonl");
        std::fs::write(
            &p,
            "{\"id\":\"a\",\"text\":\"Ships off Busan.\",\"url\":\"https://x\"}\n\n{\"id\":\"b\",\"text\":\nnot json\n{\"id\":\"c\",\"text\":\"Talks.\",\"date\":\"2024-07-01T10:00:00Z\"}\n",
        )
        .unwrap();
        let got = docs(expand(std::slice::from_ref(&p), &[]).unwrap());
        assert_eq!(got.len(), 4);
        match &got[0] {
            Ok(Item::Doc(d)) => {
                assert_eq!((d.id.as_str(), d.url.as_deref()), ("a", Some("https://x")))
            }
            other => panic!("{other:?}"),
        }
        for (i, line) in [(1, 3), (2, 4)] {
            match &got[i] {
                Ok(Item::Skipped(e)) => {
                    let s = e.to_string();
                    assert!(s.contains(&format!("c.jsonl line {line}:")), "{s}");
                }
                other => panic!("{other:?}"),
            }
        }
        match &got[3] {
            Ok(Item::Doc(d)) => assert_eq!(d.date.unwrap().to_string(), "2024-07-01"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn named_bad_files_stop_but_found_ones_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.txt");
        std::fs::write(&empty, " \n").unwrap();
        let good = dir.path().join("good.txt");
        std::fs::write(&good, "Ships off Busan.").unwrap();
        let named = docs(expand(&[good.clone(), empty.clone()], &[]).unwrap());
        assert!(matches!(named[1], Err(InputError::Empty { .. })));
        let found = docs(expand(&[dir.path().to_path_buf()], &[]).unwrap());
        assert!(matches!(
            found[0],
            Ok(Item::Skipped(InputError::Empty { .. }))
        ));
        assert!(matches!(found[1], Ok(Item::Doc(_))));
        let e = expand(&[dir.path().join("*.nothing")], &[]).unwrap_err();
        assert!(e.to_string().contains("no file matches"), "{e}");
        let glob = expand(&[dir.path().join("g*.txt")], &[]).unwrap();
        assert_eq!(glob.len(), 1);
    }

    #[test]
    fn csv_tables_give_one_document_a_row() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(
            &p,
            "id,date,text\n1,2024-05-01,\"Ships off Busan, Korea.\"\n2,,\n3,May 5,Talks.\n",
        )
        .unwrap();
        let got = docs(expand(std::slice::from_ref(&p), &[]).unwrap());
        assert!(
            matches!(&got[0], Ok(Item::Doc(d)) if d.text == "Ships off Busan, Korea." && d.date.is_some())
        );
        assert!(matches!(&got[1], Ok(Item::Skipped(e)) if e.to_string().contains("line 3")));
        assert!(matches!(&got[2], Ok(Item::Skipped(e)) if e.to_string().contains("line 4")));
        let q = dir.path().join("places.csv");
        std::fs::write(&q, "place,country\nParis,FR\n").unwrap();
        let got = docs(expand(&[q], &[]).unwrap());
        assert!(matches!(&got[0], Err(e) if e.to_string().contains("geocode")));
    }
}
