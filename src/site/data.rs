//! Files for machines beside the pages: CSV and JSON downloads of the
//! tables, and the search index. All are streamed from the store in
//! batches, never held whole.

use std::io::Write;

use serde::Serialize;

use super::trigrams::TrigramFilter;
use super::view::push_slug;
use crate::catalog::model::Lang;
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::site::SearchEntry;

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

/// A CSV cell that a spreadsheet will not run: text starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return is read as a formula by
/// Excel, LibreOffice and Google Sheets (`=HYPERLINK(…)` in an action
/// would be a live link), so it gets a leading `'`, which they read as
/// "text". A number (`-12`, net migration) stays a number. Only the CSV
/// downloads do this: the JSON keeps every value as the catalog has it.
fn inert_cell(text: &str) -> std::borrow::Cow<'_, str> {
    let risky = text.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && text.parse::<f64>().is_err() {
        format!("'{text}").into()
    } else {
        text.into()
    }
}

/// Serializes a table as CSV and as JSON (an array of records).
fn both<T: Serialize>(stem: &str, header: &[&str], rows: &[T]) -> Result<(Vec<u8>, Vec<u8>)> {
    let csv_path = format!("data/{stem}.csv");
    let json_path = format!("data/{stem}.json");
    let mut c = csv::Writer::from_writer(Vec::new());
    c.write_record(header).map_err(|e| csv_err(&csv_path, e))?;
    for r in rows {
        // Each record's fields in order (its keys are the header), text
        // made inert.
        let value = serde_json::to_value(r).map_err(|e| json_err(&json_path, e))?;
        let serde_json::Value::Object(fields) = value else {
            unreachable!("download rows are structs");
        };
        let cells: Vec<std::borrow::Cow<str>> = fields
            .values()
            .map(|v| match v {
                serde_json::Value::Null => "".into(),
                serde_json::Value::String(t) => inert_cell(t).into_owned().into(),
                other => other.to_string().into(),
            })
            .collect();
        c.write_record(cells.iter().map(|c| c.as_ref()))
            .map_err(|e| csv_err(&csv_path, e))?;
    }
    let csv = c.into_inner().map_err(|e| io(&csv_path, e.into_error()))?;
    let mut json = serde_json::to_vec_pretty(rows).map_err(|e| json_err(&json_path, e))?;
    json.push(b'\n');
    Ok((csv, json))
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
    status: &'a str,
    status_since: Option<&'a str>,
    status_source: Option<&'a str>,
    status_confidence: Option<&'a str>,
    status_note: Option<&'a str>,
}

/// The obligations table, as CSV into `csv` and JSON into `json`, in one
/// pass over the store: each batch is encoded into buffers handed on in
/// large writes while the store reads the next.
/// Each with its status on `today`, as `lextrack obligations` gives it.
pub async fn obligations(
    store: &Store,
    today: chrono::NaiveDate,
    csv: &mut dyn Write,
    json: &mut dyn Write,
) -> Result<()> {
    const CSV: &str = "data/obligations.csv";
    const JSON: &str = "data/obligations.json";
    let mut first = true;
    let mut j = Chunks::new(JSON);
    j.buf.push(b'[');
    // The header is written once, here: a writer that wrote it from the
    // first record would write it again after any record written by hand.
    // Its buffer is a chunk, so that the CSV too is handed on in large
    // writes.
    let mut c = csv::WriterBuilder::new()
        .has_headers(false)
        .buffer_capacity(CHUNK)
        .from_writer(&mut *csv);
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
        "status",
        "status_since",
        "status_source",
        "status_confidence",
        "status_note",
    ])
    .map_err(|e| csv_err(CSV, e))?;
    let mut reading = Some(read_obligations(store, None, today));
    while let Some(task) = reading.take() {
        let batch = task.await.map_err(|source| Error::Task {
            what: "reading obligations for the download",
            source,
        })??;
        if let Some(o) = batch.last()
            && batch.len() as i64 == BATCH
        {
            reading = Some(read_obligations(store, Some(o.id.clone()), today));
        }
        for o in &batch {
            let status = o.status.as_ref();
            let rec = ObligationRecord {
                status: status.map_or("active", |c| c.status.as_str()),
                status_since: status.map(|c| c.since.as_str()),
                status_source: status.map(|c| c.source.as_str()),
                status_confidence: status.map(|c| c.confidence.as_str()),
                status_note: status.and_then(|c| c.note.as_deref()),
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
            let action = inert_cell(&o.action);
            let note = rec.status_note.map(inert_cell);
            c.serialize(ObligationRecord {
                action: &action,
                status_note: note.as_deref(),
                ..rec
            })
            .map_err(|e| csv_err(CSV, e))?;
            j.buf.extend_from_slice(if first { b"\n" } else { b",\n" });
            serde_json::to_writer(&mut j.buf, &rec).map_err(|e| json_err(JSON, e))?;
            first = false;
            j.hand_on(json, false).await?;
        }
    }
    c.flush().map_err(|e| io(CSV, e))?;
    j.buf.extend_from_slice(b"\n]\n");
    j.hand_on(json, true).await
}

