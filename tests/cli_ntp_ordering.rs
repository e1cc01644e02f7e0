//! The chapter 6 and 7 binaries as a learner meets them: plots written, a JSON report, bad
//! flags (out of range, a run too short to plot) answered with one clear line and exit code 2,
//! and a time server that does not answer reported in one line while the run goes on; never a
//! panic or a hang.

mod common;
use common::*;

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

/// `--measure` against `server` with a 300 ms timeout: the run still draws its plots and prints
/// its report, and one stderr line says no reply came within 300 ms.
fn measure_without_an_answer(server: &str, name: &str) {
    let out = temp_dir(name);
    let start = std::time::Instant::now();
    let o = run(
        env!("CARGO_BIN_EXE_solution-6"),
        &[
            "--measure",
            "--server",
            server,
            "--timeout-ms",
            "300",
            "--hours",
            "1",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    let (stdout, stderr) = (String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr));
    assert!(o.status.success(), "exit {:?}; stderr: {stderr}", o.status.code());
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(
        lines[0].contains(&format!("no reply from {server} within 300 ms")),
        "{stderr}"
    );
    assert!(
        !stderr.contains("nothing is listening") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert!(
        stdout.contains("Plots:") && stdout.contains("6/6 tasks passed"),
        "{stdout}"
    );
    assert!(out.join("true-vs-estimated-offset.png").exists());
    assert!(start.elapsed() < std::time::Duration::from_secs(60));
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn measuring_against_a_silent_port_still_reports_and_plots() {
    // A socket that never answers: the request times out.
    let silent = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let server = format!("127.0.0.1:{}", silent.local_addr().unwrap().port());
    measure_without_an_answer(&server, "measure-silent");
}

#[test]
fn measuring_against_a_closed_port_still_reports_and_plots() {
    // A port nobody holds: the host refuses the packet at once, which is still no reply.
    let port = std::net::UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    measure_without_an_answer(&format!("127.0.0.1:{port}"), "measure-closed");
}

#[test]
fn a_run_too_short_to_plot_is_refused_with_the_minimum() {
    let o = run(env!("CARGO_BIN_EXE_exercise-6"), &["--hours", "0.01"]);
    assert_one_line_error(&o, "at least 0.5");
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

#[test]
fn an_out_of_range_drift_bound_names_its_flag() {
    let o = run(env!("CARGO_BIN_EXE_exercise-7"), &["--drift-bound-ppm", "1e12"]);
    assert_one_line_error(&o, "--drift-bound-ppm");
}
