//! Reading typed values out of rows: enums and dates are stored as text,
//! and a value the store should never hold is a decode error naming the
//! column, not a panic.

use std::str::FromStr;

use sqlx::sqlite::SqliteRow;
use sqlx::{Decode, Row, Sqlite, Type};

use crate::date::PartialDate;
use crate::error::{Error, Result};

fn decode_error(column: &str, e: impl std::fmt::Display) -> Error {
    Error::Db {
        context: format!("reading column `{column}`"),
        source: sqlx::Error::Decode(e.to_string().into()),
    }
}

pub fn get<'r, T>(row: &'r SqliteRow, column: &str) -> Result<T>
where
    T: Decode<'r, Sqlite> + Type<Sqlite>,
{
    row.try_get(column).map_err(|e| decode_error(column, e))
}

pub fn parse<T>(row: &SqliteRow, column: &str) -> Result<T>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    let text: String = get(row, column)?;
    text.parse().map_err(|e| decode_error(column, e))
}

pub fn parse_opt<T>(row: &SqliteRow, column: &str) -> Result<Option<T>>
where
    T: FromStr,
    T::Err: std::fmt::Display,
{
    let text: Option<String> = get(row, column)?;
    text.map(|t| t.parse().map_err(|e| decode_error(column, e)))
        .transpose()
}

pub fn opt_date(row: &SqliteRow, column: &str) -> Result<Option<PartialDate>> {
    parse_opt(row, column)
}

pub fn req_date(row: &SqliteRow, column: &str) -> Result<PartialDate> {
    parse(row, column)
}

/// How many of the listed documents (ID, provision count), from the front,
/// make the next batch: as many as fit `budget` provisions, and always at
/// least one, so that a document larger than the budget is read alone.
pub fn batch_len<'a>(listed: impl IntoIterator<Item = &'a (String, i64)>, budget: i64) -> usize {
    let mut take = 0;
    let mut total = 0;
    for (_, n) in listed {
        if take > 0 && total + n > budget {
            break;
        }
        total += n;
        take += 1;
    }
    take
}

/// Lists keyed by ID, handed over one at a time in ID order by a task that
/// reads them in one pass (see [`crate::store::Store::own_obligations_by_agency`]
/// and [`crate::store::Store::site_links_by_direction`]): the reader holds
/// at most a couple of lists however large the corpus.
pub struct Grouped<T> {
    groups: tokio::sync::mpsc::Receiver<Result<(String, Vec<T>)>>,
    /// The next list, read but not yet asked for.
    next: Option<(String, Vec<T>)>,
}

/// Lists waiting to be asked for, at most.
const GROUPS_QUEUED: usize = 2;

impl<T: Send + 'static> Grouped<T> {
    /// Runs `read` on its own task, which sends each list in ID order
    /// through the sender it is given and returns its first error.
    pub fn spawn<F, Fut>(read: F) -> Grouped<T>
    where
        F: FnOnce(tokio::sync::mpsc::Sender<Result<(String, Vec<T>)>>) -> Fut,
        Fut: std::future::Future<Output = Result<()>> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::mpsc::channel(GROUPS_QUEUED);
        let task = read(tx.clone());
        tokio::spawn(async move {
            if let Err(e) = task.await {
                // The receiver may be gone already; then nobody is waiting.
                let _ = tx.send(Err(e)).await;
            }
        });
        Grouped {
            groups: rx,
            next: None,
        }
    }

    /// The list of `id` (empty if it has none). IDs must be asked for in
    /// ascending order; lists passed over are dropped.
    pub async fn of(&mut self, id: &str) -> Result<Vec<T>> {
        loop {
            if self.next.is_none() {
                match self.groups.recv().await {
                    Some(group) => self.next = Some(group?),
                    None => return Ok(Vec::new()),
                }
            }
            match &self.next {
                Some((key, _)) if key.as_str() < id => self.next = None,
                Some((key, _)) if key == id => {
                    return Ok(self.next.take().map(|(_, rows)| rows).unwrap_or_default());
                }
                _ => return Ok(Vec::new()),
            }
        }
    }
}

/// Decodes JSON that SQLite assembled (`json_group_array` and the like);
/// a failure is the store's, named by `what`.
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Db {
        context: format!("reading {what} assembled by SQLite"),
        source: sqlx::Error::Decode(Box::new(e)),
    })
}

#[cfg(test)]
mod tests {
    use super::batch_len;

    #[test]
    fn batches_fill_the_budget_and_take_a_large_document_alone() {
        let list: Vec<(String, i64)> = [3, 4, 2, 10, 1]
            .iter()
            .enumerate()
            .map(|(i, n)| (format!("d{i}"), *n))
            .collect();
        assert_eq!(batch_len(&list, 7), 2);
        assert_eq!(batch_len(&list[2..], 7), 1);
        assert_eq!(batch_len(&list[3..], 7), 1);
        assert_eq!(batch_len(&list, 100), 5);
        assert_eq!(batch_len(&list[..0], 7), 0);
    }
}
