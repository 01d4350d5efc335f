//! `lextrack init`: create the store, with the bundled catalog unless
//! `--empty`. An existing store is replaced only with `--force`.

use super::create_store;
use crate::cli::Global;
use crate::error::{Error, ExitCode, Result};
use crate::store::Store;

pub async fn run(global: &Global, empty: bool, force: bool) -> Result<ExitCode> {
    let path = &global.db;
    if path.exists() {
        if !force {
            return Err(Error::Usage(format!(
                "a store already exists at `{}`; pass --force to replace it",
                path.display()
            )));
        }
        Store::remove(path)?;
    }
    let store = create_store(path, !empty).await?;
    let total: i64 = store.counts().await?.iter().map(|(_, n)| n).sum();
    eprintln!(
        "created `{}` {} ({total} records)",
        path.display(),
        if empty {
            "empty"
        } else {
            "from the bundled catalog"
        }
    );
    store.close().await;
    Ok(ExitCode::Ok)
}
