//! Small statistics shared by the simulators' tests and graders: means with standard errors,
//! empirical quantiles, and seeded Monte Carlo replications run in parallel.

use rayon::prelude::*;

/// The empirical `p`-quantile (0 ≤ p ≤ 1) of `values`, which are sorted in place; the
/// nearest-rank definition (the smallest value with at least a fraction `p` of the data at or
/// below it). NaN for an empty slice.
///
/// ```
/// let mut v = vec![3.0, 1.0, 2.0, 4.0];
/// assert_eq!(faultline::sim::quantile(&mut v, 0.5), 2.0);
/// assert_eq!(faultline::sim::quantile(&mut v, 1.0), 4.0);
/// ```
pub fn quantile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() || p.is_nan() {
        return f64::NAN;
    }
    values.sort_unstable_by(f64::total_cmp);
    quantile_sorted(values, p)
}

/// [`quantile`] of values already sorted ascending.
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() || p.is_nan() {
        return f64::NAN;
    }
    let n = sorted.len();
    let rank = (p.clamp(0.0, 1.0) * n as f64).ceil() as usize;
    sorted[rank.clamp(1, n) - 1]
}

/// Mean and standard error of the mean of independent values (e.g. one per replication).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    /// Sample mean.
    pub mean: f64,
    /// Standard error of the mean, s/√n (NaN for fewer than two values).
    pub se: f64,
    /// Number of values.
    pub n: usize,
}

impl Estimate {
    /// The estimate from independent values.
    pub fn of(values: &[f64]) -> Self {
        let n = values.len();
        let mean = values.iter().sum::<f64>() / n as f64;
        let se = if n < 2 {
            f64::NAN
        } else {
            let var = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
            (var / n as f64).sqrt()
        };
        Estimate { mean, se, n }
    }

    /// Whether `truth` lies within `k` standard errors of the mean.
    pub fn agrees_with(&self, truth: f64, k: f64) -> bool {
        (self.mean - truth).abs() <= k * self.se
    }
}

/// Runs `replications` independent replications of a Monte Carlo experiment in parallel.
///
/// Replication `i` gets its own seed, derived from `(seed, i)` alone, and results come back in
/// replication order, so the answer is the same whatever the number of threads (or on one).
///
/// ```
/// use faultline::sim::replicate;
/// let a = replicate(8, 42, |s| s % 1000);
/// let b = rayon::ThreadPoolBuilder::new().num_threads(1).build().unwrap().install(|| replicate(8, 42, |s| s % 1000));
/// assert_eq!(a, b);
/// ```
pub fn replicate<T: Send>(replications: usize, seed: u64, run: impl Fn(u64) -> T + Sync) -> Vec<T> {
    (0..replications as u64)
        .into_par_iter()
        .map(|i| run(replication_seed(seed, i)))
        .collect()
}

/// The seed of replication `i` of an experiment seeded with `seed`.
pub fn replication_seed(seed: u64, i: u64) -> u64 {
    super::Seed(seed).child(i).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngCore;

    #[test]
    fn quantiles_nearest_rank() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(quantile(&mut v, 0.99), 99.0);
        assert_eq!(quantile(&mut v, 0.0), 1.0);
        assert_eq!(quantile(&mut v, 0.5), 50.0);
        assert!(quantile(&mut [], 0.5).is_nan());
    }

    #[test]
    fn replications_do_not_depend_on_thread_count() {
        let work = |s: u64| {
            let mut r = crate::sim::rng(s);
            (0..1000).map(|_| r.next_u64() % 7).sum::<u64>()
        };
        let many = replicate(64, 7, work);
        for threads in [1, 2, 3] {
            let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
            assert_eq!(pool.install(|| replicate(64, 7, work)), many);
        }
    }

    #[test]
    fn estimate_of_constants() {
        let e = Estimate::of(&[2.0, 2.0, 2.0]);
        assert_eq!((e.mean, e.se, e.n), (2.0, 0.0, 3));
        assert!(e.agrees_with(2.0, 1.0));
    }
}
