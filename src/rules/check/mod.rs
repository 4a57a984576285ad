//! Everything `rules.md` says a rule file must prove, each finding with
//! file:line:col, the offending id or value, and a hint. On success the result is the
//! resolved [`Tree`].
//!
//! `questions` checks each question by its type, `graph` the shape of the whole tree,
//! `examples` the editors' scenarios.

mod examples;
mod graph;
mod questions;

use std::collections::HashMap;
use std::path::Path;

use super::parse::{QuestionType, RuleFile};
use super::tree::{self, Outcome, Target, Tree};
use crate::content::url::is_slug;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::yaml::{self, Embedding, Spanned};
use questions::{choice, number, yes_no};

/// Where findings point: the file and its text.
pub(super) struct Finder<'a> {
    pub(super) file: &'a Path,
    pub(super) source: &'a str,
    pub(super) problems: Vec<Diagnostic>,
}

impl Finder<'_> {
    pub(super) fn at<T>(&self, value: &Spanned<T>, width: usize) -> Option<Location> {
        let embedding = Embedding {
            file_source: self.source,
            line_offset: 0,
        };
        yaml::location_of(value, embedding, width)
    }

    pub(super) fn error<T>(
        &mut self,
        value: &Spanned<T>,
        width: usize,
        message: String,
        help: impl Into<String>,
    ) {
        let d = Diagnostic::error(message)
            .in_file(self.file)
            .at_opt(self.at(value, width))
            .with_help(help);
        self.problems.push(d);
    }

    pub(super) fn error_id(
        &mut self,
        id: &Spanned<String>,
        message: String,
        help: impl Into<String>,
    ) {
        let width = id.value.chars().count();
        self.error(id, width, message, help);
    }
}

/// Check `rules` (parsed from `source`, the text of `file`) and build its tree.
/// `is_page` says whether a URL is a page of the site (for outcome links).
pub fn check(
    name: &str,
    file: &Path,
    source: &str,
    rules: &RuleFile,
    is_page: &dyn Fn(&str) -> bool,
) -> Result<(Tree, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut f = Finder {
        file,
        source,
        problems: Vec::new(),
    };
    let question_ids: HashMap<&str, usize> = rules
        .questions
        .value
        .0
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.value.as_str(), i))
        .collect();
    let outcome_ids: HashMap<&str, usize> = rules
        .outcomes
        .value
        .0
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.value.as_str(), i))
        .collect();
    texts(&mut f, rules);
    for (id, _) in &rules.questions.value.0 {
        slug(&mut f, id, "question");
    }
    for (id, _) in &rules.outcomes.value.0 {
        slug(&mut f, id, "outcome");
    }
    if rules.questions.value.0.is_empty() {
        f.error(
            &rules.questions,
            9,
            "the file has no questions".into(),
            "add at least one question under `questions:`",
        );
    }
    if rules.outcomes.value.0.is_empty() {
        f.error(
            &rules.outcomes,
            8,
            "the file has no outcomes".into(),
            "add at least one outcome under `outcomes:`",
        );
    }
    let start = match question_ids.get(rules.start.value.as_str()) {
        Some(&i) => Some(i),
        None => {
            let hint = suggest(
                &rules.start.value,
                question_ids.keys().copied(),
                "the questions are",
            );
            f.error_id(
                &rules.start,
                format!(
                    "`start` names `{}`, which is not a question",
                    rules.start.value
                ),
                hint,
            );
            None
        }
    };
    let resolve = |f: &mut Finder<'_>,
                   next: &Option<Spanned<String>>,
                   outcome: &Option<Spanned<String>>,
                   at: &dyn Fn(&mut Finder<'_>, String, String)|
     -> Option<Target> {
        match (next, outcome) {
            (Some(next), None) => match question_ids.get(next.value.as_str()) {
                Some(&q) => Some(Target::Question(q)),
                None if outcome_ids.contains_key(next.value.as_str()) => {
                    f.error_id(
                        next,
                        format!("`next: {}` names an outcome, not a question", next.value),
                        format!("write `outcome: {}`", next.value),
                    );
                    None
                }
                None => {
                    let hint = suggest(
                        &next.value,
                        question_ids.keys().copied(),
                        "the questions are",
                    );
                    f.error_id(
                        next,
                        format!("`next` names `{}`, which is not a question", next.value),
                        hint,
                    );
                    None
                }
            },
            (None, Some(outcome)) => match outcome_ids.get(outcome.value.as_str()) {
                Some(&o) => Some(Target::Outcome(o)),
                None if question_ids.contains_key(outcome.value.as_str()) => {
                    f.error_id(
                        outcome,
                        format!(
                            "`outcome: {}` names a question, not an outcome",
                            outcome.value
                        ),
                        format!("write `next: {}`", outcome.value),
                    );
                    None
                }
                None => {
                    let hint = suggest(
                        &outcome.value,
                        outcome_ids.keys().copied(),
                        "the outcomes are",
                    );
                    f.error_id(
                        outcome,
                        format!(
                            "`outcome` names `{}`, which is not an outcome",
                            outcome.value
                        ),
                        hint,
                    );
                    None
                }
            },
            (Some(next), Some(_)) => {
                f.error_id(
                    next,
                    "this answer has both `next` and `outcome`".into(),
                    "keep one: `next` for another question, `outcome` to end",
                );
                None
            }
            (None, None) => {
                at(
                    f,
                    "this answer leads nowhere: it has no `next` and no `outcome`".into(),
                    "add `next: <question>` or `outcome: <outcome>`".into(),
                );
                None
            }
        }
    };
    let mut questions = Vec::new();
    for (id, q) in &rules.questions.value.0 {
        let kind = match q.kind.value {
            QuestionType::Number => number(&mut f, id, q, &resolve),
            QuestionType::Choice => choice(&mut f, id, q, &resolve),
            QuestionType::Yesno => yes_no(&mut f, id, q, &resolve),
        };
        questions.push(kind.map(|kind| tree::Question {
            id: id.value.clone(),
            ask: q.ask.value.clone(),
            help: q.help.as_ref().map(|h| h.value.clone()),
            kind,
        }));
    }
    let outcomes: Vec<Outcome> = rules
        .outcomes
        .value
        .0
        .iter()
        .map(|(id, o)| {
            for link in &o.links {
                if !is_page(link.value.split('#').next().unwrap_or("")) {
                    f.error_id(
                        link,
                        format!(
                            "the outcome `{}` links to {}, which is not a page of the site",
                            id.value, link.value
                        ),
                        "write the URL of a page, like /kaarten/risico/veiligheid/",
                    );
                }
            }
            Outcome {
                id: id.value.clone(),
                verdict: o.verdict.value,
                title: o.title.value.clone(),
                body: o.body.value.clone(),
                links: o.links.iter().map(|l| l.value.clone()).collect(),
            }
        })
        .collect();
    let (Some(start), true) = (start, questions.iter().all(Option::is_some)) else {
        return Err(f.problems);
    };
    if f.problems.iter().any(Diagnostic::is_error) {
        return Err(f.problems);
    }
    let tree = Tree {
        name: name.to_string(),
        title: rules.title.value.clone(),
        description: rules.description.value.clone(),
        intro: rules.intro.value.clone(),
        reviewed: rules.reviewed.value,
        sources: rules
            .sources
            .value
            .iter()
            .map(|s| crate::content::front_matter::Source {
                title: s.title.clone(),
                date: s.date,
                url: s.url.clone(),
                note: s.note.clone(),
            })
            .collect(),
        plans: rules.plans.as_ref().map(|p| p.value.clone()),
        start,
        questions: questions.into_iter().flatten().collect(),
        outcomes,
        examples: rules
            .examples
            .iter()
            .map(|e| tree::Example {
                answers: e
                    .answers
                    .value
                    .0
                    .iter()
                    .map(|(q, a)| (q.value.clone(), a.value.0.clone()))
                    .collect(),
                outcome: e.outcome.value.clone(),
            })
            .collect(),
    };
    graph::check(&mut f, rules, &tree);
    if f.problems.iter().any(Diagnostic::is_error) {
        return Err(f.problems);
    }
    examples::check(&mut f, rules, &tree);
    if f.problems.iter().any(Diagnostic::is_error) {
        return Err(f.problems);
    }
    Ok((tree, f.problems))
}

