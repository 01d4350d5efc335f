//! One template struct per page kind, and the view rows they show. The
//! structs hold text already picked in the language asked for ([`Text`]),
//! and IDs; templates turn IDs into relative links.

use askama::Template;

use super::filters;
use super::view::{Page, Text};

/// A provision on its document's page: the store's facts as they are,
/// with what the page works out from them. (Borrowed, not copied: a
/// national catalog's document pages carry millions of these strings.)
pub struct ProvisionView<'d> {
    pub depth: usize,
    /// The heading level: 3 for top-level provisions, one more per level,
    /// at most 6, so headings never skip a level.
    pub level: usize,
    pub anchor: String,
    pub f: &'d crate::store::site::ProvisionFacts,
    pub links: Vec<LinkView<'d>>,
    pub obligations: Vec<ObligationView<'d>>,
}

pub struct LinkView<'d> {
    /// Relative to the site root: a direction's page, or a framework's page
    /// with the node's anchor.
    pub href: String,
    pub title: Text,
    pub f: &'d crate::store::site::LinkFact,
}

pub struct ObligationView<'d> {
    /// Its ID gives its anchor (`#o-<id>`), which the search index links
    /// to.
    pub f: &'d crate::store::site::ObligationFact,
    /// Its status on the day of the build, when that is not `active`: a
    /// reader of the text learns there that a duty has lapsed.
    pub status: Option<&'d crate::store::StatusChange>,
    pub agency_name: Text,
    pub recurrence: Option<String>,
}

