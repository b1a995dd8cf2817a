//! Dates in the forms news uses, absolute or relative to the document date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

use crate::geoparse::tokens::Token;

/// How precisely a date is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
    Unknown,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Unknown => "unknown",
        }
    }
}

/// A date found in text: the first day of the period it names, and its precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundDate {
    pub date: NaiveDate,
    pub precision: DatePrecision,
}

fn month(word: &str) -> Option<u32> {
    let m = match word {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sept" | "sep" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday(word: &str) -> Option<Weekday> {
    Some(match word {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

fn prev_month(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 1 {
        (d.year() - 1, 12)
    } else {
        (d.year(), d.month() - 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d)
}

fn day_num(t: &Token) -> Option<u32> {
    let s = t.folded.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let n: u32 = s.parse().ok()?;
    (1..=31).contains(&n).then_some(n)
}

fn year_num(t: &Token) -> Option<i32> {
    let n: i32 = t.folded.parse().ok()?;
    (1800..=2200).contains(&n).then_some(n)
}

/// Finds the first date expression among `toks`, resolving relative ones against `anchor`.
/// Relative expressions with no anchor give nothing: dates are never invented.
pub fn find_date(toks: &[Token], anchor: Option<NaiveDate>) -> Option<FoundDate> {
    let f = |i: usize| toks.get(i).map(|t| t.folded.as_str()).unwrap_or("");
    for i in 0..toks.len() {
        let w = f(i);
        // ISO 8601: 2021-10-23
        if let (Some(y), Ok(m), Ok(d)) = (
            year_num(&toks[i]),
            f(i + 1).parse::<u32>(),
            f(i + 2).parse::<u32>(),
        ) {
            if let Some(date) = NaiveDate::from_ymd_opt(y, m, d) {
                return Some(FoundDate {
                    date,
                    precision: DatePrecision::Day,
                });
            }
        }
        if let Some(m) = month(w) {
            if w == "may" && !toks[i].capitalized {
                continue;
            }
            // October 23, 2021 / October 23 / October 2021
            if let Some(d) = toks.get(i + 1).and_then(day_num) {
                let y = toks
                    .get(i + 2)
                    .and_then(year_num)
                    .or(anchor.map(|a| a.year()));
                if let Some(date) = y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d)) {
                    return Some(FoundDate {
                        date,
                        precision: DatePrecision::Day,
                    });
                }
            }
            if let Some(y) = toks.get(i + 1).and_then(year_num) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, 1) {
                    return Some(FoundDate {
                        date,
                        precision: DatePrecision::Month,
                    });
                }
            }
            continue;
        }
        // 23 October 2021
        if let (Some(d), Some(m)) = (day_num(&toks[i]), month(f(i + 1))) {
            let y = toks
                .get(i + 2)
                .and_then(year_num)
                .or(anchor.map(|a| a.year()));
            if let Some(date) = y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d)) {
                return Some(FoundDate {
                    date,
                    precision: DatePrecision::Day,
                });
            }
        }
        let Some(a) = anchor else { continue };
        if let Some(wd) = weekday(w) {
            let back = (a.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
            return Some(FoundDate {
                date: a - Duration::days(back as i64),
                precision: DatePrecision::Day,
            });
        }
        let prev = if i > 0 { f(i - 1) } else { "" };
        let found = match (prev, w) {
            (_, "today") => Some((a, DatePrecision::Day)),
            (_, "yesterday") => Some((a - Duration::days(1), DatePrecision::Day)),
            ("this", "week") => Some((
                a - Duration::days(a.weekday().num_days_from_monday() as i64),
                DatePrecision::Week,
            )),
            ("last", "week") => Some((
                a - Duration::days(a.weekday().num_days_from_monday() as i64 + 7),
                DatePrecision::Week,
            )),
            ("this", "month") => Some((first_of_month(a), DatePrecision::Month)),
            ("last", "month") => Some((prev_month(a), DatePrecision::Month)),
            ("this", "year") => {
                NaiveDate::from_ymd_opt(a.year(), 1, 1).map(|d| (d, DatePrecision::Year))
            }
            ("last", "year") => {
                NaiveDate::from_ymd_opt(a.year() - 1, 1, 1).map(|d| (d, DatePrecision::Year))
            }
            _ => None,
        };
        if let Some((date, precision)) = found {
            return Some(FoundDate { date, precision });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geoparse::tokens::tokenize;

    fn at(text: &str, anchor: &str) -> Option<(String, DatePrecision)> {
        let a = NaiveDate::parse_from_str(anchor, "%Y-%m-%d").ok();
        find_date(&tokenize(text), a).map(|f| (f.date.to_string(), f.precision))
    }

    #[test]
    fn relative_dates_follow_the_anchor() {
        // 2021-10-26 was a Tuesday.
        assert_eq!(
            at("concluded on Saturday", "2021-10-26"),
            Some(("2021-10-23".into(), DatePrecision::Day))
        );
        assert_eq!(
            at("Japan said Tuesday", "2021-10-26"),
            Some(("2021-10-26".into(), DatePrecision::Day))
        );
        assert_eq!(
            at("earlier this month", "2021-10-26"),
            Some(("2021-10-01".into(), DatePrecision::Month))
        );
        assert_eq!(
            at("earlier this year", "2021-10-26"),
            Some(("2021-01-01".into(), DatePrecision::Year))
        );
        assert_eq!(
            at("last week", "2021-10-26"),
            Some(("2021-10-18".into(), DatePrecision::Week))
        );
    }

    #[test]
    fn relative_dates_without_anchor_are_unknown() {
        assert_eq!(at("concluded on Saturday", ""), None);
    }

    #[test]
    fn absolute_dates() {
        assert_eq!(
            at("on October 23, 2021 the", ""),
            Some(("2021-10-23".into(), DatePrecision::Day))
        );
        assert_eq!(
            at("on 3 March 2022 the", ""),
            Some(("2022-03-03".into(), DatePrecision::Day))
        );
        assert_eq!(
            at("in March 2022", ""),
            Some(("2022-03-01".into(), DatePrecision::Month))
        );
        assert_eq!(
            at("on 2022-03-04", ""),
            Some(("2022-03-04".into(), DatePrecision::Day))
        );
        assert_eq!(at("they may go", "2021-10-26"), None);
    }
}
