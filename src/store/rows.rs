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
