//! Printing query results: a table for people at a terminal, or JSON, CSV
//! or Markdown for machines and documents.
//!
//! A listing is a slice of rows that know their columns ([`Tabular`]). The
//! CSV header and the JSON field names are the same stable names, listed in
//! docs/cli.md. Everything goes through [`stdout_line`], so a closed pipe
//! (`| head`) ends the run quietly instead of panicking. With no rows, the
//! data formats still print a valid empty document (JSON `[]`, the CSV
//! header) and a note goes to stderr.

use std::io::{IsTerminal, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::commands::stdout_line;
use crate::error::{Error, Result};

/// The output formats of every listing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table sized to the terminal.
    #[default]
    Table,
    Json,
    Csv,
    Markdown,
}

/// A row of a listing.
pub trait Tabular: Serialize {
    /// The column names, in order: the CSV header, and the JSON field names
    /// of the scalar fields.
    const COLUMNS: &'static [&'static str];
    /// The columns a terminal table shows (a subset of `COLUMNS`).
    const TABLE: &'static [&'static str] = Self::COLUMNS;
    /// One cell per column of `COLUMNS`; lists are joined with `; `.
    fn cells(&self) -> Vec<String>;
}

/// Prints `rows` in `format`. With no rows, `note` goes to stderr. JSON
/// and CSV are written straight to stdout, row by row, so a long listing
/// is never held twice in memory.
pub fn print_rows<T: Tabular>(rows: &[T], format: Format, note: &str) -> Result<()> {
    if rows.is_empty() {
        eprintln!("note: {note}");
    }
    match format {
        Format::Json => print_json(&rows),
        Format::Csv => {
            let mut w = csv::Writer::from_writer(stdout());
            let fail = |e: csv::Error| match e.into_kind() {
                csv::ErrorKind::Io(e) => Error::io("write to", "stdout", e),
                other => Error::Encode {
                    what: "the result as CSV".into(),
                    source: format!("{other:?}").into(),
                },
            };
            w.write_record(T::COLUMNS).map_err(fail)?;
            for r in rows {
                w.write_record(r.cells()).map_err(fail)?;
            }
            w.flush().map_err(|e| Error::io("write to", "stdout", e))
        }
        Format::Markdown | Format::Table => {
            let pick: Vec<usize> = if format == Format::Table {
                T::TABLE
                    .iter()
                    .filter_map(|c| T::COLUMNS.iter().position(|k| k == c))
                    .collect()
            } else {
                (0..T::COLUMNS.len()).collect()
            };
            let headers: Vec<&str> = pick.iter().map(|&i| T::COLUMNS[i]).collect();
            let cells: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let all = r.cells();
                    pick.iter().map(|&i| all[i].clone()).collect()
                })
                .collect();
            if format == Format::Markdown {
                print_text(&markdown(&headers, &cells))
            } else if rows.is_empty() {
                Ok(())
            } else {
                print_text(&table(&headers, &cells))
            }
        }
    }
}

/// Stdout behind a large buffer (stdout alone flushes every line, a
/// system call each).
fn stdout() -> std::io::BufWriter<std::io::StdoutLock<'static>> {
    std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}

/// Prints any value as pretty JSON.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = stdout();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| {
        if e.is_io() {
            Error::io("write to", "stdout", e.into())
        } else {
            Error::Encode {
                what: "the result as JSON".into(),
                source: Box::new(e),
            }
        }
    })?;
    stdout_line(&mut out, "")?;
    out.flush().map_err(|e| Error::io("write to", "stdout", e))
}

/// Prints text line by line on stdout, buffered (stdout alone flushes
/// every line, a system call each).
pub fn print_text(text: &str) -> Result<()> {
    let mut out = stdout();
    for line in text.lines() {
        stdout_line(&mut out, line)?;
    }
    out.flush().map_err(|e| Error::io("write to", "stdout", e))
}

/// A table for the terminal: wrapped to its width when stdout is one,
/// left whole when it is a pipe or a file.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED);
    if std::io::stdout().is_terminal() {
        t.set_content_arrangement(ContentArrangement::Dynamic);
    } else {
        t.load_preset(presets::ASCII_MARKDOWN)
            .set_content_arrangement(ContentArrangement::Disabled);
    }
    t.set_header(headers.iter().map(|h| h.replace('_', " ")));
    for r in rows {
        t.add_row(r);
    }
    t.to_string()
}

/// A Markdown (GitHub) table; pipes and line breaks in cells are escaped.
pub fn markdown(headers: &[&str], rows: &[Vec<String>]) -> String {
    let esc = |s: &str| s.replace('|', "\\|").replace('\n', "<br>");
    let mut out = format!("| {} |\n", headers.join(" | "));
    out.push_str(&format!("|{}\n", "---|".repeat(headers.len())));
    for r in rows {
        let cells: Vec<String> = r.iter().map(|c| esc(c)).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    out
}

/// CSV with a header row.
pub fn csv_text(headers: &[&str], rows: &[Vec<String>]) -> Result<String> {
    let encode = |e: csv::Error| Error::Encode {
        what: "the result as CSV".into(),
        source: Box::new(e),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers).map_err(encode)?;
    for r in rows {
        w.write_record(r).map_err(encode)?;
    }
    let bytes = w.into_inner().map_err(|e| Error::Encode {
        what: "the result as CSV".into(),
        source: Box::new(e.into_error()),
    })?;
    Ok(String::from_utf8(bytes).expect("CSV of UTF-8 cells is UTF-8"))
}

/// An optional value as a cell.
pub fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

/// A list as a cell.
pub fn list(v: &[String]) -> String {
    v.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_pipes() {
        let text = markdown(&["a", "b"], &[vec!["x|y".into(), "z".into()]]);
        assert_eq!(text, "| a | b |\n|---|---|\n| x\\|y | z |\n");
    }

    #[test]
    fn csv_quotes_what_needs_quoting() {
        let text = csv_text(&["a", "b"], &[vec!["x, y".into(), "z".into()]]).unwrap();
        assert_eq!(text, "a,b\n\"x, y\",z\n");
        assert_eq!(csv_text(&["a"], &[]).unwrap(), "a\n");
    }
}
