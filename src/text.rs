//! From article text to sentences and tokens. Sentences are split without a model: a period,
//! question or exclamation mark ends a sentence unless it closes a known abbreviation or an
//! initial. Tokens keep their byte span and a folded form (diacritics removed, lower case,
//! typographic quotes and apostrophes made plain) that all matching uses.

use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

use crate::article::Article;

/// A sentence of an article, numbered in reading order (0 is the headline when there is one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Position in the article.
    pub index: usize,
    /// The sentence text.
    pub text: String,
    /// True for the headline.
    pub is_headline: bool,
}

/// A hash map with [`WordHasher`]: the lexicon is looked up for nearly every token of every
/// sentence, and SipHash (the standard map's hasher) was a tenth of the run time.
pub type WordMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<WordHasher>>;

/// A hash set with [`WordHasher`], for the small per-article sets of words and ids.
pub type WordHashSet<T> = HashSet<T, BuildHasherDefault<WordHasher>>;

/// A fast multiply-rotate hasher (the FxHash scheme) for words and sentences. It offers no
/// protection against keys chosen to collide: the lexicon's keys are its own words, which text
/// only looks up, and the per-article sets it also serves hold a few dozen entries.
#[derive(Default, Clone, Copy)]
pub struct WordHasher(u64);

impl WordHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

/// The bytes of `rest` (fewer than eight) as a little-endian word padded with zero bytes,
/// read in at most two fixed-size loads: a copy of a length known only at run time is a call
/// to `memcpy`, which cost more than the hashing of a short word.
fn tail_word(rest: &[u8]) -> u64 {
    let n = rest.len();
    if n >= 4 {
        // Two loads of four bytes that overlap in the middle: the overlapping bytes are the
        // same in both, so or-ing them places every byte once.
        let (Some(low), Some(high)) = (rest.first_chunk::<4>(), rest.last_chunk::<4>()) else {
            return 0;
        };
        u64::from(u32::from_le_bytes(*low)) | u64::from(u32::from_le_bytes(*high)) << (8 * (n - 4))
    } else if n > 0 {
        // The first, middle and last bytes cover all of one to three bytes.
        u64::from(rest[0])
            | u64::from(rest[n / 2]) << (8 * (n / 2))
            | u64::from(rest[n - 1]) << (8 * (n - 1))
    } else {
        0
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            self.add(tail_word(rest));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cmdr", "adm", "sgt", "st",
    "jr", "sr", "amb", "sen", "rep", "gov", "pres", "min", "dep", "sec", "no", "nos", "vs", "etc",
    "inc", "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "approx", "est", "mt", "ft", "hon", "rev", "messrs", "u.s", "u.n", "u.k",
    "e.u", "a.m", "p.m", "i.e", "e.g",
];

/// The longest sentence, in bytes: a longer run of text without a sentence end is a list or a
/// dump, not a sentence, and is cut at a space (anywhere, past twice the length). Real
/// sentences are far shorter (the examples' longest is about 230 bytes); the cut keeps the
/// extractor's work per sentence, which grows faster than the sentence's length, bounded.
pub const MAX_SENTENCE_BYTES: usize = 2000;

/// Splits an article into sentences: headline, lead, body. A sentence already seen (the lead
/// repeated as the first body paragraph, say) is kept once, so it yields its events once.
pub fn article_sentences(article: &Article) -> Vec<Sentence> {
    // Sentences are told apart by the hash of their folded form, which is worked out without
    // writing the form out; only sentences with the same hash (nearly always the same
    // sentence) are folded and compared. `hashes[k]` is the hash of `sentences[k]`.
    let mut seen: WordHashSet<u64> = WordHashSet::default();
    let mut hashes: Vec<u64> = Vec::new();
    sentences_kept(article, |piece, sentences| {
        let hash = folded_hash(piece);
        if !seen.insert(hash)
            && hashes
                .iter()
                .zip(sentences)
                .any(|(&h, earlier)| h == hash && fold_equal(&earlier.text, piece))
        {
            return false;
        }
        hashes.push(hash);
        true
    })
}

/// The article's sentences that `keep` keeps, asked of each non-empty one in order with those
/// kept before it.
fn sentences_kept(
    article: &Article,
    mut keep: impl FnMut(&str, &[Sentence]) -> bool,
) -> Vec<Sentence> {
    let mut sentences: Vec<Sentence> = Vec::new();
    let mut pieces = Vec::new();
    let headline = article.meta.title.as_deref();
    for (block_index, block) in article.blocks().enumerate() {
        let is_headline = block_index == 0 && headline.is_some();
        pieces.clear();
        if is_headline && block.len() <= MAX_SENTENCE_BYTES {
            pieces.push(block.trim());
        } else {
            sentence_spans(block, &mut pieces);
        }
        for &piece in &pieces {
            let piece =
                if sentences.is_empty() || is_headline { piece } else { strip_dateline(piece) };
            if piece.is_empty() || !keep(piece, &sentences) {
                continue;
            }
            sentences.push(Sentence {
                index: sentences.len(),
                text: piece.to_string(),
                is_headline,
            });
        }
    }
    sentences
}

/// A hash of `fold(text)`, computed without building it: for ASCII text without a backtick
/// the fold is the lower case, which is made a word of eight bytes at a time.
fn folded_hash(text: &str) -> u64 {
    let mut hasher = WordHasher::default();
    let mut chunks = text.as_bytes().chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        match ascii_lower_word(u64::from_le_bytes(word)) {
            Some(lower) => hasher.add(lower),
            None => return folded_bytes_hash(fold(text).as_bytes()),
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        // Zero bytes pad the word: they are ASCII and no letter, so the test stands.
        match ascii_lower_word(tail_word(rest)) {
            Some(lower) => hasher.add(lower),
            None => return folded_bytes_hash(fold(text).as_bytes()),
        }
    }
    hasher.add(text.len() as u64);
    hasher.finish()
}

/// True when `a` and `b` fold alike; text that folds by lower-casing alone (ASCII without a
/// backtick) is compared as it is, without a folded copy.
fn fold_equal(a: &str, b: &str) -> bool {
    let plain = |text: &str| text.is_ascii() && memchr::memchr(b'`', text.as_bytes()).is_none();
    if plain(a) && plain(b) {
        a.eq_ignore_ascii_case(b)
    } else {
        fold(a) == fold(b)
    }
}

/// The hash [`folded_hash`] gives to text whose fold is `folded`.
fn folded_bytes_hash(folded: &[u8]) -> u64 {
    let mut hasher = WordHasher::default();
    hasher.write(folded);
    hasher.add(folded.len() as u64);
    hasher.finish()
}

/// Eight bytes of text lower-cased, or `None` when one of them is not ASCII or is a backtick
/// (text that [`fold`] does more to than lower-case).
fn ascii_lower_word(word: u64) -> Option<u64> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    if word & HIGH != 0 {
        return None;
    }
    // A zero byte where the word has a backtick.
    let backticks = word ^ (ONES * u64::from(b'`'));
    if backticks.wrapping_sub(ONES) & !backticks & HIGH != 0 {
        return None;
    }
    // With every byte below 0x80 no sum carries into the next byte: the high bit of a byte of
    // `at_least_a` is set from `A` up, that of `past_z` from the byte after `Z` up.
    let at_least_a = word + ONES * (0x80 - u64::from(b'A'));
    let past_z = word + ONES * (0x80 - u64::from(b'Z') - 1);
    let upper = at_least_a & !past_z & HIGH;
    Some(word | upper >> 2)
}

