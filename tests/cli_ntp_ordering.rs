//! The chapter 6 and 7 binaries as a learner meets them: plots written, a JSON report, and bad
//! input (flags out of range, a server that does not answer) answered with one clear line and
//! exit code 2, never a panic or a hang.

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

#[test]
fn an_out_of_range_drift_bound_names_its_flag() {
    let o = run(env!("CARGO_BIN_EXE_exercise-7"), &["--drift-bound-ppm", "1e12"]);
    assert_one_line_error(&o, "--drift-bound-ppm");
}
