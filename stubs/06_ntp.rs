//! Exercise 6 · NTP synchronisation.
//!
//! Read `notebooks/06-ntp.ipynb` first. Then replace each `todo!()` below, and run
//!
//!     cargo run --bin exercise-6                        # simulate, plot, grade
//!     cargo run --bin exercise-6 -- --hint              # a nudge for the first unfinished task
//!     cargo run --bin exercise-6 -- --measure           # also ask a real NTP server (chronyd
//!                                                       # on 127.0.0.1:11123; --server HOST:PORT)
//!     cargo test                                        # the same grader, as tests
//!
//! Times are in seconds. θ (the offset) is the server's clock minus yours: the amount to add
//! to your clock. t1 and t4 are read on the client's clock, t2 and t3 on the server's.
#![allow(unused_variables)] // the stubs below do not use their inputs yet

use faultline::exercises::ntp::{self, Answers};
use faultline::ntp::{Adjustment, Sample, Timestamps};

/// Task 1. The client sent a request at t1 (its clock), the server received it at t2 and
/// replied at t3 (the server's clock), the reply arrived at t4 (the client's clock). What is
/// the server's clock minus the client's, θ?
pub fn offset(t: Timestamps) -> f64 {
    // TODO: average what the two legs suggest
    todo!()
}

/// Task 2. For the same exchange: how long were the packets on the network, both ways
/// together, δ?
pub fn delay(t: Timestamps) -> f64 {
    // TODO: the round trip minus the time the server held the request
    todo!()
}

/// Task 3. `window` holds a server's recent samples, oldest first (never empty). Which one
/// should the client trust? Return it; of equally good samples, the first (oldest).
pub fn clock_filter(window: &[Sample]) -> Sample {
    // TODO: which sample queued least?
    todo!()
}

/// Task 4. Each server's sample gives a correctness interval `(θ − δ/2, θ + δ/2)` that holds
/// the true offset unless the server lies. Find the smallest number f of liars (f < n/2) for
/// which n − f intervals share a point, and return `(low, high)`: the lowest and highest points
/// covered by at least n − f intervals. Intervals that only touch do overlap. `None` if no
/// majority agrees (and for no intervals at all).
pub fn intersect(intervals: &[(f64, f64)]) -> Option<(f64, f64)> {
    // TODO: Marzullo's algorithm
    todo!()
}

/// Task 5. The client measured θ and must move its clock by +θ. If |θ| exceeds
/// `step_threshold_s`, return `Adjustment::Step { by_s }`; otherwise slew at the fastest
/// allowed rate, `Adjustment::Slew { rate_ppm, duration_s }`, so that the clock runs
/// `rate_ppm` ppm fast (negative: slow) for `duration_s` seconds and lands on time.
pub fn discipline(theta: f64, step_threshold_s: f64, max_slew_ppm: f64) -> Adjustment {
    // TODO: step or slew?
    todo!()
}

/// Task 6. An NTP timestamp holds whole seconds since 1900-01-01 in its high 32 bits and a
/// fraction in units of 2⁻³² s in its low 32 bits. The seconds wrap to 0 every 2³² s (the
/// first wrap is in February 2036). Return the Unix time (seconds since 1970-01-01) it stands
/// for, choosing the era that puts it nearest `pivot_unix` (your own clock's rough idea of
/// now). The constants are `faultline::ntp::sntp::NTP_UNIX_OFFSET` and `ERA`.
pub fn ntp_to_unix(ntp: u64, pivot_unix: f64) -> f64 {
    // TODO: split, scale the fraction, shift the epoch, pick the era
    todo!()
}

/// Hands your functions to the grader.
pub fn answers() -> Answers {
    Answers {
        offset,
        delay,
        clock_filter,
        intersect,
        discipline,
        ntp_to_unix,
    }
}

fn main() -> std::process::ExitCode {
    ntp::run(answers())
}
