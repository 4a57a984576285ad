//! The response headers as a scanner sees them: the bundled site served with the
//! headers of `netlify.toml`, each response scored the way Mozilla's HTTP Observatory
//! scores a site (its published methodology, `httpobs/docs/scoring.md`: a baseline
//! of 100, penalties per test, bonuses only when the rest scores 90 or more, A+ from
//! 100). The site must score A+ and every test must keep the result it has today.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;

/// One Observatory test: its name, the result and the result's score modifier.
#[derive(Debug, Clone, PartialEq)]
struct Outcome {
    test: &'static str,
    result: &'static str,
    modifier: i32,
}

fn outcome(test: &'static str, result: &'static str, modifier: i32) -> Outcome {
    Outcome {
        test,
        result,
        modifier,
    }
}

/// The first value of header `name` (names are case-insensitive).
fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
}

/// A CSP as directive → sources (names and keywords lowercased).
fn parse_csp(value: &str) -> Vec<(String, Vec<String>)> {
    value
        .split(';')
        .filter_map(|d| {
            let mut words = d.split_whitespace();
            let name = words.next()?.to_ascii_lowercase();
            Some((name, words.map(str::to_ascii_lowercase).collect()))
        })
        .collect()
}

fn csp_test(headers: &[(String, String)]) -> Outcome {
    const T: &str = "content-security-policy";
    let Some(value) = header(headers, "content-security-policy") else {
        return outcome(T, "csp-not-implemented", -25);
    };
    let csp = parse_csp(value);
    if csp.is_empty() {
        return outcome(T, "csp-header-invalid", -25);
    }
    let sources = |name: &str| -> Option<&Vec<String>> {
        csp.iter()
            .find(|(n, _)| n == name)
            .or_else(|| csp.iter().find(|(n, _)| n == "default-src"))
            .map(|(_, s)| s)
    };
    let none = Vec::new();
    let script = sources("script-src").unwrap_or(&none);
    let style = sources("style-src").unwrap_or(&none);
    // No script-src and no default-src allows any script; so do wide sources.
    let wide = |s: &Vec<String>| {
        s.iter()
            .any(|x| matches!(x.as_str(), "*" | "http:" | "https:" | "data:"))
    };
    let script_unrestricted = sources("script-src").is_none() || wide(script);
    if script.iter().any(|s| s == "'unsafe-inline'") || script_unrestricted {
        return outcome(T, "csp-implemented-with-unsafe-inline", -20);
    }
    let insecure = |s: &Vec<String>| s.iter().any(|x| x.starts_with("http:"));
    let active = [
        "script-src",
        "object-src",
        "style-src",
        "frame-src",
        "connect-src",
    ];
    if active.iter().any(|d| sources(d).is_some_and(&insecure)) {
        return outcome(T, "csp-implemented-with-insecure-scheme", -20);
    }
    if script.iter().any(|s| s == "'unsafe-eval'") {
        return outcome(T, "csp-implemented-with-unsafe-eval", -10);
    }
    if ["img-src", "media-src"]
        .iter()
        .any(|d| sources(d).is_some_and(&insecure))
    {
        return outcome(
            T,
            "csp-implemented-with-insecure-scheme-in-passive-content-only",
            -10,
        );
    }
    if style.iter().any(|s| s == "'unsafe-inline'") {
        return outcome(T, "csp-implemented-with-unsafe-inline-in-style-src-only", 0);
    }
    let default_none = csp
        .iter()
        .any(|(n, s)| n == "default-src" && s.as_slice() == ["'none'"]);
    if default_none {
        outcome(T, "csp-implemented-with-no-unsafe-default-src-none", 10)
    } else {
        outcome(T, "csp-implemented-with-no-unsafe", 5)
    }
}

