//! The chapter's figures: space-time diagrams with every event labelled by its clock stamp,
//! and how far a hybrid logical clock's `l` runs ahead of true time under clock skew.

use crate::error::Result;
use crate::grade::{attempt, missing_note};
use crate::logical::stamps::{self, Hlc, HlcRule, show_vector};
use crate::logical::{GossipConfig, History, LogicalOutcome, rules};
use crate::plot::{Figure, SpaceTime};

/// Which clock labels a diagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stamp {
    /// Lamport clocks.
    Lamport,
    /// Vector clocks.
    Vector,
    /// Hybrid logical clocks, `(l, c)`.
    Hlc,
}

/// The notebook's worked example (three nodes A, B, C; twelve events) as an outcome to draw.
pub fn worked_example() -> LogicalOutcome {
    LogicalOutcome::from_history(super::truth::worked_example())
}

/// The worked example's history.
pub fn worked_example_history() -> History {
    super::truth::worked_example()
}

/// An HLC stamp for a label: `l` in seconds (runs longer than 1 s) or milliseconds.
pub fn hlc_label(s: Hlc, end_s: f64) -> String {
    if end_s >= 1.0 {
        format!("({:.2}, {})", s.l_s, s.c)
    } else {
        format!("({:.1} ms, {})", s.l_s * 1e3, s.c)
    }
}

/// The labels of every event: the learner's stamps from `answers` when given and attempted,
/// otherwise `None`.
pub(super) fn labels(out: &LogicalOutcome, stamp: Stamp, answers: Option<&super::Answers>) -> Option<Vec<String>> {
    let h = &out.history;
    let end = out.end_s;
    attempt(|| match (stamp, answers) {
        (Stamp::Lamport, Some(a)) => stamps::lamport(h, a.lamport).iter().map(u64::to_string).collect(),
        (Stamp::Lamport, None) => stamps::lamport(h, rules::lamport).iter().map(u64::to_string).collect(),
        (Stamp::Vector, a) => {
            let rule = a.map_or(rules::vector_receive as stamps::VectorReceiveRule, |a| a.vector_receive);
            match stamps::vector(h, rule) {
                Ok(v) => v.iter().map(|v| show_vector(v)).collect(),
                Err(_) => Vec::new(),
            }
        }
        (Stamp::Hlc, a) => {
            let rule = a.map_or(rules::hlc as HlcRule, |a| a.hlc);
            stamps::hlc(h, rule).into_iter().map(|s| hlc_label(s, end)).collect()
        }
    })
    .ok()
    .filter(|v: &Vec<String>| v.len() == h.len())
}

/// The run's space-time diagram with every event labelled by its `stamp`, computed by the
/// rules as Lamport, Fidge and Mattern, and Kulkarni et al. give them.
pub fn stamped_diagram(out: &LogicalOutcome, stamp: Stamp, names: &[&str]) -> SpaceTime {
    let labels = labels(out, stamp, None).unwrap_or_default();
    diagram(out, stamp, names, labels)
}

pub(super) fn diagram(out: &LogicalOutcome, stamp: Stamp, names: &[&str], labels: Vec<String>) -> SpaceTime {
    let what = match stamp {
        Stamp::Lamport => "Lamport clocks",
        Stamp::Vector => "vector clocks",
        Stamp::Hlc => "hybrid logical clocks (l, c)",
    };
    let d = out
        .spacetime()
        .title(format!("Every event stamped by {what}"))
        .node_names(names.iter().copied());
    out.label_events(d, |i| labels.get(i).cloned().unwrap_or_default())
}

/// A gossip run of `nodes` nodes over about half a second with clocks `skew_s` apart and
/// drifting up to 100 ppm: `l − true time` of every event's HLC (reference rule; the learner's
/// `rule` beside it when given and attempted), each node's physical clock, and the largest and
/// smallest clock as bounds.
pub fn hlc_figure(nodes: usize, skew_s: f64, rule: Option<HlcRule>, seed: u64) -> Result<Figure> {
    let out = GossipConfig {
        nodes,
        steps_per_node: 50,
        mean_gap_s: 0.010,
        send_probability: 0.5,
        delay_s: 0.001,
        jitter_s: 0.002,
        loss: 0.0,
        skew_s,
        drift_ppm: 100.0,
        faults: Vec::new(),
    }
    .simulate(seed)?;
    let h = &out.history;
    let ms = |x: f64| x * 1e3;
    let reference = stamps::hlc(h, rules::hlc);
    let ahead: Vec<(f64, f64)> = reference
        .iter()
        .zip(h.events())
        .map(|(s, e)| (e.true_s, ms(s.l_s - e.true_s)))
        .collect();
    let own: Vec<(f64, f64)> = h
        .events()
        .iter()
        .map(|e| (e.true_s, ms(e.physical_s - e.true_s)))
        .collect();
    let grid: Vec<f64> = (0..=40).map(|k| out.end_s * k as f64 / 40.0).collect();
    let top: Vec<(f64, f64)> = grid.iter().map(|&t| (t, ms(out.largest_physical_at(t) - t))).collect();
    let bottom: Vec<(f64, f64)> = grid
        .iter()
        .map(|&t| {
            let lo = out.clocks.iter().map(|c| c.at(t)).fold(f64::INFINITY, f64::min);
            (t, ms(lo - t))
        })
        .collect();
    let max_c = reference.iter().map(|s| s.c).max().unwrap_or(0);
    let yours = rule.map(|rule| attempt(|| stamps::hlc(h, rule)));
    let mut fig = Figure::new(format!(
        "HLC l − true time, {nodes} nodes, clocks {:.0} ms apart (largest c = {max_c}){}",
        skew_s * 1e3,
        missing_note("hlc", yours.as_ref().and_then(|y| y.as_ref().err()))
    ))
    .x_label("true time (s)")
    .y_label("ahead of true time (ms)")
    .dashed("fastest clock", top)
    .dashed("slowest clock", bottom)
    .points("each node's physical clock at its events", own);
    if let Some(Ok(yours)) = yours {
        let pts: Vec<(f64, f64)> = yours
            .iter()
            .zip(h.events())
            .map(|(s, e)| (e.true_s, ms(s.l_s - e.true_s)))
            .collect();
        fig = fig.points("your hlc's l (under the reference where equal)", pts);
    }
    fig = fig.points("HLC l at each event", ahead);
    let span = skew_s * 1e3;
    // Room above the data for the legend.
    Ok(fig.y_range(-0.1 * span - 0.5, 2.0 * span + 0.5))
}

