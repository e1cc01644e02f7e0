//! Chapter 5 · Clock drift.
//!
//! The learner writes five small functions (see `exercises/05_clock_drift.rs`); each is graded
//! against the [`crate::clock`] simulator, which knows true time.
//!
//! | task | question |
//! |---|---|
//! | `drift_after` | how far ahead is a clock `ppm` fast after `elapsed` seconds? |
//! | `drift_per_day` | how much does a tuning-fork crystal gain per day at a temperature? |
//! | `time_to_diverge` | when do two clocks of given ppm first differ by `bound`? |
//! | `resync_interval` | how often must clocks of ±`max_ppm` resync to stay within `max_skew`? |
//! | `elapsed` | how long did an operation take, when NTP may step the wall clock meanwhile? |

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rand::Rng;
use serde::Deserialize;

use super::{Chapter, DEFAULT_SEED, WrongAnswer, finite_f64};
use crate::clock::{Clock, OscillatorConfig, Reading, Temperature};
use crate::data::{data_dir, load_csv};
use crate::error::{Error, Result};
use crate::grade::{Report, Tol, Verdict, attempt, fmt_num};
use crate::plot::Figure;
use crate::sim::{DAY, HOUR, SimRng, stream};

/// Turnover temperature of the tuning-fork crystals in this chapter, °C.
pub const TURNOVER_C: f64 = 25.0;
/// Parabolic temperature coefficient of those crystals, ppm/°C².
pub const TEMPCO_PPM_PER_C2: f64 = 0.034;
/// A plausible Unix time for the simulated clocks to start at (2026-01-01T00:00:00Z).
pub const EPOCH_START: f64 = 1_767_225_600.0;

/// The learner's functions for chapter 5.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: seconds ahead of true time after `elapsed` seconds, for a clock `ppm` fast.
    pub drift_after: fn(ppm: f64, elapsed: f64) -> f64,
    /// Task 2: seconds gained per day by a tuning-fork crystal with calibration error
    /// `offset_ppm` held at `temp_c` °C.
    pub drift_per_day: fn(offset_ppm: f64, temp_c: f64) -> f64,
    /// Task 3: seconds until clocks running `ppm_a` and `ppm_b` fast first differ by `bound`
    /// seconds, having agreed at time 0 (infinite if never).
    pub time_to_diverge: fn(ppm_a: f64, ppm_b: f64, bound: f64) -> f64,
    /// Task 4: the longest resync interval, seconds, that keeps any two clocks whose errors lie
    /// within ±`max_ppm` within `max_skew` seconds of each other.
    pub resync_interval: fn(max_ppm: f64, max_skew: f64) -> f64,
    /// Task 5: true seconds between two readings of one node's clocks.
    pub elapsed: fn(start: Reading, end: Reading) -> f64,
}

/// Chapter 5 for the shared runner and self-check.
pub struct ClockDrift;

/// Flags of `exercise-5` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct DriftArgs {
    /// Days of true time to simulate for the plots (0 < days ≤ 365).
    #[arg(long, default_value_t = 1.0, value_parser = days, allow_negative_numbers = true)]
    pub days: f64,
    /// Frequency error of the clock in the drift plot, ppm (|ppm| ≤ 100000).
    #[arg(long, default_value_t = 50.0, value_parser = ppm, allow_negative_numbers = true)]
    pub ppm: f64,
    /// Mean room temperature for the oscillator plot, °C (−60 to 120).
    #[arg(long, default_value_t = 25.0, value_parser = celsius, allow_negative_numbers = true)]
    pub temperature: f64,
    /// Oscillator table [default: data/oscillators.csv].
    #[arg(long, value_name = "CSV")]
    pub data: Option<PathBuf>,
}

fn days(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 365.0 {
        Ok(v)
    } else {
        Err(format!("{s} days is outside 0 < days ≤ 365"))
    }
}
fn ppm(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v.abs() <= 1e5 {
        Ok(v)
    } else {
        Err(format!("{s} ppm is outside ±100000"))
    }
}
fn celsius(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if (-60.0..=120.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} °C is outside −60 to 120"))
    }
}

