//! Campaigns, news, redirects and the feed, built by the real binary with the real
//! theme: the window opens and closes exactly at its first and last day (banner,
//! short link, fallback page, sitemap, feed, landing page), banners follow their
//! themes and order, claims on one address are errors, news lists page by 20.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestSite;
use scraper::{Html, Selector};

const CAMPAIGN: &str = "---\ntitle: Zomer zonder scherm\ndescription: Een zomer lang tips voor minder schermtijd.\n\
kind: campaign\nstarts: 2026-06-01\nends: 2026-06-30\nbanner: Deze zomer minder scherm? Zo pak je het aan.\n\
short_url: /zomer\n---\nTips voor de zomer.\n";

fn select(html: &str, css: &str) -> usize {
    Html::parse_document(html)
        .select(&Selector::parse(css).unwrap())
        .count()
}

fn has(site: &TestSite, path: &str) -> bool {
    site.path("public").join(path).is_file()
}

/// The child elements of `node` called `name`.
fn child<'a, 'input>(
    node: roxmltree::Node<'a, 'input>,
    name: &str,
) -> Vec<roxmltree::Node<'a, 'input>> {
    node.children()
        .filter(|c| c.is_element() && c.tag_name().name() == name)
        .collect()
}

/// Titles of the feed's entries, after checking the Atom elements a feed and each
/// entry must have (RFC 4287: id, title, updated; a link; an author on the feed).
fn feed_titles(xml: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).unwrap_or_else(|e| panic!("feed.xml: {e}\n{xml}"));
    let feed = doc.root_element();
    assert_eq!(feed.tag_name().name(), "feed");
    assert_eq!(
        feed.tag_name().namespace(),
        Some("http://www.w3.org/2005/Atom")
    );
    for name in ["id", "title", "updated", "author"] {
        assert_eq!(child(feed, name).len(), 1, "feed needs one <{name}>");
    }
    let rel = |node: roxmltree::Node<'_, '_>, value: &str| {
        child(node, "link")
            .iter()
            .any(|l| l.attribute("rel") == Some(value) && l.attribute("href").is_some())
    };
    assert!(rel(feed, "self") && rel(feed, "alternate"));
    child(feed, "entry")
        .into_iter()
        .map(|entry| {
            for name in ["id", "title", "updated"] {
                assert_eq!(child(entry, name).len(), 1, "entry needs one <{name}>");
            }
            let updated = child(entry, "updated")[0].text().unwrap_or("");
            // RFC 3339 with a zone: 2026-06-01T00:00:00+02:00
            assert_eq!(updated.len(), 25, "{updated}");
            assert!(rel(entry, "alternate"));
            child(entry, "title")[0].text().unwrap_or("").to_string()
        })
        .collect()
}

#[test]
fn the_window_opens_and_closes_on_its_first_and_last_day() {
    let site = TestSite::with_real_theme().file("content/campagnes/zomer.md", CAMPAIGN);
    for (now, running) in [
        ("2026-05-31", false),
        ("2026-06-01", true),
        ("2026-06-15", true),
        ("2026-06-30", true),
        ("2026-07-01", false),
    ] {
        let run = site.build(&["--now", now]);
        assert!(run.success, "{now}: {}", run.stderr);
        let home = site.read("index.html");
        let hub = site.read("thema/gamen/index.html");
        for page in [&home, &hub] {
            assert_eq!(
                select(
                    page,
                    "aside.campaign-banner[aria-labelledby] a[href='/campagnes/zomer/']"
                ),
                usize::from(running),
                "{now}: banner"
            );
        }
        let redirects = if has(&site, "_redirects") {
            site.read("_redirects")
        } else {
            String::new()
        };
        assert_eq!(
            redirects.contains("/zomer /campagnes/zomer/ 302!\n"),
            running,
            "{now}: _redirects {redirects}"
        );
        assert_eq!(
            has(&site, "zomer/index.html"),
            running,
            "{now}: fallback page"
        );
        let sitemap = site.read("sitemap.xml");
        roxmltree::Document::parse(&sitemap).unwrap();
        assert_eq!(
            sitemap.contains("<loc>https://test.example/campagnes/zomer/</loc>"),
            running,
            "{now}: sitemap"
        );
        let titles = feed_titles(&site.read("feed.xml"));
        assert_eq!(
            titles.contains(&"Zomer zonder scherm".to_string()),
            running,
            "{now}: feed"
        );
        // The landing page stays for old links; outside the window it says so
        // and asks search engines to leave it out.
        let landing = site.read("campagnes/zomer/index.html");
        assert_eq!(
            select(&landing, "meta[name=robots][content=noindex]"),
            usize::from(!running),
            "{now}: noindex"
        );
        assert_eq!(
            select(&landing, "aside.campaign-banner"),
            0,
            "{now}: own banner"
        );
        let ended = landing.contains("Deze campagne is afgelopen");
        assert_eq!(ended, now == "2026-07-01", "{now}: ended notice");
        assert_eq!(
            landing.contains("Deze campagne begint op"),
            now == "2026-05-31"
        );
    }
}

