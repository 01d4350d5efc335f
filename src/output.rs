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
//!
//! A table for the terminal is fitted to its width (see [`fit`]): words are
//! never split, and a listing hides its least important columns first.

use std::io::Write;

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
    /// The table columns kept however narrow the terminal (a subset of
    /// `TABLE`); the others may be hidden to fit it, those empty in every
    /// row first, then the rightmost.
    const ESSENTIAL: &'static [&'static str] = Self::TABLE;
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
    /// The cells of the columns shown (`pick`), for a table or Markdown; a
    /// table fitted to `width` may hide the columns `droppable` (indices
    /// into `pick`), first named first.
    Grid {
        out: W,
        markdown: bool,
        pick: Vec<usize>,
        droppable: Vec<usize>,
        width: Option<usize>,
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
                droppable: Vec::new(),
                width: None,
                cells: Vec::new(),
            },
            Format::Table => Sink::Grid {
                out,
                markdown: false,
                pick: T::TABLE
                    .iter()
                    .filter_map(|c| T::COLUMNS.iter().position(|k| k == c))
                    .collect(),
                droppable: (0..T::TABLE.len())
                    .rev()
                    .filter(|&i| !T::ESSENTIAL.contains(&T::TABLE[i]))
                    .collect(),
                width: table_width(),
                cells: Vec::new(),
            },
        };
        RowWriter {
            sink,
            rows: 0,
            row: std::marker::PhantomData,
        }
    }

    /// Fits a table to `width` characters instead of the terminal
    /// (`None`: whole, as into a file); other formats ignore it.
    pub fn fit_to(mut self, to: Option<usize>) -> Self {
        if let Sink::Grid { width, .. } = &mut self.sink {
            *width = to;
        }
        self
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
                droppable,
                width,
                cells,
            } => {
                let headers: Vec<&str> = pick.iter().map(|&i| T::COLUMNS[i]).collect();
                let (text, hidden) = if md {
                    (markdown(&headers, &cells), Vec::new())
                } else if cells.is_empty() {
                    (String::new(), Vec::new())
                } else {
                    let t = fit(&headers, &cells, &droppable, width);
                    (t.text, t.hidden)
                };
                for line in text.lines() {
                    stdout_line(&mut out, line)?;
                }
                out.flush().map_err(stdout_error)?;
                if let (Some(width), false) = (width, hidden.is_empty()) {
                    let names: Vec<String> = hidden
                        .iter()
                        .map(|&i| headers[i].replace('_', " "))
                        .collect();
                    eprintln!(
                        "note: hidden to fit {width} columns: {}; see every column with --format csv, json or markdown, or a wider terminal",
                        names.join(", ")
                    );
                }
                Ok(())
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
/// `n` and the noun for it, singular for one: `1 link`, `2 links`.
pub fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    let n = n.into();
    format!("{n} {}", if n == 1 { one } else { many })
}

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

/// A table for the terminal: fitted to its width when stdout is one (every
/// column kept, see [`fit`]), left whole when it is a pipe or a file.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    fit(headers, rows, &[], table_width()).text
}

/// The width to fit tables to: `COLUMNS` when it is set to a number (the
/// usual convention; it also lets tests and scripts ask for a width), else
/// the terminal's when stdout is one. `None` (a pipe or a file, or a
/// terminal of unknown size) leaves tables whole.
pub fn table_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok();
    match columns.and_then(|c| c.trim().parse::<usize>().ok()) {
        Some(n) if n > 0 => Some(n),
        _ => Table::new().width().map(usize::from),
    }
}

/// A table as text, and the columns hidden to fit it (indices into its
/// headers, in order).
pub struct Fitted {
    pub text: String,
    pub hidden: Vec<usize>,
}

