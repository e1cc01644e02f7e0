//! The graders, one per task: each runs the learner's function on the notebook's fixed cases
//! and cases drawn from the seed, against the simulator.

use super::EPOCH_START;
use super::truth::{
    cases_rng, divergence_at, sim_failed, true_drift_after, true_drift_per_day, worst_skew_with_resync,
};
use crate::clock::{Clock, OscillatorConfig, Reading, Temperature};
use crate::error::Result;
use crate::grade::{Checker, Tol, Verdict, fmt_num};
use crate::sim::{DAY, HOUR, Seed};
use rand::Rng;

/// One case of task 5: a node runs an operation of true duration `d` while NTP (maybe) steps
/// its wall clock.
#[derive(Debug, Clone, Copy)]
pub(super) struct ElapsedCase {
    ppm: f64,
    temp_c: f64,
    start: f64,
    duration: f64,
    step: Option<(f64, f64)>,
}

pub(super) fn elapsed_readings(case: &ElapsedCase, seed: u64) -> Result<(Reading, Reading)> {
    let cfg = OscillatorConfig {
        offset_ppm: case.ppm,
        random_walk_ppm_per_sqrt_day: 0.5,
        ..Default::default()
    };
    let mut clock = Clock::new(cfg, Temperature::Constant(case.temp_c), EPOCH_START, seed)?;
    clock.advance_to(case.start)?;
    let start = clock.read();
    if let Some((at, delta)) = case.step {
        clock.advance_to(case.start + at * case.duration)?;
        clock.step_wall(delta);
    }
    clock.advance_to(case.start + case.duration)?;
    Ok((start, clock.read()))
}

/// The monotonic clock is allowed its own drift: the crystals here stay within 150 ppm.
pub(super) const ELAPSED_TOL: Tol = Tol::new(1e-9, 150e-6);

/// Grades task 1 on the notebook's fixed cases and ten drawn from `seed`.
pub fn grade_drift_after(c: &mut Checker, f: fn(f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 1);
    let mut cases = vec![(20.0, DAY), (-50.0, HOUR), (200.0, 30.0 * DAY)];
    cases.extend((0..10).map(|_| (rng.random_range(-200.0..200.0), rng.random_range(1.0..30.0 * DAY))));
    for (ppm, elapsed) in cases {
        let input = format!("ppm = {}, elapsed = {} s", fmt_num(ppm), fmt_num(elapsed));
        let got = c.call(&input, || f(ppm, elapsed))?;
        let truth = true_drift_after(ppm, elapsed).map_err(sim_failed)?;
        c.close(&input, got, truth, Tol::new(1e-9, 1e-6))?;
    }
    Ok(())
}

/// Grades task 2.
pub fn grade_drift_per_day(c: &mut Checker, f: fn(f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 2);
    let mut cases = vec![(0.0, 25.0), (0.0, 5.0), (10.0, 45.0)];
    cases.extend((0..10).map(|_| (rng.random_range(-30.0..30.0), rng.random_range(-20.0..60.0))));
    for (offset_ppm, temp_c) in cases {
        let input = format!("offset_ppm = {}, temp_c = {} °C", fmt_num(offset_ppm), fmt_num(temp_c));
        let got = c.call(&input, || f(offset_ppm, temp_c))?;
        let truth = true_drift_per_day(offset_ppm, temp_c).map_err(sim_failed)?;
        c.close(&input, got, truth, Tol::new(1e-9, 1e-6))?;
    }
    Ok(())
}

/// Grades task 3 by running two simulated clocks to the learner's time and measuring how far
/// apart they are.
pub fn grade_time_to_diverge(c: &mut Checker, f: fn(f64, f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 3);
    let mut cases = vec![
        (20.0, -20.0, 0.1),
        (30.0, 10.0, 0.5),
        (-5.0, -45.0, 0.2),
        (50.0, 50.0, 1.0),
    ];
    cases.extend((0..10).map(|_| {
        let a: f64 = rng.random_range(-100.0..100.0);
        let gap: f64 = rng.random_range(1.0..100.0);
        let b = if rng.random_bool(0.5) { a + gap } else { a - gap };
        (a, b, rng.random_range(0.001..1.0))
    }));
    for (a, b, bound) in cases {
        let input = format!(
            "ppm_a = {}, ppm_b = {}, bound = {} s",
            fmt_num(a),
            fmt_num(b),
            fmt_num(bound)
        );
        let got = c.call(&input, || f(a, b, bound))?;
        let expected = if a == b {
            f64::INFINITY
        } else {
            bound / ((a - b).abs() * 1e-6)
        };
        let shown = format!("{} s", fmt_num(expected));
        if expected.is_infinite() || !got.is_finite() || got < 0.0 || got > 10.0 * expected {
            // Nothing to simulate: infinity must be answered exactly, and a negative, NaN or
            // far-too-late time is wrong on its face.
            c.close(&input, got, expected, Tol::rel(1e-6))?;
            continue;
        }
        let apart = divergence_at(a, b, got).map_err(sim_failed)?;
        c.ensure(
            (apart - bound).abs() <= 1e-6 * bound,
            &input,
            shown,
            format!(
                "{} s (the simulated clocks were {} s apart then, not {} s)",
                fmt_num(got),
                fmt_num(apart),
                fmt_num(bound)
            ),
        )?;
    }
    Ok(())
}

