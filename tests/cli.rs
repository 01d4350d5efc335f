//! The store and the catalog format, as users meet them: the real binary
//! run against temporary stores and fixture catalogs.

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mini");

mod common;
use common::{Sandbox, files_under, stderr, stdout};

impl Sandbox {
    /// Imports `path` on a later day than the tests' today, so that the
    /// store holds what an import on 2026-11-24 refuses (for `check`).
    fn import_later(&self, path: &Path) -> assert_cmd::assert::Assert {
        self.cmd_on("2100-01-01", &["import", path.to_str().unwrap()])
            .assert()
    }

    /// A store holding the mini catalog and one file of
    /// tests/fixtures/mini-additions (`name`), imported after it.
    fn mini_with(addition: &str) -> Sandbox {
        let s = Sandbox::new();
        s.empty_store();
        s.import(Path::new(MINI)).success();
        let extra = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/mini-additions")
            .join(addition);
        s.import(&extra).success();
        s
    }

    fn empty_store(&self) {
        self.cmd(&["init", "--empty"]).assert().success();
    }

    fn import(&self, path: &Path) -> assert_cmd::assert::Assert {
        self.cmd(&["import", path.to_str().unwrap()]).assert()
    }

    /// Every exported file, path and bytes: the observable state of the store.
    fn snapshot(&self, format: &str) -> Vec<(String, Vec<u8>)> {
        let out = self.path(&format!("snapshot-{format}"));
        let _ = fs::remove_dir_all(&out);
        self.cmd(&["export", "--format", format, "--out", out.to_str().unwrap()])
            .assert()
            .success();
        read_tree(&out)
    }

    /// A copy of the mini fixture catalog that a test may break.
    fn mini_copy(&self) -> PathBuf {
        let to = self.path("catalog");
        copy_tree(Path::new(MINI), &to);
        to
    }

    /// A copy of the mini catalog with `from` replaced by `to` in `file`.
    fn mini_edited(&self, file: &str, from: &str, to: &str) -> PathBuf {
        let cat = self.mini_copy();
        replace_in(&cat.join(file), from, to);
        cat
    }
}

fn read_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in files_under(root) {
        let rel = entry.strip_prefix(root).unwrap().display().to_string();
        out.push((rel, fs::read(&entry).unwrap()));
    }
    out.sort();
    out
}

fn copy_tree(from: &Path, to: &Path) {
    for file in files_under(from) {
        let dest = to.join(file.strip_prefix(from).unwrap());
        fs::create_dir_all(dest.parent().unwrap()).unwrap();
        fs::copy(&file, &dest).unwrap();
    }
}

fn replace_in(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert!(
        text.contains(from),
        "fixture {} lacks {from:?}",
        path.display()
    );
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn init_loads_the_bundled_catalog() {
    let s = Sandbox::new();
    let a = s.cmd(&["init"]).assert().success();
    let err = stderr(&a);
    assert!(err.contains("from the bundled catalog"), "{err}");
    let snapshot = s.snapshot("json");
    let docs = snapshot
        .iter()
        .filter(|(p, _)| p.starts_with("documents/") || p.starts_with("agreements/"))
        .count();
    assert!(docs > 0, "the bundled catalog has documents");
}

#[test]
fn init_leaves_one_store_file_and_no_temporary() {
    let s = Sandbox::new();
    s.cmd(&["init"]).assert().success();
    s.cmd(&["init", "--force"]).assert().success();
    let mut names: Vec<String> = fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, vec!["store.db".to_string()]);
}

#[test]
fn reading_commands_leave_no_log_beside_the_store() {
    let s = Sandbox::new();
    s.cmd(&["init"]).assert().success();
    for args in [
        &["partners"][..],
        &["obligations", "--format", "csv"],
        &["search", "quota"],
        &["check"],
        // Commands that fail close the store too.
        &["show", "nope"],
        &["obligations", "--agency", "nope"],
        &["agreements", "--partner", "nope"],
        &[
            "record",
            "event",
            "--agreement",
            "eaeu-vn-fta",
            "--stage",
            "suspended",
            "--date",
            "2030-01-01",
            "--source",
            "nope",
        ],
    ] {
        let _ = s.cmd(args).assert();
        let mut names: Vec<String> = fs::read_dir(s.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, vec!["store.db".to_string()], "after {args:?}");
    }
}

#[test]
fn a_dry_run_without_a_store_creates_none() {
    let s = Sandbox::new();
    let sources = Path::new(MINI).join("sources.toml");
    let a = s
        .cmd(&["import", "--dry-run", sources.to_str().unwrap()])
        .assert()
        .success();
    assert!(stderr(&a).contains("nothing is written"), "{}", stderr(&a));
    assert!(!s.db().exists(), "the dry run created the store");
}

