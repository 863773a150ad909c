//! Any bytes as an article input: binary sniffing, decoding, HTML stripping, the wire layout
//! and JSON Lines (with a small size limit, so over-long lines are exercised too). The reader
//! must never panic, and must give every input an article or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;

use dipgraph::article::{decode_text, parse_json_article, parse_text_article, ArticleStream};

fuzz_target!(|data: &[u8]| {
    // The stream, as standard input is read: JSON Lines or one text article.
    let stream =
        ArticleStream::from_reader(std::io::Cursor::new(data.to_vec()), "fuzz").max_article_bytes(512);
    for item in stream {
        if let Err(error) = &item.article {
            // Every message is one line.
            assert!(!error.to_string().contains('\n'), "{error}");
        }
        for warning in &item.warnings {
            assert!(!warning.to_string().contains('\n'), "{warning}");
        }
    }
    // The parsers on their own, on the decoded text.
    let (text, _) = decode_text(data);
    if let Some(article) = parse_text_article(&text, "fuzz") {
        let _ = article.has_words();
        let _ = article.content_hash();
    }
    let _ = parse_json_article(&text, "fuzz:1");
    let _ = dipgraph::markup::clean(&text);
});
