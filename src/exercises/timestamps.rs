//! Chapter 7 · Ordering by timestamps.
//!
//! The learner writes four functions (see `exercises/07_timestamps.rs`); each is graded
//! against the [`crate::ordering`] simulators, which know the true order of every event.
//!
//! | task | question |
//! |---|---|
//! | `uncertainty` | what interval surely holds true time, given a reading, the last sync and a drift bound? |
//! | `can_commit` | may a transaction stamped `s` be acknowledged yet (commit wait)? |
//! | `order` | can two stamped events be ordered, and which came first? |
//! | `lost_writes` | how many writes of a causal chain does last-write-wins silently drop? |

use std::cmp::Ordering;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rand::Rng;

use super::{Chapter, DEFAULT_SEED, WrongAnswer, finite_f64};
use crate::clock::OscillatorConfig;
use crate::error::{Error, Result};
use crate::grade::{Report, Tol, Verdict, attempt, fmt_num};
use crate::ordering::lww::{self, LwwConfig};
use crate::ordering::misorder::{self, MisorderConfig, misorder_probability, misordered_fraction};
use crate::ordering::truetime::{self, CommitWaitConfig, TrueTime, TrueTimeConfig};
use crate::ordering::{TtInterval, can_commit, order, uncertainty};
use crate::plot::Figure;
use crate::sim::{SimRng, stream};

/// The learner's functions for chapter 7.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: the interval surely holding true time for a clock reading `reading` (Unix
    /// seconds) taken `since_sync_s` seconds after a sync accurate to `sync_error_s`, if the
    /// clock drifts at most `drift_bound_ppm`.
    pub uncertainty: fn(reading: f64, since_sync_s: f64, sync_error_s: f64, drift_bound_ppm: f64) -> TtInterval,
    /// Task 2: commit wait: may a transaction stamped `stamp` be acknowledged, given `now`?
    pub can_commit: fn(stamp: f64, now: TtInterval) -> bool,
    /// Task 3: `Some(Less)` if the event stamped `a` certainly happened before the one
    /// stamped `b`, `Some(Greater)` if certainly after, `None` if the stamps cannot tell.
    pub order: fn(a: TtInterval, b: TtInterval) -> Option<Ordering>,
    /// Task 4: how many writes of a causal chain, given their timestamps in causal order,
    /// last-write-wins silently drops.
    pub lost_writes: fn(timestamps: &[f64]) -> usize,
}

/// Chapter 7 for the shared runner and self-check.
pub struct Timestamps;

/// Flags of `exercise-7` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct TimestampArgs {
    /// Writes per point of the last-write-wins plot (100–100000).
    #[arg(long, default_value_t = 2000, value_parser = clap::value_parser!(u64).range(100..=100_000))]
    pub writes: u64,
    /// The drift bound TrueTime assumes, ppm (≥ 0).
    #[arg(long, default_value_t = 200.0, value_parser = non_negative, allow_negative_numbers = true)]
    pub drift_bound_ppm: f64,
    /// Seconds between clock synchronisations (0 < s ≤ 3600).
    #[arg(long, default_value_t = 30.0, value_parser = sync_interval, allow_negative_numbers = true)]
    pub sync_interval: f64,
}

fn non_negative(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v >= 0.0 {
        Ok(v)
    } else {
        Err(format!("`{s}` must not be negative"))
    }
}
fn sync_interval(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if v > 0.0 && v <= 3600.0 {
        Ok(v)
    } else {
        Err(format!("{s} s is outside 0 < s ≤ 3600"))
    }
}

fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Each task draws its cases from its own stream.
fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 700 + task)
}

fn show(i: TtInterval) -> String {
    format!("[{:.6}, {:.6}]", i.earliest, i.latest)
}

const HINT_UNCERTAINTY: &str = "ε = sync_error_s + drift_bound_ppm · 10⁻⁶ · since_sync_s: the error left by the \
    sync plus the most the clock can have drifted since. The interval is [reading − ε, reading + ε].";
const HINT_CAN_COMMIT: &str = "The stamp s was now().latest when the transaction started. It may be acknowledged \
    only once s is certainly in the past: when even the earliest possible true time is later than s (strictly).";
const HINT_ORDER: &str = "a certainly came first only if its interval ends before b's begins (a.latest < \
    b.earliest). If the intervals overlap, or only touch, both orders are possible: None.";
