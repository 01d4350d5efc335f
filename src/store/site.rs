//! Reads for the static site's pages that the query layer does not provide:
//! documents with their provision trees (in bounded chunks, so a build
//! never holds the corpus), the bibliography with back-links, indicator
//! series, frameworks, agencies' reorganisations and the search index.
//!
//! Derived answers (an agreement's stage as of a date, obligations by
//! agency, coverage) come from `store::query`; this module only lists
//! recorded facts as they are stored, sorted so that pages are
//! deterministic.

use super::rows::parse_json;
use std::collections::HashMap;

use serde::Deserialize;
use sqlx::sqlite::SqliteRow;

use super::Store;
use super::rows::get;
use crate::catalog::model::{Localized, NodeKind, Stage};
use crate::error::{DbContext, Error, Result};

/// A source named by a fact: its ID, and its title when the source exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceRef {
    pub id: String,
    pub title: Option<String>,
}

/// Something with an ID and a name in the catalog's languages.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub id: String,
    pub name: Localized,
}

fn loc(en: Option<String>, ru: Option<String>, kk: Option<String>) -> Localized {
    Localized { en, ru, kk }
}

fn localized(row: &SqliteRow, prefix: &str) -> Result<Localized> {
    Ok(loc(
        get(row, &format!("{prefix}_en"))?,
        get(row, &format!("{prefix}_ru"))?,
        get(row, &format!("{prefix}_kk"))?,
    ))
}

fn json<T: for<'de> Deserialize<'de>>(row: &SqliteRow, column: &str) -> Result<T> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|e| Error::Db {
        context: format!("reading the list in column `{column}`"),
        source: sqlx::Error::Decode(Box::new(e)),
    })
}

/// One document with everything its page shows except the provisions,
/// which [`DocumentChunks`] attaches.
#[derive(Debug, Clone)]
pub struct DocumentFacts {
    pub id: String,
    pub kind: String,
    pub work_id: String,
    pub number: Option<String>,
    pub title: Localized,
    pub issuer: Option<Named>,
    pub jurisdiction: String,
    pub adopted: Option<String>,
    pub in_force: Option<String>,
    pub expires: Option<String>,
    pub repealed: Option<String>,
    pub status: String,
    pub url: Option<String>,
    pub note: Option<String>,
    pub source: SourceRef,
    pub confidence: String,
    /// Relations from this document (`outgoing`) and to it, sorted.
    pub relations: Vec<RelationFact>,
    /// Parties, when the document is an agreement, each with the note the
    /// catalog gives it (what is not recorded of it, say).
    pub parties: Vec<(Named, Option<String>)>,
    /// The agreement's recorded history, oldest first.
    pub events: Vec<EventFact>,
    /// Frameworks that this document sets out.
    pub frameworks: Vec<Named>,
    pub provision_count: i64,
}

#[derive(Debug, Clone)]
pub struct RelationFact {
    pub outgoing: bool,
    pub kind: String,
    pub other: Named,
    pub date: Option<String>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

#[derive(Debug, Clone)]
pub struct EventFact {
    pub document_id: String,
    pub party: Option<Named>,
    pub seq: i64,
    pub stage: String,
    pub date: String,
    pub precision: String,
    pub date_min: String,
    pub date_max: String,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

/// One provision with its links to framework nodes and its obligations.
#[derive(Debug, Clone)]
pub struct ProvisionFacts {
    pub document_id: String,
    pub eid: String,
    pub parent: Option<String>,
    pub ord: i64,
    pub kind: String,
    pub number: Option<String>,
    pub heading: Option<String>,
    pub text: Option<String>,
    pub text_kind: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// `None`: the document's source.
    pub source: Option<SourceRef>,
    pub confidence: String,
    pub links: Vec<LinkFact>,
    pub obligations: Vec<ObligationFact>,
}

#[derive(Debug, Clone)]
pub struct LinkFact {
    pub node: Named,
    pub node_kind: String,
    pub node_number: Option<String>,
    pub framework_id: String,
    pub kind: String,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

#[derive(Debug, Clone)]
pub struct ObligationFact {
    pub id: String,
    pub agency: Named,
    pub agency_abbreviation: Option<String>,
    pub role: String,
    pub modality: String,
    pub action: String,
    pub due: Option<String>,
    /// `year` or `month`, with the day it falls due.
    pub recurrence: Option<(String, String)>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
    /// The change that set its status on the day of the build; none when
    /// none is recorded (it is then active).
    pub status: Option<super::query::StatusChange>,
}

/// A document with its provisions in tree order (parents before children,
/// siblings in file order), each with its depth in the tree.
#[derive(Debug, Clone)]
pub struct DocumentWithProvisions {
    pub facts: DocumentFacts,
    pub provisions: Vec<(usize, ProvisionFacts)>,
    /// Links from this document to provisions it does not have, with the
    /// eId they name, sorted: never from an import (which refuses them),
    /// only in a store written by other tools. They show on no page, but
    /// coverage counts them as [`crate::store::Store::coverage`] does.
    pub stray_links: Vec<(String, LinkFact)>,
}

/// Directions' linked provisions, one direction at a time, as
/// [`Store::site_links_by_direction`] reads them in ID order.
pub type DirectionLinks = super::rows::Grouped<LinkedProvision>;

/// At most this many provisions are read at once; a document larger than
/// this is still read whole, alone.
const PROVISION_BUDGET: i64 = 5_000;
/// How many documents are listed at a time to plan the batches.
const DOCUMENT_LIST: i64 = 2048;

/// Walks every document in ID order, reading a bounded batch at a time.
///
/// SQLite assembles each batch as a few JSON values (documents with their
/// relations and history; the batch's provisions, links and obligations):
/// a handful of rows per batch instead of one per provision, which is what
/// makes reading a large corpus cheap. The next batch is read on its own
/// task while the caller works through the current one, so SQLite's thread
/// and the caller's run side by side; at most two batches are held.
pub struct DocumentChunks {
    store: Store,
    /// The day obligations' statuses are read for.
    today: String,
    after: Option<String>,
    /// Listed but not yet read: (ID, provision count).
    pending: std::collections::VecDeque<(String, i64)>,
    ready: std::collections::VecDeque<DocumentWithProvisions>,
    /// The batch being read ahead. (Reading two ahead measured no faster,
    /// since both cores are busy by then, and held more memory.)
    reading: Option<tokio::task::JoinHandle<Result<Vec<DocumentWithProvisions>>>>,
    done: bool,
}

impl Store {
    /// Every document with its provisions (each obligation with its status
    /// on `today`), in ID order, without holding more than two bounded
    /// batches in memory.
    pub fn site_documents(&self, today: chrono::NaiveDate) -> DocumentChunks {
        DocumentChunks {
            store: self.clone(),
            today: today.format("%Y-%m-%d").to_string(),
            after: None,
            pending: Default::default(),
            ready: Default::default(),
            reading: None,
            done: false,
        }
    }
}

impl DocumentChunks {
    /// The next document, or `None` after the last.
    pub async fn next(&mut self) -> Result<Option<DocumentWithProvisions>> {
        loop {
            if let Some(d) = self.ready.pop_front() {
                self.read_ahead().await?;
                return Ok(Some(d));
            }
            match self.reading.take() {
                Some(task) => {
                    let docs = task.await.map_err(|source| Error::Task {
                        what: "reading documents for the site",
                        source,
                    })??;
                    self.ready.extend(docs);
                }
                None => {
                    if !self.read_ahead().await? {
                        return Ok(None);
                    }
                }
            }
        }
    }

