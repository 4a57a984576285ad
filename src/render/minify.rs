//! Minifying templates instead of pages.
//!
//! minify-html runs once over each page template when the build starts, not over
//! every rendered page: the markup a template writes is minified, and what goes
//! into it (pulldown-cmark's compact HTML, escaped text) is already minimal. On
//! the 10,000-page benchmark, minifying every page took about 40% of the build
//! and saved 1% more bytes than this.
//!
//! minify-html does not know Tera, so each template token is first replaced by a
//! marker it keeps: an expression (`{{ }}`, which writes text) by a text marker,
//! a statement (`{% %}`) by an HTML comment marker (comments are kept, and
//! whitespace beside them is treated as beside a tag, as it will be once the
//! statement has run), and Tera comments (`{# #}`) are dropped. A tag with
//! template syntax between its attributes (`<a href="/"{% if x %}
//! aria-current="page"{% endif %}>`) or in its name (`<h{{ level }}>`) is replaced
//! as a whole by a stand-in tag and written back unchanged. The result is used
//! only when every marker and every tag came through, in order, and reading it
//! again finds exactly the template's tokens (minify-html decodes `&#123;` to
//! `{`); otherwise the template is used as it is. So are templates with
//! conditional comments, and with `&amp;` right before a token.

/// Opens a marker for a template token.
const TOKEN: char = '\u{E000}';
/// Opens a marker for a whole tag written back unchanged.
const TAG: char = '\u{E001}';
/// Closes either marker.
const END: char = '\u{E002}';

/// Elements whose content is text to the browser, `<!--` included.
const RAW_TEXT: [&str; 4] = ["script", "style", "textarea", "title"];

/// A template token: its text, and whether it is a statement (`{% %}`) rather
/// than something that writes text (`{{ }}`, a `{% raw %}` block).
struct Token<'a> {
    text: &'a str,
    statement: bool,
}

/// The minified template, or `None` when it cannot be minified safely.
pub fn template(source: &str) -> Option<String> {
    if source.contains([TOKEN, TAG, END]) {
        return None;
    }
    let (marked, tokens) = mark_tokens(source)?;
    let marked = mark_tags(&marked, &tokens)?;
    let cfg = minify_html::Cfg {
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        keep_comments: true,
        ..minify_html::Cfg::default()
    };
    let minified = String::from_utf8(minify_html::minify(marked.html.as_bytes(), &cfg)).ok()?;
    if tag_names(&minified) != tag_names(&marked.html) {
        return None;
    }
    restore(&minified, &tokens, marked)
}

/// `source` with every template token replaced by `TOKEN index END`, and the
/// tokens; Tera comments dropped.
fn mark_tokens(source: &str) -> Option<(String, Vec<Token<'_>>)> {
    let mut marked = String::with_capacity(source.len());
    let mut tokens = Vec::new();
    let mut rest = source;
    while let Some(start) = rest.find('{') {
        let after = &rest[start..];
        let close = match after.get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                marked.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
                continue;
            }
        };
        let mut len = token_len(after, close)?;
        let mut statement = close == "%}";
        if is_statement(&after[..len], "raw") {
            len = raw_block_len(after)?;
            statement = false;
        }
        marked.push_str(&rest[..start]);
        if close == "#}" {
            // A comment goes, and with it the whitespace it trims (`{#- … -#}`).
            if after.starts_with("{#-") {
                marked.truncate(marked.trim_end().len());
            }
            rest = &after[len..];
            if after[..len].ends_with("-#}") {
                rest = rest.trim_start();
            }
            continue;
        }
        marked.push(TOKEN);
        marked.push_str(&tokens.len().to_string());
        marked.push(END);
        tokens.push(Token {
            text: &after[..len],
            statement,
        });
        rest = &after[len..];
    }
    marked.push_str(rest);
    Some((marked, tokens))
}

