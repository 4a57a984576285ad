//! The one YAML reader of the project (front matter, `site.yaml`, rule files).
//!
//! It wraps serde-saphyr with strict settings (duplicate keys are errors, `no` and
//! `yes` stay text where text is expected, a budget against alias bombs) and turns its
//! errors into [`Diagnostic`]s that point into the *original* file, rewritten in words
//! an editor understands.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Location, did_you_mean};

pub use serde_saphyr::Spanned;

/// Where a YAML text sits inside its file, so errors point at the file's own lines.
#[derive(Debug, Clone, Copy)]
pub struct Embedding<'a> {
    /// The whole file the YAML was taken from.
    pub file_source: &'a str,
    /// How many lines of the file come before the YAML text.
    pub line_offset: usize,
}

/// Parse `yaml` into `T`. `file` names the source in the diagnostic; `embedding`
/// says where the YAML sits in that file (for front matter).
pub fn parse<T: DeserializeOwned>(
    yaml: &str,
    file: &Path,
    embedding: Embedding<'_>,
) -> Result<T, Diagnostic> {
    let mut budget = serde_saphyr::Budget::default();
    // Editors' files need few aliases, if any; a billion-laughs file needs many.
    budget.max_aliases = 100;
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        duplicate_keys: serde_saphyr::DuplicateKeyPolicy::Error,
        budget: Some(budget),
    };
    serde_saphyr::from_str_with_options(yaml, options)
        .map_err(|err| to_diagnostic(&err, yaml, file, embedding))
}

/// The location of a spanned value in the original file.
pub fn location_of<T>(
    spanned: &Spanned<T>,
    embedding: Embedding<'_>,
    width: usize,
) -> Option<Location> {
    let loc = spanned.referenced;
    let line = usize::try_from(loc.line()).ok()?;
    let column = usize::try_from(loc.column()).ok()?;
    if line == 0 {
        return None;
    }
    Some(Location::in_source(
        embedding.file_source,
        line + embedding.line_offset,
        column,
        width,
    ))
}

fn to_diagnostic(
    err: &serde_saphyr::Error,
    yaml: &str,
    file: &Path,
    embedding: Embedding<'_>,
) -> Diagnostic {
    let raw = err.without_snippet().to_string();
    let raw = strip_position_suffix(&raw);
    let position = err.location().and_then(|loc| {
        let line = usize::try_from(loc.line()).ok().filter(|l| *l > 0)?;
        let column = usize::try_from(loc.column()).ok()?.max(1);
        Some((line, column))
    });
    let found = position
        .map(|(line, column)| token_at(yaml, line, column))
        .unwrap_or_default();
    let (message, help) = explain(raw, &found);
    let location = position.map(|(line, column)| {
        Location::in_source(
            embedding.file_source,
            line + embedding.line_offset,
            column,
            found.chars().count(),
        )
    });
    let mut diagnostic = Diagnostic::error(message).in_file(file).at_opt(location);
    if let Some(help) = help {
        diagnostic = diagnostic.with_help(help);
    }
    diagnostic
}

