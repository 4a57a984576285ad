//! Files besides the pages: static files, `sitemap.xml`, `robots.txt`, the Atom
//! feed, and the redirects (Netlify's `_redirects` and a fallback page for each).
//!
//! One rule for a static file (theme, `static/` or beside a page) with the path of
//! something wegwijs writes: a page or an asset is an error naming the file, since
//! the site links to them; `robots.txt` and `sitemap.xml` from the site replace the
//! generated ones (a site may need its own `Disallow:` lines), and a site's own
//! `_redirects` is kept with the alias redirects added below its lines. Every path
//! is handed to the sink once, so the file count is true.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;

use rayon::prelude::*;

use super::TermIndex;
use crate::config::Taxonomy;
use crate::diagnostics::Diagnostic;
use crate::output::StaticFile;
use crate::redirects::Redirect;
use crate::site::Site;

/// The static files (theme and site), read in parallel; one that would take the
/// path of a generated file (in `taken`) is a problem.
pub fn static_files(
    site: &Site,
    taken: &HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(String, Vec<u8>)> {
    let files: Vec<&StaticFile> = site
        .theme
        .static_files
        .iter()
        .chain(&site.content_files)
        .collect();
    let read: Vec<std::io::Result<Vec<u8>>> =
        files.par_iter().map(|f| std::fs::read(&f.src)).collect();
    let mut found = Vec::with_capacity(files.len());
    // Theme files the site overrides are gone already (see `theme::load`); a
    // file in `static/` and one beside a page can still share a path.
    let mut seen: HashMap<&str, &std::path::Path> = HashMap::new();
    for (bytes, file) in read.into_iter().zip(files) {
        let shown = file.src.strip_prefix(&site.root).unwrap_or(&file.src);
        if let Some(first) = seen.insert(&file.out, shown) {
            problems.push(
                Diagnostic::error(format!(
                    "the file {} is also written from {}",
                    file.out,
                    first.display()
                ))
                .in_file(shown)
                .with_help("keep one of the two files"),
            );
            continue;
        }
        match bytes {
            Ok(_) if taken.contains(&file.out) => problems.push(
                Diagnostic::error(format!(
                    "the file {} would replace a generated page",
                    file.out
                ))
                .in_file(shown)
                .with_help("rename or move the file"),
            ),
            Ok(bytes) => found.push((file.out.clone(), bytes)),
            Err(err) => problems.push(
                Diagnostic::error(format!("cannot read this file: {err}"))
                    .in_file(shown)
                    .with_help("check that the file exists and that you may read it"),
            ),
        }
    }
    found
}

/// `files` (the static files) and the generated text files, by the rule in the
/// module doc: the site's `robots.txt` and `sitemap.xml` win, its `_redirects`
/// gets the alias redirects added.
pub fn with_generated(
    site: &Site,
    terms: &TermIndex,
    redirects: &[Redirect],
    mut files: Vec<(String, Vec<u8>)>,
) -> Vec<(String, Vec<u8>)> {
    for (path, bytes) in generated(site, terms, redirects) {
        match files.iter_mut().find(|(own, _)| *own == path) {
            Some((_, own)) if path == "_redirects" => {
                if !own.is_empty() && !own.ends_with(b"\n") {
                    own.push(b'\n');
                }
                own.extend(bytes);
            }
            Some(_) => {}
            None => files.push((path, bytes)),
        }
    }
    files
}

/// The generated files: `sitemap.xml`, `robots.txt`, `feed.xml` and, when there
/// are redirects, Netlify's `_redirects` with a fallback page for each.
fn generated(site: &Site, terms: &TermIndex, redirects: &[Redirect]) -> Vec<(String, Vec<u8>)> {
    let robots = if site.noindex {
        // A deploy preview: nothing of it belongs in a search engine.
        "User-agent: *\nDisallow: /\n".to_string()
    } else {
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            site.config.base_url.value
        )
    };
    let mut files = vec![
        ("sitemap.xml".to_string(), sitemap(site, terms).into_bytes()),
        ("robots.txt".to_string(), robots.into_bytes()),
    ];
    if site.noindex {
        // Netlify adds these to the headers of netlify.toml.
        files.push((
            "_headers".to_string(),
            b"/*\n  X-Robots-Tag: noindex\n".to_vec(),
        ));
    }
    files.push((
        super::feed::FEED_PATH.to_string(),
        super::feed::atom(site).into_bytes(),
    ));
    if !redirects.is_empty() {
        files.push((
            "_redirects".to_string(),
            crate::redirects::netlify(redirects).into_bytes(),
        ));
        let config = &site.config;
        for redirect in redirects {
            files.push((
                redirect.fallback_path(),
                crate::redirects::fallback_html(
                    &config.title,
                    &config.language,
                    &config.base_url.value,
                    redirect,
                )
                .into_bytes(),
            ));
        }
    }
    files
}

/// Redirect fallback pages may not replace a generated page or file (a clash with
/// a content page was reported by `check`).
pub fn check_redirects(
    site: &Site,
    redirects: &[Redirect],
    taken: &HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) {
    for redirect in redirects {
        if taken.contains(&redirect.fallback_path()) {
            problems.push(
                site.pages[redirect.page]
                    .error_at(
                        &redirect.field,
                        format!("{} is an address wegwijs generates itself", redirect.from),
                    )
                    .with_help("choose another address"),
            );
        }
    }
}

fn sitemap(site: &Site, terms: &TermIndex) -> String {
    let base = &site.config.base_url.value;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    // Drafts (with --drafts) and campaigns outside their window are not for search
    // engines; review pages and no-JS tool steps are not listed at all.
    for page in site
        .pages
        .iter()
        .filter(|p| !p.front.draft && crate::campaign::is_listed(site, p))
    {
        let lastmod = page
            .front
            .reviewed
            .as_ref()
            .map(|r| r.value)
            .or(page.front.date);
        let _ = write!(
            xml,
            "<url><loc>{}</loc>",
            escape_xml(&format!("{base}{}", page.url))
        );
        if let Some(date) = lastmod {
            let _ = write!(xml, "<lastmod>{date}</lastmod>");
        }
        xml.push_str("</url>\n");
    }
    for tool in &site.tools {
        let _ = writeln!(
            xml,
            "<url><loc>{}</loc><lastmod>{}</lastmod></url>",
            escape_xml(&format!("{base}{}", super::tools::start_url(&tool.tree))),
            tool.tree.reviewed
        );
    }
    for taxonomy in Taxonomy::ALL {
        if site.config.terms(taxonomy).is_empty() {
            continue;
        }
        let _ = writeln!(
            xml,
            "<url><loc>{}</loc></url>",
            escape_xml(&format!("{base}{}", taxonomy.url_base()))
        );
        for (name, slug) in terms.keys() {
            if *name == taxonomy.field() {
                let _ = writeln!(
                    xml,
                    "<url><loc>{}</loc></url>",
                    escape_xml(&format!("{base}{}{slug}/", taxonomy.url_base()))
                );
            }
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
