//! Exercise 7 · Ordering by timestamps.
//!
//! Read `notebooks/07-ordering-by-timestamps.ipynb` first. Then replace each `todo!()` below,
//! and run
//!
//!     cargo run --bin exercise-7            # simulate, plot, grade
//!     cargo run --bin exercise-7 -- --hint  # a nudge for the first unfinished task
//!     cargo test                            # the same grader, as tests
//!
//! Times are in seconds. A `TtInterval { earliest, latest }` is a clock reading with its
//! uncertainty: true time lies somewhere between `earliest` and `latest`.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use std::cmp::Ordering;

use faultline::exercises::timestamps::{self, Answers};
use faultline::ordering::TtInterval;

/// Task 1. A node's clock reads `reading` (Unix seconds). It was set to within
/// `sync_error_s` of true time `since_sync_s` seconds ago, and it drifts by at most
/// `drift_bound_ppm` parts per million. Return the interval that surely holds true time.
pub fn uncertainty(reading: f64, since_sync_s: f64, sync_error_s: f64, drift_bound_ppm: f64) -> TtInterval {
    // TODO: the error left by the sync, plus the most the clock can have drifted since
    todo!()
}

/// Task 2. Commit wait. A transaction took the timestamp `stamp` = `now().latest` when it
/// started. Given the clock's interval `now`, may it be acknowledged yet? It may once `stamp`
/// is certainly in the past, so that every later transaction, on any node, gets a larger
/// timestamp.
pub fn can_commit(stamp: f64, now: TtInterval) -> bool {
    // TODO: when is stamp certainly in the past?
    todo!()
}

/// Task 3. Two events were stamped with intervals `a` and `b` (by different nodes). Return
/// `Some(Ordering::Less)` if `a` certainly happened before `b`, `Some(Ordering::Greater)` if
/// certainly after, and `None` if the stamps cannot tell.
pub fn order(a: TtInterval, b: TtInterval) -> Option<Ordering> {
    // TODO: when can two intervals not both contain the same instant?
    todo!()
}

/// Task 4. A chain of writes to one key, each made after its writer had seen the previous
/// one, listed in that (true) order by their timestamps. Replicas use last-write-wins: they
/// keep the value with the greatest timestamp and drop a write whose timestamp is not strictly
/// greater than what they hold. How many writes are silently lost?
pub fn lost_writes(timestamps: &[f64]) -> usize {
    // TODO: what does a replica hold when each write arrives?
    todo!()
}

/// Hands your functions to the grader.
pub fn answers() -> Answers {
    Answers {
        uncertainty,
        can_commit,
        order,
        lost_writes,
    }
}

fn main() -> std::process::ExitCode {
    timestamps::run(answers())
}
