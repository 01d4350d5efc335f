//! Printing query results: a table for people at a terminal, or JSON, CSV
//! or Markdown for machines and documents.
//!
//! A listing is rows that know their columns ([`Tabular`]), written one at
//! a time by a [`RowWriter`]. The CSV header and the JSON field names are
//! the same stable names, listed in docs/cli.md. Every write to stdout
//! fails as an I/O error rather than a panic, so a closed pipe (`| head`)
//! ends the run quietly. With no rows, the
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

/// Prints `rows` in `format`. With no rows, `note` goes to stderr.
pub fn print_rows<T: Tabular>(rows: &[T], format: Format, note: &str) -> Result<()> {
    let mut w = RowWriter::new(format);
    for r in rows {
        w.write(r)?;
    }
    w.finish(note)
}

/// Writes a listing one row at a time. JSON and CSV go straight to stdout
/// as rows come, so a long listing is never held in memory; a table or
/// Markdown needs every row to size its columns, so it keeps their cells
/// until [`RowWriter::finish`]. The bytes are the same however the rows
/// arrive.
pub struct RowWriter<T: Tabular, W: Write = Stdout> {
    sink: Sink<W>,
    rows: usize,
    row: std::marker::PhantomData<fn(&T)>,
}

/// Stdout behind a large buffer.
type Stdout = std::io::BufWriter<std::io::StdoutLock<'static>>;

enum Sink<W: Write> {
    /// Pretty JSON, an array written element by element; `element` and
    /// `indented` are reused for each element's text.
    Json {
        out: W,
        element: Vec<u8>,
        indented: Vec<u8>,
    },
    // Boxed: the CSV writer carries its own buffer state, far larger than
    // the other variants.
    Csv(Box<csv::Writer<W>>),
    /// The cells of the columns shown (`pick`), for a table or Markdown.
    Grid {
        out: W,
        markdown: bool,
        pick: Vec<usize>,
        cells: Vec<Vec<String>>,
    },
}

impl<T: Tabular> RowWriter<T> {
    /// Starts a listing on stdout. Nothing is written before the first row
    /// (or [`RowWriter::finish`]), so a query that fails before its first
    /// row prints nothing on stdout.
    pub fn new(format: Format) -> RowWriter<T> {
        RowWriter::to(format, stdout())
    }
}

impl<T: Tabular, W: Write> RowWriter<T, W> {
    /// Starts a listing on `out`.
    pub fn to(format: Format, out: W) -> RowWriter<T, W> {
        let sink = match format {
            Format::Json => Sink::Json {
                out,
                element: Vec::new(),
                indented: Vec::new(),
            },
            Format::Csv => Sink::Csv(Box::new(csv::Writer::from_writer(out))),
            Format::Markdown => Sink::Grid {
                out,
                markdown: true,
                pick: (0..T::COLUMNS.len()).collect(),
                cells: Vec::new(),
            },
            Format::Table => Sink::Grid {
                out,
                markdown: false,
                pick: T::TABLE
                    .iter()
                    .filter_map(|c| T::COLUMNS.iter().position(|k| k == c))
                    .collect(),
                cells: Vec::new(),
            },
        };
        RowWriter {
            sink,
            rows: 0,
            row: std::marker::PhantomData,
        }
    }

    /// Adds one row.
    pub fn write(&mut self, row: &T) -> Result<()> {
        match &mut self.sink {
            Sink::Json {
                out,
                element,
                indented,
            } => {
                // Each element is indented one level, as serde_json indents
                // the elements of a pretty array; JSON text has no raw line
                // breaks inside strings, so indenting after every `\n` is
                // exact.
                element.clear();
                serde_json::to_writer_pretty(&mut *element, row).map_err(json_error)?;
                indented.clear();
                indented.extend_from_slice(if self.rows == 0 { b"[\n  " } else { b",\n  " });
                for (i, line) in element.split(|&b| b == b'\n').enumerate() {
                    if i > 0 {
                        indented.extend_from_slice(b"\n  ");
                    }
                    indented.extend_from_slice(line);
                }
                out.write_all(indented).map_err(stdout_error)?;
            }
            Sink::Csv(w) => {
                if self.rows == 0 {
                    w.write_record(T::COLUMNS).map_err(csv_error)?;
                }
                w.write_record(row.cells()).map_err(csv_error)?;
            }
            Sink::Grid { pick, cells, .. } => {
                let mut all = row.cells();
                cells.push(pick.iter().map(|&i| std::mem::take(&mut all[i])).collect());
            }
        }
        self.rows += 1;
        Ok(())
    }

