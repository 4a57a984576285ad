//! Splitting a markdown file into YAML front matter and body, and typing the front
//! matter. Errors point at lines of the `.md` file, not of the extracted YAML.

use std::path::Path;

use serde::Deserialize;

use crate::date::Date;
use crate::diagnostics::{Diagnostic, Location};
use crate::yaml::{self, Embedding, Spanned};

/// The front matter of a page or section (see `docs/content-format.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The h1 and `<title>`.
    pub title: Spanned<String>,
    /// The lead and meta description.
    pub description: Spanned<String>,
    /// The content kind (`page`, `risk-card`, `argument-card`, `campaign`, `news`).
    #[serde(default)]
    pub kind: Option<Spanned<String>>,
    /// Theme terms.
    #[serde(default)]
    pub themes: Vec<Spanned<String>>,
    /// Age-group terms; none means all ages.
    #[serde(default)]
    pub ages: Vec<Spanned<String>>,
    /// Order within the section.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Publication date.
    #[serde(default)]
    pub date: Option<Date>,
    /// Date of the last review.
    #[serde(default)]
    pub reviewed: Option<Spanned<Date>>,
    /// The page makes legal statements, so it needs sources.
    #[serde(default)]
    pub legal: Option<Spanned<bool>>,
    /// Sources shown under the page.
    #[serde(default)]
    pub sources: Vec<Source>,
    /// Not built unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Not built before this date.
    #[serde(default)]
    pub publish: Option<Date>,
    /// Not built from this date on.
    #[serde(default)]
    pub expires: Option<Date>,
    /// An image for social previews.
    #[serde(default)]
    pub image: Option<Spanned<String>>,
    /// The image's text alternative.
    #[serde(default)]
    pub image_alt: Option<String>,
    /// Old URLs that redirect here.
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    /// Replaces the last URL segment.
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    /// Other cards and pages to read next (URLs).
    #[serde(default)]
    pub related: Vec<Spanned<String>>,

    // Risk cards (`kind: risk-card`); `check` rejects them on other kinds.
    /// The risk in one sentence.
    #[serde(default)]
    pub summary: Option<Spanned<String>>,
    /// "Wat kun je doen?": 3-6 things a parent can do.
    #[serde(default)]
    pub tips: Option<Spanned<Vec<String>>>,
    /// "Praat erover met je kind": questions for the child.
    #[serde(default)]
    pub ask_your_child: Option<Spanned<Vec<Prompt>>>,

    // Argument cards (`kind: argument-card`).
    /// The choice, as a parent asks it.
    #[serde(default)]
    pub question: Option<Spanned<String>>,
    /// Arguments for.
    #[serde(default, rename = "for")]
    pub arguments_for: Option<Spanned<Vec<String>>>,
    /// Arguments against.
    #[serde(default)]
    pub against: Option<Spanned<Vec<String>>>,
    /// Conversation starters.
    #[serde(default)]
    pub talk: Option<Spanned<Vec<Prompt>>>,
    /// What the rules say now.
    #[serde(default)]
    pub law: Option<Spanned<Law>>,
    /// What has been proposed (markdown), always presented as a plan.
    #[serde(default)]
    pub plan: Option<Spanned<String>>,

    // Campaigns (`kind: campaign`); `check` rejects them on other kinds.
    /// First day the campaign runs (inclusive, Europe/Amsterdam).
    #[serde(default)]
    pub starts: Option<Spanned<Date>>,
    /// Last day the campaign runs (inclusive).
    #[serde(default)]
    pub ends: Option<Spanned<Date>>,
    /// The banner's short text, shown while the campaign runs.
    #[serde(default)]
    pub banner: Option<Spanned<String>>,
    /// A short path (`/blijfinbeeld`) that redirects to the landing page while the
    /// campaign runs.
    #[serde(default)]
    pub short_url: Option<Spanned<String>>,
}

/// A question or conversation starter, for all ages or for some age groups.
/// Written as plain text, or as `{ text: ..., ages: [8-12] }`.
#[derive(Debug, Clone)]
pub struct Prompt {
    /// The question.
    pub text: String,
    /// Age-group slugs it is meant for; empty means all ages.
    pub ages: Vec<Spanned<String>>,
}

