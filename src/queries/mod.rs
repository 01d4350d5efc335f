//! The questions lextrack answers: the domain types of query results and the
//! pure logic behind them.
//!
//! The store (`store::query`) reads rows and returns these types; the
//! terminal (`commands`, `output`) and the static site render them. Field
//! names of the `Serialize` types are the JSON and CSV field names of the
//! command line, documented in docs/cli.md: they are stable, so rename none.
//!
//! The logic that is worth testing on its own lives here, free of SQL:
//! deriving an agreement's stage on a date from its history while
//! respecting date precision ([`stage`]), and resolving a name someone
//! typed to an agency or partner ([`resolve`]).

pub mod resolve;
pub mod stage;

use chrono::NaiveDate;
use serde::Serialize;

use crate::catalog::model::{Confidence, Modality, ObligationStatus, Role, Stage, SuccessionKind};
use crate::date::{PartialDate, Precision};

pub use crate::catalog::history::contradictions;
pub use resolve::{Candidate, Resolution, closest, resolve};
pub use stage::{StageAt, party_scope, stage_as_of};

/// What to list with [`crate::store::Store::obligations`]. Filters combine;
/// `None` or `false` leaves a filter out.
#[derive(Debug, Clone)]
pub struct ObligationQuery {
    /// An agency ID (resolve names with `Store::resolve_agency` first). Its
    /// predecessors' obligations are listed too, marked as inherited.
    pub agency: Option<String>,
    /// With `agency`: also the agencies under it (a ministry's committees).
    pub with_subordinates: bool,
    /// A document ID.
    pub document: Option<String>,
    /// One obligation, by ID (for `lextrack show`).
    pub id: Option<String>,
    /// A framework node ID: obligations under provisions linked to it or to
    /// a node below it.
    pub direction: Option<String>,
    pub modality: Option<Modality>,
    /// The status on `today`.
    pub status: Option<ObligationStatus>,
    /// Only obligations whose provision and document are in force on this
    /// day.
    pub in_force_on: Option<NaiveDate>,
    /// Only obligations due before this day: a due date that certainly
    /// falls before it, or a recurrence whose next occurrence does.
    pub due_before: Option<NaiveDate>,
    /// The day that counts as today (statuses, next occurrences).
    pub today: NaiveDate,
}

impl ObligationQuery {
    pub fn new(today: NaiveDate) -> Self {
        ObligationQuery {
            agency: None,
            with_subordinates: false,
            document: None,
            id: None,
            direction: None,
            modality: None,
            status: None,
            in_force_on: None,
            due_before: None,
            today,
        }
    }
}

/// One obligation, as `lextrack obligations` lists it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObligationRow {
    /// The obligation's ID.
    pub id: String,
    /// The agency that bears it (ID).
    pub agency: String,
    pub agency_name: String,
    pub role: Role,
    pub modality: Modality,
    pub action: String,
    /// The document ID.
    pub document: String,
    pub document_title: String,
    /// The provision's eId.
    pub provision: String,
    /// The provision's number, e.g. `9`.
    pub provision_number: Option<String>,
    /// A due date (`2026-12`) or a recurrence (`every year by 01-15`).
    pub due: Option<String>,
    /// The next day a recurring obligation falls due, from today.
    #[serde(serialize_with = "ser::opt_day")]
    pub next_due: Option<NaiveDate>,
    /// The status on today's date, from the obligation's history.
    pub status: ObligationStatus,
    /// When that status was recorded; none when no history is recorded.
    pub status_since: Option<String>,
    /// The source of the change that set the status; none when no history
    /// is recorded.
    pub status_source: Option<String>,
    /// How far that change can be trusted (an inferred lapse is
    /// `unverified`); none when no history is recorded.
    pub status_confidence: Option<Confidence>,
    /// What that change's record says of it (why a lapse is inferred, for
    /// one); none when it says nothing or no history is recorded.
    pub status_note: Option<String>,
    /// The framework nodes the provision (or a provision above it) links to.
    pub directions: Vec<String>,
    pub source: String,
    pub confidence: Confidence,
    /// Set when the obligation was borne by a predecessor of the agency
    /// asked for: the predecessor's ID.
    pub inherited_from: Option<String>,
    /// The date of the succession that passed it on.
    pub inherited_on: Option<String>,
    /// How it was passed on: `renamed_to` and `merged_into` pass everything;
    /// `functions_transferred_to` and `split_into` pass only some functions,
    /// so an inherited row of those may not have moved (see
    /// `inherited_functions`).
    pub inherited_how: Option<SuccessionKind>,
    /// What the succession says was transferred, when it says.
    pub inherited_functions: Option<String>,
}

