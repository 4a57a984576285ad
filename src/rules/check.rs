//! Everything `rules.md` says a rule file must prove, each finding with
//! file:line:col, the offending id or value, and a hint. On success the result is the
//! resolved [`Tree`].

use std::collections::HashMap;
use std::path::Path;

use super::eval::{self, Evaluation};
use super::parse::{Branch, QuestionType, Route, RuleFile};
use super::tree::{self, Kind, Outcome, Target, Tree};
use crate::content::url::is_slug;
use crate::diagnostics::{Diagnostic, Location, did_you_mean};
use crate::yaml::{self, Embedding, Spanned};

/// Where findings point: the file and its text.
struct Finder<'a> {
    file: &'a Path,
    source: &'a str,
    problems: Vec<Diagnostic>,
}

impl Finder<'_> {
    fn at<T>(&self, value: &Spanned<T>, width: usize) -> Option<Location> {
        let embedding = Embedding {
            file_source: self.source,
            line_offset: 0,
        };
        yaml::location_of(value, embedding, width)
    }

    fn error<T>(
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

    fn error_id(&mut self, id: &Spanned<String>, message: String, help: impl Into<String>) {
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
    graph(&mut f, rules, &tree);
    if f.problems.iter().any(Diagnostic::is_error) {
        return Err(f.problems);
    }
    examples(&mut f, rules, &tree);
    if f.problems.iter().any(Diagnostic::is_error) {
        return Err(f.problems);
    }
    Ok((tree, f.problems))
}

fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>, what: &str) -> String {
    let mut all: Vec<&str> = candidates.collect();
    all.sort_unstable();
    match did_you_mean(word, all.iter().copied()) {
        Some(best) => format!("did you mean `{best}`? {what}: {}", all.join(", ")),
        None => format!("{what}: {}", all.join(", ")),
    }
}

fn slug(f: &mut Finder<'_>, id: &Spanned<String>, what: &str) {
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
    if rules.sources.value.is_empty() {
        f.error(
            &rules.sources,
            1,
            "a decision tool needs at least one source".into(),
            "add `sources:` with the title and date of each document its rules come from",
        );
    }
}

type Resolver<'r> = dyn Fn(
        &mut Finder<'_>,
        &Option<Spanned<String>>,
        &Option<Spanned<String>>,
        &dyn Fn(&mut Finder<'_>, String, String),
    ) -> Option<Target>
    + 'r;

/// Fields that belong to another question type.
fn foreign(f: &mut Finder<'_>, id: &Spanned<String>, q: &super::parse::Question, allowed: &[&str]) {
    let present = [
        ("branches", q.branches.is_some()),
        ("options", q.options.is_some()),
        ("yes", q.yes.is_some()),
        ("no", q.no.is_some()),
        ("min", q.min.is_some()),
        ("max", q.max.is_some()),
    ];
    for (field, is_there) in present {
        if is_there && !allowed.contains(&field) {
            let kind = match q.kind.value {
                QuestionType::Number => "number",
                QuestionType::Choice => "choice",
                QuestionType::Yesno => "yesno",
            };
            f.error_id(
                id,
                format!(
                    "the {kind} question `{}` has `{field}`, which {kind} questions do not use",
                    id.value
                ),
                format!("{kind} questions use: {}", allowed.join(", ")),
            );
        }
    }
}

