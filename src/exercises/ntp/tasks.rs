//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::figures::slew;
use super::grade;
use crate::grade::{Mistake, Task};
use crate::ntp::sntp::{ERA, NTP_UNIX_OFFSET};
use crate::ntp::{Adjustment, Sample, intersect};

/// Task `offset`.
pub const OFFSET: Task<Answers> = Task {
    name: "offset",
    grade: |c, a, seed| grade::grade_offset(c, a.offset, seed),
    mistakes: &[
        Mistake {
            what: "flipped sign (client minus server)",
            why: "θ is the server's clock minus yours, the amount to add to your clock: ((t2 − t1) + (t3 − t4))/2",
            apply: |a| a.offset = |t| ((t.t1 - t.t2) + (t.t4 - t.t3)) / 2.0,
        },
        Mistake {
            what: "forgot to halve",
            why: "each leg's difference is θ plus or minus a delay: their mean, not their sum, cancels the delays",
            apply: |a| a.offset = |t| (t.t2 - t.t1) + (t.t3 - t.t4),
        },
        Mistake {
            what: "outbound leg only (t2 − t1)",
            why: "t2 − t1 is θ plus the outbound delay: average it with t3 − t4 (θ minus the return delay)",
            apply: |a| a.offset = |t| t.t2 - t.t1,
        },
        Mistake {
            what: "assumed the server replies instantly (t3 = t2)",
            why: "the server holds the request from t2 to t3: the return leg starts at t3",
            apply: |a| a.offset = |t| ((t.t2 - t.t1) + (t.t2 - t.t4)) / 2.0,
        },
    ],
};

/// Task `delay`.
pub const DELAY: Task<Answers> = Task {
    name: "delay",
    grade: |c, a, seed| grade::grade_delay(c, a.delay, seed),
    mistakes: &[
        Mistake {
            what: "forgot to take out the server's processing time",
            why: "t4 − t1 includes the time the server held the request, t3 − t2: subtract it",
            apply: |a| a.delay = |t| t.t4 - t.t1,
        },
        Mistake {
            what: "one-way delay (halved)",
            why: "δ is both ways together: do not halve the round trip",
            apply: |a| a.delay = |t| ((t.t4 - t.t1) - (t.t3 - t.t2)) / 2.0,
        },
        Mistake {
            what: "added the processing time instead of subtracting",
            why: "the server's holding time t3 − t2 is not on the network: subtract it",
            apply: |a| a.delay = |t| (t.t4 - t.t1) + (t.t3 - t.t2),
        },
    ],
};

/// Task `clock_filter`.
pub const CLOCK_FILTER: Task<Answers> = Task {
    name: "clock_filter",
    grade: |c, a, seed| grade::grade_clock_filter(c, a.clock_filter, seed),
    mistakes: &[
        Mistake {
            what: "trusts the most recent sample",
            why: "recent is not accurate: queueing adds delay, and a sample's error is bounded by half its delay",
            apply: |a| a.clock_filter = |w| *w.last().expect("not empty"),
        },
        Mistake {
            what: "trusts the smallest offset",
            why: "the offset is what you measure, not how good it is: pick by delay",
            apply: |a| {
                a.clock_filter = |w| {
                    *w.iter()
                        .min_by(|x, y| x.offset.abs().total_cmp(&y.offset.abs()))
                        .expect("not empty")
                }
            },
        },
        Mistake {
            what: "the last of equally delayed samples (<= for <)",
            why: "of samples with the same smallest delay, keep the first (the oldest): replace only on a strictly smaller delay",
            apply: |a| {
                a.clock_filter = |w| {
                    let mut best = w[0];
                    for s in &w[1..] {
                        if s.delay <= best.delay {
                            best = *s;
                        }
                    }
                    best
                }
            },
        },
        Mistake {
            what: "largest delay (max for min)",
            why: "the least-delayed sample has the tightest error bound δ/2",
            apply: |a| a.clock_filter = |w| *w.iter().max_by(|x, y| x.delay.total_cmp(&y.delay)).expect("not empty"),
        },
        Mistake {
            what: "averages the window",
            why: "averaging keeps the error of the queued samples: take the least-delayed one",
            apply: |a| {
                a.clock_filter = |w| {
                    let n = w.len() as f64;
                    Sample {
                        offset: w.iter().map(|s| s.offset).sum::<f64>() / n,
                        delay: w.iter().map(|s| s.delay).sum::<f64>() / n,
                    }
                }
            },
        },
    ],
};

