//! Version vectors for a replicated value: each replica keeps every version no other version
//! it holds supersedes, so two writes made without seeing each other survive side by side as
//! *siblings* for a person or an application to reconcile. Last-write-wins (chapter 7) keeps
//! one of them by timestamp and drops the other without a word.
//!
//! Whether one version supersedes another is decided by a comparison of vectors passed in
//! (the learner's `compare` in the notebook), so the replicas run on whatever rule they get.

use super::history::{History, Kind};
use super::oracle::{Causality, HappensBefore};
use crate::error::{Error, Result};

/// How two vectors compare (see [`Causality`]).
pub type CompareRule = fn(a: &[u64], b: &[u64]) -> Causality;

/// One version of the value: what was written and its version vector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The value written (in [`replicate`], the id of the write's event).
    pub value: u64,
    /// Per replica, how many of its writes this version has seen.
    pub vv: Vec<u64>,
}

/// One replica: the versions it keeps (more than one: siblings).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replica {
    id: usize,
    nodes: usize,
    versions: Vec<Version>,
}

impl Replica {
    /// Replica `id` of `nodes`, holding nothing yet.
    pub fn new(id: usize, nodes: usize) -> Result<Self> {
        if id >= nodes {
            return Err(Error::invalid(
                "replica id",
                id,
                "must be less than the number of replicas",
            ));
        }
        Ok(Replica {
            id,
            nodes,
            versions: Vec::new(),
        })
    }

    /// The versions kept.
    pub fn versions(&self) -> &[Version] {
        &self.versions
    }

    /// A client writes `value` here, having read every version this replica holds: the new
    /// version supersedes them all.
    pub fn write(&mut self, value: u64) -> &Version {
        let mut vv = vec![0u64; self.nodes];
        for v in &self.versions {
            for (a, b) in vv.iter_mut().zip(&v.vv) {
                *a = (*a).max(*b);
            }
        }
        vv[self.id] += 1;
        self.versions = vec![Version { value, vv }];
        &self.versions[0]
    }

    /// Takes in versions from another replica: keeps every version that no other one
    /// supersedes according to `compare`.
    ///
    /// Errors: a version vector whose length is not the number of replicas.
    pub fn merge(&mut self, incoming: &[Version], compare: CompareRule) -> Result<()> {
        for v in incoming {
            if v.vv.len() != self.nodes {
                return Err(Error::invalid(
                    "version vector length",
                    format!("{} at a replica of {} replicas", v.vv.len(), self.nodes),
                    "a version vector needs one entry per replica",
                ));
            }
        }
        let mut all: Vec<Version> = self.versions.drain(..).chain(incoming.iter().cloned()).collect();
        let mut keep = Vec::with_capacity(all.len());
        for (i, v) in all.iter().enumerate() {
            let superseded = all.iter().enumerate().any(|(j, w)| {
                j != i
                    && match compare(&v.vv, &w.vv) {
                        Causality::Before => true,
                        Causality::Equal => j < i,
                        _ => false,
                    }
            });
            if !superseded {
                keep.push(i);
            }
        }
        self.versions = keep
            .into_iter()
            .map(|i| {
                std::mem::replace(
                    &mut all[i],
                    Version {
                        value: 0,
                        vv: Vec::new(),
                    },
                )
            })
            .collect();
        Ok(())
    }
}

/// What replicating the writes of a history did, per replica, with version vectors and with
/// last-write-wins.
#[derive(Debug, Clone, PartialEq)]
pub struct VersionReport {
    /// Per replica at the end, the values kept by version vectors (siblings when more than one).
    pub siblings: Vec<Vec<u64>>,
    /// Per replica at the end, the value last-write-wins kept (by the writer's physical clock).
    pub lww: Vec<Option<u64>>,
    /// Per replica, the kept versions that truly happened before none of the others kept
    /// (from the oracle): what a correct replica must show as siblings.
    pub truly_concurrent: Vec<Vec<u64>>,
    /// Pairs of writes in the whole history that were concurrent (from the oracle).
    pub concurrent_write_pairs: usize,
}

impl VersionReport {
    /// Writes that last-write-wins dropped silently at `replica`: siblings it did not keep.
    pub fn lww_dropped(&self, replica: usize) -> usize {
        let s = &self.siblings[replica];
        s.len() - usize::from(self.lww[replica].is_some_and(|w| s.contains(&w)))
    }
}

/// What a message carries: the sender's versions, and its last-write-wins (stamp, value).
type Carried = (Vec<Version>, Option<(f64, u64)>);

/// Replays `history` as a replicated register: each local event is a client write at its node
/// (the value is the event's id), each message carries the sender's versions, each receive
/// merges them with `compare`. Last-write-wins runs beside it, stamping each write with the
/// writer's physical clock.
pub fn replicate(history: &History, compare: CompareRule) -> Result<VersionReport> {
    let k = history.nodes();
    let mut replicas: Vec<Replica> = (0..k).map(|i| Replica::new(i, k)).collect::<Result<_>>()?;
    let mut lww: Vec<Option<(f64, u64)>> = vec![None; k];
    let mut carried: Vec<Option<Carried>> = vec![None; history.len()];
    let mut writes = Vec::new();
    for (i, ev) in history.events().iter().enumerate() {
        let n = ev.node;
        match ev.kind {
            Kind::Local => {
                replicas[n].write(i as u64);
                writes.push(i);
                let stamp = (ev.physical_s, i as u64);
                if lww[n].is_none_or(|held| stamp.0 > held.0) {
                    lww[n] = Some(stamp);
                }
            }
            Kind::Send { .. } => carried[i] = Some((replicas[n].versions.clone(), lww[n])),
            Kind::Receive { send } => {
                if let Some((versions, stamp)) = &carried[send] {
                    replicas[n].merge(versions, compare)?;
                    if let Some(s) = stamp
                        && lww[n].is_none_or(|held| s.0 > held.0)
                    {
                        lww[n] = Some(*s);
                    }
                }
            }
        }
    }
    let hb = HappensBefore::new(history);
    let mut pairs = 0;
    for (x, &a) in writes.iter().enumerate() {
        pairs += writes[x + 1..].iter().filter(|&&b| hb.concurrent(a, b)).count();
    }
    let truly_concurrent = replicas
        .iter()
        .map(|r| {
            let vals: Vec<u64> = r.versions.iter().map(|v| v.value).collect();
            vals.iter()
                .copied()
                .filter(|&a| !vals.iter().any(|&b| hb.happens_before(a as usize, b as usize)))
                .collect()
        })
        .collect();
    Ok(VersionReport {
        siblings: replicas
            .iter()
            .map(|r| r.versions.iter().map(|v| v.value).collect())
            .collect(),
        lww: lww.iter().map(|s| s.map(|(_, v)| v)).collect(),
        truly_concurrent,
        concurrent_write_pairs: pairs,
    })
}
