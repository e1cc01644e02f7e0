//! Chapter 6 · NTP: learning the time over a network.
//!
//! The learner writes six functions (see `exercises/06_ntp.rs`); each is graded against the
//! [`crate::ntp`] simulator, which knows the true offset of the client's clock, the true
//! one-way delays and which servers lie.
//!
//! | task | question |
//! |---|---|
//! | `offset` | from t1…t4, how far is the server's clock from ours? |
//! | `delay` | and how long were the packets on the network? |
//! | `clock_filter` | of a server's recent samples, which one to trust? |
//! | `intersect` | where do a majority of servers' correctness intervals agree? |
//! | `discipline` | step the clock, or slew it, and how? |
//! | `ntp_to_unix` | what Unix time does a 64-bit NTP timestamp stand for, in the right era? |

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use rand::Rng;

use super::{Chapter, DEFAULT_SEED, WrongAnswer, finite_f64};
use crate::clock::{OscillatorConfig, Temperature};
use crate::error::{Error, Result};
use crate::grade::{Checker, Report, Tol, Verdict, attempt, fmt_num};
use crate::ntp::sim::{DisciplinedClock, Exchange, NtpConfig, PathConfig, ServerConfig, exchange, run as run_ntp};
use crate::ntp::sntp::{self, ERA, NTP_UNIX_OFFSET, unix_to_ntp};
use crate::ntp::{Adjustment, Discipline, Sample, Timestamps, clock_filter, intersect, validate_adjustment};
use crate::plot::Figure;
use crate::sim::{HOUR, SimRng, stream};

pub use crate::ntp::sim::EPOCH_START;

/// The learner's functions for chapter 6.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: θ, the server's clock minus the client's, seconds.
    pub offset: fn(t: Timestamps) -> f64,
    /// Task 2: δ, the round-trip network delay, seconds.
    pub delay: fn(t: Timestamps) -> f64,
    /// Task 3: the sample to trust among a server's recent ones (never called with none).
    pub clock_filter: fn(window: &[Sample]) -> Sample,
    /// Task 4: the interval `(low, high)` where a majority of the correctness intervals agree,
    /// found with the fewest falsetickers; `None` if no majority does.
    pub intersect: IntersectFn,
    /// Task 5: what to do about a measured offset θ (the clock must move by +θ): step when
    /// |θ| exceeds `step_threshold_s`, otherwise slew at `max_slew_ppm`.
    pub discipline: fn(theta: f64, step_threshold_s: f64, max_slew_ppm: f64) -> Adjustment,
    /// Task 6: the Unix time (seconds) of NTP timestamp `ntp` (seconds since 1900 in the high
    /// 32 bits, fraction in the low 32), in the era nearest `pivot_unix`.
    pub ntp_to_unix: fn(ntp: u64, pivot_unix: f64) -> f64,
}

/// A correctness interval `(low, high)`, seconds.
pub type Interval = (f64, f64);
/// The signature of task 4: `fn intersect(intervals: &[(f64, f64)]) -> Option<(f64, f64)>`.
pub type IntersectFn = fn(intervals: &[Interval]) -> Option<Interval>;

/// Chapter 6 for the shared runner and self-check.
pub struct Ntp;

/// Flags of `exercise-6` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct NtpArgs {
    /// Hours of true time to simulate for the plots (0 < hours ≤ 168).
    #[arg(long, default_value_t = 24.0, value_parser = hours, allow_negative_numbers = true)]
    pub hours: f64,
    /// Also measure this machine's clock against a real NTP server (--server).
    #[arg(long)]
    pub measure: bool,
    /// The NTP server --measure asks, host:port [default: a local chronyd on port 11123].
    #[arg(long, default_value = "127.0.0.1:11123", value_name = "HOST:PORT")]
    pub server: String,
    /// How long --measure waits for the answer, milliseconds (1–60000).
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    pub timeout_ms: u64,
}

fn hours(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 168.0 {
        Ok(v)
    } else {
        Err(format!("{s} hours is outside 0 < hours ≤ 168"))
    }
}

fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Each task draws its cases from its own stream.
fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 600 + task)
}

