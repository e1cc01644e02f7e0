//! One error type for the whole library.
//!
//! Simulator constructors validate their parameters and return [`Error::InvalidParameter`]
//! rather than panicking, so a binary can print one clear line and exit non-zero.

use std::path::PathBuf;

/// Everything that can go wrong in faultline's library code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A parameter is out of range (negative duration, NaN ppm, zero rate, …).
    #[error("invalid {name} = {value}: {reason}")]
    InvalidParameter {
        /// The parameter's name as the caller knows it, e.g. `"ppm"`.
        name: &'static str,
        /// The offending value, rendered.
        value: String,
        /// Why it is rejected, e.g. `"must be finite"`.
        reason: &'static str,
    },
    /// A data file could not be read or parsed.
    #[error("{}{}{}: {message}", file.display(), if *line > 0 { format!(": line {line}") } else { String::new() }, field.as_ref().map(|f| format!(", field `{f}`")).unwrap_or_default())]
    Data {
        /// The file being read.
        file: PathBuf,
        /// 1-based line number (the header is line 1); 0 if the file could not be opened.
        line: u64,
        /// The column name, when the error belongs to one field.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// A queue is offered at least as much work as it can do: with an infinite buffer it grows
    /// without bound, so it has no steady state and its mean wait is infinite.
    #[error("{what}: utilisation ρ = {utilisation} ≥ 1, the queue grows without bound (no steady state)")]
    Unstable {
        /// The model, e.g. `"M/M/1"`.
        what: &'static str,
        /// Offered load per server, λ·E\[S\]/c.
        utilisation: f64,
    },
    /// A collection that must hold something is empty (a partition with no nodes, no samples…).
    #[error("{what} is empty: {reason}")]
    Empty {
        /// What is empty, e.g. `"partition side"`.
        what: &'static str,
        /// Why it may not be.
        reason: &'static str,
    },
    /// A plot could not be drawn or saved.
    #[error("plot `{title}`: {message}")]
    Plot {
        /// The figure's title.
        title: String,
        /// What went wrong.
        message: String,
    },
    /// An NTP packet was malformed, or was not an acceptable answer to our request (wrong
    /// mode, unsynchronised server, origin timestamp that does not match ours, …).
    #[error("bad NTP packet: {reason}")]
    Packet {
        /// What is wrong with it, e.g. `"12 bytes, an NTP header needs 48"`.
        reason: String,
    },
    /// The server answered with stratum 0, a kiss-o'-death: it tells the client to slow down
    /// (`RATE`) or go away (`DENY`, `RSTR`) rather than giving the time.
    #[error("NTP server {server} sent a kiss-o'-death ({code}): it refuses to give us the time")]
    KissOfDeath {
        /// The server asked.
        server: String,
        /// The four-letter kiss code from the reference-id field, e.g. `"RATE"`.
        code: String,
    },
    /// No NTP answer arrived in time: nothing listening, the server is down, or the packets
    /// were lost.
    #[error("no NTP answer from {server} within {timeout_ms} ms ({why})")]
    NoResponse {
        /// The server asked.
        server: String,
        /// How long we waited, milliseconds.
        timeout_ms: u64,
        /// What the network said, e.g. `"nothing is listening on that port"`.
        why: String,
    },
    /// A socket operation failed (address does not resolve, cannot bind, …).
    #[error("network error with {server}: {source}")]
    Network {
        /// The server (or address) involved.
        server: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Reading or writing a file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The real etcd cluster of the lab ([`crate::etcd`]) or a call to it failed.
    #[error(transparent)]
    Etcd(#[from] crate::etcd::EtcdError),
    /// The chapter manifest, `chapters.toml`, is malformed or lacks an entry.
    #[error("chapters.toml: {message}")]
    Manifest {
        /// What is wrong, e.g. "no chapter 9".
        message: String,
    },
    /// A replay code that cannot be replayed (malformed, damaged, from another chapter or
    /// format version).
    #[error(transparent)]
    Replay(#[from] crate::shrink::ReplayError),
}

/// Shorthand for results whose error is [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An [`Error::InvalidParameter`] for `name = value`.
    pub fn invalid(name: &'static str, value: impl std::fmt::Display, reason: &'static str) -> Self {
        Error::InvalidParameter {
            name,
            value: value.to_string(),
            reason,
        }
    }
}

/// Checks shared by every constructor: each returns the value when it is acceptable.
pub mod check {
    use super::{Error, Result};

    /// `value` must be a finite number (not NaN, not ±∞).
    pub fn finite(name: &'static str, value: f64) -> Result<f64> {
        if value.is_finite() {
            Ok(value)
        } else {
            Err(Error::invalid(name, value, "must be a finite number"))
        }
    }

    /// `value` must be finite and ≥ 0.
    pub fn non_negative(name: &'static str, value: f64) -> Result<f64> {
        finite(name, value)?;
        if value >= 0.0 {
            Ok(value)
        } else {
            Err(Error::invalid(name, value, "must not be negative"))
        }
    }

    /// `value` must be finite and > 0.
    pub fn positive(name: &'static str, value: f64) -> Result<f64> {
        finite(name, value)?;
        if value > 0.0 {
            Ok(value)
        } else {
            Err(Error::invalid(name, value, "must be greater than zero"))
        }
    }

    /// A count must be at least 1 (servers, customers, buffer places).
    pub fn at_least_one(name: &'static str, value: u64) -> Result<u64> {
        if value >= 1 {
            Ok(value)
        } else {
            Err(Error::invalid(name, value, "must be at least 1"))
        }
    }

    /// `value` must be a probability, 0 ≤ p ≤ 1.
    pub fn probability(name: &'static str, value: f64) -> Result<f64> {
        finite(name, value)?;
        if (0.0..=1.0).contains(&value) {
            Ok(value)
        } else {
            Err(Error::invalid(name, value, "must be between 0 and 1"))
        }
    }
}
