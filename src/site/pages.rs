//! One template struct per page kind, and the view rows they show. The
//! structs hold text already picked in the language asked for ([`Text`]),
//! and IDs; templates turn IDs into relative links.

use askama::Template;

use super::filters;
use super::view::{Page, Text};

/// A provision on its document's page.
pub struct ProvisionView {
    pub depth: usize,
    /// The heading level: 3 for top-level provisions, one more per level,
    /// at most 6, so headings never skip a level.
    pub level: usize,
    pub anchor: String,
    pub eid: String,
    pub kind: String,
    pub number: Option<String>,
    pub heading: Option<String>,
    pub text: Option<String>,
    pub text_kind: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// A source of its own; `None`: the document's.
    pub source: Option<String>,
    pub confidence: String,
    pub links: Vec<LinkView>,
    pub obligations: Vec<ObligationView>,
}

pub struct LinkView {
    /// Relative to the site root: a direction's page, or a framework's page
    /// with the node's anchor.
    pub href: String,
    pub title: Text,
    pub kind: String,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

pub struct ObligationView {
    pub agency: String,
    pub agency_name: Text,
    pub role: String,
    pub modality: String,
    pub action: String,
    pub due: Option<String>,
    pub recurrence: Option<String>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
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
    pub parties: Vec<(String, Text)>,
    pub frameworks: Vec<(String, Text)>,
    pub relations: Vec<RelationView>,
    pub events: Vec<EventView>,
    pub provisions: Vec<ProvisionView>,
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
    pub citers: Vec<(&'static str, usize, i64, Vec<(String, Text)>)>,
}

#[derive(Template)]
#[template(path = "sources.html")]
pub struct SourcesPage {
    pub page: Page,
    pub sources: Vec<SourceView>,
}

pub struct Finding {
    pub severity: &'static str,
    pub code: String,
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
    /// Where the site's root is: the base URL when given, else relative.
    pub home: String,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub page: Page,
}
