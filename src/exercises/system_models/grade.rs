//! The graders, one per task: each runs the learner's function on fixed, planted histories and
//! on histories recorded from seeded world runs, against the truth.

use super::stale;
use super::stale_story::show_pick;
use crate::error::Error;
use crate::grade::{Checker, Verdict, fmt_num};
use crate::lease::AppliedWrite;
use crate::models::{
    Consistent, DelayRun, Delivery, FailureModel, Property, SystemModel, TimingModel, election, truth,
};
use crate::quorum::ElectionConfig;
use crate::sim::{Seed, SimRng, stream};
use rand::Rng;

fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Each task draws its cases from its own stream.
fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 1200 + task)
}

/// Grades task 1 on every property.
pub fn grade_is_safety(c: &mut Checker, f: fn(Property) -> bool, _seed: u64) -> Result<(), Verdict> {
    for p in Property::ALL {
        let input = format!("{p:?} (\"{p}\")");
        let got = c.call(&input, || f(p))?;
        let want = truth::is_safety(p);
        let say = |b: bool| if b { "safety (true)" } else { "liveness (false)" };
        c.ensure(got == want, &input, say(want), say(got)).map_err(|v| {
            if p == Property::AnsweredWithinOneSecond {
                v.because("a deadline makes it safety: the violation happens the moment the second runs out, at one event")
            } else if want {
                v.because("a run that breaks it does so at one event, and nothing after can undo that: the prefix is a finite witness")
            } else {
                v.because("whatever has not happened by the end of a finite run may still happen later: no prefix refutes it")
            }
        })?;
    }
    Ok(())
}

fn w(token: u64, accepted: bool, at_s: f64) -> AppliedWrite {
    AppliedWrite {
        client: 2 + (token % 3) as usize,
        token,
        at_s,
        accepted,
    }
}

/// "[1✓ 2✓ 1✗]": tokens in order, ✓ accepted, ✗ rejected (the first 30).
pub(crate) fn show_writes(ws: &[AppliedWrite]) -> String {
    let mut s: Vec<String> = ws
        .iter()
        .take(30)
        .map(|x| format!("{}{}", x.token, if x.accepted { "✓" } else { "✗" }))
        .collect();
    if ws.len() > 30 {
        s.push(format!("… ({} writes)", ws.len()));
    }
    format!("[{}]", s.join(" "))
}

/// Grades task 2: first on the storage logs of seeded lease worlds (chapter 8's, with and
/// without fencing, read-only now and then; a run on which the checker errs is shrunk and shown
/// with its replay code), then on planted histories that sit on the boundaries.
pub fn grade_first_stale_write(
    c: &mut Checker,
    f: fn(&[AppliedWrite]) -> Option<usize>,
    seed: u64,
) -> Result<(), Verdict> {
    for (run, s) in stale::stale_worlds(seed) {
        let (out, _) = run.run(s, false).map_err(sim_failed)?;
        let h = out.writes;
        let what = if run.fencing { "with fencing" } else { "without fencing" };
        let input = format!(
            "the storage's {} writes of a lease world {what}, read-only {} times (chapter 8, seed {s}): {}",
            h.len(),
            run.read_only.len() + usize::from(run.failover),
            show_writes(&h)
        );
        // A run on which the checker errs is shrunk, told in a few lines and given a replay code.
        let shown = |v: Verdict| match stale::shrink_failure(run.clone(), f, s) {
            Some(r) => v.shown_by(r.counterexample),
            None => v,
        };
        let got = c.call(&input, || f(&h)).map_err(shown)?;
        let want = truth::first_stale_write(&h);
        c.ensure(got == want, &input, show_pick(&h, want), show_pick(&h, got))
            .map_err(|v| shown(why_stale(v, &h, got, want)))?;
    }
    let t = |k: usize| k as f64;
    let planted: Vec<Vec<AppliedWrite>> = vec![
        vec![w(1, true, t(0)), w(1, true, t(1)), w(2, true, t(2)), w(1, true, t(3))],
        vec![w(1, true, t(0)), w(2, true, t(1)), w(2, true, t(2)), w(3, true, t(3))],
        vec![w(2, true, t(0)), w(1, false, t(1)), w(3, true, t(2))],
        vec![w(1, true, t(0)), w(3, false, t(1)), w(2, true, t(2))],
        vec![w(3, true, t(0)), w(1, true, t(1)), w(2, true, t(2)), w(2, true, t(3))],
        vec![w(4, true, t(0))],
    ];
    for h in planted {
        let input = format!("writes {}", show_writes(&h));
        let got = c.call(&input, || f(&h))?;
        let want = truth::first_stale_write(&h);
        c.equal(&input, got, want).map_err(|v| why_stale(v, &h, got, want))?;
    }
    Ok(())
}

