//! Virtual time and the discrete-event queue.

use super::Seconds;
use super::heap::Heap;
pub use super::heap::Ticket;
use crate::error::{Error, Result};

/// A queue of future events ordered by virtual time; ties keep the order they were scheduled in.
///
/// ```
/// use faultline::sim::{EventQueue, Limits};
/// let mut q = EventQueue::new();
/// q.schedule(2.0, "second").unwrap();
/// q.schedule(1.0, "first").unwrap();
/// let mut seen = vec![];
/// q.run(Limits::default(), |q, t, e| { seen.push((t, e)); if e == "first" { q.schedule_in(0.5, "echo").unwrap(); } });
/// assert_eq!(seen, [(1.0, "first"), (1.5, "echo"), (2.0, "second")]);
/// ```
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: Heap<E>,
    now: Seconds,
    next_seq: u64,
    handled: u64,
}

/// The error for an event scheduled in the past, out of line: building it is slow and rare, and
/// keeping it out of [`EventQueue::schedule`] lets that inline into a simulator's loop.
#[cold]
#[inline(never)]
fn past_time(at: Seconds) -> Error {
    Error::invalid("event time", at, "must not be NaN or earlier than now")
}

/// Bounds on a run, so no simulation can hang: it stops at whichever comes first.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Stop before handling an event later than this virtual time (seconds).
    pub until: Seconds,
    /// Stop after handling this many events.
    pub max_events: u64,
}

