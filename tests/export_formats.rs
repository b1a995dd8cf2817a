//! Issue 6: every layer format opens in real readers. GDAL's `ogrinfo` reads each
//! file with nothing on stderr, EPSG:4326, the right feature count and an extent
//! within ±180/±90; QGIS (PyQGIS, headless) loads each layer valid, styled and
//! drawable, and opens `geoevents.qgs`. A route across the antimeridian is split,
//! and tricky text round-trips through CSV, GeoJSON and GeoPackage.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{geoevents, have_tool, read_json};

const ALL: &str = "geojson,geojsonseq,gpkg,csv,kml,png";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

fn map_all(input: &str, dir: &Path) {
    let out = geoevents(&[
        "map",
        input,
        "-o",
        dir.to_str().unwrap(),
        "--date",
        "2024-07-17",
        "--format",
        ALL,
    ]);
    assert!(out.status.success(), "map failed: {}", common::stderr(&out));
}

/// One layer as `ogrinfo -so` describes it.
#[derive(Debug)]
struct OgrLayer {
    name: String,
    count: usize,
    extent: Option<[f64; 4]>,
    wgs84: bool,
}

/// Runs `ogrinfo -ro -al -so`, asserts it succeeds with an empty stderr, and parses it.
fn ogrinfo(path: &Path) -> Vec<OgrLayer> {
    let o = Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(path)
        .output()
        .expect("ogrinfo runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{}: {stderr}", path.display());
    assert!(
        stderr.trim().is_empty(),
        "{}: stderr: {stderr}",
        path.display()
    );
    let text = String::from_utf8_lossy(&o.stdout).into_owned();
    let mut layers: Vec<OgrLayer> = Vec::new();
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("Layer name: ") {
            layers.push(OgrLayer {
                name: n.trim().to_string(),
                count: 0,
                extent: None,
                wgs84: false,
            });
        }
        let Some(l) = layers.last_mut() else { continue };
        if let Some(n) = line.strip_prefix("Feature Count: ") {
            l.count = n.trim().parse().unwrap();
        }
        if let Some(e) = line.strip_prefix("Extent: ") {
            let nums: Vec<f64> = e
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter(|s| !s.is_empty() && *s != "-")
                .map(|s| s.parse().unwrap())
                .collect();
            l.extent = Some([nums[0], nums[1], nums[2], nums[3]]);
        }
        if line.contains("ID[\"EPSG\",4326]") {
            l.wgs84 = true;
        }
    }
    layers
}

/// Checks one file with ogrinfo against the layers' GeoJSON feature counts.
fn check_with_gdal(path: &Path, counts: &[(String, usize)]) {
    let layers = ogrinfo(path);
    for (name, count) in counts {
        let l = layers
            .iter()
            .find(|l| &l.name == name)
            .unwrap_or_else(|| panic!("{}: no layer {name} in {layers:?}", path.display()));
        assert_eq!(l.count, *count, "{}: {name}", path.display());
        assert!(l.wgs84, "{}: {name} is not EPSG:4326", path.display());
        let [w, s, e, n] = l.extent.expect("an extent");
        assert!(
            (-180.0..=180.0).contains(&w)
                && (-180.0..=180.0).contains(&e)
                && (-90.0..=90.0).contains(&s)
                && (-90.0..=90.0).contains(&n),
            "{}: {name} extent {:?}",
            path.display(),
            l.extent
        );
    }
}

fn layer_counts(dir: &Path) -> Vec<(String, usize)> {
    ["events", "places", "routes"]
        .iter()
        .filter_map(|n| {
            let p = dir.join(format!("{n}.geojson"));
            p.exists().then(|| {
                let v = read_json(&p);
                (n.to_string(), v["features"].as_array().unwrap().len())
            })
        })
        .collect()
}

