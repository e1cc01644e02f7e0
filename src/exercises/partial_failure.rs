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

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;
use rand::Rng;

use super::{Chapter, DEFAULT_SEED, Mistake, Task, check_task, finite_f64};
use crate::error::{Error, Result};
use crate::grade::{Checker, Report, Tol, Verdict, attempt, fmt_num};
use crate::plot::Figure;
use crate::sim::{Dist, Limits, SimRng, replication_seed, stream};
use crate::world::{Ctx, Fault, Handled, LinkConfig, Node, NodeId, Plain, World};

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

/// Flags of `exercise-1` beyond the common ones.
#[derive(Debug, Clone, Args)]
pub struct PartialArgs {
    /// Probability a message is lost, each way, for the plots (0 ≤ p < 0.9).
    #[arg(long, default_value_t = 0.2, value_parser = loss, allow_negative_numbers = true)]
    pub loss: f64,
    /// Fault schedules simulated for the plots (1 to 1000).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=1000))]
    pub schedules: u64,
}

fn loss(s: &str) -> std::result::Result<f64, String> {
    let v = finite_f64(s)?;
    if (0.0..0.9).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{s} is outside 0 ≤ p < 0.9"))
    }
}

fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 100 + task)
}

fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// Grades task 1 against the rule `u · min(cap, base · 2^attempt)`.
pub fn grade_backoff(f: fn(u32, f64, f64, f64) -> f64, seed: u64) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 1);
        let mut cases = vec![(0, 0.1, 10.0, 0.5), (3, 0.1, 10.0, 0.999), (10, 0.1, 10.0, 0.25)];
        cases.extend((0..12).map(|_| {
            (
                rng.random_range(0..16u32),
                rng.random_range(0.001..1.0),
                rng.random_range(1.0..60.0),
                rng.random::<f64>(),
            )
        }));
        for (attempt, base, cap, u) in cases {
            let input = format!(
                "attempt = {attempt}, base = {} s, cap = {} s, u = {}",
                fmt_num(base),
                fmt_num(cap),
                fmt_num(u)
            );
            let got = c.call(&input, || f(attempt, base, cap, u))?;
            let truth = u * cap.min(base * 2f64.powi(attempt as i32));
            c.close(&input, got, truth, Tol::new(1e-12, 1e-12))?;
        }
        Ok(())
    }
}

/// The state an [`Op`] acts on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct State {
    balance: i64,
    log: Vec<i64>,
    keys: HashSet<u64>,
}

fn run_op(s: &mut State, op: Op) {
    match op {
        Op::Read => {}
        Op::Set(v) => s.balance = v,
        Op::Deposit(x) => s.balance += x,
        Op::Append(x) => s.log.push(x),
        Op::RaiseTo(v) => s.balance = s.balance.max(v),
        Op::DepositOnce { key, amount } => {
            if s.keys.insert(key) {
                s.balance += amount;
            }
        }
        Op::PopLog => {
            s.log.pop();
        }
        Op::ClearLog => s.log.clear(),
    }
}

/// Grades task 2 by running each operation once and twice on random states: safe means the
/// same state either way, on every state tried.
pub fn grade_safe_to_retry(f: fn(Op) -> bool, seed: u64) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 2);
        let mut v = || rng.random_range(1..1000i64);
        let ops = [
            Op::Read,
            Op::Set(v()),
            Op::Deposit(v()),
            Op::Append(v()),
            Op::RaiseTo(v()),
            Op::DepositOnce { key: 7, amount: v() },
            Op::PopLog,
            Op::ClearLog,
        ];
        let mut states = vec![State::default()];
        for _ in 0..5 {
            let mut s = State::default();
            for _ in 0..rng.random_range(0..5) {
                s.log.push(rng.random_range(0..100));
            }
            s.balance = rng.random_range(-500..500);
            if rng.random_bool(0.5) {
                s.keys.insert(7);
            }
            states.push(s);
        }
        for op in ops {
            let input = format!("{op:?}");
            let got = c.call(&input, || f(op))?;
            let safe = states.iter().all(|s0| {
                let mut once = s0.clone();
                run_op(&mut once, op);
                let mut twice = once.clone();
                run_op(&mut twice, op);
                once == twice
            });
            c.equal(&input, got, safe)?;
        }
        Ok(())
    }
}

