//! Process pauses, leases and fencing tokens, on the [`crate::world`] simulator.
//!
//! Node 0 is a lock service that grants a lease of `lease_s` seconds to one client at a time,
//! each grant with a fencing token one higher than the last. Node 1 is a storage service.
//! Nodes 2.. are clients on their own drifting clocks: each asks for the lease, times it on its
//! own monotonic clock (from when it sent the request, so the network delay only shortens what
//! it believes), and writes a few times while its clock says the lease still holds. A pause can
//! strike *inside* the write handler, after the check ("my lease is valid") and before the write
//! goes out, exactly as a garbage-collection pause would.
//!
//! The lock service and the storage run on perfect clocks, so the times they record are true
//! times. Every client write is a history operation (invoked when it leaves, completed when the
//! storage answers, `true` if accepted), and so is every lease a client believes it holds
//! ([`LeaseOp::Hold`], invoked when the grant arrives, completed when the client's own clock
//! says the lease is over).
//!
//! ## The fencing rule, and why an equal token is accepted
//!
//! The storage remembers the highest token it has accepted and rejects any write with a
//! *lower* token. A write with an *equal* token is accepted: a holder writes several times under
//! one lease, all with the same token, and rejecting the second of them would reject a valid
//! write. (Texts that reject `≤` assume one write per token.)
//!
//! ## What counts as stale
//!
//! A write is *late* when the storage applies it after its writer's lease ended in true time. A
//! late write is *stale* when it lands after the storage has already applied a write under a
//! newer lease: it overwrites a newer holder's data. Fencing rejects every stale write; it cannot
//! (and need not) stop a late write that lands before anyone newer has written, because it then
//! overwrites nothing newer.
//!
//! ```
//! use faultline::lease::{LeaseConfig, simulate};
//! let out = simulate(&LeaseConfig::default(), 7)?;
//! assert_eq!(out.stale_accepted(), 0);
//! # Ok::<(), faultline::Error>(())
//! ```

mod nodes;
mod schedule;
mod story;
mod truth;

use crate::error::{Result, check};
use crate::sim::{Limits, Seed};
use crate::world::{ClockConfig, Fault, LinkConfig, NodeEvent, NodeId, Operation, Outcome, Protocol, World};
use rand::Rng;

pub use nodes::{Client, LockService, Storage};
pub use schedule::{ClientPlan, LeaseSchedule, PausePlan};
pub use story::{LeaseViolation, lease_story, lease_violation};
pub(crate) use truth::{fencing_accepts, latest_safe_local_time, lease_margin, stale_writes};

/// The lock service's node id.
pub const LOCK_SERVICE: NodeId = 0;
/// The storage's node id.
pub const STORAGE: NodeId = 1;
/// The first client's node id.
pub const FIRST_CLIENT: NodeId = 2;

/// The protocol of a lease world.
pub struct Leases;

/// What the nodes send each other.
#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A client asks the lock service for the lease.
    Acquire,
    /// The lock service grants it, with a fencing token, for `lease_s` seconds.
    Grant {
        /// The fencing token.
        token: u64,
        /// Length of the lease, seconds.
        lease_s: f64,
    },
    /// Someone else holds the lease.
    Busy,
    /// A client writes `value` under `token`; `op` is its history entry.
    Write {
        /// The fencing token the writer holds.
        token: u64,
        /// The value.
        value: u64,
        /// The writer's history entry.
        op: crate::world::OpId,
    },
    /// The storage's answer to a write.
    Ack {
        /// The write's history entry.
        op: crate::world::OpId,
        /// Whether the storage accepted it.
        accepted: bool,
    },
}

/// What the clients' timers carry.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Timer {
    /// Ask for the lease.
    Acquire,
    /// Check the lease, then write.
    Write,
    /// The client's own clock says the lease with this token is over.
    Expire(u64),
}

/// A client operation in the history.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LeaseOp {
    /// A write of `value` under fencing token `token`.
    Write {
        /// The token.
        token: u64,
        /// The value.
        value: u64,
    },
    /// The client believes it holds the lease with this token (from invocation to completion).
    Hold {
        /// The token.
        token: u64,
    },
}

