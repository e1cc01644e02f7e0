//! Chapter 3 · Queueing latency.
//!
//! The learner writes six functions (see `exercises/03_queueing.rs`). The closed-form tasks
//! are graded against [`crate::queueing::theory`], which the simulators are tested against;
//! the recursion task is graded against the event-driven simulator's own waits, customer by
//! customer.
//!
//! | task | question |
//! |---|---|
//! | `mean_response` | mean response time of an M/M/1 queue (infinite when overloaded) |
//! | `response_percentile` | its p-th percentile (the response time is exponential) |
//! | `max_arrival_rate` | the highest load that keeps the p-th percentile within an SLO |
//! | `pk_mean_wait` | mean wait of M/G/1 from the service time's mean and variability |
//! | `drop_fraction` | fraction of packets a K-place switch buffer drops (M/M/1/K) |
//! | `lindley_waits` | every customer's wait, from gaps and service times |

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rand::Rng;

use super::{Chapter, DEFAULT_SEED, WrongAnswer, finite_f64};
use crate::error::{Error, Result};
use crate::grade::{Report, Tol, Verdict, attempt, fmt_num};
use crate::plot::Figure;
use crate::queueing::theory::{Mm1, mg1_mean_wait_moments, mm1k_blocking};
use crate::queueing::{Network, RunOptions, Station, latency_at};
use crate::sim::{Dist, SimRng, replication_seed, stream};
use rayon::prelude::*;

/// The learner's functions for chapter 3.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: mean response time (wait + service) of M/M/1 with arrival rate `lambda` and
    /// service rate `mu`; `f64::INFINITY` when λ ≥ μ.
    pub mean_response: fn(lambda: f64, mu: f64) -> f64,
    /// Task 2: the `p`-quantile (0 < p < 1) of M/M/1's response time.
    pub response_percentile: fn(lambda: f64, mu: f64, p: f64) -> f64,
    /// Task 3: the largest arrival rate whose `p`-quantile response time is at most `slo`
    /// seconds, for service rate `mu` (0 if even an idle server misses the SLO).
    pub max_arrival_rate: fn(mu: f64, slo: f64, p: f64) -> f64,
    /// Task 4: M/G/1 mean wait in the queue for arrival rate `lambda`, mean service time
    /// `mean_service` and squared coefficient of variation of service `scv` (variance/mean²).
    pub pk_mean_wait: fn(lambda: f64, mean_service: f64, scv: f64) -> f64,
    /// Task 5: the fraction of packets dropped by a port that holds at most `capacity` packets
    /// (the one being sent included), Poisson arrivals at `lambda`, exponential sending times
    /// at rate `mu`.
    pub drop_fraction: fn(lambda: f64, mu: f64, capacity: u32) -> f64,
    /// Task 6: each customer's wait in a single-server FIFO queue; `gaps[n]` is the time
    /// between customer n−1's arrival and customer n's (`gaps[0]`: when customer 0 arrives),
    /// `services[n]` customer n's service time.
    pub lindley_waits: fn(gaps: &[f64], services: &[f64]) -> Vec<f64>,
}

/// Chapter 3 for the shared runner and self-check.
pub struct Queueing;

/// Flags of `exercise-3` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct QueueArgs {
    /// Customers simulated per point of the latency plot (1000 to 5000000).
    #[arg(long, default_value_t = 200_000, value_parser = customers)]
    pub customers: u64,
    /// Utilisation for the buffer-overflow plot (0 < ρ ≤ 3; a finite buffer may be overloaded).
    #[arg(long, default_value_t = 0.9, value_parser = load, allow_negative_numbers = true)]
    pub rho: f64,
}

fn customers(s: &str) -> std::result::Result<u64, String> {
    let v: u64 = s.trim().parse().map_err(|_| format!("`{s}` is not a whole number"))?;
    if (1000..=5_000_000).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} customers is outside 1000 to 5000000"))
    }
}
fn load(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 3.0 {
        Ok(v)
    } else {
        Err(format!("ρ = {s} is outside 0 < ρ ≤ 3"))
    }
}

fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 300 + task)
}

fn theory_failed(e: Error) -> Verdict {
    Verdict::fail("(theory)", "a value", format!("an error: {e}"))
}

