//! Legal statements on the built bundled site that must never appear without their
//! condition. The exemption rule for children under 13 (Kamerbrief 21 mei 2025:
//! "voor uitvoeringen door kinderen tot 13 jaar op het internet") holds in a commercial
//! sphere, or when it is no longer incidental (BOVK 2016 art. 1; Rijksoverheid Q&A).
//! A card printed alone that states it bare contradicts the decision tool, which
//! answers "niet nodig" for a private, incidental video (feiten.md §6.7.3).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use scraper::{Html, Selector};

/// Words that name the rule's condition: commercial, a contract, or not incidental.
const CONDITIONS: [&str; 7] = [
    "commerci",
    "incidente",
    "af en toe",
    "contract",
    "overeenkomst",
    "reclame",
    "betaalde samenwerking",
];

/// Whether `sentence` says an exemption is needed for children under 13 (not when it
/// says when one is not needed).
fn states_the_under_13_rule(sentence: &str) -> bool {
    let s = sentence.to_lowercase();
    s.contains("ontheffing")
        && !s.contains("niet nodig")
        && !s.contains("geen ontheffing")
        && ["tot 13", "onder de 13", "jonger dan 13", "tot dertien"]
            .iter()
            .any(|age| s.contains(age))
        && (s.contains("nodig") || s.contains("noodzakelijk"))
}

fn has_its_condition(sentence: &str) -> bool {
    let s = sentence.to_lowercase();
    CONDITIONS.iter().any(|c| s.contains(c))
}

/// The statements of a block of text: sentences split after . ? ! and a space, where a
/// question and the "Dan ..." sentence that answers it count as one statement ("Is je
/// kind jonger dan 13? Dan is een ontheffing nodig.").
fn sentences(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    let push = |sentence: String, out: &mut Vec<String>| {
        let sentence = sentence.trim().to_string();
        match out.last_mut() {
            Some(last) if last.ends_with('?') && sentence.starts_with("Dan ") => {
                last.push(' ');
                last.push_str(&sentence);
            }
            _ if sentence.is_empty() => {}
            _ => out.push(sentence),
        }
    };
    while let Some(c) = chars.next() {
        current.push(c);
        if matches!(c, '.' | '?' | '!') && chars.peek().is_some_and(|n| n.is_whitespace()) {
            push(std::mem::take(&mut current), &mut out);
        }
    }
    push(current, &mut out);
    out
}

/// Every sentence of every page that states the rule without its condition, as
/// "page: sentence".
fn bare_statements(pages: &[(String, String)]) -> Vec<String> {
    let blocks = Selector::parse("p, li, dd, td, th, h1, h2, h3, h4, blockquote").unwrap();
    let mut found = Vec::new();
    for (path, html) in pages {
        let doc = Html::parse_document(html);
        for block in doc.select(&blocks) {
            let text = block.text().collect::<Vec<_>>().join("");
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            for sentence in sentences(&text) {
                if states_the_under_13_rule(&sentence) && !has_its_condition(&sentence) {
                    found.push(format!("{path}: {sentence}"));
                }
            }
        }
    }
    found.sort();
    found.dedup();
    found
}

#[test]
fn the_check_finds_a_bare_statement_and_accepts_a_conditional_one() {
    let page = |body: &str| {
        vec![(
            "t.html".to_string(),
            format!("<!doctype html><title>t</title><main>{body}</main>"),
        )]
    };
    let bare = "<p>Let op. Voor optredens van kinderen tot 13 jaar op internet is een \
                ontheffing van de Arbeidsinspectie nodig. Dat staat in de BOVK.</p>";
    assert_eq!(
        bare_statements(&page(bare)),
        vec![
            "t.html: Voor optredens van kinderen tot 13 jaar op internet is een ontheffing \
             van de Arbeidsinspectie nodig."
                .to_string()
        ]
    );
    let nested = "<ul><li>Is je kind <strong>jonger dan 13</strong>? Dan is een \
                  <em>ontheffing</em> nodig.</li></ul>";
    assert_eq!(bare_statements(&page(nested)).len(), 1);
    let conditional = "<p>Voor optredens van kinderen tot 13 jaar op internet in een \
                       commerciële sfeer, of als het niet meer incidenteel is, is een \
                       ontheffing nodig.</p>";
    assert!(bare_statements(&page(conditional)).is_empty());
    let not_needed = "<p>De Rijksoverheid zegt wanneer voor kinderen tot 13 jaar een \
                      ontheffing niet nodig is.</p>";
    assert!(bare_statements(&page(not_needed)).is_empty());
}

#[test]
fn no_page_states_the_under_13_exemption_rule_without_its_condition() {
    let (_dir, public) = common::build_bundled_site();
    let pages: Vec<(String, String)> = common::snapshot(&public)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| (path, String::from_utf8_lossy(&bytes).into_owned()))
        .collect();
    assert!(
        pages
            .iter()
            .any(|(_, html)| html.contains("Arbeidsinspectie")),
        "the bundled site talks about the exemption at all"
    );
    let found = bare_statements(&pages);
    assert!(
        found.is_empty(),
        "these sentences state the exemption rule for children under 13 without its \
         condition (in a commercial sphere, or no longer incidental; feiten.md §6.7.3):\n{}",
        found.join("\n")
    );
}
