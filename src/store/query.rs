//! The store's read side for people: one method per question, each
//! returning the domain types of [`crate::queries`].
//!
//! Every value from the user is a bound parameter; the only text spliced
//! into SQL is fixed fragments and `?` placeholders. Partial dates are
//! compared through their earliest and latest days ([`EARLIEST`],
//! [`LATEST`] below), so a date known only to a month is never read as its
//! first day.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::NaiveDate;
use sqlx::sqlite::SqliteRow;

use super::Store;
use super::rows::{get, parse};
use crate::catalog::model::{ObligationStatus, Stage};
use crate::date::PartialDate;
use crate::diagnostics::{Diagnostics, Location};
use crate::error::{DbContext, Error, Result};
use crate::queries::*;

/// The earliest day a partial date column (or expression) can stand for,
/// as `YYYY-MM-DD`. `col` is always the query's own text, never user input.
fn earliest_sql(col: &str) -> String {
    format!("substr({col} || '-01-01', 1, 10)")
}

/// The latest day a partial date column (or expression) can stand for.
fn latest_sql(col: &str) -> String {
    format!(
        "(CASE length({col}) WHEN 4 THEN {col} || '-12-31' WHEN 7 THEN date({col} || '-01', '+1 month', '-1 day') ELSE {col} END)"
    )
}

pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

fn alias_list(text: &str) -> Vec<String> {
    serde_json::from_str(text).unwrap_or_default()
}

/// A query under construction: SQL text and its parameters, in order.
#[derive(Default)]
struct Sql {
    text: String,
    binds: Vec<String>,
}

impl Sql {
    fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    fn bind(&mut self, text: &str, value: impl Into<String>) -> &mut Self {
        self.text.push_str(text);
        self.binds.push(value.into());
        self
    }

    /// Parameters for `?`s already in the text, in order.
    fn values(&mut self, values: impl IntoIterator<Item = String>) -> &mut Self {
        self.binds.extend(values);
        self
    }

    fn bind_all(&mut self, values: impl IntoIterator<Item = String>) -> &mut Self {
        let values: Vec<String> = values.into_iter().collect();
        self.text.push_str(&placeholders(values.len()));
        self.binds.extend(values);
        self
    }

    /// Runs a query whose one row holds a JSON array (`json_group_array`)
    /// and decodes it.
    async fn fetch_json<T: serde::de::DeserializeOwned>(
        &self,
        store: &Store,
        what: &str,
    ) -> Result<Vec<T>> {
        let mut q = sqlx::query_scalar::<_, Option<String>>(&self.text);
        for b in &self.binds {
            q = q.bind(b);
        }
        let text = q
            .fetch_one(&store.pool)
            .await
            .context(format_args!("reading {what}"))?;
        decode_json(text, what)
    }

    async fn fetch(&self, store: &Store, what: &str) -> Result<Vec<SqliteRow>> {
        let mut q = sqlx::query(&self.text);
        for b in &self.binds {
            q = q.bind(b);
        }
        q.fetch_all(&store.pool)
            .await
            .context(format_args!("reading {what}"))
    }
}

/// Agencies' own obligations, one agency at a time, as
/// [`Store::own_obligations_by_agency`] reads them in agency ID order.
pub type AgencyObligations = super::rows::Grouped<ObligationRow>;

/// How the obligations query hands its rows over.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// One row per document: its ID and a JSON array of its rows in
    /// provision order, documents in ID order: for handing rows on while
    /// the rest are read.
    ByDocument,
    /// One row per agency: its ID and a JSON array of its rows in document
    /// order, agencies in ID order: for walking every agency in one pass.
    ByAgency,
}

/// The SQL of `lextrack obligations`: a JSON array of rows per document
/// (or per agency), because handing rows one by one from SQLite's thread
/// costs more than the query itself on large results, while one array of
/// every row would be held whole (1.4 GB for a million rows). The directions an obligation serves
/// are the links of its provision and of up to eight provisions above it,
/// found by joining parents rather than by a recursive query: SQLite plans
/// a recursive subquery per row poorly, and legal texts are not nested
/// deeper than part, section, chapter, article, paragraph, subparagraph,
/// point.
///
/// The links are read as one range of the document's links, from the
/// smallest to the largest eId of the chain (a missing ancestor counts as
/// the provision itself, since `min`/`max` of a NULL is NULL), and the
/// chain is tested on each (`+l.eid`, so not through the index): an `IN`
/// list of per-row values used as an index key makes SQLite build a
/// temporary table for every obligation, which cost more than the rest of
/// the directions together.
fn obligations_sql(
    q: &ObligationQuery,
    agencies: &[String],
    shape: Shape,
) -> (String, Vec<String>) {
    let mut s = Sql::default();
    if let Some(node) = &q.direction {
        s.bind("WITH RECURSIVE nodes(id) AS (SELECT ?", node.clone())
            .push(
                " UNION SELECT n.id FROM framework_nodes n JOIN nodes ON n.parent_id = nodes.id),
             linked(document_id, eid) AS (
               SELECT l.document_id, l.eid FROM provision_links l JOIN nodes ON l.node_id = nodes.id
               UNION SELECT p.document_id, p.eid FROM provisions p
                 JOIN linked ON p.document_id = linked.document_id AND p.parent_eid = linked.eid)
             ",
            );
    }
    s.push(match shape {
        Shape::ByDocument => {
            "SELECT document, '[' || group_concat(row, ',' ORDER BY k2, k3, k4) || ']'
               FROM (SELECT o.document_id AS document, p.ord AS k2, o.ord AS k3, o.id AS k4, "
        }
        Shape::ByAgency => {
            "SELECT agency, '[' || group_concat(row, ',' ORDER BY k1, k2, k3, k4) || ']'
               FROM (SELECT o.agency_id AS agency, o.document_id AS k1, p.ord AS k2,
                            o.ord AS k3, o.id AS k4, "
        }
    });
    s.push(
        "json_array(
           o.id, o.agency_id,
           coalesce(a.name_en, a.name_ru, a.name_kk, a.id),
           o.role, o.modality, o.action, o.document_id,
           coalesce(d.title_en, d.title_ru, d.title_kk, d.id),
           o.eid, p.number, o.due, o.recurrence_every,
           o.recurrence_by, o.source_id, o.confidence, ",
    )
    .push(&current_status_sql("?"))
    .values([day(q.today), day(q.today)])
    .push(
        ",
           (SELECT group_concat(l.node_id) FROM provision_links l
             WHERE l.document_id = o.document_id
               AND l.eid BETWEEN min(p.eid, coalesce(p.parent_eid, p.eid), coalesce(p2.parent_eid, p.eid), coalesce(p3.parent_eid, p.eid), coalesce(p4.parent_eid, p.eid), coalesce(p5.parent_eid, p.eid), coalesce(p6.parent_eid, p.eid), coalesce(p7.parent_eid, p.eid), coalesce(p8.parent_eid, p.eid))
                             AND max(p.eid, coalesce(p.parent_eid, p.eid), coalesce(p2.parent_eid, p.eid), coalesce(p3.parent_eid, p.eid), coalesce(p4.parent_eid, p.eid), coalesce(p5.parent_eid, p.eid), coalesce(p6.parent_eid, p.eid), coalesce(p7.parent_eid, p.eid), coalesce(p8.parent_eid, p.eid))
               AND +l.eid IN (p.eid, p.parent_eid, p2.parent_eid, p3.parent_eid, p4.parent_eid, p5.parent_eid, p6.parent_eid, p7.parent_eid, p8.parent_eid))) AS row
         FROM obligations o",
    );
    // Walking all agencies reads the table in its stored order and sorts
    // the rows by agency afterwards (SQLite's sorter spills to disk, so
    // memory stays bounded): reading it through the agency index instead
    // visits the table, documents and provisions in a scattered order,
    // which costs twice as much on a large store.
    if shape == Shape::ByAgency {
        s.push(" INDEXED BY obligations_provision");
    }
    s.push(
        "
         JOIN agencies a ON a.id = o.agency_id
         JOIN documents d ON d.id = o.document_id
         JOIN provisions p ON p.document_id = o.document_id AND p.eid = o.eid
         LEFT JOIN provisions p2 ON p2.document_id = p.document_id AND p2.eid = p.parent_eid
         LEFT JOIN provisions p3 ON p3.document_id = p.document_id AND p3.eid = p2.parent_eid
         LEFT JOIN provisions p4 ON p4.document_id = p.document_id AND p4.eid = p3.parent_eid
         LEFT JOIN provisions p5 ON p5.document_id = p.document_id AND p5.eid = p4.parent_eid
         LEFT JOIN provisions p6 ON p6.document_id = p.document_id AND p6.eid = p5.parent_eid
         LEFT JOIN provisions p7 ON p7.document_id = p.document_id AND p7.eid = p6.parent_eid
         LEFT JOIN provisions p8 ON p8.document_id = p.document_id AND p8.eid = p7.parent_eid
         WHERE 1",
    );
    if !agencies.is_empty() {
        s.push(" AND o.agency_id IN (")
            .bind_all(agencies.iter().cloned())
            .push(")");
    }
    if let Some(doc) = &q.document {
        s.bind(" AND o.document_id = ?", doc.clone());
    }
    if let Some(id) = &q.id {
        s.bind(" AND o.id = ?", id.clone());
    }
    if q.direction.is_some() {
        s.push(" AND (o.document_id, o.eid) IN (SELECT document_id, eid FROM linked)");
    }
    if let Some(m) = q.modality {
        s.bind(" AND o.modality = ?", m.as_str());
    }
    if let Some(on) = q.in_force_on {
        let on = day(on);
        s.push(" AND d.status <> 'draft' AND coalesce(d.in_force, d.adopted) IS NOT NULL")
            .bind(
                &format!(
                    " AND {} <= ?",
                    latest_sql("coalesce(d.in_force, d.adopted)")
                ),
                on.clone(),
            )
            .bind(
                &format!(
                    " AND (d.repealed IS NULL OR {} > ?)",
                    earliest_sql("d.repealed")
                ),
                on.clone(),
            )
            .bind(
                &format!(
                    " AND (d.expires IS NULL OR {} >= ?)",
                    earliest_sql("d.expires")
                ),
                on.clone(),
            );
        // The provision and every provision above it (up to the eight
        // levels joined above) must be in force: a paragraph of an article
        // that has expired has expired with it.
        for alias in ["p", "p2", "p3", "p4", "p5", "p6", "p7", "p8"] {
            let (from, to) = (format!("{alias}.valid_from"), format!("{alias}.valid_to"));
            s.bind(
                &format!(" AND ({from} IS NULL OR {} <= ?)", latest_sql(&from)),
                on.clone(),
            )
            .bind(
                &format!(" AND ({to} IS NULL OR {} >= ?)", earliest_sql(&to)),
                on.clone(),
            );
        }
    }
    if let Some(before) = q.due_before {
        s.bind(
            &format!(
                " AND ((o.due IS NOT NULL AND {} < ?) OR o.recurrence_every IS NOT NULL)",
                latest_sql("o.due")
            ),
            day(before),
        );
    }
    s.push(match shape {
        Shape::ByDocument => ") GROUP BY document ORDER BY document",
        Shape::ByAgency => {
            " ORDER BY o.document_id, o.eid LIMIT -1) GROUP BY agency ORDER BY agency"
        }
    });
    (s.text, s.binds)
}

/// The links into a framework's nodes (the framework bound first), with
/// the provision's number; callers add filters and [`LINK_ORDER`]. Links
/// to provisions that do not exist are left out.
const FRAMEWORK_LINKS: &str =
    "SELECT l.node_id, l.document_id, l.eid, p.number, l.kind, p.ord, l.confidence
     FROM provision_links l
     JOIN framework_nodes n ON n.id = l.node_id
     JOIN provisions p ON p.document_id = l.document_id AND p.eid = l.eid
     WHERE n.framework_id = ?";

/// The order of a direction's links in the matrix.
const LINK_ORDER: &str = " ORDER BY l.document_id, p.ord, l.kind";

/// Documents listed at a time while looking for provisions that serve
/// nothing.
const COVERAGE_DOCUMENTS: i64 = 2048;
/// Provisions read at once while looking for provisions that serve
/// nothing; a document larger than this is still read whole, alone.
const COVERAGE_BUDGET: i64 = 5_000;

/// A provision as the coverage query returns it: document, eId, parent,
/// number, heading.
type ProvisionTuple = (
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// A link as the coverage query returns it: document, eId, node, link
/// type, whether the node is a direction, and the node's framework.
type LinkTuple = (String, String, String, String, bool, String);

/// A provision of a [`LinkedBatch`].
#[derive(Clone, Copy)]
struct TreeProvision<'a> {
    document: &'a str,
    eid: &'a str,
    parent: Option<&'a str>,
    number: Option<&'a str>,
    heading: Option<&'a str>,
}

impl<'a> TreeProvision<'a> {
    fn of((document, eid, parent, number, heading): &'a ProvisionTuple) -> TreeProvision<'a> {
        TreeProvision {
            document,
            eid,
            parent: parent.as_deref(),
            number: number.as_deref(),
            heading: heading.as_deref(),
        }
    }
}

/// A link of a [`LinkedBatch`].
#[derive(Clone, Copy)]
struct TreeLink<'a> {
    document: &'a str,
    eid: &'a str,
    node: &'a str,
    kind: &'a str,
    /// Whether the node is a direction.
    direction: bool,
    framework: &'a str,
}

impl<'a> TreeLink<'a> {
    fn of_fact(
        document: &'a str,
        eid: &'a str,
        l: &'a crate::store::site::LinkFact,
    ) -> TreeLink<'a> {
        TreeLink {
            document,
            eid,
            node: &l.node.id,
            kind: &l.kind,
            direction: l.node_kind == "direction",
            framework: &l.framework_id,
        }
    }

    fn of((document, eid, node, kind, direction, framework): &'a LinkTuple) -> TreeLink<'a> {
        TreeLink {
            document,
            eid,
            node,
            kind,
            direction: *direction,
            framework,
        }
    }
}

/// Whole documents linked to the frameworks walked, as
/// [`Store::walk_linked`] or the site's documents pass hands them over.
struct LinkedBatch<'a> {
    /// Their provisions, by document and order.
    provisions: Vec<TreeProvision<'a>>,
    /// Their links into the frameworks walked, including any to a
    /// provision that does not exist.
    links: Vec<TreeLink<'a>>,
}

