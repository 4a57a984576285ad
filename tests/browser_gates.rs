//! Browser gates: every page type of the bundled site, opened in Debian's Chromium
//! (over WebDriver) from a local server that sends the headers of `netlify.toml`, must
//! - pass axe-core (WCAG 2.1 A and AA, plus `heading-order`, `landmark-one-main`,
//!   `page-has-heading-one` and `region`), also after interaction;
//! - make no request to another host, set no cookie, write no web storage, and raise
//!   no `securitypolicyviolation` under the site's Content-Security-Policy;
//! - reflow at 320 CSS px and at 1280 px zoomed to 400% (WCAG 1.4.10), and keep all
//!   text visible with the WCAG 1.4.12 text spacing;
//!
//! and the screenshots CI keeps (home, a hub, both kinds of card, the tool's start, a
//! question and an outcome, at 360 and 1280 px) go to
//! `target/screenshots/`. A new kind of page is covered by adding a row to [`PAGES`];
//! the `wegwijs serve` error overlay, shown over the last good page after a broken
//! save, goes through the same gates in a preview of its own.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use base64::Engine as _;
use common::chromedriver::{self, ChromeDriver};
use fantoccini::{Client, Locator};
use serde_json::{Value, json};

/// Something a visitor does on a page before it is checked again.
#[derive(Debug, Clone, Copy)]
enum Step {
    /// Type text into the field `css`.
    Type(&'static str, &'static str),
    /// Click `css`.
    Click(&'static str),
    /// Wait until `css` is on the page.
    WaitFor(&'static str),
}

/// A page state to check: a kind of page, the site that serves it and its path there,
/// whether scripts run, and what the visitor does first.
struct Page {
    kind: &'static str,
    /// The address of a running site: the bundled site ([`site`]) unless a page kind
    /// needs its own (a fixture site, or `wegwijs serve` for its overlay). It must
    /// send the headers of netlify.toml.
    site: fn() -> &'static str,
    path: &'static str,
    js: bool,
    steps: &'static [Step],
}

const fn page(kind: &'static str, path: &'static str) -> Page {
    Page {
        kind,
        site,
        path,
        js: true,
        steps: &[],
    }
}

const SUBMIT: &str = "#beslishulp button.tool-button[type=submit]";

/// Every page type (and page state after interaction) the gates check. When a new
/// kind of page lands, add its row here. The `serve` overlay needs a running preview
/// with a broken file, so it has its own test ([`the_serve_overlay_passes_every_gate`])
/// that runs the same gates on it.
const PAGES: &[Page] = &[
    page("home", "/"),
    page("theme hub", "/thema/gamen/"),
    page("theme hub filtered by age", "/thema/gamen/leeftijd/8-12/"),
    page("age list", "/leeftijden/8-12/"),
    page("all ages", "/leeftijden/"),
    page("theme list", "/themas/gamen/"),
    page("all themes", "/themas/"),
    page("page", "/thema/gamen/loot-boxes/"),
    page(
        "page with sources",
        "/thema/vloggen-met-kinderen/regels-nu/",
    ),
    page("plain page", "/privacy/"),
    page("risk card", "/kaarten/risico/veiligheid/"),
    page(
        "argument card",
        "/kaarten/argument/mag-mijn-kind-zelf-vloggen/",
    ),
    page("card overview", "/kaarten/"),
    page("risk card overview", "/kaarten/risico/"),
    page("risk cards by age", "/kaarten/risico/leeftijd/8-12/"),
    page("argument card overview", "/kaarten/argument/"),
    page(
        "argument cards by theme",
        "/kaarten/argument/thema/sociale-media/",
    ),
    page("print set", "/kaarten/printen/"),
    page("campaign landing page", "/campagnes/blijf-in-beeld/"),
    page("card to fill in", "/campagnes/afsprakenkaart/"),
    page("news list", "/nieuws/"),
    page("news item", "/nieuws/kabinet-drie-pijlers-vloggen/"),
    page("tool start", "/tools/ontheffing/"),
    Page {
        js: false,
        ..page("tool start without JS", "/tools/ontheffing/")
    },
    page(
        "tool question",
        "/tools/ontheffing/?leeftijd=9&opnames=video",
    ),
    page(
        "tool outcome",
        "/tools/ontheffing/?leeftijd=9&opnames=video&commercieel=ja&wie=bedrijf",
    ),
    page(
        "tool error from the address",
        "/tools/ontheffing/?leeftijd=18",
    ),
    Page {
        js: false,
        ..page("tool question without JS", "/tools/ontheffing/0-12/video/")
    },
    Page {
        js: false,
        ..page(
            "tool outcome without JS",
            "/tools/ontheffing/0-12/video/ja/bedrijf/",
        )
    },
    Page {
        steps: &[
            Step::Click(SUBMIT),
            Step::WaitFor("#beslishulp .error-summary"),
        ],
        ..page(
            "tool error summary after an empty answer",
            "/tools/ontheffing/",
        )
    },
    Page {
        steps: &[
            Step::Type("#antwoord-leeftijd", "13"),
            Step::Click(SUBMIT),
            Step::WaitFor("#beslishulp .outcome"),
        ],
        ..page("tool outcome after answering", "/tools/ontheffing/")
    },
    page("tool review page", "/tools/ontheffing/alle-uitkomsten/"),
    Page {
        steps: &[Step::WaitFor("#zoeklijst li")],
        ..page(
            "search page with results",
            "/zoeken/?q=loot+box&thema=gamen",
        )
    },
    Page {
        js: false,
        ..page("search page without JS", "/zoeken/?q=loot+box")
    },
    page("a letter of the search page's A to Z", "/zoeken/g/"),
    page("404", "/bestaat-niet/"),
];

/// The pages CI keeps screenshots of, at each of [`SCREENSHOT_WIDTHS`].
const SCREENSHOTS: &[(&str, &str)] = &[
    ("home", "/"),
    ("hub", "/thema/vloggen-met-kinderen/"),
    ("risk-card", "/kaarten/risico/veiligheid/"),
    (
        "argument-card",
        "/kaarten/argument/zet-ik-mijn-kind-in-onze-vlogs/",
    ),
    ("tool-start", "/tools/ontheffing/"),
    ("tool", "/tools/ontheffing/?leeftijd=9&opnames=video"),
    (
        "tool-outcome",
        "/tools/ontheffing/?leeftijd=12&opnames=video&commercieel=ja&wie=ouders",
    ),
];
const SCREENSHOT_WIDTHS: &[u32] = &[360, 1280];

/// How long a page or a step may take (a bound against hanging, not a speed test).
const STEP: Duration = Duration::from_secs(20);

// ---------------------------------------------------------------------------------
// The site and the browser.

/// The bundled site, built once for this test binary, served with netlify.toml's
/// headers: its address.
fn site() -> &'static str {
    static SITE: OnceLock<String> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = common::build_bundled_site_for("browser_gates");
        common::serve_with_headers(&dir, common::netlify::header_rules())
    })
}

