//! The event lexicon: the types of `events/ontology.tsv` with their ACLED, PLOVER and
//! CAMEO codes, and the trigger, cue and actor words of `events/*.tsv`, compiled into
//! static tables by `build.rs` (see `events/README.md`). `scan` finds them all in a
//! token stream in one pass: one hash lookup a token.

use std::collections::HashMap;
use std::sync::OnceLock;

use rustc_hash::FxBuildHasher;
use serde::Serialize;

use crate::geoparse::tokens::{Gap, Token};

/// The colour group of a type on the map and in the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    Movement,
    Battle,
    Explosion,
    ViolenceAgainstCivilians,
    Protest,
    Riot,
    Strategic,
    Diplomacy,
    Disaster,
}

impl Family {
    /// Every family, in legend order.
    pub const ALL: [Family; 9] = [
        Family::Movement,
        Family::Battle,
        Family::Explosion,
        Family::ViolenceAgainstCivilians,
        Family::Protest,
        Family::Riot,
        Family::Strategic,
        Family::Diplomacy,
        Family::Disaster,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Family::Movement => "movement",
            Family::Battle => "battle",
            Family::Explosion => "explosion",
            Family::ViolenceAgainstCivilians => "violence_against_civilians",
            Family::Protest => "protest",
            Family::Riot => "riot",
            Family::Strategic => "strategic",
            Family::Diplomacy => "diplomacy",
            Family::Disaster => "disaster",
        }
    }

    /// A label for legends.
    pub fn label(self) -> &'static str {
        match self {
            Family::Movement => "Military movement",
            Family::Battle => "Battle",
            Family::Explosion => "Explosion / remote violence",
            Family::ViolenceAgainstCivilians => "Violence against civilians",
            Family::Protest => "Protest",
            Family::Riot => "Riot",
            Family::Strategic => "Strategic development",
            Family::Diplomacy => "Diplomacy / statement",
            Family::Disaster => "Disaster",
        }
    }
}

/// One row of the ontology.
struct TypeInfo {
    name: &'static str,
    label: &'static str,
    family: Family,
    acled_event_type: Option<&'static str>,
    acled_sub_event_type: Option<&'static str>,
    plover: Option<&'static str>,
    cameo: Option<&'static str>,
    movement: bool,
    verbal: bool,
    diplomatic: bool,
    violent: bool,
    disaster: bool,
}

include!(concat!(env!("OUT_DIR"), "/event_lexicon.rs"));

impl EventType {
    fn info(self) -> &'static TypeInfo {
        &TYPE_INFO[self as usize]
    }

    /// The snake_case name used in every output format.
    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// A label for legends: "Diplomatic expulsion".
    pub fn label(self) -> &'static str {
        self.info().label
    }

    pub fn family(self) -> Family {
        self.info().family
    }

    /// ACLED's event type ("Battles"), where the type is one ACLED codes.
    pub fn acled_event_type(self) -> Option<&'static str> {
        self.info().acled_event_type
    }

    /// ACLED's sub-event type ("Armed clash").
    pub fn acled_sub_event_type(self) -> Option<&'static str> {
        self.info().acled_sub_event_type
    }

    /// The PLOVER event type ("ASSAULT").
    pub fn plover(self) -> Option<&'static str> {
        self.info().plover
    }

    /// The CAMEO code that fits ("193"), where one does.
    pub fn cameo(self) -> Option<&'static str> {
        self.info().cameo
    }

    /// The CAMEO root code: the code's first two digits ("19").
    pub fn cameo_root(self) -> Option<&'static str> {
        self.info().cameo.map(|c| &c[..2])
    }

    /// Verbal events are said somewhere rather than happening at a place.
    pub fn is_verbal(self) -> bool {
        self.info().verbal
    }

    /// Acts between governments: where the text gives no place, they are placed at the
    /// acting government.
    pub fn is_diplomatic(self) -> bool {
        self.info().diplomatic
    }

    /// Movements have an origin, a path and a destination.
    pub fn is_movement(self) -> bool {
        self.info().movement
    }

    /// Political violence: battles, explosions, attacks, violent protest.
    pub fn is_violent(self) -> bool {
        self.info().violent
    }

    pub fn is_disaster(self) -> bool {
        self.info().disaster
    }

    /// The type of this name, if it is one.
    pub fn from_name(name: &str) -> Option<EventType> {
        EventType::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// A trigger form and the type it signals.
pub(crate) struct Trigger {
    words: &'static [&'static str],
    pub ty: EventType,
    /// The form alone names the type; a weak one ("killed", "strike") needs the clause.
    pub strong: bool,
    /// A nominal trigger ("airstrike", "protest"), not a verb form.
    pub noun: bool,
}

