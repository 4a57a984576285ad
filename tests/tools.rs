//! The decision tool gives the same answer three ways: the Rust evaluator, the
//! compiled JavaScript run under node, and the no-JS pages followed link by link
//! from the start page. Every path and every range boundary is tried.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{Html, Selector};
use serde_json::{Value, json};
use wegwijs::rules::eval::{self, Evaluation};
use wegwijs::rules::tree::{Kind, Tree};

fn tree() -> Tree {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("content/tools/ontheffing.rules.yaml");
    match wegwijs::rules::load(&file, &file, &|_| true) {
        Ok((tool, _)) => tool.tree,
        Err(problems) => panic!("{problems:#?}"),
    }
}

/// Every path, once with the lowest and once with the highest number of each range,
/// plus answers that are missing, out of range or unknown.
fn cases(tree: &Tree) -> Vec<BTreeMap<String, String>> {
    let mut cases = Vec::new();
    for (path, _) in eval::all_paths(tree) {
        for high in [false, true] {
            let mut answers = BTreeMap::new();
            for &(q, r) in &path {
                let question = &tree.questions[q];
                let answer = match &question.kind {
                    Kind::Number { branches, .. } => {
                        let range = &branches[r].range;
                        if high { range.end() } else { range.start() }.to_string()
                    }
                    Kind::Choice { options, .. } => options[r].id.clone(),
                };
                answers.insert(question.id.clone(), answer);
            }
            cases.push(answers);
        }
    }
    let start = tree.questions[tree.start].id.clone();
    for odd in ["", "-1", "18", "99", "9.5", "negen", " 9"] {
        cases.push(BTreeMap::from([(start.clone(), odd.to_string())]));
    }
    cases.push(BTreeMap::new());
    cases.push(BTreeMap::from([
        (start.clone(), "5".into()),
        ("opnames".into(), "film".into()),
    ]));
    // The branches of feiten.md §6.7: "how often" missing or with an unknown answer,
    // and answers that do not lie on the path (a "how often" after "commercial").
    let private = |how: Option<&str>| {
        let mut a = BTreeMap::from([
            (start.clone(), "5".to_string()),
            ("opnames".to_string(), "fotos".to_string()),
            ("commercieel".to_string(), "nee".to_string()),
        ]);
        if let Some(how) = how {
            a.insert("hoe-vaak".into(), how.into());
        }
        a
    };
    cases.push(private(None));
    cases.push(private(Some("soms")));
    let mut off_path = private(Some("vaak"));
    off_path.insert("commercieel".into(), "ja".into());
    off_path.insert("wie".into(), "kind".into());
    cases.push(off_path);
    cases
}

fn rust(tree: &Tree, answers: &BTreeMap<String, String>) -> Value {
    let map: HashMap<String, String> = answers.clone().into_iter().collect();
    match eval::evaluate(tree, &map) {
        Evaluation::Outcome { outcome, path } => json!({ "outcome": outcome, "path": path }),
        Evaluation::Missing { question, path } => json!({ "missing": question, "path": path }),
        Evaluation::Invalid {
            question,
            answer,
            allowed,
        } => json!({ "invalid": question, "answer": answer, "allowed": allowed }),
    }
}

fn find(dir: &Path, prefix: &str) -> PathBuf {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .unwrap_or_else(|| panic!("no {prefix}* in {}", dir.display()))
}

