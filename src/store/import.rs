//! Importing a catalog: validate everything, then write it all in one
//! transaction, or nothing.
//!
//! Records are upserted by ID, so re-importing the same files changes
//! nothing. Rows are written in multi-row batches: a statement per record
//! costs more in round trips to SQLite's worker thread than the insert
//! itself. Histories (agreement events, obligation status changes) are
//! append-only: an event already in the store is never rewritten, and a file
//! that gives a different account of a recorded event is refused.

use std::collections::{BTreeMap, HashMap, HashSet};

use indicatif::ProgressBar;
use sqlx::{Sqlite, Transaction};

use super::{Store, TABLES};
use crate::catalog::Catalog;
use crate::catalog::history::Entry;
use crate::catalog::model::*;
use crate::catalog::validate::{self, Pending, Place, RefKind, implied_parent};
use crate::date::PartialDate;
use crate::diagnostics::Diagnostics;
use crate::error::{DbContext, Error, Result};

/// What an import changed (or, for a dry run, would change) in one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChange {
    pub table: &'static str,
    pub added: u64,
    pub changed: u64,
    /// Rows a document or framework file no longer lists.
    pub removed: u64,
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub files: usize,
    pub records: u64,
    pub changes: Vec<TableChange>,
    pub dry_run: bool,
    /// The write-ahead log could not be folded into the store file (another
    /// process was reading): the import is committed, the log file stays.
    pub log_kept: bool,
}

impl ImportReport {
    pub fn is_unchanged(&self) -> bool {
        self.changes
            .iter()
            .all(|c| c.added == 0 && c.changed == 0 && c.removed == 0)
    }
}

/// A value to bind: what catalog fields become in SQLite.
#[derive(Debug, Clone)]
enum Val {
    Text(Option<String>),
    Int(i64),
    Real(f64),
}

impl From<&str> for Val {
    fn from(s: &str) -> Self {
        Val::Text(Some(s.to_owned()))
    }
}
impl From<&String> for Val {
    fn from(s: &String) -> Self {
        Val::Text(Some(s.clone()))
    }
}
impl From<String> for Val {
    fn from(s: String) -> Self {
        Val::Text(Some(s))
    }
}
impl From<&Option<String>> for Val {
    fn from(s: &Option<String>) -> Self {
        Val::Text(s.clone())
    }
}
impl From<Option<String>> for Val {
    fn from(s: Option<String>) -> Self {
        Val::Text(s)
    }
}
impl From<Option<&str>> for Val {
    fn from(s: Option<&str>) -> Self {
        Val::Text(s.map(str::to_owned))
    }
}
impl From<&Option<PartialDate>> for Val {
    fn from(d: &Option<PartialDate>) -> Self {
        Val::Text(d.map(|d| d.to_string()))
    }
}
impl From<PartialDate> for Val {
    fn from(d: PartialDate) -> Self {
        Val::Text(Some(d.to_string()))
    }
}
impl From<usize> for Val {
    fn from(i: usize) -> Self {
        Val::Int(i as i64)
    }
}
impl From<bool> for Val {
    fn from(b: bool) -> Self {
        Val::Int(i64::from(b))
    }
}
impl From<f64> for Val {
    fn from(f: f64) -> Self {
        Val::Real(f)
    }
}

fn day(d: chrono::NaiveDate) -> Val {
    Val::Text(Some(d.format("%Y-%m-%d").to_string()))
}

fn aliases(list: &[String]) -> Val {
    Val::Text(Some(
        serde_json::to_string(list).expect("a list of strings always encodes"),
    ))
}

/// How a table is written: its key columns, its other columns, and whether
/// existing rows are updated (records) or left alone (history).
struct Table {
    name: &'static str,
    key: &'static [&'static str],
    cols: &'static [&'static str],
    history: bool,
}

const SOURCES: Table = Table {
    name: "sources",
    key: &["id"],
    cols: &[
        "kind",
        "title",
        "author",
        "publisher",
        "published",
        "url",
        "accessed",
        "note",
    ],
    history: false,
};
const AGENCIES: Table = Table {
    name: "agencies",
    key: &["id"],
    cols: &[
        "kind",
        "name_en",
        "name_ru",
        "name_kk",
        "abbreviation",
        "aliases",
        "parent_id",
        "jurisdiction",
        "established",
        "abolished",
        "note",
        "source_id",
        "confidence",
    ],
    history: false,
};
const SUCCESSIONS: Table = Table {
    name: "agency_successions",
    key: &["from_id", "to_id", "kind", "date"],
    cols: &[
        "precision",
        "date_min",
        "date_max",
        "functions",
        "note",
        "source_id",
        "confidence",
    ],
    history: false,
};
const PARTNERS: Table = Table {
    name: "partners",
    key: &["id"],
    cols: &[
        "kind",
        "iso",
        "name_en",
        "name_ru",
        "name_kk",
        "aliases",
        "note",
        "source_id",
        "confidence",
    ],
    history: false,
};
const DOCUMENTS: Table = Table {
    name: "documents",
    key: &["id"],
    cols: &[
        "kind",
        "work_id",
        "number",
        "title_en",
        "title_ru",
        "title_kk",
        "issuer_id",
        "jurisdiction",
        "adopted",
        "in_force",
        "expires",
        "repealed",
        "status",
        "url",
        "note",
        "source_id",
        "confidence",
    ],
    history: false,
};
const RELATIONS: Table = Table {
    name: "document_relations",
    key: &["from_id", "kind", "to_id"],
    cols: &["ord", "date", "note", "source_id", "confidence"],
    history: false,
};
const PROVISIONS: Table = Table {
    name: "provisions",
    key: &["document_id", "eid"],
    cols: &[
        "parent_eid",
        "ord",
        "kind",
        "number",
        "heading",
        "text",
        "text_kind",
        "valid_from",
        "valid_to",
        "source_id",
        "confidence",
    ],
    history: false,
};
const PARTIES: Table = Table {
    name: "agreement_parties",
    key: &["document_id", "partner_id"],
    cols: &["ord", "note"],
    history: false,
};
const EVENTS: Table = Table {
    name: "agreement_events",
    key: &["document_id", "party_id", "stage", "date"],
    cols: &[
        "seq",
        "precision",
        "date_min",
        "date_max",
        "note",
        "source_id",
        "confidence",
        "forced",
    ],
    history: true,
};
const FRAMEWORKS: Table = Table {
    name: "frameworks",
    key: &["id"],
    cols: &[
        "title_en",
        "title_ru",
        "title_kk",
        "document_id",
        "note",
        "source_id",
        "confidence",
    ],
    history: false,
};
const NODES: Table = Table {
    name: "framework_nodes",
    key: &["id"],
    cols: &[
        "framework_id",
        "parent_id",
        "ord",
        "kind",
        "number",
        "title_en",
        "title_ru",
        "title_kk",
        "text",
        "source_id",
        "confidence",
    ],
    history: false,
};
const LINKS: Table = Table {
    name: "provision_links",
    key: &["document_id", "eid", "node_id", "kind"],
    cols: &["ord", "note", "source_id", "confidence"],
    history: false,
};
const OBLIGATIONS: Table = Table {
    name: "obligations",
    key: &["id"],
    cols: &[
        "document_id",
        "eid",
        "ord",
        "agency_id",
        "role",
        "modality",
        "action",
        "due",
        "recurrence_every",
        "recurrence_by",
        "note",
        "source_id",
        "confidence",
    ],
    history: false,
};
const OBLIGATION_EVENTS: Table = Table {
    name: "obligation_events",
    key: &["obligation_id", "status", "date"],
    cols: &[
        "seq",
        "date_min",
        "date_max",
        "note",
        "source_id",
        "forced",
        "confidence",
    ],
    history: true,
};
const CLAIMS: Table = Table {
    name: "claims",
    key: &["id"],
    cols: &[
        "partner_id",
        "document_id",
        "stage",
        "stated",
        "statement",
        "correction",
        "correction_source_id",
        "source_id",
        "confidence",
    ],
    history: false,
};
const INDICATORS: Table = Table {
    name: "indicators",
    key: &["id"],
    cols: &[
        "name_en",
        "name_ru",
        "name_kk",
        "unit",
        "measure",
        "note",
        "source_id",
    ],
    history: false,
};
const VALUES: Table = Table {
    name: "indicator_values",
    key: &["indicator_id", "period"],
    cols: &[
        "period_start",
        "period_end",
        "ord",
        "value",
        "derived",
        "note",
        "source_id",
        "confidence",
    ],
    history: false,
};

