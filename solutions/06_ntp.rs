//! Exercise 6 · NTP synchronisation — reference solution.
//!
//! One way to solve `exercises/06_ntp.rs`; compare after you have your own.

use faultline::exercises::ntp::{self, Answers};
use faultline::ntp::sntp::{ERA, NTP_UNIX_OFFSET};
use faultline::ntp::{Adjustment, Sample, Timestamps};

/// Task 1: t2 − t1 is θ plus the outbound delay, t3 − t4 is θ minus the return delay; their
/// mean is θ when the delays are equal, and off by half their difference otherwise.
pub fn offset(t: Timestamps) -> f64 {
    ((t.t2 - t.t1) + (t.t3 - t.t4)) / 2.0
}

/// Task 2: each difference is taken on one clock, so no offset enters.
pub fn delay(t: Timestamps) -> f64 {
    (t.t4 - t.t1) - (t.t3 - t.t2)
}

/// Task 3: the least-delayed sample (the first of equals).
pub fn clock_filter(window: &[Sample]) -> Sample {
    let mut best = window[0];
    for s in &window[1..] {
        if s.delay < best.delay {
            best = *s;
        }
    }
    best
}

/// Task 4: Marzullo's sweep, for f = 0, 1, … while f < n/2.
pub fn intersect(intervals: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = intervals.len();
    // +1 opens an interval, −1 closes one; at equal values opens come first so that touching
    // intervals count as overlapping.
    let mut edges: Vec<(f64, i32)> = Vec::with_capacity(2 * n);
    for &(lo, hi) in intervals {
        edges.push((lo, 1));
        edges.push((hi, -1));
    }
    edges.sort_by(|a, b| a.0.total_cmp(&b.0).then(b.1.cmp(&a.1)));
    for f in 0..n.div_ceil(2) {
        let need = (n - f) as i32;
        let (mut low, mut high) = (None, None);
        let mut count = 0;
        for &(x, kind) in &edges {
            count += kind;
            if count >= need {
                low = Some(x);
                break;
            }
        }
        count = 0;
        for &(x, kind) in edges.iter().rev() {
            count -= kind;
            if count >= need {
                high = Some(x);
                break;
            }
        }
        if let (Some(l), Some(h)) = (low, high)
            && l <= h
        {
            return Some((l, h));
        }
    }
    None
}

/// Task 5: a big offset is stepped away at once; a small one is slewed at the full rate, which
/// takes |θ| / (rate · 10⁻⁶) seconds.
pub fn discipline(theta: f64, step_threshold_s: f64, max_slew_ppm: f64) -> Adjustment {
    if theta.abs() > step_threshold_s {
        Adjustment::Step { by_s: theta }
    } else {
        Adjustment::Slew {
            rate_ppm: max_slew_ppm.copysign(theta),
            duration_s: theta.abs() / (max_slew_ppm * 1e-6),
        }
    }
}

/// Task 6: fixed point to seconds, 1900 to 1970, then the multiple of 2³² s nearest the pivot.
pub fn ntp_to_unix(ntp: u64, pivot_unix: f64) -> f64 {
    let seconds = (ntp >> 32) as f64;
    let fraction = (ntp & 0xffff_ffff) as f64 / ERA;
    let era0 = seconds + fraction - NTP_UNIX_OFFSET as f64;
    let era = ((pivot_unix - era0) / ERA).round();
    era0 + era * ERA
}

/// Hands the functions to the grader.
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
