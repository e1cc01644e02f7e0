//! Clock readings as confidence intervals, TrueTime-style, and commit wait.
//!
//! A node's clock is synchronised every `sync_interval_s` to within `sync_error_s` of true
//! time; between syncs it drifts, by at most `drift_bound_ppm` if its crystal behaves. So a
//! reading taken `Δ` seconds after a sync is within ε = sync_error + drift_bound·Δ of true
//! time, and [`TrueTime::now`] returns `[reading − ε, reading + ε]`. ε grows between syncs and
//! drops at each one: the uncertainty sawtooth.
//!
//! Commit wait: a transaction takes the timestamp `s = now().latest` (no true time can be
//! later), then waits until `now().earliest > s` before anyone learns it committed. Then `s`
//! is certainly in the past, so any transaction that starts afterwards, on any node, takes a
//! larger timestamp: timestamp order agrees with real-time order. The price is about 2ε of
//! waiting per transaction.

use rand::Rng;
use rand_distr::{Distribution, Exp};
use serde::Serialize;

use super::{TtInterval, can_commit};
use crate::clock::{Clock, OscillatorConfig, Reading, Temperature};
use crate::error::{Error, Result, check};
use crate::ntp::sim::EPOCH_START;
use crate::sim::{Seconds, SimRng, stream};

/// How a node keeps its clock and what it assumes about it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TrueTimeConfig {
    /// Each synchronisation sets the clock to within ± this of true time, seconds (≥ 0).
    pub sync_error_s: f64,
    /// The drift the API allows for between syncs, ppm (≥ 0). The intervals hold only if the
    /// real crystal stays within it.
    pub drift_bound_ppm: f64,
    /// Seconds between synchronisations (> 0).
    pub sync_interval_s: f64,
}

impl Default for TrueTimeConfig {
    /// Synced every 30 s to within 1 ms, assuming at most 200 ppm of drift (Google's figure):
    /// ε climbs from 1 ms to 7 ms between syncs.
    fn default() -> Self {
        TrueTimeConfig {
            sync_error_s: 0.001,
            drift_bound_ppm: 200.0,
            sync_interval_s: 30.0,
        }
    }
}

impl TrueTimeConfig {
    /// Checks the fields: a negative drift bound or sync error is an error.
    pub fn validate(&self) -> Result<()> {
        check::non_negative("sync_error_s", self.sync_error_s)?;
        check::non_negative("drift_bound_ppm", self.drift_bound_ppm)?;
        check::positive("sync_interval_s", self.sync_interval_s)?;
        Ok(())
    }
}

/// One node's clock behind a TrueTime-style API.
///
/// ```
/// use faultline::clock::OscillatorConfig;
/// use faultline::ordering::truetime::{TrueTime, TrueTimeConfig};
/// let osc = OscillatorConfig { offset_ppm: 50.0, tempco_ppm_per_c2: 0.0, ..Default::default() };
/// let mut tt = TrueTime::new(TrueTimeConfig::default(), osc, 1).unwrap();
/// tt.advance_to(29.0).unwrap();
/// let now = tt.now();
/// assert!(now.contains(tt.true_unix()));
/// assert!((now.width() - 2.0 * (0.001 + 200e-6 * 29.0)).abs() < 1e-6);
/// ```
#[derive(Debug, Clone)]
pub struct TrueTime {
    clock: Clock,
    cfg: TrueTimeConfig,
    last_sync_mono: f64,
    next_sync: Seconds,
    rng: SimRng,
}

impl TrueTime {
    /// A node whose crystal is `osc` (at a constant 25 °C), synchronised at true time 0.
    pub fn new(cfg: TrueTimeConfig, osc: OscillatorConfig, seed: u64) -> Result<Self> {
        cfg.validate()?;
        let clock = Clock::new(osc, Temperature::Constant(25.0), EPOCH_START, seed)?;
        let mut tt = TrueTime {
            clock,
            cfg,
            last_sync_mono: 0.0,
            next_sync: cfg.sync_interval_s,
            rng: stream(seed, 77),
        };
        tt.sync();
        Ok(tt)
    }

    fn sync(&mut self) {
        let e = self.cfg.sync_error_s;
        let error = if e > 0.0 { self.rng.random_range(-e..=e) } else { 0.0 };
        self.clock.sync_to_true();
        self.clock.step_wall(error);
        self.last_sync_mono = self.clock.read().monotonic;
    }

    /// Advances to true time `t` (not earlier than now), synchronising on schedule.
    pub fn advance_to(&mut self, t: Seconds) -> Result<()> {
        check::finite("time", t)?;
        while self.next_sync <= t {
            self.clock.advance_to(self.next_sync)?;
            self.sync();
            self.next_sync += self.cfg.sync_interval_s;
        }
        self.clock.advance_to(t)
    }

    /// The configuration.
    pub fn config(&self) -> &TrueTimeConfig {
        &self.cfg
    }

    /// The raw clock readings now.
    pub fn reading(&self) -> Reading {
        self.clock.read()
    }

