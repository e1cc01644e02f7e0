//! The graders, one per task: each runs the learner's function on fixed cases and on cases
//! drawn from the seed, and inside the lease world, against its truth.

use super::replay;
use crate::error::Error;
use crate::grade::{Checker, Tol, Verdict, fmt_num};
use crate::lease::{self, AppliedWrite, LeaseConfig, LeaseOutcome, LeaseSchedule};
use crate::sim::{Seed, SimRng, stream};
use rand::Rng;

fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Each task draws its cases from its own stream.
fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 800 + task)
}

fn describe(cfg: &LeaseConfig, seed: u64) -> String {
    format!(
        "a lease world: {} clients, {} s leases, pauses up to {} s, clocks within ±{} ppm{}, seed {seed}",
        cfg.clients,
        fmt_num(cfg.lease_s),
        fmt_num(cfg.max_pause_s),
        fmt_num(cfg.drift_ppm),
        if cfg.slowest_clocks { " (all slow)" } else { "" }
    )
}

/// The lease worlds task 1 runs the learner's rule in, drawn from `seed`: each world's
/// settings and its own seed (its clocks and pauses).
pub fn fencing_worlds(seed: u64) -> Vec<(LeaseConfig, u64)> {
    let mut rng = cases_rng(seed, 1);
    (0..6)
        .map(|k| {
            let cfg = LeaseConfig {
                clients: rng.random_range(2..=4),
                lease_s: rng.random_range(5.0..20.0),
                ..Default::default()
            };
            (cfg, Seed(seed).child(k).0)
        })
        .collect()
}

/// Grades task 1: the learner's rule runs inside the storage of lease worlds with pauses (it
/// must accept no stale write and reject no write whose writer held the lease; a failing run
/// is shrunk and shown with its replay code), then fixed cases.
pub fn grade_fencing_accepts(c: &mut Checker, f: fn(u64, u64) -> bool, seed: u64) -> Result<(), Verdict> {
    // Called once here first, so that a `todo!()` reads as not attempted before any world runs;
    // the worlds come before the fixed cases, so a wrong rule is shown by a (shrunk) run.
    c.call("token = 1, highest_seen = 0", || f(1, 0))?;
    // Every placement of up to two pauses in a small world, breadth-first: a run with the fewest
    // pauses that breaks a property, before the seeded worlds (whose shrunk runs can only be
    // as small, or larger).
    if let Some((input, got, cx)) = c.call("the exhaustive check", || super::exhaustive::exhaustive_failure(f))? {
        let why = match cx.property.as_str() {
            "no stale write accepted" => {
                "a write under an older token landed after a newer holder had written: it overwrote newer data"
            }
            "no write rejected while its writer held the lease" => {
                "a holder writes several times under one lease, with the same token"
            }
            _ => "the storage calls your rule on every write it receives",
        };
        return Err(
            Verdict::fail(input, "no stale write accepted and no holder's write rejected", got)
                .because(why)
                .shown_by(cx),
        );
    }
    for (cfg, s) in fencing_worlds(seed) {
        let input = describe(&cfg, s);
        // A failing run is shrunk, told in a few lines and given a replay code.
        let shown = |v: Verdict| match replay::shrink_failure(LeaseSchedule::draw(&cfg, 0.0, s), f, s) {
            Some(r) => v.shown_by(r.counterexample),
            None => v,
        };
        let out = c
            .call(&input, || lease::run(&cfg, f, 0.0, s))
            .map_err(shown)?
            .map_err(sim_failed)?;
        let stale = out.stale_accepted();
        c.ensure(
            stale == 0,
            &input,
            "no stale write accepted",
            format!("{stale} accepted"),
        )
        .map_err(|v| {
            shown(v.because(
                "a write under an older token landed after a newer holder had written: it overwrote newer data",
            ))
        })?;
        let rejected = out.valid_rejected();
        c.ensure(
            rejected == 0,
            &input,
            "no write rejected while its writer held the lease",
            format!("{rejected} rejected"),
        )
        .map_err(|v| shown(v.because("a holder writes several times under one lease, with the same token")))?;
    }
    for (token, highest, expected) in [(1, 0, true), (5, 3, true), (3, 5, false), (4, 4, true), (7, 8, false)] {
        let input = format!("token = {token}, highest_seen = {highest}");
        let got = c.call(&input, || f(token, highest))?;
        c.equal(&input, got, expected)?;
    }
    Ok(())
}

