//! Reading catalog files from disk or from the bundled catalog.
//!
//! Every file is parsed on its own; a parse error names the file, line and
//! column. All files are read before any problem is reported, so one run
//! shows every malformed file at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

use serde::Deserialize;

use super::maps_only::MapsOnly;
use super::model::CatalogFile;
use crate::diagnostics::{Diagnostics, Location, line_col};
use crate::error::{Error, Result};

/// The catalog compiled into the binary, so `init` works from any directory.
static BUNDLED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/db/catalog");

/// The formats a catalog file can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Toml,
    Json,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Toml => "toml",
            Format::Json => "json",
        }
    }

    fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "toml" => Some(Format::Toml),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// One parsed catalog file, with the text it came from (kept to point at
/// lines in later diagnostics).
#[derive(Debug, Clone)]
pub struct LoadedFile {
    /// The name shown in messages: the path as given, or `db/catalog/...`.
    pub name: String,
    pub text: String,
    pub format: Format,
    pub content: CatalogFile,
    /// Where each record starts, per list (`source`, `obligation.history`,
    /// `document`…), built on the first lookup so that a run with many
    /// problems scans the file once.
    records: std::sync::OnceLock<HashMap<String, Vec<RecordAt>>>,
}

/// Where one record is in its file's text.
#[derive(Debug, Clone, Default)]
struct RecordAt {
    /// Its first line: the `[[section]]` header (TOML), the `{` (JSON).
    line: usize,
    /// Its own keys (not those of tables nested in it) and their lines.
    keys: Vec<(String, usize)>,
}

impl LoadedFile {
    pub fn new(name: String, text: String, format: Format, content: CatalogFile) -> Self {
        LoadedFile {
            name,
            text,
            format,
            content,
            records: std::sync::OnceLock::new(),
        }
    }

    /// The `index`-th record of the list `section` (`[[section]]` in TOML,
    /// `"section": [...]` in JSON; `document` and `framework` have one), or
    /// `None` when the text does not show where it is.
    fn record(&self, section: &str, index: usize) -> Option<&RecordAt> {
        let records = self.records.get_or_init(|| match self.format {
            Format::Toml => toml_records(&self.text),
            Format::Json => json_records(&self.text),
        });
        let found = records.get(section)?;
        // A list written another way (TOML inline tables), or a header-like
        // line inside a multi-line string, leaves the headers out of step
        // with the records: no line then, rather than another record's.
        if Some(found.len()) != self.content.records_in(section) {
            return None;
        }
        found.get(index)
    }

    /// The 1-based line where the `index`-th record of the list `section`
    /// starts: its `[[section]]` header in TOML, its `{` in JSON.
    pub fn line_of_nth(&self, section: &str, index: usize) -> Option<usize> {
        self.record(section, index).map(|r| r.line)
    }

    /// The 1-based line of the key `key` of the `index`-th record of the
    /// list `section`, when it holds `value` (e.g. the record's `id`);
    /// otherwise the line where the record starts.
    pub fn line_of_key(
        &self,
        section: &str,
        index: usize,
        key: &str,
        value: &str,
    ) -> Option<usize> {
        let record = self.record(section, index)?;
        let at_key = record
            .keys
            .iter()
            .filter(|(k, _)| k == key)
            .map(|&(_, line)| line)
            .find(|&line| match self.format {
                // The line is read as TOML, so a literal string ('s-sq')
                // or an escape counts as the value it is; a line of a
                // multi-line string that looks like a key does not match.
                Format::Toml => self.text.lines().nth(line - 1).is_some_and(|l| {
                    toml::from_str::<toml::Table>(l)
                        .ok()
                        .and_then(|t| t.get(key).and_then(|v| v.as_str().map(|s| s == value)))
                        .unwrap_or(false)
                }),
                // The JSON walk found the record's own keys, nothing else.
                Format::Json => true,
            });
        Some(at_key.unwrap_or(record.line))
    }
}

