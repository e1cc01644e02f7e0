//! The chapter's figures.

use super::truth::plain_osc;
use super::{Answers, IntersectFn};
use crate::clock::Temperature;
use crate::error::Result;
use crate::grade::{attempt, fmt_num, fmt_sig};
use crate::ntp::sim::{NtpConfig, NtpOutcome, PathConfig, Policies, ServerConfig, client_clock, exchange, run_with};
use crate::ntp::{Adjustment, Sample, Timestamps};
use crate::plot::Figure;
use crate::sim::HOUR;

/// Which of the client's policies to run in a figure's simulation: the learner's functions
/// where given and attempted, the library's own for the rest (a function that reaches
/// `todo!()`, or panics, on a small probe counts as not attempted).
#[derive(Debug, Clone, Copy, Default)]
pub struct YourPolicies {
    /// Your task 3, if written.
    pub clock_filter: Option<fn(&[Sample]) -> Sample>,
    /// Your task 4, if written.
    pub intersect: Option<IntersectFn>,
    /// Your task 5, if written.
    pub discipline: Option<fn(f64, f64, f64) -> Adjustment>,
}

impl YourPolicies {
    /// All three of the learner's policies.
    pub fn from_answers(a: &Answers) -> Self {
        YourPolicies {
            clock_filter: Some(a.clock_filter),
            intersect: Some(a.intersect),
            discipline: Some(a.discipline),
        }
    }

    /// The simulator's policies, a caption saying whose each one is, and whether the learner's
    /// clock filter runs. A policy given but still at `todo!()` is replaced by the reference one
    /// and the caption says so ("not attempted yet"), so a missing task never vanishes silently.
    fn resolve(&self) -> (Policies, String, bool) {
        let mut p = Policies::reference();
        let (mut mine, mut missing) = (Vec::new(), false);
        let probe = [
            Sample {
                offset: 0.010,
                delay: 0.030,
            },
            Sample {
                offset: 0.002,
                delay: 0.012,
            },
        ];
        if let Some(f) = self.clock_filter {
            match attempt(|| f(&probe)) {
                Ok(_) => {
                    p.clock_filter = f;
                    mine.push("clock_filter");
                }
                Err(_) => missing = true,
            }
        }
        if let Some(f) = self.intersect {
            match attempt(|| f(&[(-0.01, 0.02), (-0.02, 0.01), (0.4, 0.5)])) {
                Ok(_) => {
                    p.intersect = f;
                    mine.push("intersect");
                }
                Err(_) => missing = true,
            }
        }
        if let Some(f) = self.discipline {
            match attempt(|| f(0.01, 0.128, 500.0)) {
                Ok(_) => {
                    p.discipline = f;
                    mine.push("discipline");
                }
                Err(_) => missing = true,
            }
        }
        let caption = match (mine.len(), missing) {
            (0, false) => "reference policies".to_string(),
            (0, true) => "reference policies: yours not attempted yet".to_string(),
            (3, _) => "your policies".to_string(),
            (_, false) => format!("your {}, reference for the rest", mine.join(" and ")),
            (_, true) => format!("your {}; the rest not attempted yet", mine.join(" and ")),
        };
        let filter_is_yours = mine.contains(&"clock_filter");
        (p, caption, filter_is_yours)
    }

    fn run(&self, cfg: &NtpConfig, servers: &[ServerConfig], seed: u64) -> Result<(NtpOutcome, String)> {
        let (policies, whose, _) = self.resolve();
        Ok((run_with(cfg, servers, &policies, seed)?, whose))
    }
}

/// A full-rate slew by `theta`, as the reference discipline does.
pub(super) fn slew(theta: f64, max_slew_ppm: f64) -> Adjustment {
    Adjustment::Slew {
        rate_ppm: max_slew_ppm.copysign(theta),
        duration_s: theta.abs() / (max_slew_ppm * 1e-6),
    }
}

/// Three honest servers with a little queueing, one path lopsided.
pub(super) fn honest_servers() -> Vec<ServerConfig> {
    let path = |out_s, back_s| PathConfig {
        out_s,
        back_s,
        jitter_s: 0.002,
    };
    vec![
        ServerConfig {
            path: path(0.010, 0.010),
            ..Default::default()
        },
        ServerConfig {
            path: path(0.004, 0.016),
            ..Default::default()
        },
        ServerConfig {
            path: path(0.025, 0.020),
            ..Default::default()
        },
    ]
}