fn number(
    f: &mut Finder<'_>,
    id: &Spanned<String>,
    q: &super::parse::Question,
    resolve: &Resolver<'_>,
) -> Option<Kind> {
    foreign(f, id, q, &["branches", "min", "max"]);
    let (Some(min), Some(max)) = (&q.min, &q.max) else {
        f.error_id(
            id,
            format!("the number question `{}` needs `min` and `max`", id.value),
            "add e.g. `min: 0` and `max: 17`",
        );
        return None;
    };
    if min.value > max.value {
        f.error(
            max,
            1,
            format!(
                "`max` ({}) is smaller than `min` ({})",
                max.value, min.value
            ),
            "swap them",
        );
        return None;
    }
    let Some(branches) = &q.branches else {
        f.error_id(
            id,
            format!("the number question `{}` has no `branches`", id.value),
            "add `branches:` with a `range` for every answer from min to max",
        );
        return None;
    };
    let mut parsed: Vec<(std::ops::RangeInclusive<i64>, &Branch)> = Vec::new();
    let mut ok = true;
    for b in &branches.value {
        match parse_range(&b.range.value) {
            Some(r) if r.start() <= r.end() => parsed.push((r, b)),
            _ => {
                f.error_id(
                    &b.range,
                    format!("`{}` is not a range", b.range.value),
                    "write a range as \"0..12\": both ends are included, the smaller first",
                );
                ok = false;
            }
        }
        if b.label.value.trim().is_empty() {
            f.error(
                &b.label,
                1,
                "the label is empty".into(),
                "write how this range reads as a choice, e.g. \"12 jaar of jonger\"",
            );
        }
    }
    if !ok {
        return None;
    }
    parsed.sort_by_key(|(r, _)| *r.start());
    let mut expected = min.value;
    for (i, (r, b)) in parsed.iter().enumerate() {
        if *r.start() > expected {
            f.error_id(
                &b.range,
                format!(
                    "the ranges of `{}` leave a gap: no branch for {}..{}",
                    id.value,
                    expected,
                    r.start() - 1
                ),
                format!(
                    "extend a range, or add `- {{ range: \"{}..{}\", ... }}`",
                    expected,
                    r.start() - 1
                ),
            );
        } else if *r.start() < expected && i > 0 {
            let (prev, _) = &parsed[i - 1];
            f.error_id(
                &b.range,
                format!(
                    "the ranges {}..{} and {}..{} of `{}` overlap",
                    prev.start(),
                    prev.end(),
                    r.start(),
                    r.end(),
                    id.value
                ),
                "every number may fall in one range only",
            );
        } else if *r.start() < min.value {
            f.error_id(
                &b.range,
                format!(
                    "the range {}..{} starts below `min` ({})",
                    r.start(),
                    r.end(),
                    min.value
                ),
                format!("start it at {}", min.value),
            );
        }
        expected = expected.max(r.end().saturating_add(1));
    }
    if let Some((last, b)) = parsed.last() {
        if *last.end() < max.value {
            f.error_id(
                &b.range,
                format!(
                    "the ranges of `{}` stop at {}, but `max` is {}",
                    id.value,
                    last.end(),
                    max.value
                ),
                format!("extend the last range to {}", max.value),
            );
        } else if *last.end() > max.value {
            f.error_id(
                &b.range,
                format!(
                    "the range {}..{} goes past `max` ({})",
                    last.start(),
                    last.end(),
                    max.value
                ),
                format!("end it at {}", max.value),
            );
        }
    } else {
        f.error_id(
            id,
            format!("the number question `{}` has no branches", id.value),
            "add at least one `range`",
        );
        return None;
    }
    let mut out = Vec::new();
    for (range, b) in parsed {
        let target = resolve(f, &b.next, &b.outcome, &|f, m, h| {
            f.error_id(&b.range, m, h)
        })?;
        out.push(tree::Branch {
            range,
            label: b.label.value.clone(),
            target,
        });
    }
    Some(Kind::Number {
        min: min.value,
        max: max.value,
        unit: q.unit.clone(),
        branches: out,
    })
}

fn parse_range(text: &str) -> Option<std::ops::RangeInclusive<i64>> {
    let (a, b) = text.split_once("..")?;
    Some(eval::parse_whole_number(a.trim())?..=eval::parse_whole_number(b.trim())?)
}

fn route(
    f: &mut Finder<'_>,
    option: &Spanned<String>,
    r: &Route,
    default_label: Option<&str>,
    resolve: &Resolver<'_>,
) -> Option<tree::Choice> {
    let label = match (&r.label, default_label) {
        (Some(l), _) if !l.value.trim().is_empty() => l.value.clone(),
        (None, Some(d)) => d.to_string(),
        (Some(l), _) => {
            f.error(
                l,
                1,
                format!("the label of `{}` is empty", option.value),
                "write the text of this answer",
            );
            return None;
        }
        (None, None) => {
            f.error_id(
                option,
                format!("the option `{}` has no label", option.value),
                "add `label: \"...\"`: the text parents choose",
            );
            return None;
        }
    };
    let target = resolve(f, &r.next, &r.outcome, &|f, m, h| f.error_id(option, m, h))?;
    Some(tree::Choice {
        id: option.value.clone(),
        label,
        target,
    })
}

