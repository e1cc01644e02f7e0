//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade;
use crate::grade::{Mistake, Task};

/// Task `pick_timeout`.
pub const PICK_TIMEOUT: Task<Answers> = Task {
    name: "pick_timeout",
    grade: |c, a, seed| grade::grade_pick_timeout(c, a.pick_timeout, seed),
    mistakes: &[
        Mistake {
            what: "mean plus three standard deviations",
            apply: |a| {
                a.pick_timeout = |r, _| {
                    let n = r.len() as f64;
                    let m = r.iter().sum::<f64>() / n;
                    m + 3.0 * (r.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n).sqrt()
                }
            },
        },
        Mistake {
            what: "the max_timeouts quantile instead of 1 − max_timeouts",
            apply: |a| {
                a.pick_timeout = |r, f| {
                    let mut s = r.to_vec();
                    s.sort_by(f64::total_cmp);
                    crate::sim::quantile_sorted(&s, f)
                }
            },
        },
        Mistake {
            what: "the largest RTT ever seen",
            apply: |a| a.pick_timeout = |r, _| r.iter().copied().fold(0.0, f64::max),
        },
        Mistake {
            what: "one rank too low (ignores the strict >)",
            apply: |a| {
                a.pick_timeout = |r, f| {
                    let mut s = r.to_vec();
                    s.sort_by(f64::total_cmp);
                    let k = ((1.0 - f) * s.len() as f64).ceil() as usize;
                    s[k.saturating_sub(2)]
                }
            },
        },
    ],
};

/// Task `worst_detection_time`.
pub const WORST_DETECTION_TIME: Task<Answers> = Task {
    name: "worst_detection_time",
    grade: |c, a, seed| grade::grade_worst_detection_time(c, a.worst_detection_time, seed),
    mistakes: &[
        Mistake {
            what: "interval + timeout",
            apply: |a| a.worst_detection_time = |i, t, _| i + t,
        },
        Mistake {
            what: "the timeout alone",
            apply: |a| a.worst_detection_time = |_, t, _| t,
        },
        Mistake {
            what: "interval + timeout + max_delay",
            apply: |a| a.worst_detection_time = |i, t, d| i + t + d,
        },
    ],
};

/// Task `false_suspicions`.
pub const FALSE_SUSPICIONS: Task<Answers> = Task {
    name: "false_suspicions",
    grade: |c, a, seed| grade::grade_false_suspicions(c, a.false_suspicions, seed),
    mistakes: &[
        Mistake {
            what: "counts the whole gap, not the part after the timeout",
            apply: |a| {
                a.false_suspicions = |arr, t, until| {
                    let mut ends: Vec<f64> = arr.to_vec();
                    ends.push(until);
                    ends.windows(2)
                        .filter(|w| w[1] - w[0] > t)
                        .fold((0, 0.0), |(n, s), w| (n + 1, s + w[1] - w[0]))
                }
            },
        },
        Mistake {
            what: "forgets the silence after the last heartbeat",
            apply: |a| {
                a.false_suspicions = |arr, t, _| {
                    arr.windows(2)
                        .filter(|w| w[1] - w[0] > t)
                        .fold((0, 0.0), |(n, s), w| (n + 1, s + w[1] - w[0] - t))
                }
            },
        },
    ],
};

/// Task `phi`.
pub const PHI: Task<Answers> = Task {
    name: "phi",
    grade: |c, a, seed| grade::grade_phi(c, a.phi, seed),
    mistakes: &[
        Mistake {
            what: "natural log instead of log₁₀",
            apply: |a| {
                a.phi = |e, g, m| match crate::detect::gap_model(g.iter().copied(), m) {
                    Some((mean, sd)) => -crate::detect::normal_sf((e - mean) / sd).ln(),
                    None => 0.0,
                }
            },
        },
        Mistake {
            what: "no floor on the standard deviation",
            apply: |a| {
                a.phi = |e, g, _| match crate::detect::gap_model(g.iter().copied(), 0.0) {
                    Some((mean, sd)) => -crate::detect::normal_sf((e - mean) / sd).log10(),
                    None => 0.0,
                }
            },
        },
        Mistake {
            what: "the CDF instead of the tail: φ falls as the silence grows",
            apply: |a| {
                a.phi = |e, g, m| match crate::detect::gap_model(g.iter().copied(), m) {
                    Some((mean, sd)) => -crate::detect::normal_cdf((e - mean) / sd).log10(),
                    None => 0.0,
                }
            },
        },
    ],
};

/// Task `adaptive_timeout`.
pub const ADAPTIVE_TIMEOUT: Task<Answers> = Task {
    name: "adaptive_timeout",
    grade: |c, a, seed| grade::grade_adaptive_timeout(c, a.adaptive_timeout, seed),
    mistakes: &[
        Mistake {
            what: "the mean gap plus the margin",
            apply: |a| a.adaptive_timeout = |g, _, m| g.iter().sum::<f64>() / g.len() as f64 + m,
        },
        Mistake {
            what: "the largest gap plus the margin",
            apply: |a| a.adaptive_timeout = |g, _, m| g.iter().copied().fold(0.0, f64::max) + m,
        },
        Mistake {
            what: "forgot the margin",
            apply: |a| {
                a.adaptive_timeout = |g, p, _| {
                    let mut s = g.to_vec();
                    s.sort_by(f64::total_cmp);
                    crate::sim::quantile_sorted(&s, p)
                }
            },
        },
    ],
};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[
    PICK_TIMEOUT,
    WORST_DETECTION_TIME,
    FALSE_SUSPICIONS,
    PHI,
    ADAPTIVE_TIMEOUT,
];
