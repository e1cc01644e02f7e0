//! Last-write-wins across replicas with skewed clocks.
//!
//! A chain of writes, each issued (at a random replica) only after the previous one has
//! reached every replica, so each write causally follows the one before: a client read the
//! value and then overwrote it. The replica stamps the write with its own clock, truncated to
//! the clock's resolution. Every replica keeps the value with the greatest timestamp and drops
//! anything not strictly greater. When the writing replica's clock is behind the one that
//! stamped the current value, the new write is dropped everywhere: lost, and nobody is told.
//!
//! ```
//! use faultline::ordering::lww::{LwwConfig, simulate};
//! let synced = simulate(&LwwConfig { skew_s: 0.0, ..Default::default() }, 1).unwrap();
//! let skewed = simulate(&LwwConfig { skew_s: 0.050, ..Default::default() }, 1).unwrap();
//! assert_eq!(synced.lost, 0);
//! assert!(skewed.lost > 0);
//! ```

use rand::Rng;
use rand_distr::{Distribution, Exp};
use serde::Serialize;

use crate::error::{Error, Result, check};
use crate::sim::{Dist, Limits, Seconds, Seed, stream};
use crate::world::{ClockConfig, Ctx, Handled, LinkConfig, Node, NodeError, NodeId, OpId, Protocol, World};

/// The replicas and the write chain.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LwwConfig {
    /// Number of replicas (2–1000).
    pub replicas: usize,
    /// Number of writes in the chain (1–1 000 000).
    pub writes: usize,
    /// Spread of the replicas' clock offsets: each is uniform in ±skew/2, seconds (≥ 0).
    pub skew_s: f64,
    /// Mean pause between a write reaching the last replica and the next write (exponential),
    /// seconds (> 0).
    pub mean_gap_s: f64,
    /// Mean replication delay to each other replica (exponential), seconds (> 0).
    pub replication_delay_s: f64,
    /// Clock resolution: timestamps are truncated to multiples of it, seconds (> 0).
    pub resolution_s: f64,
}

impl Default for LwwConfig {
    /// Three replicas, 1000 writes, skew 10 ms, a write every ~5 ms after replication of
    /// ~1 ms, microsecond timestamps.
    fn default() -> Self {
        LwwConfig {
            replicas: 3,
            writes: 1000,
            skew_s: 0.010,
            mean_gap_s: 0.005,
            replication_delay_s: 0.001,
            resolution_s: 1e-6,
        }
    }
}

impl LwwConfig {
    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        if !(2..=1000).contains(&self.replicas) {
            return Err(Error::invalid("replicas", self.replicas, "must be between 2 and 1000"));
        }
        if !(1..=1_000_000).contains(&self.writes) {
            return Err(Error::invalid("writes", self.writes, "must be between 1 and 1000000"));
        }
        check::non_negative("skew_s", self.skew_s)?;
        check::positive("mean_gap_s", self.mean_gap_s)?;
        check::positive("replication_delay_s", self.replication_delay_s)?;
        check::positive("resolution_s", self.resolution_s)?;
        Ok(())
    }
}

/// One write as the simulator saw it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Write {
    /// Position in the causal chain, from 0.
    pub id: usize,
    /// The replica that accepted it from the client and stamped it.
    pub replica: usize,
    /// True time it was issued, seconds since the start.
    pub true_time: Seconds,
    /// Its timestamp (the replica's clock, truncated), seconds.
    pub timestamp: f64,
    /// Whether every replica dropped it.
    pub lost: bool,
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LwwOutcome {
    /// Every write, in causal order.
    pub writes: Vec<Write>,
    /// How many were lost.
    pub lost: usize,
    /// The clock offsets of the replicas, seconds.
    pub offsets: Vec<f64>,
}

/// Replicas (nodes `0..replicas`) and the client (the last node) on the world simulator.
struct Lww;

#[derive(Debug, Clone, Copy)]
enum Msg {
    /// Client → replica: write number `id`.
    Write(usize),
    /// Replica → replica: write `id`, stamped `ts`.
    Replicate { id: usize, ts: f64 },
    /// Replica → client: write `id` has reached me.
    Ack(usize),
}

impl Protocol for Lww {
    type Msg = Msg;
    /// The next write to issue.
    type Timer = usize;
    /// A write, by number.
    type Op = usize;
    /// Whether the replica that stamped it kept it.
    type Ret = ();
}

