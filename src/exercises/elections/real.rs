//! `exercise-9 --real`: the chapter's failover on a real three-member etcd cluster on loopback,
//! measured against the simulator's prediction, and the stale read of a resumed old leader.
//!
//! For each setting (heartbeat / election timeout) a fresh cluster is started
//! ([`crate::etcd::Cluster`]); its leader is paused with SIGSTOP a few times, each time at a
//! random phase of its heartbeat, and the **failover time** is measured from the SIGSTOP until
//! one of the other two members reports that it leads a higher term (its own status, polled
//! every couple of milliseconds: the same instant the simulator records as a win). The old
//! leader is then resumed (SIGCONT) and must report the new leader before the next pause. Every
//! wait is bounded; a paused member is resumed on every path; the cluster is stopped (by pid)
//! and its data removed even when a step fails.

use super::figures::failover_cdf_figure;
use crate::error::Result;
use crate::etcd::{Cluster, ClusterConfig, EtcdError};
use crate::quorum::failover::FailoverConfig;
use crate::sim::{Seed, quantile_sorted};
use rand::Rng;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod measure;
pub use measure::{RealFailover, StaleRead, measure_failover, settled_leader, stale_read};

/// A heartbeat interval and an election timeout, in milliseconds as etcd's flags take them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// `--heartbeat-interval`, ms.
    pub heartbeat_ms: u32,
    /// `--election-timeout`, ms.
    pub election_ms: u32,
}

impl Setting {
    /// Parses `"50/250"` (heartbeat/election timeout, ms); etcd wants the timeout at least
    /// five heartbeats (clap `value_parser`).
    pub fn parse(s: &str) -> std::result::Result<Setting, String> {
        let bad = || format!("`{s}`: a setting is heartbeat/election-timeout in ms, e.g. 100/1000");
        let (h, t) = s.trim().split_once('/').ok_or_else(bad)?;
        let heartbeat_ms: u32 = h.trim().parse().map_err(|_| bad())?;
        let election_ms: u32 = t.trim().parse().map_err(|_| bad())?;
        if heartbeat_ms == 0 || election_ms < 5 * heartbeat_ms || election_ms > 10_000 {
            return Err(format!(
                "`{s}`: etcd needs a heartbeat > 0 and an election timeout of at least 5 heartbeats (and here at most 10000 ms)"
            ));
        }
        Ok(Setting {
            heartbeat_ms,
            election_ms,
        })
    }

    /// The heartbeat, seconds.
    pub fn heartbeat_s(&self) -> f64 {
        f64::from(self.heartbeat_ms) / 1000.0
    }

    /// The election timeout, seconds.
    pub fn election_timeout_s(&self) -> f64 {
        f64::from(self.election_ms) / 1000.0
    }

    /// The simulator's cluster with the same timers (three members on loopback).
    pub fn failover_config(&self) -> FailoverConfig {
        FailoverConfig::loopback(self.heartbeat_s(), self.election_timeout_s())
    }

    /// A lab cluster on `client_ports` (peer ports one above) with these timers.
    pub fn cluster_config(&self, client_ports: &[u16]) -> ClusterConfig {
        ClusterConfig::with_ports(client_ports).timing(self.heartbeat_s(), self.election_timeout_s())
    }
}

impl std::fmt::Display for Setting {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{} ms", self.heartbeat_ms, self.election_ms)
    }
}

/// The failovers measured for one setting, and the stale read if it was asked for.
#[derive(Debug, Clone)]
pub struct SettingRun {
    /// The setting.
    pub setting: Setting,
    /// Each pause's failover.
    pub failovers: Vec<RealFailover>,
    /// The stale read.
    pub stale: Option<StaleRead>,
}

/// Starts a cluster for `setting` on `ports`, measures up to `pauses` failovers (stopping
/// early when `budget` is spent), optionally the stale read, and stops the cluster (by pid, its
/// data removed) whatever happened. `say` hears one line per step.
pub fn run_setting(
    setting: Setting,
    ports: &[u16],
    pauses: usize,
    budget: Duration,
    with_stale_read: bool,
    seed: u64,
    say: &mut dyn FnMut(String),
) -> std::result::Result<SettingRun, EtcdError> {
    let start = Instant::now();
    let mut cluster = Cluster::start(&setting.cluster_config(ports))?;
    let mut rng = Seed(seed).stream(90);
    let bound = Duration::from_secs_f64(10.0 * setting.election_timeout_s() + 5.0);
    let mut measured = || -> std::result::Result<SettingRun, EtcdError> {
        let mut failovers = Vec::new();
        for k in 0..pauses {
            if k > 0 && start.elapsed() > budget {
                say(format!("{setting}: time budget spent after {k} pauses"));
                break;
            }
            let phase = rng.random_range(0.0..setting.heartbeat_s());
            let f = measure_failover(&mut cluster, phase, bound)?;
            say(format!(
                "{setting}: pause {}: n{} (term {}) paused, n{} leads term {} after {:.3} s; n{} follows {:.3} s after SIGCONT{}",
                k + 1,
                f.old_leader + 1,
                f.old_term,
                f.new_leader + 1,
                f.new_term,
                f.failover_s,
                f.old_leader + 1,
                f.rejoin_s,
                if f.claimed_old_term {
                    " (its first answer: still leader of the old term)"
                } else {
                    ""
                }
            ));
            failovers.push(f);
        }
        let stale = if with_stale_read {
            Some(stale_read(&mut cluster, "faultline/chapter-9/stale", bound)?)
        } else {
            None
        };
        Ok(SettingRun {
            setting,
            failovers,
            stale,
        })
    };
    let result = measured();
    let stopped = cluster.stop();
    let run = result?;
    stopped?;
    Ok(run)
}

