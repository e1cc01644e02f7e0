//! Exercise 12 · System models — reference solution.
//!
//! One way to solve `exercises/12_system_models.rs`; compare after you have your own.

use faultline::exercises::system_models::{self, Answers};
use faultline::lease::AppliedWrite;
use faultline::models::{Consistent, DelayRun, Property};

/// Task 1: safety has a finite witness (a bad event); liveness only promises something
/// eventually. A deadline ("within 1 s") turns a promise into something a finite run can break.
pub fn is_safety(p: Property) -> bool {
    use Property::*;
    match p {
        OneLeaderPerTerm
        | NoStaleWrite
        | ClockCondition
        | AnsweredWithinOneSecond
        | NoFalseSuspicion
        | Agreement
        | DecidesProposedValue => true,
        EventuallyLeader | WriteEventuallyAccepted | EveryRequestAnswered | CrashEventuallySuspected | Termination => {
            false
        }
    }
}

/// Task 2: the highest accepted token so far; an accepted write below it is the witness.
/// Rejected writes neither violate nor raise it; equal tokens are allowed.
pub fn first_stale_write(writes: &[AppliedWrite]) -> Option<usize> {
    let mut highest: Option<u64> = None;
    for (i, w) in writes.iter().enumerate() {
        if !w.accepted {
            continue;
        }
        if highest.is_some_and(|h| w.token < h) {
            return Some(i);
        }
        highest = Some(highest.map_or(w.token, |h| h.max(w.token)));
    }
    None
}

/// Task 3: the last late message decides; GST is the first send time strictly after it.
pub fn timing_model(run: &DelayRun, bound_s: f64) -> Consistent {
    let late = |sent: f64, delivered: Option<f64>| delivered.unwrap_or(run.end_s) - sent > bound_s;
    let Some(k) = run.deliveries.iter().rposition(|d| late(d.sent_s, d.delivered_s)) else {
        return Consistent::Synchronous;
    };
    let t = run.deliveries[k].sent_s;
    match run.deliveries[k..].iter().find(|d| d.sent_s > t) {
        Some(d) => Consistent::PartiallySynchronous { gst_s: d.sent_s },
        None => Consistent::Asynchronous,
    }
}

/// Task 4: heartbeats arrive at most heartbeat + bound apart, and a candidate needs a round
/// trip (2 · bound) for its votes; twice the larger of the two, and as wide again.
pub fn election_timeout(heartbeat_s: f64, bound_s: f64) -> (f64, f64) {
    let min = 2.0 * (heartbeat_s + bound_s).max(2.0 * bound_s);
    (min, 2.0 * min)
}

/// Hands the functions to the grader.
pub fn answers() -> Answers {
    Answers {
        is_safety,
        first_stale_write,
        timing_model,
        election_timeout,
    }
}

fn main() -> std::process::ExitCode {
    system_models::run(answers())
}