/// Start ChromeDriver and a browser that logs its network events, run `test`, close
/// the browser (also when `test` panics: the driver's guard drops).
async fn with_browser<F, Fut>(test: F)
where
    F: FnOnce(Client) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    site();
    let mut driver = ChromeDriver::start();
    let client = driver
        .session_with(chromedriver::capabilities(json!({
            "goog:loggingPrefs": { "performance": "ALL" },
            "goog:chromeOptions": { "perfLoggingPrefs": { "enableNetwork": true, "enablePage": false } }
        })))
        .await;
    // Record, from before any page script runs, what the gates must not see.
    chromedriver::cdp(
        &client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({ "source": RECORDER }),
    )
    .await;
    test(client.clone()).await;
    client.close().await.unwrap();
    drop(driver);
}

/// Installed in every document before its own scripts: records CSP violations,
/// web storage writes and cookie writes in `window.__gates`.
const RECORDER: &str = r#"(function () {
  var g = window.__gates = { csp: [], storage: [], cookies: [] };
  document.addEventListener('securitypolicyviolation', function (e) {
    g.csp.push(e.effectiveDirective + ' blocked ' + (e.blockedURI || 'inline code') +
      ' (' + (e.sourceFile || 'the page') + ':' + e.lineNumber + ')');
  }, true);
  var setItem = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key) {
    g.storage.push((this === window.localStorage ? 'localStorage' : 'sessionStorage') + '.setItem(' + key + ')');
    return setItem.apply(this, arguments);
  };
  var cookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    get: function () { return cookie.get.call(this); },
    set: function (v) { g.cookies.push(String(v).split('=')[0]); cookie.set.call(this, v); }
  });
})();"#;

