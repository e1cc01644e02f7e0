//! The flags of `exercise-8` and what the binary simulates and plots.

use super::Answers;
use super::figures::{lease_timeline_figure, margin_figure};
use super::real::{RealSettings, run_real};
use super::real_figure::{describe, real_timeline_figure};
use crate::error::Result;
use crate::exercises::finite_f64;
use crate::lease::LeaseConfig;
use clap::Args;
use std::path::{Path, PathBuf};

/// Flags of `exercise-8` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct LeaseArgs {
    /// Length of a lease, seconds (0 < s ≤ 3600).
    #[arg(long, default_value_t = 10.0, value_parser = lease_length, allow_negative_numbers = true)]
    pub lease: f64,
    /// Longest pause between a check and its write, seconds (≥ 0).
    #[arg(long, default_value_t = 6.0, value_parser = non_negative, allow_negative_numbers = true)]
    pub max_pause: f64,
    /// Bound on the clients' clock drift, ppm (≥ 0).
    #[arg(long, default_value_t = 200.0, value_parser = non_negative, allow_negative_numbers = true)]
    pub drift_ppm: f64,
    /// Seeded pause schedules per point of the margin plot (1–200).
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u64).range(1..=200))]
    pub runs: u64,
    /// Also run the scenario on a real three-member etcd cluster on 127.0.0.1: a lock holder
    /// paused (SIGSTOP) past its 2 s lease, with a naive and a fenced storage (about 10 s;
    /// needs etcd: sudo apt-get install etcd-server etcd-client).
    #[arg(long)]
    pub real: bool,
    /// Client ports of the real cluster's three members (each peer port is one above).
    #[arg(long, value_delimiter = ',', default_value = "12379,22379,32379", num_args = 1)]
    pub etcd_ports: Vec<u16>,
}

fn non_negative(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("`{s}` must not be negative"))
    }
}

fn lease_length(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 3600.0 {
        Ok(v)
    } else {
        Err(format!("{s} s is outside 0 < s ≤ 3600"))
    }
}

/// Runs the chapter's simulation with the learner's code and writes its plots under `out`.
pub fn simulate(a: &Answers, args: &LeaseArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let cfg = LeaseConfig {
        lease_s: args.lease,
        max_pause_s: args.max_pause,
        drift_ppm: args.drift_ppm,
        ..Default::default()
    };
    cfg.validate()?;
    let mut files = Vec::new();
    files.extend(lease_timeline_figure(false, seed)?.save(out, "lease-timeline-no-fencing")?);
    files.extend(lease_timeline_figure(true, seed)?.save(out, "lease-timeline-fencing")?);
    files.extend(margin_figure(&cfg, a.lease_margin, args.runs, seed)?.save(out, "lease-margin")?);
    if args.real {
        files.extend(real(a, args, out)?);
    }
    Ok(files)
}

/// `--real`: the scenario on a real etcd cluster, its report printed as it ends (on stderr
/// under `--json`, whose stdout is the JSON report only), its timelines saved beside the
/// simulator's.
fn real(a: &Answers, args: &LeaseArgs, out: &Path) -> Result<Vec<PathBuf>> {
    // Before anything starts: etcd missing is one line and a non-zero exit.
    crate::etcd::find_etcd()?;
    let settings = RealSettings {
        ports: args.etcd_ports.clone(),
        drift_ppm: args.drift_ppm,
        ..Default::default()
    };
    let outcome = run_real(a, &settings)?;
    let json = std::env::args().any(|a| a == "--json");
    for line in describe(&outcome) {
        if json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
    let mut files = Vec::new();
    for run in &outcome.runs {
        let stem = if run.fenced {
            "etcd-timeline-fencing"
        } else {
            "etcd-timeline-no-fencing"
        };
        files.extend(real_timeline_figure(run).save(out, stem)?);
    }
    Ok(files)
}
