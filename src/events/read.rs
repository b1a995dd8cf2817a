//! Reading a sentence: which lexicon hits make one event and of what type, how sure the
//! text is that it happened, who did it to whom, and how many were killed or hurt.
//!
//! Violence, protest and riot words of one sentence describe one incident ("2 civilians
//! were wounded when forces fired mortars"): they make one event, typed as event
//! databases type it: the weapon decides an explosion, armed actors on both sides a
//! battle, protesters as targets of lethal force excessive force, and so on. Other
//! types (a statement, a transit) make an event each.

use super::lexicon::{
    ActorClass, ActorEntry, Cue, EventType, Family, Hit, HitKind, Modality, Trigger, Weapon,
};
use super::{Actor, Counts, Sentence};
use crate::gazetteer::{Gazetteer, Place};
use crate::geoparse::tokens::{Gap, Token};
use crate::geoparse::{Mention, MentionType};

/// An actor as the sentence names it, before it gets its country.
#[derive(Clone, Debug)]
pub(super) struct RawActor {
    class: ActorClass,
    inter: u8,
    label: &'static str,
    /// A named group ("Taliban"), not a generic noun ("soldiers").
    named: bool,
    /// ISO alpha-2 code from a demonym before it ("Afghan forces") or the group's own.
    country: Option<&'static str>,
    text: String,
}

/// An event read from one sentence, not yet placed.
#[derive(Debug)]
pub(super) struct Draft {
    pub ty: EventType,
    /// Token span of the main trigger.
    pub first: usize,
    pub end: usize,
    pub strong: bool,
    /// A definite noun that refers back ("the joint patrol", "the attack"): the event
    /// is one reported before, if there is one.
    pub anaphoric: bool,
    pub modality: Modality,
    pub actor1: Option<RawActor>,
    pub actor2: Option<RawActor>,
    pub counts: Counts,
}

/// Names an actor as event databases do: a named group by its name, a generic one by
/// its country (its own, else the country of the event's place) and class.
pub(super) fn name_actor(gaz: &Gazetteer, a: RawActor, place: &Place) -> Actor {
    let label = match a.class {
        ActorClass::Military => "military",
        ActorClass::Police => "police",
        ActorClass::StateForces => "state forces",
        _ => a.label,
    };
    let name = if a.named {
        a.label.to_string()
    } else {
        let iso3 = a
            .country
            .and_then(|c| gaz.country(c))
            .and_then(|c| gaz.place(c).iso3)
            .or_else(|| gaz.iso3_of(place));
        match iso3 {
            Some(c) => format!("{c} {label}"),
            None => label.to_string(),
        }
    };
    Actor {
        name,
        class: a.class,
        inter: a.inter,
        text: a.text,
    }
}

/// The families read together as one incident.
fn is_incident(t: EventType) -> bool {
    matches!(
        t.family(),
        Family::Battle
            | Family::Explosion
            | Family::ViolenceAgainstCivilians
            | Family::Protest
            | Family::Riot
    )
}

/// A trigger found in the sentence, with how sure the text is of it.
#[derive(Clone, Copy)]
struct Found {
    t: &'static Trigger,
    first: usize,
    end: usize,
    modality: Modality,
    /// The trigger is also a casualty word ("killed", "wounded").
    casualty: bool,
}

/// Adverbs that may stand between an auxiliary and its participle.
fn is_adverb(w: &str) -> bool {
    matches!(
        w,
        "reportedly"
            | "allegedly"
            | "also"
            | "later"
            | "fatally"
            | "critically"
            | "seriously"
            | "badly"
            | "severely"
            | "slightly"
            | "lightly"
            | "mortally"
            | "brutally"
            | "then"
            | "subsequently"
            | "all"
            | "both"
            | "recently"
            | "apparently"
            | "initially"
    )
}

fn is_be(w: &str) -> bool {
    matches!(
        w,
        "was" | "were" | "been" | "being" | "is" | "are" | "be" | "got" | "get" | "gets"
    )
}

/// Is the trigger a passive participle ("were killed", "was reportedly shot")?
fn passive(toks: &[Token], first: usize, sent_first: usize) -> bool {
    let mut i = first;
    let mut steps = 0;
    while i > sent_first && steps < 3 {
        i -= 1;
        steps += 1;
        let w = toks[i].folded.as_str();
        if is_be(w) {
            return true;
        }
        if !is_adverb(w) {
            return false;
        }
    }
    false
}

