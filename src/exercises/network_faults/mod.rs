//! Chapter 2 · Network faults.
//!
//! The learner writes four functions (see `exercises/02_network_faults.rs`), each graded
//! against the [`crate::world`] simulator's ground truth about every message.
//!
//! | task | question |
//! |---|---|
//! | `one_way_delay` | when does a message arrive, behind others in the sender's buffer? |
//! | `first_copies` | which arrivals are new, and which duplicates? |
//! | `deliver_in_order` | what can be handed to the application in sequence order? |
//! | `may_act` | which side of a partition may go on acting? |

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Chapter, DEFAULT_SEED, Task, check_task};
use crate::error::Result;
use crate::grade::{Counterexample, Report};
use crate::shrink::ReplayCode;

/// The learner's functions for chapter 2.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: seconds from sending until a message of `size` bytes arrives, on a link of
    /// `bandwidth` bytes/s and `propagation` seconds, when `queued_bytes` are still waiting to
    /// be transmitted ahead of it in the sender's output buffer.
    pub one_way_delay: fn(size: u64, bandwidth: f64, propagation: f64, queued_bytes: u64) -> f64,
    /// Task 2: for each arriving sequence number, in arrival order, `true` if it is the first
    /// copy seen and `false` for a duplicate.
    pub first_copies: fn(arrivals: &[u64]) -> Vec<bool>,
    /// Task 3: the sequence numbers handed to the application, in order, by a receiver that
    /// delivers 0, 1, 2, … and holds back anything after a gap.
    pub deliver_in_order: fn(arrivals: &[u64]) -> Vec<u64>,
    /// Task 4: may the `side` nodes that can still talk to each other, out of a cluster of
    /// `cluster`, go on acting (e.g. elect a leader, accept writes)?
    pub may_act: fn(side: usize, cluster: usize) -> bool,
}

/// Chapter 2 for the shared runner and self-check.
pub struct NetworkFaults;

mod cli;
mod figures;
pub mod grade;
pub mod replay;
pub mod schedule;
mod story;
pub mod tasks;
mod truth;

pub use cli::{NetArgs, simulate};
pub use figures::{delay_figure, order_figure};
pub use schedule::LinkSchedule;

impl Chapter for NetworkFaults {
    const NUMBER: u8 = 2;
    type Answers = Answers;
    type Args = NetArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &NetArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }

    fn replay(a: &Answers, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
        replay::replay(a.deliver_in_order, code, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<NetworkFaults>(answers)
}

/// `main` for `exercise-2` and `solution-2`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<NetworkFaults>(answers)
}

/// Notebook check for task 1.
pub fn check_one_way_delay(f: fn(u64, f64, f64, u64) -> f64) -> Report {
    check_task::<NetworkFaults>(
        &tasks::ONE_WAY_DELAY,
        DEFAULT_SEED,
        grade::grade_one_way_delay(f, DEFAULT_SEED),
    )
}
/// Notebook check for task 2.
pub fn check_first_copies(f: fn(&[u64]) -> Vec<bool>) -> Report {
    check_task::<NetworkFaults>(
        &tasks::FIRST_COPIES,
        DEFAULT_SEED,
        grade::grade_first_copies(f, DEFAULT_SEED),
    )
}
/// Notebook check for task 3.
pub fn check_deliver_in_order(f: fn(&[u64]) -> Vec<u64>) -> Report {
    check_task::<NetworkFaults>(
        &tasks::DELIVER_IN_ORDER,
        DEFAULT_SEED,
        grade::grade_deliver_in_order(f, DEFAULT_SEED),
    )
}
/// Notebook check for task 4.
pub fn check_may_act(f: fn(usize, usize) -> bool) -> Report {
    check_task::<NetworkFaults>(&tasks::MAY_ACT, DEFAULT_SEED, grade::grade_may_act(f, DEFAULT_SEED))
}