impl Default for Limits {
    /// No time limit, ten million events.
    fn default() -> Self {
        Limits {
            until: f64::INFINITY,
            max_events: 10_000_000,
        }
    }
}

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// No events were left.
    Drained,
    /// The next event lies beyond [`Limits::until`].
    TimeLimit,
    /// [`Limits::max_events`] events were handled.
    EventLimit,
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunOutcome {
    /// Events handled during this run.
    pub events: u64,
    /// Virtual time at the end of the run.
    pub now: Seconds,
    /// Why it stopped.
    pub stop: Stop,
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E> EventQueue<E> {
    /// An empty queue at virtual time 0.
    pub fn new() -> Self {
        EventQueue {
            heap: Heap::new(),
            now: 0.0,
            next_seq: 0,
            handled: 0,
        }
    }

    /// The current virtual time: the time of the last event popped.
    pub fn now(&self) -> Seconds {
        self.now
    }

    /// Events waiting.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// True when no events are waiting.
    pub fn is_empty(&self) -> bool {
        self.heap.len() == 0
    }

    /// Events popped so far.
    pub fn handled(&self) -> u64 {
        self.handled
    }

    /// Schedules `event` at absolute virtual time `at`, which must not lie in the past.
    #[inline]
    pub fn schedule(&mut self, at: Seconds, event: E) -> Result<()> {
        if at.is_nan() || at < self.now {
            return Err(past_time(at));
        }
        self.heap.push(at, self.next_seq, event);
        self.next_seq += 1;
        Ok(())
    }

    /// Schedules `event` at absolute virtual time `at` (not in the past), as
    /// [`EventQueue::schedule`] does, and returns where it waits, to cancel it with
    /// [`EventQueue::cancel`].
    #[inline]
    pub fn schedule_cancellable(&mut self, at: Seconds, event: E) -> Result<Ticket> {
        if at.is_nan() || at < self.now {
            return Err(past_time(at));
        }
        let ticket = self.heap.push(at, self.next_seq, event);
        self.next_seq += 1;
        Ok(ticket)
    }

    /// Cancels the event waiting at `ticket` if `is_it` says the event there is the one meant
    /// (a ticket names a slot, which holds another event once this one is gone), and returns
    /// it. A cancelled event is never popped; virtual time still moves to its time when the
    /// events before it are gone, so everything else runs as if it had been popped and
    /// ignored. [`EventQueue::len`] and [`EventQueue::peek_time`] count it until then.
    #[inline]
    pub fn cancel(&mut self, ticket: Ticket, is_it: impl FnOnce(&E) -> bool) -> Option<E> {
        self.heap.cancel(ticket.0, is_it)
    }

    /// Schedules `event` after `delay` seconds (≥ 0) from now.
    pub fn schedule_in(&mut self, delay: Seconds, event: E) -> Result<()> {
        if delay.is_nan() || delay < 0.0 {
            return Err(Error::invalid("delay", delay, "must be ≥ 0 seconds"));
        }
        self.schedule(self.now + delay, event)
    }

    /// The time of the next event, if any.
    pub fn peek_time(&self) -> Option<Seconds> {
        self.heap.peek_time()
    }

    /// Pops the next event and advances virtual time to it.
    #[inline]
    pub fn pop(&mut self) -> Option<(Seconds, E)> {
        self.pop_not_after(f64::INFINITY)
    }

    /// Pops the next event if it is due no later than `until` and advances virtual time to it;
    /// `None` when the queue is empty ([`EventQueue::is_empty`]) or the next event is later.
    /// A run loop's peek and pop in one step.
    #[inline]
    pub fn pop_not_after(&mut self, until: Seconds) -> Option<(Seconds, E)> {
        let popped = self.heap.pop_not_after(until);
        // Cancelled events skipped on the way move virtual time too.
        self.now = self.heap.last_at();
        self.handled += u64::from(popped.is_some());
        popped
    }

    /// Pops and handles events until the queue drains or a limit is reached. The handler may
    /// schedule more events through the queue it is given.
    pub fn run(&mut self, limits: Limits, mut handler: impl FnMut(&mut Self, Seconds, E)) -> RunOutcome {
        let mut events = 0;
        let stop = loop {
            if events >= limits.max_events {
                break Stop::EventLimit;
            }
            let Some((t, e)) = self.pop_not_after(limits.until) else {
                break if self.is_empty() {
                    Stop::Drained
                } else {
                    Stop::TimeLimit
                };
            };
            handler(self, t, e);
            events += 1;
        };
        RunOutcome {
            events,
            now: self.now,
            stop,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_pop_in_schedule_order() {
        let mut q = EventQueue::new();
        for i in 0..100 {
            q.schedule(1.0, i).unwrap();
        }
        let order: Vec<i32> = std::iter::from_fn(|| q.pop().map(|(_, e)| e)).collect();
        assert_eq!(order, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn pops_in_time_then_schedule_order_like_a_sorted_list() {
        // Against a stable sort of (time, index): random times with many ties, -0.0, +0.0,
        // tiny and huge values, interleaved pushes and pops.
        use rand::Rng;
        let mut r = crate::sim::rng(9);
        let mut q = EventQueue::new();
        let mut reference: Vec<(f64, u32)> = Vec::new();
        let mut popped = Vec::new();
        let mut expected = Vec::new();
        let specials = [0.0, -0.0, 1e-300, 5e-324, 1e300, 3.0];
        for i in 0..5000u32 {
            let t = if i % 7 == 0 {
                specials[(i as usize / 7) % specials.len()]
            } else {
                f64::from(r.random_range(0..50u32)) * 0.5
            };
            let t = t.max(q.now());
            q.schedule(t, i).unwrap();
            reference.push((t, i));
            if i % 3 == 2 {
                let (at, e) = q.pop().unwrap();
                popped.push((at.to_bits(), e));
                reference.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
                let (t, e) = reference.pop().unwrap();
                expected.push((t.to_bits(), e));
            }
        }
        assert_eq!(popped, expected);
    }

    #[test]
    fn cancelled_events_never_pop_and_the_rest_keep_their_order() {
        // Against a stable sort of (time, index) without the cancelled: random times with
        // ties, a third of the events cancellable, some of those cancelled (twice, and after
        // they popped and their slot was reused); time still moves to a cancelled event's.
        use rand::Rng;
        let mut r = crate::sim::rng(5);
        let mut q = EventQueue::new();
        let mut reference: Vec<(f64, u32)> = Vec::new();
        let mut tickets = Vec::new();
        let (mut popped, mut expected) = (Vec::new(), Vec::new());
        let mut latest_cancelled = 0.0f64;
        for i in 0..6000u32 {
            let t = (f64::from(r.random_range(0..40u32)) * 0.25).max(q.now());
            if i % 3 == 0 {
                tickets.push((q.schedule_cancellable(t, i).unwrap(), t, i));
            } else {
                q.schedule(t, i).unwrap();
            }
            reference.push((t, i));
            if i % 5 == 4 && !tickets.is_empty() {
                let (ticket, t, e) = tickets.swap_remove(r.random_range(0..tickets.len()));
                let waiting = reference.iter().position(|&(_, x)| x == e);
                assert_eq!(q.cancel(ticket, |&x| x == e), waiting.map(|_| e), "cancel {e}");
                assert_eq!(q.cancel(ticket, |&x| x == e), None, "cancel {e} again");
                if let Some(w) = waiting {
                    reference.remove(w);
                    latest_cancelled = latest_cancelled.max(t);
                }
            }
            if i % 3 == 2 {
                let (at, e) = q.pop().unwrap();
                popped.push((at.to_bits(), e));
                reference.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
                let (t, e) = reference.pop().unwrap();
                expected.push((t.to_bits(), e));
            }
        }
        while let Some((at, e)) = q.pop() {
            popped.push((at.to_bits(), e));
        }
        reference.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        expected.extend(reference.iter().map(|&(t, e)| (t.to_bits(), e)));
        assert_eq!(popped, expected);
        assert!(q.is_empty());
        let last = expected.last().map_or(0.0, |&(t, _)| f64::from_bits(t));
        assert_eq!(q.now(), last.max(latest_cancelled));
    }

    #[test]
    fn past_and_nan_times_are_rejected() {
        let mut q = EventQueue::new();
        q.schedule(5.0, ()).unwrap();
        q.pop();
        assert!(q.schedule(4.0, ()).is_err());
        assert!(q.schedule(f64::NAN, ()).is_err());
        assert!(q.schedule_in(-1.0, ()).is_err());
        assert!(q.schedule_in(f64::NAN, ()).is_err());
    }

    #[test]
    fn limits_stop_a_run_that_would_never_end() {
        let mut q = EventQueue::new();
        q.schedule(0.0, ()).unwrap();
        // A handler that always schedules another event: bounded by events, then by time.
        let out = q.run(
            Limits {
                until: f64::INFINITY,
                max_events: 1000,
            },
            |q, _, _| q.schedule_in(1.0, ()).unwrap(),
        );
        assert_eq!((out.events, out.stop), (1000, Stop::EventLimit));
        let out = q.run(
            Limits {
                until: 1500.0,
                max_events: u64::MAX,
            },
            |q, _, _| q.schedule_in(1.0, ()).unwrap(),
        );
        assert_eq!(out.stop, Stop::TimeLimit);
        assert_eq!(out.now, 1500.0);
    }
}
