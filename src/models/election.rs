//! Two ways to choose a leader, run under a [`SystemModel`] on the world simulator.
//!
//! * [`elect`]: chapter 9's term-based election ([`crate::quorum`]): majority quorums, one
//!   vote per term. Its links come from the timing model (the config's own link fields are not
//!   used), its crashes from the failure model; a Byzantine node grants every candidate its vote.
//! * [`primary_backup`]: a protocol that assumes synchrony. Node 0 starts as primary and sends
//!   heartbeats; backup `k` declares the primary dead when it has heard no heartbeat for `k`
//!   timeouts, and takes over. There are no terms and no fencing, and a leader never learns it
//!   was replaced: when a heartbeat is merely late, two nodes lead at once.

use super::SystemModel;
use super::check::LeaderEvent;
use crate::error::{Error, Result, check};
use crate::quorum::{ElectionConfig, ElectionOutcome, Quorum, reference_rule, run_voters};
use crate::sim::Limits;
use crate::world::{Ctx, Handled, Node, NodeEvent, NodeId, Outcome, Protocol, World};

/// One election run under a model: the election's truth and the world's records.
pub struct ModelRun {
    /// Leaderships, history and faults, as chapter 9 reads them.
    pub election: ElectionOutcome,
    /// The world's own outcome: every message (labelled), node events.
    pub world: Outcome<Quorum>,
}

/// Runs chapter 9's election (the library's vote rule) under `model`. Errors: an invalid
/// config or model.
pub fn elect(cfg: &ElectionConfig, model: &SystemModel, seed: u64) -> Result<ModelRun> {
    cfg.validate()?;
    let (link, mut faults) = model.timing.links()?;
    faults.extend(model.failure.faults(cfg.until_s));
    let mut world = World::<Quorum>::new(seed);
    world.label_messages(true);
    world.set_link(link)?;
    let liar = model.failure.liar();
    let (election, world) = run_voters(world, cfg, faults, seed, |i| {
        if liar == Some(i) {
            |_, _, _, _| true
        } else {
            reference_rule()
        }
    })?;
    Ok(ModelRun { election, world })
}

/// The leaderships of an election as a history of begin and end events in true-time order; a
/// crash ends a leadership.
pub fn leader_events(o: &ElectionOutcome) -> Vec<LeaderEvent> {
    let spans: Vec<(NodeId, Option<u64>, f64, f64)> = o
        .reigns
        .iter()
        .map(|r| (r.node, Some(r.term), r.from_s, r.to_s))
        .collect();
    events_from(&spans, &o.node_events, o.end_s)
}

fn events_from(spans: &[(NodeId, Option<u64>, f64, f64)], node_events: &[NodeEvent], end_s: f64) -> Vec<LeaderEvent> {
    let mut ev = Vec::new();
    for &(node, term, from_s, to_s) in spans {
        let crash = node_events.iter().find_map(|e| match *e {
            NodeEvent::Crashed { node: n, at_s } if n == node && at_s >= from_s => Some(at_s),
            _ => None,
        });
        let to_s = crash.map_or(to_s, |c| c.min(to_s));
        ev.push(LeaderEvent {
            node,
            term,
            at_s: from_s,
            begins: true,
        });
        if to_s < end_s {
            ev.push(LeaderEvent {
                node,
                term,
                at_s: to_s,
                begins: false,
            });
        }
    }
    // Ends before begins at the same instant: a hand-over is not an overlap.
    ev.sort_by(|a, b| a.at_s.total_cmp(&b.at_s).then(a.begins.cmp(&b.begins)));
    ev
}

/// The primary–backup protocol's types.
pub struct Watch;

/// What primary–backup nodes send: "I lead, and I am alive".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heartbeat;

/// A primary–backup node's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchTimer {
    /// Send the next heartbeat.
    Beat,
    /// The failure detector's timeout (stale unless its epoch is current).
    Check(u64),
}

impl Protocol for Watch {
    type Msg = Heartbeat;
    type Timer = WatchTimer;
    type Op = ();
    type Ret = ();
}

