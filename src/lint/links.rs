//! Resolving the links of a page against what the build wrote: a hash lookup
//! per link (the output path, then the ids on that page), after reading site
//! paths, content paths (`@/…`) and full addresses of the site alike. Links to
//! other websites are listed, never fetched.

use std::collections::HashMap;

use super::ExternalLink;
use super::html;
use super::rendered::Facts;
use super::source::{Link, PageLints};
use crate::content::Page;
use crate::diagnostics::{Diagnostic, Location};
use crate::site::Site;
use crate::urls::SiteUrls;

/// What resolving a link needs: the site, its URLs and the files render made.
pub(super) struct Resolver<'a> {
    pub(super) site: &'a Site,
    pub(super) urls: &'a SiteUrls,
    pub(super) files: &'a HashMap<String, Option<Facts>>,
    /// Output path → index of the content page written there.
    pub(super) by_output: &'a HashMap<String, usize>,
    pub(super) own_host: &'a str,
}

impl Resolver<'_> {
    /// Check one link of `page`.
    pub(super) fn resolve(
        &self,
        page: &Page,
        link: &Link,
        problems: &mut Vec<Diagnostic>,
        external: &mut Vec<ExternalLink>,
    ) {
        let (urls, files, own_host) = (self.urls, self.files, self.own_host);
        let dest = link.dest.trim();
        let at = || Location::at_offset(&page.source, link.offset, link.width);
        let lower = dest.get(..8).unwrap_or(dest).to_ascii_lowercase();
        if dest.is_empty() || lower.starts_with("mailto:") || lower.starts_with("tel:") {
            return;
        }
        let is_own = html::host(dest).is_some_and(|h| h == own_host);
        if html::host(dest).is_some() && !is_own {
            let location = at();
            if lower.starts_with("http://") {
                problems.push(
                Diagnostic::warning(format!("this link uses http: {dest}"))
                    .in_file(&page.file)
                    .at(location.clone())
                    .with_help("use https:// if the website offers it (nearly all do): http can be read and changed on the way")
                    .with_code("http-link"),
            );
            }
            // Images from other hosts are errors already (third-party), not links.
            if link.image {
                return;
            }
            external.push(ExternalLink {
                url: dest.to_string(),
                file: page.file.clone(),
                line: location.line,
                column: location.column,
            });
            return;
        }
        let fragment = dest.split_once('#').map(|(_, f)| percent_decode(f));
        let path = if dest.starts_with('#') {
            page.url.clone()
        } else if dest.starts_with("@/") || is_own || dest.starts_with('/') {
            let Some(path) = urls.path_of(dest) else {
                let file = dest.trim_start_matches("@/");
                let file = file.split('#').next().unwrap_or(file);
                let hint = urls.suggest_file(file).map_or_else(
                    || {
                        "write the file's path below content/, e.g. @/thema/gamen/loot-boxes.md"
                            .to_string()
                    },
                    |best| format!("did you mean @/{best}?"),
                );
                problems.push(broken(
                    page,
                    at(),
                    format!("the link {dest} points to a file that is not a page of the site"),
                    hint,
                ));
                return;
            };
            path.to_string()
        } else if dest.contains(':') && !dest.starts_with('.') {
            // Some other scheme (already limited by the markdown renderer).
            return;
        } else {
            join(&page.url, dest.split(['#', '?']).next().unwrap_or(dest))
        };
        let path = percent_decode(path.split(['#', '?']).next().unwrap_or(&path));
        let relative = path.trim_start_matches('/');
        let candidates = if relative.is_empty() || relative.ends_with('/') {
            vec![format!("{relative}index.html")]
        } else {
            vec![relative.to_string(), format!("{relative}/index.html")]
        };
        let Some((target, facts)) = candidates.iter().find_map(|c| files.get(c).map(|f| (c, f)))
        else {
            if let Some(unbuilt) = urls.unbuilt(&path) {
                problems.push(unbuilt_link(page, link, dest, unbuilt));
                return;
            }
            // A campaign's short link leads somewhere only while it runs.
            let campaign = self.site.pages.iter().find(|p| {
                p.front.short_url.as_ref().is_some_and(|s| {
                    crate::redirects::key(&s.value) == crate::redirects::key(&path)
                })
            });
            let hint = match (campaign, urls.suggest(&path)) {
                (Some(campaign), _) => format!(
                    "{path} is the short link of the campaign \"{}\", which works only while it runs ({} to {}); link to {} instead",
                    campaign.title(),
                    campaign
                        .front
                        .starts
                        .as_ref()
                        .map_or_else(String::new, |d| d.value.to_string()),
                    campaign
                        .front
                        .ends
                        .as_ref()
                        .map_or_else(String::new, |d| d.value.to_string()),
                    campaign.url
                ),
                (None, Some(best)) => format!("did you mean {best}?"),
                (None, None) => {
                    "link to a page of this site (like /thema/gamen/) or a file in static/".into()
                }
            };
            let what = if link.image { "image" } else { "link" };
            let message = if dest.split(['#', '?']).next() == Some(path.as_str()) {
                format!("the {what} {dest} points to a page or file the site does not have")
            } else {
                format!("the {what} {dest} points to {path}, which the site does not have")
            };
            problems.push(broken(page, at(), message, hint));
            return;
        };
        if let (Some(fragment), Some(facts)) = (fragment, facts)
            && !fragment.is_empty()
            && fragment != "top"
            && !facts.ids.contains(&fragment)
        {
            let best =
                crate::diagnostics::did_you_mean(&fragment, facts.ids.iter().map(String::as_str));
            let hint = match best {
                Some(best) => format!("did you mean #{best}?"),
                None => format!(
                    "the anchor is a heading's id: `## Kop` has the id `kop`; {} has no such id",
                    target
                ),
            };
            problems.push(
                Diagnostic::error(format!("the anchor #{fragment} does not exist on {path}"))
                    .in_file(&page.file)
                    .at(at())
                    .with_help(hint)
                    .with_code("broken-anchor"),
            );
        }
        if let Some(&i) = self.by_output.get(target.as_str())
            && crate::campaign::links_are_current(self.site, page)
        {
            problems.extend(crate::check::publishing::ended_campaign_link(
                self.site,
                &self.site.pages[i],
                &page.file,
                Some(at()),
            ));
        }
    }
}

