//! Building a world and running it on the event queue.

use std::collections::{HashMap, VecDeque};

use rand::Rng;
use rand::distr::{Bernoulli, Distribution};

use crate::clock::Clock;
use crate::error::{Error, Result};
use crate::sim::{EventQueue, Limits, RunOutcome, Seed, SimRng, Stop};

use super::config::{ClockConfig, LinkConfig};
use super::ctx::{Ctx, Effects, TimerId};
use super::fault::{Fault, Partition};
use super::record::{DropReason, Fate, MessageCounts, MessageRecord, NodeEvent, NodeFailure, Operation, Outcome};
use super::timers::Timers;
use super::wire::{WireFate, WirePlan, safe_delay};
use super::{Handled, Node, NodeId, Protocol};

/// A world to build and then run once: nodes (each with its clock), links, faults.
///
/// Randomness comes from the seed one way: the wire (loss, duplication, jitter) draws from
/// stream 0, node `i`'s [`Ctx::rng`] from stream `1 + i`, node `i`'s oscillator noise from
/// stream `1_000_000 + i`.
pub struct World<P: Protocol> {
    seed: Seed,
    nodes: Vec<Box<dyn Node<P>>>,
    clocks: Vec<ClockConfig>,
    link: LinkConfig,
    links: HashMap<(NodeId, NodeId), LinkConfig>,
    faults: Vec<Fault>,
    label_messages: bool,
    record_messages: bool,
    wire_plan: Option<WirePlan<P>>,
}

impl<P: Protocol> World<P> {
    /// An empty world: no nodes, every link [`LinkConfig::default`], no faults.
    pub fn new(seed: impl Into<Seed>) -> Self {
        World {
            seed: seed.into(),
            nodes: Vec::new(),
            clocks: Vec::new(),
            link: LinkConfig::default(),
            links: HashMap::new(),
            faults: Vec::new(),
            label_messages: false,
            record_messages: true,
            wire_plan: None,
        }
    }

    /// Adds a node with a perfect clock; returns its id (0, 1, 2, … in order of adding).
    pub fn add_node(&mut self, node: impl Node<P>) -> NodeId {
        self.add_node_with_clock(node, ClockConfig::perfect())
    }

    /// Adds a node with its own clock; returns its id.
    pub fn add_node_with_clock(&mut self, node: impl Node<P>, clock: ClockConfig) -> NodeId {
        self.nodes.push(Box::new(node));
        self.clocks.push(clock);
        self.nodes.len() - 1
    }

    /// Sets how every link behaves (links set with [`World::set_link_between`] keep theirs).
    pub fn set_link(&mut self, link: LinkConfig) -> Result<&mut Self> {
        link.validate()?;
        self.link = link;
        Ok(self)
    }

    /// Sets how the directed link from `from` to `to` behaves.
    pub fn set_link_between(&mut self, from: NodeId, to: NodeId, link: LinkConfig) -> Result<&mut Self> {
        link.validate()?;
        self.links.insert((from, to), link);
        Ok(self)
    }

    /// Schedules a fault (checked when the world runs).
    pub fn add_fault(&mut self, fault: Fault) -> &mut Self {
        self.faults.push(fault);
        self
    }

    /// Schedules several faults.
    pub fn add_faults(&mut self, faults: impl IntoIterator<Item = Fault>) -> &mut Self {
        self.faults.extend(faults);
        self
    }

    /// Records every message written out with `{:?}` in [`MessageRecord::label`] (for
    /// diagrams; off by default because it costs a string per message).
    pub fn label_messages(&mut self, on: bool) -> &mut Self {
        self.label_messages = on;
        self
    }

    /// Lets `plan` decide the fate of every message it returns `Some` for, instead of the
    /// link's loss, duplication and jitter (see [`super::WirePlan`]): a run's message faults
    /// as values, for a schedule that is shrunk and replayed.
    pub fn plan_wire(&mut self, plan: WirePlan<P>) -> &mut Self {
        self.wire_plan = Some(plan);
        self
    }

