//! Chapter 1's failing runs, shrunk and replayed: when the learner's `apply_transfer` applies a
//! transfer twice (or misses one, or answers a retry differently) on a seeded bank run, the
//! grader shrinks that run's schedule ([`super::schedule`]: fewer lost, late and duplicated
//! messages, fewer server faults, fewer transfers, an earlier end), tells it in plain lines,
//! and prints the code that replays it; `exercise-1 --replay CODE` draws it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::schedule::{BankRun, BankSchedule, MsgKey};
pub use super::story::BankViolation;
use super::story::{bank_violation, story, transfer_name};
use super::{Ledger, Receipt, Transfer};
use crate::error::Result;
use crate::grade::{Counterexample, Panicked, Verdict};
use crate::plot::SpaceTime;
use crate::shrink::{Budget, ReplayCode, ReplayError, Schedule, ShrunkRun, round_to, shrink, shrunk_line};

/// The task whose runs are shrunk and replayed.
pub const TASK: &str = "apply_transfer";

/// The learner's server function.
pub type Apply = fn(&mut Ledger, Transfer) -> Receipt;

/// One run of a schedule with the learner's function: how it failed (if it did), the run told,
/// and its size.
#[derive(Debug, Clone)]
pub struct Replayed {
    /// How it failed, if it did.
    pub failure: Option<BankViolation>,
    /// The run in plain lines.
    pub story: Vec<String>,
    /// When the violation happened, true time, seconds.
    pub violation_s: Option<f64>,
    /// Events the world handled.
    pub events: u64,
    /// Messages sent.
    pub messages: usize,
    /// Which message each one sent was (duplicates not repeated).
    pub sent: Vec<MsgKey>,
}

/// Runs `schedule` on `seed` with the server running `apply`: a panic of `apply` is a
/// [`BankViolation::Panicked`]; a `todo!()` is `Err(Panicked::Todo)`.
pub fn replay_run(schedule: &BankSchedule, apply: Apply, seed: u64) -> std::result::Result<Replayed, Panicked> {
    match schedule.run(apply, seed, false) {
        Ok(run) => Ok(replayed(&run, schedule)),
        Err(e) => Ok(Replayed {
            failure: Some(BankViolation::Panicked(format!("the world stopped: {e}"))),
            story: Vec::new(),
            violation_s: None,
            events: 0,
            messages: 0,
            sent: Vec::new(),
        }),
    }
    .and_then(|r| match &r.failure {
        Some(BankViolation::Panicked(m)) if m.is_empty() => Err(Panicked::Todo),
        _ => Ok(r),
    })
}

pub(super) fn replayed(run: &BankRun, schedule: &BankSchedule) -> Replayed {
    let v = bank_violation(run, schedule);
    let violation_s = match &v {
        Some(BankViolation::Panicked(_)) => run.world.failure.as_ref().map(|f| f.at_s),
        Some(v) => v.call().map(|i| run.server.calls[i].at_s),
        None => None,
    };
    Replayed {
        story: story(run, schedule, v.as_ref(), 12),
        failure: v,
        violation_s,
        events: run.world.run.events,
        messages: run.world.messages.len(),
        sent: run.sent.clone(),
    }
}

/// The size of a run, for the report: "3 faults, 2 transfers, 14 events, 6 messages".
fn size(s: &BankSchedule, r: &Replayed) -> String {
    let n = s.fault_count();
    format!(
        "{n} fault{}, {} transfer{}, {} events, {} messages",
        if n == 1 { "" } else { "s" },
        s.transfers.len(),
        if s.transfers.len() == 1 { "" } else { "s" },
        r.events,
        r.messages
    )
}

/// What shrinking one failing run gave (for the report and the benchmark).
pub type ShrinkResult = crate::shrink::ShrinkResult<BankSchedule, Replayed>;

