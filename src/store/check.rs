//! The integrity report behind `lextrack check`.
//!
//! Import refuses what a file gets wrong on its own terms (syntax, unknown
//! references, impossible dates); `check` looks at the store as a whole for
//! what is legal to record but wrong or incomplete as a picture: broken
//! references, gaps in traceability, histories in an impossible order,
//! events dated in the future, facts without a source.
//!
//! The steps push what they find into a [`FindingSink`]: `check` keeps
//! everything for the full report; `check_summary` keeps per group only a
//! count and the first few (all the site's index shows), so its memory
//! does not grow with the number of findings.

use std::collections::{BTreeMap, BinaryHeap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::Store;
use crate::catalog::model::Stage;
use crate::error::{DbContext, Result};

/// At most this many provisions are checked at once for traceability; a
/// document larger than this is still read whole, alone.
const PROVISION_BUDGET: i64 = 5_000;
/// How many documents are listed at a time to plan those batches.
const DOCUMENT_LIST: i64 = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One thing `check` found. `code` is stable and documented in docs/cli.md.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: &'static str,
    /// The record concerned, e.g. `agreement eaeu-vn-fta`.
    pub subject: String,
    pub message: String,
}

/// Findings of one (severity, code), as the site's index shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FindingGroup {
    pub severity: Severity,
    pub code: &'static str,
    /// How many findings the group holds in all.
    pub count: usize,
    /// The group's first findings in report order, at most as many as asked.
    pub first: Vec<Finding>,
}

/// Where the check steps put what they find.
trait FindingSink {
    fn push(&mut self, f: Finding);
}

impl FindingSink for Vec<Finding> {
    fn push(&mut self, f: Finding) {
        Vec::push(self, f);
    }
}

/// Per (severity, code): the count, and the `shown` smallest findings in a
/// max-heap, so the largest kept is the one to drop when a smaller comes.
/// A heap rather than a set keeps equal findings apart, as the full report
/// does.
struct Summary {
    shown: usize,
    groups: BTreeMap<(Severity, &'static str), (usize, BinaryHeap<Finding>)>,
}

impl FindingSink for Summary {
    fn push(&mut self, f: Finding) {
        let (count, first) = self.groups.entry((f.severity, f.code)).or_default();
        *count += 1;
        if first.len() < self.shown {
            first.push(f);
        } else if let Some(mut largest) = first.peek_mut()
            && f < *largest
        {
            *largest = f;
        }
    }
}

impl Summary {
    /// The groups in report order (the map's key order is the findings'
    /// order on severity and code).
    fn into_groups(self) -> Vec<FindingGroup> {
        self.groups
            .into_iter()
            .map(|((severity, code), (count, first))| FindingGroup {
                severity,
                code,
                count,
                first: first.into_sorted_vec(),
            })
            .collect()
    }
}

fn finding(
    severity: Severity,
    code: &'static str,
    subject: impl Into<String>,
    message: impl Into<String>,
) -> Finding {
    Finding {
        severity,
        code,
        subject: subject.into(),
        message: message.into(),
    }
}

/// Agencies that are their own ancestor. `UNION` (not `UNION ALL`) keeps
/// the walk finite whatever the loops.
pub(super) async fn agency_cycles<'e, E>(executor: E) -> Result<Vec<String>>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    sqlx::query_scalar(
        "WITH RECURSIVE up(start, id) AS (
             SELECT id, parent_id FROM agencies WHERE parent_id IS NOT NULL
             UNION
             SELECT up.start, a.parent_id FROM up JOIN agencies a ON a.id = up.id
             WHERE a.parent_id IS NOT NULL
         )
         SELECT start FROM up WHERE id = start ORDER BY start",
    )
    .fetch_all(executor)
    .await
    .context("looking for loops in the agency hierarchy")
}

