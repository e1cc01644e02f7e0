//! The graders, one per task: each runs the learner's function on the notebook's fixed cases
//! and cases drawn from the seed, against the simulator.

use super::truth::{cases_rng, engine_case, theory_failed};
use crate::error::Result;
use crate::grade::{Checker, Tol, Verdict, fmt_num};
use crate::queueing::theory::{Mm1, mg1_mean_wait_moments, mm1k_blocking};
use crate::sim::Dist;
use rand::Rng;

/// Grades task 1 on fixed cases and ten drawn from `seed`, against [`Mm1::mean_response`].
pub fn grade_mean_response(c: &mut Checker, f: fn(f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 1);
    let mut cases = vec![(0.5, 1.0), (90.0, 100.0), (1.0, 1.0), (120.0, 100.0)];
    cases.extend((0..10).map(|_| {
        let mu: f64 = rng.random_range(1.0..1000.0);
        (mu * rng.random_range(0.01..0.99), mu)
    }));
    for (lambda, mu) in cases {
        let input = format!("λ = {}/s, μ = {}/s", fmt_num(lambda), fmt_num(mu));
        let got = c.call(&input, || f(lambda, mu))?;
        let truth = if lambda >= mu {
            f64::INFINITY
        } else {
            Mm1::new(lambda, mu).map_err(theory_failed)?.mean_response()
        };
        c.close(&input, got, truth, Tol::rel(1e-9))?;
    }
    Ok(())
}

/// Grades task 2 against [`Mm1::response_quantile`].
pub fn grade_response_percentile(c: &mut Checker, f: fn(f64, f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 2);
    let mut cases = vec![(0.5, 1.0, 0.5), (0.9, 1.0, 0.99), (800.0, 1000.0, 0.999)];
    cases.extend((0..10).map(|_| {
        let mu: f64 = rng.random_range(1.0..1000.0);
        let p = [0.5, 0.9, 0.95, 0.99, 0.999][rng.random_range(0..5)];
        (mu * rng.random_range(0.05..0.98), mu, p)
    }));
    for (lambda, mu, p) in cases {
        let input = format!("λ = {}/s, μ = {}/s, p = {}", fmt_num(lambda), fmt_num(mu), fmt_num(p));
        let got = c.call(&input, || f(lambda, mu, p))?;
        let q = Mm1::new(lambda, mu).map_err(theory_failed)?;
        let truth = q.response_quantile(p).map_err(theory_failed)?;
        c.close(&input, got, truth, Tol::rel(1e-9)).map_err(|v| {
            if (got - q.mean_response()).abs() <= 1e-9 * truth {
                v.because("that is the mean response time; the tail is far above it")
            } else {
                v
            }
        })?;
    }
    Ok(())
}

/// Grades task 3: at the learner's rate, the queue's p-quantile must equal the SLO (not exceed
/// it: the SLO is missed; not fall short: capacity is wasted).
pub fn grade_max_arrival_rate(c: &mut Checker, f: fn(f64, f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 3);
    let mut cases = vec![(1000.0, 0.05, 0.99), (100.0, 0.01, 0.5), (100.0, 0.01, 0.999)];
    cases.extend((0..10).map(|_| {
        let mu: f64 = rng.random_range(10.0..1000.0);
        let p = [0.5, 0.9, 0.99, 0.999][rng.random_range(0..4)];
        // SLOs from 1.2 to 40 times the idle server's quantile, so the answer is positive.
        let idle = -(1.0_f64 - p).ln() / mu;
        (mu, idle * rng.random_range(1.2..40.0), p)
    }));
    for (mu, slo, p) in cases {
        let input = format!(
            "μ = {}/s, SLO: p{} ≤ {} s",
            fmt_num(mu),
            fmt_num(p * 100.0),
            fmt_num(slo)
        );
        let got = c.call(&input, || f(mu, slo, p))?;
        let best = mu + (1.0 - p).ln() / slo;
        let shown = format!("{}/s", fmt_num(best));
        if best <= 0.0 {
            c.close(&input, got, 0.0, Tol::abs(1e-9))?;
            continue;
        }
        if !(got > 0.0 && got < mu) {
            c.close(&input, got, best, Tol::rel(1e-6))?;
            continue;
        }
        let q = Mm1::new(got, mu).map_err(theory_failed)?;
        let achieved = q.response_quantile(p).map_err(theory_failed)?;
        if achieved > slo * (1.0 + 1e-6) {
            return Err(
                Verdict::fail(&input, shown, format!("{}/s", fmt_num(got))).because(format!(
                    "at that rate the p{} response time is {} s, over the SLO",
                    fmt_num(p * 100.0),
                    fmt_num(achieved)
                )),
            );
        }
        if achieved < slo * (1.0 - 1e-6) {
            return Err(
                Verdict::fail(&input, shown, format!("{}/s", fmt_num(got))).because(format!(
                    "at that rate the p{} response time is only {} s: more load fits under the SLO",
                    fmt_num(p * 100.0),
                    fmt_num(achieved)
                )),
            );
        }
        c.pass();
    }
    Ok(())
}

