//! Rendering the checked site into a [`Sink`]: markdown and shortcodes first (all
//! pages, in parallel), then every page through its template (in parallel, over
//! read-only shared data, each file handed to the sink as soon as it is done),
//! then the generated files. HTML is written as the templates write it: not
//! minified (see the README's dependency table for why).

mod cards;
mod context;
mod diagram;
mod extras;
mod feed;
mod filters;
mod functions;
mod jobs;
mod search;
mod shortcode;
mod social;
pub mod templates;
pub mod tools;

use std::collections::{BTreeMap, HashSet};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use rayon::prelude::*;
use serde_json::Value;

use crate::assets::{self, AssetUrls};
use crate::content::url::output_path;
use crate::diagnostics::{Diagnostic, sort};
use crate::output::Sink;
use crate::site::Site;
use crate::timings::Timings;

/// Render `site` into `sink`; any problem makes the whole render fail, with every
/// problem found (the sink may then hold some files: a staging folder is thrown
/// away).
pub fn render(site: &Site, sink: &dyn Sink, timings: &mut Timings) -> Result<(), Vec<Diagnostic>> {
    render_inner(site, sink, timings, None).map(|_| ())
}

/// What a render made that a later re-render of a few changed page bodies reuses
/// (see [`crate::incremental`]): the prepared templates, the data every page
/// shares, every file's job and every page's body HTML.
pub struct Rendered {
    tera: tera::Tera,
    globals: serde_json::Map<String, Value>,
    links: Arc<crate::urls::SiteUrls>,
    summaries: Arc<Vec<Value>>,
    tool_pages: Vec<jobs::ToolPages>,
    running: Vec<usize>,
    social_images: Vec<social::Image>,
    jobs: Vec<jobs::Job>,
    urls: Vec<String>,
    html: Vec<String>,
    search: search::Searchable,
    search_index: String,
    search_files: Vec<String>,
    az: Vec<crate::search::page::Letter>,
    /// A template calls `get_page`, which hands any page's body to any file:
    /// then no output can be said not to show a given body.
    uses_get_page: bool,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("jobs", &self.jobs.len())
            .field("uses_get_page", &self.uses_get_page)
            .finish_non_exhaustive()
    }
}

impl Rendered {
    /// The output paths of the social images this render drew (or reused).
    pub fn social_paths(&self) -> impl Iterator<Item = &str> {
        self.social_images.iter().map(|image| image.out.as_str())
    }

    /// The search counts, for the next full render to reuse.
    pub fn into_known(self) -> crate::search::Known {
        self.search.into_known()
    }

    /// Whether [`rerender_bodies`] can tell which files show a page's body.
    pub fn can_rerender_bodies(&self) -> bool {
        !self.uses_get_page
    }

    fn shared<'a>(
        &'a self,
        site: &'a Site,
        social: &'a std::collections::HashMap<&'a str, &'a social::Image>,
    ) -> jobs::Shared<'a> {
        jobs::Shared {
            site,
            html: &self.html,
            terms: &site.index.terms,
            globals: &self.globals,
            tools: &self.tool_pages,
            summaries: &self.summaries,
            search_index: &self.search_index,
            az: &self.az,
            running: &self.running,
            social,
        }
    }
}

