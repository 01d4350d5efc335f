//! `lextrack agreements`: where each partner agreement stands, on today or
//! on any day, derived from its event history; `--history` prints the
//! events themselves.

use chrono::NaiveDate;

use super::with_store;
use crate::catalog::model::Stage;
use crate::cli::Global;
use crate::error::{ExitCode, Result};
use crate::output::{Format, Tabular, opt, print_rows};
use crate::queries::{AgreementQuery, AgreementStatus, TimelineEntry};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The partner: ID, name in any language, alias or ISO code.
    #[arg(long)]
    pub partner: Option<String>,
    /// One agreement (document ID).
    #[arg(long)]
    pub agreement: Option<String>,
    /// Only agreements at this stage (certainly reached) on the day asked.
    #[arg(long, value_parser = parse_stage)]
    pub stage: Option<Stage>,
    /// The day to derive the stage for (YYYY-MM-DD). Default: today.
    #[arg(long, value_parser = crate::date::parse_day, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Only agreements with an event that may fall on or after this day.
    #[arg(long, value_parser = crate::date::parse_day, value_name = "DATE")]
    pub changed_since: Option<NaiveDate>,
    /// Print each agreement's timeline (events with their sources) instead
    /// of its stage.
    #[arg(long)]
    pub history: bool,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_stage(s: &str) -> std::result::Result<Stage, String> {
    s.parse()
}

pub async fn run(global: &Global, args: Args) -> Result<ExitCode> {
    let mut q = AgreementQuery::new(args.as_of.unwrap_or_else(|| global.today()));
    q.agreement = args.agreement;
    q.stage = args.stage;
    q.changed_since = args.changed_since;
    // One of the two is read: the events with --history, else the rows.
    let (events, rows) = with_store(global, async |store| {
        q.partner = match &args.partner {
            Some(name) => Some(store.resolve_partner(name).await?),
            None => None,
        };
        if args.history {
            Ok((store.agreement_history(&q).await?, Vec::new()))
        } else {
            Ok((Vec::new(), store.agreements(&q).await?))
        }
    })
    .await?;
    if args.history {
        print_rows(&events, args.format, "no agreement events match")?;
    } else {
        note_uncertain(&rows);
        print_rows(&rows, args.format, "no agreements match")?;
    }
    Ok(ExitCode::Ok)
}

/// Tells the reader on stderr when a stage may already have moved on.
pub(crate) fn note_uncertain(rows: &[AgreementStatus]) {
    let n = rows.iter().filter(|r| r.uncertain).count();
    if n > 0 {
        eprintln!(
            "note: {n} stage{} uncertain on {}: a later event is dated only to a month or year that has not ended (see possible_stage)",
            if n == 1 { " is" } else { "s are" },
            rows[0].as_of.format("%Y-%m-%d")
        );
    }
}

impl Tabular for AgreementStatus {
    const COLUMNS: &'static [&'static str] = &[
        "partner",
        "partner_name",
        "agreement",
        "title",
        "instrument",
        "as_of",
        "stage",
        "since",
        "precision",
        "source",
        "uncertain",
        "possible_stage",
        "possible_since",
        "confidence",
    ];
    const TABLE: &'static [&'static str] = &[
        "partner",
        "agreement",
        "instrument",
        "stage",
        "since",
        "precision",
        "source",
        "confidence",
        "uncertain",
        "possible_stage",
        "possible_since",
    ];
    const ESSENTIAL: &'static [&'static str] =
        &["partner", "agreement", "stage", "since", "uncertain"];

    fn cells(&self) -> Vec<String> {
        vec![
            opt(&self.partner),
            opt(&self.partner_name),
            self.agreement.clone(),
            self.title.clone(),
            self.instrument.clone(),
            self.as_of.format("%Y-%m-%d").to_string(),
            opt(&self.stage),
            opt(&self.since),
            opt(&self.precision),
            opt(&self.source),
            self.uncertain.to_string(),
            opt(&self.possible_stage),
            opt(&self.possible_since),
            opt(&self.confidence),
        ]
    }
}

impl Tabular for TimelineEntry {
    const COLUMNS: &'static [&'static str] = &[
        "agreement",
        "partner",
        "seq",
        "stage",
        "date",
        "precision",
        "source",
        "source_title",
        "note",
        "confidence",
    ];
    const TABLE: &'static [&'static str] = &[
        "agreement",
        "partner",
        "stage",
        "date",
        "precision",
        "source",
        "note",
        "confidence",
    ];
    const ESSENTIAL: &'static [&'static str] = &["agreement", "partner", "stage", "date"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.agreement.clone(),
            opt(&self.partner),
            self.seq.to_string(),
            self.stage.to_string(),
            self.date.to_string(),
            self.precision.to_string(),
            self.source.clone(),
            self.source_title.clone(),
            opt(&self.note),
            self.confidence.to_string(),
        ]
    }
}
