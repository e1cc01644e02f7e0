//! The graders, one per task: each runs the learner's function on the notebook's fixed cases
//! and cases drawn from the seed, against the simulator.

use super::truth::{
    Schedule, State, cases_rng, directional_run, random_schedule, run_bank, run_op, sim_failed, solution_backoff,
};
use super::{Ledger, Op, Receipt, Transfer};
use crate::grade::{Checker, Tol, Verdict, fmt_num};
use rand::Rng;
use std::collections::HashMap;

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
/// Grades task 4 over seeded fault schedules (loss, duplication, reordering, server pauses and
/// a crash with recovery): every transfer must be applied exactly once (the final balance is
/// the sum of the amounts), every receipt must carry its transfer's key and the balance right
/// after that transfer was applied, and every copy of a key must get the same receipt.
pub fn grade_apply_transfer(
    f: fn(&mut Ledger, Transfer) -> Receipt,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 4);
        // A direct case first: the same transfer twice.
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
        .map_err(|v| v.because("the receipt carries the transfer's key and the balance right after it was applied"))?;
        let again = c.call("the same transfer again", || f(&mut l, t))?;
        c.equal("the same transfer, applied twice: balance", l.balance, 500)?;
        c.equal("the same transfer, applied twice: second receipt", again, first)?;
        for case in 0..20 {
            let schedule = random_schedule(&mut rng);
            let transfers: Vec<Transfer> = (0..30)
                .map(|k| Transfer {
                    key: 1000 * case + k,
                    amount: rng.random_range(-5000..10_000),
                })
                .collect();
            let input = format!(
                "schedule {case}: 30 transfers, loss {}%, duplication {}%, {} fault(s) at the server",
                fmt_num(schedule.loss * 100.0),
                fmt_num(schedule.duplicate * 100.0),
                schedule.faults.len()
            );
            let out = c.call(&input, || {
                run_bank(&schedule, transfers.clone(), f, solution_backoff, rng.random())
            })?;
            let out = out.map_err(sim_failed)?;
            // Every call's receipt, in the order the server handled them: the first copy of a
            // key must be answered with the key and the balance it left; later copies with the
            // same receipt (checked below, on what the client heard).
            let mut answered: HashMap<u64, Receipt> = HashMap::new();
            for call in &out.server.calls {
                let (t, r) = (call.transfer, call.receipt);
                let shown = format!("{input}; the server's call for {t:?}");
                if r.key != t.key {
                    return Err(Verdict::fail(&shown, format!("a receipt with key {}", t.key), format!("{r:?}"))
                        .because("the client matches a reply to its request by key: with another key it never learns that the transfer went through"));
                }
                if let Some(r0) = answered.get(&t.key) {
                    if *r0 != r {
                        return Err(Verdict::fail(&shown, format!("{r0:?}, as for the first copy"), format!("{r:?}"))
                            .because("a retry was answered differently from the original: the client cannot tell which is true"));
                    }
                    continue;
                }
                answered.insert(t.key, r);
                if call.balance_after != call.balance_before + t.amount {
                    break; // applied wrongly: the balance check below says how
                }
                if r.balance_after != call.balance_after {
                    return Err(Verdict::fail(
                        &shown,
                        format!("Receipt {{ key: {}, balance_after: {} }}", t.key, call.balance_after),
                        format!("{r:?}"),
                    )
                    .because(format!(
                        "the balance went from {} to {} when this transfer was applied: the receipt must show the balance right after it",
                        call.balance_before, call.balance_after
                    )));
                }
            }
            let want: i64 = transfers.iter().map(|t| t.amount).sum();
            let deliveries: u32 = out.server.deliveries.values().sum();
            if out.server.ledger.balance != want {
                return Err(Verdict::fail(
                    &input,
                    format!("balance {want}"),
                    format!("balance {}", out.server.ledger.balance),
                )
                .because(format!(
                    "the server received {deliveries} requests for 30 transfers (retries and duplicates): \
                         some were applied more than once"
                )));
            }
            let mut first: HashMap<u64, Receipt> = HashMap::new();
            for r in &out.client.replies {
                let f0 = *first.entry(r.key).or_insert(*r);
                if f0 != *r {
                    return Err(
                        Verdict::fail(&input, format!("{f0:?} for every copy"), format!("{r:?}")).because(
                            "a retry was answered differently from the original: the client cannot tell which is true",
                        ),
                    );
                }
            }
            if out.client.done.len() != transfers.len() {
                let missing: Vec<u64> = transfers
                    .iter()
                    .map(|t| t.key)
                    .filter(|k| !out.client.done.contains(k))
                    .take(5)
                    .collect();
                return Err(Verdict::fail(
                    &input,
                    "a reply for each of the 30 transfers within the hour simulated",
                    format!("replies for {} (none for keys {missing:?}…)", out.client.done.len()),
                )
                .because("the client retried these for an hour without hearing a receipt with their key"));
            }
            c.pass();
        }
        Ok(())
    }
}
