//! `lextrack partners`: one row per partner, with its agreements and where
//! the latest of them stands, since when, per which source.

use chrono::NaiveDate;

use super::with_store;
use crate::cli::Global;
use crate::error::{ExitCode, Result};
use crate::output::{Format, Tabular, opt, print_rows};
use crate::queries::PartnerRow;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Only this partner: ID, name in any language, alias or ISO code.
    #[arg(long)]
    pub partner: Option<String>,
    /// Only partners with at least one agreement.
    #[arg(long)]
    pub with_agreements: bool,
    /// The day to derive stages for (YYYY-MM-DD). Default: today.
    #[arg(long, value_parser = crate::date::parse_day, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

pub async fn run(global: &Global, args: Args) -> Result<ExitCode> {
    let (only, mut rows) = with_store(global, async |store| {
        let only = match &args.partner {
            Some(name) => Some(store.resolve_partner(name).await?),
            None => None,
        };
        let rows = store
            .partner_rows(args.as_of.unwrap_or_else(|| global.today()))
            .await?;
        Ok((only, rows))
    })
    .await?;
    rows.retain(|r| {
        only.as_ref().is_none_or(|p| *p == r.partner)
            && (!args.with_agreements || !r.agreements.is_empty())
    });
    let statuses: Vec<_> = rows.iter().flat_map(|r| r.agreements.clone()).collect();
    super::agreements::note_uncertain(&statuses);
    print_rows(&rows, args.format, "no partners match")?;
    Ok(ExitCode::Ok)
}

impl Tabular for PartnerRow {
    const COLUMNS: &'static [&'static str] = &[
        "partner",
        "name",
        "kind",
        "iso",
        "agreements",
        "agreement",
        "stage",
        "since",
        "precision",
        "source",
        "uncertain",
        "confidence",
    ];
    const TABLE: &'static [&'static str] = &[
        "partner",
        "name",
        "agreements",
        "agreement",
        "stage",
        "since",
        "source",
        "confidence",
        "uncertain",
    ];
    // `uncertain` may go: stderr already counts the uncertain stages.
    const ESSENTIAL: &'static [&'static str] = &["partner", "name", "agreement", "stage", "since"];

    fn cells(&self) -> Vec<String> {
        let agreements = self
            .agreements
            .iter()
            .map(|a| match (&a.stage, &a.since) {
                (Some(stage), Some(since)) => format!("{} ({stage} {since})", a.agreement),
                _ => format!("{} (no events)", a.agreement),
            })
            .collect::<Vec<_>>()
            .join("; ");
        vec![
            self.partner.clone(),
            self.name.clone(),
            self.kind.clone(),
            opt(&self.iso),
            agreements,
            opt(&self.agreement),
            opt(&self.stage),
            opt(&self.since),
            opt(&self.precision),
            opt(&self.source),
            // Nothing to be uncertain about without an agreement's stage.
            if self.stage.is_some() {
                self.uncertain.to_string()
            } else {
                String::new()
            },
            opt(&self.confidence),
        ]
    }
}
