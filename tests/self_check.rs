//! The maintainers' self-check (`cargo test --features solutions`), in the spirit of
//! rustlings' `dev check` and nbgrader's `validate --invert`. For every exercise:
//!
//! 1. the shipped stub fails its grader, every task reported *not attempted*;
//! 2. the reference solution passes, on several seeds;
//! 3. every task declares at least two plausible mistakes, and each is rejected by its own
//!    task, on every seed, while every other task still passes, and its failure is diagnosed
//!    as a listed mistake (the report's "looks like" line);
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
    let declared: Vec<&str> = C::tasks().iter().map(|t| t.name).collect();
    let graded: Vec<&str> = report.tasks.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        graded,
        declared,
        "exercise {}: the report's tasks are not the declared ones",
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
    for task in C::tasks() {
        let n = task.mistakes.len();
        assert!(
            n >= 2,
            "exercise {}: task `{}` has {n} mistakes listed; at least two are needed",
            C::NUMBER,
            task.name
        );
        for mistake in task.mistakes {
            let mut answers = solution.clone();
            (mistake.apply)(&mut answers);
            for seed in SEEDS {
                let r = C::grade(&answers, seed);
                let graded = r.get(task.name).expect("task exists");
                assert_eq!(
                    graded.status,
                    Status::Fail,
                    "exercise {}: `{}` with the mistake \"{}\" was not rejected (seed {seed})",
                    C::NUMBER,
                    task.name,
                    mistake.what
                );
                // The catalogue diagnoses what it lists: a mistake fails exactly as itself.
                assert!(
                    graded.diagnosis.is_some(),
                    "exercise {}: `{}` with the mistake \"{}\" was not diagnosed (seed {seed}): {}",
                    C::NUMBER,
                    task.name,
                    mistake.what,
                    graded.detail
                );
                if seed == DEFAULT_SEED {
                    replays_byte_for_byte::<C>(&answers, task.name, mistake.what, graded);
                }
                let others_pass = r
                    .tasks
                    .iter()
                    .filter(|t| t.name != task.name)
                    .all(|t| t.status == Status::Pass);
                assert!(
                    others_pass,
                    "exercise {}: the mistake \"{}\" in `{}` broke another task:\n{r}",
                    C::NUMBER,
                    mistake.what,
                    task.name
                );
            }
        }
    }
}

/// The tasks in which a learner writes protocol logic that runs inside the world simulator:
/// each of their listed mistakes must be shown by a shrunk (or exhaustively found) run with a
/// replay code.
const PROTOCOL_TASKS: [(u8, &str); 6] = [
    (1, "apply_transfer"),
    (2, "deliver_in_order"),
    (8, "fencing_accepts"),
    (9, "grant_vote"),
    (10, "om1_decide"),
    (12, "first_stale_write"),
];

/// A protocol task's rejected mistake carries a counterexample, and `exercise-N --replay CODE`
/// (the chapter's `replay`, with the same answers) prints that counterexample again byte for
/// byte, "shrunk" line included, and draws its diagram.
fn replays_byte_for_byte<C: Chapter>(
    answers: &C::Answers,
    task: &str,
    mistake: &str,
    graded: &faultline::grade::TaskReport,
) {
    let protocol = PROTOCOL_TASKS.contains(&(C::NUMBER, task));
    let Some(cx) = &graded.counterexample else {
        assert!(
            !protocol,
            "exercise {}: `{task}` with the mistake \"{mistake}\" was rejected without a shrunk run:\n{}",
            C::NUMBER,
            graded.detail
        );
        return;
    };
    let code = faultline::shrink::ReplayCode::decode(&cx.replay, C::NUMBER).unwrap_or_else(|e| {
        panic!(
            "exercise {}: `{task}`: the report's replay code does not read: {e}",
            C::NUMBER
        )
    });
    let dir = std::env::temp_dir().join(format!("faultline-selfcheck-{}-{}", C::NUMBER, std::process::id()));
    let (again, files) = C::replay(answers, &code, &dir)
        .unwrap_or_else(|e| panic!("exercise {}: `{task}` (\"{mistake}\"): --replay failed: {e}", C::NUMBER));
    assert_eq!(
        again.render(C::NUMBER),
        cx.render(C::NUMBER),
        "exercise {}: `{task}` with the mistake \"{mistake}\": --replay does not print the report's counterexample again",
        C::NUMBER
    );
    assert!(
        !files.is_empty(),
        "exercise {}: `{task}` (\"{mistake}\"): --replay drew no diagram",
        C::NUMBER
    );
    let _ = std::fs::remove_dir_all(dir);
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

#[path = "../solutions/11_logical_clocks.rs"]
#[allow(dead_code)]
mod ex11_solution;
#[path = "../exercises/11_logical_clocks.rs"]
#[allow(dead_code)]
mod ex11_stub;

#[test]
fn exercise_11_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::logical_clocks::LogicalClocks>(ex11_stub::answers(), ex11_solution::answers());
}