/// One row of `data/oscillators.csv`.
#[derive(Debug, Clone, Deserialize)]
pub struct OscillatorRow {
    /// What kind of oscillator, e.g. "tuning fork, wristwatch".
    pub name: String,
    /// Calibration error at the turnover temperature, ppm.
    pub offset_ppm: f64,
    /// Turnover temperature, °C.
    pub turnover_c: f64,
    /// Parabolic temperature coefficient, ppm/°C².
    pub tempco_ppm_per_c2: f64,
    /// Aging, ppm/day.
    pub aging_ppm_per_day: f64,
    /// Random-walk frequency noise, ppm/√day.
    pub random_walk_ppm_per_sqrt_day: f64,
    /// Where the figures come from.
    pub source: String,
}

impl OscillatorRow {
    /// The row as an oscillator configuration. (The fields are spelled out rather than
    /// flattened into the struct so that a bad value's error can name its column.)
    pub fn config(&self) -> OscillatorConfig {
        OscillatorConfig {
            offset_ppm: self.offset_ppm,
            turnover_c: self.turnover_c,
            tempco_ppm_per_c2: self.tempco_ppm_per_c2,
            aging_ppm_per_day: self.aging_ppm_per_day,
            random_walk_ppm_per_sqrt_day: self.random_walk_ppm_per_sqrt_day,
        }
    }
}

/// Loads and validates an oscillator table; a bad value names its file, line and field.
pub fn load_oscillators(path: &Path) -> Result<Vec<OscillatorRow>> {
    let rows: Vec<OscillatorRow> = load_csv(path)?;
    for (i, row) in rows.iter().enumerate() {
        if let Err(Error::InvalidParameter { name, value, reason }) = row.config().validate() {
            return Err(Error::Data {
                file: path.to_path_buf(),
                line: i as u64 + 2,
                field: Some(name.to_string()),
                message: format!("{value} {reason}"),
            });
        }
    }
    Ok(rows)
}

/// A clock with a constant frequency error and no temperature effect.
fn plain_clock(ppm: f64, seed: u64) -> Result<Clock> {
    let cfg = OscillatorConfig {
        offset_ppm: ppm,
        tempco_ppm_per_c2: 0.0,
        ..Default::default()
    };
    Clock::new(cfg, Temperature::Constant(TURNOVER_C), EPOCH_START, seed)
}

/// The simulator's answer to task 1.
fn true_drift_after(ppm: f64, elapsed: f64) -> Result<f64> {
    let mut c = plain_clock(ppm, 0)?;
    c.advance_to(elapsed)?;
    Ok(c.offset())
}

/// The simulator's answer to task 2.
fn true_drift_per_day(offset_ppm: f64, temp_c: f64) -> Result<f64> {
    let cfg = OscillatorConfig {
        offset_ppm,
        turnover_c: TURNOVER_C,
        tempco_ppm_per_c2: TEMPCO_PPM_PER_C2,
        ..Default::default()
    };
    let mut c = Clock::new(cfg, Temperature::Constant(temp_c), EPOCH_START, 0)?;
    c.advance_to(DAY)?;
    Ok(c.offset())
}

/// Divergence of two plain clocks after `t` seconds, simulated.
fn divergence_at(ppm_a: f64, ppm_b: f64, t: f64) -> Result<f64> {
    let (mut a, mut b) = (plain_clock(ppm_a, 1)?, plain_clock(ppm_b, 2)?);
    a.advance_to(t)?;
    b.advance_to(t)?;
    Ok((a.offset() - b.offset()).abs())
}

