//! Exercise 10 · Byzantine faults — reference solution.
//!
//! One way to solve `exercises/10_byzantine.rs`; compare after you have your own.

use faultline::byzantine::Order;
use faultline::exercises::byzantine::{self, Answers};

/// Task 1: count Attack; it wins with more than half, Retreat with more than half, else the
/// default.
pub fn majority(values: &[Order]) -> Order {
    let attack = values.iter().filter(|&&v| v == Order::Attack).count();
    let retreat = values.len() - attack;
    if attack > retreat {
        Order::Attack
    } else if retreat > attack {
        Order::Retreat
    } else {
        Order::DEFAULT
    }
}

/// Task 2: the commander's word counts once, like each lieutenant's relay: a majority of all
/// of them. A traitorous commander cannot split the loyal lieutenants, because they all vote
/// over the same relayed values; one traitorous lieutenant is outvoted.
pub fn om1_decide(commander_said: Order, relayed: &[Order]) -> Order {
    let mut all = Vec::with_capacity(relayed.len() + 1);
    all.push(commander_said);
    all.extend_from_slice(relayed);
    majority(&all)
}

/// Task 3: oral messages need n ≥ 3f + 1; signed messages work with any number of traitors,
/// so the fewest is f traitors plus two loyal generals.
pub fn min_generals(traitors: usize, signed: bool) -> usize {
    if signed { traitors + 2 } else { 3 * traitors + 1 }
}

/// Task 4: two quorums of q out of n can leave out at most n − q nodes each, so they share at
/// least q − (n − q) = 2q − n nodes, and never fewer than none.
pub fn quorum_overlap(n: usize, q: usize) -> usize {
    (2 * q).saturating_sub(n)
}

/// Hands the functions to the grader.
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
