//! The static HTML site that `lextrack report` builds from the store.
//!
//! [`build`] reads top to bottom as the pipeline: skip the build when
//! nothing it depends on changed → plan the pages and prepare the output
//! folder → write the assets → render each page kind, pages before the
//! pages that link to them and the index last → let [`Output::finish`] put
//! changed pages in place and remove stale ones → report what was written.
//!
//! Pages are rendered one at a time from the store, and every read is
//! bounded whatever the corpus size: documents come in batches of at most
//! 5,000 provisions (the next read while the current one is rendered),
//! agencies' obligations in one pass handed over agency by agency, coverage
//! (counted by the documents pass) and the integrity check as summaries
//! (counts and the first few of each list), downloads and the search index
//! in batches of 5,000 rows. Two parts that read the store on their own,
//! the search index and the obligations download, are written on threads
//! of their own ([`Beside`]) while the pages are rendered, through the
//! same [`SharedOutput`] (the agencies' pages, written meanwhile, link to
//! the download: a new one may be in place before it, as any new page may
//! link to one not yet written; a changed one goes in only at the end).
//! See docs/performance.md for the figures. The
//! same store gives the same bytes: nothing depends on the clock (the build
//! date is the `--today` date), and every list is sorted.
//!
//! Templates live in `templates/`: `_layout.html` (the base layout, its
//! fields documented at its top), `_macros.html`, one template per page
//! kind; [`pages`] holds one struct per page kind; [`filters`] the
//! template filters. Escaping is on everywhere.

mod data;
mod entities;
#[cfg(test)]
mod failed_build_tests;
mod filters;
mod output;
mod pages;
mod svg;
mod trigrams;
mod view;

use std::io::Write;
use std::path::PathBuf;

use askama::Template;
use chrono::NaiveDate;
use indicatif::ProgressBar;

use crate::catalog::model::{Lang, Localized, ObligationStatus};
use crate::error::{Error, Result};
use crate::store::site::{DocumentWithProvisions, Named};
use crate::store::{CoverageCounter, Store};

use output::{HashWriter, Output, SharedOutput};
pub use output::{MANIFEST, Stats};
use pages::*;
use view::{Page, Text, slug};

/// What to build and where.
#[derive(Debug, Clone)]
pub struct Options {
    pub out: PathBuf,
    pub lang: Lang,
    /// The address the site will be published at, for canonical links.
    pub base_url: Option<String>,
    /// Write into a non-empty folder that lextrack did not create.
    pub force: bool,
    /// The date the site speaks as of.
    pub today: NaiveDate,
}

/// Provisions that serve no direction, listed per framework on the matrix
/// page (the count is always the total).
const UNLINKED_SHOWN: usize = 200;

/// Findings of each kind listed on the index (the count is always the
/// total).
const FINDINGS_SHOWN: usize = 10;

/// A matrix grid with more rows (linked provisions) than this is too
/// large to read on the matrix page and is left to the download.
const MAX_GRID: usize = 2000;

/// Rows per page of a long listing.
const LIST_PAGE: usize = 500;