/// Shrinks the failing run of `start` on `seed` while the same property still breaks with
/// `apply`, within the default [`Budget`].
pub fn shrink_failure(start: BankSchedule, apply: Apply, seed: u64) -> Option<ShrinkResult> {
    let first = replay_run(&start, apply, seed).ok()?;
    let kind = first.failure.clone()?;
    let still = |s: &BankSchedule| {
        replay_run(s, apply, seed)
            .ok()
            .filter(|r| r.failure.as_ref().is_some_and(|f| f.same_kind(&kind)))
    };
    // First, end the run just after the violation, if it still fails then; then keep only the
    // fates of the messages sent by then (the others change nothing).
    let (mut begin, witness) = first
        .violation_s
        .map(|t| {
            let mut s = start.clone();
            s.until_s = round_to(t + 0.1, 0.1);
            s
        })
        .filter(|s| s.until_s < start.until_s)
        .and_then(|s| still(&s).map(|w| (s, w)))
        .unwrap_or_else(|| (start.clone(), first.clone()));
    let used: std::collections::HashSet<MsgKey> = witness.sent.iter().copied().collect();
    begin.wire.retain(|w| used.contains(&w.msg));
    let out = shrink(begin, witness, Budget::default(), still);
    let code = ReplayCode::new(1, TASK, seed, Schedule::Bank(out.schedule.clone()))
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

/// The schedule inside a chapter 1 replay code.
pub fn decode(code: &ReplayCode) -> std::result::Result<&BankSchedule, ReplayError> {
    match &code.schedule {
        Schedule::Bank(s) if code.task == TASK => Ok(s),
        _ => Err(ReplayError::Unsupported {
            chapter: 1,
            task: code.task.clone(),
            reason: "chapter 1 replays runs of apply_transfer only".into(),
        }),
    }
}

/// The space-time diagram of exactly the run `schedule` describes with the server running
/// `apply`: every request and reply (lost ones end in a cross), the server's pauses, each call
/// of `apply` with the balance it left, and the violating call marked.
pub fn replay_figure(schedule: &BankSchedule, apply: Apply, seed: u64) -> Result<SpaceTime> {
    let run = schedule.run(apply, seed, true)?;
    let v = bank_violation(&run, schedule);
    let at = |i: usize| run.server.calls[i].at_s;
    let end = match &v {
        Some(BankViolation::Panicked(_)) => run.world.failure.as_ref().map_or(schedule.until_s, |f| f.at_s + 0.1),
        Some(v) => v.call().map_or(run.world.run.now, |i| at(i) + 0.1),
        None => run.world.run.now,
    };
    let mut fig = SpaceTime::from_outcome(&run.world)
        .title(match &v {
            Some(v) => format!("The shrunk run breaks “{}” (✗ at the server), true time", v.property()),
            None => "The replayed run: every transfer applied once, every copy answered alike".to_string(),
        })
        .node_names(["client", "server"])
        .until(end.max(0.05))
        .width(1100);
    let mut sent = run.sent.iter();
    let keys: Vec<Option<MsgKey>> = run
        .world
        .messages
        .iter()
        .map(|r| if r.duplicate { None } else { sent.next().copied() })
        .collect();
    for (i, k) in keys.iter().enumerate() {
        if let Some(k) = k.filter(|k| !k.reply) {
            let name = transfer_name(schedule, k.key);
            let text = if k.nth == 0 { name } else { format!("{name} retry") };
            fig = fig.label_send(i, text);
        }
    }
    let mut seen: HashMap<u64, u32> = HashMap::new();
    for (i, c) in run.server.calls.iter().enumerate() {
        let copy = seen.entry(c.transfer.key).or_insert(0);
        *copy += 1;
        let name = transfer_name(schedule, c.transfer.key);
        let text = if v.as_ref().and_then(BankViolation::call) == Some(i) {
            match &v {
                Some(BankViolation::Balance { expected, .. }) => {
                    format!(
                        "✗ {name} applied again: balance {}, expected {expected}",
                        c.balance_after
                    )
                }
                Some(other) => format!("✗ {name}: {}", other.property()),
                None => String::new(),
            }
        } else if *copy == 1 {
            format!("{name} → {}", c.balance_after)
        } else {
            format!("{name} again → {}", c.balance_after)
        };
        fig = fig.label_event(1, c.at_s, text);
    }
    if let (Some(BankViolation::Panicked(_)), Some(f)) = (&v, &run.world.failure) {
        fig = fig.label_event(1, f.at_s, "✗ apply_transfer panicked");
    }
    Ok(fig)
}

/// `exercise-1 --replay CODE`: replays the run with the learner's function (the reference one
/// for the diagram while it is `todo!()` or panics), writes its diagram under `out`, and
/// returns what the report shows.
pub fn replay(apply: Apply, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
    let schedule = decode(code)?;
    schedule.validate()?;
    let reference: Apply = super::truth::reference_apply;
    let (property, story, drawn_with, now) = match replay_run(schedule, apply, code.seed) {
        Ok(r) => {
            let panicked = matches!(r.failure, Some(BankViolation::Panicked(_)));
            let now = size(schedule, &r);
            (
                r.failure
                    .map_or("nothing broke: your apply_transfer passes this run".to_string(), |f| {
                        f.property().to_string()
                    }),
                r.story,
                if panicked { reference } else { apply },
                Some(now),
            )
        }
        Err(_) => (
            "not attempted: apply_transfer is still todo!()".to_string(),
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
                "a replayed run: {} fault{}, {} transfer{}, seed {}",
                schedule.fault_count(),
                if schedule.fault_count() == 1 { "" } else { "s" },
                schedule.transfers.len(),
                if schedule.transfers.len() == 1 { "" } else { "s" },
                code.seed
            )
        }),
        story,
        replay: code.encode(),
    };
    Ok((cx, files))
}