#[test]
fn rust_and_javascript_agree_on_every_path_and_boundary() {
    let tree = tree();
    let (_dir, public) = common::build_bundled_site();
    let runtime = find(&public.join("js"), "beslishulp.");
    let data = find(&public.join("js/tools"), "ontheffing.");
    let cases = cases(&tree);
    let work = tempfile::tempdir().unwrap();
    let cases_file = work.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_string(&cases).unwrap()).unwrap();
    let harness = work.path().join("harness.js");
    std::fs::write(
        &harness,
        "const fs = require('fs'); const vm = require('vm');\n\
         const [runtime, dataFile, casesFile] = process.argv.slice(2);\n\
         const { evaluate } = require(runtime);\n\
         let data; global.wegwijsBeslishulp = { register: d => { data = d; } };\n\
         vm.runInThisContext(fs.readFileSync(dataFile, 'utf8'));\n\
         const cases = JSON.parse(fs.readFileSync(casesFile, 'utf8'));\n\
         process.stdout.write(JSON.stringify(cases.map(a => evaluate(data, a))));\n",
    )
    .unwrap();
    let node = Command::new("node")
        .arg(&harness)
        .arg(&runtime)
        .arg(&data)
        .arg(&cases_file)
        .output();
    let node = node
        .unwrap_or_else(|e| panic!("node is missing ({e}): run scripts/test, which installs it"));
    assert!(
        node.status.success(),
        "{}",
        String::from_utf8_lossy(&node.stderr)
    );
    let js: Vec<Value> = serde_json::from_slice(&node.stdout).unwrap();
    assert_eq!(js.len(), cases.len());
    let mut outcomes = std::collections::BTreeSet::new();
    for (answers, js) in cases.iter().zip(&js) {
        let expected = rust(&tree, answers);
        if let Some(o) = expected["outcome"].as_str() {
            outcomes.insert(o.to_string());
        }
        assert_eq!(js, &expected, "answers {answers:?}");
    }
    assert_eq!(
        outcomes.len(),
        tree.outcomes.len(),
        "every outcome is reached: {outcomes:?}"
    );
}

