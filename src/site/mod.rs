//! The static HTML site that `lextrack report` builds from the store.
//!
//! [`build`] reads top to bottom as the pipeline: plan the pages and
//! prepare the output folder → render each page kind, pages before the
//! pages that link to them and the index last → write the assets → let
//! [`Output::finish`] put changed pages in place and remove stale ones →
//! report what was written.
//!
//! Pages are rendered one at a time from the store (documents in bounded
//! batches), so memory stays flat whatever the corpus size. The same store
//! gives the same bytes: nothing depends on the clock (the build date is
//! the `--today` date), and every list is sorted.
//!
//! Templates live in `templates/`: `_layout.html` (the base layout, its
//! fields documented at its top), `_macros.html`, one template per page
//! kind; [`pages`] holds one struct per page kind; [`filters`] the
//! template filters. Escaping is on everywhere.

mod data;
mod entities;
mod filters;
mod output;
mod pages;
mod svg;
mod view;

use std::io::Write;
use std::path::PathBuf;

use askama::Template;
use chrono::NaiveDate;
use indicatif::ProgressBar;

use crate::catalog::model::{Lang, Localized};
use crate::error::{Error, Result};
use crate::store::Store;
use crate::store::site::{DocumentWithProvisions, Named};

use output::{HashWriter, Output};
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

/// Rows per page of a long listing.
const LIST_PAGE: usize = 500;

/// Builds the site. Returns what was written.
pub async fn build(store: &Store, options: &Options, progress: &ProgressBar) -> Result<Stats> {
    let plan = Plan::load(store, options.today).await?;
    progress.set_length(plan.paths.len() as u64);
    let out = Output::prepare(&options.out, options.force, &plan.paths)?;
    let mut site = Site {
        store,
        options,
        out,
        buf: String::with_capacity(1 << 16),
        progress,
    };
    site.assets()?;
    site.sources().await?;
    site.documents().await?;
    site.document_list().await?;
    site.frameworks().await?;
    site.agencies().await?;
    site.partners().await?;
    site.indicators().await?;
    site.agreements().await?;
    site.matrix().await?;
    site.data_files().await?;
    site.search().await?;
    site.not_found()?;
    site.index().await?;
    let stats = site.out.finish()?;
    progress.finish_and_clear();
    Ok(stats)
}

/// Every page path this build will write, known before anything is
/// written so that the manifest lists them first.
struct Plan {
    paths: Vec<String>,
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
        paths.extend(
            agreement_years(store, today)
                .await?
                .into_iter()
                .map(year_path),
        );
        paths.sort();
        paths.dedup();
        Ok(Plan { paths })
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
];

