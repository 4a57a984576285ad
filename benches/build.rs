//! Build benchmark: wegwijs against Hugo and a floor.
//!
//! Generates a deterministic synthetic site of N pages (Dutch-looking markdown,
//! ~600 words a page, ~10 sections, two taxonomies) once for wegwijs and once for
//! Hugo, then builds it with
//!
//! - `wegwijs build --root DIR --output OUT`,
//! - `hugo --minify --quiet -s DIR -d OUT`,
//! - the floor: this executable re-invoked as `--floor SRC OUT`, which reads every
//!   markdown file, renders it with pulldown-cmark (tables, footnotes,
//!   strikethrough, smart punctuation) in parallel and writes it, without
//!   templates or minification,
//! - `wegwijs check --root DIR`: the same build in memory plus every lint, nothing
//!   written (its row gives check/build, target at most 1.5×).
//!
//! Each build runs under `/usr/bin/time` for its peak resident memory; the wall
//! time is measured around the process. The result is a markdown table.
//!
//! ```text
//! cargo bench --bench build
//! cargo bench --bench build -- --pages 1000,10000 --runs 3
//! cargo bench --bench build -- --pages 100 --runs 1 --tools hugo,floor --keep
//! ```
//!
//! Options: `--pages N,N,...` (default 1000,10000), `--runs R` (default 3),
//! `--tools wegwijs,hugo,floor,check` (default all four), `--wegwijs PATH` (the binary;
//! default the one cargo built), `--dir PATH` (where the sites and outputs go;
//! default `/dev/shm` when it is a tmpfs with 2 GB free, else the temporary
//! directory: on a slow virtual disk, creating 10,000 files dominates and varies
//! from run to run, which measures the disk rather than the generators),
//! `--keep` (keep the generated sites and print where), `--search` (instead of
//! comparing tools: what the site search costs; see [`search_bench`]). Hidden: `--floor SRC
//! OUT` (the floor build), `--generate N DIR` (only write the two sites to
//! `DIR/wegwijs` and `DIR/hugo`).
//!
//! `--check-stage` times only wegwijs's check stage (in process, through the
//! library) on the same sites with two `related` links and an alias on every
//! page, for each `--pages` count (default 1000,10000), median of `--runs`: the
//! cost per page must stay flat as the site grows (every lookup by URL goes
//! through the site's index, not a scan over all pages).
//! `--social` gives the generated wegwijs site the bundled theme's social image
//! template and font, and a theme on each section, so a build also draws 11 social
//! images (home and the ten hubs), as a site with that theme does.
//! `--ext4` (root only) measures on a real disk instead: a new ext4 file system
//! per run, a fresh build, a no-change rebuild and a one-page-edit rebuild, wegwijs
//! with the bundled theme (see `build/ext4.rs`); `--image-dir PATH` says where the
//! image files go (default `/var/tmp`). With `--search` too, it measures what the
//! site search adds there instead: fresh builds of the site with and without the
//! theme's search page, each on a new file system (see `ext4::search`).

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::LazyLock;
use std::time::Instant;

use pulldown_cmark::{Options, Parser, html};
use rayon::prelude::*;
use walkdir::WalkDir;

#[path = "build/ext4.rs"]
mod ext4;

type Res<T> = Result<T, String>;

const SEED: u64 = 0x5745_4757_494a_5321; // "WEGWIJS!"
const TIME: &str = "/usr/bin/time";
const HUGO: &str = "hugo";
const BASE_URL: &str = "https://bench.example.org";
const SITE_TITLE: &str = "Wegwijs benchmark";
const SITE_DESCRIPTION: &str =
    "Een gegenereerde site om de bouwtijd van wegwijs te vergelijken met Hugo.";

// ---------------------------------------------------------------------------
// Entry point and arguments
// ---------------------------------------------------------------------------

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("build bench: error: {e}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Tool {
    Wegwijs,
    Hugo,
    Floor,
    /// `wegwijs check` on the same site: everything a build does plus every
    /// lint, nothing written.
    Check,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Wegwijs => "wegwijs",
            Tool::Hugo => "Hugo",
            Tool::Floor => "floor",
            Tool::Check => "check",
        }
    }

    fn parse(s: &str) -> Res<Tool> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wegwijs" => Ok(Tool::Wegwijs),
            "hugo" => Ok(Tool::Hugo),
            "floor" => Ok(Tool::Floor),
            "check" => Ok(Tool::Check),
            other => Err(format!(
                "unknown tool {other:?} in --tools (expected wegwijs, hugo, floor, check)"
            )),
        }
    }
}

struct BenchArgs {
    pages: Vec<usize>,
    runs: usize,
    tools: Vec<Tool>,
    wegwijs: Option<PathBuf>,
    keep: bool,
    dir: Option<PathBuf>,
    /// Build on a fresh ext4 file system per run instead (see [`ext4`]).
    ext4: bool,
    /// Where the ext4 image files go (a real disk).
    image_dir: Option<PathBuf>,
    /// Add the social image template (see [`add_social`]).
    social: bool,
}

enum Mode {
    Bench(BenchArgs),
    CheckStage(BenchArgs),
    Floor {
        src: PathBuf,
        out: PathBuf,
    },
    Generate {
        pages: usize,
        dir: PathBuf,
        social: bool,
    },
    Search(BenchArgs),
}

fn run() -> Res<()> {
    match parse_args(std::env::args_os().skip(1).collect())? {
        Mode::Floor { src, out } => floor(&src, &out),
        Mode::Generate { pages, dir, social } => {
            let site = generate(pages, &dir)?;
            if social {
                add_social(&site.wegwijs_root)?;
            }
            println!(
                "wrote {} pages to {} (wegwijs) and {} (Hugo)",
                pages,
                site.wegwijs_root.display(),
                site.hugo_root.display()
            );
            Ok(())
        }
        Mode::Bench(args) => bench(&args),
        Mode::CheckStage(args) => check_stage(&args),
        Mode::Search(args) if args.ext4 => {
            ext4::search(&args, &wegwijs_binary(args.wegwijs.as_deref())?)
        }
        Mode::Search(args) => search_bench(&args),
    }
}

fn parse_args(args: Vec<OsString>) -> Res<Mode> {
    let mut args = args.into_iter().map(|a| {
        a.into_string()
            .map_err(|a| format!("argument {a:?} is not UTF-8"))
    });
    let mut search = false;
    let mut bench = BenchArgs {
        pages: vec![1_000, 10_000],
        runs: 3,
        tools: vec![Tool::Wegwijs, Tool::Hugo, Tool::Floor, Tool::Check],
        wegwijs: None,
        keep: false,
        dir: None,
        ext4: false,
        image_dir: None,
        social: false,
    };
    let mut check_only = false;
    while let Some(arg) = args.next() {
        let arg = arg?;
        match arg.as_str() {
            "--check-stage" => check_only = true,
            // `cargo bench` passes `--bench` to harness = false benches.
            "--bench" => {}
            "--floor" => {
                let src = PathBuf::from(value(&mut args, "--floor")?);
                let out = PathBuf::from(value(&mut args, "--floor")?);
                return Ok(Mode::Floor { src, out });
            }
            "--generate" => {
                let pages = parse_count(&value(&mut args, "--generate")?, "--generate")?;
                let dir = PathBuf::from(value(&mut args, "--generate")?);
                return Ok(Mode::Generate {
                    pages,
                    dir,
                    social: bench.social,
                });
            }
            "--pages" => {
                bench.pages = value(&mut args, "--pages")?
                    .split(',')
                    .map(|n| parse_count(n, "--pages"))
                    .collect::<Res<_>>()?;
            }
            "--runs" => {
                bench.runs = parse_count(&value(&mut args, "--runs")?, "--runs")?;
                if bench.runs == 0 {
                    return Err("--runs must be at least 1".into());
                }
            }
            "--tools" => {
                bench.tools = value(&mut args, "--tools")?
                    .split(',')
                    .map(Tool::parse)
                    .collect::<Res<_>>()?;
            }
            "--wegwijs" => bench.wegwijs = Some(PathBuf::from(value(&mut args, "--wegwijs")?)),
            "--keep" => bench.keep = true,
            "--ext4" => bench.ext4 = true,
            "--image-dir" => {
                bench.image_dir = Some(PathBuf::from(value(&mut args, "--image-dir")?));
            }
            "--search" => search = true,
            "--social" => bench.social = true,
            "--dir" => bench.dir = Some(PathBuf::from(value(&mut args, "--dir")?)),
            "-h" | "--help" => {
                println!(
                    "usage: cargo bench --bench build -- [--pages 1000,10000] [--runs 3] \
                     [--tools wegwijs,hugo,floor] [--wegwijs PATH] [--dir PATH] [--keep] \
                     [--social] [--check-stage] [--ext4 [--image-dir PATH]]"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?} (try --help)")),
        }
    }
    if check_only {
        return Ok(Mode::CheckStage(bench));
    }
    Ok(if search {
        Mode::Search(bench)
    } else {
        Mode::Bench(bench)
    })
}

fn value(args: &mut dyn Iterator<Item = Res<String>>, flag: &str) -> Res<String> {
    args.next().ok_or_else(|| format!("{flag} needs a value"))?
}

fn parse_count(s: &str, flag: &str) -> Res<usize> {
    s.trim()
        .replace('_', "")
        .parse()
        .map_err(|e| format!("{flag}: {s:?} is not a whole number: {e}"))
}

// ---------------------------------------------------------------------------
// Small I/O helpers with context in their errors
// ---------------------------------------------------------------------------

fn write(path: &Path, text: &str) -> Res<()> {
    if let Some(parent) = path.parent() {
        mkdir(parent)?;
    }
    fs::write(path, text).map_err(|e| format!("writing {}: {e}", path.display()))
}

fn mkdir(path: &Path) -> Res<()> {
    fs::create_dir_all(path).map_err(|e| format!("creating {}: {e}", path.display()))
}

fn remove_dir(path: &Path) -> Res<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(format!("removing {}: {e}", path.display())),
    }
}