/// Builds the site. Returns what was written.
pub async fn build(store: &Store, options: &Options, progress: &ProgressBar) -> Result<Stats> {
    // A store that has not changed since the last build, built with the
    // same options and binary, gives the same site: when every file is
    // still there, there is nothing to do.
    // The log is folded into the store file first, so that the file alone
    // says whether the store changed; when a reader elsewhere keeps it
    // from folding, `build_key` sees the log and the build runs in full.
    store.fold_log().await?;
    let key = build_key(store, options);
    if let Some(key) = &key
        && let Some(stats) = output::unchanged(&options.out, key)?
    {
        return Ok(stats);
    }
    let plan = Plan::load(store, options.today).await?;
    progress.set_length(plan.paths.len() as u64);
    let out = SharedOutput::new(Output::prepare(
        &options.out,
        options.force,
        &plan.paths,
        key,
    )?);
    let mut site = Site {
        store,
        options,
        out,
        buf: String::with_capacity(1 << 16),
        progress,
        coverage: None,
        check: None,
        agency_pass: None,
        direction_links: None,
        search_index: None,
        obligations_download: None,
        agreements_today: None,
    };

    // Leaves first, the pages that link to many later, the index last.
    let mut timer = Timer::new();
    // SQLite sorts every obligation by agency (and every link to a
    // direction by direction) before it hands over the first list: let it
    // do so on connections of its own while the pages before are built.
    site.agency_pass = Some(store.own_obligations_by_agency(options.today));
    site.direction_links = Some(store.site_links_by_direction());
    site.assets()?;
    site.sources().await?;
    timer.lap("sources");
    site.directions().await?;
    timer.lap("directions");
    // The index's integrity check reads the whole store: it runs on its
    // own connection while the other pages are rendered.
    let (checker, today) = (store.clone(), options.today);
    site.check = Some(tokio::spawn(async move {
        checker.check_summary(today, FINDINGS_SHOWN).await
    }));
    // The obligations download streams every obligation with its status:
    // it is written on a thread of its own, on the core the agencies'
    // pages leave idle while SQLite sorts their obligations.
    site.obligations_download = Some({
        let (store, today) = (store.clone(), options.today);
        let (out, progress) = (site.out.clone(), progress.clone());
        Beside::start("writing the obligations download", move |stop| async move {
            streamed_pair(
                &store,
                &out,
                &progress,
                ["data/obligations.csv", "data/obligations.json"],
                move |store, a, b| {
                    let stop = stop.clone();
                    Box::pin(async move {
                        let mut a = UnlessStopped(a, stop.clone());
                        let mut b = UnlessStopped(b, stop);
                        data::obligations(store, today, &mut a, &mut b).await
                    })
                },
            )
            .await
        })?
    });
    site.agencies().await?;
    timer.lap("agencies");
    site.partners().await?;
    timer.lap("partners");
    // The search index reads the corpus on its own and no page links into
    // its parts: it is written on a thread of its own, on the core that
    // the documents' pass leaves idle while it waits for the store.
    site.search_index = Some({
        let (store, lang, entries) = (store.clone(), options.lang, plan.search_entries);
        let (out, progress) = (site.out.clone(), progress.clone());
        Beside::start("writing the search index", move |stop| async move {
            write_search_index(&store, lang, entries, &out, &progress, &stop).await
        })?
    });
    site.documents().await?;
    site.document_list().await?;
    timer.lap("documents");
    site.frameworks().await?;
    timer.lap("frameworks");
    site.indicators().await?;
    site.agreements().await?;
    timer.lap("indicators and agreements");
    site.matrix().await?;
    timer.lap("matrix");
    site.data_files().await?;
    timer.lap("downloads");
    site.search().await?;
    timer.lap("search");
    site.not_found()?;
    site.index().await?;
    timer.lap("index");
    let Site { out, .. } = site;
    let stats = out.finish()?;
    timer.lap("finish");
    progress.finish_and_clear();
    Ok(stats)
}

/// What the site depends on besides the templates' code: the store file
/// (size and modification time: SQLite rewrites the file when data
/// changes; the log was checkpointed into it just before), the binary, and
/// the options. `None` when the store cannot be judged (a write-ahead log
/// still holding frames, a missing file), which means a full build.
fn build_key(store: &Store, options: &Options) -> Option<String> {
    use std::hash::{Hash, Hasher};
    let stamp = |m: &std::fs::Metadata| {
        let t = m
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        Some((m.len(), t.as_secs(), t.subsec_nanos()))
    };
    let db = stamp(&std::fs::metadata(store.path()).ok()?)?;
    let mut wal = store.path().as_os_str().to_owned();
    wal.push("-wal");
    if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
        return None;
    }
    let exe = stamp(&std::fs::metadata(std::env::current_exe().ok()?).ok()?)?;
    let mut h = std::hash::DefaultHasher::new();
    db.hash(&mut h);
    exe.hash(&mut h);
    std::fs::canonicalize(store.path()).ok()?.hash(&mut h);
    env!("CARGO_PKG_VERSION").hash(&mut h);
    options.lang.as_str().hash(&mut h);
    options.base_url.hash(&mut h);
    options.today.to_string().hash(&mut h);
    Some(format!("{:016x}", h.finish()))
}

/// Phase timings on stderr when `LEXTRACK_SITE_TIMING=1`, for measuring.
struct Timer {
    start: Option<std::time::Instant>,
    last: std::time::Duration,
    ticks: u64,
}

impl Timer {
    fn new() -> Timer {
        let on = std::env::var_os("LEXTRACK_SITE_TIMING").is_some_and(|v| v == "1");
        Timer {
            start: on.then(std::time::Instant::now),
            last: std::time::Duration::ZERO,
            ticks: 0,
        }
    }

    fn lap(&mut self, what: &str) {
        if let Some(start) = self.start {
            let now = start.elapsed();
            // Resident and peak memory, from the kernel (Linux only).
            let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
            let field = |name: &str| {
                status
                    .lines()
                    .find(|l| l.starts_with(name))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .unwrap_or("?")
                    .to_owned()
            };
            // CPU time of every thread, user and system, in clock ticks
            // (fields 14 and 15 of /proc/self/stat; 100 a second here).
            let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
            let ticks: u64 = stat
                .rsplit_once(") ")
                .map(|(_, rest)| {
                    rest.split_whitespace()
                        .skip(11)
                        .take(2)
                        .filter_map(|t| t.parse::<u64>().ok())
                        .sum()
                })
                .unwrap_or(0);
            eprintln!(
                "timing: {what}: {:.3} s, cpu {:.2} s (rss {} KiB, peak {} KiB)",
                (now - self.last).as_secs_f64(),
                (ticks - self.ticks) as f64 / 100.0,
                field("VmRSS:"),
                field("VmHWM:")
            );
            self.last = now;
            self.ticks = ticks;
        }
    }
}

