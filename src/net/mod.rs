//! A message network on the discrete-event core: nodes running [`Process`]es exchange messages
//! over links that delay, queue, drop, duplicate and reorder them, through partitions that
//! start and heal on a schedule, while nodes crash, recover and pause. Every message's fate is
//! recorded: the ground truth that no node can see.
//!
//! Delay of a message on a link = queueing at the sender's output buffer (messages ahead of
//! it still being transmitted) + its own transmission time (size / bandwidth) + propagation +
//! random jitter. Jitter is what lets a later message overtake an earlier one. A full output
//! buffer drops the message, like a switch port.

use std::collections::VecDeque;

use rand::Rng;

use crate::error::{Error, Result, check};
use crate::sim::{Dist, EventQueue, Limits, RunOutcome, SimRng, stream};

/// A node's index, 0-based.
pub type NodeId = usize;

/// How every directed link behaves.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinkConfig {
    /// Propagation delay, seconds (≥ 0).
    pub propagation: f64,
    /// Bytes per second (> 0).
    pub bandwidth: f64,
    /// Messages the output buffer holds, the one being transmitted included (≥ 1).
    pub buffer: usize,
    /// Probability a message is lost on the wire.
    pub loss: f64,
    /// Probability a message is delivered twice (the copy takes its own jitter).
    pub duplicate: f64,
    /// Extra random delay after propagation (no negative samples); spread here reorders.
    pub jitter: Dist,
}

impl LinkConfig {
    /// A perfect link: fixed propagation, given bandwidth, deep buffer, no loss, no jitter.
    pub fn reliable(propagation: f64, bandwidth: f64) -> Result<Self> {
        let l = LinkConfig {
            propagation,
            bandwidth,
            buffer: 1 << 20,
            loss: 0.0,
            duplicate: 0.0,
            jitter: Dist::constant(0.0)?,
        };
        l.validate()?;
        Ok(l)
    }

    /// Checks every field; zero bandwidth and an empty buffer are errors.
    pub fn validate(&self) -> Result<()> {
        check::non_negative("propagation", self.propagation)?;
        check::positive("bandwidth", self.bandwidth)?;
        check::at_least_one("buffer", self.buffer as u64)?;
        check::probability("loss", self.loss)?;
        check::probability("duplicate", self.duplicate)?;
        if !self.jitter.is_non_negative() {
            return Err(Error::invalid(
                "jitter",
                format!("{:?}", self.jitter),
                "can be negative",
            ));
        }
        Ok(())
    }
}

/// Something that happens to the network or a node on a schedule.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    /// During `[start, end)` no message crosses between `side` and the other nodes (sent or
    /// arriving in that window).
    Partition {
        /// When it starts.
        start: f64,
        /// When it heals.
        end: f64,
        /// The nodes cut off from the rest (not empty, not everyone).
        side: Vec<NodeId>,
    },
    /// The node stops at `at`: messages to it are lost, its timers are cancelled. If
    /// `recover` is given it restarts then ([`Process::recover`]).
    Crash {
        /// The node.
        node: NodeId,
        /// When it crashes.
        at: f64,
        /// When it restarts, if it does.
        recover: Option<f64>,
    },
    /// The node stops running for `length` seconds (a GC or VM pause): it is not dead, and
    /// what arrives meanwhile is handled, in order, when it resumes.
    Pause {
        /// The node.
        node: NodeId,
        /// When it stops.
        at: f64,
        /// For how long.
        length: f64,
    },
}

/// Why a message was not delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DropReason {
    /// Lost on the wire.
    Loss,
    /// The sender's output buffer was full.
    BufferFull,
    /// A partition separated the two nodes.
    Partition,
    /// The receiver was crashed when it arrived.
    ReceiverDown,
}

/// What became of a message.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fate {
    /// Still travelling when the run stopped.
    InFlight,
    /// Handed to the receiver's process at this time.
    Delivered(f64),
    /// Dropped at this time.
    Dropped(f64, DropReason),
}

/// Ground truth about one message (or one duplicate copy of it).
#[derive(Debug, Clone, PartialEq)]
pub struct MessageRecord {
    /// Message number, in order of sending; a duplicate shares its original's.
    pub id: u64,
    /// True for the extra copy made by duplication.
    pub duplicate: bool,
    /// Sender.
    pub from: NodeId,
    /// Receiver.
    pub to: NodeId,
    /// Bytes.
    pub size: u64,
    /// When it was sent.
    pub sent_at: f64,
    /// What happened to it.
    pub fate: Fate,
}

