//! Exercise 1 · Partial failure.
//!
//! Read `notebooks/01-partial-failure.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-1            # simulate, plot, grade
//!     cargo run --bin exercise-1 -- --hint  # a nudge for the first unfinished task
//!     cargo test                            # the same grader, as tests
//!
//! A client sends requests to a server over a network that loses, duplicates and delays
//! messages, to a server that may pause or crash. When no reply comes, the client cannot tell
//! whether the request was lost, the server died, or the reply was lost or is still coming. All
//! it can do is retry, and the server must make retries harmless.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::exercises::partial_failure::{self, Answers, Ledger, Op, Receipt, Transfer};

/// Task 1. Seconds to wait before retry number `attempt` (0 for the first retry): the ceiling
/// starts at `base` and doubles with each attempt but never exceeds `cap`; the wait is a
/// uniformly random fraction of that ceiling ("full jitter"), given as `u` in [0, 1). Any
/// `attempt` can come, even after thousands of failures, and the wait is still at most `cap`
/// (even when `base` is larger than `cap`).
pub fn backoff(attempt: u32, base: f64, cap: f64, u: f64) -> f64 {
    // TODO: exponential, capped, jittered
    todo!()
}

/// Task 2. Is `op` safe to retry blindly: does applying it twice leave the state exactly as
/// applying it once, whatever the state before? (See `Op`'s variants: reads, sets, deposits,
/// log appends, …) Judge the operation with its value: a deposit of 0 changes nothing.
pub fn safe_to_retry(op: Op) -> bool {
    // TODO: one match
    todo!()
}

/// Task 3. A client sends a request, and resends it whenever no reply comes in time, until it
/// gets one. Each request is lost with probability `p_request`, each reply with `p_reply`,
/// independently (each in [0, 1), 0 included). The server applies every request it receives (no
/// deduplication). On average, how many times is the request applied?
pub fn expected_applications(p_request: f64, p_reply: f64) -> f64 {
    // TODO: how many requests reach the server before a reply gets back?
    todo!()
}

/// Task 4. The server's handler. Apply transfer `t` to `ledger` (add `t.amount` to the
/// balance) exactly once, however many times the same `t.key` arrives, and answer every copy
/// with the same receipt: the balance right after it was applied.
pub fn apply_transfer(ledger: &mut Ledger, t: Transfer) -> Receipt {
    // TODO: ledger.receipts remembers what you answered
    todo!()
}

/// Hands your functions to the grader.
pub fn answers() -> Answers {
    Answers {
        backoff,
        safe_to_retry,
        expected_applications,
        apply_transfer,
    }
}

fn main() -> std::process::ExitCode {
    partial_failure::run(answers())
}
