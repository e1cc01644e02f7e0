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
use serde::Serialize;

use super::TtInterval;
use crate::clock::{Clock, OscillatorConfig, Reading, Temperature};
use crate::error::{Result, check};
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

mod commit_wait;
pub use commit_wait::*;

#[cfg(test)]
mod tests;