/// Messages between the client and the server.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Msg {
    Request(Transfer),
    Reply(Receipt),
}

/// A client and a bank server: requests and replies, retry timers carrying the transfer's key.
type Bank = Plain<Msg, u64>;

/// Issues transfers with up to `window` outstanding, retrying each after `timeout` plus the
/// learner's backoff until a reply with its key arrives.
struct Client {
    transfers: Vec<Transfer>,
    next: usize,
    window: usize,
    timeout: f64,
    backoff: fn(u32, f64, f64, f64) -> f64,
    attempts: HashMap<u64, u32>,
    done: HashSet<u64>,
    replies: Vec<Receipt>,
    /// When each reply arrived, on the client's (perfect) clock: true time.
    reply_times: Vec<f64>,
}

impl Client {
    fn new(transfers: Vec<Transfer>, window: usize, timeout: f64, backoff: fn(u32, f64, f64, f64) -> f64) -> Self {
        Client {
            transfers,
            next: 0,
            window,
            timeout,
            backoff,
            attempts: HashMap::new(),
            done: HashSet::new(),
            replies: Vec::new(),
            reply_times: Vec::new(),
        }
    }

    fn fill(&mut self, ctx: &mut Ctx<'_, Bank>) {
        while self.next < self.transfers.len() && self.attempts.len() - self.done.len() < self.window {
            let t = self.transfers[self.next];
            self.next += 1;
            self.attempts.insert(t.key, 0);
            ctx.send(1, Msg::Request(t), 64);
            ctx.set_timer(self.timeout, t.key);
        }
    }
}

impl Node<Bank> for Client {
    fn start(&mut self, ctx: &mut Ctx<'_, Bank>) -> Handled {
        self.fill(ctx);
        Ok(())
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, Bank>, _from: NodeId, m: Msg) -> Handled {
        if let Msg::Reply(r) = m {
            self.replies.push(r);
            self.reply_times.push(ctx.monotonic_s());
            if self.attempts.contains_key(&r.key) && self.done.insert(r.key) {
                self.fill(ctx);
            }
        }
        Ok(())
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, Bank>, key: u64) -> Handled {
        if self.done.contains(&key) {
            return Ok(());
        }
        let Some(t) = self.transfers.iter().find(|t| t.key == key).copied() else {
            return Ok(());
        };
        let n = self.attempts.entry(key).or_insert(0);
        let wait = (self.backoff)(*n, 0.05, 2.0, ctx.rng.random());
        *n += 1;
        ctx.send(1, Msg::Request(t), 64);
        let wait = if wait.is_finite() { wait.clamp(0.0, 60.0) } else { 0.0 };
        ctx.set_timer(self.timeout + wait, key);
        Ok(())
    }
}

/// Applies every request it receives with `apply`, counting deliveries per key.
struct Server {
    ledger: Ledger,
    apply: fn(&mut Ledger, Transfer) -> Receipt,
    deliveries: HashMap<u64, u32>,
}

impl Server {
    fn new(apply: fn(&mut Ledger, Transfer) -> Receipt) -> Self {
        Server {
            ledger: Ledger::default(),
            apply,
            deliveries: HashMap::new(),
        }
    }
}

impl Node<Bank> for Server {
    fn receive(&mut self, ctx: &mut Ctx<'_, Bank>, from: NodeId, m: Msg) -> Handled {
        if let Msg::Request(t) = m {
            *self.deliveries.entry(t.key).or_insert(0) += 1;
            let r = (self.apply)(&mut self.ledger, t);
            ctx.send(from, Msg::Reply(r), 64);
        }
        Ok(())
    }
}

/// One fault schedule: loss each way, duplication, reordering jitter, server pauses and a
/// crash with recovery.
#[derive(Debug, Clone)]
struct Schedule {
    loss: f64,
    duplicate: f64,
    jitter: f64,
    faults: Vec<Fault>,
}

