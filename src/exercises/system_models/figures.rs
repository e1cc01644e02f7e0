//! The chapter's figures.

use crate::error::Result;
use crate::grade::{attempt, fmt_num};
use crate::models::check::{LeaderEvent, one_leader_at_a_time};
use crate::models::election::{self, PrimaryBackupConfig};
use crate::models::{Consistent, DelayRun, FailureModel, SystemModel, TimingModel};
use crate::plot::{Figure, SpaceTime};
use crate::quorum::{self, ElectionConfig};
use crate::sim::Seed;
use rayon::prelude::*;

/// The first seed (from `seed`) on which primary–backup under asynchronous links has two
/// leaders at once within its first 3 s.
fn split_seed(cfg: &PrimaryBackupConfig, model: &SystemModel, seed: u64) -> Result<u64> {
    for k in 0..200 {
        let s = Seed(seed).child(k).0;
        let (events, _) = election::primary_backup(cfg, model, s)?;
        if let Ok(Some(v)) = one_leader_at_a_time(&events)
            && v.event.at_s < 2.5
        {
            return Ok(s);
        }
    }
    Ok(seed)
}

/// Space-time diagram of primary–backup (heartbeats every 50 ms, a 200 ms timeout) on
/// asynchronous links: a heartbeat arrives late, the backup declares the live primary dead and
/// leads too. The first violating event (the checker's witness) is marked.
pub fn split_brain_figure(seed: u64) -> Result<SpaceTime> {
    let model = SystemModel::new(TimingModel::asynchronous(), FailureModel::None);
    let base = PrimaryBackupConfig::default();
    let s = split_seed(&base, &model, seed)?;
    let (events, world) = election::primary_backup(&base, &model, s)?;
    let violation = one_leader_at_a_time(&events).ok().flatten();
    let end = violation.as_ref().map_or(2.0, |v| v.event.at_s + 0.06);
    let mut fig = SpaceTime::from_outcome(&world)
        .title(format!(
            "Primary–backup on asynchronous links: a late heartbeat, two leaders (seed {s}, true time)"
        ))
        .node_names(["primary", "backup 1", "backup 2"])
        .until(end)
        .width(1200)
        .label_messages(|m| {
            let d = m.delivered_at_s().map_or(f64::INFINITY, |t| t - m.sent_at_s);
            (d > base.timeout_s).then(|| format!("{} ms", fmt_num((d * 1000.0).round())))
        });
    for e in events.iter().filter(|e| e.begins && e.at_s <= end) {
        fig = fig.label_event(e.node, e.at_s, "leads");
    }
    if let Some(v) = violation {
        fig = fig.label_event(
            v.event.node,
            v.event.at_s,
            format!("first violation: event {} (node {} leads too)", v.index, v.event.node),
        );
    }
    Ok(fig)
}

/// How many nodes believe they lead at each change, from a leadership history.
fn leaders_over_time(events: &[LeaderEvent], end_s: f64) -> Vec<(f64, f64)> {
    let mut on = 0.0;
    let mut pts = vec![(0.0, 0.0)];
    for e in events {
        on += if e.begins { 1.0 } else { -1.0 };
        pts.push((e.at_s, on));
    }
    pts.push((end_s, on));
    pts
}

/// How many nodes believe they lead, over time, under `model`: the term-based election (5
/// nodes, 150–300 ms timeouts) against primary–backup (3 nodes, a 200 ms timeout).
pub fn leaders_figure(model: &SystemModel, seed: u64) -> Result<Figure> {
    let cfg = ElectionConfig::default();
    let run = election::elect(&cfg, model, seed)?;
    let terms = election::leader_events(&run.election);
    let (pb, _) = election::primary_backup(&PrimaryBackupConfig::default(), model, seed)?;
    let mut fig = Figure::new(format!("Nodes that believe they lead: {} (seed {seed})", model.name()))
        .x_label("true time (s)")
        .y_label("leaders at once")
        .y_range(0.0, 4.5)
        .step("term-based election (5 nodes)", leaders_over_time(&terms, cfg.until_s))
        .step(
            "primary–backup, no terms (3 nodes)",
            leaders_over_time(&pb, cfg.until_s),
        );
    if let Some(g) = model.timing.stabilises_at_s().filter(|&g| g > 0.0) {
        fig = fig.dashed("GST", [(g, 0.0), (g, 4.0)]);
    }
    Ok(fig)
}

