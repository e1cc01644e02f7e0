//! The graders, one per task: each runs the learner's function on exhaustive small cases,
//! cases drawn from the seed, and runs of the generals over every traitor placement.

use std::rc::Rc;

use rand::Rng;
use rand::seq::IndexedRandom;

use super::truth::{self, cases_rng, show, sim_failed};
use crate::byzantine::search::{Algorithm, placements, search};
use crate::byzantine::strategy::{self, Honest, Strategy};
use crate::byzantine::{Generals, Order};
use crate::grade::{Checker, Panicked, Verdict, attempt};
use crate::sim::Seed;

/// Every list of orders of length 0..=max_len.
fn all_lists(max_len: usize) -> Vec<Vec<Order>> {
    let mut out = Vec::new();
    for len in 0..=max_len {
        for bits in 0u32..1 << len {
            out.push(
                (0..len)
                    .map(|i| {
                        if bits >> i & 1 == 1 {
                            Order::Attack
                        } else {
                            Order::Retreat
                        }
                    })
                    .collect(),
            );
        }
    }
    out
}

/// Grades task 1 on every list of up to 6 orders and on seeded longer ones, then runs OM(2)
/// with seven generals and two traitors using the learner's vote.
pub fn grade_majority(c: &mut Checker, f: fn(&[Order]) -> Order, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 1);
    let mut cases = all_lists(6);
    for _ in 0..20 {
        let len = rng.random_range(7..40);
        let p = rng.random_range(0.2..0.8);
        cases.push(
            (0..len)
                .map(|_| {
                    if rng.random_bool(p) {
                        Order::Attack
                    } else {
                        Order::Retreat
                    }
                })
                .collect(),
        );
    }
    for v in cases {
        let input = format!("values = {}", show(&v));
        let got = c.call(&input, || f(&v))?;
        let expected = truth::majority(&v);
        if got != expected {
            let a = v.iter().filter(|&&o| o == Order::Attack).count();
            return Err(
                Verdict::fail(&input, format!("{expected:?}"), format!("{got:?}")).because(format!(
                    "{a} Attack and {} Retreat of {}: an order wins only with more than half",
                    v.len() - a,
                    v.len()
                )),
            );
        }
        c.pass();
    }
    let all = strategy::standard(7);
    let traitors = placements(7, 2);
    for k in 0..3 {
        let place = traitors.choose(&mut rng).expect("placements");
        let s = all.choose(&mut rng).expect("strategies").clone();
        let g = Generals::new(7, 2)
            .and_then(|g| g.traitors(place))
            .map_err(sim_failed)?
            .with_vote(f);
        let input = format!("OM(2), 7 generals, traitors {place:?} ({}), your vote", s.name());
        let run = c
            .call(&input, || g.run_oral(s, Seed(seed).child(k).0))?
            .map_err(sim_failed)?;
        c.ensure(
            run.agreed(),
            &input,
            "IC1 and IC2 kept",
            format!("decisions {:?}", run.decisions),
        )?;
    }
    Ok(())
}

/// Seeded OM(1) runs the grader samples (5 to 10 generals, a built-in strategy).
pub const SAMPLED_RUNS: usize = 30;