fn read(path: &Path) -> Res<String> {
    fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))
}

// ---------------------------------------------------------------------------
// Deterministic generator
// ---------------------------------------------------------------------------

/// SplitMix64: tiny, fast and good enough for synthetic text.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with the given chance in percent.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// Function words, frequent in running text.
const SMALL: &[&str] = &[
    "de", "het", "een", "en", "van", "in", "is", "dat", "op", "te", "met", "voor", "niet", "zijn",
    "je", "jouw", "er", "ook", "als", "maar", "om", "aan", "bij", "of", "dan", "nog", "wel",
    "door", "over", "uit", "naar", "kan", "wat", "wordt", "hebben", "heeft", "veel", "meer", "zo",
    "hoe", "waar", "wanneer", "samen", "goed", "altijd", "vaak", "soms", "eerst", "daarna",
    "vooral", "echt", "even", "zelf", "elkaar", "andere", "deze", "die", "hun", "ons", "zij",
];

/// Content words (all ASCII, so they can also make slugs).
static WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| WORDS_TEXT.split_whitespace().collect());

const WORDS_TEXT: &str = "\
     kinderen kind ouders opvoeders school leerkracht gezin thuis telefoon smartphone \
     tablet laptop computer scherm schermtijd internet online app apps games gamen \
     spelletjes filmpjes video vloggen vlogger influencer sociale media berichten bericht \
     fotos chat chatten groepsapp vrienden vriendschap klasgenoten privacy gegevens \
     wachtwoord account instellingen veiligheid veilig risico afspraken afspraak regels \
     grenzen gesprek gesprekken praten luisteren vertrouwen zorgen gevoel gevoelens \
     pesten cyberpesten nepnieuws reclame aankopen geld abonnement leeftijd peuter \
     kleuter tiener jongeren puber basisschool brugklas slapen nachtrust avond ochtend \
     weekend vakantie hulp advies tips voorbeeld uitleg informatie onderzoek wet \
     toestemming melding platform websites zoeken delen liken volgen reageren plaatsen \
     downloaden installeren blokkeren melden bespreken uitleggen begeleiden helpen leren \
     ontdekken kiezen bepalen beschermen controleren instellen samenwerken verstandig \
     bewust belangrijk handig lastig moeilijk makkelijk duidelijk eerlijk leuk spannend \
     nieuwsgierig zelfstandig digitaal persoonlijk openbaar grootouders oppas opvoeding \
     mediawijsheid medewerker bibliotheek buurt sport muziek tekenen lezen buitenspelen \
     speelgoed beloning straf voorbeeldrol gewoontes tijdslimiet ouderlijk toezicht \
     filter locatie delen profiel volgers reacties berichtjes schoolplein huiswerk klas \
     mentor";

/// Words with a diacritic, only used in running text.
const ACCENTED: &[&str] = &[
    "privé",
    "één",
    "geïnteresseerd",
    "ideeën",
    "reünie",
    "café",
    "coördinatie",
    "financiële",
];

struct Taxon {
    slug: &'static str,
    label: &'static str,
}

#[rustfmt::skip]
const THEMES: &[Taxon] = &[
    Taxon { slug: "schermtijd", label: "Schermtijd" },
    Taxon { slug: "gamen", label: "Gamen" },
    Taxon { slug: "sociale-media", label: "Sociale media" },
    Taxon { slug: "privacy", label: "Privacy" },
    Taxon { slug: "cyberpesten", label: "Cyberpesten" },
    Taxon { slug: "vloggen-met-kinderen", label: "Vloggen met kinderen" },
    Taxon { slug: "nepnieuws", label: "Nepnieuws" },
    Taxon { slug: "online-aankopen", label: "Online aankopen" },
];

#[rustfmt::skip]
const AGES: &[Taxon] = &[
    Taxon { slug: "0-4", label: "0 tot 4 jaar" },
    Taxon { slug: "4-8", label: "4 tot 8 jaar" },
    Taxon { slug: "8-12", label: "8 tot 12 jaar" },
    Taxon { slug: "12-18", label: "12 tot 18 jaar" },
];

/// The sections: folder and title.
const SECTIONS: &[(&str, &str)] = &[
    ("schermtijd", "Schermtijd"),
    ("gamen", "Gamen"),
    ("sociale-media", "Sociale media"),
    ("privacy", "Privacy"),
    ("cyberpesten", "Cyberpesten"),
    ("vloggen", "Vloggen"),
    ("nepnieuws", "Nepnieuws"),
    ("online-aankopen", "Online aankopen"),
    ("mediawijsheid", "Mediawijsheid"),
    ("veiligheid", "Online veiligheid"),
];

/// What the bench needs to know about a generated site.
struct Site {
    wegwijs_root: PathBuf,
    hugo_root: PathBuf,
    /// Expected number of `index.html` files per tool.
    expect_wegwijs: usize,
    expect_hugo: usize,
    expect_floor: usize,
    /// How the expectation was made up, for error messages.
    breakdown: String,
    /// Megabytes of markdown.
    markdown_mb: f64,
}

struct PageMeta {
    section: usize,
    slug: String,
    title: String,
    theme: usize,
    age: usize,
}

