//! Finding the theme and reading its templates, stylesheet entries and static files.
//! A site's own `templates/` overrides a theme template of the same name.

use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::output::StaticFile;

/// A template's text and where it came from.
#[derive(Debug, Clone)]
pub struct TemplateFile {
    /// The name templates use for it (`partials/nav.html`).
    pub name: String,
    /// The file, relative to the site root.
    pub file: PathBuf,
    /// Its text.
    pub source: String,
}

/// The theme a site is rendered with.
#[derive(Debug)]
pub struct Theme {
    /// All templates, site overrides applied.
    pub templates: Vec<TemplateFile>,
    /// The stylesheet entries, each bundled on its own: `css/main.css` (every page
    /// links it) and each `css/extra/<name>.css` (only the templates that need it
    /// link it, so a page loads no styles it does not use).
    pub stylesheets: Vec<StaticFile>,
    /// Scripts in the theme's `js/` (served fingerprinted, e.g. `js/beslishulp.js`).
    pub scripts: Vec<StaticFile>,
    /// Theme `static/` then site `static/` (the site wins).
    pub static_files: Vec<StaticFile>,
    /// `social/card.svg`: the template of the social preview images, if any.
    pub social_template: Option<PathBuf>,
    /// The fonts in the theme's `fonts/` (`.ttf`, `.otf`): the only fonts social
    /// images use, so they look the same on every machine.
    pub fonts: Vec<PathBuf>,
}

impl Theme {
    /// The template called `name`.
    pub fn template(&self, name: &str) -> Option<&TemplateFile> {
        self.templates.iter().find(|t| t.name == name)
    }
}

/// Load the theme named in `site.yaml`, with the site's overrides.
pub fn load(root: &Path, config: &SiteConfig) -> Result<Theme, Vec<Diagnostic>> {
    let name = &config.theme.value;
    let themes = root.join("themes");
    let dir = themes.join(name);
    if !dir.join("templates").is_dir() {
        let available: Vec<String> = std::fs::read_dir(&themes)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.path().join("templates").is_dir())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        let help = match did_you_mean(name, available.iter().map(String::as_str)) {
            Some(best) => format!("did you mean `{best}`?"),
            None if available.is_empty() => {
                "there is no theme in `themes/`; add one or remove `theme:` to use jouwkindonline"
                    .into()
            }
            None => format!("the themes in `themes/` are: {}", available.join(", ")),
        };
        return Err(vec![config.error_at(
            &config.theme,
            format!("the theme `{name}` does not exist (no folder themes/{name}/templates)"),
            help,
        )]);
    }
    let mut problems = Vec::new();
    let mut templates = read_templates(root, &dir.join("templates"), &mut problems);
    for over in read_templates(root, &root.join("templates"), &mut problems) {
        match templates.iter_mut().find(|t| t.name == over.name) {
            Some(t) => *t = over,
            None => templates.push(over),
        }
    }
    let mut static_files = list_files(&dir.join("static"), root, &mut problems);
    for file in list_files(&root.join("static"), root, &mut problems) {
        static_files.retain(|f| f.out != file.out);
        static_files.push(file);
    }
    let stylesheets = stylesheets(&dir.join("css"), root, &mut problems);
    let scripts = list_files(&dir.join("js"), root, &mut problems)
        .into_iter()
        .map(|f| StaticFile {
            out: format!("js/{}", f.out),
            src: f.src,
        })
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let social = dir.join("social").join("card.svg");
    let mut fonts: Vec<PathBuf> = std::fs::read_dir(dir.join("fonts"))
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "ttf" || e == "otf"))
                .collect()
        })
        .unwrap_or_default();
    fonts.sort();
    Ok(Theme {
        templates,
        stylesheets,
        scripts,
        static_files,
        social_template: social.is_file().then_some(social),
        fonts,
    })
}

/// `main.css` and the `.css` files directly in `extra/`, with their logical paths.
fn stylesheets(css: &Path, root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<StaticFile> {
    let main = css.join("main.css");
    let main = main.is_file().then(|| StaticFile {
        out: "css/main.css".into(),
        src: main,
    });
    let extra = list_files(&css.join("extra"), root, problems)
        .into_iter()
        .filter(|f| f.out.ends_with(".css") && !f.out.contains('/'))
        .map(|f| StaticFile {
            out: format!("css/extra/{}", f.out),
            src: f.src,
        });
    main.into_iter().chain(extra).collect()
}

fn read_templates(root: &Path, dir: &Path, problems: &mut Vec<Diagnostic>) -> Vec<TemplateFile> {
    let mut templates = Vec::new();
    for file in list_files(dir, root, problems) {
        if !file.out.ends_with(".html")
            && !file.out.ends_with(".xml")
            && !file.out.ends_with(".txt")
        {
            continue;
        }
        let rel = file
            .src
            .strip_prefix(root)
            .unwrap_or(&file.src)
            .to_path_buf();
        match std::fs::read_to_string(&file.src) {
            Ok(source) => templates.push(TemplateFile {
                name: file.out,
                file: rel,
                source,
            }),
            Err(err) => problems.push(
                Diagnostic::error(format!("cannot read this template: {err}"))
                    .in_file(rel)
                    .with_help("templates must be readable UTF-8 text"),
            ),
        }
    }
    templates
}

/// Every file below `dir` (none when it does not exist), with `/`-separated
/// paths relative to `dir` as output paths.
fn list_files(dir: &Path, root: &Path, problems: &mut Vec<Diagnostic>) -> Vec<StaticFile> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let out =
                    crate::content::url::slash_path(e.path().strip_prefix(dir).unwrap_or(e.path()));
                if !out.split('/').any(|s| s.starts_with('.')) {
                    files.push(StaticFile {
                        out,
                        src: e.into_path(),
                    });
                }
            }
            Ok(_) => {}
            Err(err) => {
                let path = err.path().unwrap_or(dir);
                problems.push(
                    Diagnostic::error(format!("cannot read: {err}"))
                        .in_file(path.strip_prefix(root).unwrap_or(path)),
                );
            }
        }
    }
    files
}
