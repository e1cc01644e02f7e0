//! Chapter 4 · Timeouts and failure detection.
//!
//! The learner writes five functions (see `exercises/04_failure_detection.rs`), each graded
//! against the [`crate::detect`] simulator, which knows when the node really crashed.
//!
//! | task | question |
//! |---|---|
//! | `pick_timeout` | the shortest timeout that at most a given fraction of measured RTTs exceed |
//! | `worst_detection_time` | how long, at worst, until a crash is suspected |
//! | `false_suspicions` | how often, and how long, a fixed timeout wrongly suspects a live node |
//! | `phi` | the phi accrual detector's suspicion level after a silence |
//! | `adaptive_timeout` | a timeout that follows the network: a percentile of recent gaps plus a margin |

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rand::Rng;
use rayon::prelude::*;

use super::{Chapter, DEFAULT_SEED, WrongAnswer, finite_f64};
use crate::data::data_dir;
use crate::detect::{
    AdaptiveTimeout, Detector, FixedTimeout, HeartbeatConfig, PhiAccrual, Trace, evaluate, load_rtts, synthetic_rtts_ms,
};
use crate::error::{Error, Result};
use crate::grade::{Report, Tol, Verdict, attempt, fmt_num};
use crate::plot::Figure;
use crate::sim::{Dist, SimRng, replication_seed, stream};

/// The learner's functions for chapter 4.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: the smallest timeout (seconds) such that at most a fraction `max_timeouts` of
    /// the measured round-trip times `rtts` (seconds) are longer than it.
    pub pick_timeout: fn(rtts: &[f64], max_timeouts: f64) -> f64,
    /// Task 2: a node sends a heartbeat every `interval` s; each takes at most `max_delay` s to
    /// arrive; the monitor suspects the node `timeout` s after the last heartbeat arrived. At
    /// worst, how long after a crash is it suspected?
    pub worst_detection_time: fn(interval: f64, timeout: f64, max_delay: f64) -> f64,
    /// Task 3: the node never crashed; heartbeats arrived at `arrivals` (increasing, seconds);
    /// the monitor watched until `until`. With a fixed `timeout`, how many times did it
    /// wrongly suspect the node, and for how many seconds in all?
    pub false_suspicions: fn(arrivals: &[f64], timeout: f64, until: f64) -> (usize, f64),
    /// Task 4: φ after `elapsed` seconds without a heartbeat, for a normal model of the recent
    /// gaps between heartbeats `gaps` (sample standard deviation, at least `min_sd`).
    pub phi: fn(elapsed: f64, gaps: &[f64], min_sd: f64) -> f64,
    /// Task 5: seconds of silence after the last heartbeat before suspecting: the
    /// `percentile` (nearest rank) of the recent gaps between heartbeats, plus `margin`.
    pub adaptive_timeout: fn(gaps: &[f64], percentile: f64, margin: f64) -> f64,
}

/// Chapter 4 for the shared runner and self-check.
pub struct FailureDetection;

/// Flags of `exercise-4` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct DetectArgs {
    /// Measured round-trip times (CSV with columns seq,rtt_ms) [default: data/rtt.csv].
    #[arg(long, value_name = "CSV")]
    pub data: Option<PathBuf>,
    /// The fraction of requests allowed to time out, for the RTT plot (0 < f < 1).
    #[arg(long, default_value_t = 0.01, value_parser = fraction, allow_negative_numbers = true)]
    pub max_timeouts: f64,
    /// The phi accrual threshold drawn on the phi plot (0 < φ ≤ 16).
    #[arg(long, default_value_t = 8.0, value_parser = threshold, allow_negative_numbers = true)]
    pub threshold: f64,
}

fn fraction(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v < 1.0 {
        Ok(v)
    } else {
        Err(format!("{s} is outside 0 < fraction < 1"))
    }
}
fn threshold(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 16.0 {
        Ok(v)
    } else {
        Err(format!("φ = {s} is outside 0 < φ ≤ 16"))
    }
}

fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 400 + task)
}

fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

const HINT_PICK: &str = "Sort the RTTs. A timeout t makes every request slower than t time out, so count the \
    RTTs strictly greater than t. The answer is one of the measured values: the smallest that leaves at most \
    max_timeouts·n above it (an empirical quantile). The mean plus a few standard deviations is not it: RTTs \
    have heavy tails.";
const HINT_WORST: &str = "The monitor's clock starts when a heartbeat *arrives*. The worst crash comes just after \
    a heartbeat was sent, and that heartbeat takes the longest possible time to arrive. Does the interval matter then?";
const HINT_FALSE: &str = "Between two arrivals a and b, the monitor suspects from a + timeout until b, if that is \
    a positive stretch. After the last arrival it suspects from last + timeout until `until`. Count the stretches \
    and add up their lengths.";
const HINT_PHI: &str = "Fit a normal distribution to the gaps: mean and sample standard deviation (divide by \
    n − 1), floored at min_sd. φ = −log₁₀ P(gap > elapsed); the tail probability is \
    faultline::detect::normal_sf((elapsed − mean)/sd).";

/// The smallest measured value that at most `allowed` values exceed (ties included).
fn smallest_timeout(sorted: &[f64], allowed: usize) -> f64 {
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

/// Grades task 1 on `data/rtt.csv` and on seeded synthetic samples: the learner's timeout must
/// leave at most the allowed number of RTTs above it, and be the smallest that does.
pub fn grade_pick_timeout(report: &mut Report, f: fn(&[f64], f64) -> f64, seed: u64) {
    report.task("pick_timeout", HINT_PICK, |c| {
        let mut rng = cases_rng(seed, 1);
        let mut cases: Vec<(String, Vec<f64>, f64)> = Vec::new();
        let csv = data_dir().join("rtt.csv");
        let measured = load_rtts(&csv).map_err(sim_failed)?;
        for frac in [0.01, 0.001, 0.05] {
            cases.push(("data/rtt.csv".into(), measured.clone(), frac));
        }
        cases.push(("five RTTs".into(), vec![0.020, 0.022, 0.021, 0.250, 0.023], 0.2));
        for _ in 0..6 {
            let n = rng.random_range(50..3000);
            let rtts: Vec<f64> = synthetic_rtts_ms(n, rng.random()).iter().map(|ms| ms / 1e3).collect();
            let frac = [0.001, 0.005, 0.01, 0.02, 0.1][rng.random_range(0..5)];
            cases.push((format!("{n} synthetic RTTs"), rtts, frac));
        }
        for (what, rtts, frac) in cases {
            let input = format!("{what}, max_timeouts = {}", fmt_num(frac));
            let got = c.call(&input, || f(&rtts, frac))?;
            let mut sorted = rtts.clone();
            sorted.sort_by(f64::total_cmp);
            let allowed = (frac * rtts.len() as f64 + 1e-9).floor() as usize;
            let best = smallest_timeout(&sorted, allowed);
            let over = rtts.iter().filter(|&&r| r > got).count();
            let shown = format!("{} s", fmt_num(best));
            if !got.is_finite() || over > allowed {
                return Err(
                    Verdict::fail(&input, shown, format!("{} s", fmt_num(got))).because(format!(
                        "{over} of the {} RTTs are longer than that: more than the {allowed} allowed",
                        rtts.len()
                    )),
                );
            }
            if got > best * (1.0 + 1e-12) {
                return Err(
                    Verdict::fail(&input, shown, format!("{} s", fmt_num(got))).because(format!(
                        "only {over} RTTs exceed it, but {} s would still keep within {allowed}: \
                     a longer timeout than needed delays every real failure",
                        fmt_num(best)
                    )),
                );
            }
            c.pass();
        }
        Ok(())
    });
}

/// Runs the heartbeat simulator with a crash `after` seconds after the send at `at`, and
/// returns the fixed-timeout detector's detection time.
fn detection_time(interval: f64, timeout: f64, delay: Dist, crash: f64, seed: u64) -> Result<f64> {
    let config = HeartbeatConfig {
        interval,
        delay,
        loss: 0.0,
        pauses: vec![],
        crash_at: Some(crash),
        until: crash + 10.0 * (timeout + interval) + 10.0,
    };
    let trace = config.simulate(seed)?;
    evaluate(&trace, &mut FixedTimeout { timeout })
        .detection_time
        .ok_or_else(|| Error::invalid("timeout", timeout, "never detected the crash"))
}

/// Grades task 2: the simulator's worst case (a heartbeat sent just before the crash, delayed
/// as long as possible) must match, and no random case may take longer.
pub fn grade_worst_detection_time(report: &mut Report, f: fn(f64, f64, f64) -> f64, seed: u64) {
    report.task("worst_detection_time", HINT_WORST, |c| {
        let mut rng = cases_rng(seed, 2);
        let mut cases = vec![(1.0, 3.0, 0.1), (0.5, 2.0, 0.4)];
        cases.extend((0..10).map(|_| {
            let interval: f64 = rng.random_range(0.1..5.0);
            let max_delay: f64 = rng.random_range(0.001..1.0);
            (interval, interval + max_delay + rng.random_range(0.01..5.0), max_delay)
        }));
        for (interval, timeout, max_delay) in cases {
            let input = format!(
                "interval = {} s, timeout = {} s, max_delay = {} s",
                fmt_num(interval),
                fmt_num(timeout),
                fmt_num(max_delay)
            );
            let got = c.call(&input, || f(interval, timeout, max_delay))?;
            // The worst case, in the simulator: every heartbeat takes max_delay and the node
            // crashes a hair after sending the heartbeat at 5·interval.
            let eps = 1e-9 * interval;
            let worst = detection_time(
                interval,
                timeout,
                Dist::constant(max_delay).map_err(sim_failed)?,
                5.0 * interval + eps,
                0,
            )
            .map_err(sim_failed)?;
            c.close(&input, got, worst, Tol::abs(1e-6 * (timeout + max_delay)))?;
            // Random crashes and delays never exceed it.
            let delay = Dist::uniform(0.0, max_delay).map_err(sim_failed)?;
            for k in 0..5 {
                let crash = rng.random_range(2.0..20.0) * interval;
                let seen = detection_time(interval, timeout, delay, crash, k).map_err(sim_failed)?;
                if seen > got + 1e-6 * (timeout + max_delay) {
                    return Err(
                        Verdict::fail(&input, format!("{} s", fmt_num(worst)), format!("{} s", fmt_num(got))).because(
                            format!(
                                "a crash at {} s with random delays was only detected after {} s",
                                fmt_num(crash),
                                fmt_num(seen)
                            ),
                        ),
                    );
                }
            }
        }
        Ok(())
    });
}

/// A trace of a node that never crashes: lossy, variable delays, and sometimes a pause.
fn live_trace(rng: &mut SimRng) -> Result<Trace> {
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
        interval,
        delay: Dist::lognormal(interval * 0.1, interval * rng.random_range(0.05..0.5))?,
        loss: rng.random_range(0.0..0.1),
        pauses,
        crash_at: None,
        until,
    }
    .simulate(rng.random())
}

