//! The data of the search page `/zoeken/` and of the A to Z: the index's
//! entry file for the script, the filters, and for readers without JavaScript
//! a link to each theme and age group and to each letter of the A to Z, whose
//! page (`/zoeken/a/`) lists the pages that begin with it.
//!
//! Every parent who searches loads `/zoeken/`, so it lists no pages itself: on
//! a 10,000-page site every page on it, even once, made a first query cost 320
//! KB against 300 (docs/decisions/001-search-index.md). The theme and age
//! pages list their pages already.

use serde_json::Value;

use super::records::{is_found, kind_label};
use crate::config::Taxonomy;
use crate::render::tools::start_url;
use crate::site::Site;

/// Where the search page is.
pub const URL: &str = "/zoeken/";

/// The template that renders it; a theme without it has no search page.
pub const TEMPLATE: &str = "search.html";

/// The template of a letter of the A to Z; a theme without it (or without a
/// search page) has no A to Z.
pub const LETTER_TEMPLATE: &str = "search-letter.html";

/// A letter of the A to Z and the pages whose title begins with it.
#[derive(Debug, Clone)]
pub struct Letter {
    /// As shown: "A", "0-9" for titles that begin with a digit, "#" for others.
    pub label: String,
    /// Its page.
    pub url: String,
    /// What it lists, sorted by title.
    pub entries: Vec<Entry>,
}

/// What a letter of the A to Z lists.
#[derive(Debug, Clone, Copy)]
pub enum Entry {
    /// `site.pages[i]`.
    Page(usize),
    /// The start page of `site.tools[i]`.
    Tool(usize),
}

/// The A to Z of every page search finds (no drafts, not the home page, no
/// campaign outside its window) and every decision tool's start page.
pub fn letters(site: &Site) -> Vec<Letter> {
    let pages = site.pages.iter().enumerate();
    let pages = pages
        .filter(|(_, p)| is_found(site, p))
        .map(|(i, p)| (p.title(), Entry::Page(i)));
    let tools = site.tools.iter().enumerate();
    let tools = tools.map(|(i, t)| (t.tree.title.as_str(), Entry::Tool(i)));
    // (letter, sort key, entry)
    let mut all: Vec<(char, String, Entry)> = pages
        .chain(tools)
        .map(|(title, entry)| (letter(title), sort_key(title), entry))
        .collect();
    all.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
    let mut letters: Vec<Letter> = Vec::new();
    let mut current = None;
    for (first, _, entry) in all {
        match letters.last_mut() {
            Some(last) if current == Some(first) => last.entries.push(entry),
            _ => {
                current = Some(first);
                let (label, slug) = match first {
                    '0' => ("0-9".to_string(), "0-9".to_string()),
                    '#' => ("#".to_string(), "overig".to_string()),
                    c => (c.to_string(), c.to_ascii_lowercase().to_string()),
                };
                letters.push(Letter {
                    label,
                    url: format!("{URL}{slug}/"),
                    entries: vec![entry],
                });
            }
        }
    }
    letters
}

/// The letter a title is listed under: its first letter or digit without its
/// accent ("Één" under E, "Ĳsselmeer" under I), '0' for every digit, '#' for
/// what is not A to Z.
fn letter(title: &str) -> char {
    match title.chars().find(|c| c.is_alphanumeric()).map(base) {
        Some(c) if c.is_ascii_digit() => '0',
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase(),
        _ => '#',
    }
}

/// How titles are ordered within a letter: lower case, accents off, so "Één"
/// comes before "Ezel".
fn sort_key(title: &str) -> String {
    title.chars().map(base).collect()
}

/// The base letters of Latin Extended-A (U+0100 to U+017F), in order: "Ā" and
/// "ā" are 'a', "Ĳ" and "ĳ" 'i' (as Dutch dictionaries file them), "ſ" 's'.
const EXTENDED_A: &[u8; 128] = b"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkkllllllllllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// `c` lower-cased without its accent, for the A to Z only: the search index
/// folds with [`super::text::fold`], which `zoeken.js` mirrors.
fn base(c: char) -> char {
    match c {
        'Æ' | 'æ' => 'a',
        'Ð' | 'ð' => 'd',
        'Ø' | 'ø' => 'o',
        'ß' => 's',
        '\u{100}'..='\u{17f}' => char::from(EXTENDED_A[c as usize - 0x100]),
        c => super::text::fold(c),
    }
}

/// `search` on the search page: `{ index, themes, ages, letters }`. `themes`
/// and `ages` are `{ slug, label, url, count }`: the term's page and how many
/// pages it lists; `letters` are `{ label, url, count }` (none when the theme
/// has no A to Z).
pub fn value(site: &Site, letters: &[Letter], index_url: &str) -> Value {
    let listed: Vec<&crate::content::Page> =
        site.pages.iter().filter(|p| is_found(site, p)).collect();
    let terms = |taxonomy: Taxonomy| -> Vec<Value> {
        site.config
            .terms(taxonomy)
            .iter()
            .map(|t| {
                let slug = t.slug.value.as_str();
                let count = listed
                    .iter()
                    .filter(|p| {
                        let values = match taxonomy {
                            Taxonomy::Themes => &p.front.themes,
                            Taxonomy::Ages => &p.front.ages,
                        };
                        values.iter().any(|v| v.value == slug)
                    })
                    .count();
                object([
                    ("slug", slug.into()),
                    ("label", t.label.as_str().into()),
                    ("url", format!("{}{slug}/", taxonomy.url_base()).into()),
                    ("count", count.into()),
                ])
            })
            .collect()
    };
    object([
        ("index", index_url.into()),
        ("themes", Value::Array(terms(Taxonomy::Themes))),
        ("ages", Value::Array(terms(Taxonomy::Ages))),
        ("letters", letter_links(letters)),
    ])
}

