//! Every capital in `gazetteer/countries.tsv` and the biggest cities of `cities.tsv` are
//! found, whole, in a plain news sentence, and capitals are read inside their country:
//! these are the names news uses most.

mod common;

use common::{geoevents, stderr, stdout};

/// Capitals whose written form the matcher does not take: an ordinary phrase.
const NOT_FOUND: &[&str] = &["The Valley"];

/// Capitals that, alone, mean a bigger namesake elsewhere (Kingston is Jamaica's before
/// Norfolk Island's), or whose country is dissolved (AN, CS).
const ELSEWHERE: &[&str] = &["AN", "CS", "NF"];

/// Big cities the matcher does not take whole: a leading "The", and names that open
/// with a one-letter or particle syllable before an apostrophe.
const BIG_NOT_FOUND: &[&str] = &["The Bronx", "E’zhou", "Ya'an"];

/// The rows of a gazetteer table, as maps from column name to field.
fn table(file: &str) -> Vec<std::collections::HashMap<String, String>> {
    let path = format!("{}/gazetteer/{file}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    lines
        .map(|l| {
            let fields = l.split('\t').map(str::to_string);
            header.iter().map(|h| h.to_string()).zip(fields).collect()
        })
        .collect()
}

/// Geoparses "Officials in NAME said talks would resume." for each name, in one JSON Lines
/// run of the binary, and returns the point of the mention that covers the name
/// exactly, if there is one.
fn found_whole(names: &[&str]) -> Vec<Option<(f64, f64)>> {
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("names.jsonl");
    let records: String = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let text = format!("Officials in {n} said talks would resume.");
            serde_json::json!({"id": i, "text": text}).to_string() + "\n"
        })
        .collect();
    std::fs::write(&corpus, records).unwrap();
    let out = geoevents(&["geoparse", "--jsonl", corpus.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), names.len());
    let start = "Officials in ".len() as u64;
    names
        .iter()
        .zip(&lines)
        .map(|(n, line)| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let end = start + n.chars().count() as u64;
            v["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|m| m["start"] == start && m["end"].as_u64() == Some(end))
                .map(|m| (m["lat"].as_f64().unwrap(), m["lon"].as_f64().unwrap()))
        })
        .collect()
}

#[test]
fn every_capital_is_found_whole() {
    let countries: Vec<_> = table("countries.tsv")
        .into_iter()
        .filter(|r| !r["capital"].is_empty() && !NOT_FOUND.contains(&r["capital"].as_str()))
        .collect();
    assert!(countries.len() > 200, "only {} capitals", countries.len());
    let names: Vec<&str> = countries.iter().map(|r| r["capital"].as_str()).collect();
    let (mut missed, mut abroad) = (Vec::new(), Vec::new());
    for (r, found) in countries.iter().zip(found_whole(&names)) {
        let (cap, iso) = (&r["capital"], &r["iso2"]);
        let Some((lat, lon)) = found else {
            missed.push(cap.clone());
            continue;
        };
        let [west, south, east, north] =
            ["west", "south", "east", "north"].map(|c| r[c].parse::<f64>().unwrap());
        let in_lon = if west <= east {
            (west - 0.5..=east + 0.5).contains(&lon)
        } else {
            lon >= west - 0.5 || lon <= east + 0.5
        };
        let inside = in_lon && (south - 0.5..=north + 0.5).contains(&lat);
        if !inside && !ELSEWHERE.contains(&iso.as_str()) {
            abroad.push(format!("{cap} ({iso}) at {lat},{lon}"));
        }
    }
    assert!(missed.is_empty(), "capitals not found whole: {missed:?}");
    assert!(
        abroad.is_empty(),
        "capitals read outside their country: {abroad:?}"
    );
}

#[test]
fn the_thousand_biggest_cities_are_found_whole() {
    let rows = table("cities.tsv");
    let mut cities: Vec<(u64, &str)> = rows
        .iter()
        .map(|r| (r["population"].parse().unwrap(), r["name"].as_str()))
        .collect();
    cities.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let names: Vec<&str> = cities
        .iter()
        .take(1000)
        .map(|c| c.1)
        .filter(|n| !BIG_NOT_FOUND.contains(n))
        .collect();
    let missed: Vec<&str> = names
        .iter()
        .zip(found_whole(&names))
        .filter(|(_, found)| found.is_none())
        .map(|(n, _)| *n)
        .collect();
    assert!(missed.is_empty(), "cities not found whole: {missed:?}");
}
