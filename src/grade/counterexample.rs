//! A failing run shrunk for the learner: what it broke, the run in a few plain lines, and the
//! code that replays it (see [`crate::shrink`]).

use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// The smallest failing run a grader found for a task, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Counterexample {
    /// The property that broke, e.g. "no stale write accepted".
    pub property: String,
    /// What the shrinking did, e.g. "from 9 pauses, 3 clients, 1204 events to 1 pause, 2
    /// clients, 31 events".
    pub shrunk: String,
    /// The run in a few plain lines, in true time.
    pub story: Vec<String>,
    /// The replay code (`--replay CODE`).
    pub replay: String,
}

impl Counterexample {
    /// The lines a text report shows, indented to sit under a failed task, for `exercise-N`.
    pub fn render(&self, exercise: u8) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "      broke:    {}", self.property);
        let _ = writeln!(out, "      shrunk:   {}", self.shrunk);
        for (i, line) in self.story.iter().enumerate() {
            let head = if i == 0 { "the run:" } else { "" };
            let _ = writeln!(out, "      {head:9} {line}");
        }
        let _ = writeln!(
            out,
            "      replay:   cargo run --bin exercise-{exercise} -- --replay {}",
            self.replay
        );
        out
    }
}
