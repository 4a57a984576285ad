//! Lints on the rendered files, gathered while they are written: a [`Recorder`]
//! sits between render and the real sink, notes every output path (the link
//! targets), the ids of each HTML file (the anchor targets), and what only the
//! whole page shows: `lang`, the number of h1s, images without alt text, other
//! hosts, new windows without `rel="noopener"`, in the theme's markup as much as
//! in the text.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use super::html::{host, tags};
use crate::diagnostics::{Diagnostic, Severity};
use crate::output::Sink;

/// A problem seen in a rendered file, before it is traced to its source.
#[derive(Debug, Clone)]
pub struct Seen {
    /// Error or warning.
    pub severity: Severity,
    /// The finding's kind.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: &'static str,
    /// Text to look for in the sources (a URL, `<html`), to find where it came from.
    pub needle: String,
}

/// What one rendered HTML file holds.
#[derive(Debug, Default)]
pub struct Facts {
    /// Every `id` in it.
    pub ids: HashSet<String>,
    /// Problems seen in it.
    pub seen: Vec<Seen>,
}

/// A sink that lints what passes through it on the way to `inner`.
pub struct Recorder<'a> {
    inner: &'a dyn Sink,
    own_host: String,
    files: Mutex<HashMap<String, Option<Facts>>>,
}

impl<'a> Recorder<'a> {
    /// Record what goes to `inner`; `own_host` is the host of the site's address.
    pub fn new(inner: &'a dyn Sink, own_host: &str) -> Self {
        Recorder {
            inner,
            own_host: own_host.to_string(),
            files: Mutex::default(),
        }
    }

