//! Chapter 10's failing runs, shrunk and replayed: when the learner's `om1_decide`, deciding
//! inside the simulated lieutenants, breaks IC1 or IC2 in an OM(1) run of the world, the grader
//! shrinks that run (fewer generals, no traitor, fewer lies: [`Om1Schedule`]'s candidates) and
//! the report tells the shrunk run, names the condition that broke and prints the code that
//! replays it; `exercise-10 --replay CODE` draws it. The exhaustive check (every traitor
//! strategy of 4 and 5 generals, in order of size) gives a smallest failing run directly.

use std::rc::Rc;

use rand::Rng;
use rand::seq::IndexedRandom;

use super::story::story;
use super::truth::cases_rng;
use crate::byzantine::om1::{self, Om1Check};
use crate::byzantine::strategy::{self, Strategy};
use crate::byzantine::{Generals, Om1Decide, Om1Schedule, Om1Size, Order, Run};
use crate::error::Result;
use crate::grade::{Counterexample, Panicked, attempt};
use crate::shrink::{Budget, ReplayCode, ReplayError, Schedule, shrink, shrunk_line};
use crate::sim::Seed;

/// The task whose runs are shrunk and replayed.
pub const TASK: &str = "om1_decide";

/// How an OM(1) run failed with the learner's rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Om1Failure {
    /// Loyal lieutenants disagreed.
    Ic1,
    /// A loyal commander was disobeyed.
    Ic2,
    /// The rule panicked inside a lieutenant.
    Panicked(String),
}

impl Om1Failure {
    /// The property, as the report names it.
    pub fn property(&self) -> &'static str {
        match self {
            Om1Failure::Ic1 => "IC1: every loyal lieutenant decides the same order",
            Om1Failure::Ic2 => "IC2: if the commander is loyal, every loyal lieutenant obeys it",
            Om1Failure::Panicked(_) => "your om1_decide runs without panicking",
        }
    }

    fn same_kind(&self, other: &Om1Failure) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// One run of a schedule with the learner's rule.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// How it failed, if it did.
    pub failure: Option<Om1Failure>,
    /// Its size.
    pub size: Om1Size,
}

/// Runs `schedule` on `seed` with every loyal lieutenant deciding by `decide`. A panic of
/// `decide` is an [`Om1Failure::Panicked`], not a crash of the grader; a `todo!()` is
/// `Err(Panicked::Todo)`.
pub fn replay_run(schedule: &Om1Schedule, decide: Om1Decide, seed: u64) -> std::result::Result<Replayed, Panicked> {
    let size = |run: &Run, events| Om1Size {
        generals: schedule.n,
        traitors: usize::from(schedule.traitor.is_some()),
        lies: schedule.lies.len(),
        messages: run.sent(),
        events,
    };
    let (failure, size) = match attempt(|| schedule.run(Some(decide), seed, false)) {
        Ok(Ok((run, out))) => {
            let failure = if !run.ic1() {
                Some(Om1Failure::Ic1)
            } else if !run.ic2() {
                Some(Om1Failure::Ic2)
            } else {
                None
            };
            (failure, size(&run, out.run.events))
        }
        Ok(Err(e)) => (
            Some(Om1Failure::Panicked(format!("the world stopped: {e}"))),
            Om1Size {
                messages: 0,
                events: 0,
                ..size(&empty_run(schedule), 0)
            },
        ),
        Err(Panicked::Todo) => return Err(Panicked::Todo),
        Err(Panicked::Other(msg)) => {
            // Decisions come last: the messages were those of the run with OM(1)'s vote.
            let (run, events) = schedule
                .run(None, seed, false)
                .map_or((empty_run(schedule), 0), |(r, o)| (r, o.run.events));
            (Some(Om1Failure::Panicked(msg)), size(&run, events))
        }
    };
    Ok(Replayed { failure, size })
}

fn empty_run(schedule: &Om1Schedule) -> Run {
    Om1Schedule {
        n: 2,
        traitor: None,
        lies: Vec::new(),
        ..schedule.clone()
    }
    .run(None, 0, false)
    .expect("two loyal generals run")
    .0
}

