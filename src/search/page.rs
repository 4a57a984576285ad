//! The data of the search page `/zoeken/`: the index's entry file for the
//! script, the filters, and for readers without JavaScript every page from A to
//! Z, by theme and by age group.

use serde_json::{Value, json};

use super::records::kind_label;
use crate::config::Taxonomy;
use crate::render::tools::start_url;
use crate::site::Site;

/// Where the search page is.
pub const URL: &str = "/zoeken/";

/// The template that renders it; a theme without it has no search page.
pub const TEMPLATE: &str = "search.html";

/// `search` in the template: `{ index, themes, ages, az }`. `summaries[i]` is
/// page `i` as lists show it.
pub fn value(site: &Site, summaries: &[Value], index_url: &str) -> Value {
    let mut all: Vec<Value> = site
        .pages
        .iter()
        .zip(summaries)
        .filter(|(p, _)| !p.front.draft && p.url != "/")
        .map(|(p, s)| {
            let mut s = s.clone();
            s["kind_label"] = json!(kind_label(p));
            s
        })
        .collect();
    for tool in &site.tools {
        all.push(json!({
            "title": tool.tree.title, "description": tool.tree.description,
            "url": start_url(&tool.tree), "kind": "tool", "kind_label": "Hulpmiddel",
            "themes": [], "ages": [],
        }));
    }
    let key = |v: &Value| v["title"].as_str().unwrap_or_default().to_lowercase();
    all.sort_by_cached_key(key);
    let mut az: Vec<Value> = Vec::new();
    for page in &all {
        let letter = key(page)
            .chars()
            .find(|c| c.is_alphanumeric())
            .map_or('#', |c| c.to_ascii_uppercase())
            .to_string();
        match az.last_mut() {
            Some(group) if group["letter"] == letter => {
                if let Some(list) = group["pages"].as_array_mut() {
                    list.push(page.clone());
                }
            }
            _ => az.push(json!({ "letter": letter, "pages": [page] })),
        }
    }
    let terms = |taxonomy: Taxonomy| -> Vec<Value> {
        site.config
            .terms(taxonomy)
            .iter()
            .map(|t| {
                let pages: Vec<&Value> = all
                    .iter()
                    .filter(|p| {
                        p[taxonomy.field()]
                            .as_array()
                            .is_some_and(|a| a.iter().any(|x| x["slug"] == t.slug.value))
                    })
                    .collect();
                json!({
                    "slug": t.slug.value, "label": t.label,
                    "url": format!("{}{}/", taxonomy.url_base(), t.slug.value),
                    "pages": pages,
                })
            })
            .collect()
    };
    json!({
        "index": index_url,
        "themes": terms(Taxonomy::Themes),
        "ages": terms(Taxonomy::Ages),
        "az": az,
    })
}