fn cookies_test(headers: &[(String, String)]) -> Outcome {
    const T: &str = "cookies";
    let cookies: Vec<String> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .collect();
    if cookies.is_empty() {
        return outcome(T, "cookies-not-found", 0);
    }
    let has = |c: &String, flag: &str| c.split(';').any(|p| p.trim().starts_with(flag));
    let hsts = header(headers, "strict-transport-security").is_some();
    if cookies.iter().all(|c| has(c, "secure")) {
        if cookies
            .iter()
            .all(|c| has(c, "httponly") && has(c, "samesite"))
        {
            outcome(T, "cookies-secure-with-httponly-sessions-and-samesite", 5)
        } else {
            outcome(T, "cookies-secure-with-httponly-sessions", 0)
        }
    } else if hsts {
        outcome(T, "cookies-without-secure-flag-but-protected-by-hsts", -5)
    } else {
        outcome(T, "cookies-without-secure-flag", -20)
    }
}

fn cors_test(headers: &[(String, String)]) -> Outcome {
    const T: &str = "cross-origin-resource-sharing";
    match header(headers, "access-control-allow-origin") {
        None => outcome(T, "cross-origin-resource-sharing-not-implemented", 0),
        Some("*") => outcome(
            T,
            "cross-origin-resource-sharing-implemented-with-public-access",
            0,
        ),
        Some(_) => outcome(
            T,
            "cross-origin-resource-sharing-implemented-with-restricted-access",
            0,
        ),
    }
}

fn referrer_test(headers: &[(String, String)]) -> Outcome {
    const T: &str = "referrer-policy";
    let Some(value) = header(headers, "referrer-policy") else {
        return outcome(T, "referrer-policy-not-implemented", 0);
    };
    // Browsers use the last policy they know.
    let policy = value
        .split(',')
        .map(|p| p.trim().to_ascii_lowercase())
        .rfind(|p| {
            matches!(
                p.as_str(),
                "no-referrer"
                    | "same-origin"
                    | "strict-origin"
                    | "strict-origin-when-cross-origin"
                    | "no-referrer-when-downgrade"
                    | "origin"
                    | "origin-when-cross-origin"
                    | "unsafe-url"
            )
        });
    match policy.as_deref() {
        Some(
            "no-referrer" | "same-origin" | "strict-origin" | "strict-origin-when-cross-origin",
        ) => outcome(T, "referrer-policy-private", 5),
        Some("no-referrer-when-downgrade") => {
            outcome(T, "referrer-policy-no-referrer-when-downgrade", 0)
        }
        Some(_) => outcome(T, "referrer-policy-unsafe", -5),
        None => outcome(T, "referrer-policy-header-invalid", -5),
    }
}

fn hsts_test(headers: &[(String, String)]) -> Outcome {
    const T: &str = "strict-transport-security";
    let Some(value) = header(headers, "strict-transport-security") else {
        return outcome(T, "hsts-not-implemented", -20);
    };
    let max_age = value.split(';').find_map(|d| {
        let (k, v) = d.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| v.trim().trim_matches('"').parse::<u64>().ok())?
    });
    // The +5 for preloading needs the domain on the browsers' preload list, which
    // headers alone cannot show: it is not counted.
    match max_age {
        None => outcome(T, "hsts-header-invalid", -20),
        Some(age) if age >= 15_768_000 => {
            outcome(T, "hsts-implemented-max-age-at-least-six-months", 0)
        }
        Some(_) => outcome(T, "hsts-implemented-max-age-less-than-six-months", -10),
    }
}

