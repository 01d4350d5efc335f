//! What the test files that run the binary share: a scratch folder with a
//! store path, the binary run on it the way a user runs it, and a walk of
//! the files a command wrote.
//!
//! Each test file includes this module (`mod common;`) and adds the
//! constructors and helpers of its own in an `impl Sandbox` block of its
//! own; not every file uses every item here.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The day every test runs on unless it says otherwise, so that answers
/// that depend on today (statuses, next due dates) do not move.
pub const TODAY: &str = "2026-11-24";

/// A scratch folder with a store path, and a way to run the binary on it.
pub struct Sandbox {
    pub dir: TempDir,
}

impl Sandbox {
    /// An empty sandbox: the store does not exist yet.
    pub fn new() -> Self {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("store.db")
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// `lextrack --db <store> ARGS` in the sandbox, with a clean
    /// environment: a developer's LEXTRACK_* variables never leak in,
    /// stdout is a pipe and `COLUMNS` is unset, so tables are whole.
    pub fn undated(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("lextrack").expect("binary built");
        cmd.env_clear()
            .current_dir(self.dir.path())
            .arg("--db")
            .arg(self.db())
            .args(args);
        cmd
    }

    /// `lextrack --db <store> --today TODAY ARGS`.
    pub fn cmd_on(&self, today: &str, args: &[&str]) -> Command {
        let mut cmd = self.undated(&["--today", today]);
        cmd.args(args);
        cmd
    }

    /// `lextrack --db <store> --today 2026-11-24 ARGS`.
    pub fn cmd(&self, args: &[&str]) -> Command {
        self.cmd_on(TODAY, args)
    }

    /// Runs a command that must succeed and returns its stdout.
    pub fn out(&self, args: &[&str]) -> String {
        let out = self.cmd(args).output().expect("runs");
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8")
    }

    /// Runs a command with `--format json` and parses what it prints.
    pub fn json(&self, args: &[&str]) -> Value {
        self.json_on(TODAY, args)
    }

    /// [`Sandbox::json`] on day `today`.
    pub fn json_on(&self, today: &str, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json"]);
        let out = self.cmd_on(today, &all).output().expect("runs");
        assert!(
            out.status.success(),
            "{all:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).expect("valid JSON")
    }

    /// The rows of a listing's JSON ([`Sandbox::json_on`]).
    pub fn rows_on(&self, today: &str, args: &[&str]) -> Vec<Value> {
        match self.json_on(today, args) {
            Value::Array(rows) => rows,
            other => panic!("{args:?}: not a JSON array: {other}"),
        }
    }

    /// Runs a command that must fail with `code` and print nothing on
    /// stdout; returns its stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let out = self.cmd(args).output().expect("runs");
        let err = String::from_utf8(out.stderr).expect("utf-8");
        assert_eq!(
            out.status.code(),
            Some(code),
            "{args:?}: stdout {} stderr {err}",
            String::from_utf8_lossy(&out.stdout),
        );
        assert!(
            out.stdout.is_empty(),
            "{args:?} failed but printed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        err
    }
}

/// What a finished command printed on stderr.
pub fn stderr(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stderr).into_owned()
}

/// What a finished command printed on stdout.
pub fn stdout(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8_lossy(&a.get_output().stdout).into_owned()
}

/// Every file under `root`, recursively, in name order.
pub fn files_under(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.expect("a folder entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}
