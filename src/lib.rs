//! # faultline: the trouble with distributed systems, hands on
//!
//! A workbook: simulators that know the truth, exercises that grade a learner's code against
//! that truth, and plots that show what went wrong. Three ways in share this one library:
//! Jupyter notebooks (evcxr), `cargo run --bin exercise-N`, and `cargo test`.
//!
//! ## Map
//!
//! | module | what it holds |
//! |---|---|
//! | [`sim`] | the deterministic core: seeded PRNG (Xoshiro256++), virtual time, the discrete-event queue, distributions |
//! | [`queueing`] | queues: closed forms (M/M/1, M/D/1, M/G/1, M/M/c, M/M/1/K, Little) in `theory`, an event-driven chain of FIFO stations with finite buffers, and Lindley's recursion as the fast path |
//! | [`net`] | a message network on the event queue: propagation, transmission and output-buffer queueing; loss, duplication, reordering; scheduled partitions; crashes, recoveries and pauses; every message's fate recorded |
//! | [`detect`] | heartbeats over a lossy link with pauses and crashes; fixed, k-missed, adaptive and phi accrual detectors; detection time and mistakes against the truth |
//! | [`clock`] | quartz oscillators (ppm, temperature, aging, noise) and a node's wall and monotonic clocks |
//! | [`ntp`] | NTP: on-wire offset and delay, clock filter, Marzullo selection, discipline; the simulator and a real SNTP client |
//! | [`ordering`] | ordering by timestamps: last-write-wins losses, misordered messages, TrueTime-style intervals and commit wait |
//! | [`grade`] | reports of passed / failed / not-attempted tasks, tolerances, catching `todo!()`; a task declared once as a `Task` (name, grader, mistakes) |
//! | [`plot`] | `Figure`: titled, labelled charts as SVG and PNG with an embedded font, inline in notebooks |
//! | [`data`] | typed CSV loading with errors that name file, line and field |
//! | [`exercises`] | the manifest `chapters.toml` (chapters, files, hint tiers), the shared runner and chapter grading, and one module per chapter: task signatures, tasks, graders, figures, flags |
//! | [`error`] | the one error type; constructors validate and return it instead of panicking |
//! | [`progress`] | progress bars that hide themselves when not on a terminal |
//!
//! ## Choices, and why
//!
//! * **Virtual time everywhere.** Nothing sleeps or reads the wall clock: a simulated month of
//!   clock drift takes milliseconds and the same seed gives the same run on every machine.
//! * **A named PRNG**, not `StdRng`, whose algorithm may change between `rand` releases.
//! * **Answers are function pointers** in a plain struct, so the learner's file, the solution,
//!   a notebook cell and a deliberately wrong answer in the self-check all plug into the same
//!   grader.
//! * **Graders compare with the simulator**, on cases drawn from a seed, so an answer
//!   hard-coded from the notebook's examples fails.

pub mod clock;
pub mod data;
pub mod detect;
pub mod error;
pub mod exercises;
pub mod grade;
pub mod net;
pub mod ntp;
pub mod ordering;
pub mod plot;
pub mod progress;
pub mod queueing;
pub mod sim;

pub use error::{Error, Result};

/// What a notebook usually needs: `use faultline::prelude::*;`.
pub mod prelude {
    pub use crate::clock::{Clock, Oscillator, OscillatorConfig, Reading, Temperature};
    pub use crate::error::{Error, Result};
    pub use crate::grade::{Report, Tol};
    pub use crate::plot::Figure;
    pub use crate::sim::{DAY, Dist, EventQueue, HOUR, Limits, Seconds, rng};
}
