//! Bad input: every case exits 1, names file and line in an editor's words, and
//! leaves the previous output byte-identical.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, TestSite};

/// Build once successfully, break the site with `breaking`, build again and
/// return the failed run; asserts the output did not change.
fn fails_keeping_output(site: TestSite, breaking: impl FnOnce(&TestSite)) -> Run {
    let first = site.build(&[]);
    assert!(
        first.success,
        "the fixture itself must build: {}",
        first.stderr
    );
    let before = site.output();
    assert!(!before.is_empty());
    breaking(&site);
    let run = site.build(&[]);
    assert!(!run.success, "expected failure, got: {}", run.stderr);
    assert_eq!(run.code, Some(1));
    run.says("nothing was written");
    assert!(site.output() == before, "the previous output changed");
    run
}

fn assert_stderr(run: &Run, expected: &str) {
    assert_eq!(
        run.stderr.trim_end(),
        expected.trim_end(),
        "\n--- actual stderr ---\n{}",
        run.stderr
    );
}

#[test]
fn unclosed_front_matter() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write("content/a.md", "---\ntitle: A\ndescription: B\n\nTekst\n");
    });
    assert_stderr(
        &run,
        "\
error: the front matter is not closed
 --> content/a.md:1:1
  |
1 | ---
  | ^^^
  |
  = help: add a line with only `---` after the last field, before the text

build failed with 1 error; nothing was written",
    );
}

#[test]
fn invalid_yaml() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            "---\ntitle: A\ndescription: \"Niet gesloten\n---\n",
        );
    });
    run.says("--> content/a.md:3:");
}

#[test]
fn unknown_field_with_did_you_mean() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write("content/a.md", "---\ntitle: A\ndescriptoin: B\n---\n");
    });
    assert_stderr(
        &run,
        "\
error: unknown field `descriptoin`
 --> content/a.md:3:1
  |
3 | descriptoin: B
  | ^^^^^^^^^^^
  |
  = help: did you mean `description`? Allowed fields: title, description, kind, themes, ages, weight, date, reviewed, legal, sources, draft, publish, expires, image, image_alt, aliases, slug, related, summary, tips, ask_your_child, question, for, against, talk, law, plan, starts, ends, banner, short_url.

build failed with 1 error; nothing was written",
    );
}

#[test]
fn missing_required_field() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write("content/a.md", "---\ntitle: A\n---\n");
    });
    run.starts_with("error: missing required field `description`\n --> content/a.md:2:1\n");
    run.says("= help: add a line `description: ...`");
}

#[test]
fn wrong_type() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            "---\ntitle: A\ndescription: B\nweight: \"hoog\"\n---\n",
        );
    });
    assert_stderr(
        &run,
        "\
error: expected a whole number, found `\"hoog\"`
 --> content/a.md:4:9
  |
4 | weight: \"hoog\"
  |         ^^^^^^
  |
  = help: write a number without quotes, e.g. `weight: 10`

build failed with 1 error; nothing was written",
    );
}

#[test]
fn yes_and_no_are_not_booleans() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            "---\ntitle: A\ndescription: B\ndraft: no\n---\n",
        );
    });
    run.starts_with("error: expected `true` or `false`, found `no`\n --> content/a.md:4:8");
}

#[test]
fn unknown_theme_and_age_terms_are_all_reported() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            "---\ntitle: A\ndescription: B\nthemes: [gamne]\nages: [9-12]\n---\n",
        );
    });
    assert_stderr(
        &run,
        "\
error: unknown theme `gamne`
 --> content/a.md:4:10
  |
4 | themes: [gamne]
  |          ^^^^^
  |
  = help: did you mean `gamen`? The themes in content/site.yaml are: gamen, schermtijd.

error: unknown age group `9-12`
 --> content/a.md:5:8
  |
5 | ages: [9-12]
  |        ^^^^
  |
  = help: did you mean `8-12`? The ages in content/site.yaml are: 0-4, 8-12.

build failed with 2 errors; nothing was written",
    );
}