    /// Starts reading the next batch unless one is being read; `false`
    /// when there is nothing left to read.
    async fn read_ahead(&mut self) -> Result<bool> {
        if self.reading.is_some() {
            return Ok(true);
        }
        if self.pending.is_empty() && !self.done {
            let listed = self
                .store
                .document_sizes(self.after.as_deref(), DOCUMENT_LIST)
                .await?;
            if (listed.len() as i64) < DOCUMENT_LIST {
                self.done = true;
            }
            if let Some((last, _)) = listed.last() {
                self.after = Some(last.clone());
            }
            self.pending.extend(listed);
        }
        if self.pending.is_empty() {
            return Ok(false);
        }
        let take = super::rows::batch_len(&self.pending, PROVISION_BUDGET);
        let first = self.pending[0].0.clone();
        let last = self.pending[take - 1].0.clone();
        self.pending.drain(..take);
        let (store, today) = (self.store.clone(), self.today.clone());
        self.reading = Some(tokio::spawn(async move {
            store.document_batch(&first, &last, &today).await
        }));
        Ok(true)
    }
}

/// Orders provisions parents first, siblings by their order in the file,
/// and gives each its depth. A provision whose parent is missing is a root.
fn tree_order(mut list: Vec<ProvisionFacts>) -> Vec<(usize, ProvisionFacts)> {
    list.sort_by(|a, b| (a.ord, &a.eid).cmp(&(b.ord, &b.eid)));
    depth_first(list, |p| &p.eid, |p| p.parent.as_deref())
}

/// Orders `items` (already in sibling order) parents first, depth first,
/// with each item's depth. An item whose parent is missing is a root; a
/// cycle of parents (never from a valid import) still shows every item.
fn depth_first<T>(
    items: Vec<T>,
    key: impl Fn(&T) -> &str,
    parent: impl Fn(&T) -> Option<&str>,
) -> Vec<(usize, T)> {
    use std::collections::HashMap;
    let index: HashMap<&str, usize> = items.iter().enumerate().map(|(i, t)| (key(t), i)).collect();
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    let mut roots = Vec::new();
    for (i, t) in items.iter().enumerate() {
        match parent(t).and_then(|p| index.get(p)) {
            Some(&p) if p != i => children[p].push(i),
            _ => roots.push(i),
        }
    }
    let mut order = Vec::with_capacity(items.len());
    let mut seen = vec![false; items.len()];
    let mut stack: Vec<(usize, usize)> = roots.iter().rev().map(|&i| (i, 0)).collect();
    while let Some((i, depth)) = stack.pop() {
        if std::mem::replace(&mut seen[i], true) {
            continue;
        }
        order.push((i, depth));
        stack.extend(children[i].iter().rev().map(|&c| (c, depth + 1)));
    }
    for (i, s) in seen.iter().enumerate() {
        if !s {
            order.push((i, 0));
        }
    }
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .into_iter()
        .map(|(i, depth)| (depth, slots[i].take().expect("each index once")))
        .collect()
}

#[derive(Deserialize)]
struct DocJson {
    id: String,
    kind: String,
    work_id: String,
    number: Option<String>,
    title_en: Option<String>,
    title_ru: Option<String>,
    title_kk: Option<String>,
    issuer_id: Option<String>,
    issuer_en: Option<String>,
    issuer_ru: Option<String>,
    issuer_kk: Option<String>,
    jurisdiction: String,
    adopted: Option<String>,
    in_force: Option<String>,
    expires: Option<String>,
    repealed: Option<String>,
    status: String,
    url: Option<String>,
    note: Option<String>,
    source_id: String,
    source_title: Option<String>,
    confidence: String,
    relations: Vec<RelationJson>,
    parties: Vec<PartyJson>,
    events: Vec<EventJson>,
    frameworks: Vec<NamedJson>,
}

/// A party: order, partner ID, names, note.
type PartyJson = (
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);
/// An ID with names in English, Russian and Kazakh.
type NamedJson = (String, Option<String>, Option<String>, Option<String>);

/// A provision as a JSON array, in the order of its fields; its links and
/// obligations are read separately and joined to it by (document, eId).
#[derive(Deserialize)]
struct ProvJson {
    document_id: String,
    eid: String,
    parent: Option<String>,
    ord: i64,
    kind: String,
    number: Option<String>,
    heading: Option<String>,
    text: Option<String>,
    text_kind: Option<String>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    source_id: Option<String>,
    source_title: Option<String>,
    confidence: String,
}

type RelationJson = (
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
);
type EventJson = (
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    String,
);
/// A link: document, eId, then the node and the link's own fields.
type LinkJson = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    Option<String>,
    String,
    String,
    i64,
);
/// An obligation as a JSON array, in the order of its fields.
#[derive(Deserialize)]
struct ObligationJson {
    document_id: String,
    eid: String,
    id: String,
    agency: String,
    agency_en: Option<String>,
    agency_ru: Option<String>,
    agency_kk: Option<String>,
    agency_abbreviation: Option<String>,
    role: String,
    modality: String,
    action: String,
    due: Option<String>,
    recurrence_every: Option<String>,
    recurrence_by: Option<String>,
    note: Option<String>,
    source: String,
    confidence: String,
    ord: i64,
    /// Its status on the day of the build, as `current_status_sql` gives it.
    status: Option<String>,
}

/// One document as a JSON array, in the order of [`DocJson`]'s fields,
/// with its relations, parties, history and frameworks (short lists, read
/// per document). Provisions, links and obligations are many and are read
/// for a whole batch at once (see [`Store::document_batch`]).
///
/// Nested lists are joined as text (`'[' || group_concat(…) || ']'` of
/// `json_array` values, each valid JSON) rather than with `json()`, which
/// would parse every nested value again at each level.
const DOCUMENT_JSON: &str = "
    substr(dj, 1, length(dj) - 1) || ',' || rels || ',' || parties || ',' || events || ','
        || fws || ']' AS doc
    FROM (SELECT
        json_array(d.id, d.kind, d.work_id, d.number, d.title_en, d.title_ru, d.title_kk,
            d.issuer_id, a.name_en, a.name_ru, a.name_kk,
            d.jurisdiction, d.adopted, d.in_force, d.expires, d.repealed, d.status,
            d.url, d.note, d.source_id, s.title, d.confidence) AS dj,
        '[' || coalesce((SELECT group_concat(x, ',') FROM (
            SELECT json_array(1, r.kind, r.to_id, t.title_en, t.title_ru, t.title_kk,
                              r.date, r.note, r.source_id, r.confidence) AS x
              FROM document_relations r LEFT JOIN documents t ON t.id = r.to_id
             WHERE r.from_id = d.id
            UNION ALL
            SELECT json_array(0, r.kind, r.from_id, f.title_en, f.title_ru, f.title_kk,
                              r.date, r.note, r.source_id, r.confidence)
              FROM document_relations r LEFT JOIN documents f ON f.id = r.from_id
             WHERE r.to_id = d.id)), '') || ']' AS rels,
        '[' || coalesce((SELECT group_concat(json_array(ap.ord, ap.partner_id, pt.name_en,
                                                        pt.name_ru, pt.name_kk, ap.note), ',')
              FROM agreement_parties ap LEFT JOIN partners pt ON pt.id = ap.partner_id
             WHERE ap.document_id = d.id), '') || ']' AS parties,
        '[' || coalesce((SELECT group_concat(json_array(e.party_id, pt.name_en, pt.name_ru,
                                                        pt.name_kk, e.seq, e.stage, e.date,
                                                        e.precision, e.date_min, e.date_max,
                                                        e.note, e.source_id, e.confidence), ',')
              FROM agreement_events e LEFT JOIN partners pt ON pt.id = e.party_id
             WHERE e.document_id = d.id), '') || ']' AS events,
        '[' || coalesce((SELECT group_concat(json_array(f.id, f.title_en, f.title_ru,
                                                        f.title_kk), ',')
              FROM frameworks f WHERE f.document_id = d.id), '') || ']' AS fws";

/// The provisions of the documents from `?1` to `?2`, as [`ProvJson`]s.
/// Range reads over the primary keys: each table is read in one
/// sequential sweep rather than probed once per provision.
const PROVISIONS_JSON: &str = "
    SELECT '[' || coalesce(group_concat(json_array(p.document_id, p.eid, p.parent_eid, p.ord,
                p.kind, p.number, p.heading, p.text, p.text_kind, p.valid_from, p.valid_to,
                p.source_id, ps.title, p.confidence), ','), '') || ']'
      FROM provisions p LEFT JOIN sources ps ON ps.id = p.source_id
     WHERE p.document_id >= ?1 AND p.document_id <= ?2";

/// The links from the provisions of the documents from `?1` to `?2`.
const LINKS_JSON: &str = "
    SELECT '[' || coalesce(group_concat(json_array(l.document_id, l.eid, l.node_id,
                n.title_en, n.title_ru, n.title_kk, n.framework_id, n.kind, n.number, l.kind,
                l.note, l.source_id, l.confidence, l.ord), ','), '') || ']'
      FROM provision_links l JOIN framework_nodes n ON n.id = l.node_id
     WHERE l.document_id >= ?1 AND l.document_id <= ?2";

/// The obligations of the provisions of the documents from `?1` to `?2`,
/// each with its status on the day `?3`.
static OBLIGATIONS_JSON: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "SELECT '[' || coalesce(group_concat(json_array(o.document_id, o.eid, o.id, o.agency_id,
                oa.name_en, oa.name_ru, oa.name_kk, oa.abbreviation, o.role, o.modality,
                o.action, o.due, o.recurrence_every, o.recurrence_by, o.note, o.source_id,
                o.confidence, o.ord, {}), ','), '') || ']'
      FROM obligations o LEFT JOIN agencies oa ON oa.id = o.agency_id
     WHERE o.document_id >= ?1 AND o.document_id <= ?2",
        super::query::current_status_sql("?3")
    )
});

