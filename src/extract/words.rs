//! Closed word classes the rules test tokens against ("is this word a preposition?").

use std::collections::HashSet;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use crate::text::WordHasher;

/// A fixed set of words, written as a list in the source and looked up by hash.
///
/// The rules ask "is this token one of these words?" several times for every token of every
/// sentence; scanning a list of forty words compared each of them, and those comparisons were
/// a large share of a build's time. The set is built on the first lookup.
pub struct WordSet {
    words: &'static [&'static str],
    index: OnceLock<HashSet<&'static str, BuildHasherDefault<WordHasher>>>,
}

impl WordSet {
    /// A set of `words` (folded, as tokens' `norm`).
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet { words, index: OnceLock::new() }
    }

    /// True when `word` is one of the set's words.
    pub fn contains(&self, word: &str) -> bool {
        self.index.get_or_init(|| self.words.iter().copied().collect()).contains(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static SMALL: WordSet = WordSet::new(&["of", "with", "'s", "run-up"]);

    #[test]
    fn holds_its_words_and_nothing_else() {
        for word in ["of", "with", "'s", "run-up"] {
            assert!(SMALL.contains(word), "{word}");
        }
        for word in ["", "o", "off", "With", "run", "up", "s"] {
            assert!(!SMALL.contains(word), "{word}");
        }
    }

    #[test]
    fn agrees_with_a_scan_of_the_list() {
        let list = ["said", "says", "told", "stated", "added", "reported"];
        static REPORTING: WordSet =
            WordSet::new(&["said", "says", "told", "stated", "added", "reported"]);
        for word in ["said", "say", "says", "tell", "told", "report", "reported", "reports"] {
            assert_eq!(REPORTING.contains(word), list.contains(&word), "{word}");
        }
    }
}
