//! The site's lookups: page by URL, page by content path (`@/…` links), card
//! by id, pages by taxonomy term, the sections and the home page. Built once from the loaded pages (in
//! [`crate::site::load`]), so checks, template functions, menus, aliases and
//! tool links find a page in constant time instead of scanning every page: with
//! a scan per link the check stage grew with the square of the site.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::config::{SiteConfig, Taxonomy};
use crate::content::Page;

/// For each (taxonomy, term slug), the pages that have it, in list order. Every
/// term of `site.yaml` has an entry, also one no page uses.
pub type TermIndex = BTreeMap<(&'static str, String), Vec<usize>>;

/// Lookups over [`crate::site::Site::pages`]; the numbers are indices into it.
#[derive(Debug, Default)]
pub struct SiteIndex {
    /// URL → the first page with it (two pages with one URL are a check error).
    urls: HashMap<String, usize>,
    /// URLs of markdown files that failed to load (already reported).
    failed: HashSet<String>,
    /// Content path (`thema/gamen/_index.md`, below `content/`) → page URL.
    files: HashMap<String, String>,
    /// Card id → the first card with it.
    cards: HashMap<String, usize>,
    /// Pages by taxonomy term.
    pub terms: TermIndex,
    /// The sections, in path order.
    pub sections: Vec<usize>,
    /// The home page (`content/_index.md`).
    pub home: Option<usize>,
}

impl SiteIndex {
    /// Index `pages`; `failed_urls` are those of files that did not load.
    pub fn new(pages: &[Page], failed_urls: &[String], config: &SiteConfig) -> Self {
        let mut index = SiteIndex {
            failed: failed_urls.iter().cloned().collect(),
            terms: terms(pages, config),
            ..SiteIndex::default()
        };
        for (i, page) in pages.iter().enumerate() {
            index.urls.entry(page.url.clone()).or_insert(i);
            if let Ok(rel) = page.file.strip_prefix("content") {
                index
                    .files
                    .insert(crate::content::url::slash_path(rel), page.url.clone());
            }
            if let Some(id) = page.card_id() {
                index.cards.entry(id.to_string()).or_insert(i);
            }
            if page.is_section {
                index.sections.push(i);
                if page.url == "/" && index.home.is_none() {
                    index.home = Some(i);
                }
            }
        }
        index
    }

    /// The page with this URL (without `#fragment`).
    pub fn page(&self, url: &str) -> Option<usize> {
        self.urls.get(url).copied()
    }

    /// Whether a markdown file with this URL failed to load: links to it were
    /// meant for a page, and only its own error should be reported.
    pub fn failed(&self, url: &str) -> bool {
        self.failed.contains(url)
    }

    /// The URL of the page in this content path (below `content/`, with `/`).
    pub fn file_url(&self, file: &str) -> Option<&str> {
        self.files.get(file).map(String::as_str)
    }

    /// Every content path, in no order (for "did you mean" hints).
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// The card with this id.
    pub fn card(&self, id: &str) -> Option<usize> {
        self.cards.get(id).copied()
    }

    /// Every page URL, in no order (for "did you mean" hints).
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.urls.keys().map(String::as_str)
    }
}

#[cfg(test)]
impl SiteIndex {
    /// An index of pages that exist only as URLs and content paths.
    pub(crate) fn of_urls(urls: &[&str], failed: &[&str], files: &[(&str, &str)]) -> Self {
        SiteIndex {
            urls: urls
                .iter()
                .enumerate()
                .map(|(i, u)| (u.to_string(), i))
                .collect(),
            failed: failed.iter().map(|u| u.to_string()).collect(),
            files: files
                .iter()
                .map(|(f, u)| (f.to_string(), u.to_string()))
                .collect(),
            ..SiteIndex::default()
        }
    }
}

fn terms(pages: &[Page], config: &SiteConfig) -> TermIndex {
    let mut index = TermIndex::new();
    for taxonomy in Taxonomy::ALL {
        for term in config.terms(taxonomy) {
            index.insert((taxonomy.field(), term.slug.value.clone()), Vec::new());
        }
    }
    for (i, page) in pages.iter().enumerate() {
        for (taxonomy, values) in [
            (Taxonomy::Themes, &page.front.themes),
            (Taxonomy::Ages, &page.front.ages),
        ] {
            for v in values {
                if let Some(list) = index.get_mut(&(taxonomy.field(), v.value.clone())) {
                    list.push(i);
                }
            }
        }
    }
    for list in index.values_mut() {
        list.sort_by_cached_key(|&i| pages[i].list_key());
    }
    index
}
