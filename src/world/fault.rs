//! Faults: what happens to the network or a node on a schedule. A fault is a plain value, so a
//! run is replayed exactly from its seed and its list of faults.

use crate::error::{Error, Result, check};

use super::NodeId;
use super::config::LinkConfig;

/// Nodes split into groups that cannot reach each other from `start_s` until `end_s`. Nodes
/// listed in no group form one more group together ("the rest").
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// When it starts, true time, seconds.
    pub start_s: f64,
    /// When it heals, seconds (`f64::INFINITY`: never).
    pub end_s: f64,
    /// The groups; no node in two of them.
    pub groups: Vec<Vec<NodeId>>,
}

impl Partition {
    /// Cuts `side` off from every other node during `[start_s, end_s)`.
    pub fn isolate(side: Vec<NodeId>, start_s: f64, end_s: f64) -> Self {
        Partition {
            start_s,
            end_s,
            groups: vec![side],
        }
    }

    /// Whether `a` and `b` are in different groups (regardless of time).
    pub fn separates(&self, a: NodeId, b: NodeId) -> bool {
        self.group_of(a) != self.group_of(b)
    }

    fn group_of(&self, node: NodeId) -> usize {
        self.groups.iter().position(|g| g.contains(&node)).unwrap_or(usize::MAX)
    }

    /// Whether it is in force at true time `t_s`.
    pub fn active_at(&self, t_s: f64) -> bool {
        t_s >= self.start_s && t_s < self.end_s
    }

    pub(crate) fn validate(&self, nodes: usize) -> Result<()> {
        check::non_negative("partition start_s", self.start_s)?;
        if self.end_s.is_nan() || self.end_s <= self.start_s {
            return Err(Error::invalid("partition end_s", self.end_s, "must be after its start"));
        }
        let mut seen = vec![false; nodes];
        for g in &self.groups {
            if g.is_empty() {
                return Err(Error::Empty {
                    what: "partition group",
                    reason: "every group of a partition needs a node",
                });
            }
            for &id in g {
                node_ok(id, nodes)?;
                if std::mem::replace(&mut seen[id], true) {
                    return Err(Error::invalid("partition node", id, "is in two groups"));
                }
            }
        }
        let listed = seen.iter().filter(|s| **s).count();
        let groups = self.groups.len() + usize::from(listed < nodes);
        if groups < 2 {
            return Err(Error::invalid(
                "partition groups",
                self.groups.len(),
                "must separate at least two groups of nodes",
            ));
        }
        Ok(())
    }
}

/// Something that happens to the network, a node or its clock at a true time.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// A partition (see [`Partition`]).
    Partition(Partition),
    /// The node stops at `at_s`: messages to it are lost and its timers are cancelled. If
    /// `recover_at_s` is given it restarts then ([`super::Node::recover`]), keeping its fields.
    Crash {
        /// The node.
        node: NodeId,
        /// When it crashes, seconds.
        at_s: f64,
        /// When it restarts, seconds, if it does.
        recover_at_s: Option<f64>,
    },
    /// The node stops running for `length_s` seconds (a GC or VM pause): it is not dead, and
    /// what arrives meanwhile is handled, in order, when it resumes.
    ///
    /// With `mid_handler` the pause falls *inside* the first handler the node runs at or after
    /// `at_s`: after everything the handler read (its clocks) and before everything it did (its
    /// messages and history entries), which reach the world only when the pause ends. This is
    /// the pause between a check ("my lease is still valid") and the act it guards ("write").
    Pause {
        /// The node.
        node: NodeId,
        /// When it stops, seconds (with `mid_handler`: from when on it is armed).
        at_s: f64,
        /// For how long, seconds (> 0).
        length_s: f64,
        /// Whether it strikes between a handler's reads and its effects.
        mid_handler: bool,
    },
    /// The node's wall clock is stepped by `delta_s` seconds (negative: backwards), as an NTP
    /// daemon or an operator would. Its monotonic clock is untouched.
    ClockStep {
        /// The node.
        node: NodeId,
        /// When, seconds.
        at_s: f64,
        /// By how much, seconds.
        delta_s: f64,
    },
    /// From `at_s` on, every link (each direction, per-pair settings included) behaves as
    /// `link`: a message sent at or after `at_s` takes the new delay, one already on the wire
    /// keeps the delay it was given when sent. This is how a network that stabilises (a
    /// global stabilisation time) or degrades is scheduled.
    LinkChange {
        /// When, seconds.
        at_s: f64,
        /// How every link behaves from then on.
        link: LinkConfig,
    },
}

impl Fault {
    /// The partition that cuts `side` off from every other node during `[start_s, end_s)`.
    pub fn isolate(side: Vec<NodeId>, start_s: f64, end_s: f64) -> Self {
        Fault::Partition(Partition::isolate(side, start_s, end_s))
    }

    /// When it starts, seconds.
    pub fn at_s(&self) -> f64 {
        match self {
            Fault::Partition(p) => p.start_s,
            Fault::Crash { at_s, .. }
            | Fault::Pause { at_s, .. }
            | Fault::ClockStep { at_s, .. }
            | Fault::LinkChange { at_s, .. } => *at_s,
        }
    }

    /// Checks node ids against a world of `nodes` nodes and every time and length.
    pub fn validate(&self, nodes: usize) -> Result<()> {
        match self {
            Fault::Partition(p) => p.validate(nodes),
            Fault::Crash {
                node,
                at_s,
                recover_at_s,
            } => {
                node_ok(*node, nodes)?;
                check::non_negative("crash at_s", *at_s)?;
                if let Some(r) = recover_at_s
                    && (r.is_nan() || r <= at_s)
                {
                    return Err(Error::invalid("recover_at_s", r, "must be after the crash"));
                }
                Ok(())
            }
            Fault::Pause {
                node, at_s, length_s, ..
            } => {
                node_ok(*node, nodes)?;
                check::non_negative("pause at_s", *at_s)?;
                check::positive("pause length_s", *length_s)?;
                check::finite("pause length_s", *length_s).map(drop)
            }
            Fault::ClockStep { node, at_s, delta_s } => {
                node_ok(*node, nodes)?;
                check::non_negative("clock step at_s", *at_s)?;
                check::finite("clock step delta_s", *delta_s).map(drop)
            }
            Fault::LinkChange { at_s, link } => {
                check::non_negative("link change at_s", *at_s)?;
                link.validate()
            }
        }
    }
}

fn node_ok(id: NodeId, nodes: usize) -> Result<()> {
    if id < nodes {
        Ok(())
    } else {
        Err(Error::invalid("node", id, "is not a node of this world"))
    }
}