/// Lays out a table. With no `width` it is whole: one line per row, ASCII
/// borders, the bytes a pipe or a file has always received. Each row stays
/// one line and each `|` a border there: a line break inside a cell is
/// shown as [`LINE_BREAK`] and a `|` inside a cell as `\|`, as in Markdown
/// (see [`one_line`]).
///
/// With a `width`, the layout is computed here (comfy-table only draws the
/// borders around cells already broken into lines), so it is the same for
/// the same width and never splits a word:
///
/// 1. A column's *floor* is its longest word (header included). While the
///    floors and borders are wider than `width`, a `droppable` column is
///    hidden: those empty in every row first, then in the order given.
/// 2. If the floors still do not fit, identifiers may break after their
///    punctuation (`kz-decree-` / `602`, `art_8__` / `subpara_7-2`), never
///    inside a run of letters or digits: the floor becomes the longest such
///    piece. If even that does not fit, the table is wider than `width`.
/// 3. The width left over first makes broken words whole, column by
///    column, the column that needs least first; the rest is shared out
///    toward each column's widest line, in equal shares.
/// 4. Each cell is wrapped at spaces to its column's width.
///
/// Widths count characters (every script the catalog holds is one column
/// wide per character); comfy-table measures the lines for the borders.
pub fn fit(
    headers: &[&str],
    rows: &[Vec<String>],
    droppable: &[usize],
    width: Option<usize>,
) -> Fitted {
    let headers: Vec<String> = headers.iter().map(|h| h.replace('_', " ")).collect();
    // A carriage return would send the cursor back over the row: every
    // line break is a `\n` from here on.
    let unified: Vec<Vec<String>>;
    let rows = if rows.iter().flatten().any(|c| c.contains('\r')) {
        unified = rows
            .iter()
            .map(|r| {
                r.iter()
                    .map(|c| c.replace("\r\n", "\n").replace('\r', "\n"))
                    .collect()
            })
            .collect();
        &unified[..]
    } else {
        rows
    };
    let Some(width) = width else {
        let mut t = Table::new();
        t.load_preset(presets::ASCII_MARKDOWN)
            .set_content_arrangement(ContentArrangement::Disabled)
            .set_header(headers);
        for r in rows {
            t.add_row(r.iter().map(|c| one_line(c)));
        }
        return Fitted {
            text: t.to_string(),
            hidden: Vec::new(),
        };
    };
    // Per column, the widest line, word and piece of a word.
    let widest = |measure: &dyn Fn(&str) -> usize| -> Vec<usize> {
        (0..headers.len())
            .map(|i| {
                let cells = rows.iter().map(|r| r[i].as_str());
                std::iter::once(headers[i].as_str())
                    .chain(cells)
                    .map(measure)
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    };
    let full = widest(&|c| c.split('\n').map(chars).max().unwrap_or(0));
    let word = widest(&|c| c.split_whitespace().map(chars).max().unwrap_or(0));
    let piece = widest(&|c| {
        let words = c.split_whitespace();
        words.flat_map(pieces).map(chars).max().unwrap_or(0)
    });
    // The borders: `│ ` before the first cell, ` ┆ ` between, ` │` after.
    let frame = |n: usize| 3 * n + 1;
    let sum = |v: &[usize], shown: &[usize]| shown.iter().map(|&i| v[i]).sum::<usize>();

    let mut shown: Vec<usize> = (0..headers.len()).collect();
    let mut order = droppable.to_vec();
    // Stable: empty columns first, each group in the order given.
    order.sort_by_key(|&i| rows.iter().any(|r| !r[i].trim().is_empty()));
    let mut hidden = Vec::new();
    for i in order {
        if sum(&word, &shown) + frame(shown.len()) <= width {
            break;
        }
        shown.retain(|&c| c != i);
        hidden.push(i);
    }
    hidden.sort_unstable();

    let fits_whole_words = sum(&word, &shown) + frame(shown.len()) <= width;
    let floor = if fits_whole_words { &word } else { &piece };
    let mut widths: Vec<usize> = shown.iter().map(|&i| floor[i]).collect();
    let spare = width.saturating_sub(sum(floor, &shown) + frame(shown.len()));
    let target = |v: &[usize]| shown.iter().map(|&i| v[i]).collect::<Vec<_>>();
    let spare = share(&mut widths, &target(&word), spare, false);
    share(&mut widths, &target(&full), spare, true);

    let mut t = Table::new();
    t.load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled)
        .set_header(
            shown
                .iter()
                .zip(&widths)
                .map(|(&i, &w)| wrap(&headers[i], w)),
        );
    for r in rows {
        t.add_row(shown.iter().zip(&widths).map(|(&i, &w)| wrap(&r[i], w)));
    }
    Fitted {
        text: t.to_string(),
        hidden,
    }
}

/// What a line break inside a cell of a whole table (through a pipe or
/// into a file) is shown as, so that the row stays on one line.
pub const LINE_BREAK: &str = " ↵ ";

/// A cell of a whole table on one line: each line break (`\n`, `\r\n` or
/// `\r`) becomes [`LINE_BREAK`], and each `|` becomes `\|`, so a `|` can
/// only be a border, as in Markdown.
fn one_line(cell: &str) -> String {
    if !cell.contains(['\n', '\r', '|']) {
        return cell.to_owned();
    }
    cell.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('|', "\\|")
        .replace('\n', LINE_BREAK)
}

/// Widens `widths` toward `target` by at most `spare` in all, the smallest
/// gaps first: each whole while `spare` lasts, or (`equal`) at most an
/// equal share of what is left, so a column that needs little gets it
/// whole and the others split the rest. Returns what is left.
fn share(widths: &mut [usize], target: &[usize], mut spare: usize, equal: bool) -> usize {
    let mut gaps: Vec<usize> = (0..widths.len())
        .filter(|&i| target[i] > widths[i])
        .collect();
    gaps.sort_by_key(|&i| (target[i] - widths[i], i));
    let mut left = gaps.len();
    for i in gaps {
        let give = (target[i] - widths[i]).min(if equal { spare / left } else { spare });
        widths[i] += give;
        spare -= give;
        left -= 1;
    }
    spare
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Where a word may break: after each run of `-_/#.,;:`, unless it stands
/// between two digits (a date, `7-2`); never inside a run of letters or
/// digits. `kz-decree-602` is `kz-`, `decree-`, `602`.
fn pieces(word: &str) -> impl Iterator<Item = &str> {
    let punct = |c: char| "-_/#.,;:".contains(c);
    let mut rest = word;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = rest.len();
        let mut prev: Option<char> = None;
        let mut before_run: Option<char> = None;
        for (i, c) in rest.char_indices() {
            match prev {
                Some(p) if punct(p) && !punct(c) => {
                    let digits = |x: Option<char>| x.is_some_and(|x| x.is_ascii_digit());
                    if !(digits(before_run) && c.is_ascii_digit()) {
                        end = i;
                        break;
                    }
                }
                Some(p) if !punct(p) && punct(c) => before_run = Some(p),
                _ => {}
            }
            prev = Some(c);
        }
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// `text` in lines of at most `width` characters, broken at spaces; a word
/// wider than that starts a line and breaks after its punctuation. A line
/// that fits is left as it is.
fn wrap(text: &str, width: usize) -> String {
    let mut lines: Vec<String> = Vec::new();
    for line in text.split('\n') {
        if chars(line) <= width {
            lines.push(line.to_owned());
            continue;
        }
        let mut cur = String::new();
        for word in line.split_whitespace() {
            let joined = chars(&cur) + 1 + chars(word);
            if cur.is_empty() && chars(word) <= width {
                cur.push_str(word);
            } else if !cur.is_empty() && joined <= width {
                cur.push(' ');
                cur.push_str(word);
            } else if chars(word) <= width {
                lines.push(std::mem::replace(&mut cur, word.to_owned()));
            } else {
                if !cur.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                }
                for piece in pieces(word) {
                    if !cur.is_empty() && chars(&cur) + chars(piece) > width {
                        lines.push(std::mem::take(&mut cur));
                    }
                    cur.push_str(piece);
                }
            }
        }
        lines.push(cur);
    }
    lines.join("\n")
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

    #[test]
    fn counts_take_the_noun_their_number_asks_for() {
        assert_eq!(count(1u64, "file", "files"), "1 file");
        assert_eq!(count(0u64, "file", "files"), "0 files");
        assert_eq!(count(2u64, "provision", "provisions"), "2 provisions");
    }

    use super::*;
    use crate::catalog::model::{Confidence, Modality, ObligationStatus, Role};
    use crate::queries::ObligationRow;

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

    /// Obligations of the bundled catalog, with its longest IDs.
    fn obligations() -> Vec<ObligationRow> {
        let row = |agency: &str, action: &str, doc: &str, eid: &str, due: &str, source: &str| {
            ObligationRow {
                id: format!("{doc}-{eid}"),
                agency: agency.into(),
                agency_name: String::new(),
                role: Role::Responsible,
                modality: Modality::Duty,
                action: action.into(),
                document: doc.into(),
                document_title: String::new(),
                provision: eid.into(),
                provision_number: eid.rsplit('_').next().map(String::from),
                due: Some(due.to_owned()).filter(|d| !d.is_empty()),
                next_due: None,
                status: ObligationStatus::Active,
                status_since: None,
                status_source: None,
                status_confidence: None,
                status_note: None,
                directions: vec![
                    "kz-mc2017-direction-1".into(),
                    "kz-mc2017-objective-1".into(),
                ],
                source: source.into(),
                confidence: Confidence::Verified,
                inherited_from: None,
                inherited_on: None,
                inherited_how: None,
                inherited_functions: None,
            }
        };
        vec![
            row(
                "eaeu-competent-bodies",
                "Carry out the Member States' labour-migration cooperation through interaction with each other",
                "eaeu-treaty",
                "art_96__para_2",
                "",
                "atom96-eaeu-art-96",
            ),
            row(
                "kz-government",
                "Approve model rules for regulating migration processes in the regions",
                "kz-law-477-iv",
                "art_8__subpara_7-2",
                "",
                "adilet-p1700000296",
            ),
            row(
                "kz-mfa",
                "Implement state migration policy within its competence, with the foreign institutions of the Republic",
                "kz-law-477-iv",
                "art_10",
                "",
                "zakonpravo-law-477-art-10",
            ),
            row(
                "kz-akimats",
                "Report on the progress of the Concept's Action Plan to the labour ministry",
                "kz-decree-602",
                "para_reporting",
                "every year by 01-15",
                "adilet-p1700000602-rus",
            ),
            row(
                "eaeu-competent-bodies",
                "Cooperate in the six listed forms: common approaches, exchange of legal acts and information, measures against false information, exchange of experience and training, consultative bodies",
                "eaeu-treaty",
                "art_96__para_3",
                "",
                "anosle-eaeu-section-xxvi",
            ),
        ]
    }

    fn table_at(rows: &[ObligationRow], width: usize) -> String {
        let mut out = Vec::new();
        let mut w = RowWriter::to(Format::Table, &mut out).fit_to(Some(width));
        for r in rows {
            w.write(r).unwrap();
        }
        w.finish("none").unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The lines of each column of a drawn table, by column name: the
    /// header's lines joined, then each row's.
    fn drawn_columns(text: &str) -> Vec<(String, Vec<String>)> {
        let mut header: Vec<Vec<String>> = Vec::new();
        let mut body: Vec<Vec<String>> = Vec::new();
        let mut in_body = false;
        for line in text.lines() {
            if line.starts_with('╞') {
                in_body = true;
            }
            let Some(inner) = line.strip_prefix('│').and_then(|l| l.strip_suffix('│')) else {
                continue;
            };
            let cells = inner.split('┆').map(|c| c.trim().to_owned());
            let to = if in_body { &mut body } else { &mut header };
            for (i, c) in cells.enumerate() {
                if to.len() <= i {
                    to.push(Vec::new());
                }
                to[i].push(c);
            }
        }
        header
            .into_iter()
            .zip(body)
            .map(|(h, b)| (h.join(" ").trim().replace(' ', "_"), b))
            .collect()
    }

    fn words(text: &str) -> impl Iterator<Item = &str> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
    }

    #[test]
    fn a_narrow_terminal_hides_columns_and_never_splits_a_word() {
        let rows = obligations();
        let text = table_at(&rows, 80);
        for line in text.lines() {
            assert!(line.chars().count() <= 80, "too wide: {line:?}\n{text}");
        }
        let columns = drawn_columns(&text);
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            ObligationRow::ESSENTIAL,
            "the essential columns, in table order\n{text}"
        );
        for (name, lines) in &columns {
            let i = ObligationRow::COLUMNS
                .iter()
                .position(|c| c == name)
                .unwrap_or_else(|| panic!("{name:?} is no column: a broken header\n{text}"));
            let cells: Vec<String> = rows.iter().map(|r| r.cells()[i].clone()).collect();
            let whole: Vec<&str> = cells.iter().flat_map(|c| words(c)).collect();
            for line in lines {
                for w in words(line) {
                    assert!(whole.contains(&w), "{name}: {w:?} is a broken word\n{text}");
                }
            }
        }
    }

    #[test]
    fn a_wide_terminal_shows_every_column_one_line_per_row() {
        let rows = obligations();
        let text = table_at(&rows, 1000);
        let columns = drawn_columns(&text);
        let names: Vec<&str> = columns.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ObligationRow::TABLE, "{text}");
        assert!(
            columns.iter().all(|(_, lines)| lines.len() == rows.len()),
            "{text}"
        );
    }

    #[test]
    fn without_a_width_a_table_is_whole() {
        let rows = [vec!["kz-decree-602".into(), "every year by 01-15".into()]];
        let text = fit(&["document", "next_due"], &rows, &[0], None).text;
        assert_eq!(
            text,
            "| document      | next due            |\n\
             |---------------|---------------------|\n\
             | kz-decree-602 | every year by 01-15 |"
        );
    }

    /// A row with a line break and a pipe in a cell, as a TOML multi-line
    /// string gives them.
    fn awkward() -> Vec<Vec<String>> {
        vec![
            vec![
                "mol".into(),
                "first line | pipe\nsecond line, \"quoted\" \\ backslash\nthird".into(),
            ],
            vec!["mia".into(), "plain".into()],
        ]
    }

    /// The cells of a whole table's line: split at the `|` that are not
    /// escaped, as anything reading a piped table splits them.
    fn border_split(line: &str) -> Vec<String> {
        let mut cells = vec![String::new()];
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '|' if !escaped => cells.push(String::new()),
                _ => cells.last_mut().unwrap().push(c),
            }
            escaped = c == '\\' && !escaped;
        }
        cells
    }

    #[test]
    fn a_whole_table_keeps_a_row_on_one_line_and_a_pipe_in_its_cell() {
        let text = fit(&["agency", "action"], &awkward(), &[], None).text;
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 4, "header, rule and one line per row\n{text}");
        for line in &lines {
            assert_eq!(border_split(line).len(), 4, "two columns: {line:?}\n{text}");
        }
        assert_eq!(
            lines[2],
            "| mol    | first line \\| pipe ↵ second line, \"quoted\" \\ backslash ↵ third |",
            "{text}"
        );
        assert!(lines[3].starts_with("| mia    | plain "), "{text}");
        assert_eq!(
            one_line("a\r\nb\rc"),
            "a ↵ b ↵ c",
            "every kind of line break"
        );
    }

    #[test]
    fn a_terminal_table_keeps_line_breaks_in_a_cell_and_fits() {
        let rows = awkward();
        for width in [30, 80] {
            let text = fit(&["agency", "action"], &rows, &[], Some(width)).text;
            for line in text.lines() {
                assert!(line.chars().count() <= width, "too wide: {line:?}\n{text}");
            }
            assert!(!text.contains(LINE_BREAK), "{text}");
            let first = text.lines().position(|l| l.contains("first line")).unwrap();
            let second = text.lines().position(|l| l.contains("second")).unwrap();
            assert!(second > first, "{text}");
        }
        let crlf = [vec!["mol".into(), "one\r\ntwo\rthree".into()]];
        let text = fit(&["agency", "action"], &crlf, &[], Some(80)).text;
        assert!(!text.contains('\r'), "{text:?}");
        assert_eq!(text.lines().filter(|l| l.contains("mol")).count(), 1);
        assert!(text.contains("two") && text.lines().any(|l| l.contains("three")));
    }

    #[test]
    fn markdown_and_csv_keep_their_own_escapes() {
        let rows = awkward();
        assert_eq!(
            markdown(&["agency", "action"], &rows),
            "| agency | action |\n|---|---|\n\
             | mol | first line \\| pipe<br>second line, \"quoted\" \\ backslash<br>third |\n\
             | mia | plain |\n"
        );
        assert_eq!(
            csv_text(&["agency", "action"], &rows).unwrap(),
            "agency,action\nmol,\"first line | pipe\nsecond line, \"\"quoted\"\" \\ backslash\nthird\"\nmia,plain\n"
        );
    }

    #[test]
    fn identifiers_break_after_punctuation_never_inside_a_word_or_a_date() {
        let split = |w| pieces(w).collect::<Vec<_>>();
        assert_eq!(split("kz-decree-602"), ["kz-", "decree-", "602"]);
        assert_eq!(
            split("art_8__subpara_7-2"),
            ["art_", "8__", "subpara_", "7-2"]
        );
        assert_eq!(split("2025-06-27"), ["2025-06-27"]);
        assert_eq!(
            split("kz-concept-2017-2021"),
            ["kz-", "concept-", "2017-2021"]
        );
        assert_eq!(wrap("every year by 01-15", 5), "every\nyear\nby\n01-15");
        assert_eq!(
            wrap("see kz-decree-602 now", 8),
            "see\nkz-\ndecree-\n602 now"
        );
        assert_eq!(
            wrap("short", 3),
            "short",
            "a piece wider than the column stays whole"
        );
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
