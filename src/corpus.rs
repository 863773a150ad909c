//! A benchmark corpus of any size without shipping data: articles in the wire layout made by
//! recombining the sentences of the project's own example articles, with the countries and
//! people they name swapped for others from the lexicon. The text stays realistic (the same
//! constructions the extractor meets in the examples) while every article is distinct (its
//! URL, date, sentence choice and entities differ). Generation is deterministic for a seed, and
//! article `i` depends only on the seed and `i`, so a corpus can be generated in parallel.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::article::{parse_json_article, parse_text_article, Article};
use crate::lexicon::{LexId, Lexicon};
use crate::model::EntityKind;
use crate::text::article_sentences;

/// The example articles, embedded so the generator works from any directory.
const EXAMPLES: [(&str, &str); 9] = [
    ("01", include_str!("../examples/articles/01-erdogan-putin-call.txt")),
    ("02", include_str!("../examples/articles/02-xi-state-visit-uk.txt")),
    ("03", include_str!("../examples/articles/03-italy-algeria-energy-agreements.txt")),
    ("04", include_str!("../examples/articles/04-iraq-condemns-drone-strike.txt")),
    ("05", include_str!("../examples/articles/05-eu-sanctions-belarus.txt")),
    ("06", include_str!("../examples/articles/06-kyrgyzstan-tajikistan-border-clashes.txt")),
    ("07", include_str!("../examples/articles/07-african-union-suspends-niger.txt")),
    ("08", include_str!("../examples/articles/08-india-japan-foreign-ministers.txt")),
    ("wire", include_str!("../examples/articles/wire.jsonl")),
];

/// A small, fast, seedable PRNG (SplitMix64). Not for cryptography: it only has to spread
/// choices evenly and give the same sequence for the same seed on every platform.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0). The modulo bias is negligible for the small `n` used here.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

/// A piece of a template sentence: literal text, or a slot holding the name of a lexicon
/// entity that may be swapped for another of the same kind.
#[derive(Debug, Clone)]
enum Piece {
    Text(String),
    Slot(usize),
}

/// The material articles are made of: template sentences and the pools of names to swap in.
#[derive(Debug)]
pub struct Generator {
    headlines: Vec<Vec<Piece>>,
    sentences: Vec<Vec<Piece>>,
    /// The names found in the examples, with their kind: slot `i` originally held `names[i]`.
    names: Vec<(String, EntityKind)>,
    states: Vec<String>,
    people: Vec<String>,
}

const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

impl Generator {
    /// Reads the embedded examples and collects the lexicon's states and office holders.
    pub fn new(lexicon: &Lexicon) -> Generator {
        let mut states = Vec::new();
        let mut people = Vec::new();
        for index in 0..lexicon.entity_count() {
            let lex = lexicon.entity(LexId(index));
            match lex.entity.kind {
                EntityKind::State => states.push(lex.entity.name.clone()),
                EntityKind::Person if !lex.offices.is_empty() => {
                    people.push(lex.entity.name.clone())
                }
                _ => {}
            }
        }
        // Longest names first, so "Recep Tayyip Erdogan" is a slot before "Erdogan" could be.
        let mut known: Vec<(String, EntityKind)> = states
            .iter()
            .map(|n| (n.clone(), EntityKind::State))
            .chain(people.iter().map(|n| (n.clone(), EntityKind::Person)))
            .collect();
        known.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        let mut generator = Generator {
            headlines: Vec::new(),
            sentences: Vec::new(),
            names: Vec::new(),
            states,
            people,
        };
        for article in example_articles() {
            for sentence in article_sentences(&article) {
                let template = generator.template(&sentence.text, &known);
                if sentence.is_headline {
                    generator.headlines.push(template);
                } else {
                    generator.sentences.push(template);
                }
            }
        }
        generator
    }

