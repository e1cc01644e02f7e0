//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade;
use crate::grade::{Mistake, Task};
use crate::logical::{Causality, Hlc};

/// Task `lamport`.
pub const LAMPORT: Task<Answers> = Task {
    name: "lamport",
    grade: |c, a, seed| grade::grade_lamport(c, a.lamport, seed),
    mistakes: &[
        Mistake {
            what: "a receive forgets the +1: max(own, received)",
            why: "every event ticks: a receive is max(own, received) + 1",
            apply: |a| a.lamport = |own, r| r.map_or(own + 1, |r| own.max(r)),
        },
        Mistake {
            what: "a receive takes the message's stamp + 1 without the max",
            why: "the receiver's own past counts too: max(own, received) + 1",
            apply: |a| a.lamport = |own, r| r.map_or(own + 1, |r| r + 1),
        },
        Mistake {
            what: "local events and sends do not tick",
            why: "every event ticks, local events and sends included: own + 1",
            apply: |a| a.lamport = |own, r| r.map_or(own, |r| own.max(r) + 1),
        },
    ],
};

/// Task `vector_receive`.
pub const VECTOR_RECEIVE: Task<Answers> = Task {
    name: "vector_receive",
    grade: |c, a, seed| grade::grade_vector_receive(c, a.vector_receive, seed),
    mistakes: &[
        Mistake {
            what: "merges but forgets to tick its own entry",
            why: "the receive is an event on this node: merge, then add 1 to entry me",
            apply: |a| a.vector_receive = |own, r, _| own.iter().zip(r).map(|(x, y)| *x.max(y)).collect(),
        },
        Mistake {
            what: "takes the message's vector and ticks, dropping its own past",
            why: "keep what this node already knew: entry-wise max of own and received, then tick entry me",
            apply: |a| {
                a.vector_receive = |_, r, me| {
                    let mut v = r.to_vec();
                    v[me] += 1;
                    v
                }
            },
        },
        Mistake {
            what: "adds the vectors instead of taking the maximum",
            why: "entries count events seen, not sums: take the entry-wise maximum, then tick entry me",
            apply: |a| {
                a.vector_receive = |own, r, me| {
                    let mut v: Vec<u64> = own.iter().zip(r).map(|(x, y)| x + y).collect();
                    v[me] += 1;
                    v
                }
            },
        },
    ],
};

fn reference_compare(a: &[u64], b: &[u64]) -> Causality {
    crate::logical::rules::compare_same_length(a, b)
}

/// Task `compare`.
pub const COMPARE: Task<Answers> = Task {
    name: "compare",
    grade: |c, a, seed| grade::grade_compare(c, a.compare, seed),
    mistakes: &[
        Mistake {
            what: "calls equal vectors concurrent",
            why: "equal vectors are the same event: Equal, not Concurrent",
            apply: |a| {
                a.compare = |x, y| match reference_compare(x, y) {
                    Causality::Equal => Causality::Concurrent,
                    other => other,
                }
            },
        },
        Mistake {
            what: "uses ≤ for <: equal vectors are 'before'",
            why: "Before needs a strictly smaller entry somewhere: equal vectors are Equal",
            apply: |a| {
                a.compare = |x, y| match reference_compare(x, y) {
                    Causality::Equal => Causality::Before,
                    other => other,
                }
            },
        },
        Mistake {
            what: "compares the sums of the entries",
            why: "compare entry by entry: a ≤ b everywhere with one <, else concurrent when both directions differ",
            apply: |a| {
                a.compare = |x, y| match x.iter().sum::<u64>().cmp(&y.iter().sum::<u64>()) {
                    std::cmp::Ordering::Less => Causality::Before,
                    std::cmp::Ordering::Greater => Causality::After,
                    std::cmp::Ordering::Equal if x == y => Causality::Equal,
                    std::cmp::Ordering::Equal => Causality::Concurrent,
                }
            },
        },
        Mistake {
            what: "Before and After swapped",
            why: "a is Before b when every entry of a ≤ b's (one strictly): check the direction",
            apply: |a| {
                a.compare = |x, y| match reference_compare(x, y) {
                    Causality::Before => Causality::After,
                    Causality::After => Causality::Before,
                    other => other,
                }
            },
        },
    ],
};

/// Task `hlc`.
pub const HLC: Task<Answers> = Task {
    name: "hlc",
    grade: |c, a, seed| grade::grade_hlc(c, a.hlc, seed),
    mistakes: &[
        Mistake {
            what: "ignores physical time (a Lamport clock on l)",
            why: "l follows the largest physical time heard of: l = max(own.l, pt, received.l)",
            apply: |a| {
                a.hlc = |own, _pt, m| {
                    let l = own.l_s.max(m.map_or(f64::NEG_INFINITY, |m| m.l_s));
                    let c = if m.is_some_and(|m| m.l_s > own.l_s) {
                        m.map_or(0, |m| m.c) + 1
                    } else {
                        own.c + 1
                    };
                    Hlc { l_s: l, c }
                }
            },
        },
        Mistake {
            what: "never resets the counter when the physical clock moves l on",
            why: "c counts events since l last changed: when pt moves l on, c restarts at 0",
            apply: |a| {
                a.hlc = |own, pt, m| {
                    let r = crate::logical::rules::hlc(own, pt, m);
                    if r.c == 0 { Hlc { c: own.c + 1, ..r } } else { r }
                }
            },
        },
        Mistake {
            what: "a receive with l equal on both sides takes own c + 1, not max(c, m.c) + 1",
            why: "when both sides share l, the event follows both of them: c = max(own.c, m.c) + 1",
            apply: |a| {
                a.hlc = |own, pt, m| match m {
                    Some(msg) if own.l_s == msg.l_s && own.l_s >= pt => Hlc {
                        l_s: own.l_s,
                        c: own.c + 1,
                    },
                    _ => crate::logical::rules::hlc(own, pt, m),
                }
            },
        },
        Mistake {
            what: "a receive that takes l from the message resets c to 0",
            why: "l taken from the message continues its count: c = m.c + 1",
            apply: |a| {
                a.hlc = |own, pt, m| {
                    let r = crate::logical::rules::hlc(own, pt, m);
                    match m {
                        Some(msg) if r.l_s == msg.l_s && r.l_s != own.l_s => Hlc { c: 0, ..r },
                        _ => r,
                    }
                }
            },
        },
        Mistake {
            what: "a local event whose physical clock reads exactly l restarts c at 0 (>= for >)",
            why: "c counts events with the same l: pt = l is a tie, so c = own.c + 1; restart only when pt > l",
            apply: |a| {
                a.hlc = |own, pt, m| match m {
                    None if pt >= own.l_s => Hlc { l_s: pt, c: 0 },
                    _ => crate::logical::rules::hlc(own, pt, m),
                }
            },
        },
        Mistake {
            what: "a receive whose physical clock reads exactly the message's l restarts c at 0",
            why: "pt = m.l is a tie: the event follows the message, so c = m.c + 1 (and max with own.c when l ties too)",
            apply: |a| {
                a.hlc = |own, pt, m| match m {
                    Some(msg) if pt >= own.l_s && pt >= msg.l_s => Hlc { l_s: pt, c: 0 },
                    _ => crate::logical::rules::hlc(own, pt, m),
                }
            },
        },
    ],
};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[LAMPORT, VECTOR_RECEIVE, COMPARE, HLC];
