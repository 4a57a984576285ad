//! The one evaluator in Rust: answers in, an outcome and the path out. `decide`, the
//! build's example checks and the no-JS pages all use it.

use std::collections::HashMap;

use super::tree::{Kind, Target, Tree};

/// One step of a path: a question and the answer given.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Step {
    /// The question id.
    pub question: String,
    /// The answer as given (a number, or an option id).
    pub answer: String,
}

/// What the answers lead to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Evaluation {
    /// An outcome, and the path to it.
    Outcome {
        /// The outcome id.
        outcome: String,
        /// The questions answered on the way.
        path: Vec<Step>,
    },
    /// The answers stop at a question that has no answer yet.
    Missing {
        /// The question to ask next.
        question: String,
        /// The path so far.
        path: Vec<Step>,
    },
    /// An answer is not allowed for its question.
    Invalid {
        /// The question.
        question: String,
        /// The answer given.
        answer: String,
        /// What would be allowed, in words ("bedrijf, ouders" or "a whole number from 0 to 17").
        allowed: String,
    },
}

/// Follow `answers` (question id → answer) from the start of `tree`. Answers to
/// questions not on the path are ignored.
pub fn evaluate(tree: &Tree, answers: &HashMap<String, String>) -> Evaluation {
    let mut path = Vec::new();
    let mut current = tree.start;
    // A checked tree has no cycles; the bound only guards against a bug.
    for _ in 0..=tree.questions.len() {
        let question = &tree.questions[current];
        let Some(answer) = answers.get(&question.id) else {
            return Evaluation::Missing {
                question: question.id.clone(),
                path,
            };
        };
        let target = match &question.kind {
            Kind::Number {
                min, max, branches, ..
            } => {
                let number = parse_whole_number(answer).filter(|n| (*min..=*max).contains(n));
                let Some(number) = number else {
                    return invalid(
                        &question.id,
                        answer,
                        format!("a whole number from {min} to {max}"),
                    );
                };
                match branches.iter().find(|b| b.range.contains(&number)) {
                    Some(branch) => branch.target,
                    None => {
                        return invalid(
                            &question.id,
                            answer,
                            format!("a whole number from {min} to {max}"),
                        );
                    }
                }
            }
            Kind::Choice { options, .. } => match options.iter().find(|o| o.id == *answer) {
                Some(option) => option.target,
                None => {
                    let ids: Vec<&str> = options.iter().map(|o| o.id.as_str()).collect();
                    return invalid(&question.id, answer, ids.join(", "));
                }
            },
        };
        path.push(Step {
            question: question.id.clone(),
            answer: answer.clone(),
        });
        match target {
            Target::Outcome(o) => {
                return Evaluation::Outcome {
                    outcome: tree.outcomes[o].id.clone(),
                    path,
                };
            }
            Target::Question(q) => current = q,
        }
    }
    Evaluation::Missing {
        question: tree.questions[current].id.clone(),
        path,
    }
}

fn invalid(question: &str, answer: &str, allowed: String) -> Evaluation {
    Evaluation::Invalid {
        question: question.to_string(),
        answer: answer.to_string(),
        allowed,
    }
}

/// `"12"` → 12; no signs other than a leading minus, no spaces, no decimals.
pub fn parse_whole_number(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A path through the tree: the route taken at each question
/// (`(question index, route index)` into [`Question::routes`](super::tree::Question::routes)).
pub type Route = Vec<(usize, usize)>;

/// Every path from the start to an outcome, in the order of the routes, with the
/// outcome index.
pub fn all_paths(tree: &Tree) -> Vec<(Route, usize)> {
    fn walk(tree: &Tree, question: usize, prefix: &Route, out: &mut Vec<(Route, usize)>) {
        for (r, (_, _, _, target)) in tree.questions[question].routes().into_iter().enumerate() {
            let mut path = prefix.clone();
            path.push((question, r));
            match target {
                Target::Outcome(o) => out.push((path, o)),
                // A checked tree has no cycles; the depth bound guards against a bug.
                Target::Question(next) if path.len() < tree.questions.len() => {
                    walk(tree, next, &path, out)
                }
                Target::Question(_) => {}
            }
        }
    }
    let mut out = Vec::new();
    walk(tree, tree.start, &Vec::new(), &mut out);
    out
}
