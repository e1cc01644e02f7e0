//! The chapter's figures.

use super::truth::plain_osc;
use super::{Answers, IntersectFn};
use crate::clock::Temperature;
use crate::error::Result;
use crate::grade::attempt;
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

    /// The simulator's policies, and a caption saying whose each one is.
    fn resolve(&self) -> (Policies, String) {
        let mut p = Policies::reference();
        let mut whose = Vec::new();
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
        match self.clock_filter {
            Some(f) if attempt(|| f(&probe)).is_ok() => {
                p.clock_filter = f;
                whose.push("your clock_filter");
            }
            _ => whose.push("reference clock_filter"),
        }
        match self.intersect {
            Some(f) if attempt(|| f(&[(-0.01, 0.02), (-0.02, 0.01), (0.4, 0.5)])).is_ok() => {
                p.intersect = f;
                whose.push("your intersect");
            }
            _ => whose.push("reference intersect"),
        }
        match self.discipline {
            Some(f) if attempt(|| f(0.01, 0.128, 500.0)).is_ok() => {
                p.discipline = f;
                whose.push("your discipline");
            }
            _ => whose.push("reference discipline"),
        }
        let mine: Vec<&str> = whose.iter().filter_map(|w| w.strip_prefix("your ")).collect();
        let caption = match mine.len() {
            0 => "reference policies".to_string(),
            3 => "your policies".to_string(),
            _ => format!("your {}, reference for the rest", mine.join(" and ")),
        };
        (p, caption)
    }

    fn run(&self, cfg: &NtpConfig, servers: &[ServerConfig], seed: u64) -> Result<(NtpOutcome, String)> {
        let (policies, whose) = self.resolve();
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

/// The client's true offset and its estimate, poll by poll, under the default discipline's
/// thresholds, with `yours` policies where written.
pub fn offset_over_time_figure(yours: YourPolicies, duration_s: f64, seed: u64) -> Result<Figure> {
    let cfg = NtpConfig {
        duration_s,
        ..Default::default()
    };
    let (trace, whose) = yours.run(&cfg, &honest_servers(), seed)?;
    // Skip the first poll, where the clock is 0.5 s off, so the plot shows milliseconds.
    let polls = trace.polls.iter().skip(1);
    let truth: Vec<(f64, f64)> = polls
        .clone()
        .map(|p| (p.at_s / HOUR, p.true_client_offset_s * 1e3))
        .collect();
    let est: Vec<(f64, f64)> = polls
        .filter_map(|p| p.estimate_s.map(|e| (p.at_s / HOUR, -e * 1e3)))
        .collect();
    Ok(
        Figure::new("A 30 ppm clock under NTP: true offset and what the client thinks it is")
            .x_label("true time (h)")
            .y_label("client clock − true time (ms)")
            .line("true offset (simulator)", truth)
            .points(format!("estimate (−θ of the selected servers; {whose})"), est),
    )
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
        "your θ − true offset"
    } else {
        "θ − true offset (your offset: not attempted yet)"
    };
    Ok(Figure::new("Offset error against path asymmetry, 50 ms round trip")
        .x_label("asymmetry: outbound − return delay (ms)")
        .y_label("error of θ (ms)")
        .points(name, yours)
        .line("theory: asymmetry / 2", theory)
        .dashed("bound +δ/2", [(-40.0, 25.0), (40.0, 25.0)])
        .dashed("bound −δ/2", [(-40.0, -25.0), (40.0, -25.0)]))
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
    let (_, whose) = yours.resolve();
    let on = if whose.starts_with("your policies") || whose.contains("clock_filter") {
        "filter on (your clock_filter over 8)"
    } else {
        "filter on (reference: least delay of 8)"
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
    let mut fig = Figure::new("A falseticker 150 ms off is voted out")
        .x_label("true time (h)")
        .y_label("θ: server − client (ms)");
    for (i, _) in servers.iter().enumerate() {
        let pts: Vec<(f64, f64)> = polls
            .iter()
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
        .dashed("truth (simulator)", truth))
}
