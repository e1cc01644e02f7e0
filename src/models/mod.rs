//! System models: what a protocol may assume about time and about failures, as settings of the
//! [`crate::world`] simulator, and safety and liveness as checkers over recorded histories.
//!
//! * A [`TimingModel`] is a schedule of links: **synchronous** (every message arrives within a
//!   known bound), **partially synchronous** (delays longer than any timeout until a global
//!   stabilisation time, GST, and within the bound from then on) or **asynchronous** (delays
//!   unbounded: heavy-tailed for the whole run). It becomes a [`LinkConfig`] plus a
//!   [`Fault::LinkChange`] at GST.
//! * A [`FailureModel`] says how nodes fail: **crash-stop** (a node stops for good),
//!   **crash-recovery** (it comes back with what it kept on disk) or **Byzantine** (it lies:
//!   here, a voter that grants every candidate its vote).
//! * [`check`]: safety checkers return the *shortest violating prefix* of a history, as the
//!   index of its first bad event and the event (a finite witness); [`liveness`] judges "within
//!   T after stabilisation", which a finite run can confirm or refute only because T is finite.
//! * [`election`]: chapter 9's term-based election run under a model, and a primary–backup
//!   protocol that trusts a timeout-based failure detector (it assumes synchrony, has no terms
//!   and no fencing), to show which of them stays safe when delays are unbounded.
//! * [`timing`]: the delays a run recorded, and which timing model they are consistent with.
//! * [`writes`]: a storage's log of applied writes recorded by chapter 8's lease world (with or
//!   without fencing, read-only now and then), as a run a checker reads and a shrinker trims.
//!
//! ```
//! use faultline::models::{FailureModel, SystemModel, TimingModel, check, election};
//! use faultline::quorum::ElectionConfig;
//! let model = SystemModel::new(TimingModel::partially_synchronous(2.0), FailureModel::CrashRecovery);
//! let run = election::elect(&ElectionConfig::default(), &model, 7)?;
//! let leads = election::leader_events(&run.election);
//! assert!(check::one_leader_per_term(&leads)?.is_none());
//! assert!(run.election.first_leader_s().is_some_and(|t| t > 2.0));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod check;
pub mod election;
pub mod liveness;
pub mod property;
pub mod timing;
pub(crate) mod truth;
pub mod writes;

use crate::error::{Result, check as checks};
use crate::sim::Dist;
use crate::world::{Fault, LinkConfig, NodeId};

pub use check::{HistoryError, Violation};
pub use property::Property;
pub use timing::{Consistent, DelayRun, Delivery};
pub use writes::{ReadOnly, WriteRun};

/// What the network promises about delays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TimingModel {
    /// Every message arrives within `bound_s`, a bound the nodes know (delays uniform between a
    /// fifth of it and 0.99 of it).
    Synchronous {
        /// The known bound on one-way delay, seconds (> 0).
        bound_s: f64,
    },
    /// Before `gst_s` every message takes between `before_s` and twice that: longer than any
    /// election timeout (the model allows any delay before GST; this one is what breaks
    /// timeouts, and every message sent before GST has arrived by `gst_s + 2 · before_s`). Messages sent from `gst_s` on arrive within
    /// `bound_s`. The nodes know the bound but not when GST comes.
    PartiallySynchronous {
        /// The global stabilisation time, true seconds (≥ 0).
        gst_s: f64,
        /// The shortest delay before GST, seconds (> 0).
        before_s: f64,
        /// The bound from GST on, seconds (> 0).
        bound_s: f64,
    },
    /// No bound: every delay is `scale_s` plus a Pareto tail of index 1.1 (finite mean, but
    /// any delay has a chance).
    Asynchronous {
        /// The shortest delay, seconds (> 0); the median is about 1.9 times it.
        scale_s: f64,
    },
}

/// The bound used by the constructors below: 10 ms one way.
pub const BOUND_S: f64 = 0.010;

impl TimingModel {
    /// Synchronous with the 10 ms bound.
    pub fn synchronous() -> Self {
        TimingModel::Synchronous { bound_s: BOUND_S }
    }

    /// Partially synchronous: 0.5 s delays (longer than chapter 9's 150–300 ms timeouts) until
    /// `gst_s`, the 10 ms bound after.
    pub fn partially_synchronous(gst_s: f64) -> Self {
        TimingModel::PartiallySynchronous {
            gst_s,
            before_s: 0.5,
            bound_s: BOUND_S,
        }
    }

    /// Asynchronous with delays from 50 ms up, without bound.
    pub fn asynchronous() -> Self {
        TimingModel::Asynchronous { scale_s: 0.050 }
    }