/// Reads the events of one sentence from its lexicon hits.
pub(super) fn read_sentence(
    gaz: &Gazetteer,
    text: &str,
    toks: &[Token],
    s: &Sentence,
    mentions: &[&Mention],
    hits: &[Hit],
) -> Vec<Draft> {
    let mut triggers: Vec<Found> = Vec::new();
    let mut cues: Vec<(usize, usize, Cue)> = Vec::new();
    let mut actors: Vec<(usize, usize, &'static ActorEntry)> = Vec::new();
    for h in hits {
        match h.kind {
            HitKind::Cue(c) => cues.push((h.first, h.end, c)),
            HitKind::Actor(a) => actors.push((h.first, h.end, a)),
            HitKind::Trigger(_) => {}
        }
    }
    for h in hits {
        let HitKind::Trigger(t) = h.kind else {
            continue;
        };
        // A word inside a longer actor name is the name: "riot police", "peace activists".
        if actors
            .iter()
            .any(|&(f, e, _)| f <= h.first && h.end <= e && e - f > h.end - h.first)
        {
            continue;
        }
        let casualty = cues.iter().any(|&(f, _, c)| {
            f == h.first && matches!(c, Cue::Killed | Cue::Injured | Cue::Casualties)
        });
        triggers.push(Found {
            t,
            first: h.first,
            end: h.end,
            modality: modality_before(&cues, h.first, s.first_token),
            casualty,
        });
    }
    if triggers.is_empty() {
        return Vec::new();
    }
    // "No one was hurt": a denied casualty is no event, and negates nothing else.
    triggers.retain(|f| !(f.casualty && f.modality == Modality::Negated));

    let weapon = best_weapon(&cues);
    let has_cue = |c: Cue| cues.iter().any(|&(_, _, x)| x == c);
    let accident = has_cue(Cue::Accident);
    let armed_named = actors.iter().any(|a| a.2.class.is_armed());
    // An explosion is an attack when the clause says who or with what; an accident when
    // it says so (a gas leak, a factory) or says nothing of violence.
    let incident_words = triggers
        .iter()
        .any(|f| is_incident(f.t.ty) && f.t.ty != EventType::RemoteExplosive)
        || weapon.is_some_and(|w| matches!(w, Weapon::Explosive(_)))
        || armed_named;
    let mut out: Vec<Draft> = Vec::new();
    let mut incident: Vec<Found> = Vec::new();
    let mut others: Vec<Found> = Vec::new();
    for f in &triggers {
        let ty = f.t.ty;
        let explosion_word =
            matches!(ty, EventType::Explosion | EventType::RemoteExplosive) && f.t.noun;
        if explosion_word {
            if accident || !incident_words {
                if ty == EventType::Explosion {
                    others.push(*f);
                }
            } else if ty == EventType::RemoteExplosive {
                incident.push(*f);
            }
            continue;
        }
        if is_incident(ty) {
            incident.push(*f);
        } else {
            others.push(*f);
        }
    }
    // "An earthquake struck ..., killing 12": casualty words beside a disaster are its toll,
    // unless a weapon or an armed actor makes them an attack.
    let disaster = others.iter().any(|f| f.t.ty.is_disaster());
    if disaster
        && !armed_named
        && !weapon.is_some_and(|w| matches!(w, Weapon::Explosive(_)))
        && incident.iter().all(|f| !f.t.strong || f.casualty)
    {
        incident.clear();
    }
    // A protest needs a protest word that means it ("protesters rallied", "a sit-in"), or
    // a weak one ("marched", "struck", "strike") with people who protest beside it.
    let crowd = actors.iter().any(|a| {
        matches!(
            a.2.class,
            ActorClass::Protesters | ActorClass::Rioters | ActorClass::Civilians
        )
    });
    let protest_word = |f: &Found| matches!(f.t.ty.family(), Family::Protest | Family::Riot);
    let explosive = weapon.is_some_and(|w| matches!(w, Weapon::Explosive(_)));
    let protest_words = incident.iter().filter(|f| protest_word(f)).count();
    // Gunmen who torch a town are not rioters: with an armed group and no crowd,
    // riot and protest words describe the attack.
    let armed_group = actors
        .iter()
        .any(|a| a.2.class.is_armed() && !a.2.class.is_state());
    let crowd_named = actors
        .iter()
        .any(|a| matches!(a.2.class, ActorClass::Protesters | ActorClass::Rioters));
    let protest_context = (!armed_group || crowd_named)
        && (incident.iter().any(|f| protest_word(f) && f.t.strong)
            || (!explosive && (protest_words >= 2 || (crowd && protest_words >= 1)))
            || actors.iter().any(|a| a.2.class == ActorClass::Rioters));
    if !protest_context {
        incident.retain(|f| !protest_word(f));
    }
    // One word, one event: an ambiguous word read as part of the incident is not also
    // another event ("seized" the town is not also weapons seized).
    others.retain(|f| f.t.strong || !incident.iter().any(|i| i.first == f.first));
    // At a protest, arrests and looting are what happened to or at the protest.
    if protest_context && !incident.is_empty() {
        others.retain(|f| {
            let folds = matches!(f.t.ty, EventType::Arrest | EventType::Looting);
            if folds {
                incident.push(*f);
            }
            !folds
        });
    }
    // A strongly signalled act ("arrested", "signed", "an earthquake") is the sentence's
    // event; weak violence words beside it ("over the killing of") say why.
    if !incident.iter().any(|f| f.t.strong)
        && others
            .iter()
            .any(|f| f.t.strong && !f.t.ty.is_verbal() && f.modality.happened())
        && weapon.is_none()
    {
        incident.clear();
    }
    // Weak strategic words ("evacuated", "operation") add nothing to another event.
    let has_other_event = !incident.is_empty()
        || others
            .iter()
            .any(|f| f.t.ty.family() != Family::Strategic && !f.t.ty.is_verbal());
    if has_other_event {
        others.retain(|f| f.t.strong || f.t.ty != EventType::StrategicOther);
    }
    let mut counts = counts(text, toks, s, &cues, &actors);
    if !protest_context {
        counts.size = None;
    }

    // "58 people died after warplanes dropped munitions": a casualty word and a weapon
    // make an incident even without a verb of attack.
    if incident.is_empty() && weapon.is_some_and(|w| matches!(w, Weapon::Explosive(_))) {
        if let Some(f) = casualty_hit(&cues) {
            incident.push(f);
        }
    }
    // Weak words alone ("demonstrate the flags", "forces") make an incident only with
    // something that corroborates it: a count, a weapon, an actor, or a second word.
    let corroborated = incident.iter().any(|f| f.t.strong)
        || incident.len() > 1
        || weapon.is_some()
        || !actors.is_empty()
        || counts.fatalities.is_some_and(|n| n > 0)
        || counts.injured.is_some_and(|n| n > 0);
    if !corroborated {
        incident.clear();
    }
    if !incident.is_empty() {
        // The sentence's own modality is that of its surest word.
        let main = incident
            .iter()
            .filter(|f| f.modality.happened())
            .max_by_key(|f| (f.t.strong, !f.casualty, std::cmp::Reverse(f.first)))
            .or_else(|| incident.iter().max_by_key(|f| (f.t.strong, !f.casualty)))
            .copied()
            .expect("incident triggers");
        // "seized Ramadi", "recaptured the town of X": a place right after the verb.
        let place_object = incident.iter().any(|f| {
            mentions.iter().any(|m| {
                m.mention_type == MentionType::Literal
                    && m.first_token >= f.end
                    && m.first_token <= f.end + 5
                    && !toks[f.end..=m.first_token.min(toks.len() - 1)]
                        .iter()
                        .skip(1)
                        .any(|t| t.gap_before == Gap::Break && !t.comma_before)
            })
        });
        let (mut actor1, mut actor2) = roles(gaz, text, toks, s, mentions, &incident, &actors);
        // Workers, students or residents who protest are protesters; protesters who are
        // attacked outside a protest are civilians.
        for a in [&mut actor1, &mut actor2].into_iter().flatten() {
            if protest_context && a.class == ActorClass::Civilians && !a.named {
                a.class = ActorClass::Protesters;
                a.inter = 6;
                a.label = "protesters";
            } else if !protest_context && a.class == ActorClass::Protesters && !a.named {
                a.class = ActorClass::Civilians;
                a.inter = 7;
                a.label = "civilians";
            }
        }
        let ty = incident_type(
            &incident,
            weapon,
            &cues,
            protest_context,
            place_object,
            actor1.as_ref(),
            actor2.as_ref(),
            &counts,
        );
        out.push(Draft {
            ty,
            first: main.first,
            end: main.end,
            strong: incident.iter().any(|f| f.t.strong) || weapon.is_some(),
            anaphoric: refers_back(toks, &main, s.first_token),
            modality: main.modality,
            actor1,
            actor2,
            counts,
        });
    }
    let mut seen: Vec<EventType> = out.iter().map(|d| d.ty).collect();
    for f in &others {
        if seen.contains(&f.t.ty) {
            continue;
        }
        seen.push(f.t.ty);
        let group = [*f];
        let (actor1, actor2) = roles(gaz, text, toks, s, mentions, &group, &actors);
        let counts = if out.is_empty() && (f.t.ty.is_disaster() || !f.t.ty.is_verbal()) {
            counts
        } else {
            Counts::default()
        };
        out.push(Draft {
            ty: f.t.ty,
            first: f.first,
            end: f.end,
            strong: f.t.strong,
            anaphoric: refers_back(toks, f, s.first_token),
            modality: f.modality,
            actor1,
            actor2,
            counts,
        });
    }
    out
}

/// A nominal trigger after "the", "this" or "that" (with up to two words between: "the
/// one-week patrol", "the joint patrol") names an event the text has reported.
fn refers_back(toks: &[Token], f: &Found, sent_first: usize) -> bool {
    if !f.t.noun {
        return false;
    }
    let mut i = f.first;
    let mut steps = 0;
    while i > sent_first && steps < 3 {
        i -= 1;
        steps += 1;
        match toks[i].folded.as_str() {
            "the" | "this" | "that" => return true,
            _ if toks[i].gap_before == Gap::Break && i + 1 != f.first => return false,
            _ => {}
        }
    }
    false
}

/// A casualty word as a weak attack trigger.
fn casualty_hit(cues: &[(usize, usize, Cue)]) -> Option<Found> {
    static DIED: Trigger = Trigger::synthetic(EventType::Attack);
    cues.iter()
        .find(|&&(_, _, c)| matches!(c, Cue::Killed | Cue::Injured | Cue::Casualties))
        .map(|&(first, end, _)| Found {
            t: &DIED,
            first,
            end,
            modality: Modality::Asserted,
            casualty: true,
        })
}

/// The modality a trigger takes from the cues just before it ("denied attacking",
/// "threatened to strike", "plans to deploy", "reportedly killed").
fn modality_before(cues: &[(usize, usize, Cue)], first: usize, sent_first: usize) -> Modality {
    let mut m = Modality::Asserted;
    for &(f, e, c) in cues {
        if e > first || f < sent_first || first - e > 3 {
            continue;
        }
        match c {
            Cue::Negation => m = Modality::Negated,
            Cue::Modality(x) if m == Modality::Asserted => m = x,
            _ => {}
        }
    }
    m
}

/// The weapon that decides an explosion type: the most specific one named.
fn best_weapon(cues: &[(usize, usize, Cue)]) -> Option<Weapon> {
    let rank = |w: Weapon| match w {
        Weapon::Explosive(EventType::SuicideBombing) => 0,
        Weapon::Explosive(EventType::ChemicalAttack) => 1,
        Weapon::Explosive(EventType::AirStrike) => 2,
        Weapon::Explosive(EventType::Shelling) => 3,
        Weapon::Explosive(EventType::RemoteExplosive) => 4,
        Weapon::Explosive(EventType::GrenadeAttack) => 5,
        Weapon::Explosive(_) => 6,
        Weapon::CrowdControl => 7,
        Weapon::Arson => 8,
        Weapon::Firearm => 9,
        Weapon::Blade => 10,
    };
    cues.iter()
        .filter_map(|&(_, _, c)| match c {
            Cue::Weapon(w) => Some(w),
            _ => None,
        })
        .min_by_key(|w| rank(*w))
}

/// The type of one incident from all its words, as ACLED's coding rules order them.
#[allow(clippy::too_many_arguments)]
fn incident_type(
    incident: &[Found],
    weapon: Option<Weapon>,
    cues: &[(usize, usize, Cue)],
    protest_context: bool,
    place_object: bool,
    actor1: Option<&RawActor>,
    actor2: Option<&RawActor>,
    counts: &Counts,
) -> EventType {
    let has = |t: EventType| incident.iter().any(|f| f.t.ty == t);
    let has_strong = |t: EventType| incident.iter().any(|f| f.t.ty == t && f.t.strong);
    let has_cue = |c: Cue| cues.iter().any(|&(_, _, x)| x == c);
    let class = |a: Option<&RawActor>| a.map(|a| a.class);
    let killed = counts.fatalities.is_some_and(|n| n > 0)
        || incident.iter().any(|f| f.casualty)
        || has_cue(Cue::Killed);
    if protest_context {
        let state_on_protesters = class(actor1).is_some_and(ActorClass::is_state)
            && class(actor2) == Some(ActorClass::Protesters);
        if has_cue(Cue::Excessive)
            || (state_on_protesters && counts.fatalities.is_some_and(|n| n > 0))
        {
            return EventType::ExcessiveForce;
        }
        if has(EventType::MobViolence) {
            return EventType::MobViolence;
        }
        if has(EventType::Riot) || class(actor1) == Some(ActorClass::Rioters) {
            return EventType::Riot;
        }
        if has_cue(Cue::Intervention)
            || weapon == Some(Weapon::CrowdControl)
            || has(EventType::Arrest)
            || state_on_protesters
        {
            return EventType::ProtestIntervention;
        }
        // Protesters who fight, burn or loot riot.
        let crowd_acts = class(actor1).is_some_and(|c| !c.is_armed());
        let violent = has_strong(EventType::Clash)
            || weapon == Some(Weapon::Arson)
            || has(EventType::Looting)
            || (crowd_acts
                && incident.iter().any(|f| {
                    f.t.strong
                        && !f.casualty
                        && matches!(f.t.ty, EventType::Attack | EventType::Clash)
                }));
        if violent && class(actor1).is_none_or(|c| !c.is_state()) {
            return EventType::Riot;
        }
        if has(EventType::ProtestIntervention) {
            return EventType::ProtestIntervention;
        }
        if has(EventType::ExcessiveForce) {
            return EventType::ExcessiveForce;
        }
        return EventType::Protest;
    }
    if has(EventType::MobViolence) {
        return EventType::MobViolence;
    }
    if has_cue(Cue::Disrupt) && weapon.is_some() && !killed && counts.injured.is_none_or(|n| n == 0)
    {
        return EventType::WeaponsSeized;
    }
    if let Some(Weapon::Explosive(t)) = weapon {
        return t;
    }
    // An explosion type named by a trigger itself ("airstrike", "shelling").
    for t in [
        EventType::SuicideBombing,
        EventType::ChemicalAttack,
        EventType::AirStrike,
        EventType::Shelling,
        EventType::RemoteExplosive,
        EventType::GrenadeAttack,
    ] {
        if has(t) {
            return t;
        }
    }
    if has(EventType::SexualViolence) {
        return EventType::SexualViolence;
    }
    let person_taken = class(actor2).is_some_and(|c| !c.is_armed() || c.is_state());
    // "seized three fishermen": taking people is an abduction, taking a place territory.
    if person_taken
        && !place_object
        && !has_cue(Cue::Disrupt)
        && (has(EventType::TerritorySeized) || has(EventType::Abduction))
        && !killed
    {
        return EventType::Abduction;
    }
    if (has(EventType::TerritoryRegained) || has(EventType::TerritorySeized))
        && (place_object || !has(EventType::Abduction))
        && !(person_taken && has(EventType::Abduction) && !place_object)
    {
        return match class(actor1) {
            Some(c) if c.is_state() => EventType::TerritoryRegained,
            Some(_) => EventType::TerritorySeized,
            None if has(EventType::TerritoryRegained) => EventType::TerritoryRegained,
            None => EventType::TerritorySeized,
        };
    }
    if has_strong(EventType::Abduction) || (has(EventType::Abduction) && !killed && person_taken) {
        return EventType::Abduction;
    }
    let armed = |a: Option<&RawActor>| a.is_some_and(|a| a.class.is_armed());
    // A crowd that attacks: people beaten or killed is mob violence; burning, stoning or
    // fighting the police is a violent demonstration.
    let no_weapon = !matches!(weapon, Some(Weapon::Explosive(_)) | Some(Weapon::Firearm));
    let crowd1 = actor1.is_some_and(|a| {
        a.class == ActorClass::Rioters
            || (!a.named
                && matches!(a.class, ActorClass::Civilians | ActorClass::Protesters)
                && no_weapon
                && (weapon == Some(Weapon::Arson)
                    || killed
                    || incident.iter().any(|f| {
                        f.t.strong
                            && matches!(
                                f.t.ty.family(),
                                Family::Riot | Family::ViolenceAgainstCivilians
                            )
                    })))
    });
    if crowd1 {
        let person_hurt = class(actor2) == Some(ActorClass::Civilians) || killed;
        return if person_hurt && !class(actor2).is_some_and(ActorClass::is_state) {
            EventType::MobViolence
        } else {
            EventType::Riot
        };
    }
    // Burning or wrecking property with no one hurt is property destruction.
    if weapon == Some(Weapon::Arson)
        && !killed
        && counts.injured.is_none_or(|n| n == 0)
        && actor2.is_none()
    {
        return EventType::Looting;
    }
    if has_strong(EventType::Clash) || (armed(actor1) && armed(actor2)) {
        return EventType::Clash;
    }
    // Forces attacked by an armed group (or by unnamed attackers) fight back: a battle.
    if armed(actor2) && class(actor1) != Some(ActorClass::Civilians) {
        return EventType::Clash;
    }
    if has(EventType::Clash) && actor2.is_none() {
        return EventType::Clash;
    }
    EventType::Attack
}

/// Words that introduce the agent after a nominal or passive trigger.
fn agent_marker(toks: &[Token], actor_first: usize, sent_first: usize) -> bool {
    let mut i = actor_first;
    let mut steps = 0;
    while i > sent_first && steps < 4 {
        i -= 1;
        steps += 1;
        match toks[i].folded.as_str() {
            "by" => return true,
            "a" | "an" | "the" | "suspected" | "unidentified" | "unknown" | "armed" | "alleged"
            | "masked" | "gunmen" | "of" => {}
            _ if toks[i].capitalized => {}
            _ => return false,
        }
    }
    false
}

/// Words that introduce the target of a nominal trigger: "an attack on", "targeting".
fn target_marker(toks: &[Token], actor_first: usize, trigger_end: usize) -> bool {
    (trigger_end..actor_first).any(|i| {
        matches!(
            toks[i].folded.as_str(),
            "on" | "against" | "targeting" | "targeted" | "of"
        )
    })
}

/// The country a generic actor belongs to: a demonym or country just before it
/// ("Afghan forces", "Nigerian troops"), or "of X" just after it ("forces of Mali").
fn actor_country(
    gaz: &Gazetteer,
    mentions: &[&Mention],
    first: usize,
    end: usize,
) -> Option<&'static str> {
    mentions.iter().find_map(|m| {
        let before = m.end_token == first || m.end_token + 1 == first;
        let after = m.first_token == end + 1;
        let state = matches!(
            m.mention_type,
            MentionType::Demonym | MentionType::Literal | MentionType::Metonymic
        );
        (state && (before || after)).then(|| gaz.place(m.place).country)
    })?
}

