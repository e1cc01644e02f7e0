//! The chapter 10 binaries as a learner meets them: plots written, a JSON report, and bad
//! settings (no generals, m ≥ n, flags out of range) answered with one clear line and exit
//! code 2, never a panic.

use std::path::PathBuf;
use std::process::{Command, Output};

fn run(exe: &str, args: &[&str]) -> Output {
    Command::new(exe)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("faultline-cli10-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn assert_one_line_error(o: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "exit code; stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "not one line: {stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains(needle), "{stderr}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn solution_10_writes_plots_and_passes_in_json() {
    let out = temp_dir("sol");
    let o = run(
        env!("CARGO_BIN_EXE_solution-10"),
        &["--json", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is only the JSON report");
    assert_eq!(json["exercise"], 10);
    let tasks = json["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 4);
    assert!(tasks.iter().all(|t| t["status"] == "pass"), "{json}");
    for stem in ["om-messages", "broken-runs", "om-space-time"] {
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.contains("<svg") && svg.contains("<text"), "{stem}.svg has no text");
        let png = std::fs::read(out.join(format!("{stem}.png"))).unwrap();
        assert_eq!(&png[1..4], b"PNG", "{stem}.png");
    }
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn bad_settings_give_one_line_and_exit_2() {
    let exe = env!("CARGO_BIN_EXE_exercise-10");
    let out = temp_dir("bad");
    let dir = out.to_str().unwrap();
    assert_one_line_error(&run(exe, &["--out", dir, "--n", "0"]), "invalid n = 0");
    assert_one_line_error(&run(exe, &["--out", dir, "--n", "2", "--m", "2"]), "invalid m = 2");
    assert_one_line_error(&run(exe, &["--out", dir, "--n", "11"]), "invalid n = 11");
    assert_one_line_error(&run(exe, &["--out", dir, "--m", "5"]), "--m");
    assert_one_line_error(&run(exe, &["--out", dir, "--traitors", "x"]), "--traitors");
    let _ = std::fs::remove_dir_all(out);
}
