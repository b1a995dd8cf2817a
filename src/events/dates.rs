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
    /// A span of days the text gives ("between 1 and 3 May").
    Range,
    /// The text gives no date: the document's publication date.
    Publication,
    Unknown,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Range => "range",
            DatePrecision::Publication => "publication",
            DatePrecision::Unknown => "unknown",
        }
    }

    /// Not read from the event's own words: a later report's date is better.
    pub fn is_vague(self) -> bool {
        matches!(self, DatePrecision::Publication | DatePrecision::Unknown)
    }
}

/// A date found in text: the first day of the period it names, and its precision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FoundDate {
    pub date: NaiveDate,
    pub precision: DatePrecision,
    /// The last day of a range; other precisions end where their period does.
    pub last: Option<NaiveDate>,
}

impl FoundDate {
    fn new(date: NaiveDate, precision: DatePrecision) -> FoundDate {
        FoundDate {
            date,
            precision,
            last: None,
        }
    }

    /// The last day of the period the date names (a month-precision date spans its month).
    pub fn end(&self) -> NaiveDate {
        let d = self.date;
        match self.precision {
            DatePrecision::Week => d + Duration::days(6),
            DatePrecision::Month => {
                let (y, m) = if d.month() == 12 {
                    (d.year() + 1, 1)
                } else {
                    (d.year(), d.month() + 1)
                };
                NaiveDate::from_ymd_opt(y, m, 1).map_or(d, |n| n - Duration::days(1))
            }
            DatePrecision::Year => NaiveDate::from_ymd_opt(d.year(), 12, 31).unwrap_or(d),
            DatePrecision::Range => self.last.unwrap_or(d),
            _ => d,
        }
    }
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
                return Some(FoundDate::new(date, DatePrecision::Day));
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
                    return Some(FoundDate::new(date, DatePrecision::Day));
                }
            }
            if let Some(y) = toks.get(i + 1).and_then(year_num) {
                if let Some(date) = NaiveDate::from_ymd_opt(y, m, 1) {
                    return Some(FoundDate::new(date, DatePrecision::Month));
                }
            }
            continue;
        }
        // between 1 and 3 May 2020, 1-3 May: a range from its first day
        if let Some(d0) = day_num(&toks[i]) {
            let hyphen = toks
                .get(i + 1)
                .is_some_and(|t| t.gap_before == crate::geoparse::tokens::Gap::Hyphen);
            let second = if hyphen {
                Some(i + 1)
            } else if matches!(f(i + 1), "and" | "to") {
                Some(i + 2)
            } else {
                None
            };
            let range = second.and_then(|k| {
                let d1 = toks.get(k).and_then(day_num)?;
                let m = month(f(k + 1))?;
                let y = toks
                    .get(k + 2)
                    .and_then(year_num)
                    .or(anchor.map(|a| a.year()))?;
                NaiveDate::from_ymd_opt(y, m, d0).zip(NaiveDate::from_ymd_opt(y, m, d1))
            });
            if let Some((a, b)) = range.filter(|(a, b)| a < b) {
                return Some(FoundDate {
                    date: a,
                    precision: DatePrecision::Range,
                    last: Some(b),
                });
            }
        }
        // 23 October 2021
        if let (Some(d), Some(m)) = (day_num(&toks[i]), month(f(i + 1))) {
            let y = toks
                .get(i + 2)
                .and_then(year_num)
                .or(anchor.map(|a| a.year()));
            if let Some(date) = y.and_then(|y| NaiveDate::from_ymd_opt(y, m, d)) {
                return Some(FoundDate::new(date, DatePrecision::Day));
            }
        }
        let Some(a) = anchor else { continue };
        if let Some(wd) = weekday(w) {
            let back = (a.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
            return Some(FoundDate::new(
                a - Duration::days(back as i64),
                DatePrecision::Day,
            ));
        }
        let prev = if i > 0 { f(i - 1) } else { "" };
        let found = match (prev, w) {
            (_, "today") | (_, "overnight") | ("this", "morning") | ("this", "afternoon") => {
                Some((a, DatePrecision::Day))
            }
            ("last", "night") => Some((a - Duration::days(1), DatePrecision::Day)),
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
            return Some(FoundDate::new(date, precision));
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
    fn ranges_and_report_forms() {
        assert_eq!(
            at("between 1 and 3 May 2020, clashes", ""),
            Some(("2020-05-01".into(), DatePrecision::Range))
        );
        let toks = tokenize("between 1 and 3 May 2020");
        assert_eq!(
            find_date(&toks, None).map(|f| f.end().to_string()),
            Some("2020-05-03".into())
        );
        assert_eq!(
            at("Around 7 May 2020 (as reported), gunmen", ""),
            Some(("2020-05-07".into(), DatePrecision::Day))
        );
        assert_eq!(
            at("On 29 April 2020, police", ""),
            Some(("2020-04-29".into(), DatePrecision::Day))
        );
        let toks = tokenize("in March 2022");
        assert_eq!(
            find_date(&toks, None).map(|f| f.end().to_string()),
            Some("2022-03-31".into())
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
