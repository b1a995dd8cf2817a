//! Command-line arguments (clap) and their conversion to a validated `Config`.
//! Nothing below this module sees clap types.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand};

use crate::{Command, Config};

const MAIN_HELP: &str = "\
Examples:
  geoevents map article.txt --date 2024-07-17           # writes out/: layers, QGIS project, map.png
  geoevents map articles/ -o out/                       # a folder: .txt .md .html .jsonl .csv
  cat story.txt | geoevents map - -o out/               # standard input
  geoevents map --jsonl corpus.jsonl --format geojsonseq -o - | head
  geoevents geocode events.csv --place-column city --admin1-column state -o out/
  geoevents resolve \"Springfield, Illinois\"

Exit codes:
  0  ok
  1  error (bad input file, unwritable output); nothing half-written
  2  usage (unknown option, options that do not go together)
  3  partial: some input records or files were bad and skipped (each named on stderr)";

/// geoevents: news text in, map layers out.
#[derive(Debug, Parser)]
#[command(
    name = "geoevents",
    version,
    about = "Turns news articles into map layers: places, events and a map.",
    after_help = MAIN_HELP
)]
pub struct Args {
    #[command(subcommand)]
    pub command: Sub,
    /// Add a gazetteer: a GeoNames dump (allCountries.txt, JP.txt; alternateNamesV2.txt
    /// beside it is read too) or a geoevents TSV. Indexed once into a cache file.
    #[arg(long, global = true, value_name = "PATH")]
    pub gazetteer: Option<PathBuf>,
    /// No progress bar, no `wrote` lines and no summary; errors and skipped records still show.
    #[arg(short = 'q', long, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Sub {
    /// Rank the places a name may mean.
    #[command(after_help = "Examples:
  geoevents resolve \"Tsugaru Strait\"
  geoevents resolve Springfield --limit 5      # namesakes, told apart by admin1 and country
  geoevents resolve \"Paris, Texas\" --json")]
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
    #[command(after_help = MAP_HELP)]
    Map {
        /// Articles: .txt, .md, .html (tags stripped), .jsonl corpora, .csv tables with a
        /// `text` column; folders (read recursively by those extensions), glob patterns,
        /// or `-` for standard input (one plain-text article).
        #[arg(required_unless_present = "jsonl")]
        files: Vec<PathBuf>,
        /// Read PATH as JSON Lines ({"id", "title", "date", "url", "text"} a line) whatever
        /// its name; `--jsonl -` reads standard input. May be repeated.
        #[arg(long, value_name = "PATH")]
        jsonl: Vec<PathBuf>,
        /// Output folder; `-` writes the events to standard output (with --format geojsonseq).
        #[arg(
            short = 'o',
            long = "out",
            default_value = "out",
            allow_hyphen_values = true
        )]
        out: PathBuf,
        /// Overwrite files in the output folder that an earlier geoevents run did not write.
        #[arg(long)]
        force: bool,
        /// Largest document to read, in MB: a larger file, or JSON Lines record, is refused
        /// with an error naming it (a record is skipped, exit code 3).
        #[arg(long, value_name = "MB", default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=4096))]
        max_doc_size: u64,
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
    #[command(after_help = "Examples:
  geoevents convert out/geoevents.gpkg layers/all.geojson   # one file per layer: all-events.geojson...
  geoevents convert out/events.geojson events.kml")]
    Convert {
        /// The file to read.
        input: PathBuf,
        /// The file to write; for one file per layer from a GeoPackage, give e.g. out/x.geojson.
        output: PathBuf,
    },
    /// Find and resolve the place names in articles.
    #[command(after_help = "Examples:
  geoevents geoparse article.txt --explain
  geoevents geoparse --jsonl corpus.jsonl > mentions.jsonl
  geoevents geoparse --jsonl corpus.jsonl --given-spans")]
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
    #[command(after_help = "Examples:
  geoevents render out/events.geojson out/routes.geojson -o map.svg
  geoevents render fiji.geojson -o fiji.png --extent 170,-25,-165,-5 --projection mercator")]
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
    #[command(after_help = "Examples:
  geoevents gazetteer stats
  geoevents gazetteer search tsug --limit 5")]
    Gazetteer {
        #[command(subcommand)]
        what: GazetteerSub,
    },
    /// Score the geoparser on a JSON Lines corpus with gold toponyms.
    #[command(after_help = "Examples:
  geoevents eval ../shared/eval/geowebnews.jsonl
  geoevents eval ../shared/eval/wiktor-dev.jsonl --json")]
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
    /// Place the rows of a CSV table (an ACLED or GDELT export, a newsroom
    /// spreadsheet) by a column of place names, qualified by other columns.
    #[command(after_help = "Examples:
  geoevents geocode events.csv --place-column city --admin1-column state --country-column country
  geoevents geocode acled.csv --place-column location --country-column iso3 --date-column event_date -o out/
  geoevents geocode rows.csv --place-column place -o - > placed.csv

