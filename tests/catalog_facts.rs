//! Facts of the bundled catalog (db/catalog) that users rely on, pinned so
//! that an accidental edit fails a test.
//!
//! Each test runs the real binary: `lextrack --db <tmp> init` loads the
//! catalog compiled into it, `lextrack export --format json` writes it out,
//! and the test reads the JSON files (`sources.json`, `partners.json`,
//! `documents/<id>.json`, `agreements/<id>.json`, `frameworks/<id>.json`, …)
//! as plain `serde_json::Value`s, with the same keys as the TOML files.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const TODAY: &str = "2026-11-24";

/// A store initialised from the bundled catalog, and its JSON export.
struct Catalog {
    dir: TempDir,
}

impl Catalog {
    fn load() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let catalog = Catalog { dir };
        catalog.cmd(&["init"]).assert().success();
        let out = catalog.out();
        catalog
            .cmd(&["export", "--format", "json", "--out", out.to_str().unwrap()])
            .assert()
            .success();
        catalog
    }

    /// `lextrack --db <store> --today 2026-11-24 ARGS` in a clean environment.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("lextrack").expect("binary built");
        cmd.env_clear()
            .current_dir(self.dir.path())
            .arg("--db")
            .arg(self.dir.path().join("store.db"))
            .args(["--today", TODAY])
            .args(args);
        cmd
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("export")
    }

    fn file(&self, rel: &str) -> Value {
        read_json(&self.out().join(rel))
    }

    /// A document's file, wherever export put it: `agreements/` when it has
    /// parties, `documents/` otherwise.
    fn document(&self, id: &str) -> Value {
        for folder in ["documents", "agreements"] {
            let path = self.out().join(folder).join(format!("{id}.json"));
            if path.exists() {
                return read_json(&path);
            }
        }
        panic!("no exported file for document `{id}`");
    }

    /// Every exported file with its path relative to the export folder.
    fn all_files(&self) -> Vec<(String, Value)> {
        let mut files = Vec::new();
        collect(&self.out(), &self.out(), &mut files);
        files.sort_by(|a, b| a.0.cmp(&b.0));
        assert!(
            files.len() > 50,
            "the bundled catalog looks empty: {} files",
            files.len()
        );
        files
    }

    fn source_ids(&self) -> BTreeSet<String> {
        records(&self.file("sources.json"), "source")
            .iter()
            .map(|s| str_of(s, "id").to_owned())
            .collect()
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

/// The records of one section (`event`, `provision`, …); empty if absent.
fn records<'a>(file: &'a Value, key: &str) -> &'a [Value] {
    file.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

/// A record's confidence; omitted means verified.
fn confidence(v: &Value) -> &str {
    v.get("confidence")
        .and_then(Value::as_str)
        .unwrap_or("verified")
}

fn find<'a>(items: &'a [Value], key: &str, value: &str) -> &'a Value {
    items
        .iter()
        .find(|r| str_of(r, key) == value)
        .unwrap_or_else(|| panic!("no record with {key} = {value:?}"))
}

fn has_event(agreement: &Value, stage: &str, date: &str) -> bool {
    records(agreement, "event")
        .iter()
        .any(|e| str_of(e, "stage") == stage && str_of(e, "date") == date)
}

#[test]
fn vietnam_fta_signed_2015_05_29_and_in_force_2016_10_05() {
    let c = Catalog::load();
    let fta = c.file("agreements/eaeu-vn-fta.json");
    let doc = &fta["document"];
    assert_eq!(str_of(doc, "work_id"), "/akn/eaeu/act/2015-05-29/fta-vn");
    assert_eq!(str_of(doc, "adopted"), "2015-05-29");
    assert_eq!(str_of(doc, "in_force"), "2016-10-05");
    assert!(has_event(&fta, "signed", "2015-05-29"), "signature event");
    assert!(
        has_event(&fta, "in_force", "2016-10-05"),
        "entry-into-force event"
    );
    // Talks were approved in December 2012: month precision, no invented day.
    assert!(has_event(&fta, "proposed", "2012-12"));
    let parties: Vec<&str> = records(&fta, "party")
        .iter()
        .map(|p| str_of(p, "partner"))
        .collect();
    assert!(
        parties.contains(&"vn") && parties.contains(&"eaeu"),
        "{parties:?}"
    );
}