/// Worst skew seen between two plain clocks synced to true time every `interval` seconds, over
/// `rounds` intervals (the skew peaks just before each sync).
fn worst_skew_with_resync(ppm_a: f64, ppm_b: f64, interval: f64, rounds: u32) -> Result<f64> {
    let (mut a, mut b) = (plain_clock(ppm_a, 1)?, plain_clock(ppm_b, 2)?);
    let mut worst: f64 = 0.0;
    for k in 1..=rounds {
        let t = interval * k as f64;
        a.advance_to(t)?;
        b.advance_to(t)?;
        worst = worst.max((a.offset() - b.offset()).abs());
        a.sync_to_true();
        b.sync_to_true();
    }
    Ok(worst)
}

fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Graders draw each task's cases from their own stream, so adding a case to one task does not
/// change another's.
fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 500 + task)
}

const HINT_DRIFT_AFTER: &str = "ppm means parts per million: a clock 1 ppm fast gains 10⁻⁶ s every second. \
    Negative ppm means it runs slow.";
const HINT_DRIFT_PER_DAY: &str = "The frequency error is offset_ppm − 0.034·(T − 25)² ppm: a tuning fork slows \
    both above and below 25 °C. Then turn ppm into seconds per day (86400 s).";
const HINT_DIVERGE: &str = "The two clocks separate at the rate |ppm_a − ppm_b|·10⁻⁶ seconds per second; \
    two clocks both 30 ppm fast never drift apart (return f64::INFINITY).";
const HINT_RESYNC: &str = "Right after a sync both clocks read true time; then one may run max_ppm fast and \
    the other max_ppm slow, so they separate at 2·max_ppm·10⁻⁶ s/s. Resync just as that reaches max_skew.";
const HINT_ELAPSED: &str = "NTP may step the wall clock, even backwards, between the two readings. \
    Only the monotonic clock never jumps.";

/// Grades task 1 on the notebook's fixed cases and ten drawn from `seed`.
pub fn grade_drift_after(report: &mut Report, f: fn(f64, f64) -> f64, seed: u64) {
    report.task("drift_after", HINT_DRIFT_AFTER, |c| {
        let mut rng = cases_rng(seed, 1);
        let mut cases = vec![(20.0, DAY), (-50.0, HOUR), (200.0, 30.0 * DAY)];
        cases.extend((0..10).map(|_| (rng.random_range(-200.0..200.0), rng.random_range(1.0..30.0 * DAY))));
        for (ppm, elapsed) in cases {
            let input = format!("ppm = {}, elapsed = {} s", fmt_num(ppm), fmt_num(elapsed));
            let got = c.call(&input, || f(ppm, elapsed))?;
            let truth = true_drift_after(ppm, elapsed).map_err(sim_failed)?;
            c.close(&input, got, truth, Tol::new(1e-9, 1e-6))?;
        }
        Ok(())
    });
}

/// Grades task 2.
pub fn grade_drift_per_day(report: &mut Report, f: fn(f64, f64) -> f64, seed: u64) {
    report.task("drift_per_day", HINT_DRIFT_PER_DAY, |c| {
        let mut rng = cases_rng(seed, 2);
        let mut cases = vec![(0.0, 25.0), (0.0, 5.0), (10.0, 45.0)];
        cases.extend((0..10).map(|_| (rng.random_range(-30.0..30.0), rng.random_range(-20.0..60.0))));
        for (offset_ppm, temp_c) in cases {
            let input = format!("offset_ppm = {}, temp_c = {} °C", fmt_num(offset_ppm), fmt_num(temp_c));
            let got = c.call(&input, || f(offset_ppm, temp_c))?;
            let truth = true_drift_per_day(offset_ppm, temp_c).map_err(sim_failed)?;
            c.close(&input, got, truth, Tol::new(1e-9, 1e-6))?;
        }
        Ok(())
    });
}

