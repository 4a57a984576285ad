//! What the search index holds about each page: its text by field (title,
//! description, headings, body) and its theme and age filters. Records are made
//! from the checked site and the rendered markdown, never from drafts, no-JS
//! tool steps, review pages or campaigns outside their window.

use std::collections::HashSet;
use std::hash::BuildHasher;

use rayon::prelude::*;

use super::{BODY, DESCRIPTION, HEADING, TITLE};
use crate::config::Taxonomy;
use crate::content::Page;
use crate::render::tools::start_url;
use crate::site::Site;

/// One searchable page.
#[derive(Debug, Clone)]
pub struct Record {
    /// Its URL.
    pub url: String,
    /// Its title.
    pub title: String,
    /// Its one-sentence description.
    pub description: String,
    /// What it is, in Dutch: "Pagina", "Informatiekaart", "Hulpmiddel", ...
    pub kind: String,
    /// Its themes, one bit per theme of `site.yaml` (in order; the first 32).
    pub themes: u32,
    /// Its age groups, as bits; 0 means "for every age".
    pub ages: u32,
    /// (boost, text) of each field.
    pub fields: Vec<(f64, String)>,
}

/// The Dutch name of a page's kind, shown with each result.
pub fn kind_label(page: &Page) -> &'static str {
    match page.kind().name() {
        "risk-card" => "Informatiekaart",
        "argument-card" => "Argumentenkaart",
        "campaign" => "Campagne",
        _ if page.is_section => "Thema",
        _ => "Pagina",
    }
}

fn mask(site: &Site, taxonomy: Taxonomy, values: &[crate::yaml::Spanned<String>]) -> u32 {
    let terms = site.config.terms(taxonomy);
    values
        .iter()
        .filter_map(|v| terms.iter().position(|t| t.slug.value == v.value))
        .filter(|&i| i < 32)
        .fold(0, |m, i| m | 1 << i)
}

/// The records of `site`: every page but drafts (even in a `--drafts` build),
/// then each decision tool's start page. `html[i]` is page `i`'s rendered body.
pub fn records(site: &Site, html: &[String]) -> Vec<Record> {
    records_by_page(site, html).0
}

/// [`records`], and for each page the index of its record (drafts and the home
/// page have none), so one page's record can be made again on its own.
pub fn records_by_page(site: &Site, html: &[String]) -> (Vec<Record>, Vec<Option<usize>>) {
    let made: Vec<Option<Record>> = site
        .pages
        .par_iter()
        .enumerate()
        .map(|(i, page)| page_record(site, page, html.get(i).map_or("", String::as_str)))
        .collect();
    let mut out = Vec::with_capacity(made.len() + site.tools.len());
    let mut of_page = Vec::with_capacity(made.len());
    for record in made {
        of_page.push(record.map(|record| {
            out.push(record);
            out.len() - 1
        }));
    }
    out.extend(tool_records(site));
    (out, of_page)
}

/// The record of one page with body HTML `body`; none for a draft, the home page
/// or a campaign outside its window (found only by its address).
pub fn page_record(site: &Site, page: &Page, body: &str) -> Option<Record> {
    let front = &page.front;
    if front.draft || page.url == "/" || !crate::campaign::is_listed(site, page) {
        return None;
    }
    let (headings, text) = html_text(body);
    let mut fields = vec![
        (TITLE, front.title.value.clone()),
        (DESCRIPTION, front.description.value.clone()),
        (HEADING, headings),
        (BODY, text),
    ];
    // A card's own fields live in its front matter, not its body.
    let mut card = Vec::new();
    if let Some(q) = &front.question {
        fields.push((HEADING, q.value.clone()));
    }
    for text in [&front.summary, &front.plan].into_iter().flatten() {
        card.push(text.value.clone());
    }
    for list in [&front.tips, &front.arguments_for, &front.against]
        .into_iter()
        .flatten()
    {
        card.extend(list.value.iter().cloned());
    }
    for prompts in [&front.ask_your_child, &front.talk].into_iter().flatten() {
        card.extend(prompts.value.iter().map(|p| p.text.clone()));
    }
    if let Some(law) = &front.law {
        card.push(law.value.text.clone());
    }
    if !card.is_empty() {
        fields.push((BODY, card.join("\n")));
    }
    Some(Record {
        url: page.url.clone(),
        title: front.title.value.clone(),
        description: front.description.value.clone(),
        kind: kind_label(page).to_string(),
        themes: mask(site, Taxonomy::Themes, &front.themes),
        ages: mask(site, Taxonomy::Ages, &front.ages),
        fields,
    })
}

