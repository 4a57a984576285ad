//! The data templates see (documented in `docs/templates.md`), built from the site.

use serde_json::{Map, Value, json};

use super::cards;
use crate::campaign::{self, Window};
use crate::config::{SiteConfig, Taxonomy};
use crate::content::Kind;
use crate::content::Page;
use crate::content::typography::smart_quotes;
use crate::site::Site;

/// `{ slug, label, url }` for every term of a page in `taxonomy`.
fn page_terms(
    config: &SiteConfig,
    taxonomy: Taxonomy,
    values: &[crate::yaml::Spanned<String>],
) -> Value {
    let terms = config.terms(taxonomy);
    Value::Array(
        values
            .iter()
            .filter_map(|v| terms.iter().find(|t| t.slug.value == v.value))
            .map(|t| {
                json!({
                    "slug": t.slug.value,
                    "label": t.label,
                    "url": format!("{}{}/", taxonomy.url_base(), t.slug.value),
                })
            })
            .collect(),
    )
}

/// A page as it appears in lists.
pub fn summary(site: &Site, page: &Page) -> Value {
    let front = &page.front;
    json!({
        "kind": page.kind().name(),
        "card": cards::brief(page),
        "title": smart_quotes(&front.title.value),
        "description": smart_quotes(&front.description.value),
        "url": page.url,
        "weight": front.weight,
        "date": front.date,
        "themes": page_terms(&site.config, Taxonomy::Themes, &front.themes),
        "ages": page_terms(&site.config, Taxonomy::Ages, &front.ages),
    })
}

/// Everything about a page, with its rendered `content`.
pub fn page(site: &Site, summaries: &[Value], index: usize, content: &str) -> Value {
    let page = &site.pages[index];
    let front = &page.front;
    let mut value = summaries[index].clone();
    let breadcrumbs: Vec<Value> = site
        .ancestors(index)
        .into_iter()
        .map(|i| json!({ "title": site.pages[i].title(), "url": site.pages[i].url }))
        .collect();
    let section = site.parents[index]
        .map(|i| json!({ "title": site.pages[i].title(), "url": site.pages[i].url }));
    if let Value::Object(map) = &mut value {
        map.insert("content".into(), Value::String(content.to_string()));
        map.insert(
            "permalink".into(),
            Value::String(format!("{}{}", site.config.base_url.value, page.url)),
        );
        map.insert(
            "reviewed".into(),
            json!(front.reviewed.as_ref().map(|r| r.value)),
        );
        map.insert(
            "legal".into(),
            json!(front.legal.as_ref().is_some_and(|l| l.value)),
        );
        map.insert("sources".into(), json!(front.sources));
        map.insert(
            "image".into(),
            json!(front.image.as_ref().map(|i| &i.value)),
        );
        map.insert("image_alt".into(), json!(front.image_alt));
        map.insert("breadcrumbs".into(), Value::Array(breadcrumbs));
        map.insert("section".into(), section.unwrap_or(Value::Null));
        map.insert("related".into(), cards::related(site, page));
        // Which shortcodes the text uses, so the layout links their stylesheets only
        // where they are shown (sorted, each once).
        let mut shortcodes: Vec<&str> = page.shortcodes.iter().map(|c| c.name.as_str()).collect();
        shortcodes.sort_unstable();
        shortcodes.dedup();
        map.insert("shortcodes".into(), json!(shortcodes));
        map.insert("noindex".into(), Value::Bool(false));
        if let Some(window) = campaign::window(page, site.now) {
            // An ended (or not yet started) campaign stays reachable for old links,
            // but search engines should not send anyone there.
            map.insert("noindex".into(), Value::Bool(window != Window::Running));
            map.insert(
                "campaign".into(),
                json!({
                    "state": match window {
                        Window::NotYet => "not-yet",
                        Window::Running => "running",
                        Window::Ended => "ended",
                    },
                    "starts": front.starts.as_ref().map(|d| d.value),
                    "ends": front.ends.as_ref().map(|d| d.value),
                    "banner": front.banner.as_ref().map(|b| &b.value),
                    "short_url": front.short_url.as_ref().map(|s| &s.value),
                }),
            );
        }
        if let Some(card) = cards::full(site, page) {
            map.insert("card".into(), card);
        }
    }
    value
}

/// A section: its `page` fields plus its child `pages` and `subsections`,
/// keeping only the pages for which `keep` is true.
pub fn section(
    site: &Site,
    summaries: &[Value],
    index: usize,
    page: Value,
    keep: &dyn Fn(&Page) -> bool,
    page_number: usize,
) -> Value {
    let mut value = page;
    let (subsections, pages): (Vec<usize>, Vec<usize>) = site.children[index]
        .iter()
        .partition(|&&i| site.pages[i].is_section);
    let kept: Vec<usize> = pages
        .into_iter()
        .filter(|&i| keep(&site.pages[i]) && campaign::is_listed(site, &site.pages[i]))
        .collect();
    let total = paginated_count(site, index);
    let shown: &[usize] = if total > 1 {
        let start = (page_number - 1) * PAGE_SIZE;
        kept.get(start..(start + PAGE_SIZE).min(kept.len()))
            .unwrap_or_default()
    } else {
        &kept
    };
    if let Value::Object(map) = &mut value {
        map.insert(
            "pages".into(),
            shown.iter().map(|&i| summaries[i].clone()).collect(),
        );
        if total > 1 {
            let url = &site.pages[index].url;
            let link = |n: usize| (1..=total).contains(&n).then(|| paginated_url(url, n));
            map.insert(
                "pagination".into(),
                json!({
                    "current": page_number,
                    "total": total,
                    "previous": page_number.checked_sub(1).and_then(link),
                    "next": link(page_number + 1),
                }),
            );
        }
        map.insert("news".into(), theme_news(site, summaries, index));
        map.insert(
            "subsections".into(),
            subsections.iter().map(|&i| summaries[i].clone()).collect(),
        );
        map.insert("cards".into(), theme_cards(site, summaries, index));
    }
    value
}