/// Render again, after the bodies of `pages` (indexes in `site.pages`) changed
/// and nothing else did (their front matter, every other file): their body HTML,
/// the search index (when the theme has a search page), and the files that show those bodies: the pages themselves
/// (a section's filtered and further list pages too), the printable cards when
/// a card changed, the search page when the index's entry file moved. Every
/// other file a full render would make is unchanged: lists, feeds, taxonomies and
/// shortcodes see front matter only (`get_page`, which shows bodies anywhere, is
/// ruled out by [`Rendered::can_rerender_bodies`]). Returns the output paths that
/// no longer exist (the search index's old files).
pub fn rerender_bodies(
    site: &Site,
    rendered: &mut Rendered,
    pages: &[usize],
    sink: &dyn Sink,
) -> Result<Vec<String>, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let redone: Vec<(usize, Result<String, Vec<Diagnostic>>)> = pages
        .par_iter()
        .map(|&i| {
            let page = &site.pages[i];
            let html = shortcode::page_html(
                page,
                &rendered.tera,
                site,
                &rendered.globals,
                &rendered.links,
            );
            (i, html)
        })
        .collect();
    for (i, result) in redone {
        match result {
            Ok(html) => rendered.html[i] = html,
            Err(mut p) => problems.append(&mut p),
        }
    }
    if !problems.is_empty() {
        sort(&mut problems);
        return Err(problems);
    }
    let mut written = Written::default();
    let search = if rendered.jobs.contains(&jobs::Job::Search) {
        rendered.search.recount(site, &rendered.html, pages);
        let files = search::files(site, &mut rendered.search, true);
        search::write(files, sink, &mut written, &mut problems)
    } else {
        String::new()
    };
    let removed: Vec<String> = rendered
        .search_files
        .iter()
        .filter(|path| !written.paths.contains(path))
        .cloned()
        .collect();
    let search_moved = search != rendered.search_index;
    rendered.search_index = search;
    rendered.search_files = written.paths.clone();
    let changed: HashSet<usize> = pages.iter().copied().collect();
    let card_changed = pages.iter().any(|&i| site.pages[i].kind().is_card());
    let todo: Vec<(jobs::Job, &String)> = rendered
        .jobs
        .iter()
        .zip(&rendered.urls)
        .filter(|(job, _)| match job {
            jobs::Job::Page(i) | jobs::Job::Filtered(i, ..) | jobs::Job::Paginated(i, _) => {
                changed.contains(i)
            }
            jobs::Job::PrintCards => card_changed,
            jobs::Job::Search => search_moved,
            _ => false,
        })
        .map(|(job, url)| (*job, url))
        .collect();
    let social_by_url = social_map(&rendered.social_images);
    let shared = rendered.shared(site, &social_by_url);
    let errors = render_each(&shared, &rendered.tera, &todo, sink, &mut written);
    report_render_errors(errors, &mut problems);
    problems.extend(written.problems());
    if problems.is_empty() {
        Ok(removed)
    } else {
        sort(&mut problems);
        Err(problems)
    }
}

fn social_map(images: &[social::Image]) -> std::collections::HashMap<&str, &social::Image> {
    images
        .iter()
        .map(|image| (image.page_url.as_str(), image))
        .collect()
}

/// Like [`render`], and keep what [`rerender_bodies`] needs.
/// `known` holds the search counts of an earlier render (see [`Rendered::into_known`]):
/// records whose text it has seen are not counted again.
pub fn render_kept(
    site: &Site,
    sink: &dyn Sink,
    timings: &mut Timings,
    known: crate::search::Known,
) -> Result<Rendered, Vec<Diagnostic>> {
    render_inner(site, sink, timings, Some(known))
}