    /// Cuts a sentence into text and slots at every whole-word occurrence of a known name.
    fn template(&mut self, sentence: &str, known: &[(String, EntityKind)]) -> Vec<Piece> {
        let mut found: Vec<(usize, usize, usize)> = Vec::new();
        for (name, kind) in known {
            let mut from = 0;
            while let Some(pos) = sentence[from..].find(name.as_str()) {
                let start = from + pos;
                let end = start + name.len();
                from = end;
                let bounded = !sentence[..start].ends_with(char::is_alphanumeric)
                    && !sentence[end..].starts_with(char::is_alphanumeric);
                if !bounded || found.iter().any(|&(s, e, _)| start < e && s < end) {
                    continue;
                }
                let slot = match self.names.iter().position(|(n, _)| n == name) {
                    Some(slot) => slot,
                    None => {
                        self.names.push((name.clone(), *kind));
                        self.names.len() - 1
                    }
                };
                found.push((start, end, slot));
            }
        }
        found.sort_unstable();
        let mut pieces = Vec::new();
        let mut at = 0;
        for (start, end, slot) in found {
            pieces.push(Piece::Text(sentence[at..start].to_string()));
            pieces.push(Piece::Slot(slot));
            at = end;
        }
        pieces.push(Piece::Text(sentence[at..].to_string()));
        pieces
    }

    /// Article `index` of the corpus for `seed`, in the wire layout.
    pub fn article(&self, seed: u64, index: u64) -> String {
        let mut rng = SplitMix64::new(seed ^ index.wrapping_mul(0xa076_1d64_78bd_642f));
        // Each article swaps each example name for one other name, the same all through it,
        // so that later mentions ("Putin ... the Russian leader ... Putin") stay consistent.
        let swaps: Vec<&str> = self
            .names
            .iter()
            .map(|(name, kind)| {
                let pool = if *kind == EntityKind::State { &self.states } else { &self.people };
                if rng.below(4) == 0 || pool.is_empty() {
                    name.as_str()
                } else {
                    pool[rng.below(pool.len())].as_str()
                }
            })
            .collect();
        let fill = |template: &[Piece], out: &mut String| {
            for piece in template {
                match piece {
                    Piece::Text(text) => out.push_str(text),
                    Piece::Slot(slot) => out.push_str(swaps[*slot]),
                }
            }
        };
        let year = 2015 + rng.below(10);
        let month = rng.below(12);
        let day = 1 + rng.below(28);
        let mut text = String::with_capacity(2048);
        fill(&self.headlines[rng.below(self.headlines.len())], &mut text);
        let _ = write!(
            text,
            "\nhttps://bench.example/{year}/{:02}/{day:02}/article-{index}\n",
            month + 1
        );
        let lead = &self.sentences[rng.below(self.sentences.len())];
        fill(lead, &mut text);
        let _ = write!(
            text,
            "\n{} {day:02}, {year} {:02}:{:02} UTC\n\n",
            MONTHS[month],
            rng.below(24),
            rng.below(60)
        );
        // The wire layout repeats the lead as the first paragraph.
        fill(lead, &mut text);
        let paragraphs = 3 + rng.below(6);
        for _ in 0..paragraphs {
            text.push_str("\n\n");
            let sentences = 1 + rng.below(3);
            for k in 0..sentences {
                if k > 0 {
                    text.push(' ');
                }
                fill(&self.sentences[rng.below(self.sentences.len())], &mut text);
            }
        }
        text.push('\n');
        text
    }
}

fn example_articles() -> Vec<Article> {
    let mut articles = Vec::new();
    for (id, text) in EXAMPLES {
        if id == "wire" {
            for (line, record) in text.lines().enumerate() {
                if let Ok(article) = parse_json_article(record, &format!("wire:{}", line + 1)) {
                    articles.push(article);
                }
            }
        } else if let Some(article) = parse_text_article(text, id) {
            articles.push(article);
        }
    }
    articles
}

/// How the corpus is laid out on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One `.txt` file per article, 1,000 to a sub-directory (`0003/a0003141.txt`).
    Text,
    /// JSON Lines files of 10,000 articles each (`part-0000.jsonl`).
    JsonLines,
}

/// What a generation run wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    /// Articles written.
    pub articles: u64,
    /// Bytes of article text (file content) written.
    pub bytes: u64,
}

/// Articles per output chunk: a sub-directory of text files, or a JSON Lines file.
fn chunk_size(layout: Layout) -> u64 {
    match layout {
        Layout::Text => 1_000,
        Layout::JsonLines => 10_000,
    }
}

