//! Failures a learner can read: replay codes and shrunk failing runs.
//!
//! When a learner's protocol code breaks a property on some seeded schedule (a stale write
//! accepted, two leaders in one term), the grader does not hand over that schedule with its
//! dozens of faults and hundreds of messages. It *shrinks* it: it tries smaller schedules
//! (fewer faults, shorter pauses and partitions, fewer clients and nodes, fewer operations, an
//! earlier end) and keeps each one on which the same property still fails, until no smaller
//! one does or the budget is spent. The report then tells the shrunk run in a few plain lines,
//! draws it, and prints a [`ReplayCode`] that replays exactly it
//! (`cargo run --bin exercise-8 -- --replay CODE`).
//!
//! ## Why a greedy loop and not proptest's shrinking
//!
//! proptest shrinks a value through the `ValueTree` its own strategy generated it from. Our
//! failing schedules are not drawn by proptest: they are the graders' seeded schedules
//! ([`crate::lease::LeaseConfig::pauses`], [`crate::quorum::ElectionConfig::chaos`]), which the
//! notebooks, the plots and `--seed` all share, and a `ValueTree` cannot start from a value it
//! did not generate. Redrawing the graders' schedules through proptest strategies would change
//! every seeded case the chapters show, and proptest is a dev-dependency only. So the shrinker
//! here is a small greedy delta-debugging loop over the schedule value ([`shrink`]): each
//! schedule type lists its one-step-smaller candidates, most aggressive first
//! ([`Shrink::candidates`]), and the loop takes the first candidate that still fails, again and
//! again. Every candidate is a whole deterministic run, so the result depends only on the seed,
//! the schedule and the learner's code: the same failure shrinks to the same run on any machine.
//!
//! ## Why not stateright for the exhaustive modes
//!
//! stateright explores a model whose actors it steps itself, one message at a time, over states
//! it can hash. Our worlds are event-driven simulations with continuous virtual time, drifting
//! clocks and mid-handler pauses; their nodes are `dyn Any` trait objects without `Hash` or
//! `Clone`, and their truth (true time) lives outside the nodes. Porting a chapter's protocol
//! into a stateright `Model` would grade a second copy of it, not the world the learner sees.
//!
//! The budget is counted in runs (deterministic); a time cap stops a runaway search too, and the
//! report says when it did.

mod code;
mod fault;
mod shown;
mod wire;

use std::time::{Duration, Instant};

pub use code::{FORMAT_VERSION, ReplayCode, ReplayError, Schedule, ShrunkFrom};
pub use fault::PlannedFault;
pub use shown::ShrunkRun;
pub use wire::MsgFate;

/// A schedule that can propose smaller versions of itself.
pub trait Shrink: Sized {
    /// One-step-smaller schedules, most aggressive first (dropping half the faults before one,
    /// ending at the violation before trimming a pause). Each must be strictly smaller by some
    /// measure, so the loop ends.
    fn candidates(&self) -> Vec<Self>;
}

/// How much a shrink may spend.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    /// Candidate runs at most.
    pub max_runs: usize,
    /// Wall-clock time at most (a safety net; the run count normally ends the search first).
    pub max_time: Duration,
}

impl Default for Budget {
    /// 800 runs, 3 s.
    fn default() -> Self {
        Budget {
            max_runs: 800,
            max_time: Duration::from_secs(3),
        }
    }
}

/// What a shrink found.
#[derive(Debug, Clone)]
pub struct Shrunk<S, W> {
    /// The smallest failing schedule found.
    pub schedule: S,
    /// What its run showed (the violation).
    pub witness: W,
    /// Candidate runs tried.
    pub runs: usize,
    /// Candidates kept (steps that made the schedule smaller).
    pub steps: usize,
    /// Why it stopped early, when it did: "run budget" or "time budget".
    pub stopped_by: Option<&'static str>,
    /// Wall-clock time spent.
    pub elapsed: Duration,
}

/// What shrinking one failing run gave a chapter: the report's counterexample, and the first
/// failing and the shrunk schedule with their runs (the sizes the benchmark compares).
#[derive(Debug, Clone)]
pub struct ShrinkResult<S, R> {
    /// What the report shows.
    pub counterexample: crate::grade::Counterexample,
    /// The first failing schedule and its run.
    pub first: (S, R),
    /// The shrunk schedule and its run.
    pub shrunk: (S, R),
    /// Candidate runs tried.
    pub runs: usize,
}

