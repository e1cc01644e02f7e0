//! The reference answers the graders compare with (crate-private, so the library is no answer
//! key).

use super::property::Property;
use super::timing::{Consistent, DelayRun};
use crate::lease::AppliedWrite;

/// Safety (something bad never happens: a finite witness exists) or liveness (something good
/// eventually happens: no finite prefix refutes it). A deadline makes it safety.
pub(crate) fn is_safety(p: Property) -> bool {
    match p {
        Property::OneLeaderPerTerm
        | Property::NoStaleWrite
        | Property::ClockCondition
        | Property::AnsweredWithinOneSecond
        | Property::NoFalseSuspicion
        | Property::Agreement
        | Property::DecidesProposedValue => true,
        Property::EventuallyLeader
        | Property::WriteEventuallyAccepted
        | Property::EveryRequestAnswered
        | Property::CrashEventuallySuspected
        | Property::Termination => false,
    }
}

/// The index of the first accepted write with a token lower than one accepted before it.
pub(crate) fn first_stale_write(writes: &[AppliedWrite]) -> Option<usize> {
    let mut highest: Option<u64> = None;
    for (i, w) in writes.iter().enumerate().filter(|(_, w)| w.accepted) {
        if highest.is_some_and(|h| w.token < h) {
            return Some(i);
        }
        highest = Some(highest.map_or(w.token, |h| h.max(w.token)));
    }
    None
}

/// Late: delivered more than `bound_s` after sending, or not delivered and the run went on
/// more than `bound_s` after sending (a message still in flight within its bound is not late).
pub(crate) fn late(sent_s: f64, delivered_s: Option<f64>, end_s: f64, bound_s: f64) -> bool {
    delivered_s.unwrap_or(end_s) - sent_s > bound_s
}

/// Synchronous if nothing was late; else GST is the first send time after the last late
/// message's (a message sent at the same instant as a late one is not after it); none:
/// asynchronous.
pub(crate) fn strongest_model(run: &DelayRun, bound_s: f64) -> Consistent {
    let last_late = run
        .deliveries
        .iter()
        .rposition(|d| late(d.sent_s, d.delivered_s, run.end_s, bound_s));
    let Some(k) = last_late else {
        return Consistent::Synchronous;
    };
    let t = run.deliveries[k].sent_s;
    match run.deliveries[k..].iter().find(|d| d.sent_s > t) {
        Some(d) => Consistent::PartiallySynchronous { gst_s: d.sent_s },
        None => Consistent::Asynchronous,
    }
}

/// An election timeout range for leaders that send a heartbeat every `heartbeat_s` over links
/// bounded by `bound_s` after GST: a follower hears heartbeats at most `heartbeat_s + bound_s`
/// apart, and a candidate needs a round trip (`2 · bound_s`) to collect its votes; the minimum
/// is twice the larger of the two, and the range as wide again to break ties.
pub(crate) fn election_timeout(heartbeat_s: f64, bound_s: f64) -> (f64, f64) {
    let min = 2.0 * (heartbeat_s + bound_s).max(2.0 * bound_s);
    (min, 2.0 * min)
}
