//! Answering HTTP requests from the current [`Snapshot`], with tiny_http: a few
//! worker threads take requests; each open page's event stream gets a thread of
//! its own. Nothing here reads the file system.

use std::io::{Cursor, Write};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::events::Hub;
use super::headers::{self, Rules};
use super::request::{self, Hosts};
use super::snapshot::{self, File, Lookup, Snapshot};

/// Threads answering requests (event streams have their own).
const WORKERS: usize = 4;

/// How often an idle event stream sends a comment, to notice closed pages.
const KEEPALIVE: Duration = Duration::from_secs(15);

/// The live-reload script and the overlay's stylesheet.
const LIVE_JS: &str = include_str!("live.js");
const LIVE_CSS: &str = include_str!("live.css");

/// What the request handlers share with the rebuild loop.
#[derive(Debug)]
pub struct State {
    snapshot: RwLock<Arc<Snapshot>>,
    rules: RwLock<Arc<Rules>>,
    /// The live-reload stream.
    pub hub: Hub,
    hosts: Hosts,
    live_js: File,
    live_css: File,
}

impl State {
    /// State for a server reachable as `hosts`, with no build yet.
    pub fn new(hosts: Hosts, rules: Rules) -> State {
        State {
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            rules: RwLock::new(Arc::new(rules)),
            hub: Hub::default(),
            hosts,
            live_js: File::new("live.js", LIVE_JS.as_bytes().to_vec()),
            live_css: File::new("live.css", LIVE_CSS.as_bytes().to_vec()),
        }
    }

    /// Serve `snapshot` from now on.
    pub fn swap(&self, snapshot: Snapshot) {
        *self
            .snapshot
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Arc::new(snapshot);
    }

    /// Apply these header rules from now on.
    pub fn set_rules(&self, rules: Rules) {
        *self.rules.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(rules);
    }

    /// The snapshot being served.
    pub fn snapshot(&self) -> Arc<Snapshot> {
        Arc::clone(&self.snapshot.read().unwrap_or_else(PoisonError::into_inner))
    }

    fn rules(&self) -> Arc<Rules> {
        Arc::clone(&self.rules.read().unwrap_or_else(PoisonError::into_inner))
    }
}

/// The `<script>` tag added to served pages of build `build`.
pub fn script_tag(build: &str) -> String {
    format!(
        "<script src=\"{}live.js\" data-build=\"{build}\" defer></script>",
        snapshot::PREFIX
    )
}