#[test]
fn migration_law_is_477_iv_of_2011_07_22() {
    let c = Catalog::load();
    let law = c.file("documents/kz-law-477-iv.json");
    let doc = &law["document"];
    assert_eq!(str_of(doc, "kind"), "law");
    assert_eq!(str_of(doc, "number"), "477-IV");
    assert_eq!(str_of(doc, "adopted"), "2011-07-22");
    assert_eq!(str_of(doc, "work_id"), "/akn/kz/act/2011-07-22/477-IV");
    assert_eq!(str_of(&doc["title"], "ru"), "О миграции населения");

    let relations = records(&law, "relation");
    assert!(
        relations
            .iter()
            .any(|r| str_of(r, "type") == "supersedes" && str_of(r, "target") == "kz-law-204-i"),
        "Law 477-IV supersedes the 1997 Law 204-I"
    );

    // The known articles, and Chapter 9 holding arts. 50 and 51.
    let provisions = records(&law, "provision");
    for eid in [
        "chp_1",
        "art_1",
        "art_6-1",
        "art_8",
        "art_9",
        "art_10",
        "art_11",
        "art_11__subpara_9",
        "art_15",
        "chp_9",
        "art_50",
        "art_51",
        "art_63",
    ] {
        find(provisions, "eid", eid);
    }
    for eid in ["art_50", "art_51"] {
        assert_eq!(
            str_of(find(provisions, "eid", eid), "parent"),
            "chp_9",
            "{eid} sits in chapter 9"
        );
    }

    // Competences are obligations on their agencies.
    let obligations = records(&law, "obligation");
    for (article, agency) in [
        ("art_9", "kz-mia"),
        ("art_10", "kz-mfa"),
        ("art_11", "kz-mlspp"),
        ("art_15", "kz-akimats"),
    ] {
        assert!(
            obligations
                .iter()
                .any(|o| str_of(o, "provision") == article && str_of(o, "agency") == agency),
            "{article} puts obligations on {agency}"
        );
    }
    assert_eq!(
        str_of(find(obligations, "id", "mig-art9-visas"), "agency"),
        "kz-mia"
    );
    assert_eq!(
        str_of(
            find(obligations, "id", "mig-art11-foreign-labour-quota"),
            "agency"
        ),
        "kz-mlspp"
    );
    assert_eq!(
        str_of(
            find(obligations, "id", "mig-art10-visa-procedure-nsc"),
            "role"
        ),
        "co_executor"
    );
}

#[test]
fn every_amending_law_amends_the_migration_law_on_its_date() {
    let c = Catalog::load();
    let amending = [
        ("kz-law-421-v", "2015-11-24"),
        ("kz-law-147-vi", "2018-04-16"),
        ("kz-law-292-vi", "2019-12-27"),
        ("kz-law-327-vi", "2020-05-13"),
        ("kz-law-95-vii", "2021-12-30"),
        ("kz-law-223-vii", "2023-04-19"),
        ("kz-law-15-viii", "2023-07-04"),
        ("kz-law-82-viii", "2024-05-16"),
        ("kz-law-86-viii", "2024-05-21"),
        ("kz-law-203-viii", "2025-06-30"),
    ];
    for (id, date) in amending {
        let file = c.document(id);
        assert_eq!(str_of(&file["document"], "adopted"), date, "{id}");
        assert!(
            records(&file, "relation")
                .iter()
                .any(|r| str_of(r, "type") == "amends"
                    && str_of(r, "target") == "kz-law-477-iv"
                    && str_of(r, "date") == date),
            "{id} amends kz-law-477-iv on {date}"
        );
    }

    // The renaming "oralman" -> "kandas": dated 2020-05-13, effective 2021-01-02.
    let renaming = c.document("kz-law-327-vi");
    let relation = find(records(&renaming, "relation"), "target", "kz-law-477-iv");
    assert!(str_of(relation, "note").contains("kandas"));
    assert!(
        records(&renaming, "provision").iter().any(
            |p| str_of(p, "valid_from") == "2021-01-02" && str_of(p, "text").contains("kandas")
        ),
        "the renaming takes effect on 2021-01-02"
    );
}

