//! Task 2's failing runs, shrunk and replayed: the learner's `first_stale_write` reads the log
//! of a seeded lease world (chapter 8's, its storage with or without fencing and read-only now
//! and then); when it disagrees with the truth, the grader shrinks the run ([`crate::shrink`])
//! while it still disagrees, and the report tells the shrunk run, the log the checker saw,
//! expected against got, and prints the code that replays it (`exercise-12 --replay CODE`).

use super::stale_story::{show_pick, story};
use crate::error::Result;
use crate::grade::{Counterexample, Panicked, attempt};
use crate::lease::{AppliedWrite, LeaseConfig};
use crate::models::{WriteRun, truth};
use crate::shrink::{Budget, ReplayCode, ReplayError, Schedule, ShrunkRun, round_to, shrink, shrunk_line};
use crate::sim::{Seed, stream};
use rand::Rng;

pub use super::stale_story::replay_figure;

/// The task whose runs are shrunk and replayed.
pub const TASK: &str = "first_stale_write";

/// The property a checker must keep on every run.
pub const PROPERTY: &str = "your first_stale_write names the first stale write the storage accepted (or none)";

/// The learner's checker.
pub type StaleChecker = fn(&[AppliedWrite]) -> Option<usize>;

/// One run of a [`WriteRun`] and what the checker said of its log.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The storage's log.
    pub writes: Vec<AppliedWrite>,
    /// The truth: the first stale write accepted.
    pub want: Option<usize>,
    /// What the checker said (its panic message if it panicked).
    pub got: std::result::Result<Option<usize>, String>,
    /// Events the world handled.
    pub events: u64,
    /// Messages sent.
    pub messages: usize,
}

impl Checked {
    /// Whether the checker disagreed with the truth (or panicked).
    pub fn disagrees(&self) -> bool {
        self.got != Ok(self.want)
    }

    /// Whether the checker panicked: the shrunk run must fail the same way (a wrong answer, or
    /// a panic).
    fn panicked(&self) -> bool {
        self.got.is_err()
    }

    /// When the latest write the verdict is about reached the storage (the run can end after it).
    fn focus_s(&self) -> Option<f64> {
        let g = self.got.clone().ok().flatten();
        [self.want, g]
            .into_iter()
            .flatten()
            .filter_map(|i| self.writes.get(i))
            .map(|w| w.at_s)
            .reduce(f64::max)
    }

    /// "expected …; your checker said …".
    pub fn verdict_line(&self) -> String {
        let got = match &self.got {
            Ok(g) => show_pick(&self.writes, *g),
            Err(msg) => format!("a panic ({msg})"),
        };
        format!(
            "expected {}; your checker said {got}",
            show_pick(&self.writes, self.want)
        )
    }
}

/// Runs `run` on `seed` and hands its log to `f`. A world error is an error; a panic of `f` is
/// a disagreement of its own; a `todo!()` is `Err(Panicked::Todo)`.
pub fn check_run(run: &WriteRun, f: StaleChecker, seed: u64) -> Result<std::result::Result<Checked, Panicked>> {
    let (out, world) = run.run(seed, false)?;
    let got = match attempt(|| f(&out.writes)) {
        Ok(g) => Ok(g),
        Err(Panicked::Todo) => return Ok(Err(Panicked::Todo)),
        Err(Panicked::Other(msg)) => Err(msg),
    };
    Ok(Ok(Checked {
        want: truth::first_stale_write(&out.writes),
        got,
        writes: out.writes,
        events: world.run.events,
        messages: world.messages.len(),
    }))
}

/// The lease worlds task 2 reads, drawn from `seed`: each run and its own seed. Half fence,
/// half do not; most are read-only a few times.
pub fn stale_worlds(seed: u64) -> Vec<(WriteRun, u64)> {
    let mut rng = stream(seed, 1202);
    (0..8u64)
        .map(|k| {
            let cfg = LeaseConfig {
                clients: rng.random_range(2..=4),
                lease_s: rng.random_range(5.0..15.0),
                pauses_per_client: 5,
                until_s: 200.0,
                ..Default::default()
            };
            let s = Seed(seed).child(1200 + k).0;
            let spans = rng.random_range(2..=8);
            let mut run = WriteRun::draw(&cfg, k % 2 == 1, spans, s);
            // A failover at the worst moment, in every other run with fencing.
            run.failover = k % 4 == 1;
            (run, s)
        })
        .collect()
}

/// "1 pause", "3 pauses".
fn plural(k: usize, one: &str) -> String {
    format!("{k} {one}{}", if k == 1 { "" } else { "s" })
}

/// "3 pauses, 2 clients, 1 read-only span, 14 writes, 120 events, 60 messages".
fn size(r: &WriteRun, c: &Checked) -> String {
    format!(
        "{}, {}, {}, {}, {} events, {} messages",
        plural(r.lease.pauses.len(), "pause"),
        plural(r.lease.clients.len(), "client"),
        plural(r.read_only.len() + usize::from(r.failover), "read-only span"),
        plural(c.writes.len(), "write"),
        c.events,
        c.messages
    )
}

