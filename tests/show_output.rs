//! `show` and the piped table as users meet them: the real binary on a
//! store loaded from the `basic` fixture catalog (tests/fixtures/queries),
//! with a few records added per test.

use std::path::PathBuf;

use assert_cmd::Command;
use tempfile::TempDir;

const BASIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/queries/basic");

/// A scratch folder with a store, and a way to run the binary on it.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    /// A store holding the `basic` fixture catalog and `extra`, a catalog
    /// file of this test's own (nothing more when empty).
    fn basic_with(extra: &str) -> Self {
        let s = Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        s.cmd(&["init", "--empty"]).assert().success();
        let mut import = vec!["import", BASIC];
        let path = s.dir.path().join("extra.toml");
        if !extra.is_empty() {
            std::fs::write(&path, extra).unwrap();
            import.push(path.to_str().unwrap());
        }
        s.cmd(&import).assert().success();
        s
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("store.db")
    }

    /// `lextrack --db <store> --today 2026-11-24 ARGS` in a clean
    /// environment: stdout is a pipe and `COLUMNS` is unset, so tables are
    /// whole.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("lextrack").expect("binary built");
        cmd.env_clear()
            .current_dir(self.dir.path())
            .arg("--db")
            .arg(self.db())
            .args(["--today", "2026-11-24"])
            .args(args);
        cmd
    }

    /// Runs a command that must succeed and returns its stdout.
    fn out(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("runs");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }
}

// ---- the piped table ----------------------------------------------------------

/// The cells of a piped table's line, split at the `|` that are not
/// escaped, as a script splitting the table on `|` would.
fn cells(line: &str) -> Vec<String> {
    let mut out = vec![String::new()];
    let mut escaped = false;
    for c in line.chars() {
        match c {
            '|' if !escaped => out.push(String::new()),
            _ => out.last_mut().unwrap().push(c),
        }
        escaped = c == '\\' && !escaped;
    }
    out
}

/// Through a pipe a table is "one line per row"; a TOML multi-line action
/// with a `|` used to take two lines and add a column.
#[test]
fn a_piped_table_keeps_each_row_on_one_line() {
    let s = Sandbox::basic_with(
        r#"[document]
id = "mdoc"
kind = "law"
work_id = "/akn/kz/act/2020-01-01/m"
title = { en = "Multi-line test" }
jurisdiction = "kz"
adopted = "2020-01-01"
status = "in_force"
source = "src-law"

[[provision]]
eid = "art_1"
kind = "article"
number = "1"
heading = """Heading | with
a break"""

[[obligation]]
id = "mdoc-o1"
provision = "art_1"
agency = "mol"
role = "responsible"
modality = "duty"
action = """first line | pipe
second line, "quoted" \\ backslash"""
source = "src-law"

[[obligation]]
id = "mdoc-o2"
provision = "art_1"
agency = "mia"
role = "responsible"
modality = "duty"
action = "plain"
source = "src-law"
"#,
    );
    let table = s.out(&["obligations", "--document", "mdoc"]);
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(
        lines.len(),
        4,
        "header, rule and one line per row:\n{table}"
    );
    let columns = cells(lines[0]).len();
    for line in &lines {
        assert_eq!(cells(line).len(), columns, "{line:?}\n{table}");
    }
    assert!(
        lines[2].contains(r#"first line \| pipe ↵ second line, "quoted" \ backslash"#),
        "{table}"
    );

    // `show`'s sections and the search listing are tables too.
    let page = s.out(&["show", "mdoc#art_1"]);
    assert!(page.contains("first line"), "{page}");
    for line in page.lines().filter(|l| l.starts_with('|')) {
        assert!(
            !line.contains(" | pipe"),
            "an unescaped pipe: {line:?}\n{page}"
        );
    }
    assert!(
        !page
            .lines()
            .any(|l| l.trim_start().starts_with("second line")),
        "{page}"
    );
    let hits = s.out(&["search", "pipe"]);
    for line in hits.lines() {
        assert!(
            line.starts_with('|'),
            "a row broken over lines: {line:?}\n{hits}"
        );
    }

    // Markdown and CSV escape in their own ways, as before.
    let md = s.out(&["obligations", "--document", "mdoc", "--format", "markdown"]);
    assert!(
        md.contains(r#"| first line \| pipe<br>second line, "quoted" \ backslash |"#),
        "{md}"
    );
    let csv = s.out(&["obligations", "--document", "mdoc", "--format", "csv"]);
    assert!(
        csv.contains("\"first line | pipe\nsecond line, \"\"quoted\"\" \\ backslash\""),
        "{csv}"
    );
}