/// The render; with `known` (`Some` when kept), the search records and their
/// counted words stay for [`rerender_bodies`] (a plain build drops them once
/// the index is made).
fn render_inner(
    site: &Site,
    sink: &dyn Sink,
    timings: &mut Timings,
    known: Option<crate::search::Known>,
) -> Result<Rendered, Vec<Diagnostic>> {
    let keep = known.is_some();
    let started = Instant::now();
    let mut problems = Vec::new();
    let mut written = Written::default();
    let asset_urls = theme_assets(site, sink, &mut written, &mut problems)?;
    let terms = &site.index.terms;
    let globals = context::globals(site, &|taxonomy, slug| {
        terms
            .get(&(taxonomy.field(), slug.to_string()))
            .map_or(0, |list| {
                list.iter()
                    .filter(|&&i| crate::campaign::is_listed(site, &site.pages[i]))
                    .count()
            })
    });
    let contents: Arc<OnceLock<Vec<String>>> = Arc::new(OnceLock::new());
    let mut tera = site.tera.clone();
    let summaries: Arc<Vec<Value>> = Arc::new(
        site.pages
            .par_iter()
            .map(|p| context::summary(site, p))
            .collect(),
    );
    let tool_pages: Vec<jobs::ToolPages> = site
        .tools
        .iter()
        .map(|tool| {
            let tree = &tool.tree;
            let asset = assets::fingerprinted(
                &format!("js/tools/{}.js", tree.name),
                tools::data_js(tree).into_bytes(),
            );
            let data_url = format!("/{}", asset.out);
            written.put(sink, asset.out, asset.bytes);
            jobs::ToolPages {
                prefixes: tools::prefixes(tree),
                value: tools::tool_value(site, tree, &data_url),
            }
        })
        .collect();
    let running = crate::campaign::running(site);
    let az = a_to_z(site);
    let social_images = social::planned(site);
    let social_by_url = social_map(&social_images);
    // Every file to render is known before any is rendered, so `url_for` accepts
    // generated pages (taxonomies, filters, tools) as well as content pages.
    let planned = jobs::Shared {
        site,
        html: &[],
        terms,
        globals: &globals,
        tools: &tool_pages,
        summaries: &summaries,
        search_index: "",
        az: &az,
        running: &running,
        social: &social_by_url,
    };
    let jobs = jobs::all(&planned);
    let urls: Vec<String> = jobs.iter().map(|job| jobs::url(&planned, *job)).collect();
    let links = Arc::new(crate::urls::SiteUrls::with_generated(site, urls.clone()));
    functions::register(
        &mut tera,
        site,
        asset_urls,
        Arc::clone(&contents),
        Arc::clone(&summaries),
        Arc::clone(&links),
    );

    timings.record("prepare", started.elapsed());
    let started = Instant::now();

    // Phase 1: markdown and shortcodes.
    let rendered: Vec<Result<String, Vec<Diagnostic>>> = site
        .pages
        .par_iter()
        .map(|page| shortcode::page_html(page, &tera, site, &globals, &links))
        .collect();
    let mut html = Vec::with_capacity(rendered.len());
    for result in rendered {
        match result {
            Ok(h) => html.push(h),
            Err(mut p) => {
                problems.append(&mut p);
                html.push(String::new());
            }
        }
    }
    // Only `get_page` reads the bodies through `contents`: without it, no copy.
    let uses_get_page = site
        .theme
        .templates
        .iter()
        .any(|t| t.source.contains("get_page"));
    if uses_get_page {
        let _ = contents.set(html.clone());
    }

    timings.record("markdown", started.elapsed());
    let started = Instant::now();
    // Phase 2: templates.
    let shared = jobs::Shared {
        site,
        html: &html,
        terms,
        globals: &globals,
        tools: &tool_pages,
        summaries: &summaries,
        search_index: "",
        az: &az,
        running: &running,
        social: &social_by_url,
    };
    if let Err(mut clashes) = jobs::check_urls(site, &jobs, &urls) {
        problems.append(&mut clashes);
        return Err(problems);
    }
    let mut taken: HashSet<String> = urls.iter().map(|url| output_path(url)).collect();
    taken.extend(written.paths.iter().cloned());
    let redirects = crate::redirects::all(site);
    extras::check_redirects(site, &redirects, &taken, &mut problems);
    taken.extend(
        redirects
            .iter()
            .map(crate::redirects::Redirect::fallback_path),
    );
    taken.insert(feed::FEED_PATH.to_string());
    let static_files = extras::static_files(site, &taken, &mut problems);
    if !problems.is_empty() {
        sort(&mut problems);
        return Err(problems);
    }
    // The search page waits for the index: both are made while every other
    // file is rendered and the social images drawn, which need nothing the
    // pages make (the `search` and `social` timings overlap the templates').
    let (search_todo, todo): (Vec<Todo>, Vec<Todo>) = jobs
        .iter()
        .copied()
        .zip(&urls)
        .partition(|(job, _)| *job == jobs::Job::Search);
    let (searched, rest) = rayon::join(
        || search::index_and_page(&shared, &tera, &html, known, keep, &search_todo, sink),
        || {
            rayon::join(
                || {
                    let started = Instant::now();
                    (
                        social::render(site, &social_images, sink),
                        started.elapsed(),
                    )
                },
                || render_each(&shared, &tera, &todo, sink, &mut written),
            )
        },
    );
    let ((images, social_time), mut render_errors) = rest;
    let search::Searched {
        search,
        url: search_index,
        paths: search_files,
        written: search_written,
        problems: mut search_problems,
        render_errors: search_errors,
        time: search_time,
    } = searched;
    written.absorb(search_written);
    problems.append(&mut search_problems);
    // A template error the search page shares with other pages is one error.
    for (message, (diagnostic, urls)) in search_errors {
        render_errors
            .entry(message)
            .or_insert((diagnostic, Vec::new()))
            .1
            .extend(urls);
    }
    report_render_errors(render_errors, &mut problems);
    timings.record("search", search_time);
    timings.record("templates", started.elapsed());
    timings.record("social", social_time);
    match images {
        Ok(images) => {
            for (path, bytes) in images {
                written.put(sink, path, bytes);
            }
        }
        Err(mut social_problems) => problems.append(&mut social_problems),
    }
    let started = Instant::now();
    for (path, bytes) in extras::with_generated(site, terms, &redirects, static_files) {
        written.put(sink, path, bytes);
    }
    timings.record("files", started.elapsed());
    problems.extend(written.problems());
    if problems.is_empty() {
        Ok(Rendered {
            tera,
            globals,
            links,
            summaries,
            tool_pages,
            running,
            social_images,
            jobs,
            urls,
            html,
            search,
            search_index,
            search_files,
            az,
            uses_get_page,
        })
    } else {
        sort(&mut problems);
        Err(problems)
    }
}

