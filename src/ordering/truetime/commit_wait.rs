//! Commit wait on the world: TrueTime nodes with drifting clocks that sync with a time master,
//! and a client that runs a chain of transactions across them.

use super::TrueTimeConfig;
use crate::error::{Error, Result, check};
use crate::ntp::sim::EPOCH_START;
use crate::ordering::{TtInterval, can_commit};
use crate::sim::{Limits, Seconds, Seed, stream};
use crate::world::{ClockConfig, Ctx, Handled, LinkConfig, Node, NodeError, NodeId, OpId, Protocol, World};
use rand::Rng;
use rand_distr::{Distribution, Exp};
use serde::Serialize;

/// A chain of transactions on several nodes, each started after the previous one was
/// acknowledged, so each must be ordered after it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CommitWaitConfig {
    /// Every node's TrueTime settings.
    pub truetime: TrueTimeConfig,
    /// Number of nodes (2–100).
    pub nodes: usize,
    /// Each node's crystal error is drawn uniformly within ± this, ppm (≥ 0).
    pub crystal_ppm: f64,
    /// Transactions in the chain (1–100 000).
    pub transactions: usize,
    /// Mean pause between one acknowledgement and the next transaction's start (exponential),
    /// seconds (> 0).
    pub mean_gap_s: f64,
    /// How often a waiting transaction reads `now()` again, seconds of true time (> 0).
    pub poll_s: f64,
    /// A transaction that has waited this long is released anyway and counted, seconds (> 0).
    pub max_wait_s: f64,
}

impl Default for CommitWaitConfig {
    /// Default TrueTime, 5 nodes of ±50 ppm, 500 transactions ~2 ms apart, polling every
    /// 0.1 ms, giving up after 10 s.
    fn default() -> Self {
        CommitWaitConfig {
            truetime: TrueTimeConfig::default(),
            nodes: 5,
            crystal_ppm: 50.0,
            transactions: 500,
            mean_gap_s: 0.002,
            poll_s: 1e-4,
            max_wait_s: 10.0,
        }
    }
}

impl CommitWaitConfig {
    /// Checks the fields.
    pub fn validate(&self) -> Result<()> {
        self.truetime.validate()?;
        if !(2..=100).contains(&self.nodes) {
            return Err(Error::invalid("nodes", self.nodes, "must be between 2 and 100"));
        }
        check::non_negative("crystal_ppm", self.crystal_ppm)?;
        if !(1..=100_000).contains(&self.transactions) {
            return Err(Error::invalid(
                "transactions",
                self.transactions,
                "must be between 1 and 100000",
            ));
        }
        check::positive("mean_gap_s", self.mean_gap_s)?;
        check::positive("poll_s", self.poll_s)?;
        check::positive("max_wait_s", self.max_wait_s)?;
        Ok(())
    }
}

/// One transaction as the simulator saw it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Transaction {
    /// The node that ran it.
    pub node: usize,
    /// True time it started (and took its timestamp), seconds since the start.
    pub start: Seconds,
    /// Its timestamp, `now().latest` at the start, Unix seconds.
    pub stamp: f64,
    /// True time it was acknowledged, after the commit wait, seconds since the start.
    pub released: Seconds,
    /// ε when it started, seconds.
    pub epsilon: f64,
}

impl Transaction {
    /// How long it waited, true seconds.
    pub fn waited(&self) -> f64 {
        self.released - self.start
    }
}

/// What a run produced.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitWaitOutcome {
    /// Every transaction, in real-time order.
    pub transactions: Vec<Transaction>,
    /// Transactions whose timestamp is not greater than their predecessor's, though they
    /// started after it was acknowledged: ordered against real time.
    pub violations: usize,
    /// Transactions released because they waited `max_wait_s` without the rule letting them go.
    pub gave_up: usize,
    /// Whether every reading's interval contained true time.
    pub intervals_held: bool,
}

