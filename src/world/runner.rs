//! The runner: the event loop of one world's run, and what each event does.

use std::collections::VecDeque;

use crate::clock::Clock;
use crate::sim::{Limits, RunOutcome, SimRng, Stop};

use super::call::rate;
use super::config::LinkConfig;
use super::ctx::{Effects, TimerId};
use super::event::{Call, Deferred, Ev, NO_RECORD, PendingTimer};
use super::fault::{Fault, Partition};
use super::queue::Queue;
use super::record::{DropReason, Fate, MessageCounts, MessageRecord, NodeEvent, NodeFailure, Operation};
use super::timers::Timers;
use super::wire::Odds;
use super::{Node, NodeId, Protocol};

pub(super) struct NodeState<P: Protocol> {
    pub(super) up: bool,
    pub(super) paused_until: f64,
    pub(super) epoch: u32,
    pub(super) deferred: VecDeque<Deferred<P>>,
    /// Lengths of mid-handler pauses waiting for the node's next handler.
    pub(super) armed: VecDeque<f64>,
    pub(super) rng: SimRng,
    pub(super) clock: Clock,
}

/// A link: how it behaves and what it is doing (one entry per link, so a send looks up one).
pub(super) struct Link {
    pub(super) cfg: LinkConfig,
    /// Its loss and duplication as ready-made draws (the same draws `random_bool` makes from
    /// the probabilities, without building them per message).
    pub(super) odds: Odds,
    /// When the last transmission queued on it ends.
    pub(super) free_at: f64,
    /// When each transmission in its output buffer before the last one (which ends at
    /// `free_at`) ends, earliest first; entries no later than now have left the buffer.
    pub(super) in_buffer: VecDeque<f64>,
}

impl Link {
    pub(super) fn new(cfg: LinkConfig) -> Self {
        Link {
            cfg,
            odds: Odds::of(&cfg),
            free_at: 0.0,
            in_buffer: VecDeque::new(),
        }
    }
}

pub(super) struct Runner<P: Protocol> {
    pub(super) n: usize,
    pub(super) q: Queue<Ev<P>>,
    pub(super) procs: Vec<Box<dyn Node<P>>>,
    pub(super) state: Vec<NodeState<P>>,
    /// The link from `a` to `b` at `a * n + b`.
    pub(super) links: Vec<Link>,
    pub(super) wire: SimRng,
    /// Each partition with the group of every node.
    pub(super) partitions: Vec<(Partition, Vec<usize>)>,
    pub(super) messages: Vec<MessageRecord>,
    pub(super) counts: MessageCounts,
    /// Whether to keep a [`MessageRecord`] per message.
    pub(super) record: bool,
    pub(super) history: Vec<Operation<P::Op, P::Ret>>,
    pub(super) node_events: Vec<NodeEvent>,
    pub(super) effects: Effects<P>,
    pub(super) timers: Timers<P::Timer>,
    pub(super) next_message: u64,
    pub(super) label: bool,
    pub(super) failure: Option<NodeFailure>,
    /// Decides the fate of the messages it names, instead of the links' dice.
    pub(super) wire_plan: Option<super::plan::WirePlan<P>>,
}

/// A timer whose clock has not reached its target when it fires is rescheduled at most this
/// many times (the clock's rate changed since it was set); then it fires anyway.
pub(super) const TIMER_RETRIES: u32 = 8;

impl<P: Protocol> Runner<P> {
    pub(super) fn run(&mut self, limits: Limits) -> RunOutcome {
        let mut events = 0;
        self.timers.set_until(limits.until);
        let stop = loop {
            if events >= limits.max_events {
                break Stop::EventLimit;
            }
            // The cancelled timers at the run's front first (see `Queue::pop_dead_front`).
            loop {
                let timers = &self.timers;
                let dead = |ev: &Ev<P>| matches!(ev, Ev::Timer { id, .. } if timers.is_cancelled(*id));
                let Some(ev) = self.q.pop_dead_front(limits.until, dead) else {
                    break;
                };
                self.came_up(ev);
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
                self.came_up(ev);
                continue; // cancelled: it never happens, so it is no event
            }
            events += 1;
            self.handle(now, ev);
            if self.failure.is_some() {
                break Stop::Drained;
            }
        };
        // Where a run that ignored cancelled timers as they came up would have ended: at the
        // last event when it stopped at one (the queue may have dropped later cancelled
        // timers), else once every event due by the limit was taken.
        let now = if stop == Stop::EventLimit || self.failure.is_some() {
            self.q.now()
        } else {
            self.q.end_time()
        };
        RunOutcome { events, now, stop }
    }

    /// A cancelled timer's event left the queue, dropped: see [`Runner::timer_came_up`].
    fn came_up(&mut self, ev: Ev<P>) {
        if let Ev::Timer { node, id, .. } = ev {
            self.timer_came_up(node as usize, id);
        }
    }

    /// Timer `id` of `node` left the queue (fired or dropped): queues the timer its node held
    /// back behind it, if any.
    fn timer_came_up(&mut self, node: NodeId, id: TimerId) {
        if let Some(t) = self.timers.came_up(node, id) {
            self.q.put_late(t.place, t.into_event(node));
        }
    }

    pub(super) fn partitioned(&self, a: NodeId, b: NodeId, t: f64) -> bool {
        self.partitions
            .iter()
            .any(|(p, group)| p.active_at(t) && group[a] != group[b])
    }

    /// Schedules a fault; times before `now` mean now.
    pub(super) fn schedule_fault(&mut self, f: Fault, now: f64) {
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

    /// Whether node `i` is up and not paused at `now`.
    fn runs_now(&self, i: NodeId, now: f64) -> bool {
        let s = &self.state[i];
        s.up && now >= s.paused_until
    }

    pub(super) fn pause(&mut self, node: NodeId, now: f64, length_s: f64, mid_handler: bool) {
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

    pub(super) fn handle(&mut self, now: f64, ev: Ev<P>) {
        let (node, call) = match ev {
            Ev::Start(i) => {
                if self.runs_now(i, now) {
                    (i, Call::Start)
                } else {
                    return; // a start inside a pause is skipped: schedule pauses after it
                }
            }
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
                if !self.runs_now(i, now) {
                    return; // a restart inside a pause is skipped, as a start is
                }
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
                            node: i as u32,
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
                let odds = Odds::of(&link);
                for l in &mut self.links {
                    l.cfg = *link;
                    l.odds = odds;
                }
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
                    for (to, msg, size) in sends.into_vec() {
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
                let node = node as usize;
                // (A live timer holds nothing back: only a cancelled one does. This clears it as
                // its node's last queued timer.)
                self.timer_came_up(node, id);
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
                let left = target_mono - s.clock.monotonic();
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
        // (Every way here has checked that the node is up and not paused.)
        self.call(now, node, call);
    }
}