/// Grades task 3 against [`evaluate`] with a [`FixedTimeout`] on simulated live nodes.
pub fn grade_false_suspicions(report: &mut Report, f: fn(&[f64], f64, f64) -> (usize, f64), seed: u64) {
    report.task("false_suspicions", HINT_FALSE, |c| {
        let mut rng = cases_rng(seed, 3);
        let mut cases: Vec<(Vec<f64>, f64, f64)> = vec![(vec![0.0, 1.0, 5.0, 5.5], 2.0, 10.0)];
        for _ in 0..10 {
            let t = live_trace(&mut rng).map_err(sim_failed)?;
            let gaps: Vec<f64> = t.arrivals.windows(2).map(|w| w[1] - w[0]).collect();
            let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
            cases.push((t.arrivals, mean * rng.random_range(1.05..3.0), t.until));
        }
        for (arrivals, timeout, until) in cases {
            let input = format!(
                "{} arrivals from {} s to {} s, timeout = {} s, until = {} s",
                arrivals.len(),
                fmt_num(arrivals[0]),
                fmt_num(*arrivals.last().unwrap_or(&0.0)),
                fmt_num(timeout),
                fmt_num(until)
            );
            let got = c.call(&input, || f(&arrivals, timeout, until))?;
            let trace = Trace {
                arrivals: arrivals.clone(),
                sent: 0,
                lost: 0,
                pauses: vec![],
                crash_at: None,
                until,
            };
            let q = evaluate(&trace, &mut FixedTimeout { timeout });
            let expected = format!("({}, {} s)", q.mistakes, fmt_num(q.mistaken_time));
            let shown = format!("({}, {} s)", got.0, fmt_num(got.1));
            if got.0 != q.mistakes || !Tol::new(1e-9, 1e-9).accepts(q.mistaken_time, got.1) {
                return Err(Verdict::fail(&input, expected, shown));
            }
            c.pass();
        }
        Ok(())
    });
}

