//! Geoparses a string and prints its places and events.
//!
//! ```sh
//! cargo run --release --example geoparse_string
//! cargo run --release --example geoparse_string -- "Protesters gathered in Lyon on Saturday." 2024-05-04
//! ```

use geoevents::gazetteer::Gazetteer;
use geoevents::input::Document;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let text = args.next().unwrap_or_else(|| {
        "Two Chinese destroyers sailed through the Tsushima Strait on Monday, \
         Japan's defence ministry said, before joining drills in the East China Sea."
            .to_string()
    });
    // The publication date anchors "on Monday"; without it such dates stay unknown.
    let date = args
        .next()
        .map(|d| chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d"))
        .transpose()?;

    let gaz = Gazetteer::embedded()?;
    let doc = Document::from_text("example", &text, date);
    let analysed = geoevents::analyse_one(&gaz, doc);

    println!("places:");
    for m in &analysed.mentions {
        let p = gaz.place(m.place);
        println!(
            "  {:<24} -> {} ({}, {}) {:.4},{:.4}",
            m.text,
            p.name,
            p.kind.code(),
            p.country.unwrap_or("-"),
            p.point.lat,
            p.point.lon
        );
    }
    println!("events:");
    for e in &analysed.events {
        let places: Vec<&str> = e.places.iter().map(|p| gaz.place(p.place).name).collect();
        println!(
            "  {} {:?} on {} at {}: {}",
            e.event_type.as_str(),
            e.trigger,
            e.date
                .map_or("an unknown date".to_string(), |d| d.to_string()),
            places.join(", "),
            e.sentence
        );
    }
    // The same events as GeoJSON, through the exporters `geoevents map` uses.
    let layer = geoevents::export::Layer::events(&gaz, &analysed.events);
    let mut geojson = Vec::new();
    geoevents::export::geojson::write_layer(&layer, &mut geojson)?;
    println!("{} bytes of GeoJSON", geojson.len());
    Ok(())
}
