//! The flags of `exercise-3` and what the binary simulates and plots.

use super::Answers;
use super::figures::{buffer_figure, latency_figure};
use crate::error::Result;
use crate::exercises::finite_f64;
use clap::Args;
use std::path::{Path, PathBuf};

/// Flags of `exercise-3` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct QueueArgs {
    /// Customers simulated per point of the latency plot (1000 to 5000000).
    #[arg(long, default_value_t = 200_000, value_parser = customers)]
    pub customers: u64,
    /// Utilisation for the buffer-overflow plot (0 < ρ ≤ 3; a finite buffer may be overloaded).
    #[arg(long, default_value_t = 0.9, value_parser = load, allow_negative_numbers = true)]
    pub rho: f64,
}

pub(super) fn customers(s: &str) -> std::result::Result<u64, String> {
    let v: u64 = s.trim().parse().map_err(|_| format!("`{s}` is not a whole number"))?;
    if (1000..=5_000_000).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} customers is outside 1000 to 5000000"))
    }
}
pub(super) fn load(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 3.0 {
        Ok(v)
    } else {
        Err(format!("ρ = {s} is outside 0 < ρ ≤ 3"))
    }
}

/// Runs the chapter's simulation with the learner's code and writes its plots under `out`.
pub fn simulate(a: &Answers, args: &QueueArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    files.extend(latency_figure(a.response_percentile, args.customers, seed)?.save(out, "latency-vs-utilisation")?);
    files.extend(buffer_figure(a.drop_fraction, args.rho, args.customers, seed)?.save(out, "buffer-drops")?);
    Ok(files)
}
