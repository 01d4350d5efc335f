//! The SQLite store: one [`Store`] owns the connection pool, and every read
//! or write is a method on it returning domain types.
//!
//! The store is opened with explicit options (WAL, foreign keys on, a busy
//! timeout) and the embedded migrations run every time it is opened, so a
//! binary never works on a schema older than itself. Submodules add methods
//! by concern: `import` writes catalogs, `export` reads them back, `check`
//! reports on integrity.

mod check;
mod export;
mod import;
mod query;
mod rows;
pub mod site;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

pub use check::{Finding, FindingGroup, Severity};
pub use import::{ImportReport, TableChange};
pub use query::{AgencyObligations, CoverageCounter, StatusChange};

use crate::error::{DbContext, Error, Result};

/// How long a statement waits for another process's lock before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The migrations in db/migrations, compiled into the binary.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("db/migrations");

/// An open lextrack store.
#[derive(Debug, Clone)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
    options: SqliteConnectOptions,
}

impl Store {
    /// Opens the store at `path`, creating an empty one if there is none,
    /// and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store> {
        if path.exists() {
            refuse_a_foreign_database(path).await?;
        }
        let options = SqliteConnectOptions::from_str("sqlite:")
            .context("building connection options")?
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            // Rows SQLite's thread may run ahead of the reader. Large reads
            // come as a few big rows (JSON arrays of a batch or of an
            // agency's obligations), so sqlx's default of 50 would let
            // tens of megabytes queue up on a large store.
            .row_buffer_size(8);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options.clone())
            .await
            .map_err(|source| Error::Db {
                context: format!("opening the store `{}`", path.display()),
                source,
            })?;
        let store = Store {
            pool,
            path: path.to_path_buf(),
            options,
        };
        if let Err(source) = MIGRATOR.run(&store.pool).await {
            // Closed as any command closes it, so that a refusal leaves the
            // store as one file.
            store.close().await;
            return Err(Error::Migrate {
                path: path.to_path_buf(),
                source,
            });
        }
        Ok(store)
    }

    /// Deletes the store at `path` and the files SQLite keeps beside it.
    pub fn remove(path: &Path) -> Result<()> {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            let p = PathBuf::from(p);
            match std::fs::remove_file(&p) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io("remove", p, e)),
            }
        }
        Ok(())
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes the pool, then opens and closes one connection of its own,
    /// so that the store is left as one file: SQLite removes the
    /// write-ahead log and its index when the last connection to a store
    /// closes.
    ///
    /// sqlx's `Pool::close` can return while a connection is still out
    /// (sqlx issue 3217): one handed back by a task that had not run yet,
    /// or put back in the idle queue after `close` emptied it. Such a
    /// connection used to outlive the command, and every few runs left
    /// `-wal` and `-shm` files behind. So the pool is closed again until it
    /// is empty (each call closes what came back idle), for at most a
    /// second. The lone connection after it then closes last, unless
    /// another process has the store open, when the files must stay.
    /// Failing here changes nothing, so it is not an error.
    pub async fn close(self) {
        use sqlx::Connection;
        let deadline = std::time::Instant::now() + Duration::from_secs(1);
        self.pool.close().await;
        while self.pool.size() > 0 && std::time::Instant::now() < deadline {
            // Lets the task that hands a connection back run.
            tokio::task::yield_now().await;
            self.pool.close().await;
        }
        // Never creating the file: a store moved away meanwhile stays gone.
        let options = self.options.clone().create_if_missing(false);
        if let Ok(conn) = sqlx::SqliteConnection::connect_with(&options).await {
            let _ = conn.close().await;
        }
    }

    /// Writes everything in the WAL into the main file and empties the WAL,
    /// so the main file alone holds the whole store (before it is moved).
    pub async fn checkpoint(&self) -> Result<()> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
            .context(format_args!("checkpointing `{}`", self.path.display()))?;
        Ok(())
    }

    /// Folds the write-ahead log into the store file and empties it, unless
    /// another process is reading the store: then the log stays (it is only
    /// disk space, folded in by a later checkpoint) rather than this
    /// waiting for the reader. Returns whether the log was folded.
    pub async fn fold_log(&self) -> Result<bool> {
        let what = || format!("checkpointing `{}`", self.path.display());
        let mut conn = self.pool.acquire().await.context(what())?;
        sqlx::query("PRAGMA busy_timeout = 0")
            .execute(&mut *conn)
            .await
            .context(what())?;
        // (blocked, frames in the log, frames folded): blocked is 1 when a
        // reader kept the checkpoint from completing.
        let folded: std::result::Result<(i64, i64, i64), _> =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut *conn)
                .await;
        sqlx::query(&format!(
            "PRAGMA busy_timeout = {}",
            BUSY_TIMEOUT.as_millis()
        ))
        .execute(&mut *conn)
        .await
        .context(what())?;
        let (blocked, _, _) = folded.context(what())?;
        Ok(blocked == 0)
    }

    /// How many rows each table holds, in schema order.
    pub async fn counts(&self) -> Result<Vec<(&'static str, i64)>> {
        let mut out = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            // Table names come from the constant list above, never from input.
            let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
                .fetch_one(&self.pool)
                .await
                .context(format_args!("counting rows of {table}"))?;
            out.push((*table, n));
        }
        Ok(out)
    }
}

/// Refuses a database with tables but no migration history: another
/// program's, which migrating would fill with lextrack's tables (and turn
/// to WAL mode). It is read through a read-only connection that sets no
/// pragma, so the check itself changes nothing.
pub(crate) async fn refuse_a_foreign_database(path: &Path) -> Result<()> {
    use sqlx::Connection;
    let what = || format!("opening the store `{}`", path.display());
    let options = SqliteConnectOptions::from_str("sqlite:")
        .context("building connection options")?
        .filename(path)
        .read_only(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&options)
        .await
        .context(what())?;
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_schema WHERE type = 'table'")
            .fetch_all(&mut conn)
            .await
            .context(what())?;
    let _ = conn.close().await;
    if !tables.is_empty() && !tables.iter().any(|t| t == "_sqlx_migrations") {
        return Err(Error::NotAStore {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// The store's tables, parents before children.
pub const TABLES: &[&str] = &[
    "sources",
    "agencies",
    "agency_successions",
    "partners",
    "documents",
    "document_relations",
    "provisions",
    "frameworks",
    "framework_nodes",
    "provision_links",
    "obligations",
    "obligation_events",
    "agreement_parties",
    "agreement_events",
    "claims",
    "indicators",
    "indicator_values",
];
