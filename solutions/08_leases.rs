//! Exercise 8 · Process pauses, leases and fencing tokens — reference solution.
//!
//! One way to solve `exercises/08_leases.rs`; compare after you have your own.

use faultline::exercises::leases::{self, Answers, AppliedWrite};

/// Task 1: reject only tokens below the highest accepted. An equal token is the current holder
/// writing again under its one lease.
pub fn fencing_accepts(token: u64, highest_seen: u64) -> bool {
    token >= highest_seen
}

/// Task 2: on a clock ρ slow, lease_s true seconds show as lease_s·(1 − ρ) local ones.
pub fn latest_safe_local_time(grant_local_s: f64, lease_s: f64, drift_ppm: f64) -> f64 {
    grant_local_s + lease_s * (1.0 - drift_ppm * 1e-6)
}

/// Task 3: the last check may fall lease_s − pause_s true seconds after the grant, which the
/// slowest clock shows as (lease_s − pause_s)(1 − ρ) local seconds; the margin is the rest.
pub fn lease_margin(pause_s: f64, drift_ppm: f64, lease_s: f64) -> f64 {
    lease_s - (lease_s - pause_s) * (1.0 - drift_ppm * 1e-6)
}

/// Task 4: keep the highest accepted token; an accepted write below it is stale.
pub fn stale_writes(writes: &[AppliedWrite]) -> Vec<usize> {
    let mut highest = 0;
    let mut stale = Vec::new();
    for (i, w) in writes.iter().enumerate() {
        if !w.accepted {
            continue;
        }
        if w.token < highest {
            stale.push(i);
        }
        highest = highest.max(w.token);
    }
    stale
}

/// Hands the functions to the grader.
pub fn answers() -> Answers {
    Answers {
        fencing_accepts,
        latest_safe_local_time,
        lease_margin,
        stale_writes,
    }
}

fn main() -> std::process::ExitCode {
    leases::run(answers())
}