impl PageMeta {
    fn url(&self) -> String {
        format!("/{}/{}/", SECTIONS[self.section].0, self.slug)
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn title_words(rng: &mut Rng, min: usize, max: usize) -> String {
    let n = rng.range(min, max);
    let mut words = Vec::with_capacity(n);
    for k in 0..n {
        // Mostly content words, with a function word in between now and then.
        let w = if k > 0 && k + 1 < n && rng.chance(30) {
            rng.pick(SMALL)
        } else {
            rng.pick(&WORDS)
        };
        words.push(w);
    }
    capitalise(&words.join(" "))
}

/// A plain sentence (no markdown), for descriptions: at most `max` characters.
fn plain_sentence(rng: &mut Rng, max: usize) -> String {
    let target = rng.range(max * 5 / 8, max - 1);
    let mut s = String::new();
    loop {
        let w = if rng.chance(45) {
            rng.pick(SMALL)
        } else {
            rng.pick(&WORDS)
        };
        let sep = if s.is_empty() {
            ""
        } else if rng.chance(8) {
            ", "
        } else {
            " "
        };
        if s.len() + sep.len() + w.len() + 1 > target {
            break;
        }
        s.push_str(sep);
        s.push_str(w);
    }
    s.push('.');
    capitalise(&s)
}

fn generate_metas(n: usize) -> Vec<PageMeta> {
    let slug_words: Vec<&str> = WORDS
        .iter()
        .copied()
        .filter(|w| w.bytes().all(|b| b.is_ascii_lowercase()))
        .collect();
    let mut rng = Rng::new(SEED);
    let combos = SECTIONS.len() * AGES.len();
    (0..n)
        .map(|i| {
            let section = i % SECTIONS.len();
            // The first pages cover every (section, age) pair, so every age-filtered
            // listing exists.
            let age = if i < combos {
                (i / SECTIONS.len()) % AGES.len()
            } else {
                rng.below(AGES.len())
            };
            // A section's pages share its theme, like the bundled site's hubs (so no
            // section gets a theme filter, which the Hugo layout does not build).
            let theme = section % THEMES.len();
            let slug = format!(
                "{}-{}-{}",
                rng.pick(&slug_words),
                rng.pick(&slug_words),
                i + 1
            );
            let title = title_words(&mut rng, 3, 7);
            PageMeta {
                section,
                slug,
                title,
                theme,
                age,
            }
        })
        .collect()
}

/// Writes running text for one paragraph or list item and counts its words.
struct Prose<'a> {
    rng: Rng,
    metas: &'a [PageMeta],
    words: usize,
}

impl Prose<'_> {
    fn word(&mut self) -> &'static str {
        let r = self.rng.below(100);
        if r < 42 {
            self.rng.pick(SMALL)
        } else if r < 43 {
            self.rng.pick(ACCENTED)
        } else {
            self.rng.pick(&WORDS)
        }
    }

    /// One sentence of `lo..=hi` words with inline markdown.
    fn sentence(&mut self, out: &mut String, lo: usize, hi: usize, links: bool) {
        let n = self.rng.range(lo, hi);
        let mut k = 0;
        while k < n {
            if k > 0 {
                out.push(' ');
            }
            let roll = self.rng.below(1000);
            let w = self.word();
            let w = if k == 0 { capitalise(w) } else { w.to_string() };
            match roll {
                0..=24 => {
                    let _ = write!(out, "*{w}*");
                }
                25..=39 => {
                    let w2 = self.word();
                    let _ = write!(out, "**{w} {w2}**");
                    k += 1;
                }
                40..=44 => {
                    let _ = write!(out, "~~{w}~~");
                }
                45..=64 if links && !self.metas.is_empty() => {
                    let target = &self.metas[self.rng.below(self.metas.len())];
                    let w2 = self.rng.pick(&WORDS);
                    let _ = write!(out, "[{w} {w2}]({})", target.url());
                    k += 1;
                }
                65..=72 => {
                    let w2 = self.word();
                    let _ = write!(out, "\"{w} {w2}\"");
                    k += 1;
                }
                73..=76 => {
                    let _ = write!(out, "{w} 's avonds");
                    k += 2;
                }
                77..=80 => {
                    let _ = write!(out, "{w} ({})", self.rng.pick(&WORDS));
                    k += 1;
                }
                _ => out.push_str(&w),
            }
            k += 1;
            if k < n && self.rng.chance(7) {
                out.push(',');
            }
        }
        self.words += n;
        out.push(if self.rng.chance(8) { '?' } else { '.' });
    }

    fn paragraph(&mut self, out: &mut String) {
        let sentences = self.rng.range(3, 6);
        for s in 0..sentences {
            if s > 0 {
                out.push(' ');
            }
            self.sentence(out, 6, 16, true);
        }
        out.push_str("\n\n");
    }

    fn heading(&mut self, out: &mut String, level: usize) {
        let t = title_words(&mut self.rng, 2, 6);
        self.words += t.split(' ').count();
        let q = if self.rng.chance(25) { "?" } else { "" };
        let _ = writeln!(out, "{} {t}{q}\n", "#".repeat(level));
    }

    fn list(&mut self, out: &mut String, numbered: bool) {
        let items = self.rng.range(3, 6);
        for i in 0..items {
            if numbered {
                let _ = write!(out, "{}. ", i + 1);
            } else {
                out.push_str("- ");
            }
            self.sentence(out, 4, 12, true);
            out.push('\n');
        }
        out.push('\n');
    }

    fn table(&mut self, out: &mut String) {
        out.push_str("| Leeftijd | Advies | Schermtijd per dag |\n| --- | --- | ---: |\n");
        for age in AGES {
            let advice = title_words(&mut self.rng, 3, 6);
            let minutes = 15 * self.rng.range(1, 12);
            let _ = writeln!(out, "| {} | {advice} | {minutes} minuten |", age.label);
            self.words += 6 + advice.split(' ').count();
        }
        out.push('\n');
    }
}

/// The markdown of page `i`, front matter included.
fn page_markdown(i: usize, metas: &[PageMeta]) -> String {
    let meta = &metas[i];
    let mut p = Prose {
        rng: Rng::new(SEED ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d)),
        metas,
        words: 0,
    };
    let description = plain_sentence(&mut p.rng, 160);
    let date = format!(
        "{}-{:02}-{:02}",
        p.rng.range(2019, 2025),
        p.rng.range(1, 12),
        p.rng.range(1, 28)
    );
    let mut out = String::with_capacity(6 * 1024);
    let _ = write!(
        out,
        "---\ntitle: {}\ndescription: {description}\ndate: {date}\nthemes: [{}]\nages: [{}]\n---\n\n",
        meta.title, THEMES[meta.theme].slug, AGES[meta.age].slug
    );
    let footnote = i % 7 == 3;
    // Intro.
    p.paragraph(&mut out);
    if footnote {
        // Put the reference at the end of the intro paragraph.
        out.truncate(out.trim_end().len());
        out.push_str("[^1]\n\n");
    }
    let mut block = 0;
    while p.words < 560 {
        p.heading(&mut out, 2);
        p.paragraph(&mut out);
        if block == 1 && i.is_multiple_of(10) {
            p.table(&mut out);
        }
        match p.rng.below(4) {
            0 => p.list(&mut out, false),
            1 => p.list(&mut out, true),
            _ => {}
        }
        if p.rng.chance(40) {
            p.heading(&mut out, 3);
            p.paragraph(&mut out);
        }
        if p.rng.chance(50) {
            p.paragraph(&mut out);
        }
        block += 1;
    }
    if footnote {
        out.push_str("[^1]: Bron: ");
        p.sentence(&mut out, 5, 10, false);
        out.push('\n');
    }
    out
}

/// The markdown of a section's `_index.md`, and its description.
fn section_markdown(title: &str, rng: &mut Rng) -> (String, String) {
    let description = plain_sentence(rng, 150);
    let mut p = Prose {
        rng: Rng::new(rng.next_u64()),
        metas: &[],
        words: 0,
    };
    let mut body = String::new();
    p.paragraph(&mut body);
    (
        format!("---\ntitle: {title}\ndescription: {description}\n---\n\n{body}"),
        description,
    )
}

const CSS: &str = r#":root {
  --tekst: #1d1d1b;
  --accent: #0b6e4f;
  --achtergrond: #fdfcf8;
  --rand: #d8d4c8;
}
* { box-sizing: border-box; }
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  line-height: 1.6;
  color: var(--tekst);
  background: var(--achtergrond);
}
a { color: var(--accent); }
.site-header, main, .site-footer { max-width: 48rem; margin: 0 auto; padding: 1rem; }
.site-header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: baseline; }
.site-header nav ul, .terms, .age-filter ul, .breadcrumbs ol {
  display: flex; flex-wrap: wrap; gap: .5rem 1rem; list-style: none; padding: 0; margin: 0;
}
[aria-current] { font-weight: 700; text-decoration: none; }
.lead { font-size: 1.2rem; }
.listing { list-style: none; padding: 0; }
.listing li { border-top: 1px solid var(--rand); padding: .5rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--rand); padding: .25rem .5rem; text-align: left; }
.site-footer { border-top: 1px solid var(--rand); font-size: .9rem; }
"#;

// --- wegwijs theme (Tera) ---------------------------------------------------

const W_BASE: &str = r#"<!doctype html>
<html lang="{{ site.language }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% if current_url == "/" %}{{ site.title }}{% else %}{{ page.title }} | {{ site.title }}{% endif %}</title>
<meta name="description" content="{{ page.description }}">
<link rel="canonical" href="{{ site.base_url }}{{ current_url }}">
<link rel="stylesheet" href="{{ asset(path="css/main.css") }}">
</head>
<body>
<header class="site-header">
<a class="brand" href="/">{{ site.title }}</a>
<nav aria-label="Hoofdmenu"><ul>
{% for item in menu %}<li><a href="{{ item.url }}"{% if item.url == current_url %} aria-current="page"{% endif %}>{{ item.title }}</a></li>
{% endfor %}</ul></nav>
</header>
<main id="inhoud">
{% block content %}{% endblock content %}
</main>
<footer class="site-footer">
<p>{{ site.description }}</p>
<ul class="terms">{% for t in taxonomies.themes %}<li><a href="{{ t.url }}">{{ t.label }}</a></li>{% endfor %}</ul>
</footer>
</body>
</html>
"#;

const W_CRUMBS: &str = r#"{% macro crumbs(items) %}<nav class="breadcrumbs" aria-label="Kruimelpad"><ol>{% for c in items %}<li><a href="{{ c.url }}">{{ c.title }}</a></li>{% endfor %}</ol></nav>{% endmacro crumbs %}
"#;

const W_INDEX: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ section.title }}</h1>
<p class="lead">{{ section.description }}</p>
{{ section.content | safe }}
<ul class="listing">
{% for s in section.subsections %}<li><a href="{{ s.url }}">{{ s.title }}</a><p>{{ s.description }}</p></li>
{% endfor %}{% for p in section.pages %}<li><a href="{{ p.url }}">{{ p.title }}</a><p>{{ p.description }}</p></li>
{% endfor %}</ul>
{% endblock content %}
"#;

const W_SECTION: &str = r#"{% extends "base.html" %}
{% import "macros.html" as m %}
{% block content %}
{{ m::crumbs(items=page.breadcrumbs) }}
<h1>{{ section.title }}</h1>
<p class="lead">{{ section.description }}</p>
{{ section.content | safe }}
<nav class="age-filter" aria-label="Leeftijd"><ul>
{% for a in age_filter %}<li><a href="{{ a.url }}"{% if a.current %} aria-current="page"{% endif %}>{{ a.label }}</a></li>{% endfor %}
</ul></nav>
<ul class="listing">
{% for s in section.subsections %}<li><a href="{{ s.url }}">{{ s.title }}</a><p>{{ s.description }}</p></li>
{% endfor %}{% for p in section.pages %}<li><a href="{{ p.url }}">{{ p.title }}</a><p>{{ p.description }}</p></li>
{% endfor %}</ul>
{% endblock content %}
"#;