#[test]
fn eaeu_treaty_article_97_exists_with_its_paragraphs() {
    let c = Catalog::load();
    let treaty = c.document("eaeu-treaty");
    let doc = &treaty["document"];
    assert_eq!(str_of(doc, "work_id"), "/akn/eaeu/act/2014-05-29/treaty");
    assert_eq!(str_of(doc, "adopted"), "2014-05-29");
    assert_eq!(str_of(doc, "in_force"), "2015-01-01");

    let provisions = records(&treaty, "provision");
    let art97 = find(provisions, "eid", "art_97");
    assert_eq!(
        str_of(art97, "parent"),
        "sec_26",
        "art. 97 sits in Section XXVI"
    );
    assert_eq!(
        str_of(find(provisions, "eid", "sec_26"), "heading"),
        "Labour migration"
    );
    for eid in [
        "art_97__para_1",
        "art_97__para_2",
        "art_97__para_3",
        "art_97__para_5",
    ] {
        find(provisions, "eid", eid);
    }
    // Art. 96 paragraphs 1–5 and the six forms of cooperation.
    for n in 1..=5 {
        find(provisions, "eid", &format!("art_96__para_{n}"));
    }
    for n in 1..=6 {
        find(provisions, "eid", &format!("art_96__para_3__point_{n}"));
    }
    for eid in [
        "art_1__para_1",
        "art_1__para_2",
        "art_7",
        "art_98",
        "annex_30",
    ] {
        find(provisions, "eid", eid);
    }

    // No work permits: a prohibition on the Member States; employers' right.
    let obligations = records(&treaty, "obligation");
    let no_permit = find(obligations, "id", "eaeu-art97-no-work-permit");
    assert_eq!(str_of(no_permit, "provision"), "art_97__para_1");
    assert_eq!(str_of(no_permit, "agency"), "eaeu-member-states");
    assert_eq!(str_of(no_permit, "modality"), "prohibition");
    let engage = find(obligations, "id", "eaeu-art97-employers-engage");
    assert_eq!(str_of(engage, "agency"), "eaeu-employers");
    assert_eq!(str_of(engage, "modality"), "right");
    assert_eq!(
        str_of(
            find(obligations, "id", "eaeu-art98-respect-law"),
            "modality"
        ),
        "duty"
    );
}

#[test]
fn each_concept_direction_is_implemented_by_a_link() {
    let c = Catalog::load();
    let framework = c.file("frameworks/kz-migration-concept-2017.json");
    assert_eq!(
        str_of(&framework["framework"], "document"),
        "kz-concept-2017-2021"
    );
    let nodes = records(&framework, "node");
    let directions: Vec<&Value> = nodes
        .iter()
        .filter(|n| str_of(n, "kind") == "direction")
        .collect();
    assert_eq!(directions.len(), 3, "three strategic directions");
    let objectives: Vec<&Value> = nodes
        .iter()
        .filter(|n| str_of(n, "kind") == "objective")
        .collect();
    assert_eq!(objectives.len(), 3, "three strategic objectives");

    // The directions come from the 2017 article only; the objectives from
    // the minister's statement at adoption.
    for d in &directions {
        assert_eq!(confidence(d), "unverified", "{}", str_of(d, "id"));
        assert_eq!(str_of(d, "source"), "delovarova-2017");
    }
    for o in &objectives {
        assert_eq!(confidence(o), "verified", "{}", str_of(o, "id"));
    }

    let links: Vec<Value> = c
        .all_files()
        .into_iter()
        .flat_map(|(_, file)| records(&file, "link").to_vec())
        .collect();
    for d in directions {
        let id = str_of(d, "id");
        assert!(
            links
                .iter()
                .any(|l| str_of(l, "node") == id && str_of(l, "type") == "implements"),
            "direction {id} has an `implements` link"
        );
    }
    // The Law's foreign-labour quota serves direction 1.
    let law = c.file("documents/kz-law-477-iv.json");
    assert!(
        records(&law, "link")
            .iter()
            .any(|l| str_of(l, "provision") == "art_11"
                && str_of(l, "node") == "kz-mc2017-direction-1"
                && str_of(l, "type") == "implements")
    );
    // The Concept links to Kazakhstan-2050 challenge 2.
    let concept = c.file("documents/kz-concept-2017-2021.json");
    assert!(
        records(&concept, "link")
            .iter()
            .any(|l| str_of(l, "node") == "kz-2050-challenge-2")
    );
}