/// f64 Unix seconds near 1.77·10⁹ resolve about 0.24 µs, and four timestamps are rounded, so
/// answers computed in another order may differ by a microsecond.
const STAMP_TOL: Tol = Tol::abs(2e-6);

const HINT_NTP_TO_UNIX: &str = "The high 32 bits count whole seconds since 1900-01-01, the low 32 bits count \
    units of 2⁻³² s. Unix time starts 2 208 988 800 s later. The seconds wrap every 2³² s (era 1 began in \
    February 2036): add whichever multiple of 2³² lands nearest pivot_unix.";
const HINT_OFFSET: &str = "θ = ((t2 − t1) + (t3 − t4)) / 2: the outbound leg overstates the offset by the \
    outbound delay, the return leg understates it by the return delay, and the average cancels them if they \
    are equal. Positive θ means the server is ahead of the client.";
const HINT_DELAY: &str = "δ = (t4 − t1) − (t3 − t2): the whole round trip on the client's clock, minus the time \
    the server held the request (measured on the server's clock, so the offset between the clocks cancels).";
const HINT_FILTER: &str = "Queueing only ever adds delay, and queueing is what makes the two directions differ. \
    Trust the sample with the smallest delay: its error bound δ/2 is the tightest.";
const HINT_INTERSECT: &str = "Marzullo: sort all endpoints (a start before an end at the same value). For f = 0, \
    1, … while f < n/2, sweep up to the first point covered by n − f intervals (low) and down to the last such \
    point (high); the first f with low ≤ high wins. None if no f < n/2 works.";
const HINT_DISCIPLINE: &str = "If |θ| > step_threshold_s, Step { by_s: θ }. Otherwise slew in θ's direction at \
    max_slew_ppm: rate_ppm = ±max_slew_ppm, for duration_s = |θ| / (max_slew_ppm · 10⁻⁶) seconds.";

/// Grades task 6: timestamps the simulator encoded from known Unix times, on both sides of
/// the 2036 era wrap.
pub fn grade_ntp_to_unix(report: &mut Report, f: fn(u64, f64) -> f64, seed: u64) {
    report.task("ntp_to_unix", HINT_NTP_TO_UNIX, |c| {
        let mut rng = cases_rng(seed, 1);
        let era1 = ERA - NTP_UNIX_OFFSET as f64; // 2036-02-07T06:28:16Z
        let mut cases = vec![
            (EPOCH_START, EPOCH_START),
            (EPOCH_START + 0.25, EPOCH_START - 3600.0),
            (0.0, 0.0),
            (era1 - 0.5, era1 - 100.0),
            (era1 + 1.75, era1 - 10.0),
            (era1 + 12.125, era1 + 86_400.0),
        ];
        let year = 365.25 * 86_400.0;
        cases.extend((0..12).map(|i| {
            let unix = if i % 2 == 0 {
                rng.random_range(era1 - 5.0 * year..era1 + 20.0 * year)
            } else {
                rng.random_range(-2.0e9..4.5e9)
            };
            (unix, unix + rng.random_range(-50.0 * year..50.0 * year))
        }));
        for (unix, pivot) in cases {
            let ntp = unix_to_ntp(unix);
            let input = format!(
                "ntp = {ntp:#018x} (seconds {}, fraction {}), pivot_unix = {}",
                ntp >> 32,
                ntp & 0xffff_ffff,
                fmt_num(pivot)
            );
            let got = c.call(&input, || f(ntp, pivot))?;
            c.close(&input, got, unix, STAMP_TOL).map_err(|v| {
                if (got - unix).abs() > 1e9 {
                    v.because("off by years: check the 1900→1970 offset and the era")
                } else {
                    v
                }
            })?;
        }
        Ok(())
    });
}

