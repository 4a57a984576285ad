//! The built site in memory: output path → bytes. Rendering fills it; `write` puts
//! it on disk in one swap, and a dev server can answer from it directly.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// A file copied as it is (theme static files, `static/`, files beside pages).
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Output path, `/`-separated, relative to the output root (`img/logo.svg`).
    pub out: String,
    /// Where to read it.
    pub src: PathBuf,
}

/// The whole built site, keyed by output path (`thema/gamen/index.html`).
#[derive(Debug, Default)]
pub struct Output {
    files: BTreeMap<String, Vec<u8>>,
}

impl Output {
    /// Add or replace a file.
    pub fn insert(&mut self, path: impl Into<String>, bytes: Vec<u8>) {
        self.files.insert(path.into(), bytes);
    }

    /// A file's bytes.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// Whether a file exists.
    pub fn contains(&self, path: &str) -> bool {
        self.files.contains_key(path)
    }

    /// All files, in path order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    /// How many files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// Minify an HTML page, keeping it valid HTML (closing tags, `<html>` and `<head>`
/// kept, attribute values quoted where the spec needs it).
pub fn minify_html(html: &str) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html.as_bytes(), &cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_html_keeps_structure() {
        let html = "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n  <title>A &amp; B</title>\n</head>\n<body>\n  <p>  tekst  </p>\n</body>\n</html>\n";
        let out = String::from_utf8(minify_html(html)).unwrap_or_default();
        assert!(
            out.starts_with("<!doctype html><html lang=nl><head>"),
            "{out}"
        );
        assert!(out.contains("</p>"), "{out}");
        assert!(out.len() < html.len());
    }
}
