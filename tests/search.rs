//! Site search: parents' queries (misspellings included) find the right page in
//! the top three through `wegwijs search`; the page script (js/zoeken.js, under
//! node, on the built files) gives the same results and the same stems as Rust;
//! filters combine; the index leaves out drafts, tool steps and review pages;
//! a synonym that finds nothing stops the build; a theme without a search
//! page gets no index.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{TestSite, build_bundled_site, run_in};
use serde_json::Value;
use wegwijs::search::text::{Stems, words};

/// (what a parent types, a page that must be in the top three).
const QUERIES: &[(&str, &str)] = &[
    ("ontheffing", "/tools/ontheffing/"),
    (
        "schermtijd 6 jaar",
        "/thema/schermtijd/richtlijn-schermgebruik/",
    ),
    ("loot box", "/thema/gamen/loot-boxes/"),
    (
        "privacy baby",
        "/kaarten/risico/privacy-en-digitale-voetafdruk/",
    ),
    // Typed together, apart, bent or wrong.
    ("lootbox", "/thema/gamen/loot-boxes/"),
    ("lootboxen", "/thema/gamen/loot-boxes/"),
    ("scherm tijd", "/thema/schermtijd/"),
    ("schermtijt", "/thema/schermtijd/"),
    ("ontheffnig", "/tools/ontheffing/"),
    (
        "kidfluensers",
        "/thema/vloggen-met-kinderen/kidfluencers-en-gezinsvlogs/",
    ),
    // As a question.
    ("moet ik een ontheffing aanvragen?", "/tools/ontheffing/"),
    (
        "hoeveel schermtijd voor een kind van 6?",
        "/thema/schermtijd/richtlijn-schermgebruik/",
    ),
    (
        "hoe lang mag mijn kind gamen",
        "/thema/gamen/plezier-en-balans/",
    ),
    (
        // Since main said "video" for recordings, the risk card no longer says "foto".
        "mag ik foto's van mijn kind online zetten",
        "/kaarten/argument/zet-ik-mijn-kind-in-onze-vlogs/",
    ),
    (
        "waar meld ik iets",
        "/thema/privacy-en-veiligheid/hulp-en-melden/",
    ),
    (
        "gezinsvlog geld verdienen",
        "/thema/vloggen-met-kinderen/kidfluencers-en-gezinsvlogs/",
    ),
    (
        "reclame influencer",
        "/thema/sociale-media/reclame-en-influencers/",
    ),
    // Synonyms from site.yaml.
    ("eerste mobiel", "/thema/schermtijd/eerste-telefoon/"),
    (
        "kidfluencer",
        "/thema/vloggen-met-kinderen/kidfluencers-en-gezinsvlogs/",
    ),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `wegwijs search --json` on the bundled site.
fn rust_search(query: &str, extra: &[&str]) -> Vec<Value> {
    let run = run_in(
        root(),
        &[
            &[
                "search",
                query,
                "--json",
                "--now",
                "2026-11-23",
                "--limit",
                "10",
            ],
            extra,
        ]
        .concat(),
    );
    assert!(
        run.code == Some(0) || run.code == Some(2),
        "wegwijs search {query}: {}",
        run.stderr
    );
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn urls(hits: &[Value]) -> Vec<&str> {
    hits.iter().map(|h| h["url"].as_str().unwrap()).collect()
}

/// Run `script` under node with js/zoeken.js as `z`, `input` on stdin; its JSON output.
fn node(script: &str, input: &Value) -> Value {
    let js = root().join("themes/jouwkindonline/js/zoeken.js");
    let program = format!(
        "const z = require({:?}); const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));\n{script}",
        js.display()
    );
    let mut child = Command::new("node")
        .args(["-e", &program])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("node is missing ({e}): run scripts/test, which installs it"));
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "node: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn parents_find_the_right_page_in_the_top_three() {
    let mut misses = Vec::new();
    for (query, expected) in QUERIES {
        let hits = rust_search(query, &[]);
        let top: Vec<&str> = urls(&hits).into_iter().take(3).collect();
        if !top.contains(expected) {
            misses.push(format!("{query:?}: expected {expected} in {top:?}"));
        }
    }
    assert!(misses.is_empty(), "{}", misses.join("\n"));
}

#[test]
fn the_page_script_ranks_exactly_like_rust() {
    let (_dir, public) = build_bundled_site();
    let meta = std::fs::read_dir(public.join("js/zoeken"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .find(|n| n.starts_with("meta."))
        .expect("a meta file");
    let cases: Vec<(&str, Vec<&str>, Vec<&str>)> = QUERIES
        .iter()
        .map(|(q, _)| (*q, vec![], vec![]))
        .chain([
            ("ontheffing", vec!["vloggen-met-kinderen"], vec!["8-12"]),
            ("kind", vec!["gamen", "schermtijd"], vec![]),
            ("", vec![], vec![]),
            ("de het een", vec![], vec![]),
        ])
        .collect();
    let input = serde_json::json!({
        "public": public.display().to_string(),
        "meta": format!("/js/zoeken/{meta}"),
        "cases": cases.iter().map(|(q, t, a)| serde_json::json!({"q": q, "themes": t, "ages": a})).collect::<Vec<_>>(),
    });
    let js = node(
        r#"
const fs = require('fs');
const read = url => {
  const text = fs.readFileSync(input.public + url, 'utf8').trim();
  return JSON.parse(text.slice('wegwijsZoeken.load('.length, -2));
};
const load = url => Promise.resolve(read(url));
(async () => {
  const s = new z.Searcher(read(input.meta), load);
  const out = [];
  for (const c of input.cases) out.push((await s.search(c.q, { themes: c.themes, ages: c.ages }, 10)).hits);
  process.stdout.write(JSON.stringify(out));
})().catch(e => { console.error(e); process.exit(1); });
"#,
        &input,
    );
    for ((query, themes, ages), js_hits) in cases.iter().zip(js.as_array().unwrap()) {
        let mut extra = Vec::new();
        for t in themes {
            extra.extend(["--thema", t]);
        }
        for a in ages {
            extra.extend(["--leeftijd", a]);
        }
        let rust = if query.trim().is_empty() {
            Vec::new()
        } else {
            rust_search(query, &extra)
        };
        assert_eq!(
            &Value::Array(rust),
            js_hits,
            "{query:?} {themes:?} {ages:?}: Rust and JS differ"
        );
    }
}

#[test]
fn the_page_script_stems_every_word_like_rust() {
    let mut all = BTreeSet::new();
    for entry in walkdir::WalkDir::new(root().join("content"))
        .into_iter()
        .flatten()
    {
        if entry.file_type().is_file() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            all.extend(words(&text));
        }
    }
    // Words that exercise every rule of the stemmer and the steps after it.
    for w in [
        "vloggen",
        "vlogt",
        "vlog",
        "heden",
        "mogelijkheden",
        "gemeenten",
        "kinderen",
        "huisjes",
        "lichamelijk",
        "vriendelijkheid",
        "aanvraagt",
        "ontvangend",
        "koninginnen",
        "eerbaar",
        "opbrengstenbarre",
        "yoyo",
        "ijverig",
        "beïnvloeden",
        "coördinatie",
        "café",
        "ÉÉN",
        "naïef",
        "zeeën",
        "menselijkheid",
        "ja",
        "12",
        "kwaadaardig",
        "leiding",
        "uitgeverij",
        "baby's",
        "straße",
        "ελλάδα",
    ] {
        all.extend(words(w));
    }
    let list: Vec<String> = all.into_iter().collect();
    assert!(
        list.len() > 1500,
        "the bundled site has {} words",
        list.len()
    );
    let mut stems = Stems::default();
    let rust: Vec<String> = list.iter().map(|w| stems.stem(w).to_string()).collect();
    let js = node(
        "process.stdout.write(JSON.stringify(input.map(w => z.stem(w))));",
        &serde_json::json!(list),
    );
    let js: Vec<String> = serde_json::from_value(js).unwrap();
    let differ: Vec<String> = list
        .iter()
        .zip(rust.iter().zip(&js))
        .filter(|(_, (r, j))| r != j)
        .map(|(w, (r, j))| format!("{w}: Rust {r}, JS {j}"))
        .collect();
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    // And the words of a text, split and folded the same way.
    let text = "Baby’s, Loot-boxes & schermtijd: één café, naïef? 6 jaar!";
    let js_words = node(
        "process.stdout.write(JSON.stringify(z.words(input)));",
        &serde_json::json!(text),
    );
    assert_eq!(js_words, serde_json::json!(words(text).collect::<Vec<_>>()));
}

#[test]
fn dutch_word_forms_find_the_same_pages() {
    for group in [
        &["vloggen", "vlogt", "vlog"][..],
        &["ontheffing", "ontheffingen"],
        &["aanvragen", "aanvraagt"],
    ] {
        let first = urls(&rust_search(group[0], &[]))
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>();
        assert!(!first.is_empty(), "{} finds nothing", group[0]);
        for w in &group[1..] {
            assert_eq!(urls(&rust_search(w, &[])), first, "{w} vs {}", group[0]);
        }
    }
}

#[test]
fn filters_combine_theme_and_age() {
    let page = |themes: &str, ages: &str| {
        format!(
            "---\ntitle: Spelregels\ndescription: Over spelregels.\nthemes: [{themes}]\nages: [{ages}]\n---\nSpelregels thuis.\n"
        )
    };
    let site = with_search_page()
        .file("content/thema/gamen/jong.md", &page("gamen", "0-4"))
        .file("content/thema/gamen/oud.md", &page("gamen", "8-12"))
        .file("content/thema/gamen/altijd.md", &page("gamen", ""))
        .file("content/thema/gamen/scherm.md", &page("schermtijd", "0-4"));
    let search = |extra: &[&str]| -> Vec<String> {
        let run = run_in(
            site.root(),
            &[&["search", "spelregels", "--json"], extra].concat(),
        );
        let hits: Vec<Value> = serde_json::from_str(&run.stdout).unwrap_or_default();
        let mut urls: Vec<String> = urls(&hits).into_iter().map(String::from).collect();
        urls.sort();
        urls
    };
    let all = [
        "/thema/gamen/altijd/",
        "/thema/gamen/jong/",
        "/thema/gamen/oud/",
        "/thema/gamen/scherm/",
    ];
    assert_eq!(search(&[]), all);
    assert_eq!(search(&["--thema", "gamen"]), all[..3]);
    // Theme AND age; a page without an age group is for every age.
    assert_eq!(
        search(&["--thema", "gamen", "--leeftijd", "0-4"]),
        ["/thema/gamen/altijd/", "/thema/gamen/jong/"]
    );
    // Two ages: either of them.
    assert_eq!(
        search(&[
            "--thema",
            "gamen",
            "--leeftijd",
            "0-4",
            "--leeftijd",
            "8-12"
        ]),
        all[..3]
    );
    assert_eq!(
        search(&["--thema", "schermtijd", "--leeftijd", "8-12"]),
        Vec::<String>::new()
    );
}

#[test]
fn the_index_leaves_out_drafts_tool_steps_and_review_pages() {
    let site = with_search_page()
        .file(
            "content/thema/gamen/concept.md",
            "---\ntitle: Concept\ndescription: Nog niet af.\ndraft: true\n---\nZeldzaamwoord staat hier.\n",
        )
        .file(
            "content/thema/gamen/klaar.md",
            "---\ntitle: Klaar\ndescription: Wel af.\nthemes: [gamen]\n---\nAnderwoord staat hier.\n",
        )
        .file(
            "content/tools/ontheffing.rules.yaml",
            &std::fs::read_to_string(root().join("content/tools/ontheffing.rules.yaml")).unwrap(),
        );
    let run = site.build(&["--drafts"]);
    if !run.success {
        // The mini theme may lack the tool templates: build without the tool.
        std::fs::remove_file(site.path("content/tools/ontheffing.rules.yaml")).unwrap();
        let run = site.build(&["--drafts"]);
        assert!(run.success, "{}", run.stderr);
    }
    let files = site.output();
    let docs: String = files
        .iter()
        .filter(|(p, _)| p.starts_with("js/zoeken/d"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(docs.contains("/thema/gamen/klaar/"), "{docs}");
    assert!(
        !docs.contains("/thema/gamen/concept/"),
        "a draft is in the index"
    );
    assert!(
        !docs.contains("alle-uitkomsten"),
        "a review page is in the index"
    );
    let shards: String = files
        .iter()
        .filter(|(p, _)| p.starts_with("js/zoeken/s"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(shards.contains("\"anderwoord\""));
    assert!(
        !shards.contains("zeldzaam"),
        "a draft's words are in the index"
    );
    // Tool pages: only the start page, never a step.
    for url in docs.split('"').filter(|s| s.starts_with("/tools/")) {
        assert_eq!(url.matches('/').count(), 3, "{url} is a tool step");
    }
}

#[test]
fn a_synonym_that_finds_nothing_stops_the_build() {
    let yaml = std::fs::read_to_string(TestSite::new().path("content/site.yaml")).unwrap();
    let site = with_search_page().file(
        "content/site.yaml",
        &format!(
            "{yaml}search:\n  synonyms:\n    - {{ word: mobiel, means: telefoon }}\n    - {{ word: twee woorden, means: gamen }}\n"
        ),
    );
    let run = site.build(&[]);
    assert!(!run.success);
    assert!(
        run.stderr.contains("no page has the words `telefoon`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("`twee woorden` is not one word"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/site.yaml:"), "{}", run.stderr);
    assert!(!site.path("public").exists(), "nothing is written");
}

/// The test site, its theme with a search page (so the build makes an index).
fn with_search_page() -> TestSite {
    TestSite::new().file(
        "themes/mini/templates/search.html",
        "{% extends \"base.html\" %}{% block content %}<form data-index=\"{{ search.index }}\"></form>{% endblock content %}",
    )
}

#[test]
fn a_theme_without_a_search_page_gets_no_index() {
    let page = "---\ntitle: Spelregels\ndescription: Over spelregels.\n---\nSpelregels thuis.\n";
    let site = TestSite::new().file("content/spelregels.md", page);
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let files = site.output();
    assert!(
        !files
            .keys()
            .any(|p| p.starts_with("js/zoeken/") || p.starts_with("zoeken/")),
        "{:?}",
        files.keys().collect::<Vec<_>>()
    );
    let run = run_in(site.root(), &["search", "spelregels"]);
    assert!(!run.success);
    assert!(run.stderr.contains("search.html"), "{}", run.stderr);
    // With the page, the same site has an index that finds it.
    let site = with_search_page().file("content/spelregels.md", page);
    let run = run_in(site.root(), &["search", "spelregels", "--json"]);
    assert!(run.success, "{}", run.stderr);
    assert!(run.stdout.contains("/spelregels/"), "{}", run.stdout);
}

#[test]
fn a_template_error_the_search_page_shares_is_reported_once() {
    // The search page renders apart from the other pages (after the index);
    // an error in the template they share is still one error.
    let site = with_search_page()
        .file(
            "content/spelregels.md",
            "---\ntitle: Spelregels\ndescription: Over spelregels.\n---\nSpelregels thuis.\n",
        )
        .file(
            "themes/mini/templates/base.html",
            "<!doctype html><html lang=\"nl\"><title>{{ page.bestaat_niet }}</title>{% block content %}{% endblock content %}</html>",
        );
    let run = site.build(&[]);
    assert!(!run.success);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:") && l.contains("bestaat_niet"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].contains("other pages"), "{}", run.stderr);
}

#[test]
fn without_javascript_the_a_to_z_lists_every_page_once() {
    // Every parent who searches loads /zoeken/: it links each theme and age
    // page (which list their pages) and each letter of the A to Z, whose
    // pages list every page search finds, once.
    let (_dir, public) = build_bundled_site();
    let mut indexed: Vec<String> = Vec::new();
    for entry in std::fs::read_dir(public.join("js/zoeken"))
        .unwrap()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('d') {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let json = text.trim().trim_start_matches("wegwijsZoeken.load(");
        let data: Value = serde_json::from_str(json.trim_end_matches(");")).unwrap();
        for record in data["list"].as_array().unwrap() {
            indexed.push(record[0].as_str().unwrap().to_string());
        }
    }
    let hrefs = |part: &str| -> Vec<String> {
        part.split("href=\"")
            .skip(1)
            .map(|s| s[..s.find('"').unwrap()].to_string())
            .collect()
    };
    let read = |url: &str| std::fs::read_to_string(public.join(&url[1..]).join("index.html"));
    let search = read("/zoeken/").unwrap();
    let (_, terms) = search.split_once("<h2>Op thema</h2>").expect("themes");
    let (terms, letters) = terms.split_once("Van A tot Z</h2>").expect("an A to Z");
    for prefix in ["/themas/", "/leeftijden/"] {
        let links: Vec<String> = hrefs(terms)
            .into_iter()
            .filter(|l| l.starts_with(prefix))
            .collect();
        assert!(links.len() >= 4, "{prefix}: {terms}");
        for link in links {
            assert!(read(&link).is_ok(), "{link} is not built");
        }
    }
    let letters = &letters[..letters.find("</nav>").unwrap()];
    let letters = hrefs(letters);
    assert!(letters.len() > 10, "{letters:?}");
    let mut listed = Vec::new();
    for letter in &letters {
        assert!(letter.starts_with("/zoeken/"), "{letter}");
        let page = read(letter).unwrap_or_else(|e| panic!("{letter}: {e}"));
        let current = format!("href=\"{letter}\" aria-current=\"page\"");
        assert!(page.contains(&current), "{letter} is not marked current");
        let (_, list) = page.split_once("<ul class=\"az-list\">").expect("a list");
        let list = &list[..list.find("</ul>").unwrap()];
        let here = hrefs(list);
        assert!(!here.is_empty(), "{letter} lists nothing");
        listed.extend(here);
    }
    listed.sort();
    indexed.sort();
    assert!(indexed.len() > 30, "{indexed:?}");
    assert_eq!(listed, indexed, "the A to Z and the index differ");
}