/// What a process may do when it runs: send messages and set timers.
pub struct Ctx<'a, M> {
    now: f64,
    me: NodeId,
    nodes: usize,
    sends: &'a mut Vec<(NodeId, M, u64)>,
    timers: &'a mut Vec<(f64, u64)>,
    /// A random stream for this node.
    pub rng: &'a mut SimRng,
}

impl<M> Ctx<'_, M> {
    /// Virtual time now.
    pub fn now(&self) -> f64 {
        self.now
    }
    /// This node's id.
    pub fn me(&self) -> NodeId {
        self.me
    }
    /// Number of nodes.
    pub fn nodes(&self) -> usize {
        self.nodes
    }
    /// Sends `msg` of `size` bytes to `to` (ignored if `to` is not a node).
    pub fn send(&mut self, to: NodeId, msg: M, size: u64) {
        if to < self.nodes {
            self.sends.push((to, msg, size));
        }
    }
    /// Calls [`Process::timer`] with `tag` after `delay` seconds (negative or NaN: now).
    pub fn set_timer(&mut self, delay: f64, tag: u64) {
        let d = if delay.is_nan() || delay < 0.0 { 0.0 } else { delay };
        self.timers.push((d, tag));
    }
}

/// A node's behaviour.
pub trait Process<M> {
    /// Called once at time 0.
    fn start(&mut self, _ctx: &mut Ctx<'_, M>) {}
    /// A message arrived.
    fn receive(&mut self, ctx: &mut Ctx<'_, M>, from: NodeId, msg: M);
    /// A timer set with [`Ctx::set_timer`] fired.
    fn timer(&mut self, _ctx: &mut Ctx<'_, M>, _tag: u64) {}
    /// The node restarted after a crash (its timers are gone; its fields are what it kept).
    fn recover(&mut self, _ctx: &mut Ctx<'_, M>) {}
}

enum Ev<M> {
    Start(NodeId),
    Arrive { record: usize, msg: M },
    Timer { node: NodeId, tag: u64, epoch: u64 },
    Crash(NodeId),
    Recover(NodeId),
    Pause { node: NodeId, length: f64 },
    Resume(NodeId),
}

enum Deferred<M> {
    Message { record: usize, msg: M },
    Timer(u64),
}

struct NodeState<M> {
    up: bool,
    paused_until: f64,
    epoch: u64,
    deferred: VecDeque<Deferred<M>>,
    rng: SimRng,
}

struct LinkState {
    free_at: f64,
    in_buffer: VecDeque<f64>,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq)]
pub struct NetOutcome {
    /// Every message and duplicate, in order of sending.
    pub records: Vec<MessageRecord>,
    /// Events handled, final time, why it stopped.
    pub run: RunOutcome,
}

impl NetOutcome {
    /// Messages delivered.
    pub fn delivered(&self) -> usize {
        self.records
            .iter()
            .filter(|r| matches!(r.fate, Fate::Delivered(_)))
            .count()
    }
    /// Messages dropped for `reason`.
    pub fn dropped(&self, reason: DropReason) -> usize {
        self.records
            .iter()
            .filter(|r| matches!(r.fate, Fate::Dropped(_, why) if why == reason))
            .count()
    }
}

/// A network of nodes: run it with [`Network::run`].
///
/// ```
/// use faultline::net::{Ctx, LinkConfig, Network, NodeId, Process};
/// use faultline::sim::Limits;
/// struct Echo;
/// impl Process<u32> for Echo {
///     fn start(&mut self, ctx: &mut Ctx<'_, u32>) { if ctx.me() == 0 { ctx.send(1, 7, 100); } }
///     fn receive(&mut self, ctx: &mut Ctx<'_, u32>, from: NodeId, m: u32) { if m == 7 { ctx.send(from, 8, 100); } }
/// }
/// let link = LinkConfig::reliable(0.010, 1e6).unwrap(); // 10 ms, 1 MB/s
/// let net = Network::new(vec![Echo, Echo], link, vec![]).unwrap();
/// let (out, _) = net.run(Limits::default(), 1);
/// assert_eq!(out.delivered(), 2);
/// ```
pub struct Network<M, P> {
    processes: Vec<P>,
    link: LinkConfig,
    faults: Vec<Fault>,
    _m: std::marker::PhantomData<M>,
}

impl<M: Clone, P: Process<M>> Network<M, P> {
    /// Validates the link and the faults: node ids in range, partitions with a non-empty side
    /// that is not everyone and `start < end`, non-negative times, positive pause lengths.
    pub fn new(processes: Vec<P>, link: LinkConfig, faults: Vec<Fault>) -> Result<Self> {
        link.validate()?;
        let n = processes.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "network",
                reason: "it needs at least one node",
            });
        }
        let node_ok = |id: NodeId| {
            if id < n {
                Ok(())
            } else {
                Err(Error::invalid("node", id, "is not a node of this network"))
            }
        };
        for f in &faults {
            match f {
                Fault::Partition { start, end, side } => {
                    check::non_negative("partition start", *start)?;
                    check::finite("partition end", *end)?;
                    if end <= start {
                        return Err(Error::invalid("partition end", end, "must be after its start"));
                    }
                    if side.is_empty() {
                        return Err(Error::Empty {
                            what: "partition side",
                            reason: "a partition must cut off at least one node",
                        });
                    }
                    if side.len() >= n {
                        return Err(Error::invalid(
                            "partition side",
                            side.len(),
                            "must leave some node outside",
                        ));
                    }
                    side.iter().try_for_each(|&id| node_ok(id))?;
                }
                Fault::Crash { node, at, recover } => {
                    node_ok(*node)?;
                    check::non_negative("crash time", *at)?;
                    if let Some(r) = recover
                        && (r.is_nan() || *r <= *at)
                    {
                        return Err(Error::invalid("recover time", r, "must be after the crash"));
                    }
                }
                Fault::Pause { node, at, length } => {
                    node_ok(*node)?;
                    check::non_negative("pause start", *at)?;
                    check::positive("pause length", *length)?;
                }
            }
        }
        Ok(Network {
            processes,
            link,
            faults,
            _m: std::marker::PhantomData,
        })
    }