const HINT_MEAN: &str = "Little's law and the M/M/1 queue: W = 1/(μ − λ). It is the service time 1/μ \
    stretched by 1/(1 − ρ). When λ ≥ μ the queue grows forever: return f64::INFINITY.";
const HINT_PERCENTILE: &str = "M/M/1's response time is exponential with rate μ − λ, so \
    P(T > t) = e^{−(μ−λ)t}. Solve 1 − e^{−(μ−λ)t} = p for t.";
const HINT_MAX_RATE: &str = "Turn task 2 around: the p-quantile is −ln(1 − p)/(μ − λ); set it equal to the \
    SLO and solve for λ. If the answer is ≤ 0, not even an idle server meets the SLO: return 0.";
const HINT_PK: &str = "Pollaczek–Khinchine: W_q = λ·E[S²] / (2(1 − ρ)), with ρ = λ·E[S] and \
    E[S²] = Var S + E[S]² = E[S]²·(1 + scv).";
const HINT_DROP: &str = "M/M/1/K: the number in the port is geometric, truncated at K: P(n) ∝ ρⁿ for \
    n = 0..K. Arrivals see time averages (PASTA), so the drop fraction is P(K) = (1−ρ)ρ^K/(1−ρ^{K+1}); \
    at ρ = 1 every n is equally likely.";
const HINT_LINDLEY: &str = "W₀ = 0; W_{n} = max(0, W_{n−1} + S_{n−1} − A_n), where A_n = gaps[n] is the gap \
    before customer n. A negative value means the server went idle before n arrived.";

/// Grades task 1 on fixed cases and ten drawn from `seed`, against [`Mm1::mean_response`].
pub fn grade_mean_response(report: &mut Report, f: fn(f64, f64) -> f64, seed: u64) {
    report.task("mean_response", HINT_MEAN, |c| {
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
    });
}

/// Grades task 2 against [`Mm1::response_quantile`].
pub fn grade_response_percentile(report: &mut Report, f: fn(f64, f64, f64) -> f64, seed: u64) {
    report.task("response_percentile", HINT_PERCENTILE, |c| {
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
    });
}

/// Grades task 3: at the learner's rate, the queue's p-quantile must equal the SLO (not exceed
/// it: the SLO is missed; not fall short: capacity is wasted).
pub fn grade_max_arrival_rate(report: &mut Report, f: fn(f64, f64, f64) -> f64, seed: u64) {
    report.task("max_arrival_rate", HINT_MAX_RATE, |c| {
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
    });
}

/// Grades task 4 against [`mg1_mean_wait_moments`].
pub fn grade_pk_mean_wait(report: &mut Report, f: fn(f64, f64, f64) -> f64, seed: u64) {
    report.task("pk_mean_wait", HINT_PK, |c| {
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
    });
}

/// Grades task 5 against [`mm1k_blocking`].
pub fn grade_drop_fraction(report: &mut Report, f: fn(f64, f64, u32) -> f64, seed: u64) {
    report.task("drop_fraction", HINT_DROP, |c| {
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
    });
}

/// Gaps, service times and the event-driven engine's waits for one single-server queue.
fn engine_case(ia: Dist, sv: Dist, n: u64, seed: u64) -> Result<(Vec<f64>, Vec<f64>, Vec<f64>)> {
    let net = Network::new(ia, vec![Station::single(sv)])?;
    let out = net.run(n, seed, &RunOptions::default())?;
    // The engine draws gaps from stream 0 and service times, in customer order, from stream 1.
    let mut a = crate::queueing::arrival_rng(seed);
    let mut s = crate::queueing::service_rng(seed, 0);
    let gaps = (0..n).map(|_| ia.sample(&mut a)).collect();
    let services = (0..n).map(|_| sv.sample(&mut s)).collect();
    Ok((gaps, services, out.stations[0].waits.clone()))
}

/// Grades task 6 against the event-driven simulator's waits, customer by customer, for
/// queues with exponential, constant, lognormal and Pareto service.
pub fn grade_lindley_waits(report: &mut Report, f: fn(&[f64], &[f64]) -> Vec<f64>, seed: u64) {
    report.task("lindley_waits", HINT_LINDLEY, |c| {
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
    });
}

