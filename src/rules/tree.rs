//! The checked decision tree: every reference resolved, every range complete. The
//! single input of the Rust evaluator, the JavaScript data and the no-JS pages.

use std::ops::RangeInclusive;

use super::parse::Verdict;
use crate::content::front_matter::Source;
use crate::date::Date;

/// Where an answer leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The question with this index.
    Question(usize),
    /// The outcome with this index.
    Outcome(usize),
}

/// A checked decision tool.
#[derive(Debug)]
pub struct Tree {
    /// The tool's name (the file name without `.rules.yaml`).
    pub name: String,
    /// The title.
    pub title: String,
    /// One sentence.
    pub description: String,
    /// Markdown for the start page.
    pub intro: String,
    /// The date of the rules followed.
    pub reviewed: Date,
    /// The sources.
    pub sources: Vec<Source>,
    /// Markdown for "Wat verandert er misschien?".
    pub plans: Option<String>,
    /// The first question.
    pub start: usize,
    /// The questions, in file order.
    pub questions: Vec<Question>,
    /// The outcomes, in file order.
    pub outcomes: Vec<Outcome>,
    /// The file's examples (all of them pass: `check` proved it).
    pub examples: Vec<Example>,
}

/// A checked example: answers, in the order written, and the outcome they reach.
#[derive(Debug)]
pub struct Example {
    /// `(question id, answer)`.
    pub answers: Vec<(String, String)>,
    /// The outcome id.
    pub outcome: String,
}

/// One question.
#[derive(Debug)]
pub struct Question {
    /// Its id.
    pub id: String,
    /// The question.
    pub ask: String,
    /// Markdown help.
    pub help: Option<String>,
    /// How it is answered.
    pub kind: Kind,
}

/// How a question is answered.
#[derive(Debug)]
pub enum Kind {
    /// A whole number between `min` and `max`; the branches cover that range.
    Number {
        /// Smallest answer.
        min: i64,
        /// Largest answer.
        max: i64,
        /// Unit shown after the field.
        unit: Option<String>,
        /// Ranges in ascending order.
        branches: Vec<Branch>,
    },
    /// One of the options (yes/no questions are choices with `yes` and `no`).
    Choice {
        /// The options, in order.
        options: Vec<Choice>,
        /// Whether this was written as a yes/no question.
        yes_no: bool,
    },
}

/// A range of a number question.
#[derive(Debug)]
pub struct Branch {
    /// Both ends included.
    pub range: RangeInclusive<i64>,
    /// The label shown as a choice without JavaScript.
    pub label: String,
    /// Where it leads.
    pub target: Target,
}

impl Branch {
    /// The URL segment of this branch: `0-12`.
    pub fn slug(&self) -> String {
        format!("{}-{}", self.range.start(), self.range.end())
    }
}

/// An option of a choice question.
#[derive(Debug)]
pub struct Choice {
    /// Its id: the answer value and URL segment.
    pub id: String,
    /// Its text.
    pub label: String,
    /// Where it leads.
    pub target: Target,
}

/// An outcome.
#[derive(Debug)]
pub struct Outcome {
    /// Its id.
    pub id: String,
    /// needed, likely-needed, not-needed or unsure.
    pub verdict: Verdict,
    /// The verdict in words.
    pub title: String,
    /// Markdown: what it means, what to do.
    pub body: String,
    /// URLs of related pages.
    pub links: Vec<String>,
}

impl Tree {
    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

impl Question {
    /// Every way to answer: `(answer value for the URL query, segment, label, target)`.
    /// For numbers the value is the lowest number of the range.
    pub fn routes(&self) -> Vec<(String, String, &str, Target)> {
        match &self.kind {
            Kind::Number { branches, .. } => branches
                .iter()
                .map(|b| {
                    (
                        b.range.start().to_string(),
                        b.slug(),
                        b.label.as_str(),
                        b.target,
                    )
                })
                .collect(),
            Kind::Choice { options, .. } => options
                .iter()
                .map(|o| (o.id.clone(), o.id.clone(), o.label.as_str(), o.target))
                .collect(),
        }
    }
}
