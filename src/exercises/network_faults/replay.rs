//! Chapter 2's failing runs, shrunk and replayed: when the learner's `deliver_in_order`,
//! running inside the receiver of a lossy, duplicating, reordering link, hands the application
//! something in-order delivery does not allow, the grader shrinks the link's schedule (fewer
//! messages, fewer lost, late and duplicated ones), tells the run in plain lines, and prints
//! the code that replays it; `exercise-2 --replay CODE` draws it.

use std::path::{Path, PathBuf};

use super::schedule::{LinkRun, LinkSchedule, in_order};
use super::story::{list, story};
use crate::error::Result;
use crate::grade::{Counterexample, Panicked};
use crate::plot::SpaceTime;
use crate::shrink::{Budget, ReplayCode, ReplayError, Schedule, ShrunkRun, shrink, shrunk_line};

/// The task whose runs are shrunk and replayed.
pub const TASK: &str = "deliver_in_order";

pub use super::schedule::Deliver;

/// How in-order delivery broke, after an arrival.
#[derive(Debug, Clone, PartialEq)]
pub enum OrderViolation {
    /// `number` was handed over before `missing`, which had not arrived.
    Early {
        /// The number handed over too soon.
        number: u64,
        /// The first number that had not arrived.
        missing: u64,
    },
    /// Everything up to `up_to` had arrived, but less was handed over.
    Held {
        /// The last number that should have been handed over.
        up_to: u64,
    },
    /// Something else: a number twice, or out of order.
    Wrong,
    /// The function panicked.
    Panicked(String),
}

impl OrderViolation {
    /// The property, as the report names it.
    pub fn property(&self) -> &'static str {
        match self {
            OrderViolation::Early { .. } => "nothing handed over before every number below it has arrived",
            OrderViolation::Held { .. } => "everything that can be handed over in order is handed over",
            OrderViolation::Wrong => "each number handed over once, in order",
            OrderViolation::Panicked(_) => "your deliver_in_order runs without panicking",
        }
    }

    fn same_kind(&self, other: &OrderViolation) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// How `got` differs from what in-order delivery hands over after `arrivals`.
pub(super) fn classify(got: &[u64], arrivals: &[u64]) -> Option<OrderViolation> {
    let want = in_order(arrivals);
    if got == want.as_slice() {
        return None;
    }
    let missing = want.len() as u64;
    Some(if let Some(&number) = got.iter().find(|&&g| g >= missing) {
        OrderViolation::Early { number, missing }
    } else if want.starts_with(got) {
        OrderViolation::Held { up_to: missing - 1 }
    } else {
        OrderViolation::Wrong
    })
}

fn violation(run: &LinkRun) -> Option<OrderViolation> {
    let r = &run.receiver;
    match &r.panicked {
        Some(Some(m)) => return Some(OrderViolation::Panicked(m.clone())),
        Some(None) => return Some(OrderViolation::Panicked(String::new())),
        None => {}
    }
    if !r.broke {
        return None;
    }
    let arrived: Vec<u64> = r.arrivals.iter().map(|a| a.1).collect();
    classify(r.handed.last()?, &arrived)
}

/// One run of a schedule with the learner's function.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// How it failed, if it did.
    pub failure: Option<OrderViolation>,
    /// The run in plain lines.
    pub story: Vec<String>,
    /// Events the world handled.
    pub events: u64,
    /// Messages sent (copies included).
    pub messages: usize,
}

/// Runs `schedule` on `seed` with the receiver running `deliver`: a panic is an
/// [`OrderViolation::Panicked`]; a `todo!()` is `Err(Panicked::Todo)`.
pub fn replay_run(schedule: &LinkSchedule, deliver: Deliver, seed: u64) -> std::result::Result<Replayed, Panicked> {
    let r = match schedule.run(deliver, seed) {
        Ok(run) => replayed(&run, schedule),
        Err(e) => Replayed {
            failure: Some(OrderViolation::Panicked(format!("the world stopped: {e}"))),
            story: Vec::new(),
            events: 0,
            messages: 0,
        },
    };
    match &r.failure {
        Some(OrderViolation::Panicked(m)) if m.is_empty() => Err(Panicked::Todo),
        _ => Ok(r),
    }
}

