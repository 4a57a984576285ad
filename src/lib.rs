//! wegwijs: a static-site generator for parent-awareness websites in the style of
//! Jouwkindonline.nl.
//!
//! One pipeline, one direction:
//!
//! ```text
//! load (site.yaml, content/, theme)  →  check  →  render  →  write (what changed)
//! ```
//!
//! Render hands each finished file to an [`output::Sink`]: [`build`] writes it
//! into a [`write::Staging`] folder (only if it changed) that is committed at the
//! end; [`serve`] keeps the files in an in-memory [`output::Output`] instead. Every stage reports
//! problems as [`diagnostics::Diagnostic`]s, all at once, with file, line and a hint.

pub mod assets;
pub mod campaign;
pub mod check;
pub mod config;
pub mod content;
pub mod date;
pub mod diagnostics;
pub mod incremental;
pub mod lint;
pub mod output;
pub mod redirects;
pub mod render;
pub mod rules;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod site_index;
pub mod theme;
pub mod timings;
pub mod urls;
pub mod write;
pub mod yaml;

use std::path::PathBuf;

use diagnostics::{Diagnostic, has_errors};
pub use site::BuildOptions;

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    /// Pages and sections built from content.
    pub pages: usize,
    /// Files written in all.
    pub files: usize,
    /// Where they were written.
    pub output: PathBuf,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// How long each stage took.
    pub timings: timings::Timings,
}

/// Load, check, render and write the site. On any error nothing is written and
/// every problem found is returned (warnings included).
pub fn build(
    options: &BuildOptions,
    output_dir: &std::path::Path,
) -> Result<BuildReport, Vec<Diagnostic>> {
    let mut timings = timings::Timings::default();
    write::check_output_dir(&options.root, output_dir).map_err(|d| vec![d])?;
    // A build killed while writing is completed before anything else.
    write::recover(output_dir).map_err(|d| vec![d])?;
    let site = timings.time("load", || site::load(options))?;
    let mut problems = site.problems.clone();
    problems.extend(timings.time("check", || check::check(&site)));
    if has_errors(&problems) {
        problems.extend(unbuilt_links(&site));
        diagnostics::sort(&mut problems);
        return Err(problems);
    }
    let staging = write::Staging::create(output_dir).map_err(|d| vec![d])?;
    let recorder = lint::Recorder::new(&staging, &lint::own_host(&site));
    if let Err(mut render_problems) = render::render(&site, &recorder, &mut timings) {
        // Dropping the staging folder removes it: the previous output stays.
        problems.append(&mut render_problems);
        return Err(problems);
    }
    // The same lints as `wegwijs check`: an error stops the build. Their
    // warnings (readability, review dates, placeholders) are `check`'s to show.
    let findings = timings.time("lint", || lint_rendered(&site, recorder));
    problems.extend(findings.problems.into_iter().filter(Diagnostic::is_error));
    if has_errors(&problems) {
        diagnostics::sort(&mut problems);
        return Err(problems);
    }
    let files = staging.files();
    timings.time("write", || staging.commit()).map_err(|d| {
        let mut all = problems.clone();
        all.push(d);
        all
    })?;
    diagnostics::sort(&mut problems);
    Ok(BuildReport {
        pages: site.pages.len(),
        files,
        output: output_dir.to_path_buf(),
        warnings: problems,
        timings,
    })
}

/// The lints that need the rendered files, and the markdown ones.
fn lint_rendered(site: &site::Site, recorder: lint::Recorder<'_>) -> lint::Findings {
    let files = recorder.into_files();
    let urls = urls::SiteUrls::with_generated(site, std::iter::empty());
    lint::finish(site, &urls, lint::sources(site, false), &files)
}

/// What `wegwijs check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Every problem, errors and warnings, in file order.
    pub problems: Vec<Diagnostic>,
    /// Readability per page.
    pub scores: Vec<lint::Score>,
    /// Links to other websites (listed, not fetched).
    pub external: Vec<lint::ExternalLink>,
    /// Content pages checked.
    pub pages: usize,
    /// Files the build would write.
    pub files: usize,
}

