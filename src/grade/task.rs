//! A task declared once, as a typed value: its name, its grader and the mistakes the grader
//! must reject.
//!
//! A chapter lists its tasks (`&'static [Task<Answers>]`); the shared grading routine
//! (`crate::exercises::grade_chapter`) runs each task's grader with the hints that
//! `chapters.toml` gives under the same name, and the maintainers' self-check installs each
//! mistake into the reference answers and proves that this task, and only this task, fails.
//! So a task's name is written once in Rust, and its hints once in the manifest.

use super::{Checker, Verdict};

/// Runs one task's cases: the checker, the learner's answers, and the seed the random cases
/// are drawn from. `Ok(())` when every case passed.
pub type Grader<A> = fn(&mut Checker, &A, u64) -> Result<(), Verdict>;

/// One graded task of a chapter.
pub struct Task<A: 'static> {
    /// The task's name: the function the learner writes, and its key in `chapters.toml`.
    pub name: &'static str,
    /// Grades the learner's function for this task (and only it) out of the answers.
    pub grade: Grader<A>,
    /// Plausible mistakes, at least two, that `grade` must reject.
    pub mistakes: &'static [Mistake<A>],
}

/// A plausible mistake: `apply` replaces the task's function in a copy of the solution's
/// answers with a wrong one.
pub struct Mistake<A> {
    /// The mistake, e.g. "forgot the factor 10⁻⁶".
    pub what: &'static str,
    /// Installs the mistake.
    pub apply: fn(&mut A),
}

impl<A> std::fmt::Debug for Task<A> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task")
            .field("name", &self.name)
            .field("mistakes", &self.mistakes.iter().map(|m| m.what).collect::<Vec<_>>())
            .finish()
    }
}
