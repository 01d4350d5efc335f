//! `lextrack trace`: which provisions serve which strategic direction, and
//! where the gaps are.
//!
//! The table and Markdown forms print, per framework, the matrix (one row
//! per linked provision, one column per direction, the link type in the
//! cell), then the gaps and the counts. CSV is the same matrix in long form,
//! one row per link or gap; JSON is the full structure.

use std::collections::{HashMap, HashSet};

use super::with_store;
use crate::cli::Global;
use crate::error::{ExitCode, Result};
use crate::output::{Format, count, csv_text, markdown, opt, print_json, print_text, table};
use crate::queries::CoverageMatrix;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this framework (ID). Default: every framework.
    #[arg(long)]
    pub framework: Option<String>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// The CSV columns of `trace`, one row per link or gap.
pub const CSV_COLUMNS: &[&str] = &[
    "framework",
    "direction",
    "direction_number",
    "direction_title",
    "document",
    "provision",
    "provision_number",
    "link",
    "gap",
];

pub async fn run(global: &Global, args: Args) -> Result<ExitCode> {
    let matrices = with_store(global, async |store| {
        store.coverage(args.framework.as_deref()).await
    })
    .await?;
    if matrices.is_empty() {
        eprintln!("note: the store has no frameworks");
    }
    match args.format {
        Format::Json => print_json(&matrices)?,
        Format::Csv => print_text(&csv_text(CSV_COLUMNS, &long_rows(&matrices))?)?,
        Format::Table | Format::Markdown => {
            for (i, m) in matrices.iter().enumerate() {
                if i > 0 {
                    print_text("\n")?;
                }
                print_text(&render(m, args.format == Format::Markdown))?;
            }
        }
    }
    Ok(ExitCode::Ok)
}

/// The matrix in long form: each link, each uncovered direction and each
/// unlinked provision.
fn long_rows(matrices: &[CoverageMatrix]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for m in matrices {
        for d in &m.directions {
            let head = || {
                vec![
                    m.framework.clone(),
                    d.direction.clone(),
                    opt(&d.number),
                    d.title.clone(),
                ]
            };
            for l in &d.links {
                let mut r = head();
                r.extend([
                    l.document.clone(),
                    l.provision.clone(),
                    opt(&l.number),
                    l.link.clone(),
                    String::new(),
                ]);
                rows.push(r);
            }
            if !d.implemented {
                let mut r = head();
                r.extend(["", "", "", ""].map(String::from));
                r.push("uncovered_direction".into());
                rows.push(r);
            }
        }
        for p in &m.unlinked_provisions {
            rows.push(vec![
                m.framework.clone(),
                String::new(),
                String::new(),
                String::new(),
                p.document.clone(),
                p.provision.clone(),
                opt(&p.number),
                String::new(),
                "unlinked_provision".into(),
            ]);
        }
    }
    rows
}

