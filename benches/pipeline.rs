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

criterion_group!(benches, load, resolve, geoparse);
criterion_main!(benches);
