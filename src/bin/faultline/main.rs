//! `faultline`: the course's front door, as rustlings' is to its exercises.
//!
//! ```text
//! cargo run --bin faultline                 every chapter, every task: pass / fail / not attempted
//! cargo run --bin faultline -- next         the first unfinished task, what to read, what to run, a hint
//! cargo run --bin faultline -- hint 5 [T]   the next hint tier for task T (a name or number) of chapter 5
//! cargo run --bin faultline -- reset 5      chapter 5's file as shipped, yours backed up first
//! cargo run --bin faultline -- watch        re-grade a chapter each time its file is saved
//! cargo run --bin faultline -- --json       the whole course as JSON, for autograders
//! ```
//!
//! It grades the learner's files through their own `exercise-N` binaries (see [`grading`]), so
//! a chapter that does not compile shows its first error while the others still grade. Hints
//! share their state with `exercise-N --hint` (`faultline::exercises::hints`). Exit status: 0
//! when it did what was asked (whatever the grades), 2 for an unknown command, chapter or task,
//! 1 when cargo or a file could not be used.

mod grading;
mod project;
mod reset;
mod show;
mod watch;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use faultline::exercises::hints::HintState;

use grading::Outcome;
use project::{FrontError, Project};

#[derive(Debug, Parser)]
#[command(
    name = "faultline",
    about = "The faultline course: your progress in every chapter, the next task, hints, resets, and re-grading on save",
    disable_version_flag = true
)]
struct Cli {
    /// Print the whole course as JSON (each chapter's report, or why it could not be graded).
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Debug, Subcommand)]
enum Cmd {
    /// The first unfinished task: its chapter's notebook, the command to run, and a first hint.
    Next,
    /// The next hint tier for a task (without TASK: the first unfinished task of the chapter).
    Hint {
        /// Chapter number.
        chapter: String,
        /// Task name or number (1 = the first).
        task: Option<String>,
    },
    /// Restore a chapter's exercise file as shipped, after copying yours to backups/.
    Reset {
        /// Chapter number.
        chapter: String,
    },
    /// Re-grade a chapter each time its exercise file is saved (Ctrl-C to stop).
    Watch {
        /// Stop after this many re-grades (for tests).
        #[arg(long, hide = true)]
        exit_after: Option<usize>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line: clap's message up to its usage block ("… not provided: <CHAPTER>").
            let rendered = e.render().to_string();
            let message: Vec<&str> = rendered
                .lines()
                .map(str::trim)
                .take_while(|l| !l.is_empty() && !l.starts_with("Usage:"))
                .collect();
            let message = if message.is_empty() {
                "error: invalid arguments".to_string()
            } else {
                message.join(" ")
            };
            eprintln!("{message} (see --help)");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            let usage = matches!(e, FrontError::NoChapter { .. } | FrontError::NoTask { .. });
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode, FrontError> {
    let project = Project::find()?;
    match cli.command {
        None => {
            let outcomes = grade_all(&project)?;
            if cli.json {
                show::outln(&show::course_json(&project, &outcomes));
            } else {
                show::out(&show::course(&project, &outcomes, show::colour()));
            }
        }
        Some(Cmd::Next) => {
            let outcomes = grade_all(&project)?;
            show::out(&show::next(&project, &outcomes, show::colour()));
        }
        Some(Cmd::Hint { chapter, task }) => hint(&project, &chapter, task.as_deref())?,
        Some(Cmd::Reset { chapter }) => {
            let ch = project.chapter(&chapter)?;
            match reset::reset(&project, ch)? {
                reset::Reset::AlreadyStub(file) => show::outln(&format!(
                    "{} is already the stub as shipped: nothing to reset, nothing changed.",
                    rel(&project, &file)
                )),
                reset::Reset::Restored { file, backup } => {
                    if backup.as_os_str().is_empty() {
                        show::outln(&format!("{} was missing: restored the stub.", rel(&project, &file)));
                    } else {
                        show::outln(&format!(
                            "Your file is saved as {}.\n{} is the stub again (chapter {} · {}): every task reads not attempted.",
                            rel(&project, &backup),
                            rel(&project, &file),
                            ch.number,
                            ch.title
                        ));
                    }
                }
            }
        }
        Some(Cmd::Watch { exit_after }) => watch::watch(&project, exit_after)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `path` relative to the project root, for printing.
pub fn rel(project: &Project, path: &std::path::Path) -> String {
    path.strip_prefix(&project.root).unwrap_or(path).display().to_string()
}

/// Builds and grades every chapter, with a progress bar on a terminal.
fn grade_all(project: &Project) -> Result<std::collections::BTreeMap<u8, Outcome>, FrontError> {
    let chapters: Vec<_> = project.chapters().iter().collect();
    // Cargo builds first (quiet: its output is read for errors), then each chapter grades.
    let bar = faultline::progress::bar(chapters.len() as u64, "building the exercises");
    let outcomes = grading::grade(project, &chapters, &|_, _| {
        bar.set_message("grading chapters");
        bar.inc(1)
    })?;
    bar.finish_and_clear();
    Ok(outcomes)
}

/// `faultline hint N [TASK]`.
fn hint(project: &Project, chapter: &str, task: Option<&str>) -> Result<(), FrontError> {
    let ch = project.chapter(chapter)?;
    let task = match task {
        Some(t) => project.task(ch, t)?,
        None => {
            let outcomes = grading::grade(project, &[ch], &|_, _| {})?;
            match &outcomes[&ch.number] {
                outcome @ Outcome::Graded { .. } => match outcome.first_unfinished() {
                    Some((_, t)) => project.task(ch, &t.name)?,
                    None => {
                        show::outln(&format!(
                            "Every task of chapter {} passes. `cargo run --bin faultline -- hint {} TASK` shows a task's hints anyway.",
                            ch.number, ch.number
                        ));
                        return Ok(());
                    }
                },
                Outcome::DoesNotCompile { error } | Outcome::Broken { error } => {
                    show::outln(&format!(
                        "{} does not grade ({error}); here is a hint for its first task.",
                        ch.exercise
                    ));
                    &ch.tasks[0]
                }
            }
        }
    };
    let mut state = HintState::for_project(&project.root);
    let n = task.hints.len();
    let tier = state.next_tier(ch.number, &task.name, n);
    state.record(ch.number, &task.name, tier);
    show::outln(&format!(
        "Chapter {} · {}: hint for {} (tier {tier} of {n}): {}",
        ch.number,
        ch.title,
        task.name,
        task.hints.get(tier - 1).map_or("", String::as_str)
    ));
    if tier < n {
        show::outln(&format!(
            "Next tier: cargo run --bin faultline -- hint {} {}",
            ch.number, task.name
        ));
    } else {
        show::outln(&format!(
            "That is the last tier; {} works the idea through.",
            ch.notebook
        ));
    }
    if let Err(e) = state.save() {
        eprintln!(
            "note: could not remember the hints shown in {}: {e}",
            state.path().display()
        );
    }
    Ok(())
}
