//! Printing: every card of the bundled site prints on one A4 page, and the
//! "Print alle kaarten" page prints each card on a page of its own. Real headless
//! Chromium (Debian's), printing to PDF, pages counted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

#[test]
fn every_card_prints_on_one_page_and_the_set_one_card_per_page() {
    let (_out, target) = common::build_bundled_site();
    let base = common::serve(&target);
    let mut cards = Vec::new();
    for kind in ["risico", "argument"] {
        for entry in std::fs::read_dir(target.join("kaarten").join(kind)).unwrap() {
            let entry = entry.unwrap();
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.path().join("index.html").is_file()
                && !matches!(name.as_str(), "leeftijd" | "thema")
            {
                cards.push(format!("/kaarten/{kind}/{name}/"));
            }
        }
    }
    assert!(
        cards.len() >= 14,
        "the bundled site has the card set: {cards:?}"
    );
    for card in &cards {
        assert_eq!(
            common::print_pages(&format!("{base}{card}")),
            1,
            "{card} prints on one A4"
        );
    }
    assert_eq!(
        common::print_pages(&format!("{base}/kaarten/printen/")),
        cards.len(),
        "one page per card"
    );
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
