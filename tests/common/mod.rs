//! A fixture builder for integration tests: a real site in a temp dir, built by the
//! real `wegwijs` binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

pub mod chromedriver;
pub mod netlify;

/// A minimal theme, so fixture tests do not depend on the bundled theme's markup.
const THEME: &[(&str, &str)] = &[
    (
        "templates/base.html",
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>{{ page.title }}</title>\
         <link rel=\"stylesheet\" href=\"{{ asset(path='css/main.css') }}\"></head>\
         <body><main>{% block main %}{{ page.content | safe }}{% endblock %}</main></body></html>\n",
    ),
    ("templates/index.html", "{% extends \"base.html\" %}"),
    (
        "templates/section.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.content | safe }}<ul>{% for p in section.pages %}<li><a href=\"{{ p.url }}\">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}",
    ),
    ("templates/page.html", "{% extends \"base.html\" %}"),
    ("templates/taxonomy.html", "{% extends \"base.html\" %}"),
    ("templates/term.html", "{% extends \"base.html\" %}"),
    ("templates/404.html", "{% extends \"base.html\" %}"),
    (
        "templates/risk-card.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1><p class=\"summary\">{{ page.card.summary }}</p>\
         <ul class=\"tips\">{% for t in page.card.tips %}<li>{{ t }}</li>{% endfor %}</ul>\
         <ul class=\"prompts\">{% for p in page.card.prompts %}<li>{{ p.text }}{% for a in p.ages %} ({{ a.label }}){% endfor %}</li>{% endfor %}</ul>{% endblock %}",
    ),
    (
        "templates/argument-card.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.card.question }}</h1>\
         <ul class=\"for\">{% for t in page.card.for %}<li>{{ t }}</li>{% endfor %}</ul>\
         <ul class=\"against\">{% for t in page.card.against %}<li>{{ t }}</li>{% endfor %}</ul>\
         <div class=\"law\">{{ page.card.law.html | safe }}<time>{{ page.card.law.checked }}</time></div>\
         {% if page.card.plan %}<div class=\"plan\">{{ page.card.plan | safe }}</div>{% endif %}{% endblock %}",
    ),
    (
        "templates/cards-print.html",
        "{% extends \"base.html\" %}{% block main %}{% for c in cards %}<section class=\"card\"><h2>{{ c.title }}</h2></section>{% endfor %}{% endblock %}",
    ),
    (
        "templates/shortcodes/card.html",
        "{% set c = get_card(id=id) %}<aside class=\"card-embed\"><a href=\"{{ c.url }}\">{{ c.title }}</a></aside>",
    ),
    (
        "templates/shortcodes/tool.html",
        "{% set t = get_tool(id=id) %}<aside class=\"tool\"><a href=\"{{ t.url }}\">{{ t.title }}</a></aside>",
    ),
    (
        "templates/shortcodes/help.html",
        "<aside class=\"help\">Bel de Kindertelefoon</aside>",
    ),
    (
        "templates/shortcodes/note.html",
        "<span class=\"note\">{{ text }}</span>",
    ),
    (
        "css/main.css",
        "@import \"base.css\";\nmain { max-width: 40rem; }\n",
    ),
    ("css/base.css", "body { color: #1f2933; }\n"),
];

pub const SITE_YAML: &str = "\
title: Testsite
description: Een site om mee te testen.
base_url: https://test.example
theme: mini
menu:
  - { title: Gamen, url: /thema/gamen/ }
taxonomies:
  themes:
    - { slug: gamen, label: Gamen }
    - { slug: schermtijd, label: Schermtijd }
  ages:
    - { slug: 0-4, label: 0 tot 4 jaar }
    - { slug: 8-12, label: 8 tot 12 jaar }
";

/// A site in a temporary folder.
pub struct TestSite {
    dir: tempfile::TempDir,
}

/// What a run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub success: bool,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Assert that stderr contains `text`; the failure shows the whole stderr.
    #[track_caller]
    pub fn says(&self, text: &str) {
        assert!(
            self.stderr.contains(text),
            "stderr does not contain {text:?}:\n{}",
            self.stderr
        );
    }

    /// Assert that stderr starts with `text`; the failure shows the whole stderr.
    #[track_caller]
    pub fn starts_with(&self, text: &str) {
        assert!(
            self.stderr.starts_with(text),
            "stderr does not start with {text:?}:\n{}",
            self.stderr
        );
    }
}

