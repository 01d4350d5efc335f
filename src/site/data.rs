//! Files for machines beside the pages: CSV and JSON downloads of the
//! tables, and the search index. All are streamed from the store in
//! batches, never held whole.

use std::io::Write;

use chrono::NaiveDate;
use serde::Serialize;

use super::view::slug;
use crate::catalog::model::Lang;
use crate::error::{Error, Result};
use crate::store::Store;

/// The downloads this module writes, relative to the site root.
pub const FILES: &[&str] = &[
    "data/obligations.csv",
    "data/obligations.json",
    "data/indicators.csv",
    "data/indicators.json",
    "data/agreements.csv",
    "data/agreements.json",
    "data/matrix.csv",
    "data/matrix.json",
];

const BATCH: i64 = 5000;

fn io(path: &str, e: std::io::Error) -> Error {
    Error::io("write", path, e)
}

fn csv_err(path: &str, e: csv::Error) -> Error {
    Error::Encode {
        what: format!("the CSV file {path}"),
        source: Box::new(e),
    }
}

fn json_err(path: &str, e: serde_json::Error) -> Error {
    Error::Encode {
        what: format!("the JSON file {path}"),
        source: Box::new(e),
    }
}

/// Writes the download `file` to `w`.
pub async fn write(store: &Store, file: &str, today: NaiveDate, w: &mut dyn Write) -> Result<()> {
    match file {
        "data/obligations.csv" | "data/obligations.json" => obligations(store, file, w).await,
        "data/indicators.csv" | "data/indicators.json" => indicators(store, file, w).await,
        "data/agreements.csv" | "data/agreements.json" => agreements(store, file, today, w).await,
        "data/matrix.csv" | "data/matrix.json" => matrix(store, file, w).await,
        other => Err(Error::Usage(format!("no download named `{other}`"))),
    }
}

#[derive(Serialize)]
struct ObligationRecord<'a> {
    id: &'a str,
    agency: &'a str,
    role: &'a str,
    modality: &'a str,
    action: &'a str,
    document: &'a str,
    provision: &'a str,
    due: Option<&'a str>,
    recurrence: Option<&'a str>,
    source: &'a str,
    confidence: &'a str,
}

