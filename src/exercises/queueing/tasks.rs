//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::Answers;
use super::grade;
use crate::grade::{Mistake, Task};

/// Task `mean_response`.
pub const MEAN_RESPONSE: Task<Answers> = Task {
    name: "mean_response",
    grade: |c, a, seed| grade::grade_mean_response(c, a.mean_response, seed),
    mistakes: &[
        Mistake {
            what: "just the service time 1/μ (no queueing)",
            why: "requests also wait behind others: the M/M/1 response time is 1/(μ − λ)",
            apply: |a| a.mean_response = |_, mu| 1.0 / mu,
        },
        Mistake {
            what: "the wait only, ρ/(μ − λ)",
            why: "the response time is the wait plus the service: 1/(μ − λ)",
            apply: |a| a.mean_response = |l, mu| if l >= mu { f64::INFINITY } else { l / mu / (mu - l) },
        },
        Mistake {
            what: "negative instead of infinite when overloaded",
            why: "when λ ≥ μ the queue grows without bound: return f64::INFINITY",
            apply: |a| a.mean_response = |l, mu| 1.0 / (mu - l),
        },
    ],
};

/// Task `response_percentile`.
pub const RESPONSE_PERCENTILE: Task<Answers> = Task {
    name: "response_percentile",
    grade: |c, a, seed| grade::grade_response_percentile(c, a.response_percentile, seed),
    mistakes: &[
        Mistake {
            what: "the mean instead of the quantile",
            why: "the response time is exponential with rate μ − λ: its p-quantile is −ln(1 − p)/(μ − λ)",
            apply: |a| a.response_percentile = |l, mu, _| 1.0 / (mu - l),
        },
        Mistake {
            what: "−ln(p) instead of −ln(1 − p)",
            why: "P(T > t) = e^(−(μ−λ)t) = 1 − p gives t = −ln(1 − p)/(μ − λ)",
            apply: |a| a.response_percentile = |l, mu, p| -p.ln() / (mu - l),
        },
        Mistake {
            what: "the service time's quantile (rate μ, no queueing)",
            why: "the response time's rate is μ − λ, not μ: queueing stretches the tail",
            apply: |a| a.response_percentile = |_, mu, p| -(1.0 - p).ln() / mu,
        },
    ],
};

/// Task `max_arrival_rate`.
pub const MAX_ARRIVAL_RATE: Task<Answers> = Task {
    name: "max_arrival_rate",
    grade: |c, a, seed| grade::grade_max_arrival_rate(c, a.max_arrival_rate, seed),
    mistakes: &[
        Mistake {
            what: "sized for the mean, not the percentile",
            why: "size for the percentile: −ln(1 − p)/(μ − λ) ≤ slo",
            apply: |a| a.max_arrival_rate = |mu, slo, _| (mu - 1.0 / slo).max(0.0),
        },
        Mistake {
            what: "over-cautious: a 20% safety margin",
            why: "the largest λ that meets the slo exactly: no extra margin",
            apply: |a| a.max_arrival_rate = |mu, slo, p| (0.8 * (mu + (1.0 - p).ln() / slo)).max(0.0),
        },
        Mistake {
            what: "ln(p) instead of ln(1 − p)",
            why: "the tail is 1 − p: λ = μ + ln(1 − p)/slo",
            apply: |a| a.max_arrival_rate = |mu, slo, p| (mu + p.ln() / slo).max(0.0),
        },
    ],
};

