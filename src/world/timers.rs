//! The world's bookkeeping of cancelled timers.
//!
//! A cancelled timer never happens, so it is not an event: it does not count towards
//! [`crate::sim::RunOutcome::events`] or [`crate::sim::Limits::max_events`]. Nothing else
//! changes: every other event keeps its time and its place in the order, and the run's final
//! time and reason to stop are what they were when cancelled timers came up and were ignored.
//! A cancelled timer stays queued and is dropped when it comes up (virtual time moves to it, as
//! it did when the queue skipped a cancelled event's key): one bit per timer to set and test,
//! instead of a table of where each timer waits in the queue to take it out at once.

use super::ctx::TimerId;

/// See the module's documentation.
#[derive(Default)]
pub(super) struct Timers {
    cancelled: Cancelled,
}

impl Timers {
    /// Timer `id` was cancelled: drop it when it comes up.
    #[inline]
    pub fn cancel(&mut self, id: TimerId) {
        self.cancelled.insert(id);
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
mod tests {
    use crate::sim::{Limits, Stop};
    use crate::world::{Ctx, Handled, Node, NodeId, Plain, TimerId, World};

    /// Sets timers at 1, 2, 3 and 4 s; cancels the one at 2 s in the handler that set it and
    /// the one at 4 s when the first fires.
    #[derive(Default)]
    struct Canceller {
        ids: Vec<TimerId>,
        fired: Vec<usize>,
    }

    impl Node<Plain<(), usize>> for Canceller {
        fn start(&mut self, ctx: &mut Ctx<'_, Plain<(), usize>>) -> Handled {
            self.ids = (0..4).map(|i| ctx.set_timer(1.0 + i as f64, i)).collect();
            ctx.cancel_timer(self.ids[1]);
            Ok(())
        }
        fn timer(&mut self, ctx: &mut Ctx<'_, Plain<(), usize>>, i: usize) -> Handled {
            if i == 0 {
                ctx.cancel_timer(self.ids[3]);
            }
            self.fired.push(i);
            Ok(())
        }
        fn receive(&mut self, _: &mut Ctx<'_, Plain<(), usize>>, _: NodeId, _: ()) -> Handled {
            Ok(())
        }
    }

    #[test]
    fn cancelled_timers_are_no_events_and_the_run_ends_where_it_did() {
        // (limits, timers fired, events, final time, stop): the start and two timers are the
        // events; the run ends at 4 s (the cancelled timer's time) when it drains, as when
        // cancelled timers came up and were dropped.
        let cases = [
            (f64::INFINITY, u64::MAX, vec![0, 2], 3, 4.0, Stop::Drained),
            (4.0, u64::MAX, vec![0, 2], 3, 4.0, Stop::Drained),
            (3.5, u64::MAX, vec![0, 2], 3, 3.0, Stop::TimeLimit),
            (f64::INFINITY, 2, vec![0], 2, 1.0, Stop::EventLimit),
        ];
        for (until, max_events, fired, events, now, stop) in cases {
            let mut w = World::<Plain<(), usize>>::new(1);
            w.add_node(Canceller::default());
            let out = w.run(Limits { until, max_events }).unwrap();
            let got = (
                &out.node::<Canceller>(0).unwrap().fired,
                out.run.events,
                out.run.now,
                out.run.stop,
            );
            assert_eq!(
                got,
                (&fired, events, now, stop),
                "until {until}, max_events {max_events}"
            );
        }
    }
}
