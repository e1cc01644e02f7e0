//! The world's event queue: [`crate::sim::EventQueue`]'s order (time, then the order events
//! were scheduled in) and its virtual time, built for the world's loop.
//!
//! Like `sim`'s queue it keeps a 4-ary min-heap of small keys (events in a slab beside it)
//! and a sorted run for keys no earlier than the last one in it. What differs:
//!
//! * the run holds its events inline, not in the slab: timers set with one delay go there (in
//!   order), and a slab slot to fill, empty and free per timer was a tenth of a message's
//!   cost. It is a ring of a power-of-two size (an index
//!   wraps with a mask, where `VecDeque` compares and subtracts) and the queue keeps the time
//!   of its last entry beside it;
//! * only timers a node sets ([`Queue::put`]) go to the run; everything else, messages'
//!   arrivals above all, goes to the heap ([`Queue::schedule`]). Arrivals with jitter come in
//!   out of order, and a run that also took each one no earlier than its last entry (about
//!   one in twelve in issue 8's mesh) made the choice between heap and run at every pop, and
//!   the heap's size, so the depth of its walks, swing in ways the processor could not
//!   predict: with every arrival in the heap the mesh ran 4 % faster, on 4 % fewer
//!   instructions;
//! * times are never negative (none is earlier than now, and now starts at 0), so a time's
//!   bits order as the time does: the key is the bits, with no conversion either way. The one
//!   negative time that is not earlier than 0 is −0.0, which is queued as +0.0;
//! * a new key is later in the order than every key queued (its sequence number is the
//!   largest), so placing it compares times only. The one exception, a timer the world held
//!   back ([`super::timers`]), is queued late at the place it took when set
//!   ([`Queue::place`], [`Queue::put_late`]), by its whole key;
//! * the slab's slots are `ManuallyDrop`, so filling a free one drops nothing (an assignment
//!   called the event's drop glue out of line at every push); the queue's `Drop` drops the
//!   events left;
//! * nothing is cancelled in the queue: the world drops cancelled timers as they come up
//!   ([`super::timers`]), so every slot of the heap holds an event;
//! * a pop from the heap takes the root's event and leaves its key in place, marked taken;
//!   the next push fills the root's place (and its slot in the slab) and walks down from
//!   there, the next pop removes it first. A node that receives a message and sends one, the
//!   world's usual step, then costs the heap one walk down instead of a walk down and two
//!   climbs, and no trip through the free list.
//!
//! The key is unique, so this pops exactly the sequence `sim`'s queue pops.

use std::mem::ManuallyDrop;

use crate::error::{Error, Result};
use crate::sim::Seconds;

mod heap;
mod run;
use run::Run;

/// Children per node of the heap.
const ARITY: usize = 4;

/// A heap entry: a queued event's place in the order and its slot in the slab.
#[derive(Clone, Copy)]
struct Key {
    /// The time's key ([`time_key`]): its bits, which order as the time does.
    time: u64,
    seq: u64,
    slot: usize,
}

/// An event's place in the order, taken when it is scheduled: [`Queue::place`] hands it out
/// and [`Queue::put`] or [`Queue::put_late`] queues an event there.
#[derive(Clone, Copy, Debug)]
pub(super) struct Place {
    time: u64,
    seq: u64,
}

impl Place {
    /// The place's time.
    #[inline]
    pub(super) fn at(self) -> Seconds {
        time_of(self.time)
    }
}

/// A run entry: a queued event's place in the order and the event.
struct Queued<E> {
    time: u64,
    seq: u64,
    event: E,
}

/// Time, then sequence number, as one integer.
#[inline]
fn order(time: u64, seq: u64) -> u128 {
    (u128::from(time) << 64) | u128::from(seq)
}

/// A time's key: its bits, which order as the time does for times no earlier than +0.0
/// (adding +0.0 makes −0.0 into +0.0 and leaves every other time as it is).
#[inline]
fn time_key(at: Seconds) -> u64 {
    (at + 0.0).to_bits()
}

/// The time of a [`time_key`].
#[inline]
fn time_of(key: u64) -> Seconds {
    f64::from_bits(key)
}

