//! Risk and argument cards: validation with file and line, card pages, overviews,
//! filters, embeds and the print-all page (fixture theme; the bundled theme is
//! tested in bundled_site.rs and print.rs).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestSite;
use scraper::{Html, Selector};

const RISK: &str = "---
title: Veiligheid
description: Vreemden kunnen meekijken.
kind: risk-card
themes: [gamen]
ages: [8-12]
summary: Wat je online zet, kan iedereen zien.
tips:
  - Laat geen adres zien.
  - Zet locatie uit.
  - Kijk samen terug.
ask_your_child:
  - Wie kijkt er mee?
  - { text: Wat deel je liever niet?, ages: [8-12] }
sources:
  - { title: Kamerbrief kidfluencers, date: 2025-05-21 }
---
Uitleg.
";

const ARGUMENT: &str = "---
title: In de vlog?
description: Zet ik mijn kind in onze vlogs?
kind: argument-card
themes: [schermtijd]
question: Zet ik mijn kind in onze vlogs?
for: [Leuk samen, Herinneringen]
against: [Privacy, Druk]
law:
  text: Voor kinderen **onder de 13** is een ontheffing nodig.
  checked: 2026-11-23
plan: Het kabinet wil dat ouders de ontheffing aanvragen.
sources:
  - { title: Kamerbrief kidfluencers, date: 2025-05-21 }
---
";

fn site() -> TestSite {
    TestSite::new()
        .file(
            "content/kaarten/_index.md",
            "---\ntitle: Kaarten\ndescription: Alle kaarten.\n---\n",
        )
        .file("content/kaarten/veiligheid.md", RISK)
        .file("content/kaarten/in-de-vlog.md", ARGUMENT)
}

fn select(html: &str, css: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>())
        .collect()
}

#[test]
fn card_pages_overviews_filters_and_print() {
    let site = site().file(
        "content/thema/gamen/kaartje.md",
        "---\ntitle: Met kaart\ndescription: x\n---\nTekst.\n\n{{ card(id=\"veiligheid\") }}\n",
    );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let risk = site.read("kaarten/veiligheid/index.html");
    assert_eq!(select(&risk, "ul.tips li").len(), 3);
    assert_eq!(
        select(&risk, "ul.prompts li")[1],
        "Wat deel je liever niet? (8 tot 12 jaar)"
    );
    let argument = site.read("kaarten/in-de-vlog/index.html");
    assert_eq!(select(&argument, "h1"), ["Zet ik mijn kind in onze vlogs?"]);
    assert_eq!(
        select(&argument, "ul.for li"),
        ["Leuk samen", "Herinneringen"]
    );
    assert_eq!(select(&argument, "div.law strong"), ["onder de 13"]);
    assert_eq!(select(&argument, "div.law time"), ["2026-11-23"]);
    assert_eq!(select(&argument, "div.plan p").len(), 1);
    // The overview filters by age and, since the cards have two themes, by theme.
    assert_eq!(
        select(&site.read("kaarten/index.html"), "main li a").len(),
        2
    );
    assert_eq!(
        select(&site.read("kaarten/thema/gamen/index.html"), "main li a"),
        ["Veiligheid"]
    );
    assert_eq!(
        select(&site.read("kaarten/leeftijd/0-4/index.html"), "main li a"),
        ["In de vlog?"]
    );
    assert_eq!(
        select(&site.read("kaarten/printen/index.html"), "section.card h2"),
        ["Veiligheid", "In de vlog?"]
    );
    let embed = site.read("thema/gamen/kaartje/index.html");
    assert_eq!(select(&embed, "aside.card-embed a"), ["Veiligheid"]);
}

fn fails(file: &str, text: &str) -> String {
    let site = site().file(file, text);
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    run.stderr
}

#[test]
fn risk_card_without_summary_names_the_kind_line() {
    let stderr = fails(
        "content/kaarten/veiligheid.md",
        &RISK.replace("summary: Wat je online zet, kan iedereen zien.\n", ""),
    );
    assert!(
        stderr.starts_with(
            "error: a risk-card needs `summary`\n --> content/kaarten/veiligheid.md:4:7\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: add `summary: the risk in one sentence`"),
        "{stderr}"
    );
}

