//! What a node may do while one of its handlers runs.

use crate::clock::{Clock, Reading};
use crate::sim::SimRng;

use super::call::rate;
use super::event::Ev;
use super::fault::Fault;
use super::queue::Queue;
use super::record::{OpId, Operation};
use super::timers::{Held, Timers};
use super::{Handled, NodeError, NodeId, Protocol};

/// A timer's identity, to cancel it with [`Ctx::cancel_timer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimerId(pub u64);

/// What a handler asked for, applied by the world after it returns (timers are set and
/// cancelled at once: nothing a handler does afterwards changes when they fire).
pub(crate) struct Effects<P: Protocol> {
    pub sends: Vec<(NodeId, P::Msg, u64)>,
    pub faults: Vec<Fault>,
    pub clock_steps: Vec<f64>,
    pub next_timer: u64,
}

impl<P: Protocol> Effects<P> {
    pub fn new() -> Self {
        Effects {
            sends: Vec::new(),
            faults: Vec::new(),
            clock_steps: Vec::new(),
            next_timer: 0,
        }
    }
}

/// A node's view of the world while a handler runs: its own clocks (never true time), its
/// random stream, and the ways to act: send, set timers, record client operations.
pub struct Ctx<'a, P: Protocol> {
    pub(crate) me: NodeId,
    pub(crate) nodes: usize,
    pub(crate) clock: &'a mut Clock,
    pub(crate) effects: &'a mut Effects<P>,
    pub(crate) history: &'a mut Vec<Operation<P::Op, P::Ret>>,
    /// True time at which this handler's effects reach the world (later than now when a pause
    /// falls inside the handler).
    pub(crate) effect_at_s: f64,
    /// The world's queue, where timers go at once, and its record of cancelled timers.
    pub(super) queue: &'a mut Queue<Ev<P>>,
    pub(super) timers: &'a mut Timers<P::Timer>,
    /// True time now, and the node's epoch (its crashes so far), for the timers it sets.
    pub(super) now: f64,
    pub(super) epoch: u32,
    /// This node's random stream.
    pub rng: &'a mut SimRng,
}

impl<P: Protocol> Ctx<'_, P> {
    /// This node's id.
    pub fn me(&self) -> NodeId {
        self.me
    }

    /// Number of nodes in the world.
    pub fn nodes(&self) -> usize {
        self.nodes
    }

    /// Reads this node's wall and monotonic clocks (what `SystemTime::now()` and
    /// `Instant::now()` would say on it).
    pub fn read_clock(&self) -> Reading {
        self.clock.read()
    }

    /// This node's monotonic clock, seconds.
    pub fn monotonic_s(&self) -> f64 {
        self.clock.monotonic()
    }

    /// This node's wall clock, seconds.
    pub fn wall_s(&self) -> f64 {
        self.clock.read().wall
    }

    /// Sends `msg` of `size_bytes` to node `to` (ignored if `to` is not a node).
    pub fn send(&mut self, to: NodeId, msg: P::Msg, size_bytes: u64) {
        if to < self.nodes {
            self.effects.sends.push((to, msg, size_bytes));
        }
    }

    /// Sends `msg` to every other node.
    pub fn broadcast(&mut self, msg: P::Msg, size_bytes: u64) {
        for to in (0..self.nodes).filter(|&to| to != self.me) {
            self.effects.sends.push((to, msg.clone(), size_bytes));
        }
    }

    /// Calls [`super::Node::timer`] with `timer` when this node's *monotonic* clock has
    /// advanced by `after_s` seconds (negative or NaN: at once). On a clock that runs slow the
    /// timer fires late in true time, as it would on a real machine.
    #[inline]
    pub fn set_timer(&mut self, after_s: f64, timer: P::Timer) -> TimerId {
        // (One comparison, false for NaN too.)
        let after = if after_s >= 0.0 { after_s } else { 0.0 };
        let id = TimerId(self.effects.next_timer);
        self.effects.next_timer += 1;
        let mono = self.clock.monotonic();
        let target_mono = mono + after;
        // When the monotonic clock reaches the target at its rate now, in true time.
        let at = self.now + ((target_mono - mono) / rate(self.clock)).max(0.0);
        let place = self.queue.place(at).expect("timers fire now or later");
        let held = Held {
            id,
            place,
            epoch: self.epoch,
            target_mono,
            timer,
        };
        if let Some(t) = self.timers.hold(self.me, held) {
            self.queue.put(t.place, t.into_event(self.me));
        }
        id
    }

    /// Cancels a timer that has not fired yet (a timer that already fired, or an id this world
    /// never handed out, is ignored). A cancelled timer never happens: it is no event of the
    /// run ([`crate::sim::RunOutcome::events`]), and is dropped when it comes up.
    #[inline]
    pub fn cancel_timer(&mut self, id: TimerId) {
        // An id never handed out names no timer (and must not size the world's set of them).
        if id.0 < self.effects.next_timer
            && let Some(t) = self.timers.cancel(self.me, id)
        {
            // Held back, never queued: had it been, it would have been dropped when it came up
            // (by the end of the run if it is due by the run's limit, else it stays queued).
            let at = t.place.at();
            if at <= self.timers.until() {
                self.queue.skipped(at);
            } else {
                self.queue_cancelled(t);
            }
        }
    }

    /// Queues a held timer cancelled after the run's time limit, as the dead event it would
    /// have been (it keeps the queue from running dry before the limit).
    #[cold]
    #[inline(never)]
    fn queue_cancelled(&mut self, t: Held<P::Timer>) {
        self.timers.mark_cancelled(t.id);
        self.queue.put_late(t.place, t.into_event(self.me));
    }

    /// Steps this node's wall clock by `delta_s` seconds (negative: backwards), at once.
    pub fn step_wall(&mut self, delta_s: f64) {
        if delta_s.is_finite() {
            self.clock.step_wall(delta_s);
            self.effects.clock_steps.push(delta_s);
        }
    }

    /// Slews this node's wall clock: it runs `ppm` parts per million faster than its
    /// oscillator from now on (negative: slower; 0 stops slewing).
    pub fn slew_wall(&mut self, ppm: f64) -> Handled {
        self.clock
            .slew_wall(ppm)
            .map_err(|e| NodeError::new(format!("slew_wall: {e}")))
    }

    /// Records that this node invoked client operation `op`; complete it with
    /// [`Ctx::complete`] when its result is known.
    pub fn invoke(&mut self, op: P::Op) -> OpId {
        let id = OpId(self.history.len() as u64);
        self.history.push(Operation {
            id,
            node: self.me,
            op,
            invoked_at_s: self.effect_at_s,
            invoked_local: self.clock.read(),
            completed_at_s: None,
            ret: None,
        });
        id
    }

    /// Records that operation `id` completed, returning `ret`. Completing an unknown or
    /// already completed operation is an error (it ends the run).
    pub fn complete(&mut self, id: OpId, ret: P::Ret) -> Handled {
        match self.history.get_mut(id.0 as usize) {
            Some(op) if op.completed_at_s.is_none() => {
                op.completed_at_s = Some(self.effect_at_s);
                op.ret = Some(ret);
                Ok(())
            }
            Some(_) => Err(NodeError::new(format!("operation {} completed twice", id.0))),
            None => Err(NodeError::new(format!("no operation {}", id.0))),
        }
    }

    /// Injects a fault while running, as a nemesis would (times are true times; a time already
    /// past means now). An invalid fault ends the run with an error.
    pub fn inject(&mut self, fault: Fault) {
        self.effects.faults.push(fault);
    }
}
