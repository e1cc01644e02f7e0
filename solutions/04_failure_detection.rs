//! Exercise 4 · Timeouts and failure detection — reference solution.
//!
//! One way to solve `exercises/04_failure_detection.rs`; compare after you have your own.

use faultline::detect::normal_sf;
use faultline::exercises::failure_detection::{self, Answers};

/// Task 1: with the RTTs sorted, a timeout equal to the value at 0-based index j leaves the
/// values after j's last copy above it. Walk up until at most ⌊max_timeouts·n⌋ remain above.
pub fn pick_timeout(rtts: &[f64], max_timeouts: f64) -> f64 {
    let mut sorted = rtts.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let allowed = (max_timeouts * n as f64 + 1e-9).floor() as usize;
    for &t in &sorted {
        let above = n - sorted.partition_point(|&x| x <= t);
        if above <= allowed {
            return t;
        }
    }
    sorted[n - 1]
}

/// Task 2: the crash comes just after a heartbeat left, and that heartbeat takes `max_delay`;
/// the monitor's timer starts when it arrives. The interval drops out.
pub fn worst_detection_time(_interval: f64, timeout: f64, max_delay: f64) -> f64 {
    max_delay + timeout
}

/// Task 3: each stretch from `arrival + timeout` to the next arrival (or `until`) is one
/// wrong suspicion, if it is longer than 0 (a heartbeat exactly on time is no suspicion).
pub fn false_suspicions(arrivals: &[f64], timeout: f64, until: f64) -> (usize, f64) {
    let mut count = 0;
    let mut total = 0.0;
    for (i, &a) in arrivals.iter().enumerate() {
        let next = arrivals.get(i + 1).copied().unwrap_or(until);
        let from = a + timeout;
        if from < next {
            count += 1;
            total += next - from;
        }
    }
    (count, total)
}

/// Task 4: fit the normal model, then φ = −log₁₀ of the tail beyond `elapsed`.
pub fn phi(elapsed: f64, gaps: &[f64], min_sd: f64) -> f64 {
    let n = gaps.len() as f64;
    let mean = gaps.iter().sum::<f64>() / n;
    let var = gaps.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / (n - 1.0);
    let sd = var.sqrt().max(min_sd);
    -normal_sf((elapsed - mean) / sd).log10()
}

/// Task 5: the value at rank ⌈p·n⌉ of the sorted gaps, plus the margin.
pub fn adaptive_timeout(gaps: &[f64], percentile: f64, margin: f64) -> f64 {
    let mut sorted = gaps.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = (percentile * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1] + margin
}

/// Hands the functions to the grader.
pub fn answers() -> Answers {
    Answers {
        pick_timeout,
        worst_detection_time,
        false_suspicions,
        phi,
        adaptive_timeout,
    }
}

fn main() -> std::process::ExitCode {
    failure_detection::run(answers())
}