/// Rows per statement. SQLite allows 32,766 bound values; the widest table
/// binds 18 columns.
const BATCH_ROWS: usize = 500;

impl Table {
    /// `INSERT ... VALUES (...), (...)` for `rows` rows. Records are
    /// upserted, updating only rows whose values differ, so that
    /// `rows_affected` counts real changes; history rows already recorded
    /// are left alone. Names come from the constants above, never from input.
    fn sql(&self, rows: usize) -> String {
        let all: Vec<&str> = self.key.iter().chain(self.cols).copied().collect();
        let row = format!("({})", vec!["?"; all.len()].join(", "));
        let values = vec![row.as_str(); rows].join(", ");
        let head = format!(
            "INSERT INTO {} ({}) VALUES {values}",
            self.name,
            all.join(", ")
        );
        if self.history {
            // The unique key of agreement events is on `scope`, the
            // generated column standing for a NULL party.
            return format!("{head} ON CONFLICT DO NOTHING");
        }
        let sets = self
            .cols
            .iter()
            .map(|c| format!("{c} = excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let old = self
            .cols
            .iter()
            .map(|c| format!("{}.{c}", self.name))
            .collect::<Vec<_>>()
            .join(", ");
        let new = self
            .cols
            .iter()
            .map(|c| format!("excluded.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "{head} ON CONFLICT ({}) DO UPDATE SET {sets} WHERE ({old}) IS NOT ({new})",
            self.key.join(", ")
        )
    }
}

/// Rows waiting to be written, per table.
struct Batches {
    pending: Vec<(&'static Table, Vec<Vec<Val>>)>,
    affected: BTreeMap<&'static str, u64>,
    removed: BTreeMap<&'static str, u64>,
    /// Which file removed each row (table, key joined by `#`), so that a
    /// row left pointing at it can name the file that dropped it.
    removed_by: HashMap<(&'static str, String), usize>,
}

impl Batches {
    fn new() -> Self {
        Batches {
            pending: Vec::new(),
            affected: BTreeMap::new(),
            removed: BTreeMap::new(),
            removed_by: HashMap::new(),
        }
    }

    async fn add(
        &mut self,
        tx: &mut Transaction<'_, Sqlite>,
        table: &'static Table,
        row: Vec<Val>,
    ) -> Result<()> {
        debug_assert_eq!(row.len(), table.key.len() + table.cols.len());
        let i = match self.pending.iter().position(|(t, _)| t.name == table.name) {
            Some(i) => i,
            None => {
                self.pending.push((table, Vec::with_capacity(BATCH_ROWS)));
                self.pending.len() - 1
            }
        };
        self.pending[i].1.push(row);
        if self.pending[i].1.len() >= BATCH_ROWS {
            let rows = std::mem::take(&mut self.pending[i].1);
            self.write(tx, table, rows).await?;
        }
        Ok(())
    }

    async fn flush(&mut self, tx: &mut Transaction<'_, Sqlite>) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        for (table, rows) in pending {
            if !rows.is_empty() {
                self.write(tx, table, rows).await?;
            }
        }
        Ok(())
    }

    async fn write(
        &mut self,
        tx: &mut Transaction<'_, Sqlite>,
        table: &'static Table,
        rows: Vec<Vec<Val>>,
    ) -> Result<()> {
        let sql = table.sql(rows.len());
        let mut query = sqlx::query(&sql);
        for row in rows {
            for v in row {
                query = match v {
                    Val::Text(t) => query.bind(t),
                    Val::Int(i) => query.bind(i),
                    Val::Real(f) => query.bind(f),
                };
            }
        }
        let n = query
            .execute(&mut **tx)
            .await
            .context(format_args!("writing {}", table.name))?
            .rows_affected();
        *self.affected.entry(table.name).or_default() += n;
        Ok(())
    }
}

impl Store {
    /// Validates `catalog` against itself and the store, then writes it in
    /// one transaction. With `dry_run`, reports what would change and rolls
    /// back. With `today`, nothing that happened may be dated after it. On
    /// any problem nothing is written and every problem is returned.
    pub async fn import(
        &self,
        catalog: &Catalog,
        dry_run: bool,
        today: Option<chrono::NaiveDate>,
        progress: &ProgressBar,
    ) -> Result<ImportReport> {
        let (mut problems, pending) = validate::validate(catalog, today);

        // IMMEDIATE takes the write lock now, so a concurrent writer makes
        // this wait (busy timeout) instead of failing half-way; and the
        // store cannot change between checking references and writing.
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .context("starting the import transaction")?;
        problems.extend(resolve(&mut tx, catalog, &pending).await?);
        problems.extend(check_owners(&mut tx, catalog).await?);
        problems.extend(check_histories(&mut tx, catalog).await?);
        if !problems.is_empty() {
            tx.rollback().await.context("rolling back the import")?;
            return Err(problems.into_error());
        }

        let records: u64 = catalog.files.iter().map(|f| record_count(&f.content)).sum();
        progress.set_length(records);
        // A large cache keeps a big import's pages in memory until commit.
        sqlx::query("PRAGMA cache_size = -262144")
            .execute(&mut *tx)
            .await
            .context("sizing the page cache")?;
        let before = table_counts(&mut tx).await?;
        let mut history = Diagnostics::default();
        let mut batches = Batches::new();
        for (index, file) in catalog.files.iter().enumerate() {
            let mut w = Writer {
                tx: &mut tx,
                batches: &mut batches,
                history: &mut history,
                catalog,
                file: index,
            };
            w.write_file().await.map_err(|e| in_file(e, &file.name))?;
            progress.inc(record_count(&file.content));
        }
        batches.flush(&mut tx).await?;
        history.extend(dangling_after_removals(&mut tx, catalog, &batches.removed_by).await?);
        for id in super::check::agency_cycles(&mut *tx).await? {
            history.push(
                crate::diagnostics::Location::file("the catalog"),
                format!("agency `{id}` would be its own ancestor through `parent`"),
            );
        }
        if !history.is_empty() {
            tx.rollback().await.context("rolling back the import")?;
            return Err(history.into_error());
        }
        let after = table_counts(&mut tx).await?;
        let changes = TABLES
            .iter()
            .zip(before.iter().zip(&after))
            .map(|(table, (b, a))| {
                let removed = batches.removed.get(table).copied().unwrap_or(0);
                let added = (a - b + removed as i64).max(0) as u64;
                let touched = batches.affected.get(table).copied().unwrap_or(0);
                TableChange {
                    table,
                    added,
                    changed: touched.saturating_sub(added),
                    removed,
                }
            })
            .collect();
        if dry_run {
            tx.rollback().await.context("rolling back the dry run")?;
        } else {
            tx.commit().await.context("committing the import")?;
        }
        // The write-ahead log now holds every page the import wrote (as
        // large as the store after a first import), and closing the pool
        // was seen to leave it on disk: fold it into the store file. The
        // import is committed whatever happens here, so a failure only
        // keeps the log, and is reported as that.
        let log_kept = !dry_run && !matches!(self.fold_log().await, Ok(true));
        progress.finish_and_clear();
        Ok(ImportReport {
            files: catalog.files.len(),
            records,
            changes,
            dry_run,
            log_kept,
        })
    }
}

/// Checks the references and unique values a batch could not settle on its
/// own against what the store already holds.
async fn resolve(
    tx: &mut Transaction<'_, Sqlite>,
    catalog: &Catalog,
    pending: &Pending,
) -> Result<Diagnostics> {
    let mut problems = Diagnostics::default();
    let mut known: HashSet<(RefKind, &str)> = HashSet::new();
    // Each missing record is reported once, at its first reference, with
    // how often it is referenced: one missing source can be cited by
    // thousands of records.
    let mut missing: Vec<(&crate::catalog::validate::ExternalRef, usize)> = Vec::new();
    let mut missing_index: HashMap<(RefKind, &str), usize> = HashMap::new();
    for r in &pending.refs {
        let key = (r.kind, r.id.as_str());
        if known.contains(&key) {
            continue;
        }
        if let Some(&i) = missing_index.get(&key) {
            missing[i].1 += 1;
            continue;
        }
        let table = match r.kind {
            RefKind::Source => "sources",
            RefKind::Agency => "agencies",
            RefKind::Partner => "partners",
            RefKind::Document => "documents",
            RefKind::Node => "framework_nodes",
        };
        let found: Option<i64> = sqlx::query_scalar(&format!("SELECT 1 FROM {table} WHERE id = ?"))
            .bind(&r.id)
            .fetch_optional(&mut **tx)
            .await
            .context(format_args!("looking up {} `{}`", r.kind.noun(), r.id))?;
        if found.is_some() {
            known.insert(key);
        } else {
            missing_index.insert(key, missing.len());
            missing.push((r, 1));
        }
    }
    for (r, count) in missing {
        let more = match count {
            1 => String::new(),
            n => format!(" (referenced {n} times; this is the first)"),
        };
        problems.push(
            r.location.locate(catalog),
            format!(
                "field `{}`: unknown {} `{}`: neither these files nor the store define it{more}",
                r.field,
                r.kind.noun(),
                r.id
            ),
        );
    }
    for u in &pending.unique {
        let owner: Option<String> = sqlx::query_scalar(&format!(
            "SELECT id FROM {} WHERE {} = ? AND id <> ?",
            u.table, u.column
        ))
        .bind(&u.value)
        .bind(&u.owner)
        .fetch_optional(&mut **tx)
        .await
        .context(format_args!("looking up {} `{}`", u.column, u.value))?;
        if let Some(owner) = owner {
            problems.push(
                u.location.locate(catalog),
                format!(
                    "field `{}`: `{}` already belongs to `{owner}` in the store",
                    u.column, u.value
                ),
            );
        }
    }
    Ok(problems)
}

/// Records of one file whose stored owner must be the file's document or
/// framework.
struct OwnerCheck<'a> {
    select: &'static str,
    what: &'static str,
    owner: Option<&'a str>,
    ids: Vec<&'a str>,
    owner_kind: &'static str,
}

/// Holds each file's new history entries to the order `record` holds a
/// new entry to, against the history the store will then hold: what it
/// has (in the order it recorded it), then the file's entries it lacks, in
/// the file's order.
///
/// Of two entries that contradict each other, the later one (the one
/// `record` would have been asked to add) must be marked `forced`; so a
/// mark excuses only the contradictions its own entry brought, never a
/// later entry's. Contradictions between stored entries are `check`'s to
/// report. Read before anything is written, so that these problems come
/// with every other problem of the batch.
async fn check_histories(
    tx: &mut Transaction<'_, Sqlite>,
    catalog: &Catalog,
) -> Result<Diagnostics> {
    let mut problems = Diagnostics::default();
    for (fi, file) in catalog.files.iter().enumerate() {
        let c = &file.content;
        let Some(doc) = &c.document else { continue };
        if !c.events.is_empty() {
            agreement_order(tx, catalog, fi, &doc.id, &c.events, &mut problems).await?;
        }
        if c.obligations.iter().any(|o| !o.history.is_empty()) {
            obligation_order(tx, catalog, fi, &c.obligations, &mut problems).await?;
        }
    }
    Ok(problems)
}

/// The agreement half of [`check_histories`].
async fn agreement_order(
    tx: &mut Transaction<'_, Sqlite>,
    catalog: &Catalog,
    fi: usize,
    doc: &str,
    events: &[StatusEvent],
    problems: &mut Diagnostics,
) -> Result<()> {
    let stored: Vec<(Option<String>, String, String, bool)> = sqlx::query_as(
        "SELECT party_id, stage, date, forced FROM agreement_events
          WHERE document_id = ? ORDER BY seq",
    )
    .bind(doc)
    .fetch_all(&mut **tx)
    .await
    .context(format_args!("reading the history of `{doc}`"))?;
    // The merged history, and for each entry its place in the file (`None`:
    // stored).
    let mut merged: Vec<Entry> = Vec::new();
    let mut in_file: Vec<Option<usize>> = Vec::new();
    let mut known = HashSet::new();
    for (party, stage, date, forced) in stored {
        // A stored value that no longer parses is `check`'s finding.
        if let (Ok(stage), Ok(date)) = (stage.parse(), date.parse()) {
            known.insert((party.clone(), stage, date));
            merged.push(Entry {
                stage,
                party,
                date,
                forced,
            });
            in_file.push(None);
        }
    }
    for (i, e) in events.iter().enumerate() {
        if known.insert((e.party.clone(), e.stage, e.date)) {
            merged.push(Entry {
                stage: e.stage,
                party: e.party.clone(),
                date: e.date,
                forced: e.forced,
            });
            in_file.push(Some(i));
        }
    }
    for found in crate::catalog::history::contradictions(&merged) {
        let later = found.event.max(found.before);
        if merged[later].forced {
            continue;
        }
        let Some(i) = in_file[later] else { continue };
        problems.push(
            Place::event(fi, &events[i], i).locate(catalog),
            format!(
                "contradicts the history of `{doc}`: {}; mark the event `forced = true` with a `note` saying why to keep it anyway",
                found.message
            ),
        );
    }
    Ok(())
}

/// The obligation half of [`check_histories`]: a new change may not be
/// dated certainly before any change the history holds before it.
async fn obligation_order(
    tx: &mut Transaction<'_, Sqlite>,
    catalog: &Catalog,
    fi: usize,
    obligations: &[Obligation],
    problems: &mut Diagnostics,
) -> Result<()> {
    let ids: Vec<&str> = obligations
        .iter()
        .filter(|o| !o.history.is_empty())
        .map(|o| o.id.as_str())
        .collect();
    let mut stored: Vec<(String, String, String)> = Vec::new();
    for chunk in ids.chunks(BATCH_ROWS) {
        let sql = format!(
            "SELECT obligation_id, status, date FROM obligation_events
              WHERE obligation_id IN ({}) ORDER BY obligation_id, seq",
            vec!["?"; chunk.len()].join(", ")
        );
        let mut q = sqlx::query_as(&sql);
        for id in chunk {
            q = q.bind(*id);
        }
        stored.extend(
            q.fetch_all(&mut **tx)
                .await
                .context("reading obligation histories")?,
        );
    }
    // Per obligation, the change with the latest first day so far.
    let mut latest: HashMap<String, (PartialDate, String)> = HashMap::new();
    let mut known: HashSet<(&str, &str, &str)> = HashSet::new();
    for (id, status, date) in &stored {
        known.insert((id, status, date));
        if let Ok(d) = date.parse() {
            note_latest_start(&mut latest, id, d, status);
        }
    }
    // `obligations` is the file's whole list: this counts its
    // `[[obligation.history]]` headers.
    let mut entry = 0;
    for o in obligations {
        for h in &o.history {
            let at = Place::obligation_change(fi, o, h, entry);
            entry += 1;
            let date = h.date.to_string();
            if known.contains(&(o.id.as_str(), h.status.as_str(), date.as_str())) {
                continue;
            }
            if let Some((start, status)) = latest.get(o.id.as_str())
                && h.date.latest() < start.earliest()
                && !h.forced
            {
                problems.push(
                    at.locate(catalog),
                    format!(
                        "comes before {status} on {start}, which the history already holds; list changes oldest first, or mark this one `forced = true` with a `note` saying why"
                    ),
                );
            }
            note_latest_start(&mut latest, &o.id, h.date, h.status.as_str());
        }
    }
    Ok(())
}

/// An obligation or framework node belongs to one document or framework:
/// a file may not take over an ID that the store files under another, or
/// records (and their history) would silently change hands.
async fn check_owners(tx: &mut Transaction<'_, Sqlite>, catalog: &Catalog) -> Result<Diagnostics> {
    let mut problems = Diagnostics::default();
    for (fi, file) in catalog.files.iter().enumerate() {
        let c = &file.content;
        let checks = [
            OwnerCheck {
                select: "SELECT id, document_id FROM obligations WHERE id IN",
                what: "obligation",
                owner: c.document.as_ref().map(|d| d.id.as_str()),
                ids: c.obligations.iter().map(|o| o.id.as_str()).collect(),
                owner_kind: "document",
            },
            OwnerCheck {
                select: "SELECT id, framework_id FROM framework_nodes WHERE id IN",
                what: "node",
                owner: c.framework.as_ref().map(|f| f.id.as_str()),
                ids: c.nodes.iter().map(|n| n.id.as_str()).collect(),
                owner_kind: "framework",
            },
        ];
        for OwnerCheck {
            select,
            what,
            owner,
            ids,
            owner_kind,
        } in checks
        {
            let Some(owner) = owner else { continue };
            for chunk in ids.chunks(BATCH_ROWS) {
                let sql = format!("{select} ({})", vec!["?"; chunk.len()].join(", "));
                let mut q = sqlx::query_as::<_, (String, String)>(&sql);
                for id in chunk {
                    q = q.bind(*id);
                }
                let rows = q
                    .fetch_all(&mut **tx)
                    .await
                    .context(format_args!("looking up the {what}s of `{owner}`"))?;
                for (id, stored) in rows.into_iter().filter(|(_, o)| o != owner) {
                    let index = ids.iter().position(|i| *i == id).unwrap_or_default();
                    let place = match what {
                        "obligation" => Place::obligation(fi, index, &id),
                        _ => Place::node(fi, index, &id),
                    };
                    problems.push(
                        place.locate(catalog),
                        format!(
                            "{what} `{id}` belongs to {owner_kind} `{stored}` in the store; give it a new ID here"
                        ),
                    );
                }
            }
        }
    }
    Ok(problems)
}

/// After removals, a row may still point at a removed one (a link from
/// another document to a removed node). Such an import is refused with the
/// row named, and the file whose removal left it dangling, rather than
/// failing at commit with SQLite's bare message.
async fn dangling_after_removals(
    tx: &mut Transaction<'_, Sqlite>,
    catalog: &Catalog,
    removed_by: &HashMap<(&'static str, String), usize>,
) -> Result<Diagnostics> {
    let rows: Vec<(String, i64, String, i64)> =
        sqlx::query_as("SELECT \"table\", rowid, parent, fkid FROM pragma_foreign_key_check")
            .fetch_all(&mut **tx)
            .await
            .context("checking references after the import")?;
    let mut problems = Diagnostics::default();
    for (table, rowid, parent, fkid) in rows {
        let removed = removed_key(tx, &table, rowid, fkid).await?.and_then(|key| {
            let file = TABLES
                .iter()
                .find(|t| **t == parent)
                .and_then(|t| removed_by.get(&(*t, key.clone())))?;
            Some((key, &catalog.files[*file].name))
        });
        let what = match dangling_row_label(&table) {
            // The expression is one of the constants below, chosen by the
            // table's name; the row is bound.
            Some(label) => sqlx::query_scalar::<_, String>(&format!(
                "SELECT {label} FROM \"{table}\" WHERE rowid = ?"
            ))
            .bind(rowid)
            .fetch_optional(&mut **tx)
            .await
            .context(format_args!("describing {table} row {rowid}"))?
            .unwrap_or_else(|| format!("{table} row {rowid}")),
            None => format!("{table} row {rowid}"),
        };
        let (location, message) = match removed {
            Some((key, file)) => (
                crate::diagnostics::Location::file(file.as_str()),
                format!(
                    "{what} would refer to a removed {} `{key}`, which this file no longer lists; keep it, or remove or change what refers to it in the same import",
                    removed_kind(&parent)
                ),
            ),
            None => (
                crate::diagnostics::Location::file("the store"),
                format!(
                    "{what} would refer to a removed {}; remove or change what refers to it in the same import",
                    removed_kind(&parent)
                ),
            ),
        };
        problems.push(location, message);
    }
    Ok(problems)
}

/// The key (joined by `#`) that row `rowid` of `table` points at through
/// its foreign key `fkid`, as [`Writer::remove`] records removals.
async fn removed_key(
    tx: &mut Transaction<'_, Sqlite>,
    table: &str,
    rowid: i64,
    fkid: i64,
) -> Result<Option<String>> {
    // Only the store's own tables are asked about, and their column names
    // come from SQLite's description of them; the row is bound.
    if !TABLES.contains(&table) {
        return Ok(None);
    }
    let columns: Vec<String> = sqlx::query_scalar(
        "SELECT \"from\" FROM pragma_foreign_key_list(?) WHERE id = ? ORDER BY seq",
    )
    .bind(table)
    .bind(fkid)
    .fetch_all(&mut **tx)
    .await
    .context(format_args!("reading the references of {table}"))?;
    if columns.is_empty() || columns.iter().any(|c| c.contains('"')) {
        return Ok(None);
    }
    let key = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(" || '#' || ");
    sqlx::query_scalar::<_, Option<String>>(&format!(
        "SELECT {key} FROM \"{table}\" WHERE rowid = ?"
    ))
    .bind(rowid)
    .fetch_optional(&mut **tx)
    .await
    .context(format_args!("reading {table} row {rowid}"))
    .map(Option::flatten)
}

/// What a row of `table` is, in words.
fn removed_kind(table: &str) -> String {
    match table {
        "framework_nodes" => "framework node".into(),
        "agencies" => "agency".into(),
        "sources" | "documents" | "partners" | "frameworks" | "obligations" | "indicators"
        | "provisions" => table.trim_end_matches('s').to_owned(),
        other => format!("row of {other}"),
    }
}

/// How a row of `table` is named in messages: what a person recognises
/// from the catalog files, as an SQL expression over the row.
fn dangling_row_label(table: &str) -> Option<&'static str> {
    Some(match table {
        "provision_links" => {
            "'the link from ' || document_id || '#' || eid || ' to ' || node_id || ' (' || kind || ')'"
        }
        "provisions" => "'provision ' || document_id || '#' || eid",
        "obligations" => "'obligation ' || id",
        "obligation_events" => {
            "'the ' || status || ' change of obligation ' || obligation_id || ' on ' || date"
        }
        "agreement_parties" => "'the party ' || partner_id || ' to ' || document_id",
        "agreement_events" => "'the ' || stage || ' event of ' || document_id || ' on ' || date",
        "document_relations" => "'the relation ' || from_id || ' ' || kind || ' ' || to_id",
        "agency_successions" => "'the succession ' || from_id || ' ' || kind || ' ' || to_id",
        "indicator_values" => "'the value of ' || indicator_id || ' for ' || period",
        "claims" => "'claim ' || id",
        "documents" => "'document ' || id",
        "framework_nodes" => "'framework node ' || id",
        "frameworks" => "'framework ' || id",
        "agencies" => "'agency ' || id",
        "partners" => "'partner ' || id",
        "indicators" => "'indicator ' || id",
        _ => return None,
    })
}

/// Adds the file being written to a database error's context.
fn in_file(e: Error, file: &str) -> Error {
    match e {
        Error::Db { context, source } => Error::Db {
            context: format!("{context} (from `{file}`)"),
            source,
        },
        other => other,
    }
}

fn record_count(c: &CatalogFile) -> u64 {
    let n = c.document.iter().count()
        + c.relations.len()
        + c.parties.len()
        + c.events.len()
        + c.provisions.len()
        + c.links.len()
        + c.obligations.len()
        + c.obligations.iter().map(|o| o.history.len()).sum::<usize>()
        + c.framework.iter().count()
        + c.nodes.len()
        + c.sources.len()
        + c.agencies.len()
        + c.successions.len()
        + c.partners.len()
        + c.claims.len()
        + c.indicators.len()
        + c.indicators.iter().map(|i| i.values.len()).sum::<usize>();
    n as u64
}

async fn table_counts(tx: &mut Transaction<'_, Sqlite>) -> Result<Vec<i64>> {
    let mut out = Vec::with_capacity(TABLES.len());
    for table in TABLES {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
            .fetch_one(&mut **tx)
            .await
            .context(format_args!("counting rows of {table}"))?;
        out.push(n);
    }
    Ok(out)
}

/// An agreement event as stored: party, stage, date, seq, note, source,
/// confidence, forced.
type StoredEvent = (
    Option<String>,
    String,
    String,
    i64,
    Option<String>,
    String,
    String,
    bool,
);

/// An obligation's status change as stored: obligation, status, date, seq,
/// note, source, forced.
type StoredChange = (
    String,
    String,
    String,
    i64,
    Option<String>,
    String,
    String,
    bool,
);

/// A recorded history entry: its key and the details that must not change
/// (note, source, confidence, forced).
type Recorded = HashMap<(Option<String>, String, String), (Option<String>, String, String, bool)>;

/// Keeps, per obligation, the change with the latest first day so far.
fn note_latest_start(
    latest: &mut HashMap<String, (PartialDate, String)>,
    obligation: &str,
    date: PartialDate,
    status: &str,
) {
    match latest.get(obligation) {
        Some((d, _)) if d.earliest() >= date.earliest() => {}
        _ => {
            latest.insert(obligation.to_owned(), (date, status.to_owned()));
        }
    }
}

/// Writes one file's records into the batches.
struct Writer<'a, 'c> {
    tx: &'a mut Transaction<'c, Sqlite>,
    batches: &'a mut Batches,
    history: &'a mut Diagnostics,
    catalog: &'a Catalog,
    file: usize,
}

impl Writer<'_, '_> {
    async fn add(&mut self, table: &'static Table, row: Vec<Val>) -> Result<()> {
        self.batches.add(self.tx, table, row).await
    }

    fn refuse_rewrite(&mut self, at: Place, message: String) {
        let location = at.locate(self.catalog);
        self.history.push(location, message);
    }

    async fn write_file(&mut self) -> Result<()> {
        let c = &self.catalog.files[self.file].content;
        for s in &c.sources {
            self.add(
                &SOURCES,
                vec![
                    (&s.id).into(),
                    s.kind.as_str().into(),
                    (&s.title).into(),
                    (&s.author).into(),
                    (&s.publisher).into(),
                    (&s.published).into(),
                    (&s.url).into(),
                    (&s.accessed).into(),
                    (&s.note).into(),
                ],
            )
            .await?;
        }
        for a in &c.agencies {
            self.add(
                &AGENCIES,
                vec![
                    (&a.id).into(),
                    a.kind.as_str().into(),
                    (&a.name.en).into(),
                    (&a.name.ru).into(),
                    (&a.name.kk).into(),
                    (&a.abbreviation).into(),
                    aliases(&a.aliases),
                    (&a.parent).into(),
                    a.jurisdiction.as_str().into(),
                    (&a.established).into(),
                    (&a.abolished).into(),
                    (&a.note).into(),
                    (&a.source).into(),
                    a.confidence.as_str().into(),
                ],
            )
            .await?;
        }
        for s in &c.successions {
            self.add(
                &SUCCESSIONS,
                vec![
                    (&s.from).into(),
                    (&s.to).into(),
                    s.kind.as_str().into(),
                    s.date.into(),
                    s.date.precision().as_str().into(),
                    day(s.date.earliest()),
                    day(s.date.latest()),
                    (&s.functions).into(),
                    (&s.note).into(),
                    (&s.source).into(),
                    s.confidence.as_str().into(),
                ],
            )
            .await?;
        }
        for p in &c.partners {
            self.add(
                &PARTNERS,
                vec![
                    (&p.id).into(),
                    p.kind.as_str().into(),
                    (&p.iso).into(),
                    (&p.name.en).into(),
                    (&p.name.ru).into(),
                    (&p.name.kk).into(),
                    aliases(&p.aliases),
                    (&p.note).into(),
                    (&p.source).into(),
                    p.confidence.as_str().into(),
                ],
            )
            .await?;
        }
        if let Some(d) = &c.document {
            self.document(c, d).await?;
        }
        if let Some(f) = &c.framework {
            self.remove_stale_nodes(c, &f.id).await?;
            self.add(
                &FRAMEWORKS,
                vec![
                    (&f.id).into(),
                    (&f.title.en).into(),
                    (&f.title.ru).into(),
                    (&f.title.kk).into(),
                    (&f.document).into(),
                    (&f.note).into(),
                    (&f.source).into(),
                    f.confidence.as_str().into(),
                ],
            )
            .await?;
            for (i, n) in c.nodes.iter().enumerate() {
                self.add(
                    &NODES,
                    vec![
                        (&n.id).into(),
                        (&f.id).into(),
                        (&n.parent).into(),
                        i.into(),
                        n.kind.as_str().into(),
                        (&n.number).into(),
                        (&n.title.en).into(),
                        (&n.title.ru).into(),
                        (&n.title.kk).into(),
                        (&n.text).into(),
                        (&n.source).into(),
                        n.confidence.as_str().into(),
                    ],
                )
                .await?;
            }
        }
        for cl in &c.claims {
            self.add(
                &CLAIMS,
                vec![
                    (&cl.id).into(),
                    (&cl.partner).into(),
                    (&cl.agreement).into(),
                    cl.stage.map(|s| s.as_str()).into(),
                    cl.stated.into(),
                    (&cl.statement).into(),
                    (&cl.correction).into(),
                    (&cl.correction_source).into(),
                    (&cl.source).into(),
                    cl.confidence.as_str().into(),
                ],
            )
            .await?;
        }
        for ind in &c.indicators {
            self.add(
                &INDICATORS,
                vec![
                    (&ind.id).into(),
                    (&ind.name.en).into(),
                    (&ind.name.ru).into(),
                    (&ind.name.kk).into(),
                    (&ind.unit).into(),
                    ind.measure.as_str().into(),
                    (&ind.note).into(),
                    (&ind.source).into(),
                ],
            )
            .await?;
            for (i, v) in ind.values.iter().enumerate() {
                let period: Period = v.period.parse().expect("validated before writing");
                self.add(
                    &VALUES,
                    vec![
                        (&ind.id).into(),
                        (&v.period).into(),
                        day(period.start.earliest()),
                        day(period.end.latest()),
                        i.into(),
                        v.value.into(),
                        v.derived.into(),
                        (&v.note).into(),
                        (&v.source).into(),
                        v.confidence.as_str().into(),
                    ],
                )
                .await?;
            }
        }
        Ok(())
    }

    /// Deletes one row by key, counting it as removed from `table`.
    async fn remove(&mut self, table: &'static str, key: &[&str], values: &[&str]) -> Result<()> {
        let cond = key
            .iter()
            .map(|k| format!("{k} = ?"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let sql = format!("DELETE FROM {table} WHERE {cond}");
        let mut q = sqlx::query(&sql);
        for v in values {
            q = q.bind(*v);
        }
        let n = q
            .execute(&mut **self.tx)
            .await
            .context(format_args!("removing from {table}"))?
            .rows_affected();
        *self.batches.removed.entry(table).or_default() += n;
        if n > 0 {
            self.batches
                .removed_by
                .insert((table, values.join("#")), self.file);
        }
        Ok(())
    }

    /// A document file is the authority for its document's provisions,
    /// relations, parties, links and obligations: what the store has for
    /// the document and the file no longer lists is removed. Histories are
    /// never removed, so an obligation with recorded history cannot be.
    async fn remove_stale_children(&mut self, c: &CatalogFile, doc: &str) -> Result<()> {
        // What the store holds for the document, read in one round trip
        // (one row of JSON arrays) rather than one query per table: a
        // re-import of a national catalog asks this for every document.
        let row: Option<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT
               (SELECT json_group_array(json_array(o.id,
                        EXISTS (SELECT 1 FROM obligation_events e WHERE e.obligation_id = o.id)))
                  FROM (SELECT id FROM obligations WHERE document_id = ?1 ORDER BY id) o),
               (SELECT json_group_array(json_array(eid, node_id, kind))
                  FROM (SELECT eid, node_id, kind FROM provision_links WHERE document_id = ?1 ORDER BY ord)),
               (SELECT json_group_array(json_array(kind, to_id))
                  FROM document_relations WHERE from_id = ?1),
               (SELECT json_group_array(json_array(p.partner_id,
                        EXISTS (SELECT 1 FROM agreement_events e
                                 WHERE e.document_id = ?1 AND e.party_id = p.partner_id)))
                  FROM agreement_parties p WHERE p.document_id = ?1),
               (SELECT json_group_array(eid)
                  FROM (SELECT eid FROM provisions WHERE document_id = ?1 ORDER BY ord DESC))
             FROM documents WHERE id = ?1",
        )
        .bind(doc)
        .fetch_optional(&mut **self.tx)
        .await
        .context(format_args!("reading what the store holds for document `{doc}`"))?;
        // A new document has nothing to remove.
        let Some((obligations, links, relations, parties, provisions)) = row else {
            return Ok(());
        };
        let what = "the store's children of a document";
        let stored: Vec<(String, i64)> = super::rows::parse_json(&obligations, what)?;
        let keep: HashSet<&str> = c.obligations.iter().map(|o| o.id.as_str()).collect();
        for (id, has_history) in stored.iter().filter(|(id, _)| !keep.contains(id.as_str())) {
            if *has_history != 0 {
                let doc_place = Place::document(self.file, doc);
                self.refuse_rewrite(
                    doc_place,
                    format!("obligation `{id}` has recorded history and cannot be removed; keep it in the file (its history can mark it lapsed or repealed)"),
                );
            } else {
                self.remove("obligations", &["id"], &[id]).await?;
            }
        }

        let stored: Vec<(String, String, String)> = super::rows::parse_json(&links, what)?;
        let keep: HashSet<(&str, &str, &str)> = c
            .links
            .iter()
            .map(|l| (l.provision.as_str(), l.node.as_str(), l.kind.as_str()))
            .collect();
        for (eid, node, kind) in &stored {
            if !keep.contains(&(eid.as_str(), node.as_str(), kind.as_str())) {
                self.remove(
                    "provision_links",
                    &["document_id", "eid", "node_id", "kind"],
                    &[doc, eid, node, kind],
                )
                .await?;
            }
        }

        let stored: Vec<(String, String)> = super::rows::parse_json(&relations, what)?;
        let keep: HashSet<(&str, &str)> = c
            .relations
            .iter()
            .map(|r| (r.kind.as_str(), r.target.as_str()))
            .collect();
        for (kind, to) in &stored {
            if !keep.contains(&(kind.as_str(), to.as_str())) {
                self.remove(
                    "document_relations",
                    &["from_id", "kind", "to_id"],
                    &[doc, kind, to],
                )
                .await?;
            }
        }

        let stored: Vec<(String, i64)> = super::rows::parse_json(&parties, what)?;
        let keep: HashSet<&str> = c.parties.iter().map(|p| p.partner.as_str()).collect();
        for (partner, has_history) in stored.iter().filter(|(p, _)| !keep.contains(p.as_str())) {
            if *has_history != 0 {
                // Its events would stay, naming a party the agreement no
                // longer has, and the export would not import again.
                let doc_place = Place::document(self.file, doc);
                self.refuse_rewrite(
                    doc_place,
                    format!("party `{partner}` has recorded events in the history of `{doc}` and cannot be removed; keep its `[[party]]` in the file"),
                );
            } else {
                self.remove(
                    "agreement_parties",
                    &["document_id", "partner_id"],
                    &[doc, partner],
                )
                .await?;
            }
        }

        // Children before parents, so the tree never points at nothing.
        let stored: Vec<String> = super::rows::parse_json(&provisions, what)?;
        let keep: HashSet<&str> = c.provisions.iter().map(|p| p.eid.as_str()).collect();
        for eid in stored.iter().filter(|e| !keep.contains(e.as_str())) {
            self.remove("provisions", &["document_id", "eid"], &[doc, eid])
                .await?;
        }
        Ok(())
    }

    /// A framework file is the authority for its nodes, as a document file
    /// is for its provisions.
    async fn remove_stale_nodes(&mut self, c: &CatalogFile, framework: &str) -> Result<()> {
        let stored: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM framework_nodes WHERE framework_id = ? ORDER BY ord DESC",
        )
        .bind(framework)
        .fetch_all(&mut **self.tx)
        .await
        .context(format_args!("reading the nodes of `{framework}`"))?;
        let keep: HashSet<&str> = c.nodes.iter().map(|n| n.id.as_str()).collect();
        for id in stored.iter().filter(|n| !keep.contains(n.as_str())) {
            self.remove("framework_nodes", &["id"], &[id]).await?;
        }
        Ok(())
    }

    async fn document(&mut self, c: &CatalogFile, d: &Document) -> Result<()> {
        let doc = d.id.as_str();
        self.remove_stale_children(c, doc).await?;
        self.add(
            &DOCUMENTS,
            vec![
                doc.into(),
                d.kind.as_str().into(),
                (&d.work_id).into(),
                (&d.number).into(),
                (&d.title.en).into(),
                (&d.title.ru).into(),
                (&d.title.kk).into(),
                (&d.issuer).into(),
                d.jurisdiction.as_str().into(),
                (&d.adopted).into(),
                (&d.in_force).into(),
                (&d.expires).into(),
                (&d.repealed).into(),
                d.status.as_str().into(),
                (&d.url).into(),
                (&d.note).into(),
                (&d.source).into(),
                d.confidence.as_str().into(),
            ],
        )
        .await?;
        for (i, r) in c.relations.iter().enumerate() {
            self.add(
                &RELATIONS,
                vec![
                    doc.into(),
                    r.kind.as_str().into(),
                    (&r.target).into(),
                    i.into(),
                    (&r.date).into(),
                    (&r.note).into(),
                    (&r.source).into(),
                    r.confidence.as_str().into(),
                ],
            )
            .await?;
        }
        for (i, p) in c.provisions.iter().enumerate() {
            let parent = p.parent.as_deref().or_else(|| implied_parent(&p.eid));
            self.add(
                &PROVISIONS,
                vec![
                    doc.into(),
                    (&p.eid).into(),
                    parent.into(),
                    i.into(),
                    p.kind.as_str().into(),
                    (&p.number).into(),
                    (&p.heading).into(),
                    (&p.text).into(),
                    p.text_kind.map(|k| k.as_str()).into(),
                    (&p.valid_from).into(),
                    (&p.valid_to).into(),
                    (&p.source).into(),
                    p.confidence.as_str().into(),
                ],
            )
            .await?;
        }
        for (i, p) in c.parties.iter().enumerate() {
            self.add(
                &PARTIES,
                vec![doc.into(), (&p.partner).into(), i.into(), (&p.note).into()],
            )
            .await?;
        }
        if !c.events.is_empty() {
            self.events(doc, &c.events).await?;
        }
        for (i, l) in c.links.iter().enumerate() {
            self.add(
                &LINKS,
                vec![
                    doc.into(),
                    (&l.provision).into(),
                    (&l.node).into(),
                    l.kind.as_str().into(),
                    i.into(),
                    (&l.note).into(),
                    (&l.source).into(),
                    l.confidence.as_str().into(),
                ],
            )
            .await?;
        }
        for (i, o) in c.obligations.iter().enumerate() {
            self.add(
                &OBLIGATIONS,
                vec![
                    (&o.id).into(),
                    doc.into(),
                    (&o.provision).into(),
                    i.into(),
                    (&o.agency).into(),
                    o.role.as_str().into(),
                    o.modality.as_str().into(),
                    (&o.action).into(),
                    (&o.due).into(),
                    o.recurrence.as_ref().map(|r| r.every.as_str()).into(),
                    o.recurrence.as_ref().map(|r| r.by.as_str()).into(),
                    (&o.note).into(),
                    (&o.source).into(),
                    o.confidence.as_str().into(),
                ],
            )
            .await?;
        }
        if c.obligations.iter().any(|o| !o.history.is_empty()) {
            self.obligation_histories(doc, &c.obligations).await?;
        }
        Ok(())
    }

    /// Appends the events the store does not have yet; a recorded event
    /// told differently is a problem, never an update. (Their order was
    /// checked before writing began: [`check_histories`].)
    async fn events(&mut self, doc: &str, events: &[StatusEvent]) -> Result<()> {
        let rows: Vec<StoredEvent> = sqlx::query_as(
            "SELECT party_id, stage, date, seq, note, source_id, confidence, forced
                 FROM agreement_events WHERE document_id = ? ORDER BY seq",
        )
        .bind(doc)
        .fetch_all(&mut **self.tx)
        .await
        .context(format_args!("reading the history of `{doc}`"))?;
        let mut next = rows.iter().map(|r| r.3 + 1).max().unwrap_or(0);
        let recorded: Recorded = rows
            .into_iter()
            .map(|(party, stage, date, _, note, source, conf, forced)| {
                ((party, stage, date), (note, source, conf, forced))
            })
            .collect();
        for (i, e) in events.iter().enumerate() {
            let key = (
                e.party.clone(),
                e.stage.as_str().to_owned(),
                e.date.to_string(),
            );
            if let Some(old) = recorded.get(&key) {
                let new = (
                    e.note.clone(),
                    e.source.clone(),
                    e.confidence.as_str().to_owned(),
                    e.forced,
                );
                if *old != new {
                    self.refuse_rewrite(
                        Place::event(self.file, e, i),
                        format!(
                            "history is append-only: `{doc}` already records {} on {} with other details (note, source, confidence or forced); record a new event instead",
                            e.stage, e.date
                        ),
                    );
                }
                continue;
            }
            self.add(
                &EVENTS,
                vec![
                    doc.into(),
                    (&e.party).into(),
                    e.stage.as_str().into(),
                    e.date.into(),
                    Val::Int(next),
                    e.date.precision().as_str().into(),
                    day(e.date.earliest()),
                    day(e.date.latest()),
                    (&e.note).into(),
                    (&e.source).into(),
                    e.confidence.as_str().into(),
                    Val::Int(e.forced.into()),
                ],
            )
            .await?;
            next += 1;
        }
        Ok(())
    }

    /// The same as [`Writer::events`], for the status histories of one
    /// document's obligations.
    async fn obligation_histories(&mut self, doc: &str, obligations: &[Obligation]) -> Result<()> {
        // By obligation ID, not through the document: the history belongs
        // to the obligation wherever the store files it.
        let ids: Vec<&str> = obligations
            .iter()
            .filter(|o| !o.history.is_empty())
            .map(|o| o.id.as_str())
            .collect();
        let mut rows: Vec<StoredChange> = Vec::new();
        for chunk in ids.chunks(BATCH_ROWS) {
            let sql = format!(
                "SELECT obligation_id, status, date, seq, note, source_id, confidence, forced
                 FROM obligation_events WHERE obligation_id IN ({}) ORDER BY obligation_id, seq",
                vec!["?"; chunk.len()].join(", ")
            );
            let mut q = sqlx::query_as(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            rows.extend(
                q.fetch_all(&mut **self.tx)
                    .await
                    .context(format_args!("reading the obligation histories of `{doc}`"))?,
            );
        }
        let mut next: HashMap<String, i64> = HashMap::new();
        for r in &rows {
            let n = next.entry(r.0.clone()).or_default();
            *n = (*n).max(r.3 + 1);
        }
        let recorded: Recorded = rows
            .into_iter()
            .map(|(id, status, date, _, note, source, confidence, forced)| {
                ((Some(id), status, date), (note, source, confidence, forced))
            })
            .collect();
        // `obligations` is the file's whole list, so this counts the
        // file's `[[obligation.history]]` headers.
        let mut entry = 0;
        for o in obligations {
            for h in &o.history {
                let at = Place::obligation_change(self.file, o, h, entry);
                entry += 1;
                let key = (
                    Some(o.id.clone()),
                    h.status.as_str().to_owned(),
                    h.date.to_string(),
                );
                if let Some(old) = recorded.get(&key) {
                    let details = (
                        h.note.clone(),
                        h.source.clone(),
                        h.confidence.as_str().to_owned(),
                        h.forced,
                    );
                    // A recorded change may be marked less sure (verified →
                    // secondary → unverified) by a later file: stores made
                    // before changes had a confidence hold every one as
                    // verified. Anything else about it is history.
                    let less_sure = old.0 == details.0
                        && old.1 == details.1
                        && old.3 == details.3
                        && old
                            .2
                            .parse::<crate::catalog::model::Confidence>()
                            .is_ok_and(|stored| h.confidence > stored);
                    if less_sure {
                        let n = sqlx::query(
                            "UPDATE obligation_events SET confidence = ?
                              WHERE obligation_id = ? AND status = ? AND date = ?",
                        )
                        .bind(h.confidence.as_str())
                        .bind(&o.id)
                        .bind(h.status.as_str())
                        .bind(h.date.to_string())
                        .execute(&mut **self.tx)
                        .await
                        .context(format_args!(
                            "marking a status change of obligation `{}` less sure",
                            o.id
                        ))?
                        .rows_affected();
                        *self
                            .batches
                            .affected
                            .entry("obligation_events")
                            .or_default() += n;
                    } else if *old != details {
                        self.refuse_rewrite(
                            at,
                            format!(
                                "history is append-only: the store already records {} on {} with another note, source, confidence or forced mark (a change may only be marked less sure)",
                                h.status, h.date
                            ),
                        );
                    }
                    continue;
                }
                let seq = next.entry(o.id.clone()).or_default();
                self.add(
                    &OBLIGATION_EVENTS,
                    vec![
                        (&o.id).into(),
                        h.status.as_str().into(),
                        h.date.into(),
                        Val::Int(*seq),
                        day(h.date.earliest()),
                        day(h.date.latest()),
                        (&h.note).into(),
                        (&h.source).into(),
                        Val::Int(h.forced.into()),
                        h.confidence.as_str().into(),
                    ],
                )
                .await?;
                *seq += 1;
            }
        }
        Ok(())
    }
}
