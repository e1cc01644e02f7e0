//! Chapter 8 on a real etcd cluster: a lock holder really paused (SIGSTOP) past its lease,
//! a second holder taking the lock and writing, the first resuming and writing — once against
//! a naive storage (a plain put) and once against a storage fenced by the learner's
//! `fencing_accepts`. Both scenarios run at once on one three-member cluster, on keys of their
//! own. Every process started (the members and the holders) is stopped by pid, also when
//! something fails or panics; every wait is bounded.

use super::Answers;
use super::holder::{HOLDER_ARG, HolderConfig, HolderEvent};
use crate::error::Result;
use crate::etcd::{self, Cluster, ClusterConfig, EtcdError, pause_pid, resume_pid};
use crate::grade::{Panicked, attempt, missing_note};
use crate::lease::{self, AppliedWrite};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// How the real scenario runs.
#[derive(Debug, Clone, PartialEq)]
pub struct RealSettings {
    /// The members' client ports (peer port = client port + 1).
    pub ports: Vec<u16>,
    /// The lease TTL the holders ask for, seconds.
    pub ttl_s: i64,
    /// The drift bound the holders assume, ppm.
    pub drift_ppm: f64,
    /// The pause the holders' margin allows for, seconds (it covers their own work between a
    /// check and its write, not a SIGSTOP of seconds).
    pub assumed_pause_s: f64,
}

impl Default for RealSettings {
    /// Ports 12379, 22379, 32379; 2 s leases; 200 ppm; a margin for 0.25 s pauses.
    fn default() -> Self {
        RealSettings {
            ports: vec![12379, 22379, 32379],
            ttl_s: 2,
            drift_ppm: 200.0,
            assumed_pause_s: 0.25,
        }
    }
}

/// Work between a holder's check and its write, seconds: the window the pause falls in.
const WORK_S: f64 = 0.2;

/// What one scenario (naive or fenced) showed. Times are wall-clock seconds since the cluster
/// had its leader.
#[derive(Debug, Clone, PartialEq)]
pub struct RealRun {
    /// Whether the storage fenced.
    pub fenced: bool,
    /// Every event, as (holder: 0 = A, 1 = B, event with times made relative).
    pub events: Vec<(usize, HolderEvent)>,
    /// When A was paused and resumed (absent if A never wrote, so was never paused).
    pub pause_s: Option<(f64, f64)>,
    /// When A's lock key was seen gone (its lease expired in etcd).
    pub lease_ended_s: Option<f64>,
    /// The storage's log, in the order the writes landed.
    pub writes: Vec<AppliedWrite>,
    /// How many accepted writes overwrote a newer holder's data.
    pub stale: usize,
    /// A's writes sent after its lease had ended.
    pub late: usize,
    /// Anything that went wrong or was not attempted.
    pub note: Option<String>,
}

/// The whole real experiment.
#[derive(Debug, Clone, PartialEq)]
pub struct RealOutcome {
    /// etcd's version.
    pub version: String,
    /// From the first member started to a leader, seconds.
    pub start_s: f64,
    /// From the first stop signal to the last member waited for, seconds.
    pub stop_s: f64,
    /// The naive run, then the fenced one (absent if `fencing_accepts` is not attempted).
    pub runs: Vec<RealRun>,
    /// Which lease-safety answer the holders used, and why.
    pub safety_note: String,
    /// Why the fenced run was skipped, if it was.
    pub fencing_note: Option<String>,
}

/// Started holder processes: killed (SIGKILL by pid, after SIGCONT) and waited for on drop.
struct Holders(Vec<Child>);

impl Drop for Holders {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = resume_pid(c.id());
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn spawn_holder(cfg: &HolderConfig, who: usize, tx: std::sync::mpsc::Sender<(usize, HolderEvent)>) -> Result<Child> {
    let exe = std::env::current_exe().map_err(|source| EtcdError::Io {
        what: "finding this program to start a lock holder".into(),
        source,
    })?;
    let json = serde_json::to_string(cfg).unwrap_or_default();
    let mut child = Command::new(exe)
        .arg(HOLDER_ARG)
        .arg(json)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| EtcdError::Io {
            what: "starting a lock holder".into(),
            source,
        })?;
    if let Some(out) = child.stdout.take() {
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(std::io::Result::ok) {
                if let Ok(e) = serde_json::from_str::<HolderEvent>(&line) {
                    let _ = tx.send((who, e));
                }
            }
        });
    }
    Ok(child)
}