pub(super) fn suggest<'a>(
    word: &str,
    candidates: impl Iterator<Item = &'a str>,
    what: &str,
) -> String {
    let mut all: Vec<&str> = candidates.collect();
    all.sort_unstable();
    match did_you_mean(word, all.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? {what}: {}", all.join(", ")),
        None => format!("{what}: {}", all.join(", ")),
    }
}

pub(super) fn slug(f: &mut Finder<'_>, id: &Spanned<String>, what: &str) {
    if !is_slug(&id.value) {
        f.error_id(
            id,
            format!("the {what} id `{}` is not a slug", id.value),
            "use lower-case letters, digits and hyphens, e.g. `wie-bepaalt`",
        );
    }
}

fn texts(f: &mut Finder<'_>, rules: &RuleFile) {
    let empty = |f: &mut Finder<'_>, value: &Spanned<String>, field: &str| {
        if value.value.trim().is_empty() {
            f.error(
                value,
                1,
                format!("`{field}` is empty"),
                format!("write the {field}"),
            );
        }
    };
    empty(f, &rules.title, "title");
    empty(f, &rules.description, "description");
    empty(f, &rules.intro, "intro");
    for (_, q) in &rules.questions.value.0 {
        empty(f, &q.ask, "ask");
    }
    for (_, o) in &rules.outcomes.value.0 {
        empty(f, &o.title, "title");
        empty(f, &o.body, "body");
    }
    for source in &rules.sources.value {
        if let Some(url) = source.url.as_deref()
            && !crate::content::markdown::is_safe_url(url)
        {
            let at = f
                .source
                .find(url)
                .map(|offset| Location::at_offset(f.source, offset, url.chars().count()));
            let d = Diagnostic::error(format!("the source `{}` links to `{url}`, which is not a web address", source.title))
                .in_file(f.file)
                .at_opt(at)
                .with_help("a source URL starts with https:// (or http://, mailto:, or / for a page of this site)");
            f.problems.push(d);
        }
    }
    if rules.sources.value.is_empty() {
        f.error(
            &rules.sources,
            1,
            "a decision tool needs at least one source".into(),
            "add `sources:` with the title and date of each document its rules come from",
        );
    }
}
