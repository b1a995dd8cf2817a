//! The US counties of `gazetteer/admin2.tsv`: where they sit in the hierarchy, which
//! names reach them, and how a state named beside a county picks among namesakes.

use geoevents::gazetteer::{Gazetteer, PlaceId, PlaceKind};
use geoevents::geoparse::geoparse;

/// The US counties (`us:` ids); `admin2_world.tsv` holds the other countries' units.
fn is_us_county(p: &geoevents::gazetteer::Place) -> bool {
    p.kind == PlaceKind::Admin2 && p.id.starts_with("us:")
}

fn counties(g: &Gazetteer) -> Vec<PlaceId> {
    (0..g.len() as u32)
        .map(PlaceId)
        .filter(|id| is_us_county(g.place(*id)))
        .collect()
}

fn admin2_named(g: &Gazetteer, name: &str) -> Vec<&'static str> {
    g.lookup(name)
        .iter()
        .map(|e| g.place(e.place))
        .filter(|p| is_us_county(p))
        .map(|p| p.id)
        .collect()
}

#[test]
fn every_county_lies_in_its_state() {
    let g = Gazetteer::embedded().unwrap();
    let all = counties(&g);
    assert!(all.len() > 3000, "only {} counties", all.len());
    let us = g.country("US").unwrap();
    let mut outside = Vec::new();
    for c in all {
        let p = g.place(c);
        assert_eq!(p.country, Some("US"), "{}", p.id);
        let code = p.admin1.unwrap_or_else(|| panic!("{} has no state", p.id));
        let state = g
            .admin1("US", code)
            .unwrap_or_else(|| panic!("{}: no state {code}", p.id));
        assert!(g.contains(state, c), "{} not in {code}", p.id);
        assert!(g.contains(us, c), "{} not in the US", p.id);
        assert!(!g.contains(c, state), "{} contains its state", p.id);
        assert_eq!(g.admin1_name(p), Some(g.place(state).name));
        // The state polygons are simplified: a point on a small coastal island may miss.
        if g.admin1_at(p.point) != Some(state) {
            outside.push(format!("{} {}", p.id, p.name));
        }
    }
    assert!(
        outside.len() <= 10,
        "points outside their state: {outside:?}"
    );
}

#[test]
fn a_county_is_not_contained_by_another_state() {
    let g = Gazetteer::embedded().unwrap();
    let cuyahoga = g
        .lookup("Cuyahoga County")
        .iter()
        .map(|e| e.place)
        .find(|p| g.place(*p).kind == PlaceKind::Admin2)
        .unwrap();
    assert_eq!(g.place(cuyahoga).id, "us:39035");
    assert!(g.contains(g.admin1("US", "OH").unwrap(), cuyahoga));
    assert!(!g.contains(g.admin1("US", "PA").unwrap(), cuyahoga));
    assert!(!g.contains(g.country("CA").unwrap(), cuyahoga));
}

#[test]
fn bare_names_only_where_no_other_place_has_them() {
    let g = Gazetteer::embedded().unwrap();
    assert_eq!(admin2_named(&g, "Cuyahoga"), ["us:39035"]);
    assert_eq!(admin2_named(&g, "Miami-Dade"), ["us:12086"]);
    assert_eq!(admin2_named(&g, "Miami Dade"), ["us:12086"]);
    // Namesakes, towns, states, personal names and phrases keep their bare name to themselves.
    for name in [
        "Orange",
        "Washington",
        "Suffolk",
        "Los Angeles",
        "Prince William",
        "Jim Wells",
        "Black Hawk",
        "Travis",
    ] {
        assert!(admin2_named(&g, name).is_empty(), "{name} names a county");
    }
    let suffolks = admin2_named(&g, "Suffolk County");
    assert!(suffolks.contains(&"us:36103") && suffolks.contains(&"us:25025"));
    assert_eq!(admin2_named(&g, "Washington County").len(), 30);
}

#[test]
fn independent_cities_stay_cities() {
    let g = Gazetteer::embedded().unwrap();
    for (name, state) in [
        ("Alexandria", "VA"),
        ("Baltimore", "MD"),
        ("St. Louis", "MO"),
        ("Carson City", "NV"),
    ] {
        let hits = g.lookup(name);
        assert!(
            hits.iter().all(|e| !is_us_county(g.place(e.place))),
            "{name} is a county"
        );
        assert!(
            hits.iter().any(|e| {
                let p = g.place(e.place);
                p.kind.is_settlement() && p.admin1 == Some(state)
            }),
            "{name}, {state} is missing"
        );
    }
}

#[test]
fn a_state_beside_a_county_picks_the_namesake() {
    let g = Gazetteer::embedded().unwrap();
    for (text, county, want) in [
        (
            "A man was arrested in Suffolk County, N.Y., police said on Tuesday.",
            "Suffolk County",
            "us:36103",
        ),
        (
            "Prosecutors in Suffolk County, Massachusetts, charged him.",
            "Suffolk County",
            "us:25025",
        ),
        (
            "Police in Suffolk County, New York, said the victim was 34.",
            "Suffolk County",
            "us:36103",
        ),
        (
            "The fire in Washington County, Oregon spread overnight.",
            "Washington County",
            "us:41067",
        ),
        (
            "Orange County, N.C., officials said the roads were closed.",
            "Orange County",
            "us:37135",
        ),
        (
            "Deputies in Montgomery County, Iowa, searched the farm.",
            "Montgomery County",
            "us:19137",
        ),
    ] {
        let (_, mentions) = geoparse(&g, text);
        let m = mentions
            .iter()
            .find(|m| m.text == county)
            .unwrap_or_else(|| panic!("{county} not found in {text:?}"));
        assert_eq!(g.place(m.place).id, want, "{text}");
    }
}