impl Chapter for Queueing {
    const NUMBER: u8 = 3;
    const TITLE: &'static str = "Queueing latency";
    const FILE: &'static str = "exercises/03_queueing.rs";
    const NOTEBOOK: &'static str = "notebooks/03-queueing.ipynb";
    type Answers = Answers;
    type Args = QueueArgs;

    fn grade(a: &Answers, seed: u64) -> Report {
        let mut report = Report::new(Self::NUMBER, Self::TITLE, seed);
        grade_mean_response(&mut report, a.mean_response, seed);
        grade_response_percentile(&mut report, a.response_percentile, seed);
        grade_max_arrival_rate(&mut report, a.max_arrival_rate, seed);
        grade_pk_mean_wait(&mut report, a.pk_mean_wait, seed);
        grade_drop_fraction(&mut report, a.drop_fraction, seed);
        grade_lindley_waits(&mut report, a.lindley_waits, seed);
        report
    }

    fn simulate(a: &Answers, args: &QueueArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        files.extend(latency_figure(a.response_percentile, args.customers, seed)?.save(out, "latency-vs-utilisation")?);
        files.extend(buffer_figure(a.drop_fraction, args.rho, args.customers, seed)?.save(out, "buffer-drops")?);
        Ok(files)
    }

    fn wrong_answers() -> Vec<WrongAnswer<Answers>> {
        vec![
            WrongAnswer {
                task: "mean_response",
                mistake: "just the service time 1/μ (no queueing)",
                apply: |a| a.mean_response = |_, mu| 1.0 / mu,
            },
            WrongAnswer {
                task: "mean_response",
                mistake: "the wait only, ρ/(μ − λ)",
                apply: |a| a.mean_response = |l, mu| if l >= mu { f64::INFINITY } else { l / mu / (mu - l) },
            },
            WrongAnswer {
                task: "mean_response",
                mistake: "negative instead of infinite when overloaded",
                apply: |a| a.mean_response = |l, mu| 1.0 / (mu - l),
            },
            WrongAnswer {
                task: "response_percentile",
                mistake: "the mean instead of the quantile",
                apply: |a| a.response_percentile = |l, mu, _| 1.0 / (mu - l),
            },
            WrongAnswer {
                task: "response_percentile",
                mistake: "−ln(p) instead of −ln(1 − p)",
                apply: |a| a.response_percentile = |l, mu, p| -p.ln() / (mu - l),
            },
            WrongAnswer {
                task: "response_percentile",
                mistake: "the service time's quantile (rate μ, no queueing)",
                apply: |a| a.response_percentile = |_, mu, p| -(1.0 - p).ln() / mu,
            },
            WrongAnswer {
                task: "max_arrival_rate",
                mistake: "sized for the mean, not the percentile",
                apply: |a| a.max_arrival_rate = |mu, slo, _| (mu - 1.0 / slo).max(0.0),
            },
            WrongAnswer {
                task: "max_arrival_rate",
                mistake: "over-cautious: a 20% safety margin",
                apply: |a| a.max_arrival_rate = |mu, slo, p| (0.8 * (mu + (1.0 - p).ln() / slo)).max(0.0),
            },
            WrongAnswer {
                task: "max_arrival_rate",
                mistake: "ln(p) instead of ln(1 − p)",
                apply: |a| a.max_arrival_rate = |mu, slo, p| (mu + p.ln() / slo).max(0.0),
            },
            WrongAnswer {
                task: "pk_mean_wait",
                mistake: "ignores service variability (M/M/1 for everything)",
                apply: |a| a.pk_mean_wait = |l, s, _| l * s * s / (1.0 - l * s),
            },
            WrongAnswer {
                task: "pk_mean_wait",
                mistake: "E[S²] taken as Var S (forgot E[S]²)",
                apply: |a| a.pk_mean_wait = |l, s, scv| l * scv * s * s / (2.0 * (1.0 - l * s)),
            },
            WrongAnswer {
                task: "pk_mean_wait",
                mistake: "the response time instead of the wait",
                apply: |a| a.pk_mean_wait = |l, s, scv| s + l * (1.0 + scv) * s * s / (2.0 * (1.0 - l * s)),
            },
            WrongAnswer {
                task: "drop_fraction",
                mistake: "ρ^K, not normalised",
                apply: |a| a.drop_fraction = |l, mu, k| (l / mu).powi(k as i32).min(1.0),
            },
            WrongAnswer {
                task: "drop_fraction",
                mistake: "off by one: K waiting places plus the one in service",
                apply: |a| {
                    a.drop_fraction = |l, mu, k| {
                        let r = l / mu;
                        let k = f64::from(k + 1);
                        if (r - 1.0).abs() < 1e-12 {
                            1.0 / (k + 1.0)
                        } else {
                            (1.0 - r) * r.powf(k) / (1.0 - r.powf(k + 1.0))
                        }
                    }
                },
            },
            WrongAnswer {
                task: "drop_fraction",
                mistake: "the overload share only, max(0, 1 − μ/λ)",
                apply: |a| a.drop_fraction = |l, mu, _| (1.0 - mu / l).max(0.0),
            },
            WrongAnswer {
                task: "lindley_waits",
                mistake: "forgot the max(0, ·): negative waits",
                apply: |a| {
                    a.lindley_waits = |g, s| {
                        let mut w = 0.0;
                        (0..s.len())
                            .map(|n| {
                                if n > 0 {
                                    w = w + s[n - 1] - g[n];
                                }
                                w
                            })
                            .collect()
                    }
                },
            },
            WrongAnswer {
                task: "lindley_waits",
                mistake: "used customer n's own service time instead of n−1's",
                apply: |a| {
                    a.lindley_waits = |g, s| {
                        let mut w: f64 = 0.0;
                        (0..s.len())
                            .map(|n| {
                                if n > 0 {
                                    w = (w + s[n] - g[n]).max(0.0);
                                }
                                w
                            })
                            .collect()
                    }
                },
            },
            WrongAnswer {
                task: "lindley_waits",
                mistake: "response times (wait + service) instead of waits",
                apply: |a| {
                    a.lindley_waits = |g, s| {
                        let mut w: f64 = 0.0;
                        (0..s.len())
                            .map(|n| {
                                if n > 0 {
                                    w = (w + s[n - 1] - g[n]).max(0.0);
                                }
                                w + s[n]
                            })
                            .collect()
                    }
                },
            },
        ]
    }
}