/// Task `pk_mean_wait`.
pub const PK_MEAN_WAIT: Task<Answers> = Task {
    name: "pk_mean_wait",
    grade: |c, a, seed| grade::grade_pk_mean_wait(c, a.pk_mean_wait, seed),
    mistakes: &[
        Mistake {
            what: "ignores service variability (M/M/1 for everything)",
            why: "Pollaczek–Khinchine: the wait depends on E[S²], so variable service waits longer",
            apply: |a| a.pk_mean_wait = |l, s, _| l * s * s / (1.0 - l * s),
        },
        Mistake {
            what: "E[S²] taken as Var S (forgot E[S]²)",
            why: "E[S²] = Var S + E[S]²",
            apply: |a| a.pk_mean_wait = |l, s, scv| l * scv * s * s / (2.0 * (1.0 - l * s)),
        },
        Mistake {
            what: "the response time instead of the wait",
            why: "the wait excludes the service: do not add E[S]",
            apply: |a| a.pk_mean_wait = |l, s, scv| s + l * (1.0 + scv) * s * s / (2.0 * (1.0 - l * s)),
        },
    ],
};

/// Task `drop_fraction`.
pub const DROP_FRACTION: Task<Answers> = Task {
    name: "drop_fraction",
    grade: |c, a, seed| grade::grade_drop_fraction(c, a.drop_fraction, seed),
    mistakes: &[
        Mistake {
            what: "ρ^K, not normalised",
            why: "the M/M/1/K state probabilities must sum to 1: divide by 1 + ρ + … + ρ^K",
            apply: |a| a.drop_fraction = |l, mu, k| (l / mu).powi(k as i32).min(1.0),
        },
        Mistake {
            what: "off by one: K waiting places plus the one in service",
            why: "K counts every place, the one in service included: states 0..=K",
            apply: |a| {
                a.drop_fraction = |l, mu, k| {
                    let r = l / mu;
                    let k = f64::from(k + 1);
                    if (r - 1.0).abs() < 1e-12 {
                        1.0 / (k + 1.0)
                    } else {
                        (1.0 - r) * r.powf(k) / (1.0 - r.powf(k + 1.0))
                    }
                }
            },
        },
        Mistake {
            what: "the overload share only, max(0, 1 − μ/λ)",
            why: "a full buffer drops arrivals even below overload: use the M/M/1/K blocking probability",
            apply: |a| a.drop_fraction = |l, mu, _| (1.0 - mu / l).max(0.0),
        },
    ],
};

/// Task `lindley_waits`.
pub const LINDLEY_WAITS: Task<Answers> = Task {
    name: "lindley_waits",
    grade: |c, a, seed| grade::grade_lindley_waits(c, a.lindley_waits, seed),
    mistakes: &[
        Mistake {
            what: "forgot the max(0, ·): negative waits",
            why: "a customer who arrives to an empty queue waits 0, not less: W(n) = max(0, …)",
            apply: |a| {
                a.lindley_waits = |g, s| {
                    let mut w = 0.0;
                    (0..s.len())
                        .map(|n| {
                            if n > 0 {
                                w = w + s[n - 1] - g[n];
                            }
                            w
                        })
                        .collect()
                }
            },
        },
        Mistake {
            what: "used customer n's own service time instead of n−1's",
            why: "Lindley: W(n) = max(0, W(n−1) + S(n−1) − A(n)), the previous customer's service",
            apply: |a| {
                a.lindley_waits = |g, s| {
                    let mut w: f64 = 0.0;
                    (0..s.len())
                        .map(|n| {
                            if n > 0 {
                                w = (w + s[n] - g[n]).max(0.0);
                            }
                            w
                        })
                        .collect()
                }
            },
        },
        Mistake {
            what: "response times (wait + service) instead of waits",
            why: "return the waits only, before service starts",
            apply: |a| {
                a.lindley_waits = |g, s| {
                    let mut w: f64 = 0.0;
                    (0..s.len())
                        .map(|n| {
                            if n > 0 {
                                w = (w + s[n - 1] - g[n]).max(0.0);
                            }
                            w + s[n]
                        })
                        .collect()
                }
            },
        },
    ],
};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[
    MEAN_RESPONSE,
    RESPONSE_PERCENTILE,
    MAX_ARRIVAL_RATE,
    PK_MEAN_WAIT,
    DROP_FRACTION,
    LINDLEY_WAITS,
];
