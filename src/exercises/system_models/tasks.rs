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
            why: "a safety property can be refuted by a finite prefix; a liveness one ('eventually') never can",
            apply: |a| a.is_safety = |_| true,
        },
        Mistake {
            what: "the two swapped: 'eventually' read as something that can be refuted",
            why: "'eventually' is liveness: a finite run cannot refute it; 'never'/'at most' are safety",
            apply: |a| a.is_safety = |p| !truth::is_safety(p),
        },
        Mistake {
            what: "a deadline read as liveness: 'answered within 1 s' called liveness",
            why: "a deadline is safety: the run that misses it shows the violation at a finite point",
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
            why: "one holder may write several times under one token: only a token below the highest accepted is stale",
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
            why: "a safety checker returns the first violating event: the shortest prefix that shows it",
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
            why: "return the index of the violating write itself",
            apply: |a| a.first_stale_write = |w: &[AppliedWrite]| truth::first_stale_write(w).map(|i| i + 1),
        },
        Mistake {
            what: "rejected writes raise the highest token too",
            why: "only an accepted write raises the highest token seen; a refused one changes nothing",
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
            why: "a delay equal to the bound is within it: late means strictly greater",
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
            why: "GST is just after the last late message: messages sent from then on meet the bound",
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
            why: "order by send time, not by index: messages of one broadcast share a send time",
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
            why: "a message never delivered took longer than any bound: it is late",
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
            why: "after GST a heartbeat can take up to the bound: the timeout must exceed heartbeat + bound",
            apply: |a| a.election_timeout = |h, _| (3.0 * h, 6.0 * h),
        },
        Mistake {
            what: "shorter than a late heartbeat: (heartbeat, 2 heartbeats)",
            why: "followers time out before a heartbeat delayed by the bound arrives: add the bound",
            apply: |a| a.election_timeout = |h, _| (h, 2.0 * h),
        },
        Mistake {
            what: "far too wide: elections wait for slow timeouts",
            why: "a leader is needed within T: keep the upper end of the range small enough",
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