const HINT_ADAPTIVE: &str = "Sort the gaps. The nearest-rank p-quantile of n values is the value at rank ⌈p·n⌉ \
    (1-based): the smallest gap with at least a fraction p of the gaps at or below it. Add the margin.";

/// Grades task 5 against the [`AdaptiveTimeout`] detector: after heartbeats of simulated
/// traces, the detector's deadline minus the last arrival must equal the learner's timeout for
/// the detector's window of gaps.
pub fn grade_adaptive_timeout(report: &mut Report, f: fn(&[f64], f64, f64) -> f64, seed: u64) {
    report.task("adaptive_timeout", HINT_ADAPTIVE, |c| {
        let mut rng = cases_rng(seed, 5);
        for _ in 0..6 {
            let window = rng.random_range(3..300);
            let percentile = [0.5, 0.9, 0.95, 0.99, 0.999][rng.random_range(0..5)];
            let margin = rng.random_range(0.0..0.5);
            let config = HeartbeatConfig {
                interval: rng.random_range(0.1..2.0),
                delay: Dist::lognormal(rng.random_range(0.01..0.3), rng.random_range(0.005..0.3))
                    .map_err(sim_failed)?,
                loss: rng.random_range(0.0..0.1),
                pauses: vec![],
                crash_at: None,
                until: 400.0,
            };
            let trace = config.simulate(rng.random()).map_err(sim_failed)?;
            let mut detector = AdaptiveTimeout::new(window, percentile, margin, 3.0).map_err(sim_failed)?;
            let mut gaps: Vec<f64> = Vec::new();
            for (i, &a) in trace.arrivals.iter().enumerate() {
                if i > 0 {
                    gaps.push(a - trace.arrivals[i - 1]);
                }
                let deadline = detector.heartbeat(a);
                if gaps.len() < 2 || i % 37 != 0 {
                    continue;
                }
                let recent = &gaps[gaps.len().saturating_sub(window)..];
                let input = format!(
                    "{} gaps (first {:?}), percentile = {}, margin = {} s",
                    recent.len(),
                    &recent[..3.min(recent.len())],
                    fmt_num(percentile),
                    fmt_num(margin)
                );
                let got = c.call(&input, || f(recent, percentile, margin))?;
                c.close(&input, got, deadline - a, Tol::new(1e-9, 1e-9))?;
            }
        }
        Ok(())
    });
}

