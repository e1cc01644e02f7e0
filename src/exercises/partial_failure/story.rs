//! A bank run told: which property of the bank it broke, at which call of the learner's
//! `apply_transfer`, and the run in a few plain lines.

use std::collections::HashMap;

use super::Receipt;
use super::schedule::{BASE_DELAY_S, BankRun, BankSchedule, MAX_UNTIL_S, MsgKey};
use crate::world::{DropReason, Fate, NodeEvent};

/// A property of the bank that a run broke.
#[derive(Debug, Clone, PartialEq)]
pub enum BankViolation {
    /// `calls[call]` left the balance other than every transfer applied once would.
    Balance {
        /// The server's call, in order.
        call: usize,
        /// The balance every transfer applied exactly once gives.
        expected: i64,
    },
    /// `calls[call]`'s receipt carries another key.
    WrongKey {
        /// The call.
        call: usize,
    },
    /// `calls[call]`'s receipt shows another balance than the one the transfer left.
    WrongReceipt {
        /// The call.
        call: usize,
    },
    /// `calls[call]` answered a repeat with another receipt than the first copy's.
    Different {
        /// The call.
        call: usize,
        /// The first copy's receipt.
        first: Receipt,
    },
    /// The client heard no receipt for these keys by the end of the run.
    Unanswered {
        /// The keys.
        keys: Vec<u64>,
    },
    /// `apply_transfer` panicked inside the server.
    Panicked(String),
}

impl BankViolation {
    /// The property, as the report names it.
    pub fn property(&self) -> &'static str {
        match self {
            BankViolation::Balance { .. } => "each transfer applied exactly once",
            BankViolation::WrongKey { .. } => "every receipt carries its transfer's key",
            BankViolation::WrongReceipt { .. } => "a receipt shows the balance right after its transfer",
            BankViolation::Different { .. } => "every copy of a transfer gets the same receipt",
            BankViolation::Unanswered { .. } => "every transfer is answered",
            BankViolation::Panicked(_) => "your apply_transfer runs without panicking",
        }
    }

    pub(super) fn same_kind(&self, other: &BankViolation) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }

    pub(super) fn call(&self) -> Option<usize> {
        match self {
            BankViolation::Balance { call, .. }
            | BankViolation::WrongKey { call }
            | BankViolation::WrongReceipt { call }
            | BankViolation::Different { call, .. } => Some(*call),
            _ => None,
        }
    }
}

/// The first property the run broke, walking the server's calls in order; then, for a run not
/// cut short, whether every transfer was answered.
pub(super) fn bank_violation(run: &BankRun, schedule: &BankSchedule) -> Option<BankViolation> {
    if let Some(p) = &run.server.panicked {
        return Some(BankViolation::Panicked(p.clone().unwrap_or_default()));
    }
    let mut first: HashMap<u64, Receipt> = HashMap::new();
    let mut expected = 0i64;
    for (i, call) in run.server.calls.iter().enumerate() {
        let (t, r) = (call.transfer, call.receipt);
        if r.key != t.key {
            return Some(BankViolation::WrongKey { call: i });
        }
        match first.get(&t.key) {
            None => {
                expected += t.amount;
                if call.balance_after != expected {
                    return Some(BankViolation::Balance { call: i, expected });
                }
                if r.balance_after != call.balance_after {
                    return Some(BankViolation::WrongReceipt { call: i });
                }
                first.insert(t.key, r);
            }
            Some(&r0) => {
                if call.balance_after != expected {
                    return Some(BankViolation::Balance { call: i, expected });
                }
                if r != r0 {
                    return Some(BankViolation::Different { call: i, first: r0 });
                }
            }
        }
    }
    if schedule.until_s >= MAX_UNTIL_S && run.client.done.len() < schedule.transfers.len() {
        let keys = schedule
            .transfers
            .iter()
            .map(|t| t.0)
            .filter(|k| !run.client.done.contains(k))
            .collect();
        return Some(BankViolation::Unanswered { keys });
    }
    None
}

pub(super) fn transfer_name(schedule: &BankSchedule, key: u64) -> String {
    match schedule.transfers.iter().position(|t| t.0 == key) {
        Some(i) => format!("#{}", i + 1),
        None => format!("with key {key}"),
    }
}

/// What the wire did with message record `i` (and its copy), in words after a dash; empty for
/// a plain delivery.
fn fate_words(run: &BankRun, i: usize) -> String {
    let r = &run.world.messages[i];
    let copy = run.world.messages.get(i + 1).filter(|c| c.duplicate && c.id == r.id);
    match (r.fate, copy) {
        (Fate::Dropped { reason, .. }, _) => match reason {
            DropReason::ReceiverDown => " — the server is down when it arrives: lost".into(),
            _ => " — the network loses it".into(),
        },
        (_, Some(c)) => {
            let at = |f: Fate| match f {
                Fate::Delivered { at_s } => at_s,
                _ => f64::NAN,
            };
            let (a, b) = (at(r.fate), at(c.fate));
            format!(
                " — the network delivers it twice (at {:.2} s and {:.2} s)",
                a.min(b),
                a.max(b)
            )
        }
        (Fate::Delivered { at_s }, None) if at_s - r.sent_at_s > 4.0 * BASE_DELAY_S => {
            format!(" — it is slow: arrives at {at_s:.2} s")
        }
        (Fate::InFlight, None) => " — still on its way when the run ends".into(),
        _ => String::new(),
    }
}