fn check_all_formats_with_gdal(dir: &Path) {
    let counts = layer_counts(dir);
    assert!(counts.len() >= 2, "{counts:?}");
    for (name, count) in &counts {
        let one = [(name.clone(), *count)];
        for ext in ["geojson", "geojsonl", "csv"] {
            check_with_gdal(&dir.join(format!("{name}.{ext}")), &one);
        }
    }
    check_with_gdal(&dir.join("geoevents.gpkg"), &counts);
    check_with_gdal(&dir.join("geoevents.kml"), &counts);
    for base in ["basemap_land", "basemap_borders"] {
        let p = dir.join(format!("{base}.geojson"));
        let n = read_json(&p)["features"].as_array().unwrap().len();
        check_with_gdal(&p, &[(base.to_string(), n)]);
    }
}

/// True when Debian's python3 has the `qgis` module; in CI a missing one fails.
fn have_pyqgis() -> bool {
    let ok = Command::new("/usr/bin/python3")
        .args(["-c", "import qgis.core"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            !in_ci(),
            "CI=true but /usr/bin/python3 cannot import qgis (.ci/run installs python3-qgis)"
        );
        eprintln!("skipping: /usr/bin/python3 has no `qgis` module");
    }
    ok
}

fn check_with_qgis(dir: &Path) {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/qgis/check_layers.py");
    let o = Command::new("/usr/bin/python3")
        .arg(&script)
        .arg(dir)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "PyQGIS check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("all layers ok"), "{stdout}");
    assert!(stdout.contains("ok geoevents.qgs:events"), "{stdout}");
}

#[test]
fn example_article_every_format_reads_in_gdal_and_qgis() {
    let dir = tempfile::tempdir().unwrap();
    map_all("examples/korea-strait-transit.txt", dir.path());
    for f in [
        "events.geojson",
        "places.geojson",
        "events.geojsonl",
        "events.csv",
        "events.csvt",
        "events.prj",
        "events.qml",
        "places.qml",
        "geoevents.gpkg",
        "geoevents.kml",
        "geoevents.qgs",
        "basemap_land.geojson",
        "basemap_borders.geojson",
        "map.png",
    ] {
        assert!(dir.path().join(f).exists(), "{f} missing");
    }
    if have_tool("ogrinfo") {
        check_all_formats_with_gdal(dir.path());
    }
    if have_pyqgis() {
        check_with_qgis(dir.path());
    }
}

fn route_parts(dir: &Path) -> Vec<serde_json::Value> {
    let routes = read_json(&dir.join("routes.geojson"));
    assert_eq!(routes["name"], "routes");
    routes["features"].as_array().unwrap().clone()
}

#[test]
fn routes_across_the_antimeridian_are_split_and_draw_in_qgis() {
    let dir = tempfile::tempdir().unwrap();
    map_all("tests/data/antimeridian-routes.txt", dir.path());
    let routes = route_parts(dir.path());
    let fiji = routes
        .iter()
        .find(|f| f["properties"]["origin"] == "Suva")
        .expect("a route from Suva");
    assert_eq!(fiji["properties"]["destination"], "Apia");
    let okhotsk = routes
        .iter()
        .find(|f| f["properties"]["origin"] == "Sea of Okhotsk")
        .expect("a route from the Sea of Okhotsk");
    assert_eq!(okhotsk["properties"]["via"], "Bering Strait");
    for r in [fiji, okhotsk] {
        let g = &r["geometry"];
        assert_eq!(g["type"], "MultiLineString", "{g}");
        let parts = g["coordinates"].as_array().unwrap();
        assert_eq!(parts.len(), 2);
        let end = parts[0].as_array().unwrap().last().unwrap();
        let start = &parts[1][0];
        assert_eq!(end[0].as_f64(), Some(180.0));
        assert_eq!(start[0].as_f64(), Some(-180.0));
        assert_eq!(end[1], start[1], "the two halves meet");
        for part in parts {
            for c in part.as_array().unwrap() {
                assert!(c[0].as_f64().unwrap().abs() <= 180.0);
            }
        }
    }
    // The same split geometry in CSV's WKT.
    let csv = std::fs::read_to_string(dir.path().join("routes.csv")).unwrap();
    assert!(
        csv.contains("MULTILINESTRING ((178.42531 -18.13683, 180 "),
        "{csv}"
    );
    if have_tool("ogrinfo") {
        check_all_formats_with_gdal(dir.path());
        let o = Command::new("ogrinfo")
            .args(["-ro", "-so"])
            .arg(dir.path().join("geoevents.gpkg"))
            .arg("routes")
            .output()
            .unwrap();
        assert!(String::from_utf8_lossy(&o.stdout).contains("Multi Line String"));
    }
    if have_pyqgis() {
        check_with_qgis(dir.path());
    }
}

