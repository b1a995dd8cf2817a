//! User gazetteers given with `--gazetteer PATH`: GeoNames dumps (`allCountries.txt`,
//! a country file such as `JP.txt`, with `alternateNamesV2.txt` beside it if present)
//! or our own TSV. Each is indexed once into a cache file and reused until the
//! source changes.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use super::kind::PlaceKind;
use super::tables::{self, PlaceRow, Table};
use super::{Gazetteer, GazetteerError};

/// Cache files start with this, then a u64 fingerprint of the sources, a u64 checksum
/// of the index, then the index.
const CACHE_MAGIC: &[u8; 8] = b"GEVCACH2";

/// Errors loading a user gazetteer; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read gazetteer {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} line {line}: {problem}", path.display())]
    BadLine {
        path: PathBuf,
        line: usize,
        problem: String,
    },
    #[error("{}: no place could be read from it (expected a GeoNames dump or a geoevents TSV)", path.display())]
    NoPlaces { path: PathBuf },
    #[error("{}: {source}", path.display())]
    Index {
        path: PathBuf,
        source: GazetteerError,
    },
}

/// What happened to the cache, for the user's information.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CacheUse {
    /// Built from the source and written to this file.
    Built(PathBuf),
    /// Built, but no cache could be written (read-only folder): the reason.
    BuiltNotCached(String),
    /// Reused from this file.
    Reused(PathBuf),
}

/// The companion alternate-names file of a GeoNames dump, if it sits beside it.
fn alternate_names_file(path: &Path) -> Option<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new("."));
    ["alternateNamesV2.txt", "alternateNames.txt"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

/// FNV-1a over a cache body, eight bytes at a time: a cheap guard against a truncated
/// or damaged file (not against a forged one).
fn checksum(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let w = u64::from_le_bytes(c.try_into().unwrap_or([0; 8]));
        h = (h ^ w).wrapping_mul(0x0000_0100_0000_01b3);
    }
    for &b in chunks.remainder() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^ bytes.len() as u64
}

fn fingerprint(paths: &[&Path], embedded: &Gazetteer) -> Result<u64, ImportError> {
    // FNV-1a over each file's canonical path, size and modification time, the format, and
    // the size of the embedded gazetteer the cache includes (a new binary may have more).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= *b as u64;
            h = h.wrapping_mul(0x100_0000_01b3);
        }
    };
    eat(tables::MAGIC);
    eat(&(embedded.len() as u64).to_le_bytes());
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|source| ImportError::Read {
            path: p.to_path_buf(),
            source,
        })?;
        let canon = std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
        eat(canon.to_string_lossy().as_bytes());
        eat(&meta.len().to_le_bytes());
        let mtime = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
        eat(&mtime.map(|d| d.as_nanos()).unwrap_or(0).to_le_bytes());
    }
    Ok(h)
}

/// Where the cache of `path` goes: beside it, or in the user's cache folder when that is not writable.
fn cache_paths(path: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "gazetteer".into());
    out.push(path.with_file_name(format!("{name}.geoevents-index")));
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    if let Some(b) = base {
        let canon = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let tag: u64 = canon
            .to_string_lossy()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ b as u64).wrapping_mul(0x100_0000_01b3)
            });
        out.push(b.join("geoevents").join(format!("{name}-{tag:016x}.index")));
    }
    out
}

