//! A history: every event of a run (local steps, sends, receives) in an order that respects
//! every message (a send before its receive), with the true time of each event and what the
//! node's own physical clock read then.

use crate::error::{Error, Result};
use crate::world::NodeId;

/// An event's index in its [`History`].
pub type EventId = usize;

/// What kind of event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A step on one node that sends and receives nothing (a write, a decision).
    Local,
    /// Sending a message to `to`.
    Send {
        /// The receiver.
        to: NodeId,
    },
    /// Receiving the message sent at event `send`.
    Receive {
        /// The event that sent it.
        send: EventId,
    },
}

/// One event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// Where it happened.
    pub node: NodeId,
    /// What happened.
    pub kind: Kind,
    /// When, true time, seconds (the simulator's record; no node sees it).
    pub true_s: f64,
    /// What the node's physical (wall) clock read, seconds.
    pub physical_s: f64,
}

/// The events of one run, each after the send it receives; `seq` gives each event's position
/// on its own node (0, 1, 2, … per node).
#[derive(Debug, Clone, PartialEq)]
pub struct History {
    nodes: usize,
    events: Vec<Event>,
    seq: Vec<u32>,
}

impl History {
    /// A history of `nodes` nodes. Events are listed in an order where every receive comes
    /// after its send; on each node, list order is the node's own order.
    ///
    /// Errors: no nodes, an event on a node that does not exist, a time that is not finite, a
    /// receive whose `send` is not an earlier send to this node ("no matching send").
    pub fn new(nodes: usize, events: Vec<Event>) -> Result<Self> {
        if nodes == 0 {
            return Err(Error::invalid("nodes", 0, "a history needs at least one node"));
        }
        let mut count = vec![0u32; nodes];
        let mut seq = Vec::with_capacity(events.len());
        for (i, e) in events.iter().enumerate() {
            if e.node >= nodes {
                return Err(Error::invalid(
                    "event node",
                    format!("{} (event {i})", e.node),
                    "is not a node",
                ));
            }
            if !e.true_s.is_finite() || !e.physical_s.is_finite() {
                return Err(Error::invalid("event time", format!("event {i}"), "must be finite"));
            }
            match e.kind {
                Kind::Send { to } if to >= nodes => {
                    return Err(Error::invalid("send to", format!("{to} (event {i})"), "is not a node"));
                }
                Kind::Receive { send } => {
                    let ok = send < i && matches!(events[send].kind, Kind::Send { to } if to == e.node);
                    if !ok {
                        return Err(Error::invalid(
                            "receive",
                            format!("event {i} on node {} of event {send}", e.node),
                            "has no matching send (an earlier send to this node)",
                        ));
                    }
                }
                _ => {}
            }
            seq.push(count[e.node]);
            count[e.node] += 1;
        }
        Ok(History { nodes, events, seq })
    }

    /// Starts a history built by hand, event by event (the notebook's worked example).
    pub fn builder(nodes: usize) -> HistoryBuilder {
        HistoryBuilder {
            nodes,
            offsets_s: vec![0.0; nodes],
            events: Vec::new(),
        }
    }

    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.nodes
    }

    /// The events, in order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether there are no events.
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Event `e`'s position on its own node: 0 for the node's first event.
    pub fn seq(&self, e: EventId) -> usize {
        self.seq[e] as usize
    }
}

/// Builds a [`History`] by hand: each call adds one event at the given true time and returns
/// its id. Physical clocks read true time plus each node's offset.
#[derive(Debug, Clone)]
pub struct HistoryBuilder {
    nodes: usize,
    offsets_s: Vec<f64>,
    events: Vec<Event>,
}

impl HistoryBuilder {
    /// Each node's clock offset from true time, seconds (missing nodes: 0).
    pub fn offsets(mut self, offsets_s: &[f64]) -> Self {
        for (slot, o) in self.offsets_s.iter_mut().zip(offsets_s) {
            *slot = *o;
        }
        self
    }

    fn push(&mut self, node: NodeId, kind: Kind, true_s: f64) -> EventId {
        let offset = self.offsets_s.get(node).copied().unwrap_or(0.0);
        self.events.push(Event {
            node,
            kind,
            true_s,
            physical_s: true_s + offset,
        });
        self.events.len() - 1
    }

    /// A local event on `node` at true time `true_s`.
    pub fn local(&mut self, node: NodeId, true_s: f64) -> EventId {
        self.push(node, Kind::Local, true_s)
    }

    /// `node` sends to `to` at `true_s`.
    pub fn send(&mut self, node: NodeId, to: NodeId, true_s: f64) -> EventId {
        self.push(node, Kind::Send { to }, true_s)
    }

    /// `node` receives the message sent at event `send`, at `true_s`.
    pub fn receive(&mut self, node: NodeId, send: EventId, true_s: f64) -> EventId {
        self.push(node, Kind::Receive { send }, true_s)
    }

    /// The history, checked as [`History::new`] does. Events are put in true-time order
    /// (stable, so events at one time keep the order they were added in).
    pub fn build(self) -> Result<History> {
        let mut order: Vec<usize> = (0..self.events.len()).collect();
        order.sort_by(|&a, &b| self.events[a].true_s.total_cmp(&self.events[b].true_s));
        let mut new_id = vec![0; self.events.len()];
        for (k, &old) in order.iter().enumerate() {
            new_id[old] = k;
        }
        let events = order
            .iter()
            .map(|&old| {
                let mut e = self.events[old];
                if let Kind::Receive { send } = e.kind {
                    e.kind = Kind::Receive {
                        send: new_id.get(send).copied().unwrap_or(usize::MAX),
                    };
                }
                e
            })
            .collect();
        History::new(self.nodes, events)
    }
}