/// Grades task 3 by running two simulated clocks to the learner's time and measuring how far
/// apart they are.
pub fn grade_time_to_diverge(report: &mut Report, f: fn(f64, f64, f64) -> f64, seed: u64) {
    report.task("time_to_diverge", HINT_DIVERGE, |c| {
        let mut rng = cases_rng(seed, 3);
        let mut cases = vec![
            (20.0, -20.0, 0.1),
            (30.0, 10.0, 0.5),
            (-5.0, -45.0, 0.2),
            (50.0, 50.0, 1.0),
        ];
        cases.extend((0..10).map(|_| {
            let a: f64 = rng.random_range(-100.0..100.0);
            let gap: f64 = rng.random_range(1.0..100.0);
            let b = if rng.random_bool(0.5) { a + gap } else { a - gap };
            (a, b, rng.random_range(0.001..1.0))
        }));
        for (a, b, bound) in cases {
            let input = format!(
                "ppm_a = {}, ppm_b = {}, bound = {} s",
                fmt_num(a),
                fmt_num(b),
                fmt_num(bound)
            );
            let got = c.call(&input, || f(a, b, bound))?;
            let expected = if a == b {
                f64::INFINITY
            } else {
                bound / ((a - b).abs() * 1e-6)
            };
            let shown = format!("{} s", fmt_num(expected));
            if expected.is_infinite() || !got.is_finite() || got < 0.0 || got > 10.0 * expected {
                // Nothing to simulate: infinity must be answered exactly, and a negative, NaN or
                // far-too-late time is wrong on its face.
                c.close(&input, got, expected, Tol::rel(1e-6))?;
                continue;
            }
            let apart = divergence_at(a, b, got).map_err(sim_failed)?;
            c.ensure(
                (apart - bound).abs() <= 1e-6 * bound,
                &input,
                shown,
                format!(
                    "{} s (the simulated clocks were {} s apart then, not {} s)",
                    fmt_num(got),
                    fmt_num(apart),
                    fmt_num(bound)
                ),
            )?;
        }
        Ok(())
    });
}

/// Grades task 4 by simulating the worst pair (one clock +max_ppm, the other −max_ppm) and a
/// random pair within the bound, synced at the learner's interval. The interval must keep the
/// skew within `max_skew` and must not be more than 0.1% shorter than needed.
pub fn grade_resync_interval(report: &mut Report, f: fn(f64, f64) -> f64, seed: u64) {
    report.task("resync_interval", HINT_RESYNC, |c| {
        let mut rng = cases_rng(seed, 4);
        let mut cases = vec![(200.0, 0.1), (20.0, 0.001)];
        cases.extend((0..10).map(|_| (rng.random_range(5.0..200.0), rng.random_range(0.001..0.5))));
        for (max_ppm, max_skew) in cases {
            let input = format!("max_ppm = {}, max_skew = {} s", fmt_num(max_ppm), fmt_num(max_skew));
            let got = c.call(&input, || f(max_ppm, max_skew))?;
            let best = max_skew / (2.0 * max_ppm * 1e-6);
            let shown = format!("{} s", fmt_num(best));
            if !(got > 0.0 && got.is_finite() && got <= 100.0 * best) {
                c.close(&input, got, best, Tol::rel(1e-3))?;
                continue;
            }
            let worst = worst_skew_with_resync(max_ppm, -max_ppm, got, 3).map_err(sim_failed)?;
            let inner = rng.random_range(-max_ppm..max_ppm);
            let random_pair = worst_skew_with_resync(inner, -inner * rng.random_range(0.0..1.0), got, 3).map_err(sim_failed)?;
            let skew = worst.max(random_pair);
            if skew > max_skew * (1.0 + 1e-6) {
                return Err(Verdict::fail(&input, shown, format!("{} s", fmt_num(got))).because(format!(
                    "two clocks at +{0} and −{0} ppm reached a skew of {1} s before the next sync, over the {2} s bound",
                    fmt_num(max_ppm),
                    fmt_num(skew),
                    fmt_num(max_skew)
                )));
            }
            if skew < max_skew * (1.0 - 1e-3) {
                return Err(Verdict::fail(&input, shown, format!("{} s", fmt_num(got))).because(format!(
                    "the worst skew was only {} s of the {} s allowed: this syncs more often than needed",
                    fmt_num(skew),
                    fmt_num(max_skew)
                )));
            }
            c.pass();
        }
        Ok(())
    });
}

