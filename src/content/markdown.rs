//! Markdown to safe HTML.
//!
//! pulldown-cmark escapes text and attributes itself, so the only ways editor text can
//! inject markup are raw HTML and link or image URLs. URLs are filtered here, event by
//! event, to relative addresses and http, https, mailto and tel; raw HTML sends the
//! whole page through ammonia unless the site allows raw HTML. Pages without raw HTML
//! (nearly all of them) skip the sanitiser's HTML parse entirely.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use super::typography::starts_elision;
use super::url::slugify;

/// The URL schemes a link or image may use.
pub const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// The markdown extensions pages use; finding shortcodes parses with the same.
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_SMART_PUNCTUATION)
    .union(Options::ENABLE_HEADING_ATTRIBUTES);

/// Render `markdown` to HTML that is safe to print unescaped.
pub fn to_html(markdown: &str, allow_raw_html: bool) -> String {
    to_html_linked(markdown, allow_raw_html, &|_| None)
}

/// [`to_html`], with links written as content paths (`@/…`) or full addresses of
/// the site replaced by the site path `resolve` gives for them.
pub fn to_html_linked(
    markdown: &str,
    allow_raw_html: bool,
    resolve: &dyn Fn(&str) -> Option<String>,
) -> String {
    let mut events: Vec<Event<'_>> = Parser::new_ext(markdown, OPTIONS).collect();
    // One pass to see what the page needs; most pages need only the heading ids.
    let mut has_raw_html = false;
    let mut has_quotes = false;
    let mut headings = Vec::new();
    for (i, event) in events.iter_mut().enumerate() {
        match event {
            Event::Html(_) | Event::InlineHtml(_) => has_raw_html = true,
            Event::Text(text) => has_quotes |= text.contains('‘'),
            Event::Start(Tag::Heading { attrs, .. }) => {
                // `## Kop {#id .klasse}` may set an id and classes, nothing else:
                // other attributes (`onclick=...`, `style=...`) would bypass the
                // sanitiser.
                attrs.clear();
                headings.push(i);
            }
            _ => {}
        }
    }
    add_heading_ids(&mut events, &headings);
    if has_quotes {
        dutch_apostrophes(&mut events);
    }
    let events = drop_unsafe_urls(events).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if dest_url.starts_with("@/") => Event::Start(Tag::Link {
            link_type,
            dest_url: resolve(&dest_url).map_or(dest_url, CowStr::from),
            title,
            id,
        }),
        event => event,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    if has_raw_html && !allow_raw_html {
        sanitize(&html)
    } else {
        html
    }
}

/// Give every heading (at `headings`) without an explicit id one made from its
/// text, unique per page.
fn add_heading_ids(events: &mut [Event<'_>], headings: &[usize]) {
    if headings.is_empty() {
        return;
    }
    // `inhoud` is the id of <main>, the target of the skip link.
    let mut used: HashSet<String> = ["inhoud".to_string()].into_iter().collect();
    used.extend(headings.iter().filter_map(|&i| match &events[i] {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
        _ => None,
    }));
    for &i in headings {
        if !matches!(&events[i], Event::Start(Tag::Heading { id: None, .. })) {
            continue;
        }
        let mut text = String::new();
        for e in &events[i + 1..] {
            match e {
                Event::End(TagEnd::Heading(_)) => break,
                Event::Text(t) | Event::Code(t) => text.push_str(t),
                _ => {}
            }
        }
        let base = match slugify(&text) {
            s if s.is_empty() => "kop".to_string(),
            s => s,
        };
        let mut id = base.clone();
        let mut n = 2;
        while used.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        used.insert(id.clone());
        if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i] {
            *slot = Some(CowStr::from(id));
        }
    }
}

/// Links and images whose URL has a forbidden scheme lose their tags; their text stays.
fn drop_unsafe_urls(events: Vec<Event<'_>>) -> impl Iterator<Item = Event<'_>> {
    let mut dropped: Vec<bool> = Vec::new();
    events.into_iter().filter(move |event| match event {
        Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) => {
            let safe = is_safe_url(dest_url);
            dropped.push(!safe);
            safe
        }
        Event::End(TagEnd::Link | TagEnd::Image) => !dropped.pop().unwrap_or(false),
        _ => true,
    })
}

/// Whether a link may point at `url`: relative, or one of [`ALLOWED_SCHEMES`].
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore ASCII whitespace and control characters inside a scheme
    // ("java\tscript:"), so skip them while looking. Only the first 16 characters
    // that count can hold a scheme.
    let mut scheme = [' '; 16];
    let visible = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(16);
    for (len, c) in visible.enumerate() {
        match c {
            ':' => {
                return ALLOWED_SCHEMES
                    .iter()
                    .any(|s| s.chars().eq(scheme[..len].iter().copied()));
            }
            '/' | '?' | '#' => return true,
            c => scheme[len] = c.to_ascii_lowercase(),
        }
    }
    true
}

