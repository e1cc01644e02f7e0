//! The NTP simulator: a client on a drifting [`Clock`] polls servers over paths whose outbound
//! and return delays differ, filters, selects, and disciplines its clock, while the simulator
//! records the true offset behind every estimate.
//!
//! ```
//! use faultline::ntp::sim::{NtpConfig, PathConfig, ServerConfig, run};
//! let servers = [ServerConfig::default(); 3];
//! let trace = run(&NtpConfig::default(), &servers, 7).unwrap();
//! // Every sample's error is within its bound δ/2 (up to the 0.25 µs of f64 Unix seconds).
//! assert!(trace.samples.iter().all(|s| s.error().abs() <= s.stamps.error_bound() + 1e-6));
//! ```

use rand::Rng;
use rand_distr::{Distribution, Exp};
use serde::Serialize;

use super::{Adjustment, Discipline, Sample, Timestamps, clock_filter, intersect};
use crate::clock::{Clock, OscillatorConfig, Temperature};
use crate::error::{Error, Result, check};
use crate::sim::{DAY, Seconds, SimRng, stream};

/// Unix time at which simulated clocks start (2026-01-01T00:00:00Z).
pub const EPOCH_START: f64 = 1_767_225_600.0;

/// A client's wall clock under an NTP discipline: a [`Clock`] that can also be slewed (run
/// slightly fast or slow for a while) as well as stepped.
#[derive(Debug, Clone)]
pub struct DisciplinedClock {
    clock: Clock,
    /// Seconds added by slewing so far.
    slewed: f64,
    /// Seconds added by steps applied through [`DisciplinedClock::apply`].
    stepped: f64,
    /// Current slew rate, seconds per second, and the true time it ends.
    slew_rate: f64,
    slew_until: Seconds,
}

impl DisciplinedClock {
    /// Wraps `clock`.
    pub fn new(clock: Clock) -> Self {
        DisciplinedClock {
            clock,
            slewed: 0.0,
            stepped: 0.0,
            slew_rate: 0.0,
            slew_until: 0.0,
        }
    }

    /// A clock on `osc` at `temperature`, starting `initial_offset_s` from true time.
    pub fn with_offset(
        osc: OscillatorConfig,
        temperature: Temperature,
        initial_offset_s: f64,
        seed: u64,
    ) -> Result<Self> {
        check::finite("initial_offset_s", initial_offset_s)?;
        let mut clock = Clock::new(osc, temperature, EPOCH_START, seed)?;
        if initial_offset_s != 0.0 {
            clock.step_wall(initial_offset_s);
        }
        Ok(DisciplinedClock::new(clock))
    }

    /// Advances to true time `t` (not earlier than now), applying any slew in progress.
    pub fn advance_to(&mut self, t: Seconds) -> Result<()> {
        let now = self.clock.true_time();
        self.clock.advance_to(t)?;
        let slewing_until = t.min(self.slew_until);
        if slewing_until > now {
            self.slewed += self.slew_rate * (slewing_until - now);
        }
        Ok(())
    }

    /// True time now, seconds since the start.
    pub fn true_time(&self) -> Seconds {
        self.clock.true_time()
    }

    /// The wall clock's reading, Unix seconds.
    pub fn wall(&self) -> f64 {
        self.clock.read().wall + self.slewed
    }

    /// Wall clock minus true time, seconds (positive: ahead).
    pub fn offset(&self) -> f64 {
        self.clock.offset() + self.slewed
    }

    /// Applies an adjustment now. A step cancels any slew in progress; a slew replaces it.
    pub fn apply(&mut self, adj: Adjustment) -> Result<()> {
        match adj {
            Adjustment::Step { by_s } => {
                check::finite("step", by_s)?;
                self.slew_rate = 0.0;
                self.stepped += by_s;
                self.clock.step_wall(by_s);
            }
            Adjustment::Slew { rate_ppm, duration_s } => {
                check::finite("rate_ppm", rate_ppm)?;
                check::non_negative("duration_s", duration_s)?;
                self.slew_rate = rate_ppm * 1e-6;
                self.slew_until = self.true_time() + duration_s;
            }
        }
        Ok(())
    }

