//! `content/site.yaml`: the site's title, address, theme, menus and taxonomies.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{self, Embedding, Spanned};

/// Where the configuration lives, relative to the site root.
pub const CONFIG_FILE: &str = "content/site.yaml";

/// The longest description search engines and social previews show in full.
pub const MAX_DESCRIPTION: usize = 160;

/// The parsed `site.yaml`, with positions kept for later checks.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The site's name, shown in the header and in every `<title>`.
    pub title: String,
    /// One sentence about the site, for the home page's meta description.
    pub description: Spanned<String>,
    /// The public address, without a trailing slash.
    pub base_url: Spanned<String>,
    /// The language of the content (`nl`).
    #[serde(default = "default_language")]
    pub language: String,
    /// The folder under `themes/` to render with.
    #[serde(default = "default_theme")]
    pub theme: Spanned<String>,
    /// Keep raw HTML in markdown as written (only for trusted editors).
    #[serde(default)]
    pub allow_raw_html: bool,
    /// Oldest browser versions the CSS must work in.
    #[serde(default)]
    pub css_targets: CssTargets,
    /// The theme menu in the header.
    #[serde(default)]
    pub menu: Vec<MenuLink>,
    /// Links in the footer.
    #[serde(default)]
    pub footer: Vec<MenuLink>,
    /// The terms pages are grouped by.
    #[serde(default)]
    pub taxonomies: Taxonomies,
    /// Thresholds of `wegwijs check` (review period, readability).
    #[serde(default)]
    pub check: CheckConfig,
    /// Site search: synonyms for words parents type.
    #[serde(default)]
    pub search: SearchConfig,
    /// The text of the file, for diagnostics that point into it.
    #[serde(skip)]
    pub source: String,
}

fn default_language() -> String {
    "nl".into()
}

fn default_theme() -> Spanned<String> {
    Spanned::new(
        "jouwkindonline".into(),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

/// A link in the menu or footer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuLink {
    /// The visible text.
    pub title: String,
    /// A URL of a page of this site, such as `/thema/gamen/`.
    pub url: Spanned<String>,
}

/// The two ways pages are grouped: by theme and by the child's age.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomies {
    /// Themes such as `vloggen-met-kinderen`.
    #[serde(default)]
    pub themes: Vec<Term>,
    /// Age groups such as `8-12`.
    #[serde(default)]
    pub ages: Vec<Term>,
}

/// The `search:` section of `site.yaml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchConfig {
    /// Words parents type that the pages say differently.
    #[serde(default)]
    pub synonyms: Vec<Synonym>,
}

/// `{ word: mobiel, means: telefoon }`: a search for `word` also finds the pages
/// with the words of `means`. Checked at build time: `means` must be on a page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Synonym {
    /// One word, as a parent types it.
    pub word: Spanned<String>,
    /// The words the site uses for it.
    pub means: Spanned<String>,
}

/// One term of a taxonomy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The URL-safe name, used in front matter.
    pub slug: Spanned<String>,
    /// The Dutch name shown to readers.
    pub label: String,
}

/// Thresholds of `wegwijs check`; see docs/redactie.md.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// Pages with `legal: true` or `sources` should be reviewed at least this
    /// often (months).
    #[serde(default = "default_review_months")]
    pub review_months: u32,
    /// The lowest Flesch-Douma score of a page before `check` warns (B1: 60).
    #[serde(default = "default_min_reading_score")]
    pub min_reading_score: f64,
    /// The longest average sentence, in words, before `check` warns (B1: 15).
    #[serde(default = "default_max_sentence_words")]
    pub max_sentence_words: f64,
    /// URLs of pages that are not prose (a list of document titles) and are not
    /// held to the readability thresholds; they are still scored.
    #[serde(default)]
    pub not_scored: Vec<String>,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            review_months: default_review_months(),
            min_reading_score: default_min_reading_score(),
            max_sentence_words: default_max_sentence_words(),
            not_scored: Vec::new(),
        }
    }
}

fn default_review_months() -> u32 {
    12
}

fn default_min_reading_score() -> f64 {
    60.0
}

fn default_max_sentence_words() -> f64 {
    15.0
}

/// Browser major versions for lightningcss; unset means "no particular target".
#[derive(Debug, Default, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CssTargets {
    /// Chrome (and Chromium-based browsers).
    pub chrome: Option<u32>,
    /// Firefox.
    pub firefox: Option<u32>,
    /// Safari on macOS.
    pub safari: Option<u32>,
    /// Safari on iOS.
    pub ios_safari: Option<u32>,
    /// Edge.
    pub edge: Option<u32>,
}

