//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade;
use crate::grade::{Mistake, Task};
use crate::ordering::{TtInterval, order};
use std::cmp::Ordering;

/// Task `uncertainty`.
pub const UNCERTAINTY: Task<Answers> = Task {
    name: "uncertainty",
    grade: |c, a, seed| grade::grade_uncertainty(c, a.uncertainty, seed),
    mistakes: &[
        Mistake {
            what: "forgot the sync error",
            why: "the clock was only within sync_error_s of true time to begin with: add it to ε",
            apply: |a| {
                a.uncertainty = |r, since, _, b| {
                    let e = b * 1e-6 * since;
                    TtInterval {
                        earliest: r - e,
                        latest: r + e,
                    }
                }
            },
        },
        Mistake {
            what: "forgot the 10⁻⁶ of ppm",
            why: "ppm means parts per million: drift is since_sync_s·ppm·10⁻⁶",
            apply: |a| {
                a.uncertainty = |r, since, err, b| {
                    let e = err + b * since;
                    TtInterval {
                        earliest: r - e,
                        latest: r + e,
                    }
                }
            },
        },
        Mistake {
            what: "one-sided: [reading, reading + ε]",
            why: "the clock may be ahead or behind: [reading − ε, reading + ε]",
            apply: |a| {
                a.uncertainty = |r, since, err, b| TtInterval {
                    earliest: r,
                    latest: r + err + b * 1e-6 * since,
                }
            },
        },
        Mistake {
            what: "total width ε instead of 2ε",
            why: "ε bounds the error either way: the interval is reading ± ε",
            apply: |a| {
                a.uncertainty = |r, since, err, b| {
                    let e = (err + b * 1e-6 * since) / 2.0;
                    TtInterval {
                        earliest: r - e,
                        latest: r + e,
                    }
                }
            },
        },
    ],
};

/// Task `can_commit`.
pub const CAN_COMMIT: Task<Answers> = Task {
    name: "can_commit",
    grade: |c, a, seed| grade::grade_can_commit(c, a.can_commit, seed),
    mistakes: &[
        Mistake {
            what: "earliest ≥ stamp (>= for >)",
            why: "stamp is certainly past only when the earliest possible now exceeds it: earliest > stamp",
            apply: |a| a.can_commit = |s, now| now.earliest >= s,
        },
        Mistake {
            what: "waits for latest instead of earliest",
            why: "compare with now.earliest: once even the earliest possible time is past the stamp",
            apply: |a| a.can_commit = |s, now| now.latest > s,
        },
        Mistake {
            what: "no commit wait at all",
            why: "acknowledge only once stamp is certainly in the past, or a later transaction could get a smaller timestamp",
            apply: |a| a.can_commit = |_, _| true,
        },
        Mistake {
            what: "waits an extra 2ε to be safe",
            why: "the wait ends as soon as earliest > stamp: longer waits cost latency for nothing",
            apply: |a| a.can_commit = |s, now| now.earliest > s + now.width(),
        },
    ],
};

/// Task `order`.
pub const ORDER: Task<Answers> = Task {
    name: "order",
    grade: |c, a, seed| grade::grade_order(c, a.order, seed),
    mistakes: &[
        Mistake {
            what: "touching intervals ordered (<= for <)",
            why: "intervals that touch may hold the same instant: only a.latest < b.earliest orders them",
            apply: |a| {
                a.order = |x, y| {
                    if x.latest <= y.earliest {
                        Some(Ordering::Less)
                    } else if y.latest <= x.earliest {
                        Some(Ordering::Greater)
                    } else {
                        None
                    }
                }
            },
        },
        Mistake {
            what: "compares the midpoints (always orders)",
            why: "overlapping intervals cannot tell the order: return None",
            apply: |a| a.order = |x, y| (x.earliest + x.latest).partial_cmp(&(y.earliest + y.latest)),
        },
        Mistake {
            what: "compares the earliest ends only",
            why: "a is certainly before b only when a's latest is before b's earliest",
            apply: |a| a.order = |x, y| x.earliest.partial_cmp(&y.earliest),
        },
        Mistake {
            what: "Less and Greater swapped",
            why: "Some(Less) means a happened before b",
            apply: |a| a.order = |x, y| order(x, y).map(Ordering::reverse),
        },
    ],
};

/// Task `lost_writes`.
pub const LOST_WRITES: Task<Answers> = Task {
    name: "lost_writes",
    grade: |c, a, seed| grade::grade_lost_writes(c, a.lost_writes, seed),
    mistakes: &[
        Mistake {
            what: "a tie keeps the newer write (< for <=)",
            why: "last-write-wins drops a write whose timestamp is not strictly greater: a tie loses it",
            apply: |a| {
                a.lost_writes = |ts| {
                    let mut hi = f64::NEG_INFINITY;
                    let mut lost = 0;
                    for &t in ts {
                        if t >= hi {
                            hi = t;
                        } else {
                            lost += 1;
                        }
                    }
                    lost
                }
            },
        },
        Mistake {
            what: "compares with the previous write only",
            why: "a replica holds the greatest timestamp so far, not the previous write's",
            apply: |a| a.lost_writes = |ts| ts.windows(2).filter(|w| w[1] <= w[0]).count(),
        },
        Mistake {
            what: "counts every out-of-order pair",
            why: "count writes lost on arrival, each once: those not above the greatest so far",
            apply: |a| a.lost_writes = |ts| (0..ts.len()).map(|j| (0..j).filter(|&i| ts[j] <= ts[i]).count()).sum(),
        },
    ],
};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[UNCERTAINTY, CAN_COMMIT, ORDER, LOST_WRITES];
