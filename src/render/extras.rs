//! Files besides the pages: static files, `sitemap.xml`, `robots.txt` and Netlify's
//! `_redirects`.
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
    mut files: Vec<(String, Vec<u8>)>,
) -> Vec<(String, Vec<u8>)> {
    for (path, bytes) in generated(site, terms) {
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

/// The generated text files: `sitemap.xml`, `robots.txt` and, when there are
/// aliases, Netlify's `_redirects`.
fn generated(site: &Site, terms: &TermIndex) -> Vec<(String, Vec<u8>)> {
    let mut files = vec![
        ("sitemap.xml".to_string(), sitemap(site, terms).into_bytes()),
        (
            "robots.txt".to_string(),
            format!(
                "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
                site.config.base_url.value
            )
            .into_bytes(),
        ),
    ];
    let redirects = redirects(site);
    if !redirects.is_empty() {
        files.push(("_redirects".to_string(), redirects.into_bytes()));
    }
    files
}

fn sitemap(site: &Site, terms: &TermIndex) -> String {
    let base = &site.config.base_url.value;
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for page in &site.pages {
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

/// `_redirects` lines for every alias: `old new 301`.
fn redirects(site: &Site) -> String {
    let mut lines = String::new();
    for page in &site.pages {
        for alias in &page.front.aliases {
            let _ = writeln!(lines, "{} {} 301", alias.value, page.url);
        }
    }
    lines
}
