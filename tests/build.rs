//! A valid site builds: pretty URLs, sections, taxonomies, assets, atomic output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestSite;
use scraper::{Html, Selector};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("selector {css}: {e:?}"));
    doc.select(&selector).collect()
}

#[test]
fn builds_pretty_urls_sections_and_taxonomies() {
    let site = TestSite::new();
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    assert!(run.stderr.contains("built 3 pages"), "{}", run.stderr);
    let files: Vec<String> = site.output().into_keys().collect();
    for expected in [
        "index.html",
        "thema/gamen/index.html",
        "thema/gamen/loot-boxes/index.html",
        "thema/gamen/leeftijd/8-12/index.html",
        "thema/gamen/leeftijd/0-4/index.html",
        "themas/index.html",
        "themas/gamen/index.html",
        "leeftijden/8-12/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    ] {
        assert!(
            files.iter().any(|f| f == expected),
            "missing {expected} in {files:?}"
        );
    }
    let css: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("css/main."))
        .collect();
    assert_eq!(css.len(), 1, "{files:?}");
    assert_eq!(
        site.read(css[0]),
        "body{color:#1f2933}main{max-width:40rem}"
    );

    let page = Html::parse_document(&site.read("thema/gamen/loot-boxes/index.html"));
    let h2 = select(&page, "main h2#wat-is-het");
    assert_eq!(h2.len(), 1);
    let link = select(&page, "link[rel=stylesheet]");
    assert_eq!(
        link[0].value().attr("href"),
        Some(format!("/{}", css[0]).as_str())
    );

    let section = Html::parse_document(&site.read("thema/gamen/index.html"));
    let items: Vec<String> = select(&section, "main li a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(items, ["Loot boxes"]);
}

#[test]
fn age_filter_keeps_pages_for_that_age_and_for_all_ages() {
    let site = TestSite::new().file(
        "content/thema/gamen/voor-iedereen.md",
        "---\ntitle: Voor iedereen\ndescription: Geen leeftijd.\n---\nTekst.\n",
    );
    assert!(site.build(&[]).success);
    let titles = |path: &str| -> Vec<String> {
        let doc = Html::parse_document(&site.read(path));
        select(&doc, "main li a")
            .iter()
            .map(|a| a.text().collect())
            .collect()
    };
    assert_eq!(
        titles("thema/gamen/leeftijd/8-12/index.html"),
        ["Loot boxes", "Voor iedereen"]
    );
    assert_eq!(
        titles("thema/gamen/leeftijd/0-4/index.html"),
        ["Voor iedereen"]
    );
}

