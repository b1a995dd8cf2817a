//! Event types and the trigger words and phrases that signal them.

use serde::Serialize;

/// What happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    Patrol,
    Transit,
    Exercise,
    Deployment,
    Attack,
    Clash,
    Protest,
    Meeting,
    Agreement,
    Sanction,
    DiplomaticExpulsion,
    MissionClosure,
    Disaster,
    Statement,
}

impl EventType {
    /// Every type, in legend order.
    pub const ALL: [EventType; 14] = [
        EventType::Patrol,
        EventType::Transit,
        EventType::Exercise,
        EventType::Deployment,
        EventType::Attack,
        EventType::Clash,
        EventType::Protest,
        EventType::Meeting,
        EventType::Agreement,
        EventType::Sanction,
        EventType::DiplomaticExpulsion,
        EventType::MissionClosure,
        EventType::Disaster,
        EventType::Statement,
    ];

    /// The snake_case name used in every output format.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Patrol => "patrol",
            EventType::Transit => "transit",
            EventType::Exercise => "exercise",
            EventType::Deployment => "deployment",
            EventType::Attack => "attack",
            EventType::Clash => "clash",
            EventType::Protest => "protest",
            EventType::Meeting => "meeting",
            EventType::Agreement => "agreement",
            EventType::Sanction => "sanction",
            EventType::DiplomaticExpulsion => "diplomatic_expulsion",
            EventType::MissionClosure => "mission_closure",
            EventType::Disaster => "disaster",
            EventType::Statement => "statement",
        }
    }

    /// A label for legends: "Diplomatic expulsion".
    pub fn label(self) -> &'static str {
        match self {
            EventType::Patrol => "Patrol",
            EventType::Transit => "Transit",
            EventType::Exercise => "Exercise / drill",
            EventType::Deployment => "Deployment",
            EventType::Attack => "Attack / strike",
            EventType::Clash => "Clash",
            EventType::Protest => "Protest",
            EventType::Meeting => "Meeting / visit",
            EventType::Agreement => "Agreement",
            EventType::Sanction => "Sanction",
            EventType::DiplomaticExpulsion => "Diplomatic expulsion",
            EventType::MissionClosure => "Mission closure",
            EventType::Disaster => "Disaster",
            EventType::Statement => "Statement",
        }
    }

    /// The CAMEO code that fits, where one does.
    pub fn cameo(self) -> Option<&'static str> {
        match self {
            EventType::Patrol | EventType::Transit | EventType::Exercise => Some("150"),
            EventType::Deployment => Some("154"),
            EventType::Attack => Some("190"),
            EventType::Clash => Some("193"),
            EventType::Protest => Some("140"),
            EventType::Meeting => Some("040"),
            EventType::Agreement => Some("057"),
            EventType::Sanction => Some("163"),
            EventType::DiplomaticExpulsion | EventType::MissionClosure => Some("161"),
            EventType::Statement => Some("010"),
            EventType::Disaster => None,
        }
    }

    /// The ACLED-style category, where the type fits one.
    pub fn acled_category(self) -> Option<&'static str> {
        match self {
            EventType::Attack => Some("Explosions/Remote violence"),
            EventType::Clash => Some("Battles"),
            EventType::Protest => Some("Protests"),
            EventType::Disaster | EventType::Statement => None,
            _ => Some("Strategic developments"),
        }
    }

    /// Verbal events are said somewhere rather than happening at a place.
    pub fn is_verbal(self) -> bool {
        matches!(self, EventType::Statement)
    }

    /// Acts between governments (agreements, sanctions, expulsions, closures of
    /// missions): where the text gives no place, they are placed at the acting government.
    pub fn is_diplomatic(self) -> bool {
        matches!(
            self,
            EventType::Agreement
                | EventType::Sanction
                | EventType::DiplomaticExpulsion
                | EventType::MissionClosure
        )
    }

    /// Movements have an origin, a path and a destination.
    pub fn is_movement(self) -> bool {
        matches!(
            self,
            EventType::Transit | EventType::Patrol | EventType::Deployment
        )
    }
}

