//! Reading the whole store back as catalog files, for `export`.
//!
//! Every list is read in a fixed order (IDs, or the order the files gave),
//! so the same store always gives the same files, byte for byte.

use std::collections::BTreeMap;

use sqlx::sqlite::SqliteRow;

use super::Store;
use super::rows::{get, opt_date, parse, parse_opt, req_date};
use crate::catalog::model::*;
use crate::error::{DbContext, Result};

/// A catalog file and where it goes in the export layout.
pub struct ExportFile {
    /// Path relative to the export folder, without extension.
    pub stem: String,
    pub content: CatalogFile,
}

fn localized(row: &SqliteRow, prefix: &str) -> Result<Localized> {
    Ok(Localized {
        en: get(row, &format!("{prefix}_en"))?,
        ru: get(row, &format!("{prefix}_ru"))?,
        kk: get(row, &format!("{prefix}_kk"))?,
    })
}

fn alias_list(row: &SqliteRow) -> Result<Vec<String>> {
    let text: String = get(row, "aliases")?;
    serde_json::from_str(&text).map_err(|e| crate::error::Error::Db {
        context: "reading an alias list".into(),
        source: sqlx::Error::Decode(Box::new(e)),
    })
}

impl Store {
    async fn rows(&self, sql: &str, what: &str) -> Result<Vec<SqliteRow>> {
        sqlx::query(sql)
            .fetch_all(&self.pool)
            .await
            .context(format_args!("reading {what}"))
    }

    /// The whole store as catalog files in the canonical layout.
    pub async fn export(&self) -> Result<Vec<ExportFile>> {
        let mut files = Vec::new();

        let mut sources = CatalogFile::default();
        for r in self
            .rows("SELECT * FROM sources ORDER BY id", "sources")
            .await?
        {
            sources.sources.push(Source {
                id: get(&r, "id")?,
                kind: parse(&r, "kind")?,
                title: get(&r, "title")?,
                author: get(&r, "author")?,
                publisher: get(&r, "publisher")?,
                published: opt_date(&r, "published")?,
                url: get(&r, "url")?,
                accessed: opt_date(&r, "accessed")?,
                note: get(&r, "note")?,
            });
        }
        files.push(ExportFile {
            stem: "sources".into(),
            content: sources,
        });

        let mut agencies = CatalogFile::default();
        for r in self
            .rows("SELECT * FROM agencies ORDER BY id", "agencies")
            .await?
        {
            agencies.agencies.push(Agency {
                id: get(&r, "id")?,
                kind: parse(&r, "kind")?,
                name: localized(&r, "name")?,
                abbreviation: get(&r, "abbreviation")?,
                aliases: alias_list(&r)?,
                parent: get(&r, "parent_id")?,
                jurisdiction: parse(&r, "jurisdiction")?,
                established: opt_date(&r, "established")?,
                abolished: opt_date(&r, "abolished")?,
                note: get(&r, "note")?,
                source: get(&r, "source_id")?,
                confidence: parse(&r, "confidence")?,
            });
        }
        for r in self
            .rows(
                "SELECT * FROM agency_successions ORDER BY date_min, date, from_id, to_id, kind",
                "agency successions",
            )
            .await?
        {
            agencies.successions.push(Succession {
                from: get(&r, "from_id")?,
                to: get(&r, "to_id")?,
                kind: parse(&r, "kind")?,
                date: req_date(&r, "date")?,
                functions: get(&r, "functions")?,
                note: get(&r, "note")?,
                source: get(&r, "source_id")?,
                confidence: parse(&r, "confidence")?,
            });
        }
        files.push(ExportFile {
            stem: "agencies".into(),
            content: agencies,
        });

        let mut partners = CatalogFile::default();
        for r in self
            .rows("SELECT * FROM partners ORDER BY id", "partners")
            .await?
        {
            partners.partners.push(Partner {
                id: get(&r, "id")?,
                kind: parse(&r, "kind")?,
                iso: get(&r, "iso")?,
                name: localized(&r, "name")?,
                aliases: alias_list(&r)?,
                note: get(&r, "note")?,
                source: get(&r, "source_id")?,
                confidence: parse(&r, "confidence")?,
            });
        }
        for r in self
            .rows("SELECT * FROM claims ORDER BY id", "claims")
            .await?
        {
            partners.claims.push(Claim {
                id: get(&r, "id")?,
                partner: get(&r, "partner_id")?,
                agreement: get(&r, "document_id")?,
                stage: parse_opt(&r, "stage")?,
                stated: req_date(&r, "stated")?,
                statement: get(&r, "statement")?,
                correction: get(&r, "correction")?,
                correction_source: get(&r, "correction_source_id")?,
                source: get(&r, "source_id")?,
                confidence: parse(&r, "confidence")?,
            });
        }
        files.push(ExportFile {
            stem: "partners".into(),
            content: partners,
        });

        let mut indicators = CatalogFile::default();
        let mut values: BTreeMap<String, Vec<IndicatorValue>> = BTreeMap::new();
        for r in self
            .rows(
                "SELECT * FROM indicator_values ORDER BY indicator_id, ord, period",
                "indicator values",
            )
            .await?
        {
            let derived: i64 = get(&r, "derived")?;
            values
                .entry(get(&r, "indicator_id")?)
                .or_default()
                .push(IndicatorValue {
                    period: get(&r, "period")?,
                    value: get(&r, "value")?,
                    derived: derived != 0,
                    note: get(&r, "note")?,
                    source: get(&r, "source_id")?,
                    confidence: parse(&r, "confidence")?,
                });
        }
        for r in self
            .rows("SELECT * FROM indicators ORDER BY id", "indicators")
            .await?
        {
            let id: String = get(&r, "id")?;
            indicators.indicators.push(Indicator {
                values: values.remove(&id).unwrap_or_default(),
                id,
                name: localized(&r, "name")?,
                unit: get(&r, "unit")?,
                measure: parse(&r, "measure")?,
                note: get(&r, "note")?,
                source: get(&r, "source_id")?,
            });
        }
        files.push(ExportFile {
            stem: "indicators".into(),
            content: indicators,
        });

        let mut nodes: BTreeMap<String, Vec<Node>> = BTreeMap::new();
        for r in self
            .rows(
                "SELECT * FROM framework_nodes ORDER BY framework_id, ord, id",
                "framework nodes",
            )
            .await?
        {
            nodes
                .entry(get(&r, "framework_id")?)
                .or_default()
                .push(Node {
                    id: get(&r, "id")?,
                    parent: get(&r, "parent_id")?,
                    kind: parse(&r, "kind")?,
                    number: get(&r, "number")?,
                    title: localized(&r, "title")?,
                    text: get(&r, "text")?,
                    source: get(&r, "source_id")?,
                    confidence: parse(&r, "confidence")?,
                });
        }
        for r in self
            .rows("SELECT * FROM frameworks ORDER BY id", "frameworks")
            .await?
        {
            let id: String = get(&r, "id")?;
            files.push(ExportFile {
                stem: format!("frameworks/{id}"),
                content: CatalogFile {
                    nodes: nodes.remove(&id).unwrap_or_default(),
                    framework: Some(Framework {
                        id,
                        title: localized(&r, "title")?,
                        document: get(&r, "document_id")?,
                        note: get(&r, "note")?,
                        source: get(&r, "source_id")?,
                        confidence: parse(&r, "confidence")?,
                    }),
                    ..Default::default()
                },
            });
        }

        files.extend(self.export_documents().await?);
        Ok(files)
    }