/// How wrong the client's estimate of its own offset is, poll by poll, under the default
/// discipline's thresholds, with `yours` policies where written: the error (estimate minus
/// the simulator's true offset) as a line, the error bound λ = δ/2 of the selected servers
/// (averaged, as the estimate is) as a dashed band, and the bias the paths' asymmetry
/// predicts. One point at a glance: the estimate sits near the asymmetry's bias, well inside
/// ±δ/2, and nothing the client measures reveals the bias.
pub fn offset_over_time_figure(yours: YourPolicies, duration_s: f64, seed: u64) -> Result<Figure> {
    let cfg = NtpConfig {
        duration_s,
        ..Default::default()
    };
    let servers = honest_servers();
    let (trace, whose) = yours.run(&cfg, &servers, seed)?;
    let (mut error, mut upper, mut lower) = (Vec::new(), Vec::new(), Vec::new());
    for p in &trace.polls {
        let Some(theta) = p.estimate_s else { continue };
        let kept: Vec<f64> = p
            .intervals
            .iter()
            .zip(&p.truechimer)
            .filter(|(_, keep)| **keep)
            .map(|(iv, _)| (iv.1 - iv.0) / 2.0)
            .collect();
        let lambda = kept.iter().sum::<f64>() / kept.len().max(1) as f64;
        let h = p.at_s / HOUR;
        // θ is server minus client, so the client believes its clock is −θ off.
        error.push((h, (-theta - p.true_client_offset_s) * 1e3));
        upper.push((h, lambda * 1e3));
        lower.push((h, -lambda * 1e3));
    }
    // An asymmetric path biases θ by (outbound − return)/2, so the client's −θ by minus that;
    // the estimate averages the three servers.
    let bias_ms = -servers.iter().map(|s| s.path.out_s - s.path.back_s).sum::<f64>() / 2.0 / servers.len() as f64 * 1e3;
    let worst = error.iter().map(|p| p.1.abs()).fold(0.0, f64::max);
    let mean = error.iter().map(|p| p.1).sum::<f64>() / error.len().max(1) as f64;
    let widest = upper.iter().map(|p| p.1).fold(worst, f64::max).max(1e-3);
    let end_h = duration_s / HOUR;
    Ok(Figure::new(format!(
        "A 30 ppm clock under NTP, {} h: the estimate is off by {} ms at worst, inside ±δ/2",
        fmt_num(end_h),
        fmt_sig(worst, 2)
    ))
    .x_label("true time (h)")
    .y_label("estimated − true offset of the client clock (ms)")
    // Room above the band for the legend (upper left).
    .y_range(-1.3 * widest, 2.0 * widest)
    .line(
        format!("error of the estimate (mean {} ms; {whose})", fmt_sig(mean, 2)),
        error,
    )
    .dashed(
        format!("theory: bias of the paths' asymmetry, {} ms", fmt_sig(bias_ms, 2)),
        [(0.0, bias_ms), (end_h, bias_ms)],
    )
    // Black, not the error's blue: drawn over the error line it would vanish in the same colour.
    .colour(6)
    .dashed("±δ/2: the error bound of the kept servers", upper)
    // The band's lower edge: same name and colour, so the legend lists the band once.
    .dashed("±δ/2: the error bound of the kept servers", lower)
    .paired())
}

/// θ's error against path asymmetry (outbound minus return) for a fixed 50 ms round trip:
/// the learner's `offset` (or the library's, if not attempted), theory a/2, and the ±δ/2 bound.
pub fn asymmetry_figure(offset: fn(Timestamps) -> f64) -> Result<Figure> {
    let mut yours = Vec::new();
    let mut theory = Vec::new();
    let mut attempted = true;
    let server = ServerConfig::default();
    for k in 0..=40 {
        let a = -0.040 + 0.002 * k as f64;
        let (out, back) = (0.025 + a / 2.0, 0.025 - a / 2.0);
        let x = exchange(client_clock(25.0, 0.3), HOUR, &server, out, back, 1)?;
        let theta = match attempt(|| offset(x.stamps)) {
            Ok(v) => v,
            Err(_) => {
                attempted = false;
                x.stamps.offset()
            }
        };
        yours.push((a * 1e3, (theta - x.true_offset_s) * 1e3));
        theory.push((a * 1e3, a / 2.0 * 1e3));
    }
    let name = if attempted {
        "your θ − true offset (simulated exchanges)"
    } else {
        "θ − true offset (your offset: not attempted yet)"
    };
    // The bound as one outline, ±δ/2 across the range; room above it for the legend.
    let bound = [
        (-40.0, 25.0),
        (40.0, 25.0),
        (40.0, -25.0),
        (-40.0, -25.0),
        (-40.0, 25.0),
    ];
    Ok(Figure::new("Offset error against path asymmetry, 50 ms round trip")
        .x_label("asymmetry: outbound − return delay (ms)")
        .y_label("error of θ: θ − true offset (ms)")
        .y_range(-30.0, 48.0)
        .points(name, yours)
        .dashed("theory: asymmetry / 2", theory)
        .paired()
        .dashed("±δ/2: the most any θ can be off", bound))
}

