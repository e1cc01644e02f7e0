//! The graders, one per task: each runs the learner's rule over the notebook's worked example
//! and gossip histories drawn from the seed, inside the clock runners, and checks the stamps
//! against the happens-before oracle and against the reference stamps.

use super::truth;
use super::truth::{cases_rng, describe, ev, histories, previous_on_node, sim_failed};
use crate::grade::{Checker, Verdict};
use crate::logical::rules::compare_same_length;
use crate::logical::stamps::{self, Hlc, HlcRule, LamportRule, VectorReceiveRule, show_vector};
use crate::logical::{Causality, HappensBefore, History, Kind};
use rand::Rng;

/// Gossip histories per task besides the worked example.
const RUNS: u64 = 6;

fn received<T: Clone>(h: &History, e: usize, stamps: &[T]) -> Option<T> {
    match h.events()[e].kind {
        Kind::Receive { send } => Some(stamps[send].clone()),
        _ => None,
    }
}

/// Grades task 1: the clock condition (a → b implies L(a) < L(b)) on every pair of events,
/// then every stamp against the reference rule.
pub fn grade_lamport(c: &mut Checker, f: LamportRule, seed: u64) -> Result<(), Verdict> {
    for (name, h) in histories(seed, 1, RUNS, 0.005).map_err(sim_failed)? {
        let got = c.call(&name, || stamps::lamport(&h, f))?;
        let want = truth::lamport(&h);
        let first_wrong = (0..h.len()).find(|&e| got[e] != want[e]);
        let input = |e: usize| {
            let own = previous_on_node(&h, e).map_or(0, |p| want[p]);
            format!(
                "{name}, {}: lamport({own}, {:?})",
                describe(&h, e),
                received(&h, e, &want)
            )
        };
        let hb = HappensBefore::new(&h);
        for a in 0..h.len() {
            for b in 0..h.len() {
                if hb.happens_before(a, b) && got[a] >= got[b] {
                    let mut v = Verdict::fail(
                        format!("{name}: {} → {}", ev(&h, a), ev(&h, b)),
                        format!("L({}) < L({})", ev(&h, a), ev(&h, b)),
                        format!("L({}) = {}, L({}) = {}", ev(&h, a), got[a], ev(&h, b), got[b]),
                    )
                    .because("the clock condition fails: a happened before b, so its stamp must be smaller");
                    if let Some(e) = first_wrong {
                        v = v.because(format!(
                            "the first wrong stamp is at {} (expected {}, got {})",
                            input(e),
                            want[e],
                            got[e]
                        ));
                    }
                    return Err(v);
                }
            }
        }
        c.pass();
        if let Some(e) = first_wrong {
            return Err(Verdict::fail(input(e), want[e].to_string(), got[e].to_string()));
        }
        c.pass();
    }
    Ok(())
}

/// Grades task 2: vector stamps characterise happens-before exactly on every pair (a → b iff
/// V(a) < V(b); concurrent iff incomparable), and equal the reference stamps.
pub fn grade_vector_receive(c: &mut Checker, f: VectorReceiveRule, seed: u64) -> Result<(), Verdict> {
    for (name, h) in histories(seed, 2, RUNS, 0.005).map_err(sim_failed)? {
        let got = c
            .call(&name, || stamps::vector(&h, f))?
            .map_err(|e| Verdict::fail(&name, "one entry per node in every stamp", e.to_string()))?;
        let want = truth::vector(&h);
        let first_wrong = (0..h.len()).find(|&e| got[e] != want[e]);
        let input = |e: usize| {
            let own = previous_on_node(&h, e).map_or_else(|| vec![0; h.nodes()], |p| want[p].clone());
            let rec = received(&h, e, &want).map_or("-".into(), |v| show_vector(&v));
            format!(
                "{name}, {}: vector_receive({}, {rec}, me = {})",
                describe(&h, e),
                show_vector(&own),
                h.events()[e].node
            )
        };
        let hb = HappensBefore::new(&h);
        for a in 0..h.len() {
            for b in 0..h.len() {
                let truth = hb.relation(a, b);
                let stamped = compare_same_length(&got[a], &got[b]);
                if truth != stamped {
                    let mut v = Verdict::fail(
                        format!("{name}: events {} and {}", ev(&h, a), ev(&h, b)),
                        format!("{truth:?} (from the record of messages)"),
                        format!(
                            "{stamped:?}: V({}) = {}, V({}) = {}",
                            ev(&h, a),
                            show_vector(&got[a]),
                            ev(&h, b),
                            show_vector(&got[b])
                        ),
                    )
                    .because("vector clocks must say exactly when one event happened before another");
                    if let Some(e) = first_wrong {
                        v = v.because(format!(
                            "the first wrong stamp is at {} (expected {}, got {})",
                            input(e),
                            show_vector(&want[e]),
                            show_vector(&got[e])
                        ));
                    }
                    return Err(v);
                }
            }
        }
        c.pass();
        if let Some(e) = first_wrong {
            return Err(Verdict::fail(input(e), show_vector(&want[e]), show_vector(&got[e])));
        }
        c.pass();
    }
    Ok(())
}

