//! The exercise framework, and one module per chapter.
//!
//! A chapter is its entry in `chapters.toml` (number, title, files, notebook, each task's hint
//! tiers; see [`manifest`]), its folder here, its two learner files and its notebook. Each
//! chapter module owns its task signatures (an `Answers` struct of function pointers), its
//! tasks declared once as [`Task`] values (name, grader, mistakes), its figures and its
//! runner, and implements [`Chapter`] so that the shared machinery here can run it:
//!
//! * [`grade_chapter`] grades every task of a chapter with the manifest's hints;
//! * [`run`] is `main` for `exercise-N` and `solution-N`: it parses the flags, runs the
//!   chapter's simulation with the learner's code, writes plots, prints the report and exits
//!   non-zero unless every task passed;
//! * each task's [`Mistake`]s are plausible wrong answers its grader must reject; the
//!   maintainers' self-check (`tests/self_check.rs`) proves it does;
//! * [`hints`] remembers which hint tiers a learner has seen, so a bare `--hint` shows the next
//!   one; `--json` prints a [`JsonReport`](crate::grade::JsonReport) (its module documents the
//!   shape), which the `faultline` front door reads back.

pub mod byzantine;
pub mod clock_drift;
pub mod elections;
pub mod failure_detection;
pub mod hints;
pub mod leases;
pub mod logical_clocks;
pub mod manifest;
pub mod network_faults;
pub mod ntp;
pub mod partial_failure;
pub mod queueing;
pub mod system_models;
pub mod timestamps;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser};

use crate::error::Result;
use crate::grade::{Checker, JsonReport, Report, Status, Verdict};
pub use crate::grade::{Mistake, Task};
pub use manifest::{ChapterInfo, TaskInfo};

/// The default seed the graders draw their random cases from.
pub const DEFAULT_SEED: u64 = 2026;

/// What every chapter provides to the shared runner and self-check. Its number, title, files
/// and hints come from `chapters.toml`.
pub trait Chapter {
    /// Chapter (and exercise) number, 1–12: the key of its entry in `chapters.toml`.
    const NUMBER: u8;
    /// The learner's functions.
    type Answers: Clone + Send + 'static;
    /// Chapter-specific flags for the runner (beyond --seed, --out, --json, --hint).
    type Args: Args + Clone + Send + std::fmt::Debug + 'static;

    /// The chapter's tasks, in the order they are graded.
    fn tasks() -> &'static [Task<Self::Answers>];

    /// Runs the chapter's simulation with the learner's code and writes its plots under `out`;
    /// returns the files written. Tasks still at `todo!()` are left out of the plots.
    fn simulate(answers: &Self::Answers, args: &Self::Args, seed: u64, out: &Path) -> Result<Vec<PathBuf>>;

    /// `exercise-N --replay CODE`: replays the one run a replay code names with the learner's
    /// code, writes its space-time diagram under `out`, and returns what the report shows of
    /// it with the files written. Chapters without seeded fault schedules replay nothing.
    fn replay(
        _answers: &Self::Answers,
        code: &crate::shrink::ReplayCode,
        _out: &Path,
    ) -> Result<(crate::grade::Counterexample, Vec<PathBuf>)> {
        Err(crate::shrink::ReplayError::Unsupported {
            chapter: Self::NUMBER,
            task: code.task.clone(),
            reason: "this chapter has no fault schedules to replay".into(),
        }
        .into())
    }

    /// The chapter's entry in `chapters.toml`.
    ///
    /// # Panics
    /// If the manifest lacks the chapter: a bug in what we ship, which `tests/manifest.rs`
    /// catches (the runner checks first and reports it as an error).
    fn info() -> &'static ChapterInfo {
        manifest::chapter(Self::NUMBER).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Grades `answers` on cases drawn from `seed`.
    fn grade(answers: &Self::Answers, seed: u64) -> Report {
        grade_chapter::<Self>(answers, seed)
    }
}

/// Grades every task of chapter `C` in order, each with its hints from `chapters.toml`; a
/// failure that a listed mistake reproduces names it (see [`Task::diagnose`]). A task whose
/// grading does not finish within [`crate::grade::task_limit`] (the learner's code loops) fails
/// with a line saying so, and the next task is graded.
pub fn grade_chapter<C: Chapter + ?Sized>(answers: &C::Answers, seed: u64) -> Report {
    grade_chapter_within::<C>(answers, seed, crate::grade::task_limit())
}

