//! Questions as people type them, turned into a [`FilterSpec`]. The grammar is small on
//! purpose (see [`FORMS`]); the verbs are not listed here but come from the lexicon's action
//! patterns, so any verb the extractor knows can be asked about ("who condemned X" finds
//! `criticize` events because "condemn" is one of its patterns).
//!
//! Meeting words are the exception: "meet", "talk" and "speak" in a question mean any
//! consultation (CAMEO root 04: discuss, meet, call, visit, host, negotiate…), because the
//! extractor codes a meeting by what was done in it, and a user asking who met whom wants
//! all of them.

use chrono::{Datelike, Months, NaiveDate};

use crate::calendar::month_number;
use crate::lexicon::{inflect, Lexicon};
use crate::text::{tokenize, Token};

use super::{last_of_month, parse_period, FilterSpec};

/// The question forms understood, as shown to users.
pub const FORMS: &str = concat!(
    "  who discussed X          any past-tense action verb: who condemned X, who signed X, who met X\n",
    "  who met whom             who condemned whom, who discussed whom, ...\n",
    "  what did X discuss       what did X sign, what did X condemn; optionally: ... with Y\n",
    "  who did X talk with      who did X meet, meet with, speak with, call, condemn, ...\n",
    "each optionally followed by a time: in 2020 | in 2020-05 | in May 2020 | since 2020-05 |\n",
    "  until 2021-06-30 | between 2019 and 2020 | from 2019-03 to 2019-06 | last month |\n",
    "  last year | this month | this year (last and this count from the graph's latest event)"
);

/// Why a question was not understood.
#[derive(Debug, thiserror::Error)]
pub enum AskError {
    /// The question fits none of the forms.
    #[error(
        "cannot read the question \"{question}\"{why}. Questions can take these forms:\n{FORMS}"
    )]
    NotUnderstood {
        /// The question as given.
        question: String,
        /// What was wrong, if something specific was.
        why: String,
    },
}

/// Verbs that stand for any consultation (root 04) in questions.
const CONSULT_LEMMAS: [&str; 2] = ["meet", "talk"];
/// Forms of "speak", which the lexicon knows only inside longer patterns ("speak by phone").
const SPEAK_FORMS: [&str; 5] = ["speak", "spoke", "spoken", "speaks", "speaking"];
/// Prepositions that may follow a verb before its object or at the end of a question.
const PREPOSITIONS: [&str; 8] = ["with", "to", "about", "on", "over", "against", "at", "for"];

/// Reads a question into a filter. `latest` is the day "last month" and "this year" count
/// from: the graph's latest event.
pub fn parse(question: &str, lexicon: &Lexicon, latest: NaiveDate) -> Result<FilterSpec, AskError> {
    let not_understood = |why: &str| AskError::NotUnderstood {
        question: question.trim().to_string(),
        why: why.to_string(),
    };
    let tokens: Vec<Token> =
        tokenize(question).into_iter().filter(|t| t.is_word() || t.norm == "'s").collect();
    let (tokens, since, until) = split_time(&tokens, latest).map_err(|why| not_understood(&why))?;
    let words: Vec<&str> = tokens.iter().map(|t| t.norm()).collect();
    let text = |range: &[Token]| range.iter().map(|t| t.text).collect::<Vec<_>>().join(" ");
    let mut spec = FilterSpec { since, until, ..FilterSpec::default() };
    match words.as_slice() {
        ["who", "did", ..] | ["what", "did", ..] => {
            let asks_who = words[0] == "who";
            let rest = &tokens[2..];
            let (at, len, action) = (1..rest.len())
                .find_map(|i| verb_at(lexicon, &rest[i..]).map(|(len, action)| (i, len, action)))
                .ok_or_else(|| not_understood(": no action verb after the name"))?;
            spec.actor = Some(text(&rest[..at]));
            spec.action = Some(action);
            let mut after = &rest[at + len..];
            if after.first().is_some_and(|t| PREPOSITIONS.contains(&t.norm())) {
                if asks_who && after.len() == 1 {
                    after = &after[1..];
                } else if !asks_who && after.len() > 1 {
                    spec.with = Some(text(&after[1..]));
                    after = &[];
                }
            }
            if !after.is_empty() {
                return Err(not_understood(&format!(": '{}' is not understood", text(after))));
            }
            spec.counterpart = asks_who;
        }
        ["who", ..] => {
            let rest = &tokens[1..];
            let (len, action) = verb_at(lexicon, rest).ok_or_else(|| {
                let word = rest.first().map_or("", |t| t.text);
                not_understood(&format!(": '{word}' is not an action verb the lexicon knows"))
            })?;
            spec.action = Some(action);
            let mut object = &rest[len..];
            if object.first().is_some_and(|t| PREPOSITIONS.contains(&t.norm())) {
                object = &object[1..];
            }
            match object {
                [] => {
                    return Err(not_understood(
                        ": say whom or what (who met whom, who discussed Syria)",
                    ))
                }
                [whom] if whom.norm == "whom" => spec.counterpart = true,
                _ => spec.about = Some(text(object)),
            }
        }
        _ => return Err(not_understood("")),
    }
    Ok(spec)
}

