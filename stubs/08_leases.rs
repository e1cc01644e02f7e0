//! Exercise 8 · Process pauses, leases and fencing tokens.
//!
//! Read `notebooks/08-leases.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-8            # simulate, plot, grade
//!     cargo run --bin exercise-8 -- --hint  # a nudge for the first unfinished task
//!     cargo test                            # the same grader, as tests
//!
//! Times are in seconds, drift in parts per million (ppm). A lock service grants a lease with a
//! fencing token one higher than the last; clients time their lease on their own clocks, and
//! a pause can strike between "my lease is still valid" and the write it guards.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::exercises::leases::{self, Answers, AppliedWrite};

/// Task 1. The storage has accepted writes with tokens up to `highest_seen` (0 before any
/// write). A write carrying `token` arrives. Accept it? Your rule runs inside the simulated
/// storage: it must never let an old holder's write land after a newer holder's, and never
/// turn away a holder that writes several times under its one lease.
pub fn fencing_accepts(token: u64, highest_seen: u64) -> bool {
    // TODO: which tokens are too old?
    todo!()
}

/// Task 2. A client was granted a lease of `lease_s` seconds when its own clock read
/// `grant_local_s`. Its clock may run up to `drift_ppm` parts per million slow. Until what
/// reading of its own clock does the lease surely still hold in true time?
pub fn latest_safe_local_time(grant_local_s: f64, lease_s: f64, drift_ppm: f64) -> f64 {
    // TODO: how many local seconds pass in lease_s true seconds on the slowest clock?
    todo!()
}

/// Task 3. Between a client's check ("my lease holds") and its write, a pause of up to
/// `pause_s` true seconds may fall; its clock may run up to `drift_ppm` slow. How many local
/// seconds before the end of a `lease_s` lease (by its own clock) must it stop starting writes,
/// so that every write still lands inside the lease in true time?
pub fn lease_margin(pause_s: f64, drift_ppm: f64, lease_s: f64) -> f64 {
    // TODO: the last safe check, in true seconds after the grant, is lease_s − pause_s
    todo!()
}

/// Task 4. A storage's log: every write it received, in order, with its token and whether it
/// was accepted. Return the indices of the accepted writes that landed after an accepted write
/// with a higher token (each overwrote a newer lease holder's data).
pub fn stale_writes(writes: &[AppliedWrite]) -> Vec<usize> {
    // TODO: walk the log, remembering what has been accepted so far
    todo!()
}

/// Hands your functions to the grader.
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
