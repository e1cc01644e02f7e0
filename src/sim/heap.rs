//! The event queue's store: a 4-ary heap of keys beside a sorted run, events in a slab.

use std::collections::VecDeque;

#[cfg(doc)]
use super::EventQueue;
use super::Seconds;

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
/// * [`EventQueue::cancel`] drops a waiting event from its slot at once and leaves its key
///   where it is; the key is skipped when it comes up (moving virtual time to it, as the
///   event would have), so the order of every other event is untouched.
#[derive(Debug)]
pub(super) struct Heap<E> {
    keys: Vec<Key>,
    /// Keys in increasing order, each later than every key before it.
    run: VecDeque<Key>,
    /// The time of the last key taken from the front, a cancelled event's included.
    last_at: Seconds,
    /// The events, by slot; `None` marks a free slot or a cancelled event.
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
    pub(super) fn new() -> Self {
        Heap {
            keys: Vec::new(),
            run: VecDeque::new(),
            last_at: 0.0,
            slab: Vec::new(),
            free: Vec::new(),
        }
    }

    pub(super) fn len(&self) -> usize {
        self.keys.len() + self.run.len()
    }

    /// Puts `event` in a free slot and returns its key.
    #[inline]
    fn store(&mut self, at: Seconds, seq: u64, event: E) -> Key {
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
        Key {
            time: time_key(at),
            seq,
            slot,
        }
    }

    #[inline]
    pub(super) fn push(&mut self, at: Seconds, seq: u64, event: E) -> Ticket {
        let key = self.store(at, seq, event);
        let ticket = Ticket(key.slot);
        if self.run.back().is_none_or(|last| last.order() < key.order()) {
            self.run.push_back(key);
            return ticket;
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
        ticket
    }

    /// Pops the earliest event if its time is not after `until`, skipping cancelled ones (one
    /// look at the two fronts for both the test and the pop).
    #[inline]
    pub(super) fn pop_not_after(&mut self, until: Seconds) -> Option<(Seconds, E)> {
        loop {
            let from_heap = match (self.keys.first(), self.run.front()) {
                (None, None) => return None,
                (Some(h), Some(r)) => h.order() < r.order(),
                (h, _) => h.is_some(),
            };
            let key = if from_heap { self.keys[0] } else { self.run[0] };
            let at = key.at();
            if at > until {
                return None;
            }
            if from_heap {
                self.pop_heap();
            } else {
                self.run.pop_front();
            }
            self.last_at = at;
            self.free.push(key.slot);
            if let Some(event) = self.slab[key.slot].take() {
                return Some((at, event));
            }
        }
    }

    /// The time of the last key taken from the front (0 before any).
    #[inline]
    pub(super) fn last_at(&self) -> Seconds {
        self.last_at
    }

    /// The event in `slot`, if `is_it` says it is the one meant: the slot is dropped (its key
    /// stays queued and is skipped when it comes up).
    #[inline]
    pub(super) fn cancel(&mut self, slot: usize, is_it: impl FnOnce(&E) -> bool) -> Option<E> {
        let event = self.slab.get_mut(slot)?;
        if event.as_ref().is_some_and(is_it) {
            event.take()
        } else {
            None
        }
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
    pub(super) fn peek_time(&self) -> Option<Seconds> {
        match (self.keys.first(), self.run.front()) {
            (Some(h), Some(r)) => Some(if h.order() < r.order() { h.at() } else { r.at() }),
            (h, r) => h.or(r).map(Key::at),
        }
    }
}

/// Where an event scheduled with [`EventQueue::schedule_cancellable`] waits, to cancel it
/// with [`EventQueue::cancel`]: its slot, which holds another event once this one is gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticket(pub(super) usize);

impl Ticket {
    /// A ticket of no event (for a table of tickets with gaps).
    pub const NONE: Ticket = Ticket(usize::MAX);
}
