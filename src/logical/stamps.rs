//! Clocks run over a history: each rule is a plain function (the learner's, or the reference
//! kept for the graders), and these runners apply it event by event, in each node's order, as
//! the nodes would have. A receive sees the stamp its message carried (the sender's stamp at
//! the send event).

use super::history::{History, Kind};
use crate::error::{Error, Result};

/// A hybrid logical clock's stamp (Kulkarni et al. 2014): `l_s` is the largest physical time
/// the node has heard of, seconds; `c` counts events that share that `l_s`.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Hlc {
    /// The logical part: the largest physical clock reading known, seconds.
    pub l_s: f64,
    /// The counter, breaking ties among events with the same `l_s`.
    pub c: u32,
}

impl std::fmt::Display for Hlc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "({:.3}, {})", self.l_s, self.c)
    }
}

/// A Lamport rule: the stamp of the next event on a node whose clock holds `own`; `received`
/// is the stamp a received message carried (`None` for a local event or a send).
pub type LamportRule = fn(own: u64, received: Option<u64>) -> u64;
/// A vector clock's receive rule: the stamp of a receive on node `me` holding `own`, of a
/// message stamped `received`.
pub type VectorReceiveRule = fn(own: &[u64], received: &[u64], me: usize) -> Vec<u64>;
/// A hybrid logical clock rule: the stamp of the next event on a node holding `own` whose
/// physical clock reads `physical_s`; `received` as for Lamport.
pub type HlcRule = fn(own: Hlc, physical_s: f64, received: Option<Hlc>) -> Hlc;

/// The Lamport stamp of every event: each node starts at 0 and applies `rule` at each event.
pub fn lamport(history: &History, rule: LamportRule) -> Vec<u64> {
    let mut clock = vec![0u64; history.nodes()];
    let mut out: Vec<u64> = Vec::with_capacity(history.len());
    for ev in history.events() {
        let received = match ev.kind {
            Kind::Receive { send } => Some(out[send]),
            _ => None,
        };
        let s = rule(clock[ev.node], received);
        clock[ev.node] = s;
        out.push(s);
    }
    out
}

/// The vector stamp of every event: each node starts at all zeros; a local event or a send
/// adds one to the node's own entry; a receive applies `rule`.
///
/// Errors: the rule returned a vector that is not one entry per node.
pub fn vector(history: &History, rule: VectorReceiveRule) -> Result<Vec<Vec<u64>>> {
    let k = history.nodes();
    let mut clock = vec![vec![0u64; k]; k];
    let mut out: Vec<Vec<u64>> = Vec::with_capacity(history.len());
    for (i, ev) in history.events().iter().enumerate() {
        let next = match ev.kind {
            Kind::Receive { send } => {
                let v = rule(&clock[ev.node], &out[send], ev.node);
                if v.len() != k {
                    return Err(Error::invalid(
                        "vector clock length",
                        format!("{} at event {i}, in a history of {k} nodes", v.len()),
                        "a vector clock needs one entry per node",
                    ));
                }
                v
            }
            _ => {
                let mut v = clock[ev.node].clone();
                v[ev.node] += 1;
                v
            }
        };
        clock[ev.node].clone_from(&next);
        out.push(next);
    }
    Ok(out)
}

/// The HLC stamp of every event, each node starting at `(0, 0)` and reading its physical
/// clock at each event (`Event::physical_s`).
pub fn hlc(history: &History, rule: HlcRule) -> Vec<Hlc> {
    let mut clock = vec![Hlc::default(); history.nodes()];
    let mut out: Vec<Hlc> = Vec::with_capacity(history.len());
    for ev in history.events() {
        let received = match ev.kind {
            Kind::Receive { send } => Some(out[send]),
            _ => None,
        };
        let s = rule(clock[ev.node], ev.physical_s, received);
        clock[ev.node] = s;
        out.push(s);
    }
    out
}

/// Writes a vector stamp as `[2,0,1]`.
pub fn show_vector(v: &[u64]) -> String {
    let parts: Vec<String> = v.iter().map(u64::to_string).collect();
    format!("[{}]", parts.join(","))
}