/// Why a checker's answer on the log `h` is wrong.
fn why_stale(v: Verdict, h: &[AppliedWrite], got: Option<usize>, want: Option<usize>) -> Verdict {
    match (got, want) {
        (Some(g), _) if g < h.len() && h[g].accepted && want.is_none_or(|x| g < x) => v.because(format!(
            "write {g} (token {}) is not stale: an equal token is the same holder writing again, and a write the storage did not accept raises nothing",
            h[g].token
        )),
        (Some(g), _) if g < h.len() && !h[g].accepted => v.because(format!(
            "write {g} was not accepted: refusing a stale token is the storage doing its job, not a violation"
        )),
        (Some(g), _) if g >= h.len() => v.because(format!(
            "there are only {} writes: return a 0-based index into the history",
            h.len()
        )),
        (Some(_), Some(x)) => v.because(format!("write {x} is stale already: return the first violation, not a later one")),
        (None, Some(x)) => v.because(format!(
            "write {x} has token {}, lower than one accepted before it",
            h[x].token
        )),
        _ => v,
    }
}

fn run_of(points: &[(f64, Option<f64>)], end_s: f64) -> DelayRun {
    DelayRun {
        deliveries: points
            .iter()
            .map(|&(sent_s, delivered_s)| Delivery { sent_s, delivered_s })
            .collect(),
        end_s,
    }
}

/// "sent → delivered" for each message (the first 12).
fn show_run(r: &DelayRun) -> String {
    let mut s: Vec<String> = r
        .deliveries
        .iter()
        .take(12)
        .map(|d| match d.delivered_s {
            Some(t) => format!("{}→{}", fmt_num(d.sent_s), fmt_num(t)),
            None => format!("{}→not delivered", fmt_num(d.sent_s)),
        })
        .collect();
    if r.deliveries.len() > 12 {
        s.push(format!("… ({} messages)", r.deliveries.len()));
    }
    format!("[{}], end {} s", s.join(", "), fmt_num(r.end_s))
}

/// Grades task 3 on planted runs, then on the messages of election worlds under each timing
/// model.
pub fn grade_timing_model(c: &mut Checker, f: fn(&DelayRun, f64) -> Consistent, seed: u64) -> Result<(), Verdict> {
    let mut cases: Vec<(String, DelayRun, f64)> = Vec::new();
    // Planted runs with a bound of 1/4 s, so that "exactly the bound" is exact in binary.
    let q = 0.25;
    let planted = [
        run_of(&[(0.0, Some(0.125)), (1.0, Some(1.25)), (2.0, Some(2.125))], 3.0),
        run_of(
            &[
                (0.0, Some(0.75)),
                (1.0, Some(1.5)),
                (2.0, Some(2.125)),
                (3.0, Some(3.25)),
            ],
            4.0,
        ),
        run_of(
            &[
                (0.0, Some(0.75)),
                (1.0, Some(1.125)),
                (1.0, Some(1.5)),
                (1.0, Some(1.125)),
                (2.0, Some(2.125)),
            ],
            3.0,
        ),
        run_of(&[(0.0, Some(0.125)), (1.0, Some(1.125)), (2.0, Some(2.5))], 3.0),
        run_of(&[(0.0, Some(0.125)), (1.0, Some(1.125)), (2.875, None)], 3.0),
        run_of(&[(0.0, Some(0.125)), (1.0, None), (2.0, Some(2.125))], 3.0),
    ];
    for r in planted {
        cases.push((
            format!("bound {} s, messages sent→delivered {}", fmt_num(q), show_run(&r)),
            r,
            q,
        ));
    }
    let b = crate::models::BOUND_S;
    let mut rng = cases_rng(seed, 3);
    let cfg = ElectionConfig {
        until_s: 4.0,
        ..Default::default()
    };
    let gst_s = (rng.random_range(1.0..2.5f64) * 100.0).round() / 100.0;
    for timing in [
        TimingModel::synchronous(),
        TimingModel::partially_synchronous(gst_s),
        TimingModel::asynchronous(),
    ] {
        let s: u64 = rng.random();
        let model = SystemModel::new(timing, FailureModel::None);
        let run = election::elect(&cfg, &model, s).map_err(sim_failed)?;
        let r = DelayRun::from_messages(&run.world.messages, run.election.end_s);
        let input = format!(
            "bound {} s, the {} messages of an election on {} links (seed {s}): {}",
            fmt_num(b),
            r.deliveries.len(),
            timing.name(),
            show_run(&r)
        );
        cases.push((input, r, b));
    }
    for (input, r, b) in cases {
        let got = c.call(&input, || f(&r, b))?;
        let want = truth::strongest_model(&r, b);
        c.equal(&input, got, want).map_err(|v| match (got, want) {
            (Consistent::PartiallySynchronous { gst_s: g }, Consistent::PartiallySynchronous { gst_s: x }) if g != x => {
                v.because(format!(
                    "GST is the send time of the first message sent strictly after the last late one ({} s here), not a delivery time nor a late message's own send time",
                    fmt_num(x)
                ))
            }
            (_, Consistent::Synchronous) => v.because(format!(
                "every message arrived within {} s (exactly the bound is within it; one still in flight less than the bound after sending is not late yet)",
                fmt_num(b)
            )),
            (_, Consistent::Asynchronous) => {
                v.because("the last message sent was late: nothing after it shows the network stabilised")
            }
            _ => v.because("a message is late when it took longer than the bound, or was never delivered although the run went on longer than the bound"),
        })?;
    }
    Ok(())
}

