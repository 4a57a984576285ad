//! The bundled Dutch site, built by the real binary: structure every page must have,
//! no JavaScript, no third-party requests, working internal links, a small home page.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use scraper::{ElementRef, Html, Selector};

const BASE_URL: &str = "https://wegwijs.netlify.app";

/// Build the repository's own site; returns the temp dir and output path → bytes.
fn build_bundled_site() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let (out, target) = common::build_bundled_site();
    let files = common::snapshot(&target);
    (out, files)
}

fn all<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_string()
}

#[test]
fn every_page_has_the_required_structure() {
    let (_dir, files) = build_bundled_site();
    let mut titles: HashMap<String, String> = HashMap::new();
    let pages: Vec<(&String, Html)> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p, Html::parse_document(&String::from_utf8_lossy(b))))
        // Redirect fallback pages (a refresh and one link) are no pages of the
        // site; tests/campaigns.rs checks them.
        .filter(|(_, doc)| all(doc, "meta[http-equiv=refresh]").is_empty())
        .collect();
    assert!(pages.len() >= 20, "only {} pages", pages.len());
    for (path, doc) in &pages {
        let html = all(doc, "html");
        assert_eq!(html[0].value().attr("lang"), Some("nl"), "{path}");
        let title = all(doc, "head > title");
        assert_eq!(title.len(), 1, "{path}: one <title>");
        let title = text(&title[0]);
        assert!(!title.is_empty(), "{path}: empty title");
        if let Some(other) = titles.insert(title.clone(), path.to_string()) {
            panic!("{path} and {other} share the title {title:?}");
        }
        let description = all(doc, "meta[name=description]");
        assert_eq!(description.len(), 1, "{path}: meta description");
        assert!(
            !description[0]
                .value()
                .attr("content")
                .unwrap_or("")
                .trim()
                .is_empty(),
            "{path}"
        );
        let canonical = all(doc, "link[rel=canonical]");
        if path.as_str() != "404.html" {
            assert_eq!(canonical.len(), 1, "{path}: canonical link");
            assert!(
                canonical[0]
                    .value()
                    .attr("href")
                    .unwrap_or("")
                    .starts_with(BASE_URL),
                "{path}"
            );
        }
        assert_eq!(all(doc, "h1").len(), 1, "{path}: exactly one h1");
        for landmark in ["header", "nav", "main", "footer"] {
            assert!(!all(doc, landmark).is_empty(), "{path}: no <{landmark}>");
        }
        let first_link = all(doc, "a[href]");
        assert_eq!(
            first_link.first().and_then(|a| a.value().attr("href")),
            Some("#inhoud"),
            "{path}: skip link first"
        );
        assert_eq!(all(doc, "main#inhoud").len(), 1, "{path}: skip link target");
    }
}

#[test]
fn no_javascript_no_inline_styles_no_third_party_requests() {
    let (_dir, files) = build_bundled_site();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        // Only the decision tool's start page and the search page have scripts:
        // their own, deferred, no inline code.
        for script in all(&doc, "script") {
            let src = script.value().attr("src").unwrap_or("");
            assert!(
                (path.starts_with("tools/") && path.ends_with("/index.html"))
                    || path == "zoeken/index.html",
                "{path}: <script>"
            );
            assert!(src.starts_with("/js/"), "{path}: script from {src:?}");
            assert!(
                script.value().attr("defer").is_some(),
                "{path}: {src} is not deferred"
            );
            assert!(text(&script).is_empty(), "{path}: inline script");
        }
        assert!(
            all(&doc, "style, [style]").is_empty(),
            "{path}: inline style (blocked by the CSP)"
        );
        for e in all(&doc, "[src], link[href]") {
            let url = e
                .value()
                .attr("src")
                .or(e.value().attr("href"))
                .unwrap_or("");
            if e.value().name() == "link" && e.value().attr("rel") == Some("canonical") {
                continue;
            }
            assert!(
                url.starts_with('/') && !url.starts_with("//"),
                "{path}: request to {url}"
            );
        }
    }
}

#[test]
fn pages_hold_no_template_syntax_or_comments() {
    let (_dir, files) = build_bundled_site();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(bytes);
        for trace in ["{{", "{%", "<!--"] {
            assert!(!html.contains(trace), "{path}: {trace:?}");
        }
    }
}

