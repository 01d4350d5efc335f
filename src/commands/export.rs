//! `lextrack export`: the store as catalog files in the canonical layout.
//!
//! Files are written whole (temporary name, then rename) and only when
//! their content changed. A manifest (`.lextrack-export`) lists what the
//! last export wrote, so that a re-export removes the files it no longer
//! produces (a document that gained parties moves to `agreements/`) and
//! never touches anything else. A non-empty folder without a manifest is
//! refused unless `--force`.

use std::collections::BTreeSet;
use std::path::Path;

use super::with_store;
use crate::catalog::Format;
use crate::catalog::write::{to_text, write_file};
use crate::cli::{ExportFormat, Global};
use crate::error::{Error, ExitCode, Result};

const MANIFEST: &str = ".lextrack-export";

pub async fn run(
    global: &Global,
    format: ExportFormat,
    out: &Path,
    force: bool,
) -> Result<ExitCode> {
    let format = match format {
        ExportFormat::Toml => Format::Toml,
        ExportFormat::Json => Format::Json,
    };
    super::refuse_out_under_a_file(out, "export into")?;
    let previous = read_manifest(out, force)?;
    let files = with_store(global, async |store| store.export().await).await?;

    let mut now = BTreeSet::new();
    let mut written = 0;
    for file in &files {
        let rel = format!("{}.{}", file.stem, format.extension());
        let path = out.join(&rel);
        let text = to_text(&file.content, format)?;
        now.insert(rel);
        if std::fs::read(&path).ok().as_deref() == Some(text.as_bytes()) {
            continue;
        }
        write_file(&path, text.as_bytes())?;
        written += 1;
    }
    let manifest: String = now.iter().map(|p| format!("{p}\n")).collect();
    write_file(&out.join(MANIFEST), manifest.as_bytes())?;
    let mut removed = 0;
    for stale in previous.difference(&now) {
        let path = out.join(stale);
        match std::fs::remove_file(&path) {
            Ok(()) => removed += 1,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io("remove", path, e)),
        }
    }
    eprintln!(
        "exported {} files to `{}` ({written} written, {} unchanged, {removed} removed)",
        files.len(),
        out.display(),
        files.len() - written
    );
    Ok(ExitCode::Ok)
}

/// The files the last export wrote into `out`. A folder with other
/// content and no manifest is someone else's: refused unless `force`.
fn read_manifest(out: &Path, force: bool) -> Result<BTreeSet<String>> {
    let manifest = out.join(MANIFEST);
    match std::fs::read_to_string(&manifest) {
        Ok(text) => Ok(text
            .lines()
            .filter(|l| !l.is_empty() && !l.contains("..") && !l.starts_with('/'))
            .map(str::to_owned)
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let non_empty = match std::fs::read_dir(out) {
                Ok(mut entries) => entries.next().is_some(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                Err(e) => return Err(Error::io("read", out, e)),
            };
            if non_empty && !force {
                return Err(Error::Usage(format!(
                    "`{}` is not empty and was not written by `lextrack export`; pass --force to write into it anyway",
                    out.display()
                )));
            }
            Ok(BTreeSet::new())
        }
        Err(e) => Err(Error::io("read", manifest, e)),
    }
}
