//! The quartz oscillator model.

use rand_distr::{Distribution, StandardNormal};

use crate::error::{Error, Result, check};
use crate::sim::{DAY, Seconds, SimRng, rng};

/// The physics of one crystal. Frequency error in ppm at true time `t` (days `d = t / 86400`)
/// and temperature `T`:
///
/// `offset_ppm − tempco_ppm_per_c2·(T − turnover_c)² + aging_ppm_per_day·d + noise(t)`
///
/// where `noise` is a random walk. A positive error means the clock runs fast.
#[derive(Debug, Clone, Copy, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct OscillatorConfig {
    /// Frequency error at the turnover temperature, ppm (calibration error; + runs fast).
    pub offset_ppm: f64,
    /// Temperature of the parabola's peak, °C (about 25 °C for 32.768 kHz tuning forks).
    pub turnover_c: f64,
    /// Curvature of the parabola, ppm/°C² (about 0.034 for tuning forks; 0 for a TCXO or
    /// OCXO, which compensate or control temperature). The crystal slows both above and below
    /// the turnover.
    pub tempco_ppm_per_c2: f64,
    /// Aging: change of frequency error per day, ppm/day (a few ppm in the first year).
    pub aging_ppm_per_day: f64,
    /// Random-walk frequency noise: standard deviation of the frequency's change over one day,
    /// ppm/√day.
    pub random_walk_ppm_per_sqrt_day: f64,
}

impl Default for OscillatorConfig {
    /// A perfectly calibrated tuning-fork crystal: no offset, turnover at 25 °C, 0.034 ppm/°C²,
    /// no aging, no noise.
    fn default() -> Self {
        OscillatorConfig {
            offset_ppm: 0.0,
            turnover_c: 25.0,
            tempco_ppm_per_c2: 0.034,
            aging_ppm_per_day: 0.0,
            random_walk_ppm_per_sqrt_day: 0.0,
        }
    }
}

impl OscillatorConfig {
    /// Checks every field: all finite, curvature and noise ≥ 0, and a frequency error small
    /// enough (|offset| ≤ 10⁵ ppm) that the clock still runs forwards.
    pub fn validate(&self) -> Result<()> {
        check::finite("offset_ppm", self.offset_ppm)?;
        if self.offset_ppm.abs() > 1e5 {
            return Err(Error::invalid(
                "offset_ppm",
                self.offset_ppm,
                "must lie within ±100000 ppm",
            ));
        }
        check::finite("turnover_c", self.turnover_c)?;
        check::non_negative("tempco_ppm_per_c2", self.tempco_ppm_per_c2)?;
        check::finite("aging_ppm_per_day", self.aging_ppm_per_day)?;
        check::non_negative("random_walk_ppm_per_sqrt_day", self.random_walk_ppm_per_sqrt_day)?;
        Ok(())
    }

    /// The deterministic frequency error (no noise) at true time `t` and temperature `temp_c`.
    pub fn frequency_error_ppm(&self, t: Seconds, temp_c: f64) -> f64 {
        self.offset_ppm - self.tempco_ppm_per_c2 * (temp_c - self.turnover_c).powi(2) + self.aging_ppm_per_day * t / DAY
    }
}

/// The temperature the crystal sits in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Temperature {
    /// Held at one temperature, °C.
    Constant(f64),
    /// A daily cycle: `mean_c + swing_c · cos(2π (t − warmest_at) / day)`.
    Daily {
        /// Daily mean, °C.
        mean_c: f64,
        /// Half the peak-to-peak swing, °C.
        swing_c: f64,
        /// True time of the warmest moment within the day, seconds after midnight.
        warmest_at: Seconds,
    },
}

impl Temperature {
    /// The temperature at true time `t`, °C.
    pub fn at(&self, t: Seconds) -> f64 {
        match *self {
            Temperature::Constant(c) => c,
            Temperature::Daily {
                mean_c,
                swing_c,
                warmest_at,
            } => mean_c + swing_c * (std::f64::consts::TAU * (t - warmest_at) / DAY).cos(),
        }
    }

