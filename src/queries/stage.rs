//! An agreement's stage on a day, derived from its event history.
//!
//! Nothing stores "the current stage": it is read off the history each time,
//! for any day. Dates keep the precision the source gave, and so does the
//! answer. An event known to a day is in effect from that day. An event
//! known only to a month or a year is certain only once that period has
//! ended; on a day inside the period it *may* have happened, so the stage is
//! the last one certainly reached, flagged as uncertain with the stage it
//! may already have moved to.

use chrono::NaiveDate;

use super::TimelineEntry;
use crate::catalog::model::Stage;

/// The stage on a day: the last event certainly in effect, and a later one
/// that may be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StageAt<'a> {
    /// The last event certainly in effect on the day.
    pub current: Option<&'a TimelineEntry>,
    /// The event from which the agreement has been at `current`'s stage
    /// without a break: the first of the run of events of that stage that
    /// `current` ends (the first round of negotiations, not the latest).
    pub since: Option<&'a TimelineEntry>,
    /// A later event whose period contains the day: it may or may not have
    /// happened yet.
    pub possible: Option<&'a TimelineEntry>,
}

impl StageAt<'_> {
    pub fn stage(&self) -> Option<Stage> {
        self.current.map(|e| e.stage)
    }

    pub fn is_uncertain(&self) -> bool {
        self.possible.is_some()
    }
}

/// The chronological order of a history: by the earliest day an event can
/// stand for, then by the usual order of a treaty's life (a signature on a
/// day inside the year of an undated ratification still comes first), then
/// by the order it was recorded in.
fn chrono_key(e: &TimelineEntry) -> (NaiveDate, Stage, i64) {
    (e.date.earliest(), e.stage, e.seq)
}

/// Whether `a` came after `b` as far as their dates tell. A period wholly
/// after the other's is later. Periods that overlap cannot be ordered by
/// their days, so the usual order of a treaty's life decides: an entry
/// into force known only to the year 2019 came after a ratification on
/// 2019-06-13, though its earliest day is earlier. Then the earliest day,
/// then the order recorded.
fn is_after(a: &TimelineEntry, b: &TimelineEntry) -> bool {
    if a.date.earliest() > b.date.latest() {
        return true;
    }
    if b.date.earliest() > a.date.latest() {
        return false;
    }
    (a.stage, a.date.earliest(), a.seq) > (b.stage, b.date.earliest(), b.seq)
}

/// The events of `history` (one agreement's) that decide where it stands
/// for `party` (`None`: the agreement as a whole): the agreement's own
/// events and the party's. Where the party has an event of its own of a
/// stage, that event takes the place of the agreement's events of the
/// same stage: a state that acceded later signed and came into force on
/// its own days, not on the founders'. (Kyrgyzstan signed the EAEU Treaty
/// on 2014-12-23 and became a Member State on 2015-08-12, though the
/// Treaty itself was signed on 2014-05-29 and in force from 2015-01-01.)
pub fn party_scope<'a>(
    history: &'a [TimelineEntry],
    party: Option<&str>,
) -> Vec<&'a TimelineEntry> {
    let own = |e: &TimelineEntry| party.is_some() && e.partner.as_deref() == party;
    let own_stages: Vec<Stage> = history.iter().filter(|e| own(e)).map(|e| e.stage).collect();
    history
        .iter()
        .filter(|e| own(e) || (e.partner.is_none() && !own_stages.contains(&e.stage)))
        .collect()
}

/// Derives the stage on `day` from `events` (already limited to the scope
/// asked about: see [`party_scope`]).
pub fn stage_as_of<'a>(
    events: impl IntoIterator<Item = &'a TimelineEntry>,
    day: NaiveDate,
) -> StageAt<'a> {
    let mut started: Vec<&TimelineEntry> = events
        .into_iter()
        .filter(|e| e.date.earliest() <= day)
        .collect();
    // Chronological first, so that the walks below meet events in the same
    // order whatever order they were given in.
    started.sort_by_key(|e| chrono_key(e));
    let mut current: Option<&TimelineEntry> = None;
    for e in started.iter().filter(|e| e.date.latest() <= day) {
        if current.is_none_or(|c| is_after(e, c)) {
            current = Some(e);
        }
    }
    // An event whose period has begun but not ended may already be in
    // effect, if it would come after the current one; the latest such
    // event is where the agreement may stand.
    let mut possible: Option<&TimelineEntry> = None;
    for e in started.iter().filter(|e| e.date.latest() > day) {
        if current.is_some_and(|c| !is_after(e, c)) {
            continue;
        }
        if possible.is_none_or(|p| is_after(e, p)) {
            possible = Some(e);
        }
    }
    let certain: Vec<&TimelineEntry> = started
        .iter()
        .copied()
        .filter(|e| e.date.latest() <= day)
        .collect();
    let since = current.map(|c| {
        // The earliest event of the same stage with no event of another
        // stage between it and the current one.
        certain
            .iter()
            .copied()
            .filter(|e| e.stage == c.stage && !is_after(e, c))
            .filter(|e| {
                !certain
                    .iter()
                    .any(|x| x.stage != c.stage && is_after(x, e) && is_after(c, x))
            })
            .min_by_key(|e| chrono_key(e))
            .unwrap_or(c)
    });
    StageAt {
        current,
        since,
        possible,
    }
}

