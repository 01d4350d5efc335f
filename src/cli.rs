//! The command line: clap definitions, and the entry point that turns a
//! result into output and an exit code.
//!
//! Arguments are parsed here and handed to `commands` as plain values; no
//! command parses arguments itself.

use std::io::IsTerminal;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::error::{Error, ExitCode};

/// Track migration-policy documents, provisions, agencies and partner
/// agreements of Kazakhstan and the EAEU.
#[derive(Debug, Parser)]
#[command(name = "lextrack", version, about, long_about = None)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct Global {
    /// The store to use. Commands that read a store that does not exist
    /// create it from the bundled catalog first.
    #[arg(
        long,
        global = true,
        env = "LEXTRACK_DB",
        default_value = "lextrack.db"
    )]
    pub db: PathBuf,

    /// The date that counts as today for "as of now" questions and for
    /// `check`'s dates-in-the-future test (YYYY-MM-DD). Default: the
    /// system date.
    #[arg(long, value_parser = crate::date::parse_day, global = true, env = "LEXTRACK_TODAY", value_name = "DATE")]
    pub today: Option<NaiveDate>,
}

impl Global {
    pub fn today(&self) -> NaiveDate {
        self.today
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the store and load the bundled catalog into it.
    Init {
        /// Create an empty store, without the bundled catalog.
        #[arg(long)]
        empty: bool,
        /// Replace an existing store.
        #[arg(long)]
        force: bool,
    },
    /// Validate catalog files and write them to the store in one transaction.
    Import {
        /// Catalog files (.toml, .json) or folders of them.
        #[arg(required = true, value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// Validate and report what would change, without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write the store out as catalog files.
    Export {
        /// The file format to write.
        #[arg(long, value_enum, default_value_t = ExportFormat::Toml)]
        format: ExportFormat,
        /// The folder to write into (created if missing).
        #[arg(long, default_value = "export")]
        out: PathBuf,
        /// Write into a non-empty folder that an earlier export did not create.
        #[arg(long)]
        force: bool,
    },
    /// Report on the store's integrity; exits 1 when it finds errors.
    Check {
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        format: ReportFormat,
    },
    /// Obligations by agency, document, direction, modality, status or date.
    Obligations(crate::commands::obligations::Args),
    /// Partner agreements: current stage, stage as of a date, history.
    Agreements(crate::commands::agreements::Args),
    /// One row per partner: its agreements, current stage, since when.
    Partners(crate::commands::partners::Args),
    /// Traceability: directions x provisions, with the gaps.
    Trace(crate::commands::trace::Args),
    /// Full-text search over titles, provisions, notes and agency names.
    Search(crate::commands::search::Args),
    /// Any entity by ID, with its relations.
    Show(crate::commands::show::Args),
    /// Append a fact: an agreement status event or an obligation status change.
    Record(crate::commands::record::Args),
    /// Build the static HTML site of reports.
    Report(crate::commands::report::Args),
    /// Print the JSON Schema of catalog files.
    Schema,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Toml,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

/// Parses the command line, runs the command and returns the exit code.
/// Errors are printed on stderr as one line per cause; a closed stdout
/// (`| head`) ends the run quietly.
pub fn main() -> std::process::ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                ExitCode::Usage
            } else {
                ExitCode::Ok
            };
            let _ = e.print();
            return std::process::ExitCode::from(code as u8);
        }
    };
    limit_malloc_arenas();
    // One thread: SQLite's own threads (one per connection) already run
    // beside it, so the report's read-ahead overlaps rendering; more
    // runtime threads measured no faster and raised peak memory (each
    // thread's allocations go to an arena of its own).
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return std::process::ExitCode::from(ExitCode::Failure as u8);
        }
    };
    let result = runtime.block_on(crate::commands::run(cli));
    let code = match result {
        Ok(code) => code,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => {
            ExitCode::Ok
        }
        Err(e) => {
            report(&e);
            e.exit_code()
        }
    };
    std::process::ExitCode::from(code as u8)
}

/// Threads here hand buffers to one another (SQLite's threads read,
/// one decodes, the main thread renders, one writes pages). glibc gives
/// each thread an arena of its own and keeps what is freed there for that
/// arena, so the same bytes end up reserved several times over: one arena
/// halved the report's peak memory at 100 000 pages (see
/// docs/performance.md). Must run before any thread starts. glibc's own
/// `MALLOC_ARENA_MAX`, when set, is left to rule.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets a tuning parameter of glibc's
        // allocator; it is called before any other thread exists.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}

fn report(e: &Error) {
    let mut msg = format!("error: {e}");
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        // Some errors (sqlx's among them) already end their own message
        // with their cause's.
        let text = c.to_string();
        if !msg.ends_with(&text) {
            msg.push_str(&format!(": {text}"));
        }
        cause = c.source();
    }
    eprintln!("{msg}");
}

/// Whether to draw progress bars: only for a person watching a terminal.
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_sound() {
        Cli::command().debug_assert();
    }
}