/// serde-saphyr appends " at line X column Y" to some messages; we show the position
/// ourselves, in the coordinates of the whole file.
fn strip_position_suffix(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

/// The word or value starting at `line`:`column` of `yaml`.
fn token_at(yaml: &str, line: usize, column: usize) -> String {
    yaml.lines()
        .nth(line.saturating_sub(1))
        .map(|l| {
            l.chars()
                .skip(column.saturating_sub(1))
                .take_while(|c| !matches!(c, ':' | ',' | '}' | ']' | '#'))
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .unwrap_or_default()
}

/// Turn the parser's developer wording into an editor's message and a hint.
/// `found` is the text of the offending value in the source.
fn explain(raw: &str, found: &str) -> (String, Option<String>) {
    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let (field, expected) = rest.split_once('`').unwrap_or((rest, ""));
        return (
            format!("unknown field `{field}`"),
            Some(suggest(field, expected, "fields")),
        );
    }
    if let Some(rest) = raw.strip_prefix("unknown variant `") {
        let (value, expected) = rest.split_once('`').unwrap_or((rest, ""));
        return (
            format!("unknown value `{value}`"),
            Some(suggest(value, expected, "values")),
        );
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or(rest);
        return (
            format!("missing required field `{field}`"),
            Some(format!("add a line `{field}: ...`")),
        );
    }
    let expected = if raw.starts_with("invalid i") || raw.starts_with("invalid u") {
        Some((
            "a whole number",
            "write a number without quotes, e.g. `weight: 10`",
        ))
    } else if raw.starts_with("invalid boolean") {
        Some((
            "`true` or `false`",
            "write `true` or `false`; `yes`, `no`, `on` and `off` are not accepted",
        ))
    } else if raw.starts_with("expected sequence") {
        Some((
            "a list",
            "write a list, e.g. `[a, b]` or one `- item` per line",
        ))
    } else if raw.starts_with("expected string") {
        Some(("text", "write the text on the same line after the colon"))
    } else if raw.starts_with("expected mapping") || raw.starts_with("expected map") {
        Some((
            "a set of `field: value` lines",
            "indent the fields below this line",
        ))
    } else {
        None
    };
    if let Some((what, hint)) = expected {
        let found = if found.is_empty() {
            String::new()
        } else {
            format!(", found `{found}`")
        };
        return (format!("expected {what}{found}"), Some(hint.to_string()));
    }
    if let Some(rest) = raw.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest);
        return (
            format!("the key `{key}` appears twice"),
            Some("each key may appear only once; remove or rename one of them".into()),
        );
    }
    if raw.contains("tab") {
        return (
            raw.to_string(),
            Some("YAML indents with spaces only; replace the tab by spaces".into()),
        );
    }
    if raw.contains("budget") || raw.contains("alias") {
        return (
            "this file uses too many YAML aliases (`*name`), or expands to too much data"
                .to_string(),
            Some("this expands to too much data (an alias bomb?); write the values out".into()),
        );
    }
    if raw.contains("mapping values are not allowed") {
        return (
            "a colon inside a value".into(),
            Some("put the value in quotes: `title: \"Let op: dit\"`".into()),
        );
    }
    (raw.to_string(), None)
}

/// "did you mean" plus the allowed words, from "expected one of a, b, c".
fn suggest(word: &str, expected: &str, what: &str) -> String {
    let list = expected
        .trim_start_matches(',')
        .trim()
        .trim_start_matches("expected one of")
        .trim_start_matches("expected")
        .trim();
    let allowed: Vec<&str> = list
        .split(',')
        .map(|w| w.trim().trim_matches('`'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut help = match did_you_mean(word, allowed.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? "),
        None => String::new(),
    };
    help.push_str(&format!("Allowed {what}: {}.", allowed.join(", ")));
    help
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Fm {
        title: String,
        #[serde(default)]
        weight: Option<i64>,
        #[serde(default)]
        draft: bool,
    }

    fn err(yaml: &str) -> Diagnostic {
        let src = format!("---\n{yaml}---\nbody\n");
        let emb = Embedding {
            file_source: &src,
            line_offset: 1,
        };
        match parse::<Fm>(yaml, Path::new("a.md"), emb) {
            Ok(v) => Diagnostic::error(format!("unexpectedly parsed {v:?}")),
            Err(d) => d,
        }
    }

    #[test]
    fn unknown_field_suggests_the_closest() {
        let d = err("title: x\ntitel: y\n");
        assert_eq!(d.message, "unknown field `titel`");
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(3));
        assert!(
            d.help
                .as_deref()
                .unwrap_or("")
                .starts_with("did you mean `title`?")
        );
    }

    #[test]
    fn wrong_type_is_explained() {
        let d = err("title: x\nweight: \"hoog\"\n");
        assert_eq!(d.message, "expected a whole number, found `\"hoog\"`");
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(3));
    }

    #[test]
    fn missing_field_is_named() {
        let d = err("weight: 1\n");
        assert_eq!(d.message, "missing required field `title`");
    }

    #[test]
    fn no_stays_text_and_is_not_a_boolean() {
        let d = err("title: x\ndraft: no\n");
        assert_eq!(d.message, "expected `true` or `false`, found `no`");
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let d = err("title: x\ntitle: y\n");
        assert_eq!(d.message, "the key `title` appears twice");
        assert_eq!(d.location.as_ref().map(|l| l.line), Some(3));
    }
}