impl TestSite {
    /// A copy of the repository's own site (its `content/` and `themes/`), to
    /// change without touching the repository.
    pub fn bundled() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let site = TestSite { dir };
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        for folder in ["content", "themes"] {
            site.copy_from(&repo.join(folder), folder);
        }
        site
    }

    /// [`TestSite::new`] with the bundled theme instead of the minimal one.
    pub fn with_real_theme() -> Self {
        let site = TestSite::new();
        let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/jouwkindonline");
        site.copy_from(&theme, "themes/jouwkindonline");
        site.write(
            "content/site.yaml",
            &SITE_YAML.replace("theme: mini", "theme: jouwkindonline"),
        );
        site
    }

    /// Copy every file below `from` to `to` (relative to the site root).
    pub fn copy_from(&self, from: &Path, to: &str) {
        for entry in walkdir::WalkDir::new(from) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(from).unwrap();
                let bytes = std::fs::read(entry.path()).unwrap();
                self.bytes_at(&format!("{to}/{}", rel.display()), &bytes);
            }
        }
    }

    /// A valid site: site.yaml, a home page, a section with one page, the mini theme.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}"));
        let site = TestSite { dir };
        for (path, text) in THEME {
            site.write(&format!("themes/mini/{path}"), text);
        }
        site.write("content/site.yaml", SITE_YAML);
        site.write(
            "content/_index.md",
            "---\ntitle: Home\ndescription: De voorpagina.\n---\nWelkom.\n",
        );
        site.write(
            "content/thema/gamen/_index.md",
            "---\ntitle: Gamen\ndescription: Over gamen.\nthemes: [gamen]\n---\nAlles over gamen.\n",
        );
        site.write(
            "content/thema/gamen/loot-boxes.md",
            "---\ntitle: Loot boxes\ndescription: Wat zijn loot boxes?\nthemes: [gamen]\nages: [8-12]\n---\n## Wat is het?\n\nEen doos met een verrassing.\n",
        );
        site
    }

    /// Add or replace a file (text).
    pub fn file(self, path: &str, text: &str) -> Self {
        self.write(path, text);
        self
    }

    /// Add or replace a file (bytes).
    pub fn bytes(self, path: &str, bytes: &[u8]) -> Self {
        let full = self.path(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&full, bytes).unwrap_or_else(|e| panic!("write {path}: {e}"));
        self
    }

    /// Write a file (bytes) into the site.
    pub fn bytes_at(&self, path: &str, bytes: &[u8]) {
        let full = self.path(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&full, bytes).unwrap_or_else(|e| panic!("write {path}: {e}"));
    }

    pub fn write(&self, path: &str, text: &str) {
        let full = self.path(path);
        if let Some(parent) = full.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&full, text).unwrap_or_else(|e| panic!("write {path}: {e}"));
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    /// Run `wegwijs build` in the site with `args` (and `--now 2026-11-23`
    /// unless `args` set another day).
    pub fn build(&self, args: &[&str]) -> Run {
        let now: &[&str] = if args.contains(&"--now") {
            &[]
        } else {
            &["--now", "2026-11-23"]
        };
        run_in(self.root(), &[&["build"], now, args].concat())
    }

    /// Every file of the output folder (default `public`) with its bytes.
    pub fn output(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.path("public"))
    }

    /// The text of an output file.
    pub fn read(&self, output_path: &str) -> String {
        std::fs::read_to_string(self.path("public").join(output_path))
            .unwrap_or_else(|e| panic!("read public/{output_path}: {e}"))
    }
}

/// Run the real binary in `dir`.
pub fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("WEGWIJS_NOW")
        .output()
        .unwrap_or_else(|e| panic!("run wegwijs: {e}"));
    Run {
        success: out.status.success(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Every file below `dir`, relative path → bytes (empty when `dir` is missing).
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return files;
    }
    for entry in walkdir::WalkDir::new(dir) {
        let entry = entry.unwrap_or_else(|e| panic!("walk: {e}"));
        if entry.file_type().is_file() {
            let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
            let bytes = std::fs::read(entry.path()).unwrap_or_else(|e| panic!("{e}"));
            files.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
        }
    }
    files
}

/// A tiny static file server on 127.0.0.1 for browser tests: serves `dir` (and
/// `index.html` for folders) until the process ends.
pub fn serve(dir: &Path) -> String {
    serve_with_headers(dir, Vec::new())
}

