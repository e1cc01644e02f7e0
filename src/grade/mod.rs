//! Grading: a [`Report`] of named tasks, each passed, failed (with input, expected, got and a
//! hint) or not attempted.
//!
//! A grader is a function from the learner's answers to a `Report`. It runs their code through
//! a [`Checker`], which catches panics (so `todo!()` reads as "not attempted") and compares
//! numbers with an explicit [`Tol`]. The first failing case stops the task and is reported.
//!
//! ```
//! use faultline::grade::{Report, Tol};
//! let square = |x: f64| x * x;
//! let mut report = Report::new(0, "Demo", 1);
//! report.task("square", &["multiply x by itself"], |c| {
//!     for x in [1.0, 2.5, -3.0] {
//!         let input = format!("x = {x}");
//!         let got = c.call(&input, || square(x))?;
//!         c.close(&input, got, x * x, Tol::rel(1e-12))?;
//!     }
//!     Ok(())
//! });
//! assert!(report.passed());
//! ```

mod attempt;
mod counterexample;
mod diff;
mod json;
mod render;
mod task;
mod tol;
mod watchdog;

use serde::{Deserialize, Serialize};

pub use attempt::{Panicked, attempt, missing_note};
pub use counterexample::Counterexample;
pub use diff::{first_difference, window};
pub use json::{JsonCounts, JsonReport, JsonTask};
pub use render::{fmt_num, fmt_pair, fmt_sig};
pub use task::{Grader, Mistake, Task, same_failure};
pub use tol::Tol;
pub use watchdog::{TASK_LIMIT, did_not_return, task_limit, within};

/// How a task ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every case matched.
    Pass,
    /// A case did not match; see [`TaskReport::failure`].
    Fail,
    /// The learner's code still reaches `todo!()`.
    NotAttempted,
}

/// The first failing case of a task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// The input, e.g. `ppm = 20, elapsed = 86400 s`.
    pub input: String,
    /// What the simulator says is true.
    pub expected: String,
    /// What the learner's code returned.
    pub got: String,
}

/// One task's result.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskReport {
    /// The task's name: the function the learner writes.
    pub name: String,
    /// Pass, fail or not attempted.
    pub status: Status,
    /// For a pass, how many cases were checked; for a fail, the failure in one line.
    pub detail: String,
    /// The first failing case, for a fail.
    pub failure: Option<Failure>,
    /// Why that case is wrong, when the grader can tell (e.g. "the skew reached twice the bound").
    pub note: Option<String>,
    /// The listed mistake the answer behaves like on that case, with what it misses (see
    /// [`Task::diagnose`]): "“forgot the 10⁻⁶ in ppm”: ppm means parts per million".
    pub diagnosis: Option<String>,
    /// The shrunk failing run, when the grader found one (protocol tasks).
    pub counterexample: Option<Counterexample>,
    /// Hints in tiers, from a nudge toward the idea the task needs to nearly the answer.
    pub hints: Vec<String>,
    /// Cases tried: every case checked, and for a fail the case that failed (even when the
    /// learner's code panicked on it or the grader judged it by its own logic).
    pub cases_tried: usize,
    /// Cases that passed (for a fail, those before the failing one).
    pub cases_passed: usize,
}

impl TaskReport {
    /// The first (gentlest) hint.
    pub fn hint(&self) -> &str {
        self.hint_tier(1).map_or("", |(_, h)| h)
    }

    /// Hint tier `tier` (1 = the gentlest), or the last one when there are fewer tiers; with the
    /// tier actually shown. `None` when the task has no hints.
    pub fn hint_tier(&self, tier: usize) -> Option<(usize, &str)> {
        let shown = tier.clamp(1, self.hints.len().max(1));
        self.hints.get(shown - 1).map(|h| (shown, h.as_str()))
    }
}

/// A graded exercise: what `cargo run --bin exercise-N` prints and `cargo test` asserts.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    /// Exercise (= chapter) number.
    pub exercise: u8,
    /// Chapter title, e.g. "Clock drift".
    pub title: String,
    /// The seed the random cases were drawn from.
    pub seed: u64,
    /// Tasks in order.
    pub tasks: Vec<TaskReport>,
}

/// A report with a task not passed, as the error of a grading test. Its `Debug` (what the
/// test harness prints) is the report itself, with a line on what to do next.
pub struct Unfinished(pub Report);

impl std::fmt::Debug for Unfinished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let r = &self.0;
        writeln!(f, "\n{}", r.render(false))?;
        if r.count(Status::NotAttempted) == r.tasks.len() {
            write!(
                f,
                "Not attempted yet: edit the exercise file, then `cargo run --bin exercise-{}`.",
                r.exercise
            )
        } else {
            write!(f, "`cargo run --bin exercise-{} -- --hint` gives a hint.", r.exercise)
        }
    }
}

impl std::fmt::Display for Unfinished {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

impl std::error::Error for Unfinished {}

/// Why a task stopped early: the status and, for a failure, the case.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    status: Status,
    failure: Option<Failure>,
    note: Option<String>,
    /// Boxed: a verdict is the error of every grader, and most carry none.
    counterexample: Option<Box<Counterexample>>,
}

