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
            why: "",
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
            why: "",
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
            why: "",
            apply: |a| {
                a.uncertainty = |r, since, err, b| TtInterval {
                    earliest: r,
                    latest: r + err + b * 1e-6 * since,
                }
            },
        },
        Mistake {
            what: "total width ε instead of 2ε",
            why: "",
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
            why: "",
            apply: |a| a.can_commit = |s, now| now.earliest >= s,
        },
        Mistake {
            what: "waits for latest instead of earliest",
            why: "",
            apply: |a| a.can_commit = |s, now| now.latest > s,
        },
        Mistake {
            what: "no commit wait at all",
            why: "",
            apply: |a| a.can_commit = |_, _| true,
        },
        Mistake {
            what: "waits an extra 2ε to be safe",
            why: "",
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
            why: "",
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
            why: "",
            apply: |a| a.order = |x, y| (x.earliest + x.latest).partial_cmp(&(y.earliest + y.latest)),
        },
        Mistake {
            what: "compares the earliest ends only",
            why: "",
            apply: |a| a.order = |x, y| x.earliest.partial_cmp(&y.earliest),
        },
        Mistake {
            what: "Less and Greater swapped",
            why: "",
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
            why: "",
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
            why: "",
            apply: |a| a.lost_writes = |ts| ts.windows(2).filter(|w| w[1] <= w[0]).count(),
        },
        Mistake {
            what: "counts every out-of-order pair",
            why: "",
            apply: |a| a.lost_writes = |ts| (0..ts.len()).map(|j| (0..j).filter(|&i| ts[j] <= ts[i]).count()).sum(),
        },
    ],
};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[UNCERTAINTY, CAN_COMMIT, ORDER, LOST_WRITES];