/// The records of a TOML file by their headers: `[[section]]` starts a
/// record of a list, `[section]` the one table of that name; the keys
/// between a header and the next are that record's.
fn toml_records(text: &str) -> HashMap<String, Vec<RecordAt>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut map: HashMap<String, Vec<RecordAt>> = HashMap::new();
    let mut current: Option<(String, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        let header = match line.strip_prefix("[[") {
            Some(rest) => rest.split_once("]]").map(|(name, _)| name),
            None => line
                .strip_prefix('[')
                .and_then(|rest| rest.split_once(']'))
                .map(|(name, _)| name),
        };
        if let Some(name) = header {
            let name = name.trim().to_owned();
            let list = map.entry(name.clone()).or_default();
            list.push(RecordAt {
                line: i + 1,
                keys: Vec::new(),
            });
            current = Some((name, list.len() - 1));
            continue;
        }
        let key_len = line
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
            .count();
        if key_len > 0
            && line[key_len..].trim_start().starts_with('=')
            && let Some((name, index)) = &current
            && let Some(record) = map.get_mut(name).and_then(|l| l.get_mut(*index))
        {
            record.keys.push((line[..key_len].to_owned(), i + 1));
        }
    }
    map
}

/// The records of a JSON file, found by walking its structure: the
/// objects in each top-level list (`"source": [{...}]`), the top-level
/// objects (`"document": {...}`), and the objects in lists inside records
/// (`obligation.history`, `indicator.value`). The file has parsed, so the
/// walk can take the syntax as given.
fn json_records(text: &str) -> HashMap<String, Vec<RecordAt>> {
    let mut walk = JsonWalk {
        text,
        bytes: text.as_bytes(),
        at: if text.starts_with('\u{feff}') { 3 } else { 0 },
        newlines: text
            .bytes()
            .enumerate()
            .filter(|&(_, b)| b == b'\n')
            .map(|(i, _)| i)
            .collect(),
        records: HashMap::new(),
    };
    walk.space();
    if walk.eat(b'{') {
        walk.members(None);
    }
    walk.records
}

struct JsonWalk<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
    /// The offsets of the newlines, to turn an offset into a line.
    newlines: Vec<usize>,
    records: HashMap<String, Vec<RecordAt>>,
}

impl JsonWalk<'_> {
    fn line(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, b: u8) -> bool {
        let found = self.peek() == Some(b);
        if found {
            self.at += 1;
        }
        found
    }

    fn space(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
    }

    /// A string at the cursor, decoded.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        if !self.eat(b'"') {
            return None;
        }
        while let Some(b) = self.peek() {
            self.at += 1;
            match b {
                b'\\' => self.at += 1,
                b'"' => return serde_json::from_str(&self.text[start..self.at]).ok(),
                _ => {}
            }
        }
        None
    }

    /// Skips the value at the cursor.
    fn skip(&mut self) {
        let mut depth = 0usize;
        while let Some(b) = self.peek() {
            match b {
                b'"' => {
                    self.string();
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return,
                b'}' | b']' => depth -= 1,
                b',' if depth == 0 => return,
                _ => {}
            }
            self.at += 1;
            if depth == 0 && matches!(b, b'}' | b']') {
                return;
            }
        }
    }

    /// The members of an object whose `{` was just read, up to its `}`.
    /// `owner`: the list and position of the record the object is, if it
    /// is one (the top-level object is not).
    fn members(&mut self, owner: Option<(&str, usize)>) {
        loop {
            self.space();
            if self.eat(b'}') || self.peek().is_none() {
                return;
            }
            let key_at = self.at;
            let Some(key) = self.string() else { return };
            self.space();
            self.eat(b':');
            self.space();
            let section = match owner {
                None => key.clone(),
                Some((list, _)) => format!("{list}.{key}"),
            };
            match (self.peek(), owner) {
                (Some(b'['), _) => {
                    self.at += 1;
                    self.elements(&section);
                }
                (Some(b'{'), None) => self.object(&section),
                _ => self.skip(),
            }
            if let Some((list, index)) = owner {
                let line = self.line(key_at);
                if let Some(record) = self.records.get_mut(list).and_then(|l| l.get_mut(index)) {
                    record.keys.push((key, line));
                }
            }
            self.space();
            self.eat(b',');
        }
    }

    /// The elements of a list whose `[` was just read, up to its `]`: the
    /// objects among them are records of `section`.
    fn elements(&mut self, section: &str) {
        loop {
            self.space();
            if self.eat(b']') || self.peek().is_none() {
                return;
            }
            if self.peek() == Some(b'{') {
                self.object(section);
            } else {
                self.skip();
            }
            self.space();
            self.eat(b',');
        }
    }

    /// The object at the cursor, a record of `section`.
    fn object(&mut self, section: &str) {
        let line = self.line(self.at);
        self.at += 1;
        let list = self.records.entry(section.to_owned()).or_default();
        list.push(RecordAt {
            line,
            keys: Vec::new(),
        });
        let index = list.len() - 1;
        self.members(Some((section, index)));
    }
}

