//! The contract of incremental rebuilds (`wegwijs::incremental`, what `wegwijs
//! serve` runs on every save): after each of a series of edits, adds, renames,
//! deletes, front-matter and template changes, the output kept in memory equals a
//! full build of the same files, every path and every byte. Runs on a copy of the
//! bundled site (cards, the printable set, search, news, campaigns, a decision tool,
//! social images): the richest site there is to get wrong.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use wegwijs::BuildOptions;
use wegwijs::date::Date;
use wegwijs::incremental::{Preview, Scope};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A copy of the repository's own site.
fn bundled_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for folder in ["content", "themes"] {
        copy_dir(&repo.join(folder), &dir.path().join(folder));
    }
    dir
}

struct Session {
    dir: tempfile::TempDir,
    options: BuildOptions,
    preview: Preview,
}

impl Session {
    fn start() -> Session {
        let dir = bundled_site();
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            drafts: false,
            now: Date::parse("2026-11-23").unwrap(),
            base_url: Some("http://127.0.0.1:1111".into()),
            noindex: false,
        };
        let mut preview = Preview::new(options.clone());
        let first = preview.build().unwrap_or_else(|p| panic!("{p:#?}"));
        assert_eq!(first.scope, Scope::Full);
        Session {
            dir,
            options,
            preview,
        }
    }

    fn path(&self, relative: &str) -> std::path::PathBuf {
        self.dir.path().join(relative)
    }

    fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    /// Save `text` at `relative` the way editors do: a temp file, then a rename.
    fn save(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let temp = path.with_extension("tmp");
        std::fs::write(&temp, text).unwrap();
        std::fs::rename(&temp, &path).unwrap();
    }

    /// Tell the preview what changed; check the scope it chose and that its
    /// output is a full build's, byte for byte. Returns the changed files.
    fn update(&mut self, changed: &[&str], scope: Scope) -> Vec<String> {
        let changed: BTreeSet<String> = changed.iter().map(|s| s.to_string()).collect();
        let update = self
            .preview
            .update(&changed)
            .unwrap_or_else(|p| panic!("{changed:?}: {p:#?}"));
        assert_eq!(update.scope, scope, "{changed:?}");
        self.assert_equals_a_full_build(&format!("{changed:?}"));
        update.files.into_iter().map(|(path, _)| path).collect()
    }

    fn assert_equals_a_full_build(&self, after: &str) {
        let full = wegwijs::render_in_memory(&self.options)
            .unwrap_or_else(|p| panic!("{p:#?}"))
            .output
            .into_files();
        let kept: BTreeMap<String, Vec<u8>> = self
            .preview
            .files()
            .expect("a successful build is kept")
            .iter()
            .map(|(path, bytes)| (path.clone(), bytes.to_vec()))
            .collect();
        let only_full: Vec<&String> = full.keys().filter(|p| !kept.contains_key(*p)).collect();
        let only_kept: Vec<&String> = kept.keys().filter(|p| !full.contains_key(*p)).collect();
        assert!(
            only_full.is_empty() && only_kept.is_empty(),
            "after {after}: only in the full build {only_full:?}, only in the kept one {only_kept:?}"
        );
        let differ: Vec<&String> = full
            .iter()
            .filter(|(path, bytes)| kept.get(*path) != Some(*bytes))
            .map(|(path, _)| path)
            .collect();
        assert!(
            differ.is_empty(),
            "after {after}: these files differ: {differ:?}"
        );
    }
}

/// The body of a markdown file (after its front matter) replaced by `f(body)`.
fn with_body(text: &str, f: impl Fn(&str) -> String) -> String {
    let end = text[3..].find("\n---\n").map(|i| i + 3 + 5).unwrap();
    format!("{}{}", &text[..end], f(&text[end..]))
}

