//! The NTP simulator, on the [world](crate::world): a client node on its own drifting clock
//! polls server nodes over links whose outbound and return delays differ, filters, selects and
//! disciplines its clock with [`Policies`] (the library's own, or a learner's), while the world
//! records the true times behind every timestamp.
//!
//! Every exchange and every poll is a client operation in the world's history; [`NtpOutcome`]
//! reads them back with the truth beside them: the true one-way delays (from the message
//! records), the client's true offset (its reading minus true time) and its clock's steps.
//!
//! ```
//! use faultline::ntp::sim::{NtpConfig, ServerConfig, run};
//! let servers = [ServerConfig::default(); 3];
//! let outcome = run(&NtpConfig::default(), &servers, 7).unwrap();
//! // Every sample's error is within its bound δ/2 (up to the 0.25 µs of f64 Unix seconds).
//! assert!(outcome.samples.iter().all(|s| s.error_s().abs() <= s.error_bound_s() + 1e-6));
//! ```

mod nodes;

use std::collections::HashMap;

use serde::Serialize;

use super::{Adjustment, Discipline, IntersectFn, Sample, Timestamps};
use crate::clock::{OscillatorConfig, Temperature};
use crate::error::{Error, Result, check};
use crate::sim::{DAY, Dist, Limits, Seconds};
use crate::world::{ClockConfig, LinkConfig, Outcome, World};
use nodes::{Client, Ntp, NtpOp, NtpRet, OneShot, Server};

/// Unix time at which simulated clocks start (2026-01-01T00:00:00Z).
pub const EPOCH_START: f64 = 1_767_225_600.0;

/// The network between the client and one server: a fixed delay each way plus random queueing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PathConfig {
    /// Fixed client→server delay, seconds (> 0).
    pub out_s: f64,
    /// Fixed server→client delay, seconds (> 0).
    pub back_s: f64,
    /// Mean extra queueing delay added independently to each direction (exponential),
    /// seconds; 0 for none.
    pub jitter_s: f64,
}

impl Default for PathConfig {
    /// 10 ms each way, no jitter: a symmetric path.
    fn default() -> Self {
        PathConfig {
            out_s: 0.010,
            back_s: 0.010,
            jitter_s: 0.0,
        }
    }
}

impl PathConfig {
    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        check::positive("out_s", self.out_s)?;
        check::positive("back_s", self.back_s)?;
        check::non_negative("jitter_s", self.jitter_s)?;
        Ok(())
    }

    /// The world link for one direction: fixed delay `fixed_s` plus exponential queueing.
    fn link(&self, fixed_s: f64) -> Result<LinkConfig> {
        let jitter_s = if self.jitter_s > 0.0 {
            Dist::exponential(self.jitter_s)?
        } else {
            Dist::constant(0.0)?
        };
        Ok(LinkConfig {
            jitter_s,
            ..LinkConfig::reliable(fixed_s, f64::MAX)?
        })
    }
}

/// One NTP server.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ServerConfig {
    /// The server's clock minus true time, seconds: 0 for an honest server, far off for a
    /// falseticker.
    pub offset_s: f64,
    /// Time between receiving a request and sending the reply, seconds (≥ 0).
    pub processing_s: f64,
    /// The path to it.
    pub path: PathConfig,
}

impl Default for ServerConfig {
    /// An honest server 10 ms away each way, answering in 0.1 ms.
    fn default() -> Self {
        ServerConfig {
            offset_s: 0.0,
            processing_s: 1e-4,
            path: PathConfig::default(),
        }
    }
}

impl ServerConfig {
    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        check::finite("offset_s", self.offset_s)?;
        check::non_negative("processing_s", self.processing_s)?;
        self.path.validate()
    }
}

/// The client and its schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NtpConfig {
    /// The client's crystal.
    pub oscillator: OscillatorConfig,
    /// The temperature around it.
    pub temperature: Temperature,
    /// Client wall clock minus true time at the start, seconds.
    pub initial_offset_s: f64,
    /// Seconds between polls; each poll asks every server once (> 0).
    pub poll_interval_s: f64,
    /// Samples the clock filter keeps per server (≥ 1; 1 means no filtering).
    pub filter_size: usize,
    /// How fast the client assumes its clock may drift, ppm (≥ 0): a sample's error bound
    /// grows by this much per second of age, as RFC 5905's dispersion does, and the filter
    /// ranks samples by that bound (with 0 it is plain least delay).
    pub frequency_tolerance_ppm: f64,
    /// How the client corrects its clock; `None` measures without correcting.
    pub discipline: Option<Discipline>,
    /// Simulated time, seconds (> 0).
    pub duration_s: f64,
}