/// The initiator and the target of an incident's triggers, by the actors' places in the
/// clause and the voice of the nearest trigger.
fn roles(
    gaz: &Gazetteer,
    text: &str,
    toks: &[Token],
    s: &Sentence,
    mentions: &[&Mention],
    triggers: &[Found],
    actors: &[(usize, usize, &'static ActorEntry)],
) -> (Option<RawActor>, Option<RawActor>) {
    let mut agent: Option<(usize, RawActor)> = None;
    let mut patient: Option<(usize, RawActor)> = None;
    for &(first, end, a) in actors {
        // The nearest trigger decides the role.
        let Some(t) = triggers
            .iter()
            .filter(|f| f.end <= first || f.first >= end)
            .min_by_key(|f| {
                if end <= f.first {
                    f.first - end
                } else {
                    first.saturating_sub(f.end)
                }
            })
        else {
            continue;
        };
        let distance = if end <= t.first {
            t.first - end
        } else {
            first.saturating_sub(t.end)
        };
        if distance > 8 {
            continue;
        }
        let raw = RawActor {
            class: a.class,
            inter: a.inter,
            label: a.label,
            named: !a.class.is_state()
                && (a.country.is_some() || a.label.chars().next().is_some_and(char::is_uppercase)),
            country: a
                .country
                .or_else(|| actor_country(gaz, mentions, first, end)),
            text: text[toks[first].byte_start..toks[end - 1].byte_end].to_string(),
        };
        let is_agent = if first >= t.end {
            if agent_marker(toks, first, s.first_token) {
                true
            } else if t.t.noun && !target_marker(toks, first, t.end) {
                // "fighting between X and Y": both sides; the first acts.
                toks[t.end..first].iter().any(|x| x.folded == "between") && agent.is_none()
            } else {
                false
            }
        } else {
            !passive(toks, t.first, s.first_token)
        };
        let slot = if is_agent { &mut agent } else { &mut patient };
        if slot.as_ref().is_none_or(|(d, _)| distance < *d) {
            *slot = Some((distance, raw));
        }
    }
    // "Russian shelling", "an Israeli airstrike": a demonym before a nominal trigger acts.
    if agent.is_none() {
        for t in triggers.iter().filter(|f| f.t.noun) {
            if let Some(m) = mentions.iter().find(|m| {
                m.mention_type == MentionType::Demonym
                    && (m.end_token == t.first || m.end_token + 1 == t.first)
            }) {
                agent = Some((
                    0,
                    RawActor {
                        class: ActorClass::Military,
                        inter: 1,
                        label: "military",
                        named: false,
                        country: gaz.place(m.place).country,
                        text: m.text.clone(),
                    },
                ));
                break;
            }
        }
    }
    (agent.map(|a| a.1), patient.map(|p| p.1))
}

/// A number written in digits or words, and whether it is a vague estimate ("dozens").
fn number_at(toks: &[Token], i: usize) -> Option<(u32, bool, usize)> {
    let t = toks.get(i)?;
    let w = t.folded.as_str();
    if w.bytes().all(|b| b.is_ascii_digit()) && !w.is_empty() {
        // "000" after "2," is a group of a longer number: read it from its first group.
        let grouped = |k: usize| {
            k > 0
                && toks[k].folded.len() == 3
                && toks[k - 1].folded.bytes().all(|b| b.is_ascii_digit())
                && toks[k].byte_start == toks[k - 1].byte_end + 1
        };
        if grouped(i) {
            let mut k = i;
            while grouped(k) {
                k -= 1;
            }
            return number_at(toks, k);
        }
        let mut n: u64 = w.parse().ok()?;
        let mut end = i + 1;
        // "2,000": a comma between digit groups.
        while let Some(next) = toks.get(end) {
            if next.folded.len() == 3
                && next.folded.bytes().all(|b| b.is_ascii_digit())
                && next.byte_start == toks[end - 1].byte_end + 1
            {
                // A chain of groups longer than a count can be ("1,000,000,000,...") is no count.
                n = n
                    .checked_mul(1000)?
                    .checked_add(next.folded.parse::<u64>().ok()?)?;
                end += 1;
            } else {
                break;
            }
        }
        return u32::try_from(n).ok().map(|n| (n, false, end));
    }
    let exact = |n: u32| Some((n, false, i + 1));
    let vague = |n: u32| Some((n, true, i + 1));
    match w {
        "one" => exact(1),
        "two" => exact(2),
        "three" => exact(3),
        "four" => exact(4),
        "five" => exact(5),
        "six" => exact(6),
        "seven" => exact(7),
        "eight" => exact(8),
        "nine" => exact(9),
        "ten" => exact(10),
        "eleven" => exact(11),
        "twelve" => exact(12),
        "thirteen" => exact(13),
        "fourteen" => exact(14),
        "fifteen" => exact(15),
        "sixteen" => exact(16),
        "seventeen" => exact(17),
        "eighteen" => exact(18),
        "nineteen" => exact(19),
        "twenty" => exact(20),
        "thirty" => exact(30),
        "forty" => exact(40),
        "fifty" => exact(50),
        "hundred" => exact(100),
        "dozen" => exact(12),
        "dozens" => vague(12),
        "scores" => vague(20),
        "several" | "many" | "multiple" | "numerous" => vague(10),
        "few" => vague(3),
        "hundreds" => vague(100),
        "thousands" => vague(1000),
        "tens" => vague(10),
        _ => None,
    }
}

fn is_month(w: &str) -> bool {
    matches!(
        w,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan"
            | "feb"
            | "mar"
            | "apr"
            | "jun"
            | "jul"
            | "aug"
            | "sep"
            | "sept"
            | "oct"
            | "nov"
            | "dec"
    )
}

/// A number that is part of a date or a year, not a count.
fn is_date_number(toks: &[Token], i: usize, end: usize) -> bool {
    let near_month = |k: Option<usize>| {
        k.and_then(|k| toks.get(k))
            .is_some_and(|t| is_month(&t.folded))
    };
    let year = toks[i].folded.len() == 4
        && toks[i]
            .folded
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y));
    near_month(i.checked_sub(1)) || near_month(Some(end)) || year
}

