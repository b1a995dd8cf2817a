//! Command-line arguments (clap) and their conversion to a validated `Config`.
//! Nothing below this module sees clap types.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::{Command, Config};

/// geoevents: news text in, map layers out.
#[derive(Debug, Parser)]
#[command(
    name = "geoevents",
    version,
    about = "Turns news articles into map layers: places, events and a map."
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
    /// Add a gazetteer: a GeoNames dump (allCountries.txt, JP.txt; alternateNamesV2.txt
    /// beside it is read too) or a geoevents TSV. Indexed once into a cache file.
    #[arg(long, global = true, value_name = "PATH")]
    pub gazetteer: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Rank the places a name may mean.
    Resolve {
        /// The place name, e.g. "Tsugaru Strait".
        name: String,
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
        /// How many candidates to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
    },
    /// Read articles and write the events, places and routes layers and map.png.
    Map {
        /// Plain-text or Markdown articles, or JSON Lines corpora (.jsonl).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Output folder.
        #[arg(short = 'o', long = "out", default_value = "out")]
        out: PathBuf,
        /// Publication date (YYYY-MM-DD), the anchor for "on Saturday", "last week".
        #[arg(long, value_parser = parse_date)]
        date: Option<NaiveDate>,
        /// Map title (default: from the article).
        #[arg(long)]
        title: Option<String>,
        /// Outputs, a comma list of geojson (with .qml styles and geoevents.qgs),
        /// geojsonseq, gpkg, csv, kml, png.
        #[arg(long = "format", value_delimiter = ',', default_value = "geojson,gpkg,png", value_parser = parse_format)]
        formats: Vec<crate::export::Format>,
    },
    /// Convert a layer file between formats, chosen by extension: .geojson,
    /// .geojsonl, .gpkg, .csv (read and write) and .kml (write).
    Convert {
        /// The file to read.
        input: PathBuf,
        /// The file to write; for one file per layer from a GeoPackage, give e.g. out/x.geojson.
        output: PathBuf,
    },
    /// Find and resolve the place names in articles.
    Geoparse {
        /// Plain-text articles (or use --jsonl).
        #[arg(required_unless_present = "jsonl", conflicts_with = "jsonl")]
        files: Vec<PathBuf>,
        /// Read a JSON Lines corpus ({"id", "text", ...} a line) and write one JSON line per document.
        #[arg(long)]
        jsonl: Option<PathBuf>,
        /// With --jsonl: resolve the records' own `toponyms` spans instead of finding names.
        /// A span no gazetteer entry matches (a street, a school) is placed at the place
        /// that qualifies it ("Brands Hatch, Kent.", "the Palais des Nations in Geneva"),
        /// else at the story's central town (else province, else country), and marked
        /// `"by_context": true`; so is a common word, a street or an acronym known only as a
        /// town ("Congress", "Bourbon and Dauphine streets", "the CHU in Montpellier").
        #[arg(long, requires = "jsonl")]
        given_spans: bool,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Show the score parts and other candidates of each mention.
        #[arg(long)]
        explain: bool,
    },
    /// Draw GeoJSON layers (points, lines, polygons) as a PNG or SVG map.
    Render {
        /// GeoJSON files: FeatureCollection, Feature or geometry.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The image to write: .png or .svg.
        #[arg(short = 'o', long = "out")]
        out: PathBuf,
        /// Image width in pixels.
        #[arg(long, default_value_t = 1600, value_parser = clap::value_parser!(u32).range(200..=10000))]
        width: u32,
        /// Image height in pixels.
        #[arg(long, default_value_t = 1100, value_parser = clap::value_parser!(u32).range(150..=10000))]
        height: u32,
        /// Map title (default: the file name).
        #[arg(long)]
        title: Option<String>,
        /// Line under the title (default: the number of features).
        #[arg(long)]
        subtitle: Option<String>,
        /// Area to show: west,south,east,north in degrees; west > east crosses 180°.
        #[arg(long, value_parser = parse_extent, allow_hyphen_values = true)]
        extent: Option<crate::coords::BBox>,
        /// mercator or equal-earth (default: by extent).
        #[arg(long, value_parser = parse_projection)]
        projection: Option<crate::render::Projection>,
    },
    /// Explore the gazetteer.
    Gazetteer {
        #[command(subcommand)]
        what: GazetteerSub,
    },
    /// Score the geoparser on a JSON Lines corpus with gold toponyms.
    Eval {
        /// The corpus, e.g. ../shared/eval/geowebnews.jsonl.
        corpus: PathBuf,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Score the events stage on gold event reports (JSON Lines files or a folder of them).
    #[command(name = "eval-events")]
    EvalEvents {
        /// Gold files: one report a line, {"id","text","date","events":[{"acled_event_type",
        /// "acled_sub_event_type","lat","lon","date","fatalities"}]}.
        #[arg(required = true)]
        gold: Vec<PathBuf>,
        /// Print the scores as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum GazetteerSub {
    /// Counts of places by kind and source.
    Stats,
    /// Names that start with TEXT (case- and accent-insensitive), with their places.
    Search {
        text: String,
        /// How many names to list.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

fn parse_format(s: &str) -> Result<crate::export::Format, String> {
    crate::export::Format::parse(s)
}

fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date in the form YYYY-MM-DD"))
}

fn parse_extent(s: &str) -> Result<crate::coords::BBox, String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("`{s}` is not four numbers lon1,lat1,lon2,lat2"))?;
    let [w, a, e, b] = v[..] else {
        return Err(format!("`{s}` is not four numbers lon1,lat1,lon2,lat2"));
    };
    if !(-180.0..=180.0).contains(&w)
        || !(-180.0..=180.0).contains(&e)
        || !(-90.0..=90.0).contains(&a)
        || !(-90.0..=90.0).contains(&b)
        || a == b
        || w == e
    {
        return Err(format!(
            "`{s}` is not an extent: longitudes within ±180, latitudes within ±90, not empty"
        ));
    }
    Ok(crate::coords::BBox {
        west: w,
        south: a.min(b),
        east: e,
        north: a.max(b),
    })
}

