//! Campaign windows: whether a campaign runs on a given day, and which banners a
//! page shows. A campaign runs from `starts` to `ends`, both days included, in
//! Europe/Amsterdam dates (the build's `--now`), so a daily rebuild opens and
//! closes it without a person.

use crate::content::{Kind, Page};
use crate::date::Date;
use crate::site::Site;

/// Banners shown on one page at most: a third would push the page itself down.
pub const MAX_BANNERS: usize = 2;

/// Where `now` falls in a campaign's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Before the first day.
    NotYet,
    /// From the first to the last day, both included.
    Running,
    /// After the last day.
    Ended,
}

/// The window of `page` on `now`; `None` when it is not a campaign or lacks its
/// dates (`check` reports that).
pub fn window(page: &Page, now: Date) -> Option<Window> {
    if page.kind() != Kind::Campaign {
        return None;
    }
    let starts = page.front.starts.as_ref()?.value;
    let ends = page.front.ends.as_ref()?.value;
    Some(if now < starts {
        Window::NotYet
    } else if now > ends {
        Window::Ended
    } else {
        Window::Running
    })
}

/// Whether `page` may be listed anywhere but at its own address: in section and
/// theme lists, counts, search, the sitemap and the feed. Every page but a
/// campaign outside its window, whose landing page stays reachable (`noindex`)
/// for old links and is shown nowhere else.
pub fn is_listed(site: &Site, page: &Page) -> bool {
    window(page, site.now).is_none_or(|w| w == Window::Running)
}

/// Whether `page` is a campaign that runs on the site's day.
pub fn is_running(site: &Site, page: &Page) -> bool {
    window(page, site.now) == Some(Window::Running)
}

/// Whether links on `page` speak to today's readers, so a link to an ended
/// campaign there is out of date. A news item is dated history and a campaign
/// outside its own window says so on its page: both may name an ended campaign.
pub fn links_are_current(site: &Site, page: &Page) -> bool {
    match page.kind() {
        Kind::News => false,
        Kind::Campaign => is_running(site, page),
        _ => true,
    }
}

/// The running campaigns, in banner order: `weight` (lowest first), then the
/// earliest start, then the title.
pub fn running(site: &Site) -> Vec<usize> {
    let mut list: Vec<usize> = (0..site.pages.len())
        .filter(|&i| is_running(site, &site.pages[i]))
        .collect();
    list.sort_by_cached_key(|&i| {
        let front = &site.pages[i].front;
        (
            front.weight.unwrap_or(i64::MAX),
            front.starts.as_ref().map(|s| s.value),
            site.pages[i].title().to_lowercase(),
        )
    });
    list
}

/// The banners of a page with these theme slugs: running campaigns (from
/// [`running`]) for the whole site or for one of the themes, at most
/// [`MAX_BANNERS`]. A campaign's own landing page does not announce itself.
pub fn banners<'a>(
    site: &Site,
    running: &[usize],
    themes: impl Iterator<Item = &'a str> + Clone,
    own: Option<usize>,
) -> Vec<usize> {
    running
        .iter()
        .copied()
        .filter(|&i| Some(i) != own)
        .filter(|&i| {
            let wanted = &site.pages[i].front.themes;
            wanted.is_empty() || themes.clone().any(|t| wanted.iter().any(|w| w.value == t))
        })
        .take(MAX_BANNERS)
        .collect()
}
