//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade::{grade_deliver_in_order, grade_first_copies, grade_may_act, grade_one_way_delay};
use crate::grade::{Mistake, Task};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[ONE_WAY_DELAY, FIRST_COPIES, DELIVER_IN_ORDER, MAY_ACT];

/// Task `one_way_delay`.
pub const ONE_WAY_DELAY: Task<Answers> = Task {
    name: "one_way_delay",
    grade: |c, a, seed| grade_one_way_delay(a.one_way_delay, seed)(c),
    mistakes: &[
        Mistake {
            what: "propagation only",
            why: "a message also waits to be put on the wire: (queued_bytes + size)/bandwidth, then propagation",
            apply: |a| a.one_way_delay = |_, _, p, _| p,
        },
        Mistake {
            what: "forgot the queue ahead",
            why: "the bytes queued ahead go out first: (queued_bytes + size)/bandwidth",
            apply: |a| a.one_way_delay = |s, bw, p, _| p + s as f64 / bw,
        },
        Mistake {
            what: "bits, not bytes (×8)",
            why: "bandwidth is in bytes per second here, like the sizes: no factor 8",
            apply: |a| a.one_way_delay = |s, bw, p, q| p + 8.0 * (s + q) as f64 / bw,
        },
    ],
};

/// Task `first_copies`.
pub const FIRST_COPIES: Task<Answers> = Task {
    name: "first_copies",
    grade: |c, a, seed| grade_first_copies(a.first_copies, seed)(c),
    mistakes: &[
        Mistake {
            what: "only compares with the previous arrival",
            why: "a duplicate can come long after its original: remember every number seen (a set)",
            apply: |a| a.first_copies = |xs| (0..xs.len()).map(|i| i == 0 || xs[i] != xs[i - 1]).collect(),
        },
        Mistake {
            what: "anything not above the highest seen is a duplicate (treats reordering as duplication)",
            why: "a late arrival is reordered, not duplicated: only a number seen before is a duplicate",
            apply: |a| {
                a.first_copies = |xs| {
                    let mut hi: Option<u64> = None;
                    xs.iter()
                        .map(|&x| {
                            let new = hi.is_none_or(|h| x > h);
                            if new {
                                hi = Some(x);
                            }
                            new
                        })
                        .collect()
                }
            },
        },
    ],
};

/// Task `deliver_in_order`.
pub const DELIVER_IN_ORDER: Task<Answers> = Task {
    name: "deliver_in_order",
    grade: |c, a, seed| grade_deliver_in_order(a.deliver_in_order, seed)(c),
    mistakes: &[
        Mistake {
            what: "sorts and dedups everything, skipping gaps",
            why: "in-order delivery stops at the first number that never arrived",
            apply: |a| {
                a.deliver_in_order = |xs| {
                    let mut v = xs.to_vec();
                    v.sort_unstable();
                    v.dedup();
                    v
                }
            },
        },
        Mistake {
            what: "drops early arrivals instead of holding them back",
            why: "an early arrival waits in a buffer until every number before it has come",
            apply: |a| {
                a.deliver_in_order = |xs| {
                    let mut next = 0;
                    let mut out = vec![];
                    for &x in xs {
                        if x == next {
                            out.push(x);
                            next += 1;
                        }
                    }
                    out
                }
            },
        },
    ],
};

/// Task `may_act`.
pub const MAY_ACT: Task<Answers> = Task {
    name: "may_act",
    grade: |c, a, seed| grade_may_act(a.may_act, seed)(c),
    mistakes: &[
        Mistake {
            what: "at least half (ties let both sides act)",
            why: "in an even split both halves have exactly half: only a strict majority may act",
            apply: |a| a.may_act = |s, n| 2 * s >= n,
        },
        Mistake {
            what: "the bigger side, judged by the other side's size only",
            why: "a side cannot see the other side: judge by its own size against the whole cluster",
            apply: |a| a.may_act = |s, n| s > n - s || (s == n - s && s > 0),
        },
        Mistake {
            what: "any side with at least two nodes",
            why: "two sides of two nodes each would both act: require a strict majority of the cluster",
            apply: |a| a.may_act = |s, _| s >= 2,
        },
    ],
};