/// Grades task 4: the range must outlast a late heartbeat (min > heartbeat + bound); then, in
/// partially synchronous election worlds with GST drawn from the seed, a leader must be elected
/// within 2 s after GST and lead, unchallenged, to the end.
pub fn grade_election_timeout(c: &mut Checker, f: fn(f64, f64) -> (f64, f64), seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 4);
    let mut cases = vec![(0.05, 0.1)];
    for _ in 0..2 {
        let h = (rng.random_range(0.02..0.08f64) * 1000.0).round() / 1000.0;
        let b = (rng.random_range(0.005..0.06f64) * 1000.0).round() / 1000.0;
        cases.push((h, b));
    }
    let within_s = 2.0;
    for (k, (h, b)) in cases.into_iter().enumerate() {
        let input = format!("heartbeat_s = {}, bound_s = {}", fmt_num(h), fmt_num(b));
        let (lo, hi) = c.call(&input, || f(h, b))?;
        let got = format!("({}, {})", fmt_num(lo), fmt_num(hi));
        c.ensure(
            lo.is_finite() && hi.is_finite() && lo > 0.0 && hi >= lo,
            &input,
            "0 < min_s ≤ max_s",
            got.clone(),
        )?;
        c.ensure(lo > h + b, &input, format!("min_s > {}", fmt_num(h + b)), got.clone())
            .map_err(|v| {
                v.because("heartbeats may arrive heartbeat_s + bound_s apart: a shorter timeout deposes a live leader")
            })?;
        let runs = 12;
        for r in 0..runs {
            let s = Seed(seed).child(100 * k as u64 + r).0;
            let gst_s = 1.0 + (s % 1000) as f64 / 1000.0;
            let cfg = ElectionConfig {
                timeout_min_s: lo,
                timeout_max_s: hi,
                heartbeat_s: h,
                until_s: gst_s + 6.0,
                ..Default::default()
            };
            let timing = TimingModel::PartiallySynchronous {
                gst_s,
                before_s: 0.5,
                bound_s: b,
            };
            let model = SystemModel::new(timing, FailureModel::None);
            let what = format!(
                "{input}: election of 5 nodes, delays 0.5–1 s until GST {} s (seed {s})",
                fmt_num(gst_s)
            );
            let out = c
                .call(&what, || election::elect(&cfg, &model, s))?
                .map_err(sim_failed)?
                .election;
            let deadline = gst_s + within_s;
            let stays = out.reigns.iter().any(|x| x.from_s <= deadline && x.to_s >= out.end_s);
            let after: Vec<String> = out
                .reigns
                .iter()
                .filter(|x| x.from_s >= gst_s)
                .take(4)
                .map(|x| format!("node {} term {} from {} s", x.node, x.term, fmt_num(x.from_s)))
                .collect();
            c.ensure(
                stays,
                &what,
                format!("a leader by {} s (GST + 2 s) who leads to the end ({} s)", fmt_num(deadline), fmt_num(out.end_s)),
                if after.is_empty() {
                    "no leader after GST".to_string()
                } else {
                    format!("leaders after GST: {}", after.join("; "))
                },
            )
            .map_err(|v| {
                if hi > 10.0 * lo {
                    v.because("with a range this wide the first follower to time out waits long")
                } else if lo < 2.0 * b {
                    v.because("a candidate needs its votes back (a round trip, up to 2 · bound_s) before its own timeout fires again")
                } else {
                    v.because("followers time out while the leader is alive, or candidates split the votes")
                }
            })?;
        }
    }
    Ok(())
}
