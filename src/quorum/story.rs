//! An election run told in a few plain lines, for a failure report: the faults, who won which
//! term with whose votes, and the voter that granted two candidates its vote in one term.

use super::{ElectionOutcome, Quorum, Reign};
use crate::shrink::PlannedFault;
use crate::world::{NodeId, Outcome};

/// The votes granted in `term` to `candidate` that reached it by `by_s`, from the world's
/// labelled messages (run with labels on).
fn voters(world: &Outcome<Quorum>, term: u64, candidate: NodeId, by_s: f64) -> Vec<NodeId> {
    let want = format!("Vote {{ term: {term}, granted: true");
    let mut v: Vec<NodeId> = world
        .messages
        .iter()
        .filter(|m| m.to == candidate && m.label.as_deref().is_some_and(|l| l.starts_with(&want)))
        .filter(|m| m.delivered_at_s().is_some_and(|t| t <= by_s))
        .map(|m| m.from)
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// The run in plain lines, in true time, up to the second leader of the first term with two
/// (at most `max_lines`, the latest kept). `world` must come from a run with labelled messages.
pub fn election_story(
    out: &ElectionOutcome,
    world: &Outcome<Quorum>,
    faults: &[PlannedFault],
    max_lines: usize,
) -> Vec<String> {
    let two = out.terms_with_two_leaders().into_iter().next();
    let second: Option<&Reign> = two
        .as_ref()
        .and_then(|(term, _)| out.reigns.iter().filter(|r| r.term == *term).nth(1));
    let end_s = second.map_or(out.end_s, |r| r.from_s);
    let mut events: Vec<(f64, String)> = faults.iter().map(|f| (f.at_s(), f.describe())).collect();
    for r in &out.reigns {
        let mut votes = voters(world, r.term, r.node, r.from_s);
        votes.retain(|&v| v != r.node);
        let from = if votes.is_empty() {
            "its own vote alone".to_string()
        } else {
            format!(
                "its own vote and node{} {votes:?}",
                if votes.len() == 1 { "" } else { "s" }
            )
        };
        let mut line = format!("node {} wins term {} with {from}", r.node, r.term);
        if second.is_some_and(|s| s == r) {
            line.push_str(&format!(" — a second leader in term {}", r.term));
        }
        events.push((r.from_s, line));
        if r.to_s < end_s {
            events.push((r.to_s, format!("node {} steps down from term {}", r.node, r.term)));
        }
    }
    if let (Some((term, leaders)), Some(s)) = (&two, second) {
        let mut by: Vec<Vec<NodeId>> = leaders.iter().map(|&l| voters(world, *term, l, s.from_s)).collect();
        by.iter_mut().zip(leaders).for_each(|(v, l)| v.push(*l));
        let twice: Vec<NodeId> = (0..world.nodes.len())
            .filter(|n| by.iter().filter(|v| v.contains(n)).count() > 1)
            .collect();
        if !twice.is_empty() {
            events.push((
                s.from_s,
                format!(
                    "node{} {twice:?} granted votes to two candidates in term {term}: your grant_vote said yes twice",
                    if twice.len() == 1 { "" } else { "s" }
                ),
            ));
        }
    }
    let events = events.into_iter().map(|(t, s)| (t, 0, s)).collect();
    crate::shrink::story_lines(events, end_s, max_lines, 2)
}
