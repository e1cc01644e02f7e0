//! The `faultline` front door, run as a learner would: against a copy of the project (under the
//! build folder, so the real `exercises/` is never touched) whose exercise files start as the
//! shipped stubs. The copy builds into a target folder of its own (its dependencies once, on
//! the first run); every wait is bounded.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const FRONT: &str = env!("CARGO_BIN_EXE_faultline");
/// A cold build of the copy compiles the library and eleven binaries.
const BUILD_LIMIT: Duration = Duration::from_secs(900);

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The build folder this test binary was built into (…/target).
fn target_dir() -> PathBuf {
    Path::new(FRONT)
        .parent()
        .and_then(Path::parent)
        .expect("the binary sits in target/<profile>/")
        .to_path_buf()
}

/// Copies `from` to `to` (files, recursively), writing only what differs so that cargo sees
/// unchanged files as unchanged.
fn sync(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            sync(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        let new = std::fs::read(from).unwrap();
        if std::fs::read(to).ok().as_deref() != Some(new.as_slice()) {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::write(to, new).unwrap();
        }
    }
}

struct Copy {
    project: PathBuf,
    target: PathBuf,
    state: PathBuf,
}

/// The project copy: sources as they are here, every exercise file as shipped (stubs/).
fn copy() -> Copy {
    let base = target_dir().join("front-door-test");
    let project = base.join("project");
    for item in [
        "Cargo.toml",
        "Cargo.lock",
        "chapters.toml",
        "src",
        "solutions",
        "stubs",
        "data",
        "benches",
    ] {
        sync(&root().join(item), &project.join(item));
    }
    sync(&root().join("stubs"), &project.join("exercises"));
    let _ = std::fs::remove_dir_all(project.join("backups"));
    // Its own target folder: `cargo test` holds this build's lock, and the copy's binaries must
    // not replace this build's. The first run builds the dependencies there once.
    let target = base.join("target");
    let state = base.join("state");
    let _ = std::fs::remove_dir_all(&state);
    Copy { project, target, state }
}

impl Copy {
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(FRONT);
        c.args(args)
            .current_dir(&self.project)
            .env("CARGO_TARGET_DIR", &self.target)
            .env("FAULTLINE_STATE_DIR", &self.state)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        c
    }

    /// Runs `faultline args…` to completion, within [`BUILD_LIMIT`].
    fn run(&self, args: &[&str]) -> Output {
        let child = self
            .command(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("faultline runs");
        let pid = child.id();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(child.wait_with_output());
        });
        match rx.recv_timeout(BUILD_LIMIT) {
            Ok(out) => out.expect("faultline ran"),
            Err(_) => {
                let _ = Command::new("kill").arg(pid.to_string()).status();
                panic!("faultline {args:?} took over {BUILD_LIMIT:?}");
            }
        }
    }

    fn file(&self, rel: &str) -> PathBuf {
        self.project.join(rel)
    }
}