impl Default for NtpConfig {
    /// A tuning fork 30 ppm fast in a room swinging ±5 °C, starting 0.5 s ahead; polls every
    /// 64 s, keeps 8 samples, allows for 50 ppm of drift, ntpd's discipline, one day.
    fn default() -> Self {
        NtpConfig {
            oscillator: OscillatorConfig {
                offset_ppm: 30.0,
                ..Default::default()
            },
            temperature: Temperature::Daily {
                mean_c: 25.0,
                swing_c: 5.0,
                warmest_at: 15.0 * 3600.0,
            },
            initial_offset_s: 0.5,
            poll_interval_s: 64.0,
            filter_size: 8,
            frequency_tolerance_ppm: 50.0,
            discipline: Some(Discipline::default()),
            duration_s: DAY,
        }
    }
}

impl NtpConfig {
    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        self.oscillator.validate()?;
        check::finite("initial_offset_s", self.initial_offset_s)?;
        check::positive("poll_interval_s", self.poll_interval_s)?;
        if self.filter_size == 0 {
            return Err(Error::invalid("filter_size", 0, "must be at least 1"));
        }
        check::non_negative("frequency_tolerance_ppm", self.frequency_tolerance_ppm)?;
        if let Some(d) = &self.discipline {
            d.validate()?;
        }
        check::positive("duration_s", self.duration_s)?;
        Ok(())
    }
}

/// One exchange as the simulator saw it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Exchange {
    /// True time the request left, seconds since the start.
    pub sent_at_s: Seconds,
    /// Which server (index into the servers given to [`run`]).
    pub server: usize,
    /// What the client learns.
    pub stamps: Timestamps,
    /// True outbound delay, seconds.
    pub out_s: f64,
    /// True return delay, seconds (from the server's send to the client's receive).
    pub back_s: f64,
    /// The truth θ estimates: the server's clock minus the client's, the client's offset taken
    /// as the mean of its values when the request left and when the reply arrived, seconds.
    pub true_offset_s: f64,
    /// Client clock minus true time when the request left, seconds.
    pub client_offset_at_t1_s: f64,
    /// Client clock minus true time when the reply arrived, seconds.
    pub client_offset_at_t4_s: f64,
}

impl Exchange {
    /// θ − true offset, seconds: (out − back)/2 in theory.
    pub fn error_s(&self) -> f64 {
        self.stamps.offset() - self.true_offset_s
    }

    /// δ/2, seconds: the bound on |θ − true offset| whatever the split of the round trip.
    pub fn error_bound_s(&self) -> f64 {
        self.stamps.error_bound()
    }

    /// The sample the clock filter sees.
    pub fn sample(&self) -> Sample {
        Sample {
            offset: self.stamps.offset(),
            delay: self.stamps.delay(),
        }
    }
}

/// What the client concluded after one poll (recorded in the world's history).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Polled {
    pub servers: Vec<usize>,
    pub filtered: Vec<Sample>,
    pub intervals: Vec<(f64, f64)>,
    pub truechimer: Vec<bool>,
    pub estimate: Option<f64>,
    pub adjustment: Option<Adjustment>,
}

/// One poll: what the client concluded and did, and the truth beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Poll {
    /// True time the client selected, seconds since the start.
    pub at_s: Seconds,
    /// Client clock minus true time at that moment, before any correction, seconds.
    pub true_client_offset_s: f64,
    /// The combined θ of the truechimers (server minus client), seconds, if a majority agreed.
    pub estimate_s: Option<f64>,
    /// The servers heard from so far, in order (every server, unless replies were late); the
    /// vectors below have one entry per server listed here.
    pub servers: Vec<usize>,
    /// Per server: the filtered sample used this poll, its offset brought up to date for the
    /// corrections made since it was taken and its delay widened by 2·φ·age.
    pub filtered: Vec<Sample>,
    /// Per server: the correctness interval `[θ − λ, θ + λ]` of that sample, where λ is δ/2
    /// plus φ (the frequency tolerance) times the sample's age.
    pub intervals: Vec<(f64, f64)>,
    /// Per server: whether the selection kept it.
    pub truechimer: Vec<bool>,
    /// What the discipline did, if anything.
    pub adjustment: Option<Adjustment>,
}

