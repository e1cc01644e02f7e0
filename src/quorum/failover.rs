//! Leader failover as etcd runs it, predicted by the chapter's own election world.
//!
//! A cluster elects a leader; at a random moment the leader is paused (SIGSTOP, or a crash:
//! the others cannot tell the two apart) and never comes back during the measurement. The
//! **failover time** is measured from the pause until a remaining member *wins* a term higher
//! than the paused leader's. The real-cluster lab (`exercise-9 --real`) measures the same
//! interval on etcd: from the SIGSTOP until a remaining member reports itself leader of a higher
//! term.
//!
//! # etcd's timers, and how the world models them
//!
//! etcd 3.4 runs the `raft` package on a tick of one heartbeat interval `h`
//! (`--heartbeat-interval`); its election timeout `T` (`--election-timeout`) is
//! `ElectionTick = T/h` ticks. Each member draws its own timeout afresh whenever it becomes
//! follower or candidate, `randomizedElectionTimeout = electionTimeout +
//! globalRand.Intn(electionTimeout)` ticks (etcd-io/etcd `raft/raft.go`,
//! `resetRandomizedElectionTimeout`; the field's doc says "a random number between
//! [electiontimeout, 2 * electiontimeout - 1]"), so a follower that stops hearing its leader
//! stands after a time uniform in `[T, 2T)`, to a tick. The world here runs the chapter's
//! [`Voter`](super::Voter)s with exactly that range (`timeout_min_s = T`, `timeout_max_s = 2T`),
//! heartbeats every `h`, loopback links (a fraction of a millisecond) and one clock for every
//! node (one machine). It differs from etcd in three ways, which the chapter 9 notebook weighs
//! against the measurements: its timeout is continuous rather than whole ticks; it draws it at
//! every heartbeat rather than once per term; and it has no *vote lease* — etcd always runs
//! with `CheckQuorum`, so a follower that heard its leader less than `ElectionTick` ticks ago
//! ignores a vote request (`inLease` in `raft.go`'s `Step`), which now and then costs the first
//! candidate a second timeout. Pre-vote is off by default in 3.4 (`--pre-vote false`), as here.
//!
//! # The prediction, in closed form
//!
//! With `k = members − 1` followers left, each drew `Uᵢ ~ U[T, 2T)` when it last heard the
//! leader. The leader was paused `S ~ U[0, h)` after its last heartbeat (a random phase), and
//! the first follower to time out needs one vote round trip. With one-way delay `d`:
//!
//! `F = min(U₁ … U_k) − S + 3d`  (the heartbeat's trip, the request's, the vote's),
//!
//! `P(min U ≤ y) = 1 − ((2T − y)/T)^k` on `[T, 2T]`, and `P(F ≤ x)` is its average over
//! `S` ([`predicted_cdf`]). So `F > T − h` always, `F < 2T + 3d` without a split vote, and for
//! three members (`k = 2`) the median is close to `(2 − 1/√2)·T − h/2 ≈ 1.29·T − h/2`
//! ([`predicted_median_s`] solves it exactly). The tests check the world against this.

use super::{ElectionConfig, Reign, quorum_size, reference_rule, run_voters};
use crate::error::{Error, Result, check};
use crate::sim::{Dist, Seed};
use crate::world::{Fault, LinkConfig, NodeId, World};
use rand::Rng;
use rayon::prelude::*;

/// A cluster whose leader fails over, as a config a learner reads like etcd's flags.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FailoverConfig {
    /// Members (≥ 3: two must remain to elect).
    pub members: usize,
    /// The leader's heartbeat interval, seconds (etcd `--heartbeat-interval`, in ms there).
    pub heartbeat_s: f64,
    /// The election timeout `T`, seconds (etcd `--election-timeout`); each follower waits a
    /// time uniform in `[T, 2T)`.
    pub election_timeout_s: f64,
    /// One-way link delay, seconds (loopback: about 0.2 ms).
    pub link_delay_s: f64,
    /// Mean of the exponential jitter added to every message, seconds.
    pub jitter_s: f64,
}

