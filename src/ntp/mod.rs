//! NTP: how a client with a drifting clock learns the time from servers it reaches only over
//! a network whose delays it cannot see.
//!
//! * [`Timestamps`]: the four timestamps of one exchange, from which a client computes offset
//!   θ and round-trip delay δ (chapter 6's first two tasks). Whatever the two one-way delays
//!   are, the true offset lies within δ/2 of θ; when the path is asymmetric by `a` seconds
//!   (outbound minus return), θ is off by exactly a/2.
//! * [`Sample`] and [`Adjustment`]: what the clock filter sees and what the discipline decides;
//!   [`Discipline`] holds the thresholds (step beyond one, slew at a bounded rate below it).
//! * [`sim`]: the simulator, on the world, that runs a client against servers over paths
//!   with separate outbound and return delays, knowing the true offset of every estimate. Its
//!   [`sim::Policies`] (the clock filter, Marzullo's intersection as RFC 5905 §11.2.1 uses it,
//!   the discipline) are the learner's functions or the library's own.
//!
//! The library's own θ, δ, filter, intersection and discipline are crate-private: they are the
//! answers the graders compare with, not part of the API.
//! * [`sntp`]: a real SNTP client (RFC 5905 packets; SNTP was RFC 4330 before RFC 5905 replaced it) over `std::net::UdpSocket`.
//!
//! Sign convention, as in RFC 5905: θ is *server clock minus client clock*, the correction the
//! client should add to its own clock. A client whose clock is 2 s fast measures θ = −2 s
//! against an honest server.

pub mod sim;
pub mod sntp;

use serde::Serialize;

use crate::error::{Error, Result, check};

/// The four timestamps of one client–server exchange, in seconds (Unix time as each clock
/// reads it): `t1` client sends, `t2` server receives, `t3` server sends, `t4` client receives.
///
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Timestamps {
    /// Client's clock when the request left, seconds.
    pub t1: f64,
    /// Server's clock when the request arrived, seconds.
    pub t2: f64,
    /// Server's clock when the reply left, seconds.
    pub t3: f64,
    /// Client's clock when the reply arrived, seconds.
    pub t4: f64,
}

impl Timestamps {
    /// θ = ((t2 − t1) + (t3 − t4)) / 2: server clock minus client clock, seconds.
    pub(crate) fn offset(&self) -> f64 {
        ((self.t2 - self.t1) + (self.t3 - self.t4)) / 2.0
    }

    /// δ = (t4 − t1) − (t3 − t2): time on the network, both ways, seconds (the server's
    /// processing time is taken out).
    pub(crate) fn delay(&self) -> f64 {
        (self.t4 - self.t1) - (self.t3 - self.t2)
    }

    /// δ/2: the true offset lies in `[θ − δ/2, θ + δ/2]` whatever the split of δ into the two
    /// one-way delays (both are ≥ 0).
    pub(crate) fn error_bound(&self) -> f64 {
        self.delay() / 2.0
    }

    /// The correctness interval `[θ − δ/2, θ + δ/2]`.
    pub(crate) fn interval(&self) -> (f64, f64) {
        let (theta, half) = (self.offset(), self.error_bound());
        (theta - half, theta + half)
    }
}

/// A correctness interval `(low, high)`, seconds.
pub type Interval = (f64, f64);
/// The signature of chapter 6's task 4 and of [`sim::Policies::intersect`]:
/// `fn intersect(intervals: &[(f64, f64)]) -> Option<(f64, f64)>`.
pub type IntersectFn = fn(intervals: &[Interval]) -> Option<Interval>;

/// One measured sample as the clock filter sees it: offset θ and delay δ, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Sample {
    /// θ, seconds.
    pub offset: f64,
    /// δ, seconds.
    pub delay: f64,
}

/// The clock filter: of recent samples, the one with the least delay (the first one on a tie),
/// or `None` for no samples. Delay is what queueing adds, and queueing is what makes paths
/// asymmetric, so the least-delayed sample has the tightest error bound.
pub(crate) fn clock_filter(window: &[Sample]) -> Option<Sample> {
    window
        .iter()
        .copied()
        .reduce(|best, s| if s.delay < best.delay { s } else { best })
}

/// What [`intersect`] found: the interval where a majority agrees and how many sources it had
/// to call liars.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub(crate) struct Intersection {
    /// Lowest point covered by at least `n − falsetickers` intervals, seconds.
    pub low: f64,
    /// Highest such point, seconds.
    pub high: f64,
    /// The number of intervals allowed to miss it.
    pub falsetickers: usize,
}

/// Marzullo's intersection algorithm as RFC 5905 §11.2.1 applies it (without its extra count
/// of midpoints): for f = 0, 1, … while f < n/2, find the lowest and the highest point covered
/// by at least n − f of the intervals; the first f for which low ≤ high wins. `None` when no
/// majority agrees (or there are no intervals). Touching intervals overlap. Each interval is
/// `(lo, hi)` with lo ≤ hi.
pub(crate) fn intersect(intervals: &[(f64, f64)]) -> Option<Intersection> {
    let n = intervals.len();
    // (value, +1 for a start, −1 for an end); starts sort before ends at the same value.
    let mut edges: Vec<(f64, i32)> = intervals.iter().flat_map(|&(lo, hi)| [(lo, 1), (hi, -1)]).collect();
    if edges.iter().any(|e| e.0.is_nan()) {
        return None;
    }
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut f = 0;
    while 2 * f < n {
        let need = (n - f) as i32;
        let mut count = 0;
        let low = edges.iter().find_map(|&(x, kind)| {
            count += kind;
            (count >= need).then_some(x)
        });
        count = 0;
        let high = edges.iter().rev().find_map(|&(x, kind)| {
            count -= kind;
            (count >= need).then_some(x)
        });
        if let (Some(low), Some(high)) = (low, high)
            && low <= high
        {
            return Some(Intersection {
                low,
                high,
                falsetickers: f,
            });
        }
        f += 1;
    }
    None
}

