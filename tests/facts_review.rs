//! Checks added by the review of the bundled catalog against its sources
//! (the fact sheet and Delovarova 2017).
//!
//! Like `tests/catalog_facts.rs`, each test loads the catalog compiled into
//! the binary (`lextrack init`), exports it as JSON and reads the files.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// The bundled catalog, exported as JSON into a temporary folder.
struct Export {
    dir: TempDir,
}

impl Export {
    fn load() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let export = Export { dir };
        export.cmd(&["init"]).assert().success();
        let out = export.out();
        export
            .cmd(&["export", "--format", "json", "--out", out.to_str().unwrap()])
            .assert()
            .success();
        export
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("lextrack").expect("binary built");
        cmd.env_clear()
            .current_dir(self.dir.path())
            .arg("--db")
            .arg(self.dir.path().join("store.db"))
            .args(["--today", "2026-11-24"])
            .args(args);
        cmd
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("export")
    }

    /// Every exported file but `sources.json`, with its relative path.
    fn files(&self) -> Vec<(String, Value)> {
        let mut files = Vec::new();
        collect(&self.out(), &self.out(), &mut files);
        files.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(files.len() > 50, "the export looks empty");
        files.retain(|(path, _)| path != "sources.json");
        files
    }

    fn document(&self, id: &str) -> Value {
        for folder in ["documents", "agreements"] {
            let path = self.out().join(folder).join(format!("{id}.json"));
            if path.exists() {
                return read_json(&path);
            }
        }
        panic!("no exported file for document `{id}`");
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, Value)>) {
    for entry in fs::read_dir(dir).expect("read export folder") {
        let path = entry.expect("dir entry").path();
        if path.is_dir() {
            collect(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            let rel = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, read_json(&path)));
        }
    }
}

fn read_json(path: &Path) -> Value {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

fn records<'a>(file: &'a Value, key: &str) -> &'a [Value] {
    file.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

fn confidence(v: &Value) -> &str {
    v.get("confidence")
        .and_then(Value::as_str)
        .unwrap_or("verified")
}

/// docs/catalog.md says a note starting "Inference" marks the cataloguer's
/// own inference; `catalog_facts.rs` only catches notes starting "Inferred".
/// Neither kind of record may be marked verified.
#[test]
fn inference_notes_are_never_verified() {
    fn walk(v: &Value, path: &str, bad: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                let inferred = map
                    .get("note")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.starts_with("Inference") || n.starts_with("Inferred"));
                if inferred && map.contains_key("source") && confidence(v) == "verified" {
                    bad.push(format!("{path}: {v}"));
                }
                for (k, child) in map {
                    walk(child, &format!("{path}/{k}"), bad);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{path}[{i}]"), bad);
                }
            }
            _ => {}
        }
    }
    let export = Export::load();
    let mut bad = Vec::new();
    for (path, file) in export.files() {
        walk(&file, &path, &mut bad);
    }
    assert!(
        bad.is_empty(),
        "inferred facts marked verified:\n{}",
        bad.join("\n")
    );
}

/// The facts the review corrected stay corrected.
#[test]
fn reviewed_confidences_hold() {
    let export = Export::load();

    // No source says the 2017 Concept replaces the 2007 one (repealed in
    // 2011): the relation is the cataloguer's inference.
    let concept = export.document("kz-concept-2017-2021");
    let relation = records(&concept, "relation")
        .iter()
        .find(|r| {
            str_of(r, "type") == "supersedes" && str_of(r, "target") == "kz-concept-2007-2015"
        })
        .expect("the supersedes relation to the 2007 Concept");
    assert_eq!(confidence(relation), "unverified", "{relation}");

    // Art. 98's wording is from the fact sheet's memory ("main wording [U]").
    let treaty = export.document("eaeu-treaty");
    let art98 = records(&treaty, "provision")
        .iter()
        .find(|p| str_of(p, "eid") == "art_98")
        .expect("art_98");
    assert_eq!(confidence(art98), "unverified");
}

/// The counts table of docs/catalog.md describes the bundled catalog.
#[test]
fn docs_counts_match_the_bundled_catalog() {
    let export = Export::load();
    // [total, verified, secondary, unverified] per row of the table.
    let mut counts: BTreeMap<&str, [u64; 4]> = BTreeMap::new();
    let mut add = |row: &'static str, v: &Value| {
        let c = counts.entry(row).or_default();
        c[0] += 1;
        match confidence(v) {
            "verified" => c[1] += 1,
            "secondary" => c[2] += 1,
            "unverified" => c[3] += 1,
            other => panic!("unknown confidence {other}"),
        }
    };
    for (path, file) in export.files() {
        if let Some(doc) = file.get("document") {
            add("documents", doc);
        }
        let sections: [(&str, &'static str); 10] = [
            ("provision", "provisions"),
            ("relation", "document relations"),
            ("event", "agreement events"),
            ("obligation", "obligations"),
            ("node", "framework nodes"),
            ("link", "provision links"),
            ("agency", "agencies"),
            ("succession", "agency successions"),
            ("partner", "partners"),
            ("claim", "claims (Delovarova 2017)"),
        ];
        for (key, row) in sections {
            for r in records(&file, key) {
                add(row, r);
            }
        }
        if path == "indicators.json" {
            for series in records(&file, "indicator") {
                for v in records(series, "value") {
                    add("indicator values", v);
                }
            }
        }
    }
    let mut all = [0u64; 4];
    for c in counts.values() {
        for i in 0..4 {
            all[i] += c[i];
        }
    }
    counts.insert("**all of the above**", all);

    let docs = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/catalog.md"))
        .expect("read docs/catalog.md");
    let mut seen = 0;
    for line in docs.lines() {
        let cells: Vec<&str> = line
            .trim()
            .trim_matches('|')
            .split('|')
            .map(str::trim)
            .collect();
        if cells.len() != 5 {
            continue;
        }
        let Some(expected) = counts.get(cells[0]) else {
            continue;
        };
        let documented: Vec<u64> = cells[1..]
            .iter()
            .map(|c| c.trim_matches('*').parse().expect("a number"))
            .collect();
        assert_eq!(
            documented,
            expected.to_vec(),
            "docs/catalog.md row `{}`",
            cells[0]
        );
        seen += 1;
    }
    assert_eq!(seen, counts.len(), "rows of the counts table found");
}