/// Task `intersect`.
pub const INTERSECT: Task<Answers> = Task {
    name: "intersect",
    grade: |c, a, seed| grade::grade_intersect(c, a.intersect, seed),
    mistakes: &[
        Mistake {
            what: "demands that every interval agree (f = 0 only)",
            why: "a falseticker's interval may miss the others: allow f liars, for f < n/2",
            apply: |a| {
                a.intersect = |iv| {
                    let lo = iv.iter().map(|i| i.0).fold(f64::NEG_INFINITY, f64::max);
                    let hi = iv.iter().map(|i| i.1).fold(f64::INFINITY, f64::min);
                    (!iv.is_empty() && lo <= hi).then_some((lo, hi))
                }
            },
        },
        Mistake {
            what: "no majority rule (f may reach n − 1)",
            why: "without a majority (f < n/2) the liars could outvote the truth: return None",
            apply: |a| {
                a.intersect = |iv| {
                    let mut padded = iv.to_vec();
                    // As many copies of a wide interval as there are intervals: the real
                    // algorithm then never runs out of f before finding some overlap.
                    padded.extend(std::iter::repeat_n((-1e9, 1e9), iv.len()));
                    intersect(&padded).map(|i| (i.low, i.high))
                }
            },
        },
        Mistake {
            what: "touching intervals do not overlap (ends sorted before starts)",
            why: "at equal values sort starts before ends, so intervals that only touch share that point",
            apply: |a| {
                a.intersect = |iv| {
                    // Shrinking every interval a hair makes touching ones disjoint.
                    let shrunk: Vec<(f64, f64)> = iv.iter().map(|&(l, h)| (l + 1e-9, h - 1e-9)).collect();
                    intersect(&shrunk).map(|i| (i.low - 1e-9, i.high + 1e-9))
                }
            },
        },
        Mistake {
            what: "f in 0..=(n − 1)/2: usize underflow when no interval is given",
            why: "with no intervals there is no majority: return None (n − 1 underflows for n = 0; loop while f < n/2, e.g. 0..n.div_ceil(2))",
            apply: |a| {
                a.intersect = |iv| {
                    let n = iv.len();
                    let _ = (n - 1) / 2;
                    intersect(iv).map(|i| (i.low, i.high))
                }
            },
        },
        Mistake {
            what: "returns the span of all intervals",
            why: "the answer is where at least n − f intervals overlap, not their union",
            apply: |a| {
                a.intersect = |iv| {
                    let lo = iv.iter().map(|i| i.0).fold(f64::INFINITY, f64::min);
                    let hi = iv.iter().map(|i| i.1).fold(f64::NEG_INFINITY, f64::max);
                    (!iv.is_empty()).then_some((lo, hi))
                }
            },
        },
    ],
};