#[test]
fn two_pages_with_the_same_url() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/thema/gamen/Loot Boxes.md",
            "---\ntitle: Dubbel\ndescription: B\n---\n",
        );
    });
    assert_stderr(
        &run,
        "\
error: this page has the same URL as content/thema/gamen/Loot Boxes.md: /thema/gamen/loot-boxes/
 --> content/thema/gamen/loot-boxes.md:2:8
  |
2 | title: Loot boxes
  |        ^^^^^^^^^^
  |
  = help: rename one of the files, or give one a different `slug`

build failed with 1 error; nothing was written",
    );
}

#[test]
fn shortcode_that_does_not_exist() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            "---\ntitle: A\ndescription: B\n---\nTekst.\n\n{{ hlep() }}\n",
        );
    });
    assert_stderr(
        &run,
        "\
error: the shortcode `hlep` does not exist
 --> content/a.md:7:1
  |
7 | {{ hlep() }}
  | ^^^^^^^^^^^^
  |
  = help: did you mean `help`? The shortcodes are: card, help, note, tool

build failed with 1 error; nothing was written",
    );
}

#[test]
fn template_with_a_missing_variable() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "themes/mini/templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ page.titel }}</h1>\n{% endblock %}\n",
        );
    });
    assert_stderr(
        &run,
        "\
error: the template uses `page.titel`, which does not exist here (while rendering /thema/gamen/loot-boxes/)
 --> themes/mini/templates/page.html:3:8
  |
3 | <h1>{{ page.titel }}</h1>
  |        ^^^^^^^^^^
  |
  = help: did you mean `page.title`? The fields in `page` are: ages, breadcrumbs, card, content, date, description, image, image_alt, kind, legal, noindex, permalink, related, reviewed, section, shortcodes, sources, themes, title, url, weight

build failed with 1 error; nothing was written",
    );
}

#[test]
fn template_syntax_error() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "themes/mini/templates/page.html",
            "{% extends \"base.html\" %}\n{% block main %}{{ page.title }\n{% endblock %}\n",
        );
    });
    run.says("--> themes/mini/templates/page.html:2:");
}

#[test]
fn invalid_css() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "themes/mini/css/base.css",
            "body { color: #1f2933; }\np { color: red; ;; @@@ {\n",
        );
    });
    run.starts_with("error: invalid CSS: Invalid empty selector\n --> themes/mini/css/base.css:2:");
    assert_eq!(
        run.stderr.matches("error:").count(),
        1,
        "no cascade of errors: {}",
        run.stderr
    );
}

#[test]
fn invalid_css_in_two_stylesheets_names_both() {
    let run = fails_keeping_output(
        TestSite::new().file("themes/mini/css/extra/tool.css", ".tool { color: red; }\n"),
        |s| {
            s.write("themes/mini/css/base.css", "body { color: red; ;; @@@ {\n");
            s.write(
                "themes/mini/css/extra/tool.css",
                "\n.tool { color: red; @@@ }\n}\n",
            );
        },
    );
    run.says(" --> themes/mini/css/base.css:1:");
    run.says(" --> themes/mini/css/extra/tool.css:2:");
    assert_eq!(
        run.stderr.matches("error: invalid CSS").count(),
        2,
        "{}",
        run.stderr
    );
}

#[test]
fn invalid_utf8() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        let mut bytes = b"---\ntitle: A\ndescription: B\n---\nSch".to_vec();
        bytes.push(0xe9); // Latin-1 é
        bytes.extend_from_slice(b"rm\n");
        std::fs::write(s.path("content/a.md"), bytes).unwrap_or_else(|e| panic!("{e}"));
    });
    run.starts_with("error: this file is not UTF-8 text\n --> content/a.md:5:4\n");
    run.says("Encoding: UTF-8");
}

#[cfg(unix)]
#[test]
fn unreadable_file() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        std::os::unix::fs::symlink("bestaat-niet.md", s.path("content/kapot.md"))
            .unwrap_or_else(|e| panic!("{e}"));
    });
    run.starts_with("error: cannot read this file: No such file or directory");
    run.says("--> content/kapot.md");
}

#[test]
fn output_folder_that_is_the_site_root() {
    let site = TestSite::new();
    let run = site.build(&["--output", "."]);
    assert_eq!(run.code, Some(1));
    assert_stderr(
        &run,
        "\
error: refusing to write the site into `.`: it is the site root
 |
 = help: the output folder is replaced on every build; choose a folder of its own, such as `public`

build failed with 1 error; nothing was written",
    );
    assert!(
        site.path("content/site.yaml").is_file(),
        "the site is intact"
    );
}

