//! `Store::check_summary` against the full report of `Store::check`: the
//! same groups in the same order, the same counts and the same first
//! findings, on the fixture catalogs (as they are, and with planted faults)
//! and on a generated catalog large enough to be checked in several
//! batches, whose gaps are known by construction.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use indicatif::ProgressBar;
use lextrack::catalog::Catalog;
use lextrack::store::{Finding, FindingGroup, Severity, Store};
use tempfile::TempDir;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A new store in `dir` holding `catalog`.
async fn store_with(dir: &TempDir, catalog: &Catalog) -> Store {
    let store = Store::open(&dir.path().join("s.db")).await.unwrap();
    store
        .import(catalog, false, None, &ProgressBar::hidden())
        .await
        .unwrap();
    store
}

/// What `check_summary` must say, worked out from `check`'s sorted report.
fn grouped(findings: &[Finding], shown: usize) -> Vec<FindingGroup> {
    let mut groups: Vec<FindingGroup> = Vec::new();
    for f in findings {
        match groups.last_mut() {
            Some(g) if g.severity == f.severity && g.code == f.code => {
                g.count += 1;
                if g.first.len() < shown {
                    g.first.push(f.clone());
                }
            }
            _ => groups.push(FindingGroup {
                severity: f.severity,
                code: f.code,
                count: 1,
                first: if shown > 0 { vec![f.clone()] } else { vec![] },
            }),
        }
    }
    groups
}

/// Checks that the summary agrees with the full report for a few sizes of
/// `shown`, and returns the full report.
async fn assert_summary_agrees(store: &Store) -> Vec<Finding> {
    let all = store.check(today()).await.unwrap();
    assert!(all.is_sorted(), "check sorts its report");
    for shown in [0, 1, 10] {
        let summary = store.check_summary(today(), shown).await.unwrap();
        assert_eq!(summary, grouped(&all, shown), "shown = {shown}");
    }
    all
}

#[test]
fn summary_agrees_with_the_report_on_the_fixture_catalogs() {
    let catalogs = [
        ("mini", Catalog::read(&[fixture("mini")]).unwrap()),
        (
            "queries",
            Catalog::read(&[fixture("queries/basic")]).unwrap(),
        ),
        ("site", Catalog::read(&[fixture("site/catalog")]).unwrap()),
        ("bundled", Catalog::bundled().unwrap()),
    ];
    runtime().block_on(async {
        let mut seen = 0;
        for (name, catalog) in &catalogs {
            let dir = tempfile::tempdir().unwrap();
            let store = store_with(&dir, catalog).await;
            let all = assert_summary_agrees(&store).await;
            assert!(!all.is_empty(), "{name}: the fixture has known gaps");
            seen += all.len();
            store.close().await;
        }
        assert!(seen >= 10, "only {seen} findings in all");
    });
}

/// Faults of many kinds, several of each, so that groups of errors and
/// warnings both hold more than one finding and `first` has to choose.
#[test]
fn summary_agrees_with_the_report_on_planted_faults() {
    let catalog = Catalog::read(&[fixture("site/catalog")]).unwrap();
    runtime().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with(&dir, &catalog).await;
        let mut conn = store.pool().acquire().await.unwrap();
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await
            .unwrap();
        for sql in [
            "UPDATE sources SET published = '2099'",
            "UPDATE obligations SET agency_id = 'ghost'",
            "DELETE FROM provision_links WHERE rowid % 2 = 0",
        ] {
            sqlx::query(sql).execute(&mut *conn).await.unwrap();
        }
        drop(conn);

        let all = assert_summary_agrees(&store).await;
        let groups = grouped(&all, 1);
        assert!(
            groups.iter().any(|g| g.severity == Severity::Error),
            "{groups:#?}"
        );
        assert!(
            groups.iter().any(|g| g.severity == Severity::Warning),
            "{groups:#?}"
        );
        for code in [
            "future_date",
            "obligation_without_agency",
            "broken_reference",
        ] {
            let g = groups.iter().find(|g| g.code == code);
            assert!(g.is_some_and(|g| g.count > 1), "{code}: {groups:#?}");
        }
        store.close().await;
    });
}

/// Documents of the generated catalog, by what the check should find.
enum Shape {
    /// Nothing linked: one `unlinked_document`.
    Bare,
    /// `art_1` linked: `art_2`, its paragraph and `art_3` serve nothing.
    FirstLinked,
    /// `art_2__para_1` linked, which covers `art_2` above it.
    ParagraphLinked,
}

fn shape(i: usize) -> Shape {
    if i % 7 == 0 {
        Shape::Bare
    } else if i % 5 == 0 {
        Shape::ParagraphLinked
    } else {
        Shape::FirstLinked
    }
}

const DOCUMENTS: usize = 2100;
/// More than one batch's budget of provisions in one document.
const BIG: usize = 5001;

