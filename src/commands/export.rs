//! `lextrack export`: the store as catalog files in the canonical layout.
//! Files are written whole (temporary name, then rename) and only when
//! their content changed; nothing else in the folder is touched.

use std::path::Path;

use super::open_store;
use crate::catalog::Format;
use crate::catalog::write::{to_text, write_file};
use crate::cli::{ExportFormat, Global};
use crate::error::{ExitCode, Result};

pub async fn run(global: &Global, format: ExportFormat, out: &Path) -> Result<ExitCode> {
    let format = match format {
        ExportFormat::Toml => Format::Toml,
        ExportFormat::Json => Format::Json,
    };
    let store = open_store(global).await?;
    let files = store.export().await?;
    store.close().await;
    let mut written = 0;
    for file in &files {
        let path = out.join(format!("{}.{}", file.stem, format.extension()));
        let text = to_text(&file.content, format)?;
        if std::fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            continue;
        }
        write_file(&path, text.as_bytes())?;
        written += 1;
    }
    eprintln!(
        "exported {} files to `{}` ({written} written, {} unchanged)",
        files.len(),
        out.display(),
        files.len() - written
    );
    Ok(ExitCode::Ok)
}
