//! Closed forms for the queues the simulators model — all of them, in this one place.
//!
//! Notation: λ arrival rate, μ service rate of one server (mean service time E\[S\] = 1/μ),
//! c servers, ρ = λ/(cμ) utilisation, W_q mean wait in the queue, W = W_q + E[S] mean response
//! (sojourn) time, L and L_q mean numbers in the system and in the queue, K the most customers
//! a station holds (in service and waiting).
//!
//! | model | result | formula |
//! |---|---|---|
//! | M/M/1 | W, W_q, L | 1/(μ−λ), ρ/(μ−λ), ρ/(1−ρ) |
//! | M/M/1 | response-time tail | W ~ Exp(μ−λ): P(W > t) = e^{−(μ−λ)t} |
//! | M/M/1 | wait tail | P(W_q > t) = ρ e^{−(μ−λ)t} |
//! | M/D/1 | W_q | ρ D / (2(1−ρ)) |
//! | M/G/1 | W_q (Pollaczek–Khinchine) | λ E[S²] / (2(1−ρ)) = ρ E[S] (1 + C_s²) / (2(1−ρ)) |
//! | M/M/c | P(wait) (Erlang C), W_q | C(c, a), C / (cμ − λ), a = λ/μ |
//! | M/M/1/K | blocking probability | (1−ρ)ρ^K / (1−ρ^{K+1}), or 1/(K+1) at ρ = 1 |
//! | any | Little's law | L = λW |
//!
//! Every function validates its inputs: negative or zero rates are
//! [`Error::InvalidParameter`], and an infinite-buffer queue with ρ ≥ 1 is [`Error::Unstable`]
//! (it has no steady state).

use crate::error::{Error, Result, check};
use crate::sim::Dist;

/// ρ for `servers` servers, each of rate `mu`, offered arrivals at rate `lambda`.
pub fn utilisation(lambda: f64, mu: f64, servers: u32) -> Result<f64> {
    check::positive("λ (arrival rate)", lambda)?;
    check::positive("μ (service rate)", mu)?;
    check::at_least_one("servers", u64::from(servers))?;
    Ok(lambda / (mu * f64::from(servers)))
}

fn stable(what: &'static str, rho: f64) -> Result<f64> {
    if rho < 1.0 {
        Ok(rho)
    } else {
        Err(Error::Unstable { what, utilisation: rho })
    }
}

/// The M/M/1 queue: Poisson arrivals at rate λ, exponential service at rate μ, one server,
/// FIFO, infinite buffer.
///
/// ```
/// use faultline::queueing::theory::Mm1;
/// let q = Mm1::new(0.9, 1.0).unwrap();
/// assert!((q.mean_response() - 10.0).abs() < 1e-12);
/// assert!((q.mean_wait() - 9.0).abs() < 1e-12);
/// assert!(Mm1::new(1.0, 1.0).is_err()); // ρ = 1: no steady state
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mm1 {
    lambda: f64,
    mu: f64,
}

impl Mm1 {
    /// Validates λ, μ > 0 and ρ = λ/μ < 1.
    pub fn new(lambda: f64, mu: f64) -> Result<Self> {
        stable("M/M/1", utilisation(lambda, mu, 1)?)?;
        Ok(Mm1 { lambda, mu })
    }
    /// ρ = λ/μ.
    pub fn utilisation(&self) -> f64 {
        self.lambda / self.mu
    }
    /// W = 1/(μ − λ).
    pub fn mean_response(&self) -> f64 {
        1.0 / (self.mu - self.lambda)
    }
    /// W_q = ρ/(μ − λ).
    pub fn mean_wait(&self) -> f64 {
        self.utilisation() / (self.mu - self.lambda)
    }
    /// L = ρ/(1 − ρ).
    pub fn mean_in_system(&self) -> f64 {
        let rho = self.utilisation();
        rho / (1.0 - rho)
    }
    /// L_q = ρ²/(1 − ρ).
    pub fn mean_in_queue(&self) -> f64 {
        let rho = self.utilisation();
        rho * rho / (1.0 - rho)
    }
    /// The `p`-quantile of the response time, which is exponential with rate μ − λ:
    /// −ln(1 − p)/(μ − λ).
    pub fn response_quantile(&self, p: f64) -> Result<f64> {
        check::probability("p", p)?;
        Ok(-(1.0 - p).ln() / (self.mu - self.lambda))
    }
    /// The `p`-quantile of the wait in the queue: 0 when p ≤ 1 − ρ (that many arrivals find the
    /// server idle), else ln(ρ/(1 − p))/(μ − λ).
    pub fn wait_quantile(&self, p: f64) -> Result<f64> {
        check::probability("p", p)?;
        let rho = self.utilisation();
        Ok(if p <= 1.0 - rho {
            0.0
        } else {
            (rho / (1.0 - p)).ln() / (self.mu - self.lambda)
        })
    }
}

