//! The flags of `exercise-11` and what the binary simulates and plots.

use super::Answers;
use super::figures::{Stamp, diagram, hlc_figure, labels};
use crate::error::Result;
use crate::exercises::finite_f64;
use crate::logical::GossipConfig;
use clap::Args;
use std::path::{Path, PathBuf};

/// Flags of `exercise-11` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct LogicalArgs {
    /// Nodes in the stamped space-time diagrams (2–6).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u64).range(2..=6))]
    pub nodes: u64,
    /// Spread of the clocks, milliseconds (0 < ms ≤ 1000).
    #[arg(long, default_value_t = 20.0, value_parser = skew_ms, allow_negative_numbers = true)]
    pub skew_ms: f64,
}

fn skew_ms(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 1000.0 {
        Ok(v)
    } else {
        Err(format!("{s} ms is outside 0 < ms ≤ 1000"))
    }
}

/// Runs a small gossip world and labels its diagram with the learner's clocks (each clock
/// left out while its task is `todo!()`), and plots the HLC against true time.
pub fn simulate(a: &Answers, args: &LogicalArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let run = GossipConfig {
        nodes: args.nodes as usize,
        steps_per_node: 5,
        mean_gap_s: 0.012,
        send_probability: 0.6,
        delay_s: 0.003,
        jitter_s: 0.004,
        loss: 0.1,
        skew_s: args.skew_ms * 1e-3,
        drift_ppm: 100.0,
        faults: Vec::new(),
    }
    .simulate(seed)?;
    let names = ["A", "B", "C", "D", "E", "F"];
    let mut files = Vec::new();
    for (stamp, stem) in [
        (Stamp::Lamport, "lamport-diagram"),
        (Stamp::Vector, "vector-diagram"),
        (Stamp::Hlc, "hlc-diagram"),
    ] {
        if let Some(l) = labels(&run, stamp, Some(a)) {
            files.extend(diagram(&run, stamp, &names, l).width(1100).save(out, stem)?);
        }
    }
    files.extend(hlc_figure(6, args.skew_ms * 1e-3, Some(a.hlc), seed)?.save(out, "hlc-ahead-of-true-time")?);
    Ok(files)
}