#[test]
fn sections_order_by_weight_then_title() {
    let site = TestSite::new()
        .file(
            "content/thema/gamen/b.md",
            "---\ntitle: Bbb\ndescription: x\nweight: 1\n---\n",
        )
        .file(
            "content/thema/gamen/a.md",
            "---\ntitle: Aaa\ndescription: x\nweight: 2\n---\n",
        )
        .file(
            "content/thema/gamen/c.md",
            "---\ntitle: Ccc\ndescription: x\n---\n",
        );
    assert!(site.build(&[]).success);
    let doc = Html::parse_document(&site.read("thema/gamen/index.html"));
    let titles: Vec<String> = select(&doc, "main li a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    assert_eq!(titles, ["Bbb", "Aaa", "Ccc", "Loot boxes"]);
}

#[test]
fn drafts_and_publish_windows_follow_now() {
    let site = TestSite::new()
        .file(
            "content/concept.md",
            "---\ntitle: Concept\ndescription: x\ndraft: true\n---\n",
        )
        .file(
            "content/later.md",
            "---\ntitle: Later\ndescription: x\npublish: 2026-12-01\n---\n",
        )
        .file(
            "content/voorbij.md",
            "---\ntitle: Voorbij\ndescription: x\nexpires: 2026-11-01\n---\n",
        );
    assert!(site.build(&[]).success);
    let files = site.output();
    assert!(!files.contains_key("concept/index.html"));
    assert!(!files.contains_key("later/index.html"));
    assert!(!files.contains_key("voorbij/index.html"));
    assert!(site.build(&["--drafts", "--now", "2026-12-01"]).success);
    let files = site.output();
    assert!(files.contains_key("concept/index.html"));
    assert!(files.contains_key("later/index.html"));
}

#[test]
fn shortcodes_render_as_blocks_and_inline_but_not_in_code() {
    let site = TestSite::new().file(
        "content/hulp.md",
        "---\ntitle: Hulp\ndescription: x\n---\nTekst {{ note(text=\"<b>let op</b>\") }} hier.\n\n{{ help() }}\n\n`{{ help() }}`\n",
    );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let html = site.read("hulp/index.html");
    let doc = Html::parse_document(&html);
    assert_eq!(select(&doc, "main > aside.help").len(), 1, "{html}");
    let note = select(&doc, "main p span.note");
    assert_eq!(note.len(), 1, "{html}");
    // The argument is escaped, not markup.
    assert_eq!(note[0].text().collect::<String>(), "<b>let op</b>");
    assert_eq!(
        select(&doc, "main code")[0].text().collect::<String>(),
        "{{ help() }}"
    );
}

#[test]
fn aliases_become_netlify_redirects() {
    let site = TestSite::new().file(
        "content/nieuw.md",
        "---\ntitle: Nieuw\ndescription: x\naliases: [/oud/]\n---\n",
    );
    assert!(site.build(&[]).success);
    assert_eq!(site.read("_redirects"), "/oud/ /nieuw/ 301!\n");
    assert!(site.read("oud/index.html").contains("url=/nieuw/"));
}

#[test]
fn base_url_flag_overrides_site_yaml() {
    let site = TestSite::new();
    assert!(
        site.build(&["--base-url", "https://preview.example/"])
            .success
    );
    assert!(
        site.read("sitemap.xml")
            .contains("<loc>https://preview.example/thema/gamen/</loc>")
    );
}

#[test]
fn output_flag_and_root_flag_work_from_elsewhere() {
    let site = TestSite::new();
    let elsewhere = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = elsewhere.path().join("uit");
    let root = site.root().to_string_lossy().into_owned();
    let out_arg = out.to_string_lossy().into_owned();
    let run = common::run_in(
        elsewhere.path(),
        &["build", "--root", &root, "--output", &out_arg],
    );
    assert!(run.success, "{}", run.stderr);
    assert!(out.join("thema/gamen/loot-boxes/index.html").is_file());
}

#[test]
fn template_functions_and_site_overrides() {
    let site = TestSite::new()
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block main %}\
             {% set s = get_section(url=\"/thema/gamen/\") %}<p id=\"s\">{{ s.title }}: {{ s.pages | length }}</p>\
             {% set p = get_page(url=\"/thema/gamen/loot-boxes/\") %}<div id=\"p\">{{ p.content | safe }}</div>\
             <a id=\"u\" href=\"{{ url_for(path='/thema/gamen/#top') }}\">x</a><a id=\"g\" href=\"{{ url_for(path='/themas/gamen/') }}\">y</a>{% endblock %}",
        )
        .file("static/robots-extra.txt", "extra")
        .file("themes/mini/static/favicon.svg", "<svg/>")
        .file("content/thema/gamen/foto.svg", "<svg/>");
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let doc = Html::parse_document(&site.read("thema/gamen/loot-boxes/index.html"));
    assert_eq!(select(&doc, "#s")[0].text().collect::<String>(), "Gamen: 1");
    assert_eq!(
        select(&doc, "#p h2").len(),
        1,
        "get_page returns the rendered content"
    );
    assert_eq!(
        select(&doc, "#u")[0].value().attr("href"),
        Some("/thema/gamen/#top")
    );
    assert_eq!(site.read("robots-extra.txt"), "extra");
    assert_eq!(site.read("favicon.svg"), "<svg/>");
    assert_eq!(site.read("thema/gamen/foto.svg"), "<svg/>");
}

#[test]
fn url_for_a_missing_page_is_an_error_with_the_template_line() {
    let site = TestSite::new().file(
        "templates/page.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<a href=\"{{ url_for(path='/thema/gamne/') }}\">x</a>\n{% endblock %}\n",
    );
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("no page has this URL (did you mean /thema/gamen/?)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--> templates/page.html:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn raw_html_is_kept_only_when_the_site_allows_it() {
    let page =
        "---\ntitle: Rauw\ndescription: x\n---\n<div class=\"kader\" onclick=\"x()\">Tekst</div>\n";
    let site = TestSite::new().file("content/rauw.md", page);
    assert!(site.build(&[]).success);
    let html = site.read("rauw/index.html");
    assert!(html.contains(">Tekst</div>"), "{html}");
    assert!(!html.contains("onclick"), "{html}");
    let yaml = format!("{}allow_raw_html: true\n", common::SITE_YAML);
    site.write("content/site.yaml", &yaml);
    assert!(site.build(&[]).success);
    assert!(
        site.read("rauw/index.html").contains("onclick"),
        "allowed raw HTML is kept as written"
    );
}

#[test]
fn markdown_tables_and_footnotes() {
    let site = TestSite::new().file(
        "content/tabel.md",
        "---\ntitle: Tabel\ndescription: x\n---\n| Leeftijd | Uren |\n| --- | --- |\n| 8 | 1 |\n\nZie noot.[^1]\n\n[^1]: De noot.\n",
    );
    assert!(site.build(&[]).success);
    let doc = Html::parse_document(&site.read("tabel/index.html"));
    assert_eq!(select(&doc, "main table thead th").len(), 2);
    assert_eq!(select(&doc, "main sup a").len(), 1);
}

#[test]
fn warnings_do_not_stop_the_build() {
    let site = TestSite::new().file(
        "content/oud.md",
        "---\ntitle: Oud\ndescription: x\nreviewed: 2024-01-01\n---\n",
    );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "warning: last reviewed on 2024-01-01, more than a year ago\n --> content/oud.md:4:11"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn now_comes_from_the_environment_too() {
    let site = TestSite::new().file(
        "content/later.md",
        "---\ntitle: Later\ndescription: x\npublish: 2027-01-01\n---\n",
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .args(["build"])
        .current_dir(site.root())
        .env("WEGWIJS_NOW", "2027-01-01")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(site.output().contains_key("later/index.html"));
}

#[test]
fn css_targets_from_site_yaml_lower_modern_css() {
    let nested = "main {\n  & p { color: #1f2933; }\n}\n";
    let site = TestSite::new().file("themes/mini/css/base.css", nested);
    assert!(site.build(&[]).success);
    let css = |site: &TestSite| {
        let name = site
            .output()
            .into_keys()
            .find(|f| f.starts_with("css/main."))
            .unwrap();
        site.read(&name)
    };
    assert!(
        css(&site).contains("&"),
        "without targets nesting stays: {}",
        css(&site)
    );
    site.write(
        "content/site.yaml",
        &format!(
            "{}css_targets: {{ chrome: 100, safari: 15 }}\n",
            common::SITE_YAML
        ),
    );
    assert!(site.build(&[]).success);
    assert!(
        css(&site).contains("main p{color:#1f2933}"),
        "nesting is flattened for Chrome 100: {}",
        css(&site)
    );
}

#[test]
fn timings_name_every_stage() {
    let site = TestSite::new();
    let run = site.build(&["--timings"]);
    assert!(run.success, "{}", run.stderr);
    let line = run
        .stderr
        .lines()
        .find(|l| l.starts_with("stages: "))
        .unwrap_or_default();
    for stage in [
        "load",
        "check",
        "prepare",
        "markdown",
        "templates",
        "files",
        "write",
    ] {
        assert!(line.contains(&format!("{stage} ")), "{stage} in {line:?}");
    }
    assert!(!site.build(&[]).stderr.contains("stages:"));
}

#[test]
fn templates_are_written_as_they_are_so_whitespace_scripts_and_pre_survive() {
    // Found in review against the template minifier (now removed): a statement
    // between inline elements lost its space ("xtekst"), and a child template's
    // block inside <script> or <pre> lost its line breaks.
    let site = TestSite::new()
        .file(
            "templates/base.html",
            "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title>\
             <link rel=\"stylesheet\" href=\"{{ asset(path='css/main.css') }}\"></head>\
             <body><main>{% block main %}{% endblock %}\n<script type=\"application/json\">{% block data %}{% endblock %}</script></main></body></html>\n",
        )
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<div class=\"zin\"><b>x</b> {% if page.title %}tekst{% endif %}</div>\n<pre>{% block code %}regel een\n  regel twee{% endblock %}</pre>\n{% endblock %}\n{% block data %}// een opmerking\n{\"a\": 1}{% endblock %}\n",
        )
        .file("content/pagina.md", "---\ntitle: Mijn pagina\ndescription: x\n---\nTekst.\n");
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let html = site.read("pagina/index.html");
    let doc = Html::parse_document(&html);
    assert_eq!(
        select(&doc, "div.zin")[0].text().collect::<String>(),
        "x tekst"
    );
    assert_eq!(
        select(&doc, "pre")[0].text().collect::<String>(),
        "regel een\n  regel twee"
    );
    assert_eq!(
        select(&doc, "script")[0].text().collect::<String>(),
        "// een opmerking\n{\"a\": 1}"
    );
}

/// The number in "built N pages (M files)" is the number of files on disk. Files
/// whose name starts with a dot (bookkeeping of the output folder) do not count.
fn assert_file_count_is_true(site: &TestSite, stderr: &str) {
    let on_disk = site
        .output()
        .into_keys()
        .filter(|path| !path.rsplit('/').next().unwrap_or("").starts_with('.'))
        .count();
    assert!(
        stderr.contains(&format!(" pages ({on_disk} files) ")),
        "{on_disk} files on disk, but: {stderr}"
    );
}

#[test]
fn a_static_robots_txt_replaces_the_generated_one_and_the_count_stays_true() {
    let site = TestSite::new()
        .file("static/robots.txt", "User-agent: *\nDisallow: /geheim/\n")
        .file("static/sitemap.xml", "<urlset></urlset>\n")
        .file("static/_redirects", "/eigen/ /thema/gamen/ 302")
        .file(
            "content/nieuw.md",
            "---\ntitle: Nieuw\ndescription: x\naliases: [/oud/]\n---\n",
        );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        site.read("robots.txt"),
        "User-agent: *\nDisallow: /geheim/\n"
    );
    assert_eq!(site.read("sitemap.xml"), "<urlset></urlset>\n");
    // The site's own redirects first (Netlify takes the first match), then the aliases.
    assert_eq!(
        site.read("_redirects"),
        "/eigen/ /thema/gamen/ 302\n/oud/ /nieuw/ 301!\n"
    );
    assert_file_count_is_true(&site, &run.stderr);
}

#[test]
fn generated_robots_txt_sitemap_and_redirects_are_counted_once() {
    let site = TestSite::new().file(
        "content/nieuw.md",
        "---\ntitle: Nieuw\ndescription: x\naliases: [/oud/]\n---\n",
    );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    assert!(site.read("robots.txt").contains("Sitemap: "));
    assert!(site.read("sitemap.xml").contains("/nieuw/"));
    assert_file_count_is_true(&site, &run.stderr);
}

#[test]
fn a_shortcode_in_an_indented_code_block_stays_text() {
    let site = TestSite::new().file(
        "content/code.md",
        "---\ntitle: Code\ndescription: x\n---\nZo schrijf je het:\n\n    {{ help() }}\n    {{ note(text=\"x\") }}\n\nEn zo ziet het eruit:\n\n{{ help() }}\n",
    );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let html = site.read("code/index.html");
    let doc = Html::parse_document(&html);
    assert_eq!(
        select(&doc, "main pre code")[0].text().collect::<String>(),
        "{{ help() }}\n{{ note(text=\"x\") }}\n",
        "{html}"
    );
    assert_eq!(select(&doc, "main aside.help").len(), 1, "{html}");
    assert_eq!(select(&doc, "main .note").len(), 0, "{html}");
}

#[test]
fn private_use_characters_in_content_are_not_taken_for_shortcode_markers() {
    // U+E000 0 U+E001 was the marker of the first shortcode on a page.
    let typed = "Icoon \u{e000}0\u{e001} en \u{e000}0\u{e000} hier.";
    let site = TestSite::new().file(
        "content/icoon.md",
        &format!("---\ntitle: Icoon\ndescription: x\n---\n{typed}\n\n{{{{ help() }}}}\n"),
    );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let html = site.read("icoon/index.html");
    let doc = Html::parse_document(&html);
    assert_eq!(
        select(&doc, "main p")[0].text().collect::<String>(),
        typed,
        "{html}"
    );
    assert_eq!(select(&doc, "main aside.help").len(), 1, "{html}");
}

#[test]
fn extra_stylesheets_are_bundled_on_their_own_and_linked_where_a_text_uses_a_shortcode() {
    let site = TestSite::new()
        .file(
            "themes/mini/css/extra/note.css",
            "@import \"../base.css\";\n.note {  font-weight : 700 ; }\n",
        )
        .file(
            "themes/mini/templates/page.html",
            "{% extends \"base.html\" %}{% block main %}\
             {% if page.shortcodes is containing(\"note\") %}<link rel=\"stylesheet\" href=\"{{ asset(path='css/extra/note.css') }}\">{% endif %}\
             <p class=\"used\">{{ page.shortcodes | join(sep=\",\") }}</p>{{ page.content | safe }}{% endblock %}",
        )
        .file(
            "content/met.md",
            "---\ntitle: Met\ndescription: x\n---\nEen {{ note(text=\"a\") }} en {{ note(text=\"b\") }}.\n\n{{ help() }}\n",
        )
        .file("content/zonder.md", "---\ntitle: Zonder\ndescription: x\n---\nTekst.\n");
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    let files: Vec<String> = site.output().into_keys().collect();
    let extra: Vec<&String> = files
        .iter()
        .filter(|f| f.starts_with("css/extra/note.") && f.ends_with(".css"))
        .collect();
    assert_eq!(extra.len(), 1, "{files:?}");
    assert_eq!(
        site.read(extra[0]),
        "body{color:#1f2933}.note{font-weight:700}"
    );
    // main.css stays as it was: the extra sheet is not in it.
    let main = files.iter().find(|f| f.starts_with("css/main.")).unwrap();
    assert!(!site.read(main).contains(".note"), "{}", site.read(main));

    let with = Html::parse_document(&site.read("met/index.html"));
    let hrefs: Vec<&str> = select(&with, "link[rel=stylesheet]")
        .iter()
        .filter_map(|l| l.value().attr("href"))
        .collect();
    assert_eq!(hrefs, [format!("/{main}"), format!("/{}", extra[0])]);
    let used: Vec<String> = select(&with, "p.used")
        .iter()
        .map(|p| p.text().collect())
        .collect();
    assert_eq!(used, ["help,note"], "each shortcode once, sorted");

    let without = Html::parse_document(&site.read("zonder/index.html"));
    assert_eq!(select(&without, "link[rel=stylesheet]").len(), 1);
    let used: Vec<String> = select(&without, "p.used")
        .iter()
        .map(|p| p.text().collect())
        .collect();
    assert_eq!(used, [""]);
}
