//! Exercise 7 · Ordering by timestamps — reference solution.
//!
//! One way to solve `exercises/07_timestamps.rs`; compare after you have your own.

use std::cmp::Ordering;

use faultline::exercises::timestamps::{self, Answers};
use faultline::ordering::TtInterval;

/// Task 1: ε is the sync's error plus the drift bound (ppm → 10⁻⁶) times the time since.
pub fn uncertainty(reading: f64, since_sync_s: f64, sync_error_s: f64, drift_bound_ppm: f64) -> TtInterval {
    let epsilon = sync_error_s + drift_bound_ppm * 1e-6 * since_sync_s;
    TtInterval {
        earliest: reading - epsilon,
        latest: reading + epsilon,
    }
}

/// Task 2: the stamp is in the past for sure once the earliest possible true time is past it.
pub fn can_commit(stamp: f64, now: TtInterval) -> bool {
    now.earliest > stamp
}

/// Task 3: only disjoint intervals order their events; touching ones could be one instant.
pub fn order(a: TtInterval, b: TtInterval) -> Option<Ordering> {
    if a.latest < b.earliest {
        Some(Ordering::Less)
    } else if b.latest < a.earliest {
        Some(Ordering::Greater)
    } else {
        None
    }
}

/// Task 4: after each write the replicas hold the highest stamp so far; a write not above it
/// is dropped.
pub fn lost_writes(timestamps: &[f64]) -> usize {
    let mut highest = f64::NEG_INFINITY;
    let mut lost = 0;
    for &ts in timestamps {
        if ts > highest {
            highest = ts;
        } else {
            lost += 1;
        }
    }
    lost
}

/// Hands the functions to the grader.
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