    fn partitioned(&self, a: NodeId, b: NodeId, t: f64) -> bool {
        self.faults.iter().any(|f| match f {
            Fault::Partition { start, end, side } => {
                t >= *start && t < *end && (side.contains(&a) != side.contains(&b))
            }
            _ => false,
        })
    }

    /// Runs until no events are left or a limit is reached, seeded: link randomness from
    /// `stream(seed, 0)`, node i's from `stream(seed, 1 + i)`. Returns the ground truth and
    /// the processes in their final state.
    pub fn run(mut self, limits: Limits, seed: u64) -> (NetOutcome, Vec<P>) {
        let n = self.processes.len();
        let mut wire = stream(seed, 0);
        let mut nodes: Vec<NodeState<M>> = (0..n)
            .map(|i| NodeState {
                up: true,
                paused_until: f64::NEG_INFINITY,
                epoch: 0,
                deferred: VecDeque::new(),
                rng: stream(seed, 1 + i as u64),
            })
            .collect();
        let mut links: Vec<LinkState> = (0..n * n)
            .map(|_| LinkState {
                free_at: 0.0,
                in_buffer: VecDeque::new(),
            })
            .collect();
        let mut records: Vec<MessageRecord> = Vec::new();
        let mut q: EventQueue<Ev<M>> = EventQueue::new();
        for i in 0..n {
            q.schedule(0.0, Ev::Start(i)).expect("time 0 is valid");
        }
        for f in &self.faults {
            match *f {
                Fault::Crash { node, at, recover } => {
                    q.schedule(at, Ev::Crash(node)).expect("validated");
                    if let Some(r) = recover {
                        q.schedule(r, Ev::Recover(node)).expect("validated");
                    }
                }
                Fault::Pause { node, at, length } => {
                    q.schedule(at, Ev::Pause { node, length }).expect("validated");
                }
                Fault::Partition { .. } => {}
            }
        }
        let mut next_id = 0u64;
        let mut sends: Vec<(NodeId, M, u64)> = Vec::new();
        let mut timers: Vec<(f64, u64)> = Vec::new();
        let link = self.link;

        let run = q.run(limits, |q, now, ev| {
            // Which node runs its process now, and how.
            enum Call<M> {
                Start,
                Receive(NodeId, M),
                Timer(u64),
                Recover,
            }
            let (node, call) = match ev {
                Ev::Start(i) => (i, Call::Start),
                Ev::Crash(i) => {
                    nodes[i].up = false;
                    nodes[i].epoch += 1;
                    nodes[i].deferred.clear();
                    return;
                }
                Ev::Recover(i) => {
                    nodes[i].up = true;
                    (i, Call::Recover)
                }
                Ev::Pause { node: i, length } => {
                    nodes[i].paused_until = nodes[i].paused_until.max(now + length);
                    q.schedule(now + length, Ev::Resume(i))
                        .expect("pause length is positive");
                    return;
                }
                Ev::Resume(i) => {
                    if now < nodes[i].paused_until {
                        return; // an overlapping pause extended it
                    }
                    // Replay what arrived meanwhile, in order, at this instant.
                    let pending: Vec<Deferred<M>> = nodes[i].deferred.drain(..).collect();
                    for d in pending {
                        match d {
                            Deferred::Message { record, msg } => {
                                q.schedule(now, Ev::Arrive { record, msg }).expect("now");
                            }
                            Deferred::Timer(tag) => {
                                let epoch = nodes[i].epoch;
                                q.schedule(now, Ev::Timer { node: i, tag, epoch }).expect("now");
                            }
                        }
                    }
                    return;
                }
                Ev::Arrive { record, msg } => {
                    let (from, to) = (records[record].from, records[record].to);
                    if self.partitioned(from, to, now) {
                        records[record].fate = Fate::Dropped(now, DropReason::Partition);
                        return;
                    }
                    if !nodes[to].up {
                        records[record].fate = Fate::Dropped(now, DropReason::ReceiverDown);
                        return;
                    }
                    if now < nodes[to].paused_until {
                        nodes[to].deferred.push_back(Deferred::Message { record, msg });
                        return;
                    }
                    records[record].fate = Fate::Delivered(now);
                    (to, Call::Receive(from, msg))
                }
                Ev::Timer { node, tag, epoch } => {
                    if !nodes[node].up || epoch != nodes[node].epoch {
                        return;
                    }
                    if now < nodes[node].paused_until {
                        nodes[node].deferred.push_back(Deferred::Timer(tag));
                        return;
                    }
                    (node, Call::Timer(tag))
                }
            };
            if !nodes[node].up {
                return;
            }
            if now < nodes[node].paused_until {
                // A start or restart that falls inside a pause is skipped: schedule pauses
                // after them.
                return;
            }
            sends.clear();
            timers.clear();
            {
                let mut ctx = Ctx {
                    now,
                    me: node,
                    nodes: n,
                    sends: &mut sends,
                    timers: &mut timers,
                    rng: &mut nodes[node].rng,
                };
                let p = &mut self.processes[node];
                match call {
                    Call::Start => p.start(&mut ctx),
                    Call::Receive(from, msg) => p.receive(&mut ctx, from, msg),
                    Call::Timer(tag) => p.timer(&mut ctx, tag),
                    Call::Recover => p.recover(&mut ctx),
                }
            }
            let epoch = nodes[node].epoch;
            for (delay, tag) in timers.drain(..) {
                q.schedule(now + delay, Ev::Timer { node, tag, epoch })
                    .expect("delay ≥ 0");
            }
            for (to, msg, size) in sends.drain(..) {
                let id = next_id;
                next_id += 1;
                let mut record = MessageRecord {
                    id,
                    duplicate: false,
                    from: node,
                    to,
                    size,
                    sent_at: now,
                    fate: Fate::InFlight,
                };
                let l = &mut links[node * n + to];
                while l.in_buffer.front().is_some_and(|&done| done <= now) {
                    l.in_buffer.pop_front();
                }
                if l.in_buffer.len() >= link.buffer {
                    record.fate = Fate::Dropped(now, DropReason::BufferFull);
                    records.push(record);
                    continue;
                }
                let done = now.max(l.free_at) + size as f64 / link.bandwidth;
                l.free_at = done;
                l.in_buffer.push_back(done);
                if self.partitioned(node, to, now) {
                    record.fate = Fate::Dropped(now, DropReason::Partition);
                    records.push(record);
                    continue;
                }
                if wire.random_bool(link.loss) {
                    record.fate = Fate::Dropped(done + link.propagation, DropReason::Loss);
                    records.push(record);
                    continue;
                }
                let copies = if wire.random_bool(link.duplicate) { 2 } else { 1 };
                let mut msg = Some(msg);
                for c in 0..copies {
                    let at = done + link.propagation + link.jitter.sample(&mut wire);
                    let mut r = record.clone();
                    r.duplicate = c == 1;
                    records.push(r);
                    let idx = records.len() - 1;
                    let m = if c + 1 == copies {
                        msg.take().expect("one message per copy")
                    } else {
                        msg.clone().expect("present until the last copy")
                    };
                    q.schedule(at, Ev::Arrive { record: idx, msg: m })
                        .expect("arrival is later");
                }
            }
        });
        (NetOutcome { records, run }, self.processes)
    }
}