    /// Seconds since the last sync, by the node's monotonic clock.
    pub fn since_sync(&self) -> f64 {
        (self.clock.read().monotonic - self.last_sync_mono).max(0.0)
    }

    /// ε now: sync error plus the drift bound times the time since the sync, seconds.
    pub fn epsilon(&self) -> f64 {
        self.cfg.sync_error_s + self.cfg.drift_bound_ppm * 1e-6 * self.since_sync()
    }

    /// `[reading − ε, reading + ε]`, Unix seconds.
    pub fn now(&self) -> TtInterval {
        let (wall, eps) = (self.clock.read().wall, self.epsilon());
        TtInterval {
            earliest: wall - eps,
            latest: wall + eps,
        }
    }

    /// True Unix time now: what the simulator knows.
    pub fn true_unix(&self) -> f64 {
        self.clock.true_wall()
    }

    /// True time now, seconds since the start.
    pub fn true_time(&self) -> Seconds {
        self.clock.true_time()
    }

    /// The node's clock minus true time, seconds.
    pub fn offset(&self) -> f64 {
        self.clock.offset()
    }
}

/// A chain of transactions on several nodes, each started after the previous one was
/// acknowledged, so each must be ordered after it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CommitWaitConfig {
    /// Every node's TrueTime settings.
    pub truetime: TrueTimeConfig,
    /// Number of nodes (2–100).
    pub nodes: usize,
    /// Each node's crystal error is drawn uniformly within ± this, ppm (≥ 0).
    pub crystal_ppm: f64,
    /// Transactions in the chain (1–100 000).
    pub transactions: usize,
    /// Mean pause between one acknowledgement and the next transaction's start (exponential),
    /// seconds (> 0).
    pub mean_gap_s: f64,
    /// How often a waiting transaction reads `now()` again, seconds of true time (> 0).
    pub poll_s: f64,
    /// A transaction that has waited this long is released anyway and counted, seconds (> 0).
    pub max_wait_s: f64,
}

impl Default for CommitWaitConfig {
    /// Default TrueTime, 5 nodes of ±50 ppm, 500 transactions ~2 ms apart, polling every
    /// 0.1 ms, giving up after 10 s.
    fn default() -> Self {
        CommitWaitConfig {
            truetime: TrueTimeConfig::default(),
            nodes: 5,
            crystal_ppm: 50.0,
            transactions: 500,
            mean_gap_s: 0.002,
            poll_s: 1e-4,
            max_wait_s: 10.0,
        }
    }
}

impl CommitWaitConfig {
    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        self.truetime.validate()?;
        if !(2..=100).contains(&self.nodes) {
            return Err(Error::invalid("nodes", self.nodes, "must be between 2 and 100"));
        }
        check::non_negative("crystal_ppm", self.crystal_ppm)?;
        if !(1..=100_000).contains(&self.transactions) {
            return Err(Error::invalid(
                "transactions",
                self.transactions,
                "must be between 1 and 100000",
            ));
        }
        check::positive("mean_gap_s", self.mean_gap_s)?;
        check::positive("poll_s", self.poll_s)?;
        check::positive("max_wait_s", self.max_wait_s)?;
        Ok(())
    }
}

/// One transaction as the simulator saw it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Transaction {
    /// The node that ran it.
    pub node: usize,
    /// True time it started (and took its timestamp), seconds since the start.
    pub start: Seconds,
    /// Its timestamp, `now().latest` at the start, Unix seconds.
    pub stamp: f64,
    /// True time it was acknowledged, after the commit wait, seconds since the start.
    pub released: Seconds,
    /// ε when it started, seconds.
    pub epsilon: f64,
}

