//! The chapter's figures: one-way delays under bursts into a bounded buffer, and arrival
//! order on a jittery, duplicating link, each with the learner's answer drawn beside the
//! simulator's.

use super::truth::run_link;
use crate::error::Result;
use crate::grade::{attempt, fmt_num};
use crate::plot::Figure;
use crate::sim::{Dist, stream};
use crate::world::{DropReason, Fate, LinkConfig};
use rand::Rng;

/// One-way delay of every message on a 1 MB/s link with a 16-message buffer, under bursts:
/// delays climb while the buffer fills, and drops start when it is full. The learner's
/// `one_way_delay` is drawn for the burst's messages at the queue they found.
pub fn delay_figure(one_way_delay: fn(u64, f64, f64, u64) -> f64, loss: f64, seed: u64) -> Result<Figure> {
    let link = LinkConfig {
        buffer_messages: 16,
        loss,
        ..LinkConfig::reliable(0.005, 1e6)?
    };
    let mut rng = stream(seed, 1);
    let mut plan = Vec::new();
    let mut t = 0.0;
    while t < 2.0 {
        // Bursts of 5–40 packets of 1500 B at 0.3 ms spacing, then a quiet spell.
        for _ in 0..rng.random_range(5..40) {
            plan.push((t, 1500));
            t += 0.0003;
        }
        t += rng.random_range(0.02..0.2);
    }
    let (out, _) = run_link(link, plan.clone(), vec![], seed)?;
    let mut delivered = Vec::new();
    let mut dropped = Vec::new();
    for r in out.messages.iter().filter(|r| !r.duplicate) {
        match r.fate {
            Fate::Delivered { at_s } => delivered.push((r.sent_at_s * 1e3, (at_s - r.sent_at_s) * 1e3)),
            Fate::Dropped {
                reason: DropReason::BufferFull,
                ..
            } => dropped.push((r.sent_at_s * 1e3, 0.0)),
            _ => {}
        }
    }
    // Headroom above the highest delay keeps the legend (upper left) off the points.
    let highest = delivered.iter().map(|p| p.1).fold(1.0, f64::max);
    let fig = Figure::new("Bursts into a 16-packet buffer at 1 MB/s")
        .x_label("send time (ms)")
        .y_label("one-way delay (ms)")
        .y_range(-1.0, highest * 1.45)
        .points("delivered (simulator)", delivered)
        .points("dropped: buffer full (drawn at 0)", dropped);
    // The learner's formula for each packet that got into the buffer, given the bytes still
    // queued ahead of it when it was sent.
    let mut free_at = 0.0_f64;
    let mut inputs = Vec::new();
    for r in out.messages.iter().filter(|r| !r.duplicate) {
        if matches!(
            r.fate,
            Fate::Dropped {
                reason: DropReason::BufferFull,
                ..
            }
        ) {
            continue;
        }
        let queued = ((free_at - r.sent_at_s).max(0.0) * 1e6).round() as u64;
        free_at = free_at.max(r.sent_at_s) + r.size_bytes as f64 / 1e6;
        inputs.push((r.sent_at_s, r.size_bytes, queued));
    }
    // Drawn over the simulator's points (a right answer covers them); when there is nothing to
    // draw, an entry with no points says why.
    Ok(
        match attempt(|| {
            inputs
                .iter()
                .map(|&(t, size, q)| (t * 1e3, one_way_delay(size, 1e6, 0.005, q) * 1e3))
                .collect::<Vec<_>>()
        }) {
            Ok(pts) => fig.points("your one_way_delay, drawn over the simulator's", pts),
            Err(why) => fig.points(why.label("one_way_delay"), []),
        },
    )
}

/// Arrival order against send order on a jittery, duplicating link, with how far in-order
/// delivery gets: the learner's `deliver_in_order` (solid) beside the simulator's count of
/// messages before the first one that never arrived (dashed).
pub fn order_figure(deliver_in_order: fn(&[u64]) -> Vec<u64>, loss: f64, jitter_ms: f64, seed: u64) -> Result<Figure> {
    let link = LinkConfig {
        loss,
        duplicate: 0.05,
        jitter_s: Dist::exponential((jitter_ms / 1e3).max(1e-9))?,
        ..LinkConfig::reliable(0.005, 1e8)?
    };
    let sent = 200;
    let plan: Vec<(f64, u64)> = (0..sent).map(|i| (i as f64 * 0.001, 100)).collect();
    let (_, arrivals) = run_link(link, plan, vec![], seed)?;
    let pts: Vec<(f64, f64)> = arrivals
        .iter()
        .enumerate()
        .map(|(i, a)| (i as f64, a.1 as f64))
        .collect();
    let seqs: Vec<u64> = arrivals.iter().map(|a| a.1).collect();
    // The truth: everything below the first sequence number that never arrived.
    let arrived: std::collections::HashSet<u64> = seqs.iter().copied().collect();
    let reachable = (0..).find(|s| !arrived.contains(s)).unwrap_or(0) as f64;
    let end = seqs.len().max(1) as f64;
    let fig = Figure::new(format!(
        "Arrival order on a link with {} ms jitter, 5% duplicates, {}% loss",
        fmt_num(jitter_ms),
        fmt_num(loss * 100.0)
    ))
    .x_label("arrival number")
    .y_label("sequence number")
    .x_range(0.0, end)
    // Room above the last sequence numbers for the legend (upper left).
    .y_range(-5.0, 300.0)
    .points("arrivals", pts);
    let yours = match attempt(|| deliver_in_order(&seqs)) {
        Ok(d) => {
            let n = d.len() as f64;
            let name = format!("your deliver_in_order handed over {n} messages");
            fig.line(name, [(0.0, n), (end, n)])
        }
        Err(why) => fig.line(why.label("deliver_in_order"), []),
    };
    let truth = match reachable as u64 {
        0 => "simulator: message 0 never arrived, so nothing can be delivered".to_string(),
        n if n == sent => format!("simulator: all {n} arrived, so all can be delivered"),
        n => format!("simulator: {n} can be delivered (message {n} never arrived)"),
    };
    Ok(yours.dashed(truth, [(0.0, reachable), (end, reachable)]))
}
