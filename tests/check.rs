//! `wegwijs check` and `wegwijs new`: the real binary on fixture sites with one
//! instance of every finding, the JSON report parsed, and the bundled site.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;

use common::{TestSite, run_in};
use serde_json::Value;

/// `(line, column)` of the first `needle` in `text` (1-based, in characters).
fn pos(text: &str, needle: &str) -> (u64, u64) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in fixture"));
    line_column(text, at)
}

/// `(line, column)` of byte `at` in `text` (1-based, in characters).
fn line_column(text: &str, at: usize) -> (u64, u64) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line as u64, column as u64)
}

/// A finding as the tests compare them: kind, file, line, column.
type Found = (String, String, u64, u64);

/// The expected finding of `kind` in `file` (whose text is `text`), at `needle`.
fn at(kind: &str, file: &str, text: &str, needle: &str) -> Found {
    let (line, column) = pos(text, needle);
    (kind.to_string(), file.to_string(), line, column)
}

/// The same findings, or which are missing and which unexpected.
fn assert_findings(found: &BTreeSet<Found>, expected: &BTreeSet<Found>) {
    assert_eq!(
        found,
        expected,
        "\nmissing: {:#?}\nunexpected: {:#?}",
        expected.difference(found).collect::<Vec<_>>(),
        found.difference(expected).collect::<Vec<_>>()
    );
}