/// Grades task 4 against [`PhiAccrual::phi`] on simulated heartbeat streams, at silences from
/// well before to well after the mean gap.
pub fn grade_phi(report: &mut Report, f: fn(f64, &[f64], f64) -> f64, seed: u64) {
    report.task("phi", HINT_PHI, |c| {
        let mut rng = cases_rng(seed, 4);
        let mut streams: Vec<(Dist, f64, f64, usize)> = vec![
            // Constant delay and no loss: the gaps' sd is 0 and the floor decides.
            (Dist::constant(0.05).map_err(sim_failed)?, 0.0, 0.1, 20),
            (Dist::lognormal(0.1, 0.05).map_err(sim_failed)?, 0.02, 0.01, 100),
        ];
        for _ in 0..4 {
            let d = Dist::lognormal(rng.random_range(0.01..0.3), rng.random_range(0.005..0.3)).map_err(sim_failed)?;
            streams.push((d, 0.02, rng.random_range(0.001..0.1), rng.random_range(5..500)));
        }
        for (delay, loss, min_sd, window) in streams {
            let trace = HeartbeatConfig {
                interval: 1.0,
                delay,
                loss,
                pauses: vec![],
                crash_at: None,
                until: window as f64 + 20.0,
            }
            .simulate(rng.random())
            .map_err(sim_failed)?;
            let mut d = PhiAccrual::new(window.max(2), 8.0, min_sd, 3.0).map_err(sim_failed)?;
            let mut gaps = Vec::new();
            for w in trace.arrivals.windows(2) {
                gaps.push(w[1] - w[0]);
            }
            for &a in &trace.arrivals {
                d.heartbeat(a);
            }
            let recent: Vec<f64> = gaps[gaps.len().saturating_sub(window.max(2))..].to_vec();
            let last = *trace.arrivals.last().expect("heartbeats arrived");
            for elapsed in [0.5, 1.0, 1.1, 1.3, 1.6] {
                let input = format!(
                    "elapsed = {} s, {} gaps (first {:?}), min_sd = {} s",
                    fmt_num(elapsed),
                    recent.len(),
                    &recent[..3.min(recent.len())],
                    fmt_num(min_sd)
                );
                let got = c.call(&input, || f(elapsed, &recent, min_sd))?;
                let truth = d.phi(last + elapsed);
                if truth.is_infinite() {
                    continue;
                }
                c.close(&input, got, truth, Tol::new(1e-9, 1e-7))?;
            }
        }
        Ok(())
    });
}

impl Chapter for FailureDetection {
    const NUMBER: u8 = 4;
    const TITLE: &'static str = "Timeouts and failure detection";
    const FILE: &'static str = "exercises/04_failure_detection.rs";
    const NOTEBOOK: &'static str = "notebooks/04-failure-detection.ipynb";
    type Answers = Answers;
    type Args = DetectArgs;

    fn grade(a: &Answers, seed: u64) -> Report {
        let mut report = Report::new(Self::NUMBER, Self::TITLE, seed);
        grade_pick_timeout(&mut report, a.pick_timeout, seed);
        grade_worst_detection_time(&mut report, a.worst_detection_time, seed);
        grade_false_suspicions(&mut report, a.false_suspicions, seed);
        grade_phi(&mut report, a.phi, seed);
        grade_adaptive_timeout(&mut report, a.adaptive_timeout, seed);
        report
    }

    fn simulate(a: &Answers, args: &DetectArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        let csv = args.data.clone().unwrap_or_else(|| data_dir().join("rtt.csv"));
        let rtts = load_rtts(&csv)?;
        let mut files = Vec::new();
        files.extend(rtt_figure(&rtts, a.pick_timeout, args.max_timeouts)?.save(out, "rtt-and-timeout")?);
        files.extend(tradeoff_figure(seed)?.save(out, "detection-tradeoff")?);
        files.extend(phi_figure(a.phi, args.threshold, seed)?.save(out, "phi-around-pause-and-crash")?);
        Ok(files)
    }

