//! Chapter 3 · Queueing latency.
//!
//! The learner writes six functions (see `exercises/03_queueing.rs`). The closed-form tasks
//! are graded against [`crate::queueing::theory`], which the simulators are tested against;
//! the recursion task is graded against the event-driven simulator's own waits, customer by
//! customer.
//!
//! | task | question |
//! |---|---|
//! | `mean_response` | mean response time of an M/M/1 queue (infinite when overloaded) |
//! | `response_percentile` | its p-th percentile (the response time is exponential) |
//! | `max_arrival_rate` | the highest load that keeps the p-th percentile within an SLO |
//! | `pk_mean_wait` | mean wait of M/G/1 from the service time's mean and variability |
//! | `drop_fraction` | fraction of packets a K-place switch buffer drops (M/M/1/K) |
//! | `lindley_waits` | every customer's wait, from gaps and service times |

/// The learner's functions for chapter 3.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: mean response time (wait + service) of M/M/1 with arrival rate `lambda` and
    /// service rate `mu`; `f64::INFINITY` when λ ≥ μ.
    pub mean_response: fn(lambda: f64, mu: f64) -> f64,
    /// Task 2: the `p`-quantile (0 < p < 1) of M/M/1's response time.
    pub response_percentile: fn(lambda: f64, mu: f64, p: f64) -> f64,
    /// Task 3: the largest arrival rate whose `p`-quantile response time is at most `slo`
    /// seconds, for service rate `mu` (0 if even an idle server misses the SLO).
    pub max_arrival_rate: fn(mu: f64, slo: f64, p: f64) -> f64,
    /// Task 4: M/G/1 mean wait in the queue for arrival rate `lambda`, mean service time
    /// `mean_service` and squared coefficient of variation of service `scv` (variance/mean²).
    pub pk_mean_wait: fn(lambda: f64, mean_service: f64, scv: f64) -> f64,
    /// Task 5: the fraction of packets dropped by a port that holds at most `capacity` packets
    /// (the one being sent included), Poisson arrivals at `lambda`, exponential sending times
    /// at rate `mu`.
    pub drop_fraction: fn(lambda: f64, mu: f64, capacity: u32) -> f64,
    /// Task 6: each customer's wait in a single-server FIFO queue; `gaps[n]` is the time
    /// between customer n−1's arrival and customer n's (`gaps[0]`: when customer 0 arrives),
    /// `services[n]` customer n's service time.
    pub lindley_waits: fn(gaps: &[f64], services: &[f64]) -> Vec<f64>,
}

/// Chapter 3 for the shared runner and self-check.
pub struct Queueing;

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

pub use cli::{QueueArgs, simulate};
pub use figures::{buffer_figure, latency_figure};

impl Chapter for Queueing {
    const NUMBER: u8 = 3;
    type Answers = Answers;
    type Args = QueueArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &QueueArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<Queueing>(answers)
}

/// `main` for `exercise-3` and `solution-3`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<Queueing>(answers)
}

/// Notebook check for task 1.
pub fn check_mean_response(f: fn(f64, f64) -> f64) -> Report {
    check_task::<Queueing>(&tasks::MEAN_RESPONSE, DEFAULT_SEED, |c| {
        grade::grade_mean_response(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_response_percentile(f: fn(f64, f64, f64) -> f64) -> Report {
    check_task::<Queueing>(&tasks::RESPONSE_PERCENTILE, DEFAULT_SEED, |c| {
        grade::grade_response_percentile(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 3.
pub fn check_max_arrival_rate(f: fn(f64, f64, f64) -> f64) -> Report {
    check_task::<Queueing>(&tasks::MAX_ARRIVAL_RATE, DEFAULT_SEED, |c| {
        grade::grade_max_arrival_rate(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 4.
pub fn check_pk_mean_wait(f: fn(f64, f64, f64) -> f64) -> Report {
    check_task::<Queueing>(&tasks::PK_MEAN_WAIT, DEFAULT_SEED, |c| {
        grade::grade_pk_mean_wait(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 5.
pub fn check_drop_fraction(f: fn(f64, f64, u32) -> f64) -> Report {
    check_task::<Queueing>(&tasks::DROP_FRACTION, DEFAULT_SEED, |c| {
        grade::grade_drop_fraction(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 6.
pub fn check_lindley_waits(f: fn(&[f64], &[f64]) -> Vec<f64>) -> Report {
    check_task::<Queueing>(&tasks::LINDLEY_WAITS, DEFAULT_SEED, |c| {
        grade::grade_lindley_waits(c, f, DEFAULT_SEED)
    })
}