/// The length of the token at the start of `text`, which ends with `close`
/// outside string literals (comments have no strings).
fn token_len(text: &str, close: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices().skip(2) {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if close != "#}" && matches!(c, '"' | '\'' | '`') => quote = Some(c),
            None if text[i..].starts_with(close) => return Some(i + close.len()),
            None => {}
        }
    }
    None
}

/// Whether `token` is the statement `{% name %}` (with or without `-`).
fn is_statement(token: &str, name: &str) -> bool {
    token
        .strip_prefix("{%")
        .and_then(|t| t.strip_suffix("%}"))
        .map(|t| t.trim_matches('-').trim())
        == Some(name)
}

/// The length of a `{% raw %}` block up to and including its `{% endraw %}`.
fn raw_block_len(text: &str) -> Option<usize> {
    let mut from = 2;
    while let Some(start) = text[from..].find("{%").map(|i| i + from) {
        let len = token_len(&text[start..], "%}")?;
        if is_statement(&text[start..start + len], "endraw") {
            return Some(start + len);
        }
        from = start + len;
    }
    None
}

/// `marked` made safe for minify-html.
struct Marked {
    /// The HTML to minify.
    html: String,
    /// The original text of each tag replaced by a stand-in.
    tags: Vec<String>,
    /// Template-made tag names (`h{{ level }}`); stand-in `wegwijs-tag-<index>`.
    dynamic: Vec<String>,
    /// Tokens that went into `tags` or `dynamic` instead of staying markers.
    consumed: Vec<bool>,
}

/// Text and tags of `marked` made ready for minify-html: statement markers in
/// text become comments, HTML comments go (none may hold template syntax), and
/// tags minify-html cannot be given as they are get stand-ins.
fn mark_tags(marked: &str, tokens: &[Token<'_>]) -> Option<Marked> {
    let mut out = Marked {
        html: String::with_capacity(marked.len() + marked.len() / 8),
        tags: Vec::new(),
        dynamic: Vec::new(),
        consumed: vec![false; tokens.len()],
    };
    let mut rest = marked;
    while let Some(start) = rest.find('<') {
        push_text(&mut out.html, &rest[..start], tokens)?;
        let after = &rest[start..];
        if let Some(comment) = after.strip_prefix("<!--") {
            let end = comment.find("-->")?;
            // Conditional comments (`<!--[if IE]>`) mean something.
            if comment[..end].contains(TOKEN) || comment.starts_with("[if") {
                return None;
            }
            rest = &comment[end + 3..];
            continue;
        }
        let closing = after.starts_with("</");
        let name_start = if closing { 2 } else { 1 };
        let starts_tag = after[name_start..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic());
        if !starts_tag {
            // Text or a doctype: minify-html handles them.
            out.html.push('<');
            rest = &after[1..];
            continue;
        }
        let len = tag_len(after)?;
        let tag = &after[..len];
        let name_len = tag[name_start..]
            .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len() - name_start);
        let name = &tag[name_start..name_start + name_len];
        let attributes = &tag[name_start + name_len..];
        let dynamic_name = name.contains(TOKEN);
        let stand_in = if dynamic_name {
            let original = unmark(name, tokens, &mut out.consumed)?;
            let index = match out.dynamic.iter().position(|d| *d == original) {
                Some(i) => i,
                None => {
                    out.dynamic.push(original);
                    out.dynamic.len() - 1
                }
            };
            format!("wegwijs-tag-{index}")
        } else {
            name.to_string()
        };
        if closing {
            if attributes.contains(TOKEN) {
                return None;
            }
            out.html.push_str(&format!("</{stand_in}>"));
        } else if dynamic_name || !only_expressions_in_values(attributes, tokens) {
            out.html
                .push_str(&format!("<{stand_in} {TAG}{}{END}>", out.tags.len()));
            let original = unmark(tag, tokens, &mut out.consumed)?;
            out.tags.push(original);
        } else {
            // A space in the marker keeps minify-html from unquoting the value.
            out.html.push_str(&tag.replace(TOKEN, &format!("{TOKEN} ")));
        }
        rest = &after[len..];
        if !closing && RAW_TEXT.contains(&name.to_ascii_lowercase().as_str()) {
            // Text up to the closing tag, as it is: no comments or tags inside.
            let end = rest
                .to_ascii_lowercase()
                .find(&format!("</{}", name.to_ascii_lowercase()))?;
            out.html.push_str(&rest[..end]);
            rest = &rest[end..];
        }
    }
    push_text(&mut out.html, rest, tokens)?;
    Some(out)
}

