//! Lints on a page's markdown, where every finding has an exact line and column:
//! images and their text alternatives, heading levels, link texts, tables, raw
//! HTML (scripts, other hosts, `target="_blank"`), placeholders left by
//! `wegwijs new`; and what later stages need: the links to resolve and the
//! text to score for readability.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::html::{self, host};
use super::readability::Counter;
use crate::content::Page;
use crate::diagnostics::{Diagnostic, Location, Severity};

/// What `wegwijs new` writes where an editor still has to fill something in. With
/// its colon: the comments of a new file may speak of "VUL IN" without being one.
pub const PLACEHOLDER: &str = "VUL IN:";

/// Link texts that say nothing out of context (WCAG 2.4.4).
const VAGUE: [&str; 8] = [
    "klik hier",
    "hier",
    "lees meer",
    "meer",
    "link",
    "deze link",
    "lees verder",
    "klik",
];

/// A link or image in a page, to resolve once the site is rendered.
#[derive(Debug, Clone)]
pub struct Link {
    /// The destination as written.
    pub dest: String,
    /// Byte offset in the page's file.
    pub offset: usize,
    /// Characters to mark.
    pub width: usize,
    /// An image (`![](…)`, `<img src>`) rather than a link.
    pub image: bool,
}

/// What the markdown of one page gave.
#[derive(Debug, Default)]
pub struct PageLints {
    /// Problems found in the source alone.
    pub problems: Vec<Diagnostic>,
    /// Links and images, to resolve later.
    pub links: Vec<Link>,
    /// Words, sentences and syllables of the page's prose.
    pub text: Counter,
    /// Whether the body has a level-1 heading (the rendered page then has two).
    pub has_h1: bool,
}

/// Lint one page's markdown. `own_host` is the host of the site's `base_url`.
/// `sanitized`: raw HTML goes through the sanitiser (site.yaml does not set
/// `allow_raw_html`), which removes scripts, frames and `target`. `score`:
/// count the prose for readability (`check` does; `build` shows only errors).
pub fn lint(page: &Page, own_host: &str, sanitized: bool, score: bool) -> PageLints {
    let mut out = PageLints::default();
    let body = page.body();
    let base = page.body_start;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let finding = |severity: Severity,
                   code: &'static str,
                   offset: usize,
                   width: usize,
                   message: String,
                   help: &str| {
        Diagnostic {
            severity,
            ..Diagnostic::error(message)
        }
        .in_file(&page.file)
        .at(Location::at_offset(&page.source, base + offset, width))
        .with_help(help)
        .with_code(code)
    };
    // The title is the page's h1, so the body's headings start at h2.
    let mut previous_level = 1;
    // Open links and images: (start offset, text so far, is image).
    let mut open: Vec<(usize, String, bool)> = Vec::new();
    let mut in_code = false;
    let mut in_table = 0usize;
    let mut head_cells: (usize, usize) = (0, 0);
    let mut table_start = 0;
    let shortcodes: Vec<std::ops::Range<usize>> = page
        .shortcodes
        .iter()
        .map(|c| c.span.start - base..c.span.end - base)
        .collect();
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let level = heading_number(level);
                if level == 1 {
                    out.has_h1 = true;
                    out.problems.push(finding(
                        Severity::Warning,
                        "extra-h1",
                        range.start,
                        1,
                        "a heading of level 1 in the text: the page then has two main headings".into(),
                        "the title is the page's only level-1 heading; start the text's headings with ##",
                    ));
                } else if level > previous_level + 1 {
                    out.problems.push(finding(
                        Severity::Warning,
                        "heading-skip",
                        range.start,
                        level,
                        format!(
                            "this heading skips a level: h{previous_level} is followed by h{level}"
                        ),
                        &format!(
                            "screen-reader users jump by heading level; use {} here",
                            "#".repeat(previous_level + 1)
                        ),
                    ));
                }
                previous_level = level;
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item) => {
                out.text.end_block();
            }
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Table(_)) => {
                in_table += 1;
                head_cells = (0, 0);
                table_start = range.start;
            }
            Event::End(TagEnd::Table) => {
                in_table = in_table.saturating_sub(1);
                if head_cells.1 == 0 {
                    out.problems.push(finding(
                        Severity::Warning,
                        "table-header",
                        table_start,
                        1,
                        "this table has no header cells".into(),
                        "write a header row with a name for each column, so screen readers can say what each cell is",
                    ));
                }
            }
            Event::Start(Tag::TableHead) => head_cells = (1, 0),
            Event::End(TagEnd::TableHead) => head_cells.0 = 0,
            Event::Start(Tag::Link { dest_url, .. }) => {
                out.links.push(Link {
                    dest: dest_url.to_string(),
                    offset: base + range.start,
                    width: range.len(),
                    image: false,
                });
                open.push((range.start, String::new(), false));
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                out.links.push(Link {
                    dest: dest_url.to_string(),
                    offset: base + range.start,
                    width: range.len(),
                    image: true,
                });
                if let Some(other) = host(&dest_url).filter(|h| h != own_host) {
                    out.problems.push(third_party(
                        &finding,
                        range.start,
                        range.len(),
                        "image",
                        &other,
                    ));
                }
                open.push((range.start, String::new(), true));
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                if let Some((start, text, image)) = open.pop() {
                    let width = range.end - start;
                    link_text(
                        &mut out,
                        &finding,
                        start,
                        width,
                        &text,
                        image,
                        &body[start..range.end],
                    );
                }
            }
            Event::Text(text) | Event::Code(text) => {
                for (_, t, _) in &mut open {
                    t.push_str(&text);
                }
                if head_cells.0 == 1 && !text.trim().is_empty() {
                    head_cells.1 += 1;
                }
                let in_shortcode = shortcodes
                    .iter()
                    .any(|s| s.start <= range.start && range.start < s.end);
                if score && !in_code && in_table == 0 && !in_shortcode {
                    out.text.add(&text);
                }
            }
            // A block's range covers all its lines.
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => {
                raw_html(
                    &mut out,
                    &finding,
                    body,
                    range.start,
                    range.end,
                    own_host,
                    sanitized,
                );
            }
            _ => {}
        }
    }
    out.text.end_block();
    out.links.extend(front_matter_links(page));
    placeholders(page, &mut out.problems);
    out
}