#[test]
fn a_refused_import_into_a_missing_store_leaves_no_store() {
    let s = Sandbox::new();
    let cat = s.mini_edited(
        "agreements/fta-vn.toml",
        "date = \"2016-10\"",
        "date = \"2030-01-01\"",
    );
    let a = s.import(&cat).code(1);
    assert!(stderr(&a).contains("was removed"), "{}", stderr(&a));
    let left: Vec<_> = fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("store.db"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn another_programs_database_is_refused_and_left_alone() {
    let s = Sandbox::new();
    let db = s.db();
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(async move {
            use sqlx::Connection;
            let mut conn =
                sqlx::SqliteConnection::connect(&format!("sqlite:{}?mode=rwc", db.display()))
                    .await
                    .expect("create a database");
            sqlx::query("CREATE TABLE notes (a TEXT); INSERT INTO notes VALUES ('mine')")
                .execute(&mut conn)
                .await
                .expect("write to it");
            conn.close().await.unwrap();
        });
    let before = fs::read(s.db()).unwrap();
    let a = s.cmd(&["partners"]).assert().code(3);
    assert!(
        stderr(&a).contains("not a lextrack store"),
        "{}",
        stderr(&a)
    );
    assert_eq!(fs::read(s.db()).unwrap(), before, "the database changed");
    let a = s.cmd(&["init", "--force"]).assert().code(3);
    assert!(
        stderr(&a).contains("not a lextrack store"),
        "{}",
        stderr(&a)
    );
    assert_eq!(
        fs::read(s.db()).unwrap(),
        before,
        "init --force replaced it"
    );
}

#[test]
fn a_file_that_is_no_database_is_named_once() {
    let s = Sandbox::new();
    fs::write(s.db(), "not a database, just text\n").unwrap();
    let a = s.cmd(&["check"]).assert().code(3);
    let err = stderr(&a);
    assert!(err.contains("store.db"), "{err}");
    assert_eq!(err.matches("file is not a database").count(), 1, "{err}");
}

#[test]
fn init_force_replaces_only_a_store() {
    let s = Sandbox::new();
    // A file that is not a database is left as it was.
    fs::write(s.db(), "my notes, not a database\n").unwrap();
    let a = s.cmd(&["init", "--force"]).assert().code(3);
    assert!(
        stderr(&a).contains("is not an SQLite database, so not a lextrack store"),
        "{}",
        stderr(&a)
    );
    assert_eq!(
        fs::read_to_string(s.db()).unwrap(),
        "my notes, not a database\n"
    );
    // So is a folder, named as such.
    let folder = s.path("folder.db");
    fs::create_dir(&folder).unwrap();
    let a = Command::cargo_bin("lextrack")
        .unwrap()
        .env_clear()
        .arg("--db")
        .arg(&folder)
        .args(["init", "--force"])
        .assert()
        .code(2);
    assert!(stderr(&a).contains("is a folder"), "{}", stderr(&a));
    assert!(folder.is_dir());
}

#[test]
fn init_works_from_any_directory() {
    // The catalog is compiled in: a folder without db/ still gets it.
    let s = Sandbox::new();
    assert!(!s.path("db").exists());
    s.cmd(&["init"]).assert().success();
    assert!(s.db().exists());
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let before = s.snapshot("toml");
    let a = s.cmd(&["init"]).assert().code(2);
    assert!(stderr(&a).contains("pass --force"), "{}", stderr(&a));
    assert_eq!(s.snapshot("toml"), before, "the store is unchanged");

    s.cmd(&["init", "--empty", "--force"]).assert().success();
    let after = s.snapshot("toml");
    assert_ne!(after, before, "--force replaced the store");
    assert!(
        after
            .iter()
            .all(|(p, _)| !p.starts_with("documents/") && !p.starts_with("agreements/")),
        "an empty store exports no documents"
    );
}

#[test]
fn a_reading_command_creates_a_missing_store_and_says_so() {
    let s = Sandbox::new();
    let a = s.cmd(&["check"]).assert();
    assert!(stderr(&a).contains("no store at"), "stderr: {}", stderr(&a));
    assert!(s.db().exists());
}

#[test]
fn export_import_export_is_byte_identical() {
    for format in ["toml", "json"] {
        let s = Sandbox::new();
        s.empty_store();
        s.import(Path::new(MINI)).success();
        let first_dir = s.path("first");
        s.cmd(&[
            "export",
            "--format",
            format,
            "--out",
            first_dir.to_str().unwrap(),
        ])
        .assert()
        .success();
        let first = read_tree(&first_dir);
        assert_eq!(
            first.len(),
            8,
            "{format}: the canonical layout of mini, and the manifest"
        );

        let t = Sandbox::new();
        t.empty_store();
        t.import(&first_dir).success();
        assert_eq!(
            t.snapshot(format),
            first,
            "{format}: round trip changed bytes"
        );
    }
}

#[test]
fn awkward_values_survive_the_round_trip() {
    // Floats that need every digit, empty strings, quotes, newlines and
    // scripts other than Latin, an explicit parent equal to the implied one.
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_edited(
        "indicators.toml",
        "value = 1234.5",
        "value = 123456789.12345679",
    );
    replace_in(
        &cat.join("documents/law.toml"),
        "heading = \"Reports\"",
        "heading = \"Отчёты «кв» \\\"q\\\"\\nline 2 ә ғ қ\"",
    );
    replace_in(
        &cat.join("documents/law.toml"),
        "eid = \"art_1__para_1\"",
        "eid = \"art_1__para_1\"\nparent = \"art_1\"",
    );
    s.import(&cat).success();
    for format in ["toml", "json"] {
        let first = s.snapshot(format);
        let t = Sandbox::new();
        t.empty_store();
        let dir = s.path(&format!("snapshot-{format}"));
        t.import(&dir).success();
        assert_eq!(t.snapshot(format), first, "{format}");
        let a = s.import(&dir).success();
        assert!(
            stdout(&a).contains("nothing changed"),
            "{format}: {}",
            stdout(&a)
        );
    }
}

#[test]
fn re_export_removes_files_it_no_longer_writes() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let out = s.path("out");
    let out_arg = out.to_str().unwrap();
    s.cmd(&["export", "--out", out_arg]).assert().success();
    assert!(out.join("documents/law.toml").exists());
    // The law gains a party: it is an agreement now and moves.
    let cat = s.mini_copy();
    fs::write(
        cat.join("documents/law.toml"),
        fs::read_to_string(cat.join("documents/law.toml")).unwrap()
            + "\n[[party]]\npartner = \"vn\"\n",
    )
    .unwrap();
    s.import(&cat).success();
    s.cmd(&["export", "--out", out_arg]).assert().success();
    assert!(!out.join("documents/law.toml").exists());
    assert!(out.join("agreements/law.toml").exists());
    // A file the export did not write is left alone.
    fs::write(out.join("README.txt"), "mine").unwrap();
    s.cmd(&["export", "--out", out_arg]).assert().success();
    assert_eq!(fs::read_to_string(out.join("README.txt")).unwrap(), "mine");
    // And the folder imports cleanly.
    let t = Sandbox::new();
    t.empty_store();
    t.import(&out).success();
}

#[test]
fn export_refuses_a_folder_it_did_not_create() {
    let s = Sandbox::new();
    s.empty_store();
    let out = s.path("mine");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("notes.md"), "mine").unwrap();
    let a = s
        .cmd(&["export", "--out", out.to_str().unwrap()])
        .assert()
        .code(2);
    assert!(stderr(&a).contains("pass --force"), "{}", stderr(&a));
    assert!(!out.join("sources.toml").exists());
    s.cmd(&["export", "--force", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    assert!(out.join("sources.toml").exists());
    assert_eq!(fs::read_to_string(out.join("notes.md")).unwrap(), "mine");
}

#[test]
fn a_document_file_is_the_authority_for_its_children() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let cat = s.mini_copy();
    // Drop the link and the obligation without history.
    let law = cat.join("documents/law.toml");
    let text = fs::read_to_string(&law).unwrap();
    let start = text.find("[[link]]").unwrap();
    let end = text
        .find("[[obligation]]\nid = \"law-art2-report\"")
        .unwrap();
    fs::write(&law, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let a = s.import(&cat).success();
    let out = stdout(&a);
    assert!(
        out.lines()
            .any(|l| l.contains("provision_links") && l.contains("1 removed")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.contains("obligations") && l.contains("1 removed")),
        "{out}"
    );
    let snap = s.snapshot("toml");
    let law = String::from_utf8_lossy(
        &snap
            .iter()
            .find(|(p, _)| p == "documents/law.toml")
            .unwrap()
            .1,
    )
    .into_owned();
    assert!(
        !law.contains("[[link]]") && !law.contains("law-art1-quota"),
        "{law}"
    );
    let a = s.import(&cat).success();
    assert!(stdout(&a).contains("nothing changed"), "{}", stdout(&a));
}

#[test]
fn a_party_with_recorded_events_cannot_be_dropped() {
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_edited(
        "agreements/fta-vn.toml",
        "[[party]]\npartner = \"vn\"\n",
        "[[party]]\npartner = \"vn\"\n\n[[party]]\npartner = \"asean\"\n",
    );
    s.import(&cat).success();
    s.cmd(&[
        "record",
        "event",
        "--agreement",
        "fta-vn",
        "--party",
        "asean",
        "--stage",
        "ratified",
        "--date",
        "2016-01",
        "--source",
        "src-news",
    ])
    .assert()
    .success();
    let before = s.snapshot("json");
    // The file as it was, without ASEAN among the parties.
    let a = s
        .import(&Path::new(MINI).join("agreements/fta-vn.toml"))
        .code(1);
    assert!(
        stderr(&a).contains("party `asean` has recorded events in the history of `fta-vn`"),
        "{}",
        stderr(&a)
    );
    assert_eq!(s.snapshot("json"), before);
}

#[test]
fn an_obligation_with_history_cannot_be_dropped() {
    refused(
        |c| {
            let law = c.join("documents/law.toml");
            let text = fs::read_to_string(&law).unwrap();
            let start = text
                .find("[[obligation]]\nid = \"law-art2-report\"")
                .unwrap();
            fs::write(&law, &text[..start]).unwrap();
        },
        &["obligation `law-art2-report` has recorded history"],
    );
}

#[test]
fn an_obligation_cannot_move_to_another_document() {
    refused(
        |c| {
            fs::write(
                c.join("documents/other.toml"),
                "[document]\nid = \"other\"\nkind = \"decree\"\nwork_id = \"/akn/kz/act/2012/other\"\ntitle = { en = \"Other\" }\njurisdiction = \"kz\"\nstatus = \"in_force\"\nsource = \"src-law\"\n\n[[provision]]\neid = \"art_1\"\nkind = \"article\"\n\n[[obligation]]\nid = \"law-art2-report\"\nprovision = \"art_1\"\nagency = \"mol\"\nrole = \"responsible\"\nmodality = \"duty\"\naction = \"x\"\nsource = \"src-law\"\n",
            )
            .unwrap();
            // The law no longer lists it, as if it had moved.
            let law = c.join("documents/law.toml");
            let text = fs::read_to_string(&law).unwrap();
            let start = text
                .find("[[obligation]]\nid = \"law-art2-report\"")
                .unwrap();
            fs::write(&law, &text[..start]).unwrap();
        },
        &["documents/other.toml:", "belongs to document `law`"],
    );
}

#[test]
fn a_node_cannot_move_to_another_framework() {
    refused(
        |c| {
            fs::write(
                c.join("frameworks/plan2.toml"),
                "[framework]\nid = \"plan2\"\ntitle = { en = \"Plan 2\" }\nsource = \"src-law\"\n\n[[node]]\nid = \"plan-goal\"\nkind = \"goal\"\ntitle = { en = \"Taken\" }\nsource = \"src-law\"\n",
            )
            .unwrap();
        },
        &[
            "frameworks/plan2.toml:",
            "node `plan-goal` belongs to framework `plan`",
        ],
    );
}

#[test]
fn exported_toml_reads_like_the_source_files() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let snap = s.snapshot("toml");
    let law = &snap
        .iter()
        .find(|(p, _)| p == "documents/law.toml")
        .expect("law exported")
        .1;
    let law = String::from_utf8_lossy(law);
    assert!(
        law.contains(
            r#"title = { en = "Law on Test Migration", ru = "Закон о тестовой миграции" }"#
        ),
        "{law}"
    );
    assert!(law.contains(r#"recurrence = { every = "year", by = "01-15" }"#));
    assert!(law.contains("[[obligation.history]]"));
    assert!(
        law.contains("in_force = \"2011-08\""),
        "month precision kept"
    );
}

#[test]
fn reimporting_the_same_files_changes_nothing() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let before = s.snapshot("toml");
    let a = s.import(Path::new(MINI)).success();
    assert!(stdout(&a).contains("nothing changed"), "{}", stdout(&a));
    assert_eq!(s.snapshot("toml"), before);
}

/// An import's pages are in the store file when it ends, not left in a
/// write-ahead log as large as the import beside it.
#[test]
fn an_import_leaves_no_write_ahead_log_behind() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let mut wal = s.db().into_os_string();
    wal.push("-wal");
    let left = fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert_eq!(
        left,
        0,
        "{} bytes left in {}",
        left,
        PathBuf::from(wal).display()
    );
}

/// A reader in another process keeps the log from being folded in: the
/// import still commits, says the log stays, and does not fail.
#[test]
fn an_import_beside_a_reader_commits_and_says_the_log_stays() {
    let s = Sandbox::new();
    s.empty_store();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = rt
        .block_on(lextrack::store::Store::open(&s.db()))
        .expect("the store opens");
    let mut reader = rt.block_on(store.pool().begin()).unwrap();
    let before: i64 = rt
        .block_on(sqlx::query_scalar("SELECT count(*) FROM sources").fetch_one(&mut *reader))
        .unwrap();
    assert_eq!(before, 0);

    let a = s.import(Path::new(MINI)).success();
    assert!(
        stderr(&a).contains("write-ahead log"),
        "stderr: {}",
        stderr(&a)
    );
    rt.block_on(reader.rollback()).unwrap();
    let after: i64 = rt
        .block_on(sqlx::query_scalar("SELECT count(*) FROM sources").fetch_one(store.pool()))
        .unwrap();
    assert!(after > 0, "the import is committed");
    rt.block_on(store.close());
}

#[test]
fn import_upserts_by_id_and_reports_changes() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let cat = s.mini_edited(
        "documents/law.toml",
        "Law on Test Migration\"",
        "Law on Test Migration (amended)\"",
    );
    let a = s.import(&cat).success();
    let out = stdout(&a);
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("documents "))
        .unwrap_or_else(|| panic!("no documents line in {out}"));
    assert!(
        line.contains(" 0 added") && line.contains(" 1 changed"),
        "{line}"
    );
    let snap = s.snapshot("toml");
    let law = String::from_utf8_lossy(
        &snap
            .iter()
            .find(|(p, _)| p == "documents/law.toml")
            .unwrap()
            .1,
    )
    .into_owned();
    assert!(law.contains("(amended)"));
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let s = Sandbox::new();
    s.empty_store();
    let before = s.snapshot("toml");
    let a = s.cmd(&["import", "--dry-run", MINI]).assert().success();
    let out = stdout(&a);
    assert!(out.contains("would change"), "{out}");
    assert!(out.contains("provisions"), "{out}");
    assert_eq!(s.snapshot("toml"), before);
}

