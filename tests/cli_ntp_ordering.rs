//! The chapter 6 and 7 binaries as a learner meets them: plots written, a JSON report, and bad
//! input (flags out of range, a server that does not answer) answered with one clear line and
//! exit code 2, never a panic or a hang.

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
    let d = std::env::temp_dir().join(format!("faultline-cli67-{name}-{}", std::process::id()));
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

fn assert_passes_with_plots(exe: &str, number: u64, tasks: usize, stems: &[&str], extra: &[&str]) {
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

#[test]
fn solution_6_writes_plots_and_passes_in_json() {
    assert_passes_with_plots(
        env!("CARGO_BIN_EXE_solution-6"),
        6,
        6,
        &[
            "true-vs-estimated-offset",
            "error-vs-asymmetry",
            "filter-on-off",
            "falseticker",
        ],
        &["--hours", "2"],
    );
}

#[test]
fn solution_7_writes_plots_and_passes_in_json() {
    assert_passes_with_plots(
        env!("CARGO_BIN_EXE_solution-7"),
        7,
        4,
        &[
            "lww-lost-writes",
            "misordered-messages",
            "uncertainty-sawtooth",
            "commit-wait-cost",
        ],
        &["--writes", "300"],
    );
}

#[test]
fn measuring_against_a_silent_port_is_one_clear_line() {
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = format!("127.0.0.1:{port}");
    let out = temp_dir("measure");
    let start = std::time::Instant::now();
    let o = run(
        env!("CARGO_BIN_EXE_exercise-6"),
        &[
            "--measure",
            "--server",
            &server,
            "--timeout-ms",
            "300",
            "--hours",
            "1",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_one_line_error(&o, &format!("no NTP answer from {server}"));
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn bad_flags_give_one_clear_line() {
    let ex6 = env!("CARGO_BIN_EXE_exercise-6");
    assert_one_line_error(&run(ex6, &["--hours", "0"]), "hours");
    assert_one_line_error(&run(ex6, &["--hours", "NaN"]), "number");
    assert_one_line_error(&run(ex6, &["--timeout-ms", "0"]), "--timeout-ms");
    let ex7 = env!("CARGO_BIN_EXE_exercise-7");
    assert_one_line_error(&run(ex7, &["--drift-bound-ppm", "-5"]), "must not be negative");
    assert_one_line_error(&run(ex7, &["--sync-interval", "0"]), "sync");
    assert_one_line_error(&run(ex7, &["--writes", "5"]), "--writes");
}
