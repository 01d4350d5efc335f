//! Importing a catalog: validate everything, then write it all in one
//! transaction, or nothing.
//!
//! Records are upserted by ID, so re-importing the same files changes
//! nothing. Histories (agreement events, obligation status changes) are
//! append-only: an event already in the store is never rewritten, and a file
//! that gives a different account of a recorded event is refused.

use std::collections::{BTreeMap, HashSet};

use indicatif::ProgressBar;
use sqlx::{Sqlite, Transaction};

use super::{Store, TABLES};
use crate::catalog::Catalog;
use crate::catalog::model::*;
use crate::catalog::validate::{self, Pending, RefKind, implied_parent};
use crate::date::PartialDate;
use crate::diagnostics::{Diagnostics, Location};
use crate::error::{DbContext, Error, Result};

/// What an import changed (or, for a dry run, would change) in one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableChange {
    pub table: &'static str,
    pub added: u64,
    pub changed: u64,
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub files: usize,
    pub records: u64,
    pub changes: Vec<TableChange>,
    pub dry_run: bool,
}

impl ImportReport {
    pub fn is_unchanged(&self) -> bool {
        self.changes.iter().all(|c| c.added == 0 && c.changed == 0)
    }
}

/// Builds `INSERT ... ON CONFLICT DO UPDATE` for a table, updating only rows
/// whose values differ, so that `rows_affected` counts real changes. Names
/// come from the constants at the call sites, never from input.
fn upsert_sql(table: &str, key: &[&str], cols: &[&str]) -> String {
    let all: Vec<&str> = key.iter().chain(cols).copied().collect();
    let placeholders = vec!["?"; all.len()].join(", ");
    let sets = cols
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let old = cols
        .iter()
        .map(|c| format!("{table}.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let new = cols
        .iter()
        .map(|c| format!("excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "INSERT INTO {table} ({}) VALUES ({placeholders}) ON CONFLICT ({}) DO UPDATE SET {sets} WHERE ({old}) IS NOT ({new})",
        all.join(", "),
        key.join(", ")
    )
}

fn date(d: &Option<PartialDate>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn day(d: chrono::NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn aliases(list: &[String]) -> String {
    serde_json::to_string(list).expect("a list of strings always encodes")
}

impl Store {
    /// Validates `catalog` against itself and the store, then writes it in
    /// one transaction. With `dry_run`, reports what would change and rolls
    /// back. On any problem nothing is written and every problem is returned.
    pub async fn import(
        &self,
        catalog: &Catalog,
        dry_run: bool,
        progress: &ProgressBar,
    ) -> Result<ImportReport> {
        let (mut problems, pending) = validate::validate(catalog);
        problems.extend(self.resolve(&pending).await?);
        problems.into_result()?;

        let records: u64 = catalog.files.iter().map(|f| record_count(&f.content)).sum();
        progress.set_length(records);

        let mut tx = self
            .pool
            .begin()
            .await
            .context("starting the import transaction")?;
        let before = table_counts(&mut tx).await?;
        let mut history = Diagnostics::default();
        let mut affected: BTreeMap<&'static str, u64> = BTreeMap::new();
        for file in &catalog.files {
            let mut w = Writer {
                tx: &mut tx,
                affected: &mut affected,
                history: &mut history,
                file,
                progress,
            };
            w.write_file()
                .await
                .map_err(|e| in_file(e, &file.name))?;
        }
        if !history.is_empty() {
            tx.rollback().await.context("rolling back the import")?;
            return Err(Error::Invalid(history));
        }
        let after = table_counts(&mut tx).await?;
        let changes = TABLES
            .iter()
            .zip(before.iter().zip(&after))
            .map(|(table, (b, a))| {
                let added = (a - b).max(0) as u64;
                let touched = affected.get(table).copied().unwrap_or(0);
                TableChange {
                    table,
                    added,
                    changed: touched.saturating_sub(added),
                }
            })
            .collect();
        if dry_run {
            tx.rollback().await.context("rolling back the dry run")?;
        } else {
            tx.commit().await.context("committing the import")?;
        }
        progress.finish_and_clear();
        Ok(ImportReport {
            files: catalog.files.len(),
            records,
            changes,
            dry_run,
        })
    }

    /// Checks the references and unique values a batch could not settle on
    /// its own against what the store already holds.
    async fn resolve(&self, pending: &Pending) -> Result<Diagnostics> {
        let mut problems = Diagnostics::default();
        let mut known: HashSet<(RefKind, &str)> = HashSet::new();
        let mut missing: HashSet<(RefKind, &str)> = HashSet::new();
        for r in &pending.refs {
            let key = (r.kind, r.id.as_str());
            if known.contains(&key) {
                continue;
            }
            if !missing.contains(&key) {
                let table = match r.kind {
                    RefKind::Source => "sources",
                    RefKind::Agency => "agencies",
                    RefKind::Partner => "partners",
                    RefKind::Document => "documents",
                    RefKind::Node => "framework_nodes",
                };
                let found: Option<i64> =
                    sqlx::query_scalar(&format!("SELECT 1 FROM {table} WHERE id = ?"))
                        .bind(&r.id)
                        .fetch_optional(&self.pool)
                        .await
                        .context(format_args!("looking up {} `{}`", r.kind.noun(), r.id))?;
                if found.is_some() {
                    known.insert(key);
                    continue;
                }
                missing.insert(key);
            }
            problems.push(
                r.location.clone(),
                format!(
                    "field `{}`: unknown {} `{}`: neither these files nor the store define it",
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
            .fetch_optional(&self.pool)
            .await
            .context(format_args!("looking up {} `{}`", u.column, u.value))?;
            if let Some(owner) = owner {
                problems.push(
                    u.location.clone(),
                    format!(
                        "field `{}`: `{}` already belongs to `{owner}` in the store",
                        u.column, u.value
                    ),
                );
            }
        }
        Ok(problems)
    }
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

/// Writes one file's records inside the import transaction.
struct Writer<'a, 'c> {
    tx: &'a mut Transaction<'c, Sqlite>,
    affected: &'a mut BTreeMap<&'static str, u64>,
    history: &'a mut Diagnostics,
    file: &'a crate::catalog::LoadedFile,
    progress: &'a ProgressBar,
}

impl Writer<'_, '_> {
    fn count(&mut self, table: &'static str, n: u64) {
        *self.affected.entry(table).or_default() += n;
        self.progress.inc(1);
    }

    async fn write_file(&mut self) -> Result<()> {
        let c = &self.file.content;
        for s in &c.sources {
            self.source(s).await?;
        }
        for a in &c.agencies {
            self.agency(a).await?;
        }
        for s in &c.successions {
            self.succession(s).await?;
        }
        for p in &c.partners {
            self.partner(p).await?;
        }
        if let Some(doc) = &c.document {
            self.document(doc).await?;
            for (i, r) in c.relations.iter().enumerate() {
                self.relation(&doc.id, i, r).await?;
            }
            for (i, p) in c.provisions.iter().enumerate() {
                self.provision(&doc.id, i, p).await?;
            }
            for (i, p) in c.parties.iter().enumerate() {
                self.party(&doc.id, i, p).await?;
            }
            for (i, e) in c.events.iter().enumerate() {
                self.event(&doc.id, i, e).await?;
            }
        }
        if let Some(fw) = &c.framework {
            self.framework(fw).await?;
            for (i, n) in c.nodes.iter().enumerate() {
                self.node(&fw.id, i, n).await?;
            }
        }
        if let Some(doc) = &c.document {
            for (i, l) in c.links.iter().enumerate() {
                self.link(&doc.id, i, l).await?;
            }
            for (i, o) in c.obligations.iter().enumerate() {
                self.obligation(&doc.id, i, o).await?;
            }
        }
        for cl in &c.claims {
            self.claim(cl).await?;
        }
        for ind in &c.indicators {
            self.indicator(ind).await?;
        }
        Ok(())
    }

    async fn source(&mut self, s: &Source) -> Result<()> {
        let sql = upsert_sql(
            "sources",
            &["id"],
            &[
                "kind",
                "title",
                "author",
                "publisher",
                "published",
                "url",
                "accessed",
                "note",
            ],
        );
        let n = sqlx::query(&sql)
            .bind(&s.id)
            .bind(s.kind.as_str())
            .bind(&s.title)
            .bind(&s.author)
            .bind(&s.publisher)
            .bind(date(&s.published))
            .bind(&s.url)
            .bind(date(&s.accessed))
            .bind(&s.note)
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing source `{}`", s.id))?
            .rows_affected();
        self.count("sources", n);
        Ok(())
    }

    async fn agency(&mut self, a: &Agency) -> Result<()> {
        let sql = upsert_sql(
            "agencies",
            &["id"],
            &[
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
        );
        let n = sqlx::query(&sql)
            .bind(&a.id)
            .bind(a.kind.as_str())
            .bind(&a.name.en)
            .bind(&a.name.ru)
            .bind(&a.name.kk)
            .bind(&a.abbreviation)
            .bind(aliases(&a.aliases))
            .bind(&a.parent)
            .bind(a.jurisdiction.as_str())
            .bind(date(&a.established))
            .bind(date(&a.abolished))
            .bind(&a.note)
            .bind(&a.source)
            .bind(a.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing agency `{}`", a.id))?
            .rows_affected();
        self.count("agencies", n);
        Ok(())
    }

    async fn succession(&mut self, s: &Succession) -> Result<()> {
        let sql = upsert_sql(
            "agency_successions",
            &["from_id", "to_id", "kind", "date"],
            &[
                "precision",
                "date_min",
                "date_max",
                "functions",
                "note",
                "source_id",
                "confidence",
            ],
        );
        let n = sqlx::query(&sql)
            .bind(&s.from)
            .bind(&s.to)
            .bind(s.kind.as_str())
            .bind(s.date.to_string())
            .bind(s.date.precision().as_str())
            .bind(day(s.date.earliest()))
            .bind(day(s.date.latest()))
            .bind(&s.functions)
            .bind(&s.note)
            .bind(&s.source)
            .bind(s.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing succession `{}` -> `{}`", s.from, s.to))?
            .rows_affected();
        self.count("agency_successions", n);
        Ok(())
    }

    async fn partner(&mut self, p: &Partner) -> Result<()> {
        let sql = upsert_sql(
            "partners",
            &["id"],
            &[
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
        );
        let n = sqlx::query(&sql)
            .bind(&p.id)
            .bind(p.kind.as_str())
            .bind(&p.iso)
            .bind(&p.name.en)
            .bind(&p.name.ru)
            .bind(&p.name.kk)
            .bind(aliases(&p.aliases))
            .bind(&p.note)
            .bind(&p.source)
            .bind(p.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing partner `{}`", p.id))?
            .rows_affected();
        self.count("partners", n);
        Ok(())
    }

    async fn document(&mut self, d: &Document) -> Result<()> {
        let sql = upsert_sql(
            "documents",
            &["id"],
            &[
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
        );
        let n = sqlx::query(&sql)
            .bind(&d.id)
            .bind(d.kind.as_str())
            .bind(&d.work_id)
            .bind(&d.number)
            .bind(&d.title.en)
            .bind(&d.title.ru)
            .bind(&d.title.kk)
            .bind(&d.issuer)
            .bind(d.jurisdiction.as_str())
            .bind(date(&d.adopted))
            .bind(date(&d.in_force))
            .bind(date(&d.expires))
            .bind(date(&d.repealed))
            .bind(d.status.as_str())
            .bind(&d.url)
            .bind(&d.note)
            .bind(&d.source)
            .bind(d.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing document `{}`", d.id))?
            .rows_affected();
        self.count("documents", n);
        Ok(())
    }

    async fn relation(&mut self, doc: &str, i: usize, r: &Relation) -> Result<()> {
        let sql = upsert_sql(
            "document_relations",
            &["from_id", "kind", "to_id"],
            &["ord", "date", "note", "source_id", "confidence"],
        );
        let n = sqlx::query(&sql)
            .bind(doc)
            .bind(r.kind.as_str())
            .bind(&r.target)
            .bind(i as i64)
            .bind(date(&r.date))
            .bind(&r.note)
            .bind(&r.source)
            .bind(r.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing relation `{doc}` {} `{}`", r.kind, r.target))?
            .rows_affected();
        self.count("document_relations", n);
        Ok(())
    }

    async fn provision(&mut self, doc: &str, i: usize, p: &Provision) -> Result<()> {
        let sql = upsert_sql(
            "provisions",
            &["document_id", "eid"],
            &[
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
        );
        let parent = p.parent.as_deref().or_else(|| implied_parent(&p.eid));
        let n = sqlx::query(&sql)
            .bind(doc)
            .bind(&p.eid)
            .bind(parent)
            .bind(i as i64)
            .bind(p.kind.as_str())
            .bind(&p.number)
            .bind(&p.heading)
            .bind(&p.text)
            .bind(p.text_kind.map(|k| k.as_str()))
            .bind(date(&p.valid_from))
            .bind(date(&p.valid_to))
            .bind(&p.source)
            .bind(p.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing provision `{doc}#{}`", p.eid))?
            .rows_affected();
        self.count("provisions", n);
        Ok(())
    }

    async fn party(&mut self, doc: &str, i: usize, p: &Party) -> Result<()> {
        let sql = upsert_sql(
            "agreement_parties",
            &["document_id", "partner_id"],
            &["ord", "note"],
        );
        let n = sqlx::query(&sql)
            .bind(doc)
            .bind(&p.partner)
            .bind(i as i64)
            .bind(&p.note)
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing party `{}` of `{doc}`", p.partner))?
            .rows_affected();
        self.count("agreement_parties", n);
        Ok(())
    }

    /// Appends an event unless it is already recorded; a recorded event
    /// told differently is a problem, never an update.
    async fn event(&mut self, doc: &str, i: usize, e: &StatusEvent) -> Result<()> {
        let existing: Option<(Option<String>, String, String)> = sqlx::query_as(
            "SELECT note, source_id, confidence FROM agreement_events
             WHERE document_id = ? AND scope = coalesce(?, '') AND stage = ? AND date = ?",
        )
        .bind(doc)
        .bind(&e.party)
        .bind(e.stage.as_str())
        .bind(e.date.to_string())
        .fetch_optional(&mut **self.tx)
        .await
        .context(format_args!("reading the history of `{doc}`"))?;
        if let Some(old) = existing {
            let new = (e.note.clone(), e.source.clone(), e.confidence.as_str().to_owned());
            if old != new {
                let loc = Location {
                    record: Some(format!("event {} {}", e.stage, e.date)),
                    ..self.file.locate("stage", e.stage.as_str(), String::new())
                };
                self.history.push(
                    loc,
                    format!(
                        "history is append-only: `{doc}` already records {} on {} with other details (note, source or confidence); record a new event instead",
                        e.stage, e.date
                    ),
                );
            }
            self.count("agreement_events", 0);
            return Ok(());
        }
        let seq: i64 = sqlx::query_scalar(
            "SELECT coalesce(max(seq), -1) + 1 FROM agreement_events WHERE document_id = ?",
        )
        .bind(doc)
        .fetch_one(&mut **self.tx)
        .await
        .context(format_args!("reading the history of `{doc}`"))?;
        let seq = seq.max(i as i64);
        sqlx::query(
            "INSERT INTO agreement_events (document_id, party_id, seq, stage, date, precision, date_min, date_max, note, source_id, confidence)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(doc)
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
        .execute(&mut **self.tx)
        .await
        .context(format_args!("writing an event of `{doc}`"))?;
        self.count("agreement_events", 1);
        Ok(())
    }

    async fn framework(&mut self, f: &Framework) -> Result<()> {
        let sql = upsert_sql(
            "frameworks",
            &["id"],
            &[
                "title_en",
                "title_ru",
                "title_kk",
                "document_id",
                "note",
                "source_id",
                "confidence",
            ],
        );
        let n = sqlx::query(&sql)
            .bind(&f.id)
            .bind(&f.title.en)
            .bind(&f.title.ru)
            .bind(&f.title.kk)
            .bind(&f.document)
            .bind(&f.note)
            .bind(&f.source)
            .bind(f.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing framework `{}`", f.id))?
            .rows_affected();
        self.count("frameworks", n);
        Ok(())
    }

    async fn node(&mut self, framework: &str, i: usize, n: &Node) -> Result<()> {
        let sql = upsert_sql(
            "framework_nodes",
            &["id"],
            &[
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
        );
        let rows = sqlx::query(&sql)
            .bind(&n.id)
            .bind(framework)
            .bind(&n.parent)
            .bind(i as i64)
            .bind(n.kind.as_str())
            .bind(&n.number)
            .bind(&n.title.en)
            .bind(&n.title.ru)
            .bind(&n.title.kk)
            .bind(&n.text)
            .bind(&n.source)
            .bind(n.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing framework node `{}`", n.id))?
            .rows_affected();
        self.count("framework_nodes", rows);
        Ok(())
    }

    async fn link(&mut self, doc: &str, i: usize, l: &Link) -> Result<()> {
        let sql = upsert_sql(
            "provision_links",
            &["document_id", "eid", "node_id", "kind"],
            &["ord", "note", "source_id", "confidence"],
        );
        let n = sqlx::query(&sql)
            .bind(doc)
            .bind(&l.provision)
            .bind(&l.node)
            .bind(l.kind.as_str())
            .bind(i as i64)
            .bind(&l.note)
            .bind(&l.source)
            .bind(l.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing link `{doc}#{}` -> `{}`", l.provision, l.node))?
            .rows_affected();
        self.count("provision_links", n);
        Ok(())
    }

    async fn obligation(&mut self, doc: &str, i: usize, o: &Obligation) -> Result<()> {
        let sql = upsert_sql(
            "obligations",
            &["id"],
            &[
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
        );
        let n = sqlx::query(&sql)
            .bind(&o.id)
            .bind(doc)
            .bind(&o.provision)
            .bind(i as i64)
            .bind(&o.agency)
            .bind(o.role.as_str())
            .bind(o.modality.as_str())
            .bind(&o.action)
            .bind(date(&o.due))
            .bind(o.recurrence.as_ref().map(|r| r.every.as_str()))
            .bind(o.recurrence.as_ref().map(|r| r.by.as_str()))
            .bind(&o.note)
            .bind(&o.source)
            .bind(o.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing obligation `{}`", o.id))?
            .rows_affected();
        self.count("obligations", n);
        for (seq, h) in o.history.iter().enumerate() {
            self.obligation_event(&o.id, seq, h).await?;
        }
        Ok(())
    }

    async fn obligation_event(&mut self, id: &str, i: usize, h: &ObligationEvent) -> Result<()> {
        let existing: Option<(Option<String>, String)> = sqlx::query_as(
            "SELECT note, source_id FROM obligation_events WHERE obligation_id = ? AND status = ? AND date = ?",
        )
        .bind(id)
        .bind(h.status.as_str())
        .bind(h.date.to_string())
        .fetch_optional(&mut **self.tx)
        .await
        .context(format_args!("reading the history of obligation `{id}`"))?;
        if let Some(old) = existing {
            if old != (h.note.clone(), h.source.clone()) {
                self.history.push(
                    self.file.locate("id", id, format!("obligation \"{id}\"")),
                    format!(
                        "history is append-only: the store already records {} on {} with another note or source",
                        h.status, h.date
                    ),
                );
            }
            self.count("obligation_events", 0);
            return Ok(());
        }
        let seq: i64 = sqlx::query_scalar(
            "SELECT coalesce(max(seq), -1) + 1 FROM obligation_events WHERE obligation_id = ?",
        )
        .bind(id)
        .fetch_one(&mut **self.tx)
        .await
        .context(format_args!("reading the history of obligation `{id}`"))?;
        sqlx::query(
            "INSERT INTO obligation_events (obligation_id, seq, status, date, date_min, date_max, note, source_id)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(id)
        .bind(seq.max(i as i64))
        .bind(h.status.as_str())
        .bind(h.date.to_string())
        .bind(day(h.date.earliest()))
        .bind(day(h.date.latest()))
        .bind(&h.note)
        .bind(&h.source)
        .execute(&mut **self.tx)
        .await
        .context(format_args!("writing the history of obligation `{id}`"))?;
        self.count("obligation_events", 1);
        Ok(())
    }

    async fn claim(&mut self, c: &Claim) -> Result<()> {
        let sql = upsert_sql(
            "claims",
            &["id"],
            &[
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
        );
        let n = sqlx::query(&sql)
            .bind(&c.id)
            .bind(&c.partner)
            .bind(&c.agreement)
            .bind(c.stage.map(|s| s.as_str()))
            .bind(c.stated.to_string())
            .bind(&c.statement)
            .bind(&c.correction)
            .bind(&c.correction_source)
            .bind(&c.source)
            .bind(c.confidence.as_str())
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing claim `{}`", c.id))?
            .rows_affected();
        self.count("claims", n);
        Ok(())
    }

    async fn indicator(&mut self, ind: &Indicator) -> Result<()> {
        let sql = upsert_sql(
            "indicators",
            &["id"],
            &[
                "name_en",
                "name_ru",
                "name_kk",
                "unit",
                "measure",
                "note",
                "source_id",
            ],
        );
        let n = sqlx::query(&sql)
            .bind(&ind.id)
            .bind(&ind.name.en)
            .bind(&ind.name.ru)
            .bind(&ind.name.kk)
            .bind(&ind.unit)
            .bind(ind.measure.as_str())
            .bind(&ind.note)
            .bind(&ind.source)
            .execute(&mut **self.tx)
            .await
            .context(format_args!("writing indicator `{}`", ind.id))?
            .rows_affected();
        self.count("indicators", n);
        let sql = upsert_sql(
            "indicator_values",
            &["indicator_id", "period"],
            &[
                "period_start",
                "period_end",
                "ord",
                "value",
                "derived",
                "note",
                "source_id",
                "confidence",
            ],
        );
        for (i, v) in ind.values.iter().enumerate() {
            let period: Period = v.period.parse().expect("validated before writing");
            let n = sqlx::query(&sql)
                .bind(&ind.id)
                .bind(&v.period)
                .bind(day(period.start.earliest()))
                .bind(day(period.end.latest()))
                .bind(i as i64)
                .bind(v.value)
                .bind(v.derived)
                .bind(&v.note)
                .bind(&v.source)
                .bind(v.confidence.as_str())
                .execute(&mut **self.tx)
                .await
                .context(format_args!(
                    "writing value `{}` of indicator `{}`",
                    v.period, ind.id
                ))?
                .rows_affected();
            self.count("indicator_values", n);
        }
        Ok(())
    }
}