    fn validate(&self) -> Result<()> {
        match *self {
            Temperature::Constant(c) => check::finite("temperature", c).map(drop),
            Temperature::Daily {
                mean_c,
                swing_c,
                warmest_at,
            } => {
                check::finite("mean_c", mean_c)?;
                check::non_negative("swing_c", swing_c)?;
                check::finite("warmest_at", warmest_at).map(drop)
            }
        }
    }
}

/// The error for a time that is not finite or lies before the oscillator's (out of line, so
/// [`Oscillator::advance_to`] inlines into a simulator's loop).
#[cold]
#[inline(never)]
fn backwards(t: Seconds) -> Error {
    Error::invalid(
        "time",
        t,
        "must be finite and not earlier than the oscillator's current time",
    )
}

/// Integration step, seconds. The noise is defined on this grid and interpolated linearly,
/// so the result does not depend on how often the oscillator is queried.
const STEP: Seconds = 60.0;

/// A simulated crystal counting local seconds as true time passes.
#[derive(Debug, Clone)]
pub struct Oscillator {
    cfg: OscillatorConfig,
    temperature: Temperature,
    rng: SimRng,
    /// Start of the current grid step, and noise (ppm) at its two ends.
    grid_t: Seconds,
    noise_lo: f64,
    noise_hi: f64,
    now: Seconds,
    /// Local minus true elapsed time, kept apart from `now` so that microsecond offsets are not
    /// lost in the rounding of large time values.
    drift: f64,
    /// No error of any kind: advancing is only moving `now` (the fast path for the many
    /// simulated nodes whose clocks are not the point).
    perfect: bool,
    /// `Some(e)` when the frequency error is the constant `e` ppm (no aging, no noise, a
    /// constant temperature): integrating it needs no evaluation of the model (the fast path
    /// for a drifting clock, whose rate a simulator reads at every timer it sets).
    constant_ppm: Option<f64>,
    /// With a constant error `e`, Simpson's sum of it, `e + 4e + e`, computed once (the same
    /// bits as computing it at every step).
    simpson_constant: f64,
}

impl Oscillator {
    /// A crystal with `cfg` in `temperature`, its noise drawn from `seed`.
    pub fn new(cfg: OscillatorConfig, temperature: Temperature, seed: u64) -> Result<Self> {
        cfg.validate()?;
        temperature.validate()?;
        let mut osc = Oscillator {
            cfg,
            temperature,
            rng: rng(seed),
            grid_t: 0.0,
            noise_lo: 0.0,
            noise_hi: 0.0,
            now: 0.0,
            drift: 0.0,
            perfect: cfg.offset_ppm == 0.0
                && cfg.aging_ppm_per_day == 0.0
                && cfg.random_walk_ppm_per_sqrt_day == 0.0
                && (cfg.tempco_ppm_per_c2 == 0.0 || temperature == Temperature::Constant(cfg.turnover_c)),
            constant_ppm: match temperature {
                // With no aging the model's time term is 0 · t / DAY = +0 for every t ≥ 0, so
                // this is the value `integrate` would compute at every instant, to the bit.
                Temperature::Constant(c) if cfg.aging_ppm_per_day == 0.0 && cfg.random_walk_ppm_per_sqrt_day == 0.0 => {
                    Some(cfg.frequency_error_ppm(0.0, c))
                }
                _ => None,
            },
            simpson_constant: 0.0,
        };
        if let Some(e) = osc.constant_ppm {
            osc.simpson_constant = e + 4.0 * e + e;
        }
        osc.noise_hi = osc.next_noise(0.0);
        Ok(osc)
    }

    fn next_noise(&mut self, from: f64) -> f64 {
        let sd = self.cfg.random_walk_ppm_per_sqrt_day * (STEP / DAY).sqrt();
        if sd == 0.0 {
            return from;
        }
        let z: f64 = StandardNormal.sample(&mut self.rng);
        from + sd * z
    }

    /// The configuration.
    pub fn config(&self) -> &OscillatorConfig {
        &self.cfg
    }

    /// True time now, seconds since start.
    #[inline]
    pub fn now(&self) -> Seconds {
        self.now
    }

