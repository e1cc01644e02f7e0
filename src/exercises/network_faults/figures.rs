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
    let mut fig = Figure::new("Bursts into a 16-packet buffer at 1 MB/s")
        .x_label("send time (ms)")
        .y_label("one-way delay (ms)")
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
    if let Ok(pts) = attempt(|| {
        inputs
            .iter()
            .map(|&(t, size, q)| (t * 1e3, one_way_delay(size, 1e6, 0.005, q) * 1e3))
            .collect::<Vec<_>>()
    }) {
        fig = fig.points("your one_way_delay", pts);
    }
    Ok(fig)
}

/// Arrival order against send order on a jittery, duplicating link, with the learner's in-order
/// delivery marked.
pub fn order_figure(deliver_in_order: fn(&[u64]) -> Vec<u64>, loss: f64, jitter_ms: f64, seed: u64) -> Result<Figure> {
    let link = LinkConfig {
        loss,
        duplicate: 0.05,
        jitter_s: Dist::exponential((jitter_ms / 1e3).max(1e-9))?,
        ..LinkConfig::reliable(0.005, 1e8)?
    };
    let plan: Vec<(f64, u64)> = (0..200).map(|i| (f64::from(i) * 0.001, 100)).collect();
    let (_, arrivals) = run_link(link, plan, vec![], seed)?;
    let pts: Vec<(f64, f64)> = arrivals
        .iter()
        .enumerate()
        .map(|(i, a)| (i as f64, a.1 as f64))
        .collect();
    let seqs: Vec<u64> = arrivals.iter().map(|a| a.1).collect();
    let mut fig = Figure::new(format!(
        "Arrival order on a link with {} ms jitter, 5% duplicates, {}% loss",
        fmt_num(jitter_ms),
        fmt_num(loss * 100.0)
    ))
    .x_label("arrival number")
    .y_label("sequence number")
    .points("arrivals", pts);
    if let Ok(d) = attempt(|| deliver_in_order(&seqs)) {
        let n = d.len();
        fig = fig.hline(format!("your in-order delivery reached {n} messages"), n as f64);
    }
    Ok(fig)
}
