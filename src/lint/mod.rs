//! The quality gates of `wegwijs check` (and of `build`): links and anchors,
//! accessibility, privacy and safety, readability, placeholders.
//!
//! Two layers. [`source`] reads each page's markdown, so what it finds has an exact
//! line and column, and collects the links. [`rendered`] watches the files as
//! render writes them: every output path and the ids in each page are the link
//! and anchor targets (hash lookups, generated pages included), and what only the
//! whole page shows (the theme's markup) is traced back to the template it came
//! from. [`finish`] puts the two together; [`links`] resolves each link.

pub mod html;
mod links;
pub mod readability;
pub mod rendered;
pub mod report;
pub mod source;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::Page;
use crate::diagnostics::{Diagnostic, Location, Severity};
use crate::site::Site;
use crate::urls::SiteUrls;
use links::Resolver;
pub use links::unbuilt_links;
use rendered::Facts;
pub use rendered::Recorder;
use source::PageLints;

/// A link to another website: listed, never fetched.
#[derive(Debug, Clone, Serialize)]
pub struct ExternalLink {
    /// The address as written.
    pub url: String,
    /// The page it is on.
    pub file: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// The readability of one page.
#[derive(Debug, Clone, Serialize)]
pub struct Score {
    /// The page's file.
    pub file: PathBuf,
    /// Its URL.
    pub url: String,
    /// Words of prose counted.
    pub words: usize,
    /// Sentences counted.
    pub sentences: usize,
    /// Average words per sentence.
    pub sentence_length: f64,
    /// Flesch-Douma score; `None` when the page is too short to score.
    pub flesch_douma: Option<f64>,
}

/// What the lints found beyond diagnostics.
#[derive(Debug, Default)]
pub struct Findings {
    /// Problems, errors and warnings.
    pub problems: Vec<Diagnostic>,
    /// Readability per content page, in page order.
    pub scores: Vec<Score>,
    /// Links to other websites.
    pub external: Vec<ExternalLink>,
}

/// The host of the site's own address, which is not "another website".
pub fn own_host(site: &Site) -> String {
    html::host(&site.config.base_url.value).unwrap_or_default()
}

/// The markdown layer, every page in parallel; `score`: also count the prose
/// for readability (a build, which shows only errors, need not).
pub fn sources(site: &Site, score: bool) -> Vec<PageLints> {
    let own = own_host(site);
    site.pages
        .par_iter()
        .map(|p| source::lint(p, &own, !site.config.allow_raw_html, score))
        .collect()
}

/// Resolve the links of `lints` against the rendered `files`, trace what the
/// rendered layer saw to its source, and score readability.
pub fn finish(
    site: &Site,
    urls: &SiteUrls,
    lints: Vec<PageLints>,
    files: &HashMap<String, Option<Facts>>,
) -> Findings {
    let mut findings = Findings::default();
    let by_output: HashMap<String, usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (crate::content::url::output_path(&p.url), i))
        .collect();
    let own = own_host(site);
    let checks = &site.config.check;
    let resolver = Resolver {
        site,
        urls,
        files,
        by_output: &by_output,
        own_host: &own,
    };
    let resolved: Vec<(Vec<Diagnostic>, Vec<ExternalLink>)> = lints
        .par_iter()
        .zip(&site.pages)
        .map(|(lint, page)| {
            let mut problems = Vec::new();
            let mut external = Vec::new();
            for link in &lint.links {
                resolver.resolve(page, link, &mut problems, &mut external);
            }
            (problems, external)
        })
        .collect();
    let mut has_h1: HashSet<usize> = HashSet::new();
    for (i, ((mut problems, mut external), (lint, page))) in resolved
        .into_iter()
        .zip(lints.into_iter().zip(&site.pages))
        .enumerate()
    {
        if lint.has_h1 {
            has_h1.insert(i);
        }
        findings.problems.append(&mut problems);
        findings.external.append(&mut external);
        let mut lint = lint;
        findings.problems.append(&mut lint.problems);
        findings.problems.extend(missing_review(site, page));
        source_urls(page, &own, &mut findings);
        let text = lint.text;
        let scored = text.words >= readability::MIN_WORDS;
        let score = Score {
            file: page.file.clone(),
            url: page.url.clone(),
            words: text.words,
            sentences: text.sentences,
            sentence_length: round1(text.sentence_length()),
            flesch_douma: scored.then(|| round1(text.flesch_douma())),
        };
        let held = !checks.not_scored.contains(&page.url);
        if let Some(value) = score.flesch_douma
            && held
            && value < checks.min_reading_score
        {
            findings.problems.push(readability_warning(
                page,
                "hard-to-read",
                format!(
                    "this page reads harder than B1: Flesch-Douma {value:.0}, below {:.0}",
                    checks.min_reading_score
                ),
                "use shorter words and sentences; explain terms in plain words (docs/redactie.md, Leesbaarheid)",
            ));
        }
        if scored && held && score.sentence_length > checks.max_sentence_words {
            findings.problems.push(readability_warning(
                page,
                "long-sentences",
                format!(
                    "the sentences on this page are {:.1} words long on average; B1 is at most {:.0}",
                    score.sentence_length, checks.max_sentence_words
                ),
                "split long sentences: one message per sentence",
            ));
        }
        findings.scores.push(score);
    }
    trace(site, &by_output, &has_h1, files, &mut findings.problems);
    findings.problems.extend(rule_files(site));
    findings
}

