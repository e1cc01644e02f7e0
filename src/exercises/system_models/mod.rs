//! Chapter 12 · System models: timing and failure models, safety and liveness.
//!
//! The learner writes four functions (see `exercises/12_system_models.rs`); each is graded
//! against the [`crate::models`] library and the world runs it sets up, which know the truth.
//!
//! | task | question |
//! |---|---|
//! | `is_safety` | is this property safety (a finite witness can refute it) or liveness? |
//! | `first_stale_write` | the first write a storage accepted against the fencing rule |
//! | `timing_model` | the strongest timing model a recorded run is consistent with |
//! | `election_timeout` | an election timeout range that elects soon after stabilisation |

use crate::error::Result;
use crate::exercises::check_task;
use crate::exercises::{Chapter, DEFAULT_SEED};
use crate::grade::{Counterexample, Report, Task};
use crate::lease::AppliedWrite;
use crate::models::{Consistent, DelayRun, Property};
use crate::shrink::ReplayCode;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;
mod figures;
pub mod grade;
pub mod stale;
mod stale_story;
pub mod tasks;

pub use cli::{ModelArgs, simulate};
pub use figures::{delay_figure, elect_vs_gst_figure, elect_vs_ratio_figure, leaders_figure, split_brain_figure};

/// The learner's functions for chapter 12.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: whether `p` is a safety property (else it is a liveness property).
    pub is_safety: fn(p: Property) -> bool,
    /// Task 2: the index of the first write the storage accepted although its token is lower
    /// than one it had accepted before (`None`: the history is clean).
    pub first_stale_write: fn(writes: &[AppliedWrite]) -> Option<usize>,
    /// Task 3: the strongest timing model the recorded run is consistent with, for a one-way
    /// delay bound of `bound_s`.
    pub timing_model: fn(run: &DelayRun, bound_s: f64) -> Consistent,
    /// Task 4: an election timeout range `(min_s, max_s)` for leaders that send a heartbeat
    /// every `heartbeat_s`, over links whose delay is at most `bound_s` after GST.
    pub election_timeout: fn(heartbeat_s: f64, bound_s: f64) -> (f64, f64),
}

/// Chapter 12 for the shared runner and self-check.
pub struct SystemModels;

impl Chapter for SystemModels {
    const NUMBER: u8 = 12;
    type Answers = Answers;
    type Args = ModelArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &ModelArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }

    fn replay(a: &Answers, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
        stale::replay(a.first_stale_write, code, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<SystemModels>(answers)
}

/// `main` for `exercise-12` and `solution-12`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<SystemModels>(answers)
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_is_safety(f: fn(Property) -> bool) -> Report {
    check_task::<SystemModels>(&tasks::IS_SAFETY, DEFAULT_SEED, |c| {
        grade::grade_is_safety(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_first_stale_write(f: fn(&[AppliedWrite]) -> Option<usize>) -> Report {
    check_task::<SystemModels>(&tasks::FIRST_STALE_WRITE, DEFAULT_SEED, |c| {
        grade::grade_first_stale_write(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 3.
pub fn check_timing_model(f: fn(&DelayRun, f64) -> Consistent) -> Report {
    check_task::<SystemModels>(&tasks::TIMING_MODEL, DEFAULT_SEED, |c| {
        grade::grade_timing_model(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 4.
pub fn check_election_timeout(f: fn(f64, f64) -> (f64, f64)) -> Report {
    check_task::<SystemModels>(&tasks::ELECTION_TIMEOUT, DEFAULT_SEED, |c| {
        grade::grade_election_timeout(c, f, DEFAULT_SEED)
    })
}
