//! `wegwijs serve`: a live preview for editors. Builds the site with the same
//! pipeline as `wegwijs build`, but into memory (the site folder is never
//! written), serves it over HTTP on a local address, watches the site and
//! rebuilds on every save. Open pages reload by themselves (or swap only their
//! stylesheet), and show the errors over the last good page when a save breaks
//! the build.
//!
//! ```text
//! watch ──changes──▶ rebuild loop ──Snapshot──▶ State ◀── http workers ◀── browser
//!                    (incremental::Preview)
//!                         └────────── events (SSE) ──────────────────────▶ live.js
//! ```
//!
//! The rebuild loop hands each batch of changed paths to an
//! [`crate::incremental::Preview`], which keeps the site built in memory and
//! redoes only what the change touched; the files it reports changed are swapped
//! into a new snapshot.

pub mod events;
pub mod headers;
mod http;
pub mod request;
pub mod snapshot;
pub mod watch;

use std::collections::BTreeSet;
use std::io::IsTerminal;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use crate::diagnostics::Diagnostic;
use crate::incremental::Scope;
use crate::site::BuildOptions;

/// How to serve: what the CLI passes down.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build (`base_url` is set to the preview's own address).
    pub build: BuildOptions,
    /// The address to listen on.
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    pub port: u16,
    /// Open the preview in the default browser.
    pub open: bool,
}

/// Serve until Ctrl-C or SIGTERM. Errors only for what stops the preview from
/// starting (a taken port, no way to watch); build errors are shown, not returned.
pub fn run(options: ServeOptions) -> Result<(), Diagnostic> {
    let listener = TcpListener::bind((options.bind, options.port))
        .map_err(|err| bind_error(options.bind, options.port, &err))?;
    let address = listener
        .local_addr()
        .map_err(|err| Diagnostic::error(format!("cannot read the bound address: {err}")))?;
    let url = url(address);
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other devices on the network can open the preview, drafts included",
            options.bind
        );
    }
    let root = options.build.root.clone();
    let rules = headers::Rules::load(&root).unwrap_or_else(|problem| {
        print_diagnostics(&[problem]);
        headers::Rules::default()
    });
    let state = Arc::new(http::State::new(
        request::Hosts::new(address.ip(), address.port()),
        rules,
    ));
    let server = tiny_http::Server::from_listener(listener, None)
        .map_err(|err| Diagnostic::error(format!("cannot start the web server: {err}")))?;
    http::spawn(Arc::new(server), Arc::clone(&state));

    let mut build_options = options.build.clone();
    build_options.base_url = Some(url.trim_end_matches('/').to_string());
    let mut rebuilder = Rebuilder {
        preview: crate::incremental::Preview::new(build_options),
        root: root.clone(),
        state: Arc::clone(&state),
        session: format!(
            "{:x}",
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_millis())
                .unwrap_or_default()
        ),
        count: 0,
        pending: BTreeSet::new(),
        failing: false,
    };
    let (watcher, batches) = watch::Watcher::start(&root)?;
    rebuilder.rebuild(None);
    println!("serving {url} (Ctrl-C stops)");
    std::thread::spawn(move || rebuilder.watch(watcher, batches));

    let (stop, stopped) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .map_err(|err| Diagnostic::error(format!("cannot handle Ctrl-C: {err}")))?;
    if options.open {
        open_browser(&url);
    }
    // Returning ends the process, and with it the workers and open streams.
    let _ = stopped.recv();
    println!("stopped");
    Ok(())
}

/// `http://127.0.0.1:1111/`; `localhost` when bound to every interface.
fn url(address: SocketAddr) -> String {
    match address.ip() {
        ip if ip.is_unspecified() => format!("http://localhost:{}/", address.port()),
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", address.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", address.port()),
    }
}