impl FailoverConfig {
    /// Three members on loopback (0.2 ms links, 0.1 ms mean jitter) with etcd's `heartbeat_s`
    /// and `election_timeout_s`.
    pub fn loopback(heartbeat_s: f64, election_timeout_s: f64) -> Self {
        FailoverConfig {
            members: 3,
            heartbeat_s,
            election_timeout_s,
            link_delay_s: 0.0002,
            jitter_s: 0.0001,
        }
    }

    /// Checks every field: fewer than 3 members, a non-positive heartbeat, or an election
    /// timeout not above the heartbeat (etcd refuses those too) are errors.
    pub fn validate(&self) -> Result<()> {
        if self.members < 3 {
            return Err(Error::invalid(
                "members",
                self.members,
                "a failover needs at least 3 members (two must remain to elect)",
            ));
        }
        check::positive("heartbeat_s", self.heartbeat_s)?;
        check::positive("election_timeout_s", self.election_timeout_s)?;
        check::finite("election_timeout_s", self.election_timeout_s)?;
        if self.election_timeout_s <= self.heartbeat_s {
            return Err(Error::invalid(
                "election_timeout_s",
                self.election_timeout_s,
                "must be longer than the heartbeat interval",
            ));
        }
        check::non_negative("link_delay_s", self.link_delay_s)?;
        check::non_negative("jitter_s", self.jitter_s)?;
        Ok(())
    }

    /// The chapter's election world for this cluster, running until `until_s`.
    pub fn election_config(&self, until_s: f64) -> ElectionConfig {
        ElectionConfig {
            nodes: self.members,
            quorum: quorum_size(self.members),
            timeout_min_s: self.election_timeout_s,
            timeout_max_s: 2.0 * self.election_timeout_s,
            heartbeat_s: self.heartbeat_s,
            link_delay_s: self.link_delay_s,
            jitter_s: self.jitter_s,
            drift_ppm: 0.0,
            until_s,
            stop_at_first_leader: false,
        }
    }

    /// The mean one-way trip of a message, seconds.
    fn trip_s(&self) -> f64 {
        self.link_delay_s + self.jitter_s
    }
}

/// One simulated failover, in true time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Failover {
    /// When the leader was paused, seconds.
    pub paused_at_s: f64,
    /// The paused leader.
    pub old_leader: NodeId,
    /// Its term.
    pub old_term: u64,
    /// The first member to win a higher term after the pause (`None`: nobody within the run).
    pub new_leader: Option<NodeId>,
    /// That member's term.
    pub new_term: Option<u64>,
    /// From the pause until that member won, seconds.
    pub failover_s: Option<f64>,
}

/// Who leads at `t` in a run that ended at `end_s` (a reign still open at the end counts).
fn leader_at(reigns: &[Reign], t: f64, end_s: f64) -> Option<Reign> {
    reigns
        .iter()
        .rev()
        .find(|r| r.from_s <= t && (t < r.to_s || r.to_s >= end_s))
        .copied()
}

