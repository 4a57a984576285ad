//! The `wegwijs` command: argument parsing and exit codes only.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};
use wegwijs::BuildOptions;
use wegwijs::date::Date;
use wegwijs::diagnostics::Diagnostic;

// A build allocates many small strings and maps; mimalloc halves the time spent
// in the allocator compared with glibc's (see the README's performance section).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        /// Ask search engines to skip the whole site (deploy previews): every page
        /// gets a robots noindex, robots.txt disallows all, _headers sends
        /// X-Robots-Tag.
        #[arg(long)]
        noindex: bool,
        /// Also print how long each stage of the build took.
        #[arg(long)]
        timings: bool,
    },
    /// Follow a decision tool with the answers you give, as the website would.
    ///
    /// Prints the outcome id on the first line, then the path taken, one
    /// `question=answer` per line. Exit code 0: an outcome; 2: an answer is missing
    /// (the next question and its answers are named); 1: an answer is not allowed,
    /// or the rule file has errors.
    #[command(after_help = "Example:
  wegwijs decide content/tools/ontheffing.rules.yaml leeftijd=9 opnames=video commercieel=ja wie=bedrijf")]
    Decide {
        /// The rule file (content/tools/<name>.rules.yaml).
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Answers as question=answer: a number for number questions, the option
        /// id for choices, yes or no for yes/no questions.
        #[arg(value_name = "QUESTION=ANSWER", value_parser = parse_answer)]
        answers: Vec<(String, String)>,
        /// Print JSON: {"outcome": ..., "path": [{"question": ..., "answer": ...}]}.
        #[arg(long)]
        json: bool,
    },
}

/// `id=value` on the command line.
fn parse_answer(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .map(|(q, a)| (q.trim().to_string(), a.trim().to_string()))
        .filter(|(q, _)| !q.is_empty())
        .ok_or_else(|| format!("`{text}` is not an answer: write question=answer, e.g. leeftijd=9"))
}

fn parse_date(text: &str) -> Result<Date, String> {
    Date::parse(text)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Decide {
            file,
            answers,
            json,
        } => decide(&file, answers, json),
        Command::Build {
            root,
            output,
            drafts,
            now,
            base_url,
            noindex,
            timings,
        } => {
            let output = output.unwrap_or_else(|| root.join("public"));
            let options = BuildOptions {
                root,
                drafts,
                now: now.unwrap_or_else(Date::today),
                base_url,
                noindex,
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
                    if timings {
                        eprintln!("stages: {}", report.timings);
                    }
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

fn decide(file: &std::path::Path, answers: Vec<(String, String)>, json: bool) -> ExitCode {
    use wegwijs::rules::eval::{Evaluation, evaluate};
    let tool = match wegwijs::rules::load(file, file, &|_| true) {
        Ok((tool, _warnings)) => tool,
        Err(problems) => {
            print_all(&problems);
            return ExitCode::FAILURE;
        }
    };
    let tree = &tool.tree;
    let answers = answers.into_iter().collect();
    let path_json =
        |path: &[wegwijs::rules::eval::Step]| serde_json::to_value(path).unwrap_or_default();
    match evaluate(tree, &answers) {
        Evaluation::Outcome { outcome, path } => {
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "outcome": outcome, "path": path_json(&path) })
                );
            } else {
                println!("{outcome}");
                for step in path {
                    println!("{}={}", step.question, step.answer);
                }
            }
            ExitCode::SUCCESS
        }
        Evaluation::Missing { question, path } => {
            let q = tree.question(&question);
            let allowed: Vec<String> = q.map(allowed_answers).unwrap_or_default();
            if json {
                println!(
                    "{}",
                    serde_json::json!({ "outcome": null, "next": question, "allowed": allowed, "path": path_json(&path) })
                );
            } else {
                let ask = q.map(|q| q.ask.as_str()).unwrap_or_default();
                eprintln!(
                    "no answer yet for `{question}`: {ask}\nanswer with {question}=<answer>, one of: {}",
                    allowed.join(", ")
                );
            }
            ExitCode::from(2)
        }
        Evaluation::Invalid {
            question,
            answer,
            allowed,
        } => {
            eprintln!("error: `{answer}` is not an answer to `{question}`\nallowed: {allowed}");
            ExitCode::FAILURE
        }
    }
}

/// The answers a question accepts, in words for the terminal.
fn allowed_answers(question: &wegwijs::rules::tree::Question) -> Vec<String> {
    match &question.kind {
        wegwijs::rules::tree::Kind::Number { min, max, .. } => {
            vec![format!("a whole number from {min} to {max}")]
        }
        wegwijs::rules::tree::Kind::Choice { options, .. } => {
            options.iter().map(|o| o.id.clone()).collect()
        }
    }
}

fn print_all(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics {
        eprintln!("{}\n", d.render(color));
    }
}