/// The run in plain lines, in true time, up to the violation (at most `max_lines`, the latest
/// kept): the client's sends and retries, what the wire did with them, the server's faults,
/// and each call of the learner's `apply_transfer`.
pub(super) fn story(run: &BankRun, s: &BankSchedule, v: Option<&BankViolation>, max_lines: usize) -> Vec<String> {
    let mut events: Vec<(f64, u8, String)> = Vec::new();
    let mut sent = run.sent.iter();
    for (i, r) in run.world.messages.iter().enumerate() {
        if r.duplicate {
            continue;
        }
        let Some(&MsgKey { reply, key, nth }) = sent.next() else {
            break;
        };
        let name = transfer_name(s, key);
        let fate = fate_words(run, i);
        let line = match (reply, nth) {
            (false, 0) => {
                let amount = s.transfers.iter().find(|t| t.0 == key).map_or(0, |t| t.1);
                format!("client sends transfer {name} ({amount:+}){fate}")
            }
            (false, n) => format!("client retries transfer {name} (copy {}){fate}", n + 1),
            (true, _) if fate.is_empty() => continue,
            (true, _) => format!("the server's reply for {name}{}", fate.replace(" — ", ": ")),
        };
        events.push((r.sent_at_s, 0, line));
    }
    for e in &run.world.node_events {
        match *e {
            NodeEvent::Paused { from_s, to_s, .. } => events.push((
                from_s,
                1,
                format!("the server pauses for {:.2} s (until {to_s:.2} s)", to_s - from_s),
            )),
            NodeEvent::Crashed { at_s, .. } => {
                events.push((at_s, 1, "the server crashes (its ledger is on disk)".into()))
            }
            NodeEvent::Recovered { at_s, .. } => events.push((at_s, 1, "the server restarts".into())),
            NodeEvent::ClockStepped { .. } => {}
        }
    }
    let mut seen: HashMap<u64, u32> = HashMap::new();
    for (i, c) in run.server.calls.iter().enumerate() {
        let (t, r) = (c.transfer, c.receipt);
        let copy = seen.entry(t.key).or_insert(0);
        *copy += 1;
        let name = transfer_name(s, t.key);
        let what = if *copy == 1 {
            format!(
                "your apply_transfer gets {name}: balance {} → {}",
                c.balance_before, c.balance_after
            )
        } else {
            format!(
                "your apply_transfer gets {name} again (copy {copy}): balance {} → {}",
                c.balance_before, c.balance_after
            )
        };
        let mut line = format!(
            "{what}, receipt {{ key: {}, balance_after: {} }}",
            r.key, r.balance_after
        );
        if v.and_then(BankViolation::call) == Some(i) {
            line.push_str(&match v {
                Some(BankViolation::Balance { expected, .. }) if *copy > 1 => {
                    format!(" — applied again: balance {}, expected {expected}", c.balance_after)
                }
                Some(BankViolation::Balance { expected, .. }) => {
                    format!(" — balance {}, expected {expected}", c.balance_after)
                }
                Some(BankViolation::WrongKey { .. }) => format!(" — the receipt should carry key {}", t.key),
                Some(BankViolation::WrongReceipt { .. }) => {
                    format!(" — the receipt should show balance_after {}", c.balance_after)
                }
                Some(BankViolation::Different { first, .. }) => {
                    format!(
                        " — the first copy got {{ key: {}, balance_after: {} }}",
                        first.key, first.balance_after
                    )
                }
                _ => String::new(),
            });
        }
        events.push((c.at_s, 2, line));
    }
    let end_s = match v {
        Some(BankViolation::Panicked(m)) => {
            let at = run.world.failure.as_ref().map_or(0.0, |f| f.at_s);
            events.push((at, 3, format!("your apply_transfer panicked: {m}")));
            at
        }
        Some(BankViolation::Unanswered { keys }) => {
            let names: Vec<String> = keys.iter().take(3).map(|k| transfer_name(s, *k)).collect();
            let at = run.world.run.now;
            events.push((
                at,
                3,
                format!("the run ends with no receipt heard for {}", names.join(", ")),
            ));
            at
        }
        Some(v) => v.call().map_or(f64::INFINITY, |i| run.server.calls[i].at_s),
        None => f64::INFINITY,
    };
    crate::shrink::story_lines(events, end_s, max_lines, 2)
}
