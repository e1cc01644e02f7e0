//! The graders, one per task: each runs the learner's function on the notebook's fixed cases
//! and cases drawn from the seed, against the simulator.

use super::truth::{
    STAMP_TOL, cases_rng, check_close_to_true, exchanges, intervals_input, plain_osc, run_adjustment, sim_failed,
    stamps_input, window_input,
};
use super::{EPOCH_START, IntersectFn, Interval};
use crate::clock::Temperature;
use crate::error::Result;
use crate::grade::{Checker, Verdict, fmt_num};
use crate::ntp::sim::{NtpConfig, PathConfig, ServerConfig, client_clock, exchange, run};
use crate::ntp::sntp::{ERA, NTP_UNIX_OFFSET, unix_to_ntp};
use crate::ntp::{Adjustment, Sample, Timestamps, clock_filter, intersect};
use crate::sim::Seed;
use rand::Rng;

/// Grades task 6: timestamps the simulator encoded from known Unix times, on both sides of
/// the 2036 era wrap.
pub fn grade_ntp_to_unix(c: &mut Checker, f: fn(u64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 1);
    let era1 = ERA - NTP_UNIX_OFFSET as f64; // 2036-02-07T06:28:16Z
    let mut cases = vec![
        (EPOCH_START, EPOCH_START),
        (EPOCH_START + 0.25, EPOCH_START - 3600.0),
        (0.0, 0.0),
        (era1 - 0.5, era1 - 100.0),
        (era1 + 1.75, era1 - 10.0),
        (era1 + 12.125, era1 + 86_400.0),
    ];
    let year = 365.25 * 86_400.0;
    cases.extend((0..12).map(|i| {
        let unix = if i % 2 == 0 {
            rng.random_range(era1 - 5.0 * year..era1 + 20.0 * year)
        } else {
            rng.random_range(-2.0e9..4.5e9)
        };
        (unix, unix + rng.random_range(-50.0 * year..50.0 * year))
    }));
    for (unix, pivot) in cases {
        let ntp = unix_to_ntp(unix);
        let input = format!(
            "ntp = {ntp:#018x} (seconds {}, fraction {}), pivot_unix = {pivot:?}",
            ntp >> 32,
            ntp & 0xffff_ffff
        );
        let got = c.call(&input, || f(ntp, pivot))?;
        c.close(&input, got, unix, STAMP_TOL).map_err(|v| {
            if (got - unix).abs() > 1e9 {
                v.because("off by years: check the 1900→1970 offset and the era")
            } else {
                v
            }
        })?;
    }
    Ok(())
}

/// Grades task 1 against the simulator's truth: θ must be the true offset plus half the true
/// asymmetry (outbound minus return delay), which the simulator knows and the client does not.
pub fn grade_offset(c: &mut Checker, f: fn(Timestamps) -> f64, seed: u64) -> Result<(), Verdict> {
    for x in exchanges(seed, 2, 14).map_err(sim_failed)? {
        let input = stamps_input(&x.stamps);
        let got = c.call(&input, || f(x.stamps))?;
        let expected = x.true_offset_s + (x.out_s - x.back_s) / 2.0;
        c.close(&input, got, expected, STAMP_TOL).map_err(|v| {
            v.because(format!(
                "the true offset was {} s, and this path's delays were {} s out and {} s back",
                fmt_num(x.true_offset_s),
                fmt_num(x.out_s),
                fmt_num(x.back_s)
            ))
        })?;
    }
    Ok(())
}

/// Grades task 2 against the true delays: out + back, plus what the client's own clock gained
/// or lost meanwhile.
pub fn grade_delay(c: &mut Checker, f: fn(Timestamps) -> f64, seed: u64) -> Result<(), Verdict> {
    for x in exchanges(seed, 3, 14).map_err(sim_failed)? {
        let input = stamps_input(&x.stamps);
        let got = c.call(&input, || f(x.stamps))?;
        let expected = x.out_s + x.back_s + (x.client_offset_at_t4_s - x.client_offset_at_t1_s);
        c.close(&input, got, expected, STAMP_TOL).map_err(|v| {
            v.because(format!(
                "the packets spent {} s going out and {} s coming back",
                fmt_num(x.out_s),
                fmt_num(x.back_s)
            ))
        })?;
    }
    Ok(())
}