/// Open `page` (scripts on or off) and take its steps.
async fn open(client: &Client, page: &Page) {
    chromedriver::cdp(
        client,
        "Emulation.setScriptExecutionDisabled",
        json!({ "value": !page.js }),
    )
    .await;
    let url = format!("{}{}", (page.site)(), page.path);
    client
        .goto(&url)
        .await
        .unwrap_or_else(|e| panic!("{} ({}): {e}", page.kind, page.path));
    wait_for(
        client,
        page,
        "the page to load",
        "document.readyState === 'complete'",
    )
    .await;
    if !page.js {
        // Loaded without scripts; the checks' own scripts need timers and promises.
        chromedriver::cdp(
            client,
            "Emulation.setScriptExecutionDisabled",
            json!({ "value": false }),
        )
        .await;
    }
    if page.js && page.path.starts_with("/tools/ontheffing/") && !page.path.contains("alle-") {
        wait_for(
            client,
            page,
            "the script to enhance the tool",
            "!!document.querySelector('#beslishulp.tool-js')",
        )
        .await;
    }
    for step in page.steps {
        match *step {
            Step::Type(css, text) => {
                let field = client.find(Locator::Css(css)).await.unwrap();
                field.send_keys(text).await.unwrap();
            }
            // A click from the script: under device emulation ChromeDriver's pointer
            // misses (the keyboard journeys test the real input).
            Step::Click(css) => {
                let script = format!(
                    "document.querySelector({}).click(); return true;",
                    json!(css)
                );
                client.execute(&script, vec![]).await.unwrap();
            }
            Step::WaitFor(css) => {
                let test = format!("!!document.querySelector({})", json!(css));
                wait_for(client, page, css, &test).await;
            }
        }
    }
}

/// Poll the script expression `test` until it is true; panics after [`STEP`].
async fn wait_for(client: &Client, page: &Page, what: &str, test: &str) {
    let deadline = Instant::now() + STEP;
    let script = format!("return {test};");
    loop {
        // With scripts off, WebDriver scripts still run (DevTools evaluates them).
        if client.execute(&script, vec![]).await.unwrap() == json!(true) {
            return;
        }
        if Instant::now() > deadline {
            panic!("{} ({}): waited {STEP:?} for {what}", page.kind, page.path);
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Run a script once more after the tasks already queued (e.g. the dispatch of
/// `securitypolicyviolation` events), so what it reads is complete.
async fn after_queued_tasks(client: &Client, body: &str) -> Value {
    let script = format!(
        "var done = arguments[arguments.length - 1];
         setTimeout(function () {{ done((function () {{ {body} }})()); }}, 0);"
    );
    client.execute_async(&script, vec![]).await.unwrap()
}

/// Panic with every failure at once.
fn report(gate: &str, failures: &[String]) {
    if !failures.is_empty() {
        panic!(
            "{gate}: {} failure(s)\n\n{}",
            failures.len(),
            failures.join("\n\n")
        );
    }
}

// ---------------------------------------------------------------------------------
// axe-core.

fn axe_source() -> &'static str {
    static AXE: OnceLock<String> = OnceLock::new();
    AXE.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
        std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e}; run scripts/test (it runs `npm ci`), axe-core is pinned in package-lock.json",
                path.display()
            )
        })
    })
}

/// Run axe-core in the page: the WCAG 2.1 A/AA rules and four best-practice rules.
const AXE_RUN: &str = r#"
var done = arguments[arguments.length - 1];
var rules = axe.getRules(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).map(function (r) { return r.ruleId; })
  .concat(['heading-order', 'landmark-one-main', 'page-has-heading-one', 'region']);
axe.run(document, { runOnly: { type: 'rule', values: rules }, resultTypes: ['violations'] }).then(function (r) {
  done({ rules: rules, violations: r.violations.map(function (v) {
    return { id: v.id, impact: v.impact, help: v.help, url: v.helpUrl, nodes: v.nodes.map(function (n) {
      return { target: n.target.join(' '), html: n.html, summary: n.failureSummary };
    }) };
  }) });
}, function (e) { done({ error: String(e) }); });
"#;