/// Starts reading a batch of obligations while the caller encodes the
/// previous one.
fn read_obligations(
    store: &Store,
    after: Option<String>,
    today: chrono::NaiveDate,
) -> tokio::task::JoinHandle<Result<Vec<crate::store::site::ObligationExport>>> {
    let store = store.clone();
    tokio::spawn(async move { store.site_obligations(after.as_deref(), BATCH, today).await })
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

/// Every indicator value, as CSV and JSON.
pub async fn indicators(store: &Store) -> Result<(Vec<u8>, Vec<u8>)> {
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
    both(
        "indicators",
        &[
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
        ],
        &records,
    )
}

/// Entries per part of the search index: about 1.5 MB of JSON on the
/// synthetic catalog, so the search page fetches and scans a part at a time
/// and holds one part, whatever the corpus size.
pub const SEARCH_SHARD: i64 = 5000;

/// The kinds of search entries, in the order the index lists them: names
/// and titles first, so that a query matching many provisions still finds
/// an agency or a partner before the search stops at its first hundred.
const SEARCH_KINDS: [&str; 6] = [
    "document",
    "agency",
    "partner",
    "node",
    "obligation",
    "provision",
];

/// The paths of the search index's parts `n`, as JSON and as a script.
pub fn search_shard_paths(n: usize) -> [String; 2] {
    [format!("search/{n:04}.json"), format!("search/{n:04}.js")]
}

/// The number of parts for `entries` search entries: at least one, so
/// that an empty store still has a (empty) part to scan.
pub fn search_shard_count(entries: i64) -> usize {
    (entries.max(1) as usize).div_ceil(SEARCH_SHARD as usize)
}

/// The search index's table of contents: `{"entries": N, "shards": [path,
/// …], "filters": [base64, …]}` into `json`, listing the JSON parts with
/// each part's filter (see [`super::trigrams`]), and the same with the
/// script parts into `js` as a script that hands it to `search.js`, so
/// that search works from disk (file://), where browsers refuse to fetch
/// files.
pub fn search_manifest(entries: i64, filters: &[String]) -> Result<(Vec<u8>, Vec<u8>)> {
    #[derive(Serialize)]
    struct Manifest<'a> {
        entries: i64,
        shards: Vec<String>,
        filters: &'a [String],
    }
    let encode = |which: usize, path: &str| {
        let m = Manifest {
            entries,
            shards: (0..filters.len())
                .map(|n| search_shard_paths(n)[which].clone())
                .collect(),
            filters,
        };
        serde_json::to_vec(&m).map_err(|e| json_err(path, e))
    };
    let mut json = encode(0, "search-index.json")?;
    json.push(b'\n');
    let mut js = b"window.lextrackSearchIndex=".to_vec();
    js.extend(encode(1, "search-index.js")?);
    js.extend_from_slice(b";\n");
    Ok((json, js))
}

/// The search index's entries, read in batches in [`SEARCH_KINDS`] order
/// and handed out a part at a time. The next batch is always being read
/// while a part is encoded, and at most a part and a batch are held (more
/// only in a last part, when the store grew during the build).
pub struct SearchEntries {
    store: Store,
    /// The kind being read, as an index into [`SEARCH_KINDS`].
    kind: usize,
    reading: Option<tokio::task::JoinHandle<Result<Vec<SearchEntry>>>>,
    held: std::collections::VecDeque<SearchEntry>,
}

impl SearchEntries {
    pub fn new(store: &Store) -> Self {
        SearchEntries {
            store: store.clone(),
            kind: 0,
            reading: Some(read_search_entries(store, SEARCH_KINDS[0], None)),
            held: Default::default(),
        }
    }