impl Store {
    /// Runs every integrity check. `today` decides what "in the future" means.
    pub async fn check(&self, today: NaiveDate) -> Result<Vec<Finding>> {
        let mut out = Vec::new();
        self.check_all(today, &mut out).await?;
        out.sort();
        Ok(out)
    }

    /// The findings of [`Store::check`] grouped by severity and code, in
    /// the report's order: each group's count and its first `shown`
    /// findings. Memory grows with the number of groups and `shown`, not
    /// with the number of findings.
    pub async fn check_summary(&self, today: NaiveDate, shown: usize) -> Result<Vec<FindingGroup>> {
        let mut summary = Summary {
            shown,
            groups: BTreeMap::new(),
        };
        self.check_all(today, &mut summary).await?;
        Ok(summary.into_groups())
    }

    async fn check_all(&self, today: NaiveDate, out: &mut impl FindingSink) -> Result<()> {
        self.check_references(out).await?;
        self.check_sources(out).await?;
        self.check_event_order(out).await?;
        self.check_future_dates(today, out).await?;
        self.check_traceability(out).await
    }

    async fn check_references(&self, out: &mut impl FindingSink) -> Result<()> {
        let broken: Vec<(String, i64, String)> =
            sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                .fetch_all(&self.pool)
                .await
                .context("checking foreign keys")?;
        for (table, rowid, parent) in broken {
            out.push(finding(
                Severity::Error,
                "broken_reference",
                format!("{table} row {rowid}"),
                format!("refers to a missing row of {parent}"),
            ));
        }
        for id in agency_cycles(&self.pool).await? {
            out.push(finding(
                Severity::Error,
                "agency_cycle",
                format!("agency {id}"),
                "is its own ancestor through `parent`",
            ));
        }
        let orphans: Vec<(String, String)> = sqlx::query_as(
            "SELECT o.id, o.agency_id FROM obligations o
             LEFT JOIN agencies a ON a.id = o.agency_id WHERE a.id IS NULL ORDER BY o.id",
        )
        .fetch_all(&self.pool)
        .await
        .context("checking obligations for their agencies")?;
        for (id, agency) in orphans {
            out.push(finding(
                Severity::Error,
                "obligation_without_agency",
                format!("obligation {id}"),
                format!("its agency `{agency}` does not exist"),
            ));
        }
        Ok(())
    }

    async fn check_sources(&self, out: &mut impl FindingSink) -> Result<()> {
        // Provisions may leave the source to their document; every other
        // fact names its own, and the schema requires it, so this finds
        // empty IDs and stores written by other tools.
        let sql = "
            SELECT 'document', id FROM documents WHERE trim(source_id) = ''
            UNION ALL SELECT 'agency', id FROM agencies WHERE trim(source_id) = ''
            UNION ALL SELECT 'partner', id FROM partners WHERE trim(source_id) = ''
            UNION ALL SELECT 'obligation', id FROM obligations WHERE trim(source_id) = ''
            UNION ALL SELECT 'link', document_id || '#' || eid || ' -> ' || node_id FROM provision_links WHERE trim(source_id) = ''
            UNION ALL SELECT 'event', document_id || ' ' || stage || ' ' || date FROM agreement_events WHERE trim(source_id) = ''
            UNION ALL SELECT 'indicator value', indicator_id || ' ' || period FROM indicator_values WHERE trim(source_id) = ''
            UNION ALL SELECT 'claim', id FROM claims WHERE trim(source_id) = ''
            UNION ALL SELECT 'provision', p.document_id || '#' || p.eid FROM provisions p
                JOIN documents d ON d.id = p.document_id
                WHERE coalesce(trim(p.source_id), trim(d.source_id), '') = ''";
        let rows: Vec<(String, String)> = sqlx::query_as(sql)
            .fetch_all(&self.pool)
            .await
            .context("checking that every fact has a source")?;
        for (what, id) in rows {
            out.push(finding(
                Severity::Error,
                "missing_source",
                format!("{what} {id}"),
                "names no source",
            ));
        }
        Ok(())
    }