fn sri_test(headers: &[(String, String)], body: &str) -> Outcome {
    const T: &str = "subresource-integrity";
    let html = header(headers, "content-type").is_some_and(|t| t.starts_with("text/html"));
    if !html {
        return outcome(T, "sri-not-implemented-response-not-html", 0);
    }
    let doc = scraper::Html::parse_document(body);
    let selector = scraper::Selector::parse("script[src]").unwrap();
    let scripts: Vec<_> = doc.select(&selector).collect();
    if scripts.is_empty() {
        return outcome(T, "sri-not-implemented-but-no-scripts-loaded", 0);
    }
    let external = |src: &str| src.starts_with("//") || src.contains("://");
    let all_integrity = scripts.iter().all(|s| s.attr("integrity").is_some());
    let external_http = scripts.iter().any(|s| {
        let src = s.attr("src").unwrap_or("");
        src.starts_with("http://") || src.starts_with("//")
    });
    let any_external = scripts
        .iter()
        .any(|s| external(s.attr("src").unwrap_or("")));
    match (all_integrity, any_external, external_http) {
        (true, _, false) => outcome(T, "sri-implemented-and-all-scripts-loaded-securely", 5),
        (true, _, true) => outcome(
            T,
            "sri-implemented-but-external-scripts-not-loaded-securely",
            -20,
        ),
        (false, false, _) => outcome(
            T,
            "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
            0,
        ),
        (false, true, false) => outcome(
            T,
            "sri-not-implemented-but-external-scripts-loaded-securely",
            -5,
        ),
        (false, true, true) => outcome(
            T,
            "sri-not-implemented-and-external-scripts-not-loaded-securely",
            -50,
        ),
    }
}

fn nosniff_test(headers: &[(String, String)]) -> Outcome {
    const T: &str = "x-content-type-options";
    match header(headers, "x-content-type-options") {
        None => outcome(T, "x-content-type-options-not-implemented", -5),
        Some(v) if v.eq_ignore_ascii_case("nosniff") => {
            outcome(T, "x-content-type-options-nosniff", 0)
        }
        Some(_) => outcome(T, "x-content-type-options-header-invalid", -5),
    }
}

fn frame_test(headers: &[(String, String)]) -> Outcome {
    const T: &str = "x-frame-options";
    let csp = header(headers, "content-security-policy").map(parse_csp);
    if csp.is_some_and(|c| c.iter().any(|(n, _)| n == "frame-ancestors")) {
        return outcome(T, "x-frame-options-implemented-via-csp", 5);
    }
    match header(headers, "x-frame-options").map(str::to_ascii_lowercase) {
        None => outcome(T, "x-frame-options-not-implemented", -20),
        Some(v) if v == "deny" || v == "sameorigin" => {
            outcome(T, "x-frame-options-sameorigin-or-deny", 0)
        }
        Some(v) if v.starts_with("allow-from ") => {
            outcome(T, "x-frame-options-allow-from-origin", 0)
        }
        Some(_) => outcome(T, "x-frame-options-header-invalid", -20),
    }
}

fn corp_test(headers: &[(String, String)]) -> Outcome {
    const T: &str = "cross-origin-resource-policy";
    match header(headers, "cross-origin-resource-policy")
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        None => outcome(T, "corp-not-implemented", 0),
        Some("same-origin") => outcome(T, "corp-implemented-with-same-origin", 0),
        Some("same-site") => outcome(T, "corp-implemented-with-same-site", 0),
        Some("cross-origin") => outcome(T, "corp-implemented-with-cross-origin", 0),
        Some(_) => outcome(T, "corp-header-invalid", -5),
    }
}

/// Every test the Observatory runs on a response. Its redirection test (http to
/// https on the same host) is the host's job (Netlify redirects every http request)
/// and cannot be seen in a response, so it is not scored here.
fn observatory(headers: &[(String, String)], body: &str) -> Vec<Outcome> {
    vec![
        csp_test(headers),
        cookies_test(headers),
        cors_test(headers),
        referrer_test(headers),
        hsts_test(headers),
        sri_test(headers, body),
        nosniff_test(headers),
        frame_test(headers),
        corp_test(headers),
    ]
}

/// 100, plus the penalties, plus the bonuses when the rest is 90 or more.
fn score(outcomes: &[Outcome]) -> i32 {
    let penalties: i32 = outcomes.iter().map(|o| o.modifier.min(0)).sum();
    let bonuses: i32 = outcomes.iter().map(|o| o.modifier.max(0)).sum();
    let base = 100 + penalties;
    if base >= 90 {
        base + bonuses
    } else {
        base.max(0)
    }
}

