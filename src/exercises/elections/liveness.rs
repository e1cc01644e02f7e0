//! Chapter 9's liveness failures, shrunk and replayed: a `grant_vote` that refuses votes it
//! should grant keeps every term leaderless. The truth is the correct rule on the same run: the
//! property breaks when it elects a leader and the learner's rule elects none. The grader
//! shrinks such a run (fewer nodes, an earlier end) and tells it as the candidacies and the
//! votes each one got.

use super::replay::{ShrinkResult, TASK, replay_run, size};
use crate::grade::{Counterexample, attempt};
use crate::quorum::{self, ElectionSchedule, Quorum, VoteRule};
use crate::shrink::{Budget, ReplayCode, Schedule, shrink};
use crate::world::{NodeId, Outcome};

/// The property a leaderless run breaks.
pub const PROPERTY: &str = "some node is elected (the correct vote rule elects a leader on this run)";

/// When the correct rule's first leader wins on `schedule` and `seed`, true time, seconds.
pub fn reference_first_leader_s(schedule: &ElectionSchedule, seed: u64) -> Option<f64> {
    let faults = schedule.world_faults();
    quorum::simulate_with(&schedule.cfg, quorum::reference_rule(), &faults, seed)
        .ok()?
        .first_leader_s()
}

/// Whether `rule` breaks liveness on `schedule`: it elects nobody (and does not panic, and no
/// term has two leaders) where the correct rule elects a leader. Returns the correct rule's
/// first win.
pub fn leaderless(schedule: &ElectionSchedule, rule: VoteRule, seed: u64) -> Option<f64> {
    let r = replay_run(schedule, rule, seed).ok()?;
    if r.failure.is_some() || r.elected {
        return None;
    }
    reference_first_leader_s(schedule, seed)
}

/// Shrinks a run on which `rule` elects nobody and the correct rule elects a leader (fewer
/// nodes, an earlier end, fewer faults) while that stays true: the report's counterexample,
/// and the first and the shrunk run (the sizes the benchmark compares).
pub fn shrink_leaderless(start: ElectionSchedule, rule: VoteRule, seed: u64) -> Option<ShrinkResult> {
    let first = replay_run(&start, rule, seed).ok()?;
    let witness = leaderless(&start, rule, seed)?;
    let out = shrink(start.clone(), witness, Budget::default(), |s| leaderless(s, rule, seed));
    let now = replay_run(&out.schedule, rule, seed).ok()?;
    let before = size(&start, &first);
    let code = ReplayCode::new(9, TASK, seed, Schedule::Election(out.schedule.clone()))
        .with_first_run(before.clone(), out.stopped_by)
        .encode();
    let counterexample = Counterexample {
        property: PROPERTY.into(),
        shrunk: crate::shrink::shrunk_line(&before, &size(&out.schedule, &now), out.stopped_by),
        story: story(&out.schedule, rule, seed, out.witness, 12),
        replay: code,
    };
    Some(ShrinkResult {
        counterexample,
        first: (start, first),
        shrunk: (out.schedule, now),
        runs: out.runs,
    })
}

/// The leaderless run in plain lines: each candidacy with the votes it got and was refused,
/// then the end, with when the correct rule's leader won (at most `max_lines`, the latest kept).
pub fn story(
    schedule: &ElectionSchedule,
    rule: VoteRule,
    seed: u64,
    reference_s: f64,
    max_lines: usize,
) -> Vec<String> {
    let faults = schedule.world_faults();
    let world = match attempt(|| quorum::simulate_traced(&schedule.cfg, rule, &faults, seed)) {
        Ok(Ok((_, world))) => world,
        Ok(Err(e)) => return vec![format!("the world stopped: {e}")],
        Err(p) => return vec![p.label(TASK)],
    };
    let mut events: Vec<(f64, u8, String)> = schedule.faults.iter().map(|f| (f.at_s(), 0, f.describe())).collect();
    events.extend(candidacies(&world).into_iter().map(|(at_s, node, term)| {
        let (granted, refused) = answers(&world, node, term);
        (
            at_s,
            1,
            format!("node {node} asks for votes in term {term}: granted by {granted:?}, refused by {refused:?}"),
        )
    }));
    events.push((
        schedule.cfg.until_s,
        2,
        format!(
            "the run ends with no leader — with the correct vote rule a leader wins at {reference_s:.2} s: your grant_vote refused votes it should grant"
        ),
    ));
    crate::shrink::story_lines(events, f64::INFINITY, max_lines, 2)
}

/// Every node's first request for votes in each term it stood in: (true time, node, term).
fn candidacies(world: &Outcome<Quorum>) -> Vec<(f64, NodeId, u64)> {
    let mut seen: Vec<(f64, NodeId, u64)> = Vec::new();
    for m in &world.messages {
        let Some(term) = m.label.as_deref().and_then(|l| term_of(l, "RequestVote { term: ")) else {
            continue;
        };
        if !seen.iter().any(|&(_, n, t)| n == m.from && t == term) {
            seen.push((m.sent_at_s, m.from, term));
        }
    }
    seen
}

/// The voters that granted and that refused `candidate` its vote in `term` (answers that
/// reached it).
fn answers(world: &Outcome<Quorum>, candidate: NodeId, term: u64) -> (Vec<NodeId>, Vec<NodeId>) {
    let (mut granted, mut refused) = (Vec::new(), Vec::new());
    for m in &world.messages {
        let Some(l) = m.label.as_deref() else { continue };
        if m.to != candidate || m.delivered_at_s().is_none() || term_of(l, "Vote { term: ") != Some(term) {
            continue;
        }
        if l.contains("granted: true") {
            granted.push(m.from);
        } else {
            refused.push(m.from);
        }
    }
    for v in [&mut granted, &mut refused] {
        v.sort_unstable();
        v.dedup();
    }
    (granted, refused)
}

/// The term in a message label that starts with `prefix` ("RequestVote { term: 3, …" → 3).
fn term_of(label: &str, prefix: &str) -> Option<u64> {
    let rest = label.strip_prefix(prefix)?;
    rest[..rest.find(|c: char| !c.is_ascii_digit())?].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quorum::ElectionConfig;

    #[test]
    fn a_rule_that_never_votes_is_shown_by_a_small_leaderless_run() {
        let never: VoteRule = |_, _, _, _| false;
        let start = ElectionSchedule::new(ElectionConfig::default(), &[]);
        let cx = shrink_leaderless(start.clone(), never, 7)
            .expect("nobody is elected")
            .counterexample;
        eprintln!("{}", cx.render(9));
        assert_eq!(cx.property, PROPERTY);
        assert!(cx.shrunk.starts_with("from "), "{}", cx.shrunk);
        assert!(cx.story.len() <= 12, "{:?}", cx.story);
        assert!(
            cx.story[0].contains("asks for votes in term 1: granted by [], refused by ["),
            "{:?}",
            cx.story
        );
        assert!(cx.story.last().unwrap().contains("no leader"), "{:?}", cx.story);
        // The correct rule is not leaderless on the same run.
        assert!(leaderless(&start, quorum::reference_rule(), 7).is_none());
    }
}