/// Random client–server exchanges: clocks up to ±100 ppm and ±5 s off, servers up to ±1 s off,
/// one-way delays drawn independently (so paths are asymmetric), server processing 0.1–10 ms.
fn exchanges(seed: u64, task: u64, n: usize) -> Result<Vec<Exchange>> {
    let mut rng = cases_rng(seed, task);
    let mut out = Vec::with_capacity(n + 2);
    // The notebook's two examples first: a symmetric path, then a lopsided one.
    for (k, (o, b)) in [(0.020, 0.020), (0.005, 0.045)].into_iter().enumerate() {
        let mut clock = DisciplinedClock::with_offset(plain_osc(40.0), Temperature::Constant(25.0), 1.5, k as u64)?;
        clock.advance_to(HOUR)?;
        let server = ServerConfig {
            processing_s: 0.002,
            ..Default::default()
        };
        out.push(exchange(&mut clock, 0, &server, o, b)?);
    }
    for i in 0..n {
        let mut clock = DisciplinedClock::with_offset(
            plain_osc(rng.random_range(-100.0..100.0)),
            Temperature::Constant(25.0),
            rng.random_range(-5.0..5.0),
            seed ^ (i as u64 + 17),
        )?;
        clock.advance_to(rng.random_range(0.0..86_400.0))?;
        let server = ServerConfig {
            offset_s: if i % 3 == 0 { rng.random_range(-1.0..1.0) } else { 0.0 },
            processing_s: rng.random_range(1e-4..0.01),
            path: PathConfig::default(),
        };
        let (o, b) = (rng.random_range(0.001..0.3), rng.random_range(0.001..0.3));
        out.push(exchange(&mut clock, 0, &server, o, b)?);
    }
    Ok(out)
}

fn plain_osc(ppm: f64) -> OscillatorConfig {
    OscillatorConfig {
        offset_ppm: ppm,
        tempco_ppm_per_c2: 0.0,
        ..Default::default()
    }
}

fn stamps_input(t: &Timestamps) -> String {
    format!("t1 = {:.6}, t2 = {:.6}, t3 = {:.6}, t4 = {:.6}", t.t1, t.t2, t.t3, t.t4)
}

/// Grades task 1 against the simulator's truth: θ must be the true offset plus half the true
/// asymmetry (outbound minus return delay), which the simulator knows and the client does not.
pub fn grade_offset(report: &mut Report, f: fn(Timestamps) -> f64, seed: u64) {
    report.task("offset", HINT_OFFSET, |c| {
        for x in exchanges(seed, 2, 14).map_err(sim_failed)? {
            let input = stamps_input(&x.stamps);
            let got = c.call(&input, || f(x.stamps))?;
            let expected = x.true_offset + (x.out_s - x.back_s) / 2.0;
            c.close(&input, got, expected, STAMP_TOL).map_err(|v| {
                v.because(format!(
                    "the true offset was {} s, and this path's delays were {} s out and {} s back",
                    fmt_num(x.true_offset),
                    fmt_num(x.out_s),
                    fmt_num(x.back_s)
                ))
            })?;
        }
        Ok(())
    });
}

/// Grades task 2 against the true delays: out + back, plus what the client's own clock gained
/// or lost meanwhile.
pub fn grade_delay(report: &mut Report, f: fn(Timestamps) -> f64, seed: u64) {
    report.task("delay", HINT_DELAY, |c| {
        for x in exchanges(seed, 3, 14).map_err(sim_failed)? {
            let input = stamps_input(&x.stamps);
            let got = c.call(&input, || f(x.stamps))?;
            let expected = x.out_s + x.back_s + (x.client_offset_at_t4 - x.client_offset_at_t1);
            c.close(&input, got, expected, STAMP_TOL).map_err(|v| {
                v.because(format!(
                    "the packets spent {} s going out and {} s coming back",
                    fmt_num(x.out_s),
                    fmt_num(x.back_s)
                ))
            })?;
        }
        Ok(())
    });
}

fn window_input(w: &[Sample]) -> String {
    let items: Vec<String> = w
        .iter()
        .map(|s| format!("(θ {}, δ {})", fmt_num(s.offset), fmt_num(s.delay)))
        .collect();
    format!("window = [{}]", items.join(", "))
}