/// Start the worker threads.
pub fn spawn(server: Arc<tiny_http::Server>, state: Arc<State>) {
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let state = Arc::clone(&state);
        std::thread::spawn(move || {
            loop {
                match server.recv() {
                    Ok(request) => handle(request, &state),
                    // A broken connection; the next request is someone else's.
                    Err(_) => continue,
                }
            }
        });
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn get_header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// The headers of `netlify.toml` for `path`, with the preview's policy, plus
/// `no-cache` where the rules set no caching (so every load asks for the latest).
fn site_headers(state: &State, path: &str) -> Vec<Header> {
    let mut headers = Vec::new();
    let mut has_cache = false;
    for (name, value) in state.rules().for_path(path) {
        let value = if name.eq_ignore_ascii_case("content-security-policy") {
            headers::serve_policy(&value)
        } else {
            value
        };
        has_cache |= name.eq_ignore_ascii_case("cache-control");
        headers.extend(header(&name, &value));
    }
    if !has_cache {
        headers.extend(header("Cache-Control", "no-cache"));
    }
    headers
}

fn respond(request: Request, status: u16, headers: Vec<Header>, body: Arc<[u8]>) {
    let length = body.len();
    let response = Response::new(
        StatusCode(status),
        headers,
        Cursor::new(body),
        Some(length),
        None,
    )
    // Always a Content-Length, also for HEAD: the files are in memory anyway.
    .with_chunked_threshold(usize::MAX);
    // The browser may have gone away; nothing to do about that.
    let _ = request.respond(response);
}

fn text(request: Request, status: u16, mut headers: Vec<Header>, message: &str) {
    headers.extend(header("Content-Type", "text/plain; charset=utf-8"));
    respond(
        request,
        status,
        headers,
        format!("{message}\n").into_bytes().into(),
    );
}

/// Send `file`, or 304 when the browser has it already.
fn send_file(request: Request, status: u16, mut headers: Vec<Header>, file: &File) {
    headers.extend(header("ETag", &file.etag));
    headers.extend(header("Content-Type", file.content_type));
    let fresh = get_header(&request, "If-None-Match").is_some_and(|tags| {
        tags.split(',')
            .map(str::trim)
            .any(|t| t == "*" || t == file.etag || t.strip_prefix("W/") == Some(file.etag.as_str()))
    });
    if status == 200 && fresh {
        respond(request, 304, headers, Arc::from(Vec::new()));
    } else {
        respond(request, status, headers, Arc::clone(&file.bytes));
    }
}

fn handle(request: Request, state: &Arc<State>) {
    let Ok(path) = request::path(request.url()) else {
        let why = request::path(request.url())
            .err()
            .map(|r| r.reason())
            .unwrap_or_default();
        return text(request, 400, site_headers(state, "/"), why);
    };
    let headers = site_headers(state, &path);
    if !matches!(request.method(), Method::Get | Method::Head) {
        let mut headers = headers;
        headers.extend(header("Allow", "GET, HEAD"));
        return text(request, 405, headers, "only GET and HEAD");
    }
    if !get_header(&request, "Host").is_some_and(|h| state.hosts.allows(h)) {
        return text(
            request,
            403,
            headers,
            "this preview answers only to its own address and localhost",
        );
    }
    if let Some(own) = path.strip_prefix(snapshot::PREFIX) {
        return match own {
            "live.js" => send_file(request, 200, headers, &state.live_js),
            "live.css" => send_file(request, 200, headers, &state.live_css),
            "events" => stream(request, state, headers),
            _ => text(request, 404, headers, "not found"),
        };
    }
    let snapshot = state.snapshot();
    match snapshot.lookup(&path) {
        Lookup::Found(file) => send_file(request, 200, headers, &file),
        Lookup::Redirect(to) => {
            let mut headers = headers;
            headers.extend(header("Location", &to));
            text(request, 301, headers, &format!("moved to {to}"))
        }
        Lookup::NotFound(Some(page)) => send_file(request, 404, headers, &page),
        Lookup::NotFound(None) if snapshot.is_empty() => {
            // No build has succeeded yet: a page that shows the errors (through
            // the live script) and reloads by itself once the site builds.
            let page = File::new("index.html", not_built_yet().into_bytes());
            send_file(request, 503, headers, &page)
        }
        Lookup::NotFound(None) => text(request, 404, headers, "not found"),
    }
}

fn not_built_yet() -> String {
    format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>De site bouwt nog niet</title>{}</head>\
         <body><h1>De site bouwt nog niet</h1><p>In de terminal waar <code>wegwijs serve</code> draait, staat wat er mis is. \
         Los het op en sla op: deze pagina laadt dan vanzelf opnieuw.</p></body></html>",
        script_tag("")
    )
}

/// The event stream of one open page, on a thread of its own. tiny_http would
/// buffer a streamed body, so the response is written by hand: a status line,
/// headers and then the events, each flushed as it comes.
fn stream(request: Request, state: &Arc<State>, headers: Vec<Header>) {
    if let Some(origin) = get_header(&request, "Origin")
        && !state.hosts.allows_origin(origin)
    {
        return text(
            request,
            403,
            headers,
            "the event stream is for this preview's own pages",
        );
    }
    if request.method() == &Method::Head {
        let mut headers = headers;
        headers.extend(header("Content-Type", "text/event-stream"));
        return respond(request, 200, headers, Arc::from(Vec::new()));
    }
    let Some(events) = state.hub.subscribe() else {
        return text(request, 503, headers, "too many open pages");
    };
    let mut head =
        String::from("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n");
    for h in headers {
        head.push_str(&format!("{}: {}\r\n", h.field.as_str(), h.value.as_str()));
    }
    head.push_str("\r\nretry: 500\n\n");
    std::thread::spawn(move || {
        let mut writer = request.into_writer();
        if writer
            .write_all(head.as_bytes())
            .and_then(|()| writer.flush())
            .is_err()
        {
            return;
        }
        loop {
            let frame = match events.recv_timeout(KEEPALIVE) {
                Ok(frame) if frame.is_empty() => continue,
                Ok(frame) => frame,
                Err(RecvTimeoutError::Timeout) => ": still here\n\n".to_string(),
                Err(RecvTimeoutError::Disconnected) => return,
            };
            if writer
                .write_all(frame.as_bytes())
                .and_then(|()| writer.flush())
                .is_err()
            {
                return;
            }
        }
    });
}