    /// Seconds the discipline has moved the clock so far, steps and slews together. A sample
    /// taken when this was `c` is brought up to date by subtracting `correction() − c`.
    pub fn correction(&self) -> f64 {
        self.stepped + self.slewed
    }

    /// Every step so far: (true time, delta), including the initial offset if any.
    pub fn steps(&self) -> &[(Seconds, f64)] {
        self.clock.steps()
    }
}

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

    /// Draws one exchange's (outbound, return) delays, seconds.
    pub fn sample(&self, rng: &mut SimRng) -> (f64, f64) {
        let mut q = || match Exp::new(1.0 / self.jitter_s) {
            Ok(e) if self.jitter_s > 0.0 => e.sample(rng),
            _ => 0.0,
        };
        let out = self.out_s + q();
        (out, self.back_s + q())
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
    pub at: Seconds,
    /// Which server (index into the servers given to [`run`]).
    pub server: usize,
    /// What the client learns.
    pub stamps: Timestamps,
    /// True outbound delay, seconds.
    pub out_s: f64,
    /// True return delay, seconds.
    pub back_s: f64,
    /// The truth θ estimates: the server's clock minus the client's, the client's offset taken
    /// as the mean of its values when the request left and when the reply arrived.
    pub true_offset: f64,
    /// Client clock offset (minus true time) when the request left, seconds.
    pub client_offset_at_t1: f64,
    /// Client clock offset when the reply arrived, seconds.
    pub client_offset_at_t4: f64,
}

impl Exchange {
    /// θ − true offset, seconds: (out − back)/2 in theory.
    pub fn error(&self) -> f64 {
        self.stamps.offset() - self.true_offset
    }

    /// The sample the clock filter sees.
    pub fn sample(&self) -> Sample {
        Sample {
            offset: self.stamps.offset(),
            delay: self.stamps.delay(),
        }
    }
}

/// Runs one exchange now with the given one-way delays, advancing the clock past it.
pub fn exchange(
    clock: &mut DisciplinedClock,
    server_index: usize,
    server: &ServerConfig,
    out_s: f64,
    back_s: f64,
) -> Result<Exchange> {
    check::non_negative("out_s", out_s)?;
    check::non_negative("back_s", back_s)?;
    let at = clock.true_time();
    let t1 = clock.wall();
    let c1 = clock.offset();
    let server_wall = |t: Seconds| EPOCH_START + t + server.offset_s;
    let t2 = server_wall(at + out_s);
    let t3 = server_wall(at + out_s + server.processing_s);
    clock.advance_to(at + out_s + server.processing_s + back_s)?;
    let t4 = clock.wall();
    let c4 = clock.offset();
    Ok(Exchange {
        at,
        server: server_index,
        stamps: Timestamps { t1, t2, t3, t4 },
        out_s,
        back_s,
        true_offset: server.offset_s - (c1 + c4) / 2.0,
        client_offset_at_t1: c1,
        client_offset_at_t4: c4,
    })
}

/// One poll: what the client concluded and did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Poll {
    /// True time at the end of the poll, seconds since the start.
    pub at: Seconds,
    /// Client clock minus true time at that moment, before any correction, seconds.
    pub true_client_offset: f64,
    /// The combined θ of the truechimers (server minus client), if a majority agreed.
    pub estimate: Option<f64>,
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

/// Everything a run recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trace {
    /// Every exchange, in order.
    pub samples: Vec<Exchange>,
    /// Every poll, in order.
    pub polls: Vec<Poll>,
    /// Steps of the wall clock: (true time, delta), the initial offset included.
    pub steps: Vec<(Seconds, f64)>,
}