    /// The next part: [`SEARCH_SHARD`] entries, or for the `last` part
    /// all that are left (the count the parts were planned by may be
    /// passed if the store changed under the build).
    pub async fn part(&mut self, last: bool) -> Result<Vec<SearchEntry>> {
        while last || self.held.len() < SEARCH_SHARD as usize {
            let Some(task) = self.reading.take() else {
                break;
            };
            let batch = task.await.map_err(|source| Error::Task {
                what: "reading the search index",
                source,
            })??;
            let kind = SEARCH_KINDS[self.kind];
            match batch.last() {
                // A whole batch: there may be more of this kind.
                Some(e) if batch.len() as i64 == BATCH => {
                    let after = (e.id.clone(), e.anchor.clone().unwrap_or_default());
                    self.reading = Some(read_search_entries(&self.store, kind, Some(after)));
                }
                // Fewer: this kind is done.
                _ => {
                    self.kind += 1;
                    if let Some(next) = SEARCH_KINDS.get(self.kind) {
                        self.reading = Some(read_search_entries(&self.store, next, None));
                    }
                }
            }
            self.held.extend(batch);
        }
        let take = if last {
            self.held.len()
        } else {
            self.held.len().min(SEARCH_SHARD as usize)
        };
        Ok(self.held.drain(..take).collect())
    }
}

/// One part of the search index, number `n`: `{"entries": [[kind, href,
/// title, text], …]}`, hrefs relative to the site root, into `json`; and
/// into `js` the same JSON wrapped in a call that hands it to `search.js`
/// (`lextrackSearchShard(n, …)`).
///
/// Entries are encoded into a buffer handed on in [`CHUNK`]-sized writes;
/// handing on yields, so the next batch is read while this part is
/// encoded. The bytes are those of `serde_json::to_writer` of each entry's
/// `(kind, href, title, text)` tuple.
pub async fn search_shard(
    entries: &[SearchEntry],
    lang: Lang,
    n: usize,
    json: &mut dyn Write,
    js: &mut dyn Write,
) -> Result<()> {
    let [json_path, js_path] = search_shard_paths(n);
    js.write_all(format!("lextrackSearchShard({n},").as_bytes())
        .map_err(|e| io(&js_path, e))?;
    let mut w = Tee(json, js);
    let mut out = Chunks::new(json_path.clone());
    out.buf.extend_from_slice(b"{\"entries\":[");
    let mut first = true;
    // Reused for each entry's href, title and text.
    let (mut href, mut title, mut text) = (String::new(), String::new(), String::new());
    for e in entries {
        let kind = e.kind;
        href.clear();
        match (kind, &e.anchor, &e.place) {
            ("document", ..) => push_page(&mut href, "documents/", &e.id),
            ("provision", Some(eid), _) => {
                push_page(&mut href, "documents/", &e.id);
                href.push('#');
                super::view::push_anchor(&mut href, eid);
            }
            // Listed under its provision on the document's page.
            ("obligation", _, Some((document, _))) => {
                push_page(&mut href, "documents/", document);
                href.push_str("#o-");
                push_slug(&mut href, &e.id);
            }
            ("agency", ..) => push_page(&mut href, "agencies/", &e.id),
            ("partner", ..) => push_page(&mut href, "partners/", &e.id),
            // A direction has a page; any other node an anchor on its
            // framework's page.
            ("direction", ..) | (_, None, _) => push_page(&mut href, "directions/", &e.id),
            (_, Some(framework), _) => {
                push_page(&mut href, "frameworks/", framework);
                href.push_str("#node-");
                push_slug(&mut href, &e.id);
            }
        }
        entry_text(e, lang, &mut title, &mut text);
        out.buf
            .extend_from_slice(if first { b"\n[" } else { b",\n[" });
        first = false;
        out.str(kind)?;
        out.buf.push(b',');
        out.str(&href)?;
        out.buf.push(b',');
        out.str(&title)?;
        out.buf.push(b',');
        out.str(&text)?;
        out.buf.push(b']');
        out.hand_on(&mut w, false).await?;
    }
    out.buf.extend_from_slice(b"\n]}");
    out.hand_on(&mut w, true).await?;
    w.0.write_all(b"\n").map_err(|e| io(&json_path, e))?;
    w.1.write_all(b");\n").map_err(|e| io(&js_path, e))?;
    Ok(())
}

/// The filter of trigrams of a part of the search index (see
/// [`super::trigrams`]), in base64: over the titles and texts
/// [`search_shard`] writes.
pub fn search_filter(entries: &[SearchEntry], lang: Lang) -> String {
    let mut filter = TrigramFilter::default();
    let (mut title, mut text) = (String::new(), String::new());
    for e in entries {
        entry_text(e, lang, &mut title, &mut text);
        filter.add(&title);
        filter.add(&text);
    }
    filter.shrink().to_base64()
}

