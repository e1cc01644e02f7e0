//! What a run records: the ground truth no node can see. Every message's fate, every client
//! operation's invocation and completion, every crash, pause and clock step, with true times.

use std::any::Any;

use crate::clock::Reading;
use crate::sim::RunOutcome;

use super::fault::Partition;
use super::{Node, NodeId, Protocol};

/// Why a message was not delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// Lost on the wire.
    Loss,
    /// The sender's output buffer was full.
    BufferFull,
    /// A partition separated the two nodes.
    Partition,
    /// The receiver was crashed when it arrived.
    ReceiverDown,
}

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fate {
    /// Still travelling when the run stopped.
    InFlight,
    /// Handed to the receiver at this true time.
    Delivered {
        /// True time, seconds.
        at_s: f64,
    },
    /// Dropped at this true time.
    Dropped {
        /// True time, seconds.
        at_s: f64,
        /// Why.
        reason: DropReason,
    },
}

/// Ground truth about one message (or one duplicate copy of it).
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRecord {
    /// Message number, in order of sending; a duplicate shares its original's.
    pub id: u64,
    /// True for the extra copy made by duplication.
    pub duplicate: bool,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Size, bytes.
    pub size_bytes: u64,
    /// When it was sent, true time, seconds.
    pub sent_at_s: f64,
    /// What happened to it.
    pub fate: Fate,
    /// The message written out (`{:?}`), when the world was asked to label messages.
    pub label: Option<String>,
}

impl MessageRecord {
    /// When it was delivered, if it was.
    pub fn delivered_at_s(&self) -> Option<f64> {
        match self.fate {
            Fate::Delivered { at_s } => Some(at_s),
            _ => None,
        }
    }
}

/// How many messages met each fate: kept for every run, whether or not the world records each
/// message ([`super::World::record_messages`]). Counted per copy, like [`MessageRecord`]s.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MessageCounts {
    /// Messages sent (a duplicate copy is not sent again).
    pub sent: u64,
    /// Extra copies made by duplication.
    pub duplicates: u64,
    /// Copies handed to their receiver.
    pub delivered: u64,
    /// Copies dropped, by reason: lost on the wire, output buffer full, partition, receiver
    /// down (in the order of [`DropReason`]).
    pub dropped: [u64; 4],
}

impl MessageCounts {
    /// Copies dropped for `reason`.
    pub fn dropped(&self, reason: DropReason) -> u64 {
        self.dropped[reason as usize]
    }

    /// Copies neither delivered nor dropped when the run stopped (still travelling, or waiting
    /// at a node that was paused or crashed).
    pub fn in_flight(&self) -> u64 {
        self.sent + self.duplicates - self.delivered - self.dropped.iter().sum::<u64>()
    }
}

/// A client operation's identity in the history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OpId(pub u64);

/// One client operation, Jepsen style: invoked at one true time, completed (or not) at a later
/// one. An operation with no completion is *indeterminate*: it may or may not have taken effect.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation<O, R> {
    /// Its identity.
    pub id: OpId,
    /// The node that invoked it.
    pub node: NodeId,
    /// What was asked.
    pub op: O,
    /// When it was invoked, true time, seconds.
    pub invoked_at_s: f64,
    /// The invoking node's clocks when it invoked it.
    pub invoked_local: Reading,
    /// When it completed, true time, seconds.
    pub completed_at_s: Option<f64>,
    /// What it returned.
    pub ret: Option<R>,
}

/// Something that happened to a node, for diagrams and checkers.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeEvent {
    /// The node crashed.
    Crashed {
        /// The node.
        node: NodeId,
        /// True time, seconds.
        at_s: f64,
    },
    /// The node restarted.
    Recovered {
        /// The node.
        node: NodeId,
        /// True time, seconds.
        at_s: f64,
    },
    /// The node was paused during `[from_s, to_s)`.
    Paused {
        /// The node.
        node: NodeId,
        /// True time it stopped, seconds.
        from_s: f64,
        /// True time it resumed, seconds.
        to_s: f64,
        /// Whether the pause fell inside a handler (between its reads and its effects).
        mid_handler: bool,
    },
    /// The node's wall clock was stepped.
    ClockStepped {
        /// The node.
        node: NodeId,
        /// True time, seconds.
        at_s: f64,
        /// The step, seconds.
        delta_s: f64,
    },
}

/// Why a run ended early: a handler returned an error.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeFailure {
    /// The node whose handler failed.
    pub node: NodeId,
    /// True time, seconds.
    pub at_s: f64,
    /// What it said.
    pub reason: String,
}

impl std::fmt::Display for NodeFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "node {} failed at {} s: {}", self.node, self.at_s, self.reason)
    }
}

/// The result of a run: the ground truth, and the nodes in their final state.
pub struct Outcome<P: Protocol> {
    /// Every message and duplicate copy, in order of sending (empty when the world was told not
    /// to record them; [`Outcome::counts`] is kept either way).
    pub messages: Vec<MessageRecord>,
    /// How many messages met each fate.
    pub counts: MessageCounts,
    /// Every client operation, in order of invocation.
    pub history: Vec<Operation<P::Op, P::Ret>>,
    /// Crashes, recoveries, pauses and clock steps, in time order.
    pub node_events: Vec<NodeEvent>,
    /// Every partition, scheduled or injected while running.
    pub partitions: Vec<Partition>,
    /// Each node's clock at the end of the run.
    pub clocks: Vec<crate::clock::Clock>,
    /// Events handled (a cancelled timer never happens, so it is no event), final time, why it
    /// stopped.
    pub run: RunOutcome,
    /// Set when a handler failed and ended the run.
    pub failure: Option<NodeFailure>,
    /// The nodes, in their final state ([`Outcome::node`] gets one back as its own type).
    pub nodes: Vec<Box<dyn Node<P>>>,
}

impl<P: Protocol> Outcome<P> {
    /// Messages delivered.
    pub fn delivered(&self) -> usize {
        self.counts.delivered as usize
    }

    /// Messages dropped for `reason`.
    pub fn dropped(&self, reason: DropReason) -> usize {
        self.counts.dropped(reason) as usize
    }

    /// Node `id` as its own type, if it is one.
    pub fn node<N: Node<P>>(&self, id: NodeId) -> Option<&N> {
        let node: &dyn Any = self.nodes.get(id)?.as_ref();
        node.downcast_ref::<N>()
    }

    /// Takes node `id` out as its own type, if it is one (it is gone from `nodes` afterwards).
    pub fn take_node<N: Node<P>>(&mut self, id: NodeId) -> Option<N> {
        let slot = self.nodes.get_mut(id)?;
        if !(slot.as_ref() as &dyn Any).is::<N>() {
            return None;
        }
        let node = std::mem::replace(slot, Box::new(Taken));
        let node: Box<dyn Any> = node;
        node.downcast::<N>().ok().map(|b| *b)
    }
}

/// What is left in a node's slot after [`Outcome::take_node`].
struct Taken;

impl<P: Protocol> Node<P> for Taken {
    fn receive(&mut self, _: &mut super::Ctx<'_, P>, _: NodeId, _: P::Msg) -> super::Handled {
        Ok(())
    }
}
