//! The chapter's figures.

use super::truth::{OscillatorRow, plain_clock, true_drift_per_day};
use super::{EPOCH_START, TURNOVER_C};
use crate::clock::{Clock, OscillatorConfig, Temperature};
use crate::error::Result;
use crate::grade::{attempt, fmt_num};
use crate::plot::Figure;
use crate::sim::{DAY, HOUR, stream};
use rand::Rng;

/// How far each oscillator in the table is from true time over `days`, in a room whose
/// temperature swings ±8 °C a day around `mean_c`, on a log scale: the offsets span nine
/// decades, from a plain crystal's seconds to an OCXO's nanoseconds. A clock that ends behind
/// true time says "runs slow" in the legend.
pub fn offset_figure(rows: &[OscillatorRow], days: f64, mean_c: f64, seed: u64) -> Result<Figure> {
    let temperature = Temperature::Daily {
        mean_c,
        swing_c: 8.0,
        warmest_at: 15.0 * HOUR,
    };
    let end = days * DAY;
    let samples = 200;
    let pb = crate::progress::bar(rows.len() as u64, "simulating oscillators");
    let mut fig = Figure::new(format!(
        "Clock offset over {} day(s), room at {} ± 8 °C",
        fmt_num(days),
        fmt_num(mean_c)
    ))
    .x_label("true time (h)")
    .y_label("|offset| from true time (s, log scale)")
    .log_y();
    for (i, row) in rows.iter().enumerate() {
        let mut clock = Clock::new(row.config(), temperature, EPOCH_START, stream(seed, i as u64).random())?;
        let mut pts = Vec::with_capacity(samples + 1);
        for k in 0..=samples {
            let t = end * k as f64 / samples as f64;
            clock.advance_to(t)?;
            pts.push((t / HOUR, clock.offset()));
        }
        let name = match pts.last() {
            Some(&(_, end)) if end < 0.0 => format!("{} (runs slow)", row.name),
            _ => row.name.clone(),
        };
        fig = fig.line(name, pts.into_iter().map(|(h, o)| (h, o.abs())));
        pb.inc(1);
    }
    pb.finish_and_clear();
    Ok(fig)
}

/// The learner's `drift_after` beside the simulator's truth for a clock `ppm` fast.
pub fn prediction_figure(drift_after: fn(f64, f64) -> f64, ppm: f64, days: f64) -> Result<Figure> {
    let end = days * DAY;
    let mut clock = plain_clock(ppm, 0)?;
    let mut truth = Vec::new();
    let mut yours = Vec::new();
    let mut attempted = true;
    for k in 0..=48 {
        let t = end * k as f64 / 48.0;
        clock.advance_to(t)?;
        truth.push((t / HOUR, clock.offset()));
        match attempt(|| drift_after(ppm, t)) {
            Ok(v) => yours.push((t / HOUR, v)),
            Err(_) => attempted = false,
        }
    }
    let title = if attempted {
        format!("A {} ppm clock: your drift_after against the simulator", fmt_num(ppm))
    } else {
        format!("A {} ppm clock (your drift_after: not attempted yet)", fmt_num(ppm))
    };
    let mut fig = Figure::new(title)
        .x_label("true time (h)")
        .y_label("clock ahead of true time (s)")
        .line("simulator (truth)", truth);
    if attempted {
        fig = fig.points("your drift_after", yours);
    }
    Ok(fig)
}

/// Seconds gained per day against temperature for a tuning-fork crystal, with the learner's
/// `drift_per_day` beside it.
pub fn temperature_figure(drift_per_day: fn(f64, f64) -> f64) -> Result<Figure> {
    let mut truth = Vec::new();
    let mut yours = Vec::new();
    let mut attempted = true;
    for k in 0..=40 {
        let temp = -20.0 + 2.0 * k as f64;
        truth.push((temp, true_drift_per_day(0.0, temp)?));
        if k % 4 == 0 {
            match attempt(|| drift_per_day(0.0, temp)) {
                Ok(v) => yours.push((temp, v)),
                Err(_) => attempted = false,
            }
        }
    }
    let title = if attempted {
        "Tuning-fork crystal: gain per day against temperature".to_string()
    } else {
        "Tuning-fork crystal: gain per day (your drift_per_day: not attempted yet)".to_string()
    };
    let mut fig = Figure::new(title)
        .x_label("temperature (°C)")
        .y_label("gain per day (s; negative = loses)")
        .line("simulator (truth)", truth);
    if attempted {
        fig = fig.points("your drift_per_day", yours);
    }
    Ok(fig)
}

/// Wall and monotonic clocks of a node 100 ppm fast whose NTP client steps the wall clock back
/// to true time every 20 minutes, over two hours.
pub fn wall_vs_monotonic_figure(seed: u64) -> Result<Figure> {
    let cfg = OscillatorConfig {
        offset_ppm: 100.0,
        tempco_ppm_per_c2: 0.0,
        ..Default::default()
    };
    let mut clock = Clock::new(cfg, Temperature::Constant(TURNOVER_C), EPOCH_START, seed)?;
    let start = clock.read();
    let mut wall = Vec::new();
    let mut mono = Vec::new();
    for minute in 0..=120 {
        let t = minute as f64 * 60.0;
        clock.advance_to(t)?;
        let r = clock.read();
        wall.push((t / 60.0, (r.wall - start.wall - t) * 1e3));
        mono.push((t / 60.0, (r.monotonic - start.monotonic - t) * 1e3));
        if minute > 0 && minute % 20 == 0 {
            clock.sync_to_true();
            let r = clock.read();
            wall.push((t / 60.0, (r.wall - start.wall - t) * 1e3));
        }
    }
    Ok(Figure::new("A 100 ppm clock stepped back by NTP every 20 min")
        .x_label("true time (min)")
        .y_label("elapsed by the clock − true elapsed (ms)")
        .line("wall clock (stepped)", wall)
        .line("monotonic clock (never steps)", mono))
}
