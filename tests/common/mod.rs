//! What the tests that run the binaries share: run one as a learner would, a fresh output
//! folder, and the two things every binary must do (one clear error line; a passing JSON report
//! with its plots).
//!
//! Each test file that uses it says `mod common;`; not every file uses every helper.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Runs the binary at `exe` (an `env!("CARGO_BIN_EXE_…")` path) with `args`, colour off, and
/// a hint state of its own (so a bare `--hint` shows the first tier and the learner's
/// `target/faultline/hints.toml` is never touched).
pub fn run(exe: &str, args: &[&str]) -> Output {
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let state = std::env::temp_dir().join(format!("faultline-test-state-{}-{n}", std::process::id()));
    let o = run_with_state(exe, args, &state);
    let _ = std::fs::remove_dir_all(state);
    o
}

/// Runs the binary at `exe` with `args`, colour off, keeping the hint state in `state`.
pub fn run_with_state(exe: &str, args: &[&str], state: &std::path::Path) -> Output {
    Command::new(exe)
        .args(args)
        .env("NO_COLOR", "1")
        .env("FAULTLINE_STATE_DIR", state)
        .output()
        .expect("the binary runs")
}

/// An empty folder for one test's output, unique to this process.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("faultline-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Bad input: exit status 2 and one line on stderr, starting "error: " and mentioning `needle`,
/// never a panic.
pub fn assert_one_line_error(o: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

/// A solution binary run with `--json` (and `extra` flags): exit 0, stdout only the JSON report
/// of exercise `number` with `tasks` tasks all passing, and an SVG with text plus a PNG for each
/// plot stem.
pub fn assert_passes_with_plots(exe: &str, number: u64, tasks: usize, stems: &[&str], extra: &[&str]) {
    let out = temp_dir(&format!("sol{number}"));
    let mut args = vec!["--json", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(exe, &args);
    assert!(o.status.success(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is only the JSON report");
    assert_eq!(json["exercise"], number);
    let list = json["tasks"].as_array().unwrap();
    assert_eq!(list.len(), tasks);
    assert!(list.iter().all(|t| t["status"] == "pass"), "{json}");
    for stem in stems {
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.contains("<svg") && svg.contains("<text"), "{stem}.svg has no text");
        let png = std::fs::read(out.join(format!("{stem}.png"))).unwrap();
        assert_eq!(&png[1..4], b"PNG", "{stem}.png");
    }
    let _ = std::fs::remove_dir_all(out);
}

/// A system program a test needs (chronyd, etcd), found or not. Found: `Some(path)`. Missing
/// with `CI` set: a panic, since CI must install it. Missing outside CI: `None`, after one
/// visible line (written past the test harness's capture, once per test binary and program)
/// saying how to install it, so a skip is never silent.
pub fn program_or_skip(found: Option<PathBuf>, program: &str, install: &str) -> Option<PathBuf> {
    use std::io::Write as _;
    static SAID: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    if found.is_some() {
        return found;
    }
    if std::env::var_os("CI").is_some() {
        panic!("{program} not found: install it ({install}); CI must have it");
    }
    let mut said = SAID.lock().unwrap_or_else(|e| e.into_inner());
    if !said.iter().any(|p| p == program) {
        said.push(program.to_string());
        let _ = writeln!(
            std::io::stderr(),
            "skipped: the tests that need {program} (not found, CI unset); install it with `{install}` to run them"
        );
    }
    None
}

/// Whether etcd is installed: if not, one skip line (outside CI) or a panic (under CI), as
/// [`program_or_skip`] says.
pub fn have_etcd() -> bool {
    let found = faultline::etcd::find_etcd().ok();
    program_or_skip(found, "etcd", faultline::etcd::INSTALL_HINT).is_some()
}

/// Stops the cluster and checks that it left no process and no data directory.
pub fn stop_and_check_clean(cluster: faultline::etcd::Cluster) {
    let pids = cluster.pids();
    let dir = cluster.dir().to_path_buf();
    let report = cluster.stop().expect("the cluster stops");
    assert!(report.data_removed);
    for pid in pids {
        assert!(
            !faultline::etcd::process_exists(pid),
            "etcd pid {pid} still exists after stop"
        );
    }
    assert!(!dir.exists(), "{} left behind", dir.display());
}
