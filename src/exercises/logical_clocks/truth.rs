//! What the simulator says is true: the histories the graders run on, the worked example of
//! the notebook, and the reference stamps (from the crate-private rules).

use crate::error::{Error, Result};
use crate::grade::Verdict;
use crate::logical::{GossipConfig, History, Kind, stamps};
use crate::sim::{Seed, SimRng, stream};
use rand::Rng;

pub(super) fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Each task draws its cases from its own stream.
pub(super) fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 1100 + task)
}

/// The notebook's worked example: three nodes (A, B, C) and sixteen events. A's clock runs
/// 2 s ahead of true time, B's is right, C's 0.5 s behind, so A's readings reach B and C by
/// message before their own clocks get there. Its stamps are whatever the rules give; nothing
/// is copied from a figure.
pub fn worked_example() -> History {
    let mut b = History::builder(3).offsets(&[2.0, 0.0, -0.5]);
    let (a, bb, c) = (0, 1, 2);
    b.local(a, 1.0);
    let a2 = b.send(a, bb, 2.0);
    b.local(bb, 1.5);
    b.receive(bb, a2, 2.6);
    let b3 = b.send(bb, c, 3.0);
    b.local(bb, 3.3);
    let b5 = b.send(bb, c, 3.6);
    b.local(bb, 6.0);
    let c1 = b.send(c, a, 2.5);
    b.receive(a, c1, 4.0);
    let a4 = b.send(a, c, 5.0);
    b.receive(c, b3, 3.5);
    b.receive(c, b5, 4.2);
    b.receive(c, a4, 6.0);
    b.local(c, 6.5);
    b.local(a, 6.2);
    b.build().expect("the worked example is a valid history")
}

/// A gossip history for grading: `k`-th of the seed, with clocks `skew_s` apart.
fn gossip(seed: u64, k: u64, rng: &mut SimRng, skew_s: f64) -> Result<History> {
    let cfg = GossipConfig {
        nodes: rng.random_range(2..=6),
        steps_per_node: rng.random_range(8..=25),
        mean_gap_s: 0.004,
        send_probability: rng.random_range(0.3..0.8),
        delay_s: 0.001,
        jitter_s: 0.004,
        loss: 0.05,
        skew_s,
        drift_ppm: 200.0,
        faults: Vec::new(),
    };
    Ok(cfg.simulate(Seed(seed).child(k))?.history)
}

/// The histories a task is graded on: the worked example, then `count` gossip runs drawn
/// from `seed`, described for failure messages.
pub(super) fn histories(seed: u64, task: u64, count: u64, skew_s: f64) -> Result<Vec<(String, History)>> {
    let mut rng = cases_rng(seed, task);
    let mut out = vec![("the notebook's worked example".to_string(), worked_example())];
    for k in 0..count {
        let h = gossip(seed, 100 * task + k, &mut rng, skew_s)?;
        out.push((
            format!(
                "gossip run {k} of seed {seed} (nodes A–{}, {} events)",
                node_name(h.nodes() - 1),
                h.len()
            ),
            h,
        ));
    }
    Ok(out)
}

/// Node `n`'s name: A, B, C, … (the notebook's names), then N26, N27, ….
pub(super) fn node_name(n: usize) -> String {
    if n < 26 {
        char::from(b'A' + n as u8).to_string()
    } else {
        format!("N{n}")
    }
}

/// Event `e`'s name: its node's name and its position there from 1, as the notebook writes
/// them (A1 is A's first event).
pub(super) fn ev(h: &History, e: usize) -> String {
    format!("{}{}", node_name(h.events()[e].node), h.seq(e) + 1)
}

/// Describes event `e` for a failure message.
pub(super) fn describe(h: &History, e: usize) -> String {
    let what = match h.events()[e].kind {
        Kind::Local => "a local event".to_string(),
        Kind::Send { to } => format!("a send to {}", node_name(to)),
        Kind::Receive { send } => format!("the receive of {}'s message", ev(h, send)),
    };
    format!("event {} ({what})", ev(h, e))
}

/// The reference stamps.
pub(super) fn lamport(h: &History) -> Vec<u64> {
    stamps::lamport(h, crate::logical::rules::lamport)
}

pub(super) fn vector(h: &History) -> Vec<Vec<u64>> {
    stamps::vector(h, crate::logical::rules::vector_receive).expect("the reference rule keeps the length")
}

pub(super) fn hlc(h: &History) -> Vec<stamps::Hlc> {
    stamps::hlc(h, crate::logical::rules::hlc)
}

/// The previous event on `e`'s node, if any.
pub(super) fn previous_on_node(h: &History, e: usize) -> Option<usize> {
    let node = h.events()[e].node;
    (0..e).rev().find(|&p| h.events()[p].node == node)
}