/// Grades task 3 on windows of consecutive samples from one server behind a queueing path.
pub fn grade_clock_filter(report: &mut Report, f: fn(&[Sample]) -> Sample, seed: u64) {
    report.task("clock_filter", HINT_FILTER, |c| {
        let mut rng = cases_rng(seed, 4);
        let s = |offset, delay| Sample { offset, delay };
        let mut windows = vec![
            vec![s(0.012, 0.040), s(0.001, 0.021), s(-0.0005, 0.025), s(0.009, 0.033)],
            vec![s(0.2, 0.3)],
            vec![s(0.004, 0.018), s(0.030, 0.090), s(0.0002, 0.050)],
        ];
        for _ in 0..10 {
            let mut clock = DisciplinedClock::with_offset(
                plain_osc(rng.random_range(-50.0..50.0)),
                Temperature::Constant(25.0),
                rng.random_range(-0.2..0.2),
                rng.random(),
            )
            .map_err(sim_failed)?;
            let server = ServerConfig {
                path: PathConfig {
                    out_s: rng.random_range(0.001..0.02),
                    back_s: rng.random_range(0.001..0.02),
                    jitter_s: rng.random_range(0.005..0.05),
                },
                ..Default::default()
            };
            let n = rng.random_range(2..=8);
            let mut w = Vec::with_capacity(n);
            for k in 0..n {
                clock.advance_to(64.0 * k as f64).map_err(sim_failed)?;
                let (o, b) = server.path.sample(&mut rng);
                w.push(exchange(&mut clock, 0, &server, o, b).map_err(sim_failed)?.sample());
            }
            windows.push(w);
        }
        for w in windows {
            let input = window_input(&w);
            let got = c.call(&input, || f(&w))?;
            let best = clock_filter(&w).expect("windows are not empty");
            c.ensure(
                got == best,
                &input,
                format!("(θ {}, δ {})", fmt_num(best.offset), fmt_num(best.delay)),
                format!("(θ {}, δ {})", fmt_num(got.offset), fmt_num(got.delay)),
            )?;
        }
        Ok(())
    });
}

fn intervals_input(iv: &[(f64, f64)]) -> String {
    let items: Vec<String> = iv
        .iter()
        .map(|(a, b)| format!("[{}, {}]", fmt_num(*a), fmt_num(*b)))
        .collect();
    format!("intervals = {}", items.join(", "))
}

/// Grades task 4 on correctness intervals measured by the simulator from honest servers and
/// falsetickers, and on edge cases (touching intervals, no majority).
pub fn grade_intersect(report: &mut Report, f: IntersectFn, seed: u64) {
    report.task("intersect", HINT_INTERSECT, |c| {
        let mut rng = cases_rng(seed, 5);
        // Intervals, and the true offset when the simulator knows it.
        let mut cases: Vec<(Vec<Interval>, Option<f64>)> = vec![
            (vec![(-0.01, 0.02), (-0.02, 0.01), (0.45, 0.55)], Some(0.0)),
            (vec![(0.0, 1.0), (1.0, 2.0)], None),
            (vec![(0.0, 1.0), (0.5, 1.5), (5.0, 6.0), (5.5, 6.5)], None),
            (vec![(0.3, 0.4)], None),
            (
                vec![(0.0, 2.0), (1.0, 3.0), (1.5, 2.5), (10.0, 11.0), (-9.0, -8.0)],
                None,
            ),
        ];
        for _ in 0..12 {
            let n = rng.random_range(3..=7usize);
            let liars = rng.random_range(0..=(n - 1) / 2);
            let client_offset = rng.random_range(-1.0..1.0);
            let mut intervals = Vec::with_capacity(n);
            for i in 0..n {
                let mut clock = DisciplinedClock::with_offset(
                    plain_osc(20.0),
                    Temperature::Constant(25.0),
                    client_offset,
                    i as u64,
                )
                .map_err(sim_failed)?;
                clock.advance_to(10.0).map_err(sim_failed)?;
                let lie = rng.random_range(0.2..1.0) * if rng.random_bool(0.5) { 1.0 } else { -1.0 };
                let server = ServerConfig {
                    offset_s: if i < liars { lie } else { 0.0 },
                    ..Default::default()
                };
                let (o, b) = (rng.random_range(0.002..0.06), rng.random_range(0.002..0.06));
                let x = exchange(&mut clock, i, &server, o, b).map_err(sim_failed)?;
                intervals.push(x.stamps.interval());
            }
            cases.push((intervals, Some(-client_offset)));
        }
        for (intervals, truth) in cases {
            let input = intervals_input(&intervals);
            let got = c.call(&input, || f(&intervals))?;
            let expected = intersect(&intervals).map(|i| (i.low, i.high));
            let same = match (got, expected) {
                (Some(g), Some(e)) => (g.0 - e.0).abs() <= 1e-12 && (g.1 - e.1).abs() <= 1e-12,
                (None, None) => true,
                _ => false,
            };
            let show = |o: Option<(f64, f64)>| match o {
                Some((a, b)) => format!("Some(({}, {}))", fmt_num(a), fmt_num(b)),
                None => "None".to_string(),
            };
            if !same {
                let mut v = Verdict::fail(&input, show(expected), show(got));
                if let (Some(t), Some((lo, hi))) = (truth, got) {
                    if t < lo || t > hi {
                        v = v.because(format!(
                            "the true offset was {}, outside your interval: you trusted a falseticker",
                            fmt_num(t)
                        ));
                    }
                }
                return Err(v);
            }
            c.pass();
        }
        Ok(())
    });
}