/// Grades task 2 inside OM(1) runs of the world, the learner's rule deciding inside every loyal
/// lieutenant: first [`SAMPLED_RUNS`] seeded runs (a run that breaks IC1 or IC2 is shrunk and
/// shown), then every case of 4 and 5 generals in order of size (the first failure is a
/// smallest one), then the decisions compared with OM(1)'s vote in runs of n = 3, 4, 5 and one
/// from the seed, no traitor or one at every place, both orders, every built-in strategy. With
/// 3 generals even OM(1)'s vote breaks IC1 or IC2 (the chapter's lesson): there the rule must
/// decide as OM(1)'s vote does, but a broken condition is not held against it.
pub fn grade_om1_decide(c: &mut Checker, f: fn(Order, &[Order]) -> Order, seed: u64) -> Result<(), Verdict> {
    use super::replay::{self, Om1Failure};
    // Called once here first, so that a `todo!()` reads as not attempted (another panic is left
    // to the runs below, which report it on the smallest run where it happens).
    if attempt(|| f(Order::Attack, &[Order::Attack, Order::Attack])) == Err(Panicked::Todo) {
        return Err(Verdict::not_attempted());
    }
    for (k, (g, s, run_seed)) in replay::sampled(seed, SAMPLED_RUNS).into_iter().enumerate() {
        let traitor = match g.traitors.first() {
            None => "no traitor".to_string(),
            Some(0) => format!("the commander a traitor ({})", s.name()),
            Some(t) => format!("lieutenant {t} a traitor ({})", s.name()),
        };
        let input = format!(
            "sampled OM(1) run {} of {SAMPLED_RUNS}: {} generals, {traitor}, the commander orders {:?} (run seed {run_seed})",
            k + 1,
            g.n,
            g.order
        );
        let (start, from) = replay::as_schedule(&g, s, run_seed).map_err(sim_failed)?;
        let first = replay::replay_run(&start, f, run_seed).map_err(|_| Verdict::not_attempted())?;
        let Some(failure) = first.failure else {
            c.pass();
            continue;
        };
        let got = match &failure {
            Om1Failure::Panicked(m) => format!("a panic: {m}"),
            Om1Failure::Ic1 => "loyal lieutenants disagree (IC1 broke)".to_string(),
            Om1Failure::Ic2 => "a loyal lieutenant disobeyed its loyal commander (IC2 broke)".to_string(),
        };
        let why = match &failure {
            Om1Failure::Ic1 => "IC1: the loyal lieutenants must all decide the same order, whoever lies",
            Om1Failure::Ic2 => "IC2: when the commander is loyal, every loyal lieutenant must decide its order",
            Om1Failure::Panicked(_) => "your om1_decide panicked inside a lieutenant: IC1 and IC2 need a decision",
        };
        let v = Verdict::fail(input, "IC1 and IC2 kept", got).because(why);
        return Err(
            match replay::shrink_failure(start, from, f, run_seed, crate::shrink::Budget::default()) {
                Some(r) => v.shown_by(r.counterexample),
                None => v,
            },
        );
    }
    match replay::exhaustive_failure(f, replay::EXHAUSTIVE) {
        Ok(Some((input, got, cx, _))) => {
            return Err(Verdict::fail(input, "IC1 and IC2 kept in every case", got)
                .because("OM(1) keeps both conditions from 4 generals on: your rule must too")
                .shown_by(cx));
        }
        Ok(None) => c.pass(),
        Err(_) => return Err(Verdict::not_attempted()),
    }
    let mut rng = cases_rng(seed, 2);
    let mut k = 0;
    for n in [3, 4, 5, rng.random_range(6..=8)] {
        let mut settings: Vec<(Vec<usize>, Rc<dyn Strategy>)> = vec![(vec![], Rc::new(Honest))];
        for t in 0..n {
            for s in strategy::standard(n) {
                settings.push((vec![t], s));
            }
        }
        for (traitors, s) in settings {
            for order in [Order::Attack, Order::Retreat] {
                let g = Generals::new(n, 1)
                    .and_then(|g| g.order(order).traitors(&traitors))
                    .map_err(sim_failed)?;
                let name = s.name();
                let run = g.run_oral(s.clone(), Seed(seed).child(k).0).map_err(sim_failed)?;
                k += 1;
                let mut yours = Vec::new();
                let mut wrong = None;
                for i in run.loyal_lieutenants() {
                    let said = run.heard(i, &[0]).unwrap_or(Order::DEFAULT);
                    let relayed: Vec<Order> = (1..n)
                        .filter(|&j| j != i)
                        .map(|j| run.heard(i, &[0, j]).unwrap_or(Order::DEFAULT))
                        .collect();
                    let input = format!(
                        "n = {n}, traitors {traitors:?} ({name}), commander ordered {order:?}; lieutenant {i} heard commander_said = {said:?}, relayed = {}",
                        show(&relayed)
                    );
                    let got = c.call(&input, || f(said, &relayed))?;
                    let expected = truth::om1_decide(said, &relayed);
                    yours.push((i, got));
                    if got != expected && wrong.is_none() {
                        wrong = Some(Verdict::fail(&input, format!("{expected:?}"), format!("{got:?}")));
                    }
                    c.pass();
                }
                if let Some(v) = wrong {
                    let split = yours.windows(2).any(|w| w[0].1 != w[1].1);
                    let disobeyed = !traitors.contains(&0) && yours.iter().any(|&(_, d)| d != order);
                    let what = match (split, disobeyed) {
                        _ if n == 3 => {
                            "with 3 generals even OM(1)'s vote cannot keep IC1 and IC2 (the chapter's lesson, not held against you), but your rule is not OM(1)'s vote"
                        }
                        (true, _) => "IC1 broken: loyal lieutenants disagree",
                        (false, true) => "IC2 broken: a loyal commander was disobeyed",
                        (false, false) => "the conditions held this time, but the rule is not OM(1)'s vote",
                    };
                    return Err(v.because(format!(
                        "with your rule the loyal lieutenants decided {yours:?}: {what}"
                    )));
                }
            }
        }
    }
    Ok(())
}

