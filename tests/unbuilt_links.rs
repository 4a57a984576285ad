//! A link from a built page to a page that is not built today (a draft, not yet
//! published, expired) is an error at the link, naming the target's file and why,
//! for every way to link (markdown, `@/` content path, a card's fields, a card
//! embed, `related`, a menu entry, a decision tool's outcome), all reported in
//! one run. With `--drafts`
//! drafts are built and links to them are fine.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestSite;

const DRAFT_CARD: &str = "---
title: Nieuw risico
description: Een kaart die nog niet af is.
kind: risk-card
draft: true
themes: [gamen]
summary: Nog niet af.
tips:
  - Een.
  - Twee.
  - Drie.
sources:
  - { title: Kamerbrief kidfluencers, date: 2025-05-21 }
---
Uitleg.
";

/// An argument card whose `plan` (markdown, rendered on the card) links to the
/// expired page.
const CARD_WITH_LINK: &str = "---
title: In de vlog
description: Zet je je kind in een vlog?
kind: argument-card
themes: [gamen]
question: Zet ik mijn kind in onze vlogs?
for: [Leuk samen, Herinneringen]
against: [Privacy, Druk]
law:
  text: Voor kinderen onder de 13 is een ontheffing nodig.
  checked: 2026-11-23
plan: Het kabinet wil een regel, zie [de oude uitleg](/thema/gamen/oud/).
sources:
  - { title: Kamerbrief kidfluencers, date: 2025-05-21 }
---
Uitleg.
";