fn choice(
    f: &mut Finder<'_>,
    id: &Spanned<String>,
    q: &super::parse::Question,
    resolve: &Resolver<'_>,
) -> Option<Kind> {
    foreign(f, id, q, &["options"]);
    let Some(options) = q.options.as_ref().filter(|o| !o.value.0.is_empty()) else {
        f.error_id(
            id,
            format!("the choice question `{}` has no `options`", id.value),
            "add `options:` with at least two answers",
        );
        return None;
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (option, r) in &options.value.0 {
        slug(f, option, "option");
        match route(f, option, r, None, resolve) {
            Some(c) => out.push(c),
            None => ok = false,
        }
    }
    ok.then_some(Kind::Choice {
        options: out,
        yes_no: false,
    })
}

fn yes_no(
    f: &mut Finder<'_>,
    id: &Spanned<String>,
    q: &super::parse::Question,
    resolve: &Resolver<'_>,
) -> Option<Kind> {
    foreign(f, id, q, &["yes", "no"]);
    let (Some(yes), Some(no)) = (&q.yes, &q.no) else {
        f.error_id(
            id,
            format!(
                "the yes/no question `{}` needs both `yes` and `no`",
                id.value
            ),
            "add `yes: { next: ... }` and `no: { outcome: ... }`",
        );
        return None;
    };
    let yes_id = Spanned::new("yes".to_string(), yes.referenced, yes.defined);
    let no_id = Spanned::new("no".to_string(), no.referenced, no.defined);
    let yes = route(f, &yes_id, &yes.value, Some("Ja"), resolve);
    let no = route(f, &no_id, &no.value, Some("Nee"), resolve);
    Some(Kind::Choice {
        options: vec![yes?, no?],
        yes_no: true,
    })
}

/// Reachability from `start`, no cycles, every outcome used.
fn graph(f: &mut Finder<'_>, rules: &RuleFile, tree: &Tree) {
    let edges: Vec<Vec<Target>> = tree
        .questions
        .iter()
        .map(|q| q.routes().into_iter().map(|r| r.3).collect())
        .collect();
    let mut reached = vec![false; tree.questions.len()];
    let mut used = vec![false; tree.outcomes.len()];
    let mut stack = vec![tree.start];
    while let Some(q) = stack.pop() {
        if std::mem::replace(&mut reached[q], true) {
            continue;
        }
        for target in &edges[q] {
            match *target {
                Target::Question(n) => stack.push(n),
                Target::Outcome(o) => used[o] = true,
            }
        }
    }
    for (q, (id, _)) in rules.questions.value.0.iter().enumerate() {
        if !reached[q] {
            f.error_id(
                id,
                format!("the question `{}` is never reached from `start`", id.value),
                "point a `next` of another question at it, or remove it",
            );
        }
    }
    for (o, (id, _)) in rules.outcomes.value.0.iter().enumerate() {
        if !used[o] {
            let d = Diagnostic::warning(format!("the outcome `{}` is never used", id.value))
                .in_file(f.file)
                .at_opt(f.at(id, id.value.chars().count()))
                .with_help("point an `outcome` at it, or remove it");
            f.problems.push(d);
        }
    }
    // Depth-first search with colours: a grey node met again closes a cycle.
    #[derive(Clone, Copy, PartialEq)]
    enum Colour {
        White,
        Grey,
        Black,
    }
    fn visit(
        q: usize,
        edges: &[Vec<Target>],
        colour: &mut [Colour],
        trail: &mut Vec<usize>,
    ) -> Option<Vec<usize>> {
        colour[q] = Colour::Grey;
        trail.push(q);
        for target in &edges[q] {
            if let Target::Question(n) = *target {
                if colour[n] == Colour::Grey {
                    let from = trail.iter().position(|&x| x == n).unwrap_or(0);
                    let mut cycle = trail[from..].to_vec();
                    cycle.push(n);
                    return Some(cycle);
                }
                if colour[n] == Colour::White
                    && let Some(cycle) = visit(n, edges, colour, trail)
                {
                    return Some(cycle);
                }
            }
        }
        trail.pop();
        colour[q] = Colour::Black;
        None
    }
    let mut colour = vec![Colour::White; tree.questions.len()];
    for q in 0..tree.questions.len() {
        if colour[q] == Colour::White
            && let Some(cycle) = visit(q, &edges, &mut colour, &mut Vec::new())
        {
            let names: Vec<&str> = cycle
                .iter()
                .map(|&i| tree.questions[i].id.as_str())
                .collect();
            let last = cycle[cycle.len() - 2];
            let (id, _) = &rules.questions.value.0[last];
            f.error_id(
                id,
                format!("the questions go round in a circle: {}", names.join(" → ")),
                "a question may not lead back to an earlier one; end one of them in an `outcome`",
            );
            return;
        }
    }
}

/// Every example: valid answers, all of them used, and the expected outcome.
fn examples(f: &mut Finder<'_>, rules: &RuleFile, tree: &Tree) {
    for example in &rules.examples {
        let mut answers = HashMap::new();
        let mut ok = true;
        for (question, answer) in &example.answers.value.0 {
            if tree.question(&question.value).is_none() {
                let hint = suggest(
                    &question.value,
                    tree.questions.iter().map(|q| q.id.as_str()),
                    "the questions are",
                );
                f.error_id(
                    question,
                    format!(
                        "the example answers `{}`, which is not a question",
                        question.value
                    ),
                    hint,
                );
                ok = false;
            }
            answers.insert(question.value.clone(), answer.value.0.clone());
        }
        if !tree.outcomes.iter().any(|o| o.id == example.outcome.value) {
            let hint = suggest(
                &example.outcome.value,
                tree.outcomes.iter().map(|o| o.id.as_str()),
                "the outcomes are",
            );
            f.error_id(
                &example.outcome,
                format!(
                    "the example expects `{}`, which is not an outcome",
                    example.outcome.value
                ),
                hint,
            );
            ok = false;
        }
        if !ok {
            continue;
        }
        match eval::evaluate(tree, &answers) {
            Evaluation::Outcome { outcome, path } => {
                if outcome != example.outcome.value {
                    let route: Vec<String> = path
                        .iter()
                        .map(|s| format!("{}={}", s.question, s.answer))
                        .collect();
                    f.error_id(
                        &example.outcome,
                        format!(
                            "the example leads to `{outcome}`, not to `{}`",
                            example.outcome.value
                        ),
                        format!(
                            "the path taken: {}; fix the tree or the example",
                            route.join(" → ")
                        ),
                    );
                }
                for (question, _) in &example.answers.value.0 {
                    if !path.iter().any(|s| s.question == question.value) {
                        f.error_id(question, format!("the example answers `{}`, but that question is not asked on this path", question.value), "remove this answer from the example");
                    }
                }
            }
            Evaluation::Missing { question, .. } => {
                f.error(
                    &example.answers,
                    1,
                    format!("the example stops at `{question}`: it gives no answer to it"),
                    format!("add `{question}: ...` to the answers"),
                );
            }
            Evaluation::Invalid {
                question,
                answer,
                allowed,
            } => {
                let at = example
                    .answers
                    .value
                    .0
                    .iter()
                    .find(|(q, _)| q.value == question)
                    .map(|(_, a)| a);
                match at {
                    Some(a) => f.error(
                        a,
                        answer.chars().count(),
                        format!("`{answer}` is not an answer to `{question}`"),
                        format!("allowed: {allowed}"),
                    ),
                    None => f.error(
                        &example.answers,
                        1,
                        format!("`{answer}` is not an answer to `{question}`"),
                        format!("allowed: {allowed}"),
                    ),
                }
            }
        }
    }
}