/// Writes `count` articles for `seed` into `dir`, chunks in parallel on rayon's pool.
pub fn generate(
    lexicon: &Lexicon,
    dir: &Path,
    count: u64,
    seed: u64,
    layout: Layout,
) -> std::io::Result<Written> {
    let generator = Generator::new(lexicon);
    std::fs::create_dir_all(dir)?;
    let per_chunk = chunk_size(layout);
    let chunks: Vec<u64> = (0..count.div_ceil(per_chunk)).collect();
    let written = chunks
        .par_iter()
        .map(|&chunk| {
            let first = chunk * per_chunk;
            let last = (first + per_chunk).min(count);
            write_chunk(&generator, dir, chunk, first..last, seed, layout)
        })
        .collect::<std::io::Result<Vec<Written>>>()?;
    Ok(written.iter().fold(Written { articles: 0, bytes: 0 }, |a, w| Written {
        articles: a.articles + w.articles,
        bytes: a.bytes + w.bytes,
    }))
}

fn write_chunk(
    generator: &Generator,
    dir: &Path,
    chunk: u64,
    range: std::ops::Range<u64>,
    seed: u64,
    layout: Layout,
) -> std::io::Result<Written> {
    let mut written = Written { articles: 0, bytes: 0 };
    match layout {
        Layout::Text => {
            let sub: PathBuf = dir.join(format!("{chunk:04}"));
            std::fs::create_dir_all(&sub)?;
            for index in range {
                let text = generator.article(seed, index);
                std::fs::write(sub.join(format!("a{index:07}.txt")), &text)?;
                written.articles += 1;
                written.bytes += text.len() as u64;
            }
        }
        Layout::JsonLines => {
            let file = std::fs::File::create(dir.join(format!("part-{chunk:04}.jsonl")))?;
            let mut out = std::io::BufWriter::new(file);
            for index in range {
                let text = generator.article(seed, index);
                // Reuse the text reader: the JSON record holds what it found in the layout.
                let Some(article) = parse_text_article(&text, "x") else { continue };
                let record = serde_json::json!({
                    "id": format!("a{index:07}"),
                    "title": article.meta.title,
                    "url": article.meta.url,
                    "date": article.meta.published.map(|d| d.to_string()),
                    "text": article.lead.iter().chain(&article.paragraphs)
                        .map(String::as_str).collect::<Vec<_>>().join("\n\n"),
                });
                let line = record.to_string();
                out.write_all(line.as_bytes())?;
                out.write_all(b"\n")?;
                written.articles += 1;
                written.bytes += line.len() as u64 + 1;
            }
            out.flush()?;
        }
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lexicon() -> Lexicon {
        Lexicon::embedded().expect("built-in lexicon")
    }

    #[test]
    fn same_seed_same_article_and_articles_differ() {
        let generator = Generator::new(&lexicon());
        assert_eq!(generator.article(7, 3), generator.article(7, 3));
        assert_ne!(generator.article(7, 3), generator.article(7, 4));
        assert_ne!(generator.article(7, 3), generator.article(8, 3));
    }

    #[test]
    fn articles_read_back_in_the_wire_layout_with_url_and_date() {
        let generator = Generator::new(&lexicon());
        assert!(generator.names.len() > 5, "names found in the examples: {:?}", generator.names);
        for index in 0..20 {
            let text = generator.article(1, index);
            let article = parse_text_article(&text, "g").expect("an article");
            let url = article.meta.url.expect("url");
            assert!(url.ends_with(&format!("/article-{index}")), "{url}");
            assert!(article.meta.published.is_some(), "{text}");
            assert!(article.paragraphs.len() >= 4);
        }
    }

    #[test]
    fn generated_corpus_has_the_asked_number_of_articles() {
        let dir = tempfile::tempdir().expect("tempdir");
        let lexicon = lexicon();
        let text = generate(&lexicon, &dir.path().join("t"), 1_005, 1, Layout::Text).expect("gen");
        assert_eq!(text.articles, 1_005);
        assert_eq!(std::fs::read_dir(dir.path().join("t/0001")).expect("chunk").count(), 5);
        let json =
            generate(&lexicon, &dir.path().join("j"), 12, 1, Layout::JsonLines).expect("gen");
        assert_eq!(json.articles, 12);
        let lines = std::fs::read_to_string(dir.path().join("j/part-0000.jsonl")).expect("read");
        assert_eq!(lines.lines().count(), 12);
        for (n, line) in lines.lines().enumerate() {
            parse_json_article(line, "x").unwrap_or_else(|e| panic!("line {n}: {e}"));
        }
    }
}
