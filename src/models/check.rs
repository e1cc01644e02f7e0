//! Safety checkers over recorded histories.
//!
//! A safety property says something bad never happens. When it is violated, it is violated at
//! one event, and every history that starts with the events up to that one violates it too,
//! whatever comes after: the prefix is a finite witness. So each checker here reads a history
//! in order and returns the first event at which the property fails ([`Violation`]): the
//! shortest violating prefix is `&history[..=index]`. `Ok(None)` means this history is clean,
//! not that the protocol is safe (another run may break it).
//!
//! Histories come from the world's records: elections' leaderships (chapter 9), the writes a
//! storage received (chapter 8), a run's events with Lamport stamps (chapter 11). An empty or
//! malformed history is a [`HistoryError`], never a silent pass.

use crate::lease::AppliedWrite;
use crate::logical::{History, Kind};
use crate::world::NodeId;

/// Why a checker could not judge a history.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum HistoryError {
    /// Nothing to judge: an empty history satisfies every safety property, which would hide a
    /// recording that failed.
    #[error("the history of {what} is empty: record at least one event to check it")]
    Empty {
        /// What the history should hold, e.g. `"leaderships"`.
        what: &'static str,
    },
    /// An event that cannot be right: a time that is NaN or runs backwards, an end before its
    /// start, stamps that do not match the events.
    #[error("event {index} is malformed: {reason}")]
    Malformed {
        /// The event's index.
        index: usize,
        /// What is wrong with it.
        reason: String,
    },
}

/// The first event at which a safety property fails.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation<E> {
    /// Its index: `&history[..=index]` is the shortest violating prefix.
    pub index: usize,
    /// The event.
    pub event: E,
    /// Why it violates the property, for a person.
    pub why: String,
}

impl<E> Violation<E> {
    /// The shortest violating prefix of `history` (the witness).
    pub fn prefix<'h, T>(&self, history: &'h [T]) -> &'h [T] {
        &history[..=self.index.min(history.len().saturating_sub(1))]
    }
}

/// What a checker returns: the first violation, none, or why it could not judge.
pub type Checked<E> = Result<Option<Violation<E>>, HistoryError>;

/// A node begins or ends leading, at a true time: the history an election checker reads.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LeaderEvent {
    /// The node.
    pub node: NodeId,
    /// The term it leads (`None` for protocols without terms).
    pub term: Option<u64>,
    /// True time, seconds.
    pub at_s: f64,
    /// `true` when it starts leading, `false` when it stops.
    pub begins: bool,
}

fn times_in_order(times: impl Iterator<Item = f64>) -> Result<(), HistoryError> {
    let mut last = f64::NEG_INFINITY;
    for (index, t) in times.enumerate() {
        if !t.is_finite() {
            return Err(HistoryError::Malformed {
                index,
                reason: format!("time {t} is not finite"),
            });
        }
        if t < last {
            return Err(HistoryError::Malformed {
                index,
                reason: format!("time {t} s comes before the previous event's {last} s"),
            });
        }
        last = t;
    }
    Ok(())
}

/// At most one leader per term (what quorums and one vote per term guarantee): the first
/// leadership that begins in a term another node already led.
pub fn one_leader_per_term(events: &[LeaderEvent]) -> Checked<LeaderEvent> {
    if events.is_empty() {
        return Err(HistoryError::Empty { what: "leaderships" });
    }
    times_in_order(events.iter().map(|e| e.at_s))?;
    let mut leader_of: std::collections::HashMap<u64, NodeId> = Default::default();
    for (index, e) in events.iter().enumerate().filter(|(_, e)| e.begins) {
        let Some(term) = e.term else {
            return Err(HistoryError::Malformed {
                index,
                reason: "a leadership without a term: this protocol has no terms to check".into(),
            });
        };
        match leader_of.get(&term) {
            Some(&other) if other != e.node => {
                return Ok(Some(Violation {
                    index,
                    event: *e,
                    why: format!("node {} leads term {term}, which node {other} already led", e.node),
                }));
            }
            _ => {
                leader_of.insert(term, e.node);
            }
        }
    }
    Ok(None)
}

/// At most one leader at a time (what a protocol without terms needs): the first leadership
/// that begins while another node's has not ended.
pub fn one_leader_at_a_time(events: &[LeaderEvent]) -> Checked<LeaderEvent> {
    if events.is_empty() {
        return Err(HistoryError::Empty { what: "leaderships" });
    }
    times_in_order(events.iter().map(|e| e.at_s))?;
    let mut leading: Vec<NodeId> = Vec::new();
    for (index, e) in events.iter().enumerate() {
        if e.begins {
            if let Some(&other) = leading.iter().find(|&&n| n != e.node) {
                return Ok(Some(Violation {
                    index,
                    event: *e,
                    why: format!(
                        "node {} starts leading at {:.3} s while node {other} still leads",
                        e.node, e.at_s
                    ),
                }));
            }
            leading.push(e.node);
        } else if let Some(i) = leading.iter().position(|&n| n == e.node) {
            leading.swap_remove(i);
        }
    }
    Ok(None)
}

/// No stale write accepted: the storage accepts fencing tokens in non-decreasing order. The
/// first accepted write whose token is *lower* than one accepted before it. An equal token is
/// fine (one holder writes several times under its lease), and a rejected write is the storage
/// doing its job (it raises nothing).
pub fn fencing_in_order(writes: &[AppliedWrite]) -> Checked<AppliedWrite> {
    if writes.is_empty() {
        return Err(HistoryError::Empty { what: "writes" });
    }
    times_in_order(writes.iter().map(|w| w.at_s))?;
    let mut highest: Option<(u64, usize)> = None;
    for (index, w) in writes.iter().enumerate().filter(|(_, w)| w.accepted) {
        if let Some((top, at)) = highest
            && w.token < top
        {
            return Ok(Some(Violation {
                index,
                event: *w,
                why: format!(
                    "token {} accepted after token {top} (write {at}): a stale write",
                    w.token
                ),
            }));
        }
        if highest.is_none_or(|(top, _)| w.token > top) {
            highest = Some((w.token, index));
        }
    }
    Ok(None)
}

/// The clock condition of logical clocks: if a happened before b then C(a) < C(b). It holds
/// for every pair when it holds along each node's own order and from each send to its receive
/// (happens-before is made of those steps), so that is what is checked, event by event: the
/// first event whose stamp is not above its predecessor's on its node, or its message's send.
pub fn clock_condition(history: &History, stamps: &[u64]) -> Checked<(usize, u64)> {
    if history.is_empty() {
        return Err(HistoryError::Empty { what: "events" });
    }
    if stamps.len() != history.len() {
        return Err(HistoryError::Malformed {
            index: stamps.len().min(history.len()),
            reason: format!("{} stamps for {} events", stamps.len(), history.len()),
        });
    }
    let mut last: Vec<Option<usize>> = vec![None; history.nodes()];
    for (index, e) in history.events().iter().enumerate() {
        let c = stamps[index];
        if let Some(p) = last[e.node]
            && stamps[p] >= c
        {
            return Ok(Some(Violation {
                index,
                event: (e.node, c),
                why: format!(
                    "node {} stamps {c} after its own event {p} stamped {}",
                    e.node, stamps[p]
                ),
            }));
        }
        if let Kind::Receive { send } = e.kind
            && stamps[send] >= c
        {
            return Ok(Some(Violation {
                index,
                event: (e.node, c),
                why: format!("a receive stamped {c}, its send (event {send}) {}", stamps[send]),
            }));
        }
        last[e.node] = Some(index);
    }
    Ok(None)
}
