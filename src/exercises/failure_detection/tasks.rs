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
            why: "RTTs have a heavy tail: count the RTTs above the timeout instead of assuming a normal shape",
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
            why: "max_timeouts is the fraction allowed to be slower: the timeout sits near the top, at 1 − max_timeouts",
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
            why: "the largest RTT lets none time out, but max_timeouts·n of them may: a shorter timeout detects failures sooner",
            apply: |a| a.pick_timeout = |r, _| r.iter().copied().fold(0.0, f64::max),
        },
        Mistake {
            what: "one rank too low (ignores the strict >)",
            why: "a request times out only when strictly slower than the timeout: count the RTTs above it, not at or above",
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
            why: "the monitor's timer starts when the last heartbeat arrives, not on a schedule: the interval drops out",
            apply: |a| a.worst_detection_time = |i, t, _| i + t,
        },
        Mistake {
            what: "the timeout alone",
            why: "the last heartbeat before the crash can take max_delay to arrive, and the timer starts only then",
            apply: |a| a.worst_detection_time = |_, t, _| t,
        },
        Mistake {
            what: "interval + timeout + max_delay",
            why: "the crash comes just after a heartbeat was sent, so no interval passes before it arrives",
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
            why: "the suspicion starts timeout seconds after an arrival: count from arrival + timeout to the next arrival",
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
            what: "a heartbeat exactly `timeout` late counts as a suspicion (<= for <)",
            why: "the monitor suspects only when the silence exceeds the timeout: a gap of exactly timeout is on time",
            apply: |a| {
                a.false_suspicions = |arr, t, until| {
                    let mut count = 0;
                    let mut total = 0.0;
                    for (i, &x) in arr.iter().enumerate() {
                        let next = arr.get(i + 1).copied().unwrap_or(until);
                        if x + t <= next {
                            count += 1;
                            total += next - (x + t);
                        }
                    }
                    (count, total)
                }
            },
        },
        Mistake {
            what: "forgets the silence after the last heartbeat",
            why: "after the last arrival the monitor keeps watching until `until`: that stretch counts too",
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
            why: "φ uses log₁₀: φ = 1 is a 10% chance that the heartbeat is still coming",
            apply: |a| {
                a.phi = |e, g, m| match crate::detect::gap_model(g.iter().copied(), m) {
                    Some((mean, sd)) => -crate::detect::normal_sf((e - mean) / sd).ln(),
                    None => 0.0,
                }
            },
        },
        Mistake {
            what: "1 − CDF for the tail: 0 beyond z ≈ 8, so φ = ∞",
            why: "1 − normal_cdf(z) rounds to 0 in the far tail (φ ∞ where it is 20 or 50): normal_sf(z) keeps the digits",
            apply: |a| {
                a.phi = |e, g, m| match crate::detect::gap_model(g.iter().copied(), m) {
                    Some((mean, sd)) => -(1.0 - crate::detect::normal_cdf((e - mean) / sd)).log10(),
                    None => 0.0,
                }
            },
        },
        Mistake {
            what: "population standard deviation (divides by n)",
            why: "the sample standard deviation divides by n − 1: the mean was estimated from the same gaps",
            apply: |a| {
                a.phi = |e, g, m| {
                    let n = g.len() as f64;
                    let mean = g.iter().sum::<f64>() / n;
                    let sd = (g.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n).sqrt().max(m);
                    -crate::detect::normal_sf((e - mean) / sd).log10()
                }
            },
        },
        Mistake {
            what: "no floor on the standard deviation",
            why: "with steady gaps the sample deviation is near 0 and φ shoots up at once: floor it at min_sd",
            apply: |a| {
                a.phi = |e, g, _| match crate::detect::gap_model(g.iter().copied(), 0.0) {
                    Some((mean, sd)) => -crate::detect::normal_sf((e - mean) / sd).log10(),
                    None => 0.0,
                }
            },
        },
        Mistake {
            what: "the CDF instead of the tail: φ falls as the silence grows",
            why: "φ is about the tail, P(gap > elapsed) = normal_sf(z), which shrinks as the silence grows",
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
            why: "the timeout sits at a high percentile of the gaps, not at their mean",
            apply: |a| a.adaptive_timeout = |g, _, m| g.iter().sum::<f64>() / g.len() as f64 + m,
        },
        Mistake {
            what: "the largest gap plus the margin",
            why: "the largest gap is the 100th percentile: use the nearest rank ⌈p·n⌉",
            apply: |a| a.adaptive_timeout = |g, _, m| g.iter().copied().fold(0.0, f64::max) + m,
        },
        Mistake {
            what: "0-based index ⌊p·n⌋: one rank high when p·n is whole",
            why: "the nearest rank is ⌈p·n⌉, 1-based: index ⌈p·n⌉ − 1, which differs from ⌊p·n⌋ when p·n is a whole number",
            apply: |a| {
                a.adaptive_timeout = |g, p, m| {
                    let mut s = g.to_vec();
                    s.sort_by(f64::total_cmp);
                    s[((p * s.len() as f64) as usize).min(s.len() - 1)] + m
                }
            },
        },
        Mistake {
            what: "forgot the margin",
            why: "add the margin after the percentile",
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
