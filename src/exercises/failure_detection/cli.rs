//! The flags of `exercise-4` and what the binary simulates and plots.

use super::Answers;
use super::figures::{phi_figure, rtt_figure, tradeoff_figure};
use crate::data::data_dir;
use crate::detect::load_rtts;
use crate::error::Result;
use crate::exercises::finite_f64;
use clap::Args;
use std::path::{Path, PathBuf};

/// Flags of `exercise-4` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct DetectArgs {
    /// Measured round-trip times (CSV with columns seq,rtt_ms) [default: data/rtt.csv].
    #[arg(long, value_name = "CSV")]
    pub data: Option<PathBuf>,
    /// The fraction of requests allowed to time out, for the RTT plot (0 < f < 1).
    #[arg(long, default_value_t = 0.01, value_parser = fraction, allow_negative_numbers = true)]
    pub max_timeouts: f64,
    /// The phi accrual threshold drawn on the phi plot (0 < φ ≤ 16).
    #[arg(long, default_value_t = 8.0, value_parser = threshold, allow_negative_numbers = true)]
    pub threshold: f64,
}

pub(super) fn fraction(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(format!("{s} is outside 0 < fraction < 1"))
    }
}
pub(super) fn threshold(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 16.0 {
        Ok(v)
    } else {
        Err(format!("φ = {s} is outside 0 < φ ≤ 16"))
    }
}

/// Runs the chapter's simulation with the learner's code and writes its plots under `out`.
pub fn simulate(a: &Answers, args: &DetectArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let csv = args.data.clone().unwrap_or_else(|| data_dir().join("rtt.csv"));
    let rtts = load_rtts(&csv)?;
    let mut files = Vec::new();
    files.extend(rtt_figure(&rtts, a.pick_timeout, args.max_timeouts)?.save(out, "rtt-and-timeout")?);
    files.extend(tradeoff_figure(seed)?.save(out, "detection-tradeoff")?);
    files.extend(phi_figure(a.phi, args.threshold, seed)?.save(out, "phi-around-pause-and-crash")?);
    Ok(files)
}