pub struct RelationView {
    pub outgoing: bool,
    pub kind: String,
    pub other: String,
    pub title: Text,
    pub date: Option<String>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

pub struct EventView {
    pub date: String,
    pub precision: String,
    pub stage: String,
    pub party: Option<(String, Text)>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

#[derive(Template)]
#[template(path = "document.html")]
pub struct DocumentPage<'a> {
    pub page: Page,
    pub doc: &'a crate::store::site::DocumentFacts,
    pub title: Text,
    pub issuer: Option<(String, Text)>,
    /// ID, name, and the catalog's note on the party.
    pub parties: Vec<(String, Text, Option<String>)>,
    pub frameworks: Vec<(String, Text)>,
    pub relations: Vec<RelationView>,
    pub events: Vec<EventView>,
    /// For an agreement: where it stands for each party today, derived
    /// from its history (the catalogued `status` is only what the
    /// catalog says of the document).
    pub standing: Vec<StatusView>,
    pub today: String,
    pub provisions: Vec<ProvisionView<'a>>,
}

/// A row of a listing page: a link to an entity's page and a few words.
pub struct ListRow {
    pub href: String,
    pub title: Text,
    pub detail: String,
    pub confidence: String,
}

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage {
    pub page: Page,
    pub heading: String,
    pub intro: String,
    pub rows: Vec<ListRow>,
    /// Links to the other pages of a long listing: (number, href, current).
    pub pager: Vec<(usize, String, bool)>,
}

/// Records of one kind that cite a source: (what, shown, total, rows of
/// (href, title)).
pub type CiterGroup = (&'static str, usize, i64, Vec<(String, Text)>);

pub struct SourceView {
    pub anchor: String,
    pub id: String,
    pub kind: String,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub accessed: Option<String>,
    pub note: Option<String>,
    /// (what, shown, total, rows of (href, title)).
    pub citers: Vec<CiterGroup>,
}

#[derive(Template)]
#[template(path = "sources.html")]
pub struct SourcesPage {
    pub page: Page,
    pub sources: Vec<SourceView>,
}

pub struct Finding {
    pub subject: String,
    pub message: String,
}

#[derive(Template)]
#[template(path = "index.html")]
pub struct IndexPage {
    pub page: Page,
    pub counts: Vec<(String, i64)>,
    pub latest: Vec<(String, Text, EventView)>,
    /// (code, severity, count, first few).
    pub findings: Vec<(String, &'static str, usize, Vec<Finding>)>,
    pub today: String,
}

#[derive(Template)]
#[template(path = "404.html")]
pub struct NotFoundPage {
    pub page: Page,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub page: Page,
}

/// An agency's reorganisation, seen from the agency's page.
pub struct SuccessionView {
    pub other: String,
    pub other_name: Text,
    pub kind: String,
    pub date: String,
    pub functions: Option<String>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

/// An obligation on an agency's page.
pub struct AgencyObligation {
    pub provision: String,
    pub role: String,
    pub modality: String,
    pub action: String,
    pub due: Option<String>,
    pub status: String,
    pub status_since: Option<String>,
    /// The source and confidence of the change that set the status.
    pub status_source: Option<String>,
    pub status_confidence: Option<String>,
    /// What the status change's record says of it.
    pub status_note: Option<String>,
    /// The framework nodes it serves: title, and where it is shown (none
    /// for a node the store does not hold, whose ID stands as its title).
    pub directions: Vec<(Text, Option<String>)>,
    pub source: String,
    pub confidence: String,
    /// Set when a predecessor bore it.
    pub inherited: Option<Inherited>,
}

#[derive(Template)]
#[template(path = "agency.html")]
pub struct AgencyPage<'a> {
    pub page: Page,
    pub agency: &'a crate::store::site::AgencyFacts,
    pub name: Text,
    pub parent: Option<(String, Text)>,
    pub children: Vec<(String, Text)>,
    pub predecessors: Vec<SuccessionView>,
    pub successors: Vec<SuccessionView>,
    /// Obligations grouped by document: (document ID, title, rows).
    pub groups: Vec<(String, Text, Vec<AgencyObligation>)>,
    pub today: String,
}

/// A row of an agreements table: where one agreement stands for one party.
pub struct StatusView {
    pub agreement: String,
    pub title: Text,
    pub partner: Option<(String, Text)>,
    pub instrument: String,
    pub stage: Option<String>,
    pub since: Option<String>,
    pub precision: Option<String>,
    pub source: Option<String>,
    /// How far the event that reached the stage can be trusted.
    pub confidence: Option<String>,
    /// A later stage that may already have been reached.
    pub possible: Option<(String, String)>,
}

/// One event in an agreement's timeline table.
pub struct TimelineRow {
    pub date: String,
    pub precision: String,
    pub stage: String,
    /// The party the event concerns alone: (ID, name).
    pub party: Option<(String, Text)>,
    pub note: Option<String>,
    pub source: String,
    pub source_title: String,
    pub confidence: String,
}

pub struct PartnerAgreement {
    pub id: String,
    pub title: Text,
    pub status: Option<StatusView>,
    pub timeline: crate::site::svg::Timeline,
    pub rows: Vec<TimelineRow>,
}

#[derive(Template)]
#[template(path = "partner.html")]
pub struct PartnerPage<'a> {
    pub page: Page,
    pub partner: &'a crate::store::site::PartnerFacts,
    pub name: Text,
    pub agreements: Vec<PartnerAgreement>,
    pub claims: Vec<crate::store::site::ClaimFacts>,
    pub today: String,
}

#[derive(Template)]
#[template(path = "agreements.html")]
pub struct AgreementsPage {
    pub page: Page,
    pub as_of: String,
    /// Links to the same table in other years: (year, href, current).
    pub years: Vec<(i32, String, bool)>,
    /// The link to today's table, and whether this page is it.
    pub now: (String, bool),
    pub rows: Vec<StatusView>,
}

/// A node of a framework's tree, which the page nests as lists.
pub struct NodeView {
    /// Set when the nodes after it, up to its next sibling, are under it:
    /// its item holds a list of them.
    pub has_children: bool,
    /// Levels of nesting that end after it (its list and those of its
    /// parents whose last child it ends).
    pub closes: usize,
    pub anchor: String,
    pub id: String,
    pub kind: String,
    pub number: Option<String>,
    pub title: Text,
    pub text: Option<String>,
    pub links: i64,
    pub is_direction: bool,
    pub uncovered: bool,
    pub source: String,
    pub confidence: String,
}

#[derive(Template)]
#[template(path = "framework.html")]
pub struct FrameworkPage<'a> {
    pub page: Page,
    pub framework: &'a crate::store::site::FrameworkFacts,
    pub title: Text,
    pub document: Option<(String, Text)>,
    pub nodes: Vec<NodeView>,
    pub counts: Option<crate::queries::CoverageCounts>,
}

pub struct LinkedView {
    pub document: String,
    pub title: Text,
    pub anchor: String,
    /// The provision's place in its document: `art. 97 para 1`.
    pub place: String,
    pub heading: Option<String>,
    pub link_kind: String,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

#[derive(Template)]
#[template(path = "direction.html")]
pub struct DirectionPage<'a> {
    pub page: Page,
    pub node: &'a crate::store::site::NodeFacts,
    pub title: Text,
    pub framework: (String, Text),
    pub parent: Option<(String, Text)>,
    pub implemented: bool,
    pub links: Vec<LinkedView>,
}

/// The traceability matrix of one framework.
pub struct MatrixView {
    pub id: String,
    pub title: Text,
    pub columns: Vec<MatrixColumn>,
    /// Rows by document, documents in ID order and provisions in their
    /// document's order.
    pub groups: Vec<MatrixGroup>,
    /// Set when the grid is too large for a page (see the download).
    pub grid_omitted: bool,
    pub uncovered: Vec<(String, Text)>,
    /// Provisions that serve nothing: (document, eId, document title).
    pub unlinked: Vec<(String, String, Text)>,
    pub unlinked_total: usize,
    pub counts: crate::queries::CoverageCounts,
}

/// A direction as a column of the matrix.
pub struct MatrixColumn {
    pub id: String,
    /// Its number, or its ID when it has none.
    pub number: String,
    pub title: Text,
    pub confidence: String,
}

/// The rows of one document in the matrix.
pub struct MatrixGroup {
    pub document: String,
    pub title: Text,
    pub rows: Vec<MatrixRow>,
}

pub struct MatrixRow {
    pub eid: String,
    /// The cells, by column: the provision's links to that direction.
    pub cells: Vec<Vec<MatrixMark>>,
}

/// One link in a cell of the matrix.
pub struct MatrixMark {
    /// `I`, `S` or `R`.
    pub mark: &'static str,
    /// `implements`, `supports` or `references`.
    pub kind: String,
    pub confidence: String,
}

#[derive(Template)]
#[template(path = "matrix.html")]
pub struct MatrixPage {
    pub page: Page,
    pub matrices: Vec<MatrixView>,
}

pub struct IndicatorView {
    pub anchor: String,
    pub name: Text,
    pub unit: String,
    pub measure: String,
    pub note: Option<String>,
    pub source: String,
    pub chart: crate::site::svg::Chart,
    pub values: Vec<crate::store::site::ValueFacts>,
}

#[derive(Template)]
#[template(path = "indicators.html")]
pub struct IndicatorsPage {
    pub page: Page,
    pub series: Vec<IndicatorView>,
}

/// How an agency came to bear an obligation of its predecessor.
#[derive(Debug, Clone)]
pub struct Inherited {
    pub from: String,
    pub from_name: Text,
    pub on: Option<String>,
    /// A transfer of some functions (or a split): the obligation may not
    /// be among those that moved.
    pub partial: bool,
    /// What the succession says moved, when it says.
    pub functions: Option<String>,
}
