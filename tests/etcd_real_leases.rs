//! Chapter 8 on a real etcd cluster: `exercise-8 -- --real` and `solution-8 -- --real` as a
//! learner runs them (a lock holder really paused past its lease; the naive storage accepts its
//! stale write, the fenced one rejects it; etcd missing or a port taken is one line), and the
//! library's `run_real` from a caller that is not an exercise binary (its holders are forks).
//! Outcomes only, no timings; nothing may be left running. The clusters use client ports
//! 12379, 22379, 32379 (as tests/etcd_lab.rs does; test binaries run one at a time).

mod common;

use common::have_etcd;
use std::sync::{Mutex, MutexGuard};

/// The tests share their ports: one cluster at a time.
static PORTS: Mutex<()> = Mutex::new(());

fn ports() -> MutexGuard<'static, ()> {
    PORTS.lock().unwrap_or_else(|e| e.into_inner())
}

/// Processes this worktree's lab left running: etcd members with a data directory under our
/// `target/etcd-lab/`, and lock holders started from `exe`.
fn leftovers(exe: &str) -> Vec<String> {
    let lab = concat!(env!("CARGO_MANIFEST_DIR"), "/target/etcd-lab/");
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(raw) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        let cmd = String::from_utf8_lossy(&raw).replace('\0', " ");
        let holder = !exe.is_empty() && cmd.starts_with(exe) && cmd.contains("__faultline-etcd-lock-holder");
        if cmd.contains(lab) || holder {
            found.push(cmd);
        }
    }
    found
}

/// The stderr lines of a `--real --json` run that report one storage.
fn storage_line<'a>(stderr: &'a str, which: &str) -> &'a str {
    stderr
        .lines()
        .find(|l| l.trim_start().starts_with(which))
        .unwrap_or_else(|| panic!("no `{which}` line in:\n{stderr}"))
}

#[test]
fn solution_8_real_accepts_the_stale_write_without_fencing_and_rejects_it_with() {
    if !have_etcd() {
        return;
    }
    let _p = ports();
    let exe = env!("CARGO_BIN_EXE_solution-8");
    let out = common::temp_dir("etcd-sol8");
    let o = common::run(
        exe,
        &["--real", "--json", "--runs", "2", "--out", out.to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "stderr:\n{stderr}");
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is only the JSON report");
    assert_eq!(json["exercise"], 8);
    let naive = storage_line(&stderr, "no fencing");
    let fenced = storage_line(&stderr, "fencing (your fencing_accepts)");
    let count = |line: &str, what: &str| -> usize {
        let rest = &line[line.find(what).unwrap_or_else(|| panic!("{what} in {line}")) + what.len()..];
        rest.trim_start()
            .split(|c: char| !c.is_ascii_digit())
            .next()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(count(naive, "stale writes accepted:") >= 1, "{naive}");
    assert_eq!(count(fenced, "stale writes accepted:"), 0, "{fenced}");
    assert!(count(fenced, "rejected:") >= 1, "{fenced}");
    for stem in ["etcd-timeline-no-fencing", "etcd-timeline-fencing"] {
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.contains("STALE write") || svg.contains("rejected token"), "{stem}");
    }
    assert!(leftovers(exe).is_empty(), "left running: {:?}", leftovers(exe));
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn exercise_8_real_with_the_stubs_runs_naive_only_and_says_why() {
    if !have_etcd() {
        return;
    }
    // About the state we ship: once a learner has edited exercises/08_leases.rs, not theirs.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_default();
    if read("exercises/08_leases.rs") != read("stubs/08_leases.rs") {
        return;
    }
    let _p = ports();
    let exe = env!("CARGO_BIN_EXE_exercise-8");
    let out = common::temp_dir("etcd-ex8");
    let o = common::run(exe, &["--real", "--runs", "1", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    // The stubs' own tasks fail (exit 1), but the real run still works with the library's
    // lease-safety answers and says the fenced run needs fencing_accepts.
    assert_eq!(o.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.contains("the library's lease-safety answers"), "{stdout}");
    assert!(
        stdout.contains("fenced run skipped: your fencing_accepts is not attempted yet"),
        "{stdout}"
    );
    assert!(
        storage_line(&stdout, "no fencing").contains("stale writes accepted: 1"),
        "{stdout}"
    );
    assert!(leftovers(exe).is_empty(), "left running: {:?}", leftovers(exe));
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn real_without_etcd_is_one_line_saying_how_to_install_it() {
    let exe = env!("CARGO_BIN_EXE_exercise-8");
    let o = std::process::Command::new(exe)
        .args(["--real", "--out", std::env::temp_dir().to_str().unwrap()])
        .env("FAULTLINE_ETCD", "/nonexistent/etcd")
        .output()
        .unwrap();
    common::assert_one_line_error(&o, "sudo apt-get install etcd-server etcd-client");
}

#[test]
fn real_with_a_port_taken_is_one_line_and_leaves_nothing() {
    if !have_etcd() {
        return;
    }
    let _p = ports();
    let exe = env!("CARGO_BIN_EXE_solution-8");
    let squatter = std::net::TcpListener::bind(("127.0.0.1", 32379)).unwrap();
    let out = common::temp_dir("etcd-port");
    let o = common::run(exe, &["--real", "--runs", "1", "--out", out.to_str().unwrap()]);
    common::assert_one_line_error(&o, "port 32379");
    drop(squatter);
    assert!(leftovers(exe).is_empty());
    let _ = std::fs::remove_dir_all(out);
}

#[allow(dead_code)]
#[path = "../solutions/08_leases.rs"]
mod sol8;

/// From a process that is not an exercise binary (a notebook, this test), the holders are
/// forks running the very functions passed in: here also a fencing rule that panics on the
/// stale write. The panic ends that holder; the run reports it and every process stops.
#[test]
fn run_real_from_a_library_caller_forks_its_holders_and_survives_a_panicking_rule() {
    use faultline::exercises::leases::real::{RealSettings, run_real};
    if !have_etcd() {
        return;
    }
    let _p = ports();
    let good = run_real(&sol8::answers(), &RealSettings::default()).expect("the real scenario runs");
    assert_eq!(good.runs.len(), 2);
    assert!(good.runs[0].stale >= 1 && !good.runs[0].fenced, "{:?}", good.runs[0]);
    assert!(good.runs[1].fenced && good.runs[1].stale == 0, "{:?}", good.runs[1]);
    assert!(good.runs[1].writes.iter().any(|w| !w.accepted));

    let mut bad = sol8::answers();
    // Panics exactly where it should reject: on the paused holder's stale write.
    bad.fencing_accepts = |token, highest| if token < highest { panic!("boom") } else { true };
    let out = run_real(&bad, &RealSettings::default()).expect("a panicking rule is reported, not fatal");
    assert_eq!(out.runs.len(), 2, "{out:?}");
    let note = out.runs[1].note.clone().unwrap_or_default();
    assert!(note.contains("fencing_accepts panicked: boom"), "{note}");
    assert!(leftovers("").is_empty(), "left running: {:?}", leftovers(""));
}