#[test]
fn the_fallback_page_refreshes_to_the_landing_page_and_shows_a_link() {
    let site = TestSite::with_real_theme().file("content/campagnes/zomer.md", CAMPAIGN);
    assert!(site.build(&["--now", "2026-06-10"]).success);
    let page = site.read("zomer/index.html");
    assert_eq!(
        select(
            &page,
            "meta[http-equiv=refresh][content='0; url=/campagnes/zomer/']"
        ),
        1
    );
    assert_eq!(select(&page, "meta[name=robots][content=noindex]"), 1);
    assert_eq!(select(&page, "main a[href='/campagnes/zomer/']"), 1);
    assert_eq!(select(&page, "script, style, [style]"), 0);
}

#[test]
fn banners_follow_their_themes_and_show_two_at_most_by_weight_then_start() {
    let campaign = |title: &str, starts: &str, weight: &str, themes: &str| {
        format!(
            "---\ntitle: {title}\ndescription: Over {title}.\nkind: campaign\nstarts: {starts}\n\
             ends: 2026-12-31\nbanner: Lees over {title}.\n{weight}{themes}---\nTekst.\n"
        )
    };
    let site = TestSite::with_real_theme()
        .file(
            "content/campagnes/a.md",
            &campaign("Alfa", "2026-03-01", "", ""),
        )
        .file(
            "content/campagnes/b.md",
            &campaign("Bravo", "2026-02-01", "", ""),
        )
        .file(
            "content/campagnes/c.md",
            &campaign("Charlie", "2026-04-01", "weight: 1\n", ""),
        )
        .file(
            "content/campagnes/d.md",
            &campaign("Delta", "2026-01-01", "", "themes: [gamen]\n"),
        );
    let run = site.build(&["--now", "2026-06-01"]);
    assert!(run.success, "{}", run.stderr);
    let titles = |path: &str| -> Vec<String> {
        let doc = Html::parse_document(&site.read(path));
        doc.select(&Selector::parse("aside.campaign-banner h2").unwrap())
            .map(|h| h.text().collect())
            .collect()
    };
    // Weight first (Charlie), then the earliest start among the rest: on a gamen
    // page Delta (January) beats Bravo (February); elsewhere Delta does not show.
    assert_eq!(titles("index.html"), ["Charlie", "Bravo"]);
    assert_eq!(titles("thema/gamen/index.html"), ["Charlie", "Delta"]);
    assert_eq!(
        titles("thema/gamen/loot-boxes/index.html"),
        ["Charlie", "Delta"]
    );
    assert_eq!(titles("themas/gamen/index.html"), ["Charlie", "Delta"]);
}