/// A replica: stamps writes from the client with its wall clock, truncated to the resolution,
/// and keeps whatever carries the greatest stamp.
struct Replica {
    resolution_s: f64,
    replicas: usize,
    client: NodeId,
    /// The stored (timestamp, write id); None before the first write.
    stored: Option<(f64, usize)>,
    /// Writes this replica stamped: (id, timestamp).
    stamped: Vec<(usize, f64)>,
    /// Writes this replica kept when they arrived.
    kept: Vec<usize>,
}

impl Replica {
    /// Last-write-wins: keep the write only if its stamp is strictly greater.
    fn apply(&mut self, ts: f64, id: usize) {
        if !matches!(self.stored, Some((cur, _)) if ts <= cur) {
            self.stored = Some((ts, id));
            self.kept.push(id);
        }
    }
}

impl Node<Lww> for Replica {
    fn receive(&mut self, ctx: &mut Ctx<'_, Lww>, _from: NodeId, msg: Msg) -> Handled {
        match msg {
            Msg::Write(id) => {
                let ts = (ctx.wall_s() / self.resolution_s).floor() * self.resolution_s;
                self.stamped.push((id, ts));
                self.apply(ts, id);
                let me = ctx.me();
                for to in (0..self.replicas).filter(|&r| r != me) {
                    ctx.send(to, Msg::Replicate { id, ts }, 0);
                }
            }
            Msg::Replicate { id, ts } => {
                self.apply(ts, id);
                ctx.send(self.client, Msg::Ack(id), 0);
            }
            Msg::Ack(_) => return Err(NodeError::new("a replica got an ack")),
        }
        Ok(())
    }
}

/// The client: issues write `id + 1` an exponential pause after write `id` reached every
/// replica, each to a replica picked at random, so that each write causally follows the last.
struct Client {
    writes: usize,
    replicas: usize,
    gap: Exp<f64>,
    acks: usize,
    current: Option<(usize, OpId)>,
    /// (write id, replica, true issue time) — the client's clock is perfect.
    issued: Vec<(usize, usize, f64)>,
}

impl Node<Lww> for Client {
    fn start(&mut self, ctx: &mut Ctx<'_, Lww>) -> Handled {
        ctx.set_timer(0.0, 0);
        Ok(())
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, Lww>, id: usize) -> Handled {
        let replica = ctx.rng.random_range(0..self.replicas);
        self.issued.push((id, replica, ctx.monotonic_s()));
        self.acks = 0;
        self.current = Some((id, ctx.invoke(id)));
        ctx.send(replica, Msg::Write(id), 0);
        Ok(())
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, Lww>, _from: NodeId, msg: Msg) -> Handled {
        let (Msg::Ack(id), Some((current, op))) = (msg, self.current) else {
            return Err(NodeError::new(format!("the client got {msg:?}")));
        };
        if id != current {
            return Err(NodeError::new(format!("ack for write {id} during write {current}")));
        }
        self.acks += 1;
        if self.acks == self.replicas - 1 {
            ctx.complete(op, ())?;
            self.current = None;
            if id + 1 < self.writes {
                let pause = self.gap.sample(ctx.rng);
                ctx.set_timer(pause, id + 1);
            }
        }
        Ok(())
    }
}

