//! The shape of the tree: every question reachable from `start`, no cycles, every
//! outcome used.

use super::Finder;
use crate::diagnostics::Diagnostic;
use crate::rules::parse::RuleFile;
use crate::rules::tree::{Target, Tree};

/// Reachability from `start`, no cycles, every outcome used.
pub(super) fn check(f: &mut Finder<'_>, rules: &RuleFile, tree: &Tree) {
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
    // The no-JS version is one page per path prefix: a tree where paths split and
    // join again grows exponentially, so cap it with a clear message.
    fn prefixes(q: usize, edges: &[Vec<Target>], memo: &mut [Option<u64>]) -> u64 {
        if let Some(n) = memo[q] {
            return n;
        }
        let n = edges[q].iter().fold(0u64, |sum, target| {
            let below = match *target {
                Target::Question(next) => prefixes(next, edges, memo),
                Target::Outcome(_) => 0,
            };
            sum.saturating_add(1).saturating_add(below)
        });
        memo[q] = Some(n);
        n
    }
    let pages = prefixes(tree.start, &edges, &mut vec![None; tree.questions.len()]);
    if pages > MAX_STEP_PAGES {
        f.error_id(
            &rules.start,
            format!("this tool would need {pages} pages without JavaScript (one per path through it); at most {MAX_STEP_PAGES} are made"),
            "let fewer answers lead on to the same later questions, or split the tool in two",
        );
    }
}

/// The most no-JS step pages one tool may have.
pub const MAX_STEP_PAGES: u64 = 2_000;
