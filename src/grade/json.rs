//! The report as JSON: what `exercise-N --json` prints, what classroom autograders read, and
//! what `faultline` (the course's front door) reads back from each exercise binary.
//!
//! One object per chapter, pretty-printed:
//!
//! ```text
//! {
//!   "exercise": 5,                  chapter number
//!   "title": "Clock drift",
//!   "seed": 2026,                   the seed the cases were drawn from
//!   "passed": false,                every task passed
//!   "counts": { "tasks": 5, "passed": 1, "failed": 1, "not_attempted": 3 },
//!   "plots": ["…/offset-over-time.svg", "…/offset-over-time.png"],   files written (may be [])
//!   "tasks": [
//!     {
//!       "name": "drift_after",
//!       "status": "fail",           "pass" | "fail" | "not_attempted"
//!       "detail": "input: …; expected: …; got: …",   the one line the text report is made of
//!       "input": "ppm = 20, elapsed = 86400 s",      the failing case, null unless "fail"
//!       "expected": "1.728 (± 0.1%)",                null unless "fail"
//!       "got": "1728",                               null unless "fail"
//!       "note": null,               why that case is wrong, when the grader can tell
//!       "diagnosis": null,          the listed mistake the answer looks like, when one matches
//!       "counterexample": null,     the shrunk failing run, when the grader found one:
//!                                   { "property", "shrunk", "story": [lines], "replay": code }
//!       "cases_tried": 3,           cases checked, the failing one included
//!       "cases_passed": 2,
//!       "hint": "…",                the first tier
//!       "hints": ["…", "…", "…"],   every tier, gentlest first
//!       "hint_tiers": 3,
//!       "hints_shown": 1            tiers this learner has seen (`--hint`, `faultline hint`)
//!     }
//!   ]
//! }
//! ```
//!
//! Fields are only ever added, never renamed; a reader should ignore fields it does not know.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::{Counterexample, Failure, Report, Status, TaskReport};

/// A chapter's report as JSON (see the module doc for the shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonReport {
    /// Chapter (= exercise) number.
    pub exercise: u8,
    /// Chapter title.
    pub title: String,
    /// The seed the cases were drawn from.
    pub seed: u64,
    /// Every task passed.
    pub passed: bool,
    /// How many tasks ended each way.
    pub counts: JsonCounts,
    /// The plot files this run wrote (empty when it drew none).
    #[serde(default)]
    pub plots: Vec<PathBuf>,
    /// Tasks in grading order.
    pub tasks: Vec<JsonTask>,
}

/// Tasks per outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonCounts {
    /// All tasks.
    pub tasks: usize,
    /// Tasks that passed.
    pub passed: usize,
    /// Tasks that failed a case.
    pub failed: usize,
    /// Tasks still at `todo!()`.
    pub not_attempted: usize,
}

/// One task as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonTask {
    /// The task's name: the function the learner writes.
    pub name: String,
    /// `pass`, `fail` or `not_attempted`.
    pub status: Status,
    /// The one-line summary: case count for a pass, the failure for a fail.
    pub detail: String,
    /// The failing case's input (fail only).
    pub input: Option<String>,
    /// What the simulator says is true for that input (fail only).
    pub expected: Option<String>,
    /// What the learner's code returned (fail only).
    pub got: Option<String>,
    /// Why that case is wrong, when the grader can tell.
    pub note: Option<String>,
    /// The listed mistake the answer looks like ("looks like: …"), when one matches.
    #[serde(default)]
    pub diagnosis: Option<String>,
    /// The shrunk failing run with its replay code, when the grader found one.
    #[serde(default)]
    pub counterexample: Option<Counterexample>,
    /// Cases checked, the failing one included.
    pub cases_tried: usize,
    /// Cases that passed.
    pub cases_passed: usize,
    /// The first (gentlest) hint.
    pub hint: String,
    /// Every hint tier, gentlest first.
    pub hints: Vec<String>,
    /// How many tiers there are.
    pub hint_tiers: usize,
    /// How many tiers this learner has been shown so far.
    #[serde(default)]
    pub hints_shown: usize,
}

impl JsonReport {
    /// The report `r`, with the plot files written and, per task name, the hint tiers shown.
    pub fn from_report(r: &Report, plots: &[PathBuf], hints_shown: impl Fn(&str) -> usize) -> Self {
        JsonReport {
            exercise: r.exercise,
            title: r.title.clone(),
            seed: r.seed,
            passed: r.passed(),
            counts: JsonCounts {
                tasks: r.tasks.len(),
                passed: r.count(Status::Pass),
                failed: r.count(Status::Fail),
                not_attempted: r.count(Status::NotAttempted),
            },
            plots: plots.to_vec(),
            tasks: r
                .tasks
                .iter()
                .map(|t| JsonTask {
                    name: t.name.clone(),
                    status: t.status.clone(),
                    detail: t.detail.clone(),
                    input: t.failure.as_ref().map(|f| f.input.clone()),
                    expected: t.failure.as_ref().map(|f| f.expected.clone()),
                    got: t.failure.as_ref().map(|f| f.got.clone()),
                    note: t.note.clone(),
                    diagnosis: t.diagnosis.clone(),
                    counterexample: t.counterexample.clone(),
                    cases_tried: t.cases_tried,
                    cases_passed: t.cases_passed,
                    hint: t.hint().to_string(),
                    hints: t.hints.clone(),
                    hint_tiers: t.hints.len(),
                    hints_shown: hints_shown(&t.name),
                })
                .collect(),
        }
    }

