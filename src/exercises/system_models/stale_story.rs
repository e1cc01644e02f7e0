//! Task 2's runs told and drawn: the run in a few plain lines (grants, pauses, read-only spans,
//! every write with its index in the log), the log the checker saw, expected against got, and
//! the space-time diagram with the first stale write and the checker's pick marked.

use super::stale::{Checked, StaleChecker};
use crate::error::Result;
use crate::grade::{attempt, fmt_num};
use crate::lease::{AppliedWrite, FIRST_CLIENT, LOCK_SERVICE, LeaseOp, STORAGE};
use crate::models::{WriteRun, truth};
use crate::plot::SpaceTime;
use crate::world::NodeEvent;

/// Lines of a story at most (the latest kept).
const MAX_LINES: usize = 14;

/// The highest token accepted before write `i`, and when.
fn accepted_above(writes: &[AppliedWrite], i: usize) -> Option<&AppliedWrite> {
    let w = writes.get(i)?;
    writes[..i]
        .iter()
        .filter(|x| x.accepted && x.token > w.token)
        .max_by_key(|x| x.token)
}

/// Write `i` of the log as a verdict names it: "#3 (token 7 at 5.20 s, after token 8 was
/// accepted at 5.05 s)"; `None` is "none (no stale write accepted)".
pub fn show_pick(writes: &[AppliedWrite], pick: Option<usize>) -> String {
    let Some(i) = pick else {
        return "none (no stale write accepted)".into();
    };
    let Some(w) = writes.get(i) else {
        return format!(
            "#{i} (the log has only {} writes, #0 to #{})",
            writes.len(),
            writes.len().saturating_sub(1)
        );
    };
    let why = if !w.accepted {
        ", which the storage did not accept".to_string()
    } else if let Some(h) = accepted_above(writes, i) {
        format!(", after token {} was accepted at {:.2} s", h.token, h.at_s)
    } else {
        ", no token above it accepted before".to_string()
    };
    format!("#{i} (token {} at {:.2} s{why})", w.token, w.at_s)
}

/// "#0 1✓, #1 2✗, …": the log as the checker saw it (the first 12).
fn show_log(writes: &[AppliedWrite]) -> String {
    let mut s: Vec<String> = writes
        .iter()
        .enumerate()
        .take(12)
        .map(|(i, w)| format!("#{i} {}{}", w.token, if w.accepted { "✓" } else { "✗" }))
        .collect();
    if writes.len() > 12 {
        s.push(format!("… ({} writes)", writes.len()));
    }
    if s.is_empty() { "no writes".into() } else { s.join(", ") }
}

/// The run in plain lines, in true time, up to the write the verdict is about; then the log
/// the checker saw and expected against got.
pub fn story(run: &WriteRun, c: &Checked, seed: u64) -> Vec<String> {
    let mut lines = vec![header(run, seed)];
    let (Ok((out, _)), Ok(spans)) = (run.run(seed, false), run.spans(seed)) else {
        lines.push(c.verdict_line());
        return lines;
    };
    let picked = c.got.clone().ok().flatten();
    let end_s = [c.want, picked]
        .into_iter()
        .flatten()
        .filter_map(|i| c.writes.get(i))
        .map(|w| w.at_s)
        .fold(f64::NEG_INFINITY, f64::max);
    let end_s = if end_s.is_finite() { end_s } else { f64::INFINITY };
    let mut events: Vec<(f64, u8, String)> = Vec::new();
    for g in &out.grants {
        events.push((
            g.from_s,
            0,
            format!(
                "client {} takes the lease with token {} (it ends at {:.2} s)",
                g.client, g.token, g.until_s
            ),
        ));
    }
    for e in &out.node_events {
        if let NodeEvent::Paused { node, from_s, to_s, .. } = e
            && *node >= FIRST_CLIENT
        {
            events.push((
                *from_s,
                1,
                format!(
                    "client {node} checks its lease, then pauses {:.2} s (until {to_s:.2} s)",
                    to_s - from_s
                ),
            ));
        }
    }
    for r in &spans {
        events.push((
            r.from_s,
            1,
            format!(
                "the storage goes read-only until {:.2} s: it refuses every write",
                r.to_s
            ),
        ));
    }
    for (i, w) in out.writes.iter().enumerate() {
        let what = if w.accepted {
            "accepted".to_string()
        } else if spans.iter().any(|r| r.contains(w.at_s)) {
            "refused (read-only)".to_string()
        } else {
            "rejected (a higher token was accepted before)".to_string()
        };
        let stale = if c.want == Some(i) {
            accepted_above(&out.writes, i)
                .map(|h| format!(" — stale: token {} was accepted at {:.2} s", h.token, h.at_s))
                .unwrap_or_default()
        } else {
            String::new()
        };
        events.push((
            w.at_s,
            2,
            format!("#{i} client {} writes with token {}: {what}{stale}", w.client, w.token),
        ));
    }
    lines.extend(crate::shrink::story_lines(events, end_s, MAX_LINES - 3, 2));
    lines.push(format!("your checker saw the log: {}", show_log(&c.writes)));
    lines.push(c.verdict_line());
    lines
}