/// The error for an event scheduled in the past, out of line (it is slow and never happens).
#[cold]
#[inline(never)]
fn past_time(at: Seconds) -> Error {
    Error::invalid("event time", at, "must not be NaN or earlier than now")
}

/// See the module's documentation.
pub(super) struct Queue<E> {
    keys: Vec<Key>,
    /// Whether the heap's root was popped and is still in `keys[0]` (its event taken, its
    /// slot empty): the next push takes its place and its slot, the next pop removes it and
    /// frees the slot first.
    root_taken: bool,
    /// The heap's events, by slot; `None` marks a free slot (see the module's documentation
    /// for the `ManuallyDrop`).
    slab: Vec<ManuallyDrop<Option<E>>>,
    /// Free slots, reused last-freed first (so recently touched memory).
    free: Vec<usize>,
    /// Entries in increasing order, each later than every entry before it.
    run: Run<E>,
    /// The time key of the run's last entry (meaningless when the run is empty).
    run_back: u64,
    now: Seconds,
    /// The latest time of a dead event dropped out of order.
    skipped_to: Seconds,
    next_seq: u64,
}

impl<E> Queue<E> {
    /// An empty queue at virtual time 0.
    pub(super) fn new() -> Self {
        Queue {
            keys: Vec::new(),
            root_taken: false,
            slab: Vec::new(),
            free: Vec::new(),
            run: Run::new(),
            run_back: 0,
            now: 0.0,
            skipped_to: 0.0,
            next_seq: 0,
        }
    }

    /// The time of the last event popped.
    pub(super) fn now(&self) -> Seconds {
        self.now
    }

    /// The time of the last event popped or dropped as dead: where virtual time would be had
    /// the dead events come up in order and been ignored, once every event due no later
    /// than the `until` of the pops has been popped or dropped.
    pub(super) fn end_time(&self) -> Seconds {
        self.now.max(self.skipped_to)
    }

    /// True when no events are waiting.
    pub(super) fn is_empty(&self) -> bool {
        self.keys.len() == usize::from(self.root_taken) && self.run.len == 0
    }

    /// Schedules `event` at `at`, which must not lie in the past, in the heap (only timers a
    /// node sets go to the run: see the module's documentation). Inline always: a message's
    /// send calls it, and the call cost a tenth of the push.
    #[inline(always)]
    pub(super) fn schedule(&mut self, at: Seconds, event: E) -> Result<()> {
        let Place { time, seq } = self.place(at)?;
        self.push_heap(time, seq, event);
        Ok(())
    }

    /// Takes the next place in the order for an event at `at` (an error if `at` is NaN or in
    /// the past): the place [`Queue::schedule`] would queue it at now. Queue the event there
    /// with [`Queue::put`] before any other event is scheduled, or with [`Queue::put_late`].
    #[inline(always)]
    pub(super) fn place(&mut self, at: Seconds) -> Result<Place> {
        // (One comparison, false for NaN too.)
        if at >= self.now {
            let seq = self.next_seq;
            self.next_seq += 1;
            Ok(Place {
                time: time_key(at),
                seq,
            })
        } else {
            Err(past_time(at))
        }
    }

    /// Queues `event` at the place just taken with [`Queue::place`] (no event scheduled
    /// since), for a timer a node sets: in the run when it is no earlier than the run's last
    /// entry (a node's timers of one delay come in order), else in the heap, with a call, so
    /// that the code that sets the timer stays small.
    #[inline(always)]
    pub(super) fn put(&mut self, place: Place, event: E) {
        debug_assert_eq!(place.seq + 1, self.next_seq, "a place taken last");
        let Place { time, seq } = place;
        // Its sequence number is the largest: it comes after every key of its time or earlier.
        if self.run.len == 0 || self.run_back <= time {
            self.push_run(time, seq, event);
        } else {
            self.push_heap_call(time, seq, event);
        }
    }