/// Runs the write chain on the world simulator: the replicas are nodes whose wall clocks are
/// off by their offsets, replication takes an exponential delay on each replica-to-replica
/// link, and the client's messages travel instantly. The seed draws clock offsets (stream 0)
/// and the world's randomness ([`Seed::child`] 0: replica picks, gaps, delays).
pub fn simulate(cfg: &LwwConfig, seed: u64) -> Result<LwwOutcome> {
    cfg.validate()?;
    let mut clocks = stream(seed, 0);
    let offsets: Vec<f64> = (0..cfg.replicas)
        .map(|_| {
            if cfg.skew_s > 0.0 {
                clocks.random_range(-0.5..0.5) * cfg.skew_s
            } else {
                0.0
            }
        })
        .collect();
    let gap = Exp::new(1.0 / cfg.mean_gap_s).map_err(|_| Error::invalid("mean_gap_s", cfg.mean_gap_s, "bad rate"))?;
    let mut world = World::<Lww>::new(Seed(seed).child(0));
    let client = cfg.replicas;
    let instant = LinkConfig::reliable(0.0, 1e12)?;
    world.set_link(instant)?;
    for &offset in &offsets {
        let replica = Replica {
            resolution_s: cfg.resolution_s,
            replicas: cfg.replicas,
            client,
            stored: None,
            stamped: Vec::new(),
            kept: Vec::new(),
        };
        world.add_node_with_clock(replica, ClockConfig::perfect().with_wall_at_start(offset));
    }
    world.add_node(Client {
        writes: cfg.writes,
        replicas: cfg.replicas,
        gap,
        acks: 0,
        current: None,
        issued: Vec::with_capacity(cfg.writes),
    });
    let replication = LinkConfig {
        jitter_s: Dist::exponential(cfg.replication_delay_s)?,
        ..instant
    };
    for a in 0..cfg.replicas {
        for b in (0..cfg.replicas).filter(|&b| b != a) {
            world.set_link_between(a, b, replication)?;
        }
    }
    let out = world.run(Limits::default())?;
    if let Some(f) = out.failure {
        return Err(Error::invalid("lww run", f, "a node failed"));
    }
    let replicas: Vec<&Replica> = (0..cfg.replicas)
        .map(|r| out.node::<Replica>(r).expect("replicas are nodes 0.."))
        .collect();
    let mut stamp = vec![f64::NAN; cfg.writes];
    let mut accepted_anywhere = vec![false; cfg.writes];
    for r in &replicas {
        r.stamped.iter().for_each(|&(id, ts)| stamp[id] = ts);
        r.kept.iter().for_each(|&id| accepted_anywhere[id] = true);
    }
    // Every replica ends with the same value: the write with the greatest timestamp.
    debug_assert!(
        replicas.windows(2).all(|p| p[0].stored == p[1].stored),
        "replicas diverged"
    );
    let writes: Vec<Write> = out
        .node::<Client>(client)
        .expect("the client is the last node")
        .issued
        .iter()
        .map(|&(id, replica, true_time)| Write {
            id,
            replica,
            true_time,
            timestamp: stamp[id],
            lost: !accepted_anywhere[id],
        })
        .collect();
    let lost = writes.iter().filter(|w| w.lost).count();
    Ok(LwwOutcome { writes, lost, offsets })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ordering::lost_writes;

    #[test]
    fn no_skew_no_loss_and_loss_grows_with_skew() {
        // Skew 0 with microsecond timestamps and writes ≥ a replication delay apart: nothing
        // is lost (the chain's true times strictly increase, and so do the stamps).
        for seed in 0..20 {
            let out = simulate(
                &LwwConfig {
                    skew_s: 0.0,
                    resolution_s: 1e-9,
                    ..Default::default()
                },
                seed,
            )
            .unwrap();
            assert_eq!(out.lost, 0, "seed {seed}");
        }
        // Mean loss over 20 seeds rises with skew: 0.1 ms, 1 ms, 10 ms, 100 ms.
        let mean_lost = |skew_s| {
            (0..20)
                .map(|s| {
                    simulate(
                        &LwwConfig {
                            skew_s,
                            ..Default::default()
                        },
                        s,
                    )
                    .unwrap()
                    .lost as f64
                })
                .sum::<f64>()
                / 20.0
        };
        let losses: Vec<f64> = [1e-4, 1e-3, 1e-2, 1e-1].into_iter().map(mean_lost).collect();
        assert!(losses.windows(2).all(|w| w[0] < w[1]), "{losses:?}");
        // With a 100 ms skew against ~7 ms between writes, most writes from a replica
        // behind the leader are lost: well over a tenth of all.
        assert!(losses[3] > 100.0, "{losses:?}");
    }

    #[test]
    fn the_closed_form_matches_the_replicas() {
        // lost_writes over the chain's timestamps equals what the replicas actually dropped,
        // ties at millisecond resolution included.
        for seed in 0..30 {
            let cfg = LwwConfig {
                skew_s: 0.004,
                resolution_s: 1e-3,
                mean_gap_s: 0.0005,
                replication_delay_s: 0.0003,
                writes: 300,
                ..Default::default()
            };
            let out = simulate(&cfg, seed).unwrap();
            let ts: Vec<f64> = out.writes.iter().map(|w| w.timestamp).collect();
            assert_eq!(lost_writes(&ts), out.lost, "seed {seed}");
        }
    }

    #[test]
    fn bad_configs_are_errors() {
        let bad = |cfg: LwwConfig| simulate(&cfg, 0).is_err();
        assert!(bad(LwwConfig {
            replicas: 1,
            ..Default::default()
        }));
        assert!(bad(LwwConfig {
            skew_s: -1.0,
            ..Default::default()
        }));
        assert!(bad(LwwConfig {
            resolution_s: 0.0,
            ..Default::default()
        }));
        assert!(bad(LwwConfig {
            writes: 0,
            ..Default::default()
        }));
    }
}