#[test]
fn output_folder_inside_content_or_above_the_site() {
    let site = TestSite::new();
    for output in ["content/public", ".."] {
        let run = site.build(&["--output", output]);
        assert_eq!(run.code, Some(1), "{output}: {}", run.stderr);
        run.says("refusing to write the site into");
    }
}

#[test]
fn late_failure_while_writing_keeps_the_previous_output() {
    let site = TestSite::new();
    assert!(site.build(&[]).success);
    let before = site.output();
    site.write(
        "content/nieuw.md",
        "---\ntitle: Nieuw\ndescription: B\n---\n",
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .args(["build", "--now", "2026-11-23"])
        .current_dir(site.root())
        .env("WEGWIJS_TEST_FAIL_WRITE_AFTER", "5")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("simulated write failure"), "{stderr}");
    // A full disk fails every file after it: one error, with a count.
    assert_eq!(
        stderr.matches("simulated write failure").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains(" other files)"), "{stderr}");
    assert!(site.output() == before, "the previous output changed");
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "staging folder left behind: {leftovers:?}"
    );
}

#[test]
fn a_static_file_may_not_replace_a_generated_page() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write("static/404.html", "<p>eigen</p>");
    });
    run.starts_with(
        "error: the file 404.html would replace a generated page\n--> static/404.html\n",
    );
    run.says("= help: rename or move the file");
}

#[test]
fn every_problem_is_reported_at_once() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write("content/a.md", "---\ntitle: A\ndescriptoin: B\n---\n");
        s.write(
            "content/b.md",
            "---\ntitle: B\ndescription: B\nthemes: [x]\n---\n",
        );
        s.write(
            "content/c.md",
            "---\ntitle: C\ndescription: C\n---\n{{ nope() }}\n",
        );
    });
    run.says("build failed with 3 errors");
    for file in ["content/a.md:3:1", "content/b.md:4:10", "content/c.md:5:1"] {
        assert!(run.stderr.contains(file), "{file} missing: {}", run.stderr);
    }
}

#[test]
fn unknown_site_theme_points_at_site_yaml() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        let yaml = common::SITE_YAML.replace("theme: mini", "theme: mnii");
        s.write("content/site.yaml", &yaml);
    });
    run.starts_with("error: the theme `mnii` does not exist");
    run.says("--> content/site.yaml:4:8");
    run.says("did you mean `mini`?");
}

#[test]
fn legal_page_without_sources_image_without_alt_and_unknown_kind() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            "---\ntitle: A\ndescription: B\nlegal: true\nimage: /a.png\nkind: kaart\n---\n",
        );
    });
    run.says("error: this page has `legal: true` but no sources\n --> content/a.md:4:8");
    run.says("error: this image has no text alternative\n --> content/a.md:5:8");
    run.says("error: unknown kind `kaart`\n --> content/a.md:6:7");
}

#[test]
fn description_too_long() {
    let long = "x".repeat(161);
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            &format!("---\ntitle: A\ndescription: {long}\n---\n"),
        );
    });
    run.starts_with("error: the description is 161 characters long; at most 160 fit in search results\n --> content/a.md:3:14");
}

#[test]
fn menu_link_to_a_missing_page() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/site.yaml",
            &common::SITE_YAML.replace("/thema/gamen/", "/thema/gamne/"),
        );
    });
    run.starts_with("error: the menu link `Gamen` points to /thema/gamne/, which is not a page\n --> content/site.yaml:6:26");
    run.says("did you mean /thema/gamen/?");
}

#[test]
fn malformed_shortcode() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            "---\ntitle: A\ndescription: B\n---\nZie {{ note(text=\"open) }}\n",
        );
    });
    run.starts_with("error: this text has no closing `\"`\n --> content/a.md:5:");
}

#[test]
fn tool_shortcode_for_a_missing_tool() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            "---\ntitle: A\ndescription: B\n---\n{{ tool(id=\"ontheffng\") }}\n",
        );
    });
    run.starts_with(
        "error: there is no decision tool with the id `ontheffng`\n --> content/a.md:5:1\n",
    );
    run.says("add content/tools/<id>.rules.yaml");
}

