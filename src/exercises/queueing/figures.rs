//! The chapter's figures.

use crate::error::Result;
use crate::grade::{Panicked, attempt, fmt_num, missing_note};
use crate::plot::Figure;
use crate::queueing::theory::mm1k_blocking;
use crate::queueing::{Network, RunOptions, Station, latency_at};
use crate::sim::{Dist, replication_seed};
use rayon::prelude::*;

/// Response-time percentiles against utilisation, simulated (Lindley, in parallel: one seed
/// per point) and from theory, with the learner's `response_percentile` beside them. Times are
/// in mean service times.
pub fn latency_figure(response_percentile: fn(f64, f64, f64) -> f64, customers: u64, seed: u64) -> Result<Figure> {
    let rhos: Vec<f64> = (1..=19).map(|k| f64::from(k) * 0.05).chain([0.97]).collect();
    let service = Dist::exponential(1.0)?;
    // One point per utilisation, in parallel, each with its own seed.
    let results: Vec<Result<_>> = rhos
        .par_iter()
        .enumerate()
        .map(|(i, &rho)| {
            latency_at(
                rho,
                &service,
                customers,
                customers / 20,
                replication_seed(seed, i as u64),
            )
        })
        .collect();
    let mut series: [Vec<(f64, f64)>; 3] = Default::default();
    for r in results {
        let l = r?;
        series[0].push((l.rho, l.p50));
        series[1].push((l.rho, l.p99));
        series[2].push((l.rho, l.p999));
    }
    // The learner's p99 at every utilisation, or why it is missing.
    let yours: std::result::Result<Vec<(f64, f64)>, Panicked> = rhos
        .iter()
        .map(|&rho| attempt(|| response_percentile(rho, 1.0, 0.99)).map(|v| (rho, v)))
        .collect();
    let mut fig = Figure::new(format!(
        "M/M/1: response time against utilisation{}",
        missing_note("response_percentile", yours.as_ref().err())
    ))
    .x_label("utilisation ρ")
    .y_label("response time (mean service times, log scale)")
    .log_y();
    // The learner's line first, so the theory's dashes stay visible on top of it.
    if let Ok(y) = yours {
        fig = fig.line("your response_percentile(ρ, 1, 0.99)", y).colour(3);
    }
    let names = ["p50", "p99", "p99.9"];
    let ps: [f64; 3] = [0.5, 0.99, 0.999];
    for i in 0..3 {
        let theory: Vec<(f64, f64)> = (1..=97)
            .map(|k| f64::from(k) / 100.0)
            .map(|rho| (rho, -(1.0 - ps[i]).ln() / (1.0 - rho)))
            .collect();
        fig = fig
            .points(format!("simulated {}", names[i]), series[i].clone())
            .dashed(format!("theory {}", names[i]), theory)
            .paired();
    }
    Ok(fig)
}

/// Drop fraction of a port against its buffer size at utilisation `rho`: the event-driven
/// simulator, theory, and the learner's `drop_fraction`.
pub fn buffer_figure(drop_fraction: fn(f64, f64, u32) -> f64, rho: f64, customers: u64, seed: u64) -> Result<Figure> {
    let sizes: Vec<u32> = (1..=30).collect();
    let sims: Vec<Result<f64>> = sizes
        .par_iter()
        .map(|&k| {
            let s = replication_seed(seed, u64::from(k));
            let port = Station {
                servers: 1,
                capacity: Some(k),
                service: Dist::exponential(1.0)?,
            };
            let net = Network::new(Dist::exponential(1.0 / rho)?, vec![port])?;
            let out = net.run(
                customers,
                s,
                &RunOptions {
                    record: false,
                    limits: None,
                },
            )?;
            Ok(out.stations[0].drop_fraction())
        })
        .collect();
    let mut simulated = Vec::new();
    for (k, r) in sizes.iter().zip(sims) {
        simulated.push((f64::from(*k), r?));
    }
    let theory: Vec<(f64, f64)> = sizes
        .iter()
        .map(|&k| mm1k_blocking(rho, 1.0, k).map(|p| (f64::from(k), p)))
        .collect::<Result<_>>()?;
    let yours: std::result::Result<Vec<(f64, f64)>, Panicked> = sizes
        .iter()
        .map(|&k| attempt(|| drop_fraction(rho, 1.0, k)).map(|v| (f64::from(k), v)))
        .collect();
    let mut fig = Figure::new(format!(
        "A switch port at ρ = {}: packets dropped against buffer size{}",
        fmt_num(rho),
        missing_note("drop_fraction", yours.as_ref().err())
    ))
    .x_label("buffer (packets, including the one being sent)")
    .y_label("fraction of packets dropped (log scale)")
    .log_y();
    // The learner's line first, so the theory's dashes stay visible on top of it.
    if let Ok(y) = yours {
        fig = fig.line("your drop_fraction", y).colour(1);
    }
    Ok(fig
        .points("simulated", simulated)
        .dashed("theory (M/M/1/K)", theory)
        .paired())
}
