//! Printing: every card of the bundled site prints on one A4 page, or on two when its
//! class says so (`card-sheet--two-pages`, the longest cards), with no text smaller
//! than 9 pt; the "Print alle kaarten" page prints each card on pages of its own.
//! Real headless Chromium (Debian's), printing to PDF; pages counted and the size of
//! every piece of text read from the PDF's content streams. Links to the site print
//! with their full URL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

/// The smallest text a printed card may have, in pt (the "readable A4").
const MIN_PT: f64 = 9.0;

#[test]
fn every_card_prints_readable_on_its_pages_and_the_set_card_by_card() {
    let (_out, target) = common::build_bundled_site();
    let base = common::serve(&target);
    let mut cards = Vec::new();
    let mut site_links = 0;
    for kind in ["risico", "argument"] {
        for entry in std::fs::read_dir(target.join("kaarten").join(kind)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            let page = entry.path().join("index.html");
            if page.is_file() && !matches!(name.as_str(), "leeftijd" | "thema") {
                let html = std::fs::read_to_string(&page).unwrap();
                site_links += full_url_links(&html, &name);
                let pages = if html.contains("card-sheet--two-pages") {
                    2
                } else {
                    1
                };
                cards.push((format!("/kaarten/{kind}/{name}/"), pages));
            }
        }
    }
    assert!(site_links > 0, "the cards link pages of the site");
    assert!(
        cards.len() >= 14,
        "the bundled site has the card set: {cards:?}"
    );
    for (card, pages) in &cards {
        let pdf = common::print_pdf(&format!("{base}{card}"));
        assert_eq!(
            common::count_pdf_pages(&pdf),
            *pages,
            "{card} prints on {pages} A4"
        );
        let sizes = text_sizes(&pdf);
        assert!(sizes.len() > 50, "{card}: text found in the PDF: {sizes:?}");
        let smallest = sizes.iter().copied().fold(f64::INFINITY, f64::min);
        assert!(
            smallest >= MIN_PT - 0.01,
            "{card}: text of {smallest:.2} pt, the minimum is {MIN_PT} pt"
        );
    }
    assert_eq!(
        common::print_pages(&format!("{base}/kaarten/printen/")),
        cards.iter().map(|(_, pages)| pages).sum::<usize>(),
        "every card on pages of its own"
    );
}

/// Links from a card to the site print with their full URL: print.css writes
/// `attr(data-site) attr(href)` after them, so each needs `data-site`, the base URL.
/// Returns how many there are.
fn full_url_links(html: &str, card: &str) -> usize {
    let doc = scraper::Html::parse_document(html);
    let links = scraper::Selector::parse(".card-sheet a[href^='/']").unwrap();
    let mut count = 0;
    for a in doc.select(&links) {
        assert_eq!(
            a.value().attr("data-site"),
            Some("https://wegwijs.netlify.app"),
            "{card}: {}",
            a.html()
        );
        count += 1;
    }
    count
}

