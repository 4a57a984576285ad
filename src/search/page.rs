//! The data of the search page `/zoeken/` and of the A to Z: the index's
//! entry file for the script, the filters, and for readers without JavaScript
//! a link to each theme and age group and to each letter of the A to Z, whose
//! page (`/zoeken/a/`) lists the pages that begin with it.
//!
//! Every parent who searches loads `/zoeken/`, so it lists no pages itself: on
//! a 10,000-page site every page on it, even once, made a first query cost 320
//! KB against 300 (docs/decisions/001-search-index.md). The theme and age
//! pages list their pages already.

use serde_json::Value;

use super::records::{is_found, kind_label};
use crate::config::Taxonomy;
use crate::render::tools::start_url;
use crate::site::Site;

/// Where the search page is.
pub const URL: &str = "/zoeken/";

/// The template that renders it; a theme without it has no search page.
pub const TEMPLATE: &str = "search.html";

/// The template of a letter of the A to Z; a theme without it (or without a
/// search page) has no A to Z.
pub const LETTER_TEMPLATE: &str = "search-letter.html";

/// A letter of the A to Z and the pages whose title begins with it.
#[derive(Debug, Clone)]
pub struct Letter {
    /// As shown: "A", "0-9" for titles that begin with a digit, "#" for others.
    pub label: String,
    /// Its page.
    pub url: String,
    /// What it lists, sorted by title.
    pub entries: Vec<Entry>,
}

/// What a letter of the A to Z lists.
#[derive(Debug, Clone, Copy)]
pub enum Entry {
    /// `site.pages[i]`.
    Page(usize),
    /// The start page of `site.tools[i]`.
    Tool(usize),
}

/// The A to Z of every page search finds (no drafts, not the home page, no
/// campaign outside its window) and every decision tool's start page.
pub fn letters(site: &Site) -> Vec<Letter> {
    let pages = site.pages.iter().enumerate();
    let pages = pages
        .filter(|(_, p)| is_found(site, p))
        .map(|(i, p)| (p.title(), Entry::Page(i)));
    let tools = site.tools.iter().enumerate();
    let tools = tools.map(|(i, t)| (t.tree.title.as_str(), Entry::Tool(i)));
    // (letter, sort key, entry)
    let mut all: Vec<(char, String, Entry)> = pages
        .chain(tools)
        .map(|(title, entry)| (letter(title), title.to_lowercase(), entry))
        .collect();
    all.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut letters: Vec<Letter> = Vec::new();
    let mut current = None;
    for (first, _, entry) in all {
        match letters.last_mut() {
            Some(last) if current == Some(first) => last.entries.push(entry),
            _ => {
                current = Some(first);
                let (label, slug) = match first {
                    '0' => ("0-9".to_string(), "0-9".to_string()),
                    '#' => ("#".to_string(), "overig".to_string()),
                    c => (c.to_string(), c.to_ascii_lowercase().to_string()),
                };
                letters.push(Letter {
                    label,
                    url: format!("{URL}{slug}/"),
                    entries: vec![entry],
                });
            }
        }
    }
    letters
}

/// The letter a title is listed under: its first letter or digit without its
/// accent ("Één" under E), '0' for every digit, '#' for what is not A to Z.
fn letter(title: &str) -> char {
    match title
        .chars()
        .find(|c| c.is_alphanumeric())
        .map(super::text::fold)
    {
        Some(c) if c.is_ascii_digit() => '0',
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
        _ => '#',
    }
}

/// `search` on the search page: `{ index, themes, ages, letters }`. `themes`
/// and `ages` are `{ slug, label, url, count }`: the term's page and how many
/// pages it lists; `letters` are `{ label, url, count }` (none when the theme
/// has no A to Z).
pub fn value(site: &Site, letters: &[Letter], index_url: &str) -> Value {
    let listed: Vec<&crate::content::Page> =
        site.pages.iter().filter(|p| is_found(site, p)).collect();
    let terms = |taxonomy: Taxonomy| -> Vec<Value> {
        site.config
            .terms(taxonomy)
            .iter()
            .map(|t| {
                let slug = t.slug.value.as_str();
                let count = listed
                    .iter()
                    .filter(|p| {
                        let values = match taxonomy {
                            Taxonomy::Themes => &p.front.themes,
                            Taxonomy::Ages => &p.front.ages,
                        };
                        values.iter().any(|v| v.value == slug)
                    })
                    .count();
                object([
                    ("slug", slug.into()),
                    ("label", t.label.as_str().into()),
                    ("url", format!("{}{slug}/", taxonomy.url_base()).into()),
                    ("count", count.into()),
                ])
            })
            .collect()
    };
    object([
        ("index", index_url.into()),
        ("themes", Value::Array(terms(Taxonomy::Themes))),
        ("ages", Value::Array(terms(Taxonomy::Ages))),
        ("letters", letter_links(letters)),
    ])
}

/// `search` on the page of letter `k`: `{ letter, letters }`, `letter` being
/// `{ label, url, pages }` and `letters` as on the search page. Each page is
/// what a link to it needs: `{ title, description, url, kind, kind_label }`;
/// `summaries[i]` is page `i` as lists show it (title and description with
/// smart quotes).
pub fn letter_value(site: &Site, summaries: &[Value], letters: &[Letter], k: usize) -> Value {
    let letter = letters.get(k).map(|l| {
        let pages = l.entries.iter().map(|&e| match e {
            Entry::Page(i) => {
                let page = &site.pages[i];
                let summary = summaries.get(i).unwrap_or(&Value::Null);
                let kind = (page.kind().name(), kind_label(page));
                link(&summary["title"], &summary["description"], &page.url, kind)
            }
            Entry::Tool(i) => {
                let tree = &site.tools[i].tree;
                let (title, description) = (tree.title.as_str(), tree.description.as_str());
                let kind = ("tool", "Hulpmiddel");
                link(&title.into(), &description.into(), &start_url(tree), kind)
            }
        });
        object([
            ("label", l.label.as_str().into()),
            ("url", l.url.as_str().into()),
            ("pages", pages.collect()),
        ])
    });
    object([
        ("letter", letter.unwrap_or_default()),
        ("letters", letter_links(letters)),
    ])
}

/// `{ label, url, count }` of each letter.
fn letter_links(letters: &[Letter]) -> Value {
    letters
        .iter()
        .map(|l| {
            object([
                ("label", l.label.as_str().into()),
                ("url", l.url.as_str().into()),
                ("count", l.entries.len().into()),
            ])
        })
        .collect()
}

/// An object of `fields`, moved in.
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// A page as a link to it needs it.
fn link(title: &Value, description: &Value, url: &str, (kind, label): (&str, &str)) -> Value {
    object([
        ("title", title.clone()),
        ("description", description.clone()),
        ("url", url.into()),
        ("kind", kind.into()),
        ("kind_label", label.into()),
    ])
}
