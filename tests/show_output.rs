//! `show` and the piped table as users meet them: the real binary on a
//! store loaded from the `basic` fixture catalog (tests/fixtures/queries),
//! with a few records added per test.

use serde_json::Value;

const BASIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/queries/basic");

mod common;
use common::Sandbox;

impl Sandbox {
    /// A store holding the `basic` fixture catalog and `extra`, a catalog
    /// file of this test's own (nothing more when empty).
    fn basic_with(extra: &str) -> Self {
        let s = Sandbox::new();
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
}

/// A JSON value as plain text: strings unquoted, null as "".
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

// ---- show OBLIGATION ---------------------------------------------------------

/// `search` hands out obligation IDs as "what to pass to `show`"; `show`
/// used to refuse them ("record not found; did you mean one of: `ma`…").
#[test]
fn show_takes_the_obligation_ids_search_hands_out() {
    let s = Sandbox::basic_with("");
    // A change recorded against the history, so the history holds a
    // forced mark and a note.
    s.cmd(&[
        "record",
        "obligation",
        "--obligation",
        "law-art3-permits",
        "--status",
        "fulfilled",
        "--date",
        "2020-05-01",
        "--source",
        "src-law",
        "--force",
        "--note",
        "reported late",
    ])
    .assert()
    .success();
    let hits = s.json(&["search", "permits", "--kind", "obligation"]);
    let id = text(&hits[0]["id"]);
    assert_eq!(id, "law-art3-permits", "{hits}");

    let v = s.json(&["show", &id]);
    assert_eq!(text(&v["entity"]), "obligation", "{v}");
    assert_eq!(text(&v["id"]), "law-art3-permits");
    assert_eq!(text(&v["agency"]), "mia");
    assert_eq!(text(&v["agency_name"]), "Ministry of Internal Affairs");
    assert_eq!(text(&v["role"]), "responsible");
    assert_eq!(text(&v["modality"]), "power");
    assert_eq!(text(&v["action"]), "issue work permits");
    assert_eq!(text(&v["document"]), "law");
    assert_eq!(text(&v["provision"]), "art_3");
    assert_eq!(text(&v["provision_id"]), "law#art_3");
    assert_eq!(text(&v["provision_heading"]), "Permits");
    assert_eq!(text(&v["source"]), "src-law");
    assert_eq!(text(&v["confidence"]), "verified");
    // The status today is the one `obligations` gives.
    let listed = s.json(&["obligations", "--document", "law"]);
    let row = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "law-art3-permits")
        .unwrap();
    assert_eq!(v["status"], row["status"]);
    assert_eq!(v["status_since"], row["status_since"]);
    assert_eq!(v["directions"], row["directions"]);
    let history: Vec<(String, String, String, String, bool)> = v["history"]
        .as_array()
        .expect("a history")
        .iter()
        .map(|c| {
            (
                text(&c["date"]),
                text(&c["status"]),
                text(&c["note"]),
                text(&c["source"]),
                c["forced"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        history,
        [
            (
                "2011-08".into(),
                "active".into(),
                "".into(),
                "src-law".into(),
                false
            ),
            (
                "2024-03".into(),
                "suspended".into(),
                "".into(),
                "src-news".into(),
                false
            ),
            (
                "2020-05-01".into(),
                "fulfilled".into(),
                "reported late".into(),
                "src-law".into(),
                true
            ),
        ],
        "{v}"
    );

    let page = s.out(&["show", &id]);
    for want in [
        "obligation law-art3-permits: issue work permits",
        "agency: mia (Ministry of Internal Affairs)",
        "role: responsible",
        "modality: power",
        "provision: law#art_3 (Permits)",
        "status history:",
        "reported late",
        "forced",
        "src-news",
        "source: src-law (verified)",
    ] {
        assert!(page.contains(want), "{want:?} missing:\n{page}");
    }
    let md = s.out(&["show", &id, "--format", "markdown"]);
    assert!(md.starts_with("# obligation law-art3-permits"), "{md}");
    assert!(md.contains("- **provision**: law#art_3 (Permits)"), "{md}");
    assert!(md.contains("## status history"), "{md}");
    assert!(
        md.contains("| 2020-05-01 | fulfilled | reported late | src-law | forced |"),
        "{md}"
    );
    s.fails(&["show", &id, "--format", "csv"], 2);
    // At a narrow terminal the history table fits.
    let out = s.cmd(&["show", &id]).env("COLUMNS", "60").output().unwrap();
    let narrow = String::from_utf8(out.stdout).unwrap();
    assert!(narrow.contains('┆'), "{narrow}");
    for line in narrow
        .lines()
        .filter(|l| l.starts_with(['┌', '│', '╞', '└']))
    {
        assert!(line.chars().count() <= 60, "too wide: {line:?}\n{narrow}");
    }
}

/// A recurring duty shows its recurrence and its next occurrence, and one
/// with no recorded change says so.
#[test]
fn show_an_obligation_with_a_recurrence() {
    let s = Sandbox::basic_with("");
    let v = s.json(&["show", "law-art2-report"]);
    assert_eq!(text(&v["due"]), "every year by 01-15");
    assert_eq!(text(&v["next_due"]), "2027-01-15");
    assert_eq!(text(&v["status"]), "active");
    let v = s.json(&["show", "law-art1-quota"]);
    assert_eq!(v["history"], serde_json::json!([]));
    assert_eq!(v["directions"], serde_json::json!(["plan-d1"]));
    let page = s.out(&["show", "law-art1-quota"]);
    assert!(
        page.contains("status today: active (no change recorded)"),
        "{page}"
    );
    assert!(page.contains("directions: plan-d1"), "{page}");
}

/// Suggestions for a long ID are IDs like it, never two-letter codes that
/// share a letter or two with it.
#[test]
fn a_mistyped_long_id_gets_sensible_suggestions() {
    let s = Sandbox::basic_with("");
    let err = s.fails(&["show", "law-art3-permit"], 1);
    assert!(
        err.contains("did you mean one of: `law-art3-permits`"),
        "the obligation first: {err}"
    );
    let err = s.fails(&["show", "mig-art9-visas"], 1);
    assert!(err.contains("record `mig-art9-visas` not found"), "{err}");
    for code in ["`vn`", "`ir`", "`mia`", "`mol`", "`gov`"] {
        assert!(!err.contains(code), "{code} suggested: {err}");
    }
}

// ---- a name of two kinds ------------------------------------------------------

/// docs/cli.md: a name that several agencies or partners answer to exits 2
/// and names them, `show` too. An agency and a partner answering to the
/// same name used to show the agency.
#[test]
fn a_name_an_agency_and_a_partner_answer_to_is_ambiguous_for_show() {
    let s = Sandbox::basic_with(
        r#"[[agency]]
id = "vn-desk"
kind = "committee"
name = { en = "Viet Nam desk" }
aliases = ["Vietnam"]
jurisdiction = "kz"
source = "src-law"
"#,
    );
    let err = s.fails(&["show", "Vietnam"], 2);
    assert!(err.contains("ambiguous"), "{err}");
    assert!(err.contains("agency `vn-desk`"), "{err}");
    assert!(err.contains("partner `vn`"), "{err}");
    // Each by its ID, or by a name only one of them answers to.
    assert_eq!(text(&s.json(&["show", "vn-desk"])["entity"]), "agency");
    assert_eq!(text(&s.json(&["show", "vn"])["entity"]), "partner");
    assert_eq!(text(&s.json(&["show", "Viet Nam"])["id"]), "vn");
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
