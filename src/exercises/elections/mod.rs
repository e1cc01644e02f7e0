//! Chapter 9 · Quorums, split brain and leader election.
//!
//! The learner writes four functions (see `exercises/09_elections.rs`); each is graded against
//! the [`crate::quorum`] world, which knows in true time who led which term.
//!
//! | task | question |
//! |---|---|
//! | `quorum_size` | how many of n nodes must agree so that any two such groups share a node? |
//! | `may_elect` | may the side of a partition holding `side_len` of `n` nodes elect a leader? |
//! | `grant_vote` | the vote rule every node runs: grant this candidate my vote? |
//! | `timeout_range` | an election timeout range that elects within a target time |

use crate::error::Result;
use crate::exercises::check_task;
use crate::exercises::{Chapter, DEFAULT_SEED};
use crate::grade::{Counterexample, Report, Task};
use crate::shrink::ReplayCode;
use crate::world::NodeId;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod cli;
mod figures;
pub mod grade;
pub mod liveness;
pub mod real;
pub mod replay;
pub mod tasks;

pub use cli::{ElectionArgs, simulate};
pub use figures::{election_cdf_figure, failover_cdf_figure, split_vote_figure};

/// The learner's functions for chapter 9.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: the smallest number of votes out of `n` such that any two groups of that many
    /// nodes share at least one node.
    pub quorum_size: fn(n: usize) -> usize,
    /// Task 2: whether the side of a partition holding `side_len` of the `n` nodes may elect a
    /// leader with majority quorums.
    pub may_elect: fn(side_len: usize, n: usize) -> bool,
    /// Task 3: whether a node whose current term is `my_term`, having voted for `voted_for` in
    /// it (if anyone), grants its vote to `candidate` asking in `candidate_term`.
    pub grant_vote: fn(my_term: u64, voted_for: Option<NodeId>, candidate: NodeId, candidate_term: u64) -> bool,
    /// Task 4: an election timeout range `(min_s, max_s)` for leaders that send a heartbeat
    /// every `heartbeat_s`, so that elections take `target_s` or less on average.
    pub timeout_range: fn(heartbeat_s: f64, target_s: f64) -> (f64, f64),
}

/// Chapter 9 for the shared runner and self-check.
pub struct Elections;

impl Chapter for Elections {
    const NUMBER: u8 = 9;
    type Answers = Answers;
    type Args = ElectionArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &ElectionArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }

    fn replay(a: &Answers, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
        replay::replay(a.grant_vote, code, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<Elections>(answers)
}

/// `main` for `exercise-9` and `solution-9`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<Elections>(answers)
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_quorum_size(f: fn(usize) -> usize) -> Report {
    check_task::<Elections>(&tasks::QUORUM_SIZE, DEFAULT_SEED, |c| {
        grade::grade_quorum_size(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 2.
pub fn check_may_elect(f: fn(usize, usize) -> bool) -> Report {
    check_task::<Elections>(&tasks::MAY_ELECT, DEFAULT_SEED, |c| {
        grade::grade_may_elect(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 3.
pub fn check_grant_vote(f: fn(u64, Option<NodeId>, NodeId, u64) -> bool) -> Report {
    check_task::<Elections>(&tasks::GRANT_VOTE, DEFAULT_SEED, |c| {
        grade::grade_grant_vote(c, f, DEFAULT_SEED)
    })
}

/// Notebook check for task 4.
pub fn check_timeout_range(f: fn(f64, f64) -> (f64, f64)) -> Report {
    check_task::<Elections>(&tasks::TIMEOUT_RANGE, DEFAULT_SEED, |c| {
        grade::grade_timeout_range(c, f, DEFAULT_SEED)
    })
}