/// Applies `adj` to a drift-free clock that is `-theta` off and returns (offset after the
/// adjustment has run its course, whether it stepped).
fn run_adjustment(theta: f64, adj: Adjustment, max_slew_ppm: f64) -> Result<(f64, bool)> {
    validate_adjustment(&adj, max_slew_ppm)?;
    let mut clock = DisciplinedClock::with_offset(plain_osc(0.0), Temperature::Constant(25.0), -theta, 3)?;
    let before = clock.steps().len();
    clock.apply(adj)?;
    let duration = match adj {
        Adjustment::Slew { duration_s, .. } => duration_s,
        Adjustment::Step { .. } => 0.0,
    };
    clock.advance_to(duration + 1.0)?;
    Ok((clock.offset(), clock.steps().len() > before))
}

/// Grades task 5 by applying the answer to a simulated clock: afterwards it must read true
/// time, having stepped exactly when |θ| exceeded the threshold and never slewed faster than
/// allowed.
pub fn grade_discipline(report: &mut Report, f: fn(f64, f64, f64) -> Adjustment, seed: u64) {
    report.task("discipline", HINT_DISCIPLINE, |c| {
        let mut rng = cases_rng(seed, 6);
        let mut cases = vec![
            (0.5, 0.128, 500.0),
            (-0.003, 0.128, 500.0),
            (0.128, 0.128, 500.0),
            (-0.128, 0.128, 500.0),
            (0.0, 0.128, 500.0),
            (-2.5, 0.128, 500.0),
        ];
        cases.extend((0..12).map(|i| {
            let threshold = rng.random_range(0.01..1.0);
            let size = if i % 2 == 0 {
                rng.random_range(0.0..threshold)
            } else {
                rng.random_range(threshold * 1.01..10.0)
            };
            let sign = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
            (size * sign, threshold, rng.random_range(50.0..1000.0))
        }));
        for (theta, threshold, max_slew) in cases {
            let input = format!(
                "theta = {} s, step_threshold_s = {} s, max_slew_ppm = {}",
                fmt_num(theta),
                fmt_num(threshold),
                fmt_num(max_slew)
            );
            let adj = c.call(&input, || f(theta, threshold, max_slew))?;
            let should_step = theta.abs() > threshold;
            let what = |stepped: bool| if stepped { "a step" } else { "a slew" };
            let (after, stepped) = match run_adjustment(theta, adj, max_slew) {
                Ok(r) => r,
                Err(e) => return Err(Verdict::fail(&input, "a valid adjustment", format!("{adj:?}: {e}"))),
            };
            c.ensure(stepped == should_step, &input, what(should_step), format!("{adj:?}"))
                .map_err(|v| {
                    v.because(if should_step {
                        "|θ| exceeds the threshold: slewing it away would take too long"
                    } else {
                        "|θ| does not exceed the threshold: a step would make the clock jump"
                    })
                })?;
            check_close_to_true(c, &input, after, &adj)?;
        }
        Ok(())
    });
}

fn check_close_to_true(c: &mut Checker, input: &str, after: f64, adj: &Adjustment) -> Result<(), Verdict> {
    c.close(input, after, 0.0, Tol::abs(1e-9)).map_err(|_| {
        Verdict::fail(
            input,
            "a clock at true time once the adjustment has run (offset 0)",
            format!("{adj:?}, which leaves the clock {} s off", fmt_num(after)),
        )
    })
}

