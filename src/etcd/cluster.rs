//! A local etcd cluster: started member by member, inspected, paused, stopped.

use super::member::Member;
pub use super::member::MemberState;
use super::process::{ensure_free, find_etcd};
use super::{Client, EtcdError, Result, Status};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

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

/// How a stop went.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StopReport {
    /// From the first signal to the last member waited for, seconds.
    pub elapsed_s: f64,
    /// Whether the data directory was removed.
    pub data_removed: bool,
}

/// A running lab cluster. Dropping it stops every member (followers first, then the leader)
/// and removes its data directory, so a failed test or a panic leaves nothing behind.
#[derive(Debug)]
pub struct Cluster {
    cfg: ClusterConfig,
    dir: PathBuf,
    members: Vec<Member>,
    ids: Vec<u64>,
    stopped: bool,
}

static CLUSTERS: AtomicU64 = AtomicU64::new(0);

impl Cluster {
    /// Starts a fresh cluster: checks that etcd is installed and every port is free, starts
    /// the members one at a time (each waited for until it answers on its peer port, within
    /// `member_start_timeout_s`), then waits for a leader (within `leader_timeout_s`). On any
    /// error, whatever was started is stopped and the directory removed.
    pub fn start(cfg: &ClusterConfig) -> Result<Cluster> {
        cfg.validate()?;
        let binary = find_etcd()?;
        for (i, &p) in cfg.client_ports.iter().enumerate() {
            ensure_free(p, format!("client port of member n{}", i + 1))?;
            ensure_free(p + 1, format!("peer port of member n{}", i + 1))?;
        }
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let unique = format!(
            "{}-{nanos}-{}",
            std::process::id(),
            CLUSTERS.fetch_add(1, Ordering::Relaxed)
        );
        let dir = cfg.data_root.join(&unique);
        std::fs::create_dir_all(&dir).map_err(|source| EtcdError::Io {
            what: format!("creating {}", dir.display()),
            source,
        })?;
        let mut cluster = Cluster {
            cfg: cfg.clone(),
            dir,
            members: Vec::new(),
            ids: Vec::new(),
            stopped: false,
        };
        let initial: Vec<String> = cfg
            .client_ports
            .iter()
            .enumerate()
            .map(|(i, p)| format!("n{}=http://127.0.0.1:{}", i + 1, p + 1))
            .collect();
        let initial = initial.join(",");
        let timing = (
            (cfg.heartbeat_s * 1000.0).round() as u64,
            (cfg.election_timeout_s * 1000.0).round() as u64,
        );
        let token = format!("faultline-lab-{unique}");
        for (i, &p) in cfg.client_ports.iter().enumerate() {
            let m = Member::spawn(
                &binary,
                format!("n{}", i + 1),
                p,
                p + 1,
                &cluster.dir,
                &initial,
                &token,
                timing,
            )?;
            cluster.members.push(m);
            cluster.wait_for_peer(i)?;
        }
        cluster.wait_for_leader(None, Duration::from_secs_f64(cfg.leader_timeout_s))?;
        for i in 0..cluster.members.len() {
            let id = cluster.status(i)?.member_id;
            cluster.ids.push(id);
        }
        Ok(cluster)
    }

