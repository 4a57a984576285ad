//! The HTML files a build renders: every page, each section filtered by age
//! group and by theme, the taxonomy pages, the printable card set, the decision
//! tools' pages, the search page and its A to Z, and the 404 page; with the
//! template and data for each.

use serde_json::{Map, Value, json};

use super::filters::{filter_links, filter_segment, filter_terms, has_filter, matches};
use super::{TermIndex, context, tools};
use crate::config::Taxonomy;
use crate::content::{Kind, Page};
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// Where the printable set of all cards goes.
pub const PRINT_CARDS_URL: &str = "/kaarten/printen/";

/// A decision tool's output data, computed once per build.
pub struct ToolPages {
    /// Every reachable path prefix (one no-JS page each).
    pub prefixes: Vec<tools::Prefix>,
    /// The data every page of the tool shares.
    pub value: Value,
}

/// What every job reads: the site and what rendering has made so far.
#[derive(Clone, Copy)]
pub struct Shared<'a> {
    /// The site.
    pub site: &'a Site,
    /// Every page's body HTML.
    pub html: &'a [String],
    /// Pages by taxonomy term.
    pub terms: &'a TermIndex,
    /// Variables every template gets.
    pub globals: &'a Map<String, Value>,
    /// Decision tools, in `site.tools` order.
    pub tools: &'a [ToolPages],
    /// Every page as lists show it, built once.
    pub summaries: &'a [Value],
    /// The search index's entry file (empty until the index is built).
    pub search_index: &'a str,
    /// The A to Z of the search page (empty when the theme has none).
    pub az: &'a [crate::search::page::Letter],
    /// The campaigns running today, in banner order.
    pub running: &'a [usize],
    /// Generated social images by page URL.
    pub social: &'a std::collections::HashMap<&'a str, &'a super::social::Image>,
}

/// One HTML file to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// A page or section.
    Page(usize),
    /// A section showing only the pages of one term.
    Filtered(usize, Taxonomy, usize),
    /// A further page of a paginated section (news): (section, page number from 2).
    Paginated(usize, usize),
    /// The overview of a taxonomy.
    Taxonomy(Taxonomy),
    /// One term of a taxonomy.
    Term(Taxonomy, usize),
    /// Every card, one per printed page.
    PrintCards,
    /// A decision tool's start page, with the interactive check.
    ToolStart(usize),
    /// A no-JS step of a decision tool: (tool, prefix).
    ToolStep(usize, usize),
    /// A decision tool's review page: every path, the examples, the diagram.
    ToolReview(usize),
    /// The search page, when the theme has one.
    Search,
    /// A letter of the search page's A to Z, when the theme has one.
    SearchLetter(usize),
    /// The "not found" page.
    NotFound,
}

/// Every job for `site`.
pub fn all(shared: &Shared<'_>) -> Vec<Job> {
    let (site, terms) = (shared.site, shared.terms);
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    for i in 0..site.pages.len() {
        for taxonomy in Taxonomy::ALL {
            if has_filter(site, i, taxonomy) {
                let terms = filter_terms(site, i, taxonomy);
                jobs.extend(terms.into_iter().map(|t| Job::Filtered(i, taxonomy, t)));
            }
        }
    }
    for i in 0..site.pages.len() {
        let pages = context::paginated_count(site, i);
        jobs.extend((2..=pages).map(|n| Job::Paginated(i, n)));
    }
    for taxonomy in Taxonomy::ALL {
        if !site.config.terms(taxonomy).is_empty() {
            jobs.push(Job::Taxonomy(taxonomy));
            let count = terms.keys().filter(|(t, _)| *t == taxonomy.field()).count();
            jobs.extend((0..count).map(|t| Job::Term(taxonomy, t)));
        }
    }
    if site.pages.iter().any(|p| p.kind().is_card()) {
        jobs.push(Job::PrintCards);
    }
    for (t, tool) in shared.tools.iter().enumerate() {
        jobs.push(Job::ToolStart(t));
        jobs.extend((0..tool.prefixes.len()).map(|p| Job::ToolStep(t, p)));
        jobs.push(Job::ToolReview(t));
    }
    if site
        .tera
        .get_template_names()
        .any(|n| n == crate::search::page::TEMPLATE)
    {
        jobs.push(Job::Search);
    }
    jobs.extend((0..shared.az.len()).map(Job::SearchLetter));
    jobs.push(Job::NotFound);
    // Lists (a section with a thousand pages, a term page) take far longer than a
    // page: started last, one would keep a core busy while the other waits.
    jobs.sort_by_key(|job| match job {
        Job::Page(i) => !site.pages[*i].is_section,
        Job::Filtered(..)
        | Job::Paginated(..)
        | Job::Taxonomy(_)
        | Job::Term(..)
        | Job::SearchLetter(_)
        | Job::PrintCards => false,
        _ => true,
    });
    jobs
}