    /// Ends the listing. With no rows, the data formats still print a
    /// valid empty document and `note` goes to stderr.
    pub fn finish(self, note: &str) -> Result<()> {
        if self.rows == 0 {
            eprintln!("note: {note}");
        }
        match self.sink {
            Sink::Json { mut out, .. } => {
                let end: &[u8] = if self.rows == 0 { b"[]\n" } else { b"\n]\n" };
                out.write_all(end).map_err(stdout_error)?;
                out.flush().map_err(stdout_error)
            }
            Sink::Csv(mut w) => {
                if self.rows == 0 {
                    w.write_record(T::COLUMNS).map_err(csv_error)?;
                }
                w.flush().map_err(stdout_error)
            }
            Sink::Grid {
                mut out,
                markdown: md,
                pick,
                cells,
            } => {
                let headers: Vec<&str> = pick.iter().map(|&i| T::COLUMNS[i]).collect();
                let text = if md {
                    markdown(&headers, &cells)
                } else if cells.is_empty() {
                    String::new()
                } else {
                    table(&headers, &cells)
                };
                for line in text.lines() {
                    stdout_line(&mut out, line)?;
                }
                out.flush().map_err(stdout_error)
            }
        }
    }
}

fn stdout_error(e: std::io::Error) -> Error {
    Error::io("write to", "stdout", e)
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => stdout_error(e),
        other => Error::Encode {
            what: "the result as CSV".into(),
            source: format!("{other:?}").into(),
        },
    }
}

fn json_error(e: serde_json::Error) -> Error {
    if e.is_io() {
        stdout_error(e.into())
    } else {
        Error::Encode {
            what: "the result as JSON".into(),
            source: Box::new(e),
        }
    }
}

/// Stdout behind a large buffer (stdout alone flushes every line, a
/// system call each).
fn stdout() -> Stdout {
    std::io::BufWriter::with_capacity(64 * 1024, std::io::stdout().lock())
}

/// Prints any value as pretty JSON.
pub fn print_json<T: Serialize + ?Sized>(value: &T) -> Result<()> {
    let mut out = stdout();
    serde_json::to_writer_pretty(&mut out, value).map_err(json_error)?;
    stdout_line(&mut out, "")?;
    out.flush().map_err(stdout_error)
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

    #[derive(Serialize)]
    struct Row {
        id: String,
        tags: Vec<String>,
        nested: Option<Vec<Vec<u32>>>,
    }

    impl Tabular for Row {
        const COLUMNS: &'static [&'static str] = &["id", "tags", "nested"];
        const TABLE: &'static [&'static str] = &["tags", "id"];
        fn cells(&self) -> Vec<String> {
            vec![
                self.id.clone(),
                list(&self.tags),
                format!("{:?}", self.nested),
            ]
        }
    }

    fn rows(n: usize) -> Vec<Row> {
        (0..n)
            .map(|i| Row {
                id: format!("row \"{i}\"\nwith a break, and | a pipe"),
                tags: (0..i).map(|t| format!("tag {t}")).collect(),
                nested: (i % 2 == 1).then(|| vec![vec![], vec![1, 2]]),
            })
            .collect()
    }

    fn written(rows: &[Row], format: Format) -> String {
        let mut out = Vec::new();
        let mut w = RowWriter::to(format, &mut out);
        for r in rows {
            w.write(r).unwrap();
        }
        w.finish("none").unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn rows_written_one_by_one_are_the_listing_printed_whole() {
        for n in [0, 1, 3] {
            let rows = rows(n);
            let json = serde_json::to_string_pretty(&rows).unwrap() + "\n";
            assert_eq!(written(&rows, Format::Json), json, "{n} rows as JSON");
            let cells: Vec<Vec<String>> = rows.iter().map(Row::cells).collect();
            assert_eq!(
                written(&rows, Format::Csv),
                csv_text(Row::COLUMNS, &cells).unwrap(),
                "{n} rows as CSV"
            );
            assert_eq!(
                written(&rows, Format::Markdown),
                markdown(Row::COLUMNS, &cells),
                "{n} rows as Markdown"
            );
            let shown: Vec<Vec<String>> = cells
                .iter()
                .map(|c| vec![c[1].clone(), c[0].clone()])
                .collect();
            let table = if n == 0 {
                String::new()
            } else {
                table(&["tags", "id"], &shown) + "\n"
            };
            assert_eq!(written(&rows, Format::Table), table, "{n} rows as a table");
        }
    }

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