/// Grades task 3: fixed pairs (equal, before, after, concurrent), then pairs of events of
/// gossip histories, whose true relation the oracle knows.
pub fn grade_compare(c: &mut Checker, f: fn(&[u64], &[u64]) -> Causality, seed: u64) -> Result<(), Verdict> {
    use Causality::*;
    let fixed: [(&[u64], &[u64], Causality); 8] = [
        (&[2, 1, 0], &[2, 1, 0], Equal),
        (&[0, 0, 0], &[0, 0, 0], Equal),
        (&[1, 0, 0], &[1, 1, 0], Before),
        (&[3, 2, 4], &[1, 2, 4], After),
        (&[2, 0, 0], &[1, 1, 0], Concurrent),
        (&[0, 0, 1], &[2, 2, 0], Concurrent),
        (&[1, 2, 3, 4], &[1, 2, 3, 5], Before),
        (&[5], &[4], After),
    ];
    for (a, b, want) in fixed {
        let input = format!("compare({}, {})", show_vector(a), show_vector(b));
        let got = c.call(&input, || f(a, b))?;
        c.equal(&input, got, want)?;
    }
    let mut rng = cases_rng(seed, 3);
    for (name, h) in histories(seed, 3, RUNS, 0.005).map_err(sim_failed)? {
        let v = truth::vector(&h);
        let hb = HappensBefore::new(&h);
        for _ in 0..60 {
            let a = rng.random_range(0..h.len());
            let b = if rng.random::<f64>() < 0.1 {
                a
            } else {
                rng.random_range(0..h.len())
            };
            let want = hb.relation(a, b);
            let input = format!(
                "{name}, events {} and {}: compare({}, {})",
                ev(&h, a),
                ev(&h, b),
                show_vector(&v[a]),
                show_vector(&v[b])
            );
            let got = c.call(&input, || f(&v[a], &v[b]))?;
            c.equal(&input, got, want)?;
        }
    }
    Ok(())
}

/// Grades task 4 on histories whose clocks are up to 20 ms apart: the logical part never falls
/// behind the node's physical clock nor runs more than the skew ahead of it, and every stamp
/// equals the reference rule's; then on the ties a millisecond clock produces (pt = l).
pub fn grade_hlc(c: &mut Checker, f: HlcRule, seed: u64) -> Result<(), Verdict> {
    for (name, h) in histories(seed, 4, RUNS, 0.020).map_err(sim_failed)? {
        let got = c.call(&name, || stamps::hlc(&h, f))?;
        let want = truth::hlc(&h);
        let first_wrong = (0..h.len()).find(|&e| got[e] != want[e]);
        let input = |e: usize| {
            let own = previous_on_node(&h, e).map_or(Hlc::default(), |p| want[p]);
            format!(
                "{name}, {}: hlc({own:?}, {}, {:?})",
                describe(&h, e),
                h.events()[e].physical_s,
                received(&h, e, &want)
            )
        };
        let skew = max_skew(&h);
        for (e, (s, ev)) in got.iter().zip(h.events()).enumerate() {
            let ahead = s.l_s - ev.physical_s;
            if ahead < 0.0 || ahead > skew {
                let mut v = Verdict::fail(
                    format!("{name}, {}", describe(&h, e)),
                    format!(
                        "pt ≤ l ≤ pt + {:.6} (the largest skew between clocks); pt = {:.6}",
                        skew, ev.physical_s
                    ),
                    format!("{s:?}"),
                )
                .because("l must never fall behind the node's own physical clock, nor run further ahead than the skew");
                if let Some(e) = first_wrong {
                    v = v.because(format!(
                        "the first wrong stamp is at {} (expected {:?})",
                        input(e),
                        want[e]
                    ));
                }
                return Err(v);
            }
        }
        c.pass();
        if let Some(e) = first_wrong {
            return Err(Verdict::fail(
                input(e),
                format!("{:?}", want[e]),
                format!("{:?}", got[e]),
            ));
        }
        c.pass();
    }
    grade_hlc_ties(c, f)
}

/// Ties the rule decides but gossip runs with continuous clocks never produce: a clock that
/// ticks in whole milliseconds reads the same value at events close together, so pt can equal
/// l exactly (on a local event, a send, or a receive, on either side).
fn grade_hlc_ties(c: &mut Checker, f: HlcRule) -> Result<(), Verdict> {
    let at = |l_s: f64, c: u32| Hlc { l_s, c };
    let cases = [
        ("a local event or send: pt = own.l", at(1.234, 2), 1.234, None),
        ("a first event at pt = 0", at(0.0, 0), 0.0, None),
        ("a receive: pt = m.l > own.l", at(1.233, 4), 1.234, Some(at(1.234, 2))),
        ("a receive: pt = own.l = m.l", at(1.234, 1), 1.234, Some(at(1.234, 5))),
        ("a receive: pt = own.l > m.l", at(1.234, 3), 1.234, Some(at(1.233, 7))),
    ];
    for (what, own, pt, m) in cases {
        let input = format!("{what}: hlc({own:?}, {pt}, {m:?})");
        let got = c.call(&input, || f(own, pt, m))?;
        let want = crate::logical::rules::hlc(own, pt, m);
        if got != want {
            return Err(Verdict::fail(&input, format!("{want:?}"), format!("{got:?}"))
                .because("a clock reading equal to l does not move l on: c counts on from the stamp(s) with that l"));
        }
        c.pass();
    }
    Ok(())
}

/// The largest difference between two physical readings taken at (nearly) the same true time:
/// an upper bound on how far l may run ahead of a node's clock, estimated from the history.
fn max_skew(h: &History) -> f64 {
    let ev = h.events();
    let mut worst: f64 = 0.0;
    for a in ev {
        for b in ev {
            // b's clock at a's true time, extrapolated at rate 1; drift (≤ 200 ppm over runs of
            // well under a second) is covered by the 1 ms margin.
            let other = b.physical_s + (a.true_s - b.true_s);
            worst = worst.max(other - a.physical_s);
        }
    }
    worst + 1e-3
}