thread_local! {
    static MEMO: std::cell::RefCell<Vec<((f64, f64), f64)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The solution, recording every case the grader asks about.
fn recording_drift_after(ppm: f64, elapsed: f64) -> f64 {
    let v = ex05_solution::drift_after(ppm, elapsed);
    MEMO.with(|m| m.borrow_mut().push(((ppm, elapsed), v)));
    v
}

/// A learner who memorised the answers of one run: right on those cases, 0 elsewhere.
fn memorised_drift_after(ppm: f64, elapsed: f64) -> f64 {
    MEMO.with(|m| {
        m.borrow()
            .iter()
            .find(|(k, _)| *k == (ppm, elapsed))
            .map(|(_, v)| *v)
            .unwrap_or(0.0)
    })
}

#[test]
fn exercise_05_answers_memorised_from_one_seed_fail_another() {
    use faultline::exercises::check_task;
    use faultline::exercises::clock_drift::{ClockDrift, grade::grade_drift_after, tasks::DRIFT_AFTER};
    let grade = |f: fn(f64, f64) -> f64, seed: u64| {
        check_task::<ClockDrift>(&DRIFT_AFTER, seed, |c| grade_drift_after(c, f, seed))
    };
    grade(recording_drift_after, DEFAULT_SEED);
    let r = grade(memorised_drift_after, DEFAULT_SEED);
    assert!(
        r.passed(),
        "the memorised answers should pass the seed they were recorded from:\n{r}"
    );
    for seed in [1, 42] {
        let r = grade(memorised_drift_after, seed);
        assert_eq!(r.tasks[0].status, Status::Fail, "memorised answers passed seed {seed}");
    }
}

#[path = "../solutions/06_ntp.rs"]
#[allow(dead_code)]
mod ex06_solution;
#[path = "../exercises/06_ntp.rs"]
#[allow(dead_code)]
mod ex06_stub;

#[test]
fn exercise_06_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::ntp::Ntp>(ex06_stub::answers(), ex06_solution::answers());
}

#[path = "../solutions/07_timestamps.rs"]
#[allow(dead_code)]
mod ex07_solution;
#[path = "../exercises/07_timestamps.rs"]
#[allow(dead_code)]
mod ex07_stub;

#[test]
fn exercise_07_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::timestamps::Timestamps>(ex07_stub::answers(), ex07_solution::answers());
}

// Shared by every thread, not thread-local: the chapter's grader runs each task on a thread of
// its own (the time bound on the learner's code), as a learner's memo would be a static too.
static MEMO_OFFSET: std::sync::Mutex<Vec<([u64; 4], f64)>> = std::sync::Mutex::new(Vec::new());
static MEMO_LOST: std::sync::Mutex<Vec<(Vec<u64>, usize)>> = std::sync::Mutex::new(Vec::new());

fn stamp_key(t: &faultline::ntp::Timestamps) -> [u64; 4] {
    [t.t1.to_bits(), t.t2.to_bits(), t.t3.to_bits(), t.t4.to_bits()]
}

/// The solution's `offset`, recording every case the grader asks about.
fn recording_offset(t: faultline::ntp::Timestamps) -> f64 {
    let v = ex06_solution::offset(t);
    MEMO_OFFSET.lock().unwrap().push((stamp_key(&t), v));
    v
}