impl crate::catalog::history::HistoryStep for TimelineEntry {
    fn stage(&self) -> Stage {
        self.stage
    }
    fn party(&self) -> Option<&str> {
        self.partner.as_deref()
    }
    fn date(&self) -> crate::date::PartialDate {
        self.date
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::history::contradictions;
    use crate::catalog::model::Confidence;

    fn ev(seq: i64, stage: Stage, date: &str) -> TimelineEntry {
        let date: crate::date::PartialDate = date.parse().unwrap();
        TimelineEntry {
            agreement: "a".into(),
            partner: None,
            seq,
            stage,
            date,
            precision: date.precision(),
            source: "s".into(),
            source_title: "S".into(),
            note: None,
            confidence: Confidence::Verified,
        }
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn history() -> Vec<TimelineEntry> {
        vec![
            ev(0, Stage::Negotiating, "2013-03"),
            ev(1, Stage::Signed, "2015-05-29"),
            ev(2, Stage::InForce, "2016-10"),
        ]
    }

    fn party_ev(seq: i64, stage: Stage, date: &str, party: &str) -> TimelineEntry {
        TimelineEntry {
            partner: Some(party.into()),
            ..ev(seq, stage, date)
        }
    }

    /// The EAEU Treaty as the bundled catalog records it: the founders'
    /// signature and entry into force, and Kyrgyzstan's accession.
    fn accession() -> Vec<TimelineEntry> {
        vec![
            ev(0, Stage::Signed, "2014-05-29"),
            party_ev(1, Stage::Signed, "2014-12-23", "kg"),
            ev(2, Stage::InForce, "2015-01-01"),
            party_ev(3, Stage::InForce, "2015-08-12", "kg"),
            party_ev(4, Stage::Ratified, "2014-10", "by"),
        ]
    }

    #[test]
    fn a_party_that_acceded_stands_where_its_own_events_put_it() {
        let h = accession();
        let kg = |d: &str| {
            let at = stage_as_of(party_scope(&h, Some("kg")), day(d));
            (at.stage(), at.current.map(|e| e.date.to_string()))
        };
        assert_eq!(kg("2014-06-01"), (None, None));
        assert_eq!(
            kg("2015-03-01"),
            (Some(Stage::Signed), Some("2014-12-23".into()))
        );
        assert_eq!(
            kg("2015-08-12"),
            (Some(Stage::InForce), Some("2015-08-12".into()))
        );
        // A founder with a ratification of its own still takes the
        // agreement's signature and entry into force.
        let by = stage_as_of(party_scope(&h, Some("by")), day("2015-03-01"));
        assert_eq!(
            by.current.map(|e| (e.stage, e.seq)),
            Some((Stage::InForce, 2))
        );
        let by = stage_as_of(party_scope(&h, Some("by")), day("2014-11-15"));
        assert_eq!(
            by.current.map(|e| (e.stage, e.seq)),
            Some((Stage::Ratified, 4))
        );
        // The agreement as a whole has only its own events.
        let whole: Vec<i64> = party_scope(&h, None).iter().map(|e| e.seq).collect();
        assert_eq!(whole, [0, 2]);
    }

    #[test]
    fn since_is_the_first_event_of_the_stage_the_agreement_is_still_at() {
        // Rounds of negotiation, a signature, then talks on an amendment.
        let h = vec![
            ev(0, Stage::Negotiating, "2019-04"),
            ev(1, Stage::Negotiating, "2019-10"),
            ev(2, Stage::Negotiating, "2021-06-15"),
            ev(3, Stage::Signed, "2022-03-01"),
            ev(4, Stage::Negotiating, "2023"),
            ev(5, Stage::Negotiating, "2024-02-01"),
        ];
        let since = |d: &str| {
            let at = stage_as_of(&h, day(d));
            (at.current.map(|e| e.seq), at.since.map(|e| e.seq))
        };
        assert_eq!(since("2019-03-01"), (None, None));
        assert_eq!(since("2019-05-01"), (Some(0), Some(0)));
        assert_eq!(since("2021-07-01"), (Some(2), Some(0)));
        assert_eq!(since("2022-06-01"), (Some(3), Some(3)));
        assert_eq!(since("2025-01-01"), (Some(5), Some(4)));
    }

    #[test]
    fn nothing_before_the_first_event() {
        let h = history();
        let at = stage_as_of(&h, day("2013-02-28"));
        assert_eq!(at.stage(), None);
        assert!(!at.is_uncertain());
    }

    #[test]
    fn a_month_event_is_uncertain_inside_its_month() {
        let h = history();
        let at = stage_as_of(&h, day("2013-03-15"));
        assert_eq!(at.stage(), None);
        assert_eq!(at.possible.map(|e| e.stage), Some(Stage::Negotiating));
        let at = stage_as_of(&h, day("2013-03-31"));
        assert_eq!(at.stage(), Some(Stage::Negotiating));
        assert!(!at.is_uncertain());
    }

    #[test]
    fn a_day_event_counts_from_its_day() {
        let h = history();
        assert_eq!(
            stage_as_of(&h, day("2015-05-28")).stage(),
            Some(Stage::Negotiating)
        );
        let at = stage_as_of(&h, day("2015-05-29"));
        assert_eq!(at.stage(), Some(Stage::Signed));
        assert!(!at.is_uncertain());
    }

    #[test]
    fn entry_into_force_known_to_a_month() {
        let h = history();
        let at = stage_as_of(&h, day("2016-09-30"));
        assert_eq!(
            (at.stage(), at.is_uncertain()),
            (Some(Stage::Signed), false)
        );
        let at = stage_as_of(&h, day("2016-10-01"));
        assert_eq!(at.stage(), Some(Stage::Signed));
        assert_eq!(at.possible.map(|e| e.stage), Some(Stage::InForce));
        let at = stage_as_of(&h, day("2016-10-31"));
        assert_eq!(
            (at.stage(), at.is_uncertain()),
            (Some(Stage::InForce), false)
        );
    }

    #[test]
    fn a_year_signature_before_a_day_in_the_same_year() {
        let h = vec![
            ev(0, Stage::Signed, "2015"),
            ev(1, Stage::InForce, "2015-01-15"),
        ];
        // On 2015-06-01 entry into force is certain, and it implies the
        // signature came first, whatever day of 2015 that was.
        let at = stage_as_of(&h, day("2016-01-01"));
        assert_eq!(at.stage(), Some(Stage::InForce));
        let at = stage_as_of(&h, day("2015-06-01"));
        assert_eq!(at.stage(), Some(Stage::InForce));
    }

    #[test]
    fn a_year_entry_into_force_after_a_day_ratification_in_the_same_year() {
        let mut ratified = ev(1, Stage::Ratified, "2019-06-13");
        ratified.partner = Some("kz".into());
        let h = vec![
            ev(0, Stage::Signed, "2018-05-17"),
            ratified,
            ev(2, Stage::InForce, "2019"),
        ];
        // Before the ratification: signed, and may already be in force.
        let at = stage_as_of(&h, day("2019-03-01"));
        assert_eq!(at.stage(), Some(Stage::Signed));
        assert_eq!(at.possible.map(|e| e.stage), Some(Stage::InForce));
        // Ratified, and still may be in force: the year has not ended.
        let at = stage_as_of(&h, day("2019-07-01"));
        assert_eq!(at.stage(), Some(Stage::Ratified));
        assert_eq!(at.possible.map(|e| e.stage), Some(Stage::InForce));
        // Once the year has ended, in force, whatever order it was given in.
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let given: Vec<&TimelineEntry> = order.iter().map(|&i| &h[i]).collect();
            let at = stage_as_of(given, day("2020-06-01"));
            assert_eq!(
                (at.stage(), at.is_uncertain()),
                (Some(Stage::InForce), false)
            );
        }
    }

    #[test]
    fn finds_entry_into_force_before_signature() {
        let mut h = history();
        h.push(ev(3, Stage::InForce, "2014-01-01"));
        let found = contradictions(&h);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].event, 3);
        assert_eq!(found[0].before, 1);
        assert!(
            found[0]
                .message
                .contains("comes before it was signed on 2015-05-29")
        );
    }

    #[test]
    fn overlapping_periods_are_not_contradictions() {
        let h = vec![
            ev(0, Stage::Signed, "2015-05"),
            ev(1, Stage::InForce, "2015"),
        ];
        assert!(contradictions(&h).is_empty());
        assert!(contradictions(&history()).is_empty());
    }

    #[test]
    fn a_party_with_a_signature_of_its_own_is_held_to_it() {
        // Kyrgyzstan's ratification dated after the founders' signature
        // but before its own accession was signed.
        let h = vec![
            ev(0, Stage::Signed, "2014-05-29"),
            party_ev(1, Stage::Signed, "2014-12-23", "kg"),
            party_ev(2, Stage::Ratified, "2014-07-01", "kg"),
        ];
        let found = contradictions(&h);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].event, found[0].before), (2, 1));
    }

    #[test]
    fn party_events_need_their_own_or_the_whole_signature() {
        let mut ratified = ev(1, Stage::Ratified, "2014-02-01");
        ratified.partner = Some("vn".into());
        let mut signed_other = ev(0, Stage::Signed, "2013-01-01");
        signed_other.partner = Some("cn".into());
        let h = vec![signed_other, ratified, ev(2, Stage::Signed, "2015-01-01")];
        let found = contradictions(&h);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!((found[0].event, found[0].before), (1, 2));
    }
}