/// One failover on seed `seed`: the cluster starts cold, and at a moment drawn uniformly over
/// four heartbeats from `3T` on (so at a uniformly random phase of the heartbeat) its leader
/// is paused for good; the run lasts `6T` more.
///
/// The world is run twice on the same seed: once to learn who leads at the chosen moment, then
/// with that member paused (the pause is scheduled in advance, so both runs agree up to it;
/// an error says so if they ever do not).
pub fn simulate_failover(cfg: &FailoverConfig, seed: u64) -> Result<Failover> {
    cfg.validate()?;
    let t = cfg.election_timeout_s;
    let at_s = 3.0 * t + Seed(seed).stream(11).random_range(0.0..4.0 * cfg.heartbeat_s);
    let until_s = at_s + 6.0 * t;
    let ecfg = cfg.election_config(until_s);
    let world = || -> Result<World<super::Quorum>> {
        let mut world = World::new(seed);
        let mut link = LinkConfig::reliable(cfg.link_delay_s, 1e9)?;
        if cfg.jitter_s > 0.0 {
            link.jitter_s = Dist::exponential(cfg.jitter_s)?;
        }
        world.set_link(link)?;
        Ok(world)
    };
    let rule = reference_rule();
    let (before, _) = run_voters(
        world()?,
        &ElectionConfig { until_s: at_s, ..ecfg },
        Vec::new(),
        seed,
        |_| rule,
    )?;
    let Some(old) = leader_at(&before.reigns, at_s, before.end_s) else {
        return Err(Error::invalid(
            "failover seed",
            seed,
            "no leader when the pause was due",
        ));
    };
    let pause = Fault::Pause {
        node: old.node,
        at_s,
        length_s: until_s,
        mid_handler: false,
    };
    let (after, _) = run_voters(world()?, &ecfg, vec![pause], seed, |_| rule)?;
    if leader_at(&after.reigns, at_s, after.end_s).map(|r| (r.node, r.term)) != Some((old.node, old.term)) {
        return Err(Error::invalid(
            "failover seed",
            seed,
            "the run with the pause diverged before the pause",
        ));
    }
    let next = after
        .reigns
        .iter()
        .filter(|r| r.from_s > at_s && r.term > old.term && r.node != old.node)
        .min_by(|a, b| a.from_s.total_cmp(&b.from_s));
    Ok(Failover {
        paused_at_s: at_s,
        old_leader: old.node,
        old_term: old.term,
        new_leader: next.map(|r| r.node),
        new_term: next.map(|r| r.term),
        failover_s: next.map(|r| r.from_s - at_s),
    })
}

/// `runs` failovers, run `k` on seed `Seed(seed).child(k)`, in parallel (the same on any
/// number of threads).
pub fn failovers(cfg: &FailoverConfig, runs: usize, seed: u64) -> Result<Vec<Failover>> {
    cfg.validate()?;
    (0..runs as u64)
        .into_par_iter()
        .map(|k| simulate_failover(cfg, Seed(seed).child(k).0))
        .collect()
}

/// The failover times of [`failovers`], seconds, sorted; a run in which nobody won counts as
/// its whole remaining run (`6T`).
pub fn failover_times(cfg: &FailoverConfig, runs: usize, seed: u64) -> Result<Vec<f64>> {
    let mut times: Vec<f64> = failovers(cfg, runs, seed)?
        .iter()
        .map(|f| f.failover_s.unwrap_or(6.0 * cfg.election_timeout_s))
        .collect();
    times.sort_by(f64::total_cmp);
    Ok(times)
}

/// `P(F ≤ x_s)` for the failover time `F = min(U₁ … U_k) − S + 3d` of the module's closed
/// form (`k = members − 1` timeouts uniform in `[T, 2T)`, a pause phase `S` uniform in
/// `[0, h)`, `d` the mean one-way trip), by the midpoint rule over `S` (2000 points).
pub fn predicted_cdf(cfg: &FailoverConfig, x_s: f64) -> f64 {
    let t = cfg.election_timeout_s;
    let k = (cfg.members - 1) as i32;
    let min_cdf = |y: f64| {
        if y <= t {
            0.0
        } else if y >= 2.0 * t {
            1.0
        } else {
            1.0 - ((2.0 * t - y) / t).powi(k)
        }
    };
    let n = 2000;
    let h = cfg.heartbeat_s;
    let shift = 3.0 * cfg.trip_s();
    (0..n)
        .map(|i| min_cdf(x_s - shift + (i as f64 + 0.5) / n as f64 * h))
        .sum::<f64>()
        / n as f64
}

/// The `p`-quantile (0 < p < 1) of [`predicted_cdf`], seconds, by bisection.
pub fn predicted_quantile_s(cfg: &FailoverConfig, p: f64) -> f64 {
    let (mut lo, mut hi) = (
        cfg.election_timeout_s - cfg.heartbeat_s,
        2.0 * cfg.election_timeout_s + 3.0 * cfg.trip_s(),
    );
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        if predicted_cdf(cfg, mid) < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The median of [`predicted_cdf`], seconds.
pub fn predicted_median_s(cfg: &FailoverConfig) -> f64 {
    predicted_quantile_s(cfg, 0.5)
}

#[cfg(test)]
mod tests;
