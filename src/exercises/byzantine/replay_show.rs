//! Chapter 10's shrunk runs drawn, `exercise-10 --replay CODE`, and the live search a notebook
//! cell runs.

use std::path::{Path, PathBuf};

use super::replay::{
    EXHAUSTIVE, Om1Failure, as_schedule, counterexample, decode, exhaustive, exhaustive_failure, replay_run, sampled,
    shrink_failure, three_generals_line,
};
use super::truth;
use crate::byzantine::oral::decide_s;
use crate::byzantine::{Om1Decide, Om1Schedule, ROUND_S, om1};
use crate::error::Result;
use crate::grade::{Counterexample, Panicked, attempt};
use crate::plot::SpaceTime;
use crate::shrink::{Budget, ReplayCode, ReplayError, Schedule, ShrunkRun};

/// The space-time diagram of exactly the run `schedule` describes with every loyal lieutenant
/// deciding by `decide`: a lane per general (the traitor's named so), every order and relay
/// with its value and path, each lie marked `✗ lie`, and each decision at the end of its lane,
/// `✗` where it differs from OM(1)'s vote or breaks a condition.
pub fn replay_figure(schedule: &Om1Schedule, decide: Om1Decide, seed: u64, what: &str) -> Result<SpaceTime> {
    let (run, out) = schedule.run(Some(decide), seed, true)?;
    let (reference, _) = schedule.run(None, seed, false)?;
    let g = &run.generals;
    let held = match (run.ic1(), run.ic2()) {
        (false, _) => "loyal lieutenants disagree: IC1 broke (✗)",
        (true, false) => "a loyal commander disobeyed: IC2 broke (✗)",
        (true, true) => "IC1 and IC2 held",
    };
    let names = (0..g.n).map(|i| {
        let role = if i == 0 {
            "commander".to_string()
        } else {
            format!("lieutenant {i}")
        };
        if g.is_traitor(i) {
            format!("{role} (traitor)")
        } else {
            role
        }
    });
    let traitor = schedule.traitor;
    let order = schedule.order.letter();
    let mut fig = SpaceTime::from_outcome(&out)
        .title(format!("{what}, {} generals: {held}", schedule.n))
        .node_names(names)
        .until(decide_s(1) + 0.5 * ROUND_S)
        .width(1200)
        .label_messages(|m| {
            let label = m.label.clone()?;
            let lie = Some(m.from) == traitor && !label.starts_with(order);
            Some(if lie { format!("{label} ✗ lie") } else { label })
        });
    let first = run.loyal_lieutenants().first().and_then(|&i| run.decision(i));
    for i in run.loyal_lieutenants() {
        let Some(d) = run.decision(i) else { continue };
        // Against OM(1)'s vote where it keeps IC1 and IC2; with 3 generals (the lesson) against
        // the broken condition.
        let wrong = if reference.agreed() {
            Some(d) != reference.decision(i)
        } else {
            (!run.ic2() && d != g.order) || (!run.ic1() && Some(d) != first)
        };
        let mark = if wrong { "✗ " } else { "" };
        fig = fig.label_event(i, decide_s(1), format!("{mark}decides {d:?}"));
    }
    Ok(fig)
}

/// The rule to draw a run with: the learner's, unless it is `todo!()` or panics on it.
fn drawable(schedule: &Om1Schedule, decide: Om1Decide, seed: u64) -> Om1Decide {
    match replay_run(schedule, decide, seed) {
        Ok(r) if !matches!(r.failure, Some(Om1Failure::Panicked(_))) => decide,
        _ => truth::om1_decide,
    }
}

/// `exercise-10 --replay CODE`: replays the run (or the exhaustive check) with the learner's
/// rule, writes its diagram under `out`, and returns what the report shows: the same
/// counterexample, byte for byte, as the grader's.
pub fn replay(decide: Om1Decide, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
    if let Schedule::Om1Model { lo, hi } = code.schedule {
        let todo = || ReplayError::Unsupported {
            chapter: 10,
            task: code.task.clone(),
            reason: "om1_decide is still todo!()".into(),
        };
        if matches!(
            attempt(|| decide(crate::byzantine::Order::Attack, &[])),
            Err(Panicked::Todo)
        ) {
            return Err(todo().into());
        }
        return match exhaustive_failure(decide, (lo, hi)) {
            Ok(Some((_, _, cx, case))) => {
                let drawn = drawable(&case, decide, 0);
                let files = replay_figure(&case, drawn, 0, "The smallest failing case")?.save(out, "replay")?;
                Ok((cx, files))
            }
            Ok(None) => {
                let e = exhaustive(decide, (lo, hi)).map_err(|_| todo())?;
                let mut files = Vec::new();
                // The lesson of three generals, drawn with OM(1)'s own vote.
                let three = om1::check(None, 3..=3, 0)?;
                if let Some((case, _)) = three.first_broken {
                    let fig = replay_figure(&case, truth::om1_decide, 0, "n = 3, OM(1)'s own vote")?;
                    files.extend(fig.save(out, "replay-three-generals")?);
                }
                let cx = Counterexample {
                    property: "nothing broke: IC1 and IC2 held in every case".into(),
                    shrunk: e.check.bound(),
                    story: vec![three_generals_line()],
                    replay: code.encode(),
                };
                Ok((cx, files))
            }
            Err(_) => Err(todo().into()),
        };
    }
    let (schedule, from, stopped) = decode(code)?;
    schedule.validate()?;
    let cx = counterexample(schedule, decide, code.seed, from, stopped);
    let drawn = drawable(schedule, decide, code.seed);
    let yours = matches!(
        replay_run(schedule, decide, code.seed),
        Ok(r) if !matches!(r.failure, Some(Om1Failure::Panicked(_)))
    );
    let what = match (yours, from.is_some()) {
        (false, _) => "Decided by OM(1)'s vote (yours gave no decision)",
        (true, true) => "The shrunk run",
        (true, false) => "The replayed run",
    };
    let files = replay_figure(schedule, drawn, code.seed, what)?.save(out, "replay")?;
    Ok((cx, files))
}

