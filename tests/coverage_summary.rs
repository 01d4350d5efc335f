//! The site's coverage against the full matrix: `Store::coverage_summary`
//! must agree with `Store::coverage` (the counts, the first unlinked
//! provisions, the grid's links or none), and so must what the site's
//! documents pass counts (`CoverageCounter`), `Store::coverage_links` must page
//! through a direction's links without losing or repeating one, and the
//! matrix download the site streams must have the bytes the site wrote
//! when it rendered the download from the full matrices.
//!
//! Besides the fixture catalogs, the tests generate a catalog larger than
//! the store's batches (more linked documents than one listing, a document
//! with more provisions than one batch, a direction with more links than
//! one download batch) whose provisions that serve nothing are known from
//! how it was generated.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use lextrack::catalog::Catalog;
use lextrack::queries::{CoverageMatrix, CoverageSummary};
use lextrack::store::{CoverageCounter, Store};
use serde::Serialize;
use tempfile::TempDir;

const FIXTURES: &[&str] = &[
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mini"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/queries/basic"),
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/site/catalog"),
];

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A store in `dir` holding exactly the catalog at `catalog`.
async fn store_in(dir: &Path, catalog: &Path) -> Store {
    let store = Store::open(&dir.join("store.db")).await.unwrap();
    let catalog = Catalog::read(&[catalog.to_path_buf()]).expect("the catalog reads");
    store
        .import(&catalog, false, None, &ProgressBar::hidden())
        .await
        .expect("the catalog imports");
    store
}

/// A store in a temporary folder holding exactly the catalog at `path`.
async fn store_of(path: &Path) -> (TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(dir.path(), path).await;
    (dir, store)
}

/// The rows of a matrix's grid: the distinct provisions linked to its
/// directions.
fn grid_rows(m: &CoverageMatrix) -> usize {
    m.directions
        .iter()
        .flat_map(|d| &d.links)
        .map(|l| (&l.document, &l.provision))
        .collect::<BTreeSet<_>>()
        .len()
}

/// Checks a summary against the full matrix it summarises.
fn assert_summarises(s: &CoverageSummary, full: &CoverageMatrix, shown: usize, max_grid: usize) {
    let m = &s.matrix;
    let at = format!("{} (shown {shown}, grid {max_grid})", full.framework);
    assert_eq!(m.framework, full.framework, "{at}");
    assert_eq!(m.title, full.title, "{at}");
    assert_eq!(m.counts, full.counts, "{at}: counts");
    assert_eq!(m.uncovered, full.uncovered, "{at}: uncovered");
    let n = shown.min(full.unlinked_provisions.len());
    assert_eq!(
        m.unlinked_provisions,
        full.unlinked_provisions[..n],
        "{at}: the first unlinked provisions"
    );
    assert_eq!(s.grid_rows, grid_rows(full), "{at}: grid rows");
    assert_eq!(s.grid_kept, s.grid_rows <= max_grid, "{at}: grid kept");
    assert_eq!(m.directions.len(), full.directions.len(), "{at}");
    for (d, f) in m.directions.iter().zip(&full.directions) {
        assert_eq!(
            (&d.direction, &d.number, &d.title, d.implemented),
            (&f.direction, &f.number, &f.title, f.implemented),
            "{at}"
        );
        if s.grid_kept {
            assert_eq!(d.links, f.links, "{at}: links of {}", d.direction);
        } else {
            assert!(d.links.is_empty(), "{at}: links of {} kept", d.direction);
        }
    }
}

