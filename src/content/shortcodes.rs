//! Zola-style shortcodes in markdown: `{{ name(key="value", n=3) }}`.
//!
//! Loading finds every call (skipping code blocks and inline code) with its position,
//! so checking can name a missing shortcode with file and line before anything is
//! rendered. Rendering replaces each call by a placeholder the markdown renderer leaves
//! alone, and swaps in the shortcode's HTML afterwards.

use std::ops::Range;

use serde_json::{Map, Value};

/// One shortcode call found in a markdown body.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The shortcode's name: its template is `shortcodes/<name>.html`.
    pub name: String,
    /// The arguments, as template variables.
    pub args: Map<String, Value>,
    /// Where the call is, in bytes of the whole file.
    pub span: Range<usize>,
    /// The call is alone on its line, so its HTML is a block of its own.
    pub block: bool,
}

/// A malformed call: the byte offset in the file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset in the file.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

/// Find every shortcode call in `source[body_start..]`.
pub fn find(source: &str, body_start: usize) -> (Vec<Call>, Vec<SyntaxError>) {
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut offset = body_start;
    for line in source[body_start..].split_inclusive('\n') {
        let line_start = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if let Some(marker) = fence_marker(trimmed) {
            match fence {
                None => fence = Some(marker),
                Some((c, n)) if marker.0 == c && marker.1 >= n => fence = None,
                Some(_) => {}
            }
            continue;
        }
        if fence.is_some() || !line.contains("{{") {
            continue;
        }
        scan_line(line, line_start, &mut calls, &mut errors);
    }
    (calls, errors)
}

fn fence_marker(trimmed: &str) -> Option<(char, usize)> {
    let c = trimmed.chars().next()?;
    if c != '`' && c != '~' {
        return None;
    }
    let n = trimmed.chars().take_while(|&x| x == c).count();
    (n >= 3).then_some((c, n))
}

fn scan_line(line: &str, line_start: usize, calls: &mut Vec<Call>, errors: &mut Vec<SyntaxError>) {
    let bytes = line.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'`' {
            // Skip an inline code span: a run of n backticks up to the next run of n.
            let run = bytes[i..].iter().take_while(|&&b| b == b'`').count();
            let closing = "`".repeat(run);
            i = match line[i + run..].find(&closing) {
                Some(end) => i + run + end + run,
                None => i + run,
            };
            continue;
        }
        if line[i..].starts_with("{{") {
            match parse_call(&line[i..]) {
                Ok((name, args, len)) => {
                    let block = line[..i].trim().is_empty() && line[i + len..].trim().is_empty();
                    calls.push(Call {
                        name,
                        args,
                        span: line_start + i..line_start + i + len,
                        block,
                    });
                    i += len;
                }
                Err((at, message)) => {
                    errors.push(SyntaxError {
                        offset: line_start + i + at,
                        message,
                    });
                    i += 2;
                }
            }
            continue;
        }
        i += line[i..].chars().next().map_or(1, char::len_utf8);
    }
}

type Parsed = (String, Map<String, Value>, usize);

/// Parse `{{ name(args) }}` at the start of `text`; returns the call and its length,
/// or the offset of the problem and a message.
fn parse_call(text: &str) -> Result<Parsed, (usize, String)> {
    let mut p = Cursor { text, pos: 2 };
    p.skip_spaces();
    let name = p.ident();
    if name.is_empty() {
        return Err((
            p.pos,
            "a shortcode needs a name, like `{{ help() }}`".into(),
        ));
    }
    p.skip_spaces();
    if !p.eat("(") {
        return Err((
            p.pos,
            format!("`{name}` needs brackets: `{{{{ {name}() }}}}`"),
        ));
    }
    let mut args = Map::new();
    loop {
        p.skip_spaces();
        if p.eat(")") {
            break;
        }
        let key = p.ident();
        if key.is_empty() {
            return Err((p.pos, "expected an argument name, like `id=\"...\"`".into()));
        }
        p.skip_spaces();
        if !p.eat("=") {
            return Err((p.pos, format!("expected `=` after `{key}`")));
        }
        p.skip_spaces();
        let value = p.value()?;
        args.insert(key, value);
        p.skip_spaces();
        if p.eat(",") {
            continue;
        }
        if p.eat(")") {
            break;
        }
        return Err((p.pos, "expected `,` or `)` between arguments".into()));
    }
    p.skip_spaces();
    if !p.eat("}}") {
        return Err((p.pos, "the shortcode is not closed with `}}`".into()));
    }
    Ok((name, args, p.pos))
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_spaces(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t']).len();
    }

    fn eat(&mut self, token: &str) -> bool {
        let found = self.rest().starts_with(token);
        if found {
            self.pos += token.len();
        }
        found
    }

    fn ident(&mut self) -> String {
        let len = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(self.rest().len());
        let ident = self.rest()[..len].to_string();
        self.pos += len;
        ident
    }

    fn value(&mut self) -> Result<Value, (usize, String)> {
        let start = self.pos;
        if self.eat("\"") {
            let rest = self.rest();
            let mut value = String::new();
            let mut chars = rest.char_indices();
            while let Some((i, c)) = chars.next() {
                match c {
                    '"' => {
                        self.pos += i + 1;
                        return Ok(Value::String(value));
                    }
                    '\\' => match chars.next() {
                        Some((_, e)) => value.push(e),
                        None => break,
                    },
                    c => value.push(c),
                }
            }
            return Err((start, "this text has no closing `\"`".into()));
        }
        let len = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
            .unwrap_or(self.rest().len());
        let word = &self.rest()[..len];
        let value = match word {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            w => match w.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => match w.parse::<f64>() {
                    Ok(f) => Value::from(f),
                    Err(_) => {
                        return Err((
                            start,
                            "a value is text in quotes (\"...\"), a number, true or false".into(),
                        ));
                    }
                },
            },
        };
        self.pos += len;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_calls_with_arguments() {
        let src = "Tekst {{ card(id=\"a-b\", n=3, open=true) }} en\n\n{{ help() }}\n";
        let (calls, errors) = find(src, 0);
        assert!(errors.is_empty());
        assert_eq!(calls.len(), 2);
        assert_eq!(calls[0].name, "card");
        assert_eq!(calls[0].args.get("id"), Some(&Value::from("a-b")));
        assert_eq!(calls[0].args.get("n"), Some(&Value::from(3)));
        assert!(!calls[0].block);
        assert_eq!(&src[calls[1].span.clone()], "{{ help() }}");
        assert!(calls[1].block);
    }

    #[test]
    fn skips_code() {
        let src = "`{{ help() }}`\n```\n{{ help() }}\n```\n``{{ x() }}``\n";
        assert_eq!(find(src, 0), (vec![], vec![]));
    }

    #[test]
    fn reports_malformed_calls_with_their_offset() {
        let src = "abc {{ card(id=\"x) }}\n";
        let (_, errors) = find(src, 0);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].offset, 15);
        assert!(errors[0].message.contains("closing"));
    }
}
