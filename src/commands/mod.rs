//! One function per command: each takes parsed arguments, talks to the
//! store, and writes its output. Data goes to stdout, notes and progress to
//! stderr.

pub mod agreements;
mod check;
mod export;
mod import;
mod init;
pub mod obligations;
pub mod partners;
pub mod record;
pub mod report;
pub mod search;
pub mod show;
pub mod trace;

use std::io::Write;
use std::path::Path;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::catalog::Catalog;
use crate::cli::{Cli, Command, Global};
use crate::error::{Error, ExitCode, Result};
use crate::store::Store;

pub async fn run(cli: Cli) -> Result<ExitCode> {
    let Cli { global, command } = cli;
    match command {
        Command::Init { empty, force } => init::run(&global, empty, force).await,
        Command::Import { paths, dry_run } => import::run(&global, &paths, dry_run).await,
        Command::Export { format, out, force } => export::run(&global, format, &out, force).await,
        Command::Check { format } => check::run(&global, format).await,
        Command::Obligations(args) => obligations::run(&global, args).await,
        Command::Agreements(args) => agreements::run(&global, args).await,
        Command::Partners(args) => partners::run(&global, args).await,
        Command::Trace(args) => trace::run(&global, args).await,
        Command::Search(args) => search::run(&global, args).await,
        Command::Show(args) => show::run(&global, args).await,
        Command::Record(args) => record::run(&global, args).await,
        Command::Report(args) => report::run(&global, args).await,
        Command::Schema => {
            let schema = schemars::schema_for!(crate::catalog::model::CatalogFile);
            let text = serde_json::to_string_pretty(&schema).map_err(|e| Error::Encode {
                what: "the JSON Schema".into(),
                source: Box::new(e),
            })?;
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}").map_err(|e| Error::io("write to", "stdout", e))?;
            Ok(ExitCode::Ok)
        }
    }
}

/// Opens the store for a command that reads it. A store that does not
/// exist yet is created from the bundled catalog, and the user is told.
async fn open_store(global: &Global) -> Result<Store> {
    check_db_path(&global.db)?;
    if let Some(absent) = no_store_at(&global.db) {
        eprintln!("note: {absent}; creating it from the bundled catalog");
        return create_store(&global.db, true).await;
    }
    Store::open(&global.db).await
}

/// Refuses a `--db` that names a folder, or a file in a folder that does
/// not exist (exit 2), before SQLite tries to open it and fails with a
/// bare "disk I/O error" or "unable to open database file".
pub fn check_db_path(db: &Path) -> Result<()> {
    if db.is_dir() {
        return Err(Error::Usage(format!(
            "`{}` is a folder; --db names the store's file",
            db.display()
        )));
    }
    if let Some(folder) = db.parent().filter(|p| !p.as_os_str().is_empty())
        && !folder.is_dir()
    {
        return Err(Error::Usage(format!(
            "the folder `{}` of --db `{}` does not exist; create it first",
            folder.display(),
            db.display()
        )));
    }
    Ok(())
}

/// Why there is no store at `path`, said for a note on stderr; `None`
/// when something is there (a store, or what opening it will refuse).
///
/// An empty file counts as no store: it is what `touch` or `mktemp` leave,
/// it holds nothing to keep or to refuse, and SQLite would otherwise take
/// it for an empty database and the command would silently get a store
/// with no records instead of the bundled catalog a missing one gets.
pub fn no_store_at(path: &Path) -> Option<String> {
    match std::fs::metadata(path) {
        Err(_) => Some(format!("no store at `{}`", path.display())),
        Ok(meta) if meta.is_file() && meta.len() == 0 => Some(format!(
            "`{}` is an empty file, not yet a store",
            path.display()
        )),
        Ok(_) => None,
    }
}

/// Runs `work` on the store for `global` (created from the bundled catalog
/// when missing), then closes the store whatever `work` returned: a
/// command that fails still leaves the store as one file, without its
/// write-ahead log beside it.
pub async fn with_store<T>(
    global: &Global,
    work: impl AsyncFnOnce(&Store) -> Result<T>,
) -> Result<T> {
    let store = open_store(global).await?;
    let result = work(&store).await;
    store.close().await;
    result
}

/// Creates a store at `path`, with the bundled catalog unless `empty`.
pub async fn create_store(path: &Path, with_bundled: bool) -> Result<Store> {
    let store = Store::open(path).await?;
    if with_bundled {
        let catalog = Catalog::bundled()?;
        // Its dates are not held against `--today`: a store made to look
        // back (`--today 2020-01-01 obligations`) still holds the whole
        // catalog. The bundled catalog has nothing after the day it was
        // written (a test checks it against the system date).
        store
            .import(&catalog, false, None, &progress_bar("loading"))
            .await?;
    }
    Ok(store)
}

/// Refuses an `--out` folder that is a file, or lies under one, before
/// anything is read or written.
pub fn refuse_out_under_a_file(out: &Path, to_do: &str) -> Result<()> {
    if let Some(file) = out.ancestors().find(|p| p.exists()).filter(|p| !p.is_dir()) {
        return Err(Error::Usage(format!(
            "`{}` is a file; --out names the folder to {to_do}",
            file.display()
        )));
    }
    Ok(())
}

/// A progress bar on stderr, drawn only when stderr is a terminal.
pub fn progress_bar(verb: &str) -> ProgressBar {
    if !crate::cli::stderr_is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:40} {pos}/{len} records")
            .expect("the template is valid"),
    );
    bar.set_message(verb.to_owned());
    bar
}

/// Writes to stdout; a closed pipe becomes a quiet stop, not a panic.
pub fn stdout_line(out: &mut impl Write, line: impl std::fmt::Display) -> Result<()> {
    writeln!(out, "{line}").map_err(|e| Error::io("write to", "stdout", e))
}
