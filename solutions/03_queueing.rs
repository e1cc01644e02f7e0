//! Exercise 3 · Queueing latency — reference solution.
//!
//! One way to solve `exercises/03_queueing.rs`; compare after you have your own.

use faultline::exercises::queueing::{self, Answers};

/// Task 1: W = 1/(μ − λ), the service time stretched by 1/(1 − ρ).
pub fn mean_response(lambda: f64, mu: f64) -> f64 {
    if lambda >= mu {
        f64::INFINITY
    } else {
        1.0 / (mu - lambda)
    }
}

/// Task 2: the response time is exponential with rate μ − λ, so P(T ≤ t) = 1 − e^{−(μ−λ)t}.
pub fn response_percentile(lambda: f64, mu: f64, p: f64) -> f64 {
    -(1.0 - p).ln() / (mu - lambda)
}

/// Task 3: −ln(1 − p)/(μ − λ) = slo gives λ = μ − (−ln(1 − p))/slo.
pub fn max_arrival_rate(mu: f64, slo: f64, p: f64) -> f64 {
    (mu + (1.0 - p).ln() / slo).max(0.0)
}

/// Task 4: Pollaczek–Khinchine, W_q = λ E[S²] / (2(1 − ρ)).
pub fn pk_mean_wait(lambda: f64, mean_service: f64, scv: f64) -> f64 {
    let rho = lambda * mean_service;
    let second_moment = mean_service * mean_service * (1.0 + scv);
    lambda * second_moment / (2.0 * (1.0 - rho))
}

/// Task 5: P(n in port) ∝ ρⁿ for n = 0..K; an arrival is dropped when n = K (PASTA).
pub fn drop_fraction(lambda: f64, mu: f64, capacity: u32) -> f64 {
    let rho = lambda / mu;
    let k = f64::from(capacity);
    if (rho - 1.0).abs() < 1e-12 {
        return 1.0 / (k + 1.0);
    }
    // Σ_{n=0..K} ρⁿ = (1 − ρ^{K+1})/(1 − ρ); written via 1/ρ when ρ > 1 so ρ^K cannot overflow.
    if rho < 1.0 {
        (1.0 - rho) * rho.powf(k) / (1.0 - rho.powf(k + 1.0))
    } else {
        let r = 1.0 / rho;
        (1.0 - r) / (1.0 - r.powf(k + 1.0))
    }
}

/// Task 6: Lindley's recursion, W_n = max(0, W_{n−1} + S_{n−1} − A_n).
pub fn lindley_waits(gaps: &[f64], services: &[f64]) -> Vec<f64> {
    let mut waits = Vec::with_capacity(services.len());
    let mut w = 0.0_f64;
    for n in 0..services.len() {
        if n > 0 {
            w = (w + services[n - 1] - gaps[n]).max(0.0);
        }
        waits.push(w);
    }
    waits
}

/// Hands the functions to the grader.
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
