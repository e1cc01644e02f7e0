//! Failure detection: heartbeats over an unreliable network, detectors that turn them into
//! suspicions, and the quality-of-service metrics of Chen, Toueg and Aguilera (2002) measured
//! against the ground truth of when the node really crashed.
//!
//! * [`HeartbeatConfig::simulate`] runs, in a [`crate::world`], a monitored node that sends a
//!   heartbeat every `interval` seconds over a link with random delay and loss, and that may
//!   pause (a GC or VM pause: alive, but silent) and crash. It returns a [`HeartbeatOutcome`]: every
//!   heartbeat's arrival at the monitor and the truth about pauses and the crash.
//! * A [`Detector`] sees only arrivals. After each one it names the deadline at which it will
//!   suspect the node if nothing more arrives. [`FixedTimeout`], [`KMissed`] (k heartbeats
//!   missed), [`AdaptiveTimeout`] (a percentile of recent gaps plus a margin) and
//!   [`PhiAccrual`] (Hayashibara et al. 2004, normal model) all work this way.
//! * [`evaluate`] replays a trace through a detector and measures [`Qos`]: detection time,
//!   mistakes (suspicions of a node that had not crashed), their rate and mean duration.

mod detectors;
mod normal;
mod rtt;

pub use detectors::*;
pub use rtt::*;

pub use normal::{normal_cdf, normal_quantile, normal_sf};

use crate::error::{Error, Result, check};
use crate::sim::{Dist, Limits};
use crate::world::{Ctx, DropReason, Fate, Fault, Handled, LinkConfig, Node, NodeEvent, NodeId, Protocol, World};

/// How a monitored node sends heartbeats, and what happens to it.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartbeatConfig {
    /// Seconds between heartbeats (> 0).
    pub interval_s: f64,
    /// One-way network delay of each heartbeat (no negative samples).
    pub delay_s: Dist,
    /// Probability that a heartbeat is lost.
    pub loss: f64,
    /// Pauses `(start, length)`: the node is alive but sends nothing; when it resumes it sends
    /// a heartbeat at once, then keeps its schedule.
    pub pauses: Vec<(f64, f64)>,
    /// When the node crashes for good, if it does.
    pub crash_at_s: Option<f64>,
    /// How long to watch (> 0): the simulation's virtual-time bound.
    pub until_s: f64,
}

/// What the monitor saw, and the truth.
#[derive(Debug, Clone, PartialEq)]
pub struct HeartbeatOutcome {
    /// Arrival times of heartbeats at the monitor, increasing; a heartbeat overtaken by a later
    /// one is stale and not listed.
    pub arrivals: Vec<f64>,
    /// Heartbeats sent, and lost.
    pub sent: u64,
    /// Heartbeats lost in the network.
    pub lost: u64,
    /// The pauses `(start, length)` that began by `until`, in time order: the configured
    /// ones, as the world recorded them.
    pub pauses: Vec<(f64, f64)>,
    /// When the node crashed, if it did by `until`.
    pub crash_at_s: Option<f64>,
    /// End of observation.
    pub until_s: f64,
}

impl HeartbeatConfig {
    /// Checks the parameters: positive interval and horizon, a non-negative delay, a loss
    /// probability, pauses of positive, finite length.
    pub fn validate(&self) -> Result<()> {
        check::positive("heartbeat interval", self.interval_s)?;
        check::positive("until", self.until_s)?;
        check::probability("loss", self.loss)?;
        if !self.delay_s.is_non_negative() {
            return Err(Error::invalid(
                "delay",
                format!("{:?}", self.delay_s),
                "can be negative",
            ));
        }
        for &(start, len) in &self.pauses {
            check::non_negative("pause start", start)?;
            check::positive("pause length", len)?;
            check::finite("pause length", len)?;
        }
        if let Some(c) = self.crash_at_s {
            check::non_negative("crash time", c)?;
        }
        if self.until_s / self.interval_s > 1e8 {
            return Err(Error::invalid("until", self.until_s, "allows more than 10⁸ heartbeats"));
        }
        Ok(())
    }