/// Removes an in-body dateline such as `ISLAMABAD:` or `ALGIERS, Feb 9 (Xinhua) --` at the
/// start of a paragraph's sentence.
pub fn strip_dateline(sentence: &str) -> &str {
    // Every separator has a colon, a hyphen or the lead byte of a dash: most sentences have
    // none among their first words, and a byte scan spares them the word count and five
    // substring searches.
    let Some(first_mark) = memchr::memchr3(b':', b'-', 0xE2, sentence.as_bytes()) else {
        return sentence;
    };
    if nth_word_start(sentence, 8).is_some_and(|window_end| first_mark >= window_end) {
        return sentence;
    }
    strip_dateline_searching(sentence)
}

/// [`strip_dateline`] without its byte pre-scan: the separators searched for in the first
/// words.
fn strip_dateline_searching(sentence: &str) -> &str {
    // A dateline has at most six words, so its separator ends before the eighth word: there
    // is no need to search the whole sentence five times.
    let window = &sentence[..nth_word_start(sentence, 8).unwrap_or(sentence.len())];
    for separator in [" — ", " -- ", " – ", ": ", " - "] {
        if let Some(pos) = window.find(separator) {
            let head = &sentence[..pos];
            let words = head.split_whitespace().count();
            // A plain hyphen also sets off asides ("Russia - the largest country - said"), so
            // it ends a dateline only after a date or an agency ("Athens, 7 May (dpa) -").
            let dated = head.contains('(') || head.chars().any(|c| c.is_ascii_digit());
            let looks_like_place = head.chars().next().is_some_and(char::is_uppercase)
                && words <= 6
                && !head.contains('"')
                && (separator != ": " || words <= 3)
                && (separator != " - " || dated);
            if looks_like_place && head.split_whitespace().all(|w| !is_lowercase_word(w)) {
                return sentence[pos + separator.len()..].trim_start();
            }
        }
    }
    sentence
}

/// Where the `n`th whitespace-separated word (from 1) starts, if there are that many.
fn nth_word_start(text: &str, n: usize) -> Option<usize> {
    let mut words = 0;
    let mut in_word = false;
    for (at, c) in text.char_indices() {
        if c.is_whitespace() {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
            if words == n {
                return Some(at);
            }
        }
    }
    None
}

fn is_lowercase_word(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_lowercase)
}

/// Splits a paragraph into sentences.
pub fn split_sentences(paragraph: &str) -> Vec<String> {
    let mut pieces = Vec::new();
    sentence_spans(paragraph, &mut pieces);
    pieces.into_iter().map(String::from).collect()
}

