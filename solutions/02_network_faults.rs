//! Exercise 2 · Network faults — reference solution.
//!
//! One way to solve `exercises/02_network_faults.rs`; compare after you have your own.

use std::collections::{BTreeSet, HashSet};

use faultline::exercises::network_faults::{self, Answers};

/// Task 1: wait for the bytes ahead, transmit our own, then cross the wire.
pub fn one_way_delay(size: u64, bandwidth: f64, propagation: f64, queued_bytes: u64) -> f64 {
    (queued_bytes + size) as f64 / bandwidth + propagation
}

/// Task 2: a set of every number seen so far; `insert` says whether it was new.
pub fn first_copies(arrivals: &[u64]) -> Vec<bool> {
    let mut seen = HashSet::new();
    arrivals.iter().map(|&s| seen.insert(s)).collect()
}

/// Task 3: deliver the expected number when it comes, then drain the early ones that follow.
pub fn deliver_in_order(arrivals: &[u64]) -> Vec<u64> {
    let mut next = 0;
    let mut early = BTreeSet::new();
    let mut out = Vec::new();
    for &s in arrivals {
        if s < next {
            continue; // already delivered: a duplicate
        }
        early.insert(s);
        while early.remove(&next) {
            out.push(next);
            next += 1;
        }
    }
    out
}

/// Task 4: a strict majority; two disjoint sides cannot both have one.
pub fn may_act(side: usize, cluster: usize) -> bool {
    2 * side > cluster
}

/// Hands the functions to the grader.
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
