//! Sections filtered by age group or theme: which filters a section gets, which
//! pages each keeps, and the links of the filter rows.

use serde_json::{Value, json};

use crate::config::Taxonomy;
use crate::content::Page;
use crate::site::Site;

/// A section gets a filter for a taxonomy when its pages differ in it: age groups
/// always (pages without ages count for every age), themes when there are two or more.
pub(super) fn has_filter(site: &Site, index: usize, taxonomy: Taxonomy) -> bool {
    let terms = filter_terms(site, index, taxonomy);
    match taxonomy {
        Taxonomy::Ages => !terms.is_empty(),
        Taxonomy::Themes => terms.len() >= 2,
    }
}

/// The terms a section can be filtered by: every age group (pages without ages are
/// for all ages), but only the themes its pages have.
pub(super) fn filter_terms(site: &Site, index: usize, taxonomy: Taxonomy) -> Vec<usize> {
    let section = &site.pages[index];
    if !section.is_section || section.url == "/" {
        return Vec::new();
    }
    let pages: Vec<&Page> = site.children[index]
        .iter()
        .map(|&c| &site.pages[c])
        .filter(|p| !p.is_section)
        .collect();
    if pages.is_empty() {
        return Vec::new();
    }
    let terms = site.config.terms(taxonomy);
    (0..terms.len())
        .filter(|&t| {
            taxonomy == Taxonomy::Ages
                || pages
                    .iter()
                    .any(|p| matches(p, taxonomy, &terms[t].slug.value))
        })
        .collect()
}

/// The URL segment of a filter: `/thema/gamen/leeftijd/8-12/`.
pub(super) fn filter_segment(taxonomy: Taxonomy) -> &'static str {
    match taxonomy {
        Taxonomy::Ages => "leeftijd",
        Taxonomy::Themes => "thema",
    }
}

/// Whether `page` belongs in the list filtered to `slug`. Pages without ages are
/// for every age.
pub(super) fn matches(page: &Page, taxonomy: Taxonomy, slug: &str) -> bool {
    match taxonomy {
        Taxonomy::Ages => {
            page.front.ages.is_empty() || page.front.ages.iter().any(|a| a.value == slug)
        }
        Taxonomy::Themes => page.front.themes.iter().any(|t| t.value == slug),
    }
}

/// The links of a filter row; the first, "Alle ...", is the unfiltered list.
pub(super) fn filter_links(
    site: &Site,
    index: usize,
    taxonomy: Taxonomy,
    current: Option<usize>,
) -> Value {
    if !has_filter(site, index, taxonomy) {
        return json!([]);
    }
    let url = &site.pages[index].url;
    let all = match taxonomy {
        Taxonomy::Ages => "Alle leeftijden",
        Taxonomy::Themes => "Alle thema's",
    };
    let mut entries =
        vec![json!({ "slug": "", "label": all, "url": url, "current": current.is_none() })];
    for t in filter_terms(site, index, taxonomy) {
        let term = &site.config.terms(taxonomy)[t];
        entries.push(json!({
            "slug": term.slug.value,
            "label": term.label,
            "url": format!("{url}{}/{}/", filter_segment(taxonomy), term.slug.value),
            "current": current == Some(t),
        }));
    }
    Value::Array(entries)
}
