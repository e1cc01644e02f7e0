//! The graders, one per task: each runs the learner's function on the notebook's fixed cases
//! and cases drawn from the seed, against the simulator.

use super::truth::{cases_rng, show, sim_failed};
use crate::clock::OscillatorConfig;
use crate::error::Result;
use crate::grade::{Checker, Tol, Verdict, fmt_num};
use crate::ordering::lww::{self, LwwConfig};
use crate::ordering::truetime::{self, CommitWaitConfig, TrueTime, TrueTimeConfig};
use crate::ordering::{TtInterval, order, uncertainty};
use crate::sim::Seed;
use rand::Rng;
use std::cmp::Ordering;

/// Grades task 1 on readings of simulated TrueTime nodes; the answer must also contain true time.
pub fn grade_uncertainty(c: &mut Checker, f: fn(f64, f64, f64, f64) -> TtInterval, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 1);
    // (reading, since, sync error, bound, true time if known)
    let mut cases = vec![
        (1000.0, 30.0, 0.001, 200.0, None),
        (1_767_225_600.0, 0.0, 0.004, 100.0, None),
        (50.0, 10.0, 0.0, 500.0, None),
    ];
    for i in 0..12 {
        let cfg = TrueTimeConfig {
            sync_error_s: rng.random_range(1e-4..5e-3),
            drift_bound_ppm: rng.random_range(50.0..500.0),
            sync_interval_s: rng.random_range(5.0..60.0),
        };
        let osc = OscillatorConfig {
            offset_ppm: rng.random_range(-0.8..0.8) * cfg.drift_bound_ppm,
            tempco_ppm_per_c2: 0.0,
            ..Default::default()
        };
        let mut tt = TrueTime::new(cfg, osc, Seed(seed).child(i).0).map_err(sim_failed)?;
        tt.advance_to(rng.random_range(0.0..300.0)).map_err(sim_failed)?;
        let r = tt.reading();
        cases.push((
            r.wall,
            tt.since_sync(),
            cfg.sync_error_s,
            cfg.drift_bound_ppm,
            Some(tt.true_unix()),
        ));
    }
    for (reading, since, err, bound, truth) in cases {
        let input = format!(
            "reading = {reading:.6}, since_sync_s = {}, sync_error_s = {}, drift_bound_ppm = {}",
            fmt_num(since),
            fmt_num(err),
            fmt_num(bound)
        );
        let got = c.call(&input, || f(reading, since, err, bound))?;
        let expected = uncertainty(reading, since, err, bound).map_err(sim_failed)?;
        let tol = Tol::abs(1e-6);
        if !tol.accepts(expected.earliest, got.earliest) || !tol.accepts(expected.latest, got.latest) {
            let mut v = Verdict::fail(&input, show(expected), show(got));
            if let Some(t) = truth
                && !got.contains(t)
            {
                v = v.because(format!("true time was {t:.6}, outside your interval"));
            }
            return Err(v);
        }
        c.pass();
    }
    Ok(())
}

/// Grades task 2: edge cases, then a chain of transactions on five simulated nodes released by
/// the learner's rule, which must never order a transaction against real time, nor wait much
/// longer than needed.
pub fn grade_can_commit(c: &mut Checker, f: fn(f64, TtInterval) -> bool, seed: u64) -> Result<(), Verdict> {
    let i = |a, b| TtInterval { earliest: a, latest: b };
    let fixed = [
        (100.0, i(100.0, 100.01), false),
        (100.0, i(100.000001, 100.010001), true),
        (100.0, i(99.99, 100.01), false),
        (100.0, i(100.5, 100.6), true),
        (100.0, i(99.0, 99.5), false),
    ];
    for (s, now, expected) in fixed {
        let input = format!("stamp = {s}, now = {}", show(now));
        let got = c.call(&input, || f(s, now))?;
        c.equal(&input, got, expected)?;
    }
    let cfg = CommitWaitConfig {
        transactions: 200,
        ..Default::default()
    };
    let input = format!(
        "a chain of {} transactions on {} nodes (sync error {} s, drift bound {} ppm, seed {seed})",
        cfg.transactions,
        cfg.nodes,
        fmt_num(cfg.truetime.sync_error_s),
        fmt_num(cfg.truetime.drift_bound_ppm)
    );
    let out = c
        .call(&input, || truetime::simulate(&cfg, f, seed))?
        .map_err(sim_failed)?;
    c.ensure(
        out.gave_up == 0,
        &input,
        "every transaction eventually commits",
        format!("{} gave up after {} s", out.gave_up, cfg.max_wait_s),
    )?;
    c.ensure(
        out.violations == 0,
        &input,
        "no transaction stamped at or below one acknowledged before it started",
        format!("{} such transactions", out.violations),
    )
    .map_err(|v| v.because("a transaction was acknowledged while its stamp could still lie in the future"))?;
    let (wait, eps) = (out.mean_wait(), out.mean_epsilon());
    c.ensure(
        wait <= 2.0 * eps * 1.05 + cfg.poll_s,
        &input,
        format!("a mean wait of about 2ε = {} s", fmt_num(2.0 * eps)),
        format!("a mean wait of {} s", fmt_num(wait)),
    )?;
    Ok(())
}