/// What shrinking one failing run gave (for the report and the benchmark).
pub type ShrinkResult = crate::shrink::ShrinkResult<WriteRun, Checked>;

/// Shrinks `start` on `seed`, on which `f` disagrees with the truth, while it still disagrees
/// the same way (a wrong answer, or a panic).
pub fn shrink_failure(start: WriteRun, f: StaleChecker, seed: u64) -> Option<ShrinkResult> {
    let first = check_run(&start, f, seed).ok()?.ok()?;
    if !first.disagrees() {
        return None;
    }
    let panicked = first.panicked();
    let still = |r: &WriteRun| {
        check_run(r, f, seed)
            .ok()
            .and_then(|c| c.ok())
            .filter(|c| c.disagrees() && c.panicked() == panicked)
    };
    // First, end the run just after the write the verdict is about, if it still fails then.
    let (begin, witness) = first
        .focus_s()
        .map(|t| {
            let mut r = start.clone();
            r.lease.until_s = round_to(t + 0.1, 0.1);
            r
        })
        .filter(|r| r.lease.until_s < start.lease.until_s)
        .and_then(|r| still(&r).map(|w| (r, w)))
        .unwrap_or_else(|| (start.clone(), first.clone()));
    let out = shrink(begin, witness, Budget::default(), still);
    let code = ReplayCode::new(12, TASK, seed, Schedule::Writes(out.schedule.clone()))
        .with_first_run(size(&start, &first), out.stopped_by)
        .encode();
    let cx = Counterexample {
        property: property(&out.witness),
        shrunk: shrunk_line(
            &size(&start, &first),
            &size(&out.schedule, &out.witness),
            out.stopped_by,
        ),
        story: story(&out.schedule, &out.witness, seed),
        replay: code,
    };
    Some(ShrinkResult {
        counterexample: cx,
        first: (start, first),
        shrunk: (out.schedule, out.witness),
        runs: out.runs,
    })
}

fn property(c: &Checked) -> String {
    match (&c.got, c.disagrees()) {
        (Err(_), _) => "your first_stale_write runs without panicking".into(),
        (Ok(_), true) => PROPERTY.into(),
        (Ok(_), false) => "nothing broke: your checker agrees with the truth on this run".into(),
    }
}

/// The run inside a chapter 12 replay code of task 2.
pub fn decode(code: &ReplayCode) -> std::result::Result<&WriteRun, ReplayError> {
    match &code.schedule {
        Schedule::Writes(r) if code.task == TASK => Ok(r),
        _ => Err(ReplayError::Unsupported {
            chapter: 12,
            task: code.task.clone(),
            reason: "its schedule is not a run of first_stale_write".into(),
        }),
    }
}

/// `exercise-12 --replay CODE` for task 2: runs the log past the learner's checker again, draws
/// the run under `out`, and returns what the report shows.
pub fn replay(
    f: StaleChecker,
    code: &ReplayCode,
    out: &std::path::Path,
) -> Result<(Counterexample, Vec<std::path::PathBuf>)> {
    let run = decode(code)?;
    run.validate()?;
    let (property, story, drawn_with, now) = match check_run(run, f, code.seed)? {
        Ok(c) => {
            let drawn = c.got.is_ok().then_some(f);
            (property(&c), story(run, &c, code.seed), drawn, Some(size(run, &c)))
        }
        Err(_) => (
            "not attempted: first_stale_write is still todo!()".to_string(),
            Vec::new(),
            None,
            None,
        ),
    };
    let files = replay_figure(run, drawn_with, code.seed)?.save(out, "replay")?;
    let cx = Counterexample {
        property,
        shrunk: code.shrunk_line(now.as_deref(), || {
            format!(
                "a replayed run: {}, {}, {}, seed {}",
                plural(run.lease.pauses.len(), "pause"),
                plural(run.lease.clients.len(), "client"),
                plural(run.read_only.len() + usize::from(run.failover), "read-only span"),
                code.seed
            )
        }),
        story,
        replay: code.encode(),
    };
    Ok((cx, files))
}

/// The first of task 2's runs (drawn from `seed`) on which `f` disagrees with the truth,
/// shrunk, with its diagram: what a notebook cell shows live.
pub fn find_shrunk(f: StaleChecker, seed: u64) -> Result<Option<ShrunkRun>> {
    for (run, s) in stale_worlds(seed) {
        if let Some(r) = shrink_failure(run, f, s) {
            let diagram = replay_figure(&r.shrunk.0, Some(f), s)?;
            return Ok(Some(ShrunkRun {
                exercise: 12,
                counterexample: r.counterexample,
                diagram,
            }));
        }
    }
    Ok(None)
}