/// Rows of one batch, grouped by document and then by provision, so that
/// each provision takes its own without copying keys.
type ByProvision<T> = HashMap<String, HashMap<String, Vec<T>>>;

fn by_provision<T>(rows: impl IntoIterator<Item = (String, String, T)>) -> ByProvision<T> {
    let mut out: ByProvision<T> = HashMap::new();
    for (doc, eid, row) in rows {
        out.entry(doc)
            .or_default()
            .entry(eid)
            .or_default()
            .push(row);
    }
    out
}

fn take<T>(map: &mut ByProvision<T>, doc: &str, eid: &str) -> Vec<T> {
    map.get_mut(doc)
        .and_then(|m| m.remove(eid))
        .unwrap_or_default()
}

impl Store {
    /// Document IDs after `after` with their provision counts.
    async fn document_sizes(&self, after: Option<&str>, limit: i64) -> Result<Vec<(String, i64)>> {
        let text: Option<String> = sqlx::query_scalar(
            "SELECT json_group_array(json_array(id, (SELECT count(*) FROM provisions p WHERE p.document_id = x.id)))
               FROM (SELECT id FROM documents WHERE id > coalesce(?1, '') ORDER BY id LIMIT ?2) x",
        )
        .bind(after)
        .bind(limit)
        .fetch_one(&self.pool)
        .await
        .context("listing documents for the site")?;
        let mut list: Vec<(String, i64)> =
            parse_json(text.as_deref().unwrap_or("[]"), "the list of documents")?;
        list.sort();
        Ok(list)
    }

    /// The documents from `first` to `last` (by ID) with their provisions.
    async fn document_batch(
        &self,
        first: &str,
        last: &str,
        today: &str,
    ) -> Result<Vec<DocumentWithProvisions>> {
        let sql = format!(
            "SELECT '[' || coalesce(group_concat(doc, ','), '') || ']' FROM (
               SELECT {DOCUMENT_JSON}
                 FROM documents d
                 LEFT JOIN agencies a ON a.id = d.issuer_id
                 LEFT JOIN sources s ON s.id = d.source_id
                WHERE d.id >= ?1 AND d.id <= ?2))"
        );
        // The four reads run side by side on connections of their own, and
        // the JSON is decoded off the thread that renders pages.
        let (docs, provisions, links, obligations) = tokio::try_join!(
            self.range_json(&sql, first, last, None, "documents"),
            self.range_json(PROVISIONS_JSON, first, last, None, "provisions"),
            self.range_json(LINKS_JSON, first, last, None, "provision links"),
            self.range_json(&OBLIGATIONS_JSON, first, last, Some(today), "obligations"),
        )?;
        tokio::task::spawn_blocking(move || assemble_batch(docs, provisions, links, obligations))
            .await
            .map_err(|source| Error::Task {
                what: "decoding documents for the site",
                source,
            })?
    }

    /// Runs a query over the documents from `first` to `last` (and, when
    /// given, a day as `?3`) whose one row is a JSON array, and returns its
    /// text.
    async fn range_json(
        &self,
        sql: &str,
        first: &str,
        last: &str,
        day: Option<&str>,
        what: &'static str,
    ) -> Result<RangeJson> {
        let mut query = sqlx::query_scalar(sql).bind(first).bind(last);
        if let Some(day) = day {
            query = query.bind(day);
        }
        let text: Option<String> = query.fetch_one(&self.pool).await.context(format_args!(
            "reading the {what} of documents `{first}`..`{last}`"
        ))?;
        Ok(RangeJson { text, what })
    }
}

/// A JSON array read by [`Store::range_json`], not decoded yet.
struct RangeJson {
    text: Option<String>,
    what: &'static str,
}

impl RangeJson {
    /// Decodes the text and frees it.
    fn decode<T: for<'de> Deserialize<'de>>(self) -> Result<Vec<T>> {
        parse_json(self.text.as_deref().unwrap_or("[]"), self.what)
    }
}

/// Decodes a batch's JSON and puts each document together with its
/// provisions, their links and obligations.
fn assemble_batch(
    docs: RangeJson,
    provisions: RangeJson,
    links: RangeJson,
    obligations: RangeJson,
) -> Result<Vec<DocumentWithProvisions>> {
    let mut docs: Vec<DocJson> = docs.decode()?;
    let provisions: Vec<ProvJson> = provisions.decode()?;
    let links: Vec<LinkJson> = links.decode()?;
    let obligations: Vec<ObligationJson> = obligations.decode()?;
    let mut links = by_provision(links.into_iter().map(|l| (l.0.clone(), l.1.clone(), l)));
    let mut obligations = by_provision(
        obligations
            .into_iter()
            .map(|o| (o.document_id.clone(), o.eid.clone(), o)),
    );
    let mut by_document: HashMap<String, Vec<ProvisionFacts>> = HashMap::new();
    for p in provisions {
        let links = take(&mut links, &p.document_id, &p.eid);
        let obligations = take(&mut obligations, &p.document_id, &p.eid);
        by_document
            .entry(p.document_id.clone())
            .or_default()
            .push(provision_from_json(p, links, obligations)?);
    }
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(docs
        .into_iter()
        .map(|d| {
            let provisions = by_document.remove(&d.id).unwrap_or_default();
            // What no provision took names a provision that is not there.
            let mut stray: Vec<(String, (i64, LinkFact))> = links
                .remove(&d.id)
                .unwrap_or_default()
                .into_iter()
                .flat_map(|(eid, ls)| {
                    ls.into_iter()
                        .map(move |l| (eid.clone(), link_from_json(l)))
                })
                .collect();
            stray.sort_by(|a, b| {
                (&a.0, a.1.0, &a.1.1.node.id, &a.1.1.kind).cmp(&(
                    &b.0,
                    b.1.0,
                    &b.1.1.node.id,
                    &b.1.1.kind,
                ))
            });
            let mut d = document_from_json(d, provisions);
            d.stray_links = stray.into_iter().map(|(eid, (_, l))| (eid, l)).collect();
            d
        })
        .collect())
}

