//! Chapter 9's failing runs, shrunk and replayed: when the learner's `grant_vote` lets a term
//! have two leaders on a seeded schedule of partitions, crashes and pauses, the grader shrinks
//! that schedule ([`crate::shrink`]) and the report tells the shrunk run, names the property and
//! prints the code that replays it; `exercise-9 --replay CODE` draws it.

use super::figures::short_label;
use crate::error::Result;
use crate::grade::{Counterexample, Panicked, attempt};
use crate::plot::SpaceTime;
use crate::quorum::{self, ElectionOp, ElectionSchedule, VoteRule};
use crate::shrink::{Budget, ReplayCode, ReplayError, Schedule, ShrunkRun, shrink};
use std::path::{Path, PathBuf};

/// The task whose runs are shrunk and replayed.
pub const TASK: &str = "grant_vote";

/// The property the task's runs must keep.
pub const PROPERTY: &str = "at most one leader per term";

/// One run of a schedule with the learner's rule.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// The first term with two leaders, and them; or the rule's panic.
    pub failure: Option<std::result::Result<(u64, Vec<usize>), String>>,
    /// When the second leader of that term won, true time, seconds.
    pub second_leader_s: Option<f64>,
    /// Whether any node won a term.
    pub elected: bool,
    /// Events the world handled.
    pub events: u64,
    /// Messages sent.
    pub messages: usize,
}

/// Runs `schedule` on `seed` with every node voting by `rule`. A panic of `rule` is a failure
/// of its own, not a crash of the grader; a `todo!()` is `Err(Panicked::Todo)`.
pub fn replay_run(schedule: &ElectionSchedule, rule: VoteRule, seed: u64) -> std::result::Result<Replayed, Panicked> {
    let faults = schedule.world_faults();
    match attempt(|| quorum::simulate_traced_with(&schedule.cfg, rule, &faults, seed, false)) {
        Ok(Ok((out, world))) => Ok(Replayed {
            failure: out.terms_with_two_leaders().into_iter().next().map(Ok),
            second_leader_s: second_leader_s(&out),
            elected: out.first_leader_s().is_some(),
            events: world.run.events,
            messages: world.messages.len(),
        }),
        Ok(Err(e)) => Ok(Replayed {
            failure: Some(Err(format!("the world stopped: {e}"))),
            second_leader_s: None,
            elected: false,
            events: 0,
            messages: 0,
        }),
        Err(Panicked::Todo) => Err(Panicked::Todo),
        Err(Panicked::Other(msg)) => Ok(Replayed {
            failure: Some(Err(msg)),
            second_leader_s: None,
            elected: false,
            events: 0,
            messages: 0,
        }),
    }
}

fn second_leader_s(out: &quorum::ElectionOutcome) -> Option<f64> {
    let (term, _) = out.terms_with_two_leaders().into_iter().next()?;
    out.reigns.iter().filter(|r| r.term == term).nth(1).map(|r| r.from_s)
}

/// The size of a run, for the report: "2 faults, 5 nodes, 3.2 s, 681 events, 483 messages".
pub(super) fn size(s: &ElectionSchedule, r: &Replayed) -> String {
    format!(
        "{} fault{}, {} nodes, {} s, {} events, {} messages",
        s.faults.len(),
        if s.faults.len() == 1 { "" } else { "s" },
        s.cfg.nodes,
        crate::grade::fmt_num(s.cfg.until_s),
        r.events,
        r.messages
    )
}

/// The run in plain lines (run again with labelled messages, to read the votes).
pub fn story(schedule: &ElectionSchedule, rule: VoteRule, seed: u64) -> Vec<String> {
    let faults = schedule.world_faults();
    match attempt(|| quorum::simulate_traced(&schedule.cfg, rule, &faults, seed)) {
        Ok(Ok((out, world))) => quorum::election_story(&out, &world, &schedule.faults, 12),
        Ok(Err(e)) => vec![format!("the world stopped: {e}")],
        Err(p) => {
            let mut lines: Vec<String> = schedule.faults.iter().map(|f| f.describe()).collect();
            lines.push(p.label(TASK));
            lines
        }
    }
}

/// What shrinking one failing run gave (for the report and the benchmark).
pub type ShrinkResult = crate::shrink::ShrinkResult<ElectionSchedule, Replayed>;

