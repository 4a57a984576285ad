//! Rendering the checked site into an in-memory [`Output`]: markdown and shortcodes
//! first (all pages, in parallel), then every page through its template (in
//! parallel, over read-only shared data), then the generated files.

mod context;
mod extras;
mod functions;
mod shortcode;
pub mod templates;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;
use serde_json::{Map, Value, json};

use crate::assets::{self, AssetUrls};
use crate::config::Taxonomy;
use crate::content::url::output_path;
use crate::diagnostics::{Diagnostic, sort};
use crate::output::{Output, minify_html};
use crate::site::Site;

/// One HTML file to render.
#[derive(Debug, Clone, Copy)]
enum Job {
    /// A page or section.
    Page(usize),
    /// A section filtered to one age group.
    SectionForAge(usize, usize),
    /// The overview of a taxonomy.
    Taxonomy(Taxonomy),
    /// One term of a taxonomy.
    Term(Taxonomy, usize),
    /// The "not found" page.
    NotFound,
}

/// Render `site`; any problem makes the whole render fail, with every problem found.
pub fn render(site: &Site) -> Result<Output, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let mut output = Output::default();
    let mut asset_urls = AssetUrls::new();
    if let Some(entry) = &site.theme.css_entry {
        match assets::build_css(entry, "css/main.css", site.config.css_targets, &site.root) {
            Ok(asset) => {
                asset_urls.insert(asset.logical.clone(), format!("/{}", asset.out));
                output.insert(asset.out, asset.bytes);
            }
            // Every page links the stylesheet: without it, rendering only repeats this.
            Err(d) => return Err(vec![d]),
        }
    }
    let terms = term_index(site);
    let globals = context::globals(site, &|taxonomy, slug| {
        terms
            .get(&(taxonomy.field(), slug.to_string()))
            .map_or(0, Vec::len)
    });
    let contents: Arc<OnceLock<Vec<String>>> = Arc::new(OnceLock::new());
    let mut tera = site.tera.clone();
    functions::register(&mut tera, site, asset_urls, Arc::clone(&contents));

    // Phase 1: markdown and shortcodes.
    let rendered: Vec<Result<String, Vec<Diagnostic>>> = site
        .pages
        .par_iter()
        .map(|page| shortcode::page_html(page, &tera, site, &globals))
        .collect();
    let mut html = Vec::with_capacity(rendered.len());
    for result in rendered {
        match result {
            Ok(h) => html.push(h),
            Err(mut p) => {
                problems.append(&mut p);
                html.push(String::new());
            }
        }
    }
    let _ = contents.set(html);
    let html = contents.get().map(Vec::as_slice).unwrap_or_default();

    // Phase 2: templates.
    let jobs = jobs(site, &terms);
    let pages: Vec<(String, Result<Vec<u8>, Diagnostic>)> = jobs
        .par_iter()
        .map(|job| {
            let (url, template, ctx) = job_context(site, *job, html, &terms, &globals);
            let ctx = tera::Context::from_value(Value::Object(ctx)).unwrap_or_default();
            let result = tera
                .render(template, &ctx)
                .map(|h| minify_html(&h))
                .map_err(|err| {
                    // Only on failure: rebuild the data to suggest the right variable.
                    let (_, _, data) = job_context(site, *job, html, &terms, &globals);
                    templates::render_error(&err, template, &site.theme, &Value::Object(data))
                });
            (url, result)
        })
        .collect();
    let mut render_errors: BTreeMap<String, (Diagnostic, Vec<String>)> = BTreeMap::new();
    for (url, result) in pages {
        match result {
            Ok(bytes) => output.insert(output_path(&url), bytes),
            Err(d) => render_errors
                .entry(d.to_string())
                .or_insert((d, Vec::new()))
                .1
                .push(url),
        }
    }
    for (_, (diagnostic, urls)) in render_errors {
        let more = match urls.len() {
            1 => format!(" (while rendering {})", urls[0]),
            n => format!(" (while rendering {} and {} other pages)", urls[0], n - 1),
        };
        problems.push(Diagnostic {
            message: diagnostic.message.clone() + &more,
            ..diagnostic
        });
    }

    extras::add(site, &mut output, &terms, &mut problems);
    if problems.is_empty() {
        Ok(output)
    } else {
        sort(&mut problems);
        Err(problems)
    }
}