/// M/D/1 mean wait: Poisson arrivals at rate λ, every service exactly `service` seconds.
pub fn md1_mean_wait(lambda: f64, service: f64) -> Result<f64> {
    check::positive("service time", service)?;
    let rho = stable("M/D/1", utilisation(lambda, 1.0 / service, 1)?)?;
    Ok(rho * service / (2.0 * (1.0 - rho)))
}

/// M/G/1 mean wait by Pollaczek–Khinchine, from the service time's mean and variance:
/// W_q = λ E[S²] / (2(1 − ρ)), with E[S²] = Var S + E[S]².
pub fn mg1_mean_wait_moments(lambda: f64, mean_service: f64, var_service: f64) -> Result<f64> {
    check::positive("mean service time", mean_service)?;
    check::non_negative("service-time variance", var_service)?;
    let rho = stable("M/G/1", utilisation(lambda, 1.0 / mean_service, 1)?)?;
    Ok(lambda * (var_service + mean_service * mean_service) / (2.0 * (1.0 - rho)))
}

/// M/G/1 mean wait (Pollaczek–Khinchine) for a service-time distribution.
pub fn mg1_mean_wait(lambda: f64, service: &Dist) -> Result<f64> {
    mg1_mean_wait_moments(lambda, service.mean(), service.variance())
}

/// Erlang C: the probability that an arrival to an M/M/c queue has to wait.
///
/// Computed through the Erlang B recursion B(k) = a·B(k−1)/(k + a·B(k−1)), which does not
/// overflow for large c, then C = B / (1 − ρ(1 − B)).
pub fn erlang_c(servers: u32, lambda: f64, mu: f64) -> Result<f64> {
    let rho = stable("M/M/c", utilisation(lambda, mu, servers)?)?;
    let a = lambda / mu;
    let mut b = 1.0;
    for k in 1..=servers {
        b = a * b / (f64::from(k) + a * b);
    }
    Ok(b / (1.0 - rho * (1.0 - b)))
}

/// M/M/c mean wait in the queue: C(c, a) / (cμ − λ).
pub fn mmc_mean_wait(servers: u32, lambda: f64, mu: f64) -> Result<f64> {
    Ok(erlang_c(servers, lambda, mu)? / (f64::from(servers) * mu - lambda))
}

/// M/M/1/K blocking probability: the fraction of arrivals that find the station full (K
/// customers, one in service and K − 1 waiting) and are dropped. Any ρ is allowed: a finite
/// buffer is always stable.
///
/// ```
/// use faultline::queueing::theory::mm1k_blocking;
/// assert!((mm1k_blocking(1.0, 1.0, 4).unwrap() - 0.2).abs() < 1e-12); // ρ = 1: 1/(K+1)
/// ```
pub fn mm1k_blocking(lambda: f64, mu: f64, capacity: u32) -> Result<f64> {
    let rho = utilisation(lambda, mu, 1)?;
    check::at_least_one("capacity K", u64::from(capacity))?;
    let k = f64::from(capacity);
    if (rho - 1.0).abs() < 1e-12 {
        return Ok(1.0 / (k + 1.0));
    }
    // Written with ρ^{-1} when ρ > 1 so that large K does not overflow.
    Ok(if rho < 1.0 {
        (1.0 - rho) * rho.powf(k) / (1.0 - rho.powf(k + 1.0))
    } else {
        let r = 1.0 / rho;
        (1.0 - r) / (1.0 - r.powf(k + 1.0))
    })
}