Writes the table back with lat, lon, place_id, place_kind, geo_precision and match_score
columns (to standard output with -o -, else DIR/geocoded.csv), and with -o DIR the layers too.
Rows that cannot be placed are listed on stderr and kept with empty coordinates; the exit
code is then 3.")]
    Geocode {
        /// The table: CSV with a header row.
        table: PathBuf,
        /// The column of place names ("Springfield", "Paris, Texas").
        #[arg(long, value_name = "COLUMN")]
        place_column: String,
        /// A column of countries: names ("France") or ISO codes ("FR", "FRA").
        #[arg(long, value_name = "COLUMN")]
        country_column: Option<String>,
        /// A column of first-order divisions: states, provinces ("Illinois", "IL", "Ontario").
        #[arg(long, value_name = "COLUMN")]
        admin1_column: Option<String>,
        /// A column of dates (YYYY-MM-DD) for the events layer.
        #[arg(long, value_name = "COLUMN")]
        date_column: Option<String>,
        /// A column of text (a note, a headline) whose events are extracted and placed at the row's place.
        #[arg(long, value_name = "COLUMN")]
        text_column: Option<String>,
        /// Output folder for geocoded.csv and the layers, or `-` for the table alone on standard output.
        #[arg(
            short = 'o',
            long = "out",
            default_value = "-",
            allow_hyphen_values = true
        )]
        out: PathBuf,
        /// Layers to write beside the table in the output folder (as for `map`).
        #[arg(long = "format", value_delimiter = ',', default_value = "geojson", value_parser = parse_format)]
        formats: Vec<crate::export::Format>,
        /// Overwrite files in the output folder that an earlier geoevents run did not write.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script.
    #[command(after_help = "Examples:
  geoevents completions bash > ~/.local/share/bash-completion/completions/geoevents
  geoevents completions zsh > ~/.zfunc/_geoevents
  geoevents completions fish > ~/.config/fish/completions/geoevents.fish
  geoevents completions powershell >> $PROFILE")]
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
}

const MAP_HELP: &str = "Examples:
  geoevents map article.txt --date 2024-07-17                   # out/: events, places, routes, map.png
  geoevents map articles/ -o today/ --format geojson,csv         # every .txt .md .html .jsonl .csv inside
  geoevents map 'archive/2024-*.jsonl' -o archive-map/           # a glob pattern
  curl -s https://example.org/story.html | geoevents map - -o story/
  geoevents map --jsonl corpus.jsonl --format geojsonseq -o - | head   # stream events, one per line

