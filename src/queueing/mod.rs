//! Queueing: where network and service latency comes from, and why it explodes near full
//! utilisation.
//!
//! * [`theory`]: every closed form in one place (M/M/1, M/D/1, M/G/1, M/M/c, M/M/1/K, Little).
//! * [`Network`]: the general event-driven simulator: a chain of FIFO stations, each with
//!   c servers, any service distribution and an optional finite buffer that drops.
//! * [`lindley_waits`] / [`lindley_mean_wait`]: the fast path for one FIFO server, tens of
//!   millions of customers a second; it draws the same random numbers as [`Network`] and so
//!   gives the same waits.
//! * [`sweep`]: replicated runs in parallel, one seed per replication.
//!
//! Random streams: the gaps between external arrivals come from `stream(seed, 0)`, station
//! i's service times from `stream(seed, 1 + i)`; each is drawn when a service starts.

mod engine;
mod lindley;
pub mod theory;

pub use engine::{Network, Outcome, RunOptions, Station, StationStats};
pub use lindley::{lindley_mean_wait, lindley_waits, lindley_waits_from};

use crate::error::{Error, Result, check};
use crate::sim::{Dist, SimRng, quantile, replicate, stream};

pub(crate) fn arrival_rng(seed: u64) -> SimRng {
    stream(seed, 0)
}

pub(crate) fn service_rng(seed: u64, station: u64) -> SimRng {
    stream(seed, 1 + station)
}

pub(crate) fn validate_dists(interarrival: &Dist, services: &[Dist]) -> Result<()> {
    if !interarrival.is_non_negative() {
        return Err(Error::invalid(
            "interarrival",
            format!("{interarrival:?}"),
            "can be negative",
        ));
    }
    check::positive("mean interarrival time", interarrival.mean())?;
    for s in services {
        if !s.is_non_negative() {
            return Err(Error::invalid("service", format!("{s:?}"), "can be negative"));
        }
        check::non_negative("mean service time", s.mean())?;
    }
    Ok(())
}

/// Summary of one M/M/1-style run at one utilisation: mean and tail of the response time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Latency {
    /// Utilisation ρ.
    pub rho: f64,
    /// Mean response time.
    pub mean: f64,
    /// Median.
    pub p50: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
}

/// Response-time percentiles of a single-server queue with exponential arrivals at
/// utilisation `rho` and the given service distribution, from `customers` customers after
/// discarding the first `warmup` (the queue starts empty).
pub fn latency_at(rho: f64, service: &Dist, customers: u64, warmup: u64, seed: u64) -> Result<Latency> {
    check::positive("ρ", rho)?;
    let interarrival = Dist::exponential(service.mean() / rho)?;
    let waits = lindley_waits(&interarrival, service, customers + warmup, seed)?;
    // Customer n's response is its wait plus its own service time S_n. The recursion drew
    // S_0, S_1, … from this same stream, so a fresh copy of it gives each customer's S_n again.
    let mut svc = service_rng(seed, 0);
    let mut r: Vec<f64> = waits.iter().map(|w| w + service.sample(&mut svc)).collect();
    r.drain(..warmup as usize);
    let mean = r.iter().sum::<f64>() / r.len() as f64;
    let p50 = quantile(&mut r, 0.5);
    Ok(Latency {
        rho,
        mean,
        p50,
        p99: crate::sim::quantile_sorted(&r, 0.99),
        p999: crate::sim::quantile_sorted(&r, 0.999),
    })
}

/// Runs `replications` of `experiment` in parallel with a seed each (see
/// [`crate::sim::replicate`]): the same result on any number of threads.
pub fn sweep<T: Send>(replications: usize, seed: u64, experiment: impl Fn(u64) -> T + Sync) -> Vec<T> {
    replicate(replications, seed, experiment)
}