/// Grades task 3 on windows of consecutive samples from one server behind a queueing path.
pub fn grade_clock_filter(c: &mut Checker, f: fn(&[Sample]) -> Sample, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 4);
    let s = |offset, delay| Sample { offset, delay };
    let mut windows = vec![
        vec![s(0.012, 0.040), s(0.001, 0.021), s(-0.0005, 0.025), s(0.009, 0.033)],
        vec![s(0.2, 0.3)],
        vec![s(0.004, 0.018), s(0.030, 0.090), s(0.0002, 0.050)],
        // A tie on the smallest delay: the first (oldest) of the equals.
        vec![
            s(0.003, 0.030),
            s(0.007, 0.0125),
            s(-0.002, 0.040),
            s(0.001, 0.0125),
            s(0.05, 0.08),
        ],
    ];
    // Windows of consecutive samples, one poll a minute, from a world run per window: a client
    // up to 50 ppm and 0.2 s off, measuring only, behind a path that queues.
    let seeds = Seed(seed).child(604);
    for k in 0..10 {
        let server = ServerConfig {
            path: PathConfig {
                out_s: rng.random_range(0.001..0.02),
                back_s: rng.random_range(0.001..0.02),
                jitter_s: rng.random_range(0.005..0.05),
            },
            ..Default::default()
        };
        let polls = rng.random_range(2..=8);
        let cfg = NtpConfig {
            oscillator: plain_osc(rng.random_range(-50.0..50.0)),
            temperature: Temperature::Constant(25.0),
            initial_offset_s: rng.random_range(-0.2..0.2),
            poll_interval_s: 64.0,
            filter_size: 1,
            discipline: None,
            duration_s: 64.0 * polls as f64,
            ..Default::default()
        };
        let outcome = run(&cfg, &[server], seeds.child(k).0).map_err(sim_failed)?;
        windows.push(outcome.samples.iter().map(|x| x.sample()).collect());
    }
    for w in windows {
        let input = window_input(&w);
        let got = c.call(&input, || f(&w))?;
        let best = clock_filter(&w).expect("windows are not empty");
        c.ensure(
            got == best,
            &input,
            format!("(θ {}, δ {})", fmt_num(best.offset), fmt_num(best.delay)),
            format!("(θ {}, δ {})", fmt_num(got.offset), fmt_num(got.delay)),
        )?;
    }
    Ok(())
}