impl Chapter for Ntp {
    const NUMBER: u8 = 6;
    const TITLE: &'static str = "NTP synchronisation";
    const FILE: &'static str = "exercises/06_ntp.rs";
    const NOTEBOOK: &'static str = "notebooks/06-ntp.ipynb";
    type Answers = Answers;
    type Args = NtpArgs;

    fn grade(a: &Answers, seed: u64) -> Report {
        let mut report = Report::new(Self::NUMBER, Self::TITLE, seed);
        grade_offset(&mut report, a.offset, seed);
        grade_delay(&mut report, a.delay, seed);
        grade_clock_filter(&mut report, a.clock_filter, seed);
        grade_intersect(&mut report, a.intersect, seed);
        grade_discipline(&mut report, a.discipline, seed);
        grade_ntp_to_unix(&mut report, a.ntp_to_unix, seed);
        report
    }

    fn simulate(a: &Answers, args: &NtpArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        let duration = args.hours * HOUR;
        files.extend(offset_over_time_figure(duration, seed)?.save(out, "true-vs-estimated-offset")?);
        files.extend(asymmetry_figure(a.offset)?.save(out, "error-vs-asymmetry")?);
        files.extend(filter_figure(duration.min(6.0 * HOUR), seed)?.save(out, "filter-on-off")?);
        files.extend(falseticker_figure(duration.min(6.0 * HOUR), seed)?.save(out, "falseticker")?);
        if args.measure {
            let m = measure(&args.server, Duration::from_millis(args.timeout_ms), a.offset)?;
            eprintln!("{m}");
        } else {
            eprintln!(
                "Real clock: add --measure to ask the NTP server at {} how far this machine's clock is off.",
                args.server
            );
        }
        Ok(files)
    }

