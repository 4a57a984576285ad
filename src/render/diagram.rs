//! The tree of a decision tool as an inline SVG, made at build time: questions in
//! columns by depth, outcomes in the last column, each answer an arrow with its label.

use std::fmt::Write as _;

use crate::rules::Tree;
use crate::rules::tree::Target;

const WIDTH: usize = 210;
const HEIGHT: usize = 58;
const GAP_X: usize = 120;
const GAP_Y: usize = 22;

/// The diagram, as SVG markup safe to print unescaped (all text is escaped here).
pub fn svg(tree: &Tree) -> String {
    let depth = depths(tree);
    let columns = depth.iter().copied().max().unwrap_or(0) + 2;
    // Column and row of every node: questions first, then outcomes (last column).
    let mut rows = vec![0usize; columns];
    let mut question_at = vec![(0, 0); tree.questions.len()];
    for (q, &d) in depth.iter().enumerate() {
        question_at[q] = (d, rows[d]);
        rows[d] += 1;
    }
    let last = columns - 1;
    let mut outcome_at = vec![(last, 0); tree.outcomes.len()];
    for slot in outcome_at.iter_mut() {
        *slot = (last, rows[last]);
        rows[last] += 1;
    }
    let tallest = rows.iter().copied().max().unwrap_or(1);
    let width = columns * (WIDTH + GAP_X);
    let height = tallest * (HEIGHT + GAP_Y) + GAP_Y;
    let pos =
        |(col, row): (usize, usize)| (col * (WIDTH + GAP_X) + 10, row * (HEIGHT + GAP_Y) + GAP_Y);
    let mut out = String::new();
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"tree-diagram\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"boom-titel\">\
         <title id=\"boom-titel\">De beslisboom van {}: {} vragen, {} uitkomsten</title>",
        escape(&tree.title),
        tree.questions.len(),
        tree.outcomes.len()
    );
    for (q, question) in tree.questions.iter().enumerate() {
        let (x1, y1) = pos(question_at[q]);
        for (_, _, label, target) in question.routes() {
            let to = match target {
                Target::Question(n) => question_at[n],
                Target::Outcome(o) => outcome_at[o],
            };
            let (x2, y2) = pos(to);
            let (sx, sy, ex, ey) = (x1 + WIDTH, y1 + HEIGHT / 2, x2, y2 + HEIGHT / 2);
            let mid = (sx + ex) / 2;
            let _ = write!(
                out,
                "<path d=\"M{sx} {sy} C{mid} {sy} {mid} {ey} {ex} {ey}\" fill=\"none\" stroke=\"#52606d\" stroke-width=\"1.5\"/>\
                 <text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#1f2933\">{}</text>",
                sx + 6,
                (sy + ey) / 2 - 4,
                escape(&shorten(label, 22))
            );
        }
    }
    for (q, question) in tree.questions.iter().enumerate() {
        box_(
            &mut out,
            pos(question_at[q]),
            "#e7f0fb",
            &question.id,
            &question.ask,
        );
    }
    for (o, outcome) in tree.outcomes.iter().enumerate() {
        box_(
            &mut out,
            pos(outcome_at[o]),
            "#fdebe4",
            &outcome.id,
            &outcome.title,
        );
    }
    out.push_str("</svg>");
    out
}

fn box_(out: &mut String, (x, y): (usize, usize), fill: &str, id: &str, text: &str) {
    let _ = write!(
        out,
        "<rect x=\"{x}\" y=\"{y}\" width=\"{WIDTH}\" height=\"{HEIGHT}\" rx=\"6\" fill=\"{fill}\" stroke=\"#1f2933\"/>\
         <text x=\"{}\" y=\"{}\" font-size=\"13\" font-weight=\"bold\" fill=\"#1f2933\">{}</text>\
         <text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#1f2933\">{}</text>",
        x + 8,
        y + 22,
        escape(id),
        x + 8,
        y + 42,
        escape(&shorten(text, 32))
    );
}

/// The longest distance of every question from the start (the tree is acyclic).
fn depths(tree: &Tree) -> Vec<usize> {
    let mut depth = vec![0usize; tree.questions.len()];
    // Relax edges as often as there are questions: enough for any acyclic graph.
    for _ in 0..tree.questions.len() {
        let mut changed = false;
        for (q, question) in tree.questions.iter().enumerate() {
            for (_, _, _, target) in question.routes() {
                if let Target::Question(n) = target
                    && n != tree.start
                    && depth[n] < depth[q] + 1
                {
                    depth[n] = depth[q] + 1;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
    }
    depth
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
