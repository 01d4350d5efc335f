//! The library's error type and the exit codes it maps to.
//!
//! Messages are lowercase phrases that say what was being done and on what;
//! `main` prints the whole chain on one line. Exit codes are part of the
//! interface (docs/cli.md): 0 ok, 1 problems found in the data, 2 usage,
//! 3 the environment failed (a file or the database).

use std::fmt;
use std::path::PathBuf;

use crate::diagnostics::Diagnostics;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Catalog input that failed validation; nothing was written.
    #[error("{0}")]
    Invalid(Diagnostics),

    /// The user asked for something that is not there.
    #[error("{what} `{name}` not found{}", suggest(.suggestions))]
    NotFound {
        what: &'static str,
        name: String,
        suggestions: Vec<String>,
    },

    /// The command line asks for something that cannot be done as asked.
    #[error("{0}")]
    Usage(String),

    #[error("could not {action} `{}`", .path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("database error while {context}")]
    Db {
        context: String,
        #[source]
        source: sqlx::Error,
    },

    #[error("could not apply the store's migrations to `{}`", .path.display())]
    Migrate {
        path: PathBuf,
        #[source]
        source: sqlx::migrate::MigrateError,
    },

    /// `--db` names an SQLite database of another program: lextrack
    /// refuses to add its tables to it.
    #[error(
        "`{}` is an SQLite database but not a lextrack store (it has tables and no migration history of lextrack's); nothing was changed",
        .path.display()
    )]
    NotAStore { path: PathBuf },

    /// `init --force` names a file that is no database at all.
    #[error(
        "`{}` is not an SQLite database, so not a lextrack store that --force may replace; nothing was changed",
        .path.display()
    )]
    NotADatabase { path: PathBuf },

    /// A task run beside the main one (reading ahead) panicked or was
    /// cancelled: a bug, not bad input.
    #[error("a background task failed while {what}")]
    Task {
        what: &'static str,
        #[source]
        source: tokio::task::JoinError,
    },

    /// A thread of our own (writing pages) panicked: a bug, not bad input.
    #[error("a background thread panicked while {what}")]
    Panicked { what: &'static str },

    #[error("could not encode {what}")]
    Encode {
        what: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

fn suggest(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("; did you mean `{one}`?"),
        many => format!(
            "; did you mean one of: {}?",
            many.iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// Exit codes, documented in docs/cli.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    Ok = 0,
    Problems = 1,
    Usage = 2,
    Failure = 3,
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Invalid(_) | Error::NotFound { .. } => ExitCode::Problems,
            Error::Usage(_) => ExitCode::Usage,
            Error::Io { .. }
            | Error::Db { .. }
            | Error::Migrate { .. }
            | Error::NotAStore { .. }
            | Error::NotADatabase { .. }
            | Error::Task { .. }
            | Error::Panicked { .. }
            | Error::Encode { .. } => ExitCode::Failure,
        }
    }

    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}

/// Adds "while doing X" to database results, so that every database call
/// says what it was for.
pub trait DbContext<T> {
    fn context(self, what: impl fmt::Display) -> Result<T>;
}

impl<T> DbContext<T> for std::result::Result<T, sqlx::Error> {
    fn context(self, what: impl fmt::Display) -> Result<T> {
        self.map_err(|source| Error::Db {
            context: what.to_string(),
            source,
        })
    }
}