#[tokio::test(flavor = "current_thread")]
async fn axe_finds_no_violation_on_any_page_type() {
    with_browser(|client| async move {
        let mut failures = Vec::new();
        // A phone and a desktop: some rules (target size, regions of a folded menu)
        // only fail in one layout.
        for (width, height, mobile) in [(360, 740, true), (1280, 900, false)] {
            set_viewport(&client, width, height, 1, mobile).await;
            for page in PAGES {
                failures.extend(axe_failures(&client, page, width).await);
            }
        }
        report("axe-core", &failures);
    })
    .await;
}

/// Open `page` and run axe-core in it: every violation, with its rule, nodes and help.
async fn axe_failures(client: &Client, page: &Page, width: u32) -> Vec<String> {
    open(client, page).await;
    let script = format!("{}\n;{AXE_RUN}", axe_source());
    let result = client.execute_async(&script, vec![]).await.unwrap();
    if let Some(error) = result.get("error") {
        panic!("{} ({}): axe-core failed: {error}", page.kind, page.path);
    }
    let rules = result["rules"].as_array().unwrap();
    // The rule set is real: the rules this gate exists for are in it.
    for rule in [
        "image-alt",
        "color-contrast",
        "heading-order",
        "region",
        "label",
    ] {
        assert!(rules.contains(&json!(rule)), "axe-core ran without {rule}");
    }
    let mut failures = Vec::new();
    for v in result["violations"].as_array().unwrap() {
        let mut text = format!(
            "{} ({}) at {width} px: {} [{}]: {}\n  {}",
            page.kind, page.path, v["id"], v["impact"], v["help"], v["url"]
        );
        for n in v["nodes"].as_array().unwrap() {
            let _ = write!(
                text,
                "\n  - {}\n    {}\n    {}",
                n["target"].as_str().unwrap_or(""),
                n["html"].as_str().unwrap_or(""),
                n["summary"].as_str().unwrap_or("").replace('\n', "\n    ")
            );
        }
        failures.push(text);
    }
    failures
}

// ---------------------------------------------------------------------------------
// Privacy and the Content-Security-Policy.

#[tokio::test(flavor = "current_thread")]
async fn no_page_type_calls_another_host_stores_anything_or_breaks_the_csp() {
    with_browser(|client| async move {
        let mut failures = Vec::new();
        for page in PAGES {
            let csp = netlify_csp(page.path);
            failures.extend(privacy_failures(&client, page, csp).await);
        }
        report("privacy and CSP", &failures);
    })
    .await;
}

/// The Content-Security-Policy netlify.toml sets for a path (its query string aside).
fn netlify_csp(path: &str) -> Option<String> {
    static RULES: OnceLock<Vec<common::netlify::HeaderRule>> = OnceLock::new();
    let rules = RULES.get_or_init(common::netlify::header_rules);
    let path = path.split('?').next().unwrap_or(path);
    common::netlify::headers_for(rules, path)
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-security-policy"))
        .map(|(_, v)| v)
}

