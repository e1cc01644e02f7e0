//! An election run as a value: the world's settings and its faults. [`ElectionConfig::chaos`]
//! draws the faults from a seed; the shrinker ([`crate::shrink`]) makes a failing schedule
//! smaller; a replay code carries it.

use serde::{Deserialize, Serialize};

use super::{ElectionConfig, quorum_size};
use crate::error::{Error, Result};
use crate::shrink::{PlannedFault, Shrink, round_to, without_chunks};
use crate::world::Fault;

/// Everything an election run depends on besides its seed and the vote rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElectionSchedule {
    /// The world.
    #[serde(rename = "w")]
    pub cfg: ElectionConfig,
    /// Its faults.
    #[serde(rename = "f")]
    pub faults: Vec<PlannedFault>,
}

/// The most a replayed schedule may ask for (a hand-made code cannot make a run endless).
const MAX_NODES: usize = 64;
const MAX_FAULTS: usize = 256;
const MAX_UNTIL_S: f64 = 600.0;

impl ElectionSchedule {
    /// `cfg` with the faults `faults` (link changes are left out: no chapter 9 run has them).
    pub fn new(cfg: ElectionConfig, faults: &[Fault]) -> Self {
        ElectionSchedule {
            cfg,
            faults: faults.iter().filter_map(PlannedFault::from_fault).collect(),
        }
    }

    /// The schedule of a chapter 9 chaos run: `cfg` and [`ElectionConfig::chaos`] of `seed`.
    pub fn chaos(cfg: &ElectionConfig, seed: u64) -> Self {
        Self::new(*cfg, &cfg.chaos(seed))
    }

    /// The faults as the world's.
    pub fn world_faults(&self) -> Vec<Fault> {
        self.faults.iter().map(PlannedFault::to_fault).collect()
    }

    /// Checks every field (a schedule may come from a hand-edited replay code).
    pub fn validate(&self) -> Result<()> {
        self.cfg.validate()?;
        if self.cfg.nodes > MAX_NODES {
            return Err(Error::invalid("nodes", self.cfg.nodes, "at most 64 in a replayed run"));
        }
        if self.faults.len() > MAX_FAULTS {
            return Err(Error::invalid(
                "faults",
                self.faults.len(),
                "at most 256 in a replayed run",
            ));
        }
        if self.cfg.until_s > MAX_UNTIL_S {
            return Err(Error::invalid(
                "until_s",
                self.cfg.until_s,
                "at most 600 s in a replayed run",
            ));
        }
        for f in self.world_faults() {
            f.validate(self.cfg.nodes)?;
        }
        Ok(())
    }

    /// The schedule with the last node gone (its faults go; partitions lose it) and a majority
    /// quorum of the rest; `None` below 2 nodes.
    fn without_last_node(&self) -> Option<Self> {
        let n = self.cfg.nodes.checked_sub(1).filter(|&n| n >= 2)?;
        let mut s = self.clone();
        s.cfg.nodes = n;
        s.cfg.quorum = quorum_size(n).min(self.cfg.quorum.max(1));
        s.faults = self
            .faults
            .iter()
            .filter_map(|f| match f {
                PlannedFault::Partition { from_s, to_s, groups } => {
                    let groups: Vec<Vec<usize>> = groups
                        .iter()
                        .map(|g| g.iter().copied().filter(|&x| x < n).collect::<Vec<_>>())
                        .filter(|g| !g.is_empty())
                        .collect();
                    let p = PlannedFault::Partition {
                        from_s: *from_s,
                        to_s: *to_s,
                        groups,
                    };
                    p.to_fault().validate(n).is_ok().then_some(p)
                }
                PlannedFault::Crash { node, .. }
                | PlannedFault::Pause { node, .. }
                | PlannedFault::ClockStep { node, .. } => (*node < n).then(|| f.clone()),
            })
            .collect();
        Some(s)
    }
}

/// `f`, `d` seconds earlier.
fn shifted(f: &PlannedFault, d: f64) -> PlannedFault {
    match f.clone() {
        PlannedFault::Partition { from_s, to_s, groups } => PlannedFault::Partition {
            from_s: from_s - d,
            to_s: to_s - d,
            groups,
        },
        PlannedFault::Crash { node, at_s, back_s } => PlannedFault::Crash {
            node,
            at_s: at_s - d,
            back_s: back_s.map(|b| b - d),
        },
        PlannedFault::Pause {
            node,
            at_s,
            length_s,
            mid,
        } => PlannedFault::Pause {
            node,
            at_s: at_s - d,
            length_s,
            mid,
        },
        PlannedFault::ClockStep { node, at_s, delta_s } => PlannedFault::ClockStep {
            node,
            at_s: at_s - d,
            delta_s,
        },
    }
}