/// What a [`LinkedBatch`] holds for one framework.
struct FrameworkBatch<'b> {
    /// The batch's links into the framework.
    links: Vec<TreeLink<'b>>,
    /// The positions in the batch's provisions of those that serve nothing
    /// in the framework, among the documents linked to it.
    unserved: Vec<usize>,
}

impl<'a> LinkedBatch<'a> {
    /// The batch framework by framework (in ID order), for those it links
    /// to. A document counts for a framework only when it links to it.
    fn by_framework(&self) -> BTreeMap<&'a str, FrameworkBatch<'a>> {
        let mut ranges: HashMap<&str, std::ops::Range<usize>> = HashMap::new();
        for (i, p) in self.provisions.iter().enumerate() {
            ranges
                .entry(p.document)
                .and_modify(|r| r.end = i + 1)
                .or_insert(i..i + 1);
        }
        let mut links: BTreeMap<&'a str, Vec<TreeLink<'a>>> = BTreeMap::new();
        for l in &self.links {
            links.entry(l.framework).or_default().push(*l);
        }
        links
            .into_iter()
            .map(|(framework, links)| {
                let linked: HashSet<(&str, &str)> =
                    links.iter().map(|l| (l.document, l.eid)).collect();
                let documents: BTreeSet<&str> = links.iter().map(|l| l.document).collect();
                let mut unserved_at = Vec::new();
                for range in documents.iter().filter_map(|d| ranges.get(d)) {
                    unserved_at.extend(
                        unserved(&self.provisions[range.clone()], &linked)
                            .into_iter()
                            .map(|i| range.start + i),
                    );
                }
                (
                    framework,
                    FrameworkBatch {
                        links,
                        unserved: unserved_at,
                    },
                )
            })
            .collect()
    }
}

/// What the coverage summary of one framework counts while walking.
#[derive(Default)]
struct CoverageTally {
    shown: Vec<ProvisionRef>,
    unlinked: usize,
    links: usize,
    linked_provisions: usize,
    grid_rows: usize,
    implemented: HashSet<String>,
}

/// Counts what [`Store::coverage_summaries`] reports, from whole documents
/// handed over in ID order: by the store's own walk over the linked
/// documents, or by a pass that reads every document anyway (the site's,
/// through [`CoverageCounter::add_document`]), which saves reading the
/// corpus once more. What it holds grows with the number of frameworks
/// and directions, not with the corpus.
///
/// Fed by the site's pass, it does not see provisions or links whose
/// document is missing from the store (never from an import, which
/// refuses them; `check` reports them as broken references).
pub struct CoverageCounter {
    unlinked_shown: usize,
    tallies: BTreeMap<String, CoverageTally>,
}

impl CoverageCounter {
    /// Keeps the first `unlinked_shown` provisions that serve nothing, per
    /// framework.
    pub fn new(unlinked_shown: usize) -> CoverageCounter {
        CoverageCounter {
            unlinked_shown,
            tallies: BTreeMap::new(),
        }
    }

    /// Counts one document of [`Store::site_documents`]. Documents must
    /// come in ID order, as that pass hands them over.
    pub fn add_document(&mut self, d: &crate::store::site::DocumentWithProvisions) {
        // The walk reads provisions in their order in the document; the
        // pass hands them over in tree order.
        let mut order: Vec<&crate::store::site::ProvisionFacts> =
            d.provisions.iter().map(|(_, p)| p).collect();
        order.sort_by(|a, b| (a.ord, &a.eid).cmp(&(b.ord, &b.eid)));
        let provisions = order
            .iter()
            .map(|p| TreeProvision {
                document: &d.facts.id,
                eid: &p.eid,
                parent: p.parent.as_deref(),
                number: p.number.as_deref(),
                heading: p.heading.as_deref(),
            })
            .collect();
        let document = d.facts.id.as_str();
        let links = order
            .iter()
            .flat_map(|p| {
                p.links
                    .iter()
                    .map(|l| TreeLink::of_fact(document, &p.eid, l))
            })
            .chain(
                d.stray_links
                    .iter()
                    .map(|(eid, l)| TreeLink::of_fact(document, eid, l)),
            )
            .collect();
        self.add(&LinkedBatch { provisions, links });
    }

    fn add(&mut self, b: &LinkedBatch<'_>) {
        // Batches hold whole documents, so a provision is counted once.
        let exists: HashSet<(&str, &str)> =
            b.provisions.iter().map(|p| (p.document, p.eid)).collect();
        for (id, part) in b.by_framework() {
            let t = self.tallies.entry(id.to_owned()).or_default();
            for &i in &part.unserved {
                if t.shown.len() < self.unlinked_shown {
                    t.shown.push(provision_ref(&b.provisions[i]));
                }
            }
            t.unlinked += part.unserved.len();
            let mut linked = HashSet::new();
            let mut grid = HashSet::new();
            for l in part.links {
                let key = (l.document, l.eid);
                if !exists.contains(&key) {
                    continue;
                }
                t.links += 1;
                linked.insert(key);
                if l.direction {
                    grid.insert(key);
                    if l.kind == "implements" && !t.implemented.contains(l.node) {
                        t.implemented.insert(l.node.to_owned());
                    }
                }
            }
            t.linked_provisions += linked.len();
            t.grid_rows += grid.len();
        }
    }
}

/// One agreement a partner is party to (or, with no partner, an agreement
/// with a history but no parties recorded).
struct PartyRow {
    document: String,
    title: String,
    instrument: String,
    partner: Option<String>,
    partner_name: Option<String>,
}

impl Store {
    /// Resolves an agency by ID, name in any language, abbreviation or
    /// alias, ignoring case. Unknown names fail with the closest names.
    pub async fn resolve_agency(&self, name: &str) -> Result<String> {
        settle("agency", name, self.agency_resolution(name).await?)
    }

    /// Resolves a partner by ID, name in any language, alias or ISO code,
    /// ignoring case. Unknown names fail with the closest names.
    pub async fn resolve_partner(&self, name: &str) -> Result<String> {
        settle("partner", name, self.partner_resolution(name).await?)
    }

    /// The agencies `name` names, as [`Store::resolve_agency`] reads it.
    async fn agency_resolution(&self, name: &str) -> Result<Resolution> {
        let candidates = self
            .name_candidates(
                "agencies",
                &["name_en", "name_ru", "name_kk", "abbreviation"],
            )
            .await?;
        Ok(resolve(name, &candidates))
    }

    /// The partners `name` names, as [`Store::resolve_partner`] reads it.
    async fn partner_resolution(&self, name: &str) -> Result<Resolution> {
        let candidates = self
            .name_candidates("partners", &["iso", "name_en", "name_ru", "name_kk"])
            .await?;
        Ok(resolve(name, &candidates))
    }