fn random_schedule(rng: &mut SimRng) -> Schedule {
    let mut faults = Vec::new();
    for _ in 0..rng.random_range(0..3) {
        faults.push(Fault::Pause {
            node: 1,
            at_s: rng.random_range(0.1..5.0),
            length_s: rng.random_range(0.05..1.5),
            mid_handler: false,
        });
    }
    if rng.random_bool(0.5) {
        let at = rng.random_range(0.1..5.0);
        faults.push(Fault::Crash {
            node: 1,
            at_s: at,
            recover_at_s: Some(at + rng.random_range(0.1..2.0)),
        });
    }
    Schedule {
        loss: rng.random_range(0.0..0.4),
        duplicate: rng.random_range(0.0..0.2),
        jitter: rng.random_range(0.0001..0.05),
        faults,
    }
}

struct Outcome {
    client: Client,
    server: Server,
}

/// Runs a client (node 0) and a server (node 1) with `link` both ways (or `links` per
/// direction: client→server, server→client) under `faults`.
fn run_pair(
    client: Client,
    server: Server,
    links: [LinkConfig; 2],
    faults: &[Fault],
    limits: Limits,
    seed: u64,
) -> Result<Outcome> {
    let mut world = World::<Bank>::new(seed);
    world.add_node(client);
    world.add_node(server);
    world.set_link_between(0, 1, links[0])?;
    world.set_link_between(1, 0, links[1])?;
    world.add_faults(faults.iter().cloned());
    let mut out = world.run(limits)?;
    match (out.take_node::<Client>(0), out.take_node::<Server>(1)) {
        (Some(client), Some(server)) => Ok(Outcome { client, server }),
        _ => Err(Error::invalid("nodes", 2, "lost track of the client and server")),
    }
}

fn run_bank(
    schedule: &Schedule,
    transfers: Vec<Transfer>,
    apply: fn(&mut Ledger, Transfer) -> Receipt,
    backoff: fn(u32, f64, f64, f64) -> f64,
    seed: u64,
) -> Result<Outcome> {
    let link = LinkConfig {
        loss: schedule.loss,
        duplicate: schedule.duplicate,
        jitter_s: Dist::exponential(schedule.jitter)?,
        ..LinkConfig::reliable(0.005, 1e7)?
    };
    run_pair(
        Client::new(transfers, 4, 0.3, backoff),
        Server::new(apply),
        [link, link],
        &schedule.faults,
        Limits {
            until: 3600.0,
            max_events: 2_000_000,
        },
        seed,
    )
}

fn solution_backoff(attempt: u32, base: f64, cap: f64, u: f64) -> f64 {
    u * cap.min(base * 2f64.powi(attempt as i32))
}

fn naive_apply(ledger: &mut Ledger, t: Transfer) -> Receipt {
    ledger.balance += t.amount;
    Receipt {
        key: t.key,
        balance_after: ledger.balance,
    }
}

/// Grades task 3 against the simulator: many transfers through a lossy link to a server that
/// applies every request it receives, no duplication. The mean number of applications per
/// transfer must be within 4.5 standard errors of the learner's value (its variance known:
/// applications are geometric).
pub fn grade_expected_applications(
    f: fn(f64, f64) -> f64,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 3);
        let mut cases = vec![(0.3, 0.3), (0.0, 0.5), (0.5, 0.2)];
        cases.extend((0..3).map(|_| {
            let p: f64 = rng.random_range(0.0..0.5);
            let q = (p + rng.random_range(0.15..0.4)) % 0.6 + 0.1;
            (p, q)
        }));
        for (p, q) in cases {
            let input = format!("p_request = {}, p_reply = {}", fmt_num(p), fmt_num(q));
            let got = c.call(&input, || f(p, q))?;
            let n = 3000usize;
            let schedule = Schedule {
                loss: 0.0,
                duplicate: 0.0,
                jitter: 1e-6,
                faults: vec![],
            };
            let transfers: Vec<Transfer> = (0..n as u64).map(|k| Transfer { key: k, amount: 1 }).collect();
            let applications = directional_run(&schedule, transfers, p, q, rng.random()).map_err(sim_failed)?;
            let mean = applications.iter().sum::<f64>() / n as f64;
            let truth_sd = q.sqrt() / (1.0 - q);
            let se = truth_sd / (n as f64).sqrt();
            if !got.is_finite() || (got - mean).abs() > 4.5 * se + 1e-12 {
                return Err(Verdict::fail(
                    &input,
                    format!(
                        "about {} (simulated mean over {n} transfers, ± {})",
                        fmt_num(mean),
                        fmt_num(4.5 * se)
                    ),
                    fmt_num(got),
                ));
            }
            c.pass();
        }
        Ok(())
    }
}

