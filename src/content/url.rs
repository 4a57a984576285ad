//! Slugs and pretty URLs derived from file paths.

use std::path::{Component, Path};

/// Whether `s` is a slug: lower-case ASCII letters, digits and single hyphens.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Turn a file or folder name into a slug: accents folded (`é` → `e`),
/// everything else that is not a letter or digit becomes a hyphen.
pub fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        let folded = fold_accent(c);
        if folded.is_ascii_alphanumeric() {
            slug.push(folded);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        'ç' => 'c',
        'ñ' => 'n',
        c => c,
    }
}

/// The URL of a markdown file at `relative` (to `content/`): `thema/gamen/_index.md`
/// is `/thema/gamen/`, `thema/gamen/loot-boxes.md` is `/thema/gamen/loot-boxes/`.
/// `slug` replaces the last segment.
pub fn url_for_file(relative: &Path, slug: Option<&str>) -> String {
    let mut segments: Vec<String> = relative
        .parent()
        .into_iter()
        .flat_map(Path::components)
        .filter_map(|c| match c {
            Component::Normal(s) => Some(slugify(&s.to_string_lossy())),
            _ => None,
        })
        .collect();
    let is_index = relative.file_name().is_some_and(|n| n == "_index.md");
    if !is_index {
        let stem = relative
            .file_stem()
            .map(|s| slugify(&s.to_string_lossy()))
            .unwrap_or_default();
        segments.push(stem);
    }
    if let Some(slug) = slug {
        match segments.last_mut() {
            Some(last) => *last = slug.to_string(),
            None => segments.push(slug.to_string()),
        }
    }
    let mut url = String::from("/");
    for s in segments.iter().filter(|s| !s.is_empty()) {
        url.push_str(s);
        url.push('/');
    }
    url
}

/// A relative path with `/` between its parts on every platform
/// (`thema/gamen/_index.md`), as output paths and `@/` links write them.
pub fn slash_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The output file for a URL: `/a/b/` is `a/b/index.html`.
pub fn output_path(url: &str) -> String {
    let trimmed = url.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_accents_and_spaces() {
        assert_eq!(slugify("Privé & Veiligheid!"), "prive-veiligheid");
        assert_eq!(slugify("12-16"), "12-16");
        assert!(is_slug("vloggen-met-kinderen"));
        assert!(!is_slug("Vloggen"));
        assert!(!is_slug("a--b"));
    }

    #[test]
    fn urls_are_pretty() {
        assert_eq!(url_for_file(Path::new("_index.md"), None), "/");
        assert_eq!(
            url_for_file(Path::new("thema/Gamen/_index.md"), None),
            "/thema/gamen/"
        );
        assert_eq!(
            url_for_file(Path::new("thema/gamen/Loot boxes.md"), None),
            "/thema/gamen/loot-boxes/"
        );
        assert_eq!(
            url_for_file(Path::new("over.md"), Some("over-ons")),
            "/over-ons/"
        );
        assert_eq!(output_path("/"), "index.html");
        assert_eq!(output_path("/a/b/"), "a/b/index.html");
        assert_eq!(output_path("/404.html"), "404.html");
    }
}
