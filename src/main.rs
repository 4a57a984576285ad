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
    /// Preview the website while you edit it: it rebuilds on every save.
    ///
    /// Builds the site like `build` does, but keeps it in memory (nothing is
    /// written), serves it on a local address and watches content/, themes/,
    /// templates/ and static/. Open pages reload by themselves after a save; a
    /// stylesheet change swaps only the stylesheet; a mistake shows its errors
    /// over the last good page until you fix it. Stop with Ctrl-C.
    #[command(after_help = "Examples:
  wegwijs serve                      preview the site in this folder at http://127.0.0.1:1111/
  wegwijs serve --drafts --open      include drafts and open the browser
  wegwijs serve --port 0             use any free port (the address is printed)")]
    Serve {
        /// The folder of the site (it holds content/site.yaml).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The port to listen on; 0 picks a free one.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on. Anything but 127.0.0.1 or ::1 lets other
        /// devices on the network see the preview, drafts included.
        #[arg(long, value_name = "ADDRESS", default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Also show pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Pretend today is this date (YYYY-MM-DD), for pages with publish or
        /// expiry dates. Also read from WEGWIJS_NOW. Default: today in Amsterdam.
        #[arg(long, value_name = "YYYY-MM-DD", env = "WEGWIJS_NOW", value_parser = parse_date)]
        now: Option<Date>,
        /// Open the preview in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Check the whole site without writing anything.
    ///
    /// Runs every step of a build in memory, then the quality gates: links and
    /// anchors, accessibility, privacy and safety, review dates, readability (B1)
    /// and placeholders left by `wegwijs new`. Every finding has file:line:column,
    /// a message and a hint. Exit code 0: no errors (with --strict: no warnings
    /// either); 1: errors; 2: wrong usage.
    #[command(after_help = "Examples:
  wegwijs check                      check the site in this folder
  wegwijs check --strict             warnings count as errors (for CI)
  wegwijs check --format json        one JSON document, for CI annotations")]
    Check {
        /// The folder of the site (it holds content/site.yaml).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// human: diagnostics and tables; json: one JSON document on stdout.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
        /// Fail on warnings too.
        #[arg(long)]
        strict: bool,
        /// Also check pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Pretend today is this date (YYYY-MM-DD). Also read from WEGWIJS_NOW.
        #[arg(long, value_name = "YYYY-MM-DD", env = "WEGWIJS_NOW", value_parser = parse_date)]
        now: Option<Date>,
    },
    /// Make a new content file with every required field to fill in.
    ///
    /// The fields hold Dutch placeholders starting with VUL IN, with a comment on
    /// what belongs there; `wegwijs check` lists the ones still to fill. The path
    /// is below content/ (`.md` or `.rules.yaml` is added). Never overwrites.
    #[command(after_help = "Examples:
  wegwijs new page thema/gamen/skins            content/thema/gamen/skins.md
  wegwijs new risk-card kaarten/risico/slaap    a new informatiekaart
  wegwijs new campaign campagnes/zomer          a campaign, short link /zomer
  wegwijs new news nieuws/nieuwe-richtlijn      a news item dated today
  wegwijs new rules tools/toestemming           content/tools/toestemming.rules.yaml")]
    New {
        /// What to make: page, risk-card, argument-card, campaign, news or rules.
        #[arg(value_name = "KIND", value_parser = clap::builder::PossibleValuesParser::new(wegwijs::scaffold::KINDS))]
        kind: String,
        /// Where, below content/.
        #[arg(value_name = "PATH")]
        path: PathBuf,
        /// The folder of the site (it holds content/site.yaml).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The day to write in the new file's dates (YYYY-MM-DD). Also read from
        /// WEGWIJS_NOW; default: today in Europe/Amsterdam.
        #[arg(long, value_name = "YYYY-MM-DD", env = "WEGWIJS_NOW", value_parser = parse_date)]
        now: Option<Date>,
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
    /// Search the site as a parent would, with the index and ranking of /zoeken/.
    ///
    /// Builds the site in memory (nothing is written) and prints the pages found,
    /// best first: title, URL and what kind of page it is. Exit code 0: pages
    /// found; 2: nothing found; 1: the site has errors.
    #[command(after_help = "Examples:
  wegwijs search \"schermtijd 6 jaar\"
  wegwijs search ontheffing --thema vloggen-met-kinderen --leeftijd 8-12")]
    Search {
        /// What a parent types.
        #[arg(value_name = "QUERY", required = true)]
        query: Vec<String>,
        /// The folder of the site (it holds content/site.yaml).
        #[arg(long, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// Only pages with this theme (repeat for more: any of them).
        #[arg(long = "thema", value_name = "SLUG")]
        themes: Vec<String>,
        /// Only pages for this age group (repeat for more: any of them).
        #[arg(long = "leeftijd", value_name = "SLUG")]
        ages: Vec<String>,
        /// How many results to show.
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Pretend today is this date (YYYY-MM-DD), as for `build`.
        #[arg(long, value_name = "YYYY-MM-DD", env = "WEGWIJS_NOW", value_parser = parse_date)]
        now: Option<Date>,
        /// Print JSON: [{"url", "title", "description", "kind", "matched", "score"}].
        #[arg(long)]
        json: bool,
    },
}

/// How `check` prints.
#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    /// Diagnostics on stderr, tables on stdout.
    Human,
    /// One JSON document on stdout.
    Json,
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
        Command::Check {
            root,
            format,
            strict,
            drafts,
            now,
        } => check(
            &BuildOptions {
                root,
                drafts,
                now: now.unwrap_or_else(Date::today),
                base_url: None,
                noindex: false,
            },
            format,
            strict,
        ),
        Command::New {
            kind,
            path,
            root,
            now,
        } => {
            let file = wegwijs::scaffold::target(&root, &kind, &path);
            match wegwijs::scaffold::create(&kind, &file, now.unwrap_or_else(Date::today)) {
                Ok(()) => {
                    eprintln!(
                        "made {}: fill in every VUL IN, then run wegwijs check",
                        file.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(problem) => {
                    print_all(&[problem]);
                    ExitCode::FAILURE
                }
            }
        }
        Command::Decide {
            file,
            answers,
            json,
        } => decide(&file, answers, json),
        Command::Serve {
            root,
            port,
            bind,
            drafts,
            now,
            open,
        } => {
            let options = wegwijs::serve::ServeOptions {
                build: BuildOptions {
                    root,
                    drafts,
                    now: now.unwrap_or_else(Date::today),
                    base_url: None,
                    noindex: false,
                },
                bind,
                port,
                open,
            };
            match wegwijs::serve::run(options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(problem) => {
                    print_all(&[problem]);
                    ExitCode::FAILURE
                }
            }
        }
        Command::Search {
            query,
            root,
            themes,
            ages,
            limit,
            now,
            json,
        } => search(
            BuildOptions {
                root,
                drafts: false,
                now: now.unwrap_or_else(Date::today),
                base_url: None,
                noindex: false,
            },
            &query.join(" "),
            wegwijs::search::query::Filters { themes, ages },
            limit,
            json,
        ),
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

fn check(options: &BuildOptions, format: Format, strict: bool) -> ExitCode {
    use wegwijs::lint::report;
    let report = match wegwijs::check(options) {
        Ok(report) => report,
        Err(problems) => wegwijs::CheckReport {
            problems,
            scores: Vec::new(),
            external: Vec::new(),
            pages: 0,
            files: 0,
        },
    };
    let (errors, warnings) = wegwijs::lint::counts(&report.problems);
    match format {
        Format::Json => println!("{}", report::json(&report, strict)),
        Format::Human => {
            print_all(&report.problems);
            print!("{}", report::human_tables(&report));
            eprintln!("{}", report::summary(&report, strict));
        }
    }
    if errors > 0 || (strict && warnings > 0) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
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

fn search(
    options: BuildOptions,
    query: &str,
    filters: wegwijs::search::query::Filters,
    limit: usize,
    json: bool,
) -> ExitCode {
    let output = match wegwijs::render_in_memory(&options) {
        Ok(built) => built.output,
        Err(problems) => {
            print_all(&problems);
            return ExitCode::FAILURE;
        }
    };
    let meta = output
        .paths()
        .into_iter()
        .find(|p| p.starts_with(wegwijs::search::DIR) && p.contains("/meta."));
    let fetch = |url: &str| {
        output
            .get(url.trim_start_matches('/'))
            .and_then(|b| String::from_utf8(b).ok())
    };
    let Some(mut searcher) =
        meta.and_then(|m| wegwijs::search::query::Searcher::open(&format!("/{m}"), fetch))
    else {
        eprintln!(
            "error: the site has no search index\nhelp: wegwijs makes one when the theme has a search page (templates/{}); add one, as the bundled theme has",
            wegwijs::search::page::TEMPLATE
        );
        return ExitCode::FAILURE;
    };
    let hits = searcher.search(query, &filters, limit).hits;
    if json {
        println!("{}", serde_json::to_string(&hits).unwrap_or_default());
    } else {
        for (i, hit) in hits.iter().enumerate() {
            println!(
                "{:>2}. {} ({})\n    {}",
                i + 1,
                hit.title,
                hit.kind,
                hit.url
            );
        }
    }
    if hits.is_empty() {
        eprintln!("nothing found for `{query}`");
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
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
