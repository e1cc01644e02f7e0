//! A lease run as a value: the world's settings, each client's clock and first request, and
//! every pause. [`LeaseConfig`] draws one from a seed ([`LeaseSchedule::draw`]); the shrinker
//! ([`crate::shrink`]) makes it smaller; a replay code carries it.

use serde::{Deserialize, Serialize};

use super::{FIRST_CLIENT, LeaseConfig};
use crate::error::{Error, Result, check};
use crate::shrink::{Shrink, round_to, without_chunks};
use crate::sim::Seed;
use crate::world::Fault;
use rand::Rng;

/// One client's clock and when it first asks for the lease.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ClientPlan {
    /// Its clock's drift, ppm (negative: slow).
    #[serde(rename = "p")]
    pub ppm: f64,
    /// When it first asks, local seconds.
    #[serde(rename = "s")]
    pub start_s: f64,
}

/// One pause of a client, inside the first handler it runs at or after `at_s` (between its
/// check and its act).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PausePlan {
    /// The client, 0-based (node `FIRST_CLIENT + client`).
    #[serde(rename = "c")]
    pub client: usize,
    /// From when it is armed, true seconds.
    #[serde(rename = "a")]
    pub at_s: f64,
    /// How long, seconds.
    #[serde(rename = "l")]
    pub length_s: f64,
}

/// Everything a lease run depends on besides its seed and the storage's rule.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaseSchedule {
    /// Length of a lease, seconds.
    #[serde(rename = "l")]
    pub lease_s: f64,
    /// Writes a client makes under one lease.
    #[serde(rename = "w")]
    pub writes_per_lease: usize,
    /// Local seconds between a client's writes.
    #[serde(rename = "g")]
    pub write_gap_s: f64,
    /// Local seconds a client waits before asking again.
    #[serde(rename = "r")]
    pub retry_s: f64,
    /// One-way network delay, seconds.
    #[serde(rename = "d")]
    pub link_delay_s: f64,
    /// How long the run lasts, seconds.
    #[serde(rename = "u")]
    pub until_s: f64,
    /// How many local seconds before its lease ends a client stops starting writes.
    #[serde(rename = "m")]
    pub margin_s: f64,
    /// The clients.
    #[serde(rename = "c")]
    pub clients: Vec<ClientPlan>,
    /// The pauses.
    #[serde(rename = "p")]
    pub pauses: Vec<PausePlan>,
}

/// The most a replayed schedule may ask for (a hand-made code cannot make a run endless).
const MAX_CLIENTS: usize = 16;
const MAX_PAUSES: usize = 256;
const MAX_UNTIL_S: f64 = 3600.0;

impl LeaseSchedule {
    /// The schedule `cfg` draws from `seed` (the same clocks, starts and pauses a run of `cfg`
    /// on `seed` has), with clients stopping `margin_s` early.
    pub fn draw(cfg: &LeaseConfig, margin_s: f64, seed: u64) -> Self {
        let mut rng = Seed(seed).stream(2);
        let clients = (0..cfg.clients)
            .map(|_| {
                let ppm = if cfg.slowest_clocks {
                    -cfg.drift_ppm
                } else {
                    rng.random_range(-1.0..=1.0) * cfg.drift_ppm
                };
                ClientPlan {
                    ppm,
                    start_s: rng.random_range(0.0..cfg.retry_s),
                }
            })
            .collect();
        let pauses = cfg
            .pauses(seed)
            .into_iter()
            .filter_map(|f| match f {
                Fault::Pause {
                    node, at_s, length_s, ..
                } => Some(PausePlan {
                    client: node - FIRST_CLIENT,
                    at_s,
                    length_s,
                }),
                _ => None,
            })
            .collect();
        LeaseSchedule {
            lease_s: cfg.lease_s,
            writes_per_lease: cfg.writes_per_lease,
            write_gap_s: cfg.write_gap_s,
            retry_s: cfg.retry_s,
            link_delay_s: cfg.link_delay_s,
            until_s: cfg.until_s,
            margin_s,
            clients,
            pauses,
        }
    }

    /// The world settings the clients are built from.
    pub(crate) fn config(&self) -> LeaseConfig {
        LeaseConfig {
            clients: self.clients.len(),
            lease_s: self.lease_s,
            writes_per_lease: self.writes_per_lease,
            write_gap_s: self.write_gap_s,
            retry_s: self.retry_s,
            link_delay_s: self.link_delay_s,
            until_s: self.until_s,
            ..Default::default()
        }
    }

    /// The pauses as the world's faults.
    pub fn faults(&self) -> Vec<Fault> {
        self.pauses
            .iter()
            .map(|p| Fault::Pause {
                node: FIRST_CLIENT + p.client,
                at_s: p.at_s,
                length_s: p.length_s,
                mid_handler: true,
            })
            .collect()
    }