#[test]
fn no_js_pages_agree_with_rust_link_by_link() {
    let tree = tree();
    let (_dir, public) = common::build_bundled_site();
    let question_sel = Selector::parse("[data-question]").unwrap();
    let link_sel = Selector::parse("a[data-answer]").unwrap();
    let outcome_sel = Selector::parse("[data-outcome]").unwrap();
    let mut checked = 0;
    for answers in cases(&tree) {
        let Value::String(expected) = rust(&tree, &answers)["outcome"].clone() else {
            continue;
        };
        let mut url = "/tools/ontheffing/".to_string();
        let mut path = Vec::new();
        for _ in 0..=tree.questions.len() {
            let file = public.join(url.trim_start_matches('/')).join("index.html");
            let html = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{url}: {e}"));
            let doc = Html::parse_document(&html);
            if let Some(outcome) = doc.select(&outcome_sel).next() {
                assert_eq!(
                    outcome.value().attr("data-outcome"),
                    Some(expected.as_str()),
                    "{answers:?} at {url}"
                );
                break;
            }
            let question = doc
                .select(&question_sel)
                .next()
                .unwrap_or_else(|| panic!("{url}: no question and no outcome"));
            let id = question
                .value()
                .attr("data-question")
                .unwrap_or_default()
                .to_string();
            let answer = &answers[&id];
            let link = doc
                .select(&link_sel)
                .find(|a| match a.value().attr("data-range") {
                    Some(range) => {
                        let (lo, hi) = range.split_once("..").unwrap();
                        let n: i64 = answer.parse().unwrap();
                        lo.parse::<i64>().unwrap() <= n && n <= hi.parse::<i64>().unwrap()
                    }
                    None => a.value().attr("data-answer") == Some(answer.as_str()),
                })
                .unwrap_or_else(|| panic!("{url}: no link for {id}={answer}"));
            path.push(id);
            url = link.value().attr("href").unwrap().to_string();
        }
        let rust_path: Vec<String> = rust(&tree, &answers)["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["question"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(path, rust_path, "{answers:?}");
        checked += 1;
    }
    assert!(checked >= eval::all_paths(&tree).len());
}

/// The corrections of feiten.md §6.7, pinned (the tests above show that the script
/// and the no-JS pages agree with this evaluator on every path).
#[test]
fn the_corrected_branches_of_feiten_6_7() {
    let tree = tree();
    let cases: [(&[(&str, &str)], &str); 8] = [
        // Not commercial is not enough: it must also be incidental.
        (
            &[
                ("leeftijd", "5"),
                ("opnames", "video"),
                ("commercieel", "nee"),
                ("hoe-vaak", "af-en-toe"),
            ],
            "niet-nodig",
        ),
        (
            &[
                ("leeftijd", "5"),
                ("opnames", "video"),
                ("commercieel", "nee"),
                ("hoe-vaak", "vaak"),
            ],
            "onzeker-vaak",
        ),
        // Photos follow the route of videos.
        (
            &[
                ("leeftijd", "8"),
                ("opnames", "fotos"),
                ("commercieel", "ja"),
                ("wie", "bedrijf"),
            ],
            "nodig",
        ),
        (
            &[
                ("leeftijd", "8"),
                ("opnames", "fotos"),
                ("commercieel", "ja"),
                ("wie", "ouders"),
            ],
            "waarschijnlijk-nodig",
        ),
        (
            &[
                ("leeftijd", "8"),
                ("opnames", "fotos"),
                ("commercieel", "nee"),
                ("hoe-vaak", "vaak"),
            ],
            "onzeker-vaak",
        ),
        (
            &[
                ("leeftijd", "8"),
                ("opnames", "fotos"),
                ("commercieel", "twijfel"),
            ],
            "onzeker-commercieel",
        ),
        // A child with its own account or channel.
        (
            &[
                ("leeftijd", "12"),
                ("opnames", "video"),
                ("commercieel", "ja"),
                ("wie", "kind"),
            ],
            "eigen-kanaal",
        ),
        (&[("leeftijd", "13")], "dertien-plus"),
    ];
    for (answers, expected) in cases {
        let answers: BTreeMap<String, String> = answers
            .iter()
            .map(|&(q, a)| (q.to_string(), a.to_string()))
            .collect();
        assert_eq!(rust(&tree, &answers)["outcome"], expected, "{answers:?}");
    }
    let verdict = |id: &str| {
        let o = tree.outcomes.iter().find(|o| o.id == id).unwrap();
        format!("{:?}", o.verdict)
    };
    assert_eq!(
        verdict("eigen-kanaal"),
        verdict("waarschijnlijk-nodig"),
        "a child's own channel is \"waarschijnlijk nodig\", like the parents' vlog"
    );
    assert_eq!(verdict("onzeker-vaak"), verdict("onzeker-commercieel"));
}

/// Outcome addresses are shared and printed: every outcome page names the rules date
/// and says it is no legal advice, and so does every outcome the script clones.
#[test]
fn every_outcome_carries_the_rules_date_and_the_disclaimer() {
    let tree = tree();
    let (_dir, public) = common::build_bundled_site();
    let disclaimer = Selector::parse(".outcome .tool-disclaimer").unwrap();
    let outcome = Selector::parse("[data-outcome]").unwrap();
    let check = |where_: &str, text: String| {
        assert!(
            text.contains("Het is geen juridisch advies")
                && text.contains("Neem contact op met de Nederlandse Arbeidsinspectie"),
            "{where_}: {text:?}"
        );
    };
    let mut pages = 0;
    for (path, bytes) in common::snapshot(&public.join("tools/ontheffing")) {
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        if doc.select(&outcome).next().is_none() {
            continue;
        }
        let texts: Vec<String> = doc
            .select(&disclaimer)
            .map(|e| e.text().collect::<String>())
            .collect();
        assert_eq!(texts.len(), 1, "{path}");
        let time = Selector::parse(".tool-disclaimer time").unwrap();
        let date = doc
            .select(&time)
            .next()
            .and_then(|t| t.value().attr("datetime"));
        assert_eq!(date, Some(tree.reviewed.to_string().as_str()), "{path}");
        check(&path, texts.concat());
        pages += 1;
    }
    assert!(
        pages >= eval::all_paths(&tree).len(),
        "{pages} outcome pages"
    );
    let start = std::fs::read_to_string(public.join("tools/ontheffing/index.html")).unwrap();
    let start = Html::parse_document(&start);
    let templates = Selector::parse("template[id^=uitkomst-]").unwrap();
    let mut cloned = 0;
    for t in start.select(&templates) {
        // A <template>'s content is a separate fragment: parse its HTML again.
        let inner = Html::parse_fragment(&t.inner_html());
        let texts: Vec<String> = inner
            .select(&Selector::parse(".tool-disclaimer").unwrap())
            .map(|e| e.text().collect::<String>())
            .collect();
        assert_eq!(texts.len(), 1, "{:?}", t.value().attr("id"));
        check(t.value().attr("id").unwrap_or_default(), texts.concat());
        cloned += 1;
    }
    assert_eq!(cloned, tree.outcomes.len());
}

/// Without JS every outcome is a page of its own: its "bewaar of deel" link is that
/// page's own address (so it reopens the outcome, not question 1), and the title of
/// every no-JS step names the answers in words, not as `leeftijd=0&…`.
#[test]
fn no_js_share_links_reopen_the_outcome_and_step_titles_use_words() {
    let tree = tree();
    let (_dir, public) = common::build_bundled_site();
    let share = Selector::parse(".tool-share [data-share]").unwrap();
    let outcome = Selector::parse("[data-outcome]").unwrap();
    let title = Selector::parse("head > title").unwrap();
    let mut outcomes = 0;
    let mut steps = 0;
    for (path, bytes) in common::snapshot(&public.join("tools/ontheffing")) {
        if !path.ends_with("/index.html") || path.starts_with("alle-uitkomsten/") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        let page_title: String = doc.select(&title).flat_map(|t| t.text()).collect();
        assert!(
            !page_title.contains('=') && !page_title.contains('&'),
            "{path}: {page_title:?}"
        );
        // Every step follows the age question, whose answers read "… jaar …".
        assert!(page_title.contains(" jaar"), "{path}: {page_title:?}");
        steps += 1;
        let Some(id) = doc
            .select(&outcome)
            .next()
            .and_then(|e| e.value().attr("data-outcome"))
        else {
            continue;
        };
        let links: Vec<_> = doc.select(&share).collect();
        assert_eq!(links.len(), 1, "{path}: one share link");
        let own = format!("/tools/ontheffing/{}", path.trim_end_matches("index.html"));
        assert_eq!(links[0].value().attr("href"), Some(own.as_str()), "{path}");
        let shown: String = links[0].text().collect();
        assert_eq!(shown, format!("https://wegwijs.netlify.app{own}"), "{path}");
        // The address is a page of the site that shows this outcome, without script.
        let target = public.join(own.trim_start_matches('/')).join("index.html");
        let target = Html::parse_document(&std::fs::read_to_string(&target).unwrap());
        assert_eq!(
            target
                .select(&outcome)
                .next()
                .and_then(|e| e.value().attr("data-outcome")),
            Some(id),
            "{path}"
        );
        assert!(
            target
                .select(&Selector::parse("script").unwrap())
                .next()
                .is_none()
        );
        outcomes += 1;
    }
    assert!(
        outcomes >= eval::all_paths(&tree).len(),
        "{outcomes} outcomes"
    );
    assert!(steps > outcomes, "{steps} step pages");
}

#[test]
fn tool_pages_are_not_indexed_except_the_start() {
    let (_dir, public) = common::build_bundled_site();
    let robots = Selector::parse("meta[name=robots]").unwrap();
    for (path, bytes) in common::snapshot(&public.join("tools")) {
        if !path.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8_lossy(&bytes));
        let noindex = doc
            .select(&robots)
            .any(|m| m.value().attr("content") == Some("noindex"));
        assert_eq!(noindex, path != "ontheffing/index.html", "{path}");
    }
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("/tools/ontheffing/</loc>"));
    assert!(!sitemap.contains("alle-uitkomsten"));
}