    /// The report this JSON describes, to render as text (what `faultline` shows).
    pub fn to_report(&self) -> Report {
        let mut report = Report::new(self.exercise, self.title.clone(), self.seed);
        report.tasks = self
            .tasks
            .iter()
            .map(|t| TaskReport {
                name: t.name.clone(),
                status: t.status.clone(),
                detail: t.detail.clone(),
                failure: (t.status == Status::Fail).then(|| Failure {
                    input: t.input.clone().unwrap_or_default(),
                    expected: t.expected.clone().unwrap_or_default(),
                    got: t.got.clone().unwrap_or_default(),
                }),
                note: t.note.clone(),
                diagnosis: t.diagnosis.clone(),
                counterexample: t.counterexample.clone(),
                hints: t.hints.clone(),
                cases_tried: t.cases_tried,
                cases_passed: t.cases_passed,
            })
            .collect();
        report
    }

    /// Pretty-printed JSON.
    pub fn to_pretty(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report always serialises")
    }
}

impl Report {
    /// The report as JSON (see [`JsonReport`] for the shape), with no plots and no hints shown.
    pub fn to_json(&self) -> String {
        JsonReport::from_report(self, &[], |_| 0).to_pretty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::Tol;

    #[test]
    fn json_carries_input_expected_got_counts_hints_and_plots_and_reads_back() {
        let mut r = Report::new(9, "Demo", 3);
        r.task("good", &["h1", "h1b"], |c| {
            c.close("x", 1.0, 1.0, Tol::abs(0.0))?;
            c.close("y", 2.0, 2.0, Tol::abs(0.0))
        });
        r.task("bad", &["h2", "h2b", "h2c"], |c| {
            c.close("x = 1", 1.0, 1.0, Tol::abs(0.1))?;
            c.close("x = 2", 5.0, 4.0, Tol::abs(0.1))
        });
        r.task("panics", &["h3", "h3b"], |c| {
            c.call("x = 7", || -> f64 { panic!("boom") }).map(|_| ())
        });
        r.task("todo", &["h4", "h4b"], |c| {
            c.call("x", || -> f64 { todo!() }).map(|_| ())
        });
        let plots = [PathBuf::from("out/a.svg"), PathBuf::from("out/a.png")];
        let json = JsonReport::from_report(&r, &plots, |name| usize::from(name == "bad") * 2);
        let text = json.to_pretty();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["exercise"], 9);
        assert_eq!(v["passed"], false);
        assert_eq!(v["counts"]["tasks"], 4);
        assert_eq!(v["counts"]["passed"], 1);
        assert_eq!(v["counts"]["failed"], 2);
        assert_eq!(v["counts"]["not_attempted"], 1);
        assert_eq!(v["plots"][1], "out/a.png");
        let good = &v["tasks"][0];
        assert_eq!(good["status"], "pass");
        assert_eq!(
            (good["cases_tried"].as_u64(), good["cases_passed"].as_u64()),
            (Some(2), Some(2))
        );
        assert!(good["input"].is_null() && good["expected"].is_null() && good["got"].is_null());
        let bad = &v["tasks"][1];
        assert_eq!(bad["status"], "fail");
        assert_eq!(bad["input"], "x = 2");
        assert_eq!(bad["expected"], "4 (± 0.1)");
        assert_eq!(bad["got"], "5");
        assert_eq!(
            (bad["cases_tried"].as_u64(), bad["cases_passed"].as_u64()),
            (Some(2), Some(1))
        );
        assert_eq!(bad["hint"], "h2");
        assert_eq!(bad["hints"][2], "h2c");
        assert_eq!(bad["hint_tiers"], 3);
        assert_eq!(bad["hints_shown"], 2);
        let panics = &v["tasks"][2];
        assert_eq!(panics["input"], "x = 7");
        assert!(panics["got"].as_str().unwrap().contains("boom"));
        assert_eq!(
            (panics["cases_tried"].as_u64(), panics["cases_passed"].as_u64()),
            (Some(1), Some(0))
        );
        assert_eq!(v["tasks"][3]["status"], "not_attempted");
        assert_eq!(v["tasks"][3]["cases_tried"], 0);
        // The front door reads it back and renders the same text report.
        let back: JsonReport = serde_json::from_str(&text).unwrap();
        assert_eq!(back, json);
        assert_eq!(back.to_report().render(false), r.render(false));
        assert_eq!(back.to_report(), r);
        // The plain form: no plots, nothing shown.
        let plain: serde_json::Value = serde_json::from_str(&r.to_json()).unwrap();
        assert_eq!(plain["plots"].as_array().unwrap().len(), 0);
        assert_eq!(plain["tasks"][1]["hints_shown"], 0);
    }
}