#[test]
fn concept_reporting_duties_recur_yearly() {
    let c = Catalog::load();
    let decree = c.document("kz-decree-602");
    assert_eq!(str_of(&decree["document"], "number"), "602");
    assert_eq!(str_of(&decree["document"], "adopted"), "2017-09-29");
    let obligations = records(&decree, "obligation");
    let due = |agency: &str, by: &str| {
        obligations.iter().any(|o| {
            str_of(o, "agency") == agency
                && str_of(o, "role") == "responsible"
                && str_of(&o["recurrence"], "every") == "year"
                && str_of(&o["recurrence"], "by") == by
        })
    };
    assert!(
        due("kz-akimats", "01-15"),
        "executing bodies report by 15 January"
    );
    assert!(
        due("kz-mlspp", "02-15"),
        "the labour ministry reports by 15 February"
    );
    assert!(
        obligations
            .iter()
            .any(|o| str_of(o, "agency") == "kz-pmo" && str_of(o, "role") == "reports_to"),
        "the Prime Minister's Office receives the summary"
    );
}

#[test]
fn kazakhstan_2050_challenges_5_to_10_are_unverified() {
    let c = Catalog::load();
    let framework = c.file("frameworks/kz-2050.json");
    let nodes = records(&framework, "node");
    let goal = find(nodes, "id", "kz-2050-goal");
    assert_eq!(str_of(goal, "kind"), "goal");
    for n in 1..=10 {
        let node = find(nodes, "id", &format!("kz-2050-challenge-{n}"));
        assert_eq!(str_of(node, "kind"), "challenge");
        let expected = if n <= 4 { "verified" } else { "unverified" };
        assert_eq!(confidence(node), expected, "challenge {n}");
    }
    let second = find(nodes, "id", "kz-2050-challenge-2");
    assert!(str_of(&second["title"], "en").contains("demographic"));
}

#[test]
fn the_2017_claims_are_kept_with_their_corrections() {
    let c = Catalog::load();
    let sources = c.source_ids();
    let partners = c.file("partners.json");
    let claims = records(&partners, "claim");

    let india = claims
        .iter()
        .find(|cl| str_of(cl, "partner") == "in" && str_of(cl, "stated") == "2017")
        .expect("the article's claim about India");
    assert_eq!(str_of(india, "source"), "delovarova-2017");
    assert_eq!(str_of(india, "stage"), "negotiating");
    assert!(str_of(india, "correction").contains("2025"), "{india}");
    assert!(sources.contains(str_of(india, "correction_source")));
    // The corrected history beside it: research stage, then the 2025 launch.
    let fta = c.document("eaeu-in-fta");
    assert!(has_event(&fta, "feasibility_study", "2016-05"));
    assert!(has_event(&fta, "negotiating", "2025-08-20"));

    for partner in ["bd", "jo", "ma", "eg", "cn"] {
        let claim = claims
            .iter()
            .find(|cl| {
                str_of(cl, "partner") == partner && str_of(cl, "source") == "delovarova-2017"
            })
            .unwrap_or_else(|| panic!("the article's claim about `{partner}`"));
        assert!(
            !str_of(claim, "correction").is_empty(),
            "{partner} claim is corrected"
        );
        assert!(
            sources.contains(str_of(claim, "correction_source")),
            "{partner}"
        );
    }
    // Bangladesh: a memorandum signed 31 May 2019, not an FTA.
    assert!(has_event(
        &c.document("eec-bd-memorandum"),
        "signed",
        "2019-05-31"
    ));
    // CARICOM and APEC: a claim, but no agreement.
    for partner in ["caricom", "apec"] {
        assert!(claims.iter().any(|cl| str_of(cl, "partner") == partner));
        for (path, file) in c.all_files() {
            assert!(
                !records(&file, "party")
                    .iter()
                    .any(|p| str_of(p, "partner") == partner),
                "{path} makes `{partner}` a party"
            );
        }
    }
}