#[test]
fn import_is_quiet_on_stderr_when_not_a_terminal() {
    let s = Sandbox::new();
    s.empty_store();
    let a = s.import(Path::new(MINI)).success();
    assert_eq!(
        stderr(&a),
        "",
        "no progress bar when stderr is not a terminal"
    );
}

/// Breaks a copy of the mini catalog with `mutate`, imports it over a store
/// that already holds mini, and checks the run fails with every `expected`
/// fragment in its message and leaves the store exactly as it was.
fn refused(mutate: impl FnOnce(&Path), expected: &[&str]) -> String {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let before = s.snapshot("json");
    let cat = s.mini_copy();
    mutate(&cat);
    let a = s.import(&cat).code(1);
    let err = stderr(&a);
    for e in expected {
        assert!(err.contains(e), "expected {e:?} in:\n{err}");
    }
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(s.snapshot("json"), before, "the store changed:\n{err}");
    err
}

#[test]
fn a_removal_that_would_leave_a_link_dangling_names_the_link() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let before = s.snapshot("json");
    let cat = s.mini_copy();
    // The framework's file alone, without the direction the law's article
    // 1 implements: the law is not in this import, so its link would dangle.
    let plan = cat.join("frameworks/plan.toml");
    let text = fs::read_to_string(&plan).unwrap();
    let start = text.find("[[node]]\nid = \"plan-d1\"").unwrap();
    let end = text.find("[[node]]\nid = \"plan-d2\"").unwrap();
    fs::write(&plan, format!("{}{}", &text[..start], &text[end..])).unwrap();
    let a = s.import(&plan).code(1);
    let err = stderr(&a);
    assert!(
        err.contains("the link from law#art_1 to plan-d1 (implements) would refer to a removed framework node `plan-d1`, which this file no longer lists"),
        "{err}"
    );
    // The file whose removal left the link dangling is named.
    assert!(err.contains("plan.toml"), "{err}");
    assert!(!err.contains("the store"), "{err}");
    assert!(!err.contains(" row "), "{err}");
    assert_eq!(s.snapshot("json"), before, "the store changed:\n{err}");
}

#[test]
fn malformed_toml_names_file_line_and_column() {
    refused(
        |c| replace_in(&c.join("sources.toml"), "kind = \"news\"", "kind = \"news"),
        &["sources.toml:12:13", "invalid basic string"],
    );
}

#[test]
fn malformed_json_names_file_and_line() {
    refused(
        |c| {
            fs::write(
                c.join("extra.json"),
                "{\n  \"source\": [\n    {\"id\": \"x\",,}\n  ]\n}\n",
            )
            .unwrap()
        },
        &["extra.json:3:"],
    );
}

#[test]
fn unknown_field_is_refused() {
    refused(
        |c| {
            replace_in(
                &c.join("agencies.toml"),
                "abbreviation = \"MOL\"",
                "abbreviation = \"MOL\"\ncolour = \"red\"",
            )
        },
        &["agencies.toml:13:1", "unknown field `colour`"],
    );
}

#[test]
fn duplicate_id_is_refused() {
    refused(
        |c| {
            fs::write(
                c.join("more-sources.toml"),
                "[[source]]\nid = \"src-law\"\nkind = \"news\"\ntitle = \"Again\"\n",
            )
            .unwrap()
        },
        &[
            "more-sources.toml:2",
            "duplicate source `src-law`",
            "sources.toml:",
        ],
    );
}

#[test]
fn reference_to_nothing_is_refused() {
    refused(
        |c| {
            replace_in(
                &c.join("documents/law.toml"),
                "agency = \"mol\"",
                "agency = \"ministry-of-nothing\"",
            )
        },
        &[
            "documents/law.toml:",
            "obligation \"law-art1-quota\"",
            "unknown agency `ministry-of-nothing`",
        ],
    );
}

#[test]
fn impossible_date_is_refused() {
    refused(
        |c| {
            replace_in(
                &c.join("agreements/fta-vn.toml"),
                "date = \"2015-05-29\"",
                "date = \"2017-02-30\"",
            )
        },
        &[
            "agreements/fta-vn.toml:",
            "impossible date `2017-02-30`",
            "has 28 days",
        ],
    );
}

#[test]
fn an_event_dated_after_today_is_refused() {
    // `--today` is 2026-11-24 in every test: what happened cannot be later.
    refused(
        |c| {
            replace_in(
                &c.join("agreements/fta-vn.toml"),
                "date = \"2016-10\"",
                "date = \"2030-01-01\"",
            )
        },
        &[
            "agreements/fta-vn.toml:29",
            "event in_force 2030-01-01",
            "field `date`: 2030-01-01 is after today (2026-11-24)",
        ],
    );
}

#[test]
fn a_date_in_this_month_is_not_after_today() {
    // A month that has begun may hold the event: only its first day counts.
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_edited(
        "agreements/fta-vn.toml",
        "date = \"2016-10\"",
        "date = \"2026-11\"",
    );
    s.import(&cat).success();
}

