//! Chapter 7 · Ordering by timestamps.
//!
//! The learner writes four functions (see `exercises/07_timestamps.rs`); each is graded
//! against the [`crate::ordering`] simulators, which know the true order of every event.
//!
//! | task | question |
//! |---|---|
//! | `uncertainty` | what interval surely holds true time, given a reading, the last sync and a drift bound? |
//! | `can_commit` | may a transaction stamped `s` be acknowledged yet (commit wait)? |
//! | `order` | can two stamped events be ordered, and which came first? |
//! | `lost_writes` | how many writes of a causal chain does last-write-wins silently drop? |

/// The learner's functions for chapter 7.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: the interval surely holding true time for a clock reading `reading` (Unix
    /// seconds) taken `since_sync_s` seconds after a sync accurate to `sync_error_s`, if the
    /// clock drifts at most `drift_bound_ppm`.
    pub uncertainty: fn(reading: f64, since_sync_s: f64, sync_error_s: f64, drift_bound_ppm: f64) -> TtInterval,
    /// Task 2: commit wait: may a transaction stamped `stamp` be acknowledged, given `now`?
    pub can_commit: fn(stamp: f64, now: TtInterval) -> bool,
    /// Task 3: `Some(Less)` if the event stamped `a` certainly happened before the one
    /// stamped `b`, `Some(Greater)` if certainly after, `None` if the stamps cannot tell.
    pub order: fn(a: TtInterval, b: TtInterval) -> Option<Ordering>,
    /// Task 4: how many writes of a causal chain, given their timestamps in causal order,
    /// last-write-wins silently drops.
    pub lost_writes: fn(timestamps: &[f64]) -> usize,
}

/// Chapter 7 for the shared runner and self-check.
pub struct Timestamps;

use crate::error::Result;
use crate::exercises::check_task;
use crate::exercises::{Chapter, DEFAULT_SEED};
use crate::grade::{Report, Task};
use crate::ordering::TtInterval;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;
mod figures;
pub mod grade;
pub mod tasks;
mod truth;

pub use cli::{TimestampArgs, simulate};
pub use figures::{commit_wait_figure, lww_figure, misorder_figure, sawtooth_figure};

impl Chapter for Timestamps {
    const NUMBER: u8 = 7;
    type Answers = Answers;
    type Args = TimestampArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &TimestampArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<Timestamps>(answers)
}

/// `main` for `exercise-7` and `solution-7`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<Timestamps>(answers)
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_uncertainty(f: fn(f64, f64, f64, f64) -> TtInterval) -> Report {
    check_task::<Timestamps>(&tasks::UNCERTAINTY, DEFAULT_SEED, |c| {
        grade::grade_uncertainty(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_can_commit(f: fn(f64, TtInterval) -> bool) -> Report {
    check_task::<Timestamps>(&tasks::CAN_COMMIT, DEFAULT_SEED, |c| {
        grade::grade_can_commit(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 3.
pub fn check_order(f: fn(TtInterval, TtInterval) -> Option<Ordering>) -> Report {
    check_task::<Timestamps>(&tasks::ORDER, DEFAULT_SEED, |c| grade::grade_order(c, f, DEFAULT_SEED))
}

/// Notebook check for task 4.
pub fn check_lost_writes(f: fn(&[f64]) -> usize) -> Report {
    check_task::<Timestamps>(&tasks::LOST_WRITES, DEFAULT_SEED, |c| {
        grade::grade_lost_writes(c, f, DEFAULT_SEED)
    })
}