/// A generated page may not take the URL of a content page. `urls[i]` is the
/// URL of `jobs[i]`.
pub fn check_urls(site: &Site, jobs: &[Job], urls: &[String]) -> Result<(), Vec<Diagnostic>> {
    let mut clashes = Vec::new();
    for (job, url) in jobs.iter().zip(urls) {
        if matches!(job, Job::Page(_)) {
            continue;
        }
        if let Some(page) = site.page_by_url(url) {
            clashes.push(
                page.error_at(
                    &page.front.title,
                    format!(
                        "this page has the URL {url}, which wegwijs generates itself ({})",
                        describe(*job)
                    ),
                )
                .with_help("move or rename the file, or give it another `slug`"),
            );
        }
    }
    if clashes.is_empty() {
        Ok(())
    } else {
        Err(clashes)
    }
}

fn describe(job: Job) -> &'static str {
    match job {
        Job::Page(_) => "a page",
        Job::Filtered(_, Taxonomy::Ages, _) => "a section filtered by age",
        Job::Filtered(_, Taxonomy::Themes, _) => "a section filtered by theme",
        Job::Paginated(..) => "a further page of a list",
        Job::Taxonomy(_) | Job::Term(..) => "a taxonomy page",
        Job::PrintCards => "the printable set of all cards",
        Job::ToolStart(_) | Job::ToolStep(..) | Job::ToolReview(_) => "a decision tool",
        Job::Search => "the search page",
        Job::SearchLetter(_) => "a letter of the search page's A to Z",
        Job::NotFound => "the 404 page",
    }
}

/// The URL a job writes.
pub fn url(shared: &Shared<'_>, job: Job) -> String {
    let site = shared.site;
    match job {
        Job::Page(i) => site.pages[i].url.clone(),
        Job::Filtered(i, taxonomy, t) => format!(
            "{}{}/{}/",
            site.pages[i].url,
            filter_segment(taxonomy),
            site.config.terms(taxonomy)[t].slug.value
        ),
        Job::Paginated(i, n) => context::paginated_url(&site.pages[i].url, n),
        Job::Taxonomy(taxonomy) => taxonomy.url_base().to_string(),
        Job::Term(taxonomy, t) => format!(
            "{}{}/",
            taxonomy.url_base(),
            site.config.terms(taxonomy)[t].slug.value
        ),
        Job::PrintCards => PRINT_CARDS_URL.to_string(),
        Job::ToolStart(t) => tools::start_url(&site.tools[t].tree),
        Job::ToolStep(t, p) => tools::prefix_url(&site.tools[t].tree, &shared.tools[t].prefixes[p]),
        Job::ToolReview(t) => tools::review_url(&site.tools[t].tree),
        Job::Search => crate::search::page::URL.to_string(),
        Job::SearchLetter(k) => shared.az.get(k).map_or_else(String::new, |l| l.url.clone()),
        Job::NotFound => "/404.html".to_string(),
    }
}

