//! Clocks that drift: quartz oscillators and the two clocks a computer builds on them.
//!
//! * [`Oscillator`]: a quartz crystal whose frequency error (in parts per million) has a
//!   constant part, a parabolic temperature dependence around a turnover temperature (the
//!   tuning-fork curve), linear aging, and random-walk noise. The simulator integrates the
//!   error over virtual time, so it knows exactly how far the oscillator's count has wandered
//!   from true time.
//! * [`Clock`]: a node's time-of-day ("wall") clock, which NTP or an operator may *step*,
//!   backwards as well as forwards, beside its monotonic clock, which never jumps.
//!
//! A clock that runs `ppm` parts per million fast gains `ppm × 10⁻⁶` seconds every second:
//! 1 ppm is 86.4 ms a day, and the 200 ppm that Google assumes for its servers is 17.28 s.

mod oscillator;

pub use oscillator::{Oscillator, OscillatorConfig, Temperature};

use crate::error::{Result, check};
use crate::sim::Seconds;

/// Two readings taken at the same instant: what `SystemTime::now()` and `Instant::now()` would
/// say. Both are seconds; only differences of monotonic readings mean anything.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Reading {
    /// The time-of-day clock: seconds since the Unix epoch as this node believes it.
    pub wall: f64,
    /// The monotonic clock: seconds since an arbitrary start (boot), never jumping.
    pub monotonic: f64,
}

/// A node's clocks, both driven by one oscillator.
///
/// ```
/// use faultline::clock::{Clock, OscillatorConfig, Temperature};
/// let osc = OscillatorConfig { offset_ppm: 50.0, tempco_ppm_per_c2: 0.0, ..Default::default() };
/// let mut clock = Clock::new(osc, Temperature::Constant(25.0), 1_700_000_000.0, 1).unwrap();
/// clock.advance_to(86_400.0).unwrap();                    // one true day later
/// assert!((clock.offset() - 4.32).abs() < 1e-9);          // 50 ppm fast: 4.32 s ahead
/// let before = clock.read();
/// clock.step_wall(-4.32);                                 // NTP steps it back
/// assert!(clock.read().wall < before.wall);               // the wall clock went backwards
/// assert_eq!(clock.read().monotonic, before.monotonic);   // the monotonic clock did not
/// ```
#[derive(Debug, Clone)]
pub struct Clock {
    osc: Oscillator,
    wall_at_start: f64,
    wall_adjust: f64,
    mono_at_start: f64,
    steps: Vec<(Seconds, f64)>,
}

impl Clock {
    /// A clock on an oscillator with config `osc` in `temperature`, whose wall clock reads
    /// `wall_at_start` (Unix seconds) at true time 0. `seed` drives the oscillator's noise.
    pub fn new(osc: OscillatorConfig, temperature: Temperature, wall_at_start: f64, seed: u64) -> Result<Self> {
        check::finite("wall_at_start", wall_at_start)?;
        Ok(Clock {
            osc: Oscillator::new(osc, temperature, seed)?,
            wall_at_start,
            wall_adjust: 0.0,
            mono_at_start: 1000.0 + (seed % 1000) as f64,
            steps: Vec::new(),
        })
    }

    /// Advances the simulation to true time `t` (seconds since start; not earlier than now).
    pub fn advance_to(&mut self, t: Seconds) -> Result<()> {
        self.osc.advance_to(t)
    }

    /// True time now, seconds since the start of the simulation: what the simulator knows and
    /// the node does not.
    pub fn true_time(&self) -> Seconds {
        self.osc.now()
    }

    /// True Unix time now (the wall clock's reading had it never drifted or stepped).
    pub fn true_wall(&self) -> f64 {
        self.wall_at_start + self.osc.now()
    }

    /// Reads both clocks.
    pub fn read(&self) -> Reading {
        let local = self.osc.local_elapsed();
        Reading {
            wall: self.wall_at_start + local + self.wall_adjust,
            monotonic: self.mono_at_start + local,
        }
    }

    /// Wall clock minus true time, seconds: positive when the clock is ahead.
    pub fn offset(&self) -> f64 {
        // Computed from the drift directly: subtracting two Unix times (~1.7·10⁹ s) would
        // round away everything below about 0.2 µs.
        self.osc.offset() + self.wall_adjust
    }

    /// Steps the wall clock by `delta` seconds (negative = backwards), as `ntpdate`, an NTP
    /// daemon far from true time, or an operator would. The monotonic clock is untouched.
    pub fn step_wall(&mut self, delta: f64) {
        self.wall_adjust += delta;
        self.steps.push((self.osc.now(), delta));
    }

    /// Sets the wall clock to true time (a perfect synchronisation) and returns the step taken.
    pub fn sync_to_true(&mut self) -> f64 {
        let delta = -self.offset();
        self.step_wall(delta);
        delta
    }

    /// Every step so far: (true time, delta).
    pub fn steps(&self) -> &[(Seconds, f64)] {
        &self.steps
    }

    /// The oscillator underneath.
    pub fn oscillator(&self) -> &Oscillator {
        &self.osc
    }
}
