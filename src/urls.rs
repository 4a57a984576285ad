//! "Is this URL a page of the site?": one answer for menus, `related`, links in
//! markdown, shortcodes and `url_for` alike. Content pages, the pages wegwijs
//! generates (taxonomies, filtered sections, printable cards, tool pages, 404) and
//! pages that failed to load (already reported) all count; lookups are hashes.
//! Content pages are looked up in the site's one index ([`SiteIndex`], built at
//! load); only the generated pages are kept here.
//!
//! A link may be written as a site path (`/thema/gamen/`), as a content path in
//! Zola style (`@/thema/gamen/_index.md`) or as a full address on the site's own
//! `base_url` (`https://example.nl/thema/gamen/`); all three resolve the same way.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::content::Unbuilt;
use crate::diagnostics::did_you_mean;
use crate::site::Site;
use crate::site_index::SiteIndex;

/// Every page URL of a site: the content pages (from the site's one index) and
/// the pages render generates.
#[derive(Debug)]
pub struct SiteUrls {
    /// Content pages, their content paths and the files that failed to load.
    index: Arc<SiteIndex>,
    /// Generated pages (and, once rendered, every other file the build writes).
    generated: HashSet<String>,
    /// Markdown files not built today, by URL.
    unbuilt: HashMap<String, Unbuilt>,
    /// Their content paths (below `content/`, with `/`) → URL.
    unbuilt_files: HashMap<String, String>,
    /// `https://example.nl`, to read full addresses of the site as paths.
    base_url: String,
}

impl SiteUrls {
    /// The URLs of `site`: its content pages and every page render generates.
    pub fn new(site: &Site) -> Self {
        Self::with_generated(site, crate::render::page_urls(site))
    }

    /// The URLs of `site`'s content pages plus `generated` (URLs render makes).
    pub fn with_generated(site: &Site, generated: impl IntoIterator<Item = String>) -> Self {
        SiteUrls {
            index: Arc::clone(&site.index),
            generated: generated.into_iter().collect(),
            unbuilt: site
                .unbuilt
                .iter()
                .map(|u| (u.url.clone(), u.clone()))
                .collect(),
            unbuilt_files: site
                .unbuilt
                .iter()
                .filter_map(|u| {
                    let rel = u.file.strip_prefix("content").ok()?;
                    Some((crate::content::url::slash_path(rel), u.url.clone()))
                })
                .collect(),
            base_url: site.config.base_url.value.clone(),
        }
    }

    /// The site path a link points at, without its `#fragment` or `?query`:
    /// `@/a/b.md#x` → `/a/b/`, `https://<base_url>/a/` → `/a/`, `/a/` → `/a/`.
    /// `None` for a content path no page has, and for links that are not paths
    /// of this site.
    pub fn path_of<'a>(&'a self, link: &'a str) -> Option<&'a str> {
        let link = link.split(['#', '?']).next().unwrap_or(link);
        if let Some(file) = link.strip_prefix("@/") {
            return self
                .index
                .file_url(file)
                .or_else(|| self.unbuilt_files.get(file).map(String::as_str));
        }
        if !self.base_url.is_empty()
            && let Some(rest) = link.strip_prefix(self.base_url.as_str())
        {
            return match rest {
                "" => Some("/"),
                rest if rest.starts_with('/') => Some(rest),
                _ => None,
            };
        }
        link.starts_with('/').then_some(link)
    }

    /// A link written as a content path or a full address of the site, as the
    /// site path (with its fragment) a browser needs; other links unchanged.
    pub fn href(&self, link: &str) -> Option<String> {
        let path = self.path_of(link)?;
        let fragment = link.find('#').map_or("", |i| &link[i..]);
        Some(format!("{path}{fragment}"))
    }

    /// Whether `link` points at a page of the site (a content page, a generated
    /// page or a page that failed to load).
    pub fn is_page(&self, link: &str) -> bool {
        self.path_of(link).is_some_and(|path| {
            self.index.page(path).is_some()
                || self.generated.contains(path)
                || self.index.failed(path)
        })
    }

    /// The content page `link` points at, as an index into `site.pages`.
    pub fn page(&self, link: &str) -> Option<usize> {
        self.index.page(self.path_of(link)?)
    }

    /// The file `link` points at when that file is not built today (and no
    /// built page has its URL).
    pub fn unbuilt(&self, link: &str) -> Option<&Unbuilt> {
        let path = self.path_of(link)?;
        if self.index.page(path).is_some() || self.generated.contains(path) {
            return None;
        }
        self.unbuilt.get(path)
    }

    /// Whether `link` points at a page that failed to load (already reported).
    pub fn failed(&self, link: &str) -> bool {
        self.path_of(link)
            .is_some_and(|path| self.index.failed(path))
    }

    /// The page URL closest to `link`, for a "did you mean" hint.
    pub fn suggest(&self, link: &str) -> Option<&str> {
        let path = link.split('#').next().unwrap_or(link);
        if let Some(file) = path.strip_prefix("@/") {
            return did_you_mean(file, self.index.files())
                .map(|f| self.index.file_url(f).unwrap_or(f));
        }
        did_you_mean(
            path,
            self.index
                .urls()
                .chain(self.generated.iter().map(String::as_str)),
        )
    }

    /// The content path (`@/…`) closest to `link`, for a hint.
    pub fn suggest_file(&self, file: &str) -> Option<&str> {
        did_you_mean(file, self.index.files())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls() -> SiteUrls {
        SiteUrls {
            index: Arc::new(SiteIndex::of_urls(
                &["/thema/gamen/"],
                &["/kapot/"],
                &[("thema/gamen/_index.md", "/thema/gamen/")],
            )),
            generated: ["/themas/gamen/".to_string()].into_iter().collect(),
            base_url: "https://example.nl".into(),
            unbuilt: HashMap::new(),
            unbuilt_files: HashMap::new(),
        }
    }

    #[test]
    fn three_ways_to_write_a_link_resolve_alike() {
        let urls = urls();
        for link in [
            "/thema/gamen/",
            "/thema/gamen/#kop",
            "@/thema/gamen/_index.md",
            "@/thema/gamen/_index.md#kop",
            "https://example.nl/thema/gamen/?x=1",
            "/themas/gamen/",
            "/kapot/",
        ] {
            assert!(urls.is_page(link), "{link}");
        }
        for link in [
            "/thema/gamne/",
            "@/thema/gamen.md",
            "https://other.nl/thema/gamen/",
            "thema/gamen/",
        ] {
            assert!(!urls.is_page(link), "{link}");
        }
        assert_eq!(
            urls.href("@/thema/gamen/_index.md#kop").as_deref(),
            Some("/thema/gamen/#kop")
        );
        assert_eq!(urls.page("/themas/gamen/"), None);
        assert_eq!(urls.page("@/thema/gamen/_index.md"), Some(0));
        assert!(urls.failed("/kapot/"));
        assert_eq!(urls.suggest("/thema/gamne/"), Some("/thema/gamen/"));
    }
}
