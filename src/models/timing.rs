//! The delays a run recorded, and the timing models they are consistent with.
//!
//! A recorded run can refute a *synchronous* model (one message slower than the bound is the
//! witness) but never an asynchronous one, which promises nothing. It fits a *partially
//! synchronous* model when, from some time on, every message arrived within the bound: the
//! earliest such time is the run's GST. A run whose late messages go on to its very last
//! message shows no stabilisation at all: it is consistent only with asynchrony (as far as
//! this run can tell).

use super::check::HistoryError;
use crate::world::{Fate, MessageRecord};

/// One message: when it was sent and when it arrived, true seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delivery {
    /// Sent, true time, seconds.
    pub sent_s: f64,
    /// Delivered, true time, seconds (`None`: lost, or still in flight when the run ended).
    pub delivered_s: Option<f64>,
}

/// The messages of one run in order of sending, and when the run ended.
#[derive(Debug, Clone, PartialEq)]
pub struct DelayRun {
    /// Every message, in order of sending (ties: sent at the same instant, e.g. a broadcast).
    pub deliveries: Vec<Delivery>,
    /// When the run ended, true seconds.
    pub end_s: f64,
}

/// The strongest timing model a run is consistent with, for a given bound.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Consistent {
    /// Every message arrived within the bound.
    Synchronous,
    /// Every message sent at or after `gst_s` arrived within the bound, and `gst_s` is the
    /// earliest send time for which that is true.
    PartiallySynchronous {
        /// The earliest such send time, true seconds.
        gst_s: f64,
    },
    /// Late messages up to the last one sent: no stabilisation in this run.
    Asynchronous,
}

impl DelayRun {
    /// The messages of a world's run (duplicate copies left out: a message's delay is its
    /// first copy's), ended at `end_s`.
    pub fn from_messages(messages: &[MessageRecord], end_s: f64) -> Self {
        let deliveries = messages
            .iter()
            .filter(|m| !m.duplicate)
            .map(|m| Delivery {
                sent_s: m.sent_at_s,
                delivered_s: match m.fate {
                    Fate::Delivered { at_s } => Some(at_s),
                    _ => None,
                },
            })
            .collect();
        DelayRun { deliveries, end_s }
    }

    /// Checks the record: at least one message, finite times, sends in order, no arrival
    /// before its send, the end after every send.
    pub fn validate(&self) -> Result<(), HistoryError> {
        if self.deliveries.is_empty() {
            return Err(HistoryError::Empty { what: "messages" });
        }
        let mut last = f64::NEG_INFINITY;
        for (index, d) in self.deliveries.iter().enumerate() {
            let bad = |reason: String| HistoryError::Malformed { index, reason };
            if !d.sent_s.is_finite() || d.delivered_s.is_some_and(|t| !t.is_finite()) {
                return Err(bad("a time that is not finite".into()));
            }
            if d.sent_s < last {
                return Err(bad(format!("sent at {} s, before the message before it", d.sent_s)));
            }
            if d.delivered_s.is_some_and(|t| t < d.sent_s) {
                return Err(bad("delivered before it was sent".into()));
            }
            if d.sent_s > self.end_s {
                return Err(bad(format!("sent at {} s, after the run ended", d.sent_s)));
            }
            last = d.sent_s;
        }
        Ok(())
    }

    /// Each message's delay, seconds (`f64::INFINITY` for one never delivered), for plots.
    pub fn delays_s(&self) -> Vec<(f64, f64)> {
        self.deliveries
            .iter()
            .map(|d| (d.sent_s, d.delivered_s.map_or(f64::INFINITY, |t| t - d.sent_s)))
            .collect()
    }
}