fn document_head(id: &str) -> String {
    format!(
        "[document]\nid = \"{id}\"\nkind = \"decree\"\nwork_id = \"/akn/kz/act/2020/{id}\"\n\
         title = {{ en = \"Document {id}\" }}\njurisdiction = \"kz\"\nstatus = \"in_force\"\n\
         source = \"src\"\n"
    )
}

fn provision(out: &mut String, eid: &str) {
    write!(
        out,
        "\n[[provision]]\neid = \"{eid}\"\nkind = \"article\"\n"
    )
    .unwrap();
}

fn link(out: &mut String, eid: &str) {
    write!(
        out,
        "\n[[link]]\nprovision = \"{eid}\"\nnode = \"plan-d1\"\ntype = \"implements\"\nsource = \"src\"\n"
    )
    .unwrap();
}

/// Writes the catalog into `dir` and returns the subjects of the findings
/// `check` must report: (unlinked documents, unlinked provisions).
fn write_catalog(dir: &Path) -> (BTreeSet<String>, BTreeSet<String>) {
    fs::create_dir_all(dir.join("documents")).unwrap();
    fs::write(
        dir.join("sources.toml"),
        "[[source]]\nid = \"src\"\nkind = \"legal_text\"\ntitle = \"Generated\"\n",
    )
    .unwrap();
    fs::write(
        dir.join("plan.toml"),
        "[framework]\nid = \"plan\"\ntitle = { en = \"Plan\" }\nsource = \"src\"\n\n\
         [[node]]\nid = \"plan-d1\"\nkind = \"direction\"\ntitle = { en = \"Direction\" }\nsource = \"src\"\n",
    )
    .unwrap();
    let mut bare = BTreeSet::new();
    let mut unlinked = BTreeSet::new();
    for i in 0..DOCUMENTS {
        let id = format!("doc-{i:05}");
        let mut text = document_head(&id);
        for eid in ["art_1", "art_2", "art_2__para_1", "art_3"] {
            provision(&mut text, eid);
        }
        let gaps: &[&str] = match shape(i) {
            Shape::Bare => {
                bare.insert(format!("document {id}"));
                &[]
            }
            Shape::FirstLinked => {
                link(&mut text, "art_1");
                &["art_2", "art_2__para_1", "art_3"]
            }
            Shape::ParagraphLinked => {
                link(&mut text, "art_2__para_1");
                &["art_1", "art_3"]
            }
        };
        unlinked.extend(gaps.iter().map(|eid| format!("provision {id}#{eid}")));
        fs::write(dir.join(format!("documents/{id}.toml")), text).unwrap();
    }
    // One document larger than a batch, read alone; one with no provisions,
    // which has nothing to report.
    let mut text = document_head("doc-big");
    for n in 1..=BIG {
        provision(&mut text, &format!("art_{n}"));
    }
    link(&mut text, "art_1");
    unlinked.extend((2..=BIG).map(|n| format!("provision doc-big#art_{n}")));
    fs::write(dir.join("documents/doc-big.toml"), text).unwrap();
    fs::write(
        dir.join("documents/doc-empty.toml"),
        document_head("doc-empty"),
    )
    .unwrap();
    (bare, unlinked)
}

#[test]
fn summary_and_report_agree_across_many_batches() {
    let cat = tempfile::tempdir().unwrap();
    let (bare, unlinked) = write_catalog(cat.path());
    let catalog = Catalog::read(&[cat.path().to_path_buf()]).unwrap();
    runtime().block_on(async {
        let dir = tempfile::tempdir().unwrap();
        let store = store_with(&dir, &catalog).await;
        let all = assert_summary_agrees(&store).await;

        let subjects = |code: &str| -> BTreeSet<String> {
            all.iter()
                .filter(|f| f.code == code)
                .map(|f| f.subject.clone())
                .collect()
        };
        assert_eq!(subjects("unlinked_document"), bare);
        assert_eq!(subjects("unlinked_provision"), unlinked);
        assert_eq!(all.len(), bare.len() + unlinked.len(), "nothing else found");
        assert!(
            all.iter()
                .filter(|f| f.code == "unlinked_document")
                .all(|f| f.message
                    == "none of its 4 provisions serves a direction or carries an obligation"),
            "counts per document"
        );

        let summary = store.check_summary(today(), 10).await.unwrap();
        let counts: Vec<(&str, usize)> = summary.iter().map(|g| (g.code, g.count)).collect();
        assert_eq!(
            counts,
            [
                ("unlinked_document", bare.len()),
                ("unlinked_provision", unlinked.len())
            ]
        );
        let first: Vec<&str> = summary[1]
            .first
            .iter()
            .map(|f| f.subject.as_str())
            .collect();
        let expected: Vec<&str> = unlinked.iter().take(10).map(String::as_str).collect();
        assert_eq!(first, expected);
        store.close().await;
    });
}
