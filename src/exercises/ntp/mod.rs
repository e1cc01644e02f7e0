//! Chapter 6 · NTP: learning the time over a network.
//!
//! The learner writes six functions (see `exercises/06_ntp.rs`); each is graded against the
//! [`crate::ntp`] simulator, which knows the true offset of the client's clock, the true
//! one-way delays and which servers lie.
//!
//! | task | question |
//! |---|---|
//! | `offset` | from t1…t4, how far is the server's clock from ours? |
//! | `delay` | and how long were the packets on the network? |
//! | `clock_filter` | of a server's recent samples, which one to trust? |
//! | `intersect` | where do a majority of servers' correctness intervals agree? |
//! | `discipline` | step the clock, or slew it, and how? |
//! | `ntp_to_unix` | what Unix time does a 64-bit NTP timestamp stand for, in the right era? |

pub use crate::ntp::sim::EPOCH_START;

/// The learner's functions for chapter 6.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: θ, the server's clock minus the client's, seconds.
    pub offset: fn(t: Timestamps) -> f64,
    /// Task 2: δ, the round-trip network delay, seconds.
    pub delay: fn(t: Timestamps) -> f64,
    /// Task 3: the sample to trust among a server's recent ones (never called with none).
    pub clock_filter: fn(window: &[Sample]) -> Sample,
    /// Task 4: the interval `(low, high)` where a majority of the correctness intervals agree,
    /// found with the fewest falsetickers; `None` if no majority does.
    pub intersect: IntersectFn,
    /// Task 5: what to do about a measured offset θ (the clock must move by +θ): step when
    /// |θ| exceeds `step_threshold_s`, otherwise slew at `max_slew_ppm`.
    pub discipline: fn(theta: f64, step_threshold_s: f64, max_slew_ppm: f64) -> Adjustment,
    /// Task 6: the Unix time (seconds) of NTP timestamp `ntp` (seconds since 1900 in the high
    /// 32 bits, fraction in the low 32), in the era nearest `pivot_unix`.
    pub ntp_to_unix: fn(ntp: u64, pivot_unix: f64) -> f64,
}

pub use crate::ntp::{IntersectFn, Interval};

/// Chapter 6 for the shared runner and self-check.
pub struct Ntp;

use crate::error::Result;
use crate::exercises::check_task;
use crate::exercises::{Chapter, DEFAULT_SEED};
use crate::grade::{Report, Task};
use crate::ntp::{Adjustment, Discipline, Sample, Timestamps};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;
mod figures;
pub mod grade;
pub mod tasks;
mod truth;

pub use cli::measure;
pub use cli::{NtpArgs, simulate};
pub use figures::{YourPolicies, asymmetry_figure, falseticker_figure, filter_figure, offset_over_time_figure};

impl Chapter for Ntp {
    const NUMBER: u8 = 6;
    type Answers = Answers;
    type Args = NtpArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &NtpArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<Ntp>(answers)
}

/// `main` for `exercise-6` and `solution-6`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<Ntp>(answers)
}

/// The default discipline's thresholds, for the notebook.
pub fn default_discipline() -> Discipline {
    Discipline::default()
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_offset(f: fn(Timestamps) -> f64) -> Report {
    check_task::<Ntp>(&tasks::OFFSET, DEFAULT_SEED, |c| {
        grade::grade_offset(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_delay(f: fn(Timestamps) -> f64) -> Report {
    check_task::<Ntp>(&tasks::DELAY, DEFAULT_SEED, |c| grade::grade_delay(c, f, DEFAULT_SEED))
}

/// Notebook check for task 3.
pub fn check_clock_filter(f: fn(&[Sample]) -> Sample) -> Report {
    check_task::<Ntp>(&tasks::CLOCK_FILTER, DEFAULT_SEED, |c| {
        grade::grade_clock_filter(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 4.
pub fn check_intersect(f: IntersectFn) -> Report {
    check_task::<Ntp>(&tasks::INTERSECT, DEFAULT_SEED, |c| {
        grade::grade_intersect(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 5.
pub fn check_discipline(f: fn(f64, f64, f64) -> Adjustment) -> Report {
    check_task::<Ntp>(&tasks::DISCIPLINE, DEFAULT_SEED, |c| {
        grade::grade_discipline(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 6.
pub fn check_ntp_to_unix(f: fn(u64, f64) -> f64) -> Report {
    check_task::<Ntp>(&tasks::NTP_TO_UNIX, DEFAULT_SEED, |c| {
        grade::grade_ntp_to_unix(c, f, DEFAULT_SEED)
    })
}
