//! The graders, one per task: each runs the learner's function on fixed cases and on cases
//! drawn from the seed, and inside the election world, against its truth.

use super::replay;
use crate::error::Error;
use crate::grade::{Checker, Verdict, fmt_num};
use crate::quorum::{self, ElectionConfig, ElectionSchedule};
use crate::shrink::Budget;
use crate::sim::{SimRng, stream};
use crate::world::NodeId;
use rand::Rng;

fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Each task draws its cases from its own stream.
fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 900 + task)
}

/// Grades task 1 against the truth, over small clusters and ones drawn from the seed.
pub fn grade_quorum_size(c: &mut Checker, f: fn(usize) -> usize, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 1);
    let mut ns: Vec<usize> = (1..=8).collect();
    ns.extend((0..6).map(|_| rng.random_range(9..200)));
    for n in ns {
        let input = format!("n = {n}");
        let got = c.call(&input, || f(n))?;
        let want = quorum::quorum_size(n);
        c.equal(&input, got, want).map_err(|v| {
            if 2 * got <= n {
                v.because(format!(
                    "two groups of {got} can be disjoint ({got} + {got} ≤ {n}): both sides of a partition elect"
                ))
            } else if got > want {
                v.because(format!(
                    "{got} also intersects, but then {} crashed nodes stop every election where {} could be survived",
                    n + 1 - got,
                    n - want
                ))
            } else {
                v
            }
        })?;
    }
    Ok(())
}

/// Grades task 2 over every split of small clusters and some drawn from the seed.
pub fn grade_may_elect(c: &mut Checker, f: fn(usize, usize) -> bool, seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 2);
    let mut cases: Vec<(usize, usize)> = (1..=7).flat_map(|n| (0..=n).map(move |s| (s, n))).collect();
    for _ in 0..10 {
        let n = rng.random_range(8..100);
        cases.push((rng.random_range(0..=n), n));
    }
    for (s, n) in cases {
        let input = format!("side_len = {s}, n = {n}");
        let got = c.call(&input, || f(s, n))?;
        c.equal(&input, got, quorum::may_elect(s, n)).map_err(|v| {
            if got {
                v.because(format!("the other {} nodes could elect too: two leaders", n - s))
            } else {
                v.because(format!("{s} of {n} is a majority: no other side can have one"))
            }
        })?;
    }
    Ok(())
}

/// Grades task 3: the rule runs inside the nodes of election worlds under seeded partitions,
/// crashes and pauses (no term may have two leaders; the failure shows the schedule), then a
/// world without faults must elect a leader, then fixed cases.
pub fn grade_grant_vote(
    c: &mut Checker,
    f: fn(u64, Option<NodeId>, NodeId, u64) -> bool,
    seed: u64,
) -> Result<(), Verdict> {
    // Called once here first, so that a `todo!()` is caught before the rule runs on many threads.
    c.call(
        "my_term = 1, voted_for = None, candidate = 0, candidate_term = 1",
        || f(1, None, 0, 1),
    )?;
    let cfg = ElectionConfig::default();
    let input =
        format!("5 nodes, majority quorum, 80 seeded schedules of partitions, crashes and pauses from seed {seed}");
    let found = c
        .call(&input, || quorum::find_two_leaders(&cfg, f, 80, seed))?
        .map_err(sim_failed)?;
    if let Some(two) = found {
        let verdict = Verdict::fail(input, "at most one leader per term", two.to_string()).because(
            "a node granted two candidates its vote in one term (or an old term's vote counted): two majorities formed",
        );
        // The failing run, shrunk, told in a few lines and given a replay code.
        let start = ElectionSchedule::new(cfg, &two.faults);
        return Err(match replay::shrink_failure(start, f, two.seed, Budget::default()) {
            Some(r) => verdict.shown_by(r.counterexample),
            None => verdict,
        });
    }
    let input = format!("5 nodes, no faults, seed {seed}");
    let out = c
        .call(&input, || quorum::simulate_with(&cfg, f, &[], seed))?
        .map_err(sim_failed)?;
    let first = out.first_leader_s();
    c.ensure(
        first.is_some_and(|t| t < 2.0),
        &input,
        "a leader within 2 s",
        first.map_or("no leader in 10 s".into(), |t| {
            format!("the first after {} s", fmt_num(t))
        }),
    )
    .map_err(|v| {
        let v = v.because("a candidate whose term is newer than the voter's must get its vote");
        // The run, shrunk: the candidacies and the votes refused.
        match super::liveness::shrink_leaderless(ElectionSchedule::new(cfg, &[]), f, seed) {
            Some(r) => v.shown_by(r.counterexample),
            None => v,
        }
    })?;
    // Every interleaving of a small cluster, breadth-first: what sampling may miss.
    if let Some((input, got, cx)) = c.call("the exhaustive check", || {
        replay::exhaustive_failure(f, replay::EXHAUSTIVE)
    })? {
        return Err(Verdict::fail(input, "at most one leader per term", got)
            .because("a node granted two candidates its vote in one term (or an old term's vote counted)")
            .shown_by(cx));
    }
    c.pass();
    let cases = [
        (1, None, 2, 1, true),
        (1, Some(2), 2, 1, true),
        (1, Some(3), 2, 1, false),
        (1, Some(3), 2, 2, true),
        (5, None, 2, 3, false),
        (0, None, 1, 1, true),
        (4, Some(4), 1, 4, false),
        (7, Some(0), 0, 6, false),
    ];
    for (my, voted, cand, term, want) in cases {
        let input = format!("my_term = {my}, voted_for = {voted:?}, candidate = {cand}, candidate_term = {term}");
        let got = c.call(&input, || f(my, voted, cand, term))?;
        c.equal(&input, got, want)?;
    }
    Ok(())
}

