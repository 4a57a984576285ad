//! The rule file as an editor writes it (`content/tools/<name>.rules.yaml`), every
//! value with its position. Nothing is resolved here; `check` turns this into a
//! [`Tree`](super::tree::Tree) or reports what is wrong.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use crate::content::front_matter::Source;
use crate::date::Date;
use crate::yaml::Spanned;

/// A whole rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleFile {
    /// The tool's name, the h1 of its page.
    pub title: Spanned<String>,
    /// One sentence for lists and the meta description.
    pub description: Spanned<String>,
    /// Markdown shown on the start page.
    pub intro: Spanned<String>,
    /// The date of the rules this file follows.
    pub reviewed: Spanned<Date>,
    /// The documents the rules come from.
    pub sources: Spanned<Vec<Source>>,
    /// The id of the first question.
    pub start: Spanned<String>,
    /// Markdown for "Wat verandert er misschien?" on every outcome: plans, not law.
    #[serde(default)]
    pub plans: Option<Spanned<String>>,
    /// The questions, by id, in the order written.
    pub questions: Spanned<Ordered<Question>>,
    /// The outcomes, by id, in the order written.
    pub outcomes: Spanned<Ordered<OutcomeDef>>,
    /// Scenarios checked at every build.
    #[serde(default)]
    pub examples: Vec<Example>,
}

/// The three kinds of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    /// A whole number, routed by inclusive ranges.
    Number,
    /// One of several options.
    Choice,
    /// Yes or no.
    Yesno,
}

/// One question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question, as the legend of its page.
    pub ask: Spanned<String>,
    /// Markdown help under the question.
    #[serde(default)]
    pub help: Option<Spanned<String>>,
    /// number, choice or yesno.
    #[serde(rename = "type")]
    pub kind: Spanned<QuestionType>,
    /// Number questions: the smallest answer.
    #[serde(default)]
    pub min: Option<Spanned<i64>>,
    /// Number questions: the largest answer.
    #[serde(default)]
    pub max: Option<Spanned<i64>>,
    /// Number questions: the unit shown after the field ("jaar").
    #[serde(default)]
    pub unit: Option<String>,
    /// Number questions: where each range leads.
    #[serde(default)]
    pub branches: Option<Spanned<Vec<Branch>>>,
    /// Choice questions: option id → where it leads.
    #[serde(default)]
    pub options: Option<Spanned<Ordered<Route>>>,
    /// Yes/no questions: where yes leads.
    #[serde(default)]
    pub yes: Option<Spanned<Route>>,
    /// Yes/no questions: where no leads.
    #[serde(default)]
    pub no: Option<Spanned<Route>>,
}

/// A range of a number question.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Branch {
    /// `"a..b"`, both ends included.
    pub range: Spanned<String>,
    /// The label shown as a choice on pages without JavaScript.
    pub label: Spanned<String>,
    /// The next question.
    #[serde(default)]
    pub next: Option<Spanned<String>>,
    /// Or the outcome.
    #[serde(default)]
    pub outcome: Option<Spanned<String>>,
}

/// Where an option (or yes, or no) leads.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Route {
    /// The option's text (for yes/no: "Ja" and "Nee" when left out).
    #[serde(default)]
    pub label: Option<Spanned<String>>,
    /// The next question.
    #[serde(default)]
    pub next: Option<Spanned<String>>,
    /// Or the outcome.
    #[serde(default)]
    pub outcome: Option<Spanned<String>>,
}

/// The four verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// An exemption is needed.
    Needed,
    /// Probably needed; ask the authority.
    LikelyNeeded,
    /// Not needed.
    NotNeeded,
    /// The sources do not say; ask the authority.
    Unsure,
}

/// An outcome.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDef {
    /// needed, likely-needed, not-needed or unsure.
    pub verdict: Spanned<Verdict>,
    /// The verdict in words.
    pub title: Spanned<String>,
    /// Markdown: what it means and what to do next.
    pub body: Spanned<String>,
    /// URLs of related pages of this site.
    #[serde(default)]
    pub links: Vec<Spanned<String>>,
}

/// A scenario: these answers must lead to this outcome.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Question id → answer (a number, an option id, yes or no).
    pub answers: Spanned<Ordered<Spanned<Answer>>>,
    /// The expected outcome id.
    pub outcome: Spanned<String>,
}

/// An answer in an example: numbers stay numbers, everything else is text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer(pub String);

impl<'de> Deserialize<'de> for Answer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;
        impl Visitor<'_> for AnswerVisitor {
            type Value = Answer;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an answer: a number or an option id")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Answer, E> {
                Ok(Answer(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Answer, E> {
                Ok(Answer(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Answer, E> {
                Ok(Answer(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Answer, E> {
                Ok(Answer(if v { "yes" } else { "no" }.to_string()))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Answer, E> {
                Ok(Answer(v.to_string()))
            }
        }
        deserializer.deserialize_any(AnswerVisitor)
    }
}

/// A YAML mapping whose order matters (options are shown as written), with the
/// position of every key.
#[derive(Debug)]
pub struct Ordered<T>(pub Vec<(Spanned<String>, T)>);

impl<T> Ordered<T> {
    /// The entry with key `id`.
    pub fn get(&self, id: &str) -> Option<&T> {
        self.0.iter().find(|(k, _)| k.value == id).map(|(_, v)| v)
    }

    /// The keys, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.value.as_str())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a set of `id: ...` entries")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<T>, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    entries.push((key, map.next_value::<T>()?));
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor(PhantomData))
    }
}
