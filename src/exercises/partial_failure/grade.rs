//! The graders, one per task: each runs the learner's function on the notebook's fixed cases
//! and cases drawn from the seed, against the simulator.

use super::replay::{self, Apply};
use super::schedule::{BankSchedule, draw_run};
use super::story::bank_violation;
use super::truth::{
    Schedule, State, cases_rng, directional_run, random_schedule, run_op, sim_failed, solution_backoff,
};
use super::{Ledger, Op, Receipt, Transfer};
use crate::grade::{Checker, Tol, Verdict, fmt_num};
use rand::Rng;

/// Grades task 1 against the rule `u · min(cap, base · 2^attempt)`, on the notebook's cases, on
/// edges (attempts where an integer power overflows or an `i32` cast wraps, a base above the
/// cap, u = 0) and on cases drawn from the seed.
pub fn grade_backoff(f: fn(u32, f64, f64, f64) -> f64, seed: u64) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 1);
        let mut cases = vec![(0, 0.1, 10.0, 0.5), (3, 0.1, 10.0, 0.999), (10, 0.1, 10.0, 0.25)];
        cases.extend((0..12).map(|_| {
            (
                rng.random_range(0..16u32),
                rng.random_range(0.001..1.0),
                rng.random_range(1.0..60.0),
                rng.random::<f64>(),
            )
        }));
        // Edges: a shift or integer power overflows from attempt 31, 32 or 64, 2^1100 overflows
        // an f64 to ∞, `as i32` wraps from 2³¹; a base above the cap; no jitter at all (u = 0).
        let big = rng.random_range(1u32 << 31..=u32::MAX);
        cases.extend([
            (31, 0.05, 2.0, 0.5),
            (32, 0.05, 2.0, 0.75),
            (64, 0.1, 30.0, 0.5),
            (1100, 0.1, 30.0, 0.9),
            (
                big,
                rng.random_range(0.001..1.0),
                rng.random_range(1.0..60.0),
                rng.random::<f64>(),
            ),
            (u32::MAX, 0.2, 30.0, 0.75),
            (0, 5.0, 2.0, 0.5),
            (
                rng.random_range(0..8u32),
                rng.random_range(2.0..10.0),
                rng.random_range(0.5..2.0),
                rng.random::<f64>(),
            ),
            (5, 0.1, 10.0, 0.0),
        ]);
        for (attempt, base, cap, u) in cases {
            let input = format!(
                "attempt = {attempt}, base = {} s, cap = {} s, u = {}",
                fmt_num(base),
                fmt_num(cap),
                fmt_num(u)
            );
            let got = c.call(&input, || f(attempt, base, cap, u))?;
            let truth = solution_backoff(attempt, base, cap, u);
            c.close(&input, got, truth, Tol::new(1e-12, 1e-12))?;
        }
        Ok(())
    }
}

/// Grades task 2 by running each operation once and twice on random states: safe means the
/// same state either way, on every state tried.
pub fn grade_safe_to_retry(f: fn(Op) -> bool, seed: u64) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 2);
        let mut v = || rng.random_range(1..1000i64);
        let ops = [
            Op::Read,
            Op::Set(v()),
            Op::Deposit(v()),
            Op::Append(v()),
            Op::RaiseTo(v()),
            Op::DepositOnce { key: 7, amount: v() },
            Op::PopLog,
            Op::ClearLog,
            // Values decide too: a deposit of 0 changes nothing, an append of 0 still appends.
            Op::Deposit(0),
            Op::Append(0),
        ];
        let mut states = vec![State::default()];
        for _ in 0..5 {
            let mut s = State::default();
            for _ in 0..rng.random_range(0..5) {
                s.log.push(rng.random_range(0..100));
            }
            s.balance = rng.random_range(-500..500);
            if rng.random_bool(0.5) {
                s.keys.insert(7);
            }
            states.push(s);
        }
        for op in ops {
            let input = format!("{op:?}");
            let got = c.call(&input, || f(op))?;
            let safe = states.iter().all(|s0| {
                let mut once = s0.clone();
                run_op(&mut once, op);
                let mut twice = once.clone();
                run_op(&mut twice, op);
                once == twice
            });
            c.equal(&input, got, safe)?;
        }
        Ok(())
    }
}