/// A run told in plain lines: `events` (true time, rank among events at the same time, text)
/// in order, those after `end_s` left out, each as `  4.10 s  text` with `decimals` places, and
/// at most `max_lines` of them, the latest, the first line then saying how many earlier events
/// were left out.
pub fn story_lines(mut events: Vec<(f64, u8, String)>, end_s: f64, max_lines: usize, decimals: usize) -> Vec<String> {
    events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let kept: Vec<String> = events
        .into_iter()
        .filter(|(t, _, _)| *t <= end_s)
        .map(|(t, _, s)| format!("{t:>6.decimals$} s  {s}"))
        .collect();
    if kept.len() > max_lines {
        let skipped = kept.len() - max_lines + 1;
        let mut lines = vec![format!("          … {skipped} earlier events")];
        lines.extend_from_slice(&kept[skipped..]);
        lines
    } else {
        kept
    }
}

/// The report's "shrunk" line: `from <before> to <after>`, and why the search stopped early if
/// it did.
pub fn shrunk_line(before: &str, after: &str, stopped_by: Option<&str>) -> String {
    let stopped = stopped_by.map(|b| format!(" (stopped by the {b})")).unwrap_or_default();
    format!("from {before} to {after}{stopped}")
}

/// Shrinks `start` (on which `fails` returned `witness`) greedily: tries its candidates in
/// order, moves to the first that still fails (`fails` returns `Some`), and repeats until no
/// candidate fails or `budget` is spent.
pub fn shrink<S: Shrink + Clone, W>(
    start: S,
    witness: W,
    budget: Budget,
    mut fails: impl FnMut(&S) -> Option<W>,
) -> Shrunk<S, W> {
    let t0 = Instant::now();
    let mut best = Shrunk {
        schedule: start,
        witness,
        runs: 0,
        steps: 0,
        stopped_by: None,
        elapsed: Duration::ZERO,
    };
    'outer: loop {
        for cand in best.schedule.candidates() {
            if best.runs >= budget.max_runs {
                best.stopped_by = Some("run budget");
                break 'outer;
            }
            if t0.elapsed() > budget.max_time {
                best.stopped_by = Some("time budget");
                break 'outer;
            }
            best.runs += 1;
            if let Some(w) = fails(&cand) {
                best.schedule = cand;
                best.witness = w;
                best.steps += 1;
                continue 'outer;
            }
        }
        break;
    }
    best.elapsed = t0.elapsed();
    best
}

/// `x` rounded to `step` (0.1, 0.01, 1, …), for schedules a person reads: the nearest
/// double to the rounded decimal (52.9, not 52.900000000000006), so replay codes stay short.
pub fn round_to(x: f64, step: f64) -> f64 {
    if step < 1.0 {
        let per_unit = (1.0 / step).round();
        (x * per_unit).round() / per_unit
    } else {
        (x / step).round() * step
    }
}

/// Delta-debugging subsets of `items`: each half left out, then each quarter, …, then each
/// single item (most aggressive first, none empty of change).
pub fn without_chunks<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
    let n = items.len();
    let mut out = Vec::new();
    if n == 0 {
        return out;
    }
    let mut chunk = n.div_ceil(2).max(1);
    loop {
        let mut start = 0;
        while start < n {
            let end = (start + chunk).min(n);
            let mut rest = items[..start].to_vec();
            rest.extend_from_slice(&items[end..]);
            out.push(rest);
            start = end;
        }
        if chunk == 1 {
            break;
        }
        chunk = chunk.div_ceil(2);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Clone, Debug, PartialEq)]
    struct Set(Vec<u32>);

    impl Shrink for Set {
        fn candidates(&self) -> Vec<Self> {
            without_chunks(&self.0).into_iter().map(Set).collect()
        }
    }

    #[test]
    fn shrinking_keeps_only_what_the_failure_needs() {
        // Fails whenever both 3 and 7 are present.
        let fails = |s: &Set| (s.0.contains(&3) && s.0.contains(&7)).then_some(());
        let start = Set((0..20).collect());
        let out = shrink(start, (), Budget::default(), fails);
        assert_eq!(out.schedule, Set(vec![3, 7]));
        assert!(out.stopped_by.is_none());
        let tight = Budget {
            max_runs: 2,
            ..Budget::default()
        };
        let out = shrink(Set((0..20).collect()), (), tight, fails);
        assert_eq!(out.stopped_by, Some("run budget"));
    }
}