/// Response-time percentiles against utilisation, simulated (Lindley, in parallel: one seed
/// per point) and from theory, with the learner's `response_percentile` beside them. Times are
/// in mean service times.
pub fn latency_figure(response_percentile: fn(f64, f64, f64) -> f64, customers: u64, seed: u64) -> Result<Figure> {
    let rhos: Vec<f64> = (1..=19).map(|k| f64::from(k) * 0.05).chain([0.97]).collect();
    let service = Dist::exponential(1.0)?;
    // One point per utilisation, in parallel, each with its own seed.
    let results: Vec<Result<_>> = rhos
        .par_iter()
        .enumerate()
        .map(|(i, &rho)| {
            latency_at(
                rho,
                &service,
                customers,
                customers / 20,
                replication_seed(seed, i as u64),
            )
        })
        .collect();
    let mut fig = Figure::new("M/M/1: response time against utilisation")
        .x_label("utilisation ρ")
        .y_label("response time (mean service times)");
    let mut series: [Vec<(f64, f64)>; 3] = Default::default();
    for r in results {
        let l = r?;
        series[0].push((l.rho, l.p50));
        series[1].push((l.rho, l.p99));
        series[2].push((l.rho, l.p999));
    }
    let names = ["p50", "p99", "p99.9"];
    let ps: [f64; 3] = [0.5, 0.99, 0.999];
    for i in 0..3 {
        fig = fig.points(format!("simulated {}", names[i]), series[i].clone());
        let theory: Vec<(f64, f64)> = (1..=97)
            .map(|k| f64::from(k) / 100.0)
            .map(|rho| (rho, -(1.0 - ps[i]).ln() / (1.0 - rho)))
            .collect();
        fig = fig.dashed(format!("theory {}", names[i]), theory);
    }
    let yours: Option<Vec<(f64, f64)>> = rhos
        .iter()
        .map(|&rho| attempt(|| response_percentile(rho, 1.0, 0.99)).ok().map(|v| (rho, v)))
        .collect();
    if let Some(y) = yours {
        fig = fig.points("your response_percentile(ρ, 1, 0.99)", y);
    }
    Ok(fig.y_range(0.0, 150.0))
}

