//! The order an agreement's history must keep: a stage that needs a
//! signature cannot come certainly before every signature that applies to
//! it, nor an end (termination, expiry) before every entry into force.
//!
//! One rule for both ways events arrive: an import's new events and
//! `record`'s new event are weighed with it against the history the store
//! holds. (`check` reports what is stored with the same rule, in SQL.)

use super::model::{Stage, StatusEvent};
use crate::date::PartialDate;

/// What the rule needs of an event.
pub trait HistoryStep {
    fn stage(&self) -> Stage;
    /// The party the event concerns; `None` for the agreement as a whole.
    fn party(&self) -> Option<&str>;
    fn date(&self) -> PartialDate;
}

impl HistoryStep for StatusEvent {
    fn stage(&self) -> Stage {
        self.stage
    }
    fn party(&self) -> Option<&str> {
        self.party.as_deref()
    }
    fn date(&self) -> PartialDate {
        self.date
    }
}

/// A history entry as the store holds it: what the rule needs, and whether
/// it was recorded knowingly against the rule (`forced`).
#[derive(Debug, Clone)]
pub struct Entry {
    pub stage: Stage,
    pub party: Option<String>,
    pub date: PartialDate,
    pub forced: bool,
}

impl HistoryStep for Entry {
    fn stage(&self) -> Stage {
        self.stage
    }
    fn party(&self) -> Option<&str> {
        self.party.as_deref()
    }
    fn date(&self) -> PartialDate {
        self.date
    }
}

/// One way a history contradicts itself: `later` is a stage that needs
/// `earlier` to have happened first, yet is dated certainly before it.
#[derive(Debug, Clone, PartialEq)]
pub struct Contradiction {
    /// Index of the event that comes too early.
    pub event: usize,
    /// Index of the event it should follow.
    pub before: usize,
    pub message: String,
}

/// Finds events dated certainly before what they depend on: a stage that
/// needs a signature before every signature that applies to its scope, an
/// end (terminated, expired) before every entry into force. An event with no
/// signature at all is not a contradiction (`check` warns about it).
pub fn contradictions<E: HistoryStep>(events: &[E]) -> Vec<Contradiction> {
    let mut out = Vec::new();
    let first = |stage: Stage, keep: &dyn Fn(&E) -> bool| {
        events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.stage() == stage && keep(e))
            .min_by_key(|(_, e)| e.date().earliest())
    };
    // The earliest event of `stage` that applies to `scope`: for a party,
    // its own when it has one (a state that acceded signed on its own
    // day, as `queries::party_scope` derives its stage), else the
    // agreement's; for the agreement as a whole, any.
    let earliest = |stage: Stage, scope: Option<&str>| match scope {
        Some(p) => first(stage, &|e: &E| e.party() == Some(p))
            .or_else(|| first(stage, &|e: &E| e.party().is_none())),
        None => first(stage, &|_: &E| true),
    };
    for (i, e) in events.iter().enumerate() {
        let who = e.party().map(|p| format!(" for `{p}`")).unwrap_or_default();
        let mut needs = Vec::new();
        if e.stage().needs_signature() {
            needs.push((Stage::Signed, "it was signed"));
        }
        if matches!(e.stage(), Stage::Terminated | Stage::Expired) {
            needs.push((Stage::InForce, "it entered into force"));
        }
        for (stage, what) in needs {
            if let Some((j, first)) = earliest(stage, e.party())
                && e.date().latest() < first.date().earliest()
            {
                out.push(Contradiction {
                    event: i,
                    before: j,
                    message: format!(
                        "{}{who} on {} comes before {what} on {}",
                        e.stage(),
                        e.date(),
                        first.date()
                    ),
                });
            }
        }
    }
    out
}