/// Run the whole pipeline without writing: load, check, render into memory, then
/// every lint. `Err` only when the site cannot be loaded at all.
pub fn check(options: &BuildOptions) -> Result<CheckReport, Vec<Diagnostic>> {
    let site = site::load(options)?;
    let mut problems = site.problems.clone();
    problems.extend(check::check(&site));
    let mut report = CheckReport {
        problems: Vec::new(),
        scores: Vec::new(),
        external: Vec::new(),
        pages: site.pages.len(),
        files: 0,
    };
    if !has_errors(&problems) {
        let output = output::Output::default();
        let recorder = lint::Recorder::new(&output, &lint::own_host(&site));
        let mut timings = timings::Timings::default();
        match render::render(&site, &recorder, &mut timings) {
            Ok(()) => {
                let files = recorder.into_files();
                report.files = files.len();
                let urls = urls::SiteUrls::with_generated(&site, std::iter::empty());
                let findings = lint::finish(&site, &urls, lint::sources(&site, true), &files);
                problems.extend(findings.problems);
                report.scores = findings.scores;
                report.external = findings.external;
            }
            Err(mut render_problems) => problems.append(&mut render_problems),
        }
    } else {
        // Links cannot be resolved without a render (except those to unbuilt
        // pages); the rest of the markdown lints can still run.
        let lints = lint::sources(&site, true);
        let urls = urls::SiteUrls::new(&site);
        problems.extend(lint::unbuilt_links(&site, &urls, &lints));
        for lint in lints {
            problems.extend(lint.problems);
        }
    }
    diagnostics::sort(&mut problems);
    problems.dedup();
    report.problems = problems;
    Ok(report)
}

/// What [`render_in_memory`] made.
#[derive(Debug)]
pub struct InMemory {
    /// Every file `wegwijs build` would write.
    pub output: output::Output,
    /// Pages and sections built from content.
    pub pages: usize,
    /// Problems that did not stop the build, sorted.
    pub warnings: Vec<Diagnostic>,
}

/// Load, check and render the site into memory, writing nothing: for `serve`
/// and for `wegwijs search`, which queries the index the build would publish.
pub fn render_in_memory(options: &BuildOptions) -> Result<InMemory, Vec<Diagnostic>> {
    let kept = render_kept(options, &mut None)?;
    Ok(InMemory {
        output: kept.output,
        pages: kept.site.pages.len(),
        warnings: kept.warnings,
    })
}

/// What a full render in `serve` takes over from the one before: the search
/// counts (a page whose text is unchanged is not counted again) and the social
/// images (one whose inputs are unchanged is not drawn again).
#[derive(Debug, Default)]
pub(crate) struct Reuse {
    pub(crate) known: search::Known,
    pub(crate) images: std::collections::BTreeMap<String, std::sync::Arc<[u8]>>,
}

/// A site rendered into memory, with what a re-render of a few pages reuses.
pub(crate) struct Kept {
    pub(crate) site: site::Site,
    pub(crate) rendered: render::Rendered,
    pub(crate) output: output::Output,
    pub(crate) warnings: Vec<Diagnostic>,
}

/// [`render_in_memory`], keeping the loaded site and the render's state for
/// [`incremental`] rebuilds. `reuse` is what an earlier render left to reuse; it
/// is taken only once the site loaded and passed its checks, so it outlives a
/// broken save caught there (front matter, links, fields); a template error in
/// the render itself drops it, and the build after that counts and draws anew.
pub(crate) fn render_kept(
    options: &BuildOptions,
    reuse: &mut Option<Reuse>,
) -> Result<Kept, Vec<Diagnostic>> {
    let mut timings = timings::Timings::default();
    let site = site::load(options)?;
    let mut problems = site.problems.clone();
    problems.extend(check::check(&site));
    if !has_errors(&problems) {
        let Reuse { known, images } = reuse.take().unwrap_or_default();
        let output = output::Output::with_previous(images);
        match render::render_kept(&site, &output, &mut timings, known) {
            Ok(rendered) => {
                diagnostics::sort(&mut problems);
                return Ok(Kept {
                    site,
                    rendered,
                    output,
                    warnings: problems,
                });
            }
            Err(mut render_problems) => problems.append(&mut render_problems),
        }
    } else {
        problems.extend(unbuilt_links(&site));
    }
    diagnostics::sort(&mut problems);
    Err(problems)
}

/// Links to pages that are not built, found without a render: a build that stops
/// at the check stage reports them with everything else, so one run shows them all.
fn unbuilt_links(site: &site::Site) -> Vec<Diagnostic> {
    let urls = urls::SiteUrls::new(site);
    lint::unbuilt_links(site, &urls, &lint::sources(site, false))
}