    /// Waits until member `i` answers `GET /members` on its peer port.
    fn wait_for_peer(&mut self, i: usize) -> Result<()> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_millis(500)))
            .proxy(None)
            .build()
            .into();
        let url = format!("http://127.0.0.1:{}/members", self.members[i].peer_port);
        let start = Instant::now();
        let bound = Duration::from_secs_f64(self.cfg.member_start_timeout_s);
        loop {
            self.members[i].check_alive()?;
            if agent.get(&url).call().is_ok() {
                return Ok(());
            }
            if start.elapsed() > bound {
                return Err(EtcdError::NotAnswering {
                    member: self.members[i].name.clone(),
                    waited_s: start.elapsed().as_secs_f64(),
                    log_tail: self.members[i].log_tail(8),
                });
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// How many members the cluster has.
    pub fn len(&self) -> usize {
        self.members.len()
    }

    /// Whether the cluster has no members (never, once started).
    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    /// The settings it was started with.
    pub fn config(&self) -> &ClusterConfig {
        &self.cfg
    }

    /// The cluster's directory (data and logs), removed on stop.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The pid of every member process started (also those stopped since).
    pub fn pids(&self) -> Vec<u32> {
        self.members.iter().map(|m| m.pid).collect()
    }

    /// Member `i`'s id (as its status reports it).
    pub fn member_id(&self, i: usize) -> Result<u64> {
        self.check(i)?;
        Ok(self.ids.get(i).copied().unwrap_or(0))
    }

    /// The index of the member with this id.
    pub fn index_of(&self, member_id: u64) -> Option<usize> {
        self.ids.iter().position(|&id| id == member_id)
    }

    /// Member `i`'s client URL, `http://127.0.0.1:port`.
    pub fn endpoint(&self, i: usize) -> Result<String> {
        self.check(i)?;
        Ok(format!("http://127.0.0.1:{}", self.members[i].client_port))
    }

    /// Every member's client URL, in order.
    pub fn endpoints(&self) -> Vec<String> {
        (0..self.len()).filter_map(|i| self.endpoint(i).ok()).collect()
    }

    /// A client of member `i`, each call bounded by `call_timeout_s`.
    pub fn client(&self, i: usize) -> Result<Client> {
        Client::new(&self.endpoint(i)?, Duration::from_secs_f64(self.cfg.call_timeout_s))
    }

    /// Where member `i`'s process is.
    pub fn state(&self, i: usize) -> Result<MemberState> {
        self.check(i)?;
        Ok(self.members[i].state)
    }

    /// Member `i`'s status (bounded by half a second: a paused member does not answer).
    pub fn status(&self, i: usize) -> Result<Status> {
        Client::new(&self.endpoint(i)?, Duration::from_millis(500))?.status()
    }

    /// The running member that says it leads, with its status (the highest term if two do, as
    /// a resumed old leader may for a moment); `None` if none does right now.
    pub fn leader(&self) -> Option<(usize, Status)> {
        (0..self.len())
            .filter(|&i| self.members[i].state == MemberState::Running)
            .filter_map(|i| self.status(i).ok().map(|s| (i, s)))
            .filter(|(_, s)| s.is_leader())
            .max_by_key(|(_, s)| s.raft_term)
    }

    /// Waits (bounded by `timeout`) until a running member leads with a term above
    /// `above_term` (any term if `None`); returns its index and term. Fails if a running
    /// member's process has exited, or on the bound.
    pub fn wait_for_leader(&mut self, above_term: Option<u64>, timeout: Duration) -> Result<(usize, u64)> {
        let start = Instant::now();
        let mut last = String::from("no member answered yet");
        loop {
            for m in self.members.iter_mut().filter(|m| m.state == MemberState::Running) {
                m.check_alive()?;
            }
            if let Some((i, s)) = self.leader() {
                if above_term.is_none_or(|t| s.raft_term > t) {
                    return Ok((i, s.raft_term));
                }
                last = format!("n{} leads in term {}", i + 1, s.raft_term);
            }
            if start.elapsed() > timeout {
                return Err(EtcdError::NoLeader {
                    waited_s: start.elapsed().as_secs_f64(),
                    above_term,
                    last,
                });
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn check(&self, i: usize) -> Result<()> {
        if i < self.members.len() {
            Ok(())
        } else {
            Err(EtcdError::NoSuchMember {
                index: i,
                members: self.members.len(),
            })
        }
    }

    /// Pauses member `i` (SIGSTOP by pid): it keeps its state but does nothing, as a process
    /// in a long garbage-collection pause.
    pub fn pause(&mut self, i: usize) -> Result<()> {
        self.check(i)?;
        self.members[i].pause()
    }

    /// Resumes a paused member (SIGCONT by pid).
    pub fn resume(&mut self, i: usize) -> Result<()> {
        self.check(i)?;
        self.members[i].resume()
    }

    /// Kills member `i` (SIGKILL by pid) and waits for it: a crash.
    pub fn kill(&mut self, i: usize) -> Result<()> {
        self.check(i)?;
        self.members[i].kill()
    }

    /// Stops every member, followers first and the leader last (a leader stopped first waits
    /// to hand over to a peer), and removes the cluster's directory.
    pub fn stop(mut self) -> Result<StopReport> {
        self.shutdown()
    }

    fn shutdown(&mut self) -> Result<StopReport> {
        let start = Instant::now();
        if self.stopped {
            return Ok(StopReport {
                elapsed_s: 0.0,
                data_removed: !self.dir.exists(),
            });
        }
        self.stopped = true;
        let leader = self.leader().map(|(i, _)| i);
        let mut order: Vec<usize> = (0..self.members.len()).filter(|&i| Some(i) != leader).collect();
        order.extend(leader);
        let mut first_err = None;
        for i in order {
            if let Err(e) = self.members[i].stop(Duration::from_secs(5)) {
                first_err.get_or_insert(e);
            }
        }
        let elapsed_s = start.elapsed().as_secs_f64();
        let removed = std::fs::remove_dir_all(&self.dir);
        if let Some(e) = first_err {
            return Err(e);
        }
        removed.map_err(|source| EtcdError::Io {
            what: format!("removing {}", self.dir.display()),
            source,
        })?;
        Ok(StopReport {
            elapsed_s,
            data_removed: true,
        })
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.shutdown();
    }
}