    /// Records every message's fate in [`Outcome::messages`] (on by default: space-time
    /// diagrams and checkers read them). Off, a long run keeps only [`Outcome::counts`], and
    /// saves the memory and time of a record per message; nothing else about the run changes.
    pub fn record_messages(&mut self, on: bool) -> &mut Self {
        self.record_messages = on;
        self
    }

    /// Runs until no events are left, a limit is reached or a handler fails. Errors: no nodes,
    /// a link or fault naming a node that does not exist, an invalid fault or clock.
    pub fn run(self, limits: Limits) -> Result<Outcome<P>> {
        let n = self.nodes.len();
        if n == 0 {
            return Err(Error::Empty {
                what: "world",
                reason: "it needs at least one node",
            });
        }
        for &(a, b) in self.links.keys() {
            if a >= n || b >= n {
                return Err(Error::invalid(
                    "link",
                    format!("{a}→{b}"),
                    "names a node that does not exist",
                ));
            }
        }
        for f in &self.faults {
            f.validate(n)?;
        }
        let mut links = vec![self.link; n * n];
        for (&(a, b), l) in &self.links {
            links[a * n + b] = *l;
        }
        let mut state = Vec::with_capacity(n);
        for (i, c) in self.clocks.iter().enumerate() {
            state.push(NodeState {
                up: true,
                paused_until: f64::NEG_INFINITY,
                epoch: 0,
                deferred: VecDeque::new(),
                armed: VecDeque::new(),
                rng: self.seed.stream(1 + i as u64),
                clock: c.build(self.seed.stream(1_000_000 + i as u64).random())?,
            });
        }
        let mut r = Runner {
            n,
            q: EventQueue::new(),
            procs: self.nodes,
            state,
            odds: links.iter().map(Odds::of).collect(),
            links,
            link_state: (0..n * n)
                .map(|_| LinkState {
                    free_at: 0.0,
                    in_buffer: VecDeque::new(),
                })
                .collect(),
            wire: self.seed.stream(0),
            partitions: Vec::new(),
            messages: Vec::new(),
            counts: MessageCounts::default(),
            record: self.record_messages,
            history: Vec::new(),
            node_events: Vec::new(),
            effects: Effects::new(),
            timers: Timers::default(),
            next_message: 0,
            label: self.label_messages,
            failure: None,
            wire_plan: self.wire_plan,
        };
        for i in 0..n {
            r.q.schedule(0.0, Ev::Start(i)).expect("time 0 is valid");
        }
        for f in self.faults {
            r.schedule_fault(f, 0.0);
        }
        let run = r.run(limits);
        Ok(Outcome {
            messages: r.messages,
            counts: r.counts,
            history: r.history,
            node_events: r.node_events,
            partitions: r.partitions.into_iter().map(|(p, _)| p).collect(),
            clocks: r.state.into_iter().map(|s| s.clock).collect(),
            run,
            failure: r.failure,
            nodes: r.procs,
        })
    }
}

enum Ev<P: Protocol> {
    Start(NodeId),
    Arrive(Arrival<P>),
    Timer {
        node: NodeId,
        id: TimerId,
        epoch: u64,
        target_mono: f64,
        tries: u32,
        timer: P::Timer,
    },
    Crash(NodeId),
    Recover(NodeId),
    Pause {
        node: NodeId,
        length_s: f64,
    },
    ArmMidPause {
        node: NodeId,
        length_s: f64,
    },
    Resume(NodeId),
    ClockStep {
        node: NodeId,
        delta_s: f64,
    },
    /// Every link behaves as this from now on (boxed: a link's settings are twice the size of
    /// every other event, and the queue moves events by value).
    LinkChange(Box<LinkConfig>),
    /// The effects of a handler a pause fell inside, reaching the world when the pause ends.
    Flush {
        node: NodeId,
        epoch: u64,
        sends: Vec<(NodeId, P::Msg, u64)>,
    },
}

