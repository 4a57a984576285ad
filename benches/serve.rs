//! Save-to-reload times of `wegwijs serve`: the release binary serves a generated
//! site; one page is saved (atomically, as editors' editors do) again and again, and
//! each time the wait from the rename until the reload event arrives on the
//! live-reload stream is measured. Prints the median and the worst, and the
//! server's resident memory after the first and the last edit and the highest
//! after any edit.
//!
//! ```text
//! cargo bench --bench build -- --generate 1000 /dev/shm/ww1000
//! cargo bench --bench serve -- --site /dev/shm/ww1000/wegwijs [--edits 20] [--bin PATH]
//! ```
//!
//! `--bin` runs another build of `wegwijs` (an older one, to compare) instead of
//! this one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(60);

fn main() -> ExitCode {
    let mut sites = Vec::new();
    let mut edits = 20;
    let mut bin = PathBuf::from(env!("CARGO_BIN_EXE_wegwijs"));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => {}
            "--site" => sites.push(PathBuf::from(args.next().unwrap_or_default())),
            "--edits" => edits = args.next().and_then(|n| n.parse().ok()).unwrap_or(20),
            "--bin" => bin = PathBuf::from(args.next().unwrap_or_default()),
            other => {
                eprintln!(
                    "unknown argument {other}; usage: --site DIR [--site DIR] [--edits 20] [--bin PATH]"
                );
                return ExitCode::FAILURE;
            }
        }
    }
    if sites.is_empty() {
        eprintln!(
            "serve bench: no --site given. Generate one first:\n  \
             cargo bench --bench build -- --generate 1000 /dev/shm/ww1000\n  \
             cargo bench --bench serve -- --site /dev/shm/ww1000/wegwijs"
        );
        return ExitCode::SUCCESS;
    }
    for site in sites {
        bench(&bin, &site, edits);
    }
    ExitCode::SUCCESS
}

fn bench(bin: &Path, site: &Path, edits: usize) {
    let page = first_page(&site.join("content")).expect("a page in the site");
    let original = std::fs::read_to_string(&page).unwrap();
    let pages = walk(&site.join("content"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .count();
    let mut child = Command::new(bin)
        .args(["serve", "--port", "0", "--root"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut port = 0;
    let mut line = String::new();
    while out.read_line(&mut line).unwrap() > 0 {
        if let Some(rest) = line.strip_prefix("serving http://127.0.0.1:") {
            port = rest.split('/').next().unwrap().parse().unwrap();
            break;
        }
        line.clear();
    }
    assert!(port > 0, "the server did not start");
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    write!(
        stream,
        "GET /__wegwijs/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    let mut buffer = String::new();
    wait_for(&mut stream, &mut buffer, "event: hello");

    let mut times = Vec::new();
    let mut rss_first = 0;
    // Resident memory moves up and down with the allocator's pages: the highest
    // seen after any edit says more about growth than the last alone.
    let mut rss_high = 0;
    for i in 0..edits {
        let text = format!("{original}\nBewerking {i}.\n");
        let temp = page.with_extension("md.tmp");
        std::fs::write(&temp, text).unwrap();
        let started = Instant::now();
        std::fs::rename(&temp, &page).unwrap();
        wait_for(&mut stream, &mut buffer, "event: reload");
        times.push(started.elapsed());
        let rss = rss_kb(child.id());
        if i == 0 {
            rss_first = rss;
        }
        rss_high = rss_high.max(rss);
    }
    let rss_last = rss_kb(child.id());
    std::fs::write(&page, original).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{pages} pages, {edits} edits of {}: save → reload median {:.0} ms, worst {:.0} ms; \
         RSS after the first edit {} MB, after the last {} MB, highest {} MB",
        page.strip_prefix(site).unwrap_or(&page).display(),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
        rss_first / 1024,
        rss_last / 1024,
        rss_high / 1024
    );
}

/// Read until the buffer holds `marker`; consume through it.
fn wait_for(stream: &mut TcpStream, buffer: &mut String, marker: &str) {
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(at) = buffer.find(marker) {
            buffer.drain(..at + marker.len());
            return;
        }
        let n = stream.read(&mut chunk).expect("an event within a minute");
        assert!(n > 0, "the event stream closed");
        buffer.push_str(&String::from_utf8_lossy(&chunk[..n]));
    }
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.split_whitespace().next()?.parse().ok())
        })
        .unwrap_or(0)
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// A content page (not a section index).
fn first_page(content: &Path) -> Option<PathBuf> {
    walk(content).into_iter().find(|p| {
        p.extension().is_some_and(|e| e == "md") && p.file_name().is_some_and(|n| n != "_index.md")
    })
}