/// [`grade_chapter`] with each task's grading bounded by `limit` instead of the default.
pub fn grade_chapter_within<C: Chapter + ?Sized>(
    answers: &C::Answers,
    seed: u64,
    limit: std::time::Duration,
) -> Report {
    let info = C::info();
    let mut report = Report::new(C::NUMBER, info.title.as_str(), seed);
    for task in C::tasks() {
        let (grade, mine) = (task.grade, answers.clone());
        let graded = report.task_within(task.name, info.hints(task.name), limit, move |c| grade(c, &mine, seed));
        let diagnosis = graded
            .failure
            .clone()
            .and_then(|f| task.diagnose(answers, seed, &f))
            .map(Mistake::diagnosis);
        if let Some(d) = diagnosis {
            report.diagnose_last(d);
        }
    }
    report
}

/// How many seeds beyond the default `cargo test` also grades on. They are drawn from the
/// default with [`Seed::child`](crate::sim::Seed::child); the exercise binaries' default run
/// never shows their cases, so a table of the inputs that run prints does not pass.
pub const FRESH_SEEDS: u64 = 2;

/// What `cargo test` grades (each chapter's `grade`): the default seed, then, for every task that
/// passed there, cases drawn afresh from [`FRESH_SEEDS`] more seeds. A task that fails on one of
/// them reports that failure, with the seed that shows it.
pub fn grade_fresh<C: Chapter + ?Sized>(answers: &C::Answers) -> Report {
    let mut report = C::grade(answers, DEFAULT_SEED);
    for k in 1..=FRESH_SEEDS {
        if !report.tasks.iter().any(|t| t.status == Status::Pass) {
            break;
        }
        let seed = crate::sim::Seed(DEFAULT_SEED).child(k).0;
        let again = C::grade(answers, seed);
        for (mine, other) in report.tasks.iter_mut().zip(again.tasks) {
            if mine.status == Status::Pass && other.status != Status::Pass {
                *mine = other;
                mine.detail = format!(
                    "{} (on cases drawn afresh from seed {seed}; `--seed {seed}` shows them)",
                    mine.detail
                );
            }
        }
    }
    for t in report.tasks.iter_mut().filter(|t| t.status == Status::Pass) {
        t.detail = format!("{}, and again on {FRESH_SEEDS} fresh seeds", t.detail);
    }
    report
}

/// Grades one task of chapter `C` alone, with `body` calling its grader on a single function
/// (a notebook's check cell): a report of one task, which never panics.
pub fn check_task<C: Chapter>(
    task: &Task<C::Answers>,
    seed: u64,
    body: impl FnOnce(&mut Checker) -> std::result::Result<(), Verdict>,
) -> Report {
    let info = C::info();
    let mut report = Report::new(C::NUMBER, info.title.as_str(), seed);
    report.task(task.name, info.hints(task.name), body);
    report
}

#[derive(Debug, Parser)]
#[command(about, disable_version_flag = true)]
struct Cli<A: Args> {
    /// Seed for the graders' random cases and the simulation.
    #[arg(long, default_value_t = DEFAULT_SEED, allow_negative_numbers = true, value_parser = seed_value)]
    seed: u64,
    /// Directory for plots [default: target/faultline/exercise-N].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the report as JSON on stdout (plot paths go to stderr).
    #[arg(long)]
    json: bool,
    /// Show a hint for the first task that has not passed yet: the next tier each time --hint
    /// is asked (gentlest first), tier N with --hint N. Draws no plots.
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "0", action = ArgAction::Append)]
    hint: Vec<u8>,
    /// Grade only: skip the simulation and its plots (what `faultline` runs).
    #[arg(long)]
    grade_only: bool,
    /// Replay the one run a failure report's replay code names, with your code: print it and
    /// draw its space-time diagram (nothing else is graded).
    #[arg(long, value_name = "CODE")]
    replay: Option<String>,
    #[command(flatten)]
    chapter: A,
}

/// `println!` that never panics: a closed stdout (`exercise-1 | head`) is not the learner's fault.
macro_rules! outln {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($t)*);
    }};
}

/// `print!` that never panics.
macro_rules! out {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stdout(), $($t)*);
    }};
}