fn grade(score: i32) -> &'static str {
    match score {
        100.. => "A+",
        90..=99 => "A",
        85..=89 => "A-",
        80..=84 => "B+",
        70..=79 => "B",
        65..=69 => "B-",
        60..=64 => "C+",
        50..=59 => "C",
        45..=49 => "C-",
        40..=44 => "D+",
        30..=39 => "D",
        25..=29 => "D-",
        _ => "F",
    }
}

/// `GET path` from the server at `base` (http://127.0.0.1:port): headers and body.
fn fetch(base: &str, path: &str) -> (u16, Vec<(String, String)>, String) {
    let host = base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    (status, headers, body.to_owned())
}

fn table(outcomes: &[Outcome]) -> String {
    outcomes
        .iter()
        .map(|o| format!("  {:>4}  {:<32} {}", o.modifier, o.test, o.result))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_headers_score_a_plus_as_the_http_observatory_scores_them() {
    let (_dir, public) = common::build_bundled_site();
    let base = common::serve_with_headers(&public, common::netlify::header_rules());
    // The home page is what a scanner fetches; the other page types carry the same
    // headers, and the tool start page loads a script (the SRI test).
    for path in [
        "/",
        "/tools/ontheffing/",
        "/kaarten/risico/veiligheid/",
        "/bestaat-niet/",
    ] {
        let (status, headers, body) = fetch(&base, path);
        assert!(
            status == 200 || path == "/bestaat-niet/",
            "{path}: status {status}"
        );
        let outcomes = observatory(&headers, &body);
        let score = score(&outcomes);
        println!("{path}: {score} ({})\n{}", grade(score), table(&outcomes));
        let expected = [
            "csp-implemented-with-no-unsafe-default-src-none",
            "cookies-not-found",
            "cross-origin-resource-sharing-not-implemented",
            "referrer-policy-private",
            "hsts-implemented-max-age-at-least-six-months",
            if path.starts_with("/tools/") {
                "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
            } else {
                "sri-not-implemented-but-no-scripts-loaded"
            },
            "x-content-type-options-nosniff",
            "x-frame-options-implemented-via-csp",
            "corp-implemented-with-same-origin",
        ];
        let results: Vec<&str> = outcomes.iter().map(|o| o.result).collect();
        assert_eq!(
            results,
            expected,
            "{path}: a test lost its result ({score}, {}):\n{}",
            grade(score),
            table(&outcomes)
        );
        assert!(score >= 100, "{path}: {score} ({}), not A+", grade(score));
    }
}

/// The scorer itself marks weak headers down (so the test above can fail).
#[test]
fn the_scorer_marks_down_missing_and_weak_headers() {
    let h = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    };
    let page = "<!doctype html><title>x</title>";
    let html = ("Content-Type", "text/html; charset=utf-8");
    // Nothing set: CSP -25, HSTS -20, nosniff -5, framing -20.
    let none = observatory(&h(&[html]), page);
    assert_eq!(score(&none), 30);
    assert_eq!(grade(score(&none)), "D");
    let weak = h(&[
        html,
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline'",
        ),
        ("Strict-Transport-Security", "max-age=86400"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "unsafe-url"),
        ("Set-Cookie", "id=1; Path=/"),
    ]);
    let results: Vec<&str> = observatory(&weak, page).iter().map(|o| o.result).collect();
    assert!(results.contains(&"csp-implemented-with-unsafe-inline"));
    assert!(results.contains(&"hsts-implemented-max-age-less-than-six-months"));
    assert!(results.contains(&"referrer-policy-unsafe"));
    assert!(results.contains(&"cookies-without-secure-flag-but-protected-by-hsts"));
    assert_eq!(score(&observatory(&weak, page)), 60);
    let script = "<!doctype html><script src=\"http://cdn.example/x.js\"></script>";
    let sri = sri_test(&h(&[html]), script);
    assert_eq!(
        sri.result,
        "sri-not-implemented-and-external-scripts-not-loaded-securely"
    );
}
