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
            why: "the ceiling must stop growing at cap: min(cap, base·2^attempt)",
            apply: |a| a.backoff = |n, b, _, u| u * b * 2f64.powi(n as i32),
        },
        Mistake {
            what: "no jitter",
            why: "full jitter scales the ceiling by u, so clients that failed together retry apart",
            apply: |a| a.backoff = |n, b, c, _| c.min(b * 2f64.powi(n as i32)),
        },
        Mistake {
            what: "2^attempt as an integer shift (1 << attempt overflows from attempt 32)",
            why: "a u32 shift overflows at 32 and 2_u64.pow at 64: take the power in f64 (2f64.powf), where it grows to ∞ and the cap takes over",
            apply: |a| a.backoff = |n, b, c, u| u * c.min(b * f64::from(1u32 << n)),
        },
        Mistake {
            what: "2f64.powi(attempt as i32): from attempt 2³¹ the cast is negative",
            why: "`attempt as i32` wraps for attempts of 2³¹ and more, and 2^(−1) is a half: convert without wrapping (f64::from(attempt)) or cap the exponent first",
            apply: |a| a.backoff = |n, b, c, u| u * c.min(b * 2f64.powi(n as i32)),
        },
        Mistake {
            what: "the ceiling never below base (max(base) after the cap)",
            why: "the cap is an upper bound on every wait, even when base is larger than cap",
            apply: |a| a.backoff = |n, b, c, u| u * c.min(b * 2f64.powf(f64::from(n))).max(b),
        },
        Mistake {
            what: "linear, not exponential",
            why: "the ceiling doubles with each attempt: base·2^attempt, not base·(attempt + 1)",
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
            why: "writes can be idempotent too: setting a value twice leaves it set once",
            apply: |a| a.safe_to_retry = |op| matches!(op, Op::Read),
        },
        Mistake {
            what: "anything that does not add money is safe",
            why: "an append or a pop repeated changes the log again",
            apply: |a| a.safe_to_retry = |op| !matches!(op, Op::Deposit(_) | Op::DepositOnce { .. }),
        },
        Mistake {
            what: "judges deposits by kind: Deposit(0) called unsafe",
            why: "a deposit of 0 leaves the state as it was, however often it is applied: idempotence depends on the value too",
            apply: |a| {
                a.safe_to_retry = |op| {
                    matches!(
                        op,
                        Op::Read | Op::Set(_) | Op::RaiseTo(_) | Op::ClearLog | Op::DepositOnce { .. }
                    )
                }
            },
        },
        Mistake {
            what: "writes are never safe, keys or not",
            why: "max(balance, v) twice is max(balance, v) once, and a keyed deposit is applied once per key",
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
            why: "a lost request is never applied: only the attempts that reach the server count",
            apply: |a| a.expected_applications = |p, q| 1.0 / ((1.0 - p) * (1.0 - q)),
        },
        Mistake {
            what: "exactly once",
            why: "without deduplication every request that reaches the server is applied, and a lost reply means another one comes",
            apply: |a| a.expected_applications = |_, _| 1.0,
        },
        Mistake {
            what: "the series 1 + q + … + q⁹ cut after ten attempts",
            why: "the client never gives up: sum the whole geometric series, 1/(1 − p_reply)",
            apply: |a| a.expected_applications = |_, q| (1.0 - q.powi(10)) / (1.0 - q),
        },
        Mistake {
            what: "1 + p_reply (one retry at most)",
            why: "the retry's reply can be lost too: the client keeps retrying, a geometric number of times",
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
            why: "a retry carries the same key: look it up in ledger.receipts before applying",
            apply: |a| a.apply_transfer = naive_apply,
        },
        Mistake {
            what: "deduplicates, but answers a retry with the current balance",
            why: "answer a repeat with the stored receipt, not a new one: the balance moved since",
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
            what: "the receipt shows the balance before the transfer",
            why: "the receipt is the balance right after this transfer was applied: add first, then record it",
            apply: |a| {
                a.apply_transfer = |l, t| {
                    if let Some(r) = l.receipts.get(&t.key) {
                        return *r;
                    }
                    let r = Receipt {
                        key: t.key,
                        balance_after: l.balance,
                    };
                    l.balance += t.amount;
                    l.receipts.insert(t.key, r);
                    r
                }
            },
        },
        Mistake {
            what: "the receipt does not carry the transfer's key",
            why: "the client matches a reply to its request by key: with another key it never learns the transfer went through, and retries for ever",
            apply: |a| {
                a.apply_transfer = |l, t| {
                    if let Some(r) = l.receipts.get(&t.key) {
                        return *r;
                    }
                    l.balance += t.amount;
                    let r = Receipt {
                        key: 0,
                        balance_after: l.balance,
                    };
                    l.receipts.insert(t.key, r);
                    r
                }
            },
        },
        Mistake {
            what: "remembers only the last key",
            why: "replies can be lost for several transfers at once: keep every key's receipt",
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