/// Appends the sentences of a paragraph to `pieces`, trimmed and non-empty, as slices of it.
fn sentence_spans<'p>(paragraph: &'p str, pieces: &mut Vec<&'p str>) {
    let bytes = paragraph.as_bytes();
    let mut start = 0;
    let mut pos = 0;
    while pos < bytes.len() {
        // Only a sentence end, or a sentence grown to the cut length, can end a piece: jump
        // to the next end mark while the piece stays shorter than that.
        if pos - start < MAX_SENTENCE_BYTES {
            match memchr::memchr3(b'.', b'!', b'?', &bytes[pos..]) {
                Some(offset) if pos + offset - start <= MAX_SENTENCE_BYTES => pos += offset,
                Some(_) | None => {
                    // Walk to where the cut length is reached, on a character boundary.
                    let mut at = start + MAX_SENTENCE_BYTES;
                    if at >= bytes.len() {
                        break;
                    }
                    while !paragraph.is_char_boundary(at) {
                        at += 1;
                    }
                    pos = at;
                }
            }
        }
        let Some(c) = paragraph[pos..].chars().next() else { break };
        let length = pos - start;
        if length >= MAX_SENTENCE_BYTES && (c.is_whitespace() || length >= 2 * MAX_SENTENCE_BYTES) {
            push_trimmed(pieces, &paragraph[start..pos]);
            start = pos;
        }
        let next = pos + c.len_utf8();
        if matches!(c, '.' | '!' | '?') {
            // Take closing quotes and brackets into the sentence.
            let closers = paragraph[next..]
                .find(|ch: char| !matches!(ch, '"' | '”' | '’' | '\'' | ')'))
                .unwrap_or(paragraph.len() - next);
            let end = next + closers;
            let after = &paragraph[end..];
            let followed_by_space = after.chars().next().is_some_and(char::is_whitespace);
            let next_starts_sentence = after
                .trim_start()
                .chars()
                .next()
                .is_some_and(|ch| ch.is_uppercase() || ch.is_ascii_digit() || is_quote(ch));
            if followed_by_space
                && next_starts_sentence
                && (c != '.' || !is_abbreviation(&paragraph[start..pos]))
            {
                push_trimmed(pieces, &paragraph[start..end]);
                start = end;
            }
            pos = end;
        } else {
            pos = next;
        }
    }
    push_trimmed(pieces, &paragraph[start..]);
}

fn push_trimmed<'p>(pieces: &mut Vec<&'p str>, piece: &'p str) {
    let piece = piece.trim();
    if !piece.is_empty() {
        pieces.push(piece);
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '‘' | '\'')
}

/// True when the text before a period ends with an abbreviation or a single-letter initial.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
        .next()
        .unwrap_or("");
    let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
    if is_initial {
        return true;
    }
    // An ASCII word compares without a lower-case copy; any other may still lower-case to
    // an abbreviation (the Kelvin sign to `k`).
    if word.is_ascii() {
        ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
    } else {
        ABBREVIATIONS.contains(&word.to_lowercase().as_str())
    }
}

/// Folds text for matching: diacritics removed, lower case, typographic quotes made plain.
pub fn fold(text: &str) -> String {
    // Most text is plain ASCII: lower-casing is the whole fold. Both tests run a word of
    // bytes at a time, which matters for the sentences the article's seen-set folds.
    if text.is_ascii() && memchr::memchr(b'`', text.as_bytes()).is_none() {
        return text.to_ascii_lowercase();
    }
    let mut folded = String::with_capacity(text.len());
    let mut rest = text;
    while !rest.is_empty() {
        // A run of ASCII other than the backtick is lower-cased whole: most text that is not
        // all ASCII has a typographic quote or a name with a diacritic among plain words.
        let run = rest.bytes().position(|b| b >= 0x80 || b == b'`').unwrap_or(rest.len());
        let (plain, after) = rest.split_at(run);
        let at = folded.len();
        folded.push_str(plain);
        folded[at..].make_ascii_lowercase();
        let mut chars = after.chars();
        let Some(c) = chars.next() else { break };
        rest = chars.as_str();
        match c {
            '’' | '‘' | '`' | '´' => folded.push('\''),
            '“' | '”' | '«' | '»' => folded.push('"'),
            '–' | '—' => folded.push('-'),
            c if c.is_ascii() => folded.push(c.to_ascii_lowercase()),
            c => folded.push_str(&deunicode::deunicode_char(c).unwrap_or("").to_lowercase()),
        }
    }
    folded
}

/// A token of a sentence.
#[derive(Debug, Clone)]
pub struct Token<'s> {
    /// The text as written.
    pub text: &'s str,
    /// Folded form used for matching: the text itself when folding leaves it unchanged (most
    /// words are written in lower case), so that most tokens cost no allocation.
    pub norm: Cow<'s, str>,
    /// Byte offset of the token in the sentence.
    pub start: usize,
    /// The longest lexicon alias starting here (end, target), found on the first lookup: the
    /// rules ask the same token several times, and a sentence is read with one lexicon.
    pub(crate) lexicon_match: std::cell::OnceCell<Option<(usize, crate::lexicon::AliasTarget)>>,
}

