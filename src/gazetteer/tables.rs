//! The gazetteer's tables as rows, and the compact binary index built from them.
//!
//! The index is built at compile time for the embedded default (see `build.rs`,
//! which includes this file) and once per user gazetteer file, so loading is a
//! matter of decoding fixed-size records, not parsing text.
//!
//! Layout (little-endian): a header of section offsets; place records of
//! `RECORD_LEN` bytes; a string table; alternate-name references; an FST map
//! from name keys to postings offsets; postings (u32 place index << 1 | primary).

use std::collections::BTreeMap;
use std::fmt;

use super::kind::PlaceKind;
use super::normalize::{generic_variants, name_key};

/// Magic and format version at the start of every index.
pub const MAGIC: &[u8; 8] = b"GEOEVG02";

/// Bytes of one place record.
pub const RECORD_LEN: usize = 72;

/// A problem in a table, with where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct TableError {
    pub source_name: String,
    pub line: usize,
    pub problem: String,
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.source_name, self.problem)
        } else {
            write!(
                f,
                "{} line {}: {}",
                self.source_name, self.line, self.problem
            )
        }
    }
}

impl std::error::Error for TableError {}

/// Where a row came from (stored as one byte).
pub const SOURCE_GEONAMES: u8 = 0;
pub const SOURCE_NATURAL_EARTH: u8 = 1;
pub const SOURCE_CURATED: u8 = 2;
pub const SOURCE_USER: u8 = 3;
pub const SOURCE_US_CENSUS: u8 = 4;
/// GeoNames places below 1,000 people (`villages.tsv`): candidates only with context.
pub const SOURCE_GEONAMES_SMALL: u8 = 5;

/// One place, as read from a table, before indexing.
#[derive(Debug, Clone, PartialEq)]
pub struct PlaceRow {
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    pub lat: f64,
    pub lon: f64,
    /// west, south, east, north
    pub bbox: Option<[f64; 4]>,
    pub country: String,
    pub iso3: String,
    pub admin1: String,
    /// GeoNames admin2 code (within `country` and `admin1`), where known.
    pub admin2: String,
    pub population: u64,
    pub rank: u8,
    pub source: u8,
    pub alt_names: Vec<String>,
}

/// A parsed TSV text: header columns and data lines (comments and blanks skipped).
pub struct Table<'a> {
    source_name: &'a str,
    columns: BTreeMap<&'a str, usize>,
    lines: Vec<(usize, Vec<&'a str>)>,
}

/// One data row of a `Table`.
pub struct Row<'t, 'a> {
    table: &'t Table<'a>,
    line: usize,
    fields: &'t [&'a str],
}

impl<'a> Table<'a> {
    pub fn parse(source_name: &'a str, text: &'a str) -> Result<Table<'a>, TableError> {
        let mut lines = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with('#'))
            .map(|(i, l)| (i + 1, l.split('\t').collect::<Vec<_>>()));
        let (_, header) = lines.next().ok_or_else(|| TableError {
            source_name: source_name.into(),
            line: 0,
            problem: "the file is empty".into(),
        })?;
        let columns = header
            .iter()
            .enumerate()
            .map(|(i, c)| (c.trim(), i))
            .collect();
        Ok(Table {
            source_name,
            columns,
            lines: lines.collect(),
        })
    }

    pub fn rows(&self) -> impl Iterator<Item = Row<'_, 'a>> {
        self.lines.iter().map(move |(line, fields)| Row {
            table: self,
            line: *line,
            fields,
        })
    }

    pub fn has_column(&self, c: &str) -> bool {
        self.columns.contains_key(c)
    }
}

impl<'t, 'a> Row<'t, 'a> {
    /// The field in `column`; an empty string where the line is short.
    pub fn get(&self, column: &str) -> Result<&'a str, TableError> {
        let i = *self.table.columns.get(column).ok_or_else(|| TableError {
            source_name: self.table.source_name.into(),
            // The header is the first line.
            line: 1,
            problem: format!("the header is missing column `{column}`"),
        })?;
        Ok(self.fields.get(i).map(|s| s.trim()).unwrap_or(""))
    }

    pub fn bad(&self, problem: String) -> TableError {
        TableError {
            source_name: self.table.source_name.into(),
            line: self.line,
            problem,
        }
    }

    /// Parses `column`, or gives `default` when it is empty.
    pub fn parse_or<T: std::str::FromStr>(
        &self,
        column: &str,
        default: T,
    ) -> Result<T, TableError> {
        let s = self.get(column)?;
        if s.is_empty() {
            return Ok(default);
        }
        s.parse()
            .map_err(|_| self.bad(format!("`{column}` is not a number: `{s}`")))
    }

    fn float(&self, column: &str) -> Result<f64, TableError> {
        let s = self.get(column)?;
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.bad(format!("`{column}` is not a number: `{s}`")))
    }

    /// (lat, lon), checked to be on Earth.
    pub fn lat_lon(&self) -> Result<(f64, f64), TableError> {
        let (lat, lon) = (self.float("lat")?, self.float("lon")?);
        if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            Ok((lat, lon))
        } else {
            Err(self.bad(format!("coordinates out of range: {lat}, {lon}")))
        }
    }

    pub fn bbox(&self) -> Result<Option<[f64; 4]>, TableError> {
        if !self.table.has_column("west") || self.get("west")?.is_empty() {
            return Ok(None);
        }
        Ok(Some([
            self.float("west")?,
            self.float("south")?,
            self.float("east")?,
            self.float("north")?,
        ]))
    }
}