/// The records of the decision tools' start pages.
fn tool_records(site: &Site) -> Vec<Record> {
    let mut out = Vec::new();
    for tool in &site.tools {
        let tree = &tool.tree;
        let questions: Vec<&str> = tree.questions.iter().map(|q| q.ask.as_str()).collect();
        let mut body = vec![tree.intro.as_str()];
        for outcome in &tree.outcomes {
            body.extend([outcome.title.as_str(), outcome.body.as_str()]);
        }
        out.push(Record {
            url: start_url(tree),
            title: tree.title.clone(),
            description: tree.description.clone(),
            kind: "Hulpmiddel".to_string(),
            themes: 0,
            ages: 0,
            fields: vec![
                (TITLE, tree.title.clone()),
                (DESCRIPTION, tree.description.clone()),
                (HEADING, questions.join("\n")),
                (BODY, body.join("\n")),
            ],
        });
    }
    out
}

/// The text of rendered HTML: (the headings, everything). Tags and character
/// references are dropped; only the words matter.
pub fn html_text(html: &str) -> (String, String) {
    let mut headings = String::new();
    let mut all = String::with_capacity(html.len());
    let mut in_heading = false;
    let mut rest = html;
    while let Some(start) = rest.find(['<', '&']) {
        let chunk = &rest[..start];
        all.push_str(chunk);
        if in_heading {
            headings.push_str(chunk);
        }
        let tail = &rest[start..];
        let end = if tail.starts_with('<') {
            let end = tail.find('>').map_or(tail.len(), |e| e + 1);
            let tag = &tail[..end];
            if tag.len() > 3 && tag.starts_with("<h") && tag.as_bytes()[2].is_ascii_digit() {
                in_heading = true;
            } else if tag.starts_with("</h") {
                in_heading = false;
                headings.push('\n');
            }
            end
        } else {
            // A character reference: `&amp;` is not the word "amp".
            tail.find(';').filter(|&e| e < 10).map_or(1, |e| e + 1)
        };
        all.push(' ');
        rest = &tail[end..];
    }
    all.push_str(rest);
    (headings, all)
}

/// A compound as two words the site also uses on their own ("schermtijd" →
/// "scherm" + "tijd"; a linking s is allowed: "privacyschending"), longest
/// first part first. Parts have at least four letters, so "tijdens" stays whole.
pub fn split_compound<'a, S: BuildHasher>(
    word: &'a str,
    vocabulary: &HashSet<&str, S>,
) -> Option<(&'a str, &'a str)> {
    if word.len() < 8 || !word.is_ascii() {
        return None;
    }
    (4..=word.len() - 4).rev().find_map(|i| {
        let (a, b) = word.split_at(i);
        let b = if !vocabulary.contains(&b) && b.len() > 4 && b.starts_with('s') {
            &b[1..]
        } else {
            b
        };
        (vocabulary.contains(&a) && vocabulary.contains(&b)).then_some((a, b))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_text_keeps_words_and_headings() {
        let (h, all) =
            html_text("<h2 id=\"x\">Wat &amp; hoe</h2><p>Een <em>loot</em> box&nbsp;hier</p>");
        assert_eq!(h.trim(), "Wat  hoe");
        let words: Vec<String> = crate::search::text::words(&all).collect();
        assert_eq!(words, ["wat", "hoe", "een", "loot", "box", "hier"]);
    }

    #[test]
    fn compounds_split_into_known_words() {
        let vocabulary: HashSet<&str> = ["scherm", "tijd", "privacy", "schending", "tijden"].into();
        assert_eq!(
            split_compound("schermtijd", &vocabulary),
            Some(("scherm", "tijd"))
        );
        assert_eq!(
            split_compound("privacyschending", &vocabulary),
            Some(("privacy", "schending"))
        );
        assert_eq!(split_compound("schermen", &vocabulary), None);
    }
}
