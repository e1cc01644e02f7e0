//! Chapter 4 · Timeouts and failure detection.
//!
//! The learner writes five functions (see `exercises/04_failure_detection.rs`), each graded
//! against the [`crate::detect`] simulator, which knows when the node really crashed.
//!
//! | task | question |
//! |---|---|
//! | `pick_timeout` | the shortest timeout that at most a given fraction of measured RTTs exceed |
//! | `worst_detection_time` | how long, at worst, until a crash is suspected |
//! | `false_suspicions` | how often, and how long, a fixed timeout wrongly suspects a live node |
//! | `phi` | the phi accrual detector's suspicion level after a silence |
//! | `adaptive_timeout` | a timeout that follows the network: a percentile of recent gaps plus a margin |

/// The learner's functions for chapter 4.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: the smallest timeout (seconds) such that at most a fraction `max_timeouts` of
    /// the measured round-trip times `rtts` (seconds) are longer than it.
    pub pick_timeout: fn(rtts: &[f64], max_timeouts: f64) -> f64,
    /// Task 2: a node sends a heartbeat every `interval` s; each takes at most `max_delay` s to
    /// arrive; the monitor suspects the node `timeout` s after the last heartbeat arrived. At
    /// worst, how long after a crash is it suspected?
    pub worst_detection_time: fn(interval: f64, timeout: f64, max_delay: f64) -> f64,
    /// Task 3: the node never crashed; heartbeats arrived at `arrivals` (increasing, seconds);
    /// the monitor watched until `until`. With a fixed `timeout`, how many times did it
    /// wrongly suspect the node, and for how many seconds in all?
    pub false_suspicions: fn(arrivals: &[f64], timeout: f64, until: f64) -> (usize, f64),
    /// Task 4: φ after `elapsed` seconds without a heartbeat, for a normal model of the recent
    /// gaps between heartbeats `gaps` (sample standard deviation, at least `min_sd`).
    pub phi: fn(elapsed: f64, gaps: &[f64], min_sd: f64) -> f64,
    /// Task 5: seconds of silence after the last heartbeat before suspecting: the
    /// `percentile` (nearest rank) of the recent gaps between heartbeats, plus `margin`.
    pub adaptive_timeout: fn(gaps: &[f64], percentile: f64, margin: f64) -> f64,
}

/// Chapter 4 for the shared runner and self-check.
pub struct FailureDetection;

use crate::error::Result;
use crate::exercises::check_task;
use crate::exercises::{Chapter, DEFAULT_SEED};
use crate::grade::{Report, Task};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;
mod figures;
pub mod grade;
pub mod tasks;
mod truth;

pub use cli::{DetectArgs, simulate};
pub use figures::{phi_figure, rtt_figure, tradeoff_figure};

impl Chapter for FailureDetection {
    const NUMBER: u8 = 4;
    type Answers = Answers;
    type Args = DetectArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &DetectArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<FailureDetection>(answers)
}

/// `main` for `exercise-4` and `solution-4`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<FailureDetection>(answers)
}

/// Notebook check for task 1.
pub fn check_pick_timeout(f: fn(&[f64], f64) -> f64) -> Report {
    check_task::<FailureDetection>(&tasks::PICK_TIMEOUT, DEFAULT_SEED, |c| {
        grade::grade_pick_timeout(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_worst_detection_time(f: fn(f64, f64, f64) -> f64) -> Report {
    check_task::<FailureDetection>(&tasks::WORST_DETECTION_TIME, DEFAULT_SEED, |c| {
        grade::grade_worst_detection_time(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 3.
pub fn check_false_suspicions(f: fn(&[f64], f64, f64) -> (usize, f64)) -> Report {
    check_task::<FailureDetection>(&tasks::FALSE_SUSPICIONS, DEFAULT_SEED, |c| {
        grade::grade_false_suspicions(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 4.
pub fn check_phi(f: fn(f64, &[f64], f64) -> f64) -> Report {
    check_task::<FailureDetection>(&tasks::PHI, DEFAULT_SEED, |c| grade::grade_phi(c, f, DEFAULT_SEED))
}

/// Notebook check for task 5.
pub fn check_adaptive_timeout(f: fn(&[f64], f64, f64) -> f64) -> Report {
    check_task::<FailureDetection>(&tasks::ADAPTIVE_TIMEOUT, DEFAULT_SEED, |c| {
        grade::grade_adaptive_timeout(c, f, DEFAULT_SEED)
    })
}
