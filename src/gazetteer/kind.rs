//! Place kinds, named by their GeoNames feature class and code.

use serde::Serialize;

/// What a gazetteer entry is: a country, a city, a strait, a region...
///
/// The codes are GeoNames `class.code` pairs, the lingua franca of geoparsers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum PlaceKind {
    Country,
    Admin1,
    Admin2,
    Capital,
    City,
    Continent,
    Region,
    Ocean,
    Sea,
    Strait,
    Gulf,
    Bay,
    Channel,
    Canal,
    Lake,
    River,
    Island,
    Islands,
    Peninsula,
    Mountains,
    Desert,
    Plain,
    /// A building or landmark news uses for an institution: the White House, the Kremlin.
    Building,
    /// A major airport, named on its own in news ("flights from Heathrow").
    Airport,
}

impl PlaceKind {
    /// Every kind, in a stable order.
    pub const ALL: [PlaceKind; 24] = [
        PlaceKind::Country,
        PlaceKind::Admin1,
        PlaceKind::Admin2,
        PlaceKind::Capital,
        PlaceKind::City,
        PlaceKind::Continent,
        PlaceKind::Region,
        PlaceKind::Ocean,
        PlaceKind::Sea,
        PlaceKind::Strait,
        PlaceKind::Gulf,
        PlaceKind::Bay,
        PlaceKind::Channel,
        PlaceKind::Canal,
        PlaceKind::Lake,
        PlaceKind::River,
        PlaceKind::Island,
        PlaceKind::Islands,
        PlaceKind::Peninsula,
        PlaceKind::Mountains,
        PlaceKind::Desert,
        PlaceKind::Plain,
        PlaceKind::Building,
        PlaceKind::Airport,
    ];