/// `search` on the page of letter `k`: `{ letter, letters }`, `letter` being
/// `{ label, url, pages }` and `letters` as on the search page. Each page is
/// what a link to it needs: `{ title, description, url, kind, kind_label }`;
/// `summaries[i]` is page `i` as lists show it (title and description with
/// smart quotes).
pub fn letter_value(site: &Site, summaries: &[Value], letters: &[Letter], k: usize) -> Value {
    let letter = letters.get(k).map(|l| {
        let pages = l.entries.iter().map(|&e| match e {
            Entry::Page(i) => {
                let page = &site.pages[i];
                let summary = summaries.get(i).unwrap_or(&Value::Null);
                let kind = (page.kind().name(), kind_label(page));
                link(&summary["title"], &summary["description"], &page.url, kind)
            }
            Entry::Tool(i) => {
                let tree = &site.tools[i].tree;
                let (title, description) = (tree.title.as_str(), tree.description.as_str());
                let kind = ("tool", "Hulpmiddel");
                link(&title.into(), &description.into(), &start_url(tree), kind)
            }
        });
        object([
            ("label", l.label.as_str().into()),
            ("url", l.url.as_str().into()),
            ("pages", pages.collect()),
        ])
    });
    object([
        ("letter", letter.unwrap_or_default()),
        ("letters", letter_links(letters)),
    ])
}

/// `{ label, url, count }` of each letter.
fn letter_links(letters: &[Letter]) -> Value {
    letters
        .iter()
        .map(|l| {
            object([
                ("label", l.label.as_str().into()),
                ("url", l.url.as_str().into()),
                ("count", l.entries.len().into()),
            ])
        })
        .collect()
}

/// An object of `fields`, moved in.
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    )
}

/// A page as a link to it needs it.
fn link(title: &Value, description: &Value, url: &str, (kind, label): (&str, &str)) -> Value {
    object([
        ("title", title.clone()),
        ("description", description.clone()),
        ("url", url.into()),
        ("kind", kind.into()),
        ("kind_label", label.into()),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_filed_under_their_first_letter_without_its_accent() {
        for (title, expected) in [
            ("Apps en games", 'A'),
            ("3 tips voor de zomer", '0'),
            ("Één telefoon voor twee", 'E'),
            ("’s Avonds online", 'S'),
            ("🙂 Blij met je kind", 'B'),
            ("🙂", '#'),
            ("", '#'),
            ("Ĳsselmeer-vlog", 'I'),
            ("ĳsvrij", 'I'),
            ("Ørsted", 'O'),
            ("Æbleskiver", 'A'),
            ("Škoda", 'S'),
            ("Łódź", 'L'),
            ("Ωmega", '#'),
        ] {
            assert_eq!(letter(title), expected, "{title:?}");
        }
    }

    #[test]
    fn latin_extended_a_maps_to_its_base_letters() {
        // Each base letter's first and last code point in U+0100..U+017F.
        let runs = [
            (0x100, 0x105, 'a'),
            (0x106, 0x10d, 'c'),
            (0x10e, 0x111, 'd'),
            (0x112, 0x11b, 'e'),
            (0x11c, 0x123, 'g'),
            (0x124, 0x127, 'h'),
            (0x128, 0x133, 'i'),
            (0x134, 0x135, 'j'),
            (0x136, 0x138, 'k'),
            (0x139, 0x142, 'l'),
            (0x143, 0x14b, 'n'),
            (0x14c, 0x153, 'o'),
            (0x154, 0x159, 'r'),
            (0x15a, 0x161, 's'),
            (0x162, 0x167, 't'),
            (0x168, 0x173, 'u'),
            (0x174, 0x175, 'w'),
            (0x176, 0x178, 'y'),
            (0x179, 0x17e, 'z'),
            (0x17f, 0x17f, 's'),
        ];
        let mut next = 0x100;
        for (first, last, expected) in runs {
            assert_eq!(first, next, "runs must cover the block without gaps");
            for code in first..=last {
                let c = char::from_u32(code).unwrap_or_default();
                assert_eq!(base(c), expected, "{c} (U+{code:04X})");
            }
            next = last + 1;
        }
        assert_eq!(next, 0x180);
        // A few by sight, against an off-by-one in both tables at once.
        for (c, expected) in [
            ('Č', 'c'),
            ('ě', 'e'),
            ('ł', 'l'),
            ('œ', 'o'),
            ('ű', 'u'),
            ('Ÿ', 'y'),
        ] {
            assert_eq!(base(c), expected, "{c}");
        }
    }

    #[test]
    fn accents_do_not_move_a_title_within_its_letter() {
        let mut titles = ["Ezel", "Één", "Eerlijk"];
        titles.sort_by_key(|t| sort_key(t));
        assert_eq!(titles, ["Één", "Eerlijk", "Ezel"]);
    }
}
