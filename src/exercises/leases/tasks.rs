//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade;
use crate::grade::{Mistake, Task};

/// Task `fencing_accepts`.
pub const FENCING_ACCEPTS: Task<Answers> = Task {
    name: "fencing_accepts",
    grade: |c, a, seed| grade::grade_fencing_accepts(c, a.fencing_accepts, seed),
    mistakes: &[
        Mistake {
            what: "rejects an equal token (> for >=): the holder's second write is refused",
            why: "a holder writes several times under one token: accept token ≥ highest_seen",
            apply: |a| a.fencing_accepts = |t, h| t > h,
        },
        Mistake {
            what: "no fencing: accepts everything",
            why: "an old holder's delayed write must be refused: reject tokens below highest_seen",
            apply: |a| a.fencing_accepts = |_, _| true,
        },
        Mistake {
            what: "comparison flipped",
            why: "newer holders have larger tokens: accept token ≥ highest_seen",
            apply: |a| a.fencing_accepts = |t, h| t <= h,
        },
    ],
};

/// Task `latest_safe_local_time`.
pub const LATEST_SAFE_LOCAL_TIME: Task<Answers> = Task {
    name: "latest_safe_local_time",
    grade: |c, a, seed| grade::grade_latest_safe_local_time(c, a.latest_safe_local_time, seed),
    mistakes: &[
        Mistake {
            what: "trusts the clock: ignores drift",
            why: "a slow clock reads less than true time has passed: shrink the lease by (1 − ppm·10⁻⁶)",
            apply: |a| a.latest_safe_local_time = |g, l, _| g + l,
        },
        Mistake {
            what: "sign flipped: stretches the lease on a slow clock",
            why: "a slow clock shows fewer seconds: the safe local end is grant + lease·(1 − ppm·10⁻⁶)",
            apply: |a| a.latest_safe_local_time = |g, l, p| g + l * (1.0 + p * 1e-6),
        },
        Mistake {
            what: "forgot the 10⁻⁶ of ppm",
            why: "ppm means parts per million: multiply by 10⁻⁶",
            apply: |a| a.latest_safe_local_time = |g, l, p| g + l * (1.0 - p),
        },
        Mistake {
            what: "forgot the grant time",
            why: "the answer is a reading of the client's clock: start from grant_local_s",
            apply: |a| a.latest_safe_local_time = |_, l, p| l * (1.0 - p * 1e-6),
        },
    ],
};

/// Task `lease_margin`.
pub const LEASE_MARGIN: Task<Answers> = Task {
    name: "lease_margin",
    grade: |c, a, seed| grade::grade_lease_margin(c, a.lease_margin, seed),
    mistakes: &[
        Mistake {
            what: "ignores the pause: only the drift",
            why: "a pause of pause_s can fall between the check and the write: stop that much earlier",
            apply: |a| a.lease_margin = |_, p, l| l * p * 1e-6,
        },
        Mistake {
            what: "ignores the drift: only the pause",
            why: "the slow clock also shortens the lease it sees: include the drift",
            apply: |a| a.lease_margin = |pause, _, _| pause,
        },
        Mistake {
            what: "pause and the lease's drift added, the pause not shrunk to local time",
            why: "measure everything on the local clock: the pause too runs slow",
            apply: |a| a.lease_margin = |pause, p, l| pause + l * p * 1e-6,
        },
        Mistake {
            what: "forgot the 10⁻⁶ of ppm",
            why: "ppm means parts per million: multiply by 10⁻⁶",
            apply: |a| a.lease_margin = |pause, p, l| l - (l - pause) * (1.0 - p),
        },
    ],
};

/// Task `stale_writes`.
pub const STALE_WRITES: Task<Answers> = Task {
    name: "stale_writes",
    grade: |c, a, seed| grade::grade_stale_writes(c, a.stale_writes, seed),
    mistakes: &[
        Mistake {
            what: "an equal token counted as stale (<= for <)",
            why: "a write is stale only after an accepted write with a strictly higher token",
            apply: |a| {
                a.stale_writes = |ws| {
                    let mut hi = 0;
                    let mut out = Vec::new();
                    for (i, w) in ws.iter().enumerate().filter(|(_, w)| w.accepted) {
                        if hi > 0 && w.token <= hi {
                            out.push(i);
                        }
                        hi = hi.max(w.token);
                    }
                    out
                }
            },
        },
        Mistake {
            what: "compares with the previous write only",
            why: "compare with the highest token accepted so far, not just the previous write",
            apply: |a| {
                a.stale_writes = |ws| {
                    (1..ws.len())
                        .filter(|&i| ws[i].accepted && ws[i].token < ws[i - 1].token)
                        .collect()
                }
            },
        },
        Mistake {
            what: "counts rejected writes too",
            why: "a rejected write never landed: only accepted writes can be stale",
            apply: |a| {
                a.stale_writes = |ws| {
                    let mut hi = 0;
                    let mut out = Vec::new();
                    for (i, w) in ws.iter().enumerate() {
                        if w.token < hi {
                            out.push(i);
                        }
                        hi = hi.max(w.token);
                    }
                    out
                }
            },
        },
    ],
};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[FENCING_ACCEPTS, LATEST_SAFE_LOCAL_TIME, LEASE_MARGIN, STALE_WRITES];
