//! Exercise 1 · Partial failure — reference solution.
//!
//! One way to solve `exercises/01_partial_failure.rs`; compare after you have your own.

use faultline::exercises::partial_failure::{self, Answers, Ledger, Op, Receipt, Transfer};

/// Task 1: the ceiling doubles from `base` up to `cap`; full jitter scales it by `u`. The power
/// is taken in floating point from the whole `u32` (no shift that overflows at 32, no cast to
/// `i32` that turns attempt 2³¹ negative): 2^attempt becomes ∞ and the cap takes over.
pub fn backoff(attempt: u32, base: f64, cap: f64, u: f64) -> f64 {
    let ceiling = (base * 2f64.powf(f64::from(attempt))).min(cap);
    u * ceiling
}

/// Task 2: reads, assignments, "at least" updates, clearing and keyed deposits give the same
/// state when repeated; adding (anything but 0), appending and popping do not.
pub fn safe_to_retry(op: Op) -> bool {
    match op {
        Op::Read | Op::Set(_) | Op::RaiseTo(_) | Op::ClearLog | Op::DepositOnce { .. } => true,
        Op::Deposit(amount) => amount == 0,
        Op::Append(_) | Op::PopLog => false,
    }
}

/// Task 3: every request that reaches the server is applied, and gets its reply back with
/// probability 1 − p_reply; the client stops at the first reply. So the number applied is
/// geometric with success probability 1 − p_reply: mean 1/(1 − p_reply). Request loss only
/// costs time.
pub fn expected_applications(_p_request: f64, p_reply: f64) -> f64 {
    1.0 / (1.0 - p_reply)
}

/// Task 4: remember the receipt of every key; a repeat gets the stored receipt and changes
/// nothing.
pub fn apply_transfer(ledger: &mut Ledger, t: Transfer) -> Receipt {
    if let Some(r) = ledger.receipts.get(&t.key) {
        return *r;
    }
    ledger.balance += t.amount;
    let r = Receipt {
        key: t.key,
        balance_after: ledger.balance,
    };
    ledger.receipts.insert(t.key, r);
    r
}

/// Hands the functions to the grader.
pub fn answers() -> Answers {
    Answers {
        backoff,
        safe_to_retry,
        expected_applications,
        apply_transfer,
    }
}

fn main() -> std::process::ExitCode {
    partial_failure::run(answers())
}
