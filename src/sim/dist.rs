//! Probability distributions for delays, service times and noise.

use rand::Rng;
use rand_distr::{Distribution, Exp, Exp1, LogNormal, Normal, Pareto, Uniform};

use crate::error::{Result, check};

/// A validated distribution over `f64`, with its mean and variance known in closed form
/// (the queueing chapter's Pollaczek–Khinchine formula needs both).
///
/// ```
/// use faultline::sim::{Dist, rng};
/// let service = Dist::exponential(0.010).unwrap(); // mean 10 ms
/// let x = service.sample(&mut rng(1));
/// assert!(x >= 0.0);
/// assert!((service.mean() - 0.010).abs() < 1e-15);
/// assert!(Dist::exponential(-1.0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dist(Kind);

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Constant(f64),
    Uniform {
        lo: f64,
        hi: f64,
        inner: Uniform<f64>,
    },
    /// `scale` is `1 / (1 / mean)`, what `rand_distr::Exp` multiplies `Exp1` by: sampled here
    /// without `Exp`'s two calls (a world samples a jitter per message), to the same bits.
    Exponential {
        mean: f64,
        scale: f64,
    },
    Normal {
        mean: f64,
        sd: f64,
        inner: Normal<f64>,
    },
    LogNormal {
        mu: f64,
        sigma: f64,
        inner: LogNormal<f64>,
    },
    Pareto {
        scale: f64,
        shape: f64,
        inner: Pareto<f64>,
    },
}

impl Dist {
    /// Always `value`.
    pub fn constant(value: f64) -> Result<Self> {
        Ok(Dist(Kind::Constant(check::finite("value", value)?)))
    }

    /// Uniform on `[lo, hi)`; `lo < hi`.
    pub fn uniform(lo: f64, hi: f64) -> Result<Self> {
        check::finite("lo", lo)?;
        check::finite("hi", hi)?;
        let inner = Uniform::new(lo, hi).map_err(|_| crate::Error::invalid("hi", hi, "must be greater than lo"))?;
        Ok(Dist(Kind::Uniform { lo, hi, inner }))
    }

    /// Exponential with the given mean (> 0); the rate is `1 / mean`.
    pub fn exponential(mean: f64) -> Result<Self> {
        check::positive("mean", mean)?;
        let rate = 1.0 / mean;
        Exp::new(rate).map_err(|_| crate::Error::invalid("mean", mean, "gives an invalid rate"))?;
        Ok(Dist(Kind::Exponential {
            mean,
            scale: 1.0 / rate,
        }))
    }

    /// Normal with mean and standard deviation `sd` (≥ 0). Samples can be negative.
    pub fn normal(mean: f64, sd: f64) -> Result<Self> {
        check::finite("mean", mean)?;
        check::non_negative("sd", sd)?;
        let inner =
            Normal::new(mean, sd).map_err(|_| crate::Error::invalid("sd", sd, "is not a valid standard deviation"))?;
        Ok(Dist(Kind::Normal { mean, sd, inner }))
    }

    /// Lognormal whose *own* mean and standard deviation are given (both > 0), the way delays
    /// are usually described; the underlying normal's μ and σ are derived from them.
    pub fn lognormal(mean: f64, sd: f64) -> Result<Self> {
        check::positive("mean", mean)?;
        check::positive("sd", sd)?;
        let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
        let (mu, sigma) = (mean.ln() - sigma2 / 2.0, sigma2.sqrt());
        let inner = LogNormal::new(mu, sigma).map_err(|_| crate::Error::invalid("sd", sd, "gives an invalid sigma"))?;
        Ok(Dist(Kind::LogNormal { mu, sigma, inner }))
    }

    /// Pareto (type I) with minimum `scale` (> 0) and tail index `shape` (> 0). The mean is
    /// infinite for `shape ≤ 1` and the variance for `shape ≤ 2`: the heavy tails of real
    /// latency.
    pub fn pareto(scale: f64, shape: f64) -> Result<Self> {
        check::positive("scale", scale)?;
        check::positive("shape", shape)?;
        let inner = Pareto::new(scale, shape)
            .map_err(|_| crate::Error::invalid("shape", shape, "is not a valid Pareto shape"))?;
        Ok(Dist(Kind::Pareto { scale, shape, inner }))
    }