/// How far inside the bounds of Kulkarni et al. (2014) hybrid logical clocks stayed over
/// gossip runs (reference rule).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HlcMargins {
    /// Runs checked.
    pub runs: usize,
    /// Events checked.
    pub events: usize,
    /// Largest `(l − pt) / ε`: how far l ran ahead of the node's own clock, as a fraction of
    /// the largest skew ε between clocks (the paper: ≤ 1).
    pub worst_ahead_of_own_over_skew: f64,
    /// Largest `l − (fastest clock at that true time)`, seconds (the paper: ≤ 0).
    pub worst_ahead_of_fastest_s: f64,
    /// Largest `pt − l`, seconds (the paper: ≤ 0, l never behind the node's clock).
    pub worst_behind_own_s: f64,
    /// Largest counter c seen.
    pub largest_c: u32,
    /// Largest `c / (events before it sharing its l)` (the paper: ≤ 1).
    pub worst_c_over_bound: f64,
}

/// Checks the HLC bounds over `runs` gossip runs of `nodes` nodes with clocks `skew_s` apart.
pub fn hlc_margins(nodes: usize, skew_s: f64, runs: u64, seed: u64) -> Result<HlcMargins> {
    let mut m = HlcMargins {
        runs: runs as usize,
        events: 0,
        worst_ahead_of_own_over_skew: f64::NEG_INFINITY,
        worst_ahead_of_fastest_s: f64::NEG_INFINITY,
        worst_behind_own_s: f64::NEG_INFINITY,
        largest_c: 0,
        worst_c_over_bound: 0.0,
    };
    for k in 0..runs {
        let out = GossipConfig {
            nodes,
            steps_per_node: 40,
            mean_gap_s: 0.004,
            send_probability: 0.6,
            delay_s: 0.001,
            jitter_s: 0.004,
            skew_s,
            drift_ppm: 200.0,
            ..Default::default()
        }
        .simulate(crate::sim::Seed(seed).child(k))?;
        let h = &out.history;
        let hb = crate::logical::HappensBefore::new(h);
        let s = stamps::hlc(h, rules::hlc);
        let eps = out.max_skew_s().max(1e-12);
        for (f, e) in h.events().iter().enumerate() {
            let l = s[f].l_s;
            m.events += 1;
            m.worst_ahead_of_own_over_skew = m.worst_ahead_of_own_over_skew.max((l - e.physical_s) / eps);
            m.worst_ahead_of_fastest_s = m.worst_ahead_of_fastest_s.max(l - out.largest_physical_at(e.true_s));
            m.worst_behind_own_s = m.worst_behind_own_s.max(e.physical_s - l);
            m.largest_c = m.largest_c.max(s[f].c);
            if s[f].c > 0 {
                let sharing = (0..f).filter(|&g| hb.happens_before(g, f) && s[g].l_s == l).count();
                m.worst_c_over_bound = m.worst_c_over_bound.max(f64::from(s[f].c) / sharing.max(1) as f64);
            }
        }
    }
    Ok(m)
}

/// Replicates the writes (local events) of a gossip run of `nodes` nodes with clocks `skew_s`
/// apart, with version vectors and with last-write-wins side by side.
pub fn version_summary(
    nodes: usize,
    skew_s: f64,
    seed: u64,
) -> Result<(LogicalOutcome, crate::logical::VersionReport)> {
    let out = GossipConfig {
        nodes,
        steps_per_node: 12,
        mean_gap_s: 0.010,
        send_probability: 0.5,
        delay_s: 0.002,
        jitter_s: 0.006,
        skew_s,
        ..Default::default()
    }
    .simulate(seed)?;
    let report = crate::logical::replicate(&out.history, rules::compare_same_length)?;
    Ok((out, report))
}