#[test]
fn an_event_that_contradicts_the_history_must_be_marked_forced() {
    let contradiction = |c: &Path| {
        replace_in(
            &c.join("agreements/fta-vn.toml"),
            "date = \"2016-10\"",
            "date = \"2014-01\"",
        )
    };
    let message = [
        "agreements/fta-vn.toml:29",
        "contradicts the history of `fta-vn`: in_force on 2014-01 comes before it was signed on 2015-05-29",
        "mark the event `forced = true` with a `note`",
    ];
    refused(contradiction, &message);
    // A note alone does not excuse it: most events carry one.
    refused(
        |c| {
            contradiction(c);
            replace_in(
                &c.join("agreements/fta-vn.toml"),
                "confidence = \"secondary\"",
                "confidence = \"secondary\"\nnote = \"from the gazette\"",
            );
        },
        &message,
    );
    // Nor does the mark without a note.
    refused(
        |c| {
            contradiction(c);
            replace_in(
                &c.join("agreements/fta-vn.toml"),
                "confidence = \"secondary\"",
                "confidence = \"secondary\"\nforced = true",
            );
        },
        &["field `forced`: a forced event needs a `note`"],
    );
    // Both, as `record --force --note` writes them: kept, and `check`
    // reports it as a warning.
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_copy();
    contradiction(&cat);
    replace_in(
        &cat.join("agreements/fta-vn.toml"),
        "confidence = \"secondary\"",
        "confidence = \"secondary\"\nnote = \"the gazette gives this date\"\nforced = true",
    );
    s.import(&cat).success();
    let a = s.cmd(&["check"]).assert().success();
    assert!(
        stdout(&a).contains("warning[forced_order] agreement fta-vn: in_force on 2014-01 comes before it was signed on 2015-05-29 (recorded as forced)"),
        "{}",
        stdout(&a)
    );
}

#[test]
fn an_event_is_weighed_against_the_history_the_store_already_holds() {
    // The store holds a signature in 2015 (mini); a file that lists only
    // an entry into force in 2014 still contradicts it.
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let before = s.snapshot("json");
    let cat = s.mini_copy();
    let f = cat.join("agreements/fta-vn.toml");
    let text = fs::read_to_string(&f).unwrap();
    let first_event = text.find("[[event]]").unwrap();
    fs::write(
        &f,
        format!(
            "{}[[event]]\nstage = \"in_force\"\nparty = \"vn\"\ndate = \"2014-03\"\nsource = \"src-news\"\n",
            &text[..first_event]
        ),
    )
    .unwrap();
    let a = s.import(&f).code(1);
    assert!(
        stderr(&a)
            .contains("in_force for `vn` on 2014-03 comes before it was signed on 2015-05-29"),
        "{}",
        stderr(&a)
    );
    assert_eq!(s.snapshot("json"), before);
}

#[test]
fn a_forced_mark_excuses_only_its_own_contradiction() {
    // First an entry into force in 2014 with no signature recorded; then
    // the signature of 2015, forced, since it comes after; then a
    // ratification dated 2014, added later: a new contradiction with the
    // forced signature, which `record` refuses and so must import.
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_edited(
        "agreements/fta-vn.toml",
        "date = \"2016-10\"",
        "date = \"2014-01\"",
    );
    let f = cat.join("agreements/fta-vn.toml");
    let full = fs::read_to_string(&f).unwrap();
    let signed = "[[event]]\nstage = \"signed\"\ndate = \"2015-05-29\"\nsource = \"src-news\"\n";
    assert!(full.contains(signed), "{full}");
    fs::write(&f, full.replace(signed, "")).unwrap();
    s.import(&cat).success();
    let forced = signed.replace(
        "source",
        "note = \"signed after the gazette's date\"\nforced = true\nsource",
    );
    fs::write(&f, full.replace(signed, &forced)).unwrap();
    s.import(&cat).success();
    let before = s.snapshot("json");
    let text = fs::read_to_string(&f).unwrap()
        + "\n[[event]]\nstage = \"ratified\"\nparty = \"vn\"\ndate = \"2014-06\"\nsource = \"src-news\"\n";
    fs::write(&f, text).unwrap();
    let a = s.import(&f).code(1);
    assert!(
        stderr(&a)
            .contains("ratified for `vn` on 2014-06 comes before it was signed on 2015-05-29"),
        "{}",
        stderr(&a)
    );
    assert_eq!(s.snapshot("json"), before);
}

#[test]
fn a_contradiction_is_reported_with_the_batch_s_other_problems() {
    refused(
        |c| {
            replace_in(
                &c.join("agreements/fta-vn.toml"),
                "date = \"2016-10\"\nsource = \"src-news\"",
                "date = \"2014-01\"\nsource = \"src-nowhere\"",
            )
        },
        &[
            "the catalog has 2 problems",
            "unknown source `src-nowhere`",
            "in_force on 2014-01 comes before it was signed on 2015-05-29",
        ],
    );
}

