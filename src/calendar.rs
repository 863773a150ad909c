//! Month names, shared by the readers of datelines, of dates inside sentences and of questions.

/// The months, lower case, January first.
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month (1–12) a lower-case full month name stands for.
pub fn month_number(word: &str) -> Option<u32> {
    // Asked of nearly every word of every sentence: a `match` on the name compiles to a test
    // of the length and a comparison or two, where a search of `MONTHS` compared each name.
    match word {
        "january" => Some(1),
        "february" => Some(2),
        "march" => Some(3),
        "april" => Some(4),
        "may" => Some(5),
        "june" => Some(6),
        "july" => Some(7),
        "august" => Some(8),
        "september" => Some(9),
        "october" => Some(10),
        "november" => Some(11),
        "december" => Some(12),
        _ => None,
    }
}

/// The month (1–12) a lower-case word of three letters or more starting like a month's name
/// stands for, as in datelines: `oct`, `sept`, `september`.
pub fn month_number_abbreviated(word: &str) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    let index = MONTHS.iter().position(|m| word.starts_with(&m[..3]))?;
    u32::try_from(index + 1).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_names_and_abbreviations() {
        assert_eq!(month_number("may"), Some(5));
        assert_eq!(month_number("sept"), None);
        assert_eq!(month_number_abbreviated("sept"), Some(9));
        assert_eq!(month_number_abbreviated("dec"), Some(12));
        assert_eq!(month_number_abbreviated("de"), None);
        assert_eq!(month_number_abbreviated("monday"), None);
    }

    #[test]
    fn every_month_gets_past_the_first_letter_check() {
        for (index, month) in MONTHS.iter().enumerate() {
            assert_eq!(month_number(month), u32::try_from(index + 1).ok(), "{month}");
        }
        for word in ["", "j", "ma", "mayday", "september1", "é", "monday", "summit"] {
            assert_eq!(month_number(word), None, "{word}");
        }
    }
}
