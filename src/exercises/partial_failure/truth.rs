//! What the simulator says is true, and the machinery the graders and figures share: the
//! operations' effect on a ledger, the client and bank server as nodes of the world
//! simulator, random fault schedules, and the runs that put them together.

use super::{Ledger, Op, Receipt, Transfer};
use crate::error::{Error, Result};
use crate::grade::Verdict;
use crate::sim::{Dist, Limits, SimRng, stream};
use crate::world::{Ctx, Fault, Handled, LinkConfig, Node, NodeId, Plain, World};
use rand::Rng;
use std::collections::{HashMap, HashSet};

pub(super) fn cases_rng(seed: u64, task: u64) -> SimRng {
    stream(seed, 100 + task)
}

pub(super) fn sim_failed(e: Error) -> Verdict {
    Verdict::fail("(simulator)", "a simulation", format!("an error: {e}"))
}

/// The state an [`Op`] acts on.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct State {
    pub(super) balance: i64,
    pub(super) log: Vec<i64>,
    pub(super) keys: HashSet<u64>,
}

pub(super) fn run_op(s: &mut State, op: Op) {
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

/// Messages between the client and the server.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Msg {
    Request(Transfer),
    Reply(Receipt),
}

/// A client and a bank server: requests and replies, retry timers carrying the transfer's key.
pub(super) type Bank = Plain<Msg, u64>;

/// Issues transfers with up to `window` outstanding, retrying each after `timeout` plus the
/// learner's backoff until a reply with its key arrives.
pub(super) struct Client {
    transfers: Vec<Transfer>,
    next: usize,
    window: usize,
    timeout: f64,
    backoff: fn(u32, f64, f64, f64) -> f64,
    attempts: HashMap<u64, u32>,
    pub(super) done: HashSet<u64>,
    pub(super) replies: Vec<Receipt>,
    /// When each reply arrived, on the client's (perfect) clock: true time.
    pub(super) reply_times: Vec<f64>,
}

impl Client {
    pub(super) fn new(
        transfers: Vec<Transfer>,
        window: usize,
        timeout: f64,
        backoff: fn(u32, f64, f64, f64) -> f64,
    ) -> Self {
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

/// One call of the server's handler: the request, the balance before and after, the answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Call {
    pub(super) transfer: Transfer,
    pub(super) balance_before: i64,
    pub(super) balance_after: i64,
    pub(super) receipt: Receipt,
    /// When the server handled it (its clock is perfect: true time), seconds.
    pub(super) at_s: f64,
}

/// Applies every request it receives with `apply`, counting deliveries per key and logging
/// every call.
pub(super) struct Server {
    pub(super) ledger: Ledger,
    apply: fn(&mut Ledger, Transfer) -> Receipt,
    pub(super) deliveries: HashMap<u64, u32>,
    pub(super) calls: Vec<Call>,
    /// Whether a panic of `apply` ends the run cleanly (recorded in `panicked`) instead of
    /// unwinding out of it.
    catch: bool,
    /// What `apply` panicked with, when it did (`None` inside for a `todo!()`).
    pub(super) panicked: Option<Option<String>>,
}

impl Server {
    pub(super) fn new(apply: fn(&mut Ledger, Transfer) -> Receipt) -> Self {
        Server {
            ledger: Ledger::default(),
            apply,
            deliveries: HashMap::new(),
            calls: Vec::new(),
            catch: false,
            panicked: None,
        }
    }

    /// The same server, ending the run cleanly when `apply` panics (see `panicked`).
    pub(super) fn catching_panics(mut self) -> Self {
        self.catch = true;
        self
    }
}

impl Node<Bank> for Server {
    fn receive(&mut self, ctx: &mut Ctx<'_, Bank>, from: NodeId, m: Msg) -> Handled {
        if let Msg::Request(t) = m {
            *self.deliveries.entry(t.key).or_insert(0) += 1;
            let balance_before = self.ledger.balance;
            let r = if self.catch {
                let (apply, ledger) = (self.apply, &mut self.ledger);
                match crate::grade::attempt(|| apply(ledger, t)) {
                    Ok(r) => r,
                    Err(p) => {
                        let (why, msg) = match p {
                            crate::grade::Panicked::Todo => (None, "apply_transfer is still todo!()".to_string()),
                            crate::grade::Panicked::Other(m) => {
                                (Some(m.clone()), format!("apply_transfer panicked: {m}"))
                            }
                        };
                        self.panicked = Some(why);
                        return Err(crate::world::NodeError::new(msg));
                    }
                }
            } else {
                (self.apply)(&mut self.ledger, t)
            };
            self.calls.push(Call {
                transfer: t,
                balance_before,
                balance_after: self.ledger.balance,
                receipt: r,
                at_s: ctx.monotonic_s(),
            });
            ctx.send(from, Msg::Reply(r), 64);
        }
        Ok(())
    }
}

/// One fault schedule: loss each way, duplication, reordering jitter, server pauses and a
/// crash with recovery.
#[derive(Debug, Clone)]
pub(super) struct Schedule {
    pub(super) loss: f64,
    pub(super) duplicate: f64,
    pub(super) jitter: f64,
    pub(super) faults: Vec<Fault>,
}

pub(super) fn random_schedule(rng: &mut SimRng) -> Schedule {
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

pub(super) struct Outcome {
    pub(super) client: Client,
    pub(super) server: Server,
}

/// Runs a client (node 0) and a server (node 1) with `link` both ways (or `links` per
/// direction: client→server, server→client) under `faults`.
pub(super) fn run_pair(
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

pub(super) fn run_bank(
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

/// The backoff rule `u · min(cap, base · 2^attempt)`, the power in floating point so that any
/// `u32` attempt works (2^attempt becomes ∞, and the cap decides).
pub(super) fn solution_backoff(attempt: u32, base: f64, cap: f64, u: f64) -> f64 {
    u * cap.min(base * 2f64.powf(f64::from(attempt)))
}

/// The reference `apply_transfer`: a repeat of a key gets its stored receipt (used to draw a
/// replayed run while the learner's is `todo!()` or panics).
pub(super) fn reference_apply(ledger: &mut Ledger, t: Transfer) -> Receipt {
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

pub(super) fn naive_apply(ledger: &mut Ledger, t: Transfer) -> Receipt {
    ledger.balance += t.amount;
    Receipt {
        key: t.key,
        balance_after: ledger.balance,
    }
}

/// Runs transfers where requests are lost with probability `p` and replies with `q`, to a
/// server that applies whatever arrives, and returns the applications per transfer: the link
/// from client to server loses with probability `p`, the one back with `q`.
pub(super) fn directional_run(
    schedule: &Schedule,
    transfers: Vec<Transfer>,
    p: f64,
    q: f64,
    seed: u64,
) -> Result<Vec<f64>> {
    crate::error::check::probability("p_request", p)?;
    crate::error::check::probability("p_reply", q)?;
    let n = transfers.len();
    let out = run_bank_lossy(schedule, transfers, naive_apply, p, q, seed)?;
    let counts = &out.server.deliveries;
    Ok((0..n as u64)
        .map(|k| f64::from(*counts.get(&k).unwrap_or(&0)))
        .collect())
}

pub(super) fn run_bank_lossy(
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
