//! A fault as a value that goes into a replay code: the [`crate::world::Fault`]s a shrunk run
//! can hold (partitions, crashes, pauses, clock steps), with short field names so that a code
//! stays short, and plain conversions both ways.

use serde::{Deserialize, Serialize};

use crate::world::{Fault, NodeId, Partition};

/// One scheduled fault (see [`Fault`] for what each does).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "f")]
pub enum PlannedFault {
    /// `groups` cannot reach each other (nor the rest) during `[from_s, to_s)`.
    #[serde(rename = "cut")]
    Partition {
        /// When it starts, seconds.
        #[serde(rename = "a")]
        from_s: f64,
        /// When it heals, seconds.
        #[serde(rename = "b")]
        to_s: f64,
        /// The groups (nodes in none form one more group).
        #[serde(rename = "g")]
        groups: Vec<Vec<NodeId>>,
    },
    /// `node` crashes at `at_s`, and restarts at `back_s` if given.
    #[serde(rename = "crash")]
    Crash {
        /// The node.
        #[serde(rename = "n")]
        node: NodeId,
        /// When, seconds.
        #[serde(rename = "a")]
        at_s: f64,
        /// When it restarts, seconds.
        #[serde(rename = "b")]
        back_s: Option<f64>,
    },
    /// `node` stops for `length_s` at `at_s` (with `mid`: inside its next handler).
    #[serde(rename = "pause")]
    Pause {
        /// The node.
        #[serde(rename = "n")]
        node: NodeId,
        /// When, seconds.
        #[serde(rename = "a")]
        at_s: f64,
        /// How long, seconds.
        #[serde(rename = "l")]
        length_s: f64,
        /// Between a handler's check and its act.
        #[serde(rename = "m")]
        mid: bool,
    },
    /// `node`'s wall clock jumps by `delta_s` at `at_s`.
    #[serde(rename = "step")]
    ClockStep {
        /// The node.
        #[serde(rename = "n")]
        node: NodeId,
        /// When, seconds.
        #[serde(rename = "a")]
        at_s: f64,
        /// By how much, seconds.
        #[serde(rename = "d")]
        delta_s: f64,
    },
}

impl PlannedFault {
    /// The plain value of `fault`; `None` for a link change, which no replayed schedule holds.
    pub fn from_fault(fault: &Fault) -> Option<Self> {
        Some(match fault {
            Fault::Partition(p) => PlannedFault::Partition {
                from_s: p.start_s,
                to_s: p.end_s,
                groups: p.groups.clone(),
            },
            Fault::Crash {
                node,
                at_s,
                recover_at_s,
            } => PlannedFault::Crash {
                node: *node,
                at_s: *at_s,
                back_s: *recover_at_s,
            },
            Fault::Pause {
                node,
                at_s,
                length_s,
                mid_handler,
            } => PlannedFault::Pause {
                node: *node,
                at_s: *at_s,
                length_s: *length_s,
                mid: *mid_handler,
            },
            Fault::ClockStep { node, at_s, delta_s } => PlannedFault::ClockStep {
                node: *node,
                at_s: *at_s,
                delta_s: *delta_s,
            },
            Fault::LinkChange { .. } => return None,
        })
    }

    /// The world's fault.
    pub fn to_fault(&self) -> Fault {
        match self {
            PlannedFault::Partition { from_s, to_s, groups } => Fault::Partition(Partition {
                start_s: *from_s,
                end_s: *to_s,
                groups: groups.clone(),
            }),
            PlannedFault::Crash { node, at_s, back_s } => Fault::Crash {
                node: *node,
                at_s: *at_s,
                recover_at_s: *back_s,
            },
            PlannedFault::Pause {
                node,
                at_s,
                length_s,
                mid,
            } => Fault::Pause {
                node: *node,
                at_s: *at_s,
                length_s: *length_s,
                mid_handler: *mid,
            },
            PlannedFault::ClockStep { node, at_s, delta_s } => Fault::ClockStep {
                node: *node,
                at_s: *at_s,
                delta_s: *delta_s,
            },
        }
    }

    /// When it starts, seconds.
    pub fn at_s(&self) -> f64 {
        match self {
            PlannedFault::Partition { from_s, .. } => *from_s,
            PlannedFault::Crash { at_s, .. }
            | PlannedFault::Pause { at_s, .. }
            | PlannedFault::ClockStep { at_s, .. } => *at_s,
        }
    }

    /// The same fault in one line a learner reads: "node 2 pauses at 4.1 s for 1.3 s".
    pub fn describe(&self) -> String {
        use crate::grade::fmt_num;
        match self {
            PlannedFault::Partition { from_s, to_s, groups } => {
                let sides: Vec<String> = groups.iter().map(|g| format!("{g:?}")).collect();
                format!(
                    "a partition cuts {} off from the rest from {} s to {} s",
                    sides.join(" and "),
                    fmt_num(*from_s),
                    fmt_num(*to_s)
                )
            }
            PlannedFault::Crash { node, at_s, back_s } => match back_s {
                Some(b) => format!(
                    "node {node} crashes at {} s and restarts at {} s",
                    fmt_num(*at_s),
                    fmt_num(*b)
                ),
                None => format!("node {node} crashes at {} s for good", fmt_num(*at_s)),
            },
            PlannedFault::Pause {
                node,
                at_s,
                length_s,
                mid,
            } => format!(
                "node {node} pauses {}at {} s for {} s",
                if *mid { "inside a handler " } else { "" },
                fmt_num(*at_s),
                fmt_num(*length_s)
            ),
            PlannedFault::ClockStep { node, at_s, delta_s } => format!(
                "node {node}'s wall clock jumps {} s at {} s",
                fmt_num(*delta_s),
                fmt_num(*at_s)
            ),
        }
    }
}