const W_PAGE: &str = r#"{% extends "base.html" %}
{% import "macros.html" as m %}
{% block content %}
{{ m::crumbs(items=page.breadcrumbs) }}
<article>
<h1>{{ page.title }}</h1>
<p class="lead">{{ page.description }}</p>
{% if page.date %}<p class="meta"><time datetime="{{ page.date }}">{{ page.date }}</time></p>{% endif %}
{{ page.content | safe }}
<ul class="terms">{% for t in page.themes %}<li><a href="{{ t.url }}">{{ t.label }}</a></li>{% endfor %}{% for t in page.ages %}<li><a href="{{ t.url }}">{{ t.label }}</a></li>{% endfor %}</ul>
</article>
{% endblock content %}
"#;

const W_TAXONOMY: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ taxonomy.title }}</h1>
<ul class="listing">
{% for t in taxonomy.terms %}<li><a href="{{ t.url }}">{{ t.label }}</a> ({{ t.count }})</li>
{% endfor %}</ul>
{% endblock content %}
"#;

const W_TERM: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ term.label }}</h1>
<ul class="listing">
{% for p in term.pages %}<li><a href="{{ p.url }}">{{ p.title }}</a><p>{{ p.description }}</p></li>
{% endfor %}</ul>
{% endblock content %}
"#;

