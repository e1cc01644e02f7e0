//! Ordering a message's sending and its receipt by wall-clock timestamps.
//!
//! A message leaves one machine and arrives at another after a delay; each event is stamped
//! by its own machine's clock. True order is always send before receive, but the stamps say
//! otherwise whenever the sender's clock is ahead of the receiver's by at least the delay.
//! With offsets uniform in ±skew/2 (so the difference of two is triangular on ±skew) and
//! exponential delays of mean m, the chance of that is, with a = skew/m,
//!
//! P = 1/2 − (1 − e^(−a))/a + (1 − (1 + a)·e^(−a))/a²,
//!
//! which is 0 without skew, about a/6 for small a, and tends to 1/2 as the skew dwarfs the
//! delay (the stamps then order the pair by coin toss).

use rand::Rng;
use rand_distr::{Distribution, Exp};
use serde::Serialize;

use crate::error::{Error, Result, check};
use crate::sim::stream;

/// The experiment.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MisorderConfig {
    /// Spread of clock offsets: each machine's is uniform in ±skew/2, seconds (≥ 0).
    pub skew_s: f64,
    /// Mean one-way message delay (exponential), seconds (> 0).
    pub mean_delay_s: f64,
    /// Messages to send, each between a fresh pair of machines (1–10 000 000).
    pub messages: usize,
}

impl Default for MisorderConfig {
    /// 10 ms of skew, 1 ms mean delay, 10 000 messages.
    fn default() -> Self {
        MisorderConfig {
            skew_s: 0.010,
            mean_delay_s: 0.001,
            messages: 10_000,
        }
    }
}

impl MisorderConfig {
    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        check::non_negative("skew_s", self.skew_s)?;
        check::positive("mean_delay_s", self.mean_delay_s)?;
        if !(1..=10_000_000).contains(&self.messages) {
            return Err(Error::invalid(
                "messages",
                self.messages,
                "must be between 1 and 10000000",
            ));
        }
        Ok(())
    }
}

/// One stamped message.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Message {
    /// True send time, seconds.
    pub sent_at: f64,
    /// True receive time, seconds (always later).
    pub received_at: f64,
    /// The sender's timestamp, seconds.
    pub send_stamp: f64,
    /// The receiver's timestamp, seconds.
    pub receive_stamp: f64,
}

impl Message {
    /// Whether the stamps put the receipt at or before the sending.
    pub fn misordered(&self) -> bool {
        self.receive_stamp <= self.send_stamp
    }
}

/// Sends `cfg.messages` messages, one per millisecond of true time, and stamps both ends.
pub fn simulate(cfg: &MisorderConfig, seed: u64) -> Result<Vec<Message>> {
    cfg.validate()?;
    let mut clocks = stream(seed, 0);
    let mut delays = stream(seed, 1);
    let exp = Exp::new(1.0 / cfg.mean_delay_s)
        .map_err(|_| Error::invalid("mean_delay_s", cfg.mean_delay_s, "gives an invalid rate"))?;
    let mut offset = || {
        if cfg.skew_s > 0.0 {
            clocks.random_range(-0.5..0.5) * cfg.skew_s
        } else {
            0.0
        }
    };
    Ok((0..cfg.messages)
        .map(|k| {
            let sent_at = k as f64 * 1e-3;
            let received_at = sent_at + exp.sample(&mut delays);
            let (a, b) = (offset(), offset());
            Message {
                sent_at,
                received_at,
                send_stamp: sent_at + a,
                receive_stamp: received_at + b,
            }
        })
        .collect())
}

/// The fraction of messages whose stamps put the receipt first.
pub fn misordered_fraction(messages: &[Message]) -> f64 {
    if messages.is_empty() {
        return 0.0;
    }
    messages.iter().filter(|m| m.misordered()).count() as f64 / messages.len() as f64
}

/// The closed form above for skew `skew_s` and mean delay `mean_delay_s` (> 0).
pub fn misorder_probability(skew_s: f64, mean_delay_s: f64) -> Result<f64> {
    check::non_negative("skew_s", skew_s)?;
    check::positive("mean_delay_s", mean_delay_s)?;
    let a = skew_s / mean_delay_s;
    if a < 1e-4 {
        // The series a/6 − a²/24: the closed form cancels catastrophically here.
        return Ok(a / 6.0 - a * a / 24.0);
    }
    let e = (-a).exp();
    Ok(0.5 - (1.0 - e) / a + (1.0 - (1.0 + a) * e) / (a * a))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simulation_matches_the_closed_form() {
        // 200 000 messages: the standard error of a fraction is at most 0.0012; allow 5 of them.
        for (skew, delay) in [
            (0.0, 0.001),
            (0.001, 0.001),
            (0.010, 0.001),
            (0.010, 0.010),
            (1.0, 0.001),
        ] {
            let cfg = MisorderConfig {
                skew_s: skew,
                mean_delay_s: delay,
                messages: 200_000,
            };
            let got = misordered_fraction(&simulate(&cfg, 4).unwrap());
            let p = misorder_probability(skew, delay).unwrap();
            let se = (p * (1.0 - p) / 200_000.0).sqrt().max(1e-6);
            assert!((got - p).abs() <= 5.0 * se, "skew {skew}, delay {delay}: {got} vs {p}");
        }
        assert_eq!(misorder_probability(0.0, 1.0).unwrap(), 0.0);
        // Just above the switch, the closed form agrees with the series to 0.1% (its own
        // cancellation error there is about 10⁻⁴ relative; the a³ term is 10⁻⁷ relative).
        let a: f64 = 2e-4;
        let closed = misorder_probability(a, 1.0).unwrap();
        let series = a / 6.0 - a * a / 24.0;
        assert!((closed - series).abs() < 1e-3 * series, "{closed} vs {series}");
        assert!(misorder_probability(-1.0, 1.0).is_err());
    }
}