/// Template errors by message, each with the URLs it broke (in job order).
type RenderErrors = BTreeMap<String, (Diagnostic, Vec<String>)>;

/// Phase 2: each job through its template into `sink`, in parallel; the
/// template errors (see [`report_render_errors`]: each reported once, with the
/// pages it broke).
fn render_each(
    shared: &jobs::Shared<'_>,
    tera: &tera::Tera,
    todo: &[Todo<'_>],
    sink: &dyn Sink,
    written: &mut Written,
) -> RenderErrors {
    let site = shared.site;
    let pages: Vec<Result<(), Failure>> = todo
        .par_iter()
        .map(|&(job, url)| {
            let (template, ctx) = jobs::context(shared, job, url);
            let ctx = tera::Context::from_value(Value::Object(ctx)).unwrap_or_default();
            match tera.render(template, &ctx) {
                Ok(html) => sink
                    .put(&output_path(url), html.into_bytes())
                    .map_err(Failure::Write),
                Err(err) => {
                    // Only on failure: the data suggests the right variable.
                    let (_, data) = jobs::context(shared, job, url);
                    Err(Failure::Template(templates::render_error(
                        &err,
                        template,
                        &site.theme,
                        &Value::Object(data),
                    )))
                }
            }
        })
        .collect();
    let mut render_errors = RenderErrors::new();
    for (result, (_, url)) in pages.into_iter().zip(todo) {
        match result {
            Ok(()) => {}
            Err(Failure::Template(d)) => render_errors
                .entry(d.to_string())
                .or_insert((d, Vec::new()))
                .1
                .push((*url).clone()),
            Err(Failure::Write(d)) => written.failed(d),
        }
    }
    render_errors
}

/// Each template error once, with the first page it broke and how many more.
fn report_render_errors(errors: RenderErrors, problems: &mut Vec<Diagnostic>) {
    for (_, (diagnostic, urls)) in errors {
        let more = match urls.len() {
            1 => format!(" (while rendering {})", urls[0]),
            n => format!(" (while rendering {} and {} other pages)", urls[0], n - 1),
        };
        problems.push(Diagnostic {
            message: diagnostic.message.clone() + &more,
            ..diagnostic
        });
    }
}

/// The search page's A to Z, when the theme has a search page and a page for
/// each letter (else none).
fn a_to_z(site: &Site) -> Vec<crate::search::page::Letter> {
    use crate::search::page::{LETTER_TEMPLATE, TEMPLATE};
    let has = |name: &str| site.tera.get_template_names().any(|n| n == name);
    if has(TEMPLATE) && has(LETTER_TEMPLATE) {
        crate::search::page::letters(site)
    } else {
        Vec::new()
    }
}

/// Every URL a build renders an HTML file for: content pages and the pages it
/// generates (filtered sections, taxonomies, printable cards, tool pages, 404).
pub fn page_urls(site: &Site) -> Vec<String> {
    let terms = &site.index.terms;
    let globals = serde_json::Map::new();
    let tools: Vec<jobs::ToolPages> = site
        .tools
        .iter()
        .map(|tool| jobs::ToolPages {
            prefixes: tools::prefixes(&tool.tree),
            value: Value::Null,
        })
        .collect();
    let az = a_to_z(site);
    let shared = jobs::Shared {
        site,
        html: &[],
        terms,
        globals: &globals,
        tools: &tools,
        summaries: &[],
        search_index: "",
        az: &az,
        running: &[],
        social: &std::collections::HashMap::new(),
    };
    jobs::all(&shared)
        .into_iter()
        .map(|job| jobs::url(&shared, job))
        .collect()
}

/// The theme's stylesheets (each bundled, minified) and scripts, fingerprinted into
/// `sink`. A broken stylesheet stops the render (pages link them), after every
/// stylesheet has been tried, so all their errors show at once.
fn theme_assets(
    site: &Site,
    sink: &dyn Sink,
    written: &mut Written,
    problems: &mut Vec<Diagnostic>,
) -> Result<AssetUrls, Vec<Diagnostic>> {
    let mut asset_urls = AssetUrls::new();
    let mut broken = Vec::new();
    for sheet in &site.theme.stylesheets {
        match assets::build_css(&sheet.src, &sheet.out, site.config.css_targets, &site.root) {
            Ok(asset) => {
                asset_urls.insert(asset.logical.clone(), format!("/{}", asset.out));
                written.put(sink, asset.out, asset.bytes);
            }
            Err(d) => broken.push(d),
        }
    }
    if !broken.is_empty() {
        return Err(broken);
    }
    for script in &site.theme.scripts {
        match std::fs::read(&script.src) {
            Ok(bytes) => {
                let asset = assets::fingerprinted(&script.out, bytes);
                asset_urls.insert(asset.logical.clone(), format!("/{}", asset.out));
                written.put(sink, asset.out, asset.bytes);
            }
            Err(err) => problems.push(
                Diagnostic::error(format!("cannot read this script: {err}"))
                    .in_file(script.src.strip_prefix(&site.root).unwrap_or(&script.src)),
            ),
        }
    }
    Ok(asset_urls)
}

/// A job to render, with its URL.
type Todo<'a> = (jobs::Job, &'a String);