fn convert(input: &Path, output: &Path) {
    let o = geoevents(&["convert", input.to_str().unwrap(), output.to_str().unwrap()]);
    assert!(o.status.success(), "convert: {}", common::stderr(&o));
}

fn properties(path: &Path) -> Vec<serde_json::Value> {
    read_json(path)["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"].clone())
        .collect()
}

#[test]
fn tricky_text_round_trips_through_csv_geojson_and_geopackage() {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/tricky-places.geojson");
    let want = properties(&src);
    let dir = tempfile::tempdir().unwrap();
    for ext in ["geojson", "geojsonl", "gpkg", "csv"] {
        let mid = dir.path().join(format!("places.{ext}"));
        convert(&src, &mid);
        let back = dir.path().join(format!("back-from-{ext}.geojson"));
        convert(&mid, &back);
        assert_eq!(properties(&back), want, "through {ext}");
    }
    // The leading `=` is kept in GeoJSON and GeoPackage, escaped in CSV.
    let csv = std::fs::read_to_string(dir.path().join("places.csv")).unwrap();
    assert!(
        csv.contains("\"'=HYPERLINK(\"\"http://example.com\"\",\"\"x\"\")\""),
        "{csv}"
    );
    assert!(csv.contains("'+plus and -minus @at 'quote"));
    assert!(csv.contains("\"line one\nline two, with comma\""));
    assert!(csv.contains("東京都 / Токио / طوكيو"));
    let gj = std::fs::read_to_string(dir.path().join("places.geojson")).unwrap();
    assert!(gj.contains("\"=HYPERLINK("));
    if have_tool("ogrinfo") {
        for ext in ["geojson", "geojsonl", "gpkg", "csv"] {
            check_with_gdal(
                &dir.path().join(format!("places.{ext}")),
                &[("places".into(), want.len())],
            );
        }
        // GDAL reads the GeoPackage text unchanged.
        let o = Command::new("ogrinfo")
            .args(["-ro", "-al", "-q"])
            .arg(dir.path().join("places.gpkg"))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            text.contains("name (String) = =HYPERLINK(\"http://example.com\",\"x\")"),
            "{text}"
        );
        assert!(text.contains("東京都 / Токио / طوكيو"));
    }
}

#[test]
fn bad_formats_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let o = geoevents(&[
        "map",
        "examples/korea-strait-transit.txt",
        "-o",
        dir.path().to_str().unwrap(),
        "--format",
        "geojson,shp",
    ]);
    assert!(!o.status.success());
    assert!(
        common::stderr(&o).contains("unknown format"),
        "{}",
        common::stderr(&o)
    );
    let out = dir.path().join("x.shp");
    let o = geoevents(&[
        "convert",
        "tests/data/tricky-places.geojson",
        out.to_str().unwrap(),
    ]);
    assert!(!o.status.success());
    assert!(common::stderr(&o).contains("unknown layer format"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn geopackage_converts_to_one_file_per_layer() {
    let dir = tempfile::tempdir().unwrap();
    map_all("tests/data/antimeridian-routes.txt", dir.path());
    let out = dir.path().join("split").join("layers.geojson");
    convert(&dir.path().join("geoevents.gpkg"), &out);
    for n in ["events", "places", "routes"] {
        let p = dir.path().join("split").join(format!("layers-{n}.geojson"));
        assert_eq!(
            properties(&p),
            properties(&dir.path().join(format!("{n}.geojson"))),
            "{n}"
        );
    }
}