/// Estimate error poll by poll with the clock filter off (1 sample) and on (8), over a path
/// with 20 ms of queueing each way, for a clock that does not drift (so old samples stay
/// true); measuring only, so both runs see the same clock. The filter on is `yours` where
/// written.
pub fn filter_figure(yours: YourPolicies, duration_s: f64, seed: u64) -> Result<Figure> {
    let servers = [ServerConfig {
        path: PathConfig {
            out_s: 0.002,
            back_s: 0.002,
            jitter_s: 0.020,
        },
        ..Default::default()
    }];
    let mut fig = Figure::new("Clock filter off and on: error of the estimate, 20 ms mean queueing")
        .x_label("true time (h)")
        .y_label("|estimate − true offset| (ms)");
    let (_, _, filter_is_yours) = yours.resolve();
    let on = match (filter_is_yours, yours.clock_filter) {
        (true, _) => "filter on (your clock_filter over 8)",
        (false, Some(_)) => "filter on (reference: least delay of 8; your clock_filter: not attempted yet)",
        (false, None) => "filter on (reference: least delay of 8)",
    };
    for (size, name) in [(1, "filter off (latest sample)"), (8, on)] {
        let cfg = NtpConfig {
            oscillator: plain_osc(0.0),
            temperature: Temperature::Constant(25.0),
            filter_size: size,
            frequency_tolerance_ppm: 0.0,
            discipline: None,
            duration_s,
            ..Default::default()
        };
        let (trace, _) = yours.run(&cfg, &servers, seed)?;
        let pts: Vec<(f64, f64)> = trace
            .polls
            .iter()
            .filter_map(|p| {
                p.estimate_s
                    .map(|e| (p.at_s / HOUR, (e + p.true_client_offset_s).abs() * 1e3))
            })
            .collect();
        fig = fig.line(name, pts);
    }
    Ok(fig)
}

/// Four servers, one 150 ms off: each server's filtered θ and the selected estimate, with
/// `yours` policies where written.
pub fn falseticker_figure(yours: YourPolicies, duration_s: f64, seed: u64) -> Result<Figure> {
    let mut servers = honest_servers();
    servers.push(ServerConfig {
        offset_s: 0.150,
        ..Default::default()
    });
    let cfg = NtpConfig {
        duration_s,
        ..Default::default()
    };
    let (trace, whose) = yours.run(&cfg, &servers, seed)?;
    let polls: Vec<_> = trace.polls.iter().skip(1).collect();
    // At most about 100 markers per server, so each stays a row of dots, not a smear.
    let every = polls.len().div_ceil(100).max(1);
    let mut fig = Figure::new("A falseticker 150 ms off is voted out")
        .x_label("true time (h)")
        .y_label("θ: server − client (ms)")
        // Room above the falseticker for the legend (upper left).
        .y_range(-30.0, 260.0);
    for (i, _) in servers.iter().enumerate() {
        let pts: Vec<(f64, f64)> = polls
            .iter()
            .step_by(every)
            .filter_map(|p| {
                let k = p.servers.iter().position(|&s| s == i)?;
                Some((p.at_s / HOUR, p.filtered[k].offset * 1e3))
            })
            .collect();
        let kept = polls
            .iter()
            .filter(|p| p.servers.iter().position(|&s| s == i).is_some_and(|k| p.truechimer[k]))
            .count();
        let name = format!("server {} (kept in {kept} of {} polls)", i + 1, polls.len());
        fig = fig.points(name, pts);
    }
    let est: Vec<(f64, f64)> = polls
        .iter()
        .filter_map(|p| p.estimate_s.map(|e| (p.at_s / HOUR, e * 1e3)))
        .collect();
    let truth: Vec<(f64, f64)> = polls
        .iter()
        .map(|p| (p.at_s / HOUR, -p.true_client_offset_s * 1e3))
        .collect();
    Ok(fig
        .line(format!("selected estimate ({whose})"), est)
        .dashed("true θ (simulator)", truth)
        .paired())
}