/// One case of task 5: a node runs an operation of true duration `d` while NTP (maybe) steps
/// its wall clock.
#[derive(Debug, Clone, Copy)]
struct ElapsedCase {
    ppm: f64,
    temp_c: f64,
    start: f64,
    duration: f64,
    step: Option<(f64, f64)>,
}

fn elapsed_readings(case: &ElapsedCase, seed: u64) -> Result<(Reading, Reading)> {
    let cfg = OscillatorConfig {
        offset_ppm: case.ppm,
        random_walk_ppm_per_sqrt_day: 0.5,
        ..Default::default()
    };
    let mut clock = Clock::new(cfg, Temperature::Constant(case.temp_c), EPOCH_START, seed)?;
    clock.advance_to(case.start)?;
    let start = clock.read();
    if let Some((at, delta)) = case.step {
        clock.advance_to(case.start + at * case.duration)?;
        clock.step_wall(delta);
    }
    clock.advance_to(case.start + case.duration)?;
    Ok((start, clock.read()))
}

/// The monotonic clock is allowed its own drift: the crystals here stay within 150 ppm.
const ELAPSED_TOL: Tol = Tol::new(1e-9, 150e-6);

/// Grades task 5 against the true duration of each operation.
pub fn grade_elapsed(report: &mut Report, f: fn(Reading, Reading) -> f64, seed: u64) {
    report.task("elapsed", HINT_ELAPSED, |c| {
        let mut rng = cases_rng(seed, 5);
        let mut cases = vec![
            ElapsedCase {
                ppm: 40.0,
                temp_c: 25.0,
                start: HOUR,
                duration: 2.0,
                step: Some((0.5, -1.5)),
            },
            ElapsedCase {
                ppm: -20.0,
                temp_c: 30.0,
                start: 2.0 * HOUR,
                duration: 10.0,
                step: None,
            },
            ElapsedCase {
                ppm: 10.0,
                temp_c: 20.0,
                start: 3.0 * HOUR,
                duration: 0.25,
                step: Some((0.3, 0.8)),
            },
        ];
        cases.extend((0..12).map(|i| ElapsedCase {
            ppm: rng.random_range(-100.0..100.0),
            temp_c: rng.random_range(15.0..35.0),
            start: rng.random_range(0.0..DAY),
            duration: rng.random_range(0.05..120.0),
            step: (i % 4 != 3).then(|| {
                let size: f64 = rng.random_range(0.1..5.0);
                (rng.random_range(0.05..0.95), if i % 2 == 0 { -size } else { size })
            }),
        }));
        for (i, case) in cases.iter().enumerate() {
            let (start, end) = elapsed_readings(case, seed ^ i as u64).map_err(sim_failed)?;
            let step = match case.step {
                Some((_, d)) => format!("NTP stepped the wall clock by {} s in between", fmt_num(d)),
                None => "no step in between".to_string(),
            };
            let input = format!(
                "start = {{ wall: {:.6}, monotonic: {:.6} }}, end = {{ wall: {:.6}, monotonic: {:.6} }} ({step})",
                start.wall, start.monotonic, end.wall, end.monotonic
            );
            let got = c.call(&input, || f(start, end))?;
            c.close(&input, got, case.duration, ELAPSED_TOL)?;
        }
        Ok(())
    });
}

impl Chapter for ClockDrift {
    const NUMBER: u8 = 5;
    const TITLE: &'static str = "Clock drift";
    const FILE: &'static str = "exercises/05_clock_drift.rs";
    const NOTEBOOK: &'static str = "notebooks/05-clock-drift.ipynb";
    type Answers = Answers;
    type Args = DriftArgs;