struct Site<'a> {
    store: &'a Store,
    options: &'a Options,
    out: Output,
    /// Reused for every page, so rendering does not allocate per page.
    buf: String,
    progress: &'a ProgressBar,
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
        let root = if path.contains('/') { "../" } else { "" };
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
        let bytes = std::mem::take(&mut self.buf);
        let result = self.out.write(path, bytes.as_bytes());
        self.buf = bytes;
        self.progress.inc(1);
        result
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

    async fn documents(&mut self) -> Result<()> {
        let mut docs = self.store.site_documents();
        while let Some(d) = docs.next().await? {
            let path = format!("documents/{}.html", slug(&d.facts.id));
            let page = self.document_page(&path, &d);
            self.emit(&path, &page)?;
        }
        Ok(())
    }

    fn document_page<'d>(&self, path: &str, d: &'d DocumentWithProvisions) -> DocumentPage<'d> {
        let f = &d.facts;
        let title = self.text(&f.title, &f.id);
        let provisions = d
            .provisions
            .iter()
            .map(|(depth, p)| ProvisionView {
                depth: *depth,
                level: (3 + depth).min(6),
                anchor: slug(&p.eid),
                eid: p.eid.clone(),
                kind: p.kind.clone(),
                number: p.number.clone(),
                heading: p.heading.clone(),
                text: p.text.clone(),
                text_kind: p.text_kind.clone(),
                valid_from: p.valid_from.clone(),
                valid_to: p.valid_to.clone(),
                source: p.source.as_ref().map(|s| s.id.clone()),
                confidence: p.confidence.clone(),
                links: p
                    .links
                    .iter()
                    .map(|l| LinkView {
                        href: node_href(&l.node.id, &l.node_kind, &l.framework_id),
                        title: self.text(&l.node.name, &l.node.id),
                        kind: l.kind.clone(),
                        note: l.note.clone(),
                        source: l.source.clone(),
                        confidence: l.confidence.clone(),
                    })
                    .collect(),
                obligations: p
                    .obligations
                    .iter()
                    .map(|o| ObligationView {
                        agency: o.agency.id.clone(),
                        agency_name: self.text(&o.agency.name, &o.agency.id),
                        role: o.role.clone(),
                        modality: o.modality.clone(),
                        action: o.action.clone(),
                        due: o.due.clone(),
                        recurrence: o
                            .recurrence
                            .as_ref()
                            .map(|(every, by)| format!("every {every} by {by}")),
                        note: o.note.clone(),
                        source: o.source.clone(),
                        confidence: o.confidence.clone(),
                    })
                    .collect(),
            })
            .collect();
        DocumentPage {
            page: self.page(path, title.text.clone(), "documents"),
            doc: f,
            issuer: f.issuer.as_ref().map(|i| self.named(i)),
            parties: f.parties.iter().map(|p| self.named(p)).collect(),
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

    /// Downloads: each table's CSV and JSON, streamed.
    async fn data_files(&mut self) -> Result<()> {
        let today = self.options.today;
        for file in data::FILES {
            self.streamed(file, move |store, w| {
                Box::pin(data::write(store, file, today, w))
            })
            .await?;
        }
        Ok(())
    }

    /// Writes a file that is too large to hold: one pass to fingerprint it,
    /// and a second to write it only when it changed.
    async fn streamed<F>(&mut self, path: &str, render: F) -> Result<()>
    where
        F: for<'w> Fn(
            &'w Store,
            &'w mut dyn Write,
        )
            -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<()>> + 'w>>,
    {
        let mut hash = HashWriter::default();
        render(self.store, &mut hash).await?;
        let fp = hash.fingerprint();
        if !self.out.keep_if_current(path, fp) {
            let mut pending = self.out.create(path)?;
            render(self.store, &mut pending.writer).await?;
            self.out.commit(pending, fp)?;
        }
        self.progress.inc(1);
        Ok(())
    }

    async fn search(&mut self) -> Result<()> {
        let lang = self.lang();
        self.streamed("search-index.json", move |store, w| {
            Box::pin(data::search_index(store, lang, w, false))
        })
        .await?;
        self.streamed("search-index.js", move |store, w| {
            Box::pin(data::search_index(store, lang, w, true))
        })
        .await?;
        let page = SearchPage {
            page: self.page("search.html", "Search", "search"),
        };
        self.emit("search.html", &page)
    }

    fn not_found(&mut self) -> Result<()> {
        // A server shows this page at any depth, so its links are absolute
        // when the base URL is known.
        let home = match &self.options.base_url {
            Some(b) => format!("{}/", b.trim_end_matches('/')),
            None => String::new(),
        };
        let page = NotFoundPage {
            page: self.page("404.html", "Page not found", ""),
            home,
        };
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
            .site_latest_events(10)
            .await?
            .into_iter()
            .map(|e| {
                (
                    e.document_id.clone(),
                    Text::plain(e.document_id.clone()),
                    self.event_view(&e),
                )
            })
            .collect();
        let mut findings: Vec<(String, &'static str, usize, Vec<Finding>)> = Vec::new();
        for f in self.store.check(self.options.today).await? {
            let sev = f.severity.as_str();
            match findings.last_mut() {
                Some(last) if last.0 == f.code && last.1 == sev => {
                    last.2 += 1;
                    if last.3.len() < 10 {
                        last.3.push(finding(f));
                    }
                }
                _ => findings.push((f.code.to_owned(), sev, 1, vec![finding(f)])),
            }
        }
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

/// Where a framework node is shown: directions have their own page, other
/// nodes an anchor on their framework's page.
fn node_href(id: &str, kind: &str, framework: &str) -> String {
    if kind == "direction" {
        format!("directions/{}.html", slug(id))
    } else {
        format!("frameworks/{}.html#node-{}", slug(framework), slug(id))
    }
}

/// The base URL when it is an http(s) address.
pub fn safe_base_url(url: &str) -> Option<&str> {
    view::safe_url(url)
}