impl Trigger {
    /// A trigger the reader makes from other words (a casualty word beside a weapon).
    pub(crate) const fn synthetic(ty: EventType) -> Trigger {
        Trigger {
            words: &[],
            ty,
            strong: false,
            noun: false,
        }
    }
}

/// The weapon a clause names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weapon {
    /// An explosive or remote weapon, with the explosion type it makes.
    Explosive(EventType),
    Firearm,
    Blade,
    Arson,
    /// Tear gas, water cannon, rubber bullets: used on crowds.
    CrowdControl,
}

/// How sure the text is that an event happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    #[default]
    Asserted,
    Negated,
    Threat,
    Plan,
    Reported,
}

impl Modality {
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Negated => "negated",
            Modality::Threat => "threat",
            Modality::Plan => "plan",
            Modality::Reported => "reported",
        }
    }

    /// Did it happen, as far as the text says (asserted or reported)?
    pub fn happened(self) -> bool {
        matches!(self, Modality::Asserted | Modality::Reported)
    }
}

/// A word that refines or qualifies an event in its clause.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cue {
    Weapon(Weapon),
    Killed,
    Injured,
    /// Killed and injured together ("casualties").
    Casualties,
    Negation,
    Modality(Modality),
    /// Weapons seized, defused or intercepted.
    Disrupt,
    /// Police or troops intervening in a protest (dispersed, tear gas).
    Intervention,
    /// Lethal force against protesters.
    Excessive,
    /// An accident rather than an attack (a gas leak, a factory).
    Accident,
    /// Words of a crowd's size.
    Size,
}

pub(crate) struct CueEntry {
    words: &'static [&'static str],
    pub cue: Cue,
}

/// Who acts or suffers, as ACLED groups actors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorClass {
    Military,
    Police,
    StateForces,
    Rebels,
    PoliticalMilitia,
    IdentityMilitia,
    UnidentifiedArmedGroup,
    Rioters,
    Protesters,
    Civilians,
    External,
    Government,
}

impl ActorClass {
    /// Armed actors: a fight between two of them is a battle.
    pub fn is_armed(self) -> bool {
        !matches!(
            self,
            ActorClass::Rioters
                | ActorClass::Protesters
                | ActorClass::Civilians
                | ActorClass::Government
        )
    }

    pub fn is_state(self) -> bool {
        matches!(
            self,
            ActorClass::Military | ActorClass::Police | ActorClass::StateForces
        )
    }
}

pub(crate) struct ActorEntry {
    words: &'static [&'static str],
    pub class: ActorClass,
    /// ACLED's interaction code (1 state forces ... 8 external), 0 when none.
    pub inter: u8,
    /// ISO alpha-2 code of the country a named group belongs to.
    pub country: Option<&'static str>,
    pub label: &'static str,
    /// A short name in capitals ("IS") that counts only when written so.
    caps: bool,
}

/// What a lexicon entry found in the text is.
#[derive(Clone, Copy, Debug)]
pub(crate) enum HitKind {
    Trigger(&'static Trigger),
    Cue(Cue),
    Actor(&'static ActorEntry),
}

/// A lexicon entry found at a token range.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Hit {
    pub first: usize,
    pub end: usize,
    pub kind: HitKind,
}

impl std::fmt::Debug for Trigger {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}({})", self.ty, self.words.join(" "))
    }
}

impl std::fmt::Debug for ActorEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}({})", self.class, self.label)
    }
}

#[derive(Clone, Copy)]
enum Entry {
    Trigger(u32),
    Cue(u32),
    Actor(u32),
}

impl Entry {
    fn words(self) -> &'static [&'static str] {
        match self {
            Entry::Trigger(i) => TRIGGERS[i as usize].words,
            Entry::Cue(i) => CUES[i as usize].words,
            Entry::Actor(i) => ACTORS[i as usize].words,
        }
    }
}

