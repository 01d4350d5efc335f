//! SVG drawings, by our own code: an agreement's timeline and an
//! indicator's chart. Geometry is computed here; the markup is an askama
//! template with HTML escaping on, so labels from the catalog are escaped
//! like everywhere else. Numbers are rounded to one decimal so that output
//! is byte-stable.

use askama::Template;
use chrono::{Datelike, NaiveDate};

/// One step of a timeline.
pub struct TimelineEvent {
    pub date: String,
    pub earliest: NaiveDate,
    pub latest: NaiveDate,
    pub stage: String,
    pub party: Option<String>,
    pub uncertain_day: bool,
    pub confidence: String,
}

/// A row of the drawing.
pub struct Bar {
    pub y: f64,
    pub text_y: f64,
    pub x: f64,
    pub width: f64,
    pub cx: f64,
    pub label: String,
    pub title: String,
    pub exact: bool,
    pub class: &'static str,
}

pub struct Tick {
    pub x: f64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "_timeline.svg", escape = "html")]
pub struct Timeline {
    pub id: String,
    pub title: String,
    pub width: f64,
    pub height: f64,
    pub axis_y: f64,
    pub left: f64,
    pub right: f64,
    pub bars: Vec<Bar>,
    pub ticks: Vec<Tick>,
    pub today_x: f64,
}

impl askama::filters::HtmlSafe for Timeline {}

fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

const WIDTH: f64 = 720.0;
const LEFT: f64 = 250.0;
const RIGHT: f64 = 700.0;
const ROW: f64 = 24.0;
const TOP: f64 = 10.0;

impl Timeline {
    /// A timeline of `events` (in date order) up to `today`.
    pub fn new(id: String, title: String, events: &[TimelineEvent], today: NaiveDate) -> Timeline {
        let first = events
            .iter()
            .map(|e| e.earliest.year())
            .min()
            .unwrap_or(today.year());
        let last = events
            .iter()
            .map(|e| e.latest.year())
            .max()
            .unwrap_or(today.year())
            .max(today.year());
        let start = NaiveDate::from_ymd_opt(first, 1, 1).expect("valid");
        let end = NaiveDate::from_ymd_opt(last + 1, 1, 1).expect("valid");
        let span = (end - start).num_days().max(1) as f64;
        let x = |d: NaiveDate| LEFT + (RIGHT - LEFT) * ((d - start).num_days() as f64 / span);
        let bars = events
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let y = TOP + ROW * i as f64;
                let x0 = x(e.earliest);
                let x1 = x(e.latest.succ_opt().unwrap_or(e.latest));
                let party = e
                    .party
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default();
                Bar {
                    y: r1(y + 6.0),
                    text_y: r1(y + 15.0),
                    x: r1(x0),
                    width: r1((x1 - x0).max(3.0)),
                    cx: r1((x0 + x1) / 2.0),
                    label: format!("{} {}{party}", e.date, super::view::label(&e.stage)),
                    title: format!(
                        "{}: {}{party}{}{}",
                        e.date,
                        super::view::label(&e.stage),
                        if e.uncertain_day {
                            ", date known only to its month or year"
                        } else {
                            ""
                        },
                        if e.confidence == "verified" {
                            String::new()
                        } else {
                            format!(", {}", e.confidence)
                        }
                    ),
                    exact: !e.uncertain_day,
                    class: match e.confidence.as_str() {
                        "verified" => "ev",
                        "secondary" => "ev ev-secondary",
                        _ => "ev ev-unverified",
                    },
                }
            })
            .collect::<Vec<_>>();
        let axis_y = TOP + ROW * bars.len() as f64 + 6.0;
        let years = last + 1 - first;
        let step = ((years as f64 / 8.0).ceil() as i32).max(1);
        let ticks = (first..=last + 1)
            .filter(|y| (y - first) % step == 0)
            .map(|y| Tick {
                x: r1(x(NaiveDate::from_ymd_opt(y, 1, 1).expect("valid"))),
                label: y.to_string(),
            })
            .collect();
        Timeline {
            id,
            title,
            width: WIDTH,
            height: r1(axis_y + 24.0),
            axis_y: r1(axis_y),
            left: LEFT,
            right: RIGHT,
            today_x: r1(x(today)),
            bars,
            ticks,
        }
    }
}

/// One point of a chart.
pub struct Point {
    pub x: f64,
    pub y: f64,
    pub title: String,
    pub hollow: bool,
    pub class: &'static str,
}

pub struct YTick {
    pub y: f64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "_chart.svg", escape = "html")]
pub struct Chart {
    pub id: String,
    pub title: String,
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub bottom: f64,
    pub zero_y: Option<f64>,
    pub path: String,
    pub points: Vec<Point>,
    pub xticks: Vec<Tick>,
    pub yticks: Vec<YTick>,
}

impl askama::filters::HtmlSafe for Chart {}

/// A value of a series: its period and value.
pub struct ChartValue {
    pub period: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub value: f64,
    pub derived: bool,
    pub confidence: String,
}