/// A primary–backup world.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimaryBackupConfig {
    /// Nodes (≥ 2): node 0 is the primary, the others its backups in order.
    pub nodes: usize,
    /// Heartbeat interval, seconds (> 0).
    pub heartbeat_s: f64,
    /// The failure detector's timeout, seconds (> 0): backup `k` takes over after `k` of them.
    pub timeout_s: f64,
    /// How long to run, seconds (> 0).
    pub until_s: f64,
}

impl Default for PrimaryBackupConfig {
    /// Three nodes, heartbeats every 50 ms, a 200 ms timeout (safe if delays stay under
    /// 150 ms), 10 s.
    fn default() -> Self {
        PrimaryBackupConfig {
            nodes: 3,
            heartbeat_s: 0.050,
            timeout_s: 0.200,
            until_s: 10.0,
        }
    }
}

struct Replica {
    rank: usize,
    cfg: PrimaryBackupConfig,
    leading: bool,
    epoch: u64,
}

impl Replica {
    fn lead(&mut self, ctx: &mut Ctx<'_, Watch>) {
        self.leading = true;
        ctx.invoke(());
        ctx.broadcast(Heartbeat, 32);
        ctx.set_timer(self.cfg.heartbeat_s, WatchTimer::Beat);
    }

    fn watch(&mut self, ctx: &mut Ctx<'_, Watch>) {
        self.epoch += 1;
        ctx.set_timer(self.cfg.timeout_s * self.rank as f64, WatchTimer::Check(self.epoch));
    }
}

impl Node<Watch> for Replica {
    fn start(&mut self, ctx: &mut Ctx<'_, Watch>) -> Handled {
        if self.rank == 0 {
            self.lead(ctx);
        } else {
            self.watch(ctx);
        }
        Ok(())
    }

    fn receive(&mut self, ctx: &mut Ctx<'_, Watch>, _: NodeId, _: Heartbeat) -> Handled {
        if !self.leading {
            self.watch(ctx);
        }
        Ok(())
    }

    fn timer(&mut self, ctx: &mut Ctx<'_, Watch>, t: WatchTimer) -> Handled {
        match t {
            WatchTimer::Beat => {
                ctx.broadcast(Heartbeat, 32);
                ctx.set_timer(self.cfg.heartbeat_s, WatchTimer::Beat);
            }
            WatchTimer::Check(e) if e == self.epoch && !self.leading => self.lead(ctx),
            WatchTimer::Check(_) => {}
        }
        Ok(())
    }
}

/// Runs primary–backup under `model` (its timing; crash-stop and crash-recovery crash the
/// primary; a Byzantine setting is treated as no failure, since nobody votes). Returns the
/// leaderships as a history and the world's records.
pub fn primary_backup(
    cfg: &PrimaryBackupConfig,
    model: &SystemModel,
    seed: u64,
) -> Result<(Vec<LeaderEvent>, Outcome<Watch>)> {
    if cfg.nodes < 2 {
        return Err(Error::invalid("nodes", cfg.nodes, "primary-backup needs a backup"));
    }
    check::positive("heartbeat_s", cfg.heartbeat_s)?;
    check::positive("timeout_s", cfg.timeout_s)?;
    check::positive("until_s", cfg.until_s)?;
    let (link, mut faults) = model.timing.links()?;
    faults.extend(model.failure.faults(cfg.until_s));
    let mut world = World::<Watch>::new(seed);
    world.set_link(link)?;
    for rank in 0..cfg.nodes {
        world.add_node(Replica {
            rank,
            cfg: *cfg,
            leading: false,
            epoch: 0,
        });
    }
    world.add_faults(faults);
    let out = world.run(Limits {
        until: cfg.until_s,
        ..Default::default()
    })?;
    let end_s = out.run.now;
    let spans: Vec<_> = out
        .history
        .iter()
        .map(|op| (op.node, None, op.invoked_at_s, end_s))
        .collect();
    Ok((events_from(&spans, &out.node_events, end_s), out))
}
