//! A link run told in a few plain lines: what the network lost or duplicated, each arrival,
//! and what the learner's `deliver_in_order` handed over after it.

use super::replay::OrderViolation;
use super::schedule::{LinkRun, LinkSchedule, in_order};
use crate::world::Fate;

pub(super) fn list(xs: &[u64]) -> String {
    xs.iter().map(u64::to_string).collect::<Vec<_>>().join(", ")
}

/// The run in plain lines, up to the violation (at most `max_lines`, the latest kept).
pub(super) fn story(run: &LinkRun, s: &LinkSchedule, v: Option<&OrderViolation>, max_lines: usize) -> Vec<String> {
    let mut events: Vec<(f64, u8, String)> = vec![(
        0.0,
        0,
        format!(
            "the sender sends {}, one every millisecond",
            if s.messages == 1 {
                "0".to_string()
            } else {
                format!("0 … {}", s.messages - 1)
            }
        ),
    )];
    let mut seq = 0;
    for (i, r) in run.world.messages.iter().enumerate() {
        if r.duplicate {
            continue;
        }
        let copy = run.world.messages.get(i + 1).filter(|c| c.duplicate && c.id == r.id);
        match (r.fate, copy) {
            (Fate::Dropped { .. }, _) => events.push((r.sent_at_s, 1, format!("the network loses {seq}"))),
            (_, Some(_)) => events.push((r.sent_at_s, 1, format!("the network duplicates {seq}"))),
            _ => {}
        }
        seq += 1;
    }
    let r = &run.receiver;
    let mut seen = std::collections::HashSet::new();
    let mut before: &[u64] = &[];
    for (k, &(t, n)) in r.arrivals.iter().enumerate() {
        let arrived: Vec<u64> = r.arrivals[..=k].iter().map(|a| a.1).collect();
        let missing = in_order(&arrived).len() as u64;
        let note = if !seen.insert(n) {
            " again (a duplicate)".to_string()
        } else if n > missing {
            format!(" before {missing}")
        } else {
            String::new()
        };
        let mut line = format!("{n} arrives{note}");
        match r.handed.get(k) {
            Some(got) => {
                let more = got.strip_prefix(before).unwrap_or(got);
                let last = k + 1 == r.handed.len() && r.broke;
                if got.len() < before.len() || !got.starts_with(before) {
                    line.push_str(&format!("; your deliver_in_order now returns [{}]", list(got)));
                } else if !more.is_empty() {
                    line.push_str(&format!("; your deliver_in_order hands over {}", list(more)));
                } else if last {
                    line.push_str("; your deliver_in_order hands over nothing more");
                }
                if last {
                    let want = in_order(&arrived);
                    line.push_str(&match v {
                        Some(OrderViolation::Early { number, missing }) => {
                            format!(" — but {missing} has not arrived: {number} was handed over before {missing}")
                        }
                        Some(OrderViolation::Held { up_to }) => format!(
                            " — but everything up to {up_to} has arrived: in order it hands over [{}]",
                            list(&want)
                        ),
                        _ => format!(" — in order it hands over exactly [{}]", list(&want)),
                    });
                }
                before = got;
            }
            None => {
                if let Some(OrderViolation::Panicked(m)) = v {
                    line.push_str(&format!("; your deliver_in_order panicked: {m}"));
                }
            }
        }
        events.push((t, 2, line));
    }
    let end_s = r.arrivals.last().map_or(0.0, |a| a.0);
    let end_s = if v.is_some() { end_s } else { f64::INFINITY };
    crate::shrink::story_lines(events, end_s, max_lines, 3)
}