pub(super) fn replayed(run: &LinkRun, schedule: &LinkSchedule) -> Replayed {
    let v = violation(run);
    Replayed {
        story: story(run, schedule, v.as_ref(), 12),
        failure: v,
        events: run.world.run.events,
        messages: run.world.messages.len(),
    }
}

fn size(s: &LinkSchedule, r: &Replayed) -> String {
    let n = s.wire.len();
    let plural = |k: usize| if k == 1 { "" } else { "s" };
    format!(
        "{n} fault{}, {} message{} sent, {} events, {} cop{} on the wire",
        plural(n),
        s.messages,
        plural(s.messages as usize),
        r.events,
        r.messages,
        if r.messages == 1 { "y" } else { "ies" }
    )
}

/// What shrinking one failing run gave (for the report and the benchmark).
pub type ShrinkResult = crate::shrink::ShrinkResult<LinkSchedule, Replayed>;

/// Shrinks the failing run of `start` on `seed` while the same property still breaks with
/// `deliver`, within the default [`Budget`].
pub fn shrink_failure(start: LinkSchedule, deliver: Deliver, seed: u64) -> Option<ShrinkResult> {
    let first = replay_run(&start, deliver, seed).ok()?;
    let kind = first.failure.clone()?;
    let still = |s: &LinkSchedule| {
        replay_run(s, deliver, seed)
            .ok()
            .filter(|r| r.failure.as_ref().is_some_and(|f| f.same_kind(&kind)))
    };
    let out = shrink(start.clone(), first.clone(), Budget::default(), still);
    let code = ReplayCode::new(2, TASK, seed, Schedule::Link(out.schedule.clone()))
        .with_first_run(size(&start, &first), out.stopped_by)
        .encode();
    let failure = out.witness.failure.clone().unwrap_or(kind);
    let cx = Counterexample {
        property: failure.property().to_string(),
        shrunk: shrunk_line(
            &size(&start, &first),
            &size(&out.schedule, &out.witness),
            out.stopped_by,
        ),
        story: out.witness.story.clone(),
        replay: code,
    };
    Some(ShrinkResult {
        counterexample: cx,
        first: (start, first),
        shrunk: (out.schedule, out.witness),
        runs: out.runs,
    })
}

/// The schedule inside a chapter 2 replay code.
pub fn decode(code: &ReplayCode) -> std::result::Result<&LinkSchedule, ReplayError> {
    match &code.schedule {
        Schedule::Link(s) if code.task == TASK => Ok(s),
        _ => Err(ReplayError::Unsupported {
            chapter: 2,
            task: code.task.clone(),
            reason: "chapter 2 replays runs of deliver_in_order only".into(),
        }),
    }
}

/// The space-time diagram of exactly the run `schedule` describes with the receiver running
/// `deliver`: every message (lost ones end in a cross), what was handed over at each arrival,
/// and the arrival where in-order delivery broke marked.
pub fn replay_figure(schedule: &LinkSchedule, deliver: Deliver, seed: u64) -> Result<SpaceTime> {
    let run = schedule.run(deliver, seed)?;
    let v = violation(&run);
    let r = &run.receiver;
    let end = r.arrivals.last().map_or(0.01, |a| a.0 + 0.002);
    let mut fig = SpaceTime::from_outcome(&run.world)
        .title(match &v {
            Some(v) => format!(
                "The shrunk run breaks “{}” (✗ at the receiver), true time",
                v.property()
            ),
            None => "The replayed run: delivered in order".to_string(),
        })
        .node_names(["sender", "receiver"])
        .until(if v.is_some() { end } else { run.world.run.now + 0.002 })
        .width(1100);
    let mut seq = 0u64;
    for (i, m) in run.world.messages.iter().enumerate() {
        if !m.duplicate {
            fig = fig.label_send(i, seq.to_string());
            seq += 1;
        }
    }
    let mut before: Vec<u64> = Vec::new();
    for (k, got) in r.handed.iter().enumerate() {
        let t = r.arrivals[k].0;
        let last = k + 1 == r.handed.len() && r.broke;
        let more = got.strip_prefix(before.as_slice()).unwrap_or(got);
        let text = if last {
            match &v {
                Some(OrderViolation::Early { number, missing }) => format!("✗ hands over {number} before {missing}"),
                Some(OrderViolation::Held { up_to }) => format!("✗ holds back up to {up_to}"),
                _ => format!("✗ returns [{}]", list(got)),
            }
        } else if more.is_empty() {
            continue;
        } else {
            format!("hands over {}", list(more))
        };
        fig = fig.label_event(1, t, text);
        before.clone_from(got);
    }
    Ok(fig)
}

