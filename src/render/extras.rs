//! Files besides the pages: static files, `sitemap.xml`, `robots.txt` and Netlify's
//! `_redirects`.

use std::fmt::Write as _;

use rayon::prelude::*;

use super::TermIndex;
use crate::config::Taxonomy;
use crate::diagnostics::Diagnostic;
use crate::output::{Output, StaticFile};
use crate::site::Site;

/// Add static files and generated text files to `output`.
pub fn add(site: &Site, output: &mut Output, terms: &TermIndex, problems: &mut Vec<Diagnostic>) {
    let files: Vec<&StaticFile> = site
        .theme
        .static_files
        .iter()
        .chain(&site.content_files)
        .collect();
    let read: Vec<(String, std::io::Result<Vec<u8>>)> = files
        .par_iter()
        .map(|f| (f.out.clone(), std::fs::read(&f.src)))
        .collect();
    for ((out, bytes), file) in read.into_iter().zip(files) {
        match bytes {
            Ok(_) if output.contains(&out) => problems.push(
                Diagnostic::error(format!("the file {out} would replace a generated page"))
                    .in_file(file.src.strip_prefix(&site.root).unwrap_or(&file.src))
                    .with_help("rename or move the file"),
            ),
            Ok(bytes) => output.insert(out, bytes),
            Err(err) => problems.push(
                Diagnostic::error(format!("cannot read this file: {err}"))
                    .in_file(file.src.strip_prefix(&site.root).unwrap_or(&file.src))
                    .with_help("check that the file exists and that you may read it"),
            ),
        }
    }
    output.insert("sitemap.xml", sitemap(site, terms).into_bytes());
    output.insert(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}/sitemap.xml\n",
            site.config.base_url.value
        )
        .into_bytes(),
    );
    let redirects = redirects(site);
    if !redirects.is_empty() {
        output.insert("_redirects", redirects.into_bytes());
    }
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
