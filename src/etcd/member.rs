//! One etcd member: its process (started, signalled and waited for by pid), its ports, its log.

use super::process::{Signal, send, signal};
use super::{EtcdError, Result};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where a member's process is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberState {
    /// Running and answering (as far as we know).
    Running,
    /// Stopped by SIGSTOP: alive, but it runs nothing until resumed.
    Paused,
    /// Exited, killed or stopped, and waited for.
    Stopped,
}

/// One member of a lab cluster.
#[derive(Debug)]
pub(crate) struct Member {
    pub name: String,
    pub client_port: u16,
    pub peer_port: u16,
    pub log: PathBuf,
    pub child: Option<Child>,
    pub pid: u32,
    pub state: MemberState,
}

impl Member {
    #[allow(clippy::too_many_arguments)]
    /// Starts `etcd` for this member (stderr to its log file, nothing on our terminal).
    pub fn spawn(
        binary: &Path,
        name: String,
        client_port: u16,
        peer_port: u16,
        dir: &Path,
        initial_cluster: &str,
        token: &str,
        timing_ms: (u64, u64),
    ) -> Result<Member> {
        let data_dir = dir.join(format!("{name}.etcd"));
        let log = dir.join(format!("{name}.log"));
        let io = |what: String| move |source| EtcdError::Io { what, source };
        let log_file = std::fs::File::create(&log).map_err(io(format!("creating {}", log.display())))?;
        let client = format!("http://127.0.0.1:{client_port}");
        let peer = format!("http://127.0.0.1:{peer_port}");
        let mut cmd = Command::new(binary);
        cmd.arg("--name")
            .arg(&name)
            .arg("--data-dir")
            .arg(&data_dir)
            .args(["--listen-client-urls", &client, "--advertise-client-urls", &client])
            .args(["--listen-peer-urls", &peer, "--initial-advertise-peer-urls", &peer])
            .args(["--initial-cluster", initial_cluster])
            .args(["--initial-cluster-token", token, "--initial-cluster-state", "new"])
            .args(["--heartbeat-interval", &timing_ms.0.to_string()])
            .args(["--election-timeout", &timing_ms.1.to_string()])
            .args(["--logger", "zap", "--log-outputs", "stderr"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(log_file);
        // The flags say everything: drop ETCD_* settings a shell may carry.
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("ETCD") {
                cmd.env_remove(k);
            }
        }
        let child = cmd
            .spawn()
            .map_err(io(format!("starting etcd member {name} ({})", binary.display())))?;
        Ok(Member {
            name,
            client_port,
            peer_port,
            log,
            pid: child.id(),
            child: Some(child),
            state: MemberState::Running,
        })
    }

    /// The last `n` lines of the member's log.
    pub fn log_tail(&self, n: usize) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(n)..].join("\n")
    }

    /// If the process has exited on its own, an error saying so (with its log).
    pub fn check_alive(&mut self) -> Result<()> {
        let Some(child) = self.child.as_mut() else {
            return Ok(());
        };
        match child.try_wait() {
            Ok(Some(status)) => {
                self.child = None;
                self.state = MemberState::Stopped;
                Err(EtcdError::MemberExited {
                    member: self.name.clone(),
                    status: status.to_string(),
                    log_tail: self.log_tail(8),
                })
            }
            Ok(None) => Ok(()),
            Err(source) => Err(EtcdError::Io {
                what: format!("checking on etcd member {}", self.name),
                source,
            }),
        }
    }

    /// SIGSTOP: the member stops where it is.
    pub fn pause(&mut self) -> Result<()> {
        if self.state == MemberState::Running {
            send(self.pid, Signal::Stop)?;
            self.state = MemberState::Paused;
        }
        Ok(())
    }

    /// SIGCONT: a paused member goes on.
    pub fn resume(&mut self) -> Result<()> {
        if self.state == MemberState::Paused {
            send(self.pid, Signal::Cont)?;
            self.state = MemberState::Running;
        }
        Ok(())
    }

    /// SIGKILL, then wait for the process.
    pub fn kill(&mut self) -> Result<()> {
        if let Some(mut child) = self.child.take() {
            let _ = signal(self.pid, Signal::Kill);
            child.wait().map_err(|source| EtcdError::Io {
                what: format!("waiting for etcd member {}", self.name),
                source,
            })?;
        }
        self.state = MemberState::Stopped;
        Ok(())
    }

    /// SIGTERM (after SIGCONT if paused), up to `grace` for it to exit, then SIGKILL; always
    /// waits for the process.
    pub fn stop(&mut self, grace: Duration) -> Result<()> {
        let Some(child) = self.child.as_mut() else {
            self.state = MemberState::Stopped;
            return Ok(());
        };
        if self.state == MemberState::Paused {
            let _ = signal(self.pid, Signal::Cont);
        }
        let _ = signal(self.pid, Signal::Term);
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                self.child = None;
                self.state = MemberState::Stopped;
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        self.kill()
    }
}