    /// Stages that need a signature must not come certainly before the
    /// signature, nor an end (terminated, expired) before entry into force:
    /// the rule of [`crate::catalog::history`], which `record` and import
    /// hold new events to. A contradiction recorded knowingly (the later
    /// recorded of its two events marked forced, with a note) is a
    /// warning; any other is an error. A stage that needs a signature none records is a warning.
    async fn check_event_order(&self, out: &mut impl FindingSink) -> Result<()> {
        use crate::catalog::history::{Entry, contradictions};
        let events: Vec<(String, Option<String>, String, String, bool)> = sqlx::query_as(
            "SELECT document_id, party_id, stage, date, forced
                 FROM agreement_events ORDER BY document_id, seq",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading agreement histories")?;
        let mut by_doc: BTreeMap<&str, Vec<Entry>> = BTreeMap::new();
        for (doc, party, stage, date, forced) in &events {
            // A value that does not parse is another check's finding.
            if let (Ok(stage), Ok(date)) = (stage.parse(), date.parse()) {
                by_doc.entry(doc.as_str()).or_default().push(Entry {
                    stage,
                    party: party.clone(),
                    date,
                    forced: *forced,
                });
            }
        }
        for (doc, steps) in by_doc {
            for c in contradictions(&steps) {
                // The later recorded of the two is the one `record` asked to
                // force: a mark excuses only what its own entry brought.
                let (severity, code, message) = if steps[c.event.max(c.before)].forced {
                    (
                        Severity::Warning,
                        "forced_order",
                        format!("{} (recorded as forced)", c.message),
                    )
                } else {
                    (Severity::Error, "impossible_order", c.message)
                };
                out.push(finding(severity, code, format!("agreement {doc}"), message));
            }
            // The agreement as a whole is signed by any party's signature.
            for e in steps.iter().filter(|e| e.stage.needs_signature()) {
                let signed = steps.iter().any(|s| {
                    s.stage == Stage::Signed
                        && (e.party.is_none() || s.party.is_none() || s.party == e.party)
                });
                if !signed {
                    let who = e
                        .party
                        .as_ref()
                        .map(|p| format!(" for `{p}`"))
                        .unwrap_or_default();
                    out.push(finding(
                        Severity::Warning,
                        "missing_signature",
                        format!("agreement {doc}"),
                        format!(
                            "{}{who} on {}, but no signature is recorded",
                            e.stage, e.date
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    async fn check_future_dates(&self, today: NaiveDate, out: &mut impl FindingSink) -> Result<()> {
        let today = today.format("%Y-%m-%d").to_string();
        // Things that happened cannot be dated after today; scheduled
        // things (entry into force, due dates) can.
        let sql = "
            SELECT 'agreement ' || document_id, stage || ' on ' || date FROM agreement_events WHERE date_min > ?1
            UNION ALL SELECT 'obligation ' || obligation_id, status || ' on ' || date FROM obligation_events WHERE date_min > ?1
            UNION ALL SELECT 'agency ' || from_id, kind || ' `' || to_id || '` on ' || date FROM agency_successions WHERE date_min > ?1
            UNION ALL SELECT 'document ' || id, 'adopted on ' || adopted FROM documents WHERE substr(adopted || '-01-01', 1, 10) > ?1
            UNION ALL SELECT 'indicator ' || indicator_id, 'value for ' || period FROM indicator_values WHERE period_start > ?1
            UNION ALL SELECT 'claim ' || id, 'stated on ' || stated FROM claims WHERE substr(stated || '-01-01', 1, 10) > ?1
            UNION ALL SELECT 'source ' || id, 'published on ' || published FROM sources WHERE substr(published || '-01-01', 1, 10) > ?1
            UNION ALL SELECT 'source ' || id, 'accessed on ' || accessed FROM sources WHERE substr(accessed || '-01-01', 1, 10) > ?1
            UNION ALL SELECT 'document ' || from_id, kind || ' `' || to_id || '` on ' || date FROM document_relations WHERE substr(date || '-01-01', 1, 10) > ?1
            UNION ALL SELECT 'agency ' || id, 'established on ' || established FROM agencies WHERE substr(established || '-01-01', 1, 10) > ?1";
        let rows: Vec<(String, String)> = sqlx::query_as(sql)
            .bind(&today)
            .fetch_all(&self.pool)
            .await
            .context("checking for dates in the future")?;
        for (subject, what) in rows {
            out.push(finding(
                Severity::Error,
                "future_date",
                subject,
                format!("{what} is after today ({today})"),
            ));
        }
        Ok(())
    }

    /// Directions nothing implements, and provisions that serve nothing.
    async fn check_traceability(&self, out: &mut impl FindingSink) -> Result<()> {
        let uncovered: Vec<(String, String)> = sqlx::query_as(
            "SELECT n.id, n.framework_id FROM framework_nodes n
             WHERE n.kind = 'direction'
               AND NOT EXISTS (SELECT 1 FROM provision_links l WHERE l.node_id = n.id AND l.kind = 'implements')
             ORDER BY n.id",
        )
        .fetch_all(&self.pool)
        .await
        .context("checking which directions are implemented")?;
        for (id, fw) in uncovered {
            out.push(finding(
                Severity::Warning,
                "uncovered_direction",
                format!("direction {id}"),
                format!("no provision implements this direction of `{fw}`"),
            ));
        }

        // Documents are read a bounded batch at a time, in ID order, so
        // memory does not grow with the corpus.
        let mut after: Option<String> = None;
        loop {
            let listed = self.provision_counts(after.as_deref()).await?;
            let mut rest = listed.as_slice();
            while !rest.is_empty() {
                let take = super::rows::batch_len(rest, PROVISION_BUDGET);
                let (batch, tail) = rest.split_at(take);
                self.trace_batch(batch, out).await?;
                rest = tail;
            }
            if (listed.len() as i64) < DOCUMENT_LIST {
                return Ok(());
            }
            after = listed.last().map(|(doc, _)| doc.clone());
        }
    }

    /// The IDs of documents that have provisions, after `after`, with how
    /// many each has: at most [`DOCUMENT_LIST`], in ID order. The IDs come
    /// from the provisions themselves, so provisions whose document is
    /// missing are still checked.
    async fn provision_counts(&self, after: Option<&str>) -> Result<Vec<(String, i64)>> {
        // `>= ''` takes every ID; either way the primary key's index is used.
        let (op, from) = match after {
            Some(after) => (">", after),
            None => (">=", ""),
        };
        let text: Option<String> = sqlx::query_scalar(&format!(
            "SELECT json_group_array(json_array(document_id, n)) FROM (
               SELECT document_id, count(*) AS n FROM provisions WHERE document_id {op} ?1
               GROUP BY document_id ORDER BY document_id LIMIT ?2)"
        ))
        .bind(from)
        .bind(DOCUMENT_LIST)
        .fetch_one(&self.pool)
        .await
        .context(format_args!("listing documents after `{from}` to check"))?;
        let mut listed: Vec<(String, i64)> = parse_json(text, "the documents to check")?;
        // The batches are ranges of IDs: they rely on this order.
        listed.sort();
        Ok(listed)
    }

    /// Traceability gaps in `batch`: documents consecutive in ID order,
    /// with their provision counts.
    ///
    /// A document with provisions of which none is linked or carries an
    /// obligation is one gap, reported once rather than per provision.
    /// Otherwise a provision serves something when it, an ancestor or a
    /// descendant carries a link or an obligation.
    async fn trace_batch(&self, batch: &[(String, i64)], out: &mut impl FindingSink) -> Result<()> {
        let (Some((first, _)), Some((last, _))) = (batch.first(), batch.last()) else {
            return Ok(());
        };
        // One JSON value per list rather than a row per provision: handing
        // rows one by one from SQLite's thread costs more than the query.
        let (provisions, served): (Option<String>, Option<String>) = sqlx::query_as(
            "SELECT (SELECT json_group_array(json_array(document_id, eid, parent_eid))
                       FROM provisions WHERE document_id >= ?1 AND document_id <= ?2),
                    (SELECT json_group_array(json_array(document_id, eid)) FROM (
                       SELECT document_id, eid FROM provision_links
                        WHERE document_id >= ?1 AND document_id <= ?2
                       UNION
                       SELECT document_id, eid FROM obligations
                        WHERE document_id >= ?1 AND document_id <= ?2))",
        )
        .bind(first)
        .bind(last)
        .fetch_one(&self.pool)
        .await
        .context(format_args!(
            "reading provisions, links and obligations of documents `{first}`..`{last}`"
        ))?;
        let provisions: Vec<(String, String, Option<String>)> =
            parse_json(provisions, "provisions")?;
        let served: Vec<(String, String)> = parse_json(served, "links and obligations")?;

        let mut trees: HashMap<&str, Vec<(&str, Option<&str>)>> = HashMap::new();
        for (doc, eid, parent) in &provisions {
            trees
                .entry(doc.as_str())
                .or_default()
                .push((eid.as_str(), parent.as_deref()));
        }
        // Every (document, eid) a link or obligation names, even one whose
        // provision is missing: that is a broken reference, reported as such.
        let mut served_in: HashMap<&str, HashSet<&str>> = HashMap::new();
        for (doc, eid) in &served {
            served_in
                .entry(doc.as_str())
                .or_default()
                .insert(eid.as_str());
        }

        for (doc, n) in batch {
            let Some(served) = served_in.get(doc.as_str()) else {
                out.push(finding(
                    Severity::Warning,
                    "unlinked_document",
                    format!("document {doc}"),
                    if *n == 1 {
                        "its one provision serves no direction and carries no obligation".to_owned()
                    } else {
                        format!(
                            "none of its {n} provisions serves a direction or carries an obligation"
                        )
                    },
                ));
                continue;
            };
            let tree = trees
                .get(doc.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            for eid in unserved(tree, served) {
                out.push(finding(
                    Severity::Warning,
                    "unlinked_provision",
                    format!("provision {doc}#{eid}"),
                    "serves no direction and carries no obligation",
                ));
            }
        }
        Ok(())
    }
}

/// The provisions of one document's `tree` (eid, parent eid) that neither
/// are nor lie above or below a `served` one.
fn unserved<'a>(tree: &[(&'a str, Option<&'a str>)], served: &HashSet<&'a str>) -> Vec<&'a str> {
    let parent: HashMap<&str, &str> = tree
        .iter()
        .filter_map(|(eid, parent)| parent.map(|p| (*eid, p)))
        .collect();
    // The chain from `eid` up to its root. No chain is longer than the
    // tree, which keeps a loop of parents (no import lets one through)
    // from making the walk endless.
    let up = |eid: &'a str| {
        std::iter::successors(Some(eid), |e| parent.get(e).copied()).take(parent.len() + 1)
    };
    // Served provisions and all their ancestors.
    let mut covered: HashSet<&str> = HashSet::new();
    for eid in served {
        for e in up(eid) {
            if !covered.insert(e) {
                break;
            }
        }
    }
    tree.iter()
        .map(|(eid, _)| *eid)
        .filter(|eid| !covered.contains(eid) && !up(eid).any(|e| served.contains(e)))
        .collect()
}

/// Decodes a JSON array assembled by SQLite (`json_group_array`).
fn parse_json<T: serde::de::DeserializeOwned>(text: Option<String>, what: &str) -> Result<T> {
    super::rows::parse_json(text.as_deref().unwrap_or("[]"), what)
}