/// The findings of a `--format json` report whose kind `keep` accepts.
fn findings(json: &Value, keep: impl Fn(&str) -> bool) -> BTreeSet<Found> {
    json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| keep(f["kind"].as_str().unwrap_or("")))
        .map(|f| {
            (
                f["kind"].as_str().unwrap().to_string(),
                f["file"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

const BROKEN: &str = "---
title: Fouten
description: Een pagina met een voorbeeld van elke fout.
reviewed: 2024-01-01
---
# Tweede hoofdkop

#### Te diep

[kapot](/bestaat-niet/), [anker](/thema/gamen/loot-boxes/#nergens), [hier](/thema/gamen/), [](/thema/gamen/), [oud](http://example.org/), [inhoud](@/thema/gamen/geen.md).

Goed: [thema](/themas/gamen/), [via pad](@/thema/gamen/loot-boxes.md#wat-is-het), [kop](#te-diep), [vol adres](https://test.example/thema/gamen/), [foto](/img/foto.png).

![](/img/foto.png) ![foto.png](/img/foto.png) ![Het logo van de school](https://cdn.example/logo.png)

|   |   |
|---|---|
| 1 | 2 |

<script>alert(1)</script>

Een <a href=\"/thema/gamen/\" target=\"_blank\">nieuw venster</a>.

VUL IN: de laatste alinea.
";

const HARD: &str = "---
title: Moeilijk
description: Een pagina in ambtelijke taal.
---
Overeenkomstig de toepasselijke wettelijke bepalingen aangaande de verwerking van persoonsgegevens van minderjarigen dient voorafgaand aan de openbaarmaking van audiovisueel materiaal ondubbelzinnige toestemming verkregen te worden van de wettelijke vertegenwoordigers, waarbij tevens rekening gehouden dient te worden met de belangen van de betrokkene. Indien de verantwoordelijke gebruikmaakt van geautomatiseerde verwerkingsmethodieken, dient de gegevensbeschermingseffectbeoordeling voorafgaand aan de implementatie gedocumenteerd en geactualiseerd te worden conform de toepasselijke richtsnoeren van de toezichthoudende autoriteit persoonsgegevens. Onverminderd het voorgaande behoudt de verwerkingsverantwoordelijke de bevoegdheid om, na zorgvuldige afweging van de betrokken belangen en met inachtneming van de toepasselijke bewaartermijnen, aanvullende maatregelen te treffen ter waarborging van de vertrouwelijkheid.
";

const SOURCED: &str = "---
title: Bronnen zonder datum
description: Een pagina met bronnen maar zonder reviewed.
sources:
  - { title: Een Kamerbrief, date: 2025-05-21, url: \"http://example.org/brief\" }
---
Korte tekst.
";

/// A full page template without `lang`, and a script from another host.
const NO_LANG: &str = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{{ page.title }}</title></head><body><main>{{ page.title }}</main></body></html>\n";
const SCRIPT: &str = "{% extends \"base.html\" %}{% block main %}<script src=\"https://cdn.example/x.js\"></script>{% endblock %}\n";

fn broken_site() -> TestSite {
    TestSite::new()
        .file("content/fouten.md", BROKEN)
        .file("content/moeilijk.md", HARD)
        .file("content/bron.md", SOURCED)
        .bytes("static/img/foto.png", b"\x89PNG")
        .file("templates/taxonomy.html", NO_LANG)
        .file("templates/404.html", SCRIPT)
}

fn check_json(site: &TestSite, args: &[&str]) -> (common::Run, Value) {
    check_json_at(site, "2026-11-23", args)
}

fn check_json_at(site: &TestSite, now: &str, args: &[&str]) -> (common::Run, Value) {
    let run = run_in(
        site.root(),
        &[&["check", "--format", "json", "--now", now], args].concat(),
    );
    let json: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}\n{}", run.stdout, run.stderr));
    (run, json)
}

#[test]
fn finds_every_planted_problem_where_it_is() {
    let site = broken_site();
    let (run, json) = check_json(&site, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let found = findings(&json, |_| true);
    let fouten = "content/fouten.md";
    let expected: BTreeSet<_> = [
        at("stale-review", fouten, BROKEN, "2024-01-01"),
        at("extra-h1", fouten, BROKEN, "# Tweede"),
        at("heading-skip", fouten, BROKEN, "#### Te diep"),
        at("broken-link", fouten, BROKEN, "[kapot]"),
        at("broken-anchor", fouten, BROKEN, "[anker]"),
        at("vague-link", fouten, BROKEN, "[hier]"),
        at("empty-link", fouten, BROKEN, "[](/thema"),
        at("http-link", fouten, BROKEN, "[oud]"),
        at("broken-link", fouten, BROKEN, "[inhoud]"),
        at("image-alt", fouten, BROKEN, "![](/img"),
        at("image-alt-filename", fouten, BROKEN, "![foto.png]"),
        at("third-party", fouten, BROKEN, "![Het logo"),
        at("table-header", fouten, BROKEN, "|   |   |"),
        at("raw-script", fouten, BROKEN, "<script>"),
        at("target-blank", fouten, BROKEN, "<a href"),
        at("placeholder", fouten, BROKEN, "VUL IN"),
        at("hard-to-read", "content/moeilijk.md", HARD, "Moeilijk"),
        at("long-sentences", "content/moeilijk.md", HARD, "Moeilijk"),
        at(
            "missing-review",
            "content/bron.md",
            SOURCED,
            "Bronnen zonder",
        ),
        at(
            "http-link",
            "content/bron.md",
            SOURCED,
            "http://example.org/brief",
        ),
        at("lang-missing", "templates/taxonomy.html", NO_LANG, "<html>"),
        at("third-party", "templates/404.html", SCRIPT, "https://cdn"),
    ]
    .into_iter()
    .collect();
    assert_findings(&found, &expected);
    let summary = &json["summary"];
    assert_eq!(summary["passed"], Value::Bool(false));
    assert_eq!(summary["errors"].as_u64(), Some(8), "{summary}");
    assert_eq!(summary["warnings"].as_u64(), Some(14), "{summary}");
    // Every finding says how to fix it.
    for f in json["findings"].as_array().unwrap() {
        assert!(f["help"].as_str().is_some_and(|h| !h.is_empty()), "{f}");
        assert!(f["message"].as_str().is_some_and(|h| !h.is_empty()), "{f}");
    }
    // External links are listed, not fetched.
    let external: Vec<&str> = json["external_links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["url"].as_str())
        .collect();
    assert_eq!(
        external,
        ["http://example.org/brief", "http://example.org/"]
    );
    // Readability per page, the hard page scored below the easy one.
    let score = |file: &str| {
        json["readability"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["file"] == file)
            .map(|s| s["flesch_douma"].clone())
            .unwrap_or(Value::Null)
    };
    assert!(score("content/moeilijk.md").as_f64().unwrap() < 30.0);
    assert_eq!(score("content/bron.md"), Value::Null, "too short to score");
    assert!(!site.path("public").exists(), "check writes nothing");
}

#[test]
fn human_output_names_file_line_and_column_and_build_stops_on_the_same_errors() {
    let site = broken_site();
    let run = run_in(site.root(), &["check", "--now", "2026-11-23"]);
    assert_eq!(run.code, Some(1));
    let (line, column) = pos(BROKEN, "[kapot]");
    assert!(
        run.stderr.contains(&format!(
            "error: the link /bestaat-niet/ points to a page or file the site does not have\n  --> content/fouten.md:{line}:{column}"
        )),
        "{}",
        run.stderr
    );
    assert!(
        run.stdout.contains("Readability (Flesch-Douma"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("content/moeilijk.md"), "{}", run.stdout);
    // 20 files: the test theme has no search page, so no search index.
    assert!(
        run.stderr.ends_with(
            "check failed: 8 errors and 14 warnings in 6 pages (20 files); nothing was written\n"
        ),
        "{}",
        run.stderr
    );
    let build = site.build(&[]);
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    assert!(
        build.stderr.contains("content/fouten.md"),
        "{}",
        build.stderr
    );
    assert!(
        !site.path("public").exists(),
        "a failed build writes nothing"
    );
}

#[test]
fn strict_fails_on_warnings_only() {
    let site = TestSite::new().file(
        "content/oud.md",
        "---\ntitle: Oud\ndescription: Oud.\nreviewed: 2020-01-01\n---\nTekst.\n",
    );
    let (run, json) = check_json(&site, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(json["summary"]["warnings"].as_u64(), Some(1));
    let (run, json) = check_json(&site, &["--strict"]);
    assert_eq!(run.code, Some(1));
    assert_eq!(json["summary"]["passed"], Value::Bool(false));
}

#[test]
fn menus_links_and_url_for_accept_generated_pages_and_content_paths() {
    let site = TestSite::new()
        .file(
            "content/site.yaml",
            &common::SITE_YAML.replace(
                "  - { title: Gamen, url: /thema/gamen/ }",
                "  - { title: Gamen, url: /themas/gamen/ }\n  - { title: Leeftijd, url: /leeftijden/8-12/ }",
            ),
        )
        .file(
            "content/links.md",
            "---\ntitle: Links\ndescription: Links.\n---\n[loot boxes](@/thema/gamen/loot-boxes.md#wat-is-het) en [thema](/themas/gamen/).\n",
        );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let html = site.read("links/index.html");
    assert!(
        html.contains("href=\"/thema/gamen/loot-boxes/#wat-is-het\""),
        "{html}"
    );
    let check = run_in(site.root(), &["check", "--strict", "--now", "2026-11-23"]);
    assert!(check.success, "{}", check.stderr);
}

#[test]
fn new_makes_every_kind_that_builds_and_check_lists_its_placeholders() {
    let site = TestSite::new()
        .file(
            "themes/mini/templates/tool.html",
            "{% extends \"base.html\" %}",
        )
        .file(
            "themes/mini/templates/tool-review.html",
            "{% extends \"base.html\" %}",
        )
        .file(
            "themes/mini/templates/campaign.html",
            "{% extends \"base.html\" %}",
        );
    let kinds = [
        ("page", "thema/gamen/nieuw", "content/thema/gamen/nieuw.md"),
        (
            "risk-card",
            "kaarten/risico/slaap",
            "content/kaarten/risico/slaap.md",
        ),
        (
            "argument-card",
            "kaarten/argument/keuze",
            "content/kaarten/argument/keuze.md",
        ),
        ("campaign", "campagnes/zomer", "content/campagnes/zomer.md"),
        ("news", "nieuws/bericht", "content/nieuws/bericht.md"),
        ("rules", "tools/proef", "content/tools/proef.rules.yaml"),
    ];
    for (kind, path, file) in kinds {
        let run = run_in(site.root(), &["new", kind, path, "--now", "2026-12-04"]);
        assert!(run.success, "{kind}: {}", run.stderr);
        assert!(site.path(file).exists(), "{file}");
        let again = run_in(site.root(), &["new", kind, path]);
        assert_eq!(again.code, Some(1), "{kind} overwrote");
        assert!(
            again.stderr.contains("never overwrites"),
            "{}",
            again.stderr
        );
    }
    let run = site.build(&["--now", "2026-12-04"]);
    assert!(run.success, "{}", run.stderr);
    let (run, json) = check_json(&site, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let placeholders: BTreeSet<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "placeholder")
        .filter_map(|f| f["file"].as_str())
        .collect();
    let pages: BTreeSet<&str> = kinds.iter().map(|(_, _, f)| *f).collect();
    assert_eq!(placeholders, pages);
    let unknown = run_in(site.root(), &["new", "recept", "x"]);
    assert_eq!(unknown.code, Some(2), "{}", unknown.stderr);
}

#[test]
fn the_bundled_site_passes_check_strict() {
    let run = run_in(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")),
        &["check", "--strict", "--now", "2026-11-23"],
    );
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stderr.contains("check passed: 0 errors and 0 warnings"),
        "{}",
        run.stderr
    );
}

#[test]
fn raw_scripts_stop_the_build_only_where_raw_html_is_published() {
    let page = "---\ntitle: S\ndescription: S.\n---\n<script src=\"/x.js\"></script>\n";
    let sanitised = TestSite::new().file("content/s.md", page);
    let run = sanitised.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let (_, json) = check_json(&sanitised, &[]);
    assert_eq!(json["findings"][0]["kind"], "raw-script", "{json}");
    assert_eq!(json["findings"][0]["severity"], "warning", "{json}");

    let published = TestSite::new()
        .file(
            "content/site.yaml",
            &format!("{}allow_raw_html: true\n", common::SITE_YAML),
        )
        .file("content/s.md", page);
    let run = published.build(&[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("error: a <script> in the text\n --> content/s.md:5:1\n"),
        "{}",
        run.stderr
    );
}

/// A campaign that ran in the first half of 2026.
const ENDED: &str = "---\ntitle: Oude campagne\ndescription: Een campagne die voorbij is.\nkind: campaign\n\
starts: 2026-01-01\nends: 2026-06-30\nbanner: Doe mee met de oude campagne.\nshort_url: /oud\n---\nTips.\n";

const LINKS_TO_ENDED: &str = "---\ntitle: Links\ndescription: Links naar een campagne.\n\
related: [/campagnes/oud/]\n---\nLees [de oude campagne](/campagnes/oud/), [via het pad](@/campagnes/oud.md) \
of [de korte link](/oud).\n";

const RUNNING: &str = "---\ntitle: Nieuwe campagne\ndescription: Een campagne die nu loopt.\nkind: campaign\n\
starts: 2026-11-01\nends: 2026-12-31\nbanner: Doe mee met de nieuwe campagne.\n---\nNa [de oude campagne](/campagnes/oud/) komt deze.\n";

/// Pages that may name an ended campaign: dated news and another ended campaign.
const NEWS: &str = "---\ntitle: Bericht\ndescription: Nieuws over de campagne.\nkind: news\ndate: 2026-01-02\n---\n\
De [oude campagne](/campagnes/oud/) begint.\n";
const ALSO_ENDED: &str = "---\ntitle: Nog ouder\ndescription: Ook voorbij.\nkind: campaign\n\
starts: 2025-01-01\nends: 2025-06-30\nbanner: Oud.\n---\nZie ook [de oude campagne](/campagnes/oud/).\n";

#[test]
fn an_ended_campaign_still_linked_from_current_pages_and_menus_warns_at_each_link() {
    let menu = "  - { title: Oud, url: /campagnes/oud/ }\n";
    let site_yaml = common::SITE_YAML.replace(
        "  - { title: Gamen, url: /thema/gamen/ }\n",
        &format!("  - {{ title: Gamen, url: /thema/gamen/ }}\n{menu}"),
    );
    let site = TestSite::new()
        .file("templates/campaign.html", "{% extends \"base.html\" %}")
        .file("content/site.yaml", &site_yaml)
        .file("content/campagnes/oud.md", ENDED)
        .file("content/campagnes/nieuw.md", RUNNING)
        .file("content/campagnes/ouder.md", ALSO_ENDED)
        .file("content/nieuws/bericht.md", NEWS)
        .file("content/links.md", LINKS_TO_ENDED);
    let found_at = |now: &str| -> (BTreeSet<Found>, Value) {
        let run = run_in(site.root(), &["check", "--format", "json", "--now", now]);
        let json: Value = serde_json::from_str(&run.stdout).unwrap();
        let kinds = |k: &str| k == "ended-campaign" || k == "broken-link";
        (findings(&json, kinds), json)
    };
    let (found, json) = found_at("2026-11-23");
    let expected: BTreeSet<_> = [
        at(
            "ended-campaign",
            "content/links.md",
            LINKS_TO_ENDED,
            "/campagnes/oud/]",
        ),
        at(
            "ended-campaign",
            "content/links.md",
            LINKS_TO_ENDED,
            "[de oude",
        ),
        at(
            "ended-campaign",
            "content/links.md",
            LINKS_TO_ENDED,
            "[via het pad]",
        ),
        at(
            "broken-link",
            "content/links.md",
            LINKS_TO_ENDED,
            "[de korte link]",
        ),
        at(
            "ended-campaign",
            "content/campagnes/nieuw.md",
            RUNNING,
            "[de oude",
        ),
        at(
            "ended-campaign",
            "content/site.yaml",
            &site_yaml,
            "/campagnes/oud/ }",
        ),
    ]
    .into_iter()
    .collect();
    assert_findings(&found, &expected);
    let messages: Vec<(&str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "ended-campaign" || f["kind"] == "broken-link")
        .map(|f| (f["message"].as_str().unwrap(), f["help"].as_str().unwrap()))
        .collect();
    assert!(
        messages
            .iter()
            .any(|(m, h)| m.contains("points to a page or file")
                && h.contains("/oud is the short link of the campaign \"Oude campagne\"")
                && h.contains("link to /campagnes/oud/ instead")),
        "{messages:#?}"
    );
    assert!(messages.iter().any(|(m, _)| *m
        == "this links to the campaign \"Oude campagne\" (/campagnes/oud/), which ended on 2026-06-30"), "{messages:#?}");
    // While it runs, every link to it (short link included) is fine.
    let (found, json) = found_at("2026-03-01");
    assert!(found.is_empty(), "{json:#}");
    // A warning, not an error: the build goes on and shows it.
    let build = site.build(&["--now", "2026-11-23"]);
    assert_eq!(
        build.code,
        Some(1),
        "the short link is broken: {}",
        build.stderr
    );
    let human = run_in(site.root(), &["check", "--now", "2026-11-23"]);
    let (line, column) = pos(&site_yaml, "/campagnes/oud/ }");
    assert!(
        human.stderr.contains(&format!(
            "warning: this links to the campaign \"Oude campagne\" (/campagnes/oud/), which ended on 2026-06-30\n --> content/site.yaml:{line}:{column}"
        )),
        "{}",
        human.stderr
    );
}

/// Every `(line, column)` of `VUL IN:` in `text`.
fn placeholders_in(text: &str) -> BTreeSet<(u64, u64)> {
    text.match_indices("VUL IN:")
        .map(|(at, _)| line_column(text, at))
        .collect()
}

#[test]
fn a_new_campaign_and_news_item_in_the_bundled_site_build_once_their_placeholders_are_filled() {
    let site = TestSite::bundled();
    let now = "2026-11-23";
    let made = [
        ("campaign", "campagnes/zomer", "content/campagnes/zomer.md"),
        ("news", "nieuws/bericht", "content/nieuws/bericht.md"),
    ];
    for (kind, path, _) in made {
        let run = run_in(site.root(), &["new", kind, path, "--now", now]);
        assert!(run.success, "{kind}: {}", run.stderr);
    }
    let campaign = std::fs::read_to_string(site.path(made[0].2)).unwrap();
    for field in [
        "\nstarts: 2026-11-23\n",
        "\nends: 2026-12-20\n",
        "\nbanner: \"VUL IN:",
        "\nshort_url: /zomer\n",
        "\nthemes: []\n",
        "\nweight: 10\n",
        "\n# image: /img/zomer.png\n",
        "\n# image_alt: ",
    ] {
        assert!(campaign.contains(field), "{field:?} in\n{campaign}");
    }
    let news = std::fs::read_to_string(site.path(made[1].2)).unwrap();
    assert!(news.contains("\nkind: news\n"), "{news}");
    assert!(news.contains("\ndate: 2026-11-23\n"), "{news}");

    // As made: it builds, and the placeholders are all check finds.
    let (run, json) = check_json_at(&site, now, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let found = findings(&json, |_| true);
    let expected: BTreeSet<_> = made
        .iter()
        .flat_map(|(_, _, file)| {
            let text = std::fs::read_to_string(site.path(file)).unwrap();
            placeholders_in(&text)
                .into_iter()
                .map(move |(line, column)| {
                    ("placeholder".to_string(), file.to_string(), line, column)
                })
        })
        .collect();
    assert!(expected.len() >= 6, "{expected:?}");
    assert_findings(&found, &expected);
    let build = site.build(&["--now", now]);
    assert!(build.success, "{}", build.stderr);

    // Filled in: nothing left to report, and the campaign runs.
    for (_, _, file) in made {
        let text = std::fs::read_to_string(site.path(file)).unwrap();
        site.write(file, &text.replace("VUL IN: ", ""));
    }
    let (run, json) = check_json_at(&site, now, &["--strict"]);
    assert_eq!(run.code, Some(0), "{json:#}");
    assert_eq!(json["findings"], Value::Array(Vec::new()), "{json:#}");
    let build = site.build(&["--now", now]);
    assert!(build.success, "{}", build.stderr);
    assert!(
        site.read("campagnes/zomer/index.html")
            .contains("de naam van de campagne")
    );
    assert!(
        site.read("nieuws/bericht/index.html")
            .contains("de kop van het bericht")
    );
    assert!(
        site.read("_redirects").contains("/zomer "),
        "{}",
        site.read("_redirects")
    );
    assert!(site.read("feed.xml").contains("de kop van het bericht"));
}

/// An argument card whose law and plan texts (markdown in front matter) link.
const CARD_LINKS: &str = "---
title: In de vlog
description: Zet ik mijn kind in onze vlogs?
kind: argument-card
themes: [gamen]
question: Zet ik mijn kind in onze vlogs?
for: [Leuk samen, Herinneringen]
against: [Privacy, Druk]
law:
  checked: 2026-11-23
  text: |
    Lees [de uitleg](@/thema/gamen/loot-boxes.md#wat-is-het) en [de regels](/thema/gamen/geen/).

    Zie ook [het anker](/thema/gamen/loot-boxes/#nergens).
plan: \"Een plan, geen wet: [de brief](http://example.org/plan).\"
sources:
  - { title: Kamerbrief kidfluencers, date: 2025-05-21 }
reviewed: 2026-11-23
---
";

#[test]
fn links_in_a_cards_law_and_plan_are_checked_where_they_stand_in_the_front_matter() {
    let site = TestSite::new().file("content/kaarten/argument/in-de-vlog.md", CARD_LINKS);
    let (run, json) = check_json(&site, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let found = findings(&json, |_| true);
    let card = "content/kaarten/argument/in-de-vlog.md";
    let expected: BTreeSet<_> = [
        at("broken-link", card, CARD_LINKS, "[de regels]"),
        at("broken-anchor", card, CARD_LINKS, "[het anker]"),
        at("http-link", card, CARD_LINKS, "[de brief]"),
    ]
    .into_iter()
    .collect();
    assert_findings(&found, &expected);
    let external: Vec<&str> = json["external_links"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["url"].as_str())
        .collect();
    assert_eq!(external, ["http://example.org/plan"]);
    // The build stops on the same errors; fixed, a content path in the law
    // becomes the page's address on the card.
    let build = site.build(&[]);
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    let (line, column) = pos(CARD_LINKS, "[de regels]");
    assert!(
        build.stderr.contains(&format!(
            "the link /thema/gamen/geen/ points to a page or file the site does not have\n  --> content/kaarten/argument/in-de-vlog.md:{line}:{column}"
        )),
        "{}",
        build.stderr
    );
    site.write(
        "content/kaarten/argument/in-de-vlog.md",
        &CARD_LINKS
            .replace("/thema/gamen/geen/", "/thema/gamen/")
            .replace("#nergens", "#wat-is-het"),
    );
    let build = site.build(&[]);
    assert!(build.success, "{}", build.stderr);
    let card = site.read("kaarten/argument/in-de-vlog/index.html");
    assert!(
        card.contains("<a href=\"/thema/gamen/loot-boxes/#wat-is-het\">de uitleg</a>"),
        "{card}"
    );
}

#[test]
fn a_stale_law_on_a_card_and_a_stale_decision_tool_warn_like_a_stale_page() {
    let card = CARD_LINKS
        .replace("  checked: 2026-11-23", "  checked: 2025-06-01")
        .replace("/thema/gamen/geen/", "/thema/gamen/")
        .replace("#nergens", "#wat-is-het");
    let site = TestSite::new()
        .file("templates/tool.html", "{% extends \"base.html\" %}")
        .file("templates/tool-review.html", "{% extends \"base.html\" %}")
        .file("content/kaarten/argument/in-de-vlog.md", &card);
    let run = run_in(
        site.root(),
        &["new", "rules", "tools/proef", "--now", "2025-06-01"],
    );
    assert!(run.success, "{}", run.stderr);
    let rules = std::fs::read_to_string(site.path("content/tools/proef.rules.yaml"))
        .unwrap()
        .replace("VUL IN: ", "");
    site.write("content/tools/proef.rules.yaml", &rules);
    let stale = |k: &str| k == "stale-review";
    // Within the year: nothing.
    let (_, json) = check_json_at(&site, "2026-05-31", &[]);
    assert_findings(&findings(&json, stale), &BTreeSet::new());
    let (run, json) = check_json(&site, &[]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let expected: BTreeSet<_> = [
        at(
            "stale-review",
            "content/kaarten/argument/in-de-vlog.md",
            &card,
            "2025-06-01",
        ),
        at(
            "stale-review",
            "content/tools/proef.rules.yaml",
            &rules,
            "2025-06-01",
        ),
    ]
    .into_iter()
    .collect();
    assert_findings(&findings(&json, stale), &expected);
    let messages: BTreeSet<&str> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"].as_str())
        .collect();
    assert!(
        messages.contains("the law on this card was checked on 2025-06-01, more than a year ago"),
        "{messages:?}"
    );
    assert!(
        messages.contains("last reviewed on 2025-06-01, more than a year ago"),
        "{messages:?}"
    );
}

#[test]
fn a_pages_social_image_must_exist_like_an_image_in_its_text() {
    let missing = "---\ntitle: Weg\ndescription: Een pagina.\nimage: /img/nergens.png\nimage_alt: Een kind met een telefoon\n---\nTekst.\n";
    let site = TestSite::new()
        .file("content/weg.md", missing)
        .file(
            "content/eigen.md",
            "---\ntitle: Eigen\ndescription: Een pagina.\nimage: foto.png\nimage_alt: Een kind met een telefoon\n---\nTekst.\n",
        )
        .bytes("content/eigen/foto.png", b"\x89PNG");
    let (run, json) = check_json(&site, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let expected: BTreeSet<_> = [at(
        "broken-link",
        "content/weg.md",
        missing,
        "/img/nergens.png",
    )]
    .into_iter()
    .collect();
    assert_findings(&findings(&json, |k| k == "broken-link"), &expected);
    assert_eq!(
        json["findings"][0]["message"],
        "the image /img/nergens.png points to a page or file the site does not have"
    );
    let build = site.build(&[]);
    assert_eq!(build.code, Some(1), "{}", build.stderr);
    site.write(
        "content/weg.md",
        &missing.replace("/img/nergens.png", "/eigen/foto.png"),
    );
    let build = site.build(&[]);
    assert!(build.success, "{}", build.stderr);
}