const LINKING_PAGE: &str = "---
title: Loot boxes
description: Wat zijn loot boxes?
themes: [gamen]
related: [/thema/gamen/binnenkort/]
---
Lees [het concept](/thema/gamen/concept/) en
[wat er komt](@/thema/gamen/binnenkort.md#kop).

{{ card(id=\"nieuw-risico\") }}
";

fn site() -> TestSite {
    let page = |extra: &str| {
        format!("---\ntitle: Pagina\ndescription: Een pagina.\n{extra}---\n## Kop\n\nTekst.\n")
    };
    TestSite::new()
        .file(
            "content/site.yaml",
            &common::SITE_YAML.replace(
                "menu:\n",
                "menu:\n  - { title: Concept, url: /thema/gamen/concept/ }\n",
            ),
        )
        .file("content/thema/gamen/concept.md", &page("draft: true\n"))
        .file(
            "content/thema/gamen/binnenkort.md",
            &page("publish: 2027-01-01\n"),
        )
        .file("content/thema/gamen/oud.md", &page("expires: 2026-11-23\n"))
        .file("content/kaarten/nieuw-risico.md", DRAFT_CARD)
        .file("content/kaarten/in-de-vlog.md", CARD_WITH_LINK)
        .file("content/thema/gamen/loot-boxes.md", LINKING_PAGE)
        .file("content/tools/keuze.rules.yaml", TOOL)
        .file(
            "themes/mini/templates/tool.html",
            "{% extends \"base.html\" %}",
        )
        .file(
            "themes/mini/templates/tool-review.html",
            "{% extends \"base.html\" %}",
        )
}

/// A decision tool whose outcome links to the draft page.
const TOOL: &str = "title: Mag het?
description: Check het.
intro: Intro.
reviewed: 2026-11-23
sources:
  - { title: Kamerbrief, date: 2025-05-21 }
start: vraag
questions:
  vraag:
    ask: Is het goed?
    type: yesno
    yes: { outcome: ja }
    no: { outcome: nee }
outcomes:
  ja: { verdict: not-needed, title: Ja, body: Goed., links: [/thema/gamen/concept/] }
  nee: { verdict: needed, title: Nee, body: Niet goed. }
examples:
  - answers: { vraag: yes }
    outcome: ja
";

/// The first line of each error with the line under it (` --> file:line:col`).
fn error_lines(stderr: &str) -> Vec<String> {
    let lines: Vec<&str> = stderr.lines().collect();
    lines
        .windows(2)
        .filter(|w| w[0].starts_with("error: "))
        .map(|w| format!("{}\n{}", w[0], w[1]))
        .collect()
}

const DRAFT_HELP: &str = "remove `draft: true`); `--drafts` builds drafts for a preview";

#[test]
fn every_link_to_an_unbuilt_page_is_an_error_at_the_link_naming_both_files() {
    let site = site();
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let errors = error_lines(&run.stderr);
    let expected = [
        "error: the menu link `Concept` points to content/thema/gamen/concept.md, which is not built: it is a draft (`draft: true`)\n --> content/site.yaml:6:",
        "error: `related` points to content/thema/gamen/binnenkort.md, which is not built: it is published from 2027-01-01 on (`publish: 2027-01-01`)\n --> content/thema/gamen/loot-boxes.md:5:11",
        "error: the link /thema/gamen/concept/ points to content/thema/gamen/concept.md, which is not built: it is a draft (`draft: true`)\n --> content/thema/gamen/loot-boxes.md:7:6",
        "error: the link @/thema/gamen/binnenkort.md#kop points to content/thema/gamen/binnenkort.md, which is not built: it is published from 2027-01-01 on (`publish: 2027-01-01`)\n --> content/thema/gamen/loot-boxes.md:8:1",
        "error: the card `nieuw-risico` is in content/kaarten/nieuw-risico.md, which is not built: it is a draft (`draft: true`)\n  --> content/thema/gamen/loot-boxes.md:10:1",
        "error: the link /thema/gamen/oud/ points to content/thema/gamen/oud.md, which is not built: it expired on 2026-11-23 (`expires: 2026-11-23`)\n  --> content/kaarten/in-de-vlog.md:12:38",
        "error: the outcome `ja` links to content/thema/gamen/concept.md, which is not built: it is a draft (`draft: true`)\n  --> content/tools/keuze.rules.yaml:15:",
    ];
    for want in expected {
        assert!(
            errors.iter().any(|e| e.starts_with(want)),
            "missing:\n{want}\nin:\n{}",
            run.stderr
        );
    }
    assert_eq!(errors.len(), expected.len(), "{}", run.stderr);
    assert!(run.stderr.contains(DRAFT_HELP), "{}", run.stderr);
    for help in [
        "help: remove the link until 2027-01-01, or change `publish` in content/thema/gamen/binnenkort.md to today or earlier",
        "help: remove the link, or change `expires` in content/thema/gamen/oud.md to a later date",
    ] {
        assert!(run.stderr.contains(help), "{help}\n{}", run.stderr);
    }
    assert!(!site.path("public").exists(), "nothing is written");

    // `check` finds the same, and the markdown links also once the rest is fixed
    // (then they are found after rendering, with the other link checks).
    let check = common::run_in(site.root(), &["check", "--now", "2026-11-23"]);
    assert_eq!(
        error_lines(&check.stderr).len(),
        expected.len(),
        "{}",
        check.stderr
    );
    let site = site
        .file("content/site.yaml", common::SITE_YAML)
        .file(
            "content/thema/gamen/loot-boxes.md",
            &LINKING_PAGE
                .replace("related: [/thema/gamen/binnenkort/]\n", "")
                .replace("{{ card(id=\"nieuw-risico\") }}", ""),
        )
        .file(
            "content/tools/keuze.rules.yaml",
            &TOOL.replace(", links: [/thema/gamen/concept/]", ""),
        );
    let run = site.build(&[]);
    let errors = error_lines(&run.stderr);
    assert_eq!(errors.len(), 3, "{}", run.stderr);
    for want in [expected[2], expected[3], expected[5]] {
        let want = want
            .replace("loot-boxes.md:7:", "loot-boxes.md:6:")
            .replace("loot-boxes.md:8:", "loot-boxes.md:7:");
        assert!(
            errors.iter().any(|e| e.starts_with(&want)),
            "missing:\n{want}\nin:\n{}",
            run.stderr
        );
    }
}

#[test]
fn with_drafts_the_drafts_are_built_and_links_to_them_are_fine() {
    let run = site().build(&["--drafts"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(!run.stderr.contains("concept.md"), "{}", run.stderr);
    assert!(!run.stderr.contains("nieuw-risico.md"), "{}", run.stderr);
    assert!(run.stderr.contains("binnenkort.md"), "{}", run.stderr);

    // Once the page is published and the expired link is gone, all of it builds.
    let site = site().file(
        "content/kaarten/in-de-vlog.md",
        &CARD_WITH_LINK.replace(", zie [de oude uitleg](/thema/gamen/oud/)", ""),
    );
    let run = site.build(&["--drafts", "--now", "2027-01-01"]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        site.read("thema/gamen/concept/index.html")
            .contains("Pagina")
    );
    let run = site.build(&["--now", "2027-01-01"]);
    assert_eq!(run.code, Some(1), "without --drafts: {}", run.stderr);
    assert!(run.stderr.contains("concept.md"), "{}", run.stderr);
}