/// Loads a user gazetteer together with the embedded default (theirs adds to ours;
/// an id present in both keeps ours), from its cache when the cache is current.
pub fn load_user_gazetteer(
    path: &Path,
    embedded: &Gazetteer,
    demonyms: &str,
    common_words: &str,
) -> Result<(Gazetteer, CacheUse), ImportError> {
    let alt = alternate_names_file(path);
    let mut sources: Vec<&Path> = vec![path];
    if let Some(a) = &alt {
        sources.push(a);
    }
    let fp = fingerprint(&sources, embedded)?;
    let index_err = |source| ImportError::Index {
        path: path.to_path_buf(),
        source,
    };
    for cache in cache_paths(path) {
        if let Ok(bytes) = std::fs::read(&cache) {
            // A cache is trusted only whole: its sources' fingerprint and a checksum of
            // its body must match, so a damaged file is rebuilt, never read.
            let intact = bytes.len() > 24
                && &bytes[..8] == CACHE_MAGIC
                && bytes[8..16] == fp.to_le_bytes()
                && bytes[16..24] == checksum(&bytes[24..]).to_le_bytes();
            if intact {
                let index: &'static [u8] = Box::leak(bytes.into_boxed_slice());
                if let Ok(g) = Gazetteer::from_index(
                    &cache.to_string_lossy(),
                    &index[24..],
                    demonyms,
                    common_words,
                ) {
                    return Ok((g, CacheUse::Reused(cache)));
                }
            }
        }
    }
    let mut rows = embedded_rows(embedded);
    let known: HashSet<String> = rows.iter().map(|r| r.id.clone()).collect();
    let user = read_rows(path, alt.as_deref())?;
    if user.is_empty() {
        return Err(ImportError::NoPlaces {
            path: path.to_path_buf(),
        });
    }
    rows.extend(user.into_iter().filter(|r| !known.contains(&r.id)));
    let index = tables::build_index(&rows);
    let mut file = Vec::with_capacity(index.len() + 24);
    file.extend_from_slice(CACHE_MAGIC);
    file.extend_from_slice(&fp.to_le_bytes());
    file.extend_from_slice(&checksum(&index).to_le_bytes());
    file.extend_from_slice(&index);
    let mut used = CacheUse::BuiltNotCached("no cache location".into());
    for cache in cache_paths(path) {
        if let Some(dir) = cache.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        match crate::atomic::write_atomic(&cache, &file) {
            Ok(()) => {
                used = CacheUse::Built(cache);
                break;
            }
            Err(e) => used = CacheUse::BuiltNotCached(e.to_string()),
        }
    }
    let index: &'static [u8] = Box::leak(index.into_boxed_slice());
    let g = Gazetteer::from_index(&path.to_string_lossy(), index, demonyms, common_words)
        .map_err(index_err)?;
    Ok((g, used))
}

/// The embedded places as rows, to merge with a user's.
fn embedded_rows(g: &Gazetteer) -> Vec<PlaceRow> {
    g.places()
        .iter()
        .map(|p| PlaceRow {
            id: p.id.to_string(),
            name: p.name.to_string(),
            kind: p.kind,
            lat: p.point.lat,
            lon: p.point.lon,
            bbox: p.bbox.map(|b| [b.west, b.south, b.east, b.north]),
            country: p.country.unwrap_or("").to_string(),
            iso3: p.iso3.unwrap_or("").to_string(),
            admin1: p.admin1.unwrap_or("").to_string(),
            admin2: p.admin2.unwrap_or("").to_string(),
            population: p.population,
            rank: p.rank,
            source: match p.source {
                super::Source::GeoNames => tables::SOURCE_GEONAMES,
                super::Source::NaturalEarth => tables::SOURCE_NATURAL_EARTH,
                super::Source::Curated => tables::SOURCE_CURATED,
                super::Source::User => tables::SOURCE_USER,
                super::Source::UsCensus => tables::SOURCE_US_CENSUS,
                super::Source::GeoNamesSmall => tables::SOURCE_GEONAMES_SMALL,
            },
            alt_names: g.alt_names(p).into_iter().map(str::to_string).collect(),
        })
        .collect()
}

/// Reads a user file: a geoevents TSV (header starting `id\tname\tkind`) or a GeoNames dump.
fn read_rows(path: &Path, alt: Option<&Path>) -> Result<Vec<PlaceRow>, ImportError> {
    let read_err = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let mut first = String::new();
    BufReader::new(File::open(path).map_err(read_err)?)
        .read_line(&mut first)
        .map_err(read_err)?;
    if first.starts_with("id\tname\tkind") {
        let mut text = String::new();
        File::open(path)
            .map_err(read_err)?
            .read_to_string(&mut text)
            .map_err(read_err)?;
        let name = path.to_string_lossy().into_owned();
        let t = Table::parse(&name, &text).map_err(|e| bad_line(path, e.line, e.problem))?;
        return t
            .rows()
            .map(|r| {
                tables::physical_row(&r, tables::SOURCE_USER)
                    .map_err(|e| bad_line(path, e.line, e.problem))
            })
            .collect();
    }
    read_geonames(path, alt)
}

