//! The Atom 1.0 feed (`/feed.xml`): news items and the campaigns running today,
//! newest first. Readers and news apps follow it; every page links it in its head.

use std::fmt::Write as _;

use crate::campaign;
use crate::content::{Kind, Page};
use crate::date::Date;
use crate::site::Site;

/// Where the feed goes.
pub const FEED_PATH: &str = "feed.xml";

/// Entries in the feed at most: readers want what is new, not the archive.
const MAX_ENTRIES: usize = 50;

/// The feed's entries: (page, published, updated), newest first.
fn entries(site: &Site) -> Vec<(&Page, Date, Date)> {
    let mut list: Vec<(&Page, Date, Date)> = site
        .pages
        .iter()
        .filter(|p| !p.front.draft)
        .filter_map(|p| {
            let published = match p.kind() {
                Kind::News => p.front.date?,
                Kind::Campaign if campaign::is_running(site, p) => p.front.starts.as_ref()?.value,
                _ => return None,
            };
            let reviewed = p.front.reviewed.as_ref().map(|r| r.value);
            let updated = reviewed.map_or(published, |r| r.max(published));
            Some((p, published, updated))
        })
        .collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.url.cmp(&b.0.url)));
    list.truncate(MAX_ENTRIES);
    list
}

/// The feed's XML.
pub fn atom(site: &Site) -> String {
    let config = &site.config;
    let base = &config.base_url.value;
    let entries = entries(site);
    let updated = entries.iter().map(|e| e.2).max().unwrap_or(site.now);
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        xml,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        escape(&config.language)
    );
    let _ = writeln!(xml, "<title>{}</title>", escape(&config.title));
    let _ = writeln!(
        xml,
        "<subtitle>{}</subtitle>",
        escape(&config.description.value)
    );
    let _ = writeln!(
        xml,
        "<link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        escape(&format!("{base}/{FEED_PATH}"))
    );
    let _ = writeln!(
        xml,
        "<link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        escape(&format!("{base}/"))
    );
    let _ = writeln!(xml, "<id>{}</id>", escape(&format!("{base}/")));
    let _ = writeln!(xml, "<updated>{}</updated>", updated.rfc3339_midnight());
    let _ = writeln!(
        xml,
        "<author><name>{}</name></author>",
        escape(&config.title)
    );
    for (page, published, updated) in entries {
        let link = escape(&format!("{base}{}", page.url));
        let _ = write!(
            xml,
            "<entry>\n<title>{}</title>\n<link rel=\"alternate\" type=\"text/html\" href=\"{link}\"/>\n\
             <id>{link}</id>\n<published>{}</published>\n<updated>{}</updated>\n\
             <summary>{}</summary>\n",
            escape(page.title()),
            published.rfc3339_midnight(),
            updated.rfc3339_midnight(),
            escape(&page.front.description.value),
        );
        let category = if page.kind() == Kind::Campaign {
            "campagne"
        } else {
            "nieuws"
        };
        let _ = writeln!(xml, "<category term=\"{category}\"/>\n</entry>");
    }
    xml.push_str("</feed>\n");
    xml
}

/// Text and attribute values in XML.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
