//! Exercise 12 · System models: timing, failures, safety and liveness.
//!
//! Read `notebooks/12-system-models.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-12            # simulate, plot, grade
//!     cargo run --bin exercise-12 -- --hint  # a nudge for the first unfinished task
//!     cargo test                             # the same grader, as tests
//!
//! Times are in seconds. A safety property says something bad never happens (a run that breaks
//! it does so at one event); a liveness property says something good eventually happens.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::exercises::system_models::{self, Answers};
use faultline::lease::AppliedWrite;
use faultline::models::{Consistent, DelayRun, Property};

/// Task 1. Is `p` a safety property (true) or a liveness property (false)? `p.text()` says
/// it in words; `Property::ALL` lists them all.
pub fn is_safety(p: Property) -> bool {
    // TODO: can a finite run show it broken, at one event that nothing later can undo?
    todo!()
}

/// Task 2. The writes a storage received, in order, each with its fencing token and whether
/// the storage accepted it. Return the index of the first *accepted* write whose token is
/// lower than a token the storage accepted before it (None: no stale write was accepted).
/// The same token twice is one lease holder writing again.
pub fn first_stale_write(writes: &[AppliedWrite]) -> Option<usize> {
    // TODO: walk the accepted writes, remembering the highest token accepted so far
    todo!()
}

/// Task 3. A recorded run: every message's send time and delivery time (None: never
/// delivered), in order of sending, and when the run ended. With a one-way bound `bound_s`,
/// a message is late if it took longer than the bound, or was never delivered although the
/// run went on longer than the bound after it was sent. Return
/// `Consistent::Synchronous` if no message was late; else
/// `Consistent::PartiallySynchronous { gst_s }` with `gst_s` the first send time after the
/// last late message's send time; or `Consistent::Asynchronous` if there is none.
pub fn timing_model(run: &DelayRun, bound_s: f64) -> Consistent {
    // TODO: find the last late message, then the first message sent strictly after it
    todo!()
}

/// Task 4. After GST every message arrives within `bound_s`, and a leader sends a heartbeat
/// every `heartbeat_s`. Choose an election timeout range `(min_s, max_s)` so that a leader is
/// elected within 2 s after GST and then keeps leading: your range runs in partially
/// synchronous election worlds of 5 nodes.
pub fn election_timeout(heartbeat_s: f64, bound_s: f64) -> (f64, f64) {
    // TODO: how far apart can two heartbeats arrive? How long does a candidate wait for votes?
    todo!()
}

/// Hands your functions to the grader.
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
