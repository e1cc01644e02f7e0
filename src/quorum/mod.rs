//! Quorums, split brain and leader election, on the [`crate::world`] simulator.
//!
//! Every node runs the term-based election Raft describes. A follower waits for a heartbeat
//! from a leader; when none comes within its *election timeout* (drawn afresh, uniformly in
//! `[timeout_min_s, timeout_max_s)`, on its own drifting monotonic clock) it stands: it starts a
//! new term, votes for itself and asks every other node for its vote. A node grants at most one
//! vote per term (the *vote rule*, [`VoteRule`], which the learner writes in chapter 9), and a
//! candidate that collects `quorum` votes leads its term and sends heartbeats. A node that sees
//! a higher term steps down to follower in it. A leader that has not heard from `quorum - 1`
//! followers within the shortest election timeout steps down too (it may be cut off).
//!
//! Two majorities of the same nodes always share a node, and that node votes once per term, so
//! with `quorum` a majority there is **at most one leader per term**, whatever the network,
//! crashes and pauses do. With `quorum = 1` ([`ElectionConfig::decide_alone`]) every node that
//! stops hearing a leader crowns itself: under a partition both sides have leaders at once,
//! which is split brain.
//!
//! Every node's leadership is a history operation [`ElectionOp::Lead`], invoked (true time)
//! when it won and completed when it stepped down, so the truth is read from the history.
//!
//! ```
//! use faultline::quorum::{ElectionConfig, simulate};
//! let out = simulate(&ElectionConfig::default(), &[], 7)?;
//! assert!(out.first_leader_s().is_some());
//! assert!(out.terms_with_two_leaders().is_empty());
//! # Ok::<(), faultline::Error>(())
//! ```

pub mod classic;
mod exhaustive;
pub mod failover;
mod node;
mod run;
mod schedule;
mod story;
mod truth;

use crate::error::{Error, Result, check};
use crate::sim::{Dist, Limits, Seed};
use crate::world::{ClockConfig, Fault, LinkConfig, NodeEvent, NodeId, Operation, Outcome, Partition, Protocol, World};
use rand::Rng;
use rayon::prelude::*;

pub use exhaustive::{Exhaustive, check_vote_rule};
pub use node::{Role, Voter};
pub(crate) use run::run_voters;
pub use run::{
    TwoLeaders, election_times, find_two_leaders, simulate, simulate_traced, simulate_traced_with, simulate_with,
};
pub use schedule::ElectionSchedule;
pub use story::election_story;
pub(crate) use truth::{grant_vote, may_elect, quorum_size};

/// The protocol of an election world.
pub struct Quorum;

/// What election nodes send each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    /// A candidate asks for a vote in `term`.
    RequestVote {
        /// The candidate's term.
        term: u64,
        /// The candidate.
        candidate: NodeId,
    },
    /// The answer to a request for a vote in `term`.
    Vote {
        /// The term of the request answered.
        term: u64,
        /// Whether the vote was granted.
        granted: bool,
        /// The voter's own term after the request.
        voter_term: u64,
    },
    /// A leader of `term` is alive.
    Heartbeat {
        /// The leader's term.
        term: u64,
    },
    /// A follower heard the heartbeat of `term`.
    Ack {
        /// The term.
        term: u64,
    },
    /// The heartbeat came from an old term; the current one is `term`.
    Stale {
        /// The receiver's term.
        term: u64,
    },
}

/// What the nodes' timers carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timer {
    /// An election timeout (stale unless its epoch is the node's current one).
    Election(u64),
    /// A leader's next heartbeat in a term.
    Heartbeat(u64),
}

/// A history operation: a node led `term` from invocation to completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElectionOp {
    /// The node believes it leads this term.
    Lead {
        /// The term.
        term: u64,
    },
}

impl Protocol for Quorum {
    type Msg = Msg;
    type Timer = Timer;
    type Op = ElectionOp;
    type Ret = ();
}

