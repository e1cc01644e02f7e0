//! The flags of `exercise-7` and what the binary simulates and plots.

use super::Answers;
use super::figures::{commit_wait_figure, lww_figure, misorder_figure, sawtooth_figure};
use crate::error::Result;
use crate::exercises::finite_f64;
use crate::ordering::truetime::TrueTimeConfig;
use clap::Args;
use std::path::{Path, PathBuf};

/// Flags of `exercise-7` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct TimestampArgs {
    /// Writes per point of the last-write-wins plot (100–100000).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(100..=100_000))]
    pub writes: u64,
    /// The drift bound TrueTime assumes, ppm (0 ≤ ppm ≤ 100000).
    #[arg(long, default_value_t = 200.0, value_parser = drift_bound, allow_negative_numbers = true)]
    pub drift_bound_ppm: f64,
    /// Seconds between clock synchronisations (0 < s ≤ 3600).
    #[arg(long, default_value_t = 30.0, value_parser = sync_interval, allow_negative_numbers = true)]
    pub sync_interval: f64,
}

pub(super) fn non_negative(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("`{s}` must not be negative"))
    }
}
pub(super) fn sync_interval(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 3600.0 {
        Ok(v)
    } else {
        Err(format!("{s} s is outside 0 < s ≤ 3600"))
    }
}

/// Runs the chapter's simulation with the learner's code and writes its plots under `out`.
pub fn simulate(a: &Answers, args: &TimestampArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let tt = TrueTimeConfig {
        drift_bound_ppm: args.drift_bound_ppm,
        sync_interval_s: args.sync_interval,
        ..Default::default()
    };
    let mut files = Vec::new();
    files.extend(lww_figure(args.writes as usize, a.lost_writes, seed)?.save(out, "lww-lost-writes")?);
    files.extend(misorder_figure(seed)?.save(out, "misordered-messages")?);
    files.extend(sawtooth_figure(tt, seed)?.save(out, "uncertainty-sawtooth")?);
    files.extend(commit_wait_figure(tt, seed)?.save(out, "commit-wait-cost")?);
    Ok(files)
}

/// Parses --drift-bound-ppm: a finite number from 0 to 100000 ppm (10%, past any real crystal).
fn drift_bound(s: &str) -> std::result::Result<f64, String> {
    let v = non_negative(s)?;
    if v <= 100_000.0 {
        Ok(v)
    } else {
        Err(format!("{s} ppm is outside 0 ≤ ppm ≤ 100000"))
    }
}
