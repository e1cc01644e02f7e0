//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade;
use crate::byzantine::Order;
use crate::grade::{Mistake, Task};

fn count(values: &[Order]) -> (usize, usize) {
    let a = values.iter().filter(|&&v| v == Order::Attack).count();
    (a, values.len() - a)
}

fn strict(values: &[Order], tie: Order) -> Order {
    let (a, r) = count(values);
    match a.cmp(&r) {
        std::cmp::Ordering::Greater => Order::Attack,
        std::cmp::Ordering::Less => Order::Retreat,
        std::cmp::Ordering::Equal => tie,
    }
}

fn with_commander(said: Order, relayed: &[Order]) -> Vec<Order> {
    let mut v = vec![said];
    v.extend_from_slice(relayed);
    v
}

/// Task `majority`.
pub const MAJORITY: Task<Answers> = Task {
    name: "majority",
    grade: |c, a, seed| grade::grade_majority(c, a.majority, seed),
    mistakes: &[
        Mistake {
            what: "a tie goes to Attack (>= for >)",
            why: "a tie is no majority: ties go to Order::DEFAULT (Retreat)",
            apply: |a| a.majority = |v| strict(v, Order::Attack),
        },
        Mistake {
            what: "returns the first value",
            why: "a traitorous commander lies: count every value, more than half wins",
            apply: |a| a.majority = |v| v.first().copied().unwrap_or(Order::DEFAULT),
        },
        Mistake {
            what: "a tie goes to the first value (the commander's)",
            why: "a tie is no majority: ties go to Order::DEFAULT, whoever said what",
            apply: |a| a.majority = |v| strict(v, v.first().copied().unwrap_or(Order::DEFAULT)),
        },
        Mistake {
            what: "a tie goes to the last value heard",
            why: "a tie is no majority: ties go to Order::DEFAULT, whatever arrived last",
            apply: |a| a.majority = |v| strict(v, v.last().copied().unwrap_or(Order::DEFAULT)),
        },
    ],
};

/// Task `om1_decide`.
pub const OM1_DECIDE: Task<Answers> = Task {
    name: "om1_decide",
    grade: |c, a, seed| grade::grade_om1_decide(c, a.om1_decide, seed),
    mistakes: &[
        Mistake {
            what: "trusts the commander",
            why: "the commander may be the traitor: vote over what it said and every relay",
            apply: |a| a.om1_decide = |said, _| said,
        },
        Mistake {
            what: "votes over the relays only, leaving out what the commander said",
            why: "the commander's own word is one vote too: majority over commander_said plus relayed",
            apply: |a| a.om1_decide = |_, relayed| strict(relayed, Order::DEFAULT),
        },
        Mistake {
            what: "a tie goes to the commander's order",
            why: "a tie is no majority: ties go to Order::DEFAULT, not to the commander",
            apply: |a| a.om1_decide = |said, relayed| strict(&with_commander(said, relayed), said),
        },
        Mistake {
            what: "attacks only when everyone says Attack",
            why: "one traitor's lie must not decide: a plain majority over all values, ties to DEFAULT",
            apply: |a| {
                a.om1_decide = |said, relayed| {
                    if with_commander(said, relayed).iter().all(|&v| v == Order::Attack) {
                        Order::Attack
                    } else {
                        Order::Retreat
                    }
                }
            },
        },
    ],
};

/// Task `min_generals`.
pub const MIN_GENERALS: Task<Answers> = Task {
    name: "min_generals",
    grade: |c, a, seed| grade::grade_min_generals(c, a.min_generals, seed),
    mistakes: &[
        Mistake {
            what: "2f + 1 for oral messages (the crash-fault figure)",
            why: "lies are worse than crashes: oral messages need n ≥ 3f + 1",
            apply: |a| a.min_generals = |f, signed| if signed { f + 2 } else { 2 * f + 1 },
        },
        Mistake {
            what: "3f for oral messages (> for ≥)",
            why: "with 3f generals the loyal ones cannot tell who lies (three generals, one traitor): n ≥ 3f + 1",
            apply: |a| a.min_generals = |f, signed| if signed { f + 2 } else { 3 * f },
        },
        Mistake {
            what: "signatures do not help: 3f + 1 for both",
            why: "signatures stop relayed lies: SM needs only two loyal generals, n ≥ f + 2",
            apply: |a| a.min_generals = |f, _| 3 * f + 1,
        },
        Mistake {
            what: "f + 1 with signatures (one loyal general has no one to agree with)",
            why: "a single loyal general agrees with nobody: two must be left, n ≥ f + 2",
            apply: |a| a.min_generals = |f, signed| if signed { f + 1 } else { 3 * f + 1 },
        },
        Mistake {
            what: "2f + 1 with signatures",
            why: "signed messages cannot be forged, so no majority is needed: n ≥ f + 2",
            apply: |a| a.min_generals = |f, signed| if signed { 2 * f + 1 } else { 3 * f + 1 },
        },
    ],
};

/// Task `quorum_overlap`.
pub const QUORUM_OVERLAP: Task<Answers> = Task {
    name: "quorum_overlap",
    grade: |c, a, seed| grade::grade_quorum_overlap(c, a.quorum_overlap, seed),
    mistakes: &[
        Mistake {
            what: "q − n/2",
            why: "two q-sets of n nodes share at least q + q − n nodes: 2q − n, floored at 0",
            apply: |a| a.quorum_overlap = |n, q| q.saturating_sub(n / 2),
        },
        Mistake {
            what: "off by one: 2q − n + 1",
            why: "the overlap is 2q − n (floored at 0), not 2q − n + 1",
            apply: |a| a.quorum_overlap = |n, q| (2 * q + 1).saturating_sub(n).min(q),
        },
        Mistake {
            what: "n − q (the nodes outside a quorum)",
            why: "two quorums fill n slots with 2q members: at least 2q − n are counted twice",
            apply: |a| a.quorum_overlap = |n, q| n - q,
        },
        Mistake {
            what: "no floor at 0: 2q − n overflows when q < n/2",
            why: "when 2q ≤ n two quorums can be disjoint: return 0, and subtract without wrapping (saturating_sub)",
            apply: |a| a.quorum_overlap = |n, q| (2 * q).wrapping_sub(n),
        },
    ],
};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[MAJORITY, OM1_DECIDE, MIN_GENERALS, QUORUM_OVERLAP];
