//! Theme assets: the stylesheet bundled and minified by lightningcss, and
//! fingerprinted file names so browsers may cache assets forever.

use std::collections::BTreeMap;
use std::path::Path;

use lightningcss::bundler::{Bundler, FileProvider};
use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions};
use lightningcss::targets::{Browsers, Targets};

use crate::config::CssTargets;
use crate::diagnostics::{Diagnostic, Location};

/// Logical asset path (`css/main.css`) → public URL (`/css/main.3f2a1c9e.css`).
pub type AssetUrls = BTreeMap<String, String>;

/// A built asset: where it goes and what it holds.
#[derive(Debug)]
pub struct Asset {
    /// The logical path templates ask for (`css/main.css`).
    pub logical: String,
    /// The fingerprinted output path (`css/main.3f2a1c9e.css`).
    pub out: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Bundle `@import`s of `entry`, minify for `targets`, and fingerprint the result.
/// `root` makes file names in diagnostics relative.
pub fn build_css(
    entry: &Path,
    logical: &str,
    targets: CssTargets,
    root: &Path,
) -> Result<Asset, Diagnostic> {
    let provider = FileProvider::new();
    let mut bundler = Bundler::new(&provider, None, ParserOptions::default());
    let mut sheet = bundler
        .bundle(entry)
        .map_err(|e| css_error(root, e.loc.as_ref(), &e.kind.to_string()))?;
    let targets = Targets::from(Browsers {
        chrome: targets.chrome.map(major),
        firefox: targets.firefox.map(major),
        safari: targets.safari.map(major),
        ios_saf: targets.ios_safari.map(major),
        edge: targets.edge.map(major),
        ..Browsers::default()
    });
    sheet
        .minify(MinifyOptions {
            targets,
            ..MinifyOptions::default()
        })
        .map_err(|e| css_error(root, e.loc.as_ref(), &e.kind.to_string()))?;
    let css = sheet
        .to_css(PrinterOptions {
            minify: true,
            targets,
            ..PrinterOptions::default()
        })
        .map_err(|e| css_error(root, e.loc.as_ref(), &e.kind.to_string()))?;
    Ok(fingerprinted(logical, css.code.into_bytes()))
}

/// lightningcss encodes versions as `major << 16`.
fn major(version: u32) -> u32 {
    version << 16
}

fn css_error(
    root: &Path,
    loc: Option<&lightningcss::error::ErrorLocation>,
    what: &str,
) -> Diagnostic {
    let diagnostic = Diagnostic::error(format!("invalid CSS: {what}"))
        .with_help("fix the CSS at this place; every rule needs a selector, `{`, `property: value;` lines and `}`");
    let Some(loc) = loc else {
        return diagnostic;
    };
    let path = Path::new(&loc.filename);
    let shown = path.strip_prefix(root).unwrap_or(path);
    // Only on failure do we read the file again, to show the line.
    let source = std::fs::read_to_string(path).unwrap_or_default();
    diagnostic.in_file(shown).at(Location::in_source(
        &source,
        loc.line as usize + 1,
        loc.column as usize,
        1,
    ))
}

/// Name `bytes` after their content: `css/main.css` → `css/main.<hash>.css`
/// (XXH3, a fast, stable hash: enough to tell two versions of a file apart,
/// and the search index's files are megabytes).
pub fn fingerprinted(logical: &str, bytes: Vec<u8>) -> Asset {
    let hash = format!("{:08x}", xxhash_rust::xxh3::xxh3_64(&bytes) as u32);
    let out = match logical.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && !ext.contains('/') => {
            format!("{stem}.{hash}.{ext}")
        }
        _ => format!("{logical}.{hash}"),
    };
    Asset {
        logical: logical.to_string(),
        out,
        bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_imports_and_minifies() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        std::fs::write(
            dir.path().join("main.css"),
            "@import \"a.css\";\nbody { color: #ff0000; }\n",
        )?;
        std::fs::write(dir.path().join("a.css"), "p  {  margin : 0px ; }\n")?;
        let asset = build_css(
            &dir.path().join("main.css"),
            "css/main.css",
            CssTargets::default(),
            dir.path(),
        )
        .map_err(|d| d.to_string())?;
        assert_eq!(
            String::from_utf8(asset.bytes)?,
            "p{margin:0}body{color:red}"
        );
        assert!(asset.out.starts_with("css/main.") && asset.out.ends_with(".css"));
        Ok(())
    }

    #[test]
    fn invalid_css_names_file_and_line() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        std::fs::write(
            dir.path().join("main.css"),
            "body { color: red; }\np { color: red; @@@ }\n}\n",
        )?;
        let err = build_css(
            &dir.path().join("main.css"),
            "css/main.css",
            CssTargets::default(),
            dir.path(),
        )
        .err();
        let pos = err.as_ref().map(Diagnostic::position).unwrap_or_default();
        assert!(
            pos.starts_with("main.css:2:") || pos.starts_with("main.css:3:"),
            "{err:?}"
        );
        Ok(())
    }

    #[test]
    fn fingerprints_change_with_content() {
        assert_ne!(
            fingerprinted("a.css", b"a".to_vec()).out,
            fingerprinted("a.css", b"b".to_vec()).out
        );
        assert_eq!(
            fingerprinted("js/x.js", b"a".to_vec())
                .out
                .matches('.')
                .count(),
            2
        );
    }
}
