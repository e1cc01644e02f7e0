//! Chapter 8's failing runs, shrunk and replayed: when the learner's `fencing_accepts` lets a
//! stale write in (or turns a holder's write away) on a seeded pause schedule, the grader
//! shrinks that schedule ([`crate::shrink`]) and the report tells the shrunk run, names the
//! property, and prints the code that replays it; `exercise-8 --replay CODE` draws it.

use crate::error::Result;
use crate::grade::{Counterexample, Panicked, attempt};
use crate::lease::{self, LOCK_SERVICE, LeaseOp, LeaseSchedule, LeaseViolation, STORAGE};
use crate::plot::SpaceTime;
use crate::shrink::{Budget, ReplayCode, ReplayError, Schedule, ShrunkRun, shrink};
use std::path::{Path, PathBuf};

/// The task whose runs are shrunk and replayed.
pub const TASK: &str = "fencing_accepts";

/// How a run failed: a broken storage property, or the learner's rule panicked inside it.
#[derive(Debug, Clone, PartialEq)]
pub enum RunFailure {
    /// A property broke at a write.
    Broke(LeaseViolation),
    /// The rule panicked inside the storage.
    Panicked(String),
}

impl RunFailure {
    /// The property, as the report names it.
    pub fn property(&self) -> String {
        match self {
            RunFailure::Broke(v) => v.property().to_string(),
            RunFailure::Panicked(_) => "your fencing_accepts runs without panicking".to_string(),
        }
    }

    fn same_kind(&self, other: &RunFailure) -> bool {
        match (self, other) {
            (RunFailure::Broke(a), RunFailure::Broke(b)) => a.same_kind(b),
            (RunFailure::Panicked(_), RunFailure::Panicked(_)) => true,
            _ => false,
        }
    }
}

/// One run of a schedule with the learner's rule: how it failed (if it did) and its size.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// How it failed, if it did.
    pub failure: Option<RunFailure>,
    /// The run in plain lines.
    pub story: Vec<String>,
    /// When the violating write reached the storage, true time, seconds.
    pub violation_s: Option<f64>,
    /// Events the world handled.
    pub events: u64,
    /// Messages sent.
    pub messages: usize,
}

/// Runs `schedule` on `seed` with the storage running `accepts`. A panic of `accepts` is a
/// [`RunFailure::Panicked`], not a crash of the grader; a `todo!()` is `Err(Panicked::Todo)`.
pub fn replay_run(schedule: &LeaseSchedule, accepts: fn(u64, u64) -> bool, seed: u64) -> Result<Replayed, Panicked> {
    match attempt(|| lease::run_schedule(schedule, accepts, seed, false)) {
        Ok(Ok((out, world))) => {
            let v = lease::lease_violation(&out);
            Ok(Replayed {
                failure: v.map(RunFailure::Broke),
                violation_s: v.map(|v| out.writes[v.index()].at_s),
                story: lease::lease_story(&out, v, 12),
                events: world.run.events,
                messages: world.messages.len(),
            })
        }
        Ok(Err(e)) => Ok(Replayed {
            failure: Some(RunFailure::Panicked(format!("the world stopped: {e}"))),
            story: Vec::new(),
            violation_s: None,
            events: 0,
            messages: 0,
        }),
        Err(Panicked::Todo) => Err(Panicked::Todo),
        Err(Panicked::Other(msg)) => Ok(Replayed {
            story: schedule_story(schedule, &msg),
            failure: Some(RunFailure::Panicked(msg)),
            violation_s: None,
            events: 0,
            messages: 0,
        }),
    }
}

/// A run that panicked has no outcome to tell: its schedule, and the panic.
fn schedule_story(s: &LeaseSchedule, msg: &str) -> Vec<String> {
    let mut lines: Vec<String> = s
        .pauses
        .iter()
        .map(|p| {
            format!(
                "client {} pauses at {:.2} s for {:.2} s, between its check and its write",
                lease::FIRST_CLIENT + p.client,
                p.at_s,
                p.length_s
            )
        })
        .collect();
    lines.push(format!("your fencing_accepts panicked: {msg}"));
    lines
}

/// The size of a schedule, for the report: "2 pauses, 3 clients".
fn size(s: &LeaseSchedule, r: &Replayed) -> String {
    format!(
        "{} pause{}, {} clients, {} events, {} messages",
        s.pauses.len(),
        if s.pauses.len() == 1 { "" } else { "s" },
        s.clients.len(),
        r.events,
        r.messages
    )
}

/// What shrinking one failing run gave (for the report and the benchmark).
pub type ShrinkResult = crate::shrink::ShrinkResult<LeaseSchedule, Replayed>;

