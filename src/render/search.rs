//! The search branch of a render: the index of every record's counted words
//! (see [`crate::search`]), then the search page that links its entry file,
//! made while the other pages render.

use std::time::Instant;

use super::{RenderErrors, Todo, Written, jobs, render_each};
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::site::Site;

/// Make the index of the site's records, hand its files to the sink, then
/// render the search page (`todo`: its job; empty when the theme has no search
/// page, and then there is no index either: nothing would load it). `known`:
/// counts of an earlier render (`serve`); `keep`: keep the counts for the next.
pub(super) fn index_and_page(
    shared: &jobs::Shared<'_>,
    tera: &tera::Tera,
    html: &[String],
    known: Option<crate::search::Known>,
    keep: bool,
    todo: &[Todo<'_>],
    sink: &dyn Sink,
) -> Searched {
    let started = Instant::now();
    let mut searched = Searched::default();
    if todo.is_empty() {
        return searched;
    }
    let site = shared.site;
    let mut search = Searchable::new(site, html, known.unwrap_or_default(), keep);
    let made = files(site, &mut search, keep);
    searched.url = write(made, sink, &mut searched.written, &mut searched.problems);
    searched.paths = searched.written.paths.clone();
    searched.time = started.elapsed();
    if keep {
        searched.search = search;
    }
    let shared = jobs::Shared {
        search_index: &searched.url,
        ..*shared
    };
    searched.render_errors = render_each(&shared, tera, todo, sink, &mut searched.written);
    searched
}

/// The search index (see [`crate::search`]) of `search`'s records as files,
/// the entry file first. Synonyms in `site.yaml` that find nothing are errors.
/// `keep`: `search` keeps its records for a later re-render (`serve`).
pub(super) fn files(
    site: &Site,
    search: &mut Searchable,
    keep: bool,
) -> Result<Vec<crate::search::File>, Vec<Diagnostic>> {
    let records = if keep {
        search.records.clone()
    } else {
        std::mem::take(&mut search.records)
    };
    let index = crate::search::index(&site.config, records, &mut search.words, &search.counts)?;
    Ok(crate::search::files(&index, &site.config))
}

/// What the search branch of a render made.
#[derive(Default)]
pub(super) struct Searched {
    /// The records and counts, when kept for a re-render.
    pub(super) search: Searchable,
    /// The index's entry file.
    pub(super) url: String,
    /// The index's files.
    pub(super) paths: Vec<String>,
    /// Those and the search page.
    pub(super) written: Written,
    pub(super) problems: Vec<Diagnostic>,
    /// The search page's template errors, reported with the other pages'.
    pub(super) render_errors: RenderErrors,
    /// Making the index.
    pub(super) time: std::time::Duration,
}

/// Hand the search index's files to the sink; returns the entry file's URL
/// (empty without an index).
pub(super) fn write(
    files: Result<Vec<crate::search::File>, Vec<Diagnostic>>,
    sink: &dyn Sink,
    written: &mut Written,
    problems: &mut Vec<Diagnostic>,
) -> String {
    match files {
        Ok(files) => {
            let url = files
                .first()
                .map(|f| format!("/{}", f.path))
                .unwrap_or_default();
            for file in files {
                written.put(sink, file.path, file.bytes);
            }
            url
        }
        Err(mut p) => {
            problems.append(&mut p);
            String::new()
        }
    }
}

/// The search index's records with their words counted, kept so that a
/// re-render counts only the records of the pages it changed.
#[derive(Default)]
pub(super) struct Searchable {
    records: Vec<crate::search::Record>,
    /// The word table the counts number into.
    words: crate::search::Words,
    counts: Vec<crate::search::Counts>,
    /// For each page, its record (drafts and the home page have none).
    of_page: Vec<Option<usize>>,
}

impl Searchable {
    /// Count every record; `known` counted some of them before (`serve`);
    /// `keep`: the counts are kept for a later render.
    pub(super) fn new(
        site: &Site,
        html: &[String],
        mut known: crate::search::Known,
        keep: bool,
    ) -> Searchable {
        let (records, counts, of_page) = crate::search::records(site, html, &mut known, keep);
        Searchable {
            records,
            words: known.words,
            counts,
            of_page,
        }
    }

    /// The word table and counts, for the next render to reuse.
    pub(super) fn into_known(self) -> crate::search::Known {
        crate::search::Known::new(self.words, self.counts)
    }

    /// Count again the records of `pages`, whose bodies changed (their front
    /// matter, and so whether they have a record, did not).
    pub(super) fn recount(&mut self, site: &Site, html: &[String], pages: &[usize]) {
        let mut known = crate::search::Known::new(std::mem::take(&mut self.words), Vec::new());
        let made = crate::search::count::count(&mut known, pages.len(), true, |k| {
            let i = pages[k];
            let body = html.get(i).map_or("", String::as_str);
            crate::search::records::page_record(site, &site.pages[i], body)
        });
        self.words = known.words;
        for (&i, made) in pages.iter().zip(made) {
            if let (Some(&Some(r)), Some((record, counts))) = (self.of_page.get(i), made) {
                self.records[r] = record;
                self.counts[r] = counts;
            }
        }
    }
}