/// Text with its statement markers wrapped in HTML comments.
fn push_text(html: &mut String, text: &str, tokens: &[Token<'_>]) -> Option<()> {
    let mut rest = text;
    while let Some(start) = rest.find(TOKEN) {
        let end = rest[start..].find(END)? + start + END.len_utf8();
        let index: usize = rest[start + TOKEN.len_utf8()..end - END.len_utf8()]
            .parse()
            .ok()?;
        html.push_str(&rest[..start]);
        if tokens.get(index)?.statement {
            html.push_str("<!--");
            html.push_str(&rest[start..end]);
            html.push_str("-->");
        } else {
            html.push_str(&rest[start..end]);
        }
        rest = &rest[end..];
    }
    html.push_str(rest);
    Some(())
}

/// The length of the tag at the start of `text`: up to the first `>` outside
/// quoted attribute values.
fn tag_len(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '>' => return Some(i + 1),
            None => {}
        }
    }
    None
}

/// Whether every template token in a tag's attributes sits inside a quoted value
/// and is an expression (`{{ }}`): minify-html may reorder attributes, which
/// moves a whole value, so a value may not hold half of an `{% if %}`.
fn only_expressions_in_values(attributes: &str, tokens: &[Token<'_>]) -> bool {
    let mut quote: Option<char> = None;
    let mut chars = attributes.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '"' | '\'') => quote = Some(c),
            (_, TOKEN) => {
                let index: String = chars.by_ref().take_while(|&c| c != END).collect();
                let expression = index
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| tokens.get(i))
                    .is_some_and(|t| !t.statement);
                if quote.is_none() || !expression {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

/// The sequence of tag names (`p`, `/p`) in `html`, stand-ins and all: what must
/// survive minification unchanged.
fn tag_names(html: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let (closing, name_part) = match after.strip_prefix('/') {
            Some(n) => (true, n),
            None => (false, after),
        };
        if name_part
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic())
        {
            let end = name_part
                .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
                .unwrap_or(name_part.len());
            let name = name_part[..end].to_ascii_lowercase();
            names.push(if closing { format!("/{name}") } else { name });
        }
        rest = after;
    }
    names
}