enum Deferred<P: Protocol> {
    Message(Arrival<P>),
    Timer {
        id: TimerId,
        target_mono: f64,
        tries: u32,
        timer: P::Timer,
    },
}

/// A copy of a message on its way to `to`, and its record ([`NO_RECORD`] when the world does
/// not record messages).
struct Arrival<P: Protocol> {
    record: usize,
    from: NodeId,
    to: NodeId,
    msg: P::Msg,
}

/// What a message's records share.
#[derive(Clone, Copy)]
struct Head {
    id: u64,
    from: NodeId,
    to: NodeId,
    size: u64,
    sent_at_s: f64,
}

/// The record index of a message the world does not record.
const NO_RECORD: usize = usize::MAX;

/// A timer on its way to the queue.
struct PendingTimer<P: Protocol> {
    id: TimerId,
    target_mono: f64,
    timer: P::Timer,
}

enum Call<P: Protocol> {
    Start,
    Receive(NodeId, P::Msg),
    Timer(P::Timer),
    Recover,
}

struct NodeState<P: Protocol> {
    up: bool,
    paused_until: f64,
    epoch: u64,
    deferred: VecDeque<Deferred<P>>,
    /// Lengths of mid-handler pauses waiting for the node's next handler.
    armed: VecDeque<f64>,
    rng: SimRng,
    clock: Clock,
}

struct LinkState {
    free_at: f64,
    in_buffer: VecDeque<f64>,
}

struct Runner<P: Protocol> {
    n: usize,
    q: EventQueue<Ev<P>>,
    procs: Vec<Box<dyn Node<P>>>,
    state: Vec<NodeState<P>>,
    links: Vec<LinkConfig>,
    /// Each link's loss and duplication as ready-made draws (the same draws `random_bool` makes
    /// from the probabilities, without building them per message).
    odds: Vec<Odds>,
    link_state: Vec<LinkState>,
    wire: SimRng,
    /// Each partition with the group of every node.
    partitions: Vec<(Partition, Vec<usize>)>,
    messages: Vec<MessageRecord>,
    counts: MessageCounts,
    /// Whether to keep a [`MessageRecord`] per message.
    record: bool,
    history: Vec<Operation<P::Op, P::Ret>>,
    node_events: Vec<NodeEvent>,
    effects: Effects<P>,
    timers: Timers,
    next_message: u64,
    label: bool,
    failure: Option<NodeFailure>,
    wire_plan: Option<WirePlan<P>>,
}

/// A timer whose clock has not reached its target when it fires is rescheduled at most this
/// many times (the clock's rate changed since it was set); then it fires anyway.
const TIMER_RETRIES: u32 = 8;

impl<P: Protocol> Runner<P> {
    fn run(&mut self, limits: Limits) -> RunOutcome {
        let mut events = 0;
        let stop = loop {
            if events >= limits.max_events {
                break Stop::EventLimit;
            }
            let Some((now, ev)) = self.q.pop_not_after(limits.until) else {
                break if self.q.is_empty() {
                    Stop::Drained
                } else {
                    Stop::TimeLimit
                };
            };
            if let Ev::Timer { id, .. } = ev
                && self.timers.is_cancelled(id)
            {
                continue; // cancelled: it never happens, so it is no event
            }
            events += 1;
            self.handle(now, ev);
            if self.failure.is_some() {
                break Stop::Drained;
            }
        };
        RunOutcome {
            events,
            now: self.q.now(),
            stop,
        }
    }

    fn partitioned(&self, a: NodeId, b: NodeId, t: f64) -> bool {
        self.partitions
            .iter()
            .any(|(p, group)| p.active_at(t) && group[a] != group[b])
    }

