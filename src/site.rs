//! The loaded site: configuration, pages arranged in sections, and the theme.
//! Built once by [`load`], read-only afterwards.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{CONFIG_FILE, SiteConfig};
use crate::content::{self, Page, Selection};
use crate::date::Date;
use crate::diagnostics::Diagnostic;
use crate::output::StaticFile;
use crate::site_index::SiteIndex;
use crate::theme::{self, Theme};

/// How to build: what the CLI passes down.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site root (holds `content/`).
    pub root: PathBuf,
    /// Include drafts.
    pub drafts: bool,
    /// Today, for publish windows and review warnings.
    pub now: Date,
    /// Replaces `base_url` from `site.yaml` (for previews).
    pub base_url: Option<String>,
    /// Keep search engines off the whole site (deploy previews).
    pub noindex: bool,
}

/// Everything a build reads, parsed, checked for syntax and arranged.
#[derive(Debug)]
pub struct Site {
    /// The site root.
    pub root: PathBuf,
    /// `site.yaml`.
    pub config: SiteConfig,
    /// Pages and sections, in path order.
    pub pages: Vec<Page>,
    /// For each page, the index of its section (nearest `_index.md` above it).
    pub parents: Vec<Option<usize>>,
    /// For each section, its child pages and child sections, ordered by weight, title.
    pub children: Vec<Vec<usize>>,
    /// Files beside the pages, copied as they are.
    pub content_files: Vec<StaticFile>,
    /// The theme.
    pub theme: Theme,
    /// The theme's templates, parsed.
    pub tera: tera::Tera,
    /// Today.
    pub now: Date,
    /// Keep search engines off the whole site (deploy previews).
    pub noindex: bool,
    /// Problems found while loading. Pages with errors are left out of `pages`
    /// (their URLs are in `failed_urls`), so checks can still run on the rest and
    /// every problem is reported at once.
    pub problems: Vec<Diagnostic>,
    /// URLs of markdown files that failed to load.
    pub failed_urls: Vec<String>,
    /// Markdown files not built today (drafts, publication window): links to
    /// them are errors.
    pub unbuilt: Vec<content::Unbuilt>,
    /// The checked decision tools, by file name.
    pub tools: Vec<crate::rules::Tool>,
    /// Pages by URL, cards by id, pages by term, the sections. Shared with the
    /// template functions, which outlive a borrow of the site.
    pub index: Arc<SiteIndex>,
}

impl Site {
    /// The page with this URL (without `#fragment`).
    pub fn page_by_url(&self, url: &str) -> Option<&Page> {
        self.page_index(url).map(|i| &self.pages[i])
    }

    /// The index in [`Site::pages`] of the page with this URL.
    pub fn page_index(&self, url: &str) -> Option<usize> {
        self.index.page(url)
    }

    /// The home page (`content/_index.md`), if there is one.
    pub fn home(&self) -> Option<usize> {
        self.index.home
    }

    /// The chain of sections from the home page down to (not including) `index`.
    pub fn ancestors(&self, index: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = self.parents[index];
        while let Some(i) = current {
            chain.push(i);
            current = self.parents[i];
        }
        chain.reverse();
        chain
    }
}

