//! `lextrack record`: append a fact without editing files: an agreement
//! status event, or an obligation status change. Facts are validated like
//! an import; history is only ever appended to, and `lextrack export`
//! writes what was recorded back into catalog files.

use super::with_store;
use crate::catalog::model::{Confidence, ObligationStatus, Stage};
use crate::cli::Global;
use crate::date::PartialDate;
use crate::error::{Error, ExitCode, Result};
use crate::output::{Format, print_rows};
use crate::queries::{NewEvent, NewObligationStatus};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub what: What,
}

#[derive(Debug, clap::Subcommand)]
pub enum What {
    /// A new status event of an agreement.
    Event {
        /// The agreement (document ID).
        #[arg(long)]
        agreement: String,
        #[arg(long, value_parser = parse_stage)]
        stage: Stage,
        /// YYYY, YYYY-MM or YYYY-MM-DD: as precise as the source, no more.
        #[arg(long, value_parser = parse_date)]
        date: PartialDate,
        /// The party the event concerns (ID, name or ISO code), when it
        /// differs between parties; default: the agreement as a whole.
        #[arg(long)]
        party: Option<String>,
        /// The source (ID from the bibliography).
        #[arg(long)]
        source: String,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, value_parser = parse_confidence, default_value = "verified")]
        confidence: Confidence,
        /// Record it even though it contradicts the history; needs --note.
        #[arg(long)]
        force: bool,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// A status change of an obligation.
    Obligation {
        /// The obligation (ID).
        #[arg(long)]
        obligation: String,
        #[arg(long, value_parser = parse_status)]
        status: ObligationStatus,
        /// YYYY, YYYY-MM or YYYY-MM-DD.
        #[arg(long, value_parser = parse_date)]
        date: PartialDate,
        #[arg(long)]
        source: String,
        #[arg(long)]
        note: Option<String>,
        /// How far the change can be trusted: an inferred one is
        /// `unverified`.
        #[arg(long, value_parser = parse_confidence, default_value = "verified")]
        confidence: Confidence,
        /// Record it even though it is dated before the last recorded
        /// change; needs --note.
        #[arg(long)]
        force: bool,
    },
}

fn parse_stage(s: &str) -> std::result::Result<Stage, String> {
    s.parse()
}

fn parse_status(s: &str) -> std::result::Result<ObligationStatus, String> {
    s.parse()
}

fn parse_confidence(s: &str) -> std::result::Result<Confidence, String> {
    s.parse()
}

fn parse_date(s: &str) -> std::result::Result<PartialDate, String> {
    s.parse().map_err(|e: crate::date::DateError| e.to_string())
}

pub async fn run(global: &Global, args: Args) -> Result<ExitCode> {
    match args.what {
        What::Event {
            agreement,
            stage,
            date,
            party,
            source,
            note,
            confidence,
            force,
            format,
        } => {
            let (entry, forced) = with_store(global, async |store| {
                // A name no partner answers to is one problem among the
                // event's others, which are listed with it; a name several
                // answer to is a usage error, reported alone.
                let (party, unknown_party) = match party {
                    Some(p) => match store.resolve_partner(&p).await {
                        Ok(id) => (Some(id), None),
                        Err(e @ Error::NotFound { .. }) => (None, Some(e.to_string())),
                        Err(e) => return Err(e),
                    },
                    None => (None, None),
                };
                let event = NewEvent {
                    agreement,
                    party,
                    unknown_party,
                    stage,
                    date,
                    source,
                    note,
                    confidence,
                    force,
                };
                store.record_event(&event, global.today()).await
            })
            .await?;
            eprintln!(
                "recorded: {} {} on {}{}",
                entry.agreement,
                entry.stage,
                entry.date,
                if forced { " (forced)" } else { "" }
            );
            print_rows(&[entry], format, "")?;
        }
        What::Obligation {
            obligation,
            status,
            date,
            source,
            note,
            confidence,
            force,
        } => {
            let change = NewObligationStatus {
                obligation,
                status,
                date,
                source,
                note,
                confidence,
                force,
            };
            let forced = with_store(global, async |store| {
                store
                    .record_obligation_status(&change, global.today())
                    .await
            })
            .await?;
            eprintln!(
                "recorded: obligation {} {} on {}{}",
                change.obligation,
                change.status,
                change.date,
                if forced { " (forced)" } else { "" }
            );
        }
    }
    Ok(ExitCode::Ok)
}