/// Open `page` while recording: a request to another host, a WebSocket, a CSP
/// violation, a cookie or a web storage write, and a document policy other than
/// `csp`, each a failure. Cookies and storage are cleared after, so the next page
/// starts clean and a failure names the page that stored it.
async fn privacy_failures(client: &Client, page: &Page, csp: Option<String>) -> Vec<String> {
    let mut failures = Vec::new();
    let origin = url::Url::parse((page.site)()).unwrap().origin();
    chromedriver::performance_log(client).await; // what came before
    open(client, page).await;
    let state = after_queued_tasks(
        client,
        "var g = window.__gates;
         return { recorder: !!g, csp: g ? g.csp : [], storage: g ? g.storage : [],
           cookieWrites: g ? g.cookies : [], local: localStorage.length,
           session: sessionStorage.length, cookie: document.cookie };",
    )
    .await;
    let at = format!("{} ({})", page.kind, page.path);
    let mut document_csp = None;
    let mut requests = 0;
    for event in chromedriver::performance_log(client).await {
        match event["method"].as_str() {
            Some("Network.requestWillBeSent") => {
                requests += 1;
                let url = event["params"]["request"]["url"].as_str().unwrap_or("");
                let same = url::Url::parse(url).is_ok_and(|u| u.origin() == origin);
                if !same {
                    failures.push(format!("{at}: a request to another host: {url}"));
                }
            }
            Some("Network.webSocketCreated") => {
                failures.push(format!("{at}: a WebSocket to {}", event["params"]["url"]))
            }
            Some("Network.responseReceived") if event["params"]["type"] == "Document" => {
                let headers = event["params"]["response"]["headers"].as_object();
                document_csp = headers.and_then(|h| {
                    h.iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("content-security-policy"))
                        .and_then(|(_, v)| v.as_str().map(str::to_owned))
                });
            }
            _ => {}
        }
    }
    // The recording is real: the page itself was seen, under the site's CSP.
    assert!(requests > 0, "{at}: no request recorded");
    assert!(
        csp.is_some(),
        "{at}: netlify.toml sets no Content-Security-Policy"
    );
    assert_eq!(document_csp, csp, "{at}: the page's CSP");
    if page.js {
        assert_eq!(
            state["recorder"],
            json!(true),
            "{at}: the recorder did not run"
        );
    }
    for (what, key) in [
        ("a CSP violation", "csp"),
        ("a web storage write", "storage"),
        ("a cookie write", "cookieWrites"),
    ] {
        for item in state[key].as_array().into_iter().flatten() {
            failures.push(format!("{at}: {what}: {}", item.as_str().unwrap_or("")));
        }
    }
    if state["local"] != json!(0) || state["session"] != json!(0) {
        failures.push(format!(
            "{at}: web storage holds {} local and {} session keys",
            state["local"], state["session"]
        ));
    }
    let cookies = chromedriver::cdp(client, "Network.getAllCookies", json!({})).await;
    for c in cookies["cookies"].as_array().into_iter().flatten() {
        failures.push(format!("{at}: a cookie: {} ({})", c["name"], c["domain"]));
    }
    // Each page starts clean, so a failure names the page that stored it.
    chromedriver::cdp(client, "Network.clearBrowserCookies", json!({})).await;
    client
        .execute(
            "localStorage.clear(); sessionStorage.clear(); return true;",
            vec![],
        )
        .await
        .unwrap();
    failures
}

// ---------------------------------------------------------------------------------
// Reflow, zoom and text spacing.

/// Why the page scrolls sideways: its width and the elements that stick out.
const OVERFLOW: &str = r#"
var root = document.documentElement, width = root.clientWidth;
if (root.scrollWidth <= width + 1) return null;
var out = [];
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.right > width + 1 && r.width > 0 && out.length < 5) {
    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
      ' (right edge at ' + Math.round(r.right) + ' px)');
  }
});
return 'the page is ' + root.scrollWidth + ' px wide in a ' + width + ' px viewport; sticking out: ' + out.join(', ');
"#;

/// WCAG 1.4.12's text spacing, set on every element through the CSSOM (which the
/// CSP allows, unlike a `<style>` element), then every element whose text is clipped.
const TEXT_SPACING: &str = r#"
document.querySelectorAll('*').forEach(function (e) {
  e.style.setProperty('line-height', '1.5', 'important');
  e.style.setProperty('letter-spacing', '0.12em', 'important');
  e.style.setProperty('word-spacing', '0.16em', 'important');
  if (e.tagName === 'P') e.style.setProperty('margin-bottom', '2em', 'important');
});
var out = [];
document.querySelectorAll('body *').forEach(function (e) {
  var s = getComputedStyle(e);
  var clips = /hidden|clip/.test(s.overflowX + s.overflowY);
  // Visually hidden text (1 px boxes for screen readers) is not meant to be seen.
  if (!clips || e.clientWidth <= 1 || e.clientHeight <= 1 || !e.textContent.trim()) return;
  if (e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1) {
    out.push(e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\s+/).join('.') : '') +
      ': "' + e.textContent.trim().slice(0, 40) + '" is cut off');
  }
});
return out;
"#;

/// A viewport: CSS width and height, device pixels per CSS pixel, phone or desktop.
struct Viewport {
    name: &'static str,
    width: u32,
    height: u32,
    scale: u32,
    mobile: bool,
}

