//! What the simulator says is true: the answers the graders compare with, and shared helpers.

use crate::error::Error;
use crate::grade::Verdict;
use crate::ordering::TtInterval;
use crate::sim::{SimRng, stream};

pub(super) fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Each task draws its cases from its own stream.
pub(super) fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 700 + task)
}

pub(super) fn show(i: TtInterval) -> String {
    format!("[{:.6}, {:.6}]", i.earliest, i.latest)
}
