//! The chapter's figures.

use super::truth::plain_osc;
use crate::clock::Temperature;
use crate::error::Result;
use crate::grade::attempt;
use crate::ntp::sim::{DisciplinedClock, NtpConfig, PathConfig, ServerConfig, exchange, run as run_ntp};
use crate::ntp::{Adjustment, Timestamps};
use crate::plot::Figure;
use crate::sim::HOUR;

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

/// The client's true offset and its estimate, poll by poll, under the default discipline.
pub fn offset_over_time_figure(duration_s: f64, seed: u64) -> Result<Figure> {
    let cfg = NtpConfig {
        duration_s,
        ..Default::default()
    };
    let trace = run_ntp(&cfg, &honest_servers(), seed)?;
    // Skip the first poll, where the clock is 0.5 s off, so the plot shows milliseconds.
    let polls = trace.polls.iter().skip(1);
    let truth: Vec<(f64, f64)> = polls
        .clone()
        .map(|p| (p.at / HOUR, p.true_client_offset * 1e3))
        .collect();
    let est: Vec<(f64, f64)> = polls
        .filter_map(|p| p.estimate.map(|e| (p.at / HOUR, -e * 1e3)))
        .collect();
    Ok(
        Figure::new("A 30 ppm clock under NTP: true offset and what the client thinks it is")
            .x_label("true time (h)")
            .y_label("client clock − true time (ms)")
            .line("true offset (simulator)", truth)
            .points("estimate (−θ of the selected servers)", est),
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
        let mut clock = DisciplinedClock::with_offset(plain_osc(25.0), Temperature::Constant(25.0), 0.3, 1)?;
        clock.advance_to(HOUR)?;
        let x = exchange(&mut clock, 0, &server, out, back)?;
        let theta = match attempt(|| offset(x.stamps)) {
            Ok(v) => v,
            Err(_) => {
                attempted = false;
                x.stamps.offset()
            }
        };
        yours.push((a * 1e3, (theta - x.true_offset) * 1e3));
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
/// true); measuring only, so both runs see the same clock.
pub fn filter_figure(duration_s: f64, seed: u64) -> Result<Figure> {
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
    for (size, name) in [(1, "filter off (latest sample)"), (8, "filter on (least delay of 8)")] {
        let cfg = NtpConfig {
            oscillator: plain_osc(0.0),
            temperature: Temperature::Constant(25.0),
            filter_size: size,
            frequency_tolerance_ppm: 0.0,
            discipline: None,
            duration_s,
            ..Default::default()
        };
        let trace = run_ntp(&cfg, &servers, seed)?;
        let pts: Vec<(f64, f64)> = trace
            .polls
            .iter()
            .filter_map(|p| {
                p.estimate
                    .map(|e| (p.at / HOUR, (e + p.true_client_offset).abs() * 1e3))
            })
            .collect();
        fig = fig.line(name, pts);
    }
    Ok(fig)
}

/// Four servers, one 150 ms off: each server's filtered θ and the selected estimate.
pub fn falseticker_figure(duration_s: f64, seed: u64) -> Result<Figure> {
    let mut servers = honest_servers();
    servers.push(ServerConfig {
        offset_s: 0.150,
        ..Default::default()
    });
    let cfg = NtpConfig {
        duration_s,
        ..Default::default()
    };
    let trace = run_ntp(&cfg, &servers, seed)?;
    let polls: Vec<_> = trace.polls.iter().skip(1).collect();
    let mut fig = Figure::new("A falseticker 150 ms off is voted out")
        .x_label("true time (h)")
        .y_label("θ: server − client (ms)");
    for (i, _) in servers.iter().enumerate() {
        let pts: Vec<(f64, f64)> = polls
            .iter()
            .map(|p| (p.at / HOUR, p.filtered[i].offset * 1e3))
            .collect();
        let kept = polls.iter().filter(|p| p.truechimer[i]).count();
        let name = format!("server {} (kept in {kept} of {} polls)", i + 1, polls.len());
        fig = fig.points(name, pts);
    }
    let est: Vec<(f64, f64)> = polls
        .iter()
        .filter_map(|p| p.estimate.map(|e| (p.at / HOUR, e * 1e3)))
        .collect();
    let truth: Vec<(f64, f64)> = polls
        .iter()
        .map(|p| (p.at / HOUR, -p.true_client_offset * 1e3))
        .collect();
    Ok(fig.line("selected estimate", est).dashed("truth (simulator)", truth))
}