/// The field in `column`, or an empty string where the table has no such column.
fn optional<'a>(row: &Row<'_, 'a>, column: &str) -> Result<&'a str, TableError> {
    if row.table.has_column(column) {
        row.get(column)
    } else {
        Ok("")
    }
}

fn alt_list(s: &str) -> Vec<String> {
    s.split('|')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

/// Rank from population, for entries with no hand-set prominence.
pub fn rank_from_population(pop: u64) -> u8 {
    match pop {
        p if p >= 5_000_000 => 1,
        p if p >= 1_000_000 => 2,
        p if p >= 200_000 => 3,
        p if p >= 50_000 => 4,
        _ => 5,
    }
}

/// The TSV texts of the default tables (see `gazetteer/README.md`).
pub struct TableTexts<'a> {
    pub countries: &'a str,
    pub admin1: &'a str,
    pub admin2: &'a str,
    /// Second-order divisions outside the US (`admin2_world.tsv`); may be empty.
    pub admin2_world: &'a str,
    pub cities: &'a str,
    /// Places below 1,000 people (`villages.tsv`); may be empty.
    pub villages: &'a str,
    pub continents: &'a str,
    pub physical: &'a str,
}

/// Reads every table into rows, in a fixed order: countries, admin1, admin2, cities, continents,
/// physical.
pub fn rows_from_tables(t: &TableTexts<'_>) -> Result<Vec<PlaceRow>, TableError> {
    let mut out = Vec::new();
    let mut capitals: BTreeMap<String, String> = BTreeMap::new();
    let countries = Table::parse("countries.tsv", t.countries)?;
    for row in countries.rows() {
        let iso2 = row.get("iso2")?.to_string();
        if !row.get("capital")?.is_empty() {
            capitals.insert(iso2.clone(), row.get("capital")?.to_string());
        }
        let (lat, lon) = row.lat_lon()?;
        let population = row.parse_or("population", 0u64)?;
        out.push(PlaceRow {
            id: row.get("id")?.into(),
            name: row.get("name")?.into(),
            kind: PlaceKind::Country,
            lat,
            lon,
            bbox: row.bbox()?,
            country: iso2,
            iso3: row.get("iso3")?.into(),
            admin1: String::new(),
            admin2: String::new(),
            population,
            rank: if population >= 1_000_000 { 1 } else { 2 },
            source: SOURCE_GEONAMES,
            alt_names: alt_list(row.get("alternate_names")?),
        });
    }
    let admin1 = Table::parse("admin1.tsv", t.admin1)?;
    for row in admin1.rows() {
        out.push(division_row(
            &row,
            PlaceKind::Admin1,
            3,
            SOURCE_NATURAL_EARTH,
        )?);
    }
    let admin2 = Table::parse("admin2.tsv", t.admin2)?;
    for row in admin2.rows() {
        out.push(division_row(&row, PlaceKind::Admin2, 4, SOURCE_US_CENSUS)?);
    }
    if !t.admin2_world.is_empty() {
        let world = Table::parse("admin2_world.tsv", t.admin2_world)?;
        for row in world.rows() {
            out.push(division_row(&row, PlaceKind::Admin2, 4, SOURCE_GEONAMES)?);
        }
    }
    let cities = Table::parse("cities.tsv", t.cities)?;
    for row in cities.rows() {
        out.push(city_row(&row, &capitals, SOURCE_GEONAMES)?);
    }
    if !t.villages.is_empty() {
        let villages = Table::parse("villages.tsv", t.villages)?;
        for row in villages.rows() {
            out.push(city_row(&row, &BTreeMap::new(), SOURCE_GEONAMES_SMALL)?);
        }
    }
    let continents = Table::parse("continents.tsv", t.continents)?;
    for row in continents.rows() {
        let (lat, lon) = row.lat_lon()?;
        out.push(PlaceRow {
            id: row.get("id")?.into(),
            name: row.get("name")?.into(),
            kind: PlaceKind::Continent,
            lat,
            lon,
            bbox: row.bbox()?,
            // The continent code, so demonyms ("European") can name it.
            country: String::new(),
            iso3: row.get("code")?.into(),
            admin1: String::new(),
            admin2: String::new(),
            population: 0,
            rank: 1,
            source: SOURCE_GEONAMES,
            alt_names: alt_list(row.get("alternate_names")?),
        });
    }
    let physical = Table::parse("physical.tsv", t.physical)?;
    for row in physical.rows() {
        out.push(physical_row(&row, SOURCE_CURATED)?);
    }
    Ok(out)
}

