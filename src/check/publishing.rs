//! Campaigns, news and redirects: the campaign fields (dates in order, a banner,
//! a plain short link), a date on every news item, fields that belong to another
//! kind, and every address claimed once: by a page, an alias or a short link.

use std::collections::HashMap;

use crate::campaign::{self, Window};
use crate::content::{Kind, Page};
use crate::diagnostics::{Diagnostic, Location};
use crate::redirects;
use crate::site::Site;

/// A banner is one short line: longer text belongs on the landing page.
pub const MAX_BANNER: usize = 120;

/// Check the campaign and news fields of `page`.
pub(super) fn check(page: &Page, problems: &mut Vec<Diagnostic>) {
    let front = &page.front;
    let kind = page.kind();
    if kind != Kind::Campaign {
        let fields = [
            ("starts", front.starts.as_ref().map(|v| page.location(v, 1))),
            ("ends", front.ends.as_ref().map(|v| page.location(v, 1))),
            ("banner", front.banner.as_ref().map(|v| page.location(v, 1))),
            (
                "short_url",
                front.short_url.as_ref().map(|v| page.location(v, 1)),
            ),
        ];
        for (field, location) in fields {
            if let Some(location) = location {
                problems.push(
                    Diagnostic::error(format!(
                        "`{field}` is a field of campaigns, but this is a {}",
                        kind.name()
                    ))
                    .in_file(&page.file)
                    .at_opt(location)
                    .with_help(format!("add `kind: campaign` or remove `{field}`")),
                );
            }
        }
    }
    match kind {
        Kind::Campaign => campaign(page, problems),
        Kind::News if front.date.is_none() => problems.push(
            title_error(page, "this news item has no `date`")
                .with_help("add `date: YYYY-MM-DD`, the day the news appeared; the list and the feed are ordered by it"),
        ),
        _ => {}
    }
}

fn campaign(page: &Page, problems: &mut Vec<Diagnostic>) {
    let front = &page.front;
    for (field, missing) in [
        ("starts", front.starts.is_none()),
        ("ends", front.ends.is_none()),
        ("banner", front.banner.is_none()),
    ] {
        if missing {
            problems.push(
                title_error(page, format!("this campaign has no `{field}`")).with_help(
                    "a campaign needs `starts` and `ends` (first and last day, YYYY-MM-DD) and a `banner` (one short sentence)",
                ),
            );
        }
    }
    if let (Some(starts), Some(ends)) = (&front.starts, &front.ends)
        && ends.value < starts.value
    {
        problems.push(
            Diagnostic::error(format!(
                "this campaign ends ({}) before it starts ({})",
                ends.value, starts.value
            ))
            .in_file(&page.file)
            .at_opt(page.location(ends, 10))
            .with_help("`ends` is the last day of the campaign; it may be the same day as `starts`, not earlier"),
        );
    }
    if let Some(banner) = &front.banner {
        let length = banner.value.chars().count();
        if banner.value.trim().is_empty() {
            problems.push(
                page.error_at(banner, "the banner text is empty")
                    .with_help("write one short sentence that says why to click"),
            );
        } else if length > MAX_BANNER {
            problems.push(
                page.error_at(banner, format!("the banner is {length} characters long; at most {MAX_BANNER} fit in one line on a phone"))
                    .with_help("shorten it; put the rest on the campaign page"),
            );
        }
    }
}

fn title_error(page: &Page, message: impl Into<String>) -> Diagnostic {
    page.error_at(&page.front.title, message)
}

/// A warning when `target` is a campaign that has ended on the site's day: a
/// link to it (in `file` at `location`) still sends readers to it, while its
/// banner, short link and feed entry are gone.
pub(crate) fn ended_campaign_link(
    site: &Site,
    target: &Page,
    file: &std::path::Path,
    location: Option<Location>,
) -> Option<Diagnostic> {
    if campaign::window(target, site.now) != Some(Window::Ended) {
        return None;
    }
    let ends = target.front.ends.as_ref()?.value;
    Some(
        Diagnostic::warning(format!(
            "this links to the campaign \"{}\" ({}), which ended on {ends}",
            target.title(),
            target.url
        ))
        .in_file(file)
        .at_opt(location)
        .with_help(
            "remove the link or point it at a page that is current; the campaign's page stays for old links and says it has ended",
        )
        .with_code("ended-campaign"),
    )
}

/// Every address is claimed once: a page's URL, an alias or a campaign's short
/// link (running or not, so a clash does not depend on the day of the build).
pub(super) fn claims(site: &Site, problems: &mut Vec<Diagnostic>) {
    let pages: HashMap<&str, &Page> = site
        .pages
        .iter()
        .map(|p| (redirects::key(&p.url), p))
        .collect();
    let mut seen: HashMap<&str, (&Page, &'static str)> = HashMap::new();
    for page in &site.pages {
        let claims = page
            .front
            .aliases
            .iter()
            .map(|a| (a, "alias"))
            .chain(page.front.short_url.iter().map(|s| (s, "short link")));
        for (value, what) in claims {
            if !redirects::is_plain_path(&value.value) {
                let help = if what == "alias" {
                    "write old addresses as paths starting with /, with letters, digits, - _ . and /, e.g. /oud/adres/"
                } else {
                    "write the short link as a path starting with /, with letters, digits, - _ . and /, e.g. /blijfinbeeld"
                };
                problems.push(
                    page.error_at(
                        value,
                        format!("the {what} `{}` is not a path of this site", value.value),
                    )
                    .with_help(help),
                );
                continue;
            }
            let key = redirects::key(&value.value);
            if let Some(other) = pages.get(key) {
                problems.push(
                    page.error_at(
                        value,
                        format!(
                            "the {what} {} is the URL of {}",
                            value.value,
                            other.file.display()
                        ),
                    )
                    .with_help(format!(
                        "{} must be an address no page has; change it here or move {}",
                        if what == "alias" {
                            "an alias"
                        } else {
                            "a short link"
                        },
                        other.file.display()
                    )),
                );
            } else if let Some((first, first_what)) = seen.get(key) {
                problems.push(
                    page.error_at(
                        value,
                        format!(
                            "the {what} {} is also claimed by {} (its {first_what})",
                            value.value,
                            first.file.display()
                        ),
                    )
                    .with_help(
                        "an address can lead to one page only: remove it from one of the two files",
                    ),
                );
            } else {
                seen.insert(key, (page, what));
            }
        }
    }
}
