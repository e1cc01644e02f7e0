//! A real etcd cluster on loopback: start, inspect, pause and stop one, and talk to it.
//!
//! The simulators of chapters 8 and 9 know the truth; this module lets a learner watch the
//! same effects in a real, widely deployed coordination service (etcd 3.4, Debian's
//! `etcd-server` and `etcd-client` packages): a paused lock holder whose lease runs out, a
//! fencing check in a transaction, a leader that is paused and replaced.
//!
//! * [`Cluster`] starts `n` members of a fresh cluster ([`ClusterConfig`]: client and peer ports,
//!   heartbeat and election timeout, data under `target/etcd-lab/<unique>/`), one at a time,
//!   each waited for (bounded) until it answers; it finds the leader and its term, pauses
//!   (SIGSTOP), resumes (SIGCONT) and kills members, and stops them all — followers first, then
//!   the leader — when stopped or dropped, removing its data directory. Every process it starts
//!   is waited for and signalled by its pid only.
//! * [`Client`] is a thin blocking client of etcd's JSON gateway (`POST /v3/...`): key-value put,
//!   range and transactions with compares ([`Txn`]), leases (grant, keep-alive, time-to-live,
//!   revoke) and the maintenance status (leader, term, member id).
//! * Everything fails with an [`EtcdError`] that says what to do: etcd not installed (and the
//!   `apt-get` line), a port taken, no leader within a bound, a member that died, an address
//!   that is not loopback (refused: the lab never talks to another machine).
//!
//! ## Why JSON over HTTP with `ureq`
//!
//! etcd serves every call the lab needs through its gRPC gateway as JSON over HTTP/1.1. A
//! blocking client of about ten small crates (`ureq` without TLS, plus the `serde_json` and
//! `base64` the crate already has) builds in seconds; the gRPC client crate would pull in about
//! 66 crates, an async runtime and `protoc`. The lab makes a few hundred calls a run, so
//! speed is no concern; a blocking call with a timeout is also what a paused process needs
//! (it simply finishes its call when resumed). Proxies from the environment are ignored: every
//! request goes straight to 127.0.0.1.
//!
//! ## What the gateway does that surprises
//!
//! Keys and values travel as base64, revisions and ids as decimal strings; fields equal to
//! zero are left out (a failed transaction has no `"succeeded"`, a missing key no `"kvs"`);
//! unknown fields in a request are ignored silently, so a typo stores an empty value rather
//! than failing. `tests/etcd_lab.rs` therefore checks every request shape against a real server.

mod client;
mod cluster;
mod json;
mod member;
mod process;
mod txn;

pub use client::{Client, KeyValue, LeaseGrant, LeaseTtl, RangeReply, Status};
pub use cluster::{Cluster, ClusterConfig, MemberState, StopReport};
pub use process::{find_etcd, pause_pid, process_exists, resume_pid};
pub use txn::{Compare, CompareOp, CompareTarget, OpReply, Txn, TxnOp, TxnReply};

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// The line that tells a learner how to get etcd.
pub const INSTALL_HINT: &str = "sudo apt-get install etcd-server etcd-client";