/// [`serve`], and every response also carries the headers of the `rules` that match
/// its path (see [`netlify::headers_for`]); a missing file gets `404.html` with status
/// 404, as on Netlify.
pub fn serve_with_headers(dir: &Path, rules: Vec<netlify::HeaderRule>) -> String {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let dir = dir.to_path_buf();
    let rules = std::sync::Arc::new(rules);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            let rules = rules.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(&stream);
                let mut line = String::new();
                if reader.read_line(&mut line).is_err() {
                    return;
                }
                // Read the headers so the client sees a complete exchange.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/");
                let path = path.split(['?', '#']).next().unwrap_or("/");
                let mut file = dir.join(path.trim_start_matches('/'));
                if path.ends_with('/') {
                    file = file.join("index.html");
                }
                let (status, body) = match std::fs::read(&file) {
                    Ok(body) if !path.contains("..") => ("200 OK", body),
                    _ => {
                        file = dir.join("404.html");
                        let body = std::fs::read(&file).unwrap_or_else(|_| b"not found".to_vec());
                        ("404 Not Found", body)
                    }
                };
                let kind = match file.extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("css") => "text/css",
                    Some("js") => "text/javascript",
                    Some("json") => "application/json",
                    Some("svg") => "image/svg+xml",
                    Some("png") => "image/png",
                    Some("jpg" | "jpeg") => "image/jpeg",
                    Some("webp") => "image/webp",
                    Some("xml") => "application/xml",
                    Some("txt") => "text/plain; charset=utf-8",
                    _ => "application/octet-stream",
                };
                let mut head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                for (name, value) in netlify::headers_for(&rules, path) {
                    head.push_str(&format!("{name}: {value}\r\n"));
                }
                head.push_str("\r\n");
                let mut stream = &stream;
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    address
}

/// Debian's Chromium, or a failing test that says what to install.
pub fn chromium() -> PathBuf {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).is_file() {
            return PathBuf::from(candidate);
        }
    }
    panic!(
        "Chromium is missing: run scripts/test (it installs it) or `apt-get install chromium chromium-driver`"
    );
}

/// Print `url` to PDF with headless Chromium; returns the number of pages.
pub fn print_pages(url: &str) -> usize {
    count_pdf_pages(&print_pdf(url))
}

/// Print `url` to PDF (A4 unless the page's CSS says otherwise) with headless
/// Chromium; returns the PDF.
pub fn print_pdf(url: &str) -> Vec<u8> {
    let profile = tempfile::tempdir().unwrap();
    let pdf = profile.path().join("out.pdf");
    let status = Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        // Chromium's own temp folders go into the profile, which is removed after.
        .env("TMPDIR", profile.path())
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(url)
        .output()
        .unwrap();
    std::fs::read(&pdf).unwrap_or_else(|e| {
        panic!(
            "no PDF for {url} ({e}): {}",
            String::from_utf8_lossy(&status.stderr)
        )
    })
}

/// Count `/Type /Page` objects (not `/Pages`) in a PDF.
pub fn count_pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type")
        .filter(|(i, _)| {
            let rest = text[i + 5..].trim_start();
            rest.starts_with("/Page") && !rest.starts_with("/Pages")
        })
        .count()
}

/// Build the repository's own site (`--now 2026-11-23`) into a temp dir; returns
/// the dir (keep it alive) and the output folder in it.
pub fn build_bundled_site() -> (tempfile::TempDir, PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let target = out.path().join("public");
    build_bundled_site_into(&target);
    (out, target)
}

/// Build the repository's own site (`--now 2026-11-23`) into `target`.
pub fn build_bundled_site_into(target: &Path) {
    let run = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "build",
            "--now",
            "2026-11-23",
            "--output",
            target.to_str().unwrap(),
        ],
    );
    assert!(run.success, "the bundled site must build:\n{}", run.stderr);
}

/// Build the repository's own site once for a test binary named `name`, into
/// `target/tmp/<name>/<process id>` (a static is never dropped, so a temp dir would
/// stay behind); the sites of ended runs are removed first.
pub fn build_bundled_site_for(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        if !Path::new("/proc").join(entry.file_name()).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
    let target = root.join(std::process::id().to_string());
    let _ = std::fs::remove_dir_all(&target);
    build_bundled_site_into(&target);
    target
}
