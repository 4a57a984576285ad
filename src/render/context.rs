//! The data templates see (documented in `docs/templates.md`), built from the site.

use serde_json::{Map, Value, json};

use super::cards;
use crate::config::{SiteConfig, Taxonomy};
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
        map.insert("noindex".into(), Value::Bool(false));
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
) -> Value {
    let mut value = page;
    let (subsections, pages): (Vec<usize>, Vec<usize>) = site.children[index]
        .iter()
        .partition(|&&i| site.pages[i].is_section);
    if let Value::Object(map) = &mut value {
        map.insert(
            "pages".into(),
            pages
                .iter()
                .filter(|&&i| keep(&site.pages[i]))
                .map(|&i| summaries[i].clone())
                .collect(),
        );
        map.insert(
            "subsections".into(),
            subsections.iter().map(|&i| summaries[i].clone()).collect(),
        );
        map.insert("cards".into(), theme_cards(site, summaries, index));
    }
    value
}

/// Cards that share a theme with the section and are not its own children: the
/// card block of a theme hub.
fn theme_cards(site: &Site, summaries: &[Value], index: usize) -> Value {
    let section = &site.pages[index];
    if section.front.themes.is_empty() {
        return json!([]);
    }
    let mut cards: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].kind().is_card() && site.parents[i] != Some(index))
        .filter(|&i| {
            site.pages[i]
                .front
                .themes
                .iter()
                .any(|t| section.front.themes.iter().any(|s| s.value == t.value))
        })
        .collect();
    cards.sort_by_cached_key(|&i| site.pages[i].card_key());
    cards.iter().map(|&i| summaries[i].clone()).collect()
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
        "noindex": false,
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