fn header(run: &WriteRun, seed: u64) -> String {
    let spans: Vec<String> = run
        .spans(seed)
        .unwrap_or_default()
        .iter()
        .filter(|r| r.from_s < run.lease.until_s)
        .map(|r| format!("{:.2}–{:.2} s", r.from_s, r.to_s))
        .collect();
    format!(
        "a lease world of {} client{}, {} s leases, to {} s, seed {seed}; its storage {}{}",
        run.lease.clients.len(),
        if run.lease.clients.len() == 1 { "" } else { "s" },
        fmt_num(run.lease.lease_s),
        fmt_num(run.lease.until_s),
        if run.fencing { "fences" } else { "does not fence" },
        if spans.is_empty() {
            String::new()
        } else {
            format!(
                " and is read-only {}{}",
                spans.join(", "),
                if run.failover {
                    " (a failover at the worst moment among them)"
                } else {
                    ""
                }
            )
        }
    )
}

/// The space-time diagram of exactly the run `run` describes: grants, holds, pauses, every
/// write with its index, the first stale write marked ✗, and what `checker` (when given)
/// named.
pub fn replay_figure(run: &WriteRun, checker: Option<StaleChecker>, seed: u64) -> Result<SpaceTime> {
    let (out, world) = run.run(seed, true)?;
    let spans = run.spans(seed)?;
    let want = truth::first_stale_write(&out.writes);
    let got = checker.and_then(|f| attempt(|| f(&out.writes)).ok());
    let mut names = vec!["lock service".to_string(), "storage".to_string()];
    names.extend((0..run.lease.clients.len()).map(|c| format!("client {}", FIRST_CLIENT + c)));
    let focus = [want, got.flatten()]
        .into_iter()
        .flatten()
        .filter_map(|i| out.writes.get(i))
        .map(|w| w.at_s)
        .reduce(f64::max);
    let end = focus.map_or(run.lease.until_s, |t| (t + 1.0).min(run.lease.until_s));
    let said = match got {
        Some(g) if g == want => "your checker agrees".to_string(),
        Some(Some(g)) => format!("your checker said #{g}"),
        Some(None) => "your checker said none".to_string(),
        None => "your checker did not answer".to_string(),
    };
    let title = match want {
        Some(i) => format!("The first stale write is #{i} (✗); {said}: true time, seed {seed}"),
        None => format!("No stale write accepted; {said}: true time, seed {seed}"),
    };
    let mut fig = SpaceTime::from_outcome(&world)
        .title(title)
        .node_names(names)
        .until(end)
        .width(1200);
    for g in &out.grants {
        fig = fig.label_event(
            LOCK_SERVICE,
            g.from_s,
            format!("grants {} to client {}", g.token, g.client),
        );
    }
    for op in &out.history {
        if let LeaseOp::Hold { token } = op.op {
            fig = fig.label_event(op.node, op.invoked_at_s, format!("holds {token}"));
        }
    }
    for r in &spans {
        if r.from_s < end {
            fig = fig.label_event(STORAGE, r.from_s, format!("read-only until {:.2} s", r.to_s));
        }
    }
    for (i, w) in out.writes.iter().enumerate() {
        let mut text = if want == Some(i) {
            format!("✗ #{i} STALE: token {} accepted", w.token)
        } else if w.accepted {
            format!("#{i} accepts {}", w.token)
        } else if spans.iter().any(|r| r.contains(w.at_s)) {
            format!("#{i} refuses {}", w.token)
        } else {
            format!("#{i} rejects {}", w.token)
        };
        if got.flatten() == Some(i) && want != Some(i) {
            text.push_str(" ← your checker");
        }
        fig = fig.label_event(STORAGE, w.at_s, text);
    }
    Ok(fig)
}