/// A set of catalog files, in the order they were read.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub files: Vec<LoadedFile>,
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn bundled() -> Result<Catalog> {
        let mut entries = Vec::new();
        collect_bundled(&BUNDLED, &mut entries);
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        parse_all(entries)
    }

    /// Reads the files and folders at `paths`. Folders are walked for
    /// `.toml` and `.json` files, in name order.
    pub fn read(paths: &[PathBuf]) -> Result<Catalog> {
        let mut entries = Vec::new();
        // A file named twice (`a.toml a.toml`, or a folder and a file in
        // it) is read once, so that it is not a duplicate of itself.
        let mut seen = std::collections::HashSet::new();
        let mut read_once = |file: &Path, entries: &mut Vec<(String, String)>| -> Result<()> {
            let key = std::fs::canonicalize(file).map_err(|e| Error::io("read", file, e))?;
            if seen.insert(key) {
                entries.push(read_file(file)?);
            }
            Ok(())
        };
        for path in paths {
            let meta = std::fs::metadata(path).map_err(|e| Error::io("read", path, e))?;
            if meta.is_dir() {
                let mut found = Vec::new();
                for entry in walkdir::WalkDir::new(path)
                    .follow_links(true)
                    .sort_by_file_name()
                {
                    let entry = entry.map_err(|e| {
                        let p = e.path().map(Path::to_path_buf).unwrap_or(path.clone());
                        Error::io("walk", p, e.into())
                    })?;
                    if entry.file_type().is_file() && Format::of(entry.path()).is_some() {
                        found.push(entry.into_path());
                    }
                }
                if found.is_empty() {
                    return Err(Error::Usage(format!(
                        "`{}` holds no catalog files (.toml or .json, in it or in its folders)",
                        path.display()
                    )));
                }
                for file in found {
                    read_once(&file, &mut entries)?;
                }
            } else {
                if Format::of(path).is_none() {
                    return Err(Error::Usage(format!(
                        "`{}` is not a catalog file: expected a .toml or .json file or a folder",
                        path.display()
                    )));
                }
                read_once(path, &mut entries)?;
            }
        }
        parse_all(entries)
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

fn read_file(path: &Path) -> Result<(String, String)> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io("read", path, e))?;
    Ok((path.display().to_string(), text))
}

fn collect_bundled(dir: &Dir<'_>, out: &mut Vec<(String, String)>) {
    for file in dir.files() {
        if Format::of(file.path()).is_some() {
            let name = format!("db/catalog/{}", file.path().display());
            let text = file
                .contents_utf8()
                .expect("the bundled catalog is UTF-8 (checked by its tests)")
                .to_owned();
            out.push((name, text));
        }
    }
    for sub in dir.dirs() {
        collect_bundled(sub, out);
    }
}

