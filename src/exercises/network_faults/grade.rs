//! The graders, one per task: each runs the learner's function on the notebook's fixed cases
//! and cases drawn from the seed, against the simulator's records of every message.

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

/// Grades task 3: what a receiver can deliver in order is every message before the first one
/// the network never delivered (the simulator's records say which).
pub fn grade_deliver_in_order(
    f: fn(&[u64]) -> Vec<u64>,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 3);
        let mut cases: Vec<(Vec<u64>, Vec<u64>)> = vec![(vec![1, 0, 0, 3, 2, 5], vec![0, 1, 2, 3])];
        for _ in 0..8 {
            let n = rng.random_range(20..400);
            let (out, arrivals) = messy_arrivals(&mut rng, n).map_err(sim_failed)?;
            let delivered: HashSet<u64> = out
                .messages
                .iter()
                .filter(|r| matches!(r.fate, Fate::Delivered { .. }))
                .map(|r| r.id)
                .collect();
            let first_missing = (0..n).find(|i| !delivered.contains(i)).unwrap_or(n);
            cases.push((arrivals, (0..first_missing).collect()));
        }
        for (arrivals, truth) in cases {
            let input = format!("arrivals = {}", preview(&arrivals));
            let got = c.call(&input, || f(&arrivals))?;
            if let Some(i) = first_difference(&got, &truth) {
                let next = truth.len() as u64; // the first number that never arrived
                let why = match got.get(i) {
                    Some(&g) if i == truth.len() => format!(
                        "your function handed over {g} at position {i}, but message {next} is not among the \
                         arrivals (the network lost it): a receiver that delivers in order waits for it, \
                         so nothing after it can be handed over"
                    ),
                    Some(&g) if !arrivals.contains(&g) => {
                        format!("your function handed over {g} at position {i}, but {g} never arrived")
                    }
                    Some(&g) => format!(
                        "position {i} must be message {i}: in order, each exactly once (your function gave {g})"
                    ),
                    None => {
                        let at = arrivals.iter().position(|&x| x == i as u64).unwrap_or(0);
                        format!(
                            "your function stopped after {i} messages, but message {i} arrived (arrival {at}) \
                             and so had every number before it: hand it over, and whatever waited for it"
                        )
                    }
                };
                let input = format!("{input}; first missing number: {next}");
                return Err(c.equal_seq(&input, &got, &truth).expect_err("they differ").because(why));
            }
            c.pass();
        }
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