/// Shrinks the failing run of `start` on `seed` while a term still has two leaders (or the
/// rule still panics) with `rule`, within `budget`.
pub fn shrink_failure(start: ElectionSchedule, rule: VoteRule, seed: u64, budget: Budget) -> Option<ShrinkResult> {
    let first = replay_run(&start, rule, seed).ok()?;
    let panicked = matches!(first.failure, Some(Err(_)));
    first.failure.as_ref()?;
    let still = |s: &ElectionSchedule| {
        replay_run(s, rule, seed)
            .ok()
            .filter(|r| r.failure.as_ref().is_some_and(|f| f.is_err() == panicked))
    };
    // First, end the run just after the second leader won, if it still fails then.
    let (begin, witness) = first
        .second_leader_s
        .map(|t| {
            let mut s = start.clone();
            s.cfg.until_s = crate::shrink::round_to(t + 0.1, 0.1);
            s
        })
        .filter(|s| s.cfg.until_s < start.cfg.until_s)
        .and_then(|s| still(&s).map(|w| (s, w)))
        .unwrap_or_else(|| (start.clone(), first.clone()));
    let out = shrink(begin, witness, budget, still);
    let code = ReplayCode::new(9, TASK, seed, Schedule::Election(out.schedule.clone()))
        .with_first_run(size(&start, &first), out.stopped_by)
        .encode();
    let cx = Counterexample {
        property: if panicked {
            "your grant_vote runs without panicking".into()
        } else {
            PROPERTY.into()
        },
        shrunk: crate::shrink::shrunk_line(
            &size(&start, &first),
            &size(&out.schedule, &out.witness),
            out.stopped_by,
        ),
        story: story(&out.schedule, rule, seed),
        replay: code,
    };
    Some(ShrinkResult {
        counterexample: cx,
        first: (start, first),
        shrunk: (out.schedule, out.witness),
        runs: out.runs,
    })
}

/// The bound of the exhaustive check the grader runs: 3 nodes, terms up to 2, runs of up to 8
/// steps (every two-leader run of the listed mistakes is at most 8 steps long).
pub const EXHAUSTIVE: (usize, u64, usize) = (3, 2, 8);

/// States the exhaustive check may visit at most.
const MAX_STATES: usize = 1_000_000;

/// The exhaustive check of `rule` within `bound` as a report shows a failure of it: the bound
/// and states explored as the input, a shortest two-leader run as the counterexample.
pub fn exhaustive_failure(rule: VoteRule, bound: (usize, u64, usize)) -> Option<(String, String, Counterexample)> {
    let e = quorum::check_vote_rule(rule, bound.0, bound.1, bound.2, MAX_STATES);
    let path = e.counterexample.clone()?;
    let code = ReplayCode::new(
        9,
        TASK,
        0,
        Schedule::VoteModel {
            n: e.nodes,
            t: e.max_term,
            s: e.max_steps,
        },
    )
    .encode();
    let got = format!("two leaders in one term after {} steps", path.len());
    let cx = Counterexample {
        property: PROPERTY.into(),
        shrunk: format!(
            "none needed: breadth-first, so this is a shortest run ({} states explored)",
            e.states
        ),
        story: path
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{:>2}. {l}", i + 1))
            .collect(),
        replay: code,
    };
    Some((e.bound(), got, cx))
}

/// The space-time diagram of the exhaustive check's shortest two-leader run: a lane per node,
/// the step number as the time axis, each request and answer an arrow, each win marked.
pub fn model_figure(e: &quorum::Exhaustive) -> SpaceTime {
    let steps = e.counterexample.as_ref().map_or(1, Vec::len);
    let mut fig = SpaceTime::from_records(e.nodes, &e.path_messages, &[], &[], steps as f64)
        .title(format!(
            "The shortest run with two leaders in one term (✗): {} nodes, in steps",
            e.nodes
        ))
        .time_axis("step (one timeout or one delivery; a message never delivered is lost)")
        .node_names((0..e.nodes).map(|i| format!("node {i}")))
        .width(1200)
        .label_messages(|m| {
            m.label
                .as_deref()
                .filter(|l| !l.starts_with("Heartbeat"))
                .map(short_label)
        });
    for (k, &(step, node, term)) in e.path_wins.iter().enumerate() {
        let second = e.path_wins[..k].iter().any(|w| w.2 == term);
        let text = if second {
            format!("✗ leads term {term} too")
        } else {
            format!("leads term {term}")
        };
        fig = fig.label_event(node, step as f64, text);
    }
    fig
}

/// The schedule inside a chapter 9 replay code.
pub fn decode(code: &ReplayCode) -> std::result::Result<&ElectionSchedule, ReplayError> {
    match &code.schedule {
        Schedule::Election(s) if code.task == TASK => Ok(s),
        _ => Err(ReplayError::Unsupported {
            chapter: 9,
            task: code.task.clone(),
            reason: "chapter 9 replays runs of grant_vote only".into(),
        }),
    }
}

/// The space-time diagram of exactly the run `schedule` describes with every node voting by
/// `rule`: requests, granted votes, each leader's win, and the second leader of a term marked.
pub fn replay_figure(schedule: &ElectionSchedule, rule: VoteRule, seed: u64) -> Result<SpaceTime> {
    let faults = schedule.world_faults();
    let (out, world) = quorum::simulate_traced(&schedule.cfg, rule, &faults, seed)?;
    let two = out.terms_with_two_leaders().into_iter().next();
    let second = two
        .as_ref()
        .and_then(|(term, _)| out.reigns.iter().filter(|r| r.term == *term).nth(1));
    let end = second.map_or(out.end_s, |r| (r.from_s + 0.05).min(out.end_s));
    let mut fig = SpaceTime::from_outcome(&world)
        .title(match &two {
            Some((term, _)) => format!("The shrunk run: two leaders in term {term} (✗), true time (seed {seed})"),
            None if out.reigns.is_empty() => format!("The run: no node is elected (✗), true time (seed {seed})"),
            None => format!("The replayed run: at most one leader per term, true time (seed {seed})"),
        })
        .node_names((0..schedule.cfg.nodes).map(|i| format!("node {i}")))
        .until(end)
        .width(1200)
        // Granted votes; in a run where nobody wins, every answer (the refusals are the story).
        .label_messages(|m| {
            m.label
                .as_deref()
                .filter(|l| l.contains("granted: true") || (out.reigns.is_empty() && l.starts_with("Vote")))
                .map(short_label)
        });
    for op in &out.history {
        let ElectionOp::Lead { term } = op.op;
        let second_here = second.is_some_and(|r| r.node == op.node && r.term == term);
        let text = if second_here {
            format!("✗ leads term {term} too")
        } else {
            format!("leads term {term}")
        };
        fig = fig.label_event(op.node, op.invoked_at_s, text);
    }
    Ok(fig)
}

