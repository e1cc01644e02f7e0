//! Chapter 8 · Process pauses, leases and fencing tokens.
//!
//! The learner writes four functions (see `exercises/08_leases.rs`); each is graded against the
//! [`crate::lease`] world, which knows in true time who held the lease when every write landed.
//!
//! | task | question |
//! |---|---|
//! | `fencing_accepts` | should the storage accept a write with this token, given the highest it has accepted? |
//! | `latest_safe_local_time` | until what local clock reading does a lease surely hold, on a clock that may run slow? |
//! | `lease_margin` | how early must a client stop starting writes to survive a pause and drift? |
//! | `stale_writes` | which accepted writes, in a storage's log, overwrote a newer holder's data? |

/// The learner's functions for chapter 8.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: whether the storage accepts a write carrying fencing token `token` when the
    /// highest token it has accepted so far is `highest_seen` (0 before any write).
    pub fencing_accepts: fn(token: u64, highest_seen: u64) -> bool,
    /// Task 2: the latest local clock reading at which a lease granted at local time
    /// `grant_local_s` for `lease_s` seconds surely still holds, on a clock that may run up to
    /// `drift_ppm` slow.
    pub latest_safe_local_time: fn(grant_local_s: f64, lease_s: f64, drift_ppm: f64) -> f64,
    /// Task 3: how many local seconds before its lease's end a client must stop starting
    /// writes, if a pause of up to `pause_s` may fall between its check and its write and its
    /// clock may run up to `drift_ppm` slow.
    pub lease_margin: fn(pause_s: f64, drift_ppm: f64, lease_s: f64) -> f64,
    /// Task 4: the indices of the accepted writes in a storage's log (in the order it received
    /// them) that landed after an accepted write with a higher token.
    pub stale_writes: fn(writes: &[AppliedWrite]) -> Vec<usize>,
}

/// Chapter 8 for the shared runner and self-check.
pub struct Leases;

use crate::error::Result;
use crate::exercises::check_task;
use crate::exercises::{Chapter, DEFAULT_SEED};
use crate::grade::{Counterexample, Report, Task};
pub use crate::lease::AppliedWrite;
use crate::shrink::ReplayCode;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;
pub mod exhaustive;
mod figures;
pub mod grade;
pub mod holder;
mod launch;
pub mod real;
mod real_figure;
pub mod replay;
pub mod tasks;

pub use cli::{LeaseArgs, simulate};
pub use figures::{lease_timeline_figure, margin_figure};
pub use real_figure::{describe as describe_real, real_timeline_figure};

impl Chapter for Leases {
    const NUMBER: u8 = 8;
    type Answers = Answers;
    type Args = LeaseArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &LeaseArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }

    fn replay(a: &Answers, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
        replay::replay(a.fencing_accepts, code, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<Leases>(answers)
}

/// `main` for `exercise-8` and `solution-8`. Started again by `--real` with a hidden first
/// argument, the binary is one of the scenario's lock holders (see [`holder`]).
pub fn run(answers: Answers) -> ExitCode {
    let mut args = std::env::args().skip(1);
    if args.next().as_deref() == Some(holder::HOLDER_ARG) {
        return holder::holder_main(&answers, &args.next().unwrap_or_default());
    }
    super::run::<Leases>(answers)
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_fencing_accepts(f: fn(u64, u64) -> bool) -> Report {
    check_task::<Leases>(&tasks::FENCING_ACCEPTS, DEFAULT_SEED, |c| {
        grade::grade_fencing_accepts(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_latest_safe_local_time(f: fn(f64, f64, f64) -> f64) -> Report {
    check_task::<Leases>(&tasks::LATEST_SAFE_LOCAL_TIME, DEFAULT_SEED, |c| {
        grade::grade_latest_safe_local_time(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 3.
pub fn check_lease_margin(f: fn(f64, f64, f64) -> f64) -> Report {
    check_task::<Leases>(&tasks::LEASE_MARGIN, DEFAULT_SEED, |c| {
        grade::grade_lease_margin(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 4.
pub fn check_stale_writes(f: fn(&[AppliedWrite]) -> Vec<usize>) -> Report {
    check_task::<Leases>(&tasks::STALE_WRITES, DEFAULT_SEED, |c| {
        grade::grade_stale_writes(c, f, DEFAULT_SEED)
    })
}