    /// Schedules a fault; times before `now` mean now.
    fn schedule_fault(&mut self, f: Fault, now: f64) {
        let at = f.at_s().max(now);
        match f {
            Fault::Partition(mut p) => {
                p.start_s = at;
                let group = (0..self.n)
                    .map(|i| p.groups.iter().position(|g| g.contains(&i)).unwrap_or(usize::MAX))
                    .collect();
                self.partitions.push((p, group));
            }
            Fault::Crash { node, recover_at_s, .. } => {
                self.q.schedule(at, Ev::Crash(node)).expect("validated");
                if let Some(r) = recover_at_s {
                    self.q.schedule(r.max(at), Ev::Recover(node)).expect("validated");
                }
            }
            Fault::Pause {
                node,
                length_s,
                mid_handler,
                ..
            } => {
                let ev = if mid_handler {
                    Ev::ArmMidPause { node, length_s }
                } else {
                    Ev::Pause { node, length_s }
                };
                self.q.schedule(at, ev).expect("validated");
            }
            Fault::ClockStep { node, delta_s, .. } => {
                self.q.schedule(at, Ev::ClockStep { node, delta_s }).expect("validated");
            }
            Fault::LinkChange { link, .. } => {
                self.q.schedule(at, Ev::LinkChange(Box::new(link))).expect("validated");
            }
        }
    }

    fn pause(&mut self, node: NodeId, now: f64, length_s: f64, mid_handler: bool) {
        let s = &mut self.state[node];
        s.paused_until = s.paused_until.max(now + length_s);
        self.q
            .schedule(now + length_s, Ev::Resume(node))
            .expect("pause length is positive");
        self.node_events.push(NodeEvent::Paused {
            node,
            from_s: now,
            to_s: now + length_s,
            mid_handler,
        });
    }

    fn handle(&mut self, now: f64, ev: Ev<P>) {
        let (node, call) = match ev {
            Ev::Start(i) => (i, Call::Start),
            Ev::Crash(i) => {
                let s = &mut self.state[i];
                s.up = false;
                s.epoch += 1;
                s.deferred.clear();
                s.armed.clear();
                self.node_events.push(NodeEvent::Crashed { node: i, at_s: now });
                return;
            }
            Ev::Recover(i) => {
                self.state[i].up = true;
                self.node_events.push(NodeEvent::Recovered { node: i, at_s: now });
                (i, Call::Recover)
            }
            Ev::Pause { node, length_s } => {
                self.pause(node, now, length_s, false);
                return;
            }
            Ev::ArmMidPause { node, length_s } => {
                self.state[node].armed.push_back(length_s);
                return;
            }
            Ev::Resume(i) => {
                if now < self.state[i].paused_until {
                    return; // an overlapping pause extended it
                }
                // Replay what arrived meanwhile, in order, at this instant.
                let epoch = self.state[i].epoch;
                let pending: Vec<Deferred<P>> = self.state[i].deferred.drain(..).collect();
                for d in pending {
                    let ev = match d {
                        Deferred::Message(a) => Ev::Arrive(a),
                        Deferred::Timer {
                            id,
                            target_mono,
                            tries,
                            timer,
                        } => Ev::Timer {
                            node: i,
                            id,
                            epoch,
                            target_mono,
                            tries,
                            timer,
                        },
                    };
                    self.q.schedule(now, ev).expect("now");
                }
                return;
            }
            Ev::LinkChange(link) => {
                self.links.fill(*link);
                self.odds.fill(Odds::of(&link));
                return;
            }
            Ev::ClockStep { node, delta_s } => {
                let clock = &mut self.state[node].clock;
                clock.advance_to(now).expect("time moves forward");
                clock.step_wall(delta_s);
                self.node_events.push(NodeEvent::ClockStepped {
                    node,
                    at_s: now,
                    delta_s,
                });
                return;
            }
            Ev::Flush { node, epoch, sends } => {
                if self.state[node].up && self.state[node].epoch == epoch {
                    for (to, msg, size) in sends {
                        self.send(now, node, to, msg, size);
                    }
                }
                return;
            }
            Ev::Arrive(a) => {
                let (record, from, to) = (a.record, a.from, a.to);
                if self.partitioned(from, to, now) {
                    self.drop_at(record, now, DropReason::Partition);
                    return;
                }
                let s = &mut self.state[to];
                if !s.up {
                    self.drop_at(record, now, DropReason::ReceiverDown);
                    return;
                }
                if now < s.paused_until {
                    s.deferred.push_back(Deferred::Message(a));
                    return;
                }
                self.counts.delivered += 1;
                if record != NO_RECORD {
                    self.messages[record].fate = Fate::Delivered { at_s: now };
                }
                (to, Call::Receive(from, a.msg))
            }
            Ev::Timer {
                node,
                id,
                epoch,
                target_mono,
                tries,
                timer,
            } => {
                let s = &mut self.state[node];
                if !s.up || epoch != s.epoch {
                    return;
                }
                if now < s.paused_until {
                    s.deferred.push_back(Deferred::Timer {
                        id,
                        target_mono,
                        tries,
                        timer,
                    });
                    return;
                }
                s.clock.advance_to(now).expect("time moves forward");
                let left = target_mono - s.clock.read().monotonic;
                if left > 1e-9 * target_mono.abs().max(1.0) && tries < TIMER_RETRIES {
                    // The clock's rate changed since the timer was set: wait for the rest.
                    let at = now + left / rate(&s.clock);
                    let pending = PendingTimer { id, target_mono, timer };
                    self.schedule_timer(at, node, epoch, tries + 1, pending);
                    return;
                }
                (node, Call::Timer(timer))
            }
        };
        self.call(now, node, call);
    }

