//! Exercise 5 · Clock drift — reference solution.
//!
//! One way to solve `exercises/05_clock_drift.rs`; compare after you have your own.

use faultline::clock::Reading;
use faultline::exercises::clock_drift::{self, Answers, TEMPCO_PPM_PER_C2, TURNOVER_C};
use faultline::sim::DAY;

/// One part per million.
const PPM: f64 = 1e-6;

/// Task 1: the clock gains `ppm`·10⁻⁶ seconds every second.
pub fn drift_after(ppm: f64, elapsed: f64) -> f64 {
    ppm * PPM * elapsed
}

/// Task 2: the parabola gives the frequency error; a day has 86 400 seconds.
pub fn drift_per_day(offset_ppm: f64, temp_c: f64) -> f64 {
    let error_ppm = offset_ppm - TEMPCO_PPM_PER_C2 * (temp_c - TURNOVER_C).powi(2);
    drift_after(error_ppm, DAY)
}

/// Task 3: only the difference of the two rates separates the clocks.
pub fn time_to_diverge(ppm_a: f64, ppm_b: f64, bound: f64) -> f64 {
    let separation_rate = (ppm_a - ppm_b).abs() * PPM; // seconds per second
    if separation_rate == 0.0 {
        f64::INFINITY
    } else {
        bound / separation_rate
    }
}

/// Task 4: the worst pair is one clock at +max_ppm and one at −max_ppm.
pub fn resync_interval(max_ppm: f64, max_skew: f64) -> f64 {
    time_to_diverge(max_ppm, -max_ppm, max_skew)
}

/// Task 5: the monotonic clock never jumps, so its difference is the duration (up to the
/// crystal's own drift); the wall clock's difference includes any step.
pub fn elapsed(start: Reading, end: Reading) -> f64 {
    end.monotonic - start.monotonic
}

/// Hands the functions to the grader.
pub fn answers() -> Answers {
    Answers {
        drift_after,
        drift_per_day,
        time_to_diverge,
        resync_interval,
        elapsed,
    }
}

fn main() -> std::process::ExitCode {
    clock_drift::run(answers())
}