/// Runs transfers where requests are lost with probability `p` and replies with `q`, to a
/// server that applies whatever arrives, and returns the applications per transfer: the link
/// from client to server loses with probability `p`, the one back with `q`.
fn directional_run(schedule: &Schedule, transfers: Vec<Transfer>, p: f64, q: f64, seed: u64) -> Result<Vec<f64>> {
    crate::error::check::probability("p_request", p)?;
    crate::error::check::probability("p_reply", q)?;
    let n = transfers.len();
    let out = run_bank_lossy(schedule, transfers, naive_apply, p, q, seed)?;
    let counts = &out.server.deliveries;
    Ok((0..n as u64)
        .map(|k| f64::from(*counts.get(&k).unwrap_or(&0)))
        .collect())
}

fn run_bank_lossy(
    schedule: &Schedule,
    transfers: Vec<Transfer>,
    apply: fn(&mut Ledger, Transfer) -> Receipt,
    p: f64,
    q: f64,
    seed: u64,
) -> Result<Outcome> {
    let link = LinkConfig {
        jitter_s: Dist::exponential(schedule.jitter)?,
        ..LinkConfig::reliable(0.005, 1e7)?
    };
    run_pair(
        Client::new(transfers, 64, 0.3, solution_backoff),
        Server::new(apply),
        [LinkConfig { loss: p, ..link }, LinkConfig { loss: q, ..link }],
        &schedule.faults,
        Limits {
            until: 36_000.0,
            max_events: 20_000_000,
        },
        seed,
    )
}

/// Grades task 4 over seeded fault schedules (loss, duplication, reordering, server pauses and
/// a crash with recovery): every transfer must be applied exactly once (the final balance is
/// the sum of the amounts), and every reply for a key must carry the same receipt.
pub fn grade_apply_transfer(
    f: fn(&mut Ledger, Transfer) -> Receipt,
    seed: u64,
) -> impl FnOnce(&mut Checker) -> Result<(), Verdict> {
    move |c: &mut Checker| {
        let mut rng = cases_rng(seed, 4);
        // A direct case first: the same transfer twice.
        let mut l = Ledger::default();
        let t = Transfer { key: 1, amount: 500 };
        let first = c.call("apply {key: 1, amount: 500} to an empty ledger", || f(&mut l, t))?;
        let again = c.call("the same transfer again", || f(&mut l, t))?;
        c.equal("the same transfer, applied twice: balance", l.balance, 500)?;
        c.equal("the same transfer, applied twice: second receipt", again, first)?;
        for case in 0..20 {
            let schedule = random_schedule(&mut rng);
            let transfers: Vec<Transfer> = (0..30)
                .map(|k| Transfer {
                    key: 1000 * case + k,
                    amount: rng.random_range(-5000..10_000),
                })
                .collect();
            let input = format!(
                "schedule {case}: 30 transfers, loss {}%, duplication {}%, {} fault(s) at the server",
                fmt_num(schedule.loss * 100.0),
                fmt_num(schedule.duplicate * 100.0),
                schedule.faults.len()
            );
            let out = c.call(&input, || {
                run_bank(&schedule, transfers.clone(), f, solution_backoff, rng.random())
            })?;
            let out = out.map_err(sim_failed)?;
            if out.client.done.len() != transfers.len() {
                return Err(sim_failed(Error::invalid(
                    "transfers",
                    out.client.done.len(),
                    "did not all complete",
                )));
            }
            let want: i64 = transfers.iter().map(|t| t.amount).sum();
            let deliveries: u32 = out.server.deliveries.values().sum();
            if out.server.ledger.balance != want {
                return Err(Verdict::fail(
                    &input,
                    format!("balance {want}"),
                    format!("balance {}", out.server.ledger.balance),
                )
                .because(format!(
                    "the server received {deliveries} requests for 30 transfers (retries and duplicates): \
                         some were applied more than once"
                )));
            }
            let mut first: HashMap<u64, Receipt> = HashMap::new();
            for r in &out.client.replies {
                let f0 = *first.entry(r.key).or_insert(*r);
                if f0 != *r {
                    return Err(
                        Verdict::fail(&input, format!("{f0:?} for every copy"), format!("{r:?}")).because(
                            "a retry was answered differently from the original: the client cannot tell which is true",
                        ),
                    );
                }
            }
            c.pass();
        }
        Ok(())
    }
}