    /// Runs a handler of `node` at `now` and applies what it asked for.
    fn call(&mut self, now: f64, node: NodeId, call: Call<P>) {
        let s = &mut self.state[node];
        if !s.up || now < s.paused_until {
            // A start or restart that falls inside a pause is skipped: schedule pauses after them.
            return;
        }
        s.clock.advance_to(now).expect("time moves forward");
        let mid_pause = s.armed.pop_front();
        let effect_at_s = now + mid_pause.unwrap_or(0.0);
        self.effects.sends.clear();
        self.effects.timers.clear();
        self.effects.cancels.clear();
        self.effects.faults.clear();
        self.effects.clock_steps.clear();
        let result: Handled = {
            let mut ctx = Ctx {
                me: node,
                nodes: self.n,
                clock: &mut s.clock,
                effects: &mut self.effects,
                history: &mut self.history,
                effect_at_s,
                rng: &mut s.rng,
            };
            let p = &mut self.procs[node];
            match call {
                Call::Start => p.start(&mut ctx),
                Call::Receive(from, msg) => p.receive(&mut ctx, from, msg),
                Call::Timer(t) => p.timer(&mut ctx, t),
                Call::Recover => p.recover(&mut ctx),
            }
        };
        if let Err(e) = result {
            self.failure = Some(NodeFailure {
                node,
                at_s: now,
                reason: e.reason,
            });
            return;
        }
        // (Each drain of an empty buffer costs as much as checking it.)
        if !self.effects.clock_steps.is_empty() {
            for delta_s in self.effects.clock_steps.drain(..) {
                self.node_events.push(NodeEvent::ClockStepped {
                    node,
                    at_s: now,
                    delta_s,
                });
            }
        }
        let epoch = self.state[node].epoch;
        let (r, mono) = if self.effects.timers.is_empty() {
            (1.0, 0.0)
        } else {
            let clock = &self.state[node].clock;
            (rate(clock), clock.read().monotonic)
        };
        // Take the buffers out to hand their contents to the queue, then put them back, so a
        // handler call allocates nothing.
        let mut timers = std::mem::take(&mut self.effects.timers);
        for (id, target_mono, timer) in timers.drain(..) {
            let at = now + ((target_mono - mono) / r).max(0.0);
            self.schedule_timer(at, node, epoch, 0, PendingTimer { id, target_mono, timer });
        }
        self.effects.timers = timers;
        // After the timers, so a timer set and cancelled by one handler leaves the queue too.
        for id in self.effects.cancels.drain(..) {
            let is_it = |ev: &Ev<P>| matches!(ev, Ev::Timer { id: i, .. } if *i == id);
            let in_queue = self.timers.ticket(id).and_then(|t| self.q.cancel(t, is_it));
            if in_queue.is_none() {
                self.timers.cancelled_out_of_queue(id);
            }
        }
        let faults = if self.effects.faults.is_empty() {
            Vec::new()
        } else {
            std::mem::take(&mut self.effects.faults)
        };
        for f in faults {
            if let Err(e) = f.validate(self.n) {
                self.failure = Some(NodeFailure {
                    node,
                    at_s: now,
                    reason: format!("injected an invalid fault: {e}"),
                });
                return;
            }
            self.schedule_fault(f, now);
        }
        let mut sends = std::mem::take(&mut self.effects.sends);
        match mid_pause {
            None => {
                for (to, msg, size) in sends.drain(..) {
                    self.send(now, node, to, msg, size);
                }
                self.effects.sends = sends;
            }
            Some(length_s) => {
                self.q
                    .schedule(effect_at_s, Ev::Flush { node, epoch, sends })
                    .expect("later");
                self.pause(node, now, length_s, true);
            }
        }
    }