/// Grades task 2: the formula, and in a world of slow clocks, the client's belief must end no
/// later (in true time) than the lease at the lock service.
pub fn grade_latest_safe_local_time(c: &mut Checker, f: fn(f64, f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 2);
    let mut cases = vec![(100.0, 10.0, 200.0), (0.0, 60.0, 100.0), (5.0, 30.0, 0.0)];
    for _ in 0..8 {
        cases.push((
            rng.random_range(0.0..1000.0),
            rng.random_range(5.0..120.0),
            rng.random_range(20.0..500.0),
        ));
    }
    for (k, (grant, lease_s, ppm)) in cases.into_iter().enumerate() {
        let input = format!(
            "grant_local_s = {}, lease_s = {}, drift_ppm = {}",
            fmt_num(grant),
            fmt_num(lease_s),
            fmt_num(ppm)
        );
        let got = c.call(&input, || f(grant, lease_s, ppm))?;
        let expected = lease::latest_safe_local_time(grant, lease_s, ppm);
        let cfg = LeaseConfig {
            clients: 2,
            lease_s,
            max_pause_s: 0.0,
            drift_ppm: ppm,
            slowest_clocks: true,
            link_delay_s: 0.0,
            until_s: 6.0 * lease_s,
            ..Default::default()
        };
        let margin = grant + lease_s - got;
        if margin.is_finite() && got > grant {
            let out =
                lease::run(&cfg, lease::fencing_accepts, margin, Seed(seed).child(k as u64).0).map_err(sim_failed)?;
            let worst = out
                .belief_overrun_s()
                .iter()
                .map(|(_, l)| *l)
                .fold(f64::NEG_INFINITY, f64::max);
            if worst > 1e-5 {
                return Err(Verdict::fail(&input, fmt_num(expected), fmt_num(got)).because(format!(
                    "on a clock {} ppm slow the client still believed it held the lease {} ms after it ended",
                    fmt_num(ppm),
                    fmt_num(worst * 1e3)
                )));
            }
        }
        c.close(&input, got, expected, Tol::abs(1e-6))?;
    }
    Ok(())
}

/// Grades task 3: the formula, and in a world of slow clocks and pauses between check and write,
/// clients stopping that early must never have a write land after their lease.
pub fn grade_lease_margin(c: &mut Checker, f: fn(f64, f64, f64) -> f64, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 3);
    let mut cases = vec![(0.0, 200.0, 10.0), (3.0, 0.0, 10.0), (5.0, 200.0, 30.0)];
    for _ in 0..8 {
        let lease_s = rng.random_range(10.0..60.0);
        cases.push((
            rng.random_range(0.5..0.5 * lease_s),
            rng.random_range(20.0..500.0),
            lease_s,
        ));
    }
    for (k, (pause, ppm, lease_s)) in cases.into_iter().enumerate() {
        let input = format!(
            "pause_s = {}, drift_ppm = {}, lease_s = {}",
            fmt_num(pause),
            fmt_num(ppm),
            fmt_num(lease_s)
        );
        let got = c.call(&input, || f(pause, ppm, lease_s))?;
        let expected = lease::lease_margin(pause, ppm, lease_s);
        if got.is_finite() {
            let cfg = LeaseConfig {
                clients: 3,
                lease_s,
                max_pause_s: pause,
                pauses_per_client: 6,
                drift_ppm: ppm,
                slowest_clocks: true,
                write_gap_s: lease_s / 5.0,
                until_s: 30.0 * lease_s,
                ..Default::default()
            };
            let out = lease::run(&cfg, |_, _| true, got, Seed(seed).child(k as u64).0).map_err(sim_failed)?;
            let late = out.late_accepted();
            if late > 0 {
                return Err(Verdict::fail(&input, fmt_num(expected), fmt_num(got)).because(format!(
                    "in {}, {late} writes landed after their lease had ended",
                    describe(&cfg, seed)
                )));
            }
        }
        c.close(&input, got, expected, Tol::abs(1e-6))?;
    }
    Ok(())
}

fn show_writes(ws: &[AppliedWrite]) -> String {
    let shown: Vec<String> = ws
        .iter()
        .take(6)
        .map(|w| {
            format!(
                "(token {}, {})",
                w.token,
                if w.accepted { "accepted" } else { "rejected" }
            )
        })
        .collect();
    let more = if ws.len() > 6 {
        format!(", … ({} in all)", ws.len())
    } else {
        String::new()
    };
    format!("writes = [{}{more}]", shown.join(", "))
}

/// Grades task 4 on small logs and on the storage logs of lease worlds with and without
/// fencing.
pub fn grade_stale_writes(c: &mut Checker, f: fn(&[AppliedWrite]) -> Vec<usize>, seed: u64) -> Result<(), Verdict> {
    let w = |token, accepted| AppliedWrite {
        client: 2,
        token,
        at_s: 0.0,
        accepted,
    };
    let mut cases: Vec<Vec<AppliedWrite>> = vec![
        vec![w(1, true), w(1, true), w(2, true)],
        vec![w(1, true), w(2, true), w(1, true), w(3, true), w(2, true)],
        vec![w(1, true), w(3, true), w(2, false), w(3, true)],
        vec![],
        vec![w(2, true), w(3, false), w(2, true)],
    ];
    let mut rng = cases_rng(seed, 4);
    for k in 0..8 {
        let cfg = LeaseConfig {
            clients: rng.random_range(2..=4),
            until_s: 120.0,
            ..Default::default()
        };
        let accepts: fn(u64, u64) -> bool = if k % 2 == 0 {
            |_, _| true
        } else {
            lease::fencing_accepts
        };
        let out: LeaseOutcome = lease::run(&cfg, accepts, 0.0, Seed(seed).child(k).0).map_err(sim_failed)?;
        cases.push(out.writes);
    }
    for ws in cases {
        let input = show_writes(&ws);
        let got = c.call(&input, || f(&ws))?;
        c.equal(&input, got, lease::stale_writes(&ws))?;
    }
    Ok(())
}
