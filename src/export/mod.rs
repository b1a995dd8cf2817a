//! Writing layers: a format-neutral `Layer` model (`layer`), one module per
//! format writing to any `io::Write` (GeoPackage builds in a temporary file),
//! QGIS styles and a project, and `write_atomic`, which puts the bytes in place
//! through a temporary file and a rename, so a failed run never leaves half a
//! file behind. Everything is encoded before the first file is written.

pub mod csv;
pub mod geojson;
pub mod geojsonseq;
pub mod gpkg;
pub mod kml;
pub mod layer;
pub mod qgs;
pub mod qml;

use std::path::{Path, PathBuf};

pub use layer::{Field, FieldType, GeometryType, Layer, LayerFeature, Value};

/// WGS 84 (EPSG:4326) as OGC WKT, for GeoPackage, `.prj` files and QGIS projects.
pub const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

/// Errors writing or reading layer files.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot create output folder {}: {source}", path.display())]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot encode {what}: {message}")]
    Encode { what: String, message: String },
    #[error("cannot write the GeoPackage {}: {message}", path.display())]
    Gpkg { path: PathBuf, message: String },
    #[error("cannot read {what}: {message}")]
    Read { what: String, message: String },
    #[error("{}: unknown layer format; use a name ending in .geojson, .geojsonl, .gpkg, .csv or .kml{}", path.display(), if *output { "" } else { " (KML is written, not read)" })]
    UnknownFormat { path: PathBuf, output: bool },
}

/// An output format of `map` and `convert`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    GeoJson,
    GeoJsonSeq,
    Gpkg,
    Csv,
    Kml,
    Png,
    Svg,
}

impl Format {
    /// The `map` default: GeoJSON (with QGIS styles and project), GeoPackage and PNG.
    pub const DEFAULT: [Format; 3] = [Format::GeoJson, Format::Gpkg, Format::Png];

    /// Parses a `--format` name.
    pub fn parse(s: &str) -> Result<Format, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "geojson" => Format::GeoJson,
            "geojsonseq" | "geojsonl" => Format::GeoJsonSeq,
            "gpkg" | "geopackage" => Format::Gpkg,
            "csv" => Format::Csv,
            "kml" => Format::Kml,
            "png" => Format::Png,
            "svg" => Format::Svg,
            other => {
                return Err(format!(
                    "unknown format `{other}`; choose from geojson, geojsonseq, gpkg, csv, kml, png, svg"
                ))
            }
        })
    }

    /// The layer format a file name's extension names.
    pub fn of_path(p: &Path) -> Option<Format> {
        let ext = p.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "geojson" | "json" => Format::GeoJson,
            "geojsonl" | "geojsons" | "geojsonseq" => Format::GeoJsonSeq,
            "gpkg" => Format::Gpkg,
            "csv" => Format::Csv,
            "kml" => Format::Kml,
            _ => return None,
        })
    }

    fn extension(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::GeoJsonSeq => "geojsonl",
            Format::Gpkg => "gpkg",
            Format::Csv => "csv",
            Format::Kml => "kml",
            Format::Png => "png",
            Format::Svg => "svg",
        }
    }
}

/// Writes `bytes` to `path` via a temporary file in the same folder and a rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), ExportError> {
    crate::atomic::write_atomic(path, bytes).map_err(|source| ExportError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// Creates the output folder if needed.
pub fn ensure_dir(path: &Path) -> Result<(), ExportError> {
    std::fs::create_dir_all(path).map_err(|source| ExportError::CreateDir {
        path: path.to_path_buf(),
        source,
    })
}

/// Files encoded in memory (and GeoPackages to build), written only once all are ready.
#[derive(Default)]
pub struct Plan {
    files: Vec<(PathBuf, Vec<u8>, String)>,
    gpkgs: Vec<(PathBuf, Vec<Layer>, String)>,
}

impl Plan {
    /// Adds a file to write, with what to report about it.
    pub fn add(&mut self, path: PathBuf, bytes: Vec<u8>, note: String) {
        // A sidecar several formats share (`events.qml`) is written once.
        if let Some(f) = self.files.iter_mut().find(|f| f.0 == path) {
            f.1 = bytes;
            return;
        }
        self.files.push((path, bytes, note));
    }

    /// The files this plan writes, in the order it writes them.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.gpkgs
            .iter()
            .map(|g| g.0.clone())
            .chain(self.files.iter().map(|f| f.0.clone()))
            .collect()
    }

    /// Writes everything; returns one line per file written. Every file is
    /// first built in a temporary file beside its target; only when all are
    /// ready are they renamed into place, so a failure (a full disk, a
    /// read-only folder) leaves every earlier output as it was.
    pub fn write(self) -> Result<Vec<String>, ExportError> {
        let mut report = Vec::new();
        let mut staged = Vec::new();
        for (path, layers, note) in self.gpkgs {
            let styles: Vec<(String, String)> = layers
                .iter()
                .filter_map(|l| qml::qml(l).map(|q| (l.name.clone(), q)))
                .collect();
            if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                ensure_dir(dir)?;
            }
            staged.push(gpkg::stage_file(&path, &layers, &styles)?);
            report.push(format!("wrote {}{note}", path.display()));
        }
        for (path, bytes, note) in self.files {
            if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                ensure_dir(dir)?;
            }
            let s = crate::atomic::stage(&path, &bytes).map_err(|source| ExportError::Write {
                path: path.clone(),
                source,
            })?;
            staged.push(s);
            if !note.is_empty() {
                report.push(format!("wrote {}{note}", path.display()));
            }
        }
        for s in staged {
            let path = s.target().to_path_buf();
            s.commit()
                .map_err(|source| ExportError::Write { path, source })?;
        }
        Ok(report)
    }
}