/// What to list with [`crate::store::Store::agreements`].
#[derive(Debug, Clone)]
pub struct AgreementQuery {
    /// A partner ID (resolve names with `Store::resolve_partner` first).
    pub partner: Option<String>,
    /// One agreement (document ID).
    pub agreement: Option<String>,
    /// Only rows whose stage, certainly reached by `as_of`, is this one.
    pub stage: Option<Stage>,
    /// The day the stage is derived for.
    pub as_of: NaiveDate,
    /// Only agreements with an event that may fall on or after this day.
    pub changed_since: Option<NaiveDate>,
}

impl AgreementQuery {
    pub fn new(as_of: NaiveDate) -> Self {
        AgreementQuery {
            partner: None,
            agreement: None,
            stage: None,
            as_of,
            changed_since: None,
        }
    }
}

/// Where an agreement stands for one partner on a day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementStatus {
    /// The partner (ID); none for an agreement with no parties recorded.
    pub partner: Option<String>,
    pub partner_name: Option<String>,
    /// The agreement (document ID).
    pub agreement: String,
    pub title: String,
    /// The kind of instrument: agreement, treaty, protocol, memorandum…
    pub instrument: String,
    /// The day the stage is derived for.
    #[serde(serialize_with = "ser::day")]
    pub as_of: NaiveDate,
    /// The last stage certainly reached by `as_of`; none before the first
    /// event.
    pub stage: Option<Stage>,
    /// The date of the event that reached it, as the source gives it.
    pub since: Option<PartialDate>,
    /// The precision of `since`: year, month or day.
    #[serde(serialize_with = "ser::opt_precision")]
    pub precision: Option<Precision>,
    /// The source of that event.
    pub source: Option<String>,
    /// True when a later event may already have happened by `as_of` but
    /// its date is known only to a month or year that has not ended.
    pub uncertain: bool,
    /// That later stage, when `uncertain`.
    pub possible_stage: Option<Stage>,
    pub possible_since: Option<PartialDate>,
    /// How far the event that reached `stage` can be trusted (verified,
    /// secondary, unverified).
    pub confidence: Option<Confidence>,
}

/// One event of an agreement's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    pub agreement: String,
    /// The party the event concerns; none for the agreement as a whole.
    pub partner: Option<String>,
    /// The order in which the history recorded it.
    pub seq: i64,
    pub stage: Stage,
    pub date: PartialDate,
    #[serde(serialize_with = "ser::precision")]
    pub precision: Precision,
    pub source: String,
    /// The source's title, for reading.
    pub source_title: String,
    pub note: Option<String>,
    pub confidence: Confidence,
}

/// One partner and where its agreements stand.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerRow {
    pub partner: String,
    pub name: String,
    /// state, bloc, organisation or process.
    pub kind: String,
    pub iso: Option<String>,
    /// Each agreement the partner is a party to, with its stage.
    pub agreements: Vec<AgreementStatus>,
    /// The agreement whose stage changed last (one that has not ended
    /// first), which `stage`, `since`, `precision` and `source` describe;
    /// none without agreements.
    pub agreement: Option<String>,
    pub stage: Option<Stage>,
    pub since: Option<PartialDate>,
    #[serde(serialize_with = "ser::opt_precision")]
    pub precision: Option<Precision>,
    pub source: Option<String>,
    pub uncertain: bool,
    /// How far the headline event can be trusted.
    pub confidence: Option<Confidence>,
}

/// A provision, by document and eId.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct ProvisionRef {
    pub document: String,
    pub provision: String,
    pub number: Option<String>,
    pub heading: Option<String>,
}

/// A provision linked to a direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageLink {
    pub document: String,
    pub provision: String,
    pub number: Option<String>,
    /// implements, supports or references.
    pub link: String,
    /// The provision's place among its document's provisions, which
    /// orders the matrix's rows (not part of `trace`'s output).
    #[serde(skip)]
    pub ord: i64,
    /// How far the link can be trusted: `verified`, `secondary` or
    /// `unverified` (not part of `trace`'s output).
    #[serde(skip)]
    pub confidence: String,
}

/// One direction of a framework and the provisions that serve it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectionCoverage {
    pub direction: String,
    pub number: Option<String>,
    pub title: String,
    /// True when at least one provision `implements` it.
    pub implemented: bool,
    pub links: Vec<CoverageLink>,
}