/// Trigger phrases as folded tokens, with the type they signal.
pub(crate) const TRIGGERS: &[(&str, EventType)] = &[
    ("patrol", EventType::Patrol),
    ("patrols", EventType::Patrol),
    ("patrolled", EventType::Patrol),
    ("patrolling", EventType::Patrol),
    ("sailed through", EventType::Transit),
    ("sailed", EventType::Transit),
    ("sailed between", EventType::Transit),
    ("passed between", EventType::Transit),
    ("sailing between", EventType::Transit),
    ("sail through", EventType::Transit),
    ("sailing through", EventType::Transit),
    ("passed through", EventType::Transit),
    ("pass through", EventType::Transit),
    ("passing through", EventType::Transit),
    ("transited", EventType::Transit),
    ("transit", EventType::Transit),
    ("transiting", EventType::Transit),
    ("transits", EventType::Transit),
    ("crossed", EventType::Transit),
    ("navigated", EventType::Transit),
    ("drill", EventType::Exercise),
    ("drills", EventType::Exercise),
    ("exercise", EventType::Exercise),
    ("exercises", EventType::Exercise),
    ("maneuvers", EventType::Exercise),
    ("manoeuvres", EventType::Exercise),
    ("war games", EventType::Exercise),
    ("wargames", EventType::Exercise),
    ("deployed", EventType::Deployment),
    ("deploy", EventType::Deployment),
    ("deployment", EventType::Deployment),
    ("amassing forces", EventType::Deployment),
    ("amassed forces", EventType::Deployment),
    ("gathering forces", EventType::Deployment),
    ("buildup", EventType::Deployment),
    ("build up", EventType::Deployment),
    ("troops massed", EventType::Deployment),
    ("attack", EventType::Attack),
    ("attacked", EventType::Attack),
    ("attacks", EventType::Attack),
    ("strike", EventType::Attack),
    ("strikes", EventType::Attack),
    ("struck", EventType::Attack),
    ("shelling", EventType::Attack),
    ("shelled", EventType::Attack),
    ("bombed", EventType::Attack),
    ("bombing", EventType::Attack),
    ("airstrike", EventType::Attack),
    ("airstrikes", EventType::Attack),
    ("clash", EventType::Clash),
    ("clashes", EventType::Clash),
    ("clashed", EventType::Clash),
    ("fighting", EventType::Clash),
    ("protest", EventType::Protest),
    ("protests", EventType::Protest),
    ("protesters", EventType::Protest),
    ("demonstrators", EventType::Protest),
    ("rally", EventType::Protest),
    ("met", EventType::Meeting),
    ("meeting", EventType::Meeting),
    ("summit", EventType::Meeting),
    ("talks", EventType::Meeting),
    ("visited", EventType::Meeting),
    ("visit", EventType::Meeting),
    ("agreed", EventType::Agreement),
    ("agreement", EventType::Agreement),
    ("signed", EventType::Agreement),
    ("treaty", EventType::Agreement),
    ("sanctions", EventType::Sanction),
    ("sanctioned", EventType::Sanction),
    ("embargo", EventType::Sanction),
    ("expelled", EventType::DiplomaticExpulsion),
    ("expel", EventType::DiplomaticExpulsion),
    ("expels", EventType::DiplomaticExpulsion),
    ("expulsion", EventType::DiplomaticExpulsion),
    ("persona non grata", EventType::DiplomaticExpulsion),
    ("shut its diplomatic mission", EventType::MissionClosure),
    ("shut its mission", EventType::MissionClosure),
    ("closed its embassy", EventType::MissionClosure),
    ("closed its mission", EventType::MissionClosure),
    ("shut its embassy", EventType::MissionClosure),
    ("closure of the embassy", EventType::MissionClosure),
    ("cut ties", EventType::MissionClosure),
    ("severed ties", EventType::MissionClosure),
    ("earthquake", EventType::Disaster),
    ("quake", EventType::Disaster),
    ("flood", EventType::Disaster),
    ("floods", EventType::Disaster),
    ("flooding", EventType::Disaster),
    ("typhoon", EventType::Disaster),
    ("hurricane", EventType::Disaster),
    ("cyclone", EventType::Disaster),
    ("storm", EventType::Disaster),
    ("tsunami", EventType::Disaster),
    ("said", EventType::Statement),
    ("says", EventType::Statement),
    ("stated", EventType::Statement),
    ("statement", EventType::Statement),
    ("announced", EventType::Statement),
    ("warned", EventType::Statement),
    ("described", EventType::Statement),
    ("denied", EventType::Statement),
    ("accused", EventType::Statement),
    ("told", EventType::Statement),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/events.md is the documented list of types and triggers; it must match the code.
    #[test]
    fn docs_list_every_type_and_trigger() {
        let doc = include_str!("../../docs/events.md");
        for t in EventType::ALL {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", t.as_str())))
                .unwrap_or_else(|| panic!("docs/events.md has no row for {}", t.as_str()));
            assert!(row.contains(t.cameo().unwrap_or("—")), "{row}");
            for (phrase, ty) in TRIGGERS.iter().filter(|(_, ty)| *ty == t) {
                assert!(
                    row.contains(&format!("\"{phrase}\"")),
                    "{phrase} ({ty:?}) missing from: {row}"
                );
            }
        }
    }
}