/// Little's law: the mean number in a system is its arrival rate times the mean time spent in
/// it, L = λW, for any stable queue whatever its distributions or discipline.
pub fn little_l(lambda: f64, mean_time: f64) -> Result<f64> {
    check::non_negative("λ (arrival rate)", lambda)?;
    check::non_negative("mean time in system", mean_time)?;
    Ok(lambda * mean_time)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_cases_agree() {
        // M/G/1 with exponential service is M/M/1; with constant service it is M/D/1.
        let (l, m) = (0.7, 1.0);
        let mm1 = Mm1::new(l, m).unwrap();
        let exp = Dist::exponential(1.0 / m).unwrap();
        assert!((mg1_mean_wait(l, &exp).unwrap() - mm1.mean_wait()).abs() < 1e-12);
        let det = Dist::constant(1.0 / m).unwrap();
        assert!((mg1_mean_wait(l, &det).unwrap() - md1_mean_wait(l, 1.0 / m).unwrap()).abs() < 1e-12);
        // M/D/1 waits half as long as M/M/1.
        assert!((md1_mean_wait(l, 1.0).unwrap() - mm1.mean_wait() / 2.0).abs() < 1e-12);
        // Erlang C with one server is ρ, and M/M/c with c = 1 is M/M/1.
        assert!((erlang_c(1, l, m).unwrap() - 0.7).abs() < 1e-12);
        assert!((mmc_mean_wait(1, l, m).unwrap() - mm1.mean_wait()).abs() < 1e-12);
        // Little's law inside M/M/1: L = λW and L_q = λW_q.
        assert!((little_l(l, mm1.mean_response()).unwrap() - mm1.mean_in_system()).abs() < 1e-12);
        assert!((little_l(l, mm1.mean_wait()).unwrap() - mm1.mean_in_queue()).abs() < 1e-12);
        // Median response time of M/M/1 is ln 2/(μ − λ); the wait's quantiles below 1 − ρ are 0.
        assert!((mm1.response_quantile(0.5).unwrap() - 2f64.ln() / 0.3).abs() < 1e-12);
        assert_eq!(mm1.wait_quantile(0.2).unwrap(), 0.0);
    }

    #[test]
    fn erlang_c_textbook_value() {
        // a = 2 Erlangs on 3 servers: C = (8/6 · 3) / (1 + 2 + 2 + 8/6 · 3) = 4/9.
        assert!((erlang_c(3, 2.0, 1.0).unwrap() - 4.0 / 9.0).abs() < 1e-12);
        // Large c must not overflow.
        let c = erlang_c(500, 480.0, 1.0).unwrap();
        assert!(c > 0.0 && c < 1.0);
    }

    #[test]
    fn blocking_limits() {
        // A one-place buffer with ρ = 1 drops half; a huge buffer at ρ < 1 almost nothing;
        // ρ → ∞ drops nearly everything; ρ > 1 with big K tends to 1 − 1/ρ.
        assert!((mm1k_blocking(1.0, 1.0, 1).unwrap() - 0.5).abs() < 1e-12);
        assert!(mm1k_blocking(0.5, 1.0, 200).unwrap() < 1e-50);
        assert!((mm1k_blocking(2.0, 1.0, 2000).unwrap() - 0.5).abs() < 1e-12);
        assert!(mm1k_blocking(1000.0, 1.0, 3).unwrap() > 0.99);
        let near = mm1k_blocking(1.0 + 1e-9, 1.0, 4).unwrap();
        assert!((near - 0.2).abs() < 1e-6);
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        assert!(matches!(Mm1::new(1.2, 1.0), Err(Error::Unstable { .. })));
        assert!(matches!(Mm1::new(-1.0, 1.0), Err(Error::InvalidParameter { .. })));
        assert!(matches!(Mm1::new(1.0, 0.0), Err(Error::InvalidParameter { .. })));
        assert!(matches!(md1_mean_wait(1.0, 1.0), Err(Error::Unstable { .. })));
        assert!(matches!(erlang_c(2, 2.0, 1.0), Err(Error::Unstable { .. })));
        assert!(matches!(erlang_c(0, 0.5, 1.0), Err(Error::InvalidParameter { .. })));
        assert!(matches!(
            mm1k_blocking(1.0, 1.0, 0),
            Err(Error::InvalidParameter { .. })
        ));
        assert!(Mm1::new(0.5, 1.0).unwrap().response_quantile(1.5).is_err());
        let msg = Mm1::new(1.0, 1.0).unwrap_err().to_string();
        assert!(msg.contains("ρ = 1"), "{msg}");
    }
}