/// Shrinks the failing run of `start` on `seed` (which failed as `first`) while the same
/// property still fails with `accepts`, within the default [`Budget`].
pub fn shrink_failure(start: LeaseSchedule, accepts: fn(u64, u64) -> bool, seed: u64) -> Option<ShrinkResult> {
    let first = replay_run(&start, accepts, seed).ok()?;
    let kind = first.failure.clone()?;
    let still = |s: &LeaseSchedule| {
        replay_run(s, accepts, seed)
            .ok()
            .filter(|r| r.failure.as_ref().is_some_and(|f| f.same_kind(&kind)))
    };
    // First, end the run just after the violating write, if it still fails then.
    let (begin, witness) = first
        .violation_s
        .map(|t| {
            let mut s = start.clone();
            s.until_s = crate::shrink::round_to(t + 0.1, 0.1);
            s
        })
        .filter(|s| s.until_s < start.until_s)
        .and_then(|s| still(&s).map(|w| (s, w)))
        .unwrap_or_else(|| (start.clone(), first.clone()));
    let out = shrink(begin, witness, Budget::default(), still);
    let code = ReplayCode::new(8, TASK, seed, Schedule::Lease(out.schedule.clone()))
        .with_first_run(size(&start, &first), out.stopped_by)
        .encode();
    let shrunk_failure = out.witness.failure.clone().unwrap_or(kind);
    let cx = Counterexample {
        property: shrunk_failure.property(),
        shrunk: crate::shrink::shrunk_line(
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

/// The schedule inside a chapter 8 replay code.
pub fn decode(code: &ReplayCode) -> std::result::Result<&LeaseSchedule, ReplayError> {
    match &code.schedule {
        Schedule::Lease(s) if code.task == TASK => Ok(s),
        _ => Err(ReplayError::Unsupported {
            chapter: 8,
            task: code.task.clone(),
            reason: "chapter 8 replays runs of fencing_accepts only".into(),
        }),
    }
}

/// The space-time diagram of exactly the run `schedule` describes, with the storage running
/// `accepts`: grants, holds, pauses, every write, and the violating write marked.
pub fn replay_figure(schedule: &LeaseSchedule, accepts: fn(u64, u64) -> bool, seed: u64) -> Result<SpaceTime> {
    let (out, world) = lease::run_schedule(schedule, accepts, seed, true)?;
    let v = lease::lease_violation(&out);
    let mut names = vec!["lock service".to_string(), "storage".to_string()];
    names.extend((0..schedule.clients.len()).map(|c| format!("client {}", lease::FIRST_CLIENT + c)));
    let end = v.map_or(schedule.until_s, |v| {
        (out.writes[v.index()].at_s + 1.0).min(schedule.until_s)
    });
    let mut fig = SpaceTime::from_outcome(&world)
        .title(match v {
            Some(v) => format!("The shrunk run breaks “{}” (✗ at the storage), true time", v.property()),
            None => "The replayed run: no storage property broke".to_string(),
        })
        .node_names(names)
        .until(end)
        .width(1200);
    for g in &out.grants {
        fig = fig.label_event(
            LOCK_SERVICE,
            g.from_s,
            format!("grants {} to client {}", g.token, g.client),
        );
        if g.until_s <= end {
            fig = fig.label_event(LOCK_SERVICE, g.until_s, format!("{} ends", g.token));
        }
    }
    for op in &out.history {
        if let LeaseOp::Hold { token } = op.op {
            fig = fig.label_event(op.node, op.invoked_at_s, format!("holds {token}"));
        }
    }
    for (i, w) in out.writes.iter().enumerate() {
        let text = match v {
            Some(LeaseViolation::Stale { index }) if index == i => format!("✗ STALE write, token {} accepted", w.token),
            Some(LeaseViolation::ValidRejected { index }) if index == i => {
                format!("✗ holder's token {} rejected", w.token)
            }
            _ if w.accepted => format!("accepts {}", w.token),
            _ => format!("rejects {}", w.token),
        };
        fig = fig.label_event(STORAGE, w.at_s, text);
    }
    Ok(fig)
}

/// `exercise-8 --replay CODE`: replays the run with the learner's rule, writes its diagram under
/// `out`, and returns what the report shows.
pub fn replay(accepts: fn(u64, u64) -> bool, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
    if let Schedule::FenceModel { p } = code.schedule {
        return replay_exhaustive(accepts, p, code, out);
    }
    let schedule = decode(code)?;
    schedule.validate()?;
    // A rule still at todo!() or one that panics is drawn with the library's rule.
    let r = replay_run(schedule, accepts, code.seed);
    let (property, story, drawn_with, now) = match r {
        Ok(r) => {
            let panicked = matches!(r.failure, Some(RunFailure::Panicked(_)));
            let now = size(schedule, &r);
            (
                r.failure
                    .map_or("nothing broke: your storage passes this run".to_string(), |f| {
                        f.property()
                    }),
                r.story,
                if panicked { lease::fencing_accepts } else { accepts },
                Some(now),
            )
        }
        Err(_) => (
            "not attempted: fencing_accepts is still todo!()".to_string(),
            Vec::new(),
            lease::fencing_accepts as fn(u64, u64) -> bool,
            None,
        ),
    };
    let files = replay_figure(schedule, drawn_with, code.seed)?.save(out, "replay")?;
    let cx = Counterexample {
        property,
        shrunk: code.shrunk_line(now.as_deref(), || {
            format!(
                "a replayed run: {} pauses, {} clients, seed {}",
                schedule.pauses.len(),
                schedule.clients.len(),
                code.seed
            )
        }),
        story,
        replay: code.encode(),
    };
    Ok((cx, files))
}

/// `--replay` of the exhaustive check: runs it again with the learner's rule and draws the
/// first run that breaks (none when every placement passes).
fn replay_exhaustive(
    accepts: fn(u64, u64) -> bool,
    p: usize,
    code: &ReplayCode,
    out: &Path,
) -> Result<(Counterexample, Vec<PathBuf>)> {
    if attempt(|| accepts(1, 0)).is_err() {
        return Err(ReplayError::Unsupported {
            chapter: 8,
            task: code.task.clone(),
            reason: "fencing_accepts is still todo!() or panics".into(),
        }
        .into());
    }
    let check = super::exhaustive::check_fencing(accepts, p);
    let Some((schedule, failure, story)) = check.found.clone() else {
        let cx = Counterexample {
            property: "nothing broke: no stale write accepted and no holder's write rejected in any explored run"
                .into(),
            shrunk: check.bound(),
            story: Vec::new(),
            replay: code.encode(),
        };
        return Ok((cx, Vec::new()));
    };
    let drawn_with = if matches!(failure, RunFailure::Panicked(_)) {
        lease::fencing_accepts
    } else {
        accepts
    };
    let files = replay_figure(&schedule, drawn_with, super::exhaustive::SEED)?.save(out, "replay")?;
    let cx = Counterexample {
        property: failure.property(),
        shrunk: super::exhaustive::none_needed(check.explored),
        story,
        replay: code.encode(),
    };
    Ok((cx, files))
}

/// The first of task 1's lease worlds (drawn from `seed`) in which a storage running
/// `accepts` breaks a property, shrunk, with its diagram: what a notebook cell shows live.
pub fn find_shrunk(accepts: fn(u64, u64) -> bool, seed: u64) -> Result<Option<ShrunkRun>> {
    for (cfg, s) in super::grade::fencing_worlds(seed) {
        let start = LeaseSchedule::draw(&cfg, 0.0, s);
        if let Some(r) = shrink_failure(start, accepts, s) {
            let diagram = replay_figure(&r.shrunk.0, accepts, s)?;
            return Ok(Some(ShrunkRun {
                exercise: 8,
                counterexample: r.counterexample,
                diagram,
            }));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replay_code_replays_the_same_shrunk_run_as_the_report_shows() {
        let no_fencing: fn(u64, u64) -> bool = |_, _| true;
        let shown = find_shrunk(no_fencing, 2026).unwrap().expect("a stale write");
        let cx = &shown.counterexample;
        assert_eq!(cx.property, "no stale write accepted");
        assert!(cx.story.len() <= 12, "{:?}", cx.story);
        assert!(cx.story.last().unwrap().contains("overwrote newer data"));
        let code = ReplayCode::decode(&cx.replay, 8).unwrap();
        let dir = std::env::temp_dir().join(format!("faultline-replay-{}", std::process::id()));
        let (again, files) = replay(no_fencing, &code, &dir).unwrap();
        // The report again, byte for byte, "shrunk" line (first run's size) included.
        assert_eq!(again.render(8), cx.render(8));
        assert!(again.shrunk.starts_with("from "), "{}", again.shrunk);
        assert_eq!(files.len(), 2);
        // With fencing, the same run breaks nothing.
        let (fenced, _) = replay(lease::fencing_accepts, &code, &dir).unwrap();
        assert!(fenced.property.starts_with("nothing broke"), "{}", fenced.property);
        let _ = std::fs::remove_dir_all(dir);
    }
}