/// The action a verb at the start of `tokens` names, and how many tokens it takes: the
/// longest lexicon verb pattern, else an inflected form of an action's lemma.
fn verb_at(lexicon: &Lexicon, tokens: &[Token]) -> Option<(usize, String)> {
    let first = tokens.first()?.norm();
    if SPEAK_FORMS.contains(&first) {
        return Some((1, "04".to_string()));
    }
    let words: Vec<&str> = tokens.iter().map(|t| t.norm()).collect();
    let trigger = lexicon.triggers_starting_with(first).iter().find(|t| {
        !t.nominal
            && words.len() >= t.words.len()
            && t.words.iter().zip(&words).all(|(a, b)| a == b)
    });
    let (len, lemma) = match trigger {
        Some(t) => (t.words.len(), lexicon.action(t.action).lemma.to_string()),
        None => {
            let lemma =
                (0..lexicon.action_count()).map(|i| &*lexicon.action(i).lemma).find(|lemma| {
                    !lemma.contains(' ')
                        && (*lemma == first || inflect(lemma).iter().any(|f| f == first))
                })?;
            (1, lemma.to_string())
        }
    };
    let action = if CONSULT_LEMMAS.contains(&lemma.as_str()) { "04".to_string() } else { lemma };
    Some((len, action))
}