    fn wrong_answers() -> Vec<WrongAnswer<Answers>> {
        vec![
            WrongAnswer {
                task: "pick_timeout",
                mistake: "mean plus three standard deviations",
                apply: |a| {
                    a.pick_timeout = |r, _| {
                        let n = r.len() as f64;
                        let m = r.iter().sum::<f64>() / n;
                        m + 3.0 * (r.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt()
                    }
                },
            },
            WrongAnswer {
                task: "pick_timeout",
                mistake: "the max_timeouts quantile instead of 1 − max_timeouts",
                apply: |a| {
                    a.pick_timeout = |r, f| {
                        let mut s = r.to_vec();
                        s.sort_by(f64::total_cmp);
                        crate::sim::quantile_sorted(&s, f)
                    }
                },
            },
            WrongAnswer {
                task: "pick_timeout",
                mistake: "the largest RTT ever seen",
                apply: |a| a.pick_timeout = |r, _| r.iter().copied().fold(0.0, f64::max),
            },
            WrongAnswer {
                task: "pick_timeout",
                mistake: "one rank too low (ignores the strict >)",
                apply: |a| {
                    a.pick_timeout = |r, f| {
                        let mut s = r.to_vec();
                        s.sort_by(f64::total_cmp);
                        let k = ((1.0 - f) * s.len() as f64).ceil() as usize;
                        s[k.saturating_sub(2)]
                    }
                },
            },
            WrongAnswer {
                task: "worst_detection_time",
                mistake: "interval + timeout",
                apply: |a| a.worst_detection_time = |i, t, _| i + t,
            },
            WrongAnswer {
                task: "worst_detection_time",
                mistake: "the timeout alone",
                apply: |a| a.worst_detection_time = |_, t, _| t,
            },
            WrongAnswer {
                task: "worst_detection_time",
                mistake: "interval + timeout + max_delay",
                apply: |a| a.worst_detection_time = |i, t, d| i + t + d,
            },
            WrongAnswer {
                task: "false_suspicions",
                mistake: "counts the whole gap, not the part after the timeout",
                apply: |a| {
                    a.false_suspicions = |arr, t, until| {
                        let mut ends: Vec<f64> = arr.to_vec();
                        ends.push(until);
                        ends.windows(2)
                            .filter(|w| w[1] - w[0] > t)
                            .fold((0, 0.0), |(n, s), w| (n + 1, s + w[1] - w[0]))
                    }
                },
            },
            WrongAnswer {
                task: "false_suspicions",
                mistake: "forgets the silence after the last heartbeat",
                apply: |a| {
                    a.false_suspicions = |arr, t, _| {
                        arr.windows(2)
                            .filter(|w| w[1] - w[0] > t)
                            .fold((0, 0.0), |(n, s), w| (n + 1, s + w[1] - w[0] - t))
                    }
                },
            },
            WrongAnswer {
                task: "phi",
                mistake: "natural log instead of log₁₀",
                apply: |a| {
                    a.phi = |e, g, m| match crate::detect::gap_model(g.iter().copied(), m) {
                        Some((mean, sd)) => -crate::detect::normal_sf((e - mean) / sd).ln(),
                        None => 0.0,
                    }
                },
            },
            WrongAnswer {
                task: "phi",
                mistake: "no floor on the standard deviation",
                apply: |a| {
                    a.phi = |e, g, _| match crate::detect::gap_model(g.iter().copied(), 0.0) {
                        Some((mean, sd)) => -crate::detect::normal_sf((e - mean) / sd).log10(),
                        None => 0.0,
                    }
                },
            },
            WrongAnswer {
                task: "phi",
                mistake: "the CDF instead of the tail: φ falls as the silence grows",
                apply: |a| {
                    a.phi = |e, g, m| match crate::detect::gap_model(g.iter().copied(), m) {
                        Some((mean, sd)) => -crate::detect::normal_cdf((e - mean) / sd).log10(),
                        None => 0.0,
                    }
                },
            },
            WrongAnswer {
                task: "adaptive_timeout",
                mistake: "the mean gap plus the margin",
                apply: |a| a.adaptive_timeout = |g, _, m| g.iter().sum::<f64>() / g.len() as f64 + m,
            },
            WrongAnswer {
                task: "adaptive_timeout",
                mistake: "the largest gap plus the margin",
                apply: |a| a.adaptive_timeout = |g, _, m| g.iter().copied().fold(0.0, f64::max) + m,
            },
            WrongAnswer {
                task: "adaptive_timeout",
                mistake: "forgot the margin",
                apply: |a| {
                    a.adaptive_timeout = |g, p, _| {
                        let mut s = g.to_vec();
                        s.sort_by(f64::total_cmp);
                        crate::sim::quantile_sorted(&s, p)
                    }
                },
            },
        ]
    }
}

/// The RTT distribution as a CDF, with the learner's timeout for `max_timeouts` marked.
pub fn rtt_figure(rtts: &[f64], pick_timeout: fn(&[f64], f64) -> f64, max_timeouts: f64) -> Result<Figure> {
    let ms: Vec<f64> = rtts.iter().map(|r| r * 1e3).collect();
    let mut fig = Figure::new(format!("Measured round-trip times ({} probes)", rtts.len()))
        .x_label("round-trip time (ms)")
        .y_label("fraction of probes at or below")
        .cdf("RTTs", &ms)
        .hline(
            format!("{} allowed to time out", fmt_num(max_timeouts)),
            1.0 - max_timeouts,
        );
    if let Ok(t) = attempt(|| pick_timeout(rtts, max_timeouts)) {
        fig = fig.dashed(
            format!("your timeout: {} ms", fmt_num(t * 1e3)),
            [(t * 1e3, 0.0), (t * 1e3, 1.0)],
        );
    }
    Ok(fig)
}

/// Detection time against mistakes per hour for a family of detectors, each point the mean of
/// 16 seeded traces (run in parallel) of a node that crashes after an hour.
pub fn tradeoff_figure(seed: u64) -> Result<Figure> {
    let config = HeartbeatConfig {
        interval: 1.0,
        delay: Dist::lognormal(0.1, 0.15)?,
        loss: 0.01,
        pauses: vec![(1200.0, 3.0), (2400.0, 1.5)],
        crash_at: Some(3600.5),
        until: 3700.0,
    };
    let traces: Vec<Trace> = (0..16u64)
        .into_par_iter()
        .map(|i| config.simulate(replication_seed(seed, i)))
        .collect::<Result<_>>()?;
    let measure = |make: &(dyn Fn() -> Box<dyn Detector> + Sync)| -> (f64, f64) {
        let qs: Vec<(f64, f64)> = traces
            .par_iter()
            .map(|t| {
                let q = evaluate(t, make().as_mut());
                (q.detection_time.unwrap_or(f64::NAN), q.mistake_rate() * 3600.0)
            })
            .collect();
        let n = qs.len() as f64;
        (
            qs.iter().map(|q| q.0).sum::<f64>() / n,
            qs.iter().map(|q| q.1).sum::<f64>() / n,
        )
    };
    let fixed: Vec<(f64, f64)> = [1.2, 1.4, 1.7, 2.0, 2.5, 3.0, 4.0, 5.0]
        .iter()
        .map(|&t| measure(&move || Box::new(FixedTimeout { timeout: t })))
        .collect();
    let adaptive: Vec<(f64, f64)> = [0.9, 0.99, 0.999]
        .iter()
        .flat_map(|&p| [0.05, 0.3, 1.0, 2.0].map(move |m| (p, m)))
        .map(|(p, m)| measure(&move || Box::new(AdaptiveTimeout::new(1000, p, m, 3.0).expect("valid constants"))))
        .collect();
    let phi: Vec<(f64, f64)> = [1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 16.0]
        .iter()
        .map(|&th| measure(&move || Box::new(PhiAccrual::new(1000, th, 0.05, 3.0).expect("valid constants"))))
        .collect();
    Ok(Figure::new("Failure detectors: detection time against mistakes")
        .x_label("mean detection time after the crash (s)")
        .y_label("false suspicions per hour")
        .line("fixed timeout 1.2–5 s", fixed)
        .points("adaptive: p90/p99/p99.9 of gaps + margin", adaptive)
        .line("phi accrual, φ = 1…16", phi))
}

/// φ over time for a node that pauses for 4 s at 40 s and crashes at 80 s, with the threshold,
/// and the learner's `phi` at coarse points.
pub fn phi_figure(phi_fn: fn(f64, &[f64], f64) -> f64, threshold: f64, seed: u64) -> Result<Figure> {
    let config = HeartbeatConfig {
        interval: 1.0,
        delay: Dist::lognormal(0.05, 0.02)?,
        loss: 0.0,
        pauses: vec![(40.2, 4.0)],
        crash_at: Some(80.2),
        until: 95.0,
    };
    let trace = config.simulate(seed)?;
    let min_sd = 0.05;
    let mut d = PhiAccrual::new(30, threshold, min_sd, 3.0)?;
    let mut gaps: Vec<f64> = Vec::new();
    let mut next = 0;
    let mut truth = Vec::new();
    let mut yours = Vec::new();
    let mut attempted = true;
    let cap = 40.0;
    for k in 0..=(95 * 20) {
        let t = f64::from(k) / 20.0;
        while next < trace.arrivals.len() && trace.arrivals[next] <= t {
            if next > 0 {
                gaps.push(trace.arrivals[next] - trace.arrivals[next - 1]);
            }
            d.heartbeat(trace.arrivals[next]);
            next += 1;
        }
        if t < 20.0 || next == 0 {
            continue;
        }
        truth.push((t, d.phi(t).min(cap)));
        if k % 10 == 0 && attempted {
            let last = trace.arrivals[next - 1];
            let recent = &gaps[gaps.len().saturating_sub(30)..];
            match attempt(|| phi_fn(t - last, recent, min_sd)) {
                Ok(v) => yours.push((t, v.min(cap))),
                Err(_) => attempted = false,
            }
        }
    }
    let mut fig = Figure::new("φ around a 4 s pause (at 40 s) and a crash (at 80 s)")
        .x_label("time (s)")
        .y_label(format!("φ (capped at {cap})"))
        .line("φ (simulator)", truth)
        .hline(format!("threshold φ = {}", fmt_num(threshold)), threshold);
    if attempted {
        fig = fig.points("your phi", yours);
    }
    Ok(fig)
}

/// Grades answers with the default seed (what `cargo test` does).
pub fn grade(answers: &Answers) -> Report {
    FailureDetection::grade(answers, DEFAULT_SEED)
}

/// `main` for `exercise-4` and `solution-4`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<FailureDetection>(answers)
}