/// Words that may stand between a casualty word and the number after it.
fn count_filler(w: &str) -> bool {
    matches!(
        w,
        "at" | "least"
            | "about"
            | "some"
            | "around"
            | "an"
            | "estimated"
            | "up"
            | "to"
            | "nearly"
            | "more"
            | "than"
            | "over"
            | "almost"
            | "rose"
            | "reached"
            | "climbed"
            | "stood"
            | "has"
            | "had"
            | "risen"
            | "of"
            | "roughly"
            | "approximately"
            | "another"
            | "a"
            | "total"
            | "toll"
            | "is"
            | "was"
            | "now"
    )
}

/// The count a casualty word states: the number after it ("killing three", "killed at
/// least 12"), else the nearest before it ("2 civilians were wounded", "1 fatality"),
/// else one for a singular victim ("a teacher was shot dead").
fn count_for(
    toks: &[Token],
    cue_first: usize,
    cue_end: usize,
    s: &Sentence,
) -> Option<(u32, bool)> {
    let mut i = cue_end;
    while i < s.end_token && i < cue_end + 5 {
        if let Some((n, vague, end)) = number_at(toks, i) {
            if !is_date_number(toks, i, end) {
                return Some((n, vague));
            }
            break;
        }
        if !count_filler(&toks[i].folded) {
            break;
        }
        i += 1;
    }
    let mut i = cue_first;
    let mut steps = 0;
    while i > s.first_token && steps < 7 {
        i -= 1;
        steps += 1;
        let w = toks[i].folded.as_str();
        if matches!(w, "when" | "after" | "as" | "while" | "and" | "but") && steps > 1 {
            break;
        }
        if let Some((n, vague, end)) = number_at(toks, i) {
            if is_date_number(toks, i, end) {
                break;
            }
            return Some((n, vague));
        }
        if matches!(w, "a" | "an") && steps <= 4 {
            return Some((1, false));
        }
    }
    None
}