#[test]
fn internal_links_resolve() {
    let (_dir, files) = build_bundled_site();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        for a in all(&doc, "a[href^='/'], link[href^='/']") {
            let href = a.value().attr("href").unwrap_or("");
            let target = href.split(['#', '?']).next().unwrap_or("");
            let file = common_output_path(target);
            assert!(
                files.contains_key(&file),
                "{path}: broken link {href} (no {file})"
            );
        }
        for a in all(&doc, "a[href^='#']") {
            let id = &a.value().attr("href").unwrap_or("#")[1..];
            if !id.is_empty() {
                assert!(
                    !all(&doc, &format!("[id='{id}']")).is_empty(),
                    "{path}: no anchor #{id}"
                );
            }
        }
    }
}

fn common_output_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

#[test]
fn home_page_with_its_css_stays_under_30_kb() {
    let (_dir, files) = build_bundled_site();
    let home = &files["index.html"];
    let doc = Html::parse_document(&String::from_utf8_lossy(home));
    // Every stylesheet the home page links counts, not only the first.
    let sheets: Vec<usize> = all(&doc, "link[rel~=stylesheet]")
        .iter()
        .map(|link| {
            let url = link.value().attr("href").unwrap();
            files[url.trim_start_matches('/')].len()
        })
        .collect();
    assert!(!sheets.is_empty(), "the home page links its stylesheet");
    let total = home.len() + sheets.iter().sum::<usize>();
    assert!(
        total <= 30 * 1024,
        "home {} + css {sheets:?} = {total} bytes",
        home.len(),
    );
}

#[test]
fn legal_pages_show_their_sources() {
    let (_dir, files) = build_bundled_site();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    let mut legal_pages = 0;
    for entry in walkdir::WalkDir::new(&content) {
        let entry = entry.unwrap();
        let source = match std::fs::read_to_string(entry.path()) {
            Ok(s) if entry.path().extension().is_some_and(|e| e == "md") => s,
            _ => continue,
        };
        let front = source.split("\n---").next().unwrap_or("");
        if !front.lines().any(|l| l.trim() == "legal: true") {
            continue;
        }
        legal_pages += 1;
        let rel = entry.path().strip_prefix(&content).unwrap();
        let url = wegwijs::content::url::url_for_file(rel, None);
        let html = String::from_utf8_lossy(&files[&common_output_path(&url)]).into_owned();
        let doc = Html::parse_document(&html);
        let headings: Vec<String> = all(&doc, "main h2, main h3").iter().map(text).collect();
        assert!(
            headings.iter().any(|h| h == "Bronnen"),
            "{url}: no Bronnen heading in {headings:?}"
        );
        let dates = all(&doc, "main time[datetime]");
        assert!(!dates.is_empty(), "{url}: sources without dates");
    }
    assert!(
        legal_pages >= 3,
        "the bundled site has legal pages ({legal_pages})"
    );
}

#[test]
fn netlify_headers_are_strict() {
    let toml = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("netlify.toml"))
        .unwrap();
    let csp = toml
        .lines()
        .find_map(|l| l.trim().strip_prefix("Content-Security-Policy = "))
        .expect("a Content-Security-Policy header")
        .trim_matches('"');
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    assert_eq!(directives[0], "default-src 'none'");
    for required in [
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'none'",
    ] {
        assert!(
            directives.contains(&required),
            "CSP lacks {required}: {csp}"
        );
    }
    assert!(!csp.contains("unsafe-"), "CSP allows unsafe-*: {csp}");
    assert!(!csp.contains("http"), "CSP allows another host: {csp}");
    for header in [
        "X-Content-Type-Options = \"nosniff\"",
        "Referrer-Policy = \"no-referrer\"",
        "Permissions-Policy",
        "Strict-Transport-Security",
        "immutable",
    ] {
        assert!(toml.contains(header), "netlify.toml lacks {header}");
    }
}

fn headings(doc: &Html) -> Vec<String> {
    all(doc, "main h1, main h2, main h3")
        .iter()
        .map(text)
        .collect()
}

/// The list items of the first list after the heading with this text.
fn list_after(doc: &Html, heading: &str) -> Vec<String> {
    let h = all(doc, "main h2, main h3")
        .into_iter()
        .find(|h| text(h) == heading)
        .unwrap_or_else(|| panic!("no heading {heading:?} in {:?}", headings(doc)));
    let mut node = h.next_sibling();
    while let Some(n) = node {
        if let Some(e) = ElementRef::wrap(n)
            && matches!(e.value().name(), "ul" | "ol")
        {
            return e
                .select(&Selector::parse("li").unwrap())
                .map(|li| text(&li))
                .collect();
        }
        node = n.next_sibling();
    }
    panic!("no list after {heading:?}");
}