/// Summaries of every framework with caps below, at and above what each
/// framework has, checked against the full matrices.
async fn check_summaries(store: &Store) -> Vec<CoverageMatrix> {
    let all = store.coverage(None).await.unwrap();
    let frameworks: Vec<String> = all.iter().map(|m| m.framework.clone()).collect();
    let summarised: Vec<String> = store
        .coverage_summaries(None, 0, 0)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.matrix.framework)
        .collect();
    assert_eq!(summarised, frameworks, "every framework, in ID order");
    for full in &all {
        let unlinked = full.unlinked_provisions.len();
        let rows = grid_rows(full);
        for shown in [
            0,
            1,
            unlinked.saturating_sub(1),
            unlinked,
            unlinked + 5,
            200,
        ] {
            for max_grid in [0, rows.saturating_sub(1), rows, 2000] {
                let s = store
                    .coverage_summary(&full.framework, shown, max_grid)
                    .await
                    .unwrap();
                assert_summarises(&s, full, shown, max_grid);
                // Every framework from one walk gives the same summary.
                let every = store
                    .coverage_summaries(None, shown, max_grid)
                    .await
                    .unwrap();
                let one = every
                    .iter()
                    .find(|e| e.matrix.framework == full.framework)
                    .expect("every framework is summarised");
                assert_eq!(one, &s, "{}: one walk for all", full.framework);
            }
        }
    }
    // What the site counts in its documents pass instead of walking.
    let implemented = store.implemented_directions().await.unwrap();
    for full in &all {
        for d in &full.directions {
            assert_eq!(
                implemented.contains(&d.direction),
                d.implemented,
                "{}: is {} implemented",
                full.framework,
                d.direction
            );
        }
    }
    for (shown, max_grid) in [(0, 0), (1, 1), (3, 2000), (200, 2000)] {
        let mut counter = CoverageCounter::new(shown);
        let mut docs = store.site_documents(chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        while let Some(d) = docs.next().await.unwrap() {
            counter.add_document(&d);
        }
        let counted = store
            .coverage_summaries_counted(counter, max_grid)
            .await
            .unwrap();
        let walked = store
            .coverage_summaries(None, shown, max_grid)
            .await
            .unwrap();
        assert_eq!(
            counted, walked,
            "counted by the documents pass (shown {shown}, grid {max_grid})"
        );
    }
    all
}

#[test]
fn summaries_agree_with_the_full_matrix_on_the_fixtures() {
    runtime().block_on(async {
        let mut seen = (0, 0, 0);
        for fixture in FIXTURES {
            let (_dir, store) = store_of(Path::new(fixture)).await;
            for m in check_summaries(&store).await {
                seen.0 += m.counts.links;
                seen.1 += m.counts.unlinked_provisions;
                seen.2 += grid_rows(&m);
            }
            store.close().await;
        }
        // The fixtures have links, a grid and provisions that serve
        // nothing, so the checks above compared something.
        assert!(seen.0 > 0 && seen.1 > 0 && seen.2 > 0, "{seen:?}");
    });
}

#[test]
fn summaries_leave_out_links_to_provisions_that_do_not_exist() {
    runtime().block_on(async {
        let (_dir, store) = store_of(Path::new(FIXTURES[1])).await;
        // No import lets these through: links to a missing provision of a
        // document (for `old-decree`, its only link into the framework,
        // which makes it a linked document whose provisions serve
        // nothing), and links from a missing document.
        let mut conn = store.pool().acquire().await.unwrap();
        for q in [
            "PRAGMA foreign_keys = OFF",
            "INSERT INTO provision_links (document_id, eid, node_id, kind, ord, source_id, confidence)
             VALUES ('law', 'art_404', 'plan-d2', 'implements', 90, 'src-law', 'verified'),
                    ('ghost', 'art_1', 'plan-d2', 'implements', 91, 'src-law', 'verified'),
                    ('ghost', 'art_1', 'plan-goal', 'supports', 92, 'src-law', 'verified'),
                    ('old-decree', 'art_404', 'plan-d1', 'supports', 93, 'src-law', 'verified')",
        ] {
            sqlx::query(q).execute(&mut *conn).await.unwrap();
        }
        drop(conn);
        let all = check_summaries(&store).await;
        let plan = all.iter().find(|m| m.framework == "plan").unwrap();
        assert!(
            plan.uncovered.contains(&"plan-d2".to_owned()),
            "{:?}",
            plan.uncovered
        );
        assert!(
            plan.unlinked_provisions
                .iter()
                .any(|p| p.document == "old-decree"),
            "{:?}",
            plan.unlinked_provisions
        );
        store.close().await;
    });
}

#[test]
fn summaries_fail_on_an_unknown_framework() {
    runtime().block_on(async {
        let (_dir, store) = store_of(Path::new(FIXTURES[1])).await;
        let err = store.coverage_summary("no-such-plan", 10, 10).await;
        assert!(
            err.as_ref()
                .is_err_and(|e| e.to_string().contains("no-such-plan")),
            "{err:?}"
        );
        store.close().await;
    });
}