    /// Seconds counted by this oscillator since start.
    #[inline]
    pub fn local_elapsed(&self) -> f64 {
        self.now + self.drift
    }

    /// Local minus true elapsed time, seconds.
    pub fn offset(&self) -> f64 {
        self.drift
    }

    /// The frequency error now, ppm, noise included.
    #[inline]
    pub fn frequency_error_ppm(&self) -> f64 {
        // (A constant error first: a perfect clock in a constant temperature has one, 0, and
        // gives the same 0.0 on this path, so a simulator with perfect and drifting clocks
        // takes one path for both, not a branch that goes one way or the other at random.)
        if let Some(e) = self.constant_ppm {
            // The noise is 0 here (no random walk): `+ 0.0` is what adding it did.
            return e + 0.0;
        }
        if self.perfect {
            return 0.0;
        }
        self.cfg.frequency_error_ppm(self.now, self.temperature.at(self.now)) + self.noise_at(self.now)
    }

    fn noise_at(&self, t: Seconds) -> f64 {
        self.noise_lo + (self.noise_hi - self.noise_lo) * (t - self.grid_t) / STEP
    }

    /// Integral of the error (in seconds) over [a, b] within the current grid step: Simpson's
    /// rule for the deterministic part (exact for constant, linear and quadratic terms) and the
    /// trapezoid rule for the linearly interpolated noise (exact).
    #[inline(always)]
    fn integrate(&self, a: Seconds, b: Seconds) -> f64 {
        if self.constant_ppm.is_some() {
            // The general formula below with a constant error and no noise, term by term, so
            // the result is the same to the bit: Simpson's weights applied to e, then the
            // noise's `+ 0.0` (which turns a −0 into +0).
            return ((b - a) / 6.0 * self.simpson_constant + 0.0) * 1e-6;
        }
        let det = |t: f64| self.cfg.frequency_error_ppm(t, self.temperature.at(t));
        let m = (a + b) / 2.0;
        let deterministic = (b - a) / 6.0 * (det(a) + 4.0 * det(m) + det(b));
        let noise = (b - a) / 2.0 * (self.noise_at(a) + self.noise_at(b));
        (deterministic + noise) * 1e-6
    }

    /// Advances to true time `t`, which must be finite and not earlier than now.
    #[inline]
    pub fn advance_to(&mut self, t: Seconds) -> Result<()> {
        // The fast paths, inline (a simulator advances a clock at every event): forward within
        // the current grid step, on a perfect clock or one with a constant error. They compute
        // what the general path below does, to the bit. A perfect clock in a constant
        // temperature takes the constant path too (its error is 0, so its drift stays +0.0, as
        // on its own path), so that perfect and drifting clocks side by side share one branch.
        if self.constant_ppm.is_some() && t > self.now && t < self.grid_t + STEP {
            self.drift += self.integrate(self.now, t);
            self.now = t;
            return Ok(());
        }
        if self.perfect && t >= self.now && t < f64::INFINITY {
            // (Its grid is not used: moved along so that the path above stays open to it.)
            self.now = t;
            self.grid_t = t;
            return Ok(());
        }
        self.advance_slowly(t)
    }