A run replaces the files an earlier run wrote in the output folder (listed in its
.geoevents-manifest) and leaves other files alone; --force overwrites those too.
A bad record (a JSON Lines line, a CSV row) is named with its line on stderr and skipped;
the exit code is then 3.";

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
                jsonl,
                out,
                force,
                max_doc_size,
                date,
                title,
                mut formats,
            } => {
                formats.sort();
                formats.dedup();
                Command::Map {
                    files,
                    jsonl,
                    out_dir: out,
                    date,
                    title,
                    formats,
                    force,
                    max_doc_bytes: max_doc_size * 1_000_000,
                }
            }
            Sub::Geocode {
                table,
                place_column,
                country_column,
                admin1_column,
                date_column,
                text_column,
                out,
                mut formats,
                force,
            } => {
                formats.sort();
                formats.dedup();
                Command::Geocode(crate::geocode::GeocodeOptions {
                    table,
                    columns: crate::geocode::Columns {
                        place: place_column,
                        country: country_column,
                        admin1: admin1_column,
                        date: date_column,
                        text: text_column,
                    },
                    out,
                    formats,
                    force,
                })
            }
            Sub::Completions { shell } => Command::Completions(shell),
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
            quiet: self.quiet,
        }
    }
}

/// Writes the completion script for `shell` to `out`.
pub fn write_completions(
    shell: clap_complete::Shell,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    let mut cmd = <Args as clap::CommandFactory>::command();
    let mut buf = Vec::new();
    clap_complete::generate(shell, &mut cmd, "geoevents", &mut buf);
    out.write_all(&buf)
}

/// An error and its causes on one line, each said once: a cause whose text the
/// message already holds (an OS error a message quotes) is not repeated.
pub fn error_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        let bare = s.split(" (os error ").next().unwrap_or(&s);
        if !text.contains(bare) {
            text.push_str(": ");
            text.push_str(&s);
        }
        cause = c.source();
    }
    text
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
    fn map_reads_stdin_and_streams_to_stdout() {
        let a = Args::try_parse_from([
            "geoevents",
            "-q",
            "map",
            "--jsonl",
            "-",
            "--format",
            "geojsonseq",
            "-o",
            "-",
        ])
        .unwrap();
        let c = a.into_config();
        assert!(c.quiet);
        match c.command {
            Command::Map {
                files,
                jsonl,
                out_dir,
                ..
            } => {
                assert!(files.is_empty());
                assert_eq!(jsonl, vec![PathBuf::from("-")]);
                assert_eq!(out_dir, PathBuf::from("-"));
            }
            _ => panic!("expected map"),
        }
        assert!(Args::try_parse_from(["geoevents", "map"]).is_err());
        assert!(Args::try_parse_from(["geoevents", "map", "-"]).is_ok());
    }

    #[test]
    fn geocode_and_completions_parse() {
        let a = Args::try_parse_from([
            "geoevents",
            "geocode",
            "t.csv",
            "--place-column",
            "city",
            "--admin1-column",
            "state",
        ])
        .unwrap();
        match a.into_config().command {
            Command::Geocode(o) => {
                assert_eq!(o.columns.place, "city");
                assert_eq!(o.columns.admin1.as_deref(), Some("state"));
                assert_eq!(o.out, PathBuf::from("-"));
            }
            _ => panic!("expected geocode"),
        }
        assert!(Args::try_parse_from(["geoevents", "geocode", "t.csv"]).is_err());
        assert!(Args::try_parse_from(["geoevents", "completions", "zsh"]).is_ok());
        assert!(Args::try_parse_from(["geoevents", "completions", "tcsh"]).is_err());
    }

    #[test]
    fn errors_are_said_once() {
        let io = std::io::Error::from(std::io::ErrorKind::NotFound);
        let e = crate::Error::Input(crate::input::InputError::Unreadable {
            path: "a.txt".into(),
            source: io,
        });
        let t = error_text(&e);
        assert_eq!(t.matches("not found").count(), 1, "{t}");
        let e = crate::Error::Stdout(std::io::Error::other("disk full"));
        assert_eq!(error_text(&e), "cannot write to standard output: disk full");
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
