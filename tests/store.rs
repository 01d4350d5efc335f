//! The store through the library API: how it is opened, and what an import
//! reports. The CLI tests cover the same ground as users meet it.

use std::path::PathBuf;

use indicatif::ProgressBar;
use lextrack::catalog::Catalog;
use lextrack::store::{Store, TABLES};

fn mini() -> Catalog {
    Catalog::read(&[PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/mini"
    ))])
    .expect("the mini catalog reads")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn opening_applies_the_schema_with_safe_settings() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.db")).await.unwrap();
        let counts = store.counts().await.unwrap();
        assert_eq!(counts.len(), TABLES.len());
        assert!(counts.iter().all(|(_, n)| *n == 0));
        let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(fk, 1, "foreign keys are enforced");
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(mode, "wal");
        let timeout: i64 = sqlx::query_scalar("PRAGMA busy_timeout")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert!(timeout >= 1000, "a busy timeout is set: {timeout}");
    });
}

/// The report reads on several connections at once. SQLite built with
/// SQLITE_ENABLE_MEMORY_MANAGEMENT (libsqlite3-sys's default) gives them one
/// shared page cache, in which a second connection ran almost uncached
/// (see docs/performance.md); .cargo/config.toml builds it without.
#[test]
fn each_connection_keeps_a_page_cache_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.db")).await.unwrap();
        let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options")
            .fetch_all(store.pool())
            .await
            .unwrap();
        assert!(
            options.iter().any(|o| o.starts_with("THREADSAFE=")),
            "the compile options were read: {options:?}"
        );
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "SQLite shares one page cache among connections: build with \
             .cargo/config.toml's LIBSQLITE3_FLAGS ({options:?})"
        );
    });
}

#[test]
fn reopening_keeps_the_data_and_runs_no_migration_twice() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("s.db");
    runtime().block_on(async {
        let store = Store::open(&path).await.unwrap();
        store
            .import(&mini(), false, None, &ProgressBar::hidden())
            .await
            .unwrap();
        let before = store.counts().await.unwrap();
        store.close().await;
        let store = Store::open(&path).await.unwrap();
        assert_eq!(store.counts().await.unwrap(), before);
    });
}

#[test]
fn import_reports_additions_then_nothing() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.db")).await.unwrap();
        let first = store
            .import(&mini(), false, None, &ProgressBar::hidden())
            .await
            .unwrap();
        assert!(!first.is_unchanged());
        let provisions = first
            .changes
            .iter()
            .find(|c| c.table == "provisions")
            .unwrap();
        assert_eq!((provisions.added, provisions.changed), (4, 0));
        let events = first
            .changes
            .iter()
            .find(|c| c.table == "agreement_events")
            .unwrap();
        assert_eq!(events.added, 3);
        let second = store
            .import(&mini(), false, None, &ProgressBar::hidden())
            .await
            .unwrap();
        assert!(second.is_unchanged(), "{:?}", second.changes);
    });
}

#[test]
fn a_dry_run_reports_but_leaves_the_store_empty() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.db")).await.unwrap();
        let report = store
            .import(&mini(), true, None, &ProgressBar::hidden())
            .await
            .unwrap();
        assert!(report.dry_run);
        assert!(report.changes.iter().any(|c| c.added > 0));
        assert!(store.counts().await.unwrap().iter().all(|(_, n)| *n == 0));
    });
}

#[test]
fn partial_dates_keep_their_precision_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    runtime().block_on(async {
        let store = Store::open(&dir.path().join("s.db")).await.unwrap();
        store
            .import(&mini(), false, None, &ProgressBar::hidden())
            .await
            .unwrap();
        let row: (String, String, String, String) = sqlx::query_as(
            "SELECT date, precision, date_min, date_max FROM agreement_events
             WHERE document_id = 'fta-vn' AND stage = 'in_force'",
        )
        .fetch_one(store.pool())
        .await
        .unwrap();
        assert_eq!(
            row,
            (
                "2016-10".into(),
                "month".into(),
                "2016-10-01".into(),
                "2016-10-31".into()
            )
        );
    });
}