/// Small documents in the generated catalog: more than the store lists at
/// once while walking a framework's documents (2,048).
const SMALL_DOCUMENTS: usize = 2_800;
/// Articles of the one large document: more provisions than one batch
/// (5,000).
const BIG_ARTICLES: usize = 5_300;
/// Articles of the large document linked twice (implements and supports)
/// to `fw-b-d1`: more links into one direction than one download batch
/// (5,000).
const BIG_LINKED: usize = 2_600;
const BIG: &str = "doc-01000-big";

/// The provisions of a small document, in file order: (eId, parent, kind).
const SMALL: &[(&str, Option<&str>, &str)] = &[
    ("chp_1", None, "chapter"),
    ("art_1", Some("chp_1"), "article"),
    ("art_1__para_1", Some("art_1"), "paragraph"),
    ("art_1__para_2", Some("art_1"), "paragraph"),
    ("art_2", Some("chp_1"), "article"),
    ("art_2__para_1", Some("art_2"), "paragraph"),
    ("art_3", None, "article"),
];

/// What the generator wrote, to compute the expected answers from.
#[derive(Default)]
struct Generated {
    /// Per document ID: provisions in file order as (eId, parent).
    provisions: BTreeMap<String, Vec<(String, Option<String>)>>,
    /// Per framework: (document, eId, node, link type), in no order.
    links: BTreeMap<&'static str, Vec<(String, String, String, &'static str)>>,
}

fn small_id(i: usize) -> String {
    format!("doc-{i:05}")
}

/// Writes the generated catalog into `dir` and returns what it holds.
fn generate(dir: &Path) -> Generated {
    let write = |rel: &str, text: &str| {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "sources.toml",
        "[[source]]\nid = \"src\"\nkind = \"official\"\ntitle = \"Generated\"\n",
    );
    // fw-a: five directions and a goal; fw-b: three directions, the third
    // only referenced, so never implemented; fw-c: linked from nothing.
    for (fw, directions) in [("fw-a", 5), ("fw-b", 3), ("fw-c", 1)] {
        let mut t = format!(
            "[framework]\nid = \"{fw}\"\ntitle = {{ en = \"Framework {fw}\" }}\nsource = \"src\"\n\n\
             [[node]]\nid = \"{fw}-goal\"\nkind = \"goal\"\ntitle = {{ en = \"Goal\" }}\nsource = \"src\"\n"
        );
        for d in 1..=directions {
            write!(
                t,
                "\n[[node]]\nid = \"{fw}-d{d}\"\nparent = \"{fw}-goal\"\nkind = \"direction\"\n\
                 number = \"{d}\"\ntitle = {{ en = \"Direction {d} of {fw}\" }}\nsource = \"src\"\n"
            )
            .unwrap();
        }
        write(&format!("frameworks/{fw}.toml"), &t);
    }

    let mut g = Generated::default();
    let document = |g: &mut Generated,
                    id: &str,
                    provisions: Vec<(String, Option<String>, &str)>,
                    links: Vec<(&'static str, String, String, &'static str)>| {
        let mut t = format!(
            "[document]\nid = \"{id}\"\nkind = \"law\"\nwork_id = \"/akn/kz/act/2020-01-01/{id}\"\n\
             title = {{ en = \"Generated {id}\" }}\njurisdiction = \"kz\"\nstatus = \"in_force\"\n\
             source = \"src\"\n"
        );
        for (eid, parent, kind) in &provisions {
            write!(t, "\n[[provision]]\neid = \"{eid}\"\nkind = \"{kind}\"\n").unwrap();
            if let Some(p) = parent {
                writeln!(t, "parent = \"{p}\"").unwrap();
            }
            let number = eid.rsplit('_').next().unwrap();
            writeln!(t, "number = \"{number}\"\nheading = \"Heading of {eid}\"").unwrap();
        }
        for (fw, eid, node, kind) in links {
            write!(
                t,
                "\n[[link]]\nprovision = \"{eid}\"\nnode = \"{node}\"\ntype = \"{kind}\"\nsource = \"src\"\n"
            )
            .unwrap();
            g.links
                .entry(fw)
                .or_default()
                .push((id.to_owned(), eid, node, kind));
        }
        g.provisions.insert(
            id.to_owned(),
            provisions.into_iter().map(|(e, p, _)| (e, p)).collect(),
        );
        write(&format!("documents/{id}.toml"), &t);
    };

    for i in 0..SMALL_DOCUMENTS {
        let provisions = SMALL
            .iter()
            .map(|(e, p, k)| (e.to_string(), p.map(str::to_owned), *k))
            .collect();
        let d = i % 5 + 1;
        let mut links = Vec::new();
        match i % 4 {
            // Serves with its chapter above and its paragraphs below.
            0 => links.push(("fw-a", "art_1".into(), format!("fw-a-d{d}"), "implements")),
            // A paragraph: its article and chapter serve, the sibling
            // article does not.
            1 => links.push((
                "fw-a",
                "art_2__para_1".into(),
                format!("fw-a-d{d}"),
                "supports",
            )),
            // A link to the goal: counted, but no row of the grid.
            2 => links.push(("fw-a", "art_3".into(), "fw-a-goal".into(), "references")),
            _ => {}
        }
        if i % 10 == 0 {
            links.push(("fw-a", "art_1".into(), format!("fw-a-d{d}"), "supports"));
        }
        if i % 3 == 0 {
            let d = (i / 3) % 2 + 1;
            links.push((
                "fw-b",
                "art_1__para_2".into(),
                format!("fw-b-d{d}"),
                "implements",
            ));
        }
        if i % 9 == 0 {
            links.push(("fw-b", "art_3".into(), "fw-b-d3".into(), "references"));
        }
        document(&mut g, &small_id(i), provisions, links);
    }

    let mut provisions = vec![("chp_1".to_owned(), None, "chapter")];
    let mut links = Vec::new();
    for k in 1..=BIG_ARTICLES {
        let eid = format!("art_{k}");
        provisions.push((eid.clone(), Some("chp_1".to_owned()), "article"));
        if k <= BIG_LINKED {
            links.push(("fw-b", eid.clone(), "fw-b-d1".into(), "implements"));
            links.push(("fw-b", eid, "fw-b-d1".into(), "supports"));
        }
    }
    document(&mut g, BIG, provisions, links);
    g
}