/// The first of `runs` sampled OM(1) runs (drawn from `seed` as the grader draws them) in which
/// loyal lieutenants deciding by `decide` break IC1 or IC2, shrunk, with its diagram; if none
/// does, the exhaustive check's smallest failing case. What a notebook cell shows live.
pub fn find_shrunk(decide: Om1Decide, runs: usize, seed: u64) -> Result<Option<ShrunkRun>> {
    for (g, s, run_seed) in sampled(seed, runs) {
        let (start, from) = as_schedule(&g, s, run_seed)?;
        if let Some(r) = shrink_failure(start, from, decide, run_seed, Budget::default()) {
            let drawn = drawable(&r.shrunk.0, decide, run_seed);
            return Ok(Some(ShrunkRun {
                exercise: 10,
                diagram: replay_figure(&r.shrunk.0, drawn, run_seed, "The shrunk run")?,
                counterexample: r.counterexample,
            }));
        }
    }
    if let Ok(Some((_, _, cx, case))) = exhaustive_failure(decide, EXHAUSTIVE) {
        let drawn = drawable(&case, decide, 0);
        return Ok(Some(ShrunkRun {
            exercise: 10,
            diagram: replay_figure(&case, drawn, 0, "The smallest failing case")?,
            counterexample: cx,
        }));
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::byzantine::Order;

    #[test]
    fn a_replay_code_replays_the_report_byte_for_byte() {
        let trusts: Om1Decide = |said, _| said;
        let shown = find_shrunk(trusts, 30, 2026)
            .unwrap()
            .expect("trusting the commander breaks IC1");
        let cx = &shown.counterexample;
        assert_eq!(cx.property, Om1Failure::Ic1.property());
        assert!(cx.story.len() <= 10, "{:?}", cx.story);
        assert!(cx.shrunk.contains("to 4 generals, 1 traitor, 1 lie"), "{}", cx.shrunk);
        let code = ReplayCode::decode(&cx.replay, 10).unwrap();
        let dir = std::env::temp_dir().join(format!("faultline-replay10-{}", std::process::id()));
        let (again, files) = replay(trusts, &code, &dir).unwrap();
        assert_eq!(again.render(10), cx.render(10));
        assert_eq!(files.len(), 2);
        // With OM(1)'s vote, the same run breaks nothing.
        let (fixed, _) = replay(truth::om1_decide, &code, &dir).unwrap();
        assert!(fixed.property.starts_with("nothing broke"), "{}", fixed.property);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn the_exhaustive_check_finds_a_smallest_case_and_replays_it() {
        let tie_to_commander: Om1Decide = |said, relayed| {
            let a = relayed.iter().chain([&said]).filter(|&&v| v == Order::Attack).count();
            let r = relayed.len() + 1 - a;
            if a == r {
                said
            } else if a > r {
                Order::Attack
            } else {
                Order::Retreat
            }
        };
        let (bound, got, cx, case) = exhaustive_failure(tie_to_commander, EXHAUSTIVE).unwrap().unwrap();
        assert!(bound.contains("n = 4 and 5"), "{bound}");
        assert_eq!((case.n, case.traitor, case.lies.len()), (5, Some(0), 2), "{got}");
        let code = ReplayCode::decode(&cx.replay, 10).unwrap();
        assert!(code.schedule.is_exhaustive());
        let dir = std::env::temp_dir().join(format!("faultline-replay10x-{}", std::process::id()));
        let (again, _) = replay(tie_to_commander, &code, &dir).unwrap();
        assert_eq!(again, cx);
        assert!(exhaustive_failure(truth::om1_decide, EXHAUSTIVE).unwrap().is_none());
        let (ok, files) = replay(truth::om1_decide, &code, &dir).unwrap();
        assert!(ok.property.starts_with("nothing broke"));
        assert!(ok.story[0].starts_with("n = 3 is not graded"), "{:?}", ok.story);
        assert_eq!(files.len(), 2);
        let _ = std::fs::remove_dir_all(dir);
    }
}
