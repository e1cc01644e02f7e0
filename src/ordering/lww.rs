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
use crate::sim::{EventQueue, Limits, Seconds, stream};

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

#[derive(Debug, Clone, Copy)]
enum Event {
    Issue(usize),
    Deliver { write: usize, to: usize },
}

/// Runs the write chain. The seed draws clock offsets, replicas, gaps and delays on separate
/// streams.
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
    let mut pick = stream(seed, 1);
    let mut timing = stream(seed, 2);
    let gap = Exp::new(1.0 / cfg.mean_gap_s).map_err(|_| Error::invalid("mean_gap_s", cfg.mean_gap_s, "bad rate"))?;
    let delay = Exp::new(1.0 / cfg.replication_delay_s)
        .map_err(|_| Error::invalid("replication_delay_s", cfg.replication_delay_s, "bad rate"))?;

    // Each replica's stored (timestamp, write id); None before the first write.
    let mut stored: Vec<Option<(f64, usize)>> = vec![None; cfg.replicas];
    let mut writes: Vec<Write> = Vec::with_capacity(cfg.writes);
    let mut accepted_anywhere = vec![false; cfg.writes];
    let mut pending = 0usize;
    let mut q = EventQueue::new();
    q.schedule(0.0, Event::Issue(0))?;
    let mut failure: Option<Error> = None;
    /// Last-write-wins at one replica: keep the write only if its stamp is strictly greater.
    fn apply(stored: &mut Option<(f64, usize)>, ts: f64, id: usize) -> bool {
        match *stored {
            Some((cur, _)) if ts <= cur => false,
            _ => {
                *stored = Some((ts, id));
                true
            }
        }
    }
    q.run(Limits::default(), |q, t, e| {
        let result = (|| -> Result<()> {
            match e {
                Event::Issue(id) => {
                    let replica = pick.random_range(0..cfg.replicas);
                    let timestamp = ((t + offsets[replica]) / cfg.resolution_s).floor() * cfg.resolution_s;
                    let kept = apply(&mut stored[replica], timestamp, id);
                    accepted_anywhere[id] |= kept;
                    writes.push(Write {
                        id,
                        replica,
                        true_time: t,
                        timestamp,
                        lost: false,
                    });
                    for to in (0..cfg.replicas).filter(|&r| r != replica) {
                        q.schedule_in(delay.sample(&mut timing), Event::Deliver { write: id, to })?;
                        pending += 1;
                    }
                }
                Event::Deliver { write, to } => {
                    let ts = writes[write].timestamp;
                    let kept = apply(&mut stored[to], ts, write);
                    accepted_anywhere[write] |= kept;
                    pending -= 1;
                    if pending == 0 && write + 1 < cfg.writes {
                        q.schedule_in(gap.sample(&mut timing), Event::Issue(write + 1))?;
                    }
                }
            }
            Ok(())
        })();
        if let Err(err) = result {
            failure.get_or_insert(err);
        }
    });
    if let Some(err) = failure {
        return Err(err);
    }
    for w in &mut writes {
        w.lost = !accepted_anywhere[w.id];
    }
    // Every replica ends with the same value: the write with the greatest timestamp.
    debug_assert!(stored.windows(2).all(|p| p[0] == p[1]), "replicas diverged: {stored:?}");
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