#[test]
fn two_claims_on_one_address_name_both_files() {
    let site = TestSite::new()
        .file("content/campagnes/zomer.md", CAMPAIGN)
        .file(
            "content/oud.md",
            "---\ntitle: Oud\ndescription: x\naliases: [/zomer/]\n---\n",
        );
    let run = site.build(&[]);
    assert!(!run.success);
    assert!(
        run.stderr
            .contains("error: the short link /zomer is also claimed by content/campagnes/zomer.md")
            || run
                .stderr
                .contains("error: the alias /zomer/ is also claimed by content/campagnes/zomer.md"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("content/oud.md"), "{}", run.stderr);

    let site = TestSite::new().file(
        "content/campagnes/zomer.md",
        &CAMPAIGN.replace("/zomer\n", "/thema/gamen\n"),
    );
    let run = site.build(&[]);
    assert!(
        run.stderr.contains(
            "error: the short link /thema/gamen is the URL of content/thema/gamen/_index.md\n --> content/campagnes/zomer.md:8:12"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn campaign_fields_are_checked() {
    let site = TestSite::new()
        .file(
            "content/campagnes/zomer.md",
            &CAMPAIGN.replace("ends: 2026-06-30", "ends: 2026-05-30"),
        )
        .file(
            "content/campagnes/leeg.md",
            "---\ntitle: Leeg\ndescription: x\nkind: campaign\n---\n",
        )
        .file(
            "content/a.md",
            "---\ntitle: A\ndescription: B\nbanner: Hallo\n---\n",
        );
    let run = site.build(&[]);
    assert!(!run.success);
    for expected in [
        "error: this campaign ends (2026-05-30) before it starts (2026-06-01)\n --> content/campagnes/zomer.md:6:7",
        "error: this campaign has no `starts`\n --> content/campagnes/leeg.md:2:8",
        "error: this campaign has no `banner`",
        "error: `banner` is a field of campaigns, but this is a page\n --> content/a.md:4:9",
    ] {
        assert!(run.stderr.contains(expected), "{expected}\n{}", run.stderr);
    }
}

fn news(n: usize) -> String {
    // Day n of 2026, so a higher n is newer.
    let day = chrono_like_date(n);
    format!(
        "---\ntitle: Bericht {n:02}\ndescription: Nieuws nummer {n}.\nkind: news\ndate: {day}\nthemes: [gamen]\n---\nTekst.\n"
    )
}

fn chrono_like_date(n: usize) -> String {
    let month = 1 + (n - 1) / 28;
    let day = 1 + (n - 1) % 28;
    format!("2026-{month:02}-{day:02}")
}

#[test]
fn news_lists_newest_first_twenty_per_page_and_hubs_link_their_news() {
    let mut site = TestSite::with_real_theme().file(
        "content/nieuws/_index.md",
        "---\ntitle: Nieuws\ndescription: Het laatste nieuws.\n---\n",
    );
    for n in 1..=45 {
        site = site.file(&format!("content/nieuws/bericht-{n:02}.md"), &news(n));
    }
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let titles = |path: &str| -> Vec<String> {
        let doc = Html::parse_document(&site.read(path));
        doc.select(&Selector::parse("main ul.cards h3").unwrap())
            .map(|h| h.text().collect())
            .collect()
    };
    let first = titles("nieuws/index.html");
    assert_eq!(first.len(), 20);
    assert_eq!(first[0], "Bericht 45");
    assert_eq!(first[19], "Bericht 26");
    assert_eq!(titles("nieuws/pagina/2/index.html")[0], "Bericht 25");
    let last = titles("nieuws/pagina/3/index.html");
    assert_eq!(
        last,
        [
            "Bericht 05",
            "Bericht 04",
            "Bericht 03",
            "Bericht 02",
            "Bericht 01"
        ]
    );
    assert!(!has(&site, "nieuws/pagina/4/index.html"));
    let page2 = site.read("nieuws/pagina/2/index.html");
    assert_eq!(
        select(&page2, "nav.pagination a[rel=prev][href='/nieuws/']"),
        1
    );
    assert_eq!(
        select(
            &page2,
            "nav.pagination a[rel=next][href='/nieuws/pagina/3/']"
        ),
        1
    );
    // The gamen hub links the five newest items about gamen.
    let hub = site.read("thema/gamen/index.html");
    assert_eq!(select(&hub, "a[href='/nieuws/bericht-45/']"), 1);
    assert_eq!(select(&hub, "a[href='/nieuws/bericht-40/']"), 0);
    // The feed has every item, newest first.
    let feed = feed_titles(&site.read("feed.xml"));
    assert_eq!(feed.len(), 45);
    assert_eq!(feed[0], "Bericht 45");
}

#[test]
fn news_needs_a_date() {
    let site = TestSite::new().file(
        "content/nieuws/a.md",
        "---\ntitle: A\ndescription: B\nkind: news\n---\n",
    );
    let run = site.build(&[]);
    assert!(
        run.stderr
            .contains("error: this news item has no `date`\n --> content/nieuws/a.md:2:8"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_page_links_the_feed() {
    let site = TestSite::with_real_theme();
    assert!(site.build(&[]).success);
    for page in ["index.html", "thema/gamen/index.html", "404.html"] {
        assert_eq!(
            select(
                &site.read(page),
                "head link[rel=alternate][type='application/atom+xml'][href='/feed.xml']"
            ),
            1,
            "{page}"
        );
    }
}

/// Before its first day and after its last, a campaign is shown nowhere but at its
/// own address: not in its section's list, not on its theme's page, not in site
/// search, the sitemap or the feed, and no banner; inside the window everywhere.
/// All of them switch on the same days.
#[test]
fn outside_its_window_a_campaign_is_listed_nowhere_but_at_its_address() {
    let site = TestSite::with_real_theme()
        .file(
            "content/campagnes/_index.md",
            "---\ntitle: Campagnes\ndescription: Alle campagnes.\n---\nOnze campagnes.\n",
        )
        .file(
            "content/campagnes/zomer.md",
            &CAMPAIGN.replace(
                "short_url: /zomer\n",
                "short_url: /zomer\nthemes: [gamen]\n",
            ),
        );
    let link = "a[href='/campagnes/zomer/']";
    for (now, running) in [
        ("2026-05-31", false),
        ("2026-06-01", true),
        ("2026-06-30", true),
        ("2026-07-01", false),
    ] {
        let run = site.build(&["--now", now]);
        assert!(run.success, "{now}: {}", run.stderr);
        let shown = |path: &str, what: &str| {
            assert_eq!(
                select(&site.read(path), &format!("main {link}")) > 0,
                running,
                "{now}: {what}"
            );
        };
        shown("campagnes/index.html", "the section's list");
        shown("themas/gamen/index.html", "the theme's page");
        for page in [
            "thema/gamen/index.html",
            "thema/gamen/loot-boxes/index.html",
        ] {
            assert_eq!(
                select(&site.read(page), &format!("aside.campaign-banner {link}")),
                usize::from(running),
                "{now}: banner on {page}"
            );
        }
        let search = common::run_in(
            site.root(),
            &["search", "zomer", "scherm", "--json", "--now", now],
        );
        assert_eq!(
            search.stdout.contains("/campagnes/zomer/"),
            running,
            "{now}: search {}{}",
            search.stdout,
            search.stderr
        );
        assert_eq!(
            site.read("sitemap.xml")
                .contains("<loc>https://test.example/campagnes/zomer/</loc>"),
            running,
            "{now}: sitemap"
        );
        assert_eq!(
            feed_titles(&site.read("feed.xml")).contains(&"Zomer zonder scherm".to_string()),
            running,
            "{now}: feed"
        );
        // Its own address always answers, with noindex outside the window.
        let landing = site.read("campagnes/zomer/index.html");
        assert_eq!(
            select(&landing, "meta[name=robots][content=noindex]"),
            usize::from(!running),
            "{now}: noindex"
        );
    }
}
