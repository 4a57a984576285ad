//! One successful build as the preview server serves it: every file in memory with
//! its content type and ETag. HTML pages get the live-reload script, which names
//! the build, when they are sent: a rebuild that changed one page then swaps in one
//! new file, not every page of the site. A snapshot never changes; a rebuild makes
//! a new one (sharing the unchanged files' bytes) and swaps it in whole.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Where the preview's own files live; no site file is served from here.
pub const PREFIX: &str = "/__wegwijs/";

/// A file ready to send.
#[derive(Debug, Clone)]
pub struct File {
    /// The bytes.
    pub bytes: Arc<[u8]>,
    /// A strong validator for conditional GET.
    pub etag: String,
    /// The `Content-Type`.
    pub content_type: &'static str,
}

impl File {
    /// A file with the content type for the extension of `path`.
    pub fn new(path: &str, bytes: impl Into<Arc<[u8]>>) -> File {
        let bytes = bytes.into();
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        bytes.hash(&mut hasher);
        File {
            etag: format!("\"{:016x}-{:x}\"", hasher.finish(), bytes.len()),
            bytes,
            content_type: content_type(path),
        }
    }

    fn is_html(&self) -> bool {
        self.content_type.starts_with("text/html")
    }
}

/// What a path leads to.
#[derive(Debug)]
pub enum Lookup {
    /// This file.
    Found(File),
    /// A folder asked without its slash: `Location` to send.
    Redirect(String),
    /// Nothing: the theme's 404 page, if it has one.
    NotFound(Option<File>),
}

/// A built site, ready to serve.
#[derive(Debug, Default)]
pub struct Snapshot {
    files: HashMap<String, File>,
    /// Identifies this build (the start of the server and a counter), so a page
    /// can tell whether it is older than the snapshot being served.
    pub build: String,
    /// The `<script>` tag added to every HTML page.
    script: String,
}

impl Snapshot {
    /// The files of a build (output path → bytes); `script` (a `<script>` tag) is
    /// added to every HTML page as it is sent.
    pub fn new(
        files: impl IntoIterator<Item = (String, Arc<[u8]>)>,
        build: String,
        script: &str,
    ) -> Snapshot {
        Snapshot::default().updated(files, &[], build, script)
    }

    /// This snapshot with `files` new or changed and `removed` gone, as build
    /// `build`. Only the changed files are hashed again.
    pub fn updated(
        &self,
        files: impl IntoIterator<Item = (String, Arc<[u8]>)>,
        removed: &[String],
        build: String,
        script: &str,
    ) -> Snapshot {
        let mut map = self.files.clone();
        for path in removed {
            map.remove(path);
        }
        for (path, bytes) in files {
            let file = File::new(&path, bytes);
            map.insert(path, file);
        }
        Snapshot {
            files: map,
            build,
            script: script.to_string(),
        }
    }

    /// Find the file for a decoded request path (`/thema/gamen/`), the way a
    /// static host does: `index.html` for a folder, a redirect to add a missing
    /// trailing slash.
    pub fn lookup(&self, path: &str) -> Lookup {
        let key = path.strip_prefix('/').unwrap_or(path);
        let key = if key.is_empty() || key.ends_with('/') {
            format!("{key}index.html")
        } else {
            key.to_string()
        };
        if let Some(file) = self.files.get(&key) {
            return Lookup::Found(self.served(file));
        }
        if !path.ends_with('/') && self.files.contains_key(&format!("{key}/index.html")) {
            return Lookup::Redirect(format!("{path}/"));
        }
        Lookup::NotFound(self.files.get("404.html").map(|file| self.served(file)))
    }

    /// A file as sent: HTML with the script (its ETag names the build too).
    fn served(&self, file: &File) -> File {
        if !file.is_html() {
            return file.clone();
        }
        File {
            bytes: inject(&file.bytes, &self.script).into(),
            etag: format!("{}-{}\"", file.etag.trim_end_matches('"'), self.build),
            content_type: file.content_type,
        }
    }

    /// How many files there are.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

/// `script` before `</head>` (minified pages keep it), else at the end.
fn inject(html: &[u8], script: &str) -> Vec<u8> {
    let at = html
        .windows(7)
        .position(|w| w.eq_ignore_ascii_case(b"</head>"))
        .unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + script.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

/// The content type for a file name's extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json" | "map") => "application/json",
        Some("webmanifest") => "application/manifest+json",
        Some("xml") => "application/xml",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        Some("avif") => "image/avif",
        Some("ico") => "image/x-icon",
        Some("pdf") => "application/pdf",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("mp4") => "video/mp4",
        Some("webm") => "video/webm",
        Some("mp3") => "audio/mpeg",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snapshot() -> Snapshot {
        let files = [
            (
                "index.html",
                "<html><head><title>x</title></head><body></body></html>",
            ),
            ("thema/gamen/index.html", "<p>no head"),
            ("css/main.css", "body{}"),
            ("404.html", "<html><head></head>niet gevonden</html>"),
        ];
        Snapshot::new(
            files
                .iter()
                .map(|(p, t)| (p.to_string(), Arc::from(t.as_bytes()))),
            "b1".into(),
            "<script></script>",
        )
    }

    #[test]
    fn folders_index_and_redirect_like_a_static_host() {
        let s = snapshot();
        let body = |l: Lookup| match l {
            Lookup::Found(f) => String::from_utf8_lossy(&f.bytes).into_owned(),
            Lookup::Redirect(to) => format!("-> {to}"),
            Lookup::NotFound(f) => format!(
                "404 {}",
                f.map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
                    .unwrap_or_default()
            ),
        };
        assert_eq!(
            body(s.lookup("/")),
            "<html><head><title>x</title><script></script></head><body></body></html>"
        );
        assert_eq!(
            body(s.lookup("/thema/gamen/")),
            "<p>no head<script></script>"
        );
        assert_eq!(body(s.lookup("/thema/gamen")), "-> /thema/gamen/");
        assert_eq!(body(s.lookup("/css/main.css")), "body{}");
        assert!(body(s.lookup("/nope/")).starts_with("404 <html><head><script>"));
    }

    #[test]
    fn etags_follow_the_bytes_and_types_the_extension() {
        let a = File::new("a.css", b"x".to_vec());
        let b = File::new("b.css", b"y".to_vec());
        assert_ne!(a.etag, b.etag);
        assert_eq!(a.etag, File::new("c.css", b"x".to_vec()).etag);
        assert_eq!(a.content_type, "text/css; charset=utf-8");
        assert_eq!(content_type("a/B.SVG"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