type TimeSplit<'t> = (&'t [Token<'t>], Option<NaiveDate>, Option<NaiveDate>);

/// Splits a trailing time phrase off the question: the tokens before it and the range.
fn split_time<'t>(tokens: &'t [Token<'_>], latest: NaiveDate) -> Result<TimeSplit<'t>, String> {
    let words: Vec<&str> = tokens.iter().map(|t| t.norm()).collect();
    let n = words.len();
    let period = |text: &str| parse_period(text).map_err(|e| e.to_string());
    let month_start = NaiveDate::from_ymd_opt(latest.year(), latest.month(), 1).unwrap_or(latest);
    let year_start = NaiveDate::from_ymd_opt(latest.year(), 1, 1).unwrap_or(latest);
    let is_period = |w: &str| w.chars().next().is_some_and(|c| c.is_ascii_digit());
    match words.as_slice() {
        [.., "last", "month"] => {
            let first = month_start.checked_sub_months(Months::new(1)).unwrap_or(month_start);
            Ok((&tokens[..n - 2], Some(first), Some(last_of_month(first))))
        }
        [.., "this", "month"] => {
            Ok((&tokens[..n - 2], Some(month_start), Some(last_of_month(month_start))))
        }
        [.., "last", "year"] => {
            let first = year_start.checked_sub_months(Months::new(12)).unwrap_or(year_start);
            let last = year_start.pred_opt().unwrap_or(year_start);
            Ok((&tokens[..n - 2], Some(first), Some(last)))
        }
        [.., "this", "year"] => {
            let last = NaiveDate::from_ymd_opt(latest.year(), 12, 31).unwrap_or(latest);
            Ok((&tokens[..n - 2], Some(year_start), Some(last)))
        }
        [.., "in", month, year] if month_number(month).is_some() && is_period(year) => {
            let number = month_number(month).unwrap_or(1);
            let (first, last) = period(&format!("{year}-{number:02}"))?;
            Ok((&tokens[..n - 3], Some(first), Some(last)))
        }
        [.., "between" | "from", a, "and" | "to" | "until", b] if is_period(a) && is_period(b) => {
            Ok((&tokens[..n - 4], Some(period(a)?.0), Some(period(b)?.1)))
        }
        [.., "in" | "during", p] if is_period(p) => {
            let (first, last) = period(p)?;
            Ok((&tokens[..n - 2], Some(first), Some(last)))
        }
        [.., "since" | "after" | "from", p] if is_period(p) => {
            Ok((&tokens[..n - 2], Some(period(p)?.0), None))
        }
        [.., "until" | "till" | "through", p] if is_period(p) => {
            Ok((&tokens[..n - 2], None, Some(period(p)?.1)))
        }
        _ => Ok((tokens, None, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::embedded().map_err(|e| format!("{e:?}")).expect("embedded lexicon")
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn ask(question: &str) -> FilterSpec {
        let latest = NaiveDate::from_ymd_opt(2021, 3, 15).expect("date");
        parse(question, &lexicon(), latest).map_err(|e| e.to_string()).expect("understood")
    }

    #[test]
    fn who_verb_object_takes_the_verb_from_the_lexicon() {
        let spec = ask("Who discussed Syria?");
        assert_eq!(spec.action.as_deref(), Some("discuss"));
        assert_eq!(spec.about.as_deref(), Some("Syria"));
        let spec = ask("who condemned Israel");
        assert_eq!(spec.action.as_deref(), Some("criticize"));
        assert_eq!(spec.about.as_deref(), Some("Israel"));
        let spec = ask("who expressed concern about the Turkish President");
        assert_eq!(spec.action.as_deref(), Some("express concern"));
        assert_eq!(spec.about.as_deref(), Some("the Turkish President"));
    }

    #[test]
    fn meeting_words_mean_any_consultation() {
        assert_eq!(ask("who met Putin").action.as_deref(), Some("04"));
        let spec = ask("who did Erdoğan talk with");
        assert_eq!(spec.actor.as_deref(), Some("Erdoğan"));
        assert_eq!(spec.action.as_deref(), Some("04"));
        assert!(spec.counterpart);
        assert_eq!(ask("who did Erdogan speak with").action.as_deref(), Some("04"));
        assert_eq!(ask("who did Tayyip Erdogan meet").actor.as_deref(), Some("Tayyip Erdogan"));
        assert_eq!(ask("who did Erdogan call").action.as_deref(), Some("call"));
    }

    #[test]
    fn what_did_x_verb_with_y() {
        let spec = ask("what did Putin discuss with Erdogan?");
        assert_eq!(spec.actor.as_deref(), Some("Putin"));
        assert_eq!(spec.action.as_deref(), Some("discuss"));
        assert_eq!(spec.with.as_deref(), Some("Erdogan"));
        assert!(!spec.counterpart);
        assert_eq!(
            ask("what did the Russian President sign").actor.as_deref(),
            Some("the Russian President")
        );
    }

    #[test]
    fn who_verb_whom_needs_a_counterpart() {
        let spec = ask("who met whom in 2020");
        assert!(spec.counterpart && spec.about.is_none());
        assert_eq!((spec.since, spec.until), (day(2020, 1, 1), day(2020, 12, 31)));
        assert_eq!(ask("who condemned whom").action.as_deref(), Some("criticize"));
    }

    #[test]
    fn time_phrases() {
        let range = |q: &str| {
            let spec = ask(q);
            (spec.since, spec.until)
        };
        assert_eq!(range("who discussed Syria in 2020-05"), (day(2020, 5, 1), day(2020, 5, 31)));
        assert_eq!(range("who discussed Syria in May 2020"), (day(2020, 5, 1), day(2020, 5, 31)));
        assert_eq!(range("who discussed Syria since 2020-05"), (day(2020, 5, 1), None));
        assert_eq!(range("who discussed Syria until 2020"), (None, day(2020, 12, 31)));
        assert_eq!(
            range("who met whom between 2019 and 2020"),
            (day(2019, 1, 1), day(2020, 12, 31))
        );
        assert_eq!(
            range("who met whom from 2019-03 to 2019-06"),
            (day(2019, 3, 1), day(2019, 6, 30))
        );
        assert_eq!(range("who condemned whom last month"), (day(2021, 2, 1), day(2021, 2, 28)));
        assert_eq!(range("who condemned whom this month"), (day(2021, 3, 1), day(2021, 3, 31)));
        assert_eq!(range("who condemned whom last year"), (day(2020, 1, 1), day(2020, 12, 31)));
        assert_eq!(range("who condemned whom this year"), (day(2021, 1, 1), day(2021, 12, 31)));
        assert_eq!(ask("who discussed Syria in 2020").about.as_deref(), Some("Syria"));
    }

    #[test]
    fn unknown_forms_list_the_forms_understood() {
        let latest = NaiveDate::from_ymd_opt(2021, 3, 15).expect("date");
        let lex = lexicon();
        let message =
            |q: &str| parse(q, &lex, latest).map(|_| ()).expect_err("refused").to_string();
        let m = message("how are Putin and Erdogan connected");
        assert!(m.starts_with("cannot read the question \"how are Putin and Erdogan connected\". Questions can take these forms:"), "{m}");
        assert!(m.contains("who did X talk with"));
        assert!(message("who frobnicated Syria").contains("'frobnicated' is not an action verb"));
        assert!(message("who discussed").contains("say whom or what"));
        assert!(message("who discussed Syria in 2020-13").contains("'2020-13' is not a date"));
    }
}
