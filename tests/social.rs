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
    // The theme's fonts only: a second build makes the same bytes.
    let before = std::fs::read(site.path("public/social/thema/gamen.png")).unwrap();
    assert!(site.build(&[]).success);
    assert_eq!(
        std::fs::read(site.path("public/social/thema/gamen.png")).unwrap(),
        before
    );
}
