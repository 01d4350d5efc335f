//! The CLI and the site answer the same questions about the bundled
//! catalog the same way: what one says, the other does not contradict.

mod common;

use std::sync::OnceLock;

use common::Sandbox;

/// One store of the bundled catalog and its site, built once for the file.
fn built() -> &'static Sandbox {
    static BUILT: OnceLock<Sandbox> = OnceLock::new();
    BUILT.get_or_init(|| {
        let s = Sandbox::new();
        s.out(&["init"]);
        s.out(&["report", "--out", "site"]);
        s
    })
}

fn page(s: &Sandbox, rel: &str) -> String {
    std::fs::read_to_string(s.path("site").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text between `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text
        .find(start)
        .unwrap_or_else(|| panic!("no `{start}` in the page"));
    let rest = &text[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// The `<time>` values of a table's rows, in order (the first cell of each).
fn row_dates(table: &str) -> Vec<String> {
    table
        .split("<tr><td><time>")
        .skip(1)
        .map(|r| r[..r.find("</time>").expect("closed time")].to_owned())
        .collect()
}

#[test]
fn document_page_history_is_in_the_order_of_agreements_history() {
    let s = built();
    // The EAEU–China agreement: in force "2019" was recorded after
    // Kazakhstan's ratification of 2019-06-13, and a year stands from its
    // first day.
    let cli: Vec<String> = s
        .json(&[
            "agreements",
            "--agreement",
            "eaeu-cn-agreement",
            "--history",
        ])
        .as_array()
        .expect("an array")
        .iter()
        .map(|e| e["date"].as_str().expect("a date").to_owned())
        .collect();
    assert_eq!(
        cli,
        [
            "2015-05",
            "2016-10",
            "2017-10-01",
            "2018-05-17",
            "2019",
            "2019-06-13"
        ]
    );
    let doc = page(s, "documents/eaeu-cn-agreement.html");
    let history = between(&doc, "<section aria-labelledby=\"history\">", "</section>");
    assert_eq!(
        row_dates(history),
        cli,
        "the document page's status history"
    );
    let partner = page(s, "partners/kz.html");
    let events = between(
        &partner,
        "<section aria-labelledby=\"a-eaeu-cn-agreement\">",
        "</section>",
    );
    assert_eq!(row_dates(events), cli, "the partner page's events");
}

#[test]
fn a_nodes_obligation_count_is_what_obligations_direction_lists() {
    let s = built();
    // Art. 11 of the Law is linked to both; the kandas rules sit on its
    // subparagraph 9, below the link.
    for node in [
        "kz-mc2017-objective-1",
        "kz-mc2017-objective-3",
        "kz-mc2017-direction-1",
        "kz-2050-challenge-2",
    ] {
        let listed = s.json(&["obligations", "--direction", node]);
        let shown = s.json(&["show", node]);
        assert_eq!(
            shown["obligations"].as_u64(),
            Some(listed.as_array().expect("an array").len() as u64),
            "{node}"
        );
    }
}

#[test]
fn show_partner_gives_a_claims_correction_source_and_confidence_as_its_page_does() {
    let s = built();
    // Delovarova (2017) on China, unverified, corrected from MOFCOM.
    let page = page(s, "partners/cn.html");
    let claims = between(&page, "<section aria-labelledby=\"claims\">", "</section>");
    assert!(claims.contains("src-delovarova-2017"), "{claims}");
    assert!(claims.contains("src-mofcom-2018-cn"), "{claims}");
    assert!(claims.contains("conf-unverified"), "{claims}");
    let shown = s.json(&["show", "cn"]);
    let claim = &shown["claims"][0];
    assert_eq!(claim["id"], "delovarova-2017-cn", "{shown}");
    assert_eq!(claim["correction_source"], "mofcom-2018-cn", "{claim}");
    assert_eq!(claim["confidence"], "unverified", "{claim}");
    let table = s.out(&["show", "cn"]);
    let claims = &table[table.find("claims").expect("a claims table")..];
    let header = claims.lines().nth(1).expect("a header");
    assert!(header.contains("| correction source |"), "{header}");
    assert!(header.contains("| confidence |"), "{header}");
    let row = claims.lines().nth(3).expect("a row");
    assert!(row.contains("| mofcom-2018-cn "), "{row}");
    assert!(row.contains("| unverified "), "{row}");
}
