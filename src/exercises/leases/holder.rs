//! The lock holder of the real scenario: a process of its own (the exercise binary started
//! again with a hidden first argument), so that SIGSTOP pauses it whole — its writer and its
//! keep-alive thread alike — as a garbage-collection pause would.
//!
//! It grants itself a lease, takes the lock key in a transaction (the key's create revision is
//! its fencing token), keeps the lease alive, and writes while the learner's lease-safety
//! answer (`latest_safe_local_time` less `lease_margin`, on its own monotonic clock) says the
//! lease still holds. Each write follows its check after a short piece of work: the window in
//! which the scenario pauses it. With fencing, every write goes through the learner's
//! `fencing_accepts` against the highest token stored beside the data, in a compare-and-set
//! transaction. It reports each step as one JSON line on stdout.

use super::Answers;
use crate::etcd::{Client, Compare, CompareOp, Txn, TxnOp};
use crate::grade::{Panicked, attempt};
use crate::lease;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The hidden first argument that makes `exercise-8` a lock holder.
pub const HOLDER_ARG: &str = "__faultline-etcd-lock-holder";

/// What a holder is told (one JSON argument).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HolderConfig {
    /// The member it talks to, `http://127.0.0.1:port`.
    pub endpoint: String,
    /// Its name, written as the lock key's value and into its data.
    pub name: String,
    /// The lock key.
    pub lock_key: String,
    /// The data key the storage guards.
    pub data_key: String,
    /// The key holding the highest token accepted so far (fenced storage only).
    pub highest_key: String,
    /// Whether the storage fences (with the learner's `fencing_accepts`).
    pub fenced: bool,
    /// The lease TTL to ask for, seconds.
    pub ttl_s: i64,
    /// Writes at most this many times.
    pub max_writes: u32,
    /// The work between a check and its write, seconds.
    pub work_s: f64,
    /// The gap after a write, seconds.
    pub write_gap_s: f64,
    /// The drift bound it assumes, ppm.
    pub drift_ppm: f64,
    /// The pause its margin allows for, seconds.
    pub assumed_pause_s: f64,
    /// Use the library's lease-safety answers (the learner's are not attempted or panic).
    pub reference_safety: bool,
}

/// One step a holder reports. Times are Unix seconds (wall clock, shared by the processes).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HolderEvent {
    /// `lock`, `check`, `write`, `stop`, `lease_lost`, `error` or `panicked`.
    pub kind: String,
    /// When it happened (for a write: when the answer came back).
    pub at_s: f64,
    /// For `lock`: when it asked; for `write`: when it sent the write.
    pub sent_at_s: f64,
    /// Its fencing token (the lock key's create revision).
    pub token: i64,
    /// For a write: whether the storage accepted it.
    pub accepted: bool,
    /// Anything to say.
    pub note: String,
}

fn unix_s() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// The holder's own clock: the system's monotonic clock, seconds since boot. It keeps running
/// while the process is stopped, so a resumed holder can tell how long it was gone.
fn local_s() -> f64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: clock_gettime writes one timespec, which we own, for a clock that always exists.
    unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