fn render(m: &CoverageMatrix, md: bool) -> String {
    let mut out = String::new();
    let heading = format!("{} — {}", m.framework, m.title);
    if md {
        out.push_str(&format!("## {heading}\n\n"));
    } else {
        out.push_str(&format!("{heading}\n"));
    }
    let label =
        |d: &crate::queries::DirectionCoverage| d.number.clone().unwrap_or(d.direction.clone());
    // One row per linked provision, in the order first met (direction by
    // direction), then by document; each cell lists the link types from
    // that provision to that direction. Indexed rather than searched, so
    // a framework linked from the whole corpus takes linear time.
    let mut provisions: Vec<(&str, &str, Option<&str>)> = Vec::new();
    let mut seen: HashSet<(&str, &str, Option<&str>)> = HashSet::new();
    let mut cells: HashMap<(&str, &str), Vec<Vec<&str>>> = HashMap::new();
    for (i, d) in m.directions.iter().enumerate() {
        for l in &d.links {
            let key = (
                l.document.as_str(),
                l.provision.as_str(),
                l.number.as_deref(),
            );
            if seen.insert(key) {
                provisions.push(key);
            }
            cells
                .entry((key.0, key.1))
                .or_insert_with(|| vec![Vec::new(); m.directions.len()])[i]
                .push(l.link.as_str());
        }
    }
    provisions.sort_by(|a, b| a.0.cmp(b.0));
    let mut headers: Vec<String> = vec!["provision".into()];
    headers.extend(m.directions.iter().map(label));
    let rows: Vec<Vec<String>> = provisions
        .iter()
        .map(|&(doc, eid, number)| {
            let mut r = vec![match number {
                Some(n) => format!("{doc}#{eid} ({n})"),
                None => format!("{doc}#{eid}"),
            }];
            r.extend(cells[&(doc, eid)].iter().map(|kinds| kinds.join(", ")));
            r
        })
        .collect();
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    if !rows.is_empty() {
        out.push_str(&if md {
            markdown(&headers, &rows)
        } else {
            table(&headers, &rows)
        });
        out.push('\n');
    }
    let bullet = if md { "- " } else { "  " };
    out.push_str(if md {
        "\n**Directions**\n\n"
    } else {
        "directions:\n"
    });
    for d in &m.directions {
        out.push_str(&format!(
            "{bullet}{}: {} ({})\n",
            label(d),
            d.title,
            d.direction
        ));
    }
    out.push_str(if md {
        "\n**Directions that nothing implements**\n\n"
    } else {
        "directions that nothing implements:\n"
    });
    if m.uncovered.is_empty() {
        out.push_str(&format!("{bullet}none\n"));
    }
    for u in &m.uncovered {
        out.push_str(&format!("{bullet}{u}\n"));
    }
    out.push_str(if md {
        "\n**Provisions that serve nothing**\n\n"
    } else {
        "provisions that serve nothing:\n"
    });
    if m.unlinked_provisions.is_empty() {
        out.push_str(&format!("{bullet}none\n"));
    }
    for p in &m.unlinked_provisions {
        out.push_str(&format!("{bullet}{}#{}\n", p.document, p.provision));
    }
    let c = &m.counts;
    let n = |n: usize| n as u64;
    out.push_str(&format!(
        "{}{}, {} implemented, {} uncovered; {} from {} to any of its nodes (the directions above, and goals or other nodes); {} {} nothing\n",
        if md { "\n" } else { "" },
        count(n(c.directions), "direction", "directions"),
        c.implemented,
        c.uncovered,
        count(n(c.links), "link", "links"),
        count(n(c.linked_provisions), "provision", "provisions"),
        count(n(c.unlinked_provisions), "provision", "provisions"),
        if c.unlinked_provisions == 1 { "serves" } else { "serve" },
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::queries::{CoverageCounts, CoverageLink, DirectionCoverage};

    fn link(document: &str, provision: &str, number: Option<&str>, kind: &str) -> CoverageLink {
        CoverageLink {
            document: document.into(),
            provision: provision.into(),
            number: number.map(Into::into),
            link: kind.into(),
            ord: 0,
            confidence: "verified".into(),
        }
    }

    fn direction(id: &str, number: Option<&str>, links: Vec<CoverageLink>) -> DirectionCoverage {
        DirectionCoverage {
            direction: id.into(),
            number: number.map(Into::into),
            title: format!("title of {id}"),
            implemented: true,
            links,
        }
    }

    /// Rows come in the order first met, direction by direction, then
    /// sorted by document only (so a document's rows keep that order);
    /// each cell lists that provision's link types to that direction in
    /// link order, and a provision met twice is one row.
    #[test]
    fn the_grid_has_one_row_per_provision_and_one_cell_per_direction() {
        let m = CoverageMatrix {
            framework: "fw".into(),
            title: "Framework".into(),
            directions: vec![
                direction(
                    "d1",
                    Some("1"),
                    vec![
                        link("doc-b", "art_5", Some("5"), "supports"),
                        link("doc-b", "art_2", Some("2"), "implements"),
                        link("doc-a", "art_1", Some("1"), "supports"),
                        link("doc-b", "art_2", Some("2"), "references"),
                    ],
                ),
                direction(
                    "d2",
                    None,
                    vec![
                        link("doc-a", "art_1", Some("1"), "implements"),
                        link("doc-c", "art_9", None, "references"),
                    ],
                ),
            ],
            uncovered: vec![],
            unlinked_provisions: vec![],
            counts: CoverageCounts {
                directions: 2,
                implemented: 2,
                uncovered: 0,
                links: 6,
                linked_provisions: 4,
                unlinked_provisions: 0,
            },
        };
        let text = render(&m, true);
        let grid: Vec<&str> = text.lines().filter(|l| l.starts_with('|')).collect();
        assert_eq!(
            grid,
            [
                "| provision | 1 | d2 |",
                "|---|---|---|",
                "| doc-a#art_1 (1) | supports | implements |",
                "| doc-b#art_5 (5) | supports |  |",
                "| doc-b#art_2 (2) | implements, references |  |",
                "| doc-c#art_9 |  | references |",
            ],
            "{text}"
        );
    }
}
