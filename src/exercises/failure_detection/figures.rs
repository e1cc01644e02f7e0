//! The chapter's figures.

use crate::detect::{AdaptiveTimeout, Detector, FixedTimeout, HeartbeatConfig, HeartbeatOutcome, PhiAccrual, evaluate};
use crate::error::Result;
use crate::grade::{Panicked, attempt, fmt_num, missing_note};
use crate::plot::Figure;
use crate::sim::{Dist, replication_seed};
use rayon::prelude::*;

/// The tail of the RTT distribution on log scales (the fraction of probes slower than each
/// RTT), the fraction allowed to time out, and the learner's timeout for it: where the timeout
/// meets the tail is the fraction of probes it would cut off.
pub fn rtt_figure(rtts: &[f64], pick_timeout: fn(&[f64], f64) -> f64, max_timeouts: f64) -> Result<Figure> {
    let ms: Vec<f64> = rtts.iter().map(|r| r * 1e3).collect();
    let n = rtts.len().max(1) as f64;
    let yours = attempt(|| pick_timeout(rtts, max_timeouts));
    let mut fig = Figure::new(format!(
        "Measured round-trip times: the fraction slower than each ({} probes){}",
        rtts.len(),
        missing_note("pick_timeout", yours.as_ref().err())
    ))
    .x_label("round-trip time (ms, log scale)")
    .y_label("fraction of probes slower (log scale)")
    .log_x()
    .log_y()
    .ccdf("measured RTTs", &ms)
    .hline(format!("{} allowed to time out", fmt_num(max_timeouts)), max_timeouts);
    if let Ok(t) = yours {
        let slower = rtts.iter().filter(|&&r| r > t).count() as f64 / n;
        fig = fig.dashed(
            format!(
                "your timeout: {} ms ({}% of probes slower)",
                fmt_num(t * 1e3),
                fmt_num(100.0 * slower)
            ),
            [(t * 1e3, 0.5 / n), (t * 1e3, 1.0)],
        );
    }
    Ok(fig)
}

/// Detection time against mistakes per hour for a family of detectors, each point the mean of
/// 16 seeded traces (run in parallel) of a node that crashes after an hour.
pub fn tradeoff_figure(seed: u64) -> Result<Figure> {
    let config = HeartbeatConfig {
        interval_s: 1.0,
        delay_s: Dist::lognormal(0.1, 0.15)?,
        loss: 0.01,
        pauses: vec![(1200.0, 3.0), (2400.0, 1.5)],
        crash_at_s: Some(3600.5),
        until_s: 3700.0,
    };
    let traces: Vec<HeartbeatOutcome> = (0..16u64)
        .into_par_iter()
        .map(|i| config.simulate(replication_seed(seed, i)))
        .collect::<Result<_>>()?;
    // The mean detection time and mistakes per hour of one detector over the traces; `make`
    // builds its detector for trace i.
    let measure = |make: &(dyn Fn(usize) -> Box<dyn Detector> + Sync)| -> (f64, f64) {
        let qs: Vec<(f64, f64)> = traces
            .par_iter()
            .enumerate()
            .map(|(i, t)| {
                let q = evaluate(t, make(i).as_mut());
                (q.detection_time.unwrap_or(f64::NAN), q.mistake_rate() * 3600.0)
            })
            .collect();
        let n = qs.len() as f64;
        (
            qs.iter().map(|q| q.0).sum::<f64>() / n,
            qs.iter().map(|q| q.1).sum::<f64>() / n,
        )
    };
    let fixed: Vec<(f64, f64)> = [1.2, 1.4, 1.7, 2.0, 2.5, 3.0, 4.0, 5.0]
        .iter()
        .map(|&t| measure(&move |_| Box::new(FixedTimeout { timeout: t })))
        .collect();
    let adaptive: Vec<(f64, f64)> = [0.9, 0.99, 0.999]
        .iter()
        .flat_map(|&p| [0.05, 0.3, 1.0, 2.0].map(move |m| (p, m)))
        .map(|(p, m)| measure(&move |_| Box::new(AdaptiveTimeout::new(1000, p, m, 3.0).expect("valid constants"))))
        .collect();
    // φ detectors that differ only in threshold see the same gaps: model each trace's window
    // once, and replay each threshold's deadlines from it (the same as PhiAccrual's own).
    let (window, min_sd, initial) = (1000, 0.05, 3.0);
    let models: Vec<Vec<Option<(f64, f64)>>> = traces
        .par_iter()
        .map(|t| {
            let mut d = PhiAccrual::new(window, 1.0, min_sd, initial).expect("valid constants");
            t.arrivals.iter().map(|&a| d.observe(a)).collect()
        })
        .collect();
    let phi: Vec<(f64, f64)> = [1.0, 2.0, 3.0, 5.0, 8.0, 12.0, 16.0]
        .iter()
        .map(|&th| {
            measure(&|i| {
                let deadlines = traces[i]
                    .arrivals
                    .iter()
                    .zip(&models[i])
                    .map(|(&a, &m)| PhiAccrual::deadline(a, m, th, initial))
                    .collect();
                Box::new(Replay { deadlines, next: 0 })
            })
        })
        .collect();
    // A log scale has no 0: detectors that made no mistake in 16 h sit on a line below the
    // smallest rate seen, drawn and named.
    let smallest = fixed
        .iter()
        .chain(&adaptive)
        .chain(&phi)
        .map(|p| p.1)
        .filter(|&m| m > 0.0)
        .fold(f64::INFINITY, f64::min);
    let none = if smallest.is_finite() { smallest / 3.0 } else { 0.01 };
    let floor = |pts: Vec<(f64, f64)>| -> Vec<(f64, f64)> {
        pts.into_iter()
            .map(|(d, m)| (d, if m > 0.0 { m } else { none }))
            .collect()
    };
    Ok(
        Figure::new("Failure detectors: detection time against mistakes (lower left is better)")
            .x_label("mean detection time after the crash (s)")
            .y_label("false suspicions per hour (log scale)")
            .log_y()
            .line("fixed timeout 1.2–5 s", floor(fixed))
            .points("adaptive: p90/p99/p99.9 of gaps + margin", floor(adaptive))
            .line("phi accrual, φ = 1…16", floor(phi))
            .hline(format!("no false suspicion in {} h (0 drawn here)", traces.len()), none),
    )
}

