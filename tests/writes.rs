//! Builds into an existing output: only what changed is written, someone else's
//! folder is refused, and a build killed (SIGKILL) at any point of writing leaves
//! the old tree, or a state that the next build completes into the new tree.

#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Stdio};

use common::{TestSite, snapshot};

const MANIFEST: &str = ".wegwijs-manifest";

/// The fixture site plus a page that version 2 deletes.
fn version_1() -> TestSite {
    TestSite::new().file(
        "content/thema/gamen/weg.md",
        "---\ntitle: Weg\ndescription: Deze pagina verdwijnt.\n---\nTekst.\n",
    )
}

/// One page edited, one added, one deleted.
fn change_to_version_2(site: &TestSite) {
    site.write(
        "content/thema/gamen/loot-boxes.md",
        "---\ntitle: Loot boxes\ndescription: Wat zijn loot boxes?\nthemes: [gamen]\nages: [8-12]\n---\n## Wat is het?\n\nEen doos met een andere verrassing.\n",
    );
    site.write(
        "content/thema/gamen/nieuw.md",
        "---\ntitle: Nieuw\ndescription: Een nieuwe pagina.\n---\nNieuw.\n",
    );
    std::fs::remove_file(site.path("content/thema/gamen/weg.md")).unwrap();
}

fn without_manifest(mut files: BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    files.remove(MANIFEST);
    files
}

/// Inode and modification time of every file in `dir`.
fn identities(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    snapshot(dir)
        .into_keys()
        .map(|path| {
            let m = std::fs::metadata(dir.join(&path)).unwrap();
            (path, (m.ino(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

/// Names in the site root left by a build (staging folders).
fn leftovers(site: &TestSite) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("wegwijs"))
        .collect()
}

/// What a clean build of the site as it is now writes (built elsewhere).
fn clean_build(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let run = site.build(&["--output", "referentie"]);
    assert!(run.success, "{}", run.stderr);
    let files = without_manifest(snapshot(&site.path("referentie")));
    std::fs::remove_dir_all(site.path("referentie")).unwrap();
    files
}

#[test]
fn a_rebuild_writes_only_what_changed() {
    let site = version_1();
    assert!(site.build(&[]).success);
    let public = site.path("public");
    let first = identities(&public);
    assert!(first.contains_key(MANIFEST), "{first:?}");

    let run = site.build(&[]);
    assert!(run.success, "{}", run.stderr);
    assert_eq!(
        identities(&public),
        first,
        "a rebuild with nothing changed writes no file"
    );

    let before = snapshot(&public);
    change_to_version_2(&site);
    let expected = clean_build(&site);
    assert!(site.build(&[]).success);
    let after = snapshot(&public);
    assert_eq!(without_manifest(after.clone()), expected);
    let now = identities(&public);
    let mut rewritten = Vec::new();
    for (path, identity) in &now {
        if before.get(path) == after.get(path) {
            assert_eq!(first.get(path), Some(identity), "{path} was written again");
        } else {
            rewritten.push(path.as_str());
        }
    }
    for path in [
        "thema/gamen/loot-boxes/index.html",
        "thema/gamen/nieuw/index.html",
        "thema/gamen/index.html",
        MANIFEST,
    ] {
        assert!(rewritten.contains(&path), "{path} in {rewritten:?}");
    }
    assert!(now.contains_key("index.html") && !rewritten.contains(&"index.html"));
    assert!(
        !public.join("thema/gamen/weg").exists(),
        "the page's folder is gone"
    );
    assert!(leftovers(&site).is_empty(), "{:?}", leftovers(&site));
}

#[test]
fn a_web_root_that_wegwijs_did_not_build_is_refused() {
    let site = TestSite::new().file("www/index.html", "<p>een andere site</p>");
    let run = site.build(&["--output", "www"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "refusing to write the site into `www`: it already holds files that are not a built site"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        snapshot(&site.path("www")).into_keys().collect::<Vec<_>>(),
        ["index.html"]
    );
    // An empty folder is fine, and from then on it is wegwijs's own.
    std::fs::remove_file(site.path("www/index.html")).unwrap();
    assert!(site.build(&["--output", "www"]).success);
    assert!(site.build(&["--output", "www"]).success);
    assert!(site.path("www").join(MANIFEST).is_file());
}

/// Start a build that stops at `point`, wait until it is there, then SIGKILL it.
fn kill_build_at(site: &TestSite, point: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .args(["build", "--now", "2026-11-23"])
        .current_dir(site.root())
        .env("NO_COLOR", "1")
        .env("WEGWIJS_TEST_PAUSE_AT", point)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut said = String::new();
    for line in BufReader::new(stderr).lines() {
        let line = line.unwrap();
        said += &line;
        said += "\n";
        if line.contains("paused at ") {
            break;
        }
    }
    // `Child::kill` is SIGKILL on Unix: no destructor, no cleanup runs.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert!(
        said.contains(&format!("paused at {point}\n")),
        "the build did not reach {point}: {said}"
    );
    assert!(!status.success());
}

/// Kill a build of version 2 at `point`; `committed` says whether the point is
/// after the journal's commit. Before it the output must be byte-identical to
/// version 1; either way a next build (even one that fails) leaves exactly one of
/// the two trees, and a successful one version 2.
fn killed_at(point: &str, first_build: bool, committed: bool) {
    let site = version_1();
    if !first_build {
        assert!(site.build(&[]).success);
    }
    let old = snapshot(&site.path("public"));
    change_to_version_2(&site);
    let new = clean_build(&site);

    kill_build_at(&site, point);
    if !committed {
        assert!(
            snapshot(&site.path("public")) == old,
            "{point}: the output changed before the commit point"
        );
    }
    // A build that fails on its content still finishes the killed build first.
    site.write("content/kapot.md", "---\ntitle: Kapot\n---\n");
    let run = site.build(&[]);
    assert_eq!(run.code, Some(1), "{point}: {}", run.stderr);
    let expected = if committed {
        &new
    } else {
        &without_manifest(old)
    };
    assert!(
        without_manifest(snapshot(&site.path("public"))) == *expected,
        "{point}: after the next build the output is neither the old nor the new tree"
    );
    assert!(
        leftovers(&site).is_empty(),
        "{point}: {:?}",
        leftovers(&site)
    );

    std::fs::remove_file(site.path("content/kapot.md")).unwrap();
    let run = site.build(&[]);
    assert!(run.success, "{point}: {}", run.stderr);
    assert!(
        without_manifest(snapshot(&site.path("public"))) == new,
        "{point}: the repaired output is not the new tree"
    );
}

#[test]
fn a_first_build_killed_while_writing_leaves_no_output_or_all_of_it() {
    killed_at("staged", true, false);
    killed_at("swapped", true, true);
}

#[test]
fn a_rebuild_killed_while_writing_is_completed_by_the_next_build() {
    for point in [
        "staged", "journal", "apply-1", "apply-2", "apply-4", "applied",
    ] {
        killed_at(point, false, point != "staged");
    }
}
