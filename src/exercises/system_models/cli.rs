//! The flags of `exercise-12` and what the binary simulates and plots.

use super::Answers;
use super::figures::{delay_figure, elect_vs_gst_figure, elect_vs_ratio_figure, leaders_figure, split_brain_figure};
use crate::error::Result;
use crate::grade::attempt;
use crate::models::{FailureModel, SystemModel, TimingModel};
use clap::{Args, ValueEnum};
use std::path::{Path, PathBuf};

/// A timing model, as a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TimingFlag {
    /// Every delay within 10 ms.
    Sync,
    /// Delays of 0.5–1 s until GST (--gst), within 10 ms after.
    Partial,
    /// Delays from 50 ms up, without bound.
    Async,
}

/// A failure model, as a flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailureFlag {
    /// Nobody fails.
    None,
    /// Node 0 crashes at a third of the run, for good.
    CrashStop,
    /// Node 0 crashes at a third of the run and comes back 1 s later.
    CrashRecovery,
    /// Node 0 grants every candidate its vote.
    Byzantine,
}

/// Flags of `exercise-12` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct ModelArgs {
    /// Timing model of the leaders-over-time plot.
    #[arg(long, value_enum, default_value_t = TimingFlag::Partial)]
    pub timing: TimingFlag,
    /// Failure model of the leaders-over-time plot.
    #[arg(long, value_enum, default_value_t = FailureFlag::None)]
    pub failure: FailureFlag,
    /// Global stabilisation time with --timing partial, seconds (0–8).
    #[arg(long, default_value_t = 2.0, value_parser = gst_value)]
    pub gst: f64,
    /// Seeded elections per point of the time-to-elect plots (1–500).
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=500))]
    pub runs: u64,
}

fn gst_value(s: &str) -> std::result::Result<f64, String> {
    let v = crate::exercises::finite_f64(s)?;
    if (0.0..=8.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is outside 0–8 s"))
    }
}

impl ModelArgs {
    /// The system model the flags name.
    pub fn model(&self) -> SystemModel {
        let timing = match self.timing {
            TimingFlag::Sync => TimingModel::synchronous(),
            TimingFlag::Partial => TimingModel::partially_synchronous(self.gst),
            TimingFlag::Async => TimingModel::asynchronous(),
        };
        let failure = match self.failure {
            FailureFlag::None => FailureModel::None,
            FailureFlag::CrashStop => FailureModel::CrashStop,
            FailureFlag::CrashRecovery => FailureModel::CrashRecovery,
            FailureFlag::Byzantine => FailureModel::Byzantine,
        };
        SystemModel::new(timing, failure)
    }
}

/// Runs the chapter's simulations (the learner's `timing_model` and `election_timeout` where
/// attempted) and writes the plots.
pub fn simulate(a: &Answers, args: &ModelArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let model = args.model();
    model.timing.validate()?;
    let timeout = attempt(|| (a.election_timeout)(0.050, crate::models::BOUND_S)).ok();
    let runs = args.runs as usize;
    let mut files = Vec::new();
    files.extend(leaders_figure(&model, seed)?.save(out, "leaders")?);
    files.extend(split_brain_figure(seed)?.save(out, "split-brain")?);
    files.extend(delay_figure(a.timing_model, seed)?.save(out, "delays")?);
    files.extend(elect_vs_gst_figure(timeout, runs, seed)?.save(out, "time-to-elect-vs-gst")?);
    files.extend(elect_vs_ratio_figure(runs, seed)?.save(out, "elect-vs-delay-ratio")?);
    Ok(files)
}
