//! The report's one-pass reads against the per-item queries they replace,
//! on the bundled catalog and the fixtures:
//! `Store::own_obligations_by_agency` against `Store::obligations` asked
//! agency by agency (for an agency with no predecessors the two must give
//! the same rows in the same order), and `Store::site_links_by_direction`
//! against `Store::site_linked_provisions` asked direction by direction.

use std::path::Path;

use chrono::NaiveDate;
use indicatif::ProgressBar;
use lextrack::catalog::Catalog;
use lextrack::queries::ObligationQuery;
use lextrack::store::Store;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Runs `check` on a store of each catalog compared: the bundled one and
/// the fixtures.
fn for_each_store(check: impl AsyncFn(&Store)) {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let catalogs = [
        Catalog::bundled().unwrap(),
        Catalog::read(&[fixtures.join("site/catalog")]).unwrap(),
        Catalog::read(&[fixtures.join("queries/basic")]).unwrap(),
    ];
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    for catalog in &catalogs {
        let dir = tempfile::tempdir().unwrap();
        runtime.block_on(async {
            let store = Store::open(&dir.path().join("s.db")).await.unwrap();
            store
                .import(catalog, false, None, &ProgressBar::hidden())
                .await
                .unwrap();
            check(&store).await;
            store.close().await;
        });
    }
}

#[test]
fn one_pass_gives_each_agency_its_own_obligations() {
    for_each_store(async |store: &Store| {
        let mut ids: Vec<String> = sqlx::query_scalar("SELECT id FROM agencies ORDER BY id")
            .fetch_all(store.pool())
            .await
            .unwrap();
        ids.sort();
        let successors: Vec<String> =
            sqlx::query_scalar("SELECT DISTINCT to_id FROM agency_successions")
                .fetch_all(store.pool())
                .await
                .unwrap();
        let mut pass = store.own_obligations_by_agency(today());
        let mut seen = 0;
        for id in &ids {
            let own = pass.of(id).await.unwrap();
            seen += own.len();
            if successors.contains(id) {
                // Its page asks for it on its own; the pass lists only
                // the obligations that name it.
                assert!(own.iter().all(|o| &o.agency == id), "{id}");
                continue;
            }
            let mut q = ObligationQuery::new(today());
            q.agency = Some(id.clone());
            let asked = store.obligations(&q).await.unwrap();
            assert_eq!(own, asked, "obligations of {id}");
        }
        let total: i64 = sqlx::query_scalar("SELECT count(*) FROM obligations")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(seen as i64, total, "every obligation in the pass, once");
        assert!(total > 0, "the catalog has obligations to compare");
    });
}

/// `Store::site_links_by_direction` (the report's one pass over all links)
/// against `Store::site_linked_provisions` asked direction by direction:
/// the same provisions in the same order for every direction.
#[test]
fn one_pass_gives_each_direction_its_linked_provisions() {
    for_each_store(async |store: &Store| {
        let ids = store.site_ids("directions").await.unwrap();
        let mut pass = store.site_links_by_direction();
        let mut seen = 0;
        for id in &ids {
            let from_pass = pass.of(id).await.unwrap();
            let asked = store.site_linked_provisions(id).await.unwrap();
            assert_eq!(from_pass, asked, "links of {id}");
            seen += from_pass.len();
        }
        assert!(seen > 0, "the catalog has links to directions to compare");
    });
}
