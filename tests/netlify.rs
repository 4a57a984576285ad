//! What Netlify will make of the build: `_redirects`, `_headers` and `netlify.toml`
//! read by Netlify's own parsers (npm `@netlify/redirect-parser` and
//! `@netlify/headers-parser`, pinned in package-lock.json; `scripts/test` installs
//! them), and every rule checked.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Run the parsers on an output folder and a netlify.toml.
fn parse(out: &Path, config: &Path) -> Value {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    assert!(
        root.join("node_modules/@netlify/redirect-parser").is_dir(),
        "Netlify's parsers are missing: run scripts/test, which installs them, or `npm ci --ignore-scripts`"
    );
    let run = Command::new("node")
        .arg(root.join("tests/netlify/parse.mjs"))
        .arg(out)
        .arg(config)
        .output()
        .unwrap_or_else(|e| panic!("node is missing ({e}): run scripts/test, which installs it"));
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let value: Value = serde_json::from_slice(&run.stdout).unwrap();
    assert_eq!(value["errors"], serde_json::json!([]), "parse errors");
    value
}

fn header<'a>(parsed: &'a Value, path: &str, name: &str) -> Option<&'a str> {
    parsed["headers"]
        .as_array()?
        .iter()
        .find(|h| h["for"] == path)?["values"][name]
        .as_str()
}

#[test]
fn the_bundled_sites_redirects_and_headers_parse_as_intended() {
    let (_dir, out) = common::build_bundled_site();
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("netlify.toml");
    let parsed = parse(&out, &config);
    let redirects = parsed["redirects"].as_array().unwrap();
    // The campaign's short link: temporary, forced past its fallback page, and the
    // target is a page that was built.
    let short = redirects
        .iter()
        .find(|r| r["from"] == "/blijfinbeeld")
        .unwrap_or_else(|| panic!("no /blijfinbeeld in {redirects:?}"));
    assert_eq!(short["to"], "/campagnes/blijf-in-beeld/");
    assert_eq!(short["status"], 302);
    assert_eq!(short["force"], true);
    for r in redirects {
        let to = r["to"].as_str().unwrap();
        assert!(
            out.join(to.trim_start_matches('/'))
                .join("index.html")
                .is_file(),
            "{r}"
        );
        assert!(matches!(r["status"].as_u64(), Some(301 | 302)), "{r}");
    }
    assert!(
        header(&parsed, "/*", "Content-Security-Policy")
            .is_some_and(|csp| csp.starts_with("default-src 'none'"))
    );
    assert_eq!(
        header(&parsed, "/feed.xml", "Content-Type"),
        Some("application/atom+xml; charset=utf-8")
    );
    assert_eq!(
        header(&parsed, "/social/*", "Content-Type"),
        Some("image/png")
    );
    // Not a preview: no noindex header.
    assert!(!out.join("_headers").exists());
}

#[test]
fn a_preview_build_is_kept_out_of_search_engines() {
    let site = common::TestSite::new().file(
        "content/nieuw.md",
        "---\ntitle: Nieuw\ndescription: x\naliases: [/oud/]\n---\n",
    );
    let run = site.build(&[
        "--noindex",
        "--base-url",
        "https://deploy-preview-7--wegwijs.netlify.app",
    ]);
    assert!(run.success, "{}", run.stderr);
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("netlify.toml");
    let parsed = parse(&site.path("public"), &config);
    assert_eq!(header(&parsed, "/*", "X-Robots-Tag"), Some("noindex"));
    let alias = &parsed["redirects"][0];
    assert_eq!(
        (alias["from"].as_str(), alias["status"].as_u64()),
        (Some("/oud/"), Some(301))
    );
    assert_eq!(site.read("robots.txt"), "User-agent: *\nDisallow: /\n");
    assert!(
        site.read("sitemap.xml")
            .contains("https://deploy-preview-7--wegwijs.netlify.app/nieuw/")
    );
}

#[test]
fn netlify_toml_builds_previews_at_their_own_address_without_indexing() {
    let toml = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("netlify.toml"))
        .unwrap();
    for context in ["[context.deploy-preview]", "[context.branch-deploy]"] {
        let section = toml
            .split(context)
            .nth(1)
            .unwrap_or_else(|| panic!("no {context}"));
        let command = section
            .lines()
            .find(|l| l.trim_start().starts_with("command"))
            .unwrap();
        assert!(
            command.contains("--base-url \\\"$DEPLOY_PRIME_URL\\\""),
            "{command}"
        );
        assert!(command.contains("--noindex"), "{command}");
    }
    let toolchain =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("rust-toolchain.toml"))
            .unwrap();
    assert!(
        toolchain.contains("channel = \"1."),
        "the toolchain is pinned to a release"
    );
}