/// The size in pt of every text-showing operation in the PDF's page content streams
/// (Flate-compressed, as Chromium writes them): the font size of `Tf` scaled by the
/// text matrix (`Tm`) and the graphics state's matrix (`cm`, saved by `q`, restored by
/// `Q`).
fn text_sizes(pdf: &[u8]) -> Vec<f64> {
    let mut sizes = Vec::new();
    let mut rest = pdf;
    while let Some(at) = find(rest, b">>stream").or_else(|| find(rest, b">> stream")) {
        // The stream's dictionary: font files (`/Length1`) and images or forms
        // (`/Subtype`) are no page content.
        let dict_start = rfind(&rest[..at], b"<<").unwrap_or(0);
        let dict = &rest[dict_start..at];
        let after = &rest[at..];
        let after = &after[find(after, b"stream").unwrap_or(0) + 6..];
        let body = after
            .strip_prefix(b"\r\n")
            .or_else(|| after.strip_prefix(b"\n"))
            .unwrap_or(after);
        let end = find(body, b"endstream").unwrap_or(body.len());
        // The end of line before `endstream` is no data (the checksum may end in 0x0a).
        let data = &body[..end];
        let data = data
            .strip_suffix(b"\r\n")
            .or_else(|| data.strip_suffix(b"\n"))
            .unwrap_or(data);
        let content = find(dict, b"/Length1").is_none() && find(dict, b"/Subtype").is_none();
        if content && let Ok(text) = miniz_oxide::inflate::decompress_to_vec_zlib(data) {
            sizes.extend(content_text_sizes(&text));
        }
        rest = &body[end..];
    }
    sizes
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

type Matrix = [f64; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `m` then `n` (PDF row-vector convention: a point goes through `m` first).
fn times(m: &Matrix, n: &Matrix) -> Matrix {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

/// Interpret one content stream far enough to know the size of each text shown.
fn content_text_sizes(content: &[u8]) -> Vec<f64> {
    let mut sizes = Vec::new();
    let (mut ctm, mut saved, mut tm, mut font) = (IDENTITY, Vec::new(), IDENTITY, 0.0);
    let mut operands: Vec<f64> = Vec::new();
    let last = |operands: &[f64], n: usize| -> Option<Matrix> {
        let m = operands.get(operands.len().checked_sub(n)?..)?;
        (n == 6).then(|| [m[0], m[1], m[2], m[3], m[4], m[5]])
    };
    let mut i = 0;
    while i < content.len() {
        let c = content[i];
        match c {
            b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0' => i += 1,
            b'%' => {
                while i < content.len() && content[i] != b'\n' {
                    i += 1;
                }
            }
            // Strings, names, arrays and dictionaries are operands that are not numbers.
            b'(' => {
                let mut depth = 0;
                while i < content.len() {
                    match content[i] {
                        b'\\' => i += 1,
                        b'(' => depth += 1,
                        b')' => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                    if depth == 0 {
                        break;
                    }
                }
                operands.push(f64::NAN);
            }
            b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' => {
                i += 1;
                if c == b'/' {
                    while i < content.len() && !b" \n\r\t/[]<>()".contains(&content[i]) {
                        i += 1;
                    }
                }
                operands.push(f64::NAN);
            }
            _ => {
                let start = i;
                while i < content.len() && !b" \n\r\t\x0c/[]<>(){}%".contains(&content[i]) {
                    i += 1;
                }
                let word = std::str::from_utf8(&content[start..i]).unwrap_or("");
                if let Ok(number) = word.parse::<f64>() {
                    operands.push(number);
                    continue;
                }
                match word {
                    "q" => saved.push(ctm),
                    "Q" => ctm = saved.pop().unwrap_or(IDENTITY),
                    "cm" => {
                        if let Some(m) = last(&operands, 6) {
                            ctm = times(&m, &ctm);
                        }
                    }
                    "BT" => tm = IDENTITY,
                    "Tm" => tm = last(&operands, 6).unwrap_or(IDENTITY),
                    "Tf" => font = operands.last().copied().unwrap_or(0.0),
                    "Tj" | "TJ" | "'" | "\"" => {
                        let m = times(&tm, &ctm);
                        sizes.push(font * m[2].hypot(m[3]));
                    }
                    _ => {}
                }
                operands.clear();
            }
        }
    }
    sizes
}

#[test]
fn text_sizes_follow_the_matrices() {
    // Chromium's pattern: px to pt (0.24 × 3.125 = 0.75) around text in px.
    let stream = b"q .24 0 0 -.24 0 841.92 cm q 3.125 0 0 3.125 10 10 cm \
        BT /F7 12 Tf 1 0 0 -1 20 9 Tm <0027> Tj 7.38 0 Td [(a\\)b) 3 (c)] TJ ET Q \
        BT /F7 12 Tf 2 0 0 2 0 0 Tm (x) Tj ET Q BT /F1 10 Tf (y) Tj ET";
    let sizes: Vec<String> = content_text_sizes(stream)
        .iter()
        .map(|s| format!("{s:.2}"))
        .collect();
    assert_eq!(sizes, ["9.00", "9.00", "5.76", "10.00"]);
}

#[test]
fn pdf_page_counting_counts_pages_not_the_page_tree() {
    let pdf = b"1 0 obj << /Type /Pages /Kids [2 0 R 3 0 R] >> 2 0 obj << /Type /Page >> 3 0 obj <</Type/Page>>";
    assert_eq!(common::count_pdf_pages(pdf), 2);
}

#[test]
fn the_agreement_card_prints_on_one_page() {
    let (_out, target) = common::build_bundled_site();
    let base = common::serve(&target);
    let card = "/campagnes/afsprakenkaart/";
    assert!(target.join("campagnes/afsprakenkaart/index.html").is_file());
    assert_eq!(
        common::print_pages(&format!("{base}{card}")),
        1,
        "{card} prints on one A4"
    );
}
