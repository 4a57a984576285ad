//! Checks across the loaded site: things no single file can know about itself.
//! Every problem is collected, each with file, line and a hint.

use std::collections::HashMap;

use crate::config::{CONFIG_FILE, MAX_DESCRIPTION, MenuLink, Taxonomy};
use crate::content::Page;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::site::Site;

/// The content kinds this version knows.
pub const KINDS: [&str; 1] = ["page"];

/// The templates every theme must have.
pub const REQUIRED_TEMPLATES: [&str; 6] = [
    "index.html",
    "section.html",
    "page.html",
    "taxonomy.html",
    "term.html",
    "404.html",
];

/// Every problem in `site`, errors and warnings.
pub fn check(site: &Site) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    required_templates(site, &mut problems);
    unique_urls(site, &mut problems);
    menus(site, &mut problems);
    if site.home().is_none() && !site.failed_urls.iter().any(|u| u == "/") {
        problems.push(
            Diagnostic::error("the site has no home page")
                .in_file("content/_index.md")
                .with_help("add content/_index.md with a title and a description"),
        );
    }
    for page in &site.pages {
        front_matter(site, page, &mut problems);
        for call in &page.shortcodes {
            let template = format!("shortcodes/{}.html", call.name);
            if site.theme.template(&template).is_none() {
                let known: Vec<&str> = site
                    .theme
                    .templates
                    .iter()
                    .filter_map(|t| t.name.strip_prefix("shortcodes/")?.strip_suffix(".html"))
                    .collect();
                let help = match did_you_mean(&call.name, known.iter().copied()) {
                    Some(best) => format!(
                        "did you mean `{best}`? The shortcodes are: {}",
                        known.join(", ")
                    ),
                    None => format!("the shortcodes are: {}", known.join(", ")),
                };
                problems.push(
                    page.error_at_offset(
                        call.span.start,
                        call.span.len(),
                        format!("the shortcode `{}` does not exist", call.name),
                    )
                    .with_help(help),
                );
            }
        }
    }
    problems
}

fn required_templates(site: &Site, problems: &mut Vec<Diagnostic>) {
    for name in REQUIRED_TEMPLATES {
        if site.theme.template(name).is_none() {
            problems.push(site.config.error_at(
                &site.config.theme,
                format!(
                    "the theme `{}` has no template `{name}`",
                    site.config.theme.value
                ),
                format!("add templates/{name} to the theme or to the site"),
            ));
        }
    }
}

/// URLs wegwijs generates itself; content may not take them.
fn reserved(url: &str) -> Option<&'static str> {
    for taxonomy in Taxonomy::ALL {
        if url.starts_with(taxonomy.url_base()) {
            return Some(taxonomy.url_base());
        }
    }
    url.contains("/leeftijd/")
        .then_some("…/leeftijd/ (the age filter of sections)")
}

fn unique_urls(site: &Site, problems: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for page in &site.pages {
        if let Some(prefix) = reserved(&page.url) {
            problems.push(
                page.error_at(
                    &page.front.title,
                    format!(
                        "this page would get the URL {}, which wegwijs uses for {prefix}",
                        page.url
                    ),
                )
                .with_help("move or rename the file, or set another `slug`"),
            );
        }
        if let Some(first) = seen.get(page.url.as_str()) {
            problems.push(
                page.error_at(
                    &page.front.title,
                    format!(
                        "this page has the same URL as {}: {}",
                        first.file.display(),
                        page.url
                    ),
                )
                .with_help("rename one of the files, or give one a different `slug`"),
            );
        } else {
            seen.insert(&page.url, page);
        }
        for alias in &page.front.aliases {
            let target = site.page_by_url(&alias.value);
            if !alias.value.starts_with('/') {
                problems.push(
                    page.error_at(
                        alias,
                        format!("the alias `{}` is not a path of this site", alias.value),
                    )
                    .with_help("write old addresses as paths starting with /, e.g. /oud/adres/"),
                );
            } else if let Some(other) = target {
                problems.push(
                    page.error_at(
                        alias,
                        format!(
                            "the alias {} is the URL of {}",
                            alias.value,
                            other.file.display()
                        ),
                    )
                    .with_help("an alias must be an address no page has any more"),
                );
            }
        }
    }
}