/// Smart punctuation reads the apostrophe of Dutch elisions (`'s avonds`, `'t`, `'n`)
/// as an opening quote; Dutch wants the apostrophe (’) there. The quote is a text
/// event of its own, so what follows it is read from the next text events.
fn dutch_apostrophes(events: &mut [Event<'_>]) {
    for i in 0..events.len() {
        let Event::Text(text) = &events[i] else {
            continue;
        };
        if !text.contains('‘') {
            continue;
        }
        let own = text.chars().count();
        let following = events[i + 1..]
            .iter()
            .map_while(|e| match e {
                Event::Text(t) => Some(t.chars()),
                _ => None,
            })
            .flatten()
            .take(3);
        let chars: Vec<char> = text.chars().chain(following).collect();
        let fixed: String = chars[..own]
            .iter()
            .enumerate()
            .map(|(j, &c)| {
                if c == '‘' && starts_elision(&chars, j + 1) {
                    '’'
                } else {
                    c
                }
            })
            .collect();
        events[i] = Event::Text(CowStr::from(fixed));
    }
}

/// Clean raw HTML: ammonia's default tags, only allowed URL schemes, and the
/// attributes our own markdown output needs (heading ids, footnote classes).
fn sanitize(html: &str) -> String {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(ALLOWED_SCHEMES.into_iter().collect())
        .add_tag_attributes("h1", ["id"])
        .add_tag_attributes("h2", ["id"])
        .add_tag_attributes("h3", ["id"])
        .add_tag_attributes("h4", ["id"])
        .add_tag_attributes("h5", ["id"])
        .add_tag_attributes("h6", ["id"])
        .add_tag_attributes("div", ["id"])
        .add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"])
        .add_allowed_classes("div", ["footnote-definition"]);
    builder.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_unique_ids() {
        let html = to_html(
            "## Wat kun je doen?\n\n## Wat kun je doen?\n\n## Eigen {#eigen}\n",
            false,
        );
        assert!(html.contains(r#"<h2 id="wat-kun-je-doen">"#), "{html}");
        assert!(html.contains(r#"<h2 id="wat-kun-je-doen-2">"#), "{html}");
        assert!(html.contains(r#"<h2 id="eigen">"#), "{html}");
    }

    #[test]
    fn dutch_quotes_and_apostrophes_come_out_right() {
        let html = to_html(
            "Hij zei \"hallo\" en 's avonds zag ze 't 'echte' werk van de jaren '80 en foto's.",
            false,
        );
        assert!(html.contains("“hallo”"), "{html}");
        assert!(html.contains("’s avonds"), "{html}");
        assert!(html.contains("’t "), "{html}");
        assert!(html.contains("‘echte’"), "{html}");
        assert!(html.contains("’80"), "{html}");
        assert!(html.contains("foto’s"), "{html}");
    }

    #[test]
    fn javascript_links_lose_their_tag_but_keep_their_text() {
        let html = to_html(
            "[klik](javascript:alert(1)) [ok](https://example.org) <java\tscript:x>",
            false,
        );
        assert!(!html.to_lowercase().contains("javascript"), "{html}");
        assert!(html.contains("klik"), "{html}");
        assert!(html.contains(r#"<a href="https://example.org""#), "{html}");
    }

    #[test]
    fn heading_attributes_keep_only_id_and_class() {
        let html = to_html("## Kop {#x .c onclick=alert(1) style=color:red}\n", false);
        assert_eq!(html.trim(), r#"<h2 id="x" class="c">Kop</h2>"#);
    }

    #[test]
    fn raw_html_is_sanitised_unless_allowed() {
        let md = "<script>alert(1)</script>\n\n<b onclick=\"x()\">vet</b>\n";
        let safe = to_html(md, false);
        assert!(
            !safe.contains("<script") && !safe.contains("onclick"),
            "{safe}"
        );
        assert!(safe.contains("<b>vet</b>"), "{safe}");
        assert!(to_html(md, true).contains("<script>"));
    }

    #[test]
    fn safe_urls() {
        for ok in [
            "/a/",
            "#x",
            "https://a.nl",
            "mailto:a@b.nl",
            "tel:113",
            "a/b:c",
            "HTTPS://A.NL",
            "zeventienletters:x",
            "pagina?x=javascript:y",
        ] {
            assert!(is_safe_url(ok), "{ok}");
        }
        for bad in [
            "javascript:x",
            " JaVaScRiPt:x",
            "data:text/html,x",
            "vbscript:x",
            "java\nscript:x",
            "j\u{0}avascript:x",
            "jävascript:x",
            "https\u{ff1a}x:y",
            "ftp:x",
        ] {
            assert!(!is_safe_url(bad), "{bad}");
        }
    }
}