/// Each message's delay against when it was sent, in a partially synchronous election run
/// (GST 2 s), with the bound and the GST the learner's `timing_model` finds in it.
pub fn delay_figure(timing_model: fn(&DelayRun, f64) -> Consistent, seed: u64) -> Result<Figure> {
    let cfg = ElectionConfig {
        until_s: 4.0,
        ..Default::default()
    };
    let model = SystemModel::new(TimingModel::partially_synchronous(2.0), FailureModel::None);
    let run = election::elect(&cfg, &model, seed)?;
    let r = DelayRun::from_messages(&run.world.messages, run.election.end_s);
    let b = crate::models::BOUND_S;
    let pts: Vec<(f64, f64)> = r
        .delays_s()
        .into_iter()
        .filter(|p| p.1.is_finite())
        .map(|(t, d)| (t, d * 1000.0))
        .collect();
    let mut fig = Figure::new("Delays of an election's messages, GST at 2 s")
        .x_label("sent at, true time (s)")
        .y_label("one-way delay (ms), log scale")
        .log_y()
        .points("messages", pts)
        .dashed("bound 10 ms", [(0.0, b * 1000.0), (r.end_s, b * 1000.0)]);
    fig = match attempt(|| timing_model(&r, b)) {
        Ok(Consistent::PartiallySynchronous { gst_s }) => fig.line(
            format!("your GST: {} s", fmt_num(gst_s)),
            [(gst_s, 1.0), (gst_s, 2000.0)],
        ),
        Ok(other) => fig.line(format!("your timing_model: {other:?}"), [(0.0, 1.0), (0.0, 1.0)]),
        Err(_) => fig.line("(your timing_model: not attempted yet)", [(0.0, 1.0), (0.0, 1.0)]),
    };
    Ok(fig)
}

/// Mean time from GST to the first leader (over `runs` seeded elections per GST) against GST,
/// for the library's 150–300 ms timeouts and for `timeout` (the learner's range, if any).
pub fn elect_vs_gst_figure(timeout: Option<(f64, f64)>, runs: usize, seed: u64) -> Result<Figure> {
    let curve = |lo: f64, hi: f64| -> Result<Vec<(f64, f64)>> {
        (0..=8)
            .map(|i| {
                let gst = 0.5 * i as f64;
                let cfg = ElectionConfig {
                    timeout_min_s: lo,
                    timeout_max_s: hi,
                    until_s: gst + 10.0,
                    ..Default::default()
                }
                .first_election();
                let model = SystemModel::new(TimingModel::partially_synchronous(gst), FailureModel::None);
                let times: Result<Vec<f64>> = (0..runs as u64)
                    .into_par_iter()
                    .map(|k| {
                        let o = election::elect(&cfg, &model, Seed(seed).child(k).0)?;
                        Ok(o.election.first_leader_s().unwrap_or(cfg.until_s) - gst)
                    })
                    .collect();
                let times = times?;
                Ok((gst, times.iter().sum::<f64>() / times.len() as f64))
            })
            .collect()
    };
    let mut fig = Figure::new(format!(
        "Time from GST to the first leader, 5 nodes, delays 0.5–1 s before GST, {runs} elections each"
    ))
    .x_label("GST (s)")
    .y_label("mean time from GST to a leader (s)")
    .line("timeouts 150–300 ms", curve(0.150, 0.300)?);
    fig = match timeout {
        Some((lo, hi)) if lo > 0.0 && hi >= lo && hi.is_finite() => fig.line(
            format!(
                "your election_timeout: {}–{} ms",
                fmt_num(lo * 1000.0),
                fmt_num(hi * 1000.0)
            ),
            curve(lo, hi)?,
        ),
        Some(_) => fig.line("(your election_timeout: not a valid range)", [(0.0, 0.0)]),
        None => fig.line("(your election_timeout: not attempted yet)", [(0.0, 0.0)]),
    };
    Ok(fig)
}

/// The fraction of `runs` cold-start elections (timeouts 150–300 ms) that elect a leader
/// within 10 s, against a fixed one-way delay (no jitter) as a fraction of the shortest
/// timeout: a candidate needs its votes back, a round trip, before its own timeout fires.
pub fn elect_vs_ratio_figure(runs: usize, seed: u64) -> Result<Figure> {
    let base = ElectionConfig {
        jitter_s: 0.0,
        ..Default::default()
    };
    let pts: Result<Vec<(f64, f64)>> = (1..=16)
        .map(|i| {
            let ratio = 0.1 * i as f64;
            let cfg = ElectionConfig {
                link_delay_s: ratio * base.timeout_min_s,
                ..base
            };
            let done = quorum::election_times(&cfg, quorum::reference_rule(), runs, seed)?;
            Ok((ratio, done.iter().filter(|d| d.is_some()).count() as f64 / runs as f64))
        })
        .collect();
    Ok(Figure::new(format!(
        "Elections that elect within 10 s, 5 nodes, timeouts 150–300 ms, {runs} runs per point"
    ))
    .x_label("one-way delay / shortest election timeout")
    .y_label("fraction that elected a leader")
    .y_range(0.0, 1.2)
    .line("term-based election", pts?))
}
