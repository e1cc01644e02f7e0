//! What the simulator says is true: the answers the graders compare with, and shared helpers.

use crate::byzantine::Order;
use crate::error::Error;
use crate::grade::Verdict;
use crate::sim::{SimRng, stream};

pub(super) fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Each task draws its cases from its own stream.
pub(super) fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 1000 + task)
}

/// Majority with the default on ties: the rule OM's lieutenants use.
pub(super) fn majority(values: &[Order]) -> Order {
    crate::byzantine::oral::majority(values)
}

/// OM(1): the vote over what the commander said and what the others relayed.
pub(super) fn om1_decide(commander_said: Order, relayed: &[Order]) -> Order {
    let mut all = vec![commander_said];
    all.extend_from_slice(relayed);
    majority(&all)
}

/// Oral: n ≥ 3f + 1 (Lamport, Shostak, Pease 1982). Signed: SM works with any number of
/// traitors; the problem needs two loyal generals to agree, so n ≥ f + 2.
pub(super) fn min_generals(traitors: usize, signed: bool) -> usize {
    if signed { traitors + 2 } else { 3 * traitors + 1 }
}

/// The smallest intersection of two q-subsets of n nodes, by enumeration for small n.
pub(super) fn quorum_overlap(n: usize, q: usize) -> usize {
    if n <= 12 {
        let sets: Vec<u32> = (0u32..1 << n).filter(|s| s.count_ones() as usize == q).collect();
        let first = sets[0];
        // By symmetry, fixing one quorum loses nothing.
        sets.iter()
            .map(|&s| (s & first).count_ones() as usize)
            .min()
            .unwrap_or(0)
    } else {
        (2 * q).saturating_sub(n)
    }
}

pub(super) fn show(values: &[Order]) -> String {
    let v: Vec<String> = values.iter().map(|o| format!("{o:?}")).collect();
    format!("[{}]", v.join(", "))
}
