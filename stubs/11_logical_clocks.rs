//! Exercise 11 · Logical clocks.
//!
//! Read `notebooks/11-logical-clocks.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-11             # simulate, plot, grade
//!     cargo run --bin exercise-11 -- --hint   # a nudge for the first unfinished task
//!     cargo test                              # the same grader, as tests
//!
//! Your rules run inside the simulator: every node of a gossip world applies them at each of
//! its events, and the grader checks the stamps against what truly happened before what.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::exercises::logical_clocks::{self, Answers};
use faultline::logical::{Causality, Hlc};

/// Task 1. A Lamport clock. A node whose clock holds `own` takes its next event. For a local
/// event or a send, `received` is `None`; for a receive it is the stamp the message carried.
/// Return the event's stamp (the node's clock afterwards).
pub fn lamport(own: u64, received: Option<u64>) -> u64 {
    // TODO: tick; and on a receive, first catch up with the message
    todo!()
}

/// Task 2. A vector clock on node `me` holds `own` (one entry per node) and receives a message
/// stamped `received`. Return the receive event's stamp. (Local events and sends, which just
/// add 1 to entry `me`, are done for you.)
pub fn vector_receive(own: &[u64], received: &[u64], me: usize) -> Vec<u64> {
    // TODO: what does the node know after the receive? Then count the receive itself.
    todo!()
}

/// Task 3. Two vector stamps of the same history. Return `Causality::Before` if the event
/// stamped `a` happened before the one stamped `b`, `After` if after, `Equal` if the vectors
/// are equal (the same event), and `Concurrent` if neither happened before the other.
pub fn compare(a: &[u64], b: &[u64]) -> Causality {
    // TODO: look for an entry where a is smaller and one where it is larger
    todo!()
}

/// Task 4. A hybrid logical clock (Kulkarni et al., 2014). A node holding `own` = (l, c)
/// takes its next event; its physical clock reads `physical_s`. `received` is `None` for a
/// local event or a send, or the stamp the received message carried. Return the new (l, c):
/// l is the largest physical time heard of, c breaks ties among events with the same l.
pub fn hlc(own: Hlc, physical_s: f64, received: Option<Hlc>) -> Hlc {
    // TODO: the new l first, then c depending on where l came from
    todo!()
}

/// Hands your functions to the grader.
pub fn answers() -> Answers {
    Answers {
        lamport,
        vector_receive,
        compare,
        hlc,
    }
}

fn main() -> std::process::ExitCode {
    logical_clocks::run(answers())
}
