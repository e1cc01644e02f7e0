//! Exercise 5 · Clock drift.
//!
//! Read `notebooks/05-clock-drift.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-5            # simulate, plot, grade
//!     cargo run --bin exercise-5 -- --hint  # a nudge for the first unfinished task
//!     cargo test                            # the same grader, as tests
//!
//! Every answer is in seconds. A clock that is `ppm` parts per million fast gains `ppm`
//! microseconds every second; a negative ppm means it runs slow.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::clock::Reading;
use faultline::exercises::clock_drift::{self, Answers};

/// Task 1. A clock runs `ppm` parts per million fast (negative: slow). It showed true time
/// exactly `elapsed` seconds ago. How many seconds ahead of true time is it now?
/// (Negative if it is behind.)
pub fn drift_after(ppm: f64, elapsed: f64) -> f64 {
    // TODO: one line of arithmetic
    todo!()
}

/// Task 2. A tuning-fork crystal has a calibration error of `offset_ppm` at its turnover
/// temperature of 25 °C, and its frequency falls by 0.034 ppm for every °C² away from it:
/// error = offset_ppm − 0.034·(T − 25)². Held at `temp_c` °C, how many seconds does it gain
/// per day? (Negative: it loses time.)
/// The constants are `clock_drift::TURNOVER_C` and `clock_drift::TEMPCO_PPM_PER_C2`.
pub fn drift_per_day(offset_ppm: f64, temp_c: f64) -> f64 {
    // TODO: the frequency error at temp_c, then seconds per day
    todo!()
}

/// Task 3. Two clocks agree at time 0; one runs `ppm_a` fast, the other `ppm_b`. After how
/// many seconds do they first differ by `bound` seconds? If they never do, return
/// `f64::INFINITY`.
pub fn time_to_diverge(ppm_a: f64, ppm_b: f64, bound: f64) -> f64 {
    // TODO: how fast do they separate?
    todo!()
}

/// Task 4. Every clock in a cluster runs somewhere between `max_ppm` slow and `max_ppm` fast.
/// Each clock is set to true time at every resync. What is the longest interval between
/// resyncs, in seconds, that keeps every pair of clocks within `max_skew` seconds of each other?
pub fn resync_interval(max_ppm: f64, max_skew: f64) -> f64 {
    // TODO: the worst pair drifts in opposite directions
    todo!()
}

/// Task 5. A node reads its clocks before and after an operation; NTP may have stepped its
/// time-of-day clock (even backwards) in between. How many seconds did the operation take?
/// `Reading { wall, monotonic }` holds both clocks' readings in seconds.
pub fn elapsed(start: Reading, end: Reading) -> f64 {
    // TODO: which of the two clocks can you trust for a duration?
    todo!()
}

/// Hands your functions to the grader.
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