const VIEWPORTS: &[Viewport] = &[
    Viewport {
        name: "320 CSS px (phone)",
        width: 320,
        height: 640,
        scale: 1,
        mobile: true,
    },
    // A 1280×900 window at 400% zoom lays the page out in 320×225 CSS px.
    Viewport {
        name: "1280 px at 400% zoom",
        width: 320,
        height: 225,
        scale: 4,
        mobile: false,
    },
    Viewport {
        name: "1280 px",
        width: 1280,
        height: 900,
        scale: 1,
        mobile: false,
    },
];

async fn set_viewport(client: &Client, width: u32, height: u32, scale: u32, mobile: bool) {
    chromedriver::cdp(
        client,
        "Emulation.setDeviceMetricsOverride",
        json!({ "width": width, "height": height, "deviceScaleFactor": scale, "mobile": mobile }),
    )
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn every_page_type_reflows_and_keeps_its_text_with_wider_spacing() {
    with_browser(|client| async move {
        let mut failures = Vec::new();
        for viewport in VIEWPORTS {
            set_viewport(
                &client,
                viewport.width,
                viewport.height,
                viewport.scale,
                viewport.mobile,
            )
            .await;
            for page in PAGES {
                failures.extend(reflow_failures(&client, page, viewport).await);
            }
        }
        report("reflow and text spacing", &failures);
    })
    .await;
}

/// Open `page` in the current viewport: sideways scrolling at 320 CSS px, and text
/// clipped or scrolling sideways with WCAG 1.4.12's text spacing.
async fn reflow_failures(client: &Client, page: &Page, viewport: &Viewport) -> Vec<String> {
    let mut failures = Vec::new();
    open(client, page).await;
    let at = format!("{} ({}) at {}", page.kind, page.path, viewport.name);
    // 1.4.10 asks for no sideways scrolling at 320 CSS px; wider viewports
    // are only checked with the wider text spacing.
    if viewport.width == 320
        && let Some(problem) = client.execute(OVERFLOW, vec![]).await.unwrap().as_str()
    {
        failures.push(format!("{at}: {problem}"));
    }
    let clipped = client.execute(TEXT_SPACING, vec![]).await.unwrap();
    for c in clipped.as_array().into_iter().flatten() {
        failures.push(format!("{at}, text spacing: {}", c.as_str().unwrap_or("")));
    }
    if let Some(problem) = client.execute(OVERFLOW, vec![]).await.unwrap().as_str() {
        failures.push(format!("{at}, text spacing: {problem}"));
    }
    failures
}

// ---------------------------------------------------------------------------------
// The `wegwijs serve` overlay: an editor's broken save, shown over the last good page.

/// A `wegwijs serve` of a copy of the bundled site, stopped when dropped.
struct Preview {
    child: std::process::Child,
    _site: tempfile::TempDir,
}

impl Drop for Preview {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address of the running preview, for the overlay's row (set by its test).
static PREVIEW: OnceLock<String> = OnceLock::new();

fn preview_site() -> &'static str {
    PREVIEW.get().expect("the preview is started by its test")
}

/// Start `wegwijs serve` on a copy of the bundled site, then break one page the way
/// an editor does (a YAML error in its front matter) and wait until the preview says
/// the rebuild failed: from then on every page it serves shows the overlay.
fn start_preview_with_an_error() -> Preview {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site = tempfile::tempdir().unwrap();
    for entry in walkdir::WalkDir::new(repo) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(repo).unwrap();
        let top = relative.components().next();
        let wanted = top.is_some_and(|top| {
            ["content", "themes", "static", "site.yaml", "netlify.toml"]
                .contains(&top.as_os_str().to_str().unwrap_or(""))
        });
        if !wanted {
            continue;
        }
        let to = site.path().join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&to).unwrap();
        } else {
            std::fs::copy(entry.path(), &to).unwrap();
        }
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_wegwijs"))
        .args(["serve", "--port", "0", "--now", "2026-11-23"])
        .current_dir(site.path())
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, lines) = std::sync::mpsc::channel();
    for out in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
    }
    let preview = Preview { child, _site: site };
    let mut seen = Vec::new();
    let mut wait_for = |matches: &dyn Fn(&str) -> bool| -> String {
        // A debug build of the whole site, twice, on a busy machine: a bound
        // against hanging, not a speed test.
        let deadline = Instant::now() + 3 * STEP;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match lines.recv_timeout(left) {
                Ok(line) if matches(&line) => return line,
                Ok(line) => seen.push(line),
                Err(_) => break,
            }
        }
        panic!(
            "wegwijs serve did not say so in {STEP:?}:\n{}",
            seen.join("\n")
        );
    };
    let serving = wait_for(&|l| l.starts_with("serving "));
    let address = serving
        .split_whitespace()
        .nth(1)
        .unwrap()
        .trim_end_matches('/');
    // An atomic save, as editors' editors do it.
    let page = preview
        ._site
        .path()
        .join("content/thema/gamen/loot-boxes.md");
    let temp = page.with_extension("md.tmp");
    std::fs::write(&temp, "---\ntitle: [kapot\n---\nTekst.\n").unwrap();
    std::fs::rename(&temp, &page).unwrap();
    wait_for(&|l| l.contains("build failed"));
    PREVIEW.set(address.to_owned()).unwrap();
    preview
}