    /// Schedules a timer of `node` to fire at true time `at` (not before now).
    fn schedule_timer(&mut self, at: f64, node: NodeId, epoch: u64, tries: u32, t: PendingTimer<P>) {
        let ev = Ev::Timer {
            node,
            id: t.id,
            epoch,
            target_mono: t.target_mono,
            tries,
            timer: t.timer,
        };
        let ticket = self.q.schedule_cancellable(at, ev).expect("timers fire now or later");
        self.timers.waiting(t.id, ticket);
    }

    /// Marks copy `record` dropped at `at_s` for `reason`.
    fn drop_at(&mut self, record: usize, at_s: f64, reason: DropReason) {
        self.counts.dropped[reason as usize] += 1;
        if record != NO_RECORD {
            self.messages[record].fate = Fate::Dropped { at_s, reason };
        }
    }

    /// Records a copy of message `head` (when the world records messages); returns its index.
    #[inline]
    fn record(&mut self, head: Head, duplicate: bool, msg: &P::Msg) -> usize {
        if !self.record {
            return NO_RECORD;
        }
        self.messages.push(MessageRecord {
            id: head.id,
            duplicate,
            from: head.from,
            to: head.to,
            size_bytes: head.size,
            sent_at_s: head.sent_at_s,
            fate: Fate::InFlight,
            label: self.label.then(|| format!("{msg:?}")),
        });
        self.messages.len() - 1
    }