/// The vote rule: whether a node whose current term is `my_term`, having voted for `voted_for`
/// in it (if anyone), grants its vote to `candidate` asking in `candidate_term`.
pub type VoteRule = fn(my_term: u64, voted_for: Option<NodeId>, candidate: NodeId, candidate_term: u64) -> bool;

/// The library's vote rule (one vote per term, never for an older term).
pub fn reference_rule() -> VoteRule {
    grant_vote
}

/// An election world (serialised with short names, for replay codes).
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ElectionConfig {
    /// Nodes (≥ 1).
    #[serde(rename = "n")]
    pub nodes: usize,
    /// Votes a candidate needs, its own included (1 ≤ quorum ≤ nodes).
    #[serde(rename = "q")]
    pub quorum: usize,
    /// Shortest election timeout, local seconds (> 0).
    #[serde(rename = "t0")]
    pub timeout_min_s: f64,
    /// Longest election timeout, local seconds (≥ timeout_min_s; equal: no randomness).
    #[serde(rename = "t1")]
    pub timeout_max_s: f64,
    /// A leader's heartbeat interval, local seconds (> 0).
    #[serde(rename = "h")]
    pub heartbeat_s: f64,
    /// One-way network delay, seconds (≥ 0).
    #[serde(rename = "d")]
    pub link_delay_s: f64,
    /// Mean of the exponential jitter added to every message, seconds (≥ 0).
    #[serde(rename = "j")]
    pub jitter_s: f64,
    /// Bound on the clocks' drift, ppm (≥ 0); each node's is drawn within ±bound.
    #[serde(rename = "p")]
    pub drift_ppm: f64,
    /// How long to run, seconds (> 0).
    #[serde(rename = "u")]
    pub until_s: f64,
    /// Stop heartbeats and timers once the first leader is known (to time one election).
    #[serde(rename = "x")]
    pub stop_at_first_leader: bool,
}

impl Default for ElectionConfig {
    /// Five nodes, majority quorum, timeouts 150–300 ms, heartbeats every 50 ms, 5 ms links with
    /// 1 ms mean jitter, 100 ppm clocks, 10 s.
    fn default() -> Self {
        ElectionConfig {
            nodes: 5,
            quorum: 3,
            timeout_min_s: 0.150,
            timeout_max_s: 0.300,
            heartbeat_s: 0.050,
            link_delay_s: 0.005,
            jitter_s: 0.001,
            drift_ppm: 100.0,
            until_s: 10.0,
            stop_at_first_leader: false,
        }
    }
}

impl ElectionConfig {
    /// The default world with `nodes` nodes and a majority quorum.
    pub fn with_nodes(nodes: usize) -> Self {
        ElectionConfig {
            nodes,
            quorum: quorum_size(nodes),
            ..Default::default()
        }
    }

    /// The same world where every node decides alone (quorum 1): split brain under a partition.
    pub fn decide_alone(mut self) -> Self {
        self.quorum = 1;
        self
    }

    /// The same world timing its first election only.
    pub fn first_election(mut self) -> Self {
        self.stop_at_first_leader = true;
        self
    }

    /// Checks every field: zero nodes, a quorum of 0 or larger than the nodes, and negative or
    /// NaN times are errors.
    pub fn validate(&self) -> Result<()> {
        check::at_least_one("nodes", self.nodes as u64)?;
        check::at_least_one("quorum", self.quorum as u64)?;
        if self.quorum > self.nodes {
            return Err(Error::invalid(
                "quorum",
                self.quorum,
                "is larger than the number of nodes",
            ));
        }
        check::positive("timeout_min_s", self.timeout_min_s)?;
        check::finite("timeout_max_s", self.timeout_max_s)?;
        if self.timeout_max_s < self.timeout_min_s {
            return Err(Error::invalid(
                "timeout_max_s",
                self.timeout_max_s,
                "is below timeout_min_s",
            ));
        }
        check::positive("heartbeat_s", self.heartbeat_s)?;
        check::non_negative("link_delay_s", self.link_delay_s)?;
        check::non_negative("jitter_s", self.jitter_s)?;
        check::non_negative("drift_ppm", self.drift_ppm)?;
        check::positive("until_s", self.until_s)?;
        Ok(())
    }