fn card_pages(files: &BTreeMap<String, Vec<u8>>, kind: &str) -> Vec<(String, Html)> {
    files
        .iter()
        .filter(|(p, _)| {
            let parts: Vec<&str> = p.split('/').collect();
            parts.len() == 4
                && parts[0] == "kaarten"
                && parts[1] == kind
                && parts[3] == "index.html"
                && !matches!(parts[2], "leeftijd" | "thema")
        })
        .map(|(p, b)| (p.clone(), Html::parse_document(&String::from_utf8_lossy(b))))
        .collect()
}

#[test]
fn risk_cards_have_summary_tips_questions_and_sources() {
    let (_dir, files) = build_bundled_site();
    let cards = card_pages(&files, "risico");
    assert!(cards.len() >= 8, "{}", cards.len());
    for (path, doc) in &cards {
        assert_eq!(all(doc, "main h1").len(), 1, "{path}");
        let tips = list_after(doc, "Wat kun je doen?");
        assert!((3..=6).contains(&tips.len()), "{path}: {tips:?}");
        assert!(
            !list_after(doc, "Praat erover met je kind").is_empty(),
            "{path}"
        );
        assert!(headings(doc).iter().any(|h| h == "Bronnen"), "{path}");
        assert!(
            text(&all(doc, "main")[0]).contains("Risico"),
            "{path}: labelled in words, not only colour"
        );
    }
}

#[test]
fn argument_cards_weigh_both_sides_and_say_what_the_law_says() {
    let (_dir, files) = build_bundled_site();
    let cards = card_pages(&files, "argument");
    assert!(cards.len() >= 6, "{}", cards.len());
    for (path, doc) in &cards {
        assert!(list_after(doc, "Voor").len() >= 2, "{path}");
        assert!(list_after(doc, "Tegen").len() >= 2, "{path}");
        let h = headings(doc);
        assert!(h.iter().any(|h| h == "Wat zegt de wet?"), "{path}: {h:?}");
        assert!(h.iter().any(|h| h == "Bronnen"), "{path}");
        assert!(
            !all(doc, "main time[datetime]").is_empty(),
            "{path}: the law has its date"
        );
    }
}

#[test]
fn card_overviews_list_every_card_and_filter_without_javascript() {
    let (_dir, files) = build_bundled_site();
    for (kind, count) in [("risico", 8), ("argument", 6)] {
        let doc = Html::parse_document(&String::from_utf8_lossy(
            &files[&format!("kaarten/{kind}/index.html")],
        ));
        let links: Vec<String> = all(&doc, &format!("main a[href^='/kaarten/{kind}/']"))
            .iter()
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .filter(|h| {
                h.split('/').count() == 5 && !h.contains("/leeftijd/") && !h.contains("/thema/")
            })
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert!(links.len() >= count, "{kind}: {links:?}");
        let filter = all(&doc, "nav a[href*='/leeftijd/']");
        assert!(filter.len() >= 5, "{kind}: age filter links");
        let target = filter[1]
            .value()
            .attr("href")
            .unwrap()
            .trim_start_matches('/')
            .to_string()
            + "index.html";
        let filtered = Html::parse_document(&String::from_utf8_lossy(&files[&target]));
        let current = all(&filtered, "nav a[aria-current]");
        assert!(
            !current.is_empty(),
            "{target}: the current filter is marked"
        );
    }
    let hub = Html::parse_document(&String::from_utf8_lossy(
        &files["thema/vloggen-met-kinderen/index.html"],
    ));
    assert!(
        all(&hub, "main a[href^='/kaarten/risico/']").len() >= 8,
        "the hub has a card block"
    );
    let print = Html::parse_document(&String::from_utf8_lossy(
        &files["kaarten/printen/index.html"],
    ));
    assert_eq!(
        all(&print, "main article").len(),
        14,
        "every card on the print page"
    );
}

#[test]
fn pages_embed_a_card_and_the_decision_tool() {
    let (_dir, files) = build_bundled_site();
    let risks = Html::parse_document(&String::from_utf8_lossy(
        &files["thema/vloggen-met-kinderen/risicos/index.html"],
    ));
    assert!(
        !all(&risks, "main a[href='/kaarten/risico/veiligheid/']").is_empty(),
        "the embedded card links to its page"
    );
    let rules = Html::parse_document(&String::from_utf8_lossy(
        &files["thema/vloggen-met-kinderen/regels-nu/index.html"],
    ));
    assert!(
        !all(&rules, "main a[href='/tools/ontheffing/']").is_empty(),
        "the tool box links to the tool"
    );
    let first_steps = all(&rules, "main a[href^='/tools/ontheffing/0-']");
    assert!(
        !first_steps.is_empty(),
        "the tool box offers the first question's answers as links"
    );
}
