//! The response headers `netlify.toml` sets, so the test server sends what the live
//! site sends: the browser gates run under the real Content-Security-Policy, and the
//! header score is taken from real responses.

use std::path::Path;

/// One `[[headers]]` rule: a path pattern and the headers for paths that match it.
#[derive(Debug, Clone)]
pub struct HeaderRule {
    pub pattern: String,
    pub values: Vec<(String, String)>,
}

/// The `[[headers]]` rules of the repository's `netlify.toml`.
pub fn header_rules() -> Vec<HeaderRule> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("netlify.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse_header_rules(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Parse the `[[headers]]` tables of a netlify.toml.
pub fn parse_header_rules(text: &str) -> Result<Vec<HeaderRule>, String> {
    let doc: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    let Some(rules) = doc.get("headers") else {
        return Ok(Vec::new());
    };
    let rules = rules
        .as_array()
        .ok_or("`headers` is not an array of tables")?;
    let mut out = Vec::new();
    for rule in rules {
        let pattern = rule
            .get("for")
            .and_then(|v| v.as_str())
            .ok_or("a [[headers]] rule without `for`")?;
        let mut values = Vec::new();
        if let Some(table) = rule.get("values").and_then(|v| v.as_table()) {
            for (name, value) in table {
                let value = value
                    .as_str()
                    .ok_or_else(|| format!("header {name} is not a string"))?;
                // Netlify folds multi-line values into one line.
                let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
                values.push((name.clone(), value));
            }
        }
        out.push(HeaderRule {
            pattern: pattern.to_owned(),
            values,
        });
    }
    Ok(out)
}

/// Whether a Netlify `for` pattern matches `path`: exact, or a prefix ending in `*`.
pub fn matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path || pattern.trim_end_matches('/') == path.trim_end_matches('/'),
    }
}

/// The headers for `path`: every matching rule in order; a name set by two rules gets
/// both values, comma-separated, as Netlify does.
pub fn headers_for(rules: &[HeaderRule], path: &str) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for rule in rules.iter().filter(|r| matches(&r.pattern, path)) {
        for (name, value) in &rule.values {
            match headers
                .iter_mut()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                Some((_, v)) => {
                    v.push_str(", ");
                    v.push_str(value);
                }
                None => headers.push((name.clone(), value.clone())),
            }
        }
    }
    headers
}