/// Grades task 3 on pairs of events on two simulated nodes a few milliseconds apart, and on
/// edge cases; an answer that orders two events must be right about the true order.
pub fn grade_order(
    c: &mut Checker,
    f: fn(TtInterval, TtInterval) -> Option<Ordering>,
    seed: u64,
) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 3);
    let i = |a, b| TtInterval { earliest: a, latest: b };
    // (a, b, true times if known)
    let mut cases = vec![
        (i(10.0, 10.004), i(10.006, 10.01), None),
        (i(10.006, 10.01), i(10.0, 10.004), None),
        (i(10.0, 10.005), i(10.005, 10.01), None),
        (i(10.0, 10.01), i(10.003, 10.006), None),
        (i(10.0, 10.006), i(10.004, 10.01), None),
    ];
    for k in 0..14 {
        let cfg = TrueTimeConfig::default();
        let osc = |ppm: f64| OscillatorConfig {
            offset_ppm: ppm,
            tempco_ppm_per_c2: 0.0,
            ..Default::default()
        };
        let mut a =
            TrueTime::new(cfg, osc(rng.random_range(-100.0..100.0)), Seed(seed).child(2 * k).0).map_err(sim_failed)?;
        let mut b = TrueTime::new(cfg, osc(rng.random_range(-100.0..100.0)), Seed(seed).child(2 * k + 1).0)
            .map_err(sim_failed)?;
        let ta = rng.random_range(0.0..120.0);
        let tb = ta + rng.random_range(-0.02..0.02);
        a.advance_to(ta).map_err(sim_failed)?;
        b.advance_to(tb).map_err(sim_failed)?;
        cases.push((a.now(), b.now(), Some((a.true_unix(), b.true_unix()))));
    }
    for (a, b, truth) in cases {
        let input = format!("a = {}, b = {}", show(a), show(b));
        let got = c.call(&input, || f(a, b))?;
        let expected = order(a, b);
        if got != expected {
            let mut v = Verdict::fail(&input, format!("{expected:?}"), format!("{got:?}"));
            if let (Some((ta, tb)), Some(o)) = (truth, got)
                && ta.total_cmp(&tb) != o
            {
                v = v.because(format!(
                    "in truth a happened at {ta:.6} and b at {tb:.6}: you ordered them against real time"
                ));
            }
            return Err(v);
        }
        c.pass();
    }
    Ok(())
}

/// Grades task 4 against write chains run through simulated replicas, with millisecond
/// timestamps so that ties happen.
pub fn grade_lost_writes(c: &mut Checker, f: fn(&[f64]) -> usize, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 4);
    let mut cases: Vec<(Vec<f64>, usize)> = vec![
        (vec![1.0, 2.0, 3.0], 0),
        (vec![1.0, 5.0, 2.0, 3.0, 6.0], 2),
        (vec![1.0, 1.0], 1),
        (vec![], 0),
        (vec![3.0, 2.0, 1.0], 2),
    ];
    for k in 0..10 {
        let cfg = LwwConfig {
            replicas: rng.random_range(2..=5),
            writes: rng.random_range(20..300),
            skew_s: rng.random_range(0.0..0.02),
            mean_gap_s: rng.random_range(0.0002..0.005),
            replication_delay_s: rng.random_range(0.0002..0.002),
            resolution_s: 1e-3,
        };
        let out = lww::simulate(&cfg, Seed(seed).child(k).0).map_err(sim_failed)?;
        cases.push((out.writes.iter().map(|w| w.timestamp).collect(), out.lost));
    }
    for (ts, expected) in cases {
        let shown: Vec<String> = ts.iter().take(8).map(|t| format!("{t:.3}")).collect();
        let more = if ts.len() > 8 {
            format!(", … ({} in all)", ts.len())
        } else {
            String::new()
        };
        let input = format!("timestamps = [{}{more}]", shown.join(", "));
        let got = c.call(&input, || f(&ts))?;
        c.equal(&input, got, expected)?;
    }
    Ok(())
}
