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
    pub fn into_event<P: super::Protocol<Timer = T>>(self, node: NodeId) -> super::runner::Ev<P> {
        super::runner::Ev::Timer {
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
mod tests {
    use crate::sim::{Limits, Stop};

    thread_local! {
        /// Timers held back on this thread so far.
        pub(super) static HELD: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
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

    /// Sets, cancels and re-arms timers (mostly one delay, some shorter, longer or at once,
    /// often tying with messages to the nanosecond), cancels old ones and other nodes', and
    /// sends; logs every handler with what it got and its monotonic clock's bits.
    struct Churn {
        ids: Vec<TimerId>,
        armed: Option<TimerId>,
        actions: u32,
        log: Vec<(u8, u64, u64)>,
    }

    type ChurnP = Plain<u64, u64>;

    impl Churn {
        fn act(&mut self, ctx: &mut Ctx<'_, ChurnP>, kind: u8, got: u64) -> Handled {
            use rand::Rng;
            self.log.push((kind, ctx.monotonic_s().to_bits(), got));
            if self.actions == 0 {
                return Ok(());
            }
            self.actions -= 1;
            let r = &mut *ctx.rng;
            let (cancel, old, any, sets, send) = (
                r.random_bool(0.8),
                r.random_bool(0.15),
                r.random_bool(0.03),
                r.random_range(0..3u32),
                r.random_bool(0.7),
            );
            let pick_old = r.random_range(0..self.ids.len().max(1));
            let pick_any = TimerId(r.random_range(0..400));
            let delays: Vec<f64> = (0..sets)
                .map(|_| [0.010, 0.010, 0.010, 0.005, 0.020, 0.0, 0.015][r.random_range(0..7)])
                .collect();
            if cancel && let Some(id) = self.armed.take() {
                ctx.cancel_timer(id);
            }
            if old && !self.ids.is_empty() {
                ctx.cancel_timer(self.ids[pick_old]);
            }
            if any {
                ctx.cancel_timer(pick_any);
            }
            for (k, d) in delays.into_iter().enumerate() {
                let id = ctx.set_timer(d, self.ids.len() as u64);
                self.ids.push(id);
                if k == 0 {
                    self.armed = Some(id);
                }
            }
            if send {
                let to = (ctx.me() + 1 + (got as usize % 2)) % ctx.nodes();
                ctx.send(to, got + 1, 100);
            }
            Ok(())
        }
    }

    impl Node<ChurnP> for Churn {
        fn start(&mut self, ctx: &mut Ctx<'_, ChurnP>) -> Handled {
            self.act(ctx, 0, 0)
        }
        fn receive(&mut self, ctx: &mut Ctx<'_, ChurnP>, _: NodeId, m: u64) -> Handled {
            self.act(ctx, 1, m)
        }
        fn timer(&mut self, ctx: &mut Ctx<'_, ChurnP>, t: u64) -> Handled {
            self.act(ctx, 2, t)
        }
        fn recover(&mut self, ctx: &mut Ctx<'_, ChurnP>) -> Handled {
            self.armed = None;
            self.act(ctx, 3, 0)
        }
    }

    /// Everything a churn run shows: each node's log, the run's end, counts and node events.
    type Seen = (Vec<Vec<(u8, u64, u64)>>, u64, u64, Stop, u64, u64, usize);

    fn churn(seed: u64, hold: bool) -> Seen {
        use crate::sim::Dist;
        use crate::world::{ClockConfig, Fault, LinkConfig};
        use rand::Rng;
        let mut r = crate::sim::rng(seed);
        let mut w = World::<ChurnP>::new(seed);
        w.hold_timers = hold;
        // Exact delays (5 ms propagation, perfect clocks) tie messages with timers; jitter
        // and drifting clocks (one with noise, so timers wait again) do not.
        let exact = seed.is_multiple_of(2);
        let mut link = LinkConfig::reliable(0.005, 1e12).unwrap();
        if !exact {
            link.jitter_s = Dist::exponential(0.002).unwrap();
            link.loss = 0.05;
        }
        w.set_link(link).unwrap();
        w.record_messages(false);
        for i in 0..3 {
            let mut clock = if exact {
                ClockConfig::perfect()
            } else {
                ClockConfig::drifting(-100.0 + 100.0 * i as f64)
            };
            if !exact && i == 2 {
                clock.oscillator.random_walk_ppm_per_sqrt_day = 5000.0;
            }
            let node = Churn {
                ids: vec![],
                armed: None,
                actions: 150,
                log: vec![],
            };
            w.add_node_with_clock(node, clock);
        }
        for _ in 0..r.random_range(0..4) {
            let node = r.random_range(0..3);
            let at_s = r.random_range(0.0..0.3);
            w.add_fault(match r.random_range(0..4) {
                0 => Fault::Crash {
                    node,
                    at_s,
                    recover_at_s: Some(at_s + r.random_range(0.0..0.05)),
                },
                1 => Fault::ClockStep {
                    node,
                    at_s,
                    delta_s: 0.5,
                },
                k => Fault::Pause {
                    node,
                    at_s,
                    length_s: r.random_range(0.001..0.03),
                    mid_handler: k == 3,
                },
            });
        }
        let limits = Limits {
            until: if r.random_bool(0.5) {
                r.random_range(0.05..0.4)
            } else {
                f64::INFINITY
            },
            max_events: if r.random_bool(0.3) {
                r.random_range(10..800)
            } else {
                u64::MAX
            },
        };
        let out = w.run(limits).unwrap();
        let logs = (0..3).map(|i| out.node::<Churn>(i).unwrap().log.clone()).collect();
        (
            logs,
            out.run.events,
            out.run.now.to_bits(),
            out.run.stop,
            out.counts.sent,
            out.counts.delivered,
            out.node_events.len(),
        )
    }

    #[test]
    fn holding_timers_back_changes_nothing() {
        // Every handler, with what it got and its clock to the bit, every count, and where and
        // why the run ended, with timers held back and without, over seeded runs that stop
        // drained, at a time limit and at an event limit.
        let (mut stops, mut runs_holding) = ([0; 3], 0);
        for seed in 0..400 {
            let before = HELD.with(|h| h.get());
            let held = churn(seed, true);
            runs_holding += u32::from(HELD.with(|h| h.get()) > before);
            stops[held.3 as usize] += 1;
            assert_eq!(held, churn(seed, false), "seed {seed}");
        }
        assert!(stops.iter().all(|&k| k > 20), "runs by how they stopped: {stops:?}");
        assert!(runs_holding > 300, "runs that held timers back: {runs_holding}");
    }
}