/// A direction's linked provisions from the JSON array SQLite assembled.
fn linked_from_json(json: &str, node: &str) -> Result<Vec<LinkedProvision>> {
    type Row = (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        String,
        String,
        Option<String>,
        String,
        String,
    );
    let rows: Vec<Row> = parse_json(json, &format!("the provisions linked to `{node}`"))?;
    Ok(rows
        .into_iter()
        .map(
            |(id, en, ru, kk, eid, number, heading, kind, link_kind, note, source, confidence)| {
                LinkedProvision {
                    document: Named {
                        id,
                        name: loc(en, ru, kk),
                    },
                    eid,
                    number,
                    heading,
                    kind,
                    link_kind,
                    note,
                    source,
                    confidence,
                }
            },
        )
        .collect())
}

fn document_from_json(d: DocJson, provisions: Vec<ProvisionFacts>) -> DocumentWithProvisions {
    let mut relations: Vec<RelationFact> = d
        .relations
        .into_iter()
        .map(
            |(out, kind, other, en, ru, kk, date, note, source, confidence)| RelationFact {
                outgoing: out == 1,
                kind,
                other: Named {
                    id: other,
                    name: loc(en, ru, kk),
                },
                date,
                note,
                source,
                confidence,
            },
        )
        .collect();
    relations.sort_by(|a, b| {
        (!a.outgoing, &a.kind, &a.other.id).cmp(&(!b.outgoing, &b.kind, &b.other.id))
    });
    let mut parties: Vec<(i64, Named, Option<String>)> = d
        .parties
        .into_iter()
        .map(|(ord, id, en, ru, kk, note)| {
            (
                ord,
                Named {
                    id,
                    name: loc(en, ru, kk),
                },
                note,
            )
        })
        .collect();
    parties.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    let mut events: Vec<EventFact> = d.events.into_iter().map(event_from_json(&d.id)).collect();
    // Oldest first, as `agreements --history` and the partner pages order
    // them: by the first day each can stand for, then the usual order of a
    // treaty's life, then the order recorded. The order recorded alone put
    // an event recorded late (a ratification found after the entry into
    // force) after later ones.
    events.sort_by_cached_key(|e| (e.date_min.clone(), e.stage.parse::<Stage>().ok(), e.seq));
    let mut frameworks: Vec<Named> = d
        .frameworks
        .into_iter()
        .map(|(id, en, ru, kk)| Named {
            id,
            name: loc(en, ru, kk),
        })
        .collect();
    frameworks.sort_by(|a, b| a.id.cmp(&b.id));
    let provision_count = provisions.len() as i64;
    DocumentWithProvisions {
        provisions: tree_order(provisions),
        stray_links: Vec::new(),
        facts: DocumentFacts {
            issuer: d.issuer_id.map(|id| Named {
                id,
                name: loc(d.issuer_en, d.issuer_ru, d.issuer_kk),
            }),
            id: d.id,
            kind: d.kind,
            work_id: d.work_id,
            number: d.number,
            title: loc(d.title_en, d.title_ru, d.title_kk),
            jurisdiction: d.jurisdiction,
            adopted: d.adopted,
            in_force: d.in_force,
            expires: d.expires,
            repealed: d.repealed,
            status: d.status,
            url: d.url,
            note: d.note,
            source: SourceRef {
                id: d.source_id,
                title: d.source_title,
            },
            confidence: d.confidence,
            relations,
            parties: parties.into_iter().map(|(_, n, note)| (n, note)).collect(),
            events,
            frameworks,
            provision_count,
        },
    }
}

fn event_from_json(doc: &str) -> impl Fn(EventJson) -> EventFact + '_ {
    move |(
        party,
        en,
        ru,
        kk,
        seq,
        stage,
        date,
        precision,
        date_min,
        date_max,
        note,
        source,
        confidence,
    )| {
        EventFact {
            document_id: doc.to_owned(),
            party: party.map(|id| Named {
                id,
                name: loc(en, ru, kk),
            }),
            seq,
            stage,
            date,
            precision,
            date_min,
            date_max,
            note,
            source,
            confidence,
        }
    }
}

/// A link with its order among its provision's links.
fn link_from_json(
    (
        _,
        _,
        node,
        en,
        ru,
        kk,
        framework_id,
        node_kind,
        node_number,
        kind,
        note,
        source,
        confidence,
        ord,
    ): LinkJson,
) -> (i64, LinkFact) {
    (
        ord,
        LinkFact {
            node: Named {
                id: node,
                name: loc(en, ru, kk),
            },
            node_kind,
            node_number,
            framework_id,
            kind,
            note,
            source,
            confidence,
        },
    )
}

fn provision_from_json(
    p: ProvJson,
    links: Vec<LinkJson>,
    obligations: Vec<ObligationJson>,
) -> Result<ProvisionFacts> {
    let mut links: Vec<(i64, LinkFact)> = links.into_iter().map(link_from_json).collect();
    links.sort_by(|a, b| (a.0, &a.1.node.id, &a.1.kind).cmp(&(b.0, &b.1.node.id, &b.1.kind)));
    let mut obligations: Vec<(i64, ObligationFact)> = obligations
        .into_iter()
        .map(|o| {
            let status = super::query::decode_status(&o.id, o.status.as_deref())?;
            Ok((
                o.ord,
                ObligationFact {
                    status,
                    id: o.id,
                    agency: Named {
                        id: o.agency,
                        name: loc(o.agency_en, o.agency_ru, o.agency_kk),
                    },
                    agency_abbreviation: o.agency_abbreviation,
                    role: o.role,
                    modality: o.modality,
                    action: o.action,
                    due: o.due,
                    recurrence: o.recurrence_every.zip(o.recurrence_by),
                    note: o.note,
                    source: o.source,
                    confidence: o.confidence,
                },
            ))
        })
        .collect::<Result<_>>()?;
    obligations.sort_by(|a, b| (a.0, &a.1.id).cmp(&(b.0, &b.1.id)));
    Ok(ProvisionFacts {
        document_id: p.document_id,
        eid: p.eid,
        parent: p.parent,
        ord: p.ord,
        kind: p.kind,
        number: p.number,
        heading: p.heading,
        text: p.text,
        text_kind: p.text_kind,
        valid_from: p.valid_from,
        valid_to: p.valid_to,
        source: p.source_id.map(|id| SourceRef {
            id,
            title: p.source_title,
        }),
        confidence: p.confidence,
        links: links.into_iter().map(|(_, l)| l).collect(),
        obligations: obligations.into_iter().map(|(_, o)| o).collect(),
    })
}

/// An entry of the bibliography.
#[derive(Debug, Clone)]
pub struct SourceFacts {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub author: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub accessed: Option<String>,
    pub note: Option<String>,
}

/// What cites a source, by kind of record; each list holds at most
/// [`CITER_LIMIT`] entries, `total` counts them all.
#[derive(Debug, Clone, Default)]
pub struct Citers {
    pub documents: (Vec<Named>, i64),
    pub agencies: (Vec<Named>, i64),
    pub partners: (Vec<Named>, i64),
    pub frameworks: (Vec<Named>, i64),
    pub indicators: (Vec<Named>, i64),
}

impl Citers {
    pub fn is_empty(&self) -> bool {
        self.documents.1 + self.agencies.1 + self.partners.1 + self.frameworks.1 + self.indicators.1
            == 0
    }
}

pub const CITER_LIMIT: i64 = 100;

