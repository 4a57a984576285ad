//! Social preview images: a 1200×630 PNG for each page people share (home, theme
//! hubs, cards, campaigns, news, decision tools), rendered at build time from the
//! theme's `social/card.svg` (a Tera template) with resvg, using only the fonts in
//! the theme's `fonts/`, so every machine makes the same image. A page's own
//! `image` wins; other pages show the home page's image.
//!
//! Cost: a fresh build draws every image, so each is made cheap. The font database
//! is loaded once; the PNG is encoded for flat graphics (a palette when the image
//! has at most 256 colours, as the bundled template's do, else RGB; deflate level
//! 1), which took PNG encoding, two thirds of an image's time with the default
//! encoder, to a small part of it (see [`encode`]).
//! Building into an existing output, an image whose inputs are unchanged is not
//! drawn at all: each PNG carries a key (a hash of its filled-in SVG, the fonts,
//! and the dependency versions that draw it) in a `tEXt` chunk, and the previous
//! file is reused when its key matches.

use std::collections::HashMap;

use rayon::prelude::*;
use resvg::{tiny_skia, usvg};
use serde_json::{Value, json};
use xxhash_rust::xxh3::Xxh3;

use crate::content::{Kind, Page};
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
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

/// The `tEXt` keyword of the key each image carries.
const KEY_WORD: &str = "wegwijs-key";

/// How images are encoded (change it when [`encode`] changes). With the lock file
/// (the versions of resvg, usvg, tiny-skia and png) it is part of every key, so a
/// new renderer or encoder draws every image again.
const DRAWING: &str = "palette or rgb, deflate 1, up";

