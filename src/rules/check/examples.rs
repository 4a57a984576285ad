//! The editors' examples: valid answers, all of them used, the expected outcome.

use std::collections::HashMap;

use super::{Finder, suggest};
use crate::rules::eval::{self, Evaluation};
use crate::rules::parse::RuleFile;
use crate::rules::tree::Tree;

/// Every example: valid answers, all of them used, and the expected outcome.
pub(super) fn check(f: &mut Finder<'_>, rules: &RuleFile, tree: &Tree) {
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