    async fn export_documents(&self) -> Result<Vec<ExportFile>> {
        let mut relations: BTreeMap<String, Vec<Relation>> = BTreeMap::new();
        for r in self
            .rows(
                "SELECT * FROM document_relations ORDER BY from_id, ord, kind, to_id",
                "document relations",
            )
            .await?
        {
            relations
                .entry(get(&r, "from_id")?)
                .or_default()
                .push(Relation {
                    kind: parse(&r, "kind")?,
                    target: get(&r, "to_id")?,
                    date: opt_date(&r, "date")?,
                    note: get(&r, "note")?,
                    source: get(&r, "source_id")?,
                    confidence: parse(&r, "confidence")?,
                });
        }
        let mut parties: BTreeMap<String, Vec<Party>> = BTreeMap::new();
        for r in self
            .rows(
                "SELECT * FROM agreement_parties ORDER BY document_id, ord, partner_id",
                "agreement parties",
            )
            .await?
        {
            parties
                .entry(get(&r, "document_id")?)
                .or_default()
                .push(Party {
                    partner: get(&r, "partner_id")?,
                    note: get(&r, "note")?,
                });
        }
        let mut events: BTreeMap<String, Vec<StatusEvent>> = BTreeMap::new();
        for r in self
            .rows(
                "SELECT * FROM agreement_events ORDER BY document_id, seq, date_min, stage, scope",
                "agreement events",
            )
            .await?
        {
            events
                .entry(get(&r, "document_id")?)
                .or_default()
                .push(StatusEvent {
                    stage: parse(&r, "stage")?,
                    date: req_date(&r, "date")?,
                    party: get(&r, "party_id")?,
                    note: get(&r, "note")?,
                    source: get(&r, "source_id")?,
                    confidence: parse(&r, "confidence")?,
                    forced: get::<i64>(&r, "forced")? != 0,
                });
        }
        let mut links: BTreeMap<String, Vec<Link>> = BTreeMap::new();
        for r in self
            .rows(
                "SELECT * FROM provision_links ORDER BY document_id, ord, eid, node_id, kind",
                "provision links",
            )
            .await?
        {
            links
                .entry(get(&r, "document_id")?)
                .or_default()
                .push(Link {
                    provision: get(&r, "eid")?,
                    node: get(&r, "node_id")?,
                    kind: parse(&r, "kind")?,
                    note: get(&r, "note")?,
                    source: get(&r, "source_id")?,
                    confidence: parse(&r, "confidence")?,
                });
        }
        let mut histories: BTreeMap<String, Vec<ObligationEvent>> = BTreeMap::new();
        for r in self
            .rows(
                "SELECT * FROM obligation_events ORDER BY obligation_id, seq, date_min, status",
                "obligation histories",
            )
            .await?
        {
            histories
                .entry(get(&r, "obligation_id")?)
                .or_default()
                .push(ObligationEvent {
                    status: parse(&r, "status")?,
                    date: req_date(&r, "date")?,
                    note: get(&r, "note")?,
                    source: get(&r, "source_id")?,
                    confidence: parse(&r, "confidence")?,
                    forced: get::<i64>(&r, "forced")? != 0,
                });
        }
        let mut obligations: BTreeMap<String, Vec<Obligation>> = BTreeMap::new();
        for r in self
            .rows(
                "SELECT * FROM obligations ORDER BY document_id, ord, id",
                "obligations",
            )
            .await?
        {
            let id: String = get(&r, "id")?;
            let every: Option<Every> = parse_opt(&r, "recurrence_every")?;
            let by: Option<String> = get(&r, "recurrence_by")?;
            obligations
                .entry(get(&r, "document_id")?)
                .or_default()
                .push(Obligation {
                    history: histories.remove(&id).unwrap_or_default(),
                    id,
                    provision: get(&r, "eid")?,
                    agency: get(&r, "agency_id")?,
                    role: parse(&r, "role")?,
                    modality: parse(&r, "modality")?,
                    action: get(&r, "action")?,
                    due: opt_date(&r, "due")?,
                    recurrence: every.zip(by).map(|(every, by)| Recurrence { every, by }),
                    note: get(&r, "note")?,
                    source: get(&r, "source_id")?,
                    confidence: parse(&r, "confidence")?,
                });
        }
        let mut provisions: BTreeMap<String, Vec<Provision>> = BTreeMap::new();
        for r in self
            .rows(
                "SELECT * FROM provisions ORDER BY document_id, ord, eid",
                "provisions",
            )
            .await?
        {
            let eid: String = get(&r, "eid")?;
            let parent: Option<String> = get(&r, "parent_eid")?;
            // The parent is written only where the eId does not imply it.
            let implied = crate::catalog::validate::implied_parent(&eid);
            let parent = match (parent, implied) {
                (Some(p), Some(i)) if p == i => None,
                (p, _) => p,
            };
            provisions
                .entry(get(&r, "document_id")?)
                .or_default()
                .push(Provision {
                    eid,
                    parent,
                    kind: parse(&r, "kind")?,
                    number: get(&r, "number")?,
                    heading: get(&r, "heading")?,
                    text: get(&r, "text")?,
                    text_kind: parse_opt(&r, "text_kind")?,
                    valid_from: opt_date(&r, "valid_from")?,
                    valid_to: opt_date(&r, "valid_to")?,
                    source: get(&r, "source_id")?,
                    confidence: parse(&r, "confidence")?,
                });
        }

        let mut files = Vec::new();
        for r in self
            .rows("SELECT * FROM documents ORDER BY id", "documents")
            .await?
        {
            let id: String = get(&r, "id")?;
            let parties = parties.remove(&id).unwrap_or_default();
            let folder = if parties.is_empty() {
                "documents"
            } else {
                "agreements"
            };
            files.push(ExportFile {
                stem: format!("{folder}/{id}"),
                content: CatalogFile {
                    relations: relations.remove(&id).unwrap_or_default(),
                    parties,
                    events: events.remove(&id).unwrap_or_default(),
                    provisions: provisions.remove(&id).unwrap_or_default(),
                    links: links.remove(&id).unwrap_or_default(),
                    obligations: obligations.remove(&id).unwrap_or_default(),
                    document: Some(Document {
                        id,
                        kind: parse(&r, "kind")?,
                        work_id: get(&r, "work_id")?,
                        number: get(&r, "number")?,
                        title: localized(&r, "title")?,
                        issuer: get(&r, "issuer_id")?,
                        jurisdiction: parse(&r, "jurisdiction")?,
                        adopted: opt_date(&r, "adopted")?,
                        in_force: opt_date(&r, "in_force")?,
                        expires: opt_date(&r, "expires")?,
                        repealed: opt_date(&r, "repealed")?,
                        status: parse(&r, "status")?,
                        url: get(&r, "url")?,
                        note: get(&r, "note")?,
                        source: get(&r, "source_id")?,
                        confidence: parse(&r, "confidence")?,
                    }),
                    ..Default::default()
                },
            });
        }
        Ok(files)
    }
}