impl Chapter for PartialFailure {
    const NUMBER: u8 = 1;
    type Answers = Answers;
    type Args = PartialArgs;

    fn tasks() -> &'static [Task<Answers>] {
        TASKS
    }

    fn simulate(a: &Answers, args: &PartialArgs, seed: u64, out: &Path) -> Result<Vec<PathBuf>> {
        let mut files = Vec::new();
        files.extend(backoff_figure(a.backoff, seed)?.save(out, "backoff")?);
        files.extend(balance_figure(a.apply_transfer, args.loss, args.schedules, seed)?.save(out, "balance-errors")?);
        Ok(files)
    }
}

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

/// One request under one fault: what the client could see, and what really happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    /// What went wrong.
    pub fault: &'static str,
    /// Did a reply reach the client within the timeout?
    pub reply_within_timeout: bool,
    /// Did the server apply the request (by the end of the run)?
    pub applied: bool,
    /// When the reply reached the client, if it ever did.
    pub reply_at: Option<f64>,
}

/// A client sends one transfer at time 0 over a 10 ms link and waits `timeout` seconds
/// (no retries), under five fault schedules: none, the request lost, the server crashed, the
/// reply lost, the server paused. The simulator's ground truth shows that the client's view is
/// the same in the last four, while the server applied the transfer in two of them.
pub fn silence_scenarios(timeout: f64) -> Result<Vec<Scenario>> {
    crate::error::check::positive("timeout", timeout)?;
    let server = 1;
    let cases: Vec<(&'static str, Vec<Fault>)> = vec![
        ("no fault", vec![]),
        ("request lost", vec![Fault::isolate(vec![server], 0.0, 0.005)]),
        (
            "server crashed",
            vec![Fault::Crash {
                node: server,
                at_s: 0.0,
                recover_at_s: None,
            }],
        ),
        ("reply lost", vec![Fault::isolate(vec![server], 0.015, 0.025)]),
        (
            "server paused 2 s",
            vec![Fault::Pause {
                node: server,
                at_s: 0.005,
                length_s: 2.0,
                mid_handler: false,
            }],
        ),
    ];
    let mut out = Vec::new();
    for (fault, faults) in cases {
        let schedule = Schedule {
            loss: 0.0,
            duplicate: 0.0,
            jitter: 1e-9,
            faults,
        };
        let transfers = vec![Transfer { key: 1, amount: 100 }];
        // No retries: the client's retry timer is pushed past the end of the run.
        let never: fn(u32, f64, f64, f64) -> f64 = |_, _, _, _| 1e9;
        let o = run_bank_observed(&schedule, transfers, never, 60.0)?;
        let reply_at = o.reply_times.first().copied();
        out.push(Scenario {
            fault,
            reply_within_timeout: reply_at.is_some_and(|t| t <= timeout),
            applied: o.outcome.server.ledger.balance == 100,
            reply_at,
        });
    }
    Ok(out)
}

struct Observed {
    outcome: Outcome,
    reply_times: Vec<f64>,
}

/// [`run_bank`] with a client that never retries within `until` and notes when replies come.
fn run_bank_observed(
    schedule: &Schedule,
    transfers: Vec<Transfer>,
    backoff: fn(u32, f64, f64, f64) -> f64,
    until: f64,
) -> Result<Observed> {
    let link = LinkConfig {
        jitter_s: Dist::exponential(schedule.jitter)?,
        ..LinkConfig::reliable(0.01, 1e7)?
    };
    let outcome = run_pair(
        Client::new(transfers, 1, until * 2.0, backoff),
        Server::new(naive_apply),
        [link, link],
        &schedule.faults,
        Limits {
            until,
            max_events: 10_000,
        },
        0,
    )?;
    let reply_times = outcome.client.reply_times.clone();
    Ok(Observed { outcome, reply_times })
}