/// Everything a run recorded, read off the world's ground truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NtpOutcome {
    /// Every completed exchange, in the order the requests left.
    pub samples: Vec<Exchange>,
    /// Every poll, in order.
    pub polls: Vec<Poll>,
    /// Steps of the client's wall clock: (true time, delta), seconds.
    pub steps: Vec<(Seconds, f64)>,
}

/// The client's three decisions, run inside the simulator after every poll. [`run`] uses the
/// library's own; pass a learner's functions to [`run_with`] to watch them at work.
#[derive(Debug, Clone, Copy)]
pub struct Policies {
    /// Of a server's recent samples (oldest first, never empty), the one to trust.
    pub clock_filter: fn(window: &[Sample]) -> Sample,
    /// Where a majority of the correctness intervals agree, `(low, high)`, if anywhere.
    pub intersect: IntersectFn,
    /// Step or slew, given θ, the step threshold (s) and the fastest slew (ppm).
    pub discipline: fn(theta: f64, step_threshold_s: f64, max_slew_ppm: f64) -> Adjustment,
}

impl Policies {
    /// The library's reference policies (crate-private: they are the answers).
    pub(crate) fn reference() -> Self {
        Policies {
            clock_filter: |w| super::clock_filter(w).expect("the client never filters an empty window"),
            intersect: |iv| super::intersect(iv).map(|i| (i.low, i.high)),
            discipline: |theta, step_threshold_s, max_slew_ppm| {
                Discipline {
                    step_threshold_s,
                    max_slew_ppm,
                }
                .decide(theta)
                .unwrap_or(Adjustment::Step { by_s: 0.0 })
            },
        }
    }
}

/// A client clock for [`exchange`]: a crystal `ppm` fast (no temperature effect, no noise)
/// whose wall clock starts `offset_s` ahead of true time.
pub fn client_clock(ppm: f64, offset_s: f64) -> ClockConfig {
    ClockConfig::drifting(ppm).with_wall_at_start(EPOCH_START + offset_s)
}

/// The world's clock for a client with this crystal, temperature and initial offset.
fn client_clock_config(oscillator: OscillatorConfig, temperature: Temperature, offset_s: f64) -> ClockConfig {
    ClockConfig {
        oscillator,
        temperature,
        ..ClockConfig::default()
    }
    .with_wall_at_start(EPOCH_START + offset_s)
}

/// The world's clock for a server `offset_s` off true time: perfect otherwise.
fn server_clock(offset_s: f64) -> ClockConfig {
    ClockConfig::perfect().with_wall_at_start(EPOCH_START + offset_s)
}

/// Runs one exchange in a world of its own: the client on `clock` sends its request when its
/// monotonic clock has advanced `after_s` seconds; the request takes `out_s` to reach
/// `server`, the reply `back_s` to come back (both exact: the server's path settings are not
/// used). `seed` drives the client's oscillator noise, if it has any.
pub fn exchange(
    clock: ClockConfig,
    after_s: f64,
    server: &ServerConfig,
    out_s: f64,
    back_s: f64,
    seed: u64,
) -> Result<Exchange> {
    check::non_negative("after_s", after_s)?;
    check::non_negative("out_s", out_s)?;
    check::non_negative("back_s", back_s)?;
    server.validate()?;
    let mut world = World::<Ntp>::new(seed);
    world.add_node_with_clock(OneShot { after_s, pending: None }, clock);
    world.add_node_with_clock(
        Server {
            processing_s: server.processing_s,
        },
        server_clock(server.offset_s),
    );
    world.set_link_between(0, 1, LinkConfig::reliable(out_s, f64::MAX)?)?;
    world.set_link_between(1, 0, LinkConfig::reliable(back_s, f64::MAX)?)?;
    let out = finished(world.run(Limits::default())?)?;
    exchanges(&out, std::slice::from_ref(server))
        .pop()
        .ok_or_else(|| Error::invalid("exchange", "no reply", "the reply never arrived"))
}

/// Runs the client against `servers` for `cfg.duration_s` with the library's own policies.
/// The seed drives the client's oscillator noise and each path's queueing.
pub fn run(cfg: &NtpConfig, servers: &[ServerConfig], seed: u64) -> Result<NtpOutcome> {
    run_with(cfg, servers, &Policies::reference(), seed)
}

