//! Message faults as values: a *wire plan* decides, message by message, what the wire does
//! (lose it, deliver it after a given delay, deliver it twice) instead of the link's dice. A
//! chapter that shrinks a failing run keys its plan by what a message *is* ("the reply to
//! transfer 2, second copy"), so that taking one fault out of a schedule leaves the fates of
//! the other messages where they were.

use super::{NodeId, Protocol};

/// What the wire does with one message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum WireFate {
    /// Lost on the wire (recorded as [`super::DropReason::Loss`]).
    Lost,
    /// Delivered `delay_s` seconds after it was sent (≥ 0).
    Delivered {
        /// Seconds from send to arrival.
        delay_s: f64,
    },
    /// Delivered twice: the original after `delay_s`, a duplicate copy after `copy_delay_s`.
    Duplicated {
        /// Seconds from send to the original's arrival.
        delay_s: f64,
        /// Seconds from send to the copy's arrival.
        copy_delay_s: f64,
    },
}

/// A wire plan: called for every message that reaches the wire (after the sender's buffer and
/// any partition let it through) with its sender, receiver and contents; `Some` decides its
/// fate, `None` leaves it to the link's settings.
pub type WirePlan<P> = Box<dyn FnMut(NodeId, NodeId, &<P as Protocol>::Msg) -> Option<WireFate>>;

/// A delay a plan gave, made safe: NaN and negative delays are 0, and none is over an hour.
pub(crate) fn safe_delay(delay_s: f64) -> f64 {
    if delay_s.is_nan() {
        0.0
    } else {
        delay_s.clamp(0.0, 3600.0)
    }
}
