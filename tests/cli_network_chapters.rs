//! Bad input to the chapter 1–4 binaries ends in one clear line on stderr and exit status 2,
//! not a panic or a usage block.

use std::process::Command;

fn run(bin: &str, args: &[&str]) -> (i32, String) {
    let out = Command::new(bin)
        .args(args)
        .args([
            "--out",
            &std::env::temp_dir().join("faultline-cli-test").to_string_lossy(),
        ])
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn one_clear_line(bin: &str, args: &[&str], mentions: &str) {
    let (code, err) = run(bin, args);
    assert_eq!(code, 2, "{bin} {args:?}: exit {code}, stderr: {err}");
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "{bin} {args:?}: expected one line, got:\n{err}");
    assert!(
        lines[0].contains(mentions),
        "{bin} {args:?}: {:?} does not mention {mentions}",
        lines[0]
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn bad_flags_are_one_line() {
    one_clear_line(env!("CARGO_BIN_EXE_exercise-1"), &["--loss", "0.95"], "0.95");
    one_clear_line(env!("CARGO_BIN_EXE_exercise-1"), &["--schedules", "0"], "0");
    one_clear_line(env!("CARGO_BIN_EXE_exercise-2"), &["--loss", "-0.1"], "-0.1");
    one_clear_line(env!("CARGO_BIN_EXE_exercise-2"), &["--jitter-ms", "abc"], "abc");
    one_clear_line(env!("CARGO_BIN_EXE_exercise-3"), &["--rho", "-1"], "ρ");
    one_clear_line(env!("CARGO_BIN_EXE_exercise-3"), &["--customers", "5"], "5");
    one_clear_line(env!("CARGO_BIN_EXE_exercise-4"), &["--threshold", "0"], "φ");
    one_clear_line(env!("CARGO_BIN_EXE_exercise-4"), &["--max-timeouts", "1.5"], "1.5");
}

#[test]
fn a_malformed_rtt_file_is_one_line_naming_file_line_and_field() {
    let dir = std::env::temp_dir().join(format!("faultline-cli-rtt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("rtt.csv");
    std::fs::write(&bad, "seq,rtt_ms\n1,20.5\n2,fast\n").unwrap();
    let (code, err) = run(env!("CARGO_BIN_EXE_exercise-4"), &["--data", &bad.to_string_lossy()]);
    assert_eq!(code, 2, "{err}");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(
        lines[0].contains("rtt.csv") && lines[0].contains("line 3") && lines[0].contains("rtt_ms"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
