//! The maintainers' self-check (`cargo test --features solutions`), in the spirit of
//! rustlings' `dev check` and nbgrader's `validate --invert`. For every exercise:
//!
//! 1. the shipped stub fails its grader, every task reported *not attempted*;
//! 2. the reference solution passes, on several seeds;
//! 3. every plausible wrong answer the chapter lists is rejected by the task it targets, on
//!    every seed, and each task has at least two of them;
//! 4. a different seed draws different cases (so answers hard-coded from one run fail).
#![cfg(feature = "solutions")]

use faultline::exercises::{Chapter, DEFAULT_SEED};
use faultline::grade::Status;

const SEEDS: [u64; 4] = [DEFAULT_SEED, 1, 42, 9_999_991];

fn self_check<C: Chapter>(stub: C::Answers, solution: C::Answers) {
    let report = C::grade(&stub, DEFAULT_SEED);
    assert!(
        report.tasks.len() >= 4,
        "exercise {} has fewer than four tasks",
        C::NUMBER
    );
    for t in &report.tasks {
        assert_eq!(
            t.status,
            Status::NotAttempted,
            "exercise {}: the stub of `{}` is not reported as not attempted: {}",
            C::NUMBER,
            t.name,
            t.detail
        );
    }
    for seed in SEEDS {
        let r = C::grade(&solution, seed);
        assert!(
            r.passed(),
            "exercise {}: the solution fails with seed {seed}:\n{r}",
            C::NUMBER
        );
    }
    let wrong = C::wrong_answers();
    for t in &report.tasks {
        let n = wrong.iter().filter(|w| w.task == t.name).count();
        assert!(
            n >= 2,
            "exercise {}: task `{}` has {n} wrong answers listed; at least two are needed",
            C::NUMBER,
            t.name
        );
    }
    for w in &wrong {
        assert!(
            report.get(w.task).is_some(),
            "wrong answer for unknown task `{}`",
            w.task
        );
        let mut answers = solution.clone();
        (w.apply)(&mut answers);
        for seed in SEEDS {
            let r = C::grade(&answers, seed);
            let task = r.get(w.task).expect("task exists");
            assert_eq!(
                task.status,
                Status::Fail,
                "exercise {}: `{}` with the mistake \"{}\" was not rejected (seed {seed})",
                C::NUMBER,
                w.task,
                w.mistake
            );
            let others_pass = r
                .tasks
                .iter()
                .filter(|t| t.name != w.task)
                .all(|t| t.status == Status::Pass);
            assert!(
                others_pass,
                "exercise {}: the mistake \"{}\" in `{}` broke another task:\n{r}",
                C::NUMBER,
                w.mistake,
                w.task
            );
        }
    }
}

#[path = "../solutions/05_clock_drift.rs"]
#[allow(dead_code)]
mod ex05_solution;
#[path = "../exercises/05_clock_drift.rs"]
#[allow(dead_code)]
mod ex05_stub;

#[test]
fn exercise_05_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::clock_drift::ClockDrift>(ex05_stub::answers(), ex05_solution::answers());
}

#[test]
fn exercise_05_cases_depend_on_the_seed() {
    use faultline::exercises::clock_drift::{ClockDrift, grade_drift_after};
    // An answer that memorised the cases of the default seed fails another seed.
    let mut r = faultline::grade::Report::new(5, "t", 0);
    grade_drift_after(&mut r, ex05_solution::drift_after, DEFAULT_SEED);
    assert!(r.passed());
    let a = <ClockDrift as Chapter>::grade(&ex05_solution::answers(), 1).tasks[0]
        .detail
        .clone();
    assert_eq!(a, "13 cases");
}

#[path = "../solutions/03_queueing.rs"]
#[allow(dead_code)]
mod ex03_solution;
#[path = "../exercises/03_queueing.rs"]
#[allow(dead_code)]
mod ex03_stub;

#[test]
fn exercise_03_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::queueing::Queueing>(ex03_stub::answers(), ex03_solution::answers());
}

#[path = "../solutions/04_failure_detection.rs"]
#[allow(dead_code)]
mod ex04_solution;
#[path = "../exercises/04_failure_detection.rs"]
#[allow(dead_code)]
mod ex04_stub;

#[test]
fn exercise_04_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::failure_detection::FailureDetection>(
        ex04_stub::answers(),
        ex04_solution::answers(),
    );
}

#[path = "../solutions/02_network_faults.rs"]
#[allow(dead_code)]
mod ex02_solution;
#[path = "../exercises/02_network_faults.rs"]
#[allow(dead_code)]
mod ex02_stub;

#[test]
fn exercise_02_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::network_faults::NetworkFaults>(ex02_stub::answers(), ex02_solution::answers());
}

#[path = "../solutions/01_partial_failure.rs"]
#[allow(dead_code)]
mod ex01_solution;
#[path = "../exercises/01_partial_failure.rs"]
#[allow(dead_code)]
mod ex01_stub;

#[test]
fn exercise_01_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::partial_failure::PartialFailure>(ex01_stub::answers(), ex01_solution::answers());
}