    /// Every record of `table` with the names it can be asked for by: its
    /// ID, the `columns` that hold a name, and its aliases. Table and
    /// column names come from the two callers above, never from input.
    async fn name_candidates(&self, table: &str, columns: &[&str]) -> Result<Vec<Candidate>> {
        let sql = format!(
            "SELECT id, {}, aliases FROM {table} ORDER BY id",
            columns.join(", ")
        );
        let rows = sqlx::query(&sql)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading the names of {table}"))?;
        let mut candidates = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut keys: Vec<String> = vec![get(r, "id")?];
            for col in columns {
                keys.extend(get::<Option<String>>(r, col)?);
            }
            keys.extend(alias_list(&get::<String>(r, "aliases")?));
            candidates.push(Candidate {
                id: get(r, "id")?,
                keys,
            });
        }
        Ok(candidates)
    }

    /// Fails with `NotFound` (and the closest IDs) unless `table` has a row
    /// with exactly this ID. `table` is one of the fixed table names of the
    /// schema.
    pub(crate) async fn require_id(
        &self,
        table: &'static str,
        what: &'static str,
        id: &str,
    ) -> Result<()> {
        let found: Option<i64> = sqlx::query_scalar(&format!("SELECT 1 FROM {table} WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .context(format_args!("looking up {what} `{id}`"))?;
        if found.is_some() {
            return Ok(());
        }
        let ids: Vec<String> = sqlx::query_scalar(&format!("SELECT id FROM {table} ORDER BY id"))
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading {what} IDs"))?;
        let candidates: Vec<Candidate> = ids
            .into_iter()
            .map(|id| Candidate {
                keys: vec![id.clone()],
                id,
            })
            .collect();
        Err(Error::NotFound {
            what,
            name: id.to_owned(),
            suggestions: closest(id, &candidates),
        })
    }

    /// The agency `id`, the agencies under it when `with_subordinates`, and
    /// every predecessor of those (through any succession certainly made by
    /// `today`, transitively), with how its functions came to them: see
    /// [`Inheritance`].
    async fn agency_scope(
        &self,
        id: &str,
        with_subordinates: bool,
        today: NaiveDate,
    ) -> Result<(Vec<String>, HashMap<String, Inheritance>)> {
        use crate::catalog::model::SuccessionKind;
        let mut scope: BTreeSet<String> = BTreeSet::from([id.to_owned()]);
        if with_subordinates {
            let below: Vec<String> = sqlx::query_scalar(
                "WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT a.id FROM agencies a JOIN below ON a.parent_id = below.id)
                 SELECT id FROM below",
            )
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading the agencies under `{id}`"))?;
            scope.extend(below);
        }
        // A succession that may still lie ahead passes nothing on yet.
        type Succession = (
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
        );
        let successions: Vec<Succession> =
            sqlx::query_as(
                "SELECT from_id, to_id, date, date_min, date_max, kind, functions FROM agency_successions
                  WHERE date_max <= ? ORDER BY date_min, from_id, to_id, kind",
            )
            .bind(day(today))
            .fetch_all(&self.pool)
            .await
            .context("reading agency successions")?;
        let partial = |k: SuccessionKind| {
            matches!(
                k,
                SuccessionKind::FunctionsTransferredTo | SuccessionKind::SplitInto
            )
        };
        // Walked back from the scope, breadth first, so each predecessor is
        // reached by its shortest chain; what the chain so far says travels
        // with it.
        let mut inherited: HashMap<String, Inheritance> = HashMap::new();
        // Each agency on the frontier comes with the last day of the step
        // by which it passed its functions on (none for the agencies asked
        // about): a step into it made after that day passed nothing along.
        type Reached = (String, Option<Inheritance>, Option<String>);
        let mut frontier: std::collections::VecDeque<Reached> =
            scope.iter().map(|a| (a.clone(), None, None)).collect();
        while let Some((to, chain, passed_on_by)) = frontier.pop_front() {
            for (from, _, date, date_min, date_max, kind, functions) in
                successions.iter().filter(|s| s.1 == to)
            {
                if scope.contains(from) || inherited.contains_key(from) {
                    continue;
                }
                if passed_on_by.as_ref().is_some_and(|by| date_min > by) {
                    continue;
                }
                let how: SuccessionKind = decode("succession kind", kind)?;
                let step = Inheritance {
                    on: date.clone(),
                    on_max: date_max.clone(),
                    how,
                    functions: if partial(how) {
                        functions.clone()
                    } else {
                        None
                    },
                };
                let through = match &chain {
                    None => step,
                    Some(later) => Inheritance {
                        // Reached the agency asked about with the chain's
                        // latest step.
                        on: if step.on_max > later.on_max {
                            step.on.clone()
                        } else {
                            later.on.clone()
                        },
                        on_max: step.on_max.clone().max(later.on_max.clone()),
                        // A chain passes on only what its narrowest step
                        // passed: the step nearest the agency asked about
                        // that passed only some functions, if any.
                        how: if partial(later.how) || !partial(step.how) {
                            later.how
                        } else {
                            step.how
                        },
                        functions: match (&later.functions, &step.functions) {
                            (Some(a), Some(b)) => Some(format!("{a}; {b}")),
                            (a, b) => a.clone().or_else(|| b.clone()),
                        },
                    },
                };
                inherited.insert(from.clone(), through.clone());
                frontier.push_back((from.clone(), Some(through), Some(date_max.clone())));
            }
        }
        let mut all: Vec<String> = scope.into_iter().collect();
        all.extend(inherited.keys().cloned());
        all.sort();
        Ok((all, inherited))
    }

    /// Obligations matching `q`, in document order.
    pub async fn obligations(&self, q: &ObligationQuery) -> Result<Vec<ObligationRow>> {
        let mut out = Vec::new();
        self.each_obligation(q, |row| {
            out.push(row);
            Ok(())
        })
        .await?;
        Ok(out)
    }

    /// Obligations matching `q`, in document order, handed to `each` as
    /// they are read: SQLite reads one document's rows while `each` deals
    /// with the last, and no more than a few documents' rows are held at
    /// once however many match. Stops at the first error `each` returns.
    pub async fn each_obligation(
        &self,
        q: &ObligationQuery,
        mut each: impl FnMut(ObligationRow) -> Result<()>,
    ) -> Result<()> {
        use futures_util::TryStreamExt;
        let (agencies, inherited) = match &q.agency {
            Some(id) => self.agency_scope(id, q.with_subordinates, q.today).await?,
            None => (Vec::new(), HashMap::new()),
        };
        if let Some(doc) = &q.document {
            self.require_id("documents", "document", doc).await?;
        }
        if let Some(node) = &q.direction {
            self.require_id("framework_nodes", "direction", node)
                .await?;
        }
        let (text, binds) = obligations_sql(q, &agencies, Shape::ByDocument);
        let mut query = sqlx::query_as::<_, (String, String)>(&text);
        for b in &binds {
            query = query.bind(b);
        }
        let mut documents = query.fetch(&self.pool);
        while let Some((document, json)) =
            documents.try_next().await.context("reading obligations")?
        {
            let list: Vec<ObligationJson> = serde_json::from_str(&json).map_err(|e| Error::Db {
                context: format!("decoding the obligations of `{document}`"),
                source: sqlx::Error::Decode(Box::new(e)),
            })?;
            for r in list {
                let recurring = r.recurrence_every.is_some();
                let row = obligation_row(r, q.today, &inherited)?;
                if q.status.is_some_and(|s| s != row.status) {
                    continue;
                }
                // A recurring duty is due before the day when its next
                // occurrence is; one that will not recur is not.
                if let Some(before) = q.due_before
                    && recurring
                    && row.next_due.is_none_or(|next| next >= before)
                {
                    continue;
                }
                each(row)?;
            }
        }
        Ok(())
    }

    /// Every agency's own obligations (not those it inherits), agency by
    /// agency in ID order, each list in document order: what
    /// [`Store::obligations`] gives for an agency with no predecessors,
    /// for all agencies in one pass over the table instead of one query
    /// each (which reads the table in a scattered order, once per agency).
    /// The pass runs in its own task and hands over one agency at a time,
    /// so no more than a few agencies' rows are held at once.
    pub fn own_obligations_by_agency(&self, today: NaiveDate) -> AgencyObligations {
        let store = self.clone();
        AgencyObligations::spawn(move |tx| async move {
            store.send_obligations_by_agency(today, &tx).await
        })
    }

    async fn send_obligations_by_agency(
        &self,
        today: NaiveDate,
        tx: &tokio::sync::mpsc::Sender<Result<(String, Vec<ObligationRow>)>>,
    ) -> Result<()> {
        use futures_util::TryStreamExt;
        let (text, binds) = obligations_sql(&ObligationQuery::new(today), &[], Shape::ByAgency);
        let mut query = sqlx::query_as::<_, (String, String)>(&text);
        for b in &binds {
            query = query.bind(b);
        }
        let mut rows = query.fetch(&self.pool);
        let none = HashMap::new();
        while let Some((agency, json)) = rows
            .try_next()
            .await
            .context("reading obligations by agency")?
        {
            let list: Vec<ObligationJson> = serde_json::from_str(&json).map_err(|e| Error::Db {
                context: format!("decoding the obligations of `{agency}`"),
                source: sqlx::Error::Decode(Box::new(e)),
            })?;
            let rows = list
                .into_iter()
                .map(|r| obligation_row(r, today, &none))
                .collect::<Result<Vec<_>>>()?;
            if tx.send(Ok((agency, rows))).await.is_err() {
                // The reader stopped (an error of its own): nothing to do.
                return Ok(());
            }
        }
        Ok(())
    }

    /// The parties of agreements (documents with parties), one row per
    /// agreement and party, plus agreements with a history but no parties.
    async fn party_rows(&self, q: &AgreementQuery) -> Result<Vec<PartyRow>> {
        let mut s = Sql::default();
        s.push(
            "SELECT ap.document_id, coalesce(d.title_en, d.title_ru, d.title_kk, d.id) AS title, d.kind,
               ap.partner_id, coalesce(pt.name_en, pt.name_ru, pt.name_kk, pt.id) AS partner_name
             FROM agreement_parties ap
             JOIN documents d ON d.id = ap.document_id
             JOIN partners pt ON pt.id = ap.partner_id
             WHERE 1",
        );
        if let Some(p) = &q.partner {
            s.bind(" AND ap.partner_id = ?", p.clone());
        }
        if let Some(a) = &q.agreement {
            s.bind(" AND ap.document_id = ?", a.clone());
        }
        if q.partner.is_none() {
            s.push(
                " UNION ALL SELECT d.id, coalesce(d.title_en, d.title_ru, d.title_kk, d.id), d.kind, NULL, NULL
                  FROM documents d
                  WHERE d.id IN (SELECT document_id FROM agreement_events)
                    AND d.id NOT IN (SELECT document_id FROM agreement_parties)",
            );
            if let Some(a) = &q.agreement {
                s.bind(" AND d.id = ?", a.clone());
            }
        }
        let rows = s.fetch(self, "agreement parties").await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(PartyRow {
                document: get(r, "document_id")?,
                title: get(r, "title")?,
                instrument: get(r, "kind")?,
                partner: get(r, "partner_id")?,
                partner_name: get(r, "partner_name")?,
            });
        }
        out.sort_by(|a, b| a.document.cmp(&b.document));
        Ok(out)
    }

    /// Every event of the given agreements (all when `None`), in recorded
    /// order, grouped by agreement.
    async fn events_of(
        &self,
        agreements: Option<&BTreeSet<String>>,
    ) -> Result<BTreeMap<String, Vec<TimelineEntry>>> {
        let mut s = Sql::default();
        s.push(
            "SELECT e.document_id, e.party_id, e.seq, e.stage, e.date, e.note, e.source_id,
               s.title AS source_title, e.confidence
             FROM agreement_events e JOIN sources s ON s.id = e.source_id",
        );
        if let Some(ids) = agreements {
            s.push(" WHERE e.document_id IN (")
                .bind_all(ids.iter().cloned())
                .push(")");
        }
        s.push(" ORDER BY e.document_id, e.seq");
        let rows = s.fetch(self, "agreement histories").await?;
        let mut out: BTreeMap<String, Vec<TimelineEntry>> = BTreeMap::new();
        for r in &rows {
            let e = timeline_entry(r)?;
            out.entry(e.agreement.clone()).or_default().push(e);
        }
        Ok(out)
    }

    /// Where each agreement stands for each party on `q.as_of`, derived from
    /// the history with date precision respected.
    pub async fn agreements(&self, q: &AgreementQuery) -> Result<Vec<AgreementStatus>> {
        if let Some(a) = &q.agreement {
            self.require_id("documents", "agreement", a).await?;
        }
        let parties = self.party_rows(q).await?;
        let ids: BTreeSet<String> = parties.iter().map(|p| p.document.clone()).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let events = self.events_of(Some(&ids)).await?;
        let mut out = Vec::new();
        for p in parties {
            let history = events.get(&p.document).map(Vec::as_slice).unwrap_or(&[]);
            let scoped = party_scope(history, p.partner.as_deref());
            if let Some(since) = q.changed_since
                && !scoped.iter().any(|e| e.date.latest() >= since)
            {
                continue;
            }
            let status = status_row(&p, &scoped, q.as_of);
            if q.stage.is_some() && status.stage != q.stage {
                continue;
            }
            out.push(status);
        }
        Ok(out)
    }

    /// The histories of the agreements `q` selects (partner, agreement), in
    /// chronological order; with `changed_since`, only events that may fall
    /// on or after it; with `stage`, only events of that stage.
    pub async fn agreement_history(&self, q: &AgreementQuery) -> Result<Vec<TimelineEntry>> {
        if let Some(a) = &q.agreement {
            self.require_id("documents", "agreement", a).await?;
        }
        let parties = self.party_rows(q).await?;
        let ids: BTreeSet<String> = parties.iter().map(|p| p.document.clone()).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let events = self.events_of(Some(&ids)).await?;
        let mut out = Vec::new();
        for (_, history) in events {
            // For one partner, the events its stage is derived from: the
            // agreement's, save those of a stage it has an event of its own.
            let mut kept: Vec<TimelineEntry> = match &q.partner {
                Some(p) => party_scope(&history, Some(p))
                    .into_iter()
                    .cloned()
                    .collect(),
                None => history,
            };
            kept.retain(|e| {
                q.changed_since.is_none_or(|since| e.date.latest() >= since)
                    && q.stage.is_none_or(|s| s == e.stage)
            });
            kept.sort_by_key(|e| (e.date.earliest(), e.stage, e.seq));
            out.extend(kept);
        }
        Ok(out)
    }

    /// One row per partner with where each of its agreements stands on
    /// `as_of`. The headline is the agreement whose stage changed last,
    /// preferring one that has not ended (terminated, expired) to one that
    /// has.
    pub async fn partner_rows(&self, as_of: NaiveDate) -> Result<Vec<PartnerRow>> {
        let partners = sqlx::query(
            "SELECT id, kind, iso, coalesce(name_en, name_ru, name_kk, id) AS name FROM partners ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading partners")?;
        let statuses = self.agreements(&AgreementQuery::new(as_of)).await?;
        let mut by_partner: HashMap<String, Vec<AgreementStatus>> = HashMap::new();
        for s in statuses {
            if let Some(p) = &s.partner {
                by_partner.entry(p.clone()).or_default().push(s);
            }
        }
        let mut out = Vec::with_capacity(partners.len());
        for r in &partners {
            let id: String = get(r, "id")?;
            let agreements = by_partner.remove(&id).unwrap_or_default();
            let headline = agreements
                .iter()
                .filter(|a| a.since.is_some())
                .max_by_key(|a| {
                    let live = !matches!(a.stage, Some(Stage::Terminated | Stage::Expired));
                    (live, a.since.map(|d| d.earliest()), a.stage)
                });
            out.push(PartnerRow {
                partner: id.clone(),
                name: get(r, "name")?,
                kind: get(r, "kind")?,
                iso: get(r, "iso")?,
                agreement: headline.map(|a| a.agreement.clone()),
                stage: headline.and_then(|a| a.stage),
                since: headline.and_then(|a| a.since),
                precision: headline.and_then(|a| a.precision),
                source: headline.and_then(|a| a.source.clone()),
                uncertain: headline.is_some_and(|a| a.uncertain),
                confidence: headline.and_then(|a| a.confidence),
                agreements,
            });
        }
        Ok(out)
    }

    /// The coverage matrix of one framework, or of every framework.
    pub async fn coverage(&self, framework: Option<&str>) -> Result<Vec<CoverageMatrix>> {
        if let Some(f) = framework {
            self.require_id("frameworks", "framework", f).await?;
        }
        let mut out = Vec::new();
        for (id, title) in self.framework_titles(framework).await? {
            out.push(self.coverage_of(id, title).await?);
        }
        Ok(out)
    }

    async fn coverage_of(&self, framework: String, title: String) -> Result<CoverageMatrix> {
        let nodes = self.framework_directions(&framework).await?;
        let links = sqlx::query(&format!("{FRAMEWORK_LINKS}{LINK_ORDER}"))
            .bind(&framework)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading the links into `{framework}`"))?;
        let mut by_node: HashMap<String, Vec<CoverageLink>> = HashMap::new();
        let mut linked: HashSet<(String, String)> = HashSet::new();
        for r in &links {
            let link = coverage_link(r)?;
            linked.insert((link.document.clone(), link.provision.clone()));
            by_node.entry(get(r, "node_id")?).or_default().push(link);
        }
        let mut directions = Vec::new();
        let mut uncovered = Vec::new();
        for n in &nodes {
            let id: String = get(n, "id")?;
            let links = by_node.remove(&id).unwrap_or_default();
            let implemented = links.iter().any(|l| l.link == "implements");
            if !implemented {
                uncovered.push(id.clone());
            }
            directions.push(DirectionCoverage {
                direction: id,
                number: get(n, "number")?,
                title: get(n, "title")?,
                implemented,
                links,
            });
        }

        let mut unlinked = Vec::new();
        self.walk_linked(Some(&framework), |b| {
            for part in b.by_framework().values() {
                unlinked.extend(
                    part.unserved
                        .iter()
                        .map(|&i| provision_ref(&b.provisions[i])),
                );
            }
        })
        .await?;
        let counts = CoverageCounts {
            directions: directions.len(),
            implemented: directions.iter().filter(|d| d.implemented).count(),
            uncovered: uncovered.len(),
            links: links.len(),
            linked_provisions: linked.len(),
            unlinked_provisions: unlinked.len(),
        };
        Ok(CoverageMatrix {
            framework,
            title,
            directions,
            uncovered,
            unlinked_provisions: unlinked,
            counts,
        })
    }

    /// The coverage matrix of one framework cut to what a page can show:
    /// the counts are complete, but of the provisions that serve nothing
    /// only the first `unlinked_shown` are kept (in the order of
    /// [`Store::coverage`]), and the directions' links only when they reach
    /// at most `max_grid` distinct provisions (the rows of the grid).
    /// Everything else is counted while walking the linked documents in
    /// bounded batches, so the summary stays small however large the
    /// corpus.
    pub async fn coverage_summary(
        &self,
        framework: &str,
        unlinked_shown: usize,
        max_grid: usize,
    ) -> Result<CoverageSummary> {
        self.require_id("frameworks", "framework", framework)
            .await?;
        let mut all = self
            .coverage_summaries(Some(framework), unlinked_shown, max_grid)
            .await?;
        Ok(all.pop().expect("the framework exists"))
    }

    /// [`Store::coverage_summary`] of every framework (or of the one
    /// given), in ID order, from one walk over the linked documents: a
    /// document linked to several frameworks is read once.
    pub async fn coverage_summaries(
        &self,
        framework: Option<&str>,
        unlinked_shown: usize,
        max_grid: usize,
    ) -> Result<Vec<CoverageSummary>> {
        // One walk over the linked documents gives, framework by
        // framework, the provisions that serve nothing and, from each
        // batch's links, what the full matrix counts: the links to
        // provisions that exist, the provisions they reach, those reached
        // from directions (the rows of the grid), and the directions
        // something implements.
        let mut counter = CoverageCounter::new(unlinked_shown);
        self.walk_linked(framework, |b| counter.add(b)).await?;
        self.summarise_counted(counter, framework, max_grid).await
    }

    /// The directions that some existing provision implements: those
    /// [`Store::coverage`] marks implemented, without walking the corpus.
    pub async fn implemented_directions(&self) -> Result<HashSet<String>> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT l.node_id FROM provision_links l
               JOIN framework_nodes n ON n.id = l.node_id
               JOIN provisions p ON p.document_id = l.document_id AND p.eid = l.eid
              WHERE l.kind = 'implements' AND n.kind = 'direction'",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading which directions are implemented")?;
        Ok(ids.into_iter().collect())
    }

    /// The summaries of every framework from what `counter` counted over
    /// every document (see [`CoverageCounter::add_document`]): the same as
    /// [`Store::coverage_summaries`] of every framework.
    pub async fn coverage_summaries_counted(
        &self,
        counter: CoverageCounter,
        max_grid: usize,
    ) -> Result<Vec<CoverageSummary>> {
        self.summarise_counted(counter, None, max_grid).await
    }

    async fn summarise_counted(
        &self,
        mut counter: CoverageCounter,
        framework: Option<&str>,
        max_grid: usize,
    ) -> Result<Vec<CoverageSummary>> {
        let frameworks = self.framework_titles(framework).await?;
        let mut out = Vec::with_capacity(frameworks.len());
        for (id, title) in frameworks {
            let tally = counter.tallies.remove(&id).unwrap_or_default();
            out.push(self.summarise(id, title, tally, max_grid).await?);
        }
        Ok(out)
    }

    /// The summary of one framework from what the walk counted.
    async fn summarise(
        &self,
        framework: String,
        title: String,
        tally: CoverageTally,
        max_grid: usize,
    ) -> Result<CoverageSummary> {
        let nodes = self.framework_directions(&framework).await?;
        let grid_kept = tally.grid_rows <= max_grid;
        let mut by_node: HashMap<String, Vec<CoverageLink>> = HashMap::new();
        if grid_kept {
            let rows = sqlx::query(&format!(
                "{FRAMEWORK_LINKS} AND n.kind = 'direction'{LINK_ORDER}"
            ))
            .bind(&framework)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading the links into `{framework}`"))?;
            for r in &rows {
                by_node
                    .entry(get(r, "node_id")?)
                    .or_default()
                    .push(coverage_link(r)?);
            }
        }
        let mut directions = Vec::new();
        let mut uncovered = Vec::new();
        for n in &nodes {
            let id: String = get(n, "id")?;
            let implemented = tally.implemented.contains(&id);
            if !implemented {
                uncovered.push(id.clone());
            }
            directions.push(DirectionCoverage {
                links: by_node.remove(&id).unwrap_or_default(),
                direction: id,
                number: get(n, "number")?,
                title: get(n, "title")?,
                implemented,
            });
        }
        let counts = CoverageCounts {
            directions: directions.len(),
            implemented: directions.iter().filter(|d| d.implemented).count(),
            uncovered: uncovered.len(),
            links: tally.links,
            linked_provisions: tally.linked_provisions,
            unlinked_provisions: tally.unlinked,
        };
        Ok(CoverageSummary {
            matrix: CoverageMatrix {
                framework,
                title,
                directions,
                uncovered,
                unlinked_provisions: tally.shown,
                counts,
            },
            grid_rows: tally.grid_rows,
            grid_kept,
        })
    }

    /// A batch of at most `limit` links into one direction, in the order of
    /// the matrix (document, provision order, link type), after `after`
    /// (the last link of the previous batch): for writing the whole matrix
    /// without holding it.
    pub async fn coverage_links(
        &self,
        direction: &str,
        after: Option<&CoverageLink>,
        limit: i64,
    ) -> Result<Vec<CoverageLink>> {
        // Keyset pagination on the order's key; the eId breaks ties between
        // provisions that share an order, so that no batch skips a link.
        let mut sql = String::from(
            "SELECT json_group_array(json_array(document_id, eid, number, kind, ord, confidence)) FROM (
               SELECT l.document_id, l.eid, p.number, l.kind, p.ord, l.confidence
                 FROM provision_links l
                 JOIN provisions p ON p.document_id = l.document_id AND p.eid = l.eid
                WHERE l.node_id = ?1",
        );
        if after.is_some() {
            sql.push_str(
                " AND (l.document_id, p.ord, l.kind, l.eid)
                    > (?2, (SELECT ord FROM provisions WHERE document_id = ?2 AND eid = ?3), ?4, ?3)",
            );
        }
        sql.push_str(" ORDER BY l.document_id, p.ord, l.kind, l.eid LIMIT ?5)");
        let text: Option<String> = sqlx::query_scalar(&sql)
            .bind(direction)
            .bind(after.map_or("", |l| l.document.as_str()))
            .bind(after.map_or("", |l| l.provision.as_str()))
            .bind(after.map_or("", |l| l.link.as_str()))
            .bind(limit)
            .fetch_one(&self.pool)
            .await
            .context(format_args!("reading the links into `{direction}`"))?;
        type Row = (String, String, Option<String>, String, i64, String);
        let rows: Vec<Row> = decode_json(text, &format!("the links into `{direction}`"))?;
        Ok(rows
            .into_iter()
            .map(
                |(document, provision, number, link, ord, confidence)| CoverageLink {
                    document,
                    provision,
                    number,
                    link,
                    ord,
                    confidence,
                },
            )
            .collect())
    }

    /// Every framework (or the one given) with its title, in ID order.
    async fn framework_titles(&self, framework: Option<&str>) -> Result<Vec<(String, String)>> {
        let mut s = Sql::default();
        s.push("SELECT id, coalesce(title_en, title_ru, title_kk, id) AS title FROM frameworks");
        if let Some(f) = framework {
            s.bind(" WHERE id = ?", f);
        }
        s.push(" ORDER BY id");
        s.fetch(self, "frameworks")
            .await?
            .iter()
            .map(|r| Ok((get(r, "id")?, get(r, "title")?)))
            .collect()
    }

    /// The directions of a framework, in the framework's order.
    async fn framework_directions(&self, framework: &str) -> Result<Vec<SqliteRow>> {
        sqlx::query(
            "SELECT id, number, coalesce(title_en, title_ru, title_kk, id) AS title
             FROM framework_nodes WHERE framework_id = ? AND kind = 'direction' ORDER BY ord, id",
        )
        .bind(framework)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the nodes of `{framework}`"))
    }

    /// Hands `each`, in document order, the documents linked to
    /// `framework` (or to any framework) a batch at a time, with their
    /// links into it. Documents are listed by ID a page at a time (keyset
    /// pagination) and read in batches of at most [`COVERAGE_BUDGET`]
    /// provisions, each batch's provisions and links as one JSON array: a
    /// framework linked from the whole corpus is never held at once, and
    /// SQLite does not hand over a row per provision.
    async fn walk_linked(
        &self,
        framework: Option<&str>,
        mut each: impl FnMut(&LinkedBatch<'_>),
    ) -> Result<()> {
        let what = match framework {
            Some(f) => format!("`{f}`"),
            None => "the frameworks".to_owned(),
        };
        let mut after = String::new();
        loop {
            // The unary `+` keeps SQLite from starting at the frameworks'
            // nodes, which would read all of their links for every page:
            // the links are walked in document order instead, from the
            // page's start, on their primary key.
            let text: Option<String> = sqlx::query_scalar(
                "SELECT json_group_array(json_array(d,
                        (SELECT count(*) FROM provisions p WHERE p.document_id = d)))
                   FROM (SELECT DISTINCT l.document_id AS d FROM provision_links l
                          WHERE l.document_id > ?2
                            AND +l.node_id IN (SELECT id FROM framework_nodes
                                                WHERE ?1 IS NULL OR framework_id = ?1)
                          ORDER BY l.document_id LIMIT ?3)",
            )
            .bind(framework)
            .bind(&after)
            .bind(COVERAGE_DOCUMENTS)
            .fetch_one(&self.pool)
            .await
            .context(format_args!("listing the documents linked to {what}"))?;
            let mut listed: Vec<(String, i64)> =
                decode_json(text, &format!("the documents linked to {what}"))?;
            listed.sort();
            let mut rest = listed.as_slice();
            while !rest.is_empty() {
                let take = super::rows::batch_len(rest, COVERAGE_BUDGET);
                let (batch, tail) = rest.split_at(take);
                rest = tail;
                let ids = || batch.iter().map(|(id, _)| id.clone());
                let mut s = Sql::default();
                s.push(
                    "SELECT json_group_array(json_array(document_id, eid, parent_eid, number, heading))
                       FROM (SELECT document_id, eid, parent_eid, number, heading FROM provisions
                              WHERE document_id IN (",
                )
                .bind_all(ids())
                .push(") ORDER BY document_id, ord)");
                let provisions: Vec<ProvisionTuple> = s
                    .fetch_json(self, &format!("the provisions linked to {what}"))
                    .await?;
                // `CROSS JOIN` makes SQLite read the batch's links by
                // document rather than all of the frameworks' links.
                let mut s = Sql::default();
                s.push(
                    "SELECT json_group_array(json_array(l.document_id, l.eid, l.node_id, l.kind,
                              json(iif(n.kind = 'direction', 'true', 'false')), n.framework_id))
                       FROM provision_links l CROSS JOIN framework_nodes n ON n.id = l.node_id
                      WHERE l.document_id IN (",
                )
                .bind_all(ids())
                .push(")");
                if let Some(f) = framework {
                    s.bind(" AND n.framework_id = ?", f);
                }
                let links: Vec<LinkTuple> = s
                    .fetch_json(self, &format!("the links into {what}"))
                    .await?;
                each(&LinkedBatch {
                    provisions: provisions.iter().map(TreeProvision::of).collect(),
                    links: links.iter().map(TreeLink::of).collect(),
                });
            }
            match listed.last() {
                Some((last, _)) if listed.len() as i64 == COVERAGE_DOCUMENTS => {
                    after = last.clone()
                }
                _ => break,
            }
        }
        Ok(())
    }
}

