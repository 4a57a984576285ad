//! Decision tools as output: the client data file, the no-JS step pages (the tree
//! unfolded, one page per reachable path prefix), and the data of the start and
//! review pages. All of it is made from the checked [`Tree`].

use serde_json::{Value, json};

use super::diagram;
use crate::content::markdown;
use crate::rules::Tree;
use crate::rules::eval;
use crate::rules::parse::Verdict;
use crate::rules::tree::{Kind, Target};
use crate::site::Site;

/// A path prefix: the route taken at each question so far.
pub type Prefix = Vec<(usize, usize)>;

/// The URL of a tool's start page.
pub fn start_url(tree: &Tree) -> String {
    format!("/tools/{}/", tree.name)
}

/// The URL of the review page.
pub fn review_url(tree: &Tree) -> String {
    format!("/tools/{}/alle-uitkomsten/", tree.name)
}

/// The URL of the page after `prefix`: `/tools/ontheffing/0-12/video/`.
pub fn prefix_url(tree: &Tree, prefix: &[(usize, usize)]) -> String {
    let mut url = start_url(tree);
    for &(q, r) in prefix {
        if let Some((_, segment, _, _)) = tree.questions[q].routes().get(r) {
            url.push_str(segment);
            url.push('/');
        }
    }
    url
}

