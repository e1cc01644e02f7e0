//! Exercise 2 · Network faults.
//!
//! Read `notebooks/02-network-faults.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-2            # simulate, plot, grade
//!     cargo run --bin exercise-2 -- --hint  # a nudge for the first unfinished task
//!     cargo test                            # the same grader, as tests
//!
//! The network may delay, drop, duplicate and reorder messages, and cut nodes off from each
//! other. Messages carry sequence numbers 0, 1, 2, … in the order they were sent.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::exercises::network_faults::{self, Answers};

/// Task 1. A message of `size` bytes is put in the sender's output buffer while
/// `queued_bytes` are still waiting to be transmitted ahead of it. The link sends `bandwidth`
/// bytes per second, one message after another, and each then takes `propagation` seconds to
/// cross. How many seconds after it was sent does the message arrive?
pub fn one_way_delay(size: u64, bandwidth: f64, propagation: f64, queued_bytes: u64) -> f64 {
    // TODO: queueing + transmission + propagation
    todo!()
}

/// Task 2. Sequence numbers as they arrive, duplicates and all. For each arrival return `true`
/// if this number has not arrived before, `false` if it is a duplicate.
pub fn first_copies(arrivals: &[u64]) -> Vec<bool> {
    // TODO: remember what you have seen
    todo!()
}

/// Task 3. A receiver hands messages to its application strictly in order 0, 1, 2, …: one that
/// arrives early waits until every number before it has arrived; duplicates are ignored.
/// Given all arrivals, which sequence numbers does the application get, in order?
pub fn deliver_in_order(arrivals: &[u64]) -> Vec<u64> {
    // TODO: the next expected number, and a buffer for early arrivals
    todo!()
}

/// Task 4. A partition splits a cluster of `cluster` nodes; `side` of them can still talk to
/// each other. May they go on acting as the cluster (elect a leader, accept writes), knowing the
/// other side is asking itself the same question?
pub fn may_act(side: usize, cluster: usize) -> bool {
    // TODO: a rule the two sides cannot both satisfy
    todo!()
}

/// Hands your functions to the grader.
pub fn answers() -> Answers {
    Answers {
        one_way_delay,
        first_copies,
        deliver_in_order,
        may_act,
    }
}

fn main() -> std::process::ExitCode {
    network_faults::run(answers())
}