/// News items per page of a news list.
pub const PAGE_SIZE: usize = 20;
/// News items a theme hub links to.
const HUB_NEWS: usize = 5;

/// How many pages a section's list takes: more than one only for a section of
/// news with more than [`PAGE_SIZE`] items (other sections list everything).
pub fn paginated_count(site: &Site, index: usize) -> usize {
    if !site.pages[index].is_section {
        return 1;
    }
    let news = site.children[index]
        .iter()
        .filter(|&&i| !site.pages[i].is_section)
        .fold((0usize, false), |(n, any), &i| {
            (n + 1, any || site.pages[i].kind() == Kind::News)
        });
    match news {
        (n, true) => n.div_ceil(PAGE_SIZE).max(1),
        _ => 1,
    }
}

/// The URL of page `n` of a list: the section itself, then `pagina/2/`, ...
pub fn paginated_url(section_url: &str, n: usize) -> String {
    if n <= 1 {
        section_url.to_string()
    } else {
        format!("{section_url}pagina/{n}/")
    }
}

/// The newest news items that share a theme with a theme hub (not its own
/// children): "Nieuws over dit thema".
fn theme_news(site: &Site, summaries: &[Value], index: usize) -> Value {
    let mut news = sharing_a_theme(site, index, |kind| kind == Kind::News);
    news.sort_by_cached_key(|&i| site.pages[i].list_key());
    news.iter()
        .take(HUB_NEWS)
        .map(|&i| summaries[i].clone())
        .collect()
}

/// Cards that share a theme with the section and are not its own children: the
/// card block of a theme hub.
fn theme_cards(site: &Site, summaries: &[Value], index: usize) -> Value {
    let mut cards = sharing_a_theme(site, index, Kind::is_card);
    cards.sort_by_cached_key(|&i| site.pages[i].card_key());
    cards.iter().map(|&i| summaries[i].clone()).collect()
}

/// The pages of a `kind` that share a theme with the section `index` and are not its
/// own children (those it lists already).
fn sharing_a_theme(site: &Site, index: usize, kind: impl Fn(Kind) -> bool) -> Vec<usize> {
    let themes = &site.pages[index].front.themes;
    (0..site.pages.len())
        .filter(|&i| kind(site.pages[i].kind()) && site.parents[i] != Some(index))
        .filter(|&i| {
            site.pages[i]
                .front
                .themes
                .iter()
                .any(|t| themes.iter().any(|s| s.value == t.value))
        })
        .collect()
}

/// A synthetic page (taxonomy lists, 404) so `base.html` always has a `page`.
pub fn synthetic_page(site: &Site, title: &str, description: &str, url: &str) -> Value {
    json!({
        "kind": "list",
        "title": title,
        "description": description,
        "url": url,
        "permalink": format!("{}{}", site.config.base_url.value, url),
        "content": "",
        "themes": [], "ages": [], "sources": [], "breadcrumbs": [],
        "section": null, "date": null, "reviewed": null, "legal": false, "related": [], "card": null,
        "noindex": false, "shortcodes": [],
        "weight": null, "image": null, "image_alt": null,
    })
}

/// The variables every template gets: `site`, `menu`, `footer`, `taxonomies`, `tools`,
/// `now`.
pub fn globals(site: &Site, counts: &dyn Fn(Taxonomy, &str) -> usize) -> Map<String, Value> {
    let config = &site.config;
    let links = |links: &[crate::config::MenuLink]| -> Value {
        links
            .iter()
            .map(|l| json!({ "title": l.title, "url": l.url.value }))
            .collect()
    };
    let mut taxonomies = Map::new();
    for taxonomy in Taxonomy::ALL {
        let terms: Vec<Value> = config
            .terms(taxonomy)
            .iter()
            .map(|t| {
                json!({
                    "slug": t.slug.value,
                    "label": t.label,
                    "url": format!("{}{}/", taxonomy.url_base(), t.slug.value),
                    "count": counts(taxonomy, &t.slug.value),
                })
            })
            .collect();
        taxonomies.insert(taxonomy.field().into(), Value::Array(terms));
    }
    let mut globals = Map::new();
    globals.insert(
        "site".into(),
        json!({
            "title": config.title,
            "description": config.description.value,
            "base_url": config.base_url.value,
            "language": config.language,
            "noindex": site.noindex,
        }),
    );
    globals.insert("menu".into(), links(&config.menu));
    globals.insert("footer".into(), links(&config.footer));
    globals.insert("taxonomies".into(), Value::Object(taxonomies));
    // The decision tools, so a theme can link them (home, overviews) without naming one.
    let tools: Vec<Value> = site
        .tools
        .iter()
        .map(|t| {
            json!({
                "name": t.tree.name,
                "title": t.tree.title,
                "description": t.tree.description,
                "url": super::tools::start_url(&t.tree),
            })
        })
        .collect();
    globals.insert("tools".into(), Value::Array(tools));
    globals.insert("now".into(), Value::String(site.now.to_string()));
    globals
}