#[test]
fn record_says_forced_only_when_it_marked_the_entry() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    // Nothing to contradict: recorded, not marked.
    let a = s
        .cmd(&[
            "record",
            "event",
            "--agreement",
            "fta-vn",
            "--stage",
            "suspended",
            "--date",
            "2026-06",
            "--source",
            "src-news",
            "--force",
            "--note",
            "a precaution",
        ])
        .assert()
        .success();
    assert!(!stderr(&a).contains("(forced)"), "{}", stderr(&a));
    let out = s.path("out");
    s.cmd(&["export", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let text = fs::read_to_string(out.join("agreements/fta-vn.toml")).unwrap();
    assert!(!text.contains("forced"), "{text}");
}

#[test]
fn a_store_a_newer_binary_migrated_is_refused_and_left_as_one_file() {
    let s = Sandbox::new();
    s.empty_store();
    plant(
        &s,
        &["INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time)
           VALUES (29991231000000, 'from the future', CURRENT_TIMESTAMP, 1, x'00', 0)"],
    );
    let a = s.cmd(&["partners"]).assert().code(3);
    assert!(stderr(&a).contains("migrations"), "{}", stderr(&a));
    let left: Vec<_> = fs::read_dir(s.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("store.db"))
        .collect();
    assert_eq!(left, ["store.db"]);
}

#[test]
fn a_forced_record_survives_export_and_import() {
    // The forced event is the earlier of the two: the entry into force was
    // recorded first, the signature after it with --force.
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    s.cmd(&[
        "record",
        "event",
        "--agreement",
        "fta-vn",
        "--party",
        "vn",
        "--stage",
        "ratified",
        "--date",
        "2015-01",
        "--source",
        "src-news",
        "--force",
        "--note",
        "sources disagree",
    ])
    .assert()
    .success();
    s.cmd(&[
        "record",
        "obligation",
        "--obligation",
        "law-art2-report",
        "--status",
        "suspended",
        "--date",
        "2010",
        "--source",
        "src-law",
        "--force",
        "--note",
        "an older decree",
    ])
    .assert()
    .success();
    let exported = s.path("exported");
    s.cmd(&["export", "--out", exported.to_str().unwrap()])
        .assert()
        .success();
    let text = fs::read_to_string(exported.join("agreements/fta-vn.toml")).unwrap();
    assert!(text.contains("forced = true"), "{text}");
    let law = fs::read_to_string(exported.join("documents/law.toml")).unwrap();
    assert_eq!(law.matches("forced = true").count(), 1, "{law}");
    let t = Sandbox::new();
    t.empty_store();
    t.import(&exported).success();
    assert_eq!(t.snapshot("toml"), s.snapshot("toml"));
}

#[test]
fn an_obligation_change_listed_out_of_order_is_refused() {
    refused(
        |c| {
            replace_in(
                &c.join("documents/law.toml"),
                "status = \"active\"\ndate = \"2011-08\"\nsource = \"src-law\"\n",
                "status = \"active\"\ndate = \"2011-08\"\nsource = \"src-law\"\n\n\
                 [[obligation.history]]\nstatus = \"suspended\"\ndate = \"2010\"\nsource = \"src-law\"\n",
            )
        },
        &[
            "documents/law.toml:",
            "law.toml:75: obligation \"law-art2-report\" change suspended 2010",
            "comes before active on 2011-08, which the history already holds",
        ],
    );
}

#[test]
fn a_folder_without_catalog_files_is_refused() {
    let s = Sandbox::new();
    s.empty_store();
    fs::create_dir_all(s.path("empty/sub")).unwrap();
    fs::write(s.path("empty/sub/notes.txt"), "not a catalog").unwrap();
    let a = s.import(&s.path("empty")).code(2);
    let err = stderr(&a);
    assert!(err.contains("empty` holds no catalog files"), "{err}");
}

#[test]
fn a_file_named_twice_is_read_once() {
    let s = Sandbox::new();
    s.empty_store();
    let sources = Path::new(MINI).join("sources.toml");
    let path = sources.to_str().unwrap();
    // The file twice, and the folder that holds it beside it.
    let a = s.cmd(&["import", path, path, MINI]).assert().success();
    assert!(!stderr(&a).contains("duplicate"), "{}", stderr(&a));
    let b = s.cmd(&["import", MINI]).assert().success();
    assert!(stdout(&b).contains("nothing changed"), "{}", stdout(&b));
}

#[test]
fn value_outside_an_enum_is_refused() {
    refused(
        |c| {
            replace_in(
                &c.join("documents/law.toml"),
                "modality = \"duty\"",
                "modality = \"wish\"",
            )
        },
        &["documents/law.toml:", "unknown variant `wish`", "duty"],
    );
}

#[test]
fn a_link_that_is_not_a_web_address_is_refused() {
    refused(
        |c| {
            replace_in(
                &c.join("sources.toml"),
                "https://example.org/law",
                "javascript:alert(1)",
            )
        },
        &[
            "sources.toml:",
            "source \"src-law\"",
            "not an http or https address",
        ],
    );
}

#[test]
fn every_problem_of_a_run_is_reported_at_once() {
    let err = refused(
        |c| {
            replace_in(
                &c.join("documents/law.toml"),
                "agency = \"mol\"",
                "agency = \"nobody\"",
            );
            replace_in(
                &c.join("partners.toml"),
                "agreement = \"fta-vn\"",
                "agreement = \"no-such-agreement\"",
            );
        },
        &[
            "unknown agency `nobody`",
            "unknown document `no-such-agreement`",
        ],
    );
    assert!(err.contains("2 problems"), "{err}");
}

#[test]
fn recorded_history_cannot_be_rewritten_by_import() {
    refused(
        |c| {
            replace_in(
                &c.join("agreements/fta-vn.toml"),
                "stage = \"signed\"\ndate = \"2015-05-29\"\nsource = \"src-news\"",
                "stage = \"signed\"\ndate = \"2015-05-29\"\nsource = \"src-law\"",
            )
        },
        &["agreements/fta-vn.toml:", "history is append-only"],
    );
}

#[test]
fn a_provision_whose_parent_is_missing_is_refused() {
    refused(
        |c| {
            replace_in(
                &c.join("documents/law.toml"),
                "eid = \"art_1__para_1\"",
                "eid = \"art_9__para_1\"",
            )
        },
        &["provision \"art_9__para_1\"", "parent provision `art_9`"],
    );
}

#[test]
fn a_duplicate_succession_is_refused() {
    refused(
        |c| {
            fs::write(
                c.join("more-agencies.toml"),
                "[[succession]]\nfrom = \"mia\"\nto = \"mol\"\ntype = \"functions_transferred_to\"\ndate = \"2022-01-01\"\nsource = \"src-law\"\n",
            )
            .unwrap()
        },
        &["more-agencies.toml:1", "duplicate succession"],
    );
}

#[test]
fn a_parent_that_contradicts_the_eid_is_refused() {
    refused(
        |c| {
            replace_in(
                &c.join("documents/law.toml"),
                "eid = \"art_1__para_1\"",
                "eid = \"art_1__para_1\"\nparent = \"art_2\"",
            )
        },
        &[
            "provision \"art_1__para_1\"",
            "contradicts the eId",
            "`art_1`",
        ],
    );
}

#[test]
fn a_loop_in_the_agency_hierarchy_is_refused() {
    refused(
        |c| {
            replace_in(
                &c.join("agencies.toml"),
                "id = \"gov\"\nkind = \"government\"",
                "id = \"gov\"\nparent = \"mol-migration\"\nkind = \"government\"",
            )
        },
        &["agency `gov` would be its own ancestor"],
    );
}

#[test]
fn errors_point_at_the_record_even_when_its_first_line_repeats() {
    // Two `stage = "negotiating"` events: the second one is wrong.
    let err = refused(
        |c| {
            let f = c.join("agreements/fta-vn.toml");
            let text = fs::read_to_string(&f).unwrap()
                + "\n[[event]]\nstage = \"negotiating\"\ndate = \"2014\"\nparty = \"asean\"\nsource = \"src-news\"\n";
            fs::write(&f, text).unwrap();
        },
        &["is not a party to this agreement"],
    );
    let line: usize = err
        .lines()
        .find(|l| l.contains("not a party"))
        .and_then(|l| l.split("fta-vn.toml:").nth(1))
        .and_then(|l| l.split(':').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no line in {err}"));
    let text = fs::read_to_string(Path::new(MINI).join("agreements/fta-vn.toml")).unwrap();
    assert_eq!(line, text.lines().count() + 2, "{err}");
}

#[test]
fn one_missing_record_is_reported_once_with_its_count() {
    let err = refused(
        |c| {
            let law = c.join("documents/law.toml");
            let text = fs::read_to_string(&law)
                .unwrap()
                .replace("source = \"src-law\"", "source = \"gone\"");
            fs::write(&law, text).unwrap();
        },
        &["unknown source `gone`", "referenced 5 times"],
    );
    assert_eq!(err.matches("unknown source `gone`").count(), 1, "{err}");
}

#[test]
fn exit_codes_are_distinct() {
    let s = Sandbox::new();
    s.cmd(&["no-such-command"]).assert().code(2);
    s.empty_store();
    let a = s.cmd(&["import", "does-not-exist.toml"]).assert().code(3);
    assert!(stderr(&a).contains("does-not-exist.toml"), "{}", stderr(&a));
    fs::write(s.path("notes.txt"), "not a catalog").unwrap();
    let a = s.cmd(&["import", "notes.txt"]).assert().code(2);
    assert!(stderr(&a).contains("not a catalog file"), "{}", stderr(&a));
}

// --- check ---------------------------------------------------------------

/// Runs `check --format json` and returns (errors, warnings, findings).
fn check_json(s: &Sandbox) -> (u64, u64, Vec<serde_json::Value>) {
    let out = s.cmd(&["check", "--format", "json"]).output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("check json: {e}: {}", String::from_utf8_lossy(&out.stdout)));
    let errors = v["errors"].as_u64().unwrap();
    assert_eq!(out.status.code(), Some(if errors > 0 { 1 } else { 0 }));
    (
        errors,
        v["warnings"].as_u64().unwrap(),
        v["findings"].as_array().unwrap().clone(),
    )
}

fn has(findings: &[serde_json::Value], code: &str, subject: &str) -> bool {
    findings
        .iter()
        .any(|f| f["code"] == code && f["subject"].as_str().unwrap_or("").contains(subject))
}

#[test]
fn check_is_clean_on_the_mini_catalog_but_for_known_gaps() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let (errors, _, findings) = check_json(&s);
    assert_eq!(errors, 0, "{findings:?}");
    assert!(has(&findings, "uncovered_direction", "plan-d2"));
    assert!(
        !has(&findings, "unlinked_provision", "law#chp_1"),
        "chp_1 has served children"
    );
}

#[test]
fn check_finds_an_impossible_order_and_a_future_date() {
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_copy();
    // In force a year before it was signed (kept by its note); and an
    // event after "today".
    replace_in(
        &cat.join("agreements/fta-vn.toml"),
        "date = \"2016-10\"",
        "date = \"2014-10\"\nnote = \"as the source gives it\"\nforced = true",
    );
    fs::write(
        cat.join("agreements/fta-vn.toml"),
        fs::read_to_string(cat.join("agreements/fta-vn.toml")).unwrap()
            + "\n[[event]]\nstage = \"suspended\"\ndate = \"2030-01\"\nsource = \"src-news\"\n",
    )
    .unwrap();
    s.import_later(&cat).success();
    // Knowingly recorded, the contradiction is a warning.
    let (_, _, findings) = check_json(&s);
    assert!(has(&findings, "forced_order", "fta-vn"), "{findings:?}");
    assert!(
        !has(&findings, "impossible_order", "fta-vn"),
        "{findings:?}"
    );
    // Without the mark (as an older import let in), an error.
    plant(&s, &["UPDATE agreement_events SET forced = 0"]);
    let (errors, _, findings) = check_json(&s);
    assert!(errors >= 2, "{findings:?}");
    assert!(has(&findings, "impossible_order", "fta-vn"), "{findings:?}");
    assert!(has(&findings, "future_date", "fta-vn"), "{findings:?}");
}

#[test]
fn check_month_precision_is_not_an_impossible_order() {
    // Signed on 2015-05-29, in force "2015-05": possibly after the
    // signature, so not an error.
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_edited(
        "agreements/fta-vn.toml",
        "date = \"2016-10\"",
        "date = \"2015-05\"",
    );
    s.import(&cat).success();
    let (_, _, findings) = check_json(&s);
    assert!(
        !has(&findings, "impossible_order", "fta-vn"),
        "{findings:?}"
    );
}

#[test]
fn check_weighs_a_whole_agreement_step_against_every_party_signature() {
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_copy();
    let f = cat.join("agreements/fta-vn.toml");
    // Only the parties signed, in 2015; entry into force "2016-10" is fine.
    let text = fs::read_to_string(&f).unwrap().replace(
        "stage = \"signed\"\ndate = \"2015-05-29\"",
        "stage = \"signed\"\ndate = \"2015-05-29\"\nparty = \"vn\"",
    );
    fs::write(&f, text).unwrap();
    s.import(&cat).success();
    let (_, _, findings) = check_json(&s);
    assert!(
        !has(&findings, "missing_signature", "fta-vn"),
        "{findings:?}"
    );
    assert!(
        !has(&findings, "impossible_order", "fta-vn"),
        "{findings:?}"
    );

    // In force before any party signed is impossible.
    let t = Sandbox::new();
    t.empty_store();
    let cat = t.mini_copy();
    let f = cat.join("agreements/fta-vn.toml");
    let text = fs::read_to_string(&f)
        .unwrap()
        .replace(
            "stage = \"signed\"\ndate = \"2015-05-29\"",
            "stage = \"signed\"\ndate = \"2015-05-29\"\nparty = \"vn\"",
        )
        .replace(
            "date = \"2016-10\"",
            "date = \"2014-10\"\nnote = \"as the source gives it\"\nforced = true",
        );
    fs::write(&f, text).unwrap();
    t.import(&cat).success();
    plant(&t, &["UPDATE agreement_events SET forced = 0"]);
    let (_, _, findings) = check_json(&t);
    assert!(has(&findings, "impossible_order", "fta-vn"), "{findings:?}");
}

#[test]
fn check_finds_sources_dated_in_the_future() {
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_edited(
        "sources.toml",
        "published = \"2015-05\"",
        "published = \"2099-05\"",
    );
    s.import_later(&cat).success();
    let (errors, _, findings) = check_json(&s);
    assert!(errors >= 1);
    assert!(
        has(&findings, "future_date", "source src-news"),
        "{findings:?}"
    );
}

#[test]
fn check_finds_a_planted_loop_in_the_agency_hierarchy() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    plant(
        &s,
        &["UPDATE agencies SET parent_id = 'mol-migration' WHERE id = 'gov'"],
    );
    let (_, _, findings) = check_json(&s);
    assert!(has(&findings, "agency_cycle", "agency gov"), "{findings:?}");
}

