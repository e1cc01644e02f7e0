//! The flags of `exercise-5` and what the binary simulates and plots.

use super::Answers;
use super::figures::{offset_figure, prediction_figure, temperature_figure, wall_vs_monotonic_figure};
use super::truth::load_oscillators;
use crate::data::data_dir;
use crate::error::Result;
use crate::exercises::finite_f64;
use clap::Args;
use std::path::{Path, PathBuf};

/// Flags of `exercise-5` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct DriftArgs {
    /// Days of true time to simulate for the plots (0 < days ≤ 365).
    #[arg(long, default_value_t = 1.0, value_parser = days, allow_negative_numbers = true)]
    pub days: f64,
    /// Frequency error of the clock in the drift plot, ppm (|ppm| ≤ 100000).
    #[arg(long, default_value_t = 50.0, value_parser = ppm, allow_negative_numbers = true)]
    pub ppm: f64,
    /// Mean room temperature for the oscillator plot, °C (−60 to 120).
    #[arg(long, default_value_t = 25.0, value_parser = celsius, allow_negative_numbers = true)]
    pub temperature: f64,
    /// Oscillator table [default: data/oscillators.csv].
    #[arg(long, value_name = "CSV")]
    pub data: Option<PathBuf>,
}

pub(super) fn days(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 365.0 {
        Ok(v)
    } else {
        Err(format!("{s} days is outside 0 < days ≤ 365"))
    }
}
pub(super) fn ppm(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v.abs() <= 1e5 {
        Ok(v)
    } else {
        Err(format!("{s} ppm is outside ±100000"))
    }
}
pub(super) fn celsius(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if (-60.0..=120.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} °C is outside −60 to 120"))
    }
}

/// Runs the chapter's simulation with the learner's code and writes its plots under `out`.
pub fn simulate(a: &Answers, args: &DriftArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let table = args.data.clone().unwrap_or_else(|| data_dir().join("oscillators.csv"));
    let rows = load_oscillators(&table)?;
    let mut files = Vec::new();
    files.extend(offset_figure(&rows, args.days, args.temperature, seed)?.save(out, "offset-over-time")?);
    files.extend(prediction_figure(a.drift_after, args.ppm, args.days)?.save(out, "drift-prediction")?);
    files.extend(temperature_figure(a.drift_per_day)?.save(out, "temperature-curve")?);
    files.extend(wall_vs_monotonic_figure(seed)?.save(out, "wall-vs-monotonic")?);
    Ok(files)
}
