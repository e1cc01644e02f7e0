//! The chapter 10 binaries as a learner meets them: plots written, a JSON report, and bad
//! settings (no generals, m ≥ n, flags out of range) answered with one clear line and exit
//! code 2, never a panic.

mod common;
use common::*;

#[test]
fn solution_10_writes_plots_and_passes_in_json() {
    assert_passes_with_plots(
        env!("CARGO_BIN_EXE_solution-10"),
        10,
        4,
        &["om-messages", "broken-runs", "om-space-time"],
        &[],
    );
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