    /// Its name, for plots and reports.
    pub fn name(&self) -> &'static str {
        match self {
            TimingModel::Synchronous { .. } => "synchronous",
            TimingModel::PartiallySynchronous { .. } => "partially synchronous",
            TimingModel::Asynchronous { .. } => "asynchronous",
        }
    }

    /// When delays become bounded, true seconds: 0 when synchronous, GST when partially
    /// synchronous, never (`None`) when asynchronous.
    pub fn stabilises_at_s(&self) -> Option<f64> {
        match *self {
            TimingModel::Synchronous { .. } => Some(0.0),
            TimingModel::PartiallySynchronous { gst_s, .. } => Some(gst_s),
            TimingModel::Asynchronous { .. } => None,
        }
    }

    /// The bound that holds once stable, seconds (`None` when asynchronous).
    pub fn bound_s(&self) -> Option<f64> {
        match *self {
            TimingModel::Synchronous { bound_s } | TimingModel::PartiallySynchronous { bound_s, .. } => Some(bound_s),
            TimingModel::Asynchronous { .. } => None,
        }
    }

    /// Checks every field (times finite and positive, GST not negative).
    pub fn validate(&self) -> Result<()> {
        match *self {
            TimingModel::Synchronous { bound_s } => checks::positive("bound_s", bound_s).map(drop),
            TimingModel::PartiallySynchronous {
                gst_s,
                before_s,
                bound_s,
            } => {
                checks::non_negative("gst_s", gst_s)?;
                checks::finite("gst_s", gst_s)?;
                checks::positive("before_s", before_s)?;
                checks::positive("bound_s", bound_s).map(drop)
            }
            TimingModel::Asynchronous { scale_s } => checks::positive("scale_s", scale_s).map(drop),
        }
    }

    /// The link every pair starts with and the link changes to schedule.
    pub fn links(&self) -> Result<(LinkConfig, Vec<Fault>)> {
        self.validate()?;
        Ok(match *self {
            TimingModel::Synchronous { bound_s } => (bounded(bound_s)?, vec![]),
            TimingModel::PartiallySynchronous {
                gst_s,
                before_s,
                bound_s,
            } => {
                let mut slow = LinkConfig::reliable(before_s, 1e9)?;
                slow.jitter_s = Dist::uniform(0.0, before_s)?;
                let after = bounded(bound_s)?;
                if gst_s == 0.0 {
                    (after, vec![])
                } else {
                    (
                        slow,
                        vec![Fault::LinkChange {
                            at_s: gst_s,
                            link: after,
                        }],
                    )
                }
            }
            TimingModel::Asynchronous { scale_s } => {
                let mut l = LinkConfig::reliable(0.0, 1e9)?;
                l.jitter_s = Dist::pareto(scale_s, 1.1)?;
                (l, vec![])
            }
        })
    }
}

/// A reliable link whose delay is uniform in [0.2, 0.99) × `bound_s` (the 32-byte messages'
/// transmission at 1 GB/s adds 32 ns, well inside the bound's last percent).
fn bounded(bound_s: f64) -> Result<LinkConfig> {
    let mut l = LinkConfig::reliable(0.2 * bound_s, 1e9)?;
    l.jitter_s = Dist::uniform(0.0, 0.79 * bound_s)?;
    Ok(l)
}

/// How nodes fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureModel {
    /// Nodes never fail (a baseline).
    None,
    /// Node 0 crashes at 1/3 of the run and never comes back.
    CrashStop,
    /// Node 0 crashes at 1/3 of the run and restarts 1 s later with its term and vote (kept
    /// on disk).
    CrashRecovery,
    /// Node 0 lies: it grants its vote to every candidate, several per term.
    Byzantine,
}

impl FailureModel {
    /// Its name, for plots and reports.
    pub fn name(&self) -> &'static str {
        match self {
            FailureModel::None => "no failures",
            FailureModel::CrashStop => "crash-stop",
            FailureModel::CrashRecovery => "crash-recovery",
            FailureModel::Byzantine => "Byzantine",
        }
    }

    /// The crashes to schedule in a run of `until_s` seconds.
    pub fn faults(&self, until_s: f64) -> Vec<Fault> {
        let at_s = until_s / 3.0;
        match self {
            FailureModel::CrashStop => vec![Fault::Crash {
                node: 0,
                at_s,
                recover_at_s: None,
            }],
            FailureModel::CrashRecovery => vec![Fault::Crash {
                node: 0,
                at_s,
                recover_at_s: Some(at_s + 1.0),
            }],
            FailureModel::None | FailureModel::Byzantine => vec![],
        }
    }

    /// The node that lies, if any.
    pub fn liar(&self) -> Option<NodeId> {
        (*self == FailureModel::Byzantine).then_some(0)
    }
}

/// A timing model and a failure model together: what a protocol is allowed to assume.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SystemModel {
    /// What the network promises about delays.
    pub timing: TimingModel,
    /// How nodes fail.
    pub failure: FailureModel,
}

impl SystemModel {
    /// The pair.
    pub fn new(timing: TimingModel, failure: FailureModel) -> Self {
        SystemModel { timing, failure }
    }

    /// "partially synchronous, crash-recovery".
    pub fn name(&self) -> String {
        format!("{}, {}", self.timing.name(), self.failure.name())
    }
}
