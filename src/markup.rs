//! HTML left in article text by scrapers: tags, comments, `<script>` and `<style>` contents and
//! character entities. [`clean`] turns such text into the plain text the reader expects, with
//! block elements (`<p>`, `<div>`, `<li>`, headings…) as paragraph breaks and `<br>` as a line
//! break. Plain text passes through untouched (and without a copy), so clean articles read
//! exactly as before.

use std::borrow::Cow;

/// Tag names that make a text HTML. A `<` followed by anything else (`a < b`, `<<`, `<Reuters>`)
/// is left as written, so that plain text that happens to hold a `<` is not mangled.
const HTML_TAGS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "audio",
    "b",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "label",
    "li",
    "link",
    "main",
    "mark",
    "meta",
    "nav",
    "noscript",
    "ol",
    "option",
    "p",
    "picture",
    "pre",
    "q",
    "s",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "u",
    "ul",
    "video",
    "wbr",
];

/// The longest tag (with its attributes) recognised, in bytes.
const MAX_TAG: usize = 8192;

/// Elements whose content is code or data, never article text: dropped with their tags.
const RAW_TEXT: &[&str] = &["script", "style", "noscript", "template", "svg", "textarea"];

/// Elements that start a new paragraph.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Named entities decoded: the markup ones, typography, currency and the Latin-1 letters that
/// news names use. Others are left as written.
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    // A non-breaking space separates words like a space; the tokenizer should see one.
    ("nbsp", " "),
    ("ensp", " "),
    ("emsp", " "),
    ("thinsp", " "),
    ("shy", ""),
    ("zwj", ""),
    ("zwnj", ""),
    ("ndash", "–"),
    ("mdash", "—"),
    ("lsquo", "‘"),
    ("rsquo", "’"),
    ("sbquo", "‚"),
    ("ldquo", "“"),
    ("rdquo", "”"),
    ("bdquo", "„"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("hellip", "…"),
    ("bull", "•"),
    ("middot", "·"),
    ("prime", "′"),
    ("deg", "°"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("sect", "§"),
    ("para", "¶"),
    ("times", "×"),
    ("divide", "÷"),
    ("euro", "€"),
    ("pound", "£"),
    ("yen", "¥"),
    ("cent", "¢"),
    ("aacute", "á"),
    ("Aacute", "Á"),
    ("agrave", "à"),
    ("Agrave", "À"),
    ("acirc", "â"),
    ("Acirc", "Â"),
    ("auml", "ä"),
    ("Auml", "Ä"),
    ("atilde", "ã"),
    ("Atilde", "Ã"),
    ("aring", "å"),
    ("Aring", "Å"),
    ("aelig", "æ"),
    ("AElig", "Æ"),
    ("ccedil", "ç"),
    ("Ccedil", "Ç"),
    ("eacute", "é"),
    ("Eacute", "É"),
    ("egrave", "è"),
    ("Egrave", "È"),
    ("ecirc", "ê"),
    ("Ecirc", "Ê"),
    ("euml", "ë"),
    ("Euml", "Ë"),
    ("iacute", "í"),
    ("Iacute", "Í"),
    ("igrave", "ì"),
    ("Igrave", "Ì"),
    ("icirc", "î"),
    ("Icirc", "Î"),
    ("iuml", "ï"),
    ("Iuml", "Ï"),
    ("ntilde", "ñ"),
    ("Ntilde", "Ñ"),
    ("oacute", "ó"),
    ("Oacute", "Ó"),
    ("ograve", "ò"),
    ("Ograve", "Ò"),
    ("ocirc", "ô"),
    ("Ocirc", "Ô"),
    ("ouml", "ö"),
    ("Ouml", "Ö"),
    ("otilde", "õ"),
    ("Otilde", "Õ"),
    ("oslash", "ø"),
    ("Oslash", "Ø"),
    ("uacute", "ú"),
    ("Uacute", "Ú"),
    ("ugrave", "ù"),
    ("Ugrave", "Ù"),
    ("ucirc", "û"),
    ("Ucirc", "Û"),
    ("uuml", "ü"),
    ("Uuml", "Ü"),
    ("yacute", "ý"),
    ("Yacute", "Ý"),
    ("yuml", "ÿ"),
    ("szlig", "ß"),
    ("scaron", "š"),
    ("Scaron", "Š"),
    ("zcaron", "ž"),
    ("Zcaron", "Ž"),
    ("oelig", "œ"),
    ("OElig", "Œ"),
];

/// True when `text` holds at least one HTML tag, comment or doctype.
pub fn looks_like_html(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(offset) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + offset;
        let rest = &text[start + 1..];
        if rest.starts_with("!--") || starts_with_ignore_case(rest, "!doctype") {
            return true;
        }
        if let Some(name) = tag_name(rest) {
            if is_html_tag(&name.to_ascii_lowercase()) {
                return true;
            }
        }
        at = start + 1;
    }
    false
}

