//! Criterion benchmarks of the stages: loading the embedded gazetteer, resolving a
//! name, and geoparsing text (reported as bytes per second).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use geoevents::gazetteer::Gazetteer;
use std::hint::black_box;

const EXAMPLE: &str = include_str!("../examples/korea-strait-transit.txt");

fn load(c: &mut Criterion) {
    c.bench_function("gazetteer_load_embedded", |b| {
        b.iter(|| black_box(Gazetteer::embedded().unwrap().len()))
    });
}

fn resolve(c: &mut Criterion) {
    let g = Gazetteer::embedded().unwrap();
    c.bench_function("resolve_name", |b| {
        b.iter(|| black_box(geoevents::geoparse::rank_name(&g, black_box("Tsugaru Strait")).len()))
    });
}

fn geoparse(c: &mut Criterion) {
    let g = Gazetteer::embedded().unwrap();
    let mut group = c.benchmark_group("geoparse");
    // One article, as news comes.
    group.throughput(Throughput::Bytes(EXAMPLE.len() as u64));
    group.bench_function("article_one_core", |b| {
        b.iter(|| black_box(geoevents::geoparse::geoparse(&g, EXAMPLE).1.len()))
    });
    // One long document (about 100 KB): the cost must stay linear in its length.
    let long = EXAMPLE.repeat(100_000 / EXAMPLE.len() + 1);
    group.throughput(Throughput::Bytes(long.len() as u64));
    group.sample_size(20);
    group.bench_function("long_document_one_core", |b| {
        b.iter(|| black_box(geoevents::geoparse::geoparse(&g, &long).1.len()))
    });
    group.finish();
}

/// Rendering: the seed-area fixture (basemap, route, labels) as PNG and SVG, and
/// 10,000 labelled points as PNG.
fn render(c: &mut Criterion) {
    use geoevents::render::{self, Format, MapSpec};
    let g = Gazetteer::embedded().unwrap();
    let layers =
        render::layers::read_files(&["tests/data/render/seed-area.geojson".into()]).unwrap();
    let spec = MapSpec {
        places: layers.places,
        routes: layers.routes,
        polygons: layers.polygons,
        context: geoevents::context_names(&g),
        ..MapSpec::new("Tsugaru Strait")
    };
    let mut group = c.benchmark_group("render");
    group.sample_size(20);
    group.bench_function("seed_area_png", |b| {
        b.iter(|| black_box(render::render(&spec, Format::Png).unwrap().bytes.len()))
    });
    group.bench_function("seed_area_svg", |b| {
        b.iter(|| black_box(render::render(&spec, Format::Svg).unwrap().bytes.len()))
    });
    let mut many = MapSpec::new("10,000 points");
    many.places = (0..10_000u64)
        .map(|i| {
            let h = i.wrapping_mul(2654435761) % 1_000_003;
            render::MapPlace {
                pos: geoevents::coords::LonLat::new(
                    -10.0 + (h % 1000) as f64 * 0.04,
                    36.0 + (h / 1000) as f64 * 0.02,
                ),
                name: format!("Place {i}"),
                water: false,
                events: vec![],
                area: None,
            }
        })
        .collect();
    group.sample_size(10);
    group.bench_function("points_10k_png", |b| {
        b.iter(|| black_box(render::render(&many, Format::Png).unwrap().labels.len()))
    });
    group.finish();
}

criterion_group!(benches, load, resolve, geoparse, render);
criterion_main!(benches);