/// Shorter and rounder versions of one fault, most aggressive first.
fn smaller_fault(f: &PlannedFault) -> Vec<PlannedFault> {
    let mut out = Vec::new();
    let shorter = |len: f64| {
        let mut v = Vec::new();
        let half = round_to(len * 0.5, 0.01);
        if half >= 0.02 {
            v.push(half);
        }
        let floor = (len * 10.0).floor() / 10.0;
        if floor >= 0.1 && floor < len {
            v.push(floor);
        }
        v
    };
    match f {
        PlannedFault::Partition { from_s, to_s, groups } => {
            for len in shorter(to_s - from_s) {
                out.push(PlannedFault::Partition {
                    from_s: *from_s,
                    to_s: from_s + len,
                    groups: groups.clone(),
                });
            }
            let at = round_to(*from_s, 0.1);
            if at != *from_s {
                out.push(PlannedFault::Partition {
                    from_s: at,
                    to_s: at + (to_s - from_s),
                    groups: groups.clone(),
                });
            }
        }
        PlannedFault::Crash { node, at_s, back_s } => {
            if let Some(b) = back_s {
                for len in shorter(b - at_s) {
                    out.push(PlannedFault::Crash {
                        node: *node,
                        at_s: *at_s,
                        back_s: Some(at_s + len),
                    });
                }
            }
            let at = round_to(*at_s, 0.1);
            if at != *at_s {
                out.push(PlannedFault::Crash {
                    node: *node,
                    at_s: at,
                    back_s: back_s.map(|b| at + (b - at_s)),
                });
            }
        }
        PlannedFault::Pause {
            node,
            at_s,
            length_s,
            mid,
        } => {
            for len in shorter(*length_s) {
                out.push(PlannedFault::Pause {
                    node: *node,
                    at_s: *at_s,
                    length_s: len,
                    mid: *mid,
                });
            }
            let at = round_to(*at_s, 0.1);
            if at != *at_s {
                out.push(PlannedFault::Pause {
                    node: *node,
                    at_s: at,
                    length_s: *length_s,
                    mid: *mid,
                });
            }
            if *mid {
                out.push(PlannedFault::Pause {
                    node: *node,
                    at_s: *at_s,
                    length_s: *length_s,
                    mid: false,
                });
            }
        }
        PlannedFault::ClockStep { node, at_s, delta_s } => {
            let half = round_to(delta_s * 0.5, 0.01);
            if half != 0.0 && half.abs() < delta_s.abs() {
                out.push(PlannedFault::ClockStep {
                    node: *node,
                    at_s: *at_s,
                    delta_s: half,
                });
            }
        }
    }
    out
}

impl Shrink for ElectionSchedule {
    fn candidates(&self) -> Vec<Self> {
        let mut out = Vec::new();
        for frac in [0.5, 0.8] {
            let until = round_to(self.cfg.until_s * frac, 0.1);
            if until >= 0.5 && until < self.cfg.until_s {
                let mut s = self.clone();
                s.cfg.until_s = until;
                out.push(s);
            }
        }
        out.extend(self.without_last_node());
        // Everything earlier, so that the run can end sooner.
        let first = self.faults.iter().map(PlannedFault::at_s).fold(f64::INFINITY, f64::min);
        for frac in [1.0, 0.5] {
            let d = round_to(first * frac, 0.1);
            if first.is_finite() && d > 0.0 && d <= first {
                out.push(ElectionSchedule {
                    cfg: ElectionConfig {
                        until_s: round_to(self.cfg.until_s - d, 0.1),
                        ..self.cfg
                    },
                    faults: self.faults.iter().map(|f| shifted(f, d)).collect(),
                });
            }
        }
        for faults in without_chunks(&self.faults) {
            out.push(ElectionSchedule { cfg: self.cfg, faults });
        }
        // Round times first (a learner reads 2.1 s better than 2.06539 s), then shorten.
        let mut smaller: Vec<(bool, usize, PlannedFault)> = Vec::new();
        for (i, f) in self.faults.iter().enumerate() {
            smaller.extend(smaller_fault(f).into_iter().map(|g| (g.at_s() == f.at_s(), i, g)));
        }
        smaller.sort_by_key(|(shorter, _, _)| *shorter);
        for (_, i, g) in smaller {
            let mut s = self.clone();
            s.faults[i] = g;
            out.push(s);
        }
        if self.cfg.drift_ppm > 0.0 {
            let mut s = self.clone();
            s.cfg.drift_ppm = 0.0;
            out.push(s);
        }
        if self.cfg.jitter_s > 0.0 {
            let mut s = self.clone();
            s.cfg.jitter_s = 0.0;
            out.push(s);
        }
        out
    }
}
