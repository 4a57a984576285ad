//! Social previews: a 1200×630 PNG for the pages people share, made from the
//! theme's SVG template with the theme's own fonts (the same bytes on every build),
//! and Open Graph and Twitter meta with an absolute image URL and alt text on every
//! page. A page's own `image` wins.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestSite;
use resvg::tiny_skia::Pixmap;
use scraper::{Html, Selector};

fn meta(html: &str, selector: &str) -> Option<String> {
    Html::parse_document(html)
        .select(&Selector::parse(selector).unwrap())
        .next()
        .and_then(|m| m.value().attr("content").map(str::to_string))
}

#[test]
fn shared_pages_get_their_own_image_and_every_page_an_absolute_one_with_alt() {
    let site = TestSite::with_real_theme()
        .file(
            "content/nieuws/bericht.md",
            "---\ntitle: Een bericht met een heel lange titel die over meer dan drie regels moet lopen om te passen\n\
             description: x\nkind: news\ndate: 2026-11-01\n---\n",
        )
        .file(
            "content/eigen.md",
            "---\ntitle: Eigen\ndescription: x\nimage: foto.png\nimage_alt: Een ouder en een kind met een telefoon\n---\n",
        )
        // Relative to the page's URL, like a link in its text.
        .bytes("content/eigen/foto.png", b"\x89PNG");
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    for (page, png) in [
        ("index.html", "social/home.png"),
        ("thema/gamen/index.html", "social/thema/gamen.png"),
        ("nieuws/bericht/index.html", "social/nieuws/bericht.png"),
        // Not a page people share: the home page's image.
        ("thema/gamen/loot-boxes/index.html", "social/home.png"),
    ] {
        let html = site.read(page);
        let url = format!("https://test.example/{png}");
        assert_eq!(
            meta(&html, "meta[property='og:image']"),
            Some(url.clone()),
            "{page}"
        );
        assert_eq!(
            meta(&html, "meta[name='twitter:image']"),
            Some(url),
            "{page}"
        );
        assert_eq!(
            meta(&html, "meta[name='twitter:card']").as_deref(),
            Some("summary_large_image")
        );
        let alt = meta(&html, "meta[property='og:image:alt']").unwrap_or_default();
        assert!(
            alt.ends_with("(Testsite)") && alt.len() > 12,
            "{page}: {alt}"
        );
        let image = Pixmap::decode_png(&std::fs::read(site.path("public").join(png)).unwrap())
            .unwrap_or_else(|e| panic!("{png}: {e}"));
        assert_eq!((image.width(), image.height()), (1200, 630), "{png}");
        // Not one flat colour: the title was drawn.
        let first = image.pixels()[0];
        assert!(image.pixels().iter().any(|p| *p != first), "{png}");
    }
    let own = site.read("eigen/index.html");
    assert_eq!(
        meta(&own, "meta[property='og:image']").as_deref(),
        Some("https://test.example/eigen/foto.png")
    );
    assert_eq!(
        meta(&own, "meta[property='og:image:alt']").as_deref(),
        Some("Een ouder en een kind met een telefoon")
    );
    assert!(!site.path("public/social/eigen.png").exists());
    // The theme's fonts only: a build into a new folder (which draws every image
    // again) makes the same bytes.
    let before = std::fs::read(site.path("public/social/thema/gamen.png")).unwrap();
    assert!(site.build(&["--output", "opnieuw"]).success);
    assert_eq!(
        std::fs::read(site.path("opnieuw/social/thema/gamen.png")).unwrap(),
        before
    );
}

/// Building into an existing output reuses an image only while everything it is
/// drawn from is unchanged: the template, the title, the site's name.
#[test]
fn a_rebuild_reuses_an_image_only_while_its_inputs_are_unchanged() {
    let site = TestSite::with_real_theme();
    assert!(site.build(&[]).success);
    let png = |dir: &str, path: &str| std::fs::read(site.path(dir).join(path)).unwrap();
    let gamen = png("public", "social/thema/gamen.png");
    let home = png("public", "social/home.png");
    // A new title: that page's image only.
    site.write(
        "content/thema/gamen/_index.md",
        "---\ntitle: Gamen en spelen\ndescription: Over gamen.\nthemes: [gamen]\n---\nAlles over gamen.\n",
    );
    assert!(site.build(&[]).success);
    assert_ne!(png("public", "social/thema/gamen.png"), gamen);
    assert_eq!(png("public", "social/home.png"), home);
    // A new template colour: every image, exactly as a fresh build draws it.
    let template = site.path("themes/jouwkindonline/social/card.svg");
    let svg = std::fs::read_to_string(&template).unwrap();
    assert!(svg.contains("#005f73"));
    site.write(
        "themes/jouwkindonline/social/card.svg",
        &svg.replace("#005f73", "#3d2b56"),
    );
    assert!(site.build(&[]).success);
    assert!(site.build(&["--output", "vers"]).success);
    for path in ["social/home.png", "social/thema/gamen.png"] {
        let rebuilt = png("public", path);
        assert_eq!(rebuilt, png("vers", path), "{path}");
        assert_ne!(rebuilt, home);
        let image = Pixmap::decode_png(&rebuilt).unwrap();
        let corner = image.pixels()[image.width() as usize * 600 + 1150];
        assert_eq!(
            (corner.red(), corner.green(), corner.blue()),
            (0x3d, 0x2b, 0x56),
            "{path}: the new background"
        );
    }
    // A new site name: every image again.
    let before = png("public", "social/home.png");
    site.write(
        "content/site.yaml",
        &common::SITE_YAML
            .replace("theme: mini", "theme: jouwkindonline")
            .replace("title: Testsite", "title: Andere site"),
    );
    assert!(site.build(&[]).success);
    assert_ne!(png("public", "social/home.png"), before);
}

/// An image whose inputs are unchanged is taken from the build it replaces, not
/// drawn again: marked with a byte after its end (which no drawing writes), it
/// comes back marked. One whose key differs (another template, title, font or
/// renderer) is drawn again.
#[test]
fn an_unchanged_image_is_reused_not_drawn_again() {
    use std::collections::BTreeMap;
    use std::sync::Arc;
    use wegwijs::output::Output;

    let site = TestSite::with_real_theme();
    let options = wegwijs::BuildOptions {
        root: site.root().to_path_buf(),
        drafts: false,
        now: wegwijs::date::Date::parse("2026-11-23").unwrap(),
        base_url: None,
        noindex: false,
    };
    let loaded = wegwijs::site::load(&options).unwrap();
    let render = |previous: BTreeMap<String, Arc<[u8]>>| {
        let output = Output::with_previous(previous);
        wegwijs::render::render(&loaded, &output, &mut Default::default()).unwrap();
        output.get("social/home.png").unwrap()
    };
    let drawn = render(BTreeMap::new());
    let mut marked = drawn.clone();
    marked.push(0);
    let previous = |png: &[u8]| BTreeMap::from([("social/home.png".to_string(), Arc::from(png))]);
    // `assert!`, not `assert_eq!`: a failure would print two images byte by byte.
    assert!(
        render(previous(&marked)) == marked,
        "drawn again, inputs unchanged"
    );
    // The same file with another key in its `tEXt` chunk.
    let at = marked
        .windows(12)
        .position(|w| w == b"wegwijs-key\0")
        .unwrap()
        + 12;
    marked[at] = if marked[at] == b'0' { b'1' } else { b'0' };
    assert!(
        render(previous(&marked)) == drawn,
        "reused with another key"
    );
}