    /// The GeoNames feature class and code, e.g. `H.STRT`.
    pub fn code(self) -> &'static str {
        match self {
            PlaceKind::Country => "A.PCLI",
            PlaceKind::Admin1 => "A.ADM1",
            PlaceKind::Admin2 => "A.ADM2",
            PlaceKind::Capital => "P.PPLC",
            PlaceKind::City => "P.PPL",
            PlaceKind::Continent => "L.CONT",
            PlaceKind::Region => "L.RGN",
            PlaceKind::Ocean => "H.OCN",
            PlaceKind::Sea => "H.SEA",
            PlaceKind::Strait => "H.STRT",
            PlaceKind::Gulf => "H.GULF",
            PlaceKind::Bay => "H.BAY",
            PlaceKind::Channel => "H.CHN",
            PlaceKind::Canal => "H.CNL",
            PlaceKind::Lake => "H.LK",
            PlaceKind::River => "H.STM",
            PlaceKind::Island => "T.ISL",
            PlaceKind::Islands => "T.ISLS",
            PlaceKind::Peninsula => "T.PEN",
            PlaceKind::Mountains => "T.MTS",
            PlaceKind::Desert => "T.DSRT",
            PlaceKind::Plain => "T.PLN",
            PlaceKind::Building => "S.BLDG",
            PlaceKind::Airport => "S.AIRP",
        }
    }

    /// Parses a GeoNames code such as `H.STRT`; `None` for codes we do not carry.
    pub fn from_code(code: &str) -> Option<PlaceKind> {
        PlaceKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Maps a GeoNames feature class and code (as in the dumps) to a kind we carry;
    /// `None` for features news rarely means (roads, buildings, undersea features...).
    pub fn from_geonames(class: &str, code: &str) -> Option<PlaceKind> {
        Some(match (class, code) {
            ("A", "PCLI" | "PCL" | "PCLD" | "PCLF" | "PCLS" | "PCLIX" | "TERR") => {
                PlaceKind::Country
            }
            ("A", "ADM1") => PlaceKind::Admin1,
            ("A", "ADM2") => PlaceKind::Admin2,
            ("P", "PPLC") => PlaceKind::Capital,
            ("P", c) if c.starts_with("PPL") && c != "PPLH" && c != "PPLQ" && c != "PPLW" => {
                PlaceKind::City
            }
            ("H", "OCN") => PlaceKind::Ocean,
            ("H", "SEA") => PlaceKind::Sea,
            ("H", "STRT") => PlaceKind::Strait,
            ("H", "GULF") => PlaceKind::Gulf,
            ("H", "BAY" | "BAYS" | "COVE" | "INLT" | "FJD") => PlaceKind::Bay,
            ("H", "CHN" | "CHNM" | "CHNN" | "SD" | "NRWS") => PlaceKind::Channel,
            ("H", "CNL" | "CNLN") => PlaceKind::Canal,
            ("H", "LK" | "LKS" | "RSV") => PlaceKind::Lake,
            ("H", "STM" | "STMS") => PlaceKind::River,
            ("T", "ISL" | "ISLET" | "ATOL") => PlaceKind::Island,
            ("T", "ISLS" | "ARCH") => PlaceKind::Islands,
            ("T", "PEN" | "CAPE") => PlaceKind::Peninsula,
            ("T", "MTS" | "MT" | "HLLS" | "RDGE") => PlaceKind::Mountains,
            ("T", "DSRT") => PlaceKind::Desert,
            ("T", "PLN" | "PLAT" | "VAL" | "BSN") => PlaceKind::Plain,
            ("L", "CONT") => PlaceKind::Continent,
            ("L", "RGN" | "RGNE" | "AREA" | "PRK" | "RESN") => PlaceKind::Region,
            _ => return None,
        })
    }

    /// A short lower-case word for people: "strait", "country", "city".
    pub fn label(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Admin1 => "admin1",
            PlaceKind::Admin2 => "admin2",
            PlaceKind::Capital => "capital",
            PlaceKind::City => "city",
            PlaceKind::Continent => "continent",
            PlaceKind::Region => "region",
            PlaceKind::Ocean => "ocean",
            PlaceKind::Sea => "sea",
            PlaceKind::Strait => "strait",
            PlaceKind::Gulf => "gulf",
            PlaceKind::Bay => "bay",
            PlaceKind::Channel => "channel",
            PlaceKind::Canal => "canal",
            PlaceKind::Lake => "lake",
            PlaceKind::River => "river",
            PlaceKind::Island => "island",
            PlaceKind::Islands => "islands",
            PlaceKind::Peninsula => "peninsula",
            PlaceKind::Mountains => "mountains",
            PlaceKind::Desert => "desert",
            PlaceKind::Plain => "plain",
            PlaceKind::Building => "building",
            PlaceKind::Airport => "airport",
        }
    }

    /// Seas, straits, oceans and other bodies of water.
    pub fn is_water(self) -> bool {
        matches!(
            self,
            PlaceKind::Ocean
                | PlaceKind::Sea
                | PlaceKind::Strait
                | PlaceKind::Gulf
                | PlaceKind::Bay
                | PlaceKind::Channel
                | PlaceKind::Canal
                | PlaceKind::Lake
                | PlaceKind::River
        )
    }

    /// Islands, peninsulas, mountains, deserts and plains.
    pub fn is_landform(self) -> bool {
        matches!(
            self,
            PlaceKind::Island
                | PlaceKind::Islands
                | PlaceKind::Peninsula
                | PlaceKind::Mountains
                | PlaceKind::Desert
                | PlaceKind::Plain
        )
    }

    /// Populated places: cities, towns, capitals.
    pub fn is_settlement(self) -> bool {
        matches!(self, PlaceKind::City | PlaceKind::Capital)
    }

    /// The generic English word that names this kind in text ("the strait"), if any.
    pub fn generic_word(self) -> Option<&'static str> {
        match self {
            PlaceKind::Strait => Some("strait"),
            PlaceKind::Sea => Some("sea"),
            PlaceKind::Ocean => Some("ocean"),
            PlaceKind::Gulf => Some("gulf"),
            PlaceKind::Bay => Some("bay"),
            PlaceKind::Channel => Some("channel"),
            PlaceKind::Canal => Some("canal"),
            PlaceKind::Island => Some("island"),
            PlaceKind::Peninsula => Some("peninsula"),
            PlaceKind::Lake => Some("lake"),
            PlaceKind::River => Some("river"),
            _ => None,
        }
    }
}

impl std::fmt::Display for PlaceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in PlaceKind::ALL {
            assert_eq!(PlaceKind::from_code(k.code()), Some(k));
        }
        assert_eq!(PlaceKind::from_code("X.NOPE"), None);
    }
}
