//! Exercise 9 · Quorums, split brain and leader election.
//!
//! Read `notebooks/09-elections.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-9            # simulate, plot, grade
//!     cargo run --bin exercise-9 -- --hint  # a nudge for the first unfinished task
//!     cargo test                            # the same grader, as tests
//!
//! Times are in seconds. Nodes elect a leader per term: a follower that hears no heartbeat
//! within its randomised election timeout starts a new term, votes for itself and asks the
//! others for their votes; whoever collects a quorum leads that term.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::exercises::elections::{self, Answers};

/// Task 1. How many of `n` nodes must vote for a candidate so that any two groups that large
/// share at least one node (who cannot vote twice), while as many nodes as possible may crash?
pub fn quorum_size(n: usize) -> usize {
    // TODO: the smallest group bigger than any group it could be disjoint from
    todo!()
}

/// Task 2. A partition leaves `side_len` of the `n` nodes together on one side. May that side
/// elect a leader, with majority quorums?
pub fn may_elect(side_len: usize, n: usize) -> bool {
    // TODO: a side may elect if no other side could at the same time
    todo!()
}

/// Task 3. The vote rule every node runs. This node's current term is `my_term` and it has
/// voted for `voted_for` in that term (None: not yet). `candidate` asks for its vote in
/// `candidate_term`. Grant it? Your rule runs inside the simulated nodes under partitions,
/// crashes and pauses: no term may ever have two leaders, and a leader must still get elected.
/// (A node that grants a newer term moves to that term and records the vote.)
pub fn grant_vote(my_term: u64, voted_for: Option<usize>, candidate: usize, candidate_term: u64) -> bool {
    // TODO: compare the terms first, then your vote in this term
    todo!()
}

/// Task 4. Leaders send a heartbeat every `heartbeat_s`. Choose an election timeout range
/// `(min_s, max_s)`: a follower must ride out two lost heartbeats, and 200 simulated elections
/// of 5 nodes (5 ms links) must take `target_s` or less on average.
pub fn timeout_range(heartbeat_s: f64, target_s: f64) -> (f64, f64) {
    // TODO: how short may min_s be, and how wide must the range be to avoid split votes?
    todo!()
}

/// Hands your functions to the grader.
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