#[test]
fn incremental_rebuilds_equal_a_full_build_byte_for_byte() {
    let mut s = Session::start();

    // A page's body: that page, the search index and the search page.
    let over = "content/over.md";
    s.save(
        over,
        &with_body(&s.read(over), |b| {
            format!("{b}\nEen nieuwe alinea over loot boxes.\n")
        }),
    );
    let files = s.update(&[over], Scope::Bodies(1));
    assert!(files.contains(&"over/index.html".to_string()), "{files:?}");
    assert!(files.iter().any(|f| f.starts_with("zoeken/")), "{files:?}");
    assert!(
        !files.contains(&"index.html".to_string()),
        "a body edit of one page re-rendered the home page: {files:?}"
    );

    // Two heading pairs with one text, "werk tijdens" and "werktijden ’s" (both
    // "werktijden..."), in two pages, the second met first; then the first goes.
    // Each stays its own pair, as in a full build, whatever the order they came in.
    let plezier = "content/thema/gamen/plezier-en-balans.md";
    s.save(
        plezier,
        &with_body(&s.read(plezier), |b| {
            format!("{b}\n## Werktijden ’s avonds\n\nOuders werken soms laat.\n")
        }),
    );
    s.update(&[plezier], Scope::Bodies(1));
    let before = s.read(over);
    s.save(
        over,
        &with_body(&before, |b| {
            format!("{b}\n## Werk tijdens de vakantie\n\nEen vakantiebaan.\n")
        }),
    );
    s.update(&[over], Scope::Bodies(1));
    s.save(over, &before);
    s.update(&[over], Scope::Bodies(1));

    // A risk card's body: it also shows on the printable set of all cards.
    let card = "content/kaarten/risico/veiligheid.md";
    s.save(card, &with_body(&s.read(card), |b| b.replace("de", "die")));
    let files = s.update(&[card], Scope::Bodies(1));
    assert!(
        files.contains(&"kaarten/printen/index.html".to_string()),
        "{files:?}"
    );

    // A theme hub (a section with filtered pages) and a news item at once.
    let hub = "content/thema/gamen/_index.md";
    let news = "content/nieuws/kabinet-drie-pijlers-vloggen.md";
    s.save(
        hub,
        &with_body(&s.read(hub), |b| format!("## Nieuw kopje\n\n{b}")),
    );
    s.save(
        news,
        &with_body(&s.read(news), |b| format!("{b}\n*Bijgewerkt.*\n")),
    );
    s.update(&[hub, news], Scope::Bodies(2));

    // A shortcode added to a body (it embeds a card by its front matter).
    let page = "content/thema/gamen/loot-boxes.md";
    s.save(
        page,
        &with_body(&s.read(page), |b| {
            format!("{b}\n{{{{ card(id=\"veiligheid\") }}}}\n")
        }),
    );
    s.update(&[page], Scope::Bodies(1));

    // An editor's scratch file that came and went changes nothing.
    s.update(
        &["content/thema/gamen/.nieuw.md", "content/naamloos.md"],
        Scope::Nothing,
    );

    // Front matter: a title shows in lists, menus, feeds: everything again.
    s.save(
        page,
        &s.read(page).replacen("title: ", "title: Nieuw en ", 1),
    );
    s.update(&[page], Scope::Full);

    // A new page, a rename, a delete, a new section.
    let added = "content/thema/gamen/nieuw.md";
    s.save(
        added,
        "---\ntitle: Een nieuwe pagina\ndescription: Over iets nieuws.\nthemes: [gamen]\nreviewed: 2026-11-01\n---\nTekst.\n",
    );
    s.update(&[added], Scope::Full);
    let renamed = "content/thema/gamen/hernoemd.md";
    std::fs::rename(s.path(added), s.path(renamed)).unwrap();
    s.update(&[added, renamed], Scope::Full);
    std::fs::remove_file(s.path(renamed)).unwrap();
    s.update(&[renamed], Scope::Full);

    // A body edit after those is incremental again.
    s.save(
        over,
        &with_body(&s.read(over), |b| b.replace("loot boxes", "games")),
    );
    s.update(&[over], Scope::Bodies(1));

    // A template: everything.
    let template = "themes/jouwkindonline/templates/page.html";
    s.save(template, &format!("{}\n", s.read(template)));
    s.update(&[template], Scope::Full);

    // A body that breaks the build: an error, and the last good output is kept;
    // fixed, the next build is full (the state after an error is not trusted).
    let good = s.read(over);
    s.save(
        over,
        &with_body(&good, |b| {
            format!("{b}\n{{{{ card(id=\"veiligheid\" }}}}\n")
        }),
    );
    let changed: BTreeSet<String> = [over.to_string()].into();
    assert!(
        s.preview.update(&changed).is_err(),
        "a broken shortcode must fail"
    );
    s.save(over, &good);
    s.update(&[over], Scope::Full);
    s.save(over, &with_body(&good, |b| format!("{b}\nNog een zin.\n")));
    s.update(&[over], Scope::Bodies(1));

    // A stylesheet: every page links it by its fingerprint.
    let css = "themes/jouwkindonline/css/main.css";
    if s.path(css).exists() {
        s.save(css, &format!("{}\n.nieuw{{color:red}}\n", s.read(css)));
        s.update(&[css], Scope::Full);
    }
}

#[test]
fn a_theme_that_calls_get_page_rebuilds_everything_on_a_body_edit() {
    let mut s = Session::start();
    let template = "themes/jouwkindonline/templates/404.html";
    s.save(
        template,
        &s.read(template).replacen(
            "{% block content %}",
            "{% block content %}{% set over = get_page(url=\"/over/\") %}{{ over.content | safe }}",
            1,
        ),
    );
    s.update(&[template], Scope::Full);
    let over = "content/over.md";
    s.save(
        over,
        &with_body(&s.read(over), |b| format!("{b}\nIn de 404 te zien.\n")),
    );
    // Correct, because it is a full build: the 404 page shows the new body.
    s.update(&[over], Scope::Full);
    let full = wegwijs::render_in_memory(&s.options).unwrap().output;
    let not_found = String::from_utf8(full.get("404.html").unwrap()).unwrap();
    assert!(not_found.contains("In de 404 te zien."));
}

#[cfg(unix)]
#[test]
fn a_page_swapped_for_a_link_outside_the_site_is_never_read_as_a_body_edit() {
    let mut s = Session::start();
    let secret = tempfile::NamedTempFile::new().unwrap();
    let over = "content/over.md";
    // The same front matter, so only the link itself can stop a body edit.
    std::fs::write(
        secret.path(),
        with_body(&s.read(over), |_| "GEHEIM\n".to_string()),
    )
    .unwrap();
    std::fs::remove_file(s.path(over)).unwrap();
    std::os::unix::fs::symlink(secret.path(), s.path(over)).unwrap();
    let changed: BTreeSet<String> = [over.to_string()].into();
    let problems = match s.preview.update(&changed) {
        Ok(update) => panic!(
            "the link was read: {:?}, {} files",
            update.scope,
            update.files.len()
        ),
        Err(problems) => problems,
    };
    assert!(
        problems
            .iter()
            .any(|d| d.message.contains("points outside the site")),
        "{problems:#?}"
    );
}
