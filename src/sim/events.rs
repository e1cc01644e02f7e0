//! Virtual time and the discrete-event queue.

use std::collections::VecDeque;

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

/// The queue's store: a 4-ary min-heap on `(time, sequence number)` beside a sorted run. The
/// key is unique, so any correct priority queue pops the same sequence as `std`'s `BinaryHeap`
/// would; this one is built for a simulator's event loop, where the queue was a third of the
/// world's time:
///
/// * the heap holds small `Copy` keys (24 bytes) and the events wait in a slab beside it, so
///   sifting moves a few words whatever the size of an event;
/// * a key compares as one 128-bit integer (time ordered like `f64::total_cmp`, then sequence);
/// * four children per node: half the levels of a binary heap, and the four children of a
///   level are loaded and compared independently, so a pop waits on half as many dependent
///   loads;
/// * `pop` walks the hole at the root down to a leaf along the smallest children, without
///   comparing against the element that fills it, and then sifts that element up (Floyd's
///   trick: it came from the bottom, so it rarely climbs);
/// * a key no earlier than the last one in `run` goes there instead of into the heap: `run`
///   stays sorted, so its front is its earliest and pushing and popping it is O(1). Timers set
///   with one delay arrive in order and go there, so a simulator that re-arms a timeout at
///   every message (the cancelled ones stay queued until they come up) keeps its heap small.
///   `pop` takes the earlier of the heap's top and `run`'s front.
#[derive(Debug)]
struct Heap<E> {
    keys: Vec<Key>,
    /// Keys in increasing order, each later than every key before it.
    run: VecDeque<Key>,
    /// The events, by slot; `None` marks a free slot.
    slab: Vec<Option<E>>,
    /// Free slots, reused last-freed first (so recently touched memory).
    free: Vec<usize>,
}

/// Children per node of the heap.
const ARITY: usize = 4;

/// A queued event's place in the order and its slot in the slab.
#[derive(Debug, Clone, Copy)]
struct Key {
    /// The time's bits, ordered like `f64::total_cmp` as an unsigned integer.
    time: u64,
    seq: u64,
    slot: usize,
}

impl Key {
    /// Time, then sequence number, as one integer.
    #[inline]
    fn order(&self) -> u128 {
        (u128::from(self.time) << 64) | u128::from(self.seq)
    }

    /// The time, decoded.
    #[inline]
    fn at(&self) -> Seconds {
        let ordered = (self.time ^ (1 << 63)) as i64;
        f64::from_bits((ordered ^ ((((ordered >> 63) as u64) >> 1) as i64)) as u64)
    }
}

/// Orders times like `f64::total_cmp`, as unsigned integers.
#[inline]
fn time_key(at: Seconds) -> u64 {
    let bits = at.to_bits() as i64;
    let ordered = bits ^ ((((bits >> 63) as u64) >> 1) as i64);
    (ordered as u64) ^ (1 << 63)
}

impl<E> Heap<E> {
    fn new() -> Self {
        Heap {
            keys: Vec::new(),
            run: VecDeque::new(),
            slab: Vec::new(),
            free: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.keys.len() + self.run.len()
    }

    #[inline]
    fn push(&mut self, at: Seconds, seq: u64, event: E) {
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slab[slot] = Some(event);
                slot
            }
            None => {
                self.slab.push(Some(event));
                self.slab.len() - 1
            }
        };
        let key = Key {
            time: time_key(at),
            seq,
            slot,
        };
        if self.run.back().is_none_or(|last| last.order() < key.order()) {
            self.run.push_back(key);
            return;
        }
        let mut i = self.keys.len();
        self.keys.push(key);
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if self.keys[parent].order() <= key.order() {
                break;
            }
            self.keys[i] = self.keys[parent];
            i = parent;
        }
        self.keys[i] = key;
    }

    #[inline]
    fn pop(&mut self) -> Option<(Seconds, E)> {
        let top = match (self.keys.first(), self.run.front()) {
            (_, None) => self.pop_heap()?,
            (Some(h), Some(r)) if h.order() < r.order() => self.pop_heap()?,
            (_, Some(_)) => self.run.pop_front()?,
        };
        let event = self.slab[top.slot].take().expect("every key has its event");
        self.free.push(top.slot);
        Some((top.at(), event))
    }

    /// Pops the heap's earliest key.
    #[inline]
    fn pop_heap(&mut self) -> Option<Key> {
        let last = self.keys.pop()?;
        let top = if self.keys.is_empty() {
            last
        } else {
            let top = self.keys[0];
            let n = self.keys.len();
            // Walk the hole down along the smallest children…
            let mut i = 0;
            loop {
                let first = ARITY * i + 1;
                let child = if first + ARITY <= n {
                    let k = &self.keys[first..first + ARITY];
                    let a = usize::from(k[1].order() < k[0].order());
                    let b = 2 + usize::from(k[3].order() < k[2].order());
                    first + if k[b].order() < k[a].order() { b } else { a }
                } else if first < n {
                    (first + 1..n).fold(first, |m, c| {
                        if self.keys[c].order() < self.keys[m].order() {
                            c
                        } else {
                            m
                        }
                    })
                } else {
                    break;
                };
                self.keys[i] = self.keys[child];
                i = child;
            }
            // …and sift the last element up from there.
            while i > 0 {
                let parent = (i - 1) / ARITY;
                if self.keys[parent].order() <= last.order() {
                    break;
                }
                self.keys[i] = self.keys[parent];
                i = parent;
            }
            self.keys[i] = last;
            top
        };
        Some(top)
    }

    #[inline]
    fn peek_time(&self) -> Option<Seconds> {
        match (self.keys.first(), self.run.front()) {
            (Some(h), Some(r)) => Some(if h.order() < r.order() { h.at() } else { r.at() }),
            (h, r) => h.or(r).map(Key::at),
        }
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
    pub fn pop(&mut self) -> Option<(Seconds, E)> {
        let (at, event) = self.heap.pop()?;
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