/// Read everything under `options.root`. All problems are collected; errors are
/// returned together when nothing can be checked (no configuration, no theme);
/// otherwise they travel in [`Site::problems`].
pub fn load(options: &BuildOptions) -> Result<Site, Vec<Diagnostic>> {
    let root = &options.root;
    let config_path = root.join(CONFIG_FILE);
    let source =
        std::fs::read_to_string(&config_path).map_err(|err| {
            vec![Diagnostic::error(format!("cannot read the site configuration: {err}"))
            .in_file(CONFIG_FILE)
            .with_help(format!(
                "run wegwijs in the folder of a site (it holds {CONFIG_FILE}), or pass --root"
            ))]
        })?;
    let mut diagnostics = Vec::new();
    let config = match SiteConfig::parse(source) {
        Ok(mut config) => {
            if let Some(base) = &options.base_url {
                config.base_url.value = base.trim_end_matches('/').to_string();
            }
            Some(config)
        }
        Err(mut problems) => {
            diagnostics.append(&mut problems);
            None
        }
    };
    let selection = Selection {
        drafts: options.drafts,
        now: options.now,
    };
    let content = content::load(root, selection, &mut diagnostics);
    let theme = match &config {
        Some(config) => match theme::load(root, config) {
            Ok(theme) => Some(theme),
            Err(mut problems) => {
                diagnostics.append(&mut problems);
                None
            }
        },
        None => None,
    };
    let tera = match &theme {
        Some(theme) => match crate::render::templates::compile(theme) {
            Ok(tera) => Some(tera),
            Err(mut problems) => {
                diagnostics.append(&mut problems);
                None
            }
        },
        None => None,
    };
    let (Some(config), Some(theme), Some(tera)) = (config, theme, tera) else {
        return Err(diagnostics);
    };
    let index = SiteIndex::new(&content.pages, &content.failed_urls, &config);
    let mut tools = Vec::new();
    {
        // A link to a page that is not built today is reported by `check`,
        // naming that page's file; here it counts as a page.
        let unbuilt: std::collections::HashSet<&str> =
            content.unbuilt.iter().map(|u| u.url.as_str()).collect();
        let is_page =
            |url: &str| index.page(url).is_some() || index.failed(url) || unbuilt.contains(url);
        for (path, rel) in &content.rule_files {
            let name = crate::rules::name_of(path);
            if !crate::content::url::is_slug(&name) {
                diagnostics.push(
                    Diagnostic::error(format!("`{name}` cannot be used in a web address (/tools/{name}/)"))
                        .in_file(rel)
                        .with_help("rename the file: lower-case letters, digits and hyphens, ending in .rules.yaml"),
                );
                continue;
            }
            if let Some(first) = tools
                .iter()
                .find(|t: &&crate::rules::Tool| t.tree.name == name)
            {
                diagnostics.push(
                    Diagnostic::error(format!(
                        "there is already a decision tool called `{name}`: {}",
                        first.file.display()
                    ))
                    .in_file(rel)
                    .with_help("each tool gets /tools/<file name>/: rename one of the two files"),
                );
                continue;
            }
            match crate::rules::load(path, rel, &is_page) {
                Ok((tool, mut warnings)) => {
                    diagnostics.append(&mut warnings);
                    tools.push(tool);
                }
                Err(mut problems) => diagnostics.append(&mut problems),
            }
        }
    }
    let (parents, children) = arrange(&content.pages);
    Ok(Site {
        root: root.clone(),
        config,
        pages: content.pages,
        parents,
        children,
        content_files: content.files,
        theme,
        tera,
        now: options.now,
        noindex: options.noindex,
        problems: diagnostics,
        failed_urls: content.failed_urls,
        unbuilt: content.unbuilt,
        tools,
        index: Arc::new(index),
    })
}

/// Link every page to its section, and order each section's children.
fn arrange(pages: &[Page]) -> (Vec<Option<usize>>, Vec<Vec<usize>>) {
    let sections: HashMap<&Path, usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.is_section)
        .filter_map(|(i, p)| p.file.parent().map(|dir| (dir, i)))
        .collect();
    let parents: Vec<Option<usize>> = pages
        .iter()
        .map(|page| {
            let own_dir = page.file.parent();
            let mut dir = if page.is_section {
                own_dir.and_then(Path::parent)
            } else {
                own_dir
            };
            while let Some(d) = dir {
                if let Some(&i) = sections.get(d) {
                    return Some(i);
                }
                dir = d.parent();
            }
            None
        })
        .collect();
    let mut children = vec![Vec::new(); pages.len()];
    for (i, parent) in parents.iter().enumerate() {
        if let Some(p) = parent {
            children[*p].push(i);
        }
    }
    for list in &mut children {
        list.sort_by_cached_key(|&i| pages[i].list_key());
    }
    (parents, children)
}