impl Transaction {
    /// How long it waited, true seconds.
    pub fn waited(&self) -> f64 {
        self.released - self.start
    }
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitWaitOutcome {
    /// Every transaction, in real-time order.
    pub transactions: Vec<Transaction>,
    /// Transactions whose timestamp is not greater than their predecessor's, though they
    /// started after it was acknowledged: ordered against real time.
    pub violations: usize,
    /// Transactions released because they waited `max_wait_s` without the rule letting them go.
    pub gave_up: usize,
    /// Whether every reading's interval contained true time.
    pub intervals_held: bool,
}

impl CommitWaitOutcome {
    /// Mean wait, true seconds.
    pub fn mean_wait(&self) -> f64 {
        mean(self.transactions.iter().map(Transaction::waited))
    }
    /// Mean ε at the start of a transaction, seconds.
    pub fn mean_epsilon(&self) -> f64 {
        mean(self.transactions.iter().map(|t| t.epsilon))
    }
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// Runs the chain, releasing each transaction when `rule(stamp, now())` says so (pass
/// [`can_commit`] for commit wait, `|_, _| true` for none).
pub fn simulate(cfg: &CommitWaitConfig, rule: fn(f64, TtInterval) -> bool, seed: u64) -> Result<CommitWaitOutcome> {
    cfg.validate()?;
    let mut crystals = stream(seed, 0);
    let mut nodes = (0..cfg.nodes)
        .map(|i| {
            let ppm = if cfg.crystal_ppm > 0.0 {
                crystals.random_range(-cfg.crystal_ppm..=cfg.crystal_ppm)
            } else {
                0.0
            };
            let osc = OscillatorConfig {
                offset_ppm: ppm,
                tempco_ppm_per_c2: 0.0,
                ..Default::default()
            };
            TrueTime::new(cfg.truetime, osc, seed.wrapping_mul(1000).wrapping_add(i as u64))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut pick = stream(seed, 1);
    let gap = Exp::new(1.0 / cfg.mean_gap_s).map_err(|_| Error::invalid("mean_gap_s", cfg.mean_gap_s, "bad rate"))?;
    let mut t = 0.0;
    let mut out = CommitWaitOutcome {
        transactions: Vec::with_capacity(cfg.transactions),
        violations: 0,
        gave_up: 0,
        intervals_held: true,
    };
    for _ in 0..cfg.transactions {
        t += gap.sample(&mut pick);
        let node = pick.random_range(0..cfg.nodes);
        let tt = &mut nodes[node];
        tt.advance_to(t)?;
        let now = tt.now();
        out.intervals_held &= now.contains(tt.true_unix());
        let (stamp, epsilon, start) = (now.latest, tt.epsilon(), t);
        while !rule(stamp, tt.now()) {
            if t - start >= cfg.max_wait_s {
                out.gave_up += 1;
                break;
            }
            t += cfg.poll_s;
            tt.advance_to(t)?;
            out.intervals_held &= tt.now().contains(tt.true_unix());
        }
        if let Some(prev) = out.transactions.last() {
            if stamp <= prev.stamp {
                out.violations += 1;
            }
        }
        out.transactions.push(Transaction {
            node,
            start,
            stamp,
            released: t,
            epsilon,
        });
    }
    Ok(out)
}

/// [`simulate`] with commit wait.
pub fn with_commit_wait(cfg: &CommitWaitConfig, seed: u64) -> Result<CommitWaitOutcome> {
    simulate(cfg, can_commit, seed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_contain_true_time_when_the_drift_bound_holds() {
        // 200 nodes with crystals within ±150 ppm under a 200 ppm bound, read every 0.7 s for
        // 5 minutes: true time is inside every interval.
        for seed in 0..200 {
            let osc = OscillatorConfig {
                offset_ppm: -150.0 + 1.5 * seed as f64,
                tempco_ppm_per_c2: 0.0,
                ..Default::default()
            };
            let mut tt = TrueTime::new(TrueTimeConfig::default(), osc, seed).unwrap();
            for k in 0..430 {
                tt.advance_to(0.7 * k as f64).unwrap();
                assert!(tt.now().contains(tt.true_unix()), "seed {seed}, t {}", 0.7 * k as f64);
            }
        }
        // A crystal beyond the bound breaks the promise: 500 ppm against 200.
        let osc = OscillatorConfig {
            offset_ppm: 500.0,
            tempco_ppm_per_c2: 0.0,
            ..Default::default()
        };
        let mut tt = TrueTime::new(TrueTimeConfig::default(), osc, 1).unwrap();
        tt.advance_to(29.0).unwrap();
        assert!(!tt.now().contains(tt.true_unix()));
    }

    #[test]
    fn commit_wait_orders_by_real_time_in_every_trial_and_costs_two_epsilon() {
        for seed in 0..20 {
            let out = with_commit_wait(&CommitWaitConfig::default(), seed).unwrap();
            assert!(out.intervals_held, "seed {seed}");
            assert_eq!((out.violations, out.gave_up), (0, 0), "seed {seed}");
            // Waiting until earliest > s takes 2ε/(1 − bound) plus at most one poll step.
            let (w, e) = (out.mean_wait(), out.mean_epsilon());
            assert!(
                w >= 2.0 * e * 0.999 && w <= 2.0 * e * 1.01 + 1e-4,
                "seed {seed}: wait {w}, ε {e}"
            );
        }
    }

    #[test]
    fn without_commit_wait_skewed_clocks_order_against_real_time() {
        let total: usize = (0..10)
            .map(|seed| {
                simulate(&CommitWaitConfig::default(), |_, _| true, seed)
                    .unwrap()
                    .violations
            })
            .sum();
        assert!(total > 0);
    }

    #[test]
    fn negative_drift_bound_is_an_error() {
        let cfg = TrueTimeConfig {
            drift_bound_ppm: -1.0,
            ..Default::default()
        };
        let err = TrueTime::new(cfg, OscillatorConfig::default(), 0).unwrap_err();
        assert!(err.to_string().contains("drift_bound_ppm"), "{err}");
        assert!(
            simulate(
                &CommitWaitConfig {
                    nodes: 1,
                    ..Default::default()
                },
                can_commit,
                0
            )
            .is_err()
        );
    }
}
