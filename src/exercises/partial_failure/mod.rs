//! Chapter 1 · Partial failure.
//!
//! A client asks a server, over the [`crate::world`] simulator, to apply money transfers. Requests
//! and replies get lost, duplicated and delayed, the server pauses: from the client's side a
//! lost request, a lost reply and a slow server all look the same — silence. The learner writes
//! four functions (see `exercises/01_partial_failure.rs`):
//!
//! | task | question |
//! |---|---|
//! | `backoff` | how long to wait before retry number n: exponential, capped, with full jitter |
//! | `safe_to_retry` | which operations can be retried blindly, because applying twice = once? |
//! | `expected_applications` | how often does a server without deduplication apply a retried request? |
//! | `apply_transfer` | an idempotent server: each transfer applied exactly once, retries answered the same |

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Chapter, DEFAULT_SEED, Task, check_task};
use crate::error::Result;
use crate::grade::{Counterexample, Report};
use crate::shrink::ReplayCode;

/// A transfer request: add `amount` (cents, may be negative) to the account, identified by an
/// idempotency `key` the client chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transfer {
    /// Unique per transfer; every retry of it carries the same key.
    pub key: u64,
    /// Cents to add.
    pub amount: i64,
}

/// The server's answer to a transfer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Receipt {
    /// The transfer's key.
    pub key: u64,
    /// The balance right after the transfer was applied.
    pub balance_after: i64,
}

/// The server's state. It survives crashes (think of it as on disk).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    /// Current balance, cents.
    pub balance: i64,
    /// Receipts already given, by key: yours to use.
    pub receipts: HashMap<u64, Receipt>,
}

/// An operation a client might retry, on a ledger with a balance and an append-only log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Read the balance.
    Read,
    /// Set the balance to a value.
    Set(i64),
    /// Add to the balance.
    Deposit(i64),
    /// Append an entry to the log.
    Append(i64),
    /// Raise the balance to at least a value: balance = max(balance, v).
    RaiseTo(i64),
    /// Add to the balance unless a transfer with this key was applied already.
    DepositOnce {
        /// Idempotency key.
        key: u64,
        /// Cents.
        amount: i64,
    },
    /// Remove the last log entry, if any.
    PopLog,
    /// Clear the log.
    ClearLog,
}

/// The learner's functions for chapter 1.
#[derive(Clone, Copy)]
pub struct Answers {
    /// Task 1: seconds to wait before retry number `attempt` (0 for the first retry):
    /// exponential from `base`, at most `cap`, with full jitter from `u` uniform in [0, 1).
    pub backoff: fn(attempt: u32, base: f64, cap: f64, u: f64) -> f64,
    /// Task 2: can `op` be retried blindly: does applying it twice leave the same state as once?
    pub safe_to_retry: fn(op: Op) -> bool,
    /// Task 3: a client retries a request until it gets a reply; each request is lost with
    /// probability `p_request`, each reply with `p_reply`. How many times, on average, does a
    /// server without deduplication apply it?
    pub expected_applications: fn(p_request: f64, p_reply: f64) -> f64,
    /// Task 4: apply `t` to `ledger` exactly once, however many times it arrives, and answer
    /// every copy with the same receipt.
    pub apply_transfer: fn(ledger: &mut Ledger, t: Transfer) -> Receipt,
}

/// Chapter 1 for the shared runner and self-check.
pub struct PartialFailure;

mod cli;
mod figures;
pub mod grade;
pub mod replay;
pub mod schedule;
mod story;
pub mod tasks;
mod truth;

pub use cli::{PartialArgs, simulate};
pub use figures::{Scenario, backoff_figure, balance_figure, silence_scenarios};
pub use schedule::BankSchedule;

impl Chapter for PartialFailure {
    const NUMBER: u8 = 1;
    type Answers = Answers;
    type Args = PartialArgs;

    fn tasks() -> &'static [Task<Answers>] {
        tasks::TASKS
    }

    fn simulate(a: &Answers, args: &PartialArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        cli::simulate(a, args, seed, out)
    }

    fn replay(a: &Answers, code: &ReplayCode, out: &Path) -> Result<(Counterexample, Vec<PathBuf>)> {
        replay::replay(a.apply_transfer, code, out)
    }
}

/// What `cargo test` grades: the default seed, then fresh seeds for every task that passed
/// (see [`super::grade_fresh`]).
pub fn grade(answers: &Answers) -> Report {
    super::grade_fresh::<PartialFailure>(answers)
}

/// `main` for `exercise-1` and `solution-1`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<PartialFailure>(answers)
}

/// Notebook check for task 1.
pub fn check_backoff(f: fn(u32, f64, f64, f64) -> f64) -> Report {
    check_task::<PartialFailure>(&tasks::BACKOFF, DEFAULT_SEED, grade::grade_backoff(f, DEFAULT_SEED))
}
/// Notebook check for task 2.
pub fn check_safe_to_retry(f: fn(Op) -> bool) -> Report {
    check_task::<PartialFailure>(
        &tasks::SAFE_TO_RETRY,
        DEFAULT_SEED,
        grade::grade_safe_to_retry(f, DEFAULT_SEED),
    )
}
/// Notebook check for task 3.
pub fn check_expected_applications(f: fn(f64, f64) -> f64) -> Report {
    check_task::<PartialFailure>(
        &tasks::EXPECTED_APPLICATIONS,
        DEFAULT_SEED,
        grade::grade_expected_applications(f, DEFAULT_SEED),
    )
}
/// Notebook check for task 4.
pub fn check_apply_transfer(f: fn(&mut Ledger, Transfer) -> Receipt) -> Report {
    check_task::<PartialFailure>(
        &tasks::APPLY_TRANSFER,
        DEFAULT_SEED,
        grade::grade_apply_transfer(f, DEFAULT_SEED),
    )
}
