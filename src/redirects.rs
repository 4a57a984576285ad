//! Old and short addresses that lead to a page: `aliases` (permanent, 301) and the
//! `short_url` of a running campaign (temporary, 302). One list feeds the check
//! (two claims on one address), Netlify's `_redirects` and the HTML fallback pages
//! for hosts without `_redirects`.

use std::path::PathBuf;

use crate::campaign;
use crate::site::Site;
use crate::yaml::Spanned;

/// One redirect.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// The address as written (`/blijfinbeeld`).
    pub from: String,
    /// The page's URL.
    pub to: String,
    /// 301 for an alias, 302 for a campaign's short link.
    pub status: u16,
    /// The page that claims `from`.
    pub page: usize,
    /// The front-matter value, for errors.
    pub field: Spanned<String>,
    /// The file of that page.
    pub file: PathBuf,
}

impl Redirect {
    /// The address compared for clashes: `/a` and `/a/` are one address.
    pub fn key(&self) -> &str {
        key(&self.from)
    }

    /// Where the HTML fallback goes: `/a` and `/a/` both become `a/index.html`;
    /// an address with a file name (`/oud.html`) keeps it.
    pub fn fallback_path(&self) -> String {
        let trimmed = self.from.trim_matches('/');
        let last = trimmed.rsplit('/').next().unwrap_or("");
        if last.contains('.') {
            trimmed.to_string()
        } else {
            format!("{trimmed}/index.html")
        }
    }
}

/// An address without its trailing slash (the root stays `/`).
pub fn key(url: &str) -> &str {
    match url.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    }
}

/// Whether `from` is a plain path of this site that a redirect may claim.
pub fn is_plain_path(from: &str) -> bool {
    from.starts_with('/')
        && from.len() > 1
        && !from.contains("//")
        && !from.split('/').any(|s| s == "." || s == "..")
        && from
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '-' | '_' | '.' | '~'))
}

/// Every redirect of the site, in page order: aliases of every built page, and the
/// short links of campaigns running today.
pub fn all(site: &Site) -> Vec<Redirect> {
    let mut list = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        let claims = page.front.aliases.iter().map(|a| (a, 301)).chain(
            page.front
                .short_url
                .iter()
                .filter(|_| campaign::is_running(site, page))
                .map(|s| (s, 302)),
        );
        for (field, status) in claims {
            list.push(Redirect {
                from: field.value.clone(),
                to: page.url.clone(),
                status,
                page: i,
                field: field.clone(),
                file: page.file.clone(),
            });
        }
    }
    list
}

/// Netlify's `_redirects`: one rule per redirect. Rules are forced (`!`) because
/// each address also has its fallback page, which Netlify would otherwise serve
/// instead of following the rule.
pub fn netlify(redirects: &[Redirect]) -> String {
    redirects
        .iter()
        .map(|r| format!("{} {} {}!\n", r.from, r.to, r.status))
        .collect()
}

/// The fallback page of a redirect, for hosts without `_redirects`: an immediate
/// refresh and a visible link, no script, `noindex`.
pub fn fallback_html(site_title: &str, language: &str, base_url: &str, r: &Redirect) -> String {
    let to = escape(&r.to);
    let canonical = escape(&format!("{base_url}{}", r.to));
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>Doorverwijzing | {title}</title>\n<meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{canonical}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={to}\">\n</head>\n<body>\n\
         <main>\n<h1>Deze pagina staat op een ander adres</h1>\n\
         <p>Ga naar <a href=\"{to}\">{canonical}</a>.</p>\n</main>\n</body>\n</html>\n",
        lang = escape(language),
        title = escape(site_title),
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_with_and_without_slash_are_one_claim() {
        assert_eq!(key("/blijfinbeeld/"), "/blijfinbeeld");
        assert_eq!(key("/blijfinbeeld"), "/blijfinbeeld");
        assert_eq!(key("/"), "/");
    }

    #[test]
    fn plain_paths_only() {
        assert!(is_plain_path("/blijfinbeeld"));
        assert!(is_plain_path("/oud/adres/"));
        assert!(!is_plain_path("blijfinbeeld"));
        assert!(!is_plain_path("/"));
        assert!(!is_plain_path("/a/../b"));
        assert!(!is_plain_path("/a b"));
        assert!(!is_plain_path("https://example.org/"));
    }
}