    /// One sample.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match &self.0 {
            Kind::Constant(v) => *v,
            Kind::Uniform { inner, .. } => inner.sample(rng),
            Kind::Exponential { scale, .. } => {
                let unit: f64 = Exp1.sample(rng);
                unit * scale
            }
            Kind::Normal { inner, .. } => inner.sample(rng),
            Kind::LogNormal { inner, .. } => inner.sample(rng),
            Kind::Pareto { inner, .. } => inner.sample(rng),
        }
    }

    /// The mean (may be `f64::INFINITY` for a heavy-tailed Pareto).
    pub fn mean(&self) -> f64 {
        match self.0 {
            Kind::Constant(v) => v,
            Kind::Uniform { lo, hi, .. } => (lo + hi) / 2.0,
            Kind::Exponential { mean, .. } | Kind::Normal { mean, .. } => mean,
            Kind::LogNormal { mu, sigma, .. } => (mu + sigma * sigma / 2.0).exp(),
            Kind::Pareto { scale, shape, .. } => {
                if shape > 1.0 {
                    shape * scale / (shape - 1.0)
                } else {
                    f64::INFINITY
                }
            }
        }
    }

    /// The variance (may be `f64::INFINITY`).
    pub fn variance(&self) -> f64 {
        match self.0 {
            Kind::Constant(_) => 0.0,
            Kind::Uniform { lo, hi, .. } => (hi - lo).powi(2) / 12.0,
            Kind::Exponential { mean, .. } => mean * mean,
            Kind::Normal { sd, .. } => sd * sd,
            Kind::LogNormal { mu, sigma, .. } => ((sigma * sigma).exp() - 1.0) * (2.0 * mu + sigma * sigma).exp(),
            Kind::Pareto { scale, shape, .. } => {
                if shape > 2.0 {
                    scale * scale * shape / ((shape - 1.0).powi(2) * (shape - 2.0))
                } else {
                    f64::INFINITY
                }
            }
        }
    }

    /// True when no sample can be negative, as a delay, service time or gap between arrivals
    /// must be.
    pub fn is_non_negative(&self) -> bool {
        match self.0 {
            Kind::Constant(v) => v >= 0.0,
            Kind::Uniform { lo, .. } => lo >= 0.0,
            Kind::Normal { mean, sd, .. } => sd == 0.0 && mean >= 0.0,
            Kind::Exponential { .. } | Kind::LogNormal { .. } | Kind::Pareto { .. } => true,
        }
    }

    /// Squared coefficient of variation, variance / mean².
    pub fn scv(&self) -> f64 {
        self.variance() / self.mean().powi(2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::rng;

    fn moments(d: &Dist, n: usize) -> (f64, f64) {
        let mut r = rng(11);
        let xs: Vec<f64> = (0..n).map(|_| d.sample(&mut r)).collect();
        let m = xs.iter().sum::<f64>() / n as f64;
        let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64;
        (m, v)
    }

    #[test]
    fn sample_moments_match_closed_forms() {
        // 200k samples: the standard error of the mean is sd/447, so 2% is > 5 standard errors
        // for every distribution here with finite variance.
        let cases = [
            Dist::uniform(1.0, 3.0).unwrap(),
            Dist::exponential(0.5).unwrap(),
            Dist::normal(10.0, 2.0).unwrap(),
            Dist::lognormal(2.0, 1.0).unwrap(),
            Dist::pareto(1.0, 4.5).unwrap(),
        ];
        for d in cases {
            let (m, v) = moments(&d, 200_000);
            assert!(
                (m - d.mean()).abs() < 0.02 * d.mean(),
                "{d:?}: mean {m} vs {}",
                d.mean()
            );
            assert!(
                (v - d.variance()).abs() < 0.1 * d.variance(),
                "{d:?}: var {v} vs {}",
                d.variance()
            );
        }
        let ln = Dist::lognormal(2.0, 1.0).unwrap();
        assert!((ln.mean() - 2.0).abs() < 1e-12 && (ln.variance() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn exponential_samples_what_rand_distr_samples() {
        // The fast path must draw exactly what `rand_distr::Exp` draws: same bits, same stream.
        use rand_distr::{Distribution, Exp};
        for (seed, mean) in [(1, 1.0), (2, 0.001), (3, 0.5), (4, 3.7e-7), (5, 12345.678)] {
            let d = super::Dist::exponential(mean).unwrap();
            let reference = Exp::new(1.0 / mean).unwrap();
            let (mut a, mut b) = (super::super::rng(seed), super::super::rng(seed));
            for _ in 0..20_000 {
                assert_eq!(
                    d.sample(&mut a).to_bits(),
                    reference.sample(&mut b).to_bits(),
                    "mean {mean}"
                );
            }
        }
    }

    #[test]
    fn bad_parameters_are_errors() {
        assert!(Dist::exponential(0.0).is_err());
        assert!(Dist::exponential(f64::NAN).is_err());
        assert!(Dist::uniform(2.0, 1.0).is_err());
        assert!(Dist::normal(0.0, -1.0).is_err());
        assert!(Dist::lognormal(1.0, 0.0).is_err());
        assert!(Dist::pareto(1.0, -2.0).is_err());
        assert!(Dist::constant(f64::INFINITY).is_err());
        assert_eq!(Dist::pareto(1.0, 1.0).unwrap().mean(), f64::INFINITY);
    }
}