impl Protocol for Leases {
    type Msg = Msg;
    type Timer = Timer;
    type Op = LeaseOp;
    type Ret = bool;
}

/// What the clients and the storage run: the storage's fencing rule and the clients' margin.
#[derive(Clone, Copy)]
pub struct Policies {
    /// Whether the storage accepts a write with `token` when the highest token it has accepted
    /// is `highest_seen` (0 before any).
    pub accepts: fn(token: u64, highest_seen: u64) -> bool,
    /// How many local seconds before the end of its lease a client stops starting writes, to
    /// allow for a pause of `pause_s` and clock drift of `drift_ppm`.
    pub margin: fn(pause_s: f64, drift_ppm: f64, lease_s: f64) -> f64,
}

impl Policies {
    /// Fencing (`token ≥ highest_seen` accepted) and the safe margin.
    pub fn fencing() -> Self {
        Policies {
            accepts: fencing_accepts,
            margin: lease_margin,
        }
    }

    /// No fencing: the storage accepts every write; the safe margin.
    pub fn no_fencing() -> Self {
        Policies {
            accepts: |_, _| true,
            margin: lease_margin,
        }
    }
}

/// A lease world: how many clients, how long a lease, how bad the pauses and clocks are.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeaseConfig {
    /// Clients (≥ 1).
    pub clients: usize,
    /// Length of a lease, seconds (> 0).
    pub lease_s: f64,
    /// Longest pause, seconds (≥ 0; 0: no pauses). Lengths are drawn up to it.
    pub max_pause_s: f64,
    /// Pauses each client suffers, at random times, each inside a handler.
    pub pauses_per_client: usize,
    /// Bound on the clients' clock drift, ppm (≥ 0); each client's is drawn within ±bound.
    pub drift_ppm: f64,
    /// Every client's clock runs slow by the full bound (the worst case for leases).
    pub slowest_clocks: bool,
    /// The pause the clients' margin allows for, seconds (≥ 0).
    pub assumed_pause_s: f64,
    /// The drift the clients' margin allows for, ppm (≥ 0).
    pub assumed_drift_ppm: f64,
    /// Writes a client makes under one lease (≥ 1).
    pub writes_per_lease: usize,
    /// Local seconds between a client's writes (> 0).
    pub write_gap_s: f64,
    /// Local seconds a client waits before asking again (> 0).
    pub retry_s: f64,
    /// One-way network delay, seconds (≥ 0).
    pub link_delay_s: f64,
    /// How long to run, seconds (> 0).
    pub until_s: f64,
}

impl Default for LeaseConfig {
    /// Three clients, 10 s leases, pauses up to 15 s (three per client), 200 ppm clocks, no
    /// margin, four writes 2 s apart per lease, 5 ms links, five minutes.
    fn default() -> Self {
        LeaseConfig {
            clients: 3,
            lease_s: 10.0,
            max_pause_s: 15.0,
            pauses_per_client: 3,
            drift_ppm: 200.0,
            slowest_clocks: false,
            assumed_pause_s: 0.0,
            assumed_drift_ppm: 0.0,
            writes_per_lease: 4,
            write_gap_s: 2.0,
            retry_s: 1.0,
            link_delay_s: 0.005,
            until_s: 300.0,
        }
    }
}

impl LeaseConfig {
    /// Checks every field: negative or NaN lengths and zero clients are errors.
    pub fn validate(&self) -> Result<()> {
        check::at_least_one("clients", self.clients as u64)?;
        check::positive("lease_s", self.lease_s)?;
        check::non_negative("max_pause_s", self.max_pause_s)?;
        check::non_negative("drift_ppm", self.drift_ppm)?;
        check::non_negative("assumed_pause_s", self.assumed_pause_s)?;
        check::non_negative("assumed_drift_ppm", self.assumed_drift_ppm)?;
        check::at_least_one("writes_per_lease", self.writes_per_lease as u64)?;
        check::positive("write_gap_s", self.write_gap_s)?;
        check::positive("retry_s", self.retry_s)?;
        check::non_negative("link_delay_s", self.link_delay_s)?;
        check::positive("until_s", self.until_s)?;
        Ok(())
    }

