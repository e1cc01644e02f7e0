//! The reference answers the graders compare with (crate-private).

use super::AppliedWrite;

/// The storage accepts a write whose token is at least the highest it has accepted: an equal
/// token is the same holder writing again.
pub(crate) fn fencing_accepts(token: u64, highest_seen: u64) -> bool {
    token >= highest_seen
}

/// The latest local clock reading at which a lease granted at local time `grant_local_s` for
/// `lease_s` seconds surely still holds, on a clock that may run up to `drift_ppm` slow: local
/// time runs `(1 − ρ)` times as fast as true time, so `lease_s` true seconds show as
/// `lease_s (1 − ρ)` local ones.
pub(crate) fn latest_safe_local_time(grant_local_s: f64, lease_s: f64, drift_ppm: f64) -> f64 {
    grant_local_s + lease_s * (1.0 - drift_ppm * 1e-6)
}

/// How many local seconds before a lease's end a client must stop starting writes, when a
/// pause of up to `pause_s` (true seconds) may fall between its check and its write and its
/// clock may run `drift_ppm` slow: it may start at local `(lease_s − pause_s)(1 − ρ)`.
pub(crate) fn lease_margin(pause_s: f64, drift_ppm: f64, lease_s: f64) -> f64 {
    lease_s - (lease_s - pause_s) * (1.0 - drift_ppm * 1e-6)
}

/// Indices of the accepted writes that land after an accepted write with a higher token.
pub(crate) fn stale_writes(writes: &[AppliedWrite]) -> Vec<usize> {
    let mut highest = 0;
    let mut stale = Vec::new();
    for (i, w) in writes.iter().enumerate().filter(|(_, w)| w.accepted) {
        if w.token < highest {
            stale.push(i);
        }
        highest = highest.max(w.token);
    }
    stale
}