fn menus(site: &Site, problems: &mut Vec<Diagnostic>) {
    let links: Vec<&MenuLink> = site.config.menu.iter().chain(&site.config.footer).collect();
    let urls: Vec<&str> = site.pages.iter().map(|p| p.url.as_str()).collect();
    for link in links {
        // A page that failed to load has been reported already.
        let failed = site.failed_urls.contains(&link.url.value);
        if site.page_by_url(&link.url.value).is_none() && !failed {
            let help = match did_you_mean(&link.url.value, urls.iter().copied()) {
                Some(best) => format!("did you mean {best}?"),
                None => "menu links must point to a page of this site, like /thema/gamen/".into(),
            };
            problems.push(site.config.error_at(
                &link.url,
                format!(
                    "the menu link `{}` points to {}, which is not a page",
                    link.title, link.url.value
                ),
                help,
            ));
        }
    }
}

fn front_matter(site: &Site, page: &Page, problems: &mut Vec<Diagnostic>) {
    let front = &page.front;
    if let Some(kind) = &front.kind
        && !KINDS.contains(&kind.value.as_str())
    {
        problems.push(
            page.error_at(kind, format!("unknown kind `{}`", kind.value))
                .with_help(format!("the kinds are: {}", KINDS.join(", "))),
        );
    }
    for (taxonomy, values) in [
        (Taxonomy::Themes, &front.themes),
        (Taxonomy::Ages, &front.ages),
    ] {
        let terms = site.config.terms(taxonomy);
        for value in values {
            if terms.iter().all(|t| t.slug.value != value.value) {
                let slugs: Vec<&str> = terms.iter().map(|t| t.slug.value.as_str()).collect();
                let help = match did_you_mean(&value.value, slugs.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`? "),
                    None => String::new(),
                } + &format!(
                    "The {} in {CONFIG_FILE} are: {}.",
                    taxonomy.field(),
                    slugs.join(", ")
                );
                problems.push(
                    page.error_at(
                        value,
                        format!("unknown {} `{}`", taxonomy.singular(), value.value),
                    )
                    .with_help(help),
                );
            }
        }
    }
    let description = &front.description;
    let length = description.value.chars().count();
    if length > MAX_DESCRIPTION {
        problems.push(
            page.error_at(description, format!("the description is {length} characters long; at most {MAX_DESCRIPTION} fit in search results"))
                .with_help("shorten it to one sentence; put the rest in the text"),
        );
    }
    if description.value.trim().is_empty() {
        problems.push(
            page.error_at(description, "the description is empty")
                .with_help("write one sentence about the page"),
        );
    }
    if front.title.value.trim().is_empty() {
        problems.push(
            page.error_at(&front.title, "the title is empty")
                .with_help("write a title"),
        );
    }
    if let Some(legal) = &front.legal
        && legal.value
        && front.sources.is_empty()
    {
        problems.push(
                Diagnostic::error("this page has `legal: true` but no sources")
                    .in_file(&page.file)
                    .at_opt(page.location(legal, 5))
                    .with_help("add `sources:` with the title and date of each document the legal statements come from"),
            );
    }
    if let Some(image) = &front.image
        && front
            .image_alt
            .as_deref()
            .is_none_or(|a| a.trim().is_empty())
    {
        problems.push(
                page.error_at(image, "this image has no text alternative")
                    .with_help("add `image_alt:` describing what the image shows, for people who cannot see it"),
            );
    }
    if let Some(reviewed) = &front.reviewed
        && reviewed.value < site.now.a_year_before()
    {
        problems.push(
            Diagnostic::warning(format!(
                "last reviewed on {}, more than a year ago",
                reviewed.value
            ))
            .in_file(&page.file)
            .at_opt(page.location(reviewed, 10))
            .with_help("check the content (and the law) again, then update `reviewed`"),
        );
    }
}
