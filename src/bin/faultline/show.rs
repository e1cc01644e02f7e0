//! What the front door prints: the course, the next task, and the course as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::IsTerminal;

use faultline::exercises::hints::HintState;
use faultline::grade::Status;
use serde::Serialize;

use crate::grading::Outcome;
use crate::project::Project;

/// Colour when stdout is a terminal and `NO_COLOR` is unset.
pub fn colour() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// `print!` that never panics (a closed pipe is not an error worth a backtrace).
pub fn out(s: &str) {
    use std::io::Write as _;
    let _ = write!(std::io::stdout(), "{s}");
    let _ = std::io::stdout().flush();
}

/// `println!` that never panics.
pub fn outln(s: &str) {
    out(&format!("{s}\n"));
}

fn paint(on: bool, code: &str, s: &str) -> String {
    if on {
        format!("\x1b[{code}m{s}\x1b[0m")
    } else {
        s.to_string()
    }
}

/// Passed tasks and all tasks over the course.
pub fn totals(project: &Project, outcomes: &BTreeMap<u8, Outcome>) -> (usize, usize) {
    let all = project.chapters().iter().map(|c| c.tasks.len()).sum();
    let passed = outcomes.values().map(|o| o.passed().0).sum();
    (passed, all)
}

/// One chapter: its header line and one line per task (or the reason it did not grade).
pub fn chapter(project: &Project, number: u8, outcome: &Outcome, colour: bool) -> String {
    let Some(ch) = project.chapters().iter().find(|c| c.number == number) else {
        return String::new();
    };
    let mut s = String::new();
    let head = format!("{:>2} · {}", ch.number, ch.title);
    match outcome {
        Outcome::Graded { report } => {
            let mark = if report.passed {
                paint(colour, "32", " ✓")
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "{}  {}/{} tasks pass{mark}",
                paint(colour, "1", &format!("{head:<48}")),
                report.counts.passed,
                report.counts.tasks
            );
            let width = project
                .chapters()
                .iter()
                .flat_map(|c| &c.tasks)
                .map(|t| t.name.len())
                .max()
                .unwrap_or(0);
            for t in &report.tasks {
                let (sym, word) = match t.status {
                    Status::Pass => (paint(colour, "32", "✓"), paint(colour, "32", "pass")),
                    Status::Fail => (paint(colour, "31", "✗"), paint(colour, "31;1", "fail")),
                    Status::NotAttempted => (paint(colour, "33", "·"), paint(colour, "33", "not attempted")),
                };
                let _ = writeln!(s, "       {sym} {:width$}  {word}", t.name);
            }
        }
        Outcome::DoesNotCompile { error } => {
            let _ = writeln!(
                s,
                "{}  {}",
                paint(colour, "1", &format!("{head:<48}")),
                paint(colour, "31;1", "does not compile")
            );
            let _ = writeln!(s, "       {error}");
            let _ = writeln!(s, "       (cargo run --bin exercise-{} shows every error)", ch.number);
        }
        Outcome::Broken { error } => {
            let _ = writeln!(
                s,
                "{}  {}",
                paint(colour, "1", &format!("{head:<48}")),
                paint(colour, "31;1", "could not be graded")
            );
            let _ = writeln!(s, "       {error}");
        }
    }
    s
}

/// The whole course as text.
pub fn course(project: &Project, outcomes: &BTreeMap<u8, Outcome>, colour: bool) -> String {
    let (passed, all) = totals(project, outcomes);
    let mut s = format!(
        "{} — {passed}/{all} tasks pass\n\n",
        paint(colour, "1", "faultline · the trouble with distributed systems")
    );
    for ch in project.chapters() {
        if let Some(o) = outcomes.get(&ch.number) {
            s.push_str(&chapter(project, ch.number, o, colour));
        }
    }
    if passed == all {
        s.push_str("\nEvery task of every chapter passes. Well done.\n");
    } else {
        s.push_str("\nWhat next: cargo run --bin faultline -- next\n");
    }
    s
}

/// The first chapter (in course order) with a task not passed, and that task's index.
fn first_unfinished<'a>(project: &'a Project, outcomes: &'a BTreeMap<u8, Outcome>) -> Option<(u8, &'a Outcome)> {
    project
        .chapters()
        .iter()
        .filter_map(|c| outcomes.get(&c.number).map(|o| (c.number, o)))
        .find(|(_, o)| !o.passed().1)
}