/// Every page path this build will write, known before anything is
/// written so that the manifest lists them first.
struct Plan {
    paths: Vec<String>,
    /// Entries of the search index, which is written in parts by this count.
    search_entries: i64,
}

impl Plan {
    async fn load(store: &Store, today: NaiveDate) -> Result<Plan> {
        let mut paths: Vec<String> = ASSETS.iter().map(|(p, _)| (*p).to_owned()).collect();
        let documents = store.site_ids("documents").await?;
        paths.extend(
            documents
                .iter()
                .map(|id| format!("documents/{}.html", slug(id))),
        );
        paths.extend(list_paths("documents", documents.len()));
        for kind in ["agencies", "partners", "frameworks", "directions"] {
            let ids = store.site_ids(kind).await?;
            paths.extend(ids.iter().map(|id| format!("{kind}/{}.html", slug(id))));
            if kind != "directions" {
                paths.extend(list_paths(kind, ids.len()));
            }
        }
        paths.extend(["agreements.html", "matrix.html", "indicators.html"].map(str::to_owned));
        paths.extend(
            [
                "sources.html",
                "search.html",
                "search-index.json",
                "search-index.js",
                "404.html",
                "index.html",
            ]
            .map(str::to_owned),
        );
        paths.extend(data::FILES.iter().map(|f| f.to_string()));
        let search_entries = store.site_search_entry_count().await?;
        paths.extend(
            (0..data::search_shard_count(search_entries)).flat_map(data::search_shard_paths),
        );
        paths.extend(
            agreement_years(store, today)
                .await?
                .into_iter()
                .map(year_path),
        );
        paths.sort();
        paths.dedup();
        Ok(Plan {
            paths,
            search_entries,
        })
    }
}

/// The pages of a listing: `documents.html`, `documents-2.html`…
fn list_paths(stem: &str, rows: usize) -> Vec<String> {
    let pages = rows.div_ceil(LIST_PAGE).max(1);
    (1..=pages).map(|n| list_path(stem, n)).collect()
}

fn list_path(stem: &str, n: usize) -> String {
    if n == 1 {
        format!("{stem}.html")
    } else {
        format!("{stem}-{n}.html")
    }
}

/// The agreements table as of the end of a year.
fn year_path(year: i32) -> String {
    format!("agreements/{year}.html")
}

/// The years for which the agreements table is written: from the first
/// recorded event to the year before `today` (this year's is today's).
async fn agreement_years(store: &Store, today: NaiveDate) -> Result<Vec<i32>> {
    use chrono::Datelike;
    Ok(match store.site_event_years().await? {
        Some((first, _)) => (first.max(1900)..today.year()).collect(),
        None => Vec::new(),
    })
}

/// The site's own files, compiled into the binary.
const ASSETS: &[(&str, &str)] = &[
    (
        "assets/site.css",
        include_str!("../../templates/assets/site.css"),
    ),
    (
        "assets/print.css",
        include_str!("../../templates/assets/print.css"),
    ),
    (
        "assets/site.js",
        include_str!("../../templates/assets/site.js"),
    ),
    (
        "assets/search.js",
        include_str!("../../templates/assets/search.js"),
    ),
    (
        "assets/favicon.svg",
        include_str!("../../templates/assets/favicon.svg"),
    ),
];

struct Site<'a> {
    store: &'a Store,
    options: &'a Options,
    out: SharedOutput,
    /// Reused for every page, so rendering does not allocate per page.
    buf: String,
    progress: &'a ProgressBar,
    /// The coverage summaries, read once (see [`Site::coverage`]).
    coverage: Option<std::rc::Rc<Vec<crate::queries::CoverageSummary>>>,
    /// The integrity check for the index, run beside the other pages.
    check: Option<tokio::task::JoinHandle<Result<Vec<crate::store::FindingGroup>>>>,
    /// The agencies' obligations, read (and sorted by SQLite) while the
    /// pages before the agencies' are built.
    agency_pass: Option<crate::store::AgencyObligations>,
    /// The directions' linked provisions, read the same way.
    direction_links: Option<crate::store::site::DirectionLinks>,
    /// The search index, being written beside the pages.
    search_index: Option<Beside>,
    /// The obligations download, being written beside the agencies' pages.
    obligations_download: Option<Beside>,
    /// Where each agreement stands today, read once for the agreements'
    /// pages, the agreements table and its download (see
    /// [`Site::agreements_today`]).
    agreements_today: Option<std::rc::Rc<Vec<crate::queries::AgreementStatus>>>,
}