/// The provisions that serve nothing in `fw`, by the rule the store
/// applies (a provision serves when it, one above it or one below it is
/// linked to the framework), in document and file order.
fn expected_unlinked(g: &Generated, fw: &str) -> Vec<(String, String)> {
    let links = g.links.get(fw).map(Vec::as_slice).unwrap_or_default();
    let linked: BTreeSet<(&str, &str)> = links
        .iter()
        .map(|(d, e, _, _)| (d.as_str(), e.as_str()))
        .collect();
    let documents: BTreeSet<&str> = links.iter().map(|(d, ..)| d.as_str()).collect();
    let mut out = Vec::new();
    for doc in documents {
        let provisions = &g.provisions[doc];
        let parent: BTreeMap<&str, Option<&str>> = provisions
            .iter()
            .map(|(e, p)| (e.as_str(), p.as_deref()))
            .collect();
        let ancestors = |eid: &str| {
            let mut out = Vec::new();
            let mut cur = parent[eid];
            while let Some(p) = cur {
                out.push(p);
                cur = parent[p];
            }
            out
        };
        let mut served: BTreeSet<&str> = BTreeSet::new();
        for (eid, _) in provisions {
            if linked.contains(&(doc, eid.as_str())) {
                served.insert(eid);
                served.extend(ancestors(eid));
            }
        }
        for (eid, _) in provisions {
            let below_linked = ancestors(eid).iter().any(|a| linked.contains(&(doc, *a)));
            if !served.contains(eid.as_str()) && !below_linked {
                out.push((doc.to_owned(), eid.clone()));
            }
        }
    }
    out
}

/// A generated catalog, its store, and what the generator wrote.
async fn generated() -> (TempDir, Store, Generated) {
    let dir = tempfile::tempdir().unwrap();
    let catalog = dir.path().join("catalog");
    let g = generate(&catalog);
    let store = store_in(dir.path(), &catalog).await;
    (dir, store, g)
}