/// `faultline next`.
pub fn next(project: &Project, outcomes: &BTreeMap<u8, Outcome>, colour: bool) -> String {
    let mut s = String::new();
    let Some((number, outcome)) = first_unfinished(project, outcomes) else {
        let (_, all) = totals(project, outcomes);
        return format!("All {all} tasks of every chapter pass. Nothing left to do but read on.\n");
    };
    let ch = project
        .chapters()
        .iter()
        .find(|c| c.number == number)
        .expect("outcomes are keyed by the project's chapters");
    let title = paint(colour, "1", &format!("Chapter {} · {}", ch.number, ch.title));
    match outcome {
        Outcome::Graded { .. } => {
            let (k, t) = outcome
                .first_unfinished()
                .expect("a chapter not passed has a task not passed");
            let state = match t.status {
                Status::Fail => "fails",
                _ => "not attempted yet",
            };
            let _ = writeln!(
                s,
                "Next: {title}, task {} of {}: {} ({state})",
                k + 1,
                ch.tasks.len(),
                t.name
            );
            let _ = writeln!(s, "  read:  {}", ch.notebook);
            let _ = writeln!(s, "  edit:  {} (fn {})", ch.exercise, t.name);
            let _ = writeln!(s, "  run:   cargo run --bin exercise-{}", ch.number);
            if t.status == Status::Fail {
                let _ = writeln!(s, "  last run: input {}", t.input.as_deref().unwrap_or("?"));
                let _ = writeln!(s, "            expected {}", t.expected.as_deref().unwrap_or("?"));
                let _ = writeln!(s, "            got {}", t.got.as_deref().unwrap_or("?"));
            }
            let seen = HintState::for_project(&project.root).shown(ch.number, &t.name);
            let _ = writeln!(s, "  hint (tier 1 of {}): {}", t.hints.len(), t.hint);
            let more = if seen > 1 {
                format!(" (you have seen {seen} tiers)")
            } else {
                String::new()
            };
            let _ = writeln!(
                s,
                "  more:  cargo run --bin faultline -- hint {} {}{more}",
                ch.number, t.name
            );
        }
        Outcome::DoesNotCompile { error } => {
            let _ = writeln!(s, "Next: {title}: {} does not compile.", ch.exercise);
            let _ = writeln!(s, "  {error}");
            let _ = writeln!(s, "  read:  {}", ch.notebook);
            let _ = writeln!(
                s,
                "  run:   cargo run --bin exercise-{}   (shows every error)",
                ch.number
            );
        }
        Outcome::Broken { error } => {
            let _ = writeln!(s, "Next: {title} could not be graded: {error}");
            let _ = writeln!(s, "  run:   cargo run --bin exercise-{}", ch.number);
        }
    }
    s
}

#[derive(Serialize)]
struct CourseJson<'a> {
    passed: usize,
    tasks: usize,
    chapters: Vec<ChapterJson<'a>>,
    next: Option<NextJson<'a>>,
}

#[derive(Serialize)]
struct ChapterJson<'a> {
    number: u8,
    title: &'a str,
    exercise: &'a str,
    notebook: &'a str,
    command: String,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

#[derive(Serialize)]
struct NextJson<'a> {
    chapter: u8,
    task: Option<&'a str>,
    status: Option<&'a Status>,
}

/// The whole course as JSON: `{"passed", "tasks", "chapters": [{"number", "title", "exercise",
/// "notebook", "command", "state": "graded" | "does_not_compile" | "broken", "report" (graded:
/// the chapter's `exercise-N --json` report) or "error"}], "next": {"chapter", "task",
/// "status"} or null}`.
pub fn course_json(project: &Project, outcomes: &BTreeMap<u8, Outcome>) -> String {
    let (passed, tasks) = totals(project, outcomes);
    let next = first_unfinished(project, outcomes).map(|(chapter, o)| {
        let t = o.first_unfinished().map(|(_, t)| t);
        NextJson {
            chapter,
            task: t.map(|t| t.name.as_str()),
            status: t.map(|t| &t.status),
        }
    });
    let json = CourseJson {
        passed,
        tasks,
        chapters: project
            .chapters()
            .iter()
            .filter_map(|c| {
                outcomes.get(&c.number).map(|o| ChapterJson {
                    number: c.number,
                    title: &c.title,
                    exercise: &c.exercise,
                    notebook: &c.notebook,
                    command: format!("cargo run --bin exercise-{}", c.number),
                    outcome: o,
                })
            })
            .collect(),
        next,
    };
    serde_json::to_string_pretty(&json).expect("the course always serialises")
}