impl<'de> Deserialize<'de> for Prompt {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PromptVisitor;
        impl<'de> serde::de::Visitor<'de> for PromptVisitor {
            type Value = Prompt;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a question, or `{ text: ..., ages: [...] }`")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Prompt, E> {
                Ok(Prompt {
                    text: text.to_string(),
                    ages: Vec::new(),
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Prompt, A::Error> {
                let mut text = None;
                let mut ages = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "text" => text = Some(map.next_value::<String>()?),
                        "ages" => ages = map.next_value::<Vec<Spanned<String>>>()?,
                        other => {
                            return Err(serde::de::Error::unknown_field(other, &["text", "ages"]));
                        }
                    }
                }
                let text = text.ok_or_else(|| serde::de::Error::missing_field("text"))?;
                Ok(Prompt { text, ages })
            }
        }
        deserializer.deserialize_any(PromptVisitor)
    }
}

/// "Wat zegt de wet?" on an argument card.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Law {
    /// The rules now, in plain words (markdown).
    pub text: String,
    /// When the rules were last checked.
    pub checked: Date,
}

/// A source document, shown under the page.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// The document's title.
    pub title: String,
    /// The document's date.
    pub date: Date,
    /// Where to read it.
    #[serde(default)]
    pub url: Option<String>,
    /// Page or section, or another remark.
    #[serde(default)]
    pub note: Option<String>,
}

/// A markdown file split in two.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// How many lines of the file precede the YAML (the opening `---`).
    pub yaml_line_offset: usize,
    /// Byte offset of the markdown body in the file.
    pub body_start: usize,
}

/// Find the front matter of `source`. It must open on the first line.
pub fn split<'a>(source: &'a str, file: &Path) -> Result<Split<'a>, Diagnostic> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &source[bom..];
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error("this file has no front matter")
            .in_file(file)
            .at(Location::in_source(source, 1, 1, 3))
            .with_help(
                "start the file with a line `---`, then `title:` and `description:`, then a line `---`",
            ));
    }
    let yaml_start = bom + first_line_end;
    let mut offset = yaml_start;
    for line in source[yaml_start..].split_inclusive('\n') {
        if line.trim_end() == "---" {
            return Ok(Split {
                yaml: &source[yaml_start..offset],
                yaml_line_offset: 1,
                body_start: offset + line.len(),
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::error("the front matter is not closed")
        .in_file(file)
        .at(Location::in_source(source, 1, 1, 3))
        .with_help("add a line with only `---` after the last field, before the text"))
}

/// Parse the front matter of `source` (already split).
pub fn parse(source: &str, split: &Split<'_>, file: &Path) -> Result<FrontMatter, Diagnostic> {
    let embedding = Embedding {
        file_source: source,
        line_offset: split.yaml_line_offset,
    };
    if split.yaml.trim().is_empty() {
        return Err(Diagnostic::error("the front matter is empty")
            .in_file(file)
            .at(Location::in_source(source, 1, 1, 3))
            .with_help("add at least `title:` and `description:` between the `---` lines"));
    }
    yaml::parse(split.yaml, file, embedding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let src = "---\ntitle: A\n---\n# Body\n";
        let s = split(src, Path::new("a.md"));
        assert_eq!(
            s.map(|s| (s.yaml, &src[s.body_start..])),
            Ok(("title: A\n", "# Body\n"))
        );
    }

    #[test]
    fn accepts_crlf_and_bom() {
        let src = "\u{feff}---\r\ntitle: A\r\n---\r\nBody";
        let s = split(src, Path::new("a.md"));
        assert_eq!(s.map(|s| &src[s.body_start..]), Ok("Body"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error_on_line_one() {
        let d = split("---\ntitle: A\n\nBody\n", Path::new("a.md"));
        assert_eq!(
            d.err().map(|d| (d.message, d.location.map(|l| l.line))),
            Some(("the front matter is not closed".into(), Some(1)))
        );
    }

    #[test]
    fn yaml_errors_point_into_the_markdown_file() {
        let src = "---\ntitle: A\ndescription: B\nwieght: 3\n---\n";
        let s = split(src, Path::new("a.md"));
        let d = s.and_then(|s| parse(src, &s, Path::new("a.md")).map(|_| ()));
        let d = d.err();
        assert_eq!(
            d.as_ref().map(|d| d.message.as_str()),
            Some("unknown field `wieght`")
        );
        assert_eq!(d.and_then(|d| d.location).map(|l| l.line), Some(4));
    }
}
