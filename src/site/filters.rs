//! Filters the templates use. None of them marks text as safe: their output
//! is escaped like any other value.

use std::fmt::Display;

/// A stored enum value in words: `in_force` → `in force`.
#[askama::filter_fn]
pub fn label(value: impl Display, _env: &dyn askama::Values) -> askama::Result<String> {
    Ok(super::view::label(&value.to_string()))
}

/// An ID as it appears in file names and in the anchors of records.
#[askama::filter_fn]
pub fn slug(value: impl Display, _env: &dyn askama::Values) -> askama::Result<String> {
    Ok(super::view::slug(&value.to_string()))
}

/// A provision's eId as the fragment of its place on its document's page.
#[askama::filter_fn]
pub fn anchor(eid: impl Display, _env: &dyn askama::Values) -> askama::Result<String> {
    Ok(super::view::anchor(&eid.to_string()))
}

/// A provision's place in its document, from its eId: `art. 96 para 1`.
#[askama::filter_fn]
pub fn provision(eid: impl Display, _env: &dyn askama::Values) -> askama::Result<String> {
    Ok(super::view::provision_label(&eid.to_string()))
}

/// The address when it is http(s), else nothing: other schemes are shown
/// as text and never linked.
#[askama::filter_fn]
pub fn safe_url(value: impl Display, _env: &dyn askama::Values) -> askama::Result<Option<String>> {
    let url = value.to_string();
    Ok(super::view::safe_url(&url).map(str::to_owned))
}

/// A number for reading: whole numbers without a fraction, with thin
/// grouping; others with up to two decimals.
#[askama::filter_fn]
pub fn num(value: &f64, _env: &dyn askama::Values) -> askama::Result<String> {
    Ok(super::view::number(*value))
}

/// The preposition before a date as precise as its source: "on" a day,
/// "in" a month or a year ("transferred in 2017", never "on 2017").
#[askama::filter_fn]
pub fn on_or_in(date: impl Display, _env: &dyn askama::Values) -> askama::Result<&'static str> {
    // `YYYY-MM-DD` is the only form with a day.
    Ok(if date.to_string().len() == 10 {
        "on"
    } else {
        "in"
    })
}