fn render_error(what: &str, e: askama::Error) -> Error {
    Error::Encode {
        what: format!("the page {what}"),
        source: Box::new(e),
    }
}

impl Site<'_> {
    fn lang(&self) -> Lang {
        self.options.lang
    }

    fn text(&self, names: &Localized, id: &str) -> Text {
        Text::pick(names, self.lang(), id)
    }

    fn named(&self, n: &Named) -> (String, Text) {
        (n.id.clone(), self.text(&n.name, &n.id))
    }

    /// The context for the page at `path` (relative to the site root).
    fn page(&self, path: &str, title: impl Into<String>, nav: &'static str) -> Page {
        let root = (if path.contains('/') { "../" } else { "" }).into();
        let canonical = self
            .options
            .base_url
            .as_deref()
            .map(|b| format!("{}/{}", b.trim_end_matches('/'), path));
        Page {
            lang: view::CHROME_LANG.as_str(),
            root,
            title: title.into(),
            canonical,
            nav,
        }
    }

    /// Renders `template` and writes it at `path` if it changed.
    fn emit(&mut self, path: &str, template: &impl Template) -> Result<()> {
        self.buf.clear();
        template
            .render_into(&mut self.buf)
            .map_err(|e| render_error(path, e))?;
        if !self.buf.ends_with('\n') {
            self.buf.push('\n');
        }
        self.progress.inc(1);
        // The writer thread gets a copy of exactly the page's size; the
        // buffer stays here for the next page.
        self.out.write(path, self.buf.as_bytes())
    }

    fn assets(&mut self) -> Result<()> {
        for (path, text) in ASSETS {
            self.out.write(path, text.as_bytes())?;
            self.progress.inc(1);
        }
        Ok(())
    }

    async fn sources(&mut self) -> Result<()> {
        let sources = self.store.site_sources().await?;
        let mut views = Vec::with_capacity(sources.len());
        for s in sources {
            let c = self.store.site_citers(&s.id).await?;
            let mut citers = Vec::new();
            for (what, dir, (list, total)) in [
                ("documents", "documents", c.documents),
                ("agencies", "agencies", c.agencies),
                ("partners", "partners", c.partners),
                ("frameworks", "frameworks", c.frameworks),
                ("indicators", "indicators", c.indicators),
            ] {
                if total == 0 {
                    continue;
                }
                let rows: Vec<(String, Text)> = list
                    .iter()
                    .map(|n| {
                        let href = if dir == "indicators" {
                            format!("indicators.html#ind-{}", slug(&n.id))
                        } else {
                            format!("{dir}/{}.html", slug(&n.id))
                        };
                        (href, self.text(&n.name, &n.id))
                    })
                    .collect();
                citers.push((what, rows.len(), total, rows));
            }
            views.push(SourceView {
                anchor: format!("src-{}", slug(&s.id)),
                id: s.id,
                kind: s.kind,
                title: s.title,
                author: s.author,
                publisher: s.publisher,
                published: s.published,
                url: s.url,
                accessed: s.accessed,
                note: s.note,
                citers,
            });
        }
        let page = SourcesPage {
            page: self.page("sources.html", "Sources", "sources"),
            sources: views,
        };
        self.emit("sources.html", &page)
    }

    /// One page per document. The pass reads every provision with its
    /// links, so it counts the frameworks' coverage as it goes rather than
    /// have the store walk the corpus for it again.
    async fn documents(&mut self) -> Result<()> {
        let mut standing = self.agreement_standing().await?;
        let mut docs = self.store.site_documents(self.options.today);
        let mut counter = CoverageCounter::new(UNLINKED_SHOWN);
        while let Some(d) = docs.next().await? {
            counter.add_document(&d);
            let path = format!("documents/{}.html", slug(&d.facts.id));
            let rows = standing.remove(&d.facts.id).unwrap_or_default();
            let page = self.document_page(&path, &d, rows);
            self.emit(&path, &page)?;
        }
        let all = self
            .store
            .coverage_summaries_counted(counter, MAX_GRID)
            .await?;
        self.coverage = Some(std::rc::Rc::new(all));
        Ok(())
    }

    fn document_page<'d>(
        &self,
        path: &str,
        d: &'d DocumentWithProvisions,
        standing: Vec<StatusView>,
    ) -> DocumentPage<'d> {
        let f = &d.facts;
        let title = self.text(&f.title, &f.id);
        let provisions = d
            .provisions
            .iter()
            .map(|(depth, p)| ProvisionView {
                depth: *depth,
                level: (3 + depth).min(6),
                anchor: view::anchor(&p.eid),
                f: p,
                links: p
                    .links
                    .iter()
                    .map(|l| LinkView {
                        href: node_href(&l.node.id, &l.node_kind, &l.framework_id),
                        title: self.text(&l.node.name, &l.node.id),
                        f: l,
                    })
                    .collect(),
                obligations: p
                    .obligations
                    .iter()
                    .map(|o| ObligationView {
                        f: o,
                        status: o
                            .status
                            .as_ref()
                            .filter(|c| c.status != ObligationStatus::Active),
                        agency_name: self.text(&o.agency.name, &o.agency.id),
                        recurrence: o
                            .recurrence
                            .as_ref()
                            .map(|(every, by)| format!("every {every} by {by}")),
                    })
                    .collect(),
            })
            .collect();
        DocumentPage {
            page: self.page(path, title.text.clone(), "documents"),
            doc: f,
            issuer: f.issuer.as_ref().map(|i| self.named(i)),
            parties: f
                .parties
                .iter()
                .map(|(p, note)| {
                    let (id, name) = self.named(p);
                    (id, name, note.clone())
                })
                .collect(),
            frameworks: f.frameworks.iter().map(|p| self.named(p)).collect(),
            relations: f
                .relations
                .iter()
                .map(|r| RelationView {
                    outgoing: r.outgoing,
                    kind: r.kind.clone(),
                    other: r.other.id.clone(),
                    title: self.text(&r.other.name, &r.other.id),
                    date: r.date.clone(),
                    note: r.note.clone(),
                    source: r.source.clone(),
                    confidence: r.confidence.clone(),
                })
                .collect(),
            events: f.events.iter().map(|e| self.event_view(e)).collect(),
            standing,
            today: self.options.today.to_string(),
            title,
            provisions,
        }
    }

    fn event_view(&self, e: &crate::store::site::EventFact) -> EventView {
        EventView {
            date: e.date.clone(),
            precision: e.precision.clone(),
            stage: e.stage.clone(),
            party: e.party.as_ref().map(|p| self.named(p)),
            note: e.note.clone(),
            source: e.source.clone(),
            confidence: e.confidence.clone(),
        }
    }

    /// `documents.html` and its continuation pages, in ID order.
    async fn document_list(&mut self) -> Result<()> {
        let mut rows = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let batch = self
                .store
                .site_search_entries("document", after.as_ref().map(|a| (a.as_str(), "")), 2000)
                .await?;
            if batch.is_empty() {
                break;
            }
            after = batch.last().map(|e| e.id.clone());
            for e in batch {
                rows.push(ListRow {
                    href: format!("documents/{}.html", slug(&e.id)),
                    title: self.text(&e.title, &e.id),
                    detail: e.text.unwrap_or_default().trim().to_owned(),
                    confidence: "verified".into(),
                });
            }
        }
        self.list_pages(
            "documents",
            "Documents",
            "Every document in the catalog, by ID: laws, codes, strategies, decrees, treaties and agreements.",
            "documents",
            rows,
        )
    }

    fn list_pages(
        &mut self,
        stem: &str,
        heading: &str,
        intro: &str,
        nav: &'static str,
        rows: Vec<ListRow>,
    ) -> Result<()> {
        let pages = rows.len().div_ceil(LIST_PAGE).max(1);
        let mut rows = rows.into_iter();
        for n in 1..=pages {
            let path = list_path(stem, n);
            let chunk: Vec<ListRow> = rows.by_ref().take(LIST_PAGE).collect();
            let pager = if pages > 1 {
                (1..=pages)
                    .map(|k| (k, list_path(stem, k), k == n))
                    .collect()
            } else {
                Vec::new()
            };
            let title = if pages > 1 {
                format!("{heading} ({n} of {pages})")
            } else {
                heading.to_owned()
            };
            let page = ListPage {
                page: self.page(&path, title, nav),
                heading: heading.to_owned(),
                intro: intro.to_owned(),
                rows: chunk,
                pager,
            };
            self.emit(&path, &page)?;
        }
        Ok(())
    }

    /// Downloads: each table's CSV and JSON. The obligations table can be
    /// large: it is streamed, on a thread of its own started before the
    /// agencies' pages (see [`build`]), and waited for here. The matrix is
    /// streamed too; the others are small.
    async fn data_files(&mut self) -> Result<()> {
        if let Some(job) = self.obligations_download.take() {
            job.finish().await?;
        }
        let (csv, json) = data::indicators(self.store).await?;
        self.write_pair("indicators", csv, json)?;
        let rows = self.agreements_today().await?;
        let (csv, json) = data::agreements(&rows)?;
        self.write_pair("agreements", csv, json)?;
        let coverage = self.coverage().await?;
        self.streamed_pair(
            ["data/matrix.csv", "data/matrix.json"],
            move |store, a, b| {
                let coverage = coverage.clone();
                Box::pin(async move { data::matrix(store, &coverage, a, b).await })
            },
        )
        .await
    }

    /// Where each agreement stands for each party on the build's day, read
    /// once per build (a row per agreement and party: small whatever the
    /// corpus).
    async fn agreements_today(
        &mut self,
    ) -> Result<std::rc::Rc<Vec<crate::queries::AgreementStatus>>> {
        if self.agreements_today.is_none() {
            let rows = self
                .store
                .agreements(&crate::queries::AgreementQuery::new(self.options.today))
                .await?;
            self.agreements_today = Some(std::rc::Rc::new(rows));
        }
        Ok(self.agreements_today.clone().expect("just read"))
    }

    fn write_pair(&mut self, stem: &str, csv: Vec<u8>, json: Vec<u8>) -> Result<()> {
        self.out.write(&format!("data/{stem}.csv"), &csv)?;
        self.out.write(&format!("data/{stem}.json"), &json)?;
        self.progress.inc(2);
        Ok(())
    }

    /// The coverage of each framework, read once per build as a summary:
    /// the counts complete, the first [`UNLINKED_SHOWN`] provisions that
    /// serve nothing, and the directions' links only for a grid small
    /// enough to show; so what is held stays small whatever the corpus
    /// (the download of the whole matrix is streamed from the store).
    async fn coverage(&mut self) -> Result<std::rc::Rc<Vec<crate::queries::CoverageSummary>>> {
        // The documents pass counts it; this walk is for a build that has
        // not run that pass.
        if self.coverage.is_none() {
            let all = self
                .store
                .coverage_summaries(None, UNLINKED_SHOWN, MAX_GRID)
                .await?;
            self.coverage = Some(std::rc::Rc::new(all));
        }
        Ok(self.coverage.clone().expect("just read"))
    }

    /// See [`streamed_pair`].
    async fn streamed_pair<F>(&mut self, paths: [&str; 2], render: F) -> Result<()>
    where
        F: for<'w> Fn(
            &'w Store,
            &'w mut dyn Write,
            &'w mut dyn Write,
        )
            -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + 'w>>,
    {
        streamed_pair(self.store, &self.out, self.progress, paths, render).await
    }

    /// Waits for the search index's thread, then writes the search page.
    async fn search(&mut self) -> Result<()> {
        if let Some(job) = self.search_index.take() {
            job.finish().await?;
        }
        let page = SearchPage {
            page: self.page("search.html", "Search", "search"),
        };
        self.emit("search.html", &page)
    }

    fn not_found(&mut self) -> Result<()> {
        // A server shows this page at any depth, so its links (the
        // stylesheet and the navigation among them) are absolute when the
        // base URL is known; it is no page of its own to be canonical.
        let mut page = self.page("404.html", "Page not found", "");
        if let Some(b) = &self.options.base_url {
            page.root = format!("{}/", b.trim_end_matches('/')).into();
        }
        page.canonical = None;
        let page = NotFoundPage { page };
        self.emit("404.html", &page)
    }

    async fn index(&mut self) -> Result<()> {
        let counts = self
            .store
            .counts()
            .await?
            .into_iter()
            .filter(|(t, _)| !t.starts_with("agreement_parties"))
            .map(|(t, n)| (t.to_owned(), n))
            .collect();
        let latest = self
            .store
            .site_latest_events(10, self.options.today)
            .await?
            .into_iter()
            .map(|(doc, e)| {
                (
                    doc.id.clone(),
                    self.text(&doc.name, &doc.id),
                    self.event_view(&e),
                )
            })
            .collect();
        let check = match self.check.take() {
            Some(task) => task.await.map_err(|source| Error::Task {
                what: "running the integrity check",
                source,
            })??,
            None => {
                self.store
                    .check_summary(self.options.today, FINDINGS_SHOWN)
                    .await?
            }
        };
        let findings = check
            .into_iter()
            .map(|g| {
                (
                    g.code.to_owned(),
                    g.severity.as_str(),
                    g.count,
                    g.first.into_iter().map(finding).collect(),
                )
            })
            .collect();
        let page = IndexPage {
            page: self.page("index.html", "Overview", "index"),
            counts,
            latest,
            findings,
            today: self.options.today.to_string(),
        };
        self.emit("index.html", &page)
    }
}