#[test]
fn summaries_agree_with_the_full_matrix_on_a_catalog_larger_than_a_batch() {
    runtime().block_on(async {
        let (_dir, store, g) = generated().await;
        let all = check_summaries(&store).await;
        let ids: Vec<&str> = all.iter().map(|m| m.framework.as_str()).collect();
        assert_eq!(ids, ["fw-a", "fw-b", "fw-c"]);
        for m in &all {
            let fw = m.framework.as_str();
            let got: Vec<(String, String)> = m
                .unlinked_provisions
                .iter()
                .map(|p| (p.document.clone(), p.provision.clone()))
                .collect();
            let want = expected_unlinked(&g, fw);
            assert_eq!(got.len(), want.len(), "{fw}: how many serve nothing");
            assert_eq!(got, want, "{fw}: the provisions that serve nothing");
            let links = g.links.get(fw).map(Vec::as_slice).unwrap_or_default();
            assert_eq!(m.counts.links, links.len(), "{fw}");
            let provisions: BTreeSet<(&str, &str)> = links
                .iter()
                .map(|(d, e, _, _)| (d.as_str(), e.as_str()))
                .collect();
            assert_eq!(m.counts.linked_provisions, provisions.len(), "{fw}");
        }
        // The sizes the catalog was generated for.
        let (a, b) = (&all[0], &all[1]);
        let linked_a = (0..SMALL_DOCUMENTS).filter(|i| i % 4 != 3).count();
        assert!(linked_a > 2048, "fw-a is linked from more than one listing");
        assert!(grid_rows(a) <= 2000, "the site shows the grid of fw-a");
        assert!(grid_rows(b) > 2000, "the site omits the grid of fw-b");
        assert!(a.counts.unlinked_provisions > 200);
        assert_eq!(b.uncovered, ["fw-b-d3"]);
        assert!(b.directions[0].links.len() > 5000);
        store.close().await;
    });
}

#[test]
fn direction_links_page_through_without_gaps_or_repeats() {
    runtime().block_on(async {
        let (_dir, store, _) = generated().await;
        let all = store.coverage(None).await.unwrap();
        for m in &all {
            for d in &m.directions {
                for limit in [1, 2, 3, 7, 1000, 2599, 5000, 100_000] {
                    if limit < 1000 && d.links.len() > 1000 {
                        continue; // a query per few links: the small directions cover it
                    }
                    let mut got = Vec::new();
                    let mut after = None;
                    let most = d.links.len() / limit as usize + 1;
                    for batches in 1.. {
                        // A cursor that does not move would loop forever.
                        assert!(batches <= most, "{}: more than {most} batches", d.direction);
                        let batch = store
                            .coverage_links(&d.direction, after.as_ref(), limit)
                            .await
                            .unwrap();
                        assert!(batch.len() as i64 <= limit);
                        let full = batch.len() as i64 == limit;
                        got.extend(batch.iter().cloned());
                        after = batch.last().cloned();
                        if !full {
                            break;
                        }
                    }
                    assert_eq!(got, d.links, "{} in batches of {limit}", d.direction);
                }
            }
        }
        store.close().await;
    });
}

/// The matrix download as the site rendered it from the full matrices
/// before it streamed it: CSV with the header from the first record, and
/// pretty-printed JSON.
fn rendered_download(matrices: &[CoverageMatrix]) -> (Vec<u8>, Vec<u8>) {
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
    let mut recs = Vec::new();
    for m in matrices {
        for d in &m.directions {
            let base = Rec {
                framework: &m.framework,
                direction: &d.direction,
                direction_number: d.number.as_deref(),
                implemented: d.implemented,
                document: None,
                provision: None,
                provision_number: None,
                link: None,
            };
            if d.links.is_empty() {
                recs.push(base);
            }
            for l in &d.links {
                recs.push(Rec {
                    document: Some(&l.document),
                    provision: Some(&l.provision),
                    provision_number: l.number.as_deref(),
                    link: Some(&l.link),
                    ..base
                });
            }
        }
    }
    let mut c = csv::Writer::from_writer(Vec::new());
    if recs.is_empty() {
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
        .unwrap();
    }
    for r in &recs {
        c.serialize(r).unwrap();
    }
    let mut json = serde_json::to_vec_pretty(&recs).unwrap();
    json.push(b'\n');
    (c.into_inner().unwrap(), json)
}

