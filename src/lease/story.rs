//! A lease run told in a few plain lines, for a failure report: who got the lease when, who
//! paused between check and write, and which write the storage should not have taken.

use super::{LeaseOutcome, STORAGE};
use crate::world::NodeEvent;

/// A property of the storage that a run broke, at one write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseViolation {
    /// `writes[index]` was accepted after a write under a newer token.
    Stale {
        /// The write, in the storage's log.
        index: usize,
    },
    /// `writes[index]` was rejected although its writer held the lease.
    ValidRejected {
        /// The write, in the storage's log.
        index: usize,
    },
}

impl LeaseViolation {
    /// The property, as the report names it.
    pub fn property(&self) -> &'static str {
        match self {
            LeaseViolation::Stale { .. } => "no stale write accepted",
            LeaseViolation::ValidRejected { .. } => "no write rejected while its writer held the lease",
        }
    }

    /// The write it happened at.
    pub fn index(&self) -> usize {
        match self {
            LeaseViolation::Stale { index } | LeaseViolation::ValidRejected { index } => *index,
        }
    }

    /// Whether `other` breaks the same property (wherever).
    pub fn same_kind(&self, other: &LeaseViolation) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// The first broken storage property of a run: a stale write accepted, else a holder's write
/// rejected.
pub fn lease_violation(out: &LeaseOutcome) -> Option<LeaseViolation> {
    if let Some(&index) = out.stale().first() {
        return Some(LeaseViolation::Stale { index });
    }
    (0..out.writes.len())
        .find(|&i| !out.writes[i].accepted && out.held(i))
        .map(|index| LeaseViolation::ValidRejected { index })
}

/// The run in plain lines, in true time, up to the violation (at most `max_lines`, the
/// latest kept): grants, pauses between check and write, the writes the storage received.
pub fn lease_story(out: &LeaseOutcome, violation: Option<LeaseViolation>, max_lines: usize) -> Vec<String> {
    let end_s = violation.map_or(f64::INFINITY, |v| out.writes[v.index()].at_s);
    let mut events: Vec<(f64, u8, String)> = Vec::new();
    for g in &out.grants {
        events.push((
            g.from_s,
            0,
            format!(
                "client {} takes the lease with token {}; the lock service ends it at {:.2} s",
                g.client, g.token, g.until_s
            ),
        ));
    }
    for e in &out.node_events {
        if let NodeEvent::Paused {
            node,
            from_s,
            to_s,
            mid_handler,
        } = e
            && *node > STORAGE
        {
            let what = if *mid_handler {
                "checks its lease, then pauses before acting on it"
            } else {
                "pauses"
            };
            events.push((
                *from_s,
                1,
                format!("client {node} {what} for {:.2} s (until {to_s:.2} s)", to_s - from_s),
            ));
        }
    }
    let mut highest = (0, f64::NAN);
    for (i, w) in out.writes.iter().enumerate() {
        let mut line = format!(
            "client {} writes with token {}: your storage {} it",
            w.client,
            w.token,
            if w.accepted { "accepted" } else { "rejected" }
        );
        match violation {
            Some(LeaseViolation::Stale { index }) if index == i => line.push_str(&format!(
                " — but it had accepted token {} at {:.2} s: this write overwrote newer data",
                highest.0, highest.1
            )),
            Some(LeaseViolation::ValidRejected { index }) if index == i => line.push_str(&format!(
                " — but client {} held the lease with token {} then",
                w.client, w.token
            )),
            _ => {}
        }
        events.push((w.at_s, 2, line));
        if w.accepted && w.token > highest.0 {
            highest = (w.token, w.at_s);
        }
    }
    crate::shrink::story_lines(events, end_s, max_lines, 2)
}
