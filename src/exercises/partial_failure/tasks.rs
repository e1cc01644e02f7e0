//! The chapter's tasks, each declared once: name, grader and the plausible mistakes the
//! grader must reject. Hints are in `chapters.toml` under the same names.

use super::grade::{grade_apply_transfer, grade_backoff, grade_expected_applications, grade_safe_to_retry};
use super::truth::naive_apply;
use super::{Answers, Op, Receipt};
use crate::grade::{Mistake, Task};

/// Every task, in grading order.
pub const TASKS: &[Task<Answers>] = &[BACKOFF, SAFE_TO_RETRY, EXPECTED_APPLICATIONS, APPLY_TRANSFER];

/// Task `backoff`.
pub const BACKOFF: Task<Answers> = Task {
    name: "backoff",
    grade: |c, a, seed| grade_backoff(a.backoff, seed)(c),
    mistakes: &[
        Mistake {
            what: "no cap",
            apply: |a| a.backoff = |n, b, _, u| u * b * 2f64.powi(n as i32),
        },
        Mistake {
            what: "no jitter",
            apply: |a| a.backoff = |n, b, c, _| c.min(b * 2f64.powi(n as i32)),
        },
        Mistake {
            what: "linear, not exponential",
            apply: |a| a.backoff = |n, b, c, u| u * c.min(b * f64::from(n + 1)),
        },
    ],
};

/// Task `safe_to_retry`.
pub const SAFE_TO_RETRY: Task<Answers> = Task {
    name: "safe_to_retry",
    grade: |c, a, seed| grade_safe_to_retry(a.safe_to_retry, seed)(c),
    mistakes: &[
        Mistake {
            what: "only reads are safe",
            apply: |a| a.safe_to_retry = |op| matches!(op, Op::Read),
        },
        Mistake {
            what: "anything that does not add money is safe",
            apply: |a| a.safe_to_retry = |op| !matches!(op, Op::Deposit(_) | Op::DepositOnce { .. }),
        },
        Mistake {
            what: "writes are never safe, keys or not",
            apply: |a| a.safe_to_retry = |op| matches!(op, Op::Read | Op::Set(_) | Op::ClearLog),
        },
    ],
};

/// Task `expected_applications`.
pub const EXPECTED_APPLICATIONS: Task<Answers> = Task {
    name: "expected_applications",
    grade: |c, a, seed| grade_expected_applications(a.expected_applications, seed)(c),
    mistakes: &[
        Mistake {
            what: "the number of attempts, 1/((1−p)(1−q))",
            apply: |a| a.expected_applications = |p, q| 1.0 / ((1.0 - p) * (1.0 - q)),
        },
        Mistake {
            what: "exactly once",
            apply: |a| a.expected_applications = |_, _| 1.0,
        },
        Mistake {
            what: "1 + p_reply (one retry at most)",
            apply: |a| a.expected_applications = |_, q| 1.0 + q,
        },
    ],
};

/// Task `apply_transfer`.
pub const APPLY_TRANSFER: Task<Answers> = Task {
    name: "apply_transfer",
    grade: |c, a, seed| grade_apply_transfer(a.apply_transfer, seed)(c),
    mistakes: &[
        Mistake {
            what: "no deduplication",
            apply: |a| a.apply_transfer = naive_apply,
        },
        Mistake {
            what: "deduplicates, but answers a retry with the current balance",
            apply: |a| {
                a.apply_transfer = |l, t| {
                    if !l.receipts.contains_key(&t.key) {
                        l.balance += t.amount;
                        let r = Receipt {
                            key: t.key,
                            balance_after: l.balance,
                        };
                        l.receipts.insert(t.key, r);
                    }
                    Receipt {
                        key: t.key,
                        balance_after: l.balance,
                    }
                }
            },
        },
        Mistake {
            what: "remembers only the last key",
            apply: |a| {
                a.apply_transfer = |l, t| {
                    if let Some(r) = l.receipts.get(&t.key) {
                        return *r;
                    }
                    l.balance += t.amount;
                    let r = Receipt {
                        key: t.key,
                        balance_after: l.balance,
                    };
                    l.receipts.clear();
                    l.receipts.insert(t.key, r);
                    r
                }
            },
        },
    ],
};