fn text(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Exit 2 and one line on stderr naming `needle`.
fn usage_error(o: &Output, needle: &str) {
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "stderr: {stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("error: ") && stderr.contains(needle), "{stderr}");
}

#[test]
fn every_chapter_has_a_stub_with_todo_in_stubs() {
    for ch in &faultline::exercises::manifest::manifest().unwrap().chapters {
        let name = Path::new(&ch.exercise).file_name().unwrap();
        let stub = std::fs::read_to_string(root().join("stubs").join(name))
            .unwrap_or_else(|e| panic!("stubs/{}: {e}", name.to_string_lossy()));
        assert!(
            stub.contains("todo!()"),
            "stubs/{} has no todo!()",
            name.to_string_lossy()
        );
    }
}

#[test]
fn unknown_chapters_tasks_and_commands_say_what_exists() {
    let c = Copy {
        project: root().to_path_buf(),
        target: target_dir().join("front-door-unused"),
        state: std::env::temp_dir().join(format!("faultline-front-state-{}", std::process::id())),
    };
    usage_error(&c.run(&["hint", "13"]), "no chapter 13; the chapters are 1–");
    usage_error(&c.run(&["reset", "0"]), "no chapter 0");
    usage_error(&c.run(&["reset", "five"]), "no chapter five");
    usage_error(&c.run(&["hint", "5", "nosuch"]), "its tasks are 1 drift_after, 2 ");
    usage_error(&c.run(&["hint", "5", "9"]), "chapter 5 has no task `9`");
    usage_error(&c.run(&["frobnicate"]), "frobnicate");
    usage_error(&c.run(&["reset"]), "not provided: <CHAPTER>");
    // A task by name or number needs no build: tiers advance per ask, then stay on the last.
    let tiers = &faultline::exercises::manifest::chapter(5).unwrap().tasks[1].hints;
    for k in 1..=tiers.len() + 1 {
        let o = c.run(&["hint", "5", if k % 2 == 0 { "2" } else { "drift_per_day" }]);
        assert!(o.status.success());
        let tier = k.min(tiers.len());
        let out = text(&o);
        assert!(
            out.contains(&format!("hint for drift_per_day (tier {tier} of {})", tiers.len()))
                && out.contains(&tiers[tier - 1]),
            "ask {k}: {out}"
        );
    }
    let _ = std::fs::remove_dir_all(&c.state);
}

/// A maintainers' test (it builds a copy of the whole project): plain `cargo test`, which
/// learners run to grade their files, skips it.
#[test]
#[cfg_attr(
    not(feature = "solutions"),
    ignore = "builds a copy of the project; run with cargo test --features solutions"
)]
fn the_course_next_hint_reset_and_watch_on_a_copy() {
    let c = copy();

    // Fresh: every chapter graded, every task not attempted.
    let o = c.run(&["--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let course: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is the course as JSON");
    let chapters = course["chapters"].as_array().unwrap();
    let manifest = &faultline::exercises::manifest::manifest().unwrap().chapters;
    assert_eq!(chapters.len(), manifest.len());
    assert_eq!(course["passed"], 0);
    for ch in chapters {
        assert_eq!(ch["state"], "graded", "{ch}");
        let tasks = ch["report"]["tasks"].as_array().unwrap();
        assert!(tasks.iter().all(|t| t["status"] == "not_attempted"), "{ch}");
    }
    assert_eq!(course["next"]["chapter"], 1);

    // Chapter 1 solved, chapter 2 broken: the others still grade.
    std::fs::copy(
        c.file("solutions/01_partial_failure.rs"),
        c.file("exercises/01_partial_failure.rs"),
    )
    .unwrap();
    let broken = "this is not rust {\n";
    std::fs::write(c.file("exercises/02_network_faults.rs"), broken).unwrap();
    let o = c.run(&[]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    assert!(
        out.contains(" 1 · Partial failure") && out.contains("4/4 tasks pass"),
        "{out}"
    );
    assert!(out.contains("✓ backoff") && out.contains("pass"), "{out}");
    assert!(out.contains(" 2 · Network faults"), "{out}");
    let line = out.lines().position(|l| l.contains(" 2 · Network faults")).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[line].contains("does not compile"), "{out}");
    assert!(
        lines[line + 1].contains("error") && lines[line + 1].contains("exercises/02_network_faults.rs:1"),
        "{out}"
    );
    assert!(
        out.contains(" 3 · Queueing latency") && out.contains("· mean_response"),
        "{out}"
    );
    let o = c.run(&["next"]);
    assert!(text(&o).contains("Chapter 2 · Network faults: exercises/02_network_faults.rs does not compile"));

    // reset: the learner's file to backups/, the stub back; a second reset does nothing.
    let o = c.run(&["reset", "2"]);
    let out = text(&o);
    assert!(o.status.success(), "{out}");
    let backups: Vec<PathBuf> = std::fs::read_dir(c.file("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1);
    let name = backups[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("02_network_faults.20") && name.ends_with("Z.rs"),
        "{name}"
    );
    assert!(out.contains(&format!("backups/{name}")), "{out}");
    assert_eq!(std::fs::read_to_string(&backups[0]).unwrap(), broken);
    assert_eq!(
        std::fs::read(c.file("exercises/02_network_faults.rs")).unwrap(),
        std::fs::read(c.file("stubs/02_network_faults.rs")).unwrap()
    );
    let o = c.run(&["reset", "2"]);
    assert!(
        o.status.success() && text(&o).contains("already the stub"),
        "{}",
        text(&o)
    );
    assert_eq!(std::fs::read_dir(c.file("backups")).unwrap().count(), 1);

    // next: the first unfinished task, its notebook, the command, the first tier.
    let info = &manifest[1];
    let o = c.run(&["next"]);
    let out = text(&o);
    assert!(
        out.contains("Chapter 2 · Network faults, task 1 of 4: one_way_delay (not attempted yet)"),
        "{out}"
    );
    assert!(
        out.contains(&info.notebook) && out.contains("cargo run --bin exercise-2"),
        "{out}"
    );
    assert!(
        out.contains(&format!("(tier 1 of 2): {}", info.tasks[0].hints[0])),
        "{out}"
    );

    // hint 2: the next tier each time, shared with exercise-2 --hint.
    let o = c.run(&["hint", "2"]);
    assert!(text(&o).contains("one_way_delay (tier 1 of 2)"), "{}", text(&o));
    let o = c.run(&["hint", "2"]);
    assert!(text(&o).contains("one_way_delay (tier 2 of 2)"), "{}", text(&o));
    let exe = c.target.join("debug").join("exercise-2");
    let o = Command::new(&exe)
        .args(["--hint", "--out"])
        .arg(c.state.join("plots"))
        .env("FAULTLINE_STATE_DIR", &c.state)
        .output()
        .unwrap();
    assert!(
        text(&o).contains("Hint for one_way_delay (tier 2 of 2)"),
        "{}",
        text(&o)
    );
    let o = c.run(&["hint", "2", "3"]);
    assert!(text(&o).contains("deliver_in_order (tier 1 of"), "{}", text(&o));

    // watch: a half-written file does not compile, then the whole file passes.
    watch(&c);
}

fn watch(c: &Copy) {
    let mut child = c
        .command(&["watch", "--exit-after", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let mut seen = String::new();
    let mut wait_for = |needle: &str, limit: Duration| {
        let until = Instant::now() + limit;
        while !seen.contains(needle) {
            let left = until.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    seen.push_str(&line);
                    seen.push('\n');
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!("watch: no `{needle}` within {limit:?}; it printed:\n{seen}");
                }
            }
        }
        std::mem::take(&mut seen)
    };
    let first = wait_for("Watching exercises/", BUILD_LIMIT);
    assert!(first.contains("Course: 4/"), "{first}");
    let solution = std::fs::read_to_string(c.file("solutions/05_clock_drift.rs")).unwrap();
    let file = c.file("exercises/05_clock_drift.rs");
    std::fs::write(&file, &solution[..solution.len() / 2]).unwrap();
    let half = wait_for("Course: ", BUILD_LIMIT);
    assert!(
        half.contains("exercises/05_clock_drift.rs saved: chapter 5 re-graded") && half.contains("does not compile"),
        "{half}"
    );
    std::fs::write(&file, &solution).unwrap();
    let whole = wait_for("Course: ", BUILD_LIMIT);
    assert!(whole.contains("Exercise 5 · Clock drift — 5/5 tasks passed"), "{whole}");
    assert!(whole.contains("Course: 9/"), "{whole}");
    // --exit-after 2: it stops by itself.
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success());
            break;
        }
        if Instant::now() > until {
            let _ = child.kill();
            panic!("watch did not stop after two re-grades");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("watch test took {:?}", started.elapsed());
}