    /// The pause schedule drawn from `seed`: every pause falls inside a handler.
    pub fn pauses(&self, seed: u64) -> Vec<Fault> {
        let mut rng = Seed(seed).stream(1);
        let mut faults = Vec::new();
        if self.max_pause_s <= 0.0 {
            return faults;
        }
        for c in 0..self.clients {
            for _ in 0..self.pauses_per_client {
                faults.push(Fault::Pause {
                    node: FIRST_CLIENT + c,
                    at_s: rng.random_range(0.0..self.until_s),
                    length_s: self.max_pause_s * rng.random_range(0.2..=1.0),
                    mid_handler: true,
                });
            }
        }
        faults
    }
}

/// One grant, as the lock service recorded it (its clock is perfect: true times).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grant {
    /// The client.
    pub client: NodeId,
    /// Its fencing token.
    pub token: u64,
    /// When it was granted, true time, seconds.
    pub from_s: f64,
    /// When it ended at the lock service, true time, seconds.
    pub until_s: f64,
}

/// One write the storage received, in the order it received them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AppliedWrite {
    /// The writer.
    pub client: NodeId,
    /// Its fencing token.
    pub token: u64,
    /// When the storage received it, true time, seconds.
    pub at_s: f64,
    /// Whether the storage accepted it.
    pub accepted: bool,
}

/// What one run of a lease world shows, with the truth.
#[derive(Debug, Clone)]
pub struct LeaseOutcome {
    /// Every grant.
    pub grants: Vec<Grant>,
    /// Every write the storage received, in order.
    pub writes: Vec<AppliedWrite>,
    /// The clients' operations (writes and believed holds), with true times.
    pub history: Vec<Operation<LeaseOp, bool>>,
    /// Pauses and other node events.
    pub node_events: Vec<NodeEvent>,
    /// Each client's clock drift, ppm (index 0 is the first client).
    pub client_ppm: Vec<f64>,
}

impl LeaseOutcome {
    /// Whether the writer of `writes[i]` held its lease (in true time) when the storage got it.
    pub fn held(&self, i: usize) -> bool {
        let w = &self.writes[i];
        self.grants
            .iter()
            .any(|g| g.token == w.token && g.client == w.client && w.at_s >= g.from_s && w.at_s < g.until_s)
    }

    /// Indices of the stale writes the storage accepted: applied after a write under a newer
    /// lease had been applied (see the module docs).
    pub fn stale(&self) -> Vec<usize> {
        stale_writes(&self.writes)
    }

    /// How many stale writes the storage accepted.
    pub fn stale_accepted(&self) -> usize {
        self.stale().len()
    }

    /// How many writes the storage accepted after their writer's lease had ended.
    pub fn late_accepted(&self) -> usize {
        (0..self.writes.len())
            .filter(|&i| self.writes[i].accepted && !self.held(i))
            .count()
    }

    /// How many writes the storage rejected although their writer held the lease.
    pub fn valid_rejected(&self) -> usize {
        (0..self.writes.len())
            .filter(|&i| !self.writes[i].accepted && self.held(i))
            .count()
    }

    /// For every lease a client believed it held until its own deadline: (token, how many seconds after the lock
    /// service's end of that lease the client's belief ended, in true time). Positive: the
    /// client believed too long.
    pub fn belief_overrun_s(&self) -> Vec<(u64, f64)> {
        self.history
            .iter()
            .filter_map(|op| match (op.op, op.completed_at_s) {
                (LeaseOp::Hold { token }, Some(end)) => {
                    let g = self.grants.iter().find(|g| g.token == token)?;
                    Some((token, end - g.until_s))
                }
                _ => None,
            })
            .collect()
    }
}