/// Plain text from `text`: HTML tags and comments removed (when it [`looks_like_html`]), the
/// contents of `<script>`, `<style>` and the like dropped, block elements turned into blank
/// lines, and character entities (`&amp;`, `&eacute;`, `&#8217;`, `&#x2019;`) decoded. Text with
/// neither `<` nor `&` is returned as it is.
pub fn clean(text: &str) -> Cow<'_, str> {
    // Most articles are plain text: one vectorised scan tells.
    if memchr::memchr2(b'<', b'&', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    if !looks_like_html(text) {
        return decode_entities(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        let Some(offset) = text[at..].find('<') else {
            out.push_str(&decode_entities(&text[at..]));
            break;
        };
        let start = at + offset;
        out.push_str(&decode_entities(&text[at..start]));
        at = match markup_at(text, start) {
            Some((end, replacement)) => {
                out.push_str(replacement);
                end
            }
            None => {
                // A `<` that opens no markup is text.
                out.push('<');
                start + 1
            }
        };
    }
    Cow::Owned(out)
}

/// The markup starting at `text[start] == '<'`: where it ends (and, for a raw-text element,
/// where its closing tag ends) and what stands for it in plain text. `None` when the `<` starts
/// no markup.
fn markup_at(text: &str, start: usize) -> Option<(usize, &'static str)> {
    let rest = &text[start + 1..];
    if let Some(comment) = rest.strip_prefix("!--") {
        let end = comment.find("-->").map_or(text.len(), |e| start + 4 + e + 3);
        return Some((end, ""));
    }
    if let Some(cdata) = rest.strip_prefix("![CDATA[") {
        let end = cdata.find("]]>").map_or(text.len(), |e| start + 9 + e + 3);
        return Some((end, ""));
    }
    if rest.starts_with('!') || rest.starts_with('?') {
        // <!DOCTYPE …>, <?xml …?>
        let end = rest.find('>')?;
        return Some((start + 1 + end + 1, ""));
    }
    let closing = rest.starts_with('/');
    let name = tag_name(rest)?.to_ascii_lowercase();
    let end = start + 1 + tag_end(rest)?;
    if !closing && RAW_TEXT.contains(&name.as_str()) && !text[..end].ends_with("/>") {
        // Skip to the matching closing tag; without one, the rest is the element's content.
        let close = format!("</{name}");
        let content_end = find_ignore_case(&text[end..], &close).map(|c| end + c);
        let after = match content_end {
            Some(c) => tag_end(&text[c + 1..]).map_or(text.len(), |e| c + 1 + e),
            None => text.len(),
        };
        return Some((after, "\n\n"));
    }
    let replacement = if name == "br" || name == "hr" {
        "\n"
    } else if BLOCKS.contains(&name.as_str()) {
        "\n\n"
    } else if name == "td" || name == "th" {
        " "
    } else {
        ""
    };
    Some((end, replacement))
}

/// The name of the tag that `rest` (the text after a `<`) opens or closes: a letter, then
/// letters, digits, `-`, `_`, `:` or `.`, followed by whitespace, `>` or `/`.
fn tag_name(rest: &str) -> Option<&str> {
    let body = rest.strip_prefix('/').unwrap_or(rest);
    if !body.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))
        .unwrap_or(body.len());
    let next = body[len..].chars().next();
    match next {
        Some(c) if c.is_whitespace() || c == '>' || c == '/' => Some(&body[..len]),
        _ => None,
    }
}

/// The offset just past the `>` that closes the tag whose text (after `<`) is `rest`, skipping
/// quoted attribute values (`title="a > b"`). `None` when it is never closed.
fn tag_end(rest: &str) -> Option<usize> {
    let mut quote = None;
    // A real tag is short; giving up after MAX_TAG bytes keeps a stray `<` from making the
    // scan quadratic in a long text.
    for (index, c) in rest.char_indices().take_while(|(i, _)| *i < MAX_TAG) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(index + 1),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

fn is_html_tag(name: &str) -> bool {
    HTML_TAGS.contains(&name)
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix))
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let needle = needle.as_bytes();
    haystack.as_bytes().windows(needle.len()).position(|window| window.eq_ignore_ascii_case(needle))
}

