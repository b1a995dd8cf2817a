//! Compiles the event lexicon in `events/` (ontology, triggers, cues, actors) into Rust
//! source at build time, so the binary carries it as static tables and a bad row stops
//! the build with its file and line. Used by `build.rs` only.

use std::collections::BTreeMap;
use std::fmt::Write;

/// The lexicon files as text.
pub struct LexiconTexts<'a> {
    pub ontology: &'a str,
    pub triggers: &'a str,
    pub cues: &'a str,
    pub actors: &'a str,
}

/// The families the map draws with one colour each; the ontology's `family` column.
pub const FAMILIES: &[(&str, &str)] = &[
    ("movement", "Movement"),
    ("battle", "Battle"),
    ("explosion", "Explosion"),
    ("violence_against_civilians", "ViolenceAgainstCivilians"),
    ("protest", "Protest"),
    ("riot", "Riot"),
    ("strategic", "Strategic"),
    ("diplomacy", "Diplomacy"),
    ("disaster", "Disaster"),
];

const FLAGS: &[&str] = &["movement", "verbal", "diplomatic", "violent", "disaster"];

const ACTOR_CLASSES: &[(&str, &str)] = &[
    ("military", "Military"),
    ("police", "Police"),
    ("state_forces", "StateForces"),
    ("rebels", "Rebels"),
    ("political_militia", "PoliticalMilitia"),
    ("identity_militia", "IdentityMilitia"),
    ("unidentified_armed_group", "UnidentifiedArmedGroup"),
    ("rioters", "Rioters"),
    ("protesters", "Protesters"),
    ("civilians", "Civilians"),
    ("external", "External"),
    ("government", "Government"),
];

fn camel(snake: &str) -> String {
    snake
        .split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The word tokens of a form, folded as the tokenizer folds text.
fn words(form: &str) -> Vec<String> {
    super::normalize::word_tokens(form)
        .map(super::normalize::fold_token)
        .filter(|w| !w.is_empty())
        .collect()
}

fn rows<'a>(
    file: &str,
    text: &'a str,
    min_cols: usize,
) -> Result<Vec<(usize, Vec<&'a str>)>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
        if cols.len() < min_cols {
            return Err(format!(
                "{file} line {}: {} columns, expected at least {min_cols}",
                i + 1,
                cols.len()
            ));
        }
        out.push((i + 1, cols));
    }
    Ok(out)
}

fn opt(s: &str) -> String {
    if s.is_empty() {
        "None".into()
    } else {
        format!("Some({s:?})")
    }
}

fn word_list(w: &[String]) -> String {
    let inner: Vec<String> = w.iter().map(|x| format!("{x:?}")).collect();
    format!("&[{}]", inner.join(", "))
}