fn parse_all(entries: Vec<(String, String)>) -> Result<Catalog> {
    let mut problems = Diagnostics::default();
    let mut files = Vec::with_capacity(entries.len());
    for (name, text) in entries {
        let format = Format::of(Path::new(&name)).expect("filtered by extension");
        match parse(&text, format) {
            Ok(content) => files.push(LoadedFile::new(name, text, format, content)),
            Err((line, column, message)) => problems.push(
                Location {
                    file: name,
                    line,
                    column,
                    record: None,
                },
                message,
            ),
        }
    }
    problems.into_result()?;
    Ok(Catalog { files })
}

type ParseError = (Option<usize>, Option<usize>, String);

/// Parses one file. On error: line, column and a one-line message.
pub fn parse(text: &str, format: Format) -> std::result::Result<CatalogFile, ParseError> {
    match format {
        Format::Toml => toml::de::Deserializer::parse(text)
            .and_then(|de| CatalogFile::deserialize(MapsOnly(de)))
            .map_err(|e| {
                let (line, col) = e
                    .span()
                    .map(|s| line_col(text, s.start))
                    .map_or((None, None), |(l, c)| (Some(l), Some(c)));
                let mut message = plain_words(&one_line(e.message()), Format::Toml);
                // `[source]` where `[[source]]` was meant: say so.
                let at = line.and_then(|l| text.lines().nth(l - 1)).map(str::trim);
                if let Some(header) = at.filter(|l| l.starts_with('[') && !l.starts_with("[["))
                    && message.contains("expected a list")
                {
                    let name = header.trim_matches(|c| c == '[' || c == ']').trim();
                    message.push_str(&format!(
                        "; a record is written `[[{name}]]`, with double brackets"
                    ));
                }
                (line, col, message)
            }),
        Format::Json => parse_json(text),
    }
}

/// A JSON catalog file: one object whose keys are the sections. A leading
/// byte order mark is skipped (TOML allows one too), and a file with
/// nothing but white space holds no records, as an empty TOML file does.
/// Records must be objects: serde would also take a struct from an array
/// of its values in field order, which the format does not allow.
fn parse_json(text: &str) -> std::result::Result<CatalogFile, ParseError> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = body.len() - body.trim_start().len();
    match body[start..].chars().next() {
        None => return Ok(CatalogFile::default()),
        Some('{') => {}
        Some(c) => {
            // Counted without the byte order mark, which editors hide.
            let (line, col) = line_col(body, start);
            let found = match c {
                '[' => "an array",
                '"' => "a string",
                _ => "a single value",
            };
            return Err((
                Some(line),
                Some(col),
                format!(
                    "expected a JSON object whose keys are the sections (`{{\"source\": [...]}}`), found {found}"
                ),
            ));
        }
    }
    let mut de = serde_json::Deserializer::from_str(body);
    CatalogFile::deserialize(MapsOnly(&mut de))
        .and_then(|content| de.end().map(|()| content))
        .map_err(|e| {
            // serde_json appends " at line L column C"; we show the place
            // in front, as for TOML. Its column is 0 at a line's start
            // (an end of input after a newline): columns count from 1.
            let msg = e.to_string();
            let msg = msg
                .rsplit_once(" at line ")
                .map_or(msg.as_str(), |(m, _)| m)
                .to_owned();
            (
                Some(e.line()),
                Some(e.column().max(1)),
                plain_words(&one_line(&msg), Format::Json),
            )
        })
}

