//! The real-disk mode (`--ext4`): wegwijs with the bundled `jouwkindonline` theme
//! and Hugo, side by side, each run on a new ext4 file system.
//!
//! For every site size the sites are generated once on tmpfs and built once there
//! (untimed: a warm page cache for the binaries, and the number of pages each tool
//! writes). Then, for each run and tool: `mkfs.ext4` on a sparse image file in
//! `--image-dir` (default `/var/tmp`, the machine's disk) with inodes for every
//! file and eager inode tables (no lazy-init thread writing during the builds),
//! loop-mount it, copy the site onto it, `sync`, and time three builds into the
//! same output: a fresh build, a rebuild with nothing changed, and a rebuild after
//! one page gained a sentence. Each build's wall time, peak RSS (`/usr/bin/time`),
//! the 1-minute load average when it started and, for wegwijs, its `--timings`
//! stages are printed. Needs root (mkfs, mount).

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::{
    BenchArgs, HUGO, Measured, Res, Tool, command_line, count_index_html, default_dir, file_system,
    generate, load_average, measure, mkdir, remove_dir,
};

/// The three builds of a run.
const SCENARIOS: [&str; 3] = ["fresh build", "no-change rebuild", "one-page-edit rebuild"];

/// One timed build.
struct Sample {
    measured: Measured,
    load: Option<f64>,
}

/// A loop-mounted ext4 image, unmounted and deleted when dropped.
struct Disk {
    image: PathBuf,
    mount: PathBuf,
}

impl Disk {
    fn new(dir: &Path, bytes: u64, inodes: u64) -> Res<Disk> {
        let image = dir.join("bench.img");
        let mount = dir.join("mnt");
        mkdir(&mount)?;
        let _ = fs::remove_file(&image);
        run("truncate", &["-s", &bytes.to_string(), &path(&image)])?;
        run(
            "mkfs.ext4",
            &[
                "-q",
                "-F",
                "-N",
                &inodes.to_string(),
                "-E",
                "lazy_itable_init=0,lazy_journal_init=0",
                &path(&image),
            ],
        )?;
        run("mount", &["-o", "loop", &path(&image), &path(&mount)])?;
        Ok(Disk { image, mount })
    }
}

impl Drop for Disk {
    fn drop(&mut self) {
        let _ = run("umount", &[&path(&self.mount)]);
        let _ = fs::remove_file(&self.image);
    }
}