/// An administrative division row (`admin1.tsv` and `admin2.tsv` columns).
fn division_row(
    row: &Row<'_, '_>,
    kind: PlaceKind,
    rank: u8,
    source: u8,
) -> Result<PlaceRow, TableError> {
    let (lat, lon) = row.lat_lon()?;
    Ok(PlaceRow {
        id: row.get("id")?.into(),
        name: row.get("name")?.into(),
        kind,
        lat,
        lon,
        bbox: row.bbox()?,
        country: row.get("country")?.into(),
        iso3: String::new(),
        admin1: row.get("admin1_code")?.into(),
        admin2: optional(row, "admin2_code")?.into(),
        population: 0,
        rank,
        source,
        alt_names: alt_list(row.get("alternate_names")?),
    })
}

/// A populated place row (`cities.tsv` columns).
pub fn city_row(
    row: &Row<'_, '_>,
    capitals: &BTreeMap<String, String>,
    source: u8,
) -> Result<PlaceRow, TableError> {
    let (lat, lon) = row.lat_lon()?;
    let population = row.parse_or("population", 0u64)?;
    let country = row.get("country")?.to_string();
    let name = row.get("name")?.to_string();
    // The build script marks the one capital city of each country; a name match alone
    // would crown every Washington in the United States.
    let feature = row.get("feature")?;
    let is_capital = feature == "PPLC"
        || (feature.is_empty() && capitals.get(&country).is_some_and(|c| *c == name));
    Ok(PlaceRow {
        id: row.get("id")?.into(),
        name,
        kind: if is_capital {
            PlaceKind::Capital
        } else {
            PlaceKind::City
        },
        lat,
        lon,
        bbox: None,
        country,
        iso3: String::new(),
        admin1: row.get("admin1_code")?.into(),
        admin2: optional(row, "admin2_code")?.into(),
        population,
        rank: if is_capital {
            1
        } else {
            rank_from_population(population)
        },
        source,
        alt_names: alt_list(row.get("alternate_names")?),
    })
}

/// A row of the curated table (`physical.tsv` columns), also the format of user TSVs.
pub fn physical_row(row: &Row<'_, '_>, source: u8) -> Result<PlaceRow, TableError> {
    let code = row.get("kind")?;
    let kind =
        PlaceKind::from_code(code).ok_or_else(|| row.bad(format!("unknown kind `{code}`")))?;
    let (lat, lon) = row.lat_lon()?;
    let population = if row.table.has_column("population") {
        row.parse_or("population", 0u64)?
    } else {
        0
    };
    let default_rank = if population > 0 {
        rank_from_population(population)
    } else {
        3
    };
    Ok(PlaceRow {
        id: row.get("id")?.into(),
        name: row.get("name")?.into(),
        kind,
        lat,
        lon,
        bbox: row.bbox()?,
        country: row.get("country")?.into(),
        iso3: String::new(),
        admin1: if row.table.has_column("admin1_code") {
            row.get("admin1_code")?.into()
        } else {
            String::new()
        },
        admin2: optional(row, "admin2_code")?.into(),
        population,
        rank: if row.table.has_column("rank") {
            row.parse_or("rank", default_rank)?.clamp(1, 5)
        } else {
            default_rank
        },
        source,
        alt_names: alt_list(row.get("alternate_names")?),
    })
}

/// All index keys of a row: its names, and for water bodies the swapped-generic variants.
pub fn row_keys(r: &PlaceRow) -> Vec<(String, bool)> {
    let mut keys: Vec<(String, bool)> = vec![(name_key(&r.name), true)];
    keys.extend(r.alt_names.iter().map(|n| (name_key(n), false)));
    if r.kind.is_water() {
        let extra: Vec<(String, bool)> = keys
            .iter()
            .flat_map(|(k, _)| generic_variants(k))
            .map(|k| (k, false))
            .collect();
        keys.extend(extra);
    }
    keys.retain(|(k, _)| !k.is_empty());
    keys
}