    /// Runs the node and its monitor in a [`World`]: node 0 sends heartbeat `seq` every
    /// `interval` seconds on its own (perfect) clock, node 1 records arrivals, over a link with
    /// no propagation delay whose jitter is `delay` and whose loss is `loss`. Pauses are
    /// [`Fault::Pause`]s and the crash a [`Fault::Crash`] of node 0; the run stops at `until`.
    /// The [`HeartbeatOutcome`] comes from the world's ground truth. Randomness is the world's, from
    /// `seed`: losses and delays from its wire stream.
    pub fn simulate(&self, seed: u64) -> Result<HeartbeatOutcome> {
        self.validate()?;
        let mut world = World::<Heartbeats>::new(seed);
        let sender = world.add_node(Sender {
            interval: self.interval_s,
            next_seq: 0,
        });
        let monitor = world.add_node(Monitor {
            newest: None,
            arrivals: Vec::new(),
        });
        world.set_link_between(
            sender,
            monitor,
            LinkConfig {
                loss: self.loss,
                jitter_s: self.delay_s,
                ..LinkConfig::reliable(0.0, 1.0)?
            },
        )?;
        world.add_faults(self.pauses.iter().map(|&(at_s, length_s)| Fault::Pause {
            node: sender,
            at_s,
            length_s,
            mid_handler: false,
        }));
        if let Some(at_s) = self.crash_at_s {
            world.add_fault(Fault::Crash {
                node: sender,
                at_s,
                recover_at_s: None,
            });
        }
        // Per heartbeat: a timer and an arrival; per pause: the pause, the resume and the
        // deferred timer replayed.
        let limits = Limits {
            until: self.until_s,
            max_events: 4 * (self.until_s / self.interval_s) as u64 + 3 * self.pauses.len() as u64 + 1000,
        };
        let mut out = world.run(limits)?;
        let arrivals = out
            .take_node::<Monitor>(monitor)
            .map(|m| m.arrivals)
            .unwrap_or_default();
        let from_sender = || out.messages.iter().filter(|m| m.from == sender && !m.duplicate);
        let sent = from_sender().count() as u64;
        let lost = from_sender()
            .filter(|m| {
                matches!(
                    m.fate,
                    Fate::Dropped {
                        reason: DropReason::Loss,
                        ..
                    }
                )
            })
            .count() as u64;
        let mut pauses = Vec::new();
        let mut crash_at = None;
        for e in &out.node_events {
            match *e {
                NodeEvent::Paused { node, from_s, to_s, .. } if node == sender => {
                    pauses.push((from_s, to_s - from_s));
                }
                NodeEvent::Crashed { node, at_s } if node == sender => crash_at = Some(at_s),
                _ => {}
            }
        }
        Ok(HeartbeatOutcome {
            arrivals,
            sent,
            lost,
            pauses,
            crash_at_s: crash_at,
            until_s: self.until_s,
        })
    }
}

/// The heartbeat world's types: a heartbeat carries its sequence number, a timer its
/// schedule slot (due at slot·interval on the sender's clock).
struct Heartbeats;

impl Protocol for Heartbeats {
    type Msg = u64;
    type Timer = u64;
    type Op = ();
    type Ret = ();
}

/// Node 0: sends heartbeat 0 at once, then one in every slot of the schedule. A slot that falls
/// in a pause fires when the pause ends (the world defers the timer), so the node sends at
/// once on resuming and then keeps its schedule.
struct Sender {
    interval: f64,
    next_seq: u64,
}

/// The monitor's id in the heartbeat world.
const MONITOR: NodeId = 1;

impl Node<Heartbeats> for Sender {
    fn start(&mut self, ctx: &mut Ctx<'_, Heartbeats>) -> Handled {
        // A timer rather than a send here, so a crash or pause at time 0 comes first.
        ctx.set_timer(0.0, 0);
        Ok(())
    }

    fn receive(&mut self, _: &mut Ctx<'_, Heartbeats>, _: NodeId, _: u64) -> Handled {
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Heartbeats>, slot: u64) -> Handled {
        let now = ctx.monotonic_s();
        ctx.send(MONITOR, self.next_seq, 0);
        self.next_seq += 1;
        // Keep the schedule: the next send is in the first slot after now. Slots are counted,
        // not derived from `now`, so rounding cannot send one twice.
        let mut slot = slot + 1;
        while slot as f64 * self.interval <= now {
            slot += 1;
        }
        ctx.set_timer(slot as f64 * self.interval - now, slot);
        Ok(())
    }
}

/// Node 1: records when each heartbeat arrives (its clock is perfect: true time), ignoring one
/// overtaken by a later heartbeat.
struct Monitor {
    newest: Option<u64>,
    arrivals: Vec<f64>,
}

impl Node<Heartbeats> for Monitor {
    fn receive(&mut self, ctx: &mut Ctx<'_, Heartbeats>, _: NodeId, seq: u64) -> Handled {
        if self.newest.is_none_or(|n| seq > n) {
            self.newest = Some(seq);
            self.arrivals.push(ctx.monotonic_s());
        }
        Ok(())
    }
}
