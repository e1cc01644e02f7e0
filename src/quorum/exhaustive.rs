//! The vote rule checked exhaustively on a small cluster: every interleaving of timeouts,
//! vote requests, votes and heartbeats of `nodes` nodes up to term `max_term`, every message
//! delivered in any order or never, explored breadth-first, so the first two-leader state found
//! is reached by a shortest sequence of steps.
//!
//! The model is the [`super::Voter`]'s election logic without its clocks (a timeout may fire
//! whenever a node is not leading): the same vote rule call, the same stepping down on a newer
//! term, the same vote counting. Time does not matter for "at most one leader per term", which
//! is why a model without it can be exhaustive where the timed world can only be sampled.
//! stateright would explore this model as well; it is a dozen lines of state here, and the
//! crate would be one more dependency for one check (see [`crate::shrink`]).

use std::collections::{HashMap, VecDeque};

use super::VoteRule;
use crate::world::{Fate, MessageRecord, NodeId};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Msg {
    Request {
        from: u8,
        to: u8,
        term: u8,
    },
    Vote {
        from: u8,
        to: u8,
        term: u8,
        granted: bool,
        voter_term: u8,
    },
    Heartbeat {
        from: u8,
        to: u8,
        term: u8,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct NodeState {
    term: u8,
    voted_for: Option<u8>,
    leader: bool,
    candidate: bool,
    votes: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct State {
    nodes: Vec<NodeState>,
    /// In flight, sorted (a multiset).
    net: Vec<Msg>,
    /// Per term, the nodes that led it (bit masks).
    leaders: Vec<u8>,
}

/// What an exhaustive check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Exhaustive {
    /// Nodes of the cluster.
    pub nodes: usize,
    /// Highest term explored.
    pub max_term: u64,
    /// Longest sequence of steps explored.
    pub max_steps: usize,
    /// Whether every state within the bound was explored (no state cap hit, and no state
    /// left beyond `max_steps`: then the bound covers every reachable state).
    pub complete: bool,
    /// Distinct states explored.
    pub states: usize,
    /// A shortest path to two leaders in one term, in plain lines; `None` when none exists
    /// within the bound.
    pub counterexample: Option<Vec<String>>,
    /// That path's messages for a space-time diagram, with the step number as the time axis
    /// (sent at the step that sent it, delivered at the step that delivered it, in flight when
    /// the path ends first): labelled, in order of sending.
    pub path_messages: Vec<MessageRecord>,
    /// That path's wins: (step, node, term).
    pub path_wins: Vec<(usize, NodeId, u64)>,
}

impl Exhaustive {
    /// The bound, for a report: "every interleaving of 3 nodes up to term 2 (…)".
    pub fn bound(&self) -> String {
        format!(
            "every interleaving of up to {} steps of {} nodes up to term {} (messages in any order, or lost): {} states explored",
            self.max_steps, self.nodes, self.max_term, self.states
        )
    }
}

fn step_down(n: &mut NodeState, term: u8) {
    if term > n.term {
        n.term = term;
        n.voted_for = None;
    }
    n.leader = false;
    n.candidate = false;
}

/// Every state reachable in one step from `s`, with the step in words.
fn successors(s: &State, rule: VoteRule, quorum: usize, max_term: u8) -> Vec<(State, String)> {
    let n = s.nodes.len() as u8;
    let mut out = Vec::new();
    let push_sorted = |st: &mut State, m: Msg| {
        let at = st.net.binary_search(&m).unwrap_or_else(|e| e);
        st.net.insert(at, m);
    };
    let win = |st: &mut State, i: u8| {
        let me = &mut st.nodes[i as usize];
        me.leader = true;
        me.candidate = false;
        let term = me.term;
        st.leaders[term as usize] |= 1 << i;
        for j in (0..n).filter(|&j| j != i) {
            let m = Msg::Heartbeat { from: i, to: j, term };
            let at = st.net.binary_search(&m).unwrap_or_else(|e| e);
            st.net.insert(at, m);
        }
    };
    for i in 0..n {
        let me = s.nodes[i as usize];
        if !me.leader && me.term < max_term {
            let mut st = s.clone();
            let nd = &mut st.nodes[i as usize];
            nd.term += 1;
            nd.voted_for = Some(i);
            nd.candidate = true;
            nd.votes = 1 << i;
            let term = nd.term;
            if quorum <= 1 {
                win(&mut st, i);
            } else {
                for j in (0..n).filter(|&j| j != i) {
                    push_sorted(&mut st, Msg::Request { from: i, to: j, term });
                }
            }
            out.push((st, format!("node {i} times out and stands for term {term}")));
        }
    }
    for (k, &m) in s.net.iter().enumerate() {
        if k > 0 && s.net[k - 1] == m {
            continue;
        }
        // A lost message is one that stays in flight for ever: states with it delivered later
        // or never cover every loss, so losses need no steps of their own.
        let mut st = s.clone();
        st.net.remove(k);
        let said = match m {
            Msg::Request { from, to, term } => {
                let v = &mut st.nodes[to as usize];
                let granted = rule(
                    u64::from(v.term),
                    v.voted_for.map(NodeId::from),
                    NodeId::from(from),
                    u64::from(term),
                );
                if term > v.term {
                    step_down(v, term);
                }
                if granted && term >= v.term {
                    v.voted_for = Some(from);
                }
                let voter_term = v.term;
                push_sorted(
                    &mut st,
                    Msg::Vote {
                        from: to,
                        to: from,
                        term,
                        granted,
                        voter_term,
                    },
                );
                format!(
                    "node {to} gets node {from}'s request for term {term}: your grant_vote says {}",
                    if granted { "yes" } else { "no" }
                )
            }
            Msg::Vote {
                from,
                to,
                term,
                granted,
                voter_term,
            } => {
                let c = &mut st.nodes[to as usize];
                if voter_term > c.term && !granted {
                    step_down(c, voter_term);
                } else if granted && c.candidate && term == c.term {
                    c.votes |= 1 << from;
                    if c.votes.count_ones() as usize >= quorum {
                        win(&mut st, to);
                        let leaders = st.leaders[term as usize].count_ones();
                        let note = if leaders > 1 {
                            format!(" — a second leader in term {term}")
                        } else {
                            String::new()
                        };
                        out.push((
                            st,
                            format!("node {to} gets node {from}'s vote and wins term {term}{note}"),
                        ));
                        continue;
                    }
                }
                format!(
                    "node {to} gets node {from}'s {} for term {term}",
                    if granted { "vote" } else { "refusal" }
                )
            }
            Msg::Heartbeat { from, to, term } => {
                let f = &mut st.nodes[to as usize];
                if term >= f.term && (term > f.term || f.candidate) {
                    step_down(f, term);
                }
                format!("node {to} gets node {from}'s heartbeat of term {term}")
            }
        };
        out.push((st, said));
    }
    out
}

/// Explores every interleaving of at most `max_steps` steps of `nodes` nodes (2–7) voting by
/// `rule`, with a majority quorum, up to term `max_term` (1–4), breadth-first, stopping at the
/// first state in which a term has two leaders or after `max_states` states.
pub fn check_vote_rule(rule: VoteRule, nodes: usize, max_term: u64, max_steps: usize, max_states: usize) -> Exhaustive {
    let nodes = nodes.clamp(2, 7);
    let max_term = max_term.clamp(1, 4) as u8;
    let quorum = nodes / 2 + 1;
    let start = State {
        nodes: vec![
            NodeState {
                term: 0,
                voted_for: None,
                leader: false,
                candidate: false,
                votes: 0,
            };
            nodes
        ],
        net: Vec::new(),
        leaders: vec![0; usize::from(max_term) + 1],
    };
    // Each state's parent and the step that reached it, for the shortest path back.
    let mut seen: HashMap<State, Option<(State, String)>> = HashMap::new();
    seen.insert(start.clone(), None);
    let mut queue = VecDeque::from([(start, 0usize)]);
    let mut found = None;
    let mut complete = true;
    'bfs: while let Some((s, depth)) = queue.pop_front() {
        if depth >= max_steps {
            complete = false;
            continue;
        }
        for (next, step) in successors(&s, rule, quorum, max_term) {
            if seen.contains_key(&next) {
                continue;
            }
            let bad = next.leaders.iter().any(|l| l.count_ones() > 1);
            seen.insert(next.clone(), Some((s.clone(), step)));
            if bad {
                found = Some(next);
                break 'bfs;
            }
            if seen.len() >= max_states {
                complete = false;
                break 'bfs;
            }
            queue.push_back((next, depth + 1));
        }
    }
    let mut path = Vec::new();
    let counterexample = found.map(|mut s| {
        let mut lines = Vec::new();
        path.push(s.clone());
        while let Some(Some((parent, step))) = seen.get(&s) {
            lines.push(step.clone());
            s = parent.clone();
            path.push(s.clone());
        }
        lines.reverse();
        path.reverse();
        lines
    });
    let (path_messages, path_wins) = path_diagram(&path);
    Exhaustive {
        nodes,
        max_term: u64::from(max_term),
        max_steps,
        complete,
        states: seen.len(),
        counterexample,
        path_messages,
        path_wins,
    }
}

/// The messages and wins along a path of states (the start first), step `k` being the move from
/// state `k - 1` to state `k`: a message added to the network at step `k` was sent then, one
/// removed was delivered then (the earliest such copy still in flight).
fn path_diagram(path: &[State]) -> (Vec<MessageRecord>, Vec<(usize, NodeId, u64)>) {
    let mut records: Vec<(Msg, MessageRecord)> = Vec::new();
    let mut wins = Vec::new();
    for (k, pair) in path.windows(2).enumerate() {
        let (before, after) = (&pair[0], &pair[1]);
        let step = (k + 1) as f64;
        let (gone, added) = (minus(&before.net, &after.net), minus(&after.net, &before.net));
        for m in gone {
            if let Some((_, r)) = records
                .iter_mut()
                .find(|(sent, r)| *sent == m && matches!(r.fate, Fate::InFlight))
            {
                r.fate = Fate::Delivered { at_s: step };
            }
        }
        for m in added {
            let (from, to, label) = match m {
                Msg::Request { from, to, term } => (from, to, format!("RequestVote {{ term: {term} }}")),
                Msg::Vote {
                    from,
                    to,
                    term,
                    granted,
                    ..
                } => (from, to, format!("Vote {{ term: {term}, granted: {granted} }}")),
                Msg::Heartbeat { from, to, term } => (from, to, format!("Heartbeat {{ term: {term} }}")),
            };
            let id = records.len() as u64;
            records.push((
                m,
                MessageRecord {
                    id,
                    duplicate: false,
                    from: usize::from(from),
                    to: usize::from(to),
                    size_bytes: 0,
                    sent_at_s: step,
                    fate: Fate::InFlight,
                    label: Some(label),
                },
            ));
        }
        for (term, (b, a)) in before.leaders.iter().zip(&after.leaders).enumerate() {
            for node in (0..8).filter(|i| a & !b & (1 << i) != 0) {
                wins.push((k + 1, node, term as u64));
            }
        }
    }
    (records.into_iter().map(|(_, r)| r).collect(), wins)
}

/// The messages of multiset `a` (sorted) not in `b` (sorted), with multiplicity.
fn minus(a: &[Msg], b: &[Msg]) -> Vec<Msg> {
    let mut rest = b.to_vec();
    a.iter()
        .filter(|m| match rest.iter().position(|r| r == *m) {
            Some(i) => {
                rest.remove(i);
                false
            }
            None => true,
        })
        .copied()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_rule_has_no_two_leaders_and_voting_twice_does_within_a_few_steps() {
        let ok = check_vote_rule(super::super::reference_rule(), 3, 2, 8, 2_000_000);
        assert!(ok.counterexample.is_none(), "{ok:?}");
        assert!(ok.states > 100);
        let twice = check_vote_rule(|my, _, _, t| t >= my, 3, 2, 8, 2_000_000);
        let path = twice.counterexample.expect("voting twice elects two leaders");
        assert!(path.len() <= 8, "{path:?}");
        assert!(path.last().unwrap().contains("second leader"));
        // The diagram's messages: every one sent by a step of the path, two wins of one term.
        assert!(!twice.path_messages.is_empty());
        assert!(
            twice
                .path_messages
                .iter()
                .all(|m| m.sent_at_s >= 1.0 && m.sent_at_s <= path.len() as f64)
        );
        let terms: Vec<u64> = twice.path_wins.iter().map(|w| w.2).collect();
        assert_eq!(terms.len(), 2, "{:?}", twice.path_wins);
        assert_eq!(terms[0], terms[1]);
        assert_eq!(twice.path_wins[1].0, path.len());
    }
}