fn emit(kind: &str, sent_at_s: f64, token: i64, accepted: bool, note: impl Into<String>) {
    let e = HolderEvent {
        kind: kind.to_string(),
        at_s: unix_s(),
        sent_at_s,
        token,
        accepted,
        note: note.into(),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", serde_json::to_string(&e).unwrap_or_default());
    let _ = out.flush();
}

/// `main` of a holder: `exercise-8 __faultline-etcd-lock-holder '<HolderConfig as JSON>'`.
pub fn holder_main(a: &Answers, config_json: &str) -> ExitCode {
    let cfg: HolderConfig = match serde_json::from_str(config_json) {
        Ok(c) => c,
        Err(e) => {
            emit("error", 0.0, 0, false, format!("bad holder configuration: {e}"));
            return ExitCode::from(2);
        }
    };
    match hold(a, &cfg) {
        Ok(()) => ExitCode::SUCCESS,
        Err(note) => {
            emit("error", 0.0, 0, false, note);
            ExitCode::FAILURE
        }
    }
}

/// Lease state shared with the keep-alive thread: (local time the last renewal was asked for,
/// its TTL in seconds, whether etcd said the lease is gone).
type Renewed = Arc<Mutex<(f64, f64, bool)>>;

fn hold(a: &Answers, cfg: &HolderConfig) -> Result<(), String> {
    let client = Client::new(&cfg.endpoint, Duration::from_secs(3)).map_err(|e| e.to_string())?;
    let lease = client.lease_grant(cfg.ttl_s).map_err(|e| e.to_string())?;
    // Take the lock: create the key only if it does not exist, attached to our lease.
    let take = Txn::new()
        .when(Compare::create_revision(&cfg.lock_key, CompareOp::Equal, 0))
        .then(TxnOp::put(&cfg.lock_key, &cfg.name).with_lease(lease.id));
    let give_up = local_s() + 20.0;
    let (asked_local, asked_unix, token) = loop {
        let (l, u) = (local_s(), unix_s());
        let r = client.txn(&take).map_err(|e| e.to_string())?;
        if r.succeeded {
            break (l, u, r.revision);
        }
        if local_s() > give_up {
            return Err("the lock stayed taken for 20 s".into());
        }
        std::thread::sleep(Duration::from_millis(30));
    };
    emit(
        "lock",
        asked_unix,
        token,
        true,
        format!("lease {} of {} s", lease.id, lease.ttl_s),
    );
    let renewed: Renewed = Arc::new(Mutex::new((asked_local, lease.ttl_s as f64, false)));
    let r2 = Arc::clone(&renewed);
    let keeper = client.clone();
    let every = Duration::from_secs_f64((lease.ttl_s as f64 / 3.0).max(0.2));
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(every);
            let asked = local_s();
            match keeper.lease_keepalive(lease.id) {
                Ok(ttl) if ttl > 0 => *r2.lock().unwrap_or_else(|e| e.into_inner()) = (asked, ttl as f64, false),
                Ok(_) => {
                    r2.lock().unwrap_or_else(|e| e.into_inner()).2 = true;
                    emit("lease_lost", 0.0, token, false, "a keep-alive found the lease gone");
                    return;
                }
                Err(_) => {}
            }
        }
    });
    let latest: fn(f64, f64, f64) -> f64 = if cfg.reference_safety {
        lease::latest_safe_local_time
    } else {
        a.latest_safe_local_time
    };
    let margin: fn(f64, f64, f64) -> f64 = if cfg.reference_safety {
        lease::lease_margin
    } else {
        a.lease_margin
    };
    for k in 0..cfg.max_writes {
        let (asked, ttl, _lost) = *renewed.lock().unwrap_or_else(|e| e.into_inner());
        let safe = attempt(|| latest(asked, ttl, cfg.drift_ppm) - margin(cfg.assumed_pause_s, cfg.drift_ppm, ttl));
        let safe_until = match safe {
            Ok(s) => s,
            Err(p) => {
                let what = match p {
                    Panicked::Todo => "not attempted".to_string(),
                    Panicked::Other(m) => m,
                };
                emit(
                    "panicked",
                    0.0,
                    token,
                    false,
                    format!("lease-safety answer panicked: {what}"),
                );
                return Ok(());
            }
        };
        let now = local_s();
        // Only the learner's answer decides (a NaN answer means "not safe").
        if safe_until.is_nan() || now >= safe_until {
            emit(
                "stop",
                0.0,
                token,
                false,
                format!(
                    "lease may be over: local clock {:.3} s past the renewal, safe until {:.3} s",
                    now - asked,
                    safe_until - asked
                ),
            );
            break;
        }
        emit("check", 0.0, token, true, format!("write {}", k + 1));
        std::thread::sleep(Duration::from_secs_f64(cfg.work_s));
        let sent = unix_s();
        let value = format!("{} with token {token}, write {}", cfg.name, k + 1);
        let accepted = if cfg.fenced {
            fenced_write(a, &client, cfg, token, &value)?
        } else {
            client.put(&cfg.data_key, &value, 0).map_err(|e| e.to_string())?;
            true
        };
        emit("write", sent, token, accepted, value);
        std::thread::sleep(Duration::from_secs_f64(cfg.write_gap_s));
    }
    // Release the lock for the next holder (an expired lease is already gone).
    let _ = client.lease_revoke(lease.id);
    Ok(())
}

/// The fenced storage: accept the write only if the learner's `fencing_accepts(token,
/// highest)` says so, against the highest token stored beside the data; the data and the new
/// highest are written in one transaction that fails if the highest changed since it was read.
fn fenced_write(a: &Answers, client: &Client, cfg: &HolderConfig, token: i64, value: &str) -> Result<bool, String> {
    for _ in 0..20 {
        let read = client.get(&cfg.highest_key, false).map_err(|e| e.to_string())?;
        let (highest, seen_rev) = match &read.kv {
            Some(kv) => (
                kv.value_str()
                    .trim()
                    .parse::<u64>()
                    .map_err(|e| format!("highest token: {e}"))?,
                kv.mod_revision,
            ),
            None => (0, 0),
        };
        let t = u64::try_from(token).unwrap_or(0);
        let accepts = a.fencing_accepts;
        let ok = attempt(|| accepts(t, highest)).map_err(|p| match p {
            Panicked::Todo => "fencing_accepts is not attempted".to_string(),
            Panicked::Other(m) => format!("fencing_accepts panicked: {m}"),
        })?;
        if !ok {
            return Ok(false);
        }
        let cas = Txn::new()
            .when(Compare::mod_revision(&cfg.highest_key, CompareOp::Equal, seen_rev))
            .then(TxnOp::put(&cfg.data_key, value))
            .then(TxnOp::put(&cfg.highest_key, format!("{:020}", t.max(highest))));
        if client.txn(&cas).map_err(|e| e.to_string())?.succeeded {
            return Ok(true);
        }
    }
    Err("the highest token kept changing under 20 compare-and-set tries".into())
}