/// The policy the preview sends: production's, with `connect-src 'self'` for its
/// event stream (production already has it) and nothing else.
fn preview_csp(path: &str) -> Option<String> {
    let production = netlify_csp(path)?;
    let mut directives: Vec<String> = production.split("; ").map(str::to_owned).collect();
    match directives.iter_mut().find(|d| d.starts_with("connect-src")) {
        Some(connect) if !connect.contains("'self'") => connect.push_str(" 'self'"),
        Some(_) => {}
        None => directives.push("connect-src 'self'".into()),
    }
    Some(directives.join("; "))
}

#[tokio::test(flavor = "current_thread")]
async fn the_serve_overlay_passes_every_gate() {
    let _preview = start_preview_with_an_error();
    let overlay = Page {
        site: preview_site,
        steps: &[Step::WaitFor("#wegwijs-overlay")],
        ..page("serve overlay over a page", "/thema/gamen/")
    };
    with_browser(|client| async move {
        let mut failures = Vec::new();
        for (width, height, mobile) in [(360, 740, true), (1280, 900, false)] {
            set_viewport(&client, width, height, 1, mobile).await;
            failures.extend(axe_failures(&client, &overlay, width).await);
        }
        failures.extend(privacy_failures(&client, &overlay, preview_csp(overlay.path)).await);
        for viewport in VIEWPORTS {
            let Viewport {
                width,
                height,
                scale,
                mobile,
                ..
            } = *viewport;
            set_viewport(&client, width, height, scale, mobile).await;
            failures.extend(reflow_failures(&client, &overlay, viewport).await);
            // The overlay scrolls by itself (it is fixed over the page): it must not
            // scroll sideways either.
            let sideways = client
                .execute(
                    "var o = document.getElementById('wegwijs-overlay');
                     return o.scrollWidth > o.clientWidth + 1 ? o.scrollWidth : null;",
                    vec![],
                )
                .await
                .unwrap();
            if let Some(wide) = sideways.as_u64() {
                failures.push(format!(
                    "the overlay is {wide} px wide at {}: it scrolls sideways",
                    viewport.name
                ));
            }
        }
        report("the serve overlay", &failures);
    })
    .await;
}

// ---------------------------------------------------------------------------------
// Screenshots for CI.

/// Where the screenshots go: `target/screenshots/`.
fn screenshot_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("screenshots")
}

#[tokio::test(flavor = "current_thread")]
async fn screenshots_of_home_a_card_and_the_tool() {
    let dir = screenshot_dir();
    std::fs::create_dir_all(&dir).unwrap();
    with_browser(|client| async move {
        for &width in SCREENSHOT_WIDTHS {
            set_viewport(&client, width, 800, 1, width < 600).await;
            for (name, path) in SCREENSHOTS {
                open(&client, &page(name, path)).await;
                let shot = chromedriver::cdp(
                    &client,
                    "Page.captureScreenshot",
                    json!({ "format": "png", "captureBeyondViewport": true }),
                )
                .await;
                let png = base64::engine::general_purpose::STANDARD
                    .decode(shot["data"].as_str().unwrap())
                    .unwrap();
                assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
                let file = dir.join(format!("{name}-{width}.png"));
                std::fs::write(&file, png).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            }
        }
    })
    .await;
}