/// φ over time for a node that pauses for 4 s at 40 s and crashes at 80 s, with the threshold,
/// and the learner's `phi` at coarse points.
pub fn phi_figure(phi_fn: fn(f64, &[f64], f64) -> f64, threshold: f64, seed: u64) -> Result<Figure> {
    let config = HeartbeatConfig {
        interval_s: 1.0,
        delay_s: Dist::lognormal(0.05, 0.02)?,
        loss: 0.0,
        pauses: vec![(40.2, 4.0)],
        crash_at_s: Some(80.2),
        until_s: 95.0,
    };
    let trace = config.simulate(seed)?;
    let min_sd = 0.05;
    let mut d = PhiAccrual::new(30, threshold, min_sd, 3.0)?;
    let mut gaps: Vec<f64> = Vec::new();
    let mut next = 0;
    let mut truth = Vec::new();
    let mut yours = Vec::new();
    let mut why_missing: Option<Panicked> = None;
    let cap = 40.0;
    for k in 0..=(95 * 20) {
        let t = f64::from(k) / 20.0;
        while next < trace.arrivals.len() && trace.arrivals[next] <= t {
            if next > 0 {
                gaps.push(trace.arrivals[next] - trace.arrivals[next - 1]);
            }
            d.heartbeat(trace.arrivals[next]);
            next += 1;
        }
        if t < 20.0 || next == 0 {
            continue;
        }
        truth.push((t, d.phi(t).min(cap)));
        if k % 10 == 0 && why_missing.is_none() {
            let last = trace.arrivals[next - 1];
            let recent = &gaps[gaps.len().saturating_sub(30)..];
            match attempt(|| phi_fn(t - last, recent, min_sd)) {
                Ok(v) => yours.push((t, v.min(cap))),
                Err(why) => why_missing = Some(why),
            }
        }
    }
    let mut fig = Figure::new(format!(
        "φ around a 4 s pause (at 40 s) and a crash (at 80 s){}",
        missing_note("phi", why_missing.as_ref())
    ))
    .x_label("time (s)")
    .y_label(format!("φ (capped at {cap})"))
    .line("φ (simulator)", truth)
    .hline(format!("threshold φ = {}", fmt_num(threshold)), threshold);
    if why_missing.is_none() {
        fig = fig.points("your phi", yours);
    }
    Ok(fig)
}

/// A detector that gives precomputed deadlines, one per heartbeat in order.
struct Replay {
    deadlines: Vec<f64>,
    next: usize,
}

impl Detector for Replay {
    fn heartbeat(&mut self, now: f64) -> f64 {
        let d = self.deadlines.get(self.next).copied().unwrap_or(now);
        self.next += 1;
        d
    }
    fn name(&self) -> String {
        "replayed deadlines".into()
    }
}