/// Counts of a coverage matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CoverageCounts {
    pub directions: usize,
    pub implemented: usize,
    pub uncovered: usize,
    pub links: usize,
    pub linked_provisions: usize,
    pub unlinked_provisions: usize,
}

/// The traceability matrix of one framework: directions × provisions, with
/// the gaps. Provisions are those of documents that link to the framework
/// at all; one serves the framework when it, a provision above it or one
/// below it links to one of the framework's nodes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverageMatrix {
    pub framework: String,
    pub title: String,
    pub directions: Vec<DirectionCoverage>,
    /// Directions that no provision implements.
    pub uncovered: Vec<String>,
    /// Provisions that serve nothing in this framework.
    pub unlinked_provisions: Vec<ProvisionRef>,
    pub counts: CoverageCounts,
}

/// A coverage matrix cut to what a page shows, from
/// [`crate::store::Store::coverage_summary`]: the counts are complete,
/// `matrix.unlinked_provisions` holds only the first few, and the
/// directions' links are there only when the grid is small enough to show.
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageSummary {
    pub matrix: CoverageMatrix,
    /// The distinct provisions linked to the framework's directions: the
    /// rows of the grid. (`counts.linked_provisions` also counts links to
    /// goals and other nodes, which the grid does not show.)
    pub grid_rows: usize,
    /// Whether the directions' links were kept: `grid_rows` was within the
    /// cap asked for. When false every direction's `links` is empty.
    pub grid_kept: bool,
}

/// What to look for with [`crate::store::Store::search`].
#[derive(Debug, Clone)]
pub struct SearchQuery {
    /// Words to find (all of them, in any order); a trailing `*` on a word
    /// matches it as a prefix.
    pub text: String,
    /// Only hits in this document (the document itself, its provisions and
    /// obligations).
    pub document: Option<String>,
    /// Only hits of this kind.
    pub kind: Option<SearchKind>,
    pub limit: usize,
    /// Marks put around matched words in snippets.
    pub highlight: (String, String),
}

/// The kinds of record that search covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    Document,
    Provision,
    Obligation,
    Agency,
    Partner,
    Node,
}

impl SearchKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SearchKind::Document => "document",
            SearchKind::Provision => "provision",
            SearchKind::Obligation => "obligation",
            SearchKind::Agency => "agency",
            SearchKind::Partner => "partner",
            SearchKind::Node => "node",
        }
    }
}

/// One search result, best first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchHit {
    pub kind: SearchKind,
    /// The ID to pass to `lextrack show`: `doc`, `doc#eid`, an agency…
    pub id: String,
    /// The document the hit belongs to, for provisions and obligations.
    pub document: Option<String>,
    pub title: String,
    /// The matching text with the matched words marked.
    pub snippet: String,
    /// bm25 score: lower is better.
    pub rank: f64,
}

/// A typed relation between two documents, seen from one of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RelationView {
    /// amends, repeals, supersedes, implements, based_on…
    pub relation: String,
    /// The other document.
    pub document: String,
    pub title: String,
    pub date: Option<String>,
    pub source: String,
}

/// A framework link from a provision, seen from the provision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkView {
    pub node: String,
    pub node_title: String,
    pub framework: String,
    pub link: String,
    pub note: Option<String>,
    pub source: String,
}

/// A document with its relations. For an agreement (a document with
/// parties or a history), `parties`, `status` and `timeline` are filled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentView {
    pub id: String,
    pub kind: String,
    pub work_id: String,
    pub number: Option<String>,
    pub title: String,
    pub title_ru: Option<String>,
    pub title_kk: Option<String>,
    pub issuer: Option<String>,
    pub jurisdiction: String,
    pub adopted: Option<String>,
    pub in_force: Option<String>,
    pub expires: Option<String>,
    pub repealed: Option<String>,
    pub status: String,
    pub url: Option<String>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: Confidence,
    pub provisions: i64,
    pub obligations: i64,
    /// Relations from this document to others.
    pub relations: Vec<RelationView>,
    /// Relations from other documents to this one (what amends it…).
    pub related_by: Vec<RelationView>,
    /// Frameworks this document sets out.
    pub frameworks: Vec<String>,
    pub parties: Vec<String>,
    pub status_now: Vec<AgreementStatus>,
    pub timeline: Vec<TimelineEntry>,
}

/// A provision with its place in the tree, links, obligations and the
/// documents that amend its document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProvisionView {
    pub id: String,
    pub document: String,
    pub document_title: String,
    pub provision: String,
    pub kind: String,
    pub number: Option<String>,
    pub heading: Option<String>,
    pub text: Option<String>,
    pub text_kind: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    pub parent: Option<String>,
    pub children: Vec<ProvisionRef>,
    pub links: Vec<LinkView>,
    pub obligations: Vec<ObligationRow>,
    /// Documents that amend, repeal or supersede the provision's document.
    pub amended_by: Vec<RelationView>,
    pub source: String,
    pub confidence: Confidence,
}