#[test]
fn check_reports_a_document_with_nothing_linked_once() {
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_copy();
    fs::write(
        cat.join("documents/bare.toml"),
        "[document]\nid = \"bare\"\nkind = \"decree\"\nwork_id = \"/akn/kz/act/2012/bare\"\ntitle = { en = \"Bare\" }\njurisdiction = \"kz\"\nstatus = \"in_force\"\nsource = \"src-law\"\n\n[[provision]]\neid = \"art_1\"\nkind = \"article\"\n\n[[provision]]\neid = \"art_2\"\nkind = \"article\"\n",
    )
    .unwrap();
    s.import(&cat).success();
    let (_, _, findings) = check_json(&s);
    assert!(
        has(&findings, "unlinked_document", "document bare"),
        "{findings:?}"
    );
    assert!(
        !has(&findings, "unlinked_provision", "bare#"),
        "{findings:?}"
    );
}

#[test]
fn check_finds_unlinked_provisions() {
    let s = Sandbox::new();
    s.empty_store();
    let cat = s.mini_copy();
    fs::write(
        cat.join("documents/law.toml"),
        fs::read_to_string(cat.join("documents/law.toml")).unwrap()
            + "\n[[provision]]\neid = \"art_3\"\nkind = \"article\"\nnumber = \"3\"\n",
    )
    .unwrap();
    s.import(&cat).success();
    let (_, _, findings) = check_json(&s);
    assert!(
        has(&findings, "unlinked_provision", "law#art_3"),
        "{findings:?}"
    );
    assert!(
        !has(&findings, "unlinked_provision", "law#art_1__para_1"),
        "covered by its article"
    );
}

/// Plants faults that no import lets through, straight into the database.
fn plant(s: &Sandbox, sql: &[&str]) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let store = lextrack::store::Store::open(&s.db()).await.unwrap();
        let mut conn = store.pool().acquire().await.unwrap();
        sqlx::query("PRAGMA foreign_keys = OFF")
            .execute(&mut *conn)
            .await
            .unwrap();
        for q in sql {
            sqlx::query(q).execute(&mut *conn).await.unwrap();
        }
        drop(conn);
        store.close().await;
    });
}

#[test]
fn check_finds_broken_references_orphan_obligations_and_missing_sources() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    plant(
        &s,
        &[
            "UPDATE obligations SET agency_id = 'ghost' WHERE id = 'law-art1-quota'",
            "UPDATE documents SET source_id = '' WHERE id = 'law'",
        ],
    );
    let (errors, _, findings) = check_json(&s);
    assert!(errors >= 3, "{findings:?}");
    assert!(
        has(&findings, "broken_reference", "obligations"),
        "{findings:?}"
    );
    assert!(
        has(&findings, "obligation_without_agency", "law-art1-quota"),
        "{findings:?}"
    );
    assert!(
        has(&findings, "missing_source", "document law"),
        "{findings:?}"
    );
}

#[test]
fn check_text_report_ends_with_counts() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let a = s.cmd(&["check"]).assert().success();
    let out = stdout(&a);
    assert!(
        out.contains("warning[uncovered_direction] direction plan-d2"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("0 errors, 1 warning"), "{out}");
}

#[test]
fn the_shipped_json_schema_is_generated_from_the_types() {
    let s = Sandbox::new();
    let out = s.cmd(&["schema"]).output().unwrap();
    assert!(out.status.success());
    let shipped =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/catalog.schema.json"))
            .expect("docs/catalog.schema.json exists");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        shipped,
        "docs/catalog.schema.json is stale: run `cargo run -- schema > docs/catalog.schema.json`"
    );
}

#[test]
fn partners_without_an_agreement_are_not_called_certain() {
    let s = Sandbox::new();
    s.cmd(&["init"]).assert().success();
    let a = s.cmd(&["partners", "--format", "csv"]).assert().success();
    let out = stdout(&a);
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    let header = rows.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (stage, uncertain) = (col("stage"), col("uncertain"));
    let mut without = 0;
    for row in rows.records() {
        let row = row.unwrap();
        if row[stage].is_empty() {
            without += 1;
            assert_eq!(&row[uncertain], "", "{row:?}");
        }
    }
    assert!(without > 0, "no partner without an agreement:\n{out}");
}

#[test]
fn search_refuses_a_limit_of_nothing() {
    let s = Sandbox::new();
    s.empty_store();
    let a = s.cmd(&["search", "quota", "--limit", "0"]).assert().code(2);
    assert!(stderr(&a).contains("--limit"), "{}", stderr(&a));
}

#[test]
fn out_naming_a_file_is_refused_as_such() {
    let s = Sandbox::new();
    s.empty_store();
    fs::write(s.path("afile"), "mine\n").unwrap();
    for command in ["export", "report"] {
        for out in ["afile", "afile/sub"] {
            let a = s.cmd(&[command, "--out", out]).assert().code(2);
            assert!(stderr(&a).contains("`afile` is a file"), "{}", stderr(&a));
            assert_eq!(fs::read_to_string(s.path("afile")).unwrap(), "mine\n");
        }
    }
}

/// At a narrow terminal (here `COLUMNS=80`) `obligations` was 14 columns of
/// three-letter slivers (`age|ncy`): it now keeps its essential columns,
/// with words whole, and names on stderr the columns it hid.
#[test]
fn a_narrow_terminal_gets_the_essential_columns_with_whole_words() {
    let s = Sandbox::new();
    s.cmd(&["init"]).assert().success();
    let narrow = s
        .cmd(&["obligations"])
        .env("COLUMNS", "80")
        .assert()
        .success();
    let out = stdout(&narrow);
    for line in out.lines() {
        assert!(line.chars().count() <= 80, "too wide: {line:?}\n{out}");
    }
    let header: Vec<&str> = out.lines().nth(1).unwrap().split(['│', '┆']).collect();
    let header: Vec<&str> = header
        .iter()
        .map(|h| h.trim())
        .filter(|h| !h.is_empty())
        .collect();
    assert_eq!(
        header,
        ["agency", "action", "document", "provision", "due", "status"],
        "{out}"
    );
    let err = stderr(&narrow);
    assert!(
        err.contains(
            "note: hidden to fit 80 columns: role, modality, provision number, directions, source"
        ) && err.contains("--format csv"),
        "{err}"
    );

    let wide = s
        .cmd(&["obligations"])
        .env("COLUMNS", "1000")
        .assert()
        .success();
    let header = stdout(&wide).lines().nth(1).unwrap().to_owned();
    assert!(header.contains("inherited how"), "{header}");
    assert!(!stderr(&wide).contains("hidden"), "{}", stderr(&wide));

    let piped = stdout(&s.cmd(&["obligations"]).assert().success());
    assert!(
        piped.starts_with("| agency "),
        "a pipe gets the whole table: {piped}"
    );
    for format in ["csv", "json", "markdown"] {
        let args = ["obligations", "--format", format];
        let plain = s.cmd(&args).assert().success();
        let sized = s.cmd(&args).env("COLUMNS", "80").assert().success();
        assert_eq!(stdout(&plain), stdout(&sized), "{format} ignores the width");
    }
}