    /// Every output path with the facts of its HTML (`None` for other files).
    pub fn into_files(self) -> HashMap<String, Option<Facts>> {
        self.files
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

impl Sink for Recorder<'_> {
    fn put(&self, path: &str, bytes: Vec<u8>) -> Result<(), Diagnostic> {
        // Rendered pages and stylesheets are UTF-8; anything else is not scanned.
        let text = std::str::from_utf8(&bytes).ok();
        let facts = if let Some(html) = text.filter(|_| path.ends_with(".html")) {
            Some(scan_html(html, &self.own_host))
        } else if let Some(css) = text.filter(|_| path.ends_with(".css")) {
            let seen = scan_css(css, &self.own_host);
            (!seen.is_empty()).then(|| Facts {
                seen,
                ..Facts::default()
            })
        } else {
            None
        };
        self.inner.put(path, bytes)?;
        // The lock is held only to insert: the scan above runs in parallel.
        self.files
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(path.to_string(), facts);
        Ok(())
    }

    fn previous(&self, path: &str) -> Option<Vec<u8>> {
        self.inner.previous(path)
    }
}

const THIRD_PARTY_HELP: &str = "the site makes no requests to other websites (privacy): serve the file from the theme or static/, or link to the page instead of embedding it";

fn third_party(what: &str, url: &str, other: &str) -> Seen {
    Seen {
        severity: Severity::Error,
        code: "third-party",
        message: format!("this {what} is loaded from another website ({other})"),
        help: THIRD_PARTY_HELP,
        needle: url.to_string(),
    }
}

/// The facts of one HTML file.
pub fn scan_html(html: &str, own_host: &str) -> Facts {
    let mut facts = Facts::default();
    let mut h1s = 0;
    for tag in tags(html) {
        if let Some(id) = tag.attr("id") {
            facts.ids.insert(id.to_string());
        }
        let name = tag.name.as_ref();
        match name {
            "html" if tag.attr("lang").is_none_or(|l| l.trim().is_empty()) => {
                facts.seen.push(Seen {
                    severity: Severity::Error,
                    code: "lang-missing",
                    message: "the page does not say which language it is in (<html> has no lang)".into(),
                    help: "write <html lang=\"{{ config.language }}\"> in the base template, so screen readers pronounce the text as Dutch",
                    needle: html[tag.start..tag.end].to_string(),
                });
            }
            "h1" => {
                h1s += 1;
                if h1s == 2 {
                    facts.seen.push(Seen {
                        severity: Severity::Warning,
                        code: "extra-h1",
                        message: "the page has more than one level-1 heading".into(),
                        help: "a page has one <h1>, its title; use <h2> for the parts",
                        needle: "<h1".into(),
                    });
                }
            }
            "img" if tag.attr("alt").is_none() => facts.seen.push(Seen {
                severity: Severity::Error,
                code: "image-alt",
                message: "an image without a text alternative (no alt)".into(),
                help: "add alt=\"…\" describing the image, or alt=\"\" if it only decorates",
                needle: tag.attr("src").unwrap_or("<img").to_string(),
            }),
            _ => {}
        }
        let loads = match name {
            "script" | "img" | "iframe" | "source" | "video" | "audio" | "embed" | "track" => {
                tag.attr("src")
            }
            "object" => tag.attr("data"),
            "link" => tag
                .attr("rel")
                .filter(|rel| {
                    rel.split_ascii_whitespace().any(|r| {
                        matches!(
                            r.to_ascii_lowercase().as_str(),
                            "stylesheet"
                                | "icon"
                                | "preload"
                                | "modulepreload"
                                | "prefetch"
                                | "manifest"
                                | "apple-touch-icon"
                                | "preconnect"
                                | "dns-prefetch"
                        )
                    })
                })
                .and_then(|_| tag.attr("href")),
            _ => None,
        };
        if let Some(url) = loads
            && let Some(other) = host(url).filter(|h| h != own_host)
        {
            facts
                .seen
                .push(third_party(&format!("<{name}>"), url, &other));
        }
        if tag.opens_window_unsafely() {
            facts.seen.push(Seen {
                severity: Severity::Error,
                code: "target-blank",
                message: "a link that opens a new window without rel=\"noopener\"".into(),
                help: "remove target=\"_blank\" (let the reader choose), or add rel=\"noopener\"",
                needle: tag.attr("href").unwrap_or("_blank").to_string(),
            });
        }
    }
    facts
}

/// Fonts and images a stylesheet loads from other hosts (`url(https://…)`,
/// `@import "https://…"`).
fn scan_css(css: &str, own_host: &str) -> Vec<Seen> {
    let mut seen = Vec::new();
    for (i, _) in css
        .match_indices("url(")
        .chain(css.match_indices("@import"))
    {
        let rest = &css[i..];
        let start = rest
            .find(['(', '"', '\'', ' '])
            .map_or(rest.len(), |j| j + 1);
        let url: String = rest[start..]
            .trim_start_matches(['"', '\'', ' '])
            .chars()
            .take_while(|c| !matches!(c, '"' | '\'' | ')' | ';' | ' '))
            .collect();
        if let Some(other) = host(&url).filter(|h| h != own_host) {
            seen.push(third_party("style sheet resource", &url, &other));
        }
    }
    seen
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sees_page_level_problems() {
        let html = "<html><h1>a</h1><h1 id=x>b</h1><img src=/a.png><script src=\"https://cdn.example/x.js\"></script><link rel=stylesheet href=//fonts.example/f.css><a href=/b/ target=_blank>b</a><a href=/c/ target=_blank rel=noopener>c</a><img src=https://own.example/i.png alt=\"\">";
        let facts = scan_html(html, "own.example");
        let codes: Vec<&str> = facts.seen.iter().map(|s| s.code).collect();
        assert_eq!(
            codes,
            [
                "lang-missing",
                "extra-h1",
                "image-alt",
                "third-party",
                "third-party",
                "target-blank"
            ]
        );
        assert!(facts.ids.contains("x"));
        let css = scan_css(
            "@import url(\"https://fonts.example/a.css\");b{background:url(/own.png)}",
            "own.example",
        );
        assert_eq!(css.len(), 1);
        assert_eq!(css[0].needle, "https://fonts.example/a.css");
    }
}
