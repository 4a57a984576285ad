//! The `wegwijs` command: argument parsing and exit codes only.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use wegwijs::BuildOptions;
use wegwijs::date::Date;
use wegwijs::diagnostics::Diagnostic;

/// wegwijs builds a parent-information website from markdown files.
#[derive(Parser)]
#[command(name = "wegwijs", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the website into a folder, ready to publish.
    ///
    /// Reads content/site.yaml, every markdown file in content/ and the theme,
    /// checks everything, and only when there are no errors replaces the output
    /// folder in one go. On errors, every problem is listed with file and line,
    /// and the previous output stays exactly as it was.
    #[command(after_help = "Examples:
  wegwijs build                             build the site in this folder into public/
  wegwijs build --drafts --output preview   include drafts, write to preview/
  wegwijs build --now 2026-09-01            build as if it were 1 September 2026")]
    Build {
        /// The folder of the site (it holds content/site.yaml).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Where to write the website [default: <root>/public].
        #[arg(long, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Also build pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Pretend today is this date (YYYY-MM-DD), for pages with publish or
        /// expiry dates. Also read from WEGWIJS_NOW. Default: today in Amsterdam.
        #[arg(long, value_name = "YYYY-MM-DD", env = "WEGWIJS_NOW", value_parser = parse_date)]
        now: Option<Date>,
        /// Use this web address instead of base_url from site.yaml (for previews).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            now,
            base_url,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = BuildOptions {
                root,
                drafts,
                now: now.unwrap_or_else(Date::today),
                base_url,
            };
            let started = Instant::now();
            match wegwijs::build(&options, &output) {
                Ok(report) => {
                    print_all(&report.warnings);
                    eprintln!(
                        "built {} pages ({} files) into {} in {} ms",
                        report.pages,
                        report.files,
                        report.output.display(),
                        started.elapsed().as_millis()
                    );
                    ExitCode::SUCCESS
                }
                Err(problems) => {
                    print_all(&problems);
                    let errors = problems.iter().filter(|d| d.is_error()).count();
                    eprintln!(
                        "build failed with {errors} error{}; nothing was written",
                        if errors == 1 { "" } else { "s" }
                    );
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn print_all(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics {
        eprintln!("{}\n", d.render(color));
    }
}
