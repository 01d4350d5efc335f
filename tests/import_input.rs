//! What a user gets for input the tools read: catalog files that point at
//! the wrong record, JSON in shapes the format does not allow, `record`
//! with several problems, day options given a partial or impossible date,
//! and an empty file given as the store. Each test runs the real binary.

use std::fs;
use std::path::Path;

const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mini");

mod common;
use common::{Sandbox, stderr, stdout};

impl Sandbox {
    /// A sandbox with an empty store.
    fn empty() -> Self {
        let s = Sandbox::new();
        s.cmd(&["init", "--empty"]).assert().success();
        s
    }

    /// A sandbox whose store holds the mini fixture catalog.
    fn mini() -> Self {
        let s = Sandbox::empty();
        s.cmd(&["import", MINI]).assert().success();
        s
    }

    /// Writes `text` to `name` in the sandbox and imports it by that
    /// name, which messages then show.
    fn import_text(&self, name: &str, text: &str) -> assert_cmd::assert::Assert {
        fs::write(self.path(name), text).unwrap();
        self.cmd(&["import", name]).assert()
    }
}

// ---- Section 6: each record's problems point at its own line ----

#[test]
fn a_duplicate_id_in_one_file_names_the_duplicate_and_the_first_lines() {
    let s = Sandbox::empty();
    let a = s
        .import_text(
            "dup2.toml",
            "[[source]]\nid = \"s-x\"\nkind = \"news\"\ntitle = \"X\"\n\n\
             [[source]]\nid = \"s-x\"\nkind = \"news\"\ntitle = \"X again\"\n",
        )
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains(
            "dup2.toml:7: source \"s-x\": duplicate source `s-x`: already defined at dup2.toml:2"
        ),
        "{err}"
    );
}

#[test]
fn a_record_sharing_its_id_with_another_kind_gets_its_own_line() {
    let s = Sandbox::empty();
    let a = s
        .import_text(
            "agpart.toml",
            "[[source]]\nid = \"s-a\"\nkind = \"news\"\ntitle = \"A\"\n\n\
             [[agency]]\nid = \"vn\"\nkind = \"ministry\"\nname = { en = \"An agency\" }\n\
             jurisdiction = \"kz\"\nsource = \"s-a\"\n\n\
             [[partner]]\nid = \"vn\"\nkind = \"state\"\nname = { en = \"Viet Nam\" }\n\
             source = \"nosrc\"\n",
        )
        .code(1);
    let err = stderr(&a);
    // The agency's `id = "vn"` is line 7, the partner's line 14.
    assert!(
        err.contains("agpart.toml:14: partner \"vn\": field `source`: unknown source `nosrc`"),
        "{err}"
    );
}

#[test]
fn a_literal_string_id_gets_its_line() {
    let s = Sandbox::empty();
    let a = s
        .import_text(
            "sq.toml",
            "[[source]]\nid = 's-sq'\nkind = 'news'\ntitle = 'X'\npublished = '2030'\n",
        )
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains("sq.toml:2: source \"s-sq\": field `published`: 2030 is after today"),
        "{err}"
    );
}

#[test]
fn json_records_get_their_own_lines() {
    let s = Sandbox::empty();
    // An export-like layout: one key a line, the same ID twice.
    let text = r#"{
  "source": [
    {
      "id": "s-j",
      "kind": "news",
      "title": "J"
    },
    {
      "id": "s-j",
      "kind": "news",
      "title": "J again",
      "url": "ftp://example.org"
    }
  ]
}
"#;
    let a = s.import_text("dup.json", text).code(1);
    let err = stderr(&a);
    assert!(
        err.contains(
            "dup.json:9: source \"s-j\": duplicate source `s-j`: already defined at dup.json:4"
        ),
        "{err}"
    );
    assert!(
        err.contains("dup.json:9: source \"s-j\": field `url`: `ftp://example.org`"),
        "{err}"
    );
}

// ---- Section 7: JSON in the shape the format allows ----

#[test]
fn a_json_file_that_is_an_array_is_refused() {
    let s = Sandbox::empty();
    for (name, text) in [
        ("arr.json", "[]"),
        (
            "arr3.json",
            r#"[{"id": "s-arr", "kind": "news", "title": "X"}]"#,
        ),
    ] {
        let a = s.import_text(name, text).code(1);
        let err = stderr(&a);
        assert!(
            err.contains(&format!(
                "{name}:1:1: expected a JSON object whose keys are the sections"
            )),
            "{err}"
        );
        assert!(err.contains("found an array"), "{err}");
    }
}

#[test]
fn records_given_as_arrays_are_refused() {
    let s = Sandbox::empty();
    let a = s
        .import_text("arr4.json", r#"{"source": [["s-arr2", "news", "X"]]}"#)
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains(
            "arr4.json:1:13: invalid type: an array, expected an object of fields (one record)"
        ),
        "{err}"
    );
    // TOML took the same positional form.
    let a = s
        .import_text("arr.toml", "source = [[\"s-arr2\", \"news\", \"X\"]]\n")
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains(
            "arr.toml:1:11: invalid type: a list, expected a table of fields (one record)"
        ),
        "{err}"
    );
    // Nothing was imported.
    s.cmd(&["export", "--out", "out"]).assert().success();
    let sources = fs::read_to_string(s.path("out/sources.toml")).unwrap_or_default();
    assert!(!sources.contains("s-arr2"), "{sources}");
}