/// Decodes character entities: the named ones in [`ENTITIES`] and every numeric one. An
/// ampersand that starts none of them is kept (`AT&T`, `R&D`).
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while let Some(offset) = text[at..].find('&') {
        let start = at + offset;
        out.push_str(&text[at..start]);
        let rest = &text[start + 1..];
        // Entities are short: look no further than the longest one for the semicolon.
        let semicolon = rest.bytes().take(12).position(|b| b == b';');
        let decoded = semicolon.and_then(|end| entity(&rest[..end]).map(|e| (e, end)));
        match decoded {
            Some((replacement, end)) => {
                out.push_str(&replacement);
                at = start + 1 + end + 1;
            }
            None => {
                out.push('&');
                at = start + 1;
            }
        }
    }
    out.push_str(&text[at..]);
    Cow::Owned(out)
}

/// The text of one entity, given what stands between `&` and `;`.
fn entity(name: &str) -> Option<Cow<'static, str>> {
    if let Some(number) = name.strip_prefix('#') {
        let (digits, radix) = match number.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (number, 10),
        };
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        // Too many digits for a u32 is as impossible a code as any: U+FFFD.
        let code = u32::from_str_radix(digits, radix).unwrap_or(u32::MAX);
        return Some(Cow::Owned(numeric_char(code).to_string()));
    }
    ENTITIES.iter().find(|(n, _)| *n == name).map(|(_, text)| Cow::Borrowed(*text))
}

/// The character a numeric reference stands for. Like browsers, codes 128-159 are read as
/// Windows-1252 (`&#146;` is an apostrophe in pages converted from it), and impossible codes
/// (0, surrogates, beyond U+10FFFF) as U+FFFD.
fn numeric_char(code: u32) -> char {
    if (0x80..=0x9f).contains(&code) {
        let byte = [code as u8];
        let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
        return text.chars().next().unwrap_or('\u{fffd}');
    }
    match char::from_u32(code) {
        Some('\0') | None => '\u{fffd}',
        Some(c) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_returned_without_a_copy() {
        let text = "President Emmanuel Macron met Chancellor Olaf Scholz in Berlin.";
        assert!(matches!(clean(text), Cow::Borrowed(_)));
        assert!(!looks_like_html("1 < 2 and 3 > 2; <Reuters> reported"));
        assert_eq!(clean("1 < 2 and AT&T and R&D; fine"), "1 < 2 and AT&T and R&D; fine");
    }

    #[test]
    fn tags_are_removed_and_blocks_become_paragraphs() {
        let html = "<p>Macron met <b>Scholz</b> in Berlin.</p><p>They discussed <a href=\"/u\">Ukraine</a>.</p>";
        assert_eq!(
            clean(html),
            "\n\nMacron met Scholz in Berlin.\n\n\n\nThey discussed Ukraine.\n\n"
        );
        assert_eq!(clean("One<br>two<br/>three"), "One\ntwo\nthree");
        assert_eq!(clean("<DIV CLASS='x'>Upper case</DIV>"), "\n\nUpper case\n\n");
    }

    #[test]
    fn script_style_and_comments_are_dropped_with_their_content() {
        let html = "<p>Before.</p><script>var s = '<p>not text</p>';</script><style>p { x: 1 }</style><!-- note <p> -->After.";
        let text = clean(html);
        assert!(text.contains("Before.") && text.contains("After."), "{text}");
        assert!(!text.contains("not text") && !text.contains("x: 1") && !text.contains("note"));
        // An unclosed script hides the rest rather than leaking code into the text.
        assert_eq!(clean("<p>Text.</p><script>if (a < b) {").trim(), "Text.");
    }

    #[test]
    fn quoted_attribute_values_may_hold_angle_brackets() {
        assert_eq!(clean("<span title=\"a > b\">Word</span>"), "Word");
    }

    #[test]
    fn named_and_numeric_entities_are_decoded() {
        assert_eq!(clean("Macron &amp; Scholz"), "Macron & Scholz");
        assert_eq!(clean("Fran&ccedil;ois &#8216;x&#x2019; &#146;"), "François ‘x’ ’");
        assert_eq!(clean("caf&eacute;&nbsp;talks"), "café talks");
        assert_eq!(clean("&#0; &#xD800; &#99999999;"), "\u{fffd} \u{fffd} \u{fffd}");
        assert_eq!(clean("&unknown; &#; &#x; &"), "&unknown; &#; &#x; &");
        // Entities in HTML text are decoded too, but never re-read as markup.
        assert_eq!(clean("<p>&lt;p&gt; is a tag</p>").trim(), "<p> is a tag");
    }

    #[test]
    fn doctype_and_a_whole_page_give_the_body_text() {
        let page = "<!DOCTYPE html>\n<html><head><title>Talks</title><meta charset=\"utf-8\"></head>\n<body><h1>Leaders meet</h1>\n<p>Macron met Scholz.</p></body></html>";
        let text = clean(page);
        let words: Vec<&str> = text.split_whitespace().collect();
        assert_eq!(words, ["Talks", "Leaders", "meet", "Macron", "met", "Scholz."]);
    }
}
