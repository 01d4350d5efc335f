//! `lextrack show ID`: any entity with its relations. A provision is named
//! `document#eid`; documents (agreements included), frameworks, framework
//! nodes, agencies, partners and obligations by ID, and agencies and
//! partners also by any name they answer to.

use super::with_store;
use crate::cli::Global;
use crate::error::{Error, ExitCode, Result};
use crate::output::{Format, Tabular, list, markdown, opt, print_json, print_text, table};
use crate::queries::EntityView;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The ID: `doc`, `doc#eid`, a framework or one of its nodes, an
    /// agency, a partner or an obligation.
    pub id: String,
    /// table (readable text), json or markdown; one record has no CSV form.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub async fn run(global: &Global, args: Args) -> Result<ExitCode> {
    if args.format == Format::Csv {
        return Err(Error::Usage(
            "`show` prints one record with its relations, which a CSV table cannot hold; use --format table, json or markdown".into(),
        ));
    }
    let view = with_store(global, async |store| {
        store.show(&args.id, global.today()).await
    })
    .await?;
    match args.format {
        Format::Json => print_json(&view)?,
        format => print_text(&render(&view, format == Format::Markdown))?,
    }
    Ok(ExitCode::Ok)
}

/// Text (or Markdown) for a view: a heading, the fields that are set, then
/// one section per relation.
struct Page {
    md: bool,
    out: String,
}

impl Page {
    fn heading(&mut self, text: &str) {
        if self.md {
            self.out.push_str(&format!("# {text}\n\n"));
        } else {
            self.out.push_str(&format!("{text}\n"));
        }
    }

    fn field(&mut self, label: &str, value: impl Into<Option<String>>) {
        if let Some(v) = value.into().filter(|v| !v.is_empty()) {
            if self.md {
                self.out.push_str(&format!("- **{label}**: {v}\n"));
            } else {
                self.out.push_str(&format!("  {label}: {v}\n"));
            }
        }
    }

    fn section(&mut self, title: &str, headers: &[&str], rows: Vec<Vec<String>>) {
        if rows.is_empty() {
            return;
        }
        if self.md {
            self.out.push_str(&format!("\n## {title}\n\n"));
            self.out.push_str(&markdown(headers, &rows));
        } else {
            self.out.push_str(&format!("{title}:\n"));
            self.out.push_str(&table(headers, &rows));
            self.out.push('\n');
        }
    }

    fn rows<T: Tabular>(&mut self, title: &str, items: &[T]) {
        let pick: Vec<usize> = T::TABLE
            .iter()
            .filter_map(|c| T::COLUMNS.iter().position(|k| k == c))
            .collect();
        let headers: Vec<&str> = pick.iter().map(|&i| T::COLUMNS[i]).collect();
        let rows = items
            .iter()
            .map(|r| {
                let all = r.cells();
                pick.iter().map(|&i| all[i].clone()).collect()
            })
            .collect();
        self.section(title, &headers, rows);
    }
}