/// Waits (bounded) for an event of holder `who` that `want` accepts; keeps every event seen.
fn wait_for(
    rx: &Receiver<(usize, HolderEvent)>,
    seen: &mut Vec<(usize, HolderEvent)>,
    bound: Duration,
    mut want: impl FnMut(usize, &HolderEvent) -> bool,
) -> Option<HolderEvent> {
    let deadline = Instant::now() + bound;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        let (who, e) = rx.recv_timeout(left).ok()?;
        seen.push((who, e.clone()));
        if want(who, &e) {
            return Some(e);
        }
    }
}

fn unix_s() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64())
}

/// One scenario on its own keys: A takes the lock and writes, is paused at its third check,
/// the lease runs out, B takes the lock and writes twice, A resumes.
fn scenario(cluster: &Cluster, s: &RealSettings, fenced: bool, reference_safety: bool, t0: f64) -> Result<RealRun> {
    let tag = if fenced { "fenced" } else { "naive" };
    let base = HolderConfig {
        endpoint: cluster.endpoint(0)?,
        name: "A".into(),
        lock_key: format!("lab/{tag}/lock"),
        data_key: format!("lab/{tag}/data"),
        highest_key: format!("lab/{tag}/highest"),
        fenced,
        ttl_s: s.ttl_s,
        max_writes: 12,
        work_s: WORK_S,
        write_gap_s: 0.25,
        drift_ppm: s.drift_ppm,
        assumed_pause_s: s.assumed_pause_s,
        reference_safety,
    };
    let (tx, rx) = channel();
    let mut holders = Holders(Vec::new());
    let mut seen = Vec::new();
    let mut note = None;
    holders.0.push(spawn_holder(&base, 0, tx.clone())?);
    let a_pid = holders.0[0].id();
    let bound = Duration::from_secs(20);
    let mut pause_s = None;
    let mut lease_ended_s = None;
    let mut checks = 0;
    let checked = wait_for(&rx, &mut seen, bound, |who, e| {
        checks += usize::from(who == 0 && e.kind == "check");
        who == 0 && ((e.kind == "check" && checks == 3) || matches!(e.kind.as_str(), "stop" | "error" | "panicked"))
    });
    match checked {
        Some(e) if e.kind == "check" => {
            pause_pid(a_pid)?;
            let paused_at = unix_s();
            // The lease runs out in etcd: wait (bounded) until the lock key is gone.
            let c = cluster.client(1)?;
            let deadline = Instant::now() + bound;
            while c.get(&base.lock_key, false)?.kv.is_some() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            lease_ended_s = Some(unix_s() - t0);
            let b = HolderConfig {
                name: "B".into(),
                max_writes: 2,
                ..base.clone()
            };
            holders.0.push(spawn_holder(&b, 1, tx.clone())?);
            let mut b_writes = 0;
            let b_done = wait_for(&rx, &mut seen, bound, |who, e| {
                b_writes += usize::from(who == 1 && e.kind == "write");
                who == 1 && (b_writes == 2 || matches!(e.kind.as_str(), "stop" | "error" | "panicked"))
            });
            if b_done.is_none() {
                note = Some("client B did not write within 20 s".to_string());
            }
            resume_pid(a_pid)?;
            pause_s = Some((paused_at - t0, unix_s() - t0));
        }
        Some(e) => note = Some(format!("client A never reached a write: {} ({})", e.kind, e.note)),
        None => note = Some("client A did not start writing within 20 s".to_string()),
    }
    // Give both holders a bounded time to finish; then they are killed.
    let deadline = Instant::now() + Duration::from_secs(6);
    while Instant::now() < deadline && holders.0.iter_mut().any(|c| matches!(c.try_wait(), Ok(None))) {
        while let Ok(ev) = rx.try_recv() {
            seen.push(ev);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    drop(holders);
    drop(tx);
    seen.extend(rx.try_iter());
    for (_, e) in &mut seen {
        e.at_s -= t0;
        if e.sent_at_s > 0.0 {
            e.sent_at_s -= t0;
        }
    }
    if let Some((who, e)) = seen.iter().find(|(_, e)| e.kind == "error" || e.kind == "panicked") {
        note.get_or_insert(format!("client {}: {}", ["A", "B"][*who], e.note));
    }
    let mut landed: Vec<&(usize, HolderEvent)> = seen.iter().filter(|(_, e)| e.kind == "write").collect();
    landed.sort_by(|x, y| x.1.at_s.total_cmp(&y.1.at_s));
    let writes: Vec<AppliedWrite> = landed
        .iter()
        .map(|(who, e)| AppliedWrite {
            client: *who,
            token: u64::try_from(e.token).unwrap_or(0),
            at_s: e.at_s,
            accepted: e.accepted,
        })
        .collect();
    let late = match lease_ended_s {
        Some(end) => landed.iter().filter(|(who, e)| *who == 0 && e.sent_at_s > end).count(),
        None => 0,
    };
    Ok(RealRun {
        fenced,
        stale: lease::stale_writes(&writes).len(),
        events: seen,
        pause_s,
        lease_ended_s,
        writes,
        late,
        note,
    })
}

/// Starts a three-member cluster, runs the naive and the fenced scenario at once, stops the
/// cluster. The learner's `latest_safe_local_time` and `lease_margin` decide when the holders
/// stop writing (the library's if not attempted); the fenced run needs `fencing_accepts`.
pub fn run_real(a: &Answers, s: &RealSettings) -> Result<RealOutcome> {
    let safety = attempt(|| (a.latest_safe_local_time)(100.0, 2.0, 200.0) - (a.lease_margin)(0.25, 200.0, 2.0));
    let (reference_safety, safety_note) = match &safety {
        Ok(_) => (
            false,
            "your latest_safe_local_time and lease_margin decide when a holder stops".to_string(),
        ),
        Err(why) => (
            true,
            format!(
                "the library's lease-safety answers decide when a holder stops{}",
                missing_note("latest_safe_local_time or lease_margin", Some(why))
            ),
        ),
    };
    let fencing = attempt(|| (a.fencing_accepts)(2, 1));
    let started = Instant::now();
    let cluster = Cluster::start(&ClusterConfig::with_ports(&s.ports))?;
    let start_s = started.elapsed().as_secs_f64();
    let version = cluster.status(0).map(|st| st.version).unwrap_or_default();
    let t0 = unix_s();
    let runs = std::thread::scope(|scope| {
        let naive = scope.spawn(|| scenario(&cluster, s, false, reference_safety, t0));
        let fenced = fencing
            .is_ok()
            .then(|| scope.spawn(|| scenario(&cluster, s, true, reference_safety, t0)));
        let mut runs = vec![naive.join()];
        runs.extend(fenced.map(|h| h.join()));
        runs
    });
    let mut out = Vec::new();
    for r in runs {
        match r {
            Ok(run) => out.push(run?),
            Err(_) => {
                return Err(crate::Error::invalid(
                    "real scenario",
                    "a panic",
                    "a scenario thread panicked",
                ));
            }
        }
    }
    let fencing_note = fencing.err().map(|why| {
        let what = match why {
            Panicked::Todo => "not attempted yet",
            Panicked::Other(_) => "panicked",
        };
        format!("fenced run skipped: your fencing_accepts is {what}")
    });
    let stop = cluster.stop()?;
    Ok(RealOutcome {
        version,
        start_s,
        stop_s: stop.elapsed_s,
        runs: out,
        safety_note,
        fencing_note,
    })
}

/// Whether etcd is installed (the `--real` flag checks before anything starts).
pub fn etcd_installed() -> bool {
    etcd::find_etcd().is_ok()
}
