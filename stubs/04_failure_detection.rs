//! Exercise 4 · Timeouts and failure detection.
//!
//! Read `notebooks/04-failure-detection.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-4            # simulate, plot, grade
//!     cargo run --bin exercise-4 -- --hint  # a nudge for the first unfinished task
//!     cargo test                            # the same grader, as tests
//!
//! Times are in seconds. A monitor cannot see a crash; it sees heartbeats arrive, or not, and
//! decides when silence has lasted long enough to suspect the node.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::exercises::failure_detection::{self, Answers};

/// Task 1. `rtts` are measured round-trip times of requests to a service. You will give up on
/// a request after a timeout. What is the shortest timeout for which at most a fraction
/// `max_timeouts` of these requests (those strictly slower than it) would have timed out?
pub fn pick_timeout(rtts: &[f64], max_timeouts: f64) -> f64 {
    // TODO: sort, then count from the top
    todo!()
}

/// Task 2. A node sends a heartbeat every `interval` seconds; each takes between 0 and
/// `max_delay` seconds to arrive, and none is lost. The monitor suspects the node once
/// `timeout` seconds have passed since the last heartbeat *arrived* (timeout > interval +
/// max_delay, so it never suspects a live node). At worst, how many seconds after the node
/// crashes does the monitor suspect it?
pub fn worst_detection_time(interval: f64, timeout: f64, max_delay: f64) -> f64 {
    // TODO: which crash, and which delay, is the worst?
    todo!()
}

/// Task 3. A node that never crashed sent heartbeats; they arrived at `arrivals` (increasing).
/// The monitor watched until `until` and suspected the node whenever `timeout` seconds passed
/// without a heartbeat, until the next one came. Return how many times it wrongly suspected the
/// node, and the total seconds of wrong suspicion. A heartbeat arriving exactly `timeout` after
/// the previous one is on time (no suspicion), and so is `until` exactly `timeout` after the last.
pub fn false_suspicions(arrivals: &[f64], timeout: f64, until: f64) -> (usize, f64) {
    // TODO: look at each gap, and at the end
    todo!()
}

/// Task 4. The phi accrual detector: model the gaps between recent heartbeats, `gaps`, as a
/// normal distribution (their mean, and their sample standard deviation but at least
/// `min_sd`). After `elapsed` seconds without a heartbeat, φ = −log₁₀ P(gap > elapsed).
/// `faultline::detect::normal_sf(z)` gives P(Z > z) for a standard normal Z.
pub fn phi(elapsed: f64, gaps: &[f64], min_sd: f64) -> f64 {
    // TODO: mean, sd, z, then the tail
    todo!()
}

/// Task 5. An adaptive timeout follows the network instead of a number fixed in advance: it
/// suspects the node once the silence after the last heartbeat exceeds the `percentile` of the
/// recent `gaps` between heartbeats, plus `margin` seconds. Use the nearest-rank percentile: the
/// smallest gap with at least a fraction `percentile` of the gaps at or below it. Return the
/// timeout in seconds.
pub fn adaptive_timeout(gaps: &[f64], percentile: f64, margin: f64) -> f64 {
    // TODO: sort, pick by rank, add the margin
    todo!()
}

/// Hands your functions to the grader.
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