/// Every table a command draws fits the width, whatever the listing.
#[test]
fn every_table_fits_a_narrow_terminal() {
    let s = Sandbox::new();
    s.cmd(&["init"]).assert().success();
    for args in [
        &["agreements"][..],
        &["agreements", "--history"],
        &["partners"],
        &["search", "migration"],
        &["trace"],
        &["show", "kz-decree-602"],
    ] {
        let out = stdout(&s.cmd(args).env("COLUMNS", "80").assert().success());
        let table = out.lines().filter(|l| l.starts_with(['┌', '│', '╞', '└']));
        assert!(out.contains('┆'), "{args:?} draws a table:\n{out}");
        for line in table {
            assert!(
                line.chars().count() <= 80,
                "{args:?}: too wide: {line:?}\n{out}"
            );
        }
    }
}

/// `agreements --format json` on the bundled store: (stage, since) of each row.
fn stages(s: &Sandbox, args: &[&str]) -> Vec<(String, serde_json::Value, serde_json::Value)> {
    let mut all = vec!["agreements"];
    all.extend_from_slice(args);
    s.rows_on(common::TODAY, &all)
        .into_iter()
        .map(|r| {
            (
                r["partner"].as_str().unwrap_or_default().to_owned(),
                r["stage"].clone(),
                r["since"].clone(),
            )
        })
        .collect()
}

#[test]
fn a_state_that_acceded_later_stands_where_its_own_events_put_it() {
    // The EAEU Treaty: signed 2014-05-29 and in force 2015-01-01 for the
    // founders; Kyrgyzstan signed its accession on 2014-12-23 and became a
    // Member State on 2015-08-12; Armenia's accession took effect on
    // 2015-01-02.
    let s = Sandbox::new();
    s.cmd(&["init"]).assert().success();
    let kg = |day: &str| {
        stages(
            &s,
            &[
                "--agreement",
                "eaeu-treaty",
                "--partner",
                "kg",
                "--as-of",
                day,
            ],
        )
    };
    let row = |stage: &str, since: &str| {
        vec![(
            "kg".to_owned(),
            serde_json::json!(stage),
            serde_json::json!(since),
        )]
    };
    assert_eq!(
        kg("2014-06-01"),
        vec![(
            "kg".to_owned(),
            serde_json::Value::Null,
            serde_json::Value::Null
        )]
    );
    assert_eq!(kg("2015-03-01"), row("signed", "2014-12-23"));
    assert_eq!(kg("2015-08-12"), row("in_force", "2015-08-12"));
    let on_new_year = stages(&s, &["--agreement", "eaeu-treaty", "--as-of", "2015-01-01"]);
    let stage_of = |p: &str| {
        on_new_year
            .iter()
            .find(|r| r.0 == p)
            .map(|r| r.1.clone())
            .unwrap()
    };
    assert_eq!(stage_of("kz"), serde_json::json!("in_force"));
    assert_eq!(stage_of("am"), serde_json::json!("signed"));
    assert_eq!(stage_of("kg"), serde_json::json!("signed"));
    // `--stage` filters by the same answer.
    let in_force = stages(
        &s,
        &[
            "--agreement",
            "eaeu-treaty",
            "--stage",
            "in_force",
            "--as-of",
            "2015-03-01",
        ],
    );
    let parties: Vec<&str> = in_force.iter().map(|r| r.0.as_str()).collect();
    assert_eq!(parties, ["am", "by", "kz", "ru"]);
}

#[test]
fn since_is_when_the_stage_began_not_its_latest_round() {
    // The EAEU–Egypt talks: rounds recorded in 2019-04, 2019-10, 2021-06
    // and 2022-10.
    let s = Sandbox::new();
    s.cmd(&["init"]).assert().success();
    let eg = |day: &str| stages(&s, &["--agreement", "eaeu-eg-fta", "--as-of", day]);
    // One row per party: the Union and Egypt.
    let row = |since: &str| {
        ["eaeu", "eg"]
            .map(|p| {
                (
                    p.to_owned(),
                    serde_json::json!("negotiating"),
                    serde_json::json!(since),
                )
            })
            .to_vec()
    };
    assert_eq!(eg("2026-11-24"), row("2019-04"));
    assert_eq!(eg("2021-12-31"), row("2019-04"));
}

/// The mini catalog's `law-art2-report` as `obligations --format json`
/// lists it on `today`.
fn report_row(s: &Sandbox, today: &str) -> serde_json::Value {
    s.rows_on(today, &["obligations", "--document", "law"])
        .into_iter()
        .find(|r| r["id"] == "law-art2-report")
        .expect("the mini catalog's reporting duty")
}

#[test]
fn an_obligations_status_is_the_change_that_counts_last() {
    // The mini catalog records `active` in 2011-08. A suspension known only
    // to the year 2011 counts from 2011-12-31, after the month's last day:
    // it is the status, though its first day is earlier.
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let status = || {
        let row = report_row(&s, "2026-11-24");
        (row["status"].clone(), row["status_since"].clone())
    };
    assert_eq!(
        status(),
        (serde_json::json!("active"), serde_json::json!("2011-08"))
    );
    s.cmd(&[
        "record",
        "obligation",
        "--obligation",
        "law-art2-report",
        "--status",
        "suspended",
        "--date",
        "2011",
        "--source",
        "src-news",
    ])
    .assert()
    .success();
    assert_eq!(
        status(),
        (serde_json::json!("suspended"), serde_json::json!("2011"))
    );
}

/// `obligations --agency mol` on day `today`: each row's (id, inherited
/// from, on, how, functions).
fn inherited(s: &Sandbox, today: &str) -> Vec<Vec<serde_json::Value>> {
    s.rows_on(today, &["obligations", "--agency", "mol"])
        .iter()
        .filter(|r| r["document"] == "sdoc")
        .map(|r| {
            [
                "id",
                "inherited_from",
                "inherited_on",
                "inherited_how",
                "inherited_functions",
            ]
            .iter()
            .map(|k| r[*k].clone())
            .collect()
        })
        .collect()
}

#[test]
fn a_chain_of_reorganisations_passes_on_only_what_its_narrowest_step_did() {
    // old-a was renamed mid-b in 2014; in 2018 mid-b passed only its visa
    // functions to mol.
    let s = Sandbox::mini_with("succession-chain.toml");
    let j = |v: &str| serde_json::json!(v);
    assert_eq!(
        inherited(&s, "2026-11-24"),
        vec![
            vec![
                j("s-o1"),
                j("old-a"),
                j("2018"),
                j("functions_transferred_to"),
                j("only the visa part")
            ],
            vec![
                j("s-o2"),
                j("mid-b"),
                j("2018"),
                j("functions_transferred_to"),
                j("only the visa part")
            ],
        ]
    );
    // Before the transfer, mol bore none of them.
    assert_eq!(
        inherited(&s, "2016-06-01"),
        Vec::<Vec<serde_json::Value>>::new()
    );
}