    /// Puts a message on the link from `from` to `to` at `now`.
    fn send(&mut self, now: f64, from: NodeId, to: NodeId, msg: P::Msg, size: u64) {
        let id = self.next_message;
        self.next_message += 1;
        self.counts.sent += 1;
        let head = Head {
            id,
            from,
            to,
            size,
            sent_at_s: now,
        };
        let k = from * self.n + to;
        // The link's settings are read in place (a copy of them per message was a tenth of
        // sending one); the jitter is sampled from `self.links[k]` below for the same reason.
        let LinkConfig {
            propagation_s,
            bytes_per_s,
            buffer_messages,
            ..
        } = self.links[k];
        let l = &mut self.link_state[k];
        while l.in_buffer.front().is_some_and(|&done| done <= now) {
            l.in_buffer.pop_front();
        }
        if l.in_buffer.len() >= buffer_messages {
            let record = self.record(head, false, &msg);
            self.drop_at(record, now, DropReason::BufferFull);
            return;
        }
        let done = now.max(l.free_at) + size as f64 / bytes_per_s;
        l.free_at = done;
        l.in_buffer.push_back(done);
        if self.partitioned(from, to, now) {
            let record = self.record(head, false, &msg);
            self.drop_at(record, now, DropReason::Partition);
            return;
        }
        let planned = self.wire_plan.as_mut().and_then(|plan| plan(from, to, &msg));
        if let Some(fate) = planned {
            self.planned_send(now, done + propagation_s, head, msg, fate);
            return;
        }
        let odds = self.odds[k];
        if odds.loss.sample(&mut self.wire) {
            let record = self.record(head, false, &msg);
            self.drop_at(record, done + propagation_s, DropReason::Loss);
            return;
        }
        if odds.duplicate.sample(&mut self.wire) {
            self.counts.duplicates += 1;
            let at = done + propagation_s + self.links[k].jitter_s.sample(&mut self.wire);
            let record = self.record(head, false, &msg);
            let copy = Arrival {
                record,
                from,
                to,
                msg: msg.clone(),
            };
            self.q.schedule(at, Ev::Arrive(copy)).expect("arrival is later");
            let at = done + propagation_s + self.links[k].jitter_s.sample(&mut self.wire);
            let record = self.record(head, true, &msg);
            let copy = Arrival { record, from, to, msg };
            self.q.schedule(at, Ev::Arrive(copy)).expect("arrival is later");
        } else {
            let at = done + propagation_s + self.links[k].jitter_s.sample(&mut self.wire);
            let record = self.record(head, false, &msg);
            let copy = Arrival { record, from, to, msg };
            self.q.schedule(at, Ev::Arrive(copy)).expect("arrival is later");
        }
    }
}

impl<P: Protocol> Runner<P> {
    /// Puts a message on the wire with the fate a wire plan gave it (`lost_at` is when a lost
    /// one is dropped: when the link would have delivered it).
    fn planned_send(&mut self, now: f64, lost_at: f64, head: Head, msg: P::Msg, fate: WireFate) {
        let (delay_s, copy) = match fate {
            WireFate::Lost => {
                let record = self.record(head, false, &msg);
                self.drop_at(record, lost_at, DropReason::Loss);
                return;
            }
            WireFate::Delivered { delay_s } => (delay_s, None),
            WireFate::Duplicated { delay_s, copy_delay_s } => (delay_s, Some(copy_delay_s)),
        };
        let (from, to) = (head.from, head.to);
        let record = self.record(head, false, &msg);
        if let Some(copy_delay_s) = copy {
            self.counts.duplicates += 1;
            let copy = Arrival {
                record,
                from,
                to,
                msg: msg.clone(),
            };
            self.q
                .schedule(now + safe_delay(delay_s), Ev::Arrive(copy))
                .expect("arrival is later");
            let record = self.record(head, true, &msg);
            let copy = Arrival { record, from, to, msg };
            self.q
                .schedule(now + safe_delay(copy_delay_s), Ev::Arrive(copy))
                .expect("arrival is later");
        } else {
            let arrival = Arrival { record, from, to, msg };
            self.q
                .schedule(now + safe_delay(delay_s), Ev::Arrive(arrival))
                .expect("arrival is later");
        }
    }
}

/// A link's loss and duplication probabilities as draws.
#[derive(Clone, Copy)]
struct Odds {
    loss: Bernoulli,
    duplicate: Bernoulli,
}

impl Odds {
    fn of(link: &LinkConfig) -> Self {
        // Validated probabilities (LinkConfig::validate), so both are valid.
        Odds {
            loss: Bernoulli::new(link.loss).expect("a validated probability"),
            duplicate: Bernoulli::new(link.duplicate).expect("a validated probability"),
        }
    }
}

/// Monotonic seconds per true second on this clock now.
fn rate(clock: &Clock) -> f64 {
    (1.0 + clock.frequency_error_ppm() * 1e-6).max(1e-3)
}