/// The run in plain lines, with the learner's rule (or its panic).
pub fn run_story(schedule: &Om1Schedule, decide: Om1Decide, seed: u64) -> Vec<String> {
    let Ok((reference, _)) = schedule.run(None, seed, false) else {
        return vec![format!("the run {schedule} could not be simulated")];
    };
    match attempt(|| schedule.run(Some(decide), seed, false)) {
        Ok(Ok((yours, _))) => story(&reference, Ok(&yours), schedule.lies.len()),
        Ok(Err(e)) => story(&reference, Err(&format!("the world stopped: {e}")), schedule.lies.len()),
        Err(p) => story(&reference, Err(&p.label(TASK)), schedule.lies.len()),
    }
}

/// The report's account of `schedule` run with `decide`: the same from the grader and from
/// `--replay`, byte for byte. `from` is the first failing run's size, `stopped` why shrinking
/// stopped early.
pub fn counterexample(
    schedule: &Om1Schedule,
    decide: Om1Decide,
    seed: u64,
    from: Option<Om1Size>,
    stopped: Option<&str>,
) -> Counterexample {
    let r = replay_run(schedule, decide, seed);
    let (property, size) = match &r {
        Ok(r) => (
            r.failure
                .as_ref()
                .map_or("nothing broke: IC1 and IC2 held on this run", Om1Failure::property)
                .to_string(),
            Some(r.size),
        ),
        // The run's size, with OM(1)'s vote deciding (decisions come last).
        Err(_) => (
            "not attempted: om1_decide is still todo!()".to_string(),
            replay_run(schedule, super::truth::om1_decide, seed)
                .ok()
                .map(|r| r.size),
        ),
    };
    let now = size.map_or("this run".to_string(), |s| s.to_string());
    let code = Schedule::Om1 {
        r: schedule.clone(),
        o: from,
        b: stopped.map(str::to_string),
    };
    Counterexample {
        property,
        shrunk: match from {
            Some(f) => shrunk_line(&f.to_string(), &now, stopped),
            None => format!("a replayed run: {now}"),
        },
        story: run_story(schedule, decide, seed),
        replay: ReplayCode::new(10, TASK, seed, code).encode(),
    }
}

/// The seeded OM(1) runs the grader samples from `seed`: 5 to 10 generals, no traitor or one
/// in any seat, a built-in strategy, either order; each with its own run seed.
pub fn sampled(seed: u64, runs: usize) -> Vec<(Generals, Rc<dyn Strategy>, u64)> {
    let mut rng = cases_rng(seed, 20);
    (0..runs)
        .map(|k| {
            let n = rng.random_range(5..=10);
            let seat = rng.random_range(0..=n);
            let s = strategy::standard(n).choose(&mut rng).expect("strategies").clone();
            let order = if rng.random_bool(0.5) {
                Order::Attack
            } else {
                Order::Retreat
            };
            let traitors: Vec<usize> = (seat < n).then_some(seat).into_iter().collect();
            let g = Generals::new(n, 1)
                .and_then(|g| g.order(order).traitors(&traitors))
                .expect("a valid setting");
            (g, s, Seed(seed).child(100 + k as u64).0)
        })
        .collect()
}

/// A sampled run as a schedule, with its size (the built-in strategy's messages and events).
pub fn as_schedule(g: &Generals, s: Rc<dyn Strategy>, seed: u64) -> Result<(Om1Schedule, Om1Size)> {
    let (run, out) = crate::byzantine::oral::run_world(g, s, seed)?;
    let schedule = Om1Schedule::from_run(&run)?;
    let size = Om1Size {
        generals: g.n,
        traitors: g.traitors.len(),
        lies: schedule.lies.len(),
        messages: run.sent(),
        events: out.run.events,
    };
    Ok((schedule, size))
}

/// What shrinking one failing run gave (for the report and the benchmark).
pub type ShrinkResult = crate::shrink::ShrinkResult<Om1Schedule, Replayed>;

/// Shrinks the failing run `start` (of size `from`) on `seed` while the same condition still
/// breaks (or the rule still panics) with `decide`, within `budget`.
pub fn shrink_failure(
    start: Om1Schedule,
    from: Om1Size,
    decide: Om1Decide,
    seed: u64,
    budget: Budget,
) -> Option<ShrinkResult> {
    let first = replay_run(&start, decide, seed).ok()?;
    let kind = first.failure.clone()?;
    let still = |s: &Om1Schedule| {
        replay_run(s, decide, seed)
            .ok()
            .filter(|r| r.failure.as_ref().is_some_and(|f| f.same_kind(&kind)))
    };
    let out = shrink(start.clone(), first.clone(), budget, still);
    let cx = counterexample(&out.schedule, decide, seed, Some(from), out.stopped_by);
    Some(ShrinkResult {
        counterexample: cx,
        first: (start, Replayed { size: from, ..first }),
        shrunk: (out.schedule, out.witness),
        runs: out.runs,
    })
}