/// Rust source for `src/events/lexicon.rs` to include, or the first bad row.
pub fn compile(t: &LexiconTexts) -> Result<String, String> {
    let mut out = String::new();
    let onto = rows("events/ontology.tsv", t.ontology, 7)?;
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut variants = Vec::new();
    let mut infos = Vec::new();
    for (line, c) in &onto {
        let name = c[0];
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return Err(format!(
                "events/ontology.tsv line {line}: bad type name `{name}`"
            ));
        }
        let family = FAMILIES
            .iter()
            .find(|(f, _)| *f == c[2])
            .ok_or_else(|| format!("events/ontology.tsv line {line}: unknown family `{}`", c[2]))?
            .1;
        let flags: Vec<&str> = c
            .get(7)
            .copied()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect();
        if let Some(bad) = flags.iter().find(|f| !FLAGS.contains(f)) {
            return Err(format!(
                "events/ontology.tsv line {line}: unknown flag `{bad}`"
            ));
        }
        let v = camel(name);
        if types.insert(name.to_string(), v.clone()).is_some() {
            return Err(format!("events/ontology.tsv line {line}: `{name}` twice"));
        }
        let cameo = c[6];
        let code_ok = cameo.len() >= 3 && cameo.bytes().all(|b| b.is_ascii_digit());
        if !cameo.is_empty() && !code_ok {
            return Err(format!(
                "events/ontology.tsv line {line}: bad CAMEO code `{cameo}`"
            ));
        }
        infos.push(format!(
            "    TypeInfo {{ name: {name:?}, label: {:?}, family: Family::{family}, acled_event_type: {}, acled_sub_event_type: {}, plover: {}, cameo: {}, movement: {}, verbal: {}, diplomatic: {}, violent: {}, disaster: {} }},",
            c[1],
            opt(c[3]),
            opt(c[4]),
            opt(c[5]),
            opt(cameo),
            flags.contains(&"movement"),
            flags.contains(&"verbal"),
            flags.contains(&"diplomatic"),
            flags.contains(&"violent"),
            flags.contains(&"disaster"),
        ));
        variants.push(v);
    }
    let ty = |file: &str, line: usize, name: &str| -> Result<String, String> {
        types
            .get(name)
            .map(|v| format!("EventType::{v}"))
            .ok_or_else(|| format!("{file} line {line}: unknown event type `{name}`"))
    };
    writeln!(
        out,
        "/// What happened: the types of `events/ontology.tsv`, in its order.\n#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]\n#[serde(rename_all = \"snake_case\")]\npub enum EventType {{"
    )
    .ok();
    for v in &variants {
        writeln!(out, "    {v},").ok();
    }
    writeln!(out, "}}\n").ok();
    writeln!(
        out,
        "impl EventType {{\n    /// Every type, in the ontology's order (the legend's).\n    pub const ALL: [EventType; {}] = [{}];\n}}\n",
        variants.len(),
        variants
            .iter()
            .map(|v| format!("EventType::{v}"))
            .collect::<Vec<_>>()
            .join(", ")
    )
    .ok();
    writeln!(out, "static TYPE_INFO: [TypeInfo; {}] = [", variants.len()).ok();
    for i in &infos {
        writeln!(out, "{i}").ok();
    }
    writeln!(out, "];\n").ok();

    // Triggers: several rows may share a form (an ambiguous word); keep each (form, type) once.
    let trig = rows("events/triggers.tsv", t.triggers, 3)?;
    let mut seen = std::collections::BTreeSet::new();
    let mut trig_rows = Vec::new();
    for (line, c) in &trig {
        let w = words(c[0]);
        if w.is_empty() {
            return Err(format!("events/triggers.tsv line {line}: empty form"));
        }
        let strong = match c[2] {
            "strong" => true,
            "weak" => false,
            other => {
                return Err(format!(
                    "events/triggers.tsv line {line}: strength `{other}`, expected strong or weak"
                ))
            }
        };
        let t = ty("events/triggers.tsv", *line, c[1])?;
        let noun = c.get(3).is_some_and(|p| p.starts_with('n'));
        if seen.insert((w.clone(), t.clone())) {
            trig_rows.push(format!(
                "    Trigger {{ words: {}, ty: {t}, strong: {strong}, noun: {noun} }},",
                word_list(&w)
            ));
        }
    }
    writeln!(out, "static TRIGGERS: &[Trigger] = &[").ok();
    for r in &trig_rows {
        writeln!(out, "{r}").ok();
    }
    writeln!(out, "];\n").ok();

    let cues = rows("events/cues.tsv", t.cues, 3)?;
    writeln!(out, "static CUES: &[CueEntry] = &[").ok();
    for (line, c) in &cues {
        let w = words(c[0]);
        if w.is_empty() {
            return Err(format!("events/cues.tsv line {line}: empty form"));
        }
        let value = c[2];
        let cue = match c[1] {
            "weapon" => match value {
                "firearm" => "Cue::Weapon(Weapon::Firearm)".to_string(),
                "blade" => "Cue::Weapon(Weapon::Blade)".to_string(),
                "arson" => "Cue::Weapon(Weapon::Arson)".to_string(),
                "crowd_control" => "Cue::Weapon(Weapon::CrowdControl)".to_string(),
                v => format!(
                    "Cue::Weapon(Weapon::Explosive({}))",
                    ty("events/cues.tsv", *line, v)?
                ),
            },
            "killed" => "Cue::Killed".into(),
            "injured" => "Cue::Injured".into(),
            "casualties" => "Cue::Casualties".into(),
            "negation" => "Cue::Negation".into(),
            "modality" => match value {
                "threat" => "Cue::Modality(Modality::Threat)".into(),
                "plan" => "Cue::Modality(Modality::Plan)".into(),
                "reported" => "Cue::Modality(Modality::Reported)".into(),
                v => return Err(format!("events/cues.tsv line {line}: modality `{v}`")),
            },
            "disrupt" => "Cue::Disrupt".into(),
            "intervention" => "Cue::Intervention".into(),
            "excessive" => "Cue::Excessive".into(),
            "accident" => "Cue::Accident".into(),
            "size" => "Cue::Size".into(),
            other => {
                return Err(format!(
                    "events/cues.tsv line {line}: unknown cue `{other}`"
                ))
            }
        };
        writeln!(
            out,
            "    CueEntry {{ words: {}, cue: {cue} }},",
            word_list(&w)
        )
        .ok();
    }
    writeln!(out, "];\n").ok();

    let actors = rows("events/actors.tsv", t.actors, 2)?;
    writeln!(out, "static ACTORS: &[ActorEntry] = &[").ok();
    for (line, c) in &actors {
        let w = words(c[0]);
        if w.is_empty() {
            return Err(format!("events/actors.tsv line {line}: empty form"));
        }
        let class = ACTOR_CLASSES
            .iter()
            .find(|(k, _)| *k == c[1])
            .ok_or_else(|| format!("events/actors.tsv line {line}: unknown class `{}`", c[1]))?
            .1;
        let inter: u8 = match c.get(2).copied().unwrap_or("") {
            "" => 0,
            s => s
                .parse()
                .ok()
                .filter(|n| (1..=8).contains(n))
                .ok_or_else(|| {
                    format!("events/actors.tsv line {line}: inter `{s}`, expected 1-8")
                })?,
        };
        let country = c.get(3).copied().unwrap_or("");
        let iso2 = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
        if !country.is_empty() && !iso2 {
            return Err(format!(
                "events/actors.tsv line {line}: country `{country}`"
            ));
        }
        let label = c.get(4).copied().filter(|l| !l.is_empty()).unwrap_or(c[1]);
        // A name in capitals ("IS", "ELN") counts only when written so in the text.
        let caps = c[0].len() <= 4 && c[0].bytes().all(|b| b.is_ascii_uppercase());
        writeln!(
            out,
            "    ActorEntry {{ words: {}, class: ActorClass::{class}, inter: {inter}, country: {}, label: {label:?}, caps: {caps} }},",
            word_list(&w),
            opt(country)
        )
        .ok();
    }
    writeln!(out, "];").ok();
    Ok(out)
}