impl CommitWaitOutcome {
    /// Mean wait, true seconds.
    pub fn mean_wait(&self) -> f64 {
        mean(self.transactions.iter().map(Transaction::waited))
    }
    /// Mean ε at the start of a transaction, seconds.
    pub fn mean_epsilon(&self) -> f64 {
        mean(self.transactions.iter().map(|t| t.epsilon))
    }
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// The nodes of a commit-wait run: TrueTime nodes with drifting clocks, a time master they
/// sync with, and the client that runs the chain of transactions.
struct CommitWait;

#[derive(Debug, Clone, Copy)]
enum Msg {
    /// TrueTime node → master: what time is it?
    SyncRequest,
    /// Master → node: true time within the sync error, Unix seconds.
    SyncReply(f64),
    /// Client → node: start transaction `id`.
    Begin(usize),
    /// Node → client: transaction `id` is acknowledged.
    Committed(usize),
    /// Client → nodes: the chain is done; stop syncing.
    Stop,
}

#[derive(Debug, Clone, Copy)]
enum Timer {
    /// A node's next sync.
    Sync,
    /// A node's next look at `now()` while a transaction waits.
    Poll,
    /// The client's next transaction.
    Next(usize),
}

/// What the history records: transactions, and every `now()` a node read (so that the truth
/// of each interval can be checked afterwards against the true time of the reading).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Transaction { id: usize, node: NodeId },
    Now,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Ret {
    Committed { stamp: f64, epsilon: f64, gave_up: bool },
    Interval(TtInterval),
}

impl Protocol for CommitWait {
    type Msg = Msg;
    type Timer = Timer;
    type Op = Op;
    type Ret = Ret;
}

/// The master's clock is perfect (GPS and atomic clocks): it answers with true time plus an
/// error uniform in ±`sync_error_s`.
struct Master {
    sync_error_s: f64,
}

impl Node<CommitWait> for Master {
    fn receive(&mut self, ctx: &mut Ctx<'_, CommitWait>, from: NodeId, msg: Msg) -> Handled {
        if let Msg::SyncRequest = msg {
            let e = self.sync_error_s;
            let error = if e > 0.0 { ctx.rng.random_range(-e..=e) } else { 0.0 };
            let reply = ctx.wall_s() + error;
            ctx.send(from, Msg::SyncReply(reply), 0);
        }
        Ok(())
    }
}

/// A TrueTime node: syncs with the master every `sync_interval_s` of its monotonic clock and
/// runs transactions, releasing each when `rule(stamp, now())` lets it go.
struct TtNode {
    cfg: TrueTimeConfig,
    master: NodeId,
    client: NodeId,
    rule: fn(f64, TtInterval) -> bool,
    poll_s: f64,
    max_wait_s: f64,
    last_sync_mono: f64,
    /// The transaction waiting: (id, stamp, ε at its start, its op, monotonic start).
    waiting: Option<(usize, f64, f64, OpId, f64)>,
    stopped: bool,
}

impl TtNode {
    /// `now()`: the wall clock ± ε, recorded in the history with the reading's true time.
    fn now(&mut self, ctx: &mut Ctx<'_, CommitWait>) -> Result<(TtInterval, f64), NodeError> {
        let r = ctx.read_clock();
        let since = (r.monotonic - self.last_sync_mono).max(0.0);
        let eps = self.cfg.sync_error_s + self.cfg.drift_bound_ppm * 1e-6 * since;
        let interval = TtInterval {
            earliest: r.wall - eps,
            latest: r.wall + eps,
        };
        let op = ctx.invoke(Op::Now);
        ctx.complete(op, Ret::Interval(interval))?;
        Ok((interval, eps))
    }