/// Put the tokens and tags back; `None` if any marker was lost or repeated.
fn restore(minified: &str, tokens: &[Token<'_>], marked: Marked) -> Option<String> {
    let mut seen_tokens = marked.consumed;
    let mut seen_tags = vec![false; marked.tags.len()];
    let mut out = String::with_capacity(minified.len() + tokens.len() * 16);
    let mut rest = minified;
    while let Some(start) = rest.find([TOKEN, TAG]) {
        let marker = rest[start..].chars().next()?;
        let body_start = start + marker.len_utf8();
        let end = rest[body_start..].find(END)? + body_start;
        let index: usize = rest[body_start..end].trim().parse().ok()?;
        let mut after = end + END.len_utf8();
        out.push_str(&rest[..start]);
        if marker == TOKEN {
            if std::mem::replace(seen_tokens.get_mut(index)?, true) {
                return None;
            }
            if tokens.get(index)?.statement
                && let Some(opened) = out.strip_suffix("<!--").map(str::len)
            {
                // Unwrap the comment around a statement in text.
                out.truncate(opened);
                after += rest[after..].starts_with("-->").then_some(3)?;
            }
            // minify-html writes `&amp;` as `&` before a character that cannot
            // continue a reference, such as a marker; the token's output could.
            if out.ends_with('&') {
                return None;
            }
            out.push_str(tokens[index].text);
        } else {
            // The stand-in is exactly `<name TAG i END>`: replace all of it.
            if std::mem::replace(seen_tags.get_mut(index)?, true) || !rest[after..].starts_with('>')
            {
                return None;
            }
            out.truncate(out.rfind('<')?);
            out.push_str(&marked.tags[index]);
            after += 1;
        }
        rest = &rest[after..];
    }
    out.push_str(rest);
    if !seen_tokens.iter().chain(&seen_tags).all(|&s| s) {
        return None;
    }
    for (i, name) in marked.dynamic.iter().enumerate() {
        out = out.replace(&format!("</wegwijs-tag-{i}>"), &format!("</{name}>"));
    }
    if out.contains("wegwijs-tag-") {
        return None;
    }
    // minify-html decodes references: `&#123;&#123;` in the template would
    // come out as a new `{{`. The tokens must be exactly the ones put in.
    let (_, found) = mark_tokens(&out)?;
    let same = found
        .iter()
        .map(|t| t.text)
        .eq(tokens.iter().map(|t| t.text));
    same.then_some(out)
}

/// `text` with its token markers replaced by the tokens, which are noted in
/// `consumed`.
fn unmark(text: &str, tokens: &[Token<'_>], consumed: &mut [bool]) -> Option<String> {
    let mut out = String::with_capacity(text.len() * 2);
    let mut rest = text;
    while let Some(start) = rest.find(TOKEN) {
        let end = rest[start..].find(END)? + start;
        let index: usize = rest[start + TOKEN.len_utf8()..end].trim().parse().ok()?;
        *consumed.get_mut(index)? = true;
        out.push_str(&rest[..start]);
        out.push_str(tokens.get(index)?.text);
        rest = &rest[end + END.len_utf8()..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minified(source: &str) -> String {
        template(source).unwrap_or_else(|| format!("NOT MINIFIED: {source}"))
    }

    #[test]
    fn minifies_markup_and_keeps_every_token() {
        let source = "<ul class=\"menu\">\n  {% for item in menu %}\n    <li>\n      <a href=\"{{ item.url }}\">{{ item.title }}</a>\n    </li>\n  {% endfor %}\n</ul>\n";
        assert_eq!(
            minified(source),
            "<ul class=menu>{% for item in menu %}<li><a href=\"{{ item.url }}\">{{ item.title }}</a></li>{% endfor %}</ul>"
        );
    }

    #[test]
    fn values_made_by_templates_stay_quoted() {
        // `title={{ x }}` would break on a title with a space.
        let out = minified("<p title=\"{{x}}\" class=\"a  b\">x</p>");
        assert!(out.contains("title=\"{{x}}\""), "{out}");
        assert!(out.contains("class=\"a b\""), "{out}");
    }

    #[test]
    fn tags_with_template_syntax_between_attributes_are_kept_whole() {
        let source = "<nav>\n <a class=\"x\" href=\"/\"{% if current %} aria-current=\"page\"{% endif %}>Home</a>\n</nav>";
        assert_eq!(
            minified(source),
            "<nav><a class=\"x\" href=\"/\"{% if current %} aria-current=\"page\"{% endif %}>Home</a></nav>"
        );
        let value = "<a aria-current=\"{% if a %}page{% else %}true{% endif %}\" href=\"/\">x</a>";
        assert_eq!(minified(value), value);
    }

    #[test]
    fn template_made_tag_names_survive() {
        let source = "<section>\n<h{{ level }} class=\"t\">\n  {{ title }}\n</h{{ level }}>\n<p>\n  tekst\n</p>\n</section>";
        assert_eq!(
            minified(source),
            // minify-html sees an unknown inline element, so one space stays.
            "<section><h{{ level }} class=\"t\"> {{ title }} </h{{ level }}><p>tekst</p></section>"
        );
    }

    #[test]
    fn strings_inside_tokens_may_hold_closing_braces_and_angle_brackets() {
        let source = "<p>{{ \"}} <b>\" ~ x }}</p>\n<p>{% if a < b %}kleiner{% endif %}</p>";
        assert_eq!(
            minified(source),
            "<p>{{ \"}} <b>\" ~ x }}</p><p>{% if a < b %}kleiner{% endif %}</p>"
        );
    }

    #[test]
    fn raw_blocks_stay_as_they_are() {
        let source = "<pre>{% raw %}{{ niet }} <b>  vet </b>{% endraw %}</pre>\n<p> a </p>";
        assert_eq!(
            minified(source),
            "<pre>{% raw %}{{ niet }} <b>  vet </b>{% endraw %}</pre><p>a</p>"
        );
    }

    #[test]
    fn templates_it_cannot_minify_safely_are_left_alone() {
        // A token in a comment would vanish with the comment.
        assert_eq!(template("<p>a</p>\n<!-- {{ x }} -->"), None);
        // Tags opened and closed in different branches would be re-nested.
        assert_eq!(
            template(
                "{% if a %}<a href=\"/\">{% else %}<span>{% endif %}x{% if a %}</a>{% else %}</span>{% endif %}"
            ),
            None
        );
        // Unclosed token: Tera reports it; we do not touch it.
        assert_eq!(template("<p>{{ x </p>"), None);
        // The marker characters themselves.
        assert_eq!(template("<p>\u{E000}</p>"), None);
    }

    #[test]
    fn whitespace_beside_statements_in_running_text_stays() {
        // `Lees <a>dit</a> en <a>dat</a>`: the spaces are part of the sentence.
        assert_eq!(
            minified(
                "<p>Lees\n  {% for l in links %}\n  <a href=\"{{ l }}\">x</a>\n  {% endfor %}\n</p>"
            ),
            "<p>Lees {% for l in links %} <a href=\"{{ l }}\">x</a> {% endfor %}</p>"
        );
    }

    #[test]
    fn comments_go_and_scripts_stay() {
        assert_eq!(
            minified(
                "{# uitleg #}\n<!-- notitie -->\n<p> a </p>\n<script>if (a < b) { x(\"{{ y }}\"); }</script>"
            ),
            "<p>a</p><script>if (a < b) { x(\"{{ y }}\"); }</script>"
        );
    }

    #[test]
    fn what_minify_html_would_change_the_meaning_of_is_left_alone() {
        // References that decode to Tera syntax.
        assert_eq!(
            template("<p>&#123;&#123; page.title &#125;&#125;</p>"),
            None
        );
        assert_eq!(
            template("<p>Gebruik &lbrace;% if x %&rbrace; hier</p>"),
            None
        );
        // `&amp;` before an expression would become a bare `&`.
        assert_eq!(template("<td><code>&amp;{{ e.name }};</code></td>"), None);
        // Conditional comments.
        assert_eq!(template("<!--[if IE]><p>oud</p><![endif]-->"), None);
    }

    #[test]
    fn comments_that_trim_whitespace_keep_trimming() {
        // As Tera renders them: the comment and the whitespace it trims go.
        assert_eq!(minified("<p>a {#- noot -#} b</p>"), "<p>ab</p>");
        assert_eq!(minified("<p>a {#- noot #} b</p>"), "<p>a b</p>");
    }

    #[test]
    fn text_elements_keep_what_looks_like_comments() {
        assert_eq!(
            minified(
                "<textarea><!-- blijft --> {{ x }}</textarea>\n<title>{% if t %}{{ t }}{% endif %}</title>"
            ),
            "<textarea><!-- blijft --> {{ x }}</textarea><title>{% if t %}{{ t }}{% endif %}</title>"
        );
    }

    #[test]
    fn a_child_template_keeps_its_blocks() {
        let source = "{% extends \"base.html\" %}\n\n{% block content %}\n<article>\n  <h1>{{ page.title }}</h1>\n  {{ page.content | safe }}\n</article>\n{% endblock content %}\n";
        assert_eq!(
            minified(source),
            "{% extends \"base.html\" %}{% block content %}<article><h1>{{ page.title }}</h1> {{ page.content | safe }}</article>{% endblock content %}"
        );
    }
}