/// A framework node (goal, direction…) with the provisions linked to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeView {
    pub id: String,
    pub kind: String,
    pub framework: String,
    pub framework_title: String,
    pub number: Option<String>,
    pub title: String,
    pub text: Option<String>,
    pub parent: Option<String>,
    pub children: Vec<String>,
    pub links: Vec<CoverageLink>,
    /// Obligations under the linked provisions.
    pub obligations: i64,
    pub source: String,
    pub confidence: Confidence,
}

/// A strategic framework with its nodes, in the order the framework
/// lists them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkView {
    pub id: String,
    pub title: String,
    /// The document that sets it out.
    pub document: Option<String>,
    pub note: Option<String>,
    pub nodes: Vec<FrameworkNodeRow>,
    pub source: String,
    pub confidence: Confidence,
}

/// One node of a [`FrameworkView`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkNodeRow {
    pub id: String,
    pub kind: String,
    pub number: Option<String>,
    pub title: String,
    pub parent: Option<String>,
    /// Provisions linked to the node (any kind of link).
    pub links: i64,
}

/// A succession seen from one agency.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuccessionView {
    pub from: String,
    pub to: String,
    /// renamed_to, merged_into, split_into, functions_transferred_to.
    pub kind: String,
    pub date: String,
    pub functions: Option<String>,
    pub source: String,
}

/// An agency with its place in the hierarchy, its successions and a count
/// of its obligations by role.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgencyView {
    pub id: String,
    pub kind: String,
    pub name: String,
    pub name_ru: Option<String>,
    pub name_kk: Option<String>,
    pub abbreviation: Option<String>,
    pub aliases: Vec<String>,
    pub parent: Option<String>,
    pub subordinates: Vec<String>,
    pub jurisdiction: String,
    pub established: Option<String>,
    pub abolished: Option<String>,
    pub predecessors: Vec<SuccessionView>,
    pub successors: Vec<SuccessionView>,
    /// (role, count) of the obligations it bears itself.
    pub obligations: Vec<(String, i64)>,
    pub documents_issued: Vec<String>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: Confidence,
}

/// What a source said about a partner at a time; never part of a derived
/// stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimView {
    pub id: String,
    pub agreement: Option<String>,
    pub stage: Option<String>,
    pub stated: String,
    pub statement: String,
    pub correction: Option<String>,
    /// The source of the correction, when it has one of its own.
    pub correction_source: Option<String>,
    pub source: String,
    pub confidence: Confidence,
}

/// A partner with its agreements and what sources claimed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartnerView {
    pub id: String,
    pub kind: String,
    pub iso: Option<String>,
    pub name: String,
    pub name_ru: Option<String>,
    pub name_kk: Option<String>,
    pub aliases: Vec<String>,
    pub agreements: Vec<AgreementStatus>,
    pub claims: Vec<ClaimView>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: Confidence,
}

/// One recorded change of an obligation's status, in the order the history
/// recorded it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObligationChange {
    pub seq: i64,
    pub status: ObligationStatus,
    pub date: PartialDate,
    pub note: Option<String>,
    pub source: String,
    /// The source's title, for reading.
    pub source_title: String,
    pub confidence: Confidence,
    /// Recorded knowingly against the history (`record --force --note`).
    pub forced: bool,
}

/// An obligation: what `lextrack obligations` lists of it, the provision
/// it sits in, its note and its recorded status history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObligationView {
    pub id: String,
    pub agency: String,
    pub agency_name: String,
    pub role: Role,
    pub modality: Modality,
    pub action: String,
    pub note: Option<String>,
    pub document: String,
    pub document_title: String,
    /// The provision's eId.
    pub provision: String,
    /// `document#eid`: what to pass to `lextrack show` for the provision.
    pub provision_id: String,
    pub provision_number: Option<String>,
    pub provision_heading: Option<String>,
    pub due: Option<String>,
    #[serde(serialize_with = "ser::opt_day")]
    pub next_due: Option<NaiveDate>,
    /// The status on today's date, as `lextrack obligations` gives it.
    pub status: ObligationStatus,
    pub status_since: Option<String>,
    pub status_source: Option<String>,
    pub status_confidence: Option<Confidence>,
    pub status_note: Option<String>,
    pub directions: Vec<String>,
    /// Every recorded change, in recorded order.
    pub history: Vec<ObligationChange>,
    pub source: String,
    pub confidence: Confidence,
}

