//! Functions templates can call: `asset`, `get_page`, `get_section`, `url_for`.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde_json::Value;
use tera::Tera;

use crate::assets::AssetUrls;
use crate::diagnostics::did_you_mean;
use crate::site::Site;
use crate::urls::SiteUrls;

/// Register the template functions. `contents` is filled with every page's HTML
/// once markdown is rendered; before that (inside shortcodes) `content` is empty.
pub fn register(
    tera: &mut Tera,
    site: &Site,
    assets: AssetUrls,
    contents: Arc<OnceLock<Vec<String>>>,
    summaries: Arc<Vec<Value>>,
    links: Arc<SiteUrls>,
) {
    let children: Arc<Vec<Vec<usize>>> = Arc::new(site.children.clone());
    let is_section: Arc<Vec<bool>> = Arc::new(site.pages.iter().map(|p| p.is_section).collect());
    let index = Arc::clone(&site.index);

    tera.register_function("asset", move |args: &HashMap<String, Value>| {
        let path = string_arg(args, "path")?;
        assets
            .get(path)
            .map(|u| Value::String(u.clone()))
            .ok_or_else(|| {
                let hint = did_you_mean(path, assets.keys().map(String::as_str))
                    .map(|b| format!(" (did you mean `{b}`?)"))
                    .unwrap_or_default();
                tera::Error::msg(format!(
                    "asset(path=\"{path}\"): the theme has no such asset{hint}"
                ))
            })
    });

    let lookup = {
        let index = Arc::clone(&index);
        move |name: &str, args: &HashMap<String, Value>| -> tera::Result<usize> {
            let url = string_arg(args, "url")?;
            index.page(url).ok_or_else(|| {
                let hint = did_you_mean(url, index.urls())
                    .map(|b| format!(" (did you mean {b}?)"))
                    .unwrap_or_default();
                tera::Error::msg(format!("{name}(url=\"{url}\"): no page has this URL{hint}"))
            })
        }
    };

    {
        let (lookup, summaries, contents) = (
            lookup.clone(),
            Arc::clone(&summaries),
            Arc::clone(&contents),
        );
        tera.register_function("get_page", move |args: &HashMap<String, Value>| {
            let i = lookup("get_page", args)?;
            let mut page = summaries[i].clone();
            if let Value::Object(map) = &mut page {
                let content = contents
                    .get()
                    .and_then(|c| c.get(i))
                    .cloned()
                    .unwrap_or_default();
                map.insert("content".into(), Value::String(content));
            }
            Ok(page)
        });
    }
    {
        let (lookup, summaries) = (lookup.clone(), Arc::clone(&summaries));
        tera.register_function("get_section", move |args: &HashMap<String, Value>| {
            let i = lookup("get_section", args)?;
            if !is_section[i] {
                return Err(tera::Error::msg(format!(
                    "get_section(url=\"{}\"): this is a page, not a section",
                    string_arg(args, "url")?
                )));
            }
            let mut section = summaries[i].clone();
            let (subs, pages): (Vec<usize>, Vec<usize>) =
                children[i].iter().partition(|&&c| is_section[c]);
            if let Value::Object(map) = &mut section {
                map.insert(
                    "pages".into(),
                    pages.iter().map(|&c| summaries[c].clone()).collect(),
                );
                map.insert(
                    "subsections".into(),
                    subs.iter().map(|&c| summaries[c].clone()).collect(),
                );
            }
            Ok(section)
        });
    }
    {
        let (index, summaries) = (Arc::clone(&index), Arc::clone(&summaries));
        tera.register_function("get_card", move |args: &HashMap<String, Value>| {
            let id = string_arg(args, "id")?;
            index.card(id).map(|i| summaries[i].clone()).ok_or_else(|| {
                tera::Error::msg(format!(
                    "get_card(id=\"{id}\"): there is no card with this id"
                ))
            })
        });
    }
    {
        let tools: HashMap<String, Value> = site
            .tools
            .iter()
            .map(|t| {
                let tree = &t.tree;
                let step = super::tools::step_value(site, tree, &[]);
                let value = serde_json::json!({
                    "name": tree.name,
                    "title": tree.title,
                    "description": tree.description,
                    "url": super::tools::start_url(tree),
                    "question": step["question"],
                });
                (tree.name.clone(), value)
            })
            .collect();
        tera.register_function("get_tool", move |args: &HashMap<String, Value>| {
            let id = string_arg(args, "id")?;
            tools.get(id).cloned().ok_or_else(|| {
                tera::Error::msg(format!(
                    "get_tool(id=\"{id}\"): there is no decision tool with this id"
                ))
            })
        });
    }
    // `url_for` takes a site path or a content path (`@/thema/gamen/_index.md`).
    tera.register_function("url_for", move |args: &HashMap<String, Value>| {
        let path = string_arg(args, "path")?;
        match links.href(path) {
            Some(href) if links.is_page(path) => Ok(Value::String(href)),
            _ => {
                let hint = links
                    .suggest(path)
                    .map(|b| format!(" (did you mean {b}?)"))
                    .unwrap_or_default();
                Err(tera::Error::msg(format!(
                    "url_for(path=\"{path}\"): no page has this URL{hint}"
                )))
            }
        }
    });
}

fn string_arg<'a>(args: &'a HashMap<String, Value>, name: &str) -> tera::Result<&'a str> {
    args.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| tera::Error::msg(format!("this function needs the argument {name}=\"...\"")))
}
