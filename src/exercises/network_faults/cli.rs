//! The flags of `exercise-2` and what the binary simulates and plots.

use super::Answers;
use super::figures::{delay_figure, order_figure};
use crate::error::Result;
use crate::exercises::finite_f64;
use clap::Args;
use std::path::{Path, PathBuf};

/// Flags of `exercise-2` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct NetArgs {
    /// Probability a message is lost, for the plots (0 ≤ p < 1).
    #[arg(long, default_value_t = 0.02, value_parser = probability, allow_negative_numbers = true)]
    pub loss: f64,
    /// Mean jitter in milliseconds (exponential), for the plots (0 to 1000).
    #[arg(long, default_value_t = 5.0, value_parser = jitter_ms, allow_negative_numbers = true)]
    pub jitter_ms: f64,
}

pub(super) fn probability(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if (0.0..1.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} is outside 0 ≤ p < 1"))
    }
}
pub(super) fn jitter_ms(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if (0.0..=1000.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} ms is outside 0 to 1000"))
    }
}

/// Runs the chapter's simulation with the learner's code and writes its plots under `out`.
pub fn simulate(a: &Answers, args: &NetArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    files.extend(delay_figure(a.one_way_delay, args.loss, seed)?.save(out, "delay-over-time")?);
    files.extend(order_figure(a.deliver_in_order, args.loss, args.jitter_ms, seed)?.save(out, "arrival-order")?);
    Ok(files)
}