fn finding(f: crate::store::Finding) -> Finding {
    Finding {
        subject: f.subject,
        message: f.message,
    }
}

/// Writes two files that are too large to hold, rendered together in one
/// pass: a first pass fingerprints them, and a second writes those that
/// changed.
async fn streamed_pair<F>(
    store: &Store,
    out: &SharedOutput,
    progress: &ProgressBar,
    paths: [&str; 2],
    render: F,
) -> Result<()>
where
    F: for<'w> Fn(
        &'w Store,
        &'w mut dyn Write,
        &'w mut dyn Write,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + 'w>>,
{
    if !out.may_be_current(paths[0])? && !out.may_be_current(paths[1])? {
        // Nothing to compare with: one pass, writing and fingerprinting.
        let mut pa = out.create(paths[0])?;
        let mut pb = out.create(paths[1])?;
        let mut ha = HashWriter::default();
        let mut hb = HashWriter::default();
        {
            let mut wa = data::Tee(&mut pa.writer, &mut ha);
            let mut wb = data::Tee(&mut pb.writer, &mut hb);
            render(store, &mut wa, &mut wb).await?;
        }
        out.commit(pa, ha.fingerprint())?;
        out.commit(pb, hb.fingerprint())?;
        progress.inc(2);
        return Ok(());
    }
    let mut a = HashWriter::default();
    let mut b = HashWriter::default();
    render(store, &mut a, &mut b).await?;
    let fps = [a.fingerprint(), b.fingerprint()];
    let current = [
        out.keep_if_current(paths[0], fps[0])?,
        out.keep_if_current(paths[1], fps[1])?,
    ];
    if current != [true, true] {
        let mut pending: Vec<Option<output::Pending>> = Vec::new();
        for (path, cur) in paths.iter().zip(current) {
            pending.push(if cur { None } else { Some(out.create(path)?) });
        }
        let mut sinks = [std::io::sink(), std::io::sink()];
        let [sa, sb] = &mut sinks;
        let (pa, pb) = pending.split_at_mut(1);
        let wa: &mut dyn Write = match &mut pa[0] {
            Some(p) => &mut p.writer,
            None => sa,
        };
        let wb: &mut dyn Write = match &mut pb[0] {
            Some(p) => &mut p.writer,
            None => sb,
        };
        render(store, wa, wb).await?;
        for (p, fp) in pending.into_iter().zip(fps) {
            if let Some(p) = p {
                out.commit(p, fp)?;
            }
        }
    }
    progress.inc(2);
    Ok(())
}