/// An entry's title in `lang` and its text, into the buffers given.
///
/// The title is the entry's name in `lang` (its ID when it has none); a
/// provision's names its document and its place in it ("On Migration of
/// the Population, art. 10"), then its heading. The text is a provision's
/// document ID and eId and its whole text; an obligation's, the agency
/// that owes it and the provision that sets it ("Ministry of Labour · On
/// Migration of the Population, art. 10"), its note and the agency's
/// abbreviation; or a record's own words (a document's number, an
/// agency's abbreviation, a node's text), then the other names its page
/// shows: its titles in the other languages and its aliases, so that any
/// of them finds it whatever the site's language. An obligation carries
/// its agency's name in the site's language only: there is one entry per
/// obligation, tens of thousands on a national catalog, and the agency's
/// own entry finds it by its other names. Trimmed, as the index lists it.
fn entry_text(e: &SearchEntry, lang: Lang, title: &mut String, text: &mut String) {
    title.clear();
    match (e.kind, &e.anchor) {
        ("provision", Some(eid)) => {
            match e.document.as_ref().and_then(|d| d.get(lang)) {
                Some((t, _)) => title.push_str(t),
                None => title.push_str(&e.id),
            }
            title.push_str(", ");
            title.push_str(&super::view::provision_label(eid));
            if let Some((heading, _)) = e.title.get(lang) {
                title.push_str(" — ");
                title.push_str(heading);
            }
        }
        _ => match e.title.get(lang) {
            Some((t, _)) => title.push_str(t),
            None => title.push_str(&e.id),
        },
    }
    text.clear();
    if let ("provision", Some(a)) = (e.kind, &e.anchor) {
        text.push_str(&e.id);
        text.push(' ');
        text.push_str(a);
        text.push(' ');
    }
    if let Some((document, eid)) = &e.place {
        if let Some((agency, _)) = e.agency.as_ref().and_then(|a| a.get(lang)) {
            text.push_str(agency);
            text.push_str(" · ");
        }
        match e.document.as_ref().and_then(|d| d.get(lang)) {
            Some((t, _)) => text.push_str(t),
            None => text.push_str(document),
        }
        text.push_str(", ");
        text.push_str(&super::view::provision_label(eid));
        if e.text.as_deref().is_some_and(|t| !t.trim().is_empty()) {
            text.push_str(" · ");
        }
    }
    text.push_str(e.text.as_deref().unwrap_or(""));
    // Other names, each once and none that the title or text already
    // holds whole.
    if e.kind != "provision" {
        let mut seen: Vec<&str> = Vec::new();
        let other = [
            e.title.en.as_deref(),
            e.title.ru.as_deref(),
            e.title.kk.as_deref(),
        ];
        for name in other
            .into_iter()
            .flatten()
            .chain(e.aliases.iter().map(String::as_str))
        {
            let name = name.trim();
            if name.is_empty()
                || name == title.as_str()
                || name == text.trim()
                || seen.contains(&name)
            {
                continue;
            }
            seen.push(name);
        }
        for name in seen {
            if !text.trim().is_empty() {
                text.push_str(" · ");
            }
            text.push_str(name);
        }
    }
    text.truncate(text.trim_end().len());
    let start = text.len() - text.trim_start().len();
    text.drain(..start);
}

/// `{dir}{slug}.html`, as [`super::view::slug`] names the page.
fn push_page(out: &mut String, dir: &str, id: &str) {
    out.push_str(dir);
    push_slug(out, id);
    out.push_str(".html");
}

/// Starts reading a batch of search entries while the caller encodes the
/// previous one.
fn read_search_entries(
    store: &Store,
    kind: &'static str,
    after: Option<(String, String)>,
) -> tokio::task::JoinHandle<Result<Vec<SearchEntry>>> {
    let store = store.clone();
    tokio::spawn(async move {
        store
            .site_search_entries(
                kind,
                after.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
                BATCH,
            )
            .await
    })
}

/// Bytes handed on to a writer once there are [`CHUNK`] of them.
const CHUNK: usize = 1 << 18;

/// A buffer that a file's bytes are encoded into and handed on from in
/// large writes.
struct Chunks {
    buf: Vec<u8>,
    path: String,
}

impl Chunks {
    fn new(path: impl Into<String>) -> Self {
        Chunks {
            buf: Vec::with_capacity(CHUNK + (1 << 12)),
            path: path.into(),
        }
    }

