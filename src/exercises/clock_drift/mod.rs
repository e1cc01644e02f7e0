//! Chapter 5 · Clock drift.
//!
//! The learner writes five small functions (see `exercises/05_clock_drift.rs`); each is graded
//! against the [`crate::clock`] simulator, which knows true time.
//!
//! | task | question |
//! |---|---|
//! | `drift_after` | how far ahead is a clock `ppm` fast after `elapsed` seconds? |
//! | `drift_per_day` | how much does a tuning-fork crystal gain per day at a temperature? |
//! | `time_to_diverge` | when do two clocks of given ppm first differ by `bound`? |
//! | `resync_interval` | how often must clocks of ±`max_ppm` resync to stay within `max_skew`? |
//! | `elapsed` | how long did an operation take, when NTP may step the wall clock meanwhile? |

use crate::clock::Reading;
use crate::error::Result;
use crate::exercises::check_task;
use crate::exercises::{Chapter, DEFAULT_SEED};
use crate::grade::{Report, Task};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Turnover temperature of the tuning-fork crystals in this chapter, °C.
pub const TURNOVER_C: f64 = 25.0;
/// Parabolic temperature coefficient of those crystals, ppm/°C².
pub const TEMPCO_PPM_PER_C2: f64 = 0.034;
/// A plausible Unix time for the simulated clocks to start at (2026-01-01T00:00:00Z).
pub const EPOCH_START: f64 = 1_767_225_600.0;

/// The learner's functions for chapter 5.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: seconds ahead of true time after `elapsed` seconds, for a clock `ppm` fast.
    pub drift_after: fn(ppm: f64, elapsed: f64) -> f64,
    /// Task 2: seconds gained per day by a tuning-fork crystal with calibration error
    /// `offset_ppm` held at `temp_c` °C.
    pub drift_per_day: fn(offset_ppm: f64, temp_c: f64) -> f64,
    /// Task 3: seconds until clocks running `ppm_a` and `ppm_b` fast first differ by `bound`
    /// seconds, having agreed at time 0 (infinite if never).
    pub time_to_diverge: fn(ppm_a: f64, ppm_b: f64, bound: f64) -> f64,
    /// Task 4: the longest resync interval, seconds, that keeps any two clocks whose errors lie
    /// within ±`max_ppm` within `max_skew` seconds of each other.
    pub resync_interval: fn(max_ppm: f64, max_skew: f64) -> f64,
    /// Task 5: true seconds between two readings of one node's clocks.
    pub elapsed: fn(start: Reading, end: Reading) -> f64,
}

/// Chapter 5 for the shared runner and self-check.
pub struct ClockDrift;

mod cli;
mod figures;
pub mod grade;
pub mod tasks;
mod truth;

pub use cli::{DriftArgs, simulate};
pub use figures::{offset_figure, prediction_figure, temperature_figure, wall_vs_monotonic_figure};
pub use truth::{OscillatorRow, load_oscillators};

impl Chapter for ClockDrift {
    const NUMBER: u8 = 5;
    type Answers = Answers;
    type Args = DriftArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &DriftArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<ClockDrift>(answers)
}

/// `main` for `exercise-5` and `solution-5`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<ClockDrift>(answers)
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_drift_after(f: fn(f64, f64) -> f64) -> Report {
    check_task::<ClockDrift>(&tasks::DRIFT_AFTER, DEFAULT_SEED, |c| {
        grade::grade_drift_after(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_drift_per_day(f: fn(f64, f64) -> f64) -> Report {
    check_task::<ClockDrift>(&tasks::DRIFT_PER_DAY, DEFAULT_SEED, |c| {
        grade::grade_drift_per_day(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 3.
pub fn check_time_to_diverge(f: fn(f64, f64, f64) -> f64) -> Report {
    check_task::<ClockDrift>(&tasks::TIME_TO_DIVERGE, DEFAULT_SEED, |c| {
        grade::grade_time_to_diverge(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 4.
pub fn check_resync_interval(f: fn(f64, f64) -> f64) -> Report {
    check_task::<ClockDrift>(&tasks::RESYNC_INTERVAL, DEFAULT_SEED, |c| {
        grade::grade_resync_interval(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 5.
pub fn check_elapsed(f: fn(Reading, Reading) -> f64) -> Report {
    check_task::<ClockDrift>(&tasks::ELAPSED, DEFAULT_SEED, |c| {
        grade::grade_elapsed(c, f, DEFAULT_SEED)
    })
}