/// Why a page did not reach the sink.
enum Failure {
    Template(Diagnostic),
    Write(Diagnostic),
}

/// Files handed to the sink outside the page loop, and write failures: a full
/// disk fails every file, so only the first failure is reported, with a count.
#[derive(Default)]
struct Written {
    paths: Vec<String>,
    first_failure: Option<Diagnostic>,
    failures: usize,
}

impl Written {
    fn put(&mut self, sink: &dyn Sink, path: String, bytes: Vec<u8>) {
        match sink.put(&path, bytes) {
            Ok(()) => self.paths.push(path),
            Err(d) => self.failed(d),
        }
    }

    /// Add what another part of the render wrote.
    fn absorb(&mut self, other: Written) {
        self.paths.extend(other.paths);
        self.failures += other.failures;
        if let Some(d) = other.first_failure {
            self.first_failure.get_or_insert(d);
        }
    }

    fn failed(&mut self, d: Diagnostic) {
        self.failures += 1;
        self.first_failure.get_or_insert(d);
    }

    fn problems(self) -> Option<Diagnostic> {
        let mut first = self.first_failure?;
        if self.failures > 1 {
            first.message += &format!(" (and {} other files)", self.failures - 1);
        }
        Some(first)
    }
}

/// For each (taxonomy, term slug), the pages that have it, in list order.
pub(crate) use crate::site_index::TermIndex;