/// Grades task 4 on correctness intervals measured by the simulator from honest servers and
/// falsetickers, and on edge cases (touching intervals, no majority).
pub fn grade_intersect(c: &mut Checker, f: IntersectFn, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 5);
    // Intervals, and the true offset when the simulator knows it.
    let mut cases: Vec<(Vec<Interval>, Option<f64>)> = vec![
        (vec![(-0.01, 0.02), (-0.02, 0.01), (0.45, 0.55)], Some(0.0)),
        (vec![(0.0, 1.0), (1.0, 2.0)], None),
        (vec![(0.0, 1.0), (0.5, 1.5), (5.0, 6.0), (5.5, 6.5)], None),
        (vec![(0.3, 0.4)], None),
        (vec![], None),
        (
            vec![(0.0, 2.0), (1.0, 3.0), (1.5, 2.5), (10.0, 11.0), (-9.0, -8.0)],
            None,
        ),
    ];
    for _ in 0..12 {
        let n = rng.random_range(3..=7usize);
        let liars = rng.random_range(0..=(n - 1) / 2);
        let client_offset = rng.random_range(-1.0..1.0);
        let mut intervals = Vec::with_capacity(n);
        for i in 0..n {
            let lie = rng.random_range(0.2..1.0) * if rng.random_bool(0.5) { 1.0 } else { -1.0 };
            let server = ServerConfig {
                offset_s: if i < liars { lie } else { 0.0 },
                ..Default::default()
            };
            let (o, b) = (rng.random_range(0.002..0.06), rng.random_range(0.002..0.06));
            let x = exchange(client_clock(20.0, client_offset), 10.0, &server, o, b, i as u64).map_err(sim_failed)?;
            intervals.push(x.stamps.interval());
        }
        cases.push((intervals, Some(-client_offset)));
    }
    for (intervals, truth) in cases {
        let input = intervals_input(&intervals);
        let got = c.call(&input, || f(&intervals))?;
        let expected = intersect(&intervals).map(|i| (i.low, i.high));
        let same = match (got, expected) {
            (Some(g), Some(e)) => (g.0 - e.0).abs() <= 1e-12 && (g.1 - e.1).abs() <= 1e-12,
            (None, None) => true,
            _ => false,
        };
        let show = |o: Option<(f64, f64)>| match o {
            Some((a, b)) => format!("Some(({}, {}))", fmt_num(a), fmt_num(b)),
            None => "None".to_string(),
        };
        if !same {
            let mut v = Verdict::fail(&input, show(expected), show(got));
            // A falseticker trusted: the answer misses the truth and the majority's interval.
            if let (Some(t), Some((lo, hi)), Some((e_lo, e_hi))) = (truth, got, expected)
                && (t < lo || t > hi)
                && (hi < e_lo || lo > e_hi)
            {
                v = v.because(format!(
                    "the true offset was {}, outside your interval: you trusted a falseticker",
                    fmt_num(t)
                ));
            }
            return Err(v);
        }
        c.pass();
    }
    Ok(())
}

/// Grades task 5 by applying the answer to a simulated clock: afterwards it must read true
/// time, having stepped exactly when |θ| exceeded the threshold and never slewed faster than
/// allowed.
pub fn grade_discipline(c: &mut Checker, f: fn(f64, f64, f64) -> Adjustment, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 6);
    let mut cases = vec![
        (0.5, 0.128, 500.0),
        (-0.003, 0.128, 500.0),
        (0.128, 0.128, 500.0),
        (-0.128, 0.128, 500.0),
        (0.0, 0.128, 500.0),
        (-2.5, 0.128, 500.0),
    ];
    cases.extend((0..12).map(|i| {
        let threshold = rng.random_range(0.01..1.0);
        let size = if i % 2 == 0 {
            rng.random_range(0.0..threshold)
        } else {
            rng.random_range(threshold * 1.01..10.0)
        };
        let sign = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
        (size * sign, threshold, rng.random_range(50.0..1000.0))
    }));
    for (theta, threshold, max_slew) in cases {
        let input = format!(
            "theta = {} s, step_threshold_s = {} s, max_slew_ppm = {}",
            fmt_num(theta),
            fmt_num(threshold),
            fmt_num(max_slew)
        );
        let adj = c.call(&input, || f(theta, threshold, max_slew))?;
        let should_step = theta.abs() > threshold;
        let what = |stepped: bool| if stepped { "a step" } else { "a slew" };
        let (after, stepped) = match run_adjustment(theta, adj, max_slew) {
            Ok(r) => r,
            Err(e) => return Err(Verdict::fail(&input, "a valid adjustment", format!("{adj:?}: {e}"))),
        };
        c.ensure(stepped == should_step, &input, what(should_step), format!("{adj:?}"))
            .map_err(|v| {
                v.because(if should_step {
                    "|θ| exceeds the threshold: slewing it away would take too long"
                } else {
                    "|θ| does not exceed the threshold: a step would make the clock jump"
                })
            })?;
        check_close_to_true(c, &input, after, &adj)?;
        if let Adjustment::Slew { rate_ppm, .. } = adj
            && theta != 0.0
            && (rate_ppm.abs() - max_slew).abs() > 1e-9 * max_slew
        {
            return Err(Verdict::fail(
                &input,
                format!("a slew at {} ppm", fmt_num(max_slew.copysign(theta))),
                format!("{adj:?}"),
            )
            .because("slew at the fastest allowed rate: the clock is off for as short a time as possible"));
        }
    }
    Ok(())
}