/// serde's words for what it expected and found, in the words of the
/// catalog's formats: "map" and "sequence" are a TOML table and list, a
/// JSON object and array, and "struct Source" is one record. The Rust
/// type names never reach the user.
fn plain_words(message: &str, format: Format) -> String {
    let (map, list) = match format {
        Format::Toml => ("a table", "a list"),
        Format::Json => ("an object", "an array"),
    };
    let mut out = message
        .replace("invalid type: map,", &format!("invalid type: {map},"))
        .replace("invalid type: sequence,", &format!("invalid type: {list},"))
        .replace("expected a sequence", &format!("expected {list}"))
        .replace("expected a map", &format!("expected {map}"));
    while let Some(at) = out.find("expected struct ") {
        let name_end = out[at + "expected struct ".len()..]
            .find(|c: char| !c.is_alphanumeric() && c != '_')
            .map_or(out.len(), |n| at + "expected struct ".len() + n);
        out.replace_range(
            at..name_end,
            &format!("expected {map} of fields (one record)"),
        );
    }
    out
}

fn one_line(s: &str) -> String {
    s.trim().replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_speak_of_tables_lists_and_records_not_rust_types() {
        let (line, _, msg) = parse("[source]\nid = \"x\"\n", Format::Toml).unwrap_err();
        assert_eq!(line, Some(1));
        assert!(msg.contains("expected a list"), "{msg}");
        assert!(msg.contains("`[[source]]`, with double brackets"), "{msg}");
        let (_, _, msg) = parse("source = [[1]]\n", Format::Toml).unwrap_err();
        assert!(
            msg.contains("invalid type: a list, expected a table of fields (one record)"),
            "{msg}"
        );
        assert!(!msg.contains("struct") && !msg.contains("Source"), "{msg}");
        let (_, _, msg) = parse("{\"source\": {\"id\": \"x\"}}", Format::Json).unwrap_err();
        assert!(
            msg.contains("invalid type: an object, expected an array"),
            "{msg}"
        );
        assert!(!msg.contains("double brackets"), "{msg}");
        let (_, _, msg) = parse("{\"source\": [7]}", Format::Json).unwrap_err();
        assert!(
            msg.contains("expected an object of fields (one record)"),
            "{msg}"
        );
        assert!(!msg.contains("struct"), "{msg}");
    }

    #[test]
    fn toml_errors_point_at_line_and_column() {
        let text = "[[source]]\nid = \"a\"\nkind = \"article\"\ntitle = \"t\"\ncolour = \"red\"\n";
        let (line, col, msg) = parse(text, Format::Toml).unwrap_err();
        assert_eq!(line, Some(5));
        assert_eq!(col, Some(1));
        assert!(msg.contains("unknown field `colour`"), "{msg}");
    }

    #[test]
    fn impossible_dates_are_refused_with_their_place() {
        let text = "[[source]]\nid = \"a\"\nkind = \"article\"\ntitle = \"t\"\npublished = \"2017-02-30\"\n";
        let (line, _, msg) = parse(text, Format::Toml).unwrap_err();
        assert_eq!(line, Some(5));
        assert!(msg.contains("2017-02-30"), "{msg}");
    }

    #[test]
    fn json_errors_point_at_line() {
        let text = "{\n  \"source\": [\n    {\"id\": \"a\", \"kind\": \"poem\", \"title\": \"t\"}\n  ]\n}\n";
        let (line, _, msg) = parse(text, Format::Json).unwrap_err();
        assert_eq!(line, Some(3));
        assert!(msg.contains("unknown variant `poem`"), "{msg}");
    }

    #[test]
    fn finds_the_line_of_a_record() {
        let text = "[[source]]\nid = \"a\"\nkind = \"article\"\ntitle = \"t\"\n\n[[source]]\nid = \"b\"\nkind = \"article\"\ntitle = \"u\"\n";
        let file = LoadedFile::new(
            "f.toml".into(),
            text.into(),
            Format::Toml,
            parse(text, Format::Toml).unwrap(),
        );
        assert_eq!(file.line_of_key("source", 1, "id", "b"), Some(7));
        // Not its value: the record's first line.
        assert_eq!(file.line_of_key("source", 1, "id", "c"), Some(6));
        assert_eq!(file.line_of_nth("source", 1), Some(6));
        assert_eq!(file.line_of_nth("source", 2), None);
    }
}
