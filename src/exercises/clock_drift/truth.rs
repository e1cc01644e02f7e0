//! What the simulator says is true: the answers the graders compare with, and shared helpers.

use super::{EPOCH_START, TEMPCO_PPM_PER_C2, TURNOVER_C};
use crate::clock::{Clock, OscillatorConfig, Temperature};
use crate::data::load_csv;
use crate::error::{Error, Result};
use crate::grade::Verdict;
use crate::sim::{DAY, SimRng, stream};
use serde::Deserialize;
use std::path::Path;

/// One row of `data/oscillators.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct OscillatorRow {
    /// What kind of oscillator, e.g. "tuning fork, wristwatch".
    pub name: String,
    /// Calibration error at the turnover temperature, ppm.
    pub offset_ppm: f64,
    /// Turnover temperature, °C.
    pub turnover_c: f64,
    /// Parabolic temperature coefficient, ppm/°C².
    pub tempco_ppm_per_c2: f64,
    /// Aging, ppm/day.
    pub aging_ppm_per_day: f64,
    /// Random-walk frequency noise, ppm/√day.
    pub random_walk_ppm_per_sqrt_day: f64,
    /// Where the figures come from.
    pub source: String,
}

impl OscillatorRow {
    /// The row as an oscillator configuration. (The fields are spelled out rather than
    /// flattened into the struct so that a bad value's error can name its column.)
    pub fn config(&self) -> OscillatorConfig {
        OscillatorConfig {
            offset_ppm: self.offset_ppm,
            turnover_c: self.turnover_c,
            tempco_ppm_per_c2: self.tempco_ppm_per_c2,
            aging_ppm_per_day: self.aging_ppm_per_day,
            random_walk_ppm_per_sqrt_day: self.random_walk_ppm_per_sqrt_day,
        }
    }
}

/// Loads and validates an oscillator table; a bad value names its file, line and field.
pub fn load_oscillators(path: &Path) -> Result<Vec<OscillatorRow>> {
    let rows: Vec<OscillatorRow> = load_csv(path)?;
    for (i, row) in rows.iter().enumerate() {
        if let Err(Error::InvalidParameter { name, value, reason }) = row.config().validate() {
            return Err(Error::Data {
                file: path.to_path_buf(),
                line: i as u64 + 2,
                field: Some(name.to_string()),
                message: format!("{value} {reason}"),
            });
        }
    }
    Ok(rows)
}

/// A clock with a constant frequency error and no temperature effect.
pub(super) fn plain_clock(ppm: f64, seed: u64) -> Result<Clock> {
    let cfg = OscillatorConfig {
        offset_ppm: ppm,
        tempco_ppm_per_c2: 0.0,
        ..Default::default()
    };
    Clock::new(cfg, Temperature::Constant(TURNOVER_C), EPOCH_START, seed)
}

/// The simulator's answer to task 1.
pub(super) fn true_drift_after(ppm: f64, elapsed: f64) -> Result<f64> {
    let mut c = plain_clock(ppm, 0)?;
    c.advance_to(elapsed)?;
    Ok(c.offset())
}

/// The simulator's answer to task 2.
pub(super) fn true_drift_per_day(offset_ppm: f64, temp_c: f64) -> Result<f64> {
    let cfg = OscillatorConfig {
        offset_ppm,
        turnover_c: TURNOVER_C,
        tempco_ppm_per_c2: TEMPCO_PPM_PER_C2,
        ..Default::default()
    };
    let mut c = Clock::new(cfg, Temperature::Constant(temp_c), EPOCH_START, 0)?;
    c.advance_to(DAY)?;
    Ok(c.offset())
}

/// Divergence of two plain clocks after `t` seconds, simulated.
pub(super) fn divergence_at(ppm_a: f64, ppm_b: f64, t: f64) -> Result<f64> {
    let (mut a, mut b) = (plain_clock(ppm_a, 1)?, plain_clock(ppm_b, 2)?);
    a.advance_to(t)?;
    b.advance_to(t)?;
    Ok((a.offset() - b.offset()).abs())
}

/// Worst skew seen between two plain clocks synced to true time every `interval` seconds, over
/// `rounds` intervals (the skew peaks just before each sync).
pub(super) fn worst_skew_with_resync(ppm_a: f64, ppm_b: f64, interval: f64, rounds: u32) -> Result<f64> {
    let (mut a, mut b) = (plain_clock(ppm_a, 1)?, plain_clock(ppm_b, 2)?);
    let mut worst: f64 = 0.0;
    for k in 1..=rounds {
        let t = interval * k as f64;
        a.advance_to(t)?;
        b.advance_to(t)?;
        worst = worst.max((a.offset() - b.offset()).abs());
        a.sync_to_true();
        b.sync_to_true();
    }
    Ok(worst)
}

pub(super) fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Graders draw each task's cases from their own stream, so adding a case to one task does not
/// change another's.
pub(super) fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 500 + task)
}