/// `main` for `exercise-N` and `solution-N`.
pub fn run<C: Chapter>(answers: C::Answers) -> ExitCode {
    // The binary's own name: exercise-N runs the learner's file, solution-N the reference.
    let solution = std::env::args()
        .next()
        .and_then(|a| {
            Path::new(&a)
                .file_name()
                .map(|f| f.to_string_lossy().starts_with("solution-"))
        })
        .unwrap_or(false);
    let bin = format!("{}-{}", if solution { "solution" } else { "exercise" }, C::NUMBER);
    let title = manifest::chapter(C::NUMBER).map_or_else(|_| String::new(), |i| i.title.clone());
    let what = if solution {
        "the reference solution, simulated, plotted and graded"
    } else {
        "your exercise file, simulated, plotted and graded"
    };
    let command = Cli::<C::Args>::command()
        .bin_name(bin.clone())
        .about(format!("Chapter {} · {title}: {what}", C::NUMBER))
        .mut_arg("out", |a| {
            a.help(format!(
                "Directory for plots [default: target/faultline/exercise-{}]",
                C::NUMBER
            ))
        });
    let cli = match command
        .try_get_matches()
        .and_then(|m| Cli::<C::Args>::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help: print it and succeed.
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One clear line, not clap's usage block.
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("error: invalid arguments");
            eprintln!("{first} (see --help)");
            return ExitCode::from(2);
        }
    };
    let info = match manifest::chapter(C::NUMBER) {
        Ok(info) => info,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let out = cli.out.clone().unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("faultline")
            .join(format!("exercise-{}", C::NUMBER))
    });
    if let Some(code) = &cli.replay {
        return replay::<C>(&answers, code, &out, &bin);
    }
    let say = |line: String| {
        if cli.json {
            eprintln!("{line}")
        } else {
            outln!("{line}")
        }
    };
    // Simulate first, so a bad --data or --out is one line on stderr with nothing before it.
    // A hint needs only the report: --hint skips the simulation and its plots.
    // The simulation runs the learner's code too: bounded in time like each task's grading.
    let simulated = if cli.hint.is_empty() && !cli.grade_only {
        let limit = crate::grade::task_limit();
        let (a, args, seed, dir) = (answers.clone(), cli.chapter.clone(), cli.seed, out.clone());
        crate::grade::within(limit, "simulate", move || C::simulate(&a, &args, seed, &dir)).unwrap_or_else(|| {
            eprintln!("note: no plots: {}", crate::grade::did_not_return(limit));
            Ok(Vec::new())
        })
    } else {
        Ok(Vec::new())
    };
    let files = match simulated {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    say(if solution {
        format!(
            "Solution {} · {} — the reference answers in {}.",
            C::NUMBER,
            info.title,
            info.solution
        )
    } else {
        format!(
            "Exercise {} · {} — read {} first; edit {}.",
            C::NUMBER,
            info.title,
            info.notebook,
            info.exercise
        )
    });
    if !cli.hint.is_empty() {
        say("Plots: not drawn with --hint (run without it to draw them).".to_string());
    } else if !files.is_empty() {
        say("Plots:".to_string());
        for f in &files {
            say(format!("  {}", f.display()));
        }
    }
    let report = C::grade(&answers, cli.seed);
    // The shrunk failing runs, drawn (not with --hint, which draws nothing).
    if cli.hint.is_empty() && !cli.grade_only {
        for cx in report.tasks.iter().filter_map(|t| t.counterexample.as_ref()) {
            let drawn = crate::shrink::ReplayCode::decode(&cx.replay, C::NUMBER)
                .map_err(crate::Error::from)
                .and_then(|code| C::replay(&answers, &code, &out.join("shrunk")));
            match drawn {
                Ok((_, files)) if files.is_empty() => {}
                Ok((_, files)) => {
                    say("The shrunk failing run, drawn:".to_string());
                    for f in &files {
                        say(format!("  {}", f.display()));
                    }
                }
                Err(e) => eprintln!("note: could not draw the shrunk run: {e}"),
            }
        }
    }
    // The hint tiers this learner has seen; a task that passes starts again from the gentlest.
    // Only the learner's own runs count (a solution binary passes everything).
    let mut seen = hints::HintState::for_project(Path::new(env!("CARGO_MANIFEST_DIR")));
    if !solution {
        for t in report.tasks.iter().filter(|t| t.status == Status::Pass) {
            seen.forget(C::NUMBER, &t.name);
        }
    }
    if cli.json {
        let shown = |task: &str| if solution { 0 } else { seen.shown(C::NUMBER, task) };
        outln!("{}", JsonReport::from_report(&report, &files, shown).to_pretty());
    } else {
        outln!();
        out!("{}", report.render_for_stdout());
        match (report.first_unfinished(), hint_tier(&cli.hint)) {
            (Some(t), Some(asked)) => {
                let tier = asked.unwrap_or_else(|| seen.next_tier(C::NUMBER, &t.name, t.hints.len()));
                match t.hint_tier(tier) {
                    Some((shown, hint)) => {
                        if !solution {
                            seen.record(C::NUMBER, &t.name, shown);
                        }
                        let n = t.hints.len();
                        outln!("\nHint for {} (tier {shown} of {n}): {hint}", t.name);
                        if shown < n {
                            outln!("Next tier: cargo run --bin {bin} -- --hint");
                        } else {
                            outln!("That is the last tier; {} works the idea through.", info.notebook);
                        }
                    }
                    None => outln!("\nNo hint for {}, sorry.", t.name),
                }
            }
            (Some(_), None) => outln!("\nStuck? cargo run --bin {bin} -- --hint"),
            (None, _) if solution => outln!("\nThe reference solution passes every task."),
            (None, _) => outln!(
                "\nAll tasks pass. Compare with {} to see another way (cargo run --bin solution-{}).",
                info.solution,
                C::NUMBER
            ),
        }
    }
    if let Err(e) = seen.save() {
        eprintln!(
            "note: could not remember the hints shown in {}: {e}",
            seen.path().display()
        );
    }
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// `--replay CODE`: one line and exit 2 for a bad code; else the replayed run and its diagram,
/// exit 0 when nothing broke, 1 when the property broke again.
fn replay<C: Chapter>(answers: &C::Answers, code: &str, out: &Path, bin: &str) -> ExitCode {
    let replayed = crate::shrink::ReplayCode::decode(code, C::NUMBER)
        .map_err(crate::Error::from)
        .and_then(|code| C::replay(answers, &code, out).map(|r| (code, r)));
    match replayed {
        Ok((code, (cx, files))) => {
            if code.schedule.is_exhaustive() {
                outln!("{bin} --replay: the exhaustive check of {}, with your code", code.task)
            } else {
                outln!(
                    "{bin} --replay: the run of {} on seed {}, with your code",
                    code.task,
                    code.seed
                )
            }
            out!("{}", cx.render(C::NUMBER));
            if !files.is_empty() {
                outln!("Diagram:");
            }
            for f in &files {
                outln!("  {}", f.display());
            }
            if cx.property.starts_with("nothing broke") {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// The hint asked for: none without --hint; `Some(Some(N))` for --hint N (or N bare --hint
/// flags in one command); `Some(None)` for one bare --hint, the next tier not yet seen.
fn hint_tier(flags: &[u8]) -> Option<Option<usize>> {
    let explicit = usize::from(flags.iter().copied().max()?);
    Some(match (explicit, flags.len()) {
        (0, 1) => None,
        (0, n) => Some(n),
        (n, _) => Some(n),
    })
}

/// Parses a flag that must be a finite number (clap `value_parser`).
pub fn finite_f64(s: &str) -> std::result::Result<f64, String> {
    let v: f64 = s.trim().parse().map_err(|_| format!("`{s}` is not a number"))?;
    if v.is_finite() {
        Ok(v)
    } else {
        Err(format!("`{s}` must be a finite number"))
    }
}

/// Parses `--seed`: a whole number from 0 to 2⁶⁴ − 1 (clap `value_parser`).
pub fn seed_value(s: &str) -> std::result::Result<u64, String> {
    s.trim().parse().map_err(|_| {
        if s.trim().starts_with('-') {
            format!("`{s}`: seeds are whole numbers ≥ 0")
        } else {
            format!("`{s}` is not a seed: a whole number from 0 to 18446744073709551615")
        }
    })
}

/// Parses a flag that must be a finite number > 0 (clap `value_parser`).
pub fn positive_f64(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 {
        Ok(v)
    } else {
        Err(format!("`{s}` must be greater than zero"))
    }
}
