//! Reading catalog files from disk or from the bundled catalog.
//!
//! Every file is parsed on its own; a parse error names the file, line and
//! column. All files are read before any problem is reported, so one run
//! shows every malformed file at once.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};

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
    /// For TOML: the lines of each `[[section]]` header, built on the first
    /// lookup so that a run with many problems scans the file once.
    headers: std::sync::OnceLock<HashMap<String, Vec<usize>>>,
}

impl LoadedFile {
    pub fn new(name: String, text: String, format: Format, content: CatalogFile) -> Self {
        LoadedFile {
            name,
            text,
            format,
            content,
            headers: std::sync::OnceLock::new(),
        }
    }

    /// The 1-based line of the `index`-th `[[section]]` header of a TOML
    /// file: where the `index`-th record of that list starts.
    pub fn line_of_nth(&self, section: &str, index: usize) -> Option<usize> {
        if self.format != Format::Toml {
            return None;
        }
        let headers = self.headers.get_or_init(|| {
            let mut map: HashMap<String, Vec<usize>> = HashMap::new();
            for (i, line) in self.text.lines().enumerate() {
                let line = line.trim();
                if let Some(name) = line.strip_prefix("[[").and_then(|l| l.split_once("]]")) {
                    map.entry(name.0.trim().to_owned()).or_default().push(i + 1);
                }
            }
            map
        });
        headers.get(section)?.get(index).copied()
    }

    /// The 1-based line of the first `key = "value"` (TOML) or
    /// `"key": "value"` (JSON) in the file, to point semantic errors at the
    /// record they are about.
    pub fn line_of(&self, key: &str, value: &str) -> Option<usize> {
        let quoted = serde_json::to_string(value).ok()?;
        self.text
            .lines()
            .position(|line| {
                let line = line.trim_start();
                let rest = match self.format {
                    Format::Toml => line.strip_prefix(key),
                    Format::Json => line.strip_prefix(&format!("\"{key}\"")),
                };
                rest.map(|r| r.trim_start())
                    .and_then(|r| {
                        r.strip_prefix(if self.format == Format::Toml {
                            '='
                        } else {
                            ':'
                        })
                    })
                    .is_some_and(|r| r.trim().trim_end_matches(',') == quoted)
            })
            .map(|i| i + 1)
    }

    /// A location in this file for the record `record` (e.g. `provision
    /// "art_9"`), found by its `key = "value"` line.
    pub fn locate(&self, key: &str, value: &str, record: String) -> Location {
        Location {
            file: self.name.clone(),
            line: self.line_of(key, value),
            column: None,
            record: Some(record),
        }
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
        Format::Toml => toml::from_str(text).map_err(|e| {
            let (line, col) = e
                .span()
                .map(|s| line_col(text, s.start))
                .map_or((None, None), |(l, c)| (Some(l), Some(c)));
            (line, col, one_line(e.message()))
        }),
        Format::Json => serde_json::from_str(text).map_err(|e| {
            // serde_json appends " at line L column C"; we show the place
            // in front, as for TOML.
            let msg = e.to_string();
            let msg = msg
                .rsplit_once(" at line ")
                .map_or(msg.as_str(), |(m, _)| m)
                .to_owned();
            (Some(e.line()), Some(e.column()), one_line(&msg))
        }),
    }
}

fn one_line(s: &str) -> String {
    s.trim().replace('\n', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(file.line_of("id", "b"), Some(7));
        assert_eq!(file.line_of("id", "c"), None);
        assert_eq!(file.line_of_nth("source", 1), Some(6));
        assert_eq!(file.line_of_nth("source", 2), None);
    }
}