/// Task `discipline`.
pub const DISCIPLINE: Task<Answers> = Task {
    name: "discipline",
    grade: |c, a, seed| grade::grade_discipline(c, a.discipline, seed),
    mistakes: &[
        Mistake {
            what: "always steps",
            why: "below the threshold slew: a step makes the clock jump, even backwards",
            apply: |a| a.discipline = |t, _, _| Adjustment::Step { by_s: t },
        },
        Mistake {
            what: "steps the wrong way",
            why: "θ is the amount to add: Step { by_s: θ }",
            apply: |a| {
                a.discipline = |t, thr, max| {
                    if t.abs() > thr {
                        Adjustment::Step { by_s: -t }
                    } else {
                        slew(t, max)
                    }
                }
            },
        },
        Mistake {
            what: "steps at exactly the threshold (>= for >)",
            why: "step only when |θ| exceeds the threshold: at exactly the threshold, slew",
            apply: |a| {
                a.discipline = |t, thr, max| {
                    if t.abs() >= thr {
                        Adjustment::Step { by_s: t }
                    } else {
                        slew(t, max)
                    }
                }
            },
        },
        Mistake {
            what: "slews the wrong way",
            why: "slew in θ's direction: rate_ppm has θ's sign",
            apply: |a| {
                a.discipline = |t, thr, max| {
                    if t.abs() > thr {
                        Adjustment::Step { by_s: t }
                    } else {
                        slew(-t, max)
                    }
                }
            },
        },
        Mistake {
            what: "duration forgets the 10⁻⁶ of ppm",
            why: "ppm means parts per million: at r ppm the clock gains r·10⁻⁶ s a second, so |θ| takes |θ|/(r·10⁻⁶) s",
            apply: |a| {
                a.discipline = |t, thr, max| {
                    if t.abs() > thr {
                        Adjustment::Step { by_s: t }
                    } else {
                        Adjustment::Slew {
                            rate_ppm: max.copysign(t),
                            duration_s: t.abs() / max,
                        }
                    }
                }
            },
        },
        Mistake {
            what: "slews at half the allowed rate, for twice as long",
            why: "slew at the fastest allowed rate, ±max_slew_ppm: the clock is wrong for as short a time as possible",
            apply: |a| {
                a.discipline = |t, thr, max| {
                    if t.abs() > thr {
                        Adjustment::Step { by_s: t }
                    } else {
                        slew(t, max / 2.0)
                    }
                }
            },
        },
        Mistake {
            what: "never steps",
            why: "above the threshold a slew takes too long (0.5 ms a second at 500 ppm): step",
            apply: |a| a.discipline = |t, _, max| slew(t, max),
        },
    ],
};

/// Task `ntp_to_unix`.
pub const NTP_TO_UNIX: Task<Answers> = Task {
    name: "ntp_to_unix",
    grade: |c, a, seed| grade::grade_ntp_to_unix(c, a.ntp_to_unix, seed),
    mistakes: &[
        Mistake {
            what: "forgot the 70 years between 1900 and 1970",
            why: "NTP counts from 1900, Unix from 1970: subtract NTP_UNIX_OFFSET (2 208 988 800 s)",
            apply: |a| a.ntp_to_unix = |n, _| (n >> 32) as f64 + (n & 0xffff_ffff) as f64 / ERA,
        },
        Mistake {
            what: "read the fraction as microseconds",
            why: "the low 32 bits count units of 2⁻³² s: divide by 2³² (ERA)",
            apply: |a| {
                a.ntp_to_unix = |n, p| {
                    let s = (n >> 32) as f64 - NTP_UNIX_OFFSET as f64 + (n & 0xffff_ffff) as f64 * 1e-6;
                    s + ((p - s) / ERA).round() * ERA
                }
            },
        },
        Mistake {
            what: "ignored the era (always era 0)",
            why: "the seconds wrap every 2³² s: add the multiple of ERA that lands nearest pivot_unix",
            apply: |a| {
                a.ntp_to_unix = |n, _| (n >> 32) as f64 - NTP_UNIX_OFFSET as f64 + (n & 0xffff_ffff) as f64 / ERA
            },
        },
        Mistake {
            what: "whole seconds only",
            why: "the low 32 bits hold the fraction of a second: add them as a fraction of 2³²",
            apply: |a| {
                a.ntp_to_unix = |n, p| {
                    let s = (n >> 32) as f64 - NTP_UNIX_OFFSET as f64;
                    s + ((p - s) / ERA).round() * ERA
                }
            },
        },
    ],
};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[OFFSET, DELAY, CLOCK_FILTER, INTERSECT, DISCIPLINE, NTP_TO_UNIX];
