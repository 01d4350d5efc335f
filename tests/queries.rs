//! The queries as users meet them: the real binary, run on temporary stores
//! loaded from fixture catalogs whose answers are known
//! (tests/fixtures/queries/basic), and on the bundled catalog for facts that
//! do not change (the EAEU–Viet Nam agreement).

use std::fs;
use std::io::{BufRead, BufReader};
use std::process::Stdio;

use assert_cmd::Command;
use serde_json::Value;

const BASIC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/queries/basic");

mod common;
use common::Sandbox;

impl Sandbox {
    /// A store holding exactly the `basic` fixture catalog.
    fn basic() -> Self {
        let s = Sandbox::new();
        s.cmd(&["init", "--empty"]).assert().success();
        s.cmd(&["import", BASIC]).assert().success();
        s
    }

    /// The values of `field` in a JSON array of rows, as strings.
    fn column(&self, args: &[&str], field: &str) -> Vec<String> {
        rows(&self.json(args))
            .iter()
            .map(|r| text(&r[field]))
            .collect()
    }
}

fn rows(v: &Value) -> &Vec<Value> {
    v.as_array().expect("a JSON array")
}

/// A JSON value as plain text: strings unquoted, null as "".
fn text(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

// ---- obligations -------------------------------------------------------

#[test]
fn inherited_rows_say_the_transfer_was_partial() {
    // mia handed only "labour migration permits" to mol: the rows say so,
    // so nobody reads every MIA duty as now the labour ministry's.
    let s = Sandbox::basic();
    let v = s.json(&["obligations", "--agency", "mol"]);
    let inherited: Vec<(String, String)> = rows(&v)
        .iter()
        .filter(|r| !r["inherited_from"].is_null())
        .map(|r| (text(&r["inherited_how"]), text(&r["inherited_functions"])))
        .collect();
    assert!(!inherited.is_empty());
    for (how, functions) in inherited {
        assert_eq!(how, "functions_transferred_to");
        assert_eq!(functions, "labour migration permits");
    }
    let own: Vec<&Value> = rows(&v)
        .iter()
        .filter(|r| r["inherited_from"].is_null())
        .collect();
    assert!(own.iter().all(|r| r["inherited_how"].is_null()));
}

#[test]
fn obligations_by_abbreviation_include_what_the_agency_inherited() {
    let s = Sandbox::basic();
    let v = s.json(&["obligations", "--agency", "mol"]);
    let got: Vec<(String, String, String)> = rows(&v)
        .iter()
        .map(|r| {
            (
                text(&r["id"]),
                text(&r["inherited_from"]),
                text(&r["inherited_on"]),
            )
        })
        .collect();
    let want = [
        ("law-art1-quota", "", ""),
        ("law-art3-permits", "mia", "2022-01-01"),
        ("law-art3-plan", "", ""),
        ("old-art1-register", "mia", "2022-01-01"),
    ];
    assert_eq!(
        got,
        want.map(|(a, b, c)| (a.to_owned(), b.to_owned(), c.to_owned()))
    );
    // The abbreviation, an alias and the Russian name all say the same.
    for name in ["MOL", "labour ministry", "МИНИСТЕРСТВО ТРУДА", "Минтруда"]
    {
        assert_eq!(
            s.column(&["obligations", "--agency", name], "id"),
            s.column(&["obligations", "--agency", "mol"], "id"),
            "{name}"
        );
    }
}

#[test]
fn obligations_every_row_has_the_documented_fields() {
    let s = Sandbox::basic();
    let v = s.json(&["obligations", "--agency", "mol"]);
    let first = &rows(&v)[0];
    for field in [
        "agency",
        "role",
        "modality",
        "action",
        "document",
        "provision",
        "provision_number",
        "due",
        "status",
        "directions",
        "source",
    ] {
        assert!(first.get(field).is_some(), "missing {field}: {first}");
    }
    assert_eq!(text(&first["agency"]), "mol");
    assert_eq!(text(&first["role"]), "responsible");
    assert_eq!(text(&first["action"]), "set the foreign labour quota");
    assert_eq!(text(&first["provision"]), "art_1");
    assert_eq!(text(&first["provision_number"]), "1");
    assert_eq!(first["directions"], serde_json::json!(["plan-d1"]));
    assert_eq!(text(&first["source"]), "src-law");
}

#[test]
fn obligations_with_subordinates_by_kazakh_name() {
    let s = Sandbox::basic();
    assert_eq!(
        s.column(
            &[
                "obligations",
                "--agency",
                "еңбек МИНИСТРЛІГІ",
                "--with-subordinates"
            ],
            "id"
        ),
        [
            "law-art1-quota",
            "law-art2-report",
            "law-art3-permits",
            "law-art3-plan",
            "law-art4-kandas",
            "old-art1-register"
        ]
    );
}

#[test]
fn obligations_of_a_predecessor_are_its_own() {
    let s = Sandbox::basic();
    let v = s.json(&["obligations", "--agency", "МВД"]);
    assert_eq!(rows(&v).len(), 2);
    assert!(rows(&v).iter().all(|r| r["inherited_from"].is_null()));
}

#[test]
fn obligations_by_document() {
    let s = Sandbox::basic();
    assert_eq!(
        s.column(&["obligations", "--document", "old-decree"], "id"),
        ["old-art1-register"]
    );
    let err = s.fails(&["obligations", "--document", "old-decre"], 1);
    assert!(err.contains("did you mean `old-decree`"), "{err}");
}

#[test]
fn obligations_by_direction_include_the_nodes_below() {
    let s = Sandbox::basic();
    assert_eq!(
        s.column(&["obligations", "--direction", "plan-d1"], "id"),
        ["law-art1-quota"]
    );
    assert_eq!(
        s.column(&["obligations", "--direction", "plan-goal"], "id"),
        ["law-art1-quota", "law-art4-kandas"]
    );
    assert!(
        s.column(&["obligations", "--direction", "plan-d2"], "id")
            .is_empty()
    );
}

#[test]
fn obligations_by_modality() {
    let s = Sandbox::basic();
    assert_eq!(
        s.column(&["obligations", "--modality", "power"], "id"),
        ["law-art3-permits"]
    );
    s.fails(&["obligations", "--modality", "wish"], 2);
}

#[test]
fn obligations_by_status_today() {
    let s = Sandbox::basic();
    let v = s.json(&["obligations", "--status", "suspended"]);
    assert_eq!(rows(&v).len(), 1);
    assert_eq!(text(&rows(&v)[0]["id"]), "law-art3-permits");
    assert_eq!(text(&rows(&v)[0]["status_since"]), "2024-03");
    // The day before the suspension's month, nothing was suspended.
    let earlier = Command::cargo_bin("lextrack")
        .unwrap()
        .env_clear()
        .arg("--db")
        .arg(s.db())
        .args([
            "--today",
            "2024-02-29",
            "obligations",
            "--status",
            "suspended",
        ])
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(earlier.status.success());
    assert_eq!(
        String::from_utf8(earlier.stdout).unwrap().lines().count(),
        1,
        "only the header"
    );
}

#[test]
fn obligations_in_force_on_a_day() {
    let s = Sandbox::basic();
    let now = s.column(&["obligations", "--in-force-on", "2026-11-24"], "id");
    assert!(!now.contains(&"old-art1-register".to_owned()), "{now:?}");
    assert_eq!(now.len(), 5);
    assert_eq!(
        s.column(&["obligations", "--in-force-on", "2010-01-01"], "id"),
        ["old-art1-register"]
    );
    // The law is in force from "2011-08": certain only once August ends.
    assert_eq!(
        s.column(&["obligations", "--in-force-on", "2011-08-15"], "id"),
        ["old-art1-register"]
    );
    assert_eq!(
        s.column(&["obligations", "--in-force-on", "2014-12-31"], "id")
            .len(),
        6
    );
    assert_eq!(
        s.column(&["obligations", "--in-force-on", "2015-01-01"], "id")
            .len(),
        5
    );
}

#[test]
fn obligations_due_before_a_day() {
    let s = Sandbox::basic();
    // Due "2026-12" is certainly before 2027-01-01; the yearly report falls
    // due next on 2027-01-15.
    assert_eq!(
        s.column(&["obligations", "--due-before", "2027-01-01"], "id"),
        ["law-art3-plan"]
    );
    assert!(
        s.column(&["obligations", "--due-before", "2026-12-31"], "id")
            .is_empty()
    );
    let v = s.json(&["obligations", "--due-before", "2027-02-01"]);
    let got: Vec<(String, String, String)> = rows(&v)
        .iter()
        .map(|r| (text(&r["id"]), text(&r["due"]), text(&r["next_due"])))
        .collect();
    assert_eq!(
        got,
        [
            (
                "law-art2-report".into(),
                "every year by 01-15".into(),
                "2027-01-15".into()
            ),
            ("law-art3-plan".into(), "2026-12".into(), String::new()),
        ]
    );
}

#[test]
fn a_recurring_duty_that_has_ended_falls_due_no_more() {
    let s = Sandbox::basic();
    s.cmd(&[
        "record",
        "obligation",
        "--obligation",
        "law-art2-report",
        "--status",
        "lapsed",
        "--date",
        "2025-06-30",
        "--source",
        "src-law",
    ])
    .assert()
    .success();
    let v = s.json(&["obligations", "--document", "law"]);
    let report = rows(&v)
        .iter()
        .find(|r| r["id"] == "law-art2-report")
        .expect("the report duty is listed");
    assert_eq!(text(&report["status"]), "lapsed");
    assert_eq!(text(&report["due"]), "every year by 01-15");
    assert_eq!(report["next_due"], Value::Null, "{report}");
    assert_eq!(
        s.column(&["obligations", "--due-before", "2027-02-01"], "id"),
        ["law-art3-plan"]
    );
}

#[test]
fn a_status_known_to_a_month_holds_from_its_last_day() {
    let s = Sandbox::basic();
    // Suspended in "2024-03": on 2024-03-15 it may not have happened yet,
    // so the status is still the last certain one.
    let on = |day: &str| {
        let out = Command::cargo_bin("lextrack")
            .unwrap()
            .env_clear()
            .arg("--db")
            .arg(s.db())
            .args(["--today", day, "obligations", "--format", "json"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let permits = rows(&v)
            .iter()
            .find(|r| r["id"] == "law-art3-permits")
            .cloned()
            .expect("the permits power is listed");
        (text(&permits["status"]), text(&permits["status_since"]))
    };
    assert_eq!(on("2024-03-15"), ("active".into(), "2011-08".into()));
    assert_eq!(on("2024-03-31"), ("suspended".into(), "2024-03".into()));
}

#[test]
fn a_name_two_agencies_answer_to_is_ambiguous_everywhere() {
    let s = Sandbox::basic();
    let extra = s.dir.path().join("more-agencies.toml");
    std::fs::write(
        &extra,
        r#"[[agency]]
id = "twin-a"
kind = "committee"
name = { en = "Twin committee A" }
aliases = ["Twins"]
jurisdiction = "kz"
source = "src-law"

[[agency]]
id = "twin-b"
kind = "committee"
name = { en = "Twin committee B" }
aliases = ["Twins"]
jurisdiction = "kz"
source = "src-law"
"#,
    )
    .unwrap();
    s.cmd(&["import", BASIC, extra.to_str().unwrap()])
        .assert()
        .success();
    for args in [
        &["obligations", "--agency", "Twins"][..],
        &["show", "Twins"],
    ] {
        let err = s.fails(args, 2);
        assert!(err.contains("ambiguous"), "{args:?}: {err}");
        assert!(
            err.contains("twin-a") && err.contains("twin-b"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn obligation_filters_combine() {
    let s = Sandbox::basic();
    assert_eq!(
        s.column(
            &[
                "obligations",
                "--agency",
                "mol",
                "--modality",
                "duty",
                "--in-force-on",
                "2026-11-24"
            ],
            "id"
        ),
        ["law-art1-quota", "law-art3-plan"]
    );
    assert_eq!(
        s.column(
            &[
                "obligations",
                "--agency",
                "mol",
                "--document",
                "law",
                "--status",
                "suspended"
            ],
            "id"
        ),
        ["law-art3-permits"]
    );
}

#[test]
fn unknown_agency_suggests_the_closest_names() {
    let s = Sandbox::basic();
    let err = s.fails(&["obligations", "--agency", "Ministry of Labor"], 1);
    assert!(
        err.contains("agency `Ministry of Labor` not found"),
        "{err}"
    );
    assert!(err.contains("`Ministry of Labour`"), "{err}");
    let err = s.fails(&["agreements", "--partner", "Vietnm"], 1);
    assert!(err.contains("did you mean `Vietnam`"), "{err}");
}

#[test]
fn no_matches_print_empty_data_and_a_note() {
    let s = Sandbox::basic();
    let out = s
        .cmd(&[
            "obligations",
            "--modality",
            "prohibition",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no obligations match"));
    let out = s
        .cmd(&[
            "obligations",
            "--modality",
            "prohibition",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "id,agency,agency_name,role,modality,action,document,document_title,provision,provision_number,due,next_due,status,status_since,status_source,status_confidence,status_note,directions,source,confidence,inherited_from,inherited_on,inherited_how,inherited_functions\n"
    );
    let out = s
        .cmd(&["obligations", "--modality", "prohibition"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
}

#[test]
fn markdown_and_table_formats() {
    let s = Sandbox::basic();
    let md = s.out(&["obligations", "--agency", "mia", "--format", "markdown"]);
    let lines: Vec<&str> = md.lines().collect();
    assert!(lines[0].starts_with("| id | agency |"), "{md}");
    assert!(lines[1].starts_with("|---|"), "{md}");
    assert_eq!(lines.len(), 4, "{md}");
    let table = s.out(&["obligations", "--agency", "mia"]);
    assert!(table.contains("issue work permits"), "{table}");
    assert!(table.contains("register migrants"), "{table}");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // Enough rows to fill a pipe: 3000 obligations on one provision.
    let s = Sandbox::new();
    s.cmd(&["init", "--empty"]).assert().success();
    let big = s.dir.path().join("big");
    fs::create_dir_all(&big).unwrap();
    fs::write(
        big.join("catalog.toml"),
        "[[source]]\nid = \"s\"\nkind = \"other\"\ntitle = \"S\"\n\n[[agency]]\nid = \"a\"\nkind = \"ministry\"\nname = { en = \"A\" }\njurisdiction = \"kz\"\nsource = \"s\"\n",
    )
    .unwrap();
    let mut doc = String::from(
        "[document]\nid = \"d\"\nkind = \"law\"\nwork_id = \"/akn/kz/act/2020/d\"\ntitle = { en = \"D\" }\njurisdiction = \"kz\"\nstatus = \"in_force\"\nsource = \"s\"\n\n[[provision]]\neid = \"art_1\"\nkind = \"article\"\n",
    );
    for i in 0..3000 {
        doc.push_str(&format!(
            "\n[[obligation]]\nid = \"o{i}\"\nprovision = \"art_1\"\nagency = \"a\"\nrole = \"responsible\"\nmodality = \"duty\"\naction = \"do thing number {i} with a long enough description to fill the pipe\"\nsource = \"s\"\n"
        ));
    }
    fs::write(big.join("d.toml"), doc).unwrap();
    s.cmd(&["import", big.to_str().unwrap()]).assert().success();
    for format in ["table", "json", "csv"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("lextrack"))
            .env_clear()
            .arg("--db")
            .arg(s.db())
            .args(["--today", "2026-11-24", "obligations", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        // The reader is gone: the rest of the output meets a closed pipe.
        let out = child.wait_with_output().unwrap();
        assert!(!first.is_empty());
        assert_eq!(out.status.code(), Some(0), "{format}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panicked"), "{err}");
        assert!(!err.contains("error"), "{err}");
    }
}

// ---- agreements and partners ---------------------------------------------

/// Stage, since, uncertain and possible stage of fta-vn on `day`.
fn vn_on(s: &Sandbox, day: &str) -> (String, String, bool, String) {
    let v = s.json(&["agreements", "--partner", "VN", "--as-of", day]);
    assert_eq!(rows(&v).len(), 1);
    let r = &rows(&v)[0];
    (
        text(&r["stage"]),
        text(&r["since"]),
        r["uncertain"].as_bool().unwrap(),
        text(&r["possible_stage"]),
    )
}

#[test]
fn agreement_stage_the_day_before_and_the_day_of_the_signature() {
    let s = Sandbox::basic();
    assert_eq!(
        vn_on(&s, "2015-05-28"),
        ("negotiating".into(), "2013-03".into(), false, String::new())
    );
    assert_eq!(
        vn_on(&s, "2015-05-29"),
        ("signed".into(), "2015-05-29".into(), false, String::new())
    );
}

#[test]
fn a_month_precision_event_is_uncertain_until_its_month_ends() {
    let s = Sandbox::basic();
    assert_eq!(
        vn_on(&s, "2016-09-30"),
        ("signed".into(), "2015-05-29".into(), false, String::new())
    );
    assert_eq!(
        vn_on(&s, "2016-10-01"),
        (
            "signed".into(),
            "2015-05-29".into(),
            true,
            "in_force".into()
        )
    );
    assert_eq!(
        vn_on(&s, "2016-10-30"),
        (
            "signed".into(),
            "2015-05-29".into(),
            true,
            "in_force".into()
        )
    );
    assert_eq!(
        vn_on(&s, "2016-10-31"),
        ("in_force".into(), "2016-10".into(), false, String::new())
    );
    // Negotiations "2013-03": nothing certain before the end of March.
    assert_eq!(
        vn_on(&s, "2013-03-15"),
        (String::new(), String::new(), true, "negotiating".into())
    );
    let out = s
        .cmd(&["agreements", "--as-of", "2016-10-15"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("1 stage is uncertain on 2016-10-15"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn agreements_carry_the_documented_fields() {
    let s = Sandbox::basic();
    let v = s.json(&["agreements", "--partner", "vietnam"]);
    let r = &rows(&v)[0];
    assert_eq!(text(&r["partner"]), "vn");
    assert_eq!(text(&r["agreement"]), "fta-vn");
    assert_eq!(text(&r["instrument"]), "agreement");
    assert_eq!(text(&r["stage"]), "in_force");
    assert_eq!(text(&r["since"]), "2016-10");
    assert_eq!(text(&r["precision"]), "month");
    assert_eq!(text(&r["source"]), "src-news");
}

#[test]
fn a_partner_with_two_agreements_by_iso_code() {
    let s = Sandbox::basic();
    let v = s.json(&["agreements", "--partner", "ir"]);
    let got: Vec<(String, String, String)> = rows(&v)
        .iter()
        .map(|r| (text(&r["agreement"]), text(&r["stage"]), text(&r["since"])))
        .collect();
    assert_eq!(
        got,
        [
            ("ir-fta".into(), "in_force".into(), "2025-05-15".into()),
            ("ir-interim".into(), "expired".into(), "2025-05-15".into()),
        ]
    );
    let before = s.json(&["agreements", "--partner", "IR", "--as-of", "2025-05-14"]);
    let got: Vec<(String, String)> = rows(&before)
        .iter()
        .map(|r| (text(&r["agreement"]), text(&r["stage"])))
        .collect();
    assert_eq!(
        got,
        [
            ("ir-fta".into(), "signed".into()),
            ("ir-interim".into(), "in_force".into())
        ]
    );
}

#[test]
fn agreements_by_stage_and_changed_since() {
    let s = Sandbox::basic();
    assert_eq!(
        s.column(&["agreements", "--stage", "in_force"], "agreement"),
        ["fta-vn", "ir-fta"]
    );
    assert_eq!(
        s.column(
            &["agreements", "--stage", "in_force", "--as-of", "2020-01-01"],
            "agreement"
        ),
        ["fta-vn", "ir-interim"]
    );
    assert_eq!(
        s.column(
            &["agreements", "--changed-since", "2025-01-01"],
            "agreement"
        ),
        ["ir-fta", "ir-interim"]
    );
    // A month-precision event may fall on or after a day inside its month.
    assert_eq!(
        s.column(
            &["agreements", "--changed-since", "2016-10-20"],
            "agreement"
        ),
        ["fta-vn", "ir-fta", "ir-interim"]
    );
    assert_eq!(
        s.column(
            &[
                "agreements",
                "--changed-since",
                "2016-11-01",
                "--partner",
                "vn"
            ],
            "agreement"
        ),
        Vec::<String>::new()
    );
}

#[test]
fn agreement_history_lists_events_with_sources() {
    let s = Sandbox::basic();
    let v = s.json(&["agreements", "--history", "--partner", "Iran"]);
    let got: Vec<String> = rows(&v)
        .iter()
        .map(|r| {
            format!(
                "{} {} {} {} {}",
                text(&r["agreement"]),
                text(&r["stage"]),
                text(&r["date"]),
                text(&r["precision"]),
                text(&r["source"])
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            "ir-fta signed 2023-12-25 day src-treaty",
            "ir-fta in_force 2025-05-15 day src-treaty",
            "ir-interim signed 2018-05-17 day src-treaty",
            "ir-interim in_force 2019-10-27 day src-treaty",
            "ir-interim expired 2025-05-15 day src-treaty",
        ]
    );
    assert_eq!(text(&rows(&v)[0]["source_title"]), "Treaty register");
}

#[test]
fn partners_one_row_each_with_the_latest_live_agreement() {
    let s = Sandbox::basic();
    let v = s.json(&["partners"]);
    let got: Vec<(String, String, String, String, usize)> = rows(&v)
        .iter()
        .map(|r| {
            (
                text(&r["partner"]),
                text(&r["agreement"]),
                text(&r["stage"]),
                text(&r["since"]),
                r["agreements"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("asean".into(), "".into(), "".into(), "".into(), 0),
            (
                "ir".into(),
                "ir-fta".into(),
                "in_force".into(),
                "2025-05-15".into(),
                2
            ),
            (
                "vn".into(),
                "fta-vn".into(),
                "in_force".into(),
                "2016-10".into(),
                1
            ),
        ]
    );
    let csv = s.out(&["partners", "--with-agreements", "--format", "csv"]);
    assert_eq!(
        csv.lines().nth(1).unwrap(),
        "ir,Iran,state,IR,ir-fta (in_force 2025-05-15); ir-interim (expired 2025-05-15),ir-fta,in_force,2025-05-15,day,src-treaty,false,verified"
    );
    assert_eq!(csv.lines().count(), 3);
}

// ---- trace ----------------------------------------------------------------

#[test]
fn trace_lists_the_matrix_the_gaps_and_the_counts() {
    let s = Sandbox::basic();
    let v = s.json(&["trace", "--framework", "plan"]);
    let m = &rows(&v)[0];
    assert_eq!(m["uncovered"], serde_json::json!(["plan-d2", "plan-d3"]));
    let unlinked: Vec<String> = m["unlinked_provisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}#{}", text(&p["document"]), text(&p["provision"])))
        .collect();
    assert_eq!(unlinked, ["law#art_2", "law#art_3"]);
    assert_eq!(
        m["counts"],
        serde_json::json!({
            "directions": 3, "implemented": 1, "uncovered": 2, "links": 2,
            "linked_provisions": 2, "unlinked_provisions": 2
        })
    );
    let csv = s.out(&["trace", "--format", "csv"]);
    assert_eq!(
        csv,
        "framework,direction,direction_number,direction_title,document,provision,provision_number,link,gap\n\
         plan,plan-d1,1,Temporary labour migration,law,art_1,1,implements,\n\
         plan,plan-d2,2,Long-term migration,,,,,uncovered_direction\n\
         plan,plan-d3,3,Ethnic Kazakhs returning,law,art_4,4,supports,\n\
         plan,plan-d3,3,Ethnic Kazakhs returning,,,,,uncovered_direction\n\
         plan,,,,law,art_2,2,,unlinked_provision\n\
         plan,,,,law,art_3,3,,unlinked_provision\n"
    );
    let table = s.out(&["trace"]);
    assert!(
        table.contains("3 directions, 1 implemented, 2 uncovered; 2 links from 2 provisions to any of its nodes (the directions above, and goals or other nodes); 2 provisions serve nothing"),
        "{table}"
    );
    let err = s.fails(&["trace", "--framework", "plam"], 1);
    assert!(err.contains("did you mean `plan`"), "{err}");
}

// ---- search ---------------------------------------------------------------

#[test]
fn search_ranks_hits_and_marks_the_words() {
    let s = Sandbox::basic();
    let v = s.json(&["search", "quota"]);
    let ids: Vec<String> = rows(&v).iter().map(|r| text(&r["id"])).collect();
    assert_eq!(ids.len(), 4, "{ids:?}");
    assert!(ids.contains(&"law#art_1".to_owned()));
    assert!(ids.contains(&"law#art_1__para_1".to_owned()));
    let ranks: Vec<f64> = rows(&v)
        .iter()
        .map(|r| r["rank"].as_f64().unwrap())
        .collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
    let para = rows(&v)
        .iter()
        .find(|r| r["id"] == "law#art_1__para_1")
        .unwrap();
    assert_eq!(text(&para["snippet"]), "The **quota** is set every year.");
}

#[test]
fn search_handles_cyrillic_kazakh_and_diacritics() {
    let s = Sandbox::basic();
    // Kazakh letters fold case: the text says ҚАЗАҚСТАН.
    assert_eq!(s.column(&["search", "қазақстан"], "id"), ["law#art_4"]);
    // Russian names of agencies and partners.
    assert_eq!(s.column(&["search", "внутренних"], "id"), ["mia"]);
    assert_eq!(s.column(&["search", "вьетнам"], "id"), ["vn"]);
    // Diacritics: the note says "Hà Nội".
    assert_eq!(s.column(&["search", "ha", "noi"], "id"), ["vn"]);
    // A prefix.
    assert_eq!(s.column(&["search", "кандас*"], "id"), ["law#art_4"]);
    // FTS operators typed by a person are plain words.
    s.out(&["search", "quota", "AND", "\"NEAR("]);
}

#[test]
fn search_filters_by_kind_and_document() {
    let s = Sandbox::basic();
    assert_eq!(
        s.column(&["search", "quota", "--kind", "obligation"], "id")
            .len(),
        2
    );
    assert_eq!(
        s.column(&["search", "labour", "--kind", "agency"], "id"),
        ["mol"]
    );
    assert_eq!(
        s.column(&["search", "migrants", "--document", "old-decree"], "id"),
        ["old-art1-register", "old-decree#art_1"]
    );
    assert!(
        s.column(&["search", "quota", "--document", "old-decree"], "id")
            .is_empty()
    );
}

#[test]
fn search_follows_changes_made_by_import() {
    let s = Sandbox::basic();
    let changed = s.dir.path().join("changed");
    fs::create_dir_all(&changed).unwrap();
    let law = fs::read_to_string(format!("{BASIC}/documents/law.toml")).unwrap();
    fs::write(
        changed.join("law.toml"),
        law.replace("Work permits are issued", "Residence passes are granted"),
    )
    .unwrap();
    s.cmd(&["import", changed.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(s.column(&["search", "passes"], "id"), ["law#art_3"]);
    assert!(s.column(&["search", "issued"], "id").is_empty());
}

// ---- show -----------------------------------------------------------------

#[test]
fn show_a_provision_with_links_obligations_and_amendments() {
    let s = Sandbox::basic();
    let v = s.json(&["show", "law#art_1"]);
    assert_eq!(text(&v["entity"]), "provision");
    assert_eq!(text(&v["parent"]), "chp_1");
    assert_eq!(text(&v["links"][0]["node"]), "plan-d1");
    assert_eq!(text(&v["obligations"][0]["id"]), "law-art1-quota");
    assert_eq!(text(&v["children"][0]["provision"]), "art_1__para_1");
    let old = s.json(&["show", "old-decree#art_1"]);
    assert_eq!(text(&old["amended_by"][0]["document"]), "law");
    assert_eq!(text(&old["amended_by"][0]["relation"]), "repeals");
    let err = s.fails(&["show", "law#art_9"], 1);
    assert!(err.contains("provision `law#art_9` not found"), "{err}");
}

#[test]
fn show_an_agreement_with_its_timeline() {
    let s = Sandbox::basic();
    let v = s.json(&["show", "fta-vn"]);
    assert_eq!(text(&v["entity"]), "document");
    assert_eq!(v["parties"], serde_json::json!(["vn"]));
    assert_eq!(v["timeline"].as_array().unwrap().len(), 3);
    assert_eq!(text(&v["status_now"][0]["stage"]), "in_force");
    let page = s.out(&["show", "fta-vn"]);
    assert!(page.contains("timeline:"), "{page}");
    assert!(page.contains("negotiating"), "{page}");
}

#[test]
fn show_agencies_partners_and_directions() {
    let s = Sandbox::basic();
    let mol = s.json(&["show", "Labour Ministry"]);
    assert_eq!(text(&mol["entity"]), "agency");
    assert_eq!(text(&mol["id"]), "mol");
    assert_eq!(mol["subordinates"], serde_json::json!(["mol-migration"]));
    assert_eq!(text(&mol["predecessors"][0]["from"]), "mia");
    let ir = s.json(&["show", "ir"]);
    assert_eq!(text(&ir["entity"]), "partner");
    assert_eq!(ir["agreements"].as_array().unwrap().len(), 2);
    let d3 = s.json(&["show", "plan-d3"]);
    assert_eq!(text(&d3["entity"]), "node");
    assert_eq!(text(&d3["links"][0]["provision"]), "art_4");
    assert_eq!(d3["obligations"], 1);
    let err = s.fails(&["show", "fta-vm"], 1);
    assert!(err.contains("did you mean `fta-vn`"), "{err}");
    s.fails(&["show", "fta-vn", "--format", "csv"], 2);
}

#[test]
fn show_a_framework_with_its_nodes_in_order() {
    let s = Sandbox::basic();
    let plan = s.json(&["show", "plan"]);
    assert_eq!(text(&plan["entity"]), "framework");
    assert_eq!(text(&plan["document"]), "law");
    let nodes = plan["nodes"].as_array().unwrap();
    let ids: Vec<&str> = nodes.iter().map(|n| n["id"].as_str().unwrap()).collect();
    assert_eq!(&ids[..3], ["plan-goal", "plan-d1", "plan-d2"], "{ids:?}");
    assert_eq!(text(&nodes[1]["parent"]), "plan-goal");
    // plan-d1 is implemented by the law's article 1 (and more).
    assert!(nodes[1]["links"].as_i64().unwrap() >= 1, "{plan:#}");
    let page = s.out(&["show", "plan"]);
    assert!(page.starts_with("framework plan: "), "{page}");
    let err = s.fails(&["show", "pla"], 1);
    assert!(err.contains("`plan`"), "{err}");
}

// ---- record ---------------------------------------------------------------

#[test]
fn record_appends_an_event_that_moves_the_stage() {
    let s = Sandbox::basic();
    s.cmd(&[
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
        "--note",
        "test suspension",
    ])
    .assert()
    .success();
    assert_eq!(
        vn_on(&s, "2026-11-24"),
        ("suspended".into(), "2026-06".into(), false, String::new())
    );
    // History is kept: on an earlier day nothing changed.
    assert_eq!(vn_on(&s, "2020-01-01").0, "in_force");
    // Recording the same event again is refused.
    let err = s.fails(
        &[
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
        ],
        1,
    );
    assert!(err.contains("append-only"), "{err}");
    // Export writes it back into the agreement's file.
    let out = s.dir.path().join("out");
    s.cmd(&["export", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let file = fs::read_to_string(out.join("agreements/fta-vn.toml")).unwrap();
    assert!(
        file.contains("stage = \"suspended\"\ndate = \"2026-06\"\nnote = \"test suspension\""),
        "{file}"
    );
}

#[test]
fn record_refuses_an_event_that_contradicts_the_history() {
    let s = Sandbox::basic();
    let before = s.out(&["agreements", "--history", "--format", "csv"]);
    let err = s.fails(
        &[
            "record",
            "event",
            "--agreement",
            "fta-vn",
            "--stage",
            "ratified",
            "--date",
            "2014-01",
            "--party",
            "Vietnam",
            "--source",
            "src-news",
        ],
        1,
    );
    assert!(
        err.contains("ratified for `vn` on 2014-01 comes before it was signed on 2015-05-29"),
        "{err}"
    );
    assert_eq!(
        s.out(&["agreements", "--history", "--format", "csv"]),
        before
    );
    // Forcing needs a note saying why.
    s.fails(
        &[
            "record",
            "event",
            "--agreement",
            "fta-vn",
            "--stage",
            "ratified",
            "--date",
            "2014-01",
            "--party",
            "vn",
            "--source",
            "src-news",
            "--force",
        ],
        2,
    );
    s.cmd(&[
        "record",
        "event",
        "--agreement",
        "fta-vn",
        "--stage",
        "ratified",
        "--date",
        "2014-01",
        "--party",
        "vn",
        "--source",
        "src-news",
        "--force",
        "--note",
        "the source says so",
    ])
    .assert()
    .success();
    let after = s.json(&["agreements", "--history", "--partner", "vn"]);
    assert_eq!(rows(&after).len(), 4);
    // Unknown sources and future dates are refused like in an import.
    let err = s.fails(
        &[
            "record",
            "event",
            "--agreement",
            "fta-vn",
            "--stage",
            "terminated",
            "--date",
            "2027-01",
            "--source",
            "nope",
        ],
        1,
    );
    assert!(err.contains("unknown source `nope`"), "{err}");
    assert!(err.contains("after today"), "{err}");
    s.fails(
        &[
            "record",
            "event",
            "--agreement",
            "fta-vn",
            "--stage",
            "signed",
            "--date",
            "2017-02-30",
            "--source",
            "src-news",
        ],
        2,
    );
}

#[test]
fn record_an_obligation_status_change() {
    let s = Sandbox::basic();
    s.cmd(&[
        "record",
        "obligation",
        "--obligation",
        "law-art2-report",
        "--status",
        "fulfilled",
        "--date",
        "2026-01-14",
        "--source",
        "src-law",
    ])
    .assert()
    .success();
    let v = s.json(&["obligations", "--status", "fulfilled"]);
    assert_eq!(text(&rows(&v)[0]["id"]), "law-art2-report");
    assert_eq!(text(&rows(&v)[0]["status_since"]), "2026-01-14");
    let err = s.fails(
        &[
            "record",
            "obligation",
            "--obligation",
            "law-art2-report",
            "--status",
            "overdue",
            "--date",
            "2025-02",
            "--source",
            "src-law",
        ],
        1,
    );
    assert!(err.contains("contradicts the history"), "{err}");
    let err = s.fails(
        &[
            "record",
            "obligation",
            "--obligation",
            "law-art2-reprot",
            "--status",
            "overdue",
            "--date",
            "2025-02",
            "--source",
            "src-law",
        ],
        1,
    );
    assert!(
        err.contains("did you mean one of: `law-art2-report`"),
        "{err}"
    );
    let out = s.dir.path().join("out");
    s.cmd(&["export", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let file = fs::read_to_string(out.join("documents/law.toml")).unwrap();
    assert!(
        file.contains("status = \"fulfilled\"\ndate = \"2026-01-14\""),
        "{file}"
    );
}

// ---- the bundled catalog ----------------------------------------------------

#[test]
fn bundled_catalog_eaeu_viet_nam_agreement() {
    let s = Sandbox::new();
    // No store yet: the first query creates it from the bundled catalog.
    let out = s
        .cmd(&["agreements", "--partner", "Vietnam", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("creating it from the bundled catalog"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let fta = rows(&v)
        .iter()
        .find(|r| r["agreement"] == "eaeu-vn-fta")
        .expect("the EAEU–Viet Nam FTA");
    assert_eq!(text(&fta["partner"]), "vn");
    assert_eq!(text(&fta["stage"]), "in_force");
    assert_eq!(text(&fta["since"]), "2016-10-05");
    let on = |day: &str| {
        let v = s.json(&[
            "agreements",
            "--partner",
            "vn",
            "--agreement",
            "eaeu-vn-fta",
            "--as-of",
            day,
        ]);
        text(&rows(&v)[0]["stage"])
    };
    assert_eq!(on("2015-05-29"), "signed");
    assert_ne!(on("2015-05-28"), "signed");
    assert_eq!(on("2016-10-04"), "signed");
    assert_eq!(on("2016-10-05"), "in_force");
    let partners = s.json(&["partners", "--partner", "VN"]);
    assert_eq!(rows(&partners).len(), 1);
    assert!(
        s.out(&["search", "Vietnam"]).contains("vn"),
        "search finds the partner"
    );
}

/// IDs match exactly; one typed in another case is not found, with the
/// ID suggested (it used to reach an `unreachable!`).
#[test]
fn ids_in_the_wrong_case_are_suggested_not_a_crash() {
    let s = Sandbox::basic();
    let err = s.fails(&["show", "LAW"], 1);
    // `law` first; the framework `plan` is as near to the letter.
    assert!(err.contains("did you mean one of: `law`"), "{err}");
    let err = s.fails(&["show", "law#ART_1"], 1);
    assert!(err.contains("`law#art_1`"), "{err}");
    let err = s.fails(&["obligations", "--document", "LAW"], 1);
    assert!(err.contains("did you mean `law`"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
