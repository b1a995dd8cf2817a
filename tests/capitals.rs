//! Every capital in `gazetteer/countries.tsv` is found, whole, in a plain news sentence,
//! and read as a place of its own country: capitals are the names news uses most.

mod common;

use common::{geoevents, stderr, stdout};

/// Capitals whose written form the matcher does not take: a lower-case word after an
/// apostrophe, and a capital whose name is an ordinary phrase.
const NOT_FOUND: &[&str] = &["Nuku'alofa", "The Valley"];

/// Capitals that, alone, mean a bigger namesake elsewhere (Kingston is Jamaica's before
/// Norfolk Island's), or whose country is dissolved (AN, CS).
const ELSEWHERE: &[&str] = &["AN", "CS", "NF"];

#[test]
fn every_capital_is_found_whole() {
    let root = env!("CARGO_MANIFEST_DIR");
    let table = std::fs::read_to_string(format!("{root}/gazetteer/countries.tsv")).unwrap();
    let mut lines = table.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (iso2, capital) = (col("iso2"), col("capital"));
    let bbox = [col("west"), col("south"), col("east"), col("north")];
    let mut boxes = Vec::new();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("capitals.jsonl");
    let mut records = String::new();
    let mut wanted = Vec::new();
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        let cap = f[capital];
        if cap.is_empty() || NOT_FOUND.contains(&cap) {
            continue;
        }
        let text = format!("Officials in {cap} said talks would resume.");
        records.push_str(&serde_json::json!({"id": f[iso2], "text": text}).to_string());
        records.push('\n');
        wanted.push((f[iso2].to_string(), cap.to_string()));
        boxes.push(bbox.map(|i| f[i].parse::<f64>().unwrap()));
    }
    assert!(wanted.len() > 200, "only {} capitals", wanted.len());
    std::fs::write(&corpus, records).unwrap();
    let out = geoevents(&["geoparse", "--jsonl", corpus.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (mut missed, mut abroad) = (Vec::new(), Vec::new());
    let lines: Vec<String> = stdout(&out).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), wanted.len());
    for (((iso, cap), [west, south, east, north]), line) in wanted.iter().zip(&boxes).zip(&lines) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let start = "Officials in ".len() as u64;
        let Some(m) = v["mentions"].as_array().unwrap().iter().find(|m| {
            m["start"] == start && m["end"].as_u64() == Some(start + cap.chars().count() as u64)
        }) else {
            missed.push(cap.clone());
            continue;
        };
        let (lat, lon) = (m["lat"].as_f64().unwrap(), m["lon"].as_f64().unwrap());
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

/// Big cities the matcher does not take whole: a leading "The", and names that open
/// with a one-letter or particle syllable before an apostrophe.
const BIG_NOT_FOUND: &[&str] = &["The Bronx", "E’zhou", "Ya'an"];

#[test]
fn the_thousand_biggest_cities_are_found_whole() {
    let root = env!("CARGO_MANIFEST_DIR");
    let table = std::fs::read_to_string(format!("{root}/gazetteer/cities.tsv")).unwrap();
    let mut lines = table.lines().filter(|l| !l.starts_with('#'));
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (name, population) = (col("name"), col("population"));
    let mut cities: Vec<(u64, &str)> = lines
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .map(|f| (f[population].parse().unwrap(), f[name]))
        .collect();
    cities.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let names: Vec<&str> = cities
        .iter()
        .take(1000)
        .map(|c| c.1)
        .filter(|n| !BIG_NOT_FOUND.contains(n))
        .collect();
    let tmp = tempfile::tempdir().unwrap();
    let corpus = tmp.path().join("cities.jsonl");
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
    let start = "Officials in ".len() as u64;
    let missed: Vec<&str> = names
        .iter()
        .zip(stdout(&out).lines())
        .filter(|(n, line)| {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let end = start + n.chars().count() as u64;
            !v["mentions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["start"] == start && m["end"].as_u64() == Some(end))
        })
        .map(|(n, _)| *n)
        .collect();
    assert!(missed.is_empty(), "cities not found whole: {missed:?}");
}
