//! What the simulator says is true: the answers the graders compare with, and shared helpers.

use crate::error::{Error, Result};
use crate::grade::Verdict;
use crate::queueing::{Network, RunOptions, Station};
use crate::sim::{Dist, SimRng, stream};

pub(super) fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 300 + task)
}

pub(super) fn theory_failed(e: Error) -> Verdict {
    Verdict::fail("(theory)", "a value", format!("an error: {e}"))
}

/// Gaps, service times and the event-driven engine's waits for one single-server queue.
pub(super) fn engine_case(ia: Dist, sv: Dist, n: u64, seed: u64) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let net = Network::new(ia, vec![Station::single(sv)])?;
    let out = net.run(n, seed, &RunOptions::default())?;
    // The engine draws gaps from stream 0 and service times, in customer order, from stream 1.
    let mut a = crate::queueing::arrival_rng(seed);
    let mut s = crate::queueing::service_rng(seed, 0);
    let gaps = (0..n).map(|_| ia.sample(&mut a)).collect();
    let services = (0..n).map(|_| sv.sample(&mut s)).collect();
    Ok((gaps, services, out.stations[0].waits.clone()))
}
