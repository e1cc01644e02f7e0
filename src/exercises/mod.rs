//! The exercise framework, and one module per chapter.
//!
//! Each chapter module owns its task signatures (an `Answers` struct of function pointers),
//! its grader and its runner, and implements [`Chapter`] so that the shared machinery here can
//! run it:
//!
//! * [`run`] is `main` for `exercise-N` and `solution-N`: it parses the flags, runs the
//!   chapter's simulation with the learner's code, writes plots, prints the report and exits
//!   non-zero unless every task passed.
//! * [`WrongAnswer`]s are plausible mistakes each grader must reject; the maintainers'
//!   self-check (`tests/self_check.rs`) proves it does.

pub mod clock_drift;
pub mod failure_detection;
pub mod network_faults;
pub mod ntp;
pub mod partial_failure;
pub mod queueing;
pub mod timestamps;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser};

use crate::error::Result;
use crate::grade::Report;

/// The default seed the graders draw their random cases from.
pub const DEFAULT_SEED: u64 = 2026;

/// What every chapter provides to the shared runner and self-check.
pub trait Chapter {
    /// Chapter (and exercise) number, 1–12.
    const NUMBER: u8;
    /// Title, e.g. "Clock drift".
    const TITLE: &'static str;
    /// The learner's file, relative to the crate root.
    const FILE: &'static str;
    /// The notebook to read first, relative to the crate root.
    const NOTEBOOK: &'static str;
    /// The learner's functions.
    type Answers: Clone;
    /// Chapter-specific flags for the runner (beyond --seed, --out, --json, --hint).
    type Args: Args + Clone + std::fmt::Debug;

    /// Grades `answers` on cases drawn from `seed`.
    fn grade(answers: &Self::Answers, seed: u64) -> Report;

    /// Runs the chapter's simulation with the learner's code and writes its plots under `out`;
    /// returns the files written. Tasks still at `todo!()` are left out of the plots.
    fn simulate(answers: &Self::Answers, args: &Self::Args, seed: u64, out: &Path) -> Result<Vec<PathBuf>>;

    /// Plausible mistakes, at least two per task, that the grader must reject.
    fn wrong_answers() -> Vec<WrongAnswer<Self::Answers>>;
}

/// A plausible mistake: `apply` replaces one of the solution's functions with a wrong one.
pub struct WrongAnswer<A> {
    /// The task it targets.
    pub task: &'static str,
    /// The mistake, e.g. "forgot the factor 10⁻⁶".
    pub mistake: &'static str,
    /// Installs the mistake into a copy of the solution's answers.
    pub apply: fn(&mut A),
}

#[derive(Debug, Parser)]
#[command(about, disable_version_flag = true)]
struct Cli<A: Args> {
    /// Seed for the graders' random cases and the simulation.
    #[arg(long, default_value_t = DEFAULT_SEED, allow_negative_numbers = true)]
    seed: u64,
    /// Directory for plots [default: target/faultline/exercise-N].
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Print the report as JSON on stdout (plot paths go to stderr).
    #[arg(long)]
    json: bool,
    /// Show the hint for the first task that has not passed yet.
    #[arg(long)]
    hint: bool,
    #[command(flatten)]
    chapter: A,
}

/// `main` for `exercise-N` and `solution-N`.
pub fn run<C: Chapter>(answers: C::Answers) -> ExitCode {
    let cli = match Cli::<C::Args>::try_parse() {
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
    let out = cli.out.clone().unwrap_or_else(|| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("target")
            .join("faultline")
            .join(format!("exercise-{}", C::NUMBER))
    });
    let say = |line: String| {
        if cli.json {
            eprintln!("{line}")
        } else {
            println!("{line}")
        }
    };
    say(format!(
        "Exercise {} · {} — read {} first; edit {}.",
        C::NUMBER,
        C::TITLE,
        C::NOTEBOOK,
        C::FILE
    ));
    match C::simulate(&answers, &cli.chapter, cli.seed, &out) {
        Ok(files) => {
            say("Plots:".to_string());
            for f in files {
                say(format!("  {}", f.display()));
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let report = C::grade(&answers, cli.seed);
    if cli.json {
        println!("{}", report.to_json());
    } else {
        println!();
        print!("{}", report.render_for_stdout());
        match report.first_unfinished() {
            Some(t) if cli.hint => println!("\nHint for {}: {}", t.name, t.hint),
            Some(_) => println!("\nStuck? Run again with --hint."),
            None => println!("\nAll tasks pass. Compare with solutions/ to see another way."),
        }
    }
    if report.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
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

/// Parses a flag that must be a finite number > 0 (clap `value_parser`).
pub fn positive_f64(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 {
        Ok(v)
    } else {
        Err(format!("`{s}` must be greater than zero"))
    }
}
