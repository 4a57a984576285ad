//! Checks of the loaded site: fields no parser can judge alone, and things no single
//! file can know about itself. Every problem is collected, each with file, line and
//! a hint.

mod cards;
pub(crate) mod fields;
pub(crate) mod publishing;

use std::collections::HashMap;

use crate::config::MenuLink;
use crate::content::{Kind, Page};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::site::Site;
use crate::urls::SiteUrls;

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
    let urls = SiteUrls::new(site);
    required_templates(site, &mut problems);
    unique_urls(site, &mut problems);
    publishing::claims(site, &mut problems);
    menus(site, &urls, &mut problems);
    if site.home().is_none() && !site.index.failed("/") {
        problems.push(
            Diagnostic::error("the site has no home page")
                .in_file("content/_index.md")
                .with_help("add content/_index.md with a title and a description"),
        );
    }
    cards::check_ids(site, &mut problems);
    tool_shortcodes(site, &mut problems);
    unbuilt_tool_links(site, &urls, &mut problems);
    for page in &site.pages {
        fields::check(site, &urls, page, &mut problems);
        cards::check(site, page, &mut problems);
        publishing::check(page, &mut problems);
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
    let has = |kind: Kind| site.pages.iter().any(|p| p.kind() == kind);
    let card_templates = [
        (has(Kind::RiskCard), "risk-card.html"),
        (has(Kind::ArgumentCard), "argument-card.html"),
        (
            has(Kind::RiskCard) || has(Kind::ArgumentCard),
            "cards-print.html",
        ),
        (!site.tools.is_empty(), "tool.html"),
        (!site.tools.is_empty(), "tool-review.html"),
        (has(Kind::Campaign), "campaign.html"),
    ]
    .into_iter()
    .filter(|(needed, _)| *needed)
    .map(|(_, name)| name);
    for name in REQUIRED_TEMPLATES.into_iter().chain(card_templates) {
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

fn unique_urls(site: &Site, problems: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Page> = HashMap::new();
    for page in &site.pages {
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
    }
}

fn menus(site: &Site, urls: &SiteUrls, problems: &mut Vec<Diagnostic>) {
    let links: Vec<&MenuLink> = site.config.menu.iter().chain(&site.config.footer).collect();
    for link in links {
        // A page that failed to load has been reported already (is_page knows).
        if let Some(unbuilt) = urls.unbuilt(&link.url.value) {
            problems.push(site.config.error_at(
                &link.url,
                format!(
                    "the menu link `{}` points to {}",
                    link.title,
                    unbuilt.describe()
                ),
                unbuilt.help(),
            ));
        } else if !urls.is_page(&link.url.value) {
            let help = match urls.suggest(&link.url.value) {
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
        } else if let Some(target) = urls.page(&link.url.value).map(|i| &site.pages[i]) {
            let location = site.config.location(&link.url);
            problems.extend(publishing::ended_campaign_link(
                site,
                target,
                std::path::Path::new(crate::config::CONFIG_FILE),
                location,
            ));
        }
    }
}

/// A decision tool's outcome links lead to pages that are built today.
fn unbuilt_tool_links(site: &Site, urls: &SiteUrls, problems: &mut Vec<Diagnostic>) {
    for tool in &site.tools {
        // Checked and loaded already; the text is read again only for positions.
        let text = std::fs::read_to_string(site.root.join(&tool.file)).unwrap_or_default();
        for outcome in &tool.tree.outcomes {
            for link in &outcome.links {
                let Some(unbuilt) = urls.unbuilt(link) else {
                    continue;
                };
                let location = text.find(link.as_str()).map(|offset| {
                    crate::diagnostics::Location::at_offset(&text, offset, link.chars().count())
                });
                problems.push(
                    Diagnostic::error(format!(
                        "the outcome `{}` links to {}",
                        outcome.id,
                        unbuilt.describe()
                    ))
                    .in_file(&tool.file)
                    .at_opt(location)
                    .with_help(unbuilt.help()),
                );
            }
        }
    }
}

/// Every `{{ tool(id="...") }}` names a decision tool of the site.
fn tool_shortcodes(site: &Site, problems: &mut Vec<Diagnostic>) {
    let names: Vec<&str> = site.tools.iter().map(|t| t.tree.name.as_str()).collect();
    for page in &site.pages {
        for call in page.shortcodes.iter().filter(|c| c.name == "tool") {
            let id = call.args.get("id").and_then(|v| v.as_str()).unwrap_or("");
            if !names.contains(&id) {
                let help = match did_you_mean(id, names.iter().copied()) {
                    Some(best) => {
                        format!("did you mean `{best}`? The tools are: {}", names.join(", "))
                    }
                    None if names.is_empty() => {
                        "there are no decision tools: add content/tools/<id>.rules.yaml".to_string()
                    }
                    None => format!("the tools are: {}", names.join(", ")),
                };
                problems.push(
                    page.error_at_offset(
                        call.span.start,
                        call.span.len(),
                        format!("there is no decision tool with the id `{id}`"),
                    )
                    .with_help(help),
                );
            }
        }
    }
}