/// A part of the site written on a thread of its own, beside the pages:
/// one that reads the store on its own (the search index, the obligations
/// download). Its thread runs a runtime of its own, so that the reads it
/// spawns run there and not between the pages on the main thread. Dropped
/// before it finishes (the build failed), it asks the part to stop (the
/// search index looks between its parts; the download's writes fail once
/// asked, see [`UnlessStopped`]) and waits for it, so that no thread
/// writes into the folder after the build returned.
struct Beside {
    what: &'static str,
    thread: Option<std::thread::JoinHandle<Result<()>>>,
    /// Told when the part has ended, so that [`Beside::finish`] can await it.
    done: Option<tokio::sync::oneshot::Receiver<()>>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

type StopFlag = std::sync::Arc<std::sync::atomic::AtomicBool>;

impl Beside {
    /// Starts `part`, which is given a flag that asks it to stop early.
    fn start<F, Fut>(what: &'static str, part: F) -> Result<Beside>
    where
        F: FnOnce(StopFlag) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = Result<()>>,
    {
        let stop = StopFlag::default();
        let asked_to_stop = stop.clone();
        let (ended, done) = tokio::sync::oneshot::channel();
        let thread = std::thread::Builder::new()
            .name(what.into())
            .spawn(move || {
                let result = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .map_err(|e| Error::io("start a runtime for", what, e))
                    .and_then(|runtime| runtime.block_on(part(asked_to_stop)));
                let _ = ended.send(());
                result
            })
            .map_err(|e| Error::io("start a thread for", what, e))?;
        Ok(Beside {
            what,
            thread: Some(thread),
            done: Some(done),
            stop,
        })
    }

    /// Waits for the part; its error, if it failed. The wait is awaited,
    /// not blocked on: the build's tasks on this thread (the integrity
    /// check, connections going back to the pool) go on meanwhile, and the
    /// part may need a connection one of them holds.
    async fn finish(mut self) -> Result<()> {
        if let Some(done) = self.done.take() {
            // An error here is a part that panicked, which `join` reports.
            let _ = done.await;
        }
        self.join()
    }

    fn join(&mut self) -> Result<()> {
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or(Err(Error::Panicked { what: self.what })),
            None => Ok(()),
        }
    }
}

impl Drop for Beside {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = self.join();
    }
}

