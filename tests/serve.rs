//! `wegwijs serve`: the real binary on a free port, serving a temp site, driven
//! over raw sockets. Every wait polls until a deadline; nothing sleeps.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use common::TestSite;

/// Long enough for a debug build on a busy two-core machine.
const DEADLINE: Duration = Duration::from_secs(20);

const NETLIFY: &str = r#"
[[headers]]
  for = "/*"
  [headers.values]
    Content-Security-Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; upgrade-insecure-requests"
    X-Content-Type-Options = "nosniff"
[[headers]]
  for = "/css/*"
  [headers.values]
    Cache-Control = "public, max-age=31536000, immutable"
"#;

/// A running `wegwijs serve`.
struct Server {
    child: Child,
    port: u16,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Server {
    fn start(site: &TestSite, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_wegwijs"))
            .args(["serve", "--port", "0", "--now", "2026-11-23"])
            .args(args)
            .current_dir(site.root())
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start wegwijs serve");
        let (tx, lines) = channel();
        for out in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(out).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let mut server = Server {
            child,
            port: 0,
            lines,
            seen: Vec::new(),
        };
        let line = server.wait_line(|l| l.starts_with("serving "));
        let address = line.split_whitespace().nth(1).unwrap();
        server.port = address
            .trim_end_matches('/')
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line}"));
        server
    }

    /// The first output line (stdout or stderr) from now on that `matches`.
    fn wait_line(&mut self, matches: impl Fn(&str) -> bool) -> String {
        let end = Instant::now() + DEADLINE;
        while let Some(left) = end.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if matches(&line) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("no such line; output so far:\n{}", self.seen.join("\n"));
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Send `request` as it is and read the whole answer.
    fn raw(&self, request: &[u8]) -> Response {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream.set_read_timeout(Some(DEADLINE)).unwrap();
        stream.write_all(request).unwrap();
        let mut bytes = Vec::new();
        let _ = stream.read_to_end(&mut bytes);
        Response::parse(&bytes)
    }

    fn request(&self, method: &str, path: &str, extra: &str) -> Response {
        let host = self.host();
        self.raw(
            format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n{extra}\r\n")
                .as_bytes(),
        )
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, "")
    }

    /// Poll `path` until its body contains `text` (or, with `status`, has it).
    fn get_until(&self, path: &str, done: impl Fn(&Response) -> bool) -> Response {
        let end = Instant::now() + DEADLINE;
        loop {
            let response = self.get(path);
            if done(&response) {
                return response;
            }
            if Instant::now() > end {
                panic!(
                    "{path} never became as expected; last: {} {}",
                    response.status, response.body
                );
            }
            std::thread::yield_now();
        }
    }

    fn events(&self) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(50)))
            .unwrap();
        write!(
            stream,
            "GET /__wegwijs/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            self.host()
        )
        .unwrap();
        let mut events = Events {
            stream,
            buffer: String::new(),
        };
        let head = events.read_until(|b| b.contains("\r\n\r\n"));
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.contains("Content-Type: text/event-stream"), "{head}");
        let end = head.find("\r\n\r\n").unwrap() + 4;
        events.buffer = events.buffer[end..].to_string();
        events
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn parse(bytes: &[u8]) -> Response {
        let text = String::from_utf8_lossy(bytes).into_owned();
        let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        Response {
            status,
            head: head.to_string(),
            body: body.to_string(),
        }
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|line| {
            let (n, v) = line.split_once(':')?;
            n.eq_ignore_ascii_case(name).then_some(v.trim())
        })
    }
}

/// An open event stream.
struct Events {
    stream: TcpStream,
    buffer: String,
}

impl Events {
    fn read_until(&mut self, done: impl Fn(&str) -> bool) -> String {
        self.read_until_by(Instant::now() + DEADLINE, done)
    }

    fn read_until_by(&mut self, end: Instant, done: impl Fn(&str) -> bool) -> String {
        let mut chunk = [0u8; 4096];
        while !done(&self.buffer) {
            assert!(
                Instant::now() < end,
                "stream never got there: {:?}",
                self.buffer
            );
            match self.stream.read(&mut chunk) {
                Ok(0) => panic!("stream closed: {:?}", self.buffer),
                Ok(n) => self.buffer.push_str(&String::from_utf8_lossy(&chunk[..n])),
                Err(_) => {} // read timeout: look again
            }
        }
        self.buffer.clone()
    }