/// Grades task 4 by simulating the worst pair (one clock +max_ppm, the other −max_ppm) and a
/// random pair within the bound, synced at the learner's interval. The interval must keep the
/// skew within `max_skew` and must not be more than 0.1% shorter than needed.
pub fn grade_resync_interval(c: &mut Checker, f: fn(f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 4);
    let mut cases = vec![(200.0, 0.1), (20.0, 0.001)];
    cases.extend((0..10).map(|_| (rng.random_range(5.0..200.0), rng.random_range(0.001..0.5))));
    for (max_ppm, max_skew) in cases {
        let input = format!("max_ppm = {}, max_skew = {} s", fmt_num(max_ppm), fmt_num(max_skew));
        let got = c.call(&input, || f(max_ppm, max_skew))?;
        let best = max_skew / (2.0 * max_ppm * 1e-6);
        let shown = format!("{} s", fmt_num(best));
        if !(got > 0.0 && got.is_finite() && got <= 100.0 * best) {
            c.close(&input, got, best, Tol::rel(1e-3))?;
            continue;
        }
        let worst = worst_skew_with_resync(max_ppm, -max_ppm, got, 3).map_err(sim_failed)?;
        let inner = rng.random_range(-max_ppm..max_ppm);
        let random_pair =
            worst_skew_with_resync(inner, -inner * rng.random_range(0.0..1.0), got, 3).map_err(sim_failed)?;
        let skew = worst.max(random_pair);
        if skew > max_skew * (1.0 + 1e-6) {
            return Err(Verdict::fail(&input, shown, format!("{} s", fmt_num(got))).because(format!(
                "two clocks at +{0} and −{0} ppm reached a skew of {1} s before the next sync, over the {2} s bound",
                fmt_num(max_ppm),
                fmt_num(skew),
                fmt_num(max_skew)
            )));
        }
        if skew < max_skew * (1.0 - 1e-3) {
            return Err(
                Verdict::fail(&input, shown, format!("{} s", fmt_num(got))).because(format!(
                    "the worst skew was only {} s of the {} s allowed: this syncs more often than needed",
                    fmt_num(skew),
                    fmt_num(max_skew)
                )),
            );
        }
        c.pass();
    }
    Ok(())
}

/// Grades task 5 against the true duration of each operation.
pub fn grade_elapsed(c: &mut Checker, f: fn(Reading, Reading) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 5);
    let mut cases = vec![
        ElapsedCase {
            ppm: 40.0,
            temp_c: 25.0,
            start: HOUR,
            duration: 2.0,
            step: Some((0.5, -1.5)),
        },
        ElapsedCase {
            ppm: -20.0,
            temp_c: 30.0,
            start: 2.0 * HOUR,
            duration: 10.0,
            step: None,
        },
        ElapsedCase {
            ppm: 10.0,
            temp_c: 20.0,
            start: 3.0 * HOUR,
            duration: 0.25,
            step: Some((0.3, 0.8)),
        },
    ];
    cases.extend((0..12).map(|i| ElapsedCase {
        ppm: rng.random_range(-100.0..100.0),
        temp_c: rng.random_range(15.0..35.0),
        start: rng.random_range(0.0..DAY),
        duration: rng.random_range(0.05..120.0),
        step: (i % 4 != 3).then(|| {
            let size: f64 = rng.random_range(0.1..5.0);
            (rng.random_range(0.05..0.95), if i % 2 == 0 { -size } else { size })
        }),
    }));
    for (i, case) in cases.iter().enumerate() {
        let (start, end) = elapsed_readings(case, Seed(seed).child(i as u64).0).map_err(sim_failed)?;
        let step = match case.step {
            Some((_, d)) => format!("NTP stepped the wall clock by {} s in between", fmt_num(d)),
            None => "no step in between".to_string(),
        };
        let input = format!(
            "start = {{ wall: {:.6}, monotonic: {:.6} }}, end = {{ wall: {:.6}, monotonic: {:.6} }} ({step})",
            start.wall, start.monotonic, end.wall, end.monotonic
        );
        let got = c.call(&input, || f(start, end))?;
        c.close(&input, got, case.duration, ELAPSED_TOL)?;
    }
    Ok(())
}
