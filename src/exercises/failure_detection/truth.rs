//! What the simulator says is true: the answers the graders compare with, and shared helpers.

use crate::detect::{FixedTimeout, HeartbeatConfig, HeartbeatOutcome, evaluate};
use crate::error::{Error, Result};
use crate::grade::Verdict;
use crate::sim::{Dist, SimRng, stream};
use rand::Rng;

pub(super) fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 400 + task)
}

pub(super) fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// The smallest measured value that at most `allowed` values exceed (ties included).
pub(super) fn smallest_timeout(sorted: &[f64], allowed: usize) -> f64 {
    let n = sorted.len();
    // Values greater than sorted[j] are those after the last copy of it.
    for j in 0..n {
        let greater = n - sorted.partition_point(|&x| x <= sorted[j]);
        if greater <= allowed {
            return sorted[j];
        }
    }
    sorted[n - 1]
}

/// Runs the heartbeat simulator with a crash `after` seconds after the send at `at`, and
/// returns the fixed-timeout detector's detection time.
pub(super) fn detection_time(interval: f64, timeout: f64, delay: Dist, crash: f64, seed: u64) -> Result<f64> {
    let config = HeartbeatConfig {
        interval_s: interval,
        delay_s: delay,
        loss: 0.0,
        pauses: vec![],
        crash_at_s: Some(crash),
        until_s: crash + 10.0 * (timeout + interval) + 10.0,
    };
    let trace = config.simulate(seed)?;
    evaluate(&trace, &mut FixedTimeout { timeout })
        .detection_time
        .ok_or_else(|| Error::invalid("timeout", timeout, "never detected the crash"))
}

/// A trace of a node that never crashes: lossy, variable delays, and sometimes a pause.
pub(super) fn live_trace(rng: &mut SimRng) -> Result<HeartbeatOutcome> {
    let interval: f64 = rng.random_range(0.2..2.0);
    let until = interval * rng.random_range(50.0..400.0);
    let pauses = if rng.random_bool(0.6) {
        vec![(
            until * rng.random_range(0.2..0.7),
            interval * rng.random_range(2.0..8.0),
        )]
    } else {
        vec![]
    };
    HeartbeatConfig {
        interval_s: interval,
        delay_s: Dist::lognormal(interval * 0.1, interval * rng.random_range(0.05..0.5))?,
        loss: rng.random_range(0.0..0.1),
        pauses,
        crash_at_s: None,
        until_s: until,
    }
    .simulate(rng.random())
}
