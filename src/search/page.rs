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

/// `search` in the template: `{ index, themes, ages, az }`. Each page in
/// them is what a link to it needs: `{ title, description, url, kind,
/// kind_label }`, made once per page and copied into each list (on a
/// 10,000-page site the lists hold some 60,000 entries: whole summaries made
/// this page cost more than the search index). `summaries[i]` is page `i` as
/// lists show it (its title and description with smart quotes).
pub fn value(site: &Site, summaries: &[Value], index_url: &str) -> Value {
    // (sort key, entry, themes, ages) of every listed page and tool.
    let mut all: Vec<(String, Value, Vec<&str>, Vec<&str>)> = site
        .pages
        .iter()
        .zip(summaries)
        .filter(|(p, _)| !p.front.draft && p.url != "/")
        .map(|(p, s)| {
            let entry = json!({
                "title": s["title"], "description": s["description"], "url": p.url,
                "kind": p.kind().name(), "kind_label": kind_label(p),
            });
            fn slugs(values: &[crate::yaml::Spanned<String>]) -> Vec<&str> {
                values.iter().map(|v| v.value.as_str()).collect()
            }
            let key = s["title"].as_str().unwrap_or_default().to_lowercase();
            (key, entry, slugs(&p.front.themes), slugs(&p.front.ages))
        })
        .collect();
    for tool in &site.tools {
        let entry = json!({
            "title": tool.tree.title, "description": tool.tree.description,
            "url": start_url(&tool.tree), "kind": "tool", "kind_label": "Hulpmiddel",
        });
        all.push((
            tool.tree.title.to_lowercase(),
            entry,
            Vec::new(),
            Vec::new(),
        ));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let mut az: Vec<(String, Vec<Value>)> = Vec::new();
    for (key, entry, _, _) in &all {
        let letter = key
            .chars()
            .find(|c| c.is_alphanumeric())
            .map_or('#', |c| c.to_ascii_uppercase())
            .to_string();
        match az.last_mut() {
            Some((last, pages)) if *last == letter => pages.push(entry.clone()),
            _ => az.push((letter, vec![entry.clone()])),
        }
    }
    let terms = |taxonomy: Taxonomy| -> Vec<Value> {
        site.config
            .terms(taxonomy)
            .iter()
            .map(|t| {
                let pages: Vec<Value> = all
                    .iter()
                    .filter(|(_, _, themes, ages)| {
                        let slugs = match taxonomy {
                            Taxonomy::Themes => themes,
                            Taxonomy::Ages => ages,
                        };
                        slugs.contains(&t.slug.value.as_str())
                    })
                    .map(|(_, entry, _, _)| entry.clone())
                    .collect();
                json!({
                    "slug": t.slug.value, "label": t.label,
                    "url": format!("{}{}/", taxonomy.url_base(), t.slug.value),
                    "pages": Value::Array(pages),
                })
            })
            .collect()
    };
    let az: Vec<Value> = az
        .into_iter()
        .map(|(letter, pages)| json!({ "letter": letter, "pages": Value::Array(pages) }))
        .collect();
    json!({
        "index": index_url,
        "themes": terms(Taxonomy::Themes),
        "ages": terms(Taxonomy::Ages),
        "az": az,
    })
}
