//! The fast path for one FIFO server: Lindley's recursion.
//!
//! The wait of customer n+1 is the wait of customer n, plus n's service, minus the gap
//! between their arrivals, or zero if that is negative (the server went idle in between):
//!
//! W_{n+1} = max(0, W_n + S_n − A_{n+1})
//!
//! No event list, no queue: two random draws and a `max` per customer. It draws its numbers
//! from the same streams, in the same order, as the event-driven [`Network`](super::Network)
//! does for a single station with one server and no buffer limit, so the two give the same
//! waits for the same seed (a test checks it).

use super::{arrival_rng, service_rng, validate_dists};
use crate::error::{Result, check};
use crate::sim::Dist;

/// Waits in the queue of `customers` customers of a single-server FIFO queue, from the
/// recursion on given gaps and service times: `interarrivals[n]` is the gap before customer n
/// arrives (the first is ignored: customer 0 finds the system empty) and `services[n]` is n's
/// service time. The slices must have the same length.
///
/// ```
/// use faultline::queueing::lindley_waits_from;
/// // Customer 1 arrives 1 s after customer 0, whose service takes 3 s: it waits 2 s.
/// assert_eq!(lindley_waits_from(&[0.0, 1.0, 5.0], &[3.0, 1.0, 1.0]), [0.0, 2.0, 0.0]);
/// ```
pub fn lindley_waits_from(interarrivals: &[f64], services: &[f64]) -> Vec<f64> {
    assert_eq!(
        interarrivals.len(),
        services.len(),
        "one gap and one service time per customer"
    );
    let mut waits = Vec::with_capacity(services.len());
    let mut w = 0.0_f64;
    for n in 0..services.len() {
        if n > 0 {
            w = (w + services[n - 1] - interarrivals[n]).max(0.0);
        }
        waits.push(w);
    }
    waits
}

fn validate(interarrival: &Dist, service: &Dist, customers: u64) -> Result<()> {
    check::at_least_one("customers", customers)?;
    validate_dists(interarrival, &[*service])?;
    // An unbounded queue needs ρ < 1 for its waits to mean anything in the long run.
    let rho = service.mean() / interarrival.mean();
    if rho >= 1.0 || rho.is_nan() {
        return Err(crate::Error::Unstable {
            what: "single-server queue",
            utilisation: rho,
        });
    }
    Ok(())
}

/// The waits of `customers` customers of a G/G/1 queue (interarrival and service times drawn
/// from the given distributions, seeded), in arrival order.
pub fn lindley_waits(interarrival: &Dist, service: &Dist, customers: u64, seed: u64) -> Result<Vec<f64>> {
    validate(interarrival, service, customers)?;
    let mut waits = Vec::with_capacity(customers as usize);
    lindley_fold(interarrival, service, customers, seed, |w| waits.push(w));
    Ok(waits)
}

/// The mean wait of `customers` customers of a G/G/1 queue without storing them: the hot
/// loop the benchmark times.
pub fn lindley_mean_wait(interarrival: &Dist, service: &Dist, customers: u64, seed: u64) -> Result<f64> {
    validate(interarrival, service, customers)?;
    let mut sum = 0.0;
    lindley_fold(interarrival, service, customers, seed, |w| sum += w);
    Ok(sum / customers as f64)
}

#[inline]
fn lindley_fold(interarrival: &Dist, service: &Dist, customers: u64, seed: u64, mut each: impl FnMut(f64)) {
    let mut arrivals = arrival_rng(seed);
    let mut services = service_rng(seed, 0);
    // The first gap places customer 0; the event engine draws it too.
    let _first = interarrival.sample(&mut arrivals);
    let mut w = 0.0_f64;
    each(w);
    for _ in 1..customers {
        let s = service.sample(&mut services);
        let a = interarrival.sample(&mut arrivals);
        w = (w + s - a).max(0.0);
        each(w);
    }
}
