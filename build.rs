//! Compiles the gazetteer tables in `gazetteer/` into the binary index that the
//! crate embeds, so the default gazetteer loads without parsing text.

#[path = "src/events/compile.rs"]
mod compile;
#[path = "src/gazetteer/kind.rs"]
#[allow(dead_code)]
mod kind;
#[path = "src/gazetteer/normalize.rs"]
#[allow(dead_code)]
mod normalize;
#[path = "src/gazetteer/tables.rs"]
#[allow(dead_code)]
mod tables;

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from("gazetteer");
    let read = |name: &str| {
        let p = dir.join(name);
        println!("cargo:rerun-if-changed={}", p.display());
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    };
    let (countries, admin1, admin2, admin2_world, cities, villages, continents, physical) = (
        read("countries.tsv"),
        read("admin1.tsv"),
        read("admin2.tsv"),
        read("admin2_world.tsv"),
        read("cities.tsv"),
        read("villages.tsv"),
        read("continents.tsv"),
        read("physical.tsv"),
    );
    let rows = tables::rows_from_tables(&tables::TableTexts {
        countries: &countries,
        admin1: &admin1,
        admin2: &admin2,
        admin2_world: &admin2_world,
        cities: &cities,
        villages: &villages,
        continents: &continents,
        physical: &physical,
    })
    .unwrap_or_else(|e| panic!("gazetteer data: {e}"));
    let index = tables::build_index(&rows);
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("gazetteer.idx");
    std::fs::write(&out, index).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
    compile_events(&out.with_file_name("event_lexicon.rs"));
    println!("cargo:rerun-if-changed=src/gazetteer/tables.rs");
    println!("cargo:rerun-if-changed=src/gazetteer/normalize.rs");
    println!("cargo:rerun-if-changed=src/gazetteer/kind.rs");
}

/// The event lexicon (`events/*.tsv`) as Rust tables for `src/events/lexicon.rs`.
fn compile_events(out: &std::path::Path) {
    let read = |name: &str| {
        let p = PathBuf::from("events").join(name);
        println!("cargo:rerun-if-changed={}", p.display());
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    };
    let (ontology, triggers, cues, actors) = (
        read("ontology.tsv"),
        read("triggers.tsv"),
        read("cues.tsv"),
        read("actors.tsv"),
    );
    let code = compile::compile(&compile::LexiconTexts {
        ontology: &ontology,
        triggers: &triggers,
        cues: &cues,
        actors: &actors,
    })
    .unwrap_or_else(|e| panic!("event lexicon: {e}"));
    std::fs::write(out, code).unwrap_or_else(|e| panic!("cannot write {}: {e}", out.display()));
    println!("cargo:rerun-if-changed=src/events/compile.rs");
}
