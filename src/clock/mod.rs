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
    /// Slew: the wall clock runs this many ppm faster than the oscillator (negative: slower)…
    slew_ppm: f64,
    /// …counted from this local elapsed time.
    slew_from_local: f64,
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
            slew_ppm: 0.0,
            slew_from_local: 0.0,
            mono_at_start: 1000.0 + (seed % 1000) as f64,
            steps: Vec::new(),
        })
    }

    /// A clock with no error at all, whose wall clock reads `wall_at_start` and monotonic clock
    /// reads 0 at true time 0: its readings are true time (plus `wall_at_start`).
    pub fn perfect(wall_at_start: f64) -> Result<Self> {
        let osc = OscillatorConfig {
            tempco_ppm_per_c2: 0.0,
            ..Default::default()
        };
        Ok(Clock::new(osc, Temperature::Constant(25.0), wall_at_start, 0)?.with_monotonic_start(0.0))
    }

    /// Sets what the monotonic clock reads at true time 0 (default: somewhere in 1000–1999 s,
    /// from the seed, as after a boot).
    pub fn with_monotonic_start(mut self, monotonic_at_start: f64) -> Self {
        self.mono_at_start = monotonic_at_start;
        self
    }

    /// Slews the wall clock: from now on it runs `ppm` parts per million faster than its
    /// oscillator (negative: slower), as `adjtime` or an NTP daemon's frequency correction
    /// does. Replaces any earlier slew; 0 stops slewing. The monotonic clock is untouched.
    pub fn slew_wall(&mut self, ppm: f64) -> Result<()> {
        check::finite("slew ppm", ppm)?;
        let local = self.osc.local_elapsed();
        self.wall_adjust += self.slew_ppm * 1e-6 * (local - self.slew_from_local);
        self.slew_ppm = ppm;
        self.slew_from_local = local;
        Ok(())
    }

    /// The wall clock's slew now, ppm.
    pub fn slew_ppm(&self) -> f64 {
        self.slew_ppm
    }

    /// The oscillator's frequency error now, ppm (+ runs fast), noise included.
    #[inline]
    pub fn frequency_error_ppm(&self) -> f64 {
        self.osc.frequency_error_ppm()
    }

    /// Seconds counted by the oscillator since true time 0.
    #[inline]
    pub fn local_elapsed(&self) -> f64 {
        self.osc.local_elapsed()
    }

    #[inline]
    fn slewed(&self, local: f64) -> f64 {
        if self.slew_ppm == 0.0 {
            0.0
        } else {
            self.slew_ppm * 1e-6 * (local - self.slew_from_local)
        }
    }

    /// Advances the simulation to true time `t` (seconds since start; not earlier than now).
    #[inline]
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
    #[inline]
    pub fn read(&self) -> Reading {
        let local = self.osc.local_elapsed();
        Reading {
            wall: self.wall_at_start + local + self.wall_adjust + self.slewed(local),
            monotonic: self.mono_at_start + local,
        }
    }

    /// The monotonic clock's reading alone (the same value as `read().monotonic`).
    #[inline]
    pub fn monotonic(&self) -> f64 {
        self.mono_at_start + self.osc.local_elapsed()
    }

    /// Wall clock minus true time, seconds: positive when the clock is ahead.
    pub fn offset(&self) -> f64 {
        // Computed from the drift directly: subtracting two Unix times (~1.7·10⁹ s) would
        // round away everything below about 0.2 µs.
        self.osc.offset() + self.wall_adjust + self.slewed(self.osc.local_elapsed())
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
