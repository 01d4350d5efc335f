//! Writing catalog files: the canonical layout that `export` produces.
//!
//! The layout is one file per document (`documents/`, or `agreements/` for
//! documents with parties), one per framework (`frameworks/`), and one file
//! each for sources, agencies, partners and indicators. The same store
//! always gives the same bytes.

use std::path::Path;

use super::load::Format;
use super::model::CatalogFile;
use crate::error::{Error, Result};

/// Serializes one file in `format`, ending with a newline.
pub fn to_text(file: &CatalogFile, format: Format) -> Result<String> {
    let mut text = match format {
        Format::Toml => to_toml(file)?,
        Format::Json => serde_json::to_string_pretty(file).map_err(|e| Error::Encode {
            what: "a catalog file as JSON".into(),
            source: Box::new(e),
        })?,
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(text)
}

/// Builds the TOML text from the record's fields in their declared order.
/// Tables that hold only plain values (`title`, `name`, `recurrence`)
/// become inline tables in their field's place, lists of records become
/// `[[arrays of tables]]`, so an exported file reads like a hand-written one.
fn to_toml(file: &CatalogFile) -> Result<String> {
    use serde_json::Value as J;
    use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, Table, Value};

    fn is_plain(v: &J) -> bool {
        match v {
            J::Object(map) => map.values().all(|v| !v.is_object() && !is_records(v)),
            J::Array(items) => items.iter().all(|v| !v.is_object()),
            _ => true,
        }
    }
    fn is_records(v: &J) -> bool {
        matches!(v, J::Array(items) if !items.is_empty() && items.iter().all(J::is_object))
    }
    fn value(v: &J) -> Value {
        match v {
            J::String(s) => Value::from(s.as_str()),
            J::Bool(b) => Value::from(*b),
            J::Number(n) => match n.as_i64() {
                Some(i) => Value::from(i),
                None => Value::from(n.as_f64().unwrap_or(f64::NAN)),
            },
            J::Array(items) => Value::Array(items.iter().map(value).collect::<Array>()),
            J::Object(map) => {
                let mut t = InlineTable::new();
                for (k, v) in map {
                    t.insert(k, value(v));
                }
                Value::InlineTable(t)
            }
            J::Null => Value::from(""),
        }
    }
    fn table(map: &serde_json::Map<String, J>) -> Table {
        let mut t = Table::new();
        for (k, v) in map {
            let item = if is_records(v) {
                let mut aot = ArrayOfTables::new();
                for rec in v.as_array().expect("checked by is_records") {
                    aot.push(table(rec.as_object().expect("checked by is_records")));
                }
                Item::ArrayOfTables(aot)
            } else if let (J::Object(sub), false) = (v, is_plain(v)) {
                Item::Table(table(sub))
            } else {
                Item::Value(value(v))
            };
            t.insert(k, item);
        }
        t
    }

    let json = serde_json::to_value(file).map_err(|e| Error::Encode {
        what: "a catalog file as TOML".into(),
        source: Box::new(e),
    })?;
    let root = json.as_object().cloned().unwrap_or_default();
    let mut doc = DocumentMut::new();
    *doc.as_table_mut() = table(&root);
    Ok(doc.to_string())
}

/// Writes `contents` to `path` whole: to a temporary name first, then
/// renamed, so that an interrupted run never leaves half a file.
pub fn write_file(path: &Path, contents: &[u8]) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    }
    let tmp = path.with_extension(format!(
        "{}.tmp",
        path.extension().and_then(|e| e.to_str()).unwrap_or("")
    ));
    std::fs::write(&tmp, contents).map_err(|e| Error::io("write", &tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io("rename into place", path, e))?;
    Ok(())
}
