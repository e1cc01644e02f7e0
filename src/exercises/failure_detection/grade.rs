//! The graders, one per task: each runs the learner's function on the notebook's fixed cases
//! and cases drawn from the seed, against the simulator.

use super::truth::{cases_rng, detection_time, live_trace, sim_failed, smallest_timeout};
use crate::data::data_dir;
use crate::detect::{
    AdaptiveTimeout, Detector, FixedTimeout, HeartbeatConfig, HeartbeatOutcome, PhiAccrual, evaluate, load_rtts,
    synthetic_rtts_ms,
};
use crate::error::Result;
use crate::grade::{Checker, Tol, Verdict, fmt_num};
use crate::sim::Dist;
use rand::Rng;

/// Grades task 1 on `data/rtt.csv` and on seeded synthetic samples: the learner's timeout must
/// leave at most the allowed number of RTTs above it, and be the smallest that does.
pub fn grade_pick_timeout(c: &mut Checker, f: fn(&[f64], f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 1);
    let mut cases: Vec<(String, Vec<f64>, f64)> = Vec::new();
    let csv = data_dir().join("rtt.csv");
    let measured = load_rtts(&csv).map_err(sim_failed)?;
    for frac in [0.01, 0.001, 0.05] {
        cases.push(("data/rtt.csv".into(), measured.clone(), frac));
    }
    cases.push(("five RTTs".into(), vec![0.020, 0.022, 0.021, 0.250, 0.023], 0.2));
    // Edges: none may time out (the largest RTT), a single RTT, ties at the answer.
    cases.push(("five RTTs".into(), vec![0.020, 0.022, 0.021, 0.250, 0.023], 0.0));
    cases.push(("one RTT".into(), vec![0.031], 0.1));
    cases.push((
        "six RTTs with ties".into(),
        vec![0.02, 0.03, 0.03, 0.03, 0.02, 0.05],
        0.2,
    ));
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
}

/// Grades task 2: the simulator's worst case (a heartbeat sent just before the crash, delayed
/// as long as possible) must match, and no random case may take longer.
pub fn grade_worst_detection_time(c: &mut Checker, f: fn(f64, f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
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
}

/// Grades task 3 against [`evaluate`] with a [`FixedTimeout`] on simulated live nodes.
pub fn grade_false_suspicions(
    c: &mut Checker,
    f: fn(&[f64], f64, f64) -> (usize, f64),
    seed: u64,
) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 3);
    // The notebook's case, then ties: gaps of exactly `timeout` (and `until` exactly `timeout`
    // after the last arrival) are on time, no suspicion. The times are exact in binary.
    let mut cases: Vec<(Vec<f64>, f64, f64)> = vec![
        (vec![0.0, 1.0, 5.0, 5.5], 2.0, 10.0),
        (vec![0.0, 2.0, 3.0, 5.0, 5.5, 9.0], 2.0, 11.0),
    ];
    for _ in 0..10 {
        let t = live_trace(&mut rng).map_err(sim_failed)?;
        let gaps: Vec<f64> = t.arrivals.windows(2).map(|w| w[1] - w[0]).collect();
        let mean = gaps.iter().sum::<f64>() / gaps.len().max(1) as f64;
        cases.push((t.arrivals, mean * rng.random_range(1.05..3.0), t.until_s));
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
        let trace = HeartbeatOutcome {
            arrivals: arrivals.clone(),
            sent: 0,
            lost: 0,
            pauses: vec![],
            crash_at_s: None,
            until_s: until,
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
}

/// Grades task 5 against the [`AdaptiveTimeout`] detector: after heartbeats of simulated
/// traces, the detector's deadline minus the last arrival must equal the learner's timeout for
/// the detector's window of gaps.
pub fn grade_adaptive_timeout(c: &mut Checker, f: fn(&[f64], f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 5);
    // Ranks on a whole p·n first (the nearest rank ⌈p·n⌉ is then p·n itself), with ties.
    let fixed: [(&[f64], f64, f64); 3] = [
        (&[0.9, 1.1, 1.0, 1.3, 0.95, 1.05, 1.2, 0.98, 1.02, 1.4], 0.5, 0.1),
        (&[1.0, 1.5, 1.25, 2.0, 1.75, 1.0, 3.0, 1.5], 0.75, 0.25),
        (&[0.5, 0.5, 0.5, 0.5], 0.5, 0.0),
    ];
    for (gaps, percentile, margin) in fixed {
        let input = format!(
            "gaps = {gaps:?}, percentile = {}, margin = {} s",
            fmt_num(percentile),
            fmt_num(margin)
        );
        let got = c.call(&input, || f(gaps, percentile, margin))?;
        let mut sorted = gaps.to_vec();
        sorted.sort_by(f64::total_cmp);
        let truth = crate::sim::quantile_sorted(&sorted, percentile) + margin;
        c.close(&input, got, truth, Tol::new(1e-12, 1e-12))?;
    }
    for _ in 0..6 {
        let window = rng.random_range(3..300);
        let percentile = [0.5, 0.9, 0.95, 0.99, 0.999][rng.random_range(0..5)];
        let margin = rng.random_range(0.0..0.5);
        let config = HeartbeatConfig {
            interval_s: rng.random_range(0.1..2.0),
            delay_s: Dist::lognormal(rng.random_range(0.01..0.3), rng.random_range(0.005..0.3)).map_err(sim_failed)?,
            loss: rng.random_range(0.0..0.1),
            pauses: vec![],
            crash_at_s: None,
            until_s: 400.0,
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
}

/// Grades task 4 against [`PhiAccrual::phi`] on simulated heartbeat streams, at silences from
/// well before to well after the mean gap.
pub fn grade_phi(c: &mut Checker, f: fn(f64, &[f64], f64) -> f64, seed: u64) -> Result<(), Verdict> {
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
            interval_s: 1.0,
            delay_s: delay,
            loss,
            pauses: vec![],
            crash_at_s: None,
            until_s: window as f64 + 20.0,
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
        // Silences around the interval, then far in the tail (z = 9 and 20), where 1 − CDF has
        // rounded to 0 but φ is still finite (about 19 and 89).
        let (mean, sd) = crate::detect::gap_model(recent.iter().copied(), min_sd).ok_or_else(|| {
            sim_failed(crate::error::Error::invalid(
                "gaps",
                recent.len(),
                "fewer than two gaps",
            ))
        })?;
        for elapsed in [0.5, 1.0, 1.1, 1.3, 1.6, mean + 9.0 * sd, mean + 20.0 * sd] {
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
}
