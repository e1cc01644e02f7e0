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
            apply: |a| a.offset = |t| ((t.t1 - t.t2) + (t.t4 - t.t3)) / 2.0,
        },
        Mistake {
            what: "forgot to halve",
            apply: |a| a.offset = |t| (t.t2 - t.t1) + (t.t3 - t.t4),
        },
        Mistake {
            what: "outbound leg only (t2 − t1)",
            apply: |a| a.offset = |t| t.t2 - t.t1,
        },
        Mistake {
            what: "assumed the server replies instantly (t3 = t2)",
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
            apply: |a| a.delay = |t| t.t4 - t.t1,
        },
        Mistake {
            what: "one-way delay (halved)",
            apply: |a| a.delay = |t| ((t.t4 - t.t1) - (t.t3 - t.t2)) / 2.0,
        },
        Mistake {
            what: "added the processing time instead of subtracting",
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
            apply: |a| a.clock_filter = |w| *w.last().expect("not empty"),
        },
        Mistake {
            what: "trusts the smallest offset",
            apply: |a| {
                a.clock_filter = |w| {
                    *w.iter()
                        .min_by(|x, y| x.offset.abs().total_cmp(&y.offset.abs()))
                        .expect("not empty")
                }
            },
        },
        Mistake {
            what: "largest delay (max for min)",
            apply: |a| a.clock_filter = |w| *w.iter().max_by(|x, y| x.delay.total_cmp(&y.delay)).expect("not empty"),
        },
        Mistake {
            what: "averages the window",
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
            apply: |a| {
                a.intersect = |iv| {
                    // Shrinking every interval a hair makes touching ones disjoint.
                    let shrunk: Vec<(f64, f64)> = iv.iter().map(|&(l, h)| (l + 1e-9, h - 1e-9)).collect();
                    intersect(&shrunk).map(|i| (i.low - 1e-9, i.high + 1e-9))
                }
            },
        },
        Mistake {
            what: "returns the span of all intervals",
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
            apply: |a| a.discipline = |t, _, _| Adjustment::Step { by_s: t },
        },
        Mistake {
            what: "steps the wrong way",
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
            what: "never steps",
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
            apply: |a| a.ntp_to_unix = |n, _| (n >> 32) as f64 + (n & 0xffff_ffff) as f64 / ERA,
        },
        Mistake {
            what: "read the fraction as microseconds",
            apply: |a| {
                a.ntp_to_unix = |n, p| {
                    let s = (n >> 32) as f64 - NTP_UNIX_OFFSET as f64 + (n & 0xffff_ffff) as f64 * 1e-6;
                    s + ((p - s) / ERA).round() * ERA
                }
            },
        },
        Mistake {
            what: "ignored the era (always era 0)",
            apply: |a| {
                a.ntp_to_unix = |n, _| (n >> 32) as f64 - NTP_UNIX_OFFSET as f64 + (n & 0xffff_ffff) as f64 / ERA
            },
        },
        Mistake {
            what: "whole seconds only",
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
