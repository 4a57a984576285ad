//! Loading `content/`: every markdown file read once, split, typed and given a URL.
//! Other files in `content/` (images beside a page) are copied as they are.

pub mod front_matter;
pub mod markdown;
pub mod shortcodes;
pub mod typography;
pub mod url;

use std::cmp::Reverse;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Location};
use crate::output::StaticFile;
use crate::yaml::{self, Embedding, Spanned};
use front_matter::FrontMatter;
use shortcodes::Call;

/// What a markdown file is, from its `kind` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// An ordinary page or section (the default).
    Page,
    /// An Informatiekaart: one risk, tips, questions for the child.
    RiskCard,
    /// An Argumentenkaart: a choice weighed, the law, conversation starters.
    ArgumentCard,
    /// A campaign: a landing page, a banner and a short link, within a window.
    Campaign,
    /// A dated news item, listed newest first under `/nieuws/` and in the feed.
    News,
}

impl Kind {
    /// Every kind, as written in front matter.
    pub const ALL: [(&'static str, Kind); 5] = [
        ("page", Kind::Page),
        ("risk-card", Kind::RiskCard),
        ("argument-card", Kind::ArgumentCard),
        ("campaign", Kind::Campaign),
        ("news", Kind::News),
    ];

    /// The kind named `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.iter().find(|(n, _)| *n == name).map(|(_, k)| *k)
    }

    /// The name in front matter.
    pub fn name(self) -> &'static str {
        Kind::ALL
            .iter()
            .find(|(_, k)| *k == self)
            .map_or("page", |(n, _)| n)
    }

    /// Whether this is one of the card kinds.
    pub fn is_card(self) -> bool {
        matches!(self, Kind::RiskCard | Kind::ArgumentCard)
    }
}

/// Where a page stands in a list (see [`Page::list_key`]): other pages before news,
/// news newest first, then weight, then lower-case title.
pub type ListKey = (Option<Reverse<Option<Date>>>, i64, String);

/// A markdown file: a page, or a section when it is an `_index.md`.
#[derive(Debug)]
pub struct Page {
    /// The file, relative to the site root (`content/thema/gamen/_index.md`).
    pub file: PathBuf,
    /// The whole text of the file.
    pub source: String,
    /// The typed front matter.
    pub front: FrontMatter,
    /// Byte offset of the markdown body in `source`.
    pub body_start: usize,
    /// The shortcode calls in the body, in order.
    pub shortcodes: Vec<Call>,
    /// The pretty URL, `/thema/gamen/`.
    pub url: String,
    /// Whether this is a section (`_index.md`).
    pub is_section: bool,
}

impl Page {
    /// The markdown body.
    pub fn body(&self) -> &str {
        &self.source[self.body_start..]
    }

    /// The content kind (unknown kinds count as pages; `check` reports them).
    pub fn kind(&self) -> Kind {
        self.front
            .kind
            .as_ref()
            .and_then(|k| Kind::from_name(&k.value))
            .unwrap_or(Kind::Page)
    }

    /// A card's id: its URL's last segment (`gezondheid-en-rust`).
    pub fn card_id(&self) -> Option<&str> {
        self.kind()
            .is_card()
            .then(|| self.url.trim_end_matches('/').rsplit('/').next())
            .flatten()
    }

    /// The page title.
    pub fn title(&self) -> &str {
        &self.front.title.value
    }

    /// Where the page stands in a list: news newest first, then by `weight`, then
    /// by title.
    pub fn list_key(&self) -> ListKey {
        let newest_first = (self.kind() == Kind::News).then_some(Reverse(self.front.date));
        (
            newest_first,
            self.front.weight.unwrap_or(i64::MAX),
            self.title().to_lowercase(),
        )
    }

    /// Where a card stands among cards: risk cards first, then by [`Page::list_key`].
    pub fn card_key(&self) -> (bool, ListKey) {
        (self.kind() != Kind::RiskCard, self.list_key())
    }

    /// Where a front-matter value is in this file.
    pub fn location<T>(&self, value: &Spanned<T>, width: usize) -> Option<Location> {
        yaml::location_of(value, self.embedding(), width)
    }

    /// An error about a front-matter value of this page.
    pub fn error_at(&self, value: &Spanned<String>, message: impl Into<String>) -> Diagnostic {
        let width = value.value.chars().count();
        Diagnostic::error(message)
            .in_file(&self.file)
            .at_opt(self.location(value, width))
    }

    /// Where `text` first stands in this file.
    pub fn find(&self, text: &str) -> Option<Location> {
        self.source
            .find(text)
            .map(|offset| Location::at_offset(&self.source, offset, text.chars().count()))
    }

    /// An error at a byte offset of this file.
    pub fn error_at_offset(
        &self,
        offset: usize,
        width: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(&self.file)
            .at(Location::at_offset(&self.source, offset, width))
    }