#[test]
fn a_json_file_with_a_byte_order_mark_is_read() {
    let s = Sandbox::empty();
    let a = s
        .import_text(
            "bom.json",
            "\u{feff}{\"source\": [{\"id\": \"s-bom\", \"kind\": \"news\", \"title\": \"X\"}]}",
        )
        .success();
    assert!(stdout(&a).contains("1 file, 1 record;"), "{}", stdout(&a));
}

#[test]
fn an_empty_json_file_holds_no_records_like_an_empty_toml_file() {
    let s = Sandbox::empty();
    for name in ["empty.json", "empty.toml"] {
        let a = s.import_text(name, "").success();
        assert!(
            stdout(&a).contains("1 file, 0 records: nothing changed"),
            "{name}: {}",
            stdout(&a)
        );
    }
}

#[test]
fn json_error_columns_count_from_one() {
    let s = Sandbox::empty();
    // serde_json says column 0 for the end of input after a newline.
    let a = s.import_text("cut.json", "{\n").code(1);
    let err = stderr(&a);
    assert!(
        err.contains("cut.json:2:1: EOF while parsing an object"),
        "{err}"
    );
}

// ---- Section 11: `record` lists every problem at once ----

#[test]
fn record_lists_an_unknown_party_and_an_unknown_source_together() {
    let s = Sandbox::mini();
    let a = s
        .cmd(&[
            "record",
            "event",
            "--agreement",
            "fta-vn",
            "--stage",
            "ratified",
            "--date",
            "2016",
            "--party",
            "nosuch",
            "--source",
            "nosrc",
        ])
        .assert()
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains("field `party`: partner `nosuch` not found"),
        "{err}"
    );
    assert!(
        err.contains("field `source`: unknown source `nosrc`"),
        "{err}"
    );
    // An unknown agreement does not hide the other problems either.
    let a = s
        .cmd(&[
            "record",
            "event",
            "--agreement",
            "no-such",
            "--stage",
            "ratified",
            "--date",
            "2016",
            "--source",
            "nosrc",
        ])
        .assert()
        .code(1);
    let err = stderr(&a);
    assert!(
        err.contains("field `agreement`: agreement `no-such` not found"),
        "{err}"
    );
    assert!(
        err.contains("field `source`: unknown source `nosrc`"),
        "{err}"
    );
}

// ---- Section 12: day options, an empty store file ----

#[test]
fn day_options_explain_a_partial_or_impossible_date() {
    let s = Sandbox::empty();
    let cases: [(&[&str], &str); 4] = [
        (
            &["agreements", "--as-of", "2019"],
            "`2019` is a year, not a day: expected a whole day YYYY-MM-DD",
        ),
        (
            &["--today", "2017", "partners"],
            "`2017` is a year, not a day: expected a whole day YYYY-MM-DD",
        ),
        (
            &["--today", "2017-02-30", "partners"],
            "impossible date `2017-02-30`: month 02 of 2017 has 28 days",
        ),
        (
            &["obligations", "--due-before", "soon"],
            "invalid date `soon`: expected a whole day YYYY-MM-DD",
        ),
    ];
    for (args, expected) in cases {
        let a = if args[0] == "--today" {
            s.undated(args)
        } else {
            s.cmd(args)
        }
        .assert()
        .code(2);
        let err = stderr(&a);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(!err.contains("premature end of input"), "{err}");
        assert!(!err.contains("input is out of range"), "{err}");
    }
}

#[test]
fn an_empty_file_as_the_store_gets_the_bundled_catalog_and_a_note() {
    let s = Sandbox::new();
    fs::write(s.db(), b"").unwrap();
    let a = s.cmd(&["show", "eaeu-treaty"]).assert().success();
    let err = stderr(&a);
    assert!(err.contains("is an empty file, not yet a store"), "{err}");
    assert!(
        err.contains("creating it from the bundled catalog"),
        "{err}"
    );
}

#[test]
fn an_empty_store_file_is_left_empty_by_a_refused_import_and_taken_by_init() {
    let s = Sandbox::new();
    fs::write(s.db(), b"").unwrap();
    s.import_text(
        "bad.toml",
        "[[source]]\nid = \"zz\"\nkind = \"news\"\ntitle = \"t\"\nurl = \"ftp://x\"\n",
    )
    .code(1);
    assert_eq!(fs::metadata(s.db()).unwrap().len(), 0, "not left as it was");
    // Nothing to replace, so no --force is needed.
    let a = s.cmd(&["init", "--empty"]).assert().success();
    assert!(stderr(&a).contains("empty (0 records)"), "{}", stderr(&a));
    assert!(Path::new(&s.db()).metadata().unwrap().len() > 0);
}