    /// The data of the next event called `name`; events before it are skipped.
    fn next(&mut self, name: &str) -> String {
        let wanted = format!("event: {name}\n");
        let end = Instant::now() + DEADLINE;
        loop {
            self.read_until_by(end, |b| b.contains("\n\n"));
            let at = self.buffer.find("\n\n").unwrap();
            let frame = self.buffer[..at].to_string();
            self.buffer = self.buffer[at + 2..].to_string();
            if let Some(rest) = frame.strip_prefix(&wanted) {
                return rest.strip_prefix("data: ").unwrap_or(rest).to_string();
            }
        }
    }
}

/// Write `text` to `path` the way vim, VS Code and JetBrains save: into a temp
/// file beside it, then a rename over the original.
fn atomic_save(site: &TestSite, path: &str, text: &str) {
    let target = site.path(path);
    let temp = target.with_file_name(format!(
        ".{}.tmp",
        target.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&temp, text).unwrap();
    std::fs::rename(&temp, &target).unwrap();
}

fn site() -> TestSite {
    TestSite::new().file("netlify.toml", NETLIFY)
}

const PAGE: &str = "content/thema/gamen/loot-boxes.md";

fn page(title: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndescription: Over {title}.\nthemes: [gamen]\nages: [8-12]\n---\n{body}\n"
    )
}