    /// [`Oscillator::advance_to`]'s general path.
    #[inline(never)]
    fn advance_slowly(&mut self, t: Seconds) -> Result<()> {
        if !t.is_finite() || t < self.now {
            return Err(backwards(t));
        }
        if self.perfect {
            self.now = t;
            self.grid_t = t;
            return Ok(());
        }
        while t >= self.grid_t + STEP {
            let end = self.grid_t + STEP;
            self.drift += self.integrate(self.now, end);
            self.now = end;
            self.grid_t = end;
            self.noise_lo = self.noise_hi;
            self.noise_hi = self.next_noise(self.noise_lo);
        }
        if t > self.now {
            self.drift += self.integrate(self.now, t);
            self.now = t;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn osc(cfg: OscillatorConfig, temp: Temperature) -> Oscillator {
        Oscillator::new(cfg, temp, 7).unwrap()
    }

    #[test]
    fn constant_error_gives_linear_drift() {
        let mut o = osc(
            OscillatorConfig {
                offset_ppm: 200.0,
                ..Default::default()
            },
            Temperature::Constant(25.0),
        );
        o.advance_to(DAY).unwrap();
        // DDIA's figure: 200 ppm is 17.28 s a day.
        assert!((o.offset() - 17.28).abs() < 1e-9, "{}", o.offset());
    }

    #[test]
    fn temperature_parabola_and_aging_match_closed_forms() {
        // 10 °C below turnover: −0.034 × 100 = −3.4 ppm → −0.29376 s/day.
        let mut o = osc(OscillatorConfig::default(), Temperature::Constant(15.0));
        o.advance_to(DAY).unwrap();
        assert!((o.offset() + 3.4e-6 * DAY).abs() < 1e-9);
        // Linear aging a ppm/day: offset after D days = a·D²/2 days·1e-6.
        let a = 0.5;
        let mut o = osc(
            OscillatorConfig {
                aging_ppm_per_day: a,
                tempco_ppm_per_c2: 0.0,
                ..Default::default()
            },
            Temperature::Constant(0.0),
        );
        o.advance_to(10.0 * DAY).unwrap();
        let expected = a * 1e-6 * DAY * 10.0 * 10.0 / 2.0;
        assert!(
            (o.offset() - expected).abs() < 1e-8 * expected,
            "{} vs {expected}",
            o.offset()
        );
        // A daily cycle of ±10 °C around turnover: mean of (10 cos)² is 50, so −1.7 ppm on average.
        let mut o = osc(
            OscillatorConfig::default(),
            Temperature::Daily {
                mean_c: 25.0,
                swing_c: 10.0,
                warmest_at: 0.0,
            },
        );
        o.advance_to(DAY).unwrap();
        assert!((o.offset() + 1.7e-6 * DAY).abs() < 1e-8, "{}", o.offset());
    }

    #[test]
    fn random_walk_spreads_like_theory_and_ignores_query_pattern() {
        // Frequency after T days has sd σ√T; with 400 crystals the sample sd is within 15%.
        let cfg = OscillatorConfig {
            tempco_ppm_per_c2: 0.0,
            random_walk_ppm_per_sqrt_day: 1.0,
            ..Default::default()
        };
        let finals: Vec<f64> = (0..400)
            .map(|s| {
                let mut o = Oscillator::new(cfg, Temperature::Constant(25.0), s).unwrap();
                o.advance_to(4.0 * DAY).unwrap();
                o.frequency_error_ppm()
            })
            .collect();
        let sd = (finals.iter().map(|f| f * f).sum::<f64>() / finals.len() as f64).sqrt();
        assert!((sd - 2.0).abs() < 0.3, "sd {sd} vs 2.0");
        let mut a = Oscillator::new(cfg, Temperature::Constant(25.0), 3).unwrap();
        let mut b = a.clone();
        a.advance_to(DAY).unwrap();
        for i in 1..=1000 {
            b.advance_to(DAY * i as f64 / 1000.0).unwrap();
        }
        assert!((a.offset() - b.offset()).abs() < 1e-9);
    }

    #[test]
    fn bad_parameters_are_errors() {
        let bad = |cfg: OscillatorConfig| Oscillator::new(cfg, Temperature::Constant(25.0), 0).is_err();
        assert!(bad(OscillatorConfig {
            offset_ppm: f64::NAN,
            ..Default::default()
        }));
        assert!(bad(OscillatorConfig {
            tempco_ppm_per_c2: -0.1,
            ..Default::default()
        }));
        assert!(bad(OscillatorConfig {
            random_walk_ppm_per_sqrt_day: -1.0,
            ..Default::default()
        }));
        assert!(bad(OscillatorConfig {
            offset_ppm: 2e5,
            ..Default::default()
        }));
        assert!(Oscillator::new(OscillatorConfig::default(), Temperature::Constant(f64::INFINITY), 0).is_err());
        let mut o = osc(OscillatorConfig::default(), Temperature::Constant(25.0));
        o.advance_to(10.0).unwrap();
        assert!(o.advance_to(5.0).is_err());
        assert!(o.advance_to(f64::NAN).is_err());
    }
}