    /// A JSON string, escaped exactly as serde_json escapes it.
    fn str(&mut self, s: &str) -> Result<()> {
        serde_json::to_writer(&mut self.buf, s).map_err(|e| json_err(&self.path, e))
    }

    /// Writes what is buffered once it is a chunk, or at the `end`. A
    /// chunk handed on is also a moment for the reads running beside the
    /// encoding to make progress: on the single-threaded runtime they only
    /// move on when this task yields.
    async fn hand_on(&mut self, w: &mut dyn Write, end: bool) -> Result<()> {
        if self.buf.len() >= CHUNK || (end && !self.buf.is_empty()) {
            w.write_all(&self.buf).map_err(|e| io(&self.path, e))?;
            self.buf.clear();
            tokio::task::yield_now().await;
        }
        Ok(())
    }
}

/// Writes the same bytes to two writers.
pub struct Tee<'a>(pub &'a mut dyn Write, pub &'a mut dyn Write);

impl Write for Tee<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write_all(buf)?;
        self.1.write_all(buf)?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()?;
        self.1.flush()
    }
}

/// Where each agreement stands for each party today, as on
/// `agreements.html`, as CSV and JSON.
pub fn agreements(rows: &[crate::queries::AgreementStatus]) -> Result<(Vec<u8>, Vec<u8>)> {
    #[derive(Serialize)]
    struct Rec<'a> {
        agreement: &'a str,
        title: &'a str,
        instrument: &'a str,
        partner: Option<&'a str>,
        partner_name: Option<&'a str>,
        as_of: String,
        stage: Option<&'static str>,
        since: Option<String>,
        precision: Option<&'static str>,
        source: Option<&'a str>,
        uncertain: bool,
        possible_stage: Option<&'static str>,
        possible_since: Option<String>,
        confidence: Option<&'static str>,
    }
    let recs: Vec<Rec> = rows
        .iter()
        .map(|r| Rec {
            agreement: &r.agreement,
            title: &r.title,
            instrument: &r.instrument,
            partner: r.partner.as_deref(),
            partner_name: r.partner_name.as_deref(),
            as_of: r.as_of.to_string(),
            stage: r.stage.map(|s| s.as_str()),
            since: r.since.map(|d| d.to_string()),
            precision: r.precision.map(|p| p.as_str()),
            source: r.source.as_deref(),
            uncertain: r.uncertain,
            possible_stage: r.possible_stage.map(|s| s.as_str()),
            possible_since: r.possible_since.map(|d| d.to_string()),
            confidence: r.confidence.map(|c| c.as_str()),
        })
        .collect();
    both(
        "agreements",
        &[
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
            "confidence",
        ],
        &recs,
    )
}

/// Every link of the traceability matrix, one row per direction and
/// provision (a direction with no link has one row without a provision),
/// as CSV into `csv` and JSON into `json`, in one pass: the frameworks and
/// directions from their summaries, the links streamed from the store a
/// batch at a time, never the whole matrix. The bytes are those of
/// [`both`] over the same rows.
pub async fn matrix(
    store: &Store,
    coverage: &[crate::queries::CoverageSummary],
    csv: &mut dyn Write,
    json: &mut dyn Write,
) -> Result<()> {
    const CSV: &str = "data/matrix.csv";
    const JSON: &str = "data/matrix.json";
    #[derive(Serialize, Clone, Copy)]
    struct Rec<'a> {
        framework: &'a str,
        direction: &'a str,
        direction_number: Option<&'a str>,
        implemented: bool,
        document: Option<&'a str>,
        provision: Option<&'a str>,
        provision_number: Option<&'a str>,
        link: Option<&'a str>,
    }
    // The header is written once here: a writer that wrote it from the
    // first record would write it again after any record written by hand.
    let mut c = csv::WriterBuilder::new()
        .has_headers(false)
        .buffer_capacity(CHUNK)
        .from_writer(&mut *csv);
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
    .map_err(|e| csv_err(CSV, e))?;
    let mut j = PrettyArray::new(&mut *json, JSON)?;
    // Every direction in the matrix's order; the links into each are read
    // a batch ahead of the one being encoded, across directions too.
    let directions: Vec<_> = coverage
        .iter()
        .flat_map(|s| s.matrix.directions.iter().map(|d| (&s.matrix.framework, d)))
        .collect();
    let read = |i: usize, after: Option<crate::queries::CoverageLink>| {
        directions
            .get(i)
            .map(|(_, d)| read_links(store, d.direction.clone(), after))
    };
    let mut reading = read(0, None).map(|task| (0, false, task));
    while let Some((i, continued, task)) = reading.take() {
        let batch = task.await.map_err(|source| Error::Task {
            what: "reading the matrix's links",
            source,
        })??;
        let full = batch.len() as i64 == BATCH;
        reading = if full {
            read(i, batch.last().cloned()).map(|task| (i, true, task))
        } else {
            read(i + 1, None).map(|task| (i + 1, false, task))
        };
        // Let the read started above get going (see [`Chunks::hand_on`]).
        tokio::task::yield_now().await;
        let (framework, d) = directions[i];
        let base = Rec {
            framework,
            direction: &d.direction,
            direction_number: d.number.as_deref(),
            implemented: d.implemented,
            document: None,
            provision: None,
            provision_number: None,
            link: None,
        };
        if batch.is_empty() && !continued {
            c.serialize(base).map_err(|e| csv_err(CSV, e))?;
            j.push(&base)?;
        }
        for l in &batch {
            let rec = Rec {
                document: Some(&l.document),
                provision: Some(&l.provision),
                provision_number: l.number.as_deref(),
                link: Some(&l.link),
                ..base
            };
            c.serialize(rec).map_err(|e| csv_err(CSV, e))?;
            j.push(&rec)?;
        }
        tokio::task::yield_now().await;
    }
    c.flush().map_err(|e| io(CSV, e))?;
    j.finish()
}

