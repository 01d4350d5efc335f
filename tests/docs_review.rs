//! What docs/cli.md promises a user who runs the commands it shows, checked
//! against the real binary (found by a docs review).

use assert_cmd::Command;

const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mini");

mod common;
use common::Sandbox;

impl Sandbox {
    /// A store holding the mini fixture catalog.
    fn mini_store(&self) {
        self.cmd(&["init", "--empty"]).assert().success();
        self.cmd(&["import", MINI]).assert().success();
    }
}

/// `record` "is validated like an import (exit 1 and nothing written on a
/// problem, every problem listed at once)": an unknown obligation used to
/// be reported alone, hiding the unknown source and the future date.
#[test]
fn record_obligation_lists_every_problem_at_once() {
    let s = Sandbox::new();
    s.mini_store();
    let err = s.fails(
        &[
            "record",
            "obligation",
            "--obligation",
            "law-art2-reprot",
            "--status",
            "fulfilled",
            "--date",
            "2030",
            "--source",
            "no-such-source",
        ],
        1,
    );
    assert!(err.contains("3 problems; nothing was written"), "{err}");
    assert!(
        err.contains("field `obligation`: obligation `law-art2-reprot` not found; did you mean"),
        "{err}"
    );
    assert!(
        err.contains("field `source`: unknown source `no-such-source`"),
        "{err}"
    );
    assert!(err.contains("field `date`: 2030 is after today"), "{err}");
}

/// `--force` without `--note` is a usage error (exit 2) whatever else is
/// wrong, for an obligation as for an event.
#[test]
fn record_obligation_force_without_note_is_usage_first() {
    let s = Sandbox::new();
    s.mini_store();
    let err = s.fails(
        &[
            "record",
            "obligation",
            "--obligation",
            "nope",
            "--status",
            "fulfilled",
            "--date",
            "2020",
            "--source",
            "src-law",
            "--force",
        ],
        2,
    );
    assert!(err.contains("--force needs a --note"), "{err}");
}

/// A `--db` that names a folder is refused as `init` refuses it (exit 2,
/// saying so), not left to SQLite's bare "disk I/O error" (exit 3).
#[test]
fn a_folder_as_db_is_a_usage_error_for_every_command() {
    let s = Sandbox::new();
    std::fs::create_dir(s.db()).unwrap();
    for args in [
        &["partners"][..],
        &["check"],
        &["import", MINI],
        &["import", MINI, "--dry-run"],
        &["init", "--force"],
    ] {
        let err = s.fails(args, 2);
        assert!(
            err.contains("is a folder; --db names the store's file"),
            "{args:?}: {err}"
        );
    }
    assert!(s.db().is_dir());
}

/// A `--db` in a folder that does not exist says so (exit 2), instead of
/// a note that the store is being created and SQLite's "unable to open
/// database file" (exit 3); nothing is created.
#[test]
fn a_db_in_a_missing_folder_is_a_usage_error() {
    let s = Sandbox::new();
    let db = s.dir.path().join("missing").join("store.db");
    for args in [&["partners"][..], &["init"], &["report", "--out", "site"]] {
        let out = Command::cargo_bin("lextrack")
            .unwrap()
            .env_clear()
            .current_dir(s.dir.path())
            .arg("--db")
            .arg(&db)
            .args(args)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("does not exist; create it first"), "{err}");
        assert!(err.contains("missing"), "{err}");
        assert!(!err.contains("creating it"), "{err}");
    }
    assert!(!s.dir.path().join("missing").exists());
    assert!(!s.dir.path().join("site").exists());
}

/// `obligations --help` names the values of `--modality` and `--status`,
/// as docs/cli.md does (`--modality` used to have no help at all).
#[test]
fn obligations_help_names_modalities_and_statuses() {
    let s = Sandbox::new();
    let out = s.cmd(&["obligations", "--help"]).output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        help.contains("duty, power, right, permission or prohibition"),
        "{help}"
    );
    assert!(
        help.contains("pending, active, fulfilled, overdue, suspended, lapsed or repealed"),
        "{help}"
    );
}