/// Links in front matter: those in the markdown of an argument card's
/// `law.text` and `plan` (shown on the card page), and the `image` a page
/// shares on social media. Each is placed where its characters stand in the
/// front matter; where YAML quoting changed them, at the field itself.
fn front_matter_links(page: &Page) -> Vec<Link> {
    let front = &page.front;
    let front_matter = page.source.get(..page.body_start).unwrap_or("");
    // The start of a field's line: its text stands after it.
    let line_start = |location: Option<Location>| -> usize {
        location.map_or(0, |l| {
            front_matter
                .split_inclusive('\n')
                .take(l.line.saturating_sub(1))
                .map(str::len)
                .sum()
        })
    };
    let link = |from: usize, dest: &str, written: &str, image: bool| {
        let found = front_matter
            .get(from..)
            .and_then(|rest| rest.find(written))
            .filter(|_| !written.is_empty());
        Link {
            dest: dest.to_string(),
            offset: found.map_or(from, |at| from + at),
            width: found.map_or(1, |_| written.chars().count()),
            image,
        }
    };
    let markdown = [
        front
            .law
            .as_ref()
            .map(|law| (law.value.text.as_str(), page.location(law, 1))),
        front
            .plan
            .as_ref()
            .map(|plan| (plan.value.as_str(), page.location(plan, 1))),
    ];
    let mut links = Vec::new();
    for (text, location) in markdown.into_iter().flatten() {
        let from = line_start(location);
        for (event, range) in
            Parser::new_ext(text, crate::content::markdown::OPTIONS).into_offset_iter()
        {
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = &event {
                let written = text[range].lines().next().unwrap_or("");
                let image = matches!(event, Event::Start(Tag::Image { .. }));
                links.push(link(from, dest_url, written, image));
            }
        }
    }
    if let Some(image) = &front.image {
        let from = line_start(page.location(image, 1));
        links.push(link(from, &image.value, &image.value, true));
    }
    links
}

type Finding<'a> = dyn Fn(Severity, &'static str, usize, usize, String, &str) -> Diagnostic + 'a;

