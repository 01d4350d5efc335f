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
use crate::catalog::model::ObligationStatus;
use crate::date::PartialDate;
use crate::error::{DbContext, Error, Result};
use crate::queries::*;

/// The earliest day a partial date column can stand for, as `YYYY-MM-DD`.
macro_rules! earliest {
    ($col:literal) => {
        concat!("substr(", $col, " || '-01-01', 1, 10)")
    };
}

/// The latest day a partial date column can stand for, as `YYYY-MM-DD`.
macro_rules! latest {
    ($col:literal) => {
        concat!(
            "(CASE length(",
            $col,
            ") WHEN 4 THEN ",
            $col,
            " || '-12-31' WHEN 7 THEN date(",
            $col,
            " || '-01', '+1 month', '-1 day') ELSE ",
            $col,
            " END)"
        )
    };
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

    fn bind_all(&mut self, values: impl IntoIterator<Item = String>) -> &mut Self {
        let values: Vec<String> = values.into_iter().collect();
        self.text.push_str(&placeholders(values.len()));
        self.binds.extend(values);
        self
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

/// The SQL of `lextrack obligations`, exposed so benchmarks can run the same
/// statement through the sqlite3 shell.
pub fn obligations_sql(q: &ObligationQuery, agencies: &[String]) -> (String, Vec<String>) {
    let mut s = Sql::default();
    s.push("WITH RECURSIVE ");
    if let Some(node) = &q.direction {
        s.bind("nodes(id) AS (SELECT ?", node.clone()).push(
            " UNION SELECT n.id FROM framework_nodes n JOIN nodes ON n.parent_id = nodes.id),
             linked(document_id, eid) AS (
               SELECT l.document_id, l.eid FROM provision_links l JOIN nodes ON l.node_id = nodes.id
               UNION SELECT p.document_id, p.eid FROM provisions p
                 JOIN linked ON p.document_id = linked.document_id AND p.parent_eid = linked.eid),
             ",
        );
    }
    s.push(
        "sel AS MATERIALIZED (
           SELECT o.id, o.agency_id, coalesce(a.name_en, a.name_ru, a.name_kk, a.id) AS agency_name,
             o.role, o.modality, o.action, o.document_id,
             coalesce(d.title_en, d.title_ru, d.title_kk, d.id) AS document_title,
             o.eid, p.number, p.ord AS p_ord, o.ord AS o_ord, o.due, o.recurrence_every, o.recurrence_by,
             o.source_id, o.confidence,
             (SELECT e.status || ' ' || e.date FROM obligation_events e
               WHERE e.obligation_id = o.id AND e.date_min <= ",
    )
    .bind("?", day(q.today))
    .push(
        " ORDER BY e.date_min DESC, e.seq DESC LIMIT 1) AS last_status
           FROM obligations o
           JOIN agencies a ON a.id = o.agency_id
           JOIN documents d ON d.id = o.document_id
           JOIN provisions p ON p.document_id = o.document_id AND p.eid = o.eid
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
                concat!(" AND ", latest!("coalesce(d.in_force, d.adopted)"), " <= ?"),
                on.clone(),
            )
            .bind(
                concat!(
                    " AND (d.repealed IS NULL OR ",
                    earliest!("d.repealed"),
                    " > ?)"
                ),
                on.clone(),
            )
            .bind(
                concat!(
                    " AND (d.expires IS NULL OR ",
                    earliest!("d.expires"),
                    " >= ?)"
                ),
                on.clone(),
            )
            .bind(
                concat!(
                    " AND (p.valid_from IS NULL OR ",
                    latest!("p.valid_from"),
                    " <= ?)"
                ),
                on.clone(),
            )
            .bind(
                concat!(
                    " AND (p.valid_to IS NULL OR ",
                    earliest!("p.valid_to"),
                    " >= ?)"
                ),
                on,
            );
    }
    if let Some(before) = q.due_before {
        s.bind(
            concat!(
                " AND ((o.due IS NOT NULL AND ",
                latest!("o.due"),
                " < ?) OR o.recurrence_every IS NOT NULL)"
            ),
            day(before),
        );
    }
    s.push(
        "),
         anc(document_id, eid, up) AS (
           SELECT DISTINCT document_id, eid, eid FROM sel
           UNION SELECT anc.document_id, anc.eid, p.parent_eid FROM anc
             JOIN provisions p ON p.document_id = anc.document_id AND p.eid = anc.up
             WHERE p.parent_eid IS NOT NULL),
         dirs AS (
           SELECT anc.document_id, anc.eid, group_concat(DISTINCT l.node_id) AS directions
           FROM anc JOIN provision_links l ON l.document_id = anc.document_id AND l.eid = anc.up
           GROUP BY anc.document_id, anc.eid)
         SELECT sel.*, dirs.directions FROM sel
         LEFT JOIN dirs ON dirs.document_id = sel.document_id AND dirs.eid = sel.eid
         ORDER BY sel.document_id, sel.p_ord, sel.o_ord, sel.id",
    );
    (s.text, s.binds)
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
        let rows = sqlx::query(
            "SELECT id, name_en, name_ru, name_kk, abbreviation, aliases FROM agencies ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading agency names")?;
        let mut candidates = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut keys: Vec<String> = vec![get(r, "id")?];
            for col in ["name_en", "name_ru", "name_kk", "abbreviation"] {
                keys.extend(get::<Option<String>>(r, col)?);
            }
            keys.extend(alias_list(&get::<String>(r, "aliases")?));
            candidates.push(Candidate {
                id: get(r, "id")?,
                keys,
            });
        }
        settle("agency", name, resolve(name, &candidates))
    }

    /// Resolves a partner by ID, name in any language, alias or ISO code,
    /// ignoring case. Unknown names fail with the closest names.
    pub async fn resolve_partner(&self, name: &str) -> Result<String> {
        let rows = sqlx::query(
            "SELECT id, iso, name_en, name_ru, name_kk, aliases FROM partners ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .context("reading partner names")?;
        let mut candidates = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut keys: Vec<String> = vec![get(r, "id")?];
            for col in ["iso", "name_en", "name_ru", "name_kk"] {
                keys.extend(get::<Option<String>>(r, col)?);
            }
            keys.extend(alias_list(&get::<String>(r, "aliases")?));
            candidates.push(Candidate {
                id: get(r, "id")?,
                keys,
            });
        }
        settle("partner", name, resolve(name, &candidates))
    }

    /// Fails with `NotFound` (and the closest IDs) unless `table` has a row
    /// with this ID. `table` is one of the fixed table names of the schema.
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
        settle(what, id, resolve(id, &candidates)).map(|_| ())
    }

    /// The agency `id`, the agencies under it when `with_subordinates`, and
    /// every predecessor of those (through any succession, transitively)
    /// with the date it passed its functions on.
    async fn agency_scope(
        &self,
        id: &str,
        with_subordinates: bool,
    ) -> Result<(Vec<String>, HashMap<String, String>)> {
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
        let successions: Vec<(String, String, String)> =
            sqlx::query_as("SELECT from_id, to_id, date FROM agency_successions ORDER BY date_min")
                .fetch_all(&self.pool)
                .await
                .context("reading agency successions")?;
        let mut inherited: HashMap<String, String> = HashMap::new();
        let mut frontier: Vec<String> = scope.iter().cloned().collect();
        while let Some(to) = frontier.pop() {
            for (from, _, date) in successions.iter().filter(|(_, t, _)| *t == to) {
                if scope.contains(from) || inherited.contains_key(from) {
                    continue;
                }
                inherited.insert(from.clone(), date.clone());
                frontier.push(from.clone());
            }
        }
        let mut all: Vec<String> = scope.into_iter().collect();
        all.extend(inherited.keys().cloned());
        all.sort();
        Ok((all, inherited))
    }

    /// Obligations matching `q`, in document order.
    pub async fn obligations(&self, q: &ObligationQuery) -> Result<Vec<ObligationRow>> {
        let (agencies, inherited) = match &q.agency {
            Some(id) => self.agency_scope(id, q.with_subordinates).await?,
            None => (Vec::new(), HashMap::new()),
        };
        if let Some(doc) = &q.document {
            self.require_id("documents", "document", doc).await?;
        }
        if let Some(node) = &q.direction {
            self.require_id("framework_nodes", "direction", node)
                .await?;
        }
        let (text, binds) = obligations_sql(q, &agencies);
        let sql = Sql { text, binds };
        let rows = sql.fetch(self, "obligations").await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let row = obligation_row(r, q.today, &inherited)?;
            if q.status.is_some_and(|s| s != row.status) {
                continue;
            }
            if let Some(before) = q.due_before
                && row.due.is_some()
                && let Some(next) = row.next_due
                && next >= before
            {
                continue;
            }
            out.push(row);
        }
        Ok(out)
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
            let scoped: Vec<&TimelineEntry> = history
                .iter()
                .filter(|e| e.partner.is_none() || e.partner == p.partner)
                .collect();
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
        for (_, mut history) in events {
            history.retain(|e| {
                (q.partner.is_none() || e.partner.is_none() || e.partner == q.partner)
                    && q.changed_since.is_none_or(|since| e.date.latest() >= since)
                    && q.stage.is_none_or(|s| s == e.stage)
            });
            history.sort_by_key(|e| (e.date.earliest(), e.stage, e.seq));
            out.extend(history);
        }
        Ok(out)
    }

    /// One row per partner with where each of its agreements stands on
    /// `as_of`; the headline is the agreement whose stage changed last.
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
                .max_by_key(|a| (a.since.map(|d| d.earliest()), a.stage));
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
        let mut s = Sql::default();
        s.push("SELECT id, coalesce(title_en, title_ru, title_kk, id) AS title FROM frameworks");
        if let Some(f) = framework {
            s.bind(" WHERE id = ?", f);
        }
        s.push(" ORDER BY id");
        let frameworks = s.fetch(self, "frameworks").await?;
        let mut out = Vec::with_capacity(frameworks.len());
        for r in &frameworks {
            let id: String = get(r, "id")?;
            let title: String = get(r, "title")?;
            out.push(self.coverage_of(id, title).await?);
        }
        Ok(out)
    }

    async fn coverage_of(&self, framework: String, title: String) -> Result<CoverageMatrix> {
        let nodes = sqlx::query(
            "SELECT id, kind, number, coalesce(title_en, title_ru, title_kk, id) AS title
             FROM framework_nodes WHERE framework_id = ? ORDER BY ord, id",
        )
        .bind(&framework)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the nodes of `{framework}`"))?;
        let links = sqlx::query(
            "SELECT l.node_id, l.document_id, l.eid, p.number, l.kind
             FROM provision_links l
             JOIN framework_nodes n ON n.id = l.node_id
             JOIN provisions p ON p.document_id = l.document_id AND p.eid = l.eid
             WHERE n.framework_id = ?
             ORDER BY l.document_id, p.ord, l.kind",
        )
        .bind(&framework)
        .fetch_all(&self.pool)
        .await
        .context(format_args!("reading the links into `{framework}`"))?;
        let provisions = sqlx::query(
            "SELECT p.document_id, p.eid, p.parent_eid, p.number, p.heading FROM provisions p
             WHERE p.document_id IN (
               SELECT DISTINCT l.document_id FROM provision_links l
               JOIN framework_nodes n ON n.id = l.node_id WHERE n.framework_id = ?)
             ORDER BY p.document_id, p.ord",
        )
        .bind(&framework)
        .fetch_all(&self.pool)
        .await
        .context(format_args!(
            "reading the provisions linked to `{framework}`"
        ))?;

        let mut by_node: HashMap<String, Vec<CoverageLink>> = HashMap::new();
        let mut linked: HashSet<(String, String)> = HashSet::new();
        for r in &links {
            let link = CoverageLink {
                document: get(r, "document_id")?,
                provision: get(r, "eid")?,
                number: get(r, "number")?,
                link: get(r, "kind")?,
            };
            linked.insert((link.document.clone(), link.provision.clone()));
            by_node.entry(get(r, "node_id")?).or_default().push(link);
        }
        let mut directions = Vec::new();
        let mut uncovered = Vec::new();
        for n in &nodes {
            if get::<String>(n, "kind")? != "direction" {
                continue;
            }
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

        // A provision serves the framework when it or a provision above it
        // is linked, or when one below it is.
        let mut parent: HashMap<(&str, &str), &str> = HashMap::new();
        let mut all: Vec<(String, String, Option<String>, Option<String>)> = Vec::new();
        for r in &provisions {
            all.push((
                get(r, "document_id")?,
                get(r, "eid")?,
                get(r, "number")?,
                get(r, "heading")?,
            ));
        }
        let parents: Vec<Option<String>> = provisions
            .iter()
            .map(|r| get(r, "parent_eid"))
            .collect::<Result<_>>()?;
        for ((d, e, ..), p) in all.iter().zip(&parents) {
            if let Some(p) = p {
                parent.insert((d.as_str(), e.as_str()), p.as_str());
            }
        }
        let mut above_linked: HashSet<(&str, &str)> = HashSet::new();
        for (d, e) in &linked {
            let mut cur = parent.get(&(d.as_str(), e.as_str())).copied();
            while let Some(eid) = cur {
                if !above_linked.insert((d.as_str(), eid)) {
                    break;
                }
                cur = parent.get(&(d.as_str(), eid)).copied();
            }
        }
        let mut unlinked = Vec::new();
        for (d, e, number, heading) in &all {
            let key = (d.as_str(), e.as_str());
            let mut cur = Some(e.as_str());
            let mut served = above_linked.contains(&key);
            while let Some(eid) = cur
                && !served
            {
                served = linked.contains(&(d.clone(), eid.to_owned()));
                cur = parent.get(&(d.as_str(), eid)).copied();
            }
            if !served {
                unlinked.push(ProvisionRef {
                    document: d.clone(),
                    provision: e.clone(),
                    number: number.clone(),
                    heading: heading.clone(),
                });
            }
        }
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

/// Turns a resolution into an ID or the error people see.
fn settle(what: &'static str, name: &str, r: Resolution) -> Result<String> {
    match r {
        Resolution::Found(id) => Ok(id),
        Resolution::Ambiguous(ids) => Err(Error::Usage(format!(
            "{what} `{name}` is ambiguous: it names {}; use an ID",
            ids.iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
        Resolution::NotFound(suggestions) => Err(Error::NotFound {
            what,
            name: name.to_owned(),
            suggestions,
        }),
    }
}

fn obligation_row(
    r: &SqliteRow,
    today: NaiveDate,
    inherited: &HashMap<String, String>,
) -> Result<ObligationRow> {
    let agency: String = get(r, "agency_id")?;
    let every: Option<String> = get(r, "recurrence_every")?;
    let by: Option<String> = get(r, "recurrence_by")?;
    let due_date: Option<String> = get(r, "due")?;
    let (due, next_due) = match (&every, &by) {
        (Some(every), Some(by)) => (
            Some(describe_recurrence(every, by)),
            next_occurrence(every, by, today),
        ),
        _ => (due_date, None),
    };
    let last: Option<String> = get(r, "last_status")?;
    let (status, status_since) = match last.as_deref().and_then(|l| l.split_once(' ')) {
        Some((status, date)) => (
            status.parse::<ObligationStatus>().map_err(|e| Error::Db {
                context: "reading column `status`".into(),
                source: sqlx::Error::Decode(e.into()),
            })?,
            Some(date.to_owned()),
        ),
        None => (ObligationStatus::Active, None),
    };
    let mut directions: Vec<String> = get::<Option<String>>(r, "directions")?
        .map(|d| d.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    directions.sort();
    Ok(ObligationRow {
        id: get(r, "id")?,
        agency_name: get(r, "agency_name")?,
        role: parse(r, "role")?,
        modality: parse(r, "modality")?,
        action: get(r, "action")?,
        document: get(r, "document_id")?,
        document_title: get(r, "document_title")?,
        provision: get(r, "eid")?,
        provision_number: get(r, "number")?,
        due,
        next_due,
        status,
        status_since,
        directions,
        source: get(r, "source_id")?,
        confidence: parse(r, "confidence")?,
        inherited_on: inherited.get(&agency).cloned(),
        inherited_from: inherited.contains_key(&agency).then(|| agency.clone()),
        agency,
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
        since: at.current.map(|e| e.date),
        precision: at.current.map(|e| e.precision),
        source: at.current.map(|e| e.source.clone()),
        uncertain: at.is_uncertain(),
        possible_stage: at.possible.map(|e| e.stage),
        possible_since: at.possible.map(|e| e.date),
    }
}