fn render(view: &EntityView, md: bool) -> String {
    let mut p = Page {
        md,
        out: String::new(),
    };
    match view {
        EntityView::Document(d) => {
            p.heading(&format!("{} {}: {}", d.kind, d.id, d.title));
            p.field("title (ru)", d.title_ru.clone());
            p.field("title (kk)", d.title_kk.clone());
            p.field("work id", d.work_id.clone());
            p.field("number", d.number.clone());
            p.field("issuer", d.issuer.clone());
            p.field("jurisdiction", d.jurisdiction.clone());
            p.field("adopted", d.adopted.clone());
            p.field("in force", d.in_force.clone());
            p.field("expires", d.expires.clone());
            p.field("repealed", d.repealed.clone());
            p.field("status", d.status.clone());
            p.field("url", d.url.clone());
            p.field("note", d.note.clone());
            p.field("source", format!("{} ({})", d.source, d.confidence));
            p.field(
                "contents",
                format!("{} provisions, {} obligations", d.provisions, d.obligations),
            );
            p.field("frameworks", list(&d.frameworks));
            p.field("parties", list(&d.parties));
            let rel = |v: &[crate::queries::RelationView]| {
                v.iter()
                    .map(|r| {
                        vec![
                            r.relation.clone(),
                            r.document.clone(),
                            r.title.clone(),
                            opt(&r.date),
                            r.source.clone(),
                        ]
                    })
                    .collect::<Vec<_>>()
            };
            let h = ["relation", "document", "title", "date", "source"];
            p.section("relations", &h, rel(&d.relations));
            p.section("related by", &h, rel(&d.related_by));
            p.rows("stage now", &d.status_now);
            p.rows("timeline", &d.timeline);
        }
        EntityView::Provision(v) => {
            p.heading(&format!(
                "{} {} of {}: {}",
                v.kind,
                v.number.clone().unwrap_or(v.provision.clone()),
                v.document,
                v.heading.clone().unwrap_or_default()
            ));
            p.field("id", v.id.clone());
            p.field("document", format!("{} ({})", v.document, v.document_title));
            p.field("parent", v.parent.clone());
            p.field("valid from", v.valid_from.clone());
            p.field("valid to", v.valid_to.clone());
            p.field(
                "text",
                v.text
                    .as_ref()
                    .map(|t| format!("{t} [{}]", v.text_kind.clone().unwrap_or_default())),
            );
            p.field("source", format!("{} ({})", v.source, v.confidence));
            p.section(
                "provisions under it",
                &["provision", "number", "heading"],
                v.children
                    .iter()
                    .map(|c| vec![c.provision.clone(), opt(&c.number), opt(&c.heading)])
                    .collect(),
            );
            p.section(
                "links",
                &["node", "title", "framework", "link", "note", "source"],
                v.links
                    .iter()
                    .map(|l| {
                        vec![
                            l.node.clone(),
                            l.node_title.clone(),
                            l.framework.clone(),
                            l.link.clone(),
                            opt(&l.note),
                            l.source.clone(),
                        ]
                    })
                    .collect(),
            );
            p.rows("obligations", &v.obligations);
            p.section(
                "amended by",
                &["relation", "document", "title", "date", "source"],
                v.amended_by
                    .iter()
                    .map(|r| {
                        vec![
                            r.relation.clone(),
                            r.document.clone(),
                            r.title.clone(),
                            opt(&r.date),
                            r.source.clone(),
                        ]
                    })
                    .collect(),
            );
        }
        EntityView::Framework(f) => {
            p.heading(&format!("framework {}: {}", f.id, f.title));
            p.field("document", f.document.clone());
            p.field("note", f.note.clone());
            p.field("source", format!("{} ({})", f.source, f.confidence));
            p.section(
                "nodes",
                &["node", "kind", "number", "title", "parent", "links"],
                f.nodes
                    .iter()
                    .map(|n| {
                        vec![
                            n.id.clone(),
                            n.kind.clone(),
                            opt(&n.number),
                            n.title.clone(),
                            opt(&n.parent),
                            n.links.to_string(),
                        ]
                    })
                    .collect(),
            );
        }
        EntityView::Node(n) => {
            p.heading(&format!("{} {}: {}", n.kind, n.id, n.title));
            p.field(
                "framework",
                format!("{} ({})", n.framework, n.framework_title),
            );
            p.field("number", n.number.clone());
            p.field("parent", n.parent.clone());
            p.field("under it", list(&n.children));
            p.field("text", n.text.clone());
            p.field(
                "obligations under linked provisions",
                n.obligations.to_string(),
            );
            p.field("source", format!("{} ({})", n.source, n.confidence));
            p.section(
                "linked provisions",
                &["document", "provision", "number", "link"],
                n.links
                    .iter()
                    .map(|l| {
                        vec![
                            l.document.clone(),
                            l.provision.clone(),
                            opt(&l.number),
                            l.link.clone(),
                        ]
                    })
                    .collect(),
            );
        }
        EntityView::Agency(a) => {
            p.heading(&format!("{} {}: {}", a.kind, a.id, a.name));
            p.field("name (ru)", a.name_ru.clone());
            p.field("name (kk)", a.name_kk.clone());
            p.field("abbreviation", a.abbreviation.clone());
            p.field("aliases", list(&a.aliases));
            p.field("parent", a.parent.clone());
            p.field("subordinates", list(&a.subordinates));
            p.field("jurisdiction", a.jurisdiction.clone());
            p.field("established", a.established.clone());
            p.field("abolished", a.abolished.clone());
            p.field(
                "obligations",
                a.obligations
                    .iter()
                    .map(|(role, n)| format!("{n} as {role}"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            p.field("documents issued", list(&a.documents_issued));
            p.field("note", a.note.clone());
            p.field("source", format!("{} ({})", a.source, a.confidence));
            let succ = |v: &[crate::queries::SuccessionView]| {
                v.iter()
                    .map(|s| {
                        vec![
                            s.from.clone(),
                            s.kind.clone(),
                            s.to.clone(),
                            s.date.clone(),
                            opt(&s.functions),
                            s.source.clone(),
                        ]
                    })
                    .collect::<Vec<_>>()
            };
            let h = ["from", "kind", "to", "date", "functions", "source"];
            p.section("predecessors", &h, succ(&a.predecessors));
            p.section("successors", &h, succ(&a.successors));
        }
        EntityView::Partner(v) => {
            p.heading(&format!("{} {}: {}", v.kind, v.id, v.name));
            p.field("ISO code", v.iso.clone());
            p.field("name (ru)", v.name_ru.clone());
            p.field("name (kk)", v.name_kk.clone());
            p.field("aliases", list(&v.aliases));
            p.field("note", v.note.clone());
            p.field("source", format!("{} ({})", v.source, v.confidence));
            p.rows("agreements", &v.agreements);
            p.section(
                "claims (what sources said; not part of the derived stage)",
                &[
                    "stated",
                    "agreement",
                    "stage",
                    "statement",
                    "correction",
                    "correction source",
                    "source",
                    "confidence",
                ],
                v.claims
                    .iter()
                    .map(|c| {
                        vec![
                            c.stated.clone(),
                            opt(&c.agreement),
                            opt(&c.stage),
                            c.statement.clone(),
                            opt(&c.correction),
                            opt(&c.correction_source),
                            c.source.clone(),
                            c.confidence.to_string(),
                        ]
                    })
                    .collect(),
            );
        }
        EntityView::Obligation(o) => {
            p.heading(&format!("obligation {}: {}", o.id, o.action));
            p.field("agency", format!("{} ({})", o.agency, o.agency_name));
            p.field("role", o.role.to_string());
            p.field("modality", o.modality.to_string());
            p.field(
                "provision",
                match &o.provision_heading {
                    Some(h) => format!("{} ({h})", o.provision_id),
                    None => o.provision_id.clone(),
                },
            );
            p.field("document", format!("{} ({})", o.document, o.document_title));
            p.field("due", o.due.clone());
            p.field("next due", opt(&o.next_due));
            p.field(
                "status today",
                match &o.status_since {
                    Some(since) => format!("{} since {since}", o.status),
                    None => format!("{} (no change recorded)", o.status),
                },
            );
            p.field("directions", list(&o.directions));
            p.field("note", o.note.clone());
            p.field("source", format!("{} ({})", o.source, o.confidence));
            p.section(
                "status history",
                &["date", "status", "note", "source", "forced"],
                o.history
                    .iter()
                    .map(|c| {
                        vec![
                            c.date.to_string(),
                            c.status.to_string(),
                            opt(&c.note),
                            // A weaker change says so beside its source.
                            if c.confidence.is_default() {
                                c.source.clone()
                            } else {
                                format!("{} ({})", c.source, c.confidence)
                            },
                            if c.forced { "forced" } else { "" }.to_owned(),
                        ]
                    })
                    .collect(),
            );
        }
    }
    p.out
}