struct Writer {
    strings: Vec<u8>,
}

impl Writer {
    fn string(&mut self, s: &str) -> (u32, u32) {
        let off = self.strings.len() as u32;
        self.strings.extend_from_slice(s.as_bytes());
        (off, s.len() as u32)
    }
}

fn put_u32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn put_f32(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&(v as f32).to_le_bytes());
}

fn code_bytes<const N: usize>(s: &str) -> [u8; N] {
    let mut b = [0u8; N];
    for (i, c) in s.bytes().take(N).enumerate() {
        b[i] = c;
    }
    b
}

/// Builds the binary index of `rows`; `max_name_tokens` and every section are in its header.
pub fn build_index(rows: &[PlaceRow]) -> Vec<u8> {
    let mut w = Writer {
        strings: Vec::new(),
    };
    let mut records = Vec::with_capacity(rows.len() * RECORD_LEN);
    let mut alts: Vec<u8> = Vec::new();
    let mut alt_count = 0u32;
    let mut postings: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    for (i, r) in rows.iter().enumerate() {
        let (id_off, id_len) = w.string(&r.id);
        let (name_off, name_len) = w.string(&r.name);
        let (a1_off, a1_len) = w.string(&r.admin1);
        let (a2_off, a2_len) = w.string(&r.admin2);
        let alt_start = alt_count;
        for a in &r.alt_names {
            let (o, l) = w.string(a);
            put_u32(&mut alts, o);
            put_u32(&mut alts, l);
            alt_count += 1;
        }
        let start = records.len();
        put_u32(&mut records, id_off);
        put_u32(&mut records, name_off);
        put_u32(&mut records, a1_off);
        put_u32(&mut records, alt_start);
        put_f32(&mut records, r.lat);
        put_f32(&mut records, r.lon);
        let b = r.bbox.unwrap_or([f64::NAN; 4]);
        for v in b {
            put_f32(&mut records, v);
        }
        put_u32(&mut records, r.population.min(u32::MAX as u64) as u32);
        records.extend_from_slice(&(id_len as u16).to_le_bytes());
        records.extend_from_slice(&(name_len as u16).to_le_bytes());
        records.extend_from_slice(&(a1_len as u16).to_le_bytes());
        records
            .extend_from_slice(&((r.alt_names.len().min(u16::MAX as usize)) as u16).to_le_bytes());
        let kind_idx = PlaceKind::ALL
            .iter()
            .position(|k| *k == r.kind)
            .unwrap_or(0) as u8;
        records.extend_from_slice(&[kind_idx, r.rank, r.source, r.bbox.is_some() as u8]);
        records.extend_from_slice(&code_bytes::<2>(&r.country));
        records.extend_from_slice(&code_bytes::<3>(&r.iso3));
        records.resize(start + 64, 0);
        put_u32(&mut records, a2_off);
        records.extend_from_slice(&(a2_len as u16).to_le_bytes());
        records.resize(start + RECORD_LEN, 0);
        for (key, primary) in row_keys(r) {
            let v = postings.entry(key).or_default();
            let p = (i as u32) << 1 | primary as u32;
            match v.iter_mut().find(|x| **x >> 1 == i as u32) {
                Some(x) => *x |= primary as u32,
                None => v.push(p),
            }
        }
    }
    let max_tokens = postings
        .keys()
        .map(|k| k.split(' ').count())
        .max()
        .unwrap_or(1) as u32;
    let mut post_bytes = Vec::new();
    let mut builder = fst::MapBuilder::memory();
    for (key, list) in &postings {
        let off = (post_bytes.len() / 4) as u64;
        put_u32(&mut post_bytes, list.len() as u32);
        for p in list {
            put_u32(&mut post_bytes, *p);
        }
        // Keys come sorted from the BTreeMap, so insertion cannot fail.
        builder.insert(key, off).expect("sorted keys");
    }
    let fst_bytes = builder.into_inner().expect("in-memory FST");

    let mut out = Vec::new();
    out.extend_from_slice(MAGIC);
    let header_len = 8 + 4 * 8;
    let sections = [&records, &w.strings, &alts, &fst_bytes, &post_bytes];
    let mut off = header_len as u32;
    put_u32(&mut out, rows.len() as u32);
    put_u32(&mut out, max_tokens);
    // Sections are packed with no padding: the FST reads its footer from its last bytes.
    for s in sections {
        put_u32(&mut out, off);
        off += s.len() as u32;
    }
    put_u32(&mut out, off);
    for s in sections {
        out.extend_from_slice(s);
    }
    out
}
