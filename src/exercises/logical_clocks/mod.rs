//! Chapter 11 · Logical clocks.
//!
//! The learner writes four clock rules (see `exercises/11_logical_clocks.rs`); each runs inside
//! the clock runners of [`crate::logical`] over histories of a gossip world and is graded
//! against the happens-before oracle, computed from the world's true record of messages.
//!
//! | task | question |
//! |---|---|
//! | `lamport` | the Lamport stamp of the next event (local, send or receive) |
//! | `vector_receive` | a vector clock's stamp when a message arrives: merge, then tick |
//! | `compare` | two vector stamps: before, after, concurrent or equal? |
//! | `hlc` | a hybrid logical clock's `(l, c)` at the next event, given the physical clock |

use crate::logical::{Causality, Hlc};

/// The learner's functions for chapter 11.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: the Lamport stamp of a node's next event; `received` is the stamp a received
    /// message carried, `None` for a local event or a send.
    pub lamport: fn(own: u64, received: Option<u64>) -> u64,
    /// Task 2: the vector stamp of a receive on node `me`, whose clock is `own`, of a message
    /// stamped `received`.
    pub vector_receive: fn(own: &[u64], received: &[u64], me: usize) -> Vec<u64>,
    /// Task 3: how vector stamp `a` relates to `b`.
    pub compare: fn(a: &[u64], b: &[u64]) -> Causality,
    /// Task 4: the HLC stamp of a node's next event, whose clock holds `own` and whose physical
    /// clock reads `physical_s`; `received` as for Lamport.
    pub hlc: fn(own: Hlc, physical_s: f64, received: Option<Hlc>) -> Hlc,
}

/// Chapter 11 for the shared runner and self-check.
pub struct LogicalClocks;

use crate::error::Result;
use crate::exercises::check_task;
use crate::exercises::{Chapter, DEFAULT_SEED};
use crate::grade::{Report, Task};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;
pub mod figures;
pub mod grade;
pub mod tasks;
mod truth;

pub use cli::{LogicalArgs, simulate};
pub use figures::{
    HlcMargins, Stamp, hlc_figure, hlc_margins, stamped_diagram, version_summary, worked_example,
    worked_example_history,
};

impl Chapter for LogicalClocks {
    const NUMBER: u8 = 11;
    type Answers = Answers;
    type Args = LogicalArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &LogicalArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<LogicalClocks>(answers)
}

/// `main` for `exercise-11` and `solution-11`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<LogicalClocks>(answers)
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_lamport(f: fn(u64, Option<u64>) -> u64) -> Report {
    check_task::<LogicalClocks>(&tasks::LAMPORT, DEFAULT_SEED, |c| {
        grade::grade_lamport(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_vector_receive(f: fn(&[u64], &[u64], usize) -> Vec<u64>) -> Report {
    check_task::<LogicalClocks>(&tasks::VECTOR_RECEIVE, DEFAULT_SEED, |c| {
        grade::grade_vector_receive(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 3.
pub fn check_compare(f: fn(&[u64], &[u64]) -> Causality) -> Report {
    check_task::<LogicalClocks>(&tasks::COMPARE, DEFAULT_SEED, |c| {
        grade::grade_compare(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 4.
pub fn check_hlc(f: fn(Hlc, f64, Option<Hlc>) -> Hlc) -> Report {
    check_task::<LogicalClocks>(&tasks::HLC, DEFAULT_SEED, |c| grade::grade_hlc(c, f, DEFAULT_SEED))
}
