//! The chapter 12 binaries as a learner meets them: plots and a JSON report, and bad settings
//! (an unknown timing model, a GST out of range, zero runs) answered with one clear line and a
//! non-zero exit.

mod common;
use common::*;

#[test]
fn solution_12_passes_and_writes_its_plots() {
    assert_passes_with_plots(
        env!("CARGO_BIN_EXE_solution-12"),
        12,
        4,
        &[
            "leaders",
            "split-brain",
            "delays",
            "time-to-elect-vs-gst",
            "elect-vs-delay-ratio",
        ],
        &["--runs", "5"],
    );
}

#[test]
fn bad_settings_give_one_line_and_fail() {
    let exe = env!("CARGO_BIN_EXE_exercise-12");
    let out = temp_dir("cli12-bad");
    let dir = out.to_str().unwrap();
    assert_one_line_error(&run(exe, &["--out", dir, "--timing", "eventually"]), "--timing");
    assert_one_line_error(&run(exe, &["--out", dir, "--gst", "9"]), "--gst");
    assert_one_line_error(&run(exe, &["--out", dir, "--gst", "nan"]), "--gst");
    assert_one_line_error(&run(exe, &["--out", dir, "--runs", "0"]), "--runs");
    let _ = std::fs::remove_dir_all(out);
}
