//! Processes by pid: finding etcd, signalling a member, checking a port is free.

use super::{EtcdError, Result};
use std::net::TcpListener;
use std::path::PathBuf;

/// The `etcd` binary: the first on `PATH`, else in /usr/bin or /usr/local/bin.
pub fn find_etcd() -> Result<PathBuf> {
    find_program("etcd").ok_or(EtcdError::NotInstalled)
}

/// The first file called `name` on `PATH`, else in /usr/bin, /usr/local/bin or /usr/sbin.
pub(crate) fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .chain(["/usr/bin", "/usr/local/bin", "/usr/sbin"].map(PathBuf::from))
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Whether a process with this pid exists (a zombie not yet waited for counts as existing).
pub fn process_exists(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return false;
    };
    // SAFETY: kill with signal 0 sends nothing; it only asks whether the pid exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
}

/// A signal the lab sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Signal {
    /// SIGSTOP: the process stops at once, wherever it is (a "process pause").
    Stop,
    /// SIGCONT: a stopped process goes on.
    Cont,
    /// SIGTERM: please exit.
    Term,
    /// SIGKILL: exit now.
    Kill,
}

/// Sends `sig` to the process `pid` (never to a group, never by name).
pub(crate) fn signal(pid: u32, sig: Signal) -> std::io::Result<()> {
    let pid = i32::try_from(pid).map_err(|_| std::io::Error::other("pid out of range"))?;
    if pid <= 0 {
        return Err(std::io::Error::other("refusing to signal pid ≤ 0 (a process group)"));
    }
    let s = match sig {
        Signal::Stop => libc::SIGSTOP,
        Signal::Cont => libc::SIGCONT,
        Signal::Term => libc::SIGTERM,
        Signal::Kill => libc::SIGKILL,
    };
    // SAFETY: kill(2) with a positive pid signals that one process; no memory is involved.
    if unsafe { libc::kill(pid, s) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

/// Pauses the process `pid` with SIGSTOP: for a process the caller started itself (a lock
/// holder), as [`Cluster::pause`](super::Cluster::pause) does for a member.
pub fn pause_pid(pid: u32) -> Result<()> {
    send(pid, Signal::Stop)
}

/// Resumes the process `pid` with SIGCONT (see [`pause_pid`]).
pub fn resume_pid(pid: u32) -> Result<()> {
    send(pid, Signal::Cont)
}

pub(crate) fn send(pid: u32, sig: Signal) -> Result<()> {
    signal(pid, sig).map_err(|source| EtcdError::Io {
        what: format!("sending {sig:?} to pid {pid}"),
        source,
    })
}

/// Fails with [`EtcdError::PortInUse`] if something already listens on 127.0.0.1:`port`.
pub(crate) fn ensure_free(port: u16, what: String) -> Result<()> {
    match TcpListener::bind(("127.0.0.1", port)) {
        Ok(l) => {
            drop(l);
            Ok(())
        }
        Err(_) => Err(EtcdError::PortInUse { port, what }),
    }
}
