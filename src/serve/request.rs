//! Which requests the preview server answers, decided before anything is looked
//! up: the request target becomes an output path or a refusal, and the `Host` and
//! `Origin` headers must name this server.
//!
//! The server reads only from the in-memory build, so a path can never reach a
//! file on disk; these checks still refuse what a traversal attempt looks like
//! (Zola CVE-2023-40274, Vite CVE-2025-24010) so that no later change can turn
//! one into a leak, and so that DNS rebinding cannot let a web page read the
//! preview of a site that is not published yet.

use std::net::IpAddr;

use percent_encoding::percent_decode_str;

/// The longest request target accepted, in bytes. Real page paths are far shorter.
pub const MAX_TARGET: usize = 2048;

/// Why a request target is refused (answered with 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not origin-form (`/path`): absolute-form (`http://host/`), `*`, empty.
    NotAPath,
    /// Longer than [`MAX_TARGET`].
    TooLong,
    /// A `%` escape that is malformed or not UTF-8 once decoded.
    BadEscape,
    /// A `.` or `..` segment, an empty segment, a backslash, NUL or another
    /// control character, after decoding.
    Traversal,
}

impl Refusal {
    /// A short reason for the response body.
    pub fn reason(self) -> &'static str {
        match self {
            Refusal::NotAPath => "the request target must be a path starting with /",
            Refusal::TooLong => "the path is too long",
            Refusal::BadEscape => "the path has a malformed % escape",
            Refusal::Traversal => {
                "the path has a ., .. or empty segment, a backslash or a control character"
            }
        }
    }
}

/// The path of a request target (`/thema/gamen/?x=1` → `/thema/gamen/`),
/// percent-decoded exactly once. `%252e` stays `%2e`: a literal name, not a dot.
pub fn path(target: &str) -> Result<String, Refusal> {
    if target.len() > MAX_TARGET {
        return Err(Refusal::TooLong);
    }
    if !target.starts_with('/') {
        return Err(Refusal::NotAPath);
    }
    let raw = target.split(['?', '#']).next().unwrap_or_default();
    if !valid_escapes(raw) {
        return Err(Refusal::BadEscape);
    }
    let decoded = percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| Refusal::BadEscape)?;
    if decoded.contains(['\\']) || decoded.chars().any(char::is_control) {
        return Err(Refusal::Traversal);
    }
    // The first segment is the empty one before the leading `/`, the last may be
    // empty (a trailing `/`); every other one must be a real name.
    let segments: Vec<&str> = decoded.split('/').collect();
    let inner = &segments[1..segments.len().saturating_sub(1).max(1)];
    let last = segments.last().copied().unwrap_or_default();
    if inner
        .iter()
        .any(|s| s.is_empty() || *s == "." || *s == "..")
        || last == "."
        || last == ".."
    {
        return Err(Refusal::Traversal);
    }
    Ok(decoded.into_owned())
}

/// Every `%` is followed by two hex digits (the decoder would keep a lone `%`
/// as it is, which hides mistakes).
fn valid_escapes(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.iter().enumerate().all(|(i, b)| {
        *b != b'%'
            || (bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// The `Host` values this server answers to: the bound address and `localhost`,
/// with the bound port. Bound to every interface (`0.0.0.0`, `::`), any IP
/// address is accepted (a phone on the same network uses the machine's address);
/// names other than `localhost` never are, which is what stops DNS rebinding.
#[derive(Debug, Clone)]
pub struct Hosts {
    ip: IpAddr,
    port: u16,
}

impl Hosts {
    /// The hosts of a server bound to `ip:port`.
    pub fn new(ip: IpAddr, port: u16) -> Self {
        Hosts { ip, port }
    }

    /// Whether `host` (a `Host` header value, `name[:port]`) names this server.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.trim();
        let (name, port) = if let Some(rest) = host.strip_prefix('[') {
            match rest.split_once(']') {
                Some((name, "")) => (name, None),
                Some((name, port)) => match port.strip_prefix(':') {
                    Some(port) => (name, Some(port)),
                    None => return false,
                },
                None => return false,
            }
        } else {
            match host.split_once(':') {
                Some((name, port)) => (name, Some(port)),
                None => (host, None),
            }
        };
        let port_ok = match port {
            Some(port) => port.parse::<u16>().is_ok_and(|p| p == self.port),
            None => self.port == 80,
        };
        if !port_ok {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => ip == self.ip || self.ip.is_unspecified(),
            Err(_) => false,
        }
    }

    /// Whether an `Origin` header value (`http://host:port`) is this server.
    /// Same-origin `EventSource` requests send none; a foreign page's do.
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| !host.contains('/') && self.allows(host))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_decoded_once_and_the_query_dropped() {
        assert_eq!(path("/"), Ok("/".into()));
        assert_eq!(path("/thema/gamen/?a=1#x"), Ok("/thema/gamen/".into()));
        assert_eq!(path("/caf%C3%A9/"), Ok("/café/".into()));
        assert_eq!(path("/%252e%252e/etc"), Ok("/%2e%2e/etc".into()));
        assert_eq!(path("/a.b/c..d"), Ok("/a.b/c..d".into()));
    }

    #[test]
    fn traversal_and_odd_targets_are_refused() {
        for (target, why) in [
            ("/../etc/passwd", Refusal::Traversal),
            ("/a/..", Refusal::Traversal),
            ("/a/./b", Refusal::Traversal),
            ("/%2e%2e/%2e%2e/etc/passwd", Refusal::Traversal),
            ("/%2E%2E%2Fetc", Refusal::Traversal),
            ("/..%5cetc", Refusal::Traversal),
            ("/a%5c..%5c..", Refusal::Traversal),
            ("/index.html%00.css", Refusal::Traversal),
            ("/a%0d%0aSet-Cookie:x", Refusal::Traversal),
            ("//evil.example/", Refusal::Traversal),
            ("/a//b", Refusal::Traversal),
            ("http://evil.example/", Refusal::NotAPath),
            ("*", Refusal::NotAPath),
            ("", Refusal::NotAPath),
            ("/%zz", Refusal::BadEscape),
            ("/%", Refusal::BadEscape),
            ("/%ff%fe", Refusal::BadEscape),
        ] {
            assert_eq!(path(target), Err(why), "{target}");
        }
        assert_eq!(
            path(&format!("/{}", "a".repeat(MAX_TARGET))),
            Err(Refusal::TooLong)
        );
    }

    #[test]
    fn only_this_server_is_a_host() {
        let hosts = Hosts::new("127.0.0.1".parse().unwrap_or(IpAddr::from([0; 4])), 1111);
        for ok in ["127.0.0.1:1111", "localhost:1111", "LocalHost:1111"] {
            assert!(hosts.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "127.0.0.1:1112",
            "127.0.0.1",
            "localhost",
            "10.0.0.1:1111",
            "127.0.0.1.evil.example:1111",
            "[::1]:1111",
            "",
        ] {
            assert!(!hosts.allows(bad), "{bad}");
        }
        assert!(hosts.allows_origin("http://localhost:1111"));
        assert!(!hosts.allows_origin("http://evil.example:1111"));
        assert!(!hosts.allows_origin("https://localhost:1111"));
        assert!(!hosts.allows_origin("null"));
        let everywhere = Hosts::new("0.0.0.0".parse().unwrap_or(IpAddr::from([0; 4])), 80);
        assert!(everywhere.allows("192.168.1.20"));
        assert!(everywhere.allows("[fe80::1]:80"));
        assert!(!everywhere.allows("rebind.example"));
    }
}