/// The template and data of a job whose URL is `url` (see [`url`]).
pub fn context(shared: &Shared<'_>, job: Job, url: &str) -> (&'static str, Map<String, Value>) {
    let (site, html, terms) = (shared.site, shared.html, shared.terms);
    let mut ctx = shared.globals.clone();
    let empty = String::new();
    let content = |i: usize| html.get(i).unwrap_or(&empty);
    let template = match job {
        Job::Page(i) => {
            let page = &site.pages[i];
            if page.is_section {
                section(site, shared.summaries, i, content(i), None, 1, &mut ctx);
                if page.url == "/" {
                    "index.html"
                } else {
                    "section.html"
                }
            } else {
                ctx.insert(
                    "page".into(),
                    context::page(site, shared.summaries, i, content(i)),
                );
                match page.kind() {
                    Kind::Page | Kind::News => "page.html",
                    Kind::RiskCard => "risk-card.html",
                    Kind::ArgumentCard => "argument-card.html",
                    Kind::Campaign => "campaign.html",
                }
            }
        }
        Job::Filtered(i, taxonomy, t) => {
            section(
                site,
                shared.summaries,
                i,
                content(i),
                Some((taxonomy, t)),
                1,
                &mut ctx,
            );
            "section.html"
        }
        Job::Paginated(i, n) => {
            section(site, shared.summaries, i, content(i), None, n, &mut ctx);
            "section.html"
        }
        Job::Taxonomy(taxonomy) => {
            let description = format!("{} op deze site.", taxonomy.title());
            ctx.insert(
                "page".into(),
                context::synthetic_page(site, taxonomy.title(), &description, url),
            );
            let all = ctx
                .get("taxonomies")
                .and_then(|t| t.get(taxonomy.field()))
                .cloned()
                .unwrap_or_default();
            ctx.insert(
                "taxonomy".into(),
                json!({ "name": taxonomy.field(), "title": taxonomy.title(), "url": url, "terms": all }),
            );
            "taxonomy.html"
        }
        Job::Term(taxonomy, t) => {
            let term = &site.config.terms(taxonomy)[t];
            let slug = &term.slug.value;
            let pages: Vec<Value> = terms
                .get(&(taxonomy.field(), slug.clone()))
                .map(|list| {
                    list.iter()
                        .filter(|&&i| crate::campaign::is_listed(site, &site.pages[i]))
                        .map(|&i| shared.summaries[i].clone())
                        .collect()
                })
                .unwrap_or_default();
            let description = match taxonomy {
                Taxonomy::Themes => {
                    format!("Alles over {} op één plek.", term.label.to_lowercase())
                }
                Taxonomy::Ages => {
                    format!("Informatie voor ouders van kinderen van {}.", term.label)
                }
            };
            let title = format!("{}: {}", taxonomy.term_title(), term.label);
            ctx.insert(
                "page".into(),
                context::synthetic_page(site, &title, &description, url),
            );
            ctx.insert(
                "term".into(),
                json!({ "taxonomy": taxonomy.field(), "slug": slug, "label": term.label, "url": url, "pages": pages }),
            );
            "term.html"
        }
        Job::PrintCards => {
            let mut cards: Vec<usize> = (0..site.pages.len())
                .filter(|&i| site.pages[i].kind().is_card())
                .collect();
            cards.sort_by_cached_key(|&i| site.pages[i].card_key());
            let description = "Alle informatiekaarten en argumentenkaarten, elk op eigen papier.";
            ctx.insert(
                "page".into(),
                context::synthetic_page(site, "Alle kaarten printen", description, url),
            );
            ctx.insert(
                "cards".into(),
                cards
                    .iter()
                    .map(|&i| context::page(site, shared.summaries, i, content(i)))
                    .collect(),
            );
            "cards-print.html"
        }
        Job::ToolStart(t) | Job::ToolStep(t, _) | Job::ToolReview(t) => {
            let tree = &site.tools[t].tree;
            let tool = &shared.tools[t].value;
            ctx.insert("tool".into(), tool.clone());
            let (title, description, noindex, template) = match job {
                Job::ToolStep(_, p) => {
                    let step = tools::step_value(site, tree, &shared.tools[t].prefixes[p]);
                    let title = match (
                        step["outcome"]["title"].as_str(),
                        step["question"]["ask"].as_str(),
                    ) {
                        (Some(outcome), _) => format!("Uitkomst: {outcome}"),
                        (None, Some(ask)) => format!("Vraag {}: {ask}", step["number"]),
                        _ => tree.title.clone(),
                    };
                    // The answers in words keep each step's title unique and readable
                    // when read out (not "leeftijd=0&opnames=…").
                    let answers: Vec<&str> = step["answers"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(|a| a["label"].as_str())
                        .map(tools::short_label)
                        .collect();
                    let title = format!("{title} ({})", answers.join(", "));
                    ctx.insert("step".into(), step);
                    (title, tree.description.clone(), true, "tool.html")
                }
                Job::ToolReview(_) => {
                    ctx.insert("review".into(), tools::review_value(tree));
                    (
                        format!("Alle uitkomsten: {}", tree.title),
                        format!(
                            "Elk pad door {} voor redacteuren en juridische controle.",
                            tree.title
                        ),
                        true,
                        "tool-review.html",
                    )
                }
                _ => {
                    ctx.insert("step".into(), tools::step_value(site, tree, &[]));
                    (
                        tree.title.clone(),
                        tree.description.clone(),
                        false,
                        "tool.html",
                    )
                }
            };
            let mut page = context::synthetic_page(site, &title, &description, url);
            if let Some(map) = page.as_object_mut() {
                map.insert("kind".into(), json!("tool"));
                map.insert("noindex".into(), json!(noindex));
                map.insert("sources".into(), json!(tree.sources));
                map.insert("reviewed".into(), json!(tree.reviewed));
            }
            ctx.insert("page".into(), page);
            template
        }
        Job::Search => {
            let description = "Zoek op deze site, of kies een thema of leeftijd.";
            ctx.insert(
                "page".into(),
                context::synthetic_page(site, "Zoeken", description, url),
            );
            ctx.insert(
                "search".into(),
                crate::search::page::value(site, shared.az, shared.search_index),
            );
            crate::search::page::TEMPLATE
        }
        Job::SearchLetter(k) => {
            let label = shared.az.get(k).map_or("", |l| l.label.as_str());
            let (title, description) = match label {
                "0-9" => (
                    "Van A tot Z: 0-9".to_string(),
                    "Alle pagina's die met een cijfer beginnen.".to_string(),
                ),
                "#" => (
                    "Van A tot Z: overige".to_string(),
                    "Alle pagina's die niet met een letter of cijfer beginnen.".to_string(),
                ),
                letter => (
                    format!("Van A tot Z: {letter}"),
                    format!("Alle pagina's die met een {letter} beginnen."),
                ),
            };
            ctx.insert(
                "page".into(),
                context::synthetic_page(site, &title, &description, url),
            );
            ctx.insert(
                "search".into(),
                crate::search::page::letter_value(site, shared.summaries, shared.az, k),
            );
            crate::search::page::LETTER_TEMPLATE
        }
        Job::NotFound => {
            let page = context::synthetic_page(
                site,
                "Pagina niet gevonden",
                "Deze pagina bestaat niet (meer).",
                url,
            );
            ctx.insert("page".into(), page);
            "404.html"
        }
    };
    ctx.insert("banners".into(), banners(shared, job));
    let page = match job {
        Job::Page(i) | Job::Filtered(i, ..) | Job::Paginated(i, _) => Some(&site.pages[i]),
        _ => None,
    };
    ctx.insert(
        "social".into(),
        super::social::value(site, shared.social, page, url),
    );
    ctx.insert("current_url".into(), Value::String(url.to_string()));
    (template, ctx)
}

/// The campaign banners of a job's page: site-wide campaigns, and those of the
/// page's themes (a theme's term page counts as that theme's page).
fn banners(shared: &Shared<'_>, job: Job) -> Value {
    let site = shared.site;
    let (themes, own): (Vec<&str>, Option<usize>) = match job {
        Job::Page(i) | Job::Filtered(i, ..) | Job::Paginated(i, _) => (
            site.pages[i]
                .front
                .themes
                .iter()
                .map(|t| t.value.as_str())
                .collect(),
            Some(i),
        ),
        Job::Term(Taxonomy::Themes, t) => (
            vec![site.config.terms(Taxonomy::Themes)[t].slug.value.as_str()],
            None,
        ),
        _ => (Vec::new(), None),
    };
    crate::campaign::banners(site, shared.running, themes.iter().copied(), own)
        .into_iter()
        .map(|i| {
            let page = &site.pages[i];
            json!({
                "title": page.title(),
                "text": page.front.banner.as_ref().map(|b| b.value.as_str()),
                "url": page.url,
            })
        })
        .collect()
}

/// The data of a section page, optionally filtered to one term.
fn section(
    site: &Site,
    summaries: &[Value],
    i: usize,
    content: &str,
    filter: Option<(Taxonomy, usize)>,
    page_number: usize,
    ctx: &mut Map<String, Value>,
) {
    let term = filter.map(|(taxonomy, t)| (taxonomy, &site.config.terms(taxonomy)[t]));
    let keep =
        |p: &Page| term.is_none_or(|(taxonomy, term)| matches(p, taxonomy, &term.slug.value));
    // `page` is the section's own page data; only `section` carries the lists
    // (cloning a list of a thousand summaries twice was a third of a list page).
    let page = context::page(site, summaries, i, content);
    ctx.insert(
        "section".into(),
        context::section(site, summaries, i, page.clone(), &keep, page_number),
    );
    ctx.insert("page".into(), page);
    let current = |taxonomy: Taxonomy| filter.filter(|(x, _)| *x == taxonomy).map(|(_, t)| t);
    ctx.insert(
        "age_filter".into(),
        filter_links(site, i, Taxonomy::Ages, current(Taxonomy::Ages)),
    );
    ctx.insert(
        "theme_filter".into(),
        filter_links(site, i, Taxonomy::Themes, current(Taxonomy::Themes)),
    );
    if let Some((taxonomy, term)) = term {
        let key = match taxonomy {
            Taxonomy::Ages => "current_age",
            Taxonomy::Themes => "current_theme",
        };
        ctx.insert(
            key.into(),
            json!({ "slug": term.slug.value, "label": term.label }),
        );
    }
}