/// Entries by their first word, longest first.
fn index() -> &'static HashMap<&'static str, Vec<Entry>, FxBuildHasher> {
    static INDEX: OnceLock<HashMap<&'static str, Vec<Entry>, FxBuildHasher>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut m: HashMap<&'static str, Vec<Entry>, FxBuildHasher> = HashMap::default();
        let all = (0..TRIGGERS.len())
            .map(|i| Entry::Trigger(i as u32))
            .chain((0..CUES.len()).map(|i| Entry::Cue(i as u32)))
            .chain((0..ACTORS.len()).map(|i| Entry::Actor(i as u32)));
        for e in all {
            m.entry(e.words()[0]).or_default().push(e);
        }
        for v in m.values_mut() {
            v.sort_by_key(|e| std::cmp::Reverse(e.words().len()));
        }
        m
    })
}

/// Number of trigger forms in the lexicon.
pub fn trigger_count() -> usize {
    TRIGGERS.len()
}

/// Every lexicon entry in the tokens, in order: at each token the longest trigger, the
/// longest cue and the longest actor that start there (a trigger consumes its words, so
/// "sailed through" is not also "sailed"). Linear in the number of tokens.
pub(crate) fn scan(toks: &[Token]) -> Vec<Hit> {
    let idx = index();
    let mut out = Vec::new();
    let mut trigger_until = 0;
    for i in 0..toks.len() {
        let Some(list) = idx.get(toks[i].folded.as_str()) else {
            continue;
        };
        let (mut trig, mut cue, mut actor) = (false, false, false);
        for &e in list {
            let w = e.words();
            let fits = i + w.len() <= toks.len()
                && w.iter().enumerate().skip(1).all(|(k, word)| {
                    let t = &toks[i + k];
                    t.folded == *word && !t.sentence_start && t.gap_before != Gap::Break
                });
            if !fits {
                continue;
            }
            let end = i + w.len();
            match e {
                Entry::Trigger(k) if !trig && i >= trigger_until => {
                    trig = true;
                    trigger_until = end;
                    out.push(Hit {
                        first: i,
                        end,
                        kind: HitKind::Trigger(&TRIGGERS[k as usize]),
                    });
                    // Other triggers of the same form (an ambiguous word) stand beside it.
                    for &o in list {
                        if let Entry::Trigger(j) = o {
                            if j != k && o.words() == w {
                                out.push(Hit {
                                    first: i,
                                    end,
                                    kind: HitKind::Trigger(&TRIGGERS[j as usize]),
                                });
                            }
                        }
                    }
                }
                Entry::Cue(k) if !cue => {
                    cue = true;
                    out.push(Hit {
                        first: i,
                        end,
                        kind: HitKind::Cue(CUES[k as usize].cue),
                    });
                }
                Entry::Actor(k) if !actor => {
                    let a = &ACTORS[k as usize];
                    if a.caps && !toks[i].all_caps {
                        continue;
                    }
                    actor = true;
                    out.push(Hit {
                        first: i,
                        end,
                        kind: HitKind::Actor(a),
                    });
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geoparse::tokens::tokenize;

    #[test]
    fn ontology_codes_are_consistent() {
        for t in EventType::ALL {
            assert_eq!(EventType::from_name(t.as_str()), Some(t));
            if let Some(c) = t.cameo() {
                assert!(
                    c.len() >= 3 && c.bytes().all(|b| b.is_ascii_digit()),
                    "{t:?}"
                );
                assert_eq!(t.cameo_root(), Some(&c[..2]));
            }
            assert_eq!(
                t.acled_event_type().is_some(),
                t.acled_sub_event_type().is_some(),
                "{t:?}"
            );
        }
    }

    #[test]
    fn docs_list_every_type() {
        let doc = include_str!("../../docs/events.md");
        for t in EventType::ALL {
            let row = format!("| `{}` | {} |", t.as_str(), t.family().as_str());
            assert!(doc.contains(&row), "docs/events.md lacks {row}");
        }
    }

    #[test]
    fn scan_finds_multiword_triggers_once() {
        let toks = tokenize("Ten vessels sailed through the strait.");
        let hits = scan(&toks);
        let trig: Vec<_> = hits
            .iter()
            .filter_map(|h| match h.kind {
                HitKind::Trigger(t) => Some((t.ty, h.end - h.first)),
                _ => None,
            })
            .collect();
        assert_eq!(trig, [(EventType::Transit, 2)]);
    }
}
