//! Zola-style shortcodes in markdown: `{{ name(key="value", n=3) }}`.
//!
//! Loading finds every call (skipping code blocks and inline code) with its position,
//! so checking can name a missing shortcode with file and line before anything is
//! rendered. Rendering replaces each call by a placeholder the markdown renderer leaves
//! alone, and swaps in the shortcode's HTML afterwards.

use std::ops::Range;

use pulldown_cmark::{Event, Parser, Tag};
use serde_json::{Map, Value};

use super::markdown::OPTIONS;

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

/// Find every shortcode call in `source[body_start..]`, outside code.
pub fn find(source: &str, body_start: usize) -> (Vec<Call>, Vec<SyntaxError>) {
    let body = &source[body_start..];
    let mut calls = Vec::new();
    let mut errors = Vec::new();
    if !body.contains("{{") {
        return (calls, errors);
    }
    let code = code_ranges(body);
    let mut next_code = code.iter().peekable();
    let mut from = 0;
    while let Some(found) = body[from..].find("{{") {
        let at = from + found;
        while next_code.next_if(|r| r.end <= at).is_some() {}
        if let Some(r) = next_code.peek().filter(|r| r.start <= at) {
            from = r.end;
            continue;
        }
        let line_start = body[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = body[at..].find('\n').map_or(body.len(), |i| at + i);
        match parse_call(&body[at..line_end]) {
            Ok((name, args, len)) => {
                let block = body[line_start..at].trim().is_empty()
                    && body[at + len..line_end].trim().is_empty();
                calls.push(Call {
                    name,
                    args,
                    span: body_start + at..body_start + at + len,
                    block,
                });
                from = at + len;
            }
            Err((offset, message)) => {
                errors.push(SyntaxError {
                    offset: body_start + at + offset,
                    message,
                });
                from = at + 2;
            }
        }
    }
    (calls, errors)
}

/// The byte ranges of code in `markdown` (code blocks, fenced or indented, and
/// inline code), in order, as the page's own markdown parser sees them: a second
/// scanner would disagree with it about where code starts and ends.
fn code_ranges(markdown: &str) -> Vec<Range<usize>> {
    Parser::new_ext(markdown, OPTIONS)
        .into_offset_iter()
        .filter(|(event, _)| matches!(event, Event::Code(_) | Event::Start(Tag::CodeBlock(_))))
        .map(|(_, range)| range)
        .collect()
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
    fn a_shortcode_in_an_indented_code_block_is_not_found() {
        let src = "Tekst.\n\n    {{ help() }}\n    meer code\n\nNa de code {{ help() }}\n";
        let (calls, errors) = find(src, 0);
        assert!(errors.is_empty());
        assert_eq!(calls.len(), 1);
        assert_eq!(calls[0].span.start, src.rfind("{{").unwrap_or(0));
    }

    #[test]
    fn skips_code_in_lists_tilde_fences_and_long_backtick_runs() {
        let src = "- punt\n\n  ```\n  {{ help() }}\n  ```\n\n~~~~\n{{ help() }}\n~~~~\n\n``` `{{ help() }}` ```\n";
        assert_eq!(find(src, 0), (vec![], vec![]));
    }

    #[test]
    fn offsets_count_from_the_start_of_the_file() {
        let src = "---\ntitle: x\n---\n`{{ a() }}` {{ help() }}\n";
        let body_start = src.find("`").unwrap_or(0);
        let (calls, _) = find(src, body_start);
        assert_eq!(calls.len(), 1);
        assert_eq!(&src[calls[0].span.clone()], "{{ help() }}");
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
