//! Chapter 10 · Byzantine faults.
//!
//! The learner writes four functions (see `exercises/10_byzantine.rs`); each is graded against
//! the [`crate::byzantine`] simulators, run over every placement of the traitors, so a rule
//! that works only when the commander is loyal fails.
//!
//! | task | question |
//! |---|---|
//! | `majority` | the majority of the orders heard, with a default when neither has more than half |
//! | `om1_decide` | a lieutenant's OM(1) decision from the commander's order and the other lieutenants' relays |
//! | `min_generals` | the fewest generals for f traitors, with oral and with signed messages |
//! | `quorum_overlap` | the fewest nodes two quorums of q out of n must share |

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::byzantine::Order;
use crate::error::Result;
use crate::exercises::{Chapter, DEFAULT_SEED, check_task};
use crate::grade::{Counterexample, Report, Task};
use crate::shrink::ReplayCode;

mod cli;
mod figures;
pub mod grade;
pub mod replay;
mod replay_show;
mod story;
pub mod tasks;
mod truth;

pub use cli::{ByzantineArgs, simulate};
pub use figures::{breaks_figure, messages_figure};

/// The learner's functions for chapter 10.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: the order more than half of `values` say, else [`Order::DEFAULT`] (Retreat).
    pub majority: fn(values: &[Order]) -> Order,
    /// Task 2: a lieutenant's OM(1) decision from the order the commander sent it and the
    /// orders the other lieutenants relayed to it.
    pub om1_decide: fn(commander_said: Order, relayed: &[Order]) -> Order,
    /// Task 3: the fewest generals that can reach agreement despite `traitors` traitors, with
    /// oral (`signed = false`) or signed messages.
    pub min_generals: fn(traitors: usize, signed: bool) -> usize,
    /// Task 4: the fewest nodes that any two quorums of `q` out of `n` nodes must share.
    pub quorum_overlap: fn(n: usize, q: usize) -> usize,
}

/// Chapter 10 for the shared runner and self-check.
pub struct Byzantine;

impl Chapter for Byzantine {
    const NUMBER: u8 = 10;
    type Answers = Answers;
    type Args = ByzantineArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &ByzantineArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }

    fn replay(a: &Answers, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
        replay::replay(a.om1_decide, code, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<Byzantine>(answers)
}

/// `main` for `exercise-10` and `solution-10`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<Byzantine>(answers)
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_majority(f: fn(&[Order]) -> Order) -> Report {
    check_task::<Byzantine>(&tasks::MAJORITY, DEFAULT_SEED, |c| {
        grade::grade_majority(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_om1_decide(f: fn(Order, &[Order]) -> Order) -> Report {
    check_task::<Byzantine>(&tasks::OM1_DECIDE, DEFAULT_SEED, |c| {
        grade::grade_om1_decide(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 3.
pub fn check_min_generals(f: fn(usize, bool) -> usize) -> Report {
    check_task::<Byzantine>(&tasks::MIN_GENERALS, DEFAULT_SEED, |c| {
        grade::grade_min_generals(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 4.
pub fn check_quorum_overlap(f: fn(usize, usize) -> usize) -> Report {
    check_task::<Byzantine>(&tasks::QUORUM_OVERLAP, DEFAULT_SEED, |c| {
        grade::grade_quorum_overlap(c, f, DEFAULT_SEED)
    })
}
