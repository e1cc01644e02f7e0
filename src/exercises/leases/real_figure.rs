//! The real scenario drawn as the simulator's is: one lane per party in wall time, an arrow per
//! request, the pause shaded, stale and rejected writes marked at the storage.

use super::real::{RealOutcome, RealRun};
use crate::plot::SpaceTime;
use crate::world::{Fate, MessageRecord, NodeEvent};

const LOCK: usize = 0;
const STORAGE: usize = 1;
const NAMES: [&str; 2] = ["A", "B"];

/// Space-time diagram of one real run in wall time (seconds since the cluster had a leader):
/// the lock service's lane marks each grant and when the paused holder's key vanished; each
/// client's lane where it took the lock and where its lease-safety answer made it stop; the
/// pause (SIGSTOP to SIGCONT) is shaded; the storage's lane marks stale and rejected writes.
pub fn real_timeline_figure(run: &RealRun) -> SpaceTime {
    let mut messages = Vec::new();
    let mut arrow = |from: usize, to: usize, sent: f64, at: f64| {
        messages.push(MessageRecord {
            id: messages.len() as u64,
            duplicate: false,
            from,
            to,
            size_bytes: 0,
            sent_at_s: sent,
            fate: Fate::Delivered { at_s: at },
            label: None,
        });
    };
    for (who, e) in &run.events {
        match e.kind.as_str() {
            "lock" => arrow(2 + who, LOCK, e.sent_at_s, e.at_s),
            "write" => arrow(2 + who, STORAGE, e.sent_at_s, e.at_s),
            _ => {}
        }
    }
    let pauses: Vec<NodeEvent> = run
        .pause_s
        .iter()
        .map(|&(from_s, to_s)| NodeEvent::Paused {
            node: 2,
            from_s,
            to_s,
            mid_handler: true,
        })
        .collect();
    let end = run.events.iter().map(|(_, e)| e.at_s).fold(1.0, f64::max) + 0.3;
    let mut fig = SpaceTime::from_records(4, &messages, &pauses, &[], end)
        .title(format!(
            "Real etcd in wall time: a lock holder paused past its lease ({})",
            if run.fenced {
                "storage fences with your fencing_accepts"
            } else {
                "naive storage: no fencing"
            }
        ))
        .node_names(["lock service (etcd)", "storage (etcd)", "client A", "client B"])
        .until(end)
        .time_axis("wall-clock time since the cluster had a leader (s)")
        .width(1200);
    for (who, e) in &run.events {
        let lane = 2 + who;
        match e.kind.as_str() {
            "lock" => {
                fig = fig
                    .label_event(LOCK, e.at_s, format!("grants token {} to {}", e.token, NAMES[*who]))
                    .label_event(lane, e.at_s, format!("holds {}", e.token));
            }
            "stop" => fig = fig.label_event(lane, e.at_s, format!("{} over (own clock)", e.token)),
            "panicked" | "error" => fig = fig.label_event(lane, e.at_s, "failed".to_string()),
            _ => {}
        }
    }
    if let Some(t) = run.lease_ended_s {
        fig = fig.label_event(LOCK, t, "A's key gone (lease over)".to_string());
    }
    let stale = crate::lease::stale_writes(&run.writes);
    for (i, w) in run.writes.iter().enumerate() {
        if stale.contains(&i) {
            fig = fig.label_event(STORAGE, w.at_s, format!("STALE write, token {}", w.token));
        } else if !w.accepted {
            let whose = if run.writes[..i].iter().any(|o| o.accepted && o.token > w.token) {
                ""
            } else {
                " (holder's!)"
            };
            fig = fig.label_event(STORAGE, w.at_s, format!("rejected token {}{whose}", w.token));
        }
    }
    fig
}

/// The report of a real experiment, one line each, as the binary prints it.
pub fn describe(out: &RealOutcome) -> Vec<String> {
    let mut lines = vec![format!(
        "Real etcd {}: 3 members on 127.0.0.1, a leader {:.2} s after the first was started; {}.",
        out.version, out.start_s, out.safety_note
    )];
    for run in &out.runs {
        let what = if run.fenced {
            "fencing (your fencing_accepts)"
        } else {
            "no fencing (plain put)"
        };
        let pause = match (run.pause_s, run.lease_ended_s) {
            (Some((from, to)), Some(end)) => {
                format!("A paused {:.2} s (lease gone {:.2} s into it)", to - from, end - from)
            }
            _ => "A never paused".to_string(),
        };
        let rejected = run.writes.iter().filter(|w| !w.accepted).count();
        lines.push(format!(
            "  {what:32} {pause}; A's writes sent after its lease ended: {}; stale writes accepted: {}; rejected: {rejected}",
            run.late, run.stale
        ));
        if run.holder_rejected > 0 {
            lines.push(format!(
                "  {:32} {} of the rejected writes came from the lock's current holder: a holder writes several times under one token",
                "", run.holder_rejected
            ));
        }
        if run.late > 1 {
            lines.push(format!(
                "  {:32} A kept writing after it resumed: its lease-safety answer still said the lease held (a right one stops it at the first check after the pause)",
                ""
            ));
        }
        if let Some(note) = &run.note {
            lines.push(format!("  {:32} note: {note}", ""));
        }
    }
    if let Some(note) = &out.fencing_note {
        lines.push(format!("  {note}"));
    }
    lines.push(format!(
        "Cluster stopped (followers first, then the leader) in {:.2} s; no process or data left.",
        out.stop_s
    ));
    lines
}