/// The generals the grader checks exhaustively: every case of 4 and of 5 (a tie needs an odd
/// number of values, so 5 generals).
pub const EXHAUSTIVE: (usize, usize) = (4, 5);

/// What the exhaustive check found for a rule: the bound, and the first (smallest) case that
/// failed, with how.
pub struct Exhaustive {
    /// The check (its `first_broken` is left empty: see `failed`).
    pub check: Om1Check,
    /// The first case that broke a condition or panicked.
    pub failed: Option<(Om1Schedule, Om1Failure)>,
}

/// Runs every case of `lo..=hi` generals (3–6) in order of size with `decide`, stopping at the
/// first that breaks IC1 or IC2 or panics. `Err` only for a `todo!()`.
pub fn exhaustive(decide: Om1Decide, (lo, hi): (usize, usize)) -> std::result::Result<Exhaustive, Panicked> {
    let (lo, hi) = (lo.clamp(3, 6), hi.clamp(3, 6).max(lo.clamp(3, 6)));
    let mut check = Om1Check {
        generals: (lo..=hi).collect(),
        strategies: (lo..=hi).map(om1::strategies).sum(),
        cases: 0,
        bound_cases: (lo..=hi).map(|n| om1::every_case(n).len()).sum(),
        first_broken: None,
    };
    for n in lo..=hi {
        for case in om1::every_case(n) {
            check.cases += 1;
            if let Some(f) = replay_run(&case, decide, 0)?.failure {
                return Ok(Exhaustive {
                    check,
                    failed: Some((case, f)),
                });
            }
        }
    }
    Ok(Exhaustive { check, failed: None })
}

/// n = 3 as the chapter teaches it: OM(1)'s own vote breaks there.
pub fn three_generals_line() -> String {
    let cases = om1::every_case(3);
    let broken: Vec<&Om1Schedule> = cases
        .iter()
        .filter(|c| c.run(None, 0, false).is_ok_and(|(r, _)| !r.agreed()))
        .collect();
    match broken.first() {
        Some(first) => format!(
            "n = 3 is not graded: there OM(1)'s own vote breaks in {} of {} cases (the first: {first}); three generals cannot beat one traitor",
            broken.len(),
            cases.len()
        ),
        None => "n = 3: OM(1)'s vote broke in no case (it should: check the simulator)".to_string(),
    }
}

/// The exhaustive check of `decide` within `bound` as a report shows a failure of it: the bound
/// and cases run as the input, what broke, and a smallest failing run as the counterexample.
pub fn exhaustive_failure(
    decide: Om1Decide,
    bound: (usize, usize),
) -> std::result::Result<Option<(String, String, Counterexample, Om1Schedule)>, Panicked> {
    let e = exhaustive(decide, bound)?;
    let Some((case, failure)) = e.failed else {
        return Ok(None);
    };
    let code = Schedule::Om1Model {
        lo: e.check.generals[0],
        hi: *e.check.generals.last().expect("a bound"),
    };
    let mut story = run_story(&case, decide, 0);
    story.push(three_generals_line());
    let cx = Counterexample {
        property: failure.property().to_string(),
        shrunk: format!(
            "none needed: every case in order of size, so this is a smallest one ({} of {} cases run)",
            e.check.cases, e.check.bound_cases
        ),
        story,
        replay: ReplayCode::new(10, TASK, 0, code).encode(),
    };
    let got = match &failure {
        Om1Failure::Panicked(m) => format!("a panic in case {}: {m}", e.check.cases),
        f => format!("{} broke in case {}: {case}", &f.property()[..3], e.check.cases),
    };
    Ok(Some((e.check.bound(), got, cx, case)))
}

/// The schedule inside a chapter 10 replay code (a single run).
pub fn decode(code: &ReplayCode) -> std::result::Result<(&Om1Schedule, Option<Om1Size>, Option<&str>), ReplayError> {
    match &code.schedule {
        Schedule::Om1 { r, o, b } if code.task == TASK => Ok((r, *o, b.as_deref())),
        _ => Err(ReplayError::Unsupported {
            chapter: 10,
            task: code.task.clone(),
            reason: "chapter 10 replays runs of om1_decide only".into(),
        }),
    }
}

pub use super::replay_show::{find_shrunk, replay, replay_figure};