    fn grade(a: &Answers, seed: u64) -> Report {
        let mut report = Report::new(Self::NUMBER, Self::TITLE, seed);
        grade_drift_after(&mut report, a.drift_after, seed);
        grade_drift_per_day(&mut report, a.drift_per_day, seed);
        grade_time_to_diverge(&mut report, a.time_to_diverge, seed);
        grade_resync_interval(&mut report, a.resync_interval, seed);
        grade_elapsed(&mut report, a.elapsed, seed);
        report
    }

    fn simulate(a: &Answers, args: &DriftArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        let table = args.data.clone().unwrap_or_else(|| data_dir().join("oscillators.csv"));
        let rows = load_oscillators(&table)?;
        let mut files = Vec::new();
        files.extend(offset_figure(&rows, args.days, args.temperature, seed)?.save(out, "offset-over-time")?);
        files.extend(prediction_figure(a.drift_after, args.ppm, args.days)?.save(out, "drift-prediction")?);
        files.extend(temperature_figure(a.drift_per_day)?.save(out, "temperature-curve")?);
        files.extend(wall_vs_monotonic_figure(seed)?.save(out, "wall-vs-monotonic")?);
        Ok(files)
    }

    fn wrong_answers() -> Vec<WrongAnswer<Answers>> {
        vec![
            WrongAnswer {
                task: "drift_after",
                mistake: "forgot the 10⁻⁶ in ppm",
                apply: |a| a.drift_after = |ppm, t| ppm * t,
            },
            WrongAnswer {
                task: "drift_after",
                mistake: "flipped sign",
                apply: |a| a.drift_after = |ppm, t| -ppm * 1e-6 * t,
            },
            WrongAnswer {
                task: "drift_after",
                mistake: "per mille instead of per million",
                apply: |a| a.drift_after = |ppm, t| ppm * 1e-3 * t,
            },
            WrongAnswer {
                task: "drift_after",
                mistake: "ignores elapsed (always one day)",
                apply: |a| a.drift_after = |ppm, _| ppm * 1e-6 * DAY,
            },
            WrongAnswer {
                task: "drift_after",
                mistake: "hard-coded the notebook's example",
                apply: |a| a.drift_after = |_, _| 1.728,
            },
            WrongAnswer {
                task: "drift_per_day",
                mistake: "crystal speeds up away from turnover",
                apply: |a| a.drift_per_day = |p, t| (p + 0.034 * (t - 25.0).powi(2)) * 1e-6 * DAY,
            },
            WrongAnswer {
                task: "drift_per_day",
                mistake: "linear, not parabolic",
                apply: |a| a.drift_per_day = |p, t| (p - 0.034 * (t - 25.0).abs()) * 1e-6 * DAY,
            },
            WrongAnswer {
                task: "drift_per_day",
                mistake: "left in ppm, not seconds per day",
                apply: |a| a.drift_per_day = |p, t| p - 0.034 * (t - 25.0).powi(2),
            },
            WrongAnswer {
                task: "drift_per_day",
                mistake: "ignores temperature",
                apply: |a| a.drift_per_day = |p, _| p * 1e-6 * DAY,
            },
            WrongAnswer {
                task: "time_to_diverge",
                mistake: "adds the ppm instead of subtracting",
                apply: |a| a.time_to_diverge = |x, y, b| b / ((x + y).abs() * 1e-6),
            },
            WrongAnswer {
                task: "time_to_diverge",
                mistake: "no absolute value",
                apply: |a| a.time_to_diverge = |x, y, b| b / ((x - y) * 1e-6),
            },
            WrongAnswer {
                task: "time_to_diverge",
                mistake: "forgot the 10⁻⁶",
                apply: |a| a.time_to_diverge = |x, y, b| b / (x - y).abs(),
            },
            WrongAnswer {
                task: "time_to_diverge",
                mistake: "only looks at the first clock",
                apply: |a| a.time_to_diverge = |x, _, b| b / (x.abs() * 1e-6),
            },
            WrongAnswer {
                task: "resync_interval",
                mistake: "forgot that both clocks drift (no factor 2)",
                apply: |a| a.resync_interval = |p, s| s / (p * 1e-6),
            },
            WrongAnswer {
                task: "resync_interval",
                mistake: "over-cautious: half the interval",
                apply: |a| a.resync_interval = |p, s| s / (4.0 * p * 1e-6),
            },
            WrongAnswer {
                task: "resync_interval",
                mistake: "forgot the 10⁻⁶",
                apply: |a| a.resync_interval = |p, s| s / (2.0 * p),
            },
            WrongAnswer {
                task: "resync_interval",
                mistake: "multiplied by 2 instead of dividing",
                apply: |a| a.resync_interval = |p, s| 2.0 * s / (p * 1e-6),
            },
            WrongAnswer {
                task: "elapsed",
                mistake: "used the wall clock",
                apply: |a| a.elapsed = |s, e| e.wall - s.wall,
            },
            WrongAnswer {
                task: "elapsed",
                mistake: "wall clock, clamped at zero",
                apply: |a| a.elapsed = |s, e| (e.wall - s.wall).max(0.0),
            },
            WrongAnswer {
                task: "elapsed",
                mistake: "absolute wall-clock difference",
                apply: |a| a.elapsed = |s, e| (e.wall - s.wall).abs(),
            },
            WrongAnswer {
                task: "elapsed",
                mistake: "monotonic, but in milliseconds",
                apply: |a| a.elapsed = |s, e| (e.monotonic - s.monotonic) * 1e3,
            },
            WrongAnswer {
                task: "elapsed",
                mistake: "start minus end",
                apply: |a| a.elapsed = |s, e| s.monotonic - e.monotonic,
            },
        ]
    }
}