impl SiteConfig {
    /// Parse `site.yaml` from its text, and check what can be checked in it alone.
    pub fn parse(source: String) -> Result<SiteConfig, Vec<Diagnostic>> {
        let file = Path::new(CONFIG_FILE);
        let embedding = Embedding {
            file_source: &source,
            line_offset: 0,
        };
        let mut config: SiteConfig = yaml::parse(&source, file, embedding).map_err(|d| vec![d])?;
        // Set first: the checks below point into it.
        config.source = source.clone();
        let mut problems = Vec::new();
        if config.description.value.chars().count() > MAX_DESCRIPTION {
            problems.push(config.error_at(
                &config.description,
                format!(
                    "the description is {} characters long; at most {MAX_DESCRIPTION} fit in search results",
                    config.description.value.chars().count()
                ),
                "shorten it to one sentence",
            ));
        }
        let base = config.base_url.value.trim_end_matches('/').to_string();
        if !(base.starts_with("https://") || base.starts_with("http://")) {
            problems.push(config.error_at(
                &config.base_url,
                format!("`{base}` is not a web address"),
                "write the full address, e.g. https://www.example.nl",
            ));
        }
        config.base_url.value = base;
        for (name, terms) in [
            ("themes", &config.taxonomies.themes),
            ("ages", &config.taxonomies.ages),
        ] {
            for (i, term) in terms.iter().enumerate() {
                if !crate::content::url::is_slug(&term.slug.value) {
                    problems.push(config.error_at(
                        &term.slug,
                        format!("`{}` cannot be used in a web address", term.slug.value),
                        "use lower-case letters, digits and hyphens only, e.g. `sociale-media`",
                    ));
                }
                if terms[..i].iter().any(|t| t.slug.value == term.slug.value) {
                    problems.push(config.error_at(
                        &term.slug,
                        format!("the {name} term `{}` is listed twice", term.slug.value),
                        "remove one of them",
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// An error pointing at a value of this file.
    pub fn error_at<T>(
        &self,
        value: &Spanned<T>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(CONFIG_FILE)
            .at_opt(self.location(value))
            .with_help(help)
    }

    /// Where a value of this file is.
    pub fn location<T>(&self, value: &Spanned<T>) -> Option<Location> {
        let embedding = Embedding {
            file_source: &self.source,
            line_offset: 0,
        };
        let width = self
            .source
            .lines()
            .nth(
                usize::try_from(value.referenced.line())
                    .unwrap_or(1)
                    .saturating_sub(1),
            )
            .map(|l| {
                let col = usize::try_from(value.referenced.column()).unwrap_or(1);
                l.chars()
                    .skip(col.saturating_sub(1))
                    .take_while(|c| !matches!(c, ',' | '}'))
                    .collect::<String>()
                    .trim_end()
                    .chars()
                    .count()
            })
            .unwrap_or(1);
        yaml::location_of(value, embedding, width)
    }

    /// The terms of a taxonomy by its name (`themes` or `ages`).
    pub fn terms(&self, taxonomy: Taxonomy) -> &[Term] {
        match taxonomy {
            Taxonomy::Themes => &self.taxonomies.themes,
            Taxonomy::Ages => &self.taxonomies.ages,
        }
    }
}

/// The site's two taxonomies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taxonomy {
    /// Grouping by theme.
    Themes,
    /// Grouping by age group.
    Ages,
}

impl Taxonomy {
    /// Both, in display order.
    pub const ALL: [Taxonomy; 2] = [Taxonomy::Themes, Taxonomy::Ages];

    /// The field name in front matter and site.yaml.
    pub fn field(self) -> &'static str {
        match self {
            Taxonomy::Themes => "themes",
            Taxonomy::Ages => "ages",
        }
    }

    /// What one term is called, in messages.
    pub fn singular(self) -> &'static str {
        match self {
            Taxonomy::Themes => "theme",
            Taxonomy::Ages => "age group",
        }
    }

    /// The Dutch word before a term's label in its page title ("Thema: Gamen").
    pub fn term_title(self) -> &'static str {
        match self {
            Taxonomy::Themes => "Thema",
            Taxonomy::Ages => "Leeftijd",
        }
    }

    /// The URL folder of its pages.
    pub fn url_base(self) -> &'static str {
        match self {
            Taxonomy::Themes => "/themas/",
            Taxonomy::Ages => "/leeftijden/",
        }
    }

    /// The Dutch heading of its overview page.
    pub fn title(self) -> &'static str {
        match self {
            Taxonomy::Themes => "Alle thema's",
            Taxonomy::Ages => "Alle leeftijden",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "title: T\ndescription: D\nbase_url: https://example.org/\ntaxonomies:\n  themes:\n    - { slug: gamen, label: Gamen }\n";

    #[test]
    fn parses_and_trims_the_base_url() {
        let config = SiteConfig::parse(GOOD.into());
        assert_eq!(
            config.map(|c| (c.base_url.value, c.theme.value)).ok(),
            Some(("https://example.org".into(), "jouwkindonline".into()))
        );
    }

    #[test]
    fn reports_all_problems_with_lines() {
        let src = "title: T\ndescription: D\nbase_url: example.org\ntaxonomies:\n  themes:\n    - { slug: Gamen!, label: G }\n    - { slug: Gamen!, label: G }\n";
        let problems = SiteConfig::parse(src.into()).err().unwrap_or_default();
        let lines: Vec<_> = problems
            .iter()
            .map(|d| d.location.as_ref().map_or(0, |l| l.line))
            .collect();
        assert_eq!(lines, vec![3, 6, 7, 7], "{problems:#?}");
    }
}