/// [`run`] with the client's filter, intersection and discipline given by `policies`. A policy
/// that panics, or a discipline that returns an impossible adjustment, ends the run with an
/// error that names it.
pub fn run_with(cfg: &NtpConfig, servers: &[ServerConfig], policies: &Policies, seed: u64) -> Result<NtpOutcome> {
    cfg.validate()?;
    if servers.is_empty() {
        return Err(Error::invalid("servers", 0, "at least one server is needed"));
    }
    for s in servers {
        s.validate()?;
    }
    let polls = (cfg.duration_s / cfg.poll_interval_s).ceil() as u64;
    let mut world = World::<Ntp>::new(seed);
    world.add_node_with_clock(
        Client::new(
            servers.len(),
            cfg.poll_interval_s,
            polls,
            cfg.filter_size,
            cfg.frequency_tolerance_ppm,
            cfg.discipline,
            *policies,
        ),
        client_clock_config(cfg.oscillator, cfg.temperature, cfg.initial_offset_s),
    );
    for (i, s) in servers.iter().enumerate() {
        let id = world.add_node_with_clock(
            Server {
                processing_s: s.processing_s,
            },
            server_clock(s.offset_s),
        );
        debug_assert_eq!(id, 1 + i);
        world.set_link_between(0, id, s.path.link(s.path.out_s)?)?;
        world.set_link_between(id, 0, s.path.link(s.path.back_s)?)?;
    }
    let out = finished(world.run(Limits::default())?)?;
    let polls = out
        .history
        .iter()
        .filter_map(|op| match (&op.op, &op.ret) {
            (NtpOp::Poll, Some(NtpRet::Polled(p))) => Some(Poll {
                at_s: op.invoked_at_s,
                true_client_offset_s: offset_now(op.invoked_local.wall, op.invoked_at_s),
                estimate_s: p.estimate,
                servers: p.servers.clone(),
                filtered: p.filtered.clone(),
                intervals: p.intervals.clone(),
                truechimer: p.truechimer.clone(),
                adjustment: p.adjustment,
            }),
            _ => None,
        })
        .collect();
    Ok(NtpOutcome {
        samples: exchanges(&out, servers),
        polls,
        steps: out.clocks[0].steps().to_vec(),
    })
}

/// The run's outcome, or the error of the node that failed.
fn finished(out: Outcome<Ntp>) -> Result<Outcome<Ntp>> {
    match &out.failure {
        Some(f) => Err(Error::invalid("ntp run", f, "a node failed")),
        None => Ok(out),
    }
}

/// A clock's offset from its reading `wall` at true time `at_s`. The subtraction of two Unix
/// times is exact (they are within a factor of two), so this carries only the reading's own
/// rounding (about 0.1 µs).
fn offset_now(wall: f64, at_s: Seconds) -> f64 {
    (wall - EPOCH_START) - at_s
}