/// Builds the site of `store` into a new folder under `dir`.
async fn build_site(store: &Store, dir: &Path) -> PathBuf {
    let out = dir.join("site");
    let options = lextrack::site::Options {
        out: out.clone(),
        lang: lextrack::catalog::model::Lang::En,
        base_url: None,
        force: false,
        today: chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap(),
    };
    lextrack::site::build(store, &options, &ProgressBar::hidden())
        .await
        .expect("the site builds");
    out
}

fn assert_download(site: &Path, matrices: &[CoverageMatrix]) {
    let (csv, json) = rendered_download(matrices);
    let got_csv = std::fs::read(site.join("data/matrix.csv")).unwrap();
    let got_json = std::fs::read(site.join("data/matrix.json")).unwrap();
    assert!(
        got_csv == csv,
        "data/matrix.csv differs:\n{}",
        first_difference(&got_csv, &csv)
    );
    assert!(
        got_json == json,
        "data/matrix.json differs:\n{}",
        first_difference(&got_json, &json)
    );
}

/// Where two texts part, for a readable failure.
fn first_difference(got: &[u8], want: &[u8]) -> String {
    let at = got
        .iter()
        .zip(want)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let show = |t: &[u8]| {
        String::from_utf8_lossy(&t[at.saturating_sub(80)..(at + 80).min(t.len())]).into_owned()
    };
    format!(
        "at byte {at} (lengths {} and {}):\n got: {}\nwant: {}",
        got.len(),
        want.len(),
        show(got),
        show(want)
    )
}

#[test]
fn the_streamed_matrix_download_has_the_bytes_of_the_full_matrices() {
    runtime().block_on(async {
        for fixture in FIXTURES {
            let (dir, store) = store_of(Path::new(fixture)).await;
            let matrices = store.coverage(None).await.unwrap();
            let site = build_site(&store, dir.path()).await;
            assert_download(&site, &matrices);
            store.close().await;
        }
        // An empty store: no frameworks, only the header and `[]`.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store.db")).await.unwrap();
        let site = build_site(&store, dir.path()).await;
        assert_download(&site, &[]);
        assert_eq!(
            std::fs::read_to_string(site.join("data/matrix.json")).unwrap(),
            "[]\n"
        );
        store.close().await;
    });
}

#[test]
fn the_site_shows_what_the_summaries_keep_on_a_large_catalog() {
    runtime().block_on(async {
        let (dir, store, _) = generated().await;
        let matrices = store.coverage(None).await.unwrap();
        let site = build_site(&store, dir.path()).await;
        // Larger than a download batch: the links of fw-b-d1 come in two.
        assert_download(&site, &matrices);

        let page = std::fs::read_to_string(site.join("matrix.html")).unwrap();
        let sections: Vec<&str> = page
            .split("<section aria-labelledby=\"fw-")
            .skip(1)
            .collect();
        assert_eq!(sections.len(), matrices.len());
        for (section, m) in sections.iter().zip(&matrices) {
            assert!(section.starts_with(&m.framework), "{}", m.framework);
            let rows = section.matches("<tr><th scope=\"row\">").count();
            let omitted = section.contains("The grid is too large for one page");
            if grid_rows(m) > 2000 {
                assert!(omitted && rows == 0, "{}: grid omitted", m.framework);
            } else {
                assert!(!omitted, "{}: grid shown", m.framework);
                assert_eq!(rows, grid_rows(m), "{}: grid rows", m.framework);
            }
            let unlinked = m.counts.unlinked_provisions;
            let tail = section
                .split("<h3>Provisions that serve nothing here</h3>")
                .nth(1)
                .unwrap();
            assert_eq!(
                tail.matches("<li>").count(),
                unlinked.min(200),
                "{}",
                m.framework
            );
            if unlinked > 200 {
                assert!(
                    tail.contains(&format!("… and {} more", unlinked - 200)),
                    "{}",
                    m.framework
                );
            }
        }
        store.close().await;
    });
}