/// A shrunk run with its diagram, for a notebook cell: the first of the grader's seeded runs
/// (from `seed`) on which `apply` breaks a property, shrunk.
pub fn find_shrunk(apply: Apply, seed: u64) -> Result<Option<ShrunkRun>> {
    let Some((start, s)) = super::grade::first_failing(apply, seed)? else {
        return Ok(None);
    };
    let Some(r) = shrink_failure(start, apply, s) else {
        return Ok(None);
    };
    let diagram = replay_figure(&r.shrunk.0, apply, s)?;
    Ok(Some(ShrunkRun {
        exercise: 1,
        counterexample: r.counterexample,
        diagram,
    }))
}

/// The verdict for the grader's first failing run (before shrinking): the case, what was
/// expected, what came back, and why.
pub(super) fn verdict(run: &BankRun, v: &BankViolation, input: &str, transfers: usize) -> Verdict {
    let call = v.call().map(|i| run.server.calls[i]);
    let shown = |c: &super::truth::Call| format!("{input}; the server's call for {:?}", c.transfer);
    match (v, call) {
        (BankViolation::WrongKey { .. }, Some(c)) => {
            Verdict::fail(shown(&c), format!("a receipt with key {}", c.transfer.key), format!("{:?}", c.receipt))
                .because("the client matches a reply to its request by key: with another key it never learns that the transfer went through")
        }
        (BankViolation::Different { first, .. }, Some(c)) => {
            Verdict::fail(shown(&c), format!("{first:?}, as for the first copy"), format!("{:?}", c.receipt))
                .because("a retry was answered differently from the original: the client cannot tell which is true")
        }
        (BankViolation::WrongReceipt { .. }, Some(c)) => Verdict::fail(
            shown(&c),
            format!("Receipt {{ key: {}, balance_after: {} }}", c.transfer.key, c.balance_after),
            format!("{:?}", c.receipt),
        )
        .because(format!(
            "the balance went from {} to {} when this transfer was applied: the receipt must show the balance right after it",
            c.balance_before, c.balance_after
        )),
        (BankViolation::Balance { expected, .. }, Some(c)) => {
            let deliveries: u32 = run.server.deliveries.values().sum();
            Verdict::fail(shown(&c), format!("balance {expected}"), format!("balance {}", c.balance_after)).because(format!(
                "the server received {deliveries} requests for {} transfers (retries and duplicates): each must be applied exactly once",
                transfers
            ))
        }
        (BankViolation::Unanswered { keys }, _) => Verdict::fail(
            input,
            "a reply for each transfer within the hour simulated",
            format!("none for keys {:?}", keys.iter().take(5).collect::<Vec<_>>()),
        )
        .because("the client retried these for an hour without hearing a receipt with their key"),
        (BankViolation::Panicked(m), _) => Verdict::fail(input, "a receipt", format!("a panic: {m}")),
        _ => Verdict::fail(input, v.property(), "broken"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replay_code_replays_the_shrunk_run_byte_for_byte() {
        // Remembers only the last key: a retry of an older transfer is applied again.
        let last_key_only: Apply = |l, t| {
            if let Some(r) = l.receipts.get(&t.key) {
                return *r;
            }
            l.balance += t.amount;
            let r = Receipt {
                key: t.key,
                balance_after: l.balance,
            };
            l.receipts.clear();
            l.receipts.insert(t.key, r);
            r
        };
        let found = find_shrunk(last_key_only, 2026).unwrap().expect("it fails");
        let cx = &found.counterexample;
        assert_eq!(cx.property, "each transfer applied exactly once");
        assert!(cx.story.len() <= 8, "{:?}", cx.story);
        assert!(cx.story.last().unwrap().contains("applied again"), "{:?}", cx.story);
        let code = ReplayCode::decode(&cx.replay, 1).unwrap();
        let dir = std::env::temp_dir().join(format!("faultline-replay1-{}", std::process::id()));
        let (again, files) = replay(last_key_only, &code, &dir).unwrap();
        assert_eq!(again.render(1), cx.render(1));
        assert!(again.shrunk.starts_with("from "), "{}", again.shrunk);
        assert_eq!(files.len(), 2);
        // The reference function breaks nothing on the same run.
        let (fine, _) = replay(super::super::truth::reference_apply, &code, &dir).unwrap();
        assert!(fine.property.starts_with("nothing broke"), "{}", fine.property);
        // A panic inside the server is reported on the run; a todo!() as not attempted.
        let panics: Apply = |l, t| {
            if l.receipts.contains_key(&t.key) {
                panic!("a repeat!");
            }
            super::super::truth::reference_apply(l, t)
        };
        let (p, _) = replay(panics, &code, &dir).unwrap();
        assert_eq!(p.property, "your apply_transfer runs without panicking");
        assert!(p.story.last().unwrap().contains("panicked: a repeat!"), "{:?}", p.story);
        let (todo, _) = replay(|_, _| todo!(), &code, &dir).unwrap();
        assert!(todo.property.starts_with("not attempted"), "{}", todo.property);
        let _ = std::fs::remove_dir_all(dir);
    }
}