/// Any entity `lextrack show` can print. JSON carries the kind as
/// `"entity"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "entity", rename_all = "snake_case")]
pub enum EntityView {
    Document(Box<DocumentView>),
    Provision(Box<ProvisionView>),
    Framework(Box<FrameworkView>),
    Node(Box<NodeView>),
    Agency(Box<AgencyView>),
    Partner(Box<PartnerView>),
    Obligation(Box<ObligationView>),
}

/// A status event to append to an agreement's history with
/// [`crate::store::Store::record_event`].
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub agreement: String,
    /// The party's partner ID, resolved from the name given.
    pub party: Option<String>,
    /// Why the party named could not be resolved (no partner answers to
    /// the name), reported with the event's other problems.
    pub unknown_party: Option<String>,
    pub stage: Stage,
    pub date: PartialDate,
    pub source: String,
    pub note: Option<String>,
    pub confidence: Confidence,
    /// Record it even though it contradicts the history (needs a note).
    pub force: bool,
}

/// A status change to append to an obligation's history with
/// [`crate::store::Store::record_obligation_status`].
#[derive(Debug, Clone)]
pub struct NewObligationStatus {
    pub obligation: String,
    pub status: ObligationStatus,
    pub date: PartialDate,
    pub source: String,
    pub note: Option<String>,
    pub confidence: Confidence,
    pub force: bool,
}

/// Serializers for values whose crates do not implement `Serialize` here.
mod ser {
    use chrono::NaiveDate;
    use serde::Serializer;

    use crate::date::Precision;

    pub fn day<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&d.format("%Y-%m-%d"))
    }

    pub fn opt_day<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => day(d, s),
            None => s.serialize_none(),
        }
    }

    pub fn precision<S: Serializer>(p: &Precision, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(p.as_str())
    }

    pub fn opt_precision<S: Serializer>(p: &Option<Precision>, s: S) -> Result<S::Ok, S::Error> {
        match p {
            Some(p) => s.serialize_str(p.as_str()),
            None => s.serialize_none(),
        }
    }
}

/// How a recurring obligation falls due, as the store keeps it.
pub fn describe_recurrence(every: &str, by: &str) -> String {
    format!("every {every} by {by}")
}

/// The first day on or after `today` that a recurrence falls on: `by` is
/// `MM-DD` for a yearly duty and `DD` for a monthly one. Days past the end
/// of a month fall on its last day (a monthly duty "by 31" falls due on
/// 30 April).
pub fn next_occurrence(every: &str, by: &str, today: NaiveDate) -> Option<NaiveDate> {
    use chrono::Datelike;
    let clamp = |y: i32, m: u32, d: u32| {
        let last = crate::date::last_day_of_month(y, m);
        NaiveDate::from_ymd_opt(y, m, d.min(last.day()))
    };
    match every {
        "year" => {
            let (m, d) = by.split_once('-')?;
            let (m, d): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
            if !(1..=12).contains(&m) {
                return None;
            }
            let this = clamp(today.year(), m, d)?;
            if this >= today {
                Some(this)
            } else {
                clamp(today.year() + 1, m, d)
            }
        }
        "month" => {
            let d: u32 = by.parse().ok()?;
            let this = clamp(today.year(), today.month(), d)?;
            if this >= today {
                Some(this)
            } else {
                let (y, m) = if today.month() == 12 {
                    (today.year() + 1, 1)
                } else {
                    (today.year(), today.month() + 1)
                };
                clamp(y, m, d)
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn yearly_recurrence_rolls_over_to_next_year() {
        assert_eq!(
            next_occurrence("year", "01-15", day("2026-11-24")),
            Some(day("2027-01-15"))
        );
        assert_eq!(
            next_occurrence("year", "12-01", day("2026-11-24")),
            Some(day("2026-12-01"))
        );
        assert_eq!(
            next_occurrence("year", "11-24", day("2026-11-24")),
            Some(day("2026-11-24"))
        );
    }

    #[test]
    fn monthly_recurrence_clamps_to_the_end_of_short_months() {
        assert_eq!(
            next_occurrence("month", "31", day("2026-04-02")),
            Some(day("2026-04-30"))
        );
        assert_eq!(
            next_occurrence("month", "10", day("2026-12-24")),
            Some(day("2027-01-10"))
        );
        assert_eq!(next_occurrence("week", "1", day("2026-12-24")), None);
    }
}