fn bind_error(ip: IpAddr, port: u16, err: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    match err.kind() {
        ErrorKind::AddrInUse => Diagnostic::error(format!("port {port} on {ip} is already in use"))
            .with_help(format!(
                "another `wegwijs serve` may be running: stop it, or choose another port with --port {} (--port 0 picks a free one)",
                port.wrapping_add(1)
            )),
        ErrorKind::AddrNotAvailable => {
            Diagnostic::error(format!("cannot listen on {ip}: it is not an address of this computer"))
                .with_help("leave out --bind to use 127.0.0.1")
        }
        ErrorKind::PermissionDenied => {
            Diagnostic::error(format!("not allowed to listen on port {port}"))
                .with_help("ports below 1024 need extra rights; use the default --port 1111")
        }
        _ => Diagnostic::error(format!("cannot listen on {ip}:{port}: {err}")),
    }
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if let Err(err) = command.arg(url).spawn() {
        eprintln!("warning: cannot open a browser ({err}); open {url} yourself");
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics {
        eprintln!("{}\n", d.render(color));
    }
}

/// The rebuild loop: turns batches of file changes into snapshots and events.
struct Rebuilder {
    preview: crate::incremental::Preview,
    root: std::path::PathBuf,
    state: Arc<http::State>,
    session: String,
    count: u64,
    /// Changes since the last successful build (a failed one does not clear them).
    pending: BTreeSet<String>,
    failing: bool,
}

impl Rebuilder {
    fn watch(
        mut self,
        mut watcher: watch::Watcher,
        batches: std::sync::mpsc::Receiver<notify_debouncer_full::DebounceEventResult>,
    ) {
        while let Ok(first) = batches.recv() {
            // Everything that arrived while the last build ran goes into one build.
            let mut changed = BTreeSet::new();
            let mut rearm = false;
            for batch in std::iter::once(first).chain(batches.try_iter()) {
                let changes = watcher.changes(batch);
                for error in changes.errors {
                    eprintln!("warning: watching: {error}");
                }
                rearm |= changes.rearm;
                changed.extend(changes.paths);
            }
            if rearm {
                for problem in watcher.arm() {
                    eprintln!("warning: {problem}");
                }
            }
            if changed.is_empty() {
                continue;
            }
            if changed.contains(headers::FILE) {
                match headers::Rules::load(&self.root) {
                    Ok(rules) => self.state.set_rules(rules),
                    Err(problem) => print_diagnostics(&[problem]),
                }
            }
            self.rebuild(Some(changed));
        }
    }

    /// Build, and on success serve the result; print one line either way.
    fn rebuild(&mut self, changed: Option<BTreeSet<String>>) {
        let started = Instant::now();
        let first = changed.is_none();
        if let Some(changed) = &changed {
            self.pending.extend(changed.iter().cloned());
        }
        let what = describe(&self.pending);
        let result = match &changed {
            None => self.preview.build(),
            Some(changed) => self.preview.update(changed),
        };
        match result {
            Ok(update) => {
                print_diagnostics(&update.warnings);
                self.count += 1;
                let id = format!("{}-{}", self.session, self.count);
                let script = http::script_tag(&id);
                let snapshot = match update.scope {
                    Scope::Full => snapshot::Snapshot::new(update.files, id.clone(), &script),
                    Scope::Bodies(_) | Scope::Nothing => self.state.snapshot().updated(
                        update.files,
                        &update.removed,
                        id.clone(),
                        &script,
                    ),
                };
                let files = snapshot.len();
                self.state.swap(snapshot);
                let css_only = !self.failing
                    && !self.pending.is_empty()
                    && self.pending.iter().all(|p| p.ends_with(".css"));
                if first {
                    self.state.hub.started(&id);
                } else {
                    self.state.hub.built(&id, css_only);
                }
                let took = started.elapsed().as_millis();
                if first {
                    println!("built {} pages ({files} files) in {took} ms", update.pages);
                } else {
                    let how = if css_only {
                        "stylesheet swapped"
                    } else {
                        "pages reload"
                    };
                    let scope = match update.scope {
                        Scope::Full => "full build".to_string(),
                        Scope::Bodies(1) => "1 page body".to_string(),
                        Scope::Bodies(n) => format!("{n} page bodies"),
                        Scope::Nothing => "nothing to do".to_string(),
                    };
                    println!("{what}: rebuilt in {took} ms ({scope}), {how}");
                }
                self.pending.clear();
                self.failing = false;
            }
            Err(problems) => {
                print_diagnostics(&problems);
                let texts: Vec<String> = problems.iter().map(|d| d.render(false)).collect();
                self.state.hub.failed(&texts);
                self.failing = true;
                let errors = problems.iter().filter(|d| d.is_error()).count();
                let took = started.elapsed().as_millis();
                let plural = if errors == 1 { "" } else { "s" };
                if first {
                    println!(
                        "build failed with {errors} error{plural} in {took} ms; fix and save to try again"
                    );
                } else {
                    println!(
                        "{what}: build failed with {errors} error{plural} in {took} ms; still serving the last good version"
                    );
                }
            }
        }
    }
}

/// `content/a.md changed`, `content/a.md and 3 more changed`.
fn describe(paths: &BTreeSet<String>) -> String {
    let mut iter = paths.iter();
    match (iter.next(), paths.len()) {
        (None, _) => "nothing changed".into(),
        (Some(one), 1) => format!("{one} changed"),
        (Some(one), n) => format!("{one} and {} more changed", n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_named_briefly() {
        let set = |items: &[&str]| items.iter().map(|s| s.to_string()).collect();
        assert_eq!(describe(&set(&["content/a.md"])), "content/a.md changed");
        assert_eq!(
            describe(&set(&["content/a.md", "content/b.md", "static/x.png"])),
            "content/a.md and 2 more changed"
        );
    }

    #[test]
    fn urls_name_the_bound_address() {
        let at = |s: &str| url(s.parse().unwrap_or(SocketAddr::from(([0; 4], 0))));
        assert_eq!(at("127.0.0.1:1111"), "http://127.0.0.1:1111/");
        assert_eq!(at("0.0.0.0:80"), "http://localhost:80/");
        assert_eq!(at("[::1]:1111"), "http://[::1]:1111/");
    }
}
