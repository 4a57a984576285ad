//! The data of the search page `/zoeken/`: the index's entry file for the
//! script, the filters, and for readers without JavaScript every page from A to
//! Z, by theme and by age group.

use serde_json::Value;

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
            let entry = entry(
                &s["title"],
                &s["description"],
                &p.url,
                p.kind().name(),
                kind_label(p),
            );
            fn slugs(values: &[crate::yaml::Spanned<String>]) -> Vec<&str> {
                values.iter().map(|v| v.value.as_str()).collect()
            }
            let key = s["title"].as_str().unwrap_or_default().to_lowercase();
            (key, entry, slugs(&p.front.themes), slugs(&p.front.ages))
        })
        .collect();
    for tool in &site.tools {
        let entry = entry(
            &Value::from(tool.tree.title.as_str()),
            &Value::from(tool.tree.description.as_str()),
            &start_url(&tool.tree),
            "tool",
            "Hulpmiddel",
        );
        all.push((
            tool.tree.title.to_lowercase(),
            entry,
            Vec::new(),
            Vec::new(),
        ));
    }
    all.sort_by(|a, b| a.0.cmp(&b.0));
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
                object([
                    ("slug", t.slug.value.as_str().into()),
                    ("label", t.label.as_str().into()),
                    (
                        "url",
                        format!("{}{}/", taxonomy.url_base(), t.slug.value).into(),
                    ),
                    ("pages", Value::Array(pages)),
                ])
            })
            .collect()
    };
    let (themes, ages) = (terms(Taxonomy::Themes), terms(Taxonomy::Ages));
    // The last list takes the entries themselves.
    let mut az: Vec<(char, Vec<Value>)> = Vec::new();
    for (key, entry, _, _) in all {
        let letter = key
            .chars()
            .find(|c| c.is_alphanumeric())
            .map_or('#', |c| c.to_ascii_uppercase());
        match az.last_mut() {
            Some((last, pages)) if *last == letter => pages.push(entry),
            _ => az.push((letter, vec![entry])),
        }
    }
    let az: Vec<Value> = az
        .into_iter()
        .map(|(letter, pages)| {
            object([
                ("letter", letter.to_string().into()),
                ("pages", Value::Array(pages)),
            ])
        })
        .collect();
    // Built by moving, not with `json!`, which copies every value it is given.
    object([
        ("index", index_url.into()),
        ("themes", Value::Array(themes)),
        ("ages", Value::Array(ages)),
        ("az", Value::Array(az)),
    ])
}

/// An object of `fields`, moved in.
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// A page as the lists show it.
fn entry(title: &Value, description: &Value, url: &str, kind: &str, kind_label: &str) -> Value {
    object([
        ("title", title.clone()),
        ("description", description.clone()),
        ("url", url.into()),
        ("kind", kind.into()),
        ("kind_label", kind_label.into()),
    ])
}