impl PartialEq for Token<'_> {
    fn eq(&self, other: &Token) -> bool {
        (&self.text, &self.norm, self.start) == (&other.text, &other.norm, other.start)
    }
}

impl Eq for Token<'_> {}

impl Token<'_> {
    /// The folded form, as a plain `&str` for matching against word lists.
    pub fn norm(&self) -> &str {
        &self.norm
    }

    /// True when the token starts with an upper-case letter.
    pub fn is_capitalised(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// True for a word (starts with a letter or digit).
    pub fn is_word(&self) -> bool {
        self.text.chars().next().is_some_and(char::is_alphanumeric)
    }
}

/// Byte class bits for the tokenizer: an ASCII letter or digit.
const WORD: u8 = 1;
/// An upper-case ASCII letter (with [`WORD`]): the word has something to lower-case.
const UPPER: u8 = 2;
/// ASCII whitespace, as `char::is_whitespace` has it.
const SPACE: u8 = 4;
/// `-`, `.`, `'` and `&`, which join two word characters.
const JOINER: u8 = 8;
/// Other ASCII: a token of its own.
const OTHER: u8 = 16;
/// A byte of a multi-byte character, which is decoded.
const WIDE: u8 = 32;

/// The tokenizer's byte classes: nearly all text is ASCII, and one table lookup a byte spares
/// the UTF-8 decoding and Unicode property tests that only other characters need.
static BYTE_CLASS: [u8; 256] = {
    let mut classes = [WIDE; 256];
    let mut b = 0;
    while b < 128 {
        // The vertical tab is whitespace to `char::is_whitespace`, not to
        // `u8::is_ascii_whitespace`.
        classes[b] = match b as u8 {
            b'\t' | b'\n' | 0x0B | 0x0C | b'\r' | b' ' => SPACE,
            b'-' | b'.' | b'\'' | b'&' => JOINER,
            c if c.is_ascii_uppercase() => WORD | UPPER,
            c if c.is_ascii_alphanumeric() => WORD,
            _ => OTHER,
        };
        b += 1;
    }
    classes
};

/// The class of byte `b`.
fn byte_class(b: u8) -> u8 {
    BYTE_CLASS[usize::from(b)]
}

/// The character starting at byte `at` of `text`, which must be a character boundary.
fn char_at(text: &str, at: usize) -> Option<char> {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => Some(char::from(b)),
        Some(_) => text.get(at..).and_then(|rest| rest.chars().next()),
        None => None,
    }
}

/// True when a letter or digit starts at byte `at` of `text` (a character boundary).
fn alphanumeric_at(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at) {
        Some(&b) if b < 0x80 => byte_class(b) & WORD != 0,
        Some(_) => char_at(text, at).is_some_and(char::is_alphanumeric),
        None => false,
    }
}

/// Splits a sentence into word and punctuation tokens. Words keep inner hyphens, periods
/// (`U.S.`) and apostrophes (`d'Ivoire`); a possessive `'s` is its own token.
pub fn tokenize(sentence: &str) -> Vec<Token<'_>> {
    let bytes = sentence.as_bytes();
    let mut tokens = Vec::with_capacity(sentence.len() / 5 + 1);
    let mut pos = 0;
    while let Some(&first) = bytes.get(pos) {
        let start = pos;
        let first_class = byte_class(first);
        if first_class & SPACE != 0 {
            pos += 1;
            continue;
        }
        // Words of ASCII letters fold by lower-casing alone (a backtick, which folds to an
        // apostrophe, is never part of a word): no second scan of each word. `classes`
        // gathers the word's ASCII classes, to tell whether it has anything to lower-case.
        let mut classes = first_class;
        let (mut end, is_word, mut ascii) = if first_class & WORD != 0 {
            (start + 1, true, true)
        } else if first_class & WIDE == 0 {
            (start + 1, false, first != b'`')
        } else {
            let Some(c) = char_at(sentence, start) else { break };
            if c.is_whitespace() {
                pos += c.len_utf8();
                continue;
            }
            (start + c.len_utf8(), c.is_alphanumeric(), false)
        };
        if is_word {
            loop {
                // The run of ASCII letters and digits, the bulk of every word.
                let run = bytes.get(end..).unwrap_or_default();
                let run = run
                    .iter()
                    .position(|&b| {
                        let class = byte_class(b);
                        classes |= class;
                        class & WORD == 0
                    })
                    .unwrap_or(run.len());
                end += run;
                let Some(&b) = bytes.get(end) else { break };
                if byte_class(b) & JOINER != 0 {
                    if !alphanumeric_at(sentence, end + 1) {
                        break;
                    }
                    end += 1;
                } else if b >= 0x80 {
                    let Some(next) = char_at(sentence, end) else { break };
                    let after = end + next.len_utf8();
                    if !(next.is_alphanumeric()
                        || (next == '’' && alphanumeric_at(sentence, after)))
                    {
                        break;
                    }
                    ascii = false;
                    end = after;
                } else {
                    break;
                }
            }
            // "U.S." keeps its final period when it is an acronym with inner periods.
            if bytes.get(end) == Some(&b'.') {
                let word = &sentence[start..end];
                if word.contains('.') && word.chars().filter(|c| c.is_alphabetic()).count() <= 4 {
                    end += 1;
                }
            }
        }
        pos = end;
        // The byte that ended the word is no upper-case letter: `UPPER` is the word's own.
        push_word(&mut tokens, &sentence[start..end], start, ascii, classes & UPPER != 0);
    }
    tokens
}