#[test]
fn every_source_named_exists_and_unconfirmed_facts_are_not_verified() {
    let c = Catalog::load();
    let sources = c.source_ids();
    assert!(sources.contains("delovarova-2017"));
    assert!(sources.contains("factsheet-background"));

    fn walk(v: &Value, path: &str, sources: &BTreeSet<String>, bad: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for key in ["source", "correction_source"] {
                    if let Some(Value::String(id)) = map.get(key)
                        && !sources.contains(id)
                    {
                        bad.push(format!("{path}: {key} `{id}` is not in sources.json"));
                    }
                }
                // Facts from the fact sheet's memory, or only from the 2017
                // article, are never marked verified. (Indicator series carry
                // no confidence of their own; their values do.)
                let only_unconfirmed = matches!(
                    map.get("source").and_then(Value::as_str),
                    Some("factsheet-background") | Some("delovarova-2017")
                );
                let is_series = map.get("value").is_some_and(Value::is_array);
                if only_unconfirmed && !is_series && confidence(v) != "unverified" {
                    bad.push(format!("{path}: {} is marked {}", v, confidence(v)));
                }
                // A fact the catalog says it inferred (an obligation's lapse
                // read off its plan's end, a transfer of functions no source
                // dates) is no verified fact either. docs/catalog.md names
                // both markers, "Inferred" and "Inference".
                let inferred = map
                    .get("note")
                    .and_then(Value::as_str)
                    .is_some_and(|n| n.starts_with("Inferred") || n.starts_with("Inference"));
                if inferred && map.contains_key("source") && confidence(v) == "verified" {
                    bad.push(format!("{path}: an inferred fact is marked verified: {v}"));
                }
                for (k, child) in map {
                    walk(child, &format!("{path}/{k}"), sources, bad);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    walk(child, &format!("{path}[{i}]"), sources, bad);
                }
            }
            _ => {}
        }
    }

    let mut bad = Vec::new();
    for (path, file) in c.all_files() {
        if path == "sources.json" {
            continue;
        }
        walk(&file, &path, &sources, &mut bad);
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

#[test]
fn dates_keep_the_precision_of_their_sources() {
    let c = Catalog::load();
    // "June 2015", "May 2016", "2015", "December 2025": never a made-up day.
    assert!(has_event(
        &c.document("eec-cl-memorandum"),
        "signed",
        "2015-06"
    ));
    assert!(has_event(
        &c.document("eec-sg-memorandum"),
        "signed",
        "2016-05"
    ));
    assert!(has_event(
        &c.document("eec-pe-memorandum"),
        "signed",
        "2015"
    ));
    assert!(has_event(&c.document("eaeu-id-fta"), "signed", "2025-12"));
    // The Greek joint declaration has no known date, so no event.
    assert!(records(&c.document("eec-gr-declaration"), "event").is_empty());

    let indicators = c.file("indicators.json");
    let population = find(records(&indicators, "indicator"), "id", "kz-population");
    let values = records(population, "value");
    assert_eq!(find(values, "period", "2017-06-01")["value"], 18014200);
    assert_eq!(
        confidence(find(values, "period", "2017-06-01")),
        "unverified"
    );
    assert_eq!(confidence(find(values, "period", "2017-09-01")), "verified");
    let net = find(records(&indicators, "indicator"), "id", "kz-net-migration");
    let jan_may = find(records(net, "value"), "period", "2017-01/2017-05");
    assert_eq!(jan_may["value"], -3771);
    assert_eq!(confidence(jan_may), "unverified");
    assert_eq!(find(records(net, "value"), "period", "2023")["value"], 9293);
}

#[test]
fn check_reports_no_errors_on_the_bundled_catalog() {
    let c = Catalog::load();
    let output = c
        .cmd(&["check", "--format", "json"])
        .output()
        .expect("run check");
    assert!(
        output.status.success(),
        "check failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("check --format json");
    let findings = records(&report, "findings");
    assert_eq!(report["errors"], 0, "{findings:#?}");
    assert!(
        !findings
            .iter()
            .any(|f| str_of(f, "code") == "uncovered_direction"),
        "{findings:#?}"
    );
}

/// The facts the review corrected stay corrected.
#[test]
fn reviewed_confidences_hold() {
    let export = Catalog::load();

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
    let export = Catalog::load();
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
    for (path, file) in export.all_files() {
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
