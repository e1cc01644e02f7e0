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
//! | [`quorum`] | quorums, split brain and term-based leader election (Raft's vote rule as a policy) on the world, with fault schedules and parallel election timing |
//! | [`world`] | the world simulator every chapter with nodes runs on: nodes of mixed kinds with clocks of their own, per-link delay, loss, duplication and reordering, partitions of groups on a schedule, crashes, pauses (even between a check and its act), typed timers; every message's fate and every client operation recorded with true times |
//! | [`detect`] | heartbeats over a lossy link with pauses and crashes; fixed, k-missed, adaptive and phi accrual detectors; detection time and mistakes against the truth |
//! | [`clock`] | quartz oscillators (ppm, temperature, aging, noise) and a node's wall and monotonic clocks |
//! | [`ntp`] | NTP: on-wire offset and delay, clock filter, Marzullo selection, discipline; the simulator and a real SNTP client |
//! | [`ordering`] | ordering by timestamps: last-write-wins losses, misordered messages, TrueTime-style intervals and commit wait |
//! | [`lease`] | process pauses, leases and fencing tokens: a lock service, a fencing storage and clients on drifting clocks that pause between check and write, on the world; stale and late writes against the truth |
//! | [`byzantine`] | Byzantine generals: OM(m) and SM(m) as processes on the world, traitor strategies, exhaustive searches over traitor placements, CRC-32 against corrupted packets |
//! | [`logical`] | logical clocks: a happens-before oracle from the true record of messages; Lamport, vector and hybrid logical clocks run with rules passed in; version vectors and siblings |
//! | [`models`] | system models: synchronous, partially synchronous (GST) and asynchronous links, crash-stop, crash-recovery and Byzantine nodes as world settings; safety checkers returning the first violating event, liveness judged within T after stabilisation |
//! | [`etcd`] | a real etcd cluster on loopback for chapters 8 and 9: started, paused (SIGSTOP), killed and stopped by pid, data under `target/etcd-lab/`; a thin blocking client of its JSON gateway (kv, transactions, leases, status) |
//! | [`shrink`] | failures a learner can read: replay codes (chapter, task, seed, schedule, checksummed), greedy shrinking of a failing schedule while its property still fails |
//! | [`grade`] | reports of passed / failed / not-attempted tasks, tolerances, catching `todo!()`; a task declared once as a `Task` (name, grader, mistakes) |
//! | [`plot`] | `Figure`: titled, labelled charts as SVG and PNG with an embedded font, inline in notebooks |
//! | [`data`] | typed CSV loading with errors that name file, line and field |
//! | [`exercises`] | the manifest `chapters.toml` (chapters, files, hint tiers), the shared runner and chapter grading, and one module per chapter: task signatures, tasks, graders, figures, flags |
//! | [`error`] | the one error type; constructors validate and return it instead of panicking |
//! | [`progress`] | progress bars that hide themselves when not on a terminal |
//!
//! ## Names and units (the rule every module follows)
//!
//! * **Time is seconds, as `f64`.** A field or argument holding a time or a duration ends in
//!   `_s` wherever it could be misread (`propagation_s`, `at_s`, `length_s`, `sent_at_s`);
//!   milliseconds appear only in what a person reads (plot axes, printed lines), never in an
//!   API. Other units are suffixed the same way: `_ppm`, `_bytes`, `bytes_per_s`, `_c` (°C).
//! * **True time belongs to the simulator.** A node reads only its own clocks
//!   ([`world::Ctx::read_clock`]); true times appear in records and outcomes, for graders and
//!   plots.
//! * **One simulator of nodes**, [`world`]: its [`world::World`] runs, its [`world::Outcome`]
//!   is what a run returns. A chapter's simulator that summarises runs returns a
//!   `…Outcome` of its own built from them (e.g. `ordering::lww::LwwOutcome`).
//! * **Seeds are derived one way**, through [`sim::Seed`]: `seed.stream(k)` is component `k`'s
//!   random stream (a node, a link, a grader's cases), `seed.child(k)` the seed of
//!   sub-experiment `k` (a replication, a fault schedule).
//! * **Errors** are [`Error`]s whose message names the parameter, or the file, line and field.
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
//! * **Nodes are trait objects** under one [`world::Protocol`], so a client, a server and a
//!   nemesis of different types share one world, and a test gets each back as its own type.
//!   Handlers return a `Result`: a node that hits an impossible state ends the run with a
//!   recorded failure instead of a panic.

pub mod byzantine;
pub mod clock;
pub mod data;
pub mod detect;
pub mod error;
pub mod etcd;
pub mod exercises;
pub mod grade;
pub mod lease;
pub mod logical;
pub mod models;
pub mod ntp;
pub mod ordering;
pub mod plot;
pub mod progress;
pub mod queueing;
pub mod quorum;
pub mod shrink;
pub mod sim;
pub mod world;

pub use error::{Error, Result};

/// What a notebook usually needs: `use faultline::prelude::*;`.
pub mod prelude {
    pub use crate::clock::{Clock, Oscillator, OscillatorConfig, Reading, Temperature};
    pub use crate::error::{Error, Result};
    pub use crate::grade::{Report, Tol};
    pub use crate::plot::Figure;
    pub use crate::sim::{DAY, Dist, EventQueue, HOUR, Limits, Seconds, rng};
}