/// Pushes a word, split before a possessive `'s`; `ascii` and `upper` as for [`push_token`].
#[inline]
fn push_word<'s>(
    tokens: &mut Vec<Token<'s>>,
    word: &'s str,
    start: usize,
    ascii: bool,
    upper: bool,
) {
    // Every suffix ends in `s`: most words are ruled out by their last byte.
    let split = if word.ends_with('s') {
        ["'s", "’s"]
            .into_iter()
            .find(|suffix| word.len() > suffix.len() + 1 && word.ends_with(suffix))
            .map(|suffix| word.len() - suffix.len())
    } else {
        None
    };
    let head = split.map_or(word, |split| &word[..split]);
    // The suffix is lower case: whatever there is to lower-case is in the head.
    push_token(tokens, head, start, ascii, upper);
    if let Some(split) = split {
        push_token(tokens, &word[split..], start + split, ascii, false);
    }
}

/// Pushes a token; `ascii` when the text is ASCII without a backtick, so that its folded
/// form is its lower case, and then `upper` when it has an upper-case letter.
#[inline(always)]
fn push_token<'s>(
    tokens: &mut Vec<Token<'s>>,
    text: &'s str,
    start: usize,
    ascii: bool,
    upper: bool,
) {
    let norm = if !ascii {
        folded_norm(text)
    } else if upper {
        Cow::Owned(text.to_ascii_lowercase())
    } else {
        Cow::Borrowed(text)
    };
    tokens.push(Token { text, norm, start, lexicon_match: std::cell::OnceCell::new() });
}

