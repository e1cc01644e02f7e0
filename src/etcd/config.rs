//! The settings of a lab cluster.

use super::{EtcdError, Result};
use std::path::PathBuf;

/// How to start a lab cluster. Times are seconds.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterConfig {
    /// Each member's client port, one member per port; its peer port is the next one up
    /// (12379 → 12380). Members are named n1, n2, … in this order.
    pub client_ports: Vec<u16>,
    /// Raft heartbeat interval, seconds (etcd's `--heartbeat-interval`, whole milliseconds).
    pub heartbeat_s: f64,
    /// Raft election timeout, seconds (`--election-timeout`; at least 5 heartbeats). etcd
    /// randomises each member's timeout between this and twice it.
    pub election_timeout_s: f64,
    /// How long each member may take to answer on its peer port after it is started.
    pub member_start_timeout_s: f64,
    /// How long the started cluster may take to elect a leader.
    pub leader_timeout_s: f64,
    /// The bound on each client call made through [`Cluster::client`].
    pub call_timeout_s: f64,
    /// Where each cluster's directory (`<root>/<unique>/`) is made; removed on stop.
    pub data_root: PathBuf,
}

impl Default for ClusterConfig {
    /// Three members on client ports 12379, 22379, 32379; heartbeat 0.1 s, election timeout
    /// 1 s; 10 s for each member to start, 15 s for a leader, 2 s a call; data under
    /// `target/etcd-lab/`.
    fn default() -> Self {
        ClusterConfig {
            client_ports: vec![12379, 22379, 32379],
            heartbeat_s: 0.1,
            election_timeout_s: 1.0,
            member_start_timeout_s: 10.0,
            leader_timeout_s: 15.0,
            call_timeout_s: 2.0,
            data_root: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("etcd-lab"),
        }
    }
}

impl ClusterConfig {
    /// The default settings with these client ports (one member each).
    pub fn with_ports(client_ports: &[u16]) -> Self {
        ClusterConfig {
            client_ports: client_ports.to_vec(),
            ..Default::default()
        }
    }

    /// The same settings with this heartbeat and election timeout, seconds.
    pub fn timing(self, heartbeat_s: f64, election_timeout_s: f64) -> Self {
        ClusterConfig {
            heartbeat_s,
            election_timeout_s,
            ..self
        }
    }

    /// Checks every setting; the error names the one out of range.
    pub fn validate(&self) -> Result<()> {
        let bad = |name, value: String, reason| Err(EtcdError::Config { name, value, reason });
        let n = self.client_ports.len();
        if !(1..=7).contains(&n) {
            return bad("client_ports", format!("{n} ports"), "a lab cluster has 1 to 7 members");
        }
        let mut all: Vec<u16> = Vec::new();
        for &p in &self.client_ports {
            if p < 1024 || p == u16::MAX {
                return bad(
                    "client_ports",
                    p.to_string(),
                    "ports must be 1024–65534 (peer port is +1)",
                );
            }
            all.extend([p, p + 1]);
        }
        all.sort_unstable();
        if all.windows(2).any(|w| w[0] == w[1]) {
            return bad(
                "client_ports",
                format!("{:?}", self.client_ports),
                "two members would share a port (each uses its port and the next)",
            );
        }
        let ms = |s: f64| (s * 1000.0).round();
        if !(self.heartbeat_s.is_finite() && ms(self.heartbeat_s) >= 1.0 && self.heartbeat_s <= 10.0) {
            return bad("heartbeat_s", self.heartbeat_s.to_string(), "must be 0.001–10 s");
        }
        if !(self.election_timeout_s.is_finite() && ms(self.election_timeout_s) >= 5.0 * ms(self.heartbeat_s))
            || self.election_timeout_s > 50.0
        {
            return bad(
                "election_timeout_s",
                self.election_timeout_s.to_string(),
                "etcd needs at least 5 heartbeats, and at most 50 s",
            );
        }
        for (name, v) in [
            ("member_start_timeout_s", self.member_start_timeout_s),
            ("leader_timeout_s", self.leader_timeout_s),
            ("call_timeout_s", self.call_timeout_s),
        ] {
            if !(v.is_finite() && v > 0.0 && v <= 600.0) {
                return bad(
                    name,
                    v.to_string(),
                    "must be a bound of more than 0 s and at most 600 s",
                );
            }
        }
        Ok(())
    }
}
