//! Each question by its type: numbers with complete, non-overlapping ranges; choices
//! with every option routed; yes/no with both answers.

use super::{Finder, slug};
use crate::rules::eval;
use crate::rules::parse::{Branch, QuestionType, Route};
use crate::rules::tree::{self, Kind, Target};
use crate::yaml::Spanned;

/// The URL segment of the review page; no answer may take it.
const RESERVED: &str = "alle-uitkomsten";

pub(super) type Resolver<'r> = dyn Fn(
        &mut Finder<'_>,
        &Option<Spanned<String>>,
        &Option<Spanned<String>>,
        &dyn Fn(&mut Finder<'_>, String, String),
    ) -> Option<Target>
    + 'r;

/// Fields that belong to another question type.
fn foreign(
    f: &mut Finder<'_>,
    id: &Spanned<String>,
    q: &crate::rules::parse::Question,
    allowed: &[&str],
) {
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

pub(super) fn number(
    f: &mut Finder<'_>,
    id: &Spanned<String>,
    q: &crate::rules::parse::Question,
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

pub(super) fn choice(
    f: &mut Finder<'_>,
    id: &Spanned<String>,
    q: &crate::rules::parse::Question,
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
    if options.value.0.len() < 2 {
        f.error_id(
            id,
            format!("the choice question `{}` has only one option", id.value),
            "a choice needs at least two options; with one, leave the question out",
        );
    }
    let mut out = Vec::new();
    let mut ok = true;
    for (option, r) in &options.value.0 {
        slug(f, option, "option");
        if option.value == RESERVED {
            f.error_id(option, format!("the option id `{RESERVED}` is taken by the review page /tools/<name>/{RESERVED}/"), "choose another id");
        }
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

pub(super) fn yes_no(
    f: &mut Finder<'_>,
    id: &Spanned<String>,
    q: &crate::rules::parse::Question,
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