/// Retry delays with and without jitter: 200 clients that failed at the same moment.
pub fn backoff_figure(backoff: fn(u32, f64, f64, f64) -> f64, seed: u64) -> Result<Figure> {
    let mut rng = stream(seed, 1);
    let mut truth = Vec::new();
    for client in 0..200 {
        let mut t = 0.0;
        for n in 0..8 {
            t += solution_backoff(n, 0.05, 2.0, rng.random());
            truth.push((t, f64::from(client)));
        }
    }
    let mut fig = Figure::new("200 clients retrying after the same failure: capped exponential backoff, full jitter")
        .x_label("time of retry (s)")
        .y_label("client")
        .points("retries (jittered)", truth);
    let mut rng = stream(seed, 2);
    if let Ok(pts) = attempt(|| {
        let mut pts = Vec::new();
        for client in 200..260 {
            let mut t = 0.0;
            for n in 0..8 {
                t += backoff(n, 0.05, 2.0, rng.random());
                pts.push((t, f64::from(client)));
            }
        }
        pts
    }) {
        fig = fig.points("your backoff (clients 200–259)", pts);
    }
    Ok(fig)
}

/// Final balance error (applied − intended) over random fault schedules, for a server without
/// deduplication and for the learner's `apply_transfer`.
pub fn balance_figure(
    apply: fn(&mut Ledger, Transfer) -> Receipt,
    loss: f64,
    schedules: u64,
    seed: u64,
) -> Result<Figure> {
    let run = |f: fn(&mut Ledger, Transfer) -> Receipt, i: u64| -> Result<f64> {
        let mut rng = stream(replication_seed(seed, i), 0);
        let mut s = random_schedule(&mut rng);
        s.loss = loss;
        let transfers: Vec<Transfer> = (0..30).map(|k| Transfer { key: k, amount: 100 }).collect();
        let out = run_bank(&s, transfers, f, solution_backoff, rng.random())?;
        Ok((out.server.ledger.balance - 3000) as f64 / 100.0)
    };
    let naive: Vec<f64> = (0..schedules).map(|i| run(naive_apply, i)).collect::<Result<_>>()?;
    let mut fig = Figure::new(format!(
        "30 transfers of $1 per schedule, {}% loss each way: extra transfers applied",
        fmt_num(loss * 100.0)
    ))
    .x_label("transfers applied more than intended")
    .y_label("schedules")
    .histogram("no idempotency key", &naive, 20);
    let yours = attempt(|| (0..schedules).map(|i| run(apply, i)).collect::<Result<Vec<f64>>>());
    if let Ok(Ok(y)) = yours {
        fig = fig.histogram("your apply_transfer", &y, 20);
    }
    Ok(fig)
}

/// Grades answers with the default seed (what `cargo test` does).
pub fn grade(answers: &Answers) -> Report {
    PartialFailure::grade(answers, DEFAULT_SEED)
}

/// `main` for `exercise-1` and `solution-1`.
pub fn run(answers: Answers) -> ExitCode {
    super::run::<PartialFailure>(answers)
}

/// Notebook check for task 1.
pub fn check_backoff(f: fn(u32, f64, f64, f64) -> f64) -> Report {
    check_task::<PartialFailure>(&BACKOFF, DEFAULT_SEED, grade_backoff(f, DEFAULT_SEED))
}
/// Notebook check for task 2.
pub fn check_safe_to_retry(f: fn(Op) -> bool) -> Report {
    check_task::<PartialFailure>(&SAFE_TO_RETRY, DEFAULT_SEED, grade_safe_to_retry(f, DEFAULT_SEED))
}
/// Notebook check for task 3.
pub fn check_expected_applications(f: fn(f64, f64) -> f64) -> Report {
    check_task::<PartialFailure>(
        &EXPECTED_APPLICATIONS,
        DEFAULT_SEED,
        grade_expected_applications(f, DEFAULT_SEED),
    )
}
/// Notebook check for task 4.
pub fn check_apply_transfer(f: fn(&mut Ledger, Transfer) -> Receipt) -> Report {
    check_task::<PartialFailure>(&APPLY_TRANSFER, DEFAULT_SEED, grade_apply_transfer(f, DEFAULT_SEED))
}
