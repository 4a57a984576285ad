//! A corpus of XSS payloads goes through the whole pipeline; the parsed output has
//! no script element, no event-handler attribute and no `javascript:` URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestSite;
use scraper::Html;

const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    // alt: an image without one is an accessibility error that stops the build.
    "<img src=x alt=\"x\" onerror=alert(1)>",
    "<svg onload=alert(1)><script>alert(2)</script></svg>",
    "<a href=\"javascript:alert(1)\">klik</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">klik</a>",
    "<a href=\"java&#x09;script:alert(1)\">klik</a>",
    "<a href=\" javascript:alert(1)\">klik</a>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"javascript:alert(1)\">",
    "<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(1)\">x</button></form>",
    "<body onload=alert(1)>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\">",
    "<base href=\"javascript:alert(1)//\">",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "[md-link](javascript:alert(1))",
    "[md-link-entity](javascript&#58;alert(1))",
    "[md-link-space]( javascript:alert(1) )",
    "![md-image](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[ref-link][r]\n\n[r]: javascript:alert(1)",
    "<scr<script>ipt>alert(1)</script>",
    "<!--<script>alert(1)</script>-->",
    "<style>body{background:url(javascript:alert(1))}</style>",
    "<a href=\"vbscript:msgbox(1)\">vb</a>",
    "## Kop {#kop onclick=alert(1) style=color:red}",
];

#[test]
fn no_payload_survives_the_pipeline() {
    let body = PAYLOADS.join("\n\n");
    let site = TestSite::new()
        .file(
            "content/aanval.md",
            &format!(
                "---\ntitle: \"</title><script>alert('titel')</script>\"\ndescription: \"<img src=x onerror=alert(1)>\"\n---\n{body}\n\nInline {{{{ note(text=\"<script>alert(1)</script>\") }}}} tekst.\n"
            ),
        );
    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);

    let mut pages = 0;
    for (path, bytes) in site.output() {
        if !path.ends_with(".html") {
            continue;
        }
        pages += 1;
        let html = String::from_utf8(bytes).unwrap();
        let doc = Html::parse_document(&html);
        for node in doc.root_element().descendants() {
            let Some(element) = node.value().as_element() else {
                continue;
            };
            let name = element.name();
            assert!(
                !matches!(
                    name,
                    "script" | "iframe" | "object" | "embed" | "form" | "base" | "style"
                ),
                "{path}: <{name}> in output"
            );
            for (attr, value) in element.attrs() {
                assert!(
                    !attr.to_ascii_lowercase().starts_with("on"),
                    "{path}: {attr}={value}"
                );
                assert!(attr != "style", "{path}: style attribute {value}");
                let cleaned: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                for scheme in ["javascript:", "vbscript:", "data:"] {
                    assert!(!cleaned.starts_with(scheme), "{path}: {attr}={value}");
                }
            }
        }
    }
    assert!(pages > 5, "the site was built");
    // The payload page still shows the harmless text of the links, and the title
    // is text, not markup.
    let page = site.read("aanval/index.html");
    assert!(page.contains("md-link"), "link text is kept");
    let doc = Html::parse_document(&page);
    let title = doc
        .select(&scraper::Selector::parse("title").unwrap())
        .next()
        .map(|t| t.text().collect::<String>());
    assert_eq!(
        title.as_deref(),
        Some("</title><script>alert(‘titel’)</script>")
    );
}