async fn obligations(store: &Store, file: &str, w: &mut dyn Write) -> Result<()> {
    let json = file.ends_with(".json");
    let mut after: Option<String> = None;
    let mut first = true;
    if json {
        w.write_all(b"[").map_err(|e| io(file, e))?;
    }
    let mut csv = (!json).then(|| csv::Writer::from_writer(Vec::with_capacity(1 << 16)));
    // The CSV writer fills a buffer that is handed on after each batch.
    if let Some(c) = csv.as_mut() {
        c.write_record([
            "id",
            "agency",
            "role",
            "modality",
            "action",
            "document",
            "provision",
            "due",
            "recurrence",
            "source",
            "confidence",
        ])
        .map_err(|e| csv_err(file, e))?;
    }
    loop {
        let batch = store.site_obligations(after.as_deref(), BATCH).await?;
        if batch.is_empty() {
            break;
        }
        for o in &batch {
            let rec = ObligationRecord {
                id: &o.id,
                agency: &o.agency,
                role: &o.role,
                modality: &o.modality,
                action: &o.action,
                document: &o.document,
                provision: &o.provision,
                due: o.due.as_deref(),
                recurrence: o.recurrence.as_deref(),
                source: &o.source,
                confidence: &o.confidence,
            };
            if let Some(c) = csv.as_mut() {
                c.serialize(&rec).map_err(|e| csv_err(file, e))?;
            } else {
                w.write_all(if first { b"\n" } else { b",\n" })
                    .map_err(|e| io(file, e))?;
                serde_json::to_writer(&mut *w, &rec).map_err(|e| json_err(file, e))?;
            }
            first = false;
        }
        if let Some(c) = csv.as_mut() {
            c.flush().map_err(|e| io(file, e))?;
            let full = std::mem::replace(c, csv::Writer::from_writer(Vec::new()));
            let buf = full.into_inner().map_err(|e| io(file, e.into_error()))?;
            w.write_all(&buf).map_err(|e| io(file, e))?;
        }
        after = batch.last().map(|o| o.id.clone());
    }
    if json {
        w.write_all(b"\n]\n").map_err(|e| io(file, e))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct IndicatorRecord<'a> {
    indicator: &'a str,
    name: &'a str,
    unit: &'a str,
    measure: &'a str,
    period: &'a str,
    period_start: &'a str,
    period_end: &'a str,
    value: f64,
    derived: bool,
    source: &'a str,
    confidence: &'a str,
}

async fn indicators(store: &Store, file: &str, w: &mut dyn Write) -> Result<()> {
    let series = store.site_indicators().await?;
    let mut records = Vec::new();
    for s in &series {
        for v in &s.values {
            records.push(IndicatorRecord {
                indicator: &s.id,
                name: s.name.best(),
                unit: &s.unit,
                measure: &s.measure,
                period: &v.period,
                period_start: &v.period_start,
                period_end: &v.period_end,
                value: v.value,
                derived: v.derived,
                source: &v.source,
                confidence: &v.confidence,
            });
        }
    }
    if file.ends_with(".json") {
        serde_json::to_writer_pretty(&mut *w, &records).map_err(|e| json_err(file, e))?;
        w.write_all(b"\n").map_err(|e| io(file, e))?;
    } else {
        let mut c = csv::Writer::from_writer(w);
        if records.is_empty() {
            c.write_record([
                "indicator",
                "name",
                "unit",
                "measure",
                "period",
                "period_start",
                "period_end",
                "value",
                "derived",
                "source",
                "confidence",
            ])
            .map_err(|e| csv_err(file, e))?;
        }
        for r in &records {
            c.serialize(r).map_err(|e| csv_err(file, e))?;
        }
        c.flush().map_err(|e| io(file, e))?;
    }
    Ok(())
}

/// The search index: `{"entries": [[kind, href, title, text], …]}`, hrefs
/// relative to the site root. With `js`, the same JSON wrapped in a script
/// that hands it to `search.js`, so search works from disk (file://), where
/// browsers refuse to fetch files.
pub async fn search_index(store: &Store, lang: Lang, w: &mut dyn Write, js: bool) -> Result<()> {
    let file = if js {
        "search-index.js"
    } else {
        "search-index.json"
    };
    if js {
        w.write_all(b"window.lextrackSearchIndex=")
            .map_err(|e| io(file, e))?;
    }
    w.write_all(b"{\"entries\":[").map_err(|e| io(file, e))?;
    let mut first = true;
    for kind in ["document", "provision", "agency", "partner", "direction"] {
        let mut after: Option<(String, String)> = None;
        loop {
            let batch = store
                .site_search_entries(
                    kind,
                    after.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                    BATCH,
                )
                .await?;
            if batch.is_empty() {
                break;
            }
            for e in &batch {
                let href = match (kind, &e.anchor) {
                    ("document", _) => format!("documents/{}.html", slug(&e.id)),
                    ("provision", Some(a)) => format!("documents/{}.html#{}", slug(&e.id), slug(a)),
                    ("agency", _) => format!("agencies/{}.html", slug(&e.id)),
                    ("partner", _) => format!("partners/{}.html", slug(&e.id)),
                    _ => format!("directions/{}.html", slug(&e.id)),
                };
                let title = match e.title.get(lang) {
                    Some((t, _)) => t.to_owned(),
                    None => match (kind, &e.anchor) {
                        ("provision", Some(a)) => format!("{} {}", e.id, a),
                        _ => e.id.clone(),
                    },
                };
                let text = match (kind, &e.anchor) {
                    ("provision", Some(a)) => {
                        format!("{} {} {}", e.id, a, e.text.as_deref().unwrap_or(""))
                    }
                    _ => e.text.clone().unwrap_or_default(),
                };
                w.write_all(if first { b"\n" } else { b",\n" })
                    .map_err(|e| io(file, e))?;
                serde_json::to_writer(&mut *w, &(kind, href, title, text.trim()))
                    .map_err(|e| json_err(file, e))?;
                first = false;
            }
            after = batch
                .last()
                .map(|e| (e.id.clone(), e.anchor.clone().unwrap_or_default()));
        }
    }
    w.write_all(b"\n]}").map_err(|e| io(file, e))?;
    if js {
        w.write_all(b";").map_err(|e| io(file, e))?;
    }
    w.write_all(b"\n").map_err(|e| io(file, e))?;
    Ok(())
}

/// Where each agreement stands for each party today, as on
/// `agreements.html`.
async fn agreements(store: &Store, file: &str, today: NaiveDate, w: &mut dyn Write) -> Result<()> {
    let rows = store
        .agreements(&crate::queries::AgreementQuery::new(today))
        .await?;
    if file.ends_with(".json") {
        serde_json::to_writer_pretty(&mut *w, &rows).map_err(|e| json_err(file, e))?;
        w.write_all(b"\n").map_err(|e| io(file, e))?;
        return Ok(());
    }
    let mut c = csv::Writer::from_writer(w);
    c.write_record([
        "agreement",
        "title",
        "instrument",
        "partner",
        "partner_name",
        "as_of",
        "stage",
        "since",
        "precision",
        "source",
        "uncertain",
        "possible_stage",
        "possible_since",
    ])
    .map_err(|e| csv_err(file, e))?;
    for r in &rows {
        let opt = |v: Option<String>| v.unwrap_or_default();
        c.write_record([
            r.agreement.clone(),
            r.title.clone(),
            r.instrument.clone(),
            opt(r.partner.clone()),
            opt(r.partner_name.clone()),
            r.as_of.to_string(),
            opt(r.stage.map(|s| s.as_str().to_owned())),
            opt(r.since.map(|d| d.to_string())),
            opt(r.precision.map(|p| p.as_str().to_owned())),
            opt(r.source.clone()),
            r.uncertain.to_string(),
            opt(r.possible_stage.map(|s| s.as_str().to_owned())),
            opt(r.possible_since.map(|d| d.to_string())),
        ])
        .map_err(|e| csv_err(file, e))?;
    }
    c.flush().map_err(|e| io(file, e))?;
    Ok(())
}

/// Every link of the traceability matrix: framework, direction, provision.
async fn matrix(store: &Store, file: &str, w: &mut dyn Write) -> Result<()> {
    let matrices = store.coverage(None).await?;
    if file.ends_with(".json") {
        serde_json::to_writer_pretty(&mut *w, &matrices).map_err(|e| json_err(file, e))?;
        w.write_all(b"\n").map_err(|e| io(file, e))?;
        return Ok(());
    }
    let mut c = csv::Writer::from_writer(w);
    c.write_record([
        "framework",
        "direction",
        "direction_number",
        "implemented",
        "document",
        "provision",
        "provision_number",
        "link",
    ])
    .map_err(|e| csv_err(file, e))?;
    for m in &matrices {
        for d in &m.directions {
            if d.links.is_empty() {
                c.write_record([
                    m.framework.as_str(),
                    &d.direction,
                    d.number.as_deref().unwrap_or(""),
                    if d.implemented { "true" } else { "false" },
                    "",
                    "",
                    "",
                    "",
                ])
                .map_err(|e| csv_err(file, e))?;
            }
            for l in &d.links {
                c.write_record([
                    m.framework.as_str(),
                    &d.direction,
                    d.number.as_deref().unwrap_or(""),
                    if d.implemented { "true" } else { "false" },
                    &l.document,
                    &l.provision,
                    l.number.as_deref().unwrap_or(""),
                    &l.link,
                ])
                .map_err(|e| csv_err(file, e))?;
            }
        }
    }
    c.flush().map_err(|e| io(file, e))?;
    Ok(())
}
