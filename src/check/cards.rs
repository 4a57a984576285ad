//! Risk and argument cards: required fields, list lengths, age groups of prompts,
//! unique ids, and `{{ card(id="...") }}` pointing at a card that exists.

use std::collections::HashMap;

use crate::config::Taxonomy;
use crate::content::front_matter::Prompt;
use crate::content::{Kind, Page};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::site::Site;
use crate::yaml::Spanned;

/// How many tips a risk card has: enough to act on, few enough for one card.
pub const TIPS: std::ops::RangeInclusive<usize> = 3..=6;
/// Arguments an argument card needs on each side, at least.
pub const MIN_ARGUMENTS: usize = 2;

/// Check the card fields of `page` (nothing for other kinds).
pub(super) fn check(site: &Site, page: &Page, problems: &mut Vec<Diagnostic>) {
    let front = &page.front;
    let kind = page.kind();
    if !kind.is_card() {
        return;
    }
    let missing = |field: &str, example: &str| {
        Diagnostic::error(format!("a {} needs `{field}`", kind.name()))
            .in_file(&page.file)
            .at_opt(
                front
                    .kind
                    .as_ref()
                    .and_then(|k| page.location(k, k.value.len())),
            )
            .with_help(format!("add `{field}: {example}`"))
    };
    if front.sources.is_empty() {
        problems.push(missing("sources", "[{ title: \"...\", date: 2025-05-21 }]"));
    }
    match kind {
        Kind::RiskCard => {
            if front.summary.is_none() {
                problems.push(missing("summary", "the risk in one sentence"));
            }
            match &front.tips {
                None => problems.push(missing("tips", "a list of 3 to 6 things a parent can do")),
                Some(tips) if !TIPS.contains(&tips.value.len()) => problems.push(
                    page_error(
                        page,
                        tips,
                        format!(
                            "a risk card has 3 to 6 tips, this one has {}",
                            tips.value.len()
                        ),
                    )
                    .with_help("a card is read in a minute: keep the 3 to 6 most useful tips"),
                ),
                Some(_) => {}
            }
        }
        Kind::ArgumentCard => {
            if front.question.is_none() {
                problems.push(missing(
                    "question",
                    "the choice as a parent asks it, e.g. \"Zet ik mijn kind in onze vlogs?\"",
                ));
            }
            if front.law.is_none() {
                problems.push(missing(
                    "law",
                    "{ text: \"what the rules say now\", checked: 2026-11-23 }",
                ));
            }
            for (field, list) in [("for", &front.arguments_for), ("against", &front.against)] {
                match list {
                    None => problems.push(missing(field, "a list of at least two arguments")),
                    Some(list) if list.value.len() < MIN_ARGUMENTS => problems.push(
                        page_error(page, list, format!("`{field}` needs at least {MIN_ARGUMENTS} arguments, this one has {}", list.value.len()))
                            .with_help("give both sides at least two arguments, so the card stays balanced"),
                    ),
                    Some(_) => {}
                }
            }
        }
        Kind::Page | Kind::Campaign | Kind::News => {}
    }
    for prompts in [&front.ask_your_child, &front.talk].into_iter().flatten() {
        prompt_ages(site, page, &prompts.value, problems);
    }
}

fn page_error<T>(page: &Page, value: &Spanned<T>, message: String) -> Diagnostic {
    Diagnostic::error(message)
        .in_file(&page.file)
        .at_opt(page.location(value, 1))
}

fn prompt_ages(site: &Site, page: &Page, prompts: &[Prompt], problems: &mut Vec<Diagnostic>) {
    let terms = site.config.terms(Taxonomy::Ages);
    let slugs: Vec<&str> = terms.iter().map(|t| t.slug.value.as_str()).collect();
    for age in prompts.iter().flat_map(|p| &p.ages) {
        if !slugs.contains(&age.value.as_str()) {
            let hint = did_you_mean(&age.value, slugs.iter().copied())
                .map(|b| format!("did you mean `{b}`? "))
                .unwrap_or_default();
            problems.push(
                page.error_at(age, format!("unknown age group `{}`", age.value))
                    .with_help(format!("{hint}The ages are: {}.", slugs.join(", "))),
            );
        }
    }
}

/// Card ids are unique across both kinds, and every `{{ card(id="...") }}` names one.
pub(super) fn check_ids(site: &Site, problems: &mut Vec<Diagnostic>) {
    let mut ids: HashMap<&str, &Page> = HashMap::new();
    for page in &site.pages {
        let Some(id) = page.card_id() else { continue };
        if let Some(first) = ids.insert(id, page) {
            problems.push(
                page.error_at(&page.front.title, format!("the card id `{id}` is also used by {}", first.file.display()))
                    .with_help("rename one of the two files: `{{ card(id=\"...\") }}` must know which card you mean"),
            );
        }
    }
    let unbuilt: HashMap<&str, &crate::content::Unbuilt> = site
        .unbuilt
        .iter()
        .filter_map(|u| Some((u.card_id.as_deref()?, u)))
        .collect();
    for page in &site.pages {
        for call in page.shortcodes.iter().filter(|c| c.name == "card") {
            let id = call.args.get("id").and_then(|v| v.as_str());
            let problem = match id {
                None => Some((
                    "the card shortcode needs an id, like {{ card(id=\"veiligheid\") }}"
                        .to_string(),
                    None,
                )),
                Some(id) if !ids.contains_key(id) => {
                    if let Some(unbuilt) = unbuilt.get(id) {
                        problems.push(
                            page.error_at_offset(
                                call.span.start,
                                call.span.len(),
                                format!("the card `{id}` is in {}", unbuilt.describe()),
                            )
                            .with_help(unbuilt.help()),
                        );
                        continue;
                    }
                    Some((
                        format!("there is no card with the id `{id}`"),
                        did_you_mean(id, ids.keys().copied()),
                    ))
                }
                Some(_) => None,
            };
            if let Some((message, best)) = problem {
                let mut known: Vec<&str> = ids.keys().copied().collect();
                known.sort_unstable();
                let help = match best {
                    Some(best) => {
                        format!("did you mean `{best}`? The cards are: {}", known.join(", "))
                    }
                    None => format!("the cards are: {}", known.join(", ")),
                };
                problems.push(
                    page.error_at_offset(call.span.start, call.span.len(), message)
                        .with_help(help),
                );
            }
        }
    }
}
