//! The happens-before oracle: from the true record of who sent what to whom, which events
//! happened before which. For each event it keeps, per node, how many of that node's events
//! are in its causal past (itself included): event `a` happened before `b` exactly when `b`'s
//! count for `a`'s node reaches `a`'s position. Built in one pass, O(events × nodes).

use super::history::{EventId, History, Kind};

/// How two events (or two vector clocks) are related.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Causality {
    /// The first happened before the second.
    Before,
    /// The second happened before the first.
    After,
    /// Neither happened before the other.
    Concurrent,
    /// The same event (for vector clocks: equal vectors).
    Equal,
}

/// Happens-before over the events of a [`History`], from the true record.
#[derive(Debug, Clone)]
pub struct HappensBefore {
    nodes: usize,
    /// `past[e * nodes + j]`: how many events of node j are in e's causal past, e included.
    past: Vec<u32>,
    node: Vec<u32>,
    seq: Vec<u32>,
}

impl HappensBefore {
    /// The oracle of `history`.
    pub fn new(history: &History) -> Self {
        let k = history.nodes();
        let n = history.len();
        let mut past = vec![0u32; n * k];
        let mut last: Vec<Option<EventId>> = vec![None; k];
        for (e, ev) in history.events().iter().enumerate() {
            let (done, row) = past.split_at_mut(e * k);
            let row = &mut row[..k];
            if let Some(p) = last[ev.node] {
                row.copy_from_slice(&done[p * k..p * k + k]);
            }
            if let Kind::Receive { send } = ev.kind {
                for (r, s) in row.iter_mut().zip(&done[send * k..send * k + k]) {
                    *r = (*r).max(*s);
                }
            }
            row[ev.node] = history.seq(e) as u32 + 1;
            last[ev.node] = Some(e);
        }
        HappensBefore {
            nodes: k,
            past,
            node: history.events().iter().map(|e| e.node as u32).collect(),
            seq: (0..n).map(|e| history.seq(e) as u32).collect(),
        }
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.node.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.node.is_empty()
    }

    /// Per node, how many of its events are in `e`'s causal past, `e` itself included.
    pub fn past(&self, e: EventId) -> &[u32] {
        &self.past[e * self.nodes..(e + 1) * self.nodes]
    }

    /// Whether `a` happened before `b` (a → b): a chain of node order and messages leads from
    /// `a` to `b`. False when `a == b`.
    pub fn happens_before(&self, a: EventId, b: EventId) -> bool {
        a != b && self.past[b * self.nodes + self.node[a] as usize] > self.seq[a]
    }

    /// Whether neither happened before the other (and they are different events).
    pub fn concurrent(&self, a: EventId, b: EventId) -> bool {
        a != b && !self.happens_before(a, b) && !self.happens_before(b, a)
    }

    /// How `a` relates to `b`.
    pub fn relation(&self, a: EventId, b: EventId) -> Causality {
        if a == b {
            Causality::Equal
        } else if self.happens_before(a, b) {
            Causality::Before
        } else if self.happens_before(b, a) {
            Causality::After
        } else {
            Causality::Concurrent
        }
    }
}
