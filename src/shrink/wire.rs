//! A message's fate as a value that goes into a replay code (chapters 1 and 2 shrink the
//! lost, late and duplicated messages of a run; see [`crate::world::WirePlan`]).

use serde::{Deserialize, Serialize};

use crate::world::WireFate;

/// What the wire did with one message.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "f")]
pub enum MsgFate {
    /// Lost.
    #[serde(rename = "lost")]
    Lost,
    /// Delivered after `d` seconds.
    #[serde(rename = "late")]
    Late {
        /// Seconds from send to arrival.
        d: f64,
    },
    /// Delivered twice, after `d` and after `c` seconds.
    #[serde(rename = "twice")]
    Twice {
        /// Seconds from send to the first copy's arrival.
        d: f64,
        /// Seconds from send to the second copy's arrival.
        c: f64,
    },
}

impl MsgFate {
    /// The world's wire fate.
    pub fn wire(self) -> WireFate {
        match self {
            MsgFate::Lost => WireFate::Lost,
            MsgFate::Late { d } => WireFate::Delivered { delay_s: d },
            MsgFate::Twice { d, c } => WireFate::Duplicated {
                delay_s: d,
                copy_delay_s: c,
            },
        }
    }
}

impl MsgFate {
    /// One message's fate drawn as a link would: lost with probability `loss`, else delivered
    /// twice with probability `duplicate`, each copy after `base_s` plus a draw of `jitter`.
    pub fn draw(rng: &mut impl rand::Rng, loss: f64, duplicate: f64, base_s: f64, jitter: &crate::sim::Dist) -> Self {
        if rng.random_bool(loss) {
            MsgFate::Lost
        } else if rng.random_bool(duplicate) {
            MsgFate::Twice {
                d: base_s + jitter.sample(rng),
                c: base_s + jitter.sample(rng),
            }
        } else {
            MsgFate::Late {
                d: base_s + jitter.sample(rng),
            }
        }
    }

    /// Simpler fates, for shrinking: one copy instead of two, a delay halved, delays rounded to
    /// the millisecond (never below `base_s`).
    pub fn simpler(self, base_s: f64) -> Vec<MsgFate> {
        let ms = |d: f64| super::round_to(d, 0.001).max(base_s);
        let all = match self {
            MsgFate::Lost => vec![],
            MsgFate::Late { d } => vec![MsgFate::Late { d: ms(d * 0.5) }, MsgFate::Late { d: ms(d) }],
            MsgFate::Twice { d, c } => vec![
                MsgFate::Late { d },
                MsgFate::Late { d: c },
                MsgFate::Twice { d: ms(d), c: ms(c) },
            ],
        };
        all.into_iter().filter(|f| *f != self).collect()
    }

    /// Checks its delays (a fate may come from a hand-edited replay code).
    pub fn validate(&self) -> crate::error::Result<()> {
        use crate::error::check;
        match *self {
            MsgFate::Lost => Ok(()),
            MsgFate::Late { d } => check::non_negative("message delay", d).map(drop),
            MsgFate::Twice { d, c } => {
                check::non_negative("message delay", d)?;
                check::non_negative("copy delay", c).map(drop)
            }
        }
    }
}