    /// Looks at `now()` for the waiting transaction: releases it, or polls again.
    fn poll(&mut self, ctx: &mut Ctx<'_, CommitWait>) -> Handled {
        let Some((id, stamp, epsilon, op, started_mono)) = self.waiting else {
            return Ok(());
        };
        let (now, _) = self.now(ctx)?;
        let gave_up = ctx.monotonic_s() - started_mono >= self.max_wait_s;
        if (self.rule)(stamp, now) || gave_up {
            self.waiting = None;
            ctx.complete(
                op,
                Ret::Committed {
                    stamp,
                    epsilon,
                    gave_up: gave_up && !(self.rule)(stamp, now),
                },
            )?;
            ctx.send(self.client, Msg::Committed(id), 0);
        } else {
            ctx.set_timer(self.poll_s, Timer::Poll);
        }
        Ok(())
    }
}

impl Node<CommitWait> for TtNode {
    fn start(&mut self, ctx: &mut Ctx<'_, CommitWait>) -> Handled {
        ctx.send(self.master, Msg::SyncRequest, 0);
        ctx.set_timer(self.cfg.sync_interval_s, Timer::Sync);
        Ok(())
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, CommitWait>, _from: NodeId, msg: Msg) -> Handled {
        match msg {
            Msg::SyncReply(master_wall) => {
                let delta = master_wall - ctx.wall_s();
                ctx.step_wall(delta);
                self.last_sync_mono = ctx.monotonic_s();
                Ok(())
            }
            Msg::Begin(id) => {
                if self.waiting.is_some() {
                    return Err(NodeError::new("a transaction began while another waited"));
                }
                let (now, epsilon) = self.now(ctx)?;
                let op = ctx.invoke(Op::Transaction { id, node: ctx.me() });
                self.waiting = Some((id, now.latest, epsilon, op, ctx.monotonic_s()));
                self.poll(ctx)
            }
            Msg::Stop => {
                self.stopped = true;
                Ok(())
            }
            other => Err(NodeError::new(format!("a TrueTime node got {other:?}"))),
        }
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, CommitWait>, timer: Timer) -> Handled {
        match timer {
            Timer::Sync if self.stopped => Ok(()),
            Timer::Sync => {
                ctx.send(self.master, Msg::SyncRequest, 0);
                ctx.set_timer(self.cfg.sync_interval_s, Timer::Sync);
                Ok(())
            }
            Timer::Poll => self.poll(ctx),
            Timer::Next(_) => Err(NodeError::new("a TrueTime node got the client's timer")),
        }
    }
}

/// Starts each transaction on a random node an exponential pause after the previous one was
/// acknowledged.
struct Client {
    nodes: usize,
    transactions: usize,
    gap: Exp<f64>,
}

impl Node<CommitWait> for Client {
    fn start(&mut self, ctx: &mut Ctx<'_, CommitWait>) -> Handled {
        let pause = self.gap.sample(ctx.rng);
        ctx.set_timer(pause, Timer::Next(0));
        Ok(())
    }
    fn timer(&mut self, ctx: &mut Ctx<'_, CommitWait>, timer: Timer) -> Handled {
        if let Timer::Next(id) = timer {
            let node = ctx.rng.random_range(0..self.nodes);
            ctx.send(node, Msg::Begin(id), 0);
        }
        Ok(())
    }
    fn receive(&mut self, ctx: &mut Ctx<'_, CommitWait>, _from: NodeId, msg: Msg) -> Handled {
        if let Msg::Committed(id) = msg {
            if id + 1 < self.transactions {
                let pause = self.gap.sample(ctx.rng);
                ctx.set_timer(pause, Timer::Next(id + 1));
            } else {
                for node in 0..self.nodes {
                    ctx.send(node, Msg::Stop, 0);
                }
            }
        }
        Ok(())
    }
}

/// Runs the chain on the world simulator, releasing each transaction when `rule(stamp, now())`
/// says so (pass [`can_commit`] for commit wait, `|_, _| true` for none). Nodes `0..nodes`
/// are TrueTime nodes whose crystals are drawn from stream 0 of the seed; they sync with a
/// time master over instant links; a client starts the transactions. The world's randomness
/// (sync errors, gaps, node picks) comes from [`Seed::child`] 0.
pub fn simulate(cfg: &CommitWaitConfig, rule: fn(f64, TtInterval) -> bool, seed: u64) -> Result<CommitWaitOutcome> {
    cfg.validate()?;
    let mut crystals = stream(seed, 0);
    let gap = Exp::new(1.0 / cfg.mean_gap_s).map_err(|_| Error::invalid("mean_gap_s", cfg.mean_gap_s, "bad rate"))?;
    let mut world = World::<CommitWait>::new(Seed(seed).child(0));
    world.set_link(LinkConfig::reliable(0.0, 1e12)?)?;
    let (master, client) = (cfg.nodes, cfg.nodes + 1);
    for _ in 0..cfg.nodes {
        let ppm = if cfg.crystal_ppm > 0.0 {
            crystals.random_range(-cfg.crystal_ppm..=cfg.crystal_ppm)
        } else {
            0.0
        };
        let node = TtNode {
            cfg: cfg.truetime,
            master,
            client,
            rule,
            poll_s: cfg.poll_s,
            max_wait_s: cfg.max_wait_s,
            last_sync_mono: 0.0,
            waiting: None,
            stopped: false,
        };
        world.add_node_with_clock(node, ClockConfig::drifting(ppm).with_wall_at_start(EPOCH_START));
    }
    world.add_node_with_clock(
        Master {
            sync_error_s: cfg.truetime.sync_error_s,
        },
        ClockConfig::perfect().with_wall_at_start(EPOCH_START),
    );
    world.add_node(Client {
        nodes: cfg.nodes,
        transactions: cfg.transactions,
        gap,
    });
    // The client stops the nodes' syncs when the chain is done, so the run drains; the event
    // bound is only a guard (a transaction polls at most max_wait_s / poll_s times).
    let polls = (cfg.max_wait_s / cfg.poll_s).ceil().min(1e7) as u64 + 2;
    let out = world.run(Limits {
        until: f64::INFINITY,
        max_events: (cfg.transactions as u64) * (4 * polls + 64) + 1_000_000,
    })?;
    if let Some(f) = out.failure {
        return Err(Error::invalid("commit-wait run", f, "a node failed"));
    }
    let mut outcome = CommitWaitOutcome {
        transactions: Vec::with_capacity(cfg.transactions),
        violations: 0,
        gave_up: 0,
        intervals_held: true,
    };
    for op in &out.history {
        match (op.op, op.ret, op.completed_at_s) {
            (Op::Now, Some(Ret::Interval(i)), _) => {
                outcome.intervals_held &= i.contains(EPOCH_START + op.invoked_at_s);
            }
            (
                Op::Transaction { node, .. },
                Some(Ret::Committed {
                    stamp,
                    epsilon,
                    gave_up,
                }),
                Some(released),
            ) => {
                outcome.gave_up += usize::from(gave_up);
                outcome.transactions.push(Transaction {
                    node,
                    start: op.invoked_at_s,
                    stamp,
                    released,
                    epsilon,
                });
            }
            _ => {}
        }
    }
    if outcome.transactions.len() != cfg.transactions {
        return Err(Error::invalid(
            "transactions",
            outcome.transactions.len(),
            "the chain did not finish within the run's event bound",
        ));
    }
    outcome.violations = outcome
        .transactions
        .windows(2)
        .filter(|p| p[1].stamp <= p[0].stamp)
        .count();
    Ok(outcome)
}

/// [`simulate`] with commit wait.
pub fn with_commit_wait(cfg: &CommitWaitConfig, seed: u64) -> Result<CommitWaitOutcome> {
    simulate(cfg, can_commit, seed)
}
