//! `faultline watch`: grade the course once, then re-grade a chapter each time its exercise file
//! is saved.
//!
//! The `exercises/` folder is watched with the `notify` crate (inotify on Linux), not by polling.
//! Editors save in bursts (truncate, write, rename, touch), so events are gathered until the
//! folder has been quiet for [`QUIET`]; a file caught half-written or not compiling is graded as
//! it is ("does not compile") and the next save grades it again. A progress bar on stderr shows
//! the whole course (on a terminal); every re-grade also prints the chapter's report and a
//! one-line course total on stdout.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use faultline::exercises::manifest::ChapterInfo;
use indicatif::{ProgressBar, ProgressStyle};
use notify::{EventKind, RecursiveMode, Watcher};

use crate::grading::{self, Outcome};
use crate::project::{FrontError, Project};
use crate::show;

/// How long the folder must stay quiet after a save before the chapter is re-graded.
const QUIET: Duration = Duration::from_millis(300);

fn course_bar(total: usize) -> ProgressBar {
    let bar = ProgressBar::new(total as u64);
    if let Ok(style) = ProgressStyle::with_template("course [{bar:40}] {pos}/{len} tasks pass  {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// The chapter whose exercise file is `path`, if any.
fn chapter_of<'a>(project: &'a Project, path: &Path) -> Option<&'a ChapterInfo> {
    let name = path.file_name()?;
    project
        .chapters()
        .iter()
        .find(|c| Path::new(&c.exercise).file_name() == Some(name))
}

/// Runs until interrupted (or after `exit_after` re-grades).
pub fn watch(project: &Project, exit_after: Option<usize>) -> Result<(), FrontError> {
    let colour = show::colour();
    let chapters: Vec<&ChapterInfo> = project.chapters().iter().collect();
    let bar = course_bar(chapters.iter().map(|c| c.tasks.len()).sum());
    bar.set_message("grading every chapter…");
    let mut outcomes: BTreeMap<u8, Outcome> = grading::grade(project, &chapters, &|_, o| bar.inc(o.passed().0 as u64))?;
    let total = |outcomes: &BTreeMap<u8, Outcome>| show::totals(project, outcomes);
    bar.set_position(total(&outcomes).0 as u64);
    bar.set_message("");
    bar.suspend(|| {
        for ch in &chapters {
            let line = match &outcomes[&ch.number] {
                Outcome::Graded { report } => format!("{}/{} tasks pass", report.counts.passed, report.counts.tasks),
                Outcome::DoesNotCompile { .. } => "does not compile".to_string(),
                Outcome::Broken { .. } => "could not be graded".to_string(),
            };
            show::outln(&format!("{:>2} · {:<48} {line}", ch.number, ch.title));
        }
        let (passed, all) = total(&outcomes);
        show::outln(&format!("Course: {passed}/{all} tasks pass."));
    });

    let dir = project.root.join("exercises");
    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| FrontError::Watch {
        path: dir.clone(),
        message: e.to_string(),
    })?;
    watcher
        .watch(&dir, RecursiveMode::NonRecursive)
        .map_err(|e| FrontError::Watch {
            path: dir.clone(),
            message: e.to_string(),
        })?;
    bar.suspend(|| {
        show::outln(&format!(
            "Watching {}/: save a chapter's file to re-grade it (Ctrl-C to stop).",
            crate::rel(project, &dir)
        ))
    });

    let mut regrades = 0;
    let mut dirty: BTreeSet<u8> = BTreeSet::new();
    let note = |event: notify::Result<notify::Event>, dirty: &mut BTreeSet<u8>| {
        let Ok(event) = event else { return };
        // Reads and opens are not saves; a close after writing is.
        let save = match event.kind {
            EventKind::Access(notify::event::AccessKind::Close(notify::event::AccessMode::Write)) => true,
            EventKind::Access(_) | EventKind::Other => false,
            _ => true,
        };
        if save {
            dirty.extend(
                event
                    .paths
                    .iter()
                    .filter_map(|p| chapter_of(project, p))
                    .map(|c| c.number),
            );
        }
    };
    while let Ok(event) = rx.recv() {
        note(event, &mut dirty);
        // Gather the rest of the burst.
        while let Ok(event) = rx.recv_timeout(QUIET) {
            note(event, &mut dirty);
        }
        for number in std::mem::take(&mut dirty) {
            let Some(ch) = chapters.iter().copied().find(|c| c.number == number) else {
                continue;
            };
            bar.set_message(format!("re-grading chapter {number}…"));
            let outcome = match grading::grade(project, &[ch], &|_, _| {}) {
                Ok(mut o) => o.remove(&number).unwrap_or(Outcome::Broken {
                    error: "no result".to_string(),
                }),
                Err(e) => Outcome::Broken { error: e.to_string() },
            };
            outcomes.insert(number, outcome);
            let (passed, all) = total(&outcomes);
            bar.set_position(passed as u64);
            bar.set_message("");
            bar.suspend(|| {
                let mut text = format!("\n{} saved: chapter {number} re-graded.\n", ch.exercise);
                match &outcomes[&number] {
                    Outcome::Graded { report } => text.push_str(&report.to_report().render(colour)),
                    other => text.push_str(&show::chapter(project, number, other, colour)),
                }
                text.push_str(&format!("Course: {passed}/{all} tasks pass.\n"));
                show::out(&text);
            });
            regrades += 1;
            if exit_after.is_some_and(|n| regrades >= n) {
                bar.finish_and_clear();
                return Ok(());
            }
        }
    }
    bar.finish_and_clear();
    Ok(())
}
