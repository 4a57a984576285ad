//! The live-reload stream: Server-Sent Events from the rebuild loop to every open
//! page. Each event is one preformatted SSE frame; a page that connects first gets
//! `hello` (the build it should show) and, while the last rebuild failed, `failed`.
//!
//! Events: `hello` and `reload` carry `{"build": id}`; `css` carries the same and
//! means only stylesheets changed; `failed` carries `{"diagnostics": [text, ...]}`.

use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};
use std::sync::{Mutex, PoisonError};

use serde_json::json;

/// How many frames a slow page may fall behind before it is dropped (it reconnects).
const BACKLOG: usize = 16;

/// The most pages that may listen at once.
pub const MAX_LISTENERS: usize = 64;

/// Fans events out to the open pages.
#[derive(Debug, Default)]
pub struct Hub {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    listeners: Vec<SyncSender<String>>,
    build: String,
    errors: Option<String>,
}

impl Hub {
    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A new listener, already holding the frames that describe the current state.
    /// `None` when too many pages listen.
    pub fn subscribe(&self) -> Option<Receiver<String>> {
        let mut inner = self.inner();
        inner.listeners.retain(|l| {
            // A probe: a listener whose page went away has a closed channel.
            !matches!(
                l.try_send(String::new()),
                Err(TrySendError::Disconnected(_))
            )
        });
        if inner.listeners.len() >= MAX_LISTENERS {
            return None;
        }
        let (tx, rx) = sync_channel(BACKLOG);
        let _ = tx.try_send(frame("hello", &json!({ "build": inner.build })));
        if let Some(errors) = &inner.errors {
            let _ = tx.try_send(errors.clone());
        }
        inner.listeners.push(tx);
        Some(rx)
    }

    /// A rebuild succeeded: pages reload (or, for `css_only`, swap stylesheets).
    pub fn built(&self, build: &str, css_only: bool) {
        let mut inner = self.inner();
        inner.build = build.to_string();
        inner.errors = None;
        let kind = if css_only { "css" } else { "reload" };
        send(&mut inner, frame(kind, &json!({ "build": build })));
    }

    /// A rebuild failed: pages show `diagnostics` over the last good version.
    pub fn failed(&self, diagnostics: &[String]) {
        let mut inner = self.inner();
        let errors = frame("failed", &json!({ "diagnostics": diagnostics }));
        inner.errors = Some(errors.clone());
        send(&mut inner, errors);
    }

    /// The first build: no page is open yet.
    pub fn started(&self, build: &str) {
        self.inner().build = build.to_string();
    }

    /// The current error frame, if the last build failed.
    pub fn errors(&self) -> Option<String> {
        self.inner().errors.clone()
    }
}

fn send(inner: &mut Inner, frame: String) {
    inner
        .listeners
        .retain(|l| l.try_send(frame.clone()).is_ok());
}

/// An SSE frame. JSON has no raw newlines, so `data` is one line.
fn frame(event: &str, data: &serde_json::Value) -> String {
    format!("event: {event}\ndata: {data}\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_pages_learn_the_state_and_all_hear_events() {
        let hub = Hub::default();
        hub.started("a-1");
        let first = hub.subscribe();
        hub.failed(&["error: <b>".into()]);
        let second = hub.subscribe();
        hub.built("a-2", true);
        let frames = |rx: Option<Receiver<String>>| -> Vec<String> {
            rx.map(|rx| rx.try_iter().filter(|f| !f.is_empty()).collect())
                .unwrap_or_default()
        };
        assert_eq!(
            frames(first),
            [
                "event: hello\ndata: {\"build\":\"a-1\"}\n\n",
                "event: failed\ndata: {\"diagnostics\":[\"error: <b>\"]}\n\n",
                "event: css\ndata: {\"build\":\"a-2\"}\n\n",
            ]
        );
        assert_eq!(frames(second).len(), 3);
        assert_eq!(hub.errors(), None);
    }

    #[test]
    fn pages_that_went_away_are_forgotten() {
        let hub = Hub::default();
        for _ in 0..MAX_LISTENERS * 2 {
            assert!(hub.subscribe().is_some());
        }
        let kept: Vec<_> = (0..MAX_LISTENERS).filter_map(|_| hub.subscribe()).collect();
        assert_eq!(kept.len(), MAX_LISTENERS);
        assert!(hub.subscribe().is_none());
    }
}