/// min / median / max of `v`, seconds, as text.
fn spread(v: &[f64]) -> String {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    format!(
        "{:.3} / {:.3} / {:.3}",
        s.first().copied().unwrap_or(f64::NAN),
        quantile_sorted(&s, 0.5),
        s.last().copied().unwrap_or(f64::NAN)
    )
}

/// Runs every setting on a real cluster, prints a table (measured beside simulated) on stderr,
/// and writes the comparison figure and a CSV of every pause under `out`.
pub fn run(
    settings: &[Setting],
    ports: &[u16],
    pauses: usize,
    sim_runs: usize,
    seed: u64,
    out: &Path,
) -> Result<Vec<PathBuf>> {
    if ports.len() < 3 {
        let shown = ports.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
        return Err(crate::Error::invalid(
            "etcd-ports",
            shown,
            "a failover needs at least 3 members (two must remain to elect)",
        ));
    }
    crate::etcd::find_etcd()?;
    let budget = Duration::from_secs_f64(45.0 / settings.len().max(1) as f64);
    let mut say = |line: String| eprintln!("{line}");
    let mut runs = Vec::new();
    for (k, s) in settings.iter().enumerate() {
        runs.push(run_setting(
            *s,
            ports,
            pauses,
            budget,
            k == 0,
            Seed(seed).child(k as u64).0,
            &mut say,
        )?);
    }
    let mut csv = String::from(
        "heartbeat_ms,election_ms,pause,old_leader,old_term,new_leader,new_term,failover_s,rejoin_s,claimed_old_term\n",
    );
    let mut table = format!(
        "Leader failover, 3 etcd members on loopback (s): measured (min / median / max) vs simulated ({sim_runs} runs)\n"
    );
    let mut measured = Vec::new();
    for r in &runs {
        let times: Vec<f64> = r.failovers.iter().map(|f| f.failover_s).collect();
        let cfg = r.setting.failover_config();
        let sim = crate::quorum::failover::failover_times(&cfg, sim_runs, seed)?;
        let _ = writeln!(
            table,
            "  {:>12}: etcd n = {:>2}: {}   simulated: {}   terms {}",
            r.setting.to_string(),
            times.len(),
            spread(&times),
            spread(&sim),
            r.failovers
                .iter()
                .map(|f| format!("{}→{}", f.old_term, f.new_term))
                .collect::<Vec<_>>()
                .join(" ")
        );
        for (k, f) in r.failovers.iter().enumerate() {
            let _ = writeln!(
                csv,
                "{},{},{},n{},{},n{},{},{:.4},{:.4},{}",
                r.setting.heartbeat_ms,
                r.setting.election_ms,
                k + 1,
                f.old_leader + 1,
                f.old_term,
                f.new_leader + 1,
                f.new_term,
                f.failover_s,
                f.rejoin_s,
                f.claimed_old_term
            );
        }
        measured.push((cfg, times));
    }
    if let Some(st) = runs.iter().find_map(|r| r.stale.as_ref()) {
        let _ = writeln!(
            table,
            "Stale read on the resumed old leader: serializable = {:?}, linearizable = {:?} (the key was {:?} before the pause, {:?} during it)",
            st.serializable, st.linearizable, st.before, st.during
        );
    }
    eprint!("{table}");
    std::fs::create_dir_all(out).map_err(|source| crate::Error::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let csv_path = out.join("etcd-failover.csv");
    std::fs::write(&csv_path, csv).map_err(|source| crate::Error::Io {
        path: csv_path.clone(),
        source,
    })?;
    let mut files = failover_cdf_figure(&measured, sim_runs, seed)?.save(out, "etcd-failover-cdf")?;
    files.push(csv_path);
    Ok(files)
}