fn heading_number(level: HeadingLevel) -> usize {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn third_party(
    finding: &Finding<'_>,
    offset: usize,
    width: usize,
    what: &str,
    other: &str,
) -> Diagnostic {
    finding(
        Severity::Error,
        "third-party",
        offset,
        width,
        format!("this {what} is loaded from another website ({other})"),
        "the site makes no requests to other websites (privacy): put the file in static/ and link it as /…, or link to the page instead of embedding it",
    )
}

/// Alt text of images, and link texts that say nothing.
fn link_text(
    out: &mut PageLints,
    finding: &Finding<'_>,
    start: usize,
    width: usize,
    text: &str,
    image: bool,
    written: &str,
) {
    let text = text.trim();
    if image {
        let file = out
            .links
            .iter()
            .rev()
            .find(|l| l.image)
            .map(|l| l.dest.rsplit('/').next().unwrap_or("").to_lowercase())
            .unwrap_or_default();
        let stem = file.rsplit_once('.').map_or(file.as_str(), |(s, _)| s);
        if text.is_empty() {
            out.problems.push(finding(
                Severity::Error,
                "image-alt",
                start,
                width,
                "this image has no text alternative".into(),
                "write what the image shows between the brackets: ![Een kind filmt met een telefoon](…)",
            ));
        } else if !file.is_empty() && (text.to_lowercase() == file || text.to_lowercase() == stem) {
            out.problems.push(finding(
                Severity::Warning,
                "image-alt-filename",
                start,
                width,
                format!("the text alternative of this image is its file name (`{text}`)"),
                "describe what the image shows, for people who cannot see it",
            ));
        }
        return;
    }
    // A link around only an image is named by the image's alt text.
    if text.is_empty() && !written.trim_start_matches('[').starts_with("![") {
        out.problems.push(finding(
            Severity::Error,
            "empty-link",
            start,
            width,
            "this link has no text".into(),
            "write between the brackets where the link goes: [Lees over loot boxes](…)",
        ));
    } else if VAGUE.contains(&text.to_lowercase().trim_end_matches(['.', '!', ':']).trim()) {
        out.problems.push(finding(
            Severity::Warning,
            "vague-link",
            start,
            width,
            format!("the link text `{text}` does not say where the link goes"),
            "screen-reader users often list the links of a page: name the destination, e.g. [Lees meer over loot boxes](…)",
        ));
    }
}

/// Raw HTML in markdown, from `start` to `end` in the body: scripts, other
/// hosts, new windows without `rel="noopener"`, images without alt text.
fn raw_html(
    out: &mut PageLints,
    finding: &Finding<'_>,
    body: &str,
    start: usize,
    end: usize,
    own_host: &str,
    sanitized: bool,
) {
    let Some(text) = body.get(start..end) else {
        return;
    };
    // What the sanitiser removes is never published: still worth a warning (the
    // editor's markup silently disappears), but no reason to stop a build.
    let (removed, note) = if sanitized {
        (
            Severity::Warning,
            "; wegwijs removes it, because site.yaml does not allow raw HTML",
        )
    } else {
        (Severity::Error, "")
    };
    for tag in html::tags(text) {
        let at = start + tag.start;
        let width = tag.end - tag.start;
        if tag.name == "script" {
            out.problems.push(finding(
                removed,
                "raw-script",
                at,
                width,
                format!("a <script> in the text{note}"),
                "pages work without scripts and the site allows only its own: remove it (a decision tool is a rules file, see docs/beslishulp.md)",
            ));
        }
        for attr in ["src", "href", "data", "poster"] {
            let Some(url) = tag.attr(attr) else {
                continue;
            };
            if tag.name == "a" && attr == "href" {
                out.links.push(Link {
                    dest: url.to_string(),
                    offset: at,
                    width,
                    image: false,
                });
                continue;
            }
            if let Some(other) = host(url).filter(|h| h != own_host) {
                let mut problem =
                    third_party(finding, at, width, &format!("<{}>", tag.name), &other);
                // Of the elements that load something, the sanitiser keeps only <img>.
                if tag.name != "img" {
                    problem.severity = removed;
                    problem.message += note;
                }
                out.problems.push(problem);
            }
        }
        if tag.opens_window_unsafely() {
            out.problems.push(finding(
                removed,
                "target-blank",
                at,
                width,
                format!("a link that opens a new window without rel=\"noopener\"{note}"),
                "remove target=\"_blank\" (let the reader choose), or add rel=\"noopener\"",
            ));
        }
        if tag.name == "img" && tag.attr("alt").is_none() {
            out.problems.push(finding(
                Severity::Error,
                "image-alt",
                at,
                width,
                "this image has no text alternative".into(),
                "add alt=\"…\" describing what the image shows",
            ));
        }
        if tag.name == "table" && !text[tag.end..].to_ascii_lowercase().contains("<th") {
            out.problems.push(finding(
                Severity::Warning,
                "table-header",
                at,
                width,
                "this table has no header cells".into(),
                "give each column a <th> with its name",
            ));
        }
    }
}

/// `VUL IN` left by `wegwijs new`, anywhere in the file.
fn placeholders(page: &Page, problems: &mut Vec<Diagnostic>) {
    for (offset, _) in page.source.match_indices(PLACEHOLDER) {
        problems.push(placeholder(&page.source, &page.file, offset));
    }
}

/// The finding for a placeholder at `offset` of `source`.
pub fn placeholder(source: &str, file: &std::path::Path, offset: usize) -> Diagnostic {
    // Mark the words, not the colon.
    let location = Location::at_offset(source, offset, PLACEHOLDER.len() - 1);
    let rest = location
        .source_line
        .chars()
        .skip(location.column - 1)
        .collect::<String>();
    Diagnostic::warning(format!(
        "still to fill in: {}",
        rest.trim().trim_matches('"')
    ))
    .in_file(file)
    .at(location)
    .with_help("replace the text after VUL IN (and VUL IN itself) with the real content")
    .with_code("placeholder")
}