fn one_task(grader: impl FnOnce(&mut Report)) -> Report {
    let mut report = Report::new(FailureDetection::NUMBER, FailureDetection::TITLE, DEFAULT_SEED);
    grader(&mut report);
    report
}

/// Notebook check for task 1.
pub fn check_pick_timeout(f: fn(&[f64], f64) -> f64) -> Report {
    one_task(|r| grade_pick_timeout(r, f, DEFAULT_SEED))
}
/// Notebook check for task 2.
pub fn check_worst_detection_time(f: fn(f64, f64, f64) -> f64) -> Report {
    one_task(|r| grade_worst_detection_time(r, f, DEFAULT_SEED))
}
/// Notebook check for task 3.
pub fn check_false_suspicions(f: fn(&[f64], f64, f64) -> (usize, f64)) -> Report {
    one_task(|r| grade_false_suspicions(r, f, DEFAULT_SEED))
}
/// Notebook check for task 4.
pub fn check_phi(f: fn(f64, &[f64], f64) -> f64) -> Report {
    one_task(|r| grade_phi(r, f, DEFAULT_SEED))
}
/// Notebook check for task 5.
pub fn check_adaptive_timeout(f: fn(&[f64], f64, f64) -> f64) -> Report {
    one_task(|r| grade_adaptive_timeout(r, f, DEFAULT_SEED))
}