/// Every completed exchange of a run, with its true delays from the world's message records.
fn exchanges(out: &Outcome<Ntp>, servers: &[ServerConfig]) -> Vec<Exchange> {
    // Requests by (server node, true send time); replies by (server node, true arrival time):
    // the history's invocation and completion times are the same f64s as the records'.
    let mut sent = HashMap::new();
    let mut arrived = HashMap::new();
    for m in &out.messages {
        if let Some(at) = m.delivered_at_s() {
            if m.from == 0 {
                sent.insert((m.to, m.sent_at_s.to_bits()), at - m.sent_at_s);
            } else if m.to == 0 {
                arrived.insert((m.from, at.to_bits()), at - m.sent_at_s);
            }
        }
    }
    out.history
        .iter()
        .filter_map(|op| {
            let (NtpOp::Exchange { server }, Some(NtpRet::Stamps(stamps)), Some(done)) =
                (op.op, &op.ret, op.completed_at_s)
            else {
                return None;
            };
            let node = 1 + server;
            let out_s = *sent.get(&(node, op.invoked_at_s.to_bits()))?;
            let back_s = *arrived.get(&(node, done.to_bits()))?;
            let c1 = offset_now(stamps.t1, op.invoked_at_s);
            let c4 = offset_now(stamps.t4, done);
            Some(Exchange {
                sent_at_s: op.invoked_at_s,
                server,
                stamps: *stamps,
                out_s,
                back_s,
                true_offset_s: servers[server].offset_s - (c1 + c4) / 2.0,
                client_offset_at_t1_s: c1,
                client_offset_at_t4_s: c4,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng;
    use rand::Rng;

    /// f64 Unix seconds near 1.77·10⁹ resolve 2⁻²² s ≈ 0.24 µs; four timestamps are each
    /// rounded once, so θ and δ carry at most about 0.5 µs of rounding.
    const ROUNDING: f64 = 1e-6;

    #[test]
    fn every_sample_is_within_half_its_delay_and_asymmetry_costs_half() {
        // 500 random exchanges: outbound and return delays 1 ms–500 ms, clock up to ±200 ppm
        // and ±10 s off. Theory: error = (out − back)/2 exactly, and |error| ≤ δ/2.
        let mut r = rng(3);
        for k in 0..500 {
            let clock = client_clock(r.random_range(-200.0..200.0), r.random_range(-10.0..10.0));
            let server = ServerConfig {
                offset_s: if k % 3 == 0 { r.random_range(-1.0..1.0) } else { 0.0 },
                processing_s: r.random_range(0.0..0.01),
                path: PathConfig::default(),
            };
            let (out, back) = (r.random_range(0.001..0.5), r.random_range(0.001..0.5));
            let x = exchange(clock, r.random_range(0.0..DAY), &server, out, back, k).unwrap();
            assert!((x.out_s - out).abs() < 1e-9 && (x.back_s - back).abs() < 1e-9);
            assert!(
                x.error_s().abs() <= x.error_bound_s() + ROUNDING,
                "case {k}: error {} > δ/2 = {}",
                x.error_s(),
                x.error_bound_s()
            );
            assert!(
                (x.error_s() - (out - back) / 2.0).abs() <= ROUNDING,
                "case {k}: error {} vs (out − back)/2 = {}",
                x.error_s(),
                (out - back) / 2.0
            );
            let drift = x.client_offset_at_t4_s - x.client_offset_at_t1_s;
            assert!((x.stamps.delay() - (out + back + drift)).abs() <= ROUNDING);
        }
    }

    #[test]
    fn symmetric_paths_give_no_error() {
        let x = exchange(client_clock(50.0, 2.0), 3600.0, &ServerConfig::default(), 0.03, 0.03, 1).unwrap();
        assert!(x.error_s().abs() <= ROUNDING, "{}", x.error_s());
        // The clock is 2 s plus 50 ppm of an hour ahead: θ is minus that.
        assert!(
            (x.stamps.offset() + 2.0 + 50e-6 * 3600.0).abs() <= 1e-4,
            "{}",
            x.stamps.offset()
        );
    }

    #[test]
    fn the_filter_cuts_the_error_under_jitter() {
        // A clock that does not drift, so old samples stay true: filtering over 8 samples
        // should at least halve the mean absolute error of the estimates (jitter 20 ms mean
        // each way, 1 ms base).
        let path = PathConfig {
            out_s: 0.001,
            back_s: 0.001,
            jitter_s: 0.020,
        };
        let servers = [ServerConfig {
            path,
            ..Default::default()
        }];
        let mean_err = |filter_size| {
            let cfg = NtpConfig {
                oscillator: OscillatorConfig {
                    tempco_ppm_per_c2: 0.0,
                    ..Default::default()
                },
                frequency_tolerance_ppm: 0.0,
                filter_size,
                discipline: None,
                initial_offset_s: 0.0,
                duration_s: 6.0 * 3600.0,
                ..Default::default()
            };
            let t = run(&cfg, &servers, 11).unwrap();
            t.polls
                .iter()
                .map(|p| (p.estimate_s.unwrap() + p.true_client_offset_s).abs())
                .sum::<f64>()
                / t.polls.len() as f64
        };
        let (raw, filtered) = (mean_err(1), mean_err(8));
        assert!(filtered < 0.5 * raw, "filtered {filtered} vs raw {raw}");
    }

    #[test]
    fn a_falseticker_is_voted_out_and_the_discipline_holds_the_clock() {
        let mut servers = [ServerConfig::default(); 4];
        servers[2].offset_s = 0.4;
        servers[1].path.back_s = 0.004; // honest but asymmetric: error 3 ms
        let t = run(&NtpConfig::default(), &servers, 5).unwrap();
        assert_eq!(t.polls.len(), 1350, "a day of 64 s polls");
        for p in &t.polls {
            assert_eq!(p.truechimer, [true, true, false, true], "at {}", p.at_s);
            // Every honest interval holds the truth: δ/2 covers the asymmetry and φ·age (50 ppm)
            // covers the drift since the sample (at most 30 + 0.85 ppm here).
            for i in [0, 1, 3] {
                let (lo, hi) = p.intervals[i];
                let truth = -p.true_client_offset_s;
                assert!(
                    lo <= truth && truth <= hi,
                    "at {}: server {i} {lo}..{hi} misses {truth}",
                    p.at_s
                );
            }
        }
        // Stepped once (0.5 s ahead > 128 ms); then slews keep the clock within 10 ms: 30 ppm
        // plus ±0.85 ppm of temperature over 64 s is ~2 ms of drift per poll, and the
        // asymmetric path adds (10 − 4)/2 = 3 ms to one server of three.
        assert_eq!(t.steps.len(), 1, "{:?}", t.steps);
        assert!((t.steps[0].1 + 0.5).abs() < 0.01, "{:?}", t.steps);
        let worst = t.polls[2..]
            .iter()
            .map(|p| p.true_client_offset_s.abs())
            .fold(0.0, f64::max);
        assert!(worst < 0.010, "worst offset after settling {worst}");
    }

    #[test]
    fn the_learners_policies_run_inside_and_a_todo_ends_the_run_with_a_named_error() {
        let servers = [ServerConfig::default(); 3];
        let cfg = NtpConfig {
            duration_s: 3600.0,
            ..Default::default()
        };
        // Trusting the newest sample and never adjusting the clock: the clock drifts away.
        let lazy = Policies {
            clock_filter: |w| *w.last().unwrap(),
            discipline: |_, _, _| Adjustment::Slew {
                rate_ppm: 0.0,
                duration_s: 0.0,
            },
            ..Policies::reference()
        };
        let t = run_with(&cfg, &servers, &lazy, 2).unwrap();
        let last = t.polls.last().unwrap();
        assert!(last.true_client_offset_s > 0.5, "{}", last.true_client_offset_s);
        let unfinished = Policies {
            intersect: |_| todo!(),
            ..Policies::reference()
        };
        let err = run_with(&cfg, &servers, &unfinished, 2).unwrap_err().to_string();
        assert!(err.contains("intersect: not attempted"), "{err}");
        let too_fast = Policies {
            discipline: |theta, _, _| Adjustment::Slew {
                rate_ppm: 1e4,
                duration_s: theta.abs() / 1e-2,
            },
            ..Policies::reference()
        };
        let err = run_with(&cfg, &servers, &too_fast, 2).unwrap_err().to_string();
        assert!(err.contains("faster than the maximum slew rate"), "{err}");
    }

    #[test]
    fn a_slew_moves_the_clock_by_rate_times_duration() {
        // Measuring only after a slew of −500 ppm for 100 s on a perfect clock 50 ms ahead:
        // the reference discipline with a 1 s threshold slews 50 ms away in 100 s.
        let cfg = NtpConfig {
            oscillator: OscillatorConfig {
                offset_ppm: 0.0,
                tempco_ppm_per_c2: 0.0,
                ..Default::default()
            },
            temperature: Temperature::Constant(25.0),
            initial_offset_s: 0.05,
            poll_interval_s: 1000.0,
            discipline: Some(Discipline::new(1.0, 500.0).unwrap()),
            duration_s: 2000.0,
            ..Default::default()
        };
        let t = run(&cfg, &[ServerConfig::default()], 1).unwrap();
        assert_eq!(t.polls.len(), 2);
        assert!(
            matches!(t.polls[0].adjustment, Some(Adjustment::Slew { rate_ppm, .. }) if rate_ppm == -500.0),
            "{:?}",
            t.polls[0].adjustment
        );
        assert!(
            t.polls[1].true_client_offset_s.abs() < 1e-6,
            "{}",
            t.polls[1].true_client_offset_s
        );
        assert!(t.steps.is_empty());
    }

    #[test]
    fn bad_configs_are_errors() {
        let bad_path = ServerConfig {
            path: PathConfig {
                out_s: -0.01,
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(run(&NtpConfig::default(), &[bad_path], 1).is_err());
        assert!(run(&NtpConfig::default(), &[], 1).is_err());
        let cfg = NtpConfig {
            filter_size: 0,
            ..Default::default()
        };
        assert!(run(&cfg, &[ServerConfig::default()], 1).is_err());
        assert!(Discipline::new(f64::NAN, 1.0).is_err());
        assert!(exchange(client_clock(0.0, 0.0), -1.0, &ServerConfig::default(), 0.01, 0.01, 1).is_err());
    }
}