/// The folded form of a token that is not plain ASCII: borrowed when folding leaves it as it
/// is. Out of line, so that the tokenizer's loop keeps only the ASCII case.
#[inline(never)]
fn folded_norm(text: &str) -> Cow<'_, str> {
    match fold(text) {
        folded if folded == text => Cow::Borrowed(text),
        folded => Cow::Owned(folded),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_borrow_words_that_folding_leaves_unchanged() {
        let tokens = tokenize("Ministers held talks, São Paulo's mayor said.");
        let forms: Vec<(&str, &str, bool)> =
            tokens.iter().map(|t| (t.text, t.norm(), matches!(t.norm, Cow::Borrowed(_)))).collect();
        assert_eq!(
            forms,
            [
                ("Ministers", "ministers", false),
                ("held", "held", true),
                ("talks", "talks", true),
                (",", ",", true),
                ("São", "sao", false),
                ("Paulo", "paulo", false),
                ("'s", "'s", true),
                ("mayor", "mayor", true),
                ("said", "said", true),
                (".", ".", true),
            ]
        );
    }
    use crate::model::ArticleRef;
    use proptest::prelude::*;

    /// The splitter before it jumped between end marks: the oracle for `split_sentences`.
    fn split_sentences_by_chars(paragraph: &str) -> Vec<String> {
        let chars: Vec<(usize, char)> = paragraph.char_indices().collect();
        let mut sentences = Vec::new();
        let push = |sentences: &mut Vec<String>, piece: &str| {
            let piece = piece.trim();
            if !piece.is_empty() {
                sentences.push(piece.to_string());
            }
        };
        let mut start = 0;
        let mut i = 0;
        while i < chars.len() {
            let (pos, c) = chars[i];
            let length = pos - start;
            if length >= MAX_SENTENCE_BYTES
                && (c.is_whitespace() || length >= 2 * MAX_SENTENCE_BYTES)
            {
                push(&mut sentences, &paragraph[start..pos]);
                start = pos;
            }
            if matches!(c, '.' | '!' | '?') {
                let mut end = i + 1;
                while end < chars.len() && matches!(chars[end].1, '"' | '”' | '’' | '\'' | ')')
                {
                    end += 1;
                }
                let followed_by_space = end < chars.len() && chars[end].1.is_whitespace();
                let next_starts_sentence =
                    chars[end..].iter().find(|(_, ch)| !ch.is_whitespace()).is_some_and(
                        |(_, ch)| ch.is_uppercase() || ch.is_ascii_digit() || is_quote(*ch),
                    );
                let before = &paragraph[start..pos];
                let word = before
                    .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"' || c == '“')
                    .next()
                    .unwrap_or("");
                let lower = word.to_lowercase();
                let is_initial = word.chars().count() == 1 && word.chars().all(char::is_uppercase);
                let abbreviation = is_initial || ABBREVIATIONS.contains(&lower.as_str());
                if followed_by_space && next_starts_sentence && (c != '.' || !abbreviation) {
                    let byte_end = chars.get(end).map_or(paragraph.len(), |(p, _)| *p);
                    push(&mut sentences, &paragraph[start..byte_end]);
                    start = byte_end;
                }
                i = end;
            } else {
                i += 1;
            }
        }
        push(&mut sentences, &paragraph[start..]);
        sentences
    }

    /// The tokenizer before it walked by byte offsets, with plain strings: the oracle for
    /// `tokenize` (text, folded form, start).
    fn tokenize_by_chars(sentence: &str) -> Vec<(String, String, usize)> {
        let mut tokens = Vec::new();
        let mut push =
            |text: &str, start: usize| tokens.push((text.to_string(), fold(text), start));
        let mut chars = sentence.char_indices().peekable();
        while let Some((start, c)) = chars.next() {
            if c.is_whitespace() {
                continue;
            }
            let mut end = start + c.len_utf8();
            if c.is_alphanumeric() {
                while let Some(&(pos, next)) = chars.peek() {
                    let joins = next.is_alphanumeric()
                        || (matches!(next, '-' | '.' | '\'' | '’' | '&')
                            && sentence[pos + next.len_utf8()..]
                                .chars()
                                .next()
                                .is_some_and(char::is_alphanumeric));
                    if !joins {
                        break;
                    }
                    chars.next();
                    end = pos + next.len_utf8();
                }
                if let Some(&(pos, '.')) = chars.peek() {
                    let word = &sentence[start..end];
                    if word.contains('.') && word.chars().filter(|c| c.is_alphabetic()).count() <= 4
                    {
                        chars.next();
                        end = pos + 1;
                    }
                }
            }
            let word = &sentence[start..end];
            let possessive = ["'s", "’s"]
                .into_iter()
                .find(|suffix| word.len() > suffix.len() + 1 && word.ends_with(suffix));
            if let Some(suffix) = possessive {
                let split = word.len() - suffix.len();
                push(&word[..split], start);
                push(&word[split..], start + split);
            } else {
                push(word, start);
            }
        }
        tokens
    }

    /// Text made mostly of the characters the splitter and tokenizer decide on, with some of
    /// any kind, so that their rare branches are reached.
    fn texty() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            4 => proptest::sample::select(vec![
                "Gen", "Mr", "U.S", "K", "J", "the", "Talks", "ended", "é", "Ł", "İ", "K",
                "\u{212a}", "a.m", "India’s", "d'Ivoire", "12", "`x`", "«", "—", "–", "&",
                "e\u{301}", "\u{301}", "O’Brien", "AT&T", "3.5", "U.N.", "x-", "Kim's", "'S",
                "\u{b}", "\u{85}", "`", "Ab9", "ÉTÉ", "\u{2019}s", "١٢",
            ])
            .prop_map(String::from),
            4 => proptest::sample::select(vec![
                ". ", "! ", "? ", ".\" ", ".” ", ".) ", ". (", " ", "  ", "\u{a0}", "\u{2003}",
                ".", "-", "'", "’", "“", "\"", "(", ": ", " — ", " - ", "'s ", "’s ", "\n",
            ])
            .prop_map(String::from),
            1 => any::<String>(),
        ];
        proptest::collection::vec(piece, 0..60).prop_map(|pieces| pieces.concat())
    }

    /// [`article_sentences`] as it was, telling repeats by a set of folded sentences: the
    /// oracle for the hashed set.
    fn article_sentences_folding(article: &Article) -> Vec<Sentence> {
        let mut seen: WordHashSet<String> = WordHashSet::default();
        sentences_kept(article, |piece, _| seen.insert(fold(piece)))
    }

    /// Text whose pieces fold alike in several ways: case, quotes, diacritics.
    fn repetitive() -> impl Strategy<Value = String> {
        let piece = proptest::sample::select(vec![
            "Talks ended. ",
            "TALKS ENDED. ",
            "talks ended. ",
            "Talks endéd. ",
            "Talks `ended`. ",
            "Talks 'ended'. ",
            "Talks ’ended’. ",
            "Talks ended! ",
            "A. ",
            "a. ",
            "@[. ",
            "`[. ",
            "Peace talks between the two sides ended. ",
            "PEACE talks between the two sides ended. ",
        ]);
        proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
    }

    /// [`fold`] as it was, a character at a time.
    fn fold_by_chars(text: &str) -> String {
        let mut folded = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '’' | '‘' | '`' | '´' => folded.push('\''),
                '“' | '”' | '«' | '»' => folded.push('"'),
                '–' | '—' => folded.push('-'),
                c if c.is_ascii() => folded.push(c.to_ascii_lowercase()),
                c => folded.push_str(&deunicode::deunicode_char(c).unwrap_or("").to_lowercase()),
            }
        }
        folded
    }

    proptest! {
        #[test]
        fn fold_matches_the_char_by_char_fold(text in texty()) {
            prop_assert_eq!(fold(&text), fold_by_chars(&text));
        }

        #[test]
        fn tail_word_is_the_zero_padded_little_endian_word(
            rest in proptest::collection::vec(any::<u8>(), 0..8),
        ) {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(&rest);
            prop_assert_eq!(tail_word(&rest), u64::from_le_bytes(word));
        }

        #[test]
        fn fold_equal_is_equality_of_the_folds(a in repetitive(), b in repetitive()) {
            prop_assert_eq!(fold_equal(&a, &b), fold(&a) == fold(&b));
        }

        #[test]
        fn folded_hash_is_the_hash_of_the_fold(text in texty()) {
            prop_assert_eq!(folded_hash(&text), folded_bytes_hash(fold(&text).as_bytes()));
        }

        #[test]
        fn ascii_lower_word_lower_cases_ascii_words(bytes in proptest::array::uniform8(0u8..128)) {
            let lower = ascii_lower_word(u64::from_le_bytes(bytes));
            if bytes.contains(&b'`') {
                prop_assert_eq!(lower, None);
            } else {
                let mut lowered = bytes;
                lowered.make_ascii_lowercase();
                prop_assert_eq!(lower, Some(u64::from_le_bytes(lowered)));
            }
        }

        #[test]
        fn article_sentences_keep_the_first_of_sentences_folding_alike(
            title in proptest::option::of(repetitive()),
            lead in proptest::option::of(prop_oneof![repetitive(), texty()]),
            paragraphs in proptest::collection::vec(prop_oneof![repetitive(), texty()], 0..5),
        ) {
            let meta =
                crate::model::ArticleRef { id: "a".into(), url: None, title, published: None };
            let article = Article { meta, lead, paragraphs };
            prop_assert_eq!(article_sentences(&article), article_sentences_folding(&article));
        }

        #[test]
        fn split_sentences_matches_the_char_by_char_splitter(text in texty()) {
            prop_assert_eq!(split_sentences(&text), split_sentences_by_chars(&text));
        }

        #[test]
        fn long_runs_split_as_the_char_by_char_splitter(
            text in texty(),
            repeat in 1usize..300,
            tail in texty(),
        ) {
            // Past the cut length, with and without spaces and end marks near it.
            let text = format!("{}{}", text.repeat(repeat), tail);
            prop_assert_eq!(split_sentences(&text), split_sentences_by_chars(&text));
        }

        #[test]
        fn tokenize_matches_the_char_by_char_tokenizer(text in texty()) {
            let tokens: Vec<(String, String, usize)> = tokenize(&text)
                .into_iter()
                .map(|t| (t.text.to_string(), t.norm.into_owned(), t.start))
                .collect();
            prop_assert_eq!(tokens, tokenize_by_chars(&text));
            // A folded form is borrowed exactly when folding leaves the text unchanged.
            for token in tokenize(&text) {
                let borrowed = matches!(token.norm, Cow::Borrowed(_));
                prop_assert_eq!(borrowed, token.norm == token.text, "{:?}", token);
            }
        }
    }

    proptest! {
        #[test]
        fn strip_dateline_matches_the_searching_stripper(text in texty()) {
            prop_assert_eq!(strip_dateline(&text), strip_dateline_searching(&text));
            let dated = format!("ROME, 3 May (AFP){text}");
            prop_assert_eq!(strip_dateline(&dated), strip_dateline_searching(&dated));
        }
    }

    #[test]
    fn cut_lengths_fall_where_the_char_by_char_splitter_puts_them() {
        // End marks just before, at and after the cut length, and multi-byte characters
        // across it.
        for pad in [MAX_SENTENCE_BYTES - 3, MAX_SENTENCE_BYTES - 1, MAX_SENTENCE_BYTES] {
            for tail in ["x. Next one.", "é. Next.", " . A", "é é", "ééé"] {
                let text = format!("{}{}{}", "a".repeat(pad), tail, "é".repeat(3000));
                assert_eq!(split_sentences(&text), split_sentences_by_chars(&text));
                let text = format!("{}{}{}", "ab ".repeat(pad / 3), tail, "b".repeat(4500));
                assert_eq!(split_sentences(&text), split_sentences_by_chars(&text));
            }
        }
    }

    #[test]
    fn splits_on_sentence_ends_but_not_abbreviations_or_initials() {
        let text =
            "Gen. Ali met Mr. Smith in the U.S. capital. J. P. Rao left. \"We agree.\" The end!";
        assert_eq!(
            split_sentences(text),
            vec![
                "Gen. Ali met Mr. Smith in the U.S. capital.",
                "J. P. Rao left.",
                "\"We agree.\"",
                "The end!"
            ]
        );
    }

    #[test]
    fn quoted_sentences_split_inside_quotes() {
        let text = "\"Trade was discussed. The sides agreed,\" the ministry said.";
        assert_eq!(
            split_sentences(text),
            vec!["\"Trade was discussed.", "The sides agreed,\" the ministry said."]
        );
    }

    #[test]
    fn repeated_lead_yields_one_sentence() {
        let article = Article {
            meta: ArticleRef {
                id: "t".into(),
                url: None,
                title: Some("Head".into()),
                published: None,
            },
            lead: Some("Lead sentence.".into()),
            paragraphs: vec!["Lead sentence.".into(), "Other one. Lead sentence.".into()],
        };
        let texts: Vec<String> = article_sentences(&article).into_iter().map(|s| s.text).collect();
        assert_eq!(texts, vec!["Head", "Lead sentence.", "Other one."]);
    }

    #[test]
    fn in_body_datelines_are_stripped() {
        assert_eq!(strip_dateline("KABUL: The talks began."), "The talks began.");
        // Six words of place and date are a dateline; a seventh is a sentence.
        assert_eq!(strip_dateline("RIO DE JANEIRO, Brazil, May 3 — Lula spoke."), "Lula spoke.");
        let long = "Officials in the two capitals said on Monday — after talks — that it ended.";
        assert_eq!(strip_dateline(long), long);
        assert_eq!(nth_word_start("  one two  three", 3), Some(11));
        assert_eq!(nth_word_start("one two", 3), None);
        assert_eq!(strip_dateline("NAIROBI, May 3 (Xinhua) — Kenya said."), "Kenya said.");
        assert_eq!(strip_dateline("The minister said: we agree."), "The minister said: we agree.");
        assert_eq!(strip_dateline("Rome/Paris, 7 May 2023 (AFP) - Italy said."), "Italy said.");
        assert_eq!(
            strip_dateline("Russia - a big country - said."),
            "Russia - a big country - said."
        );
    }

    #[test]
    fn ascii_words_join_across_marks_only_before_a_letter_or_digit() {
        let sentence = "AT&T's U.N. envoy met O’Brien - re-elected in 2024 - at 3.5 p.m. today.";
        let tokens = tokenize(sentence);
        let tokens: Vec<(&str, &str, usize)> =
            tokens.iter().map(|t| (t.text, t.norm(), t.start)).collect();
        assert_eq!(
            tokens,
            [
                ("AT&T", "at&t", 0),
                ("'s", "'s", 4),
                ("U.N.", "u.n.", 7),
                ("envoy", "envoy", 12),
                ("met", "met", 18),
                ("O’Brien", "o'brien", 22),
                ("-", "-", 32),
                ("re-elected", "re-elected", 34),
                ("in", "in", 45),
                ("2024", "2024", 48),
                ("-", "-", 53),
                ("at", "at", 55),
                ("3.5", "3.5", 58),
                ("p.m.", "p.m.", 62),
                ("today", "today", 67),
                (".", ".", 72),
            ]
        );
        // Whitespace beyond ASCII separates words. A combining mark is not a letter: it is a
        // token of its own, which folds to nothing.
        let tokens = tokenize("Cafe\u{301}\u{a0}talks\u{b}`end`");
        let tokens: Vec<&str> = tokens.iter().map(|t| t.norm()).collect();
        assert_eq!(tokens, ["cafe", "", "talks", "'", "end", "'"]);
    }

    #[test]
    fn tokens_fold_diacritics_and_keep_compounds() {
        let tokens = tokenize("Erdoğan met the U.S. envoy in Nagorno-Karabakh, India’s ally.");
        let norms: Vec<&str> = tokens.iter().map(|t| t.norm()).collect();
        assert_eq!(
            norms,
            vec![
                "erdogan",
                "met",
                "the",
                "u.s.",
                "envoy",
                "in",
                "nagorno-karabakh",
                ",",
                "india",
                "'s",
                "ally",
                "."
            ]
        );
        assert!(tokens[0].is_capitalised());
    }

    #[test]
    fn a_run_of_text_without_sentence_ends_is_cut_into_bounded_pieces() {
        let words = "Macron met Scholz and ".repeat(1000);
        let pieces = split_sentences(&words);
        assert!(pieces.len() > 5, "{}", pieces.len());
        for piece in &pieces {
            assert!(piece.len() <= MAX_SENTENCE_BYTES + 32, "{}", piece.len());
        }
        assert_eq!(pieces.join(" "), words.trim());
        // Without a space, the cut falls anywhere (on a character boundary).
        let blob = "é".repeat(5 * MAX_SENTENCE_BYTES);
        let pieces = split_sentences(&blob);
        assert!(pieces.iter().all(|p| p.len() <= 2 * MAX_SENTENCE_BYTES + 4));
        assert_eq!(pieces.concat(), blob);
        // A giant headline too.
        let article = crate::article::Article {
            meta: crate::model::ArticleRef {
                id: "x".into(),
                url: None,
                title: Some(words.clone()),
                published: None,
            },
            lead: None,
            paragraphs: vec![],
        };
        assert!(article_sentences(&article)
            .iter()
            .all(|s| s.text.len() <= MAX_SENTENCE_BYTES + 32));
    }
}