const HINT_LOST: &str = "Replicas keep the greatest timestamp they have seen and drop a write whose stamp is not \
    strictly greater. Walk the chain keeping the highest stamp so far; a write at or below it is lost.";

/// Grades task 1 on readings of simulated TrueTime nodes; the answer must also contain true time.
pub fn grade_uncertainty(report: &mut Report, f: fn(f64, f64, f64, f64) -> TtInterval, seed: u64) {
    report.task("uncertainty", HINT_UNCERTAINTY, |c| {
        let mut rng = cases_rng(seed, 1);
        // (reading, since, sync error, bound, true time if known)
        let mut cases = vec![
            (1000.0, 30.0, 0.001, 200.0, None),
            (1_767_225_600.0, 0.0, 0.004, 100.0, None),
            (50.0, 10.0, 0.0, 500.0, None),
        ];
        for i in 0..12 {
            let cfg = TrueTimeConfig {
                sync_error_s: rng.random_range(1e-4..5e-3),
                drift_bound_ppm: rng.random_range(50.0..500.0),
                sync_interval_s: rng.random_range(5.0..60.0),
            };
            let osc = OscillatorConfig {
                offset_ppm: rng.random_range(-0.8..0.8) * cfg.drift_bound_ppm,
                tempco_ppm_per_c2: 0.0,
                ..Default::default()
            };
            let mut tt = TrueTime::new(cfg, osc, seed ^ (i + 1)).map_err(sim_failed)?;
            tt.advance_to(rng.random_range(0.0..300.0)).map_err(sim_failed)?;
            let r = tt.reading();
            cases.push((
                r.wall,
                tt.since_sync(),
                cfg.sync_error_s,
                cfg.drift_bound_ppm,
                Some(tt.true_unix()),
            ));
        }
        for (reading, since, err, bound, truth) in cases {
            let input = format!(
                "reading = {reading:.6}, since_sync_s = {}, sync_error_s = {}, drift_bound_ppm = {}",
                fmt_num(since),
                fmt_num(err),
                fmt_num(bound)
            );
            let got = c.call(&input, || f(reading, since, err, bound))?;
            let expected = uncertainty(reading, since, err, bound).map_err(sim_failed)?;
            let tol = Tol::abs(1e-6);
            if !tol.accepts(expected.earliest, got.earliest) || !tol.accepts(expected.latest, got.latest) {
                let mut v = Verdict::fail(&input, show(expected), show(got));
                if let Some(t) = truth {
                    if !got.contains(t) {
                        v = v.because(format!("true time was {t:.6}, outside your interval"));
                    }
                }
                return Err(v);
            }
            c.pass();
        }
        Ok(())
    });
}

/// Grades task 2: edge cases, then a chain of transactions on five simulated nodes released by
/// the learner's rule, which must never order a transaction against real time, nor wait much
/// longer than needed.
pub fn grade_can_commit(report: &mut Report, f: fn(f64, TtInterval) -> bool, seed: u64) {
    report.task("can_commit", HINT_CAN_COMMIT, |c| {
        let i = |a, b| TtInterval { earliest: a, latest: b };
        let fixed = [
            (100.0, i(100.0, 100.01), false),
            (100.0, i(100.000001, 100.010001), true),
            (100.0, i(99.99, 100.01), false),
            (100.0, i(100.5, 100.6), true),
            (100.0, i(99.0, 99.5), false),
        ];
        for (s, now, expected) in fixed {
            let input = format!("stamp = {s}, now = {}", show(now));
            let got = c.call(&input, || f(s, now))?;
            c.equal(&input, got, expected)?;
        }
        let cfg = CommitWaitConfig {
            transactions: 200,
            ..Default::default()
        };
        let input = format!(
            "a chain of {} transactions on {} nodes (sync error {} s, drift bound {} ppm, seed {seed})",
            cfg.transactions,
            cfg.nodes,
            fmt_num(cfg.truetime.sync_error_s),
            fmt_num(cfg.truetime.drift_bound_ppm)
        );
        let out = c
            .call(&input, || truetime::simulate(&cfg, f, seed))?
            .map_err(sim_failed)?;
        c.ensure(
            out.gave_up == 0,
            &input,
            "every transaction eventually commits",
            format!("{} gave up after {} s", out.gave_up, cfg.max_wait_s),
        )?;
        c.ensure(
            out.violations == 0,
            &input,
            "no transaction stamped at or below one acknowledged before it started",
            format!("{} such transactions", out.violations),
        )
        .map_err(|v| v.because("a transaction was acknowledged while its stamp could still lie in the future"))?;
        let (wait, eps) = (out.mean_wait(), out.mean_epsilon());
        c.ensure(
            wait <= 2.0 * eps * 1.05 + cfg.poll_s,
            &input,
            format!("a mean wait of about 2ε = {} s", fmt_num(2.0 * eps)),
            format!("a mean wait of {} s", fmt_num(wait)),
        )?;
        Ok(())
    });
}

