//! Partial dates: a year, a month or a day, as legal sources give them.
//!
//! A source that says "signed in June 2015" must never become 2015-06-01 in
//! the store. [`PartialDate`] keeps the precision the source gave and answers
//! the two questions that queries need: the earliest and the latest day the
//! date can stand for.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// How much of a date the source gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

impl Precision {
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Year => "year",
            Precision::Month => "month",
            Precision::Day => "day",
        }
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A date known to a year (`2015`), a month (`2015-06`) or a day (`2015-06-30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

impl PartialDate {
    pub fn day(date: NaiveDate) -> Self {
        PartialDate {
            year: date.year(),
            month: Some(date.month()),
            day: Some(date.day()),
        }
    }

    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        }
    }

    /// The first day this date can stand for.
    pub fn earliest(&self) -> NaiveDate {
        let month = self.month.unwrap_or(1);
        let day = self.day.unwrap_or(1);
        NaiveDate::from_ymd_opt(self.year, month, day).expect("validated on construction")
    }

    /// The last day this date can stand for.
    pub fn latest(&self) -> NaiveDate {
        match (self.month, self.day) {
            (Some(m), Some(d)) => NaiveDate::from_ymd_opt(self.year, m, d).expect("validated"),
            (Some(m), None) => last_day_of_month(self.year, m),
            (None, _) => NaiveDate::from_ymd_opt(self.year, 12, 31).expect("valid"),
        }
    }

    /// The exact day, when the source gives one.
    pub fn exact(&self) -> Option<NaiveDate> {
        (self.precision() == Precision::Day).then(|| self.earliest())
    }
}

pub fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .expect("month in range")
}

/// Why a date string was refused. The messages are shown to people editing
/// catalog files, so they say what a valid value looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(String);

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DateError {}

impl FromStr for PartialDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || {
            DateError(format!(
                "invalid date `{s}`: expected YYYY, YYYY-MM or YYYY-MM-DD"
            ))
        };
        let parts: Vec<&str> = s.split('-').collect();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let year = match parts.first() {
            Some(y) if digits(y, 4) => y.parse::<i32>().map_err(|_| bad())?,
            _ => return Err(bad()),
        };
        let month = match parts.get(1) {
            None => None,
            Some(m) if digits(m, 2) => {
                let m: u32 = m.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&m) {
                    return Err(DateError(format!(
                        "impossible date `{s}`: there is no month {m}"
                    )));
                }
                Some(m)
            }
            Some(_) => return Err(bad()),
        };
        let day = match parts.get(2) {
            None => None,
            Some(d) if digits(d, 2) => {
                let d: u32 = d.parse().map_err(|_| bad())?;
                let m = month.expect("a day comes after a month");
                if d == 0 {
                    return Err(DateError(format!(
                        "impossible date `{s}`: days start at 01"
                    )));
                }
                if NaiveDate::from_ymd_opt(year, m, d).is_none() {
                    let last = last_day_of_month(year, m).day();
                    return Err(DateError(format!(
                        "impossible date `{s}`: month {m:02} of {year} has {last} days"
                    )));
                }
                Some(d)
            }
            Some(_) => return Err(bad()),
        };
        if parts.len() > 3 {
            return Err(bad());
        }
        Ok(PartialDate { year, month, day })
    }
}

/// Parses an option that names a day (`--today`, `--as-of`…): a whole
/// day `YYYY-MM-DD`, refused with the wording of a catalog date when it is
/// impossible (`2017-02-30`), and told apart from a year or a month.
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    match s.parse::<PartialDate>() {
        Ok(date) if date.precision() == Precision::Day => Ok(date.earliest()),
        Ok(date) => Err(format!(
            "`{s}` is a {}, not a day: expected a whole day YYYY-MM-DD",
            date.precision().as_str()
        )),
        // An impossible day says what is wrong with it.
        Err(e) if e.0.starts_with("impossible") => Err(e.0),
        Err(_) => Err(format!(
            "invalid date `{s}`: expected a whole day YYYY-MM-DD"
        )),
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Orders by earliest day, then by precision (coarser first), so that sorting
/// is total and stable.
impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.earliest(), self.precision(), self.latest()).cmp(&(
            other.earliest(),
            other.precision(),
            other.latest(),
        ))
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // TOML has a native date type; accept it as well as a string, so that
        // `date = 2015-05-29` and `date = "2015-05-29"` mean the same.
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date as YYYY, YYYY-MM or YYYY-MM-DD")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<PartialDate, E> {
                v.parse().map_err(E::custom)
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<PartialDate, E> {
                Err(E::custom(format!(
                    "invalid date {v}: write dates as strings, e.g. \"{v}\""
                )))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<PartialDate, A::Error> {
                // toml's datetime arrives as a one-entry map holding its text.
                let mut text: Option<String> = None;
                while let Some((_k, v)) = map.next_entry::<String, String>()? {
                    text = Some(v);
                }
                let text = text.ok_or_else(|| serde::de::Error::custom("empty date"))?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
        d.deserialize_any(Visitor)
    }
}

impl schemars::JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A date known to a year, a month or a day: YYYY, YYYY-MM or YYYY-MM-DD. Never give a day the source does not give.",
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        s.parse().unwrap()
    }

    #[test]
    fn keeps_the_precision_the_source_gave() {
        assert_eq!(d("2015").precision(), Precision::Year);
        assert_eq!(d("2015-06").precision(), Precision::Month);
        assert_eq!(d("2015-06-30").precision(), Precision::Day);
        assert_eq!(d("2015-06").to_string(), "2015-06");
    }

    #[test]
    fn spans_the_whole_period() {
        assert_eq!(d("2016-02").latest().to_string(), "2016-02-29");
        assert_eq!(d("2015-02").latest().to_string(), "2015-02-28");
        assert_eq!(d("2015").earliest().to_string(), "2015-01-01");
        assert_eq!(d("2015").latest().to_string(), "2015-12-31");
    }

    #[test]
    fn refuses_impossible_dates() {
        let err = "2017-02-30".parse::<PartialDate>().unwrap_err();
        assert!(err.to_string().contains("has 28 days"), "{err}");
        assert!("2017-13".parse::<PartialDate>().is_err());
        let err = "2017-01-00".parse::<PartialDate>().unwrap_err();
        assert!(err.to_string().contains("days start at 01"), "{err}");
        assert!("17-01-01".parse::<PartialDate>().is_err());
        assert!("2017-1-01".parse::<PartialDate>().is_err());
        assert!("2017-01-01-01".parse::<PartialDate>().is_err());
    }

    #[test]
    fn orders_coarser_dates_first() {
        let mut v = vec![d("2015-06-01"), d("2015-06"), d("2015")];
        v.sort();
        assert_eq!(v, vec![d("2015"), d("2015-06"), d("2015-06-01")]);
    }
}