impl Store {
    /// Full-text search, best first (bm25, titles weighing more than
    /// bodies), with the matched words marked in a snippet.
    pub async fn search(&self, q: &SearchQuery) -> Result<Vec<SearchHit>> {
        let Some(expr) = fts_query(&q.text) else {
            return Err(Error::Usage("search for at least one word".into()));
        };
        if let Some(doc) = &q.document {
            self.require_id("documents", "document", doc).await?;
        }
        let (sql, binds) = search_sql(q, &expr);
        let rows = Sql { text: sql, binds }
            .fetch(self, "the search index")
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let kind: String = get(r, "kind")?;
            let kind = match kind.as_str() {
                "document" => SearchKind::Document,
                "provision" => SearchKind::Provision,
                "obligation" => SearchKind::Obligation,
                "agency" => SearchKind::Agency,
                "partner" => SearchKind::Partner,
                _ => SearchKind::Node,
            };
            let key: String = get(r, "key")?;
            let document: String = get(r, "document_id")?;
            let document = (!document.is_empty()).then_some(document);
            let id = match (kind, &document) {
                (SearchKind::Provision, Some(d)) => format!("{d}#{key}"),
                _ => key,
            };
            out.push(SearchHit {
                kind,
                id,
                document: document.filter(|_| kind != SearchKind::Document),
                title: get::<Option<String>>(r, "title")?.unwrap_or_default(),
                snippet: get(r, "snippet")?,
                rank: get(r, "rank")?,
            });
        }
        Ok(out)
    }
}

