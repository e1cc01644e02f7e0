//! The chapter 9 binaries as a learner meets them: plots and a JSON report, and bad settings
//! (zero nodes, a quorum larger than the cluster, a partition naming an unknown node) answered
//! with one clear line and a non-zero exit.

mod common;
use common::*;

#[test]
fn solution_9_passes_and_writes_its_plots() {
    assert_passes_with_plots(
        env!("CARGO_BIN_EXE_solution-9"),
        9,
        4,
        &["split-vote", "election-time-cdf"],
        &["--runs", "50"],
    );
}

#[test]
fn bad_settings_give_one_line_and_fail() {
    let exe = env!("CARGO_BIN_EXE_exercise-9");
    let out = temp_dir("cli9-bad");
    let dir = out.to_str().unwrap();
    assert_one_line_error(&run(exe, &["--out", dir, "--nodes", "0"]), "invalid nodes = 0");
    assert_one_line_error(&run(exe, &["--out", dir, "--quorum", "6"]), "invalid quorum = 6");
    assert_one_line_error(&run(exe, &["--out", dir, "--partition", "7"]), "invalid node = 7");
    assert_one_line_error(&run(exe, &["--out", dir, "--runs", "0"]), "--runs");
    let _ = std::fs::remove_dir_all(out);
}
