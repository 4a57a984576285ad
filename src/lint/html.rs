//! A small, forgiving HTML tag scanner: start tags with their attributes and
//! byte offsets, nothing else. The lints only ask "which tags with which
//! attributes", and wegwijs' own output is well-formed, so a full HTML parser
//! (a DOM for every page) would cost far more than it tells.

use std::borrow::Cow;

/// A start tag: `<a href="/x/" target=_blank>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag<'a> {
    /// The element name, lower case.
    pub name: Cow<'a, str>,
    /// Attributes in order: lower-case name, value (entities left as written).
    pub attrs: Vec<(Cow<'a, str>, &'a str)>,
    /// Byte offset of the `<`.
    pub start: usize,
    /// Byte offset just after the `>`.
    pub end: usize,
}

impl Tag<'_> {
    /// The value of attribute `name`, if present (`""` for a bare attribute).
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// Whether this tag opens a new window (`target="_blank"`) without
    /// `rel="noopener"` (or `noreferrer`), which lets the new page steer this one.
    pub fn opens_window_unsafely(&self) -> bool {
        self.attr("target")
            .is_some_and(|t| t.eq_ignore_ascii_case("_blank"))
            && !self.attr("rel").is_some_and(|r| {
                r.split_ascii_whitespace().any(|w| {
                    w.eq_ignore_ascii_case("noopener") || w.eq_ignore_ascii_case("noreferrer")
                })
            })
    }
}

/// Every start tag in `html`, skipping comments, end tags, doctypes and the
/// contents of `<script>` and `<style>`.
pub fn tags(html: &str) -> Vec<Tag<'_>> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while let Some(found) = memchr(b'<', &bytes[i..]) {
        let start = i + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(bytes.len(), |end| start + end + 3);
            continue;
        }
        let name_len = rest[1..]
            .bytes()
            .take_while(u8::is_ascii_alphanumeric)
            .count();
        if name_len == 0 || !rest.as_bytes()[1].is_ascii_alphabetic() {
            i = start + 1;
            continue;
        }
        let name = lower(&rest[1..=name_len]);
        let (attrs, end) = attributes(html, start + 1 + name_len);
        i = end;
        if name == "script" || name == "style" {
            let close = format!("</{name}");
            i = html[end..]
                .to_ascii_lowercase()
                .find(&close)
                .map_or(bytes.len(), |j| end + j);
        }
        tags.push(Tag {
            name,
            attrs,
            start,
            end,
        });
    }
    tags
}

/// Lower case, without a copy when it already is (as in wegwijs' own output).
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

/// The attributes from `at` up to the closing `>`; returns them and the offset
/// after the `>` (or the end of the text).
fn attributes(html: &str, mut at: usize) -> (Vec<(Cow<'_, str>, &str)>, usize) {
    let bytes = html.as_bytes();
    let mut attrs = Vec::new();
    loop {
        while at < bytes.len() && (bytes[at].is_ascii_whitespace() || bytes[at] == b'/') {
            at += 1;
        }
        if at >= bytes.len() {
            return (attrs, bytes.len());
        }
        if bytes[at] == b'>' {
            return (attrs, at + 1);
        }
        let name_start = at;
        while at < bytes.len()
            && !bytes[at].is_ascii_whitespace()
            && !matches!(bytes[at], b'=' | b'>' | b'/')
        {
            at += 1;
        }
        let name = lower(&html[name_start..at]);
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        let mut value = "";
        if at < bytes.len() && bytes[at] == b'=' {
            at += 1;
            while at < bytes.len() && bytes[at].is_ascii_whitespace() {
                at += 1;
            }
            match bytes.get(at) {
                Some(&quote @ (b'"' | b'\'')) => {
                    let value_start = at + 1;
                    let close = memchr(quote, &bytes[value_start..])
                        .map_or(bytes.len(), |j| value_start + j);
                    value = &html[value_start..close];
                    at = (close + 1).min(bytes.len());
                }
                _ => {
                    let value_start = at;
                    while at < bytes.len() && !bytes[at].is_ascii_whitespace() && bytes[at] != b'>'
                    {
                        at += 1;
                    }
                    value = &html[value_start..at];
                }
            }
        }
        if name.is_empty() {
            at += 1;
        } else {
            attrs.push((name, value));
        }
    }
}

/// The host of an absolute URL (`https://fonts.example/x` → `fonts.example`,
/// `//cdn.example/x` → `cdn.example`), lower case; `None` for relative URLs.
pub fn host(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        url.strip_prefix("//")?
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = host.split(':').next().unwrap_or(host);
    Some(host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_and_attributes() {
        let html = "<!DOCTYPE html><html lang=nl><!-- <img> --><a href=\"/x/\" target='_blank' hidden>x</a><script>if (a<b) {}</script><IMG SRC=/i.png alt=\"\">";
        let found = tags(html);
        let names: Vec<&str> = found.iter().map(|t| t.name.as_ref()).collect();
        assert_eq!(names, ["html", "a", "script", "img"]);
        assert_eq!(found[0].attr("lang"), Some("nl"));
        assert_eq!(found[1].attr("href"), Some("/x/"));
        assert_eq!(found[1].attr("target"), Some("_blank"));
        assert_eq!(found[1].attr("hidden"), Some(""));
        assert_eq!(found[3].attr("src"), Some("/i.png"));
        assert_eq!(found[3].attr("alt"), Some(""));
        assert_eq!(&html[found[1].start..found[1].start + 2], "<a");
    }

    #[test]
    fn unterminated_markup_is_no_panic() {
        for html in [
            "<a href=\"x",
            "<",
            "<a",
            "<!--",
            "<script>",
            "<a =x>",
            "<é>",
        ] {
            let _ = tags(html);
        }
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host("https://Fonts.Example:443/x").as_deref(),
            Some("fonts.example")
        );
        assert_eq!(host("//cdn.example/x.js").as_deref(), Some("cdn.example"));
        assert_eq!(host("/img/x.png"), None);
        assert_eq!(host("mailto:a@b.nl"), None);
    }
}