/// Render every planned image in parallel: (output path, PNG bytes). An image
/// whose key matches the one in `sink`'s previous file of that path is reused.
pub fn render(
    site: &Site,
    images: &[Image],
    sink: &dyn Sink,
) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
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
    let mut inputs = Xxh3::new();
    inputs.update(DRAWING.as_bytes());
    inputs.update(include_str!("../../Cargo.lock").as_bytes());
    for font in &site.theme.fonts {
        let data = std::fs::read(font).map_err(|e| {
            vec![
                Diagnostic::error(format!("cannot read this font: {e}"))
                    .in_file(font.strip_prefix(&site.root).unwrap_or(font)),
            ]
        })?;
        inputs.update(&data);
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
            let mut hasher = inputs.clone();
            hasher.update(svg.as_bytes());
            let key = format!("{:032x}", hasher.digest128());
            if let Some(previous) = sink.previous(&image.out)
                && key_of(&previous) == Some(key.as_bytes())
            {
                return Ok((image.out.clone(), previous));
            }
            let png = rasterize(&svg, &options, &key).map_err(|e| {
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

fn rasterize(svg: &str, options: &usvg::Options<'_>, key: &str) -> Result<Vec<u8>, String> {
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
    encode(&pixmap, key).map_err(|e| e.to_string())
}

/// The image as a PNG with `key` in a `tEXt` chunk. Social images are flat
/// graphics: most have at most 256 colours (a palette: one byte a pixel; the
/// bundled template's have about 50), the rest are opaque (RGB); only a template
/// with transparency needs RGBA. Deflate level 1 with the `Up` filter: measured
/// on a bundled image, 0.8 ms and 20.6 KB against 27 ms and 21.6 KB for
/// tiny-skia's encoder (RGBA, default level, adaptive filters); level 4 would
/// save another 7 KB for 1.4 ms more, and png's fastest mode (fdeflate) made
/// palette images of 300 KB.
fn encode(pixmap: &tiny_skia::Pixmap, key: &str) -> Result<Vec<u8>, png::EncodingError> {
    let pixels = pixmap.pixels();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(png::DeflateCompression::Level(1));
    encoder.set_filter(png::Filter::Up);
    encoder.add_text_chunk(KEY_WORD.to_string(), key.to_string())?;
    let data = if pixels.iter().any(|p| p.alpha() != 255) {
        encoder.set_color(png::ColorType::Rgba);
        pixels
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect()
    } else if let Some((palette, indices)) = palette(pixels) {
        encoder.set_color(png::ColorType::Indexed);
        encoder.set_palette(palette);
        indices
    } else {
        encoder.set_color(png::ColorType::Rgb);
        // Opaque: premultiplied and plain colours are the same.
        pixels
            .iter()
            .flat_map(|p| [p.red(), p.green(), p.blue()])
            .collect()
    };
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&data)?;
    writer.finish()?;
    Ok(out)
}

/// The palette (RGB triples, in order of first use) and one index per pixel, or
/// `None` when the opaque image has more than 256 colours.
fn palette(pixels: &[tiny_skia::PremultipliedColorU8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut palette = Vec::new();
    let mut known: HashMap<[u8; 3], u8> = HashMap::new();
    let mut indices = Vec::with_capacity(pixels.len());
    // Most pixels repeat the one before (flat areas): no lookup for them.
    let mut last: Option<([u8; 3], u8)> = None;
    for p in pixels {
        let rgb = [p.red(), p.green(), p.blue()];
        let index = match last {
            Some((colour, index)) if colour == rgb => index,
            _ => {
                let index = match known.get(&rgb) {
                    Some(&index) => index,
                    None => {
                        let index = u8::try_from(palette.len() / 3).ok()?;
                        palette.extend_from_slice(&rgb);
                        known.insert(rgb, index);
                        index
                    }
                };
                last = Some((rgb, index));
                index
            }
        };
        indices.push(index);
    }
    Some((palette, indices))
}

/// The key in a PNG made by [`encode`]: the text of its `tEXt` chunk named
/// [`KEY_WORD`], which comes before the image data.
fn key_of(png: &[u8]) -> Option<&[u8]> {
    let mut rest = png.get(8..)?;
    loop {
        let length = usize::try_from(u32::from_be_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
        let kind = rest.get(4..8)?;
        let data = rest.get(8..8usize.checked_add(length)?)?;
        match kind {
            b"tEXt" => {
                if let Some(text) = data.strip_prefix(KEY_WORD.as_bytes()) {
                    return text.strip_prefix(&[0]);
                }
            }
            b"IDAT" | b"IEND" => return None,
            _ => {}
        }
        rest = rest.get(length.checked_add(12)?..)?;
    }
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

    /// The encoder is lossless, with a palette and without, and its key can be
    /// read back.
    #[test]
    fn encoded_images_decode_to_the_drawn_pixels() {
        let mut flat = tiny_skia::Pixmap::new(40, 20).unwrap_or_else(|| panic!("pixmap"));
        flat.fill(tiny_skia::Color::from_rgba8(0, 95, 115, 255));
        let mut many = flat.clone();
        let mut clear = flat.clone();
        for (i, p) in many.pixels_mut().iter_mut().enumerate() {
            // 800 colours: more than a palette holds.
            let (v, w) = (
                u8::try_from(i % 256).unwrap_or(0),
                u8::try_from(i / 256).unwrap_or(0),
            );
            *p = tiny_skia::ColorU8::from_rgba(v, w, 7, 255).premultiply();
        }
        clear.pixels_mut()[5] = tiny_skia::ColorU8::from_rgba(255, 255, 255, 0).premultiply();
        for pixmap in [flat, many, clear] {
            let png = encode(&pixmap, "abc").unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(key_of(&png), Some(&b"abc"[..]));
            let decoded = tiny_skia::Pixmap::decode_png(&png).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(decoded.data(), pixmap.data());
        }
        assert_eq!(key_of(b"not a png"), None);
    }

    #[test]
    fn output_paths_follow_the_page_url() {
        assert_eq!(out_path("/"), "social/home.png");
        assert_eq!(out_path("/thema/gamen/"), "social/thema/gamen.png");
    }
}