/// What the discipline does with a measured offset.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub enum Adjustment {
    /// Jump the wall clock by `by_s` seconds at once (negative: backwards).
    Step {
        /// The jump, seconds.
        by_s: f64,
    },
    /// Run the clock `rate_ppm` fast (negative: slow) for `duration_s` seconds of true time,
    /// which moves it by `rate_ppm × 10⁻⁶ × duration_s` without a jump.
    Slew {
        /// Extra rate, ppm.
        rate_ppm: f64,
        /// For how long, seconds.
        duration_s: f64,
    },
}

/// A clock discipline's thresholds: step what is far off, slew what is close.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Discipline {
    /// Offsets whose magnitude exceeds this are stepped, seconds (ntpd: 0.128).
    pub step_threshold_s: f64,
    /// The fastest slew allowed, ppm (Linux `adjtime`: 500).
    pub max_slew_ppm: f64,
}

impl Default for Discipline {
    /// ntpd's defaults: step beyond 128 ms, slew at 500 ppm.
    fn default() -> Self {
        Discipline {
            step_threshold_s: 0.128,
            max_slew_ppm: 500.0,
        }
    }
}

impl Discipline {
    /// A discipline; the threshold must be ≥ 0 and the slew rate > 0.
    pub fn new(step_threshold_s: f64, max_slew_ppm: f64) -> Result<Self> {
        let d = Discipline {
            step_threshold_s,
            max_slew_ppm,
        };
        d.validate()?;
        Ok(d)
    }

    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        check::non_negative("step_threshold_s", self.step_threshold_s)?;
        check::positive("max_slew_ppm", self.max_slew_ppm)?;
        Ok(())
    }

    /// The adjustment for a measured offset θ (server minus client, so the clock must move by
    /// +θ): a step when |θ| exceeds the threshold, otherwise a slew at the full rate in θ's
    /// direction for as long as it takes.
    pub(crate) fn decide(&self, theta: f64) -> Result<Adjustment> {
        check::finite("offset", theta)?;
        Ok(if theta.abs() > self.step_threshold_s {
            Adjustment::Step { by_s: theta }
        } else {
            Adjustment::Slew {
                rate_ppm: self.max_slew_ppm.copysign(theta),
                duration_s: theta.abs() / (self.max_slew_ppm * 1e-6),
            }
        })
    }
}

/// Checks an adjustment a caller produced: finite, a slew not faster than `max_slew_ppm` and
/// not of negative duration.
pub fn validate_adjustment(adj: &Adjustment, max_slew_ppm: f64) -> Result<()> {
    match *adj {
        Adjustment::Step { by_s } => check::finite("step", by_s).map(drop),
        Adjustment::Slew { rate_ppm, duration_s } => {
            check::finite("rate_ppm", rate_ppm)?;
            check::non_negative("duration_s", duration_s)?;
            if rate_ppm.abs() > max_slew_ppm * (1.0 + 1e-9) {
                return Err(Error::invalid(
                    "rate_ppm",
                    rate_ppm,
                    "is faster than the maximum slew rate",
                ));
            }
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intersection_edge_cases() {
        assert_eq!(intersect(&[]), None);
        let one = intersect(&[(1.0, 2.0)]).unwrap();
        assert_eq!((one.low, one.high, one.falsetickers), (1.0, 2.0, 0));
        // Touching intervals overlap in one point.
        let touch = intersect(&[(0.0, 1.0), (1.0, 2.0)]).unwrap();
        assert_eq!((touch.low, touch.high, touch.falsetickers), (1.0, 1.0, 0));
        // Two against two with no common point: no majority.
        assert_eq!(intersect(&[(0.0, 1.0), (0.5, 1.5), (5.0, 6.0), (5.5, 6.5)]), None);
        // Three of five agree.
        let i = intersect(&[(0.0, 2.0), (1.0, 3.0), (1.5, 2.5), (10.0, 11.0), (-9.0, -8.0)]).unwrap();
        assert_eq!((i.low, i.high, i.falsetickers), (1.5, 2.0, 2));
        assert_eq!(intersect(&[(f64::NAN, 1.0)]), None);
    }

    #[test]
    fn filter_picks_least_delay() {
        let w = [
            Sample {
                offset: 0.3,
                delay: 0.05,
            },
            Sample {
                offset: 0.1,
                delay: 0.01,
            },
            Sample {
                offset: 0.2,
                delay: 0.01,
            },
        ];
        assert_eq!(clock_filter(&w), Some(w[1]));
        assert_eq!(clock_filter(&[]), None);
    }

    #[test]
    fn discipline_steps_large_and_slews_small() {
        let d = Discipline::default();
        assert_eq!(d.decide(-0.5).unwrap(), Adjustment::Step { by_s: -0.5 });
        assert_eq!(
            d.decide(0.128).unwrap(),
            Adjustment::Slew {
                rate_ppm: 500.0,
                duration_s: 256.0
            }
        );
        assert!(Discipline::new(-1.0, 500.0).is_err());
        assert!(Discipline::new(0.1, 0.0).is_err());
        assert!(d.decide(f64::NAN).is_err());
        assert!(
            validate_adjustment(
                &Adjustment::Slew {
                    rate_ppm: 600.0,
                    duration_s: 1.0
                },
                500.0
            )
            .is_err()
        );
    }
}
