//! The exercise binaries as a learner meets them: plots written, JSON report, and bad input
//! answered with one clear line and a non-zero exit, never a panic.

mod common;
use common::*;

#[test]
fn solution_5_writes_plots_and_passes_in_json() {
    let out = temp_dir("sol5");
    let o = run(
        env!("CARGO_BIN_EXE_solution-5"),
        &["--json", "--out", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "stderr: {}", String::from_utf8_lossy(&o.stderr));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is only the JSON report");
    assert_eq!(json["exercise"], 5);
    let tasks = json["tasks"].as_array().unwrap();
    assert!(tasks.len() >= 4);
    assert!(tasks.iter().all(|t| t["status"] == "pass"), "{json}");
    for stem in [
        "offset-over-time",
        "drift-prediction",
        "temperature-curve",
        "wall-vs-monotonic",
    ] {
        let svg = std::fs::read_to_string(out.join(format!("{stem}.svg"))).unwrap();
        assert!(svg.contains("<svg") && svg.contains("<text"), "{stem}.svg has no text");
        let png = std::fs::read(out.join(format!("{stem}.png"))).unwrap();
        assert_eq!(&png[1..4], b"PNG", "{stem}.png");
        assert!(png.len() > 10_000, "{stem}.png looks empty");
    }
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn the_stub_reports_not_attempted_and_exits_non_zero() {
    let out = temp_dir("ex5");
    let o = run(
        env!("CARGO_BIN_EXE_exercise-5"),
        &["--out", out.to_str().unwrap(), "--hint"],
    );
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(stdout.contains("0/5 tasks passed"), "{stdout}");
    assert_eq!(stdout.matches("not attempted").count(), 5, "{stdout}");
    assert!(stdout.contains("Hint for drift_after"), "{stdout}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        !stderr.contains("panicked"),
        "a todo!() leaked a panic message: {stderr}"
    );
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn hints_come_in_tiers_from_the_manifest_the_next_one_per_ask() {
    let out = temp_dir("hints");
    let state = out.join("state");
    let dir = out.to_str().unwrap();
    let tiers = &faultline::exercises::manifest::chapter(5).unwrap().tasks[0].hints;
    assert!(tiers.len() >= 2);
    let hint = |args: &[&str]| {
        let mut all = vec!["--out", dir];
        all.extend_from_slice(args);
        let o = run_with_state(env!("CARGO_BIN_EXE_exercise-5"), &all, &state);
        assert_eq!(o.status.code(), Some(1));
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        let line = stdout
            .lines()
            .find(|l| l.starts_with("Hint for drift_after"))
            .unwrap_or_else(|| panic!("no hint line: {stdout}"))
            .to_string();
        (line, stdout)
    };
    let n = tiers.len();
    // Each bare --hint shows the next tier, then the last one again.
    for k in 1..=n + 1 {
        let (line, stdout) = hint(&["--hint"]);
        let tier = k.min(n);
        assert!(
            line.contains(&format!("(tier {tier} of {n})")) && line.ends_with(&tiers[tier - 1]),
            "ask {k}: {line}"
        );
        if tier < n {
            assert!(
                stdout.contains("Next tier: cargo run --bin exercise-5 -- --hint"),
                "{stdout}"
            );
        } else {
            assert!(stdout.contains("That is the last tier"), "{stdout}");
        }
    }
    assert!(state.join("hints.toml").exists());
    // A number still shows that tier, whatever was seen.
    assert!(hint(&["--hint", "1"]).0.ends_with(&tiers[0]));
    let (second, _) = hint(&["--hint", "2"]);
    assert!(second.ends_with(&tiers[1]), "{second}");
    assert_eq!(hint(&["--hint", "--hint"]).0, second);
    let (beyond, _) = hint(&["--hint", "9"]);
    assert!(beyond.ends_with(tiers.last().unwrap()), "{beyond}");
    // Another state starts from the gentlest.
    let (fresh, _) = {
        let o = run(env!("CARGO_BIN_EXE_exercise-5"), &["--out", dir, "--hint"]);
        let stdout = String::from_utf8_lossy(&o.stdout).into_owned();
        (
            stdout.lines().find(|l| l.starts_with("Hint for")).unwrap().to_string(),
            (),
        )
    };
    assert!(fresh.contains("(tier 1 of"), "{fresh}");
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn json_has_input_expected_got_counts_hints_and_plots() {
    let out = temp_dir("json5");
    let o = run(
        env!("CARGO_BIN_EXE_exercise-5"),
        &["--json", "--out", out.to_str().unwrap()],
    );
    assert_eq!(o.status.code(), Some(1));
    let json: faultline::grade::JsonReport = serde_json::from_slice(&o.stdout).expect("stdout is only the JSON report");
    assert_eq!(json.exercise, 5);
    assert_eq!(json.counts.not_attempted, json.tasks.len());
    assert!(
        !json.plots.is_empty() && json.plots.iter().all(|p| p.exists()),
        "{:?}",
        json.plots
    );
    for t in &json.tasks {
        assert!(t.input.is_none() && t.expected.is_none() && t.got.is_none());
        assert_eq!((t.cases_tried, t.cases_passed), (0, 0));
        assert_eq!(t.hint_tiers, t.hints.len());
        assert_eq!(t.hints_shown, 0);
    }
    // --grade-only draws nothing; the solution passes with its cases counted.
    let o = run(
        env!("CARGO_BIN_EXE_solution-5"),
        &["--json", "--grade-only", "--out", out.join("none").to_str().unwrap()],
    );
    assert!(o.status.success());
    let json: faultline::grade::JsonReport = serde_json::from_slice(&o.stdout).unwrap();
    assert!(json.plots.is_empty() && !out.join("none").exists());
    assert!(
        json.passed
            && json
                .tasks
                .iter()
                .all(|t| t.cases_tried > 0 && t.cases_passed == t.cases_tried)
    );
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn bad_flags_give_one_clear_line() {
    assert_one_line_error(&run(env!("CARGO_BIN_EXE_exercise-5"), &["--days", "-1"]), "days");
    assert_one_line_error(&run(env!("CARGO_BIN_EXE_exercise-5"), &["--days", "0"]), "days");
    assert_one_line_error(&run(env!("CARGO_BIN_EXE_exercise-5"), &["--ppm", "NaN"]), "finite");
    assert_one_line_error(
        &run(env!("CARGO_BIN_EXE_exercise-5"), &["--temperature", "inf"]),
        "finite",
    );
    assert_one_line_error(
        &run(env!("CARGO_BIN_EXE_exercise-5"), &["--seed", "-3"]),
        "seeds are whole numbers ≥ 0",
    );
    assert_one_line_error(
        &run(env!("CARGO_BIN_EXE_exercise-5"), &["--exercise", "99"]),
        "--exercise",
    );
}

#[test]
fn bad_data_files_name_file_line_and_field() {
    let dir = temp_dir("data");
    assert_one_line_error(
        &run(env!("CARGO_BIN_EXE_exercise-5"), &["--data", "/nonexistent/osc.csv"]),
        "/nonexistent/osc.csv: cannot open",
    );
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "name,offset_ppm,turnover_c,tempco_ppm_per_c2,aging_ppm_per_day,random_walk_ppm_per_sqrt_day,source\n\
         a,1,25,0.034,0,0,x\nb,fast,25,0.034,0,0,x\n",
    )
    .unwrap();
    assert_one_line_error(
        &run(env!("CARGO_BIN_EXE_exercise-5"), &["--data", bad.to_str().unwrap()]),
        "bad.csv: line 3, field `offset_ppm`",
    );
    std::fs::write(
        &bad,
        "name,offset_ppm,turnover_c,tempco_ppm_per_c2,aging_ppm_per_day,random_walk_ppm_per_sqrt_day,source\n\
         a,1,25,-0.5,0,0,x\n",
    )
    .unwrap();
    assert_one_line_error(
        &run(env!("CARGO_BIN_EXE_exercise-5"), &["--data", bad.to_str().unwrap()]),
        "line 2, field `tempco_ppm_per_c2`",
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_stdout_that_cannot_be_written_is_not_a_panic() {
    // `exercise-5 | head -1` closes the pipe early; /dev/full refuses every write the same way.
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        eprintln!("skipped: no /dev/full here");
        return;
    };
    let out = temp_dir("devfull");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_exercise-5"))
        .args(["--out", out.to_str().unwrap()])
        .stdout(full)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        o.status.code(),
        Some(1),
        "the stub's report still decides the exit code: {stderr}"
    );
}

#[test]
fn a_directory_as_data_is_one_line_with_nothing_before_it() {
    let o = run(
        env!("CARGO_BIN_EXE_exercise-5"),
        &["--data", std::env::temp_dir().to_str().unwrap()],
    );
    assert_one_line_error(&o, "is a directory");
    assert!(o.stdout.is_empty(), "stdout: {}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn help_names_its_own_binary_and_chapter() {
    let o = run(env!("CARGO_BIN_EXE_exercise-5"), &["--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(
        help.contains("Chapter 5 · Clock drift") && help.contains("Usage: exercise-5"),
        "{help}"
    );
    assert!(
        help.contains("target/faultline/exercise-5") && !help.contains("exercise-N"),
        "{help}"
    );
}