/// Drop fraction of a port against its buffer size at utilisation `rho`: the event-driven
/// simulator, theory, and the learner's `drop_fraction`.
pub fn buffer_figure(drop_fraction: fn(f64, f64, u32) -> f64, rho: f64, customers: u64, seed: u64) -> Result<Figure> {
    let sizes: Vec<u32> = (1..=30).collect();
    let sims: Vec<Result<f64>> = sizes
        .par_iter()
        .map(|&k| {
            let s = replication_seed(seed, u64::from(k));
            let port = Station {
                servers: 1,
                capacity: Some(k),
                service: Dist::exponential(1.0)?,
            };
            let net = Network::new(Dist::exponential(1.0 / rho)?, vec![port])?;
            let out = net.run(
                customers,
                s,
                &RunOptions {
                    record: false,
                    limits: None,
                },
            )?;
            Ok(out.stations[0].drop_fraction())
        })
        .collect();
    let mut simulated = Vec::new();
    for (k, r) in sizes.iter().zip(sims) {
        simulated.push((f64::from(*k), r?));
    }
    let theory: Vec<(f64, f64)> = sizes
        .iter()
        .map(|&k| mm1k_blocking(rho, 1.0, k).map(|p| (f64::from(k), p)))
        .collect::<Result<_>>()?;
    let mut fig = Figure::new(format!(
        "A switch port at ρ = {}: packets dropped against buffer size",
        fmt_num(rho)
    ))
    .x_label("buffer (packets, including the one being sent)")
    .y_label("fraction of packets dropped")
    .points("simulated", simulated)
    .line("theory (M/M/1/K)", theory);
    let yours: Option<Vec<(f64, f64)>> = sizes
        .iter()
        .map(|&k| attempt(|| drop_fraction(rho, 1.0, k)).ok().map(|v| (f64::from(k), v)))
        .collect();
    if let Some(y) = yours {
        fig = fig.points("your drop_fraction", y);
    }
    Ok(fig)
}

/// Grades answers with the default seed (what `cargo test` does).
pub fn grade(answers: &Answers) -> Report {
    Queueing::grade(answers, DEFAULT_SEED)
}

/// `main` for `exercise-3` and `solution-3`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<Queueing>(answers)
}

fn one_task(grader: impl FnOnce(&mut Report)) -> Report {
    let mut report = Report::new(Queueing::NUMBER, Queueing::TITLE, DEFAULT_SEED);
    grader(&mut report);
    report
}

/// Notebook check for task 1.
pub fn check_mean_response(f: fn(f64, f64) -> f64) -> Report {
    one_task(|r| grade_mean_response(r, f, DEFAULT_SEED))
}
/// Notebook check for task 2.
pub fn check_response_percentile(f: fn(f64, f64, f64) -> f64) -> Report {
    one_task(|r| grade_response_percentile(r, f, DEFAULT_SEED))
}
/// Notebook check for task 3.
pub fn check_max_arrival_rate(f: fn(f64, f64, f64) -> f64) -> Report {
    one_task(|r| grade_max_arrival_rate(r, f, DEFAULT_SEED))
}
/// Notebook check for task 4.
pub fn check_pk_mean_wait(f: fn(f64, f64, f64) -> f64) -> Report {
    one_task(|r| grade_pk_mean_wait(r, f, DEFAULT_SEED))
}
/// Notebook check for task 5.
pub fn check_drop_fraction(f: fn(f64, f64, u32) -> f64) -> Report {
    one_task(|r| grade_drop_fraction(r, f, DEFAULT_SEED))
}
/// Notebook check for task 6.
pub fn check_lindley_waits(f: fn(&[f64], &[f64]) -> Vec<f64>) -> Report {
    one_task(|r| grade_lindley_waits(r, f, DEFAULT_SEED))
}
