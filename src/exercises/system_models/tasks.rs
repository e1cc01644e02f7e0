//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade;
use crate::grade::{Mistake, Task};
use crate::lease::AppliedWrite;
use crate::models::truth;
use crate::models::{Consistent, DelayRun, Property};

/// Task `is_safety`.
pub const IS_SAFETY: Task<Answers> = Task {
    name: "is_safety",
    grade: |c, a, seed| grade::grade_is_safety(c, a.is_safety, seed),
    mistakes: &[
        Mistake {
            what: "every property is safety",
            apply: |a| a.is_safety = |_| true,
        },
        Mistake {
            what: "the two swapped: 'eventually' read as something that can be refuted",
            apply: |a| a.is_safety = |p| !truth::is_safety(p),
        },
        Mistake {
            what: "a deadline read as liveness: 'answered within 1 s' called liveness",
            apply: |a| a.is_safety = |p| p != Property::AnsweredWithinOneSecond && truth::is_safety(p),
        },
    ],
};

/// Task `first_stale_write`.
pub const FIRST_STALE_WRITE: Task<Answers> = Task {
    name: "first_stale_write",
    grade: |c, a, seed| grade::grade_first_stale_write(c, a.first_stale_write, seed),
    mistakes: &[
        Mistake {
            what: "`<=` for `<`: an equal token (the same holder writing again) flagged",
            apply: |a| {
                a.first_stale_write = |w: &[AppliedWrite]| {
                    let mut top: Option<u64> = None;
                    for (i, x) in w.iter().enumerate().filter(|(_, x)| x.accepted) {
                        if top.is_some_and(|t| x.token <= t) {
                            return Some(i);
                        }
                        top = Some(top.map_or(x.token, |t| t.max(x.token)));
                    }
                    None
                }
            },
        },
        Mistake {
            what: "returns the last violation, not the first",
            apply: |a| {
                a.first_stale_write = |w: &[AppliedWrite]| {
                    let mut top: Option<u64> = None;
                    let mut found = None;
                    for (i, x) in w.iter().enumerate().filter(|(_, x)| x.accepted) {
                        if top.is_some_and(|t| x.token < t) {
                            found = Some(i);
                        }
                        top = Some(top.map_or(x.token, |t| t.max(x.token)));
                    }
                    found
                }
            },
        },
        Mistake {
            what: "off by one: the index after the violating write",
            apply: |a| a.first_stale_write = |w: &[AppliedWrite]| truth::first_stale_write(w).map(|i| i + 1),
        },
        Mistake {
            what: "rejected writes raise the highest token too",
            apply: |a| {
                a.first_stale_write = |w: &[AppliedWrite]| {
                    let mut top: Option<u64> = None;
                    for (i, x) in w.iter().enumerate() {
                        if x.accepted && top.is_some_and(|t| x.token < t) {
                            return Some(i);
                        }
                        top = Some(top.map_or(x.token, |t| t.max(x.token)));
                    }
                    None
                }
            },
        },
    ],
};

/// Task `timing_model`.
pub const TIMING_MODEL: Task<Answers> = Task {
    name: "timing_model",
    grade: |c, a, seed| grade::grade_timing_model(c, a.timing_model, seed),
    mistakes: &[
        Mistake {
            what: "`>=` for `>`: a message that took exactly the bound called late",
            apply: |a| {
                a.timing_model = |r: &DelayRun, b| {
                    let late = |d: &crate::models::Delivery| d.delivered_s.unwrap_or(r.end_s) - d.sent_s >= b;
                    let Some(k) = r.deliveries.iter().rposition(late) else {
                        return Consistent::Synchronous;
                    };
                    let t = r.deliveries[k].sent_s;
                    r.deliveries[k..]
                        .iter()
                        .find(|d| d.sent_s > t)
                        .map_or(Consistent::Asynchronous, |d| Consistent::PartiallySynchronous {
                            gst_s: d.sent_s,
                        })
                }
            },
        },
        Mistake {
            what: "GST at the last late message's own send time",
            apply: |a| {
                a.timing_model = |r: &DelayRun, b| match truth::strongest_model(r, b) {
                    Consistent::PartiallySynchronous { .. } => {
                        let k = r
                            .deliveries
                            .iter()
                            .rposition(|d| truth::late(d.sent_s, d.delivered_s, r.end_s, b))
                            .unwrap_or(0);
                        Consistent::PartiallySynchronous {
                            gst_s: r.deliveries[k].sent_s,
                        }
                    }
                    other => other,
                }
            },
        },
        Mistake {
            what: "GST at the next message by index: a message sent in the same broadcast as a late one counted as after it",
            apply: |a| {
                a.timing_model = |r: &DelayRun, b| {
                    let Some(k) = r
                        .deliveries
                        .iter()
                        .rposition(|d| truth::late(d.sent_s, d.delivered_s, r.end_s, b))
                    else {
                        return Consistent::Synchronous;
                    };
                    r.deliveries
                        .get(k + 1)
                        .map_or(Consistent::Asynchronous, |d| Consistent::PartiallySynchronous {
                            gst_s: d.sent_s,
                        })
                }
            },
        },
        Mistake {
            what: "lost messages ignored: a message never delivered is not late",
            apply: |a| {
                a.timing_model = |r: &DelayRun, b| {
                    let kept = DelayRun {
                        deliveries: r
                            .deliveries
                            .iter()
                            .map(|d| crate::models::Delivery {
                                delivered_s: Some(d.delivered_s.unwrap_or(d.sent_s)),
                                ..*d
                            })
                            .collect(),
                        end_s: r.end_s,
                    };
                    truth::strongest_model(&kept, b)
                }
            },
        },
    ],
};

/// Task `election_timeout`.
pub const ELECTION_TIMEOUT: Task<Answers> = Task {
    name: "election_timeout",
    grade: |c, a, seed| grade::grade_election_timeout(c, a.election_timeout, seed),
    mistakes: &[
        Mistake {
            what: "chapter 9's rule, the bound ignored: (3 heartbeats, 6 heartbeats)",
            apply: |a| a.election_timeout = |h, _| (3.0 * h, 6.0 * h),
        },
        Mistake {
            what: "shorter than a late heartbeat: (heartbeat, 2 heartbeats)",
            apply: |a| a.election_timeout = |h, _| (h, 2.0 * h),
        },
        Mistake {
            what: "far too wide: elections wait for slow timeouts",
            apply: |a| {
                a.election_timeout = |h, b| {
                    let (lo, _) = truth::election_timeout(h, b);
                    (lo, 40.0 * lo)
                }
            },
        },
    ],
};

/// All tasks, in order.
pub const TASKS: &[Task<Answers>] = &[IS_SAFETY, FIRST_STALE_WRITE, TIMING_MODEL, ELECTION_TIMEOUT];