/// The search page of `--search`: the bundled theme's, without its stylesheet.
const W_SEARCH: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>Zoeken</h1>
<form id="zoeken" action="/zoeken/" method="get" role="search" data-index="{{ search.index }}">
<label for="zoekterm">Waar zoek je naar?</label>
<input id="zoekterm" name="q" type="search">
<button type="submit">Zoeken</button>
<div hidden>
<fieldset><legend>Thema</legend>
{%- for t in search.themes %}<label><input type="checkbox" name="thema" value="{{ t.slug }}"> {{ t.label }}</label>{% endfor %}
</fieldset>
<fieldset><legend>Leeftijd van je kind</legend>
{%- for a in search.ages %}<label><input type="checkbox" name="leeftijd" value="{{ a.slug }}"> {{ a.label }}</label>{% endfor %}
</fieldset>
</div>
</form>
<p>Zoeken werkt alleen met JavaScript. Kies hieronder een thema of een leeftijd, of zoek een pagina op van A tot Z.</p>
<p id="zoekstatus" role="status" aria-live="polite"></p>
<ol id="zoeklijst"></ol>
<h2>Op thema</h2>
<ul>{% for t in search.themes %}<li><a href="{{ t.url }}">{{ t.label }}</a> ({% if t.count == 1 %}1 pagina{% else %}{{ t.count }} pagina's{% endif %})</li>{% endfor %}</ul>
<h2>Op leeftijd</h2>
<ul>{% for a in search.ages %}<li><a href="{{ a.url }}">{{ a.label }}</a> ({% if a.count == 1 %}1 pagina{% else %}{{ a.count }} pagina's{% endif %})</li>{% endfor %}</ul>
<h2>Van A tot Z</h2>
<nav aria-label="Van A tot Z"><ul>{% for l in search.letters %}<li><a href="{{ l.url }}">{{ l.label }} <span>({% if l.count == 1 %}1 pagina{% else %}{{ l.count }} pagina's{% endif %})</span></a></li>{% endfor %}</ul></nav>
{% endblock content %}
"#;

/// A letter of the search page's A to Z in `--search`: the bundled theme's.
const W_SEARCH_LETTER: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>{{ page.title }}</h1>
<p>{{ page.description }} Zoek je iets anders? <a href="/zoeken/">Zoek op de hele site</a> of kies een andere letter.</p>
<nav aria-label="Van A tot Z"><ul>{% for l in search.letters %}<li><a href="{{ l.url }}"{% if l.url == current_url %} aria-current="page"{% endif %}>{{ l.label }} <span>({% if l.count == 1 %}1 pagina{% else %}{{ l.count }} pagina's{% endif %})</span></a></li>{% endfor %}</ul></nav>
<ul>{% for p in search.letter.pages %}<li><a href="{{ p.url }}">{{ p.title }}</a> <span>{{ p.kind_label }}</span></li>{% endfor %}</ul>
{% endblock content %}
"#;

const W_404: &str = r#"{% extends "base.html" %}
{% block content %}
<h1>Pagina niet gevonden</h1>
<p>Deze pagina bestaat niet (meer). Ga naar de <a href="/">voorpagina</a>.</p>
{% endblock content %}
"#;

// --- Hugo layout --------------------------------------------------------------

const H_BASEOF: &str = r#"<!doctype html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ .Site.Title }}{{ else }}{{ .Title }} | {{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Description }}{{ . }}{{ else }}{{ .Site.Params.description }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
{{ $css := resources.Get "css/main.css" | minify | fingerprint }}<link rel="stylesheet" href="{{ $css.RelPermalink }}">
</head>
<body>
<header class="site-header">
<a class="brand" href="/">{{ .Site.Title }}</a>
<nav aria-label="Hoofdmenu"><ul>
{{ $cur := .RelPermalink }}{{ range .Site.Menus.main }}<li><a href="{{ .URL }}"{{ if eq .URL $cur }} aria-current="page"{{ end }}>{{ .Name }}</a></li>
{{ end }}</ul></nav>
</header>
<main id="inhoud">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer">
<p>{{ .Site.Params.description }}</p>
<ul class="terms">{{ range .Site.Params.themes }}<li><a href="/themes/{{ .slug }}/">{{ .label }}</a></li>{{ end }}</ul>
</footer>
</body>
</html>
"#;

const H_CRUMBS: &str = r#"<nav class="breadcrumbs" aria-label="Kruimelpad"><ol>{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ol></nav>
"#;

const H_INDEX: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<p class="lead">{{ .Description }}</p>
{{ .Content }}
<ul class="listing">
{{ range .Sections.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Description }}</p></li>
{{ end }}{{ range .RegularPages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Description }}</p></li>
{{ end }}</ul>
{{ end }}
"#;

const H_LIST: &str = r#"{{ define "main" }}
{{ partial "crumbs.html" . }}
<h1>{{ .Title }}</h1>
<p class="lead">{{ .Description }}</p>
{{ .Content }}
<nav class="age-filter" aria-label="Leeftijd"><ul>
<li><a href="{{ .RelPermalink }}" aria-current="page">Alle leeftijden</a></li>{{ $sec := . }}{{ range .Site.Params.ages }}<li><a href="{{ $sec.RelPermalink }}leeftijd/{{ .slug }}/">{{ .label }}</a></li>{{ end }}
</ul></nav>
<ul class="listing">
{{ range .Sections.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Description }}</p></li>
{{ end }}{{ range .RegularPages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Description }}</p></li>
{{ end }}</ul>
{{ end }}
"#;

/// The age-filtered listing of a section (`/<section>/leeftijd/<age>/`), which
/// wegwijs builds for every section and age; Hugo gets a content file per listing.
const H_AGE_FILTER: &str = r#"{{ define "main" }}
{{ $sec := .Site.GetPage .Params.filter_section }}{{ $age := .Params.filter_age }}
{{ partial "crumbs.html" $sec }}
<h1>{{ $sec.Title }}</h1>
<p class="lead">{{ $sec.Description }}</p>
{{ $sec.Content }}
<nav class="age-filter" aria-label="Leeftijd"><ul>
<li><a href="{{ $sec.RelPermalink }}">Alle leeftijden</a></li>{{ range .Site.Params.ages }}<li><a href="{{ $sec.RelPermalink }}leeftijd/{{ .slug }}/"{{ if eq .slug $age }} aria-current="page"{{ end }}>{{ .label }}</a></li>{{ end }}
</ul></nav>
<ul class="listing">
{{ range $sec.Sections.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Description }}</p></li>
{{ end }}{{ range where $sec.RegularPages.ByTitle "Params.ages" "intersect" (slice $age) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Description }}</p></li>
{{ end }}</ul>
{{ end }}
"#;

const H_SINGLE: &str = r#"{{ define "main" }}
{{ partial "crumbs.html" . }}
<article>
<h1>{{ .Title }}</h1>
<p class="lead">{{ .Description }}</p>
{{ with .Date }}<p class="meta"><time datetime="{{ .Format "2006-01-02" }}">{{ .Format "2006-01-02" }}</time></p>{{ end }}
{{ .Content }}
<ul class="terms">{{ range .GetTerms "themes" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}{{ range .GetTerms "ages" }}<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>
</article>
{{ end }}
"#;

const H_TAXONOMY: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="listing">
{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>
{{ end }}</ul>
{{ end }}
"#;

const H_TERM: &str = r#"{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul class="listing">
{{ range .Pages.ByTitle }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a><p>{{ .Description }}</p></li>
{{ end }}</ul>
{{ end }}
"#;

const H_404: &str = r#"{{ define "main" }}
<h1>Pagina niet gevonden</h1>
<p>Deze pagina bestaat niet (meer). Ga naar de <a href="/">voorpagina</a>.</p>
{{ end }}
"#;

fn site_yaml() -> String {
    let mut s = format!(
        "title: {SITE_TITLE}\ndescription: {SITE_DESCRIPTION}\nbase_url: {BASE_URL}\n\
         language: nl\ntheme: bench\nmenu:\n"
    );
    for (dir, title) in SECTIONS.iter().take(6) {
        let _ = writeln!(s, "  - {{ title: {title}, url: /{dir}/ }}");
    }
    s.push_str("taxonomies:\n  themes:\n");
    for t in THEMES {
        let _ = writeln!(s, "    - {{ slug: {}, label: {} }}", t.slug, t.label);
    }
    s.push_str("  ages:\n");
    for t in AGES {
        let _ = writeln!(s, "    - {{ slug: {}, label: {} }}", t.slug, t.label);
    }
    s
}

fn hugo_toml() -> String {
    let mut s = format!(
        "baseURL = \"{BASE_URL}/\"\nlanguageCode = \"nl\"\ndefaultContentLanguage = \"nl\"\n\
         title = \"{SITE_TITLE}\"\n\
         # wegwijs builds no RSS; it does write a sitemap and a 404 page.\n\
         disableKinds = [\"RSS\"]\n\n\
         [taxonomies]\ntheme = \"themes\"\nage = \"ages\"\n\n\
         [params]\ndescription = \"{SITE_DESCRIPTION}\"\n"
    );
    for t in THEMES {
        let _ = write!(
            s,
            "\n[[params.themes]]\nslug = \"{}\"\nlabel = \"{}\"\n",
            t.slug, t.label
        );
    }
    for t in AGES {
        let _ = write!(
            s,
            "\n[[params.ages]]\nslug = \"{}\"\nlabel = \"{}\"\n",
            t.slug, t.label
        );
    }
    for (k, (dir, title)) in SECTIONS.iter().take(6).enumerate() {
        let _ = write!(
            s,
            "\n[[menu.main]]\nname = \"{title}\"\nurl = \"/{dir}/\"\nweight = {}\n",
            k + 1
        );
    }
    s
}

/// Writes both sites under `dir` and returns what the bench must expect.
fn generate(n: usize, dir: &Path) -> Res<Site> {
    let min = SECTIONS.len() * AGES.len();
    if n < min {
        return Err(format!(
            "at least {min} pages are needed (every section needs every age)"
        ));
    }
    let w = dir.join("wegwijs");
    let h = dir.join("hugo");
    remove_dir(&w)?;
    remove_dir(&h)?;
    let metas = generate_metas(n);

    // Site configuration and theme / layout.
    write(&w.join("content/site.yaml"), &site_yaml())?;
    let theme = w.join("themes/bench");
    write(&theme.join("css/main.css"), CSS)?;
    for (name, text) in [
        ("base.html", W_BASE),
        ("macros.html", W_CRUMBS),
        ("index.html", W_INDEX),
        ("section.html", W_SECTION),
        ("page.html", W_PAGE),
        ("taxonomy.html", W_TAXONOMY),
        ("term.html", W_TERM),
        ("404.html", W_404),
    ] {
        write(&theme.join("templates").join(name), text)?;
    }
    mkdir(&theme.join("static"))?;

    write(&h.join("hugo.toml"), &hugo_toml())?;
    write(&h.join("assets/css/main.css"), CSS)?;
    for (name, text) in [
        ("_default/baseof.html", H_BASEOF),
        ("partials/crumbs.html", H_CRUMBS),
        ("index.html", H_INDEX),
        ("_default/list.html", H_LIST),
        ("_default/single.html", H_SINGLE),
        ("_default/taxonomy.html", H_TAXONOMY),
        ("_default/term.html", H_TERM),
        ("leeftijdfilter/single.html", H_AGE_FILTER),
        ("404.html", H_404),
    ] {
        write(&h.join("layouts").join(name), text)?;
    }

    // Home and sections: the same files for both.
    let mut rng = Rng::new(SEED ^ 0xface);
    let mut bytes = 0usize;
    let (home, _) = section_markdown(SITE_TITLE, &mut rng);
    for root in [&w, &h] {
        write(&root.join("content/_index.md"), &home)?;
    }
    bytes += home.len();
    let mut section_descriptions = Vec::new();
    for (dir, title) in SECTIONS {
        let (text, description) = section_markdown(title, &mut rng);
        section_descriptions.push(description);
        bytes += text.len();
        for root in [&w, &h] {
            write(&root.join("content").join(dir).join("_index.md"), &text)?;
        }
    }

    // Hugo only: term titles (wegwijs takes its labels from site.yaml) and one
    // content file per age-filtered section listing (wegwijs derives those).
    for (taxonomy, title, terms) in [("themes", "Thema's", THEMES), ("ages", "Leeftijden", AGES)] {
        let base = h.join("content").join(taxonomy);
        write(
            &base.join("_index.md"),
            &format!("---\ntitle: \"{title}\"\n---\n"),
        )?;
        for t in terms {
            write(
                &base.join(t.slug).join("_index.md"),
                &format!("---\ntitle: {}\n---\n", t.label),
            )?;
        }
    }
    let mut section_ages = BTreeSet::new();
    for m in &metas {
        section_ages.insert((m.section, m.age));
    }
    for &(section, age) in &section_ages {
        let (dir, title) = SECTIONS[section];
        let slug = AGES[age].slug;
        write(
            &h.join("content")
                .join(dir)
                .join("leeftijd")
                .join(format!("{slug}.md")),
            &format!(
                "---\ntitle: {title}\ndescription: {}\ntype: leeftijdfilter\n\
                 filter_section: /{dir}\n\
                 filter_age: \"{slug}\"\n_build:\n  list: never\n---\n",
                section_descriptions[section]
            ),
        )?;
    }

    // Pages, in parallel: the same file for both.
    bytes += (0..n)
        .into_par_iter()
        .map(|i| -> Res<usize> {
            let text = page_markdown(i, &metas);
            let m = &metas[i];
            let rel = Path::new("content")
                .join(SECTIONS[m.section].0)
                .join(format!("{}.md", m.slug));
            write(&w.join(&rel), &text)?;
            write(&h.join(&rel), &text)?;
            Ok(text.len())
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;

    let themes: BTreeSet<usize> = metas.iter().map(|m| m.theme).collect();
    let ages: BTreeSet<usize> = metas.iter().map(|m| m.age).collect();
    let sections = SECTIONS.len();
    let common = n + sections + 1 + section_ages.len() + 2 + themes.len() + ages.len();
    let breakdown = format!(
        "{n} pages + {sections} sections + home + {} age-filtered section listings + \
         2 taxonomy lists + {} terms (floor: pages + sections + home = {})",
        section_ages.len(),
        themes.len() + ages.len(),
        n + sections + 1
    );
    Ok(Site {
        wegwijs_root: w,
        hugo_root: h,
        expect_wegwijs: common,
        expect_hugo: common,
        expect_floor: n + sections + 1,
        breakdown,
        markdown_mb: bytes as f64 / 1e6,
    })
}

/// Give the generated wegwijs site at `root` the bundled theme's social image
/// template and fonts, and each section its pages' theme, so the home page and
/// the ten hubs get a social image (`--social`).
fn add_social(root: &Path) -> Res<()> {
    let bundled = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/jouwkindonline");
    let theme = root.join("themes/bench");
    let read = |path: &Path| fs::read(path).map_err(|e| format!("reading {}: {e}", path.display()));
    let copy = |rel: &str| -> Res<()> {
        let to = theme.join(rel);
        mkdir(to.parent().unwrap_or(&theme))?;
        fs::write(&to, read(&bundled.join(rel))?)
            .map_err(|e| format!("writing {}: {e}", to.display()))
    };
    copy("social/card.svg")?;
    for entry in fs::read_dir(bundled.join("fonts")).map_err(|e| format!("fonts: {e}"))? {
        let name = entry.map_err(|e| format!("fonts: {e}"))?.file_name();
        copy(&format!("fonts/{}", name.to_string_lossy()))?;
    }
    for (i, (dir, _)) in SECTIONS.iter().enumerate() {
        let path = root.join("content").join(dir).join("_index.md");
        let text = String::from_utf8_lossy(&read(&path)?).into_owned();
        let theme = THEMES[i % THEMES.len()].slug;
        let text = text.replacen("---\n", &format!("---\nthemes: [{theme}]\n"), 1);
        write(&path, &text)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The floor: markdown to HTML, nothing else
// ---------------------------------------------------------------------------

fn floor(src: &Path, out: &Path) -> Res<()> {
    let mut files = Vec::new();
    for entry in WalkDir::new(src) {
        let entry = entry.map_err(|e| format!("walking {}: {e}", src.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "md") {
            files.push(entry.into_path());
        }
    }
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SMART_PUNCTUATION;
    files.par_iter().try_for_each(|file| -> Res<()> {
        let text = read(file)?;
        let body = strip_front_matter(&text);
        let mut html_out = String::with_capacity(body.len() * 3 / 2);
        html::push_html(&mut html_out, Parser::new_ext(body, options));
        let rel = file
            .strip_prefix(src)
            .map_err(|e| format!("{} is not under {}: {e}", file.display(), src.display()))?;
        let dir = if rel.file_name().is_some_and(|n| n == "_index.md") {
            rel.parent().map(Path::to_path_buf).unwrap_or_default()
        } else {
            rel.with_extension("")
        };
        write(&out.join(dir).join("index.html"), &html_out)
    })
}

fn strip_front_matter(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(end) => &rest[end + 5..],
        None => text,
    }
}

// ---------------------------------------------------------------------------
// Measuring
// ---------------------------------------------------------------------------

struct Measured {
    secs: f64,
    peak_kb: u64,
    /// wegwijs's `--timings` line, when it printed one.
    stages: Option<String>,
}

/// Runs `program args` under `/usr/bin/time`, checks its exit status and the
/// number of `index.html` files it wrote to `out`.
fn measure(
    tool: Tool,
    program: &Path,
    args: &[OsString],
    out: &Path,
    expected: usize,
    scratch: &Path,
) -> Res<Measured> {
    let time_file = scratch.join(format!("{}.time", tool.name()));
    let log_file = scratch.join(format!("{}.log", tool.name()));
    let log =
        fs::File::create(&log_file).map_err(|e| format!("creating {}: {e}", log_file.display()))?;
    let log2 = log
        .try_clone()
        .map_err(|e| format!("duplicating {}: {e}", log_file.display()))?;
    let start = Instant::now();
    let status = Command::new(TIME)
        .arg("-f")
        .arg("%e %M")
        .arg("-o")
        .arg(&time_file)
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log2)
        .status()
        .map_err(|e| format!("starting {TIME} {}: {e}", program.display()))?;
    let secs = start.elapsed().as_secs_f64();
    let log_text = fs::read_to_string(&log_file).unwrap_or_default();
    if !status.success() {
        // `time` reports a command it cannot start in its own output file.
        let time_text = fs::read_to_string(&time_file).unwrap_or_default();
        let all = format!("{log_text}{time_text}");
        let tail: Vec<&str> = all.lines().rev().take(15).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(format!(
            "{} exited with {status}:\n    {}",
            tool.name(),
            tail.join("\n    ")
        ));
    }
    let time_text = read(&time_file)?;
    let peak_kb = time_text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|m| m.parse::<u64>().ok())
        .ok_or_else(|| format!("cannot read the peak memory from {TIME}: {time_text:?}"))?;
    // `check` writes nothing.
    if tool == Tool::Check {
        return Ok(Measured {
            secs,
            peak_kb,
            stages: None,
        });
    }
    if !out.is_dir() {
        return Err(format!(
            "{} exited successfully but did not create {}",
            tool.name(),
            out.display()
        ));
    }
    let found = count_index_html(out)?;
    if found != expected {
        return Err(format!(
            "{} wrote {found} index.html files to {}, expected {expected}",
            tool.name(),
            out.display()
        ));
    }
    let stages = log_text
        .lines()
        .find_map(|l| l.strip_prefix("stages: "))
        .map(str::to_string);
    Ok(Measured {
        secs,
        peak_kb,
        stages,
    })
}

fn count_index_html(dir: &Path) -> Res<usize> {
    let mut n = 0;
    for entry in WalkDir::new(dir) {
        let entry = entry.map_err(|e| format!("walking {}: {e}", dir.display()))?;
        if entry.file_type().is_file() && entry.file_name() == "index.html" {
            n += 1;
        }
    }
    Ok(n)
}

/// The wegwijs binary: `--wegwijs`, the one cargo built for this bench, or
/// `target/release/wegwijs`.
fn wegwijs_binary(explicit: Option<&Path>) -> Res<PathBuf> {
    if let Some(p) = explicit {
        return if p.is_file() {
            Ok(p.to_path_buf())
        } else {
            Err(format!("--wegwijs {}: no such file", p.display()))
        };
    }
    if let Some(p) = option_env!("CARGO_BIN_EXE_wegwijs") {
        return Ok(PathBuf::from(p));
    }
    // The bench runs from target/release/deps/.
    let mut candidates = Vec::new();
    if let Ok(exe) = std::env::current_exe()
        && let Some(release) = exe.parent().and_then(Path::parent)
    {
        candidates.push(release.join("wegwijs"));
    }
    candidates.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/wegwijs"));
    candidates.into_iter().find(|p| p.is_file()).ok_or_else(|| {
        "no wegwijs binary: the crate has no `wegwijs` binary target yet \
             (run `cargo build --release` or pass --wegwijs PATH)"
            .to_string()
    })
}

/// The results for one site size.
struct NResult {
    pages: usize,
    cells: Vec<Cell>,
    breakdown: String,
    /// The 1-minute load average before and after the runs.
    load: (Option<f64>, Option<f64>),
}

struct Cell {
    tool: Tool,
    times: Vec<f64>,
    peaks_kb: Vec<u64>,
    errors: Vec<String>,
}

impl Cell {
    fn median_secs(&self) -> Option<f64> {
        let mut t = self.times.clone();
        if t.is_empty() {
            return None;
        }
        t.sort_by(f64::total_cmp);
        let mid = t.len() / 2;
        Some(if !t.len().is_multiple_of(2) {
            t[mid]
        } else {
            (t[mid - 1] + t[mid]) / 2.0
        })
    }

    fn peak_mb(&self) -> Option<f64> {
        self.peaks_kb.iter().max().map(|kb| *kb as f64 / 1024.0)
    }
}

/// The check stage alone, per page count: load each generated site (with
/// `related` links and aliases added), then time `check::check` `runs` times.
fn check_stage(args: &BenchArgs) -> Res<()> {
    let parent = args.dir.clone().unwrap_or_else(default_dir);
    let temp = tempfile::Builder::new()
        .prefix("wegwijs-check-")
        .tempdir_in(&parent)
        .map_err(|e| {
            format!(
                "creating a temporary directory in {}: {e}",
                parent.display()
            )
        })?;
    println!("| pages | check stage, median ms | µs per page | per page vs the first |");
    println!("|---:|---:|---:|---:|");
    let mut first_per_page = None;
    for &n in &args.pages {
        let site_dir = temp.path().join(format!("site-{n}"));
        let site = generate(n, &site_dir)?;
        add_links(n, &site.wegwijs_root)?;
        let options = wegwijs::BuildOptions {
            root: site.wegwijs_root.clone(),
            drafts: false,
            now: wegwijs::date::Date::parse("2026-11-23")?,
            base_url: None,
            noindex: false,
        };
        let loaded = wegwijs::site::load(&options)
            .map_err(|problems| format!("the generated site does not load: {}", problems.len()))?;
        let mut times = Vec::with_capacity(args.runs);
        for _ in 0..args.runs {
            let started = Instant::now();
            let problems = wegwijs::check::check(&loaded);
            times.push(started.elapsed().as_secs_f64());
            if let Some(error) = problems.iter().find(|d| d.is_error()) {
                return Err(format!("the generated site has errors: {error}"));
            }
        }
        times.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let per_page = median * 1e6 / n as f64;
        let growth = per_page / *first_per_page.get_or_insert(per_page);
        println!(
            "| {n} | {:.2} | {per_page:.2} | {growth:.2}× |",
            median * 1e3
        );
    }
    Ok(())
}

/// Give every page of the generated wegwijs site two `related` links (the next
/// page and the one halfway round) and an alias, so the check stage looks up
/// three URLs per page.
fn add_links(n: usize, root: &Path) -> Res<()> {
    let metas = generate_metas(n);
    for (i, meta) in metas.iter().enumerate() {
        let file = root
            .join("content")
            .join(SECTIONS[meta.section].0)
            .join(format!("{}.md", meta.slug));
        let text = read(&file)?;
        let Some(rest) = text.strip_prefix("---\n") else {
            return Err(format!("{} has no front matter", file.display()));
        };
        let related = format!(
            "related: [\"{}\", \"{}\"]\naliases: [/oud/{}/]\n",
            metas[(i + 1) % n].url(),
            metas[(i + n / 2) % n].url(),
            i
        );
        write(&file, &format!("---\n{related}{rest}"))?;
    }
    Ok(())
}

fn bench(args: &BenchArgs) -> Res<()> {
    let me = std::env::current_exe().map_err(|e| format!("locating the bench executable: {e}"))?;
    let wegwijs = if args.tools.contains(&Tool::Wegwijs) || args.tools.contains(&Tool::Check) {
        match wegwijs_binary(args.wegwijs.as_deref()) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("build bench: wegwijs is skipped: {e}");
                None
            }
        }
    } else {
        None
    };
    if !Path::new(TIME).is_file() {
        return Err(format!(
            "{TIME} is missing (Debian package `time`); it measures peak memory"
        ));
    }
    if args.tools.contains(&Tool::Hugo) && command_line(HUGO, &["version"]).is_none() {
        return Err(format!(
            "`{HUGO} version` does not run: install Hugo (Debian package `hugo`) \
             or leave it out with --tools wegwijs,floor"
        ));
    }
    if let Some((load, cpus)) = load_average().zip(std::thread::available_parallelism().ok())
        && load > cpus.get() as f64 / 2.0
    {
        eprintln!(
            "build bench: warning: the load average is {load:.2} on {cpus} CPUs; \
             other work on this machine will slow the builds down"
        );
    }

    if args.ext4 {
        return ext4::bench(args, wegwijs.as_deref());
    }
    let parent = args.dir.clone().unwrap_or_else(default_dir);
    let temp = tempfile::Builder::new()
        .prefix("wegwijs-bench-")
        .tempdir_in(&parent)
        .map_err(|e| {
            format!(
                "creating a temporary directory in {}: {e}",
                parent.display()
            )
        })?;
    let base = temp.path().to_path_buf();
    let mut results: Vec<NResult> = Vec::new();

    for &n in &args.pages {
        let site_dir = base.join(format!("site-{n}"));
        eprintln!(
            "build bench: generating {n} pages in {}",
            site_dir.display()
        );
        let site = generate(n, &site_dir)?;
        if args.social {
            add_social(&site.wegwijs_root)?;
        }
        eprintln!(
            "build bench: {:.1} MB of markdown; expecting {} ({})",
            site.markdown_mb, site.expect_wegwijs, site.breakdown
        );
        let load_before = load_average();
        let scratch = site_dir.join("scratch");
        mkdir(&scratch)?;
        let mut cells: Vec<Cell> = args
            .tools
            .iter()
            .map(|&tool| Cell {
                tool,
                times: Vec::new(),
                peaks_kb: Vec::new(),
                errors: Vec::new(),
            })
            .collect();
        // Run 0 is an untimed warm-up (binaries and sites into the page cache).
        for run in 0..=args.runs {
            let label = if run == 0 {
                "warm-up".to_string()
            } else {
                format!("run {run}/{}", args.runs)
            };
            for cell in &mut cells {
                let out = site_dir.join(format!("out-{}", cell.tool.name().to_lowercase()));
                remove_dir(&out)?;
                let result = match cell.tool {
                    Tool::Wegwijs => match &wegwijs {
                        None => Err("no wegwijs binary".to_string()),
                        Some(bin) => measure(
                            Tool::Wegwijs,
                            bin,
                            &[
                                "build".into(),
                                "--root".into(),
                                site.wegwijs_root.clone().into(),
                                "--output".into(),
                                out.clone().into(),
                            ],
                            &out,
                            site.expect_wegwijs,
                            &scratch,
                        ),
                    },
                    Tool::Hugo => {
                        // No cached resources from the previous run.
                        remove_dir(&site.hugo_root.join("resources"))?;
                        measure(
                            Tool::Hugo,
                            Path::new(HUGO),
                            &[
                                "--minify".into(),
                                "--quiet".into(),
                                "-s".into(),
                                site.hugo_root.clone().into(),
                                "-d".into(),
                                out.clone().into(),
                            ],
                            &out,
                            site.expect_hugo,
                            &scratch,
                        )
                    }
                    Tool::Check => match &wegwijs {
                        None => Err("no wegwijs binary".to_string()),
                        Some(bin) => measure(
                            Tool::Check,
                            bin,
                            &[
                                "check".into(),
                                "--root".into(),
                                site.wegwijs_root.clone().into(),
                            ],
                            &out,
                            0,
                            &scratch,
                        ),
                    },
                    Tool::Floor => measure(
                        Tool::Floor,
                        &me,
                        &[
                            "--floor".into(),
                            site.wegwijs_root.join("content").into(),
                            out.clone().into(),
                        ],
                        &out,
                        site.expect_floor,
                        &scratch,
                    ),
                };
                match result {
                    Ok(m) => {
                        eprintln!(
                            "build bench: N={n} {label:<9} {:<8} {:>7.3} s {:>7.1} MB",
                            cell.tool.name(),
                            m.secs,
                            m.peak_kb as f64 / 1024.0
                        );
                        if run > 0 {
                            cell.times.push(m.secs);
                            cell.peaks_kb.push(m.peak_kb);
                        }
                    }
                    // Only wegwijs may fail without stopping the bench: it is
                    // the thing under test; Hugo and the floor must work.
                    Err(e) if matches!(cell.tool, Tool::Wegwijs | Tool::Check) => {
                        eprintln!("build bench: N={n} {label} wegwijs FAILED: {e}");
                        if run > 0 {
                            cell.errors.push(e);
                        }
                    }
                    Err(e) => return Err(e),
                }
                remove_dir(&out)?;
            }
        }
        results.push(NResult {
            pages: n,
            cells,
            breakdown: site.breakdown,
            load: (load_before, load_average()),
        });
    }

    print_report(args, &results, &base);
    if args.keep {
        let kept = temp.keep();
        eprintln!("build bench: kept the sites in {}", kept.display());
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------

fn command_line(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn cpu_model() -> String {
    fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into())
}

fn memory_total() -> String {
    fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map(|kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0))
        .unwrap_or_else(|| "unknown".into())
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}×", a / b),
        _ => "–".into(),
    }
}

/// The file system type and free bytes of `dir`, from `df`.
fn file_system(dir: &Path) -> Option<(String, u64)> {
    let text = command_line(
        "df",
        &["--output=fstype,avail", "-B1", &dir.to_string_lossy()],
    )?;
    let mut fields = text.lines().nth(1)?.split_whitespace();
    let fs_type = fields.next()?.to_string();
    let avail = fields.next()?.parse().ok()?;
    Some((fs_type, avail))
}

/// `/dev/shm` if it is a tmpfs with room for the 10,000-page sites and outputs,
/// else the temporary directory.
fn default_dir() -> PathBuf {
    let shm = Path::new("/dev/shm");
    match file_system(shm) {
        Some((fs_type, avail)) if fs_type == "tmpfs" && avail >= 2_000_000_000 => shm.into(),
        _ => std::env::temp_dir(),
    }
}

fn load_average() -> Option<f64> {
    fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn print_report(args: &BenchArgs, results: &[NResult], dir: &Path) {
    let hugo = command_line(HUGO, &["version"]).unwrap_or_else(|| "hugo: not found".into());
    let nproc = command_line("nproc", &[])
        .or_else(|| {
            std::thread::available_parallelism()
                .ok()
                .map(|n| n.to_string())
        })
        .unwrap_or_else(|| "?".into());
    let mut s = String::new();
    let _ = writeln!(s, "\n## Build benchmark\n");
    let _ = writeln!(
        s,
        "Median wall time of {} run(s) after one untimed warm-up; peak memory is the highest peak resident set \
         of those runs (`/usr/bin/time %M`). The floor reads every markdown file, \
         renders it with pulldown-cmark (in parallel) and writes it: no templates, \
         no minification.\n",
        args.runs
    );
    let _ = writeln!(
        s,
        "| pages | tool | median s | peak MB | wegwijs/Hugo time | wegwijs/Hugo memory | wegwijs/floor time |"
    );
    let _ = writeln!(s, "|---:|---|---:|---:|---:|---:|---:|");
    let mut failures = Vec::new();
    for r in results {
        let (n, cells) = (r.pages, &r.cells);
        let find = |t: Tool| cells.iter().find(|c| c.tool == t);
        let secs = |t: Tool| find(t).and_then(Cell::median_secs);
        let mb = |t: Tool| find(t).and_then(Cell::peak_mb);
        for cell in cells {
            let (time, mem) = match (cell.median_secs(), cell.peak_mb()) {
                (Some(t), Some(m)) => (format!("{t:.2}"), format!("{m:.0}")),
                _ => ("failed".into(), "–".into()),
            };
            let ratios = if cell.tool == Tool::Wegwijs {
                format!(
                    "{} | {} | {}",
                    ratio(secs(Tool::Wegwijs), secs(Tool::Hugo)),
                    ratio(mb(Tool::Wegwijs), mb(Tool::Hugo)),
                    ratio(secs(Tool::Wegwijs), secs(Tool::Floor))
                )
            } else if cell.tool == Tool::Check {
                // check against a build: the target is at most 1.5×.
                format!(
                    " | | check/build {}",
                    ratio(secs(Tool::Check), secs(Tool::Wegwijs))
                )
            } else {
                " | | ".into()
            };
            let _ = writeln!(
                s,
                "| {n} | {} | {time} | {mem} | {ratios} |",
                cell.tool.name()
            );
            if let Some(first) = cell.errors.first() {
                failures.push(format!(
                    "N={n}: {} of {} {} runs failed; first error: {first}",
                    cell.errors.len(),
                    args.runs,
                    cell.tool.name()
                ));
            }
        }
    }
    let _ = writeln!(s);
    let fs_type = file_system(dir).map_or_else(|| "unknown".into(), |(t, _)| t);
    let _ = writeln!(
        s,
        "Machine: {} ({} CPUs by `nproc`), {} memory; {}. Sites and outputs on {} ({}).",
        cpu_model(),
        nproc,
        memory_total(),
        hugo,
        fs_type,
        dir.parent().unwrap_or(dir).display()
    );
    for r in results {
        let load = |l: Option<f64>| l.map_or_else(|| "?".into(), |l| format!("{l:.2}"));
        let _ = writeln!(
            s,
            "\nN={}: index.html files: {}. Load average {} before, {} after.",
            r.pages,
            r.breakdown,
            load(r.load.0),
            load(r.load.1)
        );
    }
    if !failures.is_empty() {
        let _ = writeln!(s, "\nFailures:\n");
        for f in failures {
            let _ = writeln!(s, "- {}", f.replace('\n', "\n  "));
        }
    }
    println!("{s}");
}

/// `--search`: what the site search costs at each size. Builds the generated
/// site without a search page (wegwijs then makes no index) and with one (the
/// page, its A to Z and its index), one after the other, `runs` times each after a
/// warm-up, and reports the medians: build time added is their difference
/// against the build without. The CPU time each build used (user and system,
/// all threads) is reported the same way: on a busy machine a steadier figure
/// of what search costs than wall time. The `search` stage (`--timings`) is printed too;
/// it overlaps the templates, so it is the index's own time, not what it adds.
/// Then, on the index built, runs a few queries as the page script would
/// (`wegwijs::search::query`, the same ranking) and adds up the gzipped size
/// of every file a first query loads: the search page itself, the script, the
/// index's entry file, the shards of its words, the page data of the first 20
/// results.
fn search_bench(args: &BenchArgs) -> Res<()> {
    use std::cell::RefCell;
    let wegwijs = wegwijs_binary(args.wegwijs.as_deref())?;
    let parent = args.dir.clone().unwrap_or_else(default_dir);
    let temp = tempfile::Builder::new()
        .prefix("wegwijs-search-bench-")
        .tempdir_in(&parent)
        .map_err(|e| {
            format!(
                "creating a temporary directory in {}: {e}",
                parent.display()
            )
        })?;
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/jouwkindonline/js/zoeken.js");
    let script_gz =
        gzip_size(&fs::read(&script).map_err(|e| format!("{}: {e}", script.display()))?)?;
    println!(
        "| pages | build ms without search / with (median) | added | CPU ms without / with (added) | search stage ms | query | files | first-query KB (gzip) |"
    );
    println!("|---:|---:|---:|---:|---:|---|---:|---:|");
    for &n in &args.pages {
        let dir = temp.path().join(format!("site-{n}"));
        let site = generate(n, &dir)?;
        let templates = site.wegwijs_root.join("themes/bench/templates");
        let pages = [
            (templates.join("search.html"), W_SEARCH),
            (templates.join("search-letter.html"), W_SEARCH_LETTER),
        ];
        let out = dir.join("out");
        let plain_out = dir.join("out-without");
        let (mut with, mut without, mut stages) = (Vec::new(), Vec::new(), Vec::new());
        let (mut cpu_with, mut cpu_without) = (Vec::new(), Vec::new());
        for run in 0..=args.runs {
            for search in [false, true] {
                for (path, template) in &pages {
                    if search {
                        write(path, template)?;
                    } else if path.exists() {
                        fs::remove_file(path).map_err(|e| format!("{}: {e}", path.display()))?;
                    }
                }
                let log = timed_build(
                    &wegwijs,
                    &site.wegwijs_root,
                    if search { &out } else { &plain_out },
                )?;
                let total = log
                    .total
                    .ok_or_else(|| format!("no build time in {:?}", log.text))?;
                if run == 0 {
                    continue;
                }
                let cpu = if search {
                    &mut cpu_with
                } else {
                    &mut cpu_without
                };
                cpu.extend(log.cpu);
                if search {
                    with.push(total);
                    stages.push(
                        log.stage("search")
                            .ok_or_else(|| format!("no search stage in {:?}", log.text))?,
                    );
                } else {
                    without.push(total);
                }
            }
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        let (with, without, stage) = (median(&mut with), median(&mut without), median(&mut stages));
        let cpu_added = if cpu_with.is_empty() || cpu_without.is_empty() {
            "?".to_string()
        } else {
            let (w, wo) = (median(&mut cpu_with), median(&mut cpu_without));
            format!("{wo:.0} / {w:.0} ({:.1}%)", 100.0 * (w - wo) / wo)
        };
        let meta = fs::read_dir(out.join("js/zoeken"))
            .map_err(|e| format!("no search index in {}: {e}", out.display()))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .find(|f| f.starts_with("meta."))
            .ok_or("no meta file")?;
        let page_html = out.join("zoeken/index.html");
        let page_gz =
            gzip_size(&fs::read(&page_html).map_err(|e| format!("{}: {e}", page_html.display()))?)?;
        for query in [
            "schermtijd",
            "kinderen telefoon",
            "privacy gegevens delen",
            "schermtjid",
        ] {
            let fetched = RefCell::new(Vec::new());
            let fetch = |url: &str| {
                fetched.borrow_mut().push(url.to_string());
                fs::read_to_string(out.join(url.trim_start_matches('/'))).ok()
            };
            let mut searcher =
                wegwijs::search::query::Searcher::open(&format!("/js/zoeken/{meta}"), fetch)
                    .ok_or("cannot open the index")?;
            let found = searcher.search(query, &Default::default(), 20);
            drop(searcher);
            let mut bytes = script_gz + page_gz;
            let files = fetched.borrow();
            for url in files.iter() {
                bytes += gzip_size(
                    &fs::read(out.join(url.trim_start_matches('/'))).map_err(|e| e.to_string())?,
                )?;
            }
            println!(
                "| {n} | {without:.0} / {with:.0} | {:.1}% | {cpu_added} | {stage:.0} | `{query}` ({} found) | {} | {:.1} |",
                100.0 * (with - without) / without,
                found.total,
                files.len() + 2,
                bytes as f64 / 1024.0
            );
        }
    }
    Ok(())
}

/// What `wegwijs build --timings` said.
struct BuildLog {
    text: String,
    /// The whole build, ms.
    total: Option<f64>,
    /// CPU time the build used (user and system, all threads), ms; `None`
    /// where `/proc` cannot tell.
    cpu: Option<f64>,
}

impl BuildLog {
    /// A stage's time, ms.
    fn stage(&self, name: &str) -> Option<f64> {
        let marker = format!(" {name} ");
        let at = self.text.find(&marker)? + marker.len();
        self.text[at..].split_whitespace().next()?.parse().ok()
    }
}

/// Build `root` into `out` with `--timings`.
fn timed_build(wegwijs: &Path, root: &Path, out: &Path) -> Res<BuildLog> {
    let before = children_cpu_ms();
    let output = Command::new(wegwijs)
        .args(["build", "--timings", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .map_err(|e| format!("running {}: {e}", wegwijs.display()))?;
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    if !output.status.success() {
        return Err(format!("wegwijs build failed:\n{text}"));
    }
    let total = text
        .find(" ms\n")
        .and_then(|at| text[..at].split_whitespace().last()?.parse().ok());
    let cpu = children_cpu_ms()
        .zip(before)
        .map(|(after, before)| after - before);
    Ok(BuildLog { text, total, cpu })
}

/// The CPU time (user and system) of this process's waited-for children so
/// far, ms: `cutime` and `cstime` of `/proc/self/stat`, in clock ticks of
/// 10 ms (Linux's `USER_HZ` on every common architecture).
fn children_cpu_ms() -> Option<f64> {
    let stat = fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses and may hold spaces.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    // `cutime` and `cstime` are fields 16 and 17 of the line, the 14th and 15th after the name.
    let ticks = |k: usize| fields.get(k)?.parse::<f64>().ok();
    Some((ticks(13)? + ticks(14)?) * 10.0)
}

/// The size of `bytes` after `gzip -9`, as a server would send them.
fn gzip_size(bytes: &[u8]) -> Res<usize> {
    use std::io::Write as _;
    let mut child = Command::new("gzip")
        .arg("-9c")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("gzip: {e}"))?;
    child
        .stdin
        .take()
        .ok_or("gzip stdin")?
        .write_all(bytes)
        .map_err(|e| format!("gzip: {e}"))?;
    let out = child.wait_with_output().map_err(|e| format!("gzip: {e}"))?;
    Ok(out.stdout.len())
}
