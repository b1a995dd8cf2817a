//! Times writing N point features (default 1,000,000) as one GeoJSON file and as
//! a GeoJSON text sequence, through the exporters `geoevents map` uses.
//!
//! ```sh
//! cargo run --release --example million_points -- 1000000 /tmp/points
//! ```
//! Points are spread over the globe by a fixed rule (no randomness), each with
//! an id, a name and a count, like a places layer.

use std::time::Instant;

use geoevents::export::{self, Field, FieldType, GeometryType, Layer, LayerFeature, Value};

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let dir = std::path::PathBuf::from(args.next().unwrap_or_else(|| "/tmp".into()));
    let field = |name: &str, field_type| Field {
        name: name.into(),
        field_type,
    };
    let t0 = Instant::now();
    let features = (0..n)
        .map(|i| {
            // A golden-angle spiral: distinct, well spread points.
            let f = i as f64 / n as f64;
            let lat = (1.0 - 2.0 * f).asin().to_degrees();
            let lon = ((i as f64 * 137.507_764_05) % 360.0) - 180.0;
            LayerFeature::new(
                geo::Point::new(lon, lat).into(),
                vec![
                    Value::Text(format!("p{i}")),
                    Value::Text(format!("Place {i}")),
                    Value::Integer((i % 97) as i64),
                ],
            )
        })
        .collect();
    let layer = Layer {
        name: "points".into(),
        geometry_type: GeometryType::Point,
        fields: vec![
            field("place_id", FieldType::Text),
            field("name", FieldType::Text),
            field("events", FieldType::Integer),
        ],
        features,
    };
    let built = t0.elapsed();
    for (name, seq) in [("points.geojson", false), ("points.geojsonl", true)] {
        let path = dir.join(name);
        let t = Instant::now();
        let file = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
        if seq {
            export::geojsonseq::write_layer(&layer, file)?;
        } else {
            export::geojson::write_layer(&layer, file)?;
        }
        let size = std::fs::metadata(&path)?.len();
        println!(
            "{n} points -> {} ({:.1} MB) in {:.3} s",
            path.display(),
            size as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
    }
    println!(
        "(building the layer in memory took {:.3} s)",
        built.as_secs_f64()
    );
    Ok(())
}