/// Every non-empty path prefix reachable from the start, in tree order.
pub fn prefixes(tree: &Tree) -> Vec<Prefix> {
    fn walk(tree: &Tree, question: usize, prefix: &Prefix, out: &mut Vec<Prefix>) {
        for (r, (_, _, _, target)) in tree.questions[question].routes().into_iter().enumerate() {
            let mut next = prefix.clone();
            next.push((question, r));
            out.push(next.clone());
            if let Target::Question(q) = target
                && next.len() < tree.questions.len()
            {
                walk(tree, q, &next, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(tree, tree.start, &Vec::new(), &mut out);
    out
}

/// Where a prefix ends: the question to ask next, or the outcome.
fn end_of(tree: &Tree, prefix: &[(usize, usize)]) -> Target {
    match prefix.last() {
        None => Target::Question(tree.start),
        Some(&(q, r)) => tree.questions[q]
            .routes()
            .get(r)
            .map_or(Target::Question(tree.start), |r| r.3),
    }
}

fn type_name(kind: &Kind) -> &'static str {
    match kind {
        Kind::Number { .. } => "number",
        Kind::Choice { yes_no: true, .. } => "yesno",
        Kind::Choice { .. } => "choice",
    }
}

/// The routing data the JavaScript runtime evaluates, as a data file that
/// registers itself: `wegwijsBeslishulp.register({...});`. Texts are plain strings
/// (set with `textContent`); rich texts stay in the page's HTML.
pub fn data_js(tree: &Tree) -> String {
    let target = |t: Target| match t {
        Target::Question(q) => json!({ "next": tree.questions[q].id }),
        Target::Outcome(o) => json!({ "outcome": tree.outcomes[o].id }),
    };
    let mut questions = serde_json::Map::new();
    for q in &tree.questions {
        let mut value = json!({ "type": type_name(&q.kind), "ask": q.ask });
        let map = value.as_object_mut();
        match (&q.kind, map) {
            (
                Kind::Number {
                    min,
                    max,
                    unit,
                    branches,
                },
                Some(map),
            ) => {
                map.insert("min".into(), json!(min));
                map.insert("max".into(), json!(max));
                map.insert("unit".into(), json!(unit));
                let list: Vec<Value> = branches
                    .iter()
                    .map(|b| {
                        let mut v = target(b.target);
                        if let Some(m) = v.as_object_mut() {
                            m.insert("min".into(), json!(b.range.start()));
                            m.insert("max".into(), json!(b.range.end()));
                            m.insert("label".into(), json!(b.label));
                        }
                        v
                    })
                    .collect();
                map.insert("branches".into(), Value::Array(list));
            }
            (Kind::Choice { options, .. }, Some(map)) => {
                let list: Vec<Value> = options
                    .iter()
                    .map(|o| {
                        let mut v = target(o.target);
                        if let Some(m) = v.as_object_mut() {
                            m.insert("id".into(), json!(o.id));
                            m.insert("label".into(), json!(o.label));
                        }
                        v
                    })
                    .collect();
                map.insert("options".into(), Value::Array(list));
            }
            _ => {}
        }
        questions.insert(q.id.clone(), value);
    }
    let outcomes: serde_json::Map<String, Value> = tree
        .outcomes
        .iter()
        .map(|o| {
            (
                o.id.clone(),
                json!({ "verdict": o.verdict, "title": o.title }),
            )
        })
        .collect();
    let data = json!({
        "name": tree.name,
        "start": tree.questions[tree.start].id,
        "questions": questions,
        "outcomes": outcomes,
    });
    // `</` cannot close anything in a .js file, but keep the data inert anyway.
    format!(
        "wegwijsBeslishulp.register({});\n",
        data.to_string().replace("</", "<\\/")
    )
}

/// An answer label short enough for a page title: the part before a colon, and a long
/// one cut at its first comma or after three words ("Ja: we verdienen er geld mee, …"
/// becomes "Ja").
pub fn short_label(label: &str) -> &str {
    const LONG: usize = 30;
    let label = label.split(':').next().unwrap_or(label).trim();
    if label.chars().count() <= LONG {
        return label;
    }
    let label = label.split(',').next().unwrap_or(label).trim();
    if label.chars().count() <= LONG {
        return label;
    }
    match label.match_indices(' ').nth(2) {
        Some((i, _)) => &label[..i],
        None => label,
    }
}

fn verdict_label(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Needed => "Ontheffing nodig",
        Verdict::LikelyNeeded => "Waarschijnlijk nodig",
        Verdict::NotNeeded => "Niet nodig",
        Verdict::Unsure => "Niet zeker",
    }
}

/// The data every tool page shares: texts, questions and outcomes.
pub fn tool_value(site: &Site, tree: &Tree, data_url: &str) -> Value {
    let md = |text: &str| markdown::to_html(text, site.config.allow_raw_html);
    let questions: Vec<Value> = tree
        .questions
        .iter()
        .map(|q| question_value(tree, q, None, md))
        .collect();
    let outcomes: Vec<Value> = (0..tree.outcomes.len())
        .map(|o| outcome_value(site, tree, o))
        .collect();
    json!({
        "name": tree.name,
        "title": tree.title,
        "description": tree.description,
        "intro": md(&tree.intro),
        "reviewed": tree.reviewed,
        "sources": tree.sources,
        "plans": tree.plans.as_deref().map(md),
        "url": start_url(tree),
        "review_url": review_url(tree),
        "data_url": data_url,
        "start": tree.questions[tree.start].id,
        "questions": questions,
        "outcomes": outcomes,
    })
}

fn question_value(
    tree: &Tree,
    q: &crate::rules::tree::Question,
    prefix: Option<&[(usize, usize)]>,
    md: impl Fn(&str) -> String,
) -> Value {
    let index = tree
        .questions
        .iter()
        .position(|x| x.id == q.id)
        .unwrap_or(0);
    let choices: Vec<Value> = q
        .routes()
        .into_iter()
        .enumerate()
        .map(|(r, (value, _, label, _))| {
            let url = prefix.map(|p| {
                let mut next = p.to_vec();
                next.push((index, r));
                prefix_url(tree, &next)
            });
            let range = match &q.kind {
                Kind::Number { branches, .. } => branches
                    .get(r)
                    .map(|b| format!("{}..{}", b.range.start(), b.range.end())),
                Kind::Choice { .. } => None,
            };
            json!({ "value": value, "label": label, "url": url, "range": range })
        })
        .collect();
    let (min, max, unit) = match &q.kind {
        Kind::Number { min, max, unit, .. } => (Some(*min), Some(*max), unit.clone()),
        Kind::Choice { .. } => (None, None, None),
    };
    json!({
        "id": q.id,
        "ask": q.ask,
        "help": q.help.as_deref().map(md),
        "type": type_name(&q.kind),
        "min": min, "max": max, "unit": unit,
        "choices": choices,
    })
}

fn outcome_value(site: &Site, tree: &Tree, o: usize) -> Value {
    let outcome = &tree.outcomes[o];
    let links: Vec<Value> = outcome
        .links
        .iter()
        .filter_map(|url| {
            site.page_by_url(url.split('#').next().unwrap_or(""))
                .map(|p| json!({ "title": p.title(), "url": url, "kind": p.kind().name() }))
        })
        .collect();
    json!({
        "id": outcome.id,
        "verdict": outcome.verdict,
        "verdict_label": verdict_label(outcome.verdict),
        "title": outcome.title,
        "body": markdown::to_html(&outcome.body, site.config.allow_raw_html),
        "links": links,
    })
}

/// One step of the no-JS version: the answers so far (with change links), and the
/// next question (choices are links) or the outcome.
pub fn step_value(site: &Site, tree: &Tree, prefix: &[(usize, usize)]) -> Value {
    let md = |text: &str| markdown::to_html(text, site.config.allow_raw_html);
    let answers: Vec<Value> = prefix
        .iter()
        .enumerate()
        .map(|(i, &(q, r))| {
            let question = &tree.questions[q];
            let routes = question.routes();
            let (value, label) = routes
                .get(r)
                .map(|x| (x.0.clone(), x.2))
                .unwrap_or_default();
            json!({
                "question": question.id,
                "ask": question.ask,
                "value": value,
                "label": label,
                "change_url": prefix_url(tree, &prefix[..i]),
            })
        })
        .collect();
    let query: Vec<String> = prefix
        .iter()
        .map(|&(q, r)| {
            let routes = tree.questions[q].routes();
            let value = routes.get(r).map(|x| x.0.clone()).unwrap_or_default();
            format!("{}={}", tree.questions[q].id, value)
        })
        .collect();
    let (question, outcome) = match end_of(tree, prefix) {
        Target::Question(q) => (
            question_value(tree, &tree.questions[q], Some(prefix), md),
            Value::Null,
        ),
        Target::Outcome(o) => (Value::Null, outcome_value(site, tree, o)),
    };
    json!({
        "number": prefix.len() + 1,
        "answers": answers,
        "question": question,
        "outcome": outcome,
        "back_url": (!prefix.is_empty()).then(|| prefix_url(tree, &prefix[..prefix.len() - 1])),
        "restart_url": start_url(tree),
        "url": prefix_url(tree, prefix),
        "query": query.join("&"),
    })
}

/// The review page: every path as a row, the examples, and the diagram.
pub fn review_value(tree: &Tree) -> Value {
    let paths: Vec<Value> = eval::all_paths(tree)
        .into_iter()
        .map(|(path, o)| {
            let steps: Vec<Value> = path
                .iter()
                .map(|&(q, r)| {
                    let question = &tree.questions[q];
                    let label = question.routes().get(r).map(|x| x.2.to_string()).unwrap_or_default();
                    json!({ "question": question.id, "ask": question.ask, "label": label })
                })
                .collect();
            let outcome = &tree.outcomes[o];
            json!({
                "steps": steps,
                "url": prefix_url(tree, &path),
                "outcome": { "id": outcome.id, "title": outcome.title, "verdict": outcome.verdict, "verdict_label": verdict_label(outcome.verdict) },
            })
        })
        .collect();
    let examples: Vec<Value> = tree
        .examples
        .iter()
        .map(|e| {
            let answers: std::collections::HashMap<String, String> = e.answers.iter().cloned().collect();
            let actual = match eval::evaluate(tree, &answers) {
                eval::Evaluation::Outcome { outcome, .. } => Some(outcome),
                _ => None,
            };
            json!({
                "answers": e.answers.iter().map(|(q, a)| json!({ "question": q, "answer": a })).collect::<Vec<_>>(),
                "expected": e.outcome,
                "actual": actual,
                "passes": actual.as_deref() == Some(e.outcome.as_str()),
            })
        })
        .collect();
    json!({ "paths": paths, "examples": examples, "diagram": diagram::svg(tree) })
}

#[cfg(test)]
mod tests {
    use super::short_label;

    #[test]
    fn short_labels_keep_the_words_that_tell_answers_apart() {
        assert_eq!(short_label("12 jaar of jonger"), "12 jaar of jonger");
        assert_eq!(
            short_label("Ja: we verdienen er geld mee, of reclame"),
            "Ja"
        );
        assert_eq!(short_label("Wij, de ouders"), "Wij, de ouders");
        assert_eq!(
            short_label("Af en toe, voor familie of vrienden en kennissen"),
            "Af en toe"
        );
        assert_eq!(
            short_label("Video's of livestreams waarin mijn kind te zien is"),
            "Video's of livestreams"
        );
    }
}