    fn embedding(&self) -> Embedding<'_> {
        Embedding {
            file_source: &self.source,
            line_offset: 1,
        }
    }
}

/// What decides which pages are built.
#[derive(Debug, Clone, Copy)]
pub struct Selection {
    /// Build drafts too.
    pub drafts: bool,
    /// Today, for `publish` and `expires`.
    pub now: Date,
}

impl Selection {
    /// Why a page with `front` is left out of this build; `None` when it is built.
    fn leaves_out(&self, front: &FrontMatter) -> Option<Withheld> {
        if front.draft && !self.drafts {
            Some(Withheld::Draft)
        } else if let Some(publish) = front.publish.filter(|p| *p > self.now) {
            Some(Withheld::NotYet(publish))
        } else {
            front
                .expires
                .filter(|e| *e <= self.now)
                .map(Withheld::Expired)
        }
    }
}

/// Why a markdown file is not built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// `draft: true`, built only with `--drafts`.
    Draft,
    /// `publish` is later than today.
    NotYet(Date),
    /// `expires` is today or earlier.
    Expired(Date),
}

/// A markdown file that loaded but is not built (draft, publication window):
/// links to it from built pages are errors that name it and say why.
#[derive(Debug, Clone)]
pub struct Unbuilt {
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// The URL it would have.
    pub url: String,
    /// Its card id, when it is a card.
    pub card_id: Option<String>,
    /// Why it is not built.
    pub why: Withheld,
}

impl Unbuilt {
    /// "content/x.md, which is not built: it is a draft (`draft: true`)".
    pub fn describe(&self) -> String {
        let why = match self.why {
            Withheld::Draft => "it is a draft (`draft: true`)".to_string(),
            Withheld::NotYet(date) => {
                format!("it is published from {date} on (`publish: {date}`)")
            }
            Withheld::Expired(date) => format!("it expired on {date} (`expires: {date}`)"),
        };
        format!("{}, which is not built: {why}", self.file.display())
    }

    /// What the editor can do about a link to it.
    pub fn help(&self) -> String {
        let file = self.file.display();
        match self.why {
            Withheld::Draft => format!(
                "remove the link until {file} is ready, or publish it (remove `draft: true`); `--drafts` builds drafts for a preview"
            ),
            Withheld::NotYet(date) => format!(
                "remove the link until {date}, or change `publish` in {file} to today or earlier"
            ),
            Withheld::Expired(_) => {
                format!("remove the link, or change `expires` in {file} to a later date")
            }
        }
    }
}

/// Everything loaded from `content/`.
#[derive(Debug, Default)]
pub struct Content {
    /// Pages and sections that are built, in path order.
    pub pages: Vec<Page>,
    /// Non-markdown files to copy.
    pub files: Vec<StaticFile>,
    /// The URLs (from their paths) of markdown files that failed to load.
    pub failed_urls: Vec<String>,
    /// Markdown files that are not built today (drafts, publication window).
    pub unbuilt: Vec<Unbuilt>,
    /// Decision-tool rule files (`*.rules.yaml`): absolute path, path from the root.
    pub rule_files: Vec<(PathBuf, PathBuf)>,
}

/// Load every file under `root/content` (except `site.yaml`). All problems are
/// collected; pages with problems are left out of `Content`.
pub fn load(root: &Path, selection: Selection, diagnostics: &mut Vec<Diagnostic>) -> Content {
    let content_dir = root.join("content");
    let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let mut markdown = Vec::new();
    let mut files = Vec::new();
    let mut rule_files = Vec::new();
    for entry in walkdir::WalkDir::new(&content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| !e.file_name().to_string_lossy().starts_with('.'))
    {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| relative(root, p)).unwrap_or_default();
                diagnostics.push(
                    Diagnostic::error(format!("cannot read this folder: {err}"))
                        .in_file(path)
                        .with_help("check that the folder exists and that you may read it"),
                );
                continue;
            }
        };
        // Links are read like files, so a broken link is reported, not skipped.
        if !(entry.file_type().is_file() || entry.path_is_symlink()) {
            continue;
        }
        let is_link = entry.path_is_symlink();
        let path = entry.into_path();
        let rel = relative(root, &path);
        // A link may not publish a file from outside the site (say /proc/self/environ).
        if is_link
            && let Ok(target) = path.canonicalize()
            && !target.starts_with(&real_root)
        {
            diagnostics.push(
                Diagnostic::error(format!(
                    "this link points outside the site, to {}",
                    target.display()
                ))
                .in_file(&rel)
                .with_help("copy the file into the site instead of linking to it"),
            );
            continue;
        }
        let in_content = path
            .strip_prefix(&content_dir)
            .unwrap_or(&path)
            .to_path_buf();
        if in_content == Path::new("site.yaml") {
            continue;
        }
        if is_rule_file(&in_content) {
            rule_files.push((path, rel));
            continue;
        }
        if path.extension().is_some_and(|e| e == "md") {
            markdown.push((path, rel, in_content));
        } else {
            let out = url::slash_path(&in_content);
            files.push(StaticFile { out, src: path });
        }
    }
    let results: Vec<(String, Result<Loaded, Vec<Diagnostic>>)> = markdown
        .into_par_iter()
        .map(|(path, rel, in_content)| {
            let url = url::url_for_file(&in_content, None);
            (url, load_page(&path, rel, &in_content, selection))
        })
        .collect();
    let mut pages = Vec::with_capacity(results.len());
    let mut failed_urls = Vec::new();
    let mut unbuilt = Vec::new();
    for (url, result) in results {
        match result {
            Ok(Loaded::Page(page)) => pages.push(*page),
            Ok(Loaded::Unbuilt(page)) => unbuilt.push(page),
            Err(mut problems) => {
                diagnostics.append(&mut problems);
                failed_urls.push(url);
            }
        }
    }
    Content {
        pages,
        files,
        failed_urls,
        unbuilt,
        rule_files,
    }
}

