//! `lextrack import`: validate files, then write them all or nothing.

use std::path::PathBuf;

use super::{create_store, no_store_at, progress_bar, stdout_line, with_store};
use crate::catalog::Catalog;
use crate::cli::Global;
use crate::error::{Error, ExitCode, Result};
use crate::output::count;
use crate::store::{ImportReport, Store};

/// A dry run of `catalog` against a new store at `scratch`, made from the
/// bundled catalog.
async fn dry_run_on(
    scratch: &std::path::Path,
    catalog: &Catalog,
    today: chrono::NaiveDate,
) -> Result<ImportReport> {
    let store = create_store(scratch, true).await?;
    let report = store
        .import(catalog, true, Some(today), &progress_bar("importing"))
        .await;
    store.close().await;
    report
}

pub async fn run(global: &Global, paths: &[PathBuf], dry_run: bool) -> Result<ExitCode> {
    let catalog = Catalog::read(paths)?;
    let absent = no_store_at(&global.db);
    let report = if let Some(absent) = absent.as_deref().filter(|_| dry_run) {
        // A real import would first create the store from the bundled
        // catalog; a dry run compares with such a store made in the
        // temporary folder, and leaves nothing where `--db` points.
        eprintln!(
            "note: {absent}; comparing with a new one from the bundled catalog (nothing is written)"
        );
        let scratch =
            std::env::temp_dir().join(format!("lextrack-dry-run-{}.db", std::process::id()));
        Store::remove(&scratch)?;
        let result = dry_run_on(&scratch, &catalog, global.today()).await;
        Store::remove(&scratch)?;
        result?
    } else {
        let was_empty_file = global.db.is_file() && absent.is_some();
        let result = with_store(global, async |store| {
            store
                .import(
                    &catalog,
                    dry_run,
                    Some(global.today()),
                    &progress_bar("importing"),
                )
                .await
        })
        .await;
        if result.is_err() && absent.is_some() && global.db.exists() {
            // The store was made for this import from the bundled catalog;
            // a refused import leaves nothing behind, as it says (an empty
            // file it was made in is left empty).
            Store::remove(&global.db)?;
            if was_empty_file {
                std::fs::write(&global.db, b"")
                    .map_err(|e| Error::io("empty again", &global.db, e))?;
            }
            eprintln!(
                "note: the store made for this import at `{}` was removed",
                global.db.display()
            );
        }
        result?
    };

    let mut out = std::io::stdout().lock();
    let verb = if dry_run { "would change" } else { "changed" };
    if report.is_unchanged() {
        stdout_line(
            &mut out,
            format_args!(
                "{}, {}: nothing {}",
                count(report.files as u64, "file", "files"),
                count(report.records, "record", "records"),
                if dry_run { "would change" } else { "changed" }
            ),
        )?;
    } else {
        stdout_line(
            &mut out,
            format_args!(
                "{}, {}; {verb}:",
                count(report.files as u64, "file", "files"),
                count(report.records, "record", "records")
            ),
        )?;
        for c in report
            .changes
            .iter()
            .filter(|c| c.added + c.changed + c.removed > 0)
        {
            stdout_line(
                &mut out,
                format_args!(
                    "  {:<20} {:>8} added {:>8} changed {:>8} removed",
                    c.table, c.added, c.changed, c.removed
                ),
            )?;
        }
    }
    if report.log_kept {
        eprintln!(
            "note: the store's write-ahead log (`{}-wal`) could not be folded into it \
             (another process may be reading the store); it stays beside it until a \
             later import or report folds it in",
            global.db.display()
        );
    }
    Ok(ExitCode::Ok)
}