/// Grades task 3 on pairs of events on two simulated nodes a few milliseconds apart, and on
/// edge cases; an answer that orders two events must be right about the true order.
pub fn grade_order(report: &mut Report, f: fn(TtInterval, TtInterval) -> Option<Ordering>, seed: u64) {
    report.task("order", HINT_ORDER, |c| {
        let mut rng = cases_rng(seed, 3);
        let i = |a, b| TtInterval { earliest: a, latest: b };
        // (a, b, true times if known)
        let mut cases = vec![
            (i(10.0, 10.004), i(10.006, 10.01), None),
            (i(10.006, 10.01), i(10.0, 10.004), None),
            (i(10.0, 10.005), i(10.005, 10.01), None),
            (i(10.0, 10.01), i(10.003, 10.006), None),
            (i(10.0, 10.006), i(10.004, 10.01), None),
        ];
        for k in 0..14 {
            let cfg = TrueTimeConfig::default();
            let osc = |ppm: f64| OscillatorConfig {
                offset_ppm: ppm,
                tempco_ppm_per_c2: 0.0,
                ..Default::default()
            };
            let mut a =
                TrueTime::new(cfg, osc(rng.random_range(-100.0..100.0)), seed ^ (2 * k + 1)).map_err(sim_failed)?;
            let mut b =
                TrueTime::new(cfg, osc(rng.random_range(-100.0..100.0)), seed ^ (2 * k + 2)).map_err(sim_failed)?;
            let ta = rng.random_range(0.0..120.0);
            let tb = ta + rng.random_range(-0.02..0.02);
            a.advance_to(ta).map_err(sim_failed)?;
            b.advance_to(tb).map_err(sim_failed)?;
            cases.push((a.now(), b.now(), Some((a.true_unix(), b.true_unix()))));
        }
        for (a, b, truth) in cases {
            let input = format!("a = {}, b = {}", show(a), show(b));
            let got = c.call(&input, || f(a, b))?;
            let expected = order(a, b);
            if got != expected {
                let mut v = Verdict::fail(&input, format!("{expected:?}"), format!("{got:?}"));
                if let (Some((ta, tb)), Some(o)) = (truth, got) {
                    if ta.total_cmp(&tb) != o {
                        v = v.because(format!(
                            "in truth a happened at {ta:.6} and b at {tb:.6}: you ordered them against real time"
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

/// Grades task 4 against write chains run through simulated replicas, with millisecond
/// timestamps so that ties happen.
pub fn grade_lost_writes(report: &mut Report, f: fn(&[f64]) -> usize, seed: u64) {
    report.task("lost_writes", HINT_LOST, |c| {
        let mut rng = cases_rng(seed, 4);
        let mut cases: Vec<(Vec<f64>, usize)> = vec![
            (vec![1.0, 2.0, 3.0], 0),
            (vec![1.0, 5.0, 2.0, 3.0, 6.0], 2),
            (vec![1.0, 1.0], 1),
            (vec![], 0),
            (vec![3.0, 2.0, 1.0], 2),
        ];
        for k in 0..10 {
            let cfg = LwwConfig {
                replicas: rng.random_range(2..=5),
                writes: rng.random_range(20..300),
                skew_s: rng.random_range(0.0..0.02),
                mean_gap_s: rng.random_range(0.0002..0.005),
                replication_delay_s: rng.random_range(0.0002..0.002),
                resolution_s: 1e-3,
            };
            let out = lww::simulate(&cfg, seed ^ (k + 1)).map_err(sim_failed)?;
            cases.push((out.writes.iter().map(|w| w.timestamp).collect(), out.lost));
        }
        for (ts, expected) in cases {
            let shown: Vec<String> = ts.iter().take(8).map(|t| format!("{t:.3}")).collect();
            let more = if ts.len() > 8 {
                format!(", … ({} in all)", ts.len())
            } else {
                String::new()
            };
            let input = format!("timestamps = [{}{more}]", shown.join(", "));
            let got = c.call(&input, || f(&ts))?;
            c.equal(&input, got, expected)?;
        }
        Ok(())
    });
}

impl Chapter for Timestamps {
    const NUMBER: u8 = 7;
    const TITLE: &'static str = "Ordering by timestamps";
    const FILE: &'static str = "exercises/07_timestamps.rs";
    const NOTEBOOK: &'static str = "notebooks/07-ordering-by-timestamps.ipynb";
    type Answers = Answers;
    type Args = TimestampArgs;

    fn grade(a: &Answers, seed: u64) -> Report {
        let mut report = Report::new(Self::NUMBER, Self::TITLE, seed);
        grade_uncertainty(&mut report, a.uncertainty, seed);
        grade_can_commit(&mut report, a.can_commit, seed);
        grade_order(&mut report, a.order, seed);
        grade_lost_writes(&mut report, a.lost_writes, seed);
        report
    }

    fn simulate(a: &Answers, args: &TimestampArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        let tt = TrueTimeConfig {
            drift_bound_ppm: args.drift_bound_ppm,
            sync_interval_s: args.sync_interval,
            ..Default::default()
        };
        let mut files = Vec::new();
        files.extend(lww_figure(args.writes as usize, a.lost_writes, seed)?.save(out, "lww-lost-writes")?);
        files.extend(misorder_figure(seed)?.save(out, "misordered-messages")?);
        files.extend(sawtooth_figure(tt, seed)?.save(out, "uncertainty-sawtooth")?);
        files.extend(commit_wait_figure(tt, seed)?.save(out, "commit-wait-cost")?);
        Ok(files)
    }

    fn wrong_answers() -> Vec<WrongAnswer<Answers>> {
        vec![
            WrongAnswer {
                task: "uncertainty",
                mistake: "forgot the sync error",
                apply: |a| {
                    a.uncertainty = |r, since, _, b| {
                        let e = b * 1e-6 * since;
                        TtInterval {
                            earliest: r - e,
                            latest: r + e,
                        }
                    }
                },
            },
            WrongAnswer {
                task: "uncertainty",
                mistake: "forgot the 10⁻⁶ of ppm",
                apply: |a| {
                    a.uncertainty = |r, since, err, b| {
                        let e = err + b * since;
                        TtInterval {
                            earliest: r - e,
                            latest: r + e,
                        }
                    }
                },
            },
            WrongAnswer {
                task: "uncertainty",
                mistake: "one-sided: [reading, reading + ε]",
                apply: |a| {
                    a.uncertainty = |r, since, err, b| TtInterval {
                        earliest: r,
                        latest: r + err + b * 1e-6 * since,
                    }
                },
            },
            WrongAnswer {
                task: "uncertainty",
                mistake: "total width ε instead of 2ε",
                apply: |a| {
                    a.uncertainty = |r, since, err, b| {
                        let e = (err + b * 1e-6 * since) / 2.0;
                        TtInterval {
                            earliest: r - e,
                            latest: r + e,
                        }
                    }
                },
            },
            WrongAnswer {
                task: "can_commit",
                mistake: "earliest ≥ stamp (>= for >)",
                apply: |a| a.can_commit = |s, now| now.earliest >= s,
            },
            WrongAnswer {
                task: "can_commit",
                mistake: "waits for latest instead of earliest",
                apply: |a| a.can_commit = |s, now| now.latest > s,
            },
            WrongAnswer {
                task: "can_commit",
                mistake: "no commit wait at all",
                apply: |a| a.can_commit = |_, _| true,
            },
            WrongAnswer {
                task: "can_commit",
                mistake: "waits an extra 2ε to be safe",
                apply: |a| a.can_commit = |s, now| now.earliest > s + now.width(),
            },
            WrongAnswer {
                task: "order",
                mistake: "touching intervals ordered (<= for <)",
                apply: |a| {
                    a.order = |x, y| {
                        if x.latest <= y.earliest {
                            Some(Ordering::Less)
                        } else if y.latest <= x.earliest {
                            Some(Ordering::Greater)
                        } else {
                            None
                        }
                    }
                },
            },
            WrongAnswer {
                task: "order",
                mistake: "compares the midpoints (always orders)",
                apply: |a| a.order = |x, y| (x.earliest + x.latest).partial_cmp(&(y.earliest + y.latest)),
            },
            WrongAnswer {
                task: "order",
                mistake: "compares the earliest ends only",
                apply: |a| a.order = |x, y| x.earliest.partial_cmp(&y.earliest),
            },
            WrongAnswer {
                task: "order",
                mistake: "Less and Greater swapped",
                apply: |a| a.order = |x, y| order(x, y).map(Ordering::reverse),
            },
            WrongAnswer {
                task: "lost_writes",
                mistake: "a tie keeps the newer write (< for <=)",
                apply: |a| {
                    a.lost_writes = |ts| {
                        let mut hi = f64::NEG_INFINITY;
                        let mut lost = 0;
                        for &t in ts {
                            if t >= hi {
                                hi = t;
                            } else {
                                lost += 1;
                            }
                        }
                        lost
                    }
                },
            },
            WrongAnswer {
                task: "lost_writes",
                mistake: "compares with the previous write only",
                apply: |a| a.lost_writes = |ts| ts.windows(2).filter(|w| w[1] <= w[0]).count(),
            },
            WrongAnswer {
                task: "lost_writes",
                mistake: "counts every out-of-order pair",
                apply: |a| a.lost_writes = |ts| (0..ts.len()).map(|j| (0..j).filter(|&i| ts[j] <= ts[i]).count()).sum(),
            },
        ]
    }
}

/// Percentage of writes lost against clock skew, µs and ms timestamps; the learner's
/// `lost_writes` beside the replicas' count when attempted.
pub fn lww_figure(writes: usize, lost: fn(&[f64]) -> usize, seed: u64) -> Result<Figure> {
    let skews_ms = [0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0];
    let mut fig = Figure::new(format!(
        "Last-write-wins: writes silently lost, {writes} writes, 3 replicas"
    ))
    .x_label("clock skew across replicas (ms)")
    .y_label("writes lost (%)");
    let mut yours = Vec::new();
    let mut attempted = true;
    for (name, resolution) in [("µs timestamps (replicas)", 1e-6), ("ms timestamps (replicas)", 1e-3)] {
        let mut pts = Vec::new();
        for &skew in &skews_ms {
            let cfg = LwwConfig {
                writes,
                skew_s: skew * 1e-3,
                resolution_s: resolution,
                ..Default::default()
            };
            let out = lww::simulate(&cfg, seed)?;
            pts.push((skew, 100.0 * out.lost as f64 / writes as f64));
            if resolution == 1e-3 && attempted {
                let ts: Vec<f64> = out.writes.iter().map(|w| w.timestamp).collect();
                match attempt(|| lost(&ts)) {
                    Ok(n) => yours.push((skew, 100.0 * n as f64 / writes as f64)),
                    Err(_) => attempted = false,
                }
            }
        }
        fig = fig.line(name, pts);
    }
    if attempted {
        fig = fig.points("your lost_writes (ms timestamps)", yours);
    }
    Ok(fig)
}

/// Fraction of messages whose timestamps put the receipt first, against skew, for three mean
/// delays: simulated points and the closed form.
pub fn misorder_figure(seed: u64) -> Result<Figure> {
    let mut fig = Figure::new("Send and receive ordered by wall-clock stamps: how often wrong")
        .x_label("clock skew across machines (ms)")
        .y_label("messages received 'before' they were sent (%)");
    for delay_ms in [0.1, 1.0, 10.0] {
        let mut sim = Vec::new();
        let mut theory = Vec::new();
        for k in 0..=20 {
            let skew_ms = k as f64 * 2.5;
            let cfg = MisorderConfig {
                skew_s: skew_ms * 1e-3,
                mean_delay_s: delay_ms * 1e-3,
                messages: 20_000,
            };
            sim.push((skew_ms, 100.0 * misordered_fraction(&misorder::simulate(&cfg, seed)?)));
            theory.push((skew_ms, 100.0 * misorder_probability(skew_ms * 1e-3, delay_ms * 1e-3)?));
        }
        fig = fig
            .points(format!("mean delay {delay_ms} ms (simulated)"), sim)
            .dashed(format!("mean delay {delay_ms} ms (theory)"), theory);
    }
    Ok(fig)
}

/// ε over three sync intervals for one node, with the clock's true offset inside ±ε.
pub fn sawtooth_figure(cfg: TrueTimeConfig, seed: u64) -> Result<Figure> {
    let osc = OscillatorConfig {
        offset_ppm: cfg.drift_bound_ppm * 0.5,
        tempco_ppm_per_c2: 0.0,
        ..Default::default()
    };
    let mut tt = TrueTime::new(cfg, osc, seed)?;
    let end = 3.0 * cfg.sync_interval_s;
    let (mut up, mut down, mut offset) = (Vec::new(), Vec::new(), Vec::new());
    for k in 0..=600 {
        let t = end * k as f64 / 600.0;
        tt.advance_to(t)?;
        let e = tt.epsilon() * 1e3;
        up.push((t, e));
        down.push((t, -e));
        offset.push((t, tt.offset() * 1e3));
    }
    Ok(Figure::new(format!(
        "Uncertainty sawtooth: sync every {} s to ±{} ms, drift bound {} ppm",
        fmt_num(cfg.sync_interval_s),
        fmt_num(cfg.sync_error_s * 1e3),
        fmt_num(cfg.drift_bound_ppm)
    ))
    .x_label("true time (s)")
    .y_label("milliseconds")
    .line("+ε", up)
    .line("−ε", down)
    .line("clock − true time (a crystal at half the bound)", offset))
}

/// Mean commit wait against mean ε as the sync error grows, with the 2ε line; the title gives
/// the real-time-order violations with and without commit wait.
pub fn commit_wait_figure(tt: TrueTimeConfig, seed: u64) -> Result<Figure> {
    let mut pts = Vec::new();
    let mut theory = Vec::new();
    let (mut with, mut without) = (0, 0);
    for k in 0..8 {
        let cfg = CommitWaitConfig {
            truetime: TrueTimeConfig {
                sync_error_s: 0.0005 * (1 << k) as f64,
                ..tt
            },
            transactions: 300,
            ..Default::default()
        };
        let out = truetime::with_commit_wait(&cfg, seed)?;
        with += out.violations;
        without += truetime::simulate(&cfg, |_, _| true, seed)?.violations;
        let e = out.mean_epsilon() * 1e3;
        pts.push((e, out.mean_wait() * 1e3));
        theory.push((e, 2.0 * e));
    }
    Ok(Figure::new(format!(
        "Commit wait costs 2ε; transactions ordered against real time: {with} with it, {without} without"
    ))
    .x_label("mean uncertainty ε (ms)")
    .y_label("mean commit wait (ms)")
    .points("simulated", pts)
    .dashed("2ε", theory))
}

/// Grades answers with the default seed (what `cargo test` does).
pub fn grade(answers: &Answers) -> Report {
    Timestamps::grade(answers, DEFAULT_SEED)
}

/// `main` for `exercise-7` and `solution-7`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<Timestamps>(answers)
}

fn one_task(grader: impl FnOnce(&mut Report)) -> Report {
    let mut report = Report::new(Timestamps::NUMBER, Timestamps::TITLE, DEFAULT_SEED);
    grader(&mut report);
    report
}

/// Notebook check for task 1: grades one function and returns a report (never panics).
pub fn check_uncertainty(f: fn(f64, f64, f64, f64) -> TtInterval) -> Report {
    one_task(|r| grade_uncertainty(r, f, DEFAULT_SEED))
}
/// Notebook check for task 2.
pub fn check_can_commit(f: fn(f64, TtInterval) -> bool) -> Report {
    one_task(|r| grade_can_commit(r, f, DEFAULT_SEED))
}
/// Notebook check for task 3.
pub fn check_order(f: fn(TtInterval, TtInterval) -> Option<Ordering>) -> Report {
    one_task(|r| grade_order(r, f, DEFAULT_SEED))
}
/// Notebook check for task 4.
pub fn check_lost_writes(f: fn(&[f64]) -> usize) -> Report {
    one_task(|r| grade_lost_writes(r, f, DEFAULT_SEED))
}

/// The library's commit-wait rule, for comparison in the notebook.
pub fn reference_can_commit() -> fn(f64, TtInterval) -> bool {
    can_commit
}