/// Turns what someone typed into an FTS5 query: every word must appear;
/// each word is quoted, so FTS5 operators and punctuation are plain text; a
/// trailing `*` keeps its meaning of "starts with".
pub fn fts_query(text: &str) -> Option<String> {
    let words: Vec<String> = text
        .split_whitespace()
        .filter_map(|w| {
            let (w, prefix) = match w.strip_suffix('*') {
                Some(w) => (w, true),
                None => (w, false),
            };
            let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '*');
            if w.is_empty() {
                return None;
            }
            let quoted = format!("\"{}\"", w.replace('"', "\"\""));
            Some(if prefix { format!("{quoted}*") } else { quoted })
        })
        .collect();
    (!words.is_empty()).then(|| words.join(" "))
}

/// The SQL of `lextrack search`. The best hits are chosen first from the
/// index alone; titles and snippets are made for those only.
pub fn search_sql(q: &SearchQuery, expr: &str) -> (String, Vec<String>) {
    let mut s = Sql::default();
    s.push(
        "WITH best AS MATERIALIZED (
           SELECT search.rowid AS id, bm25(search, 4.0, 1.0) AS rank
           FROM search",
    );
    if q.kind.is_some() || q.document.is_some() {
        s.push(" JOIN search_keys k ON k.id = search.rowid");
    }
    s.bind(" WHERE search MATCH ?", expr);
    if let Some(kind) = q.kind {
        s.bind(" AND k.kind = ?", kind.as_str());
    }
    if let Some(doc) = &q.document {
        s.bind(" AND k.document_id = ?", doc.clone());
    }
    s.bind(" ORDER BY rank LIMIT ?", q.limit.to_string());
    s.push(
        ")
         SELECT k.kind, k.document_id, k.key, best.rank,
           CASE k.kind
             WHEN 'document' THEN (SELECT coalesce(title_en, title_ru, title_kk) FROM documents WHERE id = k.key)
             WHEN 'provision' THEN (SELECT coalesce(heading, kind || ' ' || coalesce(number, '')) FROM provisions
                                    WHERE document_id = k.document_id AND eid = k.key)
             WHEN 'obligation' THEN (SELECT action FROM obligations WHERE id = k.key)
             WHEN 'agency' THEN (SELECT coalesce(name_en, name_ru, name_kk) FROM agencies WHERE id = k.key)
             WHEN 'partner' THEN (SELECT coalesce(name_en, name_ru, name_kk) FROM partners WHERE id = k.key)
             ELSE (SELECT coalesce(title_en, title_ru, title_kk) FROM framework_nodes WHERE id = k.key)
           END AS title,",
    )
    .bind(" snippet(search, -1, ?", q.highlight.0.clone())
    .bind(", ?, '…', 16) AS snippet", q.highlight.1.clone())
    .push(
        "
         FROM best
         JOIN search ON search.rowid = best.id
         JOIN search_keys k ON k.id = best.id",
    )
    .bind(" WHERE search MATCH ?", expr)
    .push(" ORDER BY best.rank, k.kind, k.key");
    (s.text, s.binds)
}

