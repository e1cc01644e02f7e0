//! Histories of applied writes, recorded by a world: chapter 8's lease world, whose storage
//! runs with or without fencing and is read-only now and then (a failover, a full disk), so
//! its log holds accepted writes, writes fencing turned away, and writes refused whatever
//! their token. A checker of "no stale write accepted" reads that log; a [`WriteRun`] is the
//! run as a value, so that a run on which a checker errs can be shrunk and replayed.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, check};
use crate::lease::{self, AppliedWrite, LeaseConfig, LeaseOutcome, LeaseSchedule, Leases, Storage};
use crate::shrink::{Shrink, round_to, without_chunks};
use crate::sim::Seed;
use crate::world::Outcome;
use rand::Rng;

/// A span during which the storage refuses every write, true seconds `[from_s, to_s)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ReadOnly {
    /// When it starts, true seconds.
    #[serde(rename = "a")]
    pub from_s: f64,
    /// When it ends, true seconds.
    #[serde(rename = "b")]
    pub to_s: f64,
}

impl ReadOnly {
    /// Whether a write arriving at `at_s` falls in it.
    pub fn contains(&self, at_s: f64) -> bool {
        at_s >= self.from_s && at_s < self.to_s
    }
}

/// A lease world whose storage's log a checker reads: the lease run, the storage's rule and
/// when it is read-only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WriteRun {
    /// The lease world: clients, clocks, pauses, end.
    #[serde(rename = "l")]
    pub lease: LeaseSchedule,
    /// Whether the storage fences (rejects a token below the highest it accepted); else it
    /// accepts every write it is not read-only for.
    #[serde(rename = "f")]
    pub fencing: bool,
    /// When the storage is read-only.
    #[serde(rename = "r")]
    pub read_only: Vec<ReadOnly>,
    /// Whether the storage also goes read-only at the worst moment, as a targeted fault (a
    /// nemesis) would: see [`WriteRun::spans`].
    #[serde(rename = "n", default, skip_serializing_if = "std::ops::Not::not")]
    pub failover: bool,
}

/// The most read-only spans a replayed run may have.
const MAX_SPANS: usize = 64;

impl WriteRun {
    /// The run `cfg` draws from `seed` (the lease world's own clocks and pauses), with a storage
    /// that fences or not, read-only `spans` times for 2–12 s each.
    pub fn draw(cfg: &LeaseConfig, fencing: bool, spans: usize, seed: u64) -> Self {
        let lease = LeaseSchedule::draw(cfg, 0.0, seed);
        let mut rng = Seed(seed).stream(3);
        let mut read_only: Vec<ReadOnly> = (0..spans)
            .map(|_| {
                let from_s = round_to(rng.random_range(0.0..cfg.until_s), 0.01);
                let length_s = round_to(rng.random_range(2.0..12.0), 0.01);
                ReadOnly {
                    from_s,
                    to_s: from_s + length_s,
                }
            })
            .collect();
        read_only.sort_by(|a, b| a.from_s.total_cmp(&b.from_s));
        WriteRun {
            lease,
            fencing,
            read_only,
            failover: false,
        }
    }

    /// The storage's rule: fencing, or none.
    pub fn accepts(&self) -> fn(u64, u64) -> bool {
        if self.fencing {
            lease::fencing_accepts
        } else {
            |_, _| true
        }
    }

    /// Checks every field (a run may come from a hand-edited replay code).
    pub fn validate(&self) -> Result<()> {
        self.lease.validate()?;
        if self.read_only.len() > MAX_SPANS {
            return Err(Error::invalid(
                "read_only",
                self.read_only.len(),
                "at most 64 spans in a replayed run",
            ));
        }
        for r in &self.read_only {
            check::non_negative("read_only from_s", r.from_s)?;
            check::finite("read_only to_s", r.to_s)?;
            if r.to_s <= r.from_s {
                return Err(Error::invalid("read_only to_s", r.to_s, "must be after from_s"));
            }
        }
        Ok(())
    }

    /// Every span the storage is read-only on `seed`: the listed ones and, with
    /// [`failover`](Self::failover), one from just before the first write whose token is above a
    /// late write's until that late write lands. The clients act the same whatever the storage
    /// answers, so that span is found on the run without it and changes only what is accepted.
    pub fn spans(&self, seed: u64) -> Result<Vec<ReadOnly>> {
        let mut spans = self.read_only.clone();
        if self.failover {
            let plain = WriteRun {
                failover: false,
                ..self.clone()
            };
            let (out, _) = plain.run(seed, false)?;
            spans.extend(failover_span(&out.writes));
        }
        spans.sort_by(|a, b| a.from_s.total_cmp(&b.from_s));
        Ok(spans)
    }