#[test]
fn review_page_lists_every_path_and_example() {
    let tree = tree();
    let (_dir, public) = common::build_bundled_site();
    let html = std::fs::read_to_string(public.join("tools/ontheffing/alle-uitkomsten/index.html"))
        .unwrap();
    let doc = Html::parse_document(&html);
    let svg = Selector::parse("svg title").unwrap();
    assert_eq!(doc.select(&svg).count(), 1, "one diagram");
    let rows = Selector::parse("table tbody tr").unwrap();
    let count = doc.select(&rows).count();
    assert_eq!(
        count,
        eval::all_paths(&tree).len() + tree.examples.len(),
        "a row per path and per example"
    );
}

#[test]
fn runtime_and_data_are_small() {
    let (_dir, public) = common::build_bundled_site();
    let runtime = std::fs::read(find(&public.join("js"), "beslishulp.")).unwrap();
    let data = std::fs::read(find(&public.join("js/tools"), "ontheffing.")).unwrap();
    let gz = |bytes: &[u8]| {
        let mut child = Command::new("gzip")
            .arg("-9c")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child.stdin.take().unwrap().write_all(bytes).unwrap();
        child.wait_with_output().unwrap().stdout.len()
    };
    let total = gz(&runtime) + gz(&data);
    assert!(total <= 6 * 1024, "runtime + data = {total} bytes gzipped");
    let text = String::from_utf8_lossy(&runtime);
    for banned in [
        "eval(",
        "new Function",
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
    ] {
        assert!(!text.contains(banned), "the runtime uses {banned}");
    }
}