fn encode(what: &str, r: std::io::Result<()>) -> Result<(), ExportError> {
    r.map_err(|e| ExportError::Encode {
        what: what.to_string(),
        message: e.to_string(),
    })
}

fn count_note(l: &Layer) -> String {
    format!(" ({} features)", l.features.len())
}

/// Plans one single-layer file (`.geojson`, `.geojsonl`, `.csv`) and its sidecars:
/// a `.qml` style beside GeoJSON, a `.csvt` and a `.prj` beside CSV.
fn plan_single(
    plan: &mut Plan,
    path: PathBuf,
    format: Format,
    layer: &Layer,
) -> Result<(), ExportError> {
    check(&[layer])?;
    let what = path.display().to_string();
    let mut buf = Vec::new();
    match format {
        Format::GeoJson => {
            encode(&what, geojson::write_layer(layer, &mut buf))?;
        }
        Format::GeoJsonSeq => encode(&what, geojsonseq::write_layer(layer, &mut buf))?,
        Format::Csv => {
            encode(&what, csv::write_layer(layer, &mut buf))?;
            plan.add(
                path.with_extension("csvt"),
                csv::csvt_for(layer).into_bytes(),
                String::new(),
            );
            plan.add(
                path.with_extension("prj"),
                WGS84_WKT.as_bytes().to_vec(),
                String::new(),
            );
        }
        _ => unreachable!("single-layer formats only"),
    }
    // QGIS loads `<file stem>.qml` as a layer's default style, whatever the format.
    if let Some(q) = qml::qml(layer) {
        plan.add(path.with_extension("qml"), q.into_bytes(), String::new());
    }
    let note = count_note(layer);
    plan.add(path, buf, note);
    Ok(())
}

fn check(layers: &[&Layer]) -> Result<(), ExportError> {
    for l in layers {
        l.validate().map_err(|message| ExportError::Encode {
            what: format!("layer `{}`", l.name),
            message,
        })?;
    }
    Ok(())
}

/// Plans the layer files of `map` in `out_dir`: per GeoJSON, GeoJSONSeq and CSV
/// one file per layer (`events.geojson`...), one `geoevents.gpkg` and one
/// `geoevents.kml` with all layers. With GeoJSON come a `.qml` beside each
/// layer, the basemap layers and `geoevents.qgs`. PNG is the renderer's.
pub fn plan_map(
    out_dir: &Path,
    layers: &[&Layer],
    formats: &[Format],
    title: &str,
) -> Result<Plan, ExportError> {
    check(layers)?;
    let mut plan = Plan::default();
    for &format in formats {
        match format {
            Format::GeoJson | Format::GeoJsonSeq | Format::Csv => {
                for l in layers {
                    let path = out_dir.join(format!("{}.{}", l.name, format.extension()));
                    plan_single(&mut plan, path, format, l)?;
                }
            }
            Format::Gpkg => plan.gpkgs.push((
                out_dir.join("geoevents.gpkg"),
                layers.iter().map(|l| (*l).clone()).collect(),
                format!(" ({})", layer_counts(layers)),
            )),
            Format::Kml => {
                let mut buf = Vec::new();
                encode("geoevents.kml", kml::write_layers(layers, title, &mut buf))?;
                plan.add(
                    out_dir.join("geoevents.kml"),
                    buf,
                    format!(" ({})", layer_counts(layers)),
                );
            }
            Format::Png | Format::Svg => {}
        }
    }
    if formats.contains(&Format::GeoJson) {
        let (land, borders) = qgs::basemap_layers_for(layers);
        for l in [&land, &borders] {
            plan_single(
                &mut plan,
                out_dir.join(format!("{}.geojson", l.name)),
                Format::GeoJson,
                l,
            )?;
        }
        let mut entries: Vec<qgs::ProjectLayer> = ["events", "routes", "places"]
            .iter()
            .filter_map(|n| layers.iter().find(|l| l.name == *n))
            .map(|l| qgs::ProjectLayer {
                layer: l,
                file: format!("{}.geojson", l.name),
            })
            .collect();
        for l in [&borders, &land] {
            entries.push(qgs::ProjectLayer {
                layer: l,
                file: format!("{}.geojson", l.name),
            });
        }
        plan.add(
            out_dir.join("geoevents.qgs"),
            qgs::project(&entries, title).into_bytes(),
            String::new(),
        );
        plan.files.last_mut().expect("just added").2 = " (QGIS project)".into();
    }
    Ok(plan)
}

