//! The built bundled site passes the W3C Nu HTML Checker (vnu-jar, run offline with
//! the machine's Java) with zero errors. `scripts/test` installs both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn vnu_jar() -> PathBuf {
    let jar = std::env::var_os("VNU_JAR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/vnu-jar/build/dist/vnu.jar")
        });
    assert!(
        jar.is_file(),
        "the W3C HTML checker is missing ({}): run scripts/test, which installs it, or `npm ci` (needs node and npm)",
        jar.display()
    );
    let java = Command::new("java").arg("-version").output();
    assert!(
        java.is_ok_and(|o| o.status.success()),
        "java is missing: run scripts/test, which installs it, or `apt-get install default-jre-headless`"
    );
    jar
}

#[test]
fn bundled_site_is_valid_html() {
    let jar = vnu_jar();
    let (_out, target) = common::build_bundled_site();
    let check = Command::new("java")
        .args(["-Xss4m", "-jar"])
        .arg(&jar)
        .args(["--errors-only", "--skip-non-html", "--format", "gnu"])
        .arg(&target)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&check.stderr).into_owned()
        + &String::from_utf8_lossy(&check.stdout);
    assert!(
        check.status.success() && report.trim().is_empty(),
        "HTML errors:\n{report}"
    );
}
