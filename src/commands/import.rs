//! `lextrack import`: validate files, then write them all or nothing.

use std::path::PathBuf;

use super::{open_store, progress_bar, stdout_line};
use crate::catalog::Catalog;
use crate::cli::Global;
use crate::error::{ExitCode, Result};

pub async fn run(global: &Global, paths: &[PathBuf], dry_run: bool) -> Result<ExitCode> {
    let catalog = Catalog::read(paths)?;
    let store = open_store(global).await?;
    let report = store
        .import(&catalog, dry_run, &progress_bar("importing"))
        .await?;
    store.close().await;

    let mut out = std::io::stdout().lock();
    let verb = if dry_run { "would change" } else { "changed" };
    if report.is_unchanged() {
        stdout_line(
            &mut out,
            format_args!(
                "{} files, {} records: nothing {}",
                report.files,
                report.records,
                if dry_run { "would change" } else { "changed" }
            ),
        )?;
    } else {
        stdout_line(
            &mut out,
            format_args!(
                "{} files, {} records; {verb}:",
                report.files, report.records
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
