//! The pages of frameworks, directions, agencies, partners, indicators,
//! the agreements overview and the traceability matrix. Derived answers
//! (stages as of a date, obligations by agency, coverage) come from the
//! query layer; this module only lays them out.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use super::pages::*;
use super::svg::{Chart, ChartValue, Timeline, TimelineEvent};
use super::view::{Text, slug};
use super::{Site, year_path};
use crate::catalog::model::SuccessionKind;
use crate::error::Result;
use crate::queries::{AgreementQuery, AgreementStatus, ObligationQuery};

impl Site<'_> {
    /// One page per direction, before the documents: whether a direction
    /// is implemented comes from a short query, so these pages need not
    /// wait for the coverage that the documents pass counts.
    pub(super) async fn directions(&mut self) -> Result<()> {
        let frameworks = self.store.site_frameworks().await?;
        let implemented = self.store.implemented_directions().await?;
        // In ID order, as the one pass over the links hands them over.
        let mut directions: Vec<_> = frameworks
            .iter()
            .flat_map(|f| {
                f.nodes
                    .iter()
                    .filter(|(_, n)| n.kind == "direction")
                    .map(move |(_, n)| (f, n))
            })
            .collect();
        directions.sort_by(|a, b| a.1.id.cmp(&b.1.id));
        let mut linked = match self.direction_links.take() {
            Some(pass) => pass,
            None => self.store.site_links_by_direction(),
        };
        for (f, n) in directions {
            let path = format!("directions/{}.html", slug(&n.id));
            let title = self.text(&n.title, &n.id);
            let links = linked
                .of(&n.id)
                .await?
                .into_iter()
                .map(|l| LinkedView {
                    title: self.text(&l.document.name, &l.document.id),
                    document: l.document.id,
                    anchor: super::view::anchor(&l.eid),
                    place: super::view::provision_label(&l.eid),
                    heading: l.heading,
                    link_kind: l.link_kind,
                    note: l.note,
                    source: l.source,
                    confidence: l.confidence,
                })
                .collect();
            let parent = n.parent_id.as_ref().and_then(|p| {
                f.nodes
                    .iter()
                    .find(|(_, m)| &m.id == p)
                    .map(|(_, m)| (p.clone(), self.text(&m.title, p)))
            });
            let page = DirectionPage {
                page: self.page(&path, title.text.clone(), "frameworks"),
                node: n,
                framework: (f.id.clone(), self.text(&f.title, &f.id)),
                parent,
                implemented: implemented.contains(&n.id),
                title,
                links,
            };
            self.emit(&path, &page)?;
        }
        Ok(())
    }

    /// One page per framework, with its coverage, and their list: after
    /// the documents, whose pass counts the coverage.
    pub(super) async fn frameworks(&mut self) -> Result<()> {
        let frameworks = self.store.site_frameworks().await?;
        let all = self.coverage().await?;
        let coverage: HashMap<&str, &crate::queries::CoverageMatrix> = all
            .iter()
            .map(|s| (s.matrix.framework.as_str(), &s.matrix))
            .collect();
        for f in &frameworks {
            let uncovered: Vec<&str> = coverage
                .get(f.id.as_str())
                .map(|c| c.uncovered.iter().map(String::as_str).collect())
                .unwrap_or_default();
            let path = format!("frameworks/{}.html", slug(&f.id));
            let title = self.text(&f.title, &f.id);
            // Tree order with depths; a depth more than one below the
            // node before (a parent the store lacks) nests one level only.
            let mut levels: Vec<usize> = Vec::with_capacity(f.nodes.len());
            for (depth, _) in &f.nodes {
                let level = match levels.last() {
                    Some(&prev) => (*depth).min(prev + 1),
                    None => 0,
                };
                levels.push(level);
            }
            let nodes = f
                .nodes
                .iter()
                .enumerate()
                .map(|(i, (_, n))| NodeView {
                    has_children: levels.get(i + 1).is_some_and(|&next| next > levels[i]),
                    closes: levels[i].saturating_sub(levels.get(i + 1).copied().unwrap_or(0)),
                    anchor: format!("node-{}", slug(&n.id)),
                    id: n.id.clone(),
                    kind: n.kind.clone(),
                    number: n.number.clone(),
                    title: self.text(&n.title, &n.id),
                    text: n.text.clone(),
                    links: n.links,
                    is_direction: n.kind == "direction",
                    uncovered: uncovered.contains(&n.id.as_str()),
                    source: n.source.clone(),
                    confidence: n.confidence.clone(),
                })
                .collect();
            let page = FrameworkPage {
                page: self.page(&path, title.text.clone(), "frameworks"),
                framework: f,
                document: f.document.as_ref().map(|d| self.named(d)),
                nodes,
                counts: coverage.get(f.id.as_str()).map(|c| c.counts),
                title,
            };
            self.emit(&path, &page)?;
        }
        let rows = frameworks
            .iter()
            .map(|f| ListRow {
                href: format!("frameworks/{}.html", slug(&f.id)),
                title: self.text(&f.title, &f.id),
                detail: format!(
                    "{} directions",
                    f.nodes
                        .iter()
                        .filter(|(_, n)| n.kind == "direction")
                        .count()
                ),
                confidence: f.confidence.clone(),
            })
            .collect();
        self.list_pages(
            "frameworks",
            "Frameworks",
            "Strategies, concepts and plans: their goals and the directions under them, with the provisions that implement each.",
            "frameworks",
            rows,
        )
    }

    pub(super) async fn agencies(&mut self) -> Result<()> {
        let agencies = self.store.site_agencies().await?;
        let successions = self.store.site_successions().await?;
        // An obligation serves any framework node its provision links to:
        // a direction has a page, a goal or an objective an anchor on its
        // framework's page.
        let node_places: HashMap<String, (Text, String)> = self
            .store
            .site_node_places()
            .await?
            .into_iter()
            .map(|n| {
                let href = super::node_href(&n.id, &n.kind, &n.framework);
                let title = self.text(&n.title, &n.id);
                (n.id, (title, href))
            })
            .collect();
        let names: HashMap<String, Text> = agencies
            .iter()
            .map(|a| (a.id.clone(), self.text(&a.name, &a.id)))
            .collect();
        let name = |id: &str| -> Text { names.get(id).cloned().unwrap_or_else(|| Text::plain(id)) };
        let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
        for a in &agencies {
            if let Some(p) = &a.parent_id {
                children.entry(p.as_str()).or_default().push(&a.id);
            }
        }
        let mut pages = Vec::new();
        // Own obligations come from one pass over the table, agency by
        // agency; an agency that inherits from predecessors is asked for
        // on its own (there are few), since its rows mix several agencies.
        let today = self.options.today;
        let mut own = match self.agency_pass.take() {
            Some(pass) => pass,
            None => self.store.own_obligations_by_agency(today),
        };
        for a in &agencies {
            let path = format!("agencies/{}.html", slug(&a.id));
            let mine = own.of(&a.id).await?;
            let inherits = successions.iter().any(|s| s.to_id == a.id);
            let rows = if inherits {
                let mut q = ObligationQuery::new(today);
                q.agency = Some(a.id.clone());
                self.store.obligations(&q).await?
            } else {
                mine
            };
            // The titles of this agency's documents, in the language asked
            // for: read per agency, so that what is held does not grow
            // with the corpus.
            let mut documents: Vec<&str> = rows.iter().map(|o| o.document.as_str()).collect();
            documents.dedup();
            let doc_titles = self.document_titles(&documents).await?;
            // Rows come in document order, so a document's rows are
            // consecutive: a group per document, titled in the language
            // asked for.
            // Its own and those it inherits, as its page lists them.
            let obligation_count = rows.len();
            let mut groups: Vec<(String, Text, Vec<AgencyObligation>)> = Vec::new();
            for o in rows {
                let row = AgencyObligation {
                    provision: o.provision,
                    role: o.role.as_str().to_owned(),
                    modality: o.modality.as_str().to_owned(),
                    action: o.action,
                    due: o.due,
                    status: o.status.as_str().to_owned(),
                    status_since: o.status_since,
                    status_source: o.status_source,
                    status_confidence: o.status_confidence.map(|c| c.as_str().to_owned()),
                    status_note: o.status_note,
                    directions: o
                        .directions
                        .into_iter()
                        .map(|d| match node_places.get(&d) {
                            Some((title, href)) => (title.clone(), Some(href.clone())),
                            None => (Text::plain(d), None),
                        })
                        .collect(),
                    source: o.source,
                    confidence: o.confidence.as_str().to_owned(),
                    inherited: o.inherited_from.map(|from| Inherited {
                        from_name: name(&from),
                        from,
                        on: o.inherited_on,
                        partial: matches!(
                            o.inherited_how,
                            Some(
                                SuccessionKind::FunctionsTransferredTo | SuccessionKind::SplitInto
                            )
                        ),
                        functions: o.inherited_functions,
                    }),
                };
                match groups.last_mut() {
                    Some(g) if g.0 == o.document => g.2.push(row),
                    _ => {
                        let title = doc_titles
                            .get(&o.document)
                            .cloned()
                            .unwrap_or_else(|| Text::plain(o.document_title));
                        groups.push((o.document, title, vec![row]));
                    }
                }
            }
            let page = AgencyPage {
                page: self.page(&path, name(&a.id).text, "agencies"),
                agency: a,
                name: name(&a.id),
                parent: a.parent_id.as_ref().map(|p| (p.clone(), name(p))),
                children: children
                    .get(a.id.as_str())
                    .map(|c| c.iter().map(|id| (id.to_string(), name(id))).collect())
                    .unwrap_or_default(),
                predecessors: successions
                    .iter()
                    .filter(|s| s.to_id == a.id)
                    .map(|s| SuccessionView {
                        other: s.from_id.clone(),
                        other_name: name(&s.from_id),
                        kind: s.kind.clone(),
                        date: s.date.clone(),
                        functions: s.functions.clone(),
                        note: s.note.clone(),
                        source: s.source.clone(),
                        confidence: s.confidence.clone(),
                    })
                    .collect(),
                successors: successions
                    .iter()
                    .filter(|s| s.from_id == a.id)
                    .map(|s| SuccessionView {
                        other: s.to_id.clone(),
                        other_name: name(&s.to_id),
                        kind: s.kind.clone(),
                        date: s.date.clone(),
                        functions: s.functions.clone(),
                        note: s.note.clone(),
                        source: s.source.clone(),
                        confidence: s.confidence.clone(),
                    })
                    .collect(),
                groups,
                today: self.options.today.to_string(),
            };
            self.emit(&path, &page)?;
            let bears = match obligation_count {
                1 => "1 obligation".to_owned(),
                n => format!("{n} obligations"),
            };
            pages.push(ListRow {
                href: path,
                title: name(&a.id),
                detail: [
                    a.abbreviation.clone(),
                    Some(super::view::label(&a.kind)),
                    Some(bears),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" · "),
                confidence: a.confidence.clone(),
            });
        }
        by_name(&mut pages);
        self.list_pages(
            "agencies",
            "Agencies",
            "Ministries, committees, local bodies and other actors, by name, with the obligations they bear.",
            "agencies",
            pages,
        )
    }

    /// Where each agreement stands for each of its parties today, by
    /// agreement, for the agreements' own document pages.
    pub(super) async fn agreement_standing(&mut self) -> Result<HashMap<String, Vec<StatusView>>> {
        let (titles, names, _) = self.agreement_names().await?;
        let rows = self.agreements_today().await?;
        let mut by_agreement: HashMap<String, Vec<StatusView>> = HashMap::new();
        for s in rows.iter() {
            by_agreement
                .entry(s.agreement.clone())
                .or_default()
                .push(self.status_view(s, &titles, &names));
        }
        Ok(by_agreement)
    }

    fn status_view(
        &self,
        s: &AgreementStatus,
        titles: &HashMap<String, Text>,
        partners: &HashMap<String, Text>,
    ) -> StatusView {
        StatusView {
            agreement: s.agreement.clone(),
            title: titles
                .get(&s.agreement)
                .cloned()
                .unwrap_or_else(|| Text::plain(s.title.clone())),
            partner: s.partner.as_ref().map(|p| {
                (
                    p.clone(),
                    partners.get(p).cloned().unwrap_or_else(|| {
                        Text::plain(s.partner_name.clone().unwrap_or_else(|| p.clone()))
                    }),
                )
            }),
            instrument: s.instrument.clone(),
            stage: s.stage.map(|st| st.as_str().to_owned()),
            since: s.since.map(|d| d.to_string()),
            precision: s.precision.map(|p| p.as_str().to_owned()),
            source: s.source.clone(),
            confidence: s.confidence.map(|c| c.as_str().to_owned()),
            possible: match (s.uncertain, s.possible_stage, s.possible_since) {
                (true, Some(st), Some(d)) => Some((st.as_str().to_owned(), d.to_string())),
                _ => None,
            },
        }
    }

    /// Names of partners and titles of agreements in the language asked for.
    async fn agreement_names(
        &self,
    ) -> Result<(
        HashMap<String, Text>,
        HashMap<String, Text>,
        Vec<crate::store::site::PartnerFacts>,
    )> {
        let partners = self.store.site_partners().await?;
        let mut titles = HashMap::new();
        let mut names = HashMap::new();
        for p in &partners {
            names.insert(p.id.clone(), self.text(&p.name, &p.id));
            for a in &p.agreements {
                titles.insert(a.id.clone(), self.text(&a.name, &a.id));
            }
        }
        Ok((titles, names, partners))
    }

    pub(super) async fn partners(&mut self) -> Result<()> {
        let (titles, names, partners) = self.agreement_names().await?;
        let today = self.options.today;
        let mut rows = Vec::new();
        for p in &partners {
            let path = format!("partners/{}.html", slug(&p.id));
            let mut q = AgreementQuery::new(today);
            q.partner = Some(p.id.clone());
            let statuses = self.store.agreements(&q).await?;
            let history = self.store.agreement_history(&q).await?;
            let mut by_agreement: BTreeMap<&str, Vec<&crate::queries::TimelineEntry>> =
                BTreeMap::new();
            for e in &history {
                by_agreement
                    .entry(e.agreement.as_str())
                    .or_default()
                    .push(e);
            }
            let agreements = p
                .agreements
                .iter()
                .map(|a| {
                    let events = by_agreement.get(a.id.as_str()).cloned().unwrap_or_default();
                    let drawn: Vec<TimelineEvent> = events
                        .iter()
                        .map(|e| TimelineEvent {
                            date: e.date.to_string(),
                            earliest: e.date.earliest(),
                            latest: e.date.latest(),
                            stage: e.stage.as_str().to_owned(),
                            party: e.partner.as_ref().map(|id| {
                                names
                                    .get(id)
                                    .map(|t| t.text.clone())
                                    .unwrap_or_else(|| id.clone())
                            }),
                            uncertain_day: e.date.exact().is_none(),
                            confidence: e.confidence.as_str().to_owned(),
                        })
                        .collect();
                    let title = titles
                        .get(&a.id)
                        .cloned()
                        .unwrap_or_else(|| self.text(&a.name, &a.id));
                    PartnerAgreement {
                        id: a.id.clone(),
                        timeline: Timeline::new(
                            format!("tl-{}", slug(&a.id)),
                            format!("Timeline of {}", title.text),
                            &drawn,
                            today,
                        ),
                        title,
                        status: statuses
                            .iter()
                            .find(|s| s.agreement == a.id)
                            .map(|s| self.status_view(s, &titles, &names)),
                        rows: events
                            .iter()
                            .map(|e| TimelineRow {
                                date: e.date.to_string(),
                                precision: e.precision.as_str().to_owned(),
                                stage: e.stage.as_str().to_owned(),
                                party: e.partner.as_ref().map(|id| {
                                    let name = names
                                        .get(id)
                                        .cloned()
                                        .unwrap_or_else(|| Text::plain(id.clone()));
                                    (id.clone(), name)
                                }),
                                note: e.note.clone(),
                                source: e.source.clone(),
                                source_title: e.source_title.clone(),
                                confidence: e.confidence.as_str().to_owned(),
                            })
                            .collect(),
                    }
                })
                .collect();
            let name = self.text(&p.name, &p.id);
            let page = PartnerPage {
                page: self.page(&path, name.text.clone(), "partners"),
                partner: p,
                agreements,
                claims: self.store.site_claims(&p.id).await?,
                today: today.to_string(),
                name: name.clone(),
            };
            self.emit(&path, &page)?;
            rows.push(ListRow {
                href: path,
                title: name,
                detail: format!(
                    "{}{} · {} agreement{}",
                    super::view::label(&p.kind),
                    p.iso
                        .as_deref()
                        .map(|i| format!(" {i}"))
                        .unwrap_or_default(),
                    p.agreements.len(),
                    if p.agreements.len() == 1 { "" } else { "s" }
                ),
                confidence: p.confidence.clone(),
            });
        }
        by_name(&mut rows);
        self.list_pages(
            "partners",
            "Partners",
            "States, blocs and organisations, by name, with their agreements and a timeline of each.",
            "partners",
            rows,
        )
    }

    pub(super) async fn indicators(&mut self) -> Result<()> {
        let series = self
            .store
            .site_indicators()
            .await?
            .into_iter()
            .map(|s| {
                let name = self.text(&s.name, &s.id);
                let values: Vec<ChartValue> = s
                    .values
                    .iter()
                    .filter_map(|v| {
                        Some(ChartValue {
                            period: v.period.clone(),
                            start: v.period_start.parse::<NaiveDate>().ok()?,
                            end: v.period_end.parse::<NaiveDate>().ok()?,
                            value: v.value,
                            derived: v.derived,
                            confidence: v.confidence.clone(),
                        })
                    })
                    .collect();
                IndicatorView {
                    anchor: format!("ind-{}", slug(&s.id)),
                    chart: Chart::new(
                        format!("ch-{}", slug(&s.id)),
                        format!("{} ({})", name.text, s.unit),
                        &s.unit,
                        &values,
                    ),
                    name,
                    unit: s.unit,
                    measure: s.measure,
                    note: s.note,
                    source: s.source,
                    values: s.values,
                }
            })
            .collect();
        let page = IndicatorsPage {
            page: self.page("indicators.html", "Indicators", "indicators"),
            series,
        };
        self.emit("indicators.html", &page)
    }

    pub(super) async fn agreements(&mut self) -> Result<()> {
        let (titles, names, _) = self.agreement_names().await?;
        let today = self.options.today;
        let years = super::agreement_years(self.store, today).await?;
        let year_links = |current: Option<i32>| -> Vec<(i32, String, bool)> {
            years
                .iter()
                .map(|&y| (y, year_path(y), Some(y) == current))
                .collect()
        };
        for &y in &years {
            let as_of = NaiveDate::from_ymd_opt(y, 12, 31).expect("valid");
            let rows = self.store.agreements(&AgreementQuery::new(as_of)).await?;
            let path = year_path(y);
            let page = AgreementsPage {
                page: self.page(&path, format!("Agreements at the end of {y}"), "agreements"),
                as_of: as_of.to_string(),
                years: year_links(Some(y)),
                now: ("agreements.html".into(), false),
                rows: rows
                    .iter()
                    .map(|s| self.status_view(s, &titles, &names))
                    .collect(),
            };
            self.emit(&path, &page)?;
        }
        let rows = self.agreements_today().await?;
        let page = AgreementsPage {
            page: self.page("agreements.html", "Agreements", "agreements"),
            as_of: today.to_string(),
            years: year_links(None),
            now: ("agreements.html".into(), true),
            rows: rows
                .iter()
                .map(|s| self.status_view(s, &titles, &names))
                .collect(),
        };
        self.emit("agreements.html", &page)
    }

    pub(super) async fn matrix(&mut self) -> Result<()> {
        let frameworks = self.store.site_frameworks().await?;
        let mut matrices = Vec::new();
        let all = self.coverage().await?;
        // The titles of the documents the matrices name.
        let mut ids: Vec<&str> = all
            .iter()
            .flat_map(|s| {
                let links = s
                    .matrix
                    .directions
                    .iter()
                    .flat_map(|d| d.links.iter().map(|l| l.document.as_str()));
                let unlinked = s
                    .matrix
                    .unlinked_provisions
                    .iter()
                    .take(super::UNLINKED_SHOWN)
                    .map(|p| p.document.as_str());
                links.chain(unlinked)
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let titles = self.document_titles(&ids).await?;
        let title_of =
            |id: &str| -> Text { titles.get(id).cloned().unwrap_or_else(|| Text::plain(id)) };
        for summary in all.iter() {
            let c = &summary.matrix;
            let fw = frameworks.iter().find(|f| f.id == c.framework);
            let node = |id: &str| fw.and_then(|f| f.nodes.iter().find(|(_, n)| n.id == id));
            let node_title = |id: &str| -> Text {
                node(id)
                    .map(|(_, n)| self.text(&n.title, id))
                    .unwrap_or_else(|| Text::plain(id))
            };
            let columns: Vec<MatrixColumn> = c
                .directions
                .iter()
                .map(|d| MatrixColumn {
                    id: d.direction.clone(),
                    number: d.number.clone().unwrap_or_else(|| d.direction.clone()),
                    title: node_title(&d.direction),
                    confidence: node(&d.direction)
                        .map_or_else(|| "verified".to_owned(), |(_, n)| n.confidence.clone()),
                })
                .collect();
            // Rows: each linked provision once, in its document's order
            // (documents by ID). The summary holds no links when the grid
            // is too large to show.
            let mut cells: BTreeMap<(&str, i64, &str), Vec<Vec<MatrixMark>>> = BTreeMap::new();
            for (i, d) in c.directions.iter().enumerate() {
                for l in &d.links {
                    let row = cells
                        .entry((&l.document, l.ord, &l.provision))
                        .or_insert_with(|| {
                            std::iter::repeat_with(Vec::new)
                                .take(c.directions.len())
                                .collect()
                        });
                    let mark = match l.link.as_str() {
                        "implements" => "I",
                        "supports" => "S",
                        _ => "R",
                    };
                    // Two links of one kind show as one mark, as sure as
                    // the less sure of them.
                    match row[i].iter_mut().find(|m| m.mark == mark) {
                        Some(m) => {
                            if less_sure(&l.confidence, &m.confidence) {
                                m.confidence = l.confidence.clone();
                            }
                        }
                        None => row[i].push(MatrixMark {
                            mark,
                            kind: l.link.clone(),
                            confidence: l.confidence.clone(),
                        }),
                    }
                }
            }
            let mut groups: Vec<MatrixGroup> = Vec::new();
            for ((doc, _, eid), row) in cells {
                let row = MatrixRow {
                    eid: eid.to_owned(),
                    cells: row,
                };
                match groups.last_mut() {
                    Some(g) if g.document == doc => g.rows.push(row),
                    _ => groups.push(MatrixGroup {
                        document: doc.to_owned(),
                        title: title_of(doc),
                        rows: vec![row],
                    }),
                }
            }
            let title = fw
                .map(|f| self.text(&f.title, &f.id))
                .unwrap_or_else(|| Text::plain(c.title.clone()));
            let grid_omitted = !summary.grid_kept;
            matrices.push(MatrixView {
                id: c.framework.clone(),
                title,
                columns,
                grid_omitted,
                groups,
                uncovered: c
                    .uncovered
                    .iter()
                    .map(|d| (d.clone(), node_title(d)))
                    .collect(),
                unlinked: c
                    .unlinked_provisions
                    .iter()
                    .take(super::UNLINKED_SHOWN)
                    .map(|p| {
                        (
                            p.document.clone(),
                            p.provision.clone(),
                            title_of(&p.document),
                        )
                    })
                    .collect(),
                unlinked_total: c.counts.unlinked_provisions,
                counts: c.counts,
            });
        }
        let page = MatrixPage {
            page: self.page("matrix.html", "Traceability matrix", "frameworks"),
            matrices,
        };
        self.emit("matrix.html", &page)
    }

    /// The titles of the documents `ids` in the language asked for.
    async fn document_titles(&self, ids: &[&str]) -> Result<HashMap<String, Text>> {
        Ok(self
            .store
            .site_document_names(ids)
            .await?
            .into_iter()
            .map(|n| {
                let title = self.text(&n.name, &n.id);
                (n.id, title)
            })
            .collect())
    }
}

/// Sorts a listing by the names readers see (case aside), then by address,
/// so that equal names keep a fixed order.
fn by_name(rows: &mut [ListRow]) {
    rows.sort_by_cached_key(|r| (r.title.text.to_lowercase(), r.href.clone()));
}

/// Whether confidence `a` is less sure than `b` (`verified` → `secondary`
/// → `unverified`); a value the store should not hold counts as least sure.
fn less_sure(a: &str, b: &str) -> bool {
    use crate::catalog::model::Confidence;
    let rank = |c: &str| c.parse::<Confidence>().ok();
    match (rank(a), rank(b)) {
        (Some(a), Some(b)) => a > b,
        (None, Some(_)) => true,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::less_sure;

    #[test]
    fn a_mark_is_as_sure_as_its_least_sure_link() {
        assert!(less_sure("unverified", "verified"));
        assert!(less_sure("secondary", "verified"));
        assert!(less_sure("unverified", "secondary"));
        assert!(!less_sure("verified", "secondary"));
        assert!(!less_sure("verified", "verified"));
        assert!(less_sure("garbled", "verified"));
    }
}
