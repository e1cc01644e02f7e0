//! The world's bookkeeping of timers: which were cancelled, and which are held back.
//!
//! A cancelled timer never happens, so it is not an event: it does not count towards
//! [`crate::sim::RunOutcome::events`] or [`crate::sim::Limits::max_events`]. Nothing else
//! changes: every other event keeps its time and its place in the order, and the run's final
//! time and reason to stop are what they were when cancelled timers came up and were ignored.
//! A cancelled timer stays queued and is dropped when it comes up (virtual time moves to it, as
//! it did when the queue skipped a cancelled event's key): one bit per timer to set and test,
//! instead of a table of where each timer waits in the queue to take it out at once.
//!
//! A timer a node sets after cancelling one that is still queued and due no later is held
//! back ([`Timers::hold`]): it takes its place in the order when it is set, as every event
//! does, and is queued at that place when the cancelled one comes up (it cannot be due
//! before). A node that re-arms a timeout at every message (cancel, set a later one) then keeps
//! one timer in the queue instead of one per message, and nothing about the run changes: the
//! test `holding_timers_back_changes_nothing` compares runs with and without, to the bit. A
//! held timer cancelled before it is queued is accounted as the dead event it would have been:
//! its time ends the run no earlier when it is due by the run's limit, and it is queued, dead,
//! when it is not (so the queue is not empty before the limit).

use super::NodeId;
use super::ctx::TimerId;
use super::queue::Place;

/// See the module's documentation.
pub(super) struct Timers<T> {
    cancelled: Cancelled,
    nodes: Vec<NodeTimers<T>>,
    /// The run's time limit.
    until: f64,
    /// Whether timers may be held back (off, every timer is queued when it is set: the tests
    /// compare the two).
    hold: bool,
}

/// What the world knows of one node's queued timers, to hold back the timer it sets after
/// cancelling one (see [`Timers::hold`]).
struct NodeTimers<T> {
    /// The node's timer queued last (its id and time), unless it came up or was cancelled.
    last: Option<(TimerId, f64)>,
    /// A cancelled timer of the node that is still queued (its id and time).
    spare: Option<(TimerId, f64)>,
    /// A timer set after `spare` was cancelled and due no earlier: it is queued when `spare`
    /// comes up.
    held: Option<Held<T>>,
}

/// A timer held back: what its event carries, and the place in the order it took when set.
pub(super) struct Held<T> {
    pub id: TimerId,
    pub place: Place,
    pub epoch: u32,
    pub target_mono: f64,
    pub timer: T,
}

impl<T> Held<T> {
    /// Its event, for node `node`.
    #[inline]
    pub fn into_event<P: super::Protocol<Timer = T>>(self, node: NodeId) -> super::event::Ev<P> {
        super::event::Ev::Timer {
            node: node as u32,
            id: self.id,
            epoch: self.epoch,
            target_mono: self.target_mono,
            tries: 0,
            timer: self.timer,
        }
    }
}

impl<T> Timers<T> {
    /// No timers yet, for `n` nodes.
    pub fn new(n: usize, hold: bool) -> Self {
        Timers {
            cancelled: Cancelled::default(),
            nodes: (0..n)
                .map(|_| NodeTimers {
                    last: None,
                    spare: None,
                    held: None,
                })
                .collect(),
            until: f64::INFINITY,
            hold,
        }
    }

    /// The run's time limit.
    pub fn set_until(&mut self, until: f64) {
        self.until = until;
    }

    /// The run's time limit.
    #[inline]
    pub fn until(&self) -> f64 {
        self.until
    }

    /// Node `node` sets timer `t`: holds it back (`None`) when a cancelled timer of the node
    /// is still queued no later than it, else gives it back to be queued at once (with
    /// [`super::queue::Queue::put`]).
    ///
    /// Why: a node that re-arms a timeout at every message cancels a queued timer and sets a
    /// new one, later, at each; queued, each new one was a push and, once cancelled, a pop of
    /// a dead event. Held, it reaches the queue only when the cancelled one comes up, at the
    /// place in the order it took when it was set, so every event comes out exactly where it
    /// did, and a node that re-arms a hundred times within a timeout queues one timer.
    #[inline]
    pub fn hold(&mut self, node: NodeId, t: Held<T>) -> Option<Held<T>> {
        let n = &mut self.nodes[node];
        if let Some((_, spare_at)) = n.spare
            && n.held.is_none()
            && spare_at <= t.place.at()
            && self.hold
        {
            #[cfg(test)]
            tests::HELD.with(|h| h.set(h.get() + 1));
            n.held = Some(t);
            return None;
        }
        n.last = Some((t.id, t.place.at()));
        Some(t)
    }

    /// Node `node` cancels timer `id`. Returns the timer when it was held back (never
    /// queued): it never happens, and the caller accounts for the time it would have come up.
    #[inline]
    pub fn cancel(&mut self, node: NodeId, id: TimerId) -> Option<Held<T>> {
        let n = &mut self.nodes[node];
        if n.held.as_ref().is_some_and(|h| h.id == id) {
            return n.held.take();
        }
        self.cancelled.insert(id);
        if n.last.is_some_and(|(last, _)| last == id) {
            let last = n.last.take();
            if n.spare.is_none() {
                n.spare = last;
            }
        }
        None
    }

    /// Marks a held timer the caller queues after all as cancelled.
    pub fn mark_cancelled(&mut self, id: TimerId) {
        self.cancelled.insert(id);
    }

    /// Timer `id` of `node` came up (fired, or dropped as cancelled). Returns the timer held
    /// back behind it, to queue now at its place ([`super::queue::Queue::put_late`]).
    #[inline]
    pub fn came_up(&mut self, node: NodeId, id: TimerId) -> Option<Held<T>> {
        let n = &mut self.nodes[node];
        if n.last.is_some_and(|(last, _)| last == id) {
            n.last = None;
        }
        if n.spare.is_some_and(|(spare, _)| spare == id) {
            n.spare = None;
            let held = n.held.take()?;
            n.last = Some((held.id, held.place.at()));
            return Some(held);
        }
        None
    }

    /// Whether timer `id`, come up, was cancelled (drop it: it is no event).
    #[inline]
    pub fn is_cancelled(&self, id: TimerId) -> bool {
        self.cancelled.contains(id)
    }
}

/// Cancelled timers, one bit per [`TimerId`] (ids are handed out 0, 1, 2, … so the set is
/// dense; a bit per id instead of a hash set: two hash lookups per timer were a sixth of a run
/// that re-arms a timeout at every message).
#[derive(Default)]
struct Cancelled {
    bits: Vec<u64>,
}

impl Cancelled {
    #[inline]
    fn insert(&mut self, id: TimerId) {
        let (word, bit) = ((id.0 / 64) as usize, id.0 % 64);
        if word >= self.bits.len() {
            self.bits.resize(word + 1, 0);
        }
        self.bits[word] |= 1 << bit;
    }

    #[inline]
    fn contains(&self, id: TimerId) -> bool {
        let (word, bit) = ((id.0 / 64) as usize, id.0 % 64);
        self.bits.get(word).is_some_and(|w| w & (1 << bit) != 0)
    }
}

#[cfg(test)]
mod tests;