/// Grades task 3 against the simulator: many transfers through a lossy link to a server that
/// applies every request it receives, no duplication. The mean number of applications per
/// transfer must be within 4.5 standard errors of the learner's value (its variance known:
/// applications are geometric).
pub fn grade_expected_applications(
    f: fn(f64, f64) -> f64,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 3);
        // The notebook's cases, then no loss at all (exactly once) and a reply lost nine times in
        // ten (ten applications on average: the tail of the series matters).
        let mut cases = vec![(0.3, 0.3), (0.0, 0.5), (0.5, 0.2), (0.0, 0.0), (0.2, 0.9)];
        cases.extend((0..3).map(|_| {
            let p: f64 = rng.random_range(0.0..0.5);
            let q = (p + rng.random_range(0.15..0.4)) % 0.6 + 0.1;
            (p, q)
        }));
        for (p, q) in cases {
            let input = format!("p_request = {}, p_reply = {}", fmt_num(p), fmt_num(q));
            let got = c.call(&input, || f(p, q))?;
            let n = 3000usize;
            let schedule = Schedule {
                loss: 0.0,
                duplicate: 0.0,
                jitter: 1e-6,
                faults: vec![],
            };
            let transfers: Vec<Transfer> = (0..n as u64).map(|k| Transfer { key: k, amount: 1 }).collect();
            let applications = directional_run(&schedule, transfers, p, q, rng.random()).map_err(sim_failed)?;
            let mean = applications.iter().sum::<f64>() / n as f64;
            let truth_sd = q.sqrt() / (1.0 - q);
            let se = truth_sd / (n as f64).sqrt();
            if !got.is_finite() || (got - mean).abs() > 4.5 * se + 1e-12 {
                return Err(Verdict::fail(
                    &input,
                    format!(
                        "about {} (simulated mean over {n} transfers, ± {})",
                        fmt_num(mean),
                        fmt_num(4.5 * se)
                    ),
                    fmt_num(got),
                ));
            }
            c.pass();
        }
        Ok(())
    }
}
/// One seeded bank run of task 4: its dice (loss, duplication, jitter, the server's faults),
/// its transfers (key, amount) and its world seed.
type BankCase = (Schedule, Vec<(u64, i64)>, u64);

/// The grader's seeded bank runs for task 4, drawn from `seed`.
pub(super) fn bank_cases(seed: u64) -> Vec<BankCase> {
    let mut rng = cases_rng(seed, 4);
    (0..20u64)
        .map(|case| {
            let dice = random_schedule(&mut rng);
            let transfers = (0..30)
                .map(|k| (1000 * case + k, rng.random_range(-5000..10_000)))
                .collect();
            (dice, transfers, rng.random())
        })
        .collect()
}

/// The first of the grader's seeded runs (from `seed`) on which `apply` breaks a property: its
/// schedule, every message's fate written down, and its world seed.
pub fn first_failing(apply: Apply, seed: u64) -> crate::error::Result<Option<(BankSchedule, u64)>> {
    for (dice, transfers, s) in bank_cases(seed) {
        let (schedule, run) = draw_run(&dice, &transfers, apply, s)?;
        if bank_violation(&run, &schedule).is_some() {
            return Ok(Some((schedule, s)));
        }
    }
    Ok(None)
}

/// Grades task 4 over seeded fault schedules (loss, duplication, reordering, server pauses and
/// a crash with recovery), each drawn message by message so that it can be replayed: every
/// transfer must be applied exactly once, every receipt must carry its transfer's key and the
/// balance right after that transfer was applied, every copy of a key must get the same
/// receipt, and every transfer must be answered. A failing run is shrunk and shown with its
/// replay code.
pub fn grade_apply_transfer(
    f: fn(&mut Ledger, Transfer) -> Receipt,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        // A direct case first: the same transfer twice. When it fails, the report also shows
        // the first seeded run that breaks, shrunk (what the mistake does to a bank).
        let shown = |v: Verdict| {
            let shrunk = crate::grade::attempt(|| first_failing(f, seed))
                .ok()
                .and_then(|found| found.ok().flatten())
                .and_then(|(schedule, s)| replay::shrink_failure(schedule, f, s));
            match shrunk {
                Some(r) => v.shown_by(r.counterexample),
                None => v,
            }
        };
        let mut l = Ledger::default();
        let t = Transfer { key: 1, amount: 500 };
        let input = "apply Transfer { key: 1, amount: 500 } to an empty ledger";
        let first = c.call(input, || f(&mut l, t))?;
        c.equal(
            input,
            first,
            Receipt {
                key: 1,
                balance_after: 500,
            },
        )
        .map_err(|v| {
            shown(v.because("the receipt carries the transfer's key and the balance right after it was applied"))
        })?;
        let again = c.call("the same transfer again", || f(&mut l, t))?;
        c.equal("the same transfer, applied twice: balance", l.balance, 500)
            .map_err(shown)?;
        c.equal("the same transfer, applied twice: second receipt", again, first)
            .map_err(shown)?;
        for (case, (dice, transfers, s)) in bank_cases(seed).into_iter().enumerate() {
            let input = format!(
                "schedule {case}: 30 transfers, loss {}%, duplication {}%, {} fault(s) at the server",
                fmt_num(dice.loss * 100.0),
                fmt_num(dice.duplicate * 100.0),
                dice.faults.len()
            );
            let (schedule, run) = draw_run(&dice, &transfers, f, s).map_err(sim_failed)?;
            let Some(v) = bank_violation(&run, &schedule) else {
                c.pass();
                continue;
            };
            let verdict = replay::verdict(&run, &v, &input, transfers.len());
            // The failing run, shrunk, told in a few lines and given a replay code.
            return Err(match replay::shrink_failure(schedule, f, s) {
                Some(r) => verdict.shown_by(r.counterexample),
                None => verdict,
            });
        }
        Ok(())
    }
}