/// Decision-tool rule files are loaded by the `rules` module.
fn is_rule_file(path: &Path) -> bool {
    path.to_string_lossy().ends_with(".rules.yaml")
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// A markdown file read: a page to build, or one left out today.
pub(crate) enum Loaded {
    Page(Box<Page>),
    Unbuilt(Unbuilt),
}

/// Read and type one markdown file: the page, or why it is not built today
/// (draft, window). `path` is where to read it, `file` its path from the site
/// root, `in_content` from `content/`.
pub(crate) fn load_page(
    path: &Path,
    file: PathBuf,
    in_content: &Path,
    selection: Selection,
) -> Result<Loaded, Vec<Diagnostic>> {
    let bytes = std::fs::read(path).map_err(|err| {
        vec![
            Diagnostic::error(format!("cannot read this file: {err}"))
                .in_file(&file)
                .with_help("check that the file exists and that you may read it"),
        ]
    })?;
    let source = match String::from_utf8(bytes) {
        Ok(source) => source,
        Err(err) => return Err(vec![not_utf8(&file, err)]),
    };
    let split = front_matter::split(&source, &file).map_err(|d| vec![d])?;
    let front = front_matter::parse(&source, &split, &file).map_err(|d| vec![d])?;
    let slug = front.slug.as_ref().map(|s| s.value.as_str());
    let url = url::url_for_file(in_content, slug);
    if let Some(why) = selection.leaves_out(&front) {
        let is_card = front
            .kind
            .as_ref()
            .and_then(|k| Kind::from_name(&k.value))
            .is_some_and(Kind::is_card);
        let card_id = is_card
            .then(|| url.trim_end_matches('/').rsplit('/').next())
            .flatten()
            .map(str::to_string);
        return Ok(Loaded::Unbuilt(Unbuilt {
            file,
            url,
            card_id,
            why,
        }));
    }
    let body_start = split.body_start;
    let (shortcodes, syntax_errors) = shortcodes::find(&source, body_start);
    let is_section = in_content.file_name().is_some_and(|n| n == "_index.md");
    let page = Page {
        file,
        source,
        front,
        body_start,
        shortcodes,
        url,
        is_section,
    };
    let mut problems: Vec<Diagnostic> = syntax_errors
        .into_iter()
        .map(|e| {
            page.error_at_offset(e.offset, 1, e.message)
                .with_help("a shortcode looks like {{ name(key=\"value\") }}")
        })
        .collect();
    if let Some(slug) = &page.front.slug
        && !url::is_slug(&slug.value)
    {
        problems.push(
            page.error_at(
                slug,
                format!("`{}` cannot be used in a web address", slug.value),
            )
            .with_help("use lower-case letters, digits and hyphens only"),
        );
    }
    if problems.is_empty() {
        Ok(Loaded::Page(Box::new(page)))
    } else {
        Err(problems)
    }
}

/// A file that is not UTF-8: point at the first bad byte.
fn not_utf8(file: &Path, err: std::string::FromUtf8Error) -> Diagnostic {
    let valid_up_to = err.utf8_error().valid_up_to();
    let bytes = err.as_bytes();
    let valid = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let line = valid.matches('\n').count() + 1;
    let column = valid.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let text = String::from_utf8_lossy(bytes);
    Diagnostic::error("this file is not UTF-8 text")
        .in_file(file)
        .at(Location::in_source(&text, line, column, 1))
        .with_help("save the file as UTF-8 (in most editors: Save as… → Encoding: UTF-8)")
}
