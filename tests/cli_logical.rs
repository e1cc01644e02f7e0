//! The chapter 11 binaries as a learner meets them: plots and a JSON report, and a bad flag
//! answered with one clear line and exit code 2, never a panic.

mod common;
use common::*;

#[test]
fn solution_11_passes_and_writes_its_plots() {
    assert_passes_with_plots(
        env!("CARGO_BIN_EXE_solution-11"),
        11,
        4,
        &[
            "lamport-diagram",
            "vector-diagram",
            "hlc-diagram",
            "hlc-ahead-of-true-time",
        ],
        &[],
    );
}

#[test]
fn a_bad_flag_is_one_line_and_exit_2() {
    let exe = env!("CARGO_BIN_EXE_exercise-11");
    let out = temp_dir("cli11-bad");
    let dir = out.to_str().unwrap();
    assert_one_line_error(&run(exe, &["--out", dir, "--nodes", "40"]), "--nodes");
    assert_one_line_error(&run(exe, &["--out", dir, "--skew-ms", "-3"]), "--skew-ms");
    assert_one_line_error(&run(exe, &["--out", dir, "--skew-ms", "nan"]), "--skew-ms");
    let _ = std::fs::remove_dir_all(out);
}