/// Grades task 3 for f = 1..=6 and seeded larger f, oral and signed; a wrong answer for one
/// traitor is shown with a search over every placement.
pub fn grade_min_generals(c: &mut Checker, f: fn(usize, bool) -> usize, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 3);
    let mut cases: Vec<usize> = (1..=6).collect();
    cases.extend((0..6).map(|_| rng.random_range(7..=300)));
    for traitors in cases {
        for signed in [false, true] {
            let input = format!("traitors = {traitors}, signed = {signed}");
            let got = c.call(&input, || f(traitors, signed))?;
            let expected = truth::min_generals(traitors, signed);
            if got != expected {
                let v = Verdict::fail(&input, expected.to_string(), got.to_string());
                return Err(match min_generals_note(traitors, signed, got, expected, seed) {
                    Some(note) => v.because(note),
                    None => v,
                });
            }
            c.pass();
        }
    }
    Ok(())
}

fn min_generals_note(t: usize, signed: bool, got: usize, expected: usize, seed: u64) -> Option<String> {
    let (alg, name) = if signed {
        (Algorithm::Signed, "SM")
    } else {
        (Algorithm::Oral, "OM")
    };
    if got < expected && (2..=7).contains(&got) && t < got {
        let out = search(alg, got, t, t, seed).ok()?;
        let why = if out.broken > 0 {
            format!(
                "{name}({t}) with {got} generals broke IC1 or IC2 in {} of {} runs",
                out.broken, out.runs
            )
        } else {
            format!("with {got} generals fewer than two loyal generals may be left to agree")
        };
        return Some(why);
    }
    if got < expected {
        return Some("too few: the traitors can outvote or outnumber the loyal generals".into());
    }
    if expected <= 7 {
        let out = search(alg, expected, t, t, seed).ok()?;
        return Some(format!(
            "{name}({t}) with {expected} generals already kept IC1 and IC2 in all {} runs over every placement",
            out.runs
        ));
    }
    Some("more than needed".into())
}

/// Grades task 4 on every (n, q) with n ≤ 10 (the smallest intersection found by enumerating
/// quorums) and seeded large systems.
pub fn grade_quorum_overlap(c: &mut Checker, f: fn(usize, usize) -> usize, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 4);
    let mut cases: Vec<(usize, usize)> = (1..=10).flat_map(|n| (1..=n).map(move |q| (n, q))).collect();
    for _ in 0..12 {
        let n = rng.random_range(11..=1000);
        cases.push((n, rng.random_range(1..=n)));
    }
    for (n, q) in cases {
        let input = format!("n = {n}, q = {q}");
        let got = c.call(&input, || f(n, q))?;
        let expected = truth::quorum_overlap(n, q);
        if got != expected {
            let note = format!(
                "the quorums {{0..{}}} and {{{}..{}}} share {expected} node(s)",
                q - 1,
                n - q,
                n - 1
            );
            return Err(Verdict::fail(&input, expected.to_string(), got.to_string()).because(note));
        }
        c.pass();
    }
    Ok(())
}
