//! The graders, one per task: each runs the learner's function on the notebook's fixed cases
//! and cases drawn from the seed, against the simulator's records of every message.

use super::replay;
use super::schedule::{Dice, draw_run, in_order};
use super::truth::{cases_rng, messy_arrivals, preview, run_link, sim_failed};
use crate::error::Error;
use crate::grade::{Checker, Tol, Verdict, first_difference, fmt_num, window};
use crate::world::{Fate, LinkConfig};
use rand::Rng;
use std::collections::HashSet;

/// Grades task 1: a burst of messages sent at once; the learner's delay for one of them must
/// match the simulator's delivery time.
pub fn grade_one_way_delay(
    f: fn(u64, f64, f64, u64) -> f64,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 1);
        let mut cases: Vec<(f64, f64, Vec<u64>)> = vec![(1e6, 0.01, vec![1000, 1000, 1000])];
        for _ in 0..10 {
            let bw = 10f64.powf(rng.random_range(4.0..9.0));
            let prop = rng.random_range(0.0..0.1);
            let k = rng.random_range(1..20);
            cases.push((bw, prop, (0..k).map(|_| rng.random_range(40..9000)).collect()));
        }
        for (bw, prop, sizes) in cases {
            let plan: Vec<(f64, u64)> = sizes.iter().map(|&s| (0.0, s)).collect();
            let link = LinkConfig::reliable(prop, bw).map_err(sim_failed)?;
            let (out, _) = run_link(link, plan, vec![], rng.random()).map_err(sim_failed)?;
            let i = rng.random_range(0..sizes.len());
            let queued: u64 = sizes[..i].iter().sum();
            let truth = match out.messages[i].fate {
                Fate::Delivered { at_s } => at_s - out.messages[i].sent_at_s,
                other => {
                    return Err(sim_failed(Error::invalid(
                        "fate",
                        format!("{other:?}"),
                        "not delivered",
                    )));
                }
            };
            let input = format!(
                "size = {} B, bandwidth = {} B/s, propagation = {} s, queued_bytes = {}",
                sizes[i],
                fmt_num(bw),
                fmt_num(prop),
                queued
            );
            let got = c.call(&input, || f(sizes[i], bw, prop, queued))?;
            c.close(&input, got, truth, Tol::new(1e-12, 1e-9))?;
        }
        Ok(())
    }
}

/// Grades task 2 against the simulator's records: the first arrival of each message id is new.
pub fn grade_first_copies(f: fn(&[u64]) -> Vec<bool>, seed: u64) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 2);
        let mut cases: Vec<(Vec<u64>, Vec<bool>)> =
            vec![(vec![0, 2, 1, 2, 3, 0], vec![true, true, true, false, true, false])];
        for _ in 0..8 {
            let n = rng.random_range(20..400);
            let (out, arrivals) = messy_arrivals(&mut rng, n).map_err(sim_failed)?;
            // Truth from the records: order deliveries by time; the earliest of each id is new.
            let mut delivered: Vec<(f64, u64, bool)> = out
                .messages
                .iter()
                .filter_map(|r| match r.fate {
                    Fate::Delivered { at_s } => Some((at_s, r.id, r.duplicate)),
                    _ => None,
                })
                .collect();
            delivered.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut seen = HashSet::new();
            let truth: Vec<bool> = delivered.iter().map(|d| seen.insert(d.1)).collect();
            cases.push((arrivals, truth));
        }
        for (arrivals, truth) in cases {
            let input = format!("arrivals = {}", preview(&arrivals));
            let got = c.call(&input, || f(&arrivals))?;
            if let Some(i) = first_difference(&got, &truth) {
                // Show where the answer parts from the truth, not two whole vectors.
                let input = format!(
                    "{} arrivals; around index {i}: {}",
                    arrivals.len(),
                    window(&arrivals, i)
                );
                let why = if got.len() != arrivals.len() {
                    format!(
                        "one true/false per arrival: {} arrivals, {} answers",
                        arrivals.len(),
                        got.len()
                    )
                } else {
                    let id = arrivals[i];
                    let before = arrivals[..i].iter().filter(|&&x| x == id).count();
                    if before == 0 {
                        format!("arrival {i} is message {id}, its first copy: nothing with that number came before")
                    } else {
                        format!("arrival {i} is message {id}, which had arrived {before} time(s) before: a duplicate")
                    }
                };
                return Err(c.equal_seq(&input, &got, &truth).expect_err("they differ").because(why));
            }
            c.pass();
        }
        Ok(())
    }
}

/// The grader's seeded runs for task 3, drawn from `seed`: each one's link (how many
/// messages, how lossy, duplicating and jittery) and its world seed.
pub(super) fn order_runs(seed: u64) -> Vec<(Dice, u64)> {
    let mut rng = cases_rng(seed, 3);
    (0..8)
        .map(|_| {
            let messages = rng.random_range(20..400);
            let dice = Dice {
                messages,
                loss: rng.random_range(0.0..0.05),
                duplicate: rng.random_range(0.02..0.3),
                jitter_s: rng.random_range(0.0005..0.01),
            };
            (dice, rng.random())
        })
        .collect()
}

