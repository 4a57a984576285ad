//! A page's markdown to HTML, with its shortcodes rendered by their templates.

use serde_json::{Map, Value};
use tera::Tera;

use super::templates;
use crate::content::Page;
use crate::content::markdown;
use crate::diagnostics::Diagnostic;
use crate::site::Site;
use crate::urls::SiteUrls;

/// Where markers come from: Unicode private use, which the markdown renderer
/// passes through untouched. A page may contain such characters itself (icon
/// fonts use them), so each page gets one it does not contain.
const PRIVATE_USE: std::ops::RangeInclusive<char> = '\u{e000}'..='\u{f8ff}';

/// The HTML of a page's body.
pub fn page_html(
    page: &Page,
    tera: &Tera,
    site: &Site,
    globals: &Map<String, Value>,
    links: &SiteUrls,
) -> Result<String, Vec<Diagnostic>> {
    let allow_raw_html = site.config.allow_raw_html;
    // `@/thema/gamen/_index.md` and full addresses of the site become site paths.
    let resolve = |link: &str| links.href(link);
    if page.shortcodes.is_empty() {
        return Ok(markdown::to_html_linked(
            page.body(),
            allow_raw_html,
            &resolve,
        ));
    }
    // Replace each call by a marker, render the markdown, then swap in the HTML:
    // the markdown renderer and the sanitiser never see shortcode output.
    let Some(mark) = PRIVATE_USE.clone().find(|&c| !page.body().contains(c)) else {
        let call = &page.shortcodes[0];
        return Err(vec![
            page.error_at_offset(
                call.span.start,
                call.span.len(),
                "this page uses every private-use character, so its shortcodes cannot be placed",
            )
            .with_help("remove the private-use characters (U+E000 to U+F8FF) from the page"),
        ]);
    };
    let mut text = String::with_capacity(page.body().len());
    let mut last = page.body_start;
    for (i, call) in page.shortcodes.iter().enumerate() {
        text.push_str(&page.source[last..call.span.start]);
        if call.block {
            text.push_str(&format!("\n\n{mark}{i}{mark}\n\n"));
        } else {
            text.push_str(&format!("{mark}{i}{mark}"));
        }
        last = call.span.end;
    }
    text.push_str(&page.source[last..]);
    let mut html = markdown::to_html_linked(&text, allow_raw_html, &resolve);
    let mut problems = Vec::new();
    for (i, call) in page.shortcodes.iter().enumerate() {
        let template = format!("shortcodes/{}.html", call.name);
        let mut ctx = globals.clone();
        ctx.extend(call.args.clone());
        ctx.insert("current_url".into(), Value::String(page.url.clone()));
        let context = tera::Context::from_value(Value::Object(ctx.clone())).unwrap_or_default();
        let rendered = match tera.render(&template, &context) {
            Ok(r) => r,
            Err(err) => {
                let cause =
                    templates::render_error(&err, &template, &site.theme, &Value::Object(ctx));
                problems.push(
                    page.error_at_offset(
                        call.span.start,
                        call.span.len(),
                        format!("the shortcode `{}` failed: {}", call.name, cause.message),
                    )
                    .with_help(
                        cause
                            .help
                            .unwrap_or_else(|| "check the arguments of the shortcode".into()),
                    ),
                );
                continue;
            }
        };
        let marker = format!("{mark}{i}{mark}");
        let paragraph = format!("<p>{marker}</p>");
        if call.block && html.contains(&paragraph) {
            html = html.replacen(&paragraph, rendered.trim(), 1);
        } else if html.contains(&marker) {
            html = html.replacen(&marker, rendered.trim(), 1);
        } else {
            // Inside a link target or an attribute the marker is encoded: the
            // shortcode would vanish without a trace.
            problems.push(
                page.error_at_offset(call.span.start, call.span.len(), format!("the shortcode `{}` cannot be used here", call.name))
                    .with_help("put a shortcode in the text or on a line of its own, not inside a link or an image"),
            );
        }
    }
    if problems.is_empty() {
        Ok(html)
    } else {
        Err(problems)
    }
}