#[test]
fn broken_rule_file_fails_the_build_with_every_finding() {
    let valid = include_str!("rules/valid.rules.yaml");
    let broken = valid
        .replacen("next: opnames,", "next: opname,", 1)
        .replacen("outcome: onzeker }", "outcome: onzker }", 1);
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write("content/tools/check.rules.yaml", &broken)
    });
    run.says("--> content/tools/check.rules.yaml:17:34");
    run.says("--> content/tools/check.rules.yaml:24:49");
    run.says("build failed with 2 errors");
}

#[test]
fn two_tools_with_the_same_name_or_a_name_that_is_no_slug() {
    let valid = include_str!("rules/valid.rules.yaml");
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write("content/tools/check.rules.yaml", valid);
        s.write("content/extra/check.rules.yaml", valid);
        s.write("content/tools/Mijn Check.rules.yaml", valid);
    });
    run.says("error: there is already a decision tool called `check`: content/extra/check.rules.yaml\n--> content/tools/check.rules.yaml");
    run.says("error: `Mijn Check` cannot be used in a web address (/tools/Mijn Check/)\n--> content/tools/Mijn Check.rules.yaml");
}

// Regressions from the code review of 2026-11-23.

#[test]
fn output_folder_through_a_missing_folder_and_dotdot_is_still_refused() {
    let site = TestSite::new();
    for output in ["nergens/../content", "nergens/../../site-elders/../"] {
        let run = site.build(&["--output", output]);
        assert_eq!(run.code, Some(1), "{output}: {}", run.stderr);
        run.says("refusing to write the site into");
    }
    assert!(
        site.path("content/site.yaml").is_file(),
        "the site is intact"
    );
}

#[test]
fn output_folder_with_other_files_is_refused() {
    let site = TestSite::new().file("notities/boodschappen.txt", "melk");
    let run = site.build(&["--output", "notities"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    run.says("it already holds files that are not a built site");
    assert!(site.path("notities/boodschappen.txt").is_file());
}

#[test]
fn source_with_a_javascript_url() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write("content/a.md", "---\ntitle: A\ndescription: B\nsources:\n  - { title: Klik, date: 2025-01-01, url: \"javascript:alert(1)\" }\n---\n");
    });
    run.says("error: the source `Klik` links to `javascript:alert(1)`, which is not a web address\n --> content/a.md:5:");
}

#[cfg(unix)]
#[test]
fn link_to_a_file_outside_the_site() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("geheim.txt"), "FOO_SECRET=hunter2").unwrap();
    let run = fails_keeping_output(TestSite::new(), |s| {
        std::os::unix::fs::symlink(outside.path().join("geheim.txt"), s.path("content/env.txt"))
            .unwrap();
    });
    run.starts_with("error: this link points outside the site");
    run.says("content/env.txt");
}

#[test]
fn alias_that_is_not_a_plain_path() {
    for alias in ["\"/oud adres/\"", "\"/*\""] {
        let run = fails_keeping_output(TestSite::new(), |s| {
            s.write(
                "content/a.md",
                &format!("---\ntitle: A\ndescription: B\naliases: [{alias}]\n---\n"),
            );
        });
        assert!(
            run.stderr.contains("is not a path of this site"),
            "{alias}: {}",
            run.stderr
        );
    }
}

#[test]
fn shortcode_inside_a_link_target() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/a.md",
            "---\ntitle: A\ndescription: B\n---\n[link]({{ help() }})\n",
        );
    });
    run.starts_with("error: the shortcode `help` cannot be used here\n --> content/a.md:5:8");
}

#[test]
fn site_yaml_errors_point_at_the_value() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write(
            "content/site.yaml",
            &common::SITE_YAML.replace("https://test.example", "test.example"),
        );
    });
    run.starts_with("error: `test.example` is not a web address\n --> content/site.yaml:3:11\n");
}

#[test]
fn a_static_file_and_a_file_beside_a_page_with_the_same_path_is_an_error() {
    let run = fails_keeping_output(TestSite::new(), |s| {
        s.write("static/thema/gamen/plaatje.txt", "een");
        s.write("content/thema/gamen/plaatje.txt", "twee");
    });
    run.says("error: the file thema/gamen/plaatje.txt is also written from static/thema/gamen/plaatje.txt\n--> content/thema/gamen/plaatje.txt\n");
}