impl Chart {
    pub fn new(id: String, title: String, unit: &str, values: &[ChartValue]) -> Chart {
        let (left, right, top, bottom) = (80.0, 700.0, 12.0, 250.0);
        let first = values.iter().map(|v| v.start).min();
        let last = values.iter().map(|v| v.end).max();
        let (start, end) = match (first, last) {
            (Some(a), Some(b)) => (
                NaiveDate::from_ymd_opt(a.year(), 1, 1).expect("valid"),
                NaiveDate::from_ymd_opt(b.year() + 1, 1, 1).expect("valid"),
            ),
            _ => (
                NaiveDate::from_ymd_opt(2000, 1, 1).expect("valid"),
                NaiveDate::from_ymd_opt(2001, 1, 1).expect("valid"),
            ),
        };
        let span = (end - start).num_days().max(1) as f64;
        let x = |d: NaiveDate| left + (right - left) * ((d - start).num_days() as f64 / span);
        let lo = values.iter().map(|v| v.value).fold(0.0_f64, f64::min);
        let hi = values.iter().map(|v| v.value).fold(0.0_f64, f64::max);
        let (lo, hi, step) = nice_range(lo, hi);
        let y = |v: f64| bottom - (bottom - top) * ((v - lo) / (hi - lo));
        let points: Vec<Point> = values
            .iter()
            .map(|v| {
                let mid = v.start + (v.end - v.start) / 2;
                Point {
                    x: r1(x(mid)),
                    y: r1(y(v.value)),
                    title: format!(
                        "{}: {} {unit}{}{}",
                        v.period,
                        super::view::number(v.value),
                        if v.derived { " (derived)" } else { "" },
                        if v.confidence == "verified" {
                            String::new()
                        } else {
                            format!(", {}", v.confidence)
                        }
                    ),
                    hollow: v.derived,
                    class: match v.confidence.as_str() {
                        "verified" => "pt",
                        "secondary" => "pt pt-secondary",
                        _ => "pt pt-unverified",
                    },
                }
            })
            .collect();
        // A line joins two values only when they count over periods of
        // the same length: a flow for January–March beside one for
        // January–July, or for a whole year, would draw a rise and fall that
        // is only the periods' lengths. Such values stand as points alone.
        let days = |v: &ChartValue| (v.end - v.start).num_days();
        let path = points
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let joined = i > 0 && (days(&values[i]) - days(&values[i - 1])).abs() <= 3;
                format!("{}{},{}", if joined { "L" } else { "M" }, p.x, p.y)
            })
            .collect::<Vec<_>>()
            .join(" ");
        // Nothing to draw when no two values are joined.
        let path = if path.contains('L') {
            path
        } else {
            String::new()
        };
        let years = end.year() - start.year();
        let xstep = ((years as f64 / 8.0).ceil() as i32).max(1);
        let xticks = (start.year()..=end.year())
            .filter(|yr| (yr - start.year()) % xstep == 0)
            .map(|yr| Tick {
                x: r1(x(NaiveDate::from_ymd_opt(yr, 1, 1).expect("valid"))),
                label: yr.to_string(),
            })
            .collect();
        let steps = ((hi - lo) / step).round() as i64;
        let yticks = (0..=steps)
            .map(|i| {
                let v = lo + step * i as f64;
                YTick {
                    y: r1(y(v)),
                    label: super::view::number(v),
                }
            })
            .collect();
        Chart {
            id,
            title,
            width: 720.0,
            height: 280.0,
            left,
            right,
            bottom,
            zero_y: (lo < 0.0).then(|| r1(y(0.0))),
            path,
            points,
            xticks,
            yticks,
        }
    }
}

/// A range from `lo` to `hi` widened to round numbers.
fn nice_range(lo: f64, hi: f64) -> (f64, f64, f64) {
    if hi - lo <= 0.0 {
        return (lo - 1.0, hi + 1.0, 1.0);
    }
    let raw = (hi - lo) / 4.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    ((lo / step).floor() * step, (hi / step).ceil() * step, step)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(period: &str, start: &str, end: &str, value: f64) -> ChartValue {
        ChartValue {
            period: period.into(),
            start: start.parse().unwrap(),
            end: end.parse().unwrap(),
            value,
            derived: false,
            confidence: "verified".into(),
        }
    }

    #[test]
    fn only_values_over_periods_of_one_length_are_joined() {
        let values = [
            value("2015-01..03", "2015-01-01", "2015-03-31", 4165.0),
            value("2015-01..07", "2015-01-01", "2015-07-31", 9689.0),
            value("2016", "2016-01-01", "2016-12-31", 16000.0),
            value("2017", "2017-01-01", "2017-12-31", 16081.0),
        ];
        let chart = Chart::new("c".into(), "C".into(), "people", &values);
        let moves: Vec<char> = chart
            .path
            .split(' ')
            .map(|step| step.chars().next().unwrap())
            .collect();
        assert_eq!(moves, ['M', 'M', 'M', 'L'], "{}", chart.path);
        assert_eq!(chart.points.len(), 4);
    }

    #[test]
    fn ranges_are_round() {
        assert_eq!(
            nice_range(0.0, 18_014_200.0),
            (0.0, 20_000_000.0, 5_000_000.0)
        );
        assert_eq!(nice_range(-30.0, 70.0), (-50.0, 75.0, 25.0));
    }
}