#[test]
fn risk_card_with_two_tips() {
    let stderr = fails(
        "content/kaarten/veiligheid.md",
        &RISK.replace("  - Kijk samen terug.\n", ""),
    );
    assert!(stderr.starts_with("error: a risk card has 3 to 6 tips, this one has 2\n --> content/kaarten/veiligheid.md:9:3\n"), "{stderr}");
}

#[test]
fn card_without_sources() {
    let stderr = fails(
        "content/kaarten/in-de-vlog.md",
        &ARGUMENT.replace(
            "sources:\n  - { title: Kamerbrief kidfluencers, date: 2025-05-21 }\n",
            "",
        ),
    );
    assert!(
        stderr.starts_with(
            "error: a argument-card needs `sources`\n --> content/kaarten/in-de-vlog.md:4:7\n"
        ),
        "{stderr}"
    );
}

#[test]
fn argument_card_with_one_argument_against_and_no_law() {
    let text = ARGUMENT
        .replace("against: [Privacy, Druk]", "against: [Privacy]")
        .replace("law:\n  text: Voor kinderen **onder de 13** is een ontheffing nodig.\n  checked: 2026-11-23\n", "");
    let stderr = fails("content/kaarten/in-de-vlog.md", &text);
    assert!(
        stderr
            .contains("error: a argument-card needs `law`\n --> content/kaarten/in-de-vlog.md:4:7"),
        "{stderr}"
    );
    assert!(stderr.contains("error: `against` needs at least 2 arguments, this one has 1\n --> content/kaarten/in-de-vlog.md:8:10"), "{stderr}");
}

#[test]
fn unknown_field_on_a_card() {
    let stderr = fails(
        "content/kaarten/veiligheid.md",
        &RISK.replace("summary:", "sumary:"),
    );
    assert!(
        stderr
            .starts_with("error: unknown field `sumary`\n --> content/kaarten/veiligheid.md:7:1\n"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `summary`?"), "{stderr}");
}

#[test]
fn card_field_on_a_page_of_another_kind() {
    let stderr = fails(
        "content/a.md",
        "---\ntitle: A\ndescription: B\ntips: [a, b, c]\n---\n",
    );
    assert!(
        stderr.starts_with(
            "error: `tips` is a field of risk cards, but this is a page\n --> content/a.md:4:7\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: add `kind: risk-card` or remove `tips`"),
        "{stderr}"
    );
}

#[test]
fn unknown_card_in_a_shortcode() {
    let stderr = fails(
        "content/a.md",
        "---\ntitle: A\ndescription: B\n---\nZie:\n\n{{ card(id=\"veilighied\") }}\n",
    );
    assert!(
        stderr.starts_with(
            "error: there is no card with the id `veilighied`\n --> content/a.md:7:1\n"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `veiligheid`?"), "{stderr}");
}

#[test]
fn prompt_for_an_unknown_age_group() {
    let stderr = fails(
        "content/kaarten/veiligheid.md",
        &RISK.replace("ages: [8-12] }", "ages: [8-13] }"),
    );
    assert!(
        stderr.starts_with(
            "error: unknown age group `8-13`\n  --> content/kaarten/veiligheid.md:14:46\n"
        ),
        "{stderr}"
    );
}

#[test]
fn related_link_to_a_missing_page() {
    let stderr = fails(
        "content/kaarten/veiligheid.md",
        &RISK.replace(
            "kind: risk-card\n",
            "kind: risk-card\nrelated: [/kaarten/in-de-vlgo/]\n",
        ),
    );
    assert!(stderr.starts_with("error: `related` points to /kaarten/in-de-vlgo/, which is not a page\n --> content/kaarten/veiligheid.md:5:11\n"), "{stderr}");
    assert!(
        stderr.contains("did you mean /kaarten/in-de-vlog/?"),
        "{stderr}"
    );
}