    fn wrong_answers() -> Vec<WrongAnswer<Answers>> {
        vec![
            WrongAnswer {
                task: "ntp_to_unix",
                mistake: "forgot the 70 years between 1900 and 1970",
                apply: |a| a.ntp_to_unix = |n, _| (n >> 32) as f64 + (n & 0xffff_ffff) as f64 / ERA,
            },
            WrongAnswer {
                task: "ntp_to_unix",
                mistake: "read the fraction as microseconds",
                apply: |a| {
                    a.ntp_to_unix = |n, p| {
                        let s = (n >> 32) as f64 - NTP_UNIX_OFFSET as f64 + (n & 0xffff_ffff) as f64 * 1e-6;
                        s + ((p - s) / ERA).round() * ERA
                    }
                },
            },
            WrongAnswer {
                task: "ntp_to_unix",
                mistake: "ignored the era (always era 0)",
                apply: |a| {
                    a.ntp_to_unix = |n, _| (n >> 32) as f64 - NTP_UNIX_OFFSET as f64 + (n & 0xffff_ffff) as f64 / ERA
                },
            },
            WrongAnswer {
                task: "ntp_to_unix",
                mistake: "whole seconds only",
                apply: |a| {
                    a.ntp_to_unix = |n, p| {
                        let s = (n >> 32) as f64 - NTP_UNIX_OFFSET as f64;
                        s + ((p - s) / ERA).round() * ERA
                    }
                },
            },
            WrongAnswer {
                task: "offset",
                mistake: "flipped sign (client minus server)",
                apply: |a| a.offset = |t| ((t.t1 - t.t2) + (t.t4 - t.t3)) / 2.0,
            },
            WrongAnswer {
                task: "offset",
                mistake: "forgot to halve",
                apply: |a| a.offset = |t| (t.t2 - t.t1) + (t.t3 - t.t4),
            },
            WrongAnswer {
                task: "offset",
                mistake: "outbound leg only (t2 − t1)",
                apply: |a| a.offset = |t| t.t2 - t.t1,
            },
            WrongAnswer {
                task: "offset",
                mistake: "assumed the server replies instantly (t3 = t2)",
                apply: |a| a.offset = |t| ((t.t2 - t.t1) + (t.t2 - t.t4)) / 2.0,
            },
            WrongAnswer {
                task: "delay",
                mistake: "forgot to take out the server's processing time",
                apply: |a| a.delay = |t| t.t4 - t.t1,
            },
            WrongAnswer {
                task: "delay",
                mistake: "one-way delay (halved)",
                apply: |a| a.delay = |t| ((t.t4 - t.t1) - (t.t3 - t.t2)) / 2.0,
            },
            WrongAnswer {
                task: "delay",
                mistake: "added the processing time instead of subtracting",
                apply: |a| a.delay = |t| (t.t4 - t.t1) + (t.t3 - t.t2),
            },
            WrongAnswer {
                task: "clock_filter",
                mistake: "trusts the most recent sample",
                apply: |a| a.clock_filter = |w| *w.last().expect("not empty"),
            },
            WrongAnswer {
                task: "clock_filter",
                mistake: "trusts the smallest offset",
                apply: |a| {
                    a.clock_filter = |w| {
                        *w.iter()
                            .min_by(|x, y| x.offset.abs().total_cmp(&y.offset.abs()))
                            .expect("not empty")
                    }
                },
            },
            WrongAnswer {
                task: "clock_filter",
                mistake: "largest delay (max for min)",
                apply: |a| {
                    a.clock_filter = |w| *w.iter().max_by(|x, y| x.delay.total_cmp(&y.delay)).expect("not empty")
                },
            },
            WrongAnswer {
                task: "clock_filter",
                mistake: "averages the window",
                apply: |a| {
                    a.clock_filter = |w| {
                        let n = w.len() as f64;
                        Sample {
                            offset: w.iter().map(|s| s.offset).sum::<f64>() / n,
                            delay: w.iter().map(|s| s.delay).sum::<f64>() / n,
                        }
                    }
                },
            },
            WrongAnswer {
                task: "intersect",
                mistake: "demands that every interval agree (f = 0 only)",
                apply: |a| {
                    a.intersect = |iv| {
                        let lo = iv.iter().map(|i| i.0).fold(f64::NEG_INFINITY, f64::max);
                        let hi = iv.iter().map(|i| i.1).fold(f64::INFINITY, f64::min);
                        (!iv.is_empty() && lo <= hi).then_some((lo, hi))
                    }
                },
            },
            WrongAnswer {
                task: "intersect",
                mistake: "no majority rule (f may reach n − 1)",
                apply: |a| {
                    a.intersect = |iv| {
                        let mut padded = iv.to_vec();
                        // As many copies of a wide interval as there are intervals: the real
                        // algorithm then never runs out of f before finding some overlap.
                        padded.extend(std::iter::repeat_n((-1e9, 1e9), iv.len()));
                        intersect(&padded).map(|i| (i.low, i.high))
                    }
                },
            },
            WrongAnswer {
                task: "intersect",
                mistake: "touching intervals do not overlap (ends sorted before starts)",
                apply: |a| {
                    a.intersect = |iv| {
                        // Shrinking every interval a hair makes touching ones disjoint.
                        let shrunk: Vec<(f64, f64)> = iv.iter().map(|&(l, h)| (l + 1e-9, h - 1e-9)).collect();
                        intersect(&shrunk).map(|i| (i.low - 1e-9, i.high + 1e-9))
                    }
                },
            },
            WrongAnswer {
                task: "intersect",
                mistake: "returns the span of all intervals",
                apply: |a| {
                    a.intersect = |iv| {
                        let lo = iv.iter().map(|i| i.0).fold(f64::INFINITY, f64::min);
                        let hi = iv.iter().map(|i| i.1).fold(f64::NEG_INFINITY, f64::max);
                        (!iv.is_empty()).then_some((lo, hi))
                    }
                },
            },
            WrongAnswer {
                task: "discipline",
                mistake: "always steps",
                apply: |a| a.discipline = |t, _, _| Adjustment::Step { by_s: t },
            },
            WrongAnswer {
                task: "discipline",
                mistake: "steps the wrong way",
                apply: |a| {
                    a.discipline = |t, thr, max| {
                        if t.abs() > thr {
                            Adjustment::Step { by_s: -t }
                        } else {
                            slew(t, max)
                        }
                    }
                },
            },
            WrongAnswer {
                task: "discipline",
                mistake: "steps at exactly the threshold (>= for >)",
                apply: |a| {
                    a.discipline = |t, thr, max| {
                        if t.abs() >= thr {
                            Adjustment::Step { by_s: t }
                        } else {
                            slew(t, max)
                        }
                    }
                },
            },
            WrongAnswer {
                task: "discipline",
                mistake: "slews the wrong way",
                apply: |a| {
                    a.discipline = |t, thr, max| {
                        if t.abs() > thr {
                            Adjustment::Step { by_s: t }
                        } else {
                            slew(-t, max)
                        }
                    }
                },
            },
            WrongAnswer {
                task: "discipline",
                mistake: "duration forgets the 10⁻⁶ of ppm",
                apply: |a| {
                    a.discipline = |t, thr, max| {
                        if t.abs() > thr {
                            Adjustment::Step { by_s: t }
                        } else {
                            Adjustment::Slew {
                                rate_ppm: max.copysign(t),
                                duration_s: t.abs() / max,
                            }
                        }
                    }
                },
            },
            WrongAnswer {
                task: "discipline",
                mistake: "never steps",
                apply: |a| a.discipline = |t, _, max| slew(t, max),
            },
        ]
    }
}

