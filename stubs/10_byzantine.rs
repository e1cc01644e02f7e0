//! Exercise 10 · Byzantine faults.
//!
//! Read `notebooks/10-byzantine.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-10            # simulate, plot, grade
//!     cargo run --bin exercise-10 -- --hint  # a nudge for the first unfinished task
//!     cargo test                             # the same grader, as tests
//!
//! An `Order` is `Order::Attack` or `Order::Retreat`; `Order::DEFAULT` is `Order::Retreat`,
//! what a lieutenant assumes when a vote is tied or a message never came.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::byzantine::Order;
use faultline::exercises::byzantine::{self, Answers};

/// Task 1. The majority vote of OM: the order that more than half of `values` say; if
/// neither order has more than half (a tie, or no values at all), `Order::DEFAULT`.
pub fn majority(values: &[Order]) -> Order {
    // TODO: count each order; only a strict majority wins
    todo!()
}

/// Task 2. OM(1) from one loyal lieutenant's seat. The commander sent it `commander_said`;
/// each other lieutenant relayed what the commander had sent them, in `relayed`. Any of them
/// may be a traitor, the commander included. What does the lieutenant decide?
pub fn om1_decide(commander_said: Order, relayed: &[Order]) -> Order {
    // TODO: whom does OM(1) trust, and how much?
    todo!()
}

/// Task 3. The fewest generals, the commander included, that can reach agreement (IC1 and
/// IC2) whatever `traitors` of them do, for `traitors` ≥ 1: with oral messages
/// (`signed = false`), and with unforgeable signed messages (`signed = true`). With signatures,
/// count the fewest generals for which at least two loyal generals are left to agree.
pub fn min_generals(traitors: usize, signed: bool) -> usize {
    // TODO: Lamport, Shostak and Pease (1982) give both
    todo!()
}

/// Task 4. A system of `n` nodes acts on a quorum of any `q` of them (1 ≤ q ≤ n). What is
/// the fewest nodes that two quorums are sure to have in common?
pub fn quorum_overlap(n: usize, q: usize) -> usize {
    // TODO: put the two quorums as far apart as they can go
    todo!()
}

/// Hands your functions to the grader.
pub fn answers() -> Answers {
    Answers {
        majority,
        om1_decide,
        min_generals,
        quorum_overlap,
    }
}

fn main() -> std::process::ExitCode {
    byzantine::run(answers())
}