/// Offset from true time of each oscillator in the table over `days`, in a room whose
/// temperature swings ±8 °C a day around `mean_c`.
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
    .y_label("offset from true time (s)");
    for (i, row) in rows.iter().enumerate() {
        let mut clock = Clock::new(row.config(), temperature, EPOCH_START, stream(seed, i as u64).random())?;
        let mut pts = Vec::with_capacity(samples + 1);
        for k in 0..=samples {
            let t = end * k as f64 / samples as f64;
            clock.advance_to(t)?;
            pts.push((t / HOUR, clock.offset()));
        }
        fig = fig.line(&row.name, pts);
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

/// Grades answers with the default seed (what `cargo test` does).
pub fn grade(answers: &Answers) -> Report {
    ClockDrift::grade(answers, DEFAULT_SEED)
}

/// `main` for `exercise-5` and `solution-5`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<ClockDrift>(answers)
}

fn one_task(grader: impl FnOnce(&mut Report)) -> Report {
    let mut report = Report::new(ClockDrift::NUMBER, ClockDrift::TITLE, DEFAULT_SEED);
    grader(&mut report);
    report
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_drift_after(f: fn(f64, f64) -> f64) -> Report {
    one_task(|r| grade_drift_after(r, f, DEFAULT_SEED))
}
/// Notebook check for task 2.
pub fn check_drift_per_day(f: fn(f64, f64) -> f64) -> Report {
    one_task(|r| grade_drift_per_day(r, f, DEFAULT_SEED))
}
/// Notebook check for task 3.
pub fn check_time_to_diverge(f: fn(f64, f64, f64) -> f64) -> Report {
    one_task(|r| grade_time_to_diverge(r, f, DEFAULT_SEED))
}
/// Notebook check for task 4.
pub fn check_resync_interval(f: fn(f64, f64) -> f64) -> Report {
    one_task(|r| grade_resync_interval(r, f, DEFAULT_SEED))
}
/// Notebook check for task 5.
pub fn check_elapsed(f: fn(Reading, Reading) -> f64) -> Report {
    one_task(|r| grade_elapsed(r, f, DEFAULT_SEED))
}
