//! Closed word classes the rules test tokens against ("is this word a preposition?").

use std::sync::OnceLock;

use crate::text::WordHashSet;

/// A fixed set of words, written as a list in the source and looked up by hash.
///
/// The rules ask "is this token one of these words?" several times for every token of every
/// sentence; scanning a list of forty words compared each of them, and those comparisons were
/// a large share of a build's time. The set is built on the first lookup.
pub struct WordSet {
    words: &'static [&'static str],
    index: OnceLock<Index>,
}

/// The set's words by hash, and a bit per [`sketch`] value of its words: most tokens asked
/// about are in no set, and the bit test turns most of them away without hashing the word.
struct Index {
    sketch: [u64; 4],
    words: WordHashSet<&'static str>,
}

/// A value in 0..256 from a word's length and its first and last bytes.
fn sketch(word: &str) -> usize {
    let bytes = word.as_bytes();
    let first = bytes.first().map_or(0, |&b| usize::from(b));
    let last = bytes.last().map_or(0, |&b| usize::from(b));
    (bytes.len().wrapping_mul(31) ^ first.wrapping_mul(7) ^ last.wrapping_mul(131)) & 255
}

impl WordSet {
    /// A set of `words` (folded, as tokens' `norm`).
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet { words, index: OnceLock::new() }
    }

    /// True when `word` is one of the set's words.
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        let index = self.index.get_or_init(|| {
            let mut sketch_bits = [0u64; 4];
            for word in self.words {
                let bit = sketch(word);
                sketch_bits[bit / 64] |= 1 << (bit % 64);
            }
            Index { sketch: sketch_bits, words: self.words.iter().copied().collect() }
        });
        let bit = sketch(word);
        index.sketch[bit / 64] & (1 << (bit % 64)) != 0 && index.words.contains(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DIRECTIONS: &[&str] = &["north", "south", "east", "west", "northeast", "n", "we"];
    static DIRECTION_SET: WordSet = WordSet::new(DIRECTIONS);

    proptest! {
        #[test]
        fn answers_as_the_list_does(word in "[nsewothar]{0,10}") {
            prop_assert_eq!(DIRECTION_SET.contains(&word), DIRECTIONS.contains(&word.as_str()));
        }
    }

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
    fn every_word_of_a_long_list_passes_the_sketch() {
        static LONG: WordSet = WordSet::new(&[
            "a",
            "b",
            "ab",
            "ba",
            "abc",
            "cab",
            "eastern",
            "western",
            "northeastern",
            "é",
            "",
        ]);
        for word in
            ["a", "b", "ab", "ba", "abc", "cab", "eastern", "western", "northeastern", "é", ""]
        {
            assert!(LONG.contains(word), "{word:?}");
        }
        for word in ["c", "aa", "bab", "easter", "southeastern", "e"] {
            assert!(!LONG.contains(word), "{word:?}");
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