/// Runs a lease world with the library's policies: fencing at the storage when `fencing`.
pub fn simulate(cfg: &LeaseConfig, seed: u64) -> Result<LeaseOutcome> {
    simulate_with(cfg, Policies::fencing(), seed)
}

/// Runs a lease world whose storage and clients run `policies`.
pub fn simulate_with(cfg: &LeaseConfig, policies: Policies, seed: u64) -> Result<LeaseOutcome> {
    cfg.validate()?;
    let margin_s = (policies.margin)(cfg.assumed_pause_s, cfg.assumed_drift_ppm, cfg.lease_s);
    run(cfg, policies.accepts, margin_s, seed)
}

/// Runs a lease world whose storage runs `accepts` and whose clients stop `margin_s` local
/// seconds before their lease ends.
pub(crate) fn run(cfg: &LeaseConfig, accepts: fn(u64, u64) -> bool, margin_s: f64, seed: u64) -> Result<LeaseOutcome> {
    run_world(cfg, accepts, margin_s, seed).map(|(lease, _)| lease)
}

/// Runs a lease world with `policies` and returns the world's own outcome too (messages,
/// pauses), for a space-time diagram. The lock service and storage are taken out of its nodes.
pub fn simulate_traced(cfg: &LeaseConfig, policies: Policies, seed: u64) -> Result<(LeaseOutcome, Outcome<Leases>)> {
    cfg.validate()?;
    let margin_s = (policies.margin)(cfg.assumed_pause_s, cfg.assumed_drift_ppm, cfg.lease_s);
    run_world(cfg, policies.accepts, margin_s, seed)
}

fn run_world(
    cfg: &LeaseConfig,
    accepts: fn(u64, u64) -> bool,
    margin_s: f64,
    seed: u64,
) -> Result<(LeaseOutcome, Outcome<Leases>)> {
    cfg.validate()?;
    check::finite("margin_s", margin_s)?;
    run_schedule(&LeaseSchedule::draw(cfg, margin_s, seed), accepts, seed, false)
}

/// Runs the lease world `schedule` describes on `seed`, its storage running `accepts`, and
/// returns the world's own outcome too (its messages labelled when `label`, for a diagram).
pub fn run_schedule(
    schedule: &LeaseSchedule,
    accepts: fn(u64, u64) -> bool,
    seed: u64,
    label: bool,
) -> Result<(LeaseOutcome, Outcome<Leases>)> {
    run_schedule_with(schedule, Storage::new(accepts), seed, label)
}

/// Runs the lease world `schedule` describes on `seed` with `storage` (its rule and when it is
/// read-only), as [`run_schedule`] does.
pub fn run_schedule_with(
    schedule: &LeaseSchedule,
    storage: Storage,
    seed: u64,
    label: bool,
) -> Result<(LeaseOutcome, Outcome<Leases>)> {
    schedule.validate()?;
    let cfg = schedule.config();
    let mut world = World::<Leases>::new(seed);
    world.label_messages(label);
    world.set_link(LinkConfig::reliable(cfg.link_delay_s, 1e9)?)?;
    world.add_node(LockService::new(cfg.lease_s));
    world.add_node(storage);
    let mut client_ppm = Vec::new();
    for c in &schedule.clients {
        client_ppm.push(c.ppm);
        world.add_node_with_clock(
            Client::new(&cfg, schedule.margin_s, c.start_s),
            ClockConfig::drifting(c.ppm),
        );
    }
    world.add_faults(schedule.faults());
    let mut out = world.run(Limits {
        until: cfg.until_s,
        ..Default::default()
    })?;
    if let Some(f) = out.failure {
        return Err(crate::Error::invalid("lease world", f, "a node failed"));
    }
    let lock = out
        .take_node::<LockService>(LOCK_SERVICE)
        .expect("node 0 is the lock service");
    let storage = out.take_node::<Storage>(STORAGE).expect("node 1 is the storage");
    let lease = LeaseOutcome {
        grants: lock.grants,
        writes: storage.writes,
        history: out.history.clone(),
        node_events: out.node_events.clone(),
        client_ppm,
    };
    Ok((lease, out))
}
