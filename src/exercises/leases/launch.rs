//! Starting the scenario's lock holders as processes of their own, and stopping them by pid.
//!
//! An exercise binary starts itself again with a hidden first argument. A notebook (or a test)
//! has no such binary: there the holder is a fork of the calling process, which runs the
//! holder with the very functions the caller passed and then exits without returning. Either
//! way SIGSTOP pauses the whole holder, keep-alive thread included.

use super::Answers;
use super::holder::{HOLDER_ARG, HolderConfig, HolderEvent, forked_main};
use crate::error::Result;
use crate::etcd::{EtcdError, resume_pid};
use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::os::fd::FromRawFd;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::sync::mpsc::Sender;

/// One started holder.
pub(super) struct Holder {
    pid: u32,
    /// A re-executed holder; `None` for a fork (waited for with waitpid).
    child: Option<Child>,
    /// Where `go` lines are written (gated holders).
    gate: Option<Box<dyn Write + Send>>,
    reaped: bool,
}

impl Holder {
    /// Its pid.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Lets a gated holder go on from its check to its write.
    pub fn go(&mut self) {
        if let Some(g) = self.gate.as_mut() {
            let _ = g.write_all(b"go\n").and_then(|()| g.flush());
        }
    }

    /// Whether it has exited (and then it is waited for).
    pub fn exited(&mut self) -> bool {
        if self.reaped {
            return true;
        }
        self.reaped = match self.child.as_mut() {
            Some(c) => matches!(c.try_wait(), Ok(Some(_))),
            None => {
                let mut status = 0;
                // SAFETY: waitpid on our own child's pid, WNOHANG: returns at once.
                let r = unsafe { libc::waitpid(self.pid as i32, &mut status, libc::WNOHANG) };
                r == self.pid as i32 || r < 0
            }
        };
        self.reaped
    }

    /// SIGCONT (in case it is paused), SIGKILL, and wait for it.
    fn stop(&mut self) {
        self.gate = None;
        if self.exited() {
            return;
        }
        let _ = resume_pid(self.pid);
        match self.child.as_mut() {
            Some(c) => {
                let _ = c.kill();
                let _ = c.wait();
            }
            None => {
                let mut status = 0;
                // SAFETY: signals and waits for our own child, by its pid (> 0).
                unsafe {
                    libc::kill(self.pid as i32, libc::SIGKILL);
                    libc::waitpid(self.pid as i32, &mut status, 0);
                }
            }
        }
        self.reaped = true;
    }
}

/// The started holders: stopped (SIGKILL after SIGCONT) and waited for on drop, so a failure
/// or a panic in the scenario leaves none behind.
#[derive(Default)]
pub(super) struct Holders(pub Vec<Holder>);

impl Drop for Holders {
    fn drop(&mut self) {
        for h in &mut self.0 {
            h.stop();
        }
    }
}

/// Whether this process is an exercise binary, which can start itself again as a holder.
pub(super) fn can_reexec() -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|p| p.file_name().map(|f| f.to_string_lossy().into_owned()))
        .is_some_and(|name| name.starts_with("exercise-") || name.starts_with("solution-"))
}

/// Forwards a holder's event lines to the scenario.
fn forward(out: impl std::io::Read + Send + 'static, who: usize, tx: Sender<(usize, HolderEvent)>) {
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(std::io::Result::ok) {
            if let Ok(e) = serde_json::from_str::<HolderEvent>(&line) {
                let _ = tx.send((who, e));
            }
        }
    });
}

/// Starts a holder: this binary again if it is an exercise binary, else a fork.
pub(super) fn spawn(a: &Answers, cfg: &HolderConfig, who: usize, tx: Sender<(usize, HolderEvent)>) -> Result<Holder> {
    if can_reexec() {
        reexec(cfg, who, tx)
    } else {
        fork(a, cfg, who, tx)
    }
}

fn reexec(cfg: &HolderConfig, who: usize, tx: Sender<(usize, HolderEvent)>) -> Result<Holder> {
    let io = |what: &str| {
        let what = what.to_string();
        move |source| EtcdError::Io { what, source }
    };
    let exe = std::env::current_exe().map_err(io("finding this program to start a lock holder"))?;
    let mut child = Command::new(exe)
        .arg(HOLDER_ARG)
        .arg(serde_json::to_string(cfg).unwrap_or_default())
        .stdin(if cfg.gated { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(io("starting a lock holder"))?;
    if let Some(out) = child.stdout.take() {
        forward(out, who, tx);
    }
    let gate = child.stdin.take().map(|g| Box::new(g) as Box<dyn Write + Send>);
    Ok(Holder {
        pid: child.id(),
        child: Some(child),
        gate,
        reaped: false,
    })
}

/// Forks are made one at a time, so a child inherits no half-made pipe of another.
static FORKING: Mutex<()> = Mutex::new(());

fn pipe() -> Result<(File, File)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills the two-int array we own.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(EtcdError::Io {
            what: "making a pipe for a lock holder".into(),
            source: std::io::Error::last_os_error(),
        }
        .into());
    }
    // SAFETY: both descriptors were just created and are owned by nothing else.
    Ok(unsafe { (File::from_raw_fd(fds[0]), File::from_raw_fd(fds[1])) })
}

fn fork(a: &Answers, cfg: &HolderConfig, who: usize, tx: Sender<(usize, HolderEvent)>) -> Result<Holder> {
    let _one = FORKING.lock().unwrap_or_else(|e| e.into_inner());
    let (events_r, events_w) = pipe()?;
    let (gate_r, gate_w) = pipe()?;
    // SAFETY: the child runs only the holder (its own thread, its own pipes), then _exit
    // without running the parent's destructors or atexit handlers.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(EtcdError::Io {
            what: "forking a lock holder".into(),
            source: std::io::Error::last_os_error(),
        }
        .into());
    }
    if pid == 0 {
        drop(events_r);
        drop(gate_w);
        let code = forked_main(a, cfg, events_w, gate_r);
        // SAFETY: ends the child at once; nothing of the parent's runs in it.
        unsafe { libc::_exit(code) };
    }
    drop(events_w);
    drop(gate_r);
    forward(events_r, who, tx);
    Ok(Holder {
        pid: pid as u32,
        child: None,
        gate: cfg.gated.then(|| Box::new(gate_w) as Box<dyn Write + Send>),
        reaped: false,
    })
}