    /// A fault schedule drawn from `seed`: two partitions splitting the nodes at random (each
    /// a few seconds), one crash with recovery and one pause, all within `until_s`.
    pub fn chaos(&self, seed: u64) -> Vec<Fault> {
        let mut rng = Seed(seed).stream(7);
        let n = self.nodes;
        let mut faults = Vec::new();
        if n < 2 {
            return faults;
        }
        let horizon = self.until_s;
        for _ in 0..2 {
            let size = rng.random_range(1..n);
            let mut ids: Vec<NodeId> = (0..n).collect();
            for i in 0..n {
                let j = rng.random_range(i..n);
                ids.swap(i, j);
            }
            let start_s = rng.random_range(0.0..horizon * 0.8);
            let len = rng.random_range(0.5..horizon * 0.3);
            faults.push(Fault::Partition(Partition {
                start_s,
                end_s: start_s + len,
                groups: vec![ids[..size].to_vec()],
            }));
        }
        let at_s = rng.random_range(0.0..horizon * 0.8);
        faults.push(Fault::Crash {
            node: rng.random_range(0..n),
            at_s,
            recover_at_s: Some(at_s + rng.random_range(0.2..2.0)),
        });
        faults.push(Fault::Pause {
            node: rng.random_range(0..n),
            at_s: rng.random_range(0.0..horizon * 0.8),
            length_s: rng.random_range(0.1..1.5),
            mid_handler: rng.random_bool(0.5),
        });
        faults
    }
}

/// One node's leadership, in true time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reign {
    /// The leader.
    pub node: NodeId,
    /// Its term.
    pub term: u64,
    /// When it won, true time, seconds.
    pub from_s: f64,
    /// When it stepped down (or the run ended), true time, seconds.
    pub to_s: f64,
}

/// What one election world shows, with the truth.
#[derive(Debug, Clone)]
pub struct ElectionOutcome {
    /// Every leadership, in order of winning.
    pub reigns: Vec<Reign>,
    /// The history the reigns were read from.
    pub history: Vec<Operation<ElectionOp, ()>>,
    /// Crashes, recoveries and pauses.
    pub node_events: Vec<NodeEvent>,
    /// Messages sent.
    pub messages: usize,
    /// The faults the run had.
    pub faults: Vec<Fault>,
    /// When the run ended, true time, seconds.
    pub end_s: f64,
}

impl ElectionOutcome {
    /// When the first leader won, true time, seconds.
    pub fn first_leader_s(&self) -> Option<f64> {
        self.reigns.first().map(|r| r.from_s)
    }

    /// Terms that had two or more leaders (ascending), with their leaders.
    pub fn terms_with_two_leaders(&self) -> Vec<(u64, Vec<NodeId>)> {
        let mut by_term: std::collections::BTreeMap<u64, Vec<NodeId>> = Default::default();
        for r in &self.reigns {
            by_term.entry(r.term).or_default().push(r.node);
        }
        by_term.into_iter().filter(|(_, v)| v.len() > 1).collect()
    }

    /// True seconds during which two or more nodes believed they led (any terms): split brain.
    pub fn split_brain_s(&self) -> f64 {
        let mut edges: Vec<(f64, i32)> = self.reigns.iter().flat_map(|r| [(r.from_s, 1), (r.to_s, -1)]).collect();
        edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (mut on, mut last, mut total) = (0, 0.0, 0.0);
        for (t, d) in edges {
            if on >= 2 {
                total += t - last;
            }
            on += d;
            last = t;
        }
        total
    }
}