/// Grades task 4 against [`mg1_mean_wait_moments`].
pub fn grade_pk_mean_wait(c: &mut Checker, f: fn(f64, f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 4);
    let mut cases = vec![(0.5, 1.0, 1.0), (0.5, 1.0, 0.0), (80.0, 0.01, 4.0)];
    cases.extend((0..10).map(|_| {
        let s: f64 = rng.random_range(0.001..1.0);
        (rng.random_range(0.05..0.95) / s, s, rng.random_range(0.0..10.0))
    }));
    for (lambda, s, scv) in cases {
        let input = format!(
            "λ = {}/s, E[S] = {} s, scv = {}",
            fmt_num(lambda),
            fmt_num(s),
            fmt_num(scv)
        );
        let got = c.call(&input, || f(lambda, s, scv))?;
        let truth = mg1_mean_wait_moments(lambda, s, scv * s * s).map_err(theory_failed)?;
        c.close(&input, got, truth, Tol::rel(1e-9))?;
    }
    Ok(())
}

/// Grades task 5 against [`mm1k_blocking`].
pub fn grade_drop_fraction(c: &mut Checker, f: fn(f64, f64, u32) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 5);
    let mut cases = vec![(0.9, 1.0, 8), (1.0, 1.0, 4), (2.0, 1.0, 10), (0.5, 1.0, 1)];
    cases.extend((0..10).map(|_| {
        let mu: f64 = rng.random_range(100.0..10_000.0);
        (mu * rng.random_range(0.3..1.5), mu, rng.random_range(1..64u32))
    }));
    for (lambda, mu, k) in cases {
        let input = format!("λ = {}/s, μ = {}/s, capacity = {k}", fmt_num(lambda), fmt_num(mu));
        let got = c.call(&input, || f(lambda, mu, k))?;
        let truth = mm1k_blocking(lambda, mu, k).map_err(theory_failed)?;
        c.close(&input, got, truth, Tol::new(1e-12, 1e-6))?;
    }
    Ok(())
}

/// Grades task 6 against the event-driven simulator's waits, customer by customer, for
/// queues with exponential, constant, lognormal and Pareto service.
pub fn grade_lindley_waits(c: &mut Checker, f: fn(&[f64], &[f64]) -> Vec<f64>, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 6);
    let mut hand = vec![(
        vec![0.0, 1.0, 1.0, 10.0, 0.5],
        vec![2.0, 2.0, 0.5, 1.0, 1.0],
        vec![0.0, 1.0, 2.0, 0.0, 0.5],
    )];
    let services = [
        Dist::exponential(1.0),
        Dist::constant(1.0),
        Dist::lognormal(1.0, 2.0),
        Dist::pareto(0.5, 2.2),
        Dist::uniform(0.2, 1.8),
    ];
    for sv in services {
        let sv = sv.map_err(theory_failed)?;
        let rho = rng.random_range(0.3..0.95);
        let ia = Dist::exponential(sv.mean() / rho).map_err(theory_failed)?;
        let n = rng.random_range(200..2000);
        hand.push(engine_case(ia, sv, n, rng.random()).map_err(theory_failed)?);
    }
    for (gaps, services, truth) in hand {
        let input = format!(
            "{} customers, gaps starting {:?}, services starting {:?}",
            gaps.len(),
            &gaps[..3.min(gaps.len())],
            &services[..3.min(services.len())]
        );
        let got = c.call(&input, || f(&gaps, &services))?;
        if got.len() != truth.len() {
            return Err(Verdict::fail(
                &input,
                format!("{} waits", truth.len()),
                format!("{} waits", got.len()),
            ));
        }
        let scale = truth.iter().fold(1.0_f64, |m, w| m.max(*w));
        for (n, (g, t)) in got.iter().zip(&truth).enumerate() {
            if !Tol::abs(1e-9 * scale).accepts(*t, *g) {
                return Err(
                    Verdict::fail(format!("{input}: customer {n}"), fmt_num(*t), fmt_num(*g))
                        .because("the simulator's queue made that customer wait a different time"),
                );
            }
        }
        c.pass();
    }
    Ok(())
}
