//! The chapter 8 binaries as a learner meets them: plots and a JSON report, and bad settings
//! (negative or NaN lengths, runs out of range) answered with one clear line and exit code 2.

mod common;
use common::*;

#[test]
fn solution_8_passes_and_writes_its_plots() {
    assert_passes_with_plots(
        env!("CARGO_BIN_EXE_solution-8"),
        8,
        4,
        &["lease-timeline-no-fencing", "lease-timeline-fencing", "lease-margin"],
        &["--runs", "5"],
    );
}

#[test]
fn bad_settings_give_one_line_and_exit_2() {
    let exe = env!("CARGO_BIN_EXE_exercise-8");
    let out = temp_dir("cli8-bad");
    let dir = out.to_str().unwrap();
    assert_one_line_error(&run(exe, &["--out", dir, "--lease", "-1"]), "--lease");
    assert_one_line_error(&run(exe, &["--out", dir, "--max-pause", "NaN"]), "--max-pause");
    assert_one_line_error(&run(exe, &["--out", dir, "--drift-ppm", "-5"]), "--drift-ppm");
    assert_one_line_error(&run(exe, &["--out", dir, "--runs", "0"]), "--runs");
    let _ = std::fs::remove_dir_all(out);
}