/// Links to pages that are not built today (drafts, publication window), found
/// without rendering: a build that stops at the check stage still reports them
/// together with everything else. (After a render, [`Resolver::resolve`]
/// reports them.)
pub fn unbuilt_links(site: &Site, urls: &SiteUrls, lints: &[PageLints]) -> Vec<Diagnostic> {
    let own = super::own_host(site);
    let mut problems = Vec::new();
    for (lint, page) in lints.iter().zip(&site.pages) {
        for link in &lint.links {
            let dest = link.dest.trim();
            let is_own = html::host(dest).is_some_and(|h| h == own);
            let path = if dest.starts_with("@/") || is_own || dest.starts_with('/') {
                urls.path_of(dest).map(str::to_string)
            } else if dest.contains(':') || dest.starts_with('#') {
                None
            } else {
                Some(join(
                    &page.url,
                    dest.split(['#', '?']).next().unwrap_or(dest),
                ))
            };
            let Some(path) = path else { continue };
            let path = percent_decode(path.split(['#', '?']).next().unwrap_or(&path));
            if let Some(unbuilt) = urls.unbuilt(&path) {
                problems.push(unbuilt_link(page, link, dest, unbuilt));
            }
        }
    }
    problems
}

fn unbuilt_link(
    page: &Page,
    link: &Link,
    dest: &str,
    unbuilt: &crate::content::Unbuilt,
) -> Diagnostic {
    let what = if link.image { "image" } else { "link" };
    broken(
        page,
        Location::at_offset(&page.source, link.offset, link.width),
        format!("the {what} {dest} points to {}", unbuilt.describe()),
        unbuilt.help(),
    )
}

fn broken(page: &Page, at: Location, message: String, help: String) -> Diagnostic {
    Diagnostic::error(message)
        .in_file(&page.file)
        .at(at)
        .with_help(help)
        .with_code("broken-link")
}

/// `rel` relative to the folder URL `base` (`/a/b/` + `../c/` → `/a/c/`).
fn join(base: &str, rel: &str) -> String {
    let mut segments: Vec<&str> = base.split('/').filter(|s| !s.is_empty()).collect();
    let trailing = rel.ends_with('/') || rel.is_empty();
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut url = String::from("/");
    url.push_str(&segments.join("/"));
    if trailing && !segments.is_empty() {
        url.push('/');
    }
    url
}

/// `%20` → space; invalid escapes stay as written.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_links() {
        assert_eq!(join("/a/b/", "../c/"), "/a/c/");
        assert_eq!(join("/a/b/", "c/"), "/a/b/c/");
        assert_eq!(join("/a/b/", "./img/x.png"), "/a/b/img/x.png");
        assert_eq!(join("/", "../../x/"), "/x/");
    }

    #[test]
    fn decodes_percent_escapes() {
        assert_eq!(percent_decode("a%20b"), "a b");
        assert_eq!(percent_decode("%zz%2"), "%zz%2");
        assert_eq!(percent_decode("caf%C3%A9"), "café");
    }
}
