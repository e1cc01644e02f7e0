//! Virtual time and the discrete-event queue.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::Seconds;
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
    heap: BinaryHeap<Entry<E>>,
    now: Seconds,
    next_seq: u64,
    handled: u64,
}

#[derive(Debug)]
struct Entry<E> {
    at: Seconds,
    seq: u64,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    // BinaryHeap is a max-heap: reverse so the earliest (then first-scheduled) pops first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.at.total_cmp(&self.at).then_with(|| other.seq.cmp(&self.seq))
    }
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
            heap: BinaryHeap::new(),
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
        self.heap.is_empty()
    }

    /// Events popped so far.
    pub fn handled(&self) -> u64 {
        self.handled
    }

    /// Schedules `event` at absolute virtual time `at`, which must not lie in the past.
    pub fn schedule(&mut self, at: Seconds, event: E) -> Result<()> {
        if at.is_nan() || at < self.now {
            return Err(Error::invalid("event time", at, "must not be NaN or earlier than now"));
        }
        self.heap.push(Entry {
            at,
            seq: self.next_seq,
            event,
        });
        self.next_seq += 1;
        Ok(())
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
        self.heap.peek().map(|e| e.at)
    }

    /// Pops the next event and advances virtual time to it.
    pub fn pop(&mut self) -> Option<(Seconds, E)> {
        let Entry { at, event, .. } = self.heap.pop()?;
        self.now = at;
        self.handled += 1;
        Some((at, event))
    }

    /// Pops and handles events until the queue drains or a limit is reached. The handler may
    /// schedule more events through the queue it is given.
    pub fn run(&mut self, limits: Limits, mut handler: impl FnMut(&mut Self, Seconds, E)) -> RunOutcome {
        let mut events = 0;
        let stop = loop {
            if events >= limits.max_events {
                break Stop::EventLimit;
            }
            match self.peek_time() {
                None => break Stop::Drained,
                Some(t) if t > limits.until => break Stop::TimeLimit,
                Some(_) => {}
            }
            let (t, e) = self.pop().expect("peeked");
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
