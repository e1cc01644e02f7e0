//! One failover and one stale read on a running lab cluster, every wait bounded.

use crate::etcd::{Client, Cluster, EtcdError};
use std::time::{Duration, Instant};

/// One failover measured on the real cluster. Members are indices (0 is `n1`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RealFailover {
    /// The paused leader.
    pub old_leader: usize,
    /// Its term.
    pub old_term: u64,
    /// The member that then reported itself leader of a higher term.
    pub new_leader: usize,
    /// That term.
    pub new_term: u64,
    /// From the SIGSTOP until the new leader reported it leads, seconds.
    pub failover_s: f64,
    /// From the SIGCONT until the old leader reported following the new leader, seconds.
    pub rejoin_s: f64,
    /// Whether the old leader's first answer after the SIGCONT still said it led its old term.
    pub claimed_old_term: bool,
}

/// Polls every `step` until `f` gives a value, at most `bound`; `None` on the bound.
fn poll<T>(bound: Duration, step: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if start.elapsed() > bound {
            return None;
        }
        std::thread::sleep(step);
    }
}

fn no_leader(waited: Duration, above_term: Option<u64>, last: impl Into<String>) -> EtcdError {
    EtcdError::NoLeader {
        waited_s: waited.as_secs_f64(),
        above_term,
        last: last.into(),
    }
}

/// A client of member `i` whose every call is bounded by `ms` milliseconds.
fn quick_client(cluster: &Cluster, i: usize, ms: u64) -> std::result::Result<Client, EtcdError> {
    Client::new(&cluster.endpoint(i)?, Duration::from_millis(ms))
}

/// Waits (bounded) until the cluster has a leader that every member follows in the same term;
/// returns the leader's index and term.
pub fn settled_leader(cluster: &mut Cluster, bound: Duration) -> std::result::Result<(usize, u64), EtcdError> {
    let start = Instant::now();
    let (lead, term) = cluster.wait_for_leader(None, bound)?;
    let id = cluster.member_id(lead)?;
    let clients: Vec<Client> = (0..cluster.len())
        .map(|i| quick_client(cluster, i, 300))
        .collect::<std::result::Result<_, _>>()?;
    let rest = bound.saturating_sub(start.elapsed());
    poll(rest, Duration::from_millis(5), || {
        clients
            .iter()
            .all(|c| c.status().is_ok_and(|s| s.leader == id && s.raft_term == term))
            .then_some(())
    })
    .ok_or_else(|| {
        no_leader(
            start.elapsed(),
            None,
            format!("not every member follows n{} in term {term}", lead + 1),
        )
    })?;
    Ok((lead, term))
}

/// Pauses the settled leader after `phase_s` (a random phase of its heartbeat), times the
/// failover (bounded by `bound`), resumes the old leader and waits (bounded) until it follows
/// the new one. The old leader is resumed on every path.
pub fn measure_failover(
    cluster: &mut Cluster,
    phase_s: f64,
    bound: Duration,
) -> std::result::Result<RealFailover, EtcdError> {
    let (old, old_term) = settled_leader(cluster, Duration::from_secs(10))?;
    let others: Vec<(usize, Client)> = (0..cluster.len())
        .filter(|&j| j != old)
        .map(|j| quick_client(cluster, j, 300).map(|c| (j, c)))
        .collect::<std::result::Result<_, _>>()?;
    std::thread::sleep(Duration::from_secs_f64(phase_s.max(0.0)));
    let t0 = Instant::now();
    cluster.pause(old)?;
    let found = poll(bound, Duration::from_millis(2), || {
        others.iter().find_map(|(j, c)| {
            c.status()
                .ok()
                .filter(|s| s.is_leader() && s.raft_term > old_term)
                .map(|s| (*j, s.raft_term, t0.elapsed()))
        })
    });
    let t1 = Instant::now();
    cluster.resume(old)?;
    let Some((new_leader, new_term, took)) = found else {
        return Err(no_leader(
            t0.elapsed(),
            Some(old_term),
            "the remaining members elected nobody",
        ));
    };
    let new_id = cluster.member_id(new_leader)?;
    let resumed = quick_client(cluster, old, 500)?;
    let mut first = None;
    poll(Duration::from_secs(5), Duration::from_millis(2), || {
        let s = resumed.status().ok()?;
        first.get_or_insert((s.is_leader(), s.raft_term));
        (s.leader == new_id && s.raft_term >= new_term).then_some(())
    })
    .ok_or_else(|| {
        no_leader(
            t1.elapsed(),
            Some(old_term),
            format!("n{} did not follow n{} after SIGCONT", old + 1, new_leader + 1),
        )
    })?;
    Ok(RealFailover {
        old_leader: old,
        old_term,
        new_leader,
        new_term,
        failover_s: took.as_secs_f64(),
        rejoin_s: t1.elapsed().as_secs_f64(),
        claimed_old_term: first == Some((true, old_term)),
    })
}

/// What the resumed old leader answered for a key overwritten while it was paused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleRead {
    /// The value written (through the old leader) before the pause.
    pub before: String,
    /// The value written through the new leader during the pause.
    pub during: String,
    /// A serializable read on the old leader right after SIGCONT (its local copy).
    pub serializable: String,
    /// A linearizable read on the old leader right after that (confirmed through the leader).
    pub linearizable: String,
}

/// Writes `key` through the leader, pauses the leader, overwrites `key` through the new leader,
/// resumes the old leader and reads `key` on it at once, serializable then linearizable. The
/// old leader is resumed on every path.
pub fn stale_read(cluster: &mut Cluster, key: &str, bound: Duration) -> std::result::Result<StaleRead, EtcdError> {
    let (old, term) = settled_leader(cluster, Duration::from_secs(10))?;
    let before = "written before the pause".to_string();
    let during = "written during the pause".to_string();
    let rev = cluster.client(old)?.put(key, &before, 0)?;
    // Every member applies the first write before the pause, so a stale answer is the old value.
    let clients: Vec<Client> = (0..cluster.len())
        .map(|i| quick_client(cluster, i, 300))
        .collect::<std::result::Result<_, _>>()?;
    poll(bound, Duration::from_millis(5), || {
        clients
            .iter()
            .all(|c| c.get(key, true).is_ok_and(|r| r.revision >= rev))
            .then_some(())
    })
    .ok_or_else(|| no_leader(bound, None, "a member did not apply the first write"))?;
    cluster.pause(old)?;
    let wrote = cluster
        .wait_for_leader(Some(term), bound)
        .and_then(|(new, _)| cluster.client(new)?.put(key, &during, 0));
    cluster.resume(old)?;
    wrote?;
    let resumed = Client::new(&cluster.endpoint(old)?, Duration::from_secs(2))?;
    let value = |r: crate::etcd::RangeReply| r.kv.map(|kv| kv.value_str()).unwrap_or_default();
    let serializable = value(resumed.get(key, true)?);
    // A linearizable read may be refused while the old leader learns it was deposed: retry.
    let mut last = None;
    for _ in 0..5 {
        match resumed.get(key, false) {
            Ok(r) => {
                last = Some(Ok(value(r)));
                break;
            }
            Err(e) => {
                last = Some(Err(e));
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
    let linearizable = last.expect("the loop runs")?;
    Ok(StaleRead {
        before,
        during,
        serializable,
        linearizable,
    })
}