/// A learner who memorised one run's answers: right on those cases, 0 elsewhere.
fn memorised_offset(t: faultline::ntp::Timestamps) -> f64 {
    let k = stamp_key(&t);
    MEMO_OFFSET
        .lock()
        .unwrap()
        .iter()
        .find(|(key, _)| *key == k)
        .map_or(0.0, |(_, v)| *v)
}

fn recording_lost_writes(ts: &[f64]) -> usize {
    let v = ex07_solution::lost_writes(ts);
    MEMO_LOST
        .lock()
        .unwrap()
        .push((ts.iter().map(|t| t.to_bits()).collect(), v));
    v
}

fn memorised_lost_writes(ts: &[f64]) -> usize {
    let k: Vec<u64> = ts.iter().map(|t| t.to_bits()).collect();
    MEMO_LOST
        .lock()
        .unwrap()
        .iter()
        .find(|(key, _)| *key == k)
        .map_or(0, |(_, v)| *v)
}

#[test]
fn exercises_06_07_answers_memorised_from_one_seed_fail_another() {
    use faultline::exercises::{ntp, timestamps};
    use faultline::grade::Report;
    type Offset = fn(faultline::ntp::Timestamps) -> f64;
    let grade = |offset: Offset, lost: fn(&[f64]) -> usize, seed: u64| {
        let mut r = Report::new(6, "memorised", seed);
        r.task(ntp::tasks::OFFSET.name, &["-"], |c| {
            ntp::grade::grade_offset(c, offset, seed)
        });
        r.task(timestamps::tasks::LOST_WRITES.name, &["-"], |c| {
            timestamps::grade::grade_lost_writes(c, lost, seed)
        });
        r
    };
    grade(recording_offset, recording_lost_writes, DEFAULT_SEED);
    let r = grade(memorised_offset, memorised_lost_writes, DEFAULT_SEED);
    assert!(
        r.passed(),
        "memorised answers should pass the seed they came from:\n{r}"
    );
    for seed in [1, 42] {
        let r = grade(memorised_offset, memorised_lost_writes, seed);
        assert!(
            r.tasks.iter().all(|t| t.status == Status::Fail),
            "memorised answers passed seed {seed}:\n{r}"
        );
    }
    // What `cargo test` runs on the learner's file grades fresh seeds too, so the table of the
    // default run's cases fails there, and says which seed shows it.
    let table = ntp::Answers {
        offset: memorised_offset,
        ..ex06_solution::answers()
    };
    let r = ntp::grade(&table);
    let offset = r.tasks.iter().find(|t| t.name == "offset").unwrap();
    assert_eq!(offset.status, Status::Fail, "{r}");
    assert!(offset.detail.contains("drawn afresh from seed"), "{}", offset.detail);
    let rest = r.tasks.iter().filter(|t| t.name != "offset");
    assert!(
        rest.clone()
            .all(|t| t.status == Status::Pass && t.detail.contains("fresh seeds")),
        "{r}"
    );
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

#[path = "../solutions/08_leases.rs"]
#[allow(dead_code)]
mod ex08_solution;
#[path = "../exercises/08_leases.rs"]
#[allow(dead_code)]
mod ex08_stub;

#[test]
fn exercise_08_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::leases::Leases>(ex08_stub::answers(), ex08_solution::answers());
}

#[path = "../solutions/09_elections.rs"]
#[allow(dead_code)]
mod ex09_solution;
#[path = "../exercises/09_elections.rs"]
#[allow(dead_code)]
mod ex09_stub;

#[test]
fn exercise_09_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::elections::Elections>(ex09_stub::answers(), ex09_solution::answers());
}

#[path = "../solutions/10_byzantine.rs"]
#[allow(dead_code)]
mod ex10_solution;
#[path = "../exercises/10_byzantine.rs"]
#[allow(dead_code)]
mod ex10_stub;

#[test]
fn exercise_10_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::byzantine::Byzantine>(ex10_stub::answers(), ex10_solution::answers());
}

#[path = "../solutions/12_system_models.rs"]
#[allow(dead_code)]
mod ex12_solution;
#[path = "../exercises/12_system_models.rs"]
#[allow(dead_code)]
mod ex12_stub;

#[test]
fn exercise_12_stub_fails_solution_passes_wrong_answers_rejected() {
    self_check::<faultline::exercises::system_models::SystemModels>(ex12_stub::answers(), ex12_solution::answers());
}
