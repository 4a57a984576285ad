//! Rule files: every check fails on a purpose-made broken file with the right
//! message, id and line; YAML pitfalls get clear messages; `decide` through the
//! real binary.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

const VALID: &str = include_str!("rules/valid.rules.yaml");

/// Run `wegwijs decide` on `text` (written to a temp file) with `answers`.
fn decide(text: &str, answers: &[&str]) -> common::Run {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("t.rules.yaml"), text).unwrap();
    common::run_in(dir.path(), &[&["decide", "t.rules.yaml"], answers].concat())
}

/// `VALID` with `from` replaced by `to` (which must occur).
fn broken(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from:?} is not in the valid file");
    VALID.replacen(from, to, 1)
}

fn fails_with(text: &str, first_lines: &str) -> String {
    let run = decide(text, &[]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.starts_with(first_lines),
        "expected to start with:\n{first_lines}\n--- actual ---\n{}",
        run.stderr
    );
    run.stderr
}

#[test]
fn the_valid_file_decides() {
    let run = decide(VALID, &["leeftijd=9", "opnames=video", "commercieel=yes"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "nodig\nleeftijd=9\nopnames=video\ncommercieel=yes\n"
    );
}

#[test]
fn decide_json() {
    let run = decide(VALID, &["leeftijd=13", "--json"]);
    assert_eq!(run.code, Some(0));
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        value,
        serde_json::json!({ "outcome": "dertien-plus", "path": [{ "question": "leeftijd", "answer": "13" }] })
    );
}

#[test]
fn decide_names_the_missing_question() {
    let run = decide(VALID, &["leeftijd=9"]);
    assert_eq!(run.code, Some(2));
    assert_eq!(
        run.stderr,
        "no answer yet for `opnames`: Wat zet je online?\nanswer with opnames=<answer>, one of: video, fotos\n"
    );
    let run = decide(VALID, &["leeftijd=9", "--json"]);
    assert_eq!(run.code, Some(2));
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value["next"], "opnames");
    assert_eq!(value["allowed"], serde_json::json!(["video", "fotos"]));
}

#[test]
fn decide_rejects_invalid_answers() {
    for (answers, message) in [
        (
            &["leeftijd=18"][..],
            "error: `18` is not an answer to `leeftijd`\nallowed: a whole number from 0 to 17\n",
        ),
        (
            &["leeftijd=negen"][..],
            "error: `negen` is not an answer to `leeftijd`\nallowed: a whole number from 0 to 17\n",
        ),
        (
            &["leeftijd=9.5"][..],
            "error: `9.5` is not an answer to `leeftijd`\nallowed: a whole number from 0 to 17\n",
        ),
        (
            &["leeftijd=9", "opnames=film"][..],
            "error: `film` is not an answer to `opnames`\nallowed: video, fotos\n",
        ),
    ] {
        let run = decide(VALID, answers);
        assert_eq!(run.code, Some(1), "{answers:?}");
        assert_eq!(run.stderr, message);
    }
}

#[test]
fn dangling_reference() {
    let stderr = fails_with(
        &broken("next: opnames,", "next: opname,"),
        "error: `next` names `opname`, which is not a question\n  --> t.rules.yaml:17:34\n",
    );
    assert!(stderr.contains("did you mean `opnames`?"), "{stderr}");
}

#[test]
fn missing_start() {
    fails_with(
        &broken("start: leeftijd", "start: leeftjd"),
        "error: `start` names `leeftjd`, which is not a question\n --> t.rules.yaml:8:8\n",
    );
    fails_with(
        &broken("start: leeftijd\n", ""),
        "error: missing required field `start`",
    );
}

#[test]
fn unknown_outcome() {
    let stderr = fails_with(
        &broken("outcome: onzeker }", "outcome: onzker }"),
        "error: `outcome` names `onzker`, which is not an outcome\n  --> t.rules.yaml:24:49\n",
    );
    assert!(stderr.contains("did you mean `onzeker`?"), "{stderr}");
}

#[test]
fn unreachable_question() {
    fails_with(
        &broken("next: opnames, label", "outcome: dertien-plus, label"),
        "error: the question `opnames` is never reached from `start`\n  --> t.rules.yaml:19:3\n",
    );
}

#[test]
fn cycle() {
    let stderr = decide(
        &broken("no: { outcome: niet-nodig }", "no: { next: leeftijd }"),
        &[],
    )
    .stderr;
    assert!(
        stderr.contains("error: the questions go round in a circle: leeftijd → opnames → commercieel → leeftijd\n  --> t.rules.yaml:25:3\n"),
        "{stderr}"
    );
}

#[test]
fn gap_in_ranges() {
    fails_with(
        &broken("\"13..17\"", "\"14..17\""),
        "error: the ranges of `leeftijd` leave a gap: no branch for 13..13\n  --> t.rules.yaml:18:18\n",
    );
}

#[test]
fn overlapping_ranges() {
    fails_with(
        &broken("\"13..17\"", "\"12..17\""),
        "error: the ranges 0..12 and 12..17 of `leeftijd` overlap\n  --> t.rules.yaml:18:18\n",
    );
}

#[test]
fn ranges_not_reaching_max() {
    fails_with(
        &broken("\"13..17\"", "\"13..16\""),
        "error: the ranges of `leeftijd` stop at 16, but `max` is 17\n  --> t.rules.yaml:18:18\n",
    );
}

#[test]
fn unrouted_option() {
    fails_with(
        &broken(
            "fotos: { label: \"Alleen foto's\", outcome: onzeker }",
            "fotos: { label: \"Alleen foto's\" }",
        ),
        "error: this answer leads nowhere: it has no `next` and no `outcome`\n  --> t.rules.yaml:24:7\n",
    );
}