/// A full-rate slew by `theta`, as the reference discipline does.
fn slew(theta: f64, max_slew_ppm: f64) -> Adjustment {
    Adjustment::Slew {
        rate_ppm: max_slew_ppm.copysign(theta),
        duration_s: theta.abs() / (max_slew_ppm * 1e-6),
    }
}

/// Three honest servers with a little queueing, one path lopsided.
fn honest_servers() -> Vec<ServerConfig> {
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

/// Asks a real NTP server once and describes this machine's offset in one line; uses the
/// learner's `offset` beside the library's when it is attempted.
pub fn measure(server: &str, timeout: Duration, offset: fn(Timestamps) -> f64) -> Result<String> {
    let reply = sntp::query(server, timeout)?;
    let (theta, delta) = (reply.offset(), reply.delay());
    let ahead = if theta <= 0.0 { "ahead of" } else { "behind" };
    let mut line = format!(
        "Real clock: this machine is {} ms {ahead} {server} (stratum {}), round trip {} ms, so the error is at most {} ms.",
        fmt_num(theta.abs() * 1e3),
        reply.packet.stratum,
        fmt_num(delta * 1e3),
        fmt_num(delta / 2.0 * 1e3)
    );
    if let Ok(yours) = attempt(|| offset(reply.stamps)) {
        line.push_str(&format!(" Your offset(): {} ms.", fmt_num(yours * 1e3)));
    }
    Ok(line)
}

/// Grades answers with the default seed (what `cargo test` does).
pub fn grade(answers: &Answers) -> Report {
    Ntp::grade(answers, DEFAULT_SEED)
}

/// `main` for `exercise-6` and `solution-6`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<Ntp>(answers)
}

fn one_task(grader: impl FnOnce(&mut Report)) -> Report {
    let mut report = Report::new(Ntp::NUMBER, Ntp::TITLE, DEFAULT_SEED);
    grader(&mut report);
    report
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_offset(f: fn(Timestamps) -> f64) -> Report {
    one_task(|r| grade_offset(r, f, DEFAULT_SEED))
}
/// Notebook check for task 2.
pub fn check_delay(f: fn(Timestamps) -> f64) -> Report {
    one_task(|r| grade_delay(r, f, DEFAULT_SEED))
}
/// Notebook check for task 3.
pub fn check_clock_filter(f: fn(&[Sample]) -> Sample) -> Report {
    one_task(|r| grade_clock_filter(r, f, DEFAULT_SEED))
}
/// Notebook check for task 4.
pub fn check_intersect(f: IntersectFn) -> Report {
    one_task(|r| grade_intersect(r, f, DEFAULT_SEED))
}
/// Notebook check for task 5.
pub fn check_discipline(f: fn(f64, f64, f64) -> Adjustment) -> Report {
    one_task(|r| grade_discipline(r, f, DEFAULT_SEED))
}
/// Notebook check for task 6.
pub fn check_ntp_to_unix(f: fn(u64, f64) -> f64) -> Report {
    one_task(|r| grade_ntp_to_unix(r, f, DEFAULT_SEED))
}

/// The default discipline's thresholds, for the notebook.
pub fn default_discipline() -> Discipline {
    Discipline::default()
}
