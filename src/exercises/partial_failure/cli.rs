//! The flags of `exercise-1` and what the binary simulates and plots.

use super::Answers;
use super::figures::{backoff_figure, balance_figure};
use crate::error::Result;
use crate::exercises::finite_f64;
use clap::Args;
use std::path::{Path, PathBuf};

/// Flags of `exercise-1` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct PartialArgs {
    /// Probability a message is lost, each way, for the plots (0 ≤ p < 0.9).
    #[arg(long, default_value_t = 0.2, value_parser = loss, allow_negative_numbers = true)]
    pub loss: f64,
    /// Fault schedules simulated for the plots (1 to 1000).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub schedules: u64,
}

pub(super) fn loss(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if (0.0..0.9).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} is outside 0 ≤ p < 0.9"))
    }
}

/// Runs the chapter's simulation with the learner's code and writes its plots under `out`.
pub fn simulate(a: &Answers, args: &PartialArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    files.extend(backoff_figure(a.backoff, seed)?.save(out, "backoff")?);
    files.extend(balance_figure(a.apply_transfer, args.loss, args.schedules, seed)?.save(out, "balance-errors")?);
    Ok(files)
}
