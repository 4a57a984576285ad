//! Debian's ChromeDriver and headless Chromium for the browser tests (fantoccini over
//! plain HTTP), plus the two ChromeDriver extensions the browser gates need: DevTools
//! Protocol commands (`goog/cdp/execute`) and the performance log (`se/log`).

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::error::NewSessionError;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Map, Value, json};

pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const INSTALL: &str =
    "run scripts/test (it installs them) or `apt-get install chromium chromium-driver`";
/// How long ChromeDriver may take to start and open a browser session.
const STARTUP: Duration = Duration::from_secs(20);

/// A running ChromeDriver (in a process group of its own, with the browsers it
/// starts). Dropping it, also when a test panics, shuts it down (and, if it does not
/// stop, kills the group), then removes its temp folder.
pub struct ChromeDriver {
    child: Child,
    port: u16,
    /// TMPDIR of ChromeDriver and Chromium: their profiles and sockets go here, not
    /// in /tmp (Chromium leaves a folder with its singleton socket behind).
    _tmp: tempfile::TempDir,
}

/// The capabilities of a headless Chromium session: the usual flags, a 1280×900
/// window, and `extra` merged in (e.g. `goog:loggingPrefs`).
pub fn capabilities(extra: Value) -> Map<String, Value> {
    let mut caps = json!({
        "goog:chromeOptions": {
            "binary": super::chromium(),
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--window-size=1280,900"
            ]
        }
    });
    merge(&mut caps, extra);
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    caps
}

/// Merge `extra` into `into`: objects key by key, anything else replaced.
fn merge(into: &mut Value, extra: Value) {
    match (into, extra) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                merge(a.entry(k).or_insert(Value::Null), v);
            }
        }
        (slot, v) => *slot = v,
    }
}

impl ChromeDriver {
    pub fn start() -> Self {
        if !Path::new(CHROMEDRIVER).is_file() {
            panic!("ChromeDriver ({CHROMEDRIVER}) is missing: {INSTALL}");
        }
        super::chromium();
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let tmp = tempfile::tempdir().unwrap();
        let child = {
            use std::os::unix::process::CommandExt;
            Command::new(CHROMEDRIVER)
                .arg(format!("--port={port}"))
                .env("TMPDIR", tmp.path())
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER} ({e}): {INSTALL}"))
        };
        ChromeDriver {
            child,
            port,
            _tmp: tmp,
        }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// A new headless Chromium session; retries until ChromeDriver listens.
    pub async fn session(&mut self) -> Client {
        self.session_with(capabilities(json!({}))).await
    }

    /// A new session with these capabilities (see [`capabilities`]).
    pub async fn session_with(&mut self, capabilities: Map<String, Value>) -> Client {
        let deadline = Instant::now() + STARTUP;
        loop {
            let result =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(capabilities.clone())
                    .connect(&self.url())
                    .await;
            match result {
                Ok(client) => return client,
                Err(NewSessionError::Failed(_) | NewSessionError::FailedC(_))
                    if Instant::now() < deadline =>
                {
                    if let Some(status) = self.child.try_wait().unwrap() {
                        panic!(
                            "ChromeDriver stopped ({status}) before it took a session: {INSTALL}"
                        );
                    }
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(e) => panic!(
                    "no browser session from ChromeDriver within {STARTUP:?}: {e}; if Chromium is missing, {INSTALL}"
                ),
            }
        }
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // Ask ChromeDriver to close its sessions (and their browsers) and exit ...
        if let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) {
            use std::io::{Read, Write};
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let _ = write!(
                stream,
                "GET /shutdown HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
            );
            let _ = stream.read_to_end(&mut Vec::new());
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // ... or kill it with its browsers: its process group (this child's id, not
        // yet reaped, so still ours).
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A ChromeDriver command in the session fantoccini has no method for: `POST
/// /session/{id}/{path}` with a JSON body.
#[derive(Debug)]
struct SessionPost {
    path: &'static str,
    body: Value,
}

impl WebDriverCompatibleCommand for SessionPost {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        let id = session_id.unwrap_or_default();
        base_url.join(&format!("session/{id}/{}", self.path))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(self.body.to_string()))
    }
}

/// Run a DevTools Protocol command in the current tab; returns its result.
pub async fn cdp(client: &Client, cmd: &str, params: Value) -> Value {
    client
        .issue_cmd(SessionPost {
            path: "goog/cdp/execute",
            body: json!({ "cmd": cmd, "params": params }),
        })
        .await
        .unwrap_or_else(|e| panic!("DevTools command {cmd}: {e}"))
}

/// The DevTools events logged since the last call (needs `goog:loggingPrefs`
/// `{"performance": "ALL"}`): each entry's `message.method` and `message.params`.
pub async fn performance_log(client: &Client) -> Vec<Value> {
    let entries = client
        .issue_cmd(SessionPost {
            path: "se/log",
            body: json!({ "type": "performance" }),
        })
        .await
        .unwrap_or_else(|e| panic!("performance log: {e}"));
    let entries = entries.as_array().cloned().unwrap_or_default();
    entries
        .iter()
        .filter_map(|e| e["message"].as_str())
        .filter_map(|m| serde_json::from_str::<Value>(m).ok())
        .map(|m| m["message"].clone())
        .collect()
}
