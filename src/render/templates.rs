//! Compiling the theme's Tera templates, and turning Tera's errors into diagnostics
//! that name the template file and line.

use std::error::Error as _;

use serde_json::Value;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::theme::{TemplateFile, Theme};

/// Parse every template of `theme`.
pub fn compile(theme: &Theme) -> Result<Tera, Vec<Diagnostic>> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    let sources = theme
        .templates
        .iter()
        .map(|t| (t.name.as_str(), t.source.as_str()));
    match tera.add_raw_templates(sources) {
        Ok(()) => Ok(tera),
        Err(err) => Err(vec![parse_error(&err, theme)]),
    }
}

/// Autoescape for HTML text and quoted attribute values: `&`, `<`, `>`, `"` and
/// `'`. Tera's own also writes `/` as `&#x2F;`, which no context here needs
/// (attribute values in templates are quoted; see docs/templates.md) and which
/// made every URL in a page longer.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut done = 0;
    for (i, byte) in text.bytes().enumerate() {
        let entity = match byte {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[done..i]);
        out.push_str(entity);
        done = i + 1;
    }
    out.push_str(&text[done..]);
    out
}

/// All messages of an error and its causes.
fn chain(err: &tera::Error) -> Vec<String> {
    let mut messages = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        messages.push(cause.to_string());
        source = cause.source();
    }
    messages
}

/// The first `'name'` or `"name"` quoted in `text`.
fn quoted(text: &str) -> Option<&str> {
    let start = text.find(['\'', '"'])?;
    let quote = text[start..].chars().next()?;
    let rest = &text[start + 1..];
    rest.find(quote).map(|end| &rest[..end])
}

fn parse_error(err: &tera::Error, theme: &Theme) -> Diagnostic {
    let messages = chain(err);
    let template = messages
        .iter()
        .find_map(|m| quoted(m))
        .and_then(|n| theme.template(n));
    let detail = messages.last().cloned().unwrap_or_default();
    let position = detail.lines().find_map(|l| {
        let (line, column) = l.trim().strip_prefix("--> ")?.split_once(':')?;
        Some((
            line.trim().parse::<usize>().ok()?,
            column.trim().parse::<usize>().ok()?,
        ))
    });
    let explanation = detail
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .map_or_else(
            || detail.lines().next().unwrap_or_default().to_string(),
            str::to_string,
        );
    let mut diagnostic = Diagnostic::error(format!("template error: {explanation}")).with_help(
        "check the `{{ }}` and `{% %}` tags at this place; every block needs its `{% end... %}`",
    );
    if let Some(template) = template {
        diagnostic = diagnostic.in_file(&template.file);
        if let Some((line, column)) = position {
            diagnostic = diagnostic.at(Location::in_source(&template.source, line, column, 1));
        }
    }
    diagnostic
}

/// Explain an error that happened while rendering `template` for a page.
/// `context` is the data the template had, to suggest the right variable.
pub fn render_error(
    err: &tera::Error,
    template: &str,
    theme: &Theme,
    context: &Value,
) -> Diagnostic {
    let messages = chain(err);
    let detail = messages.last().cloned().unwrap_or_default();
    // "Variable `page.titel` not found in context while rendering 'page.html'"
    let in_template = detail
        .rsplit_once("while rendering ")
        .and_then(|(_, name)| quoted(name))
        .unwrap_or(template);
    if let Some(variable) = detail
        .strip_prefix("Variable `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(v, _)| v)
    {
        let mut diagnostic = Diagnostic::error(format!(
            "the template uses `{variable}`, which does not exist here"
        ))
        .with_help(variable_hint(variable, context));
        if let Some((file, location)) = find_use(theme, in_template, variable) {
            diagnostic = diagnostic.in_file(&file.file).at(location);
        }
        return diagnostic;
    }
    let mut diagnostic = Diagnostic::error(format!("template error: {}", detail.trim()))
        .with_help("see docs/templates.md for the variables and functions templates can use");
    // "Function call 'asset' failed": point at the call.
    let call = messages
        .iter()
        .find_map(|m| m.strip_prefix("Function call '")?.split('\'').next())
        .and_then(|name| find_use(theme, in_template, &format!("{name}(")));
    if let Some((file, location)) = call {
        diagnostic = diagnostic.in_file(&file.file).at(location);
    } else if let Some(file) = theme
        .template(in_template)
        .or_else(|| theme.template(template))
    {
        diagnostic = diagnostic.in_file(&file.file);
    }
    diagnostic
}

/// The first line of the template (or, failing that, any template) that mentions
/// `variable`.
fn find_use<'a>(
    theme: &'a Theme,
    template: &str,
    variable: &str,
) -> Option<(&'a TemplateFile, Location)> {
    let candidates = theme
        .template(template)
        .into_iter()
        .chain(theme.templates.iter().filter(|t| t.name != template));
    for file in candidates {
        for (i, line) in file.source.lines().enumerate() {
            if let Some(byte) = line.find(variable) {
                let column = line[..byte].chars().count() + 1;
                return Some((
                    file,
                    Location::in_source(&file.source, i + 1, column, variable.chars().count()),
                ));
            }
        }
    }
    None
}

fn variable_hint(variable: &str, context: &Value) -> String {
    let (parent, last) = variable.rsplit_once('.').unwrap_or(("", variable));
    let scope = if parent.is_empty() {
        Some(context)
    } else {
        parent.split('.').try_fold(context, |v, key| v.get(key))
    };
    let keys: Vec<&str> = scope
        .and_then(Value::as_object)
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let where_ = if parent.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in `{parent}`")
    };
    match did_you_mean(last, keys.iter().copied()) {
        Some(best) => format!(
            "did you mean `{}`? The fields {where_} are: {}",
            if parent.is_empty() {
                best.to_string()
            } else {
                format!("{parent}.{best}")
            },
            keys.join(", ")
        ),
        None if keys.is_empty() => {
            "check the spelling; docs/templates.md lists the variables".into()
        }
        None => format!("the fields {where_} are: {}", keys.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_can_end_text_or_a_quoted_attribute() {
        assert_eq!(
            escape_html(r#"<a href="x" title='y'>Tom & Jerry</a>"#),
            "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;"
        );
        assert_eq!(
            escape_html("/thema/gamen/ ’s avonds"),
            "/thema/gamen/ ’s avonds"
        );
        assert_eq!(escape_html(""), "");
    }
}
