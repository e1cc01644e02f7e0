//! Exercise 3 · Queueing latency.
//!
//! Read `notebooks/03-queueing.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-3            # simulate, plot, grade
//!     cargo run --bin exercise-3 -- --hint  # a nudge for the first unfinished task
//!     cargo test                            # the same grader, as tests
//!
//! Rates are per second (λ arrivals, μ services a server can do), times in seconds. The
//! queue is FIFO with one server unless a task says otherwise; "M/M/1" means Poisson
//! arrivals, exponential service times, one server.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::exercises::queueing::{self, Answers};

/// Task 1. Mean response time (time in the queue plus time in service) of an M/M/1 queue
/// with arrival rate `lambda` and service rate `mu`. If `lambda >= mu` the queue never
/// settles: return `f64::INFINITY`.
pub fn mean_response(lambda: f64, mu: f64) -> f64 {
    // TODO: one line, plus the overloaded case
    todo!()
}

/// Task 2. The `p`-quantile (e.g. p = 0.99 for the p99) of the same queue's response time.
/// Here λ < μ and 0 < p < 1.
pub fn response_percentile(lambda: f64, mu: f64, p: f64) -> f64 {
    // TODO: the response time of M/M/1 is exponential; with which rate?
    todo!()
}

/// Task 3. Your service handles `mu` requests a second and promises that the `p`-quantile of
/// its response time stays within `slo` seconds. What is the highest arrival rate it can take?
/// Return 0.0 if even an idle server would miss the promise.
pub fn max_arrival_rate(mu: f64, slo: f64, p: f64) -> f64 {
    // TODO: task 2, solved for lambda
    todo!()
}

/// Task 4. Mean wait in the queue (not counting service) of an M/G/1 queue: Poisson
/// arrivals at `lambda`, service times of mean `mean_service` seconds and squared coefficient
/// of variation `scv` (variance / mean²: 0 for constant service, 1 for exponential).
pub fn pk_mean_wait(lambda: f64, mean_service: f64, scv: f64) -> f64 {
    // TODO: Pollaczek–Khinchine
    todo!()
}

/// Task 5. A switch port holds at most `capacity` packets (the one being sent included);
/// packets that arrive to a full port are dropped. Packets arrive as a Poisson stream at
/// `lambda` per second and take exponential times of rate `mu` to send. What fraction of
/// packets is dropped? (λ may exceed μ: a finite buffer never grows without bound.)
pub fn drop_fraction(lambda: f64, mu: f64, capacity: u32) -> f64 {
    // TODO: M/M/1/K; careful at lambda == mu
    todo!()
}

/// Task 6. The wait in the queue of every customer of a single-server FIFO queue.
/// `gaps[n]` is the time between customer n−1's arrival and customer n's (`gaps[0]` is when
/// customer 0 arrives, to an empty queue); `services[n]` is customer n's service time. Return
/// one wait per customer, in order.
pub fn lindley_waits(gaps: &[f64], services: &[f64]) -> Vec<f64> {
    // TODO: each wait follows from the previous one
    todo!()
}

/// Hands your functions to the grader.
pub fn answers() -> Answers {
    Answers {
        mean_response,
        response_percentile,
        max_arrival_rate,
        pk_mean_wait,
        drop_fraction,
        lindley_waits,
    }
}

fn main() -> std::process::ExitCode {
    queueing::run(answers())
}