    /// Runs it on `seed` (messages labelled when `label`, for a diagram): the storage's log
    /// and the world's own records.
    pub fn run(&self, seed: u64, label: bool) -> Result<(LeaseOutcome, Outcome<Leases>)> {
        self.validate()?;
        let spans = self.spans(seed)?.iter().map(|r| (r.from_s, r.to_s)).collect();
        let storage = Storage::read_only_during(self.accepts(), spans);
        lease::run_schedule_with(&self.lease, storage, seed, label)
    }

    fn with_lease(&self, lease: LeaseSchedule) -> Self {
        WriteRun { lease, ..self.clone() }
    }
}

/// From halfway between the write before it and the first write whose token is above a later
/// write's, until that later (late) write lands.
fn failover_span(w: &[AppliedWrite]) -> Option<ReadOnly> {
    let (j, i) = (0..w.len()).find_map(|i| (0..i).find(|&j| w[j].token > w[i].token).map(|j| (j, i)))?;
    let before = j.checked_sub(1).map_or(0.0, |k| w[k].at_s);
    let half = ((before + w[j].at_s) * 50.0).floor() / 100.0;
    let from_s = if half > before && half < w[j].at_s {
        half
    } else {
        (before + w[j].at_s) / 2.0
    };
    Some(ReadOnly {
        from_s,
        to_s: w[i].at_s,
    })
}

impl Shrink for WriteRun {
    fn candidates(&self) -> Vec<Self> {
        let mut out = Vec::new();
        let lease_s = self.lease.lease_s;
        // Spans that start after the run ends change nothing: gone first.
        let live: Vec<ReadOnly> = self
            .read_only
            .iter()
            .copied()
            .filter(|r| r.from_s < self.lease.until_s)
            .collect();
        if live.len() < self.read_only.len() {
            out.push(WriteRun {
                read_only: live,
                ..self.clone()
            });
        }
        // A storage that fences: it puts refused writes in the log without any read-only span.
        if !self.fencing {
            out.push(WriteRun {
                fencing: true,
                read_only: Vec::new(),
                failover: false,
                ..self.clone()
            });
        }
        // No failover.
        if self.failover {
            out.push(WriteRun {
                failover: false,
                ..self.clone()
            });
        }
        // Fewer read-only spans.
        for spans in without_chunks(&self.read_only) {
            out.push(WriteRun {
                read_only: spans,
                ..self.clone()
            });
        }
        // Everything earlier by whole leases (pauses and spans together), so the run ends sooner.
        let first = self
            .lease
            .pauses
            .iter()
            .map(|p| p.at_s)
            .chain(self.read_only.iter().map(|r| r.from_s))
            .fold(f64::INFINITY, f64::min);
        for k in [4.0, 2.0, 1.0] {
            let d = round_to(k * lease_s, 0.1);
            if first.is_finite() && d <= first && d < self.lease.until_s {
                let mut s = self.clone();
                s.lease.until_s = round_to(s.lease.until_s - d, 0.1);
                s.lease.pauses.iter_mut().for_each(|p| p.at_s -= d);
                s.read_only.iter_mut().for_each(|r| {
                    r.from_s -= d;
                    r.to_s -= d;
                });
                out.push(s);
            }
        }
        // The lease world's own candidates (end, pauses, clients, writes, clocks).
        out.extend(self.lease.candidates().into_iter().map(|l| self.with_lease(l)));
        // Shorter, rounder, earlier spans.
        for (i, r) in self.read_only.iter().enumerate() {
            let len = r.to_s - r.from_s;
            let mut with = |from_s: f64, to_s: f64| {
                let mut s = self.clone();
                s.read_only[i] = ReadOnly { from_s, to_s };
                out.push(s);
            };
            let half = round_to(len * 0.5, 0.01);
            if half >= 0.05 {
                with(r.from_s, r.from_s + half);
            }
            let at = round_to(r.from_s, 0.1);
            if at != r.from_s {
                with(at, at + len);
            }
            let floor = (len * 10.0).floor() / 10.0;
            if floor >= 0.1 && floor < len {
                with(r.from_s, r.from_s + floor);
            }
            for k in [2.0, 1.0] {
                let earlier = round_to(r.from_s - k * lease_s, 0.1);
                if earlier >= 0.0 {
                    with(earlier, earlier + len);
                }
            }
        }
        out
    }
}