/// The first of the grader's seeded runs (from `seed`) on which `deliver` breaks in-order
/// delivery: its schedule, every message's fate written down, and its world seed.
pub fn first_failing(
    deliver: super::schedule::Deliver,
    seed: u64,
) -> crate::error::Result<Option<(super::LinkSchedule, u64)>> {
    for (dice, s) in order_runs(seed) {
        let (schedule, run) = draw_run(dice, deliver, s)?;
        if run.receiver.broke || run.receiver.panicked.is_some() {
            return Ok(Some((schedule, s)));
        }
    }
    Ok(None)
}

/// Grades task 3 inside a receiver: on seeded runs of a lossy, duplicating, reordering link,
/// after every arrival the learner's function gets everything that has arrived, and must
/// return what a receiver that delivers in order hands over: every number before the first one
/// that has not arrived. A failing run is shrunk and shown with its replay code. Then the
/// notebook's fixed case.
pub fn grade_deliver_in_order(
    f: fn(&[u64]) -> Vec<u64>,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let fixed = vec![1, 0, 0, 3, 2, 5];
        let fixed_input = format!("arrivals = {}", preview(&fixed));
        // Called once here first, so that a `todo!()` reads as not attempted before any run.
        let fixed_got = c.call(&fixed_input, || f(&fixed))?;
        for (k, (dice, s)) in order_runs(seed).into_iter().enumerate() {
            let (schedule, run) = draw_run(dice, f, s).map_err(sim_failed)?;
            let r = &run.receiver;
            if let Some(Some(m)) = &r.panicked {
                let input = format!("run {k}: after arrival {}", r.arrivals.len());
                return Err(Verdict::fail(input, "a list of numbers", format!("a panic: {m}")));
            }
            if !r.broke {
                c.pass();
                continue;
            }
            let arrivals: Vec<u64> = r.arrivals.iter().map(|a| a.1).collect();
            let got = r.handed.last().cloned().unwrap_or_default();
            let truth = in_order(&arrivals);
            let i = first_difference(&got, &truth).unwrap_or(0);
            let next = truth.len() as u64; // the first number that has not arrived
            let why = match got.get(i) {
                Some(&g) if i == truth.len() => format!(
                    "your function handed over {g} at position {i}, but message {next} is not among the \
                     arrivals yet (lost, or still on its way): a receiver that delivers in order waits \
                     for it, so nothing after it can be handed over"
                ),
                Some(&g) if !arrivals.contains(&g) => {
                    format!("your function handed over {g} at position {i}, but {g} has not arrived")
                }
                Some(&g) => {
                    format!("position {i} must be message {i}: in order, each exactly once (your function gave {g})")
                }
                None => {
                    let at = arrivals.iter().position(|&x| x == i as u64).unwrap_or(0);
                    format!(
                        "your function stopped after {i} messages, but message {i} has arrived (arrival {at}) \
                         and so had every number before it: hand it over, and whatever waited for it"
                    )
                }
            };
            let input = format!(
                "run {k}: {} messages, loss {}%, duplication {}%; after arrival {}: arrivals = {}; first missing number: {next}",
                dice.messages,
                fmt_num((dice.loss * 1000.0).round() / 10.0),
                fmt_num((dice.duplicate * 1000.0).round() / 10.0),
                arrivals.len() - 1,
                preview(&arrivals)
            );
            let verdict = c.equal_seq(&input, &got, &truth).expect_err("they differ").because(why);
            // The failing run, shrunk, told in a few lines and given a replay code.
            return Err(match replay::shrink_failure(schedule, f, s) {
                Some(r) => verdict.shown_by(r.counterexample),
                None => verdict,
            });
        }
        c.equal_seq(&fixed_input, &fixed_got, &[0, 1, 2, 3])
            .map_err(|v| v.because("0, 1, 2, 3 have all arrived; 4 has not, so 5 waits"))?;
        c.pass();
        Ok(())
    }
}

/// Grades task 4 on partitions of clusters of 1–15 nodes, every split including even ones: a
/// correct rule never lets both sides act, and lets a majority side act.
pub fn grade_may_act(f: fn(usize, usize) -> bool, seed: u64) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 4);
        let mut clusters: Vec<usize> = vec![3, 4, 5, 6];
        clusters.extend((0..6).map(|_| rng.random_range(1..16)));
        for n in clusters {
            for side in 0..=n {
                let input = format!("side = {side} of cluster = {n} (the other side: {})", n - side);
                let got = c.call(&input, || f(side, n))?;
                let other = c.call(&input, || f(n - side, n))?;
                if got && other {
                    return Err(Verdict::fail(&input, "at most one side acts", "both sides act")
                        .because("two leaders, two sets of accepted writes: split brain"));
                }
                c.equal(&input, got, 2 * side > n)?;
            }
        }
        Ok(())
    }
}