    /// Checks every field (a schedule may come from a hand-edited replay code).
    pub fn validate(&self) -> Result<()> {
        self.config().validate()?;
        check::finite("margin_s", self.margin_s)?;
        if self.clients.len() > MAX_CLIENTS {
            return Err(Error::invalid(
                "clients",
                self.clients.len(),
                "at most 16 in a replayed run",
            ));
        }
        if self.pauses.len() > MAX_PAUSES {
            return Err(Error::invalid(
                "pauses",
                self.pauses.len(),
                "at most 256 in a replayed run",
            ));
        }
        if self.until_s > MAX_UNTIL_S {
            return Err(Error::invalid(
                "until_s",
                self.until_s,
                "at most an hour in a replayed run",
            ));
        }
        for c in &self.clients {
            check::finite("client ppm", c.ppm)?;
            if c.ppm.abs() >= 1e5 {
                return Err(Error::invalid("client ppm", c.ppm, "must be within ±100000"));
            }
            check::non_negative("client start_s", c.start_s)?;
            check::finite("client start_s", c.start_s)?;
        }
        for f in self.faults() {
            f.validate(FIRST_CLIENT + self.clients.len())?;
        }
        Ok(())
    }

    /// The schedule without client `c` (its pauses go; later clients move down one).
    fn without_client(&self, c: usize) -> Self {
        let mut s = self.clone();
        s.clients.remove(c);
        s.pauses = self
            .pauses
            .iter()
            .filter(|p| p.client != c)
            .map(|p| PausePlan {
                client: if p.client > c { p.client - 1 } else { p.client },
                ..*p
            })
            .collect();
        s
    }
}

impl Shrink for LeaseSchedule {
    fn candidates(&self) -> Vec<Self> {
        let mut out = Vec::new();
        let with = |f: &dyn Fn(&mut LeaseSchedule)| {
            let mut s = self.clone();
            f(&mut s);
            s
        };
        // An earlier end.
        for frac in [0.5, 0.8] {
            let until = round_to(self.until_s * frac, 0.1);
            if until >= 1.0 && until < self.until_s {
                out.push(with(&|s| s.until_s = until));
            }
        }
        // Every pause earlier by whole leases, so that the run can end sooner.
        let first = self.pauses.iter().map(|p| p.at_s).fold(f64::INFINITY, f64::min);
        for k in [4.0, 2.0, 1.0] {
            let d = round_to(k * self.lease_s, 0.1);
            if first.is_finite() && d <= first && d < self.until_s {
                out.push(with(&|s| {
                    s.until_s = round_to(s.until_s - d, 0.1);
                    s.pauses.iter_mut().for_each(|p| p.at_s -= d);
                }));
            }
        }
        // Fewer pauses.
        for pauses in without_chunks(&self.pauses) {
            out.push(with(&|s| s.pauses = pauses.clone()));
        }
        // Fewer clients.
        if self.clients.len() > 1 {
            for c in (0..self.clients.len()).rev() {
                out.push(self.without_client(c));
            }
        }
        // Fewer writes under a lease.
        if self.writes_per_lease > 1 {
            out.push(with(&|s| s.writes_per_lease = 1));
            out.push(with(&|s| s.writes_per_lease -= 1));
        }
        // Shorter pauses, then rounder ones.
        for (i, p) in self.pauses.iter().enumerate() {
            let half = round_to(p.length_s * 0.5, 0.01);
            if half >= 0.05 {
                out.push(with(&|s| s.pauses[i].length_s = half));
            }
            let shorter = round_to(p.length_s * 0.9, 0.01);
            if shorter >= 0.05 && shorter < p.length_s {
                out.push(with(&|s| s.pauses[i].length_s = shorter));
            }
            // Earlier, so that the run can end sooner.
            let back = |k: f64| round_to(p.at_s - k * self.lease_s, 0.1);
            for earlier in [
                round_to(p.at_s * 0.25, 0.1),
                round_to(p.at_s * 0.5, 0.1),
                back(4.0),
                back(3.0),
                back(2.0),
                back(1.0),
            ] {
                if earlier >= 0.0 && earlier < p.at_s {
                    out.push(with(&|s| s.pauses[i].at_s = earlier));
                }
            }
            let at = round_to(p.at_s, 0.1);
            if at != p.at_s {
                out.push(with(&|s| s.pauses[i].at_s = at));
            }
            // Rounded down only, so that no two candidates undo each other.
            let len = (p.length_s * 10.0).floor() / 10.0;
            if len >= 0.1 && len < p.length_s {
                out.push(with(&|s| s.pauses[i].length_s = len));
            }
        }
        // Fewer requests while another client holds the lease.
        let retry = round_to(self.retry_s * 2.0, 0.1);
        if retry <= self.lease_s {
            out.push(with(&|s| s.retry_s = retry));
        }
        // A lease of whole seconds.
        let lease = self.lease_s.floor();
        if lease >= 1.0 && lease < self.lease_s {
            out.push(with(&|s| s.lease_s = lease));
        }
        // Perfect clocks, round start times.
        for (i, c) in self.clients.iter().enumerate() {
            if c.ppm != 0.0 {
                out.push(with(&|s| s.clients[i].ppm = 0.0));
            }
            let start = round_to(c.start_s, 0.1);
            if start != c.start_s {
                out.push(with(&|s| s.clients[i].start_s = start));
            }
        }
        out
    }
}
