//! Chapter 12's checkers are graded on runs: every listed mistake of `first_stale_write` is
//! rejected with a shrunk run and a replay code, and `--replay` tells the same run again.
#![cfg(feature = "solutions")]

#[path = "../solutions/12_system_models.rs"]
#[allow(dead_code)]
mod solution;

use faultline::exercises::DEFAULT_SEED;
use faultline::exercises::system_models::{self, stale, tasks};
use faultline::shrink::ReplayCode;

fn with_mistake(task: &faultline::grade::Task<system_models::Answers>, k: usize) -> system_models::Answers {
    let mut a = solution::answers();
    (task.mistakes[k].apply)(&mut a);
    a
}

#[test]
fn every_listed_mistake_of_first_stale_write_is_shown_by_a_shrunk_run() {
    let task = &tasks::FIRST_STALE_WRITE;
    for (k, m) in task.mistakes.iter().enumerate() {
        let a = with_mistake(task, k);
        let report = system_models::check_first_stale_write(a.first_stale_write);
        let t = report.get(task.name).unwrap();
        let cx = t
            .counterexample
            .as_ref()
            .unwrap_or_else(|| panic!("“{}” was rejected without a shrunk run:\n{report}", m.what));
        eprintln!("— {}\n{}", m.what, cx.render(12));
        assert!(cx.story.len() <= 14, "{:?}", cx.story);
        assert!(cx.story.last().unwrap().starts_with("expected "), "{:?}", cx.story);
        assert!(cx.replay.starts_with("fl12-"));
    }
}

#[test]
fn a_replay_code_tells_the_same_run_byte_for_byte() {
    let a = with_mistake(&tasks::FIRST_STALE_WRITE, 2);
    let shown = stale::find_shrunk(a.first_stale_write, DEFAULT_SEED)
        .unwrap()
        .expect("the off-by-one checker errs on some run");
    let cx = &shown.counterexample;
    let code = ReplayCode::decode(&cx.replay, 12).unwrap();
    let dir = std::env::temp_dir().join(format!("faultline-replay12-{}", std::process::id()));
    let (again, files) = stale::replay(a.first_stale_write, &code, &dir).unwrap();
    // The report again, byte for byte, "shrunk" line (the first run's size) included.
    assert_eq!(again.render(12), cx.render(12));
    assert!(again.shrunk.starts_with("from "), "{}", again.shrunk);
    assert_eq!(files.len(), 2);
    // The reference checker agrees with the truth on the same run.
    let (right, _) = stale::replay(solution::answers().first_stale_write, &code, &dir).unwrap();
    assert!(right.property.starts_with("nothing broke"), "{}", right.property);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_read_only_storage_refuses_every_token_and_raises_nothing() {
    use faultline::lease::LeaseConfig;
    use faultline::models::{ReadOnly, WriteRun};
    let cfg = LeaseConfig {
        until_s: 60.0,
        ..Default::default()
    };
    let mut run = WriteRun::draw(&cfg, true, 0, 3);
    let (open, _) = run.run(3, false).unwrap();
    let at = open.writes[2].at_s;
    run.read_only = vec![ReadOnly {
        from_s: 0.0,
        to_s: at + 1e-6,
    }];
    let (closed, _) = run.run(3, false).unwrap();
    assert!(closed.writes.iter().take(3).all(|w| !w.accepted), "{:?}", closed.writes);
    // After the span, fencing starts from nothing again: the next write is accepted.
    assert!(closed.writes[3].accepted);
    // The clients act the same whatever the storage answers.
    let times = |ws: &[faultline::lease::AppliedWrite]| ws.iter().map(|w| w.at_s).collect::<Vec<_>>();
    assert_eq!(times(&open.writes), times(&closed.writes));
}

#[test]
fn a_checker_that_panics_on_a_run_is_reported_as_such_on_the_shrunk_run() {
    fn panics_on_a_refusal(w: &[faultline::lease::AppliedWrite]) -> Option<usize> {
        assert!(w.iter().all(|x| x.accepted), "a write was not accepted");
        None
    }
    let report = system_models::check_first_stale_write(panics_on_a_refusal);
    let t = report.get("first_stale_write").unwrap();
    assert_eq!(t.status, faultline::grade::Status::Fail, "{report}");
    let cx = t.counterexample.as_ref().expect("a shrunk run");
    eprintln!("{}", cx.render(12));
    assert_eq!(cx.property, "your first_stale_write runs without panicking");
    let last = cx.story.last().unwrap();
    assert!(last.contains("a panic (a write was not accepted)"), "{last}");
}
