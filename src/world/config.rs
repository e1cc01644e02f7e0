//! How links and node clocks behave: small validated structs, one doc line per field with its
//! unit, explicit defaults.

use crate::clock::{Clock, OscillatorConfig, Temperature};
use crate::error::{Error, Result, check};
use crate::sim::Dist;

/// How one directed link behaves. The delay of a message is the sum of: queueing behind the
/// messages still being transmitted from the sender's output buffer, its own transmission
/// (size / bandwidth), propagation, and jitter. Jitter is what lets a later message overtake an earlier one; a full
/// output buffer drops the message, like a switch port.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkConfig {
    /// Propagation delay, seconds (≥ 0).
    pub propagation_s: f64,
    /// Bandwidth, bytes per second (> 0).
    pub bytes_per_s: f64,
    /// Messages the output buffer holds, the one being transmitted included (≥ 1).
    pub buffer_messages: usize,
    /// Probability a message is lost on the wire.
    pub loss: f64,
    /// Probability a message is delivered twice (the copy takes its own jitter).
    pub duplicate: f64,
    /// Extra random delay after propagation, seconds (no negative samples); spread here reorders.
    pub jitter_s: Dist,
}

impl LinkConfig {
    /// A perfect link: fixed propagation (seconds), the given bandwidth (bytes/s), a deep
    /// buffer, no loss, no duplication, no jitter.
    pub fn reliable(propagation_s: f64, bytes_per_s: f64) -> Result<Self> {
        let l = LinkConfig {
            propagation_s,
            bytes_per_s,
            buffer_messages: 1 << 20,
            loss: 0.0,
            duplicate: 0.0,
            jitter_s: Dist::constant(0.0)?,
        };
        l.validate()?;
        Ok(l)
    }

    /// Checks every field; zero bandwidth, an empty buffer and jitter that can be negative are
    /// errors.
    pub fn validate(&self) -> Result<()> {
        check::non_negative("propagation_s", self.propagation_s)?;
        check::positive("bytes_per_s", self.bytes_per_s)?;
        check::at_least_one("buffer_messages", self.buffer_messages as u64)?;
        check::probability("loss", self.loss)?;
        check::probability("duplicate", self.duplicate)?;
        if !self.jitter_s.is_non_negative() {
            return Err(Error::invalid(
                "jitter_s",
                format!("{:?}", self.jitter_s),
                "can be negative",
            ));
        }
        Ok(())
    }
}

impl Default for LinkConfig {
    /// A reliable 1 ms link at 1 GB/s.
    fn default() -> Self {
        LinkConfig::reliable(0.001, 1e9).expect("valid constants")
    }
}

/// A node's clocks: the oscillator under them and what they read at true time 0.
///
/// A perfect clock (the default) reads true time: its wall clock reads `wall_at_start_s + t`
/// and its monotonic clock `monotonic_at_start_s + t` at true time `t`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClockConfig {
    /// The crystal: frequency error in ppm, temperature curve, aging, noise.
    pub oscillator: OscillatorConfig,
    /// The temperature it sits in.
    pub temperature: Temperature,
    /// What the wall clock reads at true time 0, seconds (Unix time, or 0 for "since start").
    pub wall_at_start_s: f64,
    /// What the monotonic clock reads at true time 0, seconds.
    pub monotonic_at_start_s: f64,
}

impl Default for ClockConfig {
    /// A perfect clock starting at 0.
    fn default() -> Self {
        ClockConfig::drifting(0.0)
    }
}

impl ClockConfig {
    /// A perfect clock whose readings are true time.
    pub fn perfect() -> Self {
        ClockConfig::default()
    }

    /// A clock that runs a constant `ppm` parts per million fast (negative: slow), with no
    /// temperature dependence and no noise, reading true time at the start.
    pub fn drifting(ppm: f64) -> Self {
        ClockConfig {
            oscillator: OscillatorConfig {
                offset_ppm: ppm,
                tempco_ppm_per_c2: 0.0,
                ..Default::default()
            },
            temperature: Temperature::Constant(25.0),
            wall_at_start_s: 0.0,
            monotonic_at_start_s: 0.0,
        }
    }

    /// The same clock with its wall clock reading `wall_at_start_s` at true time 0 (a wall
    /// clock `offset_s` ahead of true time: `with_wall_at_start(offset_s)`).
    pub fn with_wall_at_start(mut self, wall_at_start_s: f64) -> Self {
        self.wall_at_start_s = wall_at_start_s;
        self
    }

    /// Builds the clock; `seed` drives the oscillator's noise.
    pub(crate) fn build(&self, seed: u64) -> Result<Clock> {
        check::finite("monotonic_at_start_s", self.monotonic_at_start_s)?;
        Ok(
            Clock::new(self.oscillator, self.temperature, self.wall_at_start_s, seed)?
                .with_monotonic_start(self.monotonic_at_start_s),
        )
    }
}