/// A writer that fails once its part is asked to stop, so that a long
/// streamed file (the obligations download) ends early when the build has
/// failed; what it wrote is then never placed.
struct UnlessStopped<'w>(&'w mut dyn Write, StopFlag);

impl Write for UnlessStopped<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.1.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(std::io::Error::other("the build stopped"));
        }
        self.0.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// The search index: its parts, then the table of contents that names
/// them. A part (at most 5,000 entries) is held and encoded whole, then
/// written like a page, while the next batch is read.
async fn write_search_index(
    store: &Store,
    lang: Lang,
    entries: i64,
    out: &SharedOutput,
    progress: &ProgressBar,
    asked_to_stop: &std::sync::atomic::AtomicBool,
) -> Result<()> {
    let shards = data::search_shard_count(entries);
    let mut reader = data::SearchEntries::new(store);
    let mut written = 0;
    let mut filters = Vec::with_capacity(shards);
    let (mut json, mut js) = (Vec::new(), Vec::new());
    for n in 0..shards {
        if asked_to_stop.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        let part = reader.part(n + 1 == shards).await?;
        written += part.len() as i64;
        json.clear();
        js.clear();
        // The part's filter is worked out beside its encoding.
        let part = std::sync::Arc::new(part);
        let filter = {
            let part = part.clone();
            tokio::task::spawn_blocking(move || data::search_filter(&part, lang))
        };
        data::search_shard(&part, lang, n, &mut json, &mut js).await?;
        filters.push(filter.await.map_err(|source| Error::Task {
            what: "filtering the search index",
            source,
        })?);
        let [json_path, js_path] = data::search_shard_paths(n);
        out.write(&json_path, &json)?;
        out.write(&js_path, &js)?;
        progress.inc(2);
    }
    // What was written, which is the planned count unless the store
    // changed during the build.
    let (json, js) = data::search_manifest(written, &filters)?;
    out.write("search-index.json", &json)?;
    out.write("search-index.js", &js)?;
    progress.inc(2);
    Ok(())
}

