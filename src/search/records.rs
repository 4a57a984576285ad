//! What the search index holds about each page: what a result shows (URL,
//! title, description, kind) and its theme and age filters; its text by field
//! (title, description, headings, body) is borrowed from the page and counted at
//! once (see [`super::count`]), never kept. Records are made from the checked
//! site and the rendered markdown, never from drafts, no-JS tool steps, review
//! pages or campaigns outside their window.

use std::collections::HashSet;
use std::hash::BuildHasher;

use super::count::{self, BODY, Counts, DESCRIPTION, HEADING, Known, TITLE, Text};
use crate::config::Taxonomy;
use crate::content::Page;
use crate::render::tools::start_url;
use crate::site::Site;

/// One searchable page, as a result shows it.
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

/// The records of `site` with their words counted into `known.words` (a text
/// `known` counted before is not counted again): every page but
/// drafts (even in a `--drafts` build), then each decision tool's start page.
/// `html[i]` is page `i`'s rendered body. Also returns, for each page, the index
/// of its record (drafts and the home page have none), so one page's record can
/// be counted again on its own.
pub fn records(
    site: &Site,
    html: &[String],
    known: &mut Known,
    keep: bool,
) -> (Vec<Record>, Vec<Counts>, Vec<Option<usize>>) {
    let pages = count::count(known, site.pages.len(), keep, |i| {
        let body = html.get(i).map_or("", String::as_str);
        page_record(site, &site.pages[i], body)
    });
    let tools = count::count(known, site.tools.len(), keep, |i| {
        Some(tool_record(site, i))
    });
    let mut records = Vec::with_capacity(pages.len() + tools.len());
    let mut counts = Vec::with_capacity(pages.len() + tools.len());
    let mut of_page = Vec::with_capacity(pages.len());
    for made in pages {
        of_page.push(made.map(|(record, counted)| {
            records.push(record);
            counts.push(counted);
            records.len() - 1
        }));
    }
    for (record, counted) in tools.into_iter().flatten() {
        records.push(record);
        counts.push(counted);
    }
    (records, counts, of_page)
}

/// Whether search finds `page`: not a draft, the home page or a campaign
/// outside its window.
pub fn is_found(site: &Site, page: &Page) -> bool {
    !page.front.draft && page.url != "/" && crate::campaign::is_listed(site, page)
}

/// The record of one page with body HTML `body`, and its text to count; none
/// for a draft, the home page or a campaign outside its window (found only by
/// its address).
pub fn page_record<'a>(
    site: &Site,
    page: &'a Page,
    body: &'a str,
) -> Option<(Record, Vec<Text<'a>>)> {
    let front = &page.front;
    if !is_found(site, page) {
        return None;
    }
    let mut texts = vec![
        Text::Plain(TITLE, &front.title.value),
        Text::Plain(DESCRIPTION, &front.description.value),
        Text::Html(body),
    ];
    // A card's own fields live in its front matter, not its body.
    if let Some(q) = &front.question {
        texts.push(Text::Plain(HEADING, &q.value));
    }
    for text in [&front.summary, &front.plan].into_iter().flatten() {
        texts.push(Text::Plain(BODY, &text.value));
    }
    for list in [&front.tips, &front.arguments_for, &front.against]
        .into_iter()
        .flatten()
    {
        texts.extend(list.value.iter().map(|t| Text::Plain(BODY, t)));
    }
    for prompts in [&front.ask_your_child, &front.talk].into_iter().flatten() {
        texts.extend(prompts.value.iter().map(|p| Text::Plain(BODY, &p.text)));
    }
    if let Some(law) = &front.law {
        texts.push(Text::Plain(BODY, &law.value.text));
    }
    let record = Record {
        url: page.url.clone(),
        title: front.title.value.clone(),
        description: front.description.value.clone(),
        kind: kind_label(page).to_string(),
        themes: mask(site, Taxonomy::Themes, &front.themes),
        ages: mask(site, Taxonomy::Ages, &front.ages),
    };
    Some((record, texts))
}

/// The record of decision tool `i`'s start page.
fn tool_record(site: &Site, i: usize) -> (Record, Vec<Text<'_>>) {
    let tree = &site.tools[i].tree;
    let questions: Vec<&str> = tree.questions.iter().map(|q| q.ask.as_str()).collect();
    let mut texts = vec![
        Text::Plain(TITLE, &tree.title),
        Text::Plain(DESCRIPTION, &tree.description),
        Text::Owned(HEADING, questions.join("\n")),
        Text::Plain(BODY, &tree.intro),
    ];
    for outcome in &tree.outcomes {
        texts.extend([
            Text::Plain(BODY, &outcome.title),
            Text::Plain(BODY, &outcome.body),
        ]);
    }
    let record = Record {
        url: start_url(tree),
        title: tree.title.clone(),
        description: tree.description.clone(),
        kind: "Hulpmiddel".to_string(),
        themes: 0,
        ages: 0,
    };
    (record, texts)
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
