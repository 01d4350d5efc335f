//! `lextrack init`: create the store, with the bundled catalog unless
//! `--empty`. An existing store is replaced only with `--force`, and only
//! once the new one is complete: it is built under a temporary name beside
//! the target and renamed into place, so a failed init changes nothing.

use std::path::PathBuf;

use super::create_store;
use crate::cli::Global;
use crate::error::{Error, ExitCode, Result};
use crate::store::Store;

pub async fn run(global: &Global, empty: bool, force: bool) -> Result<ExitCode> {
    let path = &global.db;
    super::check_db_path(path)?;
    // An empty file is no store (see `no_store_at`): made into one
    // without --force, as where there is nothing.
    let existing = super::no_store_at(path).is_none();
    if existing && !force {
        return Err(Error::Usage(format!(
            "a store already exists at `{}`; pass --force to replace it",
            path.display()
        )));
    }
    if existing {
        // --force replaces a store, never another program's database or a
        // file that is not a database at all.
        match crate::store::refuse_a_foreign_database(path).await {
            // SQLite could not read it as a database.
            Err(Error::Db { .. }) => {
                return Err(Error::NotADatabase {
                    path: path.to_path_buf(),
                });
            }
            other => other?,
        }
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".init-tmp");
    let tmp = PathBuf::from(tmp);
    Store::remove(&tmp)?;
    let total = match build(&tmp, empty).await {
        Ok(total) => total,
        Err(e) => {
            Store::remove(&tmp)?;
            return Err(e);
        }
    };
    Store::remove(path)?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io("move the new store to", path, e))?;
    // The temporary's WAL and index were emptied by the checkpoint.
    Store::remove(&tmp)?;
    eprintln!(
        "created `{}` {} ({total} records)",
        path.display(),
        if empty {
            "empty"
        } else {
            "from the bundled catalog"
        }
    );
    Ok(ExitCode::Ok)
}

/// Builds a complete store at `path` and closes it, which folds the WAL
/// back into the one file that is then renamed.
async fn build(path: &std::path::Path, empty: bool) -> Result<i64> {
    let store = create_store(path, !empty).await?;
    let total = store.counts().await?.iter().map(|(_, n)| n).sum();
    store.checkpoint().await?;
    store.close().await;
    Ok(total)
}