/// What a decision tool's rule file shows: placeholders left by `wegwijs new
/// rules`, and a `reviewed` date older than the review period (its outcomes
/// state the law, like a page with `legal: true`).
fn rule_files(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let months = site.config.check.review_months;
    for tool in &site.tools {
        // Loaded and checked already; a file that vanished since is no finding.
        let Ok(text) = std::fs::read_to_string(site.root.join(&tool.file)) else {
            continue;
        };
        for (offset, _) in text.match_indices(source::PLACEHOLDER) {
            problems.push(source::placeholder(&text, &tool.file, offset));
        }
        let reviewed = tool.tree.reviewed;
        if reviewed < site.now.months_before(months) {
            let location = text
                .find(&format!("\nreviewed: {reviewed}"))
                .map(|offset| Location::at_offset(&text, offset + "\nreviewed: ".len(), 10));
            problems.push(
                crate::check::fields::stale("last reviewed", reviewed, months)
                    .in_file(&tool.file)
                    .at_opt(location)
                    .with_help("check the questions and outcomes against the sources (and the law) again, then update `reviewed`"),
            );
        }
    }
    problems
}

/// The web addresses of a page's `sources`: listed with the external links,
/// and flagged when they use http.
fn source_urls(page: &Page, own_host: &str, findings: &mut Findings) {
    for url in page.front.sources.iter().filter_map(|s| s.url.as_deref()) {
        if html::host(url).is_none_or(|h| h == own_host) {
            continue;
        }
        let location = page.find(url);
        if url
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
        {
            findings.problems.push(
                Diagnostic::warning(format!("this source uses http: {url}"))
                    .in_file(&page.file)
                    .at_opt(location.clone())
                    .with_help("use https:// if the website offers it (nearly all do): http can be read and changed on the way")
                    .with_code("http-link"),
            );
        }
        findings.external.push(ExternalLink {
            url: url.to_string(),
            file: page.file.clone(),
            line: location.as_ref().map_or(0, |l| l.line),
            column: location.as_ref().map_or(0, |l| l.column),
        });
    }
}

/// Pages with `legal: true` or sources need a `reviewed` date.
fn missing_review(site: &Site, page: &Page) -> Option<Diagnostic> {
    let front = &page.front;
    let needs = front.legal.as_ref().is_some_and(|l| l.value) || !front.sources.is_empty();
    (needs && front.reviewed.is_none()).then(|| {
        Diagnostic::warning("this page has sources but no `reviewed` date")
            .in_file(&page.file)
            .at_opt(page.location(&front.title, 1))
            .with_help(format!(
                "add `reviewed: YYYY-MM-DD`, the day you last checked the content against its sources; check warns when it is more than {} ago",
                crate::check::fields::review_period(site.config.check.review_months)
            ))
            .with_code("missing-review")
    })
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn readability_warning(page: &Page, code: &'static str, message: String, help: &str) -> Diagnostic {
    Diagnostic::warning(message)
        .in_file(&page.file)
        .at_opt(page.location(&page.front.title, page.title().chars().count()))
        .with_help(help)
        .with_code(code)
}

/// Trace what the rendered layer saw to where it was written: the page's own
/// markdown (already reported there), a template, or, failing both, the built
/// page. Each origin is reported once, not once per page that shows it.
fn trace(
    site: &Site,
    by_output: &HashMap<String, usize>,
    has_h1: &HashSet<usize>,
    files: &HashMap<String, Option<Facts>>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut reported: HashSet<(&'static str, String)> = HashSet::new();
    let mut paths: Vec<&String> = files.keys().collect();
    paths.sort();
    for path in paths {
        let Some(Some(facts)) = files.get(path) else {
            continue;
        };
        let page = by_output.get(path.as_str()).map(|&i| (i, &site.pages[i]));
        for seen in &facts.seen {
            if let Some((i, page)) = page {
                if seen.code == "extra-h1" && has_h1.contains(&i) {
                    continue;
                }
                if seen.code != "extra-h1"
                    && seen.code != "lang-missing"
                    && page.body().contains(&seen.needle)
                {
                    continue;
                }
            }
            let origin = site
                .theme
                .templates
                .iter()
                .find_map(|t| t.source.find(&seen.needle).map(|offset| (t, offset)));
            let (file, location) = match origin {
                Some((template, offset)) => (
                    template.file.clone(),
                    Some(Location::at_offset(
                        &template.source,
                        offset,
                        seen.needle.chars().count(),
                    )),
                ),
                None => (PathBuf::from(path), None),
            };
            let key = (
                seen.code,
                format!(
                    "{}:{:?}:{}",
                    file.display(),
                    location.as_ref().map(|l| (l.line, l.column)),
                    seen.message
                ),
            );
            if !reported.insert(key) {
                continue;
            }
            let mut message = seen.message.clone();
            if location.is_none() {
                message += &format!(" (in the built file {path})");
            }
            problems.push(
                Diagnostic {
                    severity: seen.severity,
                    ..Diagnostic::error(message)
                }
                .in_file(file)
                .at_opt(location)
                .with_help(seen.help)
                .with_code(seen.code),
            );
        }
    }
}

/// Count errors and warnings.
pub fn counts(problems: &[Diagnostic]) -> (usize, usize) {
    let errors = problems
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    (errors, problems.len() - errors)
}