fn bad_line(path: &Path, line: usize, problem: String) -> ImportError {
    ImportError::BadLine {
        path: path.to_path_buf(),
        line,
        problem,
    }
}

/// True for names in Latin script (the matcher works on transliterated text).
fn latin(s: &str) -> bool {
    s.chars()
        .all(|c| c.is_ascii() || ('\u{00c0}'..='\u{024f}').contains(&c) || c == '\u{2019}')
        && s.chars().any(|c| c.is_alphabetic())
}

/// Reads a GeoNames dump (19 tab-separated columns per line).
fn read_geonames(path: &Path, alt: Option<&Path>) -> Result<Vec<PlaceRow>, ImportError> {
    let read_err = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let reader = BufReader::new(File::open(path).map_err(read_err)?);
    let mut rows = Vec::new();
    let mut by_geonameid: HashMap<u64, usize> = HashMap::new();
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(read_err)?;
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 15 {
            return Err(bad_line(
                path,
                i + 1,
                format!(
                    "expected 19 tab-separated GeoNames columns, found {}",
                    f.len()
                ),
            ));
        }
        let Some(kind) = PlaceKind::from_geonames(f[6], f[7]) else {
            continue;
        };
        let id: u64 = f[0]
            .parse()
            .map_err(|_| bad_line(path, i + 1, format!("geonameid `{}` is not a number", f[0])))?;
        let lat: f64 = f[4]
            .parse()
            .map_err(|_| bad_line(path, i + 1, format!("latitude `{}` is not a number", f[4])))?;
        let lon: f64 = f[5]
            .parse()
            .map_err(|_| bad_line(path, i + 1, format!("longitude `{}` is not a number", f[5])))?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err(bad_line(
                path,
                i + 1,
                format!("coordinates out of range: {lat}, {lon}"),
            ));
        }
        let population: u64 = f[14].parse().unwrap_or(0);
        let name = f[1].to_string();
        let mut alt_names: Vec<String> = Vec::new();
        for a in std::iter::once(f[2]).chain(f[3].split(',')) {
            let a = a.trim();
            if a.len() >= 3 && a != name && latin(a) && !alt_names.iter().any(|x| x == a) {
                alt_names.push(a.to_string());
            }
        }
        by_geonameid.insert(id, rows.len());
        rows.push(PlaceRow {
            id: format!("gn:{id}"),
            name,
            kind,
            lat,
            lon,
            bbox: None,
            country: f[8].to_string(),
            iso3: String::new(),
            admin1: f[10].to_string(),
            admin2: f[11].to_string(),
            population,
            rank: tables::rank_from_population(population),
            source: tables::SOURCE_USER,
            alt_names,
        });
    }
    if let Some(alt) = alt {
        add_alternate_names(alt, &by_geonameid, &mut rows)?;
    }
    Ok(rows)
}

/// Adds English and unlabelled Latin-script names from `alternateNamesV2.txt`
/// (columns: id, geonameid, language, name, preferred, short, colloquial, historic, ...).
fn add_alternate_names(
    path: &Path,
    ids: &HashMap<u64, usize>,
    rows: &mut [PlaceRow],
) -> Result<(), ImportError> {
    let read_err = |source| ImportError::Read {
        path: path.to_path_buf(),
        source,
    };
    let reader = BufReader::new(File::open(path).map_err(read_err)?);
    for (i, line) in reader.lines().enumerate() {
        let line = line.map_err(read_err)?;
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            return Err(bad_line(
                path,
                i + 1,
                format!(
                    "expected GeoNames alternate-name columns, found {}",
                    f.len()
                ),
            ));
        }
        let Some(&row) = f[1].parse::<u64>().ok().and_then(|id| ids.get(&id)) else {
            continue;
        };
        let lang = f[2];
        let historic = f.get(7).is_some_and(|v| *v == "1");
        if !matches!(lang, "" | "en" | "abbr") || historic {
            continue;
        }
        let name = f[3].trim();
        let r = &mut rows[row];
        if name.len() >= 2
            && latin(name)
            && name != r.name
            && !r.alt_names.iter().any(|x| x == name)
        {
            r.alt_names.push(name.to_string());
        }
    }
    Ok(())
}