/// Agencies: a fact and its reorganisations.
#[derive(Debug, Clone)]
pub struct AgencyFacts {
    pub id: String,
    pub kind: String,
    pub name: Localized,
    pub abbreviation: Option<String>,
    pub aliases: Vec<String>,
    pub parent_id: Option<String>,
    pub jurisdiction: String,
    pub established: Option<String>,
    pub abolished: Option<String>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

#[derive(Debug, Clone)]
pub struct SuccessionFacts {
    pub from_id: String,
    pub to_id: String,
    pub kind: String,
    pub date: String,
    pub functions: Option<String>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

#[derive(Debug, Clone)]
pub struct PartnerFacts {
    pub id: String,
    pub kind: String,
    pub iso: Option<String>,
    pub name: Localized,
    pub aliases: Vec<String>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
    /// Agreements this partner is a party to, by document ID.
    pub agreements: Vec<Named>,
}

#[derive(Debug, Clone)]
pub struct ClaimFacts {
    pub id: String,
    pub partner_id: String,
    pub agreement_id: Option<String>,
    pub stage: Option<String>,
    pub stated: String,
    pub statement: String,
    pub correction: Option<String>,
    pub correction_source: Option<String>,
    pub source: String,
    pub confidence: String,
}

#[derive(Debug, Clone)]
pub struct FrameworkFacts {
    pub id: String,
    pub title: Localized,
    pub document: Option<Named>,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
    /// Nodes in tree order with their depth.
    pub nodes: Vec<(usize, NodeFacts)>,
}

#[derive(Debug, Clone)]
pub struct NodeFacts {
    pub id: String,
    pub framework_id: String,
    pub parent_id: Option<String>,
    pub kind: String,
    pub number: Option<String>,
    pub title: Localized,
    pub text: Option<String>,
    pub source: String,
    pub confidence: String,
    /// How many provision links point at this node.
    pub links: i64,
}

/// Where a framework node is shown, and its title.
#[derive(Debug, Clone)]
pub struct NodePlace {
    pub id: String,
    pub kind: String,
    pub framework: String,
    pub title: Localized,
}

/// A provision linked to a framework node.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedProvision {
    pub document: Named,
    pub eid: String,
    pub number: Option<String>,
    pub heading: Option<String>,
    pub kind: String,
    pub link_kind: String,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

#[derive(Debug, Clone)]
pub struct IndicatorFacts {
    pub id: String,
    pub name: Localized,
    pub unit: String,
    pub measure: String,
    pub note: Option<String>,
    pub source: String,
    pub values: Vec<ValueFacts>,
}

#[derive(Debug, Clone)]
pub struct ValueFacts {
    pub period: String,
    pub period_start: String,
    pub period_end: String,
    pub value: f64,
    pub derived: bool,
    pub note: Option<String>,
    pub source: String,
    pub confidence: String,
}

/// One row of the obligations download.
#[derive(Debug, Clone)]
pub struct ObligationExport {
    /// The change that set its status on the day of the build; none when
    /// none is recorded (it is then active).
    pub status: Option<super::query::StatusChange>,
    pub id: String,
    pub agency: String,
    pub role: String,
    pub modality: String,
    pub action: String,
    pub document: String,
    pub provision: String,
    pub due: Option<String>,
    pub recurrence: Option<String>,
    pub source: String,
    pub confidence: String,
}

/// One entry of the search index.
#[derive(Debug, Clone)]
pub struct SearchEntry {
    /// `document`, `provision`, `obligation`, `agency`, `partner`, or a
    /// framework node's kind (`direction`, `goal`, `objective`…).
    pub kind: &'static str,
    pub id: String,
    /// For a provision, its eId; for a framework node, its framework.
    pub anchor: Option<String>,
    /// A provision's heading (in `en`, the language a heading is kept in);
    /// an obligation's action (as the catalog words it).
    pub title: Localized,
    /// For a provision or an obligation, its document's title.
    pub document: Option<Localized>,
    /// For an obligation, the provision that sets it: document ID and eId.
    pub place: Option<(String, String)>,
    /// For an obligation, the agency that owes it, by its names.
    pub agency: Option<Localized>,
    pub text: Option<String>,
    /// Other names its page shows (an agency's or a partner's aliases).
    pub aliases: Vec<String>,
}

impl Store {
    /// The bibliography, by ID.
    pub async fn site_sources(&self) -> Result<Vec<SourceFacts>> {
        let rows = sqlx::query(
            "SELECT id, kind, title, author, publisher, published, url, accessed, note
               FROM sources ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading the sources")?;
        rows.iter()
            .map(|r| {
                Ok(SourceFacts {
                    id: get(r, "id")?,
                    kind: get(r, "kind")?,
                    title: get(r, "title")?,
                    author: get(r, "author")?,
                    publisher: get(r, "publisher")?,
                    published: get(r, "published")?,
                    url: get(r, "url")?,
                    accessed: get(r, "accessed")?,
                    note: get(r, "note")?,
                })
            })
            .collect()
    }

    /// What cites `source`: documents (through any of their facts),
    /// agencies, partners, frameworks and indicators.
    pub async fn site_citers(&self, source: &str) -> Result<Citers> {
        let documents = "
            SELECT id FROM documents WHERE source_id = ?1
            UNION SELECT document_id FROM provisions WHERE source_id = ?1
            UNION SELECT from_id FROM document_relations WHERE source_id = ?1
            UNION SELECT document_id FROM provision_links WHERE source_id = ?1
            UNION SELECT document_id FROM obligations WHERE source_id = ?1
            UNION SELECT o.document_id FROM obligation_events e JOIN obligations o ON o.id = e.obligation_id WHERE e.source_id = ?1
            UNION SELECT document_id FROM agreement_events WHERE source_id = ?1";
        let agencies = "
            SELECT id FROM agencies WHERE source_id = ?1
            UNION SELECT from_id FROM agency_successions WHERE source_id = ?1
            UNION SELECT to_id FROM agency_successions WHERE source_id = ?1";
        let partners = "
            SELECT id FROM partners WHERE source_id = ?1
            UNION SELECT partner_id FROM claims WHERE source_id = ?1 OR correction_source_id = ?1";
        let frameworks = "
            SELECT id FROM frameworks WHERE source_id = ?1
            UNION SELECT framework_id FROM framework_nodes WHERE source_id = ?1";
        let indicators = "
            SELECT id FROM indicators WHERE source_id = ?1
            UNION SELECT indicator_id FROM indicator_values WHERE source_id = ?1";
        Ok(Citers {
            documents: self.citers(source, documents, "documents", "title").await?,
            agencies: self.citers(source, agencies, "agencies", "name").await?,
            partners: self.citers(source, partners, "partners", "name").await?,
            frameworks: self
                .citers(source, frameworks, "frameworks", "title")
                .await?,
            indicators: self
                .citers(source, indicators, "indicators", "name")
                .await?,
        })
    }

    async fn citers(
        &self,
        source: &str,
        ids: &str,
        table: &str,
        name: &str,
    ) -> Result<(Vec<Named>, i64)> {
        // `table` and `name` come from the constant calls above.
        let total: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM ({ids})"))
            .bind(source)
            .fetch_one(&self.pool)
            .await
            .context(format_args!("counting the {table} that cite `{source}`"))?;
        let rows = sqlx::query(&format!(
            "SELECT t.id, t.{name}_en AS n_en, t.{name}_ru AS n_ru, t.{name}_kk AS n_kk
               FROM {table} t WHERE t.id IN ({ids}) ORDER BY t.id LIMIT {CITER_LIMIT}"
        ))
        .bind(source)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the {table} that cite `{source}`"))?;
        let list = rows
            .iter()
            .map(|r| {
                Ok(Named {
                    id: get(r, "id")?,
                    name: localized(r, "n")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok((list, total))
    }

    /// Every agency, by ID.
    pub async fn site_agencies(&self) -> Result<Vec<AgencyFacts>> {
        let rows = sqlx::query(
            "SELECT id, kind, name_en, name_ru, name_kk, abbreviation, aliases, parent_id,
                    jurisdiction, established, abolished, note, source_id, confidence
               FROM agencies ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading the agencies")?;
        rows.iter()
            .map(|r| {
                Ok(AgencyFacts {
                    id: get(r, "id")?,
                    kind: get(r, "kind")?,
                    name: localized(r, "name")?,
                    abbreviation: get(r, "abbreviation")?,
                    aliases: json(r, "aliases")?,
                    parent_id: get(r, "parent_id")?,
                    jurisdiction: get(r, "jurisdiction")?,
                    established: get(r, "established")?,
                    abolished: get(r, "abolished")?,
                    note: get(r, "note")?,
                    source: get(r, "source_id")?,
                    confidence: get(r, "confidence")?,
                })
            })
            .collect()
    }

    /// Every reorganisation, oldest first.
    pub async fn site_successions(&self) -> Result<Vec<SuccessionFacts>> {
        let rows = sqlx::query(
            "SELECT from_id, to_id, kind, date, functions, note, source_id, confidence
               FROM agency_successions ORDER BY date_min, from_id, to_id, kind",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading the agencies' successions")?;
        rows.iter()
            .map(|r| {
                Ok(SuccessionFacts {
                    from_id: get(r, "from_id")?,
                    to_id: get(r, "to_id")?,
                    kind: get(r, "kind")?,
                    date: get(r, "date")?,
                    functions: get(r, "functions")?,
                    note: get(r, "note")?,
                    source: get(r, "source_id")?,
                    confidence: get(r, "confidence")?,
                })
            })
            .collect()
    }

    /// Every partner with the agreements it is a party to, by ID.
    pub async fn site_partners(&self) -> Result<Vec<PartnerFacts>> {
        let rows = sqlx::query(
            "SELECT p.id, p.kind, p.iso, p.name_en, p.name_ru, p.name_kk, p.aliases, p.note,
                    p.source_id, p.confidence,
                    (SELECT json_group_array(json_array(d.id, d.title_en, d.title_ru, d.title_kk))
                       FROM agreement_parties ap JOIN documents d ON d.id = ap.document_id
                      WHERE ap.partner_id = p.id) AS agreements
               FROM partners p ORDER BY p.id",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading the partners")?;
        rows.iter()
            .map(|r| {
                let mut agreements: Vec<Named> = json::<
                    Vec<(String, Option<String>, Option<String>, Option<String>)>,
                >(r, "agreements")?
                .into_iter()
                .map(|(id, en, ru, kk)| Named {
                    id,
                    name: loc(en, ru, kk),
                })
                .collect();
                agreements.sort_by(|a, b| a.id.cmp(&b.id));
                Ok(PartnerFacts {
                    id: get(r, "id")?,
                    kind: get(r, "kind")?,
                    iso: get(r, "iso")?,
                    name: localized(r, "name")?,
                    aliases: json(r, "aliases")?,
                    note: get(r, "note")?,
                    source: get(r, "source_id")?,
                    confidence: get(r, "confidence")?,
                    agreements,
                })
            })
            .collect()
    }

    /// The recorded history of one agreement, oldest first.
    pub async fn site_events(&self, document: &str) -> Result<Vec<EventFact>> {
        let rows = sqlx::query(
            "SELECT e.party_id, p.name_en, p.name_ru, p.name_kk, e.seq, e.stage, e.date,
                    e.precision, e.date_min, e.date_max, e.note, e.source_id, e.confidence
               FROM agreement_events e LEFT JOIN partners p ON p.id = e.party_id
              WHERE e.document_id = ?1 ORDER BY e.seq, e.date_min, e.stage",
        )
        .bind(document)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the history of `{document}`"))?;
        rows.iter().map(|r| event_from_row(document, r)).collect()
    }

    /// The `limit` most recent status events across all agreements that
    /// may have happened by `today` (their date's period has begun), newest
    /// first, each with its agreement.
    pub async fn site_latest_events(
        &self,
        limit: i64,
        today: chrono::NaiveDate,
    ) -> Result<Vec<(Named, EventFact)>> {
        let rows = sqlx::query(
            "SELECT e.document_id, d.title_en AS d_en, d.title_ru AS d_ru, d.title_kk AS d_kk,
                    e.party_id, p.name_en, p.name_ru, p.name_kk, e.seq, e.stage,
                    e.date, e.precision, e.date_min, e.date_max, e.note, e.source_id, e.confidence
               FROM agreement_events e
               JOIN documents d ON d.id = e.document_id
               LEFT JOIN partners p ON p.id = e.party_id
              WHERE e.date_min <= ?2
              ORDER BY e.date_max DESC, e.date_min DESC, e.document_id, e.seq
              LIMIT ?1",
        )
        .bind(limit)
        .bind(super::query::day(today))
        .fetch_all(&self.pool)
        .await
        .context("reading the latest status changes")?;
        rows.iter()
            .map(|r| {
                let doc: String = get(r, "document_id")?;
                let event = event_from_row(&doc, r)?;
                Ok((
                    Named {
                        id: doc,
                        name: localized(r, "d")?,
                    },
                    event,
                ))
            })
            .collect()
    }

    /// Claims about a partner, oldest first.
    pub async fn site_claims(&self, partner: &str) -> Result<Vec<ClaimFacts>> {
        let rows = sqlx::query(
            "SELECT id, partner_id, document_id, stage, stated, statement, correction,
                    correction_source_id, source_id, confidence
               FROM claims WHERE partner_id = ?1 ORDER BY stated, id",
        )
        .bind(partner)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the claims about `{partner}`"))?;
        rows.iter()
            .map(|r| {
                Ok(ClaimFacts {
                    id: get(r, "id")?,
                    partner_id: get(r, "partner_id")?,
                    agreement_id: get(r, "document_id")?,
                    stage: get(r, "stage")?,
                    stated: get(r, "stated")?,
                    statement: get(r, "statement")?,
                    correction: get(r, "correction")?,
                    correction_source: get(r, "correction_source_id")?,
                    source: get(r, "source_id")?,
                    confidence: get(r, "confidence")?,
                })
            })
            .collect()
    }

    /// Every framework with its nodes in tree order.
    pub async fn site_frameworks(&self) -> Result<Vec<FrameworkFacts>> {
        let rows = sqlx::query(
            "SELECT f.id, f.title_en, f.title_ru, f.title_kk, f.document_id,
                    d.title_en AS doc_en, d.title_ru AS doc_ru, d.title_kk AS doc_kk,
                    f.note, f.source_id, f.confidence
               FROM frameworks f LEFT JOIN documents d ON d.id = f.document_id
              ORDER BY f.id",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading the frameworks")?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = get(r, "id")?;
            let doc: Option<String> = get(r, "document_id")?;
            let nodes = self.framework_nodes(&id).await?;
            out.push(FrameworkFacts {
                title: localized(r, "title")?,
                document: match doc {
                    Some(d) => Some(Named {
                        id: d,
                        name: localized(r, "doc")?,
                    }),
                    None => None,
                },
                note: get(r, "note")?,
                source: get(r, "source_id")?,
                confidence: get(r, "confidence")?,
                nodes,
                id,
            });
        }
        Ok(out)
    }

    /// Every framework node's ID, kind, framework and title: where a link
    /// to it goes and what it says, without the rest of
    /// [`Store::site_frameworks`] (texts and a count of links per node).
    pub async fn site_node_places(&self) -> Result<Vec<NodePlace>> {
        let rows = sqlx::query(
            "SELECT id, kind, framework_id, title_en, title_ru, title_kk
               FROM framework_nodes ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading where the framework nodes are shown")?;
        rows.iter()
            .map(|r| {
                Ok(NodePlace {
                    id: get(r, "id")?,
                    kind: get(r, "kind")?,
                    framework: get(r, "framework_id")?,
                    title: localized(r, "title")?,
                })
            })
            .collect()
    }

    async fn framework_nodes(&self, framework: &str) -> Result<Vec<(usize, NodeFacts)>> {
        let rows = sqlx::query(
            "SELECT n.id, n.framework_id, n.parent_id, n.kind, n.number, n.title_en, n.title_ru,
                    n.title_kk, n.text, n.source_id, n.confidence, n.ord,
                    (SELECT count(*) FROM provision_links l WHERE l.node_id = n.id) AS links
               FROM framework_nodes n WHERE n.framework_id = ?1 ORDER BY n.ord, n.id",
        )
        .bind(framework)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the nodes of framework `{framework}`"))?;
        let nodes = rows
            .iter()
            .map(|r| {
                Ok(NodeFacts {
                    id: get(r, "id")?,
                    framework_id: get(r, "framework_id")?,
                    parent_id: get(r, "parent_id")?,
                    kind: get(r, "kind")?,
                    number: get(r, "number")?,
                    title: localized(r, "title")?,
                    text: get(r, "text")?,
                    source: get(r, "source_id")?,
                    confidence: get(r, "confidence")?,
                    links: get(r, "links")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(node_tree(nodes))
    }

    /// Every direction's linked provisions, direction by direction in ID
    /// order, each list in the order of [`Store::site_linked_provisions`]:
    /// one pass over the links in stored order (so provisions are looked
    /// up in document order, not scattered), sorted by direction by
    /// SQLite, handed over one direction at a time.
    pub fn site_links_by_direction(&self) -> DirectionLinks {
        let store = self.clone();
        DirectionLinks::spawn(move |tx| async move {
            use futures_util::TryStreamExt;
            let mut rows = sqlx::query_as::<_, (String, String)>(
                "SELECT node, '[' || group_concat(row, ',' ORDER BY k1, k2, k3, k4) || ']'
                   FROM (SELECT l.node_id AS node, l.document_id AS k1, p.ord AS k2,
                                l.eid AS k3, l.kind AS k4,
                                json_array(l.document_id, d.title_en, d.title_ru, d.title_kk,
                                           l.eid, p.number, p.heading, p.kind, l.kind, l.note,
                                           l.source_id, l.confidence) AS row
                           FROM provision_links l
                          CROSS JOIN framework_nodes n ON n.id = l.node_id
                           JOIN provisions p ON p.document_id = l.document_id AND p.eid = l.eid
                           JOIN documents d ON d.id = l.document_id
                          WHERE n.kind = 'direction')
                  GROUP BY node ORDER BY node",
            )
            .fetch(&store.pool);
            while let Some((node, json)) = rows
                .try_next()
                .await
                .context("reading the provisions linked to directions")?
            {
                let list = linked_from_json(&json, &node)?;
                if tx.send(Ok((node, list))).await.is_err() {
                    // The reader stopped (an error of its own).
                    return Ok(());
                }
            }
            Ok(())
        })
    }

    /// The provisions linked to a framework node, in document order.
    pub async fn site_linked_provisions(&self, node: &str) -> Result<Vec<LinkedProvision>> {
        // One JSON value rather than a row per link: each row would cross
        // from SQLite's thread on its own, which cost more than the query.
        let text: Option<String> = sqlx::query_scalar(
            "SELECT json_group_array(json_array(document_id, title_en, title_ru, title_kk, eid,
                                                number, heading, kind, link_kind, note, source_id,
                                                confidence))
               FROM (SELECT l.document_id, d.title_en, d.title_ru, d.title_kk, l.eid, p.number,
                            p.heading, p.kind, l.kind AS link_kind, l.note, l.source_id,
                            l.confidence
                       FROM provision_links l
                       JOIN provisions p ON p.document_id = l.document_id AND p.eid = l.eid
                       JOIN documents d ON d.id = l.document_id
                      WHERE l.node_id = ?1
                      ORDER BY l.document_id, p.ord, l.eid, l.kind)",
        )
        .bind(node)
        .fetch_one(&self.pool)
        .await
        .context(format_args!("reading the provisions linked to `{node}`"))?;
        linked_from_json(text.as_deref().unwrap_or("[]"), node)
    }

    /// Every indicator with its values in period order.
    pub async fn site_indicators(&self) -> Result<Vec<IndicatorFacts>> {
        let rows = sqlx::query(
            "SELECT id, name_en, name_ru, name_kk, unit, measure, note, source_id
               FROM indicators ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading the indicators")?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let id: String = get(r, "id")?;
            let values = sqlx::query(
                "SELECT period, period_start, period_end, value, derived, note, source_id, confidence
                   FROM indicator_values WHERE indicator_id = ?1
                  ORDER BY period_start, period_end, period",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading the values of `{id}`"))?
            .iter()
            .map(|v| {
                Ok(ValueFacts {
                    period: get(v, "period")?,
                    period_start: get(v, "period_start")?,
                    period_end: get(v, "period_end")?,
                    value: get(v, "value")?,
                    derived: get::<i64>(v, "derived")? != 0,
                    note: get(v, "note")?,
                    source: get(v, "source_id")?,
                    confidence: get(v, "confidence")?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
            out.push(IndicatorFacts {
                name: localized(r, "name")?,
                unit: get(r, "unit")?,
                measure: get(r, "measure")?,
                note: get(r, "note")?,
                source: get(r, "source_id")?,
                values,
                id,
            });
        }
        Ok(out)
    }

    /// A batch of obligations for the download, after `after` in ID order.
    pub async fn site_obligations(
        &self,
        after: Option<&str>,
        limit: i64,
        today: chrono::NaiveDate,
    ) -> Result<Vec<ObligationExport>> {
        static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
            format!(
                "SELECT json_group_array(json_array(id, agency_id, role, modality, action, document_id,
                                                    eid, due, recurrence_every, recurrence_by,
                                                    source_id, confidence, {}))
                   FROM (SELECT * FROM obligations WHERE id > coalesce(?1, '') ORDER BY id LIMIT ?2) o",
                super::query::current_status_sql("?3")
            )
        });
        let text: Option<String> = sqlx::query_scalar(&SQL)
            .bind(after)
            .bind(limit)
            .bind(today.format("%Y-%m-%d").to_string())
            .fetch_one(&self.pool)
            .await
            .context("reading obligations for the download")?;
        type Row = (
            String,
            String,
            String,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            String,
            String,
            Option<String>,
        );
        let mut rows: Vec<Row> = parse_json(text.as_deref().unwrap_or("[]"), "obligations")?;
        rows.sort_by(|a, b| a.0.cmp(&b.0));
        rows.into_iter()
            .map(
                |(
                    id,
                    agency,
                    role,
                    modality,
                    action,
                    document,
                    provision,
                    due,
                    every,
                    by,
                    source,
                    confidence,
                    status,
                )| {
                    Ok(ObligationExport {
                        status: super::query::decode_status(&id, status.as_deref())?,
                        id,
                        agency,
                        role,
                        modality,
                        action,
                        document,
                        provision,
                        due,
                        recurrence: every.zip(by).map(|(e, b)| format!("every {e} by {b}")),
                        source,
                        confidence,
                    })
                },
            )
            .collect()
    }

    /// How many entries [`Store::site_search_entries`] gives over all its
    /// kinds: the site splits the search index into parts by this count.
    pub async fn site_search_entry_count(&self) -> Result<i64> {
        sqlx::query_scalar(
            "SELECT (SELECT count(*) FROM documents) + (SELECT count(*) FROM provisions)
                  + (SELECT count(*) FROM obligations)
                  + (SELECT count(*) FROM agencies) + (SELECT count(*) FROM partners)
                  + (SELECT count(*) FROM framework_nodes)",
        )
        .fetch_one(&self.pool)
        .await
        .context("counting the search index's entries")
    }

    /// A batch of search entries of one kind, after `after` in key order.
    /// Kinds: `document`, `provision`, `obligation`, `agency`, `partner`,
    /// `node` (every
    /// framework node: its entry's kind is the node's own, `direction`,
    /// `goal`, `objective`…, and its anchor the framework's ID).
    pub async fn site_search_entries(
        &self,
        kind: &'static str,
        after: Option<(&str, &str)>,
        limit: i64,
    ) -> Result<Vec<SearchEntry>> {
        let (a, b) = after.unwrap_or(("", ""));
        let inner = match kind {
            "document" => {
                "SELECT id AS k1, '' AS k2, title_en AS t_en, title_ru AS t_ru, title_kk AS t_kk,
                        coalesce(number, '') || ' ' || work_id AS text
                   FROM documents WHERE id > ?1 ORDER BY id LIMIT ?3"
            }
            // The whole text: a word anywhere in it is on the page.
            "provision" => {
                "SELECT p.document_id AS k1, p.eid AS k2, p.heading AS t_en, NULL AS t_ru,
                        NULL AS t_kk,
                        coalesce(p.number, '') || ' ' || coalesce(p.text, '') AS text,
                        json_array(d.title_en, d.title_ru, d.title_kk) AS document
                   FROM provisions p JOIN documents d ON d.id = p.document_id
                  WHERE (p.document_id, p.eid) > (?1, ?2)
                  ORDER BY p.document_id, p.eid LIMIT ?3"
            }
            // An obligation is found by its action, its note, and the
            // names of its agency and document; it is shown at its
            // provision, where the document's page lists it.
            "obligation" => {
                "SELECT o.id AS k1, '' AS k2, o.action AS t_en, NULL AS t_ru, NULL AS t_kk,
                        coalesce(o.note, '') AS text,
                        json_array(d.title_en, d.title_ru, d.title_kk) AS document,
                        json_array(o.document_id, o.eid) AS place,
                        json_array(a.name_en, a.name_ru, a.name_kk) AS agency,
                        json_array(coalesce(a.abbreviation, '')) AS aliases
                   FROM obligations o
                   JOIN documents d ON d.id = o.document_id
                   JOIN agencies a ON a.id = o.agency_id
                  WHERE o.id > ?1 ORDER BY o.id LIMIT ?3"
            }
            "agency" => {
                "SELECT id AS k1, '' AS k2, name_en AS t_en, name_ru AS t_ru, name_kk AS t_kk,
                        coalesce(abbreviation, '') AS text, aliases
                   FROM agencies WHERE id > ?1 ORDER BY id LIMIT ?3"
            }
            "partner" => {
                "SELECT id AS k1, '' AS k2, name_en AS t_en, name_ru AS t_ru, name_kk AS t_kk,
                        coalesce(iso, '') AS text, aliases
                   FROM partners WHERE id > ?1 ORDER BY id LIMIT ?3"
            }
            "node" => {
                "SELECT id AS k1, framework_id AS k2, title_en AS t_en, title_ru AS t_ru, title_kk AS t_kk,
                        coalesce(text, '') AS text, kind AS node_kind
                   FROM framework_nodes WHERE id > ?1 ORDER BY id LIMIT ?3"
            }
            other => {
                return Err(Error::Usage(format!("no search entries of kind `{other}`")));
            }
        };
        let node_kind = if kind == "node" { "node_kind" } else { "NULL" };
        let document = if matches!(kind, "provision" | "obligation") {
            "json(document)"
        } else {
            "NULL"
        };
        let (place, agency) = if kind == "obligation" {
            ("json(place)", "json(agency)")
        } else {
            ("NULL", "NULL")
        };
        let aliases = if matches!(kind, "agency" | "partner" | "obligation") {
            "json(aliases)"
        } else {
            "json('[]')"
        };
        let sql = format!(
            "SELECT json_group_array(json_array(k1, k2, t_en, t_ru, t_kk, text, {node_kind}, {document}, {place}, {agency}, {aliases})) FROM ({inner})"
        );
        let text: Option<String> = sqlx::query_scalar(&sql)
            .bind(a)
            .bind(b)
            .bind(limit)
            .fetch_one(&self.pool)
            .await
            .context(format_args!("reading {kind} entries for the search index"))?;
        type Titles = (Option<String>, Option<String>, Option<String>);
        type Row = (
            String,
            String,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<String>,
            Option<Titles>,
            Option<(String, String)>,
            Option<Titles>,
            Vec<String>,
        );
        let mut rows: Vec<Row> = parse_json(text.as_deref().unwrap_or("[]"), "search entries")?;
        rows.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
        Ok(rows
            .into_iter()
            .map(
                |(k1, k2, en, ru, kk, text, node_kind, document, place, agency, aliases)| {
                    SearchEntry {
                        kind: match node_kind.as_deref().map(str::parse::<NodeKind>) {
                            Some(Ok(k)) => k.as_str(),
                            _ => kind,
                        },
                        id: k1,
                        anchor: (!k2.is_empty()).then_some(k2),
                        title: loc(en, ru, kk),
                        document: document.map(|(en, ru, kk)| loc(en, ru, kk)),
                        place,
                        agency: agency.map(|(en, ru, kk)| loc(en, ru, kk)),
                        text: text.filter(|t| !t.trim().is_empty()),
                        aliases,
                    }
                },
            )
            .collect())
    }

    /// The titles of the documents asked for (those the store holds), by
    /// ID: for pages that name a few documents they otherwise know only
    /// by ID.
    pub async fn site_document_names(&self, ids: &[&str]) -> Result<Vec<Named>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let ids = serde_json::to_string(ids).expect("strings encode");
        // One JSON value, not a row per document: an agency's page may
        // name thousands.
        let text: Option<String> = sqlx::query_scalar(
            "SELECT json_group_array(json_array(id, title_en, title_ru, title_kk)) FROM
               (SELECT id, title_en, title_ru, title_kk FROM documents
                 WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id)",
        )
        .bind(ids)
        .fetch_one(&self.pool)
        .await
        .context("reading the titles of documents")?;
        let list: Vec<NamedJson> = parse_json(text.as_deref().unwrap_or("[]"), "document titles")?;
        Ok(list
            .into_iter()
            .map(|(id, en, ru, kk)| Named {
                id,
                name: loc(en, ru, kk),
            })
            .collect())
    }

    /// IDs of every record of a kind that gets its own page, sorted.
    /// Kinds: `documents`, `agencies`, `partners`, `frameworks`, `directions`.
    pub async fn site_ids(&self, kind: &str) -> Result<Vec<String>> {
        let sql = match kind {
            "documents" => "SELECT id FROM documents ORDER BY id",
            "agencies" => "SELECT id FROM agencies ORDER BY id",
            "partners" => "SELECT id FROM partners ORDER BY id",
            "frameworks" => "SELECT id FROM frameworks ORDER BY id",
            "directions" => "SELECT id FROM framework_nodes WHERE kind = 'direction' ORDER BY id",
            other => return Err(Error::Usage(format!("no pages of kind `{other}`"))),
        };
        sqlx::query_scalar(sql)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("listing the {kind} for the site"))
    }

    /// The years from the first recorded agreement event to `until`.
    pub async fn site_event_years(&self) -> Result<Option<(i32, i32)>> {
        let row: (Option<String>, Option<String>) =
            sqlx::query_as("SELECT min(date_min), max(date_max) FROM agreement_events")
                .fetch_one(&self.pool)
                .await
                .context("reading the span of agreement histories")?;
        let year =
            |s: Option<String>| s.and_then(|s| s.get(..4).and_then(|y| y.parse::<i32>().ok()));
        Ok(year(row.0).zip(year(row.1)))
    }
}

fn event_from_row(doc: &str, r: &SqliteRow) -> Result<EventFact> {
    let party: Option<String> = get(r, "party_id")?;
    Ok(EventFact {
        document_id: doc.to_owned(),
        party: match party {
            Some(id) => Some(Named {
                id,
                name: loc(get(r, "name_en")?, get(r, "name_ru")?, get(r, "name_kk")?),
            }),
            None => None,
        },
        seq: get(r, "seq")?,
        stage: get(r, "stage")?,
        date: get(r, "date")?,
        precision: get(r, "precision")?,
        date_min: get(r, "date_min")?,
        date_max: get(r, "date_max")?,
        note: get(r, "note")?,
        source: get(r, "source_id")?,
        confidence: get(r, "confidence")?,
    })
}

fn node_tree(nodes: Vec<NodeFacts>) -> Vec<(usize, NodeFacts)> {
    depth_first(nodes, |n| &n.id, |n| n.parent_id.as_deref())
}