fn parse_projection(s: &str) -> Result<crate::render::Projection, String> {
    crate::render::Projection::parse(s)
        .ok_or_else(|| format!("`{s}` is not a projection: use mercator or equal-earth"))
}

impl Args {
    /// The validated configuration these arguments describe.
    pub fn into_config(self) -> Config {
        let command = match self.command {
            Sub::Resolve { name, json, limit } => Command::Resolve { name, json, limit },
            Sub::Map {
                files,
                out,
                date,
                title,
                mut formats,
            } => {
                formats.sort();
                formats.dedup();
                Command::Map {
                    files,
                    out_dir: out,
                    date,
                    title,
                    formats,
                }
            }
            Sub::Convert { input, output } => Command::Convert { input, output },
            Sub::Geoparse {
                files,
                jsonl,
                given_spans,
                json,
                explain,
            } => match jsonl {
                Some(path) => Command::GeoparseJsonl { path, given_spans },
                None => Command::Geoparse {
                    files,
                    json,
                    explain,
                },
            },
            Sub::Eval { corpus, json } => Command::Eval { corpus, json },
            Sub::EvalEvents { gold, json } => Command::EvalEvents { gold, json },
            Sub::Render {
                files,
                out,
                width,
                height,
                title,
                subtitle,
                extent,
                projection,
            } => Command::Render(crate::RenderOptions {
                files,
                out,
                width,
                height,
                title,
                subtitle,
                extent,
                projection,
            }),
            Sub::Gazetteer {
                what: GazetteerSub::Stats,
            } => Command::GazetteerStats,
            Sub::Gazetteer {
                what: GazetteerSub::Search { text, limit },
            } => Command::GazetteerSearch { text, limit },
        };
        Config {
            command,
            gazetteer: self.gazetteer,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_defaults_to_out() {
        let a = Args::try_parse_from(["geoevents", "map", "a.txt"]).unwrap();
        match a.into_config().command {
            Command::Map {
                out_dir,
                files,
                date,
                ..
            } => {
                assert_eq!(out_dir, PathBuf::from("out"));
                assert_eq!(files, vec![PathBuf::from("a.txt")]);
                assert_eq!(date, None);
            }
            _ => panic!("expected map"),
        }
    }

    #[test]
    fn render_arguments() {
        let a = Args::try_parse_from([
            "geoevents",
            "render",
            "a.geojson",
            "-o",
            "m.svg",
            "--extent",
            "170,-25,-165,-5",
            "--projection",
            "equal-earth",
        ])
        .unwrap();
        match a.into_config().command {
            Command::Render(o) => {
                let e = o.extent.unwrap();
                assert_eq!(
                    (e.west, e.south, e.east, e.north),
                    (170.0, -25.0, -165.0, -5.0)
                );
                assert_eq!(o.projection, Some(crate::render::Projection::EqualEarth));
            }
            _ => panic!("expected render"),
        }
        assert!(Args::try_parse_from([
            "geoevents",
            "render",
            "a",
            "-o",
            "x.png",
            "--extent",
            "1,2,3"
        ])
        .is_err());
        assert!(Args::try_parse_from([
            "geoevents",
            "render",
            "a",
            "-o",
            "x.png",
            "--projection",
            "utm"
        ])
        .is_err());
    }

    #[test]
    fn formats_default_and_parse() {
        let config = |args: &[&str]| Args::try_parse_from(args).map(|a| a.into_config().command);
        match config(&["geoevents", "map", "a.txt"]).unwrap() {
            Command::Map { formats, .. } => assert_eq!(formats, crate::export::Format::DEFAULT),
            _ => panic!("expected map"),
        }
        match config(&["geoevents", "map", "a.txt", "--format", "kml,csv,kml"]).unwrap() {
            Command::Map { formats, .. } => assert_eq!(
                formats,
                [crate::export::Format::Csv, crate::export::Format::Kml]
            ),
            _ => panic!("expected map"),
        }
        assert!(config(&["geoevents", "map", "a.txt", "--format", "svg"]).is_ok());
        assert!(config(&["geoevents", "map", "a.txt", "--format", "shp"]).is_err());
        assert!(matches!(
            config(&["geoevents", "convert", "a.gpkg", "b.csv"]).unwrap(),
            Command::Convert { .. }
        ));
    }

    #[test]
    fn bad_date_is_refused() {
        assert!(
            Args::try_parse_from(["geoevents", "map", "a.txt", "--date", "25/11/2026"]).is_err()
        );
        assert!(
            Args::try_parse_from(["geoevents", "map", "a.txt", "--date", "2021-10-26"]).is_ok()
        );
    }
}
