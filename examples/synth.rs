//! Writes a deterministic synthetic catalog of a given size in the real
//! catalog format, for benchmarks:
//!
//! ```text
//! cargo run --release --example synth -- --provisions 100000 --obligations 1000000 --out /tmp/synth
//! ```
//!
//! Same arguments, same bytes. Sizes: `--documents` defaults to one per 100
//! provisions, `--agencies` to 200, `--partners` to 100, `--agreements` to
//! 2 per partner, `--directions` to 100 (in 10 frameworks).

use std::path::PathBuf;

use lextrack::catalog::Format;
use lextrack::catalog::model::*;
use lextrack::catalog::write::{to_text, write_file};

/// A small deterministic generator (SplitMix64), so that the output never
/// depends on a crate's RNG version.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "migration",
    "quota",
    "labour",
    "permit",
    "residence",
    "registration",
    "visa",
    "employer",
    "worker",
    "kandas",
    "resettlement",
    "integration",
    "adaptation",
    "education",
    "recognition",
    "pension",
    "medical",
    "border",
    "information",
    "cooperation",
    "миграция",
    "квота",
    "көші-қон",
];

fn sentence(rng: &mut Rng, n: usize) -> String {
    let mut words: Vec<&str> = (0..n).map(|_| *rng.pick(WORDS)).collect();
    let first = words[0].to_owned();
    let mut cap = first.chars();
    let head = cap
        .next()
        .map(|c| c.to_uppercase().collect::<String>())
        .unwrap_or_default()
        + cap.as_str();
    words[0] = &head;
    format!("{}.", words.join(" "))
}

fn date(rng: &mut Rng, from_year: i32, span: i32) -> PartialDate {
    let y = from_year + rng.below(span as usize) as i32;
    let m = 1 + rng.below(12);
    let d = 1 + rng.below(28);
    format!("{y:04}-{m:02}-{d:02}")
        .parse()
        .expect("valid by construction")
}

use lextrack::date::PartialDate;

struct Opts {
    provisions: usize,
    obligations: usize,
    documents: usize,
    agencies: usize,
    partners: usize,
    agreements: usize,
    directions: usize,
    format: Format,
    out: PathBuf,
}

fn parse_args() -> Result<Opts, String> {
    let mut args = std::env::args().skip(1);
    let mut o = Opts {
        provisions: 10_000,
        obligations: 0,
        documents: 0,
        agencies: 200,
        partners: 100,
        agreements: 0,
        directions: 100,
        format: Format::Toml,
        out: PathBuf::from("synth"),
    };
    let mut obligations_given = false;
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let mut num =
            || -> Result<usize, String> { value()?.parse().map_err(|e| format!("{flag}: {e}")) };
        match flag.as_str() {
            "--provisions" => o.provisions = num()?,
            "--obligations" => {
                o.obligations = num()?;
                obligations_given = true;
            }
            "--documents" => o.documents = num()?,
            "--agencies" => o.agencies = num()?.max(1),
            "--partners" => o.partners = num()?.max(1),
            "--agreements" => o.agreements = num()?,
            "--directions" => o.directions = num()?.max(1),
            "--format" => {
                o.format = match value()?.as_str() {
                    "toml" => Format::Toml,
                    "json" => Format::Json,
                    other => return Err(format!("--format: unknown format `{other}`")),
                }
            }
            "--out" => o.out = PathBuf::from(value()?),
            "-h" | "--help" => {
                return Err("usage: synth [--provisions N] [--obligations N] [--documents N] [--agencies N] [--partners N] [--agreements N] [--directions N] [--format toml|json] [--out DIR]".into());
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if o.documents == 0 {
        o.documents = o.provisions.div_ceil(100).max(1);
    }
    if !obligations_given {
        o.obligations = o.provisions / 2;
    }
    if o.agreements == 0 {
        o.agreements = o.partners * 2;
    }
    Ok(o)
}

fn main() {
    let o = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("synth: {e}");
            std::process::exit(2);
        }
    };
    if let Err(e) = generate(&o) {
        eprintln!("synth: {e}");
        std::process::exit(3);
    }
}

fn write(o: &Opts, stem: &str, file: &CatalogFile) -> lextrack::Result<()> {
    let path = o.out.join(format!("{stem}.{}", o.format.extension()));
    write_file(&path, to_text(file, o.format)?.as_bytes())
}

fn en(text: String) -> Localized {
    Localized {
        en: Some(text),
        ..Default::default()
    }
}