/// Fatalities, injured and crowd size stated in a sentence.
fn counts(
    _text: &str,
    toks: &[Token],
    s: &Sentence,
    cues: &[(usize, usize, Cue)],
    actors: &[(usize, usize, &'static ActorEntry)],
) -> Counts {
    let mut c = Counts::default();
    for &(f, e, cue) in cues {
        let slot = match cue {
            Cue::Killed => &mut c.fatalities,
            Cue::Injured => &mut c.injured,
            Cue::Size => &mut c.size,
            _ => continue,
        };
        // "No one was hurt": none.
        if cues
            .iter()
            .any(|&(nf, ne, x)| x == Cue::Negation && ne <= f && f - ne <= 3 && nf + 4 >= f)
        {
            slot.get_or_insert(0);
            continue;
        }
        if let Some((n, vague)) = count_for(toks, f, e, s) {
            *slot = Some(slot.map_or(n, |o| o.max(n)));
            c.estimate |= vague;
        }
    }
    // "some 2,000 protesters", "thousands of demonstrators".
    if c.size.is_none() {
        for &(f, _, a) in actors {
            if !matches!(a.class, ActorClass::Protesters | ActorClass::Rioters) {
                continue;
            }
            let mut i = f;
            let mut steps = 0;
            while i > s.first_token && steps < 3 {
                i -= 1;
                steps += 1;
                if let Some((n, vague, end)) = number_at(toks, i) {
                    if !is_date_number(toks, i, end) {
                        c.size = Some(n);
                        c.estimate |= vague;
                    }
                    break;
                }
                if !matches!(
                    toks[i].folded.as_str(),
                    "of" | "some"
                        | "about"
                        | "around"
                        | "at"
                        | "least"
                        | "an"
                        | "estimated"
                        | "nearly"
                        | "over"
                        | "more"
                        | "than"
                ) {
                    break;
                }
            }
            if c.size.is_some() {
                break;
            }
        }
    }
    c
}

const QUANTITY_NOUNS: &[&str] = &[
    "warships",
    "ships",
    "vessels",
    "destroyers",
    "frigates",
    "submarines",
    "aircraft",
    "jets",
    "bombers",
    "planes",
    "helicopters",
    "drones",
    "troops",
    "soldiers",
    "diplomats",
    "people",
    "protesters",
    "missiles",
    "rockets",
    "tanks",
    "sailors",
    "civilians",
    "officials",
];

/// A quantity that qualifies the sentence's events ("10 warships").
pub(super) fn find_quantity(text: &str, toks: &[Token]) -> Option<String> {
    for i in 0..toks.len() {
        if number_at(toks, i).is_none() {
            continue;
        }
        for j in i + 1..(i + 4).min(toks.len()) {
            if QUANTITY_NOUNS.contains(&toks[j].folded.as_str()) {
                return Some(text[toks[i].byte_start..toks[j].byte_end].to_string());
            }
            if toks[j].gap_before == Gap::Break {
                break;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geoparse::tokens::tokenize;

    fn sentence(toks: &[Token]) -> Sentence {
        Sentence {
            first_token: 0,
            end_token: toks.len(),
            start: 0,
            end: 0,
            byte_start: 0,
            byte_end: 0,
        }
    }

    #[test]
    fn quantities() {
        let text = "involved a total of 10 warships, five from each nation";
        let toks = tokenize(text);
        assert_eq!(find_quantity(text, &toks).as_deref(), Some("10 warships"));
    }

    #[test]
    fn counts_before_and_after_the_casualty_word() {
        let cases = [
            (
                "On 1 May 2020, 2 civilians were wounded",
                7,
                8,
                Some((2, false)),
            ),
            ("gunmen opened fire, killing three", 3, 4, Some((3, false))),
            ("killed at least 12 people", 0, 1, Some((12, false))),
            ("dozens were injured", 2, 3, Some((12, true))),
            ("a teacher was shot dead", 3, 5, Some((1, false))),
            ("were killed on 12 May", 1, 2, None),
        ];
        for (text, f, e, want) in cases {
            let toks = tokenize(text);
            let s = sentence(&toks);
            assert_eq!(count_for(&toks, f, e, &s), want, "{text}");
        }
    }

    #[test]
    fn numbers_with_thousands_separators() {
        let toks = tokenize("some 2,000 protesters");
        assert_eq!(number_at(&toks, 1), Some((2000, false, 3)));
    }
}
