//! Exercise 9 · Quorums, split brain and leader election — reference solution.
//!
//! One way to solve `exercises/09_elections.rs`; compare after you have your own.

use faultline::exercises::elections::{self, Answers};

/// Task 1: a majority. Two groups of ⌊n/2⌋ + 1 have more than n members together, so they
/// share one; any smaller and two of them can be disjoint.
pub fn quorum_size(n: usize) -> usize {
    n / 2 + 1
}

/// Task 2: only a side holding a majority; then no other side can hold one too.
pub fn may_elect(side_len: usize, n: usize) -> bool {
    side_len > n / 2
}

/// Task 3: Raft's rule. A newer term always gets the vote (this node has not voted in it yet);
/// the current term only if this node has not voted in it, or voted for this very candidate;
/// an older term never.
pub fn grant_vote(my_term: u64, voted_for: Option<usize>, candidate: usize, candidate_term: u64) -> bool {
    candidate_term > my_term || (candidate_term == my_term && voted_for.is_none_or(|v| v == candidate))
}

/// Task 4: min = 3 heartbeats (two may be lost), and a spread as wide again: the first of five
/// followers times out about a sixth of the spread after min, and ties are rare.
pub fn timeout_range(heartbeat_s: f64, _target_s: f64) -> (f64, f64) {
    let min = 3.0 * heartbeat_s;
    (min, 2.0 * min)
}

/// Hands the functions to the grader.
pub fn answers() -> Answers {
    Answers {
        quorum_size,
        may_elect,
        grant_vote,
        timeout_range,
    }
}

fn main() -> std::process::ExitCode {
    elections::run(answers())
}