    /// Queues `event` at a place taken earlier, with events scheduled since (so later in the
    /// order than some of theirs, maybe earlier than others): it comes out where it would
    /// have had it been queued when its place was taken. The place must not be earlier than
    /// the last event popped.
    #[inline(never)]
    pub(super) fn put_late(&mut self, place: Place, event: E) {
        let Place { time, seq } = place;
        debug_assert!(time_of(time) >= self.now, "a place in the past");
        // Into the heap, placed by its whole key (the run takes only keys after its last).
        self.heap_insert(time, seq, event, |p| order(p.time, p.seq) < order(time, seq));
    }

    /// A dead event that never reached the queue would have been dropped at `at`: virtual
    /// time ends no earlier (see [`Queue::end_time`]).
    #[inline]
    pub(super) fn skipped(&mut self, at: Seconds) {
        self.skipped_to = self.skipped_to.max(at);
    }

    #[inline(always)]
    fn push_run(&mut self, time: u64, seq: u64, event: E) {
        self.run.push_back(Queued { time, seq, event });
        self.run_back = time;
    }

    #[inline(never)]
    fn push_heap_call(&mut self, time: u64, seq: u64, event: E) {
        self.push_heap(time, seq, event);
    }

    #[inline(always)]
    fn push_heap(&mut self, time: u64, seq: u64, event: E) {
        // Its sequence number is the largest: a parent of its time or earlier comes before it.
        self.heap_insert(time, seq, event, |p| p.time <= time);
    }

    /// Pops the next event if it is due no later than `until` and advances virtual time to it;
    /// `None` when the queue is empty or the next event is later.
    #[inline]
    pub(super) fn pop_not_after(&mut self, until: Seconds) -> Option<(Seconds, E)> {
        self.settle_root();
        let from_heap = match (self.keys.first(), self.run.front()) {
            (None, None) => return None,
            (Some(h), Some(r)) => order(h.time, h.seq) < order(r.time, r.seq),
            (h, _) => h.is_some(),
        };
        if from_heap {
            let key = self.keys[0];
            let at = time_of(key.time);
            if at > until {
                return None;
            }
            self.now = at;
            Some((at, self.take_root()))
        } else {
            let at = time_of(self.run.front()?.time);
            if at > until {
                return None;
            }
            let q = self.run.pop_front()?;
            self.now = at;
            Some((at, q.event))
        }
    }

    /// Takes the run's front off it when it is `dead` (a cancelled timer) and due no later
    /// than `until`: out of order, without moving virtual time (see [`Queue::end_time`]).
    /// Taking every dead front off before each [`Queue::pop_not_after`] leaves a live event
    /// at the front. Dead events elsewhere come up in order, as every event does.
    ///
    /// Why: nodes that cancel many of the timers they set with one delay (the ones the world
    /// does not hold back, [`super::timers`]) leave dead timers in the run, and popping them in
    /// order meant choosing between the heap (a message) and the run (a dead timer) at
    /// random, a branch the processor mispredicts. With the dead ones gone, the run's front is
    /// a live timer, usually later than the heap's top, and the choice is predictable.
    #[inline]
    pub(super) fn pop_dead_front(&mut self, until: Seconds, dead: impl Fn(&E) -> bool) -> Option<E> {
        let front = self.run.front()?;
        if !(dead(&front.event) && time_of(front.time) <= until) {
            return None;
        }
        self.skipped_to = self.skipped_to.max(time_of(front.time));
        self.run.pop_front().map(|q| q.event)
    }

    /// [`Queue::pop_not_after`] after dropping the dead events at the run's front
    /// ([`Queue::pop_dead_front`]).
    #[cfg(test)]
    pub(super) fn pop_live_not_after(&mut self, until: Seconds, dead: impl Fn(&E) -> bool) -> Option<(Seconds, E)> {
        while self.pop_dead_front(until, &dead).is_some() {}
        self.pop_not_after(until)
    }
}

/// Drops the events still in the slab (its `ManuallyDrop` slots would leak them).
impl<E> Drop for Queue<E> {
    fn drop(&mut self) {
        self.slab.iter_mut().for_each(|slot| drop(slot.take()));
    }
}

#[cfg(test)]
mod tests;