/// Runs the client against `servers` for `cfg.duration_s`. The seed drives the client's
/// oscillator noise and each path's queueing, on separate streams.
pub fn run(cfg: &NtpConfig, servers: &[ServerConfig], seed: u64) -> Result<Trace> {
    cfg.validate()?;
    if servers.is_empty() {
        return Err(Error::invalid("servers", 0, "at least one server is needed"));
    }
    for s in servers {
        s.validate()?;
    }
    let mut clock = DisciplinedClock::with_offset(
        cfg.oscillator,
        cfg.temperature,
        cfg.initial_offset_s,
        stream(seed, 0).random(),
    )?;
    let mut paths: Vec<SimRng> = (0..servers.len()).map(|i| stream(seed, 1 + i as u64)).collect();
    // Per server: (sample, clock correction when taken, local time when taken).
    let mut windows: Vec<Vec<(Sample, f64, f64)>> = vec![Vec::new(); servers.len()];
    let mut trace = Trace {
        samples: Vec::new(),
        polls: Vec::new(),
        steps: Vec::new(),
    };
    let tolerance = cfg.frequency_tolerance_ppm * 1e-6;
    let mut next = 0.0;
    while next < cfg.duration_s {
        clock.advance_to(next)?;
        for (i, server) in servers.iter().enumerate() {
            let (out, back) = server.path.sample(&mut paths[i]);
            let x = exchange(&mut clock, i, server, out, back)?;
            let w = &mut windows[i];
            w.push((x.sample(), clock.correction(), x.stamps.t4));
            if w.len() > cfg.filter_size {
                w.remove(0);
            }
            trace.samples.push(x);
        }
        let (now_local, correction) = (clock.wall(), clock.correction());
        let mut filtered = Vec::with_capacity(servers.len());
        let mut intervals = Vec::with_capacity(servers.len());
        for w in &windows {
            // Each sample brought up to date: its offset corrected for what the discipline did
            // since, its "delay" widened by the drift it may have missed (2·φ·age, so that
            // half of it is the error bound λ = δ/2 + φ·age). The filter then trusts the least.
            let fresh: Vec<Sample> = w
                .iter()
                .map(|(s, c, at)| Sample {
                    offset: s.offset - (correction - c),
                    delay: s.delay + 2.0 * tolerance * (now_local - at).max(0.0),
                })
                .collect();
            let best = clock_filter(&fresh).expect("one sample per poll");
            let lambda = best.delay / 2.0;
            filtered.push(best);
            intervals.push((best.offset - lambda, best.offset + lambda));
        }
        let selection = intersect(&intervals);
        let truechimer: Vec<bool> = intervals
            .iter()
            .map(|&iv| selection.is_some_and(|sel| sel.is_truechimer(iv)))
            .collect();
        let chosen: Vec<f64> = filtered
            .iter()
            .zip(&truechimer)
            .filter(|(_, keep)| **keep)
            .map(|(s, _)| s.offset)
            .collect();
        let estimate = (!chosen.is_empty()).then(|| chosen.iter().sum::<f64>() / chosen.len() as f64);
        let true_client_offset = clock.offset();
        let adjustment = match (estimate, &cfg.discipline) {
            (Some(theta), Some(d)) => {
                let adj = d.decide(theta)?;
                clock.apply(adj)?;
                Some(adj)
            }
            _ => None,
        };
        trace.polls.push(Poll {
            at: clock.true_time(),
            true_client_offset,
            estimate,
            filtered,
            intervals,
            truechimer,
            adjustment,
        });
        next += cfg.poll_interval_s;
    }
    trace.steps = clock.steps().to_vec();
    Ok(trace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng;

    /// f64 Unix seconds near 1.77·10⁹ resolve 2⁻²² s ≈ 0.24 µs; four timestamps are each
    /// rounded once, so θ and δ carry at most about 0.5 µs of rounding.
    const ROUNDING: f64 = 1e-6;

    fn clock(ppm: f64, offset: f64) -> DisciplinedClock {
        let osc = OscillatorConfig {
            offset_ppm: ppm,
            tempco_ppm_per_c2: 0.0,
            ..Default::default()
        };
        DisciplinedClock::with_offset(osc, Temperature::Constant(25.0), offset, 1).unwrap()
    }

    #[test]
    fn every_sample_is_within_half_its_delay_and_asymmetry_costs_half() {
        // 2000 random exchanges: outbound and return delays 1 ms–500 ms, clock up to ±200 ppm
        // and ±10 s off. Theory: error = (out − back)/2 exactly, and |error| ≤ δ/2.
        let mut r = rng(3);
        for k in 0..2000 {
            let mut c = clock(r.random_range(-200.0..200.0), r.random_range(-10.0..10.0));
            c.advance_to(r.random_range(0.0..DAY)).unwrap();
            let server = ServerConfig {
                offset_s: if k % 3 == 0 { r.random_range(-1.0..1.0) } else { 0.0 },
                processing_s: r.random_range(0.0..0.01),
                path: PathConfig::default(),
            };
            let (out, back) = (r.random_range(0.001..0.5), r.random_range(0.001..0.5));
            let x = exchange(&mut c, 0, &server, out, back).unwrap();
            assert!(
                x.error().abs() <= x.stamps.error_bound() + ROUNDING,
                "case {k}: error {} > δ/2 = {}",
                x.error(),
                x.stamps.error_bound()
            );
            assert!(
                (x.error() - (out - back) / 2.0).abs() <= ROUNDING,
                "case {k}: error {} vs (out − back)/2 = {}",
                x.error(),
                (out - back) / 2.0
            );
            let drift = x.client_offset_at_t4 - x.client_offset_at_t1;
            assert!((x.stamps.delay() - (out + back + drift)).abs() <= ROUNDING);
        }
    }

    #[test]
    fn symmetric_paths_give_no_error() {
        let mut c = clock(50.0, 2.0);
        let x = exchange(&mut c, 0, &ServerConfig::default(), 0.03, 0.03).unwrap();
        assert!(x.error().abs() <= ROUNDING, "{}", x.error());
        assert!((x.stamps.offset() + 2.0).abs() <= ROUNDING + 50e-6 * 0.06);
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
                .map(|p| (p.estimate.unwrap() + p.true_client_offset).abs())
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
        for p in &t.polls {
            assert_eq!(p.truechimer, [true, true, false, true], "at {}", p.at);
            // Every honest interval holds the truth: δ/2 covers the asymmetry and φ·age (50 ppm)
            // covers the drift since the sample (at most 30 + 0.85 ppm here).
            for i in [0, 1, 3] {
                let (lo, hi) = p.intervals[i];
                let truth = -p.true_client_offset;
                assert!(
                    lo <= truth && truth <= hi,
                    "at {}: server {i} {lo}..{hi} misses {truth}",
                    p.at
                );
            }
        }
        // Stepped once (0.5 s ahead > 128 ms), besides the initial offset; then slews keep
        // the clock within 10 ms: 30 ppm plus ±0.85 ppm of temperature over 64 s is ~2 ms of
        // drift per poll, and the asymmetric path adds (10 − 4)/2 = 3 ms to one server of three.
        assert_eq!(t.steps.len(), 2, "{:?}", t.steps);
        let worst = t.polls[2..]
            .iter()
            .map(|p| p.true_client_offset.abs())
            .fold(0.0, f64::max);
        assert!(worst < 0.010, "worst offset after settling {worst}");
    }

    #[test]
    fn slew_moves_the_clock_by_rate_times_duration() {
        let mut c = clock(0.0, 0.05);
        c.apply(Adjustment::Slew {
            rate_ppm: -500.0,
            duration_s: 100.0,
        })
        .unwrap();
        c.advance_to(1000.0).unwrap();
        assert!((c.offset() - 0.0).abs() < 1e-12, "{}", c.offset());
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
    }
}
