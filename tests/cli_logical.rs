//! The chapter 11 binary as a learner meets it: plots and a JSON report, and a bad flag
//! answered with one clear line and exit code 2, never a panic.

use std::process::Command;

#[test]
fn solution_11_passes_and_writes_its_plots() {
    let out = std::env::temp_dir().join(format!("faultline-cli11-{}", std::process::id()));
    let o = Command::new(env!("CARGO_BIN_EXE_solution-11"))
        .args(["--json", "--out", out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["exercise"], 11);
    for stem in [
        "lamport-diagram",
        "vector-diagram",
        "hlc-diagram",
        "hlc-ahead-of-true-time",
    ] {
        let png = std::fs::read(out.join(format!("{stem}.png"))).unwrap();
        assert_eq!(&png[1..4], b"PNG", "{stem}");
    }
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn a_bad_flag_is_one_line_and_exit_2() {
    for args in [&["--nodes", "40"][..], &["--skew-ms", "-3"], &["--skew-ms", "nan"]] {
        let o = Command::new(env!("CARGO_BIN_EXE_exercise-11"))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: {stderr}");
        assert!(
            stderr.starts_with("error: ") && !stderr.contains("panicked"),
            "{stderr}"
        );
    }
}
