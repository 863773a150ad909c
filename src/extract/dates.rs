//! When an event happened, from the words of its sentence: `on Tuesday` is the last Tuesday
//! on or before the article's date, `yesterday` the day before, `on 30 December` or
//! `on December 30` that day in the article's year (the year before when it would fall after
//! the article). Without such words the event takes the article's date.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::calendar::month_number;
use crate::text::Token;

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

/// The date a sentence's events happened on, given the article's date.
pub fn event_date(tokens: &[Token], published: Option<NaiveDate>) -> Option<NaiveDate> {
    let published = published?;
    for (i, token) in tokens.iter().enumerate() {
        let word = token.norm();
        // `yesterday` and the weekdays all end in `day`: most words are none of them, and one
        // test of their end spares them eight comparisons.
        if ends_in_day(word) {
            if word == "yesterday" {
                return published.checked_sub_days(Days::new(1));
            }
            if let Some(&(_, weekday)) = WEEKDAYS.iter().find(|(name, _)| *name == word) {
                let back = (7 + published.weekday().num_days_from_monday()
                    - weekday.num_days_from_monday())
                    % 7;
                return published.checked_sub_days(Days::new(u64::from(back)));
            }
        }
        if let Some(month) = month_number(word) {
            let day_after = tokens.get(i + 1).and_then(|t| day_number(&t.norm));
            let day_before = i.checked_sub(1).and_then(|k| day_number(&tokens[k].norm));
            if let Some(day) = day_after.or(day_before) {
                return dated(published, month, day);
            }
        }
    }
    Some(published)
}

/// True for a word of six letters or more ending in `day`, as every weekday and `yesterday`.
fn ends_in_day(word: &str) -> bool {
    word.len() >= 6 && word.ends_with("day")
}

/// True for the name of a weekday or a month, or `yesterday`/`today`/`tomorrow`.
pub fn is_calendar_word(word: &str) -> bool {
    (ends_in_day(word) && WEEKDAYS.iter().any(|(name, _)| *name == word))
        || month_number(word).is_some()
        || matches!(word, "yesterday" | "today" | "tomorrow")
}

fn day_number(word: &str) -> Option<u32> {
    let digits = word.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn dated(published: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let this_year = NaiveDate::from_ymd_opt(published.year(), month, day)?;
    if this_year > published {
        NaiveDate::from_ymd_opt(published.year() - 1, month, day)
    } else {
        Some(this_year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    fn date(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn weekday_is_the_last_one_on_or_before_the_article_date() {
        // 2020-10-28 was a Wednesday.
        let published = date(2020, 10, 28);
        assert_eq!(event_date(&tokenize("They met on Tuesday."), published), date(2020, 10, 27));
        assert_eq!(event_date(&tokenize("They met on Wednesday."), published), date(2020, 10, 28));
        assert_eq!(event_date(&tokenize("They met on Thursday."), published), date(2020, 10, 22));
    }

    #[test]
    fn every_weekday_and_yesterday_end_in_day() {
        for (name, _) in WEEKDAYS {
            assert!(ends_in_day(name), "{name}");
            assert!(is_calendar_word(name), "{name}");
        }
        assert!(ends_in_day("yesterday"));
        for word in ["today", "tomorrow", "may", "day", "holiday"] {
            assert_eq!(is_calendar_word(word), matches!(word, "today" | "tomorrow" | "may"));
        }
    }

    #[test]
    fn yesterday_and_calendar_dates() {
        let published = date(2021, 1, 1);
        assert_eq!(event_date(&tokenize("It said so yesterday."), published), date(2020, 12, 31));
        assert_eq!(
            event_date(&tokenize("On 30 December it spoke."), published),
            date(2020, 12, 30)
        );
        assert_eq!(event_date(&tokenize("On January 1 it spoke."), published), date(2021, 1, 1));
        assert_eq!(event_date(&tokenize("It may rain."), published), published);
        assert_eq!(event_date(&tokenize("On Monday."), None), None);
    }
}