impl Store {
    /// Any entity by ID: `doc#eid` for a provision, else a document
    /// (agreements included), a framework, a framework node, an agency, a
    /// partner or an obligation, in that order; an agency or partner may
    /// also be named as `--agency` and `--partner` accept. Unknown IDs fail
    /// with the closest IDs.
    pub async fn show(&self, id: &str, today: NaiveDate) -> Result<EntityView> {
        if let Some((doc, eid)) = id.split_once('#') {
            return Ok(EntityView::Provision(Box::new(
                self.provision_view(doc, eid, today).await?,
            )));
        }
        for (table, kind) in [
            ("documents", 0),
            ("frameworks", 4),
            ("framework_nodes", 1),
            ("agencies", 2),
            ("partners", 3),
            ("obligations", 5),
        ] {
            let found: Option<i64> =
                sqlx::query_scalar(&format!("SELECT 1 FROM {table} WHERE id = ?"))
                    .bind(id)
                    .fetch_optional(&self.pool)
                    .await
                    .context(format_args!("looking up `{id}`"))?;
            if found.is_some() {
                return Ok(match kind {
                    0 => EntityView::Document(Box::new(self.document_view(id, today).await?)),
                    1 => EntityView::Node(Box::new(self.node_view(id).await?)),
                    2 => EntityView::Agency(Box::new(self.agency_view(id).await?)),
                    4 => EntityView::Framework(Box::new(self.framework_view(id).await?)),
                    3 => EntityView::Partner(Box::new(self.partner_view(id, today).await?)),
                    _ => EntityView::Obligation(Box::new(self.obligation_view(id, today).await?)),
                });
            }
        }
        // A name that several agencies or partners answer to (an agency
        // and a partner alike) is a usage error naming them, as it is for
        // --agency and --partner; a name that none answers to falls
        // through to the suggestions below.
        let agencies = self.agency_resolution(id).await?;
        let partners = self.partner_resolution(id).await?;
        match (agencies, partners) {
            (Resolution::Found(agency), Resolution::NotFound(_)) => {
                return Ok(EntityView::Agency(Box::new(
                    self.agency_view(&agency).await?,
                )));
            }
            (Resolution::NotFound(_), Resolution::Found(partner)) => {
                return Ok(EntityView::Partner(Box::new(
                    self.partner_view(&partner, today).await?,
                )));
            }
            (Resolution::Ambiguous(ids), Resolution::NotFound(_)) => {
                return Err(ambiguous("agency", id, &ids));
            }
            (Resolution::NotFound(_), Resolution::Ambiguous(ids)) => {
                return Err(ambiguous("partner", id, &ids));
            }
            (Resolution::NotFound(_), Resolution::NotFound(_)) => {}
            (a, p) => {
                let named = |what: &str, r: Resolution| match r {
                    Resolution::Found(id) => vec![format!("{what} `{id}`")],
                    Resolution::Ambiguous(ids) => {
                        ids.iter().map(|i| format!("{what} `{i}`")).collect()
                    }
                    Resolution::NotFound(_) => Vec::new(),
                };
                let mut all = named("agency", a);
                all.extend(named("partner", p));
                return Err(Error::Usage(format!(
                    "name `{id}` is ambiguous: it names {}; use an ID",
                    all.join(", ")
                )));
            }
        }
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM documents UNION SELECT id FROM frameworks
             UNION SELECT id FROM framework_nodes
             UNION SELECT id FROM agencies UNION SELECT id FROM partners
             UNION SELECT id FROM obligations",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading IDs")?;
        let candidates: Vec<Candidate> = ids
            .into_iter()
            .map(|id| Candidate {
                keys: vec![id.clone()],
                id,
            })
            .collect();
        Err(Error::NotFound {
            what: "record",
            name: id.to_owned(),
            suggestions: closest(id, &candidates),
        })
    }

    async fn one(&self, sql: &str, id: &str, what: &'static str) -> Result<SqliteRow> {
        match sqlx::query(sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .context(format_args!("reading {what} `{id}`"))?
        {
            Some(r) => Ok(r),
            None => Err(Error::NotFound {
                what,
                name: id.to_owned(),
                suggestions: Vec::new(),
            }),
        }
    }

    async fn relations(&self, doc: &str, incoming: bool) -> Result<Vec<RelationView>> {
        let sql = if incoming {
            "SELECT r.kind, r.from_id AS other, coalesce(d.title_en, d.title_ru, d.title_kk, d.id) AS title, r.date, r.source_id
             FROM document_relations r JOIN documents d ON d.id = r.from_id WHERE r.to_id = ? ORDER BY r.from_id, r.kind"
        } else {
            "SELECT r.kind, r.to_id AS other, coalesce(d.title_en, d.title_ru, d.title_kk, d.id) AS title, r.date, r.source_id
             FROM document_relations r JOIN documents d ON d.id = r.to_id WHERE r.from_id = ? ORDER BY r.ord, r.kind"
        };
        let rows = sqlx::query(sql)
            .bind(doc)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading the relations of `{doc}`"))?;
        rows.iter()
            .map(|r| {
                Ok(RelationView {
                    relation: get(r, "kind")?,
                    document: get(r, "other")?,
                    title: get(r, "title")?,
                    date: get(r, "date")?,
                    source: get(r, "source_id")?,
                })
            })
            .collect()
    }

    /// A document with its relations; for an agreement, its parties, its
    /// stage for each party on `today` and its timeline.
    pub async fn document_view(&self, id: &str, today: NaiveDate) -> Result<DocumentView> {
        let r = self
            .one("SELECT * FROM documents WHERE id = ?", id, "document")
            .await?;
        let (provisions, obligations): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM provisions WHERE document_id = ?1),
                    (SELECT count(*) FROM obligations WHERE document_id = ?1)",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .context(format_args!("counting the provisions of `{id}`"))?;
        let frameworks: Vec<String> =
            sqlx::query_scalar("SELECT id FROM frameworks WHERE document_id = ? ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await
                .context(format_args!("reading the frameworks of `{id}`"))?;
        let parties: Vec<String> = sqlx::query_scalar(
            "SELECT partner_id FROM agreement_parties WHERE document_id = ? ORDER BY ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the parties of `{id}`"))?;
        let mut q = AgreementQuery::new(today);
        q.agreement = Some(id.to_owned());
        let timeline = self.agreement_history(&q).await?;
        let status_now = if timeline.is_empty() && parties.is_empty() {
            Vec::new()
        } else {
            self.agreements(&q).await?
        };
        let title: Option<String> = get(&r, "title_en")?;
        let title_ru: Option<String> = get(&r, "title_ru")?;
        let title_kk: Option<String> = get(&r, "title_kk")?;
        Ok(DocumentView {
            id: id.to_owned(),
            kind: get(&r, "kind")?,
            work_id: get(&r, "work_id")?,
            number: get(&r, "number")?,
            title: title
                .or(title_ru.clone())
                .or(title_kk.clone())
                .unwrap_or_default(),
            title_ru,
            title_kk,
            issuer: get(&r, "issuer_id")?,
            jurisdiction: get(&r, "jurisdiction")?,
            adopted: get(&r, "adopted")?,
            in_force: get(&r, "in_force")?,
            expires: get(&r, "expires")?,
            repealed: get(&r, "repealed")?,
            status: get(&r, "status")?,
            url: get(&r, "url")?,
            note: get(&r, "note")?,
            source: get(&r, "source_id")?,
            confidence: parse(&r, "confidence")?,
            provisions,
            obligations,
            relations: self.relations(id, false).await?,
            related_by: self.relations(id, true).await?,
            frameworks,
            parties,
            status_now,
            timeline,
        })
    }

    /// A provision with its parent, children, framework links, obligations
    /// and the documents that amend, repeal or supersede its document.
    pub async fn provision_view(
        &self,
        doc: &str,
        eid: &str,
        today: NaiveDate,
    ) -> Result<ProvisionView> {
        self.require_id("documents", "document", doc).await?;
        let row = sqlx::query(
            "SELECT p.*, coalesce(d.title_en, d.title_ru, d.title_kk, d.id) AS document_title,
               coalesce(p.source_id, d.source_id) AS source
             FROM provisions p JOIN documents d ON d.id = p.document_id
             WHERE p.document_id = ? AND p.eid = ?",
        )
        .bind(doc)
        .bind(eid)
        .fetch_optional(&self.pool)
        .await
        .context(format_args!("reading provision `{doc}#{eid}`"))?;
        let Some(r) = row else {
            let eids: Vec<String> =
                sqlx::query_scalar("SELECT eid FROM provisions WHERE document_id = ? ORDER BY ord")
                    .bind(doc)
                    .fetch_all(&self.pool)
                    .await
                    .context(format_args!("reading the provisions of `{doc}`"))?;
            let candidates: Vec<Candidate> = eids
                .into_iter()
                .map(|e| Candidate {
                    keys: vec![format!("{doc}#{e}")],
                    id: e,
                })
                .collect();
            let name = format!("{doc}#{eid}");
            return Err(Error::NotFound {
                what: "provision",
                suggestions: closest(&name, &candidates),
                name,
            });
        };
        let children = sqlx::query(
            "SELECT eid, number, heading FROM provisions WHERE document_id = ? AND parent_eid = ? ORDER BY ord",
        )
        .bind(doc)
        .bind(eid)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the provisions under `{doc}#{eid}`"))?;
        let children = children
            .iter()
            .map(|c| {
                Ok(ProvisionRef {
                    document: doc.to_owned(),
                    provision: get(c, "eid")?,
                    number: get(c, "number")?,
                    heading: get(c, "heading")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let links = sqlx::query(
            "SELECT l.node_id, coalesce(n.title_en, n.title_ru, n.title_kk, n.id) AS title, n.framework_id,
               l.kind, l.note, l.source_id
             FROM provision_links l JOIN framework_nodes n ON n.id = l.node_id
             WHERE l.document_id = ? AND l.eid = ? ORDER BY l.ord",
        )
        .bind(doc)
        .bind(eid)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the links of `{doc}#{eid}`"))?;
        let links = links
            .iter()
            .map(|l| {
                Ok(LinkView {
                    node: get(l, "node_id")?,
                    node_title: get(l, "title")?,
                    framework: get(l, "framework_id")?,
                    link: get(l, "kind")?,
                    note: get(l, "note")?,
                    source: get(l, "source_id")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let mut q = ObligationQuery::new(today);
        q.document = Some(doc.to_owned());
        let obligations = self
            .obligations(&q)
            .await?
            .into_iter()
            .filter(|o| o.provision == eid)
            .collect();
        let amended_by = self
            .relations(doc, true)
            .await?
            .into_iter()
            .filter(|r| matches!(r.relation.as_str(), "amends" | "repeals" | "supersedes"))
            .collect();
        Ok(ProvisionView {
            id: format!("{doc}#{eid}"),
            document: doc.to_owned(),
            document_title: get(&r, "document_title")?,
            provision: eid.to_owned(),
            kind: get(&r, "kind")?,
            number: get(&r, "number")?,
            heading: get(&r, "heading")?,
            text: get(&r, "text")?,
            text_kind: get(&r, "text_kind")?,
            valid_from: get(&r, "valid_from")?,
            valid_to: get(&r, "valid_to")?,
            parent: get(&r, "parent_eid")?,
            children,
            links,
            obligations,
            amended_by,
            source: get(&r, "source")?,
            confidence: parse(&r, "confidence")?,
        })
    }

    /// A framework node with its children and the provisions linked to it.
    pub async fn framework_view(&self, id: &str) -> Result<FrameworkView> {
        let r = self
            .one(
                "SELECT f.*, coalesce(f.title_en, f.title_ru, f.title_kk, f.id) AS title
                 FROM frameworks f WHERE f.id = ?",
                id,
                "framework",
            )
            .await?;
        let nodes = sqlx::query(
            "SELECT n.id, n.kind, n.number, n.parent_id,
                    coalesce(n.title_en, n.title_ru, n.title_kk, n.id) AS title,
                    (SELECT count(*) FROM provision_links l WHERE l.node_id = n.id) AS links
               FROM framework_nodes n WHERE n.framework_id = ? ORDER BY n.ord, n.id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the nodes of `{id}`"))?;
        let nodes = nodes
            .iter()
            .map(|n| {
                Ok(FrameworkNodeRow {
                    id: get(n, "id")?,
                    kind: get(n, "kind")?,
                    number: get(n, "number")?,
                    title: get(n, "title")?,
                    parent: get(n, "parent_id")?,
                    links: get(n, "links")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(FrameworkView {
            id: id.to_owned(),
            title: get(&r, "title")?,
            document: get(&r, "document_id")?,
            note: get(&r, "note")?,
            nodes,
            source: get(&r, "source_id")?,
            confidence: parse(&r, "confidence")?,
        })
    }

    pub async fn node_view(&self, id: &str) -> Result<NodeView> {
        let r = self
            .one(
                "SELECT n.*, coalesce(n.title_en, n.title_ru, n.title_kk, n.id) AS title,
                   coalesce(f.title_en, f.title_ru, f.title_kk, f.id) AS framework_title
                 FROM framework_nodes n JOIN frameworks f ON f.id = n.framework_id WHERE n.id = ?",
                id,
                "framework node",
            )
            .await?;
        let children: Vec<String> =
            sqlx::query_scalar("SELECT id FROM framework_nodes WHERE parent_id = ? ORDER BY ord")
                .bind(id)
                .fetch_all(&self.pool)
                .await
                .context(format_args!("reading the nodes under `{id}`"))?;
        let links = sqlx::query(
            "SELECT l.document_id, l.eid, p.number, l.kind, p.ord, l.confidence
               FROM provision_links l
             JOIN provisions p ON p.document_id = l.document_id AND p.eid = l.eid
             WHERE l.node_id = ? ORDER BY l.document_id, p.ord",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the links into `{id}`"))?;
        let links = links
            .iter()
            .map(|l| {
                Ok(CoverageLink {
                    document: get(l, "document_id")?,
                    provision: get(l, "eid")?,
                    number: get(l, "number")?,
                    link: get(l, "kind")?,
                    ord: get(l, "ord")?,
                    confidence: get(l, "confidence")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // What `obligations --direction` lists for this node: the node and
        // the nodes below it, the provisions linked to them and the
        // provisions below those (a paragraph of a linked article).
        let obligations: i64 = sqlx::query_scalar(
            "WITH RECURSIVE nodes(id) AS (
               SELECT ?1 UNION SELECT n.id FROM framework_nodes n JOIN nodes ON n.parent_id = nodes.id),
             linked(document_id, eid) AS (
               SELECT l.document_id, l.eid FROM provision_links l JOIN nodes ON l.node_id = nodes.id
               UNION SELECT p.document_id, p.eid FROM provisions p
                 JOIN linked ON p.document_id = linked.document_id AND p.parent_eid = linked.eid)
             SELECT count(*) FROM obligations o
             WHERE (o.document_id, o.eid) IN (SELECT document_id, eid FROM linked)",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .context(format_args!("counting the obligations under `{id}`"))?;
        Ok(NodeView {
            id: id.to_owned(),
            kind: get(&r, "kind")?,
            framework: get(&r, "framework_id")?,
            framework_title: get(&r, "framework_title")?,
            number: get(&r, "number")?,
            title: get(&r, "title")?,
            text: get(&r, "text")?,
            parent: get(&r, "parent_id")?,
            children,
            links,
            obligations,
            source: get(&r, "source_id")?,
            confidence: parse(&r, "confidence")?,
        })
    }

    async fn successions(&self, id: &str, incoming: bool) -> Result<Vec<SuccessionView>> {
        let sql = if incoming {
            "SELECT * FROM agency_successions WHERE to_id = ? ORDER BY date_min, from_id"
        } else {
            "SELECT * FROM agency_successions WHERE from_id = ? ORDER BY date_min, to_id"
        };
        let rows = sqlx::query(sql)
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading the successions of `{id}`"))?;
        rows.iter()
            .map(|r| {
                Ok(SuccessionView {
                    from: get(r, "from_id")?,
                    to: get(r, "to_id")?,
                    kind: get(r, "kind")?,
                    date: get(r, "date")?,
                    functions: get(r, "functions")?,
                    source: get(r, "source_id")?,
                })
            })
            .collect()
    }

    /// An agency with its hierarchy, successions, obligations by role and
    /// the documents it issued.
    pub async fn agency_view(&self, id: &str) -> Result<AgencyView> {
        let r = self
            .one("SELECT * FROM agencies WHERE id = ?", id, "agency")
            .await?;
        let subordinates: Vec<String> =
            sqlx::query_scalar("SELECT id FROM agencies WHERE parent_id = ? ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await
                .context(format_args!("reading the agencies under `{id}`"))?;
        let obligations: Vec<(String, i64)> = sqlx::query_as(
            "SELECT role, count(*) FROM obligations WHERE agency_id = ? GROUP BY role ORDER BY role",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("counting the obligations of `{id}`"))?;
        let documents_issued: Vec<String> =
            sqlx::query_scalar("SELECT id FROM documents WHERE issuer_id = ? ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await
                .context(format_args!("reading the documents of `{id}`"))?;
        let name_en: Option<String> = get(&r, "name_en")?;
        let name_ru: Option<String> = get(&r, "name_ru")?;
        let name_kk: Option<String> = get(&r, "name_kk")?;
        Ok(AgencyView {
            id: id.to_owned(),
            kind: get(&r, "kind")?,
            name: name_en
                .or(name_ru.clone())
                .or(name_kk.clone())
                .unwrap_or_else(|| id.to_owned()),
            name_ru,
            name_kk,
            abbreviation: get(&r, "abbreviation")?,
            aliases: alias_list(&get::<String>(&r, "aliases")?),
            parent: get(&r, "parent_id")?,
            subordinates,
            jurisdiction: get(&r, "jurisdiction")?,
            established: get(&r, "established")?,
            abolished: get(&r, "abolished")?,
            predecessors: self.successions(id, true).await?,
            successors: self.successions(id, false).await?,
            obligations,
            documents_issued,
            note: get(&r, "note")?,
            source: get(&r, "source_id")?,
            confidence: parse(&r, "confidence")?,
        })
    }

    /// A partner with its agreements (stage on `today`) and the claims
    /// sources made about it.
    pub async fn partner_view(&self, id: &str, today: NaiveDate) -> Result<PartnerView> {
        let r = self
            .one("SELECT * FROM partners WHERE id = ?", id, "partner")
            .await?;
        let mut q = AgreementQuery::new(today);
        q.partner = Some(id.to_owned());
        let agreements = self.agreements(&q).await?;
        let claims = sqlx::query("SELECT * FROM claims WHERE partner_id = ? ORDER BY stated, id")
            .bind(id)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading the claims about `{id}`"))?;
        let claims = claims
            .iter()
            .map(|c| {
                Ok(ClaimView {
                    id: get(c, "id")?,
                    agreement: get(c, "document_id")?,
                    stage: get(c, "stage")?,
                    stated: get(c, "stated")?,
                    statement: get(c, "statement")?,
                    correction: get(c, "correction")?,
                    correction_source: get(c, "correction_source_id")?,
                    source: get(c, "source_id")?,
                    confidence: parse(c, "confidence")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let name_en: Option<String> = get(&r, "name_en")?;
        let name_ru: Option<String> = get(&r, "name_ru")?;
        let name_kk: Option<String> = get(&r, "name_kk")?;
        Ok(PartnerView {
            id: id.to_owned(),
            kind: get(&r, "kind")?,
            iso: get(&r, "iso")?,
            name: name_en
                .or(name_ru.clone())
                .or(name_kk.clone())
                .unwrap_or_else(|| id.to_owned()),
            name_ru,
            name_kk,
            aliases: alias_list(&get::<String>(&r, "aliases")?),
            agreements,
            claims,
            note: get(&r, "note")?,
            source: get(&r, "source_id")?,
            confidence: parse(&r, "confidence")?,
        })
    }

    /// An obligation as `lextrack obligations` lists it on `today`, with
    /// its note, the provision it sits in and its recorded status history.
    pub async fn obligation_view(&self, id: &str, today: NaiveDate) -> Result<ObligationView> {
        self.require_id("obligations", "obligation", id).await?;
        let mut q = ObligationQuery::new(today);
        q.id = Some(id.to_owned());
        let Some(row) = self.obligations(&q).await?.pop() else {
            // Its agency, document or provision is missing (`check` says
            // which; an import refuses that): there is no row to show.
            return Err(Error::NotFound {
                what: "obligation (with its agency and provision)",
                name: id.to_owned(),
                suggestions: Vec::new(),
            });
        };
        let (note, heading): (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT o.note, p.heading FROM obligations o
             JOIN provisions p ON p.document_id = o.document_id AND p.eid = o.eid
             WHERE o.id = ?",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .context(format_args!("reading obligation `{id}`"))?;
        let history = sqlx::query(
            "SELECT e.seq, e.status, e.date, e.note, e.source_id, coalesce(s.title, '') AS source_title,
                    e.confidence, e.forced
             FROM obligation_events e LEFT JOIN sources s ON s.id = e.source_id
             WHERE e.obligation_id = ? ORDER BY e.seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the history of obligation `{id}`"))?
        .iter()
        .map(|r| {
            Ok(ObligationChange {
                seq: get(r, "seq")?,
                status: parse(r, "status")?,
                date: parse(r, "date")?,
                note: get(r, "note")?,
                source: get(r, "source_id")?,
                source_title: get(r, "source_title")?,
                confidence: parse(r, "confidence")?,
                forced: get(r, "forced")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(ObligationView {
            provision_id: format!("{}#{}", row.document, row.provision),
            id: row.id,
            agency: row.agency,
            agency_name: row.agency_name,
            role: row.role,
            modality: row.modality,
            action: row.action,
            note,
            document: row.document,
            document_title: row.document_title,
            provision: row.provision,
            provision_number: row.provision_number,
            provision_heading: heading,
            due: row.due,
            next_due: row.next_due,
            status: row.status,
            status_since: row.status_since,
            status_source: row.status_source,
            status_confidence: row.status_confidence,
            status_note: row.status_note,
            directions: row.directions,
            history,
            source: row.source,
            confidence: row.confidence,
        })
    }
}

impl Store {
    /// Appends a status event to an agreement's history after validating it
    /// as an import would (the agreement, party and source exist, the date
    /// is not in the future, the event is not already recorded). An event
    /// that contradicts the history (in force before signed) is refused
    /// unless `force` is set with a note. Nothing recorded is ever changed.
    /// Returns the recorded entry, and whether it was marked forced (only
    /// when `force` was asked and the entry does contradict the history).
    pub async fn record_event(
        &self,
        e: &NewEvent,
        today: NaiveDate,
    ) -> Result<(TimelineEntry, bool)> {
        if e.force && e.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(Error::Usage(
                "--force needs a --note saying why the event stands against the history".into(),
            ));
        }
        let place = Location {
            file: "record".into(),
            line: None,
            column: None,
            record: Some(format!("event {} {} of `{}`", e.stage, e.date, e.agreement)),
        };
        // Every problem is listed at once, as an import lists them: an
        // unknown agreement or party does not hide an unknown source.
        let mut problems = Diagnostics::default();
        let known = self
            .check_id(
                "documents",
                "agreement",
                &e.agreement,
                &place,
                &mut problems,
            )
            .await?;
        if let Some(why) = &e.unknown_party {
            problems.push(place.clone(), format!("field `party`: {why}"));
        }
        self.check_source(&e.source, &place, &mut problems).await?;
        if e.date.earliest() > today {
            problems.push(
                place.clone(),
                format!("field `date`: {} is after today ({})", e.date, day(today)),
            );
        }
        // The rest weighs the event against the agreement it names, and
        // for the party it names: with either unknown, it would be weighed
        // against the wrong history.
        if !known || e.unknown_party.is_some() {
            return Err(problems.into_error());
        }
        let (kind, parties): (String, i64) = sqlx::query_as(
            "SELECT kind, (SELECT count(*) FROM agreement_parties WHERE document_id = ?1) FROM documents WHERE id = ?1",
        )
        .bind(&e.agreement)
        .fetch_one(&self.pool)
        .await
        .context(format_args!("reading agreement `{}`", e.agreement))?;
        let instrument = matches!(
            kind.as_str(),
            "treaty" | "protocol" | "agreement" | "memorandum" | "declaration"
        );
        if parties == 0 && !instrument {
            problems.push(
                place.clone(),
                format!(
                    "`{}` is a {kind} with no parties, not an agreement",
                    e.agreement
                ),
            );
        }
        if let Some(party) = &e.party {
            let is_party: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM agreement_parties WHERE document_id = ? AND partner_id = ?",
            )
            .bind(&e.agreement)
            .bind(party)
            .fetch_optional(&self.pool)
            .await
            .context("reading agreement parties")?;
            if is_party.is_none() {
                problems.push(
                    place.clone(),
                    format!(
                        "field `party`: `{party}` is not a party to `{}`",
                        e.agreement
                    ),
                );
            }
        }
        let mut history: Vec<TimelineEntry> = self
            .events_of(Some(&BTreeSet::from([e.agreement.clone()])))
            .await?
            .remove(&e.agreement)
            .unwrap_or_default();
        if history
            .iter()
            .any(|h| h.stage == e.stage && h.date == e.date && h.partner == e.party)
        {
            problems.push(
                place.clone(),
                format!(
                    "history is append-only: `{}` already records {} on {}",
                    e.agreement, e.stage, e.date
                ),
            );
        }
        let seq = history.iter().map(|h| h.seq + 1).max().unwrap_or(0);
        let source_title: Option<String> =
            sqlx::query_scalar("SELECT title FROM sources WHERE id = ?")
                .bind(&e.source)
                .fetch_optional(&self.pool)
                .await
                .context("reading sources")?;
        let entry = TimelineEntry {
            agreement: e.agreement.clone(),
            partner: e.party.clone(),
            seq,
            stage: e.stage,
            date: e.date,
            precision: e.date.precision(),
            source: e.source.clone(),
            source_title: source_title.unwrap_or_default(),
            note: e.note.clone(),
            confidence: e.confidence,
        };
        history.push(entry.clone());
        let new = history.len() - 1;
        let found: Vec<_> = contradictions(&history)
            .into_iter()
            .filter(|c| c.event == new || c.before == new)
            .collect();
        // Marked only when it did contradict: the mark excuses the
        // contradictions it takes part in, on import too.
        let forced = e.force && !found.is_empty();
        if !e.force {
            for c in found {
                let message = if c.event == new {
                    c.message
                } else {
                    let later = &history[c.event];
                    format!(
                        "{} on {} would come after {} recorded on {}",
                        e.stage, e.date, later.stage, later.date
                    )
                };
                problems.push(
                    place.clone(),
                    format!(
                        "contradicts the history: {message}; pass --force with a --note to record it anyway"
                    ),
                );
            }
        }
        problems.into_result()?;
        sqlx::query(
            "INSERT INTO agreement_events (document_id, party_id, seq, stage, date, precision, date_min, date_max, note, source_id, confidence, forced)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&e.agreement)
        .bind(&e.party)
        .bind(seq)
        .bind(e.stage.as_str())
        .bind(e.date.to_string())
        .bind(e.date.precision().as_str())
        .bind(day(e.date.earliest()))
        .bind(day(e.date.latest()))
        .bind(&e.note)
        .bind(&e.source)
        .bind(e.confidence.as_str())
        .bind(forced)
        .execute(&self.pool)
        .await
        .context(format_args!("recording an event of `{}`", e.agreement))?;
        Ok((entry, forced))
    }

    /// Appends a status change to an obligation's history, validated like
    /// an import. A change dated certainly before the last recorded one is
    /// refused unless `force` is set with a note.
    pub async fn record_obligation_status(
        &self,
        s: &NewObligationStatus,
        today: NaiveDate,
    ) -> Result<bool> {
        if s.force && s.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            return Err(Error::Usage(
                "--force needs a --note saying why the change stands against the history".into(),
            ));
        }
        let place = Location {
            file: "record".into(),
            line: None,
            column: None,
            record: Some(format!(
                "status {} {} of obligation `{}`",
                s.status, s.date, s.obligation
            )),
        };
        // Every problem is listed at once, as for an event: an unknown
        // obligation does not hide an unknown source or a future date.
        let mut problems = Diagnostics::default();
        let known = self
            .check_id(
                "obligations",
                "obligation",
                &s.obligation,
                &place,
                &mut problems,
            )
            .await?;
        self.check_source(&s.source, &place, &mut problems).await?;
        if s.date.earliest() > today {
            problems.push(
                place.clone(),
                format!("field `date`: {} is after today ({})", s.date, day(today)),
            );
        }
        // The rest weighs the change against the obligation's history.
        if !known {
            return Err(problems.into_error());
        }
        let history: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT seq, status, date, date_min FROM obligation_events WHERE obligation_id = ? ORDER BY seq",
        )
        .bind(&s.obligation)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the history of obligation `{}`", s.obligation))?;
        let date = s.date.to_string();
        if history
            .iter()
            .any(|(_, st, d, _)| *st == s.status.as_str() && *d == date)
        {
            problems.push(
                place.clone(),
                format!(
                    "history is append-only: obligation `{}` already records {} on {}",
                    s.obligation, s.status, s.date
                ),
            );
        }
        let contradicted = history
            .iter()
            .filter(|(_, _, _, min)| *min > day(s.date.latest()))
            .max_by(|a, b| a.3.cmp(&b.3));
        let forced = s.force && contradicted.is_some();
        if !s.force
            && let Some((_, st, d, _)) = contradicted
        {
            problems.push(
                place.clone(),
                format!(
                    "contradicts the history: {} on {} comes before the recorded change to {st} on {d}; pass --force with a --note to record it anyway",
                    s.status, s.date
                ),
            );
        }
        problems.into_result()?;
        let seq = history.iter().map(|h| h.0 + 1).max().unwrap_or(0);
        sqlx::query(
            "INSERT INTO obligation_events (obligation_id, seq, status, date, date_min, date_max, note, source_id, forced, confidence)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&s.obligation)
        .bind(seq)
        .bind(s.status.as_str())
        .bind(&date)
        .bind(day(s.date.earliest()))
        .bind(day(s.date.latest()))
        .bind(&s.note)
        .bind(&s.source)
        .bind(forced)
        .bind(s.confidence.as_str())
        .execute(&self.pool)
        .await
        .context(format_args!("recording a status of obligation `{}`", s.obligation))?;
        Ok(forced)
    }

    /// Whether `id` names a `kind` in `table`; when it does not, the
    /// problem (with suggestions) is added for field `kind`, so that the
    /// record's other problems are listed with it.
    async fn check_id(
        &self,
        table: &'static str,
        kind: &'static str,
        id: &str,
        place: &Location,
        problems: &mut Diagnostics,
    ) -> Result<bool> {
        match self.require_id(table, kind, id).await {
            Ok(()) => Ok(true),
            Err(err @ Error::NotFound { .. }) => {
                problems.push(place.clone(), format!("field `{kind}`: {err}"));
                Ok(false)
            }
            Err(err) => Err(err),
        }
    }

    async fn check_source(
        &self,
        source: &str,
        place: &Location,
        problems: &mut Diagnostics,
    ) -> Result<()> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sources WHERE id = ?")
            .bind(source)
            .fetch_optional(&self.pool)
            .await
            .context(format_args!("looking up source `{source}`"))?;
        if found.is_none() {
            problems.push(
                place.clone(),
                format!("field `source`: unknown source `{source}`: the store does not define it"),
            );
        }
        Ok(())
    }
}

/// The positions of the provisions (ordered by document) that serve
/// nothing: neither they, a provision above them nor one below them is in
/// `linked`. Works one document at a time on positions, so each eId is
/// hashed once.
fn unserved(provisions: &[TreeProvision<'_>], linked: &HashSet<(&str, &str)>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < provisions.len() {
        let doc = provisions[start].document;
        let end = start
            + provisions[start..]
                .iter()
                .position(|p| p.document != doc)
                .unwrap_or(provisions.len() - start);
        let slice = &provisions[start..end];
        let offset = start;
        start = end;
        let index: HashMap<&str, usize> =
            slice.iter().enumerate().map(|(i, p)| (p.eid, i)).collect();
        let parent: Vec<Option<usize>> = slice
            .iter()
            .map(|p| p.parent.and_then(|e| index.get(e).copied()))
            .collect();
        let is_linked: Vec<bool> = slice
            .iter()
            .map(|p| linked.contains(&(p.document, p.eid)))
            .collect();
        // served: linked itself, below a linked provision, or above one.
        let mut served = is_linked.clone();
        for (i, _) in is_linked.iter().enumerate().filter(|(_, l)| **l) {
            let mut cur = parent[i];
            let mut steps = 0;
            while let Some(p) = cur {
                if served[p] || steps > slice.len() {
                    break;
                }
                served[p] = true;
                cur = parent[p];
                steps += 1;
            }
        }
        for (i, _) in served.iter().enumerate().filter(|(_, s)| !**s) {
            let mut cur = parent[i];
            let mut steps = 0;
            let mut below_linked = false;
            while let Some(p) = cur {
                if is_linked[p] {
                    below_linked = true;
                    break;
                }
                if steps > slice.len() {
                    break;
                }
                cur = parent[p];
                steps += 1;
            }
            if !below_linked {
                out.push(offset + i);
            }
        }
    }
    out
}

fn provision_ref(p: &TreeProvision<'_>) -> ProvisionRef {
    ProvisionRef {
        document: p.document.to_owned(),
        provision: p.eid.to_owned(),
        number: p.number.map(str::to_owned),
        heading: p.heading.map(str::to_owned),
    }
}

/// A row of [`FRAMEWORK_LINKS`] as a link.
fn coverage_link(r: &SqliteRow) -> Result<CoverageLink> {
    Ok(CoverageLink {
        document: get(r, "document_id")?,
        provision: get(r, "eid")?,
        number: get(r, "number")?,
        link: get(r, "kind")?,
        ord: get(r, "ord")?,
        confidence: get(r, "confidence")?,
    })
}

/// Decodes a JSON array that SQLite assembled (`json_group_array`).
fn decode_json<T: serde::de::DeserializeOwned>(text: Option<String>, what: &str) -> Result<Vec<T>> {
    serde_json::from_str(text.as_deref().unwrap_or("[]")).map_err(|e| Error::Db {
        context: format!("decoding {what}"),
        source: sqlx::Error::Decode(Box::new(e)),
    })
}

/// Turns a resolution into an ID or the error people see.
fn settle(what: &'static str, name: &str, r: Resolution) -> Result<String> {
    match r {
        Resolution::Found(id) => Ok(id),
        Resolution::Ambiguous(ids) => Err(ambiguous(what, name, &ids)),
        Resolution::NotFound(suggestions) => Err(Error::NotFound {
            what,
            name: name.to_owned(),
            suggestions,
        }),
    }
}

/// The usage error for a name that several records of one kind answer to.
fn ambiguous(what: &str, name: &str, ids: &[String]) -> Error {
    Error::Usage(format!(
        "{what} `{name}` is ambiguous: it names {}; use an ID",
        ids.iter()
            .map(|i| format!("`{i}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ))
}

/// How a predecessor's obligations came to the agency asked about, over
/// the chain of successions between them: when the last step was made
/// (`on`, as recorded, and the last day it stands for), the narrowest kind
/// of step (one that passed only some functions, if any did), and what
/// such steps say they passed.
#[derive(Debug, Clone)]
struct Inheritance {
    on: String,
    on_max: String,
    how: crate::catalog::model::SuccessionKind,
    functions: Option<String>,
}

/// The SQL of an obligation's status on a day (`today`: the placeholder
/// of that day's parameter, used twice), as one text: "status date
/// confidence source note", or NULL when no change is certainly in effect.
/// The row's obligation is `o`. Decoded by [`decode_status`]; `obligations`
/// and the site's document pages ask it the same way.
///
/// The status is the last change certainly in effect: of those, the ones
/// no other lies wholly after, and of these the last recorded (an overlap
/// of periods is ordered by the history, as `record` and import allow it).
/// Ordering by the periods' ends instead would let `active 2024` win back
/// from a later `suspended 2024-06-01` once 2024 ended.
pub(super) fn current_status_sql(today: &str) -> String {
    format!(
        "(SELECT e.status || ' ' || e.date || ' ' || e.confidence || ' ' || e.source_id
                 || ' ' || coalesce(e.note, '')
            FROM obligation_events e
           WHERE e.obligation_id = o.id AND e.date_max <= {today}
             AND NOT EXISTS (SELECT 1 FROM obligation_events x
                              WHERE x.obligation_id = o.id AND x.date_max <= {today}
                                AND x.date_min > e.date_max)
           ORDER BY e.seq DESC LIMIT 1)"
    )
}

/// The change that set an obligation's status, decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusChange {
    pub status: ObligationStatus,
    pub since: String,
    pub confidence: crate::catalog::model::Confidence,
    pub source: String,
    pub note: Option<String>,
}

/// Decodes what [`current_status_sql`] gives for obligation `id`: none
/// when no change is recorded (the obligation is then active).
pub(super) fn decode_status(id: &str, text: Option<&str>) -> Result<Option<StatusChange>> {
    // None of the fields but the note (the rest, empty when there is none)
    // holds a space.
    let Some(text) = text else {
        return Ok(None);
    };
    match text.splitn(5, ' ').collect::<Vec<_>>().as_slice() {
        [status, date, confidence, source, note] => Ok(Some(StatusChange {
            status: decode("status", status)?,
            since: (*date).to_owned(),
            confidence: decode("confidence", confidence)?,
            source: (*source).to_owned(),
            note: (!note.trim().is_empty()).then(|| (*note).to_owned()),
        })),
        _ => Err(Error::Db {
            context: format!("reading the status of obligation `{id}`"),
            source: sqlx::Error::Decode(
                format!("expected status, date, confidence, source and note, got {text:?}").into(),
            ),
        }),
    }
}

fn obligation_row(
    r: ObligationJson,
    today: NaiveDate,
    inherited: &HashMap<String, Inheritance>,
) -> Result<ObligationRow> {
    let (status, status_since, status_confidence, status_source, status_note) =
        match decode_status(&r.id, r.last_status.as_deref())? {
            Some(c) => (
                c.status,
                Some(c.since),
                Some(c.confidence),
                Some(c.source),
                c.note,
            ),
            None => (ObligationStatus::Active, None, None, None, None),
        };
    let (due, next_due) = match (&r.recurrence_every, &r.recurrence_by) {
        (Some(every), Some(by)) => (
            Some(describe_recurrence(every, by)),
            // A duty that has ended, or is suspended, falls due no more.
            status
                .recurs()
                .then(|| next_occurrence(every, by, today))
                .flatten(),
        ),
        _ => (r.due, None),
    };
    let mut directions: Vec<String> = r
        .directions
        .map(|d| d.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    directions.sort();
    directions.dedup();
    let agency = r.agency_id;
    Ok(ObligationRow {
        id: r.id,
        agency_name: r.agency_name,
        role: decode("role", &r.role)?,
        modality: decode("modality", &r.modality)?,
        action: r.action,
        document: r.document_id,
        document_title: r.document_title,
        provision: r.eid,
        provision_number: r.number,
        due,
        next_due,
        status,
        status_since,
        status_source,
        status_confidence,
        status_note,
        directions,
        source: r.source_id,
        confidence: decode("confidence", &r.confidence)?,
        inherited_on: inherited.get(&agency).map(|i| i.on.clone()),
        inherited_how: inherited.get(&agency).map(|i| i.how),
        inherited_functions: inherited.get(&agency).and_then(|i| i.functions.clone()),
        inherited_from: inherited.contains_key(&agency).then(|| agency.clone()),
        agency,
    })
}

/// One row of the obligations query, as SQLite writes it: a JSON array
/// whose items are these fields in this order.
#[derive(serde::Deserialize)]
struct ObligationJson {
    id: String,
    agency_id: String,
    agency_name: String,
    role: String,
    modality: String,
    action: String,
    document_id: String,
    document_title: String,
    eid: String,
    number: Option<String>,
    due: Option<String>,
    recurrence_every: Option<String>,
    recurrence_by: Option<String>,
    source_id: String,
    confidence: String,
    last_status: Option<String>,
    directions: Option<String>,
}

/// Parses a stored enum value; a value the store should never hold is a
/// decode error naming the column.
fn decode<T>(column: &str, text: &str) -> Result<T>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e: T::Err| Error::Db {
        context: format!("reading column `{column}`"),
        source: sqlx::Error::Decode(e.to_string().into()),
    })
}

pub(crate) fn timeline_entry(r: &SqliteRow) -> Result<TimelineEntry> {
    let date: PartialDate = parse(r, "date")?;
    Ok(TimelineEntry {
        agreement: get(r, "document_id")?,
        partner: get(r, "party_id")?,
        seq: get(r, "seq")?,
        stage: parse(r, "stage")?,
        date,
        precision: date.precision(),
        source: get(r, "source_id")?,
        source_title: get(r, "source_title")?,
        note: get(r, "note")?,
        confidence: parse(r, "confidence")?,
    })
}

fn status_row(p: &PartyRow, scoped: &[&TimelineEntry], as_of: NaiveDate) -> AgreementStatus {
    let at = stage_as_of(scoped.iter().copied(), as_of);
    AgreementStatus {
        partner: p.partner.clone(),
        partner_name: p.partner_name.clone(),
        agreement: p.document.clone(),
        title: p.title.clone(),
        instrument: p.instrument.clone(),
        as_of,
        stage: at.stage(),
        since: at.since.map(|e| e.date),
        precision: at.since.map(|e| e.precision),
        source: at.since.map(|e| e.source.clone()),
        uncertain: at.is_uncertain(),
        possible_stage: at.possible.map(|e| e.stage),
        possible_since: at.possible.map(|e| e.date),
        // The stage rests on the latest event, its date on the first: the
        // row is as sure as the less sure of the two.
        confidence: at
            .current
            .zip(at.since)
            .map(|(c, s)| c.confidence.max(s.confidence)),
    }
}
