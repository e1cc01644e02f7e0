//! A bound on the learner's code in time: a task whose code never returns (an endless loop in a
//! learner's function, inside a case or inside a simulated world) is reported as a failed task
//! with one line saying so, and the grading goes on with the next task. Without it the grader
//! would hang with no word, which reads as a bug of the workbook.
//!
//! Each task is graded on a thread of its own; the report waits for it up to a limit. A thread
//! that does not finish is left behind (Rust cannot stop a thread from outside); it ends with
//! the process, which the exercise binary and the test harness end right after the report.

use std::sync::mpsc;
use std::time::Duration;

use super::{Checker, Failure, Report, Status, TaskReport, Verdict};

/// How long one task's grading may take by default: far above any task's normal time (under 2 s
/// in the learner's profile, more on a loaded machine), far below a learner's patience.
pub const TASK_LIMIT: Duration = Duration::from_secs(60);

/// The limit in force: `FAULTLINE_TASK_LIMIT_S` (seconds, a positive number) when it is set,
/// else [`TASK_LIMIT`].
pub fn task_limit() -> Duration {
    std::env::var("FAULTLINE_TASK_LIMIT_S")
        .ok()
        .and_then(|v| v.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        .map_or(TASK_LIMIT, Duration::from_secs_f64)
}

/// The line a task gets when its grading did not finish within `limit`.
pub fn did_not_return(limit: Duration) -> String {
    format!(
        "your code did not return within {} s: does it loop forever on some input (a `while` whose \
         condition never changes, a retry with no end)? The grader stopped waiting for it \
         (FAULTLINE_TASK_LIMIT_S sets the limit)",
        limit.as_secs_f64()
    )
}

/// Runs `f` on a thread of its own (named `name`, with a 32 MiB stack for the graders' worlds
/// and searches) and waits at most `limit` for its value: `None` when it did not finish in time
/// (it is left running) or the thread could not be started.
pub fn within<T: Send + 'static>(limit: Duration, name: &str, f: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    let (tx, rx) = mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name(name.to_string())
        .stack_size(32 << 20)
        .spawn(move || {
            // The receiver is gone only when the caller stopped waiting.
            let _ = tx.send(f());
        });
    match spawned {
        Ok(_) => rx.recv_timeout(limit).ok(),
        Err(_) => None,
    }
}

impl Report {
    /// Like [`Report::task`], but the grading runs on a thread of its own and the report waits
    /// at most `limit` for it: a task still running then is a failure that says so
    /// ([`did_not_return`]), and the report goes on.
    pub fn task_within<H: AsRef<str>>(
        &mut self,
        name: &str,
        hints: &[H],
        limit: Duration,
        body: impl FnOnce(&mut Checker) -> Result<(), Verdict> + Send + 'static,
    ) -> &TaskReport {
        let hints: Vec<String> = hints.iter().map(|h| h.as_ref().to_string()).collect();
        let (exercise, title, seed, owned_name, owned_hints) = (
            self.exercise,
            self.title.clone(),
            self.seed,
            name.to_string(),
            hints.clone(),
        );
        let graded = within(limit, &format!("grade {name}"), move || {
            let mut one = Report::new(exercise, title, seed);
            one.task(&owned_name, &owned_hints, body);
            one.tasks.pop().expect("one task graded")
        });
        let task = graded.unwrap_or_else(|| {
            let f = Failure {
                input: "the task's cases, in order".into(),
                expected: "your function returns".into(),
                got: format!("still running after {} s", limit.as_secs_f64()),
            };
            TaskReport {
                name: name.to_string(),
                status: Status::Fail,
                detail: format!("input: {}; expected: {}; got: {}", f.input, f.expected, f.got),
                failure: Some(f),
                note: Some(did_not_return(limit)),
                diagnosis: None,
                counterexample: None,
                hints,
                cases_tried: 1,
                cases_passed: 0,
            }
        });
        self.tasks.push(task);
        self.tasks.last().expect("just pushed")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_that_never_returns_fails_with_one_line_and_the_next_task_is_graded() {
        let mut r = Report::new(1, "t", 7);
        r.task_within("spins", &["h"], Duration::from_millis(200), |_c| {
            loop {
                std::thread::sleep(Duration::from_millis(20));
            }
        });
        r.task_within("quick", &["h"], Duration::from_secs(20), |c| {
            c.cases += 1;
            c.passed += 1;
            Ok(())
        });
        assert_eq!(r.tasks[0].status, Status::Fail);
        assert_eq!(
            r.tasks[0].detail,
            "input: the task's cases, in order; expected: your function returns; got: still running after 0.2 s"
        );
        assert!(
            r.tasks[0]
                .note
                .as_deref()
                .unwrap()
                .starts_with("your code did not return within 0.2 s")
        );
        assert_eq!(r.tasks[1].status, Status::Pass);
        assert_eq!(r.tasks[1].detail, "1 cases");
    }

    #[test]
    fn a_task_within_the_limit_reports_as_task_does() {
        let grade = |c: &mut Checker| {
            c.cases += 3;
            Err(Verdict::fail("x = 1", "2", "3").because("off by one"))
        };
        let mut a = Report::new(1, "t", 7);
        a.task_within("f", &["h"], Duration::from_secs(20), grade);
        let mut b = Report::new(1, "t", 7);
        b.task("f", &["h"], grade);
        assert_eq!(a, b);
    }

    #[test]
    fn a_learner_function_that_loops_fails_its_task_and_the_other_tasks_are_still_graded() {
        let answers = crate::exercises::partial_failure::Answers {
            backoff: |_, base, _, _| {
                let mut w = base;
                while w.is_finite() {
                    w = (w + 1.0) % 7.0;
                }
                w
            },
            safe_to_retry: |_| todo!(),
            expected_applications: |p, q| 1.0 / ((1.0 - p) * (1.0 - q)) + 0.5,
            apply_transfer: |_, _| todo!(),
        };
        let r = crate::exercises::grade_chapter_within::<crate::exercises::partial_failure::PartialFailure>(
            &answers,
            crate::exercises::DEFAULT_SEED,
            Duration::from_millis(300),
        );
        let status: Vec<&Status> = r.tasks.iter().map(|t| &t.status).collect();
        assert_eq!(
            status,
            [
                &Status::Fail,
                &Status::NotAttempted,
                &Status::Fail,
                &Status::NotAttempted
            ],
            "{}",
            r.render(false)
        );
        assert!(
            r.tasks[0]
                .note
                .as_deref()
                .unwrap()
                .starts_with("your code did not return within 0.3 s")
        );
        assert!(!r.tasks[2].detail.contains("did not return"));
    }
}