/// Where a framework node is shown: directions have their own page, other
/// nodes an anchor on their framework's page.
fn node_href(id: &str, kind: &str, framework: &str) -> String {
    if kind == "direction" {
        format!("directions/{}.html", slug(id))
    } else {
        format!("frameworks/{}.html#node-{}", slug(framework), slug(id))
    }
}

/// The base URL when it is an http(s) address with a host, and without a
/// query or a fragment (page paths are appended to it).
pub fn safe_base_url(url: &str) -> Option<&str> {
    let url = view::safe_url(url)?;
    let (_, rest) = url.split_once("://")?;
    let host = rest.split('/').next().unwrap_or_default();
    (!host.is_empty() && !url.contains(['?', '#'])).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// `Beside::finish`, awaited as `build` awaits it.
    fn finish(part: Beside) -> Result<()> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(part.finish())
    }
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    #[test]
    fn a_part_beside_hands_back_its_error() {
        let part = Beside::start("failing part", |_| async {
            Err(Error::Usage("the part failed".into()))
        })
        .unwrap();
        let err = finish(part).unwrap_err();
        assert_eq!(err.to_string(), "the part failed");
    }

    #[test]
    fn a_part_beside_that_panics_is_an_error_not_a_panic() {
        let part = Beside::start("panicking part", |_| async {
            panic!("a bug in the part");
        })
        .unwrap();
        let err = finish(part).unwrap_err();
        assert!(
            err.to_string().contains("panicking part"),
            "the error names the part: {err}"
        );
    }

    #[test]
    fn a_part_beside_dropped_early_is_asked_to_stop_and_waited_for() {
        // The part runs until it is asked to stop, counting its rounds; the
        // drop must return only after the part has seen the flag and ended.
        let rounds = Arc::new(AtomicUsize::new(0));
        let ended = Arc::new(AtomicBool::new(false));
        let (r, e) = (rounds.clone(), ended.clone());
        let part = Beside::start("endless part", move |stop| async move {
            while !stop.load(Ordering::Relaxed) {
                r.fetch_add(1, Ordering::Relaxed);
                tokio::task::yield_now().await;
            }
            e.store(true, Ordering::Relaxed);
            Ok(())
        })
        .unwrap();
        while rounds.load(Ordering::Relaxed) == 0 {
            std::thread::yield_now();
        }
        drop(part);
        assert!(
            ended.load(Ordering::Relaxed),
            "the drop waited for the part"
        );
    }

    #[test]
    fn a_stopped_download_fails_its_next_write() {
        let stop = StopFlag::default();
        let mut sink = Vec::new();
        let mut w = UnlessStopped(&mut sink, stop.clone());
        w.write_all(b"before").unwrap();
        stop.store(true, Ordering::Relaxed);
        assert!(w.write_all(b"after").is_err());
        assert_eq!(sink, b"before");
    }

    #[test]
    fn waiting_for_a_part_lets_the_builds_other_tasks_run() {
        // The part needs something only a task of the main thread's
        // runtime gives (in a build: a connection that task holds, or one
        // going back to the pool). Blocking the thread to wait for the
        // part would starve that task; awaiting lets it run.
        let (give, needed) = std::sync::mpsc::channel::<()>();
        let part = Beside::start("part that waits", move |_| async move {
            needed
                .recv_timeout(std::time::Duration::from_secs(5))
                .map_err(|_| Error::Usage("the part was starved".into()))
        })
        .unwrap();
        let result = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async move {
                tokio::spawn(async move {
                    let _ = give.send(());
                });
                part.finish().await
            });
        result.unwrap();
    }
}