impl Verdict {
    /// A failed case.
    pub fn fail(input: impl Into<String>, expected: impl Into<String>, got: impl Into<String>) -> Self {
        Verdict {
            status: Status::Fail,
            failure: Some(Failure {
                input: input.into(),
                expected: expected.into(),
                got: got.into(),
            }),
            note: None,
            counterexample: None,
        }
    }
    /// The task is not attempted.
    pub fn not_attempted() -> Self {
        Verdict {
            status: Status::NotAttempted,
            failure: None,
            note: None,
            counterexample: None,
        }
    }
    /// Adds a case-specific explanation shown after the failure (e.g. "the skew reached 2× the
    /// bound: both clocks drift, in opposite directions").
    pub fn because(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// Adds the shrunk failing run the grader found.
    pub fn shown_by(mut self, run: Counterexample) -> Self {
        self.counterexample = Some(Box::new(run));
        self
    }
}

/// The helper a grader uses inside [`Report::task`]: calls the learner's code and compares.
#[derive(Debug, Default)]
pub struct Checker {
    cases: usize,
    passed: usize,
}

impl Checker {
    /// Calls the learner's code. A `todo!()` stops the task as not attempted; another panic
    /// fails it, naming the input.
    pub fn call<T>(&mut self, input: &str, f: impl FnOnce() -> T) -> Result<T, Verdict> {
        match attempt(f) {
            Ok(v) => Ok(v),
            Err(Panicked::Todo) => Err(Verdict::not_attempted()),
            Err(Panicked::Other(msg)) => Err(Verdict::fail(input, "a value", format!("a panic: {msg}"))),
        }
    }

    /// Passes when `got` is within `tol` of `expected`.
    pub fn close(&mut self, input: &str, got: f64, expected: f64, tol: Tol) -> Result<(), Verdict> {
        self.cases += 1;
        if tol.accepts(expected, got) {
            self.passed += 1;
            Ok(())
        } else {
            let within = match (tol.abs > 0.0, tol.rel > 0.0) {
                (true, true) => format!(" (± {} + {}%)", fmt_num(tol.abs), fmt_num(tol.rel * 100.0)),
                (true, false) => format!(" (± {})", fmt_num(tol.abs)),
                (false, true) => format!(" (± {}%)", fmt_num(tol.rel * 100.0)),
                (false, false) => " (exactly)".to_string(),
            };
            let (expected, got) = fmt_pair(expected, got);
            Err(Verdict::fail(input, format!("{expected}{within}"), got))
        }
    }

    /// Passes when `got == expected`.
    pub fn equal<T: PartialEq + std::fmt::Debug>(&mut self, input: &str, got: T, expected: T) -> Result<(), Verdict> {
        self.cases += 1;
        if got == expected {
            self.passed += 1;
            Ok(())
        } else {
            Err(Verdict::fail(input, format!("{expected:?}"), format!("{got:?}")))
        }
    }

    /// Passes when `ok`; otherwise fails with the given descriptions.
    pub fn ensure(
        &mut self,
        ok: bool,
        input: &str,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> Result<(), Verdict> {
        self.cases += 1;
        if ok {
            self.passed += 1;
            Ok(())
        } else {
            Err(Verdict::fail(input, expected, got))
        }
    }

    /// Counts a case the grader judged by its own logic (e.g. a simulated skew inside a band),
    /// after returning early with a [`Verdict`] on every way it could fail.
    pub fn pass(&mut self) {
        self.cases += 1;
        self.passed += 1;
    }

    /// Cases checked so far.
    pub fn cases(&self) -> usize {
        self.cases
    }

    /// Cases that passed so far.
    pub fn passed(&self) -> usize {
        self.passed
    }
}

impl Report {
    /// An empty report for exercise `exercise` whose random cases come from `seed`.
    pub fn new(exercise: u8, title: impl Into<String>, seed: u64) -> Self {
        Report {
            exercise,
            title: title.into(),
            seed,
            tasks: Vec::new(),
        }
    }