/// Starts reading a batch of the links into a direction while the caller
/// encodes the previous one.
fn read_links(
    store: &Store,
    direction: String,
    after: Option<crate::queries::CoverageLink>,
) -> tokio::task::JoinHandle<Result<Vec<crate::queries::CoverageLink>>> {
    let store = store.clone();
    tokio::spawn(async move {
        store
            .coverage_links(&direction, after.as_ref(), BATCH)
            .await
    })
}

/// A JSON array written element by element with the same bytes as
/// `serde_json::to_vec_pretty` of the whole array and a final newline,
/// handed on in chunks of [`CHUNK`] bytes.
struct PrettyArray<'w> {
    out: &'w mut dyn Write,
    path: &'static str,
    first: bool,
    /// What is not yet handed on.
    buf: Vec<u8>,
    /// One element on its own, before it is indented into `buf`.
    element: Vec<u8>,
}

impl<'w> PrettyArray<'w> {
    fn new(out: &'w mut dyn Write, path: &'static str) -> Result<Self> {
        let mut buf = Vec::with_capacity(CHUNK + (1 << 12));
        buf.push(b'[');
        Ok(PrettyArray {
            out,
            path,
            first: true,
            buf,
            element: Vec::new(),
        })
    }

    fn push(&mut self, value: &impl Serialize) -> Result<()> {
        self.buf
            .extend_from_slice(if self.first { b"\n  " } else { b",\n  " });
        self.first = false;
        self.element.clear();
        serde_json::to_writer_pretty(&mut self.element, value)
            .map_err(|e| json_err(self.path, e))?;
        // One level deeper than on its own: JSON strings escape their line
        // breaks, so every raw one starts a line of the element.
        for line in self.element.split_inclusive(|&b| b == b'\n') {
            self.buf.extend_from_slice(line);
            if line.ends_with(b"\n") {
                self.buf.extend_from_slice(b"  ");
            }
        }
        if self.buf.len() >= CHUNK {
            self.out
                .write_all(&self.buf)
                .map_err(|e| io(self.path, e))?;
            self.buf.clear();
        }
        Ok(())
    }

    fn finish(mut self) -> Result<()> {
        let end: &[u8] = if self.first { b"]\n" } else { b"\n]\n" };
        self.buf.extend_from_slice(end);
        self.out.write_all(&self.buf).map_err(|e| io(self.path, e))
    }
}

#[cfg(test)]
mod inert_tests {
    use super::inert_cell;

    #[test]
    fn cells_a_spreadsheet_would_run_are_made_text() {
        assert_eq!(
            inert_cell("=HYPERLINK(\"https://evil.example\")"),
            "'=HYPERLINK(\"https://evil.example\")"
        );
        for risky in ["+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(inert_cell(risky), format!("'{risky}"));
        }
        // Numbers stay numbers; ordinary text is untouched.
        for plain in ["-12", "+3.5", "-0.25", "Report on the Plan", "2017-2021"] {
            assert_eq!(inert_cell(plain), plain);
        }
    }
}