fn generate(o: &Opts) -> lextrack::Result<()> {
    let mut rng = Rng(0x1e7_7ac4);
    let src = "synth-source".to_string();

    write(
        o,
        "sources",
        &CatalogFile {
            sources: vec![Source {
                id: src.clone(),
                kind: SourceKind::Compilation,
                title: "Synthetic catalog for benchmarks".into(),
                author: None,
                publisher: None,
                published: None,
                url: Some("https://example.org/synthetic".into()),
                accessed: None,
                note: None,
            }],
            ..Default::default()
        },
    )?;

    let agency_ids: Vec<String> = (0..o.agencies).map(|i| format!("agency-{i:05}")).collect();
    let agencies = agency_ids
        .iter()
        .enumerate()
        .map(|(i, id)| Agency {
            id: id.clone(),
            kind: if i % 10 == 0 {
                AgencyKind::Ministry
            } else {
                AgencyKind::Committee
            },
            name: en(format!("Agency {i} for {}", sentence(&mut rng, 2))),
            abbreviation: Some(format!("AG{i}")),
            aliases: vec![format!("Ведомство {i}")],
            parent: (i % 10 != 0).then(|| agency_ids[i - i % 10].clone()),
            jurisdiction: Jurisdiction::Kz,
            established: None,
            abolished: None,
            note: None,
            source: src.clone(),
            confidence: Confidence::Verified,
        })
        .collect();
    let successions = (10..o.agencies)
        .step_by(50)
        .map(|i| Succession {
            from: agency_ids[i].clone(),
            to: agency_ids[(i + 10) % o.agencies].clone(),
            kind: SuccessionKind::FunctionsTransferredTo,
            date: date(&mut rng, 2012, 10),
            functions: Some(sentence(&mut rng, 4)),
            note: None,
            source: src.clone(),
            confidence: Confidence::Verified,
        })
        .filter(|s| s.from != s.to)
        .collect();
    write(
        o,
        "agencies",
        &CatalogFile {
            agencies,
            successions,
            ..Default::default()
        },
    )?;

    let partner_ids: Vec<String> = (0..o.partners).map(|i| format!("partner-{i:04}")).collect();
    write(
        o,
        "partners",
        &CatalogFile {
            partners: partner_ids
                .iter()
                .enumerate()
                .map(|(i, id)| Partner {
                    id: id.clone(),
                    kind: PartnerKind::Organisation,
                    iso: None,
                    name: en(format!("Partner {i}")),
                    aliases: vec![],
                    note: None,
                    source: src.clone(),
                    confidence: Confidence::Verified,
                })
                .collect(),
            ..Default::default()
        },
    )?;

    let frameworks = 10.min(o.directions);
    let mut node_ids = Vec::new();
    for f in 0..frameworks {
        let fid = format!("framework-{f:02}");
        let mut nodes = vec![Node {
            id: format!("{fid}-goal"),
            parent: None,
            kind: NodeKind::Goal,
            number: None,
            title: en(sentence(&mut rng, 5)),
            text: None,
            source: src.clone(),
            confidence: Confidence::Verified,
        }];
        for d in (f..o.directions).step_by(frameworks) {
            let id = format!("{fid}-direction-{d:04}");
            node_ids.push(id.clone());
            nodes.push(Node {
                id,
                parent: Some(format!("{fid}-goal")),
                kind: NodeKind::Direction,
                number: Some((d + 1).to_string()),
                title: en(sentence(&mut rng, 6)),
                text: Some(sentence(&mut rng, 20)),
                source: src.clone(),
                confidence: Confidence::Verified,
            });
        }
        write(
            o,
            &format!("frameworks/{fid}"),
            &CatalogFile {
                framework: Some(Framework {
                    id: fid,
                    title: en(format!("Framework {f}")),
                    document: None,
                    note: None,
                    source: src.clone(),
                    confidence: Confidence::Verified,
                }),
                nodes,
                ..Default::default()
            },
        )?;
    }

    // Provisions: per document, articles with paragraphs with points.
    let mut obligations_left = o.obligations;
    for doc in 0..o.documents {
        let id = format!("doc-{doc:06}");
        let count = o.provisions / o.documents + usize::from(doc < o.provisions % o.documents);
        let mut provisions = Vec::with_capacity(count);
        let mut art = 0;
        let mut para = 0;
        while provisions.len() < count {
            if para == 0 || para > 4 {
                art += 1;
                para = 1;
                provisions.push(Provision {
                    eid: format!("art_{art}"),
                    parent: None,
                    kind: ProvisionKind::Article,
                    number: Some(art.to_string()),
                    heading: Some(sentence(&mut rng, 4)),
                    text: None,
                    text_kind: None,
                    valid_from: None,
                    valid_to: None,
                    source: None,
                    confidence: Confidence::Verified,
                });
            } else {
                provisions.push(Provision {
                    eid: format!("art_{art}__para_{para}"),
                    parent: None,
                    kind: ProvisionKind::Paragraph,
                    number: Some(para.to_string()),
                    heading: None,
                    text: Some(sentence(&mut rng, 25)),
                    text_kind: Some(TextKind::Summary),
                    valid_from: None,
                    valid_to: None,
                    source: None,
                    confidence: Confidence::Verified,
                });
                para += 1;
            }
        }
        let links = provisions
            .iter()
            .filter(|p| p.kind == ProvisionKind::Article)
            .map(|p| Link {
                provision: p.eid.clone(),
                node: rng.pick(&node_ids).clone(),
                kind: LinkKind::Implements,
                note: None,
                source: src.clone(),
                confidence: Confidence::Verified,
            })
            .collect();
        let docs_left = o.documents - doc;
        let n_obl = obligations_left.div_ceil(docs_left);
        obligations_left -= n_obl;
        let obligations = (0..n_obl)
            .map(|k| {
                let p = rng.pick(&provisions);
                Obligation {
                    id: format!("{id}-obl-{k:05}"),
                    provision: p.eid.clone(),
                    agency: rng.pick(&agency_ids).clone(),
                    role: *rng.pick(Role::ALL),
                    modality: *rng.pick(Modality::ALL),
                    action: sentence(&mut rng, 5),
                    due: (k % 7 == 0).then(|| date(&mut rng, 2015, 15)),
                    recurrence: (k % 11 == 0).then(|| Recurrence {
                        every: Every::Year,
                        by: "01-15".into(),
                    }),
                    note: None,
                    source: src.clone(),
                    confidence: Confidence::Verified,
                    history: vec![],
                }
            })
            .collect();
        let adopted = date(&mut rng, 1995, 28);
        write(
            o,
            &format!("documents/{id}"),
            &CatalogFile {
                document: Some(Document {
                    id: id.clone(),
                    kind: *rng.pick(&[
                        DocumentKind::Law,
                        DocumentKind::Decree,
                        DocumentKind::Order,
                    ]),
                    work_id: format!("/akn/kz/act/{adopted}/synth-{doc}"),
                    number: Some(format!("{doc}-S")),
                    title: en(format!("Synthetic act {doc}: {}", sentence(&mut rng, 5))),
                    issuer: Some(rng.pick(&agency_ids).clone()),
                    jurisdiction: Jurisdiction::Kz,
                    adopted: Some(adopted),
                    in_force: None,
                    expires: None,
                    repealed: None,
                    status: DocumentStatus::InForce,
                    url: None,
                    note: None,
                    source: src.clone(),
                    confidence: Confidence::Verified,
                }),
                provisions,
                links,
                obligations,
                ..Default::default()
            },
        )?;
    }

    for a in 0..o.agreements {
        let id = format!("agreement-{a:05}");
        let partner = partner_ids[a % o.partners].clone();
        let signed = date(&mut rng, 2012, 10);
        let mut events = vec![
            StatusEvent {
                stage: Stage::Negotiating,
                date: format!("{}", signed.earliest().format("%Y"))
                    .parse()
                    .expect("a year"),
                party: None,
                note: None,
                source: src.clone(),
                confidence: Confidence::Verified,
                forced: false,
            },
            StatusEvent {
                stage: Stage::Signed,
                date: signed,
                party: None,
                note: None,
                source: src.clone(),
                confidence: Confidence::Verified,
                forced: false,
            },
        ];
        if a % 2 == 0 {
            let y = signed
                .earliest()
                .format("%Y")
                .to_string()
                .parse::<i32>()
                .unwrap_or(2015)
                + 1;
            events.push(StatusEvent {
                stage: Stage::InForce,
                date: format!("{y}-{:02}", 1 + a % 12).parse().expect("a month"),
                party: None,
                note: None,
                source: src.clone(),
                confidence: Confidence::Verified,
                forced: false,
            });
        }
        write(
            o,
            &format!("agreements/{id}"),
            &CatalogFile {
                document: Some(Document {
                    id: id.clone(),
                    kind: DocumentKind::Agreement,
                    work_id: format!("/akn/eaeu/act/{signed}/synth-agreement-{a}"),
                    number: None,
                    title: en(format!("Synthetic agreement {a}")),
                    issuer: None,
                    jurisdiction: Jurisdiction::Bilateral,
                    adopted: Some(signed),
                    in_force: None,
                    expires: None,
                    repealed: None,
                    status: DocumentStatus::Signed,
                    url: None,
                    note: None,
                    source: src.clone(),
                    confidence: Confidence::Verified,
                }),
                parties: vec![Party {
                    partner,
                    note: None,
                }],
                events,
                ..Default::default()
            },
        )?;
    }

    let indicator = Indicator {
        id: "synth-population".into(),
        name: en("Synthetic population".into()),
        unit: "persons".into(),
        measure: Measure::Stock,
        note: None,
        source: src.clone(),
        values: (1990..2024)
            .map(|y| IndicatorValue {
                period: y.to_string(),
                value: (15_000_000 + rng.below(5_000_000)) as f64,
                derived: false,
                note: None,
                source: src.clone(),
                confidence: Confidence::Verified,
            })
            .collect(),
    };
    write(
        o,
        "indicators",
        &CatalogFile {
            indicators: vec![indicator],
            ..Default::default()
        },
    )?;
    eprintln!(
        "synth: wrote {} documents ({} provisions, {} obligations), {} agencies, {} partners, {} agreements to `{}`",
        o.documents,
        o.provisions,
        o.obligations,
        o.agencies,
        o.partners,
        o.agreements,
        o.out.display()
    );
    Ok(())
}