/// `exercise-9 --replay CODE`: replays the run with the learner's rule (the library's while it
/// is `todo!()` or panics, for the diagram), writes its diagram under `out`, and returns what the
/// report shows.
pub fn replay(rule: VoteRule, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
    if let Schedule::VoteModel { n, t, s } = code.schedule {
        // The model has no clocks: its diagram runs in steps.
        if attempt(|| rule(1, None, 0, 1)).is_err() {
            return Err(ReplayError::Unsupported {
                chapter: 9,
                task: code.task.clone(),
                reason: "grant_vote is still todo!() or panics".into(),
            }
            .into());
        }
        let bound = (n.clamp(2, 4), t.clamp(1, 3), s.min(10));
        let found = attempt(|| exhaustive_failure(rule, bound));
        let cx = match found {
            Ok(Some((_, _, cx))) => {
                let e = quorum::check_vote_rule(rule, bound.0, bound.1, bound.2, MAX_STATES);
                let files = model_figure(&e).save(out, "replay")?;
                return Ok((cx, files));
            }
            Ok(None) => Counterexample {
                property: "nothing broke: at most one leader per term in every explored run".into(),
                shrunk: format!("every interleaving of up to {s} steps of {n} nodes up to term {t}"),
                story: Vec::new(),
                replay: code.encode(),
            },
            Err(p) => Counterexample {
                property: "your grant_vote runs without panicking".into(),
                shrunk: String::new(),
                story: vec![p.label(TASK)],
                replay: code.encode(),
            },
        };
        return Ok((cx, Vec::new()));
    }
    let schedule = decode(code)?;
    schedule.validate()?;
    // The story as the grader told it (for a panicking rule too: the faults, then the panic).
    let (property, story, drawn_with, now) = match replay_run(schedule, rule, code.seed) {
        Ok(r) => {
            let now = Some(size(schedule, &r));
            match r.failure {
                None => match super::liveness::leaderless(schedule, rule, code.seed) {
                    Some(reference_s) => (
                        super::liveness::PROPERTY.to_string(),
                        super::liveness::story(schedule, rule, code.seed, reference_s, 12),
                        rule,
                        now,
                    ),
                    None => (
                        "nothing broke: at most one leader per term on this run".to_string(),
                        story(schedule, rule, code.seed),
                        rule,
                        now,
                    ),
                },
                Some(Ok(_)) => (PROPERTY.to_string(), story(schedule, rule, code.seed), rule, now),
                Some(Err(_)) => (
                    "your grant_vote runs without panicking".to_string(),
                    story(schedule, rule, code.seed),
                    quorum::reference_rule(),
                    now,
                ),
            }
        }
        Err(_) => (
            "not attempted: grant_vote is still todo!()".to_string(),
            Vec::new(),
            quorum::reference_rule(),
            None,
        ),
    };
    let files = replay_figure(schedule, drawn_with, code.seed)?.save(out, "replay")?;
    let cx = Counterexample {
        property,
        shrunk: code.shrunk_line(now.as_deref(), || {
            format!(
                "a replayed run: {} faults, {} nodes, seed {}",
                schedule.faults.len(),
                schedule.cfg.nodes,
                code.seed
            )
        }),
        story,
        replay: code.encode(),
    };
    Ok((cx, files))
}

/// The first of `runs` chaos schedules (from `seed`, as the grader draws them) on which five
/// nodes voting by `rule` elect two leaders in one term, shrunk, with its diagram: what a
/// notebook cell shows live.
pub fn find_shrunk(rule: VoteRule, runs: usize, seed: u64) -> Result<Option<ShrunkRun>> {
    let cfg = quorum::ElectionConfig::default();
    let Some(two) = quorum::find_two_leaders(&cfg, rule, runs, seed)? else {
        return Ok(None);
    };
    let start = ElectionSchedule::new(cfg, &two.faults);
    let Some(r) = shrink_failure(start, rule, two.seed, Budget::default()) else {
        return Ok(None);
    };
    let diagram = replay_figure(&r.shrunk.0, rule, two.seed)?;
    Ok(Some(ShrunkRun {
        exercise: 9,
        counterexample: r.counterexample,
        diagram,
    }))
}
