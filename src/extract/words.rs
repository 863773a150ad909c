//! Closed word classes the rules test tokens against ("is this word a preposition?").

use std::sync::OnceLock;

use crate::lexicon::fingerprint;

/// A fixed set of words, written as a list in the source and looked up by hash.
///
/// The rules ask "is this token one of these words?" several times for every token of every
/// sentence; scanning a list of forty words compared each of them, and those comparisons were
/// a large share of a build's time. The set is built on the first lookup.
pub struct WordSet {
    words: &'static [&'static str],
    index: OnceLock<Index>,
}

/// The set's words in buckets by [`key`]. A table four times the size of the set leaves most
/// buckets empty, so most words asked about (in no set) cost a key and one load.
struct Index {
    /// `log2` of the bucket count.
    bits: u32,
    /// Per bucket, the range of `words` it holds: start in the high half, end in the low.
    buckets: Vec<u32>,
    words: Vec<&'static str>,
}

/// A bucket number below `2^bits`: the top bits of the word's [`fingerprint`].
fn key(word: &str, bits: u32) -> usize {
    (fingerprint(word) >> (32 - bits)) as usize
}

impl Index {
    fn new(words: &'static [&'static str]) -> Index {
        let bits = (words.len() * 4).next_power_of_two().max(16).trailing_zeros();
        let mut keyed: Vec<(usize, &'static str)> =
            words.iter().map(|&word| (key(word, bits), word)).collect();
        keyed.sort_unstable();
        keyed.dedup();
        let mut buckets = vec![0u32; 1 << bits];
        for (at, &(bucket, _)) in keyed.iter().enumerate() {
            let at = at as u32;
            if buckets[bucket] == 0 {
                buckets[bucket] = at << 16 | at;
            }
            buckets[bucket] = buckets[bucket] & 0xffff_0000 | (at + 1);
        }
        Index { bits, buckets, words: keyed.into_iter().map(|(_, word)| word).collect() }
    }

    /// Whether the non-empty bucket `range` holds `word`; kept out of line so that the common
    /// case, an empty bucket, is a few inlined instructions.
    #[inline(never)]
    fn bucket_holds(&self, range: u32, word: &str) -> bool {
        let (start, end) = ((range >> 16) as usize, (range & 0xffff) as usize);
        self.words.get(start..end).is_some_and(|bucket| bucket.contains(&word))
    }
}

impl WordSet {
    /// A set of `words` (folded, as tokens' `norm`), fewer than 65,535 of them.
    pub const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet { words, index: OnceLock::new() }
    }

    /// True when `word` is one of the set's words.
    #[inline]
    pub fn contains(&self, word: &str) -> bool {
        let index = self.index.get_or_init(|| Index::new(self.words));
        match index.buckets.get(key(word, index.bits)) {
            Some(&range) if range != 0 => index.bucket_holds(range, word),
            _ => false,
        }
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

        /// Sets of any size, whose words share buckets: every word in, and only those.
        #[test]
        fn large_sets_answer_as_their_lists_do(
            listed in proptest::collection::vec("[a-eé'-]{0,6}", 0..300),
            asked in proptest::collection::vec("[a-eé'-]{0,6}", 0..50),
        ) {
            let words: &'static [&'static str] =
                listed.iter().map(|w| &*w.clone().leak()).collect::<Vec<_>>().leak();
            let set = WordSet::new(words);
            for word in listed.iter().chain(&asked) {
                prop_assert_eq!(set.contains(word), words.contains(&word.as_str()), "{}", word);
            }
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
    fn every_word_of_a_long_list_is_found() {
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