fn path(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn run(program: &str, args: &[&str]) -> Res<()> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|e| format!("starting {program}: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {}: {}{}",
            args.join(" "),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// Put the bundled theme into the generated wegwijs site and use it.
fn use_bundled_theme(root: &Path) -> Res<()> {
    let theme = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/jouwkindonline");
    let target = root.join("themes");
    run("cp", &["-r", &path(&theme), &path(&target)])?;
    let yaml = root.join("content/site.yaml");
    let text = fs::read_to_string(&yaml).map_err(|e| format!("reading site.yaml: {e}"))?;
    fs::write(&yaml, text.replace("theme: bench", "theme: jouwkindonline"))
        .map_err(|e| format!("writing site.yaml: {e}"))
}

/// A page of the first section (the same file in both sites).
fn page_to_edit(root: &Path) -> Res<PathBuf> {
    let section = root.join("content").join(super::SECTIONS[0].0);
    let mut pages: Vec<PathBuf> = fs::read_dir(&section)
        .map_err(|e| format!("reading {}: {e}", section.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    pages.sort();
    pages
        .into_iter()
        .next()
        .ok_or_else(|| "no page to edit".to_string())
}

fn tool_args(tool: Tool, root: &Path, out: &Path) -> Vec<OsString> {
    match tool {
        Tool::Hugo => vec![
            "--minify".into(),
            "--quiet".into(),
            "-s".into(),
            root.into(),
            "-d".into(),
            out.into(),
        ],
        _ => vec![
            "build".into(),
            "--timings".into(),
            "--root".into(),
            root.into(),
            "--output".into(),
            out.into(),
        ],
    }
}

/// Run the benchmark on fresh ext4 file systems and print the report.
pub(super) fn bench(args: &BenchArgs, wegwijs: Option<&Path>) -> Res<()> {
    let tools: Vec<(Tool, PathBuf)> = args
        .tools
        .iter()
        .filter_map(|&tool| match tool {
            Tool::Wegwijs => wegwijs.map(|p| (tool, p.to_path_buf())),
            Tool::Hugo => Some((tool, PathBuf::from(HUGO))),
            Tool::Floor | Tool::Check => None,
        })
        .collect();
    let (images, work, sites) = folders(args)?;
    let mut report = String::new();
    let _ = writeln!(
        report,
        "\n## Build benchmark on fresh ext4\n\n\
         Median of {} run(s), each on a new ext4 file system (loop image in {}, on {}). \
         wegwijs with the bundled jouwkindonline theme; Hugo with the minimal layout. \
         load: 1-minute load average at the start of each timed build.\n\n\
         | pages | tool | build | median s | peak MB | load |\n|---:|---|---|---:|---:|---|",
        args.runs,
        images.display(),
        file_system(&images).map_or_else(|| "?".into(), |(t, _)| t),
    );
    let mut stage_lines = String::new();
    let mut ratio_lines = String::new();
    for &n in &args.pages {
        let dir = sites.path().join(format!("site-{n}"));
        eprintln!("ext4 bench: generating {n} pages");
        let site = generate(n, &dir)?;
        use_bundled_theme(&site.wegwijs_root)?;
        let mut medians: Vec<(Tool, [f64; 3])> = Vec::new();
        for (tool, program) in &tools {
            let root = match tool {
                Tool::Hugo => &site.hugo_root,
                _ => &site.wegwijs_root,
            };
            // Untimed, on tmpfs: the page cache, and how many pages to expect.
            let warm = dir.join("warm-up");
            let first = measure(
                *tool,
                program,
                &tool_args(*tool, root, &warm),
                &warm,
                0,
                &dir,
            );
            // Expecting none, a working build fails only the count check.
            let expected = match first {
                Err(e) if e.contains("index.html files to") => count_index_html(&warm)?,
                Err(e) => return Err(e),
                Ok(_) => return Err(format!("{} wrote no index.html", tool.name())),
            };
            remove_dir(&warm)?;
            remove_dir(&root.join("resources"))?;
            let mut samples: [Vec<Sample>; 3] = Default::default();
            for r in 1..=args.runs {
                let bytes = n as u64 * 80_000 + 1_000_000_000;
                let disk = Disk::new(work.path(), bytes, n as u64 * 8 + 50_000)?;
                let copy = disk.mount.join("site");
                run("cp", &["-a", &path(root), &path(&copy)])?;
                run("sync", &[])?;
                let out = disk.mount.join("public");
                let edit = page_to_edit(&copy)?;
                for (k, scenario) in SCENARIOS.iter().enumerate() {
                    if k == 2 {
                        let mut text = fs::read_to_string(&edit)
                            .map_err(|e| format!("reading {}: {e}", edit.display()))?;
                        text.push_str("\nEen zin die de redactie net heeft toegevoegd.\n");
                        fs::write(&edit, text)
                            .map_err(|e| format!("writing {}: {e}", edit.display()))?;
                    }
                    let load = load_average();
                    let measured = measure(
                        *tool,
                        program,
                        &tool_args(*tool, &copy, &out),
                        &out,
                        expected,
                        work.path(),
                    )?;
                    eprintln!(
                        "ext4 bench: N={n} run {r}/{} {:<8} {scenario:<22} {:>7.3} s {:>7.1} MB load {}{}",
                        args.runs,
                        tool.name(),
                        measured.secs,
                        measured.peak_kb as f64 / 1024.0,
                        load.map_or_else(|| "?".into(), |l| format!("{l:.1}")),
                        measured
                            .stages
                            .as_deref()
                            .map_or_else(String::new, |s| format!(" ({s})")),
                    );
                    samples[k].push(Sample { measured, load });
                }
                drop(disk);
            }
            let mut row = [0.0; 3];
            for (k, scenario) in SCENARIOS.iter().enumerate() {
                let mut times: Vec<f64> = samples[k].iter().map(|s| s.measured.secs).collect();
                times.sort_by(f64::total_cmp);
                let median = times.get(times.len() / 2).copied().unwrap_or(f64::NAN);
                row[k] = median;
                let peak = samples[k]
                    .iter()
                    .map(|s| s.measured.peak_kb)
                    .max()
                    .unwrap_or(0) as f64
                    / 1024.0;
                let loads: Vec<String> = samples[k]
                    .iter()
                    .map(|s| s.load.map_or_else(|| "?".into(), |l| format!("{l:.1}")))
                    .collect();
                let _ = writeln!(
                    report,
                    "| {n} | {} | {scenario} | {median:.2} | {peak:.0} | {} |",
                    tool.name(),
                    loads.join(", ")
                );
                if let Some(stages) = samples[k]
                    .iter()
                    .find(|s| (s.measured.secs - median).abs() < f64::EPSILON)
                    .and_then(|s| s.measured.stages.as_deref())
                {
                    let _ = writeln!(stage_lines, "- N={n}, {scenario}: {stages}");
                }
            }
            medians.push((*tool, row));
        }
        let find = |t: Tool| medians.iter().find(|(tool, _)| *tool == t).map(|m| m.1);
        if let (Some(w), Some(h)) = (find(Tool::Wegwijs), find(Tool::Hugo)) {
            let ratios: Vec<String> = SCENARIOS
                .iter()
                .zip(w.iter().zip(h.iter()))
                .map(|(s, (w, h))| format!("{s} {:.2}×", w / h))
                .collect();
            let _ = writeln!(ratio_lines, "- N={n}: {}", ratios.join(", "));
        }
    }
    let _ = writeln!(
        report,
        "\nwegwijs/Hugo wall time (medians):\n\n{ratio_lines}\nwegwijs stages of the median run:\n\n{stage_lines}"
    );
    println!("{report}");
    Ok(())
}

/// What both `--ext4` modes start with: root (for mkfs.ext4 and mount), where
/// the loop images go (`--image-dir`, else /var/tmp), a folder there for them,
/// and a folder for the generated sites (`--dir`).
fn folders(args: &BenchArgs) -> Res<(PathBuf, tempfile::TempDir, tempfile::TempDir)> {
    if command_line("id", &["-u"]).as_deref() != Some("0") {
        return Err("--ext4 needs root (mkfs.ext4, mount)".into());
    }
    let images = args
        .image_dir
        .clone()
        .unwrap_or_else(|| PathBuf::from("/var/tmp"));
    let work = tempfile::Builder::new()
        .prefix("wegwijs-bench-ext4-")
        .tempdir_in(&images)
        .map_err(|e| format!("creating a folder in {}: {e}", images.display()))?;
    let sites = tempfile::Builder::new()
        .prefix("wegwijs-bench-")
        .tempdir_in(args.dir.clone().unwrap_or_else(default_dir))
        .map_err(|e| format!("creating a temporary folder: {e}"))?;
    Ok((images, work, sites))
}

/// `--ext4 --search`: what the site search adds where a site owner builds,
/// with the bundled theme on a real disk. For each size and run, two fresh
/// builds, each on a new ext4 file system: the site as it is, and the same
/// site with the theme's search page and A to Z taken out (wegwijs then makes
/// no index), in alternating order. Prints the medians of wall time and of CPU
/// time (user and system, all threads) and what search adds to each.
pub(super) fn search(args: &BenchArgs, wegwijs: &Path) -> Res<()> {
    let (images, work, sites) = folders(args)?;
    let mut report = format!(
        "\n## Search on fresh ext4, bundled theme\n\n\
         Median of {} run(s) each, every build fresh on a new ext4 file system (loop image \
         in {}, on {}).\n\n\
         | pages | wall s without / with search | added | CPU s without / with | added | peak MB without / with |\n\
         |---:|---:|---:|---:|---:|---:|",
        args.runs,
        images.display(),
        file_system(&images).map_or_else(|| "?".into(), |(t, _)| t),
    );
    for &n in &args.pages {
        let dir = sites.path().join(format!("site-{n}"));
        eprintln!("ext4 search bench: generating {n} pages");
        let site = generate(n, &dir)?;
        use_bundled_theme(&site.wegwijs_root)?;
        let plain = dir.join("without-search");
        run("cp", &["-a", &path(&site.wegwijs_root), &path(&plain)])?;
        for template in ["search.html", "search-letter.html"] {
            let file = plain.join("themes/jouwkindonline/templates").join(template);
            fs::remove_file(&file).map_err(|e| format!("removing {}: {e}", file.display()))?;
        }
        let roots = [&plain, &site.wegwijs_root];
        // Untimed, on tmpfs: the page cache, and how many pages each writes.
        let mut expected = [0; 2];
        for (k, root) in roots.iter().enumerate() {
            let warm = dir.join("warm-up");
            super::timed_build(wegwijs, root, &warm)?;
            expected[k] = count_index_html(&warm)?;
            remove_dir(&warm)?;
        }
        let mut wall: [Vec<f64>; 2] = Default::default();
        let mut cpu: [Vec<f64>; 2] = Default::default();
        let mut peak = [0u64; 2];
        for r in 1..=args.runs {
            let order = if r % 2 == 1 { [0, 1] } else { [1, 0] };
            for k in order {
                let disk = Disk::new(
                    work.path(),
                    n as u64 * 80_000 + 1_000_000_000,
                    n as u64 * 8 + 50_000,
                )?;
                let copy = disk.mount.join("site");
                run("cp", &["-a", &path(roots[k]), &path(&copy)])?;
                run("sync", &[])?;
                let out = disk.mount.join("public");
                let before = super::children_cpu_ms();
                let measured = measure(
                    Tool::Wegwijs,
                    wegwijs,
                    &tool_args(Tool::Wegwijs, &copy, &out),
                    &out,
                    expected[k],
                    work.path(),
                )?;
                let used = super::children_cpu_ms()
                    .zip(before)
                    .map(|(a, b)| (a - b) / 1000.0);
                eprintln!(
                    "ext4 search bench: N={n} run {r}/{} {:<14} {:>7.3} s, CPU {} s, {:>7.1} MB{}",
                    args.runs,
                    ["without search", "with search"][k],
                    measured.secs,
                    used.map_or_else(|| "?".into(), |c| format!("{c:.3}")),
                    measured.peak_kb as f64 / 1024.0,
                    measured
                        .stages
                        .as_deref()
                        .map_or_else(String::new, |s| format!(" ({s})")),
                );
                wall[k].push(measured.secs);
                cpu[k].extend(used);
                peak[k] = peak[k].max(measured.peak_kb);
                drop(disk);
            }
        }
        let [wall_without, wall_with] = wall.map(median);
        let [cpu_without, cpu_with] = cpu.map(median);
        let _ = write!(
            report,
            "\n| {n} | {wall_without:.3} / {wall_with:.3} | {:.1}% | {cpu_without:.3} / {cpu_with:.3} | {:.1}% | {:.0} / {:.0} |",
            100.0 * (wall_with - wall_without) / wall_without,
            100.0 * (cpu_with - cpu_without) / cpu_without,
            peak[0] as f64 / 1024.0,
            peak[1] as f64 / 1024.0,
        );
    }
    println!("{report}");
    Ok(())
}

/// The median of `v` (NaN when it is empty).
fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}
