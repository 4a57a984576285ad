//! Social preview images: a 1200×630 PNG for each page people share (home, theme
//! hubs, cards, campaigns, news, decision tools), rendered at build time from the
//! theme's `social/card.svg` (a Tera template) with resvg, using only the fonts in
//! the theme's `fonts/`, so every machine makes the same image. A page's own
//! `image` wins; other pages show the home page's image.

use std::collections::HashMap;

use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use serde_json::{Value, json};

use crate::content::{Kind, Page};
use crate::diagnostics::Diagnostic;
use crate::site::Site;

/// The size social networks ask for (Open Graph's 1.91:1).
pub const WIDTH: u32 = 1200;
/// See [`WIDTH`].
pub const HEIGHT: u32 = 630;

/// One image to make.
#[derive(Debug, Clone)]
pub struct Image {
    /// The URL of the page it belongs to.
    pub page_url: String,
    /// Output path (`social/thema/gamen.png`).
    pub out: String,
    /// The label above the title ("Thema", "Nieuws", ...).
    pub kind: &'static str,
    /// The page title.
    pub title: String,
}

/// The images of a site whose theme has a template (none otherwise).
pub fn planned(site: &Site) -> Vec<Image> {
    if site.theme.social_template.is_none() {
        return Vec::new();
    }
    let mut images: Vec<Image> = site
        .pages
        .iter()
        .filter(|p| p.front.image.is_none())
        .filter_map(|p| {
            label(p).map(|kind| Image {
                page_url: p.url.clone(),
                out: out_path(&p.url),
                kind,
                title: p.title().to_string(),
            })
        })
        .collect();
    for tool in &site.tools {
        let url = super::tools::start_url(&tool.tree);
        images.push(Image {
            out: out_path(&url),
            page_url: url,
            kind: "Beslishulp",
            title: tool.tree.title.clone(),
        });
    }
    images
}

fn label(page: &Page) -> Option<&'static str> {
    match page.kind() {
        _ if page.is_section && page.url == "/" => Some("Voor ouders"),
        Kind::Page if page.is_section && !page.front.themes.is_empty() => Some("Thema"),
        Kind::Page => None,
        Kind::RiskCard => Some("Informatiekaart"),
        Kind::ArgumentCard => Some("Argumentenkaart"),
        Kind::Campaign => Some("Campagne"),
        Kind::News => Some("Nieuws"),
    }
}

/// `/thema/gamen/` → `social/thema/gamen.png`; the home page → `social/home.png`.
fn out_path(url: &str) -> String {
    match url.trim_matches('/') {
        "" => "social/home.png".to_string(),
        path => format!("social/{path}.png"),
    }
}

/// The `social` variable of a page: its preview image (absolute URL) and alt text.
pub fn value(site: &Site, images: &HashMap<&str, &Image>, page: Option<&Page>, url: &str) -> Value {
    let base = &site.config.base_url.value;
    if let Some(page) = page
        && let Some(image) = &page.front.image
    {
        let src = &image.value;
        let absolute = if src.starts_with("https://") || src.starts_with("http://") {
            src.clone()
        } else if src.starts_with('/') {
            format!("{base}{src}")
        } else {
            format!("{base}{}{src}", page.url)
        };
        return json!({ "image": absolute, "alt": page.front.image_alt, "generated": false });
    }
    let key = page.map_or(url, |p| p.url.as_str());
    match images.get(key).or_else(|| images.get("/")) {
        Some(image) => json!({
            "image": format!("{base}/{}", image.out),
            "alt": alt(site, image),
            "generated": true,
            "width": WIDTH,
            "height": HEIGHT,
        }),
        None => Value::Null,
    }
}

fn alt(site: &Site, image: &Image) -> String {
    format!("{}: {} ({})", image.kind, image.title, site.config.title)
}

/// Render every planned image in parallel: (output path, PNG bytes).
pub fn render(site: &Site, images: &[Image]) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let Some(template) = &site.theme.social_template else {
        return Ok(Vec::new());
    };
    let shown = template.strip_prefix(&site.root).unwrap_or(template);
    let problem = |message: String| {
        Diagnostic::error(message)
            .in_file(shown)
            .with_help("fix the social image template of the theme (an SVG with Tera tags)")
    };
    if images.is_empty() {
        return Ok(Vec::new());
    }
    let source = std::fs::read_to_string(template)
        .map_err(|e| vec![problem(format!("cannot read the template: {e}"))])?;
    let mut tera = tera::Tera::default();
    tera.autoescape_on(vec!["card.svg"]);
    tera.add_raw_template("card.svg", &source)
        .map_err(|e| vec![problem(format!("the template has an error: {e}"))])?;
    let mut options = usvg::Options::default();
    for font in &site.theme.fonts {
        let data = std::fs::read(font).map_err(|e| {
            vec![
                Diagnostic::error(format!("cannot read this font: {e}"))
                    .in_file(font.strip_prefix(&site.root).unwrap_or(font)),
            ]
        })?;
        options.fontdb_mut().load_font_data(data);
    }
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = images
        .par_iter()
        .map(|image| {
            let (lines, size) = wrap(&image.title);
            let mut ctx = tera::Context::new();
            ctx.insert("kind", image.kind);
            ctx.insert("lines", &lines);
            ctx.insert("size", &size);
            ctx.insert("site", &site.config.title);
            let svg = tera
                .render("card.svg", &ctx)
                .map_err(|e| problem(format!("the template cannot be filled in: {e}")))?;
            let png = rasterize(&svg, &options).map_err(|e| {
                problem(format!(
                    "the image for {} cannot be drawn: {e}",
                    image.page_url
                ))
            })?;
            Ok((image.out.clone(), png))
        })
        .collect();
    let mut files = Vec::with_capacity(results.len());
    let mut problems = Vec::new();
    for result in results {
        match result {
            Ok(file) => files.push(file),
            Err(d) => problems.push(d),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        problems.dedup_by(|a, b| a.message == b.message);
        Err(problems)
    }
}

fn rasterize(svg: &str, options: &usvg::Options<'_>) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, options).map_err(|e| e.to_string())?;
    let size = tree.size();
    if size.width().round() as u32 != WIDTH || size.height().round() as u32 != HEIGHT {
        return Err(format!(
            "the SVG is {}×{}, not {WIDTH}×{HEIGHT}",
            size.width(),
            size.height()
        ));
    }
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT)
        .ok_or_else(|| "no memory for the image".to_string())?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| e.to_string())
}

/// The title in lines that fit the image, and the font size: 64 px for up to three
/// lines of 26 characters, else 50 px for up to four lines of 34 (the last line
/// cut with "…"). Measured with DejaVu Sans Bold, the bundled theme's font.
fn wrap(title: &str) -> (Vec<String>, u32) {
    let big = lines(title, 26);
    if big.len() <= 3 {
        return (big, 64);
    }
    let mut small = lines(title, 34);
    if small.len() > 4 {
        small.truncate(4);
        if let Some(last) = small.last_mut() {
            last.push('…');
        }
    }
    (small, 50)
}

fn lines(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_titles_stay_big_long_ones_shrink_and_are_cut() {
        assert_eq!(wrap("Gamen"), (vec!["Gamen".to_string()], 64));
        let (lines, size) = wrap(&"woord ".repeat(40));
        assert_eq!((lines.len(), size), (4, 50));
        assert!(lines[3].ends_with('…'));
    }

    #[test]
    fn output_paths_follow_the_page_url() {
        assert_eq!(out_path("/"), "social/home.png");
        assert_eq!(out_path("/thema/gamen/"), "social/thema/gamen.png");
    }
}
