//! Grading the learner's chapters through their own binaries.
//!
//! Why binaries and not the learner's modules linked in here: each learner file is compiled
//! into its own `exercise-N`, so a chapter that does not compile breaks only itself. One
//! `cargo build --keep-going` builds every chapter asked for (cargo's JSON messages say which
//! target each compiler error belongs to and where each binary landed), then each binary that
//! built runs with `--json --grade-only` (no simulation, no plots), a few at a time.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use faultline::exercises::manifest::ChapterInfo;
use faultline::grade::{JsonReport, Status};
use serde::Serialize;

use crate::project::{FrontError, Project};

/// How long one chapter's grading may take before it is stopped (a learner's endless loop).
const GRADE_TIMEOUT: Duration = Duration::from_secs(120);

/// What became of one chapter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Outcome {
    /// Graded: the chapter's report.
    Graded {
        /// The report its binary printed.
        report: JsonReport,
    },
    /// The learner's file (or the library) does not compile.
    DoesNotCompile {
        /// The first compiler error, on one line, with its file and line.
        error: String,
    },
    /// The binary built but could not be graded (it crashed, hung or printed no report).
    Broken {
        /// What happened.
        error: String,
    },
}

impl Outcome {
    /// Tasks passed, and whether every task passed.
    pub fn passed(&self) -> (usize, bool) {
        match self {
            Outcome::Graded { report } => (report.counts.passed, report.passed),
            _ => (0, false),
        }
    }

    /// The first task not passed, with its status (none for a chapter that did not grade).
    pub fn first_unfinished(&self) -> Option<(usize, &faultline::grade::JsonTask)> {
        match self {
            Outcome::Graded { report } => report.tasks.iter().enumerate().find(|(_, t)| t.status != Status::Pass),
            _ => None,
        }
    }
}

/// The cargo the learner runs us with (`cargo run` sets `CARGO`), or the one on the PATH.
fn cargo() -> Command {
    let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    // The variables `cargo run` sets for *this* binary must not leak into the nested build.
    for var in [
        "CARGO_MANIFEST_DIR",
        "CARGO_PKG_NAME",
        "CARGO_CRATE_NAME",
        "CARGO_BIN_NAME",
    ] {
        c.env_remove(var);
    }
    c
}