/// For each (taxonomy, term slug), the pages that have it, in list order.
type TermIndex = BTreeMap<(&'static str, String), Vec<usize>>;

fn term_index(site: &Site) -> TermIndex {
    let mut index = TermIndex::new();
    for taxonomy in Taxonomy::ALL {
        for term in site.config.terms(taxonomy) {
            index.insert((taxonomy.field(), term.slug.value.clone()), Vec::new());
        }
    }
    for (i, page) in site.pages.iter().enumerate() {
        for (taxonomy, values) in [
            (Taxonomy::Themes, &page.front.themes),
            (Taxonomy::Ages, &page.front.ages),
        ] {
            for v in values {
                if let Some(list) = index.get_mut(&(taxonomy.field(), v.value.clone())) {
                    list.push(i);
                }
            }
        }
    }
    for list in index.values_mut() {
        list.sort_by_key(|&i| {
            (
                site.pages[i].front.weight.unwrap_or(i64::MAX),
                site.pages[i].title().to_lowercase(),
            )
        });
    }
    index
}

fn jobs(site: &Site, terms: &TermIndex) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..site.pages.len()).map(Job::Page).collect();
    let ages = site.config.taxonomies.ages.len();
    for (i, page) in site.pages.iter().enumerate() {
        if has_age_filter(site, i) && page.url != "/" {
            jobs.extend((0..ages).map(|a| Job::SectionForAge(i, a)));
        }
    }
    for taxonomy in Taxonomy::ALL {
        if !site.config.terms(taxonomy).is_empty() {
            jobs.push(Job::Taxonomy(taxonomy));
            let count = terms.keys().filter(|(t, _)| *t == taxonomy.field()).count();
            jobs.extend((0..count).map(|t| Job::Term(taxonomy, t)));
        }
    }
    jobs.push(Job::NotFound);
    jobs
}

/// Sections with pages of their own get an age filter.
fn has_age_filter(site: &Site, index: usize) -> bool {
    site.pages[index].is_section
        && !site.config.taxonomies.ages.is_empty()
        && site.children[index]
            .iter()
            .any(|&c| !site.pages[c].is_section)
}

fn age_filter(site: &Site, index: usize, current: Option<usize>) -> Value {
    if !has_age_filter(site, index) || site.pages[index].url == "/" {
        return json!([]);
    }
    let url = &site.pages[index].url;
    let mut entries = vec![
        json!({ "slug": "", "label": "Alle leeftijden", "url": url, "current": current.is_none() }),
    ];
    for (a, term) in site.config.taxonomies.ages.iter().enumerate() {
        entries.push(json!({
            "slug": term.slug.value,
            "label": term.label,
            "url": format!("{url}leeftijd/{}/", term.slug.value),
            "current": current == Some(a),
        }));
    }
    Value::Array(entries)
}

/// The URL, template and context of a job.
fn job_context(
    site: &Site,
    job: Job,
    html: &[String],
    terms: &TermIndex,
    globals: &Map<String, Value>,
) -> (String, &'static str, Map<String, Value>) {
    let mut ctx = globals.clone();
    let empty = String::new();
    let (url, template) = match job {
        Job::Page(i) => {
            let page = &site.pages[i];
            let content = html.get(i).unwrap_or(&empty);
            if page.is_section {
                let section = context::section(site, i, content, &|_| true);
                ctx.insert("page".into(), section.clone());
                ctx.insert("section".into(), section);
                ctx.insert("age_filter".into(), age_filter(site, i, None));
                (
                    page.url.clone(),
                    if page.url == "/" {
                        "index.html"
                    } else {
                        "section.html"
                    },
                )
            } else {
                ctx.insert("page".into(), context::page(site, i, content));
                (page.url.clone(), "page.html")
            }
        }
        Job::SectionForAge(i, a) => {
            let page = &site.pages[i];
            let age = &site.config.taxonomies.ages[a];
            let slug = age.slug.value.as_str();
            let keep = |p: &crate::content::Page| {
                p.front.ages.is_empty() || p.front.ages.iter().any(|x| x.value == slug)
            };
            let section = context::section(site, i, html.get(i).unwrap_or(&empty), &keep);
            let url = format!("{}leeftijd/{slug}/", page.url);
            ctx.insert("page".into(), section.clone());
            ctx.insert("section".into(), section);
            ctx.insert("age_filter".into(), age_filter(site, i, Some(a)));
            ctx.insert(
                "current_age".into(),
                json!({ "slug": slug, "label": age.label }),
            );
            (url, "section.html")
        }
        Job::Taxonomy(taxonomy) => {
            let url = taxonomy.url_base().to_string();
            let description = format!("{} op deze site.", taxonomy.title());
            ctx.insert(
                "page".into(),
                context::synthetic_page(site, taxonomy.title(), &description, &url),
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
            (url, "taxonomy.html")
        }
        Job::Term(taxonomy, t) => {
            let term = &site.config.terms(taxonomy)[t];
            let slug = &term.slug.value;
            let url = format!("{}{slug}/", taxonomy.url_base());
            let pages: Vec<Value> = terms
                .get(&(taxonomy.field(), slug.clone()))
                .map(|list| {
                    list.iter()
                        .map(|&i| context::summary(site, &site.pages[i]))
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
            ctx.insert(
                "page".into(),
                context::synthetic_page(
                    site,
                    &format!("{}: {}", taxonomy.term_title(), term.label),
                    &description,
                    &url,
                ),
            );
            ctx.insert(
                "term".into(),
                json!({ "taxonomy": taxonomy.field(), "slug": slug, "label": term.label, "url": url, "pages": pages }),
            );
            (url, "term.html")
        }
        Job::NotFound => {
            let page = context::synthetic_page(
                site,
                "Pagina niet gevonden",
                "Deze pagina bestaat niet (meer).",
                "/404.html",
            );
            ctx.insert("page".into(), page);
            ("/404.html".to_string(), "404.html")
        }
    };
    ctx.insert("current_url".into(), Value::String(url.clone()));
    (url, template, ctx)
}