/// `exercise-2 --replay CODE`: replays the run with the learner's function (the reference one
/// for the diagram while it is `todo!()` or panics), writes its diagram under `out`, and
/// returns what the report shows.
pub fn replay(deliver: Deliver, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
    let schedule = decode(code)?;
    schedule.validate()?;
    let reference: Deliver = in_order;
    let (property, story, drawn_with, now) = match replay_run(schedule, deliver, code.seed) {
        Ok(r) => {
            let panicked = matches!(r.failure, Some(OrderViolation::Panicked(_)));
            let now = size(schedule, &r);
            (
                r.failure.map_or(
                    "nothing broke: your deliver_in_order passes this run".to_string(),
                    |f| f.property().to_string(),
                ),
                r.story,
                if panicked { reference } else { deliver },
                Some(now),
            )
        }
        Err(_) => (
            "not attempted: deliver_in_order is still todo!()".to_string(),
            Vec::new(),
            reference,
            None,
        ),
    };
    let files = replay_figure(schedule, drawn_with, code.seed)?.save(out, "replay")?;
    let cx = Counterexample {
        property,
        shrunk: code.shrunk_line(now.as_deref(), || {
            format!(
                "a replayed run: {} fault{}, {} message{} sent, seed {}",
                schedule.wire.len(),
                if schedule.wire.len() == 1 { "" } else { "s" },
                schedule.messages,
                if schedule.messages == 1 { "" } else { "s" },
                code.seed
            )
        }),
        story,
        replay: code.encode(),
    };
    Ok((cx, files))
}

/// A shrunk run with its diagram, for a notebook cell: the first of the grader's seeded runs
/// (from `seed`) on which `deliver` breaks in-order delivery, shrunk.
pub fn find_shrunk(deliver: Deliver, seed: u64) -> Result<Option<ShrunkRun>> {
    let Some((schedule, s)) = super::grade::first_failing(deliver, seed)? else {
        return Ok(None);
    };
    let Some(r) = shrink_failure(schedule, deliver, s) else {
        return Ok(None);
    };
    let diagram = replay_figure(&r.shrunk.0, deliver, s)?;
    Ok(Some(ShrunkRun {
        exercise: 2,
        counterexample: r.counterexample,
        diagram,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replay_code_replays_the_shrunk_run_byte_for_byte() {
        for m in super::super::tasks::DELIVER_IN_ORDER.mistakes {
            let mut a = super::super::Answers {
                one_way_delay: |_, _, _, _| 0.0,
                first_copies: |_| Vec::new(),
                deliver_in_order: in_order,
                may_act: |_, _| false,
            };
            (m.apply)(&mut a);
            let f = a.deliver_in_order;
            let found = find_shrunk(f, 2026).unwrap().expect("it fails");
            let cx = &found.counterexample;
            eprintln!("{}\n{}", m.what, cx.render(2));
            assert!(cx.story.len() <= 8, "{:?}", cx.story);
            let code = ReplayCode::decode(&cx.replay, 2).unwrap();
            let dir = std::env::temp_dir().join(format!("faultline-replay2-{}", std::process::id()));
            let (again, files) = replay(f, &code, &dir).unwrap();
            assert_eq!(again.render(2), cx.render(2));
            assert!(again.shrunk.starts_with("from "), "{}", again.shrunk);
            assert_eq!(files.len(), 2);
            let (fine, _) = replay(in_order, &code, &dir).unwrap();
            assert!(fine.property.starts_with("nothing broke"), "{}", fine.property);
            let (p, _) = replay(|_| panic!("no!"), &code, &dir).unwrap();
            assert_eq!(p.property, "your deliver_in_order runs without panicking");
            let (todo, _) = replay(|_| todo!(), &code, &dir).unwrap();
            assert!(todo.property.starts_with("not attempted"), "{}", todo.property);
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}