/// The mean time to elect the first leader from a cold start, censored runs counting as
/// `until_s`.
pub(crate) fn mean_election_s(cfg: &ElectionConfig, runs: usize, seed: u64) -> crate::Result<f64> {
    let times = quorum::election_times(cfg, quorum::reference_rule(), runs, seed)?;
    Ok(times.iter().map(|t| t.unwrap_or(cfg.until_s)).sum::<f64>() / runs as f64)
}

/// Grades task 4: the range must let a follower ride out two lost heartbeats (min ≥ 3
/// heartbeats), and 200 simulated elections of 5 nodes with it must take `target_s` or less on
/// average.
pub fn grade_timeout_range(c: &mut Checker, f: fn(f64, f64) -> (f64, f64), seed: u64) -> Result<(), Verdict> {
    let mut rng = cases_rng(seed, 4);
    for k in 0..3 {
        let h = (rng.random_range(0.05..0.1f64) * 1000.0).round() / 1000.0;
        let target = (h * rng.random_range(4.4..6.0f64) * 1000.0).round() / 1000.0;
        let input = format!("heartbeat_s = {}, target_s = {}", fmt_num(h), fmt_num(target));
        let (lo, hi) = c.call(&input, || f(h, target))?;
        let got = format!("({}, {})", fmt_num(lo), fmt_num(hi));
        c.ensure(
            lo.is_finite() && hi.is_finite() && lo > 0.0 && hi >= lo,
            &input,
            "0 < min_s ≤ max_s",
            got.clone(),
        )?;
        c.ensure(
            lo >= 3.0 * h - 1e-12,
            &input,
            format!("min_s ≥ {}", fmt_num(3.0 * h)),
            got.clone(),
        )
        .map_err(|v| v.because("with a shorter timeout, two lost heartbeats make a follower depose a live leader"))?;
        let cfg = ElectionConfig {
            timeout_min_s: lo,
            timeout_max_s: hi,
            heartbeat_s: h,
            until_s: (20.0 * target).max(hi * 4.0).min(60.0),
            ..Default::default()
        };
        let mean = mean_election_s(&cfg, 200, crate::sim::Seed(seed).child(k).0).map_err(sim_failed)?;
        c.ensure(
            mean <= target,
            &format!("{input}: 200 elections of 5 nodes"),
            format!("a mean election time ≤ {} s", fmt_num(target)),
            format!("{} s with {got}", fmt_num(mean)),
        )
        .map_err(|v| {
            if hi - lo < 0.005 {
                v.because("a narrow spread lets several followers time out together: the votes split, again and again")
            } else {
                v.because("the first follower to time out wins; a wide range makes it wait long")
            }
        })?;
    }
    Ok(())
}