#[test]
fn duplicate_id() {
    fails_with(
        &broken("  commercieel:\n", "  opnames:\n"),
        "error: the key `opnames` appears twice\n  --> t.rules.yaml:25:3\n",
    );
}

#[test]
fn example_that_disagrees() {
    let stderr = fails_with(
        &broken("    outcome: dertien-plus", "    outcome: nodig"),
        "error: the example leads to `dertien-plus`, not to `nodig`\n  --> t.rules.yaml:39:14\n",
    );
    assert!(stderr.contains("the path taken: leeftijd=13"), "{stderr}");
}

#[test]
fn example_with_an_invalid_answer() {
    fails_with(
        &broken("{ leeftijd: 13 }", "{ leeftijd: 21 }"),
        "error: `21` is not an answer to `leeftijd`\n  --> t.rules.yaml:38:26\n",
    );
    fails_with(
        &broken("commercieel: yes }", "commercieel: ja }"),
        "error: `ja` is not an answer to `commercieel`\n  --> t.rules.yaml:36:58\n",
    );
}

#[test]
fn all_findings_at_once() {
    let text = broken("next: opnames,", "next: opname,").replacen(
        "outcome: onzeker }",
        "outcome: onzker }",
        1,
    );
    let stderr = decide(&text, &[]).stderr;
    assert!(
        stderr.contains("t.rules.yaml:17:34") && stderr.contains("t.rules.yaml:24:49"),
        "{stderr}"
    );
}

#[test]
fn yaml_pitfalls_get_clear_messages() {
    // `no` and `yes` stay text: as option ids and as answers.
    let text = broken(
        "      video: { label: \"Video's\", next: commercieel }\n      fotos:",
        "      no: { label: \"Video's\", next: commercieel }\n      fotos:",
    )
    .replace("opnames: video,", "opnames: no,");
    let run = decide(&text, &["leeftijd=3", "opnames=no", "commercieel=no"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("niet-nodig"));
    // A tab in the indentation.
    fails_with(
        &broken("    ask: Hoe oud is je kind?", "\task: Hoe oud is je kind?"),
        "error: tabs disallowed within this context (block indentation)\n  --> t.rules.yaml:11:2\n",
    );
    // An alias bomb stops at the budget, with a message, quickly.
    let bomb: String = std::iter::once(
        "  q0: &q { ask: Vraag, type: yesno, yes: { outcome: nodig }, no: { outcome: nodig } }\n"
            .to_string(),
    )
    .chain((1..150).map(|i| format!("  q{i}: *q\n")))
    .collect();
    let stderr = fails_with(
        &broken("questions:\n", &format!("questions:\n{bomb}")),
        "error: this file uses too many YAML aliases (`*name`), or expands to too much data\n",
    );
    assert!(stderr.contains("--> t.rules.yaml:111:9"), "{stderr}");
}

#[test]
fn the_bundled_tool_passes_its_own_examples() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/tools/ontheffing.rules.yaml");
    let run = common::run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            "decide",
            file.to_str().unwrap(),
            "leeftijd=9",
            "opnames=video",
            "commercieel=ja",
            "wie=bedrijf",
        ],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(run.stdout.lines().next(), Some("nodig"));
}

/// The Dutch guide for editors shows complete rule files; each must pass every
/// check, so the guide and the parser never drift apart.
#[test]
fn every_yaml_example_in_the_editors_guide_is_a_valid_rule_file() {
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/beslishulp.md"))
            .unwrap();
    let blocks: Vec<&str> = guide
        .split("```yaml\n")
        .skip(1)
        .map(|rest| rest.split("```").next().unwrap_or(""))
        .collect();
    assert!(
        !blocks.is_empty(),
        "the guide has at least one complete example"
    );
    for block in blocks {
        let run = decide(block, &[]);
        assert_ne!(
            run.code,
            Some(1),
            "an example in docs/beslishulp.md does not pass:\n{}\n{block}",
            run.stderr
        );
    }
}

#[test]
fn choice_with_one_option_and_the_reserved_id() {
    fails_with(
        &broken(
            "      fotos: { label: \"Alleen foto's\", outcome: onzeker }\n",
            "",
        ),
        "error: the choice question `opnames` has only one option\n",
    );
    let stderr = decide(&broken("      fotos:", "      alle-uitkomsten:"), &[]).stderr;
    assert!(
        stderr.contains("error: the option id `alle-uitkomsten` is taken by the review page"),
        "{stderr}"
    );
}

#[test]
fn a_tree_with_too_many_paths_is_refused() {
    // Twelve yes/no questions where both answers lead on: 2^12 paths.
    let mut text = String::from(
        "title: T\ndescription: D\nintro: I\nreviewed: 2026-01-01\nsources: [{ title: S, date: 2026-01-01 }]\nstart: q0\nquestions:\n",
    );
    for i in 0..12 {
        let next = if i == 11 {
            "outcome: klaar".to_string()
        } else {
            format!("next: q{}", i + 1)
        };
        text.push_str(&format!(
            "  q{i}: {{ ask: Vraag {i}?, type: yesno, yes: {{ {next} }}, no: {{ {next} }} }}\n"
        ));
    }
    text.push_str("outcomes:\n  klaar: { verdict: unsure, title: Klaar, body: Klaar. }\n");
    fails_with(
        &text,
        "error: this tool would need 8190 pages without JavaScript (one per path through it); at most 2000 are made\n",
    );
}