#[test]
fn pages_are_served_from_memory_with_the_sites_headers() {
    let site = site();
    let server = Server::start(&site, &[]);
    let home = server.get("/");
    assert_eq!(home.status, 200, "{home:?}");
    assert!(home.body.contains("Welkom."));
    assert!(
        home.body
            .contains("<script src=\"/__wegwijs/live.js\" data-build=")
    );
    assert_eq!(
        home.header("Content-Security-Policy"),
        Some(
            "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; upgrade-insecure-requests; connect-src 'self'"
        )
    );
    assert_eq!(home.header("X-Content-Type-Options"), Some("nosniff"));
    assert_eq!(
        home.header("Content-Type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("Cache-Control"), Some("no-cache"));
    assert_eq!(home.header("Access-Control-Allow-Origin"), None);

    // Conditional GET and HEAD.
    let etag = home.header("ETag").unwrap().to_string();
    let again = server.request("GET", "/", &format!("If-None-Match: {etag}\r\n"));
    assert_eq!(again.status, 304);
    assert_eq!(again.body, "");
    assert_eq!(again.header("ETag"), Some(etag.as_str()));
    let head = server.request("HEAD", "/", "");
    assert_eq!(head.status, 200);
    assert_eq!(head.body, "");
    assert_eq!(
        head.header("Content-Length").map(str::to_string),
        Some(home.body.len().to_string())
    );
    assert_eq!(
        server.request("POST", "/", "Content-Length: 0\r\n").status,
        405
    );

    // The stylesheet, with its type and the rule for /css/*.
    let css_url = home
        .body
        .split("href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap();
    assert!(css_url.starts_with("/css/main."), "{css_url}");
    let css = server.get(css_url);
    assert_eq!(css.status, 200);
    assert_eq!(css.header("Content-Type"), Some("text/css; charset=utf-8"));
    assert_eq!(
        css.header("Cache-Control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(css.body.contains("#1f2933"));
    assert_eq!(css.header("X-Content-Type-Options"), Some("nosniff"));

    // A folder without its slash, a missing page (the theme's 404), the script.
    let moved = server.get("/thema/gamen");
    assert_eq!(moved.status, 301);
    assert_eq!(moved.header("Location"), Some("/thema/gamen/"));
    let missing = server.get("/bestaat-niet/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<title>"), "{}", missing.body);
    assert!(missing.body.contains("/__wegwijs/live.js"));
    assert_eq!(missing.header("X-Content-Type-Options"), Some("nosniff"));
    let script = server.get("/__wegwijs/live.js");
    assert_eq!(script.status, 200);
    assert_eq!(
        script.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(script.body.contains("EventSource"));

    // Nothing was written into the site folder.
    assert!(!site.path("public").exists());
}

#[test]
fn traversal_and_foreign_hosts_are_refused_over_a_raw_socket() {
    let site = site().file("geheim.txt", "GEHEIM");
    let server = Server::start(&site, &[]);
    let host = server.host();
    let long = format!("/{}", "a".repeat(5000));
    let targets = [
        "/../geheim.txt",
        "/../../../../etc/passwd",
        "/thema/../../geheim.txt",
        "/%2e%2e/geheim.txt",
        "/%2e%2e%2fgeheim.txt",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/%252e%252e/geheim.txt",
        "/%252e%252e%252fgeheim.txt",
        "/..%5cgeheim.txt",
        "/..\\geheim.txt",
        "/%5c..%5c..%5cgeheim.txt",
        "/index.html%00.css",
        "/%00",
        "/content/site.yaml",
        "/netlify.toml",
        "../geheim.txt",
        "geheim.txt",
        "*",
        &long,
    ];
    for target in targets {
        let response = server.raw(
            format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert!(
            matches!(response.status, 400 | 404),
            "{target}: {response:?}"
        );
        assert!(!response.body.contains("GEHEIM"), "{target}");
        assert!(!response.body.contains("root:"), "{target}");
        assert!(!response.body.contains("base_url"), "{target}");
    }
    // Absolute-form targets, to this server and another.
    for target in [
        format!("http://{host}/../geheim.txt"),
        format!("http://{host}/"),
        "http://evil.example/".to_string(),
    ] {
        let response = server.raw(
            format!("GET {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        );
        assert_eq!(response.status, 400, "{target}: {response:?}");
    }
    // DNS rebinding: a name that is not localhost, or no Host at all.
    for request in [
        "GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n".to_string(),
        format!(
            "GET / HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n",
            server.port
        ),
        "GET / HTTP/1.0\r\n\r\n".to_string(),
    ] {
        let response = server.raw(request.as_bytes());
        assert_eq!(response.status, 403, "{request:?}: {response:?}");
        assert!(!response.body.contains("Welkom"));
    }
    let localhost = server.raw(
        format!(
            "GET / HTTP/1.1\r\nHost: localhost:{}\r\nConnection: close\r\n\r\n",
            server.port
        )
        .as_bytes(),
    );
    assert_eq!(localhost.status, 200);
    // Still answering after all that.
    assert_eq!(server.get("/").status, 200);
}

#[test]
fn the_event_stream_is_only_for_the_previews_own_pages() {
    let site = site();
    let server = Server::start(&site, &[]);
    let foreign = server.request(
        "GET",
        "/__wegwijs/events",
        "Origin: http://evil.example\r\n",
    );
    assert_eq!(foreign.status, 403);
    assert_eq!(foreign.header("Access-Control-Allow-Origin"), None);
    let mut events = server.events();
    let hello = events.next("hello");
    assert!(hello.contains("\"build\""), "{hello}");
}

#[test]
fn an_atomic_save_reloads_and_a_broken_file_shows_its_errors() {
    let site = site();
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    events.next("hello");
    assert!(
        server
            .get("/thema/gamen/loot-boxes/")
            .body
            .contains("Een doos met een verrassing.")
    );

    atomic_save(&site, PAGE, &page("Loot boxes", "Een nieuwe tekst."));
    events.next("reload");
    server.get_until("/thema/gamen/loot-boxes/", |r| {
        r.body.contains("Een nieuwe tekst.")
    });
    server.wait_line(|l| l.contains("loot-boxes.md changed: rebuilt in"));

    // A broken front matter: the errors go to open pages, the last good page stays.
    atomic_save(&site, PAGE, "---\ntitle: [Loot <boxes>\n---\nKapot.\n");
    let failed = events.next("failed");
    assert!(
        failed.contains("content/thema/gamen/loot-boxes.md"),
        "{failed}"
    );
    assert!(failed.contains("\"diagnostics\""), "{failed}");
    server.wait_line(|l| l.contains("still serving the last good version"));
    let page_now = server.get("/thema/gamen/loot-boxes/");
    assert_eq!(page_now.status, 200);
    assert!(page_now.body.contains("Een nieuwe tekst."));
    // A page opened now learns about the errors as soon as it connects.
    let mut late = server.events();
    late.next("hello");
    assert!(late.next("failed").contains("loot-boxes.md"));

    // Fixed: pages reload by themselves.
    atomic_save(&site, PAGE, &page("Loot boxes", "Weer goed."));
    events.next("reload");
    late.next("reload");
    server.get_until("/thema/gamen/loot-boxes/", |r| {
        r.body.contains("Weer goed.")
    });
}

#[test]
fn pages_and_sections_come_and_go() {
    let site = site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    events.next("hello");

    site.write(
        "content/thema/gamen/nieuw.md",
        &page("Nieuw", "Een nieuwe pagina."),
    );
    server.get_until("/thema/gamen/nieuw/", |r| {
        r.status == 200 && r.body.contains("Een nieuwe pagina.")
    });
    events.next("reload");
    assert!(
        server
            .get("/thema/gamen/")
            .body
            .contains("href=\"/thema/gamen/nieuw/\"")
    );

    // A rename: the old address is gone (the theme's 404), the new one is there.
    std::fs::rename(
        site.path("content/thema/gamen/nieuw.md"),
        site.path("content/thema/gamen/hernoemd.md"),
    )
    .unwrap();
    server.get_until("/thema/gamen/hernoemd/", |r| r.status == 200);
    let old = server.get("/thema/gamen/nieuw/");
    assert_eq!(old.status, 404);
    assert!(old.body.contains("<title>"));
    std::fs::remove_file(site.path("content/thema/gamen/hernoemd.md")).unwrap();
    server.get_until("/thema/gamen/hernoemd/", |r| r.status == 404);

    // A new folder with a section and a page at once.
    let temp = site.path("nieuwe-sectie");
    std::fs::create_dir_all(&temp).unwrap();
    std::fs::write(
        temp.join("_index.md"),
        "---\ntitle: Schermtijd\ndescription: Over schermtijd.\n---\nSectie.\n",
    )
    .unwrap();
    std::fs::write(temp.join("regels.md"), page("Regels", "Afspraken maken.")).unwrap();
    std::fs::rename(&temp, site.path("content/thema/schermtijd")).unwrap();
    server.get_until("/thema/schermtijd/regels/", |r| {
        r.body.contains("Afspraken maken.")
    });
    assert!(server.get("/thema/schermtijd/").body.contains("Sectie."));
    std::fs::remove_dir_all(site.path("content/thema/schermtijd")).unwrap();
    server.get_until("/thema/schermtijd/", |r| r.status == 404);

    // content/ itself deleted (the build fails) and made again.
    let saved = common::snapshot(&site.path("content"));
    std::fs::remove_dir_all(site.path("content")).unwrap();
    events.next("failed");
    assert_eq!(server.get("/thema/gamen/loot-boxes/").status, 200);
    for (path, bytes) in &saved {
        let text = String::from_utf8_lossy(bytes)
            .replace("Een doos met een verrassing.", "Terug van weg.");
        site.write(&format!("content/{path}"), &text);
    }
    server.get_until("/thema/gamen/loot-boxes/", |r| {
        r.body.contains("Terug van weg.")
    });
    // And it is still watched: one more edit after the folder came back.
    atomic_save(&site, PAGE, &page("Loot boxes", "Na de terugkeer."));
    server.get_until("/thema/gamen/loot-boxes/", |r| {
        r.body.contains("Na de terugkeer.")
    });
}

#[test]
fn a_stylesheet_change_sends_a_css_event_and_editor_files_nothing() {
    let site = site();
    let server = Server::start(&site, &[]);
    let mut events = server.events();
    events.next("hello");
    let before = server.get("/").body;

    // Editor leftovers and a file outside the watched folders start no build.
    site.write("content/.loot-boxes.md.swp", "x");
    site.write("content/thema/gamen/loot-boxes.md~", "x");
    site.write("content/4913", "");
    site.write("README.md", "x");
    site.write("themes/mini/css/base.css", "body { color: #000; }\n");
    let css = events.next("css");
    assert!(css.contains("\"build\""), "{css}");
    let after = server.get_until("/", |r| r.body != before);
    let css_url = after
        .body
        .split("href=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_string();
    assert!(server.get(&css_url).body.contains("#000"));
    // The leftovers started no build of their own (they would have made this a
    // reload): the next event is the reload of the next real save.
    atomic_save(&site, PAGE, &page("Loot boxes", "Tekst."));
    let next = events.read_until(|b| b.contains("\n\n"));
    assert!(next.starts_with("event: reload"), "{next}");
}

#[test]
fn the_first_build_failing_shows_a_page_that_recovers() {
    let site = site().file(PAGE, "---\ntitle: [kapot\n---\n");
    let server = Server::start(&site, &[]);
    let page_now = server.get("/");
    assert_eq!(page_now.status, 503);
    assert!(page_now.body.contains("/__wegwijs/live.js"));
    let mut events = server.events();
    events.next("hello");
    assert!(events.next("failed").contains("loot-boxes.md"));
    atomic_save(&site, PAGE, &page("Loot boxes", "Hersteld."));
    events.next("reload");
    server.get_until("/thema/gamen/loot-boxes/", |r| r.body.contains("Hersteld."));
}

#[test]
fn sigint_stops_the_server_with_exit_code_0() {
    let site = site();
    let mut server = Server::start(&site, &[]);
    let _events = server.events();
    let status = Command::new("kill")
        .args(["-INT", &server.pid().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let end = Instant::now() + DEADLINE;
    let code = loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            break status.code();
        }
        assert!(Instant::now() < end, "still running after SIGINT");
        std::thread::yield_now();
    };
    assert_eq!(code, Some(0));
    server.wait_line(|l| l == "stopped");
}

#[test]
fn a_taken_port_is_a_clear_error_and_other_addresses_warn() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = site();
    let run = common::run_in(site.root(), &["serve", "--port", &port]);
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("--port 0 picks a free one"),
        "{}",
        run.stderr
    );

    let server = Server::start(&site, &["--bind", "0.0.0.0"]);
    assert!(
        server
            .seen
            .iter()
            .any(|l| l.contains("warning: listening on 0.0.0.0")),
        "{:?}",
        server.seen
    );
    assert_eq!(server.get("/").status, 200);
    let named = server.raw(
        format!(
            "GET / HTTP/1.1\r\nHost: evil.example:{}\r\nConnection: close\r\n\r\n",
            server.port
        )
        .as_bytes(),
    );
    assert_eq!(named.status, 403);
}

// ---------------------------------------------------------------------------------
// In Chromium: the live script under the site's CSP.

async fn eval(client: &fantoccini::Client, script: &str) -> serde_json::Value {
    client.execute(script, vec![]).await.unwrap()
}

/// Poll `script` in the page until it returns true.
async fn until(client: &fantoccini::Client, what: &str, script: &str) {
    let end = Instant::now() + DEADLINE;
    // A reload in progress makes a script fail; that is "not yet".
    while client.execute(script, vec![]).await.ok() != Some(serde_json::Value::Bool(true)) {
        assert!(Instant::now() < end, "waited in vain for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn in_chromium_pages_reload_swap_styles_and_show_errors_escaped() {
    let long: String = (1..=80).map(|i| format!("Alinea {i}.\n\n")).collect();
    let site = site().file(PAGE, &page("Loot boxes", &long));
    let server = Server::start(&site, &[]);
    let mut driver = common::chromedriver::ChromeDriver::start();
    let client = driver.session().await;
    let url = format!("http://{}/thema/gamen/loot-boxes/", server.host());
    client.goto(&url).await.unwrap();
    until(
        &client,
        "the live script to connect",
        "return document.documentElement.hasAttribute('data-wegwijs-live');",
    )
    .await;
    eval(
        &client,
        "window.scrollTo(0, 400); window.marker = 1; return null;",
    )
    .await;

    // A stylesheet change: new colour, same page (no reload), same scroll position.
    site.write(
        "themes/mini/css/base.css",
        "body { color: rgb(1, 2, 3); }\n",
    );
    until(
        &client,
        "the new stylesheet",
        "return getComputedStyle(document.body).color === 'rgb(1, 2, 3)';",
    )
    .await;
    assert_eq!(
        eval(&client, "return window.marker;").await,
        serde_json::json!(1)
    );
    assert_eq!(
        eval(&client, "return window.scrollY;").await,
        serde_json::json!(400)
    );

    // A broken file: the diagnostics over the page, as text, styled by live.css.
    atomic_save(&site, PAGE, "---\ntitle: [<b>kapot</b>\n---\n");
    until(
        &client,
        "the overlay",
        "return !!document.getElementById('wegwijs-overlay');",
    )
    .await;
    let text = eval(
        &client,
        "return document.getElementById('wegwijs-overlay').textContent;",
    )
    .await;
    let text = text.as_str().unwrap();
    assert!(text.contains("content/thema/gamen/loot-boxes.md"), "{text}");
    assert!(text.contains("<b>kapot</b>"), "{text}");
    assert_eq!(
        eval(
            &client,
            "return document.querySelectorAll('#wegwijs-overlay b').length;"
        )
        .await,
        serde_json::json!(0)
    );
    until(
        &client,
        "live.css",
        "return getComputedStyle(document.getElementById('wegwijs-overlay')).position === 'fixed';",
    )
    .await;
    assert_eq!(
        eval(&client, "return window.marker;").await,
        serde_json::json!(1)
    );

    // Fixed: the page reloads by itself and the overlay is gone.
    atomic_save(&site, PAGE, &page("Loot boxes", "Weer heel."));
    until(
        &client,
        "the reload",
        "return window.marker === undefined && document.body.textContent.includes('Weer heel.');",
    )
    .await;
    assert_eq!(
        eval(
            &client,
            "return !!document.getElementById('wegwijs-overlay');"
        )
        .await,
        serde_json::json!(false)
    );

    // A page that is deleted shows the theme's 404 after the reload.
    std::fs::remove_file(site.path(PAGE)).unwrap();
    until(&client, "the 404 page", "return !document.body.textContent.includes('Weer heel.') && document.readyState === 'complete';").await;
    client.close().await.unwrap();
}

#[test]
fn after_a_body_edit_every_served_file_is_a_full_builds() {
    let site = site();
    let mut server = Server::start(&site, &[]);
    let mut events = server.events();
    events.next("hello");
    // Front matter (a full build), the body alone (incremental), both again.
    for (title, body, scope) in [
        ("Loot boxes", "Eerste versie.", "(full build)"),
        ("Loot boxes", "Tweede versie.", "(1 page body)"),
        ("Loot boxes en meer", "Derde versie.", "(full build)"),
        ("Loot boxes en meer", "Vierde versie.", "(1 page body)"),
    ] {
        atomic_save(&site, PAGE, &page(title, body));
        events.next("reload");
        server.wait_line(|l| l.contains("loot-boxes.md changed") && l.contains(scope));
    }
    let options = wegwijs::BuildOptions {
        root: site.root().to_path_buf(),
        drafts: false,
        now: wegwijs::date::Date::parse("2026-11-23").unwrap(),
        base_url: Some(format!("http://127.0.0.1:{}", server.port)),
        noindex: false,
    };
    let full = wegwijs::render_in_memory(&options)
        .unwrap()
        .output
        .into_files();
    assert!(full.len() > 5, "{:?}", full.keys());
    for (path, bytes) in full {
        let served = server.get(&format!("/{path}"));
        assert_eq!(served.status, 200, "/{path}");
        let script = format!(
            "<script src=\"/__wegwijs/live.js\" data-build=\"{}\" defer></script>",
            served
                .body
                .split("data-build=\"")
                .nth(1)
                .and_then(|rest| rest.split('"').next())
                .unwrap_or_default()
        );
        assert_eq!(
            served.body.replacen(&script, "", 1),
            String::from_utf8_lossy(&bytes),
            "/{path} as served differs from a full build"
        );
    }
}