fn layer_counts(layers: &[&Layer]) -> String {
    layers
        .iter()
        .map(|l| format!("{}: {}", l.name, l.features.len()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads the layers of a file in one of our formats, chosen by its extension.
pub fn read_layers(path: &Path) -> Result<Vec<Layer>, ExportError> {
    let format = Format::of_path(path).ok_or_else(|| ExportError::UnknownFormat {
        path: path.to_path_buf(),
        output: false,
    })?;
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("layer")
        .to_string();
    // The readers name the layer; the user needs the file.
    let in_file = |e: ExportError| match e {
        ExportError::Read { message, .. } => ExportError::Read {
            what: path.display().to_string(),
            message,
        },
        other => other,
    };
    let read_text = || {
        std::fs::read_to_string(path).map_err(|e| ExportError::Read {
            what: path.display().to_string(),
            message: e.to_string(),
        })
    };
    Ok(match format {
        Format::GeoJson => vec![geojson::read_layer(&read_text()?, &stem).map_err(in_file)?],
        Format::GeoJsonSeq => {
            let f = std::fs::File::open(path).map_err(|e| ExportError::Read {
                what: path.display().to_string(),
                message: e.to_string(),
            })?;
            vec![geojsonseq::read_layer(std::io::BufReader::new(f), &stem)?]
        }
        Format::Gpkg => {
            if !path.is_file() {
                return Err(ExportError::Read {
                    what: path.display().to_string(),
                    message: "no such file".into(),
                });
            }
            gpkg::read_file(path)?
        }
        Format::Csv => {
            let csvt = std::fs::read_to_string(path.with_extension("csvt")).ok();
            vec![csv::read_layer(&read_text()?, &stem, csvt.as_deref()).map_err(in_file)?]
        }
        Format::Kml | Format::Png | Format::Svg => {
            return Err(ExportError::UnknownFormat {
                path: path.to_path_buf(),
                output: false,
            })
        }
    })
}

/// Converts between our formats by extension. A GeoPackage or KML output takes
/// all layers; a single-layer output (`.geojson`, `.geojsonl`, `.csv`) given
/// several layers gets one file per layer, `<name>-<layer>.<ext>`.
pub fn convert(input: &Path, output: &Path) -> Result<Vec<String>, ExportError> {
    let format = Format::of_path(output).ok_or_else(|| ExportError::UnknownFormat {
        path: output.to_path_buf(),
        output: true,
    })?;
    let layers = read_layers(input)?;
    let refs: Vec<&Layer> = layers.iter().collect();
    check(&refs)?;
    let mut plan = Plan::default();
    match format {
        Format::Gpkg => plan.gpkgs.push((
            output.to_path_buf(),
            layers.clone(),
            format!(" ({})", layer_counts(&refs)),
        )),
        Format::Kml => {
            let mut buf = Vec::new();
            let title = input
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("geoevents");
            encode(
                &output.display().to_string(),
                kml::write_layers(&refs, title, &mut buf),
            )?;
            plan.add(
                output.to_path_buf(),
                buf,
                format!(" ({})", layer_counts(&refs)),
            );
        }
        _ if layers.len() == 1 => plan_single(&mut plan, output.to_path_buf(), format, &layers[0])?,
        _ => {
            let stem = output
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("layers");
            for l in &layers {
                let p = output.with_file_name(format!("{stem}-{}.{}", l.name, format.extension()));
                plan_single(&mut plan, p, format, l)?;
            }
        }
    }
    plan.write()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.txt");
        write_atomic(&p, b"hello").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"hello");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn formats_parse() {
        assert_eq!(Format::parse("GeoJSON"), Ok(Format::GeoJson));
        assert_eq!(Format::parse("gpkg"), Ok(Format::Gpkg));
        assert_eq!(Format::parse("svg"), Ok(Format::Svg));
        assert!(Format::parse("shp").unwrap_err().contains("unknown format"));
        assert_eq!(
            Format::of_path(Path::new("a/b.geojsonl")),
            Some(Format::GeoJsonSeq)
        );
    }

    #[test]
    fn convert_round_trips_every_readable_format() {
        let dir = tempfile::tempdir().unwrap();
        let layer = layer::tricky_layer();
        let src = dir.path().join("routes.geojson");
        let mut buf = Vec::new();
        geojson::write_layer(&layer, &mut buf).unwrap();
        std::fs::write(&src, buf).unwrap();
        for ext in ["geojsonl", "gpkg", "csv"] {
            let mid = dir.path().join(format!("routes.{ext}"));
            convert(&src, &mid).unwrap();
            let back = dir.path().join(format!("back-{ext}.geojson"));
            convert(&mid, &back).unwrap();
            let got = read_layers(&back).unwrap();
            assert_eq!(got, vec![layer.clone()], "through {ext}");
        }
        assert!(matches!(
            convert(&src, &dir.path().join("x.shp")),
            Err(ExportError::UnknownFormat { .. })
        ));
    }
}
