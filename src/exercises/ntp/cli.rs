//! The flags of `exercise-6` and what the binary simulates and plots.

use super::Answers;
use super::figures::{YourPolicies, asymmetry_figure, falseticker_figure, filter_figure, offset_over_time_figure};
use crate::error::{Error, Result};
use crate::exercises::finite_f64;
use crate::grade::{attempt, fmt_num};
use crate::ntp::Timestamps;
use crate::ntp::sntp::{self};
use crate::sim::HOUR;
use clap::Args;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Flags of `exercise-6` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct NtpArgs {
    /// Hours of true time to simulate for the plots (0.5 ≤ hours ≤ 168: a shorter run polls too
    /// few times to draw anything).
    #[arg(long, default_value_t = 24.0, value_parser = hours, allow_negative_numbers = true)]
    pub hours: f64,
    /// Also measure this machine's clock against a real NTP server (--server).
    #[arg(long)]
    pub measure: bool,
    /// The NTP server --measure asks, host:port (the default is a local chronyd).
    #[arg(long, default_value = "127.0.0.1:11123", value_name = "HOST:PORT")]
    pub server: String,
    /// How long --measure waits for the answer, milliseconds (1–60000).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    pub timeout_ms: u64,
}

/// The shortest `--hours` the plots accept: 28 polls, 64 s apart, so every plot has points
/// to draw (a shorter run drew four empty plots with repeated tick labels).
pub const MIN_HOURS: f64 = 0.5;

/// The longest `--hours`: a week.
pub const MAX_HOURS: f64 = 168.0;

/// Parses `--hours`. A run too short to plot is refused rather than plotted empty: `--hours`
/// only sets how much the plots show, so an empty plot has no use and the fix is one flag.
pub(super) fn hours(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if (MIN_HOURS..=MAX_HOURS).contains(&v) {
        Ok(v)
    } else if v > 0.0 && v < MIN_HOURS {
        Err(format!(
            "{s} hours is too short to plot: the client polls every 64 s, so give at least {MIN_HOURS} (28 polls)"
        ))
    } else {
        Err(format!("{s} hours is outside {MIN_HOURS} ≤ hours ≤ {MAX_HOURS}"))
    }
}

/// Asks a real NTP server once and describes this machine's offset in one line; uses the
/// learner's `offset` beside the library's when it is attempted.
pub fn measure(server: &str, timeout: Duration, offset: fn(Timestamps) -> f64) -> Result<String> {
    let reply = sntp::query(server, timeout)?;
    let (theta, delta) = (reply.offset(), reply.delay());
    let ahead = if theta <= 0.0 { "ahead of" } else { "behind" };
    let mut line = format!(
        "Real clock: this machine is {} ms {ahead} {server} (stratum {}), round trip {} ms, so the error is at most {} ms.",
        fmt_num(theta.abs() * 1e3),
        reply.packet.stratum,
        fmt_num(delta * 1e3),
        fmt_num(delta / 2.0 * 1e3)
    );
    if let Ok(yours) = attempt(|| offset(reply.stamps)) {
        line.push_str(&format!(" Your offset(): {} ms.", fmt_num(yours * 1e3)));
    }
    Ok(line)
}

/// The one line `--measure` prints when the server gave no usable answer.
pub(super) fn measure_failed(server: &str, e: &Error) -> String {
    let why = match e {
        Error::NoResponse { timeout_ms, .. } => format!(
            "no reply from {server} within {timeout_ms} ms (no NTP server there, or the packets were lost or blocked; try --server HOST:123 or a longer --timeout-ms)"
        ),
        other => format!("could not ask {server}: {other}"),
    };
    format!("Real clock: {why}. The plots and the report below come from the simulation alone.")
}

/// Runs the chapter's simulation with the learner's code and writes its plots under `out`.
pub fn simulate(a: &Answers, args: &NtpArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let duration = args.hours * HOUR;
    // The client in the simulations runs the learner's filter, intersection and discipline
    // wherever they are written.
    let yours = YourPolicies::from_answers(a);
    files.extend(offset_over_time_figure(yours, duration, seed)?.save(out, "true-vs-estimated-offset")?);
    files.extend(asymmetry_figure(a.offset)?.save(out, "error-vs-asymmetry")?);
    files.extend(filter_figure(yours, duration.min(6.0 * HOUR), seed)?.save(out, "filter-on-off")?);
    files.extend(falseticker_figure(yours, duration.min(6.0 * HOUR), seed)?.save(out, "falseticker")?);
    if args.measure {
        // The real clock is an extra: a server that does not answer is reported in one line
        // and the run goes on to its report, with the simulated plots already written.
        match measure(&args.server, Duration::from_millis(args.timeout_ms), a.offset) {
            Ok(line) => eprintln!("{line}"),
            Err(e) => eprintln!("{}", measure_failed(&args.server, &e)),
        }
    } else {
        eprintln!(
            "Real clock: add --measure to ask the NTP server at {} how far this machine's clock is off.",
            args.server
        );
    }
    Ok(files)
}
