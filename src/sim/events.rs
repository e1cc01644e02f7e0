//! Virtual time and the discrete-event queue.

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
    heap: Heap<E>,
    now: Seconds,
    next_seq: u64,
    handled: u64,
}

/// A binary min-heap on `(time, sequence number)`, packed into one integer so that a comparison
/// is one instruction. `std`'s `BinaryHeap` gives the same order (the key is unique, so any
/// correct heap pops the same sequence); this one is small enough to inline into a
/// simulator's event loop, which the queueing benchmark showed to matter (events were a
/// third of the engine's time).
#[derive(Debug)]
struct Heap<E> {
    items: Vec<Entry<E>>,
}

#[derive(Debug)]
struct Entry<E> {
    key: u128,
    event: E,
}

impl<E> Entry<E> {
    /// The time, decoded from the key.
    #[inline]
    fn at(&self) -> Seconds {
        let ordered = (((self.key >> 64) as u64) ^ (1 << 63)) as i64;
        f64::from_bits((ordered ^ ((((ordered >> 63) as u64) >> 1) as i64)) as u64)
    }
}

/// Orders times like `f64::total_cmp`, as unsigned integers, then ties by sequence number.
#[inline]
fn key(at: Seconds, seq: u64) -> u128 {
    let bits = at.to_bits() as i64;
    let ordered = bits ^ ((((bits >> 63) as u64) >> 1) as i64);
    let unsigned = (ordered as u64) ^ (1 << 63);
    (u128::from(unsigned) << 64) | u128::from(seq)
}

impl<E> Heap<E> {
    fn new() -> Self {
        Heap { items: Vec::new() }
    }

    #[inline]
    fn push(&mut self, entry: Entry<E>) {
        self.items.push(entry);
        let mut i = self.items.len() - 1;
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.items[i].key >= self.items[parent].key {
                break;
            }
            self.items.swap(i, parent);
            i = parent;
        }
    }

    #[inline]
    fn pop(&mut self) -> Option<Entry<E>> {
        if self.items.is_empty() {
            return None;
        }
        let top = self.items.swap_remove(0);
        let n = self.items.len();
        let mut i = 0;
        loop {
            let left = 2 * i + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && self.items[right].key < self.items[left].key {
                right
            } else {
                left
            };
            if self.items[i].key <= self.items[child].key {
                break;
            }
            self.items.swap(i, child);
            i = child;
        }
        Some(top)
    }

    #[inline]
    fn peek(&self) -> Option<&Entry<E>> {
        self.items.first()
    }
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
        self.heap.items.len()
    }

    /// True when no events are waiting.
    pub fn is_empty(&self) -> bool {
        self.heap.items.is_empty()
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
        self.heap.push(Entry {
            key: key(at, self.next_seq),
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
        self.heap.peek().map(Entry::at)
    }

    /// Pops the next event and advances virtual time to it.
    pub fn pop(&mut self) -> Option<(Seconds, E)> {
        let entry = self.heap.pop()?;
        let at = entry.at();
        let event = entry.event;
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