/// Builds the exercise binaries of `chapters` in one cargo call; per chapter number, the
/// binary built or the first compiler error.
pub fn build(
    project: &Project,
    chapters: &[&ChapterInfo],
) -> Result<BTreeMap<u8, Result<PathBuf, String>>, FrontError> {
    let mut cmd = cargo();
    cmd.current_dir(&project.root)
        .args(["build", "--keep-going", "--message-format=json", "--color=never"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for ch in chapters {
        cmd.args(["--bin", &format!("exercise-{}", ch.number)]);
    }
    let mut child = cmd
        .spawn()
        .map_err(|e| FrontError::Cargo(format!("cannot run cargo ({e}); is Rust installed?")))?;
    let mut stderr = child.stderr.take().expect("piped");
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let mut built: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut errors: BTreeMap<String, String> = BTreeMap::new();
    let stdout = child.stdout.take().expect("piped");
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let target = msg["target"]["name"].as_str().unwrap_or_default().to_string();
        match msg["reason"].as_str() {
            Some("compiler-artifact") => {
                if let Some(exe) = msg["executable"].as_str() {
                    built.insert(target, PathBuf::from(exe));
                }
            }
            Some("compiler-message") if msg["message"]["level"] == "error" => {
                errors.entry(target).or_insert_with(|| one_line_error(&msg["message"]));
            }
            _ => {}
        }
    }
    let status = child.wait().map_err(|e| FrontError::Cargo(format!("cargo: {e}")))?;
    let stderr = err_reader.join().unwrap_or_default();
    // The library is every chapter's: if it fails, they all do.
    let library = errors.get("faultline").cloned();
    let mut result = BTreeMap::new();
    for ch in chapters {
        let name = format!("exercise-{}", ch.number);
        let outcome = match (built.get(&name), errors.get(&name), &library) {
            (_, Some(e), _) => Err(e.clone()),
            (_, None, Some(lib)) => Err(format!("the faultline library does not compile: {lib}")),
            (Some(exe), None, None) => Ok(exe.clone()),
            (None, None, None) => Err(first_cargo_error(&stderr, status.success())),
        };
        result.insert(ch.number, outcome);
    }
    Ok(result)
}

/// A compiler diagnostic on one line: "error[E0308]: mismatched types (exercises/05_clock_drift.rs:20:5)".
fn one_line_error(message: &serde_json::Value) -> String {
    let text = message["message"]
        .as_str()
        .unwrap_or("error")
        .lines()
        .next()
        .unwrap_or("error");
    let code = message["code"]["code"]
        .as_str()
        .map(|c| format!("[{c}]"))
        .unwrap_or_default();
    let spans = message["spans"].as_array().cloned().unwrap_or_default();
    let place = spans
        .iter()
        .find(|s| s["is_primary"] == true)
        .or(spans.first())
        .map(|s| {
            format!(
                " ({}:{}:{})",
                s["file_name"].as_str().unwrap_or("?"),
                s["line_start"],
                s["column_start"]
            )
        })
        .unwrap_or_default();
    format!("error{code}: {text}{place}")
}

/// Cargo's own first error line (a missing file, a bad Cargo.toml), when no compiler spoke.
fn first_cargo_error(stderr: &str, success: bool) -> String {
    stderr
        .lines()
        .find(|l| l.trim_start().starts_with("error"))
        .map(|l| l.trim().to_string())
        .unwrap_or_else(|| {
            if success {
                "cargo built nothing for it".to_string()
            } else {
                "cargo failed without saying why".to_string()
            }
        })
}

/// Runs one built exercise binary for its JSON report.
pub fn run_binary(project: &Project, exe: &PathBuf) -> Outcome {
    let child = Command::new(exe)
        .current_dir(&project.root)
        .args(["--json", "--grade-only"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            return Outcome::Broken {
                error: format!("cannot run {}: {e}", exe.display()),
            };
        }
    };
    let mut stdout = child.stdout.take().expect("piped");
    let mut stderr = child.stderr.take().expect("piped");
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    // Wait with a deadline: the learner's code may loop forever.
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < GRADE_TIMEOUT => std::thread::sleep(Duration::from_millis(10)),
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    let Some(status) = status else {
        return Outcome::Broken {
            error: format!(
                "grading took over {} s and was stopped: does a loop never end?",
                GRADE_TIMEOUT.as_secs()
            ),
        };
    };
    match serde_json::from_str::<JsonReport>(&stdout) {
        Ok(report) => Outcome::Graded { report },
        Err(_) => {
            let why = stderr
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no report and no message")
                .trim()
                .to_string();
            Outcome::Broken {
                error: format!("exited with {status}: {why}"),
            }
        }
    }
}

/// Builds and grades `chapters`: one cargo call, then the binaries `jobs` at a time. Calls
/// `progress` after each chapter graded.
pub fn grade(
    project: &Project,
    chapters: &[&ChapterInfo],
    progress: &(dyn Fn(&ChapterInfo, &Outcome) + Sync),
) -> Result<BTreeMap<u8, Outcome>, FrontError> {
    let built = build(project, chapters)?;
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, 4);
    let queue = std::sync::Mutex::new(chapters.iter().copied().collect::<std::collections::VecDeque<_>>());
    let results = std::sync::Mutex::new(BTreeMap::new());
    std::thread::scope(|s| {
        for _ in 0..jobs {
            s.spawn(|| {
                // The guard is dropped inside `map`, before the chapter is graded.
                while let Some(ch) = queue.lock().map(|mut q| q.pop_front()).ok().flatten() {
                    let outcome = match &built[&ch.number] {
                        Ok(exe) => run_binary(project, exe),
                        Err(error) => Outcome::DoesNotCompile { error: error.clone() },
                    };
                    progress(ch, &outcome);
                    if let Ok(mut r) = results.lock() {
                        r.insert(ch.number, outcome);
                    }
                }
            });
        }
    });
    Ok(results.into_inner().unwrap_or_default())
}
