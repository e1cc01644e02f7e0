//! Cancelled timers are no events; holding timers back changes nothing.

use crate::sim::{Limits, Stop};
use crate::world::{Ctx, Handled, Node, NodeId, Plain, TimerId, World};

thread_local! {
    /// Timers held back on this thread so far.
    pub(super) static HELD: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

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
