//! How `wegwijs check` prints what it found: for people (diagnostics like a
//! compiler, then a readability table and the external links) or as JSON for CI
//! annotations.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::counts;
use crate::CheckReport;
use crate::diagnostics::Severity;

/// How many of the hardest pages the human table shows.
const TABLE_ROWS: usize = 10;

/// The report as one JSON document:
/// `{"summary": {...}, "findings": [...], "readability": [...], "external_links": [...]}`.
pub fn json(report: &CheckReport, strict: bool) -> Value {
    let (errors, warnings) = counts(&report.problems);
    let findings: Vec<Value> = report
        .problems
        .iter()
        .map(|d| {
            json!({
                "kind": d.code.unwrap_or("build"),
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "file": d.file.as_ref().map(|f| f.display().to_string()),
                "line": d.location.as_ref().map(|l| l.line),
                "column": d.location.as_ref().map(|l| l.column),
                "end_column": d.location.as_ref().map(|l| l.column + l.width),
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    json!({
        "summary": {
            "errors": errors,
            "warnings": warnings,
            "pages": report.pages,
            "files": report.files,
            "external_links": report.external.len(),
            "passed": errors == 0 && (!strict || warnings == 0),
        },
        "findings": findings,
        "readability": report.scores,
        "external_links": report.external,
    })
}

/// The tables for people: readability (the hardest pages) and external links.
pub fn human_tables(report: &CheckReport) -> String {
    let mut out = String::new();
    let mut scored: Vec<&super::Score> = report
        .scores
        .iter()
        .filter(|s| s.flesch_douma.is_some())
        .collect();
    if !scored.is_empty() {
        scored.sort_by(|a, b| {
            a.flesch_douma
                .partial_cmp(&b.flesch_douma)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let mut values: Vec<f64> = scored.iter().filter_map(|s| s.flesch_douma).collect();
        values.sort_by(f64::total_cmp);
        let median = values[values.len() / 2];
        let _ = writeln!(
            out,
            "Readability (Flesch-Douma, higher is easier; B1 is about 60 or more), {} pages scored, median {median:.0}; hardest first:",
            scored.len()
        );
        let _ = writeln!(
            out,
            "{:>6}  {:>9}  {:>6}  page",
            "score", "words/zin", "words"
        );
        for s in scored.iter().take(TABLE_ROWS) {
            let _ = writeln!(
                out,
                "{:>6.0}  {:>9.1}  {:>6}  {}",
                s.flesch_douma.unwrap_or_default(),
                s.sentence_length,
                s.words,
                s.file.display()
            );
        }
        let short = report.scores.len() - scored.len();
        if short > 0 {
            let _ = writeln!(
                out,
                "({short} pages have fewer than {} words and are not scored)",
                super::readability::MIN_WORDS
            );
        }
    }
    if !report.external.is_empty() {
        let mut hosts: std::collections::BTreeMap<String, usize> = Default::default();
        for link in &report.external {
            let host = super::html::host(&link.url).unwrap_or_default();
            *hosts.entry(host).or_default() += 1;
        }
        let _ = writeln!(
            out,
            "\n{} links to other websites (not fetched; --format json lists each), by host:",
            report.external.len()
        );
        for (host, n) in hosts {
            let _ = writeln!(out, "{n:>6}  {host}");
        }
    }
    out
}

/// The last line: what was checked and what was found.
pub fn summary(report: &CheckReport, strict: bool) -> String {
    let (errors, warnings) = counts(&report.problems);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let verdict = if errors > 0 || (strict && warnings > 0) {
        "check failed"
    } else {
        "check passed"
    };
    format!(
        "{verdict}: {} and {} in {} ({} files); nothing was written{}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        plural(report.pages, "page"),
        report.files,
        if strict && errors == 0 && warnings > 0 {
            " (--strict: warnings count as errors)"
        } else {
            ""
        }
    )
}
