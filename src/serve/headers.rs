//! The response headers of `netlify.toml`, applied by the preview server to every
//! response so that a Content-Security-Policy mistake shows while editing, not
//! after publishing.
//!
//! Only the `[[headers]]` tables are read. Their `for` patterns follow Netlify:
//! an exact path, `*` matching the rest of the path, `:name` matching one segment.
//! When several rules set the same header, the later one wins.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Location};

/// The file next to `content/` that holds the rules.
pub const FILE: &str = "netlify.toml";

/// The header rules of a site.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    pattern: String,
    values: Vec<(String, String)>,
}

#[derive(Deserialize)]
struct Netlify {
    #[serde(default)]
    headers: Vec<RawRule>,
}

#[derive(Deserialize)]
struct RawRule {
    #[serde(rename = "for")]
    pattern: String,
    #[serde(default)]
    values: toml::Table,
}

impl Rules {
    /// Read `netlify.toml` in `root`. No file means no rules.
    pub fn load(root: &Path) -> Result<Rules, Diagnostic> {
        let path = root.join(FILE);
        let source = match std::fs::read_to_string(&path) {
            Ok(source) => source,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Rules::default()),
            Err(err) => {
                return Err(Diagnostic::error(format!("cannot read {FILE}: {err}"))
                    .in_file(FILE)
                    .with_help("check that you may read the file"));
            }
        };
        Rules::parse(&source)
    }

    /// Parse the text of a `netlify.toml`.
    pub fn parse(source: &str) -> Result<Rules, Diagnostic> {
        let netlify: Netlify = toml::from_str(source).map_err(|err| {
            let location = err.span().map(|span| {
                Location::at_offset(source, span.start, span.end.saturating_sub(span.start))
            });
            Diagnostic::error(format!("{FILE} is not valid: {}", err.message()))
                .in_file(FILE)
                .at_opt(location)
                .with_help("headers are written as [[headers]] with for = \"/*\" and a [headers.values] table")
        })?;
        let mut rules = Vec::new();
        for raw in netlify.headers {
            let mut values = Vec::new();
            for (name, value) in raw.values {
                // Netlify allows a list for a header sent with several values.
                let text = match value {
                    toml::Value::String(s) => s,
                    toml::Value::Array(items) => items
                        .iter()
                        .filter_map(toml::Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", "),
                    other => other.to_string(),
                };
                values.push((name, text.split_whitespace().collect::<Vec<_>>().join(" ")));
            }
            rules.push(Rule {
                pattern: raw.pattern,
                values,
            });
        }
        Ok(Rules { rules })
    }

    /// The headers for a response to `path` (`/thema/gamen/`), later rules
    /// replacing earlier values of the same header.
    pub fn for_path(&self, path: &str) -> Vec<(String, String)> {
        let mut headers: Vec<(String, String)> = Vec::new();
        for rule in self.rules.iter().filter(|r| matches(&r.pattern, path)) {
            for (name, value) in &rule.values {
                headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
                headers.push((name.clone(), value.clone()));
            }
        }
        headers
    }
}

/// Whether a Netlify `for` pattern matches `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let mut pattern_parts = pattern.split('/');
    let mut path_parts = path.split('/');
    loop {
        match (pattern_parts.next(), path_parts.next()) {
            (Some("*"), _) => return true,
            (Some(p), Some(s)) if p.starts_with(':') && !s.is_empty() => {}
            (Some(p), Some(s)) if p == s => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// The production policy plus exactly what the preview adds: the live-reload
/// stream and the stylesheet swap connect to the preview itself
/// (`connect-src 'self'`). Nothing else changes; `upgrade-insecure-requests`
/// stays, as browsers leave requests to a loopback address alone (checked in
/// Chromium: stylesheet, script and fetch load over plain HTTP on 127.0.0.1).
pub fn serve_policy(policy: &str) -> String {
    let mut directives: Vec<String> = Vec::new();
    let mut has_connect = false;
    for directive in policy.split(';').map(str::trim).filter(|d| !d.is_empty()) {
        let name = directive.split_whitespace().next().unwrap_or_default();
        if name.eq_ignore_ascii_case("connect-src") {
            has_connect = true;
            if !directive.split_whitespace().any(|v| v == "'self'") {
                directives.push(format!("{directive} 'self'"));
                continue;
            }
        }
        directives.push(directive.to_string());
    }
    if !has_connect {
        directives.push("connect-src 'self'".into());
    }
    directives.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOML: &str = r#"
[build]
  command = "cargo run"
[[headers]]
  for = "/*"
  [headers.values]
    X-Frame-Options = "DENY"
    Cache-Control = "no-cache"
    Link = ["</a.css>; rel=preload", "</b.css>; rel=preload"]
[[headers]]
  for = "/css/*"
  [headers.values]
    Cache-Control = "public, max-age=31536000, immutable"
[[headers]]
  for = "/thema/:name/"
  [headers.values]
    X-Theme = "ja"
"#;

    #[test]
    fn rules_apply_in_order_with_netlify_patterns() {
        let rules = Rules::parse(TOML).unwrap_or_default();
        let get = |path: &str, name: &str| {
            rules
                .for_path(path)
                .into_iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v)
        };
        assert_eq!(get("/", "X-Frame-Options").as_deref(), Some("DENY"));
        assert_eq!(get("/", "Cache-Control").as_deref(), Some("no-cache"));
        assert_eq!(
            get("/css/main.abc.css", "Cache-Control").as_deref(),
            Some("public, max-age=31536000, immutable")
        );
        assert_eq!(
            get("/", "Link").as_deref(),
            Some("</a.css>; rel=preload, </b.css>; rel=preload")
        );
        assert_eq!(get("/thema/gamen/", "X-Theme").as_deref(), Some("ja"));
        assert_eq!(get("/thema/gamen/x/", "X-Theme"), None);
        assert_eq!(get("/thema//", "X-Theme"), None);
    }

    #[test]
    fn a_broken_file_names_the_line() {
        let err = Rules::parse("[[headers]]\nfor = \n").err();
        assert_eq!(err.and_then(|d| d.location).map(|l| l.line), Some(2));
    }

    #[test]
    fn the_serve_policy_adds_only_the_stream() {
        assert_eq!(
            serve_policy("default-src 'none'; script-src 'self'; upgrade-insecure-requests"),
            "default-src 'none'; script-src 'self'; upgrade-insecure-requests; connect-src 'self'"
        );
        assert_eq!(
            serve_policy("default-src 'none'; connect-src https://x.example"),
            "default-src 'none'; connect-src https://x.example 'self'"
        );
    }
}