#[test]
fn a_provision_is_in_force_only_while_the_provisions_above_it_are() {
    let s = Sandbox::mini_with("provision-validity.toml");
    let in_force_on = |day: &str| {
        let out = s
            .cmd(&[
                "obligations",
                "--document",
                "vdoc",
                "--in-force-on",
                day,
                "--format",
                "csv",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out)
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(in_force_on("2010-01-01"), ["v-o1"]);
    assert_eq!(in_force_on("2020-01-01"), Vec::<String>::new());
    assert_eq!(in_force_on("2030-06-01"), ["v-o2"]);
}

#[test]
fn a_status_change_carries_its_source_and_confidence_through_record_and_export() {
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    // While the duty is active, its document's page says nothing of it.
    let before = s.path("site-before");
    s.cmd(&["report", "--out", before.to_str().unwrap()])
        .assert()
        .success();
    let law = fs::read_to_string(before.join("documents/law.html")).unwrap();
    let item = &law[law
        .find(r#"<li id="o-law-art2-report">"#)
        .expect("the duty's item")..];
    let item = &item[..item.find("</li>").unwrap()];
    assert!(!item.contains("since"), "{item}");
    s.cmd(&[
        "record",
        "obligation",
        "--obligation",
        "law-art2-report",
        "--status",
        "lapsed",
        "--date",
        "2020",
        "--source",
        "src-news",
        "--confidence",
        "unverified",
        "--note",
        "Inferred from the plan's end.",
    ])
    .assert()
    .success();
    let row = report_row(&s, "2026-11-24");
    assert_eq!(
        (
            &row["status"],
            &row["status_source"],
            &row["status_confidence"]
        ),
        (
            &serde_json::json!("lapsed"),
            &serde_json::json!("src-news"),
            &serde_json::json!("unverified")
        )
    );
    // Why it lapsed travels with it: in the listing, its CSV column and the
    // agency's page.
    assert_eq!(
        row["status_note"],
        serde_json::json!("Inferred from the plan's end.")
    );
    let csv = s
        .cmd(&["obligations", "--document", "law", "--format", "csv"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let headers = reader.headers().unwrap().clone();
    let note_at = headers
        .iter()
        .position(|h| h == "status_note")
        .expect("a status_note column");
    let id_at = headers.iter().position(|h| h == "id").unwrap();
    let record = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[id_at] == "law-art2-report")
        .unwrap();
    assert_eq!(&record[note_at], "Inferred from the plan's end.");
    let site = s.path("site");
    s.cmd(&["report", "--out", site.to_str().unwrap()])
        .assert()
        .success();
    let agency = row["agency"].as_str().unwrap();
    let page = fs::read_to_string(site.join(format!("agencies/{agency}.html"))).unwrap();
    assert!(
        page.contains(r#"<small class="status-note">Inferred from the plan&#39;s end.</small>"#),
        "{page}"
    );
    // So does the site's download of the obligations table.
    let download = fs::read(site.join("data/obligations.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(download.as_slice());
    let headers = reader.headers().unwrap().clone();
    let at = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    // One with no history recorded is active, since no date.
    assert!(
        records
            .iter()
            .any(|r| r[at("status")] == *"active" && r[at("status_since")].is_empty()),
        "{records:?}"
    );
    let record = records
        .iter()
        .find(|r| &r[at("id")] == "law-art2-report")
        .unwrap();
    assert_eq!(
        [
            &record[at("status")],
            &record[at("status_since")],
            &record[at("status_source")],
            &record[at("status_confidence")],
            &record[at("status_note")],
        ],
        [
            "lapsed",
            "2020",
            "src-news",
            "unverified",
            "Inferred from the plan's end."
        ]
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("data/obligations.json")).unwrap()).unwrap();
    let entry = json
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == "law-art2-report")
        .unwrap();
    assert_eq!(entry["status"], "lapsed");
    assert_eq!(entry["status_note"], "Inferred from the plan's end.");
    // The document's page marks the lapse where it lists the duty, with
    // the change's source, its badge and its note.
    let law = fs::read_to_string(site.join("documents/law.html")).unwrap();
    let item = &law[law
        .find(r#"<li id="o-law-art2-report">"#)
        .expect("the duty's item")..];
    let item = &item[..item.find("</li>").unwrap()];
    for part in [
        "<strong>lapsed</strong> since <time>2020</time>",
        "sources.html#src-src-news",
        "unverified",
        "Inferred from the plan&#39;s end.",
    ] {
        assert!(item.contains(part), "`{part}` in {item}");
    }
    // The export keeps it, and a store made from the export answers the same.
    let exported = s.snapshot("toml");
    let text: String = exported
        .iter()
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        text.contains("status = \"lapsed\"\ndate = \"2020\"\nnote = \"Inferred from the plan's end.\"\nsource = \"src-news\"\nconfidence = \"unverified\""),
        "{text}"
    );
    let again = Sandbox::new();
    again.empty_store();
    again.import(&s.path("snapshot-toml")).success();
    assert_eq!(report_row(&again, "2026-11-24"), row);
}

#[test]
fn a_status_does_not_flip_back_when_an_earlier_recorded_period_ends() {
    // `active 2024` then `suspended 2024-06-01`: once 2024 has ended the
    // year's change counts from 2024-12-31, yet the suspension, recorded
    // after it and inside its year, stays the status.
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    for (status, date) in [("active", "2024"), ("suspended", "2024-06-01")] {
        s.cmd(&[
            "record",
            "obligation",
            "--obligation",
            "law-art2-report",
            "--status",
            status,
            "--date",
            date,
            "--source",
            "src-news",
        ])
        .assert()
        .success();
    }
    for today in ["2024-07-01", "2026-11-24"] {
        let row = report_row(&s, today);
        assert_eq!(
            (&row["status"], &row["status_since"]),
            (
                &serde_json::json!("suspended"),
                &serde_json::json!("2024-06-01")
            ),
            "on {today}"
        );
        // Recorded without a note: none.
        assert_eq!(row["status_note"], serde_json::Value::Null, "on {today}");
    }
}

#[test]
fn a_recorded_status_change_may_be_marked_less_sure_and_no_more() {
    // A store that holds `active 2011-08` as verified (as every change was
    // before changes had a confidence) takes the catalog's later word that
    // it is unverified; the way back is a rewrite.
    let s = Sandbox::new();
    s.empty_store();
    s.import(Path::new(MINI)).success();
    let history =
        "[[obligation.history]]\nstatus = \"active\"\ndate = \"2011-08\"\nsource = \"src-law\"\n";
    let lowered = s.mini_edited(
        "documents/law.toml",
        history,
        &format!("{history}confidence = \"unverified\"\n"),
    );
    s.import(&lowered).success();
    assert_eq!(
        report_row(&s, "2026-11-24")["status_confidence"],
        serde_json::json!("unverified")
    );
    let before = s.snapshot("json");
    let err = s
        .import(Path::new(MINI))
        .code(1)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8_lossy(&err).contains("may only be marked less sure"),
        "{}",
        String::from_utf8_lossy(&err)
    );
    assert_eq!(s.snapshot("json"), before);
}

#[test]
fn a_reorganisation_after_the_successor_passed_its_functions_on_passes_nothing_further() {
    let s = Sandbox::mini_with("succession-out-of-order.toml");
    let rows = s.rows_on(common::TODAY, &["obligations", "--agency", "mol"]);
    let ids: Vec<&str> = rows
        .iter()
        .filter(|r| r["document"] == "ldoc")
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["l-o2"]);
}

#[test]
fn a_partners_history_is_the_one_its_stage_comes_from() {
    let s = Sandbox::new();
    s.cmd(&["init"]).assert().success();
    let events = s.rows_on(
        common::TODAY,
        &[
            "agreements",
            "--history",
            "--agreement",
            "eaeu-treaty",
            "--partner",
            "kg",
        ],
    );
    let seen: Vec<(String, String, String)> = events
        .iter()
        .map(|e| {
            (
                e["stage"].as_str().unwrap().to_owned(),
                e["date"].as_str().unwrap().to_owned(),
                e["partner"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    // Kyrgyzstan's own signature and entry into force, not the founders'.
    assert!(
        seen.contains(&("signed".into(), "2014-12-23".into(), "kg".into())),
        "{seen:?}"
    );
    assert!(
        seen.contains(&("in_force".into(), "2015-08-12".into(), "kg".into())),
        "{seen:?}"
    );
    assert!(
        !seen
            .iter()
            .any(|e| e.1 == "2014-05-29" || e.1 == "2015-01-01"),
        "{seen:?}"
    );
}

#[test]
fn record_with_an_unknown_party_is_not_weighed_against_the_whole_agreement() {
    // The Viet Nam FTA records `signed 2015-05-29` for the agreement as a
    // whole; the same event for an unknown party is refused for its party
    // alone, not also as a repeat of the agreement's event.
    let s = Sandbox::new();
    s.cmd(&["init"]).assert().success();
    let out = s
        .cmd(&[
            "record",
            "event",
            "--agreement",
            "eaeu-vn-fta",
            "--stage",
            "signed",
            "--date",
            "2015-05-29",
            "--party",
            "nosuch",
            "--source",
            "moscowtimes-2015-vn-fta",
        ])
        .assert()
        .code(1)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8_lossy(&out);
    assert!(err.contains("nosuch"), "{err}");
    assert!(!err.contains("already records"), "{err}");
}