/// What can go wrong with the real cluster or a call to it.
#[derive(Debug, thiserror::Error)]
pub enum EtcdError {
    /// No `etcd` binary on `PATH` (nor in /usr/bin, /usr/local/bin).
    #[error("etcd is not installed (no `etcd` on PATH): install it with `{INSTALL_HINT}`")]
    NotInstalled,
    /// A port the cluster needs is taken by another process.
    #[error("port {port} on 127.0.0.1 is already in use ({what}): stop whatever listens there, or choose other ports")]
    PortInUse {
        /// The port.
        port: u16,
        /// What the cluster wanted it for, e.g. `"client port of member n2"`.
        what: String,
    },
    /// An address that is not on loopback: the lab refuses to talk to another machine.
    #[error("refusing `{address}`: the etcd lab talks to loopback only (127.0.0.1, ::1 or localhost)")]
    NotLoopback {
        /// The address as given.
        address: String,
    },
    /// A configuration value out of range.
    #[error("invalid cluster setting {name} = {value}: {reason}")]
    Config {
        /// The setting, e.g. `"election_timeout_s"`.
        name: &'static str,
        /// The offending value, rendered.
        value: String,
        /// Why it is rejected.
        reason: &'static str,
    },
    /// A member did not answer on its peer port within the bound after it was started.
    #[error("etcd member {member} did not answer within {waited_s:.1} s; its log ends:\n{log_tail}")]
    NotAnswering {
        /// The member's name, e.g. `"n2"`.
        member: String,
        /// How long we waited, seconds.
        waited_s: f64,
        /// The last lines of its log.
        log_tail: String,
    },
    /// A member's process exited when it should be running.
    #[error("etcd member {member} exited ({status}); its log ends:\n{log_tail}")]
    MemberExited {
        /// The member's name.
        member: String,
        /// Its exit status, rendered.
        status: String,
        /// The last lines of its log.
        log_tail: String,
    },
    /// No running member reported a leader (with a term above the one asked for) in time.
    #[error("no leader{} within {waited_s:.1} s among the running members ({last})", above_term.map(|t| format!(" with a term above {t}")).unwrap_or_default())]
    NoLeader {
        /// How long we waited, seconds.
        waited_s: f64,
        /// The term the new leader had to exceed, if any.
        above_term: Option<u64>,
        /// What the members said last.
        last: String,
    },
    /// The cluster has no member with this index.
    #[error("no member {index}: the cluster has {members}")]
    NoSuchMember {
        /// The index asked for.
        index: usize,
        /// How many members there are.
        members: usize,
    },
    /// The HTTP call itself failed (connection refused, timeout, …).
    #[error("{path} on {endpoint}: {message}")]
    Http {
        /// The member's client URL.
        endpoint: String,
        /// The API path, e.g. `"/v3/kv/put"`.
        path: &'static str,
        /// What went wrong.
        message: String,
    },
    /// etcd answered with an error (`{"error", "message", "code"}`, a gRPC status code).
    #[error("etcd at {endpoint} refused {path}: {message} (gRPC code {code})")]
    Server {
        /// The member's client URL.
        endpoint: String,
        /// The API path.
        path: &'static str,
        /// The gRPC status code (5: not found, e.g. an expired lease).
        code: i64,
        /// etcd's message.
        message: String,
    },
    /// etcd answered something this client cannot read.
    #[error("unexpected answer to {path} from {endpoint}: {message}")]
    Reply {
        /// The member's client URL.
        endpoint: String,
        /// The API path.
        path: &'static str,
        /// What is wrong with it.
        message: String,
    },
    /// Starting, signalling or waiting for a process, or a file operation, failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being done, e.g. `"starting etcd member n1"`.
        what: String,
        /// The underlying error.
        source: std::io::Error,
    },
}

/// Shorthand for results whose error is [`EtcdError`].
pub type Result<T, E = EtcdError> = std::result::Result<T, E>;

/// Checks that `address` (`host:port`, optionally with `http://`) is on loopback and returns
/// the socket address it names. `localhost` is accepted only if every address it resolves to
/// is loopback.
pub fn loopback(address: &str) -> Result<SocketAddr> {
    let refuse = || EtcdError::NotLoopback {
        address: address.to_string(),
    };
    let bare = address.strip_prefix("http://").unwrap_or(address).trim_end_matches('/');
    if bare.contains('/') || bare.contains('@') {
        return Err(refuse());
    }
    let addrs: Vec<SocketAddr> = bare.to_socket_addrs().map_err(|_| refuse())?.collect();
    let first = *addrs.first().ok_or_else(refuse)?;
    if addrs.iter().all(|a| is_loopback(a.ip())) {
        Ok(first)
    } else {
        Err(refuse())
    }
}

fn is_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_addresses_pass() {
        assert!(loopback("127.0.0.1:12379").is_ok());
        assert!(loopback("http://127.0.0.1:12379").is_ok());
        assert!(loopback("[::1]:12379").is_ok());
        assert!(loopback("127.0.0.2:12379").is_ok());
        for bad in [
            "10.0.0.1:2379",
            "http://192.168.1.5:2379",
            "0.0.0.0:2379",
            "8.8.8.8:53",
            "127.0.0.1:12379/v3@10.0.0.1",
            "nonsense",
        ] {
            let err = loopback(bad).unwrap_err();
            assert!(matches!(err, EtcdError::NotLoopback { .. }), "{bad}: {err}");
        }
    }
}
