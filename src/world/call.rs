//! Running one handler of a node and applying what it asked for.

use crate::clock::Clock;

use super::ctx::Ctx;
use super::event::{Call, Ev, PendingTimer};
use super::record::{NodeEvent, NodeFailure};
use super::runner::Runner;
use super::{Handled, NodeId, Protocol};

impl<P: Protocol> Runner<P> {
    /// Runs a handler of `node`, which is up and not paused, at `now` and applies what it
    /// asked for.
    pub(super) fn call(&mut self, now: f64, node: NodeId, call: Call<P>) {
        let s = &mut self.state[node];
        debug_assert!(s.up && now >= s.paused_until);
        s.clock.advance_to(now).expect("time moves forward");
        let mid_pause = if s.armed.is_empty() { None } else { s.armed.pop_front() };
        let effect_at_s = now + mid_pause.unwrap_or(0.0);
        // The effects buffers are empty: every call below empties them, except one whose
        // handler failed, and a failure ends the run.
        let epoch = s.epoch;
        let result: Handled = {
            let mut ctx = Ctx {
                me: node,
                nodes: self.n,
                clock: &mut s.clock,
                effects: &mut self.effects,
                history: &mut self.history,
                effect_at_s,
                queue: &mut self.q,
                timers: &mut self.timers,
                now,
                epoch,
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
        if !self.effects.clock_steps.is_empty() {
            for delta_s in self.effects.clock_steps.drain(..) {
                self.node_events.push(NodeEvent::ClockStepped {
                    node,
                    at_s: now,
                    delta_s,
                });
            }
        }
        if !self.effects.faults.is_empty() {
            for f in std::mem::take(&mut self.effects.faults) {
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
        }
        // One send is what most handlers ask for: taken with `pop`, which costs less than a
        // drain. The buffer is taken out and put back, so a handler call allocates nothing.
        match mid_pause {
            None if self.effects.sends.len() == 1 => {
                let (to, msg, size) = self.effects.sends.pop().expect("one send");
                self.send(now, node, to, msg, size);
            }
            None if self.effects.sends.is_empty() => {}
            None => {
                let mut sends = std::mem::take(&mut self.effects.sends);
                for (to, msg, size) in sends.drain(..) {
                    self.send(now, node, to, msg, size);
                }
                self.effects.sends = sends;
            }
            Some(length_s) => {
                let sends = std::mem::take(&mut self.effects.sends);
                self.q
                    .schedule(
                        effect_at_s,
                        Ev::Flush {
                            node,
                            epoch,
                            sends: sends.into_boxed_slice(),
                        },
                    )
                    .expect("later");
                self.pause(node, now, length_s, true);
            }
        }
    }

    /// Schedules a timer of `node` to fire at true time `at` (not before now).
    pub(super) fn schedule_timer(&mut self, at: f64, node: NodeId, epoch: u32, tries: u32, t: PendingTimer<P>) {
        let ev = Ev::Timer {
            node: node as u32,
            id: t.id,
            epoch,
            target_mono: t.target_mono,
            tries,
            timer: t.timer,
        };
        self.q.schedule(at, ev).expect("timers fire now or later");
    }
}

/// Monotonic seconds per true second on this clock now (inline: a node's generic code calls
/// it at every timer it sets, from the crate its protocol lives in).
#[inline]
pub(super) fn rate(clock: &Clock) -> f64 {
    (1.0 + clock.frequency_error_ppm() * 1e-6).max(1e-3)
}