    /// Grades one task: `body` runs the cases through the [`Checker`] and returns `Ok(())` when
    /// all passed. `hints` are the task's hint tiers, gentlest first.
    pub fn task<H: AsRef<str>>(
        &mut self,
        name: &str,
        hints: &[H],
        body: impl FnOnce(&mut Checker) -> Result<(), Verdict>,
    ) -> &TaskReport {
        let mut checker = Checker::default();
        // A grader bug must not take the whole report down either.
        let outcome = attempt(|| body(&mut checker)).unwrap_or_else(|p| {
            Err(Verdict::fail("(grader)", "no panic", format!("{p:?}"))
                .because("this is a bug in faultline's grader; please report it"))
        });
        let (status, detail, failure, why, counterexample) = match outcome {
            Ok(()) => (Status::Pass, format!("{} cases", checker.cases), None, None, None),
            Err(Verdict {
                status: Status::NotAttempted,
                ..
            }) => (Status::NotAttempted, "still todo!()".to_string(), None, None, None),
            Err(Verdict {
                status,
                failure,
                note,
                counterexample,
            }) => {
                let f = failure.unwrap_or_else(|| Failure {
                    input: "?".into(),
                    expected: "?".into(),
                    got: "?".into(),
                });
                let mut detail = format!("input: {}; expected: {}; got: {}", f.input, f.expected, f.got);
                if let Some(note) = &note {
                    detail.push_str("; ");
                    detail.push_str(note);
                }
                (status, detail, Some(f), note, counterexample.map(|c| *c))
            }
        };
        let cases_passed = checker.passed;
        let cases_tried = match status {
            Status::Fail => checker.cases.max(cases_passed + 1),
            _ => checker.cases,
        };
        self.tasks.push(TaskReport {
            name: name.to_string(),
            status,
            detail,
            failure,
            note: why,
            diagnosis: None,
            counterexample,
            hints: hints.iter().map(|h| h.as_ref().to_string()).collect(),
            cases_tried,
            cases_passed,
        });
        self.tasks.last().expect("just pushed")
    }

    /// True when every task passed (and there is at least one).
    pub fn passed(&self) -> bool {
        !self.tasks.is_empty() && self.tasks.iter().all(|t| t.status == Status::Pass)
    }

    /// Tasks that passed.
    pub fn passed_count(&self) -> usize {
        self.count(Status::Pass)
    }

    /// Tasks with the given status.
    pub fn count(&self, status: Status) -> usize {
        self.tasks.iter().filter(|t| t.status == status).count()
    }

    /// The task named `name`.
    pub fn get(&self, name: &str) -> Option<&TaskReport> {
        self.tasks.iter().find(|t| t.name == name)
    }

    /// Records on the last graded task that its failure looks like `diagnosis` (shown after the
    /// failure, and at the end of its one-line `detail`).
    pub fn diagnose_last(&mut self, diagnosis: String) {
        if let Some(t) = self.tasks.last_mut() {
            t.detail.push_str("; looks like ");
            t.detail.push_str(&diagnosis);
            t.diagnosis = Some(diagnosis);
        }
    }

    /// The first task that has not passed, for `--hint`.
    pub fn first_unfinished(&self) -> Option<&TaskReport> {
        self.tasks.iter().find(|t| t.status != Status::Pass)
    }

    /// `Ok` when every task passed; otherwise the report, whose `Debug` is the rendered text.
    /// A grading test returns this, so a failure prints the report and no backtrace:
    /// `fn exercise_05() -> Result<(), Unfinished> { grade(&answers()).ok() }`.
    pub fn ok(self) -> Result<(), Unfinished> {
        if self.passed() { Ok(()) } else { Err(Unfinished(self)) }
    }

    /// Panics with the rendered report unless every task passed.
    pub fn assert_passed(&self) {
        if !self.passed() {
            panic!("\n{}", self.render(false));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_edges() {
        assert!(Tol::rel(0.01).accepts(100.0, 101.0));
        assert!(!Tol::rel(0.01).accepts(100.0, 101.01));
        assert!(!Tol::abs(1.0).accepts(0.0, f64::NAN));
        assert!(Tol::abs(1.0).accepts(f64::INFINITY, f64::INFINITY));
        assert!(!Tol::abs(1.0).accepts(f64::INFINITY, 1e300));
        assert!(!Tol::abs(1e300).accepts(1.0, f64::NEG_INFINITY));
    }

    #[test]
    fn statuses_and_json() {
        let mut r = Report::new(9, "Demo", 3);
        r.task("good", &["h1"], |c| c.close("x", 1.0, 1.0, Tol::abs(0.0)));
        r.task("bad", &["h2", "h2b"], |c| c.close("x = 2", 5.0, 4.0, Tol::abs(0.1)));
        r.task("todo", &["h3"], |c| c.call("x", || -> f64 { todo!() }).map(|_| ()));
        r.task("grader bug", &["h4"], |_| panic!("oops"));
        let s: Vec<_> = r.tasks.iter().map(|t| t.status.clone()).collect();
        assert_eq!(s, [Status::Pass, Status::Fail, Status::NotAttempted, Status::Fail]);
        assert_eq!(r.first_unfinished().unwrap().name, "bad");
        let json: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(json["exercise"], 9);
        assert_eq!(json["tasks"][2]["status"], "not_attempted");
        assert_eq!(json["tasks"][1]["status"], "fail");
        assert!(json["tasks"][1]["detail"].as_str().unwrap().contains("expected: 4"));
        assert_eq!(json["tasks"][1]["hint"], "h2");
        assert_eq!(json["tasks"][1]["hints"][1], "h2b");
        assert_eq!(r.tasks[1].hint_tier(2), Some((2, "h2b")));
        assert_eq!(r.tasks[1].hint_tier(9), Some((2, "h2b")));
        assert!(!r.passed());
        assert!(std::panic::catch_unwind(|| r.assert_passed()).is_err());
    }
}
