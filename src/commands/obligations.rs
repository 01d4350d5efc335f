//! `lextrack obligations`: what agencies owe, under which provision.
//!
//! Filters combine. `--agency` takes any name the agency answers to and
//! also lists what it inherited from its predecessors, marked as such.

use chrono::NaiveDate;

use super::with_store;
use crate::catalog::model::{Modality, ObligationStatus};
use crate::cli::Global;
use crate::error::{ExitCode, Result};
use crate::output::{Format, RowWriter, Tabular, list, opt};
use crate::queries::{ObligationQuery, ObligationRow};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The agency: ID, name in any language, abbreviation or alias.
    #[arg(long)]
    pub agency: Option<String>,
    /// With --agency: also the agencies under it (a ministry's committees).
    #[arg(long, requires = "agency")]
    pub with_subordinates: bool,
    /// Only obligations of this document (ID).
    #[arg(long)]
    pub document: Option<String>,
    /// Only obligations under provisions linked to this framework node (a
    /// direction, or a goal and everything under it).
    #[arg(long)]
    pub direction: Option<String>,
    /// Only this modality: duty, power, right, permission or prohibition.
    #[arg(long, value_parser = parse_modality)]
    pub modality: Option<Modality>,
    /// Only this status today (see --today): pending, active, fulfilled,
    /// overdue, suspended, lapsed or repealed.
    #[arg(long, value_parser = parse_status)]
    pub status: Option<ObligationStatus>,
    /// Only obligations whose document and provision are certainly in force
    /// on this day (YYYY-MM-DD).
    #[arg(long, value_parser = crate::date::parse_day, value_name = "DATE")]
    pub in_force_on: Option<NaiveDate>,
    /// Only obligations due before this day: a due date that certainly
    /// falls before it, or a recurrence whose next occurrence does.
    #[arg(long, value_parser = crate::date::parse_day, value_name = "DATE")]
    pub due_before: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_modality(s: &str) -> std::result::Result<Modality, String> {
    s.parse()
}

fn parse_status(s: &str) -> std::result::Result<ObligationStatus, String> {
    s.parse()
}

pub async fn run(global: &Global, args: Args) -> Result<ExitCode> {
    let mut q = ObligationQuery::new(global.today());
    q.with_subordinates = args.with_subordinates;
    q.document = args.document;
    q.direction = args.direction;
    q.modality = args.modality;
    q.status = args.status;
    q.in_force_on = args.in_force_on;
    q.due_before = args.due_before;
    // Rows are printed as they are read: JSON and CSV of a national
    // registry's million obligations never sit in memory whole.
    let mut out = RowWriter::new(args.format);
    with_store(global, async |store| {
        q.agency = match &args.agency {
            Some(name) => Some(store.resolve_agency(name).await?),
            None => None,
        };
        store.each_obligation(&q, |row| out.write(&row)).await
    })
    .await?;
    out.finish("no obligations match")?;
    Ok(ExitCode::Ok)
}

impl Tabular for ObligationRow {
    const COLUMNS: &'static [&'static str] = &[
        "id",
        "agency",
        "agency_name",
        "role",
        "modality",
        "action",
        "document",
        "document_title",
        "provision",
        "provision_number",
        "due",
        "next_due",
        "status",
        "status_since",
        "status_source",
        "status_confidence",
        "status_note",
        "directions",
        "source",
        "confidence",
        "inherited_from",
        "inherited_on",
        "inherited_how",
        "inherited_functions",
    ];
    const TABLE: &'static [&'static str] = &[
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
        "inherited_from",
        "inherited_on",
        "inherited_how",
    ];
    const ESSENTIAL: &'static [&'static str] =
        &["agency", "action", "document", "provision", "due", "status"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.id.clone(),
            self.agency.clone(),
            self.agency_name.clone(),
            self.role.to_string(),
            self.modality.to_string(),
            self.action.clone(),
            self.document.clone(),
            self.document_title.clone(),
            self.provision.clone(),
            opt(&self.provision_number),
            opt(&self.due),
            opt(&self.next_due),
            self.status.to_string(),
            opt(&self.status_since),
            opt(&self.status_source),
            self.status_confidence
                .map(|c| c.to_string())
                .unwrap_or_default(),
            opt(&self.status_note),
            list(&self.directions),
            self.source.clone(),
            self.confidence.to_string(),
            opt(&self.inherited_from),
            opt(&self.inherited_on),
            self.inherited_how
                .map(|k| k.to_string())
                .unwrap_or_default(),
            opt(&self.inherited_functions),
        ]
    }
}
